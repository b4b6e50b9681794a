/* wh-tile-cache.h — online map tiles kept on disk, so the last-seen area works offline
 *
 * One SQLite file (by default $XDG_CACHE_HOME/whistle/tiles.sqlite) holds the tiles of
 * every online base map, keyed by the provider's id and the tile's XYZ address, always
 * in WGS-84 (a GCJ-02 provider's tiles are stored after WhTileSource shifted them). Each
 * tile remembers when it was fetched (to refresh it when old) and when it was last shown
 * (to evict the least recently used when the cache outgrows its size limit).
 *
 * Every function may be called from any thread: the tile sources call it from their
 * download threads, Preferences from the main thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* 200 MB: some weeks of a district at every zoom a desk uses. */
#define WH_TILE_CACHE_DEFAULT_LIMIT (200 * 1000 * 1000)

#define WH_TYPE_TILE_CACHE (wh_tile_cache_get_type ())
G_DECLARE_FINAL_TYPE (WhTileCache, wh_tile_cache, WH, TILE_CACHE, GObject)

/**
 * wh_tile_cache_new:
 * @path: the cache file, created with its folder when missing
 * @size_limit: the most bytes of tiles kept (at least 1 MB is kept whatever is asked)
 * @error: %G_IO_ERROR_FAILED with the reason when the file can neither be opened nor
 *   made anew
 *
 * Opens the cache. A damaged file is only a cache: it is deleted and started afresh
 * (with a warning) rather than refused.
 *
 * Returns: (transfer full) (nullable): the cache, or %NULL with @error set
 */
WhTileCache *wh_tile_cache_new (const char *path, guint64 size_limit, GError **error);

/**
 * wh_tile_cache_get_default:
 *
 * The desk's cache, opened at the first call; shared by the map and Preferences.
 *
 * Returns: (transfer none) (nullable): the cache, or %NULL when it could not be opened
 *   (the reason was logged once; online maps then work without saving tiles)
 */
WhTileCache *wh_tile_cache_get_default (void);

const char *wh_tile_cache_get_path (WhTileCache *self);

/* The size limit; lowering it evicts at once. */
guint64 wh_tile_cache_get_size_limit (WhTileCache *self);
void    wh_tile_cache_set_size_limit (WhTileCache *self, guint64 size_limit);

/* The bytes of tile data held now. */
guint64 wh_tile_cache_get_size (WhTileCache *self);

/* How many tiles are held (all sources). */
guint wh_tile_cache_count (WhTileCache *self);

/**
 * wh_tile_cache_lookup:
 * @source_id: the provider's id
 * @now: the time it is (UTC µs): the tile is marked as used then
 * @fetched_at: (out) (optional): when the tile was fetched
 *
 * Returns: (transfer full) (nullable): the tile's bytes, or %NULL when the cache has
 *   none (or cannot be read: a cache never fails its caller)
 */
GBytes *wh_tile_cache_lookup (WhTileCache *self,
                              const char  *source_id,
                              int          zoom,
                              int          x,
                              int          y,
                              gint64       now,
                              gint64      *fetched_at);

/**
 * wh_tile_cache_store:
 * @now: the time it is (UTC µs), both fetched and used
 *
 * Keeps a tile (replacing an older copy), then evicts the least recently used tiles
 * while the cache is over its limit.
 *
 * Returns: %FALSE when the tile could not be written (logged; the map goes on)
 */
gboolean wh_tile_cache_store (WhTileCache *self,
                              const char  *source_id,
                              int          zoom,
                              int          x,
                              int          y,
                              GBytes      *data,
                              gint64       now);

/* Whether the cache holds that tile (for tests and counts; does not mark it used). */
gboolean wh_tile_cache_contains (WhTileCache *self, const char *source_id, int zoom, int x, int y);

/**
 * wh_tile_cache_clear:
 * @error: a storage error
 *
 * Deletes every tile and gives the space back to the disk. Blocks for as long as that
 * takes: call it from a thread (wh_tile_cache_clear_async()) when the cache may be big.
 */
gboolean wh_tile_cache_clear (WhTileCache *self, GError **error);

void     wh_tile_cache_clear_async (WhTileCache        *self,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
gboolean wh_tile_cache_clear_finish (WhTileCache *self, GAsyncResult *result, GError **error);

G_END_DECLS
