/* test-incident-query.c — the queue's query: views, filters, sorting, paging, search,
 * duplicates, merging reporters, and the multiplied demo cache
 *
 * Views, filters and sorting are checked against a reference written here in C over the
 * full incidents of a demo street (their units and timelines), from the definitions in
 * wh-incident-store.h, not from the SQL. Search and duplicates are checked on hand-made
 * incidents whose answers are known, and short searches against a plain LIKE scan.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "test-util.h"
#include "wh-demo-multiply.h"
#include "wh-demo-street.h"
#include "wh-geo.h"
#include "wh-grid-store.h"
#include "wh-incident-query.h"
#include "wh-incident-store.h"
#include "wh-op-ledger.h"

#define N_DEMO_INCIDENTS 2500
#define STREET           "110102099"
#define HOUR             (G_USEC_PER_SEC * (gint64) 3600)

static char  *tmp_dir;
static WhDb  *demo_db;
static gint64 end_time;

/* ---- Helpers -------------------------------------------------------------------------- */

static gint64
sql_int (WhDb       *db,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gint64
sql_int (WhDb       *db,
         const char *format,
         ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 value;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  stmt = wh_db_prepare (db, sql, NULL);
  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* 2026-11-22 23:59:59 in Beijing: the end of the demo's history. */
static gint64
fixed_end (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) dt = g_date_time_new (tz, 2026, 11, 22, 23, 59, 59);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

/* Every row of the query, one page at a time, with no row twice. */
static GPtrArray *
list_all (WhIncidentStore       *store,
          const WhIncidentQuery *query,
          guint                  page_size)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;

  for (guint offset = 0;; offset += page_size)
    {
      g_autoptr (GPtrArray) page = wh_incident_store_list (store, query, offset, page_size, &error);

      g_assert_no_error (error);
      g_assert_nonnull (page);
      g_assert_cmpuint (page->len, <=, page_size);
      for (guint i = 0; i < page->len; i++)
        {
          WhIncident *incident = g_ptr_array_index (page, i);

          if (!g_hash_table_add (seen, incident->id))
            g_error ("%s came twice (page at %u)", incident->number, offset);
          g_ptr_array_add (all, g_object_ref (incident));
        }
      if (page->len < page_size)
        break;
    }
  return all;
}

/* ---- The reference over the demo street ----------------------------------------------- */

typedef struct {
  WhIncident *incident;   /* with its units */
  gint64      rowid;
  GHashTable *actors;     /* actor ids of its timeline */
} Row;

typedef struct {
  GPtrArray  *rows;       /* of Row *, in rowid order */
  GHashTable *by_id;      /* incident id → Row * */
  GHashTable *parent;     /* category code → parent code ("" for a class) */
  GHashTable *community;  /* grid id → community id */
  GHashTable *unit_order; /* unit id → { sort_order, rowid } */
} Reference;

static Reference ref;

static void
row_free (Row *row)
{
  g_object_unref (row->incident);
  g_hash_table_unref (row->actors);
  g_free (row);
}

static GHashTable *
string_map (WhDb       *db,
            const char *sql)
{
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, NULL);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (map, g_strdup (wh_db_column_text (stmt, 0)),
                         g_strdup (wh_db_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  return map;
}

static void
load_reference (void)
{
  g_autoptr (WhIncidentStore) store = wh_incident_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;

  ref.rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  ref.by_id = g_hash_table_new (g_str_hash, g_str_equal);
  ref.parent = string_map (demo_db, "SELECT code, coalesce (parent_code, '') FROM category");
  ref.community = string_map (demo_db, "SELECT id, community_id FROM grid_cell");
  ref.unit_order = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  stmt = wh_db_prepare (demo_db, "SELECT id, sort_order, rowid FROM unit", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 *order = g_new (gint64, 2);

      order[0] = sqlite3_column_int64 (stmt, 1);
      order[1] = sqlite3_column_int64 (stmt, 2);
      g_hash_table_insert (ref.unit_order, g_strdup (wh_db_column_text (stmt, 0)), order);
    }
  sqlite3_reset (stmt);

  stmt = wh_db_prepare (demo_db, "SELECT id, rowid FROM incident ORDER BY rowid", NULL);
  {
    g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));

    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 rowid = sqlite3_column_int64 (stmt, 1);

        g_ptr_array_add (ids, g_strdup (wh_db_column_text (stmt, 0)));
        g_array_append_val (rowids, rowid);
      }
    sqlite3_reset (stmt);
    for (guint i = 0; i < ids->len; i++)
      {
        Row *row = g_new0 (Row, 1);

        row->incident = wh_incident_store_get (store, g_ptr_array_index (ids, i), &error);
        g_assert_no_error (error);
        row->rowid = g_array_index (rowids, gint64, i);
        row->actors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        g_ptr_array_add (ref.rows, row);
        g_hash_table_insert (ref.by_id, row->incident->id, row);
      }
  }

  stmt = wh_db_prepare (demo_db, "SELECT DISTINCT incident_id, actor_id FROM incident_event", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Row *row = g_hash_table_lookup (ref.by_id, wh_db_column_text (stmt, 0));

      g_assert_nonnull (row);
      g_hash_table_add (row->actors, g_strdup (wh_db_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (ref.rows->len, ==, N_DEMO_INCIDENTS);
}

static gboolean
in_statuses (WhStatus status,
             ...)
{
  va_list args;
  int s;
  gboolean found = FALSE;

  va_start (args, status);
  while ((s = va_arg (args, int)) >= 0)
    if ((WhStatus) s == status)
      found = TRUE;
  va_end (args);
  return found;
}

#define DEADLINE_RUNNING(s)                                                                 \
  in_statuses ((s), WH_STATUS_WHISTLED, WH_STATUS_ACKNOWLEDGED, WH_STATUS_IN_PROGRESS,      \
               WH_STATUS_LEGAL_REVIEW, WH_STATUS_REWORK, -1)

static gint64
local_midnight (gint64 at)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autoptr (GDateTime) midnight =
    g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                     g_date_time_get_day_of_month (local), 0, 0, 0);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

/* The views and filters as wh-incident-store.h defines them. */
static gboolean
reference_matches (const Row             *row,
                   const WhIncidentQuery *q)
{
  WhIncident *i = row->incident;
  gboolean open = wh_status_is_open (i->status);

  switch (q->view)
    {
    case WH_INCIDENT_VIEW_ALL:
      break;
    case WH_INCIDENT_VIEW_OPEN:
      if (!open)
        return FALSE;
      break;
    case WH_INCIDENT_VIEW_AWAITING_WHISTLE:
      if (!in_statuses (i->status, WH_STATUS_REPORTED, WH_STATUS_REGISTERED, WH_STATUS_RETURNED, -1))
        return FALSE;
      break;
    case WH_INCIDENT_VIEW_AWAITING_REPORT_IN:
      {
        gboolean waiting = FALSE;

        if (!DEADLINE_RUNNING (i->status))
          return FALSE;
        for (guint k = 0; k < i->units->len; k++)
          {
            WhIncidentUnit *u = g_ptr_array_index (i->units, k);

            if (u->acknowledged_at == 0 && u->returned_at == 0)
              waiting = TRUE;
          }
        if (!waiting)
          return FALSE;
      }
      break;
    case WH_INCIDENT_VIEW_IN_PROGRESS:
      if (!in_statuses (i->status, WH_STATUS_ACKNOWLEDGED, WH_STATUS_IN_PROGRESS,
                        WH_STATUS_LEGAL_REVIEW, WH_STATUS_REWORK, -1))
        return FALSE;
      break;
    case WH_INCIDENT_VIEW_AWAITING_VERIFICATION:
      if (i->status != WH_STATUS_RESOLVED)
        return FALSE;
      break;
    case WH_INCIDENT_VIEW_OVERDUE:
      /* The lifecycle's own clock. */
      if (wh_incident_time_left (i, q->now) >= 0)
        return FALSE;
      break;
    case WH_INCIDENT_VIEW_ESCALATED:
      if (!open || !i->escalated)
        return FALSE;
      break;
    case WH_INCIDENT_VIEW_RETURNED:
      if (!open || i->return_count == 0)
        return FALSE;
      break;
    case WH_INCIDENT_VIEW_CLOSED_TODAY:
      {
        gint64 from = local_midnight (q->now);

        if (!in_statuses (i->status, WH_STATUS_CLOSED, WH_STATUS_RATED, -1) ||
            i->closed_at < from || i->closed_at >= from + G_TIME_SPAN_DAY)
          return FALSE;
      }
      break;
    case WH_INCIDENT_VIEW_MINE:
      if (!open || q->actor_id == NULL || !g_hash_table_contains (row->actors, q->actor_id))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();
    }

  if (q->status >= 0 && i->status != (WhStatus) q->status)
    return FALSE;
  if (q->category_code != NULL && g_strcmp0 (i->category_code, q->category_code) != 0 &&
      g_strcmp0 (g_hash_table_lookup (ref.parent, i->category_code), q->category_code) != 0)
    return FALSE;
  if (q->community_id != NULL &&
      (i->grid_id == NULL ||
       g_strcmp0 (g_hash_table_lookup (ref.community, i->grid_id), q->community_id) != 0))
    return FALSE;
  if (q->grid_id != NULL && g_strcmp0 (i->grid_id, q->grid_id) != 0)
    return FALSE;
  if (q->unit_id != NULL && wh_incident_find_unit (i, q->unit_id) == NULL)
    return FALSE;
  if (q->source != NULL && g_strcmp0 (i->source, q->source) != 0)
    return FALSE;
  if (q->priority >= 0 && i->priority != q->priority)
    return FALSE;
  if (q->reported_from != 0 && i->reported_at < q->reported_from)
    return FALSE;
  if (q->reported_to != 0 && i->reported_at >= q->reported_to)
    return FALSE;
  return TRUE;
}

static int
cmp_int (gint64 a,
         gint64 b)
{
  return (a > b) - (a < b);
}

/* NULL first, then bytewise (SQLite's BINARY collation). */
static int
cmp_text (const char *a,
          const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return strcmp (a, b);
}

static gint64
deadline_key (WhIncident *i)
{
  gint64 left = wh_incident_time_left (i, 0);

  return left; /* the deadline itself, or G_MAXINT64 when none runs */
}

static int
reference_compare_key (const Row       *a,
                       const Row       *b,
                       WhIncidentColumn column)
{
  WhIncident *x = a->incident, *y = b->incident;

  switch (column)
    {
    case WH_INCIDENT_COLUMN_REPORTED: return cmp_int (x->reported_at, y->reported_at);
    case WH_INCIDENT_COLUMN_NUMBER: return cmp_text (x->number, y->number);
    case WH_INCIDENT_COLUMN_PRIORITY: return cmp_int (x->priority, y->priority);
    case WH_INCIDENT_COLUMN_CATEGORY: return cmp_text (x->category_code, y->category_code);
    case WH_INCIDENT_COLUMN_TITLE: return cmp_text (x->title, y->title);
    case WH_INCIDENT_COLUMN_GRID: return cmp_text (x->grid_id, y->grid_id);
    case WH_INCIDENT_COLUMN_LEAD_UNIT:
      {
        /* No lead unit first, then the roster's order, then the unit's row. */
        const gint64 *ox = x->lead_unit_id ? g_hash_table_lookup (ref.unit_order, x->lead_unit_id) : NULL;
        const gint64 *oy = y->lead_unit_id ? g_hash_table_lookup (ref.unit_order, y->lead_unit_id) : NULL;

        if (ox == NULL || oy == NULL)
          return (ox != NULL) - (oy != NULL);
        if (ox[0] != oy[0])
          return cmp_int (ox[0], oy[0]);
        return cmp_int (ox[1], oy[1]);
      }
    case WH_INCIDENT_COLUMN_STATUS: return cmp_int (x->status, y->status);
    case WH_INCIDENT_COLUMN_DEADLINE: return cmp_int (deadline_key (x), deadline_key (y));
    case WH_INCIDENT_COLUMN_SOURCE: return cmp_text (x->source, y->source);
    case WH_INCIDENT_COLUMN_UPDATED: return cmp_int (x->updated_at, y->updated_at);
    default:
      g_assert_not_reached ();
    }
}

typedef struct {
  WhIncidentColumn column;
  gboolean         descending;
} SortSpec;

static int
reference_compare (gconstpointer pa,
                   gconstpointer pb,
                   gpointer      data)
{
  const Row *a = *(const Row *const *) pa;
  const Row *b = *(const Row *const *) pb;
  const SortSpec *spec = data;
  int c = reference_compare_key (a, b, spec->column);

  if (c == 0)
    c = cmp_int (a->rowid, b->rowid);
  return spec->descending ? -c : c;
}

/* The rows of @q in its order, by the reference. */
static GPtrArray *
reference_list (const WhIncidentQuery *q)
{
  GPtrArray *rows = g_ptr_array_new ();
  SortSpec spec = { q->sort_column, q->descending };

  for (guint k = 0; k < ref.rows->len; k++)
    if (reference_matches (g_ptr_array_index (ref.rows, k), q))
      g_ptr_array_add (rows, g_ptr_array_index (ref.rows, k));
  g_ptr_array_sort_with_data (rows, reference_compare, &spec);
  return rows;
}

/* The store agrees with the reference: count, members and order, page by page. */
static guint
check_query (const WhIncidentQuery *q,
             guint                  page_size)
{
  g_autoptr (WhIncidentStore) store = wh_incident_store_new (demo_db);
  g_autoptr (GPtrArray) want = reference_list (q);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GError) error = NULL;
  guint n = wh_incident_store_count (store, q, &error);

  g_assert_no_error (error);
  if (n != want->len)
    g_error ("view %d status %d category %s community %s grid %s unit %s source %s priority %d "
             "from %" G_GINT64_FORMAT ": count %u, want %u",
             q->view, q->status, q->category_code, q->community_id, q->grid_id, q->unit_id,
             q->source, q->priority, q->reported_from, n, want->len);
  got = list_all (store, q, page_size);
  g_assert_cmpuint (got->len, ==, want->len);
  for (guint k = 0; k < got->len; k++)
    {
      WhIncident *g = g_ptr_array_index (got, k);
      Row *w = g_ptr_array_index (want, k);

      if (g_strcmp0 (g->id, w->incident->id) != 0)
        g_error ("sort %d %s, row %u: %s, want %s", q->sort_column,
                 q->descending ? "down" : "up", k, g->number, w->incident->number);
      /* List rows are whole but for their units. */
      g_assert_cmpstr (g->number, ==, w->incident->number);
      g_assert_cmpint (g->status, ==, w->incident->status);
      g_assert_cmpint (g->handling_due_at, ==, w->incident->handling_due_at);
    }
  return n;
}

