/* test-queue.c — the queue: its filter, its lazy model over a million incidents, its page
 *
 * Runs under a display (xvfb-run in the test command). The lazy model is checked on a cache
 * of a million incidents made in SQL (a recursive CTE: seconds, where the demo generator
 * would take minutes): its count, that it reads pages only when asked and keeps a few, and
 * that a change in the store invalidates it. The page is checked on a generated demo street:
 * views, filters, a sort by a header click, search, saved views, multi-selection with bulk
 * actions, and showing an incident from elsewhere.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "ui-harness.h"
#include "wh-column-sorter.h"
#include "wh-demo-street.h"
#include "queue/wh-incident-list-model.h"
#include "queue/wh-incident-row.h"
#include "queue/wh-queue-filter-popover.h"
#include "queue/wh-queue-filter.h"
#include "queue/wh-queue-page.h"
#include "queue/wh-queue-sidebar.h"

#define N_DEMO       1000
#define N_BIG        1000000
#define WAIT_SECONDS 120

static char *tmp_dir;
static char *demo_path;
static char *big_path;

/* Lets pending redraws, idles and layout run. */
static void
settle (void)
{
  ui_settle (150);
}

static gint64
count_sql (WhDb *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64        value;

  g_assert_cmpint (sqlite3_prepare_v2 (wh_db_get_handle (db), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
string_sql (WhDb *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char         *value;

  g_assert_cmpint (sqlite3_prepare_v2 (wh_db_get_handle (db), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* A million incidents on a small demo street, written in SQL in one transaction. The
 * full-text trigger is set aside meanwhile and put back as it was: these rows are for
 * paging and counting, not for searching, and indexing them would triple the time. */
static const char *
get_big_path (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autofree char *trigger = NULL;
  g_autofree char *fill = NULL;
  gint64 now = g_get_real_time ();

  if (big_path != NULL)
    return big_path;

  big_path = g_build_filename (tmp_dir, "big.db", NULL);
  test_make_demo_cache (big_path, 100, 3);
  db = wh_db_open (big_path, &error);
  g_assert_no_error (error);

  trigger = string_sql (db, "SELECT sql FROM sqlite_master WHERE name = 'incident_search_insert'");
  fill = g_strdup_printf (
    "CREATE TEMP TABLE big_category AS SELECT code, row_number () OVER (ORDER BY code) - 1 AS k"
    "  FROM category WHERE parent_code IS NOT NULL;"
    "CREATE TEMP TABLE big_cell AS SELECT id, row_number () OVER (ORDER BY id) - 1 AS k"
    "  FROM grid_cell;"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
    "INSERT INTO incident (id, number, street_id, source, category_code, title, grid_id,"
    "                      priority, status, reported_at, registered_at, handling_due_at,"
    "                      closed_at, updated_at)"
    "SELECT printf ('big-%%07d', i), printf ('BIG-%%07d', i),"
    "       (SELECT value FROM meta WHERE key = 'street_id'),"
    "       CASE i %% 3 WHEN 0 THEN 'patrol' WHEN 1 THEN 'hotline' ELSE 'video' END,"
    "       big_category.code, printf ('第 %%d 件', i), big_cell.id, i %% 3,"
    "       CASE i %% 4 WHEN 0 THEN 'closed' WHEN 1 THEN 'registered' WHEN 2 THEN 'in_progress'"
    "                   ELSE 'resolved' END,"
    "       %" G_GINT64_FORMAT " - i * 1000000, %" G_GINT64_FORMAT " - i * 1000000,"
    "       CASE WHEN i %% 4 = 2 THEN %" G_GINT64_FORMAT " + ((i %% 200) - 100) * 3600000000 END,"
    "       CASE WHEN i %% 4 = 0 THEN %" G_GINT64_FORMAT " - i * 1000000 + 3600000000 END,"
    "       %" G_GINT64_FORMAT " - i * 1000000"
    "  FROM n"
    "  JOIN big_category ON big_category.k = i %% (SELECT count(*) FROM big_category)"
    "  JOIN big_cell ON big_cell.k = i %% (SELECT count(*) FROM big_cell);",
    N_BIG, now, now, now, now, now);

  g_assert_true (wh_db_begin (db, &error));
  g_assert_no_error (error);
  g_assert_true (wh_db_exec (db, "DROP TRIGGER incident_search_insert;", &error));
  g_assert_no_error (error);
  g_assert_true (wh_db_exec (db, fill, &error));
  g_assert_no_error (error);
  g_assert_true (wh_db_exec (db, trigger, &error));
  g_assert_no_error (error);
  g_assert_true (wh_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_sql (db, "SELECT count(*) FROM incident"), >=, N_BIG);
  return big_path;
}

/* The filter */

static void
count_changed (WhQueueFilter *filter, guint *count)
{
  (*count)++;
}

static void
test_filter (void)
{
  g_autoptr (WhQueueFilter) filter = wh_queue_filter_new ();
  g_autoptr (WhQueueFilter) other = wh_queue_filter_new ();
  g_autoptr (GVariant) saved = NULL;
  g_autoptr (GVariant) again = NULL;
  WhIncidentQuery query;
  guint           changes = 0;

  g_signal_connect (filter, "changed", G_CALLBACK (count_changed), &changes);

  /* The default: every open incident, nothing narrowed, newest first. */
  g_assert_cmpint (wh_queue_filter_get_view (filter), ==, WH_INCIDENT_VIEW_OPEN);
  g_assert_cmpint (wh_queue_filter_get_status (filter), ==, -1);
  g_assert_cmpint (wh_queue_filter_get_priority (filter), ==, -1);
  g_assert_cmpint (wh_queue_filter_get_sort_column (filter), ==, WH_INCIDENT_COLUMN_REPORTED);
  g_assert_true (wh_queue_filter_get_descending (filter));
  g_assert_false (wh_queue_filter_has_filters (filter));

  /* One "changed" per change; none for a value it already has. */
  wh_queue_filter_set_view (filter, WH_INCIDENT_VIEW_OVERDUE);
  g_assert_cmpuint (changes, ==, 1);
  wh_queue_filter_set_view (filter, WH_INCIDENT_VIEW_OVERDUE);
  g_assert_cmpuint (changes, ==, 1);
  wh_queue_filter_set_search (filter, "  占道  ");
  g_assert_cmpstr (wh_queue_filter_get_search (filter), ==, "占道");
  g_assert_cmpuint (changes, ==, 2);
  wh_queue_filter_set_search (filter, "占道");
  g_assert_cmpuint (changes, ==, 2);
  wh_queue_filter_set_category_code (filter, "");
  g_assert_null (wh_queue_filter_get_category_code (filter));
  g_assert_cmpuint (changes, ==, 2);

  /* Column and direction at once, and a batch, are one change each. */
  wh_queue_filter_set_sort (filter, WH_INCIDENT_COLUMN_DEADLINE, FALSE);
  g_assert_cmpuint (changes, ==, 3);
  g_object_freeze_notify (G_OBJECT (filter));
  wh_queue_filter_set_category_code (filter, "01");
  wh_queue_filter_set_unit_id (filter, "unit-1");
  wh_queue_filter_set_priority (filter, 2);
  wh_queue_filter_set_reported_range (filter, 1000, 2000);
  g_assert_cmpuint (changes, ==, 3);
  g_object_thaw_notify (G_OBJECT (filter));
  g_assert_cmpuint (changes, ==, 4);
  g_assert_true (wh_queue_filter_has_filters (filter));

  /* The query borrows the filter's strings. */
  wh_incident_query_init (&query);
  wh_queue_filter_fill_query (filter, &query);
  g_assert_cmpint (query.view, ==, WH_INCIDENT_VIEW_OVERDUE);
  g_assert_true (query.category_code == wh_queue_filter_get_category_code (filter));
  g_assert_cmpstr (query.unit_id, ==, "unit-1");
  g_assert_cmpstr (query.search, ==, "占道");
  g_assert_null (query.grid_id);
  g_assert_cmpint (query.priority, ==, 2);
  g_assert_cmpint (query.reported_from, ==, 1000);
  g_assert_cmpint (query.reported_to, ==, 2000);
  g_assert_cmpint (query.sort_column, ==, WH_INCIDENT_COLUMN_DEADLINE);
  g_assert_false (query.descending);

  /* Saved and loaded, a filter is the same again; loading is one change. */
  saved = g_variant_ref_sink (wh_queue_filter_save (filter));
  changes = 0;
  g_signal_connect (other, "changed", G_CALLBACK (count_changed), &changes);
  wh_queue_filter_load (other, saved);
  g_assert_cmpuint (changes, ==, 1);
  again = g_variant_ref_sink (wh_queue_filter_save (other));
  g_assert_true (g_variant_equal (saved, again));
  g_assert_cmpstr (wh_queue_filter_get_unit_id (other), ==, "unit-1");

  /* A saved view from a newer desk, with a view this one does not know. */
  {
    GVariantDict dict;
    g_autoptr (GVariant) odd = NULL;

    g_variant_dict_init (&dict, NULL);
    g_variant_dict_insert (&dict, "view", "s", "someday");
    g_variant_dict_insert (&dict, "sort", "s", "number");
    g_variant_dict_insert (&dict, "descending", "b", FALSE);
    odd = g_variant_ref_sink (g_variant_dict_end (&dict));
    wh_queue_filter_load (other, odd);
    g_assert_cmpint (wh_queue_filter_get_view (other), ==, WH_INCIDENT_VIEW_OPEN);
    g_assert_cmpint (wh_queue_filter_get_sort_column (other), ==, WH_INCIDENT_COLUMN_NUMBER);
    g_assert_false (wh_queue_filter_has_filters (other));
    g_assert_null (wh_queue_filter_get_search (other));
  }

  /* Nicks are stable both ways. */
  for (int v = 0; v < WH_N_INCIDENT_VIEWS; v++)
    g_assert_cmpint (wh_queue_filter_view_from_nick (wh_queue_filter_view_to_nick (v)), ==, v);
  for (int c = 0; c < WH_N_INCIDENT_COLUMNS; c++)
    g_assert_cmpint (wh_queue_filter_column_from_nick (wh_queue_filter_column_to_nick (c)), ==, c);
  g_assert_cmpint (wh_queue_filter_view_from_nick ("nonsense"), ==, -1);

  wh_queue_filter_clear_filters (filter);
  g_assert_false (wh_queue_filter_has_filters (filter));
  g_assert_cmpstr (wh_queue_filter_get_search (filter), ==, "占道");
  wh_queue_filter_reset (filter);
  g_assert_null (wh_queue_filter_get_search (filter));
  g_assert_cmpint (wh_queue_filter_get_view (filter), ==, WH_INCIDENT_VIEW_OPEN);
  /* The sort is the officer's choice: a reset keeps it. */
  g_assert_cmpint (wh_queue_filter_get_sort_column (filter), ==, WH_INCIDENT_COLUMN_DEADLINE);
}

/* Dates typed in the filter are days of the street (Asia/Shanghai, +08:00). */
static void
test_days (void)
{
  gint64 usec = 0;
  g_autofree char *text = NULL;

  g_assert_true (wh_queue_filter_parse_day ("2024-05-31", &usec));
  /* 2024-05-31 00:00 +08:00 is 2024-05-30 16:00 UTC. */
  g_assert_cmpint (usec, ==, G_GINT64_CONSTANT (1717084800) * G_USEC_PER_SEC);
  text = wh_queue_filter_format_day (usec);
  g_assert_cmpstr (text, ==, "2024-05-31");
  g_free (g_steal_pointer (&text));
  text = wh_queue_filter_format_day (usec - 1);
  g_assert_cmpstr (text, ==, "2024-05-30");

  g_assert_false (wh_queue_filter_parse_day ("2024-5-31", NULL));
  g_assert_false (wh_queue_filter_parse_day ("2024-02-30", NULL));
  g_assert_false (wh_queue_filter_parse_day ("2024-05-31x", NULL));
  g_assert_false (wh_queue_filter_parse_day ("", NULL));
}

/* The column view's sorter tells which header the officer clicked (GTK 4.8 has no getter). */
static void
test_column_sorter (void)
{
  GtkColumnView       *view = GTK_COLUMN_VIEW (g_object_ref_sink (gtk_column_view_new (NULL)));
  GtkColumnViewColumn *columns[3];
  WhIncidentColumn     ids[3] = { WH_INCIDENT_COLUMN_NUMBER, WH_INCIDENT_COLUMN_DEADLINE,
                                  WH_INCIDENT_COLUMN_UPDATED };
  WhIncidentColumn     column;
  gboolean             descending;
  GtkSorter           *sorter = gtk_column_view_get_sorter (view);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (WhColumnSorter) s = wh_column_sorter_new (ids[i]);

      columns[i] = gtk_column_view_column_new ("x", NULL);
      gtk_column_view_column_set_sorter (columns[i], GTK_SORTER (s));
      gtk_column_view_append_column (view, columns[i]);
      g_assert_cmpint (wh_column_sorter_get_column (s), ==, ids[i]);
    }

  g_assert_false (wh_column_sorter_read_primary (sorter, &column, &descending));

  gtk_column_view_sort_by_column (view, columns[1], GTK_SORT_DESCENDING);
  g_assert_true (wh_column_sorter_read_primary (sorter, &column, &descending));
  g_assert_cmpint (column, ==, WH_INCIDENT_COLUMN_DEADLINE);
  g_assert_true (descending);

  /* A second column becomes the primary one; the first stays as the tie-break. */
  gtk_column_view_sort_by_column (view, columns[0], GTK_SORT_ASCENDING);
  g_assert_true (wh_column_sorter_read_primary (sorter, &column, &descending));
  g_assert_cmpint (column, ==, WH_INCIDENT_COLUMN_NUMBER);
  g_assert_false (descending);

  gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  g_assert_false (wh_column_sorter_read_primary (sorter, &column, &descending));

  for (guint i = 0; i < 3; i++)
    g_object_unref (columns[i]);
  g_object_unref (view);
}

/* The lazy model over a million incidents */

typedef struct
{
  guint n;
  guint position, removed, added;
} ItemsChanged;

static void
count_items_changed (GListModel *model, guint position, guint removed, guint added,
                     ItemsChanged *changed)
{
  changed->n++;
  changed->position = position;
  changed->removed = removed;
  changed->added = added;
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

/* The incident a model's item shows */
static WhIncident *
item_incident (WhIncidentListModel *model, guint position)
{
  g_autoptr (WhIncidentRow) row = g_list_model_get_item (G_LIST_MODEL (model), position);

  return row ? g_object_ref (wh_incident_row_get_incident (row)) : NULL;
}

static void
test_model_million (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (get_big_path (), &error);
  g_autoptr (WhIncidentStore) store = NULL;
  g_autoptr (WhIncidentListModel) model = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (WhIncident) first = NULL;
  g_autoptr (WhIncident) last = NULL;
  WhIncidentQuery query;
  ItemsChanged    signals = { 0 };
  guint           n;
  gint64          total;

  g_assert_no_error (error);
  store = wh_incident_store_new (db);
  model = wh_incident_list_model_new (store);
  g_signal_connect (model, "items-changed", G_CALLBACK (count_items_changed), &signals);

  /* Counting reads no page. */
  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_ALL;
  wh_incident_list_model_set_query (model, &query);
  total = count_sql (db, "SELECT count(*) FROM incident");
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpint (n, ==, total);
  g_assert_cmpuint (n, >=, N_BIG);
  g_assert_cmpuint (wh_incident_list_model_get_n_fetches (model), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == WH_TYPE_INCIDENT_ROW);

  /* One page serves its hundred rows. */
  first = item_incident (model, 0);
  g_assert_cmpuint (wh_incident_list_model_get_n_fetches (model), ==, 1);
  for (guint i = 1; i < WH_INCIDENT_LIST_PAGE_SIZE; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
  g_assert_cmpuint (wh_incident_list_model_get_n_fetches (model), ==, 1);
  page = wh_incident_store_list (store, &query, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((WhIncident *) g_ptr_array_index (page, 0))->id, ==, first->id);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* The last row is one more page, read where it lies. */
  last = item_incident (model, n - 1);
  g_assert_cmpuint (wh_incident_list_model_get_n_fetches (model), ==, 2);
  page = wh_incident_store_list (store, &query, n - 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((WhIncident *) g_ptr_array_index (page, 0))->id, ==, last->id);
  g_clear_pointer (&page, g_ptr_array_unref);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));
  g_assert_cmpint (wh_incident_list_model_find_loaded (model, last->id), ==, n - 1);

  /* Scrolling through many pages keeps only a few: memory stays flat. */
  for (guint p = 0; p < 30; p++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model),
                                           p * 997 % (n / WH_INCIDENT_LIST_PAGE_SIZE) *
                                             WH_INCIDENT_LIST_PAGE_SIZE));
  g_assert_cmpuint (wh_incident_list_model_get_n_loaded_pages (model), <=,
                    WH_INCIDENT_LIST_MAX_PAGES);
  g_assert_cmpuint (wh_incident_list_model_get_n_fetches (model), <=, 32);

  /* A change that keeps the count: no page is forgotten, the views hear of no change of
   * length, and only a row a view holds that shows the incident changes. The demo street's own incidents (the ones with a timeline, which an
   * op can follow) sort last by number, descending. */
  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_ALL;
  query.sort_column = WH_INCIDENT_COLUMN_NUMBER;
  query.descending = TRUE;
  wh_incident_list_model_set_query (model, &query);
  {
    g_autoptr (WhActor) officer = wh_actor_new ("officer-1", "Officer", WH_ROLE_DUTY_OFFICER, NULL);
    g_autofree char *far_id = string_sql (db, "SELECT id FROM incident WHERE id NOT LIKE 'big-%' "
                                              "AND status IN ('registered', 'whistled', "
                                              "'in_progress') ORDER BY number LIMIT 1");
    g_autofree char *near_id = string_sql (db, "SELECT id FROM incident WHERE id NOT LIKE 'big-%' "
                                               "AND status IN ('registered', 'whistled', "
                                               "'in_progress') ORDER BY number DESC LIMIT 1");
    g_autoptr (WhIncident) far = wh_incident_store_get (store, far_id, &error);
    g_autoptr (WhIncident) near = wh_incident_store_get (store, near_id, &error);
    g_autoptr (WhIncidentRow) held = NULL;
    g_autoptr (WhIncidentRow) held_top = NULL;
    guint loaded, notified = 0, notified_top = 0;
    int   position;

    g_assert_no_error (error);
    held_top = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_signal_connect (held_top, "notify::incident", G_CALLBACK (count_notify), &notified_top);
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), 3 * WH_INCIDENT_LIST_PAGE_SIZE));
    loaded = wh_incident_list_model_get_n_loaded_pages (model);
    g_assert_cmpuint (loaded, ==, 2);

    /* Out of sight: nothing to tell. */
    signals.n = 0;
    {
      g_autoptr (WhOp) op = wh_op_new (WH_ACTION_NOTE, far_id, officer, g_get_real_time ());
      g_autoptr (WhIncidentEvent) event = NULL;

      g_assert_cmpint (wh_incident_list_model_find_loaded (model, far_id), ==, -1);
      op->note = g_strdup ("Still on it");
      op->base_rev = far->rev;
      event = wh_incident_store_apply (store, op, WH_APPLY_RECORD_OUTBOX, &error);
      g_assert_no_error (error);
    }
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
    g_assert_cmpuint (signals.n, ==, 0);
    g_assert_cmpuint (notified_top, ==, 0);
    g_assert_cmpuint (wh_incident_list_model_get_n_loaded_pages (model), ==, loaded);

    /* In sight (the last page, the street's own incidents): the row that shows it, alone,
     * now shows it afresh. */
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), n - 1));
    loaded = wh_incident_list_model_get_n_loaded_pages (model);
    position = wh_incident_list_model_find_loaded (model, near_id);
    g_assert_cmpint (position, >=, (int) (n - WH_INCIDENT_LIST_PAGE_SIZE));
    held = g_list_model_get_item (G_LIST_MODEL (model), position);
    g_signal_connect (held, "notify::incident", G_CALLBACK (count_notify), &notified);
    signals.n = 0;
    {
      g_autoptr (WhOp) op = wh_op_new (WH_ACTION_NOTE, near_id, officer, g_get_real_time ());
      g_autoptr (WhIncidentEvent) event = NULL;

      op->note = g_strdup ("Called the unit");
      op->base_rev = near->rev;
      event = wh_incident_store_apply (store, op, WH_APPLY_RECORD_OUTBOX, &error);
      g_assert_no_error (error);
    }
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
    g_assert_cmpuint (signals.n, ==, 0);
    g_assert_cmpuint (notified, ==, 1);
    g_assert_cmpuint (notified_top, ==, 0);
    g_assert_cmpuint (wh_incident_list_model_get_n_loaded_pages (model), ==, loaded);
    g_assert_cmpint (wh_incident_list_model_find_loaded (model, near_id), ==, position);
    g_assert_cmpstr (wh_incident_row_get_incident (held)->id, ==, near_id);
    g_assert_cmpint (wh_incident_row_get_incident (held)->last_seq, >, near->last_seq);
    /* The same row for the same position while it is held. */
    {
      g_autoptr (WhIncidentRow) again = g_list_model_get_item (G_LIST_MODEL (model), position);

      g_assert_true (again == held);
    }
  }

  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_ALL;
  wh_incident_list_model_set_query (model, &query);
  g_autoptr (WhIncidentRow) top = g_list_model_get_item (G_LIST_MODEL (model), 0);
  guint top_notified = 0;

  g_signal_connect (top, "notify::incident", G_CALLBACK (count_notify), &top_notified);

  /* A change in the store that changes the count: counted again, every page forgotten, the
   * rows the views hold show the new list, and the views are told once, of the length at
   * the end (never "replace all", which makes GTK 4.8 look for its old rows among every
   * new one, nor "remove all" then "add all", which rebuilds every row's widgets). */
  signals.n = 0;
  {
    g_autofree char *id = wh_uuid_new (NULL);
    g_autofree char *street = string_sql (db, "SELECT value FROM meta WHERE key = 'street_id'");
    g_autofree char *category =
      string_sql (db, "SELECT code FROM category WHERE parent_code IS NOT NULL LIMIT 1");
    g_autofree char *number = NULL;
    g_autoptr (WhActor) officer = wh_actor_new ("officer-1", "Officer", WH_ROLE_DUTY_OFFICER, NULL);
    g_autoptr (WhOp) op = wh_op_new (WH_ACTION_REPORT, id, officer, g_get_real_time () + 1000);
    g_autoptr (WhIncidentEvent) event = NULL;
    g_autoptr (WhIncident) newest = NULL;

    number = wh_incident_store_next_number (store, street, op->at, &error);
    g_assert_no_error (error);
    wh_op_set_string (op, "number", number);
    wh_op_set_string (op, "street_id", street);
    wh_op_set_string (op, "source", "hotline");
    wh_op_set_string (op, "category_code", category);
    wh_op_set_string (op, "title", "A new one on top of a million");
    event = wh_incident_store_apply (store, op, WH_APPLY_RECORD_OUTBOX, &error);
    g_assert_no_error (error);
    g_assert_nonnull (event);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n + 1);
    g_assert_cmpuint (signals.n, ==, 1);
    g_assert_cmpuint (signals.position, ==, n);
    g_assert_cmpuint (signals.removed, ==, 0);
    g_assert_cmpuint (signals.added, ==, 1);
    /* Only the held row's page was read again. */
    g_assert_cmpuint (wh_incident_list_model_get_n_loaded_pages (model), ==, 1);
    g_assert_cmpint (wh_incident_list_model_find_loaded (model, last->id), ==, -1);
    /* Newest first: the new incident heads the list, in the row the view held. */
    g_assert_cmpuint (top_notified, ==, 1);
    g_assert_cmpstr (wh_incident_row_get_incident (top)->id, ==, id);
    newest = wh_incident_list_model_dup_incident (model, 0);
    g_assert_cmpstr (newest->id, ==, id);
  }

  /* Views and sorts are the store's SQL. */
  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_OPEN;
  query.sort_column = WH_INCIDENT_COLUMN_NUMBER;
  query.descending = FALSE;
  wh_incident_list_model_set_query (model, &query);
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                   count_sql (db, "SELECT count(*) FROM incident WHERE status NOT IN "
                                  "('closed', 'rated', 'not_accepted')"));
  {
    g_autoptr (WhIncident) lowest = item_incident (model, 0);
    g_autofree char *min = string_sql (db, "SELECT min(number) FROM incident WHERE status NOT IN "
                                           "('closed', 'rated', 'not_accepted')");

    g_assert_cmpstr (lowest->number, ==, min);
  }
}

