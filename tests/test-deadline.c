/* test-deadline.c — the work calendar and deadline computation
 *
 * Dates are in 2026, in the street's time zone (Asia/Shanghai, UTC+8, no daylight saving).
 *
 * Assumption: China's 2026 public holidays as announced by the General Office of the State
 * Council (国务院办公厅关于2026年部分节假日安排的通知), as far as we know them:
 *   New Year        Jan 1–3 off, Sun Jan 4 worked
 *   Spring Festival Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked
 *   Qingming        Apr 4–6 off
 *   Labour Day      May 1–5 off, Sat May 9 worked
 *   Dragon Boat     Jun 19–21 off
 *   Mid-Autumn      Sep 25–27 off
 *   National Day    Oct 1–7 off, Sun Sep 20 and Sat Oct 10 worked
 * The tests only need the calendar to be self-consistent with this table, which they set
 * themselves; if the real arrangement differs, this table and the expectations that name
 * those days change, not the code.
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>

#include "wh-deadline.h"
#include "wh-work-calendar.h"

#define USEC_PER_MINUTE ((gint64) 60 * G_USEC_PER_SEC)
#define USEC_PER_DAY ((gint64) 24 * 60 * USEC_PER_MINUTE)
#define SHANGHAI_OFFSET ((gint64) 8 * 60 * USEC_PER_MINUTE)

typedef struct
{
  const char *first;
  const char *last;
  gboolean    is_workday;
} ExceptionRange;

static const ExceptionRange holidays_2026[] = {
  { "2026-01-01", "2026-01-03", FALSE },
  { "2026-01-04", "2026-01-04", TRUE },
  { "2026-02-14", "2026-02-14", TRUE },
  { "2026-02-15", "2026-02-23", FALSE },
  { "2026-02-28", "2026-02-28", TRUE },
  { "2026-04-04", "2026-04-06", FALSE },
  { "2026-05-01", "2026-05-05", FALSE },
  { "2026-05-09", "2026-05-09", TRUE },
  { "2026-06-19", "2026-06-21", FALSE },
  { "2026-09-20", "2026-09-20", TRUE },
  { "2026-09-25", "2026-09-27", FALSE },
  { "2026-10-01", "2026-10-07", FALSE },
  { "2026-10-10", "2026-10-10", TRUE },
};

static GTimeZone *shanghai;

/* "YYYY-MM-DD HH:MM[:SS]" in Shanghai time → UTC microseconds. */
static gint64
at (const char *text)
{
  g_autoptr (GDateTime) dt = NULL;
  int y, mo, d, h, mi, s = 0;
  int n = sscanf (text, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s);

  g_assert_cmpint (n, >=, 5);
  dt = g_date_time_new (shanghai, y, mo, d, h, mi, s);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static char *
show (gint64 usec)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, shanghai);
  g_autofree char *text = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");

  if (usec % G_USEC_PER_SEC != 0)
    return g_strdup_printf ("%s.%06d", text, (int) (usec % G_USEC_PER_SEC));
  return g_steal_pointer (&text);
}

/* Compares as text so that a failure shows both times readably. */
#define assert_time(usec, expected)                                      \
  G_STMT_START {                                                         \
    g_autofree char *shown_ = show (usec);                               \
    g_assert_cmpstr (shown_, ==, expected);                              \
  } G_STMT_END

static WhWorkCalendar *
calendar_2026 (void)
{
  WhWorkCalendar *cal = wh_work_calendar_new (shanghai);

  for (guint i = 0; i < G_N_ELEMENTS (holidays_2026); i++)
    {
      GDate first, last;

      g_date_clear (&first, 1);
      g_date_clear (&last, 1);
      g_date_set_parse (&first, holidays_2026[i].first);
      g_date_set_parse (&last, holidays_2026[i].last);
      g_assert_true (g_date_valid (&first) && g_date_valid (&last));

      for (GDate d = first; g_date_compare (&d, &last) <= 0; g_date_add_days (&d, 1))
        {
          char day[16];

          g_snprintf (day, sizeof day, "%04u-%02u-%02u",
                      g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d));
          g_assert_true (wh_work_calendar_set_exception (cal, day, holidays_2026[i].is_workday));
        }
    }
  return cal;
}

/* ---- An independent, deliberately naive reference: one minute at a time ---------------- */

/* Days since 1970-01-01 of a "YYYY-MM-DD" date. */
static gint64
epoch_day (const char *text)
{
  GDate d, epoch;

  g_date_clear (&d, 1);
  g_date_clear (&epoch, 1);
  g_date_set_parse (&d, text);
  g_date_set_dmy (&epoch, 1, 1, 1970);
  return (gint64) g_date_get_julian (&d) - g_date_get_julian (&epoch);
}

