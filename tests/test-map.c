/* test-map.c — the offline base map and the map page draw what they should: pixels
 *
 * A demo street is generated, its base map drawn into an MBTiles file with the project's
 * own tile renderer, and the map page shown in a window on both. The checks read pixels:
 * of tiles straight from the file, and of the map widget rendered to a texture by the
 * window's own renderer — tiles under the street's margin, a cell's outline in its
 * community's colour on a cell edge, an incident's dot in its status colour where the
 * incident is.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "map/wh-map-page.h"
#include "wh-context.h"
#include "map/wh-grid-layer.h"
#include "wh-demo-map.h"
#include "wh-demo-street.h"
#include "wh-mbtiles-source.h"
#include "wh-mbtiles-writer.h"
#include "wh-mercator.h"
#include "wh-queue-filter.h"
#include "wh-tile-renderer.h"

#define N_INCIDENTS  600
#define WAIT_SECONDS 30
/* The tile renderer's land and block colours (wh-tile-renderer.c). */
#define LAND_RGB  0xe8e4dc
#define BLOCK_RGB 0xf5f2ec

static char *tmp_dir;
static char *db_path;
static char *tiles_path;

/* Pixels */

typedef struct
{
  int     width, height;
  guint8 *data;
} Pixels;

static guint32
pixel (const Pixels *p, int x, int y)
{
  const guint8 *px;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, p->width);
  g_assert_cmpint (y, <, p->height);
  /* Cairo's and GDK's default format: native-endian 0xAARRGGBB, premultiplied; the map is
   * opaque, so premultiplication changes nothing. */
  px = p->data + (gsize) y * p->width * 4 + (gsize) x * 4;
  return *(const guint32 *) px & 0xffffff;
}

static int
distance (guint32 a, guint32 b)
{
  return MAX (MAX (ABS ((int) ((a >> 16) & 0xff) - (int) ((b >> 16) & 0xff)),
                   ABS ((int) ((a >> 8) & 0xff) - (int) ((b >> 8) & 0xff))),
              ABS ((int) (a & 0xff) - (int) (b & 0xff)));
}

static guint32
rgba_to_rgb (const GdkRGBA *c)
{
  return ((guint32) lround (c->red * 255) << 16) | ((guint32) lround (c->green * 255) << 8) |
         (guint32) lround (c->blue * 255);
}

/* The smallest distance to @want among the pixels within @radius of (@x, @y). */
static int
nearest (const Pixels *p, double x, double y, int radius, guint32 want)
{
  int best = 256;

  for (int dy = -radius; dy <= radius; dy++)
    for (int dx = -radius; dx <= radius; dx++)
      {
        int px = (int) floor (x) + dx, py = (int) floor (y) + dy;

        if (px >= 0 && py >= 0 && px < p->width && py < p->height)
          best = MIN (best, distance (pixel (p, px, py), want));
      }
  return best;
}

/* Whether any community's outline colour is within two pixels of (@x, @y). */
static gboolean
outline_near (const Pixels *p, double x, double y)
{
  for (guint k = 0; k < 6; k++)
    {
      GdkRGBA color;

      wh_grid_layer_community_color (k, &color);
      if (nearest (p, x, y, 2, rgba_to_rgb (&color)) <= 40)
        return TRUE;
    }
  return FALSE;
}

static void
pixels_from_texture (GdkTexture *texture, Pixels *p)
{
  p->width = gdk_texture_get_width (texture);
  p->height = gdk_texture_get_height (texture);
  p->data = g_malloc ((gsize) p->width * p->height * 4);
  gdk_texture_download (texture, p->data, (gsize) p->width * 4);
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
static void
spin (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, timed_out, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

/* The widget as the window's renderer draws it. */
static void
render_widget (GtkWidget *widget, Pixels *p)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GdkTexture) texture = NULL;
  GtkSnapshot   *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  int            width = gtk_widget_get_width (widget);
  int            height = gtk_widget_get_height (widget);

  /* A widget paintable shows what the last frame drew: let one be drawn. */
  spin (80);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  pixels_from_texture (texture, p);
}

/* The MBTiles file */

