/* wh-account-store.c — the district server's accounts and their bearer tokens */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-account-store.h"

#define MAX_NAME_CHARS          64
#define MAX_DISPLAY_NAME_CHARS  100

struct _WhAccountStore {
  GObject  parent_instance;
  WhDb    *db;
};

G_DEFINE_FINAL_TYPE (WhAccountStore, wh_account_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (wh-account-error-quark, wh_account_error)

/* WhAccount */

WhAccount *
wh_account_copy (const WhAccount *account)
{
  WhAccount *copy;

  if (account == NULL)
    return NULL;
  copy = g_new0 (WhAccount, 1);
  copy->id = account->id;
  copy->name = g_strdup (account->name);
  copy->display_name = g_strdup (account->display_name);
  copy->role = account->role;
  copy->street_id = g_strdup (account->street_id);
  copy->unit_id = g_strdup (account->unit_id);
  copy->disabled = account->disabled;
  return copy;
}

void
wh_account_free (WhAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_free (account->display_name);
  g_free (account->street_id);
  g_free (account->unit_id);
  g_free (account);
}

gboolean
wh_account_sees_street (const WhAccount *account,
                        const char      *street_id)
{
  g_return_val_if_fail (account != NULL, FALSE);

  if (account->role == WH_ROLE_DISTRICT)
    return TRUE;
  return street_id != NULL && g_strcmp0 (account->street_id, street_id) == 0;
}

WhActor *
wh_account_to_actor (const WhAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);

  return wh_actor_new (account->name,
                       account->display_name && *account->display_name ? account->display_name
                                                                        : account->name,
                       account->role, account->unit_id);
}

/* WhAccountStore */

static void
wh_account_store_dispose (GObject *object)
{
  WhAccountStore *self = WH_ACCOUNT_STORE (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_account_store_parent_class)->dispose (object);
}

static void
wh_account_store_class_init (WhAccountStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_account_store_dispose;
}

static void
wh_account_store_init (WhAccountStore *self)
{
}

WhAccountStore *
wh_account_store_new (WhDb *db)
{
  WhAccountStore *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_ACCOUNT_STORE, NULL);
  self->db = g_object_ref (db);
  return self;
}

static gboolean
row_exists (WhAccountStore *self,
            const char     *sql,
            const char     *key1,
            const char     *key2,
            GError        **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key1, -1, SQLITE_TRANSIENT);
  if (key2 != NULL)
    sqlite3_bind_text (stmt, 2, key2, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_INVALID, message);
  return FALSE;
}

gboolean
wh_account_store_add_street (WhAccountStore *self,
                             const char     *code,
                             const char     *name,
                             const char     *district,
                             double          center_lon,
                             double          center_lat,
                             GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), FALSE);

  if (code == NULL || strlen (code) != 9 || strspn (code, "0123456789") != 9)
    return invalid (error, _("A street code has nine digits: the district’s six and three of its own."));
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) ||
      g_utf8_strlen (name, -1) > 100)
    return invalid (error, _("The street needs a name of at most 100 characters."));
  if (district == NULL || !g_utf8_validate (district, -1, NULL) || g_utf8_strlen (district, -1) > 100)
    return invalid (error, _("The district’s name must be text of at most 100 characters."));
  if (center_lon < -180 || center_lon > 180 || center_lat < -90 || center_lat > 90)
    return invalid (error, _("The street’s centre is not a valid longitude and latitude."));
  if (row_exists (self, "SELECT 1 FROM street WHERE id = ?", code, NULL, NULL))
    {
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_EXISTS,
                   _("The street %s already exists."), code);
      return FALSE;
    }

  stmt = wh_db_prepare (self->db,
                        "INSERT INTO street (id, name, district, center_lon, center_lat) "
                        "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, district, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 4, center_lon);
  sqlite3_bind_double (stmt, 5, center_lat);
  return wh_db_step_done (self->db, stmt, error);
}

static gboolean
check_name (const char *name,
            GError    **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) ||
      g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    return invalid (error, _("A login name has between 1 and 64 characters."));
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Spaces and control characters make names that look alike but are not. */
      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        return invalid (error, _("A login name cannot contain spaces or control characters."));
    }
  return TRUE;
}

