/* wh-demo-map.c — the roads and places of a demo street, for drawing its base map
 *
 * Written by the generator right after the blocks (demo_write_map), read by the tile
 * renderer (wh_demo_map_load). One file holds both ends of the format, so they cannot
 * drift apart.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "wh-demo-map.h"
#include "wh-demo-private.h"

/* Where a cell's labels go, as a fraction of the way from its centroid to the north
 * (compound) or south (landmark) edge of its bounds: the middle is left to the grid
 * layer of the desk, which writes the cell's code there. */
#define COMPOUND_SHIFT 0.45
#define LANDMARK_SHIFT 0.5

/* Writing */

static void
append_number (GString *s, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Six decimals, as the cell outlines are stored: shared vertices stay identical. */
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6f", value));
}

static void
append_string (GString *s, const char *text)
{
  g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *quoted = json_to_string (node, FALSE);

  g_string_append (s, quoted);
}

/* A point inside @cell part of the way from its centroid towards the north (@shift > 0)
 * or south edge of its bounds; the centroid itself when a kinked outline leaves that
 * point outside. */
static void
place_in_cell (const DemoCell *cell, double shift, double *lon, double *lat)
{
  double target = shift > 0 ? cell->max_lat : cell->min_lat;

  for (double f = fabs (shift); f > 0.05; f -= 0.1)
    {
      double y = cell->centroid_lat + (target - cell->centroid_lat) * f;

      if (demo_point_in_cell (cell, cell->centroid_lon, y))
        {
          *lon = cell->centroid_lon;
          *lat = y;
          return;
        }
    }
  *lon = cell->centroid_lon;
  *lat = cell->centroid_lat;
}

static void
append_place (GString        *s,
              gboolean        first,
              const char     *name,
              const char     *kind,
              double          lon,
              double          lat,
              const DemoCell *cell)
{
  g_string_append (s, first ? "\n  {\"name\":" : ",\n  {\"name\":");
  append_string (s, name);
  g_string_append_printf (s, ",\"kind\":\"%s\",\"lon\":", kind);
  append_number (s, lon);
  g_string_append (s, ",\"lat\":");
  append_number (s, lat);
  g_string_append (s, ",\"grid_id\":");
  append_string (s, cell->id);
  g_string_append_c (s, '}');
}

gboolean
demo_write_map (DemoContext *ctx, GError **error)
{
  g_autofree char *own_street = wh_db_get_meta (ctx->db, "street_id");
  g_autoptr (GString) s = g_string_new (NULL);

  /* A second street generated into a cache (tests do) is not the one its desk shows. */
  if (g_strcmp0 (own_street, ctx->street_id) != 0)
    return TRUE;

  g_string_printf (s, "{\"version\":%d,\"roads\":[", WH_DEMO_MAP_VERSION);
  for (guint k = 0; k < ctx->roads->len; k++)
    {
      const DemoRoad *road = &g_array_index (ctx->roads, DemoRoad, k);

      g_string_append (s, k > 0 ? ",\n  {\"name\":" : "\n  {\"name\":");
      append_string (s, road->name);
      g_string_append_printf (s, ",\"major\":%s,\"line\":[", road->major ? "true" : "false");
      for (guint p = 0; p < road->n_points; p++)
        {
          g_string_append (s, p > 0 ? ",[" : "[");
          append_number (s, road->lon[p]);
          g_string_append_c (s, ',');
          append_number (s, road->lat[p]);
          g_string_append_c (s, ']');
        }
      g_string_append (s, "]}");
    }

  g_string_append (s, "],\"places\":[");
  for (guint c = 0; c < ctx->cells->len; c++)
    {
      const DemoCell *cell = g_ptr_array_index (ctx->cells, c);
      double          lon, lat;

      place_in_cell (cell, COMPOUND_SHIFT, &lon, &lat);
      append_place (s, c == 0, cell->compound, "compound", lon, lat, cell);
      place_in_cell (cell, -LANDMARK_SHIFT, &lon, &lat);
      append_place (s, FALSE, cell->landmark, "landmark", lon, lat, cell);
    }
  g_string_append (s, "]}");

  return wh_db_set_meta (ctx->db, WH_DEMO_MAP_META_KEY, s->str, error);
}

/* Reading */

static void
road_free (WhDemoMapRoad *road)
{
  g_free (road->name);
  g_clear_pointer (&road->line, g_array_unref);
  g_free (road);
}

static void
place_free (WhDemoMapPlace *place)
{
  g_free (place->name);
  g_free (place->grid_id);
  g_free (place);
}

void
wh_demo_map_free (WhDemoMap *map)
{
  if (map == NULL)
    return;
  g_clear_pointer (&map->roads, g_ptr_array_unref);
  g_clear_pointer (&map->places, g_ptr_array_unref);
  g_free (map);
}

