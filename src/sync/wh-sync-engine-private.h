/* wh-sync-engine-private.h — what wh-sync-engine.c shares with the engine's other files
 */
#pragma once

#include "wh-sync-engine.h"

G_BEGIN_DECLS

/* The engine's own connection to the cache, for a worker thread: used by one thread at a
 * time, so it is locked until wh_sync_engine_unlock_db(). Never call on the main thread
 * while a run may hold it for a long page. */
WhDb *wh_sync_engine_lock_db   (WhSyncEngine *self);
void  wh_sync_engine_unlock_db (WhSyncEngine *self);

G_END_DECLS
