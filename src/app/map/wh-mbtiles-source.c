/* wh-mbtiles-source.c — map tiles from an MBTiles file, for offline base maps */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "wh-mbtiles-source.h"
#include "wh-tile-delivery.h"

/* Web Mercator's square world, what mbtiles-spec 1.3 says to assume without bounds. */
#define WORLD_MAX_LATITUDE 85.0511287798065923778

/* A writer (say the demo generator refreshing the file) may hold the database lock for
 * a moment; tile reads wait this long for it on their worker thread instead of failing. */
#define BUSY_TIMEOUT_MS 5000

struct _WhMbtilesSource
{
  ShumateDataSource parent_instance;

  char       *path;
  char       *name;
  char       *format;
  char       *attribution;
  guint       min_zoom;
  guint       max_zoom;
  WhGeoBounds bounds;
  gboolean    has_bounds;
  double      center[3];
  gboolean    has_center;

  /* One read-only connection and one prepared statement, shared by the worker threads
   * under @lock. A tile read is one indexed lookup of some kilobytes, far shorter than
   * decoding the PNG that follows on the main thread, so serialising reads costs
   * nothing noticeable and keeps to a single file handle. */
  GMutex        lock;
  sqlite3      *db;
  sqlite3_stmt *tile_stmt;
};

static void initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WhMbtilesSource,
                               wh_mbtiles_source,
                               SHUMATE_TYPE_DATA_SOURCE,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init))

enum {
  PROP_0,
  PROP_PATH,
  PROP_NAME,
  PROP_FORMAT,
  PROP_MIN_ZOOM,
  PROP_MAX_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  int x;
  int y;
  int zoom;
} TileRequest;

/* Opening */

/* The file's name as people should read it in messages. */
static char *
display_name (WhMbtilesSource *self)
{
  return g_filename_display_name (self->path);
}

static gboolean
fail_not_mbtiles (WhMbtilesSource *self, const char *format, GError **error)
{
  g_autofree char *shown = display_name (self);

  /* @format is one of the translated messages of this file, each with one %s. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, format, shown);
  return FALSE;
}

static gboolean
fail_sqlite (WhMbtilesSource *self, GError **error)
{
  g_autofree char *shown = display_name (self);
  int              code = self->db != NULL ? sqlite3_errcode (self->db) : SQLITE_CANTOPEN;

  /* Random bytes, an encrypted database, a text file: SQLite calls them all "not a
   * database", which to the person choosing a base map means "not MBTiles". */
  if (code == SQLITE_NOTADB)
    return fail_not_mbtiles (self, _("“%s” is not an MBTiles file: it is not an SQLite database"),
                             error);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("“%s” could not be read: %s"), shown,
               self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (code));
  return FALSE;
}