static gboolean
ref_is_workday (gint64 day)
{
  static gint64 first[G_N_ELEMENTS (holidays_2026)], last[G_N_ELEMENTS (holidays_2026)];
  static gboolean parsed = FALSE;
  /* 1970-01-01 was a Thursday: day 0 → index 3 with Monday = 0. */
  gint64 weekday = ((day % 7) + 7 + 3) % 7;

  if (!parsed)
    {
      for (guint i = 0; i < G_N_ELEMENTS (holidays_2026); i++)
        {
          first[i] = epoch_day (holidays_2026[i].first);
          last[i] = epoch_day (holidays_2026[i].last);
        }
      parsed = TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (holidays_2026); i++)
    if (day >= first[i] && day <= last[i])
      return holidays_2026[i].is_workday;
  return weekday < 5;
}

/* Whether the minute starting at @usec is working time, in fixed UTC+8. */
static gboolean
ref_working_minute (gint64 usec)
{
  gint64 local = usec + SHANGHAI_OFFSET;
  gint64 day = local / USEC_PER_DAY;
  gint64 minute = (local % USEC_PER_DAY) / USEC_PER_MINUTE;

  if (!ref_is_workday (day))
    return FALSE;
  return (minute >= 9 * 60 && minute < 12 * 60) || (minute >= 13 * 60 && minute < 18 * 60);
}

/* Minute-aligned @start only. */
static gint64
ref_add (gint64 start,
         gint64 minutes)
{
  gint64 t = start;

  g_assert_cmpint (start % USEC_PER_MINUTE, ==, 0);
  if (minutes == 0)
    {
      while (!ref_working_minute (t))
        t += USEC_PER_MINUTE;
      return t;
    }
  for (;;)
    {
      if (ref_working_minute (t) && --minutes == 0)
        return t + USEC_PER_MINUTE;
      t += USEC_PER_MINUTE;
    }
}

static gint64
ref_between (gint64 from,
             gint64 to)
{
  gint64 n = 0;

  if (to < from)
    return -ref_between (to, from);
  for (gint64 t = from; t < to; t += USEC_PER_MINUTE)
    n += ref_working_minute (t);
  return n;
}

/* ---- The calendar ------------------------------------------------------------------------ */

static void
test_periods (void)
{
  const WhWorkPeriod expected[] = WH_WORK_PERIODS;
  const WhWorkPeriod *p;
  guint n = 0, total = 0;

  p = wh_work_calendar_get_periods (&n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (n, ==, WH_WORK_N_PERIODS);
  g_assert_cmpuint (p[0].start_minute, ==, 9 * 60);
  g_assert_cmpuint (p[0].end_minute, ==, 12 * 60);
  g_assert_cmpuint (p[1].start_minute, ==, 13 * 60);
  g_assert_cmpuint (p[1].end_minute, ==, 18 * 60);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (p[i].start_minute, ==, expected[i].start_minute);
      g_assert_cmpuint (p[i].end_minute, ==, expected[i].end_minute);
      g_assert_cmpuint (p[i].start_minute, <, p[i].end_minute);
      if (i > 0)
        g_assert_cmpuint (p[i - 1].end_minute, <=, p[i].start_minute);
      total += p[i].end_minute - p[i].start_minute;
    }
  g_assert_cmpuint (total, ==, WH_WORK_MINUTES_PER_DAY);
  g_assert_cmpuint (total, ==, 8 * 60);
}

static void
test_time_zone (void)
{
  g_autoptr (WhWorkCalendar) def = wh_work_calendar_new (NULL);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (WhWorkCalendar) in_utc = wh_work_calendar_new (utc);
  g_autoptr (GTimeZone) prop = NULL;
  /* Monday 2026-03-02 01:00 UTC is 09:00 in Shanghai. */
  gint64 t = at ("2026-03-02 09:00");

  g_assert_nonnull (wh_work_calendar_get_time_zone (def));
  {
    GTimeZone *tz = wh_work_calendar_get_time_zone (def);
    int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL,
                                              t / G_USEC_PER_SEC);

    g_assert_cmpint (g_time_zone_get_offset (tz, interval), ==, 8 * 3600);
  }
  g_object_get (in_utc, "time-zone", &prop, NULL);
  g_assert_true (prop == utc);

  /* The default calendar counts Shanghai time, so 09:00 local is working time... */
  g_assert_true (wh_work_calendar_is_working_time (def, t));
  g_assert_false (wh_work_calendar_is_working_time (def, t - 1));
  assert_time (wh_work_calendar_add_minutes (def, at ("2026-03-02 08:30"), 30, TRUE),
               "2026-03-02 09:30:00");
  /* ...and for a calendar in UTC the same instant is 01:00, the middle of the night. */
  g_assert_false (wh_work_calendar_is_working_time (in_utc, t));
  g_assert_cmpint (wh_work_calendar_add_minutes (in_utc, t, 60, TRUE), ==,
                   t + 8 * 60 * USEC_PER_MINUTE + 60 * USEC_PER_MINUTE);

  /* Friday 2026-03-06 17:00 UTC is already Saturday 01:00 in Shanghai. */
  g_assert_false (wh_work_calendar_is_workday (def, at ("2026-03-07 01:00")));
  g_assert_true (wh_work_calendar_is_workday (in_utc, at ("2026-03-07 01:00")));
}

