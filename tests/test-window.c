/* test-window.c — the desk opens on a demo cache and every page shows real data
 *
 * Runs under a display (xvfb-run in the test command). The window is made through the
 * same path as `whistle --cache FILE` (wh_application_open_window), then every page is
 * visited and checked against the stores. A corrupt cache must not crash and must offer
 * to move the file aside; an empty cache must offer the demo street and load it.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "ui-harness.h"
#include "wh-application.h"
#include "wh-demo-street.h"
#include "wh-window.h"
#include "assessment/wh-assessment-page.h"
#include "map/wh-map-page.h"
#include "queue/wh-incident-list-model.h"
#include "queue/wh-queue-page.h"
#include "roster/wh-roster-page.h"
#include "wh-welcome-page.h"

#define N_INCIDENTS  1000
#define WAIT_SECONDS 60

static char          *tmp_dir;
static char          *demo_path;
static WhApplication *app;

/* Lets pending redraws, idles and layout run. */
static void
settle (void)
{
  ui_settle (150);
}

/* One application for the whole run, as in a real desk process: each test opens its own
 * window on its own cache through the activation path. */
static WhWindow *
open_window (const char *cache)
{
  WhWindow *window;

  wh_application_set_cache_path (app, cache);
  window = wh_application_open_window (app);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  settle ();
  return window;
}

static gint64
count_sql (WhContext *context, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64        value;

  g_assert_cmpint (
    sqlite3_prepare_v2 (wh_db_get_handle (wh_context_get_db (context)), sql, -1, &stmt, NULL), ==,
    SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* A point of @cell, in map coordinates, where no incident dot is drawn: clicking there
 * means the cell. */
static gboolean
free_point_in_cell (WhMapPage *page, WhGridCell *cell, double *x, double *y)
{
  ShumateMap      *map = wh_map_page_get_map (page);
  ShumateViewport *viewport = shumate_map_get_viewport (map);

  for (int i = 0; i <= 8; i++)
    for (int j = 0; j <= 8; j++)
      {
        double lon = cell->min_lon + (cell->max_lon - cell->min_lon) * (0.1 + 0.1 * ((i + 4) % 9));
        double lat = cell->min_lat + (cell->max_lat - cell->min_lat) * (0.1 + 0.1 * ((j + 4) % 9));

        if (!wh_grid_cell_contains (cell, lon, lat))
          continue;
        shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (map), lat, lon, x, y);
        if (wh_incident_layer_hit (wh_map_page_get_incident_layer (page), *x, *y, NULL) < 0)
          return TRUE;
      }
  return FALSE;
}

static void
check_map (WhWindow *window, WhContext *context)
{
  WhMapPage       *page = WH_MAP_PAGE (wh_window_get_page (window, "map"));
  WhGridLayer     *grid = wh_map_page_get_grid_layer (page);
  WhIncidentLayer *incidents = wh_map_page_get_incident_layer (page);
  ShumateMap      *map = wh_map_page_get_map (page);
  g_autoptr (GListModel) cells = NULL;
  g_autoptr (WhGridCell) cell = NULL;
  double x, y;

  g_assert_true (wh_window_show_page (window, "map"));
  settle ();
  g_assert_cmpstr (wh_window_get_visible_page (window), ==, "map");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (map)));

  g_assert_cmpuint (wh_grid_layer_get_n_cells (grid), >, 0);
  g_assert_cmpuint (wh_grid_layer_get_n_cells (grid), ==,
                    count_sql (context, "SELECT count(*) FROM grid_cell"));
  g_assert_cmpuint (wh_incident_layer_get_n_points (incidents), ==,
                    count_sql (context, "SELECT count(*) FROM incident WHERE lon IS NOT NULL "
                                        "AND status NOT IN ('not_accepted', 'closed', 'rated')"));
  g_assert_cmpuint (wh_incident_layer_get_n_points (incidents), >, 0);
  /* The cache has no base map beside it: the page draws the demo street's own (on a worker,
   * with its progress on the map) and shows the grid meanwhile. */
  g_assert_true (wh_map_page_has_base_map (page) || wh_map_page_is_drawing_base_map (page));

  /* A click inside a cell, away from the dots, selects that cell and shows its card. */
  wh_map_page_show_street (page);
  settle ();
  cells = wh_grid_store_list_cells (wh_context_get_grid_store (context), NULL);
  cell = g_list_model_get_item (cells, g_list_model_get_n_items (cells) / 2);
  g_assert_true (free_point_in_cell (page, cell, &x, &y));
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (map)));
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (y, <, gtk_widget_get_height (GTK_WIDGET (map)));
  g_assert_cmpstr (wh_grid_layer_cell_at (grid, x, y)->id, ==, cell->id);
  g_assert_null (wh_grid_layer_cell_at (grid, -100, -100));

  g_assert_cmpstr (wh_map_page_get_cell_text (page), ==, "");
  wh_map_page_click (page, x, y);
  settle ();
  g_assert_cmpstr (wh_grid_layer_get_selected_cell (grid)->id, ==, cell->id);
  g_assert_nonnull (strstr (wh_map_page_get_cell_text (page), cell->id));
  g_assert_nonnull (strstr (wh_map_page_get_cell_text (page), cell->community_name));
}

