/* wh-roster-store.c — the organisation of the street, read for the roster */
#include "config.h"

#include "wh-roster-store.h"

struct _WhRosterStore
{
  GObject     parent_instance;
  WhDb       *db;
  GHashTable *units; /* id → WhUnit, filled on first lookup */
};

G_DEFINE_FINAL_TYPE (WhRosterStore, wh_roster_store, G_TYPE_OBJECT)

#define KIND_ORDER                                                                                 \
  "CASE u.kind WHEN 'stationed' THEN 0 WHEN 'listed' THEN 1 WHEN 'street_office' THEN 2 "          \
  "WHEN 'community' THEN 3 ELSE 4 END"

#define ROLE_ORDER                                                                                 \
  "CASE s.role WHEN 'director' THEN 0 WHEN 'duty_officer' THEN 1 WHEN 'unit_liaison' THEN 2 "      \
  "WHEN 'enforcer' THEN 3 WHEN 'grid_worker' THEN 4 ELSE 5 END"

/* Ends a statement: resets it so that no read transaction stays open, and turns anything
 * but SQLITE_DONE into an error. */
static void
wh_roster_store_finalize (GObject *object)
{
  WhRosterStore *self = WH_ROSTER_STORE (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->units, g_hash_table_unref);

  G_OBJECT_CLASS (wh_roster_store_parent_class)->finalize (object);
}

static void
wh_roster_store_class_init (WhRosterStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_roster_store_finalize;
}

static void
wh_roster_store_init (WhRosterStore *self)
{}

WhRosterStore *
wh_roster_store_new (WhDb *db)
{
  WhRosterStore *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_ROSTER_STORE, NULL);
  self->db = g_object_ref (db);
  return self;
}

WhDb *
wh_roster_store_get_db (WhRosterStore *self)
{
  g_return_val_if_fail (WH_IS_ROSTER_STORE (self), NULL);
  return self->db;
}

void
wh_roster_store_reload (WhRosterStore *self)
{
  g_return_if_fail (WH_IS_ROSTER_STORE (self));
  g_clear_pointer (&self->units, g_hash_table_unref);
}

static WhUnit *
unit_from_row (sqlite3_stmt *stmt)
{
  WhUnit *unit = wh_unit_new ();

  unit->id = wh_db_column_dup_text (stmt, 0);
  unit->street_id = wh_db_column_dup_text (stmt, 1);
  unit->name = wh_db_column_dup_text (stmt, 2);
  unit->short_name = wh_db_column_dup_text (stmt, 3);
  if (!wh_unit_kind_from_string (wh_db_column_text (stmt, 4), &unit->kind))
    unit->kind = WH_UNIT_KIND_DISTRICT;
  unit->parent_department = wh_db_column_dup_text (stmt, 5);
  unit->phone = wh_db_column_dup_text (stmt, 6);
  unit->sort_order = sqlite3_column_int (stmt, 7);
  unit->n_staff = sqlite3_column_int (stmt, 8);

  return unit;
}

#define UNIT_COLUMNS                                                                               \
  "u.id, u.street_id, u.name, u.short_name, u.kind, u.parent_department, u.phone, "                \
  "u.sort_order, (SELECT count(*) FROM staff s WHERE s.unit_id = u.id)"

GListModel *
wh_roster_store_list_units (WhRosterStore *self, int kind, GError **error)
{
  g_autoptr (GListStore) list = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (WH_IS_ROSTER_STORE (self), NULL);
  g_return_val_if_fail (kind >= -1 && kind < WH_N_UNIT_KINDS, NULL);

  stmt = wh_db_prepare (self->db,
                        "SELECT " UNIT_COLUMNS " FROM unit u "
                        "WHERE ?1 IS NULL OR u.kind = ?1 "
                        "ORDER BY " KIND_ORDER ", u.sort_order, u.name, u.id",
                        error);
  if (stmt == NULL)
    return NULL;
  wh_db_bind_text_or_null (stmt, 1, kind >= 0 ? wh_unit_kind_to_string (kind) : NULL);

  list = g_list_store_new (WH_TYPE_UNIT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (WhUnit) unit = unit_from_row (stmt);
      g_list_store_append (list, unit);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&list));
}

