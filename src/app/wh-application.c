/* wh-application.c — the desk application: options, settings, app-wide actions */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-application.h"
#include "wh-renderer.h"
#include "wh-deadline-notifier.h"
#include "wh-resources.h"
#include "incident/wh-action-dialog.h"
#include "incident/wh-action-rules.h"
#include "incident/wh-desk-actor.h"
#include "incident/wh-new-incident-dialog.h"
#include "preferences/wh-preferences-window.h"
#include "queue/wh-queue-page.h"

/* How often the notifier is pointed at the cache the desk shows (it may be replaced). */

struct _WhApplication
{
  AdwApplication      parent_instance;
  GSettings          *settings;
  char               *cache_path;
  char               *start_page;
  char               *start_incident; /* --incident */
  char               *start_form;     /* --form */
  WhDeadlineNotifier *notifier;
};

G_DEFINE_FINAL_TYPE (WhApplication, wh_application, ADW_TYPE_APPLICATION)

static WhWindow  *desk_window (WhApplication *self);
static WhContext *desk_context (WhWindow *window);
static void       follow_desk (WhApplication *self);
static void open_new_incident (WhApplication *self, gboolean with_location, double lon, double lat);

static const GOptionEntry option_entries[] = {
  { "cache", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Open this local cache file instead of the usual one"), N_ ("FILE") },
  { "page", 'p', 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Show this page first: map, queue, roster or assessment"), N_ ("PAGE") },
  { "incident", 'i', 0, G_OPTION_ARG_STRING, NULL, N_ ("Show this incident (its id) first"),
    N_ ("ID") },
  { "form", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Open a form at start: new-incident, or an action such as whistle or feedback for "
        "the incident shown"),
    N_ ("FORM") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and quit"), NULL },
  { NULL }
};

char *
wh_application_get_default_cache_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "whistle", "demo-street.db", NULL);
}

GSettings *
wh_application_get_settings (WhApplication *self)
{
  g_return_val_if_fail (WH_IS_APPLICATION (self), NULL);
  return self->settings;
}

void
wh_application_set_cache_path (WhApplication *self, const char *path)
{
  g_return_if_fail (WH_IS_APPLICATION (self));

  g_free (self->cache_path);
  self->cache_path = g_strdup (path);
}

char *
wh_application_dup_cache_path (WhApplication *self)
{
  g_return_val_if_fail (WH_IS_APPLICATION (self), NULL);

  if (self->cache_path != NULL && *self->cache_path != '\0')
    return g_strdup (self->cache_path);
  if (self->settings != NULL)
    {
      g_autofree char *path = g_settings_get_string (self->settings, "cache-path");

      if (*path != '\0')
        return g_steal_pointer (&path);
    }
  return wh_application_get_default_cache_path ();
}

void
wh_application_set_start_page (WhApplication *self, const char *page)
{
  g_return_if_fail (WH_IS_APPLICATION (self));

  g_free (self->start_page);
  self->start_page = g_strdup (page);
}

WhWindow *
wh_application_open_window (WhApplication *self)
{
  g_autofree char *path = NULL;
  g_autofree char *last_page = NULL;
  WhWindow        *window;

  g_return_val_if_fail (WH_IS_APPLICATION (self), NULL);

  window = wh_window_new (GTK_APPLICATION (self));
  g_signal_connect_object (window, "context-changed", G_CALLBACK (follow_desk), self,
                           G_CONNECT_SWAPPED);
  path = wh_application_dup_cache_path (self);

  if (self->settings != NULL)
    last_page = g_settings_get_string (self->settings, "last-page");
  if (!wh_window_show_page (window, self->start_page) && !wh_window_show_page (window, last_page))
    wh_window_show_page (window, "queue");

  gtk_window_present (GTK_WINDOW (window));
  /* Open after presenting, so an error dialog has a window to sit on. */
  wh_window_open_cache (window, path);
  if (self->notifier != NULL)
    wh_deadline_notifier_set_context (self->notifier, desk_context (window));

  return window;
}

