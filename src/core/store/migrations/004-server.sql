-- Version 4: the district server's own tables. A desk has them too (one schema for both
-- programs), but on a desk they stay empty.

-- People who may sign in to the server. A district account sees every street (street_id
-- NULL); every other account is bound to one street, and a unit liaison also to one unit.
CREATE TABLE account (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,          -- the login name
  display_name   TEXT NOT NULL DEFAULT '',      -- shown in the timeline
  password_hash  TEXT NOT NULL,                 -- libsodium crypto_pwhash_str (Argon2id)
  role           TEXT NOT NULL CHECK (role IN ('duty_officer', 'director', 'unit_liaison',
                                               'viewer', 'district')),
  street_id      TEXT REFERENCES street (id),
  unit_id        TEXT REFERENCES unit (id),
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  CHECK ((role = 'district') = (street_id IS NULL)),
  CHECK ((role = 'unit_liaison') = (unit_id IS NOT NULL))
);

-- Bearer tokens handed out at login. Only their SHA-256 is kept, so a copy of the database
-- does not let anyone sign in.
CREATE TABLE session_token (
  token_hash   TEXT PRIMARY KEY,                -- SHA-256 of the token, hex
  account_id   INTEGER NOT NULL REFERENCES account (id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX session_token_account ON session_token (account_id);

-- The first answer to every op the server has seen, written in the transaction that applied
-- (or refused) it: a batch sent again after a crash or a lost answer gets the same answers
-- and changes nothing.
CREATE TABLE op_result (
  op_id        TEXT PRIMARY KEY,                -- the desk's UUID, the idempotency key
  account_id   INTEGER NOT NULL REFERENCES account (id),
  street_id    TEXT,                            -- the sender's street (NULL: district); a
                                                -- duplicate is answered to that street only
  incident_id  TEXT NOT NULL,
  result       TEXT NOT NULL CHECK (result IN ('applied', 'conflict', 'rejected')),
  rev          INTEGER NOT NULL,
  answer       TEXT NOT NULL,                   -- JSON: the answer as first given
  at           INTEGER NOT NULL
);
-- Who made each revision of an incident: a refusal is a conflict only when someone else did.
CREATE INDEX op_result_incident ON op_result (incident_id, rev);

-- The changes feed: one row per incident, moved to a new seq whenever the incident changes,
-- so a desk reading from its cursor sees every incident once, in its latest state. A deleted
-- record leaves a tombstone row. AUTOINCREMENT: a seq is never handed out twice, even when
-- the newest row moves.
CREATE TABLE change_log (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT NOT NULL CHECK (kind IN ('incident', 'tombstone')),
  entity     TEXT NOT NULL DEFAULT 'incident',
  entity_id  TEXT NOT NULL,
  street_id  TEXT NOT NULL,
  rev        INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  UNIQUE (entity, entity_id)
);
CREATE INDEX change_log_street ON change_log (street_id, seq);

-- The feed seq at which each timeline event reached the server, so a page of the feed
-- carries only the events a desk at that cursor has not seen yet.
CREATE TABLE server_event (
  event_id     TEXT PRIMARY KEY,
  incident_id  TEXT NOT NULL,
  seq          INTEGER NOT NULL
);
CREATE INDEX server_event_incident ON server_event (incident_id, seq);
