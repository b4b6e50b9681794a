/* wh-tile-source.c — map tiles from an online server, saved on disk for offline use */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "wh-gcj02.h"
#include "wh-mercator.h"
#include "wh-tile-delivery.h"
#include "wh-tile-source.h"

#define TILE_SIZE 256
/* After a download failed for want of a network, tiles come only from the cache for this
 * long, so an offline desk pans without waiting on a timeout for every tile. */
#define OFFLINE_RETRY (15 * G_USEC_PER_SEC)
/* A stalled server must not hold a download thread for ever. */
#define HTTP_TIMEOUT_S 20

struct _WhTileSource
{
  ShumateDataSource parent_instance;

  WhTileProvider provider; /* its strings owned here */
  char          *key;
  WhTileCache   *cache;
  SoupSession   *session;
  GThreadPool   *pool;

  /* Shared with the download threads */
  GMutex lock;
  gint64 max_age;
  gint64 offline_until;
  int    n_from_cache; /* atomic */
  int    n_downloaded; /* atomic */

  /* Main thread only */
  char *problem;
};

G_DEFINE_FINAL_TYPE (WhTileSource, wh_tile_source, SHUMATE_TYPE_DATA_SOURCE)

enum {
  PROP_0,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum {
  OUTCOME_CACHED,     /* served from the cache without asking */
  OUTCOME_DOWNLOADED, /* fetched now */
  OUTCOME_OFFLINE,    /* the network failed; served from the cache when it could */
  OUTCOME_REFUSED,    /* the server answered, but not with a tile */
  OUTCOME_MISSING,    /* the server has no tile there */
  OUTCOME_CANCELLED,
} Outcome;

/* One tile asked for: filled in on a download thread, read back on the main thread. */
typedef struct
{
  WhTileSource *self; /* kept alive by the request's task until the job is done */
  int           x, y, zoom;
  GCancellable *cancellable;
  GMainContext *context;

  GBytes  *bytes;
  GError  *error;
  Outcome  outcome;
  gboolean emitted; /* @bytes were already handed to the renderer */
} TileJob;

static void
tile_job_free (TileJob *job)
{
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_clear_error (&job->error);
  g_free (job);
}

/* Fetching, on a download thread */

static const char *
sniff_image (GBytes *bytes)
{
  gsize         size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  const char   *raster = wh_tile_sniff_raster (data, size);

  if (raster != NULL)
    return raster;
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";
  return NULL;
}

/* The start of a server's text answer, for a message: error pages say what is wrong
 * (Tianditu answers a bad key with JSON saying so). */
static char *
body_excerpt (GBytes *body)
{
  gsize            size;
  const char      *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;

  if (data == NULL || size == 0)
    return g_strdup ("");
  text = g_utf8_make_valid (data, MIN (size, 600));
  flat = g_strstrip (g_strdelimit (g_strdup (text), "\r\n\t", ' '));
  if (g_utf8_strlen (flat, -1) > 120)
    {
      char *end = g_utf8_offset_to_pointer (flat, 120);

      *end = '\0';
      return g_strconcat (flat, "…", NULL);
    }
  return g_steal_pointer (&flat);
}

/* One address; sets @unreachable when the failure was the network's, not the server's. */
static GBytes *
fetch_bytes (WhTileSource *self,
             const char   *url,
             GCancellable *cancellable,
             gboolean     *unreachable,
             GError      **error)
{
  g_autoptr (SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) local = NULL;
  guint status;

  if (msg == NULL)
    {
      g_autofree char *shown = wh_tile_template_redact (self->provider.url);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _ ("The tile address “%s” does not give valid web addresses"), shown);
      return NULL;
    }

  body = soup_session_send_and_read (self->session, msg, cancellable, &local);
  if (body == NULL)
    {
      *unreachable = !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_NO_CONTENT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("The map server has no tile there"));
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *excerpt = body_excerpt (body);

      /* Translators: "403 Forbidden: {"msg":"…"}", the server's status and answer */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("the server answered %u %s%s%s"),
                   status, soup_message_get_reason_phrase (msg) ?: "", *excerpt ? ": " : "",
                   excerpt);
      return NULL;
    }
  if (sniff_image (body) == NULL)
    {
      g_autofree char *excerpt = body_excerpt (body);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("the server sent no image but “%s”"), excerpt);
      return NULL;
    }
  return g_steal_pointer (&body);
}