static void
test_tiles_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (db_path, &error);
  g_autoptr (WhTileRenderer) renderer = NULL;
  g_autoptr (WhMbtilesSource) source = NULL;
  g_autoptr (WhGridStore) store = NULL;
  g_autoptr (GListModel) cells = NULL;
  WhGeoBounds bounds;
  double      lon, lat, zoom;

  g_assert_no_error (error);
  renderer = wh_tile_renderer_new (db, &error);
  g_assert_no_error (error);
  g_assert_true (wh_tile_renderer_has_road_names (renderer));

  source = wh_mbtiles_source_new (tiles_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wh_mbtiles_source_get_format (source), ==, "png");
  g_assert_cmpuint (wh_mbtiles_source_get_min_zoom (source), ==, 15);
  g_assert_cmpuint (wh_mbtiles_source_get_max_zoom (source), ==, 16);
  g_assert_nonnull (strstr (wh_mbtiles_source_get_name (source), WH_DEMO_DEFAULT_STREET_NAME));
  g_assert_true (wh_mbtiles_source_get_center (source, &lon, &lat, &zoom));
  g_assert_cmpfloat (zoom, >=, 15);
  g_assert_cmpfloat (zoom, <=, 16);

  /* The bounds hold every cell, with room around. */
  g_assert_true (wh_mbtiles_source_get_bounds (source, &bounds));
  store = wh_grid_store_new (db);
  cells = wh_grid_store_list_cells (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (cells); i++)
    {
      g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, i);

      g_assert_cmpfloat (cell->min_lon, >, bounds.min_lon);
      g_assert_cmpfloat (cell->max_lon, <, bounds.max_lon);
      g_assert_cmpfloat (cell->min_lat, >, bounds.min_lat);
      g_assert_cmpfloat (cell->max_lat, <, bounds.max_lat);
    }
  g_assert_cmpfloat (lon, >, bounds.min_lon);
  g_assert_cmpfloat (lon, <, bounds.max_lon);

  /* Every tile of the bounds is there, rows flipped as the spec says: the tile under
   * the street's centre, read through the source in XYZ order, is the one the renderer
   * draws for those XYZ coordinates. */
  {
    sqlite3      *handle = NULL;
    sqlite3_stmt *stmt = NULL;
    int           x, y, x0, y0, x1, y1;
    guint         expected = 0;

    wh_mercator_lonlat_to_tile (lon, lat, 16, &x, &y);
    wh_mercator_lonlat_to_tile (bounds.min_lon, bounds.max_lat, 16, &x0, &y0);
    wh_mercator_lonlat_to_tile (bounds.max_lon, bounds.min_lat, 16, &x1, &y1);
    expected = (x1 - x0 + 1) * (y1 - y0 + 1);
    wh_mercator_lonlat_to_tile (bounds.min_lon, bounds.max_lat, 15, &x0, &y0);
    wh_mercator_lonlat_to_tile (bounds.max_lon, bounds.min_lat, 15, &x1, &y1);
    expected += (x1 - x0 + 1) * (y1 - y0 + 1);

    g_assert_cmpint (sqlite3_open_v2 (tiles_path, &handle, SQLITE_OPEN_READONLY, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT count(*) FROM tiles", -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, expected);
    sqlite3_finalize (stmt);

    g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                         "SELECT tile_data FROM tiles WHERE zoom_level = 16 "
                                         "AND tile_column = ? AND tile_row = ?",
                                         -1, &stmt, NULL),
                     ==, SQLITE_OK);
    sqlite3_bind_int (stmt, 1, x);
    sqlite3_bind_int (stmt, 2, (1 << 16) - 1 - y);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    {
      g_autoptr (GBytes) drawn = wh_tile_renderer_render_png (renderer, 16, x, y, &error);
      g_autoptr (GBytes) stored =
        g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (drawn, stored));
    }
    sqlite3_finalize (stmt);
    sqlite3_close (handle);
  }
}

