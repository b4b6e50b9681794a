/* wh-assessment-store.h — the monthly summary (月汇总) of the member units
 *
 * Per unit and period: the incident measures (see WhMeasure for their exact definitions)
 * and the average of the daily checks (日检查). Every figure is traceable: the same
 * definition that counts it lists the incidents (or check entries) behind it.
 */
#pragma once

#include <gio/gio.h>

#include "wh-db.h"
#include "wh-unit-figures.h"

G_BEGIN_DECLS

/* A half-open span of time [from, to), UTC microseconds. */
typedef struct
{
  gint64 from;
  gint64 to;
} WhPeriod;

/**
 * wh_period_init_month:
 * @period: (out): the period to fill
 * @year: e.g. 2026
 * @month: 1–12
 *
 * The calendar month in the street's time zone (Asia/Shanghai), from local midnight of
 * its first day to local midnight of the next month's first day.
 */
void wh_period_init_month (WhPeriod *period, int year, int month);

/* The street-local calendar month that contains @at. */
void wh_period_init_month_of (WhPeriod *period, gint64 at);

#define WH_TYPE_ASSESSMENT_STORE (wh_assessment_store_get_type ())
G_DECLARE_FINAL_TYPE (WhAssessmentStore, wh_assessment_store, WH, ASSESSMENT_STORE, GObject)

/* Returns: (transfer full): a store reading @db */
WhAssessmentStore *wh_assessment_store_new (WhDb *db);

/**
 * wh_assessment_store_compute:
 * @period: the period
 * @now: the time "overdue" is judged at (%WH_MEASURE_OVERDUE_OPEN), usually now
 *
 * The figures of every member unit (stationed units and listed departments, even without
 * any incident) and of every other unit summoned or checked in @period, ordered by kind,
 * then by the units' sort order.
 *
 * Returns: (transfer full): a #GListModel of #WhUnitFigures, or %NULL with @error set
 */
GListModel *wh_assessment_store_compute (WhAssessmentStore *self,
                                         const WhPeriod    *period,
                                         gint64             now,
                                         GError           **error);

/**
 * wh_assessment_store_list_incident_ids:
 * @unit_id: the unit
 * @measure: which figure
 * @period: the period
 * @now: as given to wh_assessment_store_compute()
 *
 * The incidents behind one figure: exactly counts[@measure] of the unit's
 * #WhUnitFigures from wh_assessment_store_compute() with the same arguments.
 *
 * Returns: (transfer full) (element-type utf8): incident ids in the order the unit was
 *   summoned, or %NULL with @error set
 */
GPtrArray *wh_assessment_store_list_incident_ids (WhAssessmentStore *self,
                                                  const char        *unit_id,
                                                  WhMeasure          measure,
                                                  const WhPeriod    *period,
                                                  gint64             now,
                                                  GError           **error);

/**
 * wh_assessment_store_list_check_ids:
 * @unit_id: the unit
 * @period: the period; a check counts when its day (street-local) lies in it
 *
 * The daily check entries behind WhUnitFigures.n_checks and .check_average.
 *
 * Returns: (transfer full) (element-type utf8): check_entry ids by day, or %NULL with
 *   @error set
 */
GPtrArray *wh_assessment_store_list_check_ids (WhAssessmentStore *self,
                                               const char        *unit_id,
                                               const WhPeriod    *period,
                                               GError           **error);

G_END_DECLS
