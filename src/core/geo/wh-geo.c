/* wh-geo.c — plane geometry on small areas of the earth: rings, polygons, distances */
#include "config.h"

#include <math.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "wh-geo.h"

#define DEG_TO_RAD (G_PI / 180.0)

/* Below this (in square metres) a ring is treated as having no area: its centroid
 * would be a division by rounding noise. */
#define MIN_AREA 1e-6

double
wh_geo_distance (double lon1, double lat1, double lon2, double lat2)
{
  double phi1 = lat1 * DEG_TO_RAD;
  double phi2 = lat2 * DEG_TO_RAD;
  double s_phi = sin ((phi2 - phi1) / 2.0);
  double s_lambda = sin ((lon2 - lon1) * DEG_TO_RAD / 2.0);
  double h = s_phi * s_phi + cos (phi1) * cos (phi2) * s_lambda * s_lambda;

  /* Rounding can push h a hair above 1 for antipodal points; asin would give NaN. */
  return 2.0 * WH_GEO_EARTH_RADIUS * asin (sqrt (MIN (h, 1.0)));
}

/* Whether (px, py) lies within WH_GEO_EDGE_EPSILON of the segment a–b. */
static inline gboolean
near_segment (double px, double py, double ax, double ay, double bx, double by)
{
  double dx, dy, len2, t, qx, qy;

  /* Most edges are far from the point: reject them on their box before any division. */
  if (px < MIN (ax, bx) - WH_GEO_EDGE_EPSILON || px > MAX (ax, bx) + WH_GEO_EDGE_EPSILON ||
      py < MIN (ay, by) - WH_GEO_EDGE_EPSILON || py > MAX (ay, by) + WH_GEO_EDGE_EPSILON)
    return FALSE;

  dx = bx - ax;
  dy = by - ay;
  len2 = dx * dx + dy * dy;
  t = 0.0;
  if (len2 > 0.0)
    t = CLAMP (((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0);
  qx = ax + t * dx - px;
  qy = ay + t * dy - py;

  return qx * qx + qy * qy <= WH_GEO_EDGE_EPSILON * WH_GEO_EDGE_EPSILON;
}

/* The parity of the crossings of a ray from the point towards +lon with the ring's
 * edges (W. R. Franklin's test); sets *on_edge when the point touches an edge. */
static gboolean
ring_parity (const double *ring, gsize n_points, double lon, double lat, gboolean *on_edge)
{
  gboolean inside = FALSE;
  gsize    i, j;

  if (n_points == 0)
    return FALSE;

  for (i = 0, j = n_points - 1; i < n_points; j = i++)
    {
      double xi = ring[2 * i], yi = ring[2 * i + 1];
      double xj = ring[2 * j], yj = ring[2 * j + 1];

      if (near_segment (lon, lat, xj, yj, xi, yi))
        {
          *on_edge = TRUE;
          return TRUE;
        }

      /* Half-open in latitude, so a ray through a vertex counts that vertex once. */
      if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
        inside = !inside;
    }

  return inside;
}

gboolean
wh_geo_ring_contains (const double *ring, gsize n_points, double lon, double lat)
{
  gboolean on_edge = FALSE;
  gboolean inside;

  g_return_val_if_fail (ring != NULL || n_points == 0, FALSE);

  inside = ring_parity (ring, n_points, lon, lat, &on_edge);
  return on_edge || inside;
}

void
wh_geo_ring_bounds (const double *ring, gsize n_points, WhGeoBounds *bounds)
{
  g_return_if_fail (ring != NULL && n_points > 0);
  g_return_if_fail (bounds != NULL);

  bounds->min_lon = bounds->max_lon = ring[0];
  bounds->min_lat = bounds->max_lat = ring[1];
  for (gsize i = 1; i < n_points; i++)
    {
      bounds->min_lon = MIN (bounds->min_lon, ring[2 * i]);
      bounds->max_lon = MAX (bounds->max_lon, ring[2 * i]);
      bounds->min_lat = MIN (bounds->min_lat, ring[2 * i + 1]);
      bounds->max_lat = MAX (bounds->max_lat, ring[2 * i + 1]);
    }
}

/* A local equirectangular projection: metres east and north of an origin. */
typedef struct
{
  double lon0, lat0;
  double kx, ky; /* metres per degree */
} LocalFrame;

static void
local_frame_init (LocalFrame *frame, const WhGeoBounds *bounds)
{
  /* The scale of longitude is taken at the middle latitude, where its error is smallest
   * over the whole box. */
  frame->lon0 = (bounds->min_lon + bounds->max_lon) / 2.0;
  frame->lat0 = (bounds->min_lat + bounds->max_lat) / 2.0;
  frame->ky = WH_GEO_EARTH_RADIUS * DEG_TO_RAD;
  frame->kx = frame->ky * cos (frame->lat0 * DEG_TO_RAD);
}

/* Twice the signed area and the first moments of the ring in @frame (shoelace formula),
 * so rings of one polygon can be summed before dividing. */
static void
ring_moments (const LocalFrame *frame,
              const double     *ring,
              gsize             n_points,
              double           *a2,
              double           *mx,
              double           *my)
{
  *a2 = *mx = *my = 0.0;
  if (n_points < 3)
    return;

  for (gsize i = 0, j = n_points - 1; i < n_points; j = i++)
    {
      double xj = (ring[2 * j] - frame->lon0) * frame->kx;
      double yj = (ring[2 * j + 1] - frame->lat0) * frame->ky;
      double xi = (ring[2 * i] - frame->lon0) * frame->kx;
      double yi = (ring[2 * i + 1] - frame->lat0) * frame->ky;
      double cross = xj * yi - xi * yj;

      *a2 += cross;
      *mx += (xj + xi) * cross;
      *my += (yj + yi) * cross;
    }
}

static void
ring_mean (const double *ring, gsize n_points, double *lon, double *lat)
{
  double sx = 0.0, sy = 0.0;

  for (gsize i = 0; i < n_points; i++)
    {
      sx += ring[2 * i];
      sy += ring[2 * i + 1];
    }
  *lon = n_points > 0 ? sx / n_points : NAN;
  *lat = n_points > 0 ? sy / n_points : NAN;
}

double
wh_geo_ring_area (const double *ring, gsize n_points)
{
  WhGeoBounds bounds;
  LocalFrame  frame;
  double      a2, mx, my;

  if (n_points < 3)
    return 0.0;

  wh_geo_ring_bounds (ring, n_points, &bounds);
  local_frame_init (&frame, &bounds);
  ring_moments (&frame, ring, n_points, &a2, &mx, &my);

  return fabs (a2) / 2.0;
}

gboolean
wh_geo_ring_centroid (const double *ring, gsize n_points, double *lon, double *lat)
{
  WhGeoBounds bounds;
  LocalFrame  frame;
  double      a2, mx, my;

  g_return_val_if_fail (lon != NULL && lat != NULL, FALSE);

  if (n_points < 3)
    {
      ring_mean (ring, n_points, lon, lat);
      return FALSE;
    }

  wh_geo_ring_bounds (ring, n_points, &bounds);
  local_frame_init (&frame, &bounds);
  ring_moments (&frame, ring, n_points, &a2, &mx, &my);

  if (fabs (a2) / 2.0 < MIN_AREA)
    {
      ring_mean (ring, n_points, lon, lat);
      return FALSE;
    }

  *lon = frame.lon0 + mx / (3.0 * a2) / frame.kx;
  *lat = frame.lat0 + my / (3.0 * a2) / frame.ky;
  return TRUE;
}

/* Polygons */

struct _WhGeoPolygon
{
  gatomicrefcount ref_count;
  GPtrArray      *rings;  /* of GArray of double: lon, lat pairs, open */
  WhGeoBounds     bounds; /* of the outer ring */
};

/* Copies a ring, dropping repeated consecutive points and the closing point: what is
 * left are the distinct corners the drawing code and the tests reason about. */
static GArray *
ring_copy_open (const double *ring, gsize n_points)
{
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * n_points);

  for (gsize i = 0; i < n_points; i++)
    {
      guint len = copy->len;

      if (len >= 2 && g_array_index (copy, double, len - 2) == ring[2 * i] &&
          g_array_index (copy, double, len - 1) == ring[2 * i + 1])
        continue;
      g_array_append_vals (copy, &ring[2 * i], 2);
    }

  if (copy->len >= 4 &&
      g_array_index (copy, double, 0) == g_array_index (copy, double, copy->len - 2) &&
      g_array_index (copy, double, 1) == g_array_index (copy, double, copy->len - 1))
    g_array_set_size (copy, copy->len - 2);

  return copy;
}

WhGeoPolygon *
wh_geo_polygon_new (const double *outer, gsize n_points)
{
  WhGeoPolygon *self;
  GArray       *ring;

  g_return_val_if_fail (outer != NULL && n_points > 0, NULL);

  self = g_new0 (WhGeoPolygon, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  ring = ring_copy_open (outer, n_points);
  g_ptr_array_add (self->rings, ring);
  wh_geo_ring_bounds ((const double *) ring->data, ring->len / 2, &self->bounds);

  return self;
}

void
wh_geo_polygon_add_hole (WhGeoPolygon *self, const double *ring, gsize n_points)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (ring != NULL && n_points > 0);

  g_ptr_array_add (self->rings, ring_copy_open (ring, n_points));
}

WhGeoPolygon *
wh_geo_polygon_ref (WhGeoPolygon *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wh_geo_polygon_unref (WhGeoPolygon *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_ptr_array_unref (self->rings);
      g_free (self);
    }
}

guint
wh_geo_polygon_get_n_rings (const WhGeoPolygon *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rings->len;
}

const double *
wh_geo_polygon_get_ring (const WhGeoPolygon *self, guint index, gsize *n_points)
{
  GArray *ring;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->rings->len, NULL);

  ring = g_ptr_array_index (self->rings, index);
  if (n_points != NULL)
    *n_points = ring->len / 2;
  return (const double *) ring->data;
}

