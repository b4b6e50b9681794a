/* wh-queue-filter.h — what the queue shows now: view, filters, search and sort
 *
 * One filter per window, shared by the queue page (which lists it) and the map page (which
 * draws the same incidents). Every string is owned by the filter. Any change emits
 * "changed" once; changes made between g_object_freeze_notify() and g_object_thaw_notify()
 * emit it once for all of them.
 */
#pragma once

#include <gio/gio.h>

#include "wh-incident-store.h"

G_BEGIN_DECLS

#define WH_TYPE_QUEUE_FILTER (wh_queue_filter_get_type ())
G_DECLARE_FINAL_TYPE (WhQueueFilter, wh_queue_filter, WH, QUEUE_FILTER, GObject)

/* Returns: (transfer full): all open incidents (WH_INCIDENT_VIEW_OPEN), no filter, newest
 * first */
WhQueueFilter *wh_queue_filter_new (void);

/* Fills @query from the filter's current state; the strings stay owned by the filter
 * until it next changes. query->now is left as it is. */
void wh_queue_filter_fill_query (WhQueueFilter *self, WhIncidentQuery *query);

/* Properties (each also a GObject property of the same name with '-'). NULL or "" for a
 * string, -1 for status or priority and 0 for a date clears that filter. */
WhIncidentView   wh_queue_filter_get_view          (WhQueueFilter *self);
void             wh_queue_filter_set_view          (WhQueueFilter *self, WhIncidentView view);
const char      *wh_queue_filter_get_actor_id      (WhQueueFilter *self);
void             wh_queue_filter_set_actor_id      (WhQueueFilter *self, const char *actor_id);
int              wh_queue_filter_get_status        (WhQueueFilter *self);
void             wh_queue_filter_set_status        (WhQueueFilter *self, int status);
const char      *wh_queue_filter_get_category_code (WhQueueFilter *self);
void             wh_queue_filter_set_category_code (WhQueueFilter *self, const char *code);
const char      *wh_queue_filter_get_community_id  (WhQueueFilter *self);
void             wh_queue_filter_set_community_id  (WhQueueFilter *self, const char *id);
const char      *wh_queue_filter_get_grid_id       (WhQueueFilter *self);
void             wh_queue_filter_set_grid_id       (WhQueueFilter *self, const char *id);
const char      *wh_queue_filter_get_unit_id       (WhQueueFilter *self);
void             wh_queue_filter_set_unit_id       (WhQueueFilter *self, const char *id);
const char      *wh_queue_filter_get_source        (WhQueueFilter *self);
void             wh_queue_filter_set_source        (WhQueueFilter *self, const char *source);
int              wh_queue_filter_get_priority      (WhQueueFilter *self);
void             wh_queue_filter_set_priority      (WhQueueFilter *self, int priority);
gint64           wh_queue_filter_get_reported_from (WhQueueFilter *self);
gint64           wh_queue_filter_get_reported_to   (WhQueueFilter *self);
/* [@from, @to) in UTC µs; 0 for an open end. */
void             wh_queue_filter_set_reported_range (WhQueueFilter *self, gint64 from, gint64 to);
const char      *wh_queue_filter_get_search        (WhQueueFilter *self);
void             wh_queue_filter_set_search        (WhQueueFilter *self, const char *search);
WhIncidentColumn wh_queue_filter_get_sort_column   (WhQueueFilter *self);
gboolean         wh_queue_filter_get_descending    (WhQueueFilter *self);
void             wh_queue_filter_set_sort          (WhQueueFilter *self,
                                                    WhIncidentColumn column,
                                                    gboolean         descending);

/* Whether any of category, community, grid, unit, source, status, priority or date range
 * narrows the view (search and view not counted). */
gboolean wh_queue_filter_has_filters (WhQueueFilter *self);

/* Clears category, community, grid, unit, source, status, priority and date range. */
void wh_queue_filter_clear_filters (WhQueueFilter *self);

/* Back to the state of wh_queue_filter_new() except the sort and the actor: view "all
 * open", no filter, no search. One "changed". */
void wh_queue_filter_reset (WhQueueFilter *self);

/* The view, filters, search and sort as an a{sv} (for saved views); the actor is not
 * saved, since a saved "mine" means whoever is on duty. */
GVariant *wh_queue_filter_save (WhQueueFilter *self);

/* Sets view, filters, search and sort from wh_queue_filter_save()'s dictionary; a key
 * missing from it clears that part. One "changed". */
void wh_queue_filter_load (WhQueueFilter *self, GVariant *saved);

/* The nick of @view, stable across versions ("open", "overdue", …), and back; -1 for an
 * unknown nick. */
const char *wh_queue_filter_view_to_nick   (WhIncidentView view);
int         wh_queue_filter_view_from_nick (const char *nick);

/* The same for columns ("number", "deadline", …). */
const char *wh_queue_filter_column_to_nick   (WhIncidentColumn column);
int         wh_queue_filter_column_from_nick (const char *nick);

G_END_DECLS
