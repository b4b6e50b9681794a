/* wh-password.c — password hashes and bearer tokens of the district server */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "wh-password.h"

#define TOKEN_BYTES 32

gboolean
wh_password_init (void)
{
  /* sodium_init() is safe to call more than once and from several threads. */
  return sodium_init () >= 0;
}

char *
wh_password_hash (const char *password,
                  GError    **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("Not enough memory to hash the password."));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
wh_password_verify (const char *hash,
                    const char *password)
{
  if (hash == NULL || password == NULL || strlen (hash) >= crypto_pwhash_STRBYTES)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

const char *
wh_password_dummy_hash (void)
{
  static char *dummy;

  if (g_once_init_enter (&dummy))
    {
      char secret[33];

      /* A random password nobody knows: nothing ever verifies against it. */
      randombytes_buf (secret, 32);
      for (guint i = 0; i < 32; i++)
        secret[i] = 'a' + ((guint8) secret[i] % 26);
      secret[32] = '\0';
      g_once_init_leave (&dummy, wh_password_hash (secret, NULL));
    }
  return dummy;
}

char *
wh_password_new_token (void)
{
  guint8 bytes[TOKEN_BYTES];
  char hex[TOKEN_BYTES * 2 + 1];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (hex);
}