/* A tile's pixels: land outside the street, a block inside, a road between blocks. */
static void
test_tiles_drawn (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (db_path, &error);
  g_autoptr (WhTileRenderer) renderer = wh_tile_renderer_new (db, &error);
  g_autoptr (WhDemoMap) map = wh_demo_map_load (db, &error);
  cairo_surface_t *surface;
  Pixels           p = { 0 };
  WhGeoBounds      bounds;
  guint            n_roads_checked = 0;

  g_assert_no_error (error);
  g_assert_nonnull (map);
  wh_tile_renderer_get_bounds (renderer, &bounds);

  /* Draws the 512 × 512 pixels around (@lon, @lat) at zoom 17 and reads them. */
#define DRAW_AROUND(lon_, lat_, px_, py_)                                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    double   wx_, wy_;                                                                             \
    cairo_t *cr_;                                                                                  \
    int      tx_, ty_;                                                                             \
                                                                                                   \
    wh_mercator_lonlat_to_pixel ((lon_), (lat_), 17, &wx_, &wy_);                                  \
    tx_ = (int) floor (wx_ / 256) - 1;                                                             \
    ty_ = (int) floor (wy_ / 256) - 1;                                                             \
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 768, 768);                           \
    cr_ = cairo_create (surface);                                                                  \
    for (int j_ = 0; j_ < 3; j_++)                                                                 \
      for (int i_ = 0; i_ < 3; i_++)                                                               \
        {                                                                                          \
          cairo_save (cr_);                                                                        \
          cairo_translate (cr_, i_ * 256, j_ * 256);                                               \
          cairo_rectangle (cr_, 0, 0, 256, 256);                                                   \
          cairo_clip (cr_);                                                                        \
          wh_tile_renderer_draw (renderer, cr_, 17, tx_ + i_, ty_ + j_);                           \
          cairo_restore (cr_);                                                                     \
        }                                                                                          \
    cairo_destroy (cr_);                                                                           \
    cairo_surface_flush (surface);                                                                 \
    p.width = p.height = 768;                                                                      \
    g_free (p.data);                                                                               \
    p.data = g_memdup2 (cairo_image_surface_get_data (surface), 768 * 768 * 4);                    \
    g_assert_cmpint (cairo_image_surface_get_stride (surface), ==, 768 * 4);                       \
    cairo_surface_destroy (surface);                                                               \
    *(px_) = wx_ - tx_ * 256.0;                                                                    \
    *(py_) = wy_ - ty_ * 256.0;                                                                    \
  }                                                                                                \
  G_STMT_END

  /* Land in the margin, off every road: the south-west corner of the drawn area. */
  {
    double x, y;

    DRAW_AROUND (bounds.min_lon + 0.0005, bounds.min_lat + 0.0005, &x, &y);
    g_assert_cmpint (nearest (&p, x, y, 0, LAND_RGB), <=, 2);
  }

  /* On every road between two crossings, the road's own colour, not a block's. */
  for (guint i = 0; i < map->roads->len; i++)
    {
      WhDemoMapRoad *road = g_ptr_array_index (map->roads, i);
      WhLonLat      *a = &g_array_index (road->line, WhLonLat, road->line->len / 2 - 1);
      WhLonLat      *b = &g_array_index (road->line, WhLonLat, road->line->len / 2);
      double         x, y;
      guint32        c;

      DRAW_AROUND ((a->lon + b->lon) / 2, (a->lat + b->lat) / 2, &x, &y);
      c = pixel (&p, (int) x, (int) y);
      /* White streets, yellow main roads (the street's dashed boundary runs along the
       * middle of those); names may sit on them, in dark ink. */
      if (nearest (&p, x, y, 4, road->major ? 0xfbe3a6 : 0xffffff) <= 3)
        n_roads_checked++;
      else
        g_test_message ("road %s: colour %06x at its middle", road->name, c);
      g_assert_cmpint (distance (c, LAND_RGB), >, 8);
      g_assert_cmpint (distance (c, BLOCK_RGB), >, 3);
    }
  g_assert_cmpuint (n_roads_checked, >=, map->roads->len - 2);
#undef DRAW_AROUND
}

/* The map page */

typedef struct
{
  GtkWindow *window;
  WhMapPage *page;
  WhContext *context;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (db_path, &error);

  g_assert_no_error (error);
  f->context = wh_context_new (db);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 700);
  f->page = g_object_new (WH_TYPE_MAP_PAGE, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  /* "" leaves the choice to the page: the file beside the cache. */
  wh_map_page_set_base_map_path (f->page, data == NULL           ? tiles_path
                                          : *(const char *) data ? data
                                                                 : NULL);
  wh_map_page_set_context (f->page, f->context);
  gtk_window_present (f->window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (wh_map_page_get_map (f->page))))
    g_main_context_iteration (NULL, TRUE);
  spin (200);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->context);
  spin (50);
}

static void
to_widget (Fixture *f, double lon, double lat, double *x, double *y)
{
  ShumateMap *map = wh_map_page_get_map (f->page);

  shumate_viewport_location_to_widget_coords (shumate_map_get_viewport (map), GTK_WIDGET (map), lat,
                                              lon, x, y);
}

/* Renders the map until the pixel at (@x, @y) is near @want, or the time is up. */
static void
render_until (Fixture *f, Pixels *p, double x, double y, guint32 want)
{
  gboolean expired = FALSE;
  guint    timer = g_timeout_add_seconds (WAIT_SECONDS, timed_out, &expired);

  for (;;)
    {
      g_clear_pointer (&p->data, g_free);
      render_widget (GTK_WIDGET (wh_map_page_get_map (f->page)), p);
      if (distance (pixel (p, (int) x, (int) y), want) <= 3 || expired)
        break;
      spin (50);
    }
  if (!expired)
    g_source_remove (timer);
}

