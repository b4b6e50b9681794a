/* wh-queue-page.c — the Queue page: the duty officer's list of incidents */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-column-sorter.h"
#include "wh-format.h"
#include "wh-incident-list-model.h"
#include "wh-queue-cells.h"
#include "wh-queue-filter-popover.h"
#include "wh-queue-page.h"
#include "wh-queue-page-private.h"
#include "wh-queue-sidebar.h"

#define COUNTDOWN_REFRESH_SECONDS 30
/* The views' counts follow the store at once, and the clock (a deadline passing) each
 * minute. */
#define COUNTS_REFRESH_SECONDS 60

/* How far down the list an incident chosen elsewhere (the map, a notification) is looked
 * for; the rows are read a page at a time, so this bounds the reads. */
#define SELECT_SEARCH_LIMIT 2000

/* Below this width the views' sidebar folds away (Alt+1 … Alt+0 and F9 still work), so the
 * list keeps its columns on a 1024×768 projector. */
#define SIDEBAR_MIN_PAGE_WIDTH 1200


G_DEFINE_FINAL_TYPE (WhQueuePage, wh_queue_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_VIEW,
  PROP_SELECTED_INCIDENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void apply_filter (WhQueuePage *self);

static GtkListView *
get_list_view (WhQueuePage *self)
{
  /* GTK 4.8 has no gtk_column_view_scroll_to(): scroll through the inner list's own
   * "list.scroll-to-item" action. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return GTK_LIST_VIEW (child);
  return NULL;
}

/* Sorting: the header's sort is the filter's, and the filter's is SQL's */

static void
sync_header_sort (WhQueuePage *self)
{
  WhIncidentColumn column, shown;
  gboolean         descending, shown_descending;
  GtkSorter       *sorter = gtk_column_view_get_sorter (self->column_view);

  if (self->filter == NULL)
    return;
  column = wh_queue_filter_get_sort_column (self->filter);
  descending = wh_queue_filter_get_descending (self->filter);
  if (sorter != NULL && wh_column_sorter_read_primary (sorter, &shown, &shown_descending) &&
      shown == column && shown_descending == descending)
    return;

  self->syncing_sort = TRUE;
  /* No column of its own for the default order: no header shows an arrow. */
  gtk_column_view_sort_by_column (self->column_view, self->columns[column],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  self->syncing_sort = FALSE;
}

static void
on_header_sort_changed (GtkSorter *sorter, GtkSorterChange change, WhQueuePage *self)
{
  WhIncidentColumn column;
  gboolean         descending;

  if (self->syncing_sort || self->filter == NULL)
    return;
  if (!wh_column_sorter_read_primary (sorter, &column, &descending))
    return;
  wh_queue_filter_set_sort (self->filter, column, descending);
  if (self->settings != NULL)
    {
      g_autofree char *value = g_strdup_printf ("%s%s", descending ? "-" : "",
                                                wh_queue_filter_column_to_nick (column));

      g_settings_set_string (self->settings, "queue-sort", value);
    }
}

/* Selection */

static void
set_selected_id (WhQueuePage *self, const char *id)
{
  if (g_strcmp0 (self->selected_id, id) == 0)
    return;
  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_INCIDENT]);
}

static GPtrArray *
collect_selected_ids (WhQueuePage *self, guint limit, guint *n_selected)
{
  g_autoptr (GtkBitset) set = NULL;
  GtkBitsetIter iter;
  GPtrArray    *ids = g_ptr_array_new_with_free_func (g_free);
  guint         position;

  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (n_selected != NULL)
    *n_selected = (guint) gtk_bitset_get_size (set);
  if (gtk_bitset_iter_init_first (&iter, set, &position))
    do
      {
        g_autoptr (WhIncident) incident = NULL;

        if (ids->len >= limit)
          break;
        incident = wh_incident_list_model_dup_incident (self->model, position);
        if (incident != NULL && incident->id != NULL)
          g_ptr_array_add (ids, g_strdup (incident->id));
      }
    while (gtk_bitset_iter_next (&iter, &position));
  return ids;
}

void
wh_queue_page_update_bulk (WhQueuePage *self, guint n_selected)
{
  gboolean         any = n_selected > 0 && n_selected <= WH_QUEUE_BULK_MAX;
  g_autofree char *text = NULL;

  if (n_selected > WH_QUEUE_BULK_MAX)
    /* Translators: %u is how many are selected, %d the most a bulk action takes */
    text = g_strdup_printf (_ ("%u selected: bulk actions take at most %d"), n_selected,
                            WH_QUEUE_BULK_MAX);
  else
    text = g_strdup_printf (ngettext ("%u selected", "%u selected", n_selected), n_selected);
  gtk_label_set_label (self->bulk_label, text);
  gtk_revealer_set_reveal_child (self->bulk_revealer, n_selected > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.whistle-selected", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.note-selected", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.unselect-all", n_selected > 0);
}

static void
on_selection_changed (WhQueuePage *self)
{
  g_autoptr (GtkBitset) set = NULL;
  guint n;

  /* A reload (the store changed) empties the selection: it is put back from kept_ids
   * once the rows are read again, and the detail keeps its incident meanwhile. */
  if (self->model_changing || self->model == NULL)
    return;

  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  n = (guint) gtk_bitset_get_size (set);
  wh_queue_page_update_bulk (self, n);

  if (!self->restoring)
    {
      g_clear_pointer (&self->kept_ids, g_ptr_array_unref);
      if (n > 0 && n <= WH_QUEUE_BULK_MAX)
        self->kept_ids = collect_selected_ids (self, WH_QUEUE_BULK_MAX, NULL);
    }

  if (n == 1)
    {
      g_autoptr (WhIncident) incident =
        wh_incident_list_model_dup_incident (self->model, gtk_bitset_get_minimum (set));

      if (incident != NULL && incident->id != NULL && *incident->id != '\0')
        {
          if (g_strcmp0 (incident->id, wh_incident_detail_get_incident_id (self->detail)) != 0)
            wh_incident_detail_show (self->detail, self->context, incident->id);
          set_selected_id (self, incident->id);
        }
    }
  else if (n == 0 && !self->restoring)
    {
      wh_incident_detail_show (self->detail, self->context, NULL);
      set_selected_id (self, NULL);
    }
  else if (n > 1 && self->kept_ids != NULL && self->kept_ids->len > 0 &&
           (self->selected_id == NULL ||
            !g_ptr_array_find_with_equal_func (self->kept_ids, self->selected_id, g_str_equal,
                                               NULL)))
    {
      /* Several, and the detail shows none of them: the first. */
      const char *first = g_ptr_array_index (self->kept_ids, 0);

      wh_incident_detail_show (self->detail, self->context, first);
      set_selected_id (self, first);
    }
  /* Otherwise the detail keeps the one it shows; the bulk bar speaks for them all. */
}

/* Where a kept incident is among the rows read, or -1. A list still growing (see
 * wh_incident_list_model_set_shown()) is told in full first when it lies past what the
 * views have. */
static int
kept_position (WhQueuePage *self, const char *incident_id)
{
  int position = wh_incident_list_model_find_loaded (self->model, incident_id);

  if (position >= (int) g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    wh_incident_list_model_refresh_stale (self->model);
  return position;
}

static void
restore_selection (gpointer data)
{
  WhQueuePage *self = data;
  gboolean     first = self->select_first;

  self->restore_idle = 0;
  if (self->model == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    {
      if (first)
        {
          self->select_first = FALSE;
          wh_incident_detail_show (self->detail, self->context, NULL);
          set_selected_id (self, NULL);
        }
      return;
    }

  if (first)
    {
      /* A new list opens on its first (most urgent) incident. */
      self->select_first = FALSE;
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), 0, TRUE);
      return;
    }

  if (self->kept_ids == NULL)
    return;
  self->restoring = TRUE;
  for (guint i = 0; i < self->kept_ids->len; i++)
    {
      int position = kept_position (self, g_ptr_array_index (self->kept_ids, i));

      if (position >= 0 &&
          !gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, FALSE);
    }
  self->restoring = FALSE;
}

static void
schedule_restore (WhQueuePage *self)
{
  if (self->restore_idle == 0)
    self->restore_idle = g_idle_add_once (restore_selection, self);
}

static void
on_rows_loaded (WhIncidentListModel *model, guint position, guint n, WhQueuePage *self)
{
  /* Inside get_item(): only note it. */
  if (self->kept_ids != NULL || self->select_first)
    schedule_restore (self);
}

static void
on_items_changing (GListModel *model, guint position, guint removed, guint added, WhQueuePage *self)
{
  self->model_changing = TRUE;
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, WhQueuePage *self)
{
  self->model_changing = FALSE;
}

/* The kept incidents selected where they are now, and nothing else. The rows kept their
 * positions through the reload, so the selection still names positions of the old list. */
static void
reselect_kept (WhQueuePage *self)
{
  g_autoptr (GtkBitset) wanted = gtk_bitset_new_empty ();
  g_autoptr (GtkBitset) selected = NULL;
  g_autoptr (GtkBitset) everything = NULL;

  if (self->kept_ids != NULL)
    for (guint i = 0; i < self->kept_ids->len; i++)
      {
        int position = kept_position (self, g_ptr_array_index (self->kept_ids, i));

        if (position >= 0)
          gtk_bitset_add (wanted, position);
      }
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_equals (wanted, selected))
    return;
  everything = gtk_bitset_new_range (0, g_list_model_get_n_items (G_LIST_MODEL (self->model)));
  self->restoring = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), wanted, everything);
  self->restoring = FALSE;
}

