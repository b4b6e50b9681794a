/* wh-grid-view.c — grid cells and incident dots drawn on a plain background */
#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-format.h"
#include "wh-grid-store.h"
#include "wh-grid-view.h"

#define MARGIN     24.0
#define DOT_RADIUS 3.0

struct _WhGridView
{
  GtkWidget parent_instance;

  GPtrArray  *cells;  /* of WhGridCell */
  GArray     *points; /* of WhIncidentPoint */
  gint64      now;
  WhGridCell *selected;

  /* Bounds of all cells, and the projection of the last layout. */
  double   min_lon, max_lon, min_lat, max_lat;
  double   cos_lat;
  double   scale, offset_x, offset_y;
  gboolean have_layout;
  int      inset_left, inset_top, inset_right, inset_bottom;
};

G_DEFINE_FINAL_TYPE (WhGridView, wh_grid_view, GTK_TYPE_WIDGET)

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Distinct hues from the GNOME palette, one per community. */
static const char *const community_colors[] = {
  "#1c71d8", "#26a269", "#e5a50a", "#c64600", "#813d9c", "#865e3c", "#c01c28", "#1a5fb4",
};

void
wh_grid_view_community_color (guint index, GdkRGBA *color)
{
  gdk_rgba_parse (color, community_colors[index % G_N_ELEMENTS (community_colors)]);
}

static void
update_layout (WhGridView *self, double width, double height)
{
  double span_x, span_y;

  double x0 = 0, y0 = 0;

  self->have_layout = FALSE;
  if (self->cells->len == 0 || width <= 2 * MARGIN || height <= 2 * MARGIN)
    return;

  /* Keep clear of the floating cards, unless that leaves less than half the view. */
  if (width - self->inset_left - self->inset_right >= width / 2 &&
      height - self->inset_top - self->inset_bottom >= height / 2)
    {
      x0 = self->inset_left;
      y0 = self->inset_top;
      width -= self->inset_left + self->inset_right;
      height -= self->inset_top + self->inset_bottom;
    }

  /* A local equirectangular projection: at street scale (a few km) it is exact enough,
   * and keeps cells their real shape when lon is scaled by cos(lat). */
  span_x = MAX ((self->max_lon - self->min_lon) * self->cos_lat, 1e-9);
  span_y = MAX (self->max_lat - self->min_lat, 1e-9);
  self->scale = MIN ((width - 2 * MARGIN) / span_x, (height - 2 * MARGIN) / span_y);
  self->offset_x = x0 + (width - span_x * self->scale) / 2;
  self->offset_y = y0 + (height - span_y * self->scale) / 2;
  self->have_layout = TRUE;
}

gboolean
wh_grid_view_project (WhGridView *self, double lon, double lat, double *x, double *y)
{
  g_return_val_if_fail (WH_IS_GRID_VIEW (self), FALSE);

  if (!self->have_layout)
    return FALSE;
  *x = self->offset_x + (lon - self->min_lon) * self->cos_lat * self->scale;
  *y = self->offset_y + (self->max_lat - lat) * self->scale;
  return TRUE;
}

static void
unproject (WhGridView *self, double x, double y, double *lon, double *lat)
{
  *lon = self->min_lon + (x - self->offset_x) / (self->scale * self->cos_lat);
  *lat = self->max_lat - (y - self->offset_y) / self->scale;
}