static void
test_page_drawn (Fixture *f, gconstpointer data)
{
  ShumateMap      *map = wh_map_page_get_map (f->page);
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  WhGridLayer     *grid = wh_map_page_get_grid_layer (f->page);
  WhIncidentLayer *incidents = wh_map_page_get_incident_layer (f->page);
  g_autoptr (GListModel) cells = NULL;
  Pixels      p = { 0 };
  WhGeoBounds b;
  double      x, y;
  guint       n_edges = 0, n_shared = 0, n_dots = 0;

  g_assert_true (wh_map_page_has_base_map (f->page));
  g_assert_cmpstr (wh_map_page_get_base_map_message (f->page), ==, "");
  /* Zoom limits from the file's metadata. */
  g_assert_cmpuint (shumate_viewport_get_min_zoom_level (viewport), ==, 15);
  g_assert_cmpuint (shumate_viewport_get_max_zoom_level (viewport), ==, 16);

  /* At zoom 15 the street fills much of the window. */
  shumate_viewport_set_zoom_level (viewport, 15);
  g_assert_true (wh_grid_layer_get_bounds (grid, &b));
  shumate_map_center_on (map, (b.min_lat + b.max_lat) / 2, (b.min_lon + b.max_lon) / 2);
  spin (100);

  /* Tiles: land colour just outside the street's south-west corner, where the widget's
   * own background would show without a base map. */
  to_widget (f, b.min_lon - 0.0015, b.min_lat - 0.0012, &x, &y);
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (y, <, gtk_widget_get_height (GTK_WIDGET (map)));
  render_until (f, &p, x, y, LAND_RGB);
  g_assert_cmpint (distance (pixel (&p, (int) x, (int) y), LAND_RGB), <=, 3);

  /* Cells: on the middle of an edge, the outline in the community's colour. */
  cells = wh_grid_store_list_cells (wh_context_get_grid_store (f->context), NULL);
  for (guint i = 0; i < g_list_model_get_n_items (cells); i++)
    {
      g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, i);
      WhLonLat *a = &g_array_index (cell->outline, WhLonLat, 0);
      WhLonLat *c = &g_array_index (cell->outline, WhLonLat, 1);
      GdkRGBA   color;

      to_widget (f, (a->lon + c->lon) / 2, (a->lat + c->lat) / 2, &x, &y);
      if (x < 2 || y < 2 || x > p.width - 3 || y > p.height - 3 ||
          wh_incident_layer_hit (incidents, x, y, NULL) >= 0)
        continue;
      /* An edge two communities share shows the colour of the cell drawn last. */
      wh_grid_layer_community_color (cell->community_index, &color);
      if (nearest (&p, x, y, 2, rgba_to_rgb (&color)) <= 40)
        n_edges++;
      else if (outline_near (&p, x, y))
        n_shared++;
      else
        g_test_message ("cell %s: no outline colour near its edge", cell->id);
    }
  g_test_message ("%u cell edges outlined in their own colour, %u in a neighbour's", n_edges,
                  n_shared);
  g_assert_cmpuint (n_edges, >=, g_list_model_get_n_items (cells) / 2);
  g_assert_cmpuint (n_edges + n_shared, >=, g_list_model_get_n_items (cells) * 9 / 10);

  /* Incidents: a dot in the incident's colour where each lone incident is. */
  for (guint i = 0; i < wh_incident_layer_get_n_points (incidents); i++)
    {
      const WhIncidentPoint *point = wh_incident_layer_get_point (incidents, i);
      guint                  count = 0;
      GdkRGBA                color;

      if (!wh_incident_layer_get_point_position (incidents, i, &x, &y) || x < 8 || y < 8 ||
          x > p.width - 8 || y > p.height - 8 ||
          wh_incident_layer_hit (incidents, x, y, &count) != (int) i || count != 1)
        continue;
      wh_incident_layer_point_color (point, wh_context_get_now (f->context), &color);
      g_assert_cmpint (nearest (&p, x, y, 1, rgba_to_rgb (&color)), <=, 6);
      n_dots++;
    }
  g_test_message ("%u lone incidents drawn", n_dots);
  g_assert_cmpuint (n_dots, >, 0);
  g_assert_cmpuint (wh_incident_layer_get_n_drawn (incidents), >, 0);

  /* Clusters: a dot with a count, in the colour of its most pressing member. The open
   * incidents of the demo change with the time of day, so a cluster is made sure of:
   * four more incidents around one on screen, the last of them overdue and critical. */
  {
    g_autoptr (GArray) points = g_array_new (FALSE, FALSE, sizeof (WhIncidentPoint));
    gint64  now = wh_context_get_now (f->context);
    guint   count = 0;
    GdkRGBA color;
    int     hit, base = -1;

    for (guint i = 0; i < wh_incident_layer_get_n_points (incidents); i++)
      {
        g_array_append_vals (points, wh_incident_layer_get_point (incidents, i), 1);
        if (base < 0 && wh_incident_layer_get_point_position (incidents, i, &x, &y) && x > 40 &&
            y > 40 && x < p.width - 40 && y < p.height - 40)
          base = (int) i;
      }
    g_assert_cmpint (base, >=, 0);
    for (int k = 1; k <= 4; k++)
      {
        WhIncidentPoint extra = g_array_index (points, WhIncidentPoint, base);

        /* At the same address: incidents a metre apart may fall either side of a
         * line of the clustering grid, and then form two clusters. */
        extra.rowid = G_MAXINT32 + k;
        extra.priority = k == 4 ? 2 : 0;
        extra.due_at = k == 4 ? now - G_USEC_PER_SEC : 0;
        extra.status = WH_STATUS_IN_PROGRESS;
        g_array_append_val (points, extra);
      }
    wh_incident_layer_set_points (incidents, (WhIncidentPoint *) points->data, points->len, now);
    g_assert_true (wh_incident_layer_get_point_position (incidents, base, &x, &y));
    hit = wh_incident_layer_hit (incidents, x, y, &count);
    g_assert_cmpint (hit, >=, 0);
    g_assert_cmpuint (count, >=, 5);
    wh_incident_layer_point_color (&g_array_index (points, WhIncidentPoint, hit), now, &color);
    g_assert_cmpuint (rgba_to_rgb (&color), ==, 0xe01b24);
    g_clear_pointer (&p.data, g_free);
    render_widget (GTK_WIDGET (map), &p);
    /* Somewhere on the dot (its middle holds the white count). */
    g_assert_cmpint (nearest (&p, x, y, 10, rgba_to_rgb (&color)), <=, 6);
  }

  /* Heat map: no dots; warm colour where the incidents are. Judged where the five
   * incidents of the cluster above stand (the last points), against the base map alone:
   * a lone dot's own colour may be as warm as the heat. */
  {
    guint32 before;

    g_assert_true (wh_incident_layer_get_point_position (
      incidents, wh_incident_layer_get_n_points (incidents) - 1, &x, &y));
    gtk_widget_set_visible (GTK_WIDGET (incidents), FALSE);
    g_clear_pointer (&p.data, g_free);
    render_widget (GTK_WIDGET (map), &p);
    before = pixel (&p, (int) x, (int) y);
    gtk_widget_set_visible (GTK_WIDGET (incidents), TRUE);
    wh_incident_layer_set_heat_map (incidents, TRUE);
    g_clear_pointer (&p.data, g_free);
    render_widget (GTK_WIDGET (map), &p);
    g_assert_cmpuint (wh_incident_layer_get_n_drawn (incidents), ==, 0);
    g_assert_cmpint (distance (pixel (&p, (int) x, (int) y), before), >, 10);
    g_assert_cmpint (wh_incident_layer_hit (incidents, x, y, NULL), ==, -1);
    wh_incident_layer_set_heat_map (incidents, FALSE);
  }
  g_free (p.data);
}

