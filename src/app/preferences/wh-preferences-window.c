/* wh-preferences-window.c — the desk's Preferences: what the map is drawn on */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-application.h"
#include "wh-mbtiles-source.h"
#include "wh-mbtiles-writer.h"
#include "wh-preferences-window.h"
#include "wh-renderer.h"
#include "wh-tile-cache.h"
#include "wh-tile-provider.h"

/* The rows of the base-map choice, in the order of the template's list. */
static const char *const base_maps[] = { "offline", "osm", "tianditu", "amap", "custom" };

/* Custom servers take {s} as Leaflet does. */
#define CUSTOM_SUBDOMAINS "abc"

struct _WhPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* template children */
  AdwPreferencesGroup *base_map_group;
  AdwComboRow         *base_map_row;
  AdwActionRow        *file_row;
  GtkWidget           *reset_file_button;
  AdwEntryRow         *key_row;
  AdwEntryRow         *url_row;
  AdwComboRow         *crs_row;
  AdwComboRow         *renderer_row;
  GtkLabel            *error_label;
  AdwActionRow        *usage_row;
  GtkWidget           *clear_button;
  GtkSpinButton       *limit_spin;

  GSettings            *settings;
  char                 *cache_path;
  GtkFileChooserNative *chooser;
  gboolean              updating; /* rows are being set from the settings */
};

G_DEFINE_FINAL_TYPE (WhPreferencesWindow, wh_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
set_error (WhPreferencesWindow *self, const char *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && *message != '\0');
}

static const char *
choice_description (const char *base_map)
{
  if (g_str_equal (base_map, "osm"))
    return _ ("OpenStreetMap’s tiles, fetched as the map moves and saved on this computer, so "
              "the area last seen stays on the map without a network.");
  if (g_str_equal (base_map, "tianditu"))
    return _ ("The national Tianditu map (CGCS2000) with its Chinese names. It needs a server "
              "key (tk) from console.tianditu.gov.cn. Tiles are saved on this computer.");
  if (g_str_equal (base_map, "amap"))
    return _ ("AMap’s street map. Its tiles are drawn in GCJ-02; Whistle shifts them so they "
              "line up with the grid cells. Tiles are saved on this computer.");
  if (g_str_equal (base_map, "custom"))
    return _ ("A tile server of the district or another provider. In the address, {x}, {y} "
              "and {z} stand for the tile; {-y} counts rows from the south, {s} takes a, b "
              "or c, and {tk} the key.");
  return _ ("An MBTiles file on this computer: works without a network. Without a chosen "
            "file, the map beside the cache is used (drawn for the demo street).");
}

static char *
beside_cache_path (WhPreferencesWindow *self)
{
  return self->cache_path ? wh_mbtiles_writer_path_for_cache (self->cache_path) : NULL;
}

/* The "renderer" setting's choices, in the row's order. */
static const char *const renderers[] = { "automatic", "opengl", "cairo" };

static void
update_renderer_subtitle (WhPreferencesWindow *self)
{
  GtkWindow       *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  const char      *now = wh_renderer_describe (parent ? GTK_WIDGET (parent) : GTK_WIDGET (self));
  g_autofree char *text = NULL;

  if (now != NULL)
    /* Translators: %s is "OpenGL" or "cairo" */
    text = g_strdup_printf (_ ("Now drawn with %s"), now);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->renderer_row), text ? text : "");
}

/* Shows the rows the chosen base map needs, with the settings' values. */
static void
update_rows (WhPreferencesWindow *self)
{
  g_autofree char *base_map = g_settings_get_string (self->settings, "base-map");
  g_autofree char *file = g_settings_get_string (self->settings, "offline-map-path");
  g_autofree char *crs = g_settings_get_string (self->settings, "custom-tile-crs");
  g_autofree char *renderer = g_settings_get_string (self->settings, "renderer");
  gboolean         offline = g_str_equal (base_map, "offline");
  gboolean         custom = g_str_equal (base_map, "custom");

  self->updating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (base_maps); i++)
    if (g_str_equal (base_maps[i], base_map))
      adw_combo_row_set_selected (self->base_map_row, i);
  adw_combo_row_set_selected (self->crs_row, g_str_equal (crs, "gcj02") ? 1 : 0);
  for (guint i = 0; i < G_N_ELEMENTS (renderers); i++)
    if (g_str_equal (renderers[i], renderer))
      adw_combo_row_set_selected (self->renderer_row, i);
  self->updating = FALSE;
  update_renderer_subtitle (self);

  adw_preferences_group_set_description (self->base_map_group, choice_description (base_map));
  gtk_widget_set_visible (GTK_WIDGET (self->file_row), offline);
  gtk_widget_set_visible (GTK_WIDGET (self->key_row), g_str_equal (base_map, "tianditu") || custom);
  gtk_widget_set_visible (GTK_WIDGET (self->url_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->crs_row), custom);

  if (*file != '\0')
    {
      g_autofree char *shown = g_filename_display_name (file);

      adw_action_row_set_subtitle (self->file_row, shown);
    }
  else
    {
      g_autofree char *beside = beside_cache_path (self);
      g_autofree char *shown = beside ? g_filename_display_name (beside) : NULL;
      /* Translators: %s is a file name */
      g_autofree char *text = shown ? g_strdup_printf (_ ("Beside the cache: %s"), shown)
                                    : g_strdup (_ ("Beside the cache"));

      adw_action_row_set_subtitle (self->file_row, text);
    }
  gtk_widget_set_visible (self->reset_file_button, *file != '\0');
}

