/* wh-grid-layer.c — every grid cell of the street, drawn on the map in one snapshot */
#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-grid-layer.h"
#include "wh-map-texture.h"
#include "wh-map-transform.h"
#include "wh-mercator.h"

/* The fills' texture: at most this zoom level and this many pixels a side. */
#define FILL_MAX_ZOOM 17
#define FILL_MAX_SIZE 2048

typedef struct
{
  WhGridCell  *cell;
  double      *xy; /* the outline in normalised world coordinates, x, y, x, y … */
  guint        n;
  double       x0, y0, x1, y1; /* its bounds */
  double       cx, cy;         /* the centroid */
  guint        count;
  PangoLayout *label; /* made on first use */
  int          label_width, label_height;
  double       label_zoom; /* the zoom level the label was laid out for */
} Shape;

struct _WhGridLayer
{
  ShumateLayer parent_instance;

  GArray *shapes; /* of Shape */
  Shape  *selected;
  guint   max_count;

  /* The fills of all cells, drawn once (render_fills()) */
  GdkTexture *fills;
  gboolean    fills_valid;
  double      fills_x, fills_y; /* its top-left corner, world pixels at @fills_zoom */
  int         fills_zoom;
};

G_DEFINE_FINAL_TYPE (WhGridLayer, wh_grid_layer, SHUMATE_TYPE_LAYER)

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Distinct hues from the GNOME palette, one per community. */
static const char *const community_colors[] = {
  "#1c71d8", "#26a269", "#9141ac", "#c64600", "#1a5fb4", "#865e3c", "#e5a50a", "#613583",
};

void
wh_grid_layer_community_color (guint index, GdkRGBA *color)
{
  gdk_rgba_parse (color, community_colors[index % G_N_ELEMENTS (community_colors)]);
}

void
wh_grid_layer_fill_color (guint count, guint max_count, GdkRGBA *color)
{
  /* Light yellow → orange → red: warm enough to read as "busy" on the pale base map,
   * light enough at the low end not to hide it. */
  static const double stops[3][3] = {
    { 0xf9 / 255., 0xe0 / 255., 0x6b / 255. },
    { 0xf0 / 255., 0x88 / 255., 0x3e / 255. },
    { 0xc0 / 255., 0x1c / 255., 0x28 / 255. },
  };
  double t = max_count > 1 ? (double) (MIN (count, max_count) - 1) / (max_count - 1) : 1.0;
  int    i = t < 0.5 ? 0 : 1;
  double f = t < 0.5 ? t * 2 : (t - 0.5) * 2;

  color->red = stops[i][0] + (stops[i + 1][0] - stops[i][0]) * f;
  color->green = stops[i][1] + (stops[i + 1][1] - stops[i][1]) * f;
  color->blue = stops[i][2] + (stops[i + 1][2] - stops[i][2]) * f;
  color->alpha = 0.30 + 0.25 * t;
}

static void
shape_clear (Shape *shape)
{
  g_clear_object (&shape->cell);
  g_clear_pointer (&shape->xy, g_free);
  g_clear_object (&shape->label);
}

static void
on_viewport_notify (WhGridLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The short name of a cell: without the community it repeats (its colour says that). */
static char *
label_text (WhGridCell *cell, gboolean with_code)
{
  const char      *name = cell->name ? cell->name : "";
  g_autofree char *escaped = NULL;

  if (cell->community_name != NULL && g_str_has_prefix (name, cell->community_name) &&
      name[strlen (cell->community_name)] != '\0')
    name += strlen (cell->community_name);
  escaped = g_markup_escape_text (name, -1);
  if (!with_code)
    return g_strdup_printf ("<b>%s</b>", escaped);
  return g_strdup_printf ("<b>%s</b>\n<span size=\"small\" alpha=\"70%%\">%s</span>", escaped,
                          cell->id);
}

static void
draw_labels (WhGridLayer *self, GtkSnapshot *snapshot, const WhMapTransform *t)
{
  gboolean with_code = t->zoom >= WH_GRID_LAYER_LABEL_ZOOM + 1.5;
  GdkRGBA  text = { 0.12f, 0.12f, 0.14f, 1 };
  GdkRGBA  pill = { 1, 1, 1, 0.78f };

  for (guint i = 0; i < self->shapes->len; i++)
    {
      Shape *shape = &g_array_index (self->shapes, Shape, i);
      double x, y, x0, y0, x1, y1;

      wh_map_transform_apply (t, shape->x0, shape->y0, &x0, &y0);
      wh_map_transform_apply (t, shape->x1, shape->y1, &x1, &y1);
      if (x1 < 0 || y1 < 0 || x0 > t->width || y0 > t->height)
        continue;

      if (shape->label == NULL ||
          (shape->label_zoom >= WH_GRID_LAYER_LABEL_ZOOM + 1.5) != with_code)
        {
          g_autofree char *markup = label_text (shape->cell, with_code);

          g_clear_object (&shape->label);
          shape->label = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
          pango_layout_set_markup (shape->label, markup, -1);
          pango_layout_set_alignment (shape->label, PANGO_ALIGN_CENTER);
          pango_layout_get_pixel_size (shape->label, &shape->label_width, &shape->label_height);
          shape->label_zoom = t->zoom;
        }
      if (shape->label_width + 8 > x1 - x0)
        continue; /* the cell is narrower than its name at this zoom */

      wh_map_transform_apply (t, shape->cx, shape->cy, &x, &y);
      {
        graphene_rect_t rect = GRAPHENE_RECT_INIT (
          (float) (x - shape->label_width / 2.0 - 6), (float) (y - shape->label_height / 2.0 - 2),
          (float) (shape->label_width + 12), (float) (shape->label_height + 4));
        GskRoundedRect rounded;

        gsk_rounded_rect_init_from_rect (&rounded, &rect, 6);
        gtk_snapshot_push_rounded_clip (snapshot, &rounded);
        gtk_snapshot_append_color (snapshot, &pill, &rect);
        gtk_snapshot_pop (snapshot);
      }
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT ((float) round (x - shape->label_width / 2.0),
                                                    (float) round (y - shape->label_height / 2.0)));
      gtk_snapshot_append_layout (snapshot, shape->label, &text);
      gtk_snapshot_restore (snapshot);
    }
}

