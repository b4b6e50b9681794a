-- Version 6: the desk's side of sync. The server has these tables too (one schema for both
-- programs), but there they stay empty.

-- Changes the district server did not take: a conflict (based on an older revision that
-- somebody else moved on; the server's record is kept) or a rejection (refused for good;
-- the reason is kept). An outbox row moves here in the transaction that stores the
-- server's answer, so nothing the duty officer entered is ever dropped silently; it stays
-- until the officer resolves it, and the resolution is an op of its own.
CREATE TABLE sync_conflict (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  op_id             TEXT NOT NULL UNIQUE,           -- the op the server did not take
  incident_id       TEXT,
  kind              TEXT NOT NULL CHECK (kind IN ('conflict', 'rejected')),
  code              TEXT NOT NULL DEFAULT '',       -- the server's code: stale, refused, …
  reason            TEXT NOT NULL DEFAULT '',       -- the server's words, translated
  op                TEXT NOT NULL,                  -- JSON: the op as it was sent
  server_rev        INTEGER NOT NULL DEFAULT 0,
  server_incident   TEXT,                           -- JSON: the server's record (conflicts)
  created_at        INTEGER NOT NULL,
  resolved_at       INTEGER,
  resolution        TEXT CHECK (resolution IN ('keep_mine', 'take_theirs', 'merge')),
  resolution_op_id  TEXT                            -- the op that resolved it, if any
);
CREATE INDEX sync_conflict_open ON sync_conflict (resolved_at, id);

-- Timeline events written on this desk that the server has not confirmed yet. The desk
-- numbers its own events after the last one it knows; the server may have put somebody
-- else's event in between. When the server's timeline arrives, these drafts make way for
-- it and are written again on top (the outbox still holds their ops), so the desk ends
-- with exactly the server's order. Every op queued in the outbox starts as a draft.
CREATE TABLE sync_draft_event (
  event_id     TEXT PRIMARY KEY,                    -- = the op's id
  incident_id  TEXT NOT NULL,
  released     INTEGER NOT NULL DEFAULT 0           -- 1: making way, inside that transaction
);
CREATE INDEX sync_draft_event_incident ON sync_draft_event (incident_id);

CREATE TRIGGER outbox_draft_event AFTER INSERT ON outbox
BEGIN
  INSERT OR IGNORE INTO sync_draft_event (event_id, incident_id)
  VALUES (NEW.op_id, coalesce (NEW.incident_id, ''));
END;

CREATE INDEX outbox_incident ON outbox (incident_id, id);

-- The whole-process record stays append-only: only a draft (an event the server has not
-- taken into its record yet) may give way to the server's timeline, and only once the sync
-- store has released it, in the transaction that writes the server's timeline instead.
DROP TRIGGER incident_event_no_delete;
CREATE TRIGGER incident_event_no_delete BEFORE DELETE ON incident_event
WHEN NOT EXISTS (SELECT 1 FROM sync_draft_event WHERE event_id = OLD.id AND released = 1)
BEGIN
  SELECT RAISE (ABORT, 'incident_event is append-only');
END;

-- Who this cache syncs as, the certificate authority its server is checked against ('':
-- the system's), and when the organisation was last fetched.
ALTER TABLE sync_state ADD COLUMN user_name TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_state ADD COLUMN ca_file TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_state ADD COLUMN organisation_at INTEGER;
ALTER TABLE sync_state ADD COLUMN latest INTEGER NOT NULL DEFAULT 0;
-- The cursor of the last complete pass through the feed (a page with more = false): the
-- desk has every event up to it, and asks for the events after it (events_since).
ALTER TABLE sync_state ADD COLUMN pass_start INTEGER NOT NULL DEFAULT 0;

-- Drafts and incidents that only ever existed on this desk can go away (see above); their
-- search entries (migration 5) go with them.
CREATE TRIGGER incident_note_search_delete AFTER DELETE ON incident_event
BEGIN
  DELETE FROM incident_note_search WHERE rowid = OLD.rowid;
END;

CREATE TRIGGER incident_search_delete AFTER DELETE ON incident
BEGIN
  DELETE FROM incident_search WHERE rowid = OLD.rowid;
END;
