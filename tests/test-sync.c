/* test-sync.c — the desk's sync engine against the real district server
 *
 * Every test runs the built whistle-server on a loopback port (tests/server-harness.c) and
 * one or more desks, each with a cache file of its own and the engine of src/sync, the same
 * code the desk and whistlectl run. Desks change incidents the way the desk's pages do:
 * through WhIncidentStore on a connection of their own, which queues each op in the outbox.
 * What a desk ends with is compared with the server's database row by row.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-harness.h"
#include "server-harness.h"
#include "wh-db.h"
#include "wh-incident-store.h"
#include "wh-organisation-wire.h"
#include "wh-sync-engine.h"
#include "wh-sync-session.h"
#include "wh-sync-store.h"
#include "wh-token-store.h"

#define STREET    "110102099"
#define PASSWORD  "secret-password"
#define N_DEMO    120
#define PAGE_SIZE 25

static char        *tmp_dir;
static char        *main_db;
static TestServer  *main_server;
static SoupSession *session;

static char *token_a;       /* duty officer, desk A */
static char *token_a2;      /* another duty officer, desk B */
static char *token_viewer;  /* a viewer whose desk claims more than it may */

/* Learned from the first desk's cache. */
static char *unit_1;
static char *unit_2;
static char *category;      /* a subcategory that needs no legal review */

/* Desks */

static char *
cache_path (const char *name)
{
  return test_desk_cache_path (tmp_dir, name);
}

static Desk *
desk_new (TestServer *server,
          const char *name,
          const char *user,
          const char *token)
{
  Desk *desk = test_desk_new (tmp_dir, server, name, user, token);

  wh_sync_engine_set_page_size (desk->engine, PAGE_SIZE);
  return desk;
}

static WhSyncReport
desk_sync_ok (Desk *desk)
{
  g_autoptr (GError) error = NULL;
  WhSyncReport report;

  test_desk_sync (desk, NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_ONLINE);
  return report;
}

