/* wh-grid-store.c — the street's geography, read for the map and for labels */
#include "config.h"

#include "wh-grid-store.h"
#include "wh-incident-query.h"
#include "wh-store-sql.h"

struct _WhGridStore
{
  GObject     parent_instance;
  WhDb       *db;
  GHashTable *cell_names; /* id → name, filled on first lookup */
};

G_DEFINE_FINAL_TYPE (WhGridStore, wh_grid_store, G_TYPE_OBJECT)

static void
wh_grid_store_finalize (GObject *object)
{
  WhGridStore *self = WH_GRID_STORE (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->cell_names, g_hash_table_unref);

  G_OBJECT_CLASS (wh_grid_store_parent_class)->finalize (object);
}

static void
wh_grid_store_class_init (WhGridStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_grid_store_finalize;
}

static void
wh_grid_store_init (WhGridStore *self)
{}

WhGridStore *
wh_grid_store_new (WhDb *db)
{
  WhGridStore *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_GRID_STORE, NULL);
  self->db = g_object_ref (db);
  return self;
}

WhDb *
wh_grid_store_get_db (WhGridStore *self)
{
  g_return_val_if_fail (WH_IS_GRID_STORE (self), NULL);
  return self->db;
}

void
wh_grid_store_reload (WhGridStore *self)
{
  g_return_if_fail (WH_IS_GRID_STORE (self));
  g_clear_pointer (&self->cell_names, g_hash_table_unref);
}

WhStreet *
wh_grid_store_get_street (WhGridStore *self, GError **error)
{
  g_autoptr (WhStreet) street = NULL;
  g_autofree char *street_id = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (WH_IS_GRID_STORE (self), NULL);

  street_id = wh_db_get_meta (self->db, "street_id");
  if (street_id == NULL || *street_id == '\0')
    return NULL;

  stmt = wh_db_prepare (self->db,
                        "SELECT id, name, district, center_lon, center_lat FROM street "
                        "WHERE id = ?1",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, street_id, -1, SQLITE_TRANSIENT);

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      street = wh_street_new ();
      street->id = wh_db_column_dup_text (stmt, 0);
      street->name = wh_db_column_dup_text (stmt, 1);
      street->district = wh_db_column_dup_text (stmt, 2);
      street->center_lon = sqlite3_column_double (stmt, 3);
      street->center_lat = sqlite3_column_double (stmt, 4);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&street);
}

GListModel *
wh_grid_store_list_communities (WhGridStore *self, GError **error)
{
  g_autoptr (GListStore) list = NULL;
  sqlite3_stmt *stmt;
  guint         index = 0;
  int           rc;

  g_return_val_if_fail (WH_IS_GRID_STORE (self), NULL);

  stmt = wh_db_prepare (self->db,
                        "SELECT c.id, c.street_id, c.name, "
                        "  (SELECT count(*) FROM grid_cell g WHERE g.community_id = c.id) "
                        "FROM community c ORDER BY c.id",
                        error);
  if (stmt == NULL)
    return NULL;

  list = g_list_store_new (WH_TYPE_COMMUNITY);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (WhCommunity) community = wh_community_new ();

      community->id = wh_db_column_dup_text (stmt, 0);
      community->street_id = wh_db_column_dup_text (stmt, 1);
      community->name = wh_db_column_dup_text (stmt, 2);
      community->n_cells = sqlite3_column_int (stmt, 3);
      community->index = index++;
      g_list_store_append (list, community);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&list));
}

GHashTable *
wh_grid_store_count_open_by_cell (WhGridStore *self, GError **error)
{
  g_autoptr (GHashTable) counts = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (WH_IS_GRID_STORE (self), NULL);

  sql = g_strdup_printf ("SELECT grid_id, count(*) FROM incident "
                         "WHERE grid_id IS NOT NULL AND status IN %s GROUP BY grid_id",
                         wh_store_sql_open_statuses ());
  stmt = wh_db_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_replace (counts, wh_db_column_dup_text (stmt, 0),
                          GUINT_TO_POINTER ((guint) sqlite3_column_int (stmt, 1)));
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&counts);
}