/* A file that is not MBTiles: a clear message, and the grid on a plain background. */
static void
test_page_not_mbtiles (Fixture *f, gconstpointer data)
{
  ShumateMap  *map = wh_map_page_get_map (f->page);
  WhGridLayer *grid = wh_map_page_get_grid_layer (f->page);
  Pixels       p = { 0 };
  WhGeoBounds  b;
  double       x, y;

  g_assert_false (wh_map_page_has_base_map (f->page));
  g_test_message ("%s", wh_map_page_get_base_map_message (f->page));
  g_assert_nonnull (strstr (wh_map_page_get_base_map_message (f->page), "not an MBTiles file"));
  g_assert_nonnull (strstr (wh_map_page_get_base_map_message (f->page), "notes.mbtiles"));

  g_assert_true (wh_grid_layer_get_bounds (grid, &b));
  shumate_viewport_set_zoom_level (shumate_map_get_viewport (map), 15);
  shumate_map_center_on (map, (b.min_lat + b.max_lat) / 2, (b.min_lon + b.max_lon) / 2);
  to_widget (f, b.min_lon - 0.001, b.min_lat - 0.001, &x, &y);
  render_widget (GTK_WIDGET (map), &p);
  g_assert_cmpint (distance (pixel (&p, (int) x, (int) y), LAND_RGB), >, 8);
  /* The cells are drawn all the same. */
  {
    g_autoptr (GListModel) cells =
      wh_grid_store_list_cells (wh_context_get_grid_store (f->context), NULL);
    g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, 0);
    WhLonLat *a = &g_array_index (cell->outline, WhLonLat, 0);
    WhLonLat *c = &g_array_index (cell->outline, WhLonLat, 1);
    GdkRGBA   color;

    to_widget (f, (a->lon + c->lon) / 2, (a->lat + c->lat) / 2, &x, &y);
    wh_grid_layer_community_color (cell->community_index, &color);
    g_assert_cmpint (nearest (&p, x, y, 2, rgba_to_rgb (&color)), <=, 40);
  }
  g_free (p.data);
}

