/* wh-window.c — the desk's main window: header, view switcher and the four pages */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "wh-application.h"
#include "wh-connect-dialog.h"
#include "wh-desk-actor.h"
#include "wh-format.h"
#include "wh-sync-session.h"
#include "wh-welcome-page.h"
#include "wh-window.h"
#include "assessment/wh-assessment-page.h"
#include "map/wh-map-page.h"
#include "queue/wh-queue-page.h"
#include "roster/wh-roster-page.h"

/* Leave some room on small screens (a 1024×768 projector) for panels and decorations. */
#define SCREEN_FRACTION        0.9
#define HEADER_REFRESH_SECONDS 30

struct _WhWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwHeaderBar         *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkLabel             *street_label;
  GtkWidget            *sync_box;
  GtkImage             *sync_icon;
  GtkLabel             *sync_label;
  GtkLabel             *outbox_label;
  GtkWidget            *duty_box;
  GtkLabel             *duty_label;
  GtkWidget            *overdue_button;
  GtkLabel             *overdue_label;
  GtkStack             *content_stack;
  AdwStatusPage        *unavailable_page;
  WhWelcomePage        *welcome_page;
  AdwViewStack         *view_stack;
  WhMapPage            *map_page;
  WhQueuePage          *queue_page;
  WhRosterPage         *roster_page;
  WhAssessmentPage     *assessment_page;
  AdwToastOverlay      *toast_overlay;

  WhContext        *context;
  WhQueueFilter    *queue_filter; /* what the queue lists, shared with the map */
  char             *cache_path;
  AdwMessageDialog *error_dialog;
  guint             header_timer;

  /* Sync with the district server (src/sync): the cache's session, and the engine whose
   * signals the window listens to. */
  WhSyncSession    *sync;
  char             *sync_path;
  WhSyncEngine     *sync_engine;
  GPtrArray        *synced_ids;
  guint             sync_refresh_id;
};

