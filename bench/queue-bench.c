/* queue-bench.c — the queue's interactions on a cache of 1,000,000 incidents
 *
 *   queue-bench --cache FILE [--runs 7] [--factor 50] [--page 50] [--mmap MIB]
 *
 * Makes FILE when it is missing (the 20,000-incident demo street, 2026-11-22, multiplied by
 * --factor with wh_demo_multiply()) and keeps it for the next run. Then times what the
 * queue does when the duty officer acts: count the rows of the query and read its first
 * page (the lazy model needs both), for the first page after opening the cache, for a
 * change of view or filter, for a sort on every column both ways, and for searches.
 *
 * The store remembers counts and a search's hits until the data changes, so before every
 * timed run the bench changes a row of its own: each figure is what the duty officer waits
 * for a query not asked before (for a sort change: with the filter's count already known,
 * as it is when only the order changes). Each figure is the median of --runs runs; "cold"
 * is the first run after opening (statements not prepared, pages not read yet), "again"
 * the same query asked twice with nothing changed in between. The goal is under 50 ms.
 *
 * The connection is the desk's (wh_db_open()); --mmap maps that many MiB of the file
 * into memory (PRAGMA mmap_size), to show what reading pages without a system call each
 * would change.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wh-demo-multiply.h"
#include "wh-demo-street.h"
#include "wh-incident-store.h"

#define GOAL_MS 50.0

static guint runs = 7;
static guint page_size = 50;
static guint n_over;

static gint64
end_of_demo (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) dt = g_date_time_new (tz, 2026, 11, 22, 23, 59, 59);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static gint64
query_int (WhDb       *db,
           const char *sql)
{
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, NULL);
  gint64 value = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return value;
}

static char *
query_text (WhDb       *db,
            const char *sql)
{
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, NULL);
  char *value = NULL;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    value = wh_db_column_dup_text (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return value;
}

static WhDb *
open_cache (const char *path,
            guint       factor)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autofree char *multiplied = NULL;
  WhDemoOptions options;
  gint64 started;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      db = wh_db_open (path, &error);
      if (db != NULL)
        multiplied = wh_db_get_meta (db, "demo_multiplied");
      if (db != NULL && g_strcmp0 (multiplied, "") != 0 && multiplied != NULL &&
          (guint) atoi (multiplied) == factor &&
          query_int (db, "SELECT count(*) FROM incident") == (gint64) WH_DEMO_DEFAULT_INCIDENTS * factor)
        return g_steal_pointer (&db);
      g_clear_object (&db);
      g_clear_error (&error);
      fprintf (stderr, "queue-bench: %s is not a %u × 20,000 cache; making it again\n", path, factor);
      for (const char *suffix = ""; suffix != NULL;
           suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
        {
          g_autofree char *file = g_strconcat (path, suffix, NULL);

          g_unlink (file);
        }
    }

  started = g_get_monotonic_time ();
  db = wh_db_open (path, &error);
  if (db == NULL)
    g_error ("%s: %s", path, error->message);
  wh_demo_options_init (&options, end_of_demo ());
  if (!wh_demo_generate (db, &options, NULL, NULL, NULL, &error))
    g_error ("demo: %s", error->message);
  printf ("%-46s %7.1f s\n", "cache: demo street, 20,000 incidents",
          (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  started = g_get_monotonic_time ();
  if (!wh_demo_multiply (db, factor, &error))
    g_error ("multiply: %s", error->message);
  printf ("%-46s %7.1f s\n", "cache: wh_demo_multiply",
          (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  return g_steal_pointer (&db);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* A change of data, as when an incident arrives: what the store remembers is void. */
static void
touch (WhIncidentStore *store)
{
  static gint64 n;
  g_autofree char *sql = g_strdup_printf ("INSERT OR REPLACE INTO meta (key, value) "
                                          "VALUES ('queue_bench', '%" G_GINT64_FORMAT "')", ++n);
  g_autoptr (GError) error = NULL;

  if (!wh_db_exec (wh_incident_store_get_db (store), sql, &error))
    g_error ("%s", error->message);
}

/* Counts the query and reads its first page, as the queue's model does after a change. */
static double
interaction (WhIncidentStore       *store,
             const WhIncidentQuery *query,
             gboolean               counted,
             guint                 *count)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) page = NULL;
  gint64 started;

  if (counted)
    wh_incident_store_count (store, query, NULL);
  started = g_get_monotonic_time ();
  *count = wh_incident_store_count (store, query, &error);
  if (error != NULL)
    g_error ("count: %s", error->message);
  page = wh_incident_store_list (store, query, 0, page_size, &error);
  if (page == NULL)
    g_error ("list: %s", error->message);
  if (page->len != MIN (*count, page_size))
    g_error ("a page of %u rows for a count of %u", page->len, *count);
  return (g_get_monotonic_time () - started) / 1000.0;
}

