/* wh-incident-query.c — a WhIncidentQuery as SQL */
#include "config.h"

#include <string.h>

#include "wh-incident-query.h"
#include "wh-store-sql.h"

/* ---- What a connection remembers between queries ------------------------------------- */

#define CACHE_KEY      "wh-incident-query-cache"
#define SORT_AT_MOST   20000 /* rows: sorting them takes some 30 ms */

static guint sort_at_most = SORT_AT_MOST;

void
wh_incident_query_set_sort_at_most (guint rows)
{
  sort_at_most = rows;
}
#define UNEVEN_MARGIN  8
#define MAX_COUNTS     64
#define STATS_LIFETIME (10 * G_TIME_SPAN_MINUTE)

typedef enum {
  STATS_STATUS,
  STATS_CATEGORY,
  STATS_GRID,
  STATS_SOURCE,
  STATS_PRIORITY,
  STATS_UNIT,
  N_STATS
} StatsKind;

/* Rows with one value of a filtered column, counted on that column's index when first
 * asked. Only for choosing an index, so they may be a few minutes old. */
static const char *const stats_sql[N_STATS] = {
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
  GHashTable *stats[N_STATS];    /* value → CachedStat */
} Cache;

static void
cache_free (gpointer data)
{
  Cache *cache = data;

  g_hash_table_unref (cache->counts);
  g_free (cache->search);
  g_free (cache->rows_key);
  for (guint i = 0; i < N_STATS; i++)
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
      for (guint i = 0; i < N_STATS; i++)
        cache->stats[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (db), CACHE_KEY, cache, cache_free);
    }
  return cache;
}

static gint64
query_int (WhDb       *db,
           const char *sql,
           GError    **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, error);
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
  wh_db_finish (db, stmt, rc, error);
  return value;
}

