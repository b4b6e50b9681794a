/* wh-attachment-store.h — photos and documents, stored once by their content hash
 *
 * An attachment is named by the SHA-256 of its bytes, so the same photo sent twice is
 * stored once, a desk can tell what the server already has, and nobody can swap the
 * bytes behind a name. Events point at attachments (event_attachment); a desk may hold
 * an attachment's description before its bytes, fetched from the server when first shown.
 *
 * To attach files to a change: wh_attachment_store_put() each, then name the hashes in the
 * op with wh_op_add_attachment() (wh-event-attachments.h) before wh_incident_store_apply();
 * the event's links are written in the op's transaction. The desk's sync engine uploads the
 * files before the op (wh-sync-attachments.h) and fetches others' on demand
 * (wh_sync_engine_fetch_attachment_async()).
 */
#pragma once

#include "wh-account-store.h"
#include "wh-db.h"

G_BEGIN_DECLS

/* What the street accepts (DESIGN.md): photos and scanned documents, 10 MiB at most. */
#define WH_ATTACHMENT_MAX_SIZE (10 * 1024 * 1024)

/* An event names at most this many attachments. */
#define WH_ATTACHMENT_MAX_PER_EVENT 20

/* Length of a hash: SHA-256 in lower-case hex. */
#define WH_ATTACHMENT_HASH_LENGTH 64

#define WH_ATTACHMENT_ERROR (wh_attachment_error_quark ())
typedef enum {
  WH_ATTACHMENT_ERROR_TOO_LARGE,    /* over WH_ATTACHMENT_MAX_SIZE */
  WH_ATTACHMENT_ERROR_BAD_TYPE,     /* not an accepted type, or the bytes are not of it */
  WH_ATTACHMENT_ERROR_NOT_FOUND,    /* no such hash here */
  WH_ATTACHMENT_ERROR_NOT_FETCHED,  /* known, but its bytes are still on the server */
  WH_ATTACHMENT_ERROR_HASH_MISMATCH /* the bytes do not hash to the name they came under */
} WhAttachmentError;
GQuark wh_attachment_error_quark (void);

typedef struct {
  char   *hash;      /* SHA-256, lower-case hex */
  char   *mime_type; /* image/jpeg, image/png, image/webp, application/pdf */
  gint64  size;      /* bytes */
  char   *name;      /* the file name it was added under; may be empty */
  gboolean fetched;  /* whether the bytes are here */
} WhAttachment;

WhAttachment *wh_attachment_copy (const WhAttachment *attachment);
void          wh_attachment_free (WhAttachment       *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhAttachment, wh_attachment_free)

/* Returns: (transfer full): the SHA-256 of @data, lower-case hex */
char         *wh_attachment_hash_bytes          (GBytes     *data);

/* Whether @hash looks like a name of ours: 64 lower-case hex digits. */
gboolean      wh_attachment_hash_is_valid       (const char *hash);

/* Whether the street accepts @mime_type (exact, lower-case, without parameters). */
gboolean      wh_attachment_type_is_accepted    (const char *mime_type);

/* Returns: (nullable): the accepted type the bytes are, by their magic numbers, or %NULL */
const char   *wh_attachment_sniff_type          (GBytes     *data);

/**
 * wh_attachment_check:
 * @mime_type: (nullable): the type the bytes are said to be; %NULL: whatever they are
 * @checked_type: (out) (optional): the accepted type the bytes are
 *
 * Whether @data may be stored: at most WH_ATTACHMENT_MAX_SIZE bytes, of an accepted type,
 * and of @mime_type when one is given.
 *
 * Returns: FALSE with WH_ATTACHMENT_ERROR_TOO_LARGE or _BAD_TYPE
 */
gboolean      wh_attachment_check               (GBytes      *data,
                                                 const char  *mime_type,
                                                 const char **checked_type,
                                                 GError     **error);

#define WH_TYPE_ATTACHMENT_STORE (wh_attachment_store_get_type ())
G_DECLARE_FINAL_TYPE (WhAttachmentStore, wh_attachment_store, WH, ATTACHMENT_STORE, GObject)

WhAttachmentStore *wh_attachment_store_new (WhDb *db);

/**
 * wh_attachment_store_put:
 * @data: the file's bytes
 * @mime_type: (nullable): its type, checked against the bytes (magic numbers); %NULL: the
 *   type the bytes are
 * @name: (nullable): the file name to show
 *
 * Stores @data under its hash (a second put of the same bytes is harmless).
 *
 * Returns: (transfer full): the hash, or %NULL with WH_ATTACHMENT_ERROR_TOO_LARGE /
 *   _BAD_TYPE or a WH_DB_ERROR
 */
char *wh_attachment_store_put (WhAttachmentStore *self,
                               GBytes            *data,
                               const char        *mime_type,
                               const char        *name,
                               GError           **error);

/* Records that an attachment exists without its bytes (the desk learns of it from the
 * changes feed); a later wh_attachment_store_put() of the bytes fills it in. */
gboolean wh_attachment_store_describe (WhAttachmentStore  *self,
                                       const WhAttachment *attachment,
                                       GError            **error);

/**
 * wh_attachment_store_fill:
 * @hash: the name the bytes were asked for
 * @data: the bytes that came (from the server)
 *
 * Stores bytes fetched for @hash, after checking that they are what was asked for: their
 * hash (WH_ATTACHMENT_ERROR_HASH_MISMATCH) and their type and size (_BAD_TYPE, _TOO_LARGE).
 * Nothing is stored when a check fails.
 */
gboolean wh_attachment_store_fill (WhAttachmentStore *self,
                                   const char        *hash,
                                   GBytes            *data,
                                   GError           **error);

/* Returns: (transfer full): what is known of @hash, or %NULL with _NOT_FOUND */
WhAttachment *wh_attachment_store_lookup (WhAttachmentStore *self,
                                          const char        *hash,
                                          GError           **error);

/* Returns: (transfer full): the bytes of @hash, or %NULL with _NOT_FOUND / _NOT_FETCHED */
GBytes *wh_attachment_store_get_bytes (WhAttachmentStore *self,
                                       const char        *hash,
                                       GError           **error);

/* Returns: (transfer full) (element-type WhAttachment): the attachments of one timeline
 * event, in the order they were added */
GPtrArray *wh_attachment_store_list_for_event (WhAttachmentStore *self,
                                               const char        *event_id,
                                               GError           **error);

/* Returns: (transfer full) (element-type WhAttachment): the attachments of every event of
 * one incident, oldest event first */
GPtrArray *wh_attachment_store_list_for_incident (WhAttachmentStore *self,
                                                  const char        *incident_id,
                                                  GError           **error);

/* The district server */

/* Notes that @account uploaded @hash (stored already), so that its street may read it back
 * before any event names it. */
gboolean wh_attachment_store_note_upload (WhAttachmentStore *self,
                                          const char        *hash,
                                          const WhAccount   *account,
                                          GError           **error);

/**
 * wh_attachment_store_may_read:
 * @allowed: (out): whether @account may read @hash: its street uploaded it, or an event of a
 *   street it sees names it
 *
 * Returns: FALSE only on a storage failure
 */
gboolean wh_attachment_store_may_read (WhAttachmentStore *self,
                                       const char        *hash,
                                       const WhAccount   *account,
                                       gboolean          *allowed,
                                       GError           **error);

G_END_DECLS