WhAccount *
wh_account_store_add (WhAccountStore *self,
                      const char     *name,
                      const char     *display_name,
                      const char     *password_hash,
                      WhRole          role,
                      const char     *street_id,
                      const char     *unit_id,
                      GError        **error)
{
  g_autoptr (WhAccount) account = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), NULL);

  if (!check_name (name, error))
    return NULL;
  if (display_name != NULL &&
      (!g_utf8_validate (display_name, -1, NULL) ||
       g_utf8_strlen (display_name, -1) > MAX_DISPLAY_NAME_CHARS))
    return invalid (error, _("A display name has at most 100 characters.")), NULL;
  if (password_hash == NULL || *password_hash == '\0')
    return invalid (error, _("An account needs a password.")), NULL;
  if (role >= WH_N_ROLES)
    return invalid (error, _("Unknown role.")), NULL;

  if (role == WH_ROLE_DISTRICT && street_id != NULL)
    return invalid (error, _("A district account sees every street and is bound to none.")), NULL;
  if (role != WH_ROLE_DISTRICT && street_id == NULL)
    return invalid (error, _("An account must be bound to a street.")), NULL;
  if (street_id != NULL && !row_exists (self, "SELECT 1 FROM street WHERE id = ?", street_id, NULL, NULL))
    {
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_INVALID,
                   _("The street %s does not exist."), street_id);
      return NULL;
    }
  if (role == WH_ROLE_UNIT_LIAISON && unit_id == NULL)
    return invalid (error, _("A unit liaison must be bound to a unit.")), NULL;
  if (role != WH_ROLE_UNIT_LIAISON && unit_id != NULL)
    return invalid (error, _("Only a unit liaison is bound to a unit.")), NULL;
  if (unit_id != NULL &&
      !row_exists (self, "SELECT 1 FROM unit WHERE id = ? AND street_id = ?", unit_id, street_id, NULL))
    {
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_INVALID,
                   _("The unit %s is not a unit of the street %s."), unit_id, street_id);
      return NULL;
    }
  if (row_exists (self, "SELECT 1 FROM account WHERE name = ?", name, NULL, NULL))
    {
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_EXISTS,
                   _("The account “%s” already exists."), name);
      return NULL;
    }

  stmt = wh_db_prepare (self->db,
                        "INSERT INTO account (name, display_name, password_hash, role, street_id, "
                        "unit_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, display_name ? display_name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, wh_role_to_string (role), -1, SQLITE_STATIC);
  wh_db_bind_text_or_null (stmt, 5, street_id);
  wh_db_bind_text_or_null (stmt, 6, unit_id);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  if (!wh_db_step_done (self->db, stmt, error))
    return NULL;

  account = g_new0 (WhAccount, 1);
  account->id = sqlite3_last_insert_rowid (wh_db_get_handle (self->db));
  account->name = g_strdup (name);
  account->display_name = g_strdup (display_name ? display_name : "");
  account->role = role;
  account->street_id = g_strdup (street_id);
  account->unit_id = g_strdup (unit_id);
  return g_steal_pointer (&account);
}

