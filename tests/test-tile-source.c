/* test-tile-source.c — online base maps: URL templates, the disk cache, offline use, the
 * GCJ-02 shift, and Preferences refusing a bad address
 *
 * Tiles come from a SoupServer on the loopback interface, run by the test itself; it is
 * stopped to play "the network is gone". The GCJ-02 provider's tiles encode, in every
 * pixel, where in the provider's world that pixel is, so the composed WGS-84 tile says
 * exactly which provider pixels it was cut from; the expected shift comes from the
 * published eviltransform reference point for Beijing (as in test-geo.c), not from the
 * code under test.
 *
 * Everything but the Preferences test runs without a display.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "wh-mercator.h"
#include "wh-preferences-window.h"
#include "wh-tile-cache.h"
#include "wh-tile-provider.h"
#include "wh-tile-source.h"

static char *tmp_dir;

/* Beijing, from github.com/googollee/eviltransform (c/test.c): WGS-84 and GCJ-02. */
#define BEIJING_WGS_LON 116.377817
#define BEIJING_WGS_LAT 39.911954
#define BEIJING_GCJ_LON 116.38404722455657
#define BEIJING_GCJ_LAT 39.91334545536069

/* The test's tile server */

typedef struct
{
  SoupServer *server;
  char       *base; /* http://127.0.0.1:PORT */
  guint       n_requests;
  GHashTable *paths; /* path → times asked */
} TileServer;

static GBytes *
encode_png (GdkPixbuf *pixbuf)
{
  g_autoptr (GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static GdkPixbuf *
decode_png (GBytes *bytes)
{
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr (GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  return pixbuf;
}

/* A WGS-84 tile: one colour made of its address, so tiles differ. */
static GBytes *
plain_tile (int zoom, int x, int y)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 256, 256);
  guint32 rgb = ((guint32) (x * 37 + zoom) & 0xff) << 16 | ((guint32) (y * 53) & 0xff) << 8 | 0x40;

  gdk_pixbuf_fill (pixbuf, rgb << 8 | 0xff);
  return encode_png (pixbuf);
}

/* A tile whose every pixel says where it is in the world at its zoom: red and green are
 * the low eight bits of the world pixel's column and row, blue the lowest bit of the
 * tile's column (×128) and row (×64). */
static GBytes *
coded_tile (int x, int y)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 256, 256);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int     stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int v = 0; v < 256; v++)
    for (int u = 0; u < 256; u++)
      {
        guint8 *p = pixels + v * stride + u * 3;

        p[0] = (guint8) u;
        p[1] = (guint8) v;
        p[2] = (guint8) ((x & 1) * 128 + (y & 1) * 64 + 16);
      }
  return encode_png (pixbuf);
}

/* Names over nothing: transparent but for a blue square in the middle. */
static GBytes *
overlay_tile (void)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 256, 256);
  g_autoptr (GdkPixbuf) square = gdk_pixbuf_new_subpixbuf (pixbuf, 100, 100, 56, 56);

  gdk_pixbuf_fill (pixbuf, 0);
  gdk_pixbuf_fill (square, 0x0000ffff);
  return encode_png (pixbuf);
}