/* The map and the queue share one selected incident, and a cell's card leads to the
 * queue narrowed to that cell. */
static void
check_map_and_queue (WhWindow *window, WhContext *context)
{
  WhMapPage             *map_page = WH_MAP_PAGE (wh_window_get_page (window, "map"));
  WhQueuePage           *queue = WH_QUEUE_PAGE (wh_window_get_page (window, "queue"));
  WhIncidentLayer       *incidents = wh_map_page_get_incident_layer (map_page);
  const WhIncidentPoint *point;
  g_autoptr (WhIncident) row = NULL;
  g_autofree char *point_id = NULL;
  WhGridCell      *cell;
  double           x, y;
  int              index = -1;
  guint            count = 0;

  g_assert_true (wh_window_show_page (window, "map"));
  settle ();

  /* A single dot on screen, clicked: its incident becomes the queue's too. */
  for (guint i = 0; i < wh_incident_layer_get_n_points (incidents) && index < 0; i++)
    if (wh_incident_layer_get_point_position (incidents, i, &x, &y) && x > 0 && y > 0 &&
        wh_incident_layer_hit (incidents, x, y, &count) == (int) i && count == 1)
      index = (int) i;
  g_assert_cmpint (index, >=, 0);
  point = wh_incident_layer_get_point (incidents, index);
  point_id = wh_grid_store_dup_incident_id (wh_context_get_grid_store (context), point->rowid);
  g_assert_nonnull (point_id);
  wh_map_page_click (map_page, x, y);
  settle ();
  g_assert_cmpint (wh_incident_layer_get_selected (incidents), ==, index);
  g_assert_cmpstr (wh_map_page_get_selected_incident (map_page), ==, point_id);
  g_assert_cmpstr (wh_queue_page_get_selected_incident (queue), ==, point_id);

  /* And back: a row chosen in the queue is marked on the map. */
  g_assert_true (wh_queue_page_set_view (queue, "open"));
  wh_queue_page_select (queue, 3);
  settle ();
  row = wh_incident_list_model_dup_incident (
    WH_INCIDENT_LIST_MODEL (wh_queue_page_get_model (queue)), 3);
  g_assert_cmpstr (wh_queue_page_get_selected_incident (queue), ==, row->id);
  g_assert_cmpstr (wh_map_page_get_selected_incident (map_page), ==, row->id);
  g_assert_cmpint (wh_incident_layer_get_selected (incidents), >=, 0);
  g_assert_cmpint (
    wh_incident_layer_get_point (incidents, wh_incident_layer_get_selected (incidents))->rowid, ==,
    wh_grid_store_lookup_incident_rowid (wh_context_get_grid_store (context), row->id));

  /* "Show in Queue" on a cell's card. */
  wh_map_page_show_street (map_page);
  settle ();
  cell = NULL;
  {
    g_autoptr (GListModel) cells =
      wh_grid_store_list_cells (wh_context_get_grid_store (context), NULL);

    for (guint i = 0; i < g_list_model_get_n_items (cells) && cell == NULL; i++)
      {
        g_autoptr (WhGridCell) c = g_list_model_get_item (cells, i);

        if (c->n_open > 0 && free_point_in_cell (map_page, c, &x, &y))
          {
            wh_map_page_click (map_page, x, y);
            cell = wh_grid_layer_get_selected_cell (wh_map_page_get_grid_layer (map_page));
          }
      }
  }
  g_assert_nonnull (cell);
  {
    g_autofree char *grid_id = g_strdup (cell->id);
    guint            n_open = cell->n_open;

    g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (map_page), "map.show-cell-in-queue", NULL));
    settle ();
    g_assert_cmpstr (wh_window_get_visible_page (window), ==, "queue");
    g_assert_cmpstr (wh_queue_page_get_grid_filter (queue), ==, grid_id);
    g_assert_cmpuint (g_list_model_get_n_items (wh_queue_page_get_model (queue)), ==, n_open);
    wh_queue_page_set_grid_filter (queue, NULL);
    settle ();
    g_assert_cmpuint (g_list_model_get_n_items (wh_queue_page_get_model (queue)), >, n_open);
  }
}

