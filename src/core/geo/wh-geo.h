/* wh-geo.h — plane geometry on small areas of the earth: rings, polygons, distances
 *
 * Everything is WGS84 longitude/latitude in degrees. A ring is a plain array of doubles
 * laid out lon, lat, lon, lat, … so an outline kept in a GArray of WhLonLat can be passed
 * as (const double *) array->data. A ring may repeat its first point at the end (GeoJSON
 * does) or not; every function here accepts both.
 *
 * Areas and centroids use a local equirectangular projection: exact enough for a street's
 * grid cells (a few hundred metres across) and far cheaper than a geodesic computation.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Mean earth radius (IUGG), in metres: what the haversine distance uses. */
#define WH_GEO_EARTH_RADIUS 6371008.8

/* How close to an edge, in degrees (about 0.1 mm), a point must be to count as "on" it.
 * Exact comparison would make points that lie on a shared cell border fall in neither
 * cell after a round trip through text. */
#define WH_GEO_EDGE_EPSILON 1e-9

typedef struct
{
  double min_lon;
  double min_lat;
  double max_lon;
  double max_lat;
} WhGeoBounds;

/**
 * wh_geo_distance:
 *
 * The great-circle distance between two points on a sphere of radius
 * %WH_GEO_EARTH_RADIUS (haversine formula). Within 0.5 % of the ellipsoidal distance.
 *
 * Returns: the distance in metres
 */
double wh_geo_distance (double lon1, double lat1, double lon2, double lat2);

/**
 * wh_geo_ring_contains:
 * @ring: @n_points pairs of lon, lat
 *
 * Whether (@lon, @lat) lies inside the ring by the even-odd rule. A point on an edge or
 * a vertex (within %WH_GEO_EDGE_EPSILON) counts as inside, so a click exactly on a
 * border still finds a cell.
 */
gboolean wh_geo_ring_contains (const double *ring, gsize n_points, double lon, double lat);

/**
 * wh_geo_ring_bounds:
 * @ring: @n_points pairs of lon, lat, @n_points > 0
 * @bounds: (out): the smallest box holding every point
 */
void wh_geo_ring_bounds (const double *ring, gsize n_points, WhGeoBounds *bounds);

/**
 * wh_geo_ring_area:
 *
 * The area enclosed by the ring, whatever its orientation.
 *
 * Returns: the area in square metres (0 for fewer than three points)
 */
double wh_geo_ring_area (const double *ring, gsize n_points);

/**
 * wh_geo_ring_centroid:
 * @lon: (out): the centroid's longitude
 * @lat: (out): the centroid's latitude
 *
 * The centroid of the area the ring encloses: for a concave ring it can lie outside.
 * A ring without area (fewer than three points, or all on one line) has no centroid;
 * then the mean of its points is given instead and the function returns %FALSE.
 *
 * Returns: %TRUE when the ring encloses an area
 */
gboolean wh_geo_ring_centroid (const double *ring, gsize n_points, double *lon, double *lat);

/* A polygon: an outer ring and any number of holes. Rings are stored open (the closing
 * point of a GeoJSON ring is dropped). Immutable once made, so it can be shared between
 * threads by reference. */
typedef struct _WhGeoPolygon WhGeoPolygon;

/**
 * wh_geo_polygon_new:
 * @outer: @n_points pairs of lon, lat: the outer ring
 *
 * Makes a polygon without holes from a ring; add holes with wh_geo_polygon_add_hole().
 *
 * Returns: (transfer full): a new polygon
 */
WhGeoPolygon *wh_geo_polygon_new (const double *outer, gsize n_points);

/* Adds a hole. Only while the polygon is not yet shared: polygons are immutable after. */
void wh_geo_polygon_add_hole (WhGeoPolygon *self, const double *ring, gsize n_points);

/**
 * wh_geo_polygon_new_from_geojson:
 * @geojson: a GeoJSON Polygon geometry, or a Feature whose geometry is one
 * @error: %G_IO_ERROR_INVALID_DATA with a message for people when @geojson is not
 *   JSON, not a Polygon, or holds a ring with fewer than three distinct positions or
 *   a position that is not a longitude/latitude pair in range
 *
 * Reads the grid_cell.polygon column and similar. A third coordinate (altitude) is
 * allowed and ignored.
 *
 * Returns: (transfer full) (nullable): the polygon, or %NULL with @error set
 */
WhGeoPolygon *wh_geo_polygon_new_from_geojson (const char *geojson, GError **error);

WhGeoPolygon *wh_geo_polygon_ref (WhGeoPolygon *self);
void          wh_geo_polygon_unref (WhGeoPolygon *self);

/* Ring 0 is the outer ring, the others are holes. */
guint wh_geo_polygon_get_n_rings (const WhGeoPolygon *self);

/**
 * wh_geo_polygon_get_ring:
 * @index: 0 for the outer ring, 1… for the holes
 * @n_points: (out): number of points (the ring is open: the last is not the first again)
 *
 * Returns: (transfer none): the ring's lon, lat pairs, valid as long as @self
 */
const double *wh_geo_polygon_get_ring (const WhGeoPolygon *self, guint index, gsize *n_points);

/* The bounding box of the outer ring, kept at construction for cheap rejection. */
void wh_geo_polygon_get_bounds (const WhGeoPolygon *self, WhGeoBounds *bounds);

/**
 * wh_geo_polygon_contains:
 *
 * Whether the point lies in the polygon: inside the outer ring and not strictly inside a
 * hole (even-odd over all rings). A point on any ring's edge counts as inside.
 */
gboolean wh_geo_polygon_contains (const WhGeoPolygon *self, double lon, double lat);

/* The area in square metres: the outer ring's less its holes'. */
double wh_geo_polygon_get_area (const WhGeoPolygon *self);

/**
 * wh_geo_polygon_get_centroid:
 *
 * The area centroid with holes taken out, in one local projection for all rings.
 * Falls back like wh_geo_ring_centroid() on the outer ring when the area is zero.
 *
 * Returns: %TRUE when the polygon has an area
 */
gboolean wh_geo_polygon_get_centroid (const WhGeoPolygon *self, double *lon, double *lat);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhGeoPolygon, wh_geo_polygon_unref)

G_END_DECLS