static void
demo_query_init (WhIncidentQuery *q)
{
  wh_incident_query_init (q);
  q->now = end_time;
}

/* ---- Views, filters, sorting over the demo street ------------------------------------- */

static void
test_init (void)
{
  WhIncidentQuery q;

  memset (&q, 0xff, sizeof q);
  wh_incident_query_init (&q);
  g_assert_cmpint (q.view, ==, WH_INCIDENT_VIEW_ALL);
  g_assert_cmpint (q.now, ==, 0);
  g_assert_null (q.actor_id);
  g_assert_cmpint (q.status, ==, -1);
  g_assert_null (q.category_code);
  g_assert_null (q.community_id);
  g_assert_null (q.grid_id);
  g_assert_null (q.unit_id);
  g_assert_null (q.source);
  g_assert_cmpint (q.priority, ==, -1);
  g_assert_cmpint (q.reported_from, ==, 0);
  g_assert_cmpint (q.reported_to, ==, 0);
  g_assert_null (q.search);
  g_assert_cmpint (q.sort_column, ==, WH_INCIDENT_COLUMN_REPORTED);
  g_assert_true (q.descending);
}

/* An actor of the street who has acted on an open incident. */
static const char *
busy_actor (void)
{
  for (guint k = 0; k < ref.rows->len; k++)
    {
      Row *row = g_ptr_array_index (ref.rows, k);
      GHashTableIter iter;
      gpointer actor;

      if (!wh_status_is_open (row->incident->status))
        continue;
      g_hash_table_iter_init (&iter, row->actors);
      while (g_hash_table_iter_next (&iter, &actor, NULL))
        if (*(const char *) actor != '\0')
          return actor;
    }
  g_assert_not_reached ();
}

