/* wh-grid-cell.c — a grid cell with its outline, as a list item */
#include "config.h"

#include "wh-grid-cell.h"

G_DEFINE_FINAL_TYPE (WhGridCell, wh_grid_cell, G_TYPE_OBJECT)

static void
wh_grid_cell_finalize (GObject *object)
{
  WhGridCell *self = WH_GRID_CELL (object);

  g_free (self->id);
  g_free (self->community_id);
  g_free (self->community_name);
  g_free (self->name);
  g_clear_pointer (&self->outline, g_array_unref);
  g_clear_pointer (&self->polygon, wh_geo_polygon_unref);

  G_OBJECT_CLASS (wh_grid_cell_parent_class)->finalize (object);
}

static void
wh_grid_cell_class_init (WhGridCellClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_grid_cell_finalize;
}

static void
wh_grid_cell_init (WhGridCell *self)
{
  self->outline = g_array_new (FALSE, FALSE, sizeof (WhLonLat));
}

WhGridCell *
wh_grid_cell_new (void)
{
  return g_object_new (WH_TYPE_GRID_CELL, NULL);
}

gboolean
wh_grid_cell_set_geojson (WhGridCell *self, const char *geojson, GError **error)
{
  g_autoptr (WhGeoPolygon) polygon = NULL;
  const double *ring;
  gsize n_points;
  WhGeoBounds bounds;

  g_return_val_if_fail (WH_IS_GRID_CELL (self), FALSE);
  g_return_val_if_fail (geojson != NULL, FALSE);

  /* One parser and one point-in-polygon rule for the whole project: wh-geo's. */
  polygon = wh_geo_polygon_new_from_geojson (geojson, error);
  if (polygon == NULL)
    return FALSE;

  ring = wh_geo_polygon_get_ring (polygon, 0, &n_points);
  g_array_set_size (self->outline, 0);
  g_array_append_vals (self->outline, ring, n_points);

  wh_geo_polygon_get_bounds (polygon, &bounds);
  self->min_lon = bounds.min_lon;
  self->max_lon = bounds.max_lon;
  self->min_lat = bounds.min_lat;
  self->max_lat = bounds.max_lat;

  g_clear_pointer (&self->polygon, wh_geo_polygon_unref);
  self->polygon = g_steal_pointer (&polygon);
  return TRUE;
}

gboolean
wh_grid_cell_contains (WhGridCell *self, double lon, double lat)
{
  g_return_val_if_fail (WH_IS_GRID_CELL (self), FALSE);

  return self->polygon != NULL && wh_geo_polygon_contains (self->polygon, lon, lat);
}