static Stamp
data_stamp (WhDb *db)
{
  Stamp stamp = {
    .changes = sqlite3_total_changes64 (wh_db_get_handle (db)) - get_cache (db)->own_changes,
    .version = query_int (db, "PRAGMA data_version", NULL),
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

static double
stat (WhDb       *db,
      StatsKind   kind,
      const char *value)
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

/* ---- Conditions ---------------------------------------------------------------------- */

typedef enum {
  COND_VIEW,
  COND_STATUS,
  COND_CATEGORY,
  COND_COMMUNITY,
  COND_GRID,
  COND_UNIT,
  COND_SOURCE,
  COND_PRIORITY,
  COND_REPORTED,
  COND_SEARCH,
} CondKind;

/* One condition, in a form an index answers and in one that reads it from the row. */
typedef struct {
  CondKind         kind;
  char            *indexed; /* NULL when no index answers it */
  char            *plain;
  WhIncidentColumn column;  /* the sort column whose index also answers @sorted */
  char            *sorted;  /* NULL: @indexed, when @column is the sort column */
} Cond;

static void
cond_clear (gpointer data)
{
  Cond *cond = data;

  g_free (cond->indexed);
  g_free (cond->plain);
  g_free (cond->sorted);
}

static Cond *
add_cond (WhIncidentQuerySql *sql,
          CondKind            kind,
          char               *indexed,
          char               *plain)
{
  Cond cond = { kind, indexed, plain, WH_N_INCIDENT_COLUMNS, NULL };

  g_array_append_val (sql->conds, cond);
  return &g_array_index (sql->conds, Cond, sql->conds->len - 1);
}

/* "(CASE status …) IN (2, 3)": statuses as the status order's index holds them, so that
 * one index both finds and orders them. */
static char *
status_order_in (const int *statuses)
{
  GString *in = g_string_new (WH_STORE_SQL_STATUS_ORDER " IN (");

  for (guint i = 0; statuses[i] >= 0; i++)
    g_string_append_printf (in, "%s%d", i > 0 ? ", " : "", statuses[i]);
  g_string_append_c (in, ')');
  return g_string_free (in, FALSE);
}

/* Statuses as the views group them (DOMAIN.md's loop). */
static const int awaiting_whistle[] = { WH_STATUS_REPORTED, WH_STATUS_REGISTERED, WH_STATUS_RETURNED, -1 };
static const int deadline_running[] = { WH_STATUS_WHISTLED, WH_STATUS_ACKNOWLEDGED, WH_STATUS_IN_PROGRESS,
                                        WH_STATUS_LEGAL_REVIEW, WH_STATUS_REWORK, -1 };
static const int handling[] = { WH_STATUS_ACKNOWLEDGED, WH_STATUS_IN_PROGRESS, WH_STATUS_LEGAL_REVIEW,
                                WH_STATUS_REWORK, -1 };
static const int resolved[] = { WH_STATUS_RESOLVED, -1 };
static const int closed[] = { WH_STATUS_CLOSED, WH_STATUS_RATED, -1 };

static const int *
open_statuses (void)
{
  static int statuses[WH_N_STATUSES + 1];
  static gsize done;

  if (g_once_init_enter (&done))
    {
      guint n = 0;

      for (int s = 0; s < WH_N_STATUSES; s++)
        if (wh_status_is_open ((WhStatus) s))
          statuses[n++] = s;
      statuses[n] = -1;
      g_once_init_leave (&done, 1);
    }
  return statuses;
}

/* The statuses a view is made of (NULL: all), and what else it asks of a row. */
static const int *
view_statuses (WhIncidentView view,
               const char   **extra)
{
  *extra = NULL;
  switch (view)
    {
    case WH_INCIDENT_VIEW_OPEN:
      return open_statuses ();
    case WH_INCIDENT_VIEW_AWAITING_WHISTLE:
      return awaiting_whistle;
    case WH_INCIDENT_VIEW_AWAITING_REPORT_IN:
      /* The lead unit reports in and moves the incident on; cooperating units report in
       * on their own while it is handled. Both are waited for while the deadline runs. */
      *extra = "EXISTS (SELECT 1 FROM incident_unit u WHERE u.incident_id = incident.id"
               " AND u.acknowledged_at IS NULL AND u.returned_at IS NULL)";
      return deadline_running;
    case WH_INCIDENT_VIEW_IN_PROGRESS:
      return handling;
    case WH_INCIDENT_VIEW_AWAITING_VERIFICATION:
      return resolved;
    case WH_INCIDENT_VIEW_OVERDUE:
      *extra = WH_STORE_SQL_DUE_NOW " < :now";
      return deadline_running;
    case WH_INCIDENT_VIEW_ESCALATED:
      *extra = "incident.escalated != 0";
      return open_statuses ();
    case WH_INCIDENT_VIEW_RETURNED:
      *extra = "incident.return_count > 0";
      return open_statuses ();
    case WH_INCIDENT_VIEW_CLOSED_TODAY:
      return closed;
    case WH_INCIDENT_VIEW_MINE:
      *extra = "EXISTS (SELECT 1 FROM incident_event e WHERE e.incident_id = incident.id"
               " AND e.actor_id = :actor)";
      return open_statuses ();
    case WH_INCIDENT_VIEW_ALL:
    case WH_N_INCIDENT_VIEWS:
    default:
      return NULL;
    }
}

static void
add_view (WhIncidentQuerySql    *sql,
          const WhIncidentQuery *query)
{
  const char *extra;
  const int *statuses = view_statuses (query->view, &extra);
  g_autofree char *list = NULL;

  if (statuses == NULL)
    return;
  if (query->view == WH_INCIDENT_VIEW_MINE && query->actor_id == NULL)
    sql->empty = TRUE;
  list = wh_store_sql_status_list (statuses);
  if (query->view == WH_INCIDENT_VIEW_CLOSED_TODAY)
    {
      /* Closings of one day are few even in years of history: index (status, closed_at). */
      add_cond (sql, COND_VIEW,
                g_strdup_printf ("incident.status IN %s AND incident.closed_at >= :day_from"
                                 " AND incident.closed_at < :day_to", list),
                g_strdup_printf ("+incident.status IN %s AND +incident.closed_at >= :day_from"
                                 " AND +incident.closed_at < :day_to", list));
      return;
    }
  {
    g_autofree char *in_order = status_order_in (statuses);
    Cond *cond =
      add_cond (sql, COND_VIEW,
                g_strdup_printf ("incident.status IN %s%s%s", list, extra ? " AND " : "", extra ? extra : ""),
                g_strdup_printf ("+incident.status IN %s%s%s", list, extra ? " AND " : "", extra ? extra : ""));

    cond->column = WH_INCIDENT_COLUMN_STATUS;
    cond->sorted = g_strdup_printf ("%s%s%s", in_order, extra ? " AND " : "", extra ? extra : "");
  }
}

/* A condition on one column: "incident.COLUMN TEST" and "+incident.COLUMN TEST"; the
 * index on the column also orders by @sort_column. */
static Cond *
add_column_cond (WhIncidentQuerySql *sql,
                 CondKind            kind,
                 const char         *column,
                 const char         *test,
                 WhIncidentColumn    sort_column)
{
  Cond *cond = add_cond (sql, kind, g_strdup_printf ("incident.%s %s", column, test),
                         g_strdup_printf ("+incident.%s %s", column, test));

  cond->column = sort_column;
  return cond;
}

static void
add_filters (WhIncidentQuerySql    *sql,
             const WhIncidentQuery *query)
{
  if (query->status >= 0 && query->status < WH_N_STATUSES)
    {
      int statuses[] = { query->status, -1 };
      Cond *cond = add_column_cond (sql, COND_STATUS, "status", "= :status", WH_INCIDENT_COLUMN_STATUS);

      cond->sorted = status_order_in (statuses);
    }
  if (query->category_code != NULL)
    add_column_cond (sql, COND_CATEGORY, "category_code",
                     "IN (SELECT code FROM category WHERE code = :category OR parent_code = :category)",
                     WH_INCIDENT_COLUMN_CATEGORY);
  if (query->community_id != NULL)
    add_column_cond (sql, COND_COMMUNITY, "grid_id",
                     "IN (SELECT id FROM grid_cell WHERE community_id = :community)",
                     WH_INCIDENT_COLUMN_GRID);
  if (query->grid_id != NULL)
    add_column_cond (sql, COND_GRID, "grid_id", "= :grid", WH_INCIDENT_COLUMN_GRID);
  if (query->unit_id != NULL)
    /* Summoned by the current whistle, as lead or cooperating unit. Read from the units,
     * or checked per incident on incident_unit's primary key. */
    add_cond (sql, COND_UNIT,
              g_strdup ("incident.id IN (SELECT incident_id FROM incident_unit WHERE unit_id = :unit)"),
              g_strdup ("EXISTS (SELECT 1 FROM incident_unit u WHERE u.incident_id = incident.id"
                        " AND u.unit_id = :unit)"));
  if (query->source != NULL)
    add_column_cond (sql, COND_SOURCE, "source", "= :source", WH_INCIDENT_COLUMN_SOURCE);
  if (query->priority >= 0)
    add_column_cond (sql, COND_PRIORITY, "priority", "= :priority", WH_INCIDENT_COLUMN_PRIORITY);
  if (query->reported_from != 0 || query->reported_to != 0)
    add_cond (sql, COND_REPORTED,
              g_strdup ("incident.reported_at >= :from AND incident.reported_at < :to"),
              g_strdup ("+incident.reported_at >= :from AND +incident.reported_at < :to"))
      ->column = WH_INCIDENT_COLUMN_REPORTED;
}

/* ---- Search -------------------------------------------------------------------------- */

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
static gboolean
run_search (WhIncidentQuerySql *sql,
            WhDb               *db,
            const char         *text,
            GError            **error)
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
      sql->n_hits = cache->n_hits;
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

  sql->n_hits = 0;
  before = sqlite3_total_changes64 (wh_db_get_handle (db));
  if (insert != NULL &&
      !write_own (db, insert, like != NULL ? like : match, note_match, error))
    return FALSE;
  sql->n_hits = sqlite3_total_changes64 (wh_db_get_handle (db)) - before;

  /* Inside a caller's transaction the table may yet be rolled back: remember nothing. */
  if (!wh_db_in_transaction (db))
    {
      cache->search = g_strdup (text);
      cache->search_stamp = data_stamp (db);
      cache->n_hits = sql->n_hits;
    }
  return TRUE;
}

/* ---- Choosing the index that drives -------------------------------------------------- */

static double
sum_statuses (WhDb      *db,
              const int *statuses)
{
  double n = 0;

  for (guint i = 0; statuses[i] >= 0; i++)
    n += stat (db, STATS_STATUS, wh_status_to_string ((WhStatus) statuses[i]));
  return n;
}

static double
sum_codes (WhDb       *db,
           StatsKind   kind,
           const char *sql,
           const char *key)
{
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, NULL);
  double n = 0;
  int rc;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n += stat (db, kind, wh_db_column_text (stmt, 0));
  wh_db_finish (db, stmt, rc, NULL);
  return n;
}

