/* wh-tile-cache.c — online map tiles kept on disk, so the last-seen area works offline */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "wh-tile-cache.h"

/* Below this a cache holds too little of a street to be worth having. */
#define MIN_LIMIT (1000 * 1000)
/* Eviction goes this far under the limit, so that not every new tile evicts one. */
#define EVICT_TO(limit) ((limit) / 10 * 9)
/* Marking a tile as used is a write; a tile shown again within this time is not marked
 * again (the map asks for the same tiles over and over while panning). */
#define TOUCH_INTERVAL (60 * G_USEC_PER_SEC)
/* The download threads and Preferences may meet on the lock for a moment. */
#define BUSY_TIMEOUT_MS 5000

struct _WhTileCache
{
  GObject parent_instance;

  char   *path;
  guint64 size_limit;
  guint64 size; /* bytes of tile data, kept in step with the file */

  /* One connection for all threads, its statements used under @lock. */
  GMutex        lock;
  sqlite3      *db;
  sqlite3_stmt *lookup_stmt;
  sqlite3_stmt *touch_stmt;
  sqlite3_stmt *find_stmt;
  sqlite3_stmt *insert_stmt;
  sqlite3_stmt *insert_data_stmt;
  sqlite3_stmt *replace_stmt;
  sqlite3_stmt *replace_data_stmt;
  sqlite3_stmt *oldest_stmt;
  sqlite3_stmt *delete_stmt;
  sqlite3_stmt *delete_data_stmt;
};

G_DEFINE_FINAL_TYPE (WhTileCache, wh_tile_cache, G_TYPE_OBJECT)

/* The address of a tile and its bookkeeping live apart from its bytes, so that marking
 * a tile as used rewrites a few numbers and not a 20 kB image. */
static const char schema_sql[] =
  "PRAGMA auto_vacuum = INCREMENTAL;"
  "PRAGMA journal_mode = WAL;"
  "PRAGMA synchronous = NORMAL;"
  "CREATE TABLE IF NOT EXISTS tile ("
  "  id         INTEGER PRIMARY KEY,"
  "  source     TEXT    NOT NULL,"
  "  zoom       INTEGER NOT NULL,"
  "  x          INTEGER NOT NULL,"
  "  y          INTEGER NOT NULL,"
  "  size       INTEGER NOT NULL,"
  "  fetched_at INTEGER NOT NULL,"
  "  used_at    INTEGER NOT NULL,"
  "  UNIQUE (source, zoom, x, y));"
  "CREATE INDEX IF NOT EXISTS tile_used ON tile (used_at);"
  "CREATE TABLE IF NOT EXISTS tile_data (id INTEGER PRIMARY KEY, data BLOB NOT NULL);";

static const struct
{
  gsize       offset;
  const char *sql;
} statements[] = {
  { G_STRUCT_OFFSET (WhTileCache, lookup_stmt),
    "SELECT tile.id, fetched_at, used_at, data FROM tile JOIN tile_data USING (id)"
    " WHERE source = ?1 AND zoom = ?2 AND x = ?3 AND y = ?4" },
  { G_STRUCT_OFFSET (WhTileCache, touch_stmt), "UPDATE tile SET used_at = ?2 WHERE id = ?1" },
  { G_STRUCT_OFFSET (WhTileCache, find_stmt),
    "SELECT id, size FROM tile WHERE source = ?1 AND zoom = ?2 AND x = ?3 AND y = ?4" },
  { G_STRUCT_OFFSET (WhTileCache, insert_stmt),
    "INSERT INTO tile (source, zoom, x, y, size, fetched_at, used_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)" },
  { G_STRUCT_OFFSET (WhTileCache, insert_data_stmt),
    "INSERT INTO tile_data (id, data) VALUES (?1, ?2)" },
  { G_STRUCT_OFFSET (WhTileCache, replace_stmt),
    "UPDATE tile SET size = ?2, fetched_at = ?3, used_at = ?3 WHERE id = ?1" },
  { G_STRUCT_OFFSET (WhTileCache, replace_data_stmt),
    "UPDATE tile_data SET data = ?2 WHERE id = ?1" },
  { G_STRUCT_OFFSET (WhTileCache, oldest_stmt),
    "SELECT id, size FROM tile ORDER BY used_at, id LIMIT 64" },
  { G_STRUCT_OFFSET (WhTileCache, delete_stmt), "DELETE FROM tile WHERE id = ?1" },
  { G_STRUCT_OFFSET (WhTileCache, delete_data_stmt), "DELETE FROM tile_data WHERE id = ?1" },
};