GListModel *
wh_grid_store_list_cells (WhGridStore *self, GError **error)
{
  g_autoptr (GListStore) list = NULL;
  g_autoptr (GHashTable) open = NULL;
  g_autoptr (GHashTable) community_index = NULL;
  g_autoptr (GListModel) communities = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (WH_IS_GRID_STORE (self), NULL);

  if (!(open = wh_grid_store_count_open_by_cell (self, error)))
    return NULL;
  if (!(communities = wh_grid_store_list_communities (self, error)))
    return NULL;
  community_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < g_list_model_get_n_items (communities); i++)
    {
      g_autoptr (WhCommunity) c = g_list_model_get_item (communities, i);
      /* The key stays alive: @communities holds the item until we return. */
      g_hash_table_insert (community_index, c->id, GUINT_TO_POINTER (c->index + 1));
    }

  stmt = wh_db_prepare (self->db,
                        "SELECT g.id, g.community_id, c.name, g.name, g.polygon, "
                        "       g.centroid_lon, g.centroid_lat "
                        "FROM grid_cell g LEFT JOIN community c ON c.id = g.community_id "
                        "ORDER BY g.id",
                        error);
  if (stmt == NULL)
    return NULL;

  list = g_list_store_new (WH_TYPE_GRID_CELL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (WhGridCell) cell = wh_grid_cell_new ();
      g_autoptr (GError) local_error = NULL;

      cell->id = wh_db_column_dup_text (stmt, 0);
      cell->community_id = wh_db_column_dup_text (stmt, 1);
      cell->community_name = wh_db_column_dup_text (stmt, 2);
      cell->name = wh_db_column_dup_text (stmt, 3);
      if (!wh_grid_cell_set_geojson (cell, wh_db_column_text (stmt, 4), &local_error))
        {
          sqlite3_reset (stmt);
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Grid cell %s: ", cell->id);
          return NULL;
        }
      cell->centroid_lon = sqlite3_column_double (stmt, 5);
      cell->centroid_lat = sqlite3_column_double (stmt, 6);
      cell->community_index =
        MAX (1, GPOINTER_TO_UINT (g_hash_table_lookup (
                  community_index, cell->community_id ? cell->community_id : ""))) -
        1;
      cell->n_open = GPOINTER_TO_UINT (g_hash_table_lookup (open, cell->id));
      g_list_store_append (list, cell);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&list));
}

GArray *
wh_grid_store_list_incident_points (WhGridStore           *self,
                                    const WhIncidentQuery *query,
                                    GError               **error)
{
  g_autoptr (GArray) points = NULL;
  g_autofree char *sql = NULL;
  WhIncidentQuerySql where;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (WH_IS_GRID_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!wh_incident_query_sql_init (&where, self->db, query, error))
    return NULL;
  sql = g_strdup_printf ("SELECT lon, lat, status, priority, %s, rowid FROM incident "
                         "WHERE lon IS NOT NULL AND lat IS NOT NULL AND %s",
                         WH_STORE_SQL_DUE_NOW, where.where);
  stmt = wh_db_prepare (self->db, sql, error);
  if (stmt == NULL)
    {
      wh_incident_query_sql_clear (&where);
      return NULL;
    }
  wh_incident_query_sql_bind (&where, stmt);
  wh_incident_query_sql_clear (&where);

  points = g_array_new (FALSE, FALSE, sizeof (WhIncidentPoint));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WhIncidentPoint p;

      p.lon = sqlite3_column_double (stmt, 0);
      p.lat = sqlite3_column_double (stmt, 1);
      if (!wh_status_from_string (wh_db_column_text (stmt, 2), &p.status))
        continue; /* a status this build does not know cannot be coloured; skip the dot */
      p.priority = sqlite3_column_int (stmt, 3);
      p.due_at = sqlite3_column_int64 (stmt, 4);
      p.rowid = sqlite3_column_int64 (stmt, 5);
      g_array_append_val (points, p);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&points);
}

