/* wh-incident-layer.c — incidents on the map: clusters per zoom, or a heat map */
#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "wh-cluster.h"
#include "wh-format.h"
#include "wh-incident-layer.h"
#include "wh-map-texture.h"
#include "wh-map-transform.h"
#include "wh-mercator.h"

#define CELL_PX       WH_CLUSTER_DEFAULT_CELL_PX
#define N_COLORS      (WH_N_STATUS_GROUPS + 1)
#define COLOR_OVERDUE WH_N_STATUS_GROUPS
#define MAX_SPRITES   4096

/* The heat map is computed at most at this zoom level and scaled beyond: a density
 * surface gains nothing from more detail, and its size stays bounded. */
#define HEAT_MAX_ZOOM  16
#define HEAT_BIN_PX    2    /* world pixels per cell of the density grid */
#define HEAT_RADIUS    7    /* cells: the box blur's half width, three passes */
#define HEAT_MAX_CELLS 2048 /* a side of the grid at most */

typedef struct
{
  GdkTexture *texture;
  double      size; /* logical pixels, square */
} Sprite;

typedef struct
{
  int         zoom;
  GdkTexture *texture;
  double      x0, y0;        /* its top-left corner, world pixels at @zoom */
  double      width, height; /* world pixels at @zoom */
} Heat;

struct _WhIncidentLayer
{
  ShumateLayer parent_instance;

  GArray       *points; /* of WhIncidentPoint */
  double       *nx, *ny;
  guint8       *color;    /* per point: a status group, or COLOR_OVERDUE */
  GHashTable   *by_rowid; /* rowid → index + 1 */
  gint64        now;
  WhClusterer  *clusterer;
  WhClusterSet *sets[WH_CLUSTER_MAX_ZOOM + 1];
  GHashTable   *sprites; /* key → Sprite */
  int           sprite_scale;
  Heat          heat;
  gboolean      heat_map;
  int           selected;
  guint         n_drawn;
};

G_DEFINE_FINAL_TYPE (WhIncidentLayer, wh_incident_layer, SHUMATE_TYPE_LAYER)

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const GdkRGBA overdue_color = { 0xe0 / 255.f, 0x1b / 255.f, 0x24 / 255.f, 1 };

static gboolean
is_overdue (const WhIncidentPoint *p, gint64 now)
{
  return p->due_at != 0 && p->due_at < now;
}

static void
class_color (guint color_class, GdkRGBA *color)
{
  double r, g, b;

  if (color_class == COLOR_OVERDUE)
    {
      *color = overdue_color;
      return;
    }
  wh_status_group_color (color_class, &r, &g, &b);
  *color = (GdkRGBA){ r, g, b, 1 };
}

void
wh_incident_layer_point_color (const WhIncidentPoint *point, gint64 now, GdkRGBA *color)
{
  g_return_if_fail (point != NULL && color != NULL);

  class_color (is_overdue (point, now) ? COLOR_OVERDUE : wh_status_group (point->status), color);
}

/* What makes a point pressing, for the colour of its cluster: overdue, then priority, then
 * how early in the process it still is. */
static guint32
rank_of (const WhIncidentPoint *p, gint64 now)
{
  return (is_overdue (p, now) ? 1000 : 0) + (guint32) CLAMP (p->priority, 0, 9) * 100 +
         (guint32) (WH_N_STATUS_GROUPS - wh_status_group (p->status));
}

static double
sprite_radius (guint count, int priority)
{
  if (count <= 1)
    return priority > 0 ? 6.5 : 5.0;
  return CLAMP (9.0 + 3.0 * log10 (count), 10.0, 21.0);
}

static void
drop_caches (WhIncidentLayer *self)
{
  for (guint z = 0; z <= WH_CLUSTER_MAX_ZOOM; z++)
    g_clear_pointer (&self->sets[z], wh_cluster_set_free);
  g_clear_object (&self->heat.texture);
  self->heat.zoom = -1;
}

/* Dots */

static void
sprite_free (Sprite *sprite)
{
  g_clear_object (&sprite->texture);
  g_free (sprite);
}