static void
test_views (void)
{
  WhIncidentQuery q;
  guint n[WH_N_INCIDENT_VIEWS];

  for (int v = 0; v < WH_N_INCIDENT_VIEWS; v++)
    {
      demo_query_init (&q);
      q.view = v;
      q.actor_id = busy_actor ();
      n[v] = check_query (&q, 50);
    }

  g_assert_cmpuint (n[WH_INCIDENT_VIEW_ALL], ==, N_DEMO_INCIDENTS);
  /* The demo's end shows every open state, so every view of open work has rows. */
  for (int v = WH_INCIDENT_VIEW_OPEN; v <= WH_INCIDENT_VIEW_MINE; v++)
    if (v != WH_INCIDENT_VIEW_CLOSED_TODAY && n[v] == 0)
      g_error ("view %d is empty", v);
  g_assert_cmpuint (n[WH_INCIDENT_VIEW_OPEN], <, n[WH_INCIDENT_VIEW_ALL]);
  g_assert_cmpuint (n[WH_INCIDENT_VIEW_MINE], <=, n[WH_INCIDENT_VIEW_OPEN]);

  /* Closed today, on a day of the history with closings. */
  demo_query_init (&q);
  q.view = WH_INCIDENT_VIEW_CLOSED_TODAY;
  q.now = sql_int (demo_db, "SELECT closed_at FROM incident WHERE closed_at IS NOT NULL "
                            "ORDER BY closed_at LIMIT 1 OFFSET 100");
  g_assert_cmpuint (check_query (&q, 7), >, 0);

  /* Overdue an hour later and a month earlier than the end: the time asked decides. */
  demo_query_init (&q);
  q.view = WH_INCIDENT_VIEW_OVERDUE;
  q.now = end_time + HOUR;
  check_query (&q, 10);
  q.now = end_time - 30 * 24 * HOUR;
  check_query (&q, 10);

  /* Mine without an actor is nobody's; another actor has other incidents. */
  demo_query_init (&q);
  q.view = WH_INCIDENT_VIEW_MINE;
  g_assert_cmpuint (check_query (&q, 10), ==, 0);
  q.actor_id = "nobody";
  g_assert_cmpuint (check_query (&q, 10), ==, 0);
}

static GPtrArray *
column_values (const char *sql)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = wh_db_prepare (demo_db, sql, NULL);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup (wh_db_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  g_assert_cmpuint (values->len, >, 0);
  return values;
}

static void
test_filters (void)
{
  g_autoptr (GPtrArray) classes = column_values ("SELECT code FROM category WHERE parent_code IS NULL");
  g_autoptr (GPtrArray) subcategories =
    column_values ("SELECT category_code FROM incident GROUP BY 1 ORDER BY count(*) DESC LIMIT 5");
  g_autoptr (GPtrArray) communities = column_values ("SELECT id FROM community");
  g_autoptr (GPtrArray) cells = column_values ("SELECT id FROM grid_cell ORDER BY id LIMIT 6");
  g_autoptr (GPtrArray) units = column_values ("SELECT id FROM unit");
  g_autoptr (GPtrArray) sources = column_values ("SELECT DISTINCT source FROM incident");
  WhIncidentQuery q;
  guint total = 0;

  for (int view = WH_INCIDENT_VIEW_ALL; view <= WH_INCIDENT_VIEW_OPEN; view++)
    {
      for (int s = 0; s < WH_N_STATUSES; s++)
        {
          demo_query_init (&q);
          q.view = view;
          q.status = s;
          total += check_query (&q, 200);
        }
      for (guint k = 0; k < classes->len; k++)
        {
          demo_query_init (&q);
          q.view = view;
          q.category_code = g_ptr_array_index (classes, k);
          total += check_query (&q, 200);
        }
      for (guint k = 0; k < subcategories->len; k++)
        {
          demo_query_init (&q);
          q.view = view;
          q.category_code = g_ptr_array_index (subcategories, k);
          g_assert_cmpuint (check_query (&q, 200), >, 0);
        }
      for (guint k = 0; k < communities->len; k++)
        {
          demo_query_init (&q);
          q.view = view;
          q.community_id = g_ptr_array_index (communities, k);
          total += check_query (&q, 200);
        }
      for (guint k = 0; k < cells->len; k++)
        {
          demo_query_init (&q);
          q.view = view;
          q.grid_id = g_ptr_array_index (cells, k);
          total += check_query (&q, 200);
        }
      for (guint k = 0; k < units->len; k++)
        {
          demo_query_init (&q);
          q.view = view;
          q.unit_id = g_ptr_array_index (units, k);
          total += check_query (&q, 200);
        }
      for (guint k = 0; k < sources->len; k++)
        {
          demo_query_init (&q);
          q.view = view;
          q.source = g_ptr_array_index (sources, k);
          total += check_query (&q, 200);
        }
      for (int p = 0; p <= 2; p++)
        {
          demo_query_init (&q);
          q.view = view;
          q.priority = p;
          total += check_query (&q, 200);
        }
      /* A month, its first day, and open-ended on either side. */
      demo_query_init (&q);
      q.view = view;
      q.reported_from = end_time - 40 * 24 * HOUR;
      q.reported_to = end_time - 10 * 24 * HOUR;
      total += check_query (&q, 200);
      q.reported_to = q.reported_from + 24 * HOUR;
      total += check_query (&q, 200);
      q.reported_to = 0;
      total += check_query (&q, 200);
      q.reported_from = 0;
      q.reported_to = end_time - 40 * 24 * HOUR;
      total += check_query (&q, 200);
    }
  g_assert_cmpuint (total, >, 0);

  /* Filters together, and with every view. */
  for (int view = 0; view < WH_N_INCIDENT_VIEWS; view++)
    for (guint k = 0; k < classes->len; k++)
      {
        demo_query_init (&q);
        q.view = view;
        q.actor_id = busy_actor ();
        q.category_code = g_ptr_array_index (classes, k);
        q.community_id = g_ptr_array_index (communities, k % communities->len);
        check_query (&q, 30);
        q.community_id = NULL;
        q.source = "hotline";
        q.priority = 0;
        check_query (&q, 30);
        q.unit_id = g_ptr_array_index (units, 1 + k % (units->len - 1));
        q.reported_from = end_time - 60 * 24 * HOUR;
        check_query (&q, 30);
      }

  /* Unknown values match nothing; they are not errors. */
  demo_query_init (&q);
  q.category_code = "99";
  g_assert_cmpuint (check_query (&q, 10), ==, 0);
  demo_query_init (&q);
  q.community_id = "none";
  q.grid_id = "none";
  q.unit_id = "none";
  q.source = "carrier_pigeon";
  g_assert_cmpuint (check_query (&q, 10), ==, 0);
}