static void
check_queue (WhWindow *window, WhContext *context)
{
  WhQueuePage     *page = WH_QUEUE_PAGE (wh_window_get_page (window, "queue"));
  WhIncidentStore *store = wh_context_get_incident_store (context);
  GListModel      *model;
  g_autoptr (GError) error = NULL;
  g_autoptr (WhIncident) first = NULL;
  g_autoptr (GPtrArray) events = NULL;
  WhIncidentDetail *detail;
  guint             n, fetches;

  g_assert_true (wh_window_show_page (window, "queue"));
  settle ();
  g_assert_cmpstr (wh_window_get_visible_page (window), ==, "queue");

  /* The default view: every open incident; the model counts what the store counts. */
  g_assert_cmpstr (wh_queue_page_get_view (page), ==, "open");
  model = wh_queue_page_get_model (page);
  g_assert_nonnull (wh_queue_page_get_query (page));
  n = wh_incident_store_count (store, wh_queue_page_get_query (page), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);

  /* Every incident: the model is lazy. GTK 4.8 binds up to ~200 rows around the visible
   * ones, so a few pages of 100 are read, never all ten. */
  fetches = wh_incident_list_model_get_n_fetches (WH_INCIDENT_LIST_MODEL (model));
  g_assert_true (wh_queue_page_set_view (page, "all"));
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_INCIDENTS);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                    wh_incident_store_count (store, wh_queue_page_get_query (page), NULL));
  fetches = wh_incident_list_model_get_n_fetches (WH_INCIDENT_LIST_MODEL (model)) - fetches;
  g_test_message ("pages read for the first screen of %u incidents: %u", N_INCIDENTS, fetches);
  g_assert_cmpuint (fetches, >, 0);
  g_assert_cmpuint (fetches, <=, 4);

  /* Selecting a row shows that incident with its whole timeline. */
  wh_queue_page_select (page, 0);
  settle ();
  first = wh_incident_list_model_dup_incident (WH_INCIDENT_LIST_MODEL (model), 0);
  detail = wh_queue_page_get_detail (page);
  g_assert_cmpstr (wh_incident_detail_get_incident_id (detail), ==, first->id);
  events = wh_incident_store_list_events (store, first->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >, 0);
  g_assert_cmpuint (wh_incident_detail_get_n_events (detail), ==, events->len);
  {
    /* List rows come without their summoned units: the store's whole incident has them. */
    g_autoptr (WhIncident) whole = wh_incident_store_get (store, first->id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (wh_incident_detail_get_n_units (detail), ==,
                      whole->units ? whole->units->len : 0);
  }

  /* A row far down is read on demand, and the detail follows. */
  wh_queue_page_select (page, N_INCIDENTS - 1);
  settle ();
  {
    g_autoptr (WhIncident) last =
      wh_incident_list_model_dup_incident (WH_INCIDENT_LIST_MODEL (model), N_INCIDENTS - 1);
    g_autoptr (GPtrArray) last_events = wh_incident_store_list_events (store, last->id, NULL);

    g_assert_cmpstr (wh_incident_detail_get_incident_id (detail), ==, last->id);
    g_assert_cmpuint (wh_incident_detail_get_n_events (detail), ==, last_events->len);
  }

  /* The ready-made views count what their store counts. */
  g_assert_true (wh_queue_page_set_view (page, "overdue"));
  settle ();
  g_assert_cmpint (wh_queue_page_get_query (page)->view, ==, WH_INCIDENT_VIEW_OVERDUE);
  {
    WhIncidentQuery query;

    wh_incident_query_init (&query);
    query.view = WH_INCIDENT_VIEW_OVERDUE;
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, wh_incident_store_count (store, &query, NULL));
    g_assert_true (wh_queue_page_set_view (page, "closed-today"));
    settle ();
    query.view = WH_INCIDENT_VIEW_CLOSED_TODAY;
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, wh_incident_store_count (store, &query, NULL));
  }
  g_assert_false (wh_queue_page_set_view (page, "nonsense"));

  /* Alt+1: back to every open incident, through the page's action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "queue.view", "s", "open"));
  settle ();
  g_assert_cmpstr (wh_queue_page_get_view (page), ==, "open");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);

  /* The header's overdue badge: the queue's count, and a way into the view. */
  {
    WhQueueCounts   *counts = wh_queue_page_get_counts (page);
    WhIncidentQuery  query;
    g_autofree char *expected = NULL;

    WAIT_FOR (wh_queue_counts_get_n_rounds (counts) > 0 && !wh_queue_counts_is_busy (counts));
    wh_incident_query_init (&query);
    query.view = WH_INCIDENT_VIEW_OVERDUE;
    expected = g_strdup_printf ("%u", wh_incident_store_count (store, &query, NULL));
    g_assert_nonnull (strstr (wh_window_get_overdue_text (window), expected));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-overdue", NULL));
    settle ();
    g_assert_cmpstr (wh_queue_page_get_view (page), ==, "overdue");
  }

  /* win.show-incident: from any page to the queue, the incident selected, filters cleared
   * when it lies outside them. */
  {
    g_autoptr (WhIncident) target = NULL;
    g_autofree char *target_id = NULL;
    WhQueueFilter   *filter = wh_queue_page_get_filter (page);

    g_assert_true (wh_queue_page_set_view (page, "open"));
    settle ();
    target = wh_incident_list_model_dup_incident (WH_INCIDENT_LIST_MODEL (model), n - 1);
    target_id = g_strdup (target->id);
    wh_queue_filter_set_grid_id (filter, "000000000000000"); /* no such cell: nothing listed */
    settle ();
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
    g_assert_true (wh_window_show_page (window, "roster"));
    settle ();
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-incident", "s",
                                               target_id));
    settle ();
    g_assert_cmpstr (wh_window_get_visible_page (window), ==, "queue");
    g_assert_false (wh_queue_filter_has_filters (filter));
    g_assert_cmpstr (wh_queue_page_get_selected_incident (page), ==, target_id);
    g_assert_cmpstr (wh_incident_detail_get_incident_id (detail), ==, target_id);
  }
  g_assert_true (wh_queue_page_set_view (page, "open"));
  settle ();
}

