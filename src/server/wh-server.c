/* wh-server.c — the district server's HTTP(S) face: API v1 on a SoupServer
 *
 * Requests are handled on the main loop, one at a time, against one SQLite connection:
 * that keeps the changes feed's sequence in commit order (see wh-change-feed.h). Only the
 * slow, pure part of a sign-in (the Argon2id verification) runs in a worker thread.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "wh-account-store.h"
#include "wh-change-feed.h"
#include "wh-op-ledger.h"
#include "wh-open311.h"
#include "wh-organisation-wire.h"
#include "wh-password.h"
#include "wh-rate-limiter.h"
#include "wh-server.h"
#include "wh-server-attachments.h"
#include "wh-server-private.h"
#include "wh-server-live.h"
#include "wh-server-locale.h"
#include "wh-wire.h"

#define API "/api/v1"

/* RFC 6585; libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

/* JSON deeper than this is refused before parsing: json-glib's parser recurses, and a
 * megabyte of "[" would otherwise exhaust the stack. Our formats nest five levels at most. */
#define MAX_JSON_DEPTH 32

#define MAX_USER_BYTES     256
#define MAX_PASSWORD_BYTES 1024

/* A failed sign-in is answered after this long (plus up to as much again at random), so
 * that guessing is slow and the timing tells nothing. */
#define LOGIN_FAILURE_DELAY_MS 400

/* Each verification takes 64 MiB for a tenth of a second: more at once are refused rather
 * than allowed to exhaust the memory of the machine. */
#define MAX_CONCURRENT_LOGINS 4

/* Ops of a batch committed together (see handle_ops()). */
#define OPS_PER_COMMIT 50

/* Connections the kernel queues until the server accepts them (capped by somaxconn). */
#define LISTEN_BACKLOG 512

struct _WhServer {
  GObject         parent_instance;

  WhDb           *db;
  WhAccountStore *accounts;
  WhChangeFeed   *feed;
  WhOpLedger     *ledger;
  WhRateLimiter  *limiter;
  WhRateLimiter  *login_limiter;
  WhServerLimits  limits;
  SoupServer     *soup;
  WhServerLive   *live;
  WhOpen311      *open311;

  guint           logins_running;

  guint           kill_after;
  guint           ops_committed;
};

G_DEFINE_FINAL_TYPE (WhServer, wh_server, G_TYPE_OBJECT)

void
wh_server_limits_init (WhServerLimits *limits)
{
  limits->max_body_bytes = 1024 * 1024;
  limits->max_batch_ops = 500;
  limits->token_lifetime = (gint64) 12 * 3600 * G_USEC_PER_SEC;
  limits->rate = 20;
  limits->burst = 100;
  limits->login_rate = 2;
  limits->login_burst = 30;
  limits->page_default = 200;
  limits->page_max = 1000;
  limits->live_heartbeat_ms = 25 * 1000;
  limits->live_timeout_ms = 60 * 1000;
}

static void
wh_server_dispose (GObject *object)
{
  WhServer *self = WH_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->live);
  g_clear_object (&self->open311);
  g_clear_object (&self->ledger);
  g_clear_object (&self->feed);
  g_clear_object (&self->accounts);
  g_clear_object (&self->limiter);
  g_clear_object (&self->login_limiter);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_server_parent_class)->dispose (object);
}

static void
wh_server_class_init (WhServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_server_dispose;
}

static void
wh_server_init (WhServer *self)
{
  wh_server_limits_init (&self->limits);
}

/* Responses */

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize length = strlen (text);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Answers carry incidents and tokens: no cache along the way may keep them. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr (JsonNode) node = wh_wire_error_to_json (code, message);

  respond_json (msg, status, node);
}

static void
respond_unauthorized (SoupServerMessage *msg,
                      const char        *code,
                      const char        *message)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer realm=\"whistle\"");
  respond_error (msg, SOUP_STATUS_UNAUTHORIZED, code, message);
}

static void
respond_rate_limited (SoupServerMessage *msg,
                      gint64             retry_after)
{
  g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              MAX (1, (retry_after + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", seconds);
  respond_error (msg, STATUS_TOO_MANY_REQUESTS, "rate_limited",
                 _("Too many requests. Please wait a moment and try again."));
}

static void
respond_internal (SoupServerMessage *msg,
                  const GError      *error)
{
  g_warning ("Request %s failed: %s", g_uri_get_path (soup_server_message_get_uri (msg)),
             error->message);
  respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                 _("The server could not complete the request. Please try again later."));
}

/* Requests */

static void
note_account (SoupServerMessage *msg,
              const WhAccount   *account)
{
  g_object_set_data_full (G_OBJECT (msg), "wh-account", g_strdup (account->name), g_free);
}

static gboolean
is_method (SoupServerMessage *msg,
           const char        *method)
{
  if (g_str_equal (soup_server_message_get_method (msg), method))
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", method);
  respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                 _("This address does not accept that method."));
  return FALSE;
}

