/* wh-mbtiles-writer.h — writes a street's base map into an MBTiles file
 *
 * MBTiles 1.3: an SQLite file with metadata(name, value) and tiles(zoom_level, tile_column,
 * tile_row, tile_data), rows counted from the south (TMS), PNG tiles. The file is written
 * under a temporary name and renamed into place when complete, so a desk never opens a
 * half-written map.
 */
#pragma once

#include <gio/gio.h>

#include "wh-tile-renderer.h"

G_BEGIN_DECLS

/* Told how many tiles of @total are done; called on the writing thread. */
typedef void (*WhMbtilesProgressFunc) (guint done, guint total, gpointer user_data);

/**
 * wh_mbtiles_writer_path_for_cache:
 * @cache_path: a cache file, e.g. ~/.local/share/whistle/demo-street.db
 *
 * Where the offline map that goes with a cache is looked for: beside it, with the same
 * name and the extension .mbtiles (demo-street.mbtiles).
 *
 * Returns: (transfer full): the path
 */
char *wh_mbtiles_writer_path_for_cache (const char *cache_path);

/**
 * wh_mbtiles_writer_count_tiles:
 *
 * Returns: how many tiles wh_mbtiles_writer_write() draws for these zoom levels
 */
guint wh_mbtiles_writer_count_tiles (WhTileRenderer *renderer, guint min_zoom, guint max_zoom);

/**
 * wh_mbtiles_writer_write:
 * @renderer: what to draw
 * @path: the MBTiles file to write; replaced when it exists
 * @min_zoom: the lowest zoom level, at most @max_zoom
 * @max_zoom: the highest, at most 22
 * @n_threads: threads drawing tiles; 0 for one per processor
 * @progress: (nullable): told how far the work is
 * @cancellable: (nullable): stops the work; @path is then left as it was
 * @error: a storage error, or %G_IO_ERROR_CANCELLED
 *
 * Draws every tile of the renderer's bounds at @min_zoom … @max_zoom and writes them with
 * the metadata (name, format png, minzoom, maxzoom, bounds, center, type baselayer,
 * attribution).
 *
 * Returns: %TRUE when @path holds the finished file
 */
gboolean wh_mbtiles_writer_write (WhTileRenderer       *renderer,
                                  const char           *path,
                                  guint                 min_zoom,
                                  guint                 max_zoom,
                                  guint                 n_threads,
                                  WhMbtilesProgressFunc progress,
                                  gpointer              user_data,
                                  GCancellable         *cancellable,
                                  GError              **error);

G_END_DECLS
