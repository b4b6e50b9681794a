/* desk-harness.h — desks for the integration tests: a cache file of their own and the sync
 * engine of src/sync, changed the way the desk's pages change incidents: through the stores
 * on a connection of their own, which queue each op in the outbox.
 */
#pragma once

#include "server-harness.h"
#include "wh-attachment-store.h"
#include "wh-db.h"
#include "wh-incident-store.h"
#include "wh-sync-engine.h"

G_BEGIN_DECLS

typedef struct {
  char              *path;
  WhDb              *db;          /* the desk's own connection, like the pages' */
  WhIncidentStore   *store;
  WhAttachmentStore *attachments;
  WhSyncClient      *client;
  WhSyncEngine      *engine;
  WhActor           *actor;       /* what the desk claims; the server puts the signed-in
                                   * account in its place */
} Desk;

/* A cache path "@dir/@name.db"; asserts that no such file exists yet. */
char    *test_desk_cache_path (const char    *dir,
                               const char    *name);

/* A desk with a new cache in @dir, syncing with @server as @user with @token. */
Desk    *test_desk_new        (const char    *dir,
                               TestServer    *server,
                               const char    *name,
                               const char    *user,
                               const char    *token);
void     test_desk_free       (Desk          *desk);

/* Runs one sync of @engine to its end in the main loop. */
gboolean test_engine_sync     (WhSyncEngine  *engine,
                               GCancellable  *cancellable,
                               WhSyncReport  *report,
                               GError       **error);

/* Runs one sync of the desk to its end in the main loop. */
gboolean test_desk_sync       (Desk          *desk,
                               GCancellable  *cancellable,
                               WhSyncReport  *report,
                               GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Desk, test_desk_free)

G_END_DECLS