static char *
count_text (guint count)
{
  /* Four digits fit a dot; beyond, thousands. */
  if (count < 10000)
    return g_strdup_printf ("%u", count);
  return g_strdup_printf ("%uk", count / 1000);
}

static Sprite *
make_sprite (WhIncidentLayer *self, guint color_class, int priority, guint count, gboolean ring)
{
  Sprite          *sprite = g_new0 (Sprite, 1);
  double           r = ring ? sprite_radius (count, priority) + 5 : sprite_radius (count, priority);
  int              scale = self->sprite_scale;
  int              size = (int) ceil (2 * (r + 3));
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size * scale, size * scale);
  cairo_t *cr = cairo_create (surface);
  GdkRGBA  c;

  cairo_scale (cr, scale, scale);
  class_color (color_class, &c);

  if (ring)
    {
      /* The selection: a dark ring with a white edge, around whatever dot is there. */
      cairo_arc (cr, size / 2.0, size / 2.0, r, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
      cairo_set_line_width (cr, 5);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgba (cr, 0.07, 0.07, 0.12, 1);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke (cr);
    }
  else
    {
      if (count <= 1 && priority > 0)
        {
          /* Urgent and critical incidents carry a halo in their colour. */
          cairo_arc (cr, size / 2.0, size / 2.0, r + 2.5, 0, 2 * G_PI);
          cairo_set_source_rgba (cr, c.red, c.green, c.blue, priority > 1 ? 0.55 : 0.35);
          cairo_fill (cr);
        }
      cairo_arc (cr, size / 2.0, size / 2.0, r, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, c.red, c.green, c.blue);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
      cairo_set_line_width (cr, count > 1 ? 2.0 : 1.5);
      cairo_stroke (cr);

      if (count > 1)
        {
          g_autofree char *text = count_text (count);
          g_autofree char *markup = g_strdup_printf ("<b>%s</b>", text);
          g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
          PangoFontDescription *font = pango_font_description_new ();
          int                   w, h;

          pango_font_description_set_absolute_size (font,
                                                    (count >= 1000 ? 9.5 : 10.5) * PANGO_SCALE);
          pango_layout_set_font_description (layout, font);
          pango_font_description_free (font);
          pango_layout_set_markup (layout, markup, -1);
          pango_layout_get_pixel_size (layout, &w, &h);
          cairo_move_to (cr, (size - w) / 2.0, (size - h) / 2.0);
          cairo_set_source_rgb (cr, 1, 1, 1);
          pango_cairo_show_layout (cr, layout);
        }
    }

  cairo_destroy (cr);
  sprite->texture = wh_map_texture_new_for_surface (surface);
  sprite->size = size;
  cairo_surface_destroy (surface);
  return sprite;
}

static Sprite *
get_sprite (WhIncidentLayer *self, guint color_class, int priority, guint count, gboolean ring)
{
  /* Counts beyond four digits are drawn alike per thousand, so one key per text. */
  guint   shown = count < 10000 ? count : count / 1000 * 1000;
  guint64 key = ((guint64) ring << 40) | ((guint64) color_class << 36) |
                ((guint64) (count <= 1 ? CLAMP (priority, 0, 2) : 0) << 32) | shown;
  Sprite *sprite;

  sprite = g_hash_table_lookup (self->sprites, &key);
  if (sprite == NULL)
    {
      guint64 *stored = g_new (guint64, 1);

      if (g_hash_table_size (self->sprites) >= MAX_SPRITES)
        g_hash_table_remove_all (self->sprites);
      *stored = key;
      sprite = make_sprite (self, color_class, priority, count, ring);
      g_hash_table_insert (self->sprites, stored, sprite);
    }
  return sprite;
}

static void
append_sprite (GtkSnapshot *snapshot, Sprite *sprite, double x, double y)
{
  gtk_snapshot_append_texture (snapshot, sprite->texture,
                               &GRAPHENE_RECT_INIT ((float) round (x - sprite->size / 2),
                                                    (float) round (y - sprite->size / 2),
                                                    (float) sprite->size, (float) sprite->size));
}