static void
serve (SoupServer        *server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  TileServer *ts = user_data;
  g_autoptr (GBytes) body = NULL;
  char kind[16] = "";
  int  zoom, x, y;

  ts->n_requests++;
  g_hash_table_insert (
    ts->paths, g_strdup (path),
    GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (ts->paths, path)) + 1));

  if (sscanf (path, "/%15[a-z]/%d/%d/%d.png", kind, &zoom, &x, &y) != 4)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (g_str_equal (kind, "wgs") && x != 7)
    body = plain_tile (zoom, x, y);
  else if (g_str_equal (kind, "gcj"))
    body = coded_tile (x, y);
  else if (g_str_equal (kind, "names"))
    body = overlay_tile ();
  else if (g_str_equal (kind, "refuse"))
    {
      /* What Tianditu says to a bad key. */
      static const char answer[] = "{\"msg\":\"权限类型错误\",\"code\":12}";

      soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer,
                                        strlen (answer));
      return;
    }
  else if (g_str_equal (kind, "html"))
    {
      static const char page[] = "<html><body>Please log in</body></html>";

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
      return;
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
tile_server_start (TileServer *ts)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;

  ts->server = soup_server_new (NULL, NULL);
  ts->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soup_server_add_handler (ts->server, NULL, serve, ts, NULL);
  g_assert_true (soup_server_listen_local (ts->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (ts->server);
  g_assert_nonnull (uris);
  ts->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

/* The network is gone: nothing listens on the port any more. */
static void
tile_server_stop (TileServer *ts)
{
  if (ts->server == NULL)
    return;
  soup_server_disconnect (ts->server);
  g_clear_object (&ts->server);
}

static void
tile_server_free (TileServer *ts)
{
  tile_server_stop (ts);
  g_clear_pointer (&ts->paths, g_hash_table_unref);
  g_free (ts->base);
}

/* Fetching through the source, as libshumate does */

typedef struct
{
  gboolean done;
  GBytes  *bytes;
  GError  *error;
  GBytes  *received; /* what "received-data" carried */
  guint    n_received;
} Fetch;

static void
on_received (ShumateDataSource *source, int x, int y, int zoom, GBytes *bytes, Fetch *fetch)
{
  g_clear_pointer (&fetch->received, g_bytes_unref);
  fetch->received = g_bytes_ref (bytes);
  fetch->n_received++;
}

static void
on_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;

  fetch->bytes =
    shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &fetch->error);
  fetch->done = TRUE;
}

static void
fetch_clear (Fetch *fetch)
{
  g_clear_pointer (&fetch->bytes, g_bytes_unref);
  g_clear_pointer (&fetch->received, g_bytes_unref);
  g_clear_error (&fetch->error);
  *fetch = (Fetch){ 0 };
}

/* Asks for a tile and runs the main loop (which the test's server also needs) until it
 * is answered. */
static void
fetch_tile (WhTileSource *source, int zoom, int x, int y, Fetch *fetch)
{
  gulong handler;

  fetch_clear (fetch);
  handler = g_signal_connect (source, "received-data", G_CALLBACK (on_received), fetch);
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, zoom, NULL,
                                           on_fetched, fetch);
  while (!fetch->done)
    g_main_context_iteration (NULL, TRUE);
  /* A signal queued for the main thread may still be on its way. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handler_disconnect (source, handler);
}

static char *
cache_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Templates */

static void
test_template_expand (void)
{
  g_autoptr (GError) error = NULL;
  const char           *url = "https://{s}.tiles.example.org/{z}/{x}/{y}.png?tms={-y}&tk={tk}";
  g_autofree char      *a = NULL;
  g_autofree char      *b = NULL;
  g_autofree char      *redacted = NULL;
  const WhTileProvider *tianditu = wh_tile_provider_lookup ("tianditu");
  g_autofree char      *t = NULL;

  g_assert_true (wh_tile_template_check (url, "abc", "k y&z", &error));
  g_assert_no_error (error);

  /* {s} by (x + y) mod 3: 3 + 5 = 8 → "c"; {-y} at zoom 4 is 15 - 5; the key escaped. */
  a = wh_tile_template_expand (url, "abc", "k y&z", 3, 5, 4);
  g_assert_cmpstr (a, ==, "https://c.tiles.example.org/4/3/5.png?tms=10&tk=k%20y%26z");
  /* The same tile always comes from the same host. */
  b = wh_tile_template_expand (url, "abc", "k y&z", 3, 5, 4);
  g_assert_cmpstr (a, ==, b);
  g_free (b);
  b = wh_tile_template_expand (url, "abc", "key", 4, 5, 4);
  g_assert_cmpstr (b, ==, "https://a.tiles.example.org/4/4/5.png?tms=10&tk=key");

  redacted = wh_tile_template_redact ("https://t.example/{z}/{x}/{y}?tk={tk}");
  g_assert_cmpstr (redacted, ==, "https://t.example/{z}/{x}/{y}?tk=…");

  /* The built-in table: Tianditu's two layers with a key, in WGS-84; AMap in GCJ-02. */
  g_assert_nonnull (tianditu);
  g_assert_true (tianditu->needs_key);
  g_assert_nonnull (tianditu->overlay);
  g_assert_cmpint (tianditu->crs, ==, WH_TILE_CRS_WGS84);
  g_assert_cmpint (wh_tile_provider_lookup ("amap")->crs, ==, WH_TILE_CRS_GCJ02);
  g_assert_cmpint (wh_tile_provider_lookup ("osm")->crs, ==, WH_TILE_CRS_WGS84);
  g_assert_null (wh_tile_provider_lookup ("bing"));
  t = wh_tile_template_expand (tianditu->url, tianditu->subdomains, "abc123", 13490, 6208, 14);
  g_assert_true (g_str_has_prefix (t, "https://t2.tianditu.gov.cn/vec_w/wmts?"));
  g_assert_nonnull (strstr (t, "TILEMATRIX=14&TILEROW=6208&TILECOL=13490&tk=abc123"));

  /* A custom template's id ignores the key (never stored) but not the datum. */
  {
    g_autofree char *w = wh_tile_provider_custom_id ("https://x/{z}/{x}/{y}", WH_TILE_CRS_WGS84);
    g_autofree char *g = wh_tile_provider_custom_id ("https://x/{z}/{x}/{y}", WH_TILE_CRS_GCJ02);

    g_assert_true (g_str_has_prefix (w, "custom-"));
    g_assert_cmpstr (w, !=, g);
  }
}

static void
test_template_refused (void)
{
  static const struct
  {
    const char *url;
    const char *subdomains;
    const char *key;
    int         code;
    const char *fragment;
  } cases[] = {
    { "", NULL, NULL, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE, "Enter the address" },
    { "https://tiles.example.org/{z}/{x}.png", NULL, NULL, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
      "{x}, {y} and {z}" },
    { "https://tiles.example.org/{z}/{x}/{y}/{q}.png", NULL, NULL,
      WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE, "{q}" },
    { "https://tiles.example.org/{z}/{x}/{y", NULL, NULL, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
      "never closed" },
    { "ftp://tiles.example.org/{z}/{x}/{y}.png", NULL, NULL, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
      "https://" },
    { "tiles.example.org/{z}/{x}/{y}.png", NULL, NULL, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE,
      "https://" },
    { "https:///{z}/{x}/{y}.png", NULL, NULL, WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE, "server name" },
    { "https://{s}.tiles.example.org/{z}/{x}/{y}.png", NULL, NULL,
      WH_TILE_PROVIDER_ERROR_BAD_TEMPLATE, "{s}" },
    { "https://tiles.example.org/{z}/{x}/{y}.png?tk={tk}", NULL, "",
      WH_TILE_PROVIDER_ERROR_NEEDS_KEY, "key" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) source_error = NULL;
      g_autoptr (WhTileSource) source = NULL;
      WhTileProvider provider = {
        .id = "test", .url = cases[i].url, .subdomains = cases[i].subdomains, .max_zoom = 19
      };

      g_assert_false (
        wh_tile_template_check (cases[i].url, cases[i].subdomains, cases[i].key, &error));
      g_assert_error (error, WH_TILE_PROVIDER_ERROR, cases[i].code);
      g_test_message ("“%s”: %s", cases[i].url, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].fragment));

      /* The source refuses it the same way, before asking for any tile. */
      source = wh_tile_source_new (&provider, cases[i].key, NULL, &source_error);
      g_assert_null (source);
      g_assert_error (source_error, WH_TILE_PROVIDER_ERROR, cases[i].code);
      g_assert_cmpstr (source_error->message, ==, error->message);
    }

  /* Tianditu without its key. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (WhTileSource) source =
      wh_tile_source_new (wh_tile_provider_lookup ("tianditu"), NULL, NULL, &error);

    g_assert_null (source);
    g_assert_error (error, WH_TILE_PROVIDER_ERROR, WH_TILE_PROVIDER_ERROR_NEEDS_KEY);
  }
}

/* Downloading, saving, and offline */