/* --incident and --form: what the desk shows first (screenshots, links from elsewhere). */
static gboolean
start_with_idle (gpointer data)
{
  WhApplication *self = data;
  WhWindow      *window = desk_window (self);
  WhAction       action;

  if (window == NULL)
    return G_SOURCE_REMOVE;
  if (self->start_incident != NULL)
    wh_application_show_incident (self, self->start_incident);
  if (g_strcmp0 (self->start_form, "new-incident") == 0)
    open_new_incident (self, FALSE, 0, 0);
  else if (self->start_form != NULL && wh_action_from_string (self->start_form, &action))
    g_action_group_activate_action (
      G_ACTION_GROUP (self), "incident-action",
      g_variant_new ("(s@as)", self->start_form,
                     g_variant_new_strv ((const char *const[]){ self->start_incident, NULL },
                                         self->start_incident != NULL ? 1 : 0)));
  return G_SOURCE_REMOVE;
}

static void
start_with (WhApplication *self)
{
  if (self->start_incident != NULL || self->start_form != NULL)
    g_idle_add_full (G_PRIORITY_LOW, start_with_idle, g_object_ref (self), g_object_unref);
}

static void
wh_application_activate (GApplication *app)
{
  WhApplication *self = WH_APPLICATION (app);
  GtkWindow     *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    {
      if (self->start_page != NULL)
        wh_window_show_page (WH_WINDOW (window), self->start_page);
      gtk_window_present (window);
      return;
    }

  wh_application_open_window (self);
  start_with (self);
}

static int
wh_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  WhApplication   *self = WH_APPLICATION (app);
  const char      *page = NULL;
  g_autofree char *cache = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", _ ("Whistle"), PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "cache", "^ay", &cache))
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (cache);
      g_autofree char *abs = g_file_get_path (file);

      wh_application_set_cache_path (self, abs ? abs : cache);
    }

  if (g_variant_dict_lookup (options, "incident", "&s", &page))
    self->start_incident = g_strdup (page);
  if (g_variant_dict_lookup (options, "form", "&s", &page))
    {
      WhAction action;

      if (g_strcmp0 (page, "new-incident") != 0 && !wh_action_from_string (page, &action))
        {
          /* Translators: %s is what was given to --form */
          g_printerr (_ ("Unknown form “%s”: use new-incident or an action such as whistle\n"),
                      page);
          return 1;
        }
      self->start_form = g_strdup (page);
    }
  page = NULL;

  if (g_variant_dict_lookup (options, "page", "&s", &page))
    {
      if (g_strv_contains ((const char *const[]){ "map", "queue", "roster", "assessment", NULL },
                           page))
        wh_application_set_start_page (self, page);
      else
        {
          /* Translators: %s is what was given to --page */
          g_printerr (_ ("Unknown page “%s”: use map, queue, roster or assessment\n"), page);
          return 1;
        }
    }

  return -1;
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList          *windows = g_list_copy (gtk_application_get_windows (app));

  /* Close the windows rather than quitting outright, so each remembers its size; the
   * application ends with its last window. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char     *developers[] = { _ ("The Whistle developers"), NULL };
  GtkWidget      *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW, "transient-for",
                        gtk_application_get_active_window (app), "modal", TRUE, "application-icon",
                        APP_ID, "application-name", _ ("Whistle"), "developer-name",
                        _ ("The Whistle developers"), "version", PACKAGE_VERSION, "comments",
                        _ ("The desk of a street comprehensive enforcement command "
                           "center: register incidents, blow the whistle to summon "
                           "the departments, watch every deadline and close the "
                           "loop — also when the network is down."),
                        "license-type", GTK_LICENSE_GPL_3_0, "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _ ("translator-credits"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* Incidents: forms, new incidents, and showing one */