static gboolean
update_one (WhAccountStore *self,
            sqlite3_stmt   *stmt,
            const char     *name,
            GError        **error)
{
  if (!wh_db_step_done (self->db, stmt, error))
    return FALSE;
  if (sqlite3_changes (wh_db_get_handle (self->db)) == 0)
    {
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_NOT_FOUND,
                   _("There is no account “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

gboolean
wh_account_store_set_password_hash (WhAccountStore *self,
                                    const char     *name,
                                    const char     *password_hash,
                                    GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && password_hash != NULL, FALSE);

  stmt = wh_db_prepare (self->db, "UPDATE account SET password_hash = ? WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  return update_one (self, stmt, name, error);
}

gboolean
wh_account_store_set_disabled (WhAccountStore *self,
                               const char     *name,
                               gboolean        disabled,
                               GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stmt = wh_db_prepare (self->db, "UPDATE account SET disabled = ? WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, disabled ? 1 : 0);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  return update_one (self, stmt, name, error);
}

#define ACCOUNT_COLUMNS "a.id, a.name, a.display_name, a.role, a.street_id, a.unit_id, a.disabled"

static WhAccount *
read_account (sqlite3_stmt *stmt)
{
  WhAccount *account = g_new0 (WhAccount, 1);

  account->id = sqlite3_column_int64 (stmt, 0);
  account->name = wh_db_column_dup_text (stmt, 1);
  account->display_name = g_strdup (wh_db_column_text (stmt, 2));
  if (!wh_role_from_string (wh_db_column_text (stmt, 3), &account->role))
    account->role = WH_ROLE_VIEWER; /* the CHECK constraint makes this unreachable */
  account->street_id = wh_db_column_dup_text (stmt, 4);
  account->unit_id = wh_db_column_dup_text (stmt, 5);
  account->disabled = sqlite3_column_int (stmt, 6) != 0;
  return account;
}

WhAccount *
wh_account_store_lookup (WhAccountStore *self,
                         const char     *name,
                         char          **password_hash,
                         GError        **error)
{
  WhAccount *account;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), NULL);

  if (password_hash != NULL)
    *password_hash = NULL;
  stmt = wh_db_prepare (self->db,
                        "SELECT " ACCOUNT_COLUMNS ", a.password_hash FROM account a WHERE a.name = ?",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name ? name : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_NOT_FOUND,
                   _("There is no account “%s”."), name ? name : "");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      wh_db_set_error (self->db, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  account = read_account (stmt);
  if (password_hash != NULL)
    *password_hash = wh_db_column_dup_text (stmt, 7);
  sqlite3_reset (stmt);
  return account;
}

GPtrArray *
wh_account_store_list (WhAccountStore *self,
                       GError        **error)
{
  g_autoptr (GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_account_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), NULL);

  stmt = wh_db_prepare (self->db, "SELECT " ACCOUNT_COLUMNS " FROM account a ORDER BY a.name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, read_account (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

char *
wh_account_hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token ? token : "", -1);
}

gboolean
wh_account_store_add_token (WhAccountStore  *self,
                            const WhAccount *account,
                            const char      *token,
                            gint64           expires_at,
                            GError         **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (account != NULL && token != NULL, FALSE);

  hash = wh_account_hash_token (token);
  stmt = wh_db_prepare (self->db,
                        "INSERT INTO session_token (token_hash, account_id, created_at, expires_at) "
                        "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, account->id);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 4, expires_at);
  return wh_db_step_done (self->db, stmt, error);
}

WhAccount *
wh_account_store_authenticate (WhAccountStore *self,
                               const char     *token,
                               gint64          now,
                               GError        **error)
{
  g_autoptr (WhAccount) account = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 expires_at;
  gboolean revoked;
  int rc;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), NULL);

  hash = wh_account_hash_token (token);
  stmt = wh_db_prepare (self->db,
                        "SELECT " ACCOUNT_COLUMNS ", t.expires_at, t.revoked_at IS NOT NULL "
                        "FROM session_token t JOIN account a ON a.id = t.account_id "
                        "WHERE t.token_hash = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_TOKEN_INVALID,
                   _("The sign-in is not valid. Please sign in again."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      wh_db_set_error (self->db, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  account = read_account (stmt);
  expires_at = sqlite3_column_int64 (stmt, 7);
  revoked = sqlite3_column_int (stmt, 8) != 0;
  sqlite3_reset (stmt);

  if (revoked || account->disabled)
    {
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_TOKEN_REVOKED,
                   _("This sign-in has been revoked. Please sign in again."));
      return NULL;
    }
  if (expires_at <= now)
    {
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_TOKEN_EXPIRED,
                   _("This sign-in has expired. Please sign in again."));
      return NULL;
    }
  return g_steal_pointer (&account);
}

gboolean
wh_account_store_revoke_token (WhAccountStore *self,
                               const char     *token,
                               gint64          now,
                               GError        **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), FALSE);

  hash = wh_account_hash_token (token);
  stmt = wh_db_prepare (self->db,
                        "UPDATE session_token SET revoked_at = coalesce (revoked_at, ?) "
                        "WHERE token_hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  if (!wh_db_step_done (self->db, stmt, error))
    return FALSE;
  if (sqlite3_changes (wh_db_get_handle (self->db)) == 0)
    {
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_TOKEN_INVALID,
                   _("The sign-in is not valid. Please sign in again."));
      return FALSE;
    }
  return TRUE;
}

int
wh_account_store_revoke_all (WhAccountStore *self,
                             const char     *name,
                             gint64          now,
                             GError        **error)
{
  g_autoptr (WhAccount) account = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), -1);

  account = wh_account_store_lookup (self, name, NULL, error);
  if (account == NULL)
    return -1;
  stmt = wh_db_prepare (self->db,
                        "UPDATE session_token SET revoked_at = ? "
                        "WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, account->id);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!wh_db_step_done (self->db, stmt, error))
    return -1;
  return sqlite3_changes (wh_db_get_handle (self->db));
}

int
wh_account_store_purge_tokens (WhAccountStore *self,
                               gint64          before,
                               GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), -1);

  stmt = wh_db_prepare (self->db, "DELETE FROM session_token WHERE expires_at < ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, before);
  if (!wh_db_step_done (self->db, stmt, error))
    return -1;
  return sqlite3_changes (wh_db_get_handle (self->db));
}

gboolean
wh_account_store_claim_database (WhAccountStore *self,
                                 gboolean        force,
                                 GError        **error)
{
  g_autofree char *role = NULL;
  g_autofree char *street = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ACCOUNT_STORE (self), FALSE);

  role = wh_db_get_meta (self->db, "database_role");
  street = wh_db_get_meta (self->db, "street_id");
  if (!force && g_strcmp0 (role, "server") != 0 && street != NULL)
    {
      g_set_error (error, WH_ACCOUNT_ERROR, WH_ACCOUNT_ERROR_INVALID,
                   _("This database is a desk’s cache of the street %s; the district server "
                     "needs a database of its own."), street);
      return FALSE;
    }

  if (!wh_db_begin (self->db, error))
    return FALSE;
  /* The store refuses reports of other streets than the meta street_id: a server has none. */
  stmt = wh_db_prepare (self->db, "DELETE FROM meta WHERE key = 'street_id'", error);
  if (stmt == NULL || !wh_db_step_done (self->db, stmt, error) ||
      !wh_db_set_meta (self->db, "database_role", "server", error))
    {
      wh_db_rollback (self->db);
      return FALSE;
    }
  return wh_db_commit (self->db, error);
}