static void
test_is_workday (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  g_autoptr (WhWorkCalendar) plain = wh_work_calendar_new (shanghai);

  /* An ordinary week. */
  g_assert_true (wh_work_calendar_is_workday (cal, at ("2026-03-02 00:00")));  /* Mon */
  g_assert_true (wh_work_calendar_is_workday (cal, at ("2026-03-06 23:59:59"))); /* Fri */
  g_assert_false (wh_work_calendar_is_workday (cal, at ("2026-03-07 00:00"))); /* Sat */
  g_assert_false (wh_work_calendar_is_workday (cal, at ("2026-03-08 12:00"))); /* Sun */

  /* National Day: Thursday Oct 1 is a holiday; the plain calendar does not know that. */
  g_assert_false (wh_work_calendar_is_workday (cal, at ("2026-10-01 10:00")));
  g_assert_true (wh_work_calendar_is_workday (plain, at ("2026-10-01 10:00")));
  g_assert_false (wh_work_calendar_is_workday (cal, at ("2026-10-07 23:59:59")));
  g_assert_true (wh_work_calendar_is_workday (cal, at ("2026-10-08 00:00")));

  /* Make-up working days on a Sunday and a Saturday. */
  g_assert_true (wh_work_calendar_is_workday (cal, at ("2026-09-20 10:00")));
  g_assert_false (wh_work_calendar_is_workday (plain, at ("2026-09-20 10:00")));
  g_assert_true (wh_work_calendar_is_workday (cal, at ("2026-10-10 00:00")));
  g_assert_true (wh_work_calendar_is_workday (cal, at ("2026-10-09 23:59:59")));
  g_assert_false (wh_work_calendar_is_workday (cal, at ("2026-10-11 00:00")));

  /* Every day of 2026 agrees with the reference. */
  for (gint64 t = at ("2026-01-01 12:00"); t < at ("2027-01-01 00:00"); t += USEC_PER_DAY)
    g_assert_cmpint (wh_work_calendar_is_workday (cal, t), ==,
                     ref_is_workday ((t + SHANGHAI_OFFSET) / USEC_PER_DAY));
}

static void
test_exceptions (void)
{
  g_autoptr (WhWorkCalendar) cal = wh_work_calendar_new (shanghai);
  const char *bad[] = {
    "", "2026-2-03", "2026-02-3", "20260203", "2026/02/03", "2026-02-30", "2026-13-01",
    "2026-00-10", "2026-02-00", "2026-02-03 ", " 2026-02-03", "2026-02-0x", "abcd-ef-gh",
  };
  gint64 mon = at ("2026-03-02 10:00");
  gint64 sat = at ("2026-03-07 10:00");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("bad day “%s”", bad[i]);
      g_assert_false (wh_work_calendar_set_exception (cal, bad[i], FALSE));
      g_assert_false (wh_work_calendar_remove_exception (cal, bad[i]));
    }
  g_assert_false (wh_work_calendar_set_exception (cal, NULL, FALSE));
  g_assert_true (wh_work_calendar_is_workday (cal, mon));

  g_assert_true (wh_work_calendar_set_exception (cal, "2026-03-02", FALSE));
  g_assert_false (wh_work_calendar_is_workday (cal, mon));
  g_assert_false (wh_work_calendar_is_working_time (cal, mon));
  /* Setting the day again replaces the exception. */
  g_assert_true (wh_work_calendar_set_exception (cal, "2026-03-02", TRUE));
  g_assert_true (wh_work_calendar_is_workday (cal, mon));
  g_assert_true (wh_work_calendar_set_exception (cal, "2026-03-02", FALSE));
  g_assert_true (wh_work_calendar_remove_exception (cal, "2026-03-02"));
  g_assert_false (wh_work_calendar_remove_exception (cal, "2026-03-02"));
  g_assert_true (wh_work_calendar_is_workday (cal, mon));

  g_assert_true (wh_work_calendar_set_exception (cal, "2026-03-07", TRUE));
  g_assert_true (wh_work_calendar_is_workday (cal, sat));
  g_assert_true (wh_work_calendar_is_working_time (cal, sat));
  /* An exception is for that one date, not for that weekday. */
  g_assert_false (wh_work_calendar_is_workday (cal, sat + 7 * USEC_PER_DAY));
  g_assert_false (wh_work_calendar_is_workday (cal, sat - 7 * USEC_PER_DAY));
  /* Leap day of a leap year is a valid date. */
  g_assert_true (wh_work_calendar_set_exception (cal, "2028-02-29", FALSE));
  g_assert_false (wh_work_calendar_set_exception (cal, "2026-02-29", FALSE));
}

