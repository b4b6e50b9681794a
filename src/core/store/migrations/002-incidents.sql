-- Version 2: incidents, the units summoned to them, and their append-only timeline.

CREATE TABLE incident (
  id               TEXT PRIMARY KEY,      -- UUID, made where the incident was created
  number           TEXT NOT NULL UNIQUE,  -- human number, e.g. 110102099-20261122-0007
  street_id        TEXT NOT NULL REFERENCES street (id),
  source           TEXT NOT NULL,
  category_code    TEXT NOT NULL REFERENCES category (code),
  title            TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  address          TEXT NOT NULL DEFAULT '',
  lon              REAL,
  lat              REAL,
  grid_id          TEXT REFERENCES grid_cell (id),
  priority         INTEGER NOT NULL DEFAULT 0 REFERENCES priority (level),
  status           TEXT NOT NULL,
  lead_unit_id     TEXT REFERENCES unit (id),
  reporter_name    TEXT NOT NULL DEFAULT '',
  reporter_phone   TEXT NOT NULL DEFAULT '',
  reported_at      INTEGER NOT NULL,
  registered_at    INTEGER,
  whistled_at      INTEGER,
  response_due_at  INTEGER,
  handling_due_at  INTEGER,
  resolved_at      INTEGER,
  closed_at        INTEGER,
  legal_review     TEXT NOT NULL DEFAULT 'none',
  rating           INTEGER,
  rework_count     INTEGER NOT NULL DEFAULT 0,
  return_count     INTEGER NOT NULL DEFAULT 0,
  escalated        INTEGER NOT NULL DEFAULT 0,
  last_seq         INTEGER NOT NULL DEFAULT 0,  -- seq of the newest timeline event
  rev              INTEGER NOT NULL DEFAULT 0,  -- the server's revision this is based on
  updated_at       INTEGER NOT NULL
);
CREATE INDEX incident_status ON incident (status, handling_due_at);
CREATE INDEX incident_reported ON incident (reported_at);
CREATE INDEX incident_updated ON incident (updated_at);
CREATE INDEX incident_grid ON incident (grid_id);
CREATE INDEX incident_category ON incident (category_code);
CREATE INDEX incident_lead_unit ON incident (lead_unit_id);

CREATE TABLE incident_unit (
  incident_id      TEXT NOT NULL REFERENCES incident (id),
  unit_id          TEXT NOT NULL REFERENCES unit (id),
  role             TEXT NOT NULL CHECK (role IN ('lead', 'cooperating')),
  whistled_at      INTEGER NOT NULL,
  acknowledged_at  INTEGER,
  returned_at      INTEGER,
  return_reason    TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (incident_id, unit_id)
);
CREATE INDEX incident_unit_unit ON incident_unit (unit_id);

CREATE TABLE incident_event (
  id           TEXT PRIMARY KEY,          -- UUID
  incident_id  TEXT NOT NULL REFERENCES incident (id),
  seq          INTEGER NOT NULL,          -- 1, 2, ... within the incident
  action       TEXT NOT NULL,
  from_status  TEXT,
  to_status    TEXT NOT NULL,
  actor_id     TEXT NOT NULL DEFAULT '',
  actor_name   TEXT NOT NULL DEFAULT '',
  actor_role   TEXT NOT NULL DEFAULT '',
  unit_id      TEXT REFERENCES unit (id),
  at           INTEGER NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  payload      TEXT NOT NULL DEFAULT '{}', -- JSON: the action's own fields
  UNIQUE (incident_id, seq)
);
CREATE INDEX incident_event_at ON incident_event (at);

-- The whole-process record is append-only: no event is ever changed or removed.
CREATE TRIGGER incident_event_no_update BEFORE UPDATE ON incident_event
BEGIN
  SELECT RAISE (ABORT, 'incident_event is append-only');
END;
CREATE TRIGGER incident_event_no_delete BEFORE DELETE ON incident_event
BEGIN
  SELECT RAISE (ABORT, 'incident_event is append-only');
END;

-- Photos and documents, stored once by content hash.
CREATE TABLE attachment (
  hash        TEXT PRIMARY KEY,           -- SHA-256, hex
  mime_type   TEXT NOT NULL,
  size        INTEGER NOT NULL,
  name        TEXT NOT NULL DEFAULT '',
  data        BLOB                        -- NULL until fetched from the server
);

CREATE TABLE event_attachment (
  event_id  TEXT NOT NULL REFERENCES incident_event (id),
  hash      TEXT NOT NULL REFERENCES attachment (hash),
  PRIMARY KEY (event_id, hash)
);