/* g_set_str() is GLib 2.76, above our floor. */
static void
replace_str (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
parse_double (const char *text, double *value)
{
  char *end = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  *value = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  return end != text && end != NULL && *end == '\0' && isfinite (*value);
}

/* "a,b,c…" into exactly @n numbers. */
static gboolean
parse_list (const char *text, double *values, guint n)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_strstrip (parts[i]);
      if (!parse_double (parts[i], &values[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_zoom (char *text, guint *zoom)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, 30, &value, NULL))
    return FALSE;
  *zoom = (guint) value;
  return TRUE;
}

/* What the first bytes of a tile say it is. */
static const char *
sniff_format (const guint8 *data, gsize size)
{
  const char *raster = wh_tile_sniff_raster (data, size);

  if (raster != NULL)
    return raster;
  /* Vector tiles are protobuf, usually gzip-compressed. */
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    return "pbf";
  return NULL;
}

static gboolean
check_tables (WhMbtilesSource *self, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      has_tiles = FALSE, has_metadata = FALSE;
  int           rc;

  /* Deduplicating writers (mbutil, tilelive) make "tiles" a view over map and images. */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT name FROM sqlite_master"
                          " WHERE type IN ('table', 'view') AND name IN ('tiles', 'metadata')",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail_sqlite (self, error);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      has_tiles |= g_strcmp0 (name, "tiles") == 0;
      has_metadata |= g_strcmp0 (name, "metadata") == 0;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return fail_sqlite (self, error);
  if (!has_tiles)
    return fail_not_mbtiles (self, _("“%s” is not an MBTiles file: it has no tiles table"), error);
  if (!has_metadata)
    return fail_not_mbtiles (self, _("“%s” is not an MBTiles file: it has no metadata table"),
                             error);

  return TRUE;
}

static gboolean
read_metadata (WhMbtilesSource *self,
               gboolean        *has_min_zoom,
               gboolean        *has_max_zoom,
               GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  *has_min_zoom = *has_max_zoom = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT name, value FROM metadata", -1, &stmt, NULL) !=
      SQLITE_OK)
    return fail_not_mbtiles (
      self, _("“%s” is not an MBTiles file: its metadata table lacks the name and value columns"),
      error);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char      *key = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *value = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      double           numbers[4];

      if (key == NULL || value == NULL)
        continue;

      /* Malformed optional entries are ignored rather than refusing a file whose tiles
       * are fine: the fallbacks below are what the spec says to assume. */
      if (g_str_equal (key, "name") && *g_strstrip (value) != '\0')
        replace_str (&self->name, value);
      else if (g_str_equal (key, "format") && *g_strstrip (value) != '\0')
        {
          g_autofree char *lower = g_ascii_strdown (value, -1);

          /* "jpeg" is common in the wild although the spec says "jpg". */
          replace_str (&self->format, g_str_equal (lower, "jpeg") ? "jpg" : lower);
        }
      else if (g_str_equal (key, "attribution") && *g_strstrip (value) != '\0')
        replace_str (&self->attribution, value);
      else if (g_str_equal (key, "minzoom"))
        *has_min_zoom = parse_zoom (value, &self->min_zoom);
      else if (g_str_equal (key, "maxzoom"))
        *has_max_zoom = parse_zoom (value, &self->max_zoom);
      else if (g_str_equal (key, "bounds") && parse_list (value, numbers, 4) &&
               numbers[0] >= -180.0 && numbers[2] <= 180.0 && numbers[0] < numbers[2] &&
               numbers[1] >= -90.0 && numbers[3] <= 90.0 && numbers[1] < numbers[3])
        {
          self->bounds = (WhGeoBounds){ numbers[0], numbers[1], numbers[2], numbers[3] };
          self->has_bounds = TRUE;
        }
      else if (g_str_equal (key, "center") && parse_list (value, numbers, 3) &&
               fabs (numbers[0]) <= 180.0 && fabs (numbers[1]) <= 90.0 && numbers[2] >= 0.0 &&
               numbers[2] <= 30.0)
        {
          memcpy (self->center, numbers, sizeof self->center);
          self->has_center = TRUE;
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return fail_sqlite (self, error);
  return TRUE;
}

/* Refuses a file without tiles, and learns the format from the first when the metadata
 * did not say. LIMIT 1 is cheap even when "tiles" is a view. */
static gboolean
check_first_tile (WhMbtilesSource *self, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT tile_data FROM tiles LIMIT 1", -1, &stmt, NULL) !=
      SQLITE_OK)
    return fail_not_mbtiles (
      self, _("“%s” is not an MBTiles file: its tiles table lacks the expected columns"), error);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && self->format == NULL)
    {
      const char *sniffed =
        sniff_format (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));

      self->format = g_strdup (sniffed != NULL ? sniffed : "png");
    }
  sqlite3_finalize (stmt);

  if (rc == SQLITE_DONE)
    return fail_not_mbtiles (self, _("“%s” holds no map tiles"), error);
  if (rc != SQLITE_ROW)
    return fail_sqlite (self, error);
  return TRUE;
}

/* The zoom levels present, for files whose metadata leaves them out (spec 1.3 made them
 * optional). Uses the usual (zoom_level, tile_column, tile_row) index when there is one. */
static gboolean
read_zoom_range (WhMbtilesSource *self, gboolean need_min, gboolean need_max, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles", -1, &stmt,
                          NULL) != SQLITE_OK)
    return fail_not_mbtiles (
      self, _("“%s” is not an MBTiles file: its tiles table lacks the expected columns"), error);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (need_min)
        self->min_zoom = (guint) CLAMP (sqlite3_column_int (stmt, 0), 0, 30);
      if (need_max)
        self->max_zoom = (guint) CLAMP (sqlite3_column_int (stmt, 1), 0, 30);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    return fail_sqlite (self, error);
  return TRUE;
}