static gboolean
invalid (GError **error, const char *what)
{
  /* Translators: %s says what is wrong, e.g. "a road has no name" */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _ ("The demo street’s map is damaged: %s"), what);
  return FALSE;
}

static gboolean
read_position (JsonNode *node, WhLonLat *position)
{
  JsonArray *pair;

  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (pair = json_node_get_array (node)) < 2)
    return FALSE;
  position->lon = json_array_get_double_element (pair, 0);
  position->lat = json_array_get_double_element (pair, 1);
  return fabs (position->lon) <= 180.0 && fabs (position->lat) <= 90.0;
}

static gboolean
read_road (JsonNode *node, WhDemoMap *map, GError **error)
{
  WhDemoMapRoad *road;
  JsonObject    *object;
  JsonArray     *line;
  const char    *name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _ ("a road is not an object"));
  object = json_node_get_object (node);
  name = json_object_get_string_member_with_default (object, "name", NULL);
  if (name == NULL || *name == '\0')
    return invalid (error, _ ("a road has no name"));
  if (!json_object_has_member (object, "line") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "line")))
    return invalid (error, _ ("a road has no line"));
  line = json_object_get_array_member (object, "line");
  if (json_array_get_length (line) < 2)
    return invalid (error, _ ("a road’s line has fewer than two points"));

  road = g_new0 (WhDemoMapRoad, 1);
  road->name = g_strdup (name);
  road->major = json_object_get_boolean_member_with_default (object, "major", FALSE);
  road->line = g_array_sized_new (FALSE, FALSE, sizeof (WhLonLat), json_array_get_length (line));
  g_ptr_array_add (map->roads, road);
  for (guint p = 0; p < json_array_get_length (line); p++)
    {
      WhLonLat position;

      if (!read_position (json_array_get_element (line, p), &position))
        return invalid (error, _ ("a road’s line holds a point that is not a position"));
      g_array_append_val (road->line, position);
    }
  return TRUE;
}

static gboolean
read_place (JsonNode *node, WhDemoMap *map, GError **error)
{
  WhDemoMapPlace *place;
  JsonObject     *object;
  const char     *name, *kind;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _ ("a place is not an object"));
  object = json_node_get_object (node);
  name = json_object_get_string_member_with_default (object, "name", NULL);
  kind = json_object_get_string_member_with_default (object, "kind", "");
  if (name == NULL || *name == '\0')
    return invalid (error, _ ("a place has no name"));
  if (!json_object_has_member (object, "lon") || !json_object_has_member (object, "lat"))
    return invalid (error, _ ("a place has no position"));

  place = g_new0 (WhDemoMapPlace, 1);
  place->name = g_strdup (name);
  place->kind = g_str_equal (kind, "landmark") ? WH_DEMO_PLACE_LANDMARK : WH_DEMO_PLACE_COMPOUND;
  place->lon = json_object_get_double_member (object, "lon");
  place->lat = json_object_get_double_member (object, "lat");
  place->grid_id = g_strdup (json_object_get_string_member_with_default (object, "grid_id", NULL));
  g_ptr_array_add (map->places, place);
  if (fabs (place->lon) > 180.0 || fabs (place->lat) > 90.0)
    return invalid (error, _ ("a place’s position is out of range"));
  return TRUE;
}

WhDemoMap *
wh_demo_map_parse (const char *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (WhDemoMap) map = NULL;
  g_autoptr (GError) parse_error = NULL;
  JsonObject *root;
  JsonArray  *array;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      invalid (error, parse_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      invalid (error, _ ("it is not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member_with_default (root, "version", 0) != WH_DEMO_MAP_VERSION)
    {
      invalid (error, _ ("its version is not one this program reads"));
      return NULL;
    }

  map = g_new0 (WhDemoMap, 1);
  map->roads = g_ptr_array_new_with_free_func ((GDestroyNotify) road_free);
  map->places = g_ptr_array_new_with_free_func ((GDestroyNotify) place_free);

  if (json_object_has_member (root, "roads") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "roads")))
    {
      array = json_object_get_array_member (root, "roads");
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!read_road (json_array_get_element (array, i), map, error))
          return NULL;
    }
  if (json_object_has_member (root, "places") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "places")))
    {
      array = json_object_get_array_member (root, "places");
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!read_place (json_array_get_element (array, i), map, error))
          return NULL;
    }

  return g_steal_pointer (&map);
}

WhDemoMap *
wh_demo_map_load (WhDb *db, GError **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  json = wh_db_get_meta (db, WH_DEMO_MAP_META_KEY);
  if (json == NULL)
    return NULL;
  return wh_demo_map_parse (json, error);
}
