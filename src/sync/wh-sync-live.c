/* wh-sync-live.c — the desk's live connection to its district server */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "wh-sync-engine.h"
#include "wh-sync-live.h"

#define DEFAULT_INTERVAL_MS   (25 * 1000)
#define DEFAULT_TIMEOUT_MS    (60 * 1000)
#define BACKOFF_FIRST_MS      2000
#define BACKOFF_MAX_MS        (5 * 60 * 1000)

/* The server's close code for a token it no longer takes (wh-server-live.h). */
#define CLOSE_TOKEN           4001

/* What the server sends is small; anything larger is not our server. */
#define MAX_INCOMING_BYTES    (64 * 1024)

typedef enum {
  STATE_IDLE,        /* not started, or stopped */
  STATE_CONNECTING,
  STATE_OPEN,
  STATE_WAITING,     /* backing off before the next attempt */
  STATE_REFUSED,     /* the token was refused: waits for the next start */
} State;

struct _WhSyncLive {
  GObject                  parent_instance;

  WhSyncClient            *client;
  State                    state;
  GCancellable            *cancellable;   /* of the handshake under way */
  SoupWebsocketConnection *ws;
  guint                    retry_id;
  guint                    heartbeat_id;
  guint                    failures;
  gint64                   last_heard;    /* monotonic µs */
  gint64                   last_sent;
  gint64                   latest;
  gushort                  close_code;

  guint                    interval_ms;   /* as configured */
  guint                    timeout_ms;
  guint                    server_heartbeat_ms; /* as the server announced; 0: unknown */
  guint                    server_timeout_ms;
  guint                    send_every_ms; /* adapted to the server's announcement */
  guint                    silence_ms;
  guint                    backoff_first_ms;
  guint                    backoff_max_ms;
};

G_DEFINE_FINAL_TYPE (WhSyncLive, wh_sync_live, G_TYPE_OBJECT)

