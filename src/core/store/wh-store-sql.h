/* wh-store-sql.h — small SQL helpers shared by the read stores (private to src/core/store) */
#pragma once

#include <glib.h>

#include "wh-db.h"
#include "wh-lifecycle.h"

G_BEGIN_DECLS

/* "('reported', 'registered', …)": the statuses for which wh_status_is_open() holds, as an
 * SQL list, so the lifecycle's notion of open is written down only once. */
const char *wh_store_sql_open_statuses (void);

/* The same for an explicit set of statuses (@statuses ends with -1). Free with g_free(). */
char *wh_store_sql_status_list (const int *statuses);

/* The deadline that runs now for an incident row, as an SQL expression (NULL when none):
 * the response deadline until the units report in, then the handling deadline. Keep in
 * step with wh_incident_time_left(). */
#define WH_STORE_SQL_DUE_NOW                                                                       \
  "(CASE WHEN status = 'whistled' THEN response_due_at "                                           \
  "      WHEN status IN ('acknowledged', 'in_progress', 'legal_review', 'rework') "                \
  "      THEN handling_due_at END)"

/* What the queue sorts deadlines by: the running deadline, with "none" as the farthest
 * of all. Migration 7 indexes exactly this expression: change both together. */
#define WH_STORE_SQL_DEADLINE_KEY "coalesce (" WH_STORE_SQL_DUE_NOW ", 9223372036854775807)"

/* What the queue sorts statuses by: their order in WhStatus, which follows the lifecycle
 * with each side path next to the step it leaves. Migration 7 indexes exactly this
 * expression: change both together (tests/test-incident-query.c checks it against the
 * enum). */
#define WH_STORE_SQL_STATUS_ORDER                                                                  \
  "(CASE status WHEN 'reported' THEN 0 WHEN 'not_accepted' THEN 1 WHEN 'registered' THEN 2 "      \
  "WHEN 'whistled' THEN 3 WHEN 'acknowledged' THEN 4 WHEN 'in_progress' THEN 5 "                  \
  "WHEN 'legal_review' THEN 6 WHEN 'resolved' THEN 7 WHEN 'rework' THEN 8 WHEN 'returned' THEN 9 " \
  "WHEN 'escalated' THEN 10 WHEN 'verified' THEN 11 WHEN 'closed' THEN 12 WHEN 'rated' THEN 13 "  \
  "END)"

/* The street's time zone (Asia/Shanghai); transfer none. */
GTimeZone *wh_store_street_time_zone (void);

/* The local date of @usec in the street's time zone, as "YYYY-MM-DD"; for times beyond
 * the years GDateTime holds, "0000-00-00" or "9999-99-99", which sort outside every day. */
char *wh_store_local_day (gint64 usec);

/* Sets @exists to whether the street table holds @street_id (NULL: none does); FALSE with
 * @error only when the database cannot be read. */
gboolean wh_store_street_exists (WhDb        *db,
                                 const char  *street_id,
                                 gboolean    *exists,
                                 GError     **error);

G_END_DECLS
