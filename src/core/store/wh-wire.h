/* wh-wire.h — the JSON that the desk and the district server exchange
 *
 * One place for the formats of API v1, used by the server to write them and by the desk's
 * sync engine to read them, so the two can never drift apart:
 *
 *   incident   the projection: every column of the incident row, times as UTC
 *              microseconds (null when unset), "units" for the summoned units
 *   event      one entry of the timeline, as stored (id, seq, action, statuses, actor,
 *              unit, at, note, payload), and "attachments" when its payload names any:
 *              [{hash, mime_type, size, name}] (see wh-event-attachments.h)
 *   op result  the server's answer to one op: applied | duplicate | conflict | rejected
 *              (| error: a storage failure, nothing stored, send the op again later)
 *   change     one row of the changes feed: an incident with the events a reader at the
 *              page's cursor has not seen, or a tombstone for something deleted
 *
 * Ops themselves are wh_op_to_json() / wh_op_from_json() (wh-op.h). Readers refuse values
 * of the wrong type and missing required members, but ignore members they do not know, so
 * that a newer server can add a column without breaking older desks.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wh-incident.h"

G_BEGIN_DECLS

#define WH_WIRE_ERROR (wh_wire_error_quark ())

typedef enum {
  WH_WIRE_ERROR_MALFORMED, /* a member is missing or has the wrong type */
} WhWireError;

GQuark           wh_wire_error_quark          (void);

/* Incidents and events */

JsonNode        *wh_wire_incident_to_json     (WhIncident       *incident);

/**
 * wh_wire_incident_from_json:
 * @node: an incident object as written by wh_wire_incident_to_json()
 * @error: %WH_WIRE_ERROR_MALFORMED naming the member at fault
 *
 * Returns: (transfer full): the projection, or %NULL
 */
WhIncident      *wh_wire_incident_from_json   (JsonNode         *node,
                                               GError          **error);

JsonNode        *wh_wire_event_to_json        (WhIncidentEvent  *event);

/**
 * wh_wire_event_from_json:
 * @node: an event object as written by wh_wire_event_to_json()
 * @error: %WH_WIRE_ERROR_MALFORMED naming the member at fault
 *
 * Returns: (transfer full): the event, or %NULL
 */
WhIncidentEvent *wh_wire_event_from_json      (JsonNode         *node,
                                               GError          **error);

/* Op results */

typedef enum {
  WH_OP_OUTCOME_APPLIED,    /* written; rev is the incident's new revision */
  WH_OP_OUTCOME_DUPLICATE,  /* seen before; first_outcome and the rest repeat that answer */
  WH_OP_OUTCOME_CONFLICT,   /* based on an older revision and no longer fits: see incident */
  WH_OP_OUTCOME_REJECTED,   /* refused for good; reason says why */
  WH_OP_OUTCOME_ERROR,      /* the server could not store it now: nothing written, retry */
} WhOpOutcome;

const char      *wh_op_outcome_to_string      (WhOpOutcome       outcome);
gboolean         wh_op_outcome_from_string    (const char       *str,
                                               WhOpOutcome      *outcome);

typedef struct {
  char        *op_id;
  WhOpOutcome  outcome;
  WhOpOutcome  first_outcome; /* a duplicate's first answer; else equal to outcome */
  gint64       rev;           /* the incident's revision after the op (0 when none) */
  char        *code;          /* why, for programs: refused, invalid, not_found, forbidden,
                               * bad_rev, op_id_taken (rejected); stale (conflict); storage,
                               * not_attempted (error); NULL when applied */
  char        *reason;        /* why, for people, translated; NULL when applied */
  WhIncident  *incident;      /* a conflict's current record, else NULL */
  GPtrArray   *events;        /* a conflict's current timeline (of WhIncidentEvent), or NULL */
} WhOpResult;

WhOpResult      *wh_op_result_new             (const char       *op_id,
                                               WhOpOutcome       outcome);
void             wh_op_result_free            (WhOpResult       *result);
JsonNode        *wh_op_result_to_json         (const WhOpResult *result);

/**
 * wh_op_result_from_json:
 * @node: an answer object of `POST /api/v1/ops`
 * @error: %WH_WIRE_ERROR_MALFORMED
 *
 * Returns: (transfer full): the answer, or %NULL
 */
WhOpResult      *wh_op_result_from_json       (JsonNode         *node,
                                               GError          **error);

/* The changes feed */

typedef struct {
  gint64           seq;
  gboolean         tombstone;
  char            *entity;     /* "incident" */
  char            *entity_id;
  char            *street_id;
  gint64           rev;
  WhIncident      *incident;   /* NULL for a tombstone */
  GPtrArray       *events;     /* of WhIncidentEvent: those after the page's cursor */
} WhChange;

typedef struct {
  GPtrArray *changes;          /* of WhChange, by seq */
  gint64     next_since;       /* the cursor to ask with next (and to store once committed) */
  gboolean   more;             /* another page follows right away */
  gint64     latest;           /* the newest seq the reader may see */
  gint64     remaining;        /* changes after next_since, for a progress bar */
} WhChangePage;

void             wh_change_free               (WhChange         *change);
JsonNode        *wh_change_to_json            (const WhChange   *change);
void             wh_change_page_free          (WhChangePage     *page);
JsonNode        *wh_change_page_to_json       (const WhChangePage *page);

/**
 * wh_change_page_from_json:
 * @node: the answer of `GET /api/v1/changes`
 * @error: %WH_WIRE_ERROR_MALFORMED
 *
 * Returns: (transfer full): the page, or %NULL
 */
WhChangePage    *wh_change_page_from_json     (JsonNode         *node,
                                               GError          **error);

/* Errors of the API: {"error": {"code": "...", "message": "..."}} */
JsonNode        *wh_wire_error_to_json        (const char       *code,
                                               const char       *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhOpResult, wh_op_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhChange, wh_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhChangePage, wh_change_page_free)

G_END_DECLS
