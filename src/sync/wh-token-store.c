/* wh-token-store.c — where the desk keeps its bearer tokens */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "wh-token-store.h"

struct _WhTokenStore {
  GObject     parent_instance;
  GHashTable *memory;  /* "server\nuser" → token; NULL when backed by libsecret */
};

G_DEFINE_FINAL_TYPE (WhTokenStore, wh_token_store, G_TYPE_OBJECT)

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "cn.gov.whistle.Desk.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
erase_token (gpointer data)
{
  char *token = data;

  if (token != NULL)
    memset (token, 0, strlen (token));
  g_free (token);
}

static void
wh_token_store_finalize (GObject *object)
{
  WhTokenStore *self = WH_TOKEN_STORE (object);

  g_clear_pointer (&self->memory, g_hash_table_unref);

  G_OBJECT_CLASS (wh_token_store_parent_class)->finalize (object);
}

static void
wh_token_store_class_init (WhTokenStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_token_store_finalize;
}

static void
wh_token_store_init (WhTokenStore *self)
{
}

WhTokenStore *
wh_token_store_new (void)
{
  return g_object_new (WH_TYPE_TOKEN_STORE, NULL);
}

WhTokenStore *
wh_token_store_new_in_memory (void)
{
  WhTokenStore *self = g_object_new (WH_TYPE_TOKEN_STORE, NULL);

  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, erase_token);
  return self;
}

gboolean
wh_token_store_is_in_memory (WhTokenStore *self)
{
  g_return_val_if_fail (WH_IS_TOKEN_STORE (self), FALSE);
  return self->memory != NULL;
}

static char *
memory_key (const char *server_url,
            const char *user)
{
  return g_strconcat (server_url, "\n", user, NULL);
}

/* libsecret's own errors name D-Bus services; say what it means for the desk. */
static GError *
keyring_error (GError *error)
{
  GError *wrapped = g_error_new (error->domain, error->code,
                                 _("The keyring could not be used to keep the sign-in: %s"),
                                 error->message);

  g_error_free (error);
  return wrapped;
}

/* Saving */

static void
saved (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, keyring_error (error));
}

void
wh_token_store_save_async (WhTokenStore        *self,
                           const char          *server_url,
                           const char          *user,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (WH_IS_TOKEN_STORE (self));
  g_return_if_fail (server_url != NULL && user != NULL && token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_token_store_save_async);

  if (self->memory != NULL)
    {
      g_hash_table_replace (self->memory, memory_key (server_url, user), g_strdup (token));
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Translators: the name of a keyring entry; the first %s is a login name, the second a
   * server address */
  label = g_strdup_printf (_("Whistle sign-in of %s at %s"), user, server_url);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         saved, g_steal_pointer (&task),
                         "server", server_url, "user", user, NULL);
}

gboolean
wh_token_store_save_finish (WhTokenStore *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Looking up */

static void
looked_up (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_pointer (task, token, erase_token);
}

void
wh_token_store_lookup_async (WhTokenStore        *self,
                             const char          *server_url,
                             const char          *user,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (WH_IS_TOKEN_STORE (self));
  g_return_if_fail (server_url != NULL && user != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_token_store_lookup_async);

  if (self->memory != NULL)
    {
      g_autofree char *key = memory_key (server_url, user);

      g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->memory, key)), erase_token);
      return;
    }

  secret_password_lookup (token_schema (), cancellable, looked_up, g_steal_pointer (&task),
                          "server", server_url, "user", user, NULL);
}

char *
wh_token_store_lookup_finish (WhTokenStore *self,
                              GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Forgetting */

static void
forgotten (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to forget, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
wh_token_store_forget_async (WhTokenStore        *self,
                             const char          *server_url,
                             const char          *user,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (WH_IS_TOKEN_STORE (self));
  g_return_if_fail (server_url != NULL && user != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_token_store_forget_async);

  if (self->memory != NULL)
    {
      g_autofree char *key = memory_key (server_url, user);

      g_hash_table_remove (self->memory, key);
      g_task_return_boolean (task, TRUE);
      return;
    }

  secret_password_clear (token_schema (), cancellable, forgotten, g_steal_pointer (&task),
                         "server", server_url, "user", user, NULL);
}

gboolean
wh_token_store_forget_finish (WhTokenStore *self,
                              GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Blocking variants: run the async ones on a context of their own, so that nothing else
 * of the caller's main loop runs meanwhile. */

typedef struct {
  GMainContext *context;
  GAsyncResult *result;
} Waiter;

static void
wait_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  g_main_context_wakeup (waiter->context);
}

static void
wait_for (Waiter *waiter)
{
  while (waiter->result == NULL)
    g_main_context_iteration (waiter->context, TRUE);
}

gboolean
wh_token_store_save (WhTokenStore *self,
                     const char   *server_url,
                     const char   *user,
                     const char   *token,
                     GError      **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Waiter waiter = { context, NULL };
  gboolean ok;

  g_main_context_push_thread_default (context);
  wh_token_store_save_async (self, server_url, user, token, NULL, wait_done, &waiter);
  wait_for (&waiter);
  g_main_context_pop_thread_default (context);
  ok = wh_token_store_save_finish (self, waiter.result, error);
  g_object_unref (waiter.result);
  return ok;
}

char *
wh_token_store_lookup (WhTokenStore *self,
                       const char   *server_url,
                       const char   *user,
                       GError      **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Waiter waiter = { context, NULL };
  char *token;

  g_main_context_push_thread_default (context);
  wh_token_store_lookup_async (self, server_url, user, NULL, wait_done, &waiter);
  wait_for (&waiter);
  g_main_context_pop_thread_default (context);
  token = wh_token_store_lookup_finish (self, waiter.result, error);
  g_object_unref (waiter.result);
  return token;
}

gboolean
wh_token_store_forget (WhTokenStore *self,
                       const char   *server_url,
                       const char   *user,
                       GError      **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Waiter waiter = { context, NULL };
  gboolean ok;

  g_main_context_push_thread_default (context);
  wh_token_store_forget_async (self, server_url, user, NULL, wait_done, &waiter);
  wait_for (&waiter);
  g_main_context_pop_thread_default (context);
  ok = wh_token_store_forget_finish (self, waiter.result, error);
  g_object_unref (waiter.result);
  return ok;
}
