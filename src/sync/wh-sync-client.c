/* wh-sync-client.c — the desk's HTTP(S) connection to its district server */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "wh-sync-client.h"

#define DEFAULT_TIMEOUT_SECONDS 60

struct _WhSyncClient {
  GObject      parent_instance;
  SoupSession *session;
  char        *server_url;
  char        *token;
  guint        retry_after;
};

G_DEFINE_FINAL_TYPE (WhSyncClient, wh_sync_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (wh-sync-error-quark, wh_sync_error)

gboolean
wh_sync_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != WH_SYNC_ERROR)
    return FALSE;
  switch (error->code)
    {
    case WH_SYNC_ERROR_NETWORK:
    case WH_SYNC_ERROR_RATE_LIMITED:
    case WH_SYNC_ERROR_SERVER:
    case WH_SYNC_ERROR_PROTOCOL:
      return TRUE;
    default:
      return FALSE;
    }
}

void
wh_sync_login_free (WhSyncLogin *login)
{
  if (login == NULL)
    return;
  g_free (login->token);
  g_free (login->name);
  g_free (login->display_name);
  g_free (login->role);
  g_free (login->street_id);
  g_free (login->unit_id);
  g_free (login);
}

static void
wh_sync_client_finalize (GObject *object)
{
  WhSyncClient *self = WH_SYNC_CLIENT (object);

  g_clear_object (&self->session);
  g_free (self->server_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);

  G_OBJECT_CLASS (wh_sync_client_parent_class)->finalize (object);
}

static void
wh_sync_client_class_init (WhSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_sync_client_finalize;
}

static void
wh_sync_client_init (WhSyncClient *self)
{
  g_autofree char *agent = g_strdup_printf ("Whistle/%s ", PACKAGE_VERSION);

  /* The trailing space makes libsoup append its own name and version. The server answers
   * in the desk's language (Accept-Language from the locale): refusals reach people. */
  self->session = soup_session_new_with_options ("user-agent", agent,
                                                 "timeout", DEFAULT_TIMEOUT_SECONDS,
                                                 "idle-timeout", DEFAULT_TIMEOUT_SECONDS,
                                                 "accept-language-auto", TRUE,
                                                 NULL);
}

WhSyncClient *
wh_sync_client_new (const char  *server_url,
                    GError     **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (WhSyncClient) self = NULL;
  g_autofree char *normalised = NULL;
  const char *scheme;

  g_return_val_if_fail (server_url != NULL, NULL);

  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_NOT_CONFIGURED,
                   _("“%s” is not the address of a district server (for example "
                     "https://whistle.example.gov.cn:8443)."), server_url);
      return NULL;
    }

  normalised = g_strdup (server_url);
  while (g_str_has_suffix (normalised, "/"))
    normalised[strlen (normalised) - 1] = '\0';

  self = g_object_new (WH_TYPE_SYNC_CLIENT, NULL);
  self->server_url = g_steal_pointer (&normalised);
  return g_steal_pointer (&self);
}

const char *
wh_sync_client_get_server_url (WhSyncClient *self)
{
  g_return_val_if_fail (WH_IS_SYNC_CLIENT (self), NULL);
  return self->server_url;
}

gboolean
wh_sync_client_set_ca_file (WhSyncClient *self,
                            const char   *ca_file,
                            GError      **error)
{
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (WH_IS_SYNC_CLIENT (self), FALSE);

  if (ca_file == NULL)
    {
      /* Back to the default: the system's store. */
      database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
      g_object_set (self->session, "tls-database", database, NULL);
      return TRUE;
    }

  database = g_tls_file_database_new (ca_file, &local_error);
  if (database == NULL)
    {
      g_set_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_TLS,
                   _("The certificate authority file “%s” cannot be used: %s"), ca_file,
                   local_error->message);
      return FALSE;
    }
  g_object_set (self->session, "tls-database", database, NULL);
  return TRUE;
}

