/* wh-incident-list-model.h — a lazy GListModel of incidents, read a page at a time
 *
 * Knows how many incidents match its query (one count) and fetches rows only when a view
 * asks for them, a page of WH_INCIDENT_LIST_PAGE_SIZE at a time, keeping a few pages.
 * Changes in the store invalidate it with one items-changed.
 */
#pragma once

#include <gio/gio.h>

#include "wh-incident-store.h"
#include "wh-incident-views.h"

G_BEGIN_DECLS

#define WH_INCIDENT_LIST_PAGE_SIZE 100
#define WH_INCIDENT_LIST_MAX_PAGES 8

#define WH_TYPE_INCIDENT_LIST_MODEL (wh_incident_list_model_get_type ())
G_DECLARE_FINAL_TYPE (WhIncidentListModel, wh_incident_list_model, WH, INCIDENT_LIST_MODEL, GObject)

/* Returns: (transfer full): a model listing every incident of @store, newest first */
WhIncidentListModel *wh_incident_list_model_new (WhIncidentStore *store);

/* Replaces the query (copied) and reloads. */
void wh_incident_list_model_set_query (WhIncidentListModel *self, const WhIncidentQuery *query);
const WhIncidentQuery *wh_incident_list_model_get_query (WhIncidentListModel *self);

/* Lists a ready-made view instead of the query (until set_query() again), judged at the
 * time of each reload. */
void wh_incident_list_model_set_view (WhIncidentListModel *self,
                                      WhIncidentViews     *views,
                                      WhIncidentView       view);

/* The view listed, or -1 when the query is. */
int wh_incident_list_model_get_view (WhIncidentListModel *self);

/* Counts again, forgets every cached page and tells the views. */
void wh_incident_list_model_reload (WhIncidentListModel *self);

/* The last error reading the store, or NULL; reset by a successful reload. */
const GError *wh_incident_list_model_get_error (WhIncidentListModel *self);

/* How many pages the store was asked for since creation (for tests of laziness). */
guint wh_incident_list_model_get_n_fetches (WhIncidentListModel *self);

G_END_DECLS