WhActor *
wh_application_dup_actor (WhApplication *self, WhContext *context, GError **error)
{
  g_return_val_if_fail (WH_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (WH_IS_CONTEXT (context), NULL);

  return wh_desk_actor_dup (context, self->settings, wh_context_get_now (context), error);
}

/* The desk window actions go to: the focused one, else any. */
static WhWindow *
desk_window (WhApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (WH_IS_WINDOW (active))
    return WH_WINDOW (active);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (WH_IS_WINDOW (l->data))
      return WH_WINDOW (l->data);
  return NULL;
}

static WhContext *
desk_context (WhWindow *window)
{
  WhContext *context = window ? wh_window_get_context (window) : NULL;

  return context != NULL && wh_context_has_street (context) ? context : NULL;
}

static void
forget_form (gpointer data, GObject *where_the_form_was)
{
  WhApplication *self = data;

  if ((GObject *) g_object_get_data (G_OBJECT (self), "form") == where_the_form_was)
    g_object_set_data (G_OBJECT (self), "form", NULL);
}

static void
remember_form (WhApplication *self, GtkWindow *form)
{
  g_object_set_data (G_OBJECT (self), "form", form);
  g_object_weak_ref (G_OBJECT (form), forget_form, self);
}

GtkWindow *
wh_application_get_form (WhApplication *self)
{
  g_return_val_if_fail (WH_IS_APPLICATION (self), NULL);
  return g_object_get_data (G_OBJECT (self), "form");
}

WhDeadlineNotifier *
wh_application_get_notifier (WhApplication *self)
{
  g_return_val_if_fail (WH_IS_APPLICATION (self), NULL);
  return self->notifier;
}

void
wh_application_show_incident (WhApplication *self, const char *incident_id)
{
  WhWindow *window;

  g_return_if_fail (WH_IS_APPLICATION (self));
  g_return_if_fail (incident_id != NULL);

  window = desk_window (self);
  if (window == NULL)
    window = wh_application_open_window (self);
  gtk_window_present (GTK_WINDOW (window));
  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.show-incident", "s", incident_id))
    {
      /* A window without the action (an older build of the queue): the same by hand. */
      wh_window_show_page (window, "queue");
      wh_queue_page_show_incident (WH_QUEUE_PAGE (wh_window_get_page (window, "queue")),
                                   incident_id);
    }
}

static void open_action_form (WhApplication     *self,
                              WhWindow          *window,
                              WhAction           action,
                              const char *const *incident_ids);

typedef struct
{
  WhApplication *app;
  WhWindow      *window;
  GStrv          ids;
} Redispatch;

static void
redispatch_free (Redispatch *r)
{
  g_object_unref (r->app);
  g_object_unref (r->window);
  g_strfreev (r->ids);
  g_free (r);
}

static gboolean
redispatch_idle (gpointer data)
{
  Redispatch *r = data;

  open_action_form (r->app, r->window, WH_ACTION_WHISTLE, (const char *const *) r->ids);
  return G_SOURCE_REMOVE;
}

/* After a lead unit returned an incident (退单) the street dispatches it again: the whistle
 * form follows the return form for the incidents now waiting. */
static void
on_form_applied (WhActionDialog *form, char **incident_ids, WhApplication *self)
{
  WhWindow  *window = WH_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (form)));
  WhContext *context = desk_context (window);
  g_autoptr (GPtrArray) returned = g_ptr_array_new_with_free_func (g_free);
  Redispatch *r;

  if (wh_action_dialog_get_action (form) != WH_ACTION_RETURN || context == NULL)
    return;
  for (guint i = 0; incident_ids[i] != NULL; i++)
    {
      g_autoptr (WhIncident) incident =
        wh_incident_store_get (wh_context_get_incident_store (context), incident_ids[i], NULL);

      if (incident != NULL && incident->status == WH_STATUS_RETURNED)
        g_ptr_array_add (returned, g_strdup (incident_ids[i]));
    }
  if (returned->len == 0)
    return;
  g_ptr_array_add (returned, NULL);
  r = g_new0 (Redispatch, 1);
  r->app = g_object_ref (self);
  r->window = g_object_ref (window);
  r->ids = (GStrv) g_ptr_array_free (g_steal_pointer (&returned), FALSE);
  /* Once the return form has closed. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, redispatch_idle, r, (GDestroyNotify) redispatch_free);
}

static void
open_action_form (WhApplication     *self,
                  WhWindow          *window,
                  WhAction           action,
                  const char *const *incident_ids)
{
  WhContext *context = desk_context (window);
  g_autoptr (WhActor) actor = NULL;
  g_autoptr (GError) error = NULL;
  WhActionDialog *form;

  if (context == NULL || incident_ids == NULL || incident_ids[0] == NULL)
    {
      if (window != NULL)
        gtk_widget_error_bell (GTK_WIDGET (window));
      return;
    }
  actor = wh_application_dup_actor (self, context, &error);
  form = wh_action_dialog_new (GTK_WINDOW (window), context, actor, error ? error->message : NULL,
                               action, incident_ids);
  g_signal_connect_object (form, "applied", G_CALLBACK (on_form_applied), self, 0);
  remember_form (self, GTK_WINDOW (form));
  gtk_window_present (GTK_WINDOW (form));
}

static void
incident_action_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  WhApplication          *self = WH_APPLICATION (user_data);
  WhWindow               *window = desk_window (self);
  const char             *nick = NULL;
  g_autofree const char **ids = NULL;
  g_auto (GStrv) selected = NULL;
  WhAction which;

  g_variant_get (parameter, "(&s^a&s)", &nick, &ids);
  if (!wh_action_from_string (nick, &which) || which == WH_ACTION_REPORT ||
      which == WH_ACTION_ADD_REPORTER)
    {
      g_warning ("app.incident-action: “%s” is not an action with a form", nick);
      return;
    }
  /* No ids (a keyboard shortcut): the incidents selected in the queue. */
  if ((ids == NULL || ids[0] == NULL) && window != NULL)
    {
      GtkWidget *queue = wh_window_get_page (window, "queue");

      selected = wh_queue_page_dup_selected_ids (WH_QUEUE_PAGE (queue));
      if ((selected == NULL || selected[0] == NULL) &&
          wh_queue_page_get_selected_incident (WH_QUEUE_PAGE (queue)) != NULL)
        {
          g_strfreev (selected);
          selected = g_new0 (char *, 2);
          selected[0] = g_strdup (wh_queue_page_get_selected_incident (WH_QUEUE_PAGE (queue)));
        }
      open_action_form (self, window, which, (const char *const *) selected);
      return;
    }
  open_action_form (self, window, which, ids);
}

