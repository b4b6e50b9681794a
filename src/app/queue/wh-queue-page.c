/* wh-queue-page.c — the Queue page: incidents in a lazy column view, with a detail pane */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-format.h"
#include "wh-incident-list-model.h"
#include "wh-queue-page.h"

#define COUNTDOWN_REFRESH_SECONDS 30

/* How far down the list an incident chosen elsewhere (on the map) is looked for; the
 * rows are read a page at a time, so this bounds the reads. */
#define SELECT_SEARCH_LIMIT 2000

typedef enum {
  COLUMN_NUMBER,
  COLUMN_PRIORITY,
  COLUMN_CATEGORY,
  COLUMN_TITLE,
  COLUMN_GRID,
  COLUMN_LEAD_UNIT,
  COLUMN_STATUS,
  COLUMN_DEADLINE,
  COLUMN_SOURCE,
  COLUMN_UPDATED,
  N_COLUMNS
} Column;

struct _WhQueuePage
{
  AdwBin parent_instance;

  /* template children */
  GtkPaned         *paned;
  GtkColumnView    *column_view;
  GtkLabel         *count_label;
  GtkStack         *list_stack;
  AdwStatusPage    *empty_page;
  WhIncidentDetail *detail;
  GtkWidget        *grid_filter_button;
  GtkLabel         *grid_filter_label;

  WhContext           *context;
  WhIncidentListModel *model;
  GtkSingleSelection  *selection;
  char                *view;
  GHashTable          *countdowns; /* bound deadline labels */
  gboolean             model_changing;
  guint                countdown_timer;
  char                *grid_filter;
  char                *selected_id;
};

G_DEFINE_FINAL_TYPE (WhQueuePage, wh_queue_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_VIEW,
  PROP_SELECTED_INCIDENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const view_names[] = { "open", "overdue", "closed-today", "all" };

/* Cells */

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  Column     column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == COLUMN_NUMBER || column == COLUMN_DEADLINE || column == COLUMN_UPDATED)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
set_deadline_text (GtkLabel *label, WhIncident *incident, gint64 now)
{
  g_autofree char *text = NULL;
  WhDeadlineState  state;
  const char      *css;

  text = wh_format_countdown (wh_incident_time_left (incident, now), &state);
  gtk_label_set_label (label, text);
  for (WhDeadlineState s = WH_DEADLINE_NORMAL; s <= WH_DEADLINE_OVERDUE; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), wh_deadline_css_class (s));
  if ((css = wh_deadline_css_class (state)) != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), css);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, WhQueuePage *self)
{
  Column           column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkLabel        *label = GTK_LABEL (gtk_list_item_get_child (item));
  WhIncident      *incident = gtk_list_item_get_item (item);
  g_autofree char *owned = NULL;
  const char      *text = NULL;
  gint64           now;

  if (self->context == NULL || incident == NULL)
    return;
  now = wh_context_get_now (self->context);

  switch (column)
    {
    case COLUMN_NUMBER:
      /* Every number of a desk starts with its street's code: show the part that differs
       * (date and sequence); the detail pane shows the whole number. */
      {
        const char *dash = incident->number ? strchr (incident->number, '-') : NULL;

        text = dash != NULL ? dash + 1 : incident->number;
        gtk_widget_set_tooltip_text (GTK_WIDGET (label), incident->number);
      }
      break;
    case COLUMN_PRIORITY:
      text = wh_category_catalog_get_priority_name (wh_context_get_catalog (self->context),
                                                    incident->priority);
      gtk_widget_remove_css_class (GTK_WIDGET (label), "priority-1");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "priority-2");
      if (incident->priority > 0)
        gtk_widget_add_css_class (GTK_WIDGET (label),
                                  incident->priority > 1 ? "priority-2" : "priority-1");
      break;
    case COLUMN_CATEGORY:
      {
        WhCategory *c = wh_category_catalog_lookup (wh_context_get_catalog (self->context),
                                                    incident->category_code);
        text = c ? c->name : incident->category_code;
        owned = wh_category_catalog_dup_display_name (wh_context_get_catalog (self->context),
                                                      incident->category_code);
        gtk_widget_set_tooltip_text (GTK_WIDGET (label), owned);
        g_clear_pointer (&owned, g_free);
      }
      break;
    case COLUMN_TITLE:
      text = incident->title;
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), incident->title);
      break;
    case COLUMN_GRID:
      text = wh_grid_store_lookup_cell_name (wh_context_get_grid_store (self->context),
                                             incident->grid_id);
      break;
    case COLUMN_LEAD_UNIT:
      {
        WhUnit *unit = wh_roster_store_lookup_unit (wh_context_get_roster_store (self->context),
                                                    incident->lead_unit_id);
        text = unit ? unit->short_name : incident->lead_unit_id;
      }
      break;
    case COLUMN_STATUS:
      text = wh_status_label (incident->status);
      for (WhStatusGroup g = 0; g < WH_N_STATUS_GROUPS; g++)
        gtk_widget_remove_css_class (GTK_WIDGET (label), wh_status_group_css_class (g));
      gtk_widget_add_css_class (GTK_WIDGET (label),
                                wh_status_group_css_class (wh_status_group (incident->status)));
      break;
    case COLUMN_DEADLINE:
      set_deadline_text (label, incident, now);
      g_object_set_data_full (G_OBJECT (label), "incident", g_object_ref (incident),
                              g_object_unref);
      g_hash_table_add (self->countdowns, label);
      return;
    case COLUMN_SOURCE:
      text = wh_source_label (incident->source);
      break;
    case COLUMN_UPDATED:
      owned = wh_format_time_short (incident->updated_at, now);
      text = owned;
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (label, text ? text : "");
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, WhQueuePage *self)
{
  Column     column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *label = gtk_list_item_get_child (item);

  if (column == COLUMN_DEADLINE && label != NULL)
    {
      g_hash_table_remove (self->countdowns, label);
      g_object_set_data (G_OBJECT (label), "incident", NULL);
    }
}