static void
test_is_working_time (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  struct { const char *when; gboolean working; } cases[] = {
    { "2026-03-02 08:59:59", FALSE },
    { "2026-03-02 09:00:00", TRUE },
    { "2026-03-02 11:59:59", TRUE },
    { "2026-03-02 12:00:00", FALSE },
    { "2026-03-02 12:59:59", FALSE },
    { "2026-03-02 13:00:00", TRUE },
    { "2026-03-02 17:59:59", TRUE },
    { "2026-03-02 18:00:00", FALSE },
    { "2026-03-02 23:00:00", FALSE },
    { "2026-03-07 10:00:00", FALSE },  /* Saturday */
    { "2026-10-01 10:00:00", FALSE },  /* National Day */
    { "2026-10-10 10:00:00", TRUE },   /* make-up Saturday */
    { "2026-10-10 12:30:00", FALSE },  /* its lunch break too */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].when);
      g_assert_cmpint (wh_work_calendar_is_working_time (cal, at (cases[i].when)), ==,
                       cases[i].working);
    }
}

/* ---- add_minutes: named situations ------------------------------------------------------ */

typedef struct
{
  const char *start;
  gint64      minutes;
  const char *expected;
} AddCase;

static void
check_add_cases (WhWorkCalendar *cal,
                 const AddCase  *cases,
                 gsize           n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      gint64 start = at (cases[i].start);
      gint64 due = wh_work_calendar_add_minutes (cal, start, cases[i].minutes, TRUE);

      g_test_message ("%s + %" G_GINT64_FORMAT " working minutes", cases[i].start,
                      cases[i].minutes);
      assert_time (due, cases[i].expected);
      g_assert_cmpint (due, ==, ref_add (start, cases[i].minutes));
      g_assert_cmpint (wh_work_calendar_minutes_between (cal, start, due, TRUE), ==,
                       cases[i].minutes);
      g_assert_cmpint (wh_work_calendar_minutes_between (cal, due, start, TRUE), ==,
                       -cases[i].minutes);
    }
}

static void
test_calendar_time (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  gint64 sat = at ("2026-10-03 23:00");

  /* Calendar time ignores nights, weekends and holidays alike. */
  assert_time (wh_work_calendar_add_minutes (cal, sat, 90, FALSE), "2026-10-04 00:30:00");
  assert_time (wh_work_calendar_add_minutes (cal, sat, 7 * 24 * 60, FALSE),
               "2026-10-10 23:00:00");
  assert_time (wh_work_calendar_add_minutes (cal, sat, -23 * 60, FALSE), "2026-10-03 00:00:00");
  assert_time (wh_work_calendar_add_minutes (cal, sat, 0, FALSE), "2026-10-03 23:00:00");
  g_assert_cmpint (wh_work_calendar_minutes_between (cal, sat, sat + 90 * USEC_PER_MINUTE, FALSE),
                   ==, 90);
  g_assert_cmpint (wh_work_calendar_minutes_between (cal, sat + 90 * USEC_PER_MINUTE, sat, FALSE),
                   ==, -90);
  /* Whole minutes, rounded toward zero in both directions. */
  g_assert_cmpint (wh_work_calendar_minutes_between (cal, sat, sat + 119 * G_USEC_PER_SEC, FALSE),
                   ==, 1);
  g_assert_cmpint (wh_work_calendar_minutes_between (cal, sat + 119 * G_USEC_PER_SEC, sat, FALSE),
                   ==, -1);
  g_assert_cmpint (wh_work_calendar_minutes_between (cal, sat, sat + 59 * G_USEC_PER_SEC, FALSE),
                   ==, 0);

  /* The same span in working time: none of it counts. */
  g_assert_cmpint (wh_work_calendar_minutes_between (cal, sat, sat + 90 * USEC_PER_MINUTE, TRUE),
                   ==, 0);
}

static void
test_inside_period (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  const AddCase cases[] = {
    { "2026-03-02 10:00", 0, "2026-03-02 10:00:00" },
    { "2026-03-02 10:00", 1, "2026-03-02 10:01:00" },
    { "2026-03-02 10:00", 60, "2026-03-02 11:00:00" },
    { "2026-03-02 10:00", 120, "2026-03-02 12:00:00" },   /* ends exactly as lunch begins */
    { "2026-03-02 10:00", 121, "2026-03-02 13:01:00" },
    { "2026-03-02 10:00", 180, "2026-03-02 14:00:00" },
    { "2026-03-02 10:00", 420, "2026-03-02 18:00:00" },   /* ends exactly at closing */
    { "2026-03-02 10:00", 421, "2026-03-03 09:01:00" },
    { "2026-03-02 10:00", 480, "2026-03-03 10:00:00" },   /* one working day */
    { "2026-03-02 09:00", 480, "2026-03-02 18:00:00" },
    { "2026-03-02 09:00", 180, "2026-03-02 12:00:00" },
    { "2026-03-02 13:00", 300, "2026-03-02 18:00:00" },
    { "2026-03-02 17:59", 1, "2026-03-02 18:00:00" },
    { "2026-03-02 17:59", 2, "2026-03-03 09:01:00" },
    { "2026-03-02 11:59", 2, "2026-03-02 13:01:00" },
  };

  check_add_cases (cal, cases, G_N_ELEMENTS (cases));

  /* Seconds are kept: the clock does not round the start to a minute. */
  assert_time (wh_work_calendar_add_minutes (cal, at ("2026-03-02 10:00:30"), 1, TRUE),
               "2026-03-02 10:01:30");
  assert_time (wh_work_calendar_add_minutes (cal, at ("2026-03-02 11:59:30"), 1, TRUE),
               "2026-03-02 13:00:30");
  g_assert_cmpint (wh_work_calendar_minutes_between (cal, at ("2026-03-02 10:00:30"),
                                                     at ("2026-03-02 10:01:29"), TRUE), ==, 0);
  g_assert_cmpint (wh_work_calendar_minutes_between (cal, at ("2026-03-02 11:59:30"),
                                                     at ("2026-03-02 13:00:29"), TRUE), ==, 0);
  g_assert_cmpint (wh_work_calendar_minutes_between (cal, at ("2026-03-02 11:59:30"),
                                                     at ("2026-03-02 13:00:30"), TRUE), ==, 1);
}