static WhTileSource *
new_source (TileServer *ts, const char *kind, WhTileCrs crs, WhTileCache *cache)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s/%s/{z}/{x}/{y}.png", ts->base, kind);
  WhTileProvider   provider = { .id = kind,
                                .name = kind,
                                .url = url,
                                .crs = crs,
                                .min_zoom = 0,
                                .max_zoom = 19,
                                .max_connections = 2 };
  WhTileSource    *source = wh_tile_source_new (&provider, NULL, cache, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);
  return source;
}

static void
test_offline (void)
{
  g_autofree char *path = cache_path ("offline.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (WhTileCache) cache = wh_tile_cache_new (path, WH_TILE_CACHE_DEFAULT_LIMIT, &error);
  g_autoptr (WhTileSource) source = NULL;
  g_autoptr (GBytes) expected = plain_tile (15, 26978, 12416);
  g_autoptr (GBytes) first = NULL;
  TileServer ts = { 0 };
  Fetch      fetch = { 0 };

  g_assert_no_error (error);
  tile_server_start (&ts);
  source = new_source (&ts, "wgs", WH_TILE_CRS_WGS84, cache);

  /* Online: downloaded, handed to the renderer, saved. */
  fetch_tile (source, 15, 26978, 12416, &fetch);
  g_assert_no_error (fetch.error);
  g_assert_true (g_bytes_equal (fetch.bytes, expected));
  g_assert_cmpuint (fetch.n_received, ==, 1);
  g_assert_true (g_bytes_equal (fetch.received, expected));
  g_assert_cmpuint (ts.n_requests, ==, 1);
  g_assert_true (wh_tile_cache_contains (cache, "wgs", 15, 26978, 12416));
  g_assert_cmpuint (wh_tile_source_get_n_downloaded (source), ==, 1);
  g_assert_null (wh_tile_source_get_problem (source));
  first = g_bytes_ref (fetch.bytes);

  /* A fresh saved tile does not ask the network. */
  fetch_tile (source, 15, 26978, 12416, &fetch);
  g_assert_no_error (fetch.error);
  g_assert_true (g_bytes_equal (fetch.bytes, expected));
  g_assert_cmpuint (fetch.n_received, ==, 1);
  g_assert_cmpuint (ts.n_requests, ==, 1);
  g_assert_cmpuint (wh_tile_source_get_n_from_cache (source), ==, 1);

  /* A tile the server lacks is no tile, and no trouble. */
  fetch_tile (source, 15, 7, 12416, &fetch);
  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (wh_tile_source_get_problem (source));

  /* The network goes: a tile that is due a refresh still shows, from the disk. */
  tile_server_stop (&ts);
  wh_tile_source_set_max_age (source, 0);
  fetch_tile (source, 15, 26978, 12416, &fetch);
  g_assert_no_error (fetch.error);
  g_assert_true (g_bytes_equal (fetch.bytes, expected));
  g_assert_cmpuint (fetch.n_received, ==, 1);
  g_test_message ("offline: %s", wh_tile_source_get_problem (source));
  g_assert_nonnull (wh_tile_source_get_problem (source));
  g_assert_nonnull (strstr (wh_tile_source_get_problem (source), "No network"));

  /* One never seen cannot. */
  fetch_tile (source, 15, 26979, 12416, &fetch);
  g_assert_nonnull (fetch.error);
  g_assert_null (fetch.bytes);
  g_assert_cmpuint (fetch.n_received, ==, 0);

  /* The next run of the desk, still offline: the same cache file serves the area. */
  g_clear_object (&source);
  g_clear_object (&cache);
  cache = wh_tile_cache_new (path, WH_TILE_CACHE_DEFAULT_LIMIT, &error);
  g_assert_no_error (error);
  source = new_source (&ts, "wgs", WH_TILE_CRS_WGS84, cache);
  wh_tile_source_set_max_age (source, 0);
  fetch_tile (source, 15, 26978, 12416, &fetch);
  g_assert_no_error (fetch.error);
  g_assert_true (g_bytes_equal (fetch.bytes, first));

  fetch_clear (&fetch);
  tile_server_free (&ts);
}

/* A server that answers, but not with tiles: its words reach the officer. */
static void
test_refused (void)
{
  g_autoptr (WhTileSource) refuse = NULL;
  g_autoptr (WhTileSource) html = NULL;
  TileServer ts = { 0 };
  Fetch      fetch = { 0 };

  tile_server_start (&ts);
  refuse = new_source (&ts, "refuse", WH_TILE_CRS_WGS84, NULL);
  fetch_tile (refuse, 15, 1, 1, &fetch);
  g_assert_nonnull (fetch.error);
  g_test_message ("%s", wh_tile_source_get_problem (refuse));
  g_assert_nonnull (strstr (wh_tile_source_get_problem (refuse), "403"));
  g_assert_nonnull (strstr (wh_tile_source_get_problem (refuse), "权限类型错误"));

  html = new_source (&ts, "html", WH_TILE_CRS_WGS84, NULL);
  fetch_tile (html, 15, 1, 1, &fetch);
  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (wh_tile_source_get_problem (html), "Please log in"));

  fetch_clear (&fetch);
  tile_server_free (&ts);
}

