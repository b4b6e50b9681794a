/* wh-sync-live.h — the desk's live connection to its district server
 *
 * A WebSocket to GET /api/v1/live (see src/server/wh-server-live.h) over which the server
 * says "the feed you may read now goes up to seq N"; the sync engine then pulls. The socket
 * carries no data of its own, so losing it loses nothing: the engine polls while it is down.
 *
 * The connection keeps itself up while started: it reconnects with backoff and jitter after
 * a failure, and stops trying after a refusal of the token until it is started again (the
 * engine does that after each successful run). libsoup 3.2 never notices a silent peer, so
 * both ends send an application heartbeat, and the desk drops a socket that has been silent
 * for longer than the timeout (a server behind a dead network path, a stopped process).
 */
#pragma once

#include <gio/gio.h>

#include "wh-sync-client.h"

G_BEGIN_DECLS

#define WH_TYPE_SYNC_LIVE (wh_sync_live_get_type ())
G_DECLARE_FINAL_TYPE (WhSyncLive, wh_sync_live, WH, SYNC_LIVE, GObject)

/* Uses @client's session (TLS settings, timeouts) and its token at each connection. */
WhSyncLive *wh_sync_live_new           (WhSyncClient *client);

/* Connects now unless connected or connecting, and keeps the connection up from then on. */
void        wh_sync_live_start         (WhSyncLive   *self);

/* Closes the connection and stops reconnecting. */
void        wh_sync_live_stop          (WhSyncLive   *self);

/* Whether the socket is open (the ::connected property). */
gboolean    wh_sync_live_get_connected (WhSyncLive   *self);

/* The newest seq the server told, 0 before it told any. */
gint64      wh_sync_live_get_latest    (WhSyncLive   *self);

/**
 * wh_sync_live_set_heartbeat:
 * @interval_ms: how often the desk sends a heartbeat (25 s by default)
 * @timeout_ms: a socket silent for longer is dropped (60 s by default)
 *
 * Each is adapted to what the server announces, so that neither end drops a healthy socket:
 * the desk sends at least three times within the server's timeout, and waits for at least
 * two of the server's heartbeats.
 */
void        wh_sync_live_set_heartbeat (WhSyncLive   *self,
                                        guint         interval_ms,
                                        guint         timeout_ms);

/* The first wait before reconnecting after a failure and the longest (2 s, 5 min). */
void        wh_sync_live_set_backoff   (WhSyncLive   *self,
                                        guint         first_ms,
                                        guint         max_ms);

/* The network changed (a hint only): a connection that is down is tried again now. */
void        wh_sync_live_hint          (WhSyncLive   *self);

/* The close code of the last socket that closed (4000, 4001 …; 0 when none). */
gushort     wh_sync_live_get_close_code (WhSyncLive  *self);

G_END_DECLS
