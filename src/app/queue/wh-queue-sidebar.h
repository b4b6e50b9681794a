/* wh-queue-sidebar.h — the queue's ready-made views with live counts, and saved views
 *
 * The views come in the order of their shortcuts (Alt+1 … Alt+0), "All incidents" last.
 * A saved view is the whole WhQueueFilter (view, filters, search, sort) under a name, kept
 * in the GSettings key "saved-views".
 */
#pragma once

#include <gtk/gtk.h>

#include "wh-queue-counts.h"
#include "wh-queue-filter.h"

G_BEGIN_DECLS

#define WH_TYPE_QUEUE_SIDEBAR (wh_queue_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (WhQueueSidebar, wh_queue_sidebar, WH, QUEUE_SIDEBAR, GtkBox)

/* The views in sidebar order; index 0–9 have the shortcuts Alt+1 … Alt+0. */
guint          wh_queue_sidebar_get_n_views  (void);
WhIncidentView wh_queue_sidebar_get_view_at  (guint index);

/* The translated name of @view ("Overdue"). */
const char *wh_queue_view_label (WhIncidentView view);

void wh_queue_sidebar_set_filter   (WhQueueSidebar *self, WhQueueFilter *filter);
void wh_queue_sidebar_set_counts   (WhQueueSidebar *self, WhQueueCounts *counts);
/* Where saved views are kept; %NULL keeps them for this run only. */
void wh_queue_sidebar_set_settings (WhQueueSidebar *self, GSettings *settings);

/* The count shown beside @view ("" before it is known). */
const char *wh_queue_sidebar_get_count_text (WhQueueSidebar *self, WhIncidentView view);

/* Saves the filter's current state as @name (replacing a view of that name). */
void      wh_queue_sidebar_save_view        (WhQueueSidebar *self, const char *name);
/* Loads the saved view @name into the filter; %FALSE when there is none. */
gboolean  wh_queue_sidebar_apply_saved_view (WhQueueSidebar *self, const char *name);
gboolean  wh_queue_sidebar_delete_saved_view (WhQueueSidebar *self, const char *name);
/* Returns: (transfer full): the names of the saved views, in the order shown */
char    **wh_queue_sidebar_list_saved_views (WhQueueSidebar *self);

G_END_DECLS
