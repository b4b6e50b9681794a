/* wh-map-page-place.c — placing a new incident on the map, and the queue's filter there
 *
 * Placing: a secondary click or a long press opens "New Incident Here" where it was made;
 * the place-incident mode (a toggle on the map, Escape to leave) makes the next primary
 * click place one. Both activate app.new-incident-at with WGS-84 (lon, lat); the dialog
 * behind it finds the cell by point-in-polygon.
 *
 * Filtering: with the window's WhQueueFilter set, the incidents drawn are the ones the
 * queue lists, read again whenever the filter changes.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-map-page-private.h"

/* Placing */

static void
location_at (WhMapPage *self, double x, double y, double *lon, double *lat)
{
  shumate_viewport_widget_coords_to_location (shumate_map_get_viewport (self->map),
                                              GTK_WIDGET (self->map), x, y, lat, lon);
}

static void
new_incident_at (WhMapPage *self, double lon, double lat)
{
  /* The application's action; the page has no say in the dialog it opens. */
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "app.new-incident-at", "(dd)", lon, lat))
    g_warning ("The action app.new-incident-at is missing: no incident can be placed");
}

void
wh_map_page_set_placing (WhMapPage *self, gboolean placing)
{
  g_return_if_fail (WH_IS_MAP_PAGE (self));

  placing = !!placing;
  if (self->placing == placing)
    return;
  self->placing = placing;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->map), placing ? "crosshair" : NULL);
  gtk_widget_set_visible (self->place_hint_box, placing);
  if (placing)
    {
      gtk_popover_popdown (self->cell_popover);
      gtk_popover_popdown (self->place_popover);
    }
  g_object_notify (G_OBJECT (self), "placing");
}

gboolean
wh_map_page_get_placing (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), FALSE);
  return self->placing;
}

gboolean
wh_map_page_place_click (WhMapPage *self, double x, double y)
{
  double lon, lat;

  if (!self->placing)
    return FALSE;
  location_at (self, x, y, &lon, &lat);
  /* One incident per click on the toggle: a second click on the map should select, not
   * open another form. */
  wh_map_page_set_placing (self, FALSE);
  new_incident_at (self, lon, lat);
  return TRUE;
}

void
wh_map_page_context_click (WhMapPage *self, double x, double y)
{
  g_autofree char *where = NULL;
  WhGridCell      *cell;
  graphene_point_t at;

  g_return_if_fail (WH_IS_MAP_PAGE (self));

  if (self->context == NULL)
    return;
  wh_map_page_set_placing (self, FALSE);
  gtk_popover_popdown (self->cell_popover);
  location_at (self, x, y, &self->place_lon, &self->place_lat);

  cell = wh_grid_layer_cell_at (self->grid_layer, x, y);
  if (cell != NULL)
    /* Translators: the grid cell under the point: its name, then its code */
    where = g_strdup_printf (_ ("In grid cell %s (%s)"), cell->name, cell->id);
  gtk_label_set_label (self->place_cell_label,
                       where != NULL ? where : _ ("Outside the street’s grid cells"));
  {
    /* Translators: a point's WGS-84 longitude and latitude in degrees */
    g_autofree char *text =
      g_strdup_printf (_ ("Longitude %.5f°, latitude %.5f°"), self->place_lon, self->place_lat);

    gtk_label_set_label (self->place_location_label, text);
  }

  if (!gtk_widget_compute_point (GTK_WIDGET (self->map), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT ((float) x, (float) y), &at))
    at = GRAPHENE_POINT_INIT ((float) x, (float) y);
  gtk_popover_set_pointing_to (self->place_popover,
                               &(GdkRectangle){ (int) at.x, (int) at.y, 1, 1 });
  gtk_popover_popup (self->place_popover);
}

gboolean
wh_map_page_get_place_location (WhMapPage *self, double *lon, double *lat)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), FALSE);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->place_popover)))
    return FALSE;
  if (lon != NULL)
    *lon = self->place_lon;
  if (lat != NULL)
    *lat = self->place_lat;
  return TRUE;
}

static void
new_incident_here_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhMapPage *self = WH_MAP_PAGE (widget);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->place_popover)))
    return;
  gtk_popover_popdown (self->place_popover);
  new_incident_at (self, self->place_lon, self->place_lat);
}