static void
on_model_reloaded (WhIncidentListModel *model, WhQueuePage *self)
{
  wh_queue_page_refresh_stale_rows_later (self);
  wh_queue_page_update_count (self);
  /* The detail reads its incident afresh on the store's "changed" by itself. */
  /* The kept ones at once, so no frame shows a stale selection; a new list's first row in
   * an idle, after the list itself is drawn. Kept ones not read yet follow as their rows
   * are read (on_rows_loaded). */
  reselect_kept (self);
  if (self->kept_ids != NULL || self->select_first)
    schedule_restore (self);
  {
    g_autoptr (GtkBitset) set =
      gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

    wh_queue_page_update_bulk (self, (guint) gtk_bitset_get_size (set));
  }
}

/* The filter */

static void
apply_filter (WhQueuePage *self)
{
  if (self->filter == NULL)
    return;

  wh_incident_query_init (&self->query);
  wh_queue_filter_fill_query (self->filter, &self->query);
  if (self->counts != NULL)
    wh_queue_counts_set_actor_id (self->counts, wh_queue_filter_get_actor_id (self->filter));
  sync_header_sort (self);

  self->syncing_search = TRUE;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                 self->query.search ? self->query.search : "") != 0 &&
      !gtk_widget_has_focus (GTK_WIDGET (self->search_entry)))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry),
                           self->query.search ? self->query.search : "");
  self->syncing_search = FALSE;

  if (self->model != NULL)
    {
      g_clear_pointer (&self->kept_ids, g_ptr_array_unref);
      self->select_first = TRUE;
      /* The rows keep their scroll position through a reload: a new list opens at its
       * top, scrolled there first so that its rows in sight are the ones set at once. */
      gtk_adjustment_set_value (
        gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)), 0);
      wh_incident_list_model_set_query (self->model, &self->query);
      schedule_restore (self);
    }
  wh_queue_page_update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

