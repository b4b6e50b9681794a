/* wh-sync-session.h — one desk cache connected to its district server
 *
 * What the desk needs around the engine: the server and user the cache remembers, the
 * token kept in the keyring, the certificate authority file, and an engine running by
 * itself once signed in. The desk's window holds one per open cache; without GTK, so the
 * integration tests drive it too.
 */
#pragma once

#include <gio/gio.h>

#include "wh-sync-engine.h"
#include "wh-token-store.h"

G_BEGIN_DECLS

#define WH_TYPE_SYNC_SESSION (wh_sync_session_get_type ())
G_DECLARE_FINAL_TYPE (WhSyncSession, wh_sync_session, WH, SYNC_SESSION, GObject)

/**
 * wh_sync_session_new:
 * @cache_path: the desk's cache
 * @tokens: where tokens are kept (the keyring, or in memory for tests)
 */
WhSyncSession *wh_sync_session_new              (const char          *cache_path,
                                                 WhTokenStore        *tokens);

/* The running engine, or %NULL before the session is resumed or connected. Its changes
 * are announced by notify::engine. */
WhSyncEngine  *wh_sync_session_get_engine       (WhSyncSession       *self);

/* What the cache remembers of its server (for the connect dialog); "" when never
 * connected. Transfer full. */
char          *wh_sync_session_dup_server_url   (WhSyncSession       *self);
char          *wh_sync_session_dup_user         (WhSyncSession       *self);
char          *wh_sync_session_dup_ca_file      (WhSyncSession       *self);

/**
 * wh_sync_session_resume_async:
 *
 * For a cache that was connected before: takes its server, user and certificate authority,
 * looks the token up in the keyring and starts the engine (which asks for a sign-in when no
 * token is kept). Finishes with %FALSE and no error for a cache never connected.
 */
void           wh_sync_session_resume_async     (WhSyncSession       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       wh_sync_session_resume_finish    (WhSyncSession       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/**
 * wh_sync_session_connect_async:
 * @server_url: the district server
 * @user: who signs in
 * @password: their password; sent once, never kept
 * @ca_file: (nullable): a certificate authority file instead of the system's store
 *
 * Signs in, keeps the token in the keyring, remembers server, user and certificate
 * authority in the cache, and starts the engine. Fails without a sign-in when the cache
 * belongs to another server, the address is not one, the certificate authority file cannot
 * be read, the server's certificate is not trusted or the password is wrong.
 */
void           wh_sync_session_connect_async    (WhSyncSession       *self,
                                                 const char          *server_url,
                                                 const char          *user,
                                                 const char          *password,
                                                 const char          *ca_file,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       wh_sync_session_connect_finish   (WhSyncSession       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Stops the engine (when the desk closes the cache). */
void           wh_sync_session_stop             (WhSyncSession       *self);

G_END_DECLS
