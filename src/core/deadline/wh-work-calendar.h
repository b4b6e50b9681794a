/* wh-work-calendar.h — the street's working week, in the street's time zone
 *
 * Time limits of a category count either plain calendar time or working time only. Working
 * time is the working periods (WH_WORK_PERIODS) of every working day: Monday to Friday,
 * except public holidays, plus the make-up working days (调休) that China moves onto
 * weekends around its holidays. Both kinds of exception are set per day.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * WhWorkPeriod:
 * @start_minute: first minute of the period, counted from local midnight
 * @end_minute: the minute the period ends (exclusive)
 *
 * One working period of a working day, in the street's local wall-clock time.
 */
typedef struct
{
  guint start_minute;
  guint end_minute;
} WhWorkPeriod;

/**
 * WH_WORK_PERIODS:
 *
 * The working periods of every working day, in order: 09:00–12:00 and 13:00–18:00 (the
 * lunch break 12:00–13:00 does not count), eight hours a day. A period includes its start
 * and excludes its end, so 12:00 sharp is already the lunch break.
 */
/* clang-format would take the initializer for a block. */
/* clang-format off */
#define WH_WORK_PERIODS { { 9 * 60, 12 * 60 }, { 13 * 60, 18 * 60 } }
/* clang-format on */
#define WH_WORK_N_PERIODS 2
#define WH_WORK_MINUTES_PER_DAY (8 * 60)

/**
 * WH_WORK_CALENDAR_MAX_MINUTES:
 *
 * The largest span (in either direction) wh_work_calendar_add_minutes() accepts: one
 * hundred years. Real limits are days or weeks; the bound keeps arithmetic from overflowing.
 */
#define WH_WORK_CALENDAR_MAX_MINUTES ((gint64) 100 * 366 * 24 * 60)

#define WH_TYPE_WORK_CALENDAR (wh_work_calendar_get_type ())

G_DECLARE_FINAL_TYPE (WhWorkCalendar, wh_work_calendar, WH, WORK_CALENDAR, GObject)

/**
 * wh_work_calendar_new:
 * @time_zone: (nullable): the street's time zone; %NULL means Asia/Shanghai
 *
 * Creates a calendar with the Monday–Friday working week and no exceptions.
 *
 * Returns: (transfer full): a new #WhWorkCalendar
 */
WhWorkCalendar *wh_work_calendar_new                (GTimeZone      *time_zone);

/**
 * wh_work_calendar_get_time_zone:
 * @self: a #WhWorkCalendar
 *
 * Returns: (transfer none): the time zone the working periods are counted in
 */
GTimeZone      *wh_work_calendar_get_time_zone      (WhWorkCalendar *self);

/**
 * wh_work_calendar_get_periods:
 * @n_periods: (out): the number of periods
 *
 * Returns: (array length=n_periods) (transfer none): the working periods of a working day,
 *   the same for every calendar (see %WH_WORK_PERIODS)
 */
const WhWorkPeriod *wh_work_calendar_get_periods    (guint          *n_periods);

/**
 * wh_work_calendar_set_exception:
 * @self: a #WhWorkCalendar
 * @day: a local date as "YYYY-MM-DD"
 * @is_workday: %FALSE for a public holiday, %TRUE for a make-up working day
 *
 * Overrides the Monday–Friday rule for one day. Setting a day again replaces the earlier
 * exception.
 *
 * Returns: %FALSE (and changes nothing) when @day is not a valid date in that form
 */
gboolean        wh_work_calendar_set_exception      (WhWorkCalendar *self,
                                                     const char     *day,
                                                     gboolean        is_workday);

/**
 * wh_work_calendar_remove_exception:
 * @self: a #WhWorkCalendar
 * @day: a local date as "YYYY-MM-DD"
 *
 * Returns @day to the Monday–Friday rule.
 *
 * Returns: %TRUE when @day had an exception
 */
gboolean        wh_work_calendar_remove_exception   (WhWorkCalendar *self,
                                                     const char     *day);

/**
 * wh_work_calendar_is_workday:
 * @self: a #WhWorkCalendar
 * @usec: a time, UTC microseconds
 *
 * Returns: %TRUE when the local day containing @usec is a working day
 */
gboolean        wh_work_calendar_is_workday         (WhWorkCalendar *self,
                                                     gint64          usec);

/**
 * wh_work_calendar_is_working_time:
 * @self: a #WhWorkCalendar
 * @usec: a time, UTC microseconds
 *
 * Returns: %TRUE when @usec falls inside a working period of a working day
 */
gboolean        wh_work_calendar_is_working_time    (WhWorkCalendar *self,
                                                     gint64          usec);

/**
 * wh_work_calendar_add_minutes:
 * @self: a #WhWorkCalendar
 * @start_usec: where the clock starts, UTC microseconds
 * @minutes: how long it runs; negative counts backwards
 * @working_hours: %TRUE to count working time only, %FALSE for plain calendar time
 *
 * Counts @minutes from @start_usec. With @working_hours, a start outside working time
 * starts the clock at the next working period, and the time outside the working periods
 * does not count. A limit used up exactly at the end of a period ends there (09:00 plus
 * three working hours is 12:00, not 13:00). Zero minutes gives the moment the clock starts.
 * Counting backwards mirrors this.
 *
 * The cost grows with the number of days spanned, never with the number of minutes.
 *
 * Returns: the time the minutes run out, UTC microseconds
 */
gint64          wh_work_calendar_add_minutes        (WhWorkCalendar *self,
                                                     gint64          start_usec,
                                                     gint64          minutes,
                                                     gboolean        working_hours);

/**
 * wh_work_calendar_minutes_between:
 * @self: a #WhWorkCalendar
 * @from_usec: UTC microseconds
 * @to_usec: UTC microseconds
 * @working_hours: %TRUE to count working time only, %FALSE for plain calendar time
 *
 * The inverse of wh_work_calendar_add_minutes(): for any start and any @minutes >= 0,
 * the minutes between the start and add_minutes (start, @minutes) are @minutes.
 *
 * Returns: the whole minutes from @from_usec to @to_usec (rounded toward zero), negative
 *   when @to_usec is before @from_usec
 */
gint64          wh_work_calendar_minutes_between    (WhWorkCalendar *self,
                                                     gint64          from_usec,
                                                     gint64          to_usec,
                                                     gboolean        working_hours);

G_END_DECLS