guint
wh_roster_store_count_units (WhRosterStore *self, int kind, GError **error)
{
  sqlite3_stmt *stmt;
  guint         n = 0;
  int           rc;

  g_return_val_if_fail (WH_IS_ROSTER_STORE (self), 0);
  g_return_val_if_fail (kind >= -1 && kind < WH_N_UNIT_KINDS, 0);

  stmt = wh_db_prepare (self->db, "SELECT count(*) FROM unit WHERE ?1 IS NULL OR kind = ?1", error);
  if (stmt == NULL)
    return 0;
  wh_db_bind_text_or_null (stmt, 1, kind >= 0 ? wh_unit_kind_to_string (kind) : NULL);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  if (!wh_db_finish (self->db, stmt, rc, error))
    return 0;

  return n;
}

WhUnit *
wh_roster_store_lookup_unit (WhRosterStore *self, const char *unit_id)
{
  g_return_val_if_fail (WH_IS_ROSTER_STORE (self), NULL);

  if (unit_id == NULL)
    return NULL;

  if (self->units == NULL)
    {
      g_autoptr (GListModel) all = NULL;
      g_autoptr (GError) error = NULL;

      self->units = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
      all = wh_roster_store_list_units (self, -1, &error);
      if (all == NULL)
        {
          /* A label that cannot be looked up falls back to the id; say why once. */
          g_warning ("Could not read the units: %s", error->message);
          return NULL;
        }
      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        {
          WhUnit *unit = g_list_model_get_item (all, i); /* the table takes the ref */
          g_hash_table_replace (self->units, unit->id, unit);
        }
    }

  return g_hash_table_lookup (self->units, unit_id);
}

#define STAFF_COLUMNS                                                                              \
  "s.id, s.unit_id, s.name, s.role, s.title, s.phone, s.stationed_since, s.stationed_until, "      \
  "(SELECT max(d.ends_at) FROM duty_shift d WHERE d.staff_id = s.id "                              \
  "   AND d.starts_at <= ?1 AND d.ends_at > ?1)"

static WhStaff *
staff_from_row (sqlite3_stmt *stmt)
{
  WhStaff *staff = wh_staff_new ();

  staff->id = wh_db_column_dup_text (stmt, 0);
  staff->unit_id = wh_db_column_dup_text (stmt, 1);
  staff->name = wh_db_column_dup_text (stmt, 2);
  if (!wh_staff_role_from_string (wh_db_column_text (stmt, 3), &staff->role))
    staff->role = WH_STAFF_ROLE_VIEWER;
  staff->title = wh_db_column_dup_text (stmt, 4);
  staff->phone = wh_db_column_dup_text (stmt, 5);
  staff->stationed_since = sqlite3_column_int64 (stmt, 6);
  staff->stationed_until = sqlite3_column_int64 (stmt, 7);
  staff->on_duty = sqlite3_column_type (stmt, 8) != SQLITE_NULL;
  staff->duty_ends_at = sqlite3_column_int64 (stmt, 8);

  return staff;
}

GListModel *
wh_roster_store_list_staff (WhRosterStore *self, const char *unit_id, gint64 at, GError **error)
{
  g_autoptr (GListStore) list = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (WH_IS_ROSTER_STORE (self), NULL);
  g_return_val_if_fail (unit_id != NULL, NULL);

  stmt = wh_db_prepare (self->db,
                        "SELECT " STAFF_COLUMNS " FROM staff s WHERE s.unit_id = ?2 "
                        "ORDER BY " ROLE_ORDER ", s.name, s.id",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_text (stmt, 2, unit_id, -1, SQLITE_TRANSIENT);

  list = g_list_store_new (WH_TYPE_STAFF);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (WhStaff) staff = staff_from_row (stmt);
      g_list_store_append (list, staff);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&list));
}

