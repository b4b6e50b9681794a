/* wh-incident-views.c — ready-made views of the queue */
#include "config.h"

#include "wh-incident-views.h"
#include "wh-store-sql.h"

struct _WhIncidentViews
{
  GObject          parent_instance;
  WhIncidentStore *store;
};

G_DEFINE_FINAL_TYPE (WhIncidentViews, wh_incident_views, G_TYPE_OBJECT)

/* ?1 is the time asked, ?2 and ?3 the street-local day around it. */
static const char *const view_where[WH_N_INCIDENT_VIEWS] = {
  [WH_INCIDENT_VIEW_OVERDUE] = WH_STORE_SQL_DUE_NOW " < ?1",
  [WH_INCIDENT_VIEW_CLOSED_TODAY] =
    "status IN ('closed', 'rated') AND closed_at >= ?2 AND closed_at < ?3",
};

static const char *const view_order[WH_N_INCIDENT_VIEWS] = {
  [WH_INCIDENT_VIEW_OVERDUE] = WH_STORE_SQL_DUE_NOW ", rowid",
  [WH_INCIDENT_VIEW_CLOSED_TODAY] = "closed_at DESC, rowid DESC",
};

static void
wh_incident_views_finalize (GObject *object)
{
  WhIncidentViews *self = WH_INCIDENT_VIEWS (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (wh_incident_views_parent_class)->finalize (object);
}

static void
wh_incident_views_class_init (WhIncidentViewsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_incident_views_finalize;
}

static void
wh_incident_views_init (WhIncidentViews *self)
{}

WhIncidentViews *
wh_incident_views_new (WhIncidentStore *store)
{
  WhIncidentViews *self;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (store), NULL);

  self = g_object_new (WH_TYPE_INCIDENT_VIEWS, NULL);
  self->store = g_object_ref (store);
  return self;
}

static void
bind_times (sqlite3_stmt *stmt, gint64 now)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, wh_store_street_time_zone ());
  g_autoptr (GDateTime) midnight =
    g_date_time_new (wh_store_street_time_zone (), g_date_time_get_year (local),
                     g_date_time_get_month (local), g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr (GDateTime) next = g_date_time_add_days (midnight, 1);

  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (midnight) * G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 3, g_date_time_to_unix (next) * G_USEC_PER_SEC);
}

guint
wh_incident_views_count (WhIncidentViews *self, WhIncidentView view, gint64 now, GError **error)
{
  WhDb            *db;
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  guint            n = 0;
  int              rc;

  g_return_val_if_fail (WH_IS_INCIDENT_VIEWS (self), 0);
  g_return_val_if_fail (view < WH_N_INCIDENT_VIEWS, 0);

  db = wh_incident_store_get_db (self->store);
  sql = g_strdup_printf ("SELECT count(*) FROM incident WHERE %s", view_where[view]);
  stmt = wh_db_prepare (db, sql, error);
  if (stmt == NULL)
    return 0;
  bind_times (stmt, now);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  else
    wh_db_set_error (db, error);
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW ? n : 0;
}

GPtrArray *
wh_incident_views_list (WhIncidentViews *self,
                        WhIncidentView   view,
                        gint64           now,
                        guint            offset,
                        guint            limit,
                        GError         **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  WhDb            *db;
  int              rc;

  g_return_val_if_fail (WH_IS_INCIDENT_VIEWS (self), NULL);
  g_return_val_if_fail (view < WH_N_INCIDENT_VIEWS, NULL);

  db = wh_incident_store_get_db (self->store);
  sql = g_strdup_printf ("SELECT id FROM incident WHERE %s ORDER BY %s LIMIT ?4 OFFSET ?5",
                         view_where[view], view_order[view]);
  stmt = wh_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_times (stmt, now);
  sqlite3_bind_int (stmt, 4, limit);
  sqlite3_bind_int (stmt, 5, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, wh_db_column_dup_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (db, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  /* Read the rows the one way incidents are read, so the views never drift from it. */
  for (guint i = 0; i < ids->len; i++)
    {
      WhIncident *incident = wh_incident_store_get (self->store, g_ptr_array_index (ids, i), error);
      if (incident == NULL)
        return NULL;
      g_ptr_array_add (rows, incident);
    }

  return g_steal_pointer (&rows);
}
