/* test-incident-store.c — changes to incidents: the whole loop, atomicity, refusals */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-util.h"
#include "wh-incident-store.h"

#define STREET "110102099"
#define HOUR   (G_USEC_PER_SEC * (gint64) 3600)

typedef struct {
  char            *dir;
  char            *path;
  WhDb            *db;
  WhIncidentStore *store;
  WhActor         *officer;
  WhActor         *director;
  WhActor         *liaison; /* of the lead unit "um" */
  gint64           now;
} Fixture;

static void
seed_organisation (WhDb *db)
{
  g_autoptr (GError) error = NULL;

  wh_db_exec (db,
              "INSERT INTO meta (key, value) VALUES ('street_id', '" STREET "');"
              "INSERT INTO street (id, name, district, center_lon, center_lat) "
              "  VALUES ('" STREET "', 'Jinghua', 'Xicheng', 116.35, 39.915);"
              "INSERT INTO street (id, name, district, center_lon, center_lat) "
              "  VALUES ('110102098', 'Other', 'Xicheng', 116.30, 39.90);"
              "INSERT INTO community (id, street_id, name) VALUES ('" STREET "001', '" STREET "', 'C1');"
              "INSERT INTO grid_cell (id, community_id, name, polygon, centroid_lon, centroid_lat) "
              "  VALUES ('" STREET "001001', '" STREET "001', 'G1', '{}', 116.35, 39.915);"
              "INSERT INTO unit (id, street_id, name, short_name, kind) VALUES "
              "  ('um', '" STREET "', 'Urban management', 'UM', 'stationed'),"
              "  ('police', '" STREET "', 'Police', 'PS', 'stationed'),"
              "  ('fire', '" STREET "', 'Fire', 'FR', 'stationed');"
              "INSERT INTO priority (level, name, factor) VALUES (0, 'normal', 1.0), (1, 'urgent', 0.5);"
              "INSERT INTO category (code, name, kind, response_minutes, handling_minutes, "
              "  working_hours, major) VALUES "
              "  ('01', 'City appearance', 'event', 30, 2880, 0, 0),"
              "  ('0101', 'Litter', 'event', 30, 2880, 0, 0),"
              "  ('0201', 'Illegal building', 'event', 60, 14400, 0, 1);",
              &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  fixture->db = test_open_temp_db ("whistle-store-XXXXXX", &fixture->dir, &fixture->path);
  seed_organisation (fixture->db);
  fixture->store = wh_incident_store_new (fixture->db);
  fixture->officer = wh_actor_new ("s-1", "Duty officer Wang", WH_ROLE_DUTY_OFFICER, NULL);
  fixture->director = wh_actor_new ("s-2", "Director Li", WH_ROLE_DIRECTOR, NULL);
  fixture->liaison = wh_actor_new ("s-3", "Liaison Zhao", WH_ROLE_UNIT_LIAISON, "um");
  /* A fixed moment: Sunday 2025-11-16, 09:30 in Beijing. */
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
  test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  sqlite3_stmt *stmt = wh_db_prepare (fixture->db, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static WhOp *
report_op (Fixture    *fixture,
           const char *category)
{
  g_autofree char *id = wh_uuid_new (NULL);
  g_autofree char *number = NULL;
  WhOp *op = wh_op_new (WH_ACTION_REPORT, id, fixture->officer, fixture->now);

  number = wh_incident_store_next_number (fixture->store, STREET, fixture->now, NULL);
  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", STREET);
  wh_op_set_string (op, "source", "hotline");
  wh_op_set_string (op, "category_code", category);
  wh_op_set_string (op, "title", "Rubbish piled at the gate of No. 3 Sanlihe Road");
  wh_op_set_string (op, "grid_id", STREET "001001");
  json_object_set_double_member (op->fields, "lon", 116.3501);
  json_object_set_double_member (op->fields, "lat", 39.9151);
  return op;
}

/* Applies one step and returns the incident afterwards. */
static WhIncident *
step (Fixture       *fixture,
      const char    *incident_id,
      WhAction       action,
      const WhActor *actor,
      const char    *unit_id,
      const char    *note)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhOp) op = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;

  fixture->now += HOUR / 4;
  op = wh_op_new (action, incident_id, actor, fixture->now);
  op->unit_id = g_strdup (unit_id);
  op->note = g_strdup (note);
  if (action == WH_ACTION_WHISTLE)
    {
      JsonArray *coop = json_array_new ();

      wh_op_set_string (op, "lead_unit_id", "um");
      json_array_add_string_element (coop, "police");
      json_object_set_array_member (op->fields, "cooperating_unit_ids", coop);
    }
  if (action == WH_ACTION_RATE)
    wh_op_set_int (op, "rating", 5);
  if (action == WH_ACTION_RECORD_LEGAL_REVIEW)
    json_object_set_boolean_member (op->fields, "approved", TRUE);

  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  return wh_incident_store_get (fixture->store, incident_id, NULL);
}

static char *
report (Fixture    *fixture,
        const char *category)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhOp) op = report_op (fixture, category);
  g_autoptr (WhIncidentEvent) event = NULL;

  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpint (event->seq, ==, 1);
  return g_strdup (op->incident_id);
}

