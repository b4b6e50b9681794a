/* wh-sync-store.c — the desk's side of sync in its cache: outbox, cursor, conflicts */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-organisation-wire.h"
#include "wh-store-sql.h"
#include "wh-sync-store.h"

struct _WhSyncStore {
  GObject          parent_instance;
  WhDb            *db;
  WhIncidentStore *incidents;
  WhSyncStoreHook  page_hook;
  gpointer         page_hook_data;
};

G_DEFINE_FINAL_TYPE (WhSyncStore, wh_sync_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (wh-sync-store-error-quark, wh_sync_store_error)

static const char *const resolutions[] = { "", "keep_mine", "take_theirs", "merge" };

const char *
wh_resolution_to_string (WhResolution resolution)
{
  g_return_val_if_fail (resolution <= WH_RESOLUTION_MERGE, "");
  return resolutions[resolution];
}

gboolean
wh_resolution_from_string (const char   *str,
                           WhResolution *resolution)
{
  for (guint i = 1; i < G_N_ELEMENTS (resolutions); i++)
    if (g_strcmp0 (str, resolutions[i]) == 0)
      {
        *resolution = i;
        return TRUE;
      }
  return FALSE;
}

void
wh_sync_state_free (WhSyncState *state)
{
  if (state == NULL)
    return;
  g_free (state->server_url);
  g_free (state->user_name);
  g_free (state->last_error);
  g_free (state->ca_file);
  g_free (state);
}

void
wh_outbox_entry_free (WhOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_pointer (&entry->op, wh_op_free);
  g_free (entry->payload);
  g_free (entry->last_error);
  g_free (entry);
}

void
wh_sync_conflict_free (WhSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->op_id);
  g_free (conflict->incident_id);
  g_free (conflict->code);
  g_free (conflict->reason);
  g_clear_pointer (&conflict->op, wh_op_free);
  g_clear_object (&conflict->server_incident);
  g_free (conflict->resolution_op_id);
  g_free (conflict);
}

static void
wh_sync_store_dispose (GObject *object)
{
  WhSyncStore *self = WH_SYNC_STORE (object);

  g_clear_object (&self->incidents);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_sync_store_parent_class)->dispose (object);
}

static void
wh_sync_store_class_init (WhSyncStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_sync_store_dispose;
}

static void
wh_sync_store_init (WhSyncStore *self)
{
}

WhSyncStore *
wh_sync_store_new (WhDb *db)
{
  WhSyncStore *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_SYNC_STORE, NULL);
  self->db = g_object_ref (db);
  self->incidents = wh_incident_store_new (db);
  /* A page of the feed touches thousands of rows and their indexes: with SQLite's default
   * 2 MiB cache, the pages of a big street's indexes go out to the file and come back for
   * every page of the feed. The sync connection may use more. */
  if (!wh_db_exec (db, "PRAGMA cache_size = -32768", NULL))
    g_debug ("Could not enlarge the page cache of the sync connection");
  return self;
}

WhDb *
wh_sync_store_get_db (WhSyncStore *self)
{
  g_return_val_if_fail (WH_IS_SYNC_STORE (self), NULL);
  return self->db;
}

/* Small helpers */

static gboolean
exec_text (WhSyncStore *self,
           const char  *sql,
           const char  *text,
           GError     **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  wh_db_bind_text_or_null (stmt, 1, text);
  return wh_db_step_done (self->db, stmt, error);
}

/* One integer of a one-row query with an optional text parameter; FALSE on error. */
static gboolean
query_int64 (WhSyncStore *self,
             const char  *sql,
             const char  *text,
             gint64      *value,
             GError     **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return wh_db_finish (self->db, stmt, rc, error);
}

static gint64
column_time (sqlite3_stmt *stmt,
             int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, column);
}

static void
add_changed (GPtrArray  *changed,
             const char *incident_id)
{
  if (changed != NULL && incident_id != NULL)
    g_ptr_array_add (changed, g_strdup (incident_id));
}

/* State */

WhSyncState *
wh_sync_store_get_state (WhSyncStore *self,
                         GError     **error)
{
  g_autoptr (WhSyncState) state = g_new0 (WhSyncState, 1);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), NULL);

  stmt = wh_db_prepare (self->db,
                        "SELECT server_url, user_name, cursor, latest, last_success_at, last_error, "
                        "organisation_at, pass_start, ca_file FROM sync_state WHERE id = 1", error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->server_url = g_strdup (wh_db_column_text (stmt, 0));
      state->user_name = g_strdup (wh_db_column_text (stmt, 1));
      state->cursor = sqlite3_column_int64 (stmt, 2);
      state->latest = sqlite3_column_int64 (stmt, 3);
      state->last_success_at = column_time (stmt, 4);
      state->last_error = g_strdup (wh_db_column_text (stmt, 5));
      state->organisation_at = column_time (stmt, 6);
      state->pass_start = sqlite3_column_int64 (stmt, 7);
      state->ca_file = g_strdup (wh_db_column_text (stmt, 8));
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;
  if (state->server_url == NULL)
    {
      g_set_error (error, WH_DB_ERROR, WH_DB_ERROR_CORRUPT, _("The cache has no sync state."));
      return NULL;
    }
  return g_steal_pointer (&state);
}