#define STMT(self, i) (*(sqlite3_stmt **) G_STRUCT_MEMBER_P ((self), statements[i].offset))

static void
close_db (WhTileCache *self)
{
  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    g_clear_pointer (&STMT (self, i), sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
}

static gboolean
fail (WhTileCache *self, int rc, GError **error)
{
  g_autofree char *shown = g_filename_display_name (self->path);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _ ("The map tile cache “%s” cannot be used: %s"), shown,
               self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
  return FALSE;
}

static int
open_db (WhTileCache *self, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
      rc = sqlite3_exec (self->db, schema_sql, NULL, NULL, NULL);
    }
  for (gsize i = 0; rc == SQLITE_OK && i < G_N_ELEMENTS (statements); i++)
    rc = sqlite3_prepare_v2 (self->db, statements[i].sql, -1, &STMT (self, i), NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->db, "SELECT total(size) FROM tile", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      self->size = (guint64) sqlite3_column_double (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    fail (self, rc, error);
  return rc;
}

static gboolean
open_or_recreate (WhTileCache *self, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr (GError) first = NULL;
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int              saved = errno;
      g_autofree char *shown = g_filename_display_name (dir);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("The folder “%s” for saved map tiles cannot be made: %s"), shown,
                   g_strerror (saved));
      return FALSE;
    }

  rc = open_db (self, &first);
  if (rc == SQLITE_OK)
    return TRUE;
  close_db (self);
  if (rc != SQLITE_NOTADB && rc != SQLITE_CORRUPT)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }

  /* Only saved downloads are lost; they come again from the network. */
  g_warning ("%s; starting it afresh", first->message);
  for (const char *const *suffix = (const char *const[]){ "", "-wal", "-shm", NULL }; *suffix;
       suffix++)
    {
      g_autofree char *file = g_strconcat (self->path, *suffix, NULL);
      g_unlink (file);
    }
  if (open_db (self, error) != SQLITE_OK)
    {
      close_db (self);
      return FALSE;
    }
  return TRUE;
}

