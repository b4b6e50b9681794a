/* wh-incident-list-model.h — a lazy GListModel of incidents, read a page at a time
 *
 * Knows how many incidents match its query (one count) and fetches rows only when a view
 * asks for them, a page of WH_INCIDENT_LIST_PAGE_SIZE at a time, keeping a few pages. So
 * its memory stays flat however many incidents the cache holds. Views, filters, search and
 * sort are all the query's, done in SQL.
 *
 * Its items are WhIncidentRows, one per position as long as a view holds it. A reload (a
 * new query, a change in the store) puts the new incidents into the rows the views hold
 * and emits "items-changed" only for the change of length, at the end; see
 * wh-incident-row.h for why.
 *
 * Signal "rows-loaded" (guint position, guint n_rows): a page was read from the store.
 * It is emitted from inside g_list_model_get_item(): handlers must not change the model
 * or a selection of it there, only note what to do later (in an idle).
 * Signal "reloaded": the list was read again (after any "items-changed" of the length); a
 * selection kept by position may now point at other incidents.
 */
#pragma once

#include <gio/gio.h>

#include "wh-incident-store.h"

G_BEGIN_DECLS

#define WH_INCIDENT_LIST_PAGE_SIZE 100
#define WH_INCIDENT_LIST_MAX_PAGES 8

#define WH_TYPE_INCIDENT_LIST_MODEL (wh_incident_list_model_get_type ())
G_DECLARE_FINAL_TYPE (WhIncidentListModel, wh_incident_list_model, WH, INCIDENT_LIST_MODEL, GObject)

/* Returns: (transfer full): a model listing every incident of @store, newest first */
WhIncidentListModel *wh_incident_list_model_new (WhIncidentStore *store);

/* Replaces the query (copied, strings too) and reloads. */
void wh_incident_list_model_set_query (WhIncidentListModel *self, const WhIncidentQuery *query);

/* The query listed; its strings belong to the model. */
const WhIncidentQuery *wh_incident_list_model_get_query (WhIncidentListModel *self);

/* Counts again, forgets every cached page and tells the views. */
void wh_incident_list_model_reload (WhIncidentListModel *self);

/* Returns: (transfer full) (nullable): the incident at @position, or NULL past the end */
WhIncident *wh_incident_list_model_dup_incident (WhIncidentListModel *self, guint position);

/* The rows a person sees now, @n from @first (0 when not known: a hidden list). A reload
 * then reads and sets only the held rows in and near sight, and leaves the others stale
 * until wh_incident_list_model_refresh_stale(), which the view calls once the new list is
 * drawn; a change of the shown rows refreshes them at once. A list that grows likewise
 * tells the views first of the rows down to those in sight, and of the rest on refresh. */
void     wh_incident_list_model_set_shown     (WhIncidentListModel *self,
                                               guint                first,
                                               guint                n);
gboolean wh_incident_list_model_is_stale      (WhIncidentListModel *self);
void     wh_incident_list_model_refresh_stale (WhIncidentListModel *self);

/* How many incidents the query lists: g_list_model_get_n_items() until a growth is told
 * in full. */
guint    wh_incident_list_model_get_n_listed  (WhIncidentListModel *self);

/* The position of the incident @incident_id among the rows read and still kept, or -1:
 * finds a row without reading the store. */
int wh_incident_list_model_find_loaded (WhIncidentListModel *self, const char *incident_id);

/* The last error reading the store, or NULL; reset by a successful reload. */
const GError *wh_incident_list_model_get_error (WhIncidentListModel *self);

/* How many pages the store was asked for since creation (for tests of laziness). */
guint wh_incident_list_model_get_n_fetches (WhIncidentListModel *self);

/* How many pages are kept now (never more than WH_INCIDENT_LIST_MAX_PAGES). */
guint wh_incident_list_model_get_n_loaded_pages (WhIncidentListModel *self);

G_END_DECLS