gboolean
wh_sync_store_bind (WhSyncStore *self,
                    const char  *server_url,
                    const char  *user_name,
                    GError     **error)
{
  g_autoptr (WhSyncState) state = NULL;
  g_autofree char *role = NULL;
  sqlite3_stmt *stmt;
  gint64 foreign = 0;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (server_url != NULL && user_name != NULL, FALSE);

  role = wh_db_get_meta (self->db, "database_role");
  if (g_strcmp0 (role, "server") == 0)
    {
      g_set_error (error, WH_SYNC_STORE_ERROR, WH_SYNC_STORE_ERROR_WRONG_CACHE,
                   _("“%s” is the district server’s database, not a desk’s cache."),
                   wh_db_get_path (self->db));
      return FALSE;
    }

  if (!wh_db_begin (self->db, error))
    return FALSE;
  state = wh_sync_store_get_state (self, error);
  if (state == NULL)
    goto failed;

  if (*state->server_url != '\0' && g_strcmp0 (state->server_url, server_url) != 0)
    {
      g_set_error (error, WH_SYNC_STORE_ERROR, WH_SYNC_STORE_ERROR_WRONG_CACHE,
                   _("This cache belongs to the district server %s, not to %s. Open a new cache "
                     "to work with another server."), state->server_url, server_url);
      goto failed;
    }
  if (*state->server_url == '\0')
    {
      /* Confirmed events that no server sent: a demo street or somebody's copy. Mixing them
       * with a server's feed would show incidents that exist nowhere else. */
      if (!query_int64 (self,
                        "SELECT count(*) FROM incident_event WHERE id NOT IN "
                        "(SELECT event_id FROM sync_draft_event)", NULL, &foreign, error))
        goto failed;
      if (foreign > 0)
        {
          g_set_error (error, WH_SYNC_STORE_ERROR, WH_SYNC_STORE_ERROR_WRONG_CACHE,
                       _("This cache holds incidents that did not come from %s (a demo street?). "
                         "Open a new cache to work with the server."), server_url);
          goto failed;
        }
    }

  stmt = wh_db_prepare (self->db, "UPDATE sync_state SET server_url = ?, user_name = ? WHERE id = 1",
                        error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, server_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user_name, -1, SQLITE_TRANSIENT);
  if (!wh_db_step_done (self->db, stmt, error) || !wh_db_commit (self->db, error))
    goto failed;
  return TRUE;

failed:
  if (wh_db_in_transaction (self->db))
    wh_db_rollback (self->db);
  return FALSE;
}

gboolean
wh_sync_store_set_ca_file (WhSyncStore *self,
                           const char  *ca_file,
                           GError     **error)
{
  g_return_val_if_fail (WH_IS_SYNC_STORE (self), FALSE);
  return exec_text (self, "UPDATE sync_state SET ca_file = ? WHERE id = 1", ca_file ? ca_file : "", error);
}

gboolean
wh_sync_store_record_success (WhSyncStore *self,
                              gint64       at,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), FALSE);

  stmt = wh_db_prepare (self->db,
                        "UPDATE sync_state SET last_success_at = ?, last_error = '' WHERE id = 1",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  return wh_db_step_done (self->db, stmt, error);
}

gboolean
wh_sync_store_record_failure (WhSyncStore *self,
                              const char  *message,
                              GError     **error)
{
  g_return_val_if_fail (WH_IS_SYNC_STORE (self), FALSE);
  return exec_text (self, "UPDATE sync_state SET last_error = ? WHERE id = 1",
                    message ? message : "", error);
}