/* Without a chosen file the desk finds the base map beside its cache. */
static void
test_page_beside_cache (Fixture *f, gconstpointer data)
{
  g_assert_cmpstr (wh_map_page_get_base_map_path (f->page), ==, tiles_path);
  g_assert_true (wh_map_page_has_base_map (f->page));
  g_assert_cmpstr (wh_map_page_get_base_map_message (f->page), ==, "");
}

/* Placing a new incident */

typedef struct
{
  guint  n;
  double lon, lat;
} Placed;

static void
on_new_incident_at (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  Placed *placed = data;

  g_variant_get (parameter, "(dd)", &placed->lon, &placed->lat);
  placed->n++;
}

/* Stands in for the application's app.new-incident-at, as the window's "app" group. */
static void
install_new_incident_at (Fixture *f, Placed *placed)
{
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr (GSimpleAction) action =
    g_simple_action_new ("new-incident-at", G_VARIANT_TYPE ("(dd)"));

  g_signal_connect (action, "activate", G_CALLBACK (on_new_incident_at), placed);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "app", G_ACTION_GROUP (group));
}

static void
test_page_place (Fixture *f, gconstpointer data)
{
  ShumateMap  *map = wh_map_page_get_map (f->page);
  WhGridLayer *grid = wh_map_page_get_grid_layer (f->page);
  g_autoptr (GListModel) cells =
    wh_grid_store_list_cells (wh_context_get_grid_store (f->context), NULL);
  g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, 0);
  Placed      placed = { 0 };
  WhGeoBounds b;
  double      lon, lat, x, y;

  install_new_incident_at (f, &placed);
  g_assert_true (wh_grid_layer_get_bounds (grid, &b));
  shumate_viewport_set_zoom_level (shumate_map_get_viewport (map), 16);
  shumate_map_center_on (map, (cell->min_lat + cell->max_lat) / 2,
                         (cell->min_lon + cell->max_lon) / 2);
  spin (100);

  /* The place-incident mode: the next click places, whatever is under it. */
  lon = (cell->min_lon + cell->max_lon) / 2 + 0.0001;
  lat = (cell->min_lat + cell->max_lat) / 2 - 0.0001;
  to_widget (f, lon, lat, &x, &y);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "map.place-incident", NULL));
  g_assert_true (wh_map_page_get_placing (f->page));
  wh_map_page_click (f->page, x, y);
  g_assert_cmpuint (placed.n, ==, 1);
  g_test_message ("placed at %.7f, %.7f for %.7f, %.7f", placed.lon, placed.lat, lon, lat);
  /* The map's own inverse of the pixel: far below a pixel (4 × 10⁻⁵ ° at zoom 16). */
  g_assert_cmpfloat_with_epsilon (placed.lon, lon, 1e-7);
  g_assert_cmpfloat_with_epsilon (placed.lat, lat, 1e-7);
  /* One click, one incident: the mode has ended. */
  g_assert_false (wh_map_page_get_placing (f->page));
  wh_map_page_click (f->page, x, y);
  g_assert_cmpuint (placed.n, ==, 1);

  /* The toggle again, then Escape-equivalent: turned off without placing. */
  wh_map_page_set_placing (f->page, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "map.place-incident", NULL));
  g_assert_false (wh_map_page_get_placing (f->page));
  g_assert_cmpuint (placed.n, ==, 1);

  /* A secondary click: "New Incident Here" where it was made. */
  to_widget (f, lon - 0.0003, lat + 0.0002, &x, &y);
  wh_map_page_context_click (f->page, x, y);
  spin (50);
  g_assert_true (wh_map_page_get_place_location (f->page, &lon, &lat));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "map.new-incident-here", NULL));
  g_assert_cmpuint (placed.n, ==, 2);
  g_assert_cmpfloat_with_epsilon (placed.lon, lon, 1e-9);
  g_assert_cmpfloat_with_epsilon (placed.lat, lat, 1e-9);
  g_assert_false (wh_map_page_get_place_location (f->page, NULL, NULL));
}