/* Soup hands a handler every path below the one it was added for; ours are exact. */
static gboolean
is_exact_path (SoupServerMessage *msg,
               const char        *path,
               const char        *expected)
{
  if (g_str_equal (path, expected))
    return TRUE;
  respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("There is nothing at this address."));
  return FALSE;
}

/* Whether the JSON text nests deeper than @max_depth, looking past strings. */
static gboolean
json_too_deep (const char *data,
               gsize       length,
               guint       max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return FALSE;
}

/* The request's JSON object, or NULL with the 4xx answer already set. */
static JsonObject *
read_json_object (SoupServerMessage *msg,
                  JsonNode         **root)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) error = NULL;
  const char *content_type;
  const char *data;
  gsize length;

  *root = NULL;
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                     _("The request body must be JSON (Content-Type: application/json)."));
      return NULL;
    }

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (bytes, &length);
  if (length == 0)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed_json", _("The request body is empty."));
      return NULL;
    }
  if (!g_utf8_validate (data, length, NULL))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed_json",
                     _("The request body is not valid UTF-8 text."));
      return NULL;
    }
  if (json_too_deep (data, length, MAX_JSON_DEPTH))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed_json",
                     _("The request body nests too deeply."));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The request body is not valid JSON: %s"),
                                                  error->message);
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed_json", message);
      return NULL;
    }
  *root = json_parser_steal_root (parser);
  if (*root == NULL || !JSON_NODE_HOLDS_OBJECT (*root))
    {
      g_clear_pointer (root, json_node_unref);
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed_json",
                     _("The request body must be a JSON object."));
      return NULL;
    }
  return json_node_get_object (*root);
}

/* Refuses members other than @known (a NULL-terminated list) with 400. */
static gboolean
only_known_members (SoupServerMessage  *msg,
                    JsonObject         *object,
                    const char *const  *known)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *message = g_strdup_printf (_("Unknown member “%s” in the request."),
                                                    (char *) l->data);
        respond_error (msg, SOUP_STATUS_BAD_REQUEST, "unknown_member", message);
        return FALSE;
      }
  return TRUE;
}

static gboolean
only_known_params (SoupServerMessage  *msg,
                   GHashTable         *query,
                   const char *const  *known)
{
  GHashTableIter iter;
  const char *key;

  if (query == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (!g_strv_contains (known, key))
      {
        g_autofree char *message = g_strdup_printf (_("Unknown query parameter “%s”."), key);
        respond_error (msg, SOUP_STATUS_BAD_REQUEST, "unknown_parameter", message);
        return FALSE;
      }
  return TRUE;
}

static gboolean
int_param (SoupServerMessage *msg,
           GHashTable        *query,
           const char        *name,
           gint64             min,
           gint64             max,
           gint64            *value)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  gint64 parsed;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, max, &parsed, NULL))
    {
      g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, max);
      /* The numbers go in as text: a format macro in a message would not match its
       * translation. */
      g_autofree char *message =
        g_strdup_printf (_("The query parameter “%s” must be a whole number from %s to %s."),
                         name, low, high);
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_parameter", message);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

/* The address is read when the request starts: once the client has gone, asking the
 * socket only earns a warning. */
static const char *
remote_host (SoupServerMessage *msg)
{
  const char *host = g_object_get_data (G_OBJECT (msg), "wh-remote-host");

  return host ? host : "unknown";
}

