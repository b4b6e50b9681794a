/* test-demo.c — the demo street generator: deterministic, complete, and valid
 *
 * One street of N_INCIDENTS incidents is generated once per seed and shared by the tests;
 * the determinism test makes its own second copy.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "wh-db.h"
#include "wh-demo-map.h"
#include "wh-demo-street.h"
#include "wh-incident-store.h"
#include "wh-incident.h"
#include "wh-lifecycle.h"

#define N_INCIDENTS 1500

static char   *tmp_dir;
static WhDb   *shared_db;
static char   *shared_digest;
static gint64  end_time;

/* 2026-11-22 23:59:59 in Beijing. */
static gint64
fixed_end (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) dt = g_date_time_new (tz, 2026, 11, 22, 23, 59, 59);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static WhDb *
generate (const char  *name,
          guint32      seed,
          guint        n_incidents,
          const char  *street_code,
          const char  *street_name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GError) error = NULL;
  WhDemoOptions options;
  WhDb *db;

  db = wh_db_open (path, &error);
  g_assert_no_error (error);
  wh_demo_options_init (&options, end_time);
  options.seed = seed;
  options.n_incidents = n_incidents;
  if (street_code != NULL)
    {
      options.street_code = street_code;
      options.street_name = street_name;
    }
  g_assert_true (wh_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return db;
}

