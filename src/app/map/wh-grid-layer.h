/* wh-grid-layer.h — every grid cell of the street, drawn on the map in one snapshot
 *
 * A ShumateLayer: outlines in their community's colour, a fill by a measure (open
 * incidents, overdue, this month) on a light-to-red ramp, the selected cell outlined
 * strongly, and from WH_GRID_LAYER_LABEL_ZOOM on each cell's code and name. No child
 * widgets: one texture for all fills, colour nodes for the outlines, a text node per label.
 */
#pragma once

#include <shumate/shumate.h>

#include "wh-grid-cell.h"

G_BEGIN_DECLS

/* From this zoom level on, cells are labelled with their code and name. */
#define WH_GRID_LAYER_LABEL_ZOOM 15.5

#define WH_TYPE_GRID_LAYER (wh_grid_layer_get_type ())
G_DECLARE_FINAL_TYPE (WhGridLayer, wh_grid_layer, WH, GRID_LAYER, ShumateLayer)

WhGridLayer *wh_grid_layer_new (ShumateViewport *viewport);

/* The cells (a #GListModel of #WhGridCell, kept); the selection survives when its cell is
 * still there. */
void  wh_grid_layer_set_cells (WhGridLayer *self, GListModel *cells);
guint wh_grid_layer_get_n_cells (WhGridLayer *self);

/**
 * wh_grid_layer_set_counts:
 * @counts: (nullable) (element-type utf8 guint): grid id → count, borrowed for the call
 *
 * What the fills show; cells without a count are not filled. The ramp runs from 1 to the
 * highest count.
 */
void  wh_grid_layer_set_counts (WhGridLayer *self, GHashTable *counts);
guint wh_grid_layer_get_max_count (WhGridLayer *self);

/* Returns: (transfer none) (nullable): the cell under widget coordinates @x, @y */
WhGridCell *wh_grid_layer_cell_at (WhGridLayer *self, double x, double y);

/* Selects the cell with @grid_id (%NULL clears); emits ::selection-changed when it changes. */
void        wh_grid_layer_select_cell (WhGridLayer *self, const char *grid_id);
WhGridCell *wh_grid_layer_get_selected_cell (WhGridLayer *self);

/* The bounds of all cells, WGS84; %FALSE without cells. */
gboolean wh_grid_layer_get_bounds (WhGridLayer *self, WhGeoBounds *bounds);

/* The outline colour of community number @index (WhGridCell.community_index). */
void wh_grid_layer_community_color (guint index, GdkRGBA *color);

/* The fill of a cell with @count of @max_count (0 < @count ≤ @max_count). */
void wh_grid_layer_fill_color (guint count, guint max_count, GdkRGBA *color);

G_END_DECLS