static void
test_whole_loop (Fixture      *fixture,
                 gconstpointer data)
{
  g_autofree char *id = report (fixture, "0101");
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (WhIncident) incident = NULL;
  WhIncidentUnit *unit;

#define STEP(action, actor, unit, note, expected)                          \
  G_STMT_START {                                                          \
    g_clear_object (&incident);                                           \
    incident = step (fixture, id, action, actor, unit, note);              \
    g_assert_cmpstr (wh_status_to_string (incident->status), ==, expected); \
  } G_STMT_END

  STEP (WH_ACTION_REGISTER, fixture->officer, NULL, NULL, "registered");
  STEP (WH_ACTION_WHISTLE, fixture->officer, NULL, "Clear it today", "whistled");
  /* The deadlines came from the category: 30 and 2880 calendar minutes. */
  g_assert_cmpint (incident->response_due_at - incident->whistled_at, ==, (gint64) 30 * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (incident->handling_due_at - incident->whistled_at, ==, (gint64) 2880 * 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (incident->units->len, ==, 2);

  /* The cooperating unit reports in first: the status waits for the lead. */
  STEP (WH_ACTION_ACKNOWLEDGE, fixture->officer, "police", NULL, "whistled");
  STEP (WH_ACTION_ACKNOWLEDGE, fixture->liaison, "um", NULL, "acknowledged");
  unit = wh_incident_find_unit (incident, "police");
  g_assert_nonnull (unit);
  g_assert_cmpint (unit->acknowledged_at, >, 0);
  g_assert_false (unit->lead);

  STEP (WH_ACTION_START, fixture->liaison, NULL, NULL, "in_progress");
  STEP (WH_ACTION_NOTE, fixture->liaison, NULL, "Truck on the way", "in_progress");
  STEP (WH_ACTION_FEEDBACK, fixture->liaison, NULL, "Cleared, photo attached", "resolved");
  STEP (WH_ACTION_VERIFY_FAIL, fixture->officer, NULL, "Still a pile behind the gate", "rework");
  g_assert_cmpint (incident->rework_count, ==, 1);
  STEP (WH_ACTION_FEEDBACK, fixture->liaison, NULL, "Cleared behind the gate too", "resolved");
  STEP (WH_ACTION_VERIFY_PASS, fixture->officer, NULL, NULL, "verified");
  STEP (WH_ACTION_CLOSE, fixture->officer, NULL, NULL, "closed");
  STEP (WH_ACTION_RATE, fixture->officer, NULL, NULL, "rated");
  g_assert_cmpint (incident->rating, ==, 5);
  STEP (WH_ACTION_REOPEN, fixture->director, NULL, "Resident called again", "registered");
#undef STEP

  events = wh_incident_store_list_events (fixture->store, id, NULL);
  g_assert_cmpuint (events->len, ==, 14);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpint (((WhIncidentEvent *) g_ptr_array_index (events, i))->seq, ==, i + 1);
  g_assert_cmpint (incident->last_seq, ==, 14);

  /* One outbox row per change, in order. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox"), ==, 14);
  g_assert_cmpuint (wh_incident_store_count_outbox (fixture->store, NULL), ==, 14);

  /* The projection is exactly what the timeline adds up to. */
  {
    g_autoptr (WhIncident) replay = wh_incident_new ();

    for (guint i = 0; i < events->len; i++)
      wh_incident_apply_event (replay, g_ptr_array_index (events, i));
    g_assert_cmpint (replay->status, ==, incident->status);
    g_assert_cmpint (replay->rework_count, ==, incident->rework_count);
    g_assert_cmpstr (replay->lead_unit_id, ==, incident->lead_unit_id);
    g_assert_cmpint (replay->handling_due_at, ==, incident->handling_due_at);
    g_assert_cmpstr (replay->title, ==, incident->title);
  }
}

static void
test_side_paths (Fixture      *fixture,
                 gconstpointer data)
{
  g_autofree char *refused = report (fixture, "0101");
  g_autofree char *returned = report (fixture, "0101");
  g_autofree char *major = report (fixture, "0201");
  g_autoptr (WhIncident) incident = NULL;

  incident = step (fixture, refused, WH_ACTION_NOT_ACCEPT, fixture->officer, NULL, "Not our matter");
  g_assert_cmpint (incident->status, ==, WH_STATUS_NOT_ACCEPTED);
  g_clear_object (&incident);

  g_object_unref (step (fixture, returned, WH_ACTION_REGISTER, fixture->officer, NULL, NULL));
  g_object_unref (step (fixture, returned, WH_ACTION_WHISTLE, fixture->officer, NULL, NULL));
  incident = step (fixture, returned, WH_ACTION_RETURN, fixture->liaison, "um", "Private land");
  g_assert_cmpint (incident->status, ==, WH_STATUS_RETURNED);
  g_assert_cmpint (incident->return_count, ==, 1);
  g_clear_object (&incident);
  g_object_unref (step (fixture, returned, WH_ACTION_ESCALATE, fixture->officer, NULL, "Needs the district"));
  incident = wh_incident_store_get (fixture->store, returned, NULL);
  g_assert_cmpint (incident->status, ==, WH_STATUS_ESCALATED);
  g_assert_true (incident->escalated);
  g_clear_object (&incident);

  /* A major enforcement decision waits for the legal review. */
  g_object_unref (step (fixture, major, WH_ACTION_REGISTER, fixture->officer, NULL, NULL));
  g_object_unref (step (fixture, major, WH_ACTION_WHISTLE, fixture->officer, NULL, NULL));
  g_object_unref (step (fixture, major, WH_ACTION_ACKNOWLEDGE, fixture->liaison, "um", NULL));
  g_object_unref (step (fixture, major, WH_ACTION_START, fixture->liaison, NULL, NULL));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (WhOp) op = wh_op_new (WH_ACTION_FEEDBACK, major, fixture->liaison, fixture->now);
    g_autoptr (WhIncidentEvent) event = NULL;

    op->note = g_strdup ("Demolished");
    event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
    g_assert_null (event);
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED);
  }
  g_object_unref (step (fixture, major, WH_ACTION_REQUEST_LEGAL_REVIEW, fixture->liaison, NULL, NULL));
  incident = step (fixture, major, WH_ACTION_RECORD_LEGAL_REVIEW, fixture->director, NULL, NULL);
  g_assert_cmpstr (incident->legal_review, ==, "approved");
  g_assert_cmpint (incident->status, ==, WH_STATUS_IN_PROGRESS);
  g_clear_object (&incident);
  incident = step (fixture, major, WH_ACTION_FEEDBACK, fixture->liaison, NULL, "Demolished");
  g_assert_cmpint (incident->status, ==, WH_STATUS_RESOLVED);
}

