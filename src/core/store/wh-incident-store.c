/* wh-incident-store.c — incidents in the database: read them, change them */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wh-deadline.h"
#include "wh-geo.h"
#include "wh-event-attachments.h"
#include "wh-incident-query.h"
#include "wh-incident-store.h"
#include "wh-store-sql.h"
#include "wh-work-calendar.h"

#define STREET_TIME_ZONE "Asia/Shanghai"

struct _WhIncidentStore {
  GObject  parent_instance;
  WhDb    *db;
};

enum { PROP_0, PROP_DB, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (WhIncidentStore, wh_incident_store, G_TYPE_OBJECT)

#define INCIDENT_COLUMNS \
  "id, number, street_id, source, category_code, title, description, address, lon, lat, " \
  "grid_id, priority, status, lead_unit_id, reporter_name, reporter_phone, reported_at, " \
  "registered_at, whistled_at, response_due_at, handling_due_at, resolved_at, closed_at, " \
  "legal_review, rating, rework_count, return_count, escalated, last_seq, rev, updated_at"

static void
wh_incident_store_dispose (GObject *object)
{
  WhIncidentStore *self = WH_INCIDENT_STORE (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_incident_store_parent_class)->dispose (object);
}

static void
wh_incident_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WhIncidentStore *self = WH_INCIDENT_STORE (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_incident_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WhIncidentStore *self = WH_INCIDENT_STORE (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_incident_store_class_init (WhIncidentStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_incident_store_dispose;
  object_class->get_property = wh_incident_store_get_property;
  object_class->set_property = wh_incident_store_set_property;

  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL, WH_TYPE_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WhIncidentStore::changed:
   * @incident_id: the incident that changed
   *
   * Emitted after a change to an incident has been committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
wh_incident_store_init (WhIncidentStore *self)
{
}

WhIncidentStore *
wh_incident_store_new (WhDb *db)
{
  g_return_val_if_fail (WH_IS_DB (db), NULL);
  return g_object_new (WH_TYPE_INCIDENT_STORE, "db", db, NULL);
}

WhDb *
wh_incident_store_get_db (WhIncidentStore *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), NULL);
  return self->db;
}

void
wh_incident_query_init (WhIncidentQuery *query)
{
  g_return_if_fail (query != NULL);

  memset (query, 0, sizeof *query);
  query->view = WH_INCIDENT_VIEW_ALL;
  query->status = -1;
  query->priority = -1;
  query->sort_column = WH_INCIDENT_COLUMN_REPORTED;
  query->descending = TRUE;
}

/* Reading */

static gint64
column_time (sqlite3_stmt *stmt,
             int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, column);
}

static WhIncident *
read_incident (sqlite3_stmt *stmt)
{
  WhIncident *incident = wh_incident_new ();
  int c = 0;

  incident->id = wh_db_column_dup_text (stmt, c++);
  incident->number = wh_db_column_dup_text (stmt, c++);
  incident->street_id = wh_db_column_dup_text (stmt, c++);
  incident->source = wh_db_column_dup_text (stmt, c++);
  incident->category_code = wh_db_column_dup_text (stmt, c++);
  incident->title = wh_db_column_dup_text (stmt, c++);
  incident->description = wh_db_column_dup_text (stmt, c++);
  incident->address = wh_db_column_dup_text (stmt, c++);
  incident->has_location = sqlite3_column_type (stmt, c) != SQLITE_NULL;
  incident->lon = sqlite3_column_double (stmt, c++);
  incident->lat = sqlite3_column_double (stmt, c++);
  incident->grid_id = wh_db_column_dup_text (stmt, c++);
  incident->priority = sqlite3_column_int (stmt, c++);
  if (!wh_status_from_string (wh_db_column_text (stmt, c++), &incident->status))
    incident->status = WH_STATUS_REPORTED;
  incident->lead_unit_id = wh_db_column_dup_text (stmt, c++);
  incident->reporter_name = wh_db_column_dup_text (stmt, c++);
  incident->reporter_phone = wh_db_column_dup_text (stmt, c++);
  incident->reported_at = column_time (stmt, c++);
  incident->registered_at = column_time (stmt, c++);
  incident->whistled_at = column_time (stmt, c++);
  incident->response_due_at = column_time (stmt, c++);
  incident->handling_due_at = column_time (stmt, c++);
  incident->resolved_at = column_time (stmt, c++);
  incident->closed_at = column_time (stmt, c++);
  g_free (incident->legal_review);
  incident->legal_review = g_strdup (wh_db_column_text (stmt, c++));
  incident->rating = sqlite3_column_int (stmt, c++);
  incident->rework_count = sqlite3_column_int (stmt, c++);
  incident->return_count = sqlite3_column_int (stmt, c++);
  incident->escalated = sqlite3_column_int (stmt, c++) != 0;
  incident->last_seq = sqlite3_column_int64 (stmt, c++);
  incident->rev = sqlite3_column_int64 (stmt, c++);
  incident->updated_at = sqlite3_column_int64 (stmt, c++);
  return incident;
}

static gboolean
load_units (WhIncidentStore *self,
            WhIncident      *incident,
            GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = wh_db_prepare (self->db,
                        "SELECT unit_id, role, whistled_at, acknowledged_at, returned_at, "
                        "return_reason FROM incident_unit WHERE incident_id = ? "
                        "ORDER BY role DESC, whistled_at, unit_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, incident->id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WhIncidentUnit *unit = g_new0 (WhIncidentUnit, 1);

      unit->unit_id = wh_db_column_dup_text (stmt, 0);
      unit->lead = g_str_equal (wh_db_column_text (stmt, 1), "lead");
      unit->whistled_at = column_time (stmt, 2);
      unit->acknowledged_at = column_time (stmt, 3);
      unit->returned_at = column_time (stmt, 4);
      unit->return_reason = g_strdup (wh_db_column_text (stmt, 5));
      g_ptr_array_add (incident->units, unit);
    }
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      return FALSE;
    }
  return TRUE;
}