static gboolean
wh_mbtiles_source_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  WhMbtilesSource *self = WH_MBTILES_SOURCE (initable);
  gboolean         has_min_zoom, has_max_zoom;
  int              rc;

  g_return_val_if_fail (self->path != NULL, FALSE);

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *shown = display_name (self);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("“%s” does not exist"), shown);
      return FALSE;
    }

  /* FULLMUTEX makes the connection safe to use from any thread on its own; the
   * statement still needs our lock, since binding and stepping are separate calls. */
  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    return fail_sqlite (self, error);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!check_tables (self, error) || !read_metadata (self, &has_min_zoom, &has_max_zoom, error) ||
      !check_first_tile (self, error))
    return FALSE;

  if ((!has_min_zoom || !has_max_zoom) &&
      !read_zoom_range (self, !has_min_zoom, !has_max_zoom, error))
    return FALSE;

  if (self->min_zoom > self->max_zoom)
    {
      guint swap = self->min_zoom;

      self->min_zoom = self->max_zoom;
      self->max_zoom = swap;
    }

  if (self->name == NULL)
    self->name = g_path_get_basename (self->path);

  if (!self->has_bounds)
    self->bounds = (WhGeoBounds){ -180.0, -WORLD_MAX_LATITUDE, 180.0, WORLD_MAX_LATITUDE };

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT tile_data FROM tiles"
                          " WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                          -1, &self->tile_stmt, NULL) != SQLITE_OK)
    return fail_not_mbtiles (
      self, _("“%s” is not an MBTiles file: its tiles table lacks the expected columns"), error);

  return TRUE;
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = wh_mbtiles_source_initable_init;
}

/* Reading tiles */

/* Runs on a worker thread. */
static GBytes *
read_tile (WhMbtilesSource *self, int x, int y, int zoom, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  GBytes *bytes = NULL;
  int     rc;

  /* libshumate asks in XYZ order; MBTiles rows count from the south (TMS). */
  if (zoom < 0 || zoom > 30 || x < 0 || y < 0 || x >= (1 << zoom) || y >= (1 << zoom))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no map tile at zoom level %d, column %d, row %d"), zoom, x, y);
      return NULL;
    }

  locker = g_mutex_locker_new (&self->lock);

  sqlite3_bind_int (self->tile_stmt, 1, zoom);
  sqlite3_bind_int (self->tile_stmt, 2, x);
  sqlite3_bind_int (self->tile_stmt, 3, (1 << zoom) - 1 - y);

  rc = sqlite3_step (self->tile_stmt);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (self->tile_stmt, 0) > 0)
    bytes = g_bytes_new (sqlite3_column_blob (self->tile_stmt, 0),
                         sqlite3_column_bytes (self->tile_stmt, 0));
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    /* An empty blob is as good as no tile: there is nothing to decode. */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("There is no map tile at zoom level %d, column %d, row %d"), zoom, x, y);
  else
    {
      g_autofree char *shown = display_name (self);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("“%s” could not be read: %s"), shown,
                   sqlite3_errmsg (self->db));
    }

  sqlite3_reset (self->tile_stmt);
  sqlite3_clear_bindings (self->tile_stmt);

  return bytes;
}

static void
read_tile_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  WhMbtilesSource *self = source_object;
  TileRequest     *request = task_data;
  GError          *error = NULL;
  GBytes          *bytes;

  /* The map drops requests for tiles scrolled away before they ran. */
  if (g_task_return_error_if_cancelled (task))
    return;

  bytes = read_tile (self, request->x, request->y, request->zoom, &error);
  if (bytes != NULL)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

/* Back on the requesting (main) thread. */
static void
on_tile_read (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GBytes) bytes = NULL;
  GError      *error = NULL;
  TileRequest *request;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  request = g_task_get_task_data (task);
  wh_tile_deliver (task, SHUMATE_DATA_SOURCE (object), request->x, request->y, request->zoom,
                   g_steal_pointer (&bytes), FALSE);
}

static void
wh_mbtiles_source_get_tile_data_async (ShumateDataSource  *data_source,
                                       int                 x,
                                       int                 y,
                                       int                 zoom_level,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  WhMbtilesSource *self = WH_MBTILES_SOURCE (data_source);
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) read = NULL;
  TileRequest *request;

  g_return_if_fail (WH_IS_MBTILES_SOURCE (self));
  g_return_if_fail (self->tile_stmt != NULL);

  request = g_new (TileRequest, 1);
  *request = (TileRequest){ x, y, zoom_level };

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_mbtiles_source_get_tile_data_async);
  g_task_set_task_data (task, request, g_free);

  /* Two tasks: the inner one reads on a worker thread and completes back here, on the
   * caller's main context, where the signal may be emitted and the outer one returned. */
  read = g_task_new (self, cancellable, on_tile_read, g_steal_pointer (&task));
  g_task_set_source_tag (read, wh_mbtiles_source_get_tile_data_async);
  g_task_set_task_data (read, g_memdup2 (request, sizeof *request), g_free);
  g_task_run_in_thread (read, read_tile_in_thread);
}

static GBytes *
wh_mbtiles_source_get_tile_data_finish (ShumateDataSource *data_source,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, data_source), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == wh_mbtiles_source_get_tile_data_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject */

static void
wh_mbtiles_source_finalize (GObject *object)
{
  WhMbtilesSource *self = WH_MBTILES_SOURCE (object);

  /* Every pending read holds a reference through its task, so none can run now. */
  g_clear_pointer (&self->tile_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self->name);
  g_free (self->format);
  g_free (self->attribution);

  G_OBJECT_CLASS (wh_mbtiles_source_parent_class)->finalize (object);
}