static void
check_roster (WhWindow *window, WhContext *context)
{
  WhRosterPage *page = WH_ROSTER_PAGE (wh_window_get_page (window, "roster"));
  GListModel   *units;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "roster"));
  settle ();
  g_assert_cmpstr (wh_window_get_visible_page (window), ==, "roster");

  units = wh_roster_page_get_units (page);
  g_assert_cmpuint (wh_roster_page_get_n_member_units (page), >=, 17);
  g_assert_cmpuint (g_list_model_get_n_items (units), ==,
                    count_sql (context, "SELECT count(*) FROM unit"));
  g_assert_cmpuint (wh_roster_page_get_n_on_duty (page), >, 0);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (WhUnit) unit = g_list_model_get_item (units, i);

      wh_roster_page_select_unit (page, i);
      settle ();
      g_assert_cmpuint (unit->n_staff, >, 0);
      g_assert_cmpuint (g_list_model_get_n_items (wh_roster_page_get_staff (page)), ==,
                        unit->n_staff);
    }
}

static void
check_assessment (WhWindow *window, WhContext *context)
{
  WhAssessmentPage *page = WH_ASSESSMENT_PAGE (wh_window_get_page (window, "assessment"));
  GListModel       *model;
  guint             whistled = 0;
  WhPeriod          period;

  g_assert_true (wh_window_show_page (window, "assessment"));
  settle ();
  g_assert_cmpstr (wh_window_get_visible_page (window), ==, "assessment");

  /* This month, as the page opens. */
  wh_assessment_page_get_period (page, &period);
  g_assert_cmpint (period.from, <=, g_get_real_time ());
  g_assert_cmpint (period.to, >, g_get_real_time ());

  model = wh_assessment_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 17);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (WhUnitFigures) f = g_list_model_get_item (model, i);
      whistled += f->counts[WH_MEASURE_WHISTLED];
    }
  /* Early in a month there may be few summons yet: the month before has plenty. */
  gtk_widget_activate_action (GTK_WIDGET (page), "assessment.previous-month", NULL);
  settle ();
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (WhUnitFigures) f = g_list_model_get_item (model, i);
      whistled += f->counts[WH_MEASURE_WHISTLED];
    }
  g_assert_cmpuint (whistled, >, 0);
  {
    WhPeriod previous;

    wh_assessment_page_get_period (page, &previous);
    g_assert_cmpint (previous.to, ==, period.from);
  }
}

