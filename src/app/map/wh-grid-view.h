/* wh-grid-view.h — grid cells and incident dots drawn on a plain background
 *
 * Stands in for the map until the libshumate layer lands: one widget draws every cell
 * outline and every dot in its snapshot (never one child widget per item), fitted to the
 * street's bounds. Clicking a cell selects it.
 */
#pragma once

#include <gtk/gtk.h>

#include "wh-grid-cell.h"

G_BEGIN_DECLS

#define WH_TYPE_GRID_VIEW (wh_grid_view_get_type ())
G_DECLARE_FINAL_TYPE (WhGridView, wh_grid_view, WH, GRID_VIEW, GtkWidget)

GtkWidget *wh_grid_view_new (void);

/* The cells to draw (a #GListModel of #WhGridCell); fits the view to their bounds. */
void  wh_grid_view_set_cells (WhGridView *self, GListModel *cells);
guint wh_grid_view_get_n_cells (WhGridView *self);

/* The incidents to draw (WhIncidentPoint, copied); those whose running deadline is
 * before @now are drawn as overdue. */
void  wh_grid_view_set_points (WhGridView *self, GArray *points, gint64 now);
guint wh_grid_view_get_n_points (WhGridView *self);

/* Space along the edges kept clear of the street (for cards floating over the view);
 * ignored when it would leave the street too little room. */
void wh_grid_view_set_insets (WhGridView *self, int left, int top, int right, int bottom);

/* Returns: (transfer none) (nullable): the selected cell */
WhGridCell *wh_grid_view_get_selected_cell (WhGridView *self);

/* Selects the cell with @grid_id (%NULL clears); emits ::selection-changed. */
void wh_grid_view_select_cell (WhGridView *self, const char *grid_id);

/* Returns: (transfer none) (nullable): the cell under widget coordinates @x, @y */
WhGridCell *wh_grid_view_cell_at (WhGridView *self, double x, double y);

/* Where @lon, @lat is drawn, in widget coordinates; %FALSE before the first layout. */
gboolean wh_grid_view_project (WhGridView *self, double lon, double lat, double *x, double *y);

/* The outline colour of community number @index (WhGridCell.community_index). */
void wh_grid_view_community_color (guint index, GdkRGBA *color);

G_END_DECLS
