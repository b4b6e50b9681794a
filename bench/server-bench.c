/* server-bench.c — the district server under 20 concurrent desks (bench/run --server)
 *
 *   server-bench --server PATH/whistle-server [--desks 20] [--seconds 10] [--incidents 2000]
 *                [--only ops|ops1|live|changes] [--work DIR] [--keep]
 *
 * Makes a database with one demo street and a duty officer, starts whistle-server on a
 * loopback port, signs in once per desk, and then drives it from this one process with
 * libsoup, each desk on a connection of its own, each desk with one request in flight:
 *
 *   ops         POST /api/v1/ops: batches of valid lifecycle steps (report, register, whistle,
 *               report in, start, feedback, verify, close, rate), each step of an incident
 *               based on the revision the last answer gave; every answer must be "applied"
 *   ops, live   the same while every desk also holds a live socket (GET /api/v1/live) and
 *               is told of the others' commits
 *   changes     GET /api/v1/changes pages (200 changes, the server's default), each desk
 *               reading the whole feed from 0 over and over
 *
 * and prints per phase the throughput, the latency of a request (p50, p99) and the share of
 * the phase the server spent on the CPU. The figures are the server's and the client's
 * together on one machine: a lower bound for the server. SERVER_BENCH_DEBUG=1 also prints
 * the requests each desk completed (a desk far behind the others is being starved).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "wh-op.h"

#define STREET   "110102099"
#define PASSWORD "bench-password"

typedef enum {
  PHASE_OPS,
  PHASE_CHANGES,
} PhaseKind;

typedef struct _Bench Bench;

/* One incident a desk moves through the lifecycle. */
typedef struct
{
  char  *id;
  guint  step; /* the next step: index into steps[] */
  gint64 rev;
} Incident;

static const WhAction steps[] = {
  WH_ACTION_REPORT,      WH_ACTION_REGISTER, WH_ACTION_WHISTLE,
  WH_ACTION_ACKNOWLEDGE, WH_ACTION_START,    WH_ACTION_FEEDBACK,
  WH_ACTION_VERIFY_PASS, WH_ACTION_CLOSE,    WH_ACTION_RATE,
};

typedef struct
{
  Bench                   *bench;
  guint                    index;
  char                    *token;
  SoupSession             *session;
  GPtrArray               *incidents; /* of Incident, the batch size of them */
  gboolean                 busy;
  gint64                   sent_at;
  gint64                   since; /* changes phase: the cursor */
  SoupWebsocketConnection *ws;
  guint                    told;     /* live "changes" messages received */
  guint                    requests; /* completed in this phase */
} Desk;

struct _Bench
{
  char        *server_path;
  char        *work;
  char        *url;
  GSubprocess *server;
  guint        n_desks;
  guint        seconds;
  guint        n_incidents;
  char        *category;
  char        *unit;
  Desk        *desks;
  guint        counter; /* for incident numbers */

  /* The phase under way */
  PhaseKind kind;
  guint     batch;
  gboolean  stopping;
  guint     in_flight;
  GArray   *latencies; /* ms, of every request that completed */
  guint64   items;     /* ops applied, or changes read */
  guint64   failures;
  char     *first_failure;
};

static void desk_send (Desk *desk);

static void
die (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "server-bench: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  exit (1);
}

/* Setup */

static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

static void
run_admin (Bench *bench, const char *input, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (bench->work, "server.db", NULL);
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, bench->server_path);
  g_ptr_array_add (argv, "admin");
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, input ? input : "", NULL, NULL, &err, &error))
    die ("admin %s: %s", args[0], error->message);
  if (!g_subprocess_get_successful (process))
    die ("admin %s failed: %s", args[0], err ? err : "");
}

static void
start_server (Bench *bench)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (bench->work, "server.db", NULL);
  g_autofree char *log = g_build_filename (bench->work, "server.log", NULL);
  g_autofree char *line = NULL;
  /* Rate limits are for misbehaving clients; here they would measure themselves. */
  const char *argv[] = { bench->server_path, "--database", db,        "--listen",
                         "127.0.0.1",        "--port",     "0",       "--rate",
                         "1000000",          "--burst",    "1000000", NULL };

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  bench->server = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (bench->server == NULL)
    die ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bench->server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    die ("the server did not start (see %s)", log);
  bench->url = g_strdup (line + strlen ("listening on "));
}

