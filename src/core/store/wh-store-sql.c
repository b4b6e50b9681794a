/* wh-store-sql.c — small SQL helpers shared by the read stores */
#include "config.h"

#include <sqlite3.h>

#include "wh-store-sql.h"

char *
wh_store_sql_status_list (const int *statuses)
{
  g_autoptr (GString) s = g_string_new ("(");

  for (guint i = 0; statuses[i] >= 0; i++)
    g_string_append_printf (s, "%s'%s'", i > 0 ? ", " : "",
                            wh_status_to_string ((WhStatus) statuses[i]));
  g_string_append_c (s, ')');

  return g_string_free (g_steal_pointer (&s), FALSE);
}

const char *
wh_store_sql_open_statuses (void)
{
  static char *list;

  if (g_once_init_enter (&list))
    {
      int   statuses[WH_N_STATUSES + 1];
      guint n = 0;

      for (int s = 0; s < WH_N_STATUSES; s++)
        if (wh_status_is_open ((WhStatus) s))
          statuses[n++] = s;
      statuses[n] = -1;
      g_once_init_leave (&list, wh_store_sql_status_list (statuses));
    }

  return list;
}

GTimeZone *
wh_store_street_time_zone (void)
{
  static GTimeZone *tz;

  if (g_once_init_enter (&tz))
    {
      GTimeZone *zone = g_time_zone_new_identifier ("Asia/Shanghai");

      /* Without tzdata, China has had no daylight saving time since 1991: a fixed offset
       * is right for every date the desk shows. */
      if (zone == NULL)
        zone = g_time_zone_new_offset (8 * 3600);
      g_once_init_leave (&tz, zone);
    }

  return tz;
}

char *
wh_store_local_day (gint64 usec)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;

  /* Open-ended periods (0 … G_MAXINT64) reach past what GDateTime can hold: beyond it,
   * strings that sort before or after every real day. */
  if (utc == NULL)
    return g_strdup (usec < 0 ? "0000-00-00" : "9999-99-99");
  local = g_date_time_to_timezone (utc, wh_store_street_time_zone ());
  if (local == NULL)
    return g_strdup (usec < 0 ? "0000-00-00" : "9999-99-99");
  return g_date_time_format (local, "%Y-%m-%d");
}

gboolean
wh_store_street_exists (WhDb *db, const char *street_id, gboolean *exists, GError **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  *exists = FALSE;
  stmt = wh_db_prepare (db, "SELECT 1 FROM street WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, street_id ? street_id : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *exists = rc == SQLITE_ROW;
  return wh_db_finish (db, stmt, rc, error);
}