static void
test_lunch_break (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  const AddCase cases[] = {
    { "2026-03-02 12:00", 0, "2026-03-02 13:00:00" },
    { "2026-03-02 12:00", 1, "2026-03-02 13:01:00" },
    { "2026-03-02 12:30", 30, "2026-03-02 13:30:00" },
    { "2026-03-02 12:59", 300, "2026-03-02 18:00:00" },
    { "2026-03-02 12:30", 301, "2026-03-03 09:01:00" },
  };

  check_add_cases (cal, cases, G_N_ELEMENTS (cases));
  assert_time (wh_work_calendar_add_minutes (cal, at ("2026-03-02 12:59:59"), 1, TRUE),
               "2026-03-02 13:01:00");
}

static void
test_night (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  const AddCase cases[] = {
    { "2026-03-02 18:00", 0, "2026-03-03 09:00:00" },     /* closing time is already night */
    { "2026-03-02 18:00", 1, "2026-03-03 09:01:00" },
    { "2026-03-02 22:00", 60, "2026-03-03 10:00:00" },
    { "2026-03-02 23:59", 240, "2026-03-03 14:00:00" },
    { "2026-03-03 00:00", 60, "2026-03-03 10:00:00" },
    { "2026-03-03 03:00", 60, "2026-03-03 10:00:00" },
    { "2026-03-03 08:59", 1, "2026-03-03 09:01:00" },
    { "2026-03-03 08:59", 0, "2026-03-03 09:00:00" },
  };

  check_add_cases (cal, cases, G_N_ELEMENTS (cases));
}

static void
test_friday_evening (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  const AddCase cases[] = {
    { "2026-03-06 17:00", 60, "2026-03-06 18:00:00" },
    { "2026-03-06 17:00", 120, "2026-03-09 10:00:00" },
    { "2026-03-06 18:00", 0, "2026-03-09 09:00:00" },
    { "2026-03-06 18:30", 120, "2026-03-09 11:00:00" },
    { "2026-03-06 23:59", 480, "2026-03-09 18:00:00" },
  };

  check_add_cases (cal, cases, G_N_ELEMENTS (cases));
}

static void
test_weekend (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  const AddCase cases[] = {
    { "2026-03-07 00:00", 60, "2026-03-09 10:00:00" },
    { "2026-03-07 10:00", 60, "2026-03-09 10:00:00" },
    { "2026-03-08 17:00", 180, "2026-03-09 12:00:00" },
    { "2026-03-08 23:59", 181, "2026-03-09 13:01:00" },
  };

  check_add_cases (cal, cases, G_N_ELEMENTS (cases));
}

static void
test_holiday (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  const AddCase cases[] = {
    /* Wednesday before National Day: one hour today, then a week off. */
    { "2026-09-30 17:00", 120, "2026-10-08 10:00:00" },
    { "2026-09-30 18:00", 0, "2026-10-08 09:00:00" },
    /* Inside the holiday, on a weekday and on its weekend. */
    { "2026-10-01 10:00", 60, "2026-10-08 10:00:00" },
    { "2026-10-03 10:00", 480, "2026-10-08 18:00:00" },
    { "2026-10-05 09:00", 481, "2026-10-09 09:01:00" },
    /* Spring Festival: Friday Feb 13, the make-up Saturday Feb 14, then nine days off. */
    { "2026-02-13 14:00", 240, "2026-02-13 18:00:00" },
    { "2026-02-13 14:00", 960, "2026-02-24 14:00:00" },
    /* New Year: Jan 1–3 off, Sunday Jan 4 worked. */
    { "2025-12-31 17:00", 120, "2026-01-04 10:00:00" },
  };

  check_add_cases (cal, cases, G_N_ELEMENTS (cases));
}