/* The page */

typedef struct
{
  GtkWindow   *window;
  WhQueuePage *page;
  WhQueueFilter *filter;
  WhContext   *context;
  GSettings   *settings;
  GPtrArray   *actions; /* "nick id id …" of each app.incident-action */
} PageFixture;

static void
on_incident_action (GSimpleAction *action, GVariant *parameter, PageFixture *fixture)
{
  g_autofree const char **ids = NULL;
  const char *nick;
  g_autofree char *joined = NULL;

  g_variant_get (parameter, "(&s^a&s)", &nick, &ids);
  joined = g_strjoinv (" ", (char **) ids);
  g_ptr_array_add (fixture->actions, g_strdup_printf ("%s %s", nick, joined));
}

static void
page_setup (PageFixture *fixture, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (path, &error);
  g_autoptr (GSimpleActionGroup) app = g_simple_action_group_new ();
  g_autoptr (GSimpleAction) action =
    g_simple_action_new ("incident-action", G_VARIANT_TYPE ("(sas)"));

  g_assert_no_error (error);
  fixture->context = wh_context_new (db);
  fixture->filter = wh_queue_filter_new ();
  fixture->settings = g_settings_new ("cn.gov.whistle.Desk");
  /* Each test starts from the defaults (the memory backend lives as long as the process). */
  g_settings_reset (fixture->settings, "queue-sort");
  g_settings_reset (fixture->settings, "saved-views");
  fixture->actions = g_ptr_array_new_with_free_func (g_free);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1600, 950);
  /* The application's bulk actions, as the "actions" of the desk offer them. */
  g_signal_connect (action, "activate", G_CALLBACK (on_incident_action), fixture);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (action));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "app", G_ACTION_GROUP (app));

  fixture->page = g_object_new (WH_TYPE_QUEUE_PAGE, NULL);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  wh_queue_page_set_filter (fixture->page, fixture->filter);
  wh_queue_page_set_settings (fixture->page, fixture->settings);
  wh_queue_page_set_context (fixture->page, fixture->context);
  gtk_window_present (fixture->window);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (fixture->page)));
  settle ();
}

