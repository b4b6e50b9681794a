/* test-read-stores.c — the read stores of the desk's pages, against independent counts
 *
 * A small demo street (N_INCIDENTS over three months, fixed end time) is generated once.
 * Every figure a store returns is checked against a count made another way: plain SQL
 * written here, or the incidents as WhIncidentStore reads them, folded up in C. The
 * assessment is also checked exactly on a hand-made database.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "wh-assessment-store.h"
#include "wh-category-catalog.h"
#include "wh-db.h"
#include "wh-demo-street.h"
#include "wh-grid-store.h"
#include "wh-incident-store.h"
#include "wh-roster-store.h"

#define N_INCIDENTS 800

static char  *tmp_dir;
static WhDb  *demo_db;
static gint64 end_time;

/* 2026-03-18 15:30:00 in Beijing: a weekday afternoon, mid-month. */
static gint64
fixed_end (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) dt = g_date_time_new (tz, 2026, 3, 18, 15, 30, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

/* Independent SQL: a fresh statement, not the store's cache. */
static gint64 sql_int (WhDb *db, const char *sql, ...) G_GNUC_PRINTF (2, 3);

static gint64
sql_int (WhDb *db, const char *format, ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt = NULL;
  gint64           value;
  va_list          args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_cmpint (sqlite3_prepare_v2 (wh_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
sql_exec (WhDb *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (wh_db_get_handle (db), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s\n%s", message, sql);
}

static char *sql_text (WhDb *db, const char *format, ...) G_GNUC_PRINTF (2, 3);

static char *
sql_text (WhDb *db, const char *format, ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt = NULL;
  char            *value = NULL;
  va_list          args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_cmpint (sqlite3_prepare_v2 (wh_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* Roster */

static void
test_roster_units (void)
{
  g_autoptr (WhRosterStore) store = wh_roster_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) all = NULL;
  g_autoptr (GListModel) stationed = NULL;
  g_autoptr (GListModel) listed = NULL;
  int last_kind = -1, last_order = G_MININT;

  all = wh_roster_store_list_units (store, -1, &error);
  g_assert_no_error (error);
  stationed = wh_roster_store_list_units (store, WH_UNIT_KIND_STATIONED, &error);
  g_assert_no_error (error);
  listed = wh_roster_store_list_units (store, WH_UNIT_KIND_LISTED, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (all), ==,
                    sql_int (demo_db, "SELECT count(*) FROM unit"));
  g_assert_cmpuint (g_list_model_get_n_items (stationed), ==,
                    sql_int (demo_db, "SELECT count(*) FROM unit WHERE kind = 'stationed'"));
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==,
                    sql_int (demo_db, "SELECT count(*) FROM unit WHERE kind = 'listed'"));
  /* DOMAIN.md: eight stationed units and nine listed departments. */
  g_assert_cmpuint (g_list_model_get_n_items (stationed), ==, 8);
  g_assert_cmpuint (g_list_model_get_n_items (listed), >=, 9);
  g_assert_cmpuint (wh_roster_store_count_units (store, WH_UNIT_KIND_STATIONED, &error), ==, 8);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_roster_store_count_units (store, -1, &error), ==,
                    g_list_model_get_n_items (all));

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr (WhUnit) unit = g_list_model_get_item (all, i);

      /* Grouped by kind in the roster's order, then by sort order. */
      g_assert_cmpint (unit->kind, >=, last_kind);
      if ((int) unit->kind != last_kind)
        last_order = G_MININT;
      g_assert_cmpint (unit->sort_order, >=, last_order);
      last_kind = unit->kind;
      last_order = unit->sort_order;

      g_assert_cmpuint (
        unit->n_staff, ==,
        sql_int (demo_db, "SELECT count(*) FROM staff WHERE unit_id = '%s'", unit->id));
      g_assert_nonnull (unit->name);
      g_assert_nonnull (unit->short_name);
      g_assert_true (wh_roster_store_lookup_unit (store, unit->id) != NULL);
      g_assert_cmpstr (wh_roster_store_lookup_unit (store, unit->id)->short_name, ==,
                       unit->short_name);
    }
  g_assert_null (wh_roster_store_lookup_unit (store, "no-such-unit"));
  g_assert_null (wh_roster_store_lookup_unit (store, NULL));
}

static void
test_roster_staff (void)
{
  g_autoptr (WhRosterStore) store = wh_roster_store_new (demo_db);
  g_autoptr (GListModel) units = wh_roster_store_list_units (store, -1, NULL);
  gint64 at = end_time - G_TIME_SPAN_HOUR;
  guint  total = 0, on_duty = 0;

  for (guint u = 0; u < g_list_model_get_n_items (units); u++)
    {
      g_autoptr (WhUnit) unit = g_list_model_get_item (units, u);
      g_autoptr (GError) error = NULL;
      g_autoptr (GListModel) staff = wh_roster_store_list_staff (store, unit->id, at, &error);
      int last_role = -1;

      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (staff), ==, unit->n_staff);
      for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
        {
          g_autoptr (WhStaff) person = g_list_model_get_item (staff, i);
          g_autoptr (WhStaff) again = NULL;
          g_autofree char *role = NULL;
          gboolean         expected;

          g_assert_cmpstr (person->unit_id, ==, unit->id);
          g_assert_cmpint (person->role, >=, last_role); /* leaders first */
          last_role = person->role;

          expected =
            sql_int (demo_db,
                     "SELECT count(*) FROM duty_shift WHERE staff_id = '%s' "
                     "AND starts_at <= %" G_GINT64_FORMAT " AND %" G_GINT64_FORMAT " < ends_at",
                     person->id, at, at) > 0;
          g_assert_cmpint (person->on_duty, ==, expected);
          if (person->on_duty)
            {
              g_assert_cmpint (person->duty_ends_at, >, at);
              on_duty++;
            }
          role = sql_text (demo_db, "SELECT role FROM staff WHERE id = '%s'", person->id);
          g_assert_cmpstr (wh_staff_role_to_string (person->role), ==, role);

          again = wh_roster_store_get_staff (store, person->id, at, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (again->name, ==, person->name);
          g_assert_cmpint (again->on_duty, ==, person->on_duty);
          total++;
        }
    }

  g_assert_cmpuint (total, ==, sql_int (demo_db, "SELECT count(*) FROM staff"));
  /* The center runs 7×24: someone is on a shift at any time of the history. */
  g_assert_cmpuint (on_duty, >, 0);
  g_assert_null (wh_roster_store_get_staff (store, "no-such-person", at, NULL));
}

static void
test_roster_on_duty (void)
{
  g_autoptr (WhRosterStore) store = wh_roster_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) center = NULL;
  g_autoptr (GListModel) all = NULL;
  g_autofree char *staff_id = NULL;
  gint64           at = end_time - 3 * G_TIME_SPAN_HOUR;
  gint64           far = end_time + 400 * G_TIME_SPAN_DAY;
  g_autofree char *insert = NULL;

  center = wh_roster_store_list_on_duty (store, at, WH_DUTY_POST_CENTER_DUTY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (center), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (center), ==,
                    sql_int (demo_db,
                             "SELECT count(*) FROM duty_shift WHERE post = 'center_duty' "
                             "AND starts_at <= %" G_GINT64_FORMAT
                             " AND ends_at > %" G_GINT64_FORMAT,
                             at, at));
  for (guint i = 0; i < g_list_model_get_n_items (center); i++)
    {
      g_autoptr (WhDutyShift) shift = g_list_model_get_item (center, i);

      g_assert_cmpint (shift->post, ==, WH_DUTY_POST_CENTER_DUTY);
      g_assert_cmpint (shift->starts_at, <=, at);
      g_assert_cmpint (shift->ends_at, >, at);
      g_assert_nonnull (shift->staff_name);
      g_assert_nonnull (shift->unit_short_name);
    }

  all = wh_roster_store_list_on_duty (store, at, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==,
                    sql_int (demo_db,
                             "SELECT count(*) FROM duty_shift "
                             "WHERE starts_at <= %" G_GINT64_FORMAT
                             " AND ends_at > %" G_GINT64_FORMAT,
                             at, at));

  /* A hand-made shift far in the future: the span is half-open. */
  staff_id = sql_text (demo_db, "SELECT id FROM staff ORDER BY id LIMIT 1");
  insert =
    g_strdup_printf ("INSERT INTO duty_shift (staff_id, post, starts_at, ends_at) "
                     "VALUES ('%s', 'leader_on_call', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                     staff_id, far, far + 8 * G_TIME_SPAN_HOUR);
  sql_exec (demo_db, "SAVEPOINT hand_made");
  sql_exec (demo_db, insert);
  {
    g_autoptr (GListModel) at_start = wh_roster_store_list_on_duty (store, far, -1, NULL);
    g_autoptr (GListModel) inside = wh_roster_store_list_on_duty (
      store, far + G_TIME_SPAN_HOUR, WH_DUTY_POST_LEADER_ON_CALL, NULL);
    g_autoptr (GListModel) at_end =
      wh_roster_store_list_on_duty (store, far + 8 * G_TIME_SPAN_HOUR, -1, NULL);
    g_autoptr (GListModel) other_post =
      wh_roster_store_list_on_duty (store, far + G_TIME_SPAN_HOUR, WH_DUTY_POST_CENTER_DUTY, NULL);
    g_autoptr (WhDutyShift) shift = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (at_start), ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (inside), ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (at_end), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (other_post), ==, 0);
    shift = g_list_model_get_item (inside, 0);
    g_assert_cmpstr (shift->staff_id, ==, staff_id);
    g_assert_cmpint (shift->post, ==, WH_DUTY_POST_LEADER_ON_CALL);
  }
  sql_exec (demo_db, "ROLLBACK TO hand_made");
  sql_exec (demo_db, "RELEASE hand_made");
}

static void
test_roster_grid_duties (void)
{
  g_autoptr (WhRosterStore) store = wh_roster_store_new (demo_db);
  g_autofree char *grid_id = sql_text (demo_db, "SELECT id FROM grid_cell ORDER BY id LIMIT 1");
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) duties = wh_roster_store_list_grid_duties (store, grid_id, &error);
  g_autoptr (GListModel) none = wh_roster_store_list_grid_duties (store, "000", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (duties), >, 0);
  g_assert_cmpuint (
    g_list_model_get_n_items (duties), ==,
    sql_int (demo_db, "SELECT count(*) FROM grid_duty WHERE grid_id = '%s'", grid_id));
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
  for (guint i = 0; i < g_list_model_get_n_items (duties); i++)
    {
      g_autoptr (WhGridDuty) d = g_list_model_get_item (duties, i);

      g_assert_cmpstr (d->grid_id, ==, grid_id);
      g_assert_nonnull (d->category_name);
      g_assert_nonnull (d->staff_name);
      g_assert_cmpint (sql_int (demo_db,
                                "SELECT count(*) FROM grid_duty WHERE grid_id = '%s' "
                                "AND category_code = '%s' AND staff_id = '%s'",
                                grid_id, d->category_code, d->staff_id),
                       ==, 1);
    }
}

/* Grid */

static void
test_grid_street (void)
{
  g_autoptr (WhGridStore) store = wh_grid_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhStreet) street = wh_grid_store_get_street (store, &error);
  g_autofree char *path = g_build_filename (tmp_dir, "empty.db", NULL);
  g_autoptr (WhDb) empty = wh_db_open (path, &error);
  g_autoptr (WhGridStore) empty_store = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (street);
  g_assert_cmpstr (street->id, ==, WH_DEMO_DEFAULT_STREET_CODE);
  g_assert_cmpstr (street->name, ==, WH_DEMO_DEFAULT_STREET_NAME);
  g_assert_cmpstr (street->district, ==, "西城区");
  g_assert_cmpfloat (fabs (street->center_lon - 116.35), <, 0.1);
  g_assert_cmpfloat (fabs (street->center_lat - 39.915), <, 0.1);

  /* A cache without a street: no street, and no error either. */
  empty_store = wh_grid_store_new (empty);
  g_assert_null (wh_grid_store_get_street (empty_store, &error));
  g_assert_no_error (error);
}

static void
test_grid_cells (void)
{
  g_autoptr (WhGridStore) store = wh_grid_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) communities = wh_grid_store_list_communities (store, &error);
  g_autoptr (GListModel) cells = wh_grid_store_list_cells (store, &error);
  g_autoptr (GHashTable) open = wh_grid_store_count_open_by_cell (store, &error);
  guint sum_open = 0, sum_cells = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (communities), ==,
                    sql_int (demo_db, "SELECT count(*) FROM community"));
  g_assert_cmpuint (g_list_model_get_n_items (communities), >=, 5);
  for (guint i = 0; i < g_list_model_get_n_items (communities); i++)
    {
      g_autoptr (WhCommunity) c = g_list_model_get_item (communities, i);

      g_assert_cmpuint (c->index, ==, i);
      g_assert_cmpuint (
        c->n_cells, ==,
        sql_int (demo_db, "SELECT count(*) FROM grid_cell WHERE community_id = '%s'", c->id));
      sum_cells += c->n_cells;
    }

  g_assert_cmpuint (g_list_model_get_n_items (cells), ==,
                    sql_int (demo_db, "SELECT count(*) FROM grid_cell"));
  g_assert_cmpuint (sum_cells, ==, g_list_model_get_n_items (cells));
  g_assert_cmpuint (g_list_model_get_n_items (cells), >=, 50);

  for (guint i = 0; i < g_list_model_get_n_items (cells); i++)
    {
      g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, i);
      g_autoptr (WhCommunity) community =
        g_list_model_get_item (communities, cell->community_index);
      g_autofree char *name = NULL;

      g_assert_cmpuint (strlen (cell->id), ==, 15);
      g_assert_true (g_str_has_prefix (cell->id, cell->community_id));
      g_assert_cmpstr (community->id, ==, cell->community_id);
      g_assert_cmpstr (community->name, ==, cell->community_name);
      name = sql_text (demo_db, "SELECT name FROM grid_cell WHERE id = '%s'", cell->id);
      g_assert_cmpstr (cell->name, ==, name);
      g_assert_cmpstr (wh_grid_store_lookup_cell_name (store, cell->id), ==, name);

      g_assert_cmpuint (cell->outline->len, >=, 4);
      g_assert_cmpfloat (cell->min_lon, <, cell->max_lon);
      g_assert_cmpfloat (cell->min_lat, <, cell->max_lat);
      /* Real coordinates of Xicheng, and the stored centroid inside the outline. */
      g_assert_cmpfloat (cell->min_lon, >, 116.0);
      g_assert_cmpfloat (cell->max_lon, <, 116.7);
      g_assert_true (wh_grid_cell_contains (cell, cell->centroid_lon, cell->centroid_lat));
      g_assert_false (wh_grid_cell_contains (cell, cell->max_lon + 0.001, cell->centroid_lat));

      g_assert_cmpuint (cell->n_open, ==,
                        sql_int (demo_db,
                                 "SELECT count(*) FROM incident WHERE grid_id = '%s' "
                                 "AND status NOT IN ('not_accepted', 'closed', 'rated')",
                                 cell->id));
      g_assert_cmpuint (cell->n_open, ==, GPOINTER_TO_UINT (g_hash_table_lookup (open, cell->id)));
      sum_open += cell->n_open;
    }
  g_assert_cmpuint (sum_open, ==,
                    sql_int (demo_db, "SELECT count(*) FROM incident WHERE grid_id IS NOT NULL "
                                      "AND status NOT IN ('not_accepted', 'closed', 'rated')"));
  g_assert_cmpuint (sum_open, >, 0);
  g_assert_null (wh_grid_store_lookup_cell_name (store, "no-such-cell"));
}