G_DEFINE_FINAL_TYPE (WhWindow, wh_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  CONTEXT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const page_names[] = { "map", "queue", "roster", "assessment" };

static GSettings *
get_settings (WhWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return WH_IS_APPLICATION (app) ? wh_application_get_settings (WH_APPLICATION (app)) : NULL;
}

/* Below these widths the header drops the street (also on the map and in the title of a
 * narrow switcher) and then the duty officer's name (kept in the tooltip), so the view
 * switcher keeps its labels on a 1024×768 projector. */
#define STREET_MIN_WIDTH    1180
#define DUTY_NAME_MIN_WIDTH 1000

/* The header's sync indicator: online / offline / syncing, and when it last went through. */
static void
update_sync_state (WhWindow *self,
                   gint64    now)
{
  WhSyncEngine *engine = self->sync_engine;
  gint64 last_success = wh_sync_engine_get_last_success (engine);
  const char *last_error = wh_sync_engine_get_last_error (engine);
  g_autoptr (GString) tooltip = g_string_new (NULL);
  g_autofree char *label = NULL;
  const char *icon = "network-offline-symbolic";

  switch (wh_sync_engine_get_status (engine))
    {
    case WH_SYNC_STATUS_SYNCING:
      icon = "emblem-synchronizing-symbolic";
      if (wh_sync_engine_get_progress (engine) > 0.0 && wh_sync_engine_get_progress (engine) < 1.0)
        /* Translators: the header while a first sync runs; %.0f%% is how far it got */
        label = g_strdup_printf (_ ("Syncing %.0f%%"), 100 * wh_sync_engine_get_progress (engine));
      else
        label = g_strdup (_ ("Syncing…"));
      break;
    case WH_SYNC_STATUS_ONLINE:
      icon = "network-transmit-receive-symbolic";
      label = g_strdup (_ ("Online"));
      break;
    case WH_SYNC_STATUS_SIGN_IN_NEEDED:
      icon = "dialog-password-symbolic";
      label = g_strdup (_ ("Sign In Needed"));
      break;
    case WH_SYNC_STATUS_FAILED:
      icon = "dialog-warning-symbolic";
      label = g_strdup (_ ("Sync Failed"));
      break;
    case WH_SYNC_STATUS_OFFLINE:
    default:
      label = g_strdup (_ ("Offline"));
      break;
    }
  gtk_image_set_from_icon_name (self->sync_icon, icon);
  gtk_label_set_label (self->sync_label, label);

  if (last_success != 0)
    {
      g_autofree char *when = wh_format_time_short (last_success, now);

      /* Translators: %s is a time, e.g. "14:05" or "yesterday 14:05" */
      g_string_append_printf (tooltip, _ ("Last synced with the district server: %s"), when);
    }
  else
    g_string_append (tooltip, _ ("Not synced with the district server yet."));
  if (wh_sync_engine_get_status (engine) == WH_SYNC_STATUS_ONLINE)
    g_string_append_printf (tooltip, "\n%s",
                            wh_sync_live_get_connected (wh_sync_engine_get_live (engine))
                              ? _ ("Live: changes from other desks arrive at once.")
                              : _ ("Not live: this desk asks the server for changes every minute."));
  if (last_error != NULL && wh_sync_engine_get_status (engine) != WH_SYNC_STATUS_ONLINE)
    g_string_append_printf (tooltip, "\n%s", last_error);
  gtk_widget_set_tooltip_text (self->sync_box, tooltip->str);
}

static void
update_header_layout (WhWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height;

  if (width <= 0)
    gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  gtk_widget_set_visible (GTK_WIDGET (self->street_label), width >= STREET_MIN_WIDTH &&
                                                             self->context != NULL &&
                                                             wh_context_has_street (self->context));
  gtk_widget_set_visible (GTK_WIDGET (self->duty_label), width >= DUTY_NAME_MIN_WIDTH);
}

static void
update_header (WhWindow *self)
{
  g_autoptr (WhStreet) street = NULL;
  g_autoptr (GListModel) duty = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) tooltip = NULL;
  g_autoptr (WhStaff) chosen = NULL;
  GSettings *settings;
  gint64     now;
  guint      waiting;

  gboolean on_desk = self->context != NULL && wh_context_has_street (self->context);

  gtk_widget_set_visible (GTK_WIDGET (self->street_label), on_desk);
  gtk_widget_set_visible (self->sync_box, self->context != NULL);
  gtk_widget_set_visible (self->duty_box, on_desk);
  if (self->context == NULL)
    return;

  now = wh_context_get_now (self->context);

  /* The street */
  if (on_desk)
    {
      street = wh_grid_store_get_street (wh_context_get_grid_store (self->context), &error);
      if (street != NULL)
        {
          g_autofree char *text = g_strdup_printf ("%s · %s", street->name, street->district);

          gtk_label_set_label (self->street_label, text);
          adw_view_switcher_title_set_title (self->switcher_title, street->name);
          adw_view_switcher_title_set_subtitle (self->switcher_title, street->district);
        }
      else if (error != NULL)
        g_warning ("Could not read the street: %s", error->message);
      g_clear_error (&error);
    }

  /* The sync state: offline until a district server is configured. */
  waiting = wh_incident_store_count_outbox (wh_context_get_incident_store (self->context), &error);
  if (error != NULL)
    {
      g_warning ("Could not count the outbox: %s", error->message);
      g_clear_error (&error);
    }
  if (waiting > 0)
    {
      g_autofree char *text =
        g_strdup_printf (ngettext ("%u change waiting", "%u changes waiting", waiting), waiting);
      gtk_label_set_label (self->outbox_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->outbox_label), waiting > 0);
  if (self->sync_engine != NULL)
    update_sync_state (self, now);
  else
    gtk_widget_set_tooltip_text (self->sync_box,
                                 _ ("Not connected to a district server. Changes are kept in "
                                    "the local cache and sent once a connection is set up."));

  if (!on_desk)
    return;

  /* Who is on duty: the officer signed in at this desk, else the current shift. */
  settings = get_settings (self);
  if (settings != NULL)
    {
      g_autofree char *staff_id = g_settings_get_string (settings, "duty-staff-id");

      if (*staff_id != '\0')
        chosen = wh_roster_store_get_staff (wh_context_get_roster_store (self->context), staff_id,
                                            now, NULL);
    }

  duty =
    wh_roster_store_list_on_duty (wh_context_get_roster_store (self->context), now, -1, &error);
  if (duty == NULL)
    {
      g_warning ("Could not read the duty shifts: %s", error->message);
      g_clear_error (&error);
    }

  tooltip = g_string_new (NULL);
  {
    const char      *name = chosen ? chosen->name : NULL;
    g_autofree char *text = NULL;

    for (guint i = 0; duty != NULL && i < g_list_model_get_n_items (duty); i++)
      {
        g_autoptr (WhDutyShift) shift = g_list_model_get_item (duty, i);
        g_autofree char *until = NULL;

        if (shift->post == WH_DUTY_POST_UNIT_DUTY)
          continue;
        if (name == NULL && shift->post == WH_DUTY_POST_CENTER_DUTY)
          name = shift->staff_name; /* the model keeps it alive below */
        until = wh_format_time_short (shift->ends_at, now);
        if (tooltip->len > 0)
          g_string_append_c (tooltip, '\n');
        /* Translators: a line of the duty tooltip: post, person, unit, phone, end time */
        g_string_append_printf (tooltip, _ ("%s: %s (%s, %s) until %s"),
                                wh_duty_post_label (shift->post), shift->staff_name,
                                shift->unit_short_name ? shift->unit_short_name : "",
                                shift->staff_phone ? shift->staff_phone : "", until);
      }
    /* Whose incidents "Mine" lists: whoever this desk records its changes under (the
     * officer signed in at the desk, else the one on the center's duty shift now), so
     * that "Mine" is what this desk did during the shift. */
    {
      g_autoptr (WhActor) actor = wh_desk_actor_dup (self->context, settings, now, NULL);

      wh_queue_filter_set_actor_id (self->queue_filter, actor ? actor->id : NULL);
    }
    if (name != NULL)
      /* Translators: %s is the name of the duty officer */
      text = g_strdup_printf (_ ("On duty: %s"), name);
    else
      text = g_strdup (_ ("No one on duty"));
    gtk_label_set_label (self->duty_label, text);
  }
  gtk_widget_set_tooltip_text (self->duty_box, tooltip->len > 0 ? tooltip->str : NULL);
  update_header_layout (self);
}

