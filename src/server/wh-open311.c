/* wh-open311.c — the district server's Open311 GeoReport v2 face, for outside systems
 *
 * Routing, keys, limits, errors and the service list live here; service requests in
 * wh-open311-requests.c; the answers' spelling in JSON or XML is wh-open311-writer.c's; every
 * read and write goes through WhApiKeyStore and WhOpen311Store in the core. Like the rest of the server, requests are handled on the main
 * loop one at a time, so a new request's incident is committed in feed order.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-open311-private.h"
#include "wh-server-locale.h"

/* RFC 6585; libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS    429

/* Guessing keys costs as much as guessing passwords on the v1 API. */
#define FAILURE_RATE   2.0
#define FAILURE_BURST  30

G_DEFINE_FINAL_TYPE (WhOpen311, wh_open311, G_TYPE_OBJECT)

enum {
  INCIDENT_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wh_open311_dispose (GObject *object)
{
  WhOpen311 *self = WH_OPEN311 (object);

  g_clear_object (&self->store);
  g_clear_object (&self->keys);
  g_clear_object (&self->limiter);
  g_clear_object (&self->failure_limiter);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_open311_parent_class)->dispose (object);
}

static void
wh_open311_class_init (WhOpen311Class *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_open311_dispose;

  /**
   * WhOpen311::incident-created:
   * @street_id: the new incident's street
   * @incident_id: its id
   * @seq: its seq in the changes feed
   *
   * A service request became an incident and is committed.
   */
  signals[INCIDENT_CREATED] =
    g_signal_new ("incident-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64);
}

static void
wh_open311_init (WhOpen311 *self)
{
}

WhOpen311 *
wh_open311_new (WhDb  *db,
                double rate,
                guint  burst)
{
  WhOpen311 *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_OPEN311, NULL);
  self->db = g_object_ref (db);
  self->store = wh_open311_store_new (db);
  self->keys = wh_api_key_store_new (db);
  self->limiter = wh_rate_limiter_new (rate, burst);
  self->failure_limiter = wh_rate_limiter_new (FAILURE_RATE, FAILURE_BURST);
  return self;
}

void
wh_open311_emit_incident_created (WhOpen311  *self,
                                  const char *street_id,
                                  const char *incident_id,
                                  gint64      seq)
{
  g_signal_emit (self, signals[INCIDENT_CREATED], 0, street_id, incident_id, seq);
}

/* Answers */

void
wh_open311_respond_document (SoupServerMessage *msg,
                  guint              status,
                  WhOpen311Format    format,
                  WhOpen311Writer   *writer)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize length;
  char *text = wh_open311_writer_finish (writer, &length);

  /* Requests carry what residents reported: no cache along the way may keep them. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, wh_open311_format_content_type (format),
                                    SOUP_MEMORY_TAKE, text, length);
}

/* The spec's error answer: a list of {code, description}; the code is the HTTP status. */
void
wh_open311_respond_errors (SoupServerMessage *msg,
                WhOpen311Format    format,
                guint              status,
                GPtrArray         *descriptions)
{
  g_autoptr (WhOpen311Writer) writer = wh_open311_writer_new (format);

  wh_open311_writer_begin_list (writer, "errors");
  for (guint i = 0; i < descriptions->len; i++)
    {
      wh_open311_writer_begin_object (writer, "error");
      wh_open311_writer_add_int (writer, "code", status);
      wh_open311_writer_add_string (writer, "description", descriptions->pdata[i]);
      wh_open311_writer_end_object (writer);
    }
  wh_open311_writer_end_list (writer);
  wh_open311_respond_document (msg, status, format, writer);
}

void
wh_open311_respond_error (SoupServerMessage *msg,
               WhOpen311Format    format,
               guint              status,
               const char        *description)
{
  g_autoptr (GPtrArray) descriptions = g_ptr_array_new ();

  g_ptr_array_add (descriptions, (gpointer) description);
  wh_open311_respond_errors (msg, format, status, descriptions);
}

void
wh_open311_respond_internal (SoupServerMessage *msg,
                  WhOpen311Format    format,
                  const GError      *error)
{
  GUri *uri = soup_server_message_get_uri (msg);

  g_warning ("Open311 request %s failed: %s", uri ? g_uri_get_path (uri) : "?", error->message);
  if (g_error_matches (error, WH_DB_ERROR, WH_DB_ERROR_BUSY))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      wh_open311_respond_error (msg, format, SOUP_STATUS_SERVICE_UNAVAILABLE,
                     _("The server is busy. Please try again in a moment."));
      return;
    }
  wh_open311_respond_error (msg, format, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                 _("The server could not complete the request. Please try again later."));
}

