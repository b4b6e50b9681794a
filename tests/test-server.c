/* test-server.c — the district server, run for real on a loopback port
 *
 * The database is made with the admin commands (two demo streets, accounts of every role),
 * the server is the built whistle-server binary, and every request goes over HTTP with
 * libsoup. What the server wrote is checked in its database through a connection of our own.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "server-harness.h"
#include "wh-db.h"
#include "wh-change-feed.h"
#include "wh-incident-store.h"
#include "wh-op.h"
#include "wh-organisation-wire.h"
#include "wh-wire.h"

#define STREET_A  "110102099"
#define STREET_B  "110102098"
#define PASSWORD  "secret-password"
#define N_DEMO    30

static char        *tmp_dir;
static char        *main_db;
static TestServer  *main_server;
static SoupSession *session;

/* What the tests need to know about the organisation of the demo streets. */
static char        *unit_a1;      /* two units of street A */
static char        *unit_a2;
static char        *unit_b;       /* a unit of street B */
static char        *category;     /* a subcategory that needs no legal review */
static char        *grid_a;       /* a grid cell of street A */
static char        *grid_b;

/* Tokens of the main server, signed in once. */
static char        *token_a;      /* duty officer of street A, desk 1 */
static char        *token_a2;     /* another duty officer of street A, desk 2 */
static char        *token_b;      /* duty officer of street B */
static char        *token_viewer; /* viewer of street A */
static char        *token_liaison;/* liaison of unit_a1 */
static char        *token_district;

/* Helpers */

static char *
url_of (TestServer *server,
        const char *path)
{
  return g_strconcat (server->url, path, NULL);
}

static TestReply *
get (TestServer *server,
     const char *path,
     const char *token)
{
  g_autofree char *url = url_of (server, path);

  return test_request (session, "GET", url, token, NULL, NULL, -1);
}

static TestReply *
post (TestServer *server,
      const char *path,
      const char *token,
      const char *body)
{
  g_autofree char *url = url_of (server, path);

  return test_request (session, "POST", url, token, NULL, body, -1);
}

static void
assert_error (TestReply  *reply,
              guint       status,
              const char *code)
{
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (test_reply_error_code (reply), ==, code);
}

/* Makes a database with two demo streets and accounts of every role. */
static void
prepare_database (const char *path)
{
  g_autofree char *units = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *liaison_unit = NULL;

  g_free (test_admin (path, NULL, "load-demo", "--streets", "2", "--incidents", G_STRINGIFY (N_DEMO),
                      "--months", "2", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "duty_officer",
                      "--display-name", "值班员甲", "duty_a", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "duty_officer",
                      "duty_a2", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "director",
                      "director_a", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "viewer",
                      "viewer_a", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_B, "--role", "duty_officer",
                      "duty_b", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--role", "district", "district", NULL));

  units = test_admin (path, NULL, "list-units", "--street", STREET_A, NULL);
  lines = g_strsplit (units, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  liaison_unit = g_strndup (lines[0], strcspn (lines[0], "\t"));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "unit_liaison",
                      "--unit", liaison_unit, "liaison_a", NULL));
}

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonArray *array = json_object_get_array_member (object, member);

  g_assert_nonnull (array);
  return array;
}

/* Reads the units, a category and grid cells from the organisation endpoint. */
static void
learn_organisation (void)
{
  g_autoptr (TestReply) reply_a = get (main_server, "/api/v1/organisation", token_a);
  g_autoptr (TestReply) reply_b = get (main_server, "/api/v1/organisation", token_b);
  JsonObject *org_a = test_reply_object (reply_a);
  JsonObject *org_b = test_reply_object (reply_b);
  JsonArray *units = member_array (org_a, "units");
  JsonArray *categories = member_array (org_a, "categories");

  g_assert_cmpuint (reply_a->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (units), >=, 2);
  unit_a1 = g_strdup (json_object_get_string_member (json_array_get_object_element (units, 0), "id"));
  unit_a2 = g_strdup (json_object_get_string_member (json_array_get_object_element (units, 1), "id"));
  unit_b = g_strdup (json_object_get_string_member (
    json_array_get_object_element (member_array (org_b, "units"), 0), "id"));
  grid_a = g_strdup (json_object_get_string_member (
    json_array_get_object_element (member_array (org_a, "grid_cells"), 0), "id"));
  grid_b = g_strdup (json_object_get_string_member (
    json_array_get_object_element (member_array (org_b, "grid_cells"), 0), "id"));

  for (guint i = 0; i < json_array_get_length (categories) && category == NULL; i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);

      if (!json_object_get_null_member (c, "parent_code") &&
          json_object_get_int_member (c, "major") == 0)
        category = g_strdup (json_object_get_string_member (c, "code"));
    }
  g_assert_nonnull (category);
}

static WhActor *
claimed_actor (void)
{
  /* What a desk claims; the server replaces it with the signed-in account. */
  return wh_actor_new ("someone", "Someone", WH_ROLE_DIRECTOR, NULL);
}

static WhOp *
new_report (const char *street_id,
            const char *grid_id,
            gint64      at)
{
  static guint counter;
  g_autoptr (WhActor) actor = claimed_actor ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *number = g_strdup_printf ("%s-20990101-%04u", street_id, ++counter);
  g_autofree char *title = g_strdup_printf ("测试事件 %u", counter);
  WhOp *op = wh_op_new (WH_ACTION_REPORT, id, actor, at);

  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", street_id);
  wh_op_set_string (op, "source", "patrol");
  wh_op_set_string (op, "category_code", category);
  wh_op_set_string (op, "title", title);
  if (grid_id != NULL)
    wh_op_set_string (op, "grid_id", grid_id);
  return op;
}

static WhOp *
new_op (WhAction    action,
        const char *incident_id,
        gint64      base_rev,
        gint64      at)
{
  g_autoptr (WhActor) actor = claimed_actor ();
  WhOp *op = wh_op_new (action, incident_id, actor, at);

  op->base_rev = base_rev;
  return op;
}

static WhOp *
new_note (const char *incident_id,
          gint64      base_rev,
          gint64      at,
          const char *text)
{
  WhOp *op = new_op (WH_ACTION_NOTE, incident_id, base_rev, at);

  op->note = g_strdup (text);
  return op;
}

static char *
batch_body (WhOp **ops,
            guint  n_ops)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_ops; i++)
    json_builder_add_value (b, wh_op_to_json (ops[i]));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* Sends a batch; asserts 200 and one answer per op, in order. Returns the answers. */
static GPtrArray *
send_ops (TestServer *server,
          const char *token,
          WhOp      **ops,
          guint       n_ops)
{
  g_autofree char *body = batch_body (ops, n_ops);
  g_autoptr (TestReply) reply = post (server, "/api/v1/ops", token, body);
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_op_result_free);
  JsonArray *array;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  array = member_array (test_reply_object (reply), "results");
  g_assert_cmpuint (json_array_get_length (array), ==, n_ops);
  for (guint i = 0; i < n_ops; i++)
    {
      g_autoptr (GError) error = NULL;
      WhOpResult *result = wh_op_result_from_json (json_array_get_element (array, i), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (result->op_id, ==, ops[i]->op_id);
      g_ptr_array_add (results, result);
    }
  return g_steal_pointer (&results);
}

static WhOpResult *
send_op (TestServer *server,
         const char *token,
         WhOp       *op)
{
  g_autoptr (GPtrArray) results = send_ops (server, token, &op, 1);

  return g_ptr_array_steal_index (results, 0);
}

static void
assert_outcome (WhOpResult  *result,
                WhOpOutcome  outcome)
{
  if (result->outcome != outcome)
    g_error ("op %s: expected %s, got %s (%s: %s)", result->op_id, wh_op_outcome_to_string (outcome),
             wh_op_outcome_to_string (result->outcome), result->code, result->reason);
}

static gint64
count_events (const char *db_path,
              const char *incident_id)
{
  return test_db_count (db_path, "SELECT count(*) FROM incident_event WHERE incident_id = ?",
                        incident_id);
}

static gint64
incident_rev (const char *db_path,
              const char *incident_id)
{
  return test_db_count (db_path, "SELECT coalesce ((SELECT rev FROM incident WHERE id = ?), -1)",
                        incident_id);
}

/* Everything written by the server: a change to any of these is "something written". */
static gint64
write_fingerprint (const char *db_path)
{
  return test_db_count (db_path,
                        "SELECT (SELECT count(*) FROM incident) * 1000000 + "
                        "(SELECT count(*) FROM incident_event) * 1000 + "
                        "(SELECT count(*) FROM op_result) + "
                        "(SELECT coalesce (max (seq), 0) FROM change_log) * 1000000000 + "
                        "(SELECT coalesce (sum (rev), 0) FROM incident) * 7", NULL);
}

