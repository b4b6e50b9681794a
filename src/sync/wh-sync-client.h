/* wh-sync-client.h — the desk's HTTP(S) connection to its district server
 *
 * One libsoup session per server: the bearer token, TLS checked against the system's
 * certificate authorities or a configured CA file, timeouts, and the server's error answers
 * ({"error": {"code", "message"}}) turned into WH_SYNC_ERROR codes that say what to do next
 * (retry later, sign in again, fix the certificate, …) with the server's words for people.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WH_SYNC_ERROR (wh_sync_error_quark ())

typedef enum {
  WH_SYNC_ERROR_NETWORK,        /* the server could not be reached: retry later */
  WH_SYNC_ERROR_TLS,            /* the server's certificate is not trusted */
  WH_SYNC_ERROR_AUTH,           /* sign in (again): no token, expired, revoked, wrong password */
  WH_SYNC_ERROR_FORBIDDEN,      /* the account may not do this (another street) */
  WH_SYNC_ERROR_RATE_LIMITED,   /* too many requests or sign-ins: retry after the server's delay */
  WH_SYNC_ERROR_SERVER,         /* the server failed (5xx): retry later */
  WH_SYNC_ERROR_PROTOCOL,       /* an answer the desk cannot read */
  WH_SYNC_ERROR_REFUSED,        /* the server refused the request itself (another 4xx) */
  WH_SYNC_ERROR_BAD_CHANGE,     /* the server could not read a change of the batch (400 invalid_op) */
  WH_SYNC_ERROR_CACHE,          /* the local cache: wrong server or street, storage failure */
  WH_SYNC_ERROR_NOT_CONFIGURED, /* no server address */
} WhSyncError;

GQuark wh_sync_error_quark (void);

/* Whether trying again later may help (network, rate limit, server failure, protocol). */
gboolean wh_sync_error_is_transient (const GError *error);

/* Who signed in, as the server's login answer says. */
typedef struct {
  char   *token;
  gint64  expires_at;      /* UTC microseconds */
  char   *name;
  char   *display_name;
  char   *role;
  char   *street_id;       /* NULL: a district account */
  char   *unit_id;
} WhSyncLogin;

void wh_sync_login_free (WhSyncLogin *login);

#define WH_TYPE_SYNC_CLIENT (wh_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (WhSyncClient, wh_sync_client, WH, SYNC_CLIENT, GObject)

/**
 * wh_sync_client_new:
 * @server_url: http:// or https:// and a host, without a path
 * @error: %WH_SYNC_ERROR_NOT_CONFIGURED when @server_url is not such an address
 *
 * Returns: (transfer full): a client with TLS checked against the system's store
 */
WhSyncClient *wh_sync_client_new              (const char          *server_url,
                                               GError             **error);

/* The address, normalised (no trailing slash): the key of the cache and of the token. */
const char   *wh_sync_client_get_server_url   (WhSyncClient        *self);

/**
 * wh_sync_client_set_ca_file:
 * @ca_file: (nullable): PEM file of the authorities to trust instead of the system's; %NULL
 *   goes back to the system's store
 *
 * Returns: FALSE with @error (%WH_SYNC_ERROR_TLS) when the file cannot be read
 */
gboolean      wh_sync_client_set_ca_file      (WhSyncClient        *self,
                                               const char          *ca_file,
                                               GError             **error);

void          wh_sync_client_set_token        (WhSyncClient        *self,
                                               const char          *token);
const char   *wh_sync_client_get_token        (WhSyncClient        *self);

/* Seconds the server asked to wait (Retry-After) with its last 429 or 503; 0 when none. */
guint         wh_sync_client_get_retry_after  (WhSyncClient        *self);

/* The libsoup session (a SoupSession): the live connection (wh-sync-live.h) shares its TLS
 * settings and timeouts. */
struct _SoupSession *wh_sync_client_get_session (WhSyncClient *self);

/* Seconds each request may take before it fails with %WH_SYNC_ERROR_NETWORK. */
void          wh_sync_client_set_timeout      (WhSyncClient        *self,
                                               guint                seconds);

/**
 * wh_sync_client_request_async:
 * @method: "GET" or "POST"
 * @path: the path and query under the server, e.g. "/api/v1/changes?since=0"
 * @body: (nullable): a JSON body for POST
 *
 * Sends the request with the token. Finishes with the body of a 2xx answer; any other
 * answer, a transport failure or a certificate that is not trusted is a WH_SYNC_ERROR.
 */
void          wh_sync_client_request_async    (WhSyncClient        *self,
                                               const char          *method,
                                               const char          *path,
                                               GBytes              *body,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GBytes       *wh_sync_client_request_finish   (WhSyncClient        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Signs in with a password; on success the client keeps the token for its requests. */
void          wh_sync_client_login_async      (WhSyncClient        *self,
                                               const char          *user,
                                               const char          *password,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
WhSyncLogin  *wh_sync_client_login_finish     (WhSyncClient        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Revokes the client's token on the server, and forgets it. */
void          wh_sync_client_logout_async     (WhSyncClient        *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      wh_sync_client_logout_finish    (WhSyncClient        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Parses an answer body; %WH_SYNC_ERROR_PROTOCOL when it is not JSON. Any thread. */
JsonNode     *wh_sync_parse_json              (GBytes              *body,
                                               GError             **error);

/* The code and message of an {"error": {"code", "message"}} answer body; NULL for what it
 * does not say. Any thread. */
void          wh_sync_read_error_answer       (GBytes              *body,
                                               char               **code,
                                               char               **message);

/* What a refused answer of HTTP @status means to the desk (never called for 2xx). */
WhSyncError   wh_sync_error_for_status        (guint                status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhSyncLogin, wh_sync_login_free)

G_END_DECLS
