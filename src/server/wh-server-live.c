/* wh-server-live.c — live updates: a WebSocket that tells desks "new changes up to seq N"
 *
 * Runs on the server's main loop like everything else, so a notification is sent only after
 * the commit it announces: a desk that pulls when told finds the change.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-server-live.h"
#include "wh-server-locale.h"

/* Enough for a desk that reconnects while its old socket is still timing out. */
#define MAX_SOCKETS_PER_TOKEN 4
#define MAX_SOCKETS           2048

/* What a desk may send: heartbeats. Anything larger is a misbehaving peer. */
#define MAX_INCOMING_BYTES    4096

/* A close frame's reason has at most 123 bytes (RFC 6455 5.5). */
#define MAX_REASON_BYTES      123

struct _WhServerLive {
  GObject         parent_instance;

  WhAccountStore *accounts;
  WhChangeFeed   *feed;
  guint           heartbeat_ms;
  guint           timeout_ms;

  GPtrArray      *sockets;        /* of Socket: open, or closing but not closed yet */
  guint           heartbeat_id;

  /* Streets with commits not told yet; told from an idle, once for all of them. */
  GHashTable     *dirty;
  gboolean        dirty_all;
  guint           notify_id;
};

G_DEFINE_FINAL_TYPE (WhServerLive, wh_server_live, G_TYPE_OBJECT)

typedef struct {
  WhAccount *account;
  char      *token;
} Ticket;

typedef struct {
  WhServerLive            *live;       /* not a reference: the live object owns its sockets */
  SoupWebsocketConnection *ws;
  WhAccount               *account;
  char                    *token;
  char                    *peer;
  locale_t                 locale;     /* the handshake's language, for close reasons */
  gint64                   told;       /* the newest seq this socket was told */
  gint64                   last_heard; /* monotonic µs */
  gboolean                 closing;    /* no more messages; waiting for "closed" */
} Socket;

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
ticket_free (Ticket *ticket)
{
  wh_account_free (ticket->account);
  wipe_free (ticket->token);
  g_free (ticket);
}

static void
socket_free (Socket *socket)
{
  g_signal_handlers_disconnect_by_data (socket->ws, socket);
  g_object_unref (socket->ws);
  wh_account_free (socket->account);
  wipe_free (socket->token);
  g_free (socket->peer);
  g_free (socket);
}

static void
wh_server_live_dispose (GObject *object)
{
  WhServerLive *self = WH_SERVER_LIVE (object);

  wh_server_live_close_all (self);
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  g_clear_handle_id (&self->notify_id, g_source_remove);
  /* Their sockets close by themselves; nothing of ours may be called back any more. */
  g_clear_pointer (&self->sockets, g_ptr_array_unref);
  g_clear_pointer (&self->dirty, g_hash_table_unref);
  g_clear_object (&self->accounts);
  g_clear_object (&self->feed);

  G_OBJECT_CLASS (wh_server_live_parent_class)->dispose (object);
}

static void
wh_server_live_class_init (WhServerLiveClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_server_live_dispose;
}

static void
wh_server_live_init (WhServerLive *self)
{
  self->sockets = g_ptr_array_new_with_free_func ((GDestroyNotify) socket_free);
  self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

WhServerLive *
wh_server_live_new (WhAccountStore *accounts,
                    WhChangeFeed   *feed,
                    guint           heartbeat_ms,
                    guint           timeout_ms)
{
  WhServerLive *self;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (accounts), NULL);
  g_return_val_if_fail (WH_IS_CHANGE_FEED (feed), NULL);

  self = g_object_new (WH_TYPE_SERVER_LIVE, NULL);
  self->accounts = g_object_ref (accounts);
  self->feed = g_object_ref (feed);
  self->heartbeat_ms = MAX (heartbeat_ms, 10);
  self->timeout_ms = MAX (timeout_ms, self->heartbeat_ms + 1);
  return self;
}

/* Sending */

