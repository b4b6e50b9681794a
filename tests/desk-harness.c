/* desk-harness.c — desks for the integration tests */
#include "config.h"

#include "desk-harness.h"

char *
test_desk_cache_path (const char *dir,
                      const char *name)
{
  g_autofree char *file = g_strconcat (name, ".db", NULL);
  char *path = g_build_filename (dir, file, NULL);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  return path;
}

Desk *
test_desk_new (const char *dir,
               TestServer *server,
               const char *name,
               const char *user,
               const char *token)
{
  g_autoptr (GError) error = NULL;
  Desk *desk = g_new0 (Desk, 1);

  desk->path = test_desk_cache_path (dir, name);
  desk->client = wh_sync_client_new (server->url, &error);
  g_assert_no_error (error);
  wh_sync_client_set_token (desk->client, token);
  desk->engine = wh_sync_engine_new (desk->path, desk->client, user, &error);
  g_assert_no_error (error);
  desk->db = wh_db_open (desk->path, &error);
  g_assert_no_error (error);
  desk->store = wh_incident_store_new (desk->db);
  desk->attachments = wh_attachment_store_new (desk->db);
  desk->actor = wh_actor_new (user, user, WH_ROLE_DUTY_OFFICER, NULL);
  return desk;
}

void
test_desk_free (Desk *desk)
{
  g_clear_object (&desk->engine);
  g_clear_object (&desk->client);
  g_clear_object (&desk->attachments);
  g_clear_object (&desk->store);
  g_clear_object (&desk->db);
  wh_actor_free (desk->actor);
  g_free (desk->path);
  g_free (desk);
}

typedef struct {
  gboolean      done;
  gboolean      ok;
  WhSyncReport  report;
  GError       *error;
} SyncWait;

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->ok = wh_sync_engine_sync_finish (WH_SYNC_ENGINE (source), result, &wait->report, &wait->error);
  wait->done = TRUE;
}

gboolean
test_engine_sync (WhSyncEngine  *engine,
                  GCancellable  *cancellable,
                  WhSyncReport  *report,
                  GError       **error)
{
  SyncWait wait = { 0, };

  wh_sync_engine_sync_async (engine, cancellable, sync_done, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (report != NULL)
    *report = wait.report;
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

gboolean
test_desk_sync (Desk          *desk,
                GCancellable  *cancellable,
                WhSyncReport  *report,
                GError       **error)
{
  return test_engine_sync (desk->engine, cancellable, report, error);
}