/* @counted: the query's count is known before (only the order changed). */
static void
measure_with (WhIncidentStore       *store,
              const char            *name,
              const WhIncidentQuery *query,
              gboolean               counted)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint count = 0;
  double cold, again, median, worst;

  touch (store);
  cold = interaction (store, query, counted, &count);
  for (guint i = 0; i < runs; i++)
    {
      double t;

      touch (store);
      t = interaction (store, query, counted, &count);
      g_array_append_val (times, t);
    }
  again = interaction (store, query, FALSE, &count);
  g_array_sort (times, compare_doubles);
  median = g_array_index (times, double, times->len / 2);
  worst = g_array_index (times, double, times->len - 1);
  if (median >= GOAL_MS)
    n_over++;
  printf ("%-46s %7.1f ms  (worst %6.1f, cold %7.1f, again %5.1f)  %8u rows%s\n", name, median,
          worst, cold, again, count, median >= GOAL_MS ? "  OVER" : "");
}

static void
measure (WhIncidentStore       *store,
         const char            *name,
         const WhIncidentQuery *query)
{
  measure_with (store, name, query, FALSE);
}

static const char *const view_names[WH_N_INCIDENT_VIEWS] = {
  "all", "open", "awaiting whistle", "awaiting report-in", "in progress",
  "awaiting verification", "overdue", "escalated", "returned", "closed today", "mine",
};

