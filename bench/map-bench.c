/* map-bench.c — frame times of the map page while panning and zooming
 *
 *   map-bench --cache DEMO.db --tiles DEMO.mbtiles [--incidents 0,1000,10000,100000]
 *             [--frames 240] [--size 1280x800] [--repeat 2] [--hide base,grid]
 *   map-bench --cache DEMO.db --tiles DEMO.mbtiles --show [--zoom Z] [--heat] [--card]
 *
 * --show only opens the map page on the street's own incidents and keeps it open (for
 * screenshots: --zoom sets the zoom level, --heat the heat map, --card opens the card of
 * a cell near the middle).
 *
 * Shows the map page on the demo street and its base map, puts N incidents on it (placed
 * at random over the street, in hotspots, with the statuses, priorities and overdue share
 * of a busy street), and drives the view along a circle while zooming in and out, one step
 * per frame of the GTK frame clock. For every frame it measures the paint phase (from the
 * clock's before-paint to after-paint: layout, the layers' snapshots and rendering) and
 * the interval between frames, and prints mean, 95th percentile and worst, next to the
 * same run without incidents. The process's CPU time per paint (renderer threads
 * included) is shown as well: on a shared machine it varies far less than wall time.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "map/wh-map-page.h"
#include "wh-context.h"
#include "wh-mercator.h"

typedef struct
{
  ShumateMap *map;
  double      lat, lon; /* the street's middle */
  double      radius_lat, radius_lon;
  guint       frame;
  guint       n_frames;
  guint       warmup;
  gint64      paint_start;
  gint64      cpu_start;
  gint64      last_frame_time;
  GArray     *paint_us;
  GArray     *cpu_us;
  GArray     *interval_us;
  guint64     drawn;
  gboolean    done;
} Run;

typedef struct
{
  guint64 n;
  double  mean, p95, max;
  double  imean, ip95, imax;
  double  cmean, cp95, cmax;
  double  dots;
} Result;

static gboolean
tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Run             *run = data;
  ShumateViewport *viewport = shumate_map_get_viewport (run->map);
  double           t = (double) run->frame / (run->n_frames - run->warmup);

  if (run->frame >= run->n_frames)
    {
      run->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  /* Around the street once, zooming from the whole street (14) to a block (17.5) and back
   * twice: every frame pans, and half of them cross a zoom level. */
  shumate_viewport_set_zoom_level (viewport, 15.75 - 1.75 * cos (4 * G_PI * t));
  shumate_map_center_on (run->map, run->lat + run->radius_lat * sin (2 * G_PI * t),
                         run->lon + run->radius_lon * cos (2 * G_PI * t));
  run->frame++;
  return G_SOURCE_CONTINUE;
}

/* CPU time of the whole process, renderer threads included: unlike the wall clock, it
 * does not grow when other programs take the machine's processors. */
static gint64
process_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
on_before_paint (GdkFrameClock *clock, Run *run)
{
  run->paint_start = g_get_monotonic_time ();
  run->cpu_start = process_cpu_us ();
}

static void
on_after_paint (GdkFrameClock *clock, Run *run)
{
  gint64 now = g_get_monotonic_time ();
  gint64 frame_time = gdk_frame_clock_get_frame_time (clock);

  if (run->paint_start == 0 || run->frame <= run->warmup || run->done)
    {
      run->last_frame_time = frame_time;
      return;
    }
  g_array_append_val (run->paint_us, (gint64){ now - run->paint_start });
  g_array_append_val (run->cpu_us, (gint64){ process_cpu_us () - run->cpu_start });
  if (run->last_frame_time != 0)
    g_array_append_val (run->interval_us, (gint64){ frame_time - run->last_frame_time });
  run->last_frame_time = frame_time;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
stats (GArray *values, double *mean, double *p95, double *max)
{
  double sum = 0;

  *mean = *p95 = *max = 0;
  if (values->len == 0)
    return;
  g_array_sort (values, compare_gint64);
  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, gint64, i);
  *mean = sum / values->len / 1000.0;
  *p95 = g_array_index (values, gint64, (guint) floor (0.95 * (values->len - 1))) / 1000.0;
  *max = g_array_index (values, gint64, values->len - 1) / 1000.0;
}

