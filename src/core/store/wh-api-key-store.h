/* wh-api-key-store.h — API keys of outside systems, for the Open311 face of the server
 *
 * An outside system (the 12345 hotline, a citizen app) gets a key bound to one street: it may
 * report incidents into that street and read back what came in through Open311 there. The
 * key itself is made by the server (32 random bytes in hex) and shown once; only its SHA-256
 * is stored, like session tokens (wh-account-store.h). Keys are revoked, never deleted: the
 * incidents they reported keep naming them.
 */
#pragma once

#include "wh-db.h"

G_BEGIN_DECLS

#define WH_API_KEY_ERROR (wh_api_key_error_quark ())

typedef enum {
  WH_API_KEY_ERROR_INVALID,   /* a bad name, street or source; the message says */
  WH_API_KEY_ERROR_EXISTS,    /* the street has a key of that name */
  WH_API_KEY_ERROR_NOT_FOUND, /* no key with that number */
  WH_API_KEY_ERROR_UNKNOWN,   /* no key with that value */
  WH_API_KEY_ERROR_REVOKED,
} WhApiKeyError;

GQuark wh_api_key_error_quark (void);

/* An API key as stored (never the key itself). */
typedef struct {
  gint64  id;
  char   *name;
  char   *street_id;
  char   *source;      /* incident.source of the incidents it reports */
  gint64  created_at;
  gint64  revoked_at;  /* 0 while it works */
} WhApiKey;

WhApiKey *wh_api_key_copy (const WhApiKey *key);
void      wh_api_key_free (WhApiKey       *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhApiKey, wh_api_key_free)

#define WH_TYPE_API_KEY_STORE (wh_api_key_store_get_type ())
G_DECLARE_FINAL_TYPE (WhApiKeyStore, wh_api_key_store, WH, API_KEY_STORE, GObject)

WhApiKeyStore *wh_api_key_store_new          (WhDb           *db);

/**
 * wh_api_key_store_add:
 * @key: the new key as handed to its holder; only its SHA-256 is stored
 * @street_id: the one street it may report into and read
 * @name: who holds it, 1–100 characters, unique in the street
 * @source: (nullable): incident.source of what it reports; %NULL for "hotline"
 *
 * Returns: (transfer full): the stored key, or %NULL with WH_API_KEY_ERROR_INVALID / _EXISTS
 */
WhApiKey      *wh_api_key_store_add          (WhApiKeyStore  *self,
                                              const char     *key,
                                              const char     *street_id,
                                              const char     *name,
                                              const char     *source,
                                              GError        **error);

/* Returns: (transfer full) (element-type WhApiKey): every key, by street and name */
GPtrArray     *wh_api_key_store_list         (WhApiKeyStore  *self,
                                              GError        **error);

/* Revokes the key numbered @id at @now (UTC µs); WH_API_KEY_ERROR_NOT_FOUND when none. */
gboolean       wh_api_key_store_revoke       (WhApiKeyStore  *self,
                                              gint64          id,
                                              gint64          now,
                                              GError        **error);

/**
 * wh_api_key_store_authenticate:
 * @key: the api_key of a request
 *
 * Returns: (transfer full): the key's record, or %NULL with WH_API_KEY_ERROR_UNKNOWN,
 *   _REVOKED or a storage error
 */
WhApiKey      *wh_api_key_store_authenticate (WhApiKeyStore  *self,
                                              const char     *key,
                                              GError        **error);

G_END_DECLS
