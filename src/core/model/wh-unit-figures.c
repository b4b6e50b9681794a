/* wh-unit-figures.c — one unit's assessment figures for one period */
#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "wh-unit-figures.h"

G_DEFINE_FINAL_TYPE (WhUnitFigures, wh_unit_figures, G_TYPE_OBJECT)

static const char *const measure_ids[WH_N_MEASURES] = {
  "whistled",     "reported_in", "reported_in_on_time",
  "led",          "resolved",    "resolved_on_time",
  "overdue_open", "returned",    "reworked",
  "rated",        "satisfied",
};

const char *
wh_measure_to_string (WhMeasure measure)
{
  g_return_val_if_fail (measure < WH_N_MEASURES, NULL);
  return measure_ids[measure];
}

gboolean
wh_measure_from_string (const char *str, WhMeasure *measure)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < WH_N_MEASURES; i++)
    if (g_str_equal (measure_ids[i], str))
      {
        *measure = i;
        return TRUE;
      }
  return FALSE;
}

const char *
wh_measure_label (WhMeasure measure)
{
  switch (measure)
    {
    case WH_MEASURE_WHISTLED:
      return C_ ("measure", "Whistled");
    case WH_MEASURE_REPORTED_IN:
      return C_ ("measure", "Reported in");
    case WH_MEASURE_REPORTED_IN_ON_TIME:
      return C_ ("measure", "Reported in on time");
    case WH_MEASURE_LED:
      return C_ ("measure", "Led");
    case WH_MEASURE_RESOLVED:
      return C_ ("measure", "Resolved");
    case WH_MEASURE_RESOLVED_ON_TIME:
      return C_ ("measure", "Resolved on time");
    case WH_MEASURE_OVERDUE_OPEN:
      return C_ ("measure", "Overdue");
    case WH_MEASURE_RETURNED:
      return C_ ("measure", "Returned");
    case WH_MEASURE_REWORKED:
      return C_ ("measure", "Reworked");
    case WH_MEASURE_RATED:
      return C_ ("measure", "Rated");
    case WH_MEASURE_SATISFIED:
      return C_ ("measure", "Satisfied");
    case WH_N_MEASURES:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
wh_unit_figures_finalize (GObject *object)
{
  WhUnitFigures *self = WH_UNIT_FIGURES (object);

  g_free (self->unit_id);
  g_free (self->unit_name);
  g_free (self->unit_short_name);

  G_OBJECT_CLASS (wh_unit_figures_parent_class)->finalize (object);
}

static void
wh_unit_figures_class_init (WhUnitFiguresClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_unit_figures_finalize;
}

static void
wh_unit_figures_init (WhUnitFigures *self)
{
  self->rating_average = NAN;
  self->check_average = NAN;
}

WhUnitFigures *
wh_unit_figures_new (void)
{
  return g_object_new (WH_TYPE_UNIT_FIGURES, NULL);
}

double
wh_unit_figures_ratio (WhUnitFigures *self, WhMeasure numerator, WhMeasure denominator)
{
  g_return_val_if_fail (WH_IS_UNIT_FIGURES (self), NAN);
  g_return_val_if_fail (numerator < WH_N_MEASURES && denominator < WH_N_MEASURES, NAN);

  if (self->counts[denominator] == 0)
    return NAN;
  return (double) self->counts[numerator] / self->counts[denominator];
}
