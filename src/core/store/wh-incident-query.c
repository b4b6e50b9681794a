/* wh-incident-query.c — a WhIncidentQuery as SQL */
#include "config.h"

#include <string.h>

#include "wh-incident-query.h"
#include "wh-store-sql.h"

#define SORT_AT_MOST   20000 /* rows: sorting them takes some 30 ms */
#define UNEVEN_MARGIN  8

static guint sort_at_most = SORT_AT_MOST;

void
wh_incident_query_set_sort_at_most (guint rows)
{
  sort_at_most = rows;
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

/* ---- Choosing the index that drives -------------------------------------------------- */

static double
sum_statuses (WhDb      *db,
              const int *statuses)
{
  double n = 0;

  for (guint i = 0; statuses[i] >= 0; i++)
    n += wh_incident_query_cache_stat (db, WH_QUERY_STAT_STATUS, wh_status_to_string ((WhStatus) statuses[i]));
  return n;
}

static double
sum_codes (WhDb       *db,
           WhQueryStat kind,
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
    n += wh_incident_query_cache_stat (db, kind, wh_db_column_text (stmt, 0));
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
      return wh_incident_query_cache_stat (db, WH_QUERY_STAT_STATUS, wh_status_to_string (query->status));
    case COND_CATEGORY:
      return sum_codes (db, WH_QUERY_STAT_CATEGORY,
                        "SELECT code FROM category WHERE code = ?1 OR parent_code = ?1",
                        query->category_code);
    case COND_COMMUNITY:
      return sum_codes (db, WH_QUERY_STAT_GRID, "SELECT id FROM grid_cell WHERE community_id = ?1",
                        query->community_id);
    case COND_GRID:
      return wh_incident_query_cache_stat (db, WH_QUERY_STAT_GRID, query->grid_id);
    case COND_UNIT:
      return wh_incident_query_cache_stat (db, WH_QUERY_STAT_UNIT, query->unit_id);
    case COND_SOURCE:
      return wh_incident_query_cache_stat (db, WH_QUERY_STAT_SOURCE, query->source);
    case COND_PRIORITY:
      g_snprintf (number, sizeof number, "%d", query->priority);
      return wh_incident_query_cache_stat (db, WH_QUERY_STAT_PRIORITY, number);
    case COND_REPORTED:
      {
        double first = wh_incident_query_cache_int (db, "SELECT min (reported_at) FROM incident");
        double last = wh_incident_query_cache_int (db, "SELECT max (reported_at) FROM incident");
        double total = wh_incident_query_cache_int (db, "SELECT max (rowid) FROM incident");
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
      if (!wh_incident_query_cache_search (db, query->search, &sql->n_hits, error))
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
    return wh_incident_query_cache_count (db, sql, "SELECT count(*) FROM incident_unit WHERE unit_id = :unit", count, error);
  /* Few rows: find them once, for the count and every page. */
  if (sql->driver >= 0 && sql->driver_rows <= sort_at_most)
    return wh_incident_query_cache_rows (db, sql, count, error);

  text = g_strdup_printf ("SELECT count(*) FROM incident WHERE %s", sql->where);
  return wh_incident_query_cache_count (db, sql, text, count, error);
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

          if (!wh_incident_query_cache_count (db, sql, count_none, &n_none, error))
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
   * they may not (open incidents are the newest), hence a margin. Without conditions the
   * index alone answers, however deep the page. */
  total = MAX (count, wh_incident_query_cache_int (db, "SELECT max (rowid) FROM incident"));
  by_sort_index = count > sort_at_most &&
                  (sql.conds->len == 0 ||
                   ((double) offset + limit) * total / count * UNEVEN_MARGIN < count);

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
