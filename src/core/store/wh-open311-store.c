/* wh-open311-store.c — what the district server's Open311 GeoReport v2 face keeps and reads */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-change-feed.h"
#include "wh-geo.h"
#include "wh-incident-store.h"
#include "wh-op.h"
#include "wh-open311-store.h"
#include "wh-store-sql.h"

/* The title is the service's name and the start of the description, short enough to read
 * in one line of the queue. */
#define TITLE_SNIPPET_CHARS  40

struct _WhOpen311Store {
  GObject          parent_instance;
  WhDb            *db;
  WhIncidentStore *incidents;
  WhChangeFeed    *feed;
};

G_DEFINE_FINAL_TYPE (WhOpen311Store, wh_open311_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (wh-open311-error-quark, wh_open311_error)

/* Values */

void
wh_open311_service_free (WhOpen311Service *service)
{
  if (service == NULL)
    return;
  g_free (service->code);
  g_free (service->name);
  g_free (service->group);
  g_free (service);
}

void
wh_open311_request_free (WhOpen311Request *request)
{
  if (request == NULL)
    return;
  g_free (request->incident_id);
  g_free (request->service_request_id);
  g_free (request->token);
  g_free (request->street_id);
  g_free (request->status_notes);
  g_free (request->service_code);
  g_free (request->service_name);
  g_free (request->description);
  g_free (request->agency_responsible);
  g_free (request->address);
  g_free (request->media_url);
  g_free (request);
}

/* WhOpen311Store */

static void
wh_open311_store_dispose (GObject *object)
{
  WhOpen311Store *self = WH_OPEN311_STORE (object);

  g_clear_object (&self->incidents);
  g_clear_object (&self->feed);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_open311_store_parent_class)->dispose (object);
}

static void
wh_open311_store_class_init (WhOpen311StoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_open311_store_dispose;
}

static void
wh_open311_store_init (WhOpen311Store *self)
{
}

WhOpen311Store *
wh_open311_store_new (WhDb *db)
{
  WhOpen311Store *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_OPEN311_STORE, NULL);
  self->db = g_object_ref (db);
  self->incidents = wh_incident_store_new (db);
  self->feed = wh_change_feed_new (db);
  return self;
}

gboolean
wh_open311_store_has_street (WhOpen311Store *self,
                             const char     *street_id,
                             gboolean       *exists,
                             GError        **error)
{
  g_return_val_if_fail (WH_IS_OPEN311_STORE (self), FALSE);

  return wh_store_street_exists (self->db, street_id, exists, error);
}

/* Services */

#define SERVICE_SELECT                                                                             \
  "SELECT c.code, c.name, p.name, c.response_minutes, c.handling_minutes, c.working_hours "      \
  "FROM category c JOIN category p ON p.code = c.parent_code "

static WhOpen311Service *
read_service (sqlite3_stmt *stmt)
{
  WhOpen311Service *service = g_new0 (WhOpen311Service, 1);

  service->code = wh_db_column_dup_text (stmt, 0);
  service->name = wh_db_column_dup_text (stmt, 1);
  service->group = wh_db_column_dup_text (stmt, 2);
  service->response_minutes = sqlite3_column_int (stmt, 3);
  service->handling_minutes = sqlite3_column_int (stmt, 4);
  service->working_hours = sqlite3_column_int (stmt, 5) != 0;
  return service;
}

GPtrArray *
wh_open311_store_list_services (WhOpen311Store *self,
                                GError        **error)
{
  g_autoptr (GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_open311_service_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_OPEN311_STORE (self), NULL);

  stmt = wh_db_prepare (self->db, SERVICE_SELECT "ORDER BY c.code", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (services, read_service (stmt));
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&services);
}

WhOpen311Service *
wh_open311_store_get_service (WhOpen311Store *self,
                              const char     *code,
                              GError        **error)
{
  g_autoptr (WhOpen311Service) service = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_OPEN311_STORE (self), NULL);

  stmt = wh_db_prepare (self->db, SERVICE_SELECT "WHERE c.code = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code ? code : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    service = read_service (stmt);
  if (!wh_db_finish (self->db, stmt, rc == SQLITE_ROW ? SQLITE_DONE : rc, error))
    return NULL;
  if (service == NULL)
    {
      g_set_error (error, WH_OPEN311_ERROR, WH_OPEN311_ERROR_NOT_FOUND,
                   _("There is no service with the code “%s”."), code ? code : "");
      return NULL;
    }
  return g_steal_pointer (&service);
}