static void
test_makeup_day (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  g_autoptr (WhWorkCalendar) plain = wh_work_calendar_new (shanghai);
  const AddCase cases[] = {
    /* Friday after National Day runs into the make-up Saturday Oct 10. */
    { "2026-10-09 17:00", 120, "2026-10-10 10:00:00" },
    { "2026-10-09 18:00", 0, "2026-10-10 09:00:00" },
    { "2026-10-10 08:00", 60, "2026-10-10 10:00:00" },
    { "2026-10-10 12:15", 300, "2026-10-10 18:00:00" },
    { "2026-10-10 17:00", 120, "2026-10-12 10:00:00" },   /* Sunday Oct 11 is off again */
    /* The make-up Sunday Sep 20. */
    { "2026-09-19 12:00", 60, "2026-09-20 10:00:00" },
    { "2026-09-20 09:00", 480, "2026-09-20 18:00:00" },
  };

  check_add_cases (cal, cases, G_N_ELEMENTS (cases));

  /* Without the exceptions the same start waits for Monday. */
  assert_time (wh_work_calendar_add_minutes (plain, at ("2026-10-09 17:00"), 120, TRUE),
               "2026-10-12 10:00:00");
}

static void
test_long_limits (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  const AddCase cases[] = {
    /* 30 working days from Monday Mar 2: March has 22, Apr 1–3 three more, Apr 6 is
     * Qingming, Apr 7–10 four more, and Monday Apr 13 is the thirtieth. */
    { "2026-03-02 09:00", 30 * 480, "2026-04-13 18:00:00" },
    { "2026-03-02 09:00", 30 * 480 + 1, "2026-04-14 09:01:00" },
    /* Through the whole National Day holiday and both of its make-up days. */
    { "2026-09-14 09:00", 20 * 480, "2026-10-15 18:00:00" },
    /* Two weeks and a bit across Labour Day (May 1–5 off, May 9 worked). */
    { "2026-04-27 13:00", 10 * 480 + 60, "2026-05-13 14:00:00" },
  };

  check_add_cases (cal, cases, G_N_ELEMENTS (cases));

  /* A year's worth of working time: 2026 from Jan 1 has exactly the working days the
   * reference counts, and the fast path agrees with it to the minute. */
  {
    gint64 start = at ("2026-01-01 00:00");
    gint64 end = at ("2027-01-01 00:00");
    gint64 year_minutes = ref_between (start, end);
    gint64 due;

    g_assert_cmpint (year_minutes % 480, ==, 0);
    g_test_message ("2026 has %" G_GINT64_FORMAT " working days", year_minutes / 480);
    g_assert_cmpint (wh_work_calendar_minutes_between (cal, start, end, TRUE), ==, year_minutes);
    due = wh_work_calendar_add_minutes (cal, start, year_minutes, TRUE);
    assert_time (due, "2026-12-31 18:00:00");
  }
}

/* The cost must grow with days, not minutes: a thousand 30-working-day deadlines and a
 * ten-year one take well under the time a per-minute loop would need. */
static void
test_long_limits_fast (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  gint64 start = at ("2026-03-02 10:17");
  gint64 first = 0;
  gint64 ten_years;
  double elapsed;

  g_test_timer_start ();
  for (guint i = 0; i < 1000; i++)
    {
      gint64 due = wh_work_calendar_add_minutes (cal, start, 30 * 480, TRUE);

      if (i == 0)
        first = due;
      g_assert_cmpint (due, ==, first);
    }
  ten_years = wh_work_calendar_add_minutes (cal, start, (gint64) 10 * 250 * 480, TRUE);
  elapsed = g_test_timer_elapsed ();
  g_test_message ("1000 x 30 working days + 10 years: %.3f s", elapsed);

  g_assert_cmpint (wh_work_calendar_minutes_between (cal, start, ten_years, TRUE), ==,
                   (gint64) 10 * 250 * 480);
  g_assert_cmpint (ten_years, >, start + (gint64) 9 * 365 * USEC_PER_DAY);
  /* Generous for slow machines and MALLOC_CHECK_; a per-minute loop would need minutes. */
  g_assert_cmpfloat (elapsed, <, 10.0);
}

/* ---- add_minutes and minutes_between against the reference ----------------------------- */

