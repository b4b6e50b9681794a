-- Version 5: full-text search over incidents and the notes of their timelines.
-- The trigram tokenizer indexes every three-character run, so a Chinese phrase is found
-- without a word list; shorter queries fall back to LIKE over the same tables.

-- One row per incident, keyed by incident.rowid (stable: the store writes with an upsert).
CREATE VIRTUAL TABLE incident_search USING fts5 (
  number, title, description, address,
  tokenize = 'trigram'
);

-- One row per timeline note, keyed by incident_event.rowid: the timeline is append-only, so
-- a note is indexed once and never rewritten.
CREATE VIRTUAL TABLE incident_note_search USING fts5 (
  note, incident_rowid UNINDEXED,
  tokenize = 'trigram'
);

CREATE TRIGGER incident_search_insert AFTER INSERT ON incident
BEGIN
  INSERT INTO incident_search (rowid, number, title, description, address)
  VALUES (NEW.rowid, NEW.number, NEW.title, NEW.description, NEW.address);
END;

-- The store rewrites the whole row on every change; only a change of the text itself may
-- cost a rewrite of the index entry.
CREATE TRIGGER incident_search_update AFTER UPDATE OF number, title, description, address
  ON incident
  WHEN NEW.number IS NOT OLD.number OR NEW.title IS NOT OLD.title
    OR NEW.description IS NOT OLD.description OR NEW.address IS NOT OLD.address
BEGIN
  UPDATE incident_search
     SET number = NEW.number, title = NEW.title, description = NEW.description,
         address = NEW.address
   WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER incident_note_search_insert AFTER INSERT ON incident_event
  WHEN NEW.note != ''
BEGIN
  INSERT INTO incident_note_search (rowid, note, incident_rowid)
  VALUES (NEW.rowid, NEW.note, (SELECT rowid FROM incident WHERE id = NEW.incident_id));
END;

INSERT INTO incident_search (rowid, number, title, description, address)
SELECT rowid, number, title, description, address FROM incident;

INSERT INTO incident_note_search (rowid, note, incident_rowid)
SELECT e.rowid, e.note, i.rowid
  FROM incident_event e JOIN incident i ON i.id = e.incident_id
 WHERE e.note != '';