static gboolean
stop_placing (GtkWidget *widget, GVariant *args, gpointer data)
{
  WhMapPage *self = WH_MAP_PAGE (widget);

  /* Escape means something else when not placing: let it through. */
  if (!self->placing)
    return FALSE;
  wh_map_page_set_placing (self, FALSE);
  return TRUE;
}

static void
on_secondary_released (GtkGestureClick *gesture, int n_press, double x, double y, WhMapPage *self)
{
  if (n_press == 1)
    wh_map_page_context_click (self, x, y);
}

static void
on_long_pressed (GtkGestureLongPress *gesture, double x, double y, WhMapPage *self)
{
  wh_map_page_context_click (self, x, y);
}

/* The queue's filter */

gboolean
wh_map_page_is_filtered (WhMapPage *self)
{
  const char *search;

  if (self->filter == NULL)
    return FALSE;
  search = wh_queue_filter_get_search (self->filter);
  return wh_queue_filter_get_view (self->filter) != WH_INCIDENT_VIEW_OPEN ||
         wh_queue_filter_has_filters (self->filter) || (search != NULL && *search != '\0');
}

GArray *
wh_map_page_read_points (WhMapPage *self, GError **error)
{
  WhIncidentQuery query;

  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_OPEN;
  if (self->filter != NULL)
    wh_queue_filter_fill_query (self->filter, &query);
  query.now = wh_context_get_now (self->context);
  return wh_grid_store_list_incident_points (wh_context_get_grid_store (self->context), &query,
                                             error);
}

void
wh_map_page_update_filter_chip (WhMapPage *self)
{
  gboolean filtered = wh_map_page_is_filtered (self);

  if (filtered)
    {
      /* Translators: a chip on the map while the queue's filter chooses what it shows */
      g_autofree char *text = g_strdup_printf (
        ngettext ("Filtered: %u incident", "Filtered: %u incidents", self->n_shown), self->n_shown);

      gtk_label_set_label (self->filter_label, text);
    }
  gtk_widget_set_visible (self->filter_box, filtered);
}

const char *
wh_map_page_get_filter_text (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return gtk_widget_get_visible (self->filter_box) ? gtk_label_get_label (self->filter_label) : "";
}

static void
on_filter_changed (WhMapPage *self)
{
  /* A search typed letter by letter changes the filter at every key: read once. */
  wh_map_page_queue_reload (self);
}

void
wh_map_page_set_queue_filter (WhMapPage *self, WhQueueFilter *filter)
{
  g_return_if_fail (WH_IS_MAP_PAGE (self));
  g_return_if_fail (filter == NULL || WH_IS_QUEUE_FILTER (filter));

  if (self->filter == filter)
    return;
  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  g_set_object (&self->filter, filter);
  if (filter != NULL)
    g_signal_connect_swapped (filter, "changed", G_CALLBACK (on_filter_changed), self);
  if (self->context != NULL)
    wh_map_page_reload (self);
}

static void
clear_filter_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhMapPage *self = WH_MAP_PAGE (widget);

  /* The filter is the queue's too: clearing it here clears it there, as it should,
   * since the two show the same incidents. */
  if (self->filter != NULL)
    wh_queue_filter_reset (self->filter);
}

/* Set-up */

void
wh_map_page_place_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_property_action (widget_class, "map.place-incident", "placing");
  gtk_widget_class_install_action (widget_class, "map.new-incident-here", NULL,
                                   new_incident_here_action);
  gtk_widget_class_install_action (widget_class, "map.clear-filter", NULL, clear_filter_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, stop_placing, NULL);
}

void
wh_map_page_place_init (WhMapPage *self)
{
  GtkGesture *secondary = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (secondary), GDK_BUTTON_SECONDARY);
  g_signal_connect (secondary, "released", G_CALLBACK (on_secondary_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (secondary));

  /* Touch screens have no secondary button; a mouse's long press drags the map. */
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (on_long_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (long_press));

  gtk_widget_set_parent (GTK_WIDGET (self->place_popover), GTK_WIDGET (self));
}

void
wh_map_page_place_dispose (WhMapPage *self)
{
  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  g_clear_object (&self->filter);
}
