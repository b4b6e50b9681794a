/* desk-bench.c — the desk from start to the queue's first page, its memory, and the
 * queue's interactions
 *
 *   desk-bench --cache DB [--start-ns NS] [--repeat 5] [--settle 3]
 *
 * One run is one desk process, as an officer starts it: the application, the window on the
 * cache (wh_application_open_window(), the path of `whistle --cache DB`), the queue page.
 * It prints, one "key value" per line:
 *   first_page_ms  from --start-ns (CLOCK_REALTIME of the caller just before it started this
 *                  process; else from main()) to the end of the first frame painted with
 *                  rows of the queue bound
 *   renderer       what GTK draws with ("cairo" on software OpenGL, see wh-renderer.h)
 *   rss_kib        VmRSS once the desk has settled (the views counted, --settle seconds idle)
 *   hwm_kib        VmHWM, the peak
 *   view_ms, filter_ms, sort_ms, search_ms
 *                  medians over --repeat of: a change of the filter (view "overdue" ↔ "all
 *                  open"; a category class ↔ none; sort by number ↔ by deadline; a search of
 *                  two characters ↔ none) to the end of the next frame painted with the
 *                  new list's rows
 * bench/desk-bench.sh runs it several times on 20,000 and 1,000,000 incidents.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "queue/wh-incident-list-model.h"
#include "queue/wh-queue-page.h"
#include "wh-application.h"
#include "wh-renderer.h"
#include "wh-window.h"

typedef struct
{
  WhQueuePage *page;
  guint        fetches_before;
  gboolean     waiting;
  gboolean     done;
  gint64       end;
} Wait;

static gint64
realtime_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A frame has been painted with the list's rows bound: the page's model has read a page
 * since the change (or the list is empty), and the list shows. */
static void
on_after_paint (GdkFrameClock *clock, Wait *wait)
{
  GListModel *model;

  if (!wait->waiting || wait->page == NULL)
    return;
  model = wh_queue_page_get_model (wait->page);
  if (model == NULL || !gtk_widget_get_mapped (GTK_WIDGET (wait->page)))
    return;
  if (g_list_model_get_n_items (model) > 0 &&
      wh_incident_list_model_get_n_fetches (WH_INCIDENT_LIST_MODEL (model)) <= wait->fetches_before)
    return;
  wait->end = realtime_ns ();
  wait->waiting = FALSE;
  wait->done = TRUE;
}

static void
run_until_done (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
idle_for (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
}

static gint64
read_status_kib (const char *key)
{
  g_autofree char *status = NULL;
  const char      *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (key) + 1, NULL, 10);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

typedef void (*Change) (WhQueueFilter *filter, gboolean forth, gpointer data);

/* Times @change back and forth, @repeat times each way; the median in ms. */
static double
time_change (Wait *wait, WhQueueFilter *filter, Change change, gpointer data, guint repeat)
{
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  double median;

  for (guint i = 0; i < 2 * repeat; i++)
    {
      gint64 start;
      double t;

      idle_for (0.2);
      wait->fetches_before =
        wh_incident_list_model_get_n_fetches (WH_INCIDENT_LIST_MODEL (wh_queue_page_get_model (wait->page)));
      wait->done = FALSE;
      wait->waiting = TRUE;
      start = realtime_ns ();
      change (filter, i % 2 == 0, data);
      gtk_widget_queue_draw (GTK_WIDGET (wait->page));
      run_until_done (wait);
      t = (wait->end - start) / 1e6;
      g_array_append_val (ms, t);
    }
  g_array_sort (ms, compare_double);
  median = ms->len % 2 ? g_array_index (ms, double, ms->len / 2)
                       : (g_array_index (ms, double, ms->len / 2 - 1) +
                          g_array_index (ms, double, ms->len / 2)) / 2;
  return median;
}

static void
change_view (WhQueueFilter *filter, gboolean forth, gpointer data)
{
  wh_queue_filter_set_view (filter, forth ? WH_INCIDENT_VIEW_OVERDUE : WH_INCIDENT_VIEW_OPEN);
}

static void
change_category (WhQueueFilter *filter, gboolean forth, gpointer data)
{
  wh_queue_filter_set_category_code (filter, forth ? data : NULL);
}

static void
change_sort (WhQueueFilter *filter, gboolean forth, gpointer data)
{
  wh_queue_filter_set_sort (filter, forth ? WH_INCIDENT_COLUMN_NUMBER : WH_INCIDENT_COLUMN_DEADLINE,
                            FALSE);
}

static void
change_search (WhQueueFilter *filter, gboolean forth, gpointer data)
{
  wh_queue_filter_set_search (filter, forth ? data : NULL);
}

static void
on_realize (GtkWidget *window, Wait *wait)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), wait);
}

