/* wh-queue-sidebar.c — the queue's ready-made views with live counts, and saved views */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-queue-sidebar.h"

#define SAVED_VIEWS_KEY "saved-views"

typedef struct
{
  WhIncidentView view;
  const char    *label;
  const char    *tooltip;
} ViewInfo;

/* The duty officer's day, in the order the work flows; Alt+1 … Alt+0. */
static const ViewInfo view_infos[] = {
  { WH_INCIDENT_VIEW_OPEN, N_ ("All Open"), N_ ("Every incident not closed yet") },
  { WH_INCIDENT_VIEW_AWAITING_WHISTLE, N_ ("Awaiting Whistle"),
    N_ ("Reported, registered or returned by a unit: the street must dispatch") },
  { WH_INCIDENT_VIEW_AWAITING_REPORT_IN, N_ ("Awaiting Report-In"),
    N_ ("Whistled, and a summoned unit has not reported in") },
  { WH_INCIDENT_VIEW_IN_PROGRESS, N_ ("In Progress"),
    N_ ("Being handled, in legal review or in rework") },
  { WH_INCIDENT_VIEW_AWAITING_VERIFICATION, N_ ("Awaiting Verification"),
    N_ ("Fed back by the lead unit: the street must verify") },
  { WH_INCIDENT_VIEW_OVERDUE, N_ ("Overdue"), N_ ("Open, and the running deadline has passed") },
  { WH_INCIDENT_VIEW_ESCALATED, N_ ("Escalated"), N_ ("Escalated to the district, still open") },
  { WH_INCIDENT_VIEW_RETURNED, N_ ("Returned by a Unit"),
    N_ ("Open, and returned by a unit at least once") },
  { WH_INCIDENT_VIEW_CLOSED_TODAY, N_ ("Closed Today"), N_ ("Closed since midnight") },
  { WH_INCIDENT_VIEW_MINE, N_ ("Mine"), N_ ("Open incidents the officer on duty has acted on") },
  { WH_INCIDENT_VIEW_ALL, N_ ("All Incidents"), N_ ("Every incident, closed ones too") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (view_infos) == WH_N_INCIDENT_VIEWS);

struct _WhQueueSidebar
{
  GtkBox parent_instance;

  /* template children */
  GtkListBox *views_list;
  GtkListBox *saved_list;
  GtkWidget  *saved_empty;

  GtkLabel      *count_labels[WH_N_INCIDENT_VIEWS]; /* by WhIncidentView */
  GtkListBoxRow *rows[WH_N_INCIDENT_VIEWS];
  WhQueueFilter *filter;
  WhQueueCounts *counts;
  GSettings     *settings;
  GVariant      *saved; /* a(sa{sv}), the saved views */
  gboolean       updating;
};

G_DEFINE_FINAL_TYPE (WhQueueSidebar, wh_queue_sidebar, GTK_TYPE_BOX)

guint
wh_queue_sidebar_get_n_views (void)
{
  return G_N_ELEMENTS (view_infos);
}

WhIncidentView
wh_queue_sidebar_get_view_at (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (view_infos), WH_INCIDENT_VIEW_OPEN);
  return view_infos[index].view;
}

const char *
wh_queue_view_label (WhIncidentView view)
{
  for (guint i = 0; i < G_N_ELEMENTS (view_infos); i++)
    if (view_infos[i].view == view)
      return _ (view_infos[i].label);
  return "";
}

/* Views */

static void
update_selected_view (WhQueueSidebar *self)
{
  if (self->filter == NULL)
    return;
  self->updating = TRUE;
  gtk_list_box_select_row (self->views_list, self->rows[wh_queue_filter_get_view (self->filter)]);
  self->updating = FALSE;
}

static void
update_counts (WhQueueSidebar *self)
{
  for (int view = 0; view < WH_N_INCIDENT_VIEWS; view++)
    {
      int n = self->counts ? wh_queue_counts_get (self->counts, view) : -1;
      g_autofree char *text = n >= 0 ? g_strdup_printf ("%d", n) : g_strdup ("");

      gtk_label_set_label (self->count_labels[view], text);
      /* Overdue and returned incidents are the ones that hurt in the assessment. */
      if ((view == WH_INCIDENT_VIEW_OVERDUE || view == WH_INCIDENT_VIEW_RETURNED) && n > 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->count_labels[view]), "count-alert");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->count_labels[view]), "count-alert");
    }
}

static void
on_view_row_selected (WhQueueSidebar *self, GtkListBoxRow *row)
{
  if (self->updating || self->filter == NULL || row == NULL)
    return;
  wh_queue_filter_set_view (self->filter,
                            GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "view")));
}

