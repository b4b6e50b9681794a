/* wh-assessment-store.c — the monthly summary of the member units */
#include "config.h"

#include <math.h>

#include "wh-assessment-store.h"
#include "wh-store-sql.h"

struct _WhAssessmentStore
{
  GObject parent_instance;
  WhDb   *db;
  char   *measure_sql[WH_N_MEASURES]; /* each measure's predicate over iu and i */
};

G_DEFINE_FINAL_TYPE (WhAssessmentStore, wh_assessment_store, G_TYPE_OBJECT)

/* Ends a statement: the error (if any) is taken before the reset so its message survives,
 * and the reset closes the read transaction. */
/* A summons as lead unit that the unit did not hand back. */
#define LED "(iu.role = 'lead' AND iu.returned_at IS NULL)"

/* The statuses in which an incident is still in the lead unit's hands. */
static const int in_hand_statuses[] = {
  WH_STATUS_WHISTLED,     WH_STATUS_ACKNOWLEDGED, WH_STATUS_IN_PROGRESS,
  WH_STATUS_LEGAL_REVIEW, WH_STATUS_REWORK,       -1,
};

/* The one definition of every measure: a predicate over a summons (iu, an incident_unit
 * row whistled in the period) and its incident (i). The count and the list of incident
 * ids both use it, so a figure always matches the incidents it is traced to. ?3 is the
 * time "overdue" is judged at. */
static void
build_measure_sql (WhAssessmentStore *self)
{
  g_autofree char *in_hand = wh_store_sql_status_list (in_hand_statuses);

  self->measure_sql[WH_MEASURE_WHISTLED] = g_strdup ("1");
  self->measure_sql[WH_MEASURE_REPORTED_IN] = g_strdup ("iu.acknowledged_at IS NOT NULL");
  self->measure_sql[WH_MEASURE_REPORTED_IN_ON_TIME] =
    g_strdup ("(iu.acknowledged_at IS NOT NULL AND i.response_due_at IS NOT NULL "
              "AND iu.acknowledged_at <= i.response_due_at)");
  self->measure_sql[WH_MEASURE_LED] = g_strdup (LED);
  self->measure_sql[WH_MEASURE_RESOLVED] = g_strdup ("(" LED " AND i.resolved_at IS NOT NULL)");
  self->measure_sql[WH_MEASURE_RESOLVED_ON_TIME] =
    g_strdup ("(" LED " AND i.resolved_at IS NOT NULL AND i.handling_due_at IS NOT NULL "
              "AND i.resolved_at <= i.handling_due_at)");
  self->measure_sql[WH_MEASURE_OVERDUE_OPEN] =
    g_strdup_printf ("(" LED " AND i.status IN %s AND i.handling_due_at IS NOT NULL "
                     "AND i.handling_due_at < ?3)",
                     in_hand);
  self->measure_sql[WH_MEASURE_RETURNED] = g_strdup ("iu.returned_at IS NOT NULL");
  self->measure_sql[WH_MEASURE_REWORKED] = g_strdup ("(" LED " AND i.rework_count > 0)");
  self->measure_sql[WH_MEASURE_RATED] = g_strdup ("(" LED " AND coalesce (i.rating, 0) > 0)");
  self->measure_sql[WH_MEASURE_SATISFIED] = g_strdup ("(" LED " AND coalesce (i.rating, 0) >= 4)");
}

static void
wh_assessment_store_finalize (GObject *object)
{
  WhAssessmentStore *self = WH_ASSESSMENT_STORE (object);

  g_clear_object (&self->db);
  for (guint i = 0; i < WH_N_MEASURES; i++)
    g_free (self->measure_sql[i]);

  G_OBJECT_CLASS (wh_assessment_store_parent_class)->finalize (object);
}

static void
wh_assessment_store_class_init (WhAssessmentStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_assessment_store_finalize;
}

static void
wh_assessment_store_init (WhAssessmentStore *self)
{
  build_measure_sql (self);
}

WhAssessmentStore *
wh_assessment_store_new (WhDb *db)
{
  WhAssessmentStore *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_ASSESSMENT_STORE, NULL);
  self->db = g_object_ref (db);
  return self;
}