/* The queue's filter */

/* Draws @widget once as the window would, for what it counts while drawing. */
static void
draw_once (GtkWidget *widget)
{
  GtkSnapshot   *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);
}

static void
test_page_queue_filter (Fixture *f, gconstpointer data)
{
  WhIncidentLayer *layer = wh_map_page_get_incident_layer (f->page);
  g_autoptr (WhQueueFilter) filter = wh_queue_filter_new ();
  g_autoptr (GHashTable) open = NULL;
  g_autoptr (GError) error = NULL;
  GHashTableIter iter;
  gpointer       key, value;
  const char    *busiest = NULL;
  guint          n_busiest = 0, n_all, drawn_all;

  wh_map_page_show_street (f->page);
  spin (300);
  n_all = wh_incident_layer_get_n_points (layer);
  g_assert_cmpuint (n_all, >, 0);

  /* The filter as the window makes it: all open incidents, nothing narrowed. */
  wh_map_page_set_queue_filter (f->page, filter);
  g_assert_cmpuint (wh_incident_layer_get_n_points (layer), ==, n_all);
  g_assert_cmpstr (wh_map_page_get_filter_text (f->page), ==, "");
  draw_once (GTK_WIDGET (layer));
  drawn_all = wh_incident_layer_get_n_drawn (layer);

  /* One cell's incidents: exactly those the store counts in it. */
  open = wh_grid_store_count_open_by_cell (wh_context_get_grid_store (f->context), &error);
  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, open);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > n_busiest)
      {
        busiest = key;
        n_busiest = GPOINTER_TO_UINT (value);
      }
  g_assert_nonnull (busiest);
  g_assert_cmpuint (n_busiest, <, n_all);
  wh_queue_filter_set_grid_id (filter, busiest);
  spin (200);
  g_test_message ("cell %s: %u of %u open incidents", busiest,
                  wh_incident_layer_get_n_points (layer), n_all);
  g_assert_cmpuint (wh_incident_layer_get_n_points (layer), ==, n_busiest);
  {
    g_autofree char *chip = g_strdup_printf ("%u", n_busiest);

    g_assert_nonnull (strstr (wh_map_page_get_filter_text (f->page), chip));
  }
  draw_once (GTK_WIDGET (layer));
  g_test_message ("markers drawn: %u before, %u filtered", drawn_all,
                  wh_incident_layer_get_n_drawn (layer));
  g_assert_cmpuint (wh_incident_layer_get_n_drawn (layer), <, drawn_all);
  g_assert_cmpuint (wh_incident_layer_get_n_drawn (layer), >, 0);

  /* A search nothing matches: nothing drawn. */
  wh_queue_filter_set_search (filter, "no incident says this 9q7z");
  spin (200);
  g_assert_cmpuint (wh_incident_layer_get_n_points (layer), ==, 0);

  /* "Clear" on the chip: all open incidents again, on the map and for the queue. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "map.clear-filter", NULL));
  spin (200);
  g_assert_cmpuint (wh_incident_layer_get_n_points (layer), ==, n_all);
  g_assert_cmpstr (wh_map_page_get_filter_text (f->page), ==, "");
  g_assert_null (wh_queue_filter_get_grid_id (filter));

  wh_map_page_set_queue_filter (f->page, NULL);
}

/* A cache with the demo street's map but no MBTiles file: the page draws one. */
static void
test_page_draws_demo_map (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmp_dir, "draw", NULL);
  g_autofree char *copy = g_build_filename (dir, "street.db", NULL);
  g_autofree char *drawn = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhContext) context = NULL;
  g_autoptr (WhMbtilesSource) source = NULL;
  GtkWindow *window;
  WhMapPage *page;
  gsize      length;
  gboolean   expired = FALSE;
  guint      timer;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (db_path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, length, &error));
  g_assert_no_error (error);
  drawn = wh_mbtiles_writer_path_for_cache (copy);
  g_assert_false (g_file_test (drawn, G_FILE_TEST_EXISTS));

  db = wh_db_open (copy, &error);
  g_assert_no_error (error);
  context = wh_context_new (db);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 800, 600);
  page = g_object_new (WH_TYPE_MAP_PAGE, NULL);
  gtk_window_set_child (window, GTK_WIDGET (page));
  wh_map_page_set_context (page, context);
  gtk_window_present (window);

  g_assert_true (wh_map_page_is_drawing_base_map (page));
  g_assert_false (wh_map_page_has_base_map (page));
  g_assert_cmpstr (wh_map_page_get_base_map_message (page), ==, "");

  timer = g_timeout_add_seconds (240, timed_out, &expired);
  while (wh_map_page_is_drawing_base_map (page) && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timer);

  g_test_message ("%s", wh_map_page_get_base_map_message (page));
  g_assert_true (wh_map_page_has_base_map (page));
  g_assert_cmpstr (wh_map_page_get_base_map_path (page), ==, drawn);
  source = wh_mbtiles_source_new (drawn, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_mbtiles_source_get_min_zoom (source), ==, WH_TILE_RENDERER_MIN_ZOOM);
  g_assert_cmpuint (wh_mbtiles_source_get_max_zoom (source), ==, WH_TILE_RENDERER_MAX_ZOOM);

  gtk_window_destroy (window);
  spin (50);
}

