/* wh-format.c — how times, durations and codes are shown on the desk */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-format.h"

static GDateTime *
local_time (gint64 usec)
{
  return g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
}

char *
wh_format_time (gint64 usec)
{
  g_autoptr (GDateTime) dt = NULL;

  if (usec == 0)
    return g_strdup ("—");
  dt = local_time (usec);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

char *
wh_format_time_short (gint64 usec, gint64 now)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autoptr (GDateTime) now_dt = NULL;

  if (usec == 0)
    return g_strdup ("—");
  dt = local_time (usec);
  now_dt = local_time (now);
  if (g_date_time_get_year (dt) == g_date_time_get_year (now_dt) &&
      g_date_time_get_day_of_year (dt) == g_date_time_get_day_of_year (now_dt))
    return g_date_time_format (dt, "%H:%M");
  if (g_date_time_get_year (dt) == g_date_time_get_year (now_dt))
    return g_date_time_format (dt, "%m-%d %H:%M");
  return g_date_time_format (dt, "%Y-%m-%d");
}

char *
wh_format_duration (gint64 usec)
{
  gint64 minutes = ABS (usec) / (60 * G_USEC_PER_SEC);
  gint64 days = minutes / (24 * 60);
  gint64 hours = (minutes / 60) % 24;

  if (days > 0)
    /* Translators: a duration in days and hours, e.g. "3 d 4 h" */
    return g_strdup_printf (_ ("%d d %d h"), (int) days, (int) hours);
  if (hours > 0)
    /* Translators: a duration in hours and minutes, e.g. "2 h 5 min" */
    return g_strdup_printf (_ ("%d h %d min"), (int) hours, (int) (minutes % 60));
  /* Translators: a duration in minutes, e.g. "12 min" */
  return g_strdup_printf (_ ("%d min"), (int) minutes);
}

char *
wh_format_countdown (gint64 left, WhDeadlineState *state)
{
  g_autofree char *span = NULL;
  WhDeadlineState  s;
  char            *text;

  if (left == G_MAXINT64)
    {
      s = WH_DEADLINE_NONE;
      text = g_strdup ("—");
    }
  else
    {
      span = wh_format_duration (left);
      if (left < 0)
        {
          s = WH_DEADLINE_OVERDUE;
          /* Translators: %s is a duration such as "3 h 5 min" */
          text = g_strdup_printf (_ ("Overdue %s"), span);
        }
      else
        {
          s = left < 2 * G_TIME_SPAN_HOUR ? WH_DEADLINE_SOON : WH_DEADLINE_NORMAL;
          /* Translators: %s is a duration such as "3 h 5 min" */
          text = g_strdup_printf (_ ("%s left"), span);
        }
    }

  if (state != NULL)
    *state = s;
  return text;
}

const char *
wh_deadline_css_class (WhDeadlineState state)
{
  switch (state)
    {
    case WH_DEADLINE_NORMAL:
      return "deadline-normal";
    case WH_DEADLINE_SOON:
      return "deadline-soon";
    case WH_DEADLINE_OVERDUE:
      return "deadline-overdue";
    case WH_DEADLINE_NONE:
    default:
      return NULL;
    }
}

char *
wh_format_term (gint64 since, gint64 until)
{
  g_autoptr (GDateTime) a = NULL;
  g_autoptr (GDateTime) b = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (since == 0 && until == 0)
    return g_strdup ("—");
  if (since != 0)
    {
      a = local_time (since);
      from = g_date_time_format (a, "%Y-%m");
    }
  if (until != 0)
    {
      b = local_time (until);
      to = g_date_time_format (b, "%Y-%m");
    }
  if (from != NULL && to != NULL)
    return g_strdup_printf ("%s – %s", from, to);
  if (from != NULL)
    /* Translators: a term of office without end, %s is a month such as "2024-03" */
    return g_strdup_printf (_ ("since %s"), from);
  /* Translators: a term of office without known start, %s is a month such as "2026-03" */
  return g_strdup_printf (_ ("until %s"), to);
}

const char *
wh_source_label (const char *source)
{
  if (source == NULL)
    return "";
  if (g_str_equal (source, "patrol"))
    return C_ ("source", "Grid patrol");
  if (g_str_equal (source, "hotline"))
    return C_ ("source", "12345 hotline");
  if (g_str_equal (source, "video"))
    return C_ ("source", "Video");
  if (g_str_equal (source, "walk_in"))
    return C_ ("source", "Walk-in");
  if (g_str_equal (source, "community"))
    return C_ ("source", "Community");
  if (g_str_equal (source, "district"))
    return C_ ("source", "District platform");
  return source;
}

WhStatusGroup
wh_status_group (WhStatus status)
{
  switch (status)
    {
    case WH_STATUS_REPORTED:
    case WH_STATUS_REGISTERED:
      return WH_STATUS_GROUP_INTAKE;
    case WH_STATUS_WHISTLED:
    case WH_STATUS_ACKNOWLEDGED:
    case WH_STATUS_RETURNED:
    case WH_STATUS_ESCALATED:
      return WH_STATUS_GROUP_DISPATCHED;
    case WH_STATUS_IN_PROGRESS:
    case WH_STATUS_LEGAL_REVIEW:
    case WH_STATUS_REWORK:
      return WH_STATUS_GROUP_HANDLING;
    case WH_STATUS_RESOLVED:
    case WH_STATUS_VERIFIED:
      return WH_STATUS_GROUP_CHECKING;
    case WH_STATUS_NOT_ACCEPTED:
    case WH_STATUS_CLOSED:
    case WH_STATUS_RATED:
    case WH_N_STATUSES:
    default:
      return WH_STATUS_GROUP_DONE;
    }
}

const char *
wh_status_group_label (WhStatusGroup group)
{
  switch (group)
    {
    case WH_STATUS_GROUP_INTAKE:
      return C_ ("status group", "Waiting for dispatch");
    case WH_STATUS_GROUP_DISPATCHED:
      return C_ ("status group", "Whistled");
    case WH_STATUS_GROUP_HANDLING:
      return C_ ("status group", "Being handled");
    case WH_STATUS_GROUP_CHECKING:
      return C_ ("status group", "Awaiting verification");
    case WH_STATUS_GROUP_DONE:
      return C_ ("status group", "Closed");
    case WH_N_STATUS_GROUPS:
    default:
      return "";
    }
}

const char *
wh_status_group_css_class (WhStatusGroup group)
{
  static const char *const classes[WH_N_STATUS_GROUPS] = {
    "status-intake", "status-dispatched", "status-handling", "status-checking", "status-done",
  };

  g_return_val_if_fail (group < WH_N_STATUS_GROUPS, NULL);
  return classes[group];
}

void
wh_status_group_color (WhStatusGroup group, double *r, double *g, double *b)
{
  /* Keep in step with the status-* classes of style.css (GNOME palette). */
  static const double colors[WH_N_STATUS_GROUPS][3] = {
    { 0x98 / 255., 0x41 / 255., 0xc1 / 255. }, /* purple 3: intake */
    { 0x1c / 255., 0x71 / 255., 0xd8 / 255. }, /* blue 4: whistled */
    { 0xe6 / 255., 0x61 / 255., 0x00 / 255. }, /* orange 4: handling */
    { 0x26 / 255., 0xa2 / 255., 0x69 / 255. }, /* green 4: checking */
    { 0x77 / 255., 0x76 / 255., 0x7b / 255. }, /* dark 1: done */
  };

  g_return_if_fail (group < WH_N_STATUS_GROUPS);
  *r = colors[group][0];
  *g = colors[group][1];
  *b = colors[group][2];
}