/* A registered incident of street A, made through the API; returns its id, rev 2. */
static char *
registered_incident (TestServer *server,
                     const char *token,
                     const char *grid_id)
{
  gint64 now = g_get_real_time ();
  g_autoptr (WhOp) report = new_report (STREET_A, grid_id, now);
  g_autoptr (WhOp) reg = new_op (WH_ACTION_REGISTER, report->incident_id, 1, now + 1000);
  WhOp *ops[] = { report, reg };
  g_autoptr (GPtrArray) results = send_ops (server, token, ops, 2);

  assert_outcome (results->pdata[0], WH_OP_OUTCOME_APPLIED);
  assert_outcome (results->pdata[1], WH_OP_OUTCOME_APPLIED);
  g_assert_cmpint (((WhOpResult *) results->pdata[1])->rev, ==, 2);
  return g_strdup (report->incident_id);
}

static WhOp *
new_whistle (const char *incident_id,
             gint64      base_rev,
             gint64      at,
             const char *lead,
             const char *cooperating)
{
  WhOp *op = new_op (WH_ACTION_WHISTLE, incident_id, base_rev, at);

  wh_op_set_string (op, "lead_unit_id", lead);
  if (cooperating != NULL)
    {
      JsonArray *array = json_array_new ();

      json_array_add_string_element (array, cooperating);
      json_object_set_array_member (op->fields, "cooperating_unit_ids", array);
    }
  return op;
}

/* Reads the whole feed as @token sees it, page by page; checks the paging on the way. */
static GPtrArray *
read_feed (TestServer *server,
           const char *token,
           gint64      since,
           guint       limit,
           gint64     *cursor)
{
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_change_free);
  gboolean more = TRUE;
  gint64 remaining = -1;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u",
                                               since, limit);
      g_autoptr (TestReply) reply = get (server, path, token);
      g_autoptr (WhChangePage) page = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_no_error (reply->error);
      g_assert_cmpuint (reply->status, ==, 200);
      page = wh_change_page_from_json (reply->json, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->changes->len, <=, limit);
      g_assert_cmpint (page->next_since, >=, since);
      if (remaining >= 0)
        g_assert_cmpint (page->remaining, ==, remaining - (gint64) page->changes->len);
      for (guint i = 0; i < page->changes->len; i++)
        {
          WhChange *change = page->changes->pdata[i];

          g_assert_cmpint (change->seq, >, since);
          since = change->seq;
        }
      g_assert_cmpint (page->next_since, ==, since);
      g_assert_true (page->more == (page->remaining > 0));
      remaining = page->remaining;
      more = page->more;
      while (page->changes->len > 0)
        g_ptr_array_add (changes, g_ptr_array_steal_index (page->changes, 0));
    }
  if (cursor != NULL)
    *cursor = since;
  return g_steal_pointer (&changes);
}

/* Tests: signing in */

static void
test_sign_in (void)
{
  g_autoptr (TestReply) good = NULL;
  g_autoptr (TestReply) wrong = NULL;
  g_autoptr (TestReply) unknown = NULL;
  JsonObject *object;
  JsonObject *account;
  gint64 started;

  good = post (main_server, "/api/v1/login", NULL, "{\"user\": \"duty_a\", \"password\": \"" PASSWORD "\"}");
  g_assert_cmpuint (good->status, ==, 200);
  object = test_reply_object (good);
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "token")), ==, 64);
  g_assert_cmpint (json_object_get_int_member (object, "expires_at"), >, g_get_real_time ());
  account = json_object_get_object_member (object, "account");
  g_assert_cmpstr (json_object_get_string_member (account, "role"), ==, "duty_officer");
  g_assert_cmpstr (json_object_get_string_member (account, "street_id"), ==, STREET_A);
  g_assert_cmpstr (json_object_get_string_member (account, "display_name"), ==, "值班员甲");

  /* Tokens are stored hashed: the token itself is nowhere in the database. */
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM session_token WHERE token_hash = ?",
                                  json_object_get_string_member (object, "token")), ==, 0);

  started = g_get_monotonic_time ();
  wrong = post (main_server, "/api/v1/login", NULL, "{\"user\": \"duty_a\", \"password\": \"not-it\"}");
  assert_error (wrong, 401, "bad_credentials");
  /* A refusal takes its time, so that guessing is slow. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 300 * 1000);

  unknown = post (main_server, "/api/v1/login", NULL, "{\"user\": \"nobody\", \"password\": \"not-it\"}");
  assert_error (unknown, 401, "bad_credentials");
  /* Unknown names get the very same answer: it must not tell which names exist. */
  g_assert_true (g_bytes_equal (unknown->body, wrong->body));
}

static void
test_login_malformed (void)
{
  static const char *bodies[] = {
    "{\"user\": \"duty_a\"}",
    "{\"user\": \"duty_a\", \"password\": 5}",
    "{\"user\": \"duty_a\", \"password\": \"" PASSWORD "\", \"remember\": true}",
    "[\"duty_a\", \"" PASSWORD "\"]",
    "{\"user\": \"duty_a\", \"password\": ",
    "",
  };
  static const char *codes[] = {
    "invalid", "invalid", "unknown_member", "malformed_json", "malformed_json", "malformed_json",
  };
  g_autofree char *url = url_of (main_server, "/api/v1/login");
  g_autoptr (TestReply) text = NULL;
  g_autoptr (TestReply) method = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (TestReply) reply = post (main_server, "/api/v1/login", NULL, bodies[i]);

      assert_error (reply, 400, codes[i]);
    }

  text = test_request (session, "POST", url, NULL, "text/plain",
                       "{\"user\": \"duty_a\", \"password\": \"" PASSWORD "\"}", -1);
  assert_error (text, 415, "unsupported_media_type");

  method = get (main_server, "/api/v1/login", NULL);
  assert_error (method, 405, "method_not_allowed");
}

typedef struct {
  guint ok;
  guint refused;
  guint busy;
  guint pending;
} Crowd;

static void
crowd_replied (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Crowd *crowd = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  switch (soup_message_get_status (msg))
    {
    case 200: crowd->ok++; break;
    case 401: crowd->refused++; break;
    case 503: crowd->busy++; break;
    default: g_error ("unexpected status %u", soup_message_get_status (msg));
    }
  crowd->pending--;
}

static void
test_login_crowd (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "crowd.db", NULL);
  g_autofree char *url = NULL;
  SoupSession *sessions[10];
  Crowd crowd = { 0, };
  TestServer *server;

  g_test_summary ("Many sign-ins at once: at most a few Argon2 verifications run together; the "
                  "rest are told to come back (503) instead of exhausting the memory.");

  g_free (test_admin (db, NULL, "add-street", STREET_A, "京华街道", NULL));
  g_free (test_admin (db, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "viewer", "v", NULL));
  server = test_server_start (db, NULL, NULL);
  url = url_of (server, "/api/v1/login");

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr (GBytes) body = g_bytes_new_static ("{\"user\": \"v\", \"password\": \"" PASSWORD "\"}",
                                                    strlen ("{\"user\": \"v\", \"password\": \"" PASSWORD "\"}"));

      /* One session each: a session opens only a couple of connections per host. */
      sessions[i] = soup_session_new ();
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      soup_session_send_and_read_async (sessions[i], msg, G_PRIORITY_DEFAULT, NULL, crowd_replied, &crowd);
      crowd.pending++;
    }
  while (crowd.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%u signed in, %u told to wait", crowd.ok, crowd.busy);
  g_assert_cmpuint (crowd.refused, ==, 0);
  g_assert_cmpuint (crowd.ok, >=, 4);
  g_assert_cmpuint (crowd.busy, >=, 1);
  g_assert_cmpuint (crowd.ok + crowd.busy, ==, G_N_ELEMENTS (sessions));

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    g_object_unref (sessions[i]);
  test_server_free (server);
}

static void
test_tokens (void)
{
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;
  g_autoptr (TestReply) missing = NULL;
  g_autoptr (TestReply) garbage = NULL;
  g_autoptr (TestReply) ok = NULL;
  g_autoptr (TestReply) logout = NULL;
  g_autoptr (TestReply) after_logout = NULL;
  g_autoptr (TestReply) other_ok = NULL;
  g_autoptr (TestReply) after_revoke = NULL;
  g_autoptr (TestReply) after_disable = NULL;
  g_autoptr (TestReply) disabled_login = NULL;

  missing = get (main_server, "/api/v1/session", NULL);
  assert_error (missing, 401, "token_missing");
  garbage = get (main_server, "/api/v1/session", "0123456789abcdef");
  assert_error (garbage, 401, "token_invalid");

  token = test_login (session, main_server->url, "director_a", PASSWORD);
  other = test_login (session, main_server->url, "director_a", PASSWORD);
  ok = get (main_server, "/api/v1/session", token);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (
    json_object_get_object_member (test_reply_object (ok), "account"), "role"), ==, "director");

  /* Signing out revokes this token only. */
  logout = post (main_server, "/api/v1/logout", token, NULL);
  g_assert_cmpuint (logout->status, ==, 200);
  after_logout = get (main_server, "/api/v1/session", token);
  assert_error (after_logout, 401, "token_revoked");
  other_ok = get (main_server, "/api/v1/session", other);
  g_assert_cmpuint (other_ok->status, ==, 200);

  /* The admin command revokes every sign-in of an account, while the server runs. */
  g_free (test_admin (main_db, NULL, "revoke-tokens", "director_a", NULL));
  after_revoke = get (main_server, "/api/v1/session", other);
  assert_error (after_revoke, 401, "token_revoked");

  /* A disabled account can neither use its tokens nor sign in again. */
  g_clear_pointer (&other, g_free);
  other = test_login (session, main_server->url, "director_a", PASSWORD);
  g_free (test_admin (main_db, NULL, "disable-user", "director_a", NULL));
  after_disable = get (main_server, "/api/v1/session", other);
  assert_error (after_disable, 401, "token_revoked");
  disabled_login = post (main_server, "/api/v1/login", NULL,
                         "{\"user\": \"director_a\", \"password\": \"" PASSWORD "\"}");
  assert_error (disabled_login, 401, "bad_credentials");
  g_free (test_admin (main_db, NULL, "enable-user", "director_a", NULL));
}