/* Every column both ways, paging through the whole street and through a view: the pages
 * add up to the reference's order, tie-break included, no row twice, none missing. */
static void
test_sort (void)
{
  WhIncidentQuery q;

  for (int column = 0; column < WH_N_INCIDENT_COLUMNS; column++)
    for (int descending = 0; descending <= 1; descending++)
      {
        demo_query_init (&q);
        q.sort_column = column;
        q.descending = descending;
        g_assert_cmpuint (check_query (&q, 97), ==, N_DEMO_INCIDENTS);
        q.view = WH_INCIDENT_VIEW_OPEN;
        check_query (&q, 3);
        q.view = WH_INCIDENT_VIEW_ALL;
        q.category_code = "01";
        q.source = "hotline";
        check_query (&q, 41);
      }
}

/* The same with every query of more than a handful of rows read off the sort column's
 * index, and no rows found ahead: the other way of answering, which a street of this size
 * takes only near its end. */
static void
test_by_sort_index (void)
{
  wh_incident_query_set_sort_at_most (8);
  test_views ();
  test_filters ();
  test_sort ();
  wh_incident_query_set_sort_at_most (20000);
}

/* The map shows what the queue lists: the points of a query are its rows with a location. */
static void
test_points (void)
{
  g_autoptr (WhGridStore) grid = wh_grid_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  WhIncidentQuery q;

  for (int view = 0; view < WH_N_INCIDENT_VIEWS; view++)
    {
      g_autoptr (GArray) points = NULL;
      g_autoptr (GPtrArray) want = NULL;
      g_autoptr (GHashTable) rowids = g_hash_table_new (g_int64_hash, g_int64_equal);
      guint with_location = 0;

      demo_query_init (&q);
      q.view = view;
      q.actor_id = busy_actor ();
      q.category_code = view % 2 ? "01" : NULL;
      want = reference_list (&q);
      points = wh_grid_store_list_incident_points (grid, &q, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < want->len; k++)
        {
          Row *row = g_ptr_array_index (want, k);

          if (row->incident->has_location)
            {
              with_location++;
              g_hash_table_add (rowids, &row->rowid);
            }
        }
      g_assert_cmpuint (points->len, ==, with_location);
      for (guint k = 0; k < points->len; k++)
        g_assert_true (g_hash_table_contains (rowids, &g_array_index (points, WhIncidentPoint, k).rowid));
    }
}

/* Short searches against a plain scan of the same texts. */
static guint
like_count (const char *text)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM incident WHERE instr (number, ?1) OR instr (title, ?1) "
    "OR instr (description, ?1) OR instr (address, ?1) OR id IN "
    "(SELECT incident_id FROM incident_event WHERE instr (note, ?1))");
  sqlite3_stmt *stmt = wh_db_prepare (demo_db, sql, NULL);
  guint n;

  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static gboolean
has_case_or_space (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_tolower (c) != c || g_unichar_toupper (c) != c)
        return TRUE;
    }
  return FALSE;
}

static void
test_search_demo (void)
{
  g_autoptr (WhIncidentStore) store = wh_incident_store_new (demo_db);
  g_autoptr (GPtrArray) texts =
    column_values ("SELECT title FROM incident WHERE rowid % 250 = 1 UNION ALL "
                   "SELECT address FROM incident WHERE rowid % 500 = 2 UNION ALL "
                   "SELECT note FROM incident_event WHERE note != '' AND rowid % 3000 = 3");
  guint checked = 0;

  for (guint k = 0; k < texts->len; k++)
    {
      const char *text = g_ptr_array_index (texts, k);
      glong n_chars = g_utf8_strlen (text, -1);

      /* Two and three characters from the start, the middle and the very end. */
      for (glong len = 2; len <= 3; len++)
        for (glong start = 0; start + len <= n_chars; start += MAX (1, (n_chars - len) / 2))
          {
            const char *from = g_utf8_offset_to_pointer (text, start);
            g_autofree char *part = g_strndup (from, g_utf8_offset_to_pointer (from, len) - from);
            WhIncidentQuery q;
            guint want = like_count (part);
            guint got;

            /* Letters fold case in the index, and a space also matches a column's end: keep
             * to what a byte scan agrees on. */
            if (has_case_or_space (part))
              continue;
            wh_incident_query_init (&q);
            q.search = part;
            got = wh_incident_store_count (store, &q, NULL);
            if (got != want)
              g_error ("search “%s”: %u, a scan finds %u", g_strescape (part, NULL), got, want);
            g_assert_cmpuint (got, >, 0);
            checked++;
          }
    }
  g_assert_cmpuint (checked, >, 20);
}

/* ---- Hand-made incidents: search, duplicates, merging --------------------------------- */

typedef struct {
  char            *dir;
  WhDb            *db;
  WhIncidentStore *store;
  WhActor         *officer;
  WhActor         *director;
  WhActor         *liaison;
  WhActor         *district;
  gint64           now;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->db = test_open_temp_db ("whistle-query-XXXXXX", &fixture->dir, NULL);
  wh_db_exec (fixture->db,
              "INSERT INTO meta (key, value) VALUES ('street_id', '" STREET "');"
              "INSERT INTO street (id, name, district, center_lon, center_lat) "
              "  VALUES ('" STREET "', '京华街道', '西城区', 116.35, 39.915);"
              "INSERT INTO community (id, street_id, name) VALUES ('" STREET "001', '" STREET "', 'C1');"
              "INSERT INTO grid_cell (id, community_id, name, polygon, centroid_lon, centroid_lat) "
              "  VALUES ('" STREET "001001', '" STREET "001', 'G1', '{}', 116.35, 39.915);"
              "INSERT INTO unit (id, street_id, name, short_name, kind, sort_order) VALUES "
              "  ('um', '" STREET "', '城管执法队', '城管', 'stationed', 10),"
              "  ('police', '" STREET "', '派出所', '派出所', 'stationed', 20);"
              "INSERT INTO priority (level, name, factor) VALUES (0, 'normal', 1.0);"
              "INSERT INTO category (code, parent_code, name, kind, response_minutes, "
              "  handling_minutes, working_hours, major) VALUES "
              "  ('01', NULL, '市容环境', 'event', 30, 2880, 0, 0),"
              "  ('0101', '01', '暴露垃圾', 'event', 30, 2880, 0, 0),"
              "  ('0102', '01', '乱堆物堆料', 'event', 30, 2880, 0, 0);",
              &error);
  g_assert_no_error (error);
  fixture->store = wh_incident_store_new (fixture->db);
  fixture->officer = wh_actor_new ("s-1", "值班员王", WH_ROLE_DUTY_OFFICER, NULL);
  fixture->director = wh_actor_new ("s-2", "主任李", WH_ROLE_DIRECTOR, NULL);
  fixture->liaison = wh_actor_new ("s-3", "联络员赵", WH_ROLE_UNIT_LIAISON, "um");
  fixture->district = wh_actor_new ("d-1", "区调度员", WH_ROLE_DISTRICT, NULL);
  /* Sunday 2025-11-16, 09:30 in Beijing. */
  fixture->now = (gint64) 1763256600 * G_USEC_PER_SEC;
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->db);
  wh_actor_free (fixture->officer);
  wh_actor_free (fixture->director);
  wh_actor_free (fixture->liaison);
  wh_actor_free (fixture->district);
  test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

