/* test-mbtiles.c — the MBTiles data source: metadata, y-flip, missing tiles, bad files,
 * reads off the main thread, and tiles reaching libshumate's raster renderer
 *
 * Needs no display: ShumateTile, ShumateRasterRenderer and GdkTexture work without one.
 */
#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "wh-mbtiles-source.h"

typedef struct
{
  char *dir;
  char *path; /* a good MBTiles file */
} Fixture;

/* Tiles of the good file, in XYZ order (row 0 north), each a solid colour. */
static const struct
{
  int     zoom, x, y;
  guint32 rgb;
} tiles[] = {
  { 1, 0, 0, 0xff0000 }, /* north-west: red */
  { 1, 1, 0, 0x00ff00 }, /* north-east: green */
  { 1, 0, 1, 0x0000ff }, /* south-west: blue */
  { 2, 1, 2, 0xffff00 }, /* yellow; (1, 1) at zoom 1 is left out on purpose */
};

static GBytes *
make_png (guint32 rgb)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 256, 256);
  g_autoptr (GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, (rgb << 8) | 0xff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static void
exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Writes an MBTiles file as mbtiles-spec 1.3 lays it out: rows counted from the south. */
static void
write_mbtiles (const char *path,
               gboolean    with_metadata,
               gboolean    with_tiles_table,
               gboolean    with_tiles)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);

  if (with_metadata)
    {
      exec (db, "CREATE TABLE metadata (name TEXT, value TEXT)");
      exec (db, "INSERT INTO metadata VALUES"
                " ('name', '演示街道 Demo street'), ('format', 'png'),"
                " ('bounds', '116.30,39.88,116.40,39.95'), ('center', '116.35,39.915,2'),"
                " ('minzoom', '1'), ('maxzoom', '2'), ('attribution', 'Whistle demo')");
    }

  if (with_tiles_table)
    {
      exec (db, "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                " tile_row INTEGER, tile_data BLOB)");
      exec (db, "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)");
    }

  if (with_tiles)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (tiles); i++)
        {
          g_autoptr (GBytes) png = make_png (tiles[i].rgb);
          sqlite3_stmt *stmt = NULL;
          gsize         size;
          gconstpointer data = g_bytes_get_data (png, &size);

          g_assert_cmpint (
            sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?, ?, ?, ?)", -1, &stmt, NULL), ==,
            SQLITE_OK);
          sqlite3_bind_int (stmt, 1, tiles[i].zoom);
          sqlite3_bind_int (stmt, 2, tiles[i].x);
          sqlite3_bind_int (stmt, 3, (1 << tiles[i].zoom) - 1 - tiles[i].y);
          sqlite3_bind_blob (stmt, 4, data, (int) size, SQLITE_TRANSIENT);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
          sqlite3_finalize (stmt);
        }
    }

  sqlite3_close (db);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("whistle-mbtiles-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "street.mbtiles", NULL);
  write_mbtiles (fixture->path, TRUE, TRUE, TRUE);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* The colour in the middle of an encoded tile, as 0xRRGGBB. */
static guint32
centre_colour (GBytes *bytes)
{
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GError) error = NULL;
  const guint8 *p;

  pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  p = gdk_pixbuf_read_pixels (pixbuf) + 128 * gdk_pixbuf_get_rowstride (pixbuf) +
      128 * gdk_pixbuf_get_n_channels (pixbuf);
  return ((guint32) p[0] << 16) | ((guint32) p[1] << 8) | p[2];
}

typedef struct
{
  gboolean done;
  GBytes  *bytes;
  GError  *error;
  guint    n_received; /* received-data emissions */
  int      received_xyz[3];
  gboolean received_before_done;
  gboolean received_on_main_thread;
  GThread *main_thread;
} Fetch;

static void
fetch_clear (Fetch *fetch)
{
  g_clear_pointer (&fetch->bytes, g_bytes_unref);
  g_clear_error (&fetch->error);
}