static gboolean
refresh_countdowns (gpointer data)
{
  WhQueuePage   *self = data;
  GHashTableIter iter;
  gpointer       label;
  gint64         now;

  if (self->context == NULL)
    return G_SOURCE_CONTINUE;
  now = wh_context_get_now (self->context);
  g_hash_table_iter_init (&iter, self->countdowns);
  while (g_hash_table_iter_next (&iter, &label, NULL))
    {
      WhIncident *incident = g_object_get_data (G_OBJECT (label), "incident");

      if (incident != NULL)
        set_deadline_text (GTK_LABEL (label), incident, now);
    }
  return G_SOURCE_CONTINUE;
}

static void
add_column (WhQueuePage *self, Column column, const char *title, int fixed_width, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkColumnViewColumn) col = NULL;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);

  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (col, fixed_width);
  gtk_column_view_append_column (self->column_view, col);
}

/* Views and selection */

static void
update_count (WhQueuePage *self)
{
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const GError    *error = wh_incident_list_model_get_error (self->model);
  g_autofree char *text = NULL;

  if (error != NULL)
    text = g_strdup_printf (_ ("Could not read the queue: %s"), error->message);
  else
    text = g_strdup_printf (ngettext ("%u incident", "%u incidents", n), n);
  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
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
  update_count (self);
}

static void
set_selected_id (WhQueuePage *self, const char *id)
{
  if (g_strcmp0 (self->selected_id, id) == 0)
    return;
  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_INCIDENT]);
}

static void
on_selection_changed (WhQueuePage *self)
{
  WhIncident *incident = gtk_single_selection_get_selected_item (self->selection);

  /* A reload (the store changed) drops the selection; keep showing the same incident,
   * read afresh, rather than blanking the pane under the officer's eyes. */
  if (incident == NULL && self->model_changing)
    {
      wh_incident_detail_reload (self->detail);
      return;
    }

  wh_incident_detail_show (self->detail, self->context,
                           incident != NULL && incident->id != NULL ? incident->id : NULL);
  set_selected_id (self, incident != NULL ? incident->id : NULL);
}

