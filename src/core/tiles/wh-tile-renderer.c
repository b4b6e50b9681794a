/* wh-tile-renderer.c — draws the base map of a street as 256-pixel PNG tiles */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "wh-demo-map.h"
#include "wh-grid-store.h"
#include "wh-mercator.h"
#include "wh-tile-renderer.h"

#define TILE_SIZE           WH_MERCATOR_TILE_SIZE
#define MAX_ZOOM            22
#define EARTH_CIRCUMFERENCE 40075016.686 /* metres at the equator, WGS84 */

/* Neighbouring town drawn around the street, and how far its roads run on into it. */
#define MARGIN_METRES    1500.0
#define EXTENSION_METRES 2500.0 /* beyond the drawn margin at every zoom: no dead ends */

/* The lattice goes on outside the street: unnamed roads parallel to the main roads around
 * it, a block apart. */
#define OUTER_ROAD_SPACING_METRES 320.0
#define N_OUTER_ROADS             5

/* Buildings keep this far from a block's edge, clear of the widest road. */
#define BUILDING_SETBACK_METRES 17.0

#define FONT_FAMILY "Noto Sans CJK SC"

/* Colours, as 0xRRGGBB: a quiet base for the coloured layers the desk draws on top. */
#define COLOR_LAND           0xe8e4dc
#define COLOR_BLOCK          0xf5f2ec
#define COLOR_BUILDING       0xe2dacd
#define COLOR_BUILDING_EDGE  0xcfc4b3
#define COLOR_ROAD_CASING    0xcbc3b5
#define COLOR_ROAD           0xffffff
#define COLOR_MAJOR_CASING   0xd9a94a
#define COLOR_MAJOR          0xfbe3a6
#define COLOR_OUTLINE        0x8e6fb4
#define COLOR_COMMUNITY_TEXT 0x5b4a78
#define COLOR_ROAD_TEXT      0x3b3834
#define COLOR_MAJOR_TEXT     0x5a4114
#define COLOR_COMPOUND_TEXT  0x7a6a57
#define COLOR_LANDMARK       0xd4782a
#define COLOR_LANDMARK_TEXT  0x9a4c16
#define COLOR_HALO           0xffffff

/* Normalised world coordinates (wh_mercator_project): 0…1, y to the south. */
typedef struct
{
  double x, y;
} WPoint;

typedef struct
{
  double x0, y0, x1, y1;
} Box;

typedef struct
{
  WPoint *ring;
  guint   n;
  Box     box;
} Block;

typedef struct
{
  char    *name; /* NULL: an unnamed edge of the blocks */
  gboolean major;
  WPoint  *line; /* the road within the street */
  guint    n;
  guint8  *crossing; /* per point of @line: another road crosses here */
  WPoint  *drawn;    /* @line, run on into the neighbouring town at open ends */
  guint    n_drawn;
  gboolean closed; /* an unnamed ring around a block */
  Box      box;
} Road;

typedef struct
{
  char           *name;
  WhDemoPlaceKind kind;
  WPoint          at;
} Place;

typedef struct
{
  char  *name;
  WPoint at;
} Community;

typedef enum {
  LABEL_COMMUNITY,
  LABEL_ROAD,
  LABEL_MAJOR_ROAD,
  LABEL_COMPOUND,
  LABEL_LANDMARK,
} LabelKind;

/* A label placed at one zoom level, in world pixels of that zoom. Road names are set a
 * character at a time along the road, upright, as Chinese maps do; other labels are one
 * line centred on their point. */
typedef struct
{
  LabelKind kind;
  double    size; /* font size, pixels */
  guint     n_glyphs;
  char    **glyphs;
  double   *gx; /* centre of each glyph */
  double   *gy;
  Box      *boxes;        /* what it covers, for collisions: one per glyph */
  Box       box;          /* all of it, with its halo, for culling */
  double    dot_x, dot_y; /* landmarks: the symbol */
} Label;

struct _WhTileRenderer
{
  GObject parent_instance;

  char       *street_name;
  GArray     *blocks; /* of Block */
  GPtrArray  *roads;  /* of Road */
  GArray     *places; /* of Place */
  GArray     *communities;
  GArray     *outline;   /* of WPoint: the street's boundary, closed ring */
  GArray     *buildings; /* of Box */
  WhGeoBounds bounds;
  Box         street_box; /* the cells' bounds, normalised world coordinates */
  double      center_lon, center_lat;
  double      metre; /* normalised world units per metre at the street's latitude */
  gboolean    road_names;

  GMutex     lock;
  GPtrArray *labels[MAX_ZOOM + 1]; /* of Label, placed on first use */
};

G_DEFINE_FINAL_TYPE (WhTileRenderer, wh_tile_renderer, G_TYPE_OBJECT)

/* Geometry helpers */

static WPoint
project (double lon, double lat)
{
  WPoint p;

  wh_mercator_project (lon, lat, &p.x, &p.y);
  return p;
}

static void
box_empty (Box *box)
{
  box->x0 = box->y0 = G_MAXDOUBLE;
  box->x1 = box->y1 = -G_MAXDOUBLE;
}

static void
box_add (Box *box, double x, double y)
{
  box->x0 = MIN (box->x0, x);
  box->y0 = MIN (box->y0, y);
  box->x1 = MAX (box->x1, x);
  box->y1 = MAX (box->y1, y);
}