static void
on_received_data (ShumateDataSource *source, int x, int y, int zoom, GBytes *bytes, Fetch *fetch)
{
  fetch->n_received++;
  fetch->received_xyz[0] = x;
  fetch->received_xyz[1] = y;
  fetch->received_xyz[2] = zoom;
  fetch->received_before_done = !fetch->done;
  fetch->received_on_main_thread = g_thread_self () == fetch->main_thread;
}

static void
on_fetched (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;

  fetch->bytes =
    shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &fetch->error);
  fetch->done = TRUE;
}

/* Fetches a tile, running the main loop until the answer comes. */
static void
fetch_tile (WhMbtilesSource *source, int x, int y, int zoom, Fetch *fetch)
{
  gulong handler;

  memset (fetch, 0, sizeof *fetch);
  fetch->main_thread = g_thread_self ();
  handler = g_signal_connect (source, "received-data", G_CALLBACK (on_received_data), fetch);
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), x, y, zoom, NULL,
                                           on_fetched, fetch);
  while (!fetch->done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (source, handler);
}

static void
test_metadata (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhMbtilesSource) source = wh_mbtiles_source_new (fixture->path, &error);
  WhGeoBounds bounds;
  double      lon, lat, zoom;

  g_assert_no_error (error);
  g_assert_cmpstr (wh_mbtiles_source_get_name (source), ==, "演示街道 Demo street");
  g_assert_cmpstr (wh_mbtiles_source_get_format (source), ==, "png");
  g_assert_cmpstr (wh_mbtiles_source_get_attribution (source), ==, "Whistle demo");
  g_assert_cmpstr (wh_mbtiles_source_get_path (source), ==, fixture->path);
  g_assert_cmpuint (wh_mbtiles_source_get_min_zoom (source), ==, 1);
  g_assert_cmpuint (wh_mbtiles_source_get_max_zoom (source), ==, 2);

  g_assert_true (wh_mbtiles_source_get_bounds (source, &bounds));
  g_assert_cmpfloat (bounds.min_lon, ==, 116.30);
  g_assert_cmpfloat (bounds.min_lat, ==, 39.88);
  g_assert_cmpfloat (bounds.max_lon, ==, 116.40);
  g_assert_cmpfloat (bounds.max_lat, ==, 39.95);

  g_assert_true (wh_mbtiles_source_get_center (source, &lon, &lat, &zoom));
  g_assert_cmpfloat (lon, ==, 116.35);
  g_assert_cmpfloat (lat, ==, 39.915);
  g_assert_cmpfloat (zoom, ==, 2);
}

/* A file whose metadata says only the name: zooms come from the tiles, bounds are the
 * world, the format is sniffed from the first tile. */
static void
test_metadata_fallbacks (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "sparse.mbtiles", NULL);
  g_autoptr (WhMbtilesSource) source = NULL;
  g_autoptr (GError) error = NULL;
  WhGeoBounds bounds;
  double      lon, lat, zoom;
  sqlite3    *db = NULL;

  write_mbtiles (path, TRUE, TRUE, TRUE);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec (db, "DELETE FROM metadata WHERE name <> 'bounds'");
  exec (db, "UPDATE metadata SET value = 'not,numbers' WHERE name = 'bounds'");
  sqlite3_close (db);

  source = wh_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wh_mbtiles_source_get_name (source), ==, "sparse.mbtiles");
  g_assert_cmpstr (wh_mbtiles_source_get_format (source), ==, "png");
  g_assert_null (wh_mbtiles_source_get_attribution (source));
  g_assert_cmpuint (wh_mbtiles_source_get_min_zoom (source), ==, 1);
  g_assert_cmpuint (wh_mbtiles_source_get_max_zoom (source), ==, 2);
  g_assert_false (wh_mbtiles_source_get_bounds (source, &bounds));
  g_assert_cmpfloat (bounds.min_lon, ==, -180.0);
  g_assert_cmpfloat (bounds.max_lon, ==, 180.0);
  g_assert_cmpfloat_with_epsilon (bounds.max_lat, 85.0511287798, 1e-9);
  g_assert_false (wh_mbtiles_source_get_center (source, &lon, &lat, &zoom));
  g_assert_cmpfloat (lon, ==, 0.0);
  g_assert_cmpfloat (zoom, ==, 1.0);
}

