/* wh-incident-query-cache.c — what a connection remembers between queries
 *
 * Counts, a search's hits and the rows of a small query stay valid until the data changes:
 * a commit of this connection (not counting what is written here to its own temporary
 * tables) or of another one (PRAGMA data_version). The estimates that pick an index are
 * rows per value of a column, counted on its index when first asked and kept for some
 * minutes: they only steer, so they may be a little old.
 */
#include "config.h"

#include <string.h>

#include "wh-incident-query.h"

#define CACHE_KEY      "wh-incident-query-cache"
#define MAX_COUNTS     64
#define STATS_LIFETIME (10 * G_TIME_SPAN_MINUTE)

/* Rows with one value of a filtered column, counted on that column's index when first
 * asked. Only for choosing an index, so they may be a few minutes old. */
static const char *const stats_sql[WH_N_QUERY_STATS] = {
  "SELECT count(*) FROM incident WHERE status = ?",
  "SELECT count(*) FROM incident WHERE category_code = ?",
  "SELECT count(*) FROM incident WHERE grid_id = ?",
  "SELECT count(*) FROM incident WHERE source = ?",
  "SELECT count(*) FROM incident WHERE priority = ?",
  "SELECT count(*) FROM incident_unit WHERE unit_id = ?",
};

/* Whether anything changed since: commits of this connection (less what this module
 * wrote to its own temporary tables) and of other connections. */
typedef struct {
  gint64 changes;
  gint64 version;
} Stamp;

typedef struct {
  gint64 count;
  Stamp  stamp;
} CachedCount;

typedef struct {
  gint64 rows;
  gint64 at;
} CachedStat;

typedef struct {
  gint64      own_changes;       /* rows this module wrote to temporary tables */
  GHashTable *counts;            /* expanded SQL → CachedCount */
  char       *search;            /* the text whose hits are in temp.wh_search_hits */
  Stamp       search_stamp;
  gint64      n_hits;
  char       *rows_key;          /* the query whose rows are in temp.wh_query_rows */
  Stamp       rows_stamp;
  gint64      n_rows;
  GHashTable *stats[WH_N_QUERY_STATS];    /* value → CachedStat */
} Cache;

static void
cache_free (gpointer data)
{
  Cache *cache = data;

  g_hash_table_unref (cache->counts);
  g_free (cache->search);
  g_free (cache->rows_key);
  for (guint i = 0; i < WH_N_QUERY_STATS; i++)
    g_hash_table_unref (cache->stats[i]);
  g_free (cache);
}

/* One per connection: the temporary tables belong to the connection too. */
static Cache *
get_cache (WhDb *db)
{
  Cache *cache = g_object_get_data (G_OBJECT (db), CACHE_KEY);

  if (cache == NULL)
    {
      cache = g_new0 (Cache, 1);
      cache->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; i < WH_N_QUERY_STATS; i++)
        cache->stats[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (db), CACHE_KEY, cache, cache_free);
    }
  return cache;
}

gint64
wh_incident_query_cache_int (WhDb       *db,
                             const char *sql)
{
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, NULL);
  gint64 value = 0;
  int rc;

  if (stmt == NULL)
    return 0;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      value = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_DONE;
    }
  wh_db_finish (db, stmt, rc, NULL);
  return value;
}

static Stamp
data_stamp (WhDb *db)
{
  Stamp stamp = {
    .changes = sqlite3_total_changes64 (wh_db_get_handle (db)) - get_cache (db)->own_changes,
    .version = wh_incident_query_cache_int (db, "PRAGMA data_version"),
  };

  return stamp;
}

static gboolean
stamp_equal (const Stamp *a,
             const Stamp *b)
{
  return a->changes == b->changes && a->version == b->version;
}

/* Runs @sql (one statement) on this module's temporary tables, binding @text to ?1 when
 * given; the rows it writes do not count as a change of the data. */
static gboolean
write_own (WhDb       *db,
           const char *sql,
           const char *text,
           const char *text2,
           GError    **error)
{
  Cache *cache = get_cache (db);
  sqlite3 *handle = wh_db_get_handle (db);
  gint64 before = sqlite3_total_changes64 (handle);
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = wh_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  if (text2 != NULL)
    sqlite3_bind_text (stmt, 2, text2, -1, SQLITE_TRANSIENT);
  ok = wh_db_step_done (db, stmt, error);
  cache->own_changes += sqlite3_total_changes64 (handle) - before;
  return ok;
}