static JsonNode *
request_json (SoupSession *session,
              const char  *method,
              const char  *url,
              const char  *token,
              const char  *body)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize       size;
  const char *data;

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply == NULL)
    die ("%s %s: %s", method, url, error->message);
  data = g_bytes_get_data (reply, &size);
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    die ("%s %s: %u %.*s", method, url, soup_message_get_status (msg), (int) size, data);
  if (!json_parser_load_from_data (parser, data, size, &error))
    die ("%s %s: %s", method, url, error->message);
  return json_parser_steal_root (parser);
}

static void
prepare (Bench *bench)
{
  g_autofree char *incidents = g_strdup_printf ("%u", bench->n_incidents);
  const char      *load[] = { "load-demo", "--streets", "1",          "--incidents",
                              incidents,   "--end",     "2026-11-22", NULL };
  const char *user[] = { "add-user", "--street", STREET, "--role", "duty_officer", "bench", NULL };
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *login_url = NULL;
  g_autofree char *org_url = NULL;
  g_autoptr (JsonNode) org = NULL;
  JsonArray *categories, *units;

  run_admin (bench, NULL, load);
  run_admin (bench, PASSWORD "\n", user);
  start_server (bench);

  /* One sign-in per desk, as 20 desks would have. */
  login_url = g_strconcat (bench->url, "/api/v1/login", NULL);
  bench->desks = g_new0 (Desk, bench->n_desks);
  for (guint i = 0; i < bench->n_desks; i++)
    {
      g_autoptr (JsonNode) answer = request_json (
        session, "POST", login_url, NULL, "{\"user\":\"bench\",\"password\":\"" PASSWORD "\"}");

      bench->desks[i].bench = bench;
      bench->desks[i].index = i;
      bench->desks[i].token =
        g_strdup (json_object_get_string_member (json_node_get_object (answer), "token"));
      /* One connection per desk, as separate machines would use. */
      bench->desks[i].session =
        soup_session_new_with_options ("max-conns-per-host", 1, "timeout", 60, NULL);
      bench->desks[i].incidents = g_ptr_array_new ();
    }

  org_url = g_strconcat (bench->url, "/api/v1/organisation", NULL);
  org = request_json (session, "GET", org_url, bench->desks[0].token, NULL);
  categories = json_object_get_array_member (json_node_get_object (org), "categories");
  units = json_object_get_array_member (json_node_get_object (org), "units");
  for (guint i = 0; i < json_array_get_length (categories) && bench->category == NULL; i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);

      if (!json_object_get_null_member (c, "parent_code") &&
          json_object_get_int_member (c, "major") == 0)
        bench->category = g_strdup (json_object_get_string_member (c, "code"));
    }
  if (bench->category == NULL || json_array_get_length (units) == 0)
    die ("the demo street has no usable category or unit");
  bench->unit =
    g_strdup (json_object_get_string_member (json_array_get_object_element (units, 0), "id"));
}

/* Ops */

static WhOp *
next_op (Bench *bench, Incident *incident)
{
  g_autoptr (WhActor) actor = wh_actor_new ("bench", "bench", WH_ROLE_DUTY_OFFICER, NULL);
  WhAction action = steps[incident->step];
  gint64   now = g_get_real_time ();
  WhOp    *op;

  if (action == WH_ACTION_REPORT)
    {
      g_autofree char *number = NULL;

      g_free (incident->id);
      incident->id = g_uuid_string_random ();
      number = g_strdup_printf (STREET "-20991231-B%07u", ++bench->counter);
      op = wh_op_new (action, incident->id, actor, now);
      wh_op_set_string (op, "number", number);
      wh_op_set_string (op, "street_id", STREET);
      wh_op_set_string (op, "source", "patrol");
      wh_op_set_string (op, "category_code", bench->category);
      wh_op_set_string (op, "title", "压力测试事件");
      return op;
    }

  op = wh_op_new (action, incident->id, actor, now);
  op->base_rev = incident->rev;
  switch (action)
    {
    case WH_ACTION_WHISTLE:
      wh_op_set_string (op, "lead_unit_id", bench->unit);
      break;
    case WH_ACTION_ACKNOWLEDGE:
      op->unit_id = g_strdup (bench->unit);
      break;
    case WH_ACTION_FEEDBACK:
      op->note = g_strdup ("已处置完毕");
      break;
    case WH_ACTION_RATE:
      wh_op_set_int (op, "rating", 5);
      break;
    default:
      break;
    }
  return op;
}

