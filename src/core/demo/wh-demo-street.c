/* wh-demo-street.c — the organisation and geography of the demo street, and the entry point
 *
 * The street is a jittered lattice of blocks between roads: neighbouring cells share their
 * vertices, so the cells tile the street without gaps or overlaps. Communities are
 * contiguous groups of cells. The roster, duty shifts, catalogue, holidays, assessment
 * schemes and daily checks follow; then wh-demo-incidents.c adds the incidents.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wh-demo-private.h"
#include "wh-geo.h"

#define N_COMMUNITIES 6
#define LATTICE_COLS  10
#define LATTICE_ROWS  6
#define N_LANE_CHIEFS 20
#define N_DUTY_OFFICERS 12
#define N_DISTRICT_DISPATCHERS 4
#define METRES_PER_DEGREE_LAT 111000.0

/* The page cache while generating, in KiB as PRAGMA cache_size takes it (negative). */
#define DEMO_CACHE_KIB (-128 * 1024)

/* Share of the work done when the organisation is written; the incidents take the rest. */
#define PROGRESS_ORGANISATION 0.03

static const struct {
  const char *code;
  const char *name;
} districts[] = {
  { "110101", "东城区" }, { "110102", "西城区" }, { "110105", "朝阳区" },
  { "110106", "丰台区" }, { "110107", "石景山区" }, { "110108", "海淀区" },
  { "110112", "通州区" },
};

void
wh_demo_options_init (WhDemoOptions *options,
                      gint64         end_time)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->seed = WH_DEMO_DEFAULT_SEED;
  options->n_incidents = WH_DEMO_DEFAULT_INCIDENTS;
  options->end_time = end_time;
  options->months = WH_DEMO_DEFAULT_MONTHS;
  options->street_code = WH_DEMO_DEFAULT_STREET_CODE;
  options->street_name = WH_DEMO_DEFAULT_STREET_NAME;
}

/* FNV-1a: a hash whose value we fix here, so seeds derived from it never change. */
static guint32
stable_hash (const char *str)
{
  guint32 h = 2166136261u;

  for (; *str != '\0'; str++)
    {
      h ^= (guchar) *str;
      h *= 16777619u;
    }
  return h;
}

static double
uniform (GRand  *rand,
         double  lo,
         double  hi)
{
  return g_rand_double_range (rand, lo, hi);
}

static double
round6 (double v)
{
  return round (v * 1e6) / 1e6;
}

static gboolean
step_done (DemoContext  *ctx,
           sqlite3_stmt *stmt,
           GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      wh_db_set_error (ctx->db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
demo_unit_free (DemoUnit *unit)
{
  g_free (unit->id);
  g_free (unit->name);
  g_free (unit->short_name);
  g_array_unref (unit->liaisons);
  g_array_unref (unit->enforcers);
  g_array_unref (unit->others);
  g_free (unit);
}

static void
demo_staff_free (DemoStaff *staff)
{
  g_free (staff->id);
  g_free (staff->name);
  g_free (staff->phone);
  g_free (staff);
}

static void
demo_community_free (DemoCommunity *community)
{
  g_free (community->id);
  g_free (community->name);
  g_free (community);
}

static void
demo_cell_free (DemoCell *cell)
{
  g_free (cell->id);
  g_free (cell->name);
  g_free (cell->lon);
  g_free (cell->lat);
  g_free (cell->compound);
  g_free (cell);
}

static void
demo_road_clear (DemoRoad *road)
{
  g_free (road->lon);
  g_free (road->lat);
}

static void
demo_context_free (DemoContext *ctx)
{
  g_clear_pointer (&ctx->rand, g_rand_free);
  g_clear_object (&ctx->calendar);
  g_free (ctx->street_id);
  g_free (ctx->street_name);
  g_free (ctx->street_short);
  g_free (ctx->district_id);
  g_clear_pointer (&ctx->units, g_ptr_array_unref);
  g_clear_pointer (&ctx->staff, g_ptr_array_unref);
  g_clear_pointer (&ctx->communities, g_ptr_array_unref);
  g_clear_pointer (&ctx->cells, g_ptr_array_unref);
  g_clear_pointer (&ctx->roads, g_array_unref);
  g_clear_pointer (&ctx->duty_officers, g_array_unref);
  g_clear_pointer (&ctx->leaders, g_array_unref);
  g_clear_pointer (&ctx->district_dispatchers, g_array_unref);
  g_free (ctx->grid_duty);
  g_free (ctx->class_of);
  g_free (ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DemoContext, demo_context_free)

static void
report_progress (DemoContext *ctx,
                 double       fraction)
{
  if (ctx->progress != NULL)
    ctx->progress (CLAMP (fraction, 0.0, 1.0), ctx->progress_data);
}

static gboolean
check_options (const WhDemoOptions *options,
               GError             **error)
{
  const char *code = options->street_code;

  if (code == NULL || strlen (code) != 9 || strspn (code, "0123456789") != 9)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A street code has nine digits: the district’s six and three of its own."));
      return FALSE;
    }
  if (options->street_name == NULL || *options->street_name == '\0' ||
      !g_utf8_validate (options->street_name, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The street needs a name."));
      return FALSE;
    }
  if (options->months < 1 || options->months > 36)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The history must cover between 1 and 36 months."));
      return FALSE;
    }
  if (options->n_incidents > 50000000)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("At most 50,000,000 incidents can be generated."));
      return FALSE;
    }
  /* Times before 2000 or after 2100 are surely a mistake in the caller's units. */
  if (options->end_time < (gint64) 946684800 * G_USEC_PER_SEC ||
      options->end_time > (gint64) 4102444800 * G_USEC_PER_SEC)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The end of the history must lie between the years 2000 and 2100."));
      return FALSE;
    }
  return TRUE;
}

