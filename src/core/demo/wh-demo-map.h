/* wh-demo-map.h — the roads and places of a demo street, for drawing its base map
 *
 * The grid cells say where the blocks are; what they do not say is what the roads between
 * them are called, and which compound or landmark lies where. The demo generator knows
 * (incident addresses use the same names) and keeps it in the cache's meta table under
 * WH_DEMO_MAP_META_KEY, as JSON, so that the tile renderer draws the names the queue shows:
 *
 *   { "version": 1,
 *     "roads":  [ { "name": "增光路", "major": false, "line": [ [lon, lat], … ] }, … ],
 *     "places": [ { "name": "百万庄北里", "kind": "compound", "lon": …, "lat": …,
 *                   "grid_id": "110102099001003" }, … ] }
 *
 * A road's line runs along the lattice line the generator built the blocks on, through
 * the very vertices of the blocks beside it (rounded to 1e-6°, as the cell outlines are).
 * Lines run west to east or south to north. Only the cache's own street (meta
 * 'street_id') has its map stored.
 */
#pragma once

#include "wh-db.h"
#include "wh-grid-cell.h"

G_BEGIN_DECLS

#define WH_DEMO_MAP_META_KEY "demo_map"
#define WH_DEMO_MAP_VERSION  1

typedef struct
{
  char    *name;
  gboolean major; /* a main road around the street; the others are streets, lanes, hutongs */
  GArray  *line;  /* of WhLonLat, at least two points */
} WhDemoMapRoad;

typedef enum {
  WH_DEMO_PLACE_COMPOUND, /* a residential compound (小区), most of a grid cell */
  WH_DEMO_PLACE_LANDMARK, /* a market, school, bus stop … in a grid cell */
} WhDemoPlaceKind;

typedef struct
{
  char           *name;
  WhDemoPlaceKind kind;
  double          lon;
  double          lat;
  char           *grid_id; /* the cell it lies in */
} WhDemoMapPlace;

typedef struct
{
  GPtrArray *roads;  /* of WhDemoMapRoad */
  GPtrArray *places; /* of WhDemoMapPlace */
} WhDemoMap;

/**
 * wh_demo_map_parse:
 * @json: the text kept under %WH_DEMO_MAP_META_KEY
 * @error: %G_IO_ERROR_INVALID_DATA when it is not such a map
 *
 * Returns: (transfer full) (nullable): the map, or %NULL with @error set
 */
WhDemoMap *wh_demo_map_parse (const char *json, GError **error);

/**
 * wh_demo_map_load:
 * @db: a cache
 * @error: a storage error, or %G_IO_ERROR_INVALID_DATA for a damaged map
 *
 * Reads the map of the cache's street. A cache of a real street (or a demo cache made
 * before the map was kept) has none: then %NULL is returned and @error stays unset.
 *
 * Returns: (transfer full) (nullable): the map
 */
WhDemoMap *wh_demo_map_load (WhDb *db, GError **error);

void wh_demo_map_free (WhDemoMap *map);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhDemoMap, wh_demo_map_free)

G_END_DECLS
