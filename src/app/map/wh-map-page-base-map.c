/* wh-map-page-base-map.c — what the map is drawn on: an MBTiles file or an online map
 *
 * The base-map setting chooses: "offline" (an MBTiles file: offline-map-path, else the
 * file beside the cache), a built-in online provider ("osm", "tianditu", "amap") or
 * "custom" (custom-tile-url in the datum custom-tile-crs). Any change of these settings
 * reloads the base map of the open page.
 *
 * A cache holding the demo street's map (meta demo_map) but no MBTiles file beside it gets
 * one drawn here, on a worker thread, with its progress on the map: a desk that loads the
 * demo street from the welcome page sees a base map without running whistle-tiles.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-demo-map.h"
#include "wh-map-page-private.h"
#include "wh-mbtiles-writer.h"
#include "wh-tile-renderer.h"

/* The settings the base map depends on. */
static const char *const base_map_keys[] = {
  "base-map", "offline-map-path", "tile-key", "custom-tile-url", "custom-tile-crs",
};

/* Messages */

typedef enum {
  FIX_NONE,
  FIX_PREFERENCES, /* the button opens Preferences */
  FIX_DRAW,        /* the button draws the demo street's map */
} Fix;

static void
show_message (WhMapPage *self, const char *text, Fix fix)
{
  g_free (self->base_map_message);
  self->base_map_message = g_strdup (text);
  gtk_label_set_label (self->message_label, text);
  gtk_widget_set_visible (self->message_box, text != NULL && *text != '\0');

  gtk_widget_set_visible (GTK_WIDGET (self->message_button), fix != FIX_NONE);
  if (fix == FIX_PREFERENCES)
    {
      gtk_button_set_label (self->message_button, _ ("Preferences"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->message_button), "app.preferences");
    }
  else if (fix == FIX_DRAW)
    {
      gtk_button_set_label (self->message_button, _ ("Draw Base Map"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->message_button), "map.draw-base-map");
    }
}

/* An online map's trouble (offline, a refused key) shows as long as it lasts. */
static void
on_problem_changed (WhMapPage *self)
{
  const char *problem = self->online ? wh_tile_source_get_problem (self->online) : NULL;

  show_message (self, problem ? problem : "", FIX_NONE);
}

/* Choosing */

static char *
setting (WhMapPage *self, const char *key)
{
  return self->settings != NULL ? g_settings_get_string (self->settings, key) : g_strdup ("");
}

static char *
choose_base_map_path (WhMapPage *self)
{
  g_autofree char *configured = NULL;

  if (self->explicit_path != NULL)
    return g_strdup (self->explicit_path);
  configured = setting (self, "offline-map-path");
  if (*configured != '\0')
    return g_steal_pointer (&configured);
  if (self->context != NULL)
    return wh_mbtiles_writer_path_for_cache (wh_db_get_path (wh_context_get_db (self->context)));
  return NULL;
}

static void
set_reference (WhMapPage *self, ShumateMapSource *source)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);

  g_set_object (&self->reference, source);
  /* Sets the zoom limits from the source as well. */
  shumate_viewport_set_reference_map_source (viewport, source);
}

static void
show_renderer (WhMapPage *self, ShumateRasterRenderer *renderer)
{
  set_reference (self, SHUMATE_MAP_SOURCE (renderer));
  self->base_layer =
    shumate_map_layer_new (SHUMATE_MAP_SOURCE (renderer), shumate_map_get_viewport (self->map));
  shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->base_layer),
                                   SHUMATE_LAYER (self->grid_layer));
  shumate_license_append_map_source (self->license, SHUMATE_MAP_SOURCE (renderer));
}

static void
clear_base_map (WhMapPage *self)
{
  if (self->base_layer != NULL)
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->base_layer));
      self->base_layer = NULL;
    }
  if (self->reference != NULL && self->reference != self->plain)
    shumate_license_remove_map_source (self->license, self->reference);
  if (self->online != NULL)
    g_signal_handlers_disconnect_by_data (self->online, self);
  g_clear_object (&self->source);
  g_clear_object (&self->online);
  g_clear_pointer (&self->base_map_path, g_free);
  set_reference (self, self->plain);
  show_message (self, "", FIX_NONE);
}

static gboolean
cache_has_demo_map (WhMapPage *self)
{
  g_autofree char *json = NULL;

  if (self->context == NULL)
    return FALSE;
  json = wh_db_get_meta (wh_context_get_db (self->context), WH_DEMO_MAP_META_KEY);
  return json != NULL && *json != '\0';
}

static void start_drawing (WhMapPage *self);