static void
page_teardown (PageFixture *fixture)
{
  gtk_window_destroy (fixture->window);
  settle ();
  g_clear_object (&fixture->filter);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->context);
  g_clear_pointer (&fixture->actions, g_ptr_array_unref);
}

static guint
store_count (PageFixture *fixture, const WhIncidentQuery *query)
{
  g_autoptr (GError) error = NULL;
  guint n = wh_incident_store_count (wh_context_get_incident_store (fixture->context), query,
                                     &error);

  g_assert_no_error (error);
  return n;
}

static guint
n_rows (PageFixture *fixture)
{
  return g_list_model_get_n_items (wh_queue_page_get_model (fixture->page));
}

static WhIncident *
row (PageFixture *fixture, guint position)
{
  return wh_incident_list_model_dup_incident (
    WH_INCIDENT_LIST_MODEL (wh_queue_page_get_model (fixture->page)), position);
}

/* What a click on the header of the column titled @title does in GTK: that column becomes
 * the primary sort column, ascending, or its direction flips when it already is. (A real
 * pointer click cannot be made without an input-faking extension of the display server;
 * GtkColumnViewTitle reads the pressed button from the event, so emitting its gesture's
 * signal does nothing.) Everything from the view's sorter on is the page's own code. */
static void
click_header (PageFixture *fixture, const char *title)
{
  GtkColumnView       *view = wh_queue_page_get_column_view (fixture->page);
  GListModel          *columns = gtk_column_view_get_columns (view);
  GtkColumnViewColumn *clicked = NULL;
  WhIncidentColumn     primary;
  gboolean             descending = FALSE;
  gboolean             sorted;

  for (guint i = 0; i < g_list_model_get_n_items (columns) && clicked == NULL; i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        clicked = column;
    }
  g_assert_nonnull (clicked);
  g_assert_true (WH_IS_COLUMN_SORTER (gtk_column_view_column_get_sorter (clicked)));

  sorted = wh_column_sorter_read_primary (gtk_column_view_get_sorter (view), &primary, &descending);
  if (sorted && primary == wh_column_sorter_get_column (
                             WH_COLUMN_SORTER (gtk_column_view_column_get_sorter (clicked))))
    gtk_column_view_sort_by_column (view, clicked,
                                    descending ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
  else
    gtk_column_view_sort_by_column (view, clicked, GTK_SORT_ASCENDING);
  settle ();
}

/* Every row GTK holds, in sight or not, shows the list's incident at its position, as the
 * store lists them. */
static void
assert_held_rows_current (PageFixture *fixture)
{
  WhIncidentListModel *model = WH_INCIDENT_LIST_MODEL (wh_queue_page_get_model (fixture->page));
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) listed = NULL;

  g_assert_false (wh_incident_list_model_is_stale (model));
  listed = wh_incident_store_list (wh_context_get_incident_store (fixture->context),
                                   wh_incident_list_model_get_query (model), 0, 300, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < listed->len; i++)
    {
      g_autoptr (WhIncidentRow) held = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpstr (wh_incident_row_get_incident (held)->id, ==,
                       ((WhIncident *) g_ptr_array_index (listed, i))->id);
    }
}