/* About how many rows a condition's index leads to. */
static double
estimate (const WhIncidentQuerySql *sql,
          WhDb                     *db,
          const Cond               *cond)
{
  const WhIncidentQuery *query = sql->query;
  const char *extra;
  char number[16];

  switch (cond->kind)
    {
    case COND_VIEW:
      if (query->view == WH_INCIDENT_VIEW_CLOSED_TODAY)
        return 1; /* one day of closings: always the fewest */
      return sum_statuses (db, view_statuses (query->view, &extra));
    case COND_STATUS:
      return stat (db, STATS_STATUS, wh_status_to_string (query->status));
    case COND_CATEGORY:
      return sum_codes (db, STATS_CATEGORY,
                        "SELECT code FROM category WHERE code = ?1 OR parent_code = ?1",
                        query->category_code);
    case COND_COMMUNITY:
      return sum_codes (db, STATS_GRID, "SELECT id FROM grid_cell WHERE community_id = ?1",
                        query->community_id);
    case COND_GRID:
      return stat (db, STATS_GRID, query->grid_id);
    case COND_UNIT:
      return stat (db, STATS_UNIT, query->unit_id);
    case COND_SOURCE:
      return stat (db, STATS_SOURCE, query->source);
    case COND_PRIORITY:
      g_snprintf (number, sizeof number, "%d", query->priority);
      return stat (db, STATS_PRIORITY, number);
    case COND_REPORTED:
      {
        double first = query_int (db, "SELECT min (reported_at) FROM incident", NULL);
        double last = query_int (db, "SELECT max (reported_at) FROM incident", NULL);
        double total = query_int (db, "SELECT max (rowid) FROM incident", NULL);
        double from = query->reported_from != 0 ? MAX (first, (double) query->reported_from) : first;
        double to = query->reported_to != 0 ? MIN (last, (double) query->reported_to) : last;

        if (last <= first)
          return total;
        return total * MAX (0, to - from) / (last - first);
      }
    case COND_SEARCH:
      return sql->n_hits;
    default:
      return G_MAXDOUBLE;
    }
}