/* A refused or failed change leaves the database exactly as it was. */
static void
assert_nothing_written (Fixture    *fixture,
                        const char *id,
                        gint64      events_before,
                        gint64      outbox_before,
                        WhStatus    status_before)
{
  g_autoptr (WhIncident) incident = wh_incident_store_get (fixture->store, id, NULL);

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident_event"), ==, events_before);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox"), ==, outbox_before);
  g_assert_cmpint (incident->status, ==, status_before);
  g_assert_cmpint (incident->last_seq, ==, events_before);
}

static void
test_atomic (Fixture      *fixture,
             gconstpointer data)
{
  g_autofree char *id = report (fixture, "0101");
  g_autoptr (GError) error = NULL;
  g_autoptr (WhOp) op = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;

  g_object_unref (step (fixture, id, WH_ACTION_REGISTER, fixture->officer, NULL, NULL));

  /* The outbox write, the last of the three, fails: the event and projection go too. */
  wh_db_exec (fixture->db, "CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON outbox "
                           "BEGIN SELECT RAISE (ABORT, 'disk full (simulated)'); END;", &error);
  g_assert_no_error (error);
  op = wh_op_new (WH_ACTION_WHISTLE, id, fixture->officer, fixture->now + HOUR);
  wh_op_set_string (op, "lead_unit_id", "um");
  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_null (event);
  g_assert_error (error, WH_DB_ERROR, WH_DB_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "simulated"));
  g_clear_error (&error);
  assert_nothing_written (fixture, id, 2, 2, WH_STATUS_REGISTERED);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident_unit"), ==, 0);
  g_assert_false (wh_db_in_transaction (fixture->db));

  /* The middle write (the units) fails: same. */
  wh_db_exec (fixture->db, "DROP TRIGGER fail_outbox;"
                           "CREATE TEMP TRIGGER fail_units BEFORE INSERT ON incident_unit "
                           "BEGIN SELECT RAISE (ABORT, 'simulated'); END;", &error);
  g_assert_no_error (error);
  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_null (event);
  g_clear_error (&error);
  assert_nothing_written (fixture, id, 2, 2, WH_STATUS_REGISTERED);

  /* With the fault gone the same op goes through. */
  wh_db_exec (fixture->db, "DROP TRIGGER fail_units", &error);
  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox"), ==, 3);
}

