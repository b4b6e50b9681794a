/* test-welcome-page.c — the welcome page does not offer the demo street during a sync
 *
 * The page watches the sync engine: while a run is under way its "Load the Demo Street"
 * button is insensitive, and it comes back when the run ends, whether cancelled or failed.
 * The engine talks to a fake server on a loopback port that accepts connections and never
 * answers (a first sync in full swing), or to none at all.
 */
#include "config.h"

#include <adwaita.h>

#include "wh-resources.h"
#include "wh-sync-engine.h"
#include "wh-welcome-page.h"

static char *tmp_dir;

static gboolean
wake_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition condition, gpointer data, const char *what)
{
  gint64 limit = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      gboolean woken = FALSE;
      guint    id = g_timeout_add (50, wake_up, &woken);

      g_main_context_iteration (NULL, TRUE);
      if (!woken)
        g_source_remove (id);
      if (g_get_monotonic_time () > limit)
        g_error ("gave up waiting for %s", what);
    }
}

/* The first descendant of @widget that @match accepts. */
static GtkWidget *
find_widget (GtkWidget *widget, gboolean (*match) (GtkWidget *widget))
{
  if (match (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_load_button (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "welcome.load-demo") == 0;
}

static const char *wanted_text;

static gboolean
is_label_with_wanted_text (GtkWidget *widget)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         strstr (gtk_label_get_label (GTK_LABEL (widget)), wanted_text) != NULL;
}

/* A server that takes connections and says nothing. */
typedef struct
{
  GSocketService *service;
  GPtrArray      *connections;
  char           *url;
} MuteServer;

static gboolean
mute_incoming (GSocketService    *service,
               GSocketConnection *connection,
               GObject           *source,
               MuteServer        *server)
{
  g_ptr_array_add (server->connections, g_object_ref (connection));
  return TRUE;
}

static MuteServer *
mute_server_new (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  MuteServer *server = g_new0 (MuteServer, 1);

  server->connections = g_ptr_array_new_with_free_func (g_object_unref);
  server->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (server->service, "incoming", G_CALLBACK (mute_incoming), server);
  server->url = g_strdup_printf ("http://127.0.0.1:%u",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return server;
}

static void
mute_server_free (MuteServer *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_object_unref (server->service);
  g_ptr_array_unref (server->connections);
  g_free (server->url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MuteServer, mute_server_free)

static gboolean
engine_is_syncing (gpointer data)
{
  return wh_sync_engine_get_status (WH_SYNC_ENGINE (data)) == WH_SYNC_STATUS_SYNCING;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer data)
{
  wh_sync_engine_sync_finish (WH_SYNC_ENGINE (source), result, NULL, NULL);
  *(gboolean *) data = TRUE;
}

/* The page in a window of its own, as on the desk: actions reach their buttons there. */
static WhWelcomePage *
new_page (GtkWindow **window)
{
  WhWelcomePage *page = g_object_new (WH_TYPE_WELCOME_PAGE, NULL);
  gboolean       done = FALSE;

  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (*window, GTK_WIDGET (page));
  gtk_window_present (*window);
  g_timeout_add (100, wake_up, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return page;
}

static WhSyncEngine *
new_engine (const char *url, const char *token, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhSyncClient) client = wh_sync_client_new (url, &error);
  g_autofree char *file = g_strconcat (name, ".db", NULL);
  g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
  WhSyncEngine    *engine;

  g_assert_no_error (error);
  wh_sync_client_set_token (client, token);
  engine = wh_sync_engine_new (path, client, "duty", &error);
  g_assert_no_error (error);
  return engine;
}

static void
test_during_sync (void)
{
  g_autoptr (MuteServer) server = mute_server_new ();
  g_autoptr (WhSyncEngine) engine = new_engine (server->url, "token", "cancelled");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *cache = g_build_filename (tmp_dir, "welcome.db", NULL);
  GtkWindow       *window = NULL;
  WhWelcomePage   *page = new_page (&window);
  GtkWidget       *button;
  gboolean         done = FALSE;

  wh_welcome_page_set_path (page, cache);
  wh_welcome_page_set_sync_engine (page, engine);
  button = find_widget (GTK_WIDGET (page), is_load_button);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));

  /* A sync starts: the server never answers, so it stays under way. */
  wh_sync_engine_sync_async (engine, cancellable, run_done, &done);
  wait_for (engine_is_syncing, engine, "the sync to start");
  g_assert_false (gtk_widget_get_sensitive (button));
  /* Asking anyway does nothing. */
  wh_welcome_page_load_demo (page);
  g_assert_false (wh_welcome_page_get_busy (page));

  /* Cancelled: the offer is back. */
  g_cancellable_cancel (cancellable);
  wait_for (flag_is_set, &done, "the cancelled sync to end");
  g_assert_cmpint (wh_sync_engine_get_status (engine), !=, WH_SYNC_STATUS_SYNCING);
  g_assert_true (gtk_widget_get_sensitive (button));

  /* Without an engine (signed out) it stays offered. */
  wh_welcome_page_set_sync_engine (page, NULL);
  g_assert_true (gtk_widget_get_sensitive (button));
  gtk_window_destroy (window);
}

static void
test_after_failure (void)
{
  /* No token: the run fails at once, needing a sign-in. */
  g_autoptr (WhSyncEngine) engine = new_engine ("http://127.0.0.1:9", NULL, "failed");
  GtkWindow       *window = NULL;
  WhWelcomePage   *page = new_page (&window);
  g_autofree char *cache = g_build_filename (tmp_dir, "welcome.db", NULL);
  GtkWidget       *button;
  gboolean         done = FALSE;
  gboolean         saw_insensitive = FALSE;

  wh_welcome_page_set_path (page, cache);
  wh_welcome_page_set_sync_engine (page, engine);
  button = find_widget (GTK_WIDGET (page), is_load_button);

  wh_sync_engine_sync_async (engine, NULL, run_done, &done);
  /* The run is under way as soon as it is asked for. */
  saw_insensitive = !gtk_widget_get_sensitive (button);
  wait_for (flag_is_set, &done, "the failing sync to end");
  g_assert_true (saw_insensitive);
  g_assert_cmpint (wh_sync_engine_get_status (engine), ==, WH_SYNC_STATUS_SIGN_IN_NEEDED);
  g_assert_true (gtk_widget_get_sensitive (button));

  /* And the page says why the sync stopped. */
  g_assert_nonnull (wh_sync_engine_get_last_error (engine));
  wanted_text = wh_sync_engine_get_last_error (engine);
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_label_with_wanted_text));
  gtk_window_destroy (window);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  if (!gtk_init_check ())
    {
      /* TAP: skip the whole program without a display. */
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }
  adw_init ();
  /* The templates live in the desk's resources. */
  g_assert_nonnull (wh_get_resource ());

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("whistle-welcome-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/welcome-page/during-sync", test_during_sync);
  g_test_add_func ("/welcome-page/after-failure", test_after_failure);

  status = g_test_run ();
  if (status == 0)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp_dir);

      (void) system (command);
    }
  return status;
}