enum { PROP_0, PROP_CONNECTED, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { CHANGES, N_SIGNALS };
static guint signals[N_SIGNALS];

static void connect_now (WhSyncLive *self);

static void
drop_socket (WhSyncLive *self)
{
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  if (self->ws == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->ws, self);
  if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  /* A peer that does not answer the close is cut off when the last reference goes. */
  g_clear_object (&self->ws);
}

static void
set_state (WhSyncLive *self,
           State       state)
{
  gboolean was_open = self->state == STATE_OPEN;

  self->state = state;
  if (was_open != (state == STATE_OPEN))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static gboolean
retry_tick (gpointer data)
{
  WhSyncLive *self = data;

  self->retry_id = 0;
  if (self->state == STATE_WAITING)
    connect_now (self);
  return G_SOURCE_REMOVE;
}

/* After a failure: the next attempt with backoff and jitter, like the engine's runs. */
static void
wait_and_retry (WhSyncLive *self)
{
  guint delay;

  self->failures++;
  delay = wh_sync_engine_backoff_delay_full (self->failures, 0, self->backoff_first_ms,
                                             self->backoff_max_ms, NULL);
  set_state (self, STATE_WAITING);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (delay, retry_tick, self);
  g_debug ("Live: next attempt in %u ms", delay);
}

static void
wh_sync_live_dispose (GObject *object)
{
  WhSyncLive *self = WH_SYNC_LIVE (object);

  wh_sync_live_stop (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (wh_sync_live_parent_class)->dispose (object);
}

static void
wh_sync_live_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WhSyncLive *self = WH_SYNC_LIVE (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->state == STATE_OPEN);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_sync_live_class_init (WhSyncLiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_sync_live_dispose;
  object_class->get_property = wh_sync_live_get_property;

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WhSyncLive::changes:
   * @latest: the newest seq of the feed the account may read
   *
   * The server told the newest seq: when the socket opens, after each commit the account
   * may see, and with its heartbeats.
   */
  signals[CHANGES] =
    g_signal_new ("changes", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
wh_sync_live_init (WhSyncLive *self)
{
  self->interval_ms = self->send_every_ms = DEFAULT_INTERVAL_MS;
  self->timeout_ms = self->silence_ms = DEFAULT_TIMEOUT_MS;
  self->backoff_first_ms = BACKOFF_FIRST_MS;
  self->backoff_max_ms = BACKOFF_MAX_MS;
}

WhSyncLive *
wh_sync_live_new (WhSyncClient *client)
{
  WhSyncLive *self;

  g_return_val_if_fail (WH_IS_SYNC_CLIENT (client), NULL);

  self = g_object_new (WH_TYPE_SYNC_LIVE, NULL);
  self->client = g_object_ref (client);
  return self;
}

/* The open socket */

static gboolean
heartbeat_tick (gpointer data)
{
  WhSyncLive *self = data;
  gint64 now = g_get_monotonic_time ();

  if (now - self->last_heard > (gint64) self->silence_ms * 1000)
    {
      /* The server, or the path to it, is gone: TCP may not notice for many minutes. */
      g_message ("Live: nothing heard from %s for %u ms; reconnecting",
                 wh_sync_client_get_server_url (self->client), self->silence_ms);
      self->heartbeat_id = 0;
      drop_socket (self);
      wait_and_retry (self);
      return G_SOURCE_REMOVE;
    }
  if (now - self->last_sent >= (gint64) self->send_every_ms * 1000 - 1000)
    {
      soup_websocket_connection_send_text (self->ws, "{\"type\":\"heartbeat\"}");
      self->last_sent = now;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_heartbeat (WhSyncLive *self)
{
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  /* Checked twice as often as sent, so that silence is noticed soon after the timeout. */
  self->heartbeat_id = g_timeout_add (MIN (self->send_every_ms, self->silence_ms / 2 + 1),
                                      heartbeat_tick, self);
}

/* Adapts to the server's announcement: the desk must be heard within the server's timeout,
 * and must not give up on a server that beats more slowly than the desk waits. */
static void
adopt_server_timing (WhSyncLive *self)
{
  self->send_every_ms = self->interval_ms;
  self->silence_ms = self->timeout_ms;
  if (self->server_timeout_ms > 0)
    self->send_every_ms = MIN (self->send_every_ms, MAX (self->server_timeout_ms / 3, 10));
  if (self->server_heartbeat_ms > 0)
    self->silence_ms = MAX (self->silence_ms, MIN (self->server_heartbeat_ms, G_MAXUINT / 4) * 2);
  if (self->state == STATE_OPEN || self->ws != NULL)
    start_heartbeat (self);
}

static void
on_message (SoupWebsocketConnection *ws,
            int                      type,
            GBytes                  *message,
            WhSyncLive              *self)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object;
  const char *kind;
  gint64 latest;

  self->last_heard = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT || (root = wh_sync_parse_json (message, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return; /* not ours to read; a sign of life all the same */

  object = json_node_get_object (root);
  kind = json_object_get_string_member_with_default (object, "type", "");
  latest = json_object_get_int_member_with_default (object, "latest", -1);
  if (g_str_equal (kind, "hello"))
    {
      self->server_heartbeat_ms = CLAMP (json_object_get_int_member_with_default (object, "heartbeat", 0),
                                         0, G_MAXINT);
      self->server_timeout_ms = CLAMP (json_object_get_int_member_with_default (object, "timeout", 0),
                                       0, G_MAXINT);
      adopt_server_timing (self);
    }
  else if (!g_str_equal (kind, "changes") && !g_str_equal (kind, "heartbeat"))
    return;

  if (latest < 0)
    return;
  /* A heartbeat repeats what was told: news only when it is newer (a lost message). */
  if (g_str_equal (kind, "heartbeat") && latest <= self->latest)
    return;
  self->latest = MAX (self->latest, latest);
  g_signal_emit (self, signals[CHANGES], 0, latest);
}

static void
on_closed (SoupWebsocketConnection *ws,
           WhSyncLive              *self)
{
  g_autoptr (WhSyncLive) hold = g_object_ref (self);

  self->close_code = soup_websocket_connection_get_close_code (ws);
  g_message ("Live: the connection to %s closed (%u%s%s)", wh_sync_client_get_server_url (self->client),
             self->close_code, soup_websocket_connection_get_close_data (ws) ? ": " : "",
             soup_websocket_connection_get_close_data (ws) ? soup_websocket_connection_get_close_data (ws) : "");
  drop_socket (self);
  if (self->close_code == CLOSE_TOKEN)
    set_state (self, STATE_REFUSED); /* the engine's next run finds out and asks for a sign-in */
  else
    wait_and_retry (self);
}

static void
on_error (SoupWebsocketConnection *ws,
          GError                  *error,
          WhSyncLive              *self)
{
  g_message ("Live: %s", error->message);
}

/* Connecting */

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr (WhSyncLive) self = data;
  g_autoptr (GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  SoupWebsocketConnection *ws;
  guint status;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (ws == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return; /* stopped meanwhile */
      g_clear_object (&self->cancellable);
      status = msg ? soup_message_get_status (msg) : 0;
      g_message ("Live: could not connect to %s: %s (%u)", wh_sync_client_get_server_url (self->client),
                 error->message, status);
      if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
        set_state (self, STATE_REFUSED);
      else
        wait_and_retry (self);
      return;
    }

  g_clear_object (&self->cancellable);
  self->ws = ws;
  self->failures = 0;
  self->close_code = 0;
  self->last_heard = self->last_sent = g_get_monotonic_time ();
  self->server_heartbeat_ms = self->server_timeout_ms = 0;
  soup_websocket_connection_set_max_incoming_payload_size (ws, MAX_INCOMING_BYTES);
  g_signal_connect (ws, "message", G_CALLBACK (on_message), self);
  g_signal_connect (ws, "closed", G_CALLBACK (on_closed), self);
  g_signal_connect (ws, "error", G_CALLBACK (on_error), self);
  adopt_server_timing (self);
  g_message ("Live: connected to %s", wh_sync_client_get_server_url (self->client));
  set_state (self, STATE_OPEN);
}

static void
connect_now (WhSyncLive *self)
{
  g_autofree char *url = g_strconcat (wh_sync_client_get_server_url (self->client), "/api/v1/live", NULL);
  g_autoptr (SoupMessage) msg = NULL;
  const char *token = wh_sync_client_get_token (self->client);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (token == NULL)
    {
      set_state (self, STATE_REFUSED);
      return;
    }
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      set_state (self, STATE_REFUSED);
      return;
    }
  {
    g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  }

  set_state (self, STATE_CONNECTING);
  self->cancellable = g_cancellable_new ();
  soup_session_websocket_connect_async (wh_sync_client_get_session (self->client), msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, self->cancellable, connected,
                                        g_object_ref (self));
}

/* Public */

void
wh_sync_live_start (WhSyncLive *self)
{
  g_return_if_fail (WH_IS_SYNC_LIVE (self));

  if (self->state == STATE_OPEN || self->state == STATE_CONNECTING)
    return;
  /* Whoever starts it knows the server answers (the engine, after a run that went
   * through): no need to wait out a backoff. */
  self->failures = 0;
  connect_now (self);
}

void
wh_sync_live_stop (WhSyncLive *self)
{
  g_return_if_fail (WH_IS_SYNC_LIVE (self));

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  drop_socket (self);
  set_state (self, STATE_IDLE);
}

gboolean
wh_sync_live_get_connected (WhSyncLive *self)
{
  g_return_val_if_fail (WH_IS_SYNC_LIVE (self), FALSE);
  return self->state == STATE_OPEN;
}

gint64
wh_sync_live_get_latest (WhSyncLive *self)
{
  g_return_val_if_fail (WH_IS_SYNC_LIVE (self), 0);
  return self->latest;
}

gushort
wh_sync_live_get_close_code (WhSyncLive *self)
{
  g_return_val_if_fail (WH_IS_SYNC_LIVE (self), 0);
  return self->close_code;
}

void
wh_sync_live_set_heartbeat (WhSyncLive *self,
                            guint       interval_ms,
                            guint       timeout_ms)
{
  g_return_if_fail (WH_IS_SYNC_LIVE (self));

  self->interval_ms = MAX (interval_ms, 10);
  self->timeout_ms = MAX (timeout_ms, self->interval_ms + 1);
  adopt_server_timing (self);
}

void
wh_sync_live_set_backoff (WhSyncLive *self,
                          guint       first_ms,
                          guint       max_ms)
{
  g_return_if_fail (WH_IS_SYNC_LIVE (self));

  self->backoff_first_ms = MAX (first_ms, 2);
  self->backoff_max_ms = MAX (max_ms, self->backoff_first_ms);
}

void
wh_sync_live_hint (WhSyncLive *self)
{
  g_return_if_fail (WH_IS_SYNC_LIVE (self));

  /* Only a hint: the attempt itself finds out whether the server can be reached. */
  if (self->state == STATE_WAITING)
    {
      self->failures = 0;
      connect_now (self);
    }
}