static const WhClusterSet *
get_set (WhIncidentLayer *self, int zoom)
{
  zoom = CLAMP (zoom, 0, WH_CLUSTER_MAX_ZOOM);
  if (self->sets[zoom] == NULL)
    self->sets[zoom] = wh_clusterer_run (self->clusterer, zoom, CELL_PX);
  return self->sets[zoom];
}

/* The whole zoom level whose clusters are shown at a fractional one: clusters there are
 * at least a cell apart, and only grow apart until the next level. */
static int
cluster_zoom (double zoom)
{
  return CLAMP ((int) floor (zoom + 1e-9), 0, WH_CLUSTER_MAX_ZOOM);
}

static void
draw_clusters (WhIncidentLayer *self, GtkSnapshot *snapshot, const WhMapTransform *t)
{
  int                 zi = cluster_zoom (t->zoom);
  const WhClusterSet *set = get_set (self, zi);
  const WhCluster    *clusters;
  double              s = exp2 (t->zoom - zi);
  double              ox = t->cx - t->width / 2, oy = t->cy - t->height / 2;
  double              margin = 30;
  guint               n;

  if (t->rotation != 0)
    margin += hypot (t->width, t->height) / 2; /* turned: more of the plane shows */

  clusters = wh_cluster_set_get_clusters (set, &n);
  /* Pressing ones last, so they are on top where dots touch. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        const WhCluster       *c = &clusters[i];
        const WhIncidentPoint *worst;
        double                 x = c->x * s - ox, y = c->y * s - oy;

        if (x < -margin || y < -margin || x > t->width + margin || y > t->height + margin)
          continue;
        if ((c->worst_rank >= 100) != (pass == 1))
          continue;
        worst = &g_array_index (self->points, WhIncidentPoint, c->worst_id);
        append_sprite (
          snapshot, get_sprite (self, self->color[c->worst_id], worst->priority, c->count, FALSE),
          x, y);
        self->n_drawn++;
      }
}

/* Heat map */

static void
box_blur (float *data, float *tmp, int width, int height, int radius, gboolean horizontal)
{
  int    n = horizontal ? width : height, m = horizontal ? height : width;
  double norm = 1.0 / (2 * radius + 1);

  for (int j = 0; j < m; j++)
    {
      double sum = 0;

      for (int i = -radius; i <= radius; i++)
        if (i >= 0 && i < n)
          sum += horizontal ? data[j * width + i] : data[i * width + j];
      for (int i = 0; i < n; i++)
        {
          int add = i + radius + 1, sub = i - radius;

          tmp[horizontal ? j * width + i : i * width + j] = (float) (sum * norm);
          if (add < n)
            sum += horizontal ? data[j * width + add] : data[add * width + j];
          if (sub >= 0)
            sum -= horizontal ? data[j * width + sub] : data[sub * width + j];
        }
    }
  memcpy (data, tmp, sizeof (float) * width * height);
}

static void
heat_color (double t, guint8 *rgba)
{
  /* Transparent → blue → green → yellow → red, straight alpha (see wh-map-texture.h). */
  static const double stops[5][3] = {
    { 0.16, 0.47, 0.84 }, { 0.16, 0.47, 0.84 }, { 0.24, 0.77, 0.43 },
    { 0.96, 0.83, 0.0 },  { 0.88, 0.11, 0.14 },
  };
  double pos = CLAMP (t, 0.0, 1.0) * 4, alpha = MIN (1.0, t * 3.0) * 0.78;
  int    i = MIN ((int) pos, 3);
  double f = pos - i;

  for (int k = 0; k < 3; k++)
    rgba[k] = (guint8) ((stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f) * 255);
  rgba[3] = (guint8) (alpha * 255);
}

static void
compute_heat (WhIncidentLayer *self, int zoom)
{
  double             world = wh_mercator_world_size (zoom);
  double             x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double             bin = HEAT_BIN_PX, pad = 3.0 * HEAT_RADIUS;
  g_autofree float  *grid = NULL, *tmp = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autoptr (GBytes) bytes = NULL;
  int   width, height;
  float max = 0;

  g_clear_object (&self->heat.texture);
  self->heat.zoom = zoom;
  for (guint i = 0; i < self->points->len; i++)
    if (isfinite (self->nx[i]))
      {
        x0 = MIN (x0, self->nx[i] * world);
        y0 = MIN (y0, self->ny[i] * world);
        x1 = MAX (x1, self->nx[i] * world);
        y1 = MAX (y1, self->ny[i] * world);
      }
  if (x1 < x0)
    return;

  while ((x1 - x0) / bin + 2 * pad > HEAT_MAX_CELLS || (y1 - y0) / bin + 2 * pad > HEAT_MAX_CELLS)
    bin *= 2;
  width = (int) ceil ((x1 - x0) / bin + 2 * pad);
  height = (int) ceil ((y1 - y0) / bin + 2 * pad);
  grid = g_new0 (float, (gsize) width *height);
  tmp = g_new (float, (gsize) width *height);

  for (guint i = 0; i < self->points->len; i++)
    if (isfinite (self->nx[i]))
      {
        int gx = (int) ((self->nx[i] * world - x0) / bin + pad);
        int gy = (int) ((self->ny[i] * world - y0) / bin + pad);

        /* Overdue work weighs more: the map is for finding where it piles up. */
        grid[gy * width + gx] += self->color[i] == COLOR_OVERDUE ? 2.0f : 1.0f;
      }
  /* Three box blurs are close to a Gaussian. */
  for (int pass = 0; pass < 3; pass++)
    {
      box_blur (grid, tmp, width, height, HEAT_RADIUS, TRUE);
      box_blur (grid, tmp, width, height, HEAT_RADIUS, FALSE);
    }
  for (gsize i = 0; i < (gsize) width * height; i++)
    max = MAX (max, grid[i]);

  pixels = g_new (guint8, (gsize) width * height * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    heat_color (max > 0 ? sqrt (grid[i] / max) : 0, &pixels[i * 4]);
  bytes = g_bytes_new_take (g_steal_pointer (&pixels), (gsize) width * height * 4);
  self->heat.texture =
    gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, width * 4);
  self->heat.x0 = x0 - pad * bin;
  self->heat.y0 = y0 - pad * bin;
  self->heat.width = width * bin;
  self->heat.height = height * bin;
}

static void
draw_heat (WhIncidentLayer *self, GtkSnapshot *snapshot, const WhMapTransform *t)
{
  int    zh = MIN (cluster_zoom (t->zoom), HEAT_MAX_ZOOM);
  double s;

  if (self->heat.zoom != zh)
    compute_heat (self, zh);
  if (self->heat.texture == NULL)
    return;
  s = exp2 (t->zoom - zh);
  gtk_snapshot_append_texture (
    snapshot, self->heat.texture,
    &GRAPHENE_RECT_INIT ((float) (self->heat.x0 * s - t->cx + t->width / 2),
                         (float) (self->heat.y0 * s - t->cy + t->height / 2),
                         (float) (self->heat.width * s), (float) (self->heat.height * s)));
}

/* Widget */

static void
wh_incident_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  WhIncidentLayer *self = WH_INCIDENT_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  WhMapTransform   t;

  self->n_drawn = 0;
  if (self->points->len == 0 || viewport == NULL)
    return;
  wh_map_transform_init (&t, viewport, widget);
  if (t.width <= 0 || t.height <= 0)
    return;

  if (self->sprite_scale != gtk_widget_get_scale_factor (widget))
    {
      self->sprite_scale = gtk_widget_get_scale_factor (widget);
      g_hash_table_remove_all (self->sprites);
    }

  wh_map_transform_push_rotation (&t, snapshot);
  if (self->heat_map)
    draw_heat (self, snapshot, &t);
  else
    draw_clusters (self, snapshot, &t);

  if (self->selected >= 0)
    {
      const WhIncidentPoint *p = &g_array_index (self->points, WhIncidentPoint, self->selected);
      double                 x, y;

      /* Its own dot inside the ring: in a cluster it has none where it is. */
      wh_map_transform_apply (&t, self->nx[self->selected], self->ny[self->selected], &x, &y);
      append_sprite (snapshot,
                     get_sprite (self, self->color[self->selected], p->priority, 1, FALSE), x, y);
      append_sprite (snapshot, get_sprite (self, self->color[self->selected], p->priority, 1, TRUE),
                     x, y);
    }
  gtk_snapshot_restore (snapshot);
}