static void
test_token_expiry (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "expiry.db", NULL);
  const char *args[] = { "--token-lifetime", "1", NULL };
  TestServer *server;
  g_autofree char *token = NULL;
  g_autoptr (TestReply) fresh = NULL;
  g_autoptr (TestReply) expired = NULL;
  g_autoptr (TestReply) changes = NULL;

  g_free (test_admin (db, NULL, "add-street", "--district", "西城区", "--lon", "116.35", "--lat", "39.91",
                      STREET_A, "京华街道", NULL));
  g_free (test_admin (db, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "duty_officer",
                      "duty", NULL));
  server = test_server_start (db, args, NULL);

  token = test_login (session, server->url, "duty", PASSWORD);
  fresh = get (server, "/api/v1/session", token);
  g_assert_cmpuint (fresh->status, ==, 200);
  g_usleep (1300 * 1000);
  expired = get (server, "/api/v1/session", token);
  assert_error (expired, 401, "token_expired");
  changes = get (server, "/api/v1/changes?since=0", token);
  assert_error (changes, 401, "token_expired");

  test_server_free (server);
}

/* Tests: ops */

static void
test_ops_lifecycle (void)
{
  gint64 now = g_get_real_time ();
  g_autoptr (WhOp) report = new_report (STREET_A, grid_a, now);
  g_autoptr (WhOp) reg = NULL;
  g_autoptr (WhOp) whistle = NULL;
  g_autoptr (WhOpResult) r1 = NULL;
  g_autoptr (WhOpResult) r2 = NULL;
  g_autoptr (WhOpResult) r3 = NULL;
  g_autoptr (WhOpResult) again = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *actor = NULL;
  WhChange *mine = NULL;

  r1 = send_op (main_server, token_a, report);
  assert_outcome (r1, WH_OP_OUTCOME_APPLIED);
  g_assert_cmpint (r1->rev, ==, 1);
  g_assert_null (r1->reason);

  reg = new_op (WH_ACTION_REGISTER, report->incident_id, 1, now + 1000);
  r2 = send_op (main_server, token_a, reg);
  assert_outcome (r2, WH_OP_OUTCOME_APPLIED);
  g_assert_cmpint (r2->rev, ==, 2);

  /* The whistle's deadlines are left to the server, which takes them from the category. */
  whistle = new_whistle (report->incident_id, 2, now + 2000, unit_a1, unit_a2);
  r3 = send_op (main_server, token_a, whistle);
  assert_outcome (r3, WH_OP_OUTCOME_APPLIED);
  g_assert_cmpint (r3->rev, ==, 3);
  g_assert_cmpint (incident_rev (main_db, report->incident_id), ==, 3);
  g_assert_cmpint (count_events (main_db, report->incident_id), ==, 3);

  /* The same op again: the first answer, nothing written. */
  again = send_op (main_server, token_a, whistle);
  assert_outcome (again, WH_OP_OUTCOME_DUPLICATE);
  g_assert_cmpint (again->first_outcome, ==, WH_OP_OUTCOME_APPLIED);
  g_assert_cmpint (again->rev, ==, 3);
  g_assert_cmpint (count_events (main_db, report->incident_id), ==, 3);

  /* The actor is the signed-in account, not what the desk claimed (a director). */
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident_event WHERE incident_id = ? "
                                  "AND actor_id = 'duty_a' AND actor_role = 'duty_officer' "
                                  "AND actor_name = '值班员甲'", report->incident_id), ==, 3);

  /* The feed shows the incident in its latest state with all three events. */
  changes = read_feed (main_server, token_a, 0, 500, NULL);
  for (guint i = 0; i < changes->len; i++)
    {
      WhChange *change = changes->pdata[i];

      if (!change->tombstone && g_str_equal (change->entity_id, report->incident_id))
        {
          g_assert_null (mine);
          mine = change;
        }
    }
  g_assert_nonnull (mine);
  g_assert_cmpint (mine->incident->rev, ==, 3);
  g_assert_cmpint (mine->incident->status, ==, WH_STATUS_WHISTLED);
  g_assert_cmpint (mine->incident->response_due_at, >, now);
  g_assert_cmpuint (mine->incident->units->len, ==, 2);
  g_assert_cmpuint (mine->events->len, ==, 3);
  g_assert_cmpstr (((WhIncidentEvent *) mine->events->pdata[2])->id, ==, whistle->op_id);
  actor = g_strdup (((WhIncidentEvent *) mine->events->pdata[0])->actor_id);
  g_assert_cmpstr (actor, ==, "duty_a");
}

static void
test_ops_merge_and_conflict (void)
{
  g_autofree char *id = registered_incident (main_server, token_a, grid_a);
  gint64 now = g_get_real_time () + G_USEC_PER_SEC;
  g_autoptr (WhOp) whistle1 = new_whistle (id, 2, now, unit_a1, unit_a2);
  g_autoptr (WhOp) whistle2 = new_whistle (id, 2, now + 10, unit_a2, NULL);
  g_autoptr (WhOp) ack1 = new_op (WH_ACTION_ACKNOWLEDGE, id, 3, now + 1000);
  g_autoptr (WhOp) ack2 = new_op (WH_ACTION_ACKNOWLEDGE, id, 3, now + 2000);
  g_autoptr (WhOp) stale_note = new_note (id, 2, now + 3000, "旧版本上的备注");
  g_autoptr (WhOpResult) w1 = NULL;
  g_autoptr (WhOpResult) w2 = NULL;
  g_autoptr (WhOpResult) a1 = NULL;
  g_autoptr (WhOpResult) a2 = NULL;
  g_autoptr (WhOpResult) n = NULL;
  g_autoptr (WhOpResult) w2_again = NULL;
  gint64 before;

  /* Two desks dispatch the same registered incident: the first wins, the second sees a
   * conflict with the current record, and nothing of it is written. */
  w1 = send_op (main_server, token_a, whistle1);
  assert_outcome (w1, WH_OP_OUTCOME_APPLIED);
  before = write_fingerprint (main_db);
  w2 = send_op (main_server, token_a2, whistle2);
  assert_outcome (w2, WH_OP_OUTCOME_CONFLICT);
  g_assert_cmpstr (w2->code, ==, "stale");
  g_assert_nonnull (w2->reason);
  g_assert_nonnull (w2->incident);
  g_assert_cmpint (w2->incident->status, ==, WH_STATUS_WHISTLED);
  g_assert_cmpstr (w2->incident->lead_unit_id, ==, unit_a1);
  g_assert_cmpint (w2->rev, ==, 3);
  g_assert_cmpuint (w2->events->len, ==, 3);
  g_assert_cmpint (count_events (main_db, id), ==, 3);
  /* Only the answer was stored (so a replay gets the same one). */
  g_assert_cmpint (write_fingerprint (main_db), ==, before + 1);

  w2_again = send_op (main_server, token_a2, whistle2);
  assert_outcome (w2_again, WH_OP_OUTCOME_DUPLICATE);
  g_assert_cmpint (w2_again->first_outcome, ==, WH_OP_OUTCOME_CONFLICT);

  /* Two units report in from two desks, both based on revision 3: events merge. */
  ack1->unit_id = g_strdup (unit_a1);
  ack2->unit_id = g_strdup (unit_a2);
  a1 = send_op (main_server, token_a, ack1);
  a2 = send_op (main_server, token_a2, ack2);
  assert_outcome (a1, WH_OP_OUTCOME_APPLIED);
  assert_outcome (a2, WH_OP_OUTCOME_APPLIED);
  g_assert_cmpint (a1->rev, ==, 4);
  g_assert_cmpint (a2->rev, ==, 5);

  /* A note made on an old revision still fits: applied. */
  n = send_op (main_server, token_a2, stale_note);
  assert_outcome (n, WH_OP_OUTCOME_APPLIED);
  g_assert_cmpint (n->rev, ==, 6);
  g_assert_cmpint (count_events (main_db, id), ==, 6);
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident_unit WHERE incident_id = ? "
                                  "AND acknowledged_at IS NOT NULL", id), ==, 2);
}

