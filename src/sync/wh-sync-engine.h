/* wh-sync-engine.h — the desk's sync with its district server: push, pull, conflicts
 *
 * One run of the engine:
 *   1. on the first sync (and every few hours after) the street's organisation;
 *   2. push: the outbox in replay order, in batches (POST /api/v1/ops); each answer is stored
 *      for exactly its op (see WhSyncStore); a batch that does not get through stays whole;
 *   3. pull: the changes feed from the stored cursor (GET /api/v1/changes), each page written
 *      together with its cursor in one transaction, the next page already downloading while
 *      one is written.
 *
 * The engine works on a connection of its own to the cache, in worker threads, so the desk
 * never waits on the network or on a big first sync; the pages read through their own
 * connection and learn of new data from ::incidents-changed. It can run once
 * (wh_sync_engine_sync_async(), for `whistlectl sync-once`) or by itself
 * (wh_sync_engine_start()): after each success it polls again after a while; after a failure
 * it waits with exponential backoff and jitter; a network change is only a hint that makes
 * it try sooner, and only a real request decides whether the server can be reached. Running
 * by itself, it also keeps a live connection (wh-sync-live.h) once a run went through, pulls
 * as soon as the server tells of changes, and polls only rarely while that connection is up.
 */
#pragma once

#include <gio/gio.h>

#include "wh-sync-client.h"
#include "wh-sync-live.h"
#include "wh-sync-store.h"

G_BEGIN_DECLS

typedef enum {
  WH_SYNC_STATUS_OFFLINE,         /* not synced yet, or the server cannot be reached now */
  WH_SYNC_STATUS_SYNCING,
  WH_SYNC_STATUS_ONLINE,          /* the last run went through */
  WH_SYNC_STATUS_SIGN_IN_NEEDED,  /* no token, or the server no longer takes it */
  WH_SYNC_STATUS_FAILED,          /* needs somebody: a certificate, the wrong cache, … */
} WhSyncStatus;

#define WH_TYPE_SYNC_STATUS (wh_sync_status_get_type ())
GType wh_sync_status_get_type (void);

/* What a run did. */
typedef struct {
  gboolean     first_sync;   /* the organisation was fetched into a cache without one */
  WhPushCounts pushed;
  guint        batches;
  guint        pulled;       /* changes written */
  guint        pages;
  gint64       cursor;       /* the feed cursor afterwards */
  guint        waiting;      /* ops still in the outbox */
  guint        conflicts;    /* open conflicts */
} WhSyncReport;

#define WH_TYPE_SYNC_ENGINE (wh_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (WhSyncEngine, wh_sync_engine, WH, SYNC_ENGINE, GObject)

/**
 * wh_sync_engine_new:
 * @cache_path: the desk's cache; the engine opens a connection of its own
 * @client: the connection to the server, with its token set (or set later)
 * @user_name: who signs in; the cache remembers it
 *
 * Returns: (transfer full): the engine, or %NULL when the cache cannot be opened
 */
WhSyncEngine *wh_sync_engine_new              (const char          *cache_path,
                                               WhSyncClient        *client,
                                               const char          *user_name,
                                               GError             **error);

WhSyncClient *wh_sync_engine_get_client       (WhSyncEngine        *self);
WhSyncStatus  wh_sync_engine_get_status       (WhSyncEngine        *self);
guint         wh_sync_engine_get_pending      (WhSyncEngine        *self);
guint         wh_sync_engine_get_conflicts    (WhSyncEngine        *self);
gint64        wh_sync_engine_get_last_success (WhSyncEngine        *self);
const char   *wh_sync_engine_get_last_error   (WhSyncEngine        *self);
double        wh_sync_engine_get_progress     (WhSyncEngine        *self);

/* Changes per page of the feed (1–1000; 1000 by default) and ops per batch (1–500; 200). */
void          wh_sync_engine_set_page_size    (WhSyncEngine        *self,
                                               guint                changes);
void          wh_sync_engine_set_batch_size   (WhSyncEngine        *self,
                                               guint                ops);

/* Reads the counts and the last success back from the cache (after the desk wrote to it). */
void          wh_sync_engine_refresh          (WhSyncEngine        *self);