/* The header's overdue badge, from the queue's counts (which follow the store and the
 * clock). */
static void
update_overdue (WhWindow *self)
{
  WhQueueCounts   *counts = wh_queue_page_get_counts (self->queue_page);
  int              n = counts ? wh_queue_counts_get (counts, WH_INCIDENT_VIEW_OVERDUE) : -1;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->overdue_button, n >= 0 && self->context != NULL &&
                                                  wh_context_has_street (self->context));
  if (n < 0)
    return;
  /* Translators: the header's badge; %d is how many open incidents are past their deadline */
  text = g_strdup_printf (ngettext ("%d overdue", "%d overdue", n), n);
  gtk_label_set_label (self->overdue_label, text);
  if (n > 0)
    gtk_widget_add_css_class (self->overdue_button, "overdue-alert");
  else
    gtk_widget_remove_css_class (self->overdue_button, "overdue-alert");
}

static gboolean
on_header_timer (gpointer data)
{
  update_header (WH_WINDOW (data));
  return G_SOURCE_CONTINUE;
}

static void
on_incident_changed (WhIncidentStore *store, const char *incident_id, WhWindow *self)
{
  update_header (self);
  /* A change made on this desk: send it soon (the engine waits a moment for more, and not
   * at all while it is backing off). */
  if (self->sync_engine != NULL && wh_incident_store_count_outbox (store, NULL) > 0)
    wh_sync_engine_schedule (self->sync_engine);
}

