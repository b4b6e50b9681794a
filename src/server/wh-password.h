/* wh-password.h — password hashes and bearer tokens of the district server
 *
 * Argon2id through libsodium (crypto_pwhash_str), with libsodium's "interactive" limits:
 * about a tenth of a second and 64 MiB per hash, too slow to guess at scale and fast
 * enough for a login. Verification is meant to run in a worker thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Initialises libsodium; FALSE when the system's randomness is not available. */
gboolean    wh_password_init        (void);

/* Returns: (transfer full): a crypto_pwhash_str() string, or %NULL (out of memory) */
char       *wh_password_hash        (const char *password,
                                     GError    **error);

/* Whether @password matches @hash; thread-safe and slow on purpose. */
gboolean    wh_password_verify      (const char *hash,
                                     const char *password);

/* A hash of no one's password, verified against when the account does not exist, so the
 * answer takes as long as for a wrong password and does not tell which names exist. */
const char *wh_password_dummy_hash  (void);

/* Returns: (transfer full): a new bearer token: 32 random bytes, as 64 hex digits */
char       *wh_password_new_token   (void);

G_END_DECLS
