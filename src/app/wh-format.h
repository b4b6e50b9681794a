/* wh-format.h — how times, durations and codes are shown on the desk */
#pragma once

#include <glib.h>

#include "wh-lifecycle.h"

G_BEGIN_DECLS

typedef enum {
  WH_DEADLINE_NONE, /* no deadline runs */
  WH_DEADLINE_NORMAL,
  WH_DEADLINE_SOON, /* less than two hours left */
  WH_DEADLINE_OVERDUE,
} WhDeadlineState;

/* Local date and time "2026-11-22 09:41"; "—" for 0. */
char *wh_format_time (gint64 usec);

/* Compact: "09:41" today, "11-20 09:41" this year, "2025-11-20" before. "—" for 0. */
char *wh_format_time_short (gint64 usec, gint64 now);

/* A span as "3 d 4 h", "2 h 5 min" or "12 min" (absolute value). */
char *wh_format_duration (gint64 usec);

/* "2 h 5 min left" or "Overdue 3 h", with the state for the colour; "—" without deadline.
 * @left is wh_incident_time_left(). */
char *wh_format_countdown (gint64 left, WhDeadlineState *state);

/* The CSS class of a deadline state (deadline-normal, -soon, -overdue), or NULL. */
const char *wh_deadline_css_class (WhDeadlineState state);

/* A term of office: "2024-03 – 2026-03", "since 2024-03", or "—". */
char *wh_format_term (gint64 since, gint64 until);

/* The translated label of an incident source (patrol, hotline, …); the id itself when
 * unknown. */
const char *wh_source_label (const char *source);

/* Coarse groups of the lifecycle's statuses, for colours on the map and in the queue. */
typedef enum {
  WH_STATUS_GROUP_INTAKE,     /* reported, registered: the center's desk has it */
  WH_STATUS_GROUP_DISPATCHED, /* whistled, reported in, returned, escalated */
  WH_STATUS_GROUP_HANDLING,   /* in progress, legal review, rework */
  WH_STATUS_GROUP_CHECKING,   /* resolved (awaiting verification), verified */
  WH_STATUS_GROUP_DONE,       /* closed, rated, not accepted */
  WH_N_STATUS_GROUPS
} WhStatusGroup;

WhStatusGroup wh_status_group (WhStatus status);
const char   *wh_status_group_label (WhStatusGroup group);
/* "status-intake", "status-dispatched", …: CSS classes defined in style.css. */
const char *wh_status_group_css_class (WhStatusGroup group);
/* The group's colour as RGB 0–1 (the same as the CSS class, for drawing). */
void wh_status_group_color (WhStatusGroup group, double *r, double *g, double *b);

G_END_DECLS