/* A text of the first row of @sql on the desk's connection, with one optional parameter. */
static char *
desk_query (Desk       *desk,
            const char *sql,
            const char *param)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (wh_db_get_handle (desk->db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
desk_count (Desk       *desk,
            const char *sql,
            const char *param)
{
  g_autofree char *value = desk_query (desk, sql, param);

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

static WhIncident *
desk_get (Desk       *desk,
          const char *incident_id)
{
  g_autoptr (GError) error = NULL;
  WhIncident *incident = wh_incident_store_get (desk->store, incident_id, &error);

  g_assert_no_error (error);
  return incident;
}

/* Queues @op on the desk as its pages do: based on the record the desk shows. */
static char *
desk_apply (Desk *desk,
            WhOp *op)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;

  if (op->action != WH_ACTION_REPORT)
    {
      g_autoptr (WhIncident) current = desk_get (desk, op->incident_id);

      op->base_rev = current->rev;
    }
  event = wh_incident_store_apply (desk->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  return g_strdup (op->op_id);
}

static WhOp *
desk_op (Desk       *desk,
         WhAction    action,
         const char *incident_id,
         const char *note)
{
  WhOp *op = wh_op_new (action, incident_id, desk->actor, g_get_real_time ());

  op->note = g_strdup (note);
  return op;
}

static char *
desk_do (Desk       *desk,
         WhAction    action,
         const char *incident_id,
         const char *note)
{
  g_autoptr (WhOp) op = desk_op (desk, action, incident_id, note);

  return desk_apply (desk, op);
}

static char *
desk_report_at (Desk       *desk,
                const char *title,
                gint64      at)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *number = wh_incident_store_next_number (desk->store, STREET, at, &error);
  g_autoptr (WhOp) op = wh_op_new (WH_ACTION_REPORT, id, desk->actor, at);

  g_assert_no_error (error);
  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", STREET);
  wh_op_set_string (op, "source", "patrol");
  wh_op_set_string (op, "category_code", category);
  wh_op_set_string (op, "title", title);
  g_free (desk_apply (desk, op));
  return g_steal_pointer (&id);
}

static char *
desk_report (Desk       *desk,
             const char *title)
{
  return desk_report_at (desk, title, g_get_real_time ());
}

static char *
desk_whistle (Desk       *desk,
              const char *incident_id,
              const char *lead_unit)
{
  g_autoptr (WhOp) op = desk_op (desk, WH_ACTION_WHISTLE, incident_id, NULL);

  wh_op_set_string (op, "lead_unit_id", lead_unit);
  return desk_apply (desk, op);
}

static char *
desk_unit_step (Desk       *desk,
                WhAction    action,
                const char *incident_id,
                const char *unit_id,
                const char *note)
{
  g_autoptr (WhOp) op = desk_op (desk, action, incident_id, note);

  op->unit_id = g_strdup (unit_id);
  return desk_apply (desk, op);
}

/* Comparing a desk with the server */

static gint64
attached_count (const char *desk_path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *attach = g_strdup_printf ("ATTACH '%s' AS srv", main_db);
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (desk_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The desk holds exactly the server's record of the street: the same incidents in the same
 * state, the same timelines event for event in the same order, the same summoned units,
 * and nothing waiting. */
static void
assert_matches_server_db (const char *desk_path,
                          const char *server_db)
{
  g_autofree char *saved_main = main_db;

  main_db = g_strdup (server_db);
  g_assert_cmpint (attached_count (desk_path, "SELECT count(*) FROM main.incident"), ==,
                   attached_count (desk_path, "SELECT count(*) FROM srv.incident WHERE street_id = '" STREET "'"));
  g_assert_cmpint (attached_count (desk_path,
                                   "SELECT count(*) FROM main.incident d LEFT JOIN srv.incident s "
                                   "ON s.id = d.id WHERE s.id IS NULL OR d.status IS NOT s.status "
                                   "OR d.number IS NOT s.number OR d.rev IS NOT s.rev "
                                   "OR d.last_seq IS NOT s.last_seq OR d.lead_unit_id IS NOT s.lead_unit_id "
                                   "OR d.updated_at IS NOT s.updated_at OR d.title IS NOT s.title "
                                   "OR d.handling_due_at IS NOT s.handling_due_at"), ==, 0);
  g_assert_cmpint (attached_count (desk_path, "SELECT count(*) FROM main.incident_event"), ==,
                   attached_count (desk_path, "SELECT count(*) FROM srv.incident_event e JOIN srv.incident i "
                                              "ON i.id = e.incident_id WHERE i.street_id = '" STREET "'"));
  g_assert_cmpint (attached_count (desk_path,
                                   "SELECT count(*) FROM main.incident_event d LEFT JOIN srv.incident_event s "
                                   "ON s.id = d.id WHERE s.id IS NULL OR s.seq IS NOT d.seq "
                                   "OR s.incident_id IS NOT d.incident_id OR s.actor_id IS NOT d.actor_id "
                                   "OR s.to_status IS NOT d.to_status"), ==, 0);
  g_assert_cmpint (attached_count (desk_path, "SELECT count(*) FROM main.incident_unit"), ==,
                   attached_count (desk_path, "SELECT count(*) FROM srv.incident_unit u JOIN srv.incident i "
                                              "ON i.id = u.incident_id WHERE i.street_id = '" STREET "'"));
  g_assert_cmpint (attached_count (desk_path,
                                   "SELECT count(*) FROM main.incident_unit d LEFT JOIN srv.incident_unit s "
                                   "USING (incident_id, unit_id) WHERE s.role IS NULL OR s.role IS NOT d.role "
                                   "OR s.acknowledged_at IS NOT d.acknowledged_at "
                                   "OR s.returned_at IS NOT d.returned_at"), ==, 0);
  g_assert_cmpint (attached_count (desk_path, "SELECT count(*) FROM main.outbox"), ==, 0);
  g_assert_cmpint (attached_count (desk_path, "SELECT count(*) FROM main.sync_draft_event"), ==, 0);
  /* Search finds what the desk shows, no more (migrations 5 and 6). */
  g_assert_cmpint (attached_count (desk_path, "SELECT count(*) FROM main.incident_search"), ==,
                   attached_count (desk_path, "SELECT count(*) FROM main.incident"));
  g_free (main_db);
  main_db = g_steal_pointer (&saved_main);
}

static void
assert_matches_server (Desk *desk)
{
  assert_matches_server_db (desk->path, main_db);
}

static gint64
server_count (const char *sql,
              const char *param)
{
  return test_db_count (main_db, sql, param);
}

/* Setup */

static void
prepare_database (const char *path,
                  int         incidents)
{
  g_autofree char *n = g_strdup_printf ("%d", incidents);

  g_free (test_admin (path, NULL, "load-demo", "--streets", "1", "--incidents", n, "--months", "1", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET, "--role", "duty_officer",
                      "duty_a", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET, "--role", "duty_officer",
                      "duty_a2", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET, "--role", "viewer",
                      "viewer_a", NULL));
}

static void
learn_organisation (Desk *desk)
{
  if (unit_1 != NULL)
    return;
  unit_1 = desk_query (desk, "SELECT id FROM unit WHERE street_id = ? ORDER BY sort_order, id LIMIT 1", STREET);
  unit_2 = desk_query (desk, "SELECT id FROM unit WHERE street_id = ? ORDER BY sort_order, id LIMIT 1 OFFSET 1",
                       STREET);
  category = desk_query (desk, "SELECT code FROM category WHERE parent_code IS NOT NULL AND major = 0 "
                               "ORDER BY code LIMIT 1", NULL);
  g_assert_nonnull (unit_1);
  g_assert_nonnull (unit_2);
  g_assert_nonnull (category);
}

/* A desk that has synced once. */
static Desk *
synced_desk (const char *name,
             const char *user,
             const char *token)
{
  Desk *desk = desk_new (main_server, name, user, token);

  desk_sync_ok (desk);
  learn_organisation (desk);
  return desk;
}

/* Tests */

static void
record_progress (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GArray *values = user_data;
  double progress = wh_sync_engine_get_progress (WH_SYNC_ENGINE (object));

  g_array_append_val (values, progress);
}

static void
cancel_on_first_page (WhSyncEngine  *engine,
                      char         **ids,
                      gpointer       user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_first_sync (void)
{
  g_autoptr (Desk) desk = desk_new (main_server, "first", "duty_a", token_a);
  g_autoptr (Desk) cancelled = NULL;
  g_autoptr (GArray) progress = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *street = NULL;
  gint64 street_incidents = server_count ("SELECT count(*) FROM incident WHERE street_id = ?", STREET);
  WhSyncReport report;
  gint64 cursor, kept;

  g_assert_cmpint (street_incidents, >=, N_DEMO);
  g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_OFFLINE);
  g_signal_connect (desk->engine, "notify::progress", G_CALLBACK (record_progress), progress);

  report = desk_sync_ok (desk);
  g_assert_true (report.first_sync);
  g_assert_cmpuint (report.pulled, ==, street_incidents);
  g_assert_cmpuint (report.pages, ==, (street_incidents + PAGE_SIZE - 1) / PAGE_SIZE);
  g_assert_cmpuint (report.waiting, ==, 0);
  g_assert_cmpint (wh_sync_engine_get_last_success (desk->engine), >, 0);
  g_assert_null (wh_sync_engine_get_last_error (desk->engine));
  assert_matches_server (desk);
  learn_organisation (desk);

  /* The organisation came first, and the cache is now the street's. */
  street = wh_db_get_meta (desk->db, "street_id");
  g_assert_cmpstr (street, ==, STREET);
  g_assert_cmpint (desk_count (desk, "SELECT count(*) FROM grid_cell", NULL), >, 0);
  g_assert_cmpint (desk_count (desk, "SELECT count(*) FROM staff", NULL), >, 0);

  /* Progress went up page by page and ended at 100%. */
  g_assert_cmpuint (progress->len, >=, 3);
  for (guint i = 1; i < progress->len; i++)
    g_assert_cmpfloat (g_array_index (progress, double, i), >=, g_array_index (progress, double, i - 1) - 1e-9);
  g_assert_cmpfloat (g_array_index (progress, double, progress->len - 1), ==, 1.0);

  /* Nothing new: nothing pulled. */
  report = desk_sync_ok (desk);
  g_assert_false (report.first_sync);
  g_assert_cmpuint (report.pulled, ==, 0);

  /* A first sync cancelled after its first page keeps whole pages only, and goes on from
   * there next time. */
  cancelled = desk_new (main_server, "first-cancelled", "duty_a", token_a);
  g_signal_connect (cancelled->engine, "incidents-changed", G_CALLBACK (cancel_on_first_page), cancellable);
  g_assert_false (test_desk_sync (cancelled, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (wh_sync_engine_get_status (cancelled->engine), !=, WH_SYNC_STATUS_SYNCING);
  cursor = desk_count (cancelled, "SELECT cursor FROM sync_state", NULL);
  g_assert_cmpint (cursor, >, 0);
  g_assert_cmpint (desk_count (cancelled, "SELECT count(*) FROM incident", NULL), <, street_incidents);
  g_assert_cmpint (desk_count (cancelled, "SELECT count(*) FROM incident", NULL), ==,
                   server_count ("SELECT count(*) FROM change_log WHERE street_id = '" STREET "' AND seq <= ?",
                                 desk_query (cancelled, "SELECT cursor FROM sync_state", NULL)));
  g_signal_handlers_disconnect_by_func (cancelled->engine, cancel_on_first_page, cancellable);
  kept = desk_count (cancelled, "SELECT count(*) FROM incident", NULL);
  report = desk_sync_ok (cancelled);
  g_assert_false (report.first_sync);
  g_assert_cmpuint (report.pulled, ==, street_incidents - kept);
  assert_matches_server (cancelled);
}

typedef struct {
  guint  done;
  GError *errors[2];
} PairWait;

static void
pair_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PairWait *wait = user_data;
  GError *error = NULL;

  wh_sync_engine_sync_finish (WH_SYNC_ENGINE (source), result, NULL, &error);
  wait->errors[wait->done++] = error;
}

static void
test_converge (void)
{
  g_autoptr (Desk) a = synced_desk ("converge-a", "duty_a", token_a);
  g_autoptr (Desk) b = synced_desk ("converge-b", "duty_a2", token_a2);
  g_autoptr (GPtrArray) shared = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) new_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contested = NULL;
  PairWait wait = { 0, };
  gint64 events_before;
  gint64 incidents_before = server_count ("SELECT count(*) FROM incident WHERE street_id = ?", STREET);

  /* An incident both will act on: reported on A, seen by both. */
  contested = desk_report (a, "两台同时处理的事件");
  desk_sync_ok (a);
  desk_sync_ok (b);

  /* Five open incidents both desks add notes to. */
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (wh_db_get_handle (a->db),
                                         "SELECT id FROM incident WHERE status IN ('whistled', 'in_progress', "
                                         "'acknowledged', 'registered', 'rework', 'resolved') ORDER BY number LIMIT 5",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (shared, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    sqlite3_finalize (stmt);
  }
  g_assert_cmpuint (shared->len, ==, 5);
  events_before = server_count ("SELECT count(*) FROM incident_event", NULL);

  /* Apart from each other, both desks work on the same street. */
  for (guint i = 0; i < shared->len; i++)
    {
      g_free (desk_do (a, WH_ACTION_NOTE, shared->pdata[i], "甲台：现场已查看"));
      g_free (desk_do (b, WH_ACTION_NOTE, shared->pdata[i], "乙台：已电话联系"));
      g_free (desk_do (a, WH_ACTION_NOTE, shared->pdata[i], "甲台：再次查看"));
    }
  for (guint i = 0; i < 3; i++)
    {
      /* Same day, same next number on both desks: the server renumbers the later one. */
      char *on_a = desk_report (a, "甲台新报事件");
      char *on_b = desk_report (b, "乙台新报事件");

      g_free (desk_do (a, WH_ACTION_REGISTER, on_a, NULL));
      g_free (desk_do (b, WH_ACTION_REGISTER, on_b, NULL));
      g_free (desk_whistle (b, on_b, unit_1));
      g_ptr_array_add (new_ids, on_a);
      g_ptr_array_add (new_ids, on_b);
    }
  /* Competing transitions: one desk registers, the other does not accept. */
  g_free (desk_do (a, WH_ACTION_REGISTER, contested, NULL));
  g_free (desk_do (b, WH_ACTION_NOT_ACCEPT, contested, "重复报告"));

  /* Both sync at the same time; then each once more to see the other's work. */
  wh_sync_engine_sync_async (a->engine, NULL, pair_done, &wait);
  wh_sync_engine_sync_async (b->engine, NULL, pair_done, &wait);
  while (wait.done < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.errors[0]);
  g_assert_no_error (wait.errors[1]);
  desk_sync_ok (a);
  desk_sync_ok (b);

  /* Exactly one of the competing steps lost, and that desk has it in its conflicts list. */
  g_assert_cmpuint (wh_sync_engine_get_conflicts (a->engine) + wh_sync_engine_get_conflicts (b->engine), ==, 1);
  g_assert_cmpuint (wh_sync_engine_get_pending (a->engine), ==, 0);
  g_assert_cmpuint (wh_sync_engine_get_pending (b->engine), ==, 0);

  /* Everything else went through once: 3 notes on each of 5 incidents, A's 3 reports and
   * registrations, B's 3 reports, registrations and whistles, and one of the two steps. */
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident_event", NULL), ==,
                   events_before + 3 * 5 + 3 * 2 + 3 * 3 + 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident WHERE street_id = ?", STREET), ==,
                   incidents_before + 1 + 6);
  g_assert_cmpint (server_count ("SELECT count(DISTINCT number) FROM incident WHERE street_id = ?", STREET), ==,
                   incidents_before + 1 + 6);

  /* Both desks hold the server's record exactly: same incidents, statuses, timelines. */
  assert_matches_server (a);
  assert_matches_server (b);
  for (guint i = 0; i < shared->len; i++)
    {
      g_autoptr (WhIncident) on_a = desk_get (a, shared->pdata[i]);
      g_autoptr (WhIncident) on_b = desk_get (b, shared->pdata[i]);

      g_assert_cmpint (on_a->last_seq, ==, on_b->last_seq);
      g_assert_cmpint (on_a->status, ==, on_b->status);
    }
}

static void
test_offline_day (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "offline-server.db", NULL);
  g_autoptr (GPtrArray) op_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) existing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *port = NULL;
  g_autoptr (Desk) desk = NULL;
  TestServer *server;
  WhSyncReport report;
  gint64 start = g_get_real_time () - G_TIME_SPAN_DAY;
  gint64 incidents_before, events_before;
  guint n_ops;

  prepare_database (db, 30);
  server = test_server_start (db, NULL, NULL);
  port = g_strdup (strrchr (server->url, ':') + 1);
  token = test_login (session, server->url, "duty_a", PASSWORD);
  desk = desk_new (server, "offline", "duty_a", token);
  desk_sync_ok (desk);
  learn_organisation (desk);
  incidents_before = test_db_count (db, "SELECT count(*) FROM incident", NULL);
  events_before = test_db_count (db, "SELECT count(*) FROM incident_event", NULL);

  /* The link goes down for a day. */
  test_server_free (server);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (wh_db_get_handle (desk->db),
                                         "SELECT id FROM incident WHERE status NOT IN ('closed', 'rated', "
                                         "'not_accepted') ORDER BY number LIMIT 20", -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (existing, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    sqlite3_finalize (stmt);
  }
  /* Op ids of everything but the reports (whose events are checked by the incident count). */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *title = g_strdup_printf ("断网期间登记的事件 %u", i);
      g_autofree char *id = desk_report_at (desk, title, start + i * 30 * G_TIME_SPAN_MINUTE);

      g_ptr_array_add (op_ids, desk_do (desk, WH_ACTION_REGISTER, id, NULL));
      g_ptr_array_add (op_ids, desk_whistle (desk, id, i % 2 ? unit_1 : unit_2));
      g_ptr_array_add (op_ids, desk_do (desk, WH_ACTION_NOTE, id, "已通知责任单位"));
    }
  for (guint i = 0; i < existing->len; i++)
    g_ptr_array_add (op_ids, desk_do (desk, WH_ACTION_NOTE, existing->pdata[i], "断网期间巡查记录"));
  n_ops = 40 + op_ids->len;
  g_assert_cmpuint (n_ops, ==, 40 * 4 + existing->len);
  g_assert_cmpuint (desk_count (desk, "SELECT count(*) FROM outbox", NULL), ==, n_ops);

  /* Trying while the server is away changes nothing but the attempts. */
  g_assert_false (test_desk_sync (desk, NULL, NULL, &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_OFFLINE);
  g_assert_cmpuint (wh_sync_engine_get_pending (desk->engine), ==, n_ops);
  g_assert_nonnull (wh_sync_engine_get_last_error (desk->engine));
  g_assert_cmpint (desk_count (desk, "SELECT min (attempts) FROM outbox", NULL), ==, 1);
  g_assert_cmpint (desk_count (desk, "SELECT count(*) FROM outbox WHERE last_error = ''", NULL), ==, 0);

  /* The link comes back, and the server dies after 70 ops of the batch: their answers never
   * arrive. */
  {
    const char *args[] = { "--port", port, NULL };

    server = test_server_start (db, args, "70");
    g_assert_false (test_desk_sync (desk, NULL, NULL, &error));
    g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_NETWORK);
    g_clear_error (&error);
    test_server_wait (server, 10000);
    server->quiet = TRUE;
    test_server_free (server);
    g_assert_cmpuint (desk_count (desk, "SELECT count(*) FROM outbox", NULL), ==, n_ops);

    server = test_server_start (db, args, NULL);
  }
  report = desk_sync_ok (desk);
  g_assert_cmpuint (report.pushed.duplicate, ==, 70);
  g_assert_cmpuint (report.pushed.applied, ==, n_ops - 70);
  g_assert_cmpuint (report.pushed.conflict + report.pushed.rejected + report.pushed.failed, ==, 0);
  g_assert_cmpuint (report.waiting, ==, 0);
  g_assert_cmpuint (report.conflicts, ==, 0);

  /* Nothing lost, nothing doubled. */
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident", NULL), ==, incidents_before + 40);
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident_event", NULL), ==, events_before + n_ops);
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM op_result WHERE account_id = "
                                      "(SELECT id FROM account WHERE name = ?)", "duty_a"), ==, n_ops);
  for (guint i = 0; i < op_ids->len; i++)
    g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident_event WHERE id = ?", op_ids->pdata[i]), ==, 1);
  assert_matches_server_db (desk->path, db);

  test_server_free (server);
}

