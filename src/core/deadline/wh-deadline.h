/* wh-deadline.h — the response and handling deadlines of a whistled incident
 *
 * A category sets two time limits: the response limit (the summoned units report in) and
 * the handling limit (the lead unit gives its feedback). Both run from the same moment,
 * the whistle, and count working time or calendar time as the category says. A priority
 * shortens both by its factor.
 */
#pragma once

#include <glib.h>

#include "wh-work-calendar.h"

G_BEGIN_DECLS

/**
 * WhTimeLimits:
 * @response_minutes: minutes to report in (> 0)
 * @handling_minutes: minutes to finish handling (> 0)
 * @working_hours: %TRUE when the limits count working time only (see #WhWorkCalendar)
 *
 * The time limits of a category, as in its catalogue row.
 */
typedef struct
{
  gint64   response_minutes;
  gint64   handling_minutes;
  gboolean working_hours;
} WhTimeLimits;

/**
 * wh_deadline_shorten:
 * @minutes: a time limit in minutes (> 0)
 * @priority_factor: the priority's factor, 0 < f <= 1 (1 normal, 0.5 urgent, 0.25 critical)
 *
 * The rule by which a priority shortens a limit: @minutes × @priority_factor, rounded up
 * to a whole minute and never below one minute. A product within floating-point noise of
 * a whole number counts as that number (100 × 0.55 is 55 minutes, although binary floating
 * point makes it 55.00000000000001), so a factor written as a decimal does what it says.
 *
 * Returns: the shortened limit in minutes, at least 1
 */
gint64   wh_deadline_shorten  (gint64        minutes,
                               double        priority_factor);

/**
 * wh_deadline_compute:
 * @calendar: the street's #WhWorkCalendar
 * @limits: the category's limits
 * @priority_factor: the incident priority's factor, 0 < f <= 1
 * @from_usec: when the clocks start (the whistle), UTC microseconds
 * @response_due: (out) (optional): when reporting in is due, UTC microseconds
 * @handling_due: (out) (optional): when handling is due, UTC microseconds
 *
 * Computes both deadlines: each limit is shortened by wh_deadline_shorten() and then
 * counted from @from_usec with wh_work_calendar_add_minutes(), in working time when
 * @limits says so. The handling clock does not wait for the response: both start together.
 */
void     wh_deadline_compute  (WhWorkCalendar     *calendar,
                               const WhTimeLimits *limits,
                               double              priority_factor,
                               gint64              from_usec,
                               gint64             *response_due,
                               gint64             *handling_due);

G_END_DECLS