static void
set_context (WhWindow *self, WhContext *context)
{
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  g_set_object (&self->context, context);

  if (context == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "unavailable");
    }
  else if (!wh_context_has_street (context))
    {
      wh_welcome_page_set_path (self->welcome_page, wh_db_get_path (wh_context_get_db (context)));
      gtk_stack_set_visible_child_name (self->content_stack, "welcome");
    }
  else
    {
      g_signal_connect (wh_context_get_incident_store (context), "changed",
                        G_CALLBACK (on_incident_changed), self);
      wh_map_page_set_context (self->map_page, context);
      wh_queue_page_set_context (self->queue_page, context);
      if (wh_queue_page_get_counts (self->queue_page) != NULL)
        g_signal_connect_object (wh_queue_page_get_counts (self->queue_page), "changed",
                                 G_CALLBACK (update_overdue), self, G_CONNECT_SWAPPED);
      wh_roster_page_set_context (self->roster_page, context);
      wh_assessment_page_set_context (self->assessment_page, context);
      gtk_stack_set_visible_child_name (self->content_stack, "desk");
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->switcher_title),
                            context != NULL && wh_context_has_street (context));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload",
                                 context != NULL && wh_context_has_street (context));
  update_header (self);
  update_overdue (self);
  g_signal_emit (self, signals[CONTEXT_CHANGED], 0);
}

static void show_open_error (WhWindow *self, const char *path, GError *error);

static void
on_error_response (AdwMessageDialog *dialog, const char *response, WhWindow *self)
{
  g_autofree char *path = g_strdup (self->cache_path);

  self->error_dialog = NULL;

  if (g_strcmp0 (response, "move-aside") == 0)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *new_path = NULL;

      if (!wh_db_move_aside (path, &new_path, &error))
        {
          show_open_error (self, path, error);
          return;
        }
      if (wh_window_open_cache (self, path))
        {
          g_autofree char *name = g_path_get_basename (new_path);
          /* Translators: %s is a file name */
          g_autofree char *text = g_strdup_printf (_ ("The old cache was kept as “%s”"), name);

          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
        }
    }
  else if (g_strcmp0 (response, "retry") == 0)
    {
      wh_window_open_cache (self, path);
    }
  else
    {
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

static void
show_open_error (WhWindow *self, const char *path, GError *error)
{
  g_autofree char  *body = NULL;
  AdwMessageDialog *dialog;
  gboolean          can_move_aside;

  can_move_aside = g_error_matches (error, WH_DB_ERROR, WH_DB_ERROR_CORRUPT) ||
                   g_error_matches (error, WH_DB_ERROR, WH_DB_ERROR_NOT_A_DATABASE) ||
                   g_error_matches (error, WH_DB_ERROR, WH_DB_ERROR_TOO_NEW);

  adw_status_page_set_description (self->unavailable_page, error->message);

  if (can_move_aside)
    /* Translators: %s is the error, then the file is named on its own line */
    body = g_strdup_printf (_ ("%s\n\nFile: %s\n\nYou can move the file aside and start with "
                               "an empty cache. Nothing is deleted: the file is kept under a "
                               "new name for whoever wants to rescue it."),
                            error->message, path);
  else
    body = g_strdup_printf (_ ("%s\n\nFile: %s"), error->message, path);

  dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_WINDOW (self), _ ("The Local Cache Cannot Be Opened"), body));
  adw_message_dialog_add_response (dialog, "quit", _ ("_Quit"));
  if (can_move_aside)
    {
      adw_message_dialog_add_response (dialog, "move-aside", _ ("_Move Aside and Start Empty"));
      adw_message_dialog_set_response_appearance (dialog, "move-aside", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "move-aside");
    }
  else
    {
      adw_message_dialog_add_response (dialog, "retry", _ ("_Try Again"));
      adw_message_dialog_set_default_response (dialog, "retry");
    }
  adw_message_dialog_set_close_response (dialog, "quit");
  g_signal_connect (dialog, "response", G_CALLBACK (on_error_response), self);

  self->error_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Sync */

