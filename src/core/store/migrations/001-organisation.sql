-- Version 1: the organisation of a street and its category catalogue.
-- Times are UTC microseconds since the epoch; geometry is WGS84 lon/lat.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE street (
  id          TEXT PRIMARY KEY,          -- 9-digit code: district (6) + street (3)
  name        TEXT NOT NULL,
  district    TEXT NOT NULL,
  center_lon  REAL NOT NULL,
  center_lat  REAL NOT NULL
);

CREATE TABLE community (
  id         TEXT PRIMARY KEY,           -- 12-digit code: street (9) + community (3)
  street_id  TEXT NOT NULL REFERENCES street (id),
  name       TEXT NOT NULL
);

CREATE TABLE grid_cell (
  id            TEXT PRIMARY KEY,        -- 15-digit code: community (12) + sequence (3)
  community_id  TEXT NOT NULL REFERENCES community (id),
  name          TEXT NOT NULL,
  polygon       TEXT NOT NULL,           -- GeoJSON Polygon, WGS84
  centroid_lon  REAL NOT NULL,
  centroid_lat  REAL NOT NULL
);
CREATE INDEX grid_cell_community ON grid_cell (community_id);

-- Bounding boxes of grid cells, keyed by grid_cell.rowid, for point-in-polygon lookups.
CREATE VIRTUAL TABLE grid_cell_bounds USING rtree (
  id, min_lon, max_lon, min_lat, max_lat
);

CREATE TABLE unit (
  id                 TEXT PRIMARY KEY,
  street_id          TEXT NOT NULL REFERENCES street (id),
  name               TEXT NOT NULL,
  short_name         TEXT NOT NULL,
  kind               TEXT NOT NULL CHECK (kind IN ('stationed', 'listed', 'street_office',
                                                   'community', 'district')),
  parent_department  TEXT NOT NULL DEFAULT '',
  phone              TEXT NOT NULL DEFAULT '',
  sort_order         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE staff (
  id               TEXT PRIMARY KEY,
  unit_id          TEXT NOT NULL REFERENCES unit (id),
  name             TEXT NOT NULL,
  role             TEXT NOT NULL CHECK (role IN ('director', 'duty_officer', 'unit_liaison',
                                                 'enforcer', 'grid_worker', 'viewer')),
  title            TEXT NOT NULL DEFAULT '',
  phone            TEXT NOT NULL DEFAULT '',
  stationed_since  INTEGER,
  stationed_until  INTEGER
);
CREATE INDEX staff_unit ON staff (unit_id);

CREATE TABLE duty_shift (
  id         INTEGER PRIMARY KEY,
  staff_id   TEXT NOT NULL REFERENCES staff (id),
  post       TEXT NOT NULL CHECK (post IN ('center_duty', 'unit_duty', 'leader_on_call')),
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER NOT NULL CHECK (ends_at > starts_at)
);
CREATE INDEX duty_shift_time ON duty_shift (starts_at, ends_at);

-- Priorities shorten the time limits of every category by their factor.
CREATE TABLE priority (
  level   INTEGER PRIMARY KEY,             -- 0 normal, 1 urgent, 2 critical
  name    TEXT NOT NULL,
  factor  REAL NOT NULL CHECK (factor > 0 AND factor <= 1)
);

-- Two-level catalogue: a class (parent_code NULL) and its subcategories.
CREATE TABLE category (
  code               TEXT PRIMARY KEY,
  parent_code        TEXT REFERENCES category (code),
  name               TEXT NOT NULL,
  kind               TEXT NOT NULL CHECK (kind IN ('component', 'event')),
  default_lead_unit  TEXT REFERENCES unit (id),
  response_minutes   INTEGER NOT NULL CHECK (response_minutes > 0),
  handling_minutes   INTEGER NOT NULL CHECK (handling_minutes > 0),
  working_hours      INTEGER NOT NULL DEFAULT 1,  -- 1: limits count working hours only
  major              INTEGER NOT NULL DEFAULT 0   -- 1: enforcement needs legal review
);
CREATE INDEX category_parent ON category (parent_code);

-- Every grid cell has, for every class of matter, a named responsible person.
CREATE TABLE grid_duty (
  grid_id        TEXT NOT NULL REFERENCES grid_cell (id),
  category_code  TEXT NOT NULL REFERENCES category (code),
  staff_id       TEXT NOT NULL REFERENCES staff (id),
  PRIMARY KEY (grid_id, category_code)
);

-- Public holidays and make-up working days that override the Monday–Friday week.
CREATE TABLE calendar_exception (
  day         TEXT PRIMARY KEY,            -- YYYY-MM-DD, in the street's time zone
  is_workday  INTEGER NOT NULL,
  name        TEXT NOT NULL DEFAULT ''
);
