/* wh-mbtiles-writer.c — writes a street's base map into an MBTiles file */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "wh-mbtiles-writer.h"
#include "wh-mercator.h"

typedef struct
{
  int     zoom, x, y;
  GBytes *png;
  GError *error;
} Job;

typedef struct
{
  WhTileRenderer *renderer;
  GAsyncQueue    *done;
  GCancellable   *cancellable;
  gint            failed; /* the writer gave up: draw nothing more */
} Shared;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->png, g_bytes_unref);
  g_clear_error (&job->error);
  g_free (job);
}

static void
render_job (gpointer data, gpointer user_data)
{
  Job    *job = data;
  Shared *shared = user_data;

  /* A cancelled run still answers every job, so the writer's count stays right. */
  if (g_atomic_int_get (&shared->failed))
    g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "");
  else if (!g_cancellable_set_error_if_cancelled (shared->cancellable, &job->error))
    job->png =
      wh_tile_renderer_render_png (shared->renderer, job->zoom, job->x, job->y, &job->error);
  g_async_queue_push (shared->done, job);
}

char *
wh_mbtiles_writer_path_for_cache (const char *cache_path)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  char            *dot;

  g_return_val_if_fail (cache_path != NULL, NULL);

  dir = g_path_get_dirname (cache_path);
  base = g_path_get_basename (cache_path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strconcat (dir, G_DIR_SEPARATOR_S, base, ".mbtiles", NULL);
}

static void
tile_range (WhTileRenderer *renderer, int zoom, int *x0, int *y0, int *x1, int *y1)
{
  WhGeoBounds b;

  wh_tile_renderer_get_bounds (renderer, &b);
  wh_mercator_lonlat_to_tile (b.min_lon, b.max_lat, zoom, x0, y0);
  wh_mercator_lonlat_to_tile (b.max_lon, b.min_lat, zoom, x1, y1);
}

guint
wh_mbtiles_writer_count_tiles (WhTileRenderer *renderer, guint min_zoom, guint max_zoom)
{
  guint n = 0;

  g_return_val_if_fail (WH_IS_TILE_RENDERER (renderer), 0);

  for (guint z = min_zoom; z <= max_zoom; z++)
    {
      int x0, y0, x1, y1;

      tile_range (renderer, z, &x0, &y0, &x1, &y1);
      n += (guint) ((x1 - x0 + 1) * (y1 - y0 + 1));
    }
  return n;
}

static gboolean
sql_failed (sqlite3 *db, const char *path, GError **error)
{
  g_autofree char *shown = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("“%s” could not be written: %s"), shown,
               db != NULL ? sqlite3_errmsg (db) : _ ("out of memory"));
  return FALSE;
}

static gboolean
exec (sqlite3 *db, const char *path, const char *sql, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_failed (db, path, error);
  return TRUE;
}

static gboolean
write_metadata (sqlite3        *db,
                const char     *path,
                WhTileRenderer *renderer,
                guint           min_zoom,
                guint           max_zoom,
                GError        **error)
{
  g_autofree char *name = NULL;
  g_autofree char *bounds = NULL;
  g_autofree char *center = NULL;
  char             buf[4][G_ASCII_DTOSTR_BUF_SIZE];
  sqlite3_stmt    *stmt = NULL;
  WhGeoBounds      b;
  double           lon, lat;
  int              zoom;

  wh_tile_renderer_get_bounds (renderer, &b);
  wh_tile_renderer_get_center (renderer, &lon, &lat, &zoom);
  zoom = CLAMP (zoom, (int) min_zoom, (int) max_zoom);
  /* Translators: the name of the generated base map; %s is the street, e.g. 京华街道 */
  name = g_strdup_printf (_ ("%s (demo base map)"), wh_tile_renderer_get_street_name (renderer));
  bounds =
    g_strdup_printf ("%s,%s,%s,%s", g_ascii_formatd (buf[0], sizeof buf[0], "%.6f", b.min_lon),
                     g_ascii_formatd (buf[1], sizeof buf[1], "%.6f", b.min_lat),
                     g_ascii_formatd (buf[2], sizeof buf[2], "%.6f", b.max_lon),
                     g_ascii_formatd (buf[3], sizeof buf[3], "%.6f", b.max_lat));
  center = g_strdup_printf ("%s,%s,%d", g_ascii_formatd (buf[0], sizeof buf[0], "%.6f", lon),
                            g_ascii_formatd (buf[1], sizeof buf[1], "%.6f", lat), zoom);

  {
    g_autofree char *minzoom = g_strdup_printf ("%u", min_zoom);
    g_autofree char *maxzoom = g_strdup_printf ("%u", max_zoom);
    const char      *rows[][2] = {
           { "name", name },
           { "format", "png" },
           { "type", "baselayer" },
           { "version", "1" },
           { "minzoom", minzoom },
           { "maxzoom", maxzoom },
           { "bounds", bounds },
           { "center", center },
           { "description", _ ("Streets, blocks and names of the demo street, drawn by Whistle") },
           { "attribution", _ ("Whistle demo street (generated)") },
    };

    if (sqlite3_prepare_v2 (db, "INSERT INTO metadata (name, value) VALUES (?, ?)", -1, &stmt,
                            NULL) != SQLITE_OK)
      return sql_failed (db, path, error);
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      {
        sqlite3_bind_text (stmt, 1, rows[i][0], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 2, rows[i][1], -1, SQLITE_TRANSIENT);
        if (sqlite3_step (stmt) != SQLITE_DONE)
          {
            sqlite3_finalize (stmt);
            return sql_failed (db, path, error);
          }
        sqlite3_reset (stmt);
      }
    sqlite3_finalize (stmt);
  }
  return TRUE;
}