static void
test_refusals (Fixture      *fixture,
               gconstpointer data)
{
  g_autofree char *id = report (fixture, "0101");
  g_autoptr (WhActor) viewer = wh_actor_new ("v", "Viewer", WH_ROLE_VIEWER, NULL);
  g_autoptr (WhActor) other_liaison = wh_actor_new ("s-9", "Fire liaison", WH_ROLE_UNIT_LIAISON, "fire");
  struct {
    WhAction       action;
    const WhActor *actor;
    const char    *unit;
    const char    *note;
    int            code;
  } cases[] = {
    { WH_ACTION_CLOSE, fixture->officer, NULL, NULL, WH_INCIDENT_ERROR_REFUSED },
    { WH_ACTION_REGISTER, viewer, NULL, NULL, WH_INCIDENT_ERROR_REFUSED },
    { WH_ACTION_NOT_ACCEPT, fixture->officer, NULL, "   ", WH_INCIDENT_ERROR_INVALID },
    { WH_ACTION_REOPEN, fixture->officer, NULL, "x", WH_INCIDENT_ERROR_REFUSED },
    { WH_ACTION_ACKNOWLEDGE, other_liaison, "fire", NULL, WH_INCIDENT_ERROR_REFUSED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (WhOp) op = wh_op_new (cases[i].action, id, cases[i].actor, fixture->now);
      g_autoptr (WhIncidentEvent) event = NULL;

      op->unit_id = g_strdup (cases[i].unit);
      op->note = g_strdup (cases[i].note);
      event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
      g_assert_null (event);
      g_assert_error (error, WH_INCIDENT_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
      assert_nothing_written (fixture, id, 1, 1, WH_STATUS_REPORTED);
    }

  /* Whistling to a unit that is not on the roster, or with a deadline in the past. */
  g_object_unref (step (fixture, id, WH_ACTION_REGISTER, fixture->officer, NULL, NULL));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (WhOp) op = wh_op_new (WH_ACTION_WHISTLE, id, fixture->officer, fixture->now);
    g_autoptr (WhIncidentEvent) event = NULL;

    wh_op_set_string (op, "lead_unit_id", "nobody");
    event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
    g_assert_null (event);
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
    g_clear_error (&error);

    wh_op_set_string (op, "lead_unit_id", "um");
    wh_op_set_int (op, "response_due_at", fixture->now - HOUR);
    wh_op_set_int (op, "handling_due_at", fixture->now + HOUR);
    event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
    g_assert_null (event);
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
  }
  assert_nothing_written (fixture, id, 2, 2, WH_STATUS_REGISTERED);
}

static void
test_other_street_refused (Fixture      *fixture,
                           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhOp) op = report_op (fixture, "0101");
  g_autoptr (WhIncidentEvent) event = NULL;

  wh_op_set_string (op, "street_id", "110102098");
  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_null (event);
  g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident"), ==, 0);

  /* Unknown category and duplicate report are refused too. */
  g_clear_error (&error);
  wh_op_set_string (op, "street_id", STREET);
  wh_op_set_string (op, "category_code", "9999");
  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_null (event);
  g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
  g_clear_error (&error);

  wh_op_set_string (op, "category_code", "0101");
  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  g_clear_object (&event);
  event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_null (event);
  g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident"), ==, 1);
}