static void
apply_view (WhQueuePage *self)
{
  WhIncidentQuery query;

  if (self->model == NULL)
    return;

  wh_incident_query_init (&query);
  if (g_strcmp0 (self->view, "overdue") == 0)
    {
      wh_incident_list_model_set_view (self->model, wh_context_get_incident_views (self->context),
                                       WH_INCIDENT_VIEW_OVERDUE);
      adw_status_page_set_title (self->empty_page, _ ("Nothing Is Overdue"));
    }
  else if (g_strcmp0 (self->view, "closed-today") == 0)
    {
      wh_incident_list_model_set_view (self->model, wh_context_get_incident_views (self->context),
                                       WH_INCIDENT_VIEW_CLOSED_TODAY);
      adw_status_page_set_title (self->empty_page, _ ("Nothing Closed Today"));
    }
  else if (g_strcmp0 (self->view, "all") == 0)
    {
      query.sort = WH_INCIDENT_SORT_REPORTED;
      query.grid_id = self->grid_filter;
      wh_incident_list_model_set_query (self->model, &query);
      adw_status_page_set_title (self->empty_page, _ ("No Incidents Yet"));
    }
  else
    {
      query.open_only = TRUE;
      query.sort = WH_INCIDENT_SORT_DEADLINE;
      query.grid_id = self->grid_filter;
      wh_incident_list_model_set_query (self->model, &query);
      adw_status_page_set_title (self->empty_page, _ ("No Open Incidents"));
    }
  update_count (self);
}

/* A fresh list opens on its first (most urgent) incident. */
static void
select_first (WhQueuePage *self)
{
  if (self->model == NULL)
    return;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  else
    wh_incident_detail_show (self->detail, self->context, NULL);
}

gboolean
wh_queue_page_set_view (WhQueuePage *self, const char *view)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), FALSE);

  if (view == NULL || !g_strv_contains ((const char *const *) view_names, view))
    return FALSE;
  if (g_strcmp0 (self->view, view) == 0)
    return TRUE;

  g_free (self->view);
  self->view = g_strdup (view);
  if (!g_str_equal (view, "open") && !g_str_equal (view, "all"))
    wh_queue_page_set_grid_filter (self, NULL);
  apply_view (self);
  select_first (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
  return TRUE;
}

const char *
wh_queue_page_get_view (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->view;
}

void
wh_queue_page_set_context (WhQueuePage *self, WhContext *context)
{
  g_return_if_fail (WH_IS_QUEUE_PAGE (self));

  g_set_object (&self->context, context);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  if (context == NULL)
    {
      gtk_single_selection_set_model (self->selection, NULL);
      wh_incident_detail_show (self->detail, NULL, NULL);
      return;
    }

  wh_category_catalog_get_classes (wh_context_get_catalog (context)); /* load it once now */
  self->model = wh_incident_list_model_new (wh_context_get_incident_store (context));
  /* Around the selection's own handler, which runs in between. */
  g_signal_connect (self->model, "items-changed", G_CALLBACK (on_items_changing), self);
  g_signal_connect_after (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
  apply_view (self);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  select_first (self);
}

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

  if (self->model == NULL || wh_incident_list_model_get_view (self->model) >= 0)
    return NULL;
  return wh_incident_list_model_get_query (self->model);
}

void
wh_queue_page_select (WhQueuePage *self, guint position)
{
  g_return_if_fail (WH_IS_QUEUE_PAGE (self));
  gtk_single_selection_set_selected (self->selection, position);
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

  if (g_strcmp0 (self->grid_filter, grid_id) == 0)
    return;
  g_free (self->grid_filter);
  self->grid_filter = g_strdup (grid_id);

  gtk_widget_set_visible (self->grid_filter_button, grid_id != NULL);
  if (grid_id != NULL)
    {
      const char *name =
        self->context
          ? wh_grid_store_lookup_cell_name (wh_context_get_grid_store (self->context), grid_id)
          : NULL;

      gtk_label_set_label (self->grid_filter_label, name ? name : grid_id);
      if (!g_str_equal (self->view, "open") && !g_str_equal (self->view, "all"))
        {
          g_free (self->view);
          self->view = g_strdup ("open");
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
        }
    }
  apply_view (self);
  select_first (self);
}

