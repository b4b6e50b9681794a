/* wh-queue-page.h — the Queue page: incidents in a lazy column view, with a detail pane */
#pragma once

#include <adwaita.h>

#include "wh-context.h"
#include "wh-incident-detail.h"

G_BEGIN_DECLS

#define WH_TYPE_QUEUE_PAGE (wh_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (WhQueuePage, wh_queue_page, WH, QUEUE_PAGE, AdwBin)

void wh_queue_page_set_context (WhQueuePage *self, WhContext *context);

/* Shows view "open", "overdue", "closed-today" or "all"; %FALSE for another name. */
gboolean    wh_queue_page_set_view (WhQueuePage *self, const char *view);
const char *wh_queue_page_get_view (WhQueuePage *self);

/* The lazy model of the list (a #GListModel of #WhIncident); transfer none. */
GListModel *wh_queue_page_get_model (WhQueuePage *self);

/* The query the shown view lists, or %NULL when the view is a ready-made one. */
const WhIncidentQuery *wh_queue_page_get_query (WhQueuePage *self);

/* Selects row @position, as a click would. */
void wh_queue_page_select (WhQueuePage *self, guint position);

WhIncidentDetail *wh_queue_page_get_detail (WhQueuePage *self);

/* Lists only the open incidents of grid cell @grid_id (%NULL lists all again); the views
 * "overdue" and "closed-today" cannot be narrowed to a cell, so they give way to "open". */
void        wh_queue_page_set_grid_filter (WhQueuePage *self, const char *grid_id);
const char *wh_queue_page_get_grid_filter (WhQueuePage *self);

/* Selects the incident @incident_id: its row when it is among the first rows listed,
 * else it is shown in the detail pane without a row. The selected-incident property. */
void        wh_queue_page_set_selected_incident (WhQueuePage *self, const char *incident_id);
const char *wh_queue_page_get_selected_incident (WhQueuePage *self);

G_END_DECLS
