/* wh-map-page.c — the Map page: the street on its offline base map, cells and incidents */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "wh-application.h"
#include "wh-format.h"
#include "wh-map-page-private.h"
#include "wh-mercator.h"

/* The zoom levels offered without a base map to bound them. */
#define PLAIN_MIN_ZOOM 12
#define PLAIN_MAX_ZOOM 19

G_DEFINE_FINAL_TYPE (WhMapPage, wh_map_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SELECTED_INCIDENT,
  PROP_PLACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SHOW_IN_QUEUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Legends */

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
fill_status_legend (WhMapPage *self)
{
  WhIncidentPoint overdue = { .due_at = 1, .status = WH_STATUS_IN_PROGRESS };
  GdkRGBA         c;

  for (WhStatusGroup g = 0; g < WH_STATUS_GROUP_DONE; g++)
    {
      double r, gg, b;

      wh_status_group_color (g, &r, &gg, &b);
      c = (GdkRGBA){ r, gg, b, 1 };
      gtk_flow_box_append (self->status_legend, legend_entry ("●", &c, wh_status_group_label (g)));
    }
  wh_incident_layer_point_color (&overdue, 2, &c);
  gtk_flow_box_append (self->status_legend, legend_entry ("●", &c, _ ("Overdue")));
}

static void
update_measure_legend (WhMapPage *self)
{
  guint      max = wh_grid_layer_get_max_count (self->grid_layer);
  guint      last = 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->measure_legend))) != NULL)
    gtk_box_remove (self->measure_legend, child);

  if (max == 0)
    {
      GtkWidget *none = gtk_label_new (_ ("None in any cell"));

      gtk_widget_add_css_class (none, "dim-label");
      gtk_box_append (self->measure_legend, none);
      return;
    }
  /* Four steps of the ramp, from one to the busiest cell. */
  for (guint k = 0; k < 4; k++)
    {
      guint            value = 1 + (guint) round ((max - 1) * k / 3.0);
      g_autofree char *text = g_strdup_printf ("%u", value);
      GdkRGBA          c;

      if (value == last)
        continue;
      last = value;
      wh_grid_layer_fill_color (value, max, &c);
      c.alpha = 1;
      gtk_box_append (self->measure_legend, legend_entry ("■", &c, text));
    }
}

/* The cell card */

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static void
update_cell_card (WhMapPage *self)
{
  WhGridCell      *cell = wh_grid_layer_get_selected_cell (self->grid_layer);
  g_autofree char *open = NULL;
  g_autofree char *community = NULL;
  g_autoptr (GListModel) duties = NULL;
  g_autoptr (GError) error = NULL;
  guint n;

  g_string_truncate (self->cell_text, 0);
  clear_grid (self->cell_duty_grid);
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
  g_string_printf (self->cell_text, "%s\n%s\n%s\n%s", cell->name, cell->id, community, open);

  /* Who answers for what in this cell (每个网格每类事项的责任人). */
  duties = wh_roster_store_list_grid_duties (wh_context_get_roster_store (self->context), cell->id,
                                             &error);
  if (duties == NULL)
    g_warning ("Could not read the grid duties: %s", error->message);
  n = duties != NULL ? g_list_model_get_n_items (duties) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (WhGridDuty) d = g_list_model_get_item (duties, i);
      GtkWidget *what = gtk_label_new (d->category_name ? d->category_name : d->category_code);
      GtkWidget *who = gtk_label_new (d->staff_name);

      gtk_label_set_xalign (GTK_LABEL (what), 0);
      gtk_label_set_xalign (GTK_LABEL (who), 0);
      gtk_label_set_ellipsize (GTK_LABEL (what), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (what, "dim-label");
      gtk_widget_set_hexpand (what, TRUE);
      if (d->staff_phone != NULL && *d->staff_phone != '\0')
        {
          /* Translators: tooltip of a responsible person: unit and phone */
          g_autofree char *tip = g_strdup_printf (
            _ ("%s · %s"), d->unit_short_name ? d->unit_short_name : "", d->staff_phone);

          gtk_widget_set_tooltip_text (who, tip);
        }
      gtk_grid_attach (self->cell_duty_grid, what, 0, (int) i, 1, 1);
      gtk_grid_attach (self->cell_duty_grid, who, 1, (int) i, 1, 1);
      g_string_append_printf (self->cell_text, "\n%s — %s", gtk_label_get_label (GTK_LABEL (what)),
                              d->staff_name);
    }
  gtk_widget_set_visible (self->cell_duty_heading, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->cell_duty_grid), n > 0);
}