static void
test_ops_rejected (void)
{
  g_autofree char *id = registered_incident (main_server, token_a, grid_a);
  gint64 now = g_get_real_time () + G_USEC_PER_SEC;
  g_autoptr (WhOp) close = new_op (WH_ACTION_CLOSE, id, 2, now);
  g_autoptr (WhOp) viewer_note = new_note (id, 2, now + 1, "看看");
  g_autoptr (WhOp) future = new_note (id, 9, now + 2, "未来的版本");
  g_autoptr (WhOp) empty_note = new_note (id, 2, now + 3, "   ");
  g_autoptr (WhOp) whistle = NULL;
  g_autoptr (WhOp) wrong_unit = new_op (WH_ACTION_ACKNOWLEDGE, id, 3, now + 5);
  g_autoptr (WhOp) ghost = new_note ("7d0c5a1e-4b8f-4e8a-9a57-3c1f2e9b6d40", 0, now + 6, "无此事件");
  g_autoptr (WhOpResult) r_close = NULL;
  g_autoptr (WhOpResult) r_viewer = NULL;
  g_autoptr (WhOpResult) r_future = NULL;
  g_autoptr (WhOpResult) r_empty = NULL;
  g_autoptr (WhOpResult) r_whistle = NULL;
  g_autoptr (WhOpResult) r_wrong_unit = NULL;
  g_autoptr (WhOpResult) r_ghost = NULL;
  g_autoptr (WhOpResult) r_close_again = NULL;
  gint64 events;

  events = count_events (main_db, id);

  /* Closing a registered incident skips the whole loop: refused, on the current revision. */
  r_close = send_op (main_server, token_a, close);
  assert_outcome (r_close, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_close->code, ==, "refused");
  g_assert_nonnull (r_close->reason);
  g_assert_null (r_close->incident);
  r_close_again = send_op (main_server, token_a, close);
  assert_outcome (r_close_again, WH_OP_OUTCOME_DUPLICATE);
  g_assert_cmpint (r_close_again->first_outcome, ==, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_close_again->reason, ==, r_close->reason);

  r_viewer = send_op (main_server, token_viewer, viewer_note);
  assert_outcome (r_viewer, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_viewer->code, ==, "forbidden");

  r_future = send_op (main_server, token_a, future);
  assert_outcome (r_future, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_future->code, ==, "bad_rev");

  r_empty = send_op (main_server, token_a, empty_note);
  assert_outcome (r_empty, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_empty->code, ==, "invalid");

  r_ghost = send_op (main_server, token_a, ghost);
  assert_outcome (r_ghost, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_ghost->code, ==, "not_found");

  g_assert_cmpint (count_events (main_db, id), ==, events);
  g_assert_cmpint (incident_rev (main_db, id), ==, 2);

  /* A desk that reported offline and went on sends everything based on revision 0; when
   * only its own ops moved the incident on, a refusal is a rejection, not a conflict. */
  {
    g_autoptr (WhOp) report = new_report (STREET_A, NULL, now + 10);
    g_autoptr (WhOp) reg = new_op (WH_ACTION_REGISTER, report->incident_id, 0, now + 11);
    g_autoptr (WhOp) rate = new_op (WH_ACTION_RATE, report->incident_id, 0, now + 12);
    WhOp *offline[] = { report, reg, rate };
    g_autoptr (GPtrArray) results = NULL;

    wh_op_set_int (rate, "rating", 5);
    results = send_ops (main_server, token_a, offline, G_N_ELEMENTS (offline));
    assert_outcome (results->pdata[0], WH_OP_OUTCOME_APPLIED);
    assert_outcome (results->pdata[1], WH_OP_OUTCOME_APPLIED);
    assert_outcome (results->pdata[2], WH_OP_OUTCOME_REJECTED);
    g_assert_cmpstr (((WhOpResult *) results->pdata[2])->code, ==, "refused");
    g_assert_cmpint (((WhOpResult *) results->pdata[2])->rev, ==, 2);
  }

  /* A liaison acts for their own unit only. */
  {
    g_autoptr (TestReply) me = get (main_server, "/api/v1/session", token_liaison);
    const char *own = json_object_get_string_member (
      json_object_get_object_member (test_reply_object (me), "account"), "unit_id");
    const char *other = g_strcmp0 (own, unit_a1) == 0 ? unit_a2 : unit_a1;
    g_autoptr (WhOp) own_ack = new_op (WH_ACTION_ACKNOWLEDGE, id, 3, now + 6);
    g_autoptr (WhOpResult) r_own_ack = NULL;

    g_assert_nonnull (own);
    g_clear_pointer (&whistle, wh_op_free);
    whistle = new_whistle (id, 2, now + 4, own, other);
    r_whistle = send_op (main_server, token_a, whistle);
    assert_outcome (r_whistle, WH_OP_OUTCOME_APPLIED);
    wrong_unit->unit_id = g_strdup (other);
    r_wrong_unit = send_op (main_server, token_liaison, wrong_unit);
    assert_outcome (r_wrong_unit, WH_OP_OUTCOME_REJECTED);
    g_assert_cmpstr (r_wrong_unit->code, ==, "refused");
    own_ack->unit_id = g_strdup (own);
    r_own_ack = send_op (main_server, token_liaison, own_ack);
    assert_outcome (r_own_ack, WH_OP_OUTCOME_APPLIED);
    g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident_event WHERE id = ? AND "
                                    "actor_role = 'unit_liaison'", own_ack->op_id), ==, 1);
  }
  g_assert_cmpint (count_events (main_db, id), ==, events + 2);
}

static void
test_ops_replay (void)
{
  gint64 now = g_get_real_time ();
  WhOp *ops[12];
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  gint64 before;

  /* A report, its registration and notes, as one desk's outbox would send them. */
  ops[0] = new_report (STREET_A, NULL, now);
  ops[1] = new_op (WH_ACTION_REGISTER, ops[0]->incident_id, 0, now + 1);
  for (guint i = 2; i < G_N_ELEMENTS (ops); i++)
    {
      g_autofree char *text = g_strdup_printf ("进展 %u", i);

      ops[i] = new_note (ops[0]->incident_id, 0, now + i, text);
    }

  first = send_ops (main_server, token_a, ops, G_N_ELEMENTS (ops));
  for (guint i = 0; i < first->len; i++)
    {
      assert_outcome (first->pdata[i], WH_OP_OUTCOME_APPLIED);
      g_assert_cmpint (((WhOpResult *) first->pdata[i])->rev, ==, i + 1);
    }

  /* The answer was lost; the desk sends the whole batch again. */
  before = write_fingerprint (main_db);
  second = send_ops (main_server, token_a, ops, G_N_ELEMENTS (ops));
  for (guint i = 0; i < second->len; i++)
    {
      WhOpResult *result = second->pdata[i];

      assert_outcome (result, WH_OP_OUTCOME_DUPLICATE);
      g_assert_cmpint (result->first_outcome, ==, WH_OP_OUTCOME_APPLIED);
      g_assert_cmpint (result->rev, ==, ((WhOpResult *) first->pdata[i])->rev);
    }
  g_assert_cmpint (write_fingerprint (main_db), ==, before);
  g_assert_cmpint (count_events (main_db, ops[0]->incident_id), ==, G_N_ELEMENTS (ops));

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    wh_op_free (ops[i]);
}

static void
test_ops_renumber (void)
{
  gint64 now = g_get_real_time ();
  g_autoptr (WhOp) one = new_report (STREET_A, NULL, now);
  g_autoptr (WhOp) two = new_report (STREET_A, NULL, now + 1);
  g_autoptr (WhOpResult) r1 = NULL;
  g_autoptr (WhOpResult) r2 = NULL;

  /* Two desks offline picked the same number for different incidents. */
  wh_op_set_string (two, "number", wh_op_get_string (one, "number"));
  r1 = send_op (main_server, token_a, one);
  r2 = send_op (main_server, token_a2, two);
  assert_outcome (r1, WH_OP_OUTCOME_APPLIED);
  assert_outcome (r2, WH_OP_OUTCOME_APPLIED);
  g_assert_cmpint (incident_rev (main_db, two->incident_id), ==, 1);
  /* The second got the next free number of its day instead. */
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident a JOIN incident b "
                                  "ON a.number = b.number AND a.id != b.id WHERE a.id = ?",
                                  two->incident_id), ==, 0);
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident WHERE number = ?",
                                  wh_op_get_string (one, "number")), ==, 1);
}

/* Tests: streets */

