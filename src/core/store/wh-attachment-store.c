/* wh-attachment-store.c — photos and documents, stored once by their content hash */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-attachment-store.h"

/* A name longer than this is cut: it is only shown, and a file system allows 255 bytes. */
#define MAX_NAME_BYTES 255

struct _WhAttachmentStore {
  GObject  parent_instance;
  WhDb    *db;
};

G_DEFINE_FINAL_TYPE (WhAttachmentStore, wh_attachment_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (wh-attachment-error-quark, wh_attachment_error)

/* WhAttachment */

WhAttachment *
wh_attachment_copy (const WhAttachment *attachment)
{
  WhAttachment *copy;

  if (attachment == NULL)
    return NULL;
  copy = g_new0 (WhAttachment, 1);
  copy->hash = g_strdup (attachment->hash);
  copy->mime_type = g_strdup (attachment->mime_type);
  copy->size = attachment->size;
  copy->name = g_strdup (attachment->name);
  copy->fetched = attachment->fetched;
  return copy;
}

void
wh_attachment_free (WhAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->hash);
  g_free (attachment->mime_type);
  g_free (attachment->name);
  g_free (attachment);
}

/* Checks of bytes and names */

char *
wh_attachment_hash_bytes (GBytes *data)
{
  g_return_val_if_fail (data != NULL, NULL);
  /* GChecksum writes lower-case hex: our names are exactly its output. */
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
}

gboolean
wh_attachment_hash_is_valid (const char *hash)
{
  if (hash == NULL || strlen (hash) != WH_ATTACHMENT_HASH_LENGTH)
    return FALSE;
  for (const char *p = hash; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

typedef struct {
  const char *mime_type;
  gsize       offset;
  const char *magic;
  gsize       length;
} Magic;

/* The types the street accepts, and how their files begin. WebP is RIFF….WEBP: two marks. */
static const Magic magics[] = {
  { "image/jpeg", 0, "\xff\xd8\xff", 3 },
  { "image/png", 0, "\x89PNG\r\n\x1a\n", 8 },
  { "image/webp", 0, "RIFF", 4 },
  { "application/pdf", 0, "%PDF-", 5 },
};

gboolean
wh_attachment_type_is_accepted (const char *mime_type)
{
  for (guint i = 0; mime_type != NULL && i < G_N_ELEMENTS (magics); i++)
    if (g_str_equal (mime_type, magics[i].mime_type))
      return TRUE;
  return FALSE;
}

static gboolean
has_magic (const guint8 *data,
           gsize         length,
           gsize         offset,
           const char   *magic,
           gsize         magic_length)
{
  return length >= offset + magic_length && memcmp (data + offset, magic, magic_length) == 0;
}

const char *
wh_attachment_sniff_type (GBytes *data)
{
  gsize length;
  const guint8 *bytes;

  g_return_val_if_fail (data != NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    {
      const Magic *m = &magics[i];

      if (!has_magic (bytes, length, m->offset, m->magic, m->length))
        continue;
      if (g_str_equal (m->mime_type, "image/webp") && !has_magic (bytes, length, 8, "WEBP", 4))
        continue;
      return m->mime_type;
    }
  return NULL;
}

gboolean
wh_attachment_check (GBytes      *data,
                     const char  *mime_type,
                     const char **checked_type,
                     GError     **error)
{
  const char *sniffed;

  g_return_val_if_fail (data != NULL, FALSE);

  if (g_bytes_get_size (data) > WH_ATTACHMENT_MAX_SIZE)
    {
      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_TOO_LARGE,
                   _("The file is larger than %d MiB."), WH_ATTACHMENT_MAX_SIZE / (1024 * 1024));
      return FALSE;
    }
  if (mime_type != NULL && !wh_attachment_type_is_accepted (mime_type))
    {
      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE,
                   _("Files of type “%s” cannot be attached: only photos (JPEG, PNG, WebP) "
                     "and PDF documents."), mime_type);
      return FALSE;
    }
  sniffed = wh_attachment_sniff_type (data);
  if (sniffed == NULL)
    {
      g_set_error_literal (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE,
                           _("The file is not a photo (JPEG, PNG, WebP) or a PDF document."));
      return FALSE;
    }
  if (mime_type != NULL && !g_str_equal (mime_type, sniffed))
    {
      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE,
                   _("The file is said to be “%s” but its content is “%s”."), mime_type, sniffed);
      return FALSE;
    }
  if (checked_type != NULL)
    *checked_type = sniffed;
  return TRUE;
}

