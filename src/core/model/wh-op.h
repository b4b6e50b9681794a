/* wh-op.h — one change to an incident, as a person asked for it
 *
 * An op is what the desk writes to its outbox and what the district server applies. It
 * carries its own UUID (the idempotency key), the incident revision it was based on, who
 * asked, and the action's own fields. Ops are plain values: copy them freely.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wh-lifecycle.h"

G_BEGIN_DECLS

typedef struct {
  char   *id;       /* staff id, or an account name on the server */
  char   *name;     /* shown in the timeline */
  WhRole  role;
  char   *unit_id;  /* the unit a liaison acts for; NULL for the street */
} WhActor;

WhActor    *wh_actor_new              (const char    *id,
                                       const char    *name,
                                       WhRole         role,
                                       const char    *unit_id);
WhActor    *wh_actor_copy             (const WhActor *actor);
void        wh_actor_free             (WhActor       *actor);

typedef struct {
  char       *op_id;        /* UUID */
  char       *incident_id;  /* UUID; for a report, the new incident's id */
  WhAction    action;
  WhActor    *actor;
  char       *unit_id;      /* the unit that reports in or returns; NULL otherwise */
  char       *note;         /* free text: the reason, the result, the progress note */
  gint64      at;           /* when it happened, UTC microseconds */
  gint64      base_rev;     /* the incident revision this op was based on */
  JsonObject *fields;       /* the action's own fields; see wh-incident.c for each action */
} WhOp;

WhOp       *wh_op_new                 (WhAction       action,
                                       const char    *incident_id,
                                       const WhActor *actor,
                                       gint64         at);
WhOp       *wh_op_copy                (const WhOp    *op);
void        wh_op_free                (WhOp          *op);

/* The wire and outbox format. wh_op_from_json() refuses unknown actions and missing keys. */
JsonNode   *wh_op_to_json             (const WhOp    *op);
char       *wh_op_to_string           (const WhOp    *op);
WhOp       *wh_op_from_json           (JsonNode      *node,
                                       GError       **error);

/* Convenience for fields. */
void        wh_op_set_string          (WhOp          *op,
                                       const char    *key,
                                       const char    *value);
void        wh_op_set_int             (WhOp          *op,
                                       const char    *key,
                                       gint64         value);
const char *wh_op_get_string          (const WhOp    *op,
                                       const char    *key);
gint64      wh_op_get_int             (const WhOp    *op,
                                       const char    *key,
                                       gint64         default_value);

/* A random version 4 UUID, or one drawn from @rand for reproducible demo data. */
char       *wh_uuid_new               (GRand         *rand);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhActor, wh_actor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhOp, wh_op_free)

G_END_DECLS
