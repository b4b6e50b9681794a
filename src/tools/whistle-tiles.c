/* whistle-tiles.c — draws the offline base map of a cache's street into an MBTiles file
 *
 *   whistle-tiles --cache FILE [--output FILE.mbtiles] [--min-zoom 13] [--max-zoom 18]
 *                 [--threads N] [--quiet]
 *
 * Without --output the map is written beside the cache, where the desk looks for it
 * (demo-street.db → demo-street.mbtiles).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wh-db.h"
#include "wh-mbtiles-writer.h"
#include "wh-tile-renderer.h"

typedef struct
{
  gint64   started;
  guint    last_shown;
  gboolean tty;
} Progress;

static void
show_progress (guint done, guint total, gpointer user_data)
{
  Progress *progress = user_data;

  if (!progress->tty || (done - progress->last_shown < MAX (total / 100, 1) && done < total))
    return;
  progress->last_shown = done;
  fprintf (stderr, "\r%3.0f%%  %u/%u  %.1f s", 100.0 * done / total, done, total,
           (g_get_monotonic_time () - progress->started) / (double) G_USEC_PER_SEC);
  if (done >= total)
    fputc ('\n', stderr);
  fflush (stderr);
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = NULL;
  g_autofree char *output = NULL;
  int              min_zoom = WH_TILE_RENDERER_MIN_ZOOM;
  int              max_zoom = WH_TILE_RENDERER_MAX_ZOOM;
  int              threads = 0;
  gboolean         quiet = FALSE;
  GOptionEntry     entries[] = {
        { "cache", 'c', 0, G_OPTION_ARG_FILENAME, &cache, N_ ("The cache whose street to draw"),
          N_ ("FILE") },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
          N_ ("The MBTiles file to write (default: beside the cache)"), N_ ("FILE") },
        { "min-zoom", 0, 0, G_OPTION_ARG_INT, &min_zoom, N_ ("The lowest zoom level (default 13)"),
          N_ ("N") },
        { "max-zoom", 0, 0, G_OPTION_ARG_INT, &max_zoom, N_ ("The highest zoom level (default 18)"),
          N_ ("N") },
        { "threads", 'j', 0, G_OPTION_ARG_INT, &threads,
          N_ ("Threads drawing tiles (default: one per processor)"), N_ ("N") },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_ ("Print nothing but errors"), NULL },
        { NULL }
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhTileRenderer) renderer = NULL;
  Progress progress = { 0 };
  GStatBuf st;
  guint    n_tiles;
  double   seconds;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _ ("Draws the offline base map of a cache’s street into an "
                                   "MBTiles file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto failed;

  if (cache == NULL)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Say which cache to draw: --cache FILE."));
      goto failed;
    }
  if (min_zoom < 0 || max_zoom > 22 || min_zoom > max_zoom || threads < 0)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("The zoom levels must lie between 0 and 22, the lowest first, and the "
                      "threads must not be negative."));
      goto failed;
    }
  if (g_stat (cache, &st) != 0)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("“%s” does not exist."), cache);
      goto failed;
    }
  if (output == NULL)
    output = wh_mbtiles_writer_path_for_cache (cache);

  db = wh_db_open (cache, &error);
  if (db == NULL)
    goto failed;
  renderer = wh_tile_renderer_new (db, &error);
  if (renderer == NULL)
    goto failed;
  g_clear_object (&db);

  n_tiles = wh_mbtiles_writer_count_tiles (renderer, min_zoom, max_zoom);
  progress.started = g_get_monotonic_time ();
  progress.tty = !quiet && isatty (fileno (stderr));
  if (!wh_mbtiles_writer_write (renderer, output, min_zoom, max_zoom, threads, show_progress,
                                &progress, NULL, &error))
    goto failed;
  seconds = (g_get_monotonic_time () - progress.started) / (double) G_USEC_PER_SEC;

  if (!quiet)
    {
      double mib = g_stat (output, &st) == 0 ? st.st_size / 1048576.0 : 0;

      printf (_ ("%s: %s, %u tiles at zoom %d–%d, %.1f MiB, in %.1f s (%.0f tiles/s)%s\n"), output,
              wh_tile_renderer_get_street_name (renderer), n_tiles, min_zoom, max_zoom, mib,
              seconds, n_tiles / MAX (seconds, 1e-3),
              wh_tile_renderer_has_road_names (renderer)
                ? ""
                : _ ("; the cache has no road names, roads are drawn unnamed"));
    }
  return EXIT_SUCCESS;

failed:
  fprintf (stderr, "whistle-tiles: %s\n", error->message);
  return EXIT_FAILURE;
}