gboolean
wh_sync_store_import_organisation (WhSyncStore *self,
                                   JsonNode    *organisation,
                                   gint64       at,
                                   GError     **error)
{
  g_autofree char *cache_street = NULL;
  const char *street_id = NULL;
  sqlite3_stmt *stmt;
  JsonNode *streets;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (organisation != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (organisation) ||
      (streets = json_object_get_member (json_node_get_object (organisation), "streets")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (streets))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The organisation sent by the server has no list of streets."));
      return FALSE;
    }
  /* A street account sees one street, and the cache becomes that street's; a district
   * account sees several, and the cache stays without one. */
  if (json_array_get_length (json_node_get_array (streets)) == 1)
    {
      JsonNode *street = json_array_get_element (json_node_get_array (streets), 0);

      if (JSON_NODE_HOLDS_OBJECT (street))
        street_id = json_object_get_string_member_with_default (json_node_get_object (street), "id", NULL);
    }

  cache_street = wh_db_get_meta (self->db, "street_id");
  if (cache_street != NULL && street_id != NULL && g_strcmp0 (cache_street, street_id) != 0)
    {
      g_set_error (error, WH_SYNC_STORE_ERROR, WH_SYNC_STORE_ERROR_WRONG_CACHE,
                   _("This cache belongs to the street %s, but the server signed you in for the "
                     "street %s. Open a new cache for that street."), cache_street, street_id);
      return FALSE;
    }

  if (!wh_db_begin (self->db, error))
    return FALSE;
  if (!wh_organisation_import (self->db, organisation, error))
    goto failed;
  if (street_id != NULL && cache_street == NULL &&
      !wh_db_set_meta (self->db, "street_id", street_id, error))
    goto failed;
  stmt = wh_db_prepare (self->db, "UPDATE sync_state SET organisation_at = ? WHERE id = 1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, at);
  if (!wh_db_step_done (self->db, stmt, error) || !wh_db_commit (self->db, error))
    goto failed;
  return TRUE;

failed:
  if (wh_db_in_transaction (self->db))
    wh_db_rollback (self->db);
  return FALSE;
}

/* Outbox */

GPtrArray *
wh_sync_store_peek_outbox (WhSyncStore *self,
                           gint64       after_id,
                           guint        max_ops,
                           gsize        max_bytes,
                           GError     **error)
{
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_outbox_entry_free);
  sqlite3_stmt *stmt;
  gsize bytes = 0;
  int rc;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), NULL);

  stmt = wh_db_prepare (self->db,
                        "SELECT id, payload, attempts, last_error FROM outbox WHERE id > ? "
                        "ORDER BY id LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int (stmt, 2, max_ops);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (WhOutboxEntry) entry = g_new0 (WhOutboxEntry, 1);
      g_autoptr (JsonNode) node = NULL;
      g_autoptr (GError) local_error = NULL;

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->payload = g_strdup (wh_db_column_text (stmt, 1));
      entry->attempts = sqlite3_column_int (stmt, 2);
      entry->last_error = g_strdup (wh_db_column_text (stmt, 3));
      if (entries->len > 0 && bytes + strlen (entry->payload) > max_bytes)
        break;
      bytes += strlen (entry->payload);

      node = json_from_string (entry->payload, &local_error);
      if (node != NULL)
        entry->op = wh_op_from_json (node, &local_error);
      if (entry->op == NULL)
        {
          g_autofree char *row = g_strdup_printf ("%" G_GINT64_FORMAT, entry->id);

          /* The desk wrote it itself: an unreadable row is damage, not something to skip.
           * (The number goes in as text: a format macro would not match its translation.) */
          g_set_error (error, WH_DB_ERROR, WH_DB_ERROR_CORRUPT,
                       _("The waiting change %s cannot be read: %s"),
                       row, local_error ? local_error->message : "");
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&entries);
}

guint
wh_sync_store_count_outbox (WhSyncStore *self,
                            GError     **error)
{
  gint64 n = 0;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), 0);
  query_int64 (self, "SELECT count(*) FROM outbox", NULL, &n, error);
  return n;
}

/* Reconciling the desk's record with the server's */

/* Removes the desk's own unconfirmed events of an incident. The timeline's trigger lets
 * only drafts go, and only released ones: nothing else can delete from the record. */
static gboolean
drop_drafts (WhSyncStore *self,
             const char  *incident_id,
             GError     **error)
{
  return exec_text (self, "UPDATE sync_draft_event SET released = 1 WHERE incident_id = ?",
                    incident_id, error) &&
         exec_text (self,
                    "DELETE FROM event_attachment WHERE event_id IN "
                    "(SELECT event_id FROM sync_draft_event WHERE incident_id = ?)",
                    incident_id, error) &&
         exec_text (self,
                    "DELETE FROM incident_event WHERE id IN "
                    "(SELECT event_id FROM sync_draft_event WHERE incident_id = ?)",
                    incident_id, error) &&
         exec_text (self, "DELETE FROM sync_draft_event WHERE incident_id = ?", incident_id, error);
}

typedef struct {
  char *op_id;
  char *payload;
} PendingOp;

static void
pending_op_free (PendingOp *pending)
{
  g_free (pending->op_id);
  g_free (pending->payload);
  g_free (pending);
}

/* Writes the ops still waiting for @incident_id on top of the record the cache now holds,
 * as drafts again. One that no longer fits stays in the outbox: the server decides, and its
 * answer (a conflict or a rejection) reaches the duty officer. */
