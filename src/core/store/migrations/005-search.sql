-- Version 5: full-text search over incidents.
-- The trigram tokenizer indexes every three-character run, so a Chinese phrase is found
-- without a word list; shorter queries fall back to LIKE over the same table.

CREATE VIRTUAL TABLE incident_search USING fts5 (
  number, title, description, address, notes,
  tokenize = 'trigram'
);

-- Keyed by incident.rowid, which never changes: the store writes incidents with an upsert.
CREATE TRIGGER incident_search_insert AFTER INSERT ON incident
BEGIN
  INSERT INTO incident_search (rowid, number, title, description, address, notes)
  VALUES (NEW.rowid, NEW.number, NEW.title, NEW.description, NEW.address, '');
END;

CREATE TRIGGER incident_search_update AFTER UPDATE OF number, title, description, address
  ON incident
BEGIN
  UPDATE incident_search
     SET number = NEW.number, title = NEW.title, description = NEW.description,
         address = NEW.address
   WHERE rowid = NEW.rowid;
END;

-- Notes of the timeline (reasons, results, progress notes) are searchable too.
CREATE TRIGGER incident_search_note AFTER INSERT ON incident_event
  WHEN NEW.note != ''
BEGIN
  UPDATE incident_search
     SET notes = notes || char (10) || NEW.note
   WHERE rowid = (SELECT rowid FROM incident WHERE id = NEW.incident_id);
END;

INSERT INTO incident_search (rowid, number, title, description, address, notes)
SELECT i.rowid, i.number, i.title, i.description, i.address,
       coalesce ((SELECT group_concat (e.note, char (10)) FROM incident_event e
                   WHERE e.incident_id = i.id AND e.note != ''), '')
  FROM incident i;