static void
test_server_busy (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "busy-server.db", NULL);
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  g_autoptr (Desk) desk = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3 *holder = NULL;
  TestServer *server;
  WhSyncReport report;

  prepare_database (db, 5);
  server = test_server_start (db, NULL, NULL);
  token = test_login (session, server->url, "duty_a", PASSWORD);
  desk = desk_new (server, "busy", "duty_a", token);
  desk_sync_ok (desk);
  learn_organisation (desk);
  id = desk_report (desk, "服务器繁忙时登记");
  g_free (desk_do (desk, WH_ACTION_REGISTER, id, NULL));
  g_free (desk_do (desk, WH_ACTION_NOTE, id, "补充说明"));

  /* Another writer holds the server's database past its busy timeout: the server answers
   * "error" for each op and stores nothing; the desk keeps every op, and says why. */
  g_assert_cmpint (sqlite3_open (db, &holder), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (test_desk_sync (desk, NULL, &report, &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_SERVER);
  g_clear_error (&error);
  g_assert_cmpint (sqlite3_exec (holder, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (holder);
  g_assert_cmpint (desk_count (desk, "SELECT count(*) FROM outbox WHERE attempts = 1 AND last_error != ''", NULL),
                   ==, 3);
  g_assert_cmpuint (wh_sync_engine_get_pending (desk->engine), ==, 3);
  g_assert_cmpuint (wh_sync_engine_get_conflicts (desk->engine), ==, 0);
  g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_OFFLINE);
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident WHERE id = ?", id), ==, 0);

  /* Sent again, they go through once each. */
  report = desk_sync_ok (desk);
  g_assert_cmpuint (report.pushed.applied, ==, 3);
  g_assert_cmpuint (report.waiting, ==, 0);
  assert_matches_server_db (desk->path, db);
  test_server_free (server);
}

static char *
whistlectl_path (void)
{
  const char *path = g_getenv ("WHISTLECTL");

  if (path == NULL)
    g_error ("WHISTLECTL is not set: run the test with `meson test`.");
  return g_strdup (path);
}

static GSubprocess *
spawn_whistlectl (const char  *cache,
                  const char  *url,
                  const char  *token,
                  const char  *kill_in_page,
                  const char  *page_size,
                  const char **extra,
                  GError     **error)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, whistlectl_path ());
  g_ptr_array_add (argv, g_strdup ("--cache"));
  g_ptr_array_add (argv, g_strdup (cache));
  if (url != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--server"));
      g_ptr_array_add (argv, g_strdup (url));
      g_ptr_array_add (argv, g_strdup ("--user"));
      g_ptr_array_add (argv, g_strdup ("duty_a"));
    }
  if (page_size != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--page-size"));
      g_ptr_array_add (argv, g_strdup (page_size));
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, "WHISTLE_TOKEN", token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "WHISTLE_TOKEN");
  if (kill_in_page != NULL)
    g_subprocess_launcher_setenv (launcher, "WHISTLE_SYNC_KILL_IN_PAGE", kill_in_page, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "WHISTLE_SYNC_KILL_IN_PAGE");
  return g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
}