static void
on_viewport_notify (WhIncidentLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
wh_incident_layer_constructed (GObject *object)
{
  WhIncidentLayer *self = WH_INCIDENT_LAYER (object);

  G_OBJECT_CLASS (wh_incident_layer_parent_class)->constructed (object);

  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (on_viewport_notify), self, G_CONNECT_SWAPPED);
}

static void
wh_incident_layer_dispose (GObject *object)
{
  WhIncidentLayer *self = WH_INCIDENT_LAYER (object);

  drop_caches (self);
  g_clear_pointer (&self->clusterer, wh_clusterer_free);
  g_clear_pointer (&self->sprites, g_hash_table_unref);

  G_OBJECT_CLASS (wh_incident_layer_parent_class)->dispose (object);
}

static void
wh_incident_layer_finalize (GObject *object)
{
  WhIncidentLayer *self = WH_INCIDENT_LAYER (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->by_rowid, g_hash_table_unref);
  g_free (self->nx);
  g_free (self->ny);
  g_free (self->color);

  G_OBJECT_CLASS (wh_incident_layer_parent_class)->finalize (object);
}

static void
wh_incident_layer_class_init (WhIncidentLayerClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = wh_incident_layer_constructed;
  object_class->dispose = wh_incident_layer_dispose;
  object_class->finalize = wh_incident_layer_finalize;
  widget_class->snapshot = wh_incident_layer_snapshot;

  /**
   * WhIncidentLayer::selection-changed:
   *
   * An incident was selected, or the selection was cleared.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "incidentlayer");
}

static void
wh_incident_layer_init (WhIncidentLayer *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (WhIncidentPoint));
  self->by_rowid = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->sprites =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) sprite_free);
  self->sprite_scale = 1;
  self->selected = -1;
  self->heat.zoom = -1;
  self->clusterer = wh_clusterer_new (NULL, 0);
  /* Clicks go to the map, which asks the layers what was hit. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/* Public API */

WhIncidentLayer *
wh_incident_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (WH_TYPE_INCIDENT_LAYER, "viewport", viewport, NULL);
}