const char *
wh_queue_page_get_grid_filter (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->grid_filter;
}

static void
on_grid_filter_clicked (WhQueuePage *self)
{
  wh_queue_page_set_grid_filter (self, NULL);
}

void
wh_queue_page_set_selected_incident (WhQueuePage *self, const char *incident_id)
{
  GListModel *model;
  guint       n;

  g_return_if_fail (WH_IS_QUEUE_PAGE (self));

  if (g_strcmp0 (self->selected_id, incident_id) == 0 || self->model == NULL)
    return;

  model = G_LIST_MODEL (self->model);
  n = MIN (g_list_model_get_n_items (model), SELECT_SEARCH_LIMIT);
  for (guint i = 0; incident_id != NULL && i < n; i++)
    {
      g_autoptr (WhIncident) incident = g_list_model_get_item (model, i);

      if (incident != NULL && g_strcmp0 (incident->id, incident_id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }

  /* Not listed (or far down): shown all the same, without a row. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  wh_incident_detail_show (self->detail, self->context, incident_id);
  set_selected_id (self, incident_id);
}

const char *
wh_queue_page_get_selected_incident (WhQueuePage *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_PAGE (self), NULL);
  return self->selected_id;
}

static void
wh_queue_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WhQueuePage *self = WH_QUEUE_PAGE (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_string (value, self->view);
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
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->selection != NULL)
    gtk_single_selection_set_model (self->selection, NULL);
  /* Unset the bin's child first: gtk_widget_dispose_template() would unparent it
   * behind AdwBin's back when it is a bound template child, leaving AdwBin a
   * dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_QUEUE_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (wh_queue_page_parent_class)->dispose (object);
}

static void
wh_queue_page_finalize (GObject *object)
{
  WhQueuePage *self = WH_QUEUE_PAGE (object);

  g_free (self->view);
  g_free (self->grid_filter);
  g_free (self->selected_id);
  g_clear_pointer (&self->countdowns, g_hash_table_unref);

  G_OBJECT_CLASS (wh_queue_page_parent_class)->finalize (object);
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

  /**
   * WhQueuePage:view:
   *
   * The ready-made view shown: "open", "overdue", "closed-today" or "all".
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
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, paned);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, detail);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, grid_filter_button);
  gtk_widget_class_bind_template_child (widget_class, WhQueuePage, grid_filter_label);
  gtk_widget_class_bind_template_callback (widget_class, on_grid_filter_clicked);

  gtk_widget_class_install_property_action (widget_class, "queue.view", "view");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "queue.view", "s",
                                       "open");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "queue.view", "s",
                                       "overdue");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "queue.view", "s",
                                       "closed-today");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "queue.view", "s",
                                       "all");
}

static void
wh_queue_page_init (WhQueuePage *self)
{
  self->view = g_strdup ("open");
  self->countdowns = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  /* What a duty officer scans first comes first; the rest scrolls on small screens. */
  add_column (self, COLUMN_NUMBER, _ ("Number"), 120, FALSE);
  add_column (self, COLUMN_PRIORITY, _ ("Priority"), 56, FALSE);
  add_column (self, COLUMN_TITLE, _ ("Title"), 170, TRUE);
  add_column (self, COLUMN_STATUS, _ ("Status"), 104, FALSE);
  add_column (self, COLUMN_DEADLINE, _ ("Deadline"), 136, FALSE);
  add_column (self, COLUMN_LEAD_UNIT, _ ("Lead Unit"), 84, FALSE);
  add_column (self, COLUMN_CATEGORY, _ ("Category"), 110, FALSE);
  add_column (self, COLUMN_GRID, _ ("Grid Cell"), 100, FALSE);
  add_column (self, COLUMN_SOURCE, _ ("Source"), 84, FALSE);
  add_column (self, COLUMN_UPDATED, _ ("Last Change"), 90, FALSE);

  self->countdown_timer =
    g_timeout_add_seconds (COUNTDOWN_REFRESH_SECONDS, refresh_countdowns, self);
}