typedef struct {
  const char *category;
  const char *title;
  const char *address;
  const char *description;
  double      lon;
  double      lat;
  gint64      at;          /* 0: the fixture's now */
} Report;

static char *
report (Fixture      *fixture,
        const Report *r)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = wh_uuid_new (NULL);
  g_autofree char *number = NULL;
  gint64 at = r->at != 0 ? r->at : fixture->now;
  g_autoptr (WhOp) op = wh_op_new (WH_ACTION_REPORT, id, fixture->officer, at);
  g_autoptr (WhIncidentEvent) event = NULL;

  number = wh_incident_store_next_number (fixture->store, STREET, at, &error);
  g_assert_no_error (error);
  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", STREET);
  wh_op_set_string (op, "source", "hotline");
  wh_op_set_string (op, "category_code", r->category ? r->category : "0101");
  wh_op_set_string (op, "title", r->title ? r->title : "垃圾堆放");
  if (r->address)
    wh_op_set_string (op, "address", r->address);
  if (r->description)
    wh_op_set_string (op, "description", r->description);
  wh_op_set_string (op, "reporter_name", "张女士");
  wh_op_set_string (op, "reporter_phone", "13900001111");
  if (r->lon != 0)
    {
      json_object_set_double_member (op->fields, "lon", r->lon);
      json_object_set_double_member (op->fields, "lat", r->lat);
    }
  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  return g_strdup (id);
}

static WhIncidentEvent *
try_step (Fixture       *fixture,
          const char    *incident_id,
          WhAction       action,
          const WhActor *actor,
          const char    *note,
          GError       **error)
{
  g_autoptr (WhOp) op = NULL;

  fixture->now += HOUR / 4;
  op = wh_op_new (action, incident_id, actor, fixture->now);
  op->note = g_strdup (note);
  if (action == WH_ACTION_WHISTLE)
    wh_op_set_string (op, "lead_unit_id", "um");
  if (action == WH_ACTION_ACKNOWLEDGE)
    op->unit_id = g_strdup ("um");
  return wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, error);
}

static void
step (Fixture    *fixture,
      const char *incident_id,
      WhAction    action,
      const char *note)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhIncidentEvent) event =
    try_step (fixture, incident_id, action,
              action == WH_ACTION_CLOSE || action == WH_ACTION_VERIFY_PASS ? fixture->director
                                                                          : fixture->officer,
              note, &error);

  g_assert_no_error (error);
  g_assert_nonnull (event);
}

static void
close_incident (Fixture    *fixture,
                const char *id)
{
  step (fixture, id, WH_ACTION_REGISTER, NULL);
  step (fixture, id, WH_ACTION_WHISTLE, NULL);
  step (fixture, id, WH_ACTION_ACKNOWLEDGE, NULL);
  step (fixture, id, WH_ACTION_START, NULL);
  step (fixture, id, WH_ACTION_FEEDBACK, "已清理");
  step (fixture, id, WH_ACTION_VERIFY_PASS, NULL);
  step (fixture, id, WH_ACTION_CLOSE, NULL);
}

static GPtrArray *
search_ids (Fixture    *fixture,
            const char *text)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) page = NULL;
  WhIncidentQuery q;
  guint n;

  wh_incident_query_init (&q);
  q.search = text;
  n = wh_incident_store_count (fixture->store, &q, &error);
  g_assert_no_error (error);
  page = wh_incident_store_list (fixture->store, &q, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, n);
  for (guint k = 0; k < page->len; k++)
    g_ptr_array_add (ids, g_strdup (((WhIncident *) g_ptr_array_index (page, k))->id));
  return ids;
}

/* @text finds exactly the incidents listed after it (NULL ends the list). */
static void
assert_search (Fixture    *fixture,
               const char *text,
               ...)
{
  g_autoptr (GPtrArray) got = search_ids (fixture, text);
  g_autoptr (GHashTable) want = g_hash_table_new (g_str_hash, g_str_equal);
  const char *id;
  va_list args;

  va_start (args, text);
  while ((id = va_arg (args, const char *)) != NULL)
    g_hash_table_add (want, (gpointer) id);
  va_end (args);

  if (got->len != g_hash_table_size (want))
    g_error ("search “%s” finds %u incidents, want %u", text, got->len, g_hash_table_size (want));
  for (guint k = 0; k < got->len; k++)
    g_assert_true (g_hash_table_contains (want, g_ptr_array_index (got, k)));
}

static void
test_search (Fixture      *fixture,
             gconstpointer data)
{
  g_autofree char *a = report (fixture, &(Report) { .title = "三里河路占道经营",
                                                    .address = "西城区三里河路3号楼",
                                                    .description = "商户在人行道上摆摊" });
  g_autofree char *b = report (fixture, &(Report) { .title = "阜外大街油烟扰民",
                                                    .address = "西城区阜外大街12号",
                                                    .description = "餐馆油烟直排" });
  g_autofree char *c = report (fixture, &(Report) { .title = "展览路积水",
                                                    .address = "西城区展览路西口",
                                                    .description = "雨后路面积水严重，PM2.5超标" });
  g_autoptr (WhIncident) incident_b = wh_incident_store_get (fixture->store, b, NULL);
  g_autoptr (WhIncident) incident_c = wh_incident_store_get (fixture->store, c, NULL);
  const char *number_c = incident_c->number;

  step (fixture, c, WH_ACTION_NOTE, "已协调排水集团处理，预计明日完成");

  /* Two characters: at the end of a title, of an address, of a note; in the middle. */
  assert_search (fixture, "经营", a, NULL);
  assert_search (fixture, "号楼", a, NULL);
  assert_search (fixture, "扰民", b, NULL);
  assert_search (fixture, "油烟", b, NULL);
  assert_search (fixture, "积水", c, NULL);
  assert_search (fixture, "排水", c, NULL);
  assert_search (fixture, "完成", c, NULL);
  assert_search (fixture, "明日", c, NULL);
  assert_search (fixture, "西城", a, b, c, NULL);
  assert_search (fixture, "鼠患", NULL);
  /* One character, three and more. */
  assert_search (fixture, "楼", a, NULL);
  assert_search (fixture, "城区三", a, NULL);
  assert_search (fixture, "占道经营", a, NULL);
  assert_search (fixture, "协调排水集团", c, NULL);
  assert_search (fixture, "三里河路占道经营摆摊", NULL);
  /* Numbers: whole, by day, by their sequence, two digits; addresses with numbers. */
  assert_search (fixture, incident_b->number, b, NULL);
  assert_search (fixture, number_c + strlen (number_c) - 4, c, NULL);
  assert_search (fixture, number_c + strlen (number_c) - 2, c, NULL);
  assert_search (fixture, STREET, a, b, c, NULL);
  assert_search (fixture, "12号", b, NULL);
  assert_search (fixture, "3号楼", a, NULL);
  /* Latin letters in either case. */
  assert_search (fixture, "pm", c, NULL);
  assert_search (fixture, "PM2.5", c, NULL);
  /* What people type is text, never query syntax. */
  assert_search (fixture, "\"", NULL);
  assert_search (fixture, "经营\" OR \"扰民", NULL);
  assert_search (fixture, "*", NULL);
  assert_search (fixture, "%", NULL);
  /* Reporters' contacts are kept out of search. */
  assert_search (fixture, "13900001111", NULL);
  assert_search (fixture, "张女士", NULL);

  /* A changed text is found by its new words only. */
  {
    g_autoptr (GError) error = NULL;

    g_assert_true (wh_db_exec (fixture->db,
                               "UPDATE incident SET title = '道路破损' WHERE title = '展览路积水'",
                               &error));
    g_assert_no_error (error);
    assert_search (fixture, "破损", c, NULL);
    assert_search (fixture, "展览", c, NULL); /* still in the address */
    assert_search (fixture, "积水", c, NULL); /* still in the description */
    assert_search (fixture, "路积", NULL);
  }

  /* Search combines with the view and the filters. */
  {
    WhIncidentQuery q;

    wh_incident_query_init (&q);
    q.search = "西城";
    q.category_code = "0102";
    g_assert_cmpuint (wh_incident_store_count (fixture->store, &q, NULL), ==, 0);
    q.category_code = "01";
    g_assert_cmpuint (wh_incident_store_count (fixture->store, &q, NULL), ==, 3);
    q.view = WH_INCIDENT_VIEW_CLOSED_TODAY;
    g_assert_cmpuint (wh_incident_store_count (fixture->store, &q, NULL), ==, 0);
  }
}

