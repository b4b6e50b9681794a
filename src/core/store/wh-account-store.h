/* wh-account-store.h — the district server's accounts and their bearer tokens
 *
 * An account is bound to one street (a district account to all of them) and has one role;
 * a unit liaison also has one unit. Passwords arrive here already hashed (the server hashes
 * with Argon2id, see src/server/wh-password.c), so the core needs no crypto library. Tokens
 * are stored as their SHA-256 only: whoever reads the database cannot sign in with them.
 */
#pragma once

#include "wh-db.h"
#include "wh-op.h"

G_BEGIN_DECLS

#define WH_ACCOUNT_ERROR (wh_account_error_quark ())

typedef enum {
  WH_ACCOUNT_ERROR_INVALID,        /* a bad name, role, street or unit; the message says */
  WH_ACCOUNT_ERROR_EXISTS,
  WH_ACCOUNT_ERROR_NOT_FOUND,
  WH_ACCOUNT_ERROR_TOKEN_INVALID,  /* no such token */
  WH_ACCOUNT_ERROR_TOKEN_EXPIRED,
  WH_ACCOUNT_ERROR_TOKEN_REVOKED,  /* revoked, or its account is disabled */
} WhAccountError;

GQuark wh_account_error_quark (void);

typedef struct {
  gint64    id;
  char     *name;          /* the login name */
  char     *display_name;  /* shown in the timeline; the login name when empty */
  WhRole    role;
  char     *street_id;     /* NULL for a district account */
  char     *unit_id;       /* a liaison's unit, else NULL */
  gboolean  disabled;
} WhAccount;

WhAccount  *wh_account_copy            (const WhAccount *account);
void        wh_account_free            (WhAccount       *account);

/* Whether @account may see and change the incidents of @street_id. */
gboolean    wh_account_sees_street     (const WhAccount *account,
                                        const char      *street_id);

/* The actor the server writes into the timeline for @account's ops. */
WhActor    *wh_account_to_actor        (const WhAccount *account);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhAccount, wh_account_free)

#define WH_TYPE_ACCOUNT_STORE (wh_account_store_get_type ())
G_DECLARE_FINAL_TYPE (WhAccountStore, wh_account_store, WH, ACCOUNT_STORE, GObject)

WhAccountStore *wh_account_store_new               (WhDb            *db);

/**
 * wh_account_store_add_street:
 * @code: nine digits: the district's six and three of the street's own
 * @name: the street's name
 * @district: the district's name
 *
 * Adds an empty street (no communities, units or staff yet) for accounts to be bound to.
 */
gboolean        wh_account_store_add_street        (WhAccountStore  *self,
                                                    const char      *code,
                                                    const char      *name,
                                                    const char      *district,
                                                    double           center_lon,
                                                    double           center_lat,
                                                    GError         **error);

/**
 * wh_account_store_add:
 * @name: the login name: 1–64 characters, no spaces or control characters
 * @display_name: (nullable): shown in the timeline
 * @password_hash: a crypto_pwhash_str() string
 * @street_id: (nullable): the street; must be %NULL exactly for %WH_ROLE_DISTRICT
 * @unit_id: (nullable): the unit; required exactly for %WH_ROLE_UNIT_LIAISON, and it must be
 *   a unit of @street_id
 *
 * Returns: (transfer full): the new account, or %NULL with WH_ACCOUNT_ERROR_INVALID / _EXISTS
 */
WhAccount      *wh_account_store_add               (WhAccountStore  *self,
                                                    const char      *name,
                                                    const char      *display_name,
                                                    const char      *password_hash,
                                                    WhRole           role,
                                                    const char      *street_id,
                                                    const char      *unit_id,
                                                    GError         **error);

gboolean        wh_account_store_set_password_hash (WhAccountStore  *self,
                                                    const char      *name,
                                                    const char      *password_hash,
                                                    GError         **error);

/* A disabled account cannot sign in, and its tokens stop working at once. */
gboolean        wh_account_store_set_disabled      (WhAccountStore  *self,
                                                    const char      *name,
                                                    gboolean         disabled,
                                                    GError         **error);

/**
 * wh_account_store_lookup:
 * @password_hash: (out) (optional) (transfer full): the stored hash
 *
 * Returns: (transfer full) (nullable): the account, or %NULL (with @error
 *   WH_ACCOUNT_ERROR_NOT_FOUND when it does not exist)
 */
WhAccount      *wh_account_store_lookup            (WhAccountStore  *self,
                                                    const char      *name,
                                                    char           **password_hash,
                                                    GError         **error);

/* Returns: (transfer full) (element-type WhAccount): every account, by name */
GPtrArray      *wh_account_store_list              (WhAccountStore  *self,
                                                    GError         **error);

/**
 * wh_account_store_add_token:
 * @token: the bearer token handed to the client; only its SHA-256 is stored
 * @expires_at: UTC microseconds
 */
gboolean        wh_account_store_add_token         (WhAccountStore  *self,
                                                    const WhAccount *account,
                                                    const char      *token,
                                                    gint64           expires_at,
                                                    GError         **error);

/**
 * wh_account_store_authenticate:
 * @token: a bearer token from a request
 * @now: UTC microseconds
 *
 * Returns: (transfer full): the token's account, or %NULL with
 *   WH_ACCOUNT_ERROR_TOKEN_INVALID, _EXPIRED or _REVOKED
 */
WhAccount      *wh_account_store_authenticate      (WhAccountStore  *self,
                                                    const char      *token,
                                                    gint64           now,
                                                    GError         **error);

/* Revokes one token; %FALSE with WH_ACCOUNT_ERROR_TOKEN_INVALID when unknown. */
gboolean        wh_account_store_revoke_token      (WhAccountStore  *self,
                                                    const char      *token,
                                                    gint64           now,
                                                    GError         **error);

/* Revokes every live token of the account @name; returns how many (-1 on error). */
int             wh_account_store_revoke_all        (WhAccountStore  *self,
                                                    const char      *name,
                                                    gint64           now,
                                                    GError         **error);

/* Forgets tokens that expired before @before; housekeeping. Returns how many. */
int             wh_account_store_purge_tokens      (WhAccountStore  *self,
                                                    gint64           before,
                                                    GError         **error);

/**
 * wh_account_store_claim_database:
 * @force: claim even a database that looks like a desk's cache (right after the admin
 *   command generated demo streets into it, which marks it as one street's)
 * @error: %WH_ACCOUNT_ERROR_INVALID when the database is a desk's cache and @force is not set
 *
 * Marks the database as a district server's, which belongs to no single street: the store
 * then accepts reports for every street in it.
 */
gboolean        wh_account_store_claim_database    (WhAccountStore  *self,
                                                    gboolean         force,
                                                    GError         **error);

/* The SHA-256 of @token in hex, as stored. */
char           *wh_account_hash_token              (const char      *token);

G_END_DECLS