static gboolean
box_overlaps (const Box *a, const Box *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static gboolean
ring_contains (const WPoint *ring, guint n, double x, double y)
{
  gboolean inside = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    if (((ring[i].y > y) != (ring[j].y > y)) &&
        (x < (ring[j].x - ring[i].x) * (y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x))
      inside = !inside;
  return inside;
}

static double
segment_distance (WPoint p, WPoint a, WPoint b)
{
  double dx = b.x - a.x, dy = b.y - a.y;
  double t =
    dx * dx + dy * dy > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy) : 0;

  t = CLAMP (t, 0.0, 1.0);
  return hypot (p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

static double
ring_edge_distance (const WPoint *ring, guint n, WPoint p)
{
  double best = G_MAXDOUBLE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    best = MIN (best, segment_distance (p, ring[j], ring[i]));
  return best;
}

static char *
point_key (double lon, double lat)
{
  return g_strdup_printf ("%.6f,%.6f", lon, lat);
}

/* Loading */

static void
road_free (Road *road)
{
  g_free (road->name);
  g_free (road->line);
  g_free (road->crossing);
  g_free (road->drawn);
  g_free (road);
}

static void
label_free (Label *label)
{
  g_strfreev (label->glyphs);
  g_free (label->gx);
  g_free (label->gy);
  g_free (label->boxes);
  g_free (label);
}

/* Lengthens an open road at both ends along its last segments, into the town around. */
static void
extend_road (WhTileRenderer *self, Road *road)
{
  double ext = EXTENSION_METRES * self->metre;

  road->n_drawn = road->n + 2;
  road->drawn = g_new (WPoint, road->n_drawn);
  memcpy (road->drawn + 1, road->line, road->n * sizeof (WPoint));
  /* Along the road's general direction: its last kink, drawn out for a kilometre and a
   * half, would wander off across the neighbouring blocks. */
  for (int end = 0; end < 2; end++)
    {
      WPoint  a = end == 0 ? road->line[0] : road->line[road->n - 1];
      WPoint  b = end == 0 ? road->line[road->n - 1] : road->line[0];
      double  dx = a.x - b.x, dy = a.y - b.y, len = hypot (dx, dy);
      WPoint *out = end == 0 ? &road->drawn[0] : &road->drawn[road->n_drawn - 1];

      if (len <= 0)
        len = 1;
      out->x = a.x + dx / len * ext;
      out->y = a.y + dy / len * ext;
    }
}

static void
add_demo_roads (WhTileRenderer *self, WhDemoMap *map)
{
  g_autoptr (GHashTable) uses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* A point on two roads is a crossing: names go between crossings, not over them. */
  for (guint i = 0; i < map->roads->len; i++)
    {
      WhDemoMapRoad *r = g_ptr_array_index (map->roads, i);

      for (guint p = 0; p < r->line->len; p++)
        {
          WhLonLat *pt = &g_array_index (r->line, WhLonLat, p);
          char     *key = point_key (pt->lon, pt->lat);

          g_hash_table_replace (
            uses, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (uses, key)) + 1));
        }
    }

  for (guint i = 0; i < map->roads->len; i++)
    {
      WhDemoMapRoad *r = g_ptr_array_index (map->roads, i);
      Road          *road = g_new0 (Road, 1);

      road->name = g_strdup (r->name);
      road->major = r->major;
      road->n = r->line->len;
      road->line = g_new (WPoint, road->n);
      road->crossing = g_new0 (guint8, road->n);
      for (guint p = 0; p < road->n; p++)
        {
          WhLonLat        *pt = &g_array_index (r->line, WhLonLat, p);
          g_autofree char *key = point_key (pt->lon, pt->lat);

          road->line[p] = project (pt->lon, pt->lat);
          road->crossing[p] = GPOINTER_TO_UINT (g_hash_table_lookup (uses, key)) > 1;
        }
      road->crossing[0] = road->crossing[road->n - 1] = TRUE;
      extend_road (self, road);
      box_empty (&road->box);
      for (guint p = 0; p < road->n_drawn; p++)
        box_add (&road->box, road->drawn[p].x, road->drawn[p].y);
      g_ptr_array_add (self->roads, road);
    }
  self->road_names = TRUE;

  /* Copies of the main roads, moved outwards away from the street's centre. */
  for (guint i = 0; i < map->roads->len; i++)
    {
      Road  *major = g_ptr_array_index (self->roads, i);
      WPoint mid, centre = { (self->street_box.x0 + self->street_box.x1) / 2,
                             (self->street_box.y0 + self->street_box.y1) / 2 };
      double dx = 0, dy = 0;

      if (!major->major)
        continue;
      mid = major->line[major->n / 2];
      if (fabs (major->line[major->n - 1].x - major->line[0].x) >
          fabs (major->line[major->n - 1].y - major->line[0].y))
        dy = mid.y < centre.y ? -1 : 1;
      else
        dx = mid.x < centre.x ? -1 : 1;

      for (guint k = 1; k <= N_OUTER_ROADS; k++)
        {
          Road  *road = g_new0 (Road, 1);
          double shift = k * OUTER_ROAD_SPACING_METRES * self->metre;

          road->n = major->n;
          road->line = g_new (WPoint, road->n);
          road->crossing = g_new0 (guint8, road->n);
          for (guint p = 0; p < road->n; p++)
            road->line[p] =
              (WPoint){ major->line[p].x + dx * shift, major->line[p].y + dy * shift };
          extend_road (self, road);
          box_empty (&road->box);
          for (guint p = 0; p < road->n_drawn; p++)
            box_add (&road->box, road->drawn[p].x, road->drawn[p].y);
          g_ptr_array_add (self->roads, road);
        }
    }
}

/* Without a demo map, every block edge is a road without a name. */
static void
add_block_edge_roads (WhTileRenderer *self)
{
  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);
      Road  *road = g_new0 (Road, 1);

      road->n = road->n_drawn = block->n;
      road->line = g_memdup2 (block->ring, block->n * sizeof (WPoint));
      road->drawn = g_memdup2 (block->ring, block->n * sizeof (WPoint));
      road->crossing = g_new0 (guint8, block->n);
      road->closed = TRUE;
      road->box = block->box;
      g_ptr_array_add (self->roads, road);
    }
}