/* The condition whose index leads to the fewest rows, and about how many. */
static int
choose_driver (const WhIncidentQuerySql *sql,
               WhDb                     *db,
               double                   *rows)
{
  double best = G_MAXDOUBLE;
  int driver = -1;

  for (guint i = 0; i < sql->conds->len; i++)
    {
      const Cond *cond = &g_array_index (sql->conds, Cond, i);
      double n;

      if (cond->indexed == NULL)
        continue;
      n = estimate (sql, db, cond);
      if (n < best)
        {
          best = n;
          driver = i;
        }
    }
  *rows = best;
  return driver;
}

/* The conditions, with @driver's in the form its index answers. */
static char *
where_with (const WhIncidentQuerySql *sql,
            int                       driver)
{
  GString *where = g_string_new ("1");

  for (guint i = 0; i < sql->conds->len; i++)
    {
      const Cond *cond = &g_array_index (sql->conds, Cond, i);

      g_string_append_printf (where, " AND %s",
                              (int) i == driver && cond->indexed ? cond->indexed : cond->plain);
    }
  return g_string_free (where, FALSE);
}

/* The conditions for reading the sort column's index in order: those on the sort column
 * itself in the form that index answers (it finds them and keeps the order), the others
 * read from the rows. */
static char *
where_sorted (const WhIncidentQuerySql *sql)
{
  GString *where = g_string_new ("1");

  for (guint i = 0; i < sql->conds->len; i++)
    {
      const Cond *cond = &g_array_index (sql->conds, Cond, i);
      const char *text = cond->plain;

      if (cond->column == sql->query->sort_column)
        text = cond->sorted ? cond->sorted : cond->indexed;
      g_string_append_printf (where, " AND %s", text);
    }
  return g_string_free (where, FALSE);
}