static void
respond_rate_limited (SoupServerMessage *msg,
                      WhOpen311Format    format,
                      gint64             retry_after)
{
  g_autofree char *seconds =
    g_strdup_printf ("%" G_GINT64_FORMAT, MAX (1, (retry_after + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
  wh_open311_respond_error (msg, format, STATUS_TOO_MANY_REQUESTS,
                 _("Too many requests. Please wait a moment and try again."));
}

gboolean
wh_open311_is_method (SoupServerMessage *msg,
           WhOpen311Format    format,
           const char        *allowed)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto (GStrv) methods = g_strsplit (allowed, ", ", -1);

  if (g_strv_contains ((const char *const *) methods, method))
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed);
  wh_open311_respond_error (msg, format, SOUP_STATUS_METHOD_NOT_ALLOWED,
                 _("This address does not accept that method."));
  return FALSE;
}

static const char *
remote_host (SoupServerMessage *msg)
{
  const char *host = g_object_get_data (G_OBJECT (msg), "wh-remote-host");

  if (host == NULL)
    host = soup_server_message_get_remote_host (msg);
  return host ? host : "?";
}

/* Input */

/* Whether @text is UTF-8 without control characters (@multiline allows line breaks and
 * tabs) and has at most @max_chars characters. */
gboolean
wh_open311_is_clean_text (const char *text,
               gboolean    multiline,
               glong       max_chars)
{
  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > max_chars)
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (multiline && (c == '\n' || c == '\r' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c) || c == 0xFFFE || c == 0xFFFF)
        return FALSE;
    }
  return TRUE;
}

/* A value from @fields, NULL when missing or empty; a value that is not clean text adds an
 * error to @errors. */
const char *
wh_open311_text_field (GHashTable *fields,
            const char *name,
            gboolean    multiline,
            glong       max_chars,
            GPtrArray  *errors)
{
  const char *value = fields ? g_hash_table_lookup (fields, name) : NULL;

  if (value == NULL || *value == '\0')
    return NULL;
  if (!wh_open311_is_clean_text (value, multiline, max_chars))
    {
      g_autofree char *limit = g_strdup_printf ("%ld", max_chars);

      /* The number goes in as text: a format macro in a message would not match its
       * translation. */
      g_ptr_array_add (errors, g_strdup_printf (_("“%s” must be text of at most %s characters "
                                                  "without control characters."), name, limit));
      return NULL;
    }
  return value;
}

/* Refuses parameters other than @known (NULL-terminated); "attribute[…]" passes when
 * @attributes is set, for the caller to judge. */
gboolean
wh_open311_only_known (GHashTable        *fields,
            const char *const *known,
            gboolean           attributes,
            GPtrArray         *errors)
{
  GHashTableIter iter;
  const char *name;
  gboolean ok = TRUE;

  if (fields == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (!g_strv_contains (known, name) && !(attributes && g_str_has_prefix (name, "attribute[")))
      {
        /* The name is the client's: shown only when it is text, and not at any length. */
        if (wh_open311_is_clean_text (name, FALSE, G_MAXLONG))
          {
            g_autofree char *shown = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 64));

            g_ptr_array_add (errors, g_strdup_printf (_("Unknown parameter “%s”."), shown));
          }
        else
          g_ptr_array_add (errors, g_strdup (_("A parameter’s name is not valid text.")));
        ok = FALSE;
      }
  return ok;
}

gboolean
wh_open311_accept_query (SoupServerMessage *msg,
                         WhOpen311Format    format,
                         GHashTable        *query,
                         const char *const *known)
{
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);

  if (wh_open311_only_known (query, known, FALSE, errors))
    return TRUE;
  wh_open311_respond_errors (msg, format, SOUP_STATUS_BAD_REQUEST, errors);
  return FALSE;
}

/* Keys */

static void
note_key (SoupServerMessage *msg,
          const WhApiKey    *key)
{
  g_object_set_data_full (G_OBJECT (msg), "wh-account",
                          g_strdup_printf ("api-key %" G_GINT64_FORMAT " (%s)", key->id, key->name),
                          g_free);
}