/* The street's boundary: the cell edges that only one cell has, chained into a ring. */
static void
find_outline (WhTileRenderer *self, GListModel *cells)
{
  g_autoptr (GHashTable) edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) points = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint          n_cells = g_list_model_get_n_items (cells);
  char          *start = NULL;
  GHashTableIter iter;
  gpointer       key, value;

  for (guint c = 0; c < n_cells; c++)
    {
      g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, c);
      guint n = cell->outline->len;

      for (guint i = 0; i < n; i++)
        {
          WhLonLat        *a = &g_array_index (cell->outline, WhLonLat, i);
          WhLonLat        *b = &g_array_index (cell->outline, WhLonLat, (i + 1) % n);
          g_autofree char *ka = point_key (a->lon, a->lat);
          g_autofree char *kb = point_key (b->lon, b->lat);
          char            *edge = g_strcmp0 (ka, kb) < 0 ? g_strconcat (ka, "|", kb, NULL)
                                                         : g_strconcat (kb, "|", ka, NULL);

          g_hash_table_replace (
            edges, edge,
            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (edges, edge)) + 1));
          if (!g_hash_table_contains (points, ka))
            {
              WPoint *p = g_new (WPoint, 1);

              *p = project (a->lon, a->lat);
              g_hash_table_insert (points, g_strdup (ka), p);
            }
        }
    }

  /* Outer rings run counter-clockwise, so each boundary edge keeps its cell's direction
   * and a → b chains around the street. */
  for (guint c = 0; c < n_cells; c++)
    {
      g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, c);
      guint n = cell->outline->len;

      for (guint i = 0; i < n; i++)
        {
          WhLonLat        *a = &g_array_index (cell->outline, WhLonLat, i);
          WhLonLat        *b = &g_array_index (cell->outline, WhLonLat, (i + 1) % n);
          g_autofree char *ka = point_key (a->lon, a->lat);
          g_autofree char *kb = point_key (b->lon, b->lat);
          g_autofree char *edge = g_strcmp0 (ka, kb) < 0 ? g_strconcat (ka, "|", kb, NULL)
                                                         : g_strconcat (kb, "|", ka, NULL);

          if (GPOINTER_TO_UINT (g_hash_table_lookup (edges, edge)) == 1)
            g_hash_table_replace (next, g_strdup (ka), g_strdup (kb));
        }
    }

  g_hash_table_iter_init (&iter, next);
  if (g_hash_table_iter_next (&iter, &key, &value))
    start = key;
  for (const char *at = start; at != NULL && self->outline->len <= g_hash_table_size (next);)
    {
      WPoint *p = g_hash_table_lookup (points, at);

      if (p != NULL)
        g_array_append_val (self->outline, *p);
      at = g_hash_table_lookup (next, at);
      if (g_strcmp0 (at, start) == 0)
        break;
    }
}

/* Slab buildings in rows, as Beijing's compounds are built, placed by a random draw seeded
 * from the cell's code: the same cache always gives the same picture. */
static void
add_buildings (WhTileRenderer *self, const Block *block, const char *cell_id)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_str_hash (cell_id));
  double m = self->metre;
  double length = g_rand_double_range (rand, 38, 70);
  double depth = g_rand_double_range (rand, 11, 15);
  double row_gap = g_rand_double_range (rand, 18, 28);
  double col_gap = g_rand_double_range (rand, 10, 18);
  double x_offset = g_rand_double_range (rand, 0, length + col_gap);
  double y_offset = g_rand_double_range (rand, 0, depth + row_gap);

  for (double y = block->box.y0 + y_offset * m - (depth + row_gap) * m; y < block->box.y1;
       y += (depth + row_gap) * m)
    for (double x = block->box.x0 + x_offset * m - (length + col_gap) * m; x < block->box.x1;
         x += (length + col_gap) * m)
      {
        WPoint corners[4] = {
          { x, y }, { x + length * m, y }, { x + length * m, y + depth * m }, { x, y + depth * m }
        };
        gboolean fits = TRUE;

        for (int k = 0; k < 4 && fits; k++)
          fits =
            ring_contains (block->ring, block->n, corners[k].x, corners[k].y) &&
            ring_edge_distance (block->ring, block->n, corners[k]) >= BUILDING_SETBACK_METRES * m;
        /* Some lots are courtyards, schools or car parks; and the names of the compound
         * and the landmark stand on open ground. */
        for (guint i = 0; i < self->places->len && fits; i++)
          {
            Place *p = &g_array_index (self->places, Place, i);
            double half_w = (p->kind == WH_DEMO_PLACE_COMPOUND ? 40 : 30) * m;
            double shift = p->kind == WH_DEMO_PLACE_LANDMARK ? 25 * m : 0;
            Box    keep = { p->at.x - half_w + shift, p->at.y - 9 * m, p->at.x + half_w + shift,
                            p->at.y + 9 * m };
            Box    b = { x, y, x + length * m, y + depth * m };

            fits = !box_overlaps (&keep, &b);
          }
        if (fits && g_rand_int_range (rand, 0, 100) < 88)
          {
            Box b = { x, y, x + length * m, y + depth * m };

            g_array_append_val (self->buildings, b);
          }
      }
}