static GdkPixbuf *
decode (GBytes *bytes, GError **error)
{
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, error);
  GdkPixbuf *tile;

  if (pixbuf == NULL)
    return NULL;
  /* Every pixel of a tile is a pixel of the map; a "retina" server's 512-pixel tiles are
   * brought to the map's 256. The alpha channel makes composing uniform. */
  if (gdk_pixbuf_get_width (pixbuf) != TILE_SIZE || gdk_pixbuf_get_height (pixbuf) != TILE_SIZE)
    {
      g_autoptr (GdkPixbuf) scaled =
        gdk_pixbuf_scale_simple (pixbuf, TILE_SIZE, TILE_SIZE, GDK_INTERP_BILINEAR);

      tile = gdk_pixbuf_add_alpha (scaled, FALSE, 0, 0, 0);
    }
  else
    tile = gdk_pixbuf_add_alpha (pixbuf, FALSE, 0, 0, 0);
  return tile;
}

static GBytes *
encode (GdkPixbuf *pixbuf, GError **error)
{
  char *buffer = NULL;
  gsize size = 0;

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", error, NULL))
    return NULL;
  return g_bytes_new_take (buffer, size);
}

/* The provider's tile (@zoom, @x, @y) in its own datum, with its overlay drawn on it:
 * as bytes when @pixbuf is NULL (untouched when there is no overlay), else decoded. */
static GBytes *
fetch_layers (WhTileSource *self,
              int           x,
              int           y,
              int           zoom,
              GCancellable *cancellable,
              GdkPixbuf   **pixbuf,
              gboolean     *unreachable,
              GError      **error)
{
  g_autofree char *url =
    wh_tile_template_expand (self->provider.url, self->provider.subdomains, self->key, x, y, zoom);
  g_autoptr (GBytes) base = fetch_bytes (self, url, cancellable, unreachable, error);
  g_autoptr (GBytes) overlay = NULL;
  g_autoptr (GdkPixbuf) picture = NULL;
  g_autoptr (GdkPixbuf) names = NULL;
  g_autoptr (GError) overlay_error = NULL;

  if (base == NULL)
    return NULL;

  if (self->provider.overlay != NULL)
    {
      g_autofree char *overlay_url = wh_tile_template_expand (
        self->provider.overlay, self->provider.subdomains, self->key, x, y, zoom);

      overlay = fetch_bytes (self, overlay_url, cancellable, unreachable, &overlay_error);
      /* Where the names layer has nothing, the map is still the map; any other failure
       * would save a tile without names for a week. */
      if (overlay == NULL && !g_error_matches (overlay_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&overlay_error));
          return NULL;
        }
    }

  if (overlay == NULL && pixbuf == NULL)
    return g_steal_pointer (&base);

  if ((picture = decode (base, error)) == NULL)
    return NULL;
  if (overlay != NULL)
    {
      if ((names = decode (overlay, error)) == NULL)
        return NULL;
      gdk_pixbuf_composite (names, picture, 0, 0, TILE_SIZE, TILE_SIZE, 0, 0, 1, 1,
                            GDK_INTERP_NEAREST, 255);
    }
  if (pixbuf != NULL)
    {
      *pixbuf = g_steal_pointer (&picture);
      return g_bytes_new_static ("", 0);
    }
  return encode (picture, error);
}

