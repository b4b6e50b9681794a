/* wh-db.h — one SQLite database (the desk's cache or the server's store)
 *
 * Opens in WAL mode with a busy timeout, checks that the file is a healthy SQLite database
 * of a version we understand, and brings its schema up to date, one migration per
 * BEGIN IMMEDIATE transaction. All SQL of the project lives in src/core behind this.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define WH_DB_ERROR (wh_db_error_quark ())

typedef enum {
  WH_DB_ERROR_FAILED,
  WH_DB_ERROR_NOT_A_DATABASE, /* the file is not SQLite at all */
  WH_DB_ERROR_CORRUPT,        /* SQLite, but damaged */
  WH_DB_ERROR_TOO_NEW,        /* written by a newer Whistle */
  WH_DB_ERROR_BUSY,
  WH_DB_ERROR_CONSTRAINT,
} WhDbError;

#define WH_TYPE_DB (wh_db_get_type ())
G_DECLARE_FINAL_TYPE (WhDb, wh_db, WH, DB, GObject)

GQuark        wh_db_error_quark          (void);

/* The schema version this build writes. */
int           wh_db_latest_version       (void);

/**
 * wh_db_open:
 * @path: the database file; created when missing
 * @error: WH_DB_ERROR_NOT_A_DATABASE, _CORRUPT or _TOO_NEW, with a message for people
 *
 * Returns: (transfer full): the open, migrated database, or %NULL
 */
WhDb         *wh_db_open                 (const char   *path,
                                          GError      **error);

/* Like wh_db_open() but stops migrating at @version; for tests of upgrades. */
WhDb         *wh_db_open_at_version      (const char   *path,
                                          int           version,
                                          GError      **error);

/**
 * wh_db_move_aside:
 * @path: a database that could not be opened
 * @new_path: (out) (optional) (transfer full): where it went
 *
 * Renames the file (and its -wal and -shm companions) to PATH.broken-TIMESTAMP, so that a
 * fresh cache can be made and the old one kept for whoever wants to rescue it.
 */
gboolean      wh_db_move_aside           (const char   *path,
                                          char        **new_path,
                                          GError      **error);

const char   *wh_db_get_path             (WhDb         *self);
int           wh_db_get_version          (WhDb         *self);
sqlite3      *wh_db_get_handle           (WhDb         *self);

/* A prepared statement from the connection's cache, reset and with bindings cleared. */
sqlite3_stmt *wh_db_prepare              (WhDb         *self,
                                          const char   *sql,
                                          GError      **error);

gboolean      wh_db_exec                 (WhDb         *self,
                                          const char   *sql,
                                          GError      **error);

/* Write transactions nest: the outermost is BEGIN IMMEDIATE, inner ones are savepoints. */
gboolean      wh_db_begin                (WhDb         *self,
                                          GError      **error);
gboolean      wh_db_commit               (WhDb         *self,
                                          GError      **error);
void          wh_db_rollback             (WhDb         *self);
gboolean      wh_db_in_transaction       (WhDb         *self);

/* Steps a statement that returns no rows (INSERT, UPDATE, DELETE) and resets it. */
gboolean      wh_db_step_done            (WhDb         *self,
                                          sqlite3_stmt *stmt,
                                          GError      **error);

/* Ends a loop over a statement's rows: @rc is the last sqlite3_step() result. Resets the
 * statement, so that no read snapshot stays open, and sets @error unless the loop ended
 * normally. */
gboolean      wh_db_finish               (WhDb         *self,
                                          sqlite3_stmt *stmt,
                                          int           rc,
                                          GError      **error);

/* Sets @error from the connection's last error, translating SQLite's codes. */
void          wh_db_set_error            (WhDb         *self,
                                          GError      **error);

/* Key/value pairs of the meta table (for example the street this cache belongs to). */
char         *wh_db_get_meta             (WhDb         *self,
                                          const char   *key);
gboolean      wh_db_set_meta             (WhDb         *self,
                                          const char   *key,
                                          const char   *value,
                                          GError      **error);

/* Column helpers: NULL-safe text, and an integer that may be NULL (returned as 0). */
char         *wh_db_column_dup_text      (sqlite3_stmt *stmt,
                                          int           column);
const char   *wh_db_column_text          (sqlite3_stmt *stmt,
                                          int           column);
void          wh_db_bind_text_or_null    (sqlite3_stmt *stmt,
                                          int           index,
                                          const char   *text);
void          wh_db_bind_time_or_null    (sqlite3_stmt *stmt,
                                          int           index,
                                          gint64        usec);

G_END_DECLS
