/* wh-grid-cell.h — a grid cell (网格) with its outline, as a list item */
#pragma once

#include <glib-object.h>

#include "wh-geo.h"

G_BEGIN_DECLS

/* A WGS84 position. */
typedef struct
{
  double lon;
  double lat;
} WhLonLat;

#define WH_TYPE_GRID_CELL (wh_grid_cell_get_type ())
G_DECLARE_FINAL_TYPE (WhGridCell, wh_grid_cell, WH, GRID_CELL, GObject)

/* Fields are public and read-only outside the store that made the item. */
struct _WhGridCell
{
  GObject parent_instance;
  char   *id; /* 15 digits: community (12) + sequence (3) */
  char   *community_id;
  char   *community_name;
  guint   community_index; /* the community's position in the street, for colours */
  char   *name;
  GArray *outline; /* of WhLonLat: the polygon's outer ring, open (no repeated last point) */
  double  centroid_lon;
  double  centroid_lat;
  double  min_lon, max_lon, min_lat, max_lat; /* bounds of the outline */
  WhGeoPolygon *polygon; /* the parsed outline, for point-in-polygon */
  guint   n_open; /* open incidents in the cell when the list was made */
};

WhGridCell *wh_grid_cell_new (void);

/**
 * wh_grid_cell_set_geojson:
 * @self: a cell
 * @geojson: a GeoJSON Polygon (the grid_cell.polygon column)
 * @error: G_IO_ERROR_INVALID_DATA when it is not a polygon with at least three points
 *
 * Replaces the outline with the outer ring of @geojson and updates the bounds. Inner rings
 * (holes) are ignored: grid cells in practice have none.
 *
 * Returns: %TRUE on success; on failure the outline is left as it was
 */
gboolean wh_grid_cell_set_geojson (WhGridCell *self, const char *geojson, GError **error);

/* Whether the point lies inside the outline (even-odd rule). */
gboolean wh_grid_cell_contains (WhGridCell *self, double lon, double lat);

G_END_DECLS
