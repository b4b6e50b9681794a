/* wh-unit-figures.h — one unit's assessment figures for one period, as a list item
 *
 * Every count is a number of incidents and can be traced back to them with
 * wh_assessment_store_list_incident_ids(): the figure and that list come from the same
 * definition (see WhMeasure).
 */
#pragma once

#include <glib-object.h>

#include "wh-unit.h"

G_BEGIN_DECLS

/**
 * WhMeasure:
 * @WH_MEASURE_WHISTLED: the unit was summoned (吹哨, as lead or cooperating unit) in the period
 * @WH_MEASURE_REPORTED_IN: of those, the unit has reported in (报到)
 * @WH_MEASURE_REPORTED_IN_ON_TIME: it reported in no later than the response deadline
 * @WH_MEASURE_LED: of the summons, those as lead unit that the unit did not return
 * @WH_MEASURE_RESOLVED: of the led ones, those with a result fed back (反馈)
 * @WH_MEASURE_RESOLVED_ON_TIME: fed back no later than the handling deadline
 * @WH_MEASURE_OVERDUE_OPEN: led, still in the unit's hands (whistled, reported in, in
 *   progress, in legal review or rework) and past the handling deadline at the time asked
 * @WH_MEASURE_RETURNED: of the summons, those the unit returned (退单)
 * @WH_MEASURE_REWORKED: led ones that failed verification at least once (返工)
 * @WH_MEASURE_RATED: led ones the resident has rated
 * @WH_MEASURE_SATISFIED: rated ones with a rating of 4 or 5 (满意)
 *
 * The incident measures of the monthly summary. A summons belongs to the period in which
 * the unit was whistled (incident_unit.whistled_at).
 */
typedef enum {
  WH_MEASURE_WHISTLED,
  WH_MEASURE_REPORTED_IN,
  WH_MEASURE_REPORTED_IN_ON_TIME,
  WH_MEASURE_LED,
  WH_MEASURE_RESOLVED,
  WH_MEASURE_RESOLVED_ON_TIME,
  WH_MEASURE_OVERDUE_OPEN,
  WH_MEASURE_RETURNED,
  WH_MEASURE_REWORKED,
  WH_MEASURE_RATED,
  WH_MEASURE_SATISFIED,
  WH_N_MEASURES
} WhMeasure;

const char *wh_measure_to_string (WhMeasure measure);
gboolean    wh_measure_from_string (const char *str, WhMeasure *measure);
const char *wh_measure_label (WhMeasure measure);

#define WH_TYPE_UNIT_FIGURES (wh_unit_figures_get_type ())
G_DECLARE_FINAL_TYPE (WhUnitFigures, wh_unit_figures, WH, UNIT_FIGURES, GObject)

/* Fields are public and read-only outside the store that made the item. */
struct _WhUnitFigures
{
  GObject    parent_instance;
  char      *unit_id;
  char      *unit_name;
  char      *unit_short_name;
  WhUnitKind unit_kind;
  int        unit_sort_order;
  guint      counts[WH_N_MEASURES];
  double     rating_average; /* mean rating (1–5) of the rated ones; NAN when none */
  guint      n_checks;       /* daily check entries (日检查) in the period */
  double     check_average;  /* their mean score (0–100); NAN when none */
};

WhUnitFigures *wh_unit_figures_new (void);

/* counts[@numerator] / counts[@denominator] as a fraction 0–1, or NAN when the
 * denominator is zero. */
double wh_unit_figures_ratio (WhUnitFigures *self, WhMeasure numerator, WhMeasure denominator);

G_END_DECLS