static guint
count_of (WhIncidentStore *store,
          WhIncidentView   view,
          const char      *search)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) page = NULL;
  WhIncidentQuery q;
  guint n;

  wh_incident_query_init (&q);
  q.view = view;
  q.search = search;
  n = wh_incident_store_count (store, &q, &error);
  g_assert_no_error (error);
  page = wh_incident_store_list (store, &q, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, n);
  return n;
}

/* Counts, a search's hits and a query's rows are remembered, but never past a change:
 * of this connection, or of another one on the same file. */
static void
test_fresh (Fixture      *fixture,
            gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "cache.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *a = report (fixture, &(Report) { .title = "占道经营" });
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, NULL), ==, 1);
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_ALL, "经营"), ==, 1);
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, "经营"), ==, 1);

  b = report (fixture, &(Report) { .title = "占道经营" });
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, NULL), ==, 2);
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_ALL, "经营"), ==, 2);
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, "经营"), ==, 2);

  step (fixture, b, WH_ACTION_NOT_ACCEPT, "重复");
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, NULL), ==, 1);
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_ALL, "经营"), ==, 2);
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, "经营"), ==, 1);

  /* Another connection, as the sync engine has. */
  {
    g_autoptr (WhDb) other = wh_db_open (path, &error);
    g_autoptr (WhIncidentStore) other_store = NULL;
    WhIncidentStore *mine = fixture->store;

    g_assert_no_error (error);
    other_store = wh_incident_store_new (other);
    fixture->store = other_store;
    c = report (fixture, &(Report) { .title = "无照经营" });
    fixture->store = mine;
  }
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, NULL), ==, 2);
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_ALL, "经营"), ==, 3);
  g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, "经营"), ==, 2);

  /* Inside a transaction that is rolled back, nothing stays remembered: neither the rows
   * found, nor a search's hits, nor (with rows never found ahead) a count. */
  for (guint rows_ahead = 0; rows_ahead <= 1; rows_ahead++)
    {
      wh_incident_query_set_sort_at_most (rows_ahead ? 20000 : 0);
      g_assert_true (wh_db_begin (fixture->db, &error));
      g_assert_true (wh_db_exec (fixture->db, "UPDATE incident SET status = 'closed', title = '已结案'",
                                 &error));
      g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_ALL, "经营"), ==, 0);
      g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, NULL), ==, 0);
      wh_db_rollback (fixture->db);
      g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_OPEN, NULL), ==, 2);
      g_assert_cmpuint (count_of (fixture->store, WH_INCIDENT_VIEW_ALL, "经营"), ==, 3);
    }
  wh_incident_query_set_sort_at_most (20000);
}

/* A point @north metres north and @east metres east of (@lon, @lat). */
static void
offset_point (double  lon,
              double  lat,
              double  north,
              double  east,
              double *out_lon,
              double *out_lat)
{
  double m_per_degree = G_PI * WH_GEO_EARTH_RADIUS / 180.0;

  *out_lat = lat + north / m_per_degree;
  *out_lon = lon + east / (m_per_degree * cos (lat * G_PI / 180.0));
}

