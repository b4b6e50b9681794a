/* wh-incident-store.h — incidents in the database: read them, change them
 *
 * Every change is one transaction that writes the timeline event, the incident projection
 * and (on the desk) the outbox row together, so that a failure anywhere leaves nothing
 * half-written. Pages never write SQL; they ask this store.
 */
#pragma once

#include "wh-db.h"
#include "wh-incident.h"
#include "wh-op.h"

G_BEGIN_DECLS

typedef enum {
  WH_APPLY_NONE          = 0,
  WH_APPLY_RECORD_OUTBOX = 1 << 0, /* the desk: queue the op for the district server */
} WhApplyFlags;

typedef enum {
  WH_INCIDENT_SORT_REPORTED,   /* newest first */
  WH_INCIDENT_SORT_DEADLINE,   /* soonest deadline first */
  WH_INCIDENT_SORT_UPDATED,    /* last change first */
} WhIncidentSort;

/* Which incidents to list. A zeroed query lists all of them, newest first. */
typedef struct {
  gboolean        open_only;
  int             status;        /* a WhStatus, or -1 for any */
  const char     *unit_id;       /* lead unit, or NULL */
  const char     *grid_id;       /* or NULL */
  gint64          reported_from; /* 0: no lower bound */
  gint64          reported_to;   /* 0: no upper bound */
  const char     *search;        /* words in number, title, description, address or notes */
  WhIncidentSort  sort;
} WhIncidentQuery;

void wh_incident_query_init (WhIncidentQuery *query);

#define WH_TYPE_INCIDENT_STORE (wh_incident_store_get_type ())
G_DECLARE_FINAL_TYPE (WhIncidentStore, wh_incident_store, WH, INCIDENT_STORE, GObject)

WhIncidentStore *wh_incident_store_new          (WhDb                  *db);
WhDb            *wh_incident_store_get_db       (WhIncidentStore       *self);

/**
 * wh_incident_store_apply:
 * @op: the change; for %WH_ACTION_REPORT it creates the incident
 * @flags: %WH_APPLY_RECORD_OUTBOX on the desk
 * @error: WH_INCIDENT_ERROR_* when the lifecycle refuses, WH_DB_ERROR_* on storage failure
 *
 * Checks @op against the lifecycle and writes event, projection and outbox row in one
 * transaction. A whistle without explicit deadlines gets them from the category's limits.
 * Emits ::changed after the commit.
 *
 * Returns: (transfer full): the new event, or %NULL and nothing written
 */
WhIncidentEvent *wh_incident_store_apply        (WhIncidentStore       *self,
                                                 const WhOp            *op,
                                                 WhApplyFlags           flags,
                                                 GError               **error);

/* Writes a projection and the events it came from as they are (demo data, sync pulls):
 * one transaction, no outbox. Events already stored are skipped. */
gboolean         wh_incident_store_import       (WhIncidentStore       *self,
                                                 WhIncident            *incident,
                                                 GPtrArray             *events,
                                                 GError               **error);

/* The same for many incidents (@incidents of WhIncident, @event_lists of GPtrArray of their
 * events, in step): one transaction, or, inside the caller's transaction, no savepoint at
 * all (a failure then leaves the caller to roll back). A savepoint per incident, or one
 * around a long batch, makes SQLite and full-text search (FTS5) redo work per statement. */
gboolean         wh_incident_store_import_many  (WhIncidentStore       *self,
                                                 GPtrArray             *incidents,
                                                 GPtrArray             *event_lists,
                                                 GError               **error);

WhIncident      *wh_incident_store_get          (WhIncidentStore       *self,
                                                 const char            *incident_id,
                                                 GError               **error);

/* Returns: (transfer full) (element-type WhIncidentEvent): the timeline, oldest first */
GPtrArray       *wh_incident_store_list_events  (WhIncidentStore       *self,
                                                 const char            *incident_id,
                                                 GError               **error);

guint            wh_incident_store_count        (WhIncidentStore       *self,
                                                 const WhIncidentQuery *query,
                                                 GError               **error);

/* Returns: (transfer full) (element-type WhIncident): one page of the query. For speed the
 * rows come without their summoned units (units is empty): ask wh_incident_store_get(). */
GPtrArray       *wh_incident_store_list         (WhIncidentStore       *self,
                                                 const WhIncidentQuery *query,
                                                 guint                  offset,
                                                 guint                  limit,
                                                 GError               **error);

/* The next human number for an incident reported at @at: STREET-YYYYMMDD-NNNN. */
char            *wh_incident_store_next_number  (WhIncidentStore       *self,
                                                 const char            *street_id,
                                                 gint64                 at,
                                                 GError               **error);

/* Ops waiting in the outbox for the district server. */
guint            wh_incident_store_count_outbox (WhIncidentStore       *self,
                                                 GError               **error);

G_END_DECLS