static DemoContext *
demo_context_new (WhDb                *db,
                  const WhDemoOptions *options)
{
  DemoContext *ctx = g_new0 (DemoContext, 1);
  guint32 seeds[2];
  int y, m, d;
  gint64 day;

  ctx->db = db;
  ctx->seed = options->seed;
  ctx->months = options->months;
  ctx->n_incidents = options->n_incidents;
  ctx->end_time = options->end_time;
  ctx->street_id = g_strdup (options->street_code);
  ctx->street_name = g_strdup (options->street_name);
  ctx->street_short = g_strdup (options->street_name);
  if (g_str_has_suffix (ctx->street_short, "街道") &&
      strlen (ctx->street_short) > strlen ("街道"))
    ctx->street_short[strlen (ctx->street_short) - strlen ("街道")] = '\0';
  ctx->district_id = g_strndup (options->street_code, 6);
  ctx->district_name = "示范区";
  for (guint i = 0; i < G_N_ELEMENTS (districts); i++)
    if (g_str_equal (districts[i].code, ctx->district_id))
      ctx->district_name = districts[i].name;

  /* The street code goes into the seed: two streets generated with one seed into one
   * database (a district server's) must not share a single UUID. */
  seeds[0] = options->seed;
  seeds[1] = ctx->street_hash = stable_hash (options->street_code);
  ctx->rand = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));

  if (options->center_lon != 0 || options->center_lat != 0)
    {
      ctx->center_lon = options->center_lon;
      ctx->center_lat = options->center_lat;
    }
  else if (g_str_equal (options->street_code, WH_DEMO_DEFAULT_STREET_CODE))
    {
      ctx->center_lon = 116.350;
      ctx->center_lat = 39.915;
    }
  else
    {
      /* Other streets land a few kilometres away, somewhere in the city. */
      ctx->center_lon = 116.350 + ((gint) (seeds[1] % 11) - 5) * 0.045;
      ctx->center_lat = 39.915 + ((gint) ((seeds[1] / 11) % 7) - 3) * 0.035;
    }

  /* The history starts at local midnight, @months calendar months before the end day. */
  ctx->end_day = demo_local_day (ctx->end_time);
  demo_day_to_date (ctx->end_day, &y, &m, &d);
  m -= options->months;
  while (m < 1)
    {
      m += 12;
      y--;
    }
  day = demo_date_to_day (y, m, 1) + MIN (d, 28) - 1;
  ctx->start_day = day;
  ctx->start_time = demo_day_start (day);

  ctx->units = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_unit_free);
  ctx->staff = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_staff_free);
  ctx->communities = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_community_free);
  ctx->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_cell_free);
  ctx->roads = g_array_new (FALSE, TRUE, sizeof (DemoRoad));
  g_array_set_clear_func (ctx->roads, (GDestroyNotify) demo_road_clear);
  ctx->duty_officers = g_array_new (FALSE, FALSE, sizeof (guint));
  ctx->leaders = g_array_new (FALSE, FALSE, sizeof (guint));
  ctx->district_dispatchers = g_array_new (FALSE, FALSE, sizeof (guint));

  ctx->priority_factor[0] = 1.0;
  ctx->priority_factor[1] = 0.5;
  ctx->priority_factor[2] = 0.25;

  ctx->calendar = wh_work_calendar_new (NULL);
  for (guint i = 0; i < demo_n_holidays; i++)
    wh_work_calendar_set_exception (ctx->calendar, demo_holidays[i].day,
                                    demo_holidays[i].is_workday);
  return ctx;
}

/* Units */

static char *
unit_text (DemoContext *ctx,
           const char  *template)
{
  g_autofree char *district_short = g_strdup (ctx->district_name);
  DemoTextVars vars = {
    .district = ctx->district_name,
    .district_short = district_short,
    .street = ctx->street_name,
    .street_short = ctx->street_short,
  };

  if (g_str_has_suffix (district_short, "区") && strlen (district_short) > strlen ("区"))
    district_short[strlen (district_short) - strlen ("区")] = '\0';
  return demo_expand (template, &vars);
}

static guint
add_unit (DemoContext *ctx,
          char        *name,
          const char  *short_name,
          const char  *kind)
{
  DemoUnit *unit = g_new0 (DemoUnit, 1);

  unit->id = wh_uuid_new (ctx->rand);
  unit->name = name;
  unit->short_name = g_strdup (short_name);
  unit->kind = kind;
  unit->liaisons = g_array_new (FALSE, FALSE, sizeof (guint));
  unit->enforcers = g_array_new (FALSE, FALSE, sizeof (guint));
  unit->others = g_array_new (FALSE, FALSE, sizeof (guint));
  g_ptr_array_add (ctx->units, unit);
  return ctx->units->len - 1;
}

static gboolean
write_unit (DemoContext *ctx,
            guint        index,
            const char  *parent,
            const char  *phone,
            GError     **error)
{
  DemoUnit *unit = g_ptr_array_index (ctx->units, index);
  sqlite3_stmt *stmt;

  stmt = wh_db_prepare (ctx->db,
                        "INSERT INTO unit (id, street_id, name, short_name, kind, "
                        "parent_department, phone, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, unit->id);
  bind_text (stmt, 2, ctx->street_id);
  bind_text (stmt, 3, unit->name);
  bind_text (stmt, 4, unit->short_name);
  bind_text (stmt, 5, unit->kind);
  bind_text (stmt, 6, parent);
  bind_text (stmt, 7, phone);
  sqlite3_bind_int (stmt, 8, index * 10);
  return step_done (ctx, stmt, error);
}

static gboolean
generate_units (DemoContext *ctx,
                GError     **error)
{
  for (guint i = 0; i < DEMO_N_FIXED_UNITS; i++)
    {
      const DemoUnitDef *def = &demo_unit_defs[i];
      g_autofree char *parent = unit_text (ctx, def->parent);
      g_autofree char *phone = demo_landline (ctx->rand, def->phone_prefix);
      guint index = add_unit (ctx, unit_text (ctx, def->name), def->short_name, def->kind);

      if (!write_unit (ctx, index, parent, phone, error))
        return FALSE;
    }
  return TRUE;
}

/* Geography */

typedef struct {
  double x;  /* metres east of the centre */
  double y;  /* metres north */
} Point;

typedef struct {
  Point   vertex[LATTICE_ROWS + 1][LATTICE_COLS + 1];
  GArray *hedge[LATTICE_ROWS + 1][LATTICE_COLS];   /* west to east, inner points only */
  GArray *vedge[LATTICE_ROWS][LATTICE_COLS + 1];   /* south to north */
  double  line_x[LATTICE_COLS + 1];
  double  line_y[LATTICE_ROWS + 1];
} Lattice;

static GArray *
edge_points (GRand *rand,
             Point  a,
             Point  b,
             gboolean horizontal)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (Point));
  guint k = g_rand_int_range (rand, 0, 3);

  /* A few kinks per edge, so blocks read as streets rather than a chessboard. The kinks
   * stay small against the block size, which keeps every cell a simple polygon. */
  for (guint t = 1; t <= k; t++)
    {
      double f = (double) t / (k + 1) + uniform (rand, -0.06, 0.06);
      double off = uniform (rand, -12.0, 12.0);
      Point p = { a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f };

      if (horizontal)
        p.y += off;
      else
        p.x += off;
      g_array_append_val (points, p);
    }
  return points;
}