static gboolean
rebase (WhSyncStore *self,
        const char  *incident_id,
        GError     **error)
{
  g_autoptr (GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_op_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = wh_db_prepare (self->db,
                        "SELECT op_id, payload FROM outbox WHERE incident_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PendingOp *op = g_new0 (PendingOp, 1);

      op->op_id = g_strdup (wh_db_column_text (stmt, 0));
      op->payload = g_strdup (wh_db_column_text (stmt, 1));
      g_ptr_array_add (pending, op);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return FALSE;

  for (guint i = 0; i < pending->len; i++)
    {
      PendingOp *p = g_ptr_array_index (pending, i);
      g_autoptr (JsonNode) node = NULL;
      g_autoptr (WhOp) op = NULL;
      g_autoptr (WhIncidentEvent) event = NULL;
      g_autoptr (GError) local_error = NULL;
      gint64 known = 0;

      /* Already in the server's timeline: applied, only its answer has not come back yet. */
      if (!query_int64 (self, "SELECT count(*) FROM incident_event WHERE id = ?", p->op_id, &known,
                        error))
        return FALSE;
      if (known > 0)
        continue;

      node = json_from_string (p->payload, &local_error);
      if (node != NULL)
        op = wh_op_from_json (node, &local_error);
      if (op == NULL)
        {
          g_set_error (error, WH_DB_ERROR, WH_DB_ERROR_CORRUPT,
                       _("The waiting change %s cannot be read: %s"), p->op_id, local_error->message);
          return FALSE;
        }
      event = wh_incident_store_apply (self->incidents, op, WH_APPLY_NONE, &local_error);
      if (event == NULL)
        {
          if (local_error->domain == WH_INCIDENT_ERROR)
            {
              g_debug ("Waiting change %s no longer fits the record: %s", p->op_id, local_error->message);
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      stmt = wh_db_prepare (self->db,
                            "INSERT OR IGNORE INTO sync_draft_event (event_id, incident_id) VALUES (?, ?)",
                            error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, p->op_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, incident_id, -1, SQLITE_TRANSIENT);
      if (!wh_db_step_done (self->db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Two desks numbering offline pick the same next number and the server renumbers one of
 * them; until the renumbered record arrives, the desk's own copy steps aside. */
static gboolean
number_aside (WhSyncStore *self,
              WhIncident  *incident,
              GError     **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db,
                                      "UPDATE incident SET number = number || '~' || substr (id, 1, 8) "
                                      "WHERE number = ? AND id <> ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, incident->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, incident->id, -1, SQLITE_TRANSIENT);
  return wh_db_step_done (self->db, stmt, error);
}

/* Takes the server's record of an incident: its projection and the events the cache lacks,
 * then the desk's waiting changes on top. Inside the caller's transaction. */
static gboolean
take_server_record (WhSyncStore *self,
                    WhIncident  *incident,
                    GPtrArray   *events,
                    gboolean     pending,
                    GError     **error)
{
  if (pending && !drop_drafts (self, incident->id, error))
    return FALSE;
  if (!number_aside (self, incident, error) ||
      !wh_incident_store_import (self->incidents, incident, events, error))
    return FALSE;
  return !pending || rebase (self, incident->id, error);
}

/* Goes back to what the server confirmed of an incident (its events that are not drafts)
 * plus the changes still waiting: after a rejection, the rejected change must vanish from
 * the desk's record as it never happened on the server. */
static gboolean
revert_to_confirmed (WhSyncStore *self,
                     const char  *incident_id,
                     GError     **error)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (WhIncident) current = NULL;

  if (incident_id == NULL || *incident_id == '\0')
    return TRUE;
  if (!drop_drafts (self, incident_id, error))
    return FALSE;
  events = wh_incident_store_list_events (self->incidents, incident_id, error);
  if (events == NULL)
    return FALSE;

  if (events->len == 0)
    {
      /* It only ever existed on this desk. */
      if (!exec_text (self, "DELETE FROM incident_unit WHERE incident_id = ?", incident_id, error) ||
          !exec_text (self, "DELETE FROM incident WHERE id = ?", incident_id, error))
        return FALSE;
    }
  else
    {
      g_autoptr (WhIncident) replayed = wh_incident_new ();
      g_autoptr (GError) local_error = NULL;

      current = wh_incident_store_get (self->incidents, incident_id, &local_error);
      if (current == NULL && !g_error_matches (local_error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint i = 0; i < events->len; i++)
        wh_incident_apply_event (replayed, g_ptr_array_index (events, i));
      replayed->rev = current != NULL ? current->rev : 0;
      if (!wh_incident_store_import (self->incidents, replayed, NULL, error))
        return FALSE;
    }
  return rebase (self, incident_id, error);
}

static gboolean
has_pending (WhSyncStore *self,
             gboolean    *pending,
             GError     **error)
{
  gint64 n = 0;

  if (!query_int64 (self,
                    "SELECT EXISTS (SELECT 1 FROM outbox) OR EXISTS (SELECT 1 FROM sync_draft_event)",
                    NULL, &n, error))
    return FALSE;
  *pending = n != 0;
  return TRUE;
}

/* Answers */

static gboolean
delete_outbox_row (WhSyncStore   *self,
                   WhOutboxEntry *entry,
                   GError       **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db, "DELETE FROM outbox WHERE id = ? AND op_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->id);
  sqlite3_bind_text (stmt, 2, entry->op->op_id, -1, SQLITE_TRANSIENT);
  return wh_db_step_done (self->db, stmt, error);
}

static gboolean
note_attempt (WhSyncStore   *self,
              WhOutboxEntry *entry,
              const char    *message,
              GError       **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db,
                                      "UPDATE outbox SET attempts = attempts + 1, last_error = ? "
                                      "WHERE id = ? AND op_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message ? message : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, entry->id);
  sqlite3_bind_text (stmt, 3, entry->op->op_id, -1, SQLITE_TRANSIENT);
  return wh_db_step_done (self->db, stmt, error);
}

static gboolean
add_conflict (WhSyncStore      *self,
              WhOutboxEntry    *entry,
              WhConflictKind    kind,
              const WhOpResult *result,
              GError          **error)
{
  g_autofree char *server_incident = NULL;
  sqlite3_stmt *stmt;

  if (result->incident != NULL)
    {
      g_autoptr (JsonNode) node = wh_wire_incident_to_json (result->incident);

      server_incident = json_to_string (node, FALSE);
    }

  /* An op id reaches this list once; if it ever came again, the newer answer wins rather
   * than failing the whole batch for good. */
  stmt = wh_db_prepare (self->db,
                        "INSERT INTO sync_conflict (op_id, incident_id, kind, code, reason, op, "
                        "server_rev, server_incident, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (op_id) DO UPDATE SET kind = excluded.kind, code = excluded.code, "
                        "reason = excluded.reason, server_rev = excluded.server_rev, "
                        "server_incident = excluded.server_incident, resolved_at = NULL, "
                        "resolution = NULL, resolution_op_id = NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entry->op->op_id, -1, SQLITE_TRANSIENT);
  wh_db_bind_text_or_null (stmt, 2, entry->op->incident_id);
  sqlite3_bind_text (stmt, 3, kind == WH_CONFLICT_KIND_CONFLICT ? "conflict" : "rejected", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, result->code ? result->code : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, result->reason ? result->reason : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, entry->payload, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, result->rev);
  wh_db_bind_text_or_null (stmt, 8, server_incident);
  sqlite3_bind_int64 (stmt, 9, g_get_real_time ());
  return wh_db_step_done (self->db, stmt, error);
}

static gboolean
store_answer (WhSyncStore      *self,
              WhOutboxEntry    *entry,
              const WhOpResult *result,
              WhPushCounts     *counts,
              GPtrArray        *changed,
              GError          **error)
{
  WhOpOutcome outcome;
  sqlite3_stmt *stmt;

  if (result == NULL)
    {
      counts->failed++;
      return note_attempt (self, entry, _("The server gave no answer for this change."), error);
    }

  outcome = result->outcome;
  if (outcome == WH_OP_OUTCOME_DUPLICATE)
    {
      counts->duplicate++;
      outcome = result->first_outcome;
    }

  switch (outcome)
    {
    case WH_OP_OUTCOME_APPLIED:
      if (result->outcome == WH_OP_OUTCOME_APPLIED)
        counts->applied++;
      if (!delete_outbox_row (self, entry, error))
        return FALSE;
      /* Note the new revision only when nobody else's revision came in between: the
       * record must not claim to include changes it has not received yet. */
      stmt = wh_db_prepare (self->db, "UPDATE incident SET rev = ?1 WHERE id = ?2 AND rev = ?1 - 1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, result->rev);
      sqlite3_bind_text (stmt, 2, entry->op->incident_id, -1, SQLITE_TRANSIENT);
      return wh_db_step_done (self->db, stmt, error);

    case WH_OP_OUTCOME_CONFLICT:
      if (result->outcome == WH_OP_OUTCOME_CONFLICT)
        counts->conflict++;
      if (!delete_outbox_row (self, entry, error) ||
          !add_conflict (self, entry, WH_CONFLICT_KIND_CONFLICT, result, error))
        return FALSE;
      add_changed (changed, entry->op->incident_id);
      if (result->incident != NULL && g_strcmp0 (result->incident->id, entry->op->incident_id) == 0)
        return take_server_record (self, result->incident, result->events, TRUE, error);
      return revert_to_confirmed (self, entry->op->incident_id, error);

    case WH_OP_OUTCOME_REJECTED:
      if (result->outcome == WH_OP_OUTCOME_REJECTED)
        counts->rejected++;
      if (!delete_outbox_row (self, entry, error) ||
          !add_conflict (self, entry, WH_CONFLICT_KIND_REJECTED, result, error))
        return FALSE;
      add_changed (changed, entry->op->incident_id);
      return revert_to_confirmed (self, entry->op->incident_id, error);

    case WH_OP_OUTCOME_DUPLICATE:
    case WH_OP_OUTCOME_ERROR:
    default:
      /* Nothing was written on the server: send it again later. */
      counts->failed++;
      return note_attempt (self, entry, result->reason ? result->reason : result->code, error);
    }
}

gboolean
wh_sync_store_store_answers (WhSyncStore  *self,
                             GPtrArray    *entries,
                             GPtrArray    *results,
                             WhPushCounts *counts,
                             GPtrArray    *changed,
                             GError      **error)
{
  g_autoptr (GHashTable) by_op = g_hash_table_new (g_str_hash, g_str_equal);
  WhPushCounts local_counts = { 0, };

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL && results != NULL, FALSE);

  /* Only the answer for exactly an op's id touches that op's row. */
  for (guint i = 0; i < results->len; i++)
    {
      WhOpResult *result = g_ptr_array_index (results, i);

      g_hash_table_insert (by_op, result->op_id, result);
    }

  if (!wh_db_begin (self->db, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      WhOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (!store_answer (self, entry, g_hash_table_lookup (by_op, entry->op->op_id),
                         &local_counts, changed, error))
        goto failed;
    }
  if (!wh_db_commit (self->db, error))
    goto failed;
  if (counts != NULL)
    *counts = local_counts;
  return TRUE;

failed:
  if (wh_db_in_transaction (self->db))
    wh_db_rollback (self->db);
  return FALSE;
}

gboolean
wh_sync_store_note_failure (WhSyncStore *self,
                            GPtrArray   *entries,
                            const char  *message,
                            GError     **error)
{
  g_return_val_if_fail (WH_IS_SYNC_STORE (self), FALSE);

  if (!wh_db_begin (self->db, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    if (!note_attempt (self, g_ptr_array_index (entries, i), message, error))
      {
        wh_db_rollback (self->db);
        return FALSE;
      }
  return wh_db_commit (self->db, error);
}

/* Pull */

static gboolean
take_tombstone (WhSyncStore *self,
                WhChange    *change,
                GPtrArray   *changed,
                GError     **error)
{
  gint64 confirmed = 0;

  if (g_strcmp0 (change->entity, "incident") != 0)
    {
      g_debug ("Ignoring a tombstone of a %s: the desk keeps no such records", change->entity);
      return TRUE;
    }
  if (!drop_drafts (self, change->entity_id, error) ||
      !query_int64 (self, "SELECT count(*) FROM incident_event WHERE incident_id = ?",
                    change->entity_id, &confirmed, error))
    return FALSE;
  if (confirmed > 0)
    {
      /* The timeline is the whole-process record and stays; the incident stays with it. */
      g_message ("The server removed incident %s; its timeline stays in this cache", change->entity_id);
      return TRUE;
    }
  add_changed (changed, change->entity_id);
  return exec_text (self, "DELETE FROM incident_unit WHERE incident_id = ?", change->entity_id, error) &&
         exec_text (self, "DELETE FROM incident WHERE id = ?", change->entity_id, error);
}

gboolean
wh_sync_store_apply_page (WhSyncStore  *self,
                          WhChangePage *page,
                          GPtrArray    *changed,
                          GError      **error)
{
  g_autoptr (GPtrArray) incidents = g_ptr_array_new ();
  g_autoptr (GPtrArray) event_lists = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  gboolean pending;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  if (!wh_db_begin (self->db, error))
    return FALSE;
  /* On a first sync nothing waits, and the drafts' bookkeeping can be skipped for speed. */
  if (!has_pending (self, &pending, error))
    goto failed;

  for (guint i = 0; i < page->changes->len; i++)
    {
      WhChange *change = g_ptr_array_index (page->changes, i);

      if (change->tombstone)
        {
          if (!take_tombstone (self, change, changed, error))
            goto failed;
          continue;
        }
      add_changed (changed, change->incident->id);
      if (!pending)
        {
          if (!number_aside (self, change->incident, error))
            goto failed;
          g_ptr_array_add (incidents, change->incident);
          g_ptr_array_add (event_lists, change->events);
        }
      else if (!take_server_record (self, change->incident, change->events, TRUE, error))
        {
          g_prefix_error (error, _("Incident %s: "), change->incident->number);
          goto failed;
        }
    }
  /* Nothing of the desk's own waits (a first sync, or a desk that sent everything): the
   * page goes in as one batch. */
  if (incidents->len > 0 && !wh_incident_store_import_many (self->incidents, incidents, event_lists, error))
    goto failed;

  if (G_UNLIKELY (self->page_hook != NULL))
    self->page_hook (self, self->page_hook_data);

  stmt = wh_db_prepare (self->db,
                        "UPDATE sync_state SET cursor = ?1, latest = ?2, "
                        "pass_start = CASE WHEN ?3 THEN pass_start ELSE ?1 END WHERE id = 1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, page->next_since);
  sqlite3_bind_int64 (stmt, 2, page->latest);
  sqlite3_bind_int (stmt, 3, page->more);
  if (!wh_db_step_done (self->db, stmt, error) || !wh_db_commit (self->db, error))
    goto failed;
  return TRUE;

failed:
  if (wh_db_in_transaction (self->db))
    wh_db_rollback (self->db);
  return FALSE;
}

void
wh_sync_store_set_page_hook (WhSyncStore     *self,
                             WhSyncStoreHook  hook,
                             gpointer         user_data)
{
  g_return_if_fail (WH_IS_SYNC_STORE (self));
  self->page_hook = hook;
  self->page_hook_data = user_data;
}

/* Conflicts */

#define CONFLICT_COLUMNS \
  "id, op_id, incident_id, kind, code, reason, op, server_rev, server_incident, created_at, " \
  "resolved_at, resolution, resolution_op_id"

static WhSyncConflict *
read_conflict (sqlite3_stmt *stmt,
               GError      **error)
{
  g_autoptr (WhSyncConflict) conflict = g_new0 (WhSyncConflict, 1);
  g_autoptr (JsonNode) op = NULL;
  g_autoptr (GError) local_error = NULL;

  conflict->id = sqlite3_column_int64 (stmt, 0);
  conflict->op_id = wh_db_column_dup_text (stmt, 1);
  conflict->incident_id = wh_db_column_dup_text (stmt, 2);
  conflict->kind = g_str_equal (wh_db_column_text (stmt, 3), "conflict") ? WH_CONFLICT_KIND_CONFLICT
                                                                         : WH_CONFLICT_KIND_REJECTED;
  conflict->code = g_strdup (wh_db_column_text (stmt, 4));
  conflict->reason = g_strdup (wh_db_column_text (stmt, 5));
  op = json_from_string (wh_db_column_text (stmt, 6), &local_error);
  if (op != NULL)
    conflict->op = wh_op_from_json (op, &local_error);
  if (conflict->op == NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, conflict->id);

      g_set_error (error, WH_DB_ERROR, WH_DB_ERROR_CORRUPT,
                   _("The change of conflict %s cannot be read: %s"), number, local_error->message);
      return NULL;
    }
  conflict->server_rev = sqlite3_column_int64 (stmt, 7);
  if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
    {
      g_autoptr (JsonNode) node = json_from_string (wh_db_column_text (stmt, 8), NULL);

      /* The server's record is shown for comparison only; a damaged copy is left out. */
      if (node != NULL)
        conflict->server_incident = wh_wire_incident_from_json (node, NULL);
    }
  conflict->created_at = sqlite3_column_int64 (stmt, 9);
  conflict->resolved_at = column_time (stmt, 10);
  if (!wh_resolution_from_string (wh_db_column_text (stmt, 11), &conflict->resolution))
    conflict->resolution = WH_RESOLUTION_NONE;
  conflict->resolution_op_id = wh_db_column_dup_text (stmt, 12);
  return g_steal_pointer (&conflict);
}

GPtrArray *
wh_sync_store_list_conflicts (WhSyncStore *self,
                              gboolean     open_only,
                              GError     **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), NULL);

  stmt = wh_db_prepare (self->db,
                        open_only ? "SELECT " CONFLICT_COLUMNS " FROM sync_conflict "
                                    "WHERE resolved_at IS NULL ORDER BY id"
                                  : "SELECT " CONFLICT_COLUMNS " FROM sync_conflict ORDER BY id",
                        error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WhSyncConflict *conflict = read_conflict (stmt, error);

      if (conflict == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (list, conflict);
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&list);
}

WhSyncConflict *
wh_sync_store_get_conflict (WhSyncStore *self,
                            gint64       id,
                            GError     **error)
{
  WhSyncConflict *conflict = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), NULL);

  stmt = wh_db_prepare (self->db, "SELECT " CONFLICT_COLUMNS " FROM sync_conflict WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      conflict = read_conflict (stmt, error);
      sqlite3_reset (stmt);
      return conflict;
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    g_set_error (error, WH_SYNC_STORE_ERROR, WH_SYNC_STORE_ERROR_NOT_FOUND,
                 _("There is no conflict %s."), number);
  }
  return NULL;
}

guint
wh_sync_store_count_conflicts (WhSyncStore *self,
                               GError     **error)
{
  gint64 n = 0;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), 0);
  query_int64 (self, "SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL", NULL, &n, error);
  return n;
}

/* The incident's record as the cache has it now, or NULL when it has none. */
static WhIncident *
current_record (WhSyncStore *self,
                const char  *incident_id,
                GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  WhIncident *incident = wh_incident_store_get (self->incidents, incident_id, &local_error);

  if (incident == NULL && !g_error_matches (local_error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return incident;
}

static char *
format_time (gint64 usec)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_timezone (utc, wh_store_street_time_zone ());
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* Queues @op as the desk's change, through the lifecycle like any other. */
static char *
queue_op (WhSyncStore *self,
          WhOp        *op,
          GError     **error)
{
  g_autoptr (WhIncidentEvent) event = wh_incident_store_apply (self->incidents, op,
                                                               WH_APPLY_RECORD_OUTBOX, error);

  return event != NULL ? g_strdup (op->op_id) : NULL;
}

gboolean
wh_sync_store_resolve (WhSyncStore   *self,
                       gint64         id,
                       WhResolution   resolution,
                       const WhActor *actor,
                       JsonObject    *fields,
                       const char    *note,
                       gint64         at,
                       char         **op_id,
                       GError       **error)
{
  g_autoptr (WhSyncConflict) conflict = NULL;
  g_autoptr (WhIncident) current = NULL;
  g_autoptr (WhOp) op = NULL;
  g_autofree char *resolution_op = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_SYNC_STORE (self), FALSE);
  g_return_val_if_fail (resolution != WH_RESOLUTION_NONE, FALSE);

  if (!wh_db_begin (self->db, error))
    return FALSE;
  conflict = wh_sync_store_get_conflict (self, id, error);
  if (conflict == NULL)
    goto failed;
  if (conflict->resolved_at != 0)
    {
      g_set_error (error, WH_SYNC_STORE_ERROR, WH_SYNC_STORE_ERROR_ALREADY_RESOLVED,
                   _("This conflict has already been resolved."));
      goto failed;
    }
  {
    g_autoptr (GError) local_error = NULL;

    current = current_record (self, conflict->op->incident_id, &local_error);
    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        goto failed;
      }
  }

  switch (resolution)
    {
    case WH_RESOLUTION_KEEP_MINE:
    case WH_RESOLUTION_MERGE:
      /* My change again, as a new op (a new idempotency key: the server has answered the
       * old one for good) based on the record the desk shows now. */
      op = wh_op_copy (conflict->op);
      g_free (op->op_id);
      op->op_id = wh_uuid_new (NULL);
      if (actor != NULL)
        {
          wh_actor_free (op->actor);
          op->actor = wh_actor_copy (actor);
        }
      op->at = at;
      op->base_rev = current != NULL ? current->rev : 0;
      if (resolution == WH_RESOLUTION_MERGE && fields != NULL)
        {
          g_autoptr (GList) members = json_object_get_members (fields);

          for (GList *l = members; l != NULL; l = l->next)
            json_object_set_member (op->fields, l->data,
                                    json_node_copy (json_object_get_member (fields, l->data)));
        }
      if (note != NULL)
        {
          g_free (op->note);
          op->note = g_strdup (note);
        }
      resolution_op = queue_op (self, op, error);
      if (resolution_op == NULL)
        goto failed;
      break;

    case WH_RESOLUTION_TAKE_THEIRS:
      /* The server's record is already the desk's; what remains is to say in the timeline
       * that a change made here was not applied. An incident the server never had (a
       * rejected report) has no timeline to say it in. */
      if (current != NULL && current->rev > 0)
        {
          g_autofree char *when = format_time (conflict->op->at);

          op = wh_op_new (WH_ACTION_NOTE, conflict->op->incident_id,
                          actor != NULL ? actor : conflict->op->actor, at);
          op->base_rev = current->rev;
          op->note = g_strdup_printf (_("Kept the district server’s record: the change “%s” made "
                                        "on this desk at %s was not applied (%s)."),
                                      wh_action_label (conflict->op->action), when,
                                      conflict->reason);
          resolution_op = queue_op (self, op, error);
          if (resolution_op == NULL)
            goto failed;
        }
      break;

    case WH_RESOLUTION_NONE:
    default:
      g_assert_not_reached ();
    }

  stmt = wh_db_prepare (self->db,
                        "UPDATE sync_conflict SET resolved_at = ?, resolution = ?, resolution_op_id = ? "
                        "WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_text (stmt, 2, wh_resolution_to_string (resolution), -1, SQLITE_STATIC);
  wh_db_bind_text_or_null (stmt, 3, resolution_op);
  sqlite3_bind_int64 (stmt, 4, id);
  if (!wh_db_step_done (self->db, stmt, error) || !wh_db_commit (self->db, error))
    goto failed;

  if (op_id != NULL)
    *op_id = g_steal_pointer (&resolution_op);
  return TRUE;

failed:
  if (wh_db_in_transaction (self->db))
    wh_db_rollback (self->db);
  return FALSE;
}
