/* wh-application.c — the desk application: options, settings, app-wide actions */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-application.h"
#include "wh-resources.h"

struct _WhApplication
{
  AdwApplication parent_instance;
  GSettings     *settings;
  char          *cache_path;
  char          *start_page;
};

G_DEFINE_FINAL_TYPE (WhApplication, wh_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "cache", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Open this local cache file instead of the usual one"), N_ ("FILE") },
  { "page", 'p', 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Show this page first: map, queue, roster or assessment"), N_ ("PAGE") },
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
  path = wh_application_dup_cache_path (self);

  if (self->settings != NULL)
    last_page = g_settings_get_string (self->settings, "last-page");
  if (!wh_window_show_page (window, self->start_page) && !wh_window_show_page (window, last_page))
    wh_window_show_page (window, "queue");

  gtk_window_present (GTK_WINDOW (window));
  /* Open after presenting, so an error dialog has a window to sit on. */
  wh_window_open_cache (window, path);

  return window;
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

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
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

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);

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
}

static void
wh_application_finalize (GObject *object)
{
  WhApplication *self = WH_APPLICATION (object);

  g_clear_object (&self->settings);
  g_free (self->cache_path);
  g_free (self->start_page);

  G_OBJECT_CLASS (wh_application_parent_class)->finalize (object);
}

static void
wh_application_class_init (WhApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = wh_application_finalize;
  app_class->startup = wh_application_startup;
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