static void
build_lattice (DemoContext *ctx,
               Lattice     *lat)
{
  double x = 0, y = 0;

  for (guint i = 0; i <= LATTICE_COLS; i++)
    {
      lat->line_x[i] = x;
      x += uniform (ctx->rand, 280.0, 380.0);
    }
  for (guint j = 0; j <= LATTICE_ROWS; j++)
    {
      lat->line_y[j] = y;
      y += uniform (ctx->rand, 260.0, 360.0);
    }
  /* Centre the street on its centre point. */
  for (guint i = 0; i <= LATTICE_COLS; i++)
    lat->line_x[i] -= lat->line_x[LATTICE_COLS] / 2;
  for (guint j = 0; j <= LATTICE_ROWS; j++)
    lat->line_y[j] -= lat->line_y[LATTICE_ROWS] / 2;

  for (guint j = 0; j <= LATTICE_ROWS; j++)
    for (guint i = 0; i <= LATTICE_COLS; i++)
      {
        lat->vertex[j][i].x = lat->line_x[i] + uniform (ctx->rand, -30.0, 30.0);
        lat->vertex[j][i].y = lat->line_y[j] + uniform (ctx->rand, -30.0, 30.0);
      }
  for (guint j = 0; j <= LATTICE_ROWS; j++)
    for (guint i = 0; i < LATTICE_COLS; i++)
      lat->hedge[j][i] = edge_points (ctx->rand, lat->vertex[j][i], lat->vertex[j][i + 1], TRUE);
  for (guint j = 0; j < LATTICE_ROWS; j++)
    for (guint i = 0; i <= LATTICE_COLS; i++)
      lat->vedge[j][i] = edge_points (ctx->rand, lat->vertex[j][i], lat->vertex[j + 1][i], FALSE);
}

static void
free_lattice (Lattice *lat)
{
  for (guint j = 0; j <= LATTICE_ROWS; j++)
    for (guint i = 0; i < LATTICE_COLS; i++)
      g_array_unref (lat->hedge[j][i]);
  for (guint j = 0; j < LATTICE_ROWS; j++)
    for (guint i = 0; i <= LATTICE_COLS; i++)
      g_array_unref (lat->vedge[j][i]);
}

/* The counter-clockwise ring of the block between lattice columns i, i+1 and rows j, j+1
 * (row 0 is the southernmost), as GeoJSON wants an outer ring. */
static GArray *
cell_ring (Lattice *lat,
           guint    i,
           guint    j)
{
  GArray *ring = g_array_new (FALSE, FALSE, sizeof (Point));
  GArray *e;

  g_array_append_val (ring, lat->vertex[j][i]);
  e = lat->hedge[j][i];
  g_array_append_vals (ring, e->data, e->len);
  g_array_append_val (ring, lat->vertex[j][i + 1]);
  e = lat->vedge[j][i + 1];
  g_array_append_vals (ring, e->data, e->len);
  g_array_append_val (ring, lat->vertex[j + 1][i + 1]);
  e = lat->hedge[j + 1][i];
  for (guint k = e->len; k > 0; k--)
    g_array_append_val (ring, g_array_index (e, Point, k - 1));
  g_array_append_val (ring, lat->vertex[j + 1][i]);
  e = lat->vedge[j][i];
  for (guint k = e->len; k > 0; k--)
    g_array_append_val (ring, g_array_index (e, Point, k - 1));
  return ring;
}

static double
metres_per_degree_lon (DemoContext *ctx)
{
  return METRES_PER_DEGREE_LAT * cos (ctx->center_lat * G_PI / 180.0);
}

static char *
polygon_geojson (const DemoCell *cell)
{
  GString *s = g_string_new ("{\"type\":\"Polygon\",\"coordinates\":[[");
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint k = 0; k <= cell->n_points; k++)
    {
      guint p = k % cell->n_points;  /* GeoJSON rings repeat their first point */

      g_string_append (s, k > 0 ? ",[" : "[");
      g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6f", cell->lon[p]));
      g_string_append_c (s, ',');
      g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6f", cell->lat[p]));
      g_string_append_c (s, ']');
    }
  g_string_append (s, "]]}");
  return g_string_free (s, FALSE);
}

/* Communities are contiguous blocks of cells: three across and two down, with borders that
 * wander by a block from row to row and column to column as real ones do. */
static guint
community_of (const guint *col_split1,
              const guint *col_split2,
              const guint *row_split,
              guint        i,
              guint        j)
{
  guint band = j >= row_split[i] ? 0 : 1;  /* north first */
  guint col = i < col_split1[j] ? 0 : i < col_split2[j] ? 1 : 2;

  return band * 3 + col;
}

/* The centre line of road @k (east–west roads south to north, then north–south roads west
 * to east): the lattice line it follows, through the same rounded vertices as the blocks
 * beside it, so the road runs exactly along their shared edges. */
static void
road_line (DemoContext *ctx,
           Lattice     *lat,
           guint        k,
           double       mlon)
{
  DemoRoad *road = &g_array_index (ctx->roads, DemoRoad, k);
  g_autoptr (GArray) line = g_array_new (FALSE, FALSE, sizeof (Point));

  if (road->east_west)
    {
      guint j = k;

      for (guint i = 0; i <= LATTICE_COLS; i++)
        {
          g_array_append_val (line, lat->vertex[j][i]);
          if (i < LATTICE_COLS)
            g_array_append_vals (line, lat->hedge[j][i]->data, lat->hedge[j][i]->len);
        }
    }
  else
    {
      guint i = k - (LATTICE_ROWS + 1);

      for (guint j = 0; j <= LATTICE_ROWS; j++)
        {
          g_array_append_val (line, lat->vertex[j][i]);
          if (j < LATTICE_ROWS)
            g_array_append_vals (line, lat->vedge[j][i]->data, lat->vedge[j][i]->len);
        }
    }

  road->n_points = line->len;
  road->lon = g_new (double, line->len);
  road->lat = g_new (double, line->len);
  for (guint p = 0; p < line->len; p++)
    {
      Point pt = g_array_index (line, Point, p);

      road->lon[p] = round6 (ctx->center_lon + pt.x / mlon);
      road->lat[p] = round6 (ctx->center_lat + pt.y / METRES_PER_DEGREE_LAT);
    }
}