static gint64
query_int (WhDb       *db,
           const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* A digest of every row of every table, in a fixed order: two databases with the same
 * digest hold the same data, byte for byte. */
static char *
digest_db (WhDb *db)
{
  sqlite3 *handle = wh_db_get_handle (db);
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (tables->len, >, 15);

  for (guint t = 0; t < tables->len; t++)
    {
      const char *table = g_ptr_array_index (tables, t);
      g_autofree char *probe = g_strdup_printf ("SELECT * FROM \"%s\"", table);
      g_autoptr (GString) sql = g_string_new (probe);
      int n_columns;

      g_assert_cmpint (sqlite3_prepare_v2 (handle, probe, -1, &stmt, NULL), ==, SQLITE_OK);
      n_columns = sqlite3_column_count (stmt);
      sqlite3_finalize (stmt);
      g_string_append (sql, " ORDER BY ");
      for (int c = 0; c < n_columns; c++)
        g_string_append_printf (sql, "%s%d", c > 0 ? ", " : "", c + 1);

      g_checksum_update (sum, (const guchar *) table, -1);
      g_assert_cmpint (sqlite3_prepare_v2 (handle, sql->str, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < n_columns; c++)
          {
            char type = '0' + sqlite3_column_type (stmt, c);
            const void *bytes;
            int len;

            if (sqlite3_column_type (stmt, c) == SQLITE_BLOB)
              bytes = sqlite3_column_blob (stmt, c);
            else
              bytes = sqlite3_column_text (stmt, c);
            len = sqlite3_column_bytes (stmt, c);
            g_checksum_update (sum, (const guchar *) &type, 1);
            if (bytes != NULL)
              g_checksum_update (sum, bytes, len);
            g_checksum_update (sum, (const guchar *) "\x1f", 1);
          }
      sqlite3_finalize (stmt);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static void
test_deterministic (void)
{
  g_autoptr (WhDb) again = generate ("again.db", WH_DEMO_DEFAULT_SEED, N_INCIDENTS, NULL, NULL);
  g_autoptr (WhDb) other = generate ("other.db", WH_DEMO_DEFAULT_SEED + 1, N_INCIDENTS, NULL, NULL);
  g_autofree char *digest_again = digest_db (again);
  g_autofree char *digest_other = digest_db (other);

  g_assert_cmpstr (shared_digest, ==, digest_again);
  g_assert_cmpstr (shared_digest, !=, digest_other);
  /* The same seed always names the same people: not just the same counts. */
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM incident"), ==, N_INCIDENTS);
}

static void
test_organisation (void)
{
  WhDb *db = shared_db;
  g_autofree char *street = wh_db_get_meta (db, "street_id");

  g_assert_cmpstr (street, ==, WH_DEMO_DEFAULT_STREET_CODE);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM street WHERE id = '110102099' "
                                  "AND name = '京华街道' AND district = '西城区'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM community"), ==, 6);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM community WHERE length (id) = 12 "
                                  "AND substr (id, 1, 9) = street_id"), ==, 6);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM grid_cell"), >=, 55);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM grid_cell"), <=, 65);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM grid_cell WHERE length (id) != 15 "
                                  "OR substr (id, 1, 12) != community_id"), ==, 0);
  /* Every community has a share of the cells. */
  g_assert_cmpint (query_int (db, "SELECT min (n) FROM (SELECT count(*) AS n FROM grid_cell "
                                  "GROUP BY community_id)"), >=, 4);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE kind = 'stationed'"), ==, 8);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE kind = 'listed'"), ==, 9);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE kind = 'street_office'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE kind = 'community'"), ==, 6);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE kind = 'district'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE short_name = '城管执法队' "
                                  "AND name LIKE '%京华街道执法队'"), ==, 1);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM staff"), >=, 250);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM staff"), <=, 350);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT name) FROM staff"), ==,
                   query_int (db, "SELECT count(*) FROM staff"));
  /* Every member unit has a liaison; stationed staff serve terms of two years or more. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE kind IN ('stationed', 'listed', "
                                  "'community') AND id NOT IN (SELECT unit_id FROM staff WHERE "
                                  "role = 'unit_liaison')"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM staff JOIN unit ON unit.id = unit_id "
                                  "WHERE kind = 'stationed' AND (stationed_since IS NULL OR "
                                  "stationed_until - stationed_since < 730 * 86400000000)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM staff WHERE role = 'duty_officer'"), >=, 10);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM staff WHERE role = 'grid_worker'"), >=, 60);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM priority"), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM category"), >=, 35);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM category"), <=, 50);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM category WHERE parent_code IS NULL"), >=, 10);
  /* Two levels exactly: every subcategory's parent is a class. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM category c JOIN category p ON "
                                  "p.code = c.parent_code WHERE p.parent_code IS NOT NULL"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM category WHERE parent_code IS NOT NULL"), >=, 25);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM category WHERE major = 1"), >=, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM category WHERE kind = 'component'"), >=, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM category WHERE default_lead_unit IS NULL"), ==, 0);

  /* Every cell names a responsible person for every class. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM grid_duty"), ==,
                   query_int (db, "SELECT (SELECT count(*) FROM grid_cell) * (SELECT count(*) "
                                  "FROM category WHERE parent_code IS NULL)"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM grid_duty JOIN category ON code = "
                                  "category_code WHERE parent_code IS NOT NULL"), ==, 0);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM calendar_exception WHERE day = "
                                  "'2026-10-01' AND is_workday = 0"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM calendar_exception WHERE day = "
                                  "'2026-02-14' AND is_workday = 1"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM calendar_exception WHERE day LIKE '2025-%'"), >, 20);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM assessment_scheme WHERE "
                                  "json_extract (weights, '$.satisfaction') < 0.5"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT unit_kind) FROM assessment_scheme"), >=, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM check_entry"), >, 500);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM check_entry WHERE score < 60 OR score > 100"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM check_entry WHERE score < 80"), >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM outbox"), ==, 0);
}

/* The center's duty desk is staffed around the clock from the start of the history to two
 * weeks after its end, and every day has a leader on call. */
