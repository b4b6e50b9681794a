/* wh-sync-store.h — the desk's side of sync in its cache: outbox, cursor, conflicts
 *
 * Everything the sync engine (src/sync) writes goes through here, so that all SQL stays in
 * the store layer and every step is one transaction:
 *
 *   - the server's answers to a batch of ops: an outbox row is deleted only when the answer
 *     for exactly that op id is stored; a conflict or a rejection moves the op to the
 *     conflicts list (sync_conflict) instead of dropping it;
 *   - one page of the changes feed together with the new cursor;
 *   - the organisation of the street on the first sync.
 *
 * Events the desk wrote itself are drafts (sync_draft_event) until the server's timeline
 * arrives: the server may have put somebody else's event in between, so the drafts make way
 * for the server's events and are written again on top while their ops are still waiting.
 * The desk thus always shows the server's record plus its own pending changes, in the
 * server's order.
 */
#pragma once

#include "wh-db.h"
#include "wh-incident-store.h"
#include "wh-op.h"
#include "wh-wire.h"

G_BEGIN_DECLS

#define WH_SYNC_STORE_ERROR (wh_sync_store_error_quark ())

typedef enum {
  WH_SYNC_STORE_ERROR_WRONG_CACHE,      /* the cache belongs to another server or street */
  WH_SYNC_STORE_ERROR_NOT_FOUND,        /* no such conflict */
  WH_SYNC_STORE_ERROR_ALREADY_RESOLVED,
} WhSyncStoreError;

GQuark wh_sync_store_error_quark (void);

/* What the cache knows about its server. */
typedef struct {
  char   *server_url;       /* "" until the first sync */
  char   *user_name;
  gint64  cursor;           /* the feed's next_since of the last committed page */
  gint64  pass_start;       /* the cursor after the last page with more = false: the desk
                             * has every event up to it (the feed's events_since) */
  gint64  latest;           /* the newest seq the server reported */
  gint64  last_success_at;  /* 0: never */
  char   *last_error;       /* "" after a success */
  gint64  organisation_at;  /* 0: the organisation was never fetched */
  char   *ca_file;          /* "": the system's certificate authorities */
} WhSyncState;

void wh_sync_state_free (WhSyncState *state);

/* One op waiting in the outbox. */
typedef struct {
  gint64  id;               /* replay order */
  WhOp   *op;
  char   *payload;          /* the op's JSON as stored */
  int     attempts;
  char   *last_error;
} WhOutboxEntry;

void wh_outbox_entry_free (WhOutboxEntry *entry);

typedef enum {
  WH_CONFLICT_KIND_CONFLICT,  /* somebody else moved the incident on; see server_incident */
  WH_CONFLICT_KIND_REJECTED,  /* refused for good; see reason */
} WhConflictKind;

typedef enum {
  WH_RESOLUTION_NONE,
  WH_RESOLUTION_KEEP_MINE,    /* send my change again, based on the current record */
  WH_RESOLUTION_TAKE_THEIRS,  /* keep the server's record, drop my change (noted in the timeline) */
  WH_RESOLUTION_MERGE,        /* send my change again with fields chosen by the officer */
} WhResolution;

const char *wh_resolution_to_string   (WhResolution  resolution);
gboolean    wh_resolution_from_string (const char   *str,
                                       WhResolution *resolution);

/* A change the server did not take, waiting for the duty officer. */
typedef struct {
  gint64          id;
  char           *op_id;
  char           *incident_id;
  WhConflictKind  kind;
  char           *code;             /* the server's code: stale, refused, invalid, … */
  char           *reason;           /* the server's words */
  WhOp           *op;               /* my change as it was sent */
  gint64          server_rev;
  WhIncident     *server_incident;  /* the server's record (conflicts), or NULL */
  gint64          created_at;
  gint64          resolved_at;      /* 0: open */
  WhResolution    resolution;
  char           *resolution_op_id; /* the op that resolved it, or NULL */
} WhSyncConflict;

void wh_sync_conflict_free (WhSyncConflict *conflict);

/* What one batch of answers did. */
typedef struct {
  guint applied;
  guint duplicate;
  guint conflict;
  guint rejected;
  guint failed;     /* kept in the outbox: the server could not store it now, or no answer */
} WhPushCounts;

#define WH_TYPE_SYNC_STORE (wh_sync_store_get_type ())
G_DECLARE_FINAL_TYPE (WhSyncStore, wh_sync_store, WH, SYNC_STORE, GObject)

WhSyncStore     *wh_sync_store_new               (WhDb            *db);
WhDb            *wh_sync_store_get_db            (WhSyncStore     *self);

WhSyncState     *wh_sync_store_get_state         (WhSyncStore     *self,
                                                  GError         **error);

/**
 * wh_sync_store_bind:
 * @server_url: the district server, without a trailing slash
 * @user_name: who signs in
 * @error: %WH_SYNC_STORE_ERROR_WRONG_CACHE when the cache already belongs to another server,
 *   or holds incidents that did not come from this one (a demo street, another desk's copy)
 *
 * Ties the cache to @server_url on the first sync; afterwards only checks it. A cache of one
 * server must never take changes of another: their feeds' cursors mean different things.
 */
gboolean         wh_sync_store_bind              (WhSyncStore     *self,
                                                  const char      *server_url,
                                                  const char      *user_name,
                                                  GError         **error);

/* Remembers the certificate authority file the server is checked against ("" or %NULL:
 * the system's). */
gboolean         wh_sync_store_set_ca_file       (WhSyncStore     *self,
                                                  const char      *ca_file,
                                                  GError         **error);