static gint64
local_month_start (int year, int month)
{
  g_autoptr (GDateTime) dt = NULL;

  /* Normalise month overflow so callers can step across years with month ± 1. */
  while (month > 12)
    {
      month -= 12;
      year++;
    }
  while (month < 1)
    {
      month += 12;
      year--;
    }
  dt = g_date_time_new (wh_store_street_time_zone (), year, month, 1, 0, 0, 0);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

void
wh_period_init_month (WhPeriod *period, int year, int month)
{
  g_return_if_fail (period != NULL);

  period->from = local_month_start (year, month);
  period->to = local_month_start (year, month + 1);
}

void
wh_period_init_month_of (WhPeriod *period, gint64 at)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  g_return_if_fail (period != NULL);

  utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  local = g_date_time_to_timezone (utc, wh_store_street_time_zone ());
  wh_period_init_month (period, g_date_time_get_year (local), g_date_time_get_month (local));
}

static WhUnitFigures *
figures_for (GHashTable *by_unit, GPtrArray *order, sqlite3_stmt *unit_row)
{
  const char    *unit_id = wh_db_column_text (unit_row, 0);
  WhUnitFigures *f = g_hash_table_lookup (by_unit, unit_id);

  if (f == NULL)
    {
      f = wh_unit_figures_new ();
      f->unit_id = g_strdup (unit_id);
      g_hash_table_insert (by_unit, f->unit_id, f);
      g_ptr_array_add (order, f);
    }
  return f;
}