static void
test_streets (void)
{
  g_autofree char *id_a = registered_incident (main_server, token_a, grid_a);
  gint64 now = g_get_real_time () + G_USEC_PER_SEC;
  g_autoptr (WhOp) b_note = new_note (id_a, 2, now, "越界");
  g_autoptr (WhOp) b_report = new_report (STREET_A, NULL, now + 1);
  g_autoptr (WhOp) a_grid_b = new_report (STREET_A, grid_b, now + 2);
  g_autoptr (WhOp) foreign_whistle = new_whistle (id_a, 2, now + 3, unit_b, NULL);
  g_autoptr (WhOpResult) r_note = NULL;
  g_autoptr (WhOpResult) r_report = NULL;
  g_autoptr (WhOpResult) r_grid = NULL;
  g_autoptr (WhOpResult) r_whistle = NULL;
  g_autoptr (WhOpResult) r_replay_b = NULL;
  g_autoptr (TestReply) changes_b = NULL;
  g_autoptr (TestReply) org_b = NULL;
  g_autoptr (TestReply) org_district_b = NULL;
  g_autoptr (GPtrArray) feed_b = NULL;
  g_autoptr (GPtrArray) feed_a = NULL;
  g_autoptr (GPtrArray) feed_all = NULL;
  g_autoptr (WhOp) note_a = new_note (id_a, 2, now + 4, "本街道");
  g_autoptr (WhOpResult) r_note_a = NULL;
  gint64 before = write_fingerprint (main_db);
  guint n_a = 0, n_b = 0;

  /* Street B's token cannot change street A's incidents, report into A, or read A. */
  r_note = send_op (main_server, token_b, b_note);
  assert_outcome (r_note, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_note->code, ==, "forbidden");
  g_assert_null (r_note->incident);
  r_report = send_op (main_server, token_b, b_report);
  assert_outcome (r_report, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_report->code, ==, "forbidden");
  g_assert_cmpint (incident_rev (main_db, b_report->incident_id), ==, -1);

  changes_b = get (main_server, "/api/v1/changes?since=0&street=" STREET_A, token_b);
  assert_error (changes_b, 403, "forbidden");
  org_b = get (main_server, "/api/v1/organisation?street=" STREET_A, token_b);
  assert_error (org_b, 403, "forbidden");

  /* Street A's own desk cannot drag in street B's grid cells or units either. */
  r_grid = send_op (main_server, token_a, a_grid_b);
  assert_outcome (r_grid, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_grid->code, ==, "invalid");
  r_whistle = send_op (main_server, token_a, foreign_whistle);
  assert_outcome (r_whistle, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_whistle->code, ==, "invalid");

  /* Only the four answers were stored. */
  g_assert_cmpint (write_fingerprint (main_db), ==, before + 4);

  /* A's desk may use an op id B already spent, but learns nothing of B's answer. */
  r_replay_b = send_op (main_server, token_a, b_note);
  assert_outcome (r_replay_b, WH_OP_OUTCOME_REJECTED);
  g_assert_cmpstr (r_replay_b->code, ==, "op_id_taken");
  r_note_a = send_op (main_server, token_a, note_a);
  assert_outcome (r_note_a, WH_OP_OUTCOME_APPLIED);

  /* Each street's feed holds its own incidents only; the district's holds both. */
  feed_b = read_feed (main_server, token_b, 0, 7, NULL);
  for (guint i = 0; i < feed_b->len; i++)
    g_assert_cmpstr (((WhChange *) feed_b->pdata[i])->street_id, ==, STREET_B);
  g_assert_cmpuint (feed_b->len, ==, test_db_count (main_db, "SELECT count(*) FROM incident WHERE street_id = ?",
                                                     STREET_B));
  feed_a = read_feed (main_server, token_a, 0, 50, NULL);
  for (guint i = 0; i < feed_a->len; i++)
    g_assert_cmpstr (((WhChange *) feed_a->pdata[i])->street_id, ==, STREET_A);
  feed_all = read_feed (main_server, token_district, 0, 100, NULL);
  for (guint i = 0; i < feed_all->len; i++)
    {
      const char *street = ((WhChange *) feed_all->pdata[i])->street_id;

      n_a += g_str_equal (street, STREET_A);
      n_b += g_str_equal (street, STREET_B);
    }
  g_assert_cmpuint (n_a, ==, feed_a->len);
  g_assert_cmpuint (n_b, ==, feed_b->len);
  g_assert_cmpuint (feed_all->len, ==, test_db_count (main_db, "SELECT count(*) FROM incident", NULL));

  org_district_b = get (main_server, "/api/v1/organisation?street=" STREET_B, token_district);
  g_assert_cmpuint (org_district_b->status, ==, 200);
}

/* Tests: the changes feed */

static void
test_changes_paging (void)
{
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) paged = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (WhOp) note = NULL;
  g_autoptr (WhOpResult) result = NULL;
  g_autofree char *id = NULL;
  gint64 cursor = 0, cursor2 = 0;
  WhChange *last;

  all = read_feed (main_server, token_a, 0, 1000, &cursor);
  paged = read_feed (main_server, token_a, 0, 3, &cursor2);
  g_assert_cmpuint (all->len, ==, paged->len);
  g_assert_cmpint (cursor, ==, cursor2);
  g_assert_cmpuint (all->len, ==, test_db_count (main_db, "SELECT count(*) FROM incident WHERE street_id = ?",
                                                  STREET_A));
  g_assert_cmpuint (all->len, >=, N_DEMO);

  /* Every incident once, with its whole timeline at cursor 0. */
  for (guint i = 0; i < paged->len; i++)
    {
      WhChange *change = paged->pdata[i];

      g_assert_false (change->tombstone);
      g_assert_false (g_hash_table_contains (seen, change->entity_id));
      g_hash_table_add (seen, change->entity_id);
      g_assert_cmpint (change->incident->rev, >=, 1);
      g_assert_cmpint (change->events->len, ==, count_events (main_db, change->entity_id));
      g_assert_cmpint (change->events->len, ==, change->incident->last_seq);
    }

  /* After a change, the cursor brings just that incident with just the new event. */
  id = registered_incident (main_server, token_a, NULL);
  g_ptr_array_unref (read_feed (main_server, token_a, cursor, 1000, &cursor));
  note = new_note (id, 2, g_get_real_time () + G_USEC_PER_SEC, "新进展");
  result = send_op (main_server, token_a, note);
  assert_outcome (result, WH_OP_OUTCOME_APPLIED);

  after = read_feed (main_server, token_a, cursor, 10, NULL);
  g_assert_cmpuint (after->len, ==, 1);
  last = after->pdata[0];
  g_assert_cmpstr (last->entity_id, ==, id);
  g_assert_cmpint (last->incident->rev, ==, result->rev);
  g_assert_cmpuint (last->events->len, ==, 1);
  g_assert_cmpstr (((WhIncidentEvent *) last->events->pdata[0])->id, ==, note->op_id);
}

static void
test_changes_bad_queries (void)
{
  static const struct {
    const char *path;
    guint       status;
    const char *code;
  } cases[] = {
    { "/api/v1/changes?since=-1", 400, "bad_parameter" },
    { "/api/v1/changes?since=abc", 400, "bad_parameter" },
    { "/api/v1/changes?limit=0", 400, "bad_parameter" },
    { "/api/v1/changes?limit=100000", 400, "bad_parameter" },
    { "/api/v1/changes?cursor=5", 400, "unknown_parameter" },
    { "/api/v1/changes/extra", 404, "not_found" },
    { "/api/v1/nothing-here", 404, "not_found" },
    { "/", 404, "not_found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TestReply) reply = get (main_server, cases[i].path, token_a);

      g_test_message ("%s", cases[i].path);
      assert_error (reply, cases[i].status, cases[i].code);
    }
}

/* Tests: bad input writes nothing */

static void
test_malformed_ops (void)
{
  g_autoptr (WhOp) good = new_report (STREET_A, NULL, g_get_real_time ());
  g_autofree char *good_json = wh_op_to_string (good);
  g_autofree char *unknown_top = g_strdup_printf ("{\"ops\": [%s], \"force\": true}", good_json);
  g_autofree char *with_bad = NULL;
  g_autofree char *unknown_op = NULL;
  g_autofree char *deep = NULL;
  g_autoptr (WhOp) stuffed = new_note (good->incident_id, 1, g_get_real_time (), "夹带");
  g_autofree char *stuffed_json = NULL;
  g_autofree char *stuffed_body = NULL;
  gint64 before = write_fingerprint (main_db);
  struct {
    const char *body;
    guint       status;
    const char *code;
  } cases[] = {
    { "{\"ops\": [", 400, "malformed_json" },
    { "{\"ops\": {}}", 400, "invalid" },
    { "[]", 400, "malformed_json" },
    { "\"ops\"", 400, "malformed_json" },
    { unknown_top, 400, "unknown_member" },
    { NULL, 400, "invalid_op" },
    { NULL, 400, "invalid_op" },
    { NULL, 400, "malformed_json" },
    { NULL, 400, "invalid_op" },
  };
  g_autoptr (GString) nested = g_string_new ("{\"ops\": ");

  /* A good op followed by one the server cannot read: the good one must not be applied. */
  with_bad = g_strdup_printf ("{\"ops\": [%s, {\"op_id\": \"not-a-uuid\"}]}", good_json);
  cases[5].body = with_bad;
  unknown_op = g_strdup_printf ("{\"ops\": [%.*s, \"priority\": \"high\"}]}",
                                (int) strlen (good_json) - 1, good_json);
  cases[6].body = unknown_op;
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nested, '[');
  deep = g_string_free (g_steal_pointer (&nested), FALSE);
  cases[7].body = deep;
  /* A field the action does not know would otherwise end up in the timeline's payload. */
  wh_op_set_string (stuffed, "secret_flag", "yes");
  stuffed_json = wh_op_to_string (stuffed);
  stuffed_body = g_strdup_printf ("{\"ops\": [%s, %s]}", good_json, stuffed_json);
  cases[8].body = stuffed_body;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TestReply) reply = post (main_server, "/api/v1/ops", token_a, cases[i].body);

      g_test_message ("case %u", i);
      assert_error (reply, cases[i].status, cases[i].code);
    }
  g_assert_cmpint (write_fingerprint (main_db), ==, before);
  g_assert_cmpint (incident_rev (main_db, good->incident_id), ==, -1);

  /* Without a sign-in nothing is even read. */
  {
    g_autofree char *body = g_strdup_printf ("{\"ops\": [%s]}", good_json);
    g_autoptr (TestReply) anonymous = post (main_server, "/api/v1/ops", NULL, body);

    assert_error (anonymous, 401, "token_missing");
  }
  g_assert_cmpint (write_fingerprint (main_db), ==, before);
}

