/* wh-map-page.c — the Map page: grid cells, open incidents, a legend */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-format.h"
#include "wh-map-page.h"

struct _WhMapPage
{
  AdwBin parent_instance;

  /* template children */
  WhGridView *grid_view;
  GtkLabel   *street_label;
  GtkLabel   *summary_label;
  GtkFlowBox *community_legend;
  GtkFlowBox *status_legend;
  GtkWidget  *cell_box;
  GtkWidget  *summary_box;
  GtkWidget  *legend_box;
  GtkLabel   *cell_name_label;
  GtkLabel   *cell_code_label;
  GtkLabel   *cell_community_label;
  GtkLabel   *cell_open_label;
  GtkLabel   *cell_duty_label;

  WhContext *context;
  GString   *cell_text;
  guint      reload_idle;
};

G_DEFINE_FINAL_TYPE (WhMapPage, wh_map_page, ADW_TYPE_BIN)

static GtkWidget *
legend_entry (const char *symbol, const GdkRGBA *color, const char *text)
{
  g_autofree char *hex = g_strdup_printf ("#%02x%02x%02x", (int) (color->red * 255),
                                          (int) (color->green * 255), (int) (color->blue * 255));
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *markup =
    g_strdup_printf ("<span foreground=\"%s\">%s</span> %s", hex, symbol, escaped);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

static void
clear_flow_box (GtkFlowBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_flow_box_remove (box, child);
}

static void
fill_status_legend (WhMapPage *self)
{
  GdkRGBA overdue = { 0xe0 / 255.f, 0x1b / 255.f, 0x24 / 255.f, 1 };

  clear_flow_box (self->status_legend);
  for (WhStatusGroup g = 0; g < WH_STATUS_GROUP_DONE; g++)
    {
      double  r, gg, b;
      GdkRGBA c;

      wh_status_group_color (g, &r, &gg, &b);
      c = (GdkRGBA){ r, gg, b, 1 };
      gtk_flow_box_append (self->status_legend, legend_entry ("●", &c, wh_status_group_label (g)));
    }
  gtk_flow_box_append (self->status_legend, legend_entry ("●", &overdue, _ ("Overdue")));
}

static void
update_cell_card (WhMapPage *self)
{
  WhGridCell      *cell = wh_grid_view_get_selected_cell (self->grid_view);
  g_autofree char *open = NULL;
  g_autofree char *community = NULL;
  g_autoptr (GString) duty = g_string_new (NULL);

  g_string_truncate (self->cell_text, 0);
  gtk_widget_set_visible (self->cell_box, cell != NULL);
  if (cell == NULL || self->context == NULL)
    return;

  /* Translators: %s is the name of a community (社区) */
  community =
    g_strdup_printf (_ ("Community: %s"), cell->community_name ? cell->community_name : "");
  open = g_strdup_printf (ngettext ("%u open incident", "%u open incidents", cell->n_open),
                          cell->n_open);
  gtk_label_set_label (self->cell_name_label, cell->name);
  gtk_label_set_label (self->cell_code_label, cell->id);
  gtk_label_set_label (self->cell_community_label, community);
  gtk_label_set_label (self->cell_open_label, open);

  /* Who answers for what in this cell (每个网格每类事项的责任人), first few classes. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GListModel) duties = wh_roster_store_list_grid_duties (
      wh_context_get_roster_store (self->context), cell->id, &error);
    guint n = duties ? g_list_model_get_n_items (duties) : 0;

    if (duties == NULL)
      g_warning ("Could not read the grid duties: %s", error->message);
    for (guint i = 0; i < MIN (n, 6); i++)
      {
        g_autoptr (WhGridDuty) d = g_list_model_get_item (duties, i);

        if (duty->len > 0)
          g_string_append_c (duty, '\n');
        g_string_append_printf (
          duty, "%s — %s", d->category_name ? d->category_name : d->category_code, d->staff_name);
      }
    if (n > 6)
      {
        g_string_append_c (duty, '\n');
        g_string_append_printf (duty, ngettext ("and %u more class", "and %u more classes", n - 6),
                                n - 6);
      }
  }
  gtk_label_set_label (self->cell_duty_label, duty->str);
  gtk_widget_set_visible (GTK_WIDGET (self->cell_duty_label), duty->len > 0);

  g_string_printf (self->cell_text, "%s\n%s\n%s\n%s", cell->name, cell->id, community, open);
}

/* The street is drawn beside the column of cards on the left, not under it. */
static void
update_insets (WhMapPage *self)
{
  int legend = 0, summary = 0;

  gtk_widget_measure (self->legend_box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &legend, NULL, NULL);
  gtk_widget_measure (self->summary_box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &summary, NULL,
                      NULL);
  wh_grid_view_set_insets (self->grid_view, MAX (legend, summary) + 12, 0, 0, 0);
}

void
wh_map_page_reload (WhMapPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) cells = NULL;
  g_autoptr (GListModel) communities = NULL;
  g_autoptr (GArray) points = NULL;
  g_autoptr (WhStreet) street = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *n_cells_text = NULL;
  g_autofree char *n_open_text = NULL;
  WhGridStore     *store;
  gint64           now;

  g_return_if_fail (WH_IS_MAP_PAGE (self));

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  if (self->context == NULL)
    return;

  store = wh_context_get_grid_store (self->context);
  now = wh_context_get_now (self->context);

  if (!(cells = wh_grid_store_list_cells (store, &error)) ||
      !(communities = wh_grid_store_list_communities (store, &error)) ||
      !(points = wh_grid_store_list_incident_points (store, TRUE, &error)))
    {
      g_autofree char *text = g_strdup_printf (_ ("The map could not be read: %s"), error->message);

      gtk_label_set_label (self->summary_label, text);
      wh_grid_view_set_cells (self->grid_view, NULL);
      return;
    }
  street = wh_grid_store_get_street (store, NULL);

  wh_grid_view_set_cells (self->grid_view, cells);
  wh_grid_view_set_points (self->grid_view, points, now);

  gtk_label_set_label (self->street_label, street ? street->name : "");
  n_cells_text =
    g_strdup_printf (ngettext ("%u grid cell", "%u grid cells", g_list_model_get_n_items (cells)),
                     g_list_model_get_n_items (cells));
  n_open_text =
    g_strdup_printf (ngettext ("%u open incident", "%u open incidents", points->len), points->len);
  /* Translators: "60 grid cells · 812 open incidents" */
  summary = g_strdup_printf (_ ("%s · %s"), n_cells_text, n_open_text);
  gtk_label_set_label (self->summary_label, summary);

  clear_flow_box (self->community_legend);
  for (guint i = 0; i < g_list_model_get_n_items (communities); i++)
    {
      g_autoptr (WhCommunity) c = g_list_model_get_item (communities, i);
      GdkRGBA color;

      wh_grid_view_community_color (c->index, &color);
      gtk_flow_box_append (self->community_legend, legend_entry ("■", &color, c->name));
    }

  update_cell_card (self);
  update_insets (self);
}

static void
reload_in_idle (gpointer data)
{
  WhMapPage *self = data;

  self->reload_idle = 0;
  wh_map_page_reload (self);
}

static void
on_incident_changed (WhIncidentStore *store, const char *incident_id, WhMapPage *self)
{
  /* Several ops may land at once (a sync batch): redraw once. */
  if (self->reload_idle == 0)
    self->reload_idle = g_idle_add_once (reload_in_idle, self);
}

void
wh_map_page_set_context (WhMapPage *self, WhContext *context)
{
  g_return_if_fail (WH_IS_MAP_PAGE (self));

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  g_set_object (&self->context, context);
  if (context != NULL)
    g_signal_connect (wh_context_get_incident_store (context), "changed",
                      G_CALLBACK (on_incident_changed), self);
  wh_map_page_reload (self);
}

WhGridView *
wh_map_page_get_grid_view (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->grid_view;
}

const char *
wh_map_page_get_cell_text (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->cell_text->str;
}

static void
wh_map_page_dispose (GObject *object)
{
  WhMapPage *self = WH_MAP_PAGE (object);

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  g_clear_object (&self->context);
  /* Unset the bin's child first: gtk_widget_dispose_template() would unparent it
   * behind AdwBin's back when it is a bound template child, leaving AdwBin a
   * dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_MAP_PAGE);

  G_OBJECT_CLASS (wh_map_page_parent_class)->dispose (object);
}

static void
wh_map_page_finalize (GObject *object)
{
  WhMapPage *self = WH_MAP_PAGE (object);

  g_string_free (self->cell_text, TRUE);

  G_OBJECT_CLASS (wh_map_page_parent_class)->finalize (object);
}

static void
wh_map_page_class_init (WhMapPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_map_page_dispose;
  object_class->finalize = wh_map_page_finalize;

  g_type_ensure (WH_TYPE_GRID_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/whistle/Desk/wh-map-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, grid_view);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, street_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, community_legend);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, status_legend);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, summary_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_name_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_code_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_community_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_open_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_duty_label);
}

static void
wh_map_page_init (WhMapPage *self)
{
  self->cell_text = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->grid_view, "selection-changed", G_CALLBACK (update_cell_card),
                            self);
  fill_status_legend (self);
}