void
wh_geo_polygon_get_bounds (const WhGeoPolygon *self, WhGeoBounds *bounds)
{
  g_return_if_fail (self != NULL && bounds != NULL);

  *bounds = self->bounds;
}

gboolean
wh_geo_polygon_contains (const WhGeoPolygon *self, double lon, double lat)
{
  gboolean inside = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  /* Holes lie inside the outer ring, so its box rejects most points of a street's
   * other cells at once. */
  if (lon < self->bounds.min_lon - WH_GEO_EDGE_EPSILON ||
      lon > self->bounds.max_lon + WH_GEO_EDGE_EPSILON ||
      lat < self->bounds.min_lat - WH_GEO_EDGE_EPSILON ||
      lat > self->bounds.max_lat + WH_GEO_EDGE_EPSILON)
    return FALSE;

  for (guint r = 0; r < self->rings->len; r++)
    {
      GArray  *ring = g_ptr_array_index (self->rings, r);
      gboolean on_edge = FALSE;

      if (ring_parity ((const double *) ring->data, ring->len / 2, lon, lat, &on_edge))
        inside = !inside;
      if (on_edge)
        return TRUE;
    }

  return inside;
}

/* Sums the moments of all rings in one frame, the outer ring counted positive and the
 * holes negative whatever their orientation (GeoJSON asks for counter-clockwise outer
 * rings, but files in the wild ignore it). */