static void
test_page (PageFixture *fixture, gconstpointer data)
{
  WhIncidentQuery query;
  WhQueueCounts  *counts;
  guint           n_open;

  page_setup (fixture, demo_path);

  /* The default view: every open incident, the first one selected and shown. */
  g_assert_cmpstr (wh_queue_page_get_view (fixture->page), ==, "open");
  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_OPEN;
  n_open = store_count (fixture, &query);
  g_assert_cmpuint (n_open, >, 0);
  g_assert_cmpuint (n_rows (fixture), ==, n_open);
  {
    g_autoptr (WhIncident) first = row (fixture, 0);

    g_assert_cmpstr (wh_queue_page_get_selected_incident (fixture->page), ==, first->id);
    g_assert_cmpstr (wh_incident_detail_get_incident_id (wh_queue_page_get_detail (fixture->page)),
                     ==, first->id);
  }

  /* The views' counts come from a worker and agree with the store. */
  counts = wh_queue_page_get_counts (fixture->page);
  WAIT_FOR (wh_queue_counts_get_n_rounds (counts) > 0 && !wh_queue_counts_is_busy (counts));
  for (int view = 0; view < WH_N_INCIDENT_VIEWS; view++)
    {
      if (view == WH_INCIDENT_VIEW_MINE)
        continue;
      wh_incident_query_init (&query);
      query.view = view;
      g_assert_cmpint (wh_queue_counts_get (counts, view), ==, (int) store_count (fixture, &query));
    }
  /* No actor at this desk: "Mine" has nobody to count for. */
  g_assert_cmpint (wh_queue_counts_get (counts, WH_INCIDENT_VIEW_MINE), ==, -1);

  /* A view change (what Alt+6 does). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "queue.view", "s",
                                             "overdue"));
  settle ();
  g_assert_cmpint (wh_queue_filter_get_view (fixture->filter), ==, WH_INCIDENT_VIEW_OVERDUE);
  g_assert_cmpuint (n_rows (fixture), ==, wh_queue_counts_get (counts, WH_INCIDENT_VIEW_OVERDUE));
  g_assert_false (wh_queue_page_set_view (fixture->page, "nonsense"));
  /* A longer list: the view hears first of the rows down to those in sight, the header
   * counts them all, and the rest follow once the list is drawn. */
  {
    WhIncidentListModel *model = WH_INCIDENT_LIST_MODEL (wh_queue_page_get_model (fixture->page));
    /* Rows on screen to tell which are in sight (an empty view shows the empty page). */
    gboolean             list_shown = n_rows (fixture) > 0;

    g_assert_true (wh_queue_page_set_view (fixture->page, "all"));
    g_assert_cmpuint (wh_incident_list_model_get_n_listed (model), ==, N_DEMO);
    if (list_shown)
      {
        g_assert_cmpuint (n_rows (fixture), <, N_DEMO);
        g_assert_true (wh_incident_list_model_is_stale (model));
      }
  }
  settle ();
  g_assert_cmpuint (n_rows (fixture), ==, N_DEMO);
  assert_held_rows_current (fixture);

  /* "Mine": the actor the window gives the filter. */
  {
    g_autofree char *actor = string_sql (wh_context_get_db (fixture->context),
                                         "SELECT actor_id FROM incident_event "
                                         "WHERE actor_role = 'duty_officer' "
                                         "GROUP BY actor_id ORDER BY count(*) DESC LIMIT 1");

    wh_queue_filter_set_actor_id (fixture->filter, actor);
    g_assert_true (wh_queue_page_set_view (fixture->page, "mine"));
    settle ();
    wh_incident_query_init (&query);
    query.view = WH_INCIDENT_VIEW_MINE;
    query.actor_id = actor;
    g_assert_cmpuint (n_rows (fixture), ==, store_count (fixture, &query));
    g_assert_cmpuint (n_rows (fixture), >, 0);
    WAIT_FOR (!wh_queue_counts_is_busy (counts) &&
              wh_queue_counts_get (counts, WH_INCIDENT_VIEW_MINE) >= 0);
    g_assert_cmpint (wh_queue_counts_get (counts, WH_INCIDENT_VIEW_MINE), ==, n_rows (fixture));
  }
  g_assert_true (wh_queue_page_set_view (fixture->page, "open"));
  settle ();
  g_assert_cmpuint (n_rows (fixture), ==, n_open);

  page_teardown (fixture);
}