static void
on_sync_state (WhWindow *self)
{
  update_header (self);
}

/* What the engine wrote, told to the pages once it settles: a first sync writes a page of
 * the feed every moment, and each "changed" makes the pages read their lists again. */
static void
sync_refresh (gpointer data)
{
  WhWindow *self = data;
  g_autoptr (GPtrArray) ids = g_steal_pointer (&self->synced_ids);

  self->sync_refresh_id = 0;
  if (self->context == NULL || ids == NULL || ids->len == 0)
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "desk") != 0 &&
      wh_context_has_street (self->context))
    {
      /* The first sync brought the street: open the cache afresh, as after a demo street. */
      g_autofree char *path = g_strdup (self->cache_path);

      wh_window_open_cache (self, path);
      return;
    }
  g_signal_emit_by_name (wh_context_get_incident_store (self->context), "changed",
                         (const char *) g_ptr_array_index (ids, 0));
}

static void
on_sync_incidents_changed (WhSyncEngine *engine, char **ids, WhWindow *self)
{
  if (self->synced_ids == NULL)
    self->synced_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (self->synced_ids, g_strdup (ids[i]));
  if (self->sync_refresh_id == 0)
    self->sync_refresh_id = g_timeout_add_once (500, sync_refresh, self);
}

static void
set_sync_engine (WhWindow *self, WhSyncEngine *engine, gboolean show)
{
  if (self->sync_engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sync_engine, self);
      g_signal_handlers_disconnect_by_data (wh_sync_engine_get_live (self->sync_engine), self);
    }
  g_set_object (&self->sync_engine, engine);
  if (self->welcome_page != NULL)
    wh_welcome_page_set_sync_engine (self->welcome_page, engine);
  if (engine != NULL)
    {
      g_signal_connect_swapped (engine, "notify::status", G_CALLBACK (on_sync_state), self);
      g_signal_connect_swapped (engine, "notify::pending", G_CALLBACK (on_sync_state), self);
      g_signal_connect_swapped (engine, "notify::progress", G_CALLBACK (on_sync_state), self);
      g_signal_connect_swapped (engine, "notify::last-success", G_CALLBACK (on_sync_state), self);
      g_signal_connect_swapped (wh_sync_engine_get_live (engine), "notify::connected",
                                G_CALLBACK (on_sync_state), self);
      g_signal_connect (engine, "incidents-changed", G_CALLBACK (on_sync_incidents_changed), self);
    }
  if (show)
    update_header (self);
}

static void
on_sync_engine (WhSyncSession *session, GParamSpec *pspec, WhWindow *self)
{
  set_sync_engine (self, wh_sync_session_get_engine (session), TRUE);
}

static void
stop_sync (WhWindow *self)
{
  set_sync_engine (self, NULL, FALSE);
  if (self->sync != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sync, self);
      wh_sync_session_stop (self->sync);
    }
  g_clear_object (&self->sync);
  g_clear_pointer (&self->sync_path, g_free);
  g_clear_handle_id (&self->sync_refresh_id, g_source_remove);
  g_clear_pointer (&self->synced_ids, g_ptr_array_unref);
}

static void
on_sync_resumed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (WhWindow) self = data;
  g_autoptr (GError) error = NULL;

  if (!wh_sync_session_resume_finish (WH_SYNC_SESSION (source), result, &error) && error != NULL)
    g_warning ("Could not resume sync: %s", error->message);
}