static void
polygon_moments (const WhGeoPolygon *self, LocalFrame *frame, double *a2, double *mx, double *my)
{
  local_frame_init (frame, &self->bounds);
  *a2 = *mx = *my = 0.0;

  for (guint r = 0; r < self->rings->len; r++)
    {
      GArray *ring = g_ptr_array_index (self->rings, r);
      double  ra2, rmx, rmy, sign;

      ring_moments (frame, (const double *) ring->data, ring->len / 2, &ra2, &rmx, &rmy);
      sign = (ra2 < 0.0) ? -1.0 : 1.0;
      if (r > 0)
        sign = -sign;
      *a2 += sign * ra2;
      *mx += sign * rmx;
      *my += sign * rmy;
    }
}

double
wh_geo_polygon_get_area (const WhGeoPolygon *self)
{
  LocalFrame frame;
  double     a2, mx, my;

  g_return_val_if_fail (self != NULL, 0.0);

  polygon_moments (self, &frame, &a2, &mx, &my);
  return MAX (a2, 0.0) / 2.0;
}

gboolean
wh_geo_polygon_get_centroid (const WhGeoPolygon *self, double *lon, double *lat)
{
  LocalFrame frame;
  double     a2, mx, my;
  GArray    *outer;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (lon != NULL && lat != NULL, FALSE);

  polygon_moments (self, &frame, &a2, &mx, &my);
  if (a2 / 2.0 < MIN_AREA)
    {
      outer = g_ptr_array_index (self->rings, 0);
      ring_mean ((const double *) outer->data, outer->len / 2, lon, lat);
      return FALSE;
    }

  *lon = frame.lon0 + mx / (3.0 * a2) / frame.kx;
  *lat = frame.lat0 + my / (3.0 * a2) / frame.ky;
  return TRUE;
}