gboolean
wh_incident_query_sql_init (WhIncidentQuerySql    *sql,
                            WhDb                  *db,
                            const WhIncidentQuery *query,
                            GError               **error)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) midnight = NULL;
  g_autoptr (GDateTime) next = NULL;

  memset (sql, 0, sizeof *sql);
  sql->query = query;
  sql->now = query->now != 0 ? query->now : g_get_real_time ();
  sql->conds = g_array_new (FALSE, FALSE, sizeof (Cond));
  g_array_set_clear_func (sql->conds, cond_clear);
  sql->driver = -1;

  /* The street's day around now, for "closed today". */
  utc = g_date_time_new_from_unix_utc (sql->now / G_USEC_PER_SEC);
  if (utc != NULL)
    local = g_date_time_to_timezone (utc, wh_store_street_time_zone ());
  if (local != NULL)
    midnight = g_date_time_new (wh_store_street_time_zone (), g_date_time_get_year (local),
                                g_date_time_get_month (local), g_date_time_get_day_of_month (local),
                                0, 0, 0);
  if (midnight != NULL)
    next = g_date_time_add_days (midnight, 1);
  sql->day_from = midnight != NULL ? g_date_time_to_unix (midnight) * G_USEC_PER_SEC : sql->now;
  sql->day_to = next != NULL ? g_date_time_to_unix (next) * G_USEC_PER_SEC : sql->now;

  add_view (sql, query);
  add_filters (sql, query);
  if (query->search != NULL && *query->search != '\0')
    {
      if (!run_search (sql, db, query->search, error))
        {
          wh_incident_query_sql_clear (sql);
          return FALSE;
        }
      if (sql->n_hits == 0)
        sql->empty = TRUE;
      add_cond (sql, COND_SEARCH, g_strdup ("incident.rowid IN temp.wh_search_hits"),
                g_strdup ("+incident.rowid IN temp.wh_search_hits"));
    }

  sql->driver = sql->empty ? -1 : choose_driver (sql, db, &sql->driver_rows);
  sql->where = where_with (sql, sql->driver);
  return TRUE;
}

void
wh_incident_query_sql_clear (WhIncidentQuerySql *sql)
{
  g_clear_pointer (&sql->where, g_free);
  g_clear_pointer (&sql->conds, g_array_unref);
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int i = sqlite3_bind_parameter_index (stmt, name);

  if (i > 0)
    sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
}