void
wh_incident_layer_set_points (WhIncidentLayer       *self,
                              const WhIncidentPoint *points,
                              guint                  n_points,
                              gint64                 now)
{
  g_autofree WhClusterPoint *input = NULL;
  gint64                     selected_rowid = 0;
  int                        selected = -1;

  g_return_if_fail (WH_IS_INCIDENT_LAYER (self));
  g_return_if_fail (points != NULL || n_points == 0);

  if (self->selected >= 0)
    selected_rowid = g_array_index (self->points, WhIncidentPoint, self->selected).rowid;

  drop_caches (self);
  g_clear_pointer (&self->clusterer, wh_clusterer_free);
  g_hash_table_remove_all (self->by_rowid);
  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, points, n_points);
  self->now = now;
  self->nx = g_renew (double, self->nx, MAX (n_points, 1));
  self->ny = g_renew (double, self->ny, MAX (n_points, 1));
  self->color = g_renew (guint8, self->color, MAX (n_points, 1));

  input = g_new (WhClusterPoint, MAX (n_points, 1));
  for (guint i = 0; i < n_points; i++)
    {
      WhIncidentPoint *p = &g_array_index (self->points, WhIncidentPoint, i);

      if (isfinite (p->lon) && isfinite (p->lat))
        wh_mercator_project (p->lon, p->lat, &self->nx[i], &self->ny[i]);
      else
        self->nx[i] = self->ny[i] = NAN;
      self->color[i] = is_overdue (p, now) ? COLOR_OVERDUE : wh_status_group (p->status);
      input[i] = (WhClusterPoint){ p->lon, p->lat, i, rank_of (p, now) };
      if (p->rowid != 0)
        g_hash_table_insert (self->by_rowid, &p->rowid, GUINT_TO_POINTER (i + 1));
      if (selected_rowid != 0 && p->rowid == selected_rowid)
        selected = (int) i;
    }
  self->clusterer = wh_clusterer_new (input, n_points);

  if (self->selected != selected)
    {
      self->selected = selected;
      g_signal_emit (self, signals[SELECTION_CHANGED], 0);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wh_incident_layer_get_n_points (WhIncidentLayer *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LAYER (self), 0);
  return self->points->len;
}