/* GeoJSON */

static gboolean
number_of (JsonNode *node, double *value)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return isfinite (*value);
    case G_TYPE_INT64:
      *value = (double) json_node_get_int (node);
      return TRUE;
    default:
      return FALSE;
    }
}

/* Reads ring @r (counted from 0) of the coordinates array into a flat lon, lat array. */
static GArray *
parse_ring (JsonNode *node, guint r, GError **error)
{
  g_autoptr (GArray) flat = NULL;
  JsonArray *positions;
  guint      n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Ring %u of the polygon is not a list of positions"), r + 1);
      return NULL;
    }

  positions = json_node_get_array (node);
  n = json_array_get_length (positions);
  flat = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * n);

  for (guint p = 0; p < n; p++)
    {
      JsonNode  *position = json_array_get_element (positions, p);
      JsonArray *pair;
      double     lonlat[2];

      if (!JSON_NODE_HOLDS_ARRAY (position) ||
          json_array_get_length (pair = json_node_get_array (position)) < 2 ||
          !number_of (json_array_get_element (pair, 0), &lonlat[0]) ||
          !number_of (json_array_get_element (pair, 1), &lonlat[1]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Position %u of ring %u is not a longitude, latitude pair"), p + 1,
                       r + 1);
          return NULL;
        }

      if (lonlat[0] < -180.0 || lonlat[0] > 180.0 || lonlat[1] < -90.0 || lonlat[1] > 90.0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Position %u of ring %u is outside the range of longitude and latitude"),
                       p + 1, r + 1);
          return NULL;
        }

      g_array_append_vals (flat, lonlat, 2);
    }

  return g_steal_pointer (&flat);
}

WhGeoPolygon *
wh_geo_polygon_new_from_geojson (const char *geojson, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (WhGeoPolygon) polygon = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonObject *object;
  JsonNode   *root, *coordinates;
  JsonArray  *rings;
  const char *type;
  guint       n_rings;

  g_return_val_if_fail (geojson != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, geojson, -1, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The polygon is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The polygon is not a GeoJSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  /* A Feature is what GIS tools export one shape as; its geometry is what we want. */
  type = json_object_get_string_member_with_default (object, "type", "");
  if (g_strcmp0 (type, "Feature") == 0)
    {
      JsonNode *geometry = json_object_get_member (object, "geometry");

      if (geometry == NULL || !JSON_NODE_HOLDS_OBJECT (geometry))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The GeoJSON feature has no geometry"));
          return NULL;
        }
      object = json_node_get_object (geometry);
      type = json_object_get_string_member_with_default (object, "type", "");
    }

  if (type[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The GeoJSON object has no type"));
      return NULL;
    }

  if (g_strcmp0 (type, "Polygon") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Expected a GeoJSON Polygon, found “%s”"), type);
      return NULL;
    }

  coordinates = json_object_get_member (object, "coordinates");
  if (coordinates == NULL || !JSON_NODE_HOLDS_ARRAY (coordinates))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The polygon has no list of coordinates"));
      return NULL;
    }

  rings = json_node_get_array (coordinates);
  n_rings = json_array_get_length (rings);
  if (n_rings == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The polygon has no rings"));
      return NULL;
    }

  for (guint r = 0; r < n_rings; r++)
    {
      g_autoptr (GArray) flat = parse_ring (json_array_get_element (rings, r), r, error);
      g_autoptr (GArray) open = NULL;

      if (flat == NULL)
        return NULL;

      open = ring_copy_open ((const double *) flat->data, flat->len / 2);
      if (open->len / 2 < 3)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Ring %u of the polygon has fewer than three distinct positions"), r + 1);
          return NULL;
        }

      if (r == 0)
        polygon = wh_geo_polygon_new ((const double *) open->data, open->len / 2);
      else
        wh_geo_polygon_add_hole (polygon, (const double *) open->data, open->len / 2);
    }

  return g_steal_pointer (&polygon);
}
