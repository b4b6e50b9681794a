/* wh-server-attachments.c — photos and scanned documents, by content hash */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-attachment-store.h"
#include "wh-server-attachments.h"
#include "wh-server-locale.h"
#include "wh-server-private.h"
#include "wh-wire.h"

#define PATH "/api/v1/attachments"

/* A request that sends no attachment has no business sending much of a body. */
#define MAX_OTHER_BODY_BYTES (64 * 1024)

/* The bytes behind a hash never change: any cache may keep them for a year. Only a private
 * one, though: they are read with a token. */
#define CACHE_FOREVER "private, max-age=31536000, immutable"

typedef struct {
  WhServer          *server;  /* not a reference: it owns us */
  WhDb              *db;
  WhAttachmentStore *store;
} Attachments;

static void
attachments_free (Attachments *self)
{
  g_clear_object (&self->store);
  g_clear_object (&self->db);
  g_free (self);
}

/* Answers */

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr (JsonNode) node = wh_wire_error_to_json (code, message);
  g_autofree char *text = json_to_string (node, FALSE);
  gsize length = strlen (text);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
respond_internal (SoupServerMessage *msg,
                  const GError      *error)
{
  g_warning ("Request %s failed: %s", g_uri_get_path (soup_server_message_get_uri (msg)),
             error->message);
  respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                 _("The server could not complete the request. Please try again later."));
}

static void
respond_not_found (SoupServerMessage *msg)
{
  respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                 _("The server has no such attachment."));
}

static void
respond_method_not_allowed (SoupServerMessage *msg,
                            const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                 _("This address does not accept that method."));
}

static void
respond_description (SoupServerMessage  *msg,
                     guint               status,
                     const WhAttachment *attachment)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *location = g_strconcat (PATH "/", attachment->hash, NULL);
  gsize length;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hash");
  json_builder_add_string_value (b, attachment->hash);
  json_builder_set_member_name (b, "mime_type");
  json_builder_add_string_value (b, attachment->mime_type);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, attachment->size);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, attachment->name ? attachment->name : "");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  length = strlen (text);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

/* Requests */

static gboolean
is_upload (SoupServerMessage *msg,
           const char        *path)
{
  return g_str_equal (path, PATH) && g_str_equal (soup_server_message_get_method (msg), "POST");
}

/* The type the request says its body is, lower-case and without parameters, or NULL. */
static char *
request_type (SoupServerMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                            NULL);

  return type ? g_ascii_strdown (type, -1) : NULL;
}

static void
respond_bad_type (SoupServerMessage *msg,
                  const char        *message)
{
  respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                 message ? message
                         : _("Only photos (JPEG, PNG, WebP) and PDF documents can be attached."));
}

/* Runs before the body is read: an upload that is too large, of a type we do not take or
 * without a valid token is refused without reading ten megabytes first. */
static void
early_checks (SoupServerMessage *msg,
              const char        *path,
              Attachments       *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  gboolean upload = is_upload (msg, path);
  goffset limit = upload ? WH_ATTACHMENT_MAX_SIZE : MAX_OTHER_BODY_BYTES;
  g_autofree char *type = NULL;
  WhAccount *account;

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) > limit)
        {
          g_autofree char *message = NULL;

          if (upload)
            message = g_strdup_printf (_("An attachment may be at most %d MiB."),
                                       WH_ATTACHMENT_MAX_SIZE / (1024 * 1024));
          else
            message = g_strdup_printf (_("The request body is larger than %lu bytes."),
                                       (gulong) limit);
          respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", message);
          return;
        }
      break;
    case SOUP_ENCODING_CHUNKED:
      respond_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "length_required",
                     _("The request must state its Content-Length."));
      return;
    default:
      break;
    }
  if (!upload)
    return;

  type = request_type (msg);
  if (!wh_attachment_type_is_accepted (type))
    {
      respond_bad_type (msg, NULL);
      return;
    }
  account = wh_server_authenticate (self->server, msg);
  if (account == NULL)
    return;
  /* The handler takes it from here: a token is checked (and rate limited) once. */
  g_object_set_data_full (G_OBJECT (msg), "wh-attachments-account", account,
                          (GDestroyNotify) wh_account_free);
}

static void
handle_upload (Attachments       *self,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  WhAccount *account = g_object_get_data (G_OBJECT (msg), "wh-attachments-account");
  WhDb *db = self->db;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAttachment) before = NULL;
  g_autoptr (WhAttachment) stored = NULL;
  g_autofree char *type = NULL;
  g_autofree char *hash = NULL;
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;
  GHashTableIter iter;
  const char *key;

  if (account == NULL)
    {
      /* The early check always runs first; without its account the request did not pass. */
      if (soup_server_message_get_status (msg) == 0)
        respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "token_missing", _("Please sign in first."));
      return;
    }
  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
        if (!g_str_equal (key, "name"))
          {
            g_autofree char *message = g_strdup_printf (_("Unknown query parameter “%s”."), key);
            respond_error (msg, SOUP_STATUS_BAD_REQUEST, "unknown_parameter", message);
            return;
          }
    }
  if (account->role == WH_ROLE_VIEWER)
    {
      respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", _("A viewer cannot add attachments."));
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) == 0)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("The attachment is empty."));
      return;
    }
  type = request_type (msg);
  hash = wh_attachment_hash_bytes (body);
  before = wh_attachment_store_lookup (self->store, hash, NULL);
  g_clear_pointer (&hash, g_free);

  /* Stored and noted as this account's upload together, or neither. */
  if (!wh_db_begin (db, &error))
    {
      respond_internal (msg, error);
      return;
    }
  hash = wh_attachment_store_put (self->store, body, type, name, &error);
  if (hash == NULL || !wh_attachment_store_note_upload (self->store, hash, account, &error) ||
      !wh_db_commit (db, &error))
    {
      if (wh_db_in_transaction (db))
        wh_db_rollback (db);
      if (g_error_matches (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_TOO_LARGE))
        respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", error->message);
      else if (g_error_matches (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE))
        respond_bad_type (msg, error->message);
      else
        respond_internal (msg, error);
      return;
    }

  stored = wh_attachment_store_lookup (self->store, hash, &error);
  if (stored == NULL)
    {
      respond_internal (msg, error);
      return;
    }
  g_message ("Attachment %s (%s, %" G_GINT64_FORMAT " bytes) %s by %s", hash, stored->mime_type,
             stored->size, before != NULL && before->fetched ? "uploaded again" : "uploaded",
             account->name);
  respond_description (msg, before != NULL && before->fetched ? SOUP_STATUS_OK : SOUP_STATUS_CREATED,
                       stored);
}