const WhIncidentPoint *
wh_incident_layer_get_point (WhIncidentLayer *self, guint index)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LAYER (self), NULL);

  if (index >= self->points->len)
    return NULL;
  return &g_array_index (self->points, WhIncidentPoint, index);
}

int
wh_incident_layer_find_rowid (WhIncidentLayer *self, gint64 rowid)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LAYER (self), -1);

  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->by_rowid, &rowid)) - 1;
}

void
wh_incident_layer_set_heat_map (WhIncidentLayer *self, gboolean heat_map)
{
  g_return_if_fail (WH_IS_INCIDENT_LAYER (self));

  heat_map = !!heat_map;
  if (self->heat_map == heat_map)
    return;
  self->heat_map = heat_map;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
wh_incident_layer_get_heat_map (WhIncidentLayer *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LAYER (self), FALSE);
  return self->heat_map;
}

int
wh_incident_layer_hit (WhIncidentLayer *self, double x, double y, guint *count)
{
  ShumateViewport    *viewport;
  const WhClusterSet *set;
  const WhCluster    *clusters;
  WhMapTransform      t;
  double              nx, ny, world;
  int                 zi, index;

  g_return_val_if_fail (WH_IS_INCIDENT_LAYER (self), -1);

  if (count != NULL)
    *count = 0;
  if (self->points->len == 0 || self->heat_map)
    return -1;

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  wh_map_transform_init (&t, viewport, GTK_WIDGET (self));
  wh_map_transform_invert (&t, x, y, &nx, &ny);
  zi = cluster_zoom (t.zoom);
  set = get_set (self, zi);
  world = wh_mercator_world_size (zi);
  /* The largest dot's radius, in pixels of the clustering zoom: at a fractional zoom the
   * dots keep their size while the grid grows. */
  index = wh_cluster_set_hit (set, nx * world, ny * world,
                              MIN ((sprite_radius (9999, 0) + 2) / exp2 (t.zoom - zi), CELL_PX));
  if (index < 0)
    return -1;

  clusters = wh_cluster_set_get_clusters (set, NULL);
  {
    const WhCluster       *c = &clusters[index];
    double                 s = exp2 (t.zoom - zi);
    double                 dx = (c->x - nx * world) * s, dy = (c->y - ny * world) * s;
    const WhIncidentPoint *worst = &g_array_index (self->points, WhIncidentPoint, c->worst_id);

    /* The search radius suits the biggest dot; hold each dot to its own size. */
    if (hypot (dx, dy) > sprite_radius (c->count, worst->priority) + 3)
      return -1;
    if (count != NULL)
      *count = c->count;
    return (int) c->worst_id;
  }
}

gboolean
wh_incident_layer_get_point_position (WhIncidentLayer *self, guint index, double *x, double *y)
{
  WhMapTransform t;

  g_return_val_if_fail (WH_IS_INCIDENT_LAYER (self), FALSE);

  if (index >= self->points->len || !isfinite (self->nx[index]))
    return FALSE;
  wh_map_transform_init (&t, shumate_layer_get_viewport (SHUMATE_LAYER (self)), GTK_WIDGET (self));
  wh_map_transform_to_widget (&t, self->nx[index], self->ny[index], x, y);
  return TRUE;
}

void
wh_incident_layer_select (WhIncidentLayer *self, int index)
{
  g_return_if_fail (WH_IS_INCIDENT_LAYER (self));

  if (index >= (int) self->points->len)
    index = -1;
  if (self->selected == index)
    return;
  self->selected = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

int
wh_incident_layer_get_selected (WhIncidentLayer *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LAYER (self), -1);
  return self->selected;
}

guint
wh_incident_layer_get_n_drawn (WhIncidentLayer *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LAYER (self), 0);
  return self->n_drawn;
}