/* Incidents as a busy street has them: most in a dozen hotspots (markets, schools,
 * stations), the rest anywhere; a fifth overdue, a tenth urgent. */
static GArray *
make_points (guint n, const WhGeoBounds *b, gint64 now)
{
  static const WhStatus open[] = {
    WH_STATUS_REPORTED,    WH_STATUS_REGISTERED,  WH_STATUS_WHISTLED, WH_STATUS_ACKNOWLEDGED,
    WH_STATUS_IN_PROGRESS, WH_STATUS_IN_PROGRESS, WH_STATUS_RESOLVED, WH_STATUS_REWORK,
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (n + 7);
  GArray *points = g_array_sized_new (FALSE, FALSE, sizeof (WhIncidentPoint), n);
  double  hot[12][2];

  for (guint h = 0; h < G_N_ELEMENTS (hot); h++)
    {
      hot[h][0] = g_rand_double_range (rand, b->min_lon, b->max_lon);
      hot[h][1] = g_rand_double_range (rand, b->min_lat, b->max_lat);
    }
  for (guint i = 0; i < n; i++)
    {
      WhIncidentPoint p = { 0 };

      if (g_rand_int_range (rand, 0, 100) < 60)
        {
          guint  h = g_rand_int_range (rand, 0, G_N_ELEMENTS (hot));
          double r = fabs (g_rand_double_range (rand, 0, 1) * g_rand_double_range (rand, 0, 1));
          double a = g_rand_double_range (rand, 0, 2 * G_PI);

          p.lon = CLAMP (hot[h][0] + r * 0.004 * cos (a), b->min_lon, b->max_lon);
          p.lat = CLAMP (hot[h][1] + r * 0.003 * sin (a), b->min_lat, b->max_lat);
        }
      else
        {
          p.lon = g_rand_double_range (rand, b->min_lon, b->max_lon);
          p.lat = g_rand_double_range (rand, b->min_lat, b->max_lat);
        }
      p.status = open[g_rand_int_range (rand, 0, G_N_ELEMENTS (open))];
      p.priority = g_rand_int_range (rand, 0, 100) < 10 ? 1 + g_rand_int_range (rand, 0, 2) : 0;
      p.due_at = now + (g_rand_int_range (rand, 0, 100) < 20 ? -1 : 1) *
                         g_rand_int_range (rand, 1, 72) * G_USEC_PER_SEC * 3600;
      p.rowid = i + 1;
      g_array_append_val (points, p);
    }
  return points;
}

static void
run_once (Run *run, GdkFrameClock *clock, WhIncidentLayer *layer)
{
  guint tick_id;

  run->frame = 0;
  run->done = FALSE;
  run->paint_start = 0;
  run->last_frame_time = 0;
  g_array_set_size (run->paint_us, 0);
  g_array_set_size (run->cpu_us, 0);
  g_array_set_size (run->interval_us, 0);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (run->map), tick, run, NULL);
  while (!run->done)
    {
      g_main_context_iteration (NULL, TRUE);
      if (run->frame > run->warmup)
        run->drawn += wh_incident_layer_get_n_drawn (layer);
    }
  (void) tick_id;
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = NULL;
  g_autofree char *tiles = NULL;
  g_autofree char *counts_text = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *hide = NULL;
  int              n_frames = 240;
  int              repeat = 2;
  gboolean         show = FALSE, heat = FALSE, card = FALSE;
  double           zoom = 0;
  GOptionEntry     entries[] = {
        { "cache", 0, 0, G_OPTION_ARG_FILENAME, &cache, "The demo street's cache", "FILE" },
        { "tiles", 0, 0, G_OPTION_ARG_FILENAME, &tiles, "Its base map (MBTiles)", "FILE" },
        { "incidents", 0, 0, G_OPTION_ARG_STRING, &counts_text,
          "Incident counts to measure, comma-separated (default 0,1000,10000,100000)", "N,N,…" },
        { "frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "Frames measured per run (default 240)", "N" },
        { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat,
          "Rounds over all counts; each count's quietest round is shown (default 2)", "N" },
        { "size", 0, 0, G_OPTION_ARG_STRING, &size_text, "Window size (default 1280x800)", "WxH" },
        { "show", 0, 0, G_OPTION_ARG_NONE, &show, "Only show the map, for screenshots", NULL },
        { "zoom", 0, 0, G_OPTION_ARG_DOUBLE, &zoom, "With --show: the zoom level", "Z" },
        { "heat", 0, 0, G_OPTION_ARG_NONE, &heat, "With --show: the heat map", NULL },
        { "card", 0, 0, G_OPTION_ARG_NONE, &card, "With --show: a cell's card", NULL },
        { "hide", 0, 0, G_OPTION_ARG_STRING, &hide,
          "Layers to leave out, to see what costs what: base, grid (comma-separated)", "LAYERS" },
        { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhContext) context = NULL;
  g_auto (GStrv) counts = NULL;
  GtkWindow       *window;
  WhMapPage       *page;
  WhIncidentLayer *layer;
  GdkFrameClock   *clock;
  WhGeoBounds      b;
  Run              run = { 0 };
  double           empty_p95 = 0, empty_mean = 0, empty_cpu = 0;
  Result          *best;
  guint            n_counts;
  int              width = 1280, height = 800;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || cache == NULL || tiles == NULL)
    {
      fprintf (stderr, "map-bench: %s\n", error ? error->message : "give --cache and --tiles");
      return EXIT_FAILURE;
    }
  if (size_text != NULL && sscanf (size_text, "%dx%d", &width, &height) != 2)
    {
      fprintf (stderr, "map-bench: --size WxH\n");
      return EXIT_FAILURE;
    }
  counts = g_strsplit (counts_text ? counts_text : "0,1000,10000,100000", ",", -1);
  if (!gtk_init_check ())
    {
      fprintf (stderr, "map-bench: no display (run under xvfb-run)\n");
      return EXIT_FAILURE;
    }
  adw_init ();

  db = wh_db_open (cache, &error);
  if (db == NULL)
    {
      fprintf (stderr, "map-bench: %s\n", error->message);
      return EXIT_FAILURE;
    }
  context = wh_context_new (db);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, width, height);
  page = g_object_new (WH_TYPE_MAP_PAGE, NULL);
  gtk_window_set_child (window, GTK_WIDGET (page));
  wh_map_page_set_base_map_path (page, tiles);
  wh_map_page_set_context (page, context);
  if (!wh_map_page_has_base_map (page))
    {
      fprintf (stderr, "map-bench: %s\n", wh_map_page_get_base_map_message (page));
      return EXIT_FAILURE;
    }
  gtk_window_present (window);
  run.map = wh_map_page_get_map (page);
  while (!gtk_widget_get_mapped (GTK_WIDGET (run.map)))
    g_main_context_iteration (NULL, TRUE);

  layer = wh_map_page_get_incident_layer (page);
  if (hide != NULL)
    {
      g_auto (GStrv) names = g_strsplit (hide, ",", -1);

      if (g_strv_contains ((const char *const *) names, "grid"))
        gtk_widget_set_visible (GTK_WIDGET (wh_map_page_get_grid_layer (page)), FALSE);
      /* The base map is the map's first layer. */
      if (g_strv_contains ((const char *const *) names, "base"))
        gtk_widget_set_visible (gtk_widget_get_first_child (GTK_WIDGET (run.map)), FALSE);
    }
  g_assert_true (wh_grid_layer_get_bounds (wh_map_page_get_grid_layer (page), &b));
  run.lat = (b.min_lat + b.max_lat) / 2;
  run.lon = (b.min_lon + b.max_lon) / 2;

  if (show)
    {
      ShumateViewport *viewport = shumate_map_get_viewport (run.map);

      for (int i = 0; i < 20; i++)
        g_main_context_iteration (NULL, FALSE);
      if (zoom > 0)
        {
          shumate_viewport_set_zoom_level (viewport, zoom);
          shumate_map_center_on (run.map, run.lat, run.lon);
        }
      wh_map_page_set_heat_map (page, heat);
      if (card)
        {
          /* A spot near the middle that is a cell and not a dot. */
          double w = gtk_widget_get_width (GTK_WIDGET (run.map));
          double h = gtk_widget_get_height (GTK_WIDGET (run.map));

          for (double d = 0; d < 200; d += 7)
            if (wh_incident_layer_hit (layer, w / 2 + d, h / 2 - d / 2, NULL) < 0 &&
                wh_grid_layer_cell_at (wh_map_page_get_grid_layer (page), w / 2 + d, h / 2 - d / 2))
              {
                wh_map_page_click (page, w / 2 + d, h / 2 - d / 2);
                break;
              }
        }
      for (;;)
        g_main_context_iteration (NULL, TRUE);
    }
  run.radius_lat = (b.max_lat - b.min_lat) / 3;
  run.radius_lon = (b.max_lon - b.min_lon) / 3;
  run.warmup = 20;
  run.n_frames = MAX (n_frames, 30) + run.warmup;
  run.paint_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  run.cpu_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  run.interval_us = g_array_new (FALSE, FALSE, sizeof (gint64));

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (run.map));
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &run);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &run);

  {
    GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

    printf ("map frames, %dx%d, %s, %u frames per run (GDK frame clock; paint = before-paint "
            "to after-paint)\n",
            width, height, G_OBJECT_TYPE_NAME (renderer), run.n_frames - run.warmup);
  }

  /* Rounds over all counts, interleaved, so that a busy moment of the machine does not
   * land on one count only; for each count the round with the lowest mean is shown. */
  n_counts = g_strv_length (counts);
  best = g_new0 (Result, n_counts);
  for (int round = 0; round < MAX (repeat, 1); round++)
    for (guint c = 0; c < n_counts; c++)
      {
        guint64 n = g_ascii_strtoull (counts[c], NULL, 10);
        g_autoptr (GArray) points = make_points ((guint) n, &b, g_get_real_time ());
        Result r = { n };

        wh_incident_layer_set_points (layer, (WhIncidentPoint *) points->data, points->len,
                                      g_get_real_time ());
        /* Once to load the tiles and cluster every zoom level, once measured. */
        run_once (&run, clock, layer);
        run.drawn = 0;
        run_once (&run, clock, layer);

        stats (run.paint_us, &r.mean, &r.p95, &r.max);
        stats (run.interval_us, &r.imean, &r.ip95, &r.imax);
        stats (run.cpu_us, &r.cmean, &r.cp95, &r.cmax);
        r.dots = (double) run.drawn / MAX (run.paint_us->len, 1);
        if (round == 0 || r.mean < best[c].mean)
          best[c] = r;
      }

  for (guint c = 0; c < n_counts; c++)
    {
      Result *r = &best[c];

      if (r->n == 0)
        {
          empty_mean = r->mean;
          empty_p95 = r->p95;
          empty_cpu = r->cmean;
        }
      printf ("%-14s %6" G_GUINT64_FORMAT " incidents  paint mean %5.2f ms  p95 %5.2f ms"
              "  max %6.2f ms  | cpu mean %5.2f ms  p95 %5.2f ms  | interval p95 %5.2f ms"
              "  | dots %3.0f",
              "map pan+zoom", r->n, r->mean, r->p95, r->max, r->cmean, r->cp95, r->ip95, r->dots);
      if (r->n > 0 && empty_p95 > 0)
        printf ("  | ×%.2f mean, ×%.2f p95, ×%.2f cpu of empty", r->mean / empty_mean,
                r->p95 / empty_p95, r->cmean / empty_cpu);
      printf ("\n");
    }
  fflush (stdout);
  g_free (best);

  g_array_unref (run.paint_us);
  g_array_unref (run.cpu_us);
  g_array_unref (run.interval_us);
  gtk_window_destroy (window);
  return EXIT_SUCCESS;
}
