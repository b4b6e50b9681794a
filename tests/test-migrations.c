/* test-migrations.c — the cache opens, upgrades, and refuses what it must */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wh-db.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  fixture->dir = g_dir_make_tmp ("whistle-migrations-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  fixture->path = g_build_filename (fixture->dir, "cache.db", NULL);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_remove (child);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static gint64
query_int (WhDb       *db,
           const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static char *
query_text (WhDb       *db,
            const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return wh_db_column_dup_text (stmt, 0);
}

static void
test_fresh (Fixture      *fixture,
            gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (fixture->path, &error);
  g_autofree char *mode = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (wh_db_latest_version (), >=, 3);
  g_assert_cmpint (wh_db_get_version (db), ==, wh_db_latest_version ());
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, wh_db_latest_version ());

  mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);

  /* Every table of the data model is there. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                                  "('street', 'community', 'grid_cell', 'grid_duty', 'category', "
                                  "'unit', 'staff', 'duty_shift', 'incident', 'incident_unit', "
                                  "'incident_event', 'check_entry', 'assessment_scheme', 'outbox', "
                                  "'sync_state', 'meta', 'priority', 'calendar_exception', "
                                  "'attachment', 'event_attachment')"), ==, 20);

  /* Opening again changes nothing. */
  g_clear_object (&db);
  db = wh_db_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wh_db_get_version (db), ==, wh_db_latest_version ());
}

/* Puts rows into the tables that exist at @version, so the upgrade must carry them over. */
static void
fill_version (WhDb *db,
              int   version)
{
  g_autoptr (GError) error = NULL;

  if (version >= 1)
    {
      wh_db_exec (db, "INSERT INTO street (id, name, district, center_lon, center_lat) "
                      "VALUES ('110102099', 'Jinghua', 'Xicheng', 116.35, 39.915);"
                      "INSERT INTO unit (id, street_id, name, short_name, kind) "
                      "VALUES ('u1', '110102099', 'Urban management', 'UM', 'stationed');"
                      "INSERT INTO priority (level, name, factor) VALUES (0, 'normal', 1.0);"
                      "INSERT INTO category (code, name, kind, response_minutes, handling_minutes) "
                      "VALUES ('01', 'City appearance', 'event', 30, 480);", &error);
      g_assert_no_error (error);
    }
  if (version >= 2)
    {
      wh_db_exec (db, "INSERT INTO incident (id, number, street_id, source, category_code, title, "
                      "status, reported_at, updated_at) VALUES ('i1', 'N-1', '110102099', 'patrol', "
                      "'01', 'Litter', 'reported', 1, 1);"
                      "INSERT INTO incident_event (id, incident_id, seq, action, to_status, at) "
                      "VALUES ('e1', 'i1', 1, 'report', 'reported', 1);", &error);
      g_assert_no_error (error);
    }
  if (version >= 3)
    {
      wh_db_exec (db, "INSERT INTO outbox (op_id, kind, payload, created_at) "
                      "VALUES ('o1', 'report', '{}', 1);", &error);
      g_assert_no_error (error);
    }
}

static void
test_upgrade_from_every_version (Fixture      *fixture,
                                 gconstpointer data)
{
  for (int from = 0; from < wh_db_latest_version (); from++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (WhDb) old = NULL;
      g_autoptr (WhDb) db = NULL;

      g_test_message ("upgrading from version %d", from);
      g_remove (fixture->path);
      old = wh_db_open_at_version (fixture->path, from, &error);
      g_assert_no_error (error);
      g_assert_cmpint (wh_db_get_version (old), ==, from);
      fill_version (old, from);
      g_clear_object (&old);

      db = wh_db_open (fixture->path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (wh_db_get_version (db), ==, wh_db_latest_version ());
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM street"), ==, from >= 1 ? 1 : 0);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident"), ==, from >= 2 ? 1 : 0);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM outbox"), ==, from >= 3 ? 1 : 0);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM sync_state"), ==, 1);
    }
}

static void
set_user_version (const char *path,
                  int         version)
{
  sqlite3 *handle;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);

  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