static void
send_message (Socket     *socket,
              const char *type,
              gint64      latest)
{
  g_autofree char *text = NULL;

  if (socket->closing ||
      soup_websocket_connection_get_state (socket->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  text = g_strdup_printf ("{\"type\":\"%s\",\"latest\":%" G_GINT64_FORMAT "}", type, latest);
  soup_websocket_connection_send_text (socket->ws, text);
}

/* Closes with @code and a reason in the desk's language; the socket is forgotten once
 * libsoup says it is closed (at the latest 5 s on, when the peer does not answer). */
static void
close_socket (Socket     *socket,
              gushort     code,
              const char *reason)
{
  g_autofree char *text = g_strdup (reason ? reason : "");

  if (socket->closing)
    return;
  socket->closing = TRUE;
  if (strlen (text) > MAX_REASON_BYTES)
    {
      const char *end = text + MAX_REASON_BYTES;

      /* Cut at a character boundary: the reason must stay valid UTF-8. */
      while (end > text && (*end & 0xC0) == 0x80)
        end--;
      text[end - text] = '\0';
    }
  g_message ("Live: closing %s's socket from %s (%u: %s)", socket->account->name, socket->peer,
             code, reason ? reason : "");
  if (soup_websocket_connection_get_state (socket->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (socket->ws, code, text);
}

/* Heartbeats */

static gboolean
heartbeat_tick (gpointer data)
{
  WhServerLive *self = data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr (GPtrArray) silent = g_ptr_array_new ();
  g_autoptr (GPtrArray) refused = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) refused_sockets = g_ptr_array_new ();

  for (guint i = 0; i < self->sockets->len; i++)
    {
      Socket *socket = g_ptr_array_index (self->sockets, i);
      g_autoptr (WhAccount) account = NULL;
      g_autoptr (GError) error = NULL;
      locale_t previous;

      if (socket->closing)
        continue;
      if (now - socket->last_heard > (gint64) self->timeout_ms * 1000)
        {
          g_ptr_array_add (silent, socket);
          continue;
        }
      /* A revoked or expired token must not keep hearing about the street. The reason is
       * for the desk: in its language. */
      previous = uselocale (socket->locale);
      account = wh_account_store_authenticate (self->accounts, socket->token, g_get_real_time (), &error);
      uselocale (previous);
      if (account == NULL && error->domain == WH_ACCOUNT_ERROR)
        {
          g_ptr_array_add (refused_sockets, socket);
          g_ptr_array_add (refused, g_strdup (error->message));
          continue;
        }
      if (account == NULL)
        g_warning ("Live: could not check %s's token: %s", socket->account->name, error->message);
      send_message (socket, "heartbeat", socket->told);
    }

  /* Closed after the walk: closing may call back into the list. */
  for (guint i = 0; i < silent->len; i++)
    {
      Socket *socket = g_ptr_array_index (silent, i);
      locale_t previous = uselocale (socket->locale);

      close_socket (socket, WH_LIVE_CLOSE_SILENT, _("Nothing was heard from the desk for too long."));
      uselocale (previous);
    }
  for (guint i = 0; i < refused_sockets->len; i++)
    close_socket (g_ptr_array_index (refused_sockets, i), WH_LIVE_CLOSE_TOKEN,
                  g_ptr_array_index (refused, i));

  if (self->sockets->len == 0)
    {
      self->heartbeat_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Notifications */

static gboolean
notify_idle (gpointer data)
{
  WhServerLive *self = data;
  /* One look at the feed per street (NULL: a district account's every street). */
  g_autoptr (GHashTable) latest = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  gint64 all_streets = -1;

  self->notify_id = 0;
  for (guint i = 0; i < self->sockets->len; i++)
    {
      Socket *socket = g_ptr_array_index (self->sockets, i);
      const char *street = socket->account->street_id;
      g_autoptr (GError) error = NULL;
      gint64 *cached = NULL;
      gint64 seq;

      if (socket->closing)
        continue;
      /* A street's socket hears only of its own street; a district socket of any. */
      if (!self->dirty_all && street != NULL && !g_hash_table_contains (self->dirty, street))
        continue;

      if (street == NULL && all_streets >= 0)
        seq = all_streets;
      else if (street != NULL && (cached = g_hash_table_lookup (latest, street)) != NULL)
        seq = *cached;
      else
        {
          seq = wh_change_feed_latest (self->feed, street, &error);
          if (error != NULL)
            {
              g_warning ("Live: could not read the feed: %s", error->message);
              break;
            }
          if (street == NULL)
            all_streets = seq;
          else
            g_hash_table_insert (latest, (gpointer) street, g_memdup2 (&seq, sizeof seq));
        }

      if (seq > socket->told)
        {
          socket->told = seq;
          send_message (socket, "changes", seq);
        }
    }
  g_hash_table_remove_all (self->dirty);
  self->dirty_all = FALSE;
  return G_SOURCE_REMOVE;
}

void
wh_server_live_notify (WhServerLive *self,
                       const char   *street_id)
{
  g_return_if_fail (WH_IS_SERVER_LIVE (self));

  if (self->sockets->len == 0)
    return;
  if (street_id == NULL)
    self->dirty_all = TRUE;
  else if (!g_hash_table_contains (self->dirty, street_id))
    g_hash_table_add (self->dirty, g_strdup (street_id));
  /* Commits handled in the same turn of the main loop are told together. */
  if (self->notify_id == 0)
    self->notify_id = g_idle_add_full (G_PRIORITY_DEFAULT, notify_idle, self, NULL);
}

/* Sockets */

static void
on_message (SoupWebsocketConnection *ws,
            int                      type,
            GBytes                  *message,
            Socket                  *socket)
{
  /* Any message is a sign of life; the desk sends heartbeats and nothing else. */
  socket->last_heard = g_get_monotonic_time ();
}

static void
on_error (SoupWebsocketConnection *ws,
          GError                  *error,
          Socket                  *socket)
{
  g_message ("Live: %s's socket from %s: %s", socket->account->name, socket->peer, error->message);
}

static void
on_closed (SoupWebsocketConnection *ws,
           Socket                  *socket)
{
  WhServerLive *self = socket->live;

  g_message ("Live: %s's socket from %s closed (%u); %u open", socket->account->name, socket->peer,
             soup_websocket_connection_get_close_code (ws), self->sockets->len - 1);
  g_ptr_array_remove (self->sockets, socket);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  WhServerLive *self = user_data;
  Ticket *ticket = g_object_steal_data (G_OBJECT (msg), "wh-live-ticket");
  g_autoptr (GError) error = NULL;
  g_autofree char *hello = NULL;
  Socket *socket;

  if (ticket == NULL)
    {
      /* The normal handler did not admit it: cannot happen while wh-server.c calls
       * wh_server_live_admit() before letting a handshake through. */
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, NULL);
      return;
    }

  socket = g_new0 (Socket, 1);
  socket->live = self;
  socket->ws = g_object_ref (ws);
  socket->account = g_steal_pointer (&ticket->account);
  socket->token = g_steal_pointer (&ticket->token);
  socket->peer = g_strdup (soup_server_message_get_remote_host (msg));
  socket->locale = wh_server_locale_for_request (msg);
  socket->last_heard = g_get_monotonic_time ();
  ticket_free (ticket);

  soup_websocket_connection_set_max_incoming_payload_size (ws, MAX_INCOMING_BYTES);
  g_signal_connect (ws, "message", G_CALLBACK (on_message), socket);
  g_signal_connect (ws, "error", G_CALLBACK (on_error), socket);
  g_signal_connect (ws, "closed", G_CALLBACK (on_closed), socket);
  g_ptr_array_add (self->sockets, socket);

  socket->told = wh_change_feed_latest (self->feed, socket->account->street_id, &error);
  if (error != NULL)
    g_warning ("Live: could not read the feed: %s", error->message);
  hello = g_strdup_printf ("{\"type\":\"hello\",\"latest\":%" G_GINT64_FORMAT ",\"heartbeat\":%u,"
                           "\"timeout\":%u}", socket->told, self->heartbeat_ms, self->timeout_ms);
  soup_websocket_connection_send_text (ws, hello);

  g_message ("Live: %s (street %s) connected from %s; %u open", socket->account->name,
             socket->account->street_id ? socket->account->street_id : "all", socket->peer,
             self->sockets->len);
  if (self->heartbeat_id == 0)
    self->heartbeat_id = g_timeout_add (self->heartbeat_ms, heartbeat_tick, self);
}

void
wh_server_live_attach (WhServerLive *self,
                       SoupServer   *soup,
                       const char   *path)
{
  g_return_if_fail (WH_IS_SERVER_LIVE (self));
  g_return_if_fail (SOUP_IS_SERVER (soup));

  /* No origin check and no subprotocol: desks are not browsers, and the bearer token,
   * checked by the normal handler, is what admits a socket. */
  soup_server_add_websocket_handler (soup, path, NULL, NULL, on_websocket, self, NULL);
}

gboolean
wh_server_live_admit (WhServerLive      *self,
                      SoupServerMessage *msg,
                      const WhAccount   *account,
                      const char        *token)
{
  Ticket *ticket;
  guint same_token = 0;

  g_return_val_if_fail (WH_IS_SERVER_LIVE (self), FALSE);
  g_return_val_if_fail (account != NULL && token != NULL, FALSE);

  if (self->sockets->len >= MAX_SOCKETS)
    return FALSE;
  for (guint i = 0; i < self->sockets->len; i++)
    {
      Socket *socket = g_ptr_array_index (self->sockets, i);

      same_token += !socket->closing && g_str_equal (socket->token, token);
    }
  if (same_token >= MAX_SOCKETS_PER_TOKEN)
    return FALSE;

  ticket = g_new0 (Ticket, 1);
  ticket->account = wh_account_copy (account);
  ticket->token = g_strdup (token);
  g_object_set_data_full (G_OBJECT (msg), "wh-live-ticket", ticket, (GDestroyNotify) ticket_free);
  return TRUE;
}

guint
wh_server_live_get_count (WhServerLive *self)
{
  g_return_val_if_fail (WH_IS_SERVER_LIVE (self), 0);
  return self->sockets->len;
}

void
wh_server_live_close_all (WhServerLive *self)
{
  g_autoptr (GPtrArray) open = NULL;

  g_return_if_fail (WH_IS_SERVER_LIVE (self));

  if (self->sockets == NULL)
    return;
  open = g_ptr_array_copy (self->sockets, NULL, NULL);
  for (guint i = 0; i < open->len; i++)
    {
      Socket *socket = g_ptr_array_index (open, i);
      locale_t previous = uselocale (socket->locale);

      close_socket (socket, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, _("The district server is stopping."));
      uselocale (previous);
    }
}