/* The WGS-84 tile (@zoom, @x, @y) cut out of a GCJ-02 provider's tiles. */
static GBytes *
fetch_shifted (WhTileSource *self,
               int           x,
               int           y,
               int           zoom,
               GCancellable *cancellable,
               gboolean     *unreachable,
               GError      **error)
{
  gint64 n = (gint64) 1 << zoom;
  double cx = (x + 0.5) * TILE_SIZE, cy = (y + 0.5) * TILE_SIZE;
  double lon, lat, gcj_lon, gcj_lat, gx, gy;
  gint64 left, top;
  g_autoptr (GdkPixbuf) tile = NULL;
  gboolean any = FALSE;

  wh_mercator_pixel_to_lonlat (cx, cy, zoom, &lon, &lat);
  if (wh_gcj02_out_of_china (lon, lat))
    return fetch_layers (self, x, y, zoom, cancellable, NULL, unreachable, error);

  /* A place at WGS-84 pixel p shows at GCJ-02 pixel p + offset in the provider's tiles;
   * the offset is taken at the centre and rounded to whole pixels, which keeps the
   * tile sharp (half a pixel is 0.3 m at zoom 18). */
  wh_gcj02_from_wgs84 (lon, lat, &gcj_lon, &gcj_lat);
  wh_mercator_lonlat_to_pixel (gcj_lon, gcj_lat, zoom, &gx, &gy);
  left = (gint64) x * TILE_SIZE + lround (gx - cx);
  top = (gint64) y * TILE_SIZE + lround (gy - cy);

  tile = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, TILE_SIZE, TILE_SIZE);
  gdk_pixbuf_fill (tile, 0);
  for (gint64 ty = floor (top / (double) TILE_SIZE); ty * TILE_SIZE < top + TILE_SIZE; ty++)
    for (gint64 tx = floor (left / (double) TILE_SIZE); tx * TILE_SIZE < left + TILE_SIZE; tx++)
      {
        g_autoptr (GdkPixbuf) part = NULL;
        g_autoptr (GBytes) ignored = NULL;
        g_autoptr (GError) part_error = NULL;
        gint64 dest_x = tx * TILE_SIZE - left, dest_y = ty * TILE_SIZE - top;
        gint64 x0 = MAX (dest_x, 0), y0 = MAX (dest_y, 0);
        gint64 x1 = MIN (dest_x + TILE_SIZE, TILE_SIZE), y1 = MIN (dest_y + TILE_SIZE, TILE_SIZE);

        if (ty < 0 || ty >= n)
          continue;
        ignored = fetch_layers (self, (int) (((tx % n) + n) % n), (int) ty, zoom, cancellable,
                                &part, unreachable, &part_error);
        if (ignored == NULL)
          {
            /* A provider's edge: that corner stays empty. */
            if (g_error_matches (part_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
              continue;
            g_propagate_error (error, g_steal_pointer (&part_error));
            return NULL;
          }
        gdk_pixbuf_copy_area (part, (int) (x0 - dest_x), (int) (y0 - dest_y), (int) (x1 - x0),
                              (int) (y1 - y0), tile, (int) x0, (int) y0);
        any = TRUE;
      }
  if (!any)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("The map server has no tile there"));
      return NULL;
    }
  return encode (tile, error);
}

typedef struct
{
  WhTileSource *self;
  int           x, y, zoom;
  GBytes       *bytes;
} Early;

static void
early_free (gpointer data)
{
  Early *early = data;

  g_object_unref (early->self);
  g_bytes_unref (early->bytes);
  g_free (early);
}

static gboolean
emit_early (gpointer data)
{
  Early *early = data;

  wh_tile_announce (SHUMATE_DATA_SOURCE (early->self), early->x, early->y, early->zoom,
                    early->bytes);
  return G_SOURCE_REMOVE;
}

static gboolean
is_offline (WhTileSource *self, gint64 now, gint64 *max_age)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  *max_age = self->max_age;
  return now < self->offline_until;
}