static void
test_page_filters (PageFixture *fixture, gconstpointer data)
{
  WhIncidentQuery query;
  g_autofree char *class_code = NULL;

  page_setup (fixture, demo_path);

  /* A first-level class lists everything below it. */
  class_code = string_sql (wh_context_get_db (fixture->context),
                           "SELECT c.parent_code FROM incident i JOIN category c "
                           "ON c.code = i.category_code WHERE i.status NOT IN "
                           "('closed', 'rated', 'not_accepted') "
                           "GROUP BY c.parent_code ORDER BY count(*) DESC LIMIT 1");
  wh_queue_filter_set_category_code (fixture->filter, class_code);
  settle ();
  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_OPEN;
  query.category_code = class_code;
  g_assert_cmpuint (n_rows (fixture), ==, store_count (fixture, &query));
  g_assert_cmpuint (n_rows (fixture), >, 0);
  for (guint i = 0; i < MIN (n_rows (fixture), 50); i++)
    {
      g_autoptr (WhIncident) incident = row (fixture, i);

      g_assert_true (g_str_has_prefix (incident->category_code, class_code));
    }

  /* And a priority on top. */
  wh_queue_filter_set_priority (fixture->filter, 0);
  settle ();
  query.priority = 0;
  g_assert_cmpuint (n_rows (fixture), ==, store_count (fixture, &query));
  g_assert_true (wh_queue_filter_has_filters (fixture->filter));

  /* Shown as chips above the list. */
  g_assert_nonnull (strstr (wh_queue_page_get_filter_text (fixture->page), "2"));

  /* Clearing brings every open incident back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "queue.clear-filters",
                                             NULL));
  settle ();
  g_assert_false (wh_queue_filter_has_filters (fixture->filter));
  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_OPEN;
  g_assert_cmpuint (n_rows (fixture), ==, store_count (fixture, &query));

  page_teardown (fixture);
}

static void
test_category_picker (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (demo_path, &error);
  g_autoptr (WhContext) context = NULL;
  g_autoptr (WhQueueFilter) filter = wh_queue_filter_new ();
  WhQueueFilterPopover *popover;
  g_autofree char *name = NULL;
  g_autofree char *part = NULL;
  g_autofree char *code = NULL;
  guint            n_all;

  g_assert_no_error (error);
  context = wh_context_new (db);
  popover = g_object_ref_sink (g_object_new (WH_TYPE_QUEUE_FILTER_POPOVER, NULL));
  wh_queue_filter_popover_set_filter (popover, filter);
  wh_queue_filter_popover_set_context (popover, context);

  n_all = wh_queue_filter_popover_count_categories (popover, NULL);
  g_assert_cmpint (n_all, ==, count_sql (db, "SELECT count(*) FROM category"));

  /* By code: a class's code finds the class and its subcategories. */
  code = string_sql (db, "SELECT code FROM category WHERE parent_code IS NULL ORDER BY code LIMIT 1");
  g_assert_cmpuint (wh_queue_filter_popover_count_categories (popover, code), >=,
                    1 + count_sql (db, "SELECT count(*) FROM category WHERE parent_code = "
                                       "(SELECT min(code) FROM category WHERE parent_code IS NULL)"));

  /* By two characters from the middle of a name. */
  name = string_sql (db, "SELECT name FROM category WHERE parent_code IS NOT NULL "
                         "AND length(name) >= 4 ORDER BY code LIMIT 1");
  part = g_utf8_substring (name, 1, 3);
  g_assert_cmpuint (wh_queue_filter_popover_count_categories (popover, part), >=, 1);
  g_assert_cmpuint (wh_queue_filter_popover_count_categories (popover, part), <, n_all);
  g_assert_cmpuint (wh_queue_filter_popover_count_categories (popover, "不存在的类别"), ==, 0);

  g_object_unref (popover);
}

