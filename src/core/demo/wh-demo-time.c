/* wh-demo-time.c — local dates and duty rosters of the demo street */
#include "config.h"

#include <string.h>

#include "wh-demo-private.h"

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

static gint64
floor_mod (gint64 a,
           gint64 b)
{
  return a - floor_div (a, b) * b;
}

gint64
demo_local_day (gint64 usec)
{
  return floor_div (usec + DEMO_UTC_OFFSET, DEMO_USEC_PER_DAY);
}

gint64
demo_day_start (gint64 day)
{
  return day * DEMO_USEC_PER_DAY - DEMO_UTC_OFFSET;
}

/* Howard Hinnant's days-from-civil: exact for the proleptic Gregorian calendar. */
gint64
demo_date_to_day (int year,
                  int month,
                  int mday)
{
  gint64 y = year - (month <= 2);
  gint64 era = floor_div (y, 400);
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

void
demo_day_to_date (gint64  day,
                  int    *year,
                  int    *month,
                  int    *mday)
{
  gint64 z = day + 719468;
  gint64 era = floor_div (z, 146097);
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int d = doy - (153 * mp + 2) / 5 + 1;
  int m = mp < 10 ? mp + 3 : mp - 9;

  *year = yoe + era * 400 + (m <= 2);
  *month = m;
  *mday = d;
}

int
demo_day_weekday (gint64 day)
{
  /* 1970-01-01 was a Thursday. */
  return floor_mod (day + 4, 7);
}

char *
demo_day_to_string (gint64 day)
{
  int y, m, d;

  demo_day_to_date (day, &y, &m, &d);
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

int
demo_day_exception (gint64 day)
{
  char buf[16];
  int y, m, d;

  demo_day_to_date (day, &y, &m, &d);
  g_snprintf (buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  for (guint i = 0; i < demo_n_holidays; i++)
    if (strcmp (demo_holidays[i].day, buf) == 0)
      return demo_holidays[i].is_workday ? 1 : 0;
  return -1;
}

gboolean
demo_day_is_workday (gint64 day)
{
  int exception = demo_day_exception (day);
  int weekday;

  if (exception >= 0)
    return exception == 1;
  weekday = demo_day_weekday (day);
  return weekday != 0 && weekday != 6;
}

/* The center's duty desk runs three eight-hour shifts a day: two people on the night shift
 * (00–08), three on the day shift (08–16) when the hotline is busiest, two in the evening
 * (16–24). Seven slots a day, filled in rotation from the duty officers. */
static const struct {
  int start_hour;
  int end_hour;
} center_slots[] = {
  { 0, 8 }, { 0, 8 }, { 8, 16 }, { 8, 16 }, { 8, 16 }, { 16, 24 }, { 16, 24 },
};

guint
demo_center_slots (void)
{
  return G_N_ELEMENTS (center_slots);
}

void
demo_center_shift (guint  slot,
                   int   *start_hour,
                   int   *end_hour)
{
  g_return_if_fail (slot < G_N_ELEMENTS (center_slots));
  *start_hour = center_slots[slot].start_hour;
  *end_hour = center_slots[slot].end_hour;
}

/* With more officers than slots a day, consecutive days shift the rotation by seven, so
 * nobody works two shifts in one day and everyone gets days off in turn. */
guint
demo_center_officer (DemoContext *ctx,
                     gint64       day,
                     guint        slot)
{
  guint n = ctx->duty_officers->len;

  return g_array_index (ctx->duty_officers, guint,
                        floor_mod (day * G_N_ELEMENTS (center_slots) + slot, n));
}

guint
demo_officer_at (DemoContext *ctx,
                 gint64       usec,
                 guint        which)
{
  gint64 day = demo_local_day (usec);
  int hour = (usec - demo_day_start (day)) / DEMO_USEC_PER_HOUR;
  guint first = G_MAXUINT, n = 0;

  for (guint slot = 0; slot < G_N_ELEMENTS (center_slots); slot++)
    if (hour >= center_slots[slot].start_hour && hour < center_slots[slot].end_hour)
      {
        if (first == G_MAXUINT)
          first = slot;
        n++;
      }
  g_assert (n > 0);
  return demo_center_officer (ctx, day, first + which % n);
}

/* The leader on call (带班领导) serves from 08:00 to 08:00 the next morning. */
guint
demo_leader_at (DemoContext *ctx,
                gint64       usec)
{
  gint64 day = demo_local_day (usec - 8 * DEMO_USEC_PER_HOUR);

  return g_array_index (ctx->leaders, guint, floor_mod (day, ctx->leaders->len));
}

guint
demo_liaison_at (DemoContext *ctx,
                 guint        unit,
                 gint64       usec)
{
  DemoUnit *u = g_ptr_array_index (ctx->units, unit);
  gint64 day = demo_local_day (usec);

  g_return_val_if_fail (u->liaisons->len > 0, 0);
  return g_array_index (u->liaisons, guint, floor_mod (day, u->liaisons->len));
}

/* Even-odd rule; a point exactly on an edge may fall either way, which the generator
 * avoids by sampling strictly inside. */
gboolean
demo_point_in_cell (const DemoCell *cell,
                    double          lon,
                    double          lat)
{
  gboolean inside = FALSE;

  if (lon < cell->min_lon || lon > cell->max_lon || lat < cell->min_lat || lat > cell->max_lat)
    return FALSE;
  for (guint i = 0, j = cell->n_points - 1; i < cell->n_points; j = i++)
    {
      double xi = cell->lon[i], yi = cell->lat[i];
      double xj = cell->lon[j], yj = cell->lat[j];

      if (((yi > lat) != (yj > lat)) && (lon < (xj - xi) * (lat - yi) / (yj - yi) + xi))
        inside = !inside;
    }
  return inside;
}
