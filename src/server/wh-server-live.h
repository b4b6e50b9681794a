/* wh-server-live.h — live updates: a WebSocket that tells desks "new changes up to seq N"
 *
 *   GET /api/v1/live  (WebSocket upgrade, Authorization: Bearer TOKEN)
 *
 * The socket carries no incidents: it only says that the changes feed the token may read has
 * grown, and the desk pulls GET /api/v1/changes as usual. So a desk that misses a message
 * loses nothing but a moment, and street isolation is the feed's own: each socket is told the
 * newest seq of exactly what its account may read.
 *
 * Messages are JSON text frames:
 *   server → desk  {"type": "hello", "latest": N, "heartbeat": MS, "timeout": MS}
 *                  {"type": "changes", "latest": N}       after a commit it may see
 *                  {"type": "heartbeat", "latest": N}     every heartbeat interval
 *   desk → server  {"type": "heartbeat"}                   every heartbeat interval
 *
 * libsoup 3.2 sends pings but never notices missing pongs, so each side keeps its own
 * application heartbeat and closes a socket that has been silent for longer than the
 * timeout (close code 4000). The token is checked again at every heartbeat: a socket whose
 * token expired or was revoked is closed with 4001, and the desk signs in again.
 */
#pragma once

#include <libsoup/soup.h>

#include "wh-account-store.h"
#include "wh-change-feed.h"

G_BEGIN_DECLS

/* Close codes of the live socket (RFC 6455 leaves 4000–4999 to applications). */
#define WH_LIVE_CLOSE_SILENT        4000  /* nothing heard for longer than the timeout */
#define WH_LIVE_CLOSE_TOKEN         4001  /* the token expired or was revoked: sign in again */

#define WH_TYPE_SERVER_LIVE (wh_server_live_get_type ())
G_DECLARE_FINAL_TYPE (WhServerLive, wh_server_live, WH, SERVER_LIVE, GObject)

/**
 * wh_server_live_new:
 * @heartbeat_ms: how often each socket gets a heartbeat
 * @timeout_ms: a socket silent for longer is closed; more than @heartbeat_ms
 */
WhServerLive *wh_server_live_new        (WhAccountStore     *accounts,
                                         WhChangeFeed       *feed,
                                         guint               heartbeat_ms,
                                         guint               timeout_ms);

/* Adds the WebSocket handler for @path to @soup. The normal handler of @path must
 * authenticate the request and call wh_server_live_admit() first. */
void          wh_server_live_attach     (WhServerLive       *self,
                                         SoupServer         *soup,
                                         const char         *path);

/**
 * wh_server_live_admit:
 * @account: who signed in with @token
 * @token: the bearer token of the request, checked again at every heartbeat
 *
 * Lets the WebSocket handshake of @msg go on for @account. %FALSE when there are too many
 * live sockets (for this token, or at all); then nothing is kept and the caller answers.
 */
gboolean      wh_server_live_admit      (WhServerLive       *self,
                                         SoupServerMessage  *msg,
                                         const WhAccount    *account,
                                         const char         *token);

/**
 * wh_server_live_notify:
 * @street_id: (nullable): the street whose incidents changed; %NULL when it may be any
 *
 * Call after committing changes to the feed (ops, Open311 requests, …). The sockets that
 * may read @street_id are told their new latest seq soon after, once for all commits made
 * meanwhile; a socket is never told about a street its account may not read.
 */
void          wh_server_live_notify     (WhServerLive       *self,
                                         const char         *street_id);

/* Open live sockets. */
guint         wh_server_live_get_count  (WhServerLive       *self);

/* Closes every live socket (the server stops: 1001 "going away"). */
void          wh_server_live_close_all  (WhServerLive       *self);

G_END_DECLS
