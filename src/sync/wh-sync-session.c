/* wh-sync-session.c — one desk cache connected to its district server */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-sync-session.h"

struct _WhSyncSession {
  GObject       parent_instance;
  char         *cache_path;
  WhTokenStore *tokens;
  WhSyncEngine *engine;
};

G_DEFINE_FINAL_TYPE (WhSyncSession, wh_sync_session, G_TYPE_OBJECT)

enum { PROP_0, PROP_ENGINE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
wh_sync_session_dispose (GObject *object)
{
  WhSyncSession *self = WH_SYNC_SESSION (object);

  wh_sync_session_stop (self);
  g_clear_object (&self->engine);
  g_clear_object (&self->tokens);

  G_OBJECT_CLASS (wh_sync_session_parent_class)->dispose (object);
}

static void
wh_sync_session_finalize (GObject *object)
{
  WhSyncSession *self = WH_SYNC_SESSION (object);

  g_free (self->cache_path);

  G_OBJECT_CLASS (wh_sync_session_parent_class)->finalize (object);
}

static void
wh_sync_session_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WhSyncSession *self = WH_SYNC_SESSION (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_sync_session_class_init (WhSyncSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_sync_session_dispose;
  object_class->finalize = wh_sync_session_finalize;
  object_class->get_property = wh_sync_session_get_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, WH_TYPE_SYNC_ENGINE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wh_sync_session_init (WhSyncSession *self)
{
}

WhSyncSession *
wh_sync_session_new (const char   *cache_path,
                     WhTokenStore *tokens)
{
  WhSyncSession *self;

  g_return_val_if_fail (cache_path != NULL, NULL);
  g_return_val_if_fail (WH_IS_TOKEN_STORE (tokens), NULL);

  self = g_object_new (WH_TYPE_SYNC_SESSION, NULL);
  self->cache_path = g_strdup (cache_path);
  self->tokens = g_object_ref (tokens);
  return self;
}

WhSyncEngine *
wh_sync_session_get_engine (WhSyncSession *self)
{
  g_return_val_if_fail (WH_IS_SYNC_SESSION (self), NULL);
  return self->engine;
}

void
wh_sync_session_stop (WhSyncSession *self)
{
  g_return_if_fail (WH_IS_SYNC_SESSION (self));

  if (self->engine != NULL)
    wh_sync_engine_stop (self->engine);
}

/* What the cache remembers, read through a connection of a moment. */
static WhSyncState *
read_state (WhSyncSession *self,
            GError       **error)
{
  g_autoptr (WhDb) db = wh_db_open (self->cache_path, error);
  g_autoptr (WhSyncStore) store = NULL;

  if (db == NULL)
    return NULL;
  store = wh_sync_store_new (db);
  return wh_sync_store_get_state (store, error);
}

static char *
dup_state_field (WhSyncSession *self,
                 gsize          offset)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhSyncState) state = read_state (self, &error);

  if (state == NULL)
    {
      g_warning ("Could not read the sync state of %s: %s", self->cache_path, error->message);
      return g_strdup ("");
    }
  return g_strdup (G_STRUCT_MEMBER (char *, state, offset));
}

char *
wh_sync_session_dup_server_url (WhSyncSession *self)
{
  g_return_val_if_fail (WH_IS_SYNC_SESSION (self), NULL);
  return dup_state_field (self, G_STRUCT_OFFSET (WhSyncState, server_url));
}

char *
wh_sync_session_dup_user (WhSyncSession *self)
{
  g_return_val_if_fail (WH_IS_SYNC_SESSION (self), NULL);
  return dup_state_field (self, G_STRUCT_OFFSET (WhSyncState, user_name));
}

char *
wh_sync_session_dup_ca_file (WhSyncSession *self)
{
  g_return_val_if_fail (WH_IS_SYNC_SESSION (self), NULL);
  return dup_state_field (self, G_STRUCT_OFFSET (WhSyncState, ca_file));
}

/* Replaces the engine by one for @client and starts it. */
static gboolean
start_engine (WhSyncSession *self,
              WhSyncClient  *client,
              const char    *user,
              GError       **error)
{
  g_autoptr (WhSyncEngine) engine = wh_sync_engine_new (self->cache_path, client, user, error);

  if (engine == NULL)
    return FALSE;
  if (self->engine != NULL)
    wh_sync_engine_stop (self->engine);
  g_set_object (&self->engine, engine);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
  wh_sync_engine_start (self->engine);
  return TRUE;
}

static WhSyncClient *
make_client (const char  *server_url,
             const char  *ca_file,
             GError     **error)
{
  g_autoptr (WhSyncClient) client = wh_sync_client_new (server_url, error);

  if (client == NULL)
    return NULL;
  if (ca_file != NULL && *ca_file != '\0' && !wh_sync_client_set_ca_file (client, ca_file, error))
    return NULL;
  return g_steal_pointer (&client);
}

/* Resuming */

typedef struct {
  WhSyncClient *client;
  char         *user;
} Resume;

static void
resume_free (Resume *resume)
{
  g_clear_object (&resume->client);
  g_free (resume->user);
  g_free (resume);
}

static void
token_found (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  WhSyncSession *self = g_task_get_source_object (task);
  Resume *resume = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *token = wh_token_store_lookup_finish (WH_TOKEN_STORE (source), result, &error);

  /* Without a keyring, or without a token in it, the engine starts all the same and says
   * that it needs a sign-in: the desk keeps working from its cache meanwhile. */
  if (error != NULL)
    g_warning ("%s", error->message);
  if (token != NULL)
    wh_sync_client_set_token (resume->client, token);
  g_clear_error (&error);
  if (!start_engine (self, resume->client, resume->user, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
wh_sync_session_resume_async (WhSyncSession       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (WhSyncState) state = NULL;
  GError *error = NULL;
  Resume *resume;

  g_return_if_fail (WH_IS_SYNC_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_sync_session_resume_async);

  state = read_state (self, &error);
  if (state == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (*state->server_url == '\0' || *state->user_name == '\0')
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  resume = g_new0 (Resume, 1);
  resume->user = g_strdup (state->user_name);
  g_task_set_task_data (task, resume, (GDestroyNotify) resume_free);
  resume->client = make_client (state->server_url, state->ca_file, &error);
  if (resume->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  wh_token_store_lookup_async (self->tokens, wh_sync_client_get_server_url (resume->client),
                               resume->user, cancellable, token_found, g_steal_pointer (&task));
}

gboolean
wh_sync_session_resume_finish (WhSyncSession *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Connecting */

typedef struct {
  WhSyncClient *client;
  char         *user;
  char         *ca_file;
} Connect;

static void
connect_free (Connect *connect)
{
  g_clear_object (&connect->client);
  g_free (connect->user);
  g_free (connect->ca_file);
  g_free (connect);
}

static void
connect_finish_up (GTask *task)
{
  WhSyncSession *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhSyncStore) store = NULL;
  GError *error = NULL;

  /* The engine's first run ties the cache to the server; the certificate authority goes
   * with it now, so the next start of the desk checks the server the same way. */
  db = wh_db_open (self->cache_path, &error);
  if (db != NULL)
    {
      store = wh_sync_store_new (db);
      wh_sync_store_set_ca_file (store, connect->ca_file, &error);
    }
  if (error != NULL || !start_engine (self, connect->client, connect->user, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
token_saved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  /* Signed in all the same: only the next start of the desk will ask again. */
  if (!wh_token_store_save_finish (WH_TOKEN_STORE (source), result, &error))
    g_warning ("%s", error->message);
  connect_finish_up (task);
}

static void
signed_in (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  WhSyncSession *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  g_autoptr (WhSyncLogin) login = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  login = wh_sync_client_login_finish (WH_SYNC_CLIENT (source), result, &error);
  if (login == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  wh_token_store_save_async (self->tokens, wh_sync_client_get_server_url (connect->client),
                             connect->user, login->token, cancellable, token_saved,
                             g_steal_pointer (&task));
}

void
wh_sync_session_connect_async (WhSyncSession       *self,
                               const char          *server_url,
                               const char          *user,
                               const char          *password,
                               const char          *ca_file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (WhSyncState) state = NULL;
  GError *error = NULL;
  Connect *connect;

  g_return_if_fail (WH_IS_SYNC_SESSION (self));
  g_return_if_fail (server_url != NULL && user != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_sync_session_connect_async);

  if (*user == '\0')
    {
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_AUTH, _("Enter the user name."));
      return;
    }
  connect = g_new0 (Connect, 1);
  connect->user = g_strdup (user);
  connect->ca_file = g_strdup (ca_file && *ca_file ? ca_file : "");
  g_task_set_task_data (task, connect, (GDestroyNotify) connect_free);
  connect->client = make_client (server_url, connect->ca_file, &error);
  if (connect->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Refused before the password goes anywhere: a cache of one server never syncs with
   * another. */
  state = read_state (self, &error);
  if (state == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (*state->server_url != '\0' &&
      g_strcmp0 (state->server_url, wh_sync_client_get_server_url (connect->client)) != 0)
    {
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_CACHE,
                               _("This cache belongs to the district server %s, not to %s. Open a "
                                 "new cache to work with another server."),
                               state->server_url, wh_sync_client_get_server_url (connect->client));
      return;
    }

  wh_sync_client_login_async (connect->client, user, password, cancellable, signed_in,
                              g_steal_pointer (&task));
}

gboolean
wh_sync_session_connect_finish (WhSyncSession *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
