-- Version 9: attachments — the order of an event's attachments, and on the server who
-- uploaded what. The bytes themselves live in attachment (migration 2), once per hash.

-- The order in which an event names its attachments: the timeline shows them that way.
ALTER TABLE event_attachment ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

-- "Which events show this photo?": the server asks it for every fetch (a token may only read
-- attachments of events its street can see).
CREATE INDEX event_attachment_hash ON event_attachment (hash);

-- The server: who uploaded which attachment. Before an op names it, an attachment is only
-- readable by the street that uploaded it, so a desk can ask whether its own upload
-- arrived; afterwards, by whoever can see the event. On a desk this table stays empty.
CREATE TABLE attachment_upload (
  hash         TEXT NOT NULL REFERENCES attachment (hash),
  account_id   INTEGER NOT NULL REFERENCES account (id),
  street_id    TEXT,                              -- the uploader's street (NULL: district)
  uploaded_at  INTEGER NOT NULL,
  PRIMARY KEY (hash, account_id)
);
