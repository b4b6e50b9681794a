/* wh-db.c — one SQLite database: open, check, migrate, transact */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "wh-db.h"
#include "wh-migrations-resources.h"

#define MIGRATIONS_PATH "/cn/gov/whistle/migrations"

/* 'WHIS': tells our files from other SQLite databases a user might point us at. */
#define WH_APPLICATION_ID 0x57484953

/* How long a writer waits for another connection (the sync thread, the server's workers). */
#define BUSY_TIMEOUT_MS 5000

struct _WhDb {
  GObject     parent_instance;
  sqlite3    *handle;
  char       *path;
  GHashTable *statements; /* SQL text → sqlite3_stmt */
  guint       depth;      /* nesting of wh_db_begin() */
  int         version;
};

G_DEFINE_FINAL_TYPE (WhDb, wh_db, G_TYPE_OBJECT)
G_DEFINE_QUARK (wh-db-error-quark, wh_db_error)

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
wh_db_finalize (GObject *object)
{
  WhDb *self = WH_DB (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    sqlite3_close_v2 (self->handle);
  g_free (self->path);

  G_OBJECT_CLASS (wh_db_parent_class)->finalize (object);
}

static void
wh_db_class_init (WhDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_db_finalize;
}

static void
wh_db_init (WhDb *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
}

static int
code_to_error (int code)
{
  switch (code & 0xff)
    {
    case SQLITE_NOTADB: return WH_DB_ERROR_NOT_A_DATABASE;
    case SQLITE_CORRUPT: return WH_DB_ERROR_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return WH_DB_ERROR_BUSY;
    case SQLITE_CONSTRAINT: return WH_DB_ERROR_CONSTRAINT;
    default: return WH_DB_ERROR_FAILED;
    }
}

static void
set_error_from_code (WhDb       *self,
                     int         code,
                     const char *detail,
                     GError    **error)
{
  int kind = code_to_error (code);

  switch (kind)
    {
    case WH_DB_ERROR_NOT_A_DATABASE:
      g_set_error (error, WH_DB_ERROR, kind,
                   _("“%s” is not a Whistle database."), self->path);
      break;
    case WH_DB_ERROR_CORRUPT:
      g_set_error (error, WH_DB_ERROR, kind,
                   _("The database “%s” is damaged (%s)."), self->path, detail);
      break;
    default:
      g_set_error (error, WH_DB_ERROR, kind, _("Database error: %s"), detail);
      break;
    }
}

void
wh_db_set_error (WhDb    *self,
                 GError **error)
{
  g_return_if_fail (WH_IS_DB (self));
  set_error_from_code (self, sqlite3_extended_errcode (self->handle),
                       sqlite3_errmsg (self->handle), error);
}

gboolean
wh_db_exec (WhDb        *self,
            const char  *sql,
            GError     **error)
{
  char *message = NULL;
  int rc;

  g_return_val_if_fail (WH_IS_DB (self), FALSE);

  rc = sqlite3_exec (self->handle, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      set_error_from_code (self, rc, message ? message : sqlite3_errstr (rc), error);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

gboolean
wh_db_step_done (WhDb         *self,
                 sqlite3_stmt *stmt,
                 GError      **error)
{
  return wh_db_finish (self, stmt, sqlite3_step (stmt), error);
}

gboolean
wh_db_finish (WhDb         *self,
              sqlite3_stmt *stmt,
              int           rc,
              GError      **error)
{
  gboolean ok = rc == SQLITE_DONE || rc == SQLITE_ROW;

  g_return_val_if_fail (WH_IS_DB (self), FALSE);

  /* The error has to be read before the reset, which may replace the message. */
  if (!ok)
    wh_db_set_error (self, error);
  sqlite3_reset (stmt);
  return ok;
}

sqlite3_stmt *
wh_db_prepare (WhDb        *self,
               const char  *sql,
               GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_DB (self), NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      wh_db_set_error (self, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

static gboolean
query_int (WhDb        *self,
           const char  *sql,
           int         *value,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      wh_db_set_error (self, error);
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      wh_db_set_error (self, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

gboolean
wh_db_begin (WhDb    *self,
             GError **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (WH_IS_DB (self), FALSE);

  /* IMMEDIATE takes the write lock now: a reader that later wants to write would
   * otherwise fail with SQLITE_BUSY half-way, after the busy timeout could help. */
  if (self->depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT wh_%u", self->depth);

  if (!wh_db_exec (self, sql, error))
    return FALSE;
  self->depth++;
  return TRUE;
}

gboolean
wh_db_commit (WhDb    *self,
              GError **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (WH_IS_DB (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE wh_%u", self->depth - 1);

  if (!wh_db_exec (self, sql, error))
    {
      wh_db_rollback (self);
      return FALSE;
    }
  self->depth--;
  return TRUE;
}

void
wh_db_rollback (WhDb *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (WH_IS_DB (self));
  g_return_if_fail (self->depth > 0);

  if (self->depth == 1)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO wh_%u; RELEASE wh_%u", self->depth - 1, self->depth - 1);

  /* A failed COMMIT may already have ended the transaction; that is fine. */
  sqlite3_exec (self->handle, sql, NULL, NULL, NULL);
  self->depth--;
}

gboolean
wh_db_in_transaction (WhDb *self)
{
  g_return_val_if_fail (WH_IS_DB (self), FALSE);
  return self->depth > 0;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* The migration steps, in order: step N brings the schema to version N. */
static GPtrArray *
list_migrations (void)
{
  g_auto (GStrv) names = NULL;
  GPtrArray *steps = g_ptr_array_new_with_free_func (g_free);

  /* Referring to the resource keeps the linker from dropping it out of the static
   * library: nothing else names it, it only registers itself. */
  (void) wh_migrations_get_resource ();
  names = g_resources_enumerate_children (MIGRATIONS_PATH, 0, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (steps, g_strdup (names[i]));
  g_ptr_array_sort (steps, compare_strings);

  /* The version of a step is its number, and a database records only that number: two
   * steps with one number, or a gap, would make some databases skip a step for good. */
  for (guint i = 0; i < steps->len; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%03u-", i + 1);

      if (!g_str_has_prefix (steps->pdata[i], prefix))
        g_error ("Migration “%s” is out of sequence: expected %s…", (char *) steps->pdata[i], prefix);
    }
  return steps;
}

int
wh_db_latest_version (void)
{
  g_autoptr (GPtrArray) steps = list_migrations ();

  return steps->len;
}

static gboolean
migrate (WhDb    *self,
         int      target,
         GError **error)
{
  g_autoptr (GPtrArray) steps = list_migrations ();

  for (int version = self->version + 1; version <= target; version++)
    {
      g_autofree char *resource = g_strconcat (MIGRATIONS_PATH "/",
                                               (char *) steps->pdata[version - 1], NULL);
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *set_version = NULL;

      bytes = g_resources_lookup_data (resource, 0, error);
      if (bytes == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      set_version = g_strdup_printf ("PRAGMA user_version = %d; PRAGMA application_id = %d;",
                                     version, WH_APPLICATION_ID);

      /* One step, one transaction: a crash between steps leaves a consistent version. */
      if (!wh_db_begin (self, error))
        return FALSE;
      if (!wh_db_exec (self, sql, error) || !wh_db_exec (self, set_version, error))
        {
          g_prefix_error (error, _("Could not upgrade the database to version %d: "), version);
          wh_db_rollback (self);
          return FALSE;
        }
      if (!wh_db_commit (self, error))
        return FALSE;
      self->version = version;
    }
  return TRUE;
}

/* Reads what SQLite needs to read to open the file, so that garbage and damage show here
 * with a clear error rather than later in the middle of someone's work. */
static gboolean
check_file (WhDb    *self,
            GError **error)
{
  int application_id = 0;
  int n_tables = 0;

  if (!query_int (self, "PRAGMA user_version", &self->version, error) ||
      !query_int (self, "PRAGMA application_id", &application_id, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_schema", &n_tables, error))
    return FALSE;

  if (application_id != 0 && application_id != WH_APPLICATION_ID)
    {
      g_set_error (error, WH_DB_ERROR, WH_DB_ERROR_NOT_A_DATABASE,
                   _("“%s” is an SQLite database of another program, not a Whistle database."),
                   self->path);
      return FALSE;
    }
  if (application_id == 0 && n_tables > 0)
    {
      g_set_error (error, WH_DB_ERROR, WH_DB_ERROR_NOT_A_DATABASE,
                   _("“%s” is an SQLite database of another program, not a Whistle database."),
                   self->path);
      return FALSE;
    }
  if (self->version > wh_db_latest_version ())
    {
      g_set_error (error, WH_DB_ERROR, WH_DB_ERROR_TOO_NEW,
                   _("The database “%s” was written by a newer version of Whistle "
                     "(schema %d; this version understands up to %d). Update Whistle to open it."),
                   self->path, self->version, wh_db_latest_version ());
      return FALSE;
    }
  /* No PRAGMA quick_check here: it reads the whole file, seconds for a big cache at every
   * start. Reading the schema catches a damaged first page; damage deeper in the file
   * surfaces as WH_DB_ERROR_CORRUPT from the statement that meets it. */
  if (!query_int (self, "SELECT count(*) FROM sqlite_schema WHERE sql IS NOT NULL AND length (sql) > 0",
                  &n_tables, error))
    return FALSE;
  return TRUE;
}

WhDb *
wh_db_open_at_version (const char  *path,
                       int          version,
                       GError     **error)
{
  g_autoptr (WhDb) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (WH_TYPE_DB, NULL);
  self->path = g_strdup (path);

  {
    g_autofree char *dir = g_path_get_dirname (path);
    if (g_mkdir_with_parents (dir, 0700) != 0)
      {
        int saved = errno;
        g_set_error (error, WH_DB_ERROR, WH_DB_ERROR_FAILED,
                     _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
        return NULL;
      }
  }

  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_code (self, rc,
                           self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc),
                           error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);

  if (!check_file (self, error))
    return NULL;

  /* WAL lets the pages read while sync writes; FULL makes every commit durable, since a
   * duty desk must never lose an incident it has shown as saved. */
  if (!wh_db_exec (self, "PRAGMA journal_mode = WAL;"
                         "PRAGMA synchronous = FULL;"
                         "PRAGMA foreign_keys = ON;"
                         "PRAGMA temp_store = MEMORY;", error))
    return NULL;

  if (!migrate (self, MIN (version, wh_db_latest_version ()), error))
    return NULL;

  return g_steal_pointer (&self);
}

WhDb *
wh_db_open (const char  *path,
            GError     **error)
{
  return wh_db_open_at_version (path, wh_db_latest_version (), error);
}

gboolean
wh_db_move_aside (const char  *path,
                  char       **new_path,
                  GError     **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.broken-%s", path, stamp);
  static const char *suffixes[] = { "-wal", "-shm" };

  if (g_rename (path, target) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not move “%s” aside: %s"), path, g_strerror (saved));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  if (new_path != NULL)
    *new_path = g_steal_pointer (&target);
  return TRUE;
}

const char *
wh_db_get_path (WhDb *self)
{
  g_return_val_if_fail (WH_IS_DB (self), NULL);
  return self->path;
}

int
wh_db_get_version (WhDb *self)
{
  g_return_val_if_fail (WH_IS_DB (self), 0);
  return self->version;
}

sqlite3 *
wh_db_get_handle (WhDb *self)
{
  g_return_val_if_fail (WH_IS_DB (self), NULL);
  return self->handle;
}

char *
wh_db_get_meta (WhDb       *self,
                const char *key)
{
  sqlite3_stmt *stmt = wh_db_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = wh_db_column_dup_text (stmt, 0);
  /* Reset at once: a statement left on a row holds a read snapshot, and this connection
   * would not see what other connections commit. */
  sqlite3_reset (stmt);
  return value;
}

gboolean
wh_db_set_meta (WhDb        *self,
                const char  *key,
                const char  *value,
                GError     **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self,
                                      "INSERT INTO meta (key, value) VALUES (?, ?) "
                                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      wh_db_set_error (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

const char *
wh_db_column_text (sqlite3_stmt *stmt,
                   int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? text : "";
}

char *
wh_db_column_dup_text (sqlite3_stmt *stmt,
                       int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

void
wh_db_bind_text_or_null (sqlite3_stmt *stmt,
                         int           index,
                         const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
wh_db_bind_time_or_null (sqlite3_stmt *stmt,
                         int           index,
                         gint64        usec)
{
  if (usec == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, usec);
}