static void
test_limits (void)
{
  g_autofree char *url = url_of (main_server, "/api/v1/ops");
  g_autofree char *huge = NULL;
  g_autofree char *many = NULL;
  g_autoptr (TestReply) too_large = NULL;
  g_autoptr (TestReply) too_many = NULL;
  g_autoptr (TestReply) chunked = NULL;
  g_autoptr (WhOp) op = new_report (STREET_A, NULL, g_get_real_time ());
  g_autofree char *op_json = wh_op_to_string (op);
  g_autoptr (GString) batch = g_string_new ("{\"ops\": [");
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *bearer = g_strconcat ("Bearer ", token_a, NULL);
  gint64 before = write_fingerprint (main_db);

  /* Over a mebibyte: refused from the headers, before the body is read. */
  huge = g_malloc (2 * 1024 * 1024 + 1);
  memset (huge, ' ', 2 * 1024 * 1024);
  huge[0] = '{';
  huge[2 * 1024 * 1024 - 1] = '}';
  huge[2 * 1024 * 1024] = '\0';
  too_large = post (main_server, "/api/v1/ops", token_a, huge);
  if (too_large->error != NULL)
    /* The server may close the connection before the client has sent everything. */
    g_test_message ("oversize body: %s", too_large->error->message);
  else
    assert_error (too_large, 413, "too_large");

  /* 501 ops, each small enough that the body stays under the limit. */
  for (guint i = 0; i < 501; i++)
    {
      g_autofree char *id = g_uuid_string_random ();

      g_string_append_printf (batch, "%s{\"op_id\": \"%s\", \"incident_id\": \"%s\", \"action\": \"note\", "
                              "\"actor\": {\"id\": \"\", \"name\": \"\", \"role\": \"viewer\"}, "
                              "\"note\": \"x\", \"at\": 1, \"base_rev\": 0, \"fields\": {}}",
                              i ? ", " : "", id, id);
    }
  g_string_append (batch, "]}");
  many = g_string_free (g_steal_pointer (&batch), FALSE);
  g_assert_cmpuint (strlen (many), <, 1024 * 1024);
  too_many = post (main_server, "/api/v1/ops", token_a, many);
  assert_error (too_many, 413, "too_many_ops");

  /* A body without a length would have to be read whole before its size is known. */
  msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  stream = g_memory_input_stream_new_from_data (g_strdup_printf ("{\"ops\": [%s]}", op_json), -1, g_free);
  soup_message_set_request_body (msg, "application/json", stream, -1);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body != NULL)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      g_assert_cmpuint (soup_message_get_status (msg), ==, 411);
      g_assert_nonnull (strstr (text, "length_required"));
    }
  else
    g_test_message ("chunked body: %s", error->message);

  g_assert_cmpint (write_fingerprint (main_db), ==, before);
  g_assert_cmpint (incident_rev (main_db, op->incident_id), ==, -1);
}

static void
test_rate_limit (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "rate.db", NULL);
  const char *args[] = { "--rate", "1", "--burst", "5", NULL };
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;
  TestServer *server;
  guint ok = 0, limited = 0;

  g_free (test_admin (db, NULL, "add-street", STREET_A, "京华街道", NULL));
  g_free (test_admin (db, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "viewer", "v", NULL));
  server = test_server_start (db, args, NULL);
  token = test_login (session, server->url, "v", PASSWORD);
  other = test_login (session, server->url, "v", PASSWORD);

  for (guint i = 0; i < 12; i++)
    {
      g_autoptr (TestReply) reply = get (server, "/api/v1/session", token);

      if (reply->status == 200)
        ok++;
      else
        {
          assert_error (reply, 429, "rate_limited");
          g_assert_nonnull (reply->retry_after);
          g_assert_cmpint (g_ascii_strtoll (reply->retry_after, NULL, 10), >=, 1);
          limited++;
        }
    }
  /* The burst, plus at most a request or two earned back meanwhile. */
  g_assert_cmpuint (ok, >=, 5);
  g_assert_cmpuint (ok, <=, 7);
  g_assert_cmpuint (limited, ==, 12 - ok);

  /* The bucket is per token: another sign-in is not slowed down. */
  {
    g_autoptr (TestReply) reply = get (server, "/api/v1/session", other);

    g_assert_cmpuint (reply->status, ==, 200);
  }
  test_server_free (server);
}

/* Tests: crashes and stops */

static void
prepare_small (const char *path)
{
  g_free (test_admin (path, NULL, "load-demo", "--streets", "1", "--incidents", "0", "--months", "1", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "duty_officer",
                      "duty", NULL));
}

static void
test_crash_kill_after (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "crash.db", NULL);
  g_autofree char *body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (GPtrArray) third = NULL;
  g_autoptr (TestReply) reply = NULL;
  TestServer *server;
  WhOp *ops[20];
  gint64 now = g_get_real_time ();
  guint duplicates = 0, applied = 0;

  g_test_summary ("The server dies by SIGKILL after its 7th op of a batch of 20; after a restart "
                  "the same batch gives 7 duplicates and 13 applied, and every op has exactly one event.");

  prepare_small (db);

  ops[0] = new_report (STREET_A, NULL, now);
  ops[1] = new_op (WH_ACTION_REGISTER, ops[0]->incident_id, 0, now + 1);
  for (guint i = 2; i < G_N_ELEMENTS (ops); i++)
    ops[i] = (i % 3 == 0) ? new_report (STREET_A, NULL, now + i)
                          : new_note (ops[0]->incident_id, 0, now + i, "进展");
  body = batch_body (ops, G_N_ELEMENTS (ops));

  server = test_server_start (db, NULL, "7");
  token = test_login (session, server->url, "duty", PASSWORD);
  url = url_of (server, "/api/v1/ops");
  reply = test_request (session, "POST", url, token, NULL, body, -1);
  /* The server died mid-batch: no answer at all. */
  g_assert_nonnull (reply->error);
  g_assert_true (test_server_wait (server, 10000));
  g_assert_true (g_subprocess_get_if_signaled (server->process));
  g_assert_cmpint (g_subprocess_get_term_sig (server->process), ==, SIGKILL);
  test_server_free (server);

  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM op_result", NULL), ==, 7);
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident_event", NULL), ==, 7);

  /* Restarted, the same batch (the token survived the crash too). */
  server = test_server_start (db, NULL, NULL);
  again = send_ops (server, token, ops, G_N_ELEMENTS (ops));
  for (guint i = 0; i < again->len; i++)
    {
      WhOpResult *result = again->pdata[i];

      if (i < 7)
        {
          assert_outcome (result, WH_OP_OUTCOME_DUPLICATE);
          g_assert_cmpint (result->first_outcome, ==, WH_OP_OUTCOME_APPLIED);
          duplicates++;
        }
      else
        {
          assert_outcome (result, WH_OP_OUTCOME_APPLIED);
          applied++;
        }
    }
  g_assert_cmpuint (duplicates, ==, 7);
  g_assert_cmpuint (applied, ==, 13);

  third = send_ops (server, token, ops, G_N_ELEMENTS (ops));
  for (guint i = 0; i < third->len; i++)
    assert_outcome (third->pdata[i], WH_OP_OUTCOME_DUPLICATE);

  /* Exactly once: one event per op, each under the op's own id. */
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident_event", NULL), ==, G_N_ELEMENTS (ops));
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident_event WHERE id = ?", ops[i]->op_id), ==, 1);
  g_assert_cmpint (incident_rev (db, ops[0]->incident_id), ==, count_events (db, ops[0]->incident_id));

  test_server_free (server);
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    wh_op_free (ops[i]);
}

typedef struct {
  TestServer *server;
  const char *db;
  gboolean    replied;
  gboolean    killed;
  gint64      answers_at_kill;
  GError     *error;
} KillRace;

static void
race_replied (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  KillRace *race = data;
  g_autoptr (GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &race->error);

  race->replied = TRUE;
}