/* Spends one request of @key's bucket, or of the remote address's without a key. */
static gboolean
take_rate (WhOpen311         *self,
           SoupServerMessage *msg,
           WhOpen311Format    format,
           const WhApiKey    *key)
{
  g_autofree char *bucket = key ? g_strdup_printf ("open311-key:%" G_GINT64_FORMAT, key->id)
                                : g_strconcat ("open311-address:", remote_host (msg), NULL);
  gint64 retry_after;

  if (wh_rate_limiter_take (self->limiter, bucket, g_get_monotonic_time (), &retry_after))
    return TRUE;
  respond_rate_limited (msg, format, retry_after);
  return FALSE;
}

/* The request's key, checked, or NULL with the answer set (403 without a valid key, as the
 * spec has it). */
WhApiKey *
wh_open311_authenticate (WhOpen311         *self,
              SoupServerMessage *msg,
              WhOpen311Format    format,
              const char        *value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhApiKey) key = NULL;
  g_autofree char *bucket = NULL;
  gint64 retry_after;

  if (value == NULL || *value == '\0')
    {
      wh_open311_respond_error (msg, format, SOUP_STATUS_FORBIDDEN,
                     _("An api_key is required. Ask the street’s command center for one."));
      return NULL;
    }
  if (strlen (value) <= 256)
    key = wh_api_key_store_authenticate (self->keys, value, &error);
  else
    g_set_error_literal (&error, WH_API_KEY_ERROR, WH_API_KEY_ERROR_UNKNOWN,
                         _("The api_key is not valid."));
  if (key == NULL)
    {
      if (error->domain != WH_API_KEY_ERROR)
        {
          wh_open311_respond_internal (msg, format, error);
          return NULL;
        }
      bucket = g_strconcat ("open311-failure:", remote_host (msg), NULL);
      if (!wh_rate_limiter_take (self->failure_limiter, bucket, g_get_monotonic_time (), &retry_after))
        respond_rate_limited (msg, format, retry_after);
      else
        wh_open311_respond_error (msg, format, SOUP_STATUS_FORBIDDEN, error->message);
      return NULL;
    }
  note_key (msg, key);
  if (!take_rate (self, msg, format, key))
    return NULL;
  return g_steal_pointer (&key);
}

/* A jurisdiction_id, when given, names a street, and the key's own. */
gboolean
wh_open311_check_jurisdiction (WhOpen311         *self,
                    SoupServerMessage *msg,
                    WhOpen311Format    format,
                    const char        *jurisdiction,
                    const WhApiKey    *key)
{
  g_autoptr (GError) error = NULL;
  gboolean exists;

  if (jurisdiction == NULL)
    return TRUE;
  if (!wh_open311_is_clean_text (jurisdiction, FALSE, 64))
    {
      wh_open311_respond_error (msg, format, SOUP_STATUS_BAD_REQUEST, _("The jurisdiction_id is not a street code."));
      return FALSE;
    }
  if (!wh_open311_store_has_street (self->store, jurisdiction, &exists, &error))
    {
      wh_open311_respond_internal (msg, format, error);
      return FALSE;
    }
  if (!exists)
    {
      g_autofree char *message = g_strdup_printf (_("There is no jurisdiction “%s”."), jurisdiction);

      wh_open311_respond_error (msg, format, SOUP_STATUS_NOT_FOUND, message);
      return FALSE;
    }
  if (key != NULL && !g_str_equal (jurisdiction, key->street_id))
    {
      wh_open311_respond_error (msg, format, SOUP_STATUS_FORBIDDEN,
                     _("This api_key belongs to another jurisdiction."));
      return FALSE;
    }
  return TRUE;
}

/* Services */