static void
test_demo_cache (void)
{
  WhWindow  *window = open_window (demo_path);
  WhContext *context;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  g_assert_null (wh_window_get_error_dialog (window));
  /* The last page of the previous run (the schema's default: the queue). */
  g_assert_cmpstr (wh_window_get_visible_page (window), ==, "queue");
  context = wh_window_get_context (window);
  g_assert_nonnull (context);
  g_assert_true (wh_context_has_street (context));
  g_assert_nonnull (strstr (wh_window_get_street_text (window), WH_DEMO_DEFAULT_STREET_NAME));
  g_assert_cmpstr (wh_window_get_duty_text (window), !=, "");

  /* The whole window fits a 1024×768 projector when the screen is that small. */
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, >, 0);
    g_assert_cmpint (height, >, 0);
  }

  /* The shortcuts window (ui/gtk/help-overlay.ui) and the documented accelerators. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  {
    g_auto (GStrv) accels =
      gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-page::assessment");
    g_auto (GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");

    g_assert_true (g_strv_contains ((const char *const *) accels, "<Control>4"));
    g_assert_true (g_strv_contains ((const char *const *) quit, "<Control>q"));
  }

  check_map (window, context);
  check_queue (window, context);
  check_map_and_queue (window, context);
  check_roster (window, context);
  check_assessment (window, context);

  /* Closing remembers the page. */
  g_assert_true (wh_window_show_page (window, "roster"));
  gtk_window_close (GTK_WINDOW (window));
  settle ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  /* Nothing keeps the closed window (and with it the cache) alive. */
  g_assert_null (window);
  {
    GSettings       *settings = wh_application_get_settings (app);
    g_autofree char *last = g_settings_get_string (settings, "last-page");

    g_assert_cmpstr (last, ==, "roster");
    g_assert_cmpint (g_settings_get_int (settings, "window-width"), >, 0);
  }
}