static void
test_grid_points (void)
{
  g_autoptr (WhGridStore) store = wh_grid_store_new (demo_db);
  g_autoptr (WhIncidentStore) incidents = wh_incident_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) open = NULL;
  g_autoptr (GArray) all = NULL;
  WhIncidentQuery query;
  g_autoptr (GPtrArray) list = NULL;
  guint overdue_points = 0, overdue_incidents = 0;

  wh_incident_query_init (&query);
  all = wh_grid_store_list_incident_points (store, &query, &error);
  g_assert_no_error (error);
  query.view = WH_INCIDENT_VIEW_OPEN;
  open = wh_grid_store_list_incident_points (store, &query, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==,
                    sql_int (demo_db, "SELECT count(*) FROM incident "
                                      "WHERE lon IS NOT NULL AND lat IS NOT NULL"));
  g_assert_cmpuint (open->len, ==,
                    sql_int (demo_db, "SELECT count(*) FROM incident "
                                      "WHERE lon IS NOT NULL AND lat IS NOT NULL "
                                      "AND status NOT IN ('not_accepted', 'closed', 'rated')"));
  g_assert_cmpuint (open->len, <, all->len);

  /* A dot is overdue exactly when the lifecycle's own clock says so. */
  for (guint i = 0; i < open->len; i++)
    {
      const WhIncidentPoint *p = &g_array_index (open, WhIncidentPoint, i);

      g_assert_true (wh_status_is_open (p->status));
      if (p->due_at != 0 && p->due_at < end_time)
        overdue_points++;
    }
  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_OPEN;
  list = wh_incident_store_list (incidents, &query, 0, G_MAXINT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      WhIncident *incident = g_ptr_array_index (list, i);

      if (incident->has_location && wh_incident_time_left (incident, end_time) < 0)
        overdue_incidents++;
    }
  g_assert_cmpuint (overdue_points, ==, overdue_incidents);
}

