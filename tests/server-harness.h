/* server-harness.h — runs the real whistle-server for the integration tests
 *
 * The server binary comes from the WHISTLE_SERVER environment variable (meson sets it to
 * the built executable). Each server runs on 127.0.0.1 with port 0 and reports the port it
 * picked on standard output; its log goes to a file next to its database, printed when a
 * test fails to help whoever reads the failure.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  GSubprocess *process;
  char        *url;       /* http(s)://127.0.0.1:PORT */
  char        *db_path;
  char        *log_path;
  gboolean     quiet;     /* do not print the log when freed, even after a failure */
} TestServer;

/* Runs `whistle-server admin --database DB ARGS…` with @input on standard input; asserts
 * success and returns its standard output. */
char       *test_admin            (const char         *db_path,
                                   const char         *input,
                                   ...) G_GNUC_NULL_TERMINATED;

/* Same, but returns the exit status and leaves the checking to the caller. */
int         test_admin_status     (const char         *db_path,
                                   const char         *input,
                                   char              **output,
                                   ...) G_GNUC_NULL_TERMINATED;

/**
 * test_server_start:
 * @extra_args: (nullable): more options, NULL-terminated
 * @kill_after: (nullable): WHISTLE_SERVER_KILL_AFTER_OPS for the crash test
 */
TestServer *test_server_start     (const char         *db_path,
                                   const char *const  *extra_args,
                                   const char         *kill_after);

/* A server whose rate limits are high enough never to get in the way: for the tests that
 * are not about them (the rate limit has a test of its own). */
TestServer *test_server_start_unlimited (const char   *db_path);

/* Waits for the process to end by itself (at most @timeout_ms); FALSE when it did not. */
gboolean    test_server_wait      (TestServer         *server,
                                   guint               timeout_ms);

/* Sends @signum and waits for the process to end. */
void        test_server_signal    (TestServer         *server,
                                   int                 signum);

/* Stops the server (SIGTERM) when it still runs, and frees it. */
void        test_server_free      (TestServer         *server);

/* The server's log so far. */
char       *test_server_log       (TestServer         *server);

typedef struct {
  guint       status;
  GBytes     *body;
  JsonNode   *json;         /* NULL when the body is not JSON */
  char       *retry_after;
  GError     *error;        /* a transport error: then status is 0 */
} TestReply;

void        test_reply_free       (TestReply          *reply);

/**
 * test_request:
 * @token: (nullable): the bearer token
 * @content_type: (nullable): defaults to application/json when there is a body
 * @body: (nullable): the request body
 * @length: its length, or -1 for a string
 */
TestReply  *test_request          (SoupSession        *session,
                                   const char         *method,
                                   const char         *url,
                                   const char         *token,
                                   const char         *content_type,
                                   const char         *body,
                                   gssize              length);

/* The error code of an error answer, or NULL. */
const char *test_reply_error_code (TestReply          *reply);
JsonObject *test_reply_object     (TestReply          *reply);

/* Signs in and returns the bearer token; asserts success. */
char       *test_login            (SoupSession        *session,
                                   const char         *base_url,
                                   const char         *user,
                                   const char         *password);

/* A count from the database, through a connection of our own (WAL lets us read while the
 * server writes). */
gint64      test_db_count         (const char         *db_path,
                                   const char         *sql,
                                   const char         *text_param);

/* Makes the run's directory from @tmpl (g_dir_make_tmp()); asserts success. */
char       *test_tmp_dir_new      (const char         *tmpl);

/* At the end of a run: removes @dir and all within it when @status is 0; otherwise keeps
 * the databases and server logs for whoever looks into the failure, and says where. */
void        test_tmp_dir_finish   (const char         *dir,
                                   int                 status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestReply, test_reply_free)

G_END_DECLS