static void
on_filter_changed (WhQueuePage *self)
{
  apply_filter (self);
}

static void
on_search_changed (WhQueuePage *self)
{
  const char      *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *words = g_strstrip (g_strdup (text));

  if (self->syncing_search || self->filter == NULL)
    return;
  /* One character typed is usually the start of a word, and one Chinese character (路, 街)
   * matches a good part of the street: search it on Enter only. */
  if (g_utf8_strlen (words, -1) == 1)
    return;
  wh_queue_filter_set_search (self->filter, text);
}

static void
on_stop_search (WhQueuePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (self->filter != NULL)
    wh_queue_filter_set_search (self->filter, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_search_activate (WhQueuePage *self)
{
  /* Enter: search now (not after the entry's pause), then go to the results. */
  if (self->filter != NULL)
    wh_queue_filter_set_search (self->filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

void
wh_queue_page_set_filter (WhQueuePage *self, WhQueueFilter *filter)
{
  g_return_if_fail (WH_IS_QUEUE_PAGE (self));
  g_return_if_fail (filter == NULL || WH_IS_QUEUE_FILTER (filter));

  if (self->filter == filter)
    return;
  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  g_set_object (&self->filter, filter);
  if (filter != NULL)
    g_signal_connect_swapped (filter, "changed", G_CALLBACK (on_filter_changed), self);
  wh_queue_sidebar_set_filter (self->sidebar, filter);
  wh_queue_filter_popover_set_filter (self->filter_popover, filter);
  apply_filter (self);
}

WhQueueFilter *
wh_queue_page_get_filter (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->filter;
}

void
wh_queue_page_set_settings (WhQueuePage *self, GSettings *settings)
{
  g_return_if_fail (WH_IS_QUEUE_PAGE (self));

  g_set_object (&self->settings, settings);
  wh_queue_sidebar_set_settings (self->sidebar, settings);
  if (settings != NULL && self->filter != NULL)
    {
      g_autofree char *value = g_settings_get_string (settings, "queue-sort");
      gboolean         descending = value[0] == '-';
      int              column = wh_queue_filter_column_from_nick (value + (descending ? 1 : 0));

      if (column >= 0)
        wh_queue_filter_set_sort (self->filter, column, descending);
    }
}

gboolean
wh_queue_page_set_view (WhQueuePage *self, const char *view)
{
  int v;

  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), FALSE);

  v = wh_queue_filter_view_from_nick (view);
  if (v < 0 || self->filter == NULL)
    return FALSE;
  wh_queue_filter_set_view (self->filter, v);
  return TRUE;
}

const char *
wh_queue_page_get_view (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->filter ? wh_queue_filter_view_to_nick (wh_queue_filter_get_view (self->filter))
                      : NULL;
}

/* The context */

static void
on_store_changed (WhQueuePage *self)
{
  if (self->counts != NULL)
    wh_queue_counts_refresh (self->counts);
}

static gboolean
on_counts_timer (gpointer data)
{
  WhQueuePage *self = data;

  if (self->counts != NULL)
    wh_queue_counts_refresh (self->counts);
  return G_SOURCE_CONTINUE;
}

void
wh_queue_page_set_context (WhQueuePage *self, WhContext *context)
{
  g_return_if_fail (WH_IS_QUEUE_PAGE (self));

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  g_set_object (&self->context, context);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_object (&self->counts);
  g_clear_pointer (&self->kept_ids, g_ptr_array_unref);
  g_clear_handle_id (&self->restore_idle, g_source_remove);
  wh_queue_cells_set_context (self->cells, context);
  wh_queue_filter_popover_set_context (self->filter_popover, context);

  if (context == NULL)
    {
      gtk_multi_selection_set_model (self->selection, NULL);
      wh_queue_sidebar_set_counts (self->sidebar, NULL);
      wh_incident_detail_show (self->detail, NULL, NULL);
      set_selected_id (self, NULL);
      wh_queue_page_update_count (self);
      return;
    }

  wh_category_catalog_get_classes (wh_context_get_catalog (context)); /* load it once now */
  g_signal_connect_swapped (wh_context_get_incident_store (context), "changed",
                            G_CALLBACK (on_store_changed), self);

  self->counts = wh_queue_counts_new (wh_db_get_path (wh_context_get_db (context)));
  if (self->filter != NULL)
    wh_queue_counts_set_actor_id (self->counts, wh_queue_filter_get_actor_id (self->filter));
  wh_queue_counts_refresh (self->counts);
  wh_queue_sidebar_set_counts (self->sidebar, self->counts);

  self->model = wh_incident_list_model_new (wh_context_get_incident_store (context));
  /* Around the selection's own handler, which runs in between. */
  g_signal_connect (self->model, "items-changed", G_CALLBACK (on_items_changing), self);
  g_signal_connect_after (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect (self->model, "rows-loaded", G_CALLBACK (on_rows_loaded), self);
  g_signal_connect (self->model, "reloaded", G_CALLBACK (on_model_reloaded), self);
  gtk_multi_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  wh_queue_page_update_shown_rows (self);
  set_selected_id (self, NULL);
  apply_filter (self);
}

/* Public */

GListModel *
wh_queue_page_get_model (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return G_LIST_MODEL (self->model);
}

const WhIncidentQuery *
wh_queue_page_get_query (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->model ? wh_incident_list_model_get_query (self->model) : NULL;
}

GtkSelectionModel *
wh_queue_page_get_selection (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

GtkColumnView *
wh_queue_page_get_column_view (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->column_view;
}

WhQueueCounts *
wh_queue_page_get_counts (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->counts;
}

void
wh_queue_page_select (WhQueuePage *self, guint position)
{
  g_return_if_fail (WH_IS_QUEUE_PAGE (self));
  self->select_first = FALSE;
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
}

GStrv
wh_queue_page_dup_selected_ids (WhQueuePage *self)
{
  g_autoptr (GPtrArray) ids = NULL;

  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);

  if (self->model == NULL)
    return g_new0 (char *, 1);
  ids = collect_selected_ids (self, WH_QUEUE_BULK_MAX, NULL);
  g_ptr_array_add (ids, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

WhIncidentDetail *
wh_queue_page_get_detail (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->detail;
}

void
wh_queue_page_set_grid_filter (WhQueuePage *self, const char *grid_id)
{
  g_return_if_fail (WH_IS_QUEUE_PAGE (self));

  if (self->filter == NULL)
    return;
  g_object_freeze_notify (G_OBJECT (self->filter));
  /* A cell belongs to one community; another community's filter would list nothing. */
  if (grid_id != NULL && wh_queue_filter_get_community_id (self->filter) != NULL &&
      !g_str_has_prefix (grid_id, wh_queue_filter_get_community_id (self->filter)))
    wh_queue_filter_set_community_id (self->filter, NULL);
  wh_queue_filter_set_grid_id (self->filter, grid_id);
  g_object_thaw_notify (G_OBJECT (self->filter));
}

const char *
wh_queue_page_get_grid_filter (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->filter ? wh_queue_filter_get_grid_id (self->filter) : NULL;
}

/* The row of @incident_id within the first SELECT_SEARCH_LIMIT rows, or -1. */
static int
locate (WhQueuePage *self, const char *incident_id)
{
  GListModel *model = G_LIST_MODEL (self->model);
  int         position;
  guint       n;

  /* Positions of the whole list, told in full. */
  wh_incident_list_model_refresh_stale (self->model);
  position = wh_incident_list_model_find_loaded (self->model, incident_id);
  if (position >= 0)
    return position;
  n = MIN (g_list_model_get_n_items (model), SELECT_SEARCH_LIMIT);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (WhIncident) incident = wh_incident_list_model_dup_incident (self->model, i);

      if (incident != NULL && g_strcmp0 (incident->id, incident_id) == 0)
        return (int) i;
    }
  return -1;
}

static void
select_position (WhQueuePage *self, guint position, gboolean scroll)
{
  GtkListView *list;

  self->select_first = FALSE;
  g_clear_handle_id (&self->restore_idle, g_source_remove);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  if (scroll && (list = get_list_view (self)) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (list), "list.scroll-to-item", "u", position);
}

static void
show_without_row (WhQueuePage *self, const char *incident_id)
{
  self->select_first = FALSE;
  g_clear_handle_id (&self->restore_idle, g_source_remove);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  wh_incident_detail_show (self->detail, self->context, incident_id);
  set_selected_id (self, incident_id);
}

void
wh_queue_page_set_selected_incident (WhQueuePage *self, const char *incident_id)
{
  int position;

  g_return_if_fail (WH_IS_QUEUE_PAGE (self));

  if (g_strcmp0 (self->selected_id, incident_id) == 0 || self->model == NULL)
    return;
  if (incident_id == NULL)
    {
      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
      return;
    }
  position = locate (self, incident_id);
  if (position >= 0)
    select_position (self, position, TRUE);
  else
    /* Not listed (or far down): shown all the same, without a row. */
    show_without_row (self, incident_id);
}

const char *
wh_queue_page_get_selected_incident (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->selected_id;
}

gboolean
wh_queue_page_show_incident (WhQueuePage *self, const char *incident_id)
{
  g_autoptr (WhIncident) incident = NULL;
  int position;

  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), FALSE);
  g_return_val_if_fail (incident_id != NULL, FALSE);

  if (self->model == NULL || self->filter == NULL)
    return FALSE;

  position = locate (self, incident_id);
  if (position < 0)
    {
      incident = wh_incident_store_get (wh_context_get_incident_store (self->context), incident_id,
                                        NULL);
      if (incident == NULL)
        return FALSE;

      /* Outside the filters: clear them, in a view that holds the incident. */
      g_object_freeze_notify (G_OBJECT (self->filter));
      wh_queue_filter_clear_filters (self->filter);
      wh_queue_filter_set_search (self->filter, NULL);
      wh_queue_filter_set_view (self->filter, wh_status_is_open (incident->status)
                                                ? WH_INCIDENT_VIEW_OPEN
                                                : WH_INCIDENT_VIEW_ALL);
      g_object_thaw_notify (G_OBJECT (self->filter));
      position = locate (self, incident_id);
    }

  if (position >= 0)
    {
      select_position (self, position, TRUE);
      return TRUE;
    }
  show_without_row (self, incident_id);
  return FALSE;
}

WhQueueSidebar *
wh_queue_page_get_sidebar (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->sidebar;
}

const char *
wh_queue_page_get_filter_text (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return gtk_label_get_label (self->filter_label);
}

void
wh_queue_page_focus_search (WhQueuePage *self)
{
  g_return_if_fail (WH_IS_QUEUE_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Layout: fold the sidebar on narrow screens */

static void
update_layout (gpointer data)
{
  WhQueuePage *self = data;
  gboolean     narrow = self->last_width < SIDEBAR_MIN_PAGE_WIDTH;

  self->layout_idle = 0;
  if (narrow && gtk_revealer_get_reveal_child (self->sidebar_revealer))
    {
      self->sidebar_folded = TRUE;
      gtk_revealer_set_reveal_child (self->sidebar_revealer, FALSE);
    }
  else if (!narrow && self->sidebar_folded)
    {
      self->sidebar_folded = FALSE;
      gtk_revealer_set_reveal_child (self->sidebar_revealer, TRUE);
    }
}

/* AdwBin lays its child out with a GtkBinLayout, which never calls size_allocate(): the
 * page does the bin's work itself so that it sees its width. */
static void
wh_queue_page_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                        natural_baseline);
}

static GtkSizeRequestMode
wh_queue_page_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
wh_queue_page_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  WhQueuePage *self = WH_QUEUE_PAGE (widget);
  GtkWidget   *child = adw_bin_get_child (ADW_BIN (widget));
  gboolean     was_narrow = self->last_width < SIDEBAR_MIN_PAGE_WIDTH;

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);

  /* Not now (no widget may change during allocation): in an idle, and only when the width
   * crosses the line, so the officer's own choice stands otherwise. */
  if (self->last_width == 0 || was_narrow != (width < SIDEBAR_MIN_PAGE_WIDTH))
    {
      self->last_width = width;
      if (self->layout_idle == 0)
        self->layout_idle = g_idle_add_once (update_layout, self);
    }
  self->last_width = width;
}

