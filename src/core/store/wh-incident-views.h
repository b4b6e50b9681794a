/* wh-incident-views.h — ready-made views of the queue that WhIncidentQuery cannot express
 *
 * "Overdue" depends on the deadline that runs in each status and on the time asked;
 * "closed today" filters on the closing time. Rows are read through
 * wh_incident_store_get(), so an incident is read one way only.
 */
#pragma once

#include "wh-incident-store.h"

G_BEGIN_DECLS

typedef enum {
  WH_INCIDENT_VIEW_OVERDUE,      /* open, and the running deadline has passed; most
                                  * overdue first */
  WH_INCIDENT_VIEW_CLOSED_TODAY, /* closed (or closed and rated) since the street's local
                                  * midnight; last closed first */
  WH_N_INCIDENT_VIEWS
} WhIncidentView;

#define WH_TYPE_INCIDENT_VIEWS (wh_incident_views_get_type ())
G_DECLARE_FINAL_TYPE (WhIncidentViews, wh_incident_views, WH, INCIDENT_VIEWS, GObject)

/* Returns: (transfer full): the views over @store's database */
WhIncidentViews *wh_incident_views_new (WhIncidentStore *store);

/**
 * wh_incident_views_count:
 * @view: which view
 * @now: the time the view is judged at, UTC microseconds
 *
 * Returns: the number of incidents in @view (0 with @error set on failure)
 */
guint
wh_incident_views_count (WhIncidentViews *self, WhIncidentView view, gint64 now, GError **error);

/**
 * wh_incident_views_list:
 * @view: which view
 * @now: the time the view is judged at
 * @offset: rows to skip
 * @limit: rows at most
 *
 * Returns: (transfer full) (element-type WhIncident): one page of @view, or %NULL with
 *   @error set
 */
GPtrArray *wh_incident_views_list (WhIncidentViews *self,
                                   WhIncidentView   view,
                                   gint64           now,
                                   guint            offset,
                                   guint            limit,
                                   GError         **error);

G_END_DECLS
