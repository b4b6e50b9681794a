/* wh-mercator.h — Web Mercator (EPSG:3857) as slippy-map tiles and pixels see it
 *
 * The same projection libshumate's ShumateMapSource uses with 256-pixel tiles, so pixel
 * positions computed here line up with the map widget's. "World" coordinates are the
 * projection normalised to 0…1 (x east from 180° W, y south from 85.05° N); at zoom z
 * they scale to 256 × 2^z pixels and 2^z tiles per side.
 */
#pragma once

#include <glib.h>

#include "wh-geo.h"

G_BEGIN_DECLS

#define WH_MERCATOR_TILE_SIZE 256
/* atan (sinh (π)): where the square world ends; latitudes beyond are clamped to it. */
#define WH_MERCATOR_MAX_LATITUDE 85.0511287798065923778

/* Normalised world coordinates (0…1) of a point; latitude is clamped to the square. */
void wh_mercator_project (double lon, double lat, double *x, double *y);

/* The inverse of wh_mercator_project(). */
void wh_mercator_unproject (double x, double y, double *lon, double *lat);

/* The width of the world in pixels at a (possibly fractional) zoom level: 256 × 2^zoom. */
double wh_mercator_world_size (double zoom);

/**
 * wh_mercator_lonlat_to_pixel:
 * @zoom: zoom level, fractional allowed as in ShumateViewport
 * @px: (out): pixels east of the world's west edge
 * @py: (out): pixels south of the world's north edge
 */
void wh_mercator_lonlat_to_pixel (double lon, double lat, double zoom, double *px, double *py);

void wh_mercator_pixel_to_lonlat (double px, double py, double zoom, double *lon, double *lat);

/**
 * wh_mercator_lonlat_to_tile:
 * @tile_x: (out): column, 0 at 180° W
 * @tile_y: (out): row, 0 at the north edge (XYZ/"Google" order; MBTiles flips it)
 *
 * The tile holding the point at integer @zoom (0…30), clamped to the world.
 */
void wh_mercator_lonlat_to_tile (double lon, double lat, int zoom, int *tile_x, int *tile_y);

/* The north-west corner of a tile. */
void wh_mercator_tile_to_lonlat (int tile_x, int tile_y, int zoom, double *lon, double *lat);

/* The area a tile covers. */
void wh_mercator_tile_bounds (int tile_x, int tile_y, int zoom, WhGeoBounds *bounds);

G_END_DECLS