/* The last part of a path, valid UTF-8, without control characters, at most MAX_NAME_BYTES. */
static char *
clean_name (const char *name)
{
  g_autofree char *base = NULL;
  g_autofree char *valid = NULL;
  GString *clean;
  const char *end;

  if (name == NULL || *name == '\0')
    return g_strdup ("");
  valid = g_utf8_make_valid (name, -1);
  base = strrchr (valid, '/') ? g_strdup (strrchr (valid, '/') + 1) : g_strdup (valid);
  clean = g_string_new (NULL);
  for (const char *p = base; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == '\\')
        c = '_';
      g_string_append_unichar (clean, c);
    }
  if (clean->len > MAX_NAME_BYTES)
    {
      g_utf8_validate (clean->str, MAX_NAME_BYTES, &end);
      g_string_truncate (clean, end - clean->str);
    }
  return g_string_free (clean, FALSE);
}

/* GObject */

static void
wh_attachment_store_dispose (GObject *object)
{
  WhAttachmentStore *self = WH_ATTACHMENT_STORE (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_attachment_store_parent_class)->dispose (object);
}

static void
wh_attachment_store_class_init (WhAttachmentStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_attachment_store_dispose;
}

static void
wh_attachment_store_init (WhAttachmentStore *self)
{
}

WhAttachmentStore *
wh_attachment_store_new (WhDb *db)
{
  WhAttachmentStore *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_ATTACHMENT_STORE, NULL);
  self->db = g_object_ref (db);
  return self;
}

/* Reading */

static void
set_not_found (GError    **error,
               const char *hash)
{
  g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FOUND,
               _("There is no attachment %s."), hash ? hash : "");
}

/* hash, mime_type, size, name, data IS NOT NULL: the blob itself is not read. */
#define ATTACHMENT_COLUMNS "a.hash, a.mime_type, a.size, a.name, a.data IS NOT NULL"

static WhAttachment *
read_attachment (sqlite3_stmt *stmt,
                 int           first)
{
  WhAttachment *attachment = g_new0 (WhAttachment, 1);

  attachment->hash = wh_db_column_dup_text (stmt, first);
  attachment->mime_type = wh_db_column_dup_text (stmt, first + 1);
  attachment->size = sqlite3_column_int64 (stmt, first + 2);
  attachment->name = g_strdup (wh_db_column_text (stmt, first + 3));
  attachment->fetched = sqlite3_column_int (stmt, first + 4) != 0;
  return attachment;
}

WhAttachment *
wh_attachment_store_lookup (WhAttachmentStore *self,
                            const char        *hash,
                            GError           **error)
{
  sqlite3_stmt *stmt;
  WhAttachment *attachment = NULL;
  int rc;

  g_return_val_if_fail (WH_IS_ATTACHMENT_STORE (self), NULL);
  g_return_val_if_fail (hash != NULL, NULL);

  stmt = wh_db_prepare (self->db, "SELECT " ATTACHMENT_COLUMNS " FROM attachment a WHERE a.hash = ?",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    attachment = read_attachment (stmt, 0);
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;
  if (attachment == NULL)
    set_not_found (error, hash);
  return attachment;
}

GBytes *
wh_attachment_store_get_bytes (WhAttachmentStore *self,
                               const char        *hash,
                               GError           **error)
{
  sqlite3_stmt *stmt;
  GBytes *bytes = NULL;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (WH_IS_ATTACHMENT_STORE (self), NULL);
  g_return_val_if_fail (hash != NULL, NULL);

  stmt = wh_db_prepare (self->db, "SELECT data FROM attachment WHERE hash = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
    }
  if (!wh_db_finish (self->db, stmt, rc, error))
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      return NULL;
    }
  if (!found)
    set_not_found (error, hash);
  else if (bytes == NULL)
    g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FETCHED,
                 _("The attachment %s has not been fetched from the server yet."), hash);
  return bytes;
}

static GPtrArray *
list_by (WhAttachmentStore *self,
         const char        *sql,
         const char        *key,
         GError           **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_attachment_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = wh_db_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read_attachment (stmt, 0));
  if (!wh_db_finish (self->db, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&list);
}