static void
test_page_sort (PageFixture *fixture, gconstpointer data)
{
  guint n;

  page_setup (fixture, demo_path);
  g_assert_true (wh_queue_page_set_view (fixture->page, "all"));
  settle ();
  n = MIN (n_rows (fixture), 150);

  /* A click on the Number header: ascending, done by SQL (the model is the lazy one, not a
   * GtkSortListModel), and remembered. */
  click_header (fixture, "Number");
  g_assert_cmpint (wh_queue_filter_get_sort_column (fixture->filter), ==,
                   WH_INCIDENT_COLUMN_NUMBER);
  g_assert_false (wh_queue_filter_get_descending (fixture->filter));
  g_assert_true (WH_IS_INCIDENT_LIST_MODEL (wh_queue_page_get_model (fixture->page)));
  for (guint i = 1; i < n; i++)
    {
      g_autoptr (WhIncident) a = row (fixture, i - 1);
      g_autoptr (WhIncident) b = row (fixture, i);

      g_assert_cmpint (strcmp (a->number, b->number), <, 0);
    }
  {
    g_autofree char *saved = g_settings_get_string (fixture->settings, "queue-sort");

    g_assert_cmpstr (saved, ==, "number");
  }

  /* Again: descending. */
  click_header (fixture, "Number");
  g_assert_true (wh_queue_filter_get_descending (fixture->filter));
  for (guint i = 1; i < n; i++)
    {
      g_autoptr (WhIncident) a = row (fixture, i - 1);
      g_autoptr (WhIncident) b = row (fixture, i);

      g_assert_cmpint (strcmp (a->number, b->number), >, 0);
    }

  /* Last change, newest first after two clicks. */
  click_header (fixture, "Last Change");
  click_header (fixture, "Last Change");
  g_assert_cmpint (wh_queue_filter_get_sort_column (fixture->filter), ==,
                   WH_INCIDENT_COLUMN_UPDATED);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr (WhIncident) a = row (fixture, i - 1);
      g_autoptr (WhIncident) b = row (fixture, i);

      g_assert_cmpint (a->updated_at, >=, b->updated_at);
    }

  /* A sort set elsewhere (a saved view) shows on the headers. It sets the rows in sight at
   * once, and the other rows GTK holds (about two hundred) once the list is drawn. */
  wh_queue_filter_set_sort (fixture->filter, WH_INCIDENT_COLUMN_DEADLINE, FALSE);
  g_assert_true (wh_incident_list_model_is_stale (
    WH_INCIDENT_LIST_MODEL (wh_queue_page_get_model (fixture->page))));
  settle ();
  assert_held_rows_current (fixture);
  {
    WhIncidentColumn column;
    gboolean         descending;

    g_assert_true (wh_column_sorter_read_primary (
      gtk_column_view_get_sorter (wh_queue_page_get_column_view (fixture->page)), &column,
      &descending));
    g_assert_cmpint (column, ==, WH_INCIDENT_COLUMN_DEADLINE);
    g_assert_false (descending);
  }

  page_teardown (fixture);
}

static void
test_page_search (PageFixture *fixture, gconstpointer data)
{
  WhIncidentQuery  query;
  g_autofree char *title = NULL;
  g_autofree char *part = NULL;
  g_autofree char *id = NULL;
  GtkWidget       *entry;
  gboolean         found = FALSE;

  page_setup (fixture, demo_path);
  g_assert_true (wh_queue_page_set_view (fixture->page, "all"));
  settle ();

  /* Two characters from the middle of some title: FTS finds its incident. */
  title = string_sql (wh_context_get_db (fixture->context),
                      "SELECT title FROM incident WHERE length(title) >= 6 ORDER BY number LIMIT 1");
  id = string_sql (wh_context_get_db (fixture->context),
                   "SELECT id FROM incident WHERE length(title) >= 6 ORDER BY number LIMIT 1");
  part = g_utf8_substring (title, 2, 4);

  /* Typed into the entry: searched after the entry's pause (debounced), not per key. */
  wh_queue_page_focus_search (fixture->page);
  entry = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (entry);
  entry = gtk_widget_get_ancestor (entry, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), part);
  g_assert_null (wh_queue_filter_get_search (fixture->filter));
  WAIT_FOR (wh_queue_filter_get_search (fixture->filter) != NULL);
  g_assert_cmpstr (wh_queue_filter_get_search (fixture->filter), ==, part);
  settle ();

  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_ALL;
  query.search = part;
  g_assert_cmpuint (n_rows (fixture), ==, store_count (fixture, &query));
  g_assert_cmpuint (n_rows (fixture), >, 0);
  g_assert_cmpuint (n_rows (fixture), <, N_DEMO);
  for (guint i = 0; i < n_rows (fixture) && !found; i++)
    {
      g_autoptr (WhIncident) incident = row (fixture, i);

      found = g_strcmp0 (incident->id, id) == 0;
    }
  g_assert_true (found);

  /* Escape: the search is gone. */
  g_signal_emit_by_name (entry, "stop-search");
  settle ();
  g_assert_null (wh_queue_filter_get_search (fixture->filter));
  g_assert_cmpuint (n_rows (fixture), ==, N_DEMO);

  page_teardown (fixture);
}

