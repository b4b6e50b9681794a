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
#include "wh-work-calendar.h"

G_BEGIN_DECLS

typedef enum {
  WH_APPLY_NONE          = 0,
  WH_APPLY_RECORD_OUTBOX = 1 << 0, /* the desk: queue the op for the district server */
} WhApplyFlags;

/* The ready-made views of the queue (DOMAIN.md: the duty officer's day), each judged at
 * WhIncidentQuery.now. "Open" is wh_status_is_open(): not not accepted, closed or rated;
 * "the running deadline" is the one wh_incident_time_left() counts down: the response
 * deadline while whistled, the handling deadline while acknowledged, in progress, in legal
 * review or in rework, none otherwise. */
typedef enum {
  WH_INCIDENT_VIEW_ALL,                   /* every incident */
  WH_INCIDENT_VIEW_OPEN,                  /* open */
  WH_INCIDENT_VIEW_AWAITING_WHISTLE,      /* reported or registered, or returned by a unit:
                                           * the street must register, dispatch or
                                           * dispatch again */
  WH_INCIDENT_VIEW_AWAITING_REPORT_IN,    /* a deadline runs and a summoned unit (not
                                           * returned) has not reported in: the lead unit
                                           * while whistled, cooperating units later */
  WH_INCIDENT_VIEW_IN_PROGRESS,           /* acknowledged, in progress, legal review, rework */
  WH_INCIDENT_VIEW_AWAITING_VERIFICATION, /* resolved (反馈 given): the street must verify */
  WH_INCIDENT_VIEW_OVERDUE,               /* the running deadline lies before now */
  WH_INCIDENT_VIEW_ESCALATED,             /* open, and escalated to the district at least
                                           * once (still there, or whistled back) */
  WH_INCIDENT_VIEW_RETURNED,              /* open, and returned by a unit at least once */
  WH_INCIDENT_VIEW_CLOSED_TODAY,          /* closed or rated, closed on now's local day
                                           * (Asia/Shanghai, midnight to midnight) */
  WH_INCIDENT_VIEW_MINE,                  /* open, and query.actor_id took a step of its
                                           * timeline; nothing without an actor_id */
  WH_N_INCIDENT_VIEWS
} WhIncidentView;

/* The columns of the queue; any of them sorts the list, both ways, with the row's place in
 * the table (its rowid) breaking ties, so that pages never repeat or skip a row. */
typedef enum {
  WH_INCIDENT_COLUMN_REPORTED,   /* the default: newest first when descending */
  WH_INCIDENT_COLUMN_NUMBER,
  WH_INCIDENT_COLUMN_PRIORITY,
  WH_INCIDENT_COLUMN_CATEGORY,   /* by code: a class, then its subcategories */
  WH_INCIDENT_COLUMN_TITLE,      /* by the text's bytes (UTF-8, code point order) */
  WH_INCIDENT_COLUMN_GRID,       /* by code: cells by community; none first */
  WH_INCIDENT_COLUMN_LEAD_UNIT,  /* by the roster (unit.sort_order, then the unit's row);
                                  * none first */
  WH_INCIDENT_COLUMN_STATUS,     /* along the lifecycle: the order of WhStatus */
  WH_INCIDENT_COLUMN_DEADLINE,   /* the running deadline; none counts as the farthest */
  WH_INCIDENT_COLUMN_SOURCE,
  WH_INCIDENT_COLUMN_UPDATED,    /* the last change */
  WH_N_INCIDENT_COLUMNS
} WhIncidentColumn;

/* Which incidents to list, and in what order. wh_incident_query_init() gives all
 * incidents, newest first; every filter left NULL / -1 / 0 does not filter. Strings are
 * borrowed: the caller keeps them alive while the query is used. Filters combine with the
 * view and with each other (AND). */
typedef struct {
  WhIncidentView    view;
  gint64            now;           /* the time views and deadlines are judged at (UTC µs);
                                    * 0: the real time now */
  const char       *actor_id;      /* whose incidents WH_INCIDENT_VIEW_MINE lists */
  int               status;        /* a WhStatus, or -1 for any */
  const char       *category_code; /* a category, or a first-level class and all below it
                                    * (category.parent_code) */
  const char       *community_id;  /* the cells of one community */
  const char       *grid_id;
  const char       *unit_id;       /* summoned by the current whistle, as lead or
                                    * cooperating unit (incident_unit) */
  const char       *source;        /* e.g. "hotline" */
  int               priority;      /* a priority level, or -1 for any */
  gint64            reported_from; /* 0: no lower bound (inclusive) */
  gint64            reported_to;   /* 0: no upper bound (exclusive) */
  const char       *search;        /* a text in the number, title, description, address
                                    * or a note: any substring of one character or more
                                    * (FTS5 trigrams; shorter texts through the index's
                                    * vocabulary). Letters match in either case; the
                                    * reporters' contacts are not searched. */
  WhIncidentColumn  sort_column;
  gboolean          descending;
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

/* The number of incidents of @query (0 with @error set on failure). Remembered until the
 * data changes, so asking again, for example after a change of order, costs nothing. */
guint            wh_incident_store_count        (WhIncidentStore       *self,
                                                 const WhIncidentQuery *query,
                                                 GError               **error);

/* Returns: (transfer full) (element-type WhIncident): one page of the query. For speed the
 * rows come without their summoned units (units is empty): ask wh_incident_store_get().
 * With a million incidents a count and its first page take a few milliseconds to a few
 * tens (bench/queue-bench.c); a search of a single character takes longer. */
GPtrArray       *wh_incident_store_list         (WhIncidentStore       *self,
                                                 const WhIncidentQuery *query,
                                                 guint                  offset,
                                                 guint                  limit,
                                                 GError               **error);

/* What counts as the same matter reported twice: same category, this close, this soon. */
#define WH_DUPLICATE_RADIUS_M 100.0
#define WH_DUPLICATE_WINDOW   (7 * G_TIME_SPAN_DAY)

/**
 * wh_incident_store_find_duplicates:
 * @category_code: the category of the new report
 * @lon: where it is, WGS84
 * @lat: likewise
 * @at: when it is reported, UTC microseconds
 *
 * The open incidents of exactly @category_code within %WH_DUPLICATE_RADIUS_M metres
 * (great-circle distance) of @lon, @lat, reported in the %WH_DUPLICATE_WINDOW before @at
 * (both ends included): the candidates for merging a new report into
 * (%WH_ACTION_ADD_REPORTER). Incidents without a location are never candidates.
 *
 * Returns: (transfer full) (element-type WhIncident): the candidates with their summoned
 *   units, nearest first (then newest first), or %NULL with @error set
 */
GPtrArray       *wh_incident_store_find_duplicates (WhIncidentStore *self,
                                                    const char      *category_code,
                                                    double           lon,
                                                    double           lat,
                                                    gint64           at,
                                                    GError         **error);

/* The next human number for an incident reported at @at: STREET-YYYYMMDD-NNNN. */
char            *wh_incident_store_next_number  (WhIncidentStore       *self,
                                                 const char            *street_id,
                                                 gint64                 at,
                                                 GError               **error);

/* The street's working calendar: working hours in the street's time zone, with the
 * holidays and make-up working days of table calendar_exception. Deadlines are computed on
 * it, so a form previewing them should ask for this one. */
WhWorkCalendar  *wh_incident_store_load_calendar (WhIncidentStore       *self,
                                                 GError               **error);

/* Ops waiting in the outbox for the district server. */
guint            wh_incident_store_count_outbox (WhIncidentStore       *self,
                                                 GError               **error);

G_END_DECLS