double
wh_incident_query_cache_stat (WhDb        *db,
                              WhQueryStat  kind,
                              const char  *value)
{
  Cache *cache = get_cache (db);
  gint64 now = g_get_monotonic_time ();
  CachedStat *cached;
  sqlite3_stmt *stmt;
  int rc;

  if (value == NULL)
    return 0;
  cached = g_hash_table_lookup (cache->stats[kind], value);
  if (cached != NULL && now - cached->at < STATS_LIFETIME)
    return cached->rows;

  stmt = wh_db_prepare (db, stats_sql[kind], NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  cached = g_new0 (CachedStat, 1);
  cached->at = now;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      cached->rows = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_DONE;
    }
  wh_db_finish (db, stmt, rc, NULL);
  g_hash_table_replace (cache->stats[kind], g_strdup (value), cached);
  return cached->rows;
}

/* ---- Counts and rows --------------------------------------------------------------- */

/* Steps a count(*) of @text with the query's parameters, remembered until data change. */
gboolean
wh_incident_query_cache_count (WhDb                     *db,
                               const WhIncidentQuerySql *sql,
                               const char               *text,
                               gint64                   *count,
                               GError                  **error)
{
  Cache *cache = get_cache (db);
  sqlite3_stmt *stmt;
  char *expanded;
  g_autofree char *key = NULL;
  CachedCount *cached;
  Stamp stamp = data_stamp (db);
  int rc;

  stmt = wh_db_prepare (db, text, error);
  if (stmt == NULL)
    return FALSE;
  wh_incident_query_sql_bind (sql, stmt);
  expanded = sqlite3_expanded_sql (stmt);
  key = g_strdup (expanded != NULL ? expanded : text);
  sqlite3_free (expanded);

  cached = g_hash_table_lookup (cache->counts, key);
  if (cached != NULL && stamp_equal (&cached->stamp, &stamp))
    {
      sqlite3_reset (stmt);
      *count = cached->count;
      return TRUE;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *count = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_DONE;
    }
  if (!wh_db_finish (db, stmt, rc, error))
    return FALSE;

  /* Inside a transaction the rows counted may yet be rolled back: remember nothing. */
  if (wh_db_in_transaction (db))
    return TRUE;
  if (g_hash_table_size (cache->counts) >= MAX_COUNTS)
    g_hash_table_remove_all (cache->counts);
  cached = g_new (CachedCount, 1);
  cached->count = *count;
  cached->stamp = stamp;
  g_hash_table_replace (cache->counts, g_steal_pointer (&key), cached);
  return TRUE;
}

/* Keeps the rows of the query in temp.wh_query_rows, for counting and sorting them. */
gboolean
wh_incident_query_cache_rows (WhDb               *db,
                              WhIncidentQuerySql *sql,
                              gint64             *count,
                              GError            **error)
{
  Cache *cache = get_cache (db);
  sqlite3 *handle = wh_db_get_handle (db);
  g_autofree char *text = g_strdup_printf ("INSERT INTO temp.wh_query_rows "
                                           "SELECT incident.rowid FROM incident WHERE %s",
                                           sql->where);
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  char *expanded;
  Stamp stamp;
  gint64 before;
  gboolean ok;

  if (!wh_db_exec (db, "CREATE TEMP TABLE IF NOT EXISTS wh_query_rows (rowid INTEGER PRIMARY KEY)",
                   error))
    return FALSE;
  stmt = wh_db_prepare (db, text, error);
  if (stmt == NULL)
    return FALSE;
  wh_incident_query_sql_bind (sql, stmt);
  expanded = sqlite3_expanded_sql (stmt);
  key = g_strdup (expanded != NULL ? expanded : text);
  sqlite3_free (expanded);
  sqlite3_reset (stmt);

  stamp = data_stamp (db);
  if (cache->rows_key != NULL && g_str_equal (cache->rows_key, key) &&
      stamp_equal (&cache->rows_stamp, &stamp))
    {
      *count = cache->n_rows;
      sql->rows = TRUE;
      return TRUE;
    }
  g_clear_pointer (&cache->rows_key, g_free);
  if (!write_own (db, "DELETE FROM temp.wh_query_rows", NULL, NULL, error))
    return FALSE;

  /* Prepared again: the DELETE may have reset it. */
  stmt = wh_db_prepare (db, text, error);
  if (stmt == NULL)
    return FALSE;
  wh_incident_query_sql_bind (sql, stmt);
  before = sqlite3_total_changes64 (handle);
  ok = wh_db_step_done (db, stmt, error);
  *count = sqlite3_total_changes64 (handle) - before;
  cache->own_changes += *count;
  if (!ok)
    return FALSE;

  sql->rows = TRUE;
  /* Inside a caller's transaction the table may yet be rolled back: remember nothing. */
  if (!wh_db_in_transaction (db))
    {
      cache->rows_key = g_steal_pointer (&key);
      cache->rows_stamp = data_stamp (db);
      cache->n_rows = *count;
    }
  return TRUE;
}

/* ---- Search ------------------------------------------------------------------------ */

/* The search text as one FTS5 phrase: whatever people type (quotes, AND, *) is text. */
static char *
fts_phrase (const char *text)
{
  GString *phrase = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *p);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (phrase, FALSE);
}