static void
run_job (TileJob *job)
{
  WhTileSource *self = job->self;
  gint64        now = g_get_real_time ();
  gint64        fetched_at = 0, max_age;
  gboolean      offline = is_offline (self, now, &max_age);
  gboolean      unreachable = FALSE;
  g_autoptr (GBytes) cached = NULL;
  g_autoptr (GBytes) fresh = NULL;
  g_autoptr (GError) error = NULL;

  /* The map drops requests for tiles scrolled away before they ran. */
  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    {
      job->outcome = OUTCOME_CANCELLED;
      return;
    }

  if (self->cache != NULL)
    cached = wh_tile_cache_lookup (self->cache, self->provider.id, job->zoom, job->x, job->y, now,
                                   &fetched_at);
  if (cached != NULL && (now - fetched_at < max_age || offline))
    {
      job->bytes = g_steal_pointer (&cached);
      job->outcome = OUTCOME_CACHED;
      return;
    }
  if (offline)
    {
      g_set_error (&job->error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE,
                   _ ("No network, and this tile was never saved"));
      job->outcome = OUTCOME_OFFLINE;
      return;
    }

  /* An old tile shows while its refresh downloads. */
  if (cached != NULL)
    {
      Early *early = g_new (Early, 1);

      *early = (Early){ g_object_ref (self), job->x, job->y, job->zoom, g_bytes_ref (cached) };
      g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, emit_early, early, early_free);
      job->emitted = TRUE;
    }

  if (self->provider.crs == WH_TILE_CRS_GCJ02)
    fresh = fetch_shifted (self, job->x, job->y, job->zoom, job->cancellable, &unreachable, &error);
  else
    fresh =
      fetch_layers (self, job->x, job->y, job->zoom, job->cancellable, NULL, &unreachable, &error);

  if (fresh != NULL)
    {
      if (self->cache != NULL)
        wh_tile_cache_store (self->cache, self->provider.id, job->zoom, job->x, job->y, fresh, now);
      job->bytes = g_steal_pointer (&fresh);
      job->outcome = OUTCOME_DOWNLOADED;
      job->emitted = FALSE;
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    job->outcome = OUTCOME_CANCELLED;
  else if (unreachable)
    {
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

      self->offline_until = now + OFFLINE_RETRY;
      job->outcome = OUTCOME_OFFLINE;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    job->outcome = OUTCOME_MISSING;
  else
    job->outcome = OUTCOME_REFUSED;

  /* The saved tile, however old, is better than none. */
  if (cached != NULL && job->outcome != OUTCOME_CANCELLED)
    job->bytes = g_steal_pointer (&cached);
  else
    job->error = g_steal_pointer (&error);
}

static void
run_in_pool (gpointer data, gpointer user_data)
{
  GTask   *done = data;
  TileJob *job = g_task_get_task_data (done);

  run_job (job);
  /* Nothing of the source is touched after this: the main thread may drop it. */
  g_task_return_boolean (done, TRUE);
  g_object_unref (done);
}

/* Back on the main thread */

static void
set_problem (WhTileSource *self, const char *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
on_job_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  WhTileSource *self = g_task_get_source_object (task);
  TileJob      *job = g_task_get_task_data (G_TASK (result));

  switch (job->outcome)
    {
    case OUTCOME_CACHED:
      g_atomic_int_inc (&self->n_from_cache);
      break;
    case OUTCOME_DOWNLOADED:
      g_atomic_int_inc (&self->n_downloaded);
      set_problem (self, NULL);
      break;
    case OUTCOME_OFFLINE:
      if (job->bytes != NULL)
        g_atomic_int_inc (&self->n_from_cache);
      set_problem (self, _ ("No network: the map shows the tiles saved on this computer"));
      break;
    case OUTCOME_REFUSED:
      {
        g_autofree char *text = NULL;

        if (job->bytes != NULL)
          g_atomic_int_inc (&self->n_from_cache);
        /* Translators: %s says why, e.g. "the server answered 403 Forbidden" */
        text = g_strdup_printf (_ ("The map server cannot be used: %s"),
                                job->error != NULL ? job->error->message : "");
        set_problem (self, text);
      }
      break;
    case OUTCOME_MISSING:
    case OUTCOME_CANCELLED:
      break;
    }

  if (job->bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&job->error));
      return;
    }
  wh_tile_deliver (task, SHUMATE_DATA_SOURCE (self), job->x, job->y, job->zoom,
                   g_steal_pointer (&job->bytes), job->emitted);
}

static void
wh_tile_source_get_tile_data_async (ShumateDataSource  *data_source,
                                    int                 x,
                                    int                 y,
                                    int                 zoom_level,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  WhTileSource *self = WH_TILE_SOURCE (data_source);
  g_autoptr (GTask) task = NULL;
  GTask   *done;
  TileJob *job;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_tile_source_get_tile_data_async);

  job = g_new0 (TileJob, 1);
  *job = (TileJob){ .self = self,
                    .x = x,
                    .y = y,
                    .zoom = zoom_level,
                    .cancellable = cancellable ? g_object_ref (cancellable) : NULL,
                    .context = g_main_context_ref_thread_default () };

  /* The job's own task has no source object, so a download thread never holds the last
   * reference to the source (whose session and thread pool must end on this thread);
   * the request's task keeps the source alive until the job is back. */
  done = g_task_new (NULL, NULL, on_job_done, g_steal_pointer (&task));
  g_task_set_task_data (done, job, (GDestroyNotify) tile_job_free);
  g_thread_pool_push (self->pool, done, NULL);
}