/* Two layers drawn as one tile, as Tianditu's map and its names. */
static void
test_overlay (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhTileSource) source = NULL;
  g_autoptr (GdkPixbuf) tile = NULL;
  g_autofree char *url = NULL;
  g_autofree char *overlay = NULL;
  TileServer       ts = { 0 };
  Fetch            fetch = { 0 };
  guint8          *p;

  tile_server_start (&ts);
  url = g_strdup_printf ("%s/wgs/{z}/{x}/{y}.png", ts.base);
  overlay = g_strdup_printf ("%s/names/{z}/{x}/{y}.png", ts.base);
  source = wh_tile_source_new (
    &(WhTileProvider){ .id = "layers", .url = url, .overlay = overlay, .max_zoom = 18 }, NULL, NULL,
    &error);
  g_assert_no_error (error);
  fetch_tile (source, 15, 3, 4, &fetch);
  g_assert_no_error (fetch.error);
  g_assert_cmpuint (ts.n_requests, ==, 2);
  tile = decode_png (fetch.bytes);
  p = gdk_pixbuf_get_pixels (tile);
  /* The base's colour at a corner, the names' blue in the middle. */
  {
    g_autoptr (GdkPixbuf) base = decode_png (plain_tile (15, 3, 4));
    const guint8 *b = gdk_pixbuf_get_pixels (base);
    int           stride = gdk_pixbuf_get_rowstride (tile);
    int           n = gdk_pixbuf_get_n_channels (tile);

    g_assert_cmpmem (p, 3, b, 3);
    g_assert_cmpuint (p[128 * stride + 128 * n + 0], ==, 0);
    g_assert_cmpuint (p[128 * stride + 128 * n + 1], ==, 0);
    g_assert_cmpuint (p[128 * stride + 128 * n + 2], ==, 0xff);
  }
  fetch_clear (&fetch);
  tile_server_free (&ts);
}