/* The account behind the request's bearer token, or NULL with 401/429/500 already set. */
static WhAccount *
authenticate (WhServer          *self,
              SoupServerMessage *msg,
              char             **token_out)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAccount) account = NULL;
  g_autofree char *token = NULL;
  g_autofree char *key = NULL;
  gint64 retry_after;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    {
      respond_unauthorized (msg, "token_missing", _("Please sign in first."));
      return NULL;
    }
  token = g_strstrip (g_strdup (authorization + 7));

  account = wh_account_store_authenticate (self->accounts, token, g_get_real_time (), &error);
  if (account == NULL)
    {
      if (error->domain != WH_ACCOUNT_ERROR)
        {
          respond_internal (msg, error);
          return NULL;
        }
      /* Guessing tokens costs the same as guessing passwords. */
      key = g_strconcat ("auth-failure:", remote_host (msg), NULL);
      if (!wh_rate_limiter_take (self->login_limiter, key, g_get_monotonic_time (), &retry_after))
        {
          respond_rate_limited (msg, retry_after);
          return NULL;
        }
      respond_unauthorized (msg,
                            error->code == WH_ACCOUNT_ERROR_TOKEN_EXPIRED ? "token_expired" :
                            error->code == WH_ACCOUNT_ERROR_TOKEN_REVOKED ? "token_revoked" :
                            "token_invalid",
                            error->message);
      return NULL;
    }
  note_account (msg, account);

  key = wh_account_hash_token (token);
  if (!wh_rate_limiter_take (self->limiter, key, g_get_monotonic_time (), &retry_after))
    {
      respond_rate_limited (msg, retry_after);
      return NULL;
    }
  if (token_out != NULL)
    *token_out = g_steal_pointer (&token);
  return g_steal_pointer (&account);
}

static JsonNode *
account_to_json (const WhAccount *account)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, account->name);
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, account->display_name ? account->display_name : "");
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, wh_role_to_string (account->role));
  json_builder_set_member_name (b, "street_id");
  if (account->street_id)
    json_builder_add_string_value (b, account->street_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "unit_id");
  if (account->unit_id)
    json_builder_add_string_value (b, account->unit_id);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The early handler: refuses bodies we will not read before they are read. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  WhServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if ((guint64) soup_message_headers_get_content_length (headers) > self->limits.max_body_bytes)
        {
          g_autofree char *message =
            g_strdup_printf (_("The request body is larger than %lu bytes."),
                             (gulong) self->limits.max_body_bytes);
          respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", message);
        }
      break;
    case SOUP_ENCODING_CHUNKED:
      /* Without a length the size is only known after reading it all. */
      respond_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "length_required",
                     _("The request must state its Content-Length."));
      break;
    default:
      break;
    }
}

/* POST /api/v1/login */

typedef struct {
  WhServer          *server;
  SoupServerMessage *msg;
  WhAccount         *account;  /* NULL when the name is unknown */
  char              *hash;
  char              *password;
  gboolean           finished; /* the client went away meanwhile */
  gboolean           verifying; /* holds one of the MAX_CONCURRENT_LOGINS slots */
} Login;

static void login_message_finished (SoupServerMessage *msg,
                                    Login             *login);

/* The slot is given back as soon as the hash is verified: a refusal's delay costs nothing
 * and must not keep others from signing in. */
static void
login_release_slot (Login *login)
{
  if (login->verifying)
    login->server->logins_running--;
  login->verifying = FALSE;
}

static void
login_free (Login *login)
{
  login_release_slot (login);
  g_signal_handlers_disconnect_by_func (login->msg, login_message_finished, login);
  g_object_unref (login->server);
  g_object_unref (login->msg);
  wh_account_free (login->account);
  g_free (login->hash);
  if (login->password != NULL)
    {
      memset (login->password, 0, strlen (login->password));
      g_free (login->password);
    }
  g_free (login);
}

static void
login_verify_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Login *login = task_data;

  g_task_return_boolean (task, wh_password_verify (login->hash, login->password));
}

static gboolean
login_refuse (gpointer data)
{
  Login *login = data;

  if (!login->finished)
    {
      locale_t previous = wh_server_locale_enter (login->msg);

      respond_unauthorized (login->msg, "bad_credentials",
                            _("The user name or the password is wrong."));
      wh_server_locale_leave (previous);
      soup_server_message_unpause (login->msg);
    }
  login_free (login);
  return G_SOURCE_REMOVE;
}

static void
login_message_finished (SoupServerMessage *msg,
                        Login             *login)
{
  login->finished = TRUE;
}