GListModel *
wh_assessment_store_compute (WhAssessmentStore *self,
                             const WhPeriod    *period,
                             gint64             now,
                             GError           **error)
{
  g_autoptr (GHashTable) by_unit = NULL;
  g_autoptr (GPtrArray) order = NULL;
  g_autoptr (GString) sql = NULL;
  g_autoptr (GListStore) list = NULL;
  g_autofree char *from_day = NULL;
  g_autofree char *to_day = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (WH_IS_ASSESSMENT_STORE (self), NULL);
  g_return_val_if_fail (period != NULL, NULL);

  by_unit = g_hash_table_new (g_str_hash, g_str_equal);
  order = g_ptr_array_new_with_free_func (g_object_unref);
  from_day = wh_store_local_day (period->from);
  to_day = wh_store_local_day (period->to);

  /* The units: every member unit, plus any other unit with summons or checks in the
   * period, in the roster's order. */
  stmt = wh_db_prepare (self->db,
                        "SELECT u.id, u.name, u.short_name, u.kind, u.sort_order FROM unit u "
                        "WHERE u.kind IN ('stationed', 'listed') "
                        "   OR u.id IN (SELECT unit_id FROM incident_unit "
                        "               WHERE whistled_at >= ?1 AND whistled_at < ?2) "
                        "   OR u.id IN (SELECT unit_id FROM check_entry "
                        "               WHERE day >= ?3 AND day < ?4) "
                        "ORDER BY CASE u.kind WHEN 'stationed' THEN 0 WHEN 'listed' THEN 1 "
                        "  WHEN 'street_office' THEN 2 WHEN 'community' THEN 3 ELSE 4 END, "
                        "  u.sort_order, u.name, u.id",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, period->from);
  sqlite3_bind_int64 (stmt, 2, period->to);
  sqlite3_bind_text (stmt, 3, from_day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, to_day, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WhUnitFigures *f = figures_for (by_unit, order, stmt);

      f->unit_name = wh_db_column_dup_text (stmt, 1);
      f->unit_short_name = wh_db_column_dup_text (stmt, 2);
      if (!wh_unit_kind_from_string (wh_db_column_text (stmt, 3), &f->unit_kind))
        f->unit_kind = WH_UNIT_KIND_DISTRICT;
      f->unit_sort_order = sqlite3_column_int (stmt, 4);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  /* The incident measures, all in one pass over the period's summons. */
  sql = g_string_new ("SELECT iu.unit_id");
  for (guint m = 0; m < WH_N_MEASURES; m++)
    g_string_append_printf (sql, ", sum (CASE WHEN %s THEN 1 ELSE 0 END)", self->measure_sql[m]);
  g_string_append_printf (sql, ", avg (CASE WHEN %s THEN i.rating END)",
                          self->measure_sql[WH_MEASURE_RATED]);
  g_string_append (sql, " FROM incident_unit iu JOIN incident i ON i.id = iu.incident_id "
                        "WHERE iu.whistled_at >= ?1 AND iu.whistled_at < ?2 "
                        "GROUP BY iu.unit_id");
  stmt = wh_db_prepare (self->db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, period->from);
  sqlite3_bind_int64 (stmt, 2, period->to);
  sqlite3_bind_int64 (stmt, 3, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WhUnitFigures *f = g_hash_table_lookup (by_unit, wh_db_column_text (stmt, 0));

      if (f == NULL)
        continue; /* a summons of a unit that is not in the unit table */
      for (guint m = 0; m < WH_N_MEASURES; m++)
        f->counts[m] = sqlite3_column_int (stmt, 1 + m);
      if (sqlite3_column_type (stmt, 1 + WH_N_MEASURES) != SQLITE_NULL)
        f->rating_average = sqlite3_column_double (stmt, 1 + WH_N_MEASURES);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  /* The daily checks. */
  stmt = wh_db_prepare (self->db,
                        "SELECT unit_id, count (*), avg (score) FROM check_entry "
                        "WHERE day >= ?1 AND day < ?2 GROUP BY unit_id",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, from_day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to_day, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WhUnitFigures *f = g_hash_table_lookup (by_unit, wh_db_column_text (stmt, 0));

      if (f == NULL)
        continue;
      f->n_checks = sqlite3_column_int (stmt, 1);
      f->check_average = sqlite3_column_double (stmt, 2);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  list = g_list_store_new (WH_TYPE_UNIT_FIGURES);
  g_list_store_splice (list, 0, 0, order->pdata, order->len);

  return G_LIST_MODEL (g_steal_pointer (&list));
}

GPtrArray *
wh_assessment_store_list_incident_ids (WhAssessmentStore *self,
                                       const char        *unit_id,
                                       WhMeasure          measure,
                                       const WhPeriod    *period,
                                       gint64             now,
                                       GError           **error)
{
  g_autoptr (GPtrArray) ids = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (WH_IS_ASSESSMENT_STORE (self), NULL);
  g_return_val_if_fail (unit_id != NULL, NULL);
  g_return_val_if_fail (measure < WH_N_MEASURES, NULL);
  g_return_val_if_fail (period != NULL, NULL);

  sql = g_strdup_printf ("SELECT i.id FROM incident_unit iu JOIN incident i "
                         "  ON i.id = iu.incident_id "
                         "WHERE iu.whistled_at >= ?1 AND iu.whistled_at < ?2 "
                         "  AND iu.unit_id = ?4 AND %s "
                         "ORDER BY iu.whistled_at, i.id",
                         self->measure_sql[measure]);
  stmt = wh_db_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, period->from);
  sqlite3_bind_int64 (stmt, 2, period->to);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_text (stmt, 4, unit_id, -1, SQLITE_TRANSIENT);

  ids = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, wh_db_column_dup_text (stmt, 0));
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&ids);
}

GPtrArray *
wh_assessment_store_list_check_ids (WhAssessmentStore *self,
                                    const char        *unit_id,
                                    const WhPeriod    *period,
                                    GError           **error)
{
  g_autoptr (GPtrArray) ids = NULL;
  g_autofree char *from_day = NULL;
  g_autofree char *to_day = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  g_return_val_if_fail (WH_IS_ASSESSMENT_STORE (self), NULL);
  g_return_val_if_fail (unit_id != NULL, NULL);
  g_return_val_if_fail (period != NULL, NULL);

  from_day = wh_store_local_day (period->from);
  to_day = wh_store_local_day (period->to);
  stmt = wh_db_prepare (self->db,
                        "SELECT id FROM check_entry WHERE unit_id = ?1 "
                        "AND day >= ?2 AND day < ?3 ORDER BY day, id",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, unit_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, from_day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to_day, -1, SQLITE_TRANSIENT);

  ids = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, wh_db_column_dup_text (stmt, 0));
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&ids);
}
