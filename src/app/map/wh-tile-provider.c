/* wh-tile-provider.c — online base maps: the providers Whistle knows, and URL templates */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-tile-provider.h"

G_DEFINE_QUARK (wh - tile - provider - error - quark, wh_tile_provider_error)

/* Tianditu's Web Mercator layers ("_w") through its WMTS "tiles" shortcut: vec is the
 * street map without names, cva its Chinese names. Keys are issued per account at
 * console.tianditu.gov.cn; a desk needs a "server" key, since it sends no Referer. */
#define TIANDITU_URL(layer)                                                                        \
  "https://t{s}.tianditu.gov.cn/" layer "_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"       \
  "&LAYER=" layer "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"                                    \
  "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={tk}"

static const WhTileProvider providers[] = {
  {
    .id = "osm",
    .name = N_ ("OpenStreetMap"),
    .url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    .crs = WH_TILE_CRS_WGS84,
    .min_zoom = 0,
    .max_zoom = 19,
    .license = "© OpenStreetMap contributors",
    .license_uri = "https://www.openstreetmap.org/copyright",
    /* tile.openstreetmap.org's usage policy */
    .max_connections = 2,
  },
  {
    .id = "tianditu",
    .name = N_ ("Tianditu"),
    .url = TIANDITU_URL ("vec"),
    .overlay = TIANDITU_URL ("cva"),
    .subdomains = "01234567",
    .crs = WH_TILE_CRS_WGS84,
    .min_zoom = 1,
    .max_zoom = 18,
    .license = "© 天地图 Tianditu",
    .license_uri = "https://www.tianditu.gov.cn",
    .needs_key = TRUE,
    .max_connections = 6,
  },
  {
    .id = "amap",
    .name = N_ ("AMap (GCJ-02)"),
    .url = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
           "&x={x}&y={y}&z={z}",
    .subdomains = "1234",
    .crs = WH_TILE_CRS_GCJ02,
    .min_zoom = 3,
    .max_zoom = 18,
    .license = "© 高德 AutoNavi",
    .license_uri = "https://www.amap.com",
    .max_connections = 6,
  },
};

const WhTileProvider *
wh_tile_provider_get_builtin (guint *n_providers)
{
  if (n_providers != NULL)
    *n_providers = G_N_ELEMENTS (providers);
  return providers;
}

const WhTileProvider *
wh_tile_provider_lookup (const char *id)
{
  for (gsize i = 0; id != NULL && i < G_N_ELEMENTS (providers); i++)
    if (g_str_equal (providers[i].id, id))
      return &providers[i];
  return NULL;
}

char *
wh_tile_provider_custom_id (const char *url_template, WhTileCrs crs)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char digest[17];

  g_return_val_if_fail (url_template != NULL, NULL);

  /* The template as written, {tk} unexpanded: a new key keeps the saved tiles, and the
   * key itself never reaches the cache file. */
  g_checksum_update (checksum, (const guchar *) url_template, -1);
  g_checksum_update (checksum, (const guchar *) (crs == WH_TILE_CRS_GCJ02 ? "\1gcj02" : "\1wgs84"),
                     -1);
  g_strlcpy (digest, g_checksum_get_string (checksum), sizeof digest);
  return g_strconcat ("custom-", digest, NULL);
}

/* Templates */

typedef enum {
  PART_TEXT,
  PART_X,
  PART_Y,
  PART_TMS_Y,
  PART_Z,
  PART_S,
  PART_KEY,
} PartKind;

static const struct
{
  const char *name;
  PartKind    kind;
} placeholders[] = {
  { "x", PART_X }, { "y", PART_Y }, { "-y", PART_TMS_Y },
  { "z", PART_Z }, { "s", PART_S }, { "tk", PART_KEY },
};

/* Walks @url_template, calling @part for each piece of text and each placeholder.
 * Returns FALSE with @error set at the first unknown placeholder or unclosed brace. */
static gboolean
walk_template (const char *url_template,
               void (*part) (PartKind kind, const char *text, gsize len, gpointer data),
               gpointer data,
               GError **error)
{
  const char *p = url_template;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      gboolean    known = FALSE;

      if (open == NULL)
        {
          part (PART_TEXT, p, strlen (p), data);
          break;
        }
      if (open > p)
        part (PART_TEXT, p, open - p, data);
      close = strchr (open + 1, '}');
      if (close == NULL)
        {
          g_set_error (error, WH_TILE_PROVIDER_ERROR, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
                       _ ("The tile address has a “{” that is never closed"));
          return FALSE;
        }
      for (gsize i = 0; i < G_N_ELEMENTS (placeholders); i++)
        if (strlen (placeholders[i].name) == (gsize) (close - open - 1) &&
            strncmp (placeholders[i].name, open + 1, close - open - 1) == 0)
          {
            part (placeholders[i].kind, open, close - open + 1, data);
            known = TRUE;
            break;
          }
      if (!known)
        {
          g_autofree char *name = g_strndup (open, close - open + 1);

          /* Translators: %s is a placeholder such as {q}; keep the list of placeholders
           * as it is */
          g_set_error (error, WH_TILE_PROVIDER_ERROR, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
                       _ ("The tile address uses %s, which Whistle does not know; it "
                          "understands {x}, {y}, {-y}, {z}, {s} and {tk}"),
                       name);
          return FALSE;
        }
      p = close + 1;
    }
  return TRUE;
}

