-- Version 7: the queue — indexes for sorting by any column, and searches of one or two
-- characters. (Reporters merged into an incident need no schema: each is an add_reporter
-- event of the timeline.)

-- Searches shorter than a trigram. Every indexed column ends in two spaces, so that a text
-- of one or two characters occurs in a row exactly when one of the row's trigrams begins
-- with it, even at the end of a column; the vocabularies list those trigrams.
DROP TRIGGER incident_search_insert;
DROP TRIGGER incident_search_update;
DROP TRIGGER incident_note_search_insert;

CREATE TRIGGER incident_search_insert AFTER INSERT ON incident
BEGIN
  INSERT INTO incident_search (rowid, number, title, description, address)
  VALUES (NEW.rowid, NEW.number || '  ', NEW.title || '  ', NEW.description || '  ',
          NEW.address || '  ');
END;

CREATE TRIGGER incident_search_update AFTER UPDATE OF number, title, description, address
  ON incident
  WHEN NEW.number IS NOT OLD.number OR NEW.title IS NOT OLD.title
    OR NEW.description IS NOT OLD.description OR NEW.address IS NOT OLD.address
BEGIN
  UPDATE incident_search
     SET number = NEW.number || '  ', title = NEW.title || '  ',
         description = NEW.description || '  ', address = NEW.address || '  '
   WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER incident_note_search_insert AFTER INSERT ON incident_event
  WHEN NEW.note != ''
BEGIN
  INSERT INTO incident_note_search (rowid, note, incident_rowid)
  VALUES (NEW.rowid, NEW.note || '  ', (SELECT rowid FROM incident WHERE id = NEW.incident_id));
END;

DELETE FROM incident_search;
INSERT INTO incident_search (rowid, number, title, description, address)
SELECT rowid, number || '  ', title || '  ', description || '  ', address || '  ' FROM incident;

DELETE FROM incident_note_search;
INSERT INTO incident_note_search (rowid, note, incident_rowid)
SELECT e.rowid, e.note || '  ', i.rowid
  FROM incident_event e JOIN incident i ON i.id = e.incident_id
 WHERE e.note != '';

CREATE VIRTUAL TABLE incident_search_terms USING fts5vocab (incident_search, 'row');
CREATE VIRTUAL TABLE incident_note_search_terms USING fts5vocab (incident_note_search, 'row');

-- Sorting by every column of the queue. Each index ends in the rowid, the tie-break, so a
-- page is read off an index in either direction. The expressions are exactly those of
-- WH_STORE_SQL_STATUS_ORDER and WH_STORE_SQL_DEADLINE_KEY (wh-store-sql.h).
CREATE INDEX incident_priority ON incident (priority);
CREATE INDEX incident_title ON incident (title);
CREATE INDEX incident_source ON incident (source);
CREATE INDEX incident_status_order ON incident (
  (CASE status WHEN 'reported' THEN 0 WHEN 'not_accepted' THEN 1 WHEN 'registered' THEN 2
   WHEN 'whistled' THEN 3 WHEN 'acknowledged' THEN 4 WHEN 'in_progress' THEN 5
   WHEN 'legal_review' THEN 6 WHEN 'resolved' THEN 7 WHEN 'rework' THEN 8 WHEN 'returned' THEN 9
   WHEN 'escalated' THEN 10 WHEN 'verified' THEN 11 WHEN 'closed' THEN 12 WHEN 'rated' THEN 13
   END));
CREATE INDEX incident_deadline ON incident (
  coalesce ((CASE WHEN status = 'whistled' THEN response_due_at
                  WHEN status IN ('acknowledged', 'in_progress', 'legal_review', 'rework')
                  THEN handling_due_at END), 9223372036854775807));

-- Duplicates of a new report: one category, the last days.
CREATE INDEX incident_category_reported ON incident (category_code, reported_at);

-- "Closed today" reads one day of closings; sorting by lead unit walks the roster in order.
CREATE INDEX incident_status_closed ON incident (status, closed_at);
CREATE INDEX unit_roster ON unit (sort_order);

-- "Awaiting report-in" asks of each running incident whether a unit still has to report in;
-- "mine" whether the officer acted on it. Both without reading the rows.
CREATE INDEX incident_unit_waiting ON incident_unit (incident_id)
  WHERE acknowledged_at IS NULL AND returned_at IS NULL;
CREATE INDEX incident_event_actor ON incident_event (incident_id, actor_id);

-- The unit filter reads incident_unit by unit without touching its rows.
CREATE INDEX incident_unit_unit_incident ON incident_unit (unit_id, incident_id);
DROP INDEX incident_unit_unit;