static void
test_y_flip (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhMbtilesSource) source = wh_mbtiles_source_new (fixture->path, &error);

  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      Fetch fetch;

      fetch_tile (source, tiles[i].x, tiles[i].y, tiles[i].zoom, &fetch);
      g_assert_no_error (fetch.error);
      g_assert_nonnull (fetch.bytes);
      g_assert_cmphex (centre_colour (fetch.bytes), ==, tiles[i].rgb);

      /* libshumate 1.0 learns of the data through this signal, on the main thread,
       * before the request completes. */
      g_assert_cmpuint (fetch.n_received, ==, 1);
      g_assert_cmpint (fetch.received_xyz[0], ==, tiles[i].x);
      g_assert_cmpint (fetch.received_xyz[1], ==, tiles[i].y);
      g_assert_cmpint (fetch.received_xyz[2], ==, tiles[i].zoom);
      g_assert_true (fetch.received_before_done);
      g_assert_true (fetch.received_on_main_thread);
      fetch_clear (&fetch);
    }
}

static void
test_missing_tile (Fixture *fixture, gconstpointer data)
{
  static const int missing[][3] = {
    { 1, 1, 1 }, /* inside the file's zooms, just not stored */
    { 0, 0, 0 }, /* below min zoom */
    { 0, 0, 7 }, /* above max zoom */
    { 2, 0, 1 }, /* past the world at zoom 1 */
    { 0, -1, 1 }, { 0, 0, 31 },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (WhMbtilesSource) source = wh_mbtiles_source_new (fixture->path, &error);

  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      Fetch fetch;

      fetch_tile (source, missing[i][0], missing[i][1], missing[i][2], &fetch);
      g_assert_null (fetch.bytes);
      g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_assert_cmpuint (fetch.n_received, ==, 0);
      fetch_clear (&fetch);
    }
}

static void
test_cancelled (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhMbtilesSource) source = wh_mbtiles_source_new (fixture->path, &error);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Fetch fetch = { 0 };

  g_assert_no_error (error);
  fetch.main_thread = g_thread_self ();
  g_cancellable_cancel (cancellable);
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), 0, 0, 1, cancellable,
                                           on_fetched, &fetch);
  while (!fetch.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fetch_clear (&fetch);
}