static void
login_verified (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Login *login = data;
  WhServer *self = login->server;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr (JsonBuilder) b = NULL;
  g_autoptr (JsonNode) answer = NULL;
  gint64 expires_at;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), NULL);
  login_release_slot (login);

  if (!ok || login->account == NULL || login->account->disabled)
    {
      g_message ("Sign-in refused for “%s” from %s", login->account ? login->account->name : "?",
                 remote_host (login->msg));
      g_timeout_add (LOGIN_FAILURE_DELAY_MS + g_random_int_range (0, LOGIN_FAILURE_DELAY_MS),
                     login_refuse, login);
      return;
    }

  if (login->finished)
    {
      login_free (login);
      return;
    }

  token = wh_password_new_token ();
  expires_at = g_get_real_time () + self->limits.token_lifetime;
  if (!wh_account_store_add_token (self->accounts, login->account, token, expires_at, &error))
    {
      locale_t previous = wh_server_locale_enter (login->msg);

      respond_internal (login->msg, error);
      wh_server_locale_leave (previous);
    }
  else
    {
      note_account (login->msg, login->account);
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, token);
      json_builder_set_member_name (b, "token_type");
      json_builder_add_string_value (b, "Bearer");
      json_builder_set_member_name (b, "expires_at");
      json_builder_add_int_value (b, expires_at);
      json_builder_set_member_name (b, "account");
      json_builder_add_value (b, account_to_json (login->account));
      json_builder_end_object (b);
      answer = json_builder_get_root (b);
      respond_json (login->msg, SOUP_STATUS_OK, answer);
      g_message ("Signed in: %s (%s, street %s) from %s", login->account->name,
                 wh_role_to_string (login->account->role),
                 login->account->street_id ? login->account->street_id : "all",
                 remote_host (login->msg));
    }
  soup_server_message_unpause (login->msg);
  login_free (login);
}

static gboolean
string_member (SoupServerMessage *msg,
               JsonObject        *object,
               const char        *member,
               gsize              max_bytes,
               const char       **value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0' || strlen (json_node_get_string (node)) > max_bytes)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” must be a non-empty string of at most %lu bytes."),
                         member, (gulong) max_bytes);
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid", message);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

static void
handle_login (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  static const char *const known[] = { "user", "password", NULL };
  WhServer *self = user_data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  g_autofree char *key = NULL;
  const char *user, *password;
  JsonObject *body;
  Login *login;
  gint64 retry_after;

  if (!is_exact_path (msg, path, API "/login") || !is_method (msg, "POST"))
    return;

  key = g_strconcat ("login:", remote_host (msg), NULL);
  if (!wh_rate_limiter_take (self->login_limiter, key, g_get_monotonic_time (), &retry_after))
    {
      respond_rate_limited (msg, retry_after);
      return;
    }

  if ((body = read_json_object (msg, &root)) == NULL ||
      !only_known_members (msg, body, known) ||
      !string_member (msg, body, "user", MAX_USER_BYTES, &user) ||
      !string_member (msg, body, "password", MAX_PASSWORD_BYTES, &password))
    return;

  if (self->logins_running >= MAX_CONCURRENT_LOGINS)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                     _("The server is busy signing in others. Please try again in a moment."));
      return;
    }

  login = g_new0 (Login, 1);
  login->verifying = TRUE;
  self->logins_running++;
  login->server = g_object_ref (self);
  login->msg = g_object_ref (msg);
  login->account = wh_account_store_lookup (self->accounts, user, &login->hash, &error);
  if (login->account == NULL && !g_error_matches (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_NOT_FOUND))
    {
      respond_internal (msg, error);
      login_free (login);
      return;
    }
  /* An unknown name is verified against a dummy hash: the same work, the same delay. */
  if (login->hash == NULL)
    login->hash = g_strdup (wh_password_dummy_hash ());
  login->password = g_strdup (password);

  soup_server_message_pause (msg);
  g_signal_connect (msg, "finished", G_CALLBACK (login_message_finished), login);
  task = g_task_new (NULL, NULL, login_verified, login);
  g_task_set_task_data (task, login, NULL);
  g_task_run_in_thread (task, login_verify_thread);
}

/* POST /api/v1/logout */

static void
handle_logout (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  WhServer *self = user_data;
  g_autoptr (WhAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) answer = NULL;

  if (!is_exact_path (msg, path, API "/logout") || !is_method (msg, "POST") ||
      (account = authenticate (self, msg, &token)) == NULL)
    return;

  if (!wh_account_store_revoke_token (self->accounts, token, g_get_real_time (), &error))
    {
      respond_internal (msg, error);
      return;
    }
  g_message ("Signed out: %s", account->name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "revoked");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  answer = json_builder_get_root (b);
  respond_json (msg, SOUP_STATUS_OK, answer);
}

/* GET /api/v1/session */

static void
handle_session (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  static const char *const known[] = { NULL };
  WhServer *self = user_data;
  g_autoptr (WhAccount) account = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) answer = NULL;

  if (!is_exact_path (msg, path, API "/session") || !is_method (msg, "GET") ||
      !only_known_params (msg, query, known) ||
      (account = authenticate (self, msg, NULL)) == NULL)
    return;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "account");
  json_builder_add_value (b, account_to_json (account));
  json_builder_end_object (b);
  answer = json_builder_get_root (b);
  respond_json (msg, SOUP_STATUS_OK, answer);
}

/* POST /api/v1/ops */