static WhIncident *
load_incident (WhIncidentStore *self,
               const char      *incident_id,
               GError         **error)
{
  g_autoptr (WhIncident) incident = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = wh_db_prepare (self->db, "SELECT " INCIDENT_COLUMNS " FROM incident WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_NOT_FOUND,
                   _("The incident does not exist."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      wh_db_set_error (self->db, error);
      return NULL;
    }
  incident = read_incident (stmt);
  sqlite3_reset (stmt);
  if (!load_units (self, incident, error))
    return NULL;
  return g_steal_pointer (&incident);
}

WhIncident *
wh_incident_store_get (WhIncidentStore *self,
                       const char      *incident_id,
                       GError         **error)
{
  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), NULL);
  g_return_val_if_fail (incident_id != NULL, NULL);

  return load_incident (self, incident_id, error);
}

GPtrArray *
wh_incident_store_list_events (WhIncidentStore *self,
                               const char      *incident_id,
                               GError         **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), NULL);

  stmt = wh_db_prepare (self->db,
                        "SELECT id, seq, action, from_status, to_status, actor_id, actor_name, "
                        "actor_role, unit_id, at, note, payload FROM incident_event "
                        "WHERE incident_id = ? ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WhIncidentEvent *event = wh_incident_event_new ();
      g_autoptr (JsonNode) payload = NULL;

      event->id = wh_db_column_dup_text (stmt, 0);
      event->incident_id = g_strdup (incident_id);
      event->seq = sqlite3_column_int64 (stmt, 1);
      wh_action_from_string (wh_db_column_text (stmt, 2), &event->action);
      wh_status_from_string (wh_db_column_text (stmt, 3), &event->from_status);
      wh_status_from_string (wh_db_column_text (stmt, 4), &event->to_status);
      event->actor_id = wh_db_column_dup_text (stmt, 5);
      event->actor_name = wh_db_column_dup_text (stmt, 6);
      wh_role_from_string (wh_db_column_text (stmt, 7), &event->actor_role);
      event->unit_id = wh_db_column_dup_text (stmt, 8);
      event->at = sqlite3_column_int64 (stmt, 9);
      event->note = g_strdup (wh_db_column_text (stmt, 10));
      payload = json_from_string (wh_db_column_text (stmt, 11), NULL);
      if (payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
        {
          g_clear_pointer (&event->payload, json_object_unref);
          event->payload = json_object_ref (json_node_get_object (payload));
        }
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

/* Queries */

/* Steps a count(*) and resets at once, so that no read snapshot stays open. */
static guint
step_count (WhIncidentStore *self,
            sqlite3_stmt    *stmt,
            GError         **error)
{
  guint n = 0;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  else
    wh_db_set_error (self->db, error);
  sqlite3_reset (stmt);
  return n;
}

guint
wh_incident_store_count (WhIncidentStore       *self,
                         const WhIncidentQuery *query,
                         GError               **error)
{
  guint count = 0;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), 0);
  g_return_val_if_fail (query != NULL, 0);

  wh_incident_query_count (self->db, query, &count, error);
  return count;
}

