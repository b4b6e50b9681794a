/* wh-mbtiles-source.h — map tiles from an MBTiles file, for offline base maps
 *
 * An MBTiles file (mbtiles-spec 1.3) is an SQLite database with a metadata(name, value)
 * table and a tiles(zoom_level, tile_column, tile_row, tile_data) table or view. This
 * ShumateDataSource serves its raster tiles to a ShumateRasterRenderer, reading them on
 * worker threads so a large file or a slow disk never stalls the map's frames.
 */
#pragma once

#include <shumate/shumate.h>

#include "wh-geo.h"

G_BEGIN_DECLS

#define WH_TYPE_MBTILES_SOURCE (wh_mbtiles_source_get_type ())
G_DECLARE_FINAL_TYPE (WhMbtilesSource, wh_mbtiles_source, WH, MBTILES_SOURCE, ShumateDataSource)

/**
 * wh_mbtiles_source_new:
 * @path: the MBTiles file, in the GLib file name encoding
 * @error: %G_IO_ERROR_NOT_FOUND when there is no such file, %G_IO_ERROR_INVALID_DATA
 *   when it is not an MBTiles file (not SQLite, no tiles or metadata table, no tiles at
 *   all), %G_IO_ERROR_FAILED when SQLite cannot read it; the message names the file
 *   and is meant for people
 *
 * Opens the file read-only and reads its metadata. This blocks for a few small queries,
 * which is why it is done once, when the base map is chosen.
 *
 * Tiles are requested in XYZ order (row 0 at the north, as libshumate counts them);
 * the y-flip of MBTiles rows happens here. A tile the file lacks ends the request with
 * %G_IO_ERROR_NOT_FOUND: ShumateMapLayer then leaves that square empty, whereas empty
 * bytes would make ShumateRasterRenderer warn that it cannot decode them.
 *
 * Returns: (transfer full) (nullable): the source, or %NULL with @error set
 */
WhMbtilesSource *wh_mbtiles_source_new (const char *path, GError **error);

/* The file the tiles come from. */
const char *wh_mbtiles_source_get_path (WhMbtilesSource *self);

/* The metadata's name, or the file's base name when the metadata has none. */
const char *wh_mbtiles_source_get_name (WhMbtilesSource *self);

/* The tile format: "png", "jpg", "webp" or "pbf" (vector), from the metadata or, when
 * that is silent, from the first tile's bytes. */
const char *wh_mbtiles_source_get_format (WhMbtilesSource *self);

/* The metadata's attribution (may hold HTML), or %NULL. */
const char *wh_mbtiles_source_get_attribution (WhMbtilesSource *self);

/* The lowest and highest zoom level with tiles: from the metadata, else from the tiles. */
guint wh_mbtiles_source_get_min_zoom (WhMbtilesSource *self);
guint wh_mbtiles_source_get_max_zoom (WhMbtilesSource *self);

/**
 * wh_mbtiles_source_get_bounds:
 * @bounds: (out): the area the tiles cover, WGS84
 *
 * The metadata's bounds, or the whole Web Mercator world (±180°, ±85.0511°) when the
 * file has none or they are malformed, as mbtiles-spec 1.3 says to assume.
 *
 * Returns: %TRUE when the file declared valid bounds
 */
gboolean wh_mbtiles_source_get_bounds (WhMbtilesSource *self, WhGeoBounds *bounds);

/**
 * wh_mbtiles_source_get_center:
 * @lon: (out) (optional): longitude
 * @lat: (out) (optional): latitude
 * @zoom: (out) (optional): zoom level
 *
 * Where to open the map: the metadata's center; else the middle of the bounds at the
 * lowest zoom level.
 *
 * Returns: %TRUE when the file declared a valid center
 */
gboolean
wh_mbtiles_source_get_center (WhMbtilesSource *self, double *lon, double *lat, double *zoom);

/**
 * wh_mbtiles_source_new_renderer:
 * @error: %G_IO_ERROR_NOT_SUPPORTED when the file holds vector tiles ("pbf")
 *
 * A map source for ShumateMap or ShumateMapLayer drawing these tiles: 256-pixel tiles
 * in Web Mercator, limited to the file's zoom levels, named after the file and crediting
 * its attribution. Its id is unique per file, because ShumateMapLayer caches textures
 * by map source id.
 *
 * Returns: (transfer full) (nullable): the renderer, or %NULL with @error set
 */
ShumateRasterRenderer *wh_mbtiles_source_new_renderer (WhMbtilesSource *self, GError **error);

G_END_DECLS