GPtrArray *
wh_attachment_store_list_for_event (WhAttachmentStore *self,
                                    const char        *event_id,
                                    GError           **error)
{
  g_return_val_if_fail (WH_IS_ATTACHMENT_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  return list_by (self,
                  "SELECT " ATTACHMENT_COLUMNS " FROM event_attachment ea "
                  "JOIN attachment a ON a.hash = ea.hash WHERE ea.event_id = ? "
                  "ORDER BY ea.position, ea.rowid", event_id, error);
}

GPtrArray *
wh_attachment_store_list_for_incident (WhAttachmentStore *self,
                                       const char        *incident_id,
                                       GError           **error)
{
  g_return_val_if_fail (WH_IS_ATTACHMENT_STORE (self), NULL);
  g_return_val_if_fail (incident_id != NULL, NULL);

  return list_by (self,
                  "SELECT " ATTACHMENT_COLUMNS " FROM incident_event e "
                  "JOIN event_attachment ea ON ea.event_id = e.id "
                  "JOIN attachment a ON a.hash = ea.hash WHERE e.incident_id = ? "
                  "ORDER BY e.seq, ea.position, ea.rowid", incident_id, error);
}

/* Writing */

/* Whether @hash is stored, and with its bytes. */
static gboolean
probe (WhAttachmentStore *self,
       const char        *hash,
       gboolean          *exists,
       gboolean          *fetched,
       GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *exists = *fetched = FALSE;
  stmt = wh_db_prepare (self->db, "SELECT data IS NOT NULL FROM attachment WHERE hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *exists = TRUE;
      *fetched = sqlite3_column_int (stmt, 0) != 0;
    }
  return wh_db_finish (self->db, stmt, rc, error);
}

/* Writes checked bytes: a new row, or the bytes of a row that was only described. */
static gboolean
store_bytes (WhAttachmentStore *self,
             const char        *hash,
             GBytes            *data,
             const char        *mime_type,
             const char        *name,
             GError           **error)
{
  g_autofree char *clean = clean_name (name);
  gboolean exists, fetched;
  sqlite3_stmt *stmt = NULL;
  gsize length;
  gconstpointer bytes = g_bytes_get_data (data, &length);

  if (!wh_db_begin (self->db, error))
    return FALSE;
  if (!probe (self, hash, &exists, &fetched, error))
    goto failed;

  if (!exists)
    stmt = wh_db_prepare (self->db,
                          "INSERT INTO attachment (hash, mime_type, size, name, data) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  else if (!fetched)
    /* The description came first (from the server); the bytes say what they are. */
    stmt = wh_db_prepare (self->db,
                          "UPDATE attachment SET mime_type = ?2, size = ?3, data = ?5, "
                          "name = CASE WHEN name = '' THEN ?4 ELSE name END WHERE hash = ?1",
                          error);
  else
    /* The same bytes again: only a name may be new. */
    stmt = wh_db_prepare (self->db,
                          "UPDATE attachment SET name = ?4 WHERE hash = ?1 AND name = '' "
                          "AND ?4 <> '' AND ?2 IS NOT NULL AND ?3 IS NOT NULL", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, mime_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, length);
  sqlite3_bind_text (stmt, 4, clean, -1, SQLITE_TRANSIENT);
  /* Bytes that are there already are not copied again. */
  if (!exists || !fetched)
    sqlite3_bind_blob64 (stmt, 5, length > 0 ? bytes : "", length, SQLITE_STATIC);
  if (!wh_db_step_done (self->db, stmt, error))
    goto failed;
  /* Release the blob binding: the statement is cached, the bytes are the caller's. */
  sqlite3_clear_bindings (stmt);
  return wh_db_commit (self->db, error);

failed:
  if (stmt != NULL)
    sqlite3_clear_bindings (stmt);
  wh_db_rollback (self->db);
  return FALSE;
}

char *
wh_attachment_store_put (WhAttachmentStore *self,
                         GBytes            *data,
                         const char        *mime_type,
                         const char        *name,
                         GError           **error)
{
  g_autofree char *hash = NULL;
  const char *checked;

  g_return_val_if_fail (WH_IS_ATTACHMENT_STORE (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (!wh_attachment_check (data, mime_type, &checked, error))
    return NULL;
  hash = wh_attachment_hash_bytes (data);
  if (!store_bytes (self, hash, data, checked, name, error))
    return NULL;
  return g_steal_pointer (&hash);
}

gboolean
wh_attachment_store_fill (WhAttachmentStore *self,
                          const char        *hash,
                          GBytes            *data,
                          GError           **error)
{
  g_autofree char *actual = NULL;
  const char *checked;

  g_return_val_if_fail (WH_IS_ATTACHMENT_STORE (self), FALSE);
  g_return_val_if_fail (hash != NULL && data != NULL, FALSE);

  actual = wh_attachment_hash_bytes (data);
  if (!g_str_equal (actual, hash))
    {
      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_HASH_MISMATCH,
                   _("The bytes received for attachment %s are not that attachment."), hash);
      return FALSE;
    }
  if (!wh_attachment_check (data, NULL, &checked, error))
    return FALSE;
  return store_bytes (self, hash, data, checked, NULL, error);
}

gboolean
wh_attachment_store_describe (WhAttachmentStore  *self,
                              const WhAttachment *attachment,
                              GError            **error)
{
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ATTACHMENT_STORE (self), FALSE);
  g_return_val_if_fail (attachment != NULL, FALSE);

  if (!wh_attachment_hash_is_valid (attachment->hash))
    {
      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FOUND,
                   _("“%s” is not the name of an attachment."),
                   attachment->hash ? attachment->hash : "");
      return FALSE;
    }
  if (!wh_attachment_type_is_accepted (attachment->mime_type))
    {
      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE,
                   _("Files of type “%s” cannot be attached: only photos (JPEG, PNG, WebP) "
                     "and PDF documents."), attachment->mime_type ? attachment->mime_type : "");
      return FALSE;
    }
  if (attachment->size <= 0 || attachment->size > WH_ATTACHMENT_MAX_SIZE)
    {
      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_TOO_LARGE,
                   _("The file is larger than %d MiB."), WH_ATTACHMENT_MAX_SIZE / (1024 * 1024));
      return FALSE;
    }

  clean = clean_name (attachment->name);
  /* What is known already stays: above all bytes that are here. */
  stmt = wh_db_prepare (self->db,
                        "INSERT OR IGNORE INTO attachment (hash, mime_type, size, name, data) "
                        "VALUES (?, ?, ?, ?, NULL)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, attachment->hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, attachment->mime_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, attachment->size);
  sqlite3_bind_text (stmt, 4, clean, -1, SQLITE_TRANSIENT);
  return wh_db_step_done (self->db, stmt, error);
}