WhTileCache *
wh_tile_cache_new (const char *path, guint64 size_limit, GError **error)
{
  g_autoptr (WhTileCache) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (WH_TYPE_TILE_CACHE, NULL);
  self->path = g_strdup (path);
  self->size_limit = MAX (size_limit, MIN_LIMIT);
  if (!open_or_recreate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

WhTileCache *
wh_tile_cache_get_default (void)
{
  static WhTileCache *cache;
  static gsize        done;

  if (g_once_init_enter (&done))
    {
      g_autofree char *path =
        g_build_filename (g_get_user_cache_dir (), "whistle", "tiles.sqlite", NULL);
      g_autoptr (GError) error = NULL;

      cache = wh_tile_cache_new (path, WH_TILE_CACHE_DEFAULT_LIMIT, &error);
      if (cache == NULL)
        g_warning ("%s. Online maps are shown without saving tiles.", error->message);
      g_once_init_leave (&done, 1);
    }
  return cache;
}

const char *
wh_tile_cache_get_path (WhTileCache *self)
{
  g_return_val_if_fail (WH_IS_TILE_CACHE (self), NULL);
  return self->path;
}

/* Under @lock. */
static void
log_error (WhTileCache *self, const char *what)
{
  g_warning ("The map tile cache could not %s: %s", what, sqlite3_errmsg (self->db));
}

/* Deletes one tile; under @lock, inside a transaction. */
static gboolean
delete_tile (WhTileCache *self, gint64 id, gint64 size)
{
  sqlite3_bind_int64 (self->delete_stmt, 1, id);
  sqlite3_bind_int64 (self->delete_data_stmt, 1, id);
  if (sqlite3_step (self->delete_stmt) != SQLITE_DONE ||
      sqlite3_step (self->delete_data_stmt) != SQLITE_DONE)
    {
      sqlite3_reset (self->delete_stmt);
      sqlite3_reset (self->delete_data_stmt);
      return FALSE;
    }
  sqlite3_reset (self->delete_stmt);
  sqlite3_reset (self->delete_data_stmt);
  self->size -= MIN ((guint64) size, self->size);
  return TRUE;
}

/* Evicts the least recently used tiles until the cache is well under its limit; under
 * @lock. */
static void
evict (WhTileCache *self)
{
  guint64 target = EVICT_TO (self->size_limit);

  if (self->size <= self->size_limit)
    return;
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      log_error (self, "evict tiles");
      return;
    }
  while (self->size > target)
    {
      g_autoptr (GArray) batch = g_array_new (FALSE, FALSE, sizeof (gint64));
      int rc;

      while ((rc = sqlite3_step (self->oldest_stmt)) == SQLITE_ROW)
        {
          gint64 row[2] = { sqlite3_column_int64 (self->oldest_stmt, 0),
                            sqlite3_column_int64 (self->oldest_stmt, 1) };

          g_array_append_vals (batch, row, 2);
        }
      sqlite3_reset (self->oldest_stmt);
      if (rc != SQLITE_DONE || batch->len == 0)
        break;
      for (guint i = 0; i < batch->len && self->size > target; i += 2)
        if (!delete_tile (self, g_array_index (batch, gint64, i),
                          g_array_index (batch, gint64, i + 1)))
          {
            log_error (self, "evict tiles");
            sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
            return;
          }
    }
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      log_error (self, "evict tiles");
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

guint64
wh_tile_cache_get_size_limit (WhTileCache *self)
{
  g_return_val_if_fail (WH_IS_TILE_CACHE (self), 0);
  return self->size_limit;
}

void
wh_tile_cache_set_size_limit (WhTileCache *self, guint64 size_limit)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_if_fail (WH_IS_TILE_CACHE (self));

  locker = g_mutex_locker_new (&self->lock);
  self->size_limit = MAX (size_limit, MIN_LIMIT);
  evict (self);
}

guint64
wh_tile_cache_get_size (WhTileCache *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (WH_IS_TILE_CACHE (self), 0);

  locker = g_mutex_locker_new (&self->lock);
  return self->size;
}

guint
wh_tile_cache_count (WhTileCache *self)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt = NULL;
  guint         n = 0;

  g_return_val_if_fail (WH_IS_TILE_CACHE (self), 0);

  locker = g_mutex_locker_new (&self->lock);
  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM tile", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
bind_address (sqlite3_stmt *stmt, const char *source_id, int zoom, int x, int y)
{
  sqlite3_bind_text (stmt, 1, source_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, zoom);
  sqlite3_bind_int (stmt, 3, x);
  sqlite3_bind_int (stmt, 4, y);
}

GBytes *
wh_tile_cache_lookup (WhTileCache *self,
                      const char  *source_id,
                      int          zoom,
                      int          x,
                      int          y,
                      gint64       now,
                      gint64      *fetched_at)
{
  g_autoptr (GMutexLocker) locker = NULL;
  GBytes *bytes = NULL;
  gint64  id = 0, used_at = 0;
  int     rc;

  g_return_val_if_fail (WH_IS_TILE_CACHE (self), NULL);
  g_return_val_if_fail (source_id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  bind_address (self->lookup_stmt, source_id, zoom, x, y);
  rc = sqlite3_step (self->lookup_stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (self->lookup_stmt, 0);
      if (fetched_at != NULL)
        *fetched_at = sqlite3_column_int64 (self->lookup_stmt, 1);
      used_at = sqlite3_column_int64 (self->lookup_stmt, 2);
      bytes = g_bytes_new (sqlite3_column_blob (self->lookup_stmt, 3),
                           sqlite3_column_bytes (self->lookup_stmt, 3));
    }
  else if (rc != SQLITE_DONE)
    log_error (self, "read a tile");
  sqlite3_reset (self->lookup_stmt);

  if (bytes != NULL && now - used_at >= TOUCH_INTERVAL)
    {
      sqlite3_bind_int64 (self->touch_stmt, 1, id);
      sqlite3_bind_int64 (self->touch_stmt, 2, now);
      if (sqlite3_step (self->touch_stmt) != SQLITE_DONE)
        log_error (self, "mark a tile as used");
      sqlite3_reset (self->touch_stmt);
    }
  return bytes;
}

gboolean
wh_tile_cache_contains (WhTileCache *self, const char *source_id, int zoom, int x, int y)
{
  g_autoptr (GMutexLocker) locker = NULL;
  gboolean found;

  g_return_val_if_fail (WH_IS_TILE_CACHE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  bind_address (self->find_stmt, source_id, zoom, x, y);
  found = sqlite3_step (self->find_stmt) == SQLITE_ROW;
  sqlite3_reset (self->find_stmt);
  return found;
}

/* Writes the tile; under @lock, inside a transaction. */
static gboolean
write_tile (WhTileCache *self,
            const char  *source_id,
            int          zoom,
            int          x,
            int          y,
            GBytes      *data,
            gint64       now)
{
  gsize         size = g_bytes_get_size (data);
  gconstpointer bytes = g_bytes_get_data (data, NULL);
  sqlite3_stmt *meta, *blob;
  gint64        id, old_size = 0;
  int           rc;

  bind_address (self->find_stmt, source_id, zoom, x, y);
  rc = sqlite3_step (self->find_stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (self->find_stmt, 0);
      old_size = sqlite3_column_int64 (self->find_stmt, 1);
    }
  sqlite3_reset (self->find_stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;

  if (rc == SQLITE_ROW)
    {
      meta = self->replace_stmt;
      sqlite3_bind_int64 (meta, 1, id);
      sqlite3_bind_int64 (meta, 2, (gint64) size);
      sqlite3_bind_int64 (meta, 3, now);
      rc = sqlite3_step (meta);
      sqlite3_reset (meta);
      blob = self->replace_data_stmt;
    }
  else
    {
      meta = self->insert_stmt;
      bind_address (meta, source_id, zoom, x, y);
      sqlite3_bind_int64 (meta, 5, (gint64) size);
      sqlite3_bind_int64 (meta, 6, now);
      rc = sqlite3_step (meta);
      sqlite3_reset (meta);
      id = sqlite3_last_insert_rowid (self->db);
      blob = self->insert_data_stmt;
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  sqlite3_bind_int64 (blob, 1, id);
  sqlite3_bind_blob64 (blob, 2, bytes, size, SQLITE_STATIC);
  rc = sqlite3_step (blob);
  sqlite3_reset (blob);
  sqlite3_clear_bindings (blob);
  if (rc != SQLITE_DONE)
    return FALSE;

  self->size = self->size - MIN ((guint64) old_size, self->size) + size;
  return TRUE;
}

gboolean
wh_tile_cache_store (WhTileCache *self,
                     const char  *source_id,
                     int          zoom,
                     int          x,
                     int          y,
                     GBytes      *data,
                     gint64       now)
{
  g_autoptr (GMutexLocker) locker = NULL;
  guint64 size_before;

  g_return_val_if_fail (WH_IS_TILE_CACHE (self), FALSE);
  g_return_val_if_fail (source_id != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  size_before = self->size;
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      log_error (self, "save a tile");
      return FALSE;
    }
  if (!write_tile (self, source_id, zoom, x, y, data, now) ||
      sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      log_error (self, "save a tile");
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      self->size = size_before;
      return FALSE;
    }
  evict (self);
  return TRUE;
}

gboolean
wh_tile_cache_clear (WhTileCache *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  int rc;

  g_return_val_if_fail (WH_IS_TILE_CACHE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  rc = sqlite3_exec (self->db, "DELETE FROM tile; DELETE FROM tile_data;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return fail (self, rc, error);
  self->size = 0;
  /* Give the pages back: "clear" should free the disk, not just the rows. */
  rc = sqlite3_exec (self->db, "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return fail (self, rc, error);
  return TRUE;
}

static void
clear_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (wh_tile_cache_clear (source, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
wh_tile_cache_clear_async (WhTileCache        *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (WH_IS_TILE_CACHE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_tile_cache_clear_async);
  g_task_run_in_thread (task, clear_in_thread);
}

gboolean
wh_tile_cache_clear_finish (WhTileCache *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
wh_tile_cache_finalize (GObject *object)
{
  WhTileCache *self = WH_TILE_CACHE (object);

  close_db (self);
  g_mutex_clear (&self->lock);
  g_free (self->path);

  G_OBJECT_CLASS (wh_tile_cache_parent_class)->finalize (object);
}

static void
wh_tile_cache_class_init (WhTileCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_tile_cache_finalize;
}

static void
wh_tile_cache_init (WhTileCache *self)
{
  g_mutex_init (&self->lock);
}