static void
update_usage (WhPreferencesWindow *self)
{
  WhTileCache     *cache = wh_tile_cache_get_default ();
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;
  guint            n;

  if (cache == NULL)
    {
      adw_action_row_set_subtitle (self->usage_row, _ ("Tiles cannot be saved on this computer"));
      gtk_widget_set_sensitive (self->clear_button, FALSE);
      return;
    }
  n = wh_tile_cache_count (cache);
  size = g_format_size (wh_tile_cache_get_size (cache));
  /* Translators: "12.3 MB in 840 tiles" */
  text = g_strdup_printf (ngettext ("%s in %u tile", "%s in %u tiles", n), size, n);
  adw_action_row_set_subtitle (self->usage_row, text);
  gtk_widget_set_sensitive (self->clear_button, n > 0);
}

static void
on_settings_changed (WhPreferencesWindow *self, const char *key)
{
  if (g_strcmp0 (key, "tile-cache-size") == 0)
    {
      /* The map page sets the cache's limit from the key too; this window may be open
       * without one. Lowering the limit evicts, which the usage row should show. */
      WhTileCache *cache = wh_tile_cache_get_default ();

      if (cache != NULL)
        wh_tile_cache_set_size_limit (cache, (guint64) g_settings_get_uint (self->settings, key) *
                                               1000 * 1000);
      update_usage (self);
      return;
    }
  update_rows (self);
}

/* The choice */

static void
on_base_map_selected (WhPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->base_map_row);

  if (self->updating || selected >= G_N_ELEMENTS (base_maps))
    return;
  set_error (self, NULL);
  g_settings_set_string (self->settings, "base-map", base_maps[selected]);
}

static void
on_renderer_selected (WhPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->renderer_row);

  if (self->updating || selected >= G_N_ELEMENTS (renderers))
    return;
  g_settings_set_string (self->settings, "renderer", renderers[selected]);
}

static void
on_crs_selected (WhPreferencesWindow *self)
{
  if (self->updating)
    return;
  g_settings_set_string (self->settings, "custom-tile-crs",
                         adw_combo_row_get_selected (self->crs_row) == 1 ? "gcj02" : "wgs84");
}

static void
on_key_applied (WhPreferencesWindow *self)
{
  g_autofree char *key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));

  g_settings_set_string (self->settings, "tile-key", g_strstrip (key));
  set_error (self, NULL);
}