/* The fills, drawn once per change of the cells or counts into one texture of the whole
 * street, which every frame then only places and scales: a cairo node redrawn each frame
 * cost more than everything else on the map together. The outlines, drawn crisp on top,
 * hide the softness of its edges at high zoom. */
static void
render_fills (WhGridLayer *self)
{
  double           x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double           world;
  int              zoom, width, height;
  cairo_surface_t *surface;
  cairo_t         *cr;

  g_clear_object (&self->fills);
  self->fills_valid = TRUE;
  if (self->max_count == 0)
    return;

  for (guint i = 0; i < self->shapes->len; i++)
    {
      Shape *shape = &g_array_index (self->shapes, Shape, i);

      x0 = MIN (x0, shape->x0);
      y0 = MIN (y0, shape->y0);
      x1 = MAX (x1, shape->x1);
      y1 = MAX (y1, shape->y1);
    }
  /* As fine as fits the largest texture we want to upload. */
  for (zoom = FILL_MAX_ZOOM; zoom > 0; zoom--)
    if ((x1 - x0) * wh_mercator_world_size (zoom) <= FILL_MAX_SIZE &&
        (y1 - y0) * wh_mercator_world_size (zoom) <= FILL_MAX_SIZE)
      break;
  world = wh_mercator_world_size (zoom);
  width = (int) ceil ((x1 - x0) * world) + 2;
  height = (int) ceil ((y1 - y0) * world) + 2;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_translate (cr, 1 - x0 * world, 1 - y0 * world);
  for (guint i = 0; i < self->shapes->len; i++)
    {
      Shape  *shape = &g_array_index (self->shapes, Shape, i);
      GdkRGBA c;

      if (shape->count == 0)
        continue;
      cairo_new_path (cr);
      for (guint k = 0; k < shape->n; k++)
        cairo_line_to (cr, shape->xy[2 * k] * world, shape->xy[2 * k + 1] * world);
      cairo_close_path (cr);
      wh_grid_layer_fill_color (shape->count, self->max_count, &c);
      cairo_set_source_rgba (cr, c.red, c.green, c.blue, c.alpha);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  self->fills = wh_map_texture_new_for_surface (surface);
  cairo_surface_destroy (surface);
  self->fills_x = x0 * world - 1;
  self->fills_y = y0 * world - 1;
  self->fills_zoom = zoom;
}

/* An outline as one thin rectangle per edge, turned along it: plain colour nodes, which
 * every renderer draws fast, no path to rasterise. Square ends close the corners. */
static void
append_outline (GtkSnapshot          *snapshot,
                const WhMapTransform *t,
                const Shape          *shape,
                const GdkRGBA        *color,
                double                width)
{
  double px, py;

  wh_map_transform_apply (t, shape->xy[2 * (shape->n - 1)], shape->xy[2 * (shape->n - 1) + 1], &px,
                          &py);
  for (guint k = 0; k < shape->n; k++)
    {
      double x, y, len;

      wh_map_transform_apply (t, shape->xy[2 * k], shape->xy[2 * k + 1], &x, &y);
      if (MAX (x, px) >= -width && MAX (y, py) >= -width && MIN (x, px) <= t->width + width &&
          MIN (y, py) <= t->height + width && (len = hypot (x - px, y - py)) > 0)
        {
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) px, (float) py));
          gtk_snapshot_rotate (snapshot, (float) (atan2 (y - py, x - px) * 180.0 / G_PI));
          gtk_snapshot_append_color (snapshot, color,
                                     &GRAPHENE_RECT_INIT ((float) (-width / 2),
                                                          (float) (-width / 2),
                                                          (float) (len + width), (float) width));
          gtk_snapshot_restore (snapshot);
        }
      px = x;
      py = y;
    }
}