static void
test_duplicates (Fixture      *fixture,
                 gconstpointer data)
{
  const double lon = 116.3500, lat = 39.9150;
  gint64 at = fixture->now + 10 * 24 * HOUR;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;
  double x, y;
  char *near, *in_99, *in_99_east, *out_101, *out_101_east, *in_6_9, *out_7_1, *other_category,
    *closed, *not_accepted, *later, *no_location;

  offset_point (lon, lat, 10, 0, &x, &y);
  near = report (fixture, &(Report) { .lon = x, .lat = y, .at = at - HOUR });
  offset_point (lon, lat, 99, 0, &x, &y);
  in_99 = report (fixture, &(Report) { .lon = x, .lat = y, .at = at - 2 * HOUR });
  offset_point (lon, lat, 0, -99, &x, &y);
  in_99_east = report (fixture, &(Report) { .lon = x, .lat = y, .at = at - 3 * HOUR });
  offset_point (lon, lat, -101, 0, &x, &y);
  out_101 = report (fixture, &(Report) { .lon = x, .lat = y, .at = at - HOUR });
  offset_point (lon, lat, 0, 101, &x, &y);
  out_101_east = report (fixture, &(Report) { .lon = x, .lat = y, .at = at - HOUR });
  offset_point (lon, lat, 50, 0, &x, &y);
  in_6_9 = report (fixture, &(Report) { .lon = x, .lat = y, .at = at - (gint64) (6.9 * 24 * HOUR) });
  out_7_1 = report (fixture, &(Report) { .lon = x, .lat = y, .at = at - (gint64) (7.1 * 24 * HOUR) });
  later = report (fixture, &(Report) { .lon = x, .lat = y, .at = at + HOUR });
  other_category = report (fixture, &(Report) { .category = "0102", .lon = lon, .lat = lat, .at = at - HOUR });
  closed = report (fixture, &(Report) { .lon = lon, .lat = lat, .at = at - 5 * HOUR });
  not_accepted = report (fixture, &(Report) { .lon = lon, .lat = lat, .at = at - 5 * HOUR });
  no_location = report (fixture, &(Report) { .at = at - HOUR });
  fixture->now = at - 5 * HOUR + 1;
  close_incident (fixture, closed);
  step (fixture, not_accepted, WH_ACTION_NOT_ACCEPT, "重复");
  g_assert_cmpint (fixture->now, <, at);

  found = wh_incident_store_find_duplicates (fixture->store, "0101", lon, lat, at, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 4);
  /* Nearest first. */
  g_assert_cmpstr (((WhIncident *) found->pdata[0])->id, ==, near);
  g_assert_cmpstr (((WhIncident *) found->pdata[1])->id, ==, in_6_9);
  g_assert_true ((g_str_equal (((WhIncident *) found->pdata[2])->id, in_99) &&
                  g_str_equal (((WhIncident *) found->pdata[3])->id, in_99_east)) ||
                 (g_str_equal (((WhIncident *) found->pdata[2])->id, in_99_east) &&
                  g_str_equal (((WhIncident *) found->pdata[3])->id, in_99)));
  for (guint k = 1; k < found->len; k++)
    {
      WhIncident *p = found->pdata[k - 1], *q = found->pdata[k];

      g_assert_cmpfloat (wh_geo_distance (lon, lat, p->lon, p->lat), <=,
                         wh_geo_distance (lon, lat, q->lon, q->lat));
    }
  /* Whole incidents, with their units. */
  g_assert_nonnull (((WhIncident *) found->pdata[0])->units);

  /* The window is counted back from the moment asked; its ends are inside. */
  g_clear_pointer (&found, g_ptr_array_unref);
  found = wh_incident_store_find_duplicates (fixture->store, "0101", lon, lat,
                                             at - (gint64) (6.9 * 24 * HOUR), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((WhIncident *) found->pdata[0])->id, ==, in_6_9);
  g_assert_cmpstr (((WhIncident *) found->pdata[1])->id, ==, out_7_1);

  /* The other category has its own. */
  g_clear_pointer (&found, g_ptr_array_unref);
  found = wh_incident_store_find_duplicates (fixture->store, "0102", lon, lat, at, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((WhIncident *) found->pdata[0])->id, ==, other_category);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = wh_incident_store_find_duplicates (fixture->store, "01", lon, lat, at, &error);
  g_assert_cmpuint (found->len, ==, 0);

  /* Far away, nothing. */
  g_clear_pointer (&found, g_ptr_array_unref);
  found = wh_incident_store_find_duplicates (fixture->store, "0101", lon + 0.01, lat, at, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  g_free (near);
  g_free (in_99);
  g_free (in_99_east);
  g_free (out_101);
  g_free (out_101_east);
  g_free (in_6_9);
  g_free (out_7_1);
  g_free (later);
  g_free (other_category);
  g_free (closed);
  g_free (not_accepted);
  g_free (no_location);
}

static WhOp *
add_reporter_op (Fixture       *fixture,
                 const char    *incident_id,
                 const WhActor *actor)
{
  WhOp *op;

  fixture->now += HOUR / 4;
  op = wh_op_new (WH_ACTION_ADD_REPORTER, incident_id, actor, fixture->now);
  wh_op_set_string (op, "source", "walk_in");
  wh_op_set_string (op, "reporter_name", "刘先生");
  wh_op_set_string (op, "reporter_phone", "13700002222");
  op->note = g_strdup ("楼下垃圾堆了三天，气味很大");
  return op;
}

static void
test_add_reporter (Fixture      *fixture,
                   gconstpointer data)
{
  g_autofree char *id = report (fixture, &(Report) { .title = "垃圾堆放", .lon = 116.35, .lat = 39.915 });
  g_autoptr (WhOp) op = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autoptr (WhIncident) before = wh_incident_store_get (fixture->store, id, NULL);
  g_autoptr (WhIncident) after = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  WhIncidentEvent *stored;
  guint outbox = wh_incident_store_count_outbox (fixture->store, NULL);

  step (fixture, id, WH_ACTION_REGISTER, NULL);
  step (fixture, id, WH_ACTION_WHISTLE, NULL);

  op = add_reporter_op (fixture, id, fixture->officer);
  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  g_assert_cmpint (event->action, ==, WH_ACTION_ADD_REPORTER);
  g_assert_cmpint (event->from_status, ==, WH_STATUS_WHISTLED);
  g_assert_cmpint (event->to_status, ==, WH_STATUS_WHISTLED);

  /* The incident stays where it was, with its first reporter; the second is in the
   * timeline, their words as the note and their contact in the fields only. */
  after = wh_incident_store_get (fixture->store, id, NULL);
  g_assert_cmpint (after->status, ==, WH_STATUS_WHISTLED);
  g_assert_cmpstr (after->reporter_name, ==, before->reporter_name);
  g_assert_cmpstr (after->reporter_phone, ==, before->reporter_phone);
  g_assert_cmpint (after->last_seq, ==, 4);
  events = wh_incident_store_list_events (fixture->store, id, NULL);
  stored = g_ptr_array_index (events, 3);
  g_assert_cmpint (stored->action, ==, WH_ACTION_ADD_REPORTER);
  g_assert_cmpstr (stored->note, ==, "楼下垃圾堆了三天，气味很大");
  g_assert_cmpstr (json_object_get_string_member (stored->payload, "reporter_name"), ==, "刘先生");
  g_assert_cmpstr (json_object_get_string_member (stored->payload, "reporter_phone"), ==, "13700002222");
  g_assert_cmpstr (json_object_get_string_member (stored->payload, "source"), ==, "walk_in");
  g_assert_null (strstr (stored->note, "13700002222"));
  g_assert_cmpuint (wh_incident_store_count_outbox (fixture->store, NULL), ==, outbox + 3);
  assert_search (fixture, "三天", id, NULL);
  assert_search (fixture, "13700002222", NULL);
  assert_search (fixture, "刘先生", NULL);

  /* The server takes it: its fields are known, and it survives the wire. */
  {
    g_autoptr (JsonNode) node = wh_op_to_json (op);
    g_autoptr (WhOp) back = wh_op_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_cmpint (back->action, ==, WH_ACTION_ADD_REPORTER);
    g_assert_true (wh_op_check_fields (back, &error));
    g_assert_no_error (error);
    wh_op_set_string (back, "reporter_email", "x@example.com");
    g_assert_false (wh_op_check_fields (back, &error));
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* Refused: by a unit liaison or the district; without a source; with nothing to say;
   * into a finished incident. Nothing is written then. */
  {
    g_autoptr (WhOp) liaison = add_reporter_op (fixture, id, fixture->liaison);
    g_autoptr (WhOp) district = add_reporter_op (fixture, id, fixture->district);
    g_autoptr (WhOp) no_source = add_reporter_op (fixture, id, fixture->officer);
    g_autoptr (WhOp) empty = add_reporter_op (fixture, id, fixture->officer);
    g_autoptr (WhIncidentEvent) none = NULL;

    none = wh_incident_store_apply (fixture->store, liaison, 0, &error);
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED);
    g_clear_error (&error);
    none = wh_incident_store_apply (fixture->store, district, 0, &error);
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED);
    g_clear_error (&error);
    json_object_remove_member (no_source->fields, "source");
    none = wh_incident_store_apply (fixture->store, no_source, 0, &error);
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
    g_clear_error (&error);
    json_object_remove_member (empty->fields, "reporter_name");
    json_object_remove_member (empty->fields, "reporter_phone");
    g_clear_pointer (&empty->note, g_free);
    empty->note = g_strdup ("  ");
    none = wh_incident_store_apply (fixture->store, empty, 0, &error);
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (none);
  }

  step (fixture, id, WH_ACTION_ACKNOWLEDGE, NULL);
  step (fixture, id, WH_ACTION_START, NULL);
  step (fixture, id, WH_ACTION_FEEDBACK, "已清理");
  step (fixture, id, WH_ACTION_VERIFY_PASS, NULL);
  step (fixture, id, WH_ACTION_CLOSE, NULL);
  {
    g_autoptr (WhOp) late = add_reporter_op (fixture, id, fixture->officer);
    g_autoptr (WhIncidentEvent) none = wh_incident_store_apply (fixture->store, late, 0, &error);

    g_assert_null (none);
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED);
  }
  g_clear_object (&after);
  after = wh_incident_store_get (fixture->store, id, NULL);
  g_assert_cmpint (after->last_seq, ==, 9);
}

