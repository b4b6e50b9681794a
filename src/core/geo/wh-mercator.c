/* wh-mercator.c — Web Mercator as slippy-map tiles and pixels see it */
#include "config.h"

#include <math.h>

#include "wh-mercator.h"

#define DEG_TO_RAD (G_PI / 180.0)
#define RAD_TO_DEG (180.0 / G_PI)

void
wh_mercator_project (double lon, double lat, double *x, double *y)
{
  double phi;

  g_return_if_fail (x != NULL && y != NULL);

  phi = CLAMP (lat, -WH_MERCATOR_MAX_LATITUDE, WH_MERCATOR_MAX_LATITUDE) * DEG_TO_RAD;
  *x = (lon + 180.0) / 360.0;
  /* asinh (tan φ) is ln (tan φ + sec φ) without the cancellation near the equator. */
  *y = (1.0 - asinh (tan (phi)) / G_PI) / 2.0;
}

void
wh_mercator_unproject (double x, double y, double *lon, double *lat)
{
  g_return_if_fail (lon != NULL && lat != NULL);

  *lon = x * 360.0 - 180.0;
  *lat = atan (sinh (G_PI * (1.0 - 2.0 * y))) * RAD_TO_DEG;
}

double
wh_mercator_world_size (double zoom)
{
  return WH_MERCATOR_TILE_SIZE * exp2 (zoom);
}

void
wh_mercator_lonlat_to_pixel (double lon, double lat, double zoom, double *px, double *py)
{
  double size = wh_mercator_world_size (zoom);
  double x, y;

  g_return_if_fail (px != NULL && py != NULL);

  wh_mercator_project (lon, lat, &x, &y);
  *px = x * size;
  *py = y * size;
}

void
wh_mercator_pixel_to_lonlat (double px, double py, double zoom, double *lon, double *lat)
{
  double size = wh_mercator_world_size (zoom);

  wh_mercator_unproject (px / size, py / size, lon, lat);
}

void
wh_mercator_lonlat_to_tile (double lon, double lat, int zoom, int *tile_x, int *tile_y)
{
  double n, x, y;
  gint64 last;

  g_return_if_fail (zoom >= 0 && zoom <= 30);
  g_return_if_fail (tile_x != NULL && tile_y != NULL);

  n = (double) ((gint64) 1 << zoom);
  last = ((gint64) 1 << zoom) - 1;
  wh_mercator_project (lon, lat, &x, &y);
  /* The east and south edges (x or y = 1) belong to the last tile, not to one past it. */
  *tile_x = (int) CLAMP ((gint64) floor (x * n), 0, last);
  *tile_y = (int) CLAMP ((gint64) floor (y * n), 0, last);
}

void
wh_mercator_tile_to_lonlat (int tile_x, int tile_y, int zoom, double *lon, double *lat)
{
  double n;

  g_return_if_fail (zoom >= 0 && zoom <= 30);

  n = (double) ((gint64) 1 << zoom);
  wh_mercator_unproject (tile_x / n, tile_y / n, lon, lat);
}

void
wh_mercator_tile_bounds (int tile_x, int tile_y, int zoom, WhGeoBounds *bounds)
{
  g_return_if_fail (bounds != NULL);

  wh_mercator_tile_to_lonlat (tile_x, tile_y, zoom, &bounds->min_lon, &bounds->max_lat);
  wh_mercator_tile_to_lonlat (tile_x + 1, tile_y + 1, zoom, &bounds->max_lon, &bounds->min_lat);
}
