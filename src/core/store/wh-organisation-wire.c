/* wh-organisation-wire.c — a street's organisation as JSON, out of one database, into another */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-geo.h"
#include "wh-organisation-wire.h"

typedef enum {
  COLUMN_VALUE,  /* text or number, as stored */
  COLUMN_JSON,   /* text holding JSON, sent as JSON */
} ColumnKind;

typedef struct {
  const char *name;
  ColumnKind  kind;
  const char *select;  /* an SQL expression instead of the column (?1 is the street), or NULL */
} Column;

typedef struct {
  const char   *member;   /* in the JSON object */
  const char   *table;
  const char   *key;      /* the primary key, for the upsert's conflict target */
  const char   *filter;   /* which rows belong to street ?1 */
  const char   *order;
  const Column *columns;
} Table;

#define END { NULL, 0, NULL }

static const Column street_columns[] = {
  { "id" }, { "name" }, { "district" }, { "center_lon" }, { "center_lat" }, END
};
static const Column community_columns[] = {
  { "id" }, { "street_id" }, { "name" }, END
};
static const Column grid_cell_columns[] = {
  { "id" }, { "community_id" }, { "name" }, { "polygon", COLUMN_JSON }, { "centroid_lon" },
  { "centroid_lat" }, END
};
static const Column unit_columns[] = {
  { "id" }, { "street_id" }, { "name" }, { "short_name" }, { "kind" }, { "parent_department" },
  { "phone" }, { "sort_order" }, END
};
static const Column staff_columns[] = {
  { "id" }, { "unit_id" }, { "name" }, { "role" }, { "title" }, { "phone" },
  { "stationed_since" }, { "stationed_until" }, END
};
static const Column duty_shift_columns[] = {
  { "id" }, { "staff_id" }, { "post" }, { "starts_at" }, { "ends_at" }, END
};
static const Column priority_columns[] = {
  { "level" }, { "name" }, { "factor" }, END
};
static const Column category_columns[] = {
  { "code" }, { "parent_code" }, { "name" }, { "kind" },
  /* The catalogue is shared by the district's streets, but a default lead unit is one
   * street's unit: another street's desk has no such unit and could not store it. */
  { "default_lead_unit", COLUMN_VALUE,
    "CASE WHEN ?1 IS NULL OR default_lead_unit IN (SELECT id FROM unit WHERE street_id = ?1) "
    "THEN default_lead_unit END" },
  { "response_minutes" }, { "handling_minutes" }, { "working_hours" }, { "major" }, END
};
static const Column calendar_columns[] = {
  { "day" }, { "is_workday" }, { "name" }, END
};
static const Column grid_duty_columns[] = {
  { "grid_id" }, { "category_code" }, { "staff_id" }, END
};

#define STREET_UNITS "(SELECT id FROM unit WHERE street_id = ?1)"
#define STREET_COMMUNITIES "(SELECT id FROM community WHERE street_id = ?1)"

/* In an order in which every row's references are already there. */
static const Table tables[] = {
  { "streets", "street", "id", "id = ?1", "id", street_columns },
  { "communities", "community", "id", "street_id = ?1", "id", community_columns },
  { "grid_cells", "grid_cell", "id", "community_id IN " STREET_COMMUNITIES, "id", grid_cell_columns },
  { "units", "unit", "id", "street_id = ?1", "sort_order, id", unit_columns },
  { "staff", "staff", "id", "unit_id IN " STREET_UNITS, "id", staff_columns },
  { "duty_shifts", "duty_shift", "id",
    "staff_id IN (SELECT id FROM staff WHERE unit_id IN " STREET_UNITS ")", "id", duty_shift_columns },
  { "priorities", "priority", "level", NULL, "level", priority_columns },
  /* Classes before their subcategories. */
  { "categories", "category", "code", NULL, "parent_code IS NOT NULL, code", category_columns },
  { "calendar_exceptions", "calendar_exception", "day", NULL, "day", calendar_columns },
  { "grid_duty", "grid_duty", "grid_id, category_code",
    "grid_id IN (SELECT id FROM grid_cell WHERE community_id IN " STREET_COMMUNITIES ")",
    "grid_id, category_code", grid_duty_columns },
};

static char *
select_sql (const Table *table)
{
  GString *sql = g_string_new ("SELECT ");

  for (const Column *c = table->columns; c->name != NULL; c++)
    {
      if (c != table->columns)
        g_string_append (sql, ", ");
      g_string_append (sql, c->select ? c->select : c->name);
    }
  g_string_append_printf (sql, " FROM %s", table->table);
  if (table->filter != NULL)
    g_string_append_printf (sql, " WHERE ?1 IS NULL OR %s", table->filter);
  g_string_append_printf (sql, " ORDER BY %s", table->order);
  return g_string_free (sql, FALSE);
}