WhStaff *
wh_roster_store_get_staff (WhRosterStore *self, const char *staff_id, gint64 at, GError **error)
{
  g_autoptr (WhStaff) staff = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (WH_IS_ROSTER_STORE (self), NULL);
  g_return_val_if_fail (staff_id != NULL, NULL);

  stmt = wh_db_prepare (self->db, "SELECT " STAFF_COLUMNS " FROM staff s WHERE s.id = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_text (stmt, 2, staff_id, -1, SQLITE_TRANSIENT);

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    staff = staff_from_row (stmt);
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&staff);
}

GListModel *
wh_roster_store_list_on_duty (WhRosterStore *self, gint64 at, int post, GError **error)
{
  g_autoptr (GListStore) list = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (WH_IS_ROSTER_STORE (self), NULL);
  g_return_val_if_fail (post >= -1 && post < WH_N_DUTY_POSTS, NULL);

  stmt = wh_db_prepare (self->db,
                        "SELECT d.id, d.post, d.starts_at, d.ends_at, s.id, s.name, s.phone, "
                        "       u.id, u.short_name "
                        "FROM duty_shift d JOIN staff s ON s.id = d.staff_id "
                        "LEFT JOIN unit u ON u.id = s.unit_id "
                        "WHERE d.starts_at <= ?1 AND d.ends_at > ?1 "
                        "  AND (?2 IS NULL OR d.post = ?2) "
                        "ORDER BY CASE d.post WHEN 'center_duty' THEN 0 "
                        "  WHEN 'leader_on_call' THEN 1 ELSE 2 END, d.starts_at, s.name, d.id",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, at);
  wh_db_bind_text_or_null (stmt, 2, post >= 0 ? wh_duty_post_to_string (post) : NULL);

  list = g_list_store_new (WH_TYPE_DUTY_SHIFT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (WhDutyShift) shift = wh_duty_shift_new ();

      shift->id = sqlite3_column_int64 (stmt, 0);
      if (!wh_duty_post_from_string (wh_db_column_text (stmt, 1), &shift->post))
        shift->post = WH_DUTY_POST_UNIT_DUTY;
      shift->starts_at = sqlite3_column_int64 (stmt, 2);
      shift->ends_at = sqlite3_column_int64 (stmt, 3);
      shift->staff_id = wh_db_column_dup_text (stmt, 4);
      shift->staff_name = wh_db_column_dup_text (stmt, 5);
      shift->staff_phone = wh_db_column_dup_text (stmt, 6);
      shift->unit_id = wh_db_column_dup_text (stmt, 7);
      shift->unit_short_name = wh_db_column_dup_text (stmt, 8);
      g_list_store_append (list, shift);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&list));
}

GListModel *
wh_roster_store_list_grid_duties (WhRosterStore *self, const char *grid_id, GError **error)
{
  g_autoptr (GListStore) list = NULL;
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (WH_IS_ROSTER_STORE (self), NULL);
  g_return_val_if_fail (grid_id != NULL, NULL);

  stmt = wh_db_prepare (self->db,
                        "SELECT g.grid_id, g.category_code, c.name, s.id, s.name, s.phone, "
                        "       u.id, u.short_name "
                        "FROM grid_duty g JOIN staff s ON s.id = g.staff_id "
                        "LEFT JOIN category c ON c.code = g.category_code "
                        "LEFT JOIN unit u ON u.id = s.unit_id "
                        "WHERE g.grid_id = ?1 ORDER BY g.category_code",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, grid_id, -1, SQLITE_TRANSIENT);

  list = g_list_store_new (WH_TYPE_GRID_DUTY);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (WhGridDuty) duty = wh_grid_duty_new ();

      duty->grid_id = wh_db_column_dup_text (stmt, 0);
      duty->category_code = wh_db_column_dup_text (stmt, 1);
      duty->category_name = wh_db_column_dup_text (stmt, 2);
      duty->staff_id = wh_db_column_dup_text (stmt, 3);
      duty->staff_name = wh_db_column_dup_text (stmt, 4);
      duty->staff_phone = wh_db_column_dup_text (stmt, 5);
      duty->unit_id = wh_db_column_dup_text (stmt, 6);
      duty->unit_short_name = wh_db_column_dup_text (stmt, 7);
      g_list_store_append (list, duty);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&list));
}