GPtrArray *
wh_incident_store_list (WhIncidentStore       *self,
                        const WhIncidentQuery *query,
                        guint                  offset,
                        guint                  limit,
                        GError               **error)
{
  g_autoptr (GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) rowids = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  /* The page's order is found on the indexes alone; only its rows are read whole. */
  rowids = wh_incident_query_rowids (self->db, query, offset, limit, error);
  if (rowids == NULL)
    return NULL;
  stmt = wh_db_prepare (self->db, "SELECT " INCIDENT_COLUMNS " FROM incident WHERE rowid = ?", error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < rowids->len; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, g_array_index (rowids, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_ptr_array_add (page, read_incident (stmt));
          rc = SQLITE_DONE;
        }
      if (!wh_db_finish (self->db, stmt, rc, error))
        return NULL;
    }
  return g_steal_pointer (&page);
}

typedef struct {
  gint64 rowid;
  gint64 reported_at;
  double distance;
  char  *id;
} Candidate;

static void
candidate_clear (gpointer data)
{
  g_free (((Candidate *) data)->id);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->distance != cb->distance)
    return ca->distance < cb->distance ? -1 : 1;
  if (ca->reported_at != cb->reported_at)
    return ca->reported_at > cb->reported_at ? -1 : 1;
  return (ca->rowid > cb->rowid) - (ca->rowid < cb->rowid);
}

GPtrArray *
wh_incident_store_find_duplicates (WhIncidentStore *self,
                                   const char      *category_code,
                                   double           lon,
                                   double           lat,
                                   gint64           at,
                                   GError         **error)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autofree char *sql = NULL;
  /* A box a little larger than the circle narrows the search on the indexes; the exact
   * great-circle distance decides. Degrees of longitude shrink towards the poles. */
  double dlat = WH_DUPLICATE_RADIUS_M / (G_PI * WH_GEO_EARTH_RADIUS / 180.0) * 1.01;
  double dlon = dlat / MAX (cos (lat * G_PI / 180.0), 0.01);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), NULL);
  g_return_val_if_fail (category_code != NULL, NULL);

  g_array_set_clear_func (candidates, candidate_clear);
  sql = g_strdup_printf ("SELECT rowid, id, lon, lat, reported_at FROM incident "
                         "WHERE category_code = ?1 AND reported_at BETWEEN ?2 AND ?3 "
                         "AND status IN %s AND lat BETWEEN ?4 AND ?5 AND lon BETWEEN ?6 AND ?7",
                         wh_store_sql_open_statuses ());
  stmt = wh_db_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, category_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, at - WH_DUPLICATE_WINDOW);
  sqlite3_bind_int64 (stmt, 3, at);
  sqlite3_bind_double (stmt, 4, lat - dlat);
  sqlite3_bind_double (stmt, 5, lat + dlat);
  sqlite3_bind_double (stmt, 6, lon - dlon);
  sqlite3_bind_double (stmt, 7, lon + dlon);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Candidate c = {
        .rowid = sqlite3_column_int64 (stmt, 0),
        .reported_at = sqlite3_column_int64 (stmt, 4),
        .distance = wh_geo_distance (lon, lat, sqlite3_column_double (stmt, 2),
                                     sqlite3_column_double (stmt, 3)),
      };

      if (c.distance > WH_DUPLICATE_RADIUS_M)
        continue;
      c.id = wh_db_column_dup_text (stmt, 1);
      g_array_append_val (candidates, c);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;

  g_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len; i++)
    {
      WhIncident *incident = load_incident (self, g_array_index (candidates, Candidate, i).id, error);

      if (incident == NULL)
        return NULL;
      g_ptr_array_add (found, incident);
    }
  return g_steal_pointer (&found);
}

