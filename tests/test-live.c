/* test-live.c — live updates and per-request languages, against the real district server
 *
 * The server runs with short heartbeats (--live-heartbeat 0.25 --live-timeout 1.5). Sockets are
 * opened either raw (libsoup's WebSocket client, which the test drives by hand: a desk that
 * answers or one that stays silent) or by desks running the sync engine by themselves with
 * polling set to an hour, so that only the live socket can bring a change in time.
 *
 * Nothing here measures time: each wait is for an event, with a generous limit that only
 * keeps a broken build from hanging.
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "server-harness.h"
#include "wh-db.h"
#include "wh-incident-store.h"
#include "wh-op.h"
#include "wh-sync-engine.h"

#define STREET_A  "110102099"
#define STREET_B  "110102098"
#define PASSWORD  "secret-password"
#define N_DEMO    20
#define WAIT_LIMIT_S 60

static const char *const server_args[] = {
  "--rate", "1000", "--burst", "1000", "--live-heartbeat", "0.25", "--live-timeout", "1.5", NULL
};

static char        *tmp_dir;
static char        *main_db;
static TestServer  *main_server;
static SoupSession *session;      /* plain requests, synchronous */
static SoupSession *ws_session;   /* raw live sockets */

static char *token_a;
static char *token_b;
static char *token_district;
static char *token_viewer;
static char *category;            /* a subcategory that needs no legal review */

static void copy_database (const char *from,
                           const char *to);

/* Waiting */

static gboolean
wake_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; a limit far beyond any expected wait turns a
 * hang into a failure that says what it waited for. */
static void
wait_for (Condition   condition,
          gpointer    data,
          const char *what)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_S * G_USEC_PER_SEC;

  while (!condition (data))
    {
      gboolean woken = FALSE;
      guint id = g_timeout_add (100, wake_up, &woken);

      g_main_context_iteration (NULL, TRUE);
      if (!woken)
        g_source_remove (id);
      if (g_get_monotonic_time () > limit)
        g_error ("gave up waiting for %s", what);
    }
}

/* Raw live sockets */

typedef struct {
  SoupWebsocketConnection *ws;
  GPtrArray               *messages;   /* JsonObject * as they came */
  guint                    heartbeats;
  guint                    changes;
  gint64                   hello_latest;
  gint64                   changes_latest; /* of the last "changes" */
  gboolean                 answer;     /* send a heartbeat for each of the server's */
  gboolean                 done;       /* the handshake finished, either way */
  gboolean                 closed;
  gushort                  close_code;
  char                    *close_reason;
  guint                    status;     /* the handshake's HTTP status when refused */
} Raw;