static void
test_duty (void)
{
  WhDb *db = shared_db;
  gint64 first = query_int (db, "SELECT min (starts_at) FROM duty_shift WHERE post = 'center_duty'");
  gint64 last = query_int (db, "SELECT max (ends_at) FROM duty_shift WHERE post = 'center_duty'");
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;

  g_assert_cmpint (first, <=, query_int (db, "SELECT min (reported_at) FROM incident"));
  g_assert_cmpint (last, >=, end_time + 13 * G_TIME_SPAN_DAY);

  stmt = wh_db_prepare (db, "SELECT count(*) FROM duty_shift WHERE post = ? AND starts_at <= ? "
                            "AND ends_at > ?", &error);
  g_assert_no_error (error);
  for (gint64 t = first + G_TIME_SPAN_HOUR; t < last; t += 5 * G_TIME_SPAN_HOUR + 7 * G_TIME_SPAN_MINUTE)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, "center_duty", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, t);
      sqlite3_bind_int64 (stmt, 3, t);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), >=, 2);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, "leader_on_call", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, t);
      sqlite3_bind_int64 (stmt, 3, t);
      if (t > first + G_TIME_SPAN_DAY)
        {
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
        }
    }
  sqlite3_reset (stmt);
  /* Only duty officers sit at the desk, and only directors are leaders on call. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM duty_shift JOIN staff ON staff.id = "
                                  "staff_id WHERE post = 'center_duty' AND role != 'duty_officer'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM duty_shift JOIN staff ON staff.id = "
                                  "staff_id WHERE post = 'leader_on_call' AND role != 'director'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT staff.unit_id) FROM duty_shift JOIN staff "
                                  "ON staff.id = staff_id WHERE post = 'unit_duty'"), ==, 17);
}

/* A ring of a GeoJSON Polygon as lon, lat pairs, checking that it is closed. */
static GArray *
read_ring (const char *geojson)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *object;
  JsonArray *ring;
  GArray *points = g_array_new (FALSE, FALSE, sizeof (double));
  guint n;

  g_assert_true (json_parser_load_from_data (parser, geojson, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "Polygon");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "coordinates")), ==, 1);
  ring = json_array_get_array_element (json_object_get_array_member (object, "coordinates"), 0);
  n = json_array_get_length (ring);
  g_assert_cmpuint (n, >=, 5);
  for (guint k = 0; k < n; k++)
    {
      JsonArray *p = json_array_get_array_element (ring, k);
      double lon = json_array_get_double_element (p, 0);
      double lat = json_array_get_double_element (p, 1);

      g_array_append_val (points, lon);
      g_array_append_val (points, lat);
    }
  /* Closed: the last position repeats the first. */
  g_assert_cmpfloat (g_array_index (points, double, 0), ==, g_array_index (points, double, 2 * n - 2));
  g_assert_cmpfloat (g_array_index (points, double, 1), ==, g_array_index (points, double, 2 * n - 1));
  return points;
}

/* Even-odd rule over a closed ring, written here again so the test does not lean on the
 * generator's or the geo module's own. */
static gboolean
ring_contains (GArray *ring,
               double  lon,
               double  lat)
{
  const double *p = (const double *) ring->data;
  guint n = ring->len / 2 - 1;
  gboolean inside = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    if (((p[2 * i + 1] > lat) != (p[2 * j + 1] > lat)) &&
        (lon < (p[2 * j] - p[2 * i]) * (lat - p[2 * i + 1]) / (p[2 * j + 1] - p[2 * i + 1]) + p[2 * i]))
      inside = !inside;
  return inside;
}

static double
ring_signed_area (GArray *ring)
{
  const double *p = (const double *) ring->data;
  guint n = ring->len / 2 - 1;
  double area = 0;

  for (guint i = 0; i < n; i++)
    area += p[2 * i] * p[2 * i + 3] - p[2 * i + 2] * p[2 * i + 1];
  return area / 2;
}