/* Requests */

/* The notes of these steps are written for the resident: why it was not accepted, what the
 * handling achieved, why it was closed or opened again. Progress notes, returns, reworks
 * and escalations are the street's own business. */
#define PUBLIC_NOTE_ACTIONS "('not_accept', 'feedback', 'close', 'reopen')"

#define REQUEST_SELECT                                                                             \
  "SELECT i.id, i.number, r.token, i.street_id, i.status, "                                      \
  "  coalesce ((SELECT e.note FROM incident_event e WHERE e.incident_id = i.id "                  \
  "             AND e.action IN " PUBLIC_NOTE_ACTIONS " AND e.note != '' "                         \
  "             ORDER BY e.seq DESC LIMIT 1), ''), "                                               \
  "  i.category_code, coalesce (c.name, i.category_code), i.description, coalesce (u.name, ''), " \
  "  i.reported_at, i.updated_at, i.handling_due_at, i.address, i.lon, i.lat, r.media_url "      \
  "FROM open311_request r JOIN incident i ON i.id = r.incident_id "                               \
  "LEFT JOIN category c ON c.code = i.category_code "                                             \
  "LEFT JOIN unit u ON u.id = i.lead_unit_id "

static WhOpen311Request *
read_request (sqlite3_stmt *stmt)
{
  WhOpen311Request *request = g_new0 (WhOpen311Request, 1);

  request->incident_id = wh_db_column_dup_text (stmt, 0);
  request->service_request_id = wh_db_column_dup_text (stmt, 1);
  request->token = wh_db_column_dup_text (stmt, 2);
  request->street_id = wh_db_column_dup_text (stmt, 3);
  if (!wh_status_from_string (wh_db_column_text (stmt, 4), &request->status))
    request->status = WH_STATUS_REPORTED;
  request->status_notes = g_strdup (wh_db_column_text (stmt, 5));
  request->service_code = wh_db_column_dup_text (stmt, 6);
  request->service_name = g_strdup (wh_db_column_text (stmt, 7));
  request->description = g_strdup (wh_db_column_text (stmt, 8));
  request->agency_responsible = g_strdup (wh_db_column_text (stmt, 9));
  request->requested_at = sqlite3_column_int64 (stmt, 10);
  request->updated_at = sqlite3_column_int64 (stmt, 11);
  request->expected_at = sqlite3_column_int64 (stmt, 12);
  request->address = g_strdup (wh_db_column_text (stmt, 13));
  request->has_location = sqlite3_column_type (stmt, 14) != SQLITE_NULL &&
                          sqlite3_column_type (stmt, 15) != SQLITE_NULL;
  request->lon = sqlite3_column_double (stmt, 14);
  request->lat = sqlite3_column_double (stmt, 15);
  request->media_url = g_strdup (wh_db_column_text (stmt, 16));
  return request;
}

WhOpen311Request *
wh_open311_store_get_request (WhOpen311Store *self,
                              const char     *street_id,
                              const char     *id,
                              gboolean        by_token,
                              GError        **error)
{
  g_autoptr (WhOpen311Request) request = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_OPEN311_STORE (self), NULL);

  stmt = wh_db_prepare (self->db,
                        by_token ? REQUEST_SELECT "WHERE r.street_id = ? AND r.token = ?"
                                 : REQUEST_SELECT "WHERE r.street_id = ? AND i.number = ?",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, street_id ? street_id : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id ? id : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    request = read_request (stmt);
  if (!wh_db_finish (self->db, stmt, rc == SQLITE_ROW ? SQLITE_DONE : rc, error))
    return NULL;
  if (request == NULL)
    {
      g_set_error (error, WH_OPEN311_ERROR, WH_OPEN311_ERROR_NOT_FOUND,
                   by_token ? _("There is no service request with the token “%s”.")
                            : _("There is no service request “%s”."), id ? id : "");
      return NULL;
    }
  return g_steal_pointer (&request);
}