/* The answer for an op of which nothing was written: the desk sends it again later. */
static WhOpResult *
storage_failure (const char *op_id,
                 const char *code)
{
  WhOpResult *result = wh_op_result_new (op_id, WH_OP_OUTCOME_ERROR);

  result->code = g_strdup (code);
  result->reason = g_strdup (_("The server could not store the change now. It will be sent again."));
  return result;
}

/* Commits the ops answered from @from on. When their writes are lost instead (the commit
 * failed, or a failed op ended the transaction early: see wh_op_ledger_apply()), so are
 * their answers, duplicates excepted: they become errors, and the desk sends them again. */
static gboolean
commit_ops (WhServer   *self,
            GPtrArray  *results,
            guint       from,
            guint      *counts,
            const char *who)
{
  g_autoptr (GError) error = NULL;

  if (wh_db_in_transaction (self->db) && wh_db_commit (self->db, &error))
    return TRUE;
  g_warning ("Could not store the changes from %s: %s", who, error ? error->message : "rolled back");
  for (guint i = from; i < results->len; i++)
    {
      WhOpResult *result = g_ptr_array_index (results, i);

      if (result->outcome == WH_OP_OUTCOME_DUPLICATE || result->outcome == WH_OP_OUTCOME_ERROR)
        continue;
      counts[result->outcome]--;
      counts[WH_OP_OUTCOME_ERROR]++;
      results->pdata[i] = storage_failure (result->op_id, "storage");
      wh_op_result_free (result);
    }
  return FALSE;
}

static void
handle_ops (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  static const char *const known[] = { "ops", NULL };
  WhServer *self = user_data;
  g_autoptr (WhAccount) account = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_op_free);
  g_autoptr (JsonBuilder) b = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_op_result_free);
  g_autoptr (GError) batch_error = NULL;
  guint counts[WH_OP_OUTCOME_ERROR + 1] = { 0, };
  guint chunk_start = 0;
  gboolean in_batch;
  JsonObject *body;
  JsonNode *list;
  JsonArray *array;
  gint64 latest;

  if (!is_exact_path (msg, path, API "/ops") || !is_method (msg, "POST") ||
      (account = authenticate (self, msg, NULL)) == NULL ||
      (body = read_json_object (msg, &root)) == NULL ||
      !only_known_members (msg, body, known))
    return;

  list = json_object_get_member (body, "ops");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("“ops” must be a list of changes."));
      return;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) > self->limits.max_batch_ops)
    {
      g_autofree char *message = g_strdup_printf (_("A batch holds at most %u changes."),
                                                  self->limits.max_batch_ops);
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_many_ops", message);
      return;
    }

  /* Every op is read before any is applied: a malformed batch writes nothing at all. */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      WhOp *op = wh_op_from_json (json_array_get_element (array, i), &error);

      if (op != NULL && !wh_op_check_fields (op, &error))
        g_clear_pointer (&op, wh_op_free);
      if (op == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Change %u of the batch: %s"), i + 1,
                                                      error->message);
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_op", message);
          return;
        }
      g_ptr_array_add (ops, op);
    }

  b = json_builder_new ();
  /* The ops share a transaction, each a savepoint of its own in it: one commit, one sync of
   * the disk, for up to OPS_PER_COMMIT of them, where one per op made the disk all that
   * limited the server (bench/server-bench.c). Nothing is answered before the commit, so a
   * crash loses at most the ops since the last one, which the desk sends again. */
  in_batch = wh_db_begin (self->db, &batch_error);
  for (guint i = 0; i < ops->len; i++)
    {
      WhOp *op = g_ptr_array_index (ops, i);
      WhOpResult *result = NULL;

      g_clear_error (&error);
      /* After a failure the rest of the batch is not even tried: a later op may depend on
       * the one that failed (a note on an incident whose report could not be stored), and
       * must not be refused for good for that. */
      if (counts[WH_OP_OUTCOME_ERROR] == 0)
        {
          if (in_batch)
            result = wh_op_ledger_apply (self->ledger, account, op, &error);
          else
            error = g_error_copy (batch_error);
        }
      if (result == NULL)
        {
          /* Nothing was written: the desk keeps the op and sends it again later. */
          if (error != NULL)
            g_warning ("Could not store change %s: %s", op->op_id, error->message);
          result = storage_failure (op->op_id, error != NULL ? "storage" : "not_attempted");
        }
      counts[result->outcome]++;
      g_ptr_array_add (results, result);

      if (result->outcome != WH_OP_OUTCOME_ERROR && result->outcome != WH_OP_OUTCOME_DUPLICATE)
        {
          self->ops_committed++;
          if (self->kill_after != 0 && self->ops_committed >= self->kill_after)
            {
              /* "Right after committing its n-th op": as if the batch had ended there. */
              if (wh_db_in_transaction (self->db))
                wh_db_commit (self->db, NULL);
              g_message ("Killing myself after %u changes, as the crash test asked", self->ops_committed);
              raise (SIGKILL);
            }
        }

      /* A long batch is committed in steps: what it did so far is safe, and seen. */
      if (in_batch && counts[WH_OP_OUTCOME_ERROR] == 0 && i + 1 < ops->len &&
          i + 1 - chunk_start >= OPS_PER_COMMIT)
        {
          if (commit_ops (self, results, chunk_start, counts, account->name))
            {
              chunk_start = i + 1;
              in_batch = wh_db_begin (self->db, &batch_error);
            }
          else
            in_batch = FALSE;
        }
    }
  if (in_batch)
    commit_ops (self, results, chunk_start, counts, account->name);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->len; i++)
    json_builder_add_value (b, wh_op_result_to_json (g_ptr_array_index (results, i)));
  json_builder_end_array (b);
  if (counts[WH_OP_OUTCOME_APPLIED] > 0)
    wh_server_live_notify (self->live, account->street_id);

  latest = wh_change_feed_latest (self->feed, account->street_id, NULL);
  json_builder_set_member_name (b, "latest");
  json_builder_add_int_value (b, latest);
  json_builder_end_object (b);
  answer = json_builder_get_root (b);

  g_message ("Batch of %u from %s: %u applied, %u duplicate, %u conflict, %u rejected, %u failed",
             ops->len, account->name, counts[WH_OP_OUTCOME_APPLIED], counts[WH_OP_OUTCOME_DUPLICATE],
             counts[WH_OP_OUTCOME_CONFLICT], counts[WH_OP_OUTCOME_REJECTED],
             counts[WH_OP_OUTCOME_ERROR]);
  respond_json (msg, SOUP_STATUS_OK, answer);
}