static void
load_offline (WhMapPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhMbtilesSource) source = NULL;
  g_autoptr (ShumateRasterRenderer) renderer = NULL;
  g_autofree char *configured = setting (self, "offline-map-path");
  g_autofree char *shown = NULL;

  self->base_map_path = choose_base_map_path (self);
  if (self->base_map_path == NULL)
    return;

  source = wh_mbtiles_source_new (self->base_map_path, &error);
  if (source != NULL)
    renderer = wh_mbtiles_source_new_renderer (source, &error);
  if (renderer != NULL)
    {
      self->source = g_steal_pointer (&source);
      show_renderer (self, renderer);
      return;
    }

  shown = g_filename_display_name (self->base_map_path);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_autofree char *text = NULL;

      /* The file that goes with the cache is missing, and the cache knows its streets:
       * draw it now rather than send the officer to a command line. */
      if (self->explicit_path == NULL && *configured == '\0' && cache_has_demo_map (self))
        {
          if (self->drawing != NULL)
            return;
          if (!self->drawing_refused)
            {
              start_drawing (self);
              return;
            }
          /* Translators: %s is a file name */
          text = g_strdup_printf (_ ("No base map: “%s” was not drawn. The grid is shown on a "
                                     "plain background."),
                                  shown);
          show_message (self, text, FIX_DRAW);
          return;
        }
      /* Translators: %s is a file name */
      text = g_strdup_printf (_ ("No offline base map: “%s” does not exist. Choose a map file "
                                 "or an online map in Preferences. The grid is shown on a "
                                 "plain background."),
                              shown);
      show_message (self, text, FIX_PREFERENCES);
    }
  else
    {
      /* Translators: %s says what is wrong with the file */
      g_autofree char *text = g_strdup_printf (
        _ ("The base map cannot be shown. %s. The grid is shown on a plain background."),
        error->message);

      show_message (self, text, FIX_PREFERENCES);
    }
}

static void
on_cache_size_changed (WhMapPage *self)
{
  WhTileCache *cache = wh_tile_cache_get_default ();

  if (cache != NULL && self->settings != NULL)
    wh_tile_cache_set_size_limit (
      cache, (guint64) g_settings_get_uint (self->settings, "tile-cache-size") * 1000 * 1000);
}

static void
load_online (WhMapPage *self, const char *kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhTileSource) source = NULL;
  g_autoptr (ShumateRasterRenderer) renderer = NULL;
  g_autofree char      *key = setting (self, "tile-key");
  g_autofree char      *custom_id = NULL;
  g_autofree char      *custom_url = NULL;
  g_autofree char      *custom_license = NULL;
  const WhTileProvider *provider = wh_tile_provider_lookup (kind);
  WhTileProvider        custom;

  if (provider == NULL)
    {
      g_autofree char *crs = setting (self, "custom-tile-crs");
      WhTileCrs datum = g_strcmp0 (crs, "gcj02") == 0 ? WH_TILE_CRS_GCJ02 : WH_TILE_CRS_WGS84;

      custom_url = setting (self, "custom-tile-url");
      custom_id = wh_tile_provider_custom_id (custom_url, datum);
      /* Credit whose tiles they are: the server's name is all that is known. */
      {
        g_autoptr (GUri) uri = g_uri_parse (custom_url, G_URI_FLAGS_NONE, NULL);

        if (uri != NULL && g_uri_get_host (uri) != NULL)
          /* Translators: the credit of a custom map server; %s is its host name */
          custom_license = g_strdup_printf (_ ("Map tiles: %s"), g_uri_get_host (uri));
      }
      /* A district's own server: {s} as Leaflet and OpenLayers take it. */
      custom = (WhTileProvider){ .id = custom_id,
                                 .name = N_ ("Custom map server"),
                                 .url = custom_url,
                                 .subdomains = "abc",
                                 .crs = datum,
                                 .license = custom_license,
                                 .min_zoom = 0,
                                 .max_zoom = 19,
                                 .max_connections = 4 };
      provider = &custom;
    }

  on_cache_size_changed (self);
  source = wh_tile_source_new (provider, key, wh_tile_cache_get_default (), &error);
  if (source == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, WH_TILE_PROVIDER_ERROR, WH_TILE_PROVIDER_ERROR_NEEDS_KEY))
        /* Translators: %s is a map's name, e.g. Tianditu */
        text = g_strdup_printf (_ ("%s needs a key (tk): enter it in Preferences. The grid is "
                                   "shown on a plain background."),
                                _ (provider->name));
      else
        /* Translators: %s says what is wrong with the online map's settings */
        text = g_strdup_printf (_ ("The online map cannot be shown. %s. The grid is shown on a "
                                   "plain background."),
                                error->message);
      show_message (self, text, FIX_PREFERENCES);
      return;
    }

  self->online = g_steal_pointer (&source);
  g_signal_connect_swapped (self->online, "notify::problem", G_CALLBACK (on_problem_changed), self);
  renderer = wh_tile_source_new_renderer (self->online);
  show_renderer (self, renderer);
}