static char *
ops_body (Desk *desk)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  for (guint i = 0; i < desk->incidents->len; i++)
    {
      g_autoptr (WhOp) op = next_op (desk->bench, desk->incidents->pdata[i]);

      json_builder_add_value (b, wh_op_to_json (op));
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
note_failure (Bench *bench, const char *what)
{
  bench->failures++;
  if (bench->first_failure == NULL)
    bench->first_failure = g_strdup (what);
}

static void
read_ops_answer (Desk *desk, JsonNode *root)
{
  JsonArray *results = json_object_get_array_member (json_node_get_object (root), "results");

  if (results == NULL || json_array_get_length (results) != desk->incidents->len)
    {
      note_failure (desk->bench, "an answer without one result per op");
      return;
    }
  for (guint i = 0; i < desk->incidents->len; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      Incident   *incident = desk->incidents->pdata[i];

      if (g_strcmp0 (json_object_get_string_member (result, "result"), "applied") != 0)
        {
          g_autofree char *what =
            g_strdup_printf ("%s: %s", json_object_get_string_member (result, "result"),
                             json_object_get_string_member_with_default (result, "reason", ""));
          note_failure (desk->bench, what);
          incident->step = 0; /* start afresh with a new incident */
          continue;
        }
      desk->bench->items++;
      incident->rev = json_object_get_int_member (result, "rev");
      incident->step = (incident->step + 1) % G_N_ELEMENTS (steps);
    }
}

/* Changes */

static guint
count_occurrences (const char *text, gsize size, const char *needle)
{
  gsize n = strlen (needle);
  guint count = 0;

  for (const char *p = text; (p = g_strstr_len (p, size - (p - text), needle)) != NULL; p += n)
    count++;
  return count;
}

/* Read without parsing: a page of full timelines is a megabyte, and parsing twenty of them
 * at once in this one process would measure the client rather than the server. The page's
 * own members come after its changes; each change has one "kind". */
static void
read_changes_answer (Desk *desk, const char *text, gsize size)
{
  const char *next = g_strrstr_len (text, size, "\"next_since\":");
  const char *more = g_strrstr_len (text, size, "\"more\":");

  if (next == NULL || more == NULL)
    {
      note_failure (desk->bench, "a page without next_since or more");
      return;
    }
  desk->bench->items += count_occurrences (text, size, "\"kind\":\"incident\"") +
                        count_occurrences (text, size, "\"kind\":\"tombstone\"");
  desk->since = g_str_has_prefix (more + strlen ("\"more\":"), "true")
                  ? g_ascii_strtoll (next + strlen ("\"next_since\":"), NULL, 10)
                  : 0;
}

/* Requests */

static void
desk_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Desk        *desk = data;
  Bench       *bench = desk->bench;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body =
    soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  double ms = (g_get_monotonic_time () - desk->sent_at) / 1000.0;

  desk->busy = FALSE;
  desk->requests++;
  bench->in_flight--;
  g_array_append_val (bench->latencies, ms);

  if (body == NULL)
    note_failure (bench, error->message);
  else if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    note_failure (bench, soup_status_get_phrase (soup_message_get_status (msg)));
  else
    {
      gsize       size;
      const char *text = g_bytes_get_data (body, &size);

      if (bench->kind == PHASE_CHANGES)
        read_changes_answer (desk, text, size);
      else if (!json_parser_load_from_data (parser, text, size, &error))
        note_failure (bench, error->message);
      else
        read_ops_answer (desk, json_parser_get_root (parser));
    }

  if (!bench->stopping)
    desk_send (desk);
}

