-- Version 3: what waits to be sent to the district server, and the assessment ledger.

CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- replay order
  op_id        TEXT NOT NULL UNIQUE,               -- UUID, the server's idempotency key
  kind         TEXT NOT NULL,
  incident_id  TEXT,
  base_rev     INTEGER,
  payload      TEXT NOT NULL,                      -- JSON
  created_at   INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sync_state (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  server_url       TEXT NOT NULL DEFAULT '',
  cursor           INTEGER NOT NULL DEFAULT 0,
  last_success_at  INTEGER,
  last_error       TEXT NOT NULL DEFAULT ''
);
INSERT INTO sync_state (id) VALUES (1);

-- Daily checks (日检查) of a unit along one dimension of the assessment.
CREATE TABLE check_entry (
  id            TEXT PRIMARY KEY,
  day           TEXT NOT NULL,              -- YYYY-MM-DD
  unit_id       TEXT NOT NULL REFERENCES unit (id),
  dimension     TEXT NOT NULL CHECK (dimension IN ('responsibility', 'resolution',
                                                   'cooperation', 'team')),
  score         REAL NOT NULL CHECK (score >= 0 AND score <= 100),
  note          TEXT NOT NULL DEFAULT '',
  inspector_id  TEXT REFERENCES staff (id),
  created_at    INTEGER NOT NULL
);
CREATE INDEX check_entry_unit_day ON check_entry (unit_id, day);

-- Weights of the dimensions and incident measures, per unit kind and period.
CREATE TABLE assessment_scheme (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  unit_kind   TEXT NOT NULL,
  valid_from  TEXT NOT NULL,                -- YYYY-MM-DD
  weights     TEXT NOT NULL                 -- JSON: {"satisfaction": 0.5, ...}
);
