-- Version 8: the Open311 GeoReport v2 face — API keys and the requests that came in through it.
-- The server's tables; a desk has them too (one schema for both programs), but there they
-- stay empty.

-- Keys of outside systems (the 12345 hotline, a citizen app). Each is bound to one street and
-- can only report incidents into it and read back what came in through Open311 there. Only
-- the key's SHA-256 is kept, like session tokens: a copy of the database lets nobody post.
CREATE TABLE open311_api_key (
  id          INTEGER PRIMARY KEY,
  key_hash    TEXT NOT NULL UNIQUE,             -- SHA-256 of the key, hex
  name        TEXT NOT NULL,                    -- who holds it, e.g. "12345 hotline"
  street_id   TEXT NOT NULL REFERENCES street (id),
  source      TEXT NOT NULL DEFAULT 'hotline'   -- incident.source of what it reports
              CHECK (source IN ('patrol', 'hotline', 'video', 'walk_in', 'community', 'district')),
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER,
  UNIQUE (street_id, name)
);

-- One row per incident created through Open311: the spec's token, the client's
-- Idempotency-Key (a retry gets the first answer, not a second incident), and the contact
-- and photo fields the incident table has no column for. Never shown to Open311 readers.
CREATE TABLE open311_request (
  incident_id      TEXT PRIMARY KEY REFERENCES incident (id),
  street_id        TEXT NOT NULL REFERENCES street (id),
  api_key_id       INTEGER NOT NULL REFERENCES open311_api_key (id),
  token            TEXT NOT NULL UNIQUE,        -- the spec's token, a UUID
  idempotency_key  TEXT,                        -- NULL: the client sent none
  request_hash     TEXT NOT NULL,               -- SHA-256 of the request's fields
  email            TEXT NOT NULL DEFAULT '',
  media_url        TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  UNIQUE (api_key_id, idempotency_key)
);
CREATE INDEX open311_request_street ON open311_request (street_id, created_at);