static void
wh_mbtiles_source_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WhMbtilesSource *self = WH_MBTILES_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_FORMAT:
      g_value_set_string (value, self->format);
      break;
    case PROP_MIN_ZOOM:
      g_value_set_uint (value, self->min_zoom);
      break;
    case PROP_MAX_ZOOM:
      g_value_set_uint (value, self->max_zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_mbtiles_source_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WhMbtilesSource *self = WH_MBTILES_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_mbtiles_source_class_init (WhMbtilesSourceClass *klass)
{
  GObjectClass           *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *data_source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = wh_mbtiles_source_finalize;
  object_class->get_property = wh_mbtiles_source_get_property;
  object_class->set_property = wh_mbtiles_source_set_property;

  data_source_class->get_tile_data_async = wh_mbtiles_source_get_tile_data_async;
  data_source_class->get_tile_data_finish = wh_mbtiles_source_get_tile_data_finish;

  properties[PROP_PATH] = g_param_spec_string (
    "path", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMAT] =
    g_param_spec_string ("format", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_ZOOM] =
    g_param_spec_uint ("min-zoom", NULL, NULL, 0, 30, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_ZOOM] =
    g_param_spec_uint ("max-zoom", NULL, NULL, 0, 30, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wh_mbtiles_source_init (WhMbtilesSource *self)
{
  g_mutex_init (&self->lock);
}

/* Public API */

WhMbtilesSource *
wh_mbtiles_source_new (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (WH_TYPE_MBTILES_SOURCE, NULL, error, "path", path, NULL);
}

const char *
wh_mbtiles_source_get_path (WhMbtilesSource *self)
{
  g_return_val_if_fail (WH_IS_MBTILES_SOURCE (self), NULL);

  return self->path;
}

const char *
wh_mbtiles_source_get_name (WhMbtilesSource *self)
{
  g_return_val_if_fail (WH_IS_MBTILES_SOURCE (self), NULL);

  return self->name;
}

const char *
wh_mbtiles_source_get_format (WhMbtilesSource *self)
{
  g_return_val_if_fail (WH_IS_MBTILES_SOURCE (self), NULL);

  return self->format;
}

const char *
wh_mbtiles_source_get_attribution (WhMbtilesSource *self)
{
  g_return_val_if_fail (WH_IS_MBTILES_SOURCE (self), NULL);

  return self->attribution;
}

guint
wh_mbtiles_source_get_min_zoom (WhMbtilesSource *self)
{
  g_return_val_if_fail (WH_IS_MBTILES_SOURCE (self), 0);

  return self->min_zoom;
}

guint
wh_mbtiles_source_get_max_zoom (WhMbtilesSource *self)
{
  g_return_val_if_fail (WH_IS_MBTILES_SOURCE (self), 0);

  return self->max_zoom;
}

gboolean
wh_mbtiles_source_get_bounds (WhMbtilesSource *self, WhGeoBounds *bounds)
{
  g_return_val_if_fail (WH_IS_MBTILES_SOURCE (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  *bounds = self->bounds;
  return self->has_bounds;
}

gboolean
wh_mbtiles_source_get_center (WhMbtilesSource *self, double *lon, double *lat, double *zoom)
{
  g_return_val_if_fail (WH_IS_MBTILES_SOURCE (self), FALSE);

  if (lon != NULL)
    *lon = self->has_center ? self->center[0] : (self->bounds.min_lon + self->bounds.max_lon) / 2.0;
  if (lat != NULL)
    *lat = self->has_center ? self->center[1] : (self->bounds.min_lat + self->bounds.max_lat) / 2.0;
  if (zoom != NULL)
    *zoom = self->has_center ? self->center[2] : self->min_zoom;
  return self->has_center;
}

ShumateRasterRenderer *
wh_mbtiles_source_new_renderer (WhMbtilesSource *self, GError **error)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (WH_IS_MBTILES_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_strcmp0 (self->format, "pbf") == 0)
    {
      g_autofree char *shown = display_name (self);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” holds vector tiles, which Whistle cannot draw; "
                     "choose a file of image tiles (PNG or JPEG)"),
                   shown);
      return NULL;
    }

  id = g_strconcat ("whistle-mbtiles:", self->path, NULL);

  return shumate_raster_renderer_new_full (id, self->name, self->attribution, NULL, self->min_zoom,
                                           self->max_zoom, 256, SHUMATE_MAP_PROJECTION_MERCATOR,
                                           SHUMATE_DATA_SOURCE (self));
}
