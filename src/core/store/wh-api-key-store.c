/* wh-api-key-store.c — API keys of outside systems, for the Open311 face of the server */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-account-store.h"
#include "wh-api-key-store.h"
#include "wh-store-sql.h"

#define MAX_KEY_NAME_CHARS 100

struct _WhApiKeyStore {
  GObject  parent_instance;
  WhDb    *db;
};

G_DEFINE_FINAL_TYPE (WhApiKeyStore, wh_api_key_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (wh-api-key-error-quark, wh_api_key_error)

WhApiKey *
wh_api_key_copy (const WhApiKey *key)
{
  WhApiKey *copy;

  if (key == NULL)
    return NULL;
  copy = g_new0 (WhApiKey, 1);
  copy->id = key->id;
  copy->name = g_strdup (key->name);
  copy->street_id = g_strdup (key->street_id);
  copy->source = g_strdup (key->source);
  copy->created_at = key->created_at;
  copy->revoked_at = key->revoked_at;
  return copy;
}

void
wh_api_key_free (WhApiKey *key)
{
  if (key == NULL)
    return;
  g_free (key->name);
  g_free (key->street_id);
  g_free (key->source);
  g_free (key);
}

static void
wh_api_key_store_dispose (GObject *object)
{
  WhApiKeyStore *self = WH_API_KEY_STORE (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_api_key_store_parent_class)->dispose (object);
}

static void
wh_api_key_store_class_init (WhApiKeyStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_api_key_store_dispose;
}

static void
wh_api_key_store_init (WhApiKeyStore *self)
{
}

WhApiKeyStore *
wh_api_key_store_new (WhDb *db)
{
  WhApiKeyStore *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_API_KEY_STORE, NULL);
  self->db = g_object_ref (db);
  return self;
}

static gboolean
set_invalid (GError    **error,
             const char *message)
{
  g_set_error_literal (error, WH_API_KEY_ERROR, WH_API_KEY_ERROR_INVALID, message);
  return FALSE;
}

#define KEY_COLUMNS "id, name, street_id, source, created_at, revoked_at"

static WhApiKey *
read_key (sqlite3_stmt *stmt)
{
  WhApiKey *key = g_new0 (WhApiKey, 1);

  key->id = sqlite3_column_int64 (stmt, 0);
  key->name = wh_db_column_dup_text (stmt, 1);
  key->street_id = wh_db_column_dup_text (stmt, 2);
  key->source = wh_db_column_dup_text (stmt, 3);
  key->created_at = sqlite3_column_int64 (stmt, 4);
  key->revoked_at = sqlite3_column_int64 (stmt, 5);
  return key;
}

static gboolean
is_incident_source (const char *source)
{
  /* The sources the incident model knows (wh-incident.c); the table checks them too. */
  static const char *const sources[] = {
    "patrol", "hotline", "video", "walk_in", "community", "district", NULL
  };

  return source != NULL && g_strv_contains (sources, source);
}

WhApiKey *
wh_api_key_store_add (WhApiKeyStore *self,
                      const char    *key,
                      const char    *street_id,
                      const char    *name,
                      const char    *source,
                      GError       **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gboolean exists;
  WhApiKey *stored;
  gint64 now = g_get_real_time ();
  int rc;

  g_return_val_if_fail (WH_IS_API_KEY_STORE (self), NULL);

  if (source == NULL)
    source = "hotline";
  /* Anything shorter could be guessed; the server makes 64 hex digits. */
  if (key == NULL || strlen (key) < 32)
    return set_invalid (error, _("An API key needs at least 32 characters.")), NULL;
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) ||
      g_utf8_strlen (name, -1) > MAX_KEY_NAME_CHARS)
    return set_invalid (error, _("An API key needs a name of at most 100 characters.")), NULL;
  if (!is_incident_source (source))
    return set_invalid (error, _("The source must be one of patrol, hotline, video, walk_in, "
                                 "community or district.")), NULL;
  if (!wh_store_street_exists (self->db, street_id, &exists, error))
    return NULL;
  if (!exists)
    {
      g_set_error (error, WH_API_KEY_ERROR, WH_API_KEY_ERROR_INVALID,
                   _("The street %s does not exist."), street_id ? street_id : "");
      return NULL;
    }

  hash = wh_account_hash_token (key);
  stmt = wh_db_prepare (self->db,
                        "INSERT INTO open311_api_key (key_hash, name, street_id, source, created_at) "
                        "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, street_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, WH_API_KEY_ERROR, WH_API_KEY_ERROR_EXISTS,
                   _("The street %s already has an API key named “%s”."), street_id, name);
      return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      return NULL;
    }

  stored = g_new0 (WhApiKey, 1);
  stored->id = sqlite3_last_insert_rowid (wh_db_get_handle (self->db));
  stored->name = g_strdup (name);
  stored->street_id = g_strdup (street_id);
  stored->source = g_strdup (source);
  stored->created_at = now;
  return stored;
}

GPtrArray *
wh_api_key_store_list (WhApiKeyStore *self,
                       GError       **error)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_api_key_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_API_KEY_STORE (self), NULL);

  stmt = wh_db_prepare (self->db,
                        "SELECT " KEY_COLUMNS " FROM open311_api_key ORDER BY street_id, name, id",
                        error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (keys, read_key (stmt));
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&keys);
}

gboolean
wh_api_key_store_revoke (WhApiKeyStore *self,
                         gint64         id,
                         gint64         now,
                         GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_API_KEY_STORE (self), FALSE);

  stmt = wh_db_prepare (self->db,
                        "UPDATE open311_api_key SET revoked_at = coalesce (revoked_at, ?) WHERE id = ?",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!wh_db_step_done (self->db, stmt, error))
    return FALSE;
  if (sqlite3_changes (wh_db_get_handle (self->db)) == 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, WH_API_KEY_ERROR, WH_API_KEY_ERROR_NOT_FOUND,
                   _("There is no API key %s."), text);
      return FALSE;
    }
  return TRUE;
}

WhApiKey *
wh_api_key_store_authenticate (WhApiKeyStore *self,
                               const char    *key,
                               GError       **error)
{
  g_autofree char *hash = NULL;
  g_autoptr (WhApiKey) stored = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_API_KEY_STORE (self), NULL);

  hash = wh_account_hash_token (key);
  stmt = wh_db_prepare (self->db, "SELECT " KEY_COLUMNS " FROM open311_api_key WHERE key_hash = ?",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    stored = read_key (stmt);
  if (!wh_db_finish (self->db, stmt, rc == SQLITE_ROW ? SQLITE_DONE : rc, error))
    return NULL;

  if (stored == NULL)
    {
      g_set_error_literal (error, WH_API_KEY_ERROR, WH_API_KEY_ERROR_UNKNOWN,
                           _("The api_key is not valid."));
      return NULL;
    }
  if (stored->revoked_at != 0)
    {
      g_set_error_literal (error, WH_API_KEY_ERROR, WH_API_KEY_ERROR_REVOKED,
                           _("The api_key has been revoked."));
      return NULL;
    }
  return g_steal_pointer (&stored);
}
