/* wh-server.h — the district server's HTTP(S) face: API v1 on a SoupServer
 *
 *   POST /api/v1/login         {"user", "password"} → {"token", "expires_at", "account"}
 *   POST /api/v1/logout        revokes the bearer token it is sent with
 *   GET  /api/v1/session       the account behind the bearer token
 *   POST /api/v1/ops           {"ops": [op, …]} → {"results": [answer, …], "latest"}
 *   GET  /api/v1/changes       ?since=SEQ&limit=N[&street=CODE] → a page of the feed
 *   GET  /api/v1/organisation  [?street=CODE] → the street's organisation
 *   GET  /api/v1/live          WebSocket: "new changes up to seq N" (wh-server-live.h)
 *   POST /api/v1/attachments   a photo or PDF's bytes → {"hash", …}; GET / HEAD
 *        /api/v1/attachments/HASH  the bytes / whether the server has them
 *                              (wh-server-attachments.h)
 *
 * Every error is {"error": {"code", "message"}} with a 4xx or 5xx status (the table is in
 * README.md next to this file). The formats of ops, answers, incidents, events and the feed
 * are those of wh-wire.h and wh-op.h.
 */
#pragma once

#include <gio/gio.h>

#include "wh-db.h"

G_BEGIN_DECLS

typedef struct {
  gsize   max_body_bytes;  /* a request body larger than this gets 413 */
  guint   max_batch_ops;   /* a batch with more ops gets 413 */
  gint64  token_lifetime;  /* microseconds a bearer token stays valid */
  double  rate;            /* requests per second per token */
  guint   burst;           /* requests a token may spend at once */
  double  login_rate;      /* sign-in attempts per second per remote address */
  guint   login_burst;
  guint   page_default;    /* changes per page when the client does not say */
  guint   page_max;
  guint   live_heartbeat_ms; /* a heartbeat on each live socket this often */
  guint   live_timeout_ms;   /* a live socket silent for longer is closed */
} WhServerLimits;

/* 1 MiB bodies, 500 ops a batch, 12-hour tokens, 20 requests/s with bursts of 100, sign-ins
 * 2/s with bursts of 30, pages of 200 changes and at most 1000, live heartbeats every 25 s
 * and 60 s of silence before a live socket is closed. */
void      wh_server_limits_init     (WhServerLimits        *limits);

#define WH_TYPE_SERVER (wh_server_get_type ())
G_DECLARE_FINAL_TYPE (WhServer, wh_server, WH, SERVER, GObject)

/**
 * wh_server_new:
 * @db: the server's database
 * @limits: (nullable): %NULL for the defaults
 * @error: when @db is a desk's cache, or cannot be prepared
 *
 * Claims @db for the server and enters incidents that are not in the changes feed yet
 * (a demo district loaded by the admin command).
 *
 * Returns: (transfer full): the server, not yet listening, or %NULL
 */
WhServer *wh_server_new             (WhDb                  *db,
                                     const WhServerLimits  *limits,
                                     GError               **error);

/**
 * wh_server_listen:
 * @address: an IP address to listen on ("127.0.0.1", "::", "0.0.0.0" …)
 * @port: the port; 0 picks a free one (see wh_server_dup_url())
 * @certificate: (nullable): serve HTTPS with this certificate; %NULL serves plain HTTP
 */
gboolean  wh_server_listen          (WhServer              *self,
                                     const char            *address,
                                     guint                  port,
                                     GTlsCertificate       *certificate,
                                     GError               **error);

/* Returns: (transfer full): the base URL it listens on, "http(s)://ADDRESS:PORT" */
char     *wh_server_dup_url         (WhServer              *self);

/* Stops listening and drops the open connections. */
void      wh_server_stop            (WhServer              *self);

/* Fault injection for the crash tests: the process kills itself with SIGKILL right after
 * committing its @n_ops-th op (0: never). Never set in production. */
void      wh_server_set_kill_after  (WhServer              *self,
                                     guint                  n_ops);

G_END_DECLS