static gboolean
race_poll (gpointer data)
{
  KillRace *race = data;
  gint64 answers;

  if (race->replied || race->killed)
    return G_SOURCE_REMOVE;
  answers = test_db_count (race->db, "SELECT count(*) FROM op_result", NULL);
  /* Pull the plug once the batch is under way. */
  if (answers >= 20)
    {
      race->answers_at_kill = answers;
      race->killed = TRUE;
      g_subprocess_send_signal (race->server->process, SIGKILL);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
test_crash_sigkill_from_outside (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "crash2.db", NULL);
  g_autofree char *body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *bearer = NULL;
  KillRace race = { 0, };
  TestServer *server;
  WhOp *ops[400];
  gint64 now = g_get_real_time ();
  gint64 stored;
  guint duplicates = 0;

  g_test_summary ("SIGKILL from outside while a batch of 400 reports is being applied: after a "
                  "restart every op is applied exactly once.");

  prepare_small (db);
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    ops[i] = new_report (STREET_A, NULL, now + i);
  body = batch_body (ops, G_N_ELEMENTS (ops));

  server = test_server_start (db, NULL, NULL);
  token = test_login (session, server->url, "duty", PASSWORD);
  url = url_of (server, "/api/v1/ops");

  bearer = g_strconcat ("Bearer ", token, NULL);
  msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);

  race.server = server;
  race.db = db;
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, race_replied, &race);
  g_timeout_add (1, race_poll, &race);
  while (!race.replied)
    g_main_context_iteration (NULL, TRUE);
  if (race.killed)
    {
      g_test_message ("killed after %" G_GINT64_FORMAT " of %u answers were stored",
                      race.answers_at_kill, (guint) G_N_ELEMENTS (ops));
      g_assert_nonnull (race.error);
    }
  else
    g_test_message ("the batch finished before the kill; exactly-once is still checked");
  g_clear_error (&race.error);
  if (g_subprocess_get_identifier (server->process) != NULL)
    test_server_signal (server, SIGKILL);
  test_server_free (server);

  stored = test_db_count (db, "SELECT count(*) FROM op_result", NULL);
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident_event", NULL), ==, stored);
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident", NULL), ==, stored);
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM change_log", NULL), ==, stored);

  server = test_server_start (db, NULL, NULL);
  again = send_ops (server, token, ops, G_N_ELEMENTS (ops));
  for (guint i = 0; i < again->len; i++)
    {
      WhOpResult *result = again->pdata[i];

      g_assert_true (result->outcome == WH_OP_OUTCOME_APPLIED ||
                     result->outcome == WH_OP_OUTCOME_DUPLICATE);
      /* What was stored before the crash comes first, in batch order. */
      g_assert_true ((result->outcome == WH_OP_OUTCOME_DUPLICATE) == (i < stored));
      duplicates += result->outcome == WH_OP_OUTCOME_DUPLICATE;
    }
  g_assert_cmpint (duplicates, ==, stored);
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident_event", NULL), ==, G_N_ELEMENTS (ops));
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM incident", NULL), ==, G_N_ELEMENTS (ops));
  g_assert_cmpint (test_db_count (db, "SELECT count(DISTINCT seq) FROM change_log", NULL), ==, G_N_ELEMENTS (ops));

  test_server_free (server);
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    wh_op_free (ops[i]);
}

static void
test_ops_storage_busy (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "busy.db", NULL);
  g_autofree char *token = NULL;
  g_autoptr (GPtrArray) blocked = NULL;
  g_autoptr (GPtrArray) retried = NULL;
  sqlite3 *holder = NULL;
  TestServer *server;
  WhOp *ops[3];
  gint64 now = g_get_real_time ();
  gint64 before;

  g_test_summary ("While another writer holds the database past the busy timeout, a batch gets "
                  "'error' answers, writes nothing, and goes through when sent again.");

  prepare_small (db);
  ops[0] = new_report (STREET_A, NULL, now);
  ops[1] = new_note (ops[0]->incident_id, 0, now + 1, "一");
  ops[2] = new_note (ops[0]->incident_id, 0, now + 2, "二");

  server = test_server_start (db, NULL, NULL);
  token = test_login (session, server->url, "duty", PASSWORD);
  before = write_fingerprint (db);

  /* An admin command, say, in the middle of a long write. */
  g_assert_cmpint (sqlite3_open (db, &holder), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  blocked = send_ops (server, token, ops, G_N_ELEMENTS (ops));
  g_assert_cmpint (sqlite3_exec (holder, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (holder);

  assert_outcome (blocked->pdata[0], WH_OP_OUTCOME_ERROR);
  g_assert_cmpstr (((WhOpResult *) blocked->pdata[0])->code, ==, "storage");
  /* The notes depend on the report: they are not tried, let alone refused for good. */
  assert_outcome (blocked->pdata[1], WH_OP_OUTCOME_ERROR);
  g_assert_cmpstr (((WhOpResult *) blocked->pdata[1])->code, ==, "not_attempted");
  assert_outcome (blocked->pdata[2], WH_OP_OUTCOME_ERROR);
  g_assert_cmpint (write_fingerprint (db), ==, before);

  retried = send_ops (server, token, ops, G_N_ELEMENTS (ops));
  for (guint i = 0; i < retried->len; i++)
    assert_outcome (retried->pdata[i], WH_OP_OUTCOME_APPLIED);

  test_server_free (server);
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    wh_op_free (ops[i]);
}

static void
test_sigterm (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "term.db", NULL);
  g_autofree char *log = NULL;
  TestServer *server;

  g_free (test_admin (db, NULL, "add-street", STREET_A, "京华街道", NULL));
  server = test_server_start (db, NULL, NULL);
  g_subprocess_send_signal (server->process, SIGTERM);
  g_assert_true (test_server_wait (server, 5000));
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  log = test_server_log (server);
  g_assert_nonnull (strstr (log, "Stopped"));
  test_server_free (server);

  server = test_server_start (db, NULL, NULL);
  g_subprocess_send_signal (server->process, SIGINT);
  g_assert_true (test_server_wait (server, 5000));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  test_server_free (server);
}

static void
test_admin_refusals (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "admin.db", NULL);
  g_autofree char *desk = g_build_filename (tmp_dir, "desk.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) desk_db = NULL;

  g_free (test_admin (db, NULL, "add-street", STREET_A, "京华街道", NULL));
  /* Wrong roles, streets and passwords are refused with a message. */
  g_assert_cmpint (test_admin_status (db, PASSWORD "\n", NULL, "add-user", "--role", "mayor",
                                      "--street", STREET_A, "x", NULL), !=, 0);
  g_assert_cmpint (test_admin_status (db, PASSWORD "\n", NULL, "add-user", "--role", "viewer",
                                      "--street", STREET_B, "x", NULL), !=, 0);
  g_assert_cmpint (test_admin_status (db, PASSWORD "\n", NULL, "add-user", "--role", "district",
                                      "--street", STREET_A, "x", NULL), !=, 0);
  g_assert_cmpint (test_admin_status (db, PASSWORD "\n", NULL, "add-user", "--role", "unit_liaison",
                                      "--street", STREET_A, "x", NULL), !=, 0);
  g_assert_cmpint (test_admin_status (db, "short\n", NULL, "add-user", "--role", "viewer",
                                      "--street", STREET_A, "x", NULL), !=, 0);
  g_assert_cmpint (test_admin_status (db, PASSWORD "\n", NULL, "add-user", "--role", "viewer",
                                      "--street", STREET_A, "has space", NULL), !=, 0);
  g_assert_cmpint (test_admin_status (db, PASSWORD "\n", NULL, "add-user", "--role", "viewer",
                                      "--street", STREET_A, "x", NULL), ==, 0);
  g_assert_cmpint (test_admin_status (db, PASSWORD "\n", NULL, "add-user", "--role", "viewer",
                                      "--street", STREET_A, "x", NULL), !=, 0);
  g_assert_cmpint (test_admin_status (db, NULL, NULL, "add-street", "12345", "短", NULL), !=, 0);
  g_assert_cmpint (test_admin_status (db, NULL, NULL, "no-such-command", NULL), !=, 0);
  g_assert_cmpint (test_db_count (db, "SELECT count(*) FROM account", NULL), ==, 1);

  /* A desk's cache is not a server's database. */
  desk_db = wh_db_open (desk, &error);
  g_assert_no_error (error);
  g_assert_true (wh_db_set_meta (desk_db, "street_id", STREET_A, &error));
  g_clear_object (&desk_db);
  g_assert_cmpint (test_admin_status (desk, NULL, NULL, "list-users", NULL), !=, 0);
}

/* Tests: the wire formats, read back the way a desk will */

static void
test_desk_import (void)
{
  g_autofree char *desk_path = g_build_filename (tmp_dir, "desk-import.db", NULL);
  g_autoptr (TestReply) org = get (main_server, "/api/v1/organisation", token_a);
  g_autoptr (TestReply) again = NULL;
  g_autoptr (WhDb) desk = NULL;
  g_autoptr (WhIncidentStore) store = NULL;
  g_autoptr (GPtrArray) feed = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) exported = NULL;
  JsonArray *categories;

  g_assert_cmpuint (org->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (member_array (test_reply_object (org), "streets")), ==, 1);
  g_assert_cmpuint (json_array_get_length (member_array (test_reply_object (org), "communities")), >, 0);
  g_assert_cmpuint (json_array_get_length (member_array (test_reply_object (org), "staff")), >, 0);
  g_assert_cmpuint (json_array_get_length (member_array (test_reply_object (org), "grid_duty")), >, 0);
  g_assert_cmpuint (json_array_get_length (member_array (test_reply_object (org), "priorities")), ==, 3);
  /* No default lead unit points to another street's unit. */
  categories = member_array (test_reply_object (org), "categories");
  for (guint i = 0; i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);

      if (!json_object_get_null_member (c, "default_lead_unit"))
        g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM unit WHERE street_id = '" STREET_A
                                        "' AND id = ?", json_object_get_string_member (c, "default_lead_unit")),
                         ==, 1);
    }

  /* A fresh desk takes the organisation, then the feed, and ends with street A exactly. */
  desk = wh_db_open (desk_path, &error);
  g_assert_no_error (error);
  g_assert_true (wh_organisation_import (desk, org->json, &error));
  g_assert_no_error (error);
  /* Importing twice changes nothing (rows are upserted, not added). */
  g_assert_true (wh_organisation_import (desk, org->json, &error));
  g_assert_no_error (error);
  exported = wh_organisation_export (desk, STREET_A, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (exported, org->json));
  g_assert_cmpint (test_db_count (desk_path, "SELECT count(*) FROM grid_cell_bounds", NULL), ==,
                   test_db_count (desk_path, "SELECT count(*) FROM grid_cell", NULL));

  store = wh_incident_store_new (desk);
  feed = read_feed (main_server, token_a, 0, 25, NULL);
  for (guint i = 0; i < feed->len; i++)
    {
      WhChange *change = feed->pdata[i];

      g_assert_true (wh_incident_store_import (store, change->incident, change->events, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (test_db_count (desk_path, "SELECT count(*) FROM incident", NULL), ==,
                   test_db_count (main_db, "SELECT count(*) FROM incident WHERE street_id = ?", STREET_A));
  g_assert_cmpint (test_db_count (desk_path, "SELECT count(*) FROM incident_event", NULL), ==,
                   test_db_count (main_db, "SELECT count(*) FROM incident_event e JOIN incident i "
                                  "ON i.id = e.incident_id WHERE i.street_id = ?", STREET_A));
  /* Same projections, revision for revision. */
  g_assert_cmpint (test_db_count (desk_path, "SELECT sum (rev) FROM incident", NULL), ==,
                   test_db_count (main_db, "SELECT sum (rev) FROM incident WHERE street_id = ?", STREET_A));
}

static void
test_feed_tombstone (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "tombstone.db", NULL);
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhChangeFeed) feed = NULL;
  g_autoptr (WhChangePage) page = NULL;
  g_autoptr (WhChangePage) other_street = NULL;
  g_autoptr (WhChangePage) read_back = NULL;
  g_autoptr (JsonNode) json = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  WhChange *change;
  gint64 first, second;

  /* Nothing deletes records yet, but the format is fixed now: a desk must drop its copy. */
  db = wh_db_open (path, &error);
  g_assert_no_error (error);
  feed = wh_change_feed_new (db);
  first = wh_change_feed_record_tombstone (feed, "incident", "0d7a3c52-8d0e-4c2b-9b7f-0a1e2f3c4d5e",
                                           STREET_A, 4, &error);
  g_assert_no_error (error);
  second = wh_change_feed_record_tombstone (feed, "incident", "0d7a3c52-8d0e-4c2b-9b7f-0a1e2f3c4d5e",
                                            STREET_A, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, >, first);

  page = wh_change_feed_read (feed, STREET_A, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, 1);
  g_assert_false (page->more);
  g_assert_cmpint (page->latest, ==, second);
  g_assert_cmpint (page->next_since, ==, second);
  other_street = wh_change_feed_read (feed, STREET_B, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (other_street->changes->len, ==, 0);

  json = wh_change_page_to_json (page);
  text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (text, "\"kind\":\"tombstone\""));
  read_back = wh_change_page_from_json (json, &error);
  g_assert_no_error (error);
  change = read_back->changes->pdata[0];
  g_assert_true (change->tombstone);
  g_assert_cmpstr (change->entity, ==, "incident");
  g_assert_cmpstr (change->entity_id, ==, "0d7a3c52-8d0e-4c2b-9b7f-0a1e2f3c4d5e");
  g_assert_cmpstr (change->street_id, ==, STREET_A);
  g_assert_cmpint (change->rev, ==, 5);
  g_assert_null (change->incident);
}