static GtkWidget *
view_row (WhQueueSidebar *self, guint index)
{
  const ViewInfo *info = &view_infos[index];
  GtkWidget      *row = gtk_list_box_row_new ();
  GtkWidget      *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget      *label = gtk_label_new (_ (info->label));
  GtkWidget      *count = gtk_label_new (NULL);
  g_autofree char *tooltip = NULL;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_add_css_class (count, "view-count");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  if (index < 10)
    /* Translators: a view's tooltip, then its shortcut, e.g. "… (Alt+3)" */
    tooltip = g_strdup_printf (_ ("%s (Alt+%u)"), _ (info->tooltip), (index + 1) % 10);
  else
    tooltip = g_strdup (_ (info->tooltip));
  gtk_widget_set_tooltip_text (row, tooltip);
  g_object_set_data (G_OBJECT (row), "view", GINT_TO_POINTER (info->view));
  self->count_labels[info->view] = GTK_LABEL (count);
  self->rows[info->view] = GTK_LIST_BOX_ROW (row);
  return row;
}

/* Saved views */

static void rebuild_saved (WhQueueSidebar *self);

static void
store_saved (WhQueueSidebar *self, GVariant *saved)
{
  g_autoptr (GVariant) old = self->saved;

  self->saved = g_variant_ref_sink (saved);
  if (self->settings != NULL)
    g_settings_set_value (self->settings, SAVED_VIEWS_KEY, self->saved);
  rebuild_saved (self);
}

static void
on_saved_row_activated (WhQueueSidebar *self, GtkListBoxRow *row)
{
  wh_queue_sidebar_apply_saved_view (self, g_object_get_data (G_OBJECT (row), "name"));
}

static void
on_delete_clicked (GtkButton *button, WhQueueSidebar *self)
{
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (button), "name"));

  wh_queue_sidebar_delete_saved_view (self, name);
}

static void
rebuild_saved (WhQueueSidebar *self)
{
  GtkWidget  *child;
  GVariantIter iter;
  const char *name;
  GVariant   *dict;
  guint       n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->saved_list))) != NULL)
    gtk_list_box_remove (self->saved_list, child);

  g_variant_iter_init (&iter, self->saved);
  while (g_variant_iter_next (&iter, "(&s@a{sv})", &name, &dict))
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (name);
      GtkWidget *delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *tooltip = g_strdup_printf (_ ("Delete the saved view “%s”"), name);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (delete, "flat");
      gtk_widget_add_css_class (delete, "circular");
      gtk_widget_set_tooltip_text (delete, tooltip);
      gtk_widget_set_valign (delete, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (delete), "name", g_strdup (name), g_free);
      g_signal_connect (delete, "clicked", G_CALLBACK (on_delete_clicked), self);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), delete);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "name", g_strdup (name), g_free);
      gtk_list_box_append (self->saved_list, row);
      g_variant_unref (dict);
      n++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->saved_list), n > 0);
  gtk_widget_set_visible (self->saved_empty, n == 0);
}

static GVariant *
saved_without (WhQueueSidebar *self, const char *skip, gboolean *found)
{
  GVariantBuilder builder;
  GVariantIter    iter;
  const char     *name;
  GVariant       *dict;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sa{sv})"));
  g_variant_iter_init (&iter, self->saved);
  while (g_variant_iter_next (&iter, "(&s@a{sv})", &name, &dict))
    {
      if (g_strcmp0 (name, skip) == 0)
        {
          if (found != NULL)
            *found = TRUE;
        }
      else
        g_variant_builder_add (&builder, "(s@a{sv})", name, dict);
      g_variant_unref (dict);
    }
  return g_variant_builder_end (&builder);
}

void
wh_queue_sidebar_save_view (WhQueueSidebar *self, const char *name)
{
  g_autoptr (GVariant) rest = NULL;
  g_autofree char *stripped = NULL;
  GVariantBuilder builder;
  GVariantIter    iter;
  GVariant       *child;

  g_return_if_fail (WH_IS_QUEUE_SIDEBAR (self));
  g_return_if_fail (name != NULL);

  stripped = g_strstrip (g_strdup (name));
  if (self->filter == NULL || *stripped == '\0')
    return;

  /* Replacing a view keeps the others in their order and puts the new one last. */
  rest = g_variant_ref_sink (saved_without (self, stripped, NULL));
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sa{sv})"));
  g_variant_iter_init (&iter, rest);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_variant_builder_add_value (&builder, child);
      g_variant_unref (child);
    }
  g_variant_builder_add (&builder, "(s@a{sv})", stripped, wh_queue_filter_save (self->filter));
  store_saved (self, g_variant_builder_end (&builder));
}