/* Which street a GET reads: the account's own, or for a district account the one it names
 * (every street when it names none). FALSE with 403 set when the account may not. */
static gboolean
street_scope (SoupServerMessage *msg,
              const WhAccount   *account,
              GHashTable        *query,
              const char       **street_id)
{
  const char *asked = query ? g_hash_table_lookup (query, "street") : NULL;

  *street_id = account->street_id;
  if (asked == NULL)
    return TRUE;
  if (!wh_account_sees_street (account, asked))
    {
      respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                     _("You may only read your own street."));
      return FALSE;
    }
  *street_id = asked;
  return TRUE;
}

/* GET /api/v1/changes */

static void
handle_changes (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  static const char *const known[] = { "since", "events_since", "limit", "street", NULL };
  WhServer *self = user_data;
  g_autoptr (WhAccount) account = NULL;
  g_autoptr (WhChangePage) page = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GError) error = NULL;
  const char *street_id;
  gint64 since = 0;
  gint64 events_since = -1;
  gint64 limit = self->limits.page_default;

  if (!is_exact_path (msg, path, API "/changes") || !is_method (msg, "GET") ||
      (account = authenticate (self, msg, NULL)) == NULL ||
      !only_known_params (msg, query, known) ||
      !int_param (msg, query, "since", 0, G_MAXINT64, &since) ||
      !int_param (msg, query, "events_since", 0, G_MAXINT64, &events_since) ||
      !int_param (msg, query, "limit", 1, self->limits.page_max, &limit) ||
      !street_scope (msg, account, query, &street_id))
    return;

  /* A reader paging through several pages sends where its pass started: see
   * wh_change_feed_read_pass() for why the page's own cursor is not enough. */
  page = wh_change_feed_read_pass (self->feed, street_id, since,
                                   events_since < 0 ? since : MIN (events_since, since), limit,
                                   &error);
  if (page == NULL)
    {
      respond_internal (msg, error);
      return;
    }
  answer = wh_change_page_to_json (page);
  respond_json (msg, SOUP_STATUS_OK, answer);
}

/* GET /api/v1/organisation */

static void
handle_organisation (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  static const char *const known[] = { "street", NULL };
  WhServer *self = user_data;
  g_autoptr (WhAccount) account = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autoptr (GError) error = NULL;
  const char *street_id;

  if (!is_exact_path (msg, path, API "/organisation") || !is_method (msg, "GET") ||
      (account = authenticate (self, msg, NULL)) == NULL ||
      !only_known_params (msg, query, known) ||
      !street_scope (msg, account, query, &street_id))
    return;

  answer = wh_organisation_export (self->db, street_id, &error);
  if (answer == NULL)
    {
      respond_internal (msg, error);
      return;
    }
  respond_json (msg, SOUP_STATUS_OK, answer);
}

