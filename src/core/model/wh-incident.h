/* wh-incident.h — an incident as the projection of its timeline
 *
 * The timeline (incident_event) is the truth; an WhIncident is what its events add up to.
 * wh_incident_apply_op() checks an op against the lifecycle rules and, when allowed, turns it
 * into the next event and folds that into the projection. It is pure: the store, the server
 * and the demo generator all use it, and only the store writes.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wh-lifecycle.h"
#include "wh-op.h"

G_BEGIN_DECLS

#define WH_INCIDENT_ERROR (wh_incident_error_quark ())

typedef enum {
  WH_INCIDENT_ERROR_REFUSED,   /* the lifecycle does not allow it; the message says why */
  WH_INCIDENT_ERROR_INVALID,   /* a field is missing or malformed */
  WH_INCIDENT_ERROR_NOT_FOUND,
  WH_INCIDENT_ERROR_CONFLICT,  /* based on an older revision, and the step no longer fits */
} WhIncidentError;

GQuark wh_incident_error_quark (void);

/* One summoned unit and its own progress (each reports in separately). */
typedef struct {
  char    *unit_id;
  gboolean lead;
  gint64   whistled_at;
  gint64   acknowledged_at;  /* 0: not yet */
  gint64   returned_at;      /* 0: not returned */
  char    *return_reason;
} WhIncidentUnit;

void wh_incident_unit_free (WhIncidentUnit *unit);

#define WH_TYPE_INCIDENT_EVENT (wh_incident_event_get_type ())
G_DECLARE_FINAL_TYPE (WhIncidentEvent, wh_incident_event, WH, INCIDENT_EVENT, GObject)

/* Fields are public and read-only outside wh-incident.c and the store. */
struct _WhIncidentEvent {
  GObject     parent_instance;
  char       *id;
  char       *incident_id;
  gint64      seq;
  WhAction    action;
  WhStatus    from_status;   /* meaningless for the first (report) event */
  WhStatus    to_status;
  char       *actor_id;
  char       *actor_name;
  WhRole      actor_role;
  char       *unit_id;
  gint64      at;
  char       *note;
  JsonObject *payload;
};

WhIncidentEvent *wh_incident_event_new (void);

#define WH_TYPE_INCIDENT (wh_incident_get_type ())
G_DECLARE_FINAL_TYPE (WhIncident, wh_incident, WH, INCIDENT, GObject)

struct _WhIncident {
  GObject    parent_instance;
  char      *id;
  char      *number;
  char      *street_id;
  char      *source;          /* patrol, hotline, video, walk_in, community, district */
  char      *category_code;
  char      *title;
  char      *description;
  char      *address;
  gboolean   has_location;
  double     lon;
  double     lat;
  char      *grid_id;
  int        priority;        /* 0 normal, 1 urgent, 2 critical */
  WhStatus   status;
  char      *lead_unit_id;
  char      *reporter_name;
  char      *reporter_phone;
  gint64     reported_at;
  gint64     registered_at;
  gint64     whistled_at;
  gint64     response_due_at;
  gint64     handling_due_at;
  gint64     resolved_at;
  gint64     closed_at;
  char      *legal_review;    /* none, requested, approved, refused */
  int        rating;          /* 1..5, 0 when not rated */
  int        rework_count;
  int        return_count;
  gboolean   escalated;
  gint64     last_seq;
  gint64     rev;
  gint64     updated_at;
  GPtrArray *units;           /* of WhIncidentUnit */
};

WhIncident      *wh_incident_new             (void);

/* The summoned unit with @unit_id, or NULL. */
WhIncidentUnit  *wh_incident_find_unit       (WhIncident     *self,
                                              const char     *unit_id);

/* The facts the lifecycle needs, from the point of view of @unit_id (may be NULL). */
void             wh_incident_get_facts       (WhIncident       *self,
                                              const char       *unit_id,
                                              gboolean          major,
                                              WhLifecycleFacts *facts);

/**
 * wh_incident_apply_op:
 * @self: the projection; for a report, a fresh wh_incident_new()
 * @op: the op to apply
 * @major: whether the incident's category needs legal review
 * @error: WH_INCIDENT_ERROR_REFUSED with a translated reason, or _INVALID
 *
 * Checks @op against the lifecycle and its fields, then folds it into @self.
 *
 * Returns: (transfer full): the new timeline event, or %NULL with @self untouched
 */
WhIncidentEvent *wh_incident_apply_op        (WhIncident     *self,
                                              const WhOp     *op,
                                              gboolean        major,
                                              GError        **error);

/* Folds one already-checked event into the projection (used when replaying a timeline). */
void             wh_incident_apply_event     (WhIncident      *self,
                                              WhIncidentEvent *event);

/* Time left until the deadline that matters now (response, then handling); G_MAXINT64
 * when no deadline runs. Negative when overdue. */
gint64           wh_incident_time_left       (WhIncident     *self,
                                              gint64          now);

G_END_DECLS
