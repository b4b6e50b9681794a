/* wh-event-attachments.c — the photos and documents a timeline event names */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-event-attachments.h"

#define FIELD "attachments"

static GQuark
attachments_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("wh-event-attachments");
  return quark;
}

static gboolean
invalid (GError **error)
{
  g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID,
               _("The attachments of a change must be a list of at most %d different "
                 "attachment names."), WH_ATTACHMENT_MAX_PER_EVENT);
  return FALSE;
}

gboolean
wh_event_attachments_check_field (JsonObject *fields,
                                  GError    **error)
{
  JsonNode *node;
  JsonArray *array;
  guint length;

  g_return_val_if_fail (fields != NULL, FALSE);

  node = json_object_get_member (fields, FIELD);
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error);
  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (length == 0 || length > WH_ATTACHMENT_MAX_PER_EVENT)
    return invalid (error);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *hash;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return invalid (error);
      hash = json_node_get_string (element);
      if (!wh_attachment_hash_is_valid (hash))
        return invalid (error);
      for (guint j = 0; j < i; j++)
        if (g_str_equal (hash, json_array_get_string_element (array, j)))
          return invalid (error);
    }
  return TRUE;
}

GPtrArray *
wh_event_attachments_get_hashes (JsonObject *payload)
{
  GPtrArray *hashes = g_ptr_array_new ();
  JsonArray *array;

  if (payload == NULL || !json_object_has_member (payload, FIELD) ||
      !wh_event_attachments_check_field (payload, NULL))
    return hashes;
  array = json_object_get_array_member (payload, FIELD);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (hashes, (gpointer) json_array_get_string_element (array, i));
  return hashes;
}

void
wh_op_add_attachment (WhOp       *op,
                      const char *hash)
{
  JsonArray *array;

  g_return_if_fail (op != NULL && op->fields != NULL);
  g_return_if_fail (hash != NULL);

  if (!json_object_has_member (op->fields, FIELD))
    json_object_set_array_member (op->fields, FIELD, json_array_new ());
  array = json_object_get_array_member (op->fields, FIELD);
  g_return_if_fail (array != NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), hash) == 0)
      return;
  json_array_add_string_element (array, hash);
}

void
wh_event_set_attachments (WhIncidentEvent *event,
                          GPtrArray       *attachments)
{
  g_return_if_fail (WH_IS_INCIDENT_EVENT (event));

  g_object_set_qdata_full (G_OBJECT (event), attachments_quark (),
                           attachments ? g_ptr_array_ref (attachments) : NULL,
                           (GDestroyNotify) g_ptr_array_unref);
}

GPtrArray *
wh_event_get_attachments (WhIncidentEvent *event)
{
  g_return_val_if_fail (WH_IS_INCIDENT_EVENT (event), NULL);
  return g_object_get_qdata (G_OBJECT (event), attachments_quark ());
}

/* Whether @hash is stored here, and with its bytes. */
static gboolean
probe (WhDb       *db,
       const char *hash,
       gboolean   *exists,
       gboolean   *fetched,
       GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *exists = *fetched = FALSE;
  stmt = wh_db_prepare (db, "SELECT data IS NOT NULL FROM attachment WHERE hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *exists = TRUE;
      *fetched = sqlite3_column_int (stmt, 0) != 0;
    }
  return wh_db_finish (db, stmt, rc, error);
}

gboolean
wh_event_attachments_write (WhDb            *db,
                            WhIncidentEvent *event,
                            gboolean         imported,
                            GError         **error)
{
  g_autoptr (GPtrArray) hashes = NULL;
  GPtrArray *described;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_DB (db), FALSE);
  g_return_val_if_fail (WH_IS_INCIDENT_EVENT (event), FALSE);

  described = wh_event_get_attachments (event);
  /* Most events name nothing: no SQL for them (a first sync writes many thousands). */
  if ((event->payload == NULL || !json_object_has_member (event->payload, FIELD)) &&
      (described == NULL || described->len == 0))
    return TRUE;

  if (!imported && !wh_event_attachments_check_field (event->payload, error))
    return FALSE;

  if (imported && described != NULL && described->len > 0)
    {
      g_autoptr (WhAttachmentStore) store = wh_attachment_store_new (db);

      for (guint i = 0; i < described->len; i++)
        {
          g_autoptr (GError) local_error = NULL;

          /* One description the desk cannot use must not stop the record it came with. */
          if (!wh_attachment_store_describe (store, g_ptr_array_index (described, i), &local_error))
            {
              if (local_error->domain != WH_ATTACHMENT_ERROR)
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              g_debug ("Skipping an attachment of event %s: %s", event->id, local_error->message);
            }
        }
    }

  hashes = wh_event_attachments_get_hashes (event->payload);
  for (guint i = 0; i < hashes->len; i++)
    {
      const char *hash = g_ptr_array_index (hashes, i);
      gboolean exists, fetched;

      if (!probe (db, hash, &exists, &fetched, error))
        return FALSE;
      if (!imported && !fetched)
        {
          g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID,
                       _("Attachment %s has not been uploaded."), hash);
          return FALSE;
        }
      /* A record from elsewhere without the description (an older server's conflict
       * answer): linked when the feed brings it. */
      if (!exists)
        continue;

      stmt = wh_db_prepare (db,
                            "INSERT OR IGNORE INTO event_attachment (event_id, hash, position) "
                            "VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, event->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, i);
      if (!wh_db_step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
wh_event_attachments_load (WhDb        *db,
                           const char  *incident_id,
                           GPtrArray   *events,
                           GError     **error)
{
  g_autoptr (GHashTable) by_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_DB (db), FALSE);
  g_return_val_if_fail (incident_id != NULL && events != NULL, FALSE);

  for (guint i = 0; i < events->len; i++)
    {
      WhIncidentEvent *event = g_ptr_array_index (events, i);

      if (event->payload == NULL || !json_object_has_member (event->payload, FIELD))
        continue;
      if (by_id == NULL)
        by_id = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (by_id, event->id, event);
    }
  if (by_id == NULL)
    return TRUE;

  stmt = wh_db_prepare (db,
                        "SELECT ea.event_id, a.hash, a.mime_type, a.size, a.name "
                        "FROM incident_event e JOIN event_attachment ea ON ea.event_id = e.id "
                        "JOIN attachment a ON a.hash = ea.hash WHERE e.incident_id = ? "
                        "ORDER BY e.seq, ea.position", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WhIncidentEvent *event = g_hash_table_lookup (by_id, wh_db_column_text (stmt, 0));
      WhAttachment *attachment;
      GPtrArray *list;

      if (event == NULL)
        continue;
      list = wh_event_get_attachments (event);
      if (list == NULL)
        {
          g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_attachment_free);

          wh_event_set_attachments (event, fresh);
          list = fresh;
        }
      attachment = g_new0 (WhAttachment, 1);
      attachment->hash = wh_db_column_dup_text (stmt, 1);
      attachment->mime_type = wh_db_column_dup_text (stmt, 2);
      attachment->size = sqlite3_column_int64 (stmt, 3);
      attachment->name = g_strdup (wh_db_column_text (stmt, 4));
      g_ptr_array_add (list, attachment);
    }
  return wh_db_finish (db, stmt, rc, error);
}