static gboolean
export_table (WhDb        *db,
              const Table *table,
              const char  *street_id,
              JsonBuilder *b,
              GError     **error)
{
  g_autofree char *sql = select_sql (table);
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  /* Shared tables may not mention ?1 at all; binding it then is a harmless SQLITE_RANGE. */
  wh_db_bind_text_or_null (stmt, 1, street_id);

  json_builder_set_member_name (b, table->member);
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int i = 0;

      json_builder_begin_object (b);
      for (const Column *c = table->columns; c->name != NULL; c++, i++)
        {
          json_builder_set_member_name (b, c->name);
          switch (sqlite3_column_type (stmt, i))
            {
            case SQLITE_NULL:
              json_builder_add_null_value (b);
              break;
            case SQLITE_INTEGER:
              json_builder_add_int_value (b, sqlite3_column_int64 (stmt, i));
              break;
            case SQLITE_FLOAT:
              json_builder_add_double_value (b, sqlite3_column_double (stmt, i));
              break;
            default:
              if (c->kind == COLUMN_JSON)
                {
                  JsonNode *value = json_from_string (wh_db_column_text (stmt, i), NULL);

                  /* A damaged cell goes as the text it is rather than failing the export. */
                  if (value == NULL)
                    json_builder_add_string_value (b, wh_db_column_text (stmt, i));
                  else
                    json_builder_add_value (b, value);
                }
              else
                json_builder_add_string_value (b, wh_db_column_text (stmt, i));
              break;
            }
        }
      json_builder_end_object (b);
    }
  sqlite3_reset (stmt);
  json_builder_end_array (b);
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (db, error);
      return FALSE;
    }
  return TRUE;
}

JsonNode *
wh_organisation_export (WhDb       *db,
                        const char *street_id,
                        GError    **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gboolean own_transaction;
  gboolean ok = TRUE;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  /* One snapshot, so the rows refer to each other consistently. */
  own_transaction = !wh_db_in_transaction (db);
  if (own_transaction && !wh_db_exec (db, "BEGIN DEFERRED", error))
    return NULL;

  json_builder_begin_object (b);
  for (guint i = 0; ok && i < G_N_ELEMENTS (tables); i++)
    ok = export_table (db, &tables[i], street_id, b, error);
  json_builder_end_object (b);

  if (own_transaction)
    wh_db_exec (db, "COMMIT", NULL);
  return ok ? json_builder_get_root (b) : NULL;
}

/* Import */

static gboolean
is_key (const Table *table,
        const char  *column)
{
  g_auto (GStrv) keys = g_strsplit (table->key, ", ", -1);

  return g_strv_contains ((const char *const *) keys, column);
}

static char *
upsert_sql (const Table *table)
{
  GString *sql = g_string_new (NULL);
  gboolean first_update = TRUE;

  g_string_append_printf (sql, "INSERT INTO %s (", table->table);
  for (const Column *c = table->columns; c->name != NULL; c++)
    g_string_append_printf (sql, "%s%s", c == table->columns ? "" : ", ", c->name);
  g_string_append (sql, ") VALUES (");
  for (const Column *c = table->columns; c->name != NULL; c++)
    g_string_append (sql, c == table->columns ? "?" : ", ?");
  /* An upsert, not REPLACE: a row keeps its rowid, which the grid's R*Tree refers to. */
  g_string_append_printf (sql, ") ON CONFLICT (%s) DO ", table->key);
  for (const Column *c = table->columns; c->name != NULL; c++)
    {
      if (is_key (table, c->name))
        continue;
      g_string_append_printf (sql, "%s%s = excluded.%s", first_update ? "UPDATE SET " : ", ",
                              c->name, c->name);
      first_update = FALSE;
    }
  if (first_update)
    g_string_append (sql, "NOTHING");
  return g_string_free (sql, FALSE);
}

static gboolean
wrong_type (const Table *table,
            const char  *column,
            GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The organisation is malformed: “%s” of %s has the wrong type."),
               column, table->member);
  return FALSE;
}