static gboolean
load (WhTileRenderer *self, WhDb *db, GError **error)
{
  g_autoptr (WhGridStore) store = wh_grid_store_new (db);
  g_autoptr (WhStreet) street = NULL;
  g_autoptr (GListModel) cells = NULL;
  g_autoptr (GListModel) communities = NULL;
  g_autoptr (WhDemoMap) map = NULL;
  g_autofree double *sum_x = NULL, *sum_y = NULL, *sum_w = NULL;
  guint              n_cells, n_communities;
  WhGeoBounds        b = { 180, 90, -180, -90 };
  double             margin_lon, margin_lat;

  street = wh_grid_store_get_street (store, error);
  if (street == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _ ("The cache holds no street to draw a map of"));
      return FALSE;
    }
  if (!(cells = wh_grid_store_list_cells (store, error)) ||
      !(communities = wh_grid_store_list_communities (store, error)))
    return FALSE;
  n_cells = g_list_model_get_n_items (cells);
  n_communities = g_list_model_get_n_items (communities);
  if (n_cells == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _ ("The street %s has no grid cells to draw"), street->name);
      return FALSE;
    }

  map = wh_demo_map_load (db, error);
  if (map == NULL && error != NULL && *error != NULL)
    return FALSE;

  self->street_name = g_strdup (street->name);
  sum_x = g_new0 (double, n_communities + 1);
  sum_y = g_new0 (double, n_communities + 1);
  sum_w = g_new0 (double, n_communities + 1);

  for (guint c = 0; c < n_cells; c++)
    {
      g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, c);
      Block  block = { 0 };
      double area = wh_geo_polygon_get_area (cell->polygon);
      WPoint centroid = project (cell->centroid_lon, cell->centroid_lat);
      guint  k = MIN (cell->community_index, n_communities);

      block.n = cell->outline->len;
      block.ring = g_new (WPoint, block.n);
      box_empty (&block.box);
      for (guint i = 0; i < block.n; i++)
        {
          WhLonLat *pt = &g_array_index (cell->outline, WhLonLat, i);

          block.ring[i] = project (pt->lon, pt->lat);
          box_add (&block.box, block.ring[i].x, block.ring[i].y);
        }
      g_array_append_val (self->blocks, block);

      b.min_lon = MIN (b.min_lon, cell->min_lon);
      b.max_lon = MAX (b.max_lon, cell->max_lon);
      b.min_lat = MIN (b.min_lat, cell->min_lat);
      b.max_lat = MAX (b.max_lat, cell->max_lat);

      sum_x[k] += centroid.x * area;
      sum_y[k] += centroid.y * area;
      sum_w[k] += area;
    }

  self->center_lon = (b.min_lon + b.max_lon) / 2;
  self->center_lat = (b.min_lat + b.max_lat) / 2;
  self->metre = 1.0 / (EARTH_CIRCUMFERENCE * cos (self->center_lat * G_PI / 180.0));
  margin_lat = MARGIN_METRES / 111320.0;
  margin_lon = margin_lat / cos (self->center_lat * G_PI / 180.0);
  self->bounds = (WhGeoBounds){ b.min_lon - margin_lon, b.min_lat - margin_lat,
                                b.max_lon + margin_lon, b.max_lat + margin_lat };
  {
    WPoint nw = project (b.min_lon, b.max_lat);
    WPoint se = project (b.max_lon, b.min_lat);

    self->street_box = (Box){ nw.x, nw.y, se.x, se.y };
  }

  for (guint c = 0; c < n_communities; c++)
    {
      g_autoptr (WhCommunity) community = g_list_model_get_item (communities, c);
      Community label = { 0 };
      guint     k = MIN (community->index, n_communities);

      if (sum_w[k] <= 0)
        continue;
      label.name = g_strdup (community->name);
      label.at = (WPoint){ sum_x[k] / sum_w[k], sum_y[k] / sum_w[k] };
      g_array_append_val (self->communities, label);
    }

  find_outline (self, cells);

  if (map != NULL)
    {
      add_demo_roads (self, map);
      for (guint i = 0; i < map->places->len; i++)
        {
          WhDemoMapPlace *p = g_ptr_array_index (map->places, i);
          Place           place = { g_strdup (p->name), p->kind, project (p->lon, p->lat) };

          g_array_append_val (self->places, place);
        }
    }
  else
    add_block_edge_roads (self);

  for (guint c = 0; c < n_cells; c++)
    {
      g_autoptr (WhGridCell) cell = g_list_model_get_item (cells, c);

      add_buildings (self, &g_array_index (self->blocks, Block, c), cell->id);
    }

  return TRUE;
}

/* Styles per zoom level */

/* Pixels per metre at @zoom. */
static double
px_per_metre (WhTileRenderer *self, int zoom)
{
  return self->metre * wh_mercator_world_size (zoom);
}

static double
road_width (WhTileRenderer *self, gboolean major, int zoom)
{
  double w = (major ? 24.0 : 12.0) * px_per_metre (self, zoom);

  return major ? CLAMP (w, 3.0, 40.0) : CLAMP (w, 1.2, 22.0);
}

static double
casing_width (int zoom)
{
  return zoom >= 16 ? 1.4 : zoom >= 14 ? 1.0 : 0.6;
}