char *
wh_incident_store_next_number (WhIncidentStore *self,
                               const char      *street_id,
                               gint64           at,
                               GError         **error)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (STREET_TIME_ZONE);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *day = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;
  gint64 sequence = 0;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), NULL);

  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (utc, tz);
  day = g_date_time_format (local, "%Y%m%d");
  prefix = g_strdup_printf ("%s-%s-", street_id, day);
  pattern = g_strconcat (prefix, "%", NULL);

  stmt = wh_db_prepare (self->db, "SELECT max (number) FROM incident WHERE number LIKE ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      wh_db_set_error (self->db, error);
      return NULL;
    }
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    sequence = g_ascii_strtoll (wh_db_column_text (stmt, 0) + strlen (prefix), NULL, 10);
  sqlite3_reset (stmt);

  return g_strdup_printf ("%s%04" G_GINT64_FORMAT, prefix, sequence + 1);
}

guint
wh_incident_store_count_outbox (WhIncidentStore *self,
                                GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), 0);

  stmt = wh_db_prepare (self->db, "SELECT count(*) FROM outbox", error);
  if (stmt == NULL)
    return 0;
  return step_count (self, stmt, error);
}

/* Writing */

static gboolean
write_projection (WhIncidentStore *self,
                  WhIncident      *incident,
                  GError         **error)
{
  sqlite3_stmt *stmt;
  int c = 1;

  stmt = wh_db_prepare (self->db,
                        "INSERT INTO incident (" INCIDENT_COLUMNS ") VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, ?, ?) "
                        /* An upsert, not REPLACE: the row keeps its rowid, which indexes
                         * (full-text search, the map's R*Tree) refer to. */
                        "ON CONFLICT (id) DO UPDATE SET "
                        "number = excluded.number, street_id = excluded.street_id, source = "
                        "excluded.source, category_code = excluded.category_code, title = excluded.title, "
                        "description = excluded.description, address = excluded.address, lon = "
                        "excluded.lon, lat = excluded.lat, grid_id = excluded.grid_id, priority = "
                        "excluded.priority, status = excluded.status, lead_unit_id = "
                        "excluded.lead_unit_id, reporter_name = excluded.reporter_name, reporter_phone = "
                        "excluded.reporter_phone, reported_at = excluded.reported_at, registered_at = "
                        "excluded.registered_at, whistled_at = excluded.whistled_at, response_due_at = "
                        "excluded.response_due_at, handling_due_at = excluded.handling_due_at, "
                        "resolved_at = excluded.resolved_at, closed_at = excluded.closed_at, legal_review "
                        "= excluded.legal_review, rating = excluded.rating, rework_count = "
                        "excluded.rework_count, return_count = excluded.return_count, escalated = "
                        "excluded.escalated, last_seq = excluded.last_seq, rev = excluded.rev, updated_at "
                        "= excluded.updated_at ", error);
  if (stmt == NULL)
    return FALSE;

  wh_db_bind_text_or_null (stmt, c++, incident->id);
  wh_db_bind_text_or_null (stmt, c++, incident->number);
  wh_db_bind_text_or_null (stmt, c++, incident->street_id);
  wh_db_bind_text_or_null (stmt, c++, incident->source);
  wh_db_bind_text_or_null (stmt, c++, incident->category_code);
  wh_db_bind_text_or_null (stmt, c++, incident->title);
  sqlite3_bind_text (stmt, c++, incident->description ? incident->description : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, c++, incident->address ? incident->address : "", -1, SQLITE_TRANSIENT);
  if (incident->has_location)
    {
      sqlite3_bind_double (stmt, c++, incident->lon);
      sqlite3_bind_double (stmt, c++, incident->lat);
    }
  else
    {
      sqlite3_bind_null (stmt, c++);
      sqlite3_bind_null (stmt, c++);
    }
  wh_db_bind_text_or_null (stmt, c++, incident->grid_id);
  sqlite3_bind_int (stmt, c++, incident->priority);
  sqlite3_bind_text (stmt, c++, wh_status_to_string (incident->status), -1, SQLITE_STATIC);
  wh_db_bind_text_or_null (stmt, c++, incident->lead_unit_id);
  sqlite3_bind_text (stmt, c++, incident->reporter_name ? incident->reporter_name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, c++, incident->reporter_phone ? incident->reporter_phone : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, c++, incident->reported_at);
  wh_db_bind_time_or_null (stmt, c++, incident->registered_at);
  wh_db_bind_time_or_null (stmt, c++, incident->whistled_at);
  wh_db_bind_time_or_null (stmt, c++, incident->response_due_at);
  wh_db_bind_time_or_null (stmt, c++, incident->handling_due_at);
  wh_db_bind_time_or_null (stmt, c++, incident->resolved_at);
  wh_db_bind_time_or_null (stmt, c++, incident->closed_at);
  sqlite3_bind_text (stmt, c++, incident->legal_review, -1, SQLITE_TRANSIENT);
  if (incident->rating > 0)
    sqlite3_bind_int (stmt, c++, incident->rating);
  else
    sqlite3_bind_null (stmt, c++);
  sqlite3_bind_int (stmt, c++, incident->rework_count);
  sqlite3_bind_int (stmt, c++, incident->return_count);
  sqlite3_bind_int (stmt, c++, incident->escalated);
  sqlite3_bind_int64 (stmt, c++, incident->last_seq);
  sqlite3_bind_int64 (stmt, c++, incident->rev);
  sqlite3_bind_int64 (stmt, c++, incident->updated_at);
  if (!wh_db_step_done (self->db, stmt, error))
    return FALSE;

  stmt = wh_db_prepare (self->db, "DELETE FROM incident_unit WHERE incident_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, incident->id, -1, SQLITE_TRANSIENT);
  if (!wh_db_step_done (self->db, stmt, error))
    return FALSE;

  stmt = wh_db_prepare (self->db,
                        "INSERT INTO incident_unit (incident_id, unit_id, role, whistled_at, "
                        "acknowledged_at, returned_at, return_reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < incident->units->len; i++)
    {
      WhIncidentUnit *unit = g_ptr_array_index (incident->units, i);

      sqlite3_bind_text (stmt, 1, incident->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, unit->unit_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, unit->lead ? "lead" : "cooperating", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, unit->whistled_at);
      wh_db_bind_time_or_null (stmt, 5, unit->acknowledged_at);
      wh_db_bind_time_or_null (stmt, 6, unit->returned_at);
      sqlite3_bind_text (stmt, 7, unit->return_reason ? unit->return_reason : "", -1, SQLITE_TRANSIENT);
      if (!wh_db_step_done (self->db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_event (WhIncidentStore *self,
             WhIncidentEvent *event,
             gboolean         skip_existing,
             GError         **error)
{
  g_autoptr (JsonNode) payload = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *payload_text = NULL;
  sqlite3_stmt *stmt;

  json_node_set_object (payload, event->payload);
  payload_text = json_to_string (payload, FALSE);

  stmt = wh_db_prepare (self->db,
                        skip_existing
                          ? "INSERT OR IGNORE INTO incident_event (id, incident_id, seq, action, "
                            "from_status, to_status, actor_id, actor_name, actor_role, unit_id, at, "
                            "note, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          : "INSERT INTO incident_event (id, incident_id, seq, action, "
                            "from_status, to_status, actor_id, actor_name, actor_role, unit_id, at, "
                            "note, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, event->incident_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, event->seq);
  sqlite3_bind_text (stmt, 4, wh_action_to_string (event->action), -1, SQLITE_STATIC);
  if (event->action == WH_ACTION_REPORT)
    sqlite3_bind_null (stmt, 5);
  else
    sqlite3_bind_text (stmt, 5, wh_status_to_string (event->from_status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, wh_status_to_string (event->to_status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, event->actor_id ? event->actor_id : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, event->actor_name ? event->actor_name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, wh_role_to_string (event->actor_role), -1, SQLITE_STATIC);
  wh_db_bind_text_or_null (stmt, 10, event->unit_id);
  sqlite3_bind_int64 (stmt, 11, event->at);
  sqlite3_bind_text (stmt, 12, event->note ? event->note : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, payload_text, -1, SQLITE_TRANSIENT);
  if (!wh_db_step_done (self->db, stmt, error))
    return FALSE;
  /* The attachments it names, in the same transaction (wh-event-attachments.c). */
  return wh_event_attachments_write (self->db, event, skip_existing, error);
}

static gboolean
write_outbox (WhIncidentStore *self,
              const WhOp      *op,
              GError         **error)
{
  g_autofree char *payload = wh_op_to_string (op);
  sqlite3_stmt *stmt;

  stmt = wh_db_prepare (self->db,
                        "INSERT INTO outbox (op_id, kind, incident_id, base_rev, payload, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, wh_action_to_string (op->action), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, op->incident_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, op->base_rev);
  sqlite3_bind_text (stmt, 5, payload, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  return wh_db_step_done (self->db, stmt, error);
}

/* Looks up what the lifecycle needs to know about a category; FALSE when unknown. */
static gboolean
lookup_category (WhIncidentStore *self,
                 const char      *code,
                 gboolean        *major,
                 WhTimeLimits    *limits,
                 GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = wh_db_prepare (self->db,
                        "SELECT major, response_minutes, handling_minutes, working_hours "
                        "FROM category WHERE code = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID,
                   _("The category “%s” is not in the catalogue."), code ? code : "");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      wh_db_set_error (self->db, error);
      return FALSE;
    }
  *major = sqlite3_column_int (stmt, 0) != 0;
  if (limits != NULL)
    {
      limits->response_minutes = sqlite3_column_int64 (stmt, 1);
      limits->handling_minutes = sqlite3_column_int64 (stmt, 2);
      limits->working_hours = sqlite3_column_int (stmt, 3) != 0;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
row_exists (WhIncidentStore *self,
            const char      *sql,
            const char      *key,
            GError         **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
check_unit (WhIncidentStore *self,
            const char      *unit_id,
            GError         **error)
{
  if (row_exists (self, "SELECT 1 FROM unit WHERE id = ?", unit_id, NULL))
    return TRUE;
  g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID,
               _("The unit “%s” is not on the roster."), unit_id ? unit_id : "");
  return FALSE;
}

WhWorkCalendar *
wh_incident_store_load_calendar (WhIncidentStore *self,
                                 GError         **error)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (STREET_TIME_ZONE);
  g_autoptr (WhWorkCalendar) calendar = NULL;
  sqlite3_stmt *stmt;
  int rc;

  calendar = wh_work_calendar_new (tz ? tz : g_time_zone_new_utc ());
  stmt = wh_db_prepare (self->db, "SELECT day, is_workday FROM calendar_exception", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    wh_work_calendar_set_exception (calendar, wh_db_column_text (stmt, 0),
                                    sqlite3_column_int (stmt, 1) != 0);
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&calendar);
}

static double
priority_factor (WhIncidentStore *self,
                 int              priority)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db, "SELECT factor FROM priority WHERE level = ?", NULL);
  double factor = 1.0;

  if (stmt == NULL)
    return factor;
  sqlite3_bind_int (stmt, 1, priority);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    factor = sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  return factor;
}

/* Checks what only the database can tell (the catalogue, the roster, the street) and fills
 * in the whistle's deadlines when the desk left them to the category's limits. */
static gboolean
complete_op (WhIncidentStore    *self,
             WhIncident         *incident,
             const WhTimeLimits *limits,
             WhOp               *op,
             GError            **error)
{
  if (op->action == WH_ACTION_REPORT)
    {
      g_autofree char *street = wh_db_get_meta (self->db, "street_id");
      const char *grid_id = wh_op_get_string (op, "grid_id");

      if (street != NULL && g_strcmp0 (street, wh_op_get_string (op, "street_id")) != 0)
        {
          g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED,
                       _("The incident belongs to another street."));
          return FALSE;
        }
      if (grid_id != NULL && !row_exists (self, "SELECT 1 FROM grid_cell WHERE id = ?", grid_id, NULL))
        {
          g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID,
                       _("The grid cell “%s” does not exist."), grid_id);
          return FALSE;
        }
    }

  if (op->action == WH_ACTION_WHISTLE)
    {
      JsonNode *coop = json_object_get_member (op->fields, "cooperating_unit_ids");

      if (wh_op_get_string (op, "lead_unit_id") != NULL &&
          !check_unit (self, wh_op_get_string (op, "lead_unit_id"), error))
        return FALSE;
      if (coop != NULL && JSON_NODE_HOLDS_ARRAY (coop))
        {
          JsonArray *array = json_node_get_array (coop);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_VALUE (element) &&
                  json_node_get_value_type (element) == G_TYPE_STRING &&
                  !check_unit (self, json_node_get_string (element), error))
                return FALSE;
            }
        }

      if (!json_object_has_member (op->fields, "response_due_at") &&
          !json_object_has_member (op->fields, "handling_due_at"))
        {
          g_autoptr (WhWorkCalendar) calendar = wh_incident_store_load_calendar (self, error);
          gint64 response_due, handling_due;

          if (calendar == NULL)
            return FALSE;
          wh_deadline_compute (calendar, limits, priority_factor (self, incident->priority),
                               op->at, &response_due, &handling_due);
          wh_op_set_int (op, "response_due_at", response_due);
          wh_op_set_int (op, "handling_due_at", handling_due);
        }
    }
  return TRUE;
}

WhIncidentEvent *
wh_incident_store_apply (WhIncidentStore *self,
                         const WhOp      *op,
                         WhApplyFlags     flags,
                         GError         **error)
{
  g_autoptr (WhIncident) incident = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autoptr (WhOp) complete = NULL;
  gboolean major = FALSE;
  WhTimeLimits limits;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), NULL);
  g_return_val_if_fail (op != NULL, NULL);

  if (!wh_db_begin (self->db, error))
    return NULL;

  if (op->action == WH_ACTION_REPORT)
    {
      if (row_exists (self, "SELECT 1 FROM incident WHERE id = ?", op->incident_id, NULL))
        {
          g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED,
                       _("This incident has already been reported."));
          goto failed;
        }
      incident = wh_incident_new ();
    }
  else if ((incident = load_incident (self, op->incident_id, error)) == NULL)
    goto failed;

  /* One look at the category serves both the lifecycle (major) and the deadlines. */
  if (!lookup_category (self,
                        op->action == WH_ACTION_REPORT ? wh_op_get_string (op, "category_code")
                                                       : incident->category_code,
                        &major, &limits, error))
    goto failed;
  complete = wh_op_copy (op);
  if (!complete_op (self, incident, &limits, complete, error))
    goto failed;

  event = wh_incident_apply_op (incident, complete, major, error);
  if (event == NULL)
    goto failed;

  /* Event, projection and outbox row stand or fall together. */
  if (!write_projection (self, incident, error) ||
      !write_event (self, event, FALSE, error) ||
      ((flags & WH_APPLY_RECORD_OUTBOX) && !write_outbox (self, complete, error)) ||
      !wh_db_commit (self->db, error))
    goto failed;

  if (!wh_db_in_transaction (self->db))
    g_signal_emit (self, signals[CHANGED], 0, incident->id);
  return g_steal_pointer (&event);

failed:
  wh_db_rollback (self->db);
  return NULL;
}

gboolean
wh_incident_store_import (WhIncidentStore *self,
                          WhIncident      *incident,
                          GPtrArray       *events,
                          GError         **error)
{
  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), FALSE);
  g_return_val_if_fail (WH_IS_INCIDENT (incident), FALSE);

  if (!wh_db_begin (self->db, error))
    return FALSE;

  if (!write_projection (self, incident, error))
    goto failed;
  for (guint i = 0; events != NULL && i < events->len; i++)
    if (!write_event (self, g_ptr_array_index (events, i), TRUE, error))
      goto failed;
  if (!wh_db_commit (self->db, error))
    goto failed;

  if (!wh_db_in_transaction (self->db))
    g_signal_emit (self, signals[CHANGED], 0, incident->id);
  return TRUE;

failed:
  wh_db_rollback (self->db);
  return FALSE;
}

gboolean
wh_incident_store_import_many (WhIncidentStore *self,
                               GPtrArray       *incidents,
                               GPtrArray       *event_lists,
                               GError         **error)
{
  gboolean nested;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (self), FALSE);
  g_return_val_if_fail (incidents != NULL && event_lists != NULL, FALSE);
  g_return_val_if_fail (incidents->len == event_lists->len, FALSE);

  /* Inside the caller's transaction, no savepoint of our own: SQLite keeps the undo record
   * of every statement until the outermost savepoint ends, which makes a long batch under
   * a savepoint quadratic. The caller's transaction keeps the batch whole. */
  nested = wh_db_in_transaction (self->db);
  if (!nested && !wh_db_begin (self->db, error))
    return FALSE;
  for (guint i = 0; i < incidents->len; i++)
    {
      GPtrArray *events = g_ptr_array_index (event_lists, i);

      if (!write_projection (self, g_ptr_array_index (incidents, i), error))
        goto failed;
      for (guint j = 0; events != NULL && j < events->len; j++)
        if (!write_event (self, g_ptr_array_index (events, j), TRUE, error))
          goto failed;
    }
  if (nested)
    return TRUE;
  if (!wh_db_commit (self->db, error))
    goto failed;
  for (guint i = 0; i < incidents->len; i++)
    g_signal_emit (self, signals[CHANGED], 0, WH_INCIDENT (g_ptr_array_index (incidents, i))->id);
  return TRUE;

failed:
  if (!nested)
    wh_db_rollback (self->db);
  return FALSE;
}