static void
wh_grid_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  WhGridLayer     *self = WH_GRID_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  WhMapTransform   t;
  double           outline_width;

  if (self->shapes->len == 0 || viewport == NULL)
    return;

  wh_map_transform_init (&t, viewport, widget);
  if (t.width <= 0 || t.height <= 0)
    return;
  wh_map_transform_push_rotation (&t, snapshot);

  if (!self->fills_valid)
    render_fills (self);
  if (self->fills != NULL)
    {
      double s = exp2 (t.zoom - self->fills_zoom);

      gtk_snapshot_append_texture (
        snapshot, self->fills,
        &GRAPHENE_RECT_INIT ((float) (self->fills_x * s - t.cx + t.width / 2),
                             (float) (self->fills_y * s - t.cy + t.height / 2),
                             (float) (gdk_texture_get_width (self->fills) * s),
                             (float) (gdk_texture_get_height (self->fills) * s)));
    }

  outline_width = CLAMP (1.0 + (t.zoom - 13) * 0.3, 1.0, 2.5);
  for (guint i = 0; i < self->shapes->len; i++)
    {
      Shape  *shape = &g_array_index (self->shapes, Shape, i);
      double  x0, y0, x1, y1;
      GdkRGBA c;

      wh_map_transform_apply (&t, shape->x0, shape->y0, &x0, &y0);
      wh_map_transform_apply (&t, shape->x1, shape->y1, &x1, &y1);
      if (x1 < -8 || y1 < -8 || x0 > t.width + 8 || y0 > t.height + 8)
        if (t.rotation == 0)
          continue;
      wh_grid_layer_community_color (shape->cell->community_index, &c);
      append_outline (snapshot, &t, shape, &c, outline_width);
    }

  /* The selected cell on top, so no neighbour's outline hides part of it. */
  if (self->selected != NULL)
    {
      GdkRGBA halo = { 1, 1, 1, 0.95f }, ink = { 0.05f, 0.05f, 0.1f, 1 };

      append_outline (snapshot, &t, self->selected, &halo, outline_width + 5);
      append_outline (snapshot, &t, self->selected, &ink, outline_width + 2);
    }

  if (t.zoom >= WH_GRID_LAYER_LABEL_ZOOM)
    draw_labels (self, snapshot, &t);

  gtk_snapshot_restore (snapshot);
}

static void
wh_grid_layer_constructed (GObject *object)
{
  WhGridLayer *self = WH_GRID_LAYER (object);

  G_OBJECT_CLASS (wh_grid_layer_parent_class)->constructed (object);

  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (on_viewport_notify), self, G_CONNECT_SWAPPED);
}

static void
wh_grid_layer_dispose (GObject *object)
{
  WhGridLayer *self = WH_GRID_LAYER (object);

  self->selected = NULL;
  g_clear_pointer (&self->shapes, g_array_unref);
  g_clear_object (&self->fills);

  G_OBJECT_CLASS (wh_grid_layer_parent_class)->dispose (object);
}

