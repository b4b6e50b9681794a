/* wh-incident-views.h — ready-made views of the queue (superseded by WhIncidentQuery.view)
 *
 * Kept for the callers that still use it: count and list go through
 * wh_incident_store_count() and wh_incident_store_list() with the view and @now, in the
 * view's own order (overdue: most overdue first; closed today: last closed first).
 */
#pragma once

#include "wh-incident-store.h"

G_BEGIN_DECLS

/* WhIncidentView is declared in wh-incident-store.h: WhIncidentQuery.view does what this
 * object did, for every view; this wrapper stays until its last caller has moved. */

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