static void
cell_path (WhGridView *self, cairo_t *cr, WhGridCell *cell)
{
  cairo_new_path (cr);
  for (guint i = 0; i < cell->outline->len; i++)
    {
      const WhLonLat *p = &g_array_index (cell->outline, WhLonLat, i);
      double          x, y;

      wh_grid_view_project (self, p->lon, p->lat, &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
}

static void
draw_label (WhGridView *self, GtkSnapshot *snapshot, WhGridCell *cell, const GdkRGBA *color)
{
  double           x0, y0, x1, y1, cx, cy;
  g_autofree char *text = NULL;
  g_autoptr (PangoLayout) layout = NULL;
  const char *code, *name;
  int         w, h;

  wh_grid_view_project (self, cell->min_lon, cell->max_lat, &x0, &y0);
  wh_grid_view_project (self, cell->max_lon, cell->min_lat, &x1, &y1);
  if (x1 - x0 < 44 || y1 - y0 < 24)
    return; /* too small to label legibly */

  /* The code's own sequence, and the name without the community it repeats (the colour
   * and the legend say that already). */
  code = cell->id + MAX (0, (int) strlen (cell->id) - 3);
  name = cell->name;
  if (name != NULL && cell->community_name != NULL &&
      g_str_has_prefix (name, cell->community_name) && name[strlen (cell->community_name)] != '\0')
    name += strlen (cell->community_name);
  if (x1 - x0 >= 90 && y1 - y0 >= 40 && name != NULL)
    text = g_strdup_printf ("%s\n%s", code, name);
  else
    text = g_strdup (code);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_width (layout, (int) ((x1 - x0) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &w, &h);

  wh_grid_view_project (self, cell->centroid_lon, cell->centroid_lat, &cx, &cy);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x0, (float) (cy - h / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
wh_grid_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  WhGridView *self = WH_GRID_VIEW (widget);
  double      width = gtk_widget_get_width (widget);
  double      height = gtk_widget_get_height (widget);
  GdkRGBA     fg, label_color;
  cairo_t    *cr;

  update_layout (self, width, height);
  if (!self->have_layout)
    return;

  /* gtk_widget_get_color() is GTK 4.10; the style context is what 4.8 has. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  label_color = fg;
  label_color.alpha = 0.75f;

  cr =
    gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* Cells: a light wash of the community's colour, outlined in it. */
  for (guint i = 0; i < self->cells->len; i++)
    {
      WhGridCell *cell = g_ptr_array_index (self->cells, i);
      GdkRGBA     c;

      wh_grid_view_community_color (cell->community_index, &c);
      cell_path (self, cr, cell);
      cairo_set_source_rgba (cr, c.red, c.green, c.blue, cell == self->selected ? 0.35 : 0.12);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, c.red, c.green, c.blue, 0.9);
      cairo_set_line_width (cr, 1.2);
      cairo_stroke (cr);
    }

  /* The selected cell on top, so its outline is not hidden under a neighbour's. */
  if (self->selected != NULL)
    {
      cell_path (self, cr, self->selected);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      cairo_set_line_width (cr, 3.0);
      cairo_stroke (cr);
    }

  /* Incidents: a dot each, coloured by status; overdue ones red and drawn last. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->points->len; i++)
      {
        const WhIncidentPoint *p = &g_array_index (self->points, WhIncidentPoint, i);
        gboolean               overdue = p->due_at != 0 && p->due_at < self->now;
        double                 x, y, r, g, b;

        if (overdue != (pass == 1))
          continue;
        wh_grid_view_project (self, p->lon, p->lat, &x, &y);
        if (overdue)
          r = 0xe0 / 255., g = 0x1b / 255., b = 0x24 / 255.;
        else
          wh_status_group_color (wh_status_group (p->status), &r, &g, &b);
        cairo_new_path (cr);
        cairo_arc (cr, x, y, DOT_RADIUS + (p->priority > 0 ? 1.0 : 0.0), 0, 2 * G_PI);
        cairo_set_source_rgb (cr, r, g, b);
        cairo_fill_preserve (cr);
        cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
        cairo_set_line_width (cr, 0.8);
        cairo_stroke (cr);
      }

  cairo_destroy (cr);

  for (guint i = 0; i < self->cells->len; i++)
    draw_label (self, snapshot, g_ptr_array_index (self->cells, i), &label_color);
}

static void
wh_grid_view_measure (GtkWidget     *widget,
                      GtkOrientation orientation,
                      int            for_size,
                      int           *minimum,
                      int           *natural,
                      int           *minimum_baseline,
                      int           *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 150;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

WhGridCell *
wh_grid_view_cell_at (WhGridView *self, double x, double y)
{
  double lon, lat;

  g_return_val_if_fail (WH_IS_GRID_VIEW (self), NULL);

  update_layout (self, gtk_widget_get_width (GTK_WIDGET (self)),
                 gtk_widget_get_height (GTK_WIDGET (self)));
  if (!self->have_layout)
    return NULL;
  unproject (self, x, y, &lon, &lat);
  for (guint i = 0; i < self->cells->len; i++)
    {
      WhGridCell *cell = g_ptr_array_index (self->cells, i);

      if (wh_grid_cell_contains (cell, lon, lat))
        return cell;
    }
  return NULL;
}

static void
set_selected (WhGridView *self, WhGridCell *cell)
{
  if (self->selected == cell)
    return;
  self->selected = cell;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
on_click_released (GtkGestureClick *gesture, int n_press, double x, double y, WhGridView *self)
{
  set_selected (self, wh_grid_view_cell_at (self, x, y));
}

static void
wh_grid_view_dispose (GObject *object)
{
  WhGridView *self = WH_GRID_VIEW (object);

  self->selected = NULL;
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->points, g_array_unref);

  G_OBJECT_CLASS (wh_grid_view_parent_class)->dispose (object);
}

static void
wh_grid_view_class_init (WhGridViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_grid_view_dispose;
  widget_class->snapshot = wh_grid_view_snapshot;
  widget_class->measure = wh_grid_view_measure;

  /**
   * WhGridView::selection-changed:
   *
   * A cell was selected or the selection was cleared.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "gridview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wh_grid_view_init (WhGridView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->cells = g_ptr_array_new_with_free_func (g_object_unref);
  self->points = g_array_new (FALSE, FALSE, sizeof (WhIncidentPoint));
  self->cos_lat = 1.0;

  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "grid-view");
}

GtkWidget *
wh_grid_view_new (void)
{
  return g_object_new (WH_TYPE_GRID_VIEW, NULL);
}

void
wh_grid_view_set_cells (WhGridView *self, GListModel *cells)
{
  g_autofree char *selected_id = NULL;

  g_return_if_fail (WH_IS_GRID_VIEW (self));
  g_return_if_fail (cells == NULL || G_IS_LIST_MODEL (cells));

  if (self->selected != NULL)
    selected_id = g_strdup (self->selected->id);
  self->selected = NULL;
  g_ptr_array_set_size (self->cells, 0);

  for (guint i = 0; cells != NULL && i < g_list_model_get_n_items (cells); i++)
    {
      WhGridCell *cell = g_list_model_get_item (cells, i);

      if (cell->outline->len < 3)
        {
          g_object_unref (cell);
          continue;
        }
      if (self->cells->len == 0)
        {
          self->min_lon = cell->min_lon;
          self->max_lon = cell->max_lon;
          self->min_lat = cell->min_lat;
          self->max_lat = cell->max_lat;
        }
      else
        {
          self->min_lon = MIN (self->min_lon, cell->min_lon);
          self->max_lon = MAX (self->max_lon, cell->max_lon);
          self->min_lat = MIN (self->min_lat, cell->min_lat);
          self->max_lat = MAX (self->max_lat, cell->max_lat);
        }
      g_ptr_array_add (self->cells, cell);
    }
  self->cos_lat = cos ((self->min_lat + self->max_lat) / 2 * G_PI / 180);

  /* Keep the selection across a reload when the cell still exists. */
  for (guint i = 0; selected_id != NULL && i < self->cells->len; i++)
    {
      WhGridCell *cell = g_ptr_array_index (self->cells, i);

      if (g_strcmp0 (cell->id, selected_id) == 0)
        self->selected = cell;
    }
  if (selected_id != NULL && self->selected == NULL)
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wh_grid_view_get_n_cells (WhGridView *self)
{
  g_return_val_if_fail (WH_IS_GRID_VIEW (self), 0);
  return self->cells->len;
}

void
wh_grid_view_set_points (WhGridView *self, GArray *points, gint64 now)
{
  g_return_if_fail (WH_IS_GRID_VIEW (self));

  g_array_set_size (self->points, 0);
  if (points != NULL)
    g_array_append_vals (self->points, points->data, points->len);
  self->now = now;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wh_grid_view_get_n_points (WhGridView *self)
{
  g_return_val_if_fail (WH_IS_GRID_VIEW (self), 0);
  return self->points->len;
}

void
wh_grid_view_set_insets (WhGridView *self, int left, int top, int right, int bottom)
{
  g_return_if_fail (WH_IS_GRID_VIEW (self));

  self->inset_left = MAX (left, 0);
  self->inset_top = MAX (top, 0);
  self->inset_right = MAX (right, 0);
  self->inset_bottom = MAX (bottom, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

WhGridCell *
wh_grid_view_get_selected_cell (WhGridView *self)
{
  g_return_val_if_fail (WH_IS_GRID_VIEW (self), NULL);
  return self->selected;
}

void
wh_grid_view_select_cell (WhGridView *self, const char *grid_id)
{
  WhGridCell *found = NULL;

  g_return_if_fail (WH_IS_GRID_VIEW (self));

  for (guint i = 0; grid_id != NULL && i < self->cells->len; i++)
    {
      WhGridCell *cell = g_ptr_array_index (self->cells, i);

      if (g_strcmp0 (cell->id, grid_id) == 0)
        found = cell;
    }
  set_selected (self, found);
}