/* The font size of a kind of label at @zoom, or 0 where it is not shown. */
static double
label_size (LabelKind kind, int zoom)
{
  switch (kind)
    {
    case LABEL_COMMUNITY:
      return zoom <= 12 ? 0 : zoom == 13 ? 12 : zoom == 14 ? 14 : zoom == 15 ? 16 : 0;
    case LABEL_MAJOR_ROAD:
      return zoom < 14 ? 0 : CLAMP (11 + (zoom - 14), 11, 15);
    case LABEL_ROAD:
      return zoom < 15 ? 0 : CLAMP (11 + (zoom - 15), 11, 14);
    case LABEL_COMPOUND:
      return zoom < 16 ? 0 : CLAMP (11 + (zoom - 16), 11, 13);
    case LABEL_LANDMARK:
      return zoom < 17 ? 0 : 12;
    default:
      return 0;
    }
}

static void
set_rgb (cairo_t *cr, guint32 rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

static PangoFontDescription *
label_font (LabelKind kind, double size)
{
  PangoFontDescription *font = pango_font_description_new ();

  pango_font_description_set_family (font, FONT_FAMILY);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (kind == LABEL_COMMUNITY || kind == LABEL_MAJOR_ROAD)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  return font;
}

/* Metrics must not depend on the tile a label is drawn in: no hinting of metrics. */
static void
setup_context (PangoContext *context)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
}

/* Label placement */

typedef struct
{
  WhTileRenderer *self;
  PangoContext   *context;
  GPtrArray      *labels;
  int             zoom;
  double          scale; /* world pixels at the zoom level */
} Placer;

static gboolean
collides (Placer *placer, const Box *boxes, guint n_boxes)
{
  for (guint i = 0; i < placer->labels->len; i++)
    {
      Label *other = g_ptr_array_index (placer->labels, i);

      for (guint a = 0; a < n_boxes; a++)
        {
          if (!box_overlaps (&boxes[a], &other->box))
            continue;
          for (guint b = 0; b < other->n_glyphs; b++)
            if (box_overlaps (&boxes[a], &other->boxes[b]))
              return TRUE;
        }
    }
  return FALSE;
}

static void
measure (Placer     *placer,
         LabelKind   kind,
         double      size,
         const char *text,
         double     *width,
         double     *height)
{
  g_autoptr (PangoLayout) layout = pango_layout_new (placer->context);
  PangoFontDescription *font = label_font (kind, size);
  PangoRectangle        logical;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_extents (layout, NULL, &logical);
  *width = logical.width / (double) PANGO_SCALE;
  *height = logical.height / (double) PANGO_SCALE;
  pango_font_description_free (font);
}

/* One line of text centred at (@cx, @cy) in world pixels; %FALSE when it would cover
 * another label. */
static gboolean
place_text (Placer *placer, LabelKind kind, double size, const char *text, double cx, double cy)
{
  Label *label;
  double width, height;
  Box    box;

  measure (placer, kind, size, text, &width, &height);
  box = (Box){ cx - width / 2 - 3, cy - height / 2 - 1, cx + width / 2 + 3, cy + height / 2 + 1 };
  if (kind == LABEL_LANDMARK)
    box.x0 -= size; /* the symbol left of the name */
  if (collides (placer, &box, 1))
    return FALSE;

  label = g_new0 (Label, 1);
  label->kind = kind;
  label->size = size;
  label->n_glyphs = 1;
  label->glyphs = g_new0 (char *, 2);
  label->glyphs[0] = g_strdup (text);
  label->gx = g_new (double, 1);
  label->gy = g_new (double, 1);
  label->gx[0] = cx;
  label->gy[0] = cy;
  label->boxes = g_memdup2 (&box, sizeof box);
  label->box = (Box){ box.x0 - 4, box.y0 - 4, box.x1 + 4, box.y1 + 4 };
  if (kind == LABEL_LANDMARK)
    {
      label->dot_x = box.x0 + size / 2;
      label->dot_y = cy;
    }
  g_ptr_array_add (placer->labels, label);
  return TRUE;
}

/* The point at arc length @s along @line (world pixels). */
static void
point_along (const double *px,
             const double *py,
             const double *arc,
             guint         n,
             double        s,
             double       *x,
             double       *y)
{
  guint i = 1;

  while (i < n - 1 && arc[i] < s)
    i++;
  {
    double seg = arc[i] - arc[i - 1];
    double t = seg > 0 ? (s - arc[i - 1]) / seg : 0;

    t = CLAMP (t, 0.0, 1.0);
    *x = px[i - 1] + (px[i] - px[i - 1]) * t;
    *y = py[i - 1] + (py[i] - py[i - 1]) * t;
  }
}