static void
open_cell_card (WhMapPage *self, double map_x, double map_y)
{
  graphene_point_t at;

  update_cell_card (self);
  if (wh_grid_layer_get_selected_cell (self->grid_layer) == NULL)
    {
      gtk_popover_popdown (self->cell_popover);
      return;
    }
  if (!gtk_widget_compute_point (GTK_WIDGET (self->map), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT ((float) map_x, (float) map_y), &at))
    at = GRAPHENE_POINT_INIT ((float) map_x, (float) map_y);
  gtk_popover_set_pointing_to (self->cell_popover, &(GdkRectangle){ (int) at.x, (int) at.y, 1, 1 });
  gtk_popover_popup (self->cell_popover);
}

static void
on_cell_popover_closed (WhMapPage *self)
{
  wh_grid_layer_select_cell (self->grid_layer, NULL);
  g_string_truncate (self->cell_text, 0);
}

/* The view */

static void
center_on_normalised (WhMapPage *self, double nx, double ny, double zoom, gboolean animate)
{
  double lon, lat;

  wh_mercator_unproject (nx, ny, &lon, &lat);
  if (animate && gtk_widget_get_mapped (GTK_WIDGET (self)))
    shumate_map_go_to_full (self->map, lat, lon, zoom);
  else
    {
      ShumateViewport *viewport = shumate_map_get_viewport (self->map);

      shumate_viewport_set_zoom_level (viewport, zoom);
      shumate_map_center_on (self->map, lat, lon);
    }
}

static void fit_street (WhMapPage *self, gboolean animate, double max_zoom);

static gboolean
fit_when_allocated (GtkWidget *map, GdkFrameClock *clock, gpointer data)
{
  WhMapPage *self = data;

  if (!self->view_pending)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_width (map) <= 0)
    return G_SOURCE_CONTINUE;
  self->view_pending = FALSE;
  fit_street (self, FALSE, self->view_max_zoom);
  return G_SOURCE_REMOVE;
}

/* Someone placed the view while the first one waited for the map's size: theirs stands. */
static void
on_view_placed (WhMapPage *self)
{
  self->view_pending = FALSE;
}

/* Shows the whole street, at no closer than @max_zoom. */
static void
fit_street (WhMapPage *self, gboolean animate, double max_zoom)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  int              width = gtk_widget_get_width (GTK_WIDGET (self->map));
  int              height = gtk_widget_get_height (GTK_WIDGET (self->map));
  WhGeoBounds      b;
  double           x0, y0, x1, y1, zoom;

  if (!wh_grid_layer_get_bounds (self->grid_layer, &b))
    return;
  if (width <= 0 || height <= 0)
    {
      /* Not shown yet: once the map has a size. */
      self->view_max_zoom = max_zoom;
      if (!self->view_pending)
        gtk_widget_add_tick_callback (GTK_WIDGET (self->map), fit_when_allocated, self, NULL);
      self->view_pending = TRUE;
      return;
    }
  self->view_pending = FALSE;

  wh_mercator_project (b.min_lon, b.max_lat, &x0, &y0);
  wh_mercator_project (b.max_lon, b.min_lat, &x1, &y1);
  /* Room for the cards along the edges. */
  zoom = log2 (MIN ((width - 120) / ((x1 - x0) * 256), (height - 80) / ((y1 - y0) * 256)));
  zoom = MIN (zoom, max_zoom);
  zoom = CLAMP (zoom, shumate_viewport_get_min_zoom_level (viewport),
                shumate_viewport_get_max_zoom_level (viewport));
  center_on_normalised (self, (x0 + x1) / 2, (y0 + y1) / 2, zoom, animate);
}

void
wh_map_page_show_street (WhMapPage *self)
{
  g_return_if_fail (WH_IS_MAP_PAGE (self));
  fit_street (self, TRUE, G_MAXDOUBLE);
}

/* The first view of a street: the whole street, but no closer than the base map's
 * metadata says (its center's zoom is what the street was drawn to be seen at). */
void
wh_map_page_show_initial_view (WhMapPage *self)
{
  double zoom;

  if (self->source == NULL || !wh_mbtiles_source_get_center (self->source, NULL, NULL, &zoom))
    zoom = G_MAXDOUBLE;
  fit_street (self, FALSE, zoom);
}

/* Data */