/* Whether If-None-Match names @etag (or is "*"). */
static gboolean
etag_matches (SoupServerMessage *msg,
              const char        *etag)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "If-None-Match");
  g_autofree char *stripped = NULL;

  if (header == NULL)
    return FALSE;
  stripped = g_strstrip (g_strdup (header));
  return g_str_equal (stripped, "*") || strstr (header, etag) != NULL;
}

/* Content-Disposition with the name as RFC 6266 wants it: ASCII fallback and UTF-8. */
static char *
disposition (const WhAttachment *attachment)
{
  g_autofree char *escaped = NULL;

  if (attachment->name == NULL || *attachment->name == '\0')
    return g_strdup ("inline");
  escaped = g_uri_escape_string (attachment->name, NULL, FALSE);
  return g_strdup_printf ("inline; filename*=UTF-8''%s", escaped);
}

static void
handle_fetch (Attachments       *self,
              SoupServerMessage *msg,
              const char        *hash,
              GHashTable        *query)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gboolean head = g_str_equal (soup_server_message_get_method (msg), "HEAD");
  g_autoptr (WhAccount) account = NULL;
  g_autoptr (WhAttachment) attachment = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *content_disposition = NULL;
  gboolean allowed = FALSE;

  if (query != NULL && g_hash_table_size (query) > 0)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "unknown_parameter",
                     _("This address takes no query parameters."));
      return;
    }
  if ((account = wh_server_authenticate (self->server, msg)) == NULL)
    return;
  if (!wh_attachment_hash_is_valid (hash))
    {
      respond_not_found (msg);
      return;
    }

  attachment = wh_attachment_store_lookup (self->store, hash, &error);
  if (attachment == NULL)
    {
      if (g_error_matches (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FOUND))
        respond_not_found (msg);
      else
        respond_internal (msg, error);
      return;
    }
  if (!wh_attachment_store_may_read (self->store, hash, account, &allowed, &error))
    {
      respond_internal (msg, error);
      return;
    }
  /* Another street's photo is answered like one that does not exist. */
  if (!attachment->fetched || !allowed)
    {
      respond_not_found (msg);
      return;
    }

  etag = g_strdup_printf ("\"%s\"", hash);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", CACHE_FOREVER);
  if (etag_matches (msg, etag))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  content_disposition = disposition (attachment);
  soup_message_headers_replace (headers, "Content-Type", attachment->mime_type);
  soup_message_headers_replace (headers, "Content-Disposition", content_disposition);
  /* A browser shown a stored PDF must not run anything in it on the server's origin. */
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy", "default-src 'none'; sandbox");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (head)
    {
      soup_message_headers_set_content_length (headers, attachment->size);
      return;
    }

  bytes = wh_attachment_store_get_bytes (self->store, hash, &error);
  if (bytes == NULL)
    {
      soup_message_headers_remove (headers, "ETag");
      soup_message_headers_remove (headers, "Content-Disposition");
      respond_internal (msg, error);
      return;
    }
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

/* Handlers */

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  locale_t previous = wh_server_locale_enter (msg);

  early_checks (msg, path, user_data);
  wh_server_locale_leave (previous);
}

static void
dispatch (Attachments       *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *rest = path + strlen (PATH);

  if (*rest == '\0')
    {
      if (!g_str_equal (method, "POST"))
        respond_method_not_allowed (msg, "POST");
      else
        handle_upload (self, msg, query);
    }
  else if (*rest == '/' && strchr (rest + 1, '/') == NULL)
    {
      if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
        respond_method_not_allowed (msg, "GET, HEAD");
      else
        handle_fetch (self, msg, rest + 1, query);
    }
  else
    respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("There is nothing at this address."));
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  locale_t previous;

  /* The early check already answered (too large, a bad type, no valid token). */
  if (soup_server_message_get_status (msg) != 0)
    return;
  previous = wh_server_locale_enter (msg);
  dispatch (user_data, msg, path, query);
  wh_server_locale_leave (previous);
}

void
wh_server_attachments_attach (WhServer   *server,
                              SoupServer *soup,
                              WhDb       *db)
{
  Attachments *self;

  g_return_if_fail (WH_IS_SERVER (server));
  g_return_if_fail (SOUP_IS_SERVER (soup));
  g_return_if_fail (WH_IS_DB (db));

  self = g_new0 (Attachments, 1);
  self->server = server;
  self->db = g_object_ref (db);
  self->store = wh_attachment_store_new (db);
  g_object_set_data_full (G_OBJECT (server), "wh-server-attachments", self,
                          (GDestroyNotify) attachments_free);

  /* Soup runs only the handlers of the most specific path: these replace the server's
   * generic body limit (1 MiB) for this path with the attachments' own. */
  soup_server_add_early_handler (soup, PATH, early_handler, self, NULL);
  soup_server_add_handler (soup, PATH, handler, self, NULL);
}
