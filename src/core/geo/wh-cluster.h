/* wh-cluster.h — pixel-grid clustering of many map points for one zoom level
 *
 * The world at a zoom level is cut into square cells of a fixed size in pixels; the
 * points in one cell form a cluster drawn as one dot with a count. The grid is anchored
 * at the world's corner, not the viewport's, so clusters stay put while the map pans,
 * and a cell at zoom z lies wholly inside one cell at zoom z − 1: clusters only ever
 * merge as one zooms out.
 *
 * A WhClusterer projects its points once; each wh_clusterer_run() is then one pass over
 * them with an open-addressing hash table keyed by cell (100,000 points in a few
 * milliseconds), so the map can recluster on every zoom change without a cache.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The cell size the map uses by default, in pixels: a dot with a three-digit count
 * fits, and neighbouring dots do not overlap. */
#define WH_CLUSTER_DEFAULT_CELL_PX 48.0

/* The highest zoom level the grid can key: cells are addressed with 32 bits a side. */
#define WH_CLUSTER_MAX_ZOOM 22

/* One input point. */
typedef struct
{
  double  lon; /* WGS84; a point with a non-finite position is skipped */
  double  lat;
  guint32 id;   /* the caller's identifier or index, handed back in member lists */
  guint32 rank; /* how bad the point is (e.g. from status and priority): higher is
                 * worse; each cluster remembers its worst */
} WhClusterPoint;

/* One cluster of a WhClusterSet. */
typedef struct
{
  guint64 cell;       /* (column << 32) | row of the grid cell at this zoom */
  double  x;          /* mean position of the members, in world pixels at this zoom, */
  double  y;          /* as wh_mercator_lonlat_to_pixel() gives them */
  guint   count;      /* number of members, at least 1 */
  guint   first;      /* the members are wh_cluster_set_get_members()[first…first+count) */
  guint32 worst_rank; /* the highest rank among the members */
  guint32 worst_id;   /* the id of the first member (in input order) with that rank */
} WhCluster;

typedef struct _WhClusterer  WhClusterer;
typedef struct _WhClusterSet WhClusterSet;

/**
 * wh_clusterer_new:
 * @points: (array length=n_points): the points, copied
 *
 * Projects the points once so that clustering at any zoom is only scaling and hashing.
 *
 * Returns: (transfer full): a clusterer for @points
 */
WhClusterer *wh_clusterer_new (const WhClusterPoint *points, gsize n_points);
void         wh_clusterer_free (WhClusterer *self);

/* The number of points given, including any skipped for having no position. */
gsize wh_clusterer_get_n_points (const WhClusterer *self);

/* The number of points with a position: what the clusters' counts add up to. */
gsize wh_clusterer_get_n_placed (const WhClusterer *self);

/**
 * wh_clusterer_run:
 * @zoom: integer zoom level, 0…%WH_CLUSTER_MAX_ZOOM (the map rounds its fractional zoom)
 * @cell_px: the cell size in pixels, at least 1
 *
 * Clusters the points. Clusters come out in the order their first member appears in
 * the input; members within a cluster keep the input order. Safe to call from any
 * thread, also concurrently on one clusterer: the clusterer is not modified.
 *
 * Returns: (transfer full): the clusters
 */
WhClusterSet *wh_clusterer_run (const WhClusterer *self, int zoom, double cell_px);

void   wh_cluster_set_free (WhClusterSet *self);
int    wh_cluster_set_get_zoom (const WhClusterSet *self);
double wh_cluster_set_get_cell_px (const WhClusterSet *self);

/**
 * wh_cluster_set_get_clusters:
 * @n_clusters: (out) (optional): the number of clusters
 *
 * Returns: (transfer none) (array length=n_clusters): the clusters
 */
const WhCluster *wh_cluster_set_get_clusters (const WhClusterSet *self, guint *n_clusters);

/**
 * wh_cluster_set_get_members:
 * @cluster: (nullable): a cluster of @self, or %NULL for the whole array
 * @n_members: (out) (optional): the number of ids returned
 *
 * The ids of a cluster's points. All members of all clusters share one array, cluster
 * after cluster, so WhCluster.first indexes into the array returned for %NULL.
 *
 * Returns: (transfer none): ids, valid as long as @self
 */
const guint32 *
wh_cluster_set_get_members (const WhClusterSet *self, const WhCluster *cluster, guint *n_members);

/**
 * wh_cluster_set_lookup_cell:
 * @x: world pixels at the set's zoom
 * @y: world pixels at the set's zoom
 *
 * Returns: the index of the cluster in the cell holding (@x, @y), or -1 when empty
 */
int wh_cluster_set_lookup_cell (const WhClusterSet *self, double x, double y);

/**
 * wh_cluster_set_hit:
 * @x: world pixels at the set's zoom, e.g. a click
 * @y: world pixels at the set's zoom
 * @radius: how far from a cluster's position a hit counts, at most the cell size
 *
 * Finds what was clicked: the cluster whose position is nearest to (@x, @y) and within
 * @radius. Only the 3 × 3 cells around the point are looked at, which is why @radius
 * may not exceed the cell size.
 *
 * Returns: the index of the cluster, or -1 when none is near enough
 */
int wh_cluster_set_hit (const WhClusterSet *self, double x, double y, double radius);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhClusterer, wh_clusterer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhClusterSet, wh_cluster_set_free)

G_END_DECLS