static void
reload_counts (WhMapPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) counts = NULL;

  if (self->context == NULL)
    return;
  counts = wh_grid_store_count_by_cell (wh_context_get_grid_store (self->context), self->measure,
                                        wh_context_get_now (self->context), &error);
  if (counts == NULL)
    g_warning ("Could not count the incidents per cell: %s", error->message);
  wh_grid_layer_set_counts (self->grid_layer, counts);
  update_measure_legend (self);
}

void
wh_map_page_reload (WhMapPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) cells = NULL;
  g_autoptr (GArray) points = NULL;
  g_autoptr (WhStreet) street = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *n_cells_text = NULL;
  g_autofree char *n_open_text = NULL;
  WhGridStore     *store;

  g_return_if_fail (WH_IS_MAP_PAGE (self));

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  self->reload_pending = FALSE;
  if (self->context == NULL)
    return;

  store = wh_context_get_grid_store (self->context);
  if (!(cells = wh_grid_store_list_cells (store, &error)) ||
      !(points = wh_map_page_read_points (self, &error)))
    {
      g_autofree char *text = g_strdup_printf (_ ("The map could not be read: %s"), error->message);

      gtk_label_set_label (self->summary_label, text);
      wh_grid_layer_set_cells (self->grid_layer, NULL);
      wh_incident_layer_set_points (self->incident_layer, NULL, 0, 0);
      return;
    }
  street = wh_grid_store_get_street (store, NULL);

  wh_grid_layer_set_cells (self->grid_layer, cells);
  reload_counts (self);
  /* A reload keeps the selection where it can; losing it (the incident closed) is not
   * the officer choosing another one, so the queue is not told. */
  self->syncing = TRUE;
  wh_incident_layer_set_points (self->incident_layer, (WhIncidentPoint *) points->data, points->len,
                                wh_context_get_now (self->context));
  self->syncing = FALSE;

  gtk_label_set_label (self->street_label, street ? street->name : "");
  n_cells_text =
    g_strdup_printf (ngettext ("%u grid cell", "%u grid cells", g_list_model_get_n_items (cells)),
                     g_list_model_get_n_items (cells));
  /* With the queue's filter on the map, the chip below says how many are shown. */
  if (!wh_map_page_is_filtered (self))
    {
      n_open_text = g_strdup_printf (
        ngettext ("%u open incident", "%u open incidents", points->len), points->len);
      /* Translators: "60 grid cells · 812 open incidents" */
      summary = g_strdup_printf (_ ("%s · %s"), n_cells_text, n_open_text);
    }
  gtk_label_set_label (self->summary_label, summary ? summary : n_cells_text);
  self->n_shown = points->len;
  wh_map_page_update_filter_chip (self);

  if (gtk_widget_get_visible (GTK_WIDGET (self->cell_popover)))
    update_cell_card (self);
}

static gboolean
reload_in_idle (gpointer data)
{
  WhMapPage *self = data;

  self->reload_idle = 0;
  wh_map_page_reload (self);
  return G_SOURCE_REMOVE;
}

void
wh_map_page_queue_reload (WhMapPage *self)
{
  /* A hidden map reads nothing: the queue's filter changing, or ops landing, while the
   * officer works in the queue would cost every one of those frames a read of the
   * street's points. It reads once, when shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->reload_pending = TRUE;
      return;
    }
  /* Before the next frame: a map redrawing without pause (tiles fading in, an animated
   * zoom) would starve a default-priority idle. */
  if (self->reload_idle == 0)
    self->reload_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_in_idle, self, NULL);
}

static void
wh_map_page_map (GtkWidget *widget)
{
  WhMapPage *self = WH_MAP_PAGE (widget);

  GTK_WIDGET_CLASS (wh_map_page_parent_class)->map (widget);
  if (self->reload_pending)
    wh_map_page_reload (self);
}

static void
on_incident_changed (WhIncidentStore *store, const char *incident_id, WhMapPage *self)
{
  /* Several ops may land at once (a sync batch): redraw once. */
  wh_map_page_queue_reload (self);
}

void
wh_map_page_set_context (WhMapPage *self, WhContext *context)
{
  g_return_if_fail (WH_IS_MAP_PAGE (self));

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  gtk_popover_popdown (self->cell_popover);
  g_set_object (&self->context, context);
  g_clear_pointer (&self->selected_incident, g_free);
  if (context != NULL)
    g_signal_connect (wh_context_get_incident_store (context), "changed",
                      G_CALLBACK (on_incident_changed), self);

  wh_map_page_base_map_context_changed (self);
  wh_map_page_load_base_map (self);
  wh_map_page_reload (self);
  if (context != NULL)
    wh_map_page_show_initial_view (self);
}