static void
test_page_saved_views (PageFixture *fixture, gconstpointer data)
{
  WhQueueSidebar *sidebar;
  g_autoptr (GVariant) before = NULL;
  g_autoptr (GVariant) after = NULL;
  g_autoptr (GVariant) stored = NULL;
  g_auto (GStrv) names = NULL;

  page_setup (fixture, demo_path);
  sidebar = wh_queue_page_get_sidebar (fixture->page);
  g_settings_reset (fixture->settings, "saved-views");

  g_object_freeze_notify (G_OBJECT (fixture->filter));
  wh_queue_filter_set_view (fixture->filter, WH_INCIDENT_VIEW_OVERDUE);
  wh_queue_filter_set_priority (fixture->filter, 1);
  wh_queue_filter_set_source (fixture->filter, "hotline");
  wh_queue_filter_set_search (fixture->filter, "路");
  wh_queue_filter_set_sort (fixture->filter, WH_INCIDENT_COLUMN_DEADLINE, FALSE);
  g_object_thaw_notify (G_OBJECT (fixture->filter));
  before = g_variant_ref_sink (wh_queue_filter_save (fixture->filter));

  wh_queue_sidebar_save_view (sidebar, "  Urgent hotline overdue  ");
  names = wh_queue_sidebar_list_saved_views (sidebar);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Urgent hotline overdue");
  stored = g_settings_get_value (fixture->settings, "saved-views");
  g_assert_cmpuint (g_variant_n_children (stored), ==, 1);

  /* Saving under the same name replaces it. */
  wh_queue_sidebar_save_view (sidebar, "Urgent hotline overdue");
  wh_queue_sidebar_save_view (sidebar, "All");
  g_clear_pointer (&names, g_strfreev);
  names = wh_queue_sidebar_list_saved_views (sidebar);
  g_assert_cmpuint (g_strv_length (names), ==, 2);

  wh_queue_filter_reset (fixture->filter);
  settle ();
  g_assert_false (wh_queue_filter_has_filters (fixture->filter));

  g_assert_true (wh_queue_sidebar_apply_saved_view (sidebar, "Urgent hotline overdue"));
  settle ();
  after = g_variant_ref_sink (wh_queue_filter_save (fixture->filter));
  g_assert_true (g_variant_equal (before, after));
  g_assert_cmpstr (wh_queue_page_get_view (fixture->page), ==, "overdue");
  g_assert_false (wh_queue_sidebar_apply_saved_view (sidebar, "No such view"));

  /* A second sidebar on the same settings (another window) sees them. */
  {
    WhQueueSidebar *other = g_object_ref_sink (g_object_new (WH_TYPE_QUEUE_SIDEBAR, NULL));
    g_auto (GStrv) other_names = NULL;

    wh_queue_sidebar_set_settings (other, fixture->settings);
    other_names = wh_queue_sidebar_list_saved_views (other);
    g_assert_cmpuint (g_strv_length (other_names), ==, 2);
    g_object_unref (other);
  }

  g_assert_true (wh_queue_sidebar_delete_saved_view (sidebar, "Urgent hotline overdue"));
  g_assert_false (wh_queue_sidebar_delete_saved_view (sidebar, "Urgent hotline overdue"));
  g_assert_true (wh_queue_sidebar_delete_saved_view (sidebar, "All"));
  g_clear_pointer (&stored, g_variant_unref);
  stored = g_settings_get_value (fixture->settings, "saved-views");
  g_assert_cmpuint (g_variant_n_children (stored), ==, 0);

  page_teardown (fixture);
}