void
wh_sync_client_set_token (WhSyncClient *self,
                          const char   *token)
{
  g_return_if_fail (WH_IS_SYNC_CLIENT (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

const char *
wh_sync_client_get_token (WhSyncClient *self)
{
  g_return_val_if_fail (WH_IS_SYNC_CLIENT (self), NULL);
  return self->token;
}

guint
wh_sync_client_get_retry_after (WhSyncClient *self)
{
  g_return_val_if_fail (WH_IS_SYNC_CLIENT (self), 0);
  return self->retry_after;
}

SoupSession *
wh_sync_client_get_session (WhSyncClient *self)
{
  g_return_val_if_fail (WH_IS_SYNC_CLIENT (self), NULL);
  return self->session;
}

void
wh_sync_client_set_timeout (WhSyncClient *self,
                            guint         seconds)
{
  g_return_if_fail (WH_IS_SYNC_CLIENT (self));
  g_object_set (self->session, "timeout", seconds, "idle-timeout", seconds, NULL);
}

JsonNode *
wh_sync_parse_json (GBytes  *body,
                    GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  /* The body is not NUL-terminated: parse it by its length. */
  if (!json_parser_load_from_data (parser, data ? data : "", size, &local_error))
    {
      g_set_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_PROTOCOL,
                   _("The district server sent an answer that is not valid JSON: %s"),
                   local_error->message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/* Requests */

typedef struct {
  SoupMessage *msg;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->msg);
  g_free (request);
}

static char *
describe_certificate_errors (GTlsCertificateFlags flags)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (parts, _("it is not signed by a trusted certificate authority"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (parts, _("it was issued for another address"));
  if (flags & (G_TLS_CERTIFICATE_NOT_ACTIVATED | G_TLS_CERTIFICATE_EXPIRED))
    g_ptr_array_add (parts, _("it is not valid at this time"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (parts, _("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (parts, _("it uses an insecure algorithm"));
  if (parts->len == 0)
    g_ptr_array_add (parts, _("it could not be verified"));
  g_ptr_array_add (parts, NULL);
  /* Translators: joins reasons why a certificate is not trusted */
  return g_strjoinv (_("; "), (char **) parts->pdata);
}

/* The server's {"error": {"code", "message"}}, when the body has it. */
void
wh_sync_read_error_answer (GBytes  *body,
                           char   **code,
                           char   **message)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *error;

  *code = NULL;
  *message = NULL;
  if (body == NULL || (root = wh_sync_parse_json (body, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  error = json_object_get_object_member (json_node_get_object (root), "error");
  if (error == NULL)
    return;
  *code = g_strdup (json_object_get_string_member_with_default (error, "code", NULL));
  *message = g_strdup (json_object_get_string_member_with_default (error, "message", NULL));
}

WhSyncError
wh_sync_error_for_status (guint status)
{
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return WH_SYNC_ERROR_AUTH;
  if (status == SOUP_STATUS_FORBIDDEN)
    return WH_SYNC_ERROR_FORBIDDEN;
  if (status == 429 /* Too Many Requests */)
    return WH_SYNC_ERROR_RATE_LIMITED;
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return WH_SYNC_ERROR_SERVER;
  if (SOUP_STATUS_IS_CLIENT_ERROR (status))
    return WH_SYNC_ERROR_REFUSED;
  return WH_SYNC_ERROR_PROTOCOL;
}

static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  WhSyncClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  const char *retry_after;
  guint status;
  int kind;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (error->domain == G_TLS_ERROR)
        {
          g_autofree char *why =
            describe_certificate_errors (soup_message_get_tls_peer_certificate_errors (request->msg));

          g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_TLS,
                                   _("The certificate of the district server %s is not trusted: %s. "
                                     "If the district uses its own certificate authority, set its "
                                     "CA file in the connection settings."),
                                   self->server_url, why);
        }
      else
        g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_NETWORK,
                                 _("Could not reach the district server %s: %s"),
                                 self->server_url, error->message);
      return;
    }

  status = soup_message_get_status (request->msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      self->retry_after = 0;
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  retry_after = soup_message_headers_get_one (soup_message_get_response_headers (request->msg),
                                              "Retry-After");
  self->retry_after = retry_after ? (guint) g_ascii_strtoull (retry_after, NULL, 10) : 0;
  wh_sync_read_error_answer (body, &code, &message);

  /* Only the ops endpoint tells a change it cannot apply from other bad requests. */
  if (status == SOUP_STATUS_BAD_REQUEST && g_strcmp0 (code, "invalid_op") == 0)
    kind = WH_SYNC_ERROR_BAD_CHANGE;
  else
    kind = wh_sync_error_for_status (status);

  if (message != NULL)
    g_task_return_new_error (task, WH_SYNC_ERROR, kind, "%s", message);
  else
    g_task_return_new_error (task, WH_SYNC_ERROR, kind,
                             _("The district server answered %u %s."), status,
                             soup_status_get_phrase (status));
}

void
wh_sync_client_request_async (WhSyncClient        *self,
                              const char          *method,
                              const char          *path,
                              GBytes              *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *url = NULL;
  Request *request;

  g_return_if_fail (WH_IS_SYNC_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL && *path == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_sync_client_request_async);

  url = g_strconcat (self->server_url, path, NULL);
  request = g_new0 (Request, 1);
  request->msg = soup_message_new (method, url);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_NOT_CONFIGURED,
                               _("“%s” is not a valid address."), url);
      return;
    }

  if (self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (request->msg),
                                    "Authorization", value);
    }
  soup_message_headers_replace (soup_message_get_request_headers (request->msg), "Accept",
                                "application/json");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (request->msg, "application/json", body);

  soup_session_send_and_read_async (self->session, request->msg, G_PRIORITY_DEFAULT, cancellable,
                                    request_done, g_steal_pointer (&task));
}

GBytes *
wh_sync_client_request_finish (WhSyncClient *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (WH_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Sign-in */

static char *
dup_member_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static void
login_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  WhSyncClient *self = WH_SYNC_CLIENT (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (WhSyncLogin) login = NULL;
  JsonObject *object, *account;

  body = wh_sync_client_request_finish (self, result, &error);
  if (body == NULL || (root = wh_sync_parse_json (body, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  login = g_new0 (WhSyncLogin, 1);
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  account = object ? json_object_get_object_member (object, "account") : NULL;
  if (object != NULL)
    {
      login->token = dup_member_string (object, "token");
      login->expires_at = json_object_get_int_member_with_default (object, "expires_at", 0);
    }
  if (login->token == NULL || account == NULL ||
      (login->name = dup_member_string (account, "name")) == NULL)
    {
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_PROTOCOL,
                               _("The district server’s answer to the sign-in has no token."));
      return;
    }
  login->display_name = dup_member_string (account, "display_name");
  login->role = dup_member_string (account, "role");
  login->street_id = dup_member_string (account, "street_id");
  login->unit_id = dup_member_string (account, "unit_id");

  wh_sync_client_set_token (self, login->token);
  g_task_return_pointer (task, g_steal_pointer (&login), (GDestroyNotify) wh_sync_login_free);
}

void
wh_sync_client_login_async (WhSyncClient        *self,
                            const char          *user,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GBytes) body = NULL;
  char *text;

  g_return_if_fail (WH_IS_SYNC_CLIENT (self));
  g_return_if_fail (user != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_sync_client_login_async);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user");
  json_builder_add_string_value (b, user);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  body = g_bytes_new_take (text, strlen (text));

  /* The sign-in must not send an old token along. */
  wh_sync_client_set_token (self, NULL);
  wh_sync_client_request_async (self, "POST", "/api/v1/login", body, cancellable, login_done,
                                g_steal_pointer (&task));
}

WhSyncLogin *
wh_sync_client_login_finish (WhSyncClient *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (WH_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
logout_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = wh_sync_client_request_finish (WH_SYNC_CLIENT (source), result, &error);

  wh_sync_client_set_token (WH_SYNC_CLIENT (source), NULL);
  if (body == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
wh_sync_client_logout_async (WhSyncClient        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GBytes) body = g_bytes_new_static ("{}", 2);

  g_return_if_fail (WH_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_sync_client_logout_async);
  wh_sync_client_request_async (self, "POST", "/api/v1/logout", body, cancellable, logout_done,
                                g_steal_pointer (&task));
}

gboolean
wh_sync_client_logout_finish (WhSyncClient *self,
                              GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (WH_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