static GBytes *
wh_tile_source_get_tile_data_finish (ShumateDataSource *data_source,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, data_source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject */

static void
wh_tile_source_finalize (GObject *object)
{
  WhTileSource *self = WH_TILE_SOURCE (object);

  /* Every job holds the source through its request, so none is queued now; a thread may
   * still be finishing its last lines. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);
  g_mutex_clear (&self->lock);
  g_free ((char *) self->provider.id);
  g_free ((char *) self->provider.name);
  g_free ((char *) self->provider.url);
  g_free ((char *) self->provider.overlay);
  g_free ((char *) self->provider.subdomains);
  g_free ((char *) self->provider.license);
  g_free ((char *) self->provider.license_uri);
  g_free (self->key);
  g_free (self->problem);

  G_OBJECT_CLASS (wh_tile_source_parent_class)->finalize (object);
}

static void
wh_tile_source_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WhTileSource *self = WH_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_tile_source_class_init (WhTileSourceClass *klass)
{
  GObjectClass           *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *data_source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = wh_tile_source_finalize;
  object_class->get_property = wh_tile_source_get_property;
  data_source_class->get_tile_data_async = wh_tile_source_get_tile_data_async;
  data_source_class->get_tile_data_finish = wh_tile_source_get_tile_data_finish;

  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wh_tile_source_init (WhTileSource *self)
{
  g_mutex_init (&self->lock);
  self->max_age = WH_TILE_SOURCE_DEFAULT_MAX_AGE;
}

WhTileSource *
wh_tile_source_new (const WhTileProvider *provider,
                    const char           *key,
                    WhTileCache          *cache,
                    GError              **error)
{
  g_autoptr (WhTileSource) self = NULL;
  guint connections;

  g_return_val_if_fail (provider != NULL && provider->id != NULL && provider->url != NULL, NULL);
  g_return_val_if_fail (cache == NULL || WH_IS_TILE_CACHE (cache), NULL);

  if (!wh_tile_template_check (provider->url, provider->subdomains, key, error) ||
      (provider->overlay != NULL &&
       !wh_tile_template_check (provider->overlay, provider->subdomains, key, error)))
    return NULL;

  self = g_object_new (WH_TYPE_TILE_SOURCE, NULL);
  self->provider = *provider;
  self->provider.id = g_strdup (provider->id);
  self->provider.name = g_strdup (provider->name ? provider->name : provider->id);
  self->provider.url = g_strdup (provider->url);
  self->provider.overlay = g_strdup (provider->overlay);
  self->provider.subdomains = g_strdup (provider->subdomains);
  self->provider.license = g_strdup (provider->license);
  self->provider.license_uri = g_strdup (provider->license_uri);
  self->provider.max_zoom = MIN (MAX (provider->max_zoom, provider->min_zoom), 22);
  self->key = g_strdup (key);
  self->cache = cache ? g_object_ref (cache) : NULL;

  connections = CLAMP (provider->max_connections, 2, 8);
  self->session = soup_session_new_with_options (
    "user-agent", "Whistle/" PACKAGE_VERSION " (street command desk; libsoup)", "max-conns",
    connections, "max-conns-per-host", connections, "timeout", HTTP_TIMEOUT_S, NULL);
  /* One thread per connection: a GCJ-02 tile waits for up to four downloads in turn. */
  self->pool = g_thread_pool_new (run_in_pool, NULL, (int) connections, FALSE, NULL);

  return g_steal_pointer (&self);
}

const char *
wh_tile_source_get_id (WhTileSource *self)
{
  g_return_val_if_fail (WH_IS_TILE_SOURCE (self), NULL);
  return self->provider.id;
}

WhTileCrs
wh_tile_source_get_crs (WhTileSource *self)
{
  g_return_val_if_fail (WH_IS_TILE_SOURCE (self), WH_TILE_CRS_WGS84);
  return self->provider.crs;
}

void
wh_tile_source_set_max_age (WhTileSource *self, gint64 max_age)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_if_fail (WH_IS_TILE_SOURCE (self));
  locker = g_mutex_locker_new (&self->lock);
  self->max_age = MAX (max_age, 0);
}

gint64
wh_tile_source_get_max_age (WhTileSource *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (WH_IS_TILE_SOURCE (self), 0);
  locker = g_mutex_locker_new (&self->lock);
  return self->max_age;
}

const char *
wh_tile_source_get_problem (WhTileSource *self)
{
  g_return_val_if_fail (WH_IS_TILE_SOURCE (self), NULL);
  return self->problem;
}

guint
wh_tile_source_get_n_from_cache (WhTileSource *self)
{
  g_return_val_if_fail (WH_IS_TILE_SOURCE (self), 0);
  return (guint) g_atomic_int_get (&self->n_from_cache);
}

guint
wh_tile_source_get_n_downloaded (WhTileSource *self)
{
  g_return_val_if_fail (WH_IS_TILE_SOURCE (self), 0);
  return (guint) g_atomic_int_get (&self->n_downloaded);
}

ShumateRasterRenderer *
wh_tile_source_new_renderer (WhTileSource *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (WH_IS_TILE_SOURCE (self), NULL);

  id = g_strconcat ("whistle-online:", self->provider.id, NULL);
  return shumate_raster_renderer_new_full (
    id, _ (self->provider.name), self->provider.license, self->provider.license_uri,
    self->provider.min_zoom, self->provider.max_zoom, TILE_SIZE, SHUMATE_MAP_PROJECTION_MERCATOR,
    SHUMATE_DATA_SOURCE (self));
}
