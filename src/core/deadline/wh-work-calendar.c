/* wh-work-calendar.c — the street's working week, in the street's time zone */
#include "config.h"

#include <string.h>

#include "wh-work-calendar.h"

#define USEC_PER_MINUTE ((gint64) 60 * G_USEC_PER_SEC)

/* GDateTime covers the years 1 to 9999. Accepting times between the years 1000 and 9000
 * only, and spans of at most WH_WORK_CALENDAR_MAX_MINUTES, keeps every day we visit
 * representable without checking each one. */
#define MIN_USEC ((gint64) -30610224000 * G_USEC_PER_SEC)  /* 1000-01-01 UTC */
#define MAX_USEC ((gint64) 221845392000 * G_USEC_PER_SEC)  /* 9000-01-01 UTC */

static const WhWorkPeriod periods[WH_WORK_N_PERIODS] = WH_WORK_PERIODS;

struct _WhWorkCalendar
{
  GObject     parent_instance;

  GTimeZone  *time_zone;
  /* Julian day number → EXCEPTION_HOLIDAY or EXCEPTION_WORKDAY. */
  GHashTable *exceptions;
};

enum {
  EXCEPTION_HOLIDAY = 1, /* non-zero: a hash table value of NULL means "absent" */
  EXCEPTION_WORKDAY = 2,
};

G_DEFINE_FINAL_TYPE (WhWorkCalendar, wh_work_calendar, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIME_ZONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GTimeZone *
default_time_zone (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Shanghai");

  /* Without tzdata (a minimal container) fall back to the fixed offset: China has kept
   * UTC+8 without daylight saving time since 1991. */
  if (tz == NULL)
    tz = g_time_zone_new_offset (8 * 60 * 60);
  return tz;
}

static void
wh_work_calendar_constructed (GObject *object)
{
  WhWorkCalendar *self = WH_WORK_CALENDAR (object);

  G_OBJECT_CLASS (wh_work_calendar_parent_class)->constructed (object);

  if (self->time_zone == NULL)
    self->time_zone = default_time_zone ();
}

static void
wh_work_calendar_finalize (GObject *object)
{
  WhWorkCalendar *self = WH_WORK_CALENDAR (object);

  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->exceptions, g_hash_table_unref);

  G_OBJECT_CLASS (wh_work_calendar_parent_class)->finalize (object);
}