static void
test_random_against_reference (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  gint64 year_start = at ("2026-01-01 00:00");

  for (guint i = 0; i < 300; i++)
    {
      /* Minute-aligned starts anywhere in 2026, limits up to a working week and a half. */
      gint64 start = year_start + g_test_rand_int_range (0, 364 * 24 * 60) * USEC_PER_MINUTE;
      gint64 minutes = g_test_rand_int_range (0, 6000);
      gint64 other = start + g_test_rand_int_range (-20 * 24 * 60, 20 * 24 * 60) * USEC_PER_MINUTE;
      gint64 due = wh_work_calendar_add_minutes (cal, start, minutes, TRUE);
      gint64 back = wh_work_calendar_add_minutes (cal, start, -minutes, TRUE);

      g_assert_cmpint (due, ==, ref_add (start, minutes));
      g_assert_cmpint (wh_work_calendar_minutes_between (cal, start, due, TRUE), ==, minutes);
      g_assert_cmpint (wh_work_calendar_minutes_between (cal, back, start, TRUE), ==, minutes);
      /* Zero minutes from outside working time is the next working moment, after start. */
      if (minutes > 0)
        g_assert_cmpint (back, <=, start);
      g_assert_cmpint (wh_work_calendar_minutes_between (cal, start, other, TRUE), ==,
                       ref_between (start, other));
      g_assert_cmpint (wh_work_calendar_minutes_between (cal, other, start, TRUE), ==,
                       -ref_between (start, other));
      /* Calendar time is just arithmetic, and symmetric too. */
      g_assert_cmpint (wh_work_calendar_add_minutes (cal, start, minutes, FALSE), ==,
                       start + minutes * USEC_PER_MINUTE);
      g_assert_cmpint (wh_work_calendar_minutes_between (cal, start,
                                                         start + minutes * USEC_PER_MINUTE, FALSE),
                       ==, minutes);
    }
}

static void
test_backwards (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();

  assert_time (wh_work_calendar_add_minutes (cal, at ("2026-03-02 11:00"), -60, TRUE),
               "2026-03-02 10:00:00");
  assert_time (wh_work_calendar_add_minutes (cal, at ("2026-03-02 13:30"), -60, TRUE),
               "2026-03-02 11:30:00");
  assert_time (wh_work_calendar_add_minutes (cal, at ("2026-03-02 12:30"), -180, TRUE),
               "2026-03-02 09:00:00");
  /* Monday morning back into Friday afternoon. */
  assert_time (wh_work_calendar_add_minutes (cal, at ("2026-03-09 09:30"), -60, TRUE),
               "2026-03-06 17:30:00");
  /* From after the holiday back before it. */
  assert_time (wh_work_calendar_add_minutes (cal, at ("2026-10-08 10:00"), -120, TRUE),
               "2026-09-30 17:00:00");
}

/* ---- Deadlines --------------------------------------------------------------------------- */

static void
test_shorten (void)
{
  struct { gint64 minutes; double factor; gint64 expected; } cases[] = {
    { 60, 1.0, 60 },
    { 60, 0.5, 30 },
    { 60, 0.25, 15 },
    { 61, 0.5, 31 },      /* 30.5 rounds up */
    { 3, 0.5, 2 },
    { 5, 0.25, 2 },
    { 1, 0.5, 1 },        /* never below one minute */
    { 1, 0.25, 1 },
    { 2, 0.01, 1 },
    { 60, 0.3, 18 },
    { 100, 0.55, 55 },    /* 55.00000000000001 in binary, still 55 */
    { 1, 1e-7, 1 },       /* a product that rounds to zero still leaves one minute */
    { 10, 0.33, 4 },      /* 3.3 rounds up */
    { 100, 0.7, 70 },
    { 14400, 0.25, 3600 },
    { 14401, 0.25, 3601 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%" G_GINT64_FORMAT " x %g", cases[i].minutes, cases[i].factor);
      g_assert_cmpint (wh_deadline_shorten (cases[i].minutes, cases[i].factor), ==,
                       cases[i].expected);
    }
}

static void
test_compute_working (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  /* Respond within two working hours, handle within five working days. */
  const WhTimeLimits limits = { 120, 5 * 480, TRUE };
  gint64 whistle = at ("2026-03-02 16:00");
  gint64 response = 0, handling = 0;

  wh_deadline_compute (cal, &limits, 1.0, whistle, &response, &handling);
  assert_time (response, "2026-03-02 18:00:00");
  assert_time (handling, "2026-03-09 16:00:00");

  wh_deadline_compute (cal, &limits, 0.5, whistle, &response, &handling);
  assert_time (response, "2026-03-02 17:00:00");
  assert_time (handling, "2026-03-05 11:00:00");

  wh_deadline_compute (cal, &limits, 0.25, whistle, &response, &handling);
  assert_time (response, "2026-03-02 16:30:00");
  assert_time (handling, "2026-03-03 18:00:00");

  /* Whistled on the evening before National Day: both clocks wait for Oct 8. */
  wh_deadline_compute (cal, &limits, 1.0, at ("2026-09-30 19:00"), &response, &handling);
  assert_time (response, "2026-10-08 11:00:00");
  /* Five working days: Oct 8, 9, 10 (the make-up Saturday), 12 and 13. */
  assert_time (handling, "2026-10-13 18:00:00");

  /* Either output may be omitted. */
  response = handling = 0;
  wh_deadline_compute (cal, &limits, 1.0, whistle, NULL, &handling);
  assert_time (handling, "2026-03-09 16:00:00");
  wh_deadline_compute (cal, &limits, 1.0, whistle, &response, NULL);
  assert_time (response, "2026-03-02 18:00:00");
}

static void
test_compute_calendar (void)
{
  g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
  /* A calendar-time category (say, a hazard): 30 minutes to respond, a day to handle. */
  const WhTimeLimits limits = { 30, 24 * 60, FALSE };
  gint64 whistle = at ("2026-10-03 23:00");  /* Saturday night inside National Day */
  gint64 response, handling;

  wh_deadline_compute (cal, &limits, 1.0, whistle, &response, &handling);
  assert_time (response, "2026-10-03 23:30:00");
  assert_time (handling, "2026-10-04 23:00:00");

  wh_deadline_compute (cal, &limits, 0.5, whistle, &response, &handling);
  assert_time (response, "2026-10-03 23:15:00");
  assert_time (handling, "2026-10-04 11:00:00");

  wh_deadline_compute (cal, &limits, 0.25, whistle, &response, &handling);
  assert_time (response, "2026-10-03 23:08:00");  /* 7.5 rounds up to 8 */
  assert_time (handling, "2026-10-04 05:00:00");

  /* The same limits counted in working time would wait for Oct 8. */
  {
    const WhTimeLimits working = { 30, 24 * 60, TRUE };

    wh_deadline_compute (cal, &working, 1.0, whistle, &response, &handling);
    assert_time (response, "2026-10-08 09:30:00");
    assert_time (handling, "2026-10-10 18:00:00");  /* three working days: 8, 9, 10 */
  }
}

/* Refused arguments are programmer errors: a critical warning, which tests make fatal. */
typedef struct
{
  const char *name;
  const char *stderr_pattern;
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "factor-zero", "*CRITICAL*priority_factor*" },
  { "factor-above-one", "*CRITICAL*priority_factor*" },
  { "factor-nan", "*CRITICAL*priority_factor*" },
  { "response-zero", "*CRITICAL*response_minutes*" },
  { "handling-negative", "*CRITICAL*handling_minutes*" },
  { "too-many-minutes", "*CRITICAL*minutes*" },
};

