/* wh-cluster.c — pixel-grid clustering of many map points for one zoom level */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "wh-cluster.h"
#include "wh-mercator.h"

/* No cell key reaches this: columns and rows stay below 2^30 at the highest zoom. */
#define EMPTY_KEY G_MAXUINT64

typedef struct
{
  double  x; /* normalised world coordinates, 0…1 */
  double  y;
  guint32 id;
  guint32 rank;
} Projected;

struct _WhClusterer
{
  Projected *points; /* only the placed ones */
  gsize      n_points;
  gsize      n_placed;
};

struct _WhClusterSet
{
  int        zoom;
  double     cell_px;
  double     cells_per_world; /* world size in pixels / cell size */
  WhCluster *clusters;
  guint      n_clusters;
  guint32   *members; /* ids, cluster after cluster */
  guint      n_members;
  /* The cell → cluster table kept from clustering, for lookups and hit tests. */
  guint64 *keys;
  guint32 *values;
  guint    mask; /* table size − 1; the size is a power of two */
};

WhClusterer *
wh_clusterer_new (const WhClusterPoint *points, gsize n_points)
{
  WhClusterer *self;

  g_return_val_if_fail (points != NULL || n_points == 0, NULL);
  /* Cluster indices and member positions are 32-bit. */
  g_return_val_if_fail (n_points < G_MAXUINT32 / 2, NULL);

  self = g_new0 (WhClusterer, 1);
  self->n_points = n_points;
  self->points = g_new (Projected, MAX (n_points, 1));

  for (gsize i = 0; i < n_points; i++)
    {
      Projected *p = &self->points[self->n_placed];

      if (!isfinite (points[i].lon) || !isfinite (points[i].lat))
        continue;
      wh_mercator_project (points[i].lon, points[i].lat, &p->x, &p->y);
      /* The east edge (180°) would land in a column one past the world. */
      p->x = MIN (p->x, 1.0 - DBL_EPSILON);
      p->y = MIN (p->y, 1.0 - DBL_EPSILON);
      p->id = points[i].id;
      p->rank = points[i].rank;
      self->n_placed++;
    }

  return self;
}

void
wh_clusterer_free (WhClusterer *self)
{
  if (self == NULL)
    return;

  g_free (self->points);
  g_free (self);
}

gsize
wh_clusterer_get_n_points (const WhClusterer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_points;
}

gsize
wh_clusterer_get_n_placed (const WhClusterer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_placed;
}