static void
test_corrupt_cache (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "corrupt.db", NULL);
  g_autofree char *noise = g_malloc (64 * 1024);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  AdwMessageDialog *dialog;
  WhWindow         *window;
  const char       *name;
  gboolean          kept = FALSE;

  for (guint i = 0; i < 64 * 1024; i++)
    noise[i] = (char) g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (path, noise, 64 * 1024, &error));

  window = open_window (path);

  /* No crash, no cache, and a dialog that offers to move the file aside. */
  g_assert_null (wh_window_get_context (window));
  g_assert_cmpstr (wh_window_get_visible_page (window), ==, "unavailable");
  dialog = wh_window_get_error_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "move-aside"));
  g_assert_true (adw_message_dialog_has_response (dialog, "quit"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  adw_message_dialog_response (dialog, "move-aside");
  settle ();

  /* The broken file is kept under another name, and an empty cache offers the demo. */
  g_assert_null (wh_window_get_error_dialog (window));
  g_assert_nonnull (wh_window_get_context (window));
  g_assert_false (wh_context_has_street (wh_window_get_context (window)));
  g_assert_cmpstr (wh_window_get_visible_page (window), ==, "welcome");
  dir = g_dir_open (tmp_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "corrupt.db.broken"))
      {
        g_autofree char *moved = g_build_filename (tmp_dir, name, NULL);
        g_autofree char *contents = NULL;
        gsize            length;

        g_assert_true (g_file_get_contents (moved, &contents, &length, NULL));
        g_assert_cmpuint (length, ==, 64 * 1024);
        g_assert_cmpmem (contents, length, noise, 64 * 1024);
        kept = TRUE;
      }
  g_assert_true (kept);

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

static void
test_welcome_demo (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "empty.db", NULL);
  WhWindow        *window = open_window (path);
  WhWelcomePage   *welcome;
  WhQueuePage     *queue;

  g_assert_cmpstr (wh_window_get_visible_page (window), ==, "welcome");
  welcome = WH_WELCOME_PAGE (wh_window_get_page (window, "welcome"));
  g_assert_cmpstr (wh_welcome_page_get_path (welcome), ==, path);

  /* Cancelled right away: nothing is written, the welcome page stays. */
  wh_welcome_page_set_demo_incidents (welcome, 300);
  wh_welcome_page_load_demo (welcome);
  g_assert_true (wh_welcome_page_get_busy (welcome));
  wh_welcome_page_cancel (welcome);
  WAIT_FOR (!wh_welcome_page_get_busy (welcome));
  settle ();
  g_assert_cmpstr (wh_window_get_visible_page (window), ==, "welcome");
  g_assert_false (wh_context_has_street (wh_window_get_context (window)));
  /* No street yet: the deadline notifier watches nothing. */
  g_assert_null (wh_deadline_notifier_get_context (wh_application_get_notifier (app)));

  /* Loaded: the desk opens on the new street, and the notifier follows it at once. */
  wh_welcome_page_load_demo (welcome);
  WAIT_FOR (!wh_welcome_page_get_busy (welcome));
  settle ();
  g_assert_cmpstr (wh_window_get_visible_page (window), !=, "welcome");
  g_assert_true (wh_context_has_street (wh_window_get_context (window)));
  g_assert_true (wh_deadline_notifier_get_context (wh_application_get_notifier (app)) ==
                 wh_window_get_context (window));
  queue = WH_QUEUE_PAGE (wh_window_get_page (window, "queue"));
  g_assert_true (wh_queue_page_set_view (queue, "all"));
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (wh_queue_page_get_model (queue)), ==, 300);

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int           ret;

  if (!gtk_init_check ())
    {
      /* TAP: skip the whole program without a display. */
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("whistle-window-XXXXXX", &error);
  g_assert_no_error (error);
  demo_path = g_build_filename (tmp_dir, "demo.db", NULL);

  /* The history reaches now, so "on duty now" and "this month" have data. */
  test_make_demo_cache (demo_path, N_INCIDENTS, 3);

  /* Several desks may run at once (tests in parallel): no D-Bus uniqueness. */
  app = wh_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/window/demo-cache", test_demo_cache);
  g_test_add_func ("/window/corrupt-cache", test_corrupt_cache);
  g_test_add_func ("/window/welcome-demo", test_welcome_demo);

  ret = g_test_run ();

  g_clear_object (&app);
  test_remove_tree (tmp_dir);
  g_free (demo_path);
  g_free (tmp_dir);

  return ret;
}