static void
on_incident_created (WhNewIncidentDialog *dialog, const char *incident_id, WhApplication *self)
{
  /* Registered here: no news for this desk's notifications. */
  wh_deadline_notifier_mark_seen (self->notifier, incident_id);
  wh_application_show_incident (self, incident_id);
}

static void
on_incident_merged (WhNewIncidentDialog *dialog, const char *incident_id, WhApplication *self)
{
  wh_application_show_incident (self, incident_id);
}

static void
open_new_incident (WhApplication *self, gboolean with_location, double lon, double lat)
{
  WhWindow  *window = desk_window (self);
  WhContext *context = desk_context (window);
  g_autoptr (WhActor) actor = NULL;
  g_autoptr (GError) error = NULL;
  WhNewIncidentDialog *dialog;

  if (context == NULL)
    {
      if (window != NULL)
        gtk_widget_error_bell (GTK_WIDGET (window));
      return;
    }
  actor = wh_application_dup_actor (self, context, &error);
  dialog =
    wh_new_incident_dialog_new (GTK_WINDOW (window), context, actor, error ? error->message : NULL);
  if (with_location)
    wh_new_incident_dialog_set_location (dialog, lon, lat);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_incident_created), self, 0);
  g_signal_connect_object (dialog, "merged", G_CALLBACK (on_incident_merged), self, 0);
  remember_form (self, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_incident_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  open_new_incident (WH_APPLICATION (user_data), FALSE, 0, 0);
}

static void
new_incident_at_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  double lon, lat;

  g_variant_get (parameter, "(dd)", &lon, &lat);
  open_new_incident (WH_APPLICATION (user_data), TRUE, lon, lat);
}

static void
show_incident_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  wh_application_show_incident (WH_APPLICATION (user_data), g_variant_get_string (parameter, NULL));
}