/* A road's name, set upright character by character, centred at arc length @s. */
static gboolean
place_road_name (Placer       *placer,
                 LabelKind     kind,
                 double        size,
                 const char   *name,
                 const double *px,
                 const double *py,
                 const double *arc,
                 guint         n,
                 double        s)
{
  g_autoptr (GPtrArray) chars = g_ptr_array_new_with_free_func (g_free);
  double advance = size * 1.08;
  double length;
  Box   *boxes;
  Label *label;

  for (const char *c = name; *c != '\0'; c = g_utf8_next_char (c))
    g_ptr_array_add (chars, g_strndup (c, g_utf8_next_char (c) - c));
  length = chars->len * advance;

  /* Chinese is read left to right and top to bottom: set the name that way whichever way
   * the road's line runs. */
  {
    double ax, ay, bx, by;

    point_along (px, py, arc, n, s - length / 2, &ax, &ay);
    point_along (px, py, arc, n, s + length / 2, &bx, &by);
    if (fabs (by - ay) > fabs (bx - ax) ? by < ay : bx < ax)
      for (guint k = 0; k < chars->len / 2; k++)
        {
          gpointer tmp = chars->pdata[k];

          chars->pdata[k] = chars->pdata[chars->len - 1 - k];
          chars->pdata[chars->len - 1 - k] = tmp;
        }
  }

  boxes = g_new (Box, chars->len);
  label = g_new0 (Label, 1);
  label->kind = kind;
  label->size = size;
  label->n_glyphs = chars->len;
  label->gx = g_new (double, chars->len);
  label->gy = g_new (double, chars->len);
  box_empty (&label->box);
  for (guint k = 0; k < chars->len; k++)
    {
      double x, y;

      point_along (px, py, arc, n, s - length / 2 + (k + 0.5) * advance, &x, &y);
      label->gx[k] = x;
      label->gy[k] = y;
      boxes[k] = (Box){ x - size / 2 - 1, y - size / 2 - 1, x + size / 2 + 1, y + size / 2 + 1 };
      box_add (&label->box, boxes[k].x0 - 4, boxes[k].y0 - 4);
      box_add (&label->box, boxes[k].x1 + 4, boxes[k].y1 + 4);
    }
  label->boxes = boxes;

  if (collides (placer, boxes, chars->len))
    {
      label->glyphs = NULL;
      label_free (label);
      return FALSE;
    }
  g_ptr_array_add (chars, NULL);
  label->glyphs = (char **) g_ptr_array_steal (chars, NULL);
  g_ptr_array_add (placer->labels, label);
  return TRUE;
}

/* Names go in the middle of the stretches between crossings that are long enough, one
 * every so many pixels along the road. */
static void
place_road (Placer *placer, Road *road)
{
  LabelKind          kind = road->major ? LABEL_MAJOR_ROAD : LABEL_ROAD;
  double             size = label_size (kind, placer->zoom);
  double             spacing = placer->zoom >= 17 ? 460 : 320;
  double             length, last = -G_MAXDOUBLE;
  g_autofree double *px = NULL, *py = NULL, *arc = NULL;
  guint              start = 0;

  if (size <= 0 || road->name == NULL)
    return;

  length = g_utf8_strlen (road->name, -1) * size * 1.08;
  px = g_new (double, road->n);
  py = g_new (double, road->n);
  arc = g_new (double, road->n);
  for (guint i = 0; i < road->n; i++)
    {
      px[i] = road->line[i].x * placer->scale;
      py[i] = road->line[i].y * placer->scale;
      arc[i] = i == 0 ? 0 : arc[i - 1] + hypot (px[i] - px[i - 1], py[i] - py[i - 1]);
    }

  for (guint i = 1; i < road->n; i++)
    {
      double mid;

      if (!road->crossing[i])
        continue;
      mid = (arc[start] + arc[i]) / 2;
      if (arc[i] - arc[start] >= length + 2 * size && mid - last >= spacing &&
          place_road_name (placer, kind, size, road->name, px, py, arc, road->n, mid))
        last = mid;
      start = i;
    }
}

static GPtrArray *
place_labels (WhTileRenderer *self, int zoom)
{
  g_autoptr (PangoFontMap) font_map = pango_cairo_font_map_new ();
  Placer placer = { self, pango_font_map_create_context (font_map),
                    g_ptr_array_new_with_free_func ((GDestroyNotify) label_free), zoom,
                    wh_mercator_world_size (zoom) };
  double size;

  setup_context (placer.context);

  /* What matters most claims its room first. */
  if ((size = label_size (LABEL_COMMUNITY, zoom)) > 0)
    for (guint i = 0; i < self->communities->len; i++)
      {
        Community *c = &g_array_index (self->communities, Community, i);

        place_text (&placer, LABEL_COMMUNITY, size, c->name, c->at.x * placer.scale,
                    c->at.y * placer.scale);
      }
  for (int major = 1; major >= 0; major--)
    for (guint i = 0; i < self->roads->len; i++)
      {
        Road *road = g_ptr_array_index (self->roads, i);

        if (road->major == major)
          place_road (&placer, road);
      }
  for (int pass = 0; pass < 2; pass++)
    {
      WhDemoPlaceKind want = pass == 0 ? WH_DEMO_PLACE_LANDMARK : WH_DEMO_PLACE_COMPOUND;
      LabelKind       kind = pass == 0 ? LABEL_LANDMARK : LABEL_COMPOUND;

      if ((size = label_size (kind, zoom)) <= 0)
        continue;
      for (guint i = 0; i < self->places->len; i++)
        {
          Place *p = &g_array_index (self->places, Place, i);

          if (p->kind == want)
            place_text (&placer, kind, size, p->name,
                        p->at.x * placer.scale + (pass == 0 ? size : 0), p->at.y * placer.scale);
        }
    }

  g_object_unref (placer.context);
  return placer.labels;
}

static GPtrArray *
get_labels (WhTileRenderer *self, int zoom)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->labels[zoom] == NULL)
    self->labels[zoom] = place_labels (self, zoom);
  return self->labels[zoom];
}

/* Drawing */

typedef struct
{
  cairo_t *cr;
  double   scale;  /* world size in pixels */
  double   ox, oy; /* the tile's corner, world pixels */
  Box      view;   /* the tile in normalised world coordinates, grown by a margin */
} Tile;

static inline void
move_to (Tile *t, WPoint p)
{
  cairo_move_to (t->cr, p.x * t->scale - t->ox, p.y * t->scale - t->oy);
}

static inline void
line_to (Tile *t, WPoint p)
{
  cairo_line_to (t->cr, p.x * t->scale - t->ox, p.y * t->scale - t->oy);
}

