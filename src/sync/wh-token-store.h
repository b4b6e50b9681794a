/* wh-token-store.h — where the desk keeps its bearer tokens
 *
 * With libsecret (the schema cn.gov.whistle.Desk.Token, keyed by server address and user),
 * never in a plain file: a token lets anyone act as the duty officer until it expires. An
 * in-memory store serves scripts and tests that run without a keyring; its tokens are gone
 * when the process ends.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WH_TYPE_TOKEN_STORE (wh_token_store_get_type ())
G_DECLARE_FINAL_TYPE (WhTokenStore, wh_token_store, WH, TOKEN_STORE, GObject)

/* The secret service of the session (GNOME Keyring, KeePassXC, …). */
WhTokenStore *wh_token_store_new           (void);

/* Tokens held in this process only. */
WhTokenStore *wh_token_store_new_in_memory (void);

gboolean      wh_token_store_is_in_memory  (WhTokenStore        *self);

void          wh_token_store_save_async    (WhTokenStore        *self,
                                            const char          *server_url,
                                            const char          *user,
                                            const char          *token,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      wh_token_store_save_finish   (WhTokenStore        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Finishes with the token, or %NULL and no error when none is kept. */
void          wh_token_store_lookup_async  (WhTokenStore        *self,
                                            const char          *server_url,
                                            const char          *user,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char         *wh_token_store_lookup_finish (WhTokenStore        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

void          wh_token_store_forget_async  (WhTokenStore        *self,
                                            const char          *server_url,
                                            const char          *user,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      wh_token_store_forget_finish (WhTokenStore        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Blocking variants, for command-line programs. */
gboolean      wh_token_store_save          (WhTokenStore        *self,
                                            const char          *server_url,
                                            const char          *user,
                                            const char          *token,
                                            GError             **error);
char         *wh_token_store_lookup        (WhTokenStore        *self,
                                            const char          *server_url,
                                            const char          *user,
                                            GError             **error);
gboolean      wh_token_store_forget        (WhTokenStore        *self,
                                            const char          *server_url,
                                            const char          *user,
                                            GError             **error);

G_END_DECLS