/* The notifier watches the street the desk shows: a window's cache changes (another file,
 * a reload, a first sync bringing the street), or another window comes to the front. */
static void
follow_desk (WhApplication *self)
{
  if (self->notifier != NULL)
    wh_deadline_notifier_set_context (self->notifier, desk_context (desk_window (self)));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "new-incident", new_incident_action },
  { "new-incident-at", new_incident_at_action, "(dd)" },
  { "incident-action", incident_action_action, "(sas)" },
  { "show-incident", show_incident_action, "s" },
  { "preferences", wh_preferences_window_activate },
};

static void
wh_application_startup (GApplication *app)
{
  WhApplication         *self = WH_APPLICATION (app);
  GSettingsSchemaSource *source;
  g_autoptr (GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (wh_application_parent_class)->startup (app);

  /* Without the schema (a build run from its folder) g_settings_new() would abort; run
   * with defaults instead. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
  else
    g_warning ("The settings schema %s is not installed: nothing is remembered this run. "
               "Set GSETTINGS_SCHEMA_DIR when running from the build folder.",
               APP_ID);

  {
    g_autofree char *renderer =
      self->settings ? g_settings_get_string (self->settings, "renderer") : NULL;

    wh_renderer_choose (renderer);
  }

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         (const char *[]){ "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]){ "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         (const char *[]){ "<Control>question", "F1", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.reload",
                                         (const char *[]){ "F5", "<Control>r", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page::map",
                                         (const char *[]){ "<Control>1", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page::queue",
                                         (const char *[]){ "<Control>2", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page::roster",
                                         (const char *[]){ "<Control>3", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-page::assessment",
                                         (const char *[]){ "<Control>4", NULL });

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-incident",
                                         (const char *[]){ "<Control>n", NULL });
  /* Each form's shortcut acts on the incidents selected in the queue (no ids given). */
  {
    guint           n_actions;
    const WhAction *actions = wh_action_rules_get_actions (&n_actions);

    for (guint i = 0; i < n_actions; i++)
      {
        const char      *accel = wh_action_rules_get_accel (actions[i]);
        g_autofree char *detailed = NULL;

        if (accel == NULL)
          continue;
        detailed = g_action_print_detailed_name (
          "app.incident-action",
          g_variant_new ("(s@as)", wh_action_to_string (actions[i]), g_variant_new_strv (NULL, 0)));
        gtk_application_set_accels_for_action (GTK_APPLICATION (app), detailed,
                                               (const char *[]){ accel, NULL });
      }
  }

  self->notifier = wh_deadline_notifier_new (app);
  g_signal_connect (self, "notify::active-window", G_CALLBACK (follow_desk), NULL);
}

static void
wh_application_shutdown (GApplication *app)
{
  WhApplication *self = WH_APPLICATION (app);

  g_signal_handlers_disconnect_by_func (self, follow_desk, NULL);
  if (self->notifier != NULL)
    wh_deadline_notifier_set_context (self->notifier, NULL);

  G_APPLICATION_CLASS (wh_application_parent_class)->shutdown (app);
}

static void
wh_application_finalize (GObject *object)
{
  WhApplication *self = WH_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->notifier);
  g_free (self->cache_path);
  g_free (self->start_page);
  g_free (self->start_incident);
  g_free (self->start_form);

  G_OBJECT_CLASS (wh_application_parent_class)->finalize (object);
}

static void
wh_application_class_init (WhApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = wh_application_finalize;
  app_class->startup = wh_application_startup;
  app_class->shutdown = wh_application_shutdown;
  app_class->activate = wh_application_activate;
  app_class->handle_local_options = wh_application_handle_local_options;
}

static void
wh_application_init (WhApplication *self)
{
  /* The resources live in a static library: referencing them keeps the linker from
   * dropping them, and with them the constructor that registers them. */
  (void) wh_get_resource ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
}

WhApplication *
wh_application_new (void)
{
  return g_object_new (WH_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", "/cn/gov/whistle/Desk",
                       NULL);
}
