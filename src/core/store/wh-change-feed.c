/* wh-change-feed.c — the district server's changes feed */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-change-feed.h"
#include "wh-event-attachments.h"
#include "wh-incident-store.h"

struct _WhChangeFeed {
  GObject          parent_instance;
  WhDb            *db;
  WhIncidentStore *incidents;
};

G_DEFINE_FINAL_TYPE (WhChangeFeed, wh_change_feed, G_TYPE_OBJECT)

static void
wh_change_feed_dispose (GObject *object)
{
  WhChangeFeed *self = WH_CHANGE_FEED (object);

  g_clear_object (&self->incidents);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_change_feed_parent_class)->dispose (object);
}

static void
wh_change_feed_class_init (WhChangeFeedClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_change_feed_dispose;
}

static void
wh_change_feed_init (WhChangeFeed *self)
{
}

WhChangeFeed *
wh_change_feed_new (WhDb *db)
{
  WhChangeFeed *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_CHANGE_FEED, NULL);
  self->db = g_object_ref (db);
  self->incidents = wh_incident_store_new (db);
  return self;
}

/* Deletes the entity's row and inserts a new one: AUTOINCREMENT hands out a seq above every
 * seq ever used, which an upsert (keeping the old rowid) would not. */
static gint64
move_row (WhChangeFeed *self,
          const char   *kind,
          const char   *entity,
          const char   *entity_id,
          const char   *street_id,
          gint64        rev,
          GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = wh_db_prepare (self->db, "DELETE FROM change_log WHERE entity = ? AND entity_id = ?", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_TRANSIENT);
  if (!wh_db_step_done (self->db, stmt, error))
    return 0;

  stmt = wh_db_prepare (self->db,
                        "INSERT INTO change_log (kind, entity, entity_id, street_id, rev, at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, entity_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, street_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, rev);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  if (!wh_db_step_done (self->db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (wh_db_get_handle (self->db));
}

gint64
wh_change_feed_record_incident (WhChangeFeed  *self,
                                const char    *incident_id,
                                const char    *street_id,
                                gint64         rev,
                                const char   **event_ids,
                                GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 seq;

  g_return_val_if_fail (WH_IS_CHANGE_FEED (self), 0);
  g_return_val_if_fail (incident_id != NULL && street_id != NULL, 0);

  if (!wh_db_begin (self->db, error))
    return 0;
  seq = move_row (self, "incident", "incident", incident_id, street_id, rev, error);
  if (seq == 0)
    goto failed;

  stmt = wh_db_prepare (self->db,
                        "INSERT OR IGNORE INTO server_event (event_id, incident_id, seq) VALUES (?, ?, ?)",
                        error);
  if (stmt == NULL)
    goto failed;
  for (guint i = 0; event_ids != NULL && event_ids[i] != NULL; i++)
    {
      sqlite3_bind_text (stmt, 1, event_ids[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, incident_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, seq);
      if (!wh_db_step_done (self->db, stmt, error))
        goto failed;
    }
  if (!wh_db_commit (self->db, error))
    return 0;
  return seq;

failed:
  wh_db_rollback (self->db);
  return 0;
}

gint64
wh_change_feed_record_tombstone (WhChangeFeed *self,
                                 const char   *entity,
                                 const char   *entity_id,
                                 const char   *street_id,
                                 gint64        rev,
                                 GError      **error)
{
  gint64 seq;

  g_return_val_if_fail (WH_IS_CHANGE_FEED (self), 0);
  g_return_val_if_fail (entity != NULL && entity_id != NULL && street_id != NULL, 0);

  if (!wh_db_begin (self->db, error))
    return 0;
  seq = move_row (self, "tombstone", entity, entity_id, street_id, rev, error);
  if (seq == 0 || !wh_db_commit (self->db, error))
    {
      if (seq == 0)
        wh_db_rollback (self->db);
      return 0;
    }
  return seq;
}

gboolean
wh_change_feed_adopt (WhChangeFeed *self,
                      guint        *count,
                      GError      **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) streets = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_CHANGE_FEED (self), FALSE);

  if (count != NULL)
    *count = 0;
  if (!wh_db_begin (self->db, error))
    return FALSE;

  /* Oldest first, so a desk's first sync fills its queue in the order things happened. */
  stmt = wh_db_prepare (self->db,
                        "SELECT i.id, i.street_id FROM incident i WHERE NOT EXISTS "
                        "(SELECT 1 FROM change_log c WHERE c.entity = 'incident' AND c.entity_id = i.id) "
                        "ORDER BY i.updated_at, i.rowid", error);
  if (stmt == NULL)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (ids, wh_db_column_dup_text (stmt, 0));
      g_ptr_array_add (streets, wh_db_column_dup_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      goto failed;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      gint64 seq;

      /* Generated data was never seen by a server: its first revision is 1. */
      stmt = wh_db_prepare (self->db, "UPDATE incident SET rev = max (rev, 1) WHERE id = ? "
                                      "RETURNING rev", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          wh_db_set_error (self->db, error);
          sqlite3_reset (stmt);
          goto failed;
        }
      {
        gint64 rev = sqlite3_column_int64 (stmt, 0);

        sqlite3_reset (stmt);
        seq = move_row (self, "incident", "incident", id, g_ptr_array_index (streets, i), rev, error);
      }
      if (seq == 0)
        goto failed;

      stmt = wh_db_prepare (self->db,
                            "INSERT OR IGNORE INTO server_event (event_id, incident_id, seq) "
                            "SELECT id, incident_id, ? FROM incident_event WHERE incident_id = ?",
                            error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, seq);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
      if (!wh_db_step_done (self->db, stmt, error))
        goto failed;
    }

  if (!wh_db_commit (self->db, error))
    return FALSE;
  if (count != NULL)
    *count = ids->len;
  return TRUE;

failed:
  wh_db_rollback (self->db);
  return FALSE;
}