/* GET /api/v1/live: the handshake of the live socket (wh-server-live.c), signed in like any
 * request. Without an answer set here, libsoup completes the WebSocket handshake. */

static void
handle_live (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  static const char *const known[] = { NULL };
  WhServer *self = user_data;
  g_autoptr (WhAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;

  if (!is_exact_path (msg, path, API "/live") || !is_method (msg, "GET") ||
      !only_known_params (msg, query, known) ||
      (account = authenticate (self, msg, &token)) == NULL)
    return;
  if (!soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, &error))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "not_websocket",
                     _("This address takes WebSocket connections only."));
      return;
    }
  if (!wh_server_live_admit (self->live, msg, account, token))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "30");
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                     _("The server has too many live connections. The desk checks for changes "
                       "from time to time instead."));
    }
}

static void
handle_unknown (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("There is nothing at this address."));
}

/* libsoup before 3.3 never notices a client closing an idle keep-alive connection: each one
 * stays open (CLOSE_WAIT) for the life of the server, which a desk's connection pool does
 * every few minutes, until the server runs out of file descriptors and stops accepting. So
 * with those versions every answer closes its connection (the WebSocket handshake excepted:
 * that connection becomes the live socket). */
static void
request_read (SoupServer        *server,
              SoupServerMessage *msg,
              gpointer           user_data)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);

  if (soup_get_major_version () == 3 && soup_get_minor_version () < 3 &&
      !soup_message_headers_header_contains (request, "Connection", "Upgrade"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/* Logging */

static void
request_started (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "wh-start-time", started, g_free);
  g_object_set_data_full (G_OBJECT (msg), "wh-remote-host",
                          g_strdup (soup_server_message_get_remote_host (msg)), g_free);
}

static void
request_finished (SoupServer        *server,
                  SoupServerMessage *msg,
                  gpointer           user_data)
{
  gint64 *started = g_object_get_data (G_OBJECT (msg), "wh-start-time");
  const char *account = g_object_get_data (G_OBJECT (msg), "wh-account");
  GUri *uri = soup_server_message_get_uri (msg);

  if (soup_server_message_get_method (msg) == NULL)
    return; /* a connection that closed before sending a request */
  g_message ("%s %s %s → %u (%s, %.1f ms)", remote_host (msg),
             soup_server_message_get_method (msg), uri ? g_uri_get_path (uri) : "?",
             soup_server_message_get_status (msg), account ? account : "-",
             started ? (g_get_monotonic_time () - *started) / 1000.0 : 0.0);
}

typedef struct {
  WhServer           *server;
  SoupServerCallback  callback;
} Route;

/* Every answer is in the language the request asks for (Accept-Language), not the server's:
 * the handler runs with that language's locale (see wh-server-locale.h). */
static void
route_in_language (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Route *route = user_data;
  locale_t previous = wh_server_locale_enter (msg);

  route->callback (server, msg, path, query, route->server);
  wh_server_locale_leave (previous);
}

/* Soup matches a request to the most specific path that has a handler of either kind and
 * then runs only that path's handlers: the early check must be added for every path. */
static void
add_route (WhServer           *self,
           const char         *path,
           SoupServerCallback  callback)
{
  Route *early = g_new0 (Route, 1);
  Route *route = g_new0 (Route, 1);

  early->server = route->server = self;
  early->callback = early_handler;
  route->callback = callback;
  soup_server_add_early_handler (self->soup, path, route_in_language, early, g_free);
  soup_server_add_handler (self->soup, path, route_in_language, route, g_free);
}

/* An Open311 request became an incident: desks hear of it like of any op. */
static void
open311_incident_created (WhServer   *self,
                          const char *street_id,
                          const char *incident_id,
                          gint64      seq)
{
  wh_server_live_notify (self->live, street_id);
}

/* Public */

WhServer *
wh_server_new (WhDb                 *db,
               const WhServerLimits *limits,
               GError              **error)
{
  g_autoptr (WhServer) self = NULL;
  guint adopted = 0;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  if (!wh_password_init ())
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The system’s random number source is not available."));
      return NULL;
    }

  self = g_object_new (WH_TYPE_SERVER, NULL);
  if (limits != NULL)
    self->limits = *limits;
  self->db = g_object_ref (db);
  self->accounts = wh_account_store_new (db);
  self->feed = wh_change_feed_new (db);
  self->ledger = wh_op_ledger_new (db);
  self->limiter = wh_rate_limiter_new (self->limits.rate, self->limits.burst);
  self->login_limiter = wh_rate_limiter_new (self->limits.login_rate, self->limits.login_burst);
  self->live = wh_server_live_new (self->accounts, self->feed, self->limits.live_heartbeat_ms,
                                   self->limits.live_timeout_ms);
  self->open311 = wh_open311_new (db, self->limits.rate, self->limits.burst);
  g_signal_connect_object (self->open311, "incident-created", G_CALLBACK (open311_incident_created),
                           self, G_CONNECT_SWAPPED);

  if (!wh_account_store_claim_database (self->accounts, FALSE, error) ||
      !wh_change_feed_adopt (self->feed, &adopted, error))
    return NULL;
  if (adopted > 0)
    g_message ("Entered %u incidents into the changes feed", adopted);
  wh_account_store_purge_tokens (self->accounts, g_get_real_time (), NULL);

  /* Computed now rather than during the first sign-in with an unknown name, which would
   * otherwise take twice as long as any other and so tell that the name is unknown. */
  wh_password_dummy_hash ();

  return g_steal_pointer (&self);
}