static const char *const column_names[WH_N_INCIDENT_COLUMNS] = {
  "reported", "number", "priority", "category", "title", "grid", "lead unit", "status",
  "deadline", "source", "last change",
};

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = NULL;
  int n_runs = 7, factor = 50, page = 50, mmap_mib = 0;
  GOptionEntry entries[] = {
    { "cache", 0, 0, G_OPTION_ARG_FILENAME, &cache, "The cache to use, made when missing", "FILE" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs per figure (default 7)", "N" },
    { "factor", 0, 0, G_OPTION_ARG_INT, &factor, "Copies of the 20,000 demo incidents (default 50)", "N" },
    { "page", 0, 0, G_OPTION_ARG_INT, &page, "Rows per page (default 50)", "N" },
    { "mmap", 0, 0, G_OPTION_ARG_INT, &mmap_mib, "Map this many MiB of the cache (default 0: as the desk)", "MIB" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhIncidentStore) store = NULL;
  g_autofree char *category_class = NULL;
  g_autofree char *category = NULL;
  g_autofree char *community = NULL;
  g_autofree char *grid = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  g_autofree char *address = NULL;
  WhIncidentQuery q;
  gint64 end = end_of_demo ();

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || cache == NULL || n_runs < 1 ||
      factor < 1 || page < 1)
    {
      fprintf (stderr, "queue-bench: %s\n", error ? error->message : "give --cache FILE");
      return EXIT_FAILURE;
    }
  runs = n_runs;
  page_size = page;

  db = open_cache (cache, factor);
  printf ("%-46s %7u\n", "incidents", (guint) query_int (db, "SELECT count(*) FROM incident"));
  if (mmap_mib > 0)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA mmap_size = %" G_GINT64_FORMAT,
                                                 (gint64) mmap_mib << 20);

      if (!wh_db_exec (db, pragma, &error))
        g_error ("%s", error->message);
      printf ("%-46s %7" G_GINT64_FORMAT " MiB\n", "mmap_size", query_int (db, "PRAGMA mmap_size") >> 20);
    }
  store = wh_incident_store_new (db);

  /* Values the filters pick, as a duty officer would: a busy class and category, the first
   * community and cell, the usual lead unit, an officer on duty. */
  category_class = query_text (db, "SELECT code FROM category WHERE parent_code IS NULL ORDER BY code LIMIT 1");
  category = query_text (db, "SELECT category_code FROM incident WHERE rowid <= 20000 "
                             "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
  community = query_text (db, "SELECT id FROM community ORDER BY id LIMIT 1");
  grid = query_text (db, "SELECT id FROM grid_cell ORDER BY id LIMIT 1");
  unit = query_text (db, "SELECT lead_unit_id FROM incident WHERE rowid <= 20000 AND lead_unit_id "
                         "IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
  actor = query_text (db, "SELECT actor_id FROM incident_event WHERE action = 'register' "
                          "ORDER BY at DESC LIMIT 1");
  number = query_text (db, "SELECT number FROM incident ORDER BY rowid DESC LIMIT 1");
  title = query_text (db, "SELECT title FROM incident WHERE rowid = 7");
  address = query_text (db, "SELECT substr (address, 4, 4) FROM incident WHERE rowid = 11");

  printf ("\nFirst page (count + %u rows), median of %u runs\n", page_size, runs);
  wh_incident_query_init (&q);
  q.now = end;
  measure (store, "first page: all, newest first", &q);
  q.view = WH_INCIDENT_VIEW_OPEN;
  measure (store, "first page: open, newest first", &q);

  printf ("\nView change\n");
  for (int v = 0; v < WH_N_INCIDENT_VIEWS; v++)
    {
      g_autofree char *name = g_strdup_printf ("view: %s", view_names[v]);

      wh_incident_query_init (&q);
      q.now = end;
      q.view = v;
      q.actor_id = actor;
      measure (store, name, &q);
    }

  printf ("\nFilter change (view all, then open)\n");
  for (int open = 0; open <= 1; open++)
    {
      const char *view = open ? "open" : "all";
      g_autofree char *n1 = g_strdup_printf ("filter (%s): category class %s", view, category_class);
      g_autofree char *n2 = g_strdup_printf ("filter (%s): category %s", view, category);
      g_autofree char *n3 = g_strdup_printf ("filter (%s): community", view);
      g_autofree char *n4 = g_strdup_printf ("filter (%s): grid cell", view);
      g_autofree char *n5 = g_strdup_printf ("filter (%s): unit", view);
      g_autofree char *n6 = g_strdup_printf ("filter (%s): source hotline", view);
      g_autofree char *n7 = g_strdup_printf ("filter (%s): priority critical", view);
      g_autofree char *n8 = g_strdup_printf ("filter (%s): reported last 30 days", view);
      g_autofree char *n9 = g_strdup_printf ("filter (%s): status", view);
      g_autofree char *n10 = g_strdup_printf ("filter (%s): class + hotline + 30 days", view);

#define FILTER(name, statement)                                                  \
  G_STMT_START {                                                                 \
    wh_incident_query_init (&q);                                                 \
    q.now = end;                                                                 \
    q.view = open ? WH_INCIDENT_VIEW_OPEN : WH_INCIDENT_VIEW_ALL;                \
    statement;                                                                   \
    measure (store, name, &q);                                                   \
  } G_STMT_END

      FILTER (n1, q.category_code = category_class);
      FILTER (n2, q.category_code = category);
      FILTER (n3, q.community_id = community);
      FILTER (n4, q.grid_id = grid);
      FILTER (n5, q.unit_id = unit);
      FILTER (n6, q.source = "hotline");
      FILTER (n7, q.priority = 2);
      FILTER (n8, q.reported_from = end - 30 * G_TIME_SPAN_DAY);
      FILTER (n9, q.status = open ? WH_STATUS_WHISTLED : WH_STATUS_RATED);
      FILTER (n10, q.category_code = category_class; q.source = "hotline";
              q.reported_from = end - 30 * G_TIME_SPAN_DAY);
#undef FILTER
    }

  printf ("\nSort change (view all, then open)\n");
  for (int open = 0; open <= 1; open++)
    for (int column = 0; column < WH_N_INCIDENT_COLUMNS; column++)
      for (int descending = 0; descending <= 1; descending++)
        {
          g_autofree char *name = g_strdup_printf ("sort (%s): %s %s", open ? "open" : "all",
                                                   column_names[column],
                                                   descending ? "descending" : "ascending");

          wh_incident_query_init (&q);
          q.now = end;
          q.view = open ? WH_INCIDENT_VIEW_OPEN : WH_INCIDENT_VIEW_ALL;
          q.sort_column = column;
          q.descending = descending;
          measure_with (store, name, &q, TRUE);
        }

  printf ("\nSearch (view all, newest first)\n");
  {
    const char *chinese_2 = "扰民";
    const char *chinese_3 = "占道经";
    g_autofree char *from_title_2 = g_utf8_substring (title, 0, 2);
    g_autofree char *tail_4 = g_strdup (number + strlen (number) - 4);
    g_autofree char *day = g_strndup (number + 10, 8);
    struct {
      const char *name;
      const char *text;
    } searches[] = {
      { "search: Chinese, 2 characters (扰民)", chinese_2 },
      { "search: Chinese, 2 characters (a title's)", from_title_2 },
      { "search: Chinese, 3 characters (占道经)", chinese_3 },
      { "search: Chinese, 1 character (路)", "路" },
      { "search: a whole number", number },
      { "search: a number's last 4 digits", tail_4 },
      { "search: a number's day", day },
      { "search: an address (4 characters of one)", address },
    };

    for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
      {
        wh_incident_query_init (&q);
        q.now = end;
        q.search = searches[i].text;
        measure (store, searches[i].name, &q);
      }
    for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
      {
        g_autofree char *name = g_strdup_printf ("%s, open", searches[i].name);

        wh_incident_query_init (&q);
        q.now = end;
        q.view = WH_INCIDENT_VIEW_OPEN;
        q.search = searches[i].text;
        measure (store, name, &q);
      }
  }

  /* Scrolling: a page far down the list (the count known, the page not). OFFSET paging
   * reads past every row before the page; without a filter an index alone does that. */
  printf ("\nScrolling (one page at a deep offset; not part of the goal)\n");
  {
    struct {
      const char      *name;
      WhIncidentView   view;
      const char      *source;
      WhIncidentColumn column;
      guint            offset;
    } pages[] = {
      { "page: all, newest first, row 500,000", WH_INCIDENT_VIEW_ALL, NULL, WH_INCIDENT_COLUMN_REPORTED, 500000 },
      { "page: all, by title, row 500,000", WH_INCIDENT_VIEW_ALL, NULL, WH_INCIDENT_COLUMN_TITLE, 500000 },
      { "page: all, newest first, the last", WH_INCIDENT_VIEW_ALL, NULL, WH_INCIDENT_COLUMN_REPORTED, 999950 },
      { "page: open, newest first, row 7,000", WH_INCIDENT_VIEW_OPEN, NULL, WH_INCIDENT_COLUMN_REPORTED, 7000 },
      { "page: hotline, newest first, row 100,000", WH_INCIDENT_VIEW_ALL, "hotline", WH_INCIDENT_COLUMN_REPORTED, 100000 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
      {
        g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

        wh_incident_query_init (&q);
        q.now = end;
        q.view = pages[i].view;
        q.source = pages[i].source;
        q.sort_column = pages[i].column;
        for (guint r = 0; r < MAX (3u, runs / 2); r++)
          {
            g_autoptr (GPtrArray) rows = NULL;
            gint64 started;
            double t;

            wh_incident_store_count (store, &q, NULL);
            started = g_get_monotonic_time ();
            rows = wh_incident_store_list (store, &q, pages[i].offset, page_size, &error);
            if (rows == NULL)
              g_error ("list: %s", error->message);
            t = (g_get_monotonic_time () - started) / 1000.0;
            g_array_append_val (times, t);
          }
        g_array_sort (times, compare_doubles);
        printf ("%-46s %7.1f ms\n", pages[i].name, g_array_index (times, double, times->len / 2));
      }
  }

  /* The new-incident form's hint: open incidents of the category within 100 m and 7 days,
   * asked at places and times of open incidents. */
  printf ("\nDuplicates of a new report (wh_incident_store_find_duplicates)\n");
  {
    g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
    sqlite3_stmt *stmt = wh_db_prepare (db,
                                        "SELECT category_code, lon, lat, reported_at FROM incident "
                                        "WHERE status IN ('reported', 'whistled', 'in_progress') "
                                        "AND lon IS NOT NULL ORDER BY rowid DESC LIMIT 25", NULL);
    g_autoptr (GPtrArray) spots = g_ptr_array_new_with_free_func (g_free);
    guint found = 0;

    while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_ptr_array_add (spots, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
        g_ptr_array_add (spots, g_strdup_printf ("%.7f %.7f %" G_GINT64_FORMAT,
                                                 sqlite3_column_double (stmt, 1),
                                                 sqlite3_column_double (stmt, 2),
                                                 (gint64) sqlite3_column_int64 (stmt, 3) + G_TIME_SPAN_HOUR));
      }
    if (stmt != NULL)
      sqlite3_reset (stmt);
    for (guint i = 0; i + 1 < spots->len; i += 2)
      {
        g_autoptr (GPtrArray) duplicates = NULL;
        double lon, lat, t;
        gint64 at, started;

        sscanf (spots->pdata[i + 1], "%lf %lf %" G_GINT64_FORMAT, &lon, &lat, &at);
        started = g_get_monotonic_time ();
        duplicates = wh_incident_store_find_duplicates (store, spots->pdata[i], lon, lat, at, &error);
        if (duplicates == NULL)
          g_error ("duplicates: %s", error->message);
        t = (g_get_monotonic_time () - started) / 1000.0;
        found += duplicates->len;
        g_array_append_val (times, t);
      }
    if (times->len > 0)
      {
        double median, worst;

        g_array_sort (times, compare_doubles);
        median = g_array_index (times, double, times->len / 2);
        worst = g_array_index (times, double, times->len - 1);
        if (median >= GOAL_MS)
          n_over++;
        printf ("%-46s %7.1f ms  (worst %6.1f, %u places, %u candidates)%s\n",
                "duplicates within 100 m and 7 days", median, worst, times->len, found,
                median >= GOAL_MS ? "  OVER" : "");
      }
  }

  printf ("\n%u figure(s) at or over %.0f ms\n", n_over, GOAL_MS);
  return EXIT_SUCCESS;
}