static gboolean
generate_geography (DemoContext *ctx,
                    GError     **error)
{
  const char *community_names[N_COMMUNITIES];
  const char *major[4];
  const char *minor[(LATTICE_ROWS - 1) + (LATTICE_COLS - 1)];
  guint col_split1[LATTICE_ROWS], col_split2[LATTICE_ROWS], row_split[LATTICE_COLS];
  guint seq[N_COMMUNITIES] = { 0 };
  double mlon = metres_per_degree_lon (ctx);
  Lattice lat;
  guint n_minor = 0;
  gboolean ok = FALSE;

  demo_pick_communities (ctx->rand, N_COMMUNITIES, community_names);
  for (guint c = 0; c < N_COMMUNITIES; c++)
    {
      DemoCommunity *community = g_new0 (DemoCommunity, 1);
      g_autofree char *unit_name = g_strconcat (community_names[c], "居民委员会", NULL);
      g_autofree char *parent = g_strconcat (ctx->district_name, ctx->street_name, "办事处", NULL);
      g_autofree char *phone = demo_landline (ctx->rand, "6830");
      sqlite3_stmt *stmt;

      community->id = g_strdup_printf ("%s%03u", ctx->street_id, c + 1);
      community->name = g_strdup (community_names[c]);
      community->unit = add_unit (ctx, g_steal_pointer (&unit_name), community_names[c],
                                  "community");
      g_ptr_array_add (ctx->communities, community);

      stmt = wh_db_prepare (ctx->db,
                            "INSERT INTO community (id, street_id, name) VALUES (?, ?, ?)",
                            error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, community->id);
      bind_text (stmt, 2, ctx->street_id);
      bind_text (stmt, 3, community->name);
      if (!step_done (ctx, stmt, error) ||
          !write_unit (ctx, community->unit, parent, phone, error))
        return FALSE;
    }

  /* Roads run along the lattice lines: main roads around the street, smaller streets,
   * lanes and hutongs inside. East–west roads first (south to north), then north–south
   * (west to east). */
  demo_pick_roads (ctx->rand, G_N_ELEMENTS (major), major, G_N_ELEMENTS (minor), minor);
  for (guint j = 0; j <= LATTICE_ROWS; j++)
    {
      DemoRoad road = { .east_west = TRUE };

      road.major = j == 0 || j == LATTICE_ROWS;
      road.name = j == 0 ? major[0] : j == LATTICE_ROWS ? major[1] : minor[n_minor++];
      g_array_append_val (ctx->roads, road);
    }
  for (guint i = 0; i <= LATTICE_COLS; i++)
    {
      DemoRoad road = { .east_west = FALSE };

      road.major = i == 0 || i == LATTICE_COLS;
      road.name = i == 0 ? major[2] : i == LATTICE_COLS ? major[3] : minor[n_minor++];
      g_array_append_val (ctx->roads, road);
    }

  build_lattice (ctx, &lat);
  for (guint k = 0; k < ctx->roads->len; k++)
    {
      DemoRoad *road = &g_array_index (ctx->roads, DemoRoad, k);

      /* Numbers count from the west or south end, where the road enters the street. */
      road->origin = road->east_west ? lat.line_x[0] - 40 : lat.line_y[0] - 40;
      road_line (ctx, &lat, k, mlon);
    }

  for (guint j = 0; j < LATTICE_ROWS; j++)
    {
      col_split1[j] = 3 + g_rand_int_range (ctx->rand, 0, 2);
      col_split2[j] = 6 + g_rand_int_range (ctx->rand, 0, 2);
    }
  row_split[0] = 3;
  for (guint i = 1; i < LATTICE_COLS; i++)
    row_split[i] = CLAMP ((gint) row_split[i - 1] + g_rand_int_range (ctx->rand, -1, 2), 2, 4);

  /* Cells are numbered within their community from the north-west, row by row. */
  for (guint jj = LATTICE_ROWS; jj > 0; jj--)
    for (guint i = 0; i < LATTICE_COLS; i++)
      {
        guint j = jj - 1;
        guint c = community_of (col_split1, col_split2, row_split, i, j);
        DemoCommunity *community = g_ptr_array_index (ctx->communities, c);
        DemoCell *cell = g_new0 (DemoCell, 1);
        g_autoptr (GArray) ring = cell_ring (&lat, i, j);
        g_autofree double *pairs = NULL;
        g_autofree char *geojson = NULL;
        WhGeoBounds bounds;
        sqlite3_stmt *stmt;

        g_ptr_array_add (ctx->cells, cell);
        cell->community = c;
        cell->col = i;
        cell->row = j;
        cell->id = g_strdup_printf ("%s%03u", community->id, ++seq[c]);
        cell->name = g_strdup_printf ("%s第%u网格", community->name, seq[c]);
        cell->n_points = ring->len;
        cell->lon = g_new (double, ring->len);
        cell->lat = g_new (double, ring->len);
        pairs = g_new (double, 2 * ring->len);
        for (guint k = 0; k < ring->len; k++)
          {
            Point p = g_array_index (ring, Point, k);

            /* Rounded once, here: shared vertices of neighbours stay bit-identical, and
             * what the database holds is exactly what incidents were placed in. */
            cell->lon[k] = pairs[2 * k] = round6 (ctx->center_lon + p.x / mlon);
            cell->lat[k] = pairs[2 * k + 1] = round6 (ctx->center_lat + p.y / METRES_PER_DEGREE_LAT);
          }
        wh_geo_ring_centroid (pairs, ring->len, &cell->centroid_lon, &cell->centroid_lat);
        wh_geo_ring_bounds (pairs, ring->len, &bounds);
        cell->min_lon = bounds.min_lon;
        cell->max_lon = bounds.max_lon;
        cell->min_lat = bounds.min_lat;
        cell->max_lat = bounds.max_lat;
        cell->roads[0] = j;
        cell->roads[1] = (LATTICE_ROWS + 1) + i + 1;
        cell->roads[2] = j + 1;
        cell->roads[3] = (LATTICE_ROWS + 1) + i;
        cell->compound = demo_compound_name (ctx->rand, community->name);
        cell->landmark = demo_landmark (ctx->rand);
        /* Some blocks (markets, shopping streets) see far more than others. */
        cell->weight = uniform (ctx->rand, 0.4, 1.6) * (g_rand_int_range (ctx->rand, 0, 8) == 0 ? 2.5 : 1.0);

        geojson = polygon_geojson (cell);
        stmt = wh_db_prepare (ctx->db,
                              "INSERT INTO grid_cell (id, community_id, name, polygon, "
                              "centroid_lon, centroid_lat) VALUES (?, ?, ?, ?, ?, ?)", error);
        if (stmt == NULL)
          goto out;
        bind_text (stmt, 1, cell->id);
        bind_text (stmt, 2, community->id);
        bind_text (stmt, 3, cell->name);
        bind_text (stmt, 4, geojson);
        sqlite3_bind_double (stmt, 5, cell->centroid_lon);
        sqlite3_bind_double (stmt, 6, cell->centroid_lat);
        if (!step_done (ctx, stmt, error))
          goto out;

        stmt = wh_db_prepare (ctx->db,
                              "INSERT INTO grid_cell_bounds (id, min_lon, max_lon, min_lat, max_lat) "
                              "VALUES (last_insert_rowid (), ?, ?, ?, ?)", error);
        if (stmt == NULL)
          goto out;
        sqlite3_bind_double (stmt, 1, cell->min_lon);
        sqlite3_bind_double (stmt, 2, cell->max_lon);
        sqlite3_bind_double (stmt, 3, cell->min_lat);
        sqlite3_bind_double (stmt, 4, cell->max_lat);
        if (!step_done (ctx, stmt, error))
          goto out;
      }

  ok = demo_write_map (ctx, error);
out:
  free_lattice (&lat);
  return ok;
}