/* Runs whistlectl to its end; returns its exit status (or 128 + signal). */
static int
run_whistlectl (const char  *cache,
                const char  *url,
                const char  *token,
                const char  *kill_in_page,
                const char  *page_size,
                const char  *input,
                const char **extra,
                char       **out,
                char       **err)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = spawn_whistlectl (cache, url, token, kill_in_page, page_size, extra, &error);
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("whistlectl: %s%s", stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  if (g_subprocess_get_if_signaled (process))
    return 128 + g_subprocess_get_term_sig (process);
  return g_subprocess_get_exit_status (process);
}

/* A cache that died half-way through a pull holds whole pages only: exactly the incidents
 * the server's feed had up to the stored cursor, with all their events. */
static void
assert_whole_pages (const char *cache)
{
  g_autofree char *cursor = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (cache, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT cursor FROM sync_state", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  cursor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpint (attached_count (cache, "SELECT count(*) FROM main.incident"), ==,
                   server_count ("SELECT count(*) FROM change_log WHERE street_id = '" STREET "' AND seq <= ?",
                                 cursor));
  g_assert_cmpint (attached_count (cache,
                                   "SELECT count(*) FROM main.incident d JOIN srv.change_log c ON c.entity_id = d.id "
                                   "WHERE c.seq > (SELECT cursor FROM main.sync_state)"), ==, 0);
  g_assert_cmpint (attached_count (cache, "SELECT count(*) FROM main.incident_event"), ==,
                   attached_count (cache, "SELECT count(*) FROM srv.incident_event e JOIN main.incident d "
                                          "ON d.id = e.incident_id"));
}

static void
test_kill_mid_pull (void)
{
  g_autofree char *cache = cache_path ("killed");
  g_autofree char *outside = cache_path ("killed-outside");
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  gint64 total = server_count ("SELECT count(*) FROM incident WHERE street_id = ?", STREET);
  int status;

  /* Killed with page 3 written but not committed: pages 1 and 2 stay, page 3 leaves nothing. */
  status = run_whistlectl (cache, main_server->url, token_a, "3", "20", NULL,
                           (const char *[]) { "sync-once", NULL }, NULL, NULL);
  g_assert_cmpint (status, ==, 128 + SIGKILL);
  assert_whole_pages (cache);
  g_assert_cmpint (test_db_count (cache, "SELECT count(*) FROM incident", NULL), ==, 40);

  /* The next sync goes on from there and completes. */
  status = run_whistlectl (cache, main_server->url, token_a, NULL, "20", NULL,
                           (const char *[]) { "sync-once", NULL }, NULL, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_matches_server_db (cache, main_db);

  /* Killed from outside at whatever moment the cursor first moves. */
  process = spawn_whistlectl (outside, main_server->url, token_a, NULL, "5",
                              (const char *[]) { "sync-once", NULL }, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, "", NULL, NULL, NULL);
  while (g_file_test (outside, G_FILE_TEST_EXISTS) == FALSE ||
         test_db_count (outside, "SELECT count(*) FROM sqlite_schema WHERE name = 'sync_state'", NULL) == 0 ||
         test_db_count (outside, "SELECT cursor FROM sync_state", NULL) == 0)
    {
      if (g_subprocess_get_identifier (process) == NULL)
        break;
      g_usleep (2000);
    }
  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_wait (process, NULL, NULL);
  assert_whole_pages (outside);
  g_test_message ("killed from outside with %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " incidents",
                  test_db_count (outside, "SELECT count(*) FROM incident", NULL), total);
  status = run_whistlectl (outside, main_server->url, token_a, NULL, "50", NULL,
                           (const char *[]) { "sync-once", NULL }, NULL, NULL);
  g_assert_cmpint (status, ==, 0);
  assert_matches_server_db (outside, main_db);
}

static WhSyncConflict *
find_conflict (GPtrArray  *conflicts,
               const char *op_id)
{
  for (guint i = 0; i < conflicts->len; i++)
    {
      WhSyncConflict *conflict = g_ptr_array_index (conflicts, i);

      if (g_strcmp0 (conflict->op_id, op_id) == 0)
        return conflict;
    }
  g_error ("no conflict for op %s", op_id);
  return NULL;
}

static void
test_rejected (void)
{
  g_autoptr (Desk) a = synced_desk ("rejected-a", "duty_a", token_a);
  g_autoptr (Desk) viewer = synced_desk ("rejected-viewer", "viewer_a", token_viewer);
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WhIncident) back = NULL;
  g_autofree char *reported = NULL;
  g_autofree char *register_op = NULL;
  g_autofree char *new_incident = NULL;
  g_autofree char *report_op = NULL;
  g_autofree char *note_op = NULL;
  g_autofree char *good_1 = NULL;
  g_autofree char *good_2 = NULL;
  g_autofree char *odd = NULL;
  WhSyncConflict *conflict;
  WhSyncReport report;

  reported = desk_report (a, "待观察的事件");
  desk_sync_ok (a);
  desk_sync_ok (viewer);

  /* The viewer's desk claims a duty officer; the server knows better and refuses. */
  register_op = desk_do (viewer, WH_ACTION_REGISTER, reported, NULL);
  new_incident = desk_report (viewer, "查看员试图报告");
  report_op = desk_query (viewer, "SELECT op_id FROM outbox WHERE kind = 'report'", NULL);
  note_op = desk_do (viewer, WH_ACTION_NOTE, new_incident, "不该存在");
  report = desk_sync_ok (viewer);
  g_assert_cmpuint (report.pushed.rejected, ==, 3);
  g_assert_cmpuint (report.pushed.applied, ==, 0);
  g_assert_cmpuint (report.waiting, ==, 0);
  g_assert_cmpuint (report.conflicts, ==, 3);
  g_assert_cmpuint (wh_sync_engine_get_conflicts (viewer->engine), ==, 3);

  /* Each op is in the list with the server's reason, none dropped. */
  conflicts = wh_sync_engine_list_conflicts (viewer->engine, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 3);
  conflict = find_conflict (conflicts, register_op);
  g_assert_cmpint (conflict->kind, ==, WH_CONFLICT_KIND_REJECTED);
  g_assert_cmpstr (conflict->code, ==, "forbidden");
  g_assert_cmpstr (conflict->reason, !=, "");
  g_assert_cmpint (conflict->op->action, ==, WH_ACTION_REGISTER);
  g_assert_cmpstr (conflict->incident_id, ==, reported);
  conflict = find_conflict (conflicts, report_op);
  g_assert_cmpstr (conflict->code, ==, "forbidden");
  g_assert_cmpstr (wh_op_get_string (conflict->op, "title"), ==, "查看员试图报告");
  conflict = find_conflict (conflicts, note_op);
  g_assert_cmpstr (conflict->code, ==, "not_found");

  /* The desk's record lost the refused changes: the report is gone, the register undone. */
  back = desk_get (viewer, reported);
  g_assert_cmpint (back->status, ==, WH_STATUS_REPORTED);
  g_assert_null (wh_incident_store_get (viewer->store, new_incident, NULL));
  assert_matches_server (viewer);

  /* A change the server cannot even read (a field its action does not know) is refused on
   * its own; the others of the batch go through. */
  good_1 = desk_do (a, WH_ACTION_NOTE, reported, "第一条");
  {
    g_autoptr (WhOp) op = desk_op (a, WH_ACTION_NOTE, reported, "第二条");

    wh_op_set_string (op, "mood", "cheerful");
    odd = desk_apply (a, op);
  }
  good_2 = desk_do (a, WH_ACTION_NOTE, reported, "第三条");
  report = desk_sync_ok (a);
  g_assert_cmpuint (report.pushed.applied, ==, 2);
  g_assert_cmpuint (report.pushed.rejected, ==, 1);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = wh_sync_engine_list_conflicts (a->engine, TRUE, &error);
  g_assert_no_error (error);
  conflict = find_conflict (conflicts, odd);
  g_assert_cmpstr (conflict->code, ==, "invalid_op");
  g_assert_nonnull (strstr (conflict->reason, "mood"));
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident_event WHERE id IN (?)", good_1), ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident_event WHERE id = ?", good_2), ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident_event WHERE id = ?", odd), ==, 0);
  assert_matches_server (a);
}