static void
count_one (GHashTable *counts, const char *key)
{
  g_hash_table_replace (
    counts, (gpointer) key,
    GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
}

/* What the map colours cells by: each measure per cell agrees with the incidents listed
 * through the incident store, and every dot leads back to its incident. */
static void
test_grid_measures (void)
{
  g_autoptr (WhGridStore) store = wh_grid_store_new (demo_db);
  g_autoptr (WhIncidentStore) incidents = wh_incident_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) open =
    wh_grid_store_count_by_cell (store, WH_GRID_MEASURE_OPEN, end_time, &error);
  g_autoptr (GHashTable) overdue =
    wh_grid_store_count_by_cell (store, WH_GRID_MEASURE_OVERDUE, end_time, &error);
  g_autoptr (GHashTable) month =
    wh_grid_store_count_by_cell (store, WH_GRID_MEASURE_THIS_MONTH, end_time, &error);
  g_autoptr (GHashTable) want_open = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) want_overdue = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) want_month = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GArray) points = NULL;
  WhIncidentQuery query;
  GHashTable     *pairs[3][2] = { { open, want_open },
                                  { overdue, want_overdue },
                                  { month, want_month } };

  g_assert_no_error (error);
  /* The history ends on 2026-03-18, Beijing time: this month began on the 1st. */
  wh_incident_query_init (&query);
  list = wh_incident_store_list (incidents, &query, 0, G_MAXINT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      WhIncident *incident = g_ptr_array_index (list, i);
      g_autoptr (GDateTime) reported = NULL;
      g_autoptr (GDateTime) local = NULL;

      if (incident->grid_id == NULL)
        continue;
      reported = g_date_time_new_from_unix_utc (incident->reported_at / G_USEC_PER_SEC);
      local = g_date_time_add_hours (reported, 8);
      if (wh_status_is_open (incident->status))
        count_one (want_open, incident->grid_id);
      if (wh_status_is_open (incident->status) && wh_incident_time_left (incident, end_time) < 0)
        count_one (want_overdue, incident->grid_id);
      if (g_date_time_get_year (local) == 2026 && g_date_time_get_month (local) == 3)
        count_one (want_month, incident->grid_id);
    }
  for (guint m = 0; m < G_N_ELEMENTS (pairs); m++)
    {
      GHashTableIter iter;
      gpointer       key, value;

      g_assert_cmpuint (g_hash_table_size (pairs[m][0]), ==, g_hash_table_size (pairs[m][1]));
      g_assert_cmpuint (g_hash_table_size (pairs[m][0]), >, 0);
      g_hash_table_iter_init (&iter, pairs[m][1]);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (pairs[m][0], key)), ==,
                          GPOINTER_TO_UINT (value));
    }

  /* Dots and incidents: rowid there and back. */
  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_OPEN;
  points = wh_grid_store_list_incident_points (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, >, 0);
  for (guint i = 0; i < MIN (points->len, 50); i++)
    {
      const WhIncidentPoint *p = &g_array_index (points, WhIncidentPoint, i);
      g_autofree char       *id = wh_grid_store_dup_incident_id (store, p->rowid);
      g_autoptr (WhIncident) incident = wh_incident_store_get (incidents, id, &error);

      g_assert_no_error (error);
      g_assert_cmpfloat (incident->lon, ==, p->lon);
      g_assert_cmpfloat (incident->lat, ==, p->lat);
      g_assert_cmpint (wh_grid_store_lookup_incident_rowid (store, id), ==, p->rowid);
    }
  g_assert_null (wh_grid_store_dup_incident_id (store, -5));
  g_assert_cmpint (wh_grid_store_lookup_incident_rowid (store, "no-such-incident"), ==, 0);
}