static void
path_ring (Tile *t, const WPoint *ring, guint n)
{
  move_to (t, ring[0]);
  for (guint i = 1; i < n; i++)
    line_to (t, ring[i]);
  cairo_close_path (t->cr);
}

static void
draw_roads (WhTileRenderer *self, Tile *t, int zoom, gboolean casing, gboolean major)
{
  double width = road_width (self, major, zoom) + (casing ? 2 * casing_width (zoom) : 0);

  cairo_new_path (t->cr);
  for (guint i = 0; i < self->roads->len; i++)
    {
      Road *road = g_ptr_array_index (self->roads, i);

      if (road->major != major || !box_overlaps (&road->box, &t->view))
        continue;
      move_to (t, road->drawn[0]);
      for (guint p = 1; p < road->n_drawn; p++)
        line_to (t, road->drawn[p]);
      if (road->closed)
        cairo_close_path (t->cr);
    }
  if (major)
    set_rgb (t->cr, casing ? COLOR_MAJOR_CASING : COLOR_MAJOR);
  else
    set_rgb (t->cr, casing ? COLOR_ROAD_CASING : COLOR_ROAD);
  cairo_set_line_width (t->cr, width);
  cairo_stroke (t->cr);
}

static void
draw_glyph_text (cairo_t *cr, PangoLayout *layout, double cx, double cy, guint32 color)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  cairo_move_to (cr, cx - (logical.x + logical.width / 2.0) / PANGO_SCALE,
                 cy - (logical.y + logical.height / 2.0) / PANGO_SCALE);
  pango_cairo_layout_path (cr, layout);
  set_rgb (cr, COLOR_HALO);
  cairo_set_line_width (cr, 3.0);
  cairo_stroke_preserve (cr);
  set_rgb (cr, color);
  cairo_fill (cr);
}

static guint32
label_color (LabelKind kind)
{
  switch (kind)
    {
    case LABEL_COMMUNITY:
      return COLOR_COMMUNITY_TEXT;
    case LABEL_MAJOR_ROAD:
      return COLOR_MAJOR_TEXT;
    case LABEL_ROAD:
      return COLOR_ROAD_TEXT;
    case LABEL_COMPOUND:
      return COLOR_COMPOUND_TEXT;
    case LABEL_LANDMARK:
    default:
      return COLOR_LANDMARK_TEXT;
    }
}

static void
draw_labels (WhTileRenderer *self, Tile *t, int zoom)
{
  GPtrArray *labels = get_labels (self, zoom);
  Box        tile = { t->ox, t->oy, t->ox + TILE_SIZE, t->oy + TILE_SIZE };
  g_autoptr (PangoLayout) layout = NULL;

  for (guint i = 0; i < labels->len; i++)
    {
      Label                *label = g_ptr_array_index (labels, i);
      PangoFontDescription *font;

      if (!box_overlaps (&label->box, &tile))
        continue;

      if (layout == NULL)
        {
          layout = pango_cairo_create_layout (t->cr);
          setup_context (pango_layout_get_context (layout));
          pango_layout_context_changed (layout);
        }
      font = label_font (label->kind, label->size);
      pango_layout_set_font_description (layout, font);
      pango_font_description_free (font);

      if (label->kind == LABEL_LANDMARK)
        {
          double x = label->dot_x - t->ox, y = label->dot_y - t->oy;

          cairo_new_path (t->cr);
          cairo_arc (t->cr, x, y, label->size * 0.32, 0, 2 * G_PI);
          set_rgb (t->cr, COLOR_LANDMARK);
          cairo_fill_preserve (t->cr);
          set_rgb (t->cr, COLOR_HALO);
          cairo_set_line_width (t->cr, 1.2);
          cairo_stroke (t->cr);
        }
      for (guint g = 0; g < label->n_glyphs; g++)
        {
          pango_layout_set_text (layout, label->glyphs[g], -1);
          cairo_new_path (t->cr);
          draw_glyph_text (t->cr, layout, label->gx[g] - t->ox, label->gy[g] - t->oy,
                           label_color (label->kind));
        }
    }
}

