/* wh-queue-page.h — the Queue page: the duty officer's list of incidents
 *
 * A GtkColumnView over the lazy WhIncidentListModel, listing what the window's
 * WhQueueFilter says (view, filters, search, sort — all done in SQL), with the views and
 * their live counts in a sidebar, a multi-selection with bulk actions and the detail pane
 * of the incident chosen.
 */
#pragma once

#include <adwaita.h>

#include "wh-context.h"
#include "wh-incident-detail.h"
#include "wh-queue-counts.h"
#include "wh-queue-filter.h"
#include "wh-queue-sidebar.h"

G_BEGIN_DECLS

/* Bulk actions take at most this many incidents at once. */
#define WH_QUEUE_BULK_MAX 500

#define WH_TYPE_QUEUE_PAGE (wh_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (WhQueuePage, wh_queue_page, WH, QUEUE_PAGE, AdwBin)

void           wh_queue_page_set_context  (WhQueuePage *self, WhContext *context);
/* The filter the page lists and edits (the window's, shared with the map). */
void           wh_queue_page_set_filter   (WhQueuePage *self, WhQueueFilter *filter);
WhQueueFilter *wh_queue_page_get_filter   (WhQueuePage *self);
/* Where saved views and the sort are remembered; %NULL remembers nothing. */
void           wh_queue_page_set_settings (WhQueuePage *self, GSettings *settings);

/* Shows the view with this nick ("open", "overdue", "mine", …; see
 * wh_queue_filter_view_to_nick()); %FALSE for another name. */
gboolean    wh_queue_page_set_view (WhQueuePage *self, const char *view);
const char *wh_queue_page_get_view (WhQueuePage *self);

/* The lazy model of the list (a #GListModel of #WhIncident); transfer none. */
GListModel *wh_queue_page_get_model (WhQueuePage *self);

/* The query the list shows now. */
const WhIncidentQuery *wh_queue_page_get_query (WhQueuePage *self);

/* The selection over the model (a #GtkMultiSelection); transfer none. */
GtkSelectionModel *wh_queue_page_get_selection (WhQueuePage *self);

/* The column view, for tests that click its headers. */
GtkColumnView *wh_queue_page_get_column_view (WhQueuePage *self);

/* The counts of the views (sidebar, header badge); %NULL without a context. */
WhQueueCounts *wh_queue_page_get_counts (WhQueuePage *self);

/* Selects row @position alone, as a click would. */
void wh_queue_page_select (WhQueuePage *self, guint position);

/* Returns: (transfer full): the ids of the selected incidents in list order, at most
 * WH_QUEUE_BULK_MAX of them */
GStrv wh_queue_page_dup_selected_ids (WhQueuePage *self);

WhIncidentDetail *wh_queue_page_get_detail (WhQueuePage *self);

/* Lists only grid cell @grid_id (%NULL: every cell again) in the view shown. */
void        wh_queue_page_set_grid_filter (WhQueuePage *self, const char *grid_id);
const char *wh_queue_page_get_grid_filter (WhQueuePage *self);

/* Selects the incident @incident_id: its row when it is among the first rows listed,
 * else it is shown in the detail pane without a row. The selected-incident property. */
void        wh_queue_page_set_selected_incident (WhQueuePage *self, const char *incident_id);
const char *wh_queue_page_get_selected_incident (WhQueuePage *self);

/**
 * wh_queue_page_show_incident:
 *
 * Selects @incident_id and scrolls to it. When it is not in the list, the filters and the
 * search are cleared and the view widened ("all open", or "all incidents" for a closed
 * one) so that it is. Shown in the detail pane in any case.
 *
 * Returns: %TRUE when its row is selected, %FALSE when it is only in the detail pane (far
 * down a very long list, or unknown)
 */
gboolean wh_queue_page_show_incident (WhQueuePage *self, const char *incident_id);

/* The sidebar of views and saved views; transfer none. */
WhQueueSidebar *wh_queue_page_get_sidebar (WhQueuePage *self);

/* The filter button's text: "Filters", or "Filters (2)" when two are set. */
const char *wh_queue_page_get_filter_text (WhQueuePage *self);

/* Puts the keyboard focus in the search entry. */
void wh_queue_page_focus_search (WhQueuePage *self);

G_END_DECLS
