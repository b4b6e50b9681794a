/* wh-sync-attachments.h — the engine's photos: sent before the ops that name them, fetched
 * when somebody looks at them
 *
 * Push: before a batch of ops goes, every attachment its ops name is asked for on the server
 * (HEAD /api/v1/attachments/HASH) and, when the server lacks it, uploaded from the cache
 * (POST /api/v1/attachments). If an upload does not get through (network, server, sign-in),
 * the batch is not sent and stays whole in the outbox: nothing is dropped, and the next run
 * asks again (an upload that did arrive is not sent twice). An attachment the cache cannot
 * send (its bytes are not here) or the server will not take is left to the server's answer
 * to the op, which reaches the duty officer as a rejection with the server's reason.
 *
 * Pull: the changes feed brings descriptions only; wh_sync_engine_fetch_attachment_async()
 * (declared in wh-sync-engine.h) fetches the bytes when they are first shown.
 *
 * Crash test hook: WHISTLE_SYNC_KILL_AFTER_UPLOAD=N kills the process (SIGKILL) as soon as
 * the server has answered the Nth upload, before the op that names it is sent.
 */
#pragma once

#include "wh-sync-engine.h"

G_BEGIN_DECLS

/**
 * wh_sync_attachments_upload_async:
 * @entries: (element-type WhOutboxEntry): the batch about to be sent
 *
 * Makes sure the server has every attachment the ops of @entries name.
 */
void     wh_sync_attachments_upload_async  (WhSyncEngine        *engine,
                                            GPtrArray           *entries,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);

/* Returns: FALSE with a WH_SYNC_ERROR when the batch must wait (or G_IO_ERROR_CANCELLED) */
gboolean wh_sync_attachments_upload_finish (WhSyncEngine        *engine,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