void
wh_tile_renderer_draw (WhTileRenderer *self, cairo_t *cr, int zoom, int x, int y)
{
  Tile   t;
  double margin;

  g_return_if_fail (WH_IS_TILE_RENDERER (self));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (zoom >= 0 && zoom <= MAX_ZOOM);

  t.cr = cr;
  t.scale = wh_mercator_world_size (zoom);
  t.ox = (double) x * TILE_SIZE;
  t.oy = (double) y * TILE_SIZE;
  /* Grown by the widest road, so a road just outside the tile still paints its edge. */
  margin = (road_width (self, TRUE, zoom) / 2 + 4) / t.scale;
  t.view = (Box){ t.ox / t.scale - margin, t.oy / t.scale - margin,
                  (t.ox + TILE_SIZE) / t.scale + margin, (t.oy + TILE_SIZE) / t.scale + margin };

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  set_rgb (cr, COLOR_LAND);
  cairo_paint (cr);

  /* Blocks */
  cairo_new_path (cr);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);

      if (box_overlaps (&block->box, &t.view))
        path_ring (&t, block->ring, block->n);
    }
  set_rgb (cr, COLOR_BLOCK);
  cairo_fill (cr);

  /* Buildings, from where they read as buildings */
  if (zoom >= 16)
    {
      cairo_new_path (cr);
      for (guint i = 0; i < self->buildings->len; i++)
        {
          Box *b = &g_array_index (self->buildings, Box, i);

          if (box_overlaps (b, &t.view))
            cairo_rectangle (cr, b->x0 * t.scale - t.ox, b->y0 * t.scale - t.oy,
                             (b->x1 - b->x0) * t.scale, (b->y1 - b->y0) * t.scale);
        }
      set_rgb (cr, COLOR_BUILDING);
      if (zoom >= 17)
        {
          cairo_fill_preserve (cr);
          set_rgb (cr, COLOR_BUILDING_EDGE);
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }
      else
        cairo_fill (cr);
    }

  /* Roads: all casings under all fills, so crossings merge */
  draw_roads (self, &t, zoom, TRUE, FALSE);
  draw_roads (self, &t, zoom, TRUE, TRUE);
  draw_roads (self, &t, zoom, FALSE, FALSE);
  draw_roads (self, &t, zoom, FALSE, TRUE);

  /* The street's boundary */
  if (self->outline->len > 2)
    {
      static const double dashes[] = { 6.0, 4.0 };

      cairo_new_path (cr);
      path_ring (&t, (WPoint *) self->outline->data, self->outline->len);
      set_rgb (cr, COLOR_OUTLINE);
      cairo_set_line_width (cr, zoom >= 16 ? 2.5 : 1.6);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  draw_labels (self, &t, zoom);
  cairo_restore (cr);
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
wh_tile_renderer_render_png (WhTileRenderer *self, int zoom, int x, int y, GError **error)
{
  cairo_surface_t *surface;
  cairo_t         *cr;
  cairo_status_t   status;
  GByteArray      *png;

  g_return_val_if_fail (WH_IS_TILE_RENDERER (self), NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, TILE_SIZE, TILE_SIZE);
  cr = cairo_create (surface);
  wh_tile_renderer_draw (self, cr, zoom, x, y);
  cairo_destroy (cr);

  png = g_byte_array_sized_new (16 * 1024);
  status = cairo_surface_write_to_png_stream (surface, append_bytes, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (png);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("A map tile could not be encoded: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (png);
}

/* GObject */

static void
block_clear (Block *block)
{
  g_free (block->ring);
}

static void
place_clear (Place *place)
{
  g_free (place->name);
}

static void
community_clear (Community *community)
{
  g_free (community->name);
}

static void
wh_tile_renderer_finalize (GObject *object)
{
  WhTileRenderer *self = WH_TILE_RENDERER (object);

  g_free (self->street_name);
  g_clear_pointer (&self->blocks, g_array_unref);
  g_clear_pointer (&self->roads, g_ptr_array_unref);
  g_clear_pointer (&self->places, g_array_unref);
  g_clear_pointer (&self->communities, g_array_unref);
  g_clear_pointer (&self->outline, g_array_unref);
  g_clear_pointer (&self->buildings, g_array_unref);
  for (guint z = 0; z <= MAX_ZOOM; z++)
    g_clear_pointer (&self->labels[z], g_ptr_array_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (wh_tile_renderer_parent_class)->finalize (object);
}

static void
wh_tile_renderer_class_init (WhTileRendererClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_tile_renderer_finalize;
}

static void
wh_tile_renderer_init (WhTileRenderer *self)
{
  g_mutex_init (&self->lock);
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, (GDestroyNotify) block_clear);
  self->roads = g_ptr_array_new_with_free_func ((GDestroyNotify) road_free);
  self->places = g_array_new (FALSE, TRUE, sizeof (Place));
  g_array_set_clear_func (self->places, (GDestroyNotify) place_clear);
  self->communities = g_array_new (FALSE, TRUE, sizeof (Community));
  g_array_set_clear_func (self->communities, (GDestroyNotify) community_clear);
  self->outline = g_array_new (FALSE, FALSE, sizeof (WPoint));
  self->buildings = g_array_new (FALSE, FALSE, sizeof (Box));
}

/* Public API */

WhTileRenderer *
wh_tile_renderer_new (WhDb *db, GError **error)
{
  g_autoptr (WhTileRenderer) self = NULL;

  g_return_val_if_fail (WH_IS_DB (db), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (WH_TYPE_TILE_RENDERER, NULL);
  if (!load (self, db, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
wh_tile_renderer_get_street_name (WhTileRenderer *self)
{
  g_return_val_if_fail (WH_IS_TILE_RENDERER (self), NULL);
  return self->street_name;
}

gboolean
wh_tile_renderer_has_road_names (WhTileRenderer *self)
{
  g_return_val_if_fail (WH_IS_TILE_RENDERER (self), FALSE);
  return self->road_names;
}

void
wh_tile_renderer_get_bounds (WhTileRenderer *self, WhGeoBounds *bounds)
{
  g_return_if_fail (WH_IS_TILE_RENDERER (self));
  g_return_if_fail (bounds != NULL);
  *bounds = self->bounds;
}

void
wh_tile_renderer_get_center (WhTileRenderer *self, double *lon, double *lat, int *zoom)
{
  g_return_if_fail (WH_IS_TILE_RENDERER (self));
  if (lon != NULL)
    *lon = self->center_lon;
  if (lat != NULL)
    *lat = self->center_lat;
  if (zoom != NULL)
    {
      double w = (self->street_box.x1 - self->street_box.x0) * TILE_SIZE;
      double h = (self->street_box.y1 - self->street_box.y0) * TILE_SIZE;
      int    z = WH_TILE_RENDERER_MIN_ZOOM;

      while (z < WH_TILE_RENDERER_MAX_ZOOM && w * exp2 (z + 1) <= 1280 && h * exp2 (z + 1) <= 800)
        z++;
      *zoom = z;
    }
}