static void
test_conflict (void)
{
  g_autoptr (Desk) a = synced_desk ("conflict-a", "duty_a", token_a);
  g_autoptr (Desk) b = synced_desk ("conflict-b", "duty_a2", token_a2);
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autofree char *x = NULL;
  g_autofree char *z = NULL;
  g_autofree char *w = NULL;
  g_autofree char *b_whistle = NULL;
  g_autofree char *b_refuse = NULL;
  g_autofree char *b_verify = NULL;
  g_autofree char *resolution = NULL;
  g_autoptr (WhIncident) seen = NULL;
  WhSyncConflict *conflict;
  WhSyncReport report;
  gint64 id;

  x = desk_report (a, "两台同时吹哨");
  g_free (desk_do (a, WH_ACTION_REGISTER, x, NULL));
  z = desk_report (a, "两台同时立案");
  w = desk_report (a, "两台同时核查");
  g_free (desk_do (a, WH_ACTION_REGISTER, w, NULL));
  g_free (desk_whistle (a, w, unit_1));
  g_free (desk_unit_step (a, WH_ACTION_ACKNOWLEDGE, w, unit_1, NULL));
  g_free (desk_do (a, WH_ACTION_START, w, NULL));
  g_free (desk_do (a, WH_ACTION_FEEDBACK, w, "已处理完毕"));
  desk_sync_ok (a);
  desk_sync_ok (b);

  /* Both whistle the same incident; A gets there first. */
  g_free (desk_whistle (a, x, unit_1));
  b_whistle = desk_whistle (b, x, unit_2);
  /* A registers, B refuses the same report. */
  g_free (desk_do (a, WH_ACTION_REGISTER, z, NULL));
  b_refuse = desk_do (b, WH_ACTION_NOT_ACCEPT, z, "不属于本街道");
  /* A finds the work not done, B passes it. */
  g_free (desk_do (a, WH_ACTION_VERIFY_FAIL, w, "现场仍有问题"));
  b_verify = desk_do (b, WH_ACTION_VERIFY_PASS, w, NULL);
  desk_sync_ok (a);

  report = desk_sync_ok (b);
  g_assert_cmpuint (report.pushed.conflict, ==, 3);
  g_assert_cmpuint (report.waiting, ==, 0);
  conflicts = wh_sync_engine_list_conflicts (b->engine, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 3);

  /* The conflict keeps my change and the server's record; the desk shows the server's. */
  conflict = find_conflict (conflicts, b_whistle);
  g_assert_cmpint (conflict->kind, ==, WH_CONFLICT_KIND_CONFLICT);
  g_assert_cmpstr (conflict->code, ==, "stale");
  g_assert_nonnull (conflict->server_incident);
  g_assert_cmpstr (conflict->server_incident->lead_unit_id, ==, unit_1);
  g_assert_cmpstr (wh_op_get_string (conflict->op, "lead_unit_id"), ==, unit_2);
  seen = desk_get (b, x);
  g_assert_cmpint (seen->status, ==, WH_STATUS_WHISTLED);
  g_assert_cmpstr (seen->lead_unit_id, ==, unit_1);
  assert_matches_server (b);

  /* Keep mine: whistling a whistled incident is refused, and the conflict stays open. */
  id = conflict->id;
  g_assert_false (wh_sync_engine_resolve (b->engine, id, WH_RESOLUTION_KEEP_MINE, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_cmpuint (wh_sync_engine_get_conflicts (b->engine), ==, 3);
  g_assert_cmpuint (wh_sync_engine_get_pending (b->engine), ==, 0);

  /* The lead unit sends it back, and the other incident is fixed again: now B's changes fit.
   * The whistle goes again merged with the officer's choice of units. */
  g_free (desk_unit_step (a, WH_ACTION_RETURN, x, unit_1, "不属于本单位职责"));
  g_free (desk_do (a, WH_ACTION_FEEDBACK, w, "返工完成"));
  desk_sync_ok (a);
  desk_sync_ok (b);
  json_object_set_string_member (fields, "lead_unit_id", unit_2);
  {
    JsonArray *coop = json_array_new ();

    json_array_add_string_element (coop, unit_1);
    json_object_set_array_member (fields, "cooperating_unit_ids", coop);
  }
  g_assert_true (wh_sync_engine_resolve (b->engine, id, WH_RESOLUTION_MERGE, NULL, fields, NULL, &resolution, &error));
  g_assert_no_error (error);
  g_assert_nonnull (resolution);
  g_assert_cmpstr (resolution, !=, b_whistle);
  g_assert_cmpuint (wh_sync_engine_get_pending (b->engine), ==, 1);
  report = desk_sync_ok (b);
  g_assert_cmpuint (report.pushed.applied, ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM incident WHERE id = ? AND status = 'whistled' "
                                            "AND lead_unit_id = '%s'", unit_2);

    g_assert_cmpint (server_count (sql, x), ==, 1);
  }
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident_unit WHERE incident_id = ?", x), ==, 2);
  g_clear_pointer (&resolution, g_free);

  /* Take theirs: the desk keeps the server's record and notes in the timeline that its
   * change was not applied; that note is the op that resolves the conflict. */
  conflict = find_conflict (conflicts, b_refuse);
  g_assert_true (wh_sync_engine_resolve (b->engine, conflict->id, WH_RESOLUTION_TAKE_THEIRS, NULL, NULL, NULL,
                                         &resolution, &error));
  g_assert_no_error (error);
  g_assert_nonnull (resolution);
  report = desk_sync_ok (b);
  g_assert_cmpuint (report.pushed.applied, ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident_event WHERE id = ? AND action = 'note' "
                                 "AND note LIKE '%not applied%'", resolution), ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident WHERE id = ? AND status = 'registered'", z), ==, 1);
  g_clear_pointer (&resolution, g_free);

  /* Keep mine, once the record allows it again: B's verification goes through. */
  conflict = find_conflict (conflicts, b_verify);
  g_assert_true (wh_sync_engine_resolve (b->engine, conflict->id, WH_RESOLUTION_KEEP_MINE, NULL, NULL, NULL,
                                         &resolution, &error));
  g_assert_no_error (error);
  report = desk_sync_ok (b);
  g_assert_cmpuint (report.pushed.applied, ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident WHERE id = ? AND status = 'verified'", w), ==, 1);

  /* All resolved, each by its own op, and a resolved conflict cannot be resolved twice. */
  g_assert_cmpuint (wh_sync_engine_get_conflicts (b->engine), ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = wh_sync_engine_list_conflicts (b->engine, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 3);
  for (guint i = 0; i < conflicts->len; i++)
    {
      WhSyncConflict *c = g_ptr_array_index (conflicts, i);

      g_assert_cmpint (c->resolved_at, >, 0);
      g_assert_nonnull (c->resolution_op_id);
      g_assert_cmpint (server_count ("SELECT count(*) FROM op_result WHERE op_id = ? AND result = 'applied'",
                                     c->resolution_op_id), ==, 1);
    }
  g_assert_false (wh_sync_engine_resolve (b->engine, id, WH_RESOLUTION_TAKE_THEIRS, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, WH_SYNC_STORE_ERROR, WH_SYNC_STORE_ERROR_ALREADY_RESOLVED);
  g_clear_error (&error);

  desk_sync_ok (a);
  assert_matches_server (a);
  assert_matches_server (b);
}

static void
test_tls (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = g_build_filename (tmp_dir, "sync-cert.pem", NULL);
  g_autofree char *key = g_build_filename (tmp_dir, "sync-key.pem", NULL);
  g_autofree char *other = g_build_filename (tmp_dir, "sync-other.pem", NULL);
  g_autofree char *other_key = g_build_filename (tmp_dir, "sync-other-key.pem", NULL);
  g_autofree char *db = g_build_filename (tmp_dir, "tls-server.db", NULL);
  g_autofree char *missing = g_build_filename (tmp_dir, "no-such-ca.pem", NULL);
  g_autofree char *err = NULL;
  g_autoptr (Desk) desk = NULL;
  g_autoptr (GError) error = NULL;
  const char *args[] = { "--tls-cert", cert, "--tls-key", key, NULL };
  TestServer *server;

  if (openssl == NULL || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("needs openssl and a GIO TLS backend");
      return;
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GSubprocess) make = NULL;

      make = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                               openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                               "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                               "-keyout", i == 0 ? key : other_key, "-out", i == 0 ? cert : other, NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (make, NULL, &error));
      g_assert_no_error (error);
    }

  prepare_database (db, 10);
  server = test_server_start (db, args, NULL);
  g_assert_true (g_str_has_prefix (server->url, "https://"));

  /* Checked against the system's authorities, a self-signed certificate is refused, with a
   * message that says what to do; the cache stays as it was. */
  desk = desk_new (server, "tls", "duty_a", "0000");
  g_assert_false (test_desk_sync (desk, NULL, NULL, &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_assert_nonnull (strstr (error->message, "CA file"));
  g_clear_error (&error);
  g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_FAILED);
  g_assert_cmpint (desk_count (desk, "SELECT count(*) FROM unit", NULL), ==, 0);

  /* The same from the command line: a failure with the reason, not a crash. */
  g_assert_cmpint (run_whistlectl (desk->path, server->url, "0000", NULL, NULL, NULL,
                                   (const char *[]) { "sync-once", NULL }, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "not trusted"));

  /* Another authority does not help either; a CA file that cannot be read says so. */
  g_assert_true (wh_sync_client_set_ca_file (desk->client, other, &error));
  g_assert_false (test_desk_sync (desk, NULL, NULL, &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_TLS);
  g_clear_error (&error);
  g_assert_false (wh_sync_client_set_ca_file (desk->client, missing, &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_TLS);
  g_clear_error (&error);

  /* Accepted once that certificate's authority is configured. */
  g_assert_true (wh_sync_client_set_ca_file (desk->client, cert, &error));
  g_assert_no_error (error);
  {
    g_autofree char *token = NULL;
    SoupSession *trusting;
    g_autoptr (GTlsDatabase) ca = g_tls_file_database_new (cert, &error);

    g_assert_no_error (error);
    trusting = soup_session_new_with_options ("tls-database", ca, NULL);
    token = test_login (trusting, server->url, "duty_a", PASSWORD);
    g_object_unref (trusting);
    wh_sync_client_set_token (desk->client, token);
  }
  desk_sync_ok (desk);
  assert_matches_server_db (desk->path, db);

  /* whistlectl --ca-file, signing in with the password on standard input. */
  {
    g_autofree char *cli_cache = cache_path ("tls-cli");

    g_assert_cmpint (run_whistlectl (cli_cache, server->url, NULL, NULL, NULL, PASSWORD "\n",
                                     (const char *[]) { "--ca-file", cert, "--no-keyring", "--password-stdin",
                                                        "sync-once", NULL }, NULL, NULL), ==, 0);
    assert_matches_server_db (cli_cache, db);
  }
  test_server_free (server);
}

static void
test_auth (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "auth-server.db", NULL);
  g_autofree char *token = NULL;
  g_autofree char *err = NULL;
  g_autoptr (Desk) desk = NULL;
  g_autoptr (Desk) unsigned_desk = NULL;
  g_autoptr (GError) error = NULL;
  TestServer *server;

  prepare_database (db, 5);
  server = test_server_start (db, NULL, NULL);
  token = test_login (session, server->url, "duty_a", PASSWORD);
  desk = desk_new (server, "auth", "duty_a", token);
  desk_sync_ok (desk);

  /* Revoked: the desk must sign in again, and says so. */
  g_free (test_admin (db, NULL, "revoke-tokens", "duty_a", NULL));
  g_assert_false (test_desk_sync (desk, NULL, NULL, &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_SIGN_IN_NEEDED);
  g_assert_cmpint (run_whistlectl (desk->path, server->url, token, NULL, NULL, NULL,
                                   (const char *[]) { "sync-once", NULL }, NULL, &err), ==, 3);

  /* No token at all: the same, without asking the server. */
  unsigned_desk = desk_new (server, "auth-none", "duty_a", NULL);
  g_assert_false (test_desk_sync (unsigned_desk, NULL, NULL, &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_AUTH);
  g_clear_error (&error);

  /* A wrong password from the command line. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_whistlectl (unsigned_desk->path, server->url, NULL, NULL, NULL, "wrong\n",
                                   (const char *[]) { "--no-keyring", "--password-stdin", "sync-once", NULL },
                                   NULL, &err), ==, 3);
  test_server_free (server);
}

static void
test_wrong_cache (void)
{
  g_autoptr (Desk) desk = synced_desk ("wrong-cache", "duty_a", token_a);
  g_autoptr (Desk) local = NULL;
  g_autoptr (WhSyncClient) elsewhere = NULL;
  g_autoptr (WhSyncEngine) engine = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (WhIncident) incident = NULL;
  g_autofree char *id = desk_query (desk, "SELECT id FROM incident LIMIT 1", NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", 1);

  /* A cache of one server never syncs with another. */
  elsewhere = wh_sync_client_new (url, &error);
  g_assert_no_error (error);
  wh_sync_client_set_token (elsewhere, token_a);
  engine = wh_sync_engine_new (desk->path, elsewhere, "duty_a", &error);
  g_assert_no_error (error);
  test_engine_sync (engine, NULL, NULL, &error);
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_CACHE);
  g_assert_nonnull (strstr (error->message, main_server->url));
  g_clear_error (&error);
  g_assert_cmpint (wh_sync_engine_get_status (engine), ==, WH_SYNC_STATUS_FAILED);

  /* Nor does a cache with incidents of its own (a demo street) join a server. */
  local = desk_new (main_server, "wrong-cache-local", "duty_a", token_a);
  incident = desk_get (desk, id);
  events = wh_incident_store_list_events (desk->store, id, &error);
  g_assert_no_error (error);
  {
    g_autoptr (JsonNode) org = wh_organisation_export (desk->db, STREET, &error);

    g_assert_no_error (error);
    g_assert_true (wh_organisation_import (local->db, org, &error));
    g_assert_no_error (error);
    g_assert_true (wh_incident_store_import (local->store, incident, events, &error));
    g_assert_no_error (error);
  }
  g_assert_false (test_desk_sync (local, NULL, NULL, &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_CACHE);
  g_assert_nonnull (strstr (error->message, "did not come from"));
  g_clear_error (&error);
  g_assert_cmpint (desk_count (local, "SELECT count(*) FROM incident", NULL), ==, 1);

  /* Not a server URL at all. */
  g_assert_null (wh_sync_client_new ("ftp://example.org", &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_NOT_CONFIGURED);
}

static gboolean
wake_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* One iteration of the main loop, or 100 ms without one, so that deadlines are checked. */
static void
iterate_briefly (void)
{
  gboolean woken = FALSE;
  guint id = g_timeout_add (100, wake_up, &woken);

  g_main_context_iteration (NULL, TRUE);
  if (!woken)
    g_source_remove (id);
}

/* A network monitor the test switches by hand. */
typedef struct {
  GObject  parent_instance;
  gboolean available;
} TestMonitor;

typedef struct {
  GObjectClass parent_class;
} TestMonitorClass;

static void test_monitor_iface_init (GNetworkMonitorInterface *iface);
static void test_monitor_initable_init (GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_monitor_initable_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init))
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestMonitor, g_object_unref)

enum { MONITOR_PROP_0, MONITOR_PROP_AVAILABLE, MONITOR_PROP_METERED, MONITOR_PROP_CONNECTIVITY };

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = (TestMonitor *) object;

  switch (prop_id)
    {
    case MONITOR_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MONITOR_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
test_monitor_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  return TRUE;
}

static gboolean
test_monitor_initable (GInitable     *initable,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable;
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_monitor_can_reach;
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  G_OBJECT_CLASS (klass)->get_property = test_monitor_get_property;
  g_object_class_override_property (G_OBJECT_CLASS (klass), MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (G_OBJECT_CLASS (klass), MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (G_OBJECT_CLASS (klass), MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_init (TestMonitor *self)
{
}

static void
test_monitor_set_available (TestMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

static void
test_backoff (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "backoff-server.db", NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *token = NULL;
  g_autofree char *port = NULL;
  g_autoptr (Desk) desk = NULL;
  TestServer *server;
  gint64 deadline;

  /* Doubling from 2 s up to 5 min, jittered in the upper half, never below Retry-After. */
  for (guint i = 0; i < 200; i++)
    {
      guint first = wh_sync_engine_backoff_delay (1, 0, rand);
      guint third = wh_sync_engine_backoff_delay (3, 0, rand);
      guint many = wh_sync_engine_backoff_delay (40, 0, rand);

      g_assert_cmpuint (first, >=, 1000);
      g_assert_cmpuint (first, <=, 2000);
      g_assert_cmpuint (third, >=, 4000);
      g_assert_cmpuint (third, <=, 8000);
      g_assert_cmpuint (many, >=, 150000);
      g_assert_cmpuint (many, <=, 300000);
      g_assert_cmpuint (wh_sync_engine_backoff_delay (1, 30, rand), >=, 30000);
    }
  {
    /* The jitter spreads desks out. */
    guint a = wh_sync_engine_backoff_delay (5, 0, rand), b = a;

    for (guint i = 0; i < 10 && b == a; i++)
      b = wh_sync_engine_backoff_delay (5, 0, rand);
    g_assert_cmpuint (a, !=, b);
  }

  /* Running by itself: offline while the server is away, online again after its backoff
   * once it is back, and a desk change is sent without anybody asking. */
  prepare_database (db, 5);
  server = test_server_start (db, NULL, NULL);
  port = g_strdup (strrchr (server->url, ':') + 1);
  token = test_login (session, server->url, "duty_a", PASSWORD);
  desk = desk_new (server, "backoff", "duty_a", token);
  desk_sync_ok (desk);
  learn_organisation (desk);
  test_server_free (server);

  wh_sync_engine_set_poll_interval (desk->engine, 1);
  wh_sync_engine_start (desk->engine);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (wh_sync_engine_get_status (desk->engine) != WH_SYNC_STATUS_OFFLINE && g_get_monotonic_time () < deadline)
    iterate_briefly ();
  g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_OFFLINE);

  {
    const char *args[] = { "--port", port, NULL };
    g_autofree char *id = desk_report (desk, "自动同步的事件");

    server = test_server_start (db, args, NULL);
    wh_sync_engine_refresh (desk->engine);
    g_assert_cmpuint (wh_sync_engine_get_pending (desk->engine), ==, 1);
    wh_sync_engine_schedule (desk->engine);
    deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    while ((wh_sync_engine_get_status (desk->engine) != WH_SYNC_STATUS_ONLINE ||
            wh_sync_engine_get_pending (desk->engine) > 0) && g_get_monotonic_time () < deadline)
      iterate_briefly ();
    g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_ONLINE);
    g_assert_cmpuint (wh_sync_engine_get_pending (desk->engine), ==, 0);
    g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident WHERE id = ?", id), ==, 1);
  }
  wh_sync_engine_stop (desk->engine);

  /* A network change is a hint that cuts a long backoff short; the run that follows decides.
   * A change that says the network went away does not make the desk offline by itself. */
  {
    const char *args[] = { "--port", port, NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (TestMonitor) monitor = g_object_new (test_monitor_get_type (), NULL);
    gint64 started;

    g_assert_no_error (error);
    test_server_free (server);
    wh_sync_engine_set_network_monitor (desk->engine, G_NETWORK_MONITOR (monitor));
    wh_sync_engine_set_backoff (desk->engine, 60000, 120000);
    wh_sync_engine_start (desk->engine);
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (wh_sync_engine_get_status (desk->engine) != WH_SYNC_STATUS_OFFLINE && g_get_monotonic_time () < deadline)
      iterate_briefly ();
    g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_OFFLINE);

    /* Backing off for at least 30 s now; the network comes back. */
    server = test_server_start (db, args, NULL);
    started = g_get_monotonic_time ();
    test_monitor_set_available (monitor, TRUE);
    deadline = started + 15 * G_USEC_PER_SEC;
    while (wh_sync_engine_get_status (desk->engine) != WH_SYNC_STATUS_ONLINE && g_get_monotonic_time () < deadline)
      iterate_briefly ();
    g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_ONLINE);
    g_assert_cmpint (g_get_monotonic_time () - started, <, 15 * G_USEC_PER_SEC);

    test_monitor_set_available (monitor, FALSE);
    deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
    while (g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpint (wh_sync_engine_get_status (desk->engine), ==, WH_SYNC_STATUS_ONLINE);
    wh_sync_engine_stop (desk->engine);
  }
  test_server_free (server);
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} SessionWait;

static void
session_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SessionWait *wait = user_data;

  if (g_task_get_source_tag (G_TASK (result)) == wh_sync_session_resume_async)
    wait->ok = wh_sync_session_resume_finish (WH_SYNC_SESSION (source), result, &wait->error);
  else
    wait->ok = wh_sync_session_connect_finish (WH_SYNC_SESSION (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
wait_session (SessionWait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
  return wait->ok;
}

static void
wait_online (WhSyncEngine *engine)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while ((wh_sync_engine_get_status (engine) != WH_SYNC_STATUS_ONLINE ||
          wh_sync_engine_get_last_success (engine) == 0) && g_get_monotonic_time () < deadline)
    iterate_briefly ();
  g_assert_cmpint (wh_sync_engine_get_status (engine), ==, WH_SYNC_STATUS_ONLINE);
}

static void
test_session (void)
{
  g_autofree char *path = cache_path ("session");
  g_autoptr (WhTokenStore) tokens = wh_token_store_new_in_memory ();
  g_autoptr (WhSyncSession) session = wh_sync_session_new (path, tokens);
  g_autoptr (WhSyncSession) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  SessionWait wait = { 0, };

  /* A cache never connected: nothing to resume. */
  wh_sync_session_resume_async (session, NULL, session_done, &wait);
  g_assert_false (wait_session (&wait));
  g_assert_no_error (wait.error);
  g_assert_null (wh_sync_session_get_engine (session));

  /* A wrong password: no engine, no token. */
  memset (&wait, 0, sizeof wait);
  wh_sync_session_connect_async (session, main_server->url, "duty_a", "wrong-password", NULL, NULL,
                                 session_done, &wait);
  g_assert_false (wait_session (&wait));
  g_assert_error (wait.error, WH_SYNC_ERROR, WH_SYNC_ERROR_AUTH);
  g_clear_error (&wait.error);
  g_assert_null (wh_sync_session_get_engine (session));

  /* Signed in: the token is kept, and the engine runs by itself. */
  memset (&wait, 0, sizeof wait);
  wh_sync_session_connect_async (session, main_server->url, "duty_a", PASSWORD, NULL, NULL,
                                 session_done, &wait);
  g_assert_true (wait_session (&wait));
  g_assert_no_error (wait.error);
  g_assert_nonnull (wh_sync_session_get_engine (session));
  token = wh_token_store_lookup (tokens, main_server->url, "duty_a", &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  wait_online (wh_sync_session_get_engine (session));
  wh_sync_session_stop (session);
  assert_matches_server_db (path, main_db);
  server = wh_sync_session_dup_server_url (session);
  user = wh_sync_session_dup_user (session);
  g_assert_cmpstr (server, ==, main_server->url);
  g_assert_cmpstr (user, ==, "duty_a");

  /* The next start of the desk resumes with the kept token. */
  again = wh_sync_session_new (path, tokens);
  memset (&wait, 0, sizeof wait);
  wh_sync_session_resume_async (again, NULL, session_done, &wait);
  g_assert_true (wait_session (&wait));
  wait_online (wh_sync_session_get_engine (again));
  wh_sync_session_stop (again);

  /* Another server is refused before any password is sent. */
  memset (&wait, 0, sizeof wait);
  wh_sync_session_connect_async (again, "https://elsewhere.invalid", "duty_a", PASSWORD, NULL, NULL,
                                 session_done, &wait);
  g_assert_false (wait_session (&wait));
  g_assert_error (wait.error, WH_SYNC_ERROR, WH_SYNC_ERROR_CACHE);
  g_clear_error (&wait.error);
}

/* The keyring */

static GSubprocess *keyring_daemon;

/* Whether a secret service runs on the session bus now, without starting one by D-Bus
 * activation: an activated GNOME Keyring has no unlocked collection and would prompt. */
static gboolean
secret_service_running (void)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* A secret service for the test: the session's, or a GNOME Keyring of our own, unlocked,
 * on the session bus (dbus-run-session gives the test suite one). */
static gboolean
ensure_secret_service (void)
{
  g_autofree char *daemon = NULL;
  g_autofree char *home = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  gint64 deadline;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  if (secret_service_running ())
    return TRUE;
  daemon = g_find_program_in_path ("gnome-keyring-daemon");
  if (daemon == NULL)
    return FALSE;

  /* A keyring of its own in the test's folder, never the user's. */
  home = g_build_filename (tmp_dir, "keyring-home", NULL);
  g_mkdir_with_parents (home, 0700);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", home, TRUE);
  keyring_daemon = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground", "--unlock",
                                                "--components=secrets", NULL);
  if (keyring_daemon == NULL)
    return FALSE;
  /* --unlock reads the new login keyring's password from standard input. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring_daemon), "test-keyring", 12, NULL, NULL, NULL);
  g_output_stream_close (g_subprocess_get_stdin_pipe (keyring_daemon), NULL, NULL);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      if (secret_service_running ())
        return TRUE;
      g_usleep (50000);
    }
  return FALSE;
}

static void
test_token_store (void)
{
  g_autoptr (WhTokenStore) memory = wh_token_store_new_in_memory ();
  g_autoptr (WhTokenStore) keyring = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cache = NULL;
  const char *url = "https://whistle.test.invalid:8443";

  /* In memory: kept per server and user. */
  g_assert_true (wh_token_store_is_in_memory (memory));
  g_assert_true (wh_token_store_save (memory, url, "duty_a", "abc", &error));
  g_assert_no_error (error);
  token = wh_token_store_lookup (memory, url, "duty_a", &error);
  g_assert_cmpstr (token, ==, "abc");
  g_clear_pointer (&token, g_free);
  g_assert_null (wh_token_store_lookup (memory, url, "duty_a2", &error));
  g_assert_null (wh_token_store_lookup (memory, "https://other.invalid", "duty_a", &error));
  g_assert_no_error (error);
  g_assert_true (wh_token_store_forget (memory, url, "duty_a", &error));
  g_assert_null (wh_token_store_lookup (memory, url, "duty_a", &error));

  if (!ensure_secret_service ())
    {
      g_test_skip ("no secret service on a session bus, and none could be started");
      return;
    }

  /* The real keyring. */
  keyring = wh_token_store_new ();
  g_assert_false (wh_token_store_is_in_memory (keyring));
  g_assert_true (wh_token_store_save (keyring, url, "duty_a", "secret-token-1", &error));
  g_assert_no_error (error);
  g_assert_true (wh_token_store_save (keyring, url, "duty_a2", "secret-token-2", &error));
  g_assert_true (wh_token_store_save (keyring, url, "duty_a", "secret-token-3", &error));
  token = wh_token_store_lookup (keyring, url, "duty_a", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "secret-token-3");
  g_clear_pointer (&token, g_free);
  token = wh_token_store_lookup (keyring, url, "duty_a2", &error);
  g_assert_cmpstr (token, ==, "secret-token-2");
  g_clear_pointer (&token, g_free);
  g_assert_true (wh_token_store_forget (keyring, url, "duty_a", &error));
  g_assert_true (wh_token_store_forget (keyring, url, "duty_a2", &error));
  g_assert_null (wh_token_store_lookup (keyring, url, "duty_a", &error));
  g_assert_no_error (error);

  /* whistlectl: login keeps the token in the keyring, sync-once finds it there, logout
   * revokes and forgets it. */
  cache = cache_path ("keyring-cli");
  g_assert_cmpint (run_whistlectl (cache, main_server->url, NULL, NULL, NULL, PASSWORD "\n",
                                   (const char *[]) { "login", NULL }, NULL, NULL), ==, 0);
  token = wh_token_store_lookup (keyring, main_server->url, "duty_a", &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_cmpint (run_whistlectl (cache, main_server->url, NULL, NULL, NULL, NULL,
                                   (const char *[]) { "sync-once", NULL }, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "first=yes"));
  g_assert_cmpint (run_whistlectl (cache, main_server->url, NULL, NULL, NULL, NULL,
                                   (const char *[]) { "logout", NULL }, NULL, NULL), ==, 0);
  g_clear_pointer (&token, g_free);
  g_assert_null (wh_token_store_lookup (keyring, main_server->url, "duty_a", &error));
  g_assert_cmpint (run_whistlectl (cache, main_server->url, NULL, NULL, NULL, NULL,
                                   (const char *[]) { "sync-once", NULL }, NULL, &err), ==, 3);
}

static void
test_whistlectl (void)
{
  g_autofree char *cache = cache_path ("cli");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (Desk) viewer = NULL;

  /* Wrong usage is told apart from failure. */
  g_assert_cmpint (run_whistlectl (cache, NULL, NULL, NULL, NULL, NULL,
                                   (const char *[]) { "frobnicate", NULL }, NULL, NULL), ==, 2);
  g_assert_cmpint (run_whistlectl (cache, NULL, NULL, NULL, NULL, NULL,
                                   (const char *[]) { "sync-once", NULL }, NULL, &err), ==, 2);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_whistlectl (cache, main_server->url, token_a, NULL, NULL, NULL,
                                   (const char *[]) { "sync-once", NULL }, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "first=yes"));
  g_assert_nonnull (strstr (out, "waiting=0 conflicts=0"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_whistlectl (cache, NULL, NULL, NULL, NULL, NULL,
                                   (const char *[]) { "status", NULL }, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, main_server->url));
  g_assert_nonnull (strstr (out, "user\tduty_a"));
  g_assert_nonnull (strstr (out, "waiting\t0"));
  g_assert_null (strstr (out, "last-success\tnever"));
  g_clear_pointer (&out, g_free);

  /* Conflicts listed and resolved from the command line. */
  viewer = synced_desk ("cli-viewer", "viewer_a", token_viewer);
  {
    g_autofree char *id = desk_query (viewer, "SELECT id FROM incident WHERE status NOT IN ('closed', 'rated', "
                                              "'not_accepted') LIMIT 1", NULL);
    g_autofree char *op = desk_do (viewer, WH_ACTION_NOTE, id, "查看员的备注");
    g_auto (GStrv) fields = NULL;

    desk_sync_ok (viewer);
    g_assert_cmpint (run_whistlectl (viewer->path, NULL, NULL, NULL, NULL, NULL,
                                     (const char *[]) { "conflicts", NULL }, &out, NULL), ==, 0);
    fields = g_strsplit (out, "\t", -1);
    g_assert_cmpuint (g_strv_length (fields), ==, 7);
    g_assert_cmpstr (fields[1], ==, "rejected");
    g_assert_cmpstr (fields[2], ==, "forbidden");
    g_assert_cmpstr (fields[5], ==, op);
    g_assert_cmpint (run_whistlectl (viewer->path, NULL, NULL, NULL, NULL, NULL,
                                     (const char *[]) { "resolve", fields[0], "sideways", NULL }, NULL, NULL), ==, 2);
    g_assert_cmpint (run_whistlectl (viewer->path, NULL, NULL, NULL, NULL, NULL,
                                     (const char *[]) { "resolve", fields[0], "take-theirs", NULL }, NULL, NULL), ==, 0);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_whistlectl (viewer->path, NULL, NULL, NULL, NULL, NULL,
                                     (const char *[]) { "conflicts", NULL }, &out, NULL), ==, 0);
    g_assert_cmpstr (out, ==, "");
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = test_tmp_dir_new ("whistle-sync-XXXXXX");
  main_db = g_build_filename (tmp_dir, "server.db", NULL);
  session = soup_session_new ();
  soup_session_set_timeout (session, 30);

  prepare_database (main_db, N_DEMO);
  main_server = test_server_start_unlimited (main_db);
  token_a = test_login (session, main_server->url, "duty_a", PASSWORD);
  token_a2 = test_login (session, main_server->url, "duty_a2", PASSWORD);
  token_viewer = test_login (session, main_server->url, "viewer_a", PASSWORD);

  g_test_add_func ("/sync/first-sync", test_first_sync);
  g_test_add_func ("/sync/converge", test_converge);
  g_test_add_func ("/sync/offline-day", test_offline_day);
  g_test_add_func ("/sync/server-busy", test_server_busy);
  g_test_add_func ("/sync/kill-mid-pull", test_kill_mid_pull);
  g_test_add_func ("/sync/rejected", test_rejected);
  g_test_add_func ("/sync/conflict", test_conflict);
  g_test_add_func ("/sync/tls", test_tls);
  g_test_add_func ("/sync/auth", test_auth);
  g_test_add_func ("/sync/wrong-cache", test_wrong_cache);
  g_test_add_func ("/sync/backoff", test_backoff);
  g_test_add_func ("/sync/session", test_session);
  g_test_add_func ("/sync/token-store", test_token_store);
  g_test_add_func ("/sync/whistlectl", test_whistlectl);

  status = g_test_run ();

  test_server_free (main_server);
  if (keyring_daemon != NULL)
    {
      g_subprocess_force_exit (keyring_daemon);
      g_subprocess_wait (keyring_daemon, NULL, NULL);
      g_clear_object (&keyring_daemon);
    }
  g_object_unref (session);
  test_tmp_dir_finish (tmp_dir, status);
  return status;
}