static char *
format_duration (int      minutes,
                 gboolean working_hours)
{
  if (!working_hours && minutes % (24 * 60) == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", minutes / (24 * 60)),
                            minutes / (24 * 60));
  if (minutes % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", minutes / 60),
                            minutes / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", minutes), minutes);
}

/* The catalogue has no prose of its own: the description says what a resident can expect. */
static char *
describe_service (const WhOpen311Service *service)
{
  g_autofree char *response = format_duration (service->response_minutes, service->working_hours);
  g_autofree char *handling = format_duration (service->handling_minutes, service->working_hours);
  g_autofree char *limits = g_strdup_printf (_("Response within %s, handling within %s."),
                                             response, handling);

  if (!service->working_hours)
    return g_steal_pointer (&limits);
  return g_strdup_printf ("%s %s", limits, _("The time limits count working hours only."));
}

/* The checks before answering from the service catalogue (list or one definition). The
 * catalogue is public: no key needed, and a key sent along changes nothing. FALSE when the
 * request has been answered already. */
static gboolean
accept_catalogue_get (WhOpen311         *self,
                      SoupServerMessage *msg,
                      WhOpen311Format    format,
                      GHashTable        *query)
{
  static const char *const known[] = { "jurisdiction_id", "api_key", NULL };

  return wh_open311_is_method (msg, format, "GET") &&
         wh_open311_accept_query (msg, format, query, known) &&
         take_rate (self, msg, format, NULL) &&
         wh_open311_check_jurisdiction (
           self, msg, format, query ? g_hash_table_lookup (query, "jurisdiction_id") : NULL, NULL);
}

static void
handle_services (WhOpen311         *self,
                 SoupServerMessage *msg,
                 WhOpen311Format    format,
                 GHashTable        *query)
{
  g_autoptr (GPtrArray) services = NULL;
  g_autoptr (WhOpen311Writer) writer = NULL;
  g_autoptr (GError) error = NULL;

  if (!accept_catalogue_get (self, msg, format, query))
    return;

  services = wh_open311_store_list_services (self->store, &error);
  if (services == NULL)
    {
      wh_open311_respond_internal (msg, format, error);
      return;
    }

  writer = wh_open311_writer_new (format);
  wh_open311_writer_begin_list (writer, "services");
  for (guint i = 0; i < services->len; i++)
    {
      WhOpen311Service *service = services->pdata[i];
      g_autofree char *description = describe_service (service);

      wh_open311_writer_begin_object (writer, "service");
      wh_open311_writer_add_string (writer, "service_code", service->code);
      wh_open311_writer_add_string (writer, "service_name", service->name);
      wh_open311_writer_add_string (writer, "description", description);
      wh_open311_writer_add_boolean (writer, "metadata", FALSE);
      wh_open311_writer_add_string (writer, "type", "realtime");
      wh_open311_writer_add_string (writer, "keywords", service->group);
      wh_open311_writer_add_string (writer, "group", service->group);
      wh_open311_writer_end_object (writer);
    }
  wh_open311_writer_end_list (writer);
  wh_open311_respond_document (msg, SOUP_STATUS_OK, format, writer);
}

static void
handle_service_definition (WhOpen311         *self,
                           SoupServerMessage *msg,
                           WhOpen311Format    format,
                           GHashTable        *query,
                           const char        *code)
{
  g_autoptr (WhOpen311Service) service = NULL;
  g_autoptr (WhOpen311Writer) writer = NULL;
  g_autoptr (GError) error = NULL;

  if (!accept_catalogue_get (self, msg, format, query))
    return;

  service = wh_open311_store_get_service (self->store, code, &error);
  if (service == NULL)
    {
      if (g_error_matches (error, WH_OPEN311_ERROR, WH_OPEN311_ERROR_NOT_FOUND))
        wh_open311_respond_error (msg, format, SOUP_STATUS_NOT_FOUND, error->message);
      else
        wh_open311_respond_internal (msg, format, error);
      return;
    }

  /* No service asks for attributes (metadata is false): the definition is empty. */
  writer = wh_open311_writer_new (format);
  wh_open311_writer_begin_object (writer, "service_definition");
  wh_open311_writer_add_string (writer, "service_code", service->code);
  wh_open311_writer_begin_list (writer, "attributes");
  wh_open311_writer_end_list (writer);
  wh_open311_writer_end_object (writer);
  wh_open311_respond_document (msg, SOUP_STATUS_OK, format, writer);
}

/* Routing */

/* The early check: bodies larger than a request needs are refused before they are read. */
static void
check_body (SoupServerMessage *msg,
            const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *dot = strrchr (path, '.');
  WhOpen311Format format = WH_OPEN311_FORMAT_JSON;

  if (dot != NULL && strchr (dot, '/') == NULL)
    wh_open311_format_from_extension (dot + 1, &format);
  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) > WH_OPEN311_MAX_BODY_BYTES)
        {
          g_autofree char *limit = g_strdup_printf ("%d", WH_OPEN311_MAX_BODY_BYTES);
          g_autofree char *message = g_strdup_printf (_("The request body is larger than %s bytes."),
                                                      limit);

          wh_open311_respond_error (msg, format, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, message);
        }
      break;
    case SOUP_ENCODING_CHUNKED:
      wh_open311_respond_error (msg, format, SOUP_STATUS_LENGTH_REQUIRED,
                     _("The request must state its Content-Length."));
      break;
    default:
      break;
    }
}