static void
test_newer_refused (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (fixture->path, &error);

  g_assert_no_error (error);
  g_clear_object (&db);
  set_user_version (fixture->path, wh_db_latest_version () + 1);

  db = wh_db_open (fixture->path, &error);
  g_assert_null (db);
  g_assert_error (error, WH_DB_ERROR, WH_DB_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer"));
}

static void
test_garbage_refused (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autofree char *moved = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  char bytes[8192];

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (fixture->path, bytes, sizeof bytes, NULL));

  db = wh_db_open (fixture->path, &error);
  g_assert_null (db);
  g_assert_error (error, WH_DB_ERROR, WH_DB_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  /* The file is kept, moved aside, and a fresh cache opens in its place. */
  g_assert_true (wh_db_move_aside (fixture->path, &moved, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (moved, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  db = wh_db_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
}

static void
test_damaged_refused (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (fixture->path, &error);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_no_error (error);
  wh_db_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", &error);
  g_assert_no_error (error);
  g_clear_object (&db);

  /* Keep the SQLite header (first 100 bytes) but wreck the schema on page 1. */
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4096);
  for (gsize i = 100; i < 4096; i++)
    contents[i] = (char) (i * 31);
  g_assert_true (g_file_set_contents (fixture->path, contents, length, NULL));

  db = wh_db_open (fixture->path, &error);
  g_assert_null (db);
  g_assert_true (g_error_matches (error, WH_DB_ERROR, WH_DB_ERROR_CORRUPT) ||
                 g_error_matches (error, WH_DB_ERROR, WH_DB_ERROR_NOT_A_DATABASE));
  g_assert_nonnull (strstr (error->message, fixture->path));
}

static void
test_foreign_database_refused (Fixture      *fixture,
                               gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  sqlite3 *handle;

  g_assert_cmpint (sqlite3_open (fixture->path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "CREATE TABLE recipes (name TEXT)", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (handle);

  db = wh_db_open (fixture->path, &error);
  g_assert_null (db);
  g_assert_error (error, WH_DB_ERROR, WH_DB_ERROR_NOT_A_DATABASE);
}

static void
test_failed_step_rolls_back (Fixture      *fixture,
                             gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open_at_version (fixture->path, 1, &error);

  g_assert_no_error (error);
  /* Something in the way of step 2: it must fail whole and leave version 1 intact. */
  wh_db_exec (db, "CREATE TABLE incident_event (x)", &error);
  g_assert_no_error (error);
  g_clear_object (&db);

  db = wh_db_open (fixture->path, &error);
  g_assert_null (db);
  g_assert_nonnull (error);
  g_clear_error (&error);

  db = wh_db_open_at_version (fixture->path, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wh_db_get_version (db), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'incident'"), ==, 0);
}

static void
test_nested_transactions (Fixture      *fixture,
                          gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (fixture->path, &error);

  g_assert_no_error (error);
  g_assert_true (wh_db_begin (db, &error));
  g_assert_true (wh_db_set_meta (db, "outer", "1", &error));
  g_assert_true (wh_db_begin (db, &error));
  g_assert_true (wh_db_set_meta (db, "inner", "1", &error));
  wh_db_rollback (db);
  g_assert_true (wh_db_in_transaction (db));
  g_assert_true (wh_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_false (wh_db_in_transaction (db));

  {
    g_autofree char *outer = wh_db_get_meta (db, "outer");
    g_autofree char *inner = wh_db_get_meta (db, "inner");

    g_assert_cmpstr (outer, ==, "1");
    g_assert_null (inner);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/migrations/fresh", test_fresh);
  ADD ("/migrations/upgrade-from-every-version", test_upgrade_from_every_version);
  ADD ("/migrations/newer-refused", test_newer_refused);
  ADD ("/migrations/garbage-refused", test_garbage_refused);
  ADD ("/migrations/damaged-refused", test_damaged_refused);
  ADD ("/migrations/foreign-database-refused", test_foreign_database_refused);
  ADD ("/migrations/failed-step-rolls-back", test_failed_step_rolls_back);
  ADD ("/migrations/nested-transactions", test_nested_transactions);
#undef ADD

  return g_test_run ();
}