static void
bind_int (sqlite3_stmt *stmt,
          const char   *name,
          gint64        value)
{
  int i = sqlite3_bind_parameter_index (stmt, name);

  if (i > 0)
    sqlite3_bind_int64 (stmt, i, value);
}

void
wh_incident_query_sql_bind (const WhIncidentQuerySql *sql,
                            sqlite3_stmt             *stmt)
{
  const WhIncidentQuery *query = sql->query;

  bind_int (stmt, ":now", sql->now);
  bind_int (stmt, ":day_from", sql->day_from);
  bind_int (stmt, ":day_to", sql->day_to);
  bind_text (stmt, ":actor", query->actor_id);
  if (query->status >= 0 && query->status < WH_N_STATUSES)
    bind_text (stmt, ":status", wh_status_to_string (query->status));
  bind_text (stmt, ":category", query->category_code);
  bind_text (stmt, ":community", query->community_id);
  bind_text (stmt, ":grid", query->grid_id);
  bind_text (stmt, ":unit", query->unit_id);
  bind_text (stmt, ":source", query->source);
  bind_int (stmt, ":priority", query->priority);
  bind_int (stmt, ":from", query->reported_from != 0 ? query->reported_from : G_MININT64);
  bind_int (stmt, ":to", query->reported_to != 0 ? query->reported_to : G_MAXINT64);
}

/* ---- Counting ------------------------------------------------------------------------ */

/* Steps a count(*) of @text with the query's parameters, remembered until data change. */
static gboolean
count_sql (WhDb                     *db,
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

  if (g_hash_table_size (cache->counts) >= MAX_COUNTS)
    g_hash_table_remove_all (cache->counts);
  cached = g_new (CachedCount, 1);
  cached->count = *count;
  cached->stamp = stamp;
  g_hash_table_replace (cache->counts, g_steal_pointer (&key), cached);
  return TRUE;
}