/* GCJ-02 */

/* The provider world pixel that a composed pixel came from, decoded from its colour. The
 * eight low bits are red/green; the ninth comes from the tile parity in blue; the rest is
 * taken from @near, which must be within 256 pixels. */
static gint64
decode_coord (guint8 low, gboolean odd_tile, gint64 near)
{
  gint64 base = (near & ~(gint64) 0x1ff) | ((gint64) odd_tile << 8) | low;
  gint64 best = base;

  for (int k = -1; k <= 1; k++)
    if (ABS (base + k * 512 - near) < ABS (best - near))
      best = base + k * 512;
  return best;
}

static void
test_gcj02 (void)
{
  g_autofree char *path = cache_path ("gcj.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (WhTileCache) cache = wh_tile_cache_new (path, WH_TILE_CACHE_DEFAULT_LIMIT, &error);
  g_autoptr (WhTileSource) source = NULL;
  g_autoptr (GdkPixbuf) tile = NULL;
  g_autoptr (GBytes) saved = NULL;
  TileServer ts = { 0 };
  Fetch      fetch = { 0 };
  const int  zoom = 16;
  double     wx, wy, gx, gy, dx, dy;
  int        tx, ty, stride, n;
  guint8    *pixels;
  guint      checked = 0;

  g_assert_no_error (error);
  tile_server_start (&ts);
  source = new_source (&ts, "gcj", WH_TILE_CRS_GCJ02, cache);
  g_assert_cmpint (wh_tile_source_get_crs (source), ==, WH_TILE_CRS_GCJ02);

  /* The shift the published pair shows, in pixels at this zoom: some hundreds of metres,
   * so a tile that was not shifted cannot pass. */
  wh_mercator_lonlat_to_pixel (BEIJING_WGS_LON, BEIJING_WGS_LAT, zoom, &wx, &wy);
  wh_mercator_lonlat_to_pixel (BEIJING_GCJ_LON, BEIJING_GCJ_LAT, zoom, &gx, &gy);
  dx = gx - wx;
  dy = gy - wy;
  g_test_message ("GCJ-02 shift at Beijing, zoom %d: %.1f, %.1f pixels", zoom, dx, dy);
  g_assert_cmpfloat (fabs (dx), >, 100);

  wh_mercator_lonlat_to_tile (BEIJING_WGS_LON, BEIJING_WGS_LAT, zoom, &tx, &ty);
  fetch_tile (source, zoom, tx, ty, &fetch);
  g_assert_no_error (fetch.error);
  g_test_message ("%u provider tiles fetched for one", ts.n_requests);
  g_assert_cmpuint (ts.n_requests, >=, 2);
  g_assert_cmpuint (ts.n_requests, <=, 4);

  tile = decode_png (fetch.bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (tile), ==, 256);
  pixels = gdk_pixbuf_get_pixels (tile);
  stride = gdk_pixbuf_get_rowstride (tile);
  n = gdk_pixbuf_get_n_channels (tile);
  for (int v = 0; v < 256; v += 15)
    for (int u = 0; u < 256; u += 15)
      {
        const guint8 *p = pixels + v * stride + u * n;
        gint64        want_x = llround (tx * 256.0 + u + dx);
        gint64        want_y = llround (ty * 256.0 + v + dy);
        gint64        got_x = decode_coord (p[0], (p[2] & 128) != 0, want_x);
        gint64        got_y = decode_coord (p[1], (p[2] & 64) != 0, want_y);

        g_assert_cmpuint (p[2] & 63, ==, 16);
        /* Within a pixel: the shift is taken at the tile's centre and rounded. */
        if (ABS (got_x - want_x) > 1 || ABS (got_y - want_y) > 1)
          g_error ("pixel (%d, %d) came from provider pixel (%" G_GINT64_FORMAT
                   ", %" G_GINT64_FORMAT "), expected (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                   u, v, got_x, got_y, want_x, want_y);
        checked++;
      }
  g_assert_cmpuint (checked, >, 250);

  /* What is saved is the WGS-84 tile, under its WGS-84 address. */
  saved = wh_tile_cache_lookup (cache, "gcj", zoom, tx, ty, g_get_real_time (), NULL);
  g_assert_nonnull (saved);
  g_assert_true (g_bytes_equal (saved, fetch.bytes));

  fetch_clear (&fetch);
  tile_server_free (&ts);
}

/* The cache's size limit */

static GBytes *
blob (gsize size, guint8 fill)
{
  guint8 *data = g_malloc (size);

  memset (data, fill, size);
  return g_bytes_new_take (data, size);
}

static void
test_eviction (void)
{
  g_autofree char *path = cache_path ("evict.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (WhTileCache) cache = wh_tile_cache_new (path, 1000 * 1000, &error);
  g_autoptr (GBytes) a = blob (300000, 'a');
  g_autoptr (GBytes) b = blob (300000, 'b');
  g_autoptr (GBytes) c = blob (300000, 'c');
  g_autoptr (GBytes) d = blob (300000, 'd');
  g_autoptr (GBytes) got = NULL;
  const gint64 hour = G_TIME_SPAN_HOUR, t0 = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  gint64       fetched_at = 0;

  g_assert_no_error (error);
  g_assert_true (wh_tile_cache_store (cache, "osm", 16, 1, 1, a, t0));
  g_assert_true (wh_tile_cache_store (cache, "osm", 16, 2, 1, b, t0 + hour));
  g_assert_true (wh_tile_cache_store (cache, "osm", 16, 3, 1, c, t0 + 2 * hour));
  g_assert_cmpuint (wh_tile_cache_get_size (cache), ==, 900000);
  g_assert_cmpuint (wh_tile_cache_count (cache), ==, 3);

  /* The oldest tile is looked at again: now the second is the least recently used. */
  got = wh_tile_cache_lookup (cache, "osm", 16, 1, 1, t0 + 3 * hour, &fetched_at);
  g_assert_true (g_bytes_equal (got, a));
  g_assert_cmpint (fetched_at, ==, t0);

  /* A fourth passes the limit (1 MB): the least recently used goes, down to 90 %. */
  g_assert_true (wh_tile_cache_store (cache, "osm", 16, 4, 1, d, t0 + 4 * hour));
  g_assert_true (wh_tile_cache_contains (cache, "osm", 16, 1, 1));
  g_assert_false (wh_tile_cache_contains (cache, "osm", 16, 2, 1));
  g_assert_true (wh_tile_cache_contains (cache, "osm", 16, 3, 1));
  g_assert_true (wh_tile_cache_contains (cache, "osm", 16, 4, 1));
  g_assert_cmpuint (wh_tile_cache_get_size (cache), ==, 900000);

  /* Replacing a tile counts its new size, not both. */
  g_assert_true (wh_tile_cache_store (cache, "osm", 16, 4, 1, blob (1000, 'e'), t0 + 5 * hour));
  g_assert_cmpuint (wh_tile_cache_get_size (cache), ==, 601000);

  /* The size is the file's, not the process's: a reopened cache knows it. */
  g_clear_object (&cache);
  cache = wh_tile_cache_new (path, 1000 * 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_tile_cache_get_size (cache), ==, 601000);

  /* A limit is never below 1 MB, whatever is asked. */
  wh_tile_cache_set_size_limit (cache, 1);
  g_assert_cmpuint (wh_tile_cache_get_size_limit (cache), ==, 1000 * 1000);
  g_assert_cmpuint (wh_tile_cache_get_size (cache), ==, 601000);

  /* Clearing empties it. */
  g_assert_true (wh_tile_cache_clear (cache, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wh_tile_cache_count (cache), ==, 0);
  g_assert_cmpuint (wh_tile_cache_get_size (cache), ==, 0);
  g_assert_null (wh_tile_cache_lookup (cache, "osm", 16, 1, 1, t0, NULL));
}

/* Lowering the limit evicts at once, least recently used first. */
static void
test_lower_limit (void)
{
  g_autofree char *path = cache_path ("lower.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (WhTileCache) cache = wh_tile_cache_new (path, 2000 * 1000, &error);
  const gint64 t0 = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;

  g_assert_no_error (error);
  for (int i = 0; i < 5; i++)
    {
      g_autoptr (GBytes) data = blob (300000, (guint8) ('a' + i));

      g_assert_true (
        wh_tile_cache_store (cache, "amap", 17, i, 0, data, t0 + i * G_TIME_SPAN_HOUR));
    }
  g_assert_cmpuint (wh_tile_cache_count (cache), ==, 5);
  wh_tile_cache_set_size_limit (cache, 1000 * 1000);
  g_assert_cmpuint (wh_tile_cache_get_size (cache), ==, 900000);
  g_assert_false (wh_tile_cache_contains (cache, "amap", 17, 0, 0));
  g_assert_false (wh_tile_cache_contains (cache, "amap", 17, 1, 0));
  for (int i = 2; i < 5; i++)
    g_assert_true (wh_tile_cache_contains (cache, "amap", 17, i, 0));
}

/* A file that is not a cache is only a cache: it starts afresh. */
static void
test_damaged_cache (void)
{
  g_autofree char *path = cache_path ("damaged.sqlite");
  g_autoptr (GError) error = NULL;
  g_autoptr (WhTileCache) cache = NULL;

  g_assert_true (g_file_set_contents (path, "not a database, just some words\n", -1, &error));
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*starting it afresh*");
  cache = wh_tile_cache_new (path, WH_TILE_CACHE_DEFAULT_LIMIT, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_nonnull (cache);
  g_assert_cmpuint (wh_tile_cache_count (cache), ==, 0);
  g_assert_true (wh_tile_cache_store (cache, "osm", 1, 0, 0, blob (10, 'x'), 1));
  g_assert_cmpuint (wh_tile_cache_count (cache), ==, 1);
}

/* Preferences */

static void
test_preferences (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  WhPreferencesWindow *window;

  g_settings_set_string (settings, "base-map", "custom");
  g_settings_set_string (settings, "custom-tile-url", "");
  window = wh_preferences_window_new (NULL, settings, NULL);
  gtk_window_present (GTK_WINDOW (window));

  /* A bad address is refused with the reason, and not kept. */
  g_assert_false (
    wh_preferences_window_apply_custom_url (window, "https://tiles.example.org/{z}/{x}"));
  g_test_message ("%s", wh_preferences_window_get_error (window));
  g_assert_nonnull (strstr (wh_preferences_window_get_error (window), "{x}, {y} and {z}"));
  g_assert_cmpstr (g_settings_get_string (settings, "custom-tile-url"), ==, "");

  /* A good one is kept (trimmed) and the message goes. */
  g_assert_true (wh_preferences_window_apply_custom_url (
    window, "  https://tiles.example.org/{z}/{x}/{y}.png "));
  g_assert_cmpstr (wh_preferences_window_get_error (window), ==, "");
  {
    g_autofree char *kept = g_settings_get_string (settings, "custom-tile-url");

    g_assert_cmpstr (kept, ==, "https://tiles.example.org/{z}/{x}/{y}.png");
  }

  /* The saved tiles: counted from the desk's cache. */
  {
    WhTileCache *cache = wh_tile_cache_get_default ();

    g_assert_nonnull (cache);
    g_assert_true (g_str_has_prefix (wh_tile_cache_get_path (cache), tmp_dir));
    g_assert_true (wh_tile_cache_store (cache, "osm", 16, 1, 2, blob (2000, 'z'), 1));
    g_settings_set_uint (settings, "tile-cache-size", 50);
    g_assert_cmpuint (wh_tile_cache_get_size_limit (cache), ==, 50 * 1000 * 1000);
    g_assert_nonnull (strstr (wh_preferences_window_get_usage (window), "1 tile"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "base-map");
  g_settings_reset (settings, "custom-tile-url");
  g_settings_reset (settings, "tile-cache-size");
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("whistle-tiles-XXXXXX", &error);
  g_assert_no_error (error);
  /* The desk's default tile cache goes here, not into the person's own cache folder. */
  g_setenv ("XDG_CACHE_HOME", tmp_dir, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tile-source/template/expand", test_template_expand);
  g_test_add_func ("/tile-source/template/refused", test_template_refused);
  g_test_add_func ("/tile-source/offline", test_offline);
  g_test_add_func ("/tile-source/refused", test_refused);
  g_test_add_func ("/tile-source/overlay", test_overlay);
  g_test_add_func ("/tile-source/gcj02", test_gcj02);
  g_test_add_func ("/tile-source/cache/eviction", test_eviction);
  g_test_add_func ("/tile-source/cache/lower-limit", test_lower_limit);
  g_test_add_func ("/tile-source/cache/damaged", test_damaged_cache);
  if (gtk_init_check ())
    g_test_add_func ("/tile-source/preferences", test_preferences);
  else
    g_test_message ("no display: Preferences are not checked (run under xvfb-run)");

  ret = g_test_run ();

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