/* The rename makes the file visible; its contents must be on disk before that. */
static gboolean
sync_file (const char *path, GError **error)
{
  int fd = g_open (path, O_RDONLY, 0);
  int saved;

  if (fd >= 0 && fsync (fd) == 0)
    return g_close (fd, error);
  saved = errno;
  if (fd >= 0)
    g_close (fd, NULL);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _ ("“%s” could not be written: %s"), path, g_strerror (saved));
  return FALSE;
}

gboolean
wh_mbtiles_writer_write (WhTileRenderer       *renderer,
                         const char           *path,
                         guint                 min_zoom,
                         guint                 max_zoom,
                         guint                 n_threads,
                         WhMbtilesProgressFunc progress,
                         gpointer              user_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  g_autofree char *tmp_path = NULL;
  Shared           shared = { renderer, NULL, cancellable, FALSE };
  GThreadPool     *pool = NULL;
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  guint            total, received = 0;
  gboolean         ok = FALSE;
  GError          *local_error = NULL;

  g_return_val_if_fail (WH_IS_TILE_RENDERER (renderer), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (min_zoom <= max_zoom && max_zoom <= 22, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tmp_path = g_strdup_printf ("%s.part-%d", path, (int) getpid ());
  g_unlink (tmp_path);

  /* Nothing else sees the file until it is renamed: no journal, no syncs until the end. */
  if (sqlite3_open (tmp_path, &db) != SQLITE_OK)
    {
      sql_failed (db, tmp_path, &local_error);
      goto out;
    }
  if (!exec (db, tmp_path,
             "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;"
             "CREATE TABLE metadata (name TEXT, value TEXT);"
             "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
             " tile_data BLOB);"
             "BEGIN",
             &local_error) ||
      !write_metadata (db, tmp_path, renderer, min_zoom, max_zoom, &local_error))
    goto out;
  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data)"
                          " VALUES (?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      sql_failed (db, tmp_path, &local_error);
      goto out;
    }

  total = wh_mbtiles_writer_count_tiles (renderer, min_zoom, max_zoom);
  shared.done = g_async_queue_new ();
  if (n_threads == 0)
    n_threads = MAX (g_get_num_processors (), 1);
  pool = g_thread_pool_new (render_job, &shared, (int) n_threads, TRUE, NULL);

  /* Highest zoom first: those are most of the work, and the label placement of the
   * busiest levels then runs while the small ones are still queued. */
  for (guint z = max_zoom + 1; z-- > min_zoom;)
    {
      int x0, y0, x1, y1;

      tile_range (renderer, z, &x0, &y0, &x1, &y1);
      for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
          {
            Job *job = g_new0 (Job, 1);

            job->zoom = (int) z;
            job->x = x;
            job->y = y;
            g_thread_pool_push (pool, job, NULL);
          }
    }

  /* One writer: this thread; the pool only draws. */
  for (received = 0; received < total; received++)
    {
      Job *job = g_async_queue_pop (shared.done);

      if (local_error == NULL && job->error != NULL)
        {
          local_error = g_steal_pointer (&job->error);
          g_atomic_int_set (&shared.failed, TRUE);
        }
      if (local_error == NULL)
        {
          sqlite3_bind_int (stmt, 1, job->zoom);
          sqlite3_bind_int (stmt, 2, job->x);
          /* MBTiles counts rows from the south (TMS); the renderer from the north. */
          sqlite3_bind_int (stmt, 3, (1 << job->zoom) - 1 - job->y);
          sqlite3_bind_blob (stmt, 4, g_bytes_get_data (job->png, NULL),
                             (int) g_bytes_get_size (job->png), SQLITE_STATIC);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            sql_failed (db, tmp_path, &local_error);
          sqlite3_reset (stmt);
          sqlite3_clear_bindings (stmt);
          if (local_error != NULL)
            g_atomic_int_set (&shared.failed, TRUE);
        }
      job_free (job);
      if (progress != NULL && local_error == NULL)
        progress (received + 1, total, user_data);
    }
  if (local_error != NULL)
    goto out;

  if (!exec (db, tmp_path,
             "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
             "COMMIT",
             &local_error))
    goto out;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (sqlite3_close (db) != SQLITE_OK)
    {
      sql_failed (db, tmp_path, &local_error);
      goto out;
    }
  db = NULL;

  if (!sync_file (tmp_path, &local_error))
    goto out;
  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;

      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("“%s” could not be written: %s"), path, g_strerror (saved));
      goto out;
    }
  ok = TRUE;

out:
  if (pool != NULL)
    g_thread_pool_free (pool, FALSE, TRUE);
  g_clear_pointer (&shared.done, g_async_queue_unref);
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_clear_pointer (&db, sqlite3_close);
  if (!ok)
    {
      g_unlink (tmp_path);
      g_propagate_error (error, local_error);
    }
  return ok;
}