static void
test_timeline_append_only (Fixture      *fixture,
                           gconstpointer data)
{
  g_autofree char *id = report (fixture, "0101");
  g_autoptr (GError) error = NULL;

  g_assert_false (wh_db_exec (fixture->db, "UPDATE incident_event SET note = 'rewritten'", &error));
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_clear_error (&error);
  g_assert_false (wh_db_exec (fixture->db, "DELETE FROM incident_event", &error));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident_event"), ==, 1);
}

static void
test_op_wire_format (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr (WhOp) op = report_op (fixture, "0101");
  g_autofree char *text = wh_op_to_string (op);
  g_autoptr (JsonNode) node = json_from_string (text, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhOp) back = wh_op_from_json (node, &error);
  g_autofree char *again = NULL;
  const char *bad[] = {
    "[]",
    "{\"op_id\": 1}",
    "{\"op_id\": \"not-a-uuid\", \"incident_id\": \"x\"}",
  };

  g_assert_no_error (error);
  again = wh_op_to_string (back);
  g_assert_cmpstr (text, ==, again);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonNode) bad_node = json_from_string (bad[i], NULL);
      g_autoptr (WhOp) parsed = wh_op_from_json (bad_node, &error);

      g_assert_null (parsed);
      g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
      g_clear_error (&error);
    }

  /* An unknown member is refused, not dropped. */
  json_object_set_string_member (json_node_get_object (node), "priority_override", "yes");
  {
    g_autoptr (WhOp) parsed = wh_op_from_json (node, &error);

    g_assert_null (parsed);
    g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "priority_override"));
  }
}

static void
test_queries (Fixture      *fixture,
              gconstpointer data)
{
  WhIncidentQuery query;
  g_autoptr (GPtrArray) page = NULL;

  for (int i = 0; i < 25; i++)
    {
      g_autofree char *id = report (fixture, "0101");
      fixture->now += HOUR;
      if (i % 5 == 0)
        g_object_unref (step (fixture, id, WH_ACTION_NOT_ACCEPT, fixture->officer, NULL, "dup"));
    }

  wh_incident_query_init (&query);
  g_assert_cmpuint (wh_incident_store_count (fixture->store, &query, NULL), ==, 25);
  query.view = WH_INCIDENT_VIEW_OPEN;
  g_assert_cmpuint (wh_incident_store_count (fixture->store, &query, NULL), ==, 20);
  query.view = WH_INCIDENT_VIEW_ALL;
  query.status = WH_STATUS_NOT_ACCEPTED;
  g_assert_cmpuint (wh_incident_store_count (fixture->store, &query, NULL), ==, 5);

  wh_incident_query_init (&query);
  page = wh_incident_store_list (fixture->store, &query, 20, 10, NULL);
  g_assert_cmpuint (page->len, ==, 5);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Newest first, and numbers count up per day. */
  page = wh_incident_store_list (fixture->store, &query, 0, 2, NULL);
  g_assert_cmpint (((WhIncident *) page->pdata[0])->reported_at, >=,
                   ((WhIncident *) page->pdata[1])->reported_at);
  g_assert_true (g_str_has_prefix (((WhIncident *) page->pdata[1])->number, STREET "-2025"));
}

static guint
search_count (Fixture    *fixture,
              const char *text)
{
  WhIncidentQuery query;

  wh_incident_query_init (&query);
  query.search = text;
  return wh_incident_store_count (fixture->store, &query, NULL);
}