/* Measures */

void
wh_map_page_set_measure (WhMapPage *self, WhGridMeasure measure)
{
  g_return_if_fail (WH_IS_MAP_PAGE (self));
  g_return_if_fail (measure < WH_N_GRID_MEASURES);

  if (gtk_drop_down_get_selected (self->measure_dropdown) != measure)
    {
      gtk_drop_down_set_selected (self->measure_dropdown, measure);
      return; /* back here through the drop-down */
    }
  self->measure = measure;
  reload_counts (self);
}

WhGridMeasure
wh_map_page_get_measure (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), WH_GRID_MEASURE_OPEN);
  return self->measure;
}

static void
on_measure_selected (WhMapPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->measure_dropdown);

  if (selected < WH_N_GRID_MEASURES)
    wh_map_page_set_measure (self, (WhGridMeasure) selected);
}

static void
on_heat_switched (WhMapPage *self)
{
  wh_incident_layer_set_heat_map (self->incident_layer, gtk_switch_get_active (self->heat_switch));
}

void
wh_map_page_set_heat_map (WhMapPage *self, gboolean heat_map)
{
  g_return_if_fail (WH_IS_MAP_PAGE (self));
  gtk_switch_set_active (self->heat_switch, heat_map);
}

gboolean
wh_map_page_get_heat_map (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), FALSE);
  return wh_incident_layer_get_heat_map (self->incident_layer);
}

/* Selection */

static gboolean
position_visible (WhMapPage *self, double x, double y)
{
  return x >= 40 && y >= 40 && x <= gtk_widget_get_width (GTK_WIDGET (self->map)) - 40 &&
         y <= gtk_widget_get_height (GTK_WIDGET (self->map)) - 40;
}

void
wh_map_page_set_selected_incident (WhMapPage *self, const char *incident_id)
{
  int    index = -1;
  double x, y;

  g_return_if_fail (WH_IS_MAP_PAGE (self));

  if (g_strcmp0 (self->selected_incident, incident_id) == 0)
    return;
  g_free (self->selected_incident);
  self->selected_incident = g_strdup (incident_id);

  if (incident_id != NULL && self->context != NULL)
    {
      gint64 rowid = wh_grid_store_lookup_incident_rowid (wh_context_get_grid_store (self->context),
                                                          incident_id);

      index = rowid != 0 ? wh_incident_layer_find_rowid (self->incident_layer, rowid) : -1;
    }
  self->syncing = TRUE;
  wh_incident_layer_select (self->incident_layer, index);
  self->syncing = FALSE;

  /* Chosen elsewhere (the queue) while the map is shown: bring it into view. A map not
   * shown keeps its view; the dot is marked for when it is. */
  if (index >= 0 && gtk_widget_get_mapped (GTK_WIDGET (self->map)) &&
      wh_incident_layer_get_point_position (self->incident_layer, index, &x, &y) &&
      !position_visible (self, x, y))
    {
      const WhIncidentPoint *p = wh_incident_layer_get_point (self->incident_layer, index);
      double                 nx, ny;

      wh_mercator_project (p->lon, p->lat, &nx, &ny);
      center_on_normalised (self, nx, ny,
                            shumate_viewport_get_zoom_level (shumate_map_get_viewport (self->map)),
                            FALSE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_INCIDENT]);
}

const char *
wh_map_page_get_selected_incident (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->selected_incident;
}

static void
on_incident_selection_changed (WhMapPage *self)
{
  int                    index = wh_incident_layer_get_selected (self->incident_layer);
  const WhIncidentPoint *p;

  if (self->syncing || self->context == NULL)
    return;

  g_clear_pointer (&self->selected_incident, g_free);
  if (index >= 0 && (p = wh_incident_layer_get_point (self->incident_layer, index)) != NULL)
    self->selected_incident =
      wh_grid_store_dup_incident_id (wh_context_get_grid_store (self->context), p->rowid);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_INCIDENT]);
}