/* Keeps the session of the cache at @path, or starts one: a cache opened afresh (after its
 * first sync brought the street) must not cancel the sync under way. */
static void
start_sync (WhWindow *self, const char *path)
{
  g_autoptr (WhTokenStore) tokens = NULL;

  if (self->sync != NULL && g_strcmp0 (self->sync_path, path) == 0)
    return;
  stop_sync (self);
  tokens = wh_token_store_new ();
  self->sync = wh_sync_session_new (path, tokens);
  self->sync_path = g_strdup (path);
  g_signal_connect (self->sync, "notify::engine", G_CALLBACK (on_sync_engine), self);
  wh_sync_session_resume_async (self->sync, NULL, on_sync_resumed, g_object_ref (self));
}

static void show_connect_dialog (WhWindow *self, const char *problem);

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (WhWindow) self = data;
  g_autoptr (GError) error = NULL;

  if (!wh_sync_session_connect_finish (WH_SYNC_SESSION (source), result, &error))
    {
      if (WH_SYNC_SESSION (source) == self->sync)
        show_connect_dialog (self, error->message);
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_ ("Connected to the district server")));
}

static void
on_connect_response (WhConnectDialog *dialog, const char *response, WhWindow *self)
{
  if (g_strcmp0 (response, "connect") != 0 || self->sync == NULL)
    return;
  wh_sync_session_connect_async (self->sync, wh_connect_dialog_get_server_url (dialog),
                                 wh_connect_dialog_get_user (dialog),
                                 wh_connect_dialog_get_password (dialog),
                                 wh_connect_dialog_get_ca_file (dialog), NULL, on_connected,
                                 g_object_ref (self));
}

static void
show_connect_dialog (WhWindow *self, const char *problem)
{
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *ca_file = NULL;
  WhConnectDialog *dialog;

  if (self->sync == NULL)
    return;
  server = wh_sync_session_dup_server_url (self->sync);
  user = wh_sync_session_dup_user (self->sync);
  ca_file = wh_sync_session_dup_ca_file (self->sync);
  dialog = wh_connect_dialog_new (GTK_WINDOW (self), *server ? server : NULL, *user ? user : NULL,
                                  *ca_file ? ca_file : NULL, problem);
  g_signal_connect (dialog, "response", G_CALLBACK (on_connect_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
connect_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  show_connect_dialog (WH_WINDOW (widget), NULL);
}

gboolean
wh_window_open_cache (WhWindow *self, const char *path)
{
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (WH_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->cache_path != path)
    {
      g_free (self->cache_path);
      self->cache_path = g_strdup (path);
    }

  /* Let go of the old cache before opening (maybe the same file) again. */
  set_context (self, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      show_open_error (self, path, error);
      return FALSE;
    }

  db = wh_db_open (path, &error);
  if (db == NULL)
    {
      show_open_error (self, path, error);
      return FALSE;
    }

  context = wh_context_new (db);
  set_context (self, context);
  start_sync (self, path);
  return TRUE;
}

/* "Show in Queue" on a cell's card: the queue, narrowed to that cell. */
static void
on_show_in_queue (WhMapPage *page, const char *grid_id, WhWindow *self)
{
  wh_queue_page_set_grid_filter (self->queue_page, grid_id);
  wh_window_show_page (self, "queue");
}

static void
on_welcome_loaded (WhWelcomePage *page, WhWindow *self)
{
  /* The street was written through another connection: open the cache afresh so that
   * every store reads it from a clean start. */
  g_autofree char *path = g_strdup (self->cache_path);

  wh_window_open_cache (self, path);
}

WhContext *
wh_window_get_context (WhWindow *self)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);
  return self->context;
}

gboolean
wh_window_show_page (WhWindow *self, const char *name)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (name, page_names[i]) == 0)
      {
        adw_view_stack_set_visible_child_name (self->view_stack, name);
        return TRUE;
      }
  return FALSE;
}

