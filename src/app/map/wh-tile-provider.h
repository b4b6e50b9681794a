/* wh-tile-provider.h — online base maps: the providers Whistle knows, and URL templates
 *
 * A provider is a row of a small table: where its tiles are (a URL template, and for
 * Tianditu a second one with the names, drawn over the first), which zoom levels it has,
 * who to credit, and — what matters most in China — which datum its tiles are drawn in.
 * Tianditu publishes CGCS2000, which for a map is WGS-84; AMap and most commercial or
 * district servers publish GCJ-02, which WhTileSource shifts back at the tile edge.
 *
 * URL templates take {x}, {y} (row 0 at the north), {-y} (TMS rows, 0 at the south),
 * {z}, {s} (one of the provider's subdomains, chosen by the tile so the same tile always
 * comes from the same host) and {tk} (the key some providers require).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  WH_TILE_CRS_WGS84, /* also CGCS2000: the difference is centimetres */
  WH_TILE_CRS_GCJ02,
} WhTileCrs;

typedef struct
{
  const char *id;         /* the base-map setting's value, and the tile cache's key */
  const char *name;       /* translatable (N_), shown in Preferences and the credits */
  const char *url;        /* the tiles */
  const char *overlay;    /* nullable: drawn over the tiles (Tianditu's names) */
  const char *subdomains; /* one character each, for {s}; nullable */
  WhTileCrs   crs;
  guint       min_zoom;
  guint       max_zoom;
  const char *license; /* the credit the provider asks for */
  const char *license_uri;
  gboolean    needs_key;      /* the template has {tk} */
  guint       max_connections; /* the provider's usage policy (OpenStreetMap asks for 2) */
} WhTileProvider;

#define WH_TILE_PROVIDER_ERROR (wh_tile_provider_error_quark ())
GQuark wh_tile_provider_error_quark (void);

typedef enum {
  WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
  WH_TILE_PROVIDER_ERROR_NEEDS_KEY,
} WhTileProviderError;

/* The built-in providers, in the order Preferences lists them. */
const WhTileProvider *wh_tile_provider_get_builtin (guint *n_providers);

/* The built-in provider with this id, or %NULL. */
const WhTileProvider *wh_tile_provider_lookup (const char *id);

/* The id and cache key of a custom template: "custom-" and a digest of the template
 * (without the key) and the datum, so another template never shows stale tiles. */
char *wh_tile_provider_custom_id (const char *url_template, WhTileCrs crs);

/**
 * wh_tile_template_check:
 * @url_template: a URL template
 * @subdomains: (nullable): the characters {s} takes
 * @key: (nullable): the value of {tk}
 * @error: %WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE, with a message for people, when the
 *   template is not an http(s) address, lacks {x}, {y} (or {-y}) or {z}, has a
 *   placeholder Whistle does not know or an unclosed brace, or uses {s} without
 *   subdomains; %WH_TILE_PROVIDER_ERROR_NEEDS_KEY when it has {tk} and @key is empty
 *
 * Checks a template before any tile is asked for, so a typo is told once and clearly
 * instead of as hundreds of failed downloads.
 *
 * Returns: %TRUE when the template expands to valid addresses
 */
gboolean wh_tile_template_check (const char *url_template,
                                 const char *subdomains,
                                 const char *key,
                                 GError    **error);

/**
 * wh_tile_template_expand:
 * @url_template: a template wh_tile_template_check() accepted
 * @subdomains: (nullable): for {s}: the tile picks subdomains[(x + y) % n]
 * @key: (nullable): for {tk}, escaped for a URL
 *
 * Returns: (transfer full): the address of tile (@zoom, @x, @y), XYZ order
 */
char *wh_tile_template_expand (const char *url_template,
                               const char *subdomains,
                               const char *key,
                               int         x,
                               int         y,
                               int         zoom);

/* The template with {tk} replaced by "…": for messages and logs, which must not show
 * the key. */
char *wh_tile_template_redact (const char *url_template);

G_END_DECLS