void
wh_map_page_load_base_map (WhMapPage *self)
{
  g_autofree char *kind = NULL;

  clear_base_map (self);
  kind = self->explicit_path != NULL ? g_strdup ("offline") : setting (self, "base-map");
  if (*kind == '\0' || g_str_equal (kind, "offline"))
    load_offline (self);
  else
    load_online (self, kind);
}

static void
on_base_map_setting_changed (WhMapPage *self)
{
  if (self->context == NULL)
    return;
  /* A choice made by hand is a fresh start for the demo map too. */
  self->drawing_refused = FALSE;
  wh_map_page_load_base_map (self);
}

/* Drawing the demo street's map */

struct _DrawJob
{
  gint          ref_count;
  WhMapPage    *page; /* NULL once the page stopped waiting */
  GCancellable *cancellable;
  char         *path;
  int           done;  /* atomic */
  int           total; /* atomic */
  gboolean      ok;
  GError       *error;
};

static DrawJob *
draw_job_ref (DrawJob *job)
{
  g_atomic_int_inc (&job->ref_count);
  return job;
}

static void
draw_job_unref (DrawJob *job)
{
  if (!g_atomic_int_dec_and_test (&job->ref_count))
    return;
  g_clear_object (&job->cancellable);
  g_clear_error (&job->error);
  g_free (job->path);
  g_free (job);
}

static void
on_progress (guint done, guint total, gpointer user_data)
{
  DrawJob *job = user_data;

  g_atomic_int_set (&job->total, (int) total);
  g_atomic_int_set (&job->done, (int) done);
}

static gboolean
update_progress (gpointer data)
{
  WhMapPage *self = data;
  int        total, done;

  if (self->drawing == NULL)
    return G_SOURCE_CONTINUE;
  total = g_atomic_int_get (&self->drawing->total);
  done = g_atomic_int_get (&self->drawing->done);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->drawing_bar, (double) done / total);
  else
    gtk_progress_bar_pulse (self->drawing_bar);
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  DrawJob        *job;
  WhTileRenderer *renderer;
} DrawData;

static void
draw_data_free (DrawData *data)
{
  draw_job_unref (data->job);
  g_clear_object (&data->renderer);
  g_free (data);
}

static void
draw_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DrawData *data = task_data;
  DrawJob  *job = data->job;
  /* Leave a core to the desk: the officer keeps working while the map is drawn. */
  guint threads = MAX (g_get_num_processors () - 1, 1);

  job->ok = wh_mbtiles_writer_write (data->renderer, job->path, WH_TILE_RENDERER_MIN_ZOOM,
                                     WH_TILE_RENDERER_MAX_ZOOM, threads, on_progress, job,
                                     job->cancellable, &job->error);
  g_task_return_boolean (task, TRUE);
}

static void
on_drawn (GObject *object, GAsyncResult *result, gpointer user_data)
{
  DrawJob   *job = user_data;
  WhMapPage *self = job->page;

  if (self != NULL && self->drawing == job)
    {
      g_clear_handle_id (&self->drawing_timer, g_source_remove);
      self->drawing = NULL;
      gtk_widget_set_visible (self->drawing_box, FALSE);
      if (!job->ok)
        {
          self->drawing_refused = TRUE;
          if (!g_error_matches (job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              /* Translators: %s says why */
              g_autofree char *text = g_strdup_printf (
                _ ("The base map could not be drawn: %s. The grid is shown on a plain "
                   "background."),
                job->error->message);

              show_message (self, text, FIX_DRAW);
            }
          else
            wh_map_page_load_base_map (self);
        }
      else
        wh_map_page_load_base_map (self);
      draw_job_unref (job); /* the page's */
    }
  draw_job_unref (job); /* the callback's */
}

static void
start_drawing (WhMapPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhTileRenderer) renderer = NULL;
  g_autoptr (GTask) task = NULL;
  DrawData *data;
  DrawJob  *job;

  /* Reading the street's cells is quick; drawing some thousand tiles is not. */
  renderer = wh_tile_renderer_new (wh_context_get_db (self->context), &error);
  if (renderer == NULL)
    {
      /* Translators: %s says why */
      g_autofree char *text =
        g_strdup_printf (_ ("The base map could not be drawn: %s. The grid is shown on a plain "
                            "background."),
                         error->message);

      self->drawing_refused = TRUE;
      show_message (self, text, FIX_NONE);
      return;
    }

  job = g_new0 (DrawJob, 1);
  job->ref_count = 2; /* the page's and the callback's */
  job->page = self;
  job->cancellable = g_cancellable_new ();
  job->path = g_strdup (self->base_map_path);
  self->drawing = job;

  data = g_new0 (DrawData, 1);
  data->job = draw_job_ref (job);
  data->renderer = g_steal_pointer (&renderer);

  /* No source object: the page may go away while the thread draws (see
   * wh_map_page_stop_drawing()); the job outlives both. */
  task = g_task_new (NULL, NULL, on_drawn, job);
  g_task_set_task_data (task, data, (GDestroyNotify) draw_data_free);
  g_task_run_in_thread (task, draw_in_thread);

  gtk_progress_bar_set_fraction (self->drawing_bar, 0);
  gtk_widget_set_visible (self->drawing_box, TRUE);
  self->drawing_timer = g_timeout_add (150, update_progress, self);
}