/* The district server */

gboolean
wh_attachment_store_note_upload (WhAttachmentStore *self,
                                 const char        *hash,
                                 const WhAccount   *account,
                                 GError           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (WH_IS_ATTACHMENT_STORE (self), FALSE);
  g_return_val_if_fail (hash != NULL && account != NULL, FALSE);

  stmt = wh_db_prepare (self->db,
                        "INSERT OR IGNORE INTO attachment_upload (hash, account_id, street_id, "
                        "uploaded_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, account->id);
  wh_db_bind_text_or_null (stmt, 3, account->street_id);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  return wh_db_step_done (self->db, stmt, error);
}

gboolean
wh_attachment_store_may_read (WhAttachmentStore *self,
                              const char        *hash,
                              const WhAccount   *account,
                              gboolean          *allowed,
                              GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WH_IS_ATTACHMENT_STORE (self), FALSE);
  g_return_val_if_fail (hash != NULL && account != NULL && allowed != NULL, FALSE);

  *allowed = FALSE;
  /* ?2 NULL: a district account, which sees every street. */
  stmt = wh_db_prepare (self->db,
                        "SELECT EXISTS (SELECT 1 FROM attachment_upload u WHERE u.hash = ?1 "
                        "                 AND (u.account_id = ?3 OR ?2 IS NULL "
                        "                      OR u.street_id = ?2)) "
                        "    OR EXISTS (SELECT 1 FROM event_attachment ea "
                        "                 JOIN incident_event e ON e.id = ea.event_id "
                        "                 JOIN incident i ON i.id = e.incident_id "
                        "                WHERE ea.hash = ?1 AND (?2 IS NULL OR i.street_id = ?2))",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  wh_db_bind_text_or_null (stmt, 2, account->street_id);
  sqlite3_bind_int64 (stmt, 3, account->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *allowed = sqlite3_column_int (stmt, 0) != 0;
  return wh_db_finish (self->db, stmt, rc, error);
}