static void
wh_grid_layer_class_init (WhGridLayerClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = wh_grid_layer_constructed;
  object_class->dispose = wh_grid_layer_dispose;
  widget_class->snapshot = wh_grid_layer_snapshot;

  /**
   * WhGridLayer::selection-changed:
   *
   * A cell was selected, or the selection was cleared.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "gridlayer");
}

static void
wh_grid_layer_init (WhGridLayer *self)
{
  self->shapes = g_array_new (FALSE, TRUE, sizeof (Shape));
  g_array_set_clear_func (self->shapes, (GDestroyNotify) shape_clear);
  /* Clicks go to the map, which asks the layers what was hit. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

WhGridLayer *
wh_grid_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (WH_TYPE_GRID_LAYER, "viewport", viewport, NULL);
}

void
wh_grid_layer_set_cells (WhGridLayer *self, GListModel *cells)
{
  g_autofree char *selected_id = NULL;
  guint            n;

  g_return_if_fail (WH_IS_GRID_LAYER (self));
  g_return_if_fail (cells == NULL || G_IS_LIST_MODEL (cells));

  if (self->selected != NULL)
    selected_id = g_strdup (self->selected->cell->id);
  self->selected = NULL;
  g_array_set_size (self->shapes, 0);
  self->fills_valid = FALSE;

  n = cells != NULL ? g_list_model_get_n_items (cells) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, i);
      Shape shape = { 0 };

      if (cell->outline->len < 3)
        continue;
      shape.cell = g_object_ref (cell);
      shape.n = cell->outline->len;
      shape.xy = g_new (double, 2 * shape.n);
      for (guint k = 0; k < shape.n; k++)
        {
          const WhLonLat *p = &g_array_index (cell->outline, WhLonLat, k);

          wh_mercator_project (p->lon, p->lat, &shape.xy[2 * k], &shape.xy[2 * k + 1]);
        }
      wh_mercator_project (cell->min_lon, cell->max_lat, &shape.x0, &shape.y0);
      wh_mercator_project (cell->max_lon, cell->min_lat, &shape.x1, &shape.y1);
      wh_mercator_project (cell->centroid_lon, cell->centroid_lat, &shape.cx, &shape.cy);
      g_array_append_val (self->shapes, shape);
    }

  /* Keep the selection across a reload when the cell still exists. */
  for (guint i = 0; selected_id != NULL && i < self->shapes->len; i++)
    {
      Shape *shape = &g_array_index (self->shapes, Shape, i);

      if (g_strcmp0 (shape->cell->id, selected_id) == 0)
        self->selected = shape;
    }
  if (selected_id != NULL && self->selected == NULL)
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wh_grid_layer_get_n_cells (WhGridLayer *self)
{
  g_return_val_if_fail (WH_IS_GRID_LAYER (self), 0);
  return self->shapes->len;
}

void
wh_grid_layer_set_counts (WhGridLayer *self, GHashTable *counts)
{
  g_return_if_fail (WH_IS_GRID_LAYER (self));

  self->max_count = 0;
  for (guint i = 0; i < self->shapes->len; i++)
    {
      Shape *shape = &g_array_index (self->shapes, Shape, i);

      shape->count =
        counts != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (counts, shape->cell->id)) : 0;
      self->max_count = MAX (self->max_count, shape->count);
    }
  self->fills_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wh_grid_layer_get_max_count (WhGridLayer *self)
{
  g_return_val_if_fail (WH_IS_GRID_LAYER (self), 0);
  return self->max_count;
}

WhGridCell *
wh_grid_layer_cell_at (WhGridLayer *self, double x, double y)
{
  ShumateViewport *viewport;
  WhMapTransform   t;
  double           nx, ny, lon, lat;

  g_return_val_if_fail (WH_IS_GRID_LAYER (self), NULL);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  wh_map_transform_init (&t, viewport, GTK_WIDGET (self));
  wh_map_transform_invert (&t, x, y, &nx, &ny);
  wh_mercator_unproject (nx, ny, &lon, &lat);
  for (guint i = 0; i < self->shapes->len; i++)
    {
      Shape *shape = &g_array_index (self->shapes, Shape, i);

      if (nx >= shape->x0 && nx <= shape->x1 && ny >= shape->y0 && ny <= shape->y1 &&
          wh_grid_cell_contains (shape->cell, lon, lat))
        return shape->cell;
    }
  return NULL;
}

void
wh_grid_layer_select_cell (WhGridLayer *self, const char *grid_id)
{
  Shape *found = NULL;

  g_return_if_fail (WH_IS_GRID_LAYER (self));

  for (guint i = 0; grid_id != NULL && i < self->shapes->len; i++)
    {
      Shape *shape = &g_array_index (self->shapes, Shape, i);

      if (g_strcmp0 (shape->cell->id, grid_id) == 0)
        found = shape;
    }
  if (found == self->selected)
    return;
  self->selected = found;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

WhGridCell *
wh_grid_layer_get_selected_cell (WhGridLayer *self)
{
  g_return_val_if_fail (WH_IS_GRID_LAYER (self), NULL);
  return self->selected != NULL ? self->selected->cell : NULL;
}

gboolean
wh_grid_layer_get_bounds (WhGridLayer *self, WhGeoBounds *bounds)
{
  g_return_val_if_fail (WH_IS_GRID_LAYER (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  if (self->shapes->len == 0)
    return FALSE;
  *bounds = (WhGeoBounds){ 180, 90, -180, -90 };
  for (guint i = 0; i < self->shapes->len; i++)
    {
      WhGridCell *cell = g_array_index (self->shapes, Shape, i).cell;

      bounds->min_lon = MIN (bounds->min_lon, cell->min_lon);
      bounds->min_lat = MIN (bounds->min_lat, cell->min_lat);
      bounds->max_lon = MAX (bounds->max_lon, cell->max_lon);
      bounds->max_lat = MAX (bounds->max_lat, cell->max_lat);
    }
  return TRUE;
}