/* The first moment of @now's month in the street's time zone. */
static gint64
month_start (gint64 now)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) first = NULL;

  if (utc == NULL || (local = g_date_time_to_timezone (utc, wh_store_street_time_zone ())) == NULL)
    return now;
  first = g_date_time_new (wh_store_street_time_zone (), g_date_time_get_year (local),
                           g_date_time_get_month (local), 1, 0, 0, 0);
  return first != NULL ? g_date_time_to_unix (first) * G_USEC_PER_SEC : now;
}

GHashTable *
wh_grid_store_count_by_cell (WhGridStore *self, WhGridMeasure measure, gint64 now, GError **error)
{
  g_autoptr (GHashTable) counts = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (WH_IS_GRID_STORE (self), NULL);
  g_return_val_if_fail (measure < WH_N_GRID_MEASURES, NULL);

  switch (measure)
    {
    case WH_GRID_MEASURE_OVERDUE:
      sql = g_strdup_printf ("SELECT grid_id, count(*) FROM incident WHERE grid_id IS NOT NULL "
                             "AND status IN %s AND %s < ?1 GROUP BY grid_id",
                             wh_store_sql_open_statuses (), WH_STORE_SQL_DUE_NOW);
      break;
    case WH_GRID_MEASURE_THIS_MONTH:
      sql = g_strdup ("SELECT grid_id, count(*) FROM incident WHERE grid_id IS NOT NULL "
                      "AND reported_at >= ?1 GROUP BY grid_id");
      now = month_start (now);
      break;
    case WH_GRID_MEASURE_OPEN:
    default:
      return wh_grid_store_count_open_by_cell (self, error);
    }

  stmt = wh_db_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_replace (counts, wh_db_column_dup_text (stmt, 0),
                          GUINT_TO_POINTER ((guint) sqlite3_column_int (stmt, 1)));
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&counts);
}

char *
wh_grid_store_dup_incident_id (WhGridStore *self, gint64 rowid)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  char         *id = NULL;
  int           rc;

  g_return_val_if_fail (WH_IS_GRID_STORE (self), NULL);

  stmt = wh_db_prepare (self->db, "SELECT id FROM incident WHERE rowid = ?", &error);
  if (stmt == NULL)
    {
      g_warning ("Could not look up an incident: %s", error->message);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, rowid);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      id = wh_db_column_dup_text (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  if (!wh_db_finish (self->db, stmt, rc, &error))
    g_warning ("Could not look up an incident: %s", error->message);
  return id;
}

gint64
wh_grid_store_lookup_incident_rowid (WhGridStore *self, const char *incident_id)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64        rowid = 0;
  int           rc;

  g_return_val_if_fail (WH_IS_GRID_STORE (self), 0);

  if (incident_id == NULL)
    return 0;
  stmt = wh_db_prepare (self->db, "SELECT rowid FROM incident WHERE id = ?", &error);
  if (stmt == NULL)
    {
      g_warning ("Could not look up an incident: %s", error->message);
      return 0;
    }
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      rowid = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  if (!wh_db_finish (self->db, stmt, rc, &error))
    g_warning ("Could not look up an incident: %s", error->message);
  return rowid;
}

const char *
wh_grid_store_lookup_cell_name (WhGridStore *self, const char *grid_id)
{
  g_return_val_if_fail (WH_IS_GRID_STORE (self), NULL);

  if (grid_id == NULL)
    return NULL;

  if (self->cell_names == NULL)
    {
      g_autoptr (GError) error = NULL;
      sqlite3_stmt *stmt;
      int           rc;

      self->cell_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      stmt = wh_db_prepare (self->db, "SELECT id, name FROM grid_cell", &error);
      if (stmt == NULL)
        {
          g_warning ("Could not read the grid cells: %s", error->message);
          return NULL;
        }
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_hash_table_replace (self->cell_names, wh_db_column_dup_text (stmt, 0),
                              wh_db_column_dup_text (stmt, 1));
      if (!wh_db_finish (self->db, stmt, rc, &error))
        g_warning ("Could not read the grid cells: %s", error->message);
    }

  return g_hash_table_lookup (self->cell_names, grid_id);
}