int
main (int argc, char *argv[])
{
  gint64 start = realtime_ns ();
  g_autofree char *cache = NULL;
  gint64           start_ns = 0;
  int              repeat = 5;
  double           settle = 3;
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) options = NULL;
  g_autoptr (WhApplication) app = NULL;
  GOptionEntry entries[] = {
    { "cache", 0, 0, G_OPTION_ARG_FILENAME, &cache, "The cache to open", "DB" },
    { "start-ns", 0, 0, G_OPTION_ARG_INT64, &start_ns,
      "CLOCK_REALTIME in ns when the caller started this process", "NS" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs of each interaction each way", "N" },
    { "settle", 0, 0, G_OPTION_ARG_DOUBLE, &settle, "Seconds idle before reading memory", "S" },
    { NULL }
  };
  WhWindow      *window;
  WhQueueFilter *filter;
  WhContext     *context;
  WhQueueCounts *counts;
  Wait           wait = { 0 };
  g_autofree char *category = NULL;

  options = g_option_context_new (NULL);
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || cache == NULL)
    {
      g_printerr ("desk-bench: %s\n", error ? error->message : "--cache is needed");
      return 2;
    }
  if (start_ns == 0)
    start_ns = start;

  gtk_init ();
  app = wh_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("desk-bench: %s\n", error->message);
      return 1;
    }
  wh_application_set_cache_path (app, cache);
  wh_application_set_start_page (app, "queue");

  /* Wait for the first frame from the start, as the officer does. */
  wait.waiting = TRUE;
  window = wh_application_open_window (app);
  wait.page = WH_QUEUE_PAGE (wh_window_get_page (window, "queue"));
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_realize (GTK_WIDGET (window), &wait);
  else
    g_signal_connect (window, "realize", G_CALLBACK (on_realize), &wait);
  run_until_done (&wait);
  printf ("first_page_ms %.1f\n", (wait.end - start_ns) / 1e6);
  printf ("rows %u\n", g_list_model_get_n_items (wh_queue_page_get_model (wait.page)));
  printf ("renderer %s\n", wh_renderer_describe (GTK_WIDGET (window)));
  fflush (stdout);

  /* Settled: the views counted, nothing left to do. */
  counts = wh_queue_page_get_counts (wait.page);
  while (counts != NULL && (wh_queue_counts_get_n_rounds (counts) == 0 ||
                            wh_queue_counts_is_busy (counts)))
    g_main_context_iteration (NULL, TRUE);
  idle_for (settle);
  printf ("rss_kib %" G_GINT64_FORMAT "\n", read_status_kib ("VmRSS:"));
  printf ("hwm_kib %" G_GINT64_FORMAT "\n", read_status_kib ("VmHWM:"));
  fflush (stdout);

  /* Interactions. */
  filter = wh_queue_page_get_filter (wait.page);
  context = wh_window_get_context (window);
  {
    sqlite3_stmt *stmt = NULL;

    /* The busiest category class: a filter that keeps many rows. */
    if (sqlite3_prepare_v2 (wh_db_get_handle (wh_context_get_db (context)),
                            "SELECT parent_code FROM category WHERE parent_code IS NOT NULL "
                            "GROUP BY parent_code ORDER BY count(*) DESC LIMIT 1",
                            -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW)
      category = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  printf ("view_ms %.1f\n", time_change (&wait, filter, change_view, NULL, repeat));
  printf ("filter_ms %.1f\n", time_change (&wait, filter, change_category, category, repeat));
  printf ("sort_ms %.1f\n", time_change (&wait, filter, change_sort, NULL, repeat));
  /* Two characters, as an officer types them: a common word of the demo's texts. */
  printf ("search_ms %.1f\n", time_change (&wait, filter, change_search, "门口", repeat));
  fflush (stdout);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