gint64
wh_change_feed_latest (WhChangeFeed *self,
                       const char   *street_id,
                       GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 latest;

  g_return_val_if_fail (WH_IS_CHANGE_FEED (self), 0);

  stmt = wh_db_prepare (self->db,
                        "SELECT coalesce (max (seq), 0) FROM change_log "
                        "WHERE ?1 IS NULL OR street_id = ?1", error);
  if (stmt == NULL)
    return 0;
  wh_db_bind_text_or_null (stmt, 1, street_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      wh_db_set_error (self->db, error);
      sqlite3_reset (stmt);
      return 0;
    }
  latest = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return latest;
}

static gint64
count_after (WhChangeFeed *self,
             const char   *street_id,
             gint64        since,
             GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 n;

  stmt = wh_db_prepare (self->db,
                        "SELECT count(*) FROM change_log WHERE seq > ?2 AND "
                        "(?1 IS NULL OR street_id = ?1)", error);
  if (stmt == NULL)
    return -1;
  wh_db_bind_text_or_null (stmt, 1, street_id);
  sqlite3_bind_int64 (stmt, 2, since);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      wh_db_set_error (self->db, error);
      sqlite3_reset (stmt);
      return -1;
    }
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* The ids of the incident's events that reached the server after @since. */
static GHashTable *
events_after (WhChangeFeed *self,
              const char   *incident_id,
              gint64        since,
              GError      **error)
{
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = wh_db_prepare (self->db,
                        "SELECT event_id FROM server_event WHERE incident_id = ? AND seq > ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (ids, wh_db_column_dup_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static WhChange *
read_incident_change (WhChangeFeed *self,
                      gint64        seq,
                      const char   *incident_id,
                      gint64        since,
                      GError      **error)
{
  g_autoptr (WhChange) change = g_new0 (WhChange, 1);
  g_autoptr (GPtrArray) events = NULL;

  change->seq = seq;
  change->entity = g_strdup ("incident");
  change->entity_id = g_strdup (incident_id);
  change->incident = wh_incident_store_get (self->incidents, incident_id, error);
  if (change->incident == NULL)
    return NULL;
  change->street_id = g_strdup (change->incident->street_id);
  change->rev = change->incident->rev;

  events = wh_incident_store_list_events (self->incidents, incident_id, error);
  if (events == NULL)
    return NULL;
  /* At cursor 0 the reader has nothing: every event goes, without asking which are new. */
  if (since > 0)
    {
      g_autoptr (GHashTable) fresh = events_after (self, incident_id, since, error);

      if (fresh == NULL)
        return NULL;
      for (guint i = events->len; i > 0; i--)
        {
          WhIncidentEvent *event = g_ptr_array_index (events, i - 1);

          if (!g_hash_table_contains (fresh, event->id))
            g_ptr_array_remove_index (events, i - 1);
        }
    }
  /* Each event brings the descriptions of its attachments; the bytes are fetched apart. */
  if (!wh_event_attachments_load (self->db, incident_id, events, error))
    return NULL;
  change->events = g_steal_pointer (&events);
  return g_steal_pointer (&change);
}

WhChangePage *
wh_change_feed_read (WhChangeFeed *self,
                     const char   *street_id,
                     gint64        since,
                     guint         limit,
                     GError      **error)
{
  return wh_change_feed_read_pass (self, street_id, since, since, limit, error);
}

WhChangePage *
wh_change_feed_read_pass (WhChangeFeed *self,
                          const char   *street_id,
                          gint64        since,
                          gint64        events_since,
                          guint         limit,
                          GError      **error)
{
  g_autoptr (WhChangePage) page = g_new0 (WhChangePage, 1);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) entities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) entity_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) streets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) revs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gboolean own_transaction;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (WH_IS_CHANGE_FEED (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  /* One read transaction: the page, its projections and "latest" from the same snapshot. */
  own_transaction = !wh_db_in_transaction (self->db);
  if (own_transaction && !wh_db_exec (self->db, "BEGIN DEFERRED", error))
    return NULL;

  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_change_free);
  page->next_since = since;

  stmt = wh_db_prepare (self->db,
                        "SELECT seq, kind, entity, entity_id, street_id, rev FROM change_log "
                        "WHERE seq > ?2 AND (?1 IS NULL OR street_id = ?1) ORDER BY seq LIMIT ?3",
                        error);
  if (stmt == NULL)
    goto out;
  wh_db_bind_text_or_null (stmt, 1, street_id);
  sqlite3_bind_int64 (stmt, 2, since);
  /* One more than asked: tells whether another page follows. */
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      gint64 rev = sqlite3_column_int64 (stmt, 5);

      g_array_append_val (seqs, seq);
      g_ptr_array_add (kinds, wh_db_column_dup_text (stmt, 1));
      g_ptr_array_add (entities, wh_db_column_dup_text (stmt, 2));
      g_ptr_array_add (entity_ids, wh_db_column_dup_text (stmt, 3));
      g_ptr_array_add (streets, wh_db_column_dup_text (stmt, 4));
      g_array_append_val (revs, rev);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      goto out;
    }

  page->more = seqs->len > limit;
  for (guint i = 0; i < MIN (seqs->len, limit); i++)
    {
      gint64 seq = g_array_index (seqs, gint64, i);
      WhChange *change;

      if (g_str_equal (g_ptr_array_index (kinds, i), "tombstone"))
        {
          change = g_new0 (WhChange, 1);
          change->seq = seq;
          change->tombstone = TRUE;
          change->entity = g_strdup (g_ptr_array_index (entities, i));
          change->entity_id = g_strdup (g_ptr_array_index (entity_ids, i));
          change->street_id = g_strdup (g_ptr_array_index (streets, i));
          change->rev = g_array_index (revs, gint64, i);
        }
      else
        {
          change = read_incident_change (self, seq, g_ptr_array_index (entity_ids, i),
                                         MIN (events_since, since), error);
          if (change == NULL)
            goto out;
        }
      g_ptr_array_add (page->changes, change);
      page->next_since = seq;
    }

  page->latest = wh_change_feed_latest (self, street_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }
  page->remaining = count_after (self, street_id, page->next_since, error);
  if (page->remaining < 0)
    goto out;
  ok = TRUE;

out:
  if (own_transaction)
    wh_db_exec (self->db, "COMMIT", NULL);
  return ok ? g_steal_pointer (&page) : NULL;
}