gboolean         wh_sync_store_record_success    (WhSyncStore     *self,
                                                  gint64           at,
                                                  GError         **error);
gboolean         wh_sync_store_record_failure    (WhSyncStore     *self,
                                                  const char      *message,
                                                  GError         **error);

/**
 * wh_sync_store_import_organisation:
 * @organisation: the answer of `GET /api/v1/organisation`
 * @at: now, remembered as the time of the fetch
 *
 * Writes the organisation, and the cache's street (meta street_id) when it has exactly one,
 * in one transaction. Refuses an organisation of another street than the cache's.
 */
gboolean         wh_sync_store_import_organisation (WhSyncStore   *self,
                                                    JsonNode      *organisation,
                                                    gint64         at,
                                                    GError       **error);

/* Outbox */

/**
 * wh_sync_store_peek_outbox:
 * @after_id: only rows after this one (0: from the start)
 * @max_ops: at most this many
 * @max_bytes: and at most this much JSON (the first row always comes)
 *
 * Returns: (transfer full) (element-type WhOutboxEntry): the next ops in replay order
 */
GPtrArray       *wh_sync_store_peek_outbox       (WhSyncStore     *self,
                                                  gint64           after_id,
                                                  guint            max_ops,
                                                  gsize            max_bytes,
                                                  GError         **error);

guint            wh_sync_store_count_outbox      (WhSyncStore     *self,
                                                  GError         **error);

/**
 * wh_sync_store_store_answers:
 * @entries: (element-type WhOutboxEntry): the batch as sent
 * @results: (element-type WhOpResult): the server's answers, in any order
 * @counts: (out) (optional): what became of the batch
 * @changed: (nullable) (element-type utf8): incident ids whose local record changed are
 *   added here
 *
 * One transaction. Per op, only by its own answer: applied or duplicate of an applied op →
 * the row is deleted and the incident's revision noted; conflict → the op moves to the
 * conflicts list and the desk takes the server's record; rejected → the op moves to the
 * conflicts list and the desk's record drops its change; no answer, or an error answer →
 * the row stays, with attempts + 1 and the reason.
 */
gboolean         wh_sync_store_store_answers     (WhSyncStore     *self,
                                                  GPtrArray       *entries,
                                                  GPtrArray       *results,
                                                  WhPushCounts    *counts,
                                                  GPtrArray       *changed,
                                                  GError         **error);

/* The batch did not reach the server, or its answer did not come back: every row stays,
 * with attempts + 1 and @message. */
gboolean         wh_sync_store_note_failure      (WhSyncStore     *self,
                                                  GPtrArray       *entries,
                                                  const char      *message,
                                                  GError         **error);

/* Pull */

/**
 * wh_sync_store_apply_page:
 * @page: one page of `GET /api/v1/changes`, read from the stored cursor
 * @changed: (nullable) (element-type utf8): incident ids written are added here
 *
 * Writes every incident of the page (the server's projection and the events the desk lacks,
 * with the desk's pending changes on top) and the page's next_since as the new cursor (and,
 * when it is the last page of the pass, as the new pass_start), in one transaction: a crash
 * leaves the page either whole or not at all.
 */
gboolean         wh_sync_store_apply_page        (WhSyncStore     *self,
                                                  WhChangePage    *page,
                                                  GPtrArray       *changed,
                                                  GError         **error);

/**
 * WhSyncStoreHook:
 *
 * Called inside the transaction of a page of the feed, just before it commits: crash tests
 * kill the process there, to show that a page is written whole or not at all.
 */
typedef void (*WhSyncStoreHook) (WhSyncStore *self,
                                 gpointer     user_data);

void             wh_sync_store_set_page_hook     (WhSyncStore     *self,
                                                  WhSyncStoreHook  hook,
                                                  gpointer         user_data);

/* Conflicts */

/* Returns: (transfer full) (element-type WhSyncConflict): oldest first */
GPtrArray       *wh_sync_store_list_conflicts    (WhSyncStore     *self,
                                                  gboolean         open_only,
                                                  GError         **error);

WhSyncConflict  *wh_sync_store_get_conflict      (WhSyncStore     *self,
                                                  gint64           id,
                                                  GError         **error);

guint            wh_sync_store_count_conflicts   (WhSyncStore     *self,
                                                  GError         **error);

/**
 * wh_sync_store_resolve:
 * @id: the conflict
 * @resolution: keep mine, take theirs or merge
 * @actor: (nullable): who resolves; %NULL: the author of the change
 * @fields: (nullable): for %WH_RESOLUTION_MERGE, the fields to send instead of mine
 * @note: (nullable): for keep mine and merge, a note to send instead of mine
 * @at: now
 * @op_id: (out) (optional) (transfer full): the op that carries the resolution, or %NULL
 *   when there is nothing on the server to note it on (a rejected report dropped)
 * @error: the lifecycle's refusal when my change no longer fits the current record
 *
 * The resolution is itself an op, queued in the outbox in the same transaction that marks
 * the conflict resolved: keep mine and merge send my change again based on the current
 * revision; take theirs adds a note to the timeline that my change was not applied.
 */
gboolean         wh_sync_store_resolve           (WhSyncStore     *self,
                                                  gint64           id,
                                                  WhResolution     resolution,
                                                  const WhActor   *actor,
                                                  JsonObject      *fields,
                                                  const char      *note,
                                                  gint64           at,
                                                  char           **op_id,
                                                  GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhSyncState, wh_sync_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhOutboxEntry, wh_outbox_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhSyncConflict, wh_sync_conflict_free)

G_END_DECLS
