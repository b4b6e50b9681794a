/* wh-queue-page-private.h — the Queue page's insides, shared by its files
 *
 *   wh-queue-page.c          the list, its model, selection, filter and context
 *   wh-queue-page-header.c   title, count, filter chips, the empty list's page
 *   wh-queue-page-actions.c  the queue.* actions and their keys, bulk actions, saved views
 */
#pragma once

#include "wh-incident-list-model.h"
#include "wh-queue-cells.h"
#include "wh-queue-filter-popover.h"
#include "wh-queue-page.h"

G_BEGIN_DECLS

struct _WhQueuePage
{
  AdwBin parent_instance;

  /* template children */
  GtkPaned             *paned;
  GtkRevealer          *sidebar_revealer;
  WhQueueSidebar       *sidebar;
  GtkToggleButton      *sidebar_button;
  GtkLabel             *title_label;
  GtkLabel             *count_label;
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *filter_button;
  WhQueueFilterPopover *filter_popover;
  GtkLabel             *filter_label;
  GtkRevealer          *chips_revealer;
  GtkBox               *chips_box;
  GtkRevealer          *bulk_revealer;
  GtkLabel             *bulk_label;
  GtkStack             *list_stack;
  GtkColumnView        *column_view;
  AdwStatusPage        *empty_page;
  GtkWidget            *empty_clear_button;
  WhIncidentDetail     *detail;

  WhContext           *context;
  WhQueueFilter       *filter;
  WhQueueCounts       *counts;
  GSettings           *settings;
  WhIncidentListModel *model;
  GtkMultiSelection   *selection;
  WhQueueCells        *cells;
  GtkColumnViewColumn *columns[WH_N_INCIDENT_COLUMNS];

  WhIncidentQuery query;           /* the list's query, strings borrowed from the filter */
  char           *selected_id;     /* shown in the detail pane */
  GPtrArray      *kept_ids;        /* the selection, to put back after a reload */
  gboolean        model_changing;  /* inside the model's items-changed */
  gboolean        restoring;       /* putting the selection back */
  gboolean        syncing_sort;    /* setting the header's sort from the filter */
  gboolean        syncing_search;  /* setting the search entry from the filter */
  gboolean        select_first;    /* a new list: select its first row once it is there */
  gboolean        sidebar_folded;  /* folded for lack of width, not by the officer */
  int             last_width;
  guint           countdown_timer;
  guint           counts_timer;
  guint           restore_idle;
  guint           layout_idle;
  guint           refresh_tick;    /* sets the held rows out of sight, once drawn */
  gint64          stale_frame;     /* the frame that draws the rows in sight */
};

void wh_queue_page_update_count       (WhQueuePage    *self);
void wh_queue_page_update_header      (WhQueuePage    *self);
void wh_queue_page_update_bulk        (WhQueuePage    *self,
                                       guint           n_selected);
void wh_queue_page_class_add_actions  (GtkWidgetClass *widget_class);
void wh_queue_page_add_shortcuts      (WhQueuePage    *self);

/* wh-queue-page-shown.c */
void wh_queue_page_track_shown_rows          (WhQueuePage *self);
void wh_queue_page_update_shown_rows         (WhQueuePage *self);
void wh_queue_page_refresh_stale_rows_later  (WhQueuePage *self);

G_END_DECLS