static void
test_geography (void)
{
  WhDb *db = shared_db;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) rings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_array_unref);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  double total_area = 0, min_lon = 180, max_lon = -180, min_lat = 90, max_lat = -90;
  guint n_incidents = 0;

  stmt = wh_db_prepare (db, "SELECT g.id, g.polygon, g.centroid_lon, g.centroid_lat, b.min_lon, "
                            "b.max_lon, b.min_lat, b.max_lat FROM grid_cell g JOIN grid_cell_bounds b "
                            "ON b.id = g.rowid ORDER BY g.id", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      GArray *ring = read_ring ((const char *) sqlite3_column_text (stmt, 1));
      double clon = sqlite3_column_double (stmt, 2), clat = sqlite3_column_double (stmt, 3);
      double area = ring_signed_area (ring);

      /* Counter-clockwise outer rings, as RFC 7946 asks. */
      g_assert_cmpfloat (area, >, 0);
      total_area += area;
      g_assert_true (ring_contains (ring, clon, clat));
      for (guint k = 0; k < ring->len; k += 2)
        {
          double lon = g_array_index (ring, double, k), lat = g_array_index (ring, double, k + 1);

          /* The R*Tree stores 32-bit floats, rounded outwards. */
          g_assert_cmpfloat (lon, >=, sqlite3_column_double (stmt, 4) - 1e-5);
          g_assert_cmpfloat (lon, <=, sqlite3_column_double (stmt, 5) + 1e-5);
          g_assert_cmpfloat (lat, >=, sqlite3_column_double (stmt, 6) - 1e-5);
          g_assert_cmpfloat (lat, <=, sqlite3_column_double (stmt, 7) + 1e-5);
          min_lon = MIN (min_lon, lon);
          max_lon = MAX (max_lon, lon);
          min_lat = MIN (min_lat, lat);
          max_lat = MAX (max_lat, lat);
        }
      g_ptr_array_add (ids, id);
      g_hash_table_insert (rings, id, ring);
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (ids->len, ==, query_int (db, "SELECT count(*) FROM grid_cell"));

  /* Around 116.35 E, 39.915 N, a few kilometres across, blocks of 250–400 m. */
  g_assert_cmpfloat (fabs ((min_lon + max_lon) / 2 - 116.350), <, 0.01);
  g_assert_cmpfloat (fabs ((min_lat + max_lat) / 2 - 39.915), <, 0.01);
  g_assert_cmpfloat ((max_lon - min_lon) * 85000, >, 2500);
  g_assert_cmpfloat ((max_lon - min_lon) * 85000, <, 5000);
  /* The cells tile without overlaps: their areas add up to no more than the outline's box,
   * and every incident below lies in exactly one cell. */
  g_assert_cmpfloat (total_area, <=, (max_lon - min_lon) * (max_lat - min_lat));
  g_assert_cmpfloat (total_area, >, 0.85 * (max_lon - min_lon) * (max_lat - min_lat));

  stmt = wh_db_prepare (db, "SELECT grid_id, lon, lat FROM incident ORDER BY id", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *grid = (const char *) sqlite3_column_text (stmt, 0);
      double lon = sqlite3_column_double (stmt, 1), lat = sqlite3_column_double (stmt, 2);
      guint containing = 0;

      g_assert_nonnull (grid);
      g_assert_true (ring_contains (g_hash_table_lookup (rings, grid), lon, lat));
      for (guint k = 0; k < ids->len; k++)
        if (ring_contains (g_hash_table_lookup (rings, g_ptr_array_index (ids, k)), lon, lat))
          containing++;
      g_assert_cmpuint (containing, ==, 1);
      n_incidents++;
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (n_incidents, ==, N_INCIDENTS);
}

/* The base map's roads are the roads of the addresses: every address on a road names one
 * of them, and every road runs along the blocks' shared edges, vertex for vertex. Places
 * lie in the cells they name. */
static void
test_map (void)
{
  WhDb *db = shared_db;
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDemoMap) map = wh_demo_map_load (db, &error);
  g_autoptr (GHashTable) vertices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) rings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_array_unref);
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  guint n_major = 0, n_on_road = 0, n_compounds = 0, n_landmarks = 0;

  g_assert_no_error (error);
  g_assert_nonnull (map);

  stmt = wh_db_prepare (db, "SELECT id, polygon FROM grid_cell", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GArray *ring = read_ring ((const char *) sqlite3_column_text (stmt, 1));

      for (guint k = 0; k < ring->len; k += 2)
        g_hash_table_add (vertices, g_strdup_printf ("%.6f,%.6f", g_array_index (ring, double, k),
                                                     g_array_index (ring, double, k + 1)));
      g_hash_table_insert (rings, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), ring);
    }
  sqlite3_reset (stmt);

  /* 7 east–west and 11 north–south lattice lines, four of them the main roads around. */
  g_assert_cmpuint (map->roads->len, ==, 18);
  for (guint i = 0; i < map->roads->len; i++)
    {
      WhDemoMapRoad *road = g_ptr_array_index (map->roads, i);

      g_assert_false (g_hash_table_contains (names, road->name));
      g_hash_table_add (names, road->name);
      n_major += road->major;
      g_assert_cmpuint (road->line->len, >=, 7);
      for (guint p = 0; p < road->line->len; p++)
        {
          WhLonLat *pt = &g_array_index (road->line, WhLonLat, p);
          g_autofree char *key = g_strdup_printf ("%.6f,%.6f", pt->lon, pt->lat);

          g_assert_true (g_hash_table_contains (vertices, key));
        }
    }
  g_assert_cmpuint (n_major, ==, 4);

  stmt = wh_db_prepare (db, "SELECT address FROM incident", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *address = (const char *) sqlite3_column_text (stmt, 0);
      gboolean found = FALSE;

      if (!g_str_has_suffix (address, "号") || g_str_has_suffix (address, "号楼"))
        continue;
      for (guint i = 0; i < map->roads->len && !found; i++)
        found = strstr (address, ((WhDemoMapRoad *) g_ptr_array_index (map->roads, i))->name) != NULL;
      if (!found)
        g_error ("The address “%s” names no road of the map", address);
      n_on_road++;
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (n_on_road, >, N_INCIDENTS / 20);

  for (guint i = 0; i < map->places->len; i++)
    {
      WhDemoMapPlace *place = g_ptr_array_index (map->places, i);
      GArray *ring = g_hash_table_lookup (rings, place->grid_id);

      g_assert_nonnull (ring);
      g_assert_true (ring_contains (ring, place->lon, place->lat));
      n_compounds += place->kind == WH_DEMO_PLACE_COMPOUND;
      n_landmarks += place->kind == WH_DEMO_PLACE_LANDMARK;
    }
  g_assert_cmpuint (n_compounds, ==, g_hash_table_size (rings));
  g_assert_cmpuint (n_landmarks, ==, g_hash_table_size (rings));

  /* A damaged map is refused with a clear error, not half read. */
  {
    g_autoptr (WhDemoMap) broken = NULL;

    broken = wh_demo_map_parse ("{\"version\":1,\"roads\":[{\"name\":\"x\",\"line\":[[1,2]]}]}", &error);
    g_assert_null (broken);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_clear_error (&error);
    broken = wh_demo_map_parse ("[]", &error);
    g_assert_null (broken);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_clear_error (&error);
  }
}