const char *
wh_window_get_visible_page (WhWindow *self)
{
  const char *outer;

  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);

  outer = gtk_stack_get_visible_child_name (self->content_stack);
  if (g_strcmp0 (outer, "desk") != 0)
    return outer;
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

GtkWidget *
wh_window_get_page (WhWindow *self, const char *name)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);

  if (g_strcmp0 (name, "map") == 0)
    return GTK_WIDGET (self->map_page);
  if (g_strcmp0 (name, "queue") == 0)
    return GTK_WIDGET (self->queue_page);
  if (g_strcmp0 (name, "roster") == 0)
    return GTK_WIDGET (self->roster_page);
  if (g_strcmp0 (name, "assessment") == 0)
    return GTK_WIDGET (self->assessment_page);
  if (g_strcmp0 (name, "welcome") == 0)
    return GTK_WIDGET (self->welcome_page);
  return NULL;
}

AdwMessageDialog *
wh_window_get_error_dialog (WhWindow *self)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);
  return self->error_dialog;
}

const char *
wh_window_get_street_text (WhWindow *self)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);
  return gtk_label_get_label (self->street_label);
}

const char *
wh_window_get_duty_text (WhWindow *self)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);
  return gtk_label_get_label (self->duty_label);
}

const char *
wh_window_get_overdue_text (WhWindow *self)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);
  return gtk_label_get_label (self->overdue_label);
}

static void
show_page_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  WhWindow *self = WH_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "desk") == 0)
    wh_window_show_page (self, g_variant_get_string (parameter, NULL));
}

/* win.show-incident: the queue, with that incident selected and scrolled to (the filters
 * cleared when it lies outside them). */
static void
show_incident_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  WhWindow *self = WH_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "desk") != 0)
    return;
  wh_window_show_page (self, "queue");
  wh_queue_page_show_incident (self->queue_page, g_variant_get_string (parameter, NULL));
}

static void
show_overdue_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  WhWindow *self = WH_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "desk") != 0)
    return;
  wh_window_show_page (self, "queue");
  wh_queue_filter_set_view (self->queue_filter, WH_INCIDENT_VIEW_OVERDUE);
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  WhWindow *self = WH_WINDOW (widget);
  g_autoptr (WhContext) context = NULL;

  if (self->context == NULL)
    return;
  context = g_object_ref (self->context);
  wh_context_reload (context);
  set_context (self, context);
}

/* Restores the size of the last run, but never larger than the screen: a desk may start
 * on a 1024×768 projector, where the whole window must be visible. */