/* Cancelled, it leaves no file and offers to draw again. */
static void
test_page_drawing_cancelled (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmp_dir, "cancel", NULL);
  g_autofree char *copy = g_build_filename (dir, "street.db", NULL);
  g_autofree char *drawn = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhContext) context = NULL;
  GtkWindow *window;
  WhMapPage *page;
  gsize      length;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (db_path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, length, &error));
  drawn = wh_mbtiles_writer_path_for_cache (copy);
  db = wh_db_open (copy, &error);
  g_assert_no_error (error);
  context = wh_context_new (db);
  window = GTK_WINDOW (gtk_window_new ());
  page = g_object_new (WH_TYPE_MAP_PAGE, NULL);
  gtk_window_set_child (window, GTK_WIDGET (page));
  wh_map_page_set_context (page, context);
  g_assert_true (wh_map_page_is_drawing_base_map (page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "map.cancel-drawing", NULL));
  g_assert_false (wh_map_page_is_drawing_base_map (page));
  g_assert_false (wh_map_page_has_base_map (page));
  g_test_message ("%s", wh_map_page_get_base_map_message (page));
  g_assert_nonnull (strstr (wh_map_page_get_base_map_message (page), "not drawn"));
  /* The drawing thread stops at its next tile and leaves nothing behind. */
  spin (1500);
  g_assert_false (g_file_test (drawn, G_FILE_TEST_EXISTS));

  gtk_window_destroy (window);
  spin (50);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *not_mbtiles = NULL;
  WhDemoOptions    options;
  int              ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("whistle-map-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmp_dir, "demo.db", NULL);
  tiles_path = wh_mbtiles_writer_path_for_cache (db_path);
  not_mbtiles = g_build_filename (tmp_dir, "notes.mbtiles", NULL);
  g_assert_true (g_file_set_contents (not_mbtiles, "Not a map, just notes.\n", -1, &error));

  /* The history reaches now, so some incidents are open. */
  {
    g_autoptr (WhDb) db = wh_db_open (db_path, &error);
    g_autoptr (WhTileRenderer) renderer = NULL;

    g_assert_no_error (error);
    wh_demo_options_init (&options, g_get_real_time ());
    options.n_incidents = N_INCIDENTS;
    options.months = 2;
    g_assert_true (wh_demo_generate (db, &options, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    renderer = wh_tile_renderer_new (db, &error);
    g_assert_no_error (error);
    /* Two zoom levels keep the test quick; the tool draws 13–18 the same way. */
    g_assert_true (
      wh_mbtiles_writer_write (renderer, tiles_path, 15, 16, 0, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  g_test_add_func ("/map/tiles/file", test_tiles_file);
  g_test_add_func ("/map/tiles/drawn", test_tiles_drawn);
  if (gtk_init_check ())
    {
      g_test_add ("/map/page/drawn", Fixture, NULL, fixture_set_up, test_page_drawn,
                  fixture_tear_down);
      g_test_add ("/map/page/not-mbtiles", Fixture, not_mbtiles, fixture_set_up,
                  test_page_not_mbtiles, fixture_tear_down);
      g_test_add ("/map/page/beside-cache", Fixture, "", fixture_set_up, test_page_beside_cache,
                  fixture_tear_down);
      g_test_add ("/map/page/place", Fixture, NULL, fixture_set_up, test_page_place,
                  fixture_tear_down);
      g_test_add ("/map/page/queue-filter", Fixture, NULL, fixture_set_up, test_page_queue_filter,
                  fixture_tear_down);
      g_test_add_func ("/map/page/draws-demo-map", test_page_draws_demo_map);
      g_test_add_func ("/map/page/drawing-cancelled", test_page_drawing_cancelled);
    }
  else
    g_test_message ("no display: the map page is not checked (run under xvfb-run)");

  ret = g_test_run ();

  remove_tree (tmp_dir);
  g_free (db_path);
  g_free (tiles_path);
  g_free (tmp_dir);
  return ret;
}