/* Keeps the rows of the query in temp.wh_query_rows, for counting and sorting them. */
static gboolean
keep_rows (WhDb               *db,
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

static gboolean
count_query (WhDb               *db,
             WhIncidentQuerySql *sql,
             gint64             *count,
             GError            **error)
{
  g_autofree char *text = NULL;
  const Cond *only = sql->conds->len == 1 ? &g_array_index (sql->conds, Cond, 0) : NULL;

  *count = 0;
  if (sql->empty)
    return TRUE;
  /* A search alone: its hits are the incidents found. */
  if (only != NULL && only->kind == COND_SEARCH)
    {
      *count = sql->n_hits;
      return TRUE;
    }
  /* A unit alone: incident_unit has one row per incident and unit. */
  if (only != NULL && only->kind == COND_UNIT)
    return count_sql (db, sql, "SELECT count(*) FROM incident_unit WHERE unit_id = :unit", count, error);
  /* Few rows: find them once, for the count and every page. */
  if (sql->driver >= 0 && sql->driver_rows <= sort_at_most)
    return keep_rows (db, sql, count, error);

  text = g_strdup_printf ("SELECT count(*) FROM incident WHERE %s", sql->where);
  return count_sql (db, sql, text, count, error);
}

gboolean
wh_incident_query_count (WhDb                  *db,
                         const WhIncidentQuery *query,
                         guint                 *count,
                         GError               **error)
{
  WhIncidentQuerySql sql;
  gint64 n = 0;
  gboolean ok;

  *count = 0;
  if (!wh_incident_query_sql_init (&sql, db, query, error))
    return FALSE;
  ok = count_query (db, &sql, &n, error);
  wh_incident_query_sql_clear (&sql);
  *count = (guint) MIN (n, (gint64) G_MAXUINT);
  return ok;
}

/* ---- Pages --------------------------------------------------------------------------- */

/* The keys each column sorts by, all answered by an index of migration 7 or before. Codes
 * sort as the catalogue and the geography number them (a class before its subcategories,
 * cells by community); statuses along the lifecycle (WhStatus); deadlines with "none" as
 * the farthest. Lead units sort by the roster (see lead_unit_rowids()). */
static const char *const *
sort_keys (WhIncidentColumn column)
{
  static const char *const reported[] = { "incident.reported_at", NULL };
  static const char *const number[] = { "incident.number", NULL };
  static const char *const priority[] = { "incident.priority", NULL };
  static const char *const category[] = { "incident.category_code", NULL };
  static const char *const title[] = { "incident.title", NULL };
  static const char *const grid[] = { "incident.grid_id", NULL };
  static const char *const lead_unit[] = {
    "(SELECT sort_order FROM unit WHERE unit.id = incident.lead_unit_id)",
    "(SELECT rowid FROM unit WHERE unit.id = incident.lead_unit_id)", NULL
  };
  static const char *const status[] = { WH_STORE_SQL_STATUS_ORDER, NULL };
  static const char *const deadline[] = { WH_STORE_SQL_DEADLINE_KEY, NULL };
  static const char *const source[] = { "incident.source", NULL };
  static const char *const updated[] = { "incident.updated_at", NULL };

  switch (column)
    {
    case WH_INCIDENT_COLUMN_NUMBER: return number;
    case WH_INCIDENT_COLUMN_PRIORITY: return priority;
    case WH_INCIDENT_COLUMN_CATEGORY: return category;
    case WH_INCIDENT_COLUMN_TITLE: return title;
    case WH_INCIDENT_COLUMN_GRID: return grid;
    case WH_INCIDENT_COLUMN_LEAD_UNIT: return lead_unit;
    case WH_INCIDENT_COLUMN_STATUS: return status;
    case WH_INCIDENT_COLUMN_DEADLINE: return deadline;
    case WH_INCIDENT_COLUMN_SOURCE: return source;
    case WH_INCIDENT_COLUMN_UPDATED: return updated;
    case WH_INCIDENT_COLUMN_REPORTED:
    case WH_N_INCIDENT_COLUMNS:
    default:
      return reported;
    }
}

/* "ORDER BY …": the column's keys, then the rowid, all one way. With @plain the keys are
 * written so that no index answers them: the rows come from the driving index and are
 * few enough to sort. */
static char *
order_by (const WhIncidentQuery *query,
          gboolean               plain)
{
  const char *dir = query->descending ? " DESC" : "";
  const char *const *keys = sort_keys (query->sort_column);
  GString *order = g_string_new ("ORDER BY ");

  for (guint i = 0; keys[i] != NULL; i++)
    g_string_append_printf (order, "%s%s%s, ", plain ? "+" : "", keys[i], dir);
  g_string_append_printf (order, "%sincident.rowid%s", plain ? "+" : "", dir);
  return g_string_free (order, FALSE);
}

/* Appends up to @limit rowids of @text (which takes :limit and :offset) to @rowids;
 * returns how many, or -1 with @error set. */
static gint64
fetch_rowids (WhDb                     *db,
              const WhIncidentQuerySql *sql,
              const char               *text,
              guint                     offset,
              guint                     limit,
              GArray                   *rowids,
              GError                  **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (db, text, error);
  gint64 n = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  wh_incident_query_sql_bind (sql, stmt);
  bind_int (stmt, ":limit", MIN (limit, (guint) G_MAXINT));
  bind_int (stmt, ":offset", offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
      n++;
    }
  if (!wh_db_finish (db, stmt, rc, error))
    return -1;
  return n;
}

/* Many rows, sorted by lead unit: incidents without one first, then unit by unit in the
 * roster's order (unit.sort_order, then the unit's row), each unit's by rowid. The units
 * drive the join, and each unit's incidents come off incident_lead_unit in rowid order, so
 * nothing is sorted. A lead unit always is a row of unit (a foreign key). */
static GArray *
lead_unit_rowids (WhDb                     *db,
                  const WhIncidentQuerySql *sql,
                  gint64                    count,
                  guint                     offset,
                  guint                     limit,
                  GError                  **error)
{
  g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *where = where_with (sql, -1);
  const char *dir = sql->query->descending ? " DESC" : "";
  g_autofree char *none = g_strdup_printf (
    "SELECT incident.rowid FROM incident WHERE incident.lead_unit_id IS NULL AND %s "
    "ORDER BY incident.rowid%s LIMIT :limit OFFSET :offset", where, dir);
  g_autofree char *units = g_strdup_printf (
    "SELECT incident.rowid FROM unit u CROSS JOIN incident ON incident.lead_unit_id = u.id "
    "WHERE %s ORDER BY u.sort_order%s, u.rowid%s, incident.rowid%s LIMIT :limit OFFSET :offset",
    where, dir, dir, dir);
  const char *first = sql->query->descending ? units : none;
  const char *second = sql->query->descending ? none : units;
  gint64 got;

  got = fetch_rowids (db, sql, first, offset, limit, rowids, error);
  if (got < 0)
    return NULL;
  if (got < limit)
    {
      guint second_offset = 0;

      /* The page reaches past the first part: where the second begins depends on how
       * many rows the first has, which only a count tells when this page holds none. */
      if (got == 0)
        {
          g_autofree char *count_none = g_strdup_printf (
            "SELECT count(*) FROM incident WHERE incident.lead_unit_id IS NULL AND %s", where);
          gint64 n_none, n_first;

          if (!count_sql (db, sql, count_none, &n_none, error))
            return NULL;
          n_first = sql->query->descending ? count - n_none : n_none;
          second_offset = offset > n_first ? offset - n_first : 0;
        }
      if (fetch_rowids (db, sql, second, second_offset, limit - got, rowids, error) < 0)
        return NULL;
    }
  return g_steal_pointer (&rowids);
}

GArray *
wh_incident_query_rowids (WhDb                  *db,
                          const WhIncidentQuery *query,
                          guint                  offset,
                          guint                  limit,
                          GError               **error)
{
  g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GError) local_error = NULL;
  WhIncidentQuerySql sql;
  g_autofree char *text = NULL;
  g_autofree char *order = NULL;
  g_autofree char *scan = NULL;
  gint64 count = 0, total;
  gboolean by_sort_index;

  if (!wh_incident_query_sql_init (&sql, db, query, error))
    return NULL;
  if (sql.empty || limit == 0 || !count_query (db, &sql, &count, &local_error) ||
      count <= (gint64) offset)
    goto out;

  /* Take the rows of the driving index and sort them, or read the sort column's index in
   * order and test each row. The first reads count rows, whatever their order: up to
   * sort_at_most that is cheap enough to be the rule. The second reads about
   * (offset + limit) × total / count rows if the rows found spread evenly over the order;
   * they may not (open incidents are the newest), hence a margin. */
  total = MAX (count, query_int (db, "SELECT max (rowid) FROM incident", NULL));
  by_sort_index = count > sort_at_most &&
                  ((double) offset + limit) * total / count * UNEVEN_MARGIN < count;

  if (by_sort_index && query->sort_column == WH_INCIDENT_COLUMN_LEAD_UNIT)
    {
      g_array_unref (rowids);
      rowids = lead_unit_rowids (db, &sql, count, offset, limit, &local_error);
      goto out;
    }

  order = order_by (query, !by_sort_index);
  if (by_sort_index)
    scan = where_sorted (&sql);
  else if (sql.rows)
    scan = g_strdup ("incident.rowid IN temp.wh_query_rows");
  else
    scan = g_strdup (sql.where);
  text = g_strdup_printf ("SELECT incident.rowid FROM incident WHERE %s %s "
                          "LIMIT :limit OFFSET :offset", scan, order);
  fetch_rowids (db, &sql, text, offset, limit, rowids, &local_error);

out:
  wh_incident_query_sql_clear (&sql);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&rowids);
}