static gboolean
bind_value (sqlite3_stmt *stmt,
            int           index,
            const Table  *table,
            const Column *column,
            JsonNode     *value,
            GError      **error)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      sqlite3_bind_null (stmt, index);
      return TRUE;
    }
  if (column->kind == COLUMN_JSON)
    {
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (value));
      else if (JSON_NODE_HOLDS_OBJECT (value) || JSON_NODE_HOLDS_ARRAY (value))
        text = json_to_string (value, FALSE);
      else
        return wrong_type (table, column->name, error);
      sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (value))
    return wrong_type (table, column->name, error);
  switch (json_node_get_value_type (value))
    {
    case G_TYPE_STRING:
      sqlite3_bind_text (stmt, index, json_node_get_string (value), -1, SQLITE_TRANSIENT);
      return TRUE;
    case G_TYPE_INT64:
      sqlite3_bind_int64 (stmt, index, json_node_get_int (value));
      return TRUE;
    case G_TYPE_DOUBLE:
      sqlite3_bind_double (stmt, index, json_node_get_double (value));
      return TRUE;
    case G_TYPE_BOOLEAN:
      sqlite3_bind_int (stmt, index, json_node_get_boolean (value) ? 1 : 0);
      return TRUE;
    default:
      return wrong_type (table, column->name, error);
    }
}

static gboolean
store_bounds (WhDb        *db,
              JsonObject  *row,
              GError     **error)
{
  g_autoptr (WhGeoPolygon) polygon = NULL;
  g_autofree char *geojson = NULL;
  JsonNode *node = json_object_get_member (row, "polygon");
  WhGeoBounds bounds;
  sqlite3_stmt *stmt;
  int rc;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  geojson = JSON_NODE_HOLDS_VALUE (node) ? g_strdup (json_node_get_string (node))
                                         : json_to_string (node, FALSE);
  polygon = wh_geo_polygon_new_from_geojson (geojson, error);
  if (polygon == NULL)
    return FALSE;
  wh_geo_polygon_get_bounds (polygon, &bounds);

  stmt = wh_db_prepare (db,
                        "INSERT OR REPLACE INTO grid_cell_bounds (id, min_lon, max_lon, min_lat, max_lat) "
                        "SELECT rowid, ?, ?, ?, ? FROM grid_cell WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_double (stmt, 1, bounds.min_lon);
  sqlite3_bind_double (stmt, 2, bounds.max_lon);
  sqlite3_bind_double (stmt, 3, bounds.min_lat);
  sqlite3_bind_double (stmt, 4, bounds.max_lat);
  sqlite3_bind_text (stmt, 5, json_object_get_string_member_with_default (row, "id", ""), -1,
                     SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (db, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
import_table (WhDb        *db,
              const Table *table,
              JsonObject  *organisation,
              GError     **error)
{
  g_autofree char *sql = NULL;
  JsonNode *member = json_object_get_member (organisation, table->member);
  JsonArray *rows;
  sqlite3_stmt *stmt;

  /* A section may be missing (an older server); then there is nothing of it to add. */
  if (member == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The organisation is malformed: %s is not a list."), table->member);
      return FALSE;
    }
  rows = json_node_get_array (member);

  sql = upsert_sql (table);
  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonNode *row_node = json_array_get_element (rows, r);
      JsonObject *row;
      int index = 1;
      int rc;

      if (!JSON_NODE_HOLDS_OBJECT (row_node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The organisation is malformed: a row of %s is not an object."),
                       table->member);
          return FALSE;
        }
      row = json_node_get_object (row_node);

      stmt = wh_db_prepare (db, sql, error);
      if (stmt == NULL)
        return FALSE;
      for (const Column *c = table->columns; c->name != NULL; c++)
        if (!bind_value (stmt, index++, table, c, json_object_get_member (row, c->name), error))
          {
            sqlite3_reset (stmt);
            return FALSE;
          }
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          wh_db_set_error (db, error);
          g_prefix_error (error, _("Could not store a row of %s: "), table->member);
          return FALSE;
        }
      if (g_str_equal (table->table, "grid_cell") && !store_bounds (db, row, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
wh_organisation_import (WhDb      *db,
                        JsonNode  *organisation,
                        GError   **error)
{
  JsonObject *object;

  g_return_val_if_fail (WH_IS_DB (db), FALSE);

  if (organisation == NULL || !JSON_NODE_HOLDS_OBJECT (organisation))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The organisation is malformed: it is not a JSON object."));
      return FALSE;
    }
  object = json_node_get_object (organisation);

  if (!wh_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (!import_table (db, &tables[i], object, error))
      {
        wh_db_rollback (db);
        return FALSE;
      }
  return wh_db_commit (db, error);
}