/* ---- The multiplied cache ------------------------------------------------------------- */

static void
test_multiply (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "multiply.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (path, &error);
  g_autoptr (WhIncidentStore) store = NULL;
  WhDemoOptions options;
  gint64 n, events, units, notes;
  sqlite3_stmt *stmt;
  guint checked = 0;

  g_assert_no_error (error);
  wh_demo_options_init (&options, end_time);
  options.n_incidents = 300;
  options.months = 2;
  g_assert_true (wh_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  n = sql_int (db, "SELECT count(*) FROM incident");
  events = sql_int (db, "SELECT count(*) FROM incident_event");
  units = sql_int (db, "SELECT count(*) FROM incident_unit");
  notes = sql_int (db, "SELECT count(*) FROM incident_note_search");

  g_assert_true (wh_demo_multiply (db, 1, &error));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM incident"), ==, n);
  g_assert_true (wh_demo_multiply (db, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM incident"), ==, 3 * n);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM incident_event"), ==, 3 * events);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM incident_unit"), ==, 3 * units);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM incident_search"), ==, 3 * n);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM incident_note_search"), ==, 3 * notes);
  /* Numbers stay of the form STREET-YYYYMMDD-NNNN, on the local day of the report. */
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM incident WHERE substr (number, 11, 8) != "
                                "strftime ('%%Y%%m%%d', reported_at / 1000000 + 28800, 'unixepoch')"),
                   ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(DISTINCT number) FROM incident"), ==, 3 * n);
  g_assert_cmpint (sql_int (db, "SELECT max (reported_at) FROM incident"), <=, end_time);

  /* Each copy is what its own timeline adds up to, a whole number of weeks earlier. */
  store = wh_incident_store_new (db);
  stmt = wh_db_prepare (db, "SELECT c.id, o.id FROM incident c JOIN incident o "
                            "ON substr (o.id, 9) = substr (c.id, 9) AND o.rowid <= ?1 "
                            "WHERE c.rowid > ?1 AND c.rowid % 37 = 0", NULL);
  sqlite3_bind_int64 (stmt, 1, n);
  {
    g_autoptr (GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_ptr_array_add (pairs, g_strdup (wh_db_column_text (stmt, 0)));
        g_ptr_array_add (pairs, g_strdup (wh_db_column_text (stmt, 1)));
      }
    sqlite3_reset (stmt);
    for (guint k = 0; k < pairs->len; k += 2)
      {
        g_autoptr (WhIncident) copy = wh_incident_store_get (store, pairs->pdata[k], &error);
        g_autoptr (WhIncident) original = wh_incident_store_get (store, pairs->pdata[k + 1], &error);
        g_autoptr (GPtrArray) timeline = wh_incident_store_list_events (store, copy->id, &error);
        g_autoptr (WhIncident) replayed = wh_incident_new ();
        gint64 shift = original->reported_at - copy->reported_at;
        WhIncidentQuery q;

        g_assert_no_error (error);
        g_assert_cmpint (shift % WH_DEMO_MULTIPLY_SHIFT, ==, 0);
        g_assert_cmpint (shift, >, 0);
        g_assert_cmpstr (copy->number, !=, original->number);
        for (guint e = 0; e < timeline->len; e++)
          wh_incident_apply_event (replayed, g_ptr_array_index (timeline, e));
        g_assert_cmpstr (replayed->number, ==, copy->number);
        g_assert_cmpint (replayed->status, ==, copy->status);
        g_assert_cmpint (replayed->reported_at, ==, copy->reported_at);
        g_assert_cmpint (replayed->response_due_at, ==, copy->response_due_at);
        g_assert_cmpint (replayed->handling_due_at, ==, copy->handling_due_at);
        g_assert_cmpint (replayed->closed_at, ==, copy->closed_at);
        g_assert_cmpint (replayed->updated_at, ==, copy->updated_at);
        g_assert_cmpint (replayed->last_seq, ==, copy->last_seq);
        g_assert_cmpuint (replayed->units->len, ==, copy->units->len);
        g_assert_cmpint (copy->handling_due_at ? original->handling_due_at - copy->handling_due_at : shift,
                         ==, shift);
        /* Its number finds it. */
        wh_incident_query_init (&q);
        q.search = copy->number;
        g_assert_cmpuint (wh_incident_store_count (store, &q, NULL), ==, 1);
        checked++;
      }
  }
  g_assert_cmpuint (checked, >, 5);

  /* Copies are not copied again. */
  g_assert_false (wh_demo_multiply (db, 2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM incident"), ==, 3 * n);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  WhDemoOptions options;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("whistle-incident-query-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmp_dir, "demo.db", NULL);
  end_time = fixed_end ();
  demo_db = wh_db_open (path, &error);
  g_assert_no_error (error);
  wh_demo_options_init (&options, end_time);
  options.n_incidents = N_DEMO_INCIDENTS;
  options.months = 3;
  g_assert_true (wh_demo_generate (demo_db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* A roster whose order is neither the units' rows nor free of ties, so that sorting by
   * lead unit shows both what decides and what breaks a tie. */
  g_assert_true (wh_db_exec (demo_db, "UPDATE unit SET sort_order = (rowid * 7) % 11", &error));
  g_assert_no_error (error);
  load_reference ();

  g_test_add_func ("/incident-query/init", test_init);
  g_test_add_func ("/incident-query/views", test_views);
  g_test_add_func ("/incident-query/filters", test_filters);
  g_test_add_func ("/incident-query/sort", test_sort);
  g_test_add_func ("/incident-query/by-sort-index", test_by_sort_index);
  g_test_add_func ("/incident-query/map-points", test_points);
  g_test_add_func ("/incident-query/search/demo", test_search_demo);
  g_test_add ("/incident-query/search/hand-made", Fixture, NULL, fixture_set_up, test_search,
              fixture_tear_down);
  g_test_add ("/incident-query/fresh", Fixture, NULL, fixture_set_up, test_fresh,
              fixture_tear_down);
  g_test_add ("/incident-query/duplicates", Fixture, NULL, fixture_set_up, test_duplicates,
              fixture_tear_down);
  g_test_add ("/incident-query/add-reporter", Fixture, NULL, fixture_set_up, test_add_reporter,
              fixture_tear_down);
  g_test_add_func ("/incident-query/multiply", test_multiply);

  ret = g_test_run ();

  g_clear_object (&demo_db);
  g_ptr_array_unref (ref.rows);
  g_hash_table_unref (ref.by_id);
  g_hash_table_unref (ref.parent);
  g_hash_table_unref (ref.community);
  g_hash_table_unref (ref.unit_order);
  {
    g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (tmp_dir, name, NULL);
        g_remove (child);
      }
  }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