/* %text% with LIKE's own wildcards escaped. */
static char *
like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* The trigram index holds every run of three characters, and each indexed column ends in
 * two spaces (migration 7), so a shorter text occurs in a row exactly when one of the row's
 * trigrams begins with it (a text ending in a space also matches a column's end). Those
 * trigrams are read from the index's vocabulary and asked for together; NULL when the
 * index has none. */
static char *
short_match (WhDb       *db,
             const char *vocabulary,
             const char *text,
             GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT term FROM %s WHERE term >= ?1 AND term < ?2",
                                          vocabulary);
  g_autofree char *prefix = g_utf8_strdown (text, -1);
  g_autofree char *end = g_strconcat (prefix, "\xf4\x8f\xbf\xbf", NULL);
  g_autoptr (GString) match = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = wh_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, end, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *phrase = fts_phrase (wh_db_column_text (stmt, 0));

      if (match == NULL)
        match = g_string_new (phrase);
      else
        g_string_append_printf (match, " OR %s", phrase);
    }
  if (!wh_db_finish (db, stmt, rc, error))
    return NULL;
  return match != NULL ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

/* Runs the search into temp.wh_search_hits, one rowid per incident found, unless the
 * table already holds this text's hits and nothing changed since. */
gboolean
wh_incident_query_cache_search (WhDb        *db,
                                const char  *text,
                                gint64      *n_hits,
                                GError     **error)
{
  Cache *cache = get_cache (db);
  g_autofree char *match = NULL;
  g_autofree char *note_match = NULL;
  g_autofree char *like = NULL;
  g_autoptr (GError) local_error = NULL;
  Stamp stamp = data_stamp (db);
  glong n_chars = g_utf8_strlen (text, -1);
  const char *insert;
  gint64 before;

  if (cache->search != NULL && g_str_equal (cache->search, text) &&
      stamp_equal (&cache->search_stamp, &stamp))
    {
      *n_hits = cache->n_hits;
      return TRUE;
    }
  g_clear_pointer (&cache->search, g_free);

  if (!wh_db_exec (db, "CREATE TEMP TABLE IF NOT EXISTS wh_search_hits (rowid INTEGER PRIMARY KEY)",
                   error) ||
      !write_own (db, "DELETE FROM temp.wh_search_hits", NULL, NULL, error))
    return FALSE;

  if (strchr (text, '"') != NULL)
    {
      /* A quote is no word: scan for it as text. */
      like = like_pattern (text);
      insert = "INSERT OR IGNORE INTO temp.wh_search_hits"
               " SELECT rowid FROM incident WHERE number LIKE ?1 ESCAPE '\\' OR title LIKE ?1 ESCAPE '\\'"
               " OR description LIKE ?1 ESCAPE '\\' OR address LIKE ?1 ESCAPE '\\'"
               " UNION ALL SELECT incident_rowid FROM incident_note_search"
               " WHERE note LIKE ?1 ESCAPE '\\' AND incident_rowid IS NOT NULL";
    }
  else if (n_chars >= 3)
    {
      match = fts_phrase (text);
      note_match = g_strdup (match);
    }
  else
    {
      match = short_match (db, "incident_search_terms", text, &local_error);
      if (local_error == NULL)
        note_match = short_match (db, "incident_note_search_terms", text, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (like != NULL)
    ;
  else if (match != NULL && note_match != NULL)
    insert = "INSERT OR IGNORE INTO temp.wh_search_hits"
             " SELECT rowid FROM incident_search WHERE incident_search MATCH ?1"
             " UNION ALL SELECT incident_rowid FROM incident_note_search"
             " WHERE incident_note_search MATCH ?2 AND incident_rowid IS NOT NULL";
  else if (match != NULL)
    insert = "INSERT OR IGNORE INTO temp.wh_search_hits"
             " SELECT rowid FROM incident_search WHERE incident_search MATCH ?1";
  else if (note_match != NULL)
    insert = "INSERT OR IGNORE INTO temp.wh_search_hits"
             " SELECT incident_rowid FROM incident_note_search"
             " WHERE incident_note_search MATCH ?2 AND incident_rowid IS NOT NULL";
  else
    insert = NULL;

  *n_hits = 0;
  before = sqlite3_total_changes64 (wh_db_get_handle (db));
  if (insert != NULL &&
      !write_own (db, insert, like != NULL ? like : match, note_match, error))
    return FALSE;
  *n_hits = sqlite3_total_changes64 (wh_db_get_handle (db)) - before;

  /* Inside a caller's transaction the table may yet be rolled back: remember nothing. */
  if (!wh_db_in_transaction (db))
    {
      cache->search = g_strdup (text);
      cache->search_stamp = data_stamp (db);
      cache->n_hits = *n_hits;
    }
  return TRUE;
}

