/* wh-grid-cell.c — a grid cell with its outline, as a list item */
#include "config.h"

#include <math.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

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

/* json-glib reads a string as 0.0 without complaint: check the node really is a number. */
static gboolean
get_number (JsonArray *array, guint index, double *value)
{
  JsonNode *node = json_array_get_element (array, index);
  GType     type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

static gboolean
invalid (GError **error, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "Grid cell outline is not a GeoJSON polygon: %s", what);
  return FALSE;
}

gboolean
wh_grid_cell_set_geojson (WhGridCell *self, const char *geojson, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GArray) ring = NULL;
  JsonObject *object;
  JsonArray  *rings, *points;
  JsonNode   *root, *node;

  g_return_val_if_fail (WH_IS_GRID_CELL (self), FALSE);
  g_return_val_if_fail (geojson != NULL, FALSE);

  if (!json_parser_load_from_data (parser, geojson, -1, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, "not an object");
  object = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", ""), "Polygon") != 0)
    return invalid (error, "type is not Polygon");
  node = json_object_get_member (object, "coordinates");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "no coordinates");
  rings = json_node_get_array (node);
  if (json_array_get_length (rings) == 0)
    return invalid (error, "no rings");
  node = json_array_get_element (rings, 0);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "ring is not an array");
  points = json_node_get_array (node);

  ring = g_array_sized_new (FALSE, FALSE, sizeof (WhLonLat), json_array_get_length (points));
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonNode  *pn = json_array_get_element (points, i);
      JsonArray *pair;
      WhLonLat   p;

      if (!JSON_NODE_HOLDS_ARRAY (pn))
        return invalid (error, "point is not an array");
      pair = json_node_get_array (pn);
      if (json_array_get_length (pair) < 2)
        return invalid (error, "point has fewer than two numbers");
      if (!get_number (pair, 0, &p.lon) || !get_number (pair, 1, &p.lat))
        return invalid (error, "a coordinate is not a number");
      g_array_append_val (ring, p);
    }
  if (ring->len < 3)
    return invalid (error, "fewer than three points");

  g_clear_pointer (&self->outline, g_array_unref);
  self->outline = g_steal_pointer (&ring);

  self->min_lon = self->max_lon = g_array_index (self->outline, WhLonLat, 0).lon;
  self->min_lat = self->max_lat = g_array_index (self->outline, WhLonLat, 0).lat;
  for (guint i = 1; i < self->outline->len; i++)
    {
      const WhLonLat *p = &g_array_index (self->outline, WhLonLat, i);

      self->min_lon = MIN (self->min_lon, p->lon);
      self->max_lon = MAX (self->max_lon, p->lon);
      self->min_lat = MIN (self->min_lat, p->lat);
      self->max_lat = MAX (self->max_lat, p->lat);
    }

  return TRUE;
}

gboolean
wh_grid_cell_contains (WhGridCell *self, double lon, double lat)
{
  gboolean inside = FALSE;
  guint    n;

  g_return_val_if_fail (WH_IS_GRID_CELL (self), FALSE);

  n = self->outline->len;
  if (n < 3 || lon < self->min_lon || lon > self->max_lon || lat < self->min_lat ||
      lat > self->max_lat)
    return FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      const WhLonLat *a = &g_array_index (self->outline, WhLonLat, i);
      const WhLonLat *b = &g_array_index (self->outline, WhLonLat, j);

      if ((a->lat > lat) != (b->lat > lat) &&
          lon < (b->lon - a->lon) * (lat - a->lat) / (b->lat - a->lat) + a->lon)
        inside = !inside;
    }

  return inside;
}