/**
 * wh_sync_engine_sync_async:
 * @cancellable: (nullable): stops the run between steps; a page being written is finished
 *   or rolled back whole
 *
 * Runs once: organisation when needed, push, pull. While a run is under way, the request
 * waits for the next run, so it sees everything written before it was made.
 */
void          wh_sync_engine_sync_async       (WhSyncEngine        *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      wh_sync_engine_sync_finish      (WhSyncEngine        *self,
                                               GAsyncResult        *result,
                                               WhSyncReport        *report,
                                               GError             **error);

/* Runs by itself from now on (see above), until wh_sync_engine_stop(). */
void          wh_sync_engine_start            (WhSyncEngine        *self);
void          wh_sync_engine_stop             (WhSyncEngine        *self);

/* The desk changed something: push soon (debounced), unless the engine is backing off. */
void          wh_sync_engine_schedule         (WhSyncEngine        *self);

/* Seconds between polls while all is well (60 by default). */
void          wh_sync_engine_set_poll_interval (WhSyncEngine       *self,
                                                guint               seconds);

/* The network monitor whose changes hint that the server may be reachable again; the
 * system's by default (tests give one of their own). Takes effect at the next start. */
void          wh_sync_engine_set_network_monitor (WhSyncEngine     *self,
                                                  GNetworkMonitor  *monitor);

/* The first wait after a failure and the longest (2 s and 5 min by default); the live
 * connection reconnects with the same. */
void          wh_sync_engine_set_backoff      (WhSyncEngine        *self,
                                               guint                first_ms,
                                               guint                max_ms);

/* The live connection: started (and kept up) after each run that went through while the
 * engine runs by itself, stopped with wh_sync_engine_stop(). */
WhSyncLive   *wh_sync_engine_get_live         (WhSyncEngine        *self);

/* Seconds between polls while the live connection is up (600 by default). */
void          wh_sync_engine_set_live_poll_interval (WhSyncEngine  *self,
                                                     guint          seconds);

/**
 * wh_sync_engine_backoff_delay:
 * @failures: failed runs in a row, 1 or more
 * @retry_after: seconds the server asked to wait, or 0
 * @rand: (nullable): for the jitter; %NULL uses the global generator
 *
 * Returns: milliseconds to wait: 2 s doubled with each failure up to 5 min, a random point
 *   in the upper half of that (so that desks of a district that lost the network together
 *   do not come back in step), and never less than @retry_after
 */
guint         wh_sync_engine_backoff_delay    (guint                failures,
                                               guint                retry_after,
                                               GRand               *rand);

/* The same with other bounds than the defaults. */
guint         wh_sync_engine_backoff_delay_full (guint              failures,
                                                 guint              retry_after,
                                                 guint              first_ms,
                                                 guint              max_ms,
                                                 GRand             *rand);

/* Conflicts, through the engine's connection (see WhSyncStore). */
GPtrArray    *wh_sync_engine_list_conflicts   (WhSyncEngine        *self,
                                               gboolean             open_only,
                                               GError             **error);

/**
 * wh_sync_engine_resolve:
 *
 * Resolves a conflict (see wh_sync_store_resolve()) and, when the engine runs by itself,
 * sends the resolution soon.
 */
gboolean      wh_sync_engine_resolve          (WhSyncEngine        *self,
                                               gint64               conflict_id,
                                               WhResolution         resolution,
                                               const WhActor       *actor,
                                               JsonObject          *fields,
                                               const char          *note,
                                               char               **op_id,
                                               GError             **error);

/**
 * wh_sync_engine_fetch_attachment_async:
 * @hash: an attachment the cache knows of (described by the changes feed)
 *
 * Fetches the bytes of @hash from the server (GET /api/v1/attachments/HASH) when the cache
 * does not have them yet, checks that they are what was asked for (their hash and type) and
 * stores them in the cache (WhAttachmentStore). Code in wh-sync-attachments.c.
 */
void          wh_sync_engine_fetch_attachment_async  (WhSyncEngine        *self,
                                                      const char          *hash,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);

/* Returns: (transfer full): the bytes, or %NULL with a WH_SYNC_ERROR (the server could not
 * be reached, …), WH_ATTACHMENT_ERROR_NOT_FOUND (the server has none the account may read)
 * or _HASH_MISMATCH */
GBytes       *wh_sync_engine_fetch_attachment_finish (WhSyncEngine        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