static void
raw_free (Raw *raw)
{
  if (raw->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (raw->ws, raw);
      if (soup_websocket_connection_get_state (raw->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (raw->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (raw->ws);
    }
  g_ptr_array_unref (raw->messages);
  g_free (raw->close_reason);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static void
raw_message (SoupWebsocketConnection *ws,
             int                      type,
             GBytes                  *message,
             Raw                     *raw)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  JsonObject *object;
  const char *kind;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_assert_true (json_parser_load_from_data (parser, data, size, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_ptr_array_add (raw->messages, json_object_ref (object));

  kind = json_object_get_string_member (object, "type");
  g_assert_true (json_object_has_member (object, "latest"));
  if (g_str_equal (kind, "hello"))
    {
      g_assert_cmpuint (raw->messages->len, ==, 1);
      raw->hello_latest = json_object_get_int_member (object, "latest");
      g_assert_cmpint (json_object_get_int_member (object, "heartbeat"), ==, 250);
      g_assert_cmpint (json_object_get_int_member (object, "timeout"), ==, 1500);
    }
  else if (g_str_equal (kind, "heartbeat"))
    {
      raw->heartbeats++;
      if (raw->answer)
        soup_websocket_connection_send_text (ws, "{\"type\":\"heartbeat\"}");
    }
  else if (g_str_equal (kind, "changes"))
    {
      raw->changes++;
      raw->changes_latest = json_object_get_int_member (object, "latest");
    }
  else
    g_error ("unknown live message “%s”", kind);
}

static void
raw_closed (SoupWebsocketConnection *ws,
            Raw                     *raw)
{
  raw->closed = TRUE;
  raw->close_code = soup_websocket_connection_get_close_code (ws);
  raw->close_reason = g_strdup (soup_websocket_connection_get_close_data (ws));
}

static void
raw_connected (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Raw *raw = data;
  g_autoptr (GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  raw->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (raw->ws == NULL)
    raw->status = soup_message_get_status (msg);
  else
    {
      g_signal_connect (raw->ws, "message", G_CALLBACK (raw_message), raw);
      g_signal_connect (raw->ws, "closed", G_CALLBACK (raw_closed), raw);
    }
  raw->done = TRUE;
}

static gboolean
raw_done (gpointer data)
{
  return ((Raw *) data)->done;
}

static gboolean
raw_has_hello (gpointer data)
{
  Raw *raw = data;

  return raw->messages->len > 0 || raw->closed;
}

static gboolean
raw_is_closed (gpointer data)
{
  return ((Raw *) data)->closed;
}

static gboolean
raw_has_changes (gpointer data)
{
  return ((Raw *) data)->changes > 0;
}

/* Opens a live socket; with @token NULL, without Authorization. Waits for the hello when the
 * server accepts it. */
static Raw *
raw_open (TestServer *server,
          const char *token,
          const char *accept_language,
          gboolean    answer)
{
  g_autofree char *url = g_strconcat (server->url, "/api/v1/live", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  Raw *raw = g_new0 (Raw, 1);

  raw->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  raw->answer = answer;
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (accept_language != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language",
                                  accept_language);
  soup_session_websocket_connect_async (ws_session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        raw_connected, raw);
  wait_for (raw_done, raw, "the live handshake");
  if (raw->ws != NULL)
    wait_for (raw_has_hello, raw, "the live hello");
  return raw;
}

/* Requests */

static TestReply *
request (const char *method,
         const char *path,
         const char *token,
         const char *accept_language,
         const char *body)
{
  g_autofree char *url = g_strconcat (main_server->url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  TestReply *reply = g_new0 (TestReply, 1);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (accept_language != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language",
                                  accept_language);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply->body = soup_session_send_and_read (session, msg, NULL, &reply->error);
  g_assert_no_error (reply->error);
  reply->status = soup_message_get_status (msg);
  if (g_bytes_get_size (reply->body) > 0)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (reply->body, &size);

      if (json_parser_load_from_data (parser, data, size, NULL))
        reply->json = json_parser_steal_root (parser);
    }
  return reply;
}

static const char *
error_message (TestReply *reply)
{
  JsonObject *error = json_object_get_object_member (test_reply_object (reply), "error");

  g_assert_nonnull (error);
  return json_object_get_string_member (error, "message");
}

static WhOp *
new_report (const char *street_id)
{
  static guint counter;
  g_autoptr (WhActor) actor = wh_actor_new ("someone", "Someone", WH_ROLE_DUTY_OFFICER, NULL);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *number = g_strdup_printf ("%s-20990202-%04u", street_id, ++counter);
  WhOp *op = wh_op_new (WH_ACTION_REPORT, id, actor, g_get_real_time ());

  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", street_id);
  wh_op_set_string (op, "source", "patrol");
  wh_op_set_string (op, "category_code", category);
  wh_op_set_string (op, "title", "实时通知测试");
  return op;
}

/* Posts one op; returns the whole answer. */
static TestReply *
post_op (const char *token,
         WhOp       *op,
         const char *accept_language)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  json_builder_add_value (b, wh_op_to_json (op));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  return request ("POST", "/api/v1/ops", token, accept_language, body);
}

static JsonObject *
first_result (TestReply *reply)
{
  g_assert_cmpuint (reply->status, ==, 200);
  return json_array_get_object_element (json_object_get_array_member (test_reply_object (reply),
                                                                      "results"), 0);
}

/* Tests: the socket */

static void
test_refused (void)
{
  g_autoptr (Raw) missing = raw_open (main_server, NULL, NULL, FALSE);
  g_autoptr (Raw) bad = raw_open (main_server, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                  NULL, FALSE);
  g_autoptr (TestReply) plain = request ("GET", "/api/v1/live", token_a, NULL, NULL);
  g_autoptr (TestReply) post = request ("POST", "/api/v1/live", token_a, NULL, "{}");
  g_autoptr (TestReply) anonymous = request ("GET", "/api/v1/live", NULL, NULL, NULL);

  g_assert_null (missing->ws);
  g_assert_cmpuint (missing->status, ==, 401);
  g_assert_null (bad->ws);
  g_assert_cmpuint (bad->status, ==, 401);

  /* A signed-in request that is no WebSocket handshake gets a clear answer too. */
  g_assert_cmpuint (plain->status, ==, 400);
  g_assert_cmpstr (test_reply_error_code (plain), ==, "not_websocket");
  g_assert_cmpuint (post->status, ==, 405);
  g_assert_cmpuint (anonymous->status, ==, 401);
  g_assert_cmpstr (test_reply_error_code (anonymous), ==, "token_missing");
}

static gboolean
raw_heartbeats_many (gpointer data)
{
  Raw *raw = data;

  return raw->heartbeats >= 12 || raw->closed;
}

static void
test_heartbeat (void)
{
  g_autoptr (Raw) talking = raw_open (main_server, token_a, NULL, TRUE);
  g_autoptr (Raw) silent = raw_open (main_server, token_a, NULL, FALSE);

  g_assert_nonnull (talking->ws);
  g_assert_nonnull (silent->ws);

  /* A socket that says nothing is dead to the server: closed with 4000. */
  wait_for (raw_is_closed, silent, "the server to close a silent socket");
  g_assert_cmpuint (silent->close_code, ==, 4000);
  g_assert_nonnull (silent->close_reason);
  g_assert_cmpstr (silent->close_reason, !=, "");
  g_assert_cmpuint (silent->heartbeats, >=, 1);

  /* One that answers each heartbeat lives on: it has been open for longer than the silent
   * one lived, and for several timeouts by now. */
  wait_for (raw_heartbeats_many, talking, "twelve heartbeats on a socket that answers");
  g_assert_false (talking->closed);
  g_assert_cmpint (soup_websocket_connection_get_state (talking->ws), ==, SOUP_WEBSOCKET_STATE_OPEN);
}

static gboolean
raw_heartbeats_after (gpointer data)
{
  Raw *raw = data;

  return raw->heartbeats >= 2 || raw->closed;
}

static void
test_street_isolation (void)
{
  g_autoptr (Raw) a = raw_open (main_server, token_a, NULL, TRUE);
  g_autoptr (Raw) b = raw_open (main_server, token_b, NULL, TRUE);
  g_autoptr (Raw) district = raw_open (main_server, token_district, NULL, TRUE);
  g_autoptr (WhOp) report_a = new_report (STREET_A);
  g_autoptr (WhOp) report_b = new_report (STREET_B);
  g_autoptr (TestReply) answer_a = NULL;
  g_autoptr (TestReply) answer_b = NULL;
  gint64 latest_a, latest_b;

  g_assert_cmpint (a->hello_latest, ==,
                   test_db_count (main_db, "SELECT max (seq) FROM change_log WHERE street_id = ?", STREET_A));
  g_assert_cmpint (b->hello_latest, ==,
                   test_db_count (main_db, "SELECT max (seq) FROM change_log WHERE street_id = ?", STREET_B));
  g_assert_cmpint (district->hello_latest, ==, test_db_count (main_db, "SELECT max (seq) FROM change_log", NULL));

  /* A change in street A: A's socket and the district's are told its seq. */
  answer_a = post_op (token_a, report_a, NULL);
  g_assert_cmpstr (json_object_get_string_member (first_result (answer_a), "result"), ==, "applied");
  latest_a = json_object_get_int_member (test_reply_object (answer_a), "latest");
  wait_for (raw_has_changes, a, "street A's socket to hear of street A's change");
  g_assert_cmpint (a->changes_latest, ==, latest_a);
  wait_for (raw_has_changes, district, "the district's socket to hear of street A's change");
  g_assert_cmpint (district->changes_latest, ==, latest_a);

  /* Then one in street B. Each socket hears in commit order, so had B's socket been told of
   * A's change, that message would have come before the one about B's own. */
  answer_b = post_op (token_b, report_b, NULL);
  g_assert_cmpstr (json_object_get_string_member (first_result (answer_b), "result"), ==, "applied");
  latest_b = json_object_get_int_member (test_reply_object (answer_b), "latest");
  g_assert_cmpint (latest_b, >, latest_a);
  wait_for (raw_has_changes, b, "street B's socket to hear of street B's change");
  g_assert_cmpuint (b->changes, ==, 1);
  g_assert_cmpint (b->changes_latest, ==, latest_b);
  for (guint i = 0; i < b->messages->len; i++)
    {
      gint64 told = json_object_get_int_member (b->messages->pdata[i], "latest");

      g_assert_true (told == b->hello_latest || told == latest_b);
    }

  /* And A's socket never hears of B's change: by two heartbeats after it, it has not. */
  a->heartbeats = 0;
  wait_for (raw_heartbeats_after, a, "two heartbeats on street A's socket");
  g_assert_cmpuint (a->changes, ==, 1);
  for (guint i = 0; i < a->messages->len; i++)
    g_assert_cmpint (json_object_get_int_member (a->messages->pdata[i], "latest"), <=, latest_a);
  g_assert_false (a->closed);
  g_assert_false (b->closed);
}

static void
test_token_revoked (void)
{
  g_autofree char *token = test_login (session, main_server->url, "duty_a", PASSWORD);
  g_autoptr (Raw) raw = raw_open (main_server, token, "zh-CN", TRUE);
  g_autoptr (TestReply) logout = NULL;

  g_assert_nonnull (raw->ws);
  logout = request ("POST", "/api/v1/logout", token, NULL, "{}");
  g_assert_cmpuint (logout->status, ==, 200);

  /* At its next heartbeat the server finds the token revoked and says so, in the language
   * the desk asked for. */
  wait_for (raw_is_closed, raw, "the server to close a socket whose token was revoked");
  g_assert_cmpuint (raw->close_code, ==, 4001);
  g_assert_nonnull (raw->close_reason);
  g_assert_true (g_utf8_validate (raw->close_reason, -1, NULL));
}

/* Tests: desks */

typedef struct {
  char            *path;
  WhDb            *db;
  WhIncidentStore *store;
  WhSyncClient    *client;
  WhSyncEngine    *engine;
  WhActor         *actor;
  GHashTable      *changed;  /* incident ids the engine announced */
} Desk;

static void
desk_incidents_changed (WhSyncEngine *engine,
                        char        **ids,
                        Desk         *desk)
{
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (desk->changed, g_strdup (ids[i]));
}

static Desk *
desk_new (TestServer *server,
          const char *name,
          const char *user,
          const char *token)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".db", NULL);
  Desk *desk = g_new0 (Desk, 1);

  desk->path = g_build_filename (tmp_dir, file, NULL);
  desk->client = wh_sync_client_new (server->url, &error);
  g_assert_no_error (error);
  wh_sync_client_set_token (desk->client, token);
  desk->engine = wh_sync_engine_new (desk->path, desk->client, user, &error);
  g_assert_no_error (error);
  desk->db = wh_db_open (desk->path, &error);
  g_assert_no_error (error);
  desk->store = wh_incident_store_new (desk->db);
  desk->actor = wh_actor_new (user, user, WH_ROLE_DUTY_OFFICER, NULL);
  desk->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (desk->engine, "incidents-changed", G_CALLBACK (desk_incidents_changed), desk);

  /* Polling only once an hour: what arrives in time arrives through the live socket. The
   * desk's own heartbeat is short, so that a silent server is noticed soon. */
  wh_sync_engine_set_poll_interval (desk->engine, 3600);
  wh_sync_engine_set_live_poll_interval (desk->engine, 3600);
  wh_sync_engine_set_backoff (desk->engine, 100, 500);
  wh_sync_live_set_heartbeat (wh_sync_engine_get_live (desk->engine), 200, 1000);
  return desk;
}

static void
desk_free (Desk *desk)
{
  wh_sync_engine_stop (desk->engine);
  g_signal_handlers_disconnect_by_data (desk->engine, desk);
  g_clear_object (&desk->engine);
  g_clear_object (&desk->client);
  g_clear_object (&desk->store);
  g_clear_object (&desk->db);
  wh_actor_free (desk->actor);
  g_hash_table_unref (desk->changed);
  g_free (desk->path);
  g_free (desk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Desk, desk_free)

static gboolean
desk_is_live (gpointer data)
{
  Desk *desk = data;

  return wh_sync_engine_get_status (desk->engine) == WH_SYNC_STATUS_ONLINE &&
         wh_sync_live_get_connected (wh_sync_engine_get_live (desk->engine));
}

static gboolean
desk_is_not_live (gpointer data)
{
  return !wh_sync_live_get_connected (wh_sync_engine_get_live (((Desk *) data)->engine));
}

static gboolean
desk_is_online (gpointer data)
{
  Desk *desk = data;

  return wh_sync_engine_get_status (desk->engine) == WH_SYNC_STATUS_ONLINE;
}

/* Starts the desk running by itself and waits until its first sync is done and its live
 * socket open. */
static void
desk_start (Desk *desk)
{
  wh_sync_engine_start (desk->engine);
  wait_for (desk_is_live, desk, "the desk's first sync and its live socket");
}

/* Reports an incident on the desk, as its pages do, and asks the engine to send it. */
static char *
desk_report (Desk       *desk,
             const char *title)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  gint64 now = g_get_real_time ();
  g_autofree char *number = wh_incident_store_next_number (desk->store, STREET_A, now, &error);
  g_autoptr (WhOp) op = wh_op_new (WH_ACTION_REPORT, id, desk->actor, now);
  g_autoptr (WhIncidentEvent) event = NULL;

  g_assert_no_error (error);
  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", STREET_A);
  wh_op_set_string (op, "source", "patrol");
  wh_op_set_string (op, "category_code", category);
  wh_op_set_string (op, "title", title);
  event = wh_incident_store_apply (desk->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  wh_sync_engine_schedule (desk->engine);
  return g_steal_pointer (&id);
}

typedef struct {
  Desk       *desk;
  const char *id;
} Arrival;

static gboolean
has_arrived (gpointer data)
{
  Arrival *arrival = data;

  return g_hash_table_contains (arrival->desk->changed, arrival->id) &&
         test_db_count (arrival->desk->path, "SELECT count(*) FROM incident WHERE id = ?", arrival->id) == 1;
}

static void
test_desk_live (void)
{
  g_autofree char *token_1 = test_login (session, main_server->url, "duty_a", PASSWORD);
  g_autofree char *token_2 = test_login (session, main_server->url, "duty_a2", PASSWORD);
  g_autoptr (Desk) one = desk_new (main_server, "live-one", "duty_a", token_1);
  g_autoptr (Desk) two = desk_new (main_server, "live-two", "duty_a2", token_2);
  g_autofree char *id = NULL;
  Arrival arrival;

  desk_start (one);
  desk_start (two);

  /* Desk two reports; desk one polls once an hour, so the incident can only come to it
   * because the server told its live socket. */
  id = desk_report (two, "实时到达的事件");
  arrival = (Arrival) { one, id };
  wait_for (has_arrived, &arrival, "desk one to receive desk two's report");
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident WHERE id = ?", id), ==, 1);
  g_assert_true (wh_sync_live_get_connected (wh_sync_engine_get_live (one->engine)));
  g_assert_cmpint (wh_sync_live_get_latest (wh_sync_engine_get_live (one->engine)), >=,
                   test_db_count (main_db, "SELECT seq FROM change_log WHERE entity_id = ?", id));
}

static void
test_desk_silent_server (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "silent-server.db", NULL);
  g_autofree char *token = NULL;
  g_autoptr (Desk) desk = NULL;
  TestServer *server;

  /* A server of its own, which the test stops (SIGSTOP): its sockets stay open but say
   * nothing, as behind a network path that died without a word. */
  copy_database (main_db, db);
  server = test_server_start (db, server_args, NULL);
  token = test_login (session, server->url, "duty_a", PASSWORD);
  desk = desk_new (server, "silent", "duty_a", token);
  desk_start (desk);

  g_subprocess_send_signal (server->process, SIGSTOP);
  wait_for (desk_is_not_live, desk, "the desk to drop the socket of a silent server");

  /* Back: the desk reconnects by itself (with backoff), the engine's polling untouched. */
  g_subprocess_send_signal (server->process, SIGCONT);
  wait_for (desk_is_live, desk, "the desk to reconnect once the server is back");
  test_server_free (server);
}

static void
test_desk_fallback_polling (void)
{
  g_autofree char *token_1 = test_login (session, main_server->url, "duty_a", PASSWORD);
  g_autofree char *token_2 = test_login (session, main_server->url, "duty_a2", PASSWORD);
  g_autoptr (Desk) one = desk_new (main_server, "poll-one", "duty_a", token_1);
  g_autoptr (Desk) two = desk_new (main_server, "poll-two", "duty_a2", token_2);
  g_autoptr (GPtrArray) hogs = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_free);
  g_autofree char *id = NULL;
  Arrival arrival;

  /* The server admits four live sockets per token: with four open, desk one's is refused
   * and the desk must poll. */
  for (guint i = 0; i < 4; i++)
    {
      Raw *raw = raw_open (main_server, token_1, NULL, TRUE);

      g_assert_nonnull (raw->ws);
      g_ptr_array_add (hogs, raw);
    }
  {
    g_autoptr (Raw) refused = raw_open (main_server, token_1, NULL, TRUE);

    g_assert_null (refused->ws);
    g_assert_cmpuint (refused->status, ==, 503);
  }

  wh_sync_engine_set_poll_interval (one->engine, 1);
  wh_sync_engine_start (one->engine);
  wait_for (desk_is_online, one, "desk one's first sync");
  desk_start (two);

  id = desk_report (two, "轮询到达的事件");
  arrival = (Arrival) { one, id };
  wait_for (has_arrived, &arrival, "desk one to poll desk two's report");
  g_assert_false (wh_sync_live_get_connected (wh_sync_engine_get_live (one->engine)));
  for (guint i = 0; i < hogs->len; i++)
    g_assert_false (((Raw *) hogs->pdata[i])->closed);

  /* Once a place is free, the desk's socket gets in (it keeps trying, with backoff). */
  g_ptr_array_set_size (hogs, 0);
  wait_for (desk_is_live, one, "desk one's live socket once a place is free");
}

/* Tests: languages */

static gboolean
zh_cn_available (void)
{
  locale_t locale = newlocale (LC_MESSAGES_MASK, "zh_CN.UTF-8", (locale_t) 0);

  if (locale == (locale_t) 0)
    return FALSE;
  freelocale (locale);
  return TRUE;
}

static void
test_accept_language (void)
{
  struct {
    const char *accept_language;
    const char *message;
  } cases[] = {
    { NULL, "Please sign in first." },
    { "en", "Please sign in first." },
    { "zh-CN", "请先登录。" },
    { "zh-CN,zh;q=0.9,en;q=0.8", "请先登录。" },
    { "zh", "请先登录。" },
    { "fr-FR, zh-Hans;q=0.5", "请先登录。" },
    { "en-GB, zh-CN;q=0.5", "Please sign in first." },
    { "zh-CN;q=0, en", "Please sign in first." },
    { "de", "Please sign in first." },
  };
  g_autoptr (WhOp) viewer_op = NULL;

  if (!zh_cn_available ())
    {
      g_test_skip ("the system has no zh_CN.UTF-8 locale");
      return;
    }

  /* The server runs under LC_ALL=C.UTF-8 (the harness): the language is the request's. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TestReply) reply = request ("GET", "/api/v1/session", NULL, cases[i].accept_language, NULL);

      g_assert_cmpuint (reply->status, ==, 401);
      g_assert_cmpstr (test_reply_error_code (reply), ==, "token_missing");
      g_assert_cmpstr (error_message (reply), ==, cases[i].message);
    }

  /* Requests in both languages, interleaved: each gets its own. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (TestReply) zh = request ("GET", "/api/v1/nowhere", token_a, "zh-CN", NULL);
      g_autoptr (TestReply) en = request ("GET", "/api/v1/nowhere", token_a, "en-US", NULL);

      g_assert_cmpstr (error_message (zh), ==, "此地址没有内容。");
      g_assert_cmpstr (error_message (en), ==, "There is nothing at this address.");
    }

  /* The reasons of refused changes, from the core library's rules. */
  viewer_op = new_report (STREET_A);
  {
    g_autoptr (TestReply) zh = post_op (token_viewer, viewer_op, "zh-CN");
    g_autoptr (WhOp) again = new_report (STREET_A);
    g_autoptr (TestReply) en = post_op (token_viewer, again, "en");
    JsonObject *result_zh = first_result (zh);
    JsonObject *result_en = first_result (en);

    g_assert_cmpstr (json_object_get_string_member (result_zh, "result"), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (result_en, "result"), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (result_zh, "code"), ==,
                     json_object_get_string_member (result_en, "code"));
    g_assert_true (g_utf8_validate (json_object_get_string_member (result_zh, "reason"), -1, NULL));
    g_assert_cmpstr (json_object_get_string_member (result_zh, "reason"), !=,
                     json_object_get_string_member (result_en, "reason"));
    /* Chinese text: CJK characters, no Latin words. */
    g_assert_nonnull (g_utf8_strchr (json_object_get_string_member (result_zh, "reason"), -1,
                                     g_utf8_get_char ("不")));
  }
  {
    /* A lifecycle refusal: registering an incident twice. */
    g_autoptr (WhOp) report = new_report (STREET_A);
    g_autoptr (TestReply) reported = post_op (token_a, report, NULL);
    g_autoptr (WhActor) actor = wh_actor_new ("someone", "Someone", WH_ROLE_DUTY_OFFICER, NULL);
    g_autoptr (WhOp) reg = wh_op_new (WH_ACTION_REGISTER, report->incident_id, actor, g_get_real_time ());
    g_autoptr (WhOp) reg_again = NULL;
    g_autoptr (WhOp) reg_once_more = NULL;
    g_autoptr (TestReply) registered = NULL;
    g_autoptr (TestReply) zh = NULL;
    g_autoptr (TestReply) en = NULL;

    g_assert_cmpstr (json_object_get_string_member (first_result (reported), "result"), ==, "applied");
    reg->base_rev = 1;
    registered = post_op (token_a, reg, NULL);
    g_assert_cmpstr (json_object_get_string_member (first_result (registered), "result"), ==, "applied");
    reg_again = wh_op_new (WH_ACTION_REGISTER, report->incident_id, actor, g_get_real_time ());
    reg_again->base_rev = 2;
    zh = post_op (token_a, reg_again, "zh-CN");
    reg_once_more = wh_op_new (WH_ACTION_REGISTER, report->incident_id, actor, g_get_real_time ());
    reg_once_more->base_rev = 2;
    en = post_op (token_a, reg_once_more, "en");
    g_assert_cmpstr (json_object_get_string_member (first_result (zh), "result"), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (first_result (zh), "reason"), ==,
                     "处于“已立案”状态的事件不能“立案”。");
    g_assert_cmpstr (json_object_get_string_member (first_result (en), "reason"), ==,
                     "Cannot “Register” an incident that is “Registered”.");
  }
}

/* Setup */

/* A consistent copy of a database another process is writing (WAL). */
static void
copy_database (const char *from,
               const char *to)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("VACUUM INTO '%s'", to);

  g_assert_cmpint (sqlite3_open_v2 (from, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_close (db);
}

static void
prepare_database (const char *path)
{
  g_free (test_admin (path, NULL, "load-demo", "--streets", "2", "--incidents", G_STRINGIFY (N_DEMO),
                      "--months", "1", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "duty_officer",
                      "duty_a", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "duty_officer",
                      "duty_a2", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "viewer",
                      "viewer_a", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--street", STREET_B, "--role", "duty_officer",
                      "duty_b", NULL));
  g_free (test_admin (path, PASSWORD "\n", "add-user", "--role", "district", "district", NULL));
}

static void
learn_category (void)
{
  g_autofree char *url = g_strconcat (main_server->url, "/api/v1/organisation", NULL);
  g_autoptr (TestReply) reply = test_request (session, "GET", url, token_a, NULL, NULL, -1);
  JsonArray *categories;

  g_assert_cmpuint (reply->status, ==, 200);
  categories = json_object_get_array_member (test_reply_object (reply), "categories");
  for (guint i = 0; i < json_array_get_length (categories) && category == NULL; i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);

      if (!json_object_get_null_member (c, "parent_code") && json_object_get_int_member (c, "major") == 0)
        category = g_strdup (json_object_get_string_member (c, "code"));
    }
  g_assert_nonnull (category);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = test_tmp_dir_new ("whistle-live-XXXXXX");
  main_db = g_build_filename (tmp_dir, "server.db", NULL);
  session = soup_session_new ();
  soup_session_set_timeout (session, 30);
  ws_session = soup_session_new ();

  prepare_database (main_db);
  main_server = test_server_start (main_db, server_args, NULL);
  token_a = test_login (session, main_server->url, "duty_a", PASSWORD);
  token_b = test_login (session, main_server->url, "duty_b", PASSWORD);
  token_district = test_login (session, main_server->url, "district", PASSWORD);
  token_viewer = test_login (session, main_server->url, "viewer_a", PASSWORD);
  learn_category ();

  g_test_add_func ("/live/refused", test_refused);
  g_test_add_func ("/live/heartbeat", test_heartbeat);
  g_test_add_func ("/live/street-isolation", test_street_isolation);
  g_test_add_func ("/live/token-revoked", test_token_revoked);
  g_test_add_func ("/live/desk", test_desk_live);
  g_test_add_func ("/live/desk-silent-server", test_desk_silent_server);
  g_test_add_func ("/live/desk-fallback-polling", test_desk_fallback_polling);
  g_test_add_func ("/live/accept-language", test_accept_language);

  status = g_test_run ();

  test_server_free (main_server);
  g_object_unref (ws_session);
  g_object_unref (session);
  test_tmp_dir_finish (tmp_dir, status);
  return status;
}