typedef struct
{
  GString    *out;
  const char *subdomains;
  const char *key;
  int         x, y, zoom;
  guint       seen; /* 1 << PartKind */
} Expansion;

static void
expand_part (PartKind kind, const char *text, gsize len, gpointer data)
{
  Expansion *e = data;

  e->seen |= 1u << kind;
  switch (kind)
    {
    case PART_TEXT:
      g_string_append_len (e->out, text, len);
      break;
    case PART_X:
      g_string_append_printf (e->out, "%d", e->x);
      break;
    case PART_Y:
      g_string_append_printf (e->out, "%d", e->y);
      break;
    case PART_TMS_Y:
      g_string_append_printf (e->out, "%d", (1 << e->zoom) - 1 - e->y);
      break;
    case PART_Z:
      g_string_append_printf (e->out, "%d", e->zoom);
      break;
    case PART_S:
      if (e->subdomains != NULL && *e->subdomains != '\0')
        g_string_append_c (e->out, e->subdomains[(guint) (e->x + e->y) % strlen (e->subdomains)]);
      break;
    case PART_KEY:
      if (e->key != NULL)
        g_string_append_uri_escaped (e->out, e->key, NULL, FALSE);
      break;
    }
}

gboolean
wh_tile_template_check (const char *url_template,
                        const char *subdomains,
                        const char *key,
                        GError    **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) uri_error = NULL;
  Expansion   e = { out, subdomains, key, 1, 2, 3, 0 };
  const char *scheme;

  g_return_val_if_fail (url_template != NULL, FALSE);

  if (*url_template == '\0')
    {
      g_set_error (error, WH_TILE_PROVIDER_ERROR, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
                   _ ("Enter the address of the tiles, for example "
                      "https://tiles.example.org/{z}/{x}/{y}.png"));
      return FALSE;
    }
  if (!walk_template (url_template, expand_part, &e, error))
    return FALSE;

  if (!(e.seen & (1u << PART_X)) || !(e.seen & ((1u << PART_Y) | (1u << PART_TMS_Y))) ||
      !(e.seen & (1u << PART_Z)))
    {
      g_set_error (error, WH_TILE_PROVIDER_ERROR, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
                   _ ("The tile address must contain {x}, {y} and {z}, where the column, "
                      "row and zoom level of each tile go"));
      return FALSE;
    }
  if ((e.seen & (1u << PART_S)) && (subdomains == NULL || *subdomains == '\0'))
    {
      g_set_error (error, WH_TILE_PROVIDER_ERROR, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
                   _ ("The tile address uses {s} but no server names are given for it"));
      return FALSE;
    }
  if ((e.seen & (1u << PART_KEY)) && (key == NULL || *key == '\0'))
    {
      g_set_error (error, WH_TILE_PROVIDER_ERROR, WH_TILE_PROVIDER_ERROR_NEEDS_KEY,
                   _ ("This map needs a key ({tk}): enter it in Preferences"));
      return FALSE;
    }

  uri = g_uri_parse (out->str, G_URI_FLAGS_NONE, &uri_error);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, WH_TILE_PROVIDER_ERROR, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
                   _ ("The tile address must be a web address starting with https:// or "
                      "http:// and a server name"));
      return FALSE;
    }
  return TRUE;
}

char *
wh_tile_template_expand (const char *url_template,
                         const char *subdomains,
                         const char *key,
                         int         x,
                         int         y,
                         int         zoom)
{
  GString  *out = g_string_new (NULL);
  Expansion e = { out, subdomains, key, x, y, zoom, 0 };

  g_return_val_if_fail (url_template != NULL, NULL);

  /* A template that was checked cannot fail here; an unchecked one stops at its error,
   * and the address that comes out fails to parse in the caller. */
  walk_template (url_template, expand_part, &e, NULL);
  return g_string_free (out, FALSE);
}

static void
redact_part (PartKind kind, const char *text, gsize len, gpointer data)
{
  g_string_append_len (data, kind == PART_KEY ? "…" : text, kind == PART_KEY ? -1 : (gssize) len);
}

char *
wh_tile_template_redact (const char *url_template)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (url_template != NULL, NULL);

  if (!walk_template (url_template, redact_part, out, NULL))
    {
      g_string_free (out, TRUE);
      return g_strdup (url_template);
    }
  return g_string_free (out, FALSE);
}
