/* server-harness.c — runs the real whistle-server for the integration tests */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "server-harness.h"

static const char *
server_binary (void)
{
  const char *path = g_getenv ("WHISTLE_SERVER");

  if (path == NULL)
    g_error ("WHISTLE_SERVER is not set: run the test with `meson test`.");
  return path;
}

static int
run_admin (const char  *db_path,
           const char  *input,
           char       **output,
           va_list      args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) server_binary ());
  g_ptr_array_add (argv, "admin");
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, (gpointer) db_path);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("admin %s: %s", (char *) argv->pdata[4], err);
  if (output != NULL)
    *output = g_steal_pointer (&out);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

char *
test_admin (const char *db_path,
            const char *input,
            ...)
{
  char *output = NULL;
  va_list args;
  int status;

  va_start (args, input);
  status = run_admin (db_path, input, &output, args);
  va_end (args);
  g_assert_cmpint (status, ==, 0);
  return output;
}

int
test_admin_status (const char  *db_path,
                   const char  *input,
                   char       **output,
                   ...)
{
  va_list args;
  int status;

  va_start (args, output);
  status = run_admin (db_path, input, output, args);
  va_end (args);
  return status;
}

/* Runs in the child before exec: a test that aborts must not leave servers behind. */
static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

TestServer *
test_server_start (const char        *db_path,
                   const char *const *extra_args,
                   const char        *kill_after)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GDataInputStream) stdout_data = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  TestServer *server = g_new0 (TestServer, 1);
  static guint counter;

  server->db_path = g_strdup (db_path);
  server->log_path = g_strdup_printf ("%s.server-%u.log", db_path, ++counter);

  g_ptr_array_add (argv, (gpointer) server_binary ());
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, (gpointer) db_path);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, "127.0.0.1");
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* A file, not a pipe: a pipe nobody reads would fill up and stall the server. */
  g_subprocess_launcher_set_stderr_file_path (launcher, server->log_path);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  if (kill_after != NULL)
    g_subprocess_launcher_setenv (launcher, "WHISTLE_SERVER_KILL_AFTER_OPS", kill_after, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "WHISTLE_SERVER_KILL_AFTER_OPS");

  server->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  stdout_data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (stdout_data, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      g_autofree char *log = test_server_log (server);

      g_test_message ("server log:\n%s", log);
      g_error ("the server did not start: %s", line ? line : "(no output)");
    }
  server->url = g_strdup (line + strlen ("listening on "));
  return server;
}

char *
test_server_log (TestServer *server)
{
  char *contents = NULL;

  if (!g_file_get_contents (server->log_path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static gboolean
wait_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  gboolean *done = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

gboolean
test_server_wait (TestServer *server,
                  guint       timeout_ms)
{
  gboolean done = FALSE, timed_out = FALSE;
  guint timeout;

  g_subprocess_wait_async (server->process, NULL, wait_done, &done);
  timeout = g_timeout_add (timeout_ms, wait_timeout, &timed_out);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  else
    {
      /* Let the pending wait finish before its pointer goes away. */
      g_subprocess_force_exit (server->process);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
  return !timed_out;
}

void
test_server_signal (TestServer *server,
                    int         signum)
{
  g_subprocess_send_signal (server->process, signum);
  if (!test_server_wait (server, 10000))
    g_error ("the server did not end within 10 s of signal %d", signum);
}

void
test_server_free (TestServer *server)
{
  if (server == NULL)
    return;
  if (g_subprocess_get_identifier (server->process) != NULL)
    test_server_signal (server, SIGTERM);
  if (!server->quiet && g_test_failed ())
    {
      g_autofree char *log = test_server_log (server);

      g_test_message ("log of the server at %s:\n%s", server->url, log);
    }
  g_object_unref (server->process);
  g_free (server->url);
  g_free (server->db_path);
  g_free (server->log_path);
  g_free (server);
}

void
test_reply_free (TestReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply->retry_after);
  g_clear_error (&reply->error);
  g_free (reply);
}

TestReply *
test_request (SoupSession *session,
              const char  *method,
              const char  *url,
              const char  *token,
              const char  *content_type,
              const char  *body,
              gssize       length)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  TestReply *reply = g_new0 (TestReply, 1);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);

      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json",
                                                bytes);
    }

  reply->body = soup_session_send_and_read (session, msg, NULL, &reply->error);
  if (reply->body == NULL)
    return reply;
  reply->status = soup_message_get_status (msg);
  reply->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                               "Retry-After"));
  if (g_bytes_get_size (reply->body) > 0)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (reply->body, &size);

      /* The body is not NUL-terminated: parse it by its length. */
      if (json_parser_load_from_data (parser, data, size, NULL))
        reply->json = json_parser_steal_root (parser);
    }
  return reply;
}

JsonObject *
test_reply_object (TestReply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

const char *
test_reply_error_code (TestReply *reply)
{
  JsonObject *error;

  if (reply->json == NULL || !JSON_NODE_HOLDS_OBJECT (reply->json))
    return NULL;
  error = json_object_get_object_member (json_node_get_object (reply->json), "error");
  if (error == NULL)
    return NULL;
  /* Every error answer says what went wrong in words, too. */
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");
  return json_object_get_string_member (error, "code");
}

char *
test_login (SoupSession *session,
            const char  *base_url,
            const char  *user,
            const char  *password)
{
  g_autofree char *url = g_strconcat (base_url, "/api/v1/login", NULL);
  g_autofree char *body = NULL;
  g_autoptr (TestReply) reply = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;
  const char *token;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user");
  json_builder_add_string_value (b, user);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  body = json_to_string (node, FALSE);

  reply = test_request (session, "POST", url, NULL, NULL, body, -1);
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  token = json_object_get_string_member (test_reply_object (reply), "token");
  g_assert_nonnull (token);
  return g_strdup (token);
}

gint64
test_db_count (const char *db_path,
               const char *sql,
               const char *text_param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text_param != NULL)
    sqlite3_bind_text (stmt, 1, text_param, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

char *
test_tmp_dir_new (const char *tmpl)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_recursively (GFile *file)
{
  g_autoptr (GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                    G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                    NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr (GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      remove_recursively (child);
      g_object_unref (info);
    }
  g_file_delete (file, NULL, NULL);
}

void
test_tmp_dir_finish (const char *dir,
                     int         status)
{
  if (status == 0)
    {
      g_autoptr (GFile) file = g_file_new_for_path (dir);

      remove_recursively (file);
    }
  else
    g_printerr ("test databases and server logs kept in %s\n", dir);
}

TestServer *
test_server_start_unlimited (const char *db_path)
{
  const char *args[] = { "--rate", "1000", "--burst", "1000", NULL };

  return test_server_start (db_path, args, NULL);
}