static void
assert_same_projection (WhIncident *stored,
                        WhIncident *replayed)
{
  g_assert_cmpstr (stored->id, ==, replayed->id);
  g_assert_cmpstr (stored->number, ==, replayed->number);
  g_assert_cmpint (stored->status, ==, replayed->status);
  g_assert_cmpstr (stored->lead_unit_id, ==, replayed->lead_unit_id);
  g_assert_cmpstr (stored->category_code, ==, replayed->category_code);
  g_assert_cmpstr (stored->grid_id, ==, replayed->grid_id);
  g_assert_cmpint (stored->priority, ==, replayed->priority);
  g_assert_cmpint (stored->reported_at, ==, replayed->reported_at);
  g_assert_cmpint (stored->registered_at, ==, replayed->registered_at);
  g_assert_cmpint (stored->whistled_at, ==, replayed->whistled_at);
  g_assert_cmpint (stored->response_due_at, ==, replayed->response_due_at);
  g_assert_cmpint (stored->handling_due_at, ==, replayed->handling_due_at);
  g_assert_cmpint (stored->resolved_at, ==, replayed->resolved_at);
  g_assert_cmpint (stored->closed_at, ==, replayed->closed_at);
  g_assert_cmpstr (stored->legal_review, ==, replayed->legal_review);
  g_assert_cmpint (stored->rating, ==, replayed->rating);
  g_assert_cmpint (stored->rework_count, ==, replayed->rework_count);
  g_assert_cmpint (stored->return_count, ==, replayed->return_count);
  g_assert_cmpint (stored->escalated, ==, replayed->escalated);
  g_assert_cmpint (stored->last_seq, ==, replayed->last_seq);
  g_assert_cmpint (stored->updated_at, ==, replayed->updated_at);
  g_assert_cmpuint (stored->units->len, ==, replayed->units->len);
  for (guint k = 0; k < replayed->units->len; k++)
    {
      WhIncidentUnit *r = g_ptr_array_index (replayed->units, k);
      WhIncidentUnit *s = wh_incident_find_unit (stored, r->unit_id);

      g_assert_nonnull (s);
      g_assert_cmpint (s->lead, ==, r->lead);
      g_assert_cmpint (s->whistled_at, ==, r->whistled_at);
      g_assert_cmpint (s->acknowledged_at, ==, r->acknowledged_at);
      g_assert_cmpint (s->returned_at, ==, r->returned_at);
    }
}