/* A path segment, percent-decoding undone; NULL when it is empty or not clean text. */
static char *
segment (const char *text,
         gsize       length)
{
  g_autofree char *raw = g_strndup (text, length);
  g_autofree char *decoded = g_uri_unescape_string (raw, NULL);

  if (decoded == NULL || *decoded == '\0' || strchr (decoded, '/') != NULL ||
      !wh_open311_is_clean_text (decoded, FALSE, 128))
    return NULL;
  return g_steal_pointer (&decoded);
}

static void
dispatch (WhOpen311         *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  g_auto (GStrv) parts = NULL;
  g_autofree char *resource = NULL;
  g_autofree char *id = NULL;
  WhOpen311Format format = WH_OPEN311_FORMAT_JSON;
  const char *rest;
  const char *last;
  const char *dot;
  guint n;

  if (!g_str_has_prefix (path, WH_OPEN311_PREFIX "/"))
    {
      wh_open311_respond_error (msg, format, SOUP_STATUS_NOT_FOUND,
                     _("There is nothing at this address. The Open311 GeoReport v2 API is under "
                       "/open311/v2/."));
      return;
    }
  rest = path + strlen (WH_OPEN311_PREFIX "/");
  parts = g_strsplit (rest, "/", -1);
  n = g_strv_length (parts);
  last = n > 0 ? parts[n - 1] : "";
  dot = strrchr (last, '.');
  if (n < 1 || n > 2 || dot == NULL || !wh_open311_format_from_extension (dot + 1, &format))
    {
      wh_open311_respond_error (msg, format, SOUP_STATUS_NOT_FOUND,
                     _("There is nothing at this address. Open311 addresses end in .json or .xml."));
      return;
    }

  if (n == 1)
    resource = segment (parts[0], dot - parts[0]);
  else
    {
      resource = segment (parts[0], strlen (parts[0]));
      id = segment (parts[1], dot - parts[1]);
      if (id == NULL)
        g_clear_pointer (&resource, g_free);
    }

  if (g_strcmp0 (resource, "services") == 0)
    {
      if (id == NULL)
        handle_services (self, msg, format, query);
      else
        handle_service_definition (self, msg, format, query, id);
    }
  else if (g_strcmp0 (resource, "requests") == 0)
    {
      if (id != NULL)
        wh_open311_get_request (self, msg, format, query, id, FALSE);
      else if (wh_open311_is_method (msg, format, "GET, POST"))
        {
          if (g_str_equal (soup_server_message_get_method (msg), "POST"))
            wh_open311_create_request (self, msg, format, query);
          else
            wh_open311_list_requests (self, msg, format, query);
        }
    }
  else if (g_strcmp0 (resource, "tokens") == 0 && id != NULL)
    wh_open311_get_request (self, msg, format, query, id, TRUE);
  else
    wh_open311_respond_error (msg, format, SOUP_STATUS_NOT_FOUND, _("There is nothing at this address."));
}

/* Both run in the language the request asks for (Accept-Language), like the rest of the
 * server's answers. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  locale_t previous = wh_server_locale_enter (msg);

  check_body (msg, path);
  wh_server_locale_leave (previous);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  locale_t previous = wh_server_locale_enter (msg);

  dispatch (user_data, msg, path, query);
  wh_server_locale_leave (previous);
}

void
wh_open311_add_routes (WhOpen311  *self,
                       SoupServer *server)
{
  g_return_if_fail (WH_IS_OPEN311 (self));
  g_return_if_fail (SOUP_IS_SERVER (server));

  /* Soup runs only the handlers of the most specific path that has any: this prefix needs
   * its own early check. */
  soup_server_add_early_handler (server, "/open311", early_handler, self, NULL);
  soup_server_add_handler (server, "/open311", handle, self, NULL);
}
