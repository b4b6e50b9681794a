/* wh-tile-source.h — map tiles from an online server, saved on disk for offline use
 *
 * A ShumateDataSource for a WhTileProvider (or a custom URL template). Every tile goes
 * through the tile cache: a saved tile younger than the maximum age is shown without
 * asking the network; an older one is shown at once and refreshed; when the network
 * fails the saved tile stays, so the area last seen remains on the map offline.
 *
 * Tiles of a GCJ-02 provider are shifted at this edge, so that everything else stays in
 * WGS-84: for each WGS-84 tile asked for, the source takes the GCJ-02 offset at the
 * tile's centre (constant across a tile to well under a pixel at the zoom levels of a
 * street), fetches the two to four provider tiles that cover the shifted square and
 * crops it out of them. The cache holds the result, a WGS-84 tile.
 *
 * Downloads run on a few threads of the source's own (as many as the provider's usage
 * policy allows connections), never on the main thread; decoding and composing too.
 * libshumate 1.0.x needs "received-data" emitted for a tile to show; it is, on the main
 * thread, before each request completes.
 */
#pragma once

#include <shumate/shumate.h>

#include "wh-tile-cache.h"
#include "wh-tile-provider.h"

G_BEGIN_DECLS

/* Tiles older than this are fetched again when the network allows (a week, as
 * libshumate's own downloader does). */
#define WH_TILE_SOURCE_DEFAULT_MAX_AGE (7 * G_TIME_SPAN_DAY)

#define WH_TYPE_TILE_SOURCE (wh_tile_source_get_type ())
G_DECLARE_FINAL_TYPE (WhTileSource, wh_tile_source, WH, TILE_SOURCE, ShumateDataSource)

/**
 * wh_tile_source_new:
 * @provider: what to fetch; copied
 * @key: (nullable): the value of {tk} for providers that need one
 * @cache: (nullable): where tiles are saved; %NULL fetches every time
 * @error: a %WH_TILE_PROVIDER_ERROR when a template of @provider is refused (see
 *   wh_tile_template_check()), or the key is missing
 *
 * Returns: (transfer full) (nullable): the source, or %NULL with @error set
 */
WhTileSource *wh_tile_source_new (const WhTileProvider *provider,
                                  const char           *key,
                                  WhTileCache          *cache,
                                  GError              **error);

/* The provider's id: the key of its tiles in the cache. */
const char *wh_tile_source_get_id (WhTileSource *self);

WhTileCrs wh_tile_source_get_crs (WhTileSource *self);

/* How old a saved tile may be before it is fetched again (µs); 0 always asks the
 * network first, and still shows the saved tile when that fails. */
void   wh_tile_source_set_max_age (WhTileSource *self, gint64 max_age);
gint64 wh_tile_source_get_max_age (WhTileSource *self);

/**
 * wh_tile_source_get_problem:
 *
 * Why the last download failed, for people ("No network: the map shows saved tiles",
 * "The tile server refused: …"), or %NULL when it worked. Notified as "problem" on the
 * main thread.
 */
const char *wh_tile_source_get_problem (WhTileSource *self);

/* How many tiles were served from the cache / fetched from the network, for tests. */
guint wh_tile_source_get_n_from_cache (WhTileSource *self);
guint wh_tile_source_get_n_downloaded (WhTileSource *self);

/**
 * wh_tile_source_new_renderer:
 *
 * A map source drawing these tiles: 256-pixel Web Mercator tiles within the provider's
 * zoom levels, credited as it asks. Its id is unique per provider.
 *
 * Returns: (transfer full): the renderer
 */
ShumateRasterRenderer *wh_tile_source_new_renderer (WhTileSource *self);

G_END_DECLS