gboolean
wh_queue_sidebar_apply_saved_view (WhQueueSidebar *self, const char *name)
{
  GVariantIter iter;
  const char  *n;
  GVariant    *dict;

  g_return_val_if_fail (WH_IS_QUEUE_SIDEBAR (self), FALSE);

  if (self->filter == NULL || name == NULL)
    return FALSE;
  g_variant_iter_init (&iter, self->saved);
  while (g_variant_iter_next (&iter, "(&s@a{sv})", &n, &dict))
    {
      g_autoptr (GVariant) owned = dict;

      if (g_strcmp0 (n, name) == 0)
        {
          wh_queue_filter_load (self->filter, dict);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
wh_queue_sidebar_delete_saved_view (WhQueueSidebar *self, const char *name)
{
  gboolean  found = FALSE;
  GVariant *rest;

  g_return_val_if_fail (WH_IS_QUEUE_SIDEBAR (self), FALSE);

  rest = saved_without (self, name, &found);
  if (!found)
    {
      g_variant_unref (g_variant_ref_sink (rest));
      return FALSE;
    }
  store_saved (self, rest);
  return TRUE;
}

char **
wh_queue_sidebar_list_saved_views (WhQueueSidebar *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  GVariantIter iter;
  const char  *name;
  GVariant    *dict;

  g_return_val_if_fail (WH_IS_QUEUE_SIDEBAR (self), NULL);

  g_variant_iter_init (&iter, self->saved);
  while (g_variant_iter_next (&iter, "(&s@a{sv})", &name, &dict))
    {
      g_strv_builder_add (builder, name);
      g_variant_unref (dict);
    }
  return g_strv_builder_end (builder);
}

static void
on_settings_changed (WhQueueSidebar *self)
{
  g_autoptr (GVariant) old = self->saved;

  /* Another window of the desk saved or deleted one. */
  self->saved = g_settings_get_value (self->settings, SAVED_VIEWS_KEY);
  rebuild_saved (self);
}

void
wh_queue_sidebar_set_settings (WhQueueSidebar *self, GSettings *settings)
{
  g_return_if_fail (WH_IS_QUEUE_SIDEBAR (self));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (settings != NULL)
    {
      g_autoptr (GSettingsSchema) schema = NULL;

      /* An older compiled schema (a desk upgraded without its schema) lacks the key: keep
       * saved views for this run rather than abort. */
      g_object_get (settings, "settings-schema", &schema, NULL);
      if (schema == NULL || !g_settings_schema_has_key (schema, SAVED_VIEWS_KEY))
        return;
    }
  g_set_object (&self->settings, settings);
  if (settings == NULL)
    return;
  g_signal_connect_swapped (settings, "changed::" SAVED_VIEWS_KEY,
                            G_CALLBACK (on_settings_changed), self);
  on_settings_changed (self);
}

void
wh_queue_sidebar_set_filter (WhQueueSidebar *self, WhQueueFilter *filter)
{
  g_return_if_fail (WH_IS_QUEUE_SIDEBAR (self));

  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  g_set_object (&self->filter, filter);
  if (filter != NULL)
    g_signal_connect_swapped (filter, "notify::view", G_CALLBACK (update_selected_view), self);
  update_selected_view (self);
}

void
wh_queue_sidebar_set_counts (WhQueueSidebar *self, WhQueueCounts *counts)
{
  g_return_if_fail (WH_IS_QUEUE_SIDEBAR (self));

  if (self->counts != NULL)
    g_signal_handlers_disconnect_by_data (self->counts, self);
  g_set_object (&self->counts, counts);
  if (counts != NULL)
    g_signal_connect_swapped (counts, "changed", G_CALLBACK (update_counts), self);
  update_counts (self);
}

const char *
wh_queue_sidebar_get_count_text (WhQueueSidebar *self, WhIncidentView view)
{
  g_return_val_if_fail (WH_IS_QUEUE_SIDEBAR (self), NULL);
  g_return_val_if_fail (view < WH_N_INCIDENT_VIEWS, NULL);
  return gtk_label_get_label (self->count_labels[view]);
}

static void
wh_queue_sidebar_dispose (GObject *object)
{
  WhQueueSidebar *self = WH_QUEUE_SIDEBAR (object);

  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  if (self->counts != NULL)
    g_signal_handlers_disconnect_by_data (self->counts, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->filter);
  g_clear_object (&self->counts);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_QUEUE_SIDEBAR);

  G_OBJECT_CLASS (wh_queue_sidebar_parent_class)->dispose (object);
}

static void
wh_queue_sidebar_finalize (GObject *object)
{
  WhQueueSidebar *self = WH_QUEUE_SIDEBAR (object);

  g_clear_pointer (&self->saved, g_variant_unref);

  G_OBJECT_CLASS (wh_queue_sidebar_parent_class)->finalize (object);
}

static void
wh_queue_sidebar_class_init (WhQueueSidebarClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_queue_sidebar_dispose;
  object_class->finalize = wh_queue_sidebar_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-queue-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, WhQueueSidebar, views_list);
  gtk_widget_class_bind_template_child (widget_class, WhQueueSidebar, saved_list);
  gtk_widget_class_bind_template_child (widget_class, WhQueueSidebar, saved_empty);
}

static void
wh_queue_sidebar_init (WhQueueSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->saved = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("(sa{sv})"), NULL, 0));
  for (guint i = 0; i < G_N_ELEMENTS (view_infos); i++)
    gtk_list_box_append (self->views_list, view_row (self, i));
  g_signal_connect_swapped (self->views_list, "row-selected", G_CALLBACK (on_view_row_selected),
                            self);
  g_signal_connect_swapped (self->saved_list, "row-activated", G_CALLBACK (on_saved_row_activated),
                            self);
  rebuild_saved (self);
}