void
wh_map_page_click (WhMapPage *self, double x, double y)
{
  ShumateViewport *viewport;
  WhGridCell      *cell;
  guint            count = 0;
  int              index;

  g_return_if_fail (WH_IS_MAP_PAGE (self));

  /* Placing a new incident: the click says where, whatever is under it. */
  if (wh_map_page_place_click (self, x, y))
    return;

  viewport = shumate_map_get_viewport (self->map);
  index = wh_incident_layer_hit (self->incident_layer, x, y, &count);
  if (index >= 0)
    {
      double zoom = shumate_viewport_get_zoom_level (viewport);

      /* A cluster opens up towards where it was clicked; a single dot is selected. */
      if (count > 1 && zoom < shumate_viewport_get_max_zoom_level (viewport) - 0.5)
        {
          double lat, lon;

          shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->map), x, y, &lat,
                                                      &lon);
          shumate_map_go_to_full (
            self->map, lat, lon,
            MIN (floor (zoom) + 2, shumate_viewport_get_max_zoom_level (viewport)));
          return;
        }
      wh_incident_layer_select (self->incident_layer, index);
      return;
    }

  cell = wh_grid_layer_cell_at (self->grid_layer, x, y);
  wh_grid_layer_select_cell (self->grid_layer, cell ? cell->id : NULL);
  open_cell_card (self, x, y);
}

static void
on_click_released (GtkGestureClick *gesture, int n_press, double x, double y, WhMapPage *self)
{
  if (n_press == 1)
    wh_map_page_click (self, x, y);
}

const char *
wh_map_page_get_cell_text (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->cell_text->str;
}

ShumateMap *
wh_map_page_get_map (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->map;
}

WhGridLayer *
wh_map_page_get_grid_layer (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->grid_layer;
}

WhIncidentLayer *
wh_map_page_get_incident_layer (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->incident_layer;
}

/* Actions */

static void
zoom_in_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  shumate_map_zoom_in (WH_MAP_PAGE (widget)->map);
}

static void
zoom_out_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  shumate_map_zoom_out (WH_MAP_PAGE (widget)->map);
}

static void
show_street_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  wh_map_page_show_street (WH_MAP_PAGE (widget));
}

static void
show_cell_in_queue_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhMapPage       *self = WH_MAP_PAGE (widget);
  WhGridCell      *cell = wh_grid_layer_get_selected_cell (self->grid_layer);
  g_autofree char *grid_id = cell ? g_strdup (cell->id) : NULL;

  gtk_popover_popdown (self->cell_popover);
  if (grid_id != NULL)
    g_signal_emit (self, signals[SHOW_IN_QUEUE], 0, grid_id);
}

/* GObject */

static void
wh_map_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WhMapPage *self = WH_MAP_PAGE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_INCIDENT:
      g_value_set_string (value, self->selected_incident);
      break;
    case PROP_PLACING:
      g_value_set_boolean (value, self->placing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_map_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  WhMapPage *self = WH_MAP_PAGE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_INCIDENT:
      wh_map_page_set_selected_incident (self, g_value_get_string (value));
      break;
    case PROP_PLACING:
      wh_map_page_set_placing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_map_page_dispose (GObject *object)
{
  WhMapPage *self = WH_MAP_PAGE (object);

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  g_clear_object (&self->context);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  wh_map_page_base_map_dispose (self);
  wh_map_page_place_dispose (self);
  if (self->cell_popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->cell_popover));
  if (self->place_popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->place_popover));
  /* Unset the bin's child first: gtk_widget_dispose_template() would unparent it
   * behind AdwBin's back when it is a bound template child, leaving AdwBin a
   * dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_MAP_PAGE);
  self->grid_layer = NULL;
  self->incident_layer = NULL;
  self->base_layer = NULL;
  g_clear_object (&self->source);
  g_clear_object (&self->online);
  g_clear_object (&self->reference);
  g_clear_object (&self->plain);

  G_OBJECT_CLASS (wh_map_page_parent_class)->dispose (object);
}

static void
wh_map_page_finalize (GObject *object)
{
  WhMapPage *self = WH_MAP_PAGE (object);

  g_string_free (self->cell_text, TRUE);
  g_free (self->explicit_path);
  g_free (self->base_map_path);
  g_free (self->base_map_message);
  g_free (self->selected_incident);

  G_OBJECT_CLASS (wh_map_page_parent_class)->finalize (object);
}

static void
wh_map_page_class_init (WhMapPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = wh_map_page_get_property;
  object_class->set_property = wh_map_page_set_property;
  object_class->dispose = wh_map_page_dispose;
  object_class->finalize = wh_map_page_finalize;
  widget_class->map = wh_map_page_map;

  /**
   * WhMapPage:selected-incident:
   *
   * The id of the incident selected on the map, or set from outside; %NULL for none.
   */
  properties[PROP_SELECTED_INCIDENT] =
    g_param_spec_string ("selected-incident", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * WhMapPage:placing:
   *
   * Whether the next click on the map places a new incident (the action
   * map.place-incident toggles it).
   */
  properties[PROP_PLACING] =
    g_param_spec_boolean ("placing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WhMapPage::show-in-queue:
   * @grid_id: the cell whose incidents to list
   *
   * "Show in Queue" was chosen on a cell's card.
   */
  signals[SHOW_IN_QUEUE] =
    g_signal_new ("show-in-queue", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SHUMATE_TYPE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/whistle/Desk/wh-map-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, overlay);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, map);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, summary_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, street_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, message_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, message_button);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, drawing_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, drawing_bar);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, place_hint_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, filter_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, filter_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, measure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, measure_legend);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, heat_switch);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, status_legend);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, credits_box);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_popover);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_name_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_code_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_community_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_open_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_duty_heading);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, cell_duty_grid);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, place_popover);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, place_cell_label);
  gtk_widget_class_bind_template_child (widget_class, WhMapPage, place_location_label);

  gtk_widget_class_install_action (widget_class, "map.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "map.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "map.show-street", NULL, show_street_action);
  gtk_widget_class_install_action (widget_class, "map.show-cell-in-queue", NULL,
                                   show_cell_in_queue_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "map.zoom-in",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "map.zoom-in",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "map.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "map.show-street",
                                       NULL);
  wh_map_page_base_map_class_init (widget_class);
  wh_map_page_place_class_init (widget_class);
}