/* Staff */

static guint
add_staff (DemoContext *ctx,
           GHashTable  *names,
           guint        unit,
           const char  *role,
           const char  *title)
{
  DemoStaff *staff = g_new0 (DemoStaff, 1);
  DemoUnit *u = g_ptr_array_index (ctx->units, unit);
  guint index;

  staff->id = wh_uuid_new (ctx->rand);
  /* Two people of one name in a roster confuse everyone; real rosters add a suffix, we
   * simply draw again. */
  do
    {
      g_free (staff->name);
      staff->name = demo_person_name (ctx->rand);
    }
  while (g_hash_table_contains (names, staff->name));
  g_hash_table_add (names, staff->name);
  staff->role = role;
  staff->title = title;
  staff->phone = demo_mobile (ctx->rand);
  staff->unit = unit;
  g_ptr_array_add (ctx->staff, staff);
  index = ctx->staff->len - 1;

  if (g_str_equal (role, "unit_liaison"))
    g_array_append_val (u->liaisons, index);
  else if (g_str_equal (role, "enforcer"))
    g_array_append_val (u->enforcers, index);
  else
    g_array_append_val (u->others, index);
  return index;
}

/* Staff of stationed units serve terms of at least two years (DOMAIN.md); a term that
 * ends before the history does is renewed, so some people are in their second term and a
 * few terms run out soon after the end: the roster has something to warn about. */
static void
set_term (DemoContext *ctx,
          DemoStaff   *staff,
          gboolean     before_start)
{
  gint64 since_day, until_day;

  if (before_start)
    since_day = ctx->start_day - g_rand_int_range (ctx->rand, 30, 700);
  else
    since_day = ctx->end_day - g_rand_int_range (ctx->rand, 20, 1000);
  until_day = since_day + (g_rand_int_range (ctx->rand, 0, 10) < 7 ? 730 : 1095);
  while (until_day < ctx->end_day + 14)
    until_day += 730;
  staff->since = demo_day_start (since_day) + 9 * DEMO_USEC_PER_HOUR;
  staff->until = demo_day_start (until_day) + 9 * DEMO_USEC_PER_HOUR;
}