void
wh_map_page_stop_drawing (WhMapPage *self)
{
  DrawJob *job = self->drawing;

  if (job == NULL)
    return;
  /* The thread stops at its next tile and leaves no file; its callback finds the page
   * gone and does nothing. */
  g_cancellable_cancel (job->cancellable);
  job->page = NULL;
  self->drawing = NULL;
  g_clear_handle_id (&self->drawing_timer, g_source_remove);
  gtk_widget_set_visible (self->drawing_box, FALSE);
  draw_job_unref (job);
}

void
wh_map_page_base_map_context_changed (WhMapPage *self)
{
  g_autofree char *path = NULL;

  /* A new context on the same cache (the window makes one after a reload) keeps the
   * drawing going; another cache does not want it. */
  if (self->context != NULL)
    path = wh_mbtiles_writer_path_for_cache (wh_db_get_path (wh_context_get_db (self->context)));
  if (self->drawing != NULL && g_strcmp0 (self->drawing->path, path) != 0)
    wh_map_page_stop_drawing (self);
  /* A map the officer cancelled stays cancelled for that cache, not for the next. */
  if (g_strcmp0 (self->base_map_path, path) != 0)
    self->drawing_refused = FALSE;
}

gboolean
wh_map_page_is_drawing_base_map (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), FALSE);
  return self->drawing != NULL;
}

static void
cancel_drawing_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhMapPage *self = WH_MAP_PAGE (widget);

  if (self->drawing == NULL)
    return;
  wh_map_page_stop_drawing (self);
  self->drawing_refused = TRUE;
  wh_map_page_load_base_map (self);
}

static void
draw_base_map_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhMapPage *self = WH_MAP_PAGE (widget);

  self->drawing_refused = FALSE;
  wh_map_page_load_base_map (self);
}

/* Public API */

void
wh_map_page_set_base_map_path (WhMapPage *self, const char *path)
{
  g_return_if_fail (WH_IS_MAP_PAGE (self));

  g_free (self->explicit_path);
  self->explicit_path = g_strdup (path);
  wh_map_page_load_base_map (self);
  if (self->context != NULL)
    wh_map_page_show_initial_view (self);
}

const char *
wh_map_page_get_base_map_path (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->base_map_path;
}

gboolean
wh_map_page_has_base_map (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), FALSE);
  return self->base_layer != NULL;
}

const char *
wh_map_page_get_base_map_message (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->base_map_message ? self->base_map_message : "";
}

WhTileSource *
wh_map_page_get_tile_source (WhMapPage *self)
{
  g_return_val_if_fail (WH_IS_MAP_PAGE (self), NULL);
  return self->online;
}

/* Set-up */

void
wh_map_page_base_map_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "map.cancel-drawing", NULL, cancel_drawing_action);
  gtk_widget_class_install_action (widget_class, "map.draw-base-map", NULL, draw_base_map_action);
}

void
wh_map_page_base_map_init (WhMapPage *self)
{
  if (self->settings == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (base_map_keys); i++)
    {
      g_autofree char *signal = g_strconcat ("changed::", base_map_keys[i], NULL);

      g_signal_connect_swapped (self->settings, signal, G_CALLBACK (on_base_map_setting_changed),
                                self);
    }
  g_signal_connect_swapped (self->settings, "changed::tile-cache-size",
                            G_CALLBACK (on_cache_size_changed), self);
}

void
wh_map_page_base_map_dispose (WhMapPage *self)
{
  wh_map_page_stop_drawing (self);
  if (self->online != NULL)
    g_signal_handlers_disconnect_by_data (self->online, self);
}
