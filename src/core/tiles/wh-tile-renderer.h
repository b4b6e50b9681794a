/* wh-tile-renderer.h — draws the base map of a street as 256-pixel PNG tiles
 *
 * The offline map of the demo street is made here rather than shipped: blocks (the grid
 * cells) as light fills, the roads between them with their names, the street's outline,
 * community names at low zoom and compounds, landmarks and buildings up close. Roads and
 * places come from the demo map in the cache (wh-demo-map.h), so the map names the roads
 * the incident addresses name; a cache without one still gets blocks and unnamed roads
 * along the cells' edges.
 *
 * Labels are placed once per zoom level for the whole street, in world pixels, and every
 * tile draws the ones that reach into it: a name across a tile edge continues seamlessly
 * in the next tile. Rendering a tile is thread-safe.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "wh-db.h"
#include "wh-geo.h"

G_BEGIN_DECLS

/* The zoom levels drawn unless told otherwise: the whole street (z13) to a doorway (z18). */
#define WH_TILE_RENDERER_MIN_ZOOM 13
#define WH_TILE_RENDERER_MAX_ZOOM 18

#define WH_TYPE_TILE_RENDERER (wh_tile_renderer_get_type ())
G_DECLARE_FINAL_TYPE (WhTileRenderer, wh_tile_renderer, WH, TILE_RENDERER, GObject)

/**
 * wh_tile_renderer_new:
 * @db: a cache holding a street (meta 'street_id')
 * @error: a storage error, %G_IO_ERROR_NOT_FOUND when the cache has no street or no grid
 *   cells, %G_IO_ERROR_INVALID_DATA when its demo map is damaged
 *
 * Reads the street's cells, communities and, when the cache has one, its demo map, and
 * prepares everything drawing needs (nothing of @db is kept).
 *
 * Returns: (transfer full) (nullable): the renderer, or %NULL with @error set
 */
WhTileRenderer *wh_tile_renderer_new (WhDb *db, GError **error);

/* The street's name, for the MBTiles metadata. */
const char *wh_tile_renderer_get_street_name (WhTileRenderer *self);

/* Whether the roads carry names (the cache had a demo map). */
gboolean wh_tile_renderer_has_road_names (WhTileRenderer *self);

/**
 * wh_tile_renderer_get_bounds:
 * @bounds: (out): the area drawn: the street and a margin of neighbouring town around it
 */
void wh_tile_renderer_get_bounds (WhTileRenderer *self, WhGeoBounds *bounds);

/**
 * wh_tile_renderer_get_center:
 * @lon: (out) (optional): the middle of the street
 * @lat: (out) (optional):
 * @zoom: (out) (optional): the highest whole zoom level at which the street fits in
 *   1280 × 800 pixels (a desk's map), clamped to the drawn levels 13…18
 */
void wh_tile_renderer_get_center (WhTileRenderer *self, double *lon, double *lat, int *zoom);

/**
 * wh_tile_renderer_draw:
 * @cr: a context whose user space is the tile: 0…256 on both axes
 * @zoom: zoom level, 0…22
 * @x: tile column, XYZ order
 * @y: tile row, 0 at the north (XYZ order, not MBTiles' flipped rows)
 *
 * Draws tile (@zoom, @x, @y) into @cr. Thread-safe: the labels of a zoom level are
 * placed by whichever thread needs them first.
 */
void wh_tile_renderer_draw (WhTileRenderer *self, cairo_t *cr, int zoom, int x, int y);

/**
 * wh_tile_renderer_render_png:
 * @error: %G_IO_ERROR_FAILED when cairo cannot encode the image
 *
 * Draws tile (@zoom, @x, @y) and encodes it as PNG. Thread-safe.
 *
 * Returns: (transfer full) (nullable): the PNG bytes, or %NULL with @error set
 */
GBytes *wh_tile_renderer_render_png (WhTileRenderer *self, int zoom, int x, int y, GError **error);

G_END_DECLS