gboolean
wh_preferences_window_apply_custom_url (WhPreferencesWindow *self, const char *url_template)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (WH_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (url_template != NULL, FALSE);

  url = g_strstrip (g_strdup (url_template));
  key = g_settings_get_string (self->settings, "tile-key");
  /* A missing key is the key row's business: the address itself may be fine. */
  if (!wh_tile_template_check (url, CUSTOM_SUBDOMAINS, *key ? key : "key", &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
      set_error (self, error->message);
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  set_error (self, NULL);
  g_settings_set_string (self->settings, "custom-tile-url", url);
  return TRUE;
}

static void
on_url_applied (WhPreferencesWindow *self)
{
  wh_preferences_window_apply_custom_url (self,
                                          gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
}

/* The offline file */

static void
on_file_chosen (GtkNativeDialog *dialog, int response, WhPreferencesWindow *self)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr (WhMbtilesSource) source = NULL;
  g_autoptr (ShumateRasterRenderer) renderer = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;

  /* Refused here, where it was chosen, rather than on the map later. */
  source = wh_mbtiles_source_new (path, &error);
  if (source != NULL)
    renderer = wh_mbtiles_source_new_renderer (source, &error);
  if (renderer == NULL)
    {
      set_error (self, error->message);
      return;
    }
  set_error (self, NULL);
  g_settings_set_string (self->settings, "offline-map-path", path);
}

static void
choose_file (WhPreferencesWindow *self)
{
  g_autoptr (GtkFileFilter) mbtiles = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser =
    gtk_file_chooser_native_new (_ ("Choose an Offline Map"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Choose"), _ ("_Cancel"));
  gtk_file_filter_set_name (mbtiles, _ ("MBTiles maps"));
  gtk_file_filter_add_pattern (mbtiles, "*.mbtiles");
  gtk_file_filter_set_name (all, _ ("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), mbtiles);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_file (WhPreferencesWindow *self)
{
  set_error (self, NULL);
  g_settings_set_string (self->settings, "offline-map-path", "");
}

/* Saved tiles */

static void
on_cleared (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (WhPreferencesWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!wh_tile_cache_clear_finish (WH_TILE_CACHE (object), result, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (error->message));
  else
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (_ ("Saved map tiles cleared")));
  update_usage (self);
}

static void
on_clear_response (AdwMessageDialog *dialog, const char *response, WhPreferencesWindow *self)
{
  WhTileCache *cache = wh_tile_cache_get_default ();

  if (g_strcmp0 (response, "clear") != 0 || cache == NULL)
    return;
  gtk_widget_set_sensitive (self->clear_button, FALSE);
  wh_tile_cache_clear_async (cache, NULL, on_cleared, g_object_ref (self));
}

static void
ask_clear (WhPreferencesWindow *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (self), _ ("Clear Saved Map Tiles?"),
    _ ("The online map fetches them again when there is a network. Until then, areas not "
       "seen since are blank on this computer.")));

  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "clear", _ ("C_lear"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "clear", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_clear_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
wh_preferences_window_dispose (GObject *object)
{
  WhPreferencesWindow *self = WH_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (wh_preferences_window_parent_class)->dispose (object);
}

static void
wh_preferences_window_finalize (GObject *object)
{
  WhPreferencesWindow *self = WH_PREFERENCES_WINDOW (object);

  g_free (self->cache_path);

  G_OBJECT_CLASS (wh_preferences_window_parent_class)->finalize (object);
}

static void
wh_preferences_window_class_init (WhPreferencesWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_preferences_window_dispose;
  object_class->finalize = wh_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, base_map_group);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, base_map_row);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, file_row);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, reset_file_button);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, crs_row);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, renderer_row);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, usage_row);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, clear_button);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, limit_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_base_map_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_renderer_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_crs_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_key_applied);
  gtk_widget_class_bind_template_callback (widget_class, on_url_applied);
  gtk_widget_class_bind_template_callback (widget_class, choose_file);
  gtk_widget_class_bind_template_callback (widget_class, reset_file);
  gtk_widget_class_bind_template_callback (widget_class, ask_clear);
}

static void
wh_preferences_window_init (WhPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

WhPreferencesWindow *
wh_preferences_window_new (GtkWindow *parent, GSettings *settings, const char *cache_path)
{
  WhPreferencesWindow *self;
  g_autofree char     *key = NULL;
  g_autofree char     *url = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (WH_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  self->cache_path = g_strdup (cache_path);

  key = g_settings_get_string (settings, "tile-key");
  url = g_settings_get_string (settings, "custom-tile-url");
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), key);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  g_settings_bind (settings, "tile-cache-size", self->limit_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (settings, "changed", G_CALLBACK (on_settings_changed), self);
  update_rows (self);
  update_usage (self);
  return self;
}

const char *
wh_preferences_window_get_error (WhPreferencesWindow *self)
{
  g_return_val_if_fail (WH_IS_PREFERENCES_WINDOW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_label (self->error_label)
           : "";
}

const char *
wh_preferences_window_get_usage (WhPreferencesWindow *self)
{
  g_return_val_if_fail (WH_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (self->usage_row);
}

void
wh_preferences_window_activate (GSimpleAction *action, GVariant *parameter, gpointer application)
{
  static GWeakRef open_window;
  WhApplication  *app = WH_APPLICATION (application);
  GtkWindow      *parent = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr (GObject) existing = g_weak_ref_get (&open_window);
  g_autofree char     *cache_path = NULL;
  WhPreferencesWindow *window;

  if (existing != NULL)
    {
      gtk_window_present (GTK_WINDOW (existing));
      return;
    }
  if (wh_application_get_settings (app) == NULL)
    {
      g_warning ("Preferences need the settings schema %s, which is not installed", APP_ID);
      return;
    }
  cache_path = wh_application_dup_cache_path (app);
  window = wh_preferences_window_new (parent, wh_application_get_settings (app), cache_path);
  g_weak_ref_set (&open_window, window);
  gtk_window_present (GTK_WINDOW (window));
}