static inline guint
hash_cell (guint64 key, guint mask)
{
  /* Fibonacci hashing: neighbouring cells differ in their low bits only, and the
   * multiply spreads that over the high bits we keep. */
  return (guint) ((key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 32) & mask;
}

static inline guint64
cell_key (double x, double y, double scale)
{
  /* x, y ≥ 0, so truncation is floor; scale halves exactly from zoom to zoom, which is
   * what makes cells nest across zoom levels. */
  return ((guint64) (x * scale) << 32) | (guint64) (y * scale);
}

WhClusterSet *
wh_clusterer_run (const WhClusterer *self, int zoom, double cell_px)
{
  g_autofree guint32 *assignment = NULL;
  g_autofree guint   *fill = NULL;
  WhClusterSet       *set;
  guint               table_size = 16;
  guint               n_clusters = 0;
  double              scale;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (zoom >= 0 && zoom <= WH_CLUSTER_MAX_ZOOM, NULL);
  g_return_val_if_fail (cell_px >= 1.0, NULL);

  /* At most one cluster per point; a load factor of at most ½ keeps probes short. */
  while (table_size < 2 * self->n_placed)
    table_size <<= 1;

  scale = wh_mercator_world_size (zoom) / cell_px;

  set = g_new0 (WhClusterSet, 1);
  set->zoom = zoom;
  set->cell_px = cell_px;
  set->cells_per_world = scale;
  set->mask = table_size - 1;
  set->keys = g_new (guint64, table_size);
  memset (set->keys, 0xff, table_size * sizeof (guint64)); /* all EMPTY_KEY */
  set->values = g_new (guint32, table_size);
  set->clusters = g_new (WhCluster, MAX (self->n_placed, 1));
  assignment = g_new (guint32, MAX (self->n_placed, 1));

  /* Pass 1: find each point's cell, summing positions and keeping the worst rank. */
  for (gsize i = 0; i < self->n_placed; i++)
    {
      const Projected *p = &self->points[i];
      guint64          key = cell_key (p->x, p->y, scale);
      guint            slot = hash_cell (key, set->mask);
      WhCluster       *c;

      while (set->keys[slot] != key && set->keys[slot] != EMPTY_KEY)
        slot = (slot + 1) & set->mask;

      if (set->keys[slot] == EMPTY_KEY)
        {
          set->keys[slot] = key;
          set->values[slot] = n_clusters;
          c = &set->clusters[n_clusters++];
          c->cell = key;
          c->x = c->y = 0.0;
          c->count = 0;
          c->worst_rank = p->rank;
          c->worst_id = p->id;
        }
      else
        {
          c = &set->clusters[set->values[slot]];
          if (p->rank > c->worst_rank)
            {
              c->worst_rank = p->rank;
              c->worst_id = p->id;
            }
        }

      c->x += p->x;
      c->y += p->y;
      c->count++;
      assignment[i] = set->values[slot];
    }

  /* Pass 2: lay the members out cluster after cluster (a counting sort), and turn the
   * sums into mean pixel positions. */
  set->n_clusters = n_clusters;
  set->n_members = self->n_placed;
  set->members = g_new (guint32, MAX (self->n_placed, 1));
  fill = g_new (guint, MAX (n_clusters, 1));

  {
    double world = wh_mercator_world_size (zoom);
    guint  first = 0;

    for (guint c = 0; c < n_clusters; c++)
      {
        WhCluster *cluster = &set->clusters[c];

        cluster->first = fill[c] = first;
        first += cluster->count;
        cluster->x = cluster->x / cluster->count * world;
        cluster->y = cluster->y / cluster->count * world;
      }
  }

  for (gsize i = 0; i < self->n_placed; i++)
    set->members[fill[assignment[i]]++] = self->points[i].id;

  return set;
}

void
wh_cluster_set_free (WhClusterSet *self)
{
  if (self == NULL)
    return;

  g_free (self->clusters);
  g_free (self->members);
  g_free (self->keys);
  g_free (self->values);
  g_free (self);
}

int
wh_cluster_set_get_zoom (const WhClusterSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->zoom;
}

double
wh_cluster_set_get_cell_px (const WhClusterSet *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->cell_px;
}

const WhCluster *
wh_cluster_set_get_clusters (const WhClusterSet *self, guint *n_clusters)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_clusters != NULL)
    *n_clusters = self->n_clusters;
  return self->clusters;
}

const guint32 *
wh_cluster_set_get_members (const WhClusterSet *self, const WhCluster *cluster, guint *n_members)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (
    cluster == NULL || (cluster >= self->clusters && cluster < self->clusters + self->n_clusters),
    NULL);

  if (cluster == NULL)
    {
      if (n_members != NULL)
        *n_members = self->n_members;
      return self->members;
    }

  if (n_members != NULL)
    *n_members = cluster->count;
  return self->members + cluster->first;
}

/* The cluster in cell (column, row), or -1. */
static int
lookup_key (const WhClusterSet *self, gint64 column, gint64 row)
{
  guint64 key;
  guint   slot;

  if (column < 0 || row < 0 || column > G_MAXUINT32 || row > G_MAXUINT32)
    return -1;

  key = ((guint64) column << 32) | (guint64) row;
  slot = hash_cell (key, self->mask);
  while (self->keys[slot] != EMPTY_KEY)
    {
      if (self->keys[slot] == key)
        return (int) self->values[slot];
      slot = (slot + 1) & self->mask;
    }
  return -1;
}

int
wh_cluster_set_lookup_cell (const WhClusterSet *self, double x, double y)
{
  g_return_val_if_fail (self != NULL, -1);

  if (!(x >= 0.0 && y >= 0.0))
    return -1;
  return lookup_key (self, (gint64) (x / self->cell_px), (gint64) (y / self->cell_px));
}

int
wh_cluster_set_hit (const WhClusterSet *self, double x, double y, double radius)
{
  gint64 column, row;
  double best = radius * radius;
  int    found = -1;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (radius >= 0.0 && radius <= self->cell_px, -1);

  if (!isfinite (x) || !isfinite (y))
    return -1;

  column = (gint64) floor (x / self->cell_px);
  row = (gint64) floor (y / self->cell_px);

  for (gint64 dc = -1; dc <= 1; dc++)
    for (gint64 dr = -1; dr <= 1; dr++)
      {
        int              index = lookup_key (self, column + dc, row + dr);
        const WhCluster *c;
        double           d2;

        if (index < 0)
          continue;
        c = &self->clusters[index];
        d2 = (c->x - x) * (c->x - x) + (c->y - y) * (c->y - y);
        if (d2 <= best)
          {
            best = d2;
            found = index;
          }
      }

  return found;
}