static void
test_search (Fixture      *fixture,
             gconstpointer data)
{
  static const struct {
    const char *title;
    const char *address;
  } reports[] = {
    { "三里河路3号门口垃圾堆放", "西城区三里河路3号" },
    { "展览路西口占道经营", "西城区展览路西口" },
    { "阜外大街油烟扰民", "西城区阜外大街12号" },
  };
  g_autofree char *last = NULL;
  g_autoptr (WhIncident) incident = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (WhOp) op = report_op (fixture, "0101");
      g_autoptr (WhIncidentEvent) event = NULL;

      wh_op_set_string (op, "title", reports[i].title);
      wh_op_set_string (op, "address", reports[i].address);
      event = wh_incident_store_apply (fixture->store, op, WH_APPLY_RECORD_OUTBOX, &error);
      g_assert_no_error (error);
      g_free (last);
      last = g_strdup (op->incident_id);
    }
  g_object_unref (step (fixture, last, WH_ACTION_NOTE, fixture->officer, NULL,
                        "商户承诺安装净化器"));

  /* Two Chinese characters, three and more, across title, address and notes. */
  g_assert_cmpuint (search_count (fixture, "垃圾"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "西城"), ==, 3);
  g_assert_cmpuint (search_count (fixture, "占道经营"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "阜外大街12"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "净化器"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "净化"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "天安门"), ==, 0);

  /* Numbers, by any part of them. */
  incident = wh_incident_store_get (fixture->store, last, NULL);
  g_assert_cmpuint (search_count (fixture, incident->number), ==, 1);
  g_assert_cmpuint (search_count (fixture, STREET), ==, 3);

  /* What people type is text, never query syntax. */
  g_assert_cmpuint (search_count (fixture, "\"垃圾\" OR *"), ==, 0);
  g_assert_cmpuint (search_count (fixture, "%"), ==, 0);
  g_assert_cmpuint (search_count (fixture, "_"), ==, 0);
}

/* A desk killed at any moment leaves every incident whole: its projection matches its
 * timeline and every change has its outbox row. */
static void
test_killed_mid_write (Fixture      *fixture,
                       gconstpointer data)
{
  pid_t pid;
  int status;

  g_clear_object (&fixture->store);
  g_clear_object (&fixture->db);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr (WhDb) db = wh_db_open (fixture->path, NULL);
      g_autoptr (WhIncidentStore) store = wh_incident_store_new (db);

      fixture->db = db;
      fixture->store = store;
      for (;;)
        {
          g_autofree char *id = report (fixture, "0101");
          g_object_unref (step (fixture, id, WH_ACTION_REGISTER, fixture->officer, NULL, NULL));
          g_object_unref (step (fixture, id, WH_ACTION_WHISTLE, fixture->officer, NULL, NULL));
        }
    }

  g_usleep (G_USEC_PER_SEC / 2);
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  g_assert_true (WIFSIGNALED (status));

  {
    g_autoptr (GError) error = NULL;

    fixture->db = wh_db_open (fixture->path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident"), >, 0);
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident i WHERE last_seq != "
                                     "(SELECT max (seq) FROM incident_event e WHERE e.incident_id = i.id)"), ==, 0);
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident_event"), ==,
                     count (fixture, "SELECT count(*) FROM outbox"));
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident WHERE status = 'whistled' AND "
                                     "id NOT IN (SELECT incident_id FROM incident_unit)"), ==, 0);
    g_test_message ("%" G_GINT64_FORMAT " incidents survived the kill",
                    count (fixture, "SELECT count(*) FROM incident"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/incident-store/whole-loop", test_whole_loop);
  ADD ("/incident-store/side-paths", test_side_paths);
  ADD ("/incident-store/atomic", test_atomic);
  ADD ("/incident-store/refusals", test_refusals);
  ADD ("/incident-store/other-street-refused", test_other_street_refused);
  ADD ("/incident-store/timeline-append-only", test_timeline_append_only);
  ADD ("/incident-store/op-wire-format", test_op_wire_format);
  ADD ("/incident-store/queries", test_queries);
  ADD ("/incident-store/search", test_search);
  ADD ("/incident-store/killed-mid-write", test_killed_mid_write);
#undef ADD

  return g_test_run ();
}