static void
wh_map_page_init (WhMapPage *self)
{
  ShumateViewport *viewport;
  GtkGesture      *click;
  GApplication    *app = g_application_get_default ();

  self->cell_text = g_string_new (NULL);
  self->measure = WH_GRID_MEASURE_OPEN;
  gtk_widget_init_template (GTK_WIDGET (self));

  viewport = shumate_map_get_viewport (self->map);
  /* The projection without a base map; never drawn, so never asked for tiles. */
  self->plain = SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full_from_url (
    "whistle-plain", _ ("No base map"), NULL, NULL, PLAIN_MIN_ZOOM, PLAIN_MAX_ZOOM, 256,
    SHUMATE_MAP_PROJECTION_MERCATOR, "https://localhost.invalid/{z}/{x}/{y}.png"));
  self->reference = g_object_ref (self->plain);
  shumate_viewport_set_reference_map_source (viewport, self->plain);
  shumate_viewport_set_zoom_level (viewport, 15);

  self->grid_layer = wh_grid_layer_new (viewport);
  self->incident_layer = wh_incident_layer_new (viewport);
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->grid_layer));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->incident_layer));
  g_signal_connect_swapped (self->incident_layer, "selection-changed",
                            G_CALLBACK (on_incident_selection_changed), self);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (on_view_placed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (on_view_placed), self,
                           G_CONNECT_SWAPPED);

  self->license = shumate_license_new ();
  shumate_license_set_xalign (self->license, 1.0);
  {
    ShumateScale *scale = shumate_scale_new (viewport);

    shumate_scale_set_unit (scale, SHUMATE_UNIT_METRIC);
    gtk_widget_set_halign (GTK_WIDGET (scale), GTK_ALIGN_END);
    gtk_box_append (self->credits_box, GTK_WIDGET (scale));
  }
  gtk_box_append (self->credits_box, GTK_WIDGET (self->license));

  gtk_widget_set_parent (GTK_WIDGET (self->cell_popover), GTK_WIDGET (self));
  g_signal_connect_swapped (self->cell_popover, "closed", G_CALLBACK (on_cell_popover_closed),
                            self);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));

  g_signal_connect_swapped (self->measure_dropdown, "notify::selected",
                            G_CALLBACK (on_measure_selected), self);
  g_signal_connect_swapped (self->heat_switch, "notify::active", G_CALLBACK (on_heat_switched),
                            self);
  fill_status_legend (self);

  if (WH_IS_APPLICATION (app) && wh_application_get_settings (WH_APPLICATION (app)) != NULL)
    self->settings = g_object_ref (wh_application_get_settings (WH_APPLICATION (app)));
  wh_map_page_base_map_init (self);
  wh_map_page_place_init (self);
}
