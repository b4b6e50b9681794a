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

G_END_DECLS