static void
wh_work_calendar_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WhWorkCalendar *self = WH_WORK_CALENDAR (object);

  switch (prop_id)
    {
    case PROP_TIME_ZONE:
      g_value_set_boxed (value, self->time_zone);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_work_calendar_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  WhWorkCalendar *self = WH_WORK_CALENDAR (object);

  switch (prop_id)
    {
    case PROP_TIME_ZONE:
      g_clear_pointer (&self->time_zone, g_time_zone_unref);
      self->time_zone = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_work_calendar_class_init (WhWorkCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = wh_work_calendar_constructed;
  object_class->finalize = wh_work_calendar_finalize;
  object_class->get_property = wh_work_calendar_get_property;
  object_class->set_property = wh_work_calendar_set_property;

  /**
   * WhWorkCalendar:time-zone:
   *
   * The street's time zone; working periods and exception days are local to it.
   */
  properties[PROP_TIME_ZONE] =
    g_param_spec_boxed ("time-zone", NULL, NULL,
                        G_TYPE_TIME_ZONE,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wh_work_calendar_init (WhWorkCalendar *self)
{
  self->exceptions = g_hash_table_new (g_direct_hash, g_direct_equal);
}

WhWorkCalendar *
wh_work_calendar_new (GTimeZone *time_zone)
{
  return g_object_new (WH_TYPE_WORK_CALENDAR, "time-zone", time_zone, NULL);
}

GTimeZone *
wh_work_calendar_get_time_zone (WhWorkCalendar *self)
{
  g_return_val_if_fail (WH_IS_WORK_CALENDAR (self), NULL);

  return self->time_zone;
}

const WhWorkPeriod *
wh_work_calendar_get_periods (guint *n_periods)
{
  if (n_periods != NULL)
    *n_periods = G_N_ELEMENTS (periods);
  return periods;
}

/* Strictly "YYYY-MM-DD": the same text is the key of the calendar_exception table, so a
 * loose parse would let two spellings of one day disagree. */
static gboolean
parse_day (const char *day,
           GDate      *date)
{
  guint year, month, mday;

  if (day == NULL || strlen (day) != 10 || day[4] != '-' || day[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (day[i]))
      return FALSE;

  year = (day[0] - '0') * 1000 + (day[1] - '0') * 100 + (day[2] - '0') * 10 + (day[3] - '0');
  month = (day[5] - '0') * 10 + (day[6] - '0');
  mday = (day[8] - '0') * 10 + (day[9] - '0');

  if (!g_date_valid_dmy (mday, month, year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, mday, month, year);
  return TRUE;
}

gboolean
wh_work_calendar_set_exception (WhWorkCalendar *self,
                                const char     *day,
                                gboolean        is_workday)
{
  GDate date;

  g_return_val_if_fail (WH_IS_WORK_CALENDAR (self), FALSE);

  if (!parse_day (day, &date))
    return FALSE;

  g_hash_table_insert (self->exceptions,
                       GUINT_TO_POINTER (g_date_get_julian (&date)),
                       GINT_TO_POINTER (is_workday ? EXCEPTION_WORKDAY : EXCEPTION_HOLIDAY));
  return TRUE;
}

gboolean
wh_work_calendar_remove_exception (WhWorkCalendar *self,
                                   const char     *day)
{
  GDate date;

  g_return_val_if_fail (WH_IS_WORK_CALENDAR (self), FALSE);

  if (!parse_day (day, &date))
    return FALSE;

  return g_hash_table_remove (self->exceptions, GUINT_TO_POINTER (g_date_get_julian (&date)));
}

static gboolean
date_is_workday (WhWorkCalendar *self,
                 const GDate    *date)
{
  gpointer value = g_hash_table_lookup (self->exceptions,
                                        GUINT_TO_POINTER (g_date_get_julian (date)));

  if (value != NULL)
    return GPOINTER_TO_INT (value) == EXCEPTION_WORKDAY;

  return g_date_get_weekday (date) <= G_DATE_FRIDAY;
}

/* The local date that contains @usec. */
static void
local_date (WhWorkCalendar *self,
            gint64          usec,
            GDate          *date)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  gint64 sec = usec / G_USEC_PER_SEC;

  /* Round toward minus infinity so that a time just before 1970 lands on the right day. */
  if (usec % G_USEC_PER_SEC < 0)
    sec--;

  utc = g_date_time_new_from_unix_utc (sec);
  local = g_date_time_to_timezone (utc, self->time_zone);

  g_date_clear (date, 1);
  g_date_set_dmy (date,
                  g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

/* The UTC time of a local wall-clock minute of @date. Computed per day rather than as
 * midnight plus an offset, so a daylight-saving change in some other time zone is right. */
static gint64
local_minute_usec (WhWorkCalendar *self,
                   const GDate    *date,
                   guint           minute)
{
  g_autoptr (GDateTime) dt = g_date_time_new (self->time_zone,
                                             g_date_get_year (date),
                                             g_date_get_month (date),
                                             g_date_get_day (date),
                                             minute / 60, minute % 60, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
period_bounds (WhWorkCalendar *self,
               const GDate    *date,
               guint           i,
               gint64         *start,
               gint64         *end)
{
  *start = local_minute_usec (self, date, periods[i].start_minute);
  *end = local_minute_usec (self, date, periods[i].end_minute);
}

gboolean
wh_work_calendar_is_workday (WhWorkCalendar *self,
                             gint64          usec)
{
  GDate date;

  g_return_val_if_fail (WH_IS_WORK_CALENDAR (self), FALSE);
  g_return_val_if_fail (usec >= MIN_USEC && usec <= MAX_USEC, FALSE);

  local_date (self, usec, &date);
  return date_is_workday (self, &date);
}

gboolean
wh_work_calendar_is_working_time (WhWorkCalendar *self,
                                  gint64          usec)
{
  GDate date;

  g_return_val_if_fail (WH_IS_WORK_CALENDAR (self), FALSE);
  g_return_val_if_fail (usec >= MIN_USEC && usec <= MAX_USEC, FALSE);

  local_date (self, usec, &date);
  if (!date_is_workday (self, &date))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      gint64 start, end;

      period_bounds (self, &date, i, &start, &end);
      if (usec >= start && usec < end)
        return TRUE;
    }
  return FALSE;
}

/* Walks day by day, and within a working day period by period, so the cost is a few steps
 * per day spanned whatever the number of minutes. Days off cost one hash lookup. */
static gint64
add_working_forward (WhWorkCalendar *self,
                     gint64          start_usec,
                     gint64          remaining)
{
  GDate date;

  local_date (self, start_usec, &date);

  /* Terminates: there are finitely many exceptions, and every other week has workdays. */
  for (;;)
    {
      if (date_is_workday (self, &date))
        {
          for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
            {
              gint64 p_start, p_end, from;

              period_bounds (self, &date, i, &p_start, &p_end);
              from = MAX (p_start, start_usec);
              if (from >= p_end)
                continue;
              /* "<=" so that a limit used up exactly at a period's end ends there. */
              if (remaining <= p_end - from)
                return from + remaining;
              remaining -= p_end - from;
            }
        }
      g_date_add_days (&date, 1);
    }
}

static gint64
add_working_backward (WhWorkCalendar *self,
                      gint64          start_usec,
                      gint64          remaining)
{
  GDate date;

  local_date (self, start_usec, &date);

  for (;;)
    {
      if (date_is_workday (self, &date))
        {
          for (guint i = G_N_ELEMENTS (periods); i-- > 0;)
            {
              gint64 p_start, p_end, to;

              period_bounds (self, &date, i, &p_start, &p_end);
              to = MIN (p_end, start_usec);
              if (to <= p_start)
                continue;
              if (remaining <= to - p_start)
                return to - remaining;
              remaining -= to - p_start;
            }
        }
      g_date_subtract_days (&date, 1);
    }
}

gint64
wh_work_calendar_add_minutes (WhWorkCalendar *self,
                              gint64          start_usec,
                              gint64          minutes,
                              gboolean        working_hours)
{
  g_return_val_if_fail (WH_IS_WORK_CALENDAR (self), start_usec);
  g_return_val_if_fail (start_usec >= MIN_USEC && start_usec <= MAX_USEC, start_usec);
  g_return_val_if_fail (minutes >= -WH_WORK_CALENDAR_MAX_MINUTES &&
                        minutes <= WH_WORK_CALENDAR_MAX_MINUTES, start_usec);

  if (!working_hours)
    return start_usec + minutes * USEC_PER_MINUTE;

  if (minutes >= 0)
    return add_working_forward (self, start_usec, minutes * USEC_PER_MINUTE);
  else
    return add_working_backward (self, start_usec, -minutes * USEC_PER_MINUTE);
}

/* Working microseconds in [from_usec, to_usec), from_usec <= to_usec. */
static gint64
working_usec_between (WhWorkCalendar *self,
                      gint64          from_usec,
                      gint64          to_usec)
{
  GDate date, last;
  gint64 total = 0;

  local_date (self, from_usec, &date);
  local_date (self, to_usec, &last);

  for (; g_date_compare (&date, &last) <= 0; g_date_add_days (&date, 1))
    {
      if (!date_is_workday (self, &date))
        continue;

      for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
        {
          gint64 p_start, p_end, a, b;

          period_bounds (self, &date, i, &p_start, &p_end);
          a = MAX (p_start, from_usec);
          b = MIN (p_end, to_usec);
          if (b > a)
            total += b - a;
        }
    }

  return total;
}

gint64
wh_work_calendar_minutes_between (WhWorkCalendar *self,
                                  gint64          from_usec,
                                  gint64          to_usec,
                                  gboolean        working_hours)
{
  g_return_val_if_fail (WH_IS_WORK_CALENDAR (self), 0);
  g_return_val_if_fail (from_usec >= MIN_USEC && from_usec <= MAX_USEC, 0);
  g_return_val_if_fail (to_usec >= MIN_USEC && to_usec <= MAX_USEC, 0);

  if (!working_hours)
    return (to_usec - from_usec) / USEC_PER_MINUTE;  /* C division rounds toward zero */

  if (to_usec < from_usec)
    return -(working_usec_between (self, to_usec, from_usec) / USEC_PER_MINUTE);

  return working_usec_between (self, from_usec, to_usec) / USEC_PER_MINUTE;
}