static void
test_invalid (gconstpointer data)
{
  const InvalidCase *c = data;

  if (g_test_subprocess ())
    {
      g_autoptr (WhWorkCalendar) cal = calendar_2026 ();
      WhTimeLimits limits = { 60, 480, TRUE };
      gint64 from = at ("2026-03-02 10:00");
      gint64 response, handling;

      if (g_str_equal (c->name, "factor-zero"))
        wh_deadline_compute (cal, &limits, 0.0, from, &response, &handling);
      else if (g_str_equal (c->name, "factor-above-one"))
        wh_deadline_compute (cal, &limits, 1.5, from, &response, &handling);
      else if (g_str_equal (c->name, "factor-nan"))
        wh_deadline_compute (cal, &limits, NAN, from, &response, &handling);
      else if (g_str_equal (c->name, "response-zero"))
        {
          limits.response_minutes = 0;
          wh_deadline_compute (cal, &limits, 1.0, from, &response, &handling);
        }
      else if (g_str_equal (c->name, "handling-negative"))
        {
          limits.handling_minutes = -5;
          wh_deadline_compute (cal, &limits, 1.0, from, &response, &handling);
        }
      else if (g_str_equal (c->name, "too-many-minutes"))
        wh_work_calendar_add_minutes (cal, from, WH_WORK_CALENDAR_MAX_MINUTES + 1, TRUE);
      else
        g_assert_not_reached ();
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr (c->stderr_pattern);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  if (shanghai == NULL)
    shanghai = g_time_zone_new_offset (8 * 3600);

  g_test_add_func ("/calendar/periods", test_periods);
  g_test_add_func ("/calendar/time-zone", test_time_zone);
  g_test_add_func ("/calendar/is-workday", test_is_workday);
  g_test_add_func ("/calendar/exceptions", test_exceptions);
  g_test_add_func ("/calendar/is-working-time", test_is_working_time);
  g_test_add_func ("/calendar/calendar-time", test_calendar_time);
  g_test_add_func ("/calendar/inside-period", test_inside_period);
  g_test_add_func ("/calendar/lunch-break", test_lunch_break);
  g_test_add_func ("/calendar/night", test_night);
  g_test_add_func ("/calendar/friday-evening", test_friday_evening);
  g_test_add_func ("/calendar/weekend", test_weekend);
  g_test_add_func ("/calendar/holiday", test_holiday);
  g_test_add_func ("/calendar/make-up-day", test_makeup_day);
  g_test_add_func ("/calendar/long-limits", test_long_limits);
  g_test_add_func ("/calendar/long-limits-fast", test_long_limits_fast);
  g_test_add_func ("/calendar/backwards", test_backwards);
  g_test_add_func ("/calendar/random-vs-reference", test_random_against_reference);
  g_test_add_func ("/deadline/shorten", test_shorten);
  g_test_add_func ("/deadline/working-hours", test_compute_working);
  g_test_add_func ("/deadline/calendar-hours", test_compute_calendar);
  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deadline/invalid/%s", invalid_cases[i].name);

      g_test_add_data_func (path, &invalid_cases[i], test_invalid);
    }

  ret = g_test_run ();
  g_time_zone_unref (shanghai);
  return ret;
}