/* Properties and life */

static void
wh_queue_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WhQueuePage *self = WH_QUEUE_PAGE (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_string (value, wh_queue_page_get_view (self));
      break;
    case PROP_SELECTED_INCIDENT:
      g_value_set_string (value, self->selected_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_queue_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  WhQueuePage *self = WH_QUEUE_PAGE (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      wh_queue_page_set_view (self, g_value_get_string (value));
      break;
    case PROP_SELECTED_INCIDENT:
      wh_queue_page_set_selected_incident (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_queue_page_dispose (GObject *object)
{
  WhQueuePage *self = WH_QUEUE_PAGE (object);

  g_clear_handle_id (&self->countdown_timer, g_source_remove);
  g_clear_handle_id (&self->counts_timer, g_source_remove);
  g_clear_handle_id (&self->restore_idle, g_source_remove);
  g_clear_handle_id (&self->layout_idle, g_source_remove);
  if (self->refresh_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->refresh_tick);
  self->refresh_tick = 0;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      gtk_multi_selection_set_model (self->selection, NULL);
    }
  /* Unset the bin's child first: gtk_widget_dispose_template() would unparent it
   * behind AdwBin's back when it is a bound template child, leaving AdwBin a
   * dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_QUEUE_PAGE);
  g_clear_pointer (&self->cells, wh_queue_cells_free);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->counts);
  g_clear_object (&self->filter);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (wh_queue_page_parent_class)->dispose (object);
}

static void
wh_queue_page_finalize (GObject *object)
{
  WhQueuePage *self = WH_QUEUE_PAGE (object);

  g_free (self->selected_id);
  g_clear_pointer (&self->kept_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (wh_queue_page_parent_class)->finalize (object);
}

static gboolean
on_countdown_timer (gpointer data)
{
  WhQueuePage *self = data;

  wh_queue_cells_refresh_countdowns (self->cells);
  return G_SOURCE_CONTINUE;
}

static void
wh_queue_page_class_init (WhQueuePageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_queue_page_dispose;
  object_class->finalize = wh_queue_page_finalize;
  object_class->get_property = wh_queue_page_get_property;
  object_class->set_property = wh_queue_page_set_property;
  widget_class->get_request_mode = wh_queue_page_get_request_mode;
  widget_class->measure = wh_queue_page_measure;
  widget_class->size_allocate = wh_queue_page_size_allocate;

  /**
   * WhQueuePage:view:
   *
   * The nick of the ready-made view shown ("open", "overdue", …).
   */
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, "open",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * WhQueuePage:selected-incident:
   *
   * The id of the incident shown in the detail pane, or %NULL.
   */
  properties[PROP_SELECTED_INCIDENT] =
    g_param_spec_string ("selected-incident", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WH_TYPE_INCIDENT_DETAIL);
  g_type_ensure (WH_TYPE_QUEUE_SIDEBAR);
  g_type_ensure (WH_TYPE_QUEUE_FILTER_POPOVER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, paned);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, sidebar_revealer);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, sidebar);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, filter_popover);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, filter_label);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, chips_revealer);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, chips_box);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, bulk_revealer);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, bulk_label);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, empty_clear_button);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, detail);

  wh_queue_page_class_add_actions (widget_class);
}

static void
wh_queue_page_init (WhQueuePage *self)
{
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_multi_selection_new (NULL);
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  self->cells = wh_queue_cells_new (self->column_view, self->columns);
  wh_queue_page_track_shown_rows (self);
  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (on_header_sort_changed), self);

  gtk_search_entry_set_search_delay (self->search_entry, 300);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed),
                            self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (on_stop_search), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_search_activate), self);

  wh_queue_page_add_shortcuts (self);

  wh_queue_page_update_bulk (self, 0);
  wh_queue_page_update_header (self);

  self->countdown_timer =
    g_timeout_add_seconds (COUNTDOWN_REFRESH_SECONDS, on_countdown_timer, self);
  self->counts_timer = g_timeout_add_seconds (COUNTS_REFRESH_SECONDS, on_counts_timer, self);
}