static void
desk_send (Desk *desk)
{
  Bench           *bench = desk->bench;
  g_autofree char *url = NULL;
  g_autofree char *auth = g_strconcat ("Bearer ", desk->token, NULL);
  g_autoptr (SoupMessage) msg = NULL;

  if (bench->kind == PHASE_OPS)
    {
      g_autofree char *body = ops_body (desk);
      g_autoptr (GBytes) bytes = NULL;
      gsize length = strlen (body);

      url = g_strconcat (bench->url, "/api/v1/ops", NULL);
      msg = soup_message_new ("POST", url);
      bytes = g_bytes_new_take (g_steal_pointer (&body), length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  else
    {
      url = g_strdup_printf ("%s/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=200", bench->url,
                             desk->since);
      msg = soup_message_new ("GET", url);
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);

  desk->busy = TRUE;
  bench->in_flight++;
  desk->sent_at = g_get_monotonic_time ();
  soup_session_send_and_read_async (desk->session, msg, G_PRIORITY_DEFAULT, NULL, desk_done, desk);
}

/* Live sockets */

static void
live_message (SoupWebsocketConnection *ws, int type, GBytes *message, Desk *desk)
{
  gsize       size;
  const char *text = g_bytes_get_data (message, &size);

  if (g_strstr_len (text, size, "\"changes\"") != NULL)
    desk->told++;
  else if (g_strstr_len (text, size, "\"heartbeat\"") != NULL)
    soup_websocket_connection_send_text (ws, "{\"type\":\"heartbeat\"}");
}

static void
live_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Desk *desk = data;
  g_autoptr (GError) error = NULL;

  desk->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (desk->ws == NULL)
    die ("live socket: %s", error->message);
  g_signal_connect (desk->ws, "message", G_CALLBACK (live_message), desk);
  desk->bench->in_flight--;
}

static void
open_live_sockets (Bench *bench)
{
  g_autofree char *url = g_strconcat (bench->url, "/api/v1/live", NULL);

  for (guint i = 0; i < bench->n_desks; i++)
    {
      Desk *desk = &bench->desks[i];
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autofree char *auth = g_strconcat ("Bearer ", desk->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      bench->in_flight++;
      /* Through the desk's session: the upgraded connection leaves its pool, and the desk's
       * requests get a connection of their own again. */
      soup_session_websocket_connect_async (bench->desks[i].session, msg, NULL, NULL,
                                            G_PRIORITY_DEFAULT, NULL, live_connected, desk);
    }
  while (bench->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
close_live_sockets (Bench *bench)
{
  for (guint i = 0; i < bench->n_desks; i++)
    if (bench->desks[i].ws != NULL)
      {
        g_signal_handlers_disconnect_by_data (bench->desks[i].ws, &bench->desks[i]);
        soup_websocket_connection_close (bench->desks[i].ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
        g_clear_object (&bench->desks[i].ws);
      }
}

/* Every desk's connection made before the clock starts: libsoup starts a message that
 * needs a new connection from an idle source, which a main loop kept busy by the other
 * desks' answers would run only at the end, and a few desks would wait out the phase. */
static void
warm_up_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Bench *bench = data;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  bench->in_flight--;
}

static void
warm_up (Bench *bench)
{
  g_autofree char *url = g_strconcat (bench->url, "/api/v1/session", NULL);

  for (guint i = 0; i < bench->n_desks; i++)
    {
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autofree char *auth = g_strconcat ("Bearer ", bench->desks[i].token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      bench->in_flight++;
      soup_session_send_and_read_async (bench->desks[i].session, msg, G_PRIORITY_DEFAULT, NULL,
                                        warm_up_done, bench);
    }
  while (bench->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* Phases */

static gboolean
stop_phase (gpointer data)
{
  ((Bench *) data)->stopping = TRUE;
  return G_SOURCE_REMOVE;
}

/* CPU seconds the server process has used so far (user + system). */
static double
server_cpu_seconds (Bench *bench)
{
  g_autofree char *path =
    g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (bench->server));
  g_autofree char *stat = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after_name = strrchr (stat, ')')) == NULL)
    return 0;
  /* Fields 14 and 15 (utime, stime) count from the state, the third field, on. */
  fields = g_strsplit (after_name + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted, double p)
{
  guint index;

  if (sorted->len == 0)
    return 0;
  index = (guint) ceil (p / 100.0 * sorted->len) - 1;
  return g_array_index (sorted, double, MIN (index, sorted->len - 1));
}

static void
run_phase (Bench *bench, const char *label, PhaseKind kind, guint batch, gboolean live)
{
  gint64      started, ended;
  guint64     told = 0;
  double      seconds, cpu_started, cpu;
  const char *unit = kind == PHASE_OPS ? "ops/s" : "changes/s";

  bench->kind = kind;
  bench->batch = batch;
  bench->stopping = FALSE;
  bench->items = 0;
  bench->failures = 0;
  g_clear_pointer (&bench->first_failure, g_free);
  g_clear_pointer (&bench->latencies, g_array_unref);
  bench->latencies = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < bench->n_desks; i++)
    {
      Desk *desk = &bench->desks[i];

      desk->since = 0;
      desk->told = 0;
      desk->requests = 0;
      g_ptr_array_set_size (desk->incidents, 0);
      for (guint j = 0; j < batch; j++)
        g_ptr_array_add (desk->incidents, g_new0 (Incident, 1));
    }
  if (live)
    open_live_sockets (bench);
  warm_up (bench);

  started = g_get_monotonic_time ();
  cpu_started = server_cpu_seconds (bench);
  g_timeout_add_seconds (bench->seconds, stop_phase, bench);
  for (guint i = 0; i < bench->n_desks; i++)
    desk_send (&bench->desks[i]);
  while (!bench->stopping || bench->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  ended = g_get_monotonic_time ();
  cpu = server_cpu_seconds (bench) - cpu_started;

  for (guint i = 0; i < bench->n_desks; i++)
    {
      told += bench->desks[i].told;
      for (guint j = 0; j < bench->desks[i].incidents->len; j++)
        {
          Incident *incident = bench->desks[i].incidents->pdata[j];

          g_free (incident->id);
          g_free (incident);
        }
      g_ptr_array_set_size (bench->desks[i].incidents, 0);
    }
  if (live)
    close_live_sockets (bench);

  if (g_getenv ("SERVER_BENCH_DEBUG") != NULL)
    for (guint i = 0; i < bench->n_desks; i++)
      fprintf (stderr, "desk %u: %u requests\n", i, bench->desks[i].requests);
  g_array_sort (bench->latencies, compare_doubles);
  seconds = (ended - started) / (double) G_USEC_PER_SEC;
  printf ("%-34s %9.0f %-9s p50 %7.1f ms  p99 %7.1f ms  (%u requests/s", label,
          bench->items / seconds, unit, percentile (bench->latencies, 50),
          percentile (bench->latencies, 99), (guint) (bench->latencies->len / seconds));
  if (live)
    printf (", %.0f live notices/s", told / seconds);
  /* How busy the server was: below 100 %, something else held it back (its disk, or the
   * client sharing the machine). */
  printf ("; server CPU %.0f %%)\n", 100 * cpu / seconds);
  fflush (stdout);
  if (bench->failures > 0)
    die ("%s: %" G_GUINT64_FORMAT " failures, the first: %s", label, bench->failures,
         bench->first_failure);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context =
    g_option_context_new ("— the district server under concurrent desks");
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;
  Bench            bench = {
               0,
  };
  int              desks = 20, seconds = 10, incidents = 2000;
  gboolean         keep = FALSE;
  g_autofree char *only = NULL;
  GOptionEntry     entries[] = {
        { "server", 0, 0, G_OPTION_ARG_FILENAME, &bench.server_path, "The whistle-server binary",
          "PATH" },
        { "desks", 0, 0, G_OPTION_ARG_INT, &desks, "Concurrent desks (20)", "N" },
        { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Seconds per phase (10)", "N" },
        { "incidents", 0, 0, G_OPTION_ARG_INT, &incidents, "Incidents of the demo street (2000)", "N" },
        { "work", 0, 0, G_OPTION_ARG_FILENAME, &bench.work,
          "Folder for the database and the log (a new temporary one)", "DIR" },
        { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the folder", NULL },
        { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Run one phase: ops, ops1, live or changes",
          "PHASE" },
        { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("%s", error->message);
  if (bench.server_path == NULL)
    die ("which server? Give --server PATH");
  if (desks < 1 || seconds < 1 || incidents < 1)
    die ("--desks, --seconds and --incidents must be positive");
  bench.n_desks = desks;
  bench.seconds = seconds;
  bench.n_incidents = incidents;
  if (bench.work == NULL)
    {
      bench.work = g_dir_make_tmp ("server-bench-XXXXXX", &error);
      if (bench.work == NULL)
        die ("%s", error->message);
    }

  if (only != NULL &&
      !g_strv_contains ((const char *const[]){ "ops", "ops1", "live", "changes", NULL }, only))
    die ("--only takes ops, ops1, live or changes");

  prepare (&bench);

  if (only == NULL || g_str_equal (only, "ops"))
    {
      label = g_strdup_printf ("ops (%u desks, 20 per batch)", bench.n_desks);
      run_phase (&bench, label, PHASE_OPS, 20, FALSE);
      g_clear_pointer (&label, g_free);
    }
  if (only == NULL || g_str_equal (only, "ops1"))
    {
      label = g_strdup_printf ("ops (%u desks, 1 per batch)", bench.n_desks);
      run_phase (&bench, label, PHASE_OPS, 1, FALSE);
      g_clear_pointer (&label, g_free);
    }
  if (only == NULL || g_str_equal (only, "live"))
    {
      label = g_strdup_printf ("ops (%u desks, 20 per batch, live)", bench.n_desks);
      run_phase (&bench, label, PHASE_OPS, 20, TRUE);
      g_clear_pointer (&label, g_free);
    }
  if (only == NULL || g_str_equal (only, "changes"))
    {
      label = g_strdup_printf ("changes (%u desks, 200 per page)", bench.n_desks);
      run_phase (&bench, label, PHASE_CHANGES, 1, FALSE);
    }

  g_subprocess_send_signal (bench.server, SIGTERM);
  g_subprocess_wait (bench.server, NULL, NULL);
  if (!keep)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", bench.work);

      (void) system (command);
    }
  else
    printf ("kept %s\n", bench.work);
  return 0;
}