gboolean
wh_server_listen (WhServer        *self,
                  const char      *address,
                  guint            port,
                  GTlsCertificate *certificate,
                  GError         **error)
{
  g_autoptr (GSocketAddress) socket_address = NULL;
  g_autoptr (GSocket) listener = NULL;
  SoupServerListenOptions options = 0;

  g_return_val_if_fail (WH_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  socket_address = g_inet_socket_address_new_from_string (address, port);
  if (socket_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address to listen on."), address);
      return FALSE;
    }

  self->soup = soup_server_new ("server-header", "whistle-server/" PACKAGE_VERSION " ", NULL);
  if (certificate != NULL)
    {
      soup_server_set_tls_certificate (self->soup, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  add_route (self, NULL, handle_unknown);
  add_route (self, API "/login", handle_login);
  add_route (self, API "/logout", handle_logout);
  add_route (self, API "/session", handle_session);
  add_route (self, API "/ops", handle_ops);
  add_route (self, API "/changes", handle_changes);
  add_route (self, API "/organisation", handle_organisation);
  wh_server_attachments_attach (self, self->soup, self->db);
  add_route (self, API "/live", handle_live);
  wh_server_live_attach (self->live, self->soup, API "/live");
  wh_open311_add_routes (self->open311, self->soup);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started), self);
  g_signal_connect (self->soup, "request-read", G_CALLBACK (request_read), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_finished), self);

  /* Our own socket, for its backlog: libsoup's listens with 10, and a server that closes
   * every connection (see request_read()) has a new one for each request. With twenty desks
   * at once the queue overflowed, and the kernel dropped connections that then waited a
   * second or more to try again while the server sat idle. */
  listener = g_socket_new (g_socket_address_get_family (socket_address), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    {
      g_clear_object (&self->soup);
      return FALSE;
    }
  g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (!g_socket_bind (listener, socket_address, TRUE, error) || !g_socket_listen (listener, error) ||
      !soup_server_listen_socket (self->soup, listener, options, error))
    {
      g_clear_object (&self->soup);
      return FALSE;
    }
  return TRUE;
}

char *
wh_server_dup_url (WhServer *self)
{
  GSList *uris;
  char *url = NULL;

  g_return_val_if_fail (WH_IS_SERVER (self), NULL);

  if (self->soup == NULL)
    return NULL;
  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    {
      GUri *uri = uris->data;
      const char *host = g_uri_get_host (uri);
      gboolean ipv6 = strchr (host, ':') != NULL;

      url = g_strdup_printf ("%s://%s%s%s:%d", g_uri_get_scheme (uri), ipv6 ? "[" : "", host,
                             ipv6 ? "]" : "", g_uri_get_port (uri));
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

void
wh_server_stop (WhServer *self)
{
  g_return_if_fail (WH_IS_SERVER (self));

  /* libsoup has handed the live sockets over to us: they are not its connections any more. */
  wh_server_live_close_all (self->live);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

void
wh_server_set_kill_after (WhServer *self,
                          guint     n_ops)
{
  g_return_if_fail (WH_IS_SERVER (self));
  self->kill_after = n_ops;
}

/* For the handlers in the server's other files (wh-server-private.h). */
WhAccount *
wh_server_authenticate (WhServer          *self,
                        SoupServerMessage *msg)
{
  g_return_val_if_fail (WH_IS_SERVER (self), NULL);
  return authenticate (self, msg, NULL);
}