static void
test_tls (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = g_build_filename (tmp_dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (tmp_dir, "key.pem", NULL);
  g_autofree char *db = g_build_filename (tmp_dir, "tls.db", NULL);
  g_autoptr (GSubprocess) make_cert = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsDatabase) ca = NULL;
  g_autoptr (SoupSession) trusting = NULL;
  g_autoptr (TestReply) refused = NULL;
  g_autofree char *token = NULL;
  const char *args[] = { "--tls-cert", cert, "--tls-key", key, NULL };
  TestServer *server;

  if (openssl == NULL || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("needs openssl and a GIO TLS backend");
      return;
    }

  make_cert = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                "-keyout", key, "-out", cert, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (make_cert, NULL, &error));
  g_assert_no_error (error);

  g_free (test_admin (db, NULL, "add-street", STREET_A, "京华街道", NULL));
  g_free (test_admin (db, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "viewer", "v", NULL));
  server = test_server_start (db, args, NULL);
  g_assert_true (g_str_has_prefix (server->url, "https://"));

  /* Checked against the system's certificate authorities, a self-signed one is refused. */
  refused = get (server, "/api/v1/session", NULL);
  g_assert_nonnull (refused->error);
  g_assert_true (refused->error->domain == G_TLS_ERROR);

  /* Accepted once that certificate is the configured authority. */
  ca = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  trusting = soup_session_new_with_options ("tls-database", ca, NULL);
  token = test_login (trusting, server->url, "v", PASSWORD);
  g_assert_cmpuint (strlen (token), ==, 64);

  test_server_free (server);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = test_tmp_dir_new ("whistle-server-XXXXXX");
  main_db = g_build_filename (tmp_dir, "server.db", NULL);
  session = soup_session_new ();
  /* Test requests are many and quick; no idle connection must outlive a killed server. */
  soup_session_set_timeout (session, 30);

  prepare_database (main_db);
  main_server = test_server_start_unlimited (main_db);
  token_a = test_login (session, main_server->url, "duty_a", PASSWORD);
  token_a2 = test_login (session, main_server->url, "duty_a2", PASSWORD);
  token_b = test_login (session, main_server->url, "duty_b", PASSWORD);
  token_viewer = test_login (session, main_server->url, "viewer_a", PASSWORD);
  token_liaison = test_login (session, main_server->url, "liaison_a", PASSWORD);
  token_district = test_login (session, main_server->url, "district", PASSWORD);
  learn_organisation ();

  g_test_add_func ("/server/login", test_sign_in);
  g_test_add_func ("/server/login-malformed", test_login_malformed);
  g_test_add_func ("/server/login-crowd", test_login_crowd);
  g_test_add_func ("/server/tokens", test_tokens);
  g_test_add_func ("/server/token-expiry", test_token_expiry);
  g_test_add_func ("/server/ops/lifecycle", test_ops_lifecycle);
  g_test_add_func ("/server/ops/merge-and-conflict", test_ops_merge_and_conflict);
  g_test_add_func ("/server/ops/rejected", test_ops_rejected);
  g_test_add_func ("/server/ops/replay", test_ops_replay);
  g_test_add_func ("/server/ops/renumber", test_ops_renumber);
  g_test_add_func ("/server/ops/storage-busy", test_ops_storage_busy);
  g_test_add_func ("/server/streets", test_streets);
  g_test_add_func ("/server/changes/paging", test_changes_paging);
  g_test_add_func ("/server/changes/bad-queries", test_changes_bad_queries);
  g_test_add_func ("/server/malformed", test_malformed_ops);
  g_test_add_func ("/server/limits", test_limits);
  g_test_add_func ("/server/rate-limit", test_rate_limit);
  g_test_add_func ("/server/crash/kill-after", test_crash_kill_after);
  g_test_add_func ("/server/crash/sigkill", test_crash_sigkill_from_outside);
  g_test_add_func ("/server/sigterm", test_sigterm);
  g_test_add_func ("/server/admin", test_admin_refusals);
  g_test_add_func ("/server/desk-import", test_desk_import);
  g_test_add_func ("/server/feed-tombstone", test_feed_tombstone);
  g_test_add_func ("/server/tls", test_tls);

  status = g_test_run ();

  /* Outside a test g_test_failed() says nothing; the run's status does. */
  main_server->quiet = status == 0;
  test_server_free (main_server);
  g_object_unref (session);
  /* Keep the databases and logs of a failed run for whoever looks into it. */
  test_tmp_dir_finish (tmp_dir, status);
  return status;
}
