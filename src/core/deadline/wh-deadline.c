/* wh-deadline.c — the response and handling deadlines of a whistled incident */
#include "config.h"

#include <math.h>

#include "wh-deadline.h"

gint64
wh_deadline_shorten (gint64 minutes,
                     double priority_factor)
{
  double exact, nearest;

  g_return_val_if_fail (minutes > 0, 1);
  g_return_val_if_fail (priority_factor > 0.0 && priority_factor <= 1.0, minutes);

  exact = (double) minutes * priority_factor;
  nearest = round (exact);

  /* Decimal factors are not exact in binary: 100 × 0.55 is 55.00000000000001, which a
   * bare ceil() would make 56. For limits up to a century of minutes the product's
   * rounding error is far below a millionth of a minute. */
  if (fabs (exact - nearest) < 1e-6)
    exact = nearest;

  return MAX ((gint64) 1, (gint64) ceil (exact));
}

void
wh_deadline_compute (WhWorkCalendar     *calendar,
                     const WhTimeLimits *limits,
                     double              priority_factor,
                     gint64              from_usec,
                     gint64             *response_due,
                     gint64             *handling_due)
{
  g_return_if_fail (WH_IS_WORK_CALENDAR (calendar));
  g_return_if_fail (limits != NULL);
  g_return_if_fail (limits->response_minutes > 0);
  g_return_if_fail (limits->handling_minutes > 0);
  g_return_if_fail (priority_factor > 0.0 && priority_factor <= 1.0);

  if (response_due != NULL)
    *response_due =
      wh_work_calendar_add_minutes (calendar, from_usec,
                                    wh_deadline_shorten (limits->response_minutes, priority_factor),
                                    limits->working_hours);
  if (handling_due != NULL)
    *handling_due =
      wh_work_calendar_add_minutes (calendar, from_usec,
                                    wh_deadline_shorten (limits->handling_minutes, priority_factor),
                                    limits->working_hours);
}