static gboolean
generate_staff (DemoContext *ctx,
                GError     **error)
{
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  guint lane_chiefs[N_LANE_CHIEFS];

  /* The center: its leaders (on call in turn), the duty desk, and the street-lane chiefs
   * (街巷长) who patrol the streets every day. */
  {
    static const char *const leader_titles[] = {
      "指挥中心主任", "指挥中心副主任", "指挥中心副主任", "街道办事处副主任", "街道办事处副主任",
    };

    for (guint k = 0; k < G_N_ELEMENTS (leader_titles); k++)
      {
        guint s = add_staff (ctx, names, DEMO_UNIT_CENTER, "director", leader_titles[k]);
        g_array_append_val (ctx->leaders, s);
      }
    for (guint k = 0; k < N_DUTY_OFFICERS; k++)
      {
        guint s = add_staff (ctx, names, DEMO_UNIT_CENTER, "duty_officer", k < 3 ? "值班长" : "值班员");
        g_array_append_val (ctx->duty_officers, s);
      }
    add_staff (ctx, names, DEMO_UNIT_CENTER, "viewer", "信息统计员");
    add_staff (ctx, names, DEMO_UNIT_CENTER, "viewer", "综合协调员");
    for (guint k = 0; k < N_LANE_CHIEFS; k++)
      lane_chiefs[k] = add_staff (ctx, names, DEMO_UNIT_CENTER, "grid_worker", "街巷长");
  }

  for (guint u = DEMO_FIRST_STATIONED; u <= DEMO_LAST_LISTED; u++)
    {
      const DemoUnitDef *def = &demo_unit_defs[u];
      gboolean stationed = u <= DEMO_LAST_STATIONED;

      for (guint k = 0; k < def->n_liaisons; k++)
        {
          guint s = add_staff (ctx, names, u, "unit_liaison", k == 0 ? def->liaison_title : "联络员");

          if (stationed)
            set_term (ctx, g_ptr_array_index (ctx->staff, s), TRUE);
        }
      for (guint k = 0; k < def->n_enforcers; k++)
        {
          guint s = add_staff (ctx, names, u, "enforcer", def->enforcer_title);

          if (stationed)
            set_term (ctx, g_ptr_array_index (ctx->staff, s), FALSE);
        }
    }

  for (guint k = 0; k < N_DISTRICT_DISPATCHERS; k++)
    {
      guint s = add_staff (ctx, names, DEMO_UNIT_DISTRICT, "duty_officer", "12345派单员");
      g_array_append_val (ctx->district_dispatchers, s);
    }

  for (guint c = 0; c < ctx->communities->len; c++)
    {
      DemoCommunity *community = g_ptr_array_index (ctx->communities, c);

      add_staff (ctx, names, community->unit, "unit_liaison", "社区党委书记");
      add_staff (ctx, names, community->unit, "unit_liaison", "社区居委会主任");
    }
  for (guint k = 0; k < ctx->cells->len; k++)
    {
      DemoCell *cell = g_ptr_array_index (ctx->cells, k);
      DemoCommunity *community = g_ptr_array_index (ctx->communities, cell->community);

      cell->grid_worker = add_staff (ctx, names, community->unit, "grid_worker", "专职网格员");
      /* A lane chief looks after a stretch of three neighbouring blocks. */
      cell->lane_chief = lane_chiefs[k * N_LANE_CHIEFS / ctx->cells->len];
    }

  stmt = wh_db_prepare (ctx->db,
                        "INSERT INTO staff (id, unit_id, name, role, title, phone, "
                        "stationed_since, stationed_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint k = 0; k < ctx->staff->len; k++)
    {
      DemoStaff *staff = g_ptr_array_index (ctx->staff, k);
      DemoUnit *unit = g_ptr_array_index (ctx->units, staff->unit);

      bind_text (stmt, 1, staff->id);
      bind_text (stmt, 2, unit->id);
      bind_text (stmt, 3, staff->name);
      bind_text (stmt, 4, staff->role);
      bind_text (stmt, 5, staff->title);
      bind_text (stmt, 6, staff->phone);
      wh_db_bind_time_or_null (stmt, 7, staff->since);
      wh_db_bind_time_or_null (stmt, 8, staff->until);
      if (!step_done (ctx, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Duty */

static gboolean
insert_shift (DemoContext *ctx,
              guint        staff,
              const char  *post,
              gint64       starts_at,
              gint64       ends_at,
              GError     **error)
{
  sqlite3_stmt *stmt;
  DemoStaff *s = g_ptr_array_index (ctx->staff, staff);

  stmt = wh_db_prepare (ctx->db,
                        "INSERT INTO duty_shift (staff_id, post, starts_at, ends_at) "
                        "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, s->id);
  bind_text (stmt, 2, post);
  sqlite3_bind_int64 (stmt, 3, starts_at);
  sqlite3_bind_int64 (stmt, 4, ends_at);
  return step_done (ctx, stmt, error);
}

/* The center's 7×24 duty and the leader on call cover the history and two weeks beyond
 * it, so the desk always knows who is on duty next. Stationed units keep a 24-hour duty
 * of their own; listed departments name one person on call per week. */
static gboolean
generate_duty (DemoContext *ctx,
               GError     **error)
{
  gint64 last_day = ctx->end_day + 14;
  gint64 first_monday = ctx->start_day - (demo_day_weekday (ctx->start_day) + 6) % 7;

  for (gint64 day = ctx->start_day; day <= last_day; day++)
    {
      gint64 midnight = demo_day_start (day);

      for (guint slot = 0; slot < demo_center_slots (); slot++)
        {
          int start_hour, end_hour;

          demo_center_shift (slot, &start_hour, &end_hour);
          if (!insert_shift (ctx, demo_center_officer (ctx, day, slot), "center_duty",
                             midnight + start_hour * DEMO_USEC_PER_HOUR,
                             midnight + end_hour * DEMO_USEC_PER_HOUR, error))
            return FALSE;
        }
      if (!insert_shift (ctx, demo_leader_at (ctx, midnight + 8 * DEMO_USEC_PER_HOUR),
                         "leader_on_call", midnight + 8 * DEMO_USEC_PER_HOUR,
                         midnight + 32 * DEMO_USEC_PER_HOUR, error))
        return FALSE;

      for (guint u = DEMO_FIRST_STATIONED; u <= DEMO_LAST_STATIONED; u++)
        {
          DemoUnit *unit = g_ptr_array_index (ctx->units, u);
          guint n_enf = MIN (4, unit->enforcers->len);
          guint n = unit->liaisons->len + n_enf;
          guint k = (guint) ((day % n + n) % n);
          guint staff = k < unit->liaisons->len
                          ? g_array_index (unit->liaisons, guint, k)
                          : g_array_index (unit->enforcers, guint, k - unit->liaisons->len);

          if (!insert_shift (ctx, staff, "unit_duty", midnight + 8 * DEMO_USEC_PER_HOUR,
                             midnight + 32 * DEMO_USEC_PER_HOUR, error))
            return FALSE;
        }
    }

  for (gint64 monday = first_monday; monday <= last_day; monday += 7)
    for (guint u = DEMO_FIRST_LISTED; u <= DEMO_LAST_LISTED; u++)
      {
        DemoUnit *unit = g_ptr_array_index (ctx->units, u);
        guint n = unit->liaisons->len + unit->enforcers->len;
        gint64 week = monday / 7;
        guint k = (guint) ((week % n + n) % n);
        guint staff = k < unit->liaisons->len
                        ? g_array_index (unit->liaisons, guint, k)
                        : g_array_index (unit->enforcers, guint, k - unit->liaisons->len);
        gint64 start = demo_day_start (monday) + 8 * DEMO_USEC_PER_HOUR;

        if (!insert_shift (ctx, staff, "unit_duty", start, start + 7 * DEMO_USEC_PER_DAY, error))
          return FALSE;
      }
  return TRUE;
}

/* Catalogue */

static gboolean
generate_catalogue (DemoContext *ctx,
                    GError     **error)
{
  static const char *const priority_names[] = { "普通", "紧急", "特急" };
  sqlite3_stmt *stmt;
  guint class_index = 0;

  /* Shared by every street of a database, hence OR IGNORE: a second street reuses them. */
  for (guint p = 0; p < G_N_ELEMENTS (priority_names); p++)
    {
      stmt = wh_db_prepare (ctx->db,
                            "INSERT OR IGNORE INTO priority (level, name, factor) VALUES (?, ?, ?)",
                            error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, p);
      bind_text (stmt, 2, priority_names[p]);
      sqlite3_bind_double (stmt, 3, ctx->priority_factor[p]);
      if (!step_done (ctx, stmt, error))
        return FALSE;
    }

  ctx->class_of = g_new0 (guint, demo_n_category_defs);
  for (guint k = 0; k < demo_n_category_defs; k++)
    {
      const DemoCategoryDef *def = &demo_category_defs[k];
      DemoUnit *lead = g_ptr_array_index (ctx->units, def->lead);

      if (def->parent == NULL)
        ctx->class_of[k] = class_index++;
      else
        ctx->class_of[k] = class_index - 1;

      stmt = wh_db_prepare (ctx->db,
                            "INSERT OR IGNORE INTO category (code, parent_code, name, kind, "
                            "default_lead_unit, response_minutes, handling_minutes, working_hours, "
                            "major) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, def->code);
      wh_db_bind_text_or_null (stmt, 2, def->parent);
      bind_text (stmt, 3, def->name);
      bind_text (stmt, 4, def->component ? "component" : "event");
      bind_text (stmt, 5, lead->id);
      sqlite3_bind_int (stmt, 6, def->response_minutes);
      sqlite3_bind_int (stmt, 7, def->handling_minutes);
      sqlite3_bind_int (stmt, 8, def->working_hours);
      sqlite3_bind_int (stmt, 9, def->major);
      if (!step_done (ctx, stmt, error))
        return FALSE;
    }
  ctx->n_classes = class_index;

  for (guint k = 0; k < demo_n_holidays; k++)
    {
      stmt = wh_db_prepare (ctx->db,
                            "INSERT OR IGNORE INTO calendar_exception (day, is_workday, name) "
                            "VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, demo_holidays[k].day);
      sqlite3_bind_int (stmt, 2, demo_holidays[k].is_workday);
      bind_text (stmt, 3, demo_holidays[k].name);
      if (!step_done (ctx, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Every grid cell names, for every class of matter, the person who answers for it: the
 * cell's grid worker or lane chief for what the community sees to, and for enforcement
 * matters an enforcer of the unit in charge, each enforcer covering a stretch of cells. */
static gboolean
generate_grid_duty (DemoContext *ctx,
                    GError     **error)
{
  guint n_cells = ctx->cells->len;

  ctx->grid_duty = g_new0 (guint, n_cells * ctx->n_classes);
  for (guint k = 0; k < n_cells; k++)
    {
      DemoCell *cell = g_ptr_array_index (ctx->cells, k);

      for (guint d = 0; d < demo_n_category_defs; d++)
        {
          const DemoCategoryDef *def = &demo_category_defs[d];
          guint staff;
          sqlite3_stmt *stmt;

          if (def->parent != NULL)
            continue;
          if (def->grid_duty == DEMO_UNIT_GRID)
            staff = cell->grid_worker;
          else if (def->grid_duty == DEMO_UNIT_LANE)
            staff = cell->lane_chief;
          else
            {
              DemoUnit *unit = g_ptr_array_index (ctx->units, def->grid_duty);

              staff = g_array_index (unit->enforcers, guint, k * unit->enforcers->len / n_cells);
            }
          ctx->grid_duty[k * ctx->n_classes + ctx->class_of[d]] = staff;

          stmt = wh_db_prepare (ctx->db,
                                "INSERT INTO grid_duty (grid_id, category_code, staff_id) "
                                "VALUES (?, ?, ?)", error);
          if (stmt == NULL)
            return FALSE;
          bind_text (stmt, 1, cell->id);
          bind_text (stmt, 2, def->code);
          bind_text (stmt, 3, ((DemoStaff *) g_ptr_array_index (ctx->staff, staff))->id);
          if (!step_done (ctx, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Assessment */

/* Residents' satisfaction weighs at least half for the street's view of its units and
 * 70% for communities (DOMAIN.md, after Nanjing); the rest is split between the four
 * dimensions of the daily checks and the measures computed from incidents. */
static const struct {
  const char *kind;
  const char *name;
  const char *weights;
} schemes[] = {
  { "stationed", "常驻单位考核方案",
    "{\"satisfaction\":0.5,\"responsibility\":0.08,\"resolution\":0.08,\"cooperation\":0.06,"
    "\"team\":0.04,\"on_time_response\":0.08,\"on_time_resolution\":0.1,\"rework\":0.03,"
    "\"returns\":0.03}" },
  { "listed", "挂牌部门考核方案",
    "{\"satisfaction\":0.5,\"responsibility\":0.06,\"resolution\":0.06,\"cooperation\":0.1,"
    "\"team\":0.02,\"on_time_response\":0.1,\"on_time_resolution\":0.1,\"rework\":0.03,"
    "\"returns\":0.03}" },
  { "community", "社区考核方案",
    "{\"satisfaction\":0.7,\"responsibility\":0.06,\"resolution\":0.06,\"cooperation\":0.05,"
    "\"team\":0.03,\"on_time_response\":0.04,\"on_time_resolution\":0.04,\"rework\":0.01,"
    "\"returns\":0.01}" },
  { "street_office", "街道指挥中心考核方案",
    "{\"satisfaction\":0.5,\"responsibility\":0.1,\"resolution\":0.1,\"cooperation\":0.05,"
    "\"team\":0.05,\"on_time_response\":0.08,\"on_time_resolution\":0.08,\"rework\":0.02,"
    "\"returns\":0.02}" },
};

static gboolean
generate_assessment (DemoContext *ctx,
                     GError     **error)
{
  static const char *const dimensions[] = { "responsibility", "resolution", "cooperation", "team" };
  int y, m, d;
  g_autofree char *valid_from = NULL;
  g_autofree double *quality = g_new (double, ctx->units->len);
  sqlite3_stmt *stmt;

  demo_day_to_date (ctx->start_day, &y, &m, &d);
  valid_from = g_strdup_printf ("%04d-01-01", y);
  for (guint k = 0; k < G_N_ELEMENTS (schemes); k++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%s-%d", ctx->street_id, schemes[k].kind, y);
      g_autofree char *name = g_strdup_printf ("%d年度%s%s", y, ctx->street_name, schemes[k].name);

      stmt = wh_db_prepare (ctx->db,
                            "INSERT INTO assessment_scheme (id, name, unit_kind, valid_from, weights) "
                            "VALUES (?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, id);
      bind_text (stmt, 2, name);
      bind_text (stmt, 3, schemes[k].kind);
      bind_text (stmt, 4, valid_from);
      bind_text (stmt, 5, schemes[k].weights);
      if (!step_done (ctx, stmt, error))
        return FALSE;
    }

  /* Each unit has its own level, so rankings come out different from month to month
   * but not at random. */
  for (guint u = 0; u < ctx->units->len; u++)
    quality[u] = uniform (ctx->rand, 84.0, 96.0);

  /* Daily checks (日检查) on working days: the center checks a few units each day along
   * one dimension, the stationed units most often. */
  for (gint64 day = ctx->start_day; day <= ctx->end_day; day++)
    {
      g_autofree char *day_str = NULL;

      if (!demo_day_is_workday (day))
        continue;
      day_str = demo_day_to_string (day);
      for (guint u = DEMO_FIRST_STATIONED; u < ctx->units->len; u++)
        {
          DemoUnit *unit = g_ptr_array_index (ctx->units, u);
          int chance;
          double score;
          const char *note;
          gint64 at;
          guint inspector;
          g_autofree char *id = NULL;

          if (u == DEMO_UNIT_DISTRICT)
            continue;
          chance = g_str_equal (unit->kind, "stationed") ? 45 : g_str_equal (unit->kind, "listed") ? 12 : 15;
          if (g_rand_int_range (ctx->rand, 0, 100) >= chance)
            continue;

          at = demo_day_start (day) + 16 * DEMO_USEC_PER_HOUR +
               g_rand_int_range (ctx->rand, 0, 150) * DEMO_USEC_PER_MINUTE;
          id = wh_uuid_new (ctx->rand);
          if (g_rand_int_range (ctx->rand, 0, 100) < 9)
            {
              score = quality[u] - uniform (ctx->rand, 8.0, 22.0);
              note = demo_pick (ctx->rand, demo_check_deductions, demo_n_check_deductions);
            }
          else
            {
              score = quality[u] + uniform (ctx->rand, -4.0, 4.0);
              note = demo_pick (ctx->rand, demo_check_praise, demo_n_check_praise);
            }
          score = round (CLAMP (score, 60.0, 100.0) * 2) / 2;
          inspector = g_rand_boolean (ctx->rand) ? demo_leader_at (ctx, at) : demo_officer_at (ctx, at, 0);
          if (at > ctx->end_time)
            continue;

          stmt = wh_db_prepare (ctx->db,
                                "INSERT INTO check_entry (id, day, unit_id, dimension, score, note, "
                                "inspector_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
          if (stmt == NULL)
            return FALSE;
          bind_text (stmt, 1, id);
          bind_text (stmt, 2, day_str);
          bind_text (stmt, 3, unit->id);
          bind_text (stmt, 4, demo_pick (ctx->rand, dimensions, G_N_ELEMENTS (dimensions)));
          sqlite3_bind_double (stmt, 5, score);
          bind_text (stmt, 6, note);
          bind_text (stmt, 7, ((DemoStaff *) g_ptr_array_index (ctx->staff, inspector))->id);
          sqlite3_bind_int64 (stmt, 8, at);
          if (!step_done (ctx, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
generate_street (DemoContext *ctx,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *street_meta = wh_db_get_meta (ctx->db, "street_id");

  stmt = wh_db_prepare (ctx->db, "SELECT 1 FROM street WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, ctx->street_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("The database already holds the street %s."), ctx->street_id);
      return FALSE;
    }
  sqlite3_reset (stmt);

  /* A desk's cache belongs to one street: the first one generated into it. */
  if (street_meta == NULL && !wh_db_set_meta (ctx->db, "street_id", ctx->street_id, error))
    return FALSE;

  stmt = wh_db_prepare (ctx->db,
                        "INSERT INTO street (id, name, district, center_lon, center_lat) "
                        "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, ctx->street_id);
  bind_text (stmt, 2, ctx->street_name);
  bind_text (stmt, 3, ctx->district_name);
  sqlite3_bind_double (stmt, 4, ctx->center_lon);
  sqlite3_bind_double (stmt, 5, ctx->center_lat);
  return step_done (ctx, stmt, error);
}

/* The generator writes everything in one transaction. With SQLite's small default page
 * cache, index pages keyed by random UUIDs are evicted and written to the WAL again and
 * again: a million incidents wrote ten times the database's size. A bounded cache for the
 * duration keeps memory flat and the writes close to the file's size. */
static gboolean
set_cache_size (WhDb    *db,
                gint64   value,
                gint64  *old_value,
                GError **error)
{
  g_autofree char *sql = NULL;

  if (old_value != NULL)
    {
      sqlite3_stmt *stmt = wh_db_prepare (db, "PRAGMA cache_size", error);

      if (stmt == NULL)
        return FALSE;
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          wh_db_set_error (db, error);
          sqlite3_reset (stmt);
          return FALSE;
        }
      *old_value = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, value);
  return wh_db_exec (db, sql, error);
}

gboolean
wh_demo_generate (WhDb                *db,
                  const WhDemoOptions *options,
                  WhDemoProgressFunc   progress,
                  gpointer             user_data,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr (DemoContext) ctx = NULL;
  gint64 saved_cache_size = 0;

  g_return_val_if_fail (WH_IS_DB (db), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_options (options, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  ctx = demo_context_new (db, options);
  ctx->progress = progress;
  ctx->progress_data = user_data;
  ctx->cancellable = cancellable;

  report_progress (ctx, 0.0);
  if (!set_cache_size (db, DEMO_CACHE_KIB, &saved_cache_size, error))
    return FALSE;
  if (!wh_db_begin (db, error))
    goto restore;

  if (!generate_street (ctx, error) ||
      !generate_units (ctx, error) ||
      !generate_geography (ctx, error) ||
      !generate_staff (ctx, error) ||
      !generate_duty (ctx, error) ||
      !generate_catalogue (ctx, error) ||
      !generate_grid_duty (ctx, error) ||
      !generate_assessment (ctx, error))
    goto failed;
  report_progress (ctx, PROGRESS_ORGANISATION);

  if (!demo_generate_incidents (ctx, PROGRESS_ORGANISATION, 1.0, error))
    goto failed;

  if (!wh_db_commit (db, error))
    goto restore;  /* wh_db_commit() rolls back itself */
  set_cache_size (db, saved_cache_size, NULL, NULL);
  report_progress (ctx, 1.0);
  return TRUE;

failed:
  wh_db_rollback (db);
restore:
  set_cache_size (db, saved_cache_size, NULL, NULL);
  return FALSE;
}