/* Appends "column IN (?, ?, …)" for @n values. */
static void
append_in (GString    *sql,
           const char *column,
           guint       n)
{
  g_string_append_printf (sql, " AND %s IN (", column);
  for (guint i = 0; i < n; i++)
    g_string_append (sql, i == 0 ? "?" : ", ?");
  g_string_append (sql, ")");
}

GPtrArray *
wh_open311_store_list_requests (WhOpen311Store       *self,
                                const WhOpen311Query *query,
                                GError              **error)
{
  g_autoptr (GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_open311_request_free);
  g_autoptr (GString) sql = g_string_new (REQUEST_SELECT "WHERE r.street_id = ?");
  guint n_ids = query->ids ? g_strv_length ((char **) query->ids) : 0;
  guint n_codes = query->service_codes ? g_strv_length ((char **) query->service_codes) : 0;
  sqlite3_stmt *stmt;
  int index = 1;
  int rc;

  g_return_val_if_fail (WH_IS_OPEN311_STORE (self), NULL);

  if (n_ids > 0)
    append_in (sql, "i.number", n_ids);
  if (n_codes > 0)
    append_in (sql, "i.category_code", n_codes);
  if (query->start != 0)
    g_string_append (sql, " AND i.reported_at >= ?");
  if (query->end != 0)
    g_string_append (sql, " AND i.reported_at <= ?");
  if (query->status == WH_OPEN311_STATUS_OPEN)
    g_string_append_printf (sql, " AND i.status IN %s", wh_store_sql_open_statuses ());
  else if (query->status == WH_OPEN311_STATUS_CLOSED)
    g_string_append_printf (sql, " AND i.status NOT IN %s", wh_store_sql_open_statuses ());
  g_string_append (sql, " ORDER BY i.reported_at DESC, i.number DESC LIMIT ?");

  /* The text varies with the number of ids and codes, so a statement of its own each
   * time rather than one from the connection's cache. */
  if (sqlite3_prepare_v2 (wh_db_get_handle (self->db), sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      wh_db_set_error (self->db, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, index++, query->street_id ? query->street_id : "", -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < n_ids; i++)
    sqlite3_bind_text (stmt, index++, query->ids[i], -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < n_codes; i++)
    sqlite3_bind_text (stmt, index++, query->service_codes[i], -1, SQLITE_TRANSIENT);
  if (query->start != 0)
    sqlite3_bind_int64 (stmt, index++, query->start);
  if (query->end != 0)
    sqlite3_bind_int64 (stmt, index++, query->end);
  sqlite3_bind_int64 (stmt, index++, query->limit > 0 ? query->limit : G_MAXINT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (requests, read_request (stmt));
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&requests);
}

/* The grid cell of @street_id whose outline holds the point: the cells' bounding boxes
 * (R*Tree) pick the candidates, their polygons decide. NULL (and no error) when none. */
static gboolean
find_grid_cell (WhOpen311Store *self,
                const char     *street_id,
                double          lon,
                double          lat,
                char          **grid_id,
                GError        **error)
{
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  *grid_id = NULL;
  stmt = wh_db_prepare (self->db,
                        "SELECT g.id, g.polygon FROM grid_cell_bounds b "
                        "JOIN grid_cell g ON g.rowid = b.id "
                        "JOIN community c ON c.id = g.community_id "
                        "WHERE c.street_id = ?1 AND b.min_lon <= ?2 AND b.max_lon >= ?2 "
                        "AND b.min_lat <= ?3 AND b.max_lat >= ?3 ORDER BY g.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, street_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 2, lon);
  sqlite3_bind_double (stmt, 3, lat);
  while (*grid_id == NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (GError) parse_error = NULL;
      g_autoptr (WhGeoPolygon) polygon = wh_geo_polygon_new_from_geojson (wh_db_column_text (stmt, 1),
                                                                          &parse_error);

      /* A damaged outline must not swallow reports: the point just is not in that cell. */
      if (polygon == NULL)
        g_warning ("Grid cell %s has an unreadable outline: %s", wh_db_column_text (stmt, 0),
                   parse_error->message);
      else if (wh_geo_polygon_contains (polygon, lon, lat))
        *grid_id = wh_db_column_dup_text (stmt, 0);
    }
  if (*grid_id != NULL)
    rc = SQLITE_DONE;
  if (!wh_db_finish (self->db, stmt, rc, error))
    {
      g_clear_pointer (grid_id, g_free);
      return FALSE;
    }
  return TRUE;
}

/* The first answer to a retried request, or NULL; FALSE on failure (a mismatch too). */
static gboolean
find_retry (WhOpen311Store            *self,
            const WhApiKey            *key,
            const WhOpen311NewRequest *request,
            char                     **number,
            GError                   **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  *number = NULL;
  stmt = wh_db_prepare (self->db,
                        "SELECT i.number, r.request_hash FROM open311_request r "
                        "JOIN incident i ON i.id = r.incident_id "
                        "WHERE r.api_key_id = ? AND r.idempotency_key = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, key->id);
  sqlite3_bind_text (stmt, 2, request->idempotency_key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *number = wh_db_column_dup_text (stmt, 0);
      hash = wh_db_column_dup_text (stmt, 1);
      rc = SQLITE_DONE;
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return FALSE;
  if (*number != NULL && g_strcmp0 (hash, request->request_hash) != 0)
    {
      g_clear_pointer (number, g_free);
      g_set_error_literal (error, WH_OPEN311_ERROR, WH_OPEN311_ERROR_KEY_REUSED,
                           _("This Idempotency-Key was already used for a different request."));
      return FALSE;
    }
  return TRUE;
}

static char *
make_title (const char *service_name,
            const char *description)
{
  g_autofree char *snippet = NULL;
  g_autofree char *flat = NULL;

  if (description == NULL || *description == '\0')
    return g_strdup (service_name);
  /* One line: the description's line breaks become spaces. */
  flat = g_strdup (description);
  g_strdelimit (flat, "\r\n\t", ' ');
  g_strstrip (flat);
  if (*flat == '\0')
    return g_strdup (service_name);
  if (g_utf8_strlen (flat, -1) > TITLE_SNIPPET_CHARS)
    {
      g_autofree char *start = g_utf8_substring (flat, 0, TITLE_SNIPPET_CHARS);

      snippet = g_strconcat (start, "…", NULL);
    }
  else
    snippet = g_strdup (flat);
  /* TRANSLATORS: an incident's title from an Open311 request: the service's name and
   * the start of the resident's description */
  return g_strdup_printf (_("%s: %s"), service_name, snippet);
}

static gboolean
insert_request_row (WhOpen311Store            *self,
                    const char                *incident_id,
                    const WhApiKey            *key,
                    const WhOpen311NewRequest *request,
                    gint64                     now,
                    GError                   **error)
{
  g_autofree char *token = g_uuid_string_random ();
  sqlite3_stmt *stmt;

  stmt = wh_db_prepare (self->db,
                        "INSERT INTO open311_request (incident_id, street_id, api_key_id, token, "
                        "idempotency_key, request_hash, email, media_url, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key->street_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, key->id);
  sqlite3_bind_text (stmt, 4, token, -1, SQLITE_TRANSIENT);
  wh_db_bind_text_or_null (stmt, 5, request->idempotency_key);
  sqlite3_bind_text (stmt, 6, request->request_hash ? request->request_hash : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, request->email ? request->email : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, request->media_url ? request->media_url : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, now);
  return wh_db_step_done (self->db, stmt, error);
}

static gboolean
set_revision_one (WhOpen311Store *self,
                  const char     *incident_id,
                  GError        **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db, "UPDATE incident SET rev = 1 WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_TRANSIENT);
  return wh_db_step_done (self->db, stmt, error);
}

static void
set_if (WhOp       *op,
        const char *field,
        const char *value)
{
  if (value != NULL && *value != '\0')
    wh_op_set_string (op, field, value);
}

WhOpen311Request *
wh_open311_store_create_request (WhOpen311Store            *self,
                                 const WhApiKey            *key,
                                 const WhOpen311NewRequest *request,
                                 gint64                     now,
                                 gboolean                  *replayed,
                                 gint64                    *seq,
                                 GError                   **error)
{
  g_autoptr (WhOpen311Service) service = NULL;
  g_autoptr (WhActor) actor = NULL;
  g_autoptr (WhOp) op = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *first_number = NULL;
  g_autofree char *incident_id = NULL;
  g_autofree char *grid_id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *actor_id = NULL;
  gint64 new_seq;

  g_return_val_if_fail (WH_IS_OPEN311_STORE (self), NULL);
  g_return_val_if_fail (key != NULL && request != NULL, NULL);

  *replayed = FALSE;
  *seq = 0;

  if (!wh_db_begin (self->db, error))
    return NULL;

  if (request->idempotency_key != NULL)
    {
      if (!find_retry (self, key, request, &first_number, &local_error))
        goto failed;
      if (first_number != NULL)
        {
          wh_db_rollback (self->db); /* nothing was written */
          *replayed = TRUE;
          return wh_open311_store_get_request (self, key->street_id, first_number, FALSE, error);
        }
    }

  service = wh_open311_store_get_service (self, request->service_code, &local_error);
  if (service == NULL)
    {
      if (g_error_matches (local_error, WH_OPEN311_ERROR, WH_OPEN311_ERROR_NOT_FOUND))
        local_error->code = WH_OPEN311_ERROR_INVALID;
      goto failed;
    }

  if (request->has_location)
    {
      if (!find_grid_cell (self, key->street_id, request->lon, request->lat, &grid_id, &local_error))
        goto failed;
      if (grid_id == NULL)
        {
          g_set_error (&local_error, WH_OPEN311_ERROR, WH_OPEN311_ERROR_INVALID,
                       _("The location is not inside the area of the street %s."), key->street_id);
          goto failed;
        }
    }

  number = wh_incident_store_next_number (self->incidents, key->street_id, now, &local_error);
  if (number == NULL)
    goto failed;

  /* The photo has no column of the incident's: the desk sees its address in the text. */
  if (request->media_url != NULL && *request->media_url != '\0')
    description = g_strdup_printf ("%s%s%s", request->description ? request->description : "",
                                   request->description && *request->description ? "\n\n" : "",
                                   request->media_url);
  else
    description = g_strdup (request->description ? request->description : "");
  title = make_title (service->name, request->description);

  /* The key acts like the center's intake: it may report, and nothing else. */
  actor_id = g_strdup_printf ("open311:%" G_GINT64_FORMAT, key->id);
  actor = wh_actor_new (actor_id, key->name, WH_ROLE_DUTY_OFFICER, NULL);
  incident_id = wh_uuid_new (NULL);
  op = wh_op_new (WH_ACTION_REPORT, incident_id, actor, now);
  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", key->street_id);
  wh_op_set_string (op, "source", key->source);
  wh_op_set_string (op, "category_code", service->code);
  wh_op_set_string (op, "title", title);
  set_if (op, "description", description);
  set_if (op, "address", request->address);
  set_if (op, "reporter_name", request->reporter_name);
  set_if (op, "reporter_phone", request->reporter_phone);
  if (grid_id != NULL)
    wh_op_set_string (op, "grid_id", grid_id);
  if (request->has_location)
    {
      json_object_set_double_member (op->fields, "lon", request->lon);
      json_object_set_double_member (op->fields, "lat", request->lat);
    }

  event = wh_incident_store_apply (self->incidents, op, WH_APPLY_NONE, &local_error);
  if (event == NULL || !set_revision_one (self, incident_id, &local_error))
    goto failed;
  {
    const char *event_ids[] = { event->id, NULL };

    new_seq = wh_change_feed_record_incident (self->feed, incident_id, key->street_id, 1,
                                              event_ids, &local_error);
    if (new_seq == 0)
      goto failed;
  }
  if (!insert_request_row (self, incident_id, key, request, now, &local_error) ||
      !wh_db_commit (self->db, &local_error))
    goto failed;

  *seq = new_seq;
  return wh_open311_store_get_request (self, key->street_id, number, FALSE, error);

failed:
  if (wh_db_in_transaction (self->db))
    wh_db_rollback (self->db);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}