/* Every stored projection is what its timeline adds up to, and every step of every
 * timeline is one the lifecycle allows, by the role that took it, in time order. */
static void
test_histories (void)
{
  WhDb *db = shared_db;
  g_autoptr (WhIncidentStore) store = wh_incident_store_new (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) majors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint seen[WH_N_STATUSES] = { 0 };
  guint actions[WH_N_ACTIONS] = { 0 };
  sqlite3_stmt *stmt;

  stmt = wh_db_prepare (db, "SELECT code FROM category WHERE major = 1", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (majors, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  stmt = wh_db_prepare (db, "SELECT id FROM incident ORDER BY number", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  g_assert_cmpuint (ids->len, ==, N_INCIDENTS);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (WhIncident) stored = wh_incident_store_get (store, g_ptr_array_index (ids, i), &error);
      g_autoptr (GPtrArray) events = NULL;
      g_autoptr (WhIncident) replayed = wh_incident_new ();
      gboolean major;

      g_assert_no_error (error);
      events = wh_incident_store_list_events (store, stored->id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (events->len, >=, 1);
      major = g_hash_table_contains (majors, stored->category_code);

      for (guint k = 0; k < events->len; k++)
        {
          WhIncidentEvent *event = g_ptr_array_index (events, k);

          g_assert_cmpint (event->seq, ==, k + 1);
          g_assert_cmpint (event->at, <=, end_time);
          actions[event->action]++;
          if (k == 0)
            {
              g_assert_cmpint (event->action, ==, WH_ACTION_REPORT);
              g_assert_true (wh_lifecycle_can_report (event->actor_role, NULL));
            }
          else
            {
              WhIncidentEvent *before = g_ptr_array_index (events, k - 1);
              WhLifecycleFacts facts;
              WhStatus next;
              g_autofree char *reason = NULL;

              g_assert_cmpint (event->at, >=, before->at);
              g_assert_cmpint (event->from_status, ==, replayed->status);
              wh_incident_get_facts (replayed, event->unit_id, major, &facts);
              if (!wh_lifecycle_decide (replayed->status, event->action, event->actor_role,
                                        &facts, &next, &reason))
                g_error ("%s step %u (%s from %s): %s", stored->number, k + 1,
                         wh_action_to_string (event->action),
                         wh_status_to_string (replayed->status), reason);
              g_assert_cmpint (next, ==, event->to_status);
            }
          g_assert_nonnull (event->actor_name);
          g_assert_cmpstr (event->actor_name, !=, "");
          wh_incident_apply_event (replayed, event);
        }
      assert_same_projection (stored, replayed);
      seen[stored->status]++;
    }

  /* Every state occurs, and every kind of step. */
  for (guint s = 0; s < WH_N_STATUSES; s++)
    if (seen[s] == 0)
      g_error ("no incident is %s", wh_status_to_string (s));
  for (guint a = 0; a < WH_N_ACTIONS; a++)
    if (actions[a] == 0)
      g_error ("no history has a %s step", wh_action_to_string (a));
}

/* The side paths in about the proportions of a real street. */
static void
test_proportions (void)
{
  WhDb *db = shared_db;
  double n = N_INCIDENTS;
  double not_accepted = query_int (db, "SELECT count(*) FROM incident WHERE status = 'not_accepted'") / n;
  double returned = query_int (db, "SELECT count(*) FROM incident WHERE return_count > 0") / n;
  double rework = query_int (db, "SELECT count(*) FROM incident WHERE rework_count > 0") / n;
  double escalated = query_int (db, "SELECT count(*) FROM incident WHERE escalated") / n;
  double resolved_late = (double) query_int (db, "SELECT count(*) FROM incident WHERE resolved_at > handling_due_at") /
                         query_int (db, "SELECT count(*) FROM incident WHERE resolved_at IS NOT NULL");
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM incident WHERE status IN ('whistled', "
                                          "'acknowledged', 'in_progress', 'legal_review', 'rework') "
                                          "AND handling_due_at < %" G_GINT64_FORMAT, end_time);

  g_test_message ("not accepted %.3f, returned %.3f, rework %.3f, escalated %.3f, late %.3f",
                  not_accepted, returned, rework, escalated, resolved_late);
  g_assert_cmpfloat (not_accepted, >, 0.01);
  g_assert_cmpfloat (not_accepted, <, 0.06);
  g_assert_cmpfloat (returned, >, 0.03);
  g_assert_cmpfloat (returned, <, 0.10);
  g_assert_cmpfloat (rework, >, 0.03);
  g_assert_cmpfloat (rework, <, 0.11);
  g_assert_cmpfloat (escalated, >, 0.005);
  g_assert_cmpfloat (escalated, <, 0.05);
  g_assert_cmpfloat (resolved_late, >, 0.04);
  g_assert_cmpfloat (resolved_late, <, 0.16);
  /* Some open incidents are overdue at the end. */
  g_assert_cmpint (query_int (db, sql), >, 0);

  /* Every source occurs; hotline and patrol lead. */
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT source) FROM incident"), ==, 6);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident WHERE source IN ('hotline', 'patrol')"),
                   >, N_INCIDENTS / 2);
  /* Reporters are named where there is someone to name. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident WHERE source IN ('hotline', "
                                  "'walk_in') AND (reporter_name = '' OR reporter_phone = '')"), ==, 0);
  /* Summer is busier than winter, weekdays busier than Sundays. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident WHERE strftime ('%m', reported_at / "
                                  "1000000 + 28800, 'unixepoch') = '07'"), >,
                   query_int (db, "SELECT count(*) FROM incident WHERE strftime ('%m', reported_at / "
                                  "1000000 + 28800, 'unixepoch') = '01'"));
  /* Numbers count up by report day, from 0001 without gaps. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM (SELECT substr (number, 1, 18) AS day, "
                                  "count(*) AS n, max (CAST (substr (number, 20) AS INTEGER)) AS top "
                                  "FROM incident GROUP BY day) WHERE n != top"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident WHERE substr (number, 11, 8) != "
                                  "strftime ('%Y%m%d', reported_at / 1000000 + 28800, 'unixepoch')"), ==, 0);
  /* Deadlines follow from the whistle; urgent incidents get shorter ones. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident WHERE whistled_at IS NOT NULL AND "
                                  "(response_due_at <= whistled_at OR handling_due_at < response_due_at)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident WHERE priority > 0"), >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident WHERE rating IS NOT NULL"), >, N_INCIDENTS / 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident_unit WHERE role = 'cooperating'"), >, 0);
}

static void
test_refusals (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *before = digest_db (shared_db);
  g_autofree char *after = NULL;
  WhDemoOptions options;

  /* The same street twice: refused, nothing written. */
  wh_demo_options_init (&options, end_time);
  options.n_incidents = 10;
  g_assert_false (wh_demo_generate (shared_db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  /* Bad options. */
  options.street_code = "1101";
  g_assert_false (wh_demo_generate (shared_db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Cancelled before it starts: nothing written. */
  options.street_code = "110102098";
  options.street_name = "示范街道";
  g_cancellable_cancel (cancellable);
  g_assert_false (wh_demo_generate (shared_db, &options, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  after = digest_db (shared_db);
  g_assert_cmpstr (before, ==, after);
}

static void
cancel_halfway (double   fraction,
                gpointer user_data)
{
  if (fraction > 0.5)
    g_cancellable_cancel (user_data);
}

/* A second street into the same database (as on a district server): its own codes and
 * UUIDs, the shared catalogue kept; cancelling midway leaves nothing of it behind. */
static void
test_second_street (void)
{
  g_autoptr (WhDb) db = generate ("two.db", WH_DEMO_DEFAULT_SEED, 300, NULL, NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *before = digest_db (db);
  g_autofree char *after = NULL;
  g_autofree char *meta = NULL;
  WhDemoOptions options;

  wh_demo_options_init (&options, end_time);
  options.n_incidents = 5000;
  options.street_code = "110102003";
  options.street_name = "月华街道";
  g_assert_false (wh_demo_generate (db, &options, cancel_halfway, cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  after = digest_db (db);
  g_assert_cmpstr (before, ==, after);

  options.n_incidents = 300;
  g_assert_true (wh_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM street"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM incident WHERE street_id = '110102003' "
                                  "AND number LIKE '110102003-%'"), ==, 300);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM grid_cell WHERE id LIKE '110102003%'"), >=, 55);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE street_id = '110102003' AND "
                                  "kind = 'stationed' AND name LIKE '%月华%'"), >=, 4);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT code) FROM category"), ==,
                   query_int (db, "SELECT count(*) FROM category"));
  /* The cache still belongs to the street generated first. */
  meta = wh_db_get_meta (db, "street_id");
  g_assert_cmpstr (meta, ==, WH_DEMO_DEFAULT_STREET_CODE);
  /* And so does its base map: no road of the second street is in it. */
  {
    g_autoptr (WhDemoMap) map = wh_demo_map_load (db, &error);

    g_assert_no_error (error);
    g_assert_nonnull (map);
    g_assert_cmpuint (map->places->len, >, 0);
    for (guint i = 0; i < map->places->len; i++)
      g_assert_true (g_str_has_prefix (((WhDemoMapPlace *) g_ptr_array_index (map->places, i))->grid_id,
                                       WH_DEMO_DEFAULT_STREET_CODE));
  }
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("whistle-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  end_time = fixed_end ();
  shared_db = generate ("demo.db", WH_DEMO_DEFAULT_SEED, N_INCIDENTS, NULL, NULL);
  shared_digest = digest_db (shared_db);

  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/organisation", test_organisation);
  g_test_add_func ("/demo/duty", test_duty);
  g_test_add_func ("/demo/geography", test_geography);
  g_test_add_func ("/demo/map", test_map);
  g_test_add_func ("/demo/histories", test_histories);
  g_test_add_func ("/demo/proportions", test_proportions);
  g_test_add_func ("/demo/refusals", test_refusals);
  g_test_add_func ("/demo/second-street", test_second_street);

  status = g_test_run ();

  g_clear_object (&shared_db);
  g_free (shared_digest);
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
