/* wh-event-attachments.h — the photos and documents a timeline event names
 *
 * An op names its attachments in the field "attachments": a list of hashes (at most
 * WH_ATTACHMENT_MAX_PER_EVENT, no repeats), which stays in the event's payload. Whenever an
 * event is written (WhIncidentStore), the names become event_attachment rows in the same
 * transaction:
 *   - an event made here from an op (the desk's own change, an op the server applies) may
 *     only name attachments whose bytes are stored here: on the server that means uploaded,
 *     and an op naming one that is not is refused, with nothing written;
 *   - an event that came from elsewhere (a page of the changes feed, a conflict's record)
 *     brings the descriptions of its attachments (wh_event_set_attachments(), read from the
 *     wire); those are described first, and the bytes are fetched when somebody looks.
 */
#pragma once

#include "wh-attachment-store.h"
#include "wh-incident.h"

G_BEGIN_DECLS

/**
 * wh_event_attachments_check_field:
 * @fields: an op's fields, or an event's payload
 * @error: %WH_INCIDENT_ERROR_INVALID when "attachments" is not a list of distinct hashes
 *
 * Returns: whether the "attachments" field, when there is one, is well formed
 */
gboolean   wh_event_attachments_check_field (JsonObject       *fields,
                                             GError          **error);

/* Returns: (transfer container) (element-type utf8): the hashes @payload names, in order;
 * the strings belong to @payload. Empty when it names none or the field is malformed. */
GPtrArray *wh_event_attachments_get_hashes  (JsonObject       *payload);

/* Adds @hash to the attachments @op names (once). */
void       wh_op_add_attachment             (WhOp             *op,
                                             const char       *hash);

/* The descriptions of the event's attachments as the wire carries them: set by the reader of
 * the wire and by wh_event_attachments_load(); %NULL when none are known. */
void       wh_event_set_attachments         (WhIncidentEvent  *event,
                                             GPtrArray        *attachments);
GPtrArray *wh_event_get_attachments         (WhIncidentEvent  *event);

/**
 * wh_event_attachments_write:
 * @event: an event just written (or, when @imported, already there)
 * @imported: the event came from elsewhere with its descriptions; %FALSE: it was made here
 *   from an op, and every attachment it names must be stored here with its bytes
 * @error: %WH_INCIDENT_ERROR_INVALID for a malformed field or an attachment that has not
 *   been uploaded; a WH_DB_ERROR
 *
 * Writes the event_attachment rows of @event. Call inside the event's transaction.
 */
gboolean   wh_event_attachments_write       (WhDb             *db,
                                             WhIncidentEvent  *event,
                                             gboolean          imported,
                                             GError          **error);

/**
 * wh_event_attachments_load:
 * @events: (element-type WhIncidentEvent): events of @incident_id
 *
 * Sets the descriptions of their attachments on those of @events that name any (one query
 * for the incident, none when no event names an attachment): the feed sends them along.
 */
gboolean   wh_event_attachments_load        (WhDb             *db,
                                             const char       *incident_id,
                                             GPtrArray        *events,
                                             GError          **error);

G_END_DECLS