static void
test_grid_cell_geojson (void)
{
  g_autoptr (WhGridCell) cell = wh_grid_cell_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (wh_grid_cell_set_geojson (cell,
                                           "{\"type\": \"Polygon\", \"coordinates\": "
                                           "[[[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]]]}",
                                           &error));
  g_assert_no_error (error);
  /* The ring is kept open: the closing point repeats the first. */
  g_assert_cmpuint (cell->outline->len, ==, 4);
  g_assert_cmpfloat (cell->max_lon, ==, 2);
  g_assert_cmpfloat (cell->max_lat, ==, 1);
  g_assert_true (wh_grid_cell_contains (cell, 1.5, 0.5));
  g_assert_false (wh_grid_cell_contains (cell, 2.5, 0.5));
  g_assert_false (wh_grid_cell_contains (cell, 1.0, -0.1));

  /* An L shape: the notch is outside even though it is inside the bounds. */
  g_assert_true (wh_grid_cell_set_geojson (cell,
                                           "{\"type\": \"Polygon\", \"coordinates\": "
                                           "[[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]]]}",
                                           &error));
  g_assert_true (wh_grid_cell_contains (cell, 0.5, 1.5));
  g_assert_false (wh_grid_cell_contains (cell, 1.5, 1.5));

  /* Broken outlines are refused and leave the cell as it was. */
  g_assert_false (wh_grid_cell_set_geojson (cell, "not json", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (
    wh_grid_cell_set_geojson (cell, "{\"type\": \"Point\", \"coordinates\": [1, 2]}", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (wh_grid_cell_set_geojson (cell,
                                            "{\"type\": \"Polygon\", \"coordinates\": "
                                            "[[[0, 0], [1, 1]]]}",
                                            &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (wh_grid_cell_set_geojson (cell,
                                            "{\"type\": \"Polygon\", \"coordinates\": "
                                            "[[[0, 0], [1, \"x\"], [1, 1]]]}",
                                            &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (cell->outline->len, ==, 6);
}

/* Catalogue */

static void
test_catalog (void)
{
  g_autoptr (WhCategoryCatalog) catalog = wh_category_catalog_new (demo_db);
  g_autoptr (GError) error = NULL;
  GListModel *classes;
  guint       children = 0;

  g_assert_true (wh_category_catalog_load (catalog, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (wh_category_catalog_get_n_categories (catalog), ==,
                    sql_int (demo_db, "SELECT count(*) FROM category"));
  g_assert_cmpuint (wh_category_catalog_get_n_categories (catalog), >=, 30);
  classes = wh_category_catalog_get_classes (catalog);
  g_assert_cmpuint (g_list_model_get_n_items (classes), ==,
                    sql_int (demo_db, "SELECT count(*) FROM category WHERE parent_code IS NULL"));

  for (guint i = 0; i < g_list_model_get_n_items (classes); i++)
    {
      g_autoptr (WhCategory) cls = g_list_model_get_item (classes, i);
      g_autoptr (GListModel) subs = wh_category_catalog_list_children (catalog, cls->code);

      g_assert_null (cls->parent_code);
      g_assert_cmpuint (
        g_list_model_get_n_items (subs), ==,
        sql_int (demo_db, "SELECT count(*) FROM category WHERE parent_code = '%s'", cls->code));
      for (guint j = 0; j < g_list_model_get_n_items (subs); j++)
        {
          g_autoptr (WhCategory) sub = g_list_model_get_item (subs, j);
          g_autofree char *display = wh_category_catalog_dup_display_name (catalog, sub->code);
          g_autofree char *expected = g_strdup_printf ("%s / %s", cls->name, sub->name);

          g_assert_cmpstr (sub->parent_code, ==, cls->code);
          g_assert_true (wh_category_catalog_lookup (catalog, sub->code) == sub);
          g_assert_cmpstr (display, ==, expected);
          g_assert_cmpint (sub->response_minutes, ==,
                           sql_int (demo_db,
                                    "SELECT response_minutes FROM category WHERE code = '%s'",
                                    sub->code));
          g_assert_cmpint (
            sub->major, ==,
            sql_int (demo_db, "SELECT major FROM category WHERE code = '%s'", sub->code));
          children++;
        }
    }
  g_assert_cmpuint (children + g_list_model_get_n_items (classes), ==,
                    wh_category_catalog_get_n_categories (catalog));

  {
    g_autofree char *unknown = wh_category_catalog_dup_display_name (catalog, "ZZZ");
    g_autofree char *none = wh_category_catalog_dup_display_name (catalog, NULL);
    g_autofree char *p0 = sql_text (demo_db, "SELECT name FROM priority WHERE level = 0");
    g_autofree char *p2 = sql_text (demo_db, "SELECT name FROM priority WHERE level = 2");

    g_assert_cmpstr (unknown, ==, "ZZZ");
    g_assert_cmpstr (none, ==, "");
    g_assert_cmpstr (wh_category_catalog_get_priority_name (catalog, 0), ==, p0);
    g_assert_cmpstr (wh_category_catalog_get_priority_name (catalog, 2), ==, p2);
    g_assert_null (wh_category_catalog_get_priority_name (catalog, 9));
    g_assert_cmpfloat (wh_category_catalog_get_priority_factor (catalog, 0), ==, 1.0);
    g_assert_cmpfloat (wh_category_catalog_get_priority_factor (catalog, 2), <, 1.0);
  }
}

/* Assessment: the figures, folded up again in C from the incidents as the store reads them */

typedef struct
{
  guint  counts[WH_N_MEASURES];
  double rating_sum;
} Tally;

static gboolean
in_hand (WhStatus status)
{
  return status == WH_STATUS_WHISTLED || status == WH_STATUS_ACKNOWLEDGED ||
         status == WH_STATUS_IN_PROGRESS || status == WH_STATUS_LEGAL_REVIEW ||
         status == WH_STATUS_REWORK;
}

static GHashTable *
tally_incidents (const WhPeriod *period, gint64 now)
{
  g_autoptr (WhIncidentStore) store = wh_incident_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;
  GHashTable     *tallies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  WhIncidentQuery query;

  wh_incident_query_init (&query);
  all = wh_incident_store_list (store, &query, 0, G_MAXINT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, N_INCIDENTS);

  for (guint i = 0; i < all->len; i++)
    {
      /* list() leaves the summoned units out; get() reads them. */
      g_autoptr (WhIncident) incident =
        wh_incident_store_get (store, ((WhIncident *) g_ptr_array_index (all, i))->id, &error);

      g_assert_no_error (error);
      for (guint j = 0; incident->units != NULL && j < incident->units->len; j++)
        {
          WhIncidentUnit *u = g_ptr_array_index (incident->units, j);
          gboolean        led = u->lead && u->returned_at == 0;
          Tally          *t;

          if (u->whistled_at < period->from || u->whistled_at >= period->to)
            continue;
          t = g_hash_table_lookup (tallies, u->unit_id);
          if (t == NULL)
            {
              t = g_new0 (Tally, 1);
              g_hash_table_insert (tallies, g_strdup (u->unit_id), t);
            }

          t->counts[WH_MEASURE_WHISTLED]++;
          if (u->acknowledged_at != 0)
            t->counts[WH_MEASURE_REPORTED_IN]++;
          if (u->acknowledged_at != 0 && incident->response_due_at != 0 &&
              u->acknowledged_at <= incident->response_due_at)
            t->counts[WH_MEASURE_REPORTED_IN_ON_TIME]++;
          if (u->returned_at != 0)
            t->counts[WH_MEASURE_RETURNED]++;
          if (!led)
            continue;
          t->counts[WH_MEASURE_LED]++;
          if (incident->resolved_at != 0)
            t->counts[WH_MEASURE_RESOLVED]++;
          if (incident->resolved_at != 0 && incident->handling_due_at != 0 &&
              incident->resolved_at <= incident->handling_due_at)
            t->counts[WH_MEASURE_RESOLVED_ON_TIME]++;
          if (in_hand (incident->status) && incident->handling_due_at != 0 &&
              incident->handling_due_at < now)
            t->counts[WH_MEASURE_OVERDUE_OPEN]++;
          if (incident->rework_count > 0)
            t->counts[WH_MEASURE_REWORKED]++;
          if (incident->rating > 0)
            {
              t->counts[WH_MEASURE_RATED]++;
              t->rating_sum += incident->rating;
            }
          if (incident->rating >= 4)
            t->counts[WH_MEASURE_SATISFIED]++;
        }
    }

  return tallies;
}

static char *
local_day (gint64 usec)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;

  if (dt == NULL) /* an open-ended period */
    return g_strdup (usec < 0 ? "0000-00-00" : "9999-99-99");
  local = g_date_time_to_timezone (dt, tz);
  return g_date_time_format (local, "%Y-%m-%d");
}

static void
check_period (WhAssessmentStore *store, const WhPeriod *period, gint64 now, guint *totals)
{
  g_autoptr (GHashTable) tallies = tally_incidents (period, now);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) figures = wh_assessment_store_compute (store, period, now, &error);
  g_autofree char *from_day = local_day (period->from);
  g_autofree char *to_day = local_day (period->to);
  guint            n_members = 0, seen_with_summons = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (figures); i++)
    {
      g_autoptr (WhUnitFigures) f = g_list_model_get_item (figures, i);
      Tally  zero = { 0 };
      Tally *t = g_hash_table_lookup (tallies, f->unit_id);
      gint64 n_checks;

      if (t == NULL)
        t = &zero;
      else
        seen_with_summons++;
      if (f->unit_kind == WH_UNIT_KIND_STATIONED || f->unit_kind == WH_UNIT_KIND_LISTED)
        n_members++;

      for (WhMeasure m = 0; m < WH_N_MEASURES; m++)
        {
          g_autoptr (GPtrArray) ids =
            wh_assessment_store_list_incident_ids (store, f->unit_id, m, period, now, &error);

          g_assert_no_error (error);
          if (f->counts[m] != t->counts[m])
            g_error ("%s %s: store %u, incidents %u", f->unit_short_name, wh_measure_to_string (m),
                     f->counts[m], t->counts[m]);
          /* Every figure is traceable to exactly its incidents. */
          g_assert_cmpuint (ids->len, ==, f->counts[m]);
          for (guint k = 0; k < ids->len; k++)
            g_assert_cmpint (sql_int (demo_db,
                                      "SELECT count(*) FROM incident_unit WHERE "
                                      "incident_id = '%s' AND unit_id = '%s'",
                                      (char *) g_ptr_array_index (ids, k), f->unit_id),
                             ==, 1);
          totals[m] += f->counts[m];
        }
      g_assert_cmpuint (f->counts[WH_MEASURE_REPORTED_IN_ON_TIME], <=,
                        f->counts[WH_MEASURE_REPORTED_IN]);
      g_assert_cmpuint (f->counts[WH_MEASURE_RESOLVED_ON_TIME], <=, f->counts[WH_MEASURE_RESOLVED]);
      g_assert_cmpuint (f->counts[WH_MEASURE_SATISFIED], <=, f->counts[WH_MEASURE_RATED]);

      if (t->counts[WH_MEASURE_RATED] > 0)
        g_assert_cmpfloat (fabs (f->rating_average - t->rating_sum / t->counts[WH_MEASURE_RATED]),
                           <, 1e-9);
      else
        g_assert_true (isnan (f->rating_average));

      n_checks = sql_int (demo_db,
                          "SELECT count(*) FROM check_entry WHERE unit_id = '%s' "
                          "AND day >= '%s' AND day < '%s'",
                          f->unit_id, from_day, to_day);
      g_assert_cmpuint (f->n_checks, ==, n_checks);
      if (n_checks > 0)
        {
          g_autofree char *avg = sql_text (demo_db,
                                           "SELECT avg(score) FROM check_entry "
                                           "WHERE unit_id = '%s' AND day >= '%s' AND day < '%s'",
                                           f->unit_id, from_day, to_day);
          g_autoptr (GPtrArray) check_ids =
            wh_assessment_store_list_check_ids (store, f->unit_id, period, &error);

          g_assert_no_error (error);
          g_assert_cmpfloat (fabs (f->check_average - g_ascii_strtod (avg, NULL)), <, 1e-9);
          g_assert_cmpuint (check_ids->len, ==, n_checks);
        }
      else
        g_assert_true (isnan (f->check_average));
    }

  /* Every member unit is listed, and every unit with summons too. */
  g_assert_cmpuint (n_members, ==,
                    sql_int (demo_db, "SELECT count(*) FROM unit "
                                      "WHERE kind IN ('stationed', 'listed')"));
  g_assert_cmpuint (seen_with_summons, ==, g_hash_table_size (tallies));
}

static void
test_assessment_demo (void)
{
  g_autoptr (WhAssessmentStore) store = wh_assessment_store_new (demo_db);
  guint    month_totals[WH_N_MEASURES] = { 0 };
  guint    last_totals[WH_N_MEASURES] = { 0 };
  guint    all_totals[WH_N_MEASURES] = { 0 };
  WhPeriod month, last_month, everything = { 0, G_MAXINT64 };

  wh_period_init_month_of (&month, end_time);
  g_assert_cmpint (month.from, <=, end_time);
  g_assert_cmpint (month.to, >, end_time);
  wh_period_init_month (&last_month, 2026, 2);
  g_assert_cmpint (last_month.to, ==, month.from);
  /* Beijing midnight of 1 March 2026 is 16:00 UTC on 28 February. */
  g_assert_cmpint (month.from / G_USEC_PER_SEC, ==, 1772294400);

  check_period (store, &month, end_time, month_totals);
  check_period (store, &last_month, end_time, last_totals);
  check_period (store, &everything, end_time, all_totals);

  /* The demo history is busy enough that every measure happens somewhere. */
  for (WhMeasure m = 0; m < WH_N_MEASURES; m++)
    {
      g_test_message ("%s: month %u, last month %u, all %u", wh_measure_to_string (m),
                      month_totals[m], last_totals[m], all_totals[m]);
      g_assert_cmpuint (all_totals[m], >, 0);
      g_assert_cmpuint (all_totals[m], >=, month_totals[m] + last_totals[m]);
    }
  g_assert_cmpuint (month_totals[WH_MEASURE_WHISTLED], >, 0);
  g_assert_cmpuint (last_totals[WH_MEASURE_WHISTLED], >, 0);
  g_assert_cmpuint (all_totals[WH_MEASURE_WHISTLED], ==,
                    sql_int (demo_db, "SELECT count(*) FROM incident_unit"));
}

/* A hand-made street where every figure is known. */
static void
test_assessment_hand_made (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "hand.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (path, &error);
  g_autoptr (WhAssessmentStore) store = NULL;
  g_autoptr (GListModel) figures = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autofree char *sql = NULL;
  WhPeriod         period;
  gint64           t0, h = G_TIME_SPAN_HOUR, now;
  WhUnitFigures   *a = NULL, *b = NULL;

  g_assert_no_error (error);
  wh_period_init_month (&period, 2026, 5);
  t0 = period.from;
  now = t0 + 20 * G_TIME_SPAN_DAY;

  sql_exec (db, "INSERT INTO street VALUES ('110102099', 'S', 'D', 116.35, 39.9);"
                "INSERT INTO unit (id, street_id, name, short_name, kind, sort_order) VALUES "
                "  ('A', '110102099', 'Unit A', 'A', 'stationed', 1),"
                "  ('B', '110102099', 'Unit B', 'B', 'listed', 1),"
                "  ('Z', '110102099', 'Unit Z', 'Z', 'listed', 2),"
                "  ('C', '110102099', 'Unit C', 'C', 'district', 1),"
                "  ('Q', '110102099', 'Unit Q', 'Q', 'district', 2);"
                "INSERT INTO priority VALUES (0, 'normal', 1.0);"
                "INSERT INTO category (code, name, kind, response_minutes, handling_minutes) "
                "  VALUES ('01', 'c', 'event', 60, 600);");
  /* i1: A leads, reports in and resolves on time, rated 5.
   * i2: A leads, reports in late, still in progress past the handling deadline, reworked.
   * i3: A cooperates (never reports in); B leads but returns it.
   * i4: C leads (district unit, not a member), resolved late, rated 3, closed.
   * i5: A leads, whistled exactly at the period's end: not this period.
   * i6: A leads, whistled exactly at the period's start: this period; waiting, not due yet.
   * i7: A leads, reports in exactly at the response deadline and feeds back exactly at the
   *     handling deadline: both on time (the deadlines are inclusive). */
  sql = g_strdup_printf (
    "INSERT INTO incident (id, number, street_id, source, category_code, title, status, "
    "  reported_at, response_due_at, handling_due_at, resolved_at, rating, rework_count, updated_at) VALUES "
    "  ('i1', 'n1', '110102099', 'patrol', '01', 't', 'rated',       %1$" G_GINT64_FORMAT
    ", %2$" G_GINT64_FORMAT ", %3$" G_GINT64_FORMAT ", %4$" G_GINT64_FORMAT ", 5, 0, 0),"
    "  ('i2', 'n2', '110102099', 'patrol', '01', 't', 'in_progress', %1$" G_GINT64_FORMAT
    ", %2$" G_GINT64_FORMAT ", %5$" G_GINT64_FORMAT ", NULL, NULL, 1, 0),"
    "  ('i3', 'n3', '110102099', 'patrol', '01', 't', 'returned',    %1$" G_GINT64_FORMAT
    ", %2$" G_GINT64_FORMAT ", %3$" G_GINT64_FORMAT ", NULL, NULL, 0, 0),"
    "  ('i4', 'n4', '110102099', 'patrol', '01', 't', 'closed',      %1$" G_GINT64_FORMAT
    ", %2$" G_GINT64_FORMAT ", %3$" G_GINT64_FORMAT ", %6$" G_GINT64_FORMAT ", 3, 0, 0),"
    "  ('i5', 'n5', '110102099', 'patrol', '01', 't', 'whistled',    %7$" G_GINT64_FORMAT
    ", %8$" G_GINT64_FORMAT ", %8$" G_GINT64_FORMAT ", NULL, NULL, 0, 0),"
    "  ('i6', 'n6', '110102099', 'patrol', '01', 't', 'whistled',    %9$" G_GINT64_FORMAT
    ", %8$" G_GINT64_FORMAT ", %8$" G_GINT64_FORMAT ", NULL, NULL, 0, 0),"
    "  ('i7', 'n7', '110102099', 'patrol', '01', 't', 'resolved',    %1$" G_GINT64_FORMAT
    ", %2$" G_GINT64_FORMAT ", %3$" G_GINT64_FORMAT ", %3$" G_GINT64_FORMAT ", NULL, 0, 0);"
    "INSERT INTO incident_unit (incident_id, unit_id, role, whistled_at, acknowledged_at, returned_at) VALUES "
    "  ('i1', 'A', 'lead',        %1$" G_GINT64_FORMAT ", %10$" G_GINT64_FORMAT ", NULL),"
    "  ('i2', 'A', 'lead',        %1$" G_GINT64_FORMAT ", %11$" G_GINT64_FORMAT ", NULL),"
    "  ('i3', 'A', 'cooperating', %1$" G_GINT64_FORMAT ", NULL, NULL),"
    "  ('i3', 'B', 'lead',        %1$" G_GINT64_FORMAT ", %10$" G_GINT64_FORMAT
    ", %10$" G_GINT64_FORMAT "),"
    "  ('i4', 'C', 'lead',        %1$" G_GINT64_FORMAT ", %10$" G_GINT64_FORMAT ", NULL),"
    "  ('i5', 'A', 'lead',        %7$" G_GINT64_FORMAT ", NULL, NULL),"
    "  ('i6', 'A', 'lead',        %9$" G_GINT64_FORMAT ", NULL, NULL),"
    "  ('i7', 'A', 'lead',        %1$" G_GINT64_FORMAT ", %2$" G_GINT64_FORMAT ", NULL);"
    "INSERT INTO check_entry (id, day, unit_id, dimension, score, created_at) VALUES "
    "  ('k1', '2026-05-01', 'A', 'responsibility', 80, 0),"
    "  ('k2', '2026-05-31', 'A', 'cooperation', 90, 0),"
    "  ('k3', '2026-04-30', 'A', 'team', 10, 0),"
    "  ('k4', '2026-06-01', 'A', 'team', 10, 0),"
    "  ('k5', '2026-05-10', 'Q', 'team', 70, 0);",
    t0 + 2 * G_TIME_SPAN_DAY,          /* 1: whistled */
    t0 + 2 * G_TIME_SPAN_DAY + h,      /* 2: response due */
    t0 + 4 * G_TIME_SPAN_DAY,          /* 3: handling due */
    t0 + 3 * G_TIME_SPAN_DAY,          /* 4: i1 resolved (on time) */
    t0 + 5 * G_TIME_SPAN_DAY,          /* 5: i2 handling due (before now) */
    t0 + 6 * G_TIME_SPAN_DAY,          /* 6: i4 resolved (late) */
    period.to,                         /* 7: i5 whistled at the end */
    now + G_TIME_SPAN_DAY,             /* 8: i5/i6 deadlines (after now) */
    period.from,                       /* 9: i6 whistled at the start */
    t0 + 2 * G_TIME_SPAN_DAY + h / 2,  /* 10: on-time report-in */
    t0 + 2 * G_TIME_SPAN_DAY + 2 * h); /* 11: late report-in */
  sql_exec (db, sql);

  store = wh_assessment_store_new (db);
  figures = wh_assessment_store_compute (store, &period, now, &error);
  g_assert_no_error (error);

  /* Members A, B, Z in roster order (Z even without any summons), then the district units
   * C (summoned in the period) and Q (checked in the period). */
  g_assert_cmpuint (g_list_model_get_n_items (figures), ==, 5);
  {
    const char *order[] = { "A", "B", "Z", "C", "Q" };

    for (guint i = 0; i < 5; i++)
      {
        g_autoptr (WhUnitFigures) f = g_list_model_get_item (figures, i);

        g_assert_cmpstr (f->unit_id, ==, order[i]);
        if (i == 0)
          a = f;
        else if (i == 1)
          b = f;
      }
  }

  g_assert_cmpuint (a->counts[WH_MEASURE_WHISTLED], ==, 5);            /* i1 i2 i3 i6 i7 */
  g_assert_cmpuint (a->counts[WH_MEASURE_REPORTED_IN], ==, 3);         /* i1 i2 i7 */
  g_assert_cmpuint (a->counts[WH_MEASURE_REPORTED_IN_ON_TIME], ==, 2); /* i1 i7 */
  g_assert_cmpuint (a->counts[WH_MEASURE_LED], ==, 4);                 /* i1 i2 i6 i7 */
  g_assert_cmpuint (a->counts[WH_MEASURE_RESOLVED], ==, 2);            /* i1 i7 */
  g_assert_cmpuint (a->counts[WH_MEASURE_RESOLVED_ON_TIME], ==, 2);
  g_assert_cmpuint (a->counts[WH_MEASURE_OVERDUE_OPEN], ==, 1); /* i2 */
  g_assert_cmpuint (a->counts[WH_MEASURE_RETURNED], ==, 0);
  g_assert_cmpuint (a->counts[WH_MEASURE_REWORKED], ==, 1); /* i2 */
  g_assert_cmpuint (a->counts[WH_MEASURE_RATED], ==, 1);
  g_assert_cmpuint (a->counts[WH_MEASURE_SATISFIED], ==, 1);
  g_assert_cmpfloat (a->rating_average, ==, 5.0);
  g_assert_cmpuint (a->n_checks, ==, 2);
  g_assert_cmpfloat (a->check_average, ==, 85.0);
  g_assert_cmpfloat (wh_unit_figures_ratio (a, WH_MEASURE_REPORTED_IN_ON_TIME, WH_MEASURE_WHISTLED),
                     ==, 0.4);

  g_assert_cmpuint (b->counts[WH_MEASURE_WHISTLED], ==, 1);
  g_assert_cmpuint (b->counts[WH_MEASURE_RETURNED], ==, 1);
  g_assert_cmpuint (b->counts[WH_MEASURE_LED], ==, 0); /* returned: not led */
  g_assert_cmpuint (b->counts[WH_MEASURE_REPORTED_IN_ON_TIME], ==, 1);
  g_assert_true (isnan (b->rating_average));
  g_assert_true (isnan (b->check_average));
  g_assert_true (isnan (wh_unit_figures_ratio (b, WH_MEASURE_SATISFIED, WH_MEASURE_RATED)));

  {
    g_autoptr (WhUnitFigures) z = g_list_model_get_item (figures, 2);
    g_autoptr (WhUnitFigures) c = g_list_model_get_item (figures, 3);

    for (WhMeasure m = 0; m < WH_N_MEASURES; m++)
      g_assert_cmpuint (z->counts[m], ==, 0);
    g_assert_cmpuint (c->counts[WH_MEASURE_LED], ==, 1);
    g_assert_cmpuint (c->counts[WH_MEASURE_RESOLVED], ==, 1);
    g_assert_cmpuint (c->counts[WH_MEASURE_RESOLVED_ON_TIME], ==, 0); /* late */
    g_assert_cmpuint (c->counts[WH_MEASURE_RATED], ==, 1);
    g_assert_cmpuint (c->counts[WH_MEASURE_SATISFIED], ==, 0);
    g_assert_cmpuint (c->counts[WH_MEASURE_OVERDUE_OPEN], ==, 0); /* closed */
  }

  /* Traceability: the ids behind figures, in whistle order. */
  ids =
    wh_assessment_store_list_incident_ids (store, "A", WH_MEASURE_WHISTLED, &period, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "i6");
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = wh_assessment_store_list_incident_ids (store, "A", WH_MEASURE_OVERDUE_OPEN, &period, now,
                                               &error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "i2");
  g_clear_pointer (&ids, g_ptr_array_unref);
  /* Judged before i2's deadline, it is not overdue yet. */
  ids = wh_assessment_store_list_incident_ids (store, "A", WH_MEASURE_OVERDUE_OPEN, &period,
                                               t0 + 5 * G_TIME_SPAN_DAY - 1, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = wh_assessment_store_list_check_ids (store, "A", &period, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "k1");
  g_assert_cmpstr (g_ptr_array_index (ids, 1), ==, "k2");
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* The next month holds only i5. */
  {
    g_autoptr (GListModel) june = NULL;
    g_autoptr (WhUnitFigures) ja = NULL;
    WhPeriod next;

    wh_period_init_month (&next, 2026, 6);
    g_assert_cmpint (next.from, ==, period.to);
    june = wh_assessment_store_compute (store, &next, now, &error);
    g_assert_no_error (error);
    ja = g_list_model_get_item (june, 0);
    g_assert_cmpstr (ja->unit_id, ==, "A");
    g_assert_cmpuint (ja->counts[WH_MEASURE_WHISTLED], ==, 1);
    g_assert_cmpuint (ja->n_checks, ==, 1);
  }
}

/* Ready-made queue views, against the lifecycle's own clock */

static guint
view_count (WhIncidentStore *store, WhIncidentView view, gint64 now, GError **error)
{
  WhIncidentQuery query;

  wh_incident_query_init (&query);
  query.view = view;
  query.now = now;
  return wh_incident_store_count (store, &query, error);
}

/* Overdue lists the most overdue first (deadline ascending); closed today the last change
 * first. */
static GPtrArray *
view_list (WhIncidentStore *store, WhIncidentView view, gint64 now, guint offset, guint limit,
           GError **error)
{
  WhIncidentQuery query;

  wh_incident_query_init (&query);
  query.view = view;
  query.now = now;
  query.sort_column =
    view == WH_INCIDENT_VIEW_OVERDUE ? WH_INCIDENT_COLUMN_DEADLINE : WH_INCIDENT_COLUMN_UPDATED;
  query.descending = view != WH_INCIDENT_VIEW_OVERDUE;
  return wh_incident_store_list (store, &query, offset, limit, error);
}

static void
test_incident_views (void)
{
  g_autoptr (WhIncidentStore) store = wh_incident_store_new (demo_db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) overdue = NULL;
  g_autoptr (GPtrArray) closed = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) end_local = NULL;
  g_autoptr (GDateTime) midnight = NULL;
  WhIncidentQuery query;
  guint           expect_overdue = 0, expect_closed = 0;
  gint64          day_start, last_left = G_MININT64;

  end_local =
    g_date_time_to_timezone (g_date_time_new_from_unix_utc (end_time / G_USEC_PER_SEC), tz);
  midnight =
    g_date_time_new (tz, g_date_time_get_year (end_local), g_date_time_get_month (end_local),
                     g_date_time_get_day_of_month (end_local), 0, 0, 0);
  day_start = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;

  wh_incident_query_init (&query);
  all = wh_incident_store_list (store, &query, 0, G_MAXINT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      WhIncident *incident = g_ptr_array_index (all, i);

      if (wh_incident_time_left (incident, end_time) < 0)
        expect_overdue++;
      if ((incident->status == WH_STATUS_CLOSED || incident->status == WH_STATUS_RATED) &&
          incident->closed_at >= day_start && incident->closed_at < day_start + G_TIME_SPAN_DAY)
        expect_closed++;
    }

  g_assert_cmpuint (view_count (store, WH_INCIDENT_VIEW_OVERDUE, end_time, &error), ==,
                    expect_overdue);
  g_assert_no_error (error);
  g_assert_cmpuint (expect_overdue, >, 0);
  overdue = view_list (store, WH_INCIDENT_VIEW_OVERDUE, end_time, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, expect_overdue);
  for (guint i = 0; i < overdue->len; i++)
    {
      gint64 left = wh_incident_time_left (g_ptr_array_index (overdue, i), end_time);

      g_assert_cmpint (left, <, 0);
      g_assert_cmpint (left, >=, last_left); /* most overdue first */
      last_left = left;
    }

  /* Pages add up to the whole list. */
  if (overdue->len >= 3)
    {
      g_autoptr (GPtrArray) first =
        view_list (store, WH_INCIDENT_VIEW_OVERDUE, end_time, 0, 2, &error);
      g_autoptr (GPtrArray) rest =
        view_list (store, WH_INCIDENT_VIEW_OVERDUE, end_time, 2, 1000, &error);

      g_assert_cmpuint (first->len + rest->len, ==, overdue->len);
      g_assert_cmpstr (((WhIncident *) g_ptr_array_index (rest, 0))->id, ==,
                       ((WhIncident *) g_ptr_array_index (overdue, 2))->id);
    }

  g_assert_cmpuint (
    view_count (store, WH_INCIDENT_VIEW_CLOSED_TODAY, end_time, &error), ==,
    expect_closed);
  closed = view_list (store, WH_INCIDENT_VIEW_CLOSED_TODAY, end_time, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (closed->len, ==, expect_closed);
  for (guint i = 1; i < closed->len; i++)
    g_assert_cmpint (((WhIncident *) g_ptr_array_index (closed, i - 1))->updated_at, >=,
                     ((WhIncident *) g_ptr_array_index (closed, i))->updated_at);

  /* A day of the history with closings: the view finds exactly those. */
  {
    gint64 busy = sql_int (demo_db, "SELECT closed_at FROM incident WHERE closed_at IS NOT NULL "
                                    "ORDER BY closed_at LIMIT 1 OFFSET 100");
    g_autoptr (GDateTime) busy_local =
      g_date_time_to_timezone (g_date_time_new_from_unix_utc (busy / G_USEC_PER_SEC), tz);
    g_autoptr (GDateTime) busy_midnight =
      g_date_time_new (tz, g_date_time_get_year (busy_local), g_date_time_get_month (busy_local),
                       g_date_time_get_day_of_month (busy_local), 0, 0, 0);
    gint64 from = g_date_time_to_unix (busy_midnight) * G_USEC_PER_SEC;
    guint  n = view_count (store, WH_INCIDENT_VIEW_CLOSED_TODAY, busy, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (n, >, 0);
    g_assert_cmpuint (n, ==,
                      sql_int (demo_db,
                               "SELECT count(*) FROM incident WHERE status IN "
                               "('closed', 'rated') AND closed_at >= %" G_GINT64_FORMAT
                               " AND closed_at < %" G_GINT64_FORMAT,
                               from, from + G_TIME_SPAN_DAY));
  }
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  WhDemoOptions    options;
  int              ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("whistle-read-stores-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmp_dir, "demo.db", NULL);
  end_time = fixed_end ();

  demo_db = wh_db_open (path, &error);
  g_assert_no_error (error);
  wh_demo_options_init (&options, end_time);
  options.n_incidents = N_INCIDENTS;
  options.months = 3;
  g_assert_true (wh_demo_generate (demo_db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/roster/units", test_roster_units);
  g_test_add_func ("/roster/staff", test_roster_staff);
  g_test_add_func ("/roster/on-duty", test_roster_on_duty);
  g_test_add_func ("/roster/grid-duties", test_roster_grid_duties);
  g_test_add_func ("/grid/street", test_grid_street);
  g_test_add_func ("/grid/cells", test_grid_cells);
  g_test_add_func ("/grid/points", test_grid_points);
  g_test_add_func ("/grid/measures", test_grid_measures);
  g_test_add_func ("/grid/cell-geojson", test_grid_cell_geojson);
  g_test_add_func ("/catalog/categories", test_catalog);
  g_test_add_func ("/assessment/demo", test_assessment_demo);
  g_test_add_func ("/assessment/hand-made", test_assessment_hand_made);
  g_test_add_func ("/incident-views/overdue-and-closed-today", test_incident_views);

  ret = g_test_run ();

  g_clear_object (&demo_db);
  {
    g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (tmp_dir, name, NULL);
        g_unlink (file);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);

  return ret;
}