static void
restore_size (WhWindow *self)
{
  GSettings  *settings = get_settings (self);
  GdkDisplay *display = gdk_display_get_default ();
  int         width = 1400, height = 900;

  if (settings != NULL)
    {
      width = g_settings_get_int (settings, "window-width");
      height = g_settings_get_int (settings, "window-height");
    }

  if (display != NULL)
    {
      GListModel *monitors = gdk_display_get_monitors (display);

      if (g_list_model_get_n_items (monitors) > 0)
        {
          g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          width = MIN (width, (int) (geometry.width * SCREEN_FRACTION));
          height = MIN (height, (int) (geometry.height * SCREEN_FRACTION));
        }
    }

  gtk_window_set_default_size (GTK_WINDOW (self), MAX (width, 360), MAX (height, 480));
  if (settings != NULL && g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* g_object_new() sets "application" after constructed(): the settings (the last size,
 * the queue's saved views and sort) can be read only from here. */
static void
on_application (WhWindow *self)
{
  if (get_settings (self) == NULL)
    return;
  restore_size (self);
  wh_queue_page_set_settings (self->queue_page, get_settings (self));
}

static gboolean
wh_window_close_request (GtkWindow *window)
{
  WhWindow  *self = WH_WINDOW (window);
  GSettings *settings = get_settings (self);

  if (settings != NULL)
    {
      const char *page = wh_window_get_visible_page (self);
      int         width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (settings, "window-width", width);
          g_settings_set_int (settings, "window-height", height);
        }
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
        if (g_strcmp0 (page, page_names[i]) == 0)
          g_settings_set_string (settings, "last-page", page);
      g_settings_apply (settings);
    }

  return GTK_WINDOW_CLASS (wh_window_parent_class)->close_request (window);
}

static void
wh_window_constructed (GObject *object)
{
  WhWindow *self = WH_WINDOW (object);

  G_OBJECT_CLASS (wh_window_parent_class)->constructed (object);

  restore_size (self);
}

static void
wh_window_dispose (GObject *object)
{
  WhWindow *self = WH_WINDOW (object);

  g_clear_handle_id (&self->header_timer, g_source_remove);
  stop_sync (self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_WINDOW);
  g_clear_object (&self->queue_filter);

  G_OBJECT_CLASS (wh_window_parent_class)->dispose (object);
}

static void
wh_window_finalize (GObject *object)
{
  WhWindow *self = WH_WINDOW (object);

  g_free (self->cache_path);

  G_OBJECT_CLASS (wh_window_parent_class)->finalize (object);
}

static void
wh_window_class_init (WhWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  /**
   * WhWindow::context-changed:
   *
   * The window shows another cache, or none, or its cache got its street (a first sync):
   * wh_window_get_context() may say something else now.
   */
  signals[CONTEXT_CHANGED] = g_signal_new ("context-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                           0);

  object_class->constructed = wh_window_constructed;
  object_class->dispose = wh_window_dispose;
  object_class->finalize = wh_window_finalize;
  window_class->close_request = wh_window_close_request;

  g_type_ensure (WH_TYPE_WELCOME_PAGE);
  g_type_ensure (WH_TYPE_MAP_PAGE);
  g_type_ensure (WH_TYPE_QUEUE_PAGE);
  g_type_ensure (WH_TYPE_ROSTER_PAGE);
  g_type_ensure (WH_TYPE_ASSESSMENT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/whistle/Desk/wh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WhWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, street_label);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, sync_box);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, outbox_label);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, duty_box);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, duty_label);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, overdue_button);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, unavailable_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, map_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, queue_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, roster_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, assessment_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, toast_overlay);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.show-incident", "s", show_incident_action);
  gtk_widget_class_install_action (widget_class, "win.show-overdue", NULL, show_overdue_action);
}

static void
wh_window_init (WhWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* One filter: the queue lists it and the map draws it. */
  self->queue_filter = wh_queue_filter_new ();
  wh_queue_page_set_filter (self->queue_page, self->queue_filter);
  wh_map_page_set_queue_filter (self->map_page, self->queue_filter);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application), NULL);

  g_object_bind_property (self->switcher_title, "title-visible", self->switcher_bar, "reveal",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect (self->welcome_page, "loaded", G_CALLBACK (on_welcome_loaded), self);
  /* One selected incident for the map and the queue. */
  g_object_bind_property (self->map_page, "selected-incident", self->queue_page,
                          "selected-incident", G_BINDING_BIDIRECTIONAL);
  g_signal_connect (self->map_page, "show-in-queue", G_CALLBACK (on_show_in_queue), self);
  g_signal_connect_swapped (self, "notify::default-width", G_CALLBACK (update_header_layout), self);
  g_signal_connect_swapped (self, "notify::maximized", G_CALLBACK (update_header_layout), self);
  self->header_timer = g_timeout_add_seconds (HEADER_REFRESH_SECONDS, on_header_timer, self);

  set_context (self, NULL);
}

WhWindow *
wh_window_new (GtkApplication *application)
{
  return g_object_new (WH_TYPE_WINDOW, "application", application, NULL);
}

WhSyncEngine *
wh_window_get_sync_engine (WhWindow *self)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);
  return self->sync_engine;
}