static void
test_page_selection (PageFixture *fixture, gconstpointer data)
{
  GtkSelectionModel *selection;
  g_auto (GStrv) ids = NULL;
  g_autofree char *kept = NULL;

  page_setup (fixture, demo_path);
  g_assert_true (wh_queue_page_set_view (fixture->page, "all"));
  settle ();
  selection = wh_queue_page_get_selection (fixture->page);
  g_assert_true (GTK_IS_MULTI_SELECTION (selection));

  /* Three rows: the bulk actions take all three, in list order. */
  gtk_selection_model_select_range (selection, 2, 3, TRUE);
  settle ();
  ids = wh_queue_page_dup_selected_ids (fixture->page);
  g_assert_cmpuint (g_strv_length (ids), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (WhIncident) incident = row (fixture, 2 + i);

      g_assert_cmpstr (ids[i], ==, incident->id);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "queue.whistle-selected",
                                             NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "queue.note-selected",
                                             NULL));
  g_assert_cmpuint (fixture->actions->len, ==, 2);
  {
    g_autofree char *joined = g_strjoinv (" ", ids);
    g_autofree char *whistle = g_strdup_printf ("whistle %s", joined);
    g_autofree char *note = g_strdup_printf ("note %s", joined);

    g_assert_cmpstr (g_ptr_array_index (fixture->actions, 0), ==, whistle);
    g_assert_cmpstr (g_ptr_array_index (fixture->actions, 1), ==, note);
  }

  /* A change in the store reloads the list: the selection comes back by id. */
  kept = g_strdup (ids[1]);
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *other_id = NULL;
    g_autoptr (WhIncident) other = NULL;
    g_autoptr (WhActor) officer = wh_actor_new ("officer-1", "Officer", WH_ROLE_DUTY_OFFICER, NULL);
    g_autoptr (WhOp) op = NULL;
    g_autoptr (WhIncidentEvent) event = NULL;
    g_autofree char *sql = g_strdup_printf ("SELECT id FROM incident WHERE status IN "
                                            "('registered', 'whistled', 'in_progress') AND id "
                                            "NOT IN ('%s', '%s', '%s') LIMIT 1",
                                            ids[0], ids[1], ids[2]);
    guint n_before = n_rows (fixture);

    other_id = string_sql (wh_context_get_db (fixture->context), sql);
    other = wh_incident_store_get (wh_context_get_incident_store (fixture->context), other_id,
                                   &error);
    g_assert_no_error (error);
    op = wh_op_new (WH_ACTION_NOTE, other->id, officer, g_get_real_time ());
    op->note = g_strdup ("Called the unit again");
    op->base_rev = other->rev;
    event = wh_incident_store_apply (wh_context_get_incident_store (fixture->context), op,
                                     WH_APPLY_RECORD_OUTBOX, &error);
    g_assert_no_error (error);
    g_assert_nonnull (event);
    settle ();
    g_assert_cmpuint (n_rows (fixture), ==, n_before);
  }
  {
    g_auto (GStrv) again = wh_queue_page_dup_selected_ids (fixture->page);

    g_assert_cmpuint (g_strv_length (again), ==, 3);
    g_assert_true (g_strv_contains ((const char *const *) again, kept));
  }

  /* Clearing the selection disables the bulk actions. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "queue.unselect-all",
                                             NULL));
  settle ();
  g_clear_pointer (&ids, g_strfreev);
  ids = wh_queue_page_dup_selected_ids (fixture->page);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "queue.whistle-selected", NULL);
  g_assert_cmpuint (fixture->actions->len, ==, 2);

  page_teardown (fixture);
}

static void
test_page_show_incident (PageFixture *fixture, gconstpointer data)
{
  g_autofree char *class_code = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *closed = NULL;

  page_setup (fixture, demo_path);

  /* An open incident outside the category filter: the filter goes, the row is selected. */
  class_code = string_sql (wh_context_get_db (fixture->context),
                           "SELECT min(code) FROM category WHERE parent_code IS NULL");
  outside = string_sql (wh_context_get_db (fixture->context),
                        "SELECT id FROM incident WHERE category_code NOT LIKE "
                        "(SELECT min(code) FROM category WHERE parent_code IS NULL) || '%' AND "
                        "status IN ('registered', 'whistled', 'in_progress') LIMIT 1");
  wh_queue_filter_set_category_code (fixture->filter, class_code);
  settle ();

  g_assert_true (wh_queue_page_show_incident (fixture->page, outside));
  settle ();
  g_assert_false (wh_queue_filter_has_filters (fixture->filter));
  g_assert_cmpstr (wh_queue_page_get_view (fixture->page), ==, "open");
  g_assert_cmpstr (wh_queue_page_get_selected_incident (fixture->page), ==, outside);
  {
    g_auto (GStrv) ids = wh_queue_page_dup_selected_ids (fixture->page);

    g_assert_cmpuint (g_strv_length (ids), ==, 1);
    g_assert_cmpstr (ids[0], ==, outside);
  }

  /* A closed incident widens the view to every incident. */
  closed = string_sql (wh_context_get_db (fixture->context),
                       "SELECT id FROM incident WHERE status = 'closed' "
                       "ORDER BY reported_at DESC LIMIT 1");
  g_assert_true (wh_queue_page_show_incident (fixture->page, closed));
  settle ();
  g_assert_cmpstr (wh_queue_page_get_view (fixture->page), ==, "all");
  g_assert_cmpstr (wh_queue_page_get_selected_incident (fixture->page), ==, closed);

  /* Unknown: nothing happens. */
  g_assert_false (wh_queue_page_show_incident (fixture->page, "no-such-incident"));

  page_teardown (fixture);
}

/* The page over a million incidents: the first screen reads a few pages, and the counts
 * come from the worker without holding the desk. */
static void
test_page_million (PageFixture *fixture, gconstpointer data)
{
  WhIncidentListModel *model;
  WhQueueCounts       *counts;
  guint                fetches;

  page_setup (fixture, get_big_path ());
  model = WH_INCIDENT_LIST_MODEL (wh_queue_page_get_model (fixture->page));
  fetches = wh_incident_list_model_get_n_fetches (model);
  g_assert_true (wh_queue_page_set_view (fixture->page, "all"));
  settle ();
  fetches = wh_incident_list_model_get_n_fetches (model) - fetches;
  g_assert_cmpuint (n_rows (fixture), >=, N_BIG);
  g_test_message ("pages read for the first screen of %u incidents: %u", n_rows (fixture),
                  fetches);
  /* GTK 4.8 binds up to ~200 rows around the visible ones: a few pages of 100. */
  g_assert_cmpuint (fetches, >, 0);
  g_assert_cmpuint (fetches, <=, 4);
  g_assert_cmpuint (wh_incident_list_model_get_n_loaded_pages (model), <=,
                    WH_INCIDENT_LIST_MAX_PAGES);

  /* Ctrl+A in the list selects what a bulk action can take, not a million rows (which
   * GtkMultiSelection would read one by one). */
  {
    guint fetches = wh_incident_list_model_get_n_fetches (model);
    g_auto (GStrv) ids = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "queue.select-all",
                                               NULL));
    settle ();
    ids = wh_queue_page_dup_selected_ids (fixture->page);
    g_assert_cmpuint (g_strv_length (ids), ==, WH_QUEUE_BULK_MAX);
    g_assert_cmpuint (wh_incident_list_model_get_n_fetches (model) - fetches, <=,
                      WH_QUEUE_BULK_MAX / WH_INCIDENT_LIST_PAGE_SIZE + 2);
  }

  counts = wh_queue_page_get_counts (fixture->page);
  WAIT_FOR (wh_queue_counts_get_n_rounds (counts) > 0 && !wh_queue_counts_is_busy (counts));
  g_assert_cmpint (wh_queue_counts_get (counts, WH_INCIDENT_VIEW_ALL), ==, n_rows (fixture));

  page_teardown (fixture);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int ret;

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }

  g_test_init (&argc, &argv, NULL);

  /* The page's own resources (templates, styles) are linked in; adw for AdwStatusPage. */
  adw_init ();

  tmp_dir = g_dir_make_tmp ("whistle-queue-XXXXXX", &error);
  g_assert_no_error (error);
  demo_path = g_build_filename (tmp_dir, "demo.db", NULL);
  test_make_demo_cache (demo_path, N_DEMO, 3);

  g_test_add_func ("/queue/filter", test_filter);
  g_test_add_func ("/queue/days", test_days);
  g_test_add_func ("/queue/column-sorter", test_column_sorter);
  g_test_add_func ("/queue/category-picker", test_category_picker);
  g_test_add_func ("/queue/model-million", test_model_million);
  g_test_add ("/queue/page/views", PageFixture, NULL, NULL, test_page, NULL);
  g_test_add ("/queue/page/filters", PageFixture, NULL, NULL, test_page_filters, NULL);
  g_test_add ("/queue/page/sort", PageFixture, NULL, NULL, test_page_sort, NULL);
  g_test_add ("/queue/page/search", PageFixture, NULL, NULL, test_page_search, NULL);
  g_test_add ("/queue/page/saved-views", PageFixture, NULL, NULL, test_page_saved_views, NULL);
  g_test_add ("/queue/page/selection", PageFixture, NULL, NULL, test_page_selection, NULL);
  g_test_add ("/queue/page/show-incident", PageFixture, NULL, NULL, test_page_show_incident,
              NULL);
  g_test_add ("/queue/page/million", PageFixture, NULL, NULL, test_page_million, NULL);

  ret = g_test_run ();

  test_remove_tree (tmp_dir);
  g_free (demo_path);
  g_free (big_path);
  g_free (tmp_dir);
  return ret;
}