static void
check_refused (const char *path, GQuark domain, int code, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhMbtilesSource) source = wh_mbtiles_source_new (path, &error);
  g_autofree char *base = g_path_get_basename (path);

  g_assert_null (source);
  g_assert_error (error, domain, code);
  g_test_message ("%s → %s", base, error->message);
  /* The message names the file and says what is wrong with it. */
  g_assert_nonnull (strstr (error->message, base));
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_bad_files (Fixture *fixture, gconstpointer data)
{
  g_autofree char *random_path = g_build_filename (fixture->dir, "random.mbtiles", NULL);
  g_autofree char *no_tiles_path = g_build_filename (fixture->dir, "no-tiles.mbtiles", NULL);
  g_autofree char *no_metadata_path = g_build_filename (fixture->dir, "no-metadata.mbtiles", NULL);
  g_autofree char *empty_path = g_build_filename (fixture->dir, "empty.mbtiles", NULL);
  g_autofree char *zero_path = g_build_filename (fixture->dir, "zero.mbtiles", NULL);
  g_autofree char *columns_path = g_build_filename (fixture->dir, "columns.mbtiles", NULL);
  g_autofree char *absent_path = g_build_filename (fixture->dir, "absent.mbtiles", NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (GError) error = NULL;
  guint8   noise[8192];
  sqlite3 *db = NULL;

  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_rand_int (rand);
  g_file_set_contents (random_path, (const char *) noise, sizeof noise, &error);
  g_assert_no_error (error);
  check_refused (random_path, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "is not an MBTiles file");

  write_mbtiles (no_tiles_path, TRUE, FALSE, FALSE);
  check_refused (no_tiles_path, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no tiles table");

  write_mbtiles (no_metadata_path, FALSE, TRUE, TRUE);
  check_refused (no_metadata_path, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no metadata table");

  write_mbtiles (empty_path, TRUE, TRUE, FALSE);
  check_refused (empty_path, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "holds no map tiles");

  /* SQLite takes an empty file for an empty database. */
  g_file_set_contents (zero_path, "", 0, &error);
  g_assert_no_error (error);
  check_refused (zero_path, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no tiles table");

  g_assert_cmpint (sqlite3_open (columns_path, &db), ==, SQLITE_OK);
  exec (db, "CREATE TABLE metadata (name TEXT, value TEXT)");
  exec (db, "CREATE TABLE tiles (z INTEGER, x INTEGER, y INTEGER, image BLOB)");
  exec (db, "INSERT INTO tiles VALUES (0, 0, 0, x'00')");
  sqlite3_close (db);
  check_refused (columns_path, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "expected columns");

  check_refused (absent_path, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "does not exist");
}

typedef struct
{
  sqlite3 *writer;
  guint    ticks;
  guint    ticks_at_release;
  gboolean released;
  Fetch   *fetch;
} Blocker;

static gboolean
on_tick (gpointer user_data)
{
  Blocker *blocker = user_data;

  blocker->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_release (gpointer user_data)
{
  Blocker *blocker = user_data;

  /* Until now the tile cannot have been read: the file was locked. */
  g_assert_false (blocker->fetch->done);
  blocker->ticks_at_release = blocker->ticks;
  exec (blocker->writer, "ROLLBACK");
  blocker->released = TRUE;
  return G_SOURCE_REMOVE;
}

/* A writer holds the file locked for 300 ms while a tile is requested. If the read ran
 * on the main thread, the main loop would stall in SQLite's busy wait (and never get to
 * release the lock); on a worker thread the loop keeps ticking every 10 ms. */
static void
test_off_main_thread (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhMbtilesSource) source = wh_mbtiles_source_new (fixture->path, &error);
  Fetch   fetch = { 0 };
  Blocker blocker = { 0 };
  guint   tick_id;
  gint64  start;

  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (fixture->path, &blocker.writer), ==, SQLITE_OK);
  exec (blocker.writer, "BEGIN EXCLUSIVE");
  blocker.fetch = &fetch;

  tick_id = g_timeout_add (10, on_tick, &blocker);
  g_timeout_add (300, on_release, &blocker);

  fetch.main_thread = g_thread_self ();
  start = g_get_monotonic_time ();
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (source), 0, 1, 1, NULL, on_fetched,
                                           &fetch);
  /* The call itself must not block. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 50 * 1000);

  while (!fetch.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);

  g_test_message ("main loop ticked %u times while the file was locked", blocker.ticks_at_release);
  g_assert_true (blocker.released);
  g_assert_cmpuint (blocker.ticks_at_release, >=, 10);
  g_assert_no_error (fetch.error);
  g_assert_cmphex (centre_colour (fetch.bytes), ==, 0x0000ff);

  fetch_clear (&fetch);
  sqlite3_close (blocker.writer);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} Fill;

static void
on_filled (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Fill *fill = user_data;

  fill->ok =
    shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (object), result, &fill->error);
  fill->done = TRUE;
}

/* The colour in the middle of a texture, as 0xRRGGBB. */
static guint32
texture_centre_colour (GdkTexture *texture)
{
  int                width = gdk_texture_get_width (texture);
  int                height = gdk_texture_get_height (texture);
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);
  const guint8      *p;

  /* gdk_texture_download() gives cairo's ARGB32: B, G, R, A in memory on little-endian,
   * as a native-endian 32-bit 0xAARRGGBB either way. */
  gdk_texture_download (texture, pixels, width * 4);
  p = pixels + (height / 2) * width * 4 + (width / 2) * 4;
  return *(const guint32 *) p & 0xffffff;
}

/* The whole path libshumate 1.0.3 takes: ShumateRasterRenderer → our source → the
 * received-data signal → a texture on the tile. */
static void
test_renderer (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhMbtilesSource) source = wh_mbtiles_source_new (fixture->path, &error);
  g_autoptr (ShumateRasterRenderer) renderer = NULL;
  ShumateMapSource *map_source;

  g_assert_no_error (error);
  renderer = wh_mbtiles_source_new_renderer (source, &error);
  g_assert_no_error (error);
  map_source = SHUMATE_MAP_SOURCE (renderer);

  g_assert_cmpuint (shumate_map_source_get_min_zoom_level (map_source), ==, 1);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 2);
  g_assert_cmpuint (shumate_map_source_get_tile_size (map_source), ==, 256);
  g_assert_cmpint (shumate_map_source_get_projection (map_source), ==,
                   SHUMATE_MAP_PROJECTION_MERCATOR);
  g_assert_cmpstr (shumate_map_source_get_name (map_source), ==, "演示街道 Demo street");
  g_assert_cmpstr (shumate_map_source_get_license (map_source), ==, "Whistle demo");
  g_assert_true (g_str_has_prefix (shumate_map_source_get_id (map_source), "whistle-mbtiles:"));
  g_assert_true (g_str_has_suffix (shumate_map_source_get_id (map_source), fixture->path));

  for (gsize i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      g_autoptr (ShumateTile) tile =
        shumate_tile_new_full (tiles[i].x, tiles[i].y, 256, tiles[i].zoom);
      GdkPaintable *paintable;
      Fill          fill = { 0 };

      shumate_map_source_fill_tile_async (map_source, tile, NULL, on_filled, &fill);
      while (!fill.done)
        g_main_context_iteration (NULL, TRUE);

      g_assert_no_error (fill.error);
      g_assert_true (fill.ok);
      g_assert_cmpint (shumate_tile_get_state (tile), ==, SHUMATE_STATE_DONE);
      paintable = shumate_tile_get_paintable (tile);
      g_assert_true (GDK_IS_TEXTURE (paintable));
      g_assert_cmphex (texture_centre_colour (GDK_TEXTURE (paintable)), ==, tiles[i].rgb);
    }

  /* A missing tile fails the fill and leaves the tile without a picture. */
  {
    g_autoptr (ShumateTile) tile = shumate_tile_new_full (1, 1, 256, 1);
    Fill fill = { 0 };

    shumate_map_source_fill_tile_async (map_source, tile, NULL, on_filled, &fill);
    while (!fill.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (fill.ok);
    g_assert_error (fill.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_null (shumate_tile_get_paintable (tile));
    g_clear_error (&fill.error);
  }
}

static void
test_vector_refused (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "vector.mbtiles", NULL);
  g_autoptr (WhMbtilesSource) source = NULL;
  g_autoptr (ShumateRasterRenderer) renderer = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec (db, "CREATE TABLE metadata (name TEXT, value TEXT)");
  exec (db, "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
            " tile_row INTEGER, tile_data BLOB)");
  /* No format in the metadata: the gzip magic of the tile says "pbf". */
  exec (db, "INSERT INTO tiles VALUES (14, 13487, 10162, x'1f8b0800000000000003')");
  sqlite3_close (db);

  source = wh_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wh_mbtiles_source_get_format (source), ==, "pbf");
  g_assert_cmpuint (wh_mbtiles_source_get_min_zoom (source), ==, 14);
  renderer = wh_mbtiles_source_new_renderer (source, &error);
  g_assert_null (renderer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "vector.mbtiles"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/mbtiles/metadata", test_metadata);
  ADD ("/mbtiles/metadata-fallbacks", test_metadata_fallbacks);
  ADD ("/mbtiles/y-flip", test_y_flip);
  ADD ("/mbtiles/missing-tile", test_missing_tile);
  ADD ("/mbtiles/cancelled", test_cancelled);
  ADD ("/mbtiles/bad-files", test_bad_files);
  ADD ("/mbtiles/off-main-thread", test_off_main_thread);
  ADD ("/mbtiles/renderer", test_renderer);
  ADD ("/mbtiles/vector-refused", test_vector_refused);

#undef ADD

  return g_test_run ();
}
