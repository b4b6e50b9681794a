/* wh-open311-requests.c — Open311 service requests: report one, list them, read one
 *
 * A new request is checked here for form (every problem listed at once, 400), then reported
 * by WhOpen311Store as an incident of the key's street. Reading gives only what the public
 * may see (wh_open311_store_get_request()): never the reporter's name, phone or e-mail.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "wh-incident.h"
#include "wh-open311-private.h"

/* RFC 4918; libsoup 3.2 has no name for it. */
#define STATUS_UNPROCESSABLE   422

/* The spec's limits: a description of at most 4,000 characters; a list of at most 1,000
 * requests; start_date to end_date at most 90 days. */
#define MAX_DESCRIPTION_CHARS  4000
#define MAX_ADDRESS_CHARS      500
#define MAX_NAME_CHARS         50
#define MAX_PHONE_CHARS        40
#define MAX_EMAIL_CHARS        254
#define MAX_URL_CHARS          2000
#define MAX_ID_CHARS           200
#define MAX_LIST_ITEMS         100
#define MAX_IDEMPOTENCY_CHARS  255
#define LIST_LIMIT             1000
#define LIST_SPAN              ((gint64) 90 * 24 * 3600 * G_USEC_PER_SEC)

/* Times */

static GTimeZone *
street_time_zone (void)
{
  static GTimeZone *tz;

  if (g_once_init_enter (&tz))
    {
      GTimeZone *zone = g_time_zone_new_identifier ("Asia/Shanghai");

      g_once_init_leave (&tz, zone ? zone : g_time_zone_new_offset (8 * 3600));
    }
  return tz;
}

/* ISO 8601 with the street's offset: 2026-11-22T09:30:00+08:00; NULL for 0. */
static char *
format_time (gint64 usec)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (usec == 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, street_time_zone ());
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

/* An ISO 8601 date and time; one without an offset is the street's local time. */
static gboolean
parse_time (const char *text,
            gint64     *usec)
{
  g_autoptr (GDateTime) dt = NULL;

  if (text == NULL || strlen (text) > 64)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, street_time_zone ());
  if (dt == NULL)
    return FALSE;
  *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

/* Input */

/* Decimal degrees in [@min, @max], nothing else. */
static gboolean
parse_degrees (const char *text,
               double      min,
               double      max,
               double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0' || strlen (text) > 32)
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*value) && *value >= min && *value <= max;
}

/* A comma-separated list of at most MAX_LIST_ITEMS non-empty items; NULL with an error
 * added when it is not one. */
static GStrv
split_list (const char *text,
            const char *name,
            GPtrArray  *errors)
{
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  guint n = g_strv_length (items);

  for (guint i = 0; i < n; i++)
    g_strstrip (items[i]);
  for (guint i = 0; i < n; i++)
    if (*items[i] == '\0' || !wh_open311_is_clean_text (items[i], FALSE, 64))
      {
        g_ptr_array_add (errors, g_strdup_printf (_("“%s” must be a comma-separated list of codes."),
                                                  name));
        return NULL;
      }
  if (n == 0 || n > MAX_LIST_ITEMS)
    {
      g_autofree char *limit = g_strdup_printf ("%d", MAX_LIST_ITEMS);

      g_ptr_array_add (errors, g_strdup_printf (_("“%s” lists between 1 and %s items."), name, limit));
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* Requests */

static void
write_request (WhOpen311Writer        *writer,
               const WhOpen311Request *request)
{
  g_autofree char *requested = format_time (request->requested_at);
  g_autofree char *updated = format_time (request->updated_at);
  g_autofree char *expected = format_time (request->expected_at);

  /* What the public may see: never the reporter's name, phone or e-mail. */
  wh_open311_writer_begin_object (writer, "request");
  wh_open311_writer_add_string (writer, "service_request_id", request->service_request_id);
  wh_open311_writer_add_string (writer, "status", wh_status_is_open (request->status) ? "open" : "closed");
  wh_open311_writer_add_string (writer, "status_notes", request->status_notes);
  wh_open311_writer_add_string (writer, "service_name", request->service_name);
  wh_open311_writer_add_string (writer, "service_code", request->service_code);
  wh_open311_writer_add_string (writer, "description", request->description);
  wh_open311_writer_add_string (writer, "agency_responsible", request->agency_responsible);
  wh_open311_writer_add_string (writer, "service_notice", NULL);
  wh_open311_writer_add_string (writer, "requested_datetime", requested);
  wh_open311_writer_add_string (writer, "updated_datetime", updated);
  wh_open311_writer_add_string (writer, "expected_datetime", expected);
  wh_open311_writer_add_string (writer, "address", request->address);
  wh_open311_writer_add_string (writer, "address_id", NULL);
  wh_open311_writer_add_string (writer, "zipcode", NULL);
  if (request->has_location)
    {
      wh_open311_writer_add_degrees (writer, "lat", request->lat);
      wh_open311_writer_add_degrees (writer, "long", request->lon);
    }
  else
    {
      wh_open311_writer_add_string (writer, "lat", NULL);
      wh_open311_writer_add_string (writer, "long", NULL);
    }
  wh_open311_writer_add_string (writer, "media_url",
                                request->media_url && *request->media_url ? request->media_url : NULL);
  wh_open311_writer_end_object (writer);
}

static void
respond_requests (SoupServerMessage *msg,
                  WhOpen311Format    format,
                  GPtrArray         *requests)
{
  g_autoptr (WhOpen311Writer) writer = wh_open311_writer_new (format);

  wh_open311_writer_begin_list (writer, "service_requests");
  for (guint i = 0; i < requests->len; i++)
    write_request (writer, requests->pdata[i]);
  wh_open311_writer_end_list (writer);
  wh_open311_respond_document (msg, SOUP_STATUS_OK, format, writer);
}

/* Reads the dates of a list: the spec's window is 90 days; without dates, the last 90. */
static gboolean
read_dates (GHashTable *query,
            gint64     *start,
            gint64     *end,
            GPtrArray  *errors)
{
  const char *start_text = g_hash_table_lookup (query, "start_date");
  const char *end_text = g_hash_table_lookup (query, "end_date");

  *start = *end = 0;
  if (start_text != NULL && !parse_time (start_text, start))
    g_ptr_array_add (errors, g_strdup (_("start_date must be a date and time in ISO 8601, "
                                         "e.g. 2026-11-22T08:00:00+08:00.")));
  if (end_text != NULL && !parse_time (end_text, end))
    g_ptr_array_add (errors, g_strdup (_("end_date must be a date and time in ISO 8601, "
                                         "e.g. 2026-11-22T18:00:00+08:00.")));
  if (errors->len > 0)
    return FALSE;

  /* Without dates, the last 90 days up to now. */
  if (start_text == NULL && end_text == NULL)
    {
      *start = g_get_real_time () - LIST_SPAN;
      return TRUE;
    }
  if (start_text == NULL)
    *start = *end - LIST_SPAN;
  else if (end_text == NULL)
    *end = *start + LIST_SPAN;
  if (*end < *start)
    g_ptr_array_add (errors, g_strdup (_("end_date comes before start_date.")));
  else if (*end - *start > LIST_SPAN)
    g_ptr_array_add (errors, g_strdup (_("start_date and end_date may lie at most 90 days apart.")));
  return errors->len == 0;
}

void
wh_open311_list_requests (WhOpen311         *self,
               SoupServerMessage *msg,
               WhOpen311Format    format,
               GHashTable        *query)
{
  static const char *const known[] = {
    "api_key", "jurisdiction_id", "service_request_id", "service_code", "start_date",
    "end_date", "status", NULL
  };
  g_autoptr (GHashTable) empty = NULL;
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (WhApiKey) key = NULL;
  g_autoptr (GPtrArray) requests = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) ids = NULL;
  g_auto (GStrv) codes = NULL;
  g_auto (GStrv) statuses = NULL;
  WhOpen311Query q = { 0, };
  const char *text;

  if (query == NULL)
    query = empty = g_hash_table_new (g_str_hash, g_str_equal);
  if (!wh_open311_accept_query (msg, format, query, known))
    return;
  if ((key = wh_open311_authenticate (self, msg, format, g_hash_table_lookup (query, "api_key"))) == NULL ||
      !wh_open311_check_jurisdiction (self, msg, format, g_hash_table_lookup (query, "jurisdiction_id"), key))
    return;

  q.street_id = key->street_id;
  q.limit = LIST_LIMIT;
  /* service_request_id overrides every other parameter, as the spec has it. */
  if ((text = g_hash_table_lookup (query, "service_request_id")) != NULL)
    {
      if ((ids = split_list (text, "service_request_id", errors)) != NULL)
        q.ids = (const char *const *) ids;
    }
  else
    {
      if ((text = g_hash_table_lookup (query, "service_code")) != NULL &&
          (codes = split_list (text, "service_code", errors)) != NULL)
        q.service_codes = (const char *const *) codes;
      if ((text = g_hash_table_lookup (query, "status")) != NULL &&
          (statuses = split_list (text, "status", errors)) != NULL)
        {
          gboolean open = FALSE, closed = FALSE;

          for (guint i = 0; statuses[i] != NULL; i++)
            {
              if (g_str_equal (statuses[i], "open"))
                open = TRUE;
              else if (g_str_equal (statuses[i], "closed"))
                closed = TRUE;
              else
                {
                  g_ptr_array_add (errors, g_strdup (_("status must be open, closed or both.")));
                  break;
                }
            }
          q.status = open && !closed ? WH_OPEN311_STATUS_OPEN
                   : closed && !open ? WH_OPEN311_STATUS_CLOSED
                                     : WH_OPEN311_STATUS_ANY;
        }
      read_dates (query, &q.start, &q.end, errors);
    }
  if (errors->len > 0)
    {
      wh_open311_respond_errors (msg, format, SOUP_STATUS_BAD_REQUEST, errors);
      return;
    }

  requests = wh_open311_store_list_requests (self->store, &q, &error);
  if (requests == NULL)
    {
      wh_open311_respond_internal (msg, format, error);
      return;
    }
  respond_requests (msg, format, requests);
}

void
wh_open311_get_request (WhOpen311         *self,
             SoupServerMessage *msg,
             WhOpen311Format    format,
             GHashTable        *query,
             const char        *id,
             gboolean           by_token)
{
  static const char *const known[] = { "api_key", "jurisdiction_id", NULL };
  g_autoptr (WhApiKey) key = NULL;
  g_autoptr (WhOpen311Request) request = NULL;
  g_autoptr (GError) error = NULL;

  if (!wh_open311_is_method (msg, format, "GET"))
    return;
  if (!wh_open311_accept_query (msg, format, query, known))
    return;
  if ((key = wh_open311_authenticate (self, msg, format, query ? g_hash_table_lookup (query, "api_key") : NULL)) == NULL ||
      !wh_open311_check_jurisdiction (self, msg, format, query ? g_hash_table_lookup (query, "jurisdiction_id") : NULL,
                           key))
    return;

  /* Another street's requests are not found, rather than forbidden: a key learns nothing
   * about what exists elsewhere. */
  request = wh_open311_store_get_request (self->store, key->street_id, id, by_token, &error);
  if (request == NULL)
    {
      if (g_error_matches (error, WH_OPEN311_ERROR, WH_OPEN311_ERROR_NOT_FOUND))
        wh_open311_respond_error (msg, format, SOUP_STATUS_NOT_FOUND, error->message);
      else
        wh_open311_respond_internal (msg, format, error);
      return;
    }

  if (by_token)
    {
      g_autoptr (WhOpen311Writer) writer = wh_open311_writer_new (format);

      wh_open311_writer_begin_list (writer, "service_requests");
      wh_open311_writer_begin_object (writer, "request");
      wh_open311_writer_add_string (writer, "service_request_id", request->service_request_id);
      wh_open311_writer_add_string (writer, "token", request->token);
      wh_open311_writer_end_object (writer);
      wh_open311_writer_end_list (writer);
      wh_open311_respond_document (msg, SOUP_STATUS_OK, format, writer);
    }
  else
    {
      g_autoptr (GPtrArray) list = g_ptr_array_new ();

      g_ptr_array_add (list, request);
      respond_requests (msg, format, list);
    }
}

/* The reporter's name from the spec's two fields: Chinese names family name first,
 * without a space; others given name first. */
static char *
reporter_name (const char *first,
               const char *last)
{
  gboolean ascii;

  if (first == NULL || last == NULL)
    return g_strdup (first ? first : last);
  ascii = g_str_is_ascii (first) && g_str_is_ascii (last);
  return ascii ? g_strconcat (first, " ", last, NULL) : g_strconcat (last, first, NULL);
}

/* A digest of every field of a POST but the key: the same Idempotency-Key must come with
 * the same request. */
static char *
request_digest (GHashTable *fields)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GList) names = g_list_sort (g_hash_table_get_keys (fields), (GCompareFunc) strcmp);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *value = g_hash_table_lookup (fields, l->data);

      if (g_str_equal (l->data, "api_key"))
        continue;
      /* Names and values are text without NUL: the separators keep fields apart. */
      g_checksum_update (checksum, l->data, -1);
      g_checksum_update (checksum, (const guchar *) "", 1);
      g_checksum_update (checksum, (const guchar *) value, -1);
      g_checksum_update (checksum, (const guchar *) "", 1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
is_web_url (const char *text)
{
  g_autoptr (GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  return uri != NULL && (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static gboolean
is_phone (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && strchr ("+-() ", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* Reads and checks the fields of a new request; the errors list all that is wrong. */
static void
read_new_request (GHashTable          *fields,
                  WhOpen311NewRequest *request,
                  char               **name,
                  GPtrArray           *errors)
{
  static const char *const known[] = {
    "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id",
    "email", "device_id", "account_id", "first_name", "last_name", "phone", "description",
    "media_url", NULL
  };
  GHashTableIter iter;
  const char *field;
  const char *lat = g_hash_table_lookup (fields, "lat");
  const char *lon = g_hash_table_lookup (fields, "long");
  const char *first, *last;

  wh_open311_only_known (fields, known, TRUE, errors);
  /* No service has attributes (metadata is false): an attribute is a mistake, not a detail
   * to drop silently. */
  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, (gpointer *) &field, NULL))
    if (g_str_has_prefix (field, "attribute["))
      {
        if (wh_open311_is_clean_text (field, FALSE, 64))
          g_ptr_array_add (errors, g_strdup_printf (_("The service has no attribute “%s”."), field));
        else
          g_ptr_array_add (errors, g_strdup (_("The service has no attributes.")));
      }

  request->service_code = wh_open311_text_field (fields, "service_code", FALSE, 32, errors);
  if (request->service_code == NULL && g_hash_table_lookup (fields, "service_code") == NULL)
    g_ptr_array_add (errors, g_strdup (_("service_code was not provided.")));

  if (lat != NULL || lon != NULL)
    {
      if (!parse_degrees (lat, -90, 90, &request->lat) || !parse_degrees (lon, -180, 180, &request->lon))
        g_ptr_array_add (errors, g_strdup (_("lat and long must both be given, as decimal degrees "
                                             "(WGS84) in range.")));
      else
        request->has_location = TRUE;
    }
  request->address = wh_open311_text_field (fields, "address_string", FALSE, MAX_ADDRESS_CHARS, errors);
  if (!request->has_location && request->address == NULL && lat == NULL && lon == NULL &&
      g_hash_table_lookup (fields, "address_string") == NULL)
    g_ptr_array_add (errors, g_strdup (g_hash_table_lookup (fields, "address_id") != NULL
                                       ? _("address_id is not supported here: send lat and long, or "
                                           "address_string.")
                                       : _("A location is required: lat and long, or address_string.")));

  request->description = wh_open311_text_field (fields, "description", TRUE, MAX_DESCRIPTION_CHARS, errors);
  first = wh_open311_text_field (fields, "first_name", FALSE, MAX_NAME_CHARS, errors);
  last = wh_open311_text_field (fields, "last_name", FALSE, MAX_NAME_CHARS, errors);
  *name = reporter_name (first, last);
  request->reporter_name = *name;
  request->reporter_phone = wh_open311_text_field (fields, "phone", FALSE, MAX_PHONE_CHARS, errors);
  if (request->reporter_phone != NULL && !is_phone (request->reporter_phone))
    g_ptr_array_add (errors, g_strdup (_("phone may hold only digits, spaces and + - ( ).")));
  request->email = wh_open311_text_field (fields, "email", FALSE, MAX_EMAIL_CHARS, errors);
  if (request->email != NULL && strchr (request->email, '@') == NULL)
    g_ptr_array_add (errors, g_strdup (_("email is not an e-mail address.")));
  request->media_url = wh_open311_text_field (fields, "media_url", FALSE, MAX_URL_CHARS, errors);
  if (request->media_url != NULL && !is_web_url (request->media_url))
    g_ptr_array_add (errors, g_strdup (_("media_url must be an http or https address.")));
  /* Identify the client's device and account for the client; the street has no use for
   * them, but they must still be sane. */
  wh_open311_text_field (fields, "device_id", FALSE, MAX_ID_CHARS, errors);
  wh_open311_text_field (fields, "account_id", FALSE, MAX_ID_CHARS, errors);
}

/* The Idempotency-Key header: 1–255 visible ASCII characters, or none. */
static gboolean
read_idempotency_key (SoupServerMessage *msg,
                      const char       **value)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Idempotency-Key");

  *value = NULL;
  if (header == NULL)
    return TRUE;
  if (*header == '\0' || strlen (header) > MAX_IDEMPOTENCY_CHARS)
    return FALSE;
  for (const char *p = header; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7e)
      return FALSE;
  *value = header;
  return TRUE;
}

void
wh_open311_create_request (WhOpen311         *self,
                SoupServerMessage *msg,
                WhOpen311Format    format,
                GHashTable        *query)
{
  static const char *const query_known[] = { "api_key", "jurisdiction_id", NULL };
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GHashTable) fields = NULL;
  g_autoptr (WhApiKey) key = NULL;
  g_autoptr (WhOpen311Request) created = NULL;
  g_autoptr (WhOpen311Writer) writer = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *name = NULL;
  g_autofree char *digest = NULL;
  WhOpen311NewRequest request = { 0, };
  const char *content_type;
  const char *api_key;
  const char *jurisdiction;
  gboolean replayed = FALSE;
  gint64 seq = 0;
  gsize length;

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/x-www-form-urlencoded") != 0)
    {
      wh_open311_respond_error (msg, format, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                     _("The request must be form fields (Content-Type: application/x-www-form-urlencoded)."));
      return;
    }
  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  body = g_strndup (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));
  if (strlen (body) != length)
    {
      wh_open311_respond_error (msg, format, SOUP_STATUS_BAD_REQUEST, _("The request body is not form fields."));
      return;
    }
  fields = soup_form_decode (body);

  /* The key may come with the fields (as the spec has it) or in the address. */
  api_key = g_hash_table_lookup (fields, "api_key");
  if (api_key == NULL && query != NULL)
    api_key = g_hash_table_lookup (query, "api_key");
  if (!wh_open311_accept_query (msg, format, query, query_known))
    return;
  if ((key = wh_open311_authenticate (self, msg, format, api_key)) == NULL)
    return;
  jurisdiction = g_hash_table_lookup (fields, "jurisdiction_id");
  if (jurisdiction == NULL && query != NULL)
    jurisdiction = g_hash_table_lookup (query, "jurisdiction_id");
  if (!wh_open311_check_jurisdiction (self, msg, format, jurisdiction, key))
    return;

  read_new_request (fields, &request, &name, errors);
  if (!read_idempotency_key (msg, &request.idempotency_key))
    g_ptr_array_add (errors, g_strdup (_("The Idempotency-Key header must be 1 to 255 visible "
                                         "ASCII characters.")));
  if (errors->len > 0)
    {
      wh_open311_respond_errors (msg, format, SOUP_STATUS_BAD_REQUEST, errors);
      return;
    }
  digest = request_digest (fields);
  request.request_hash = digest;

  created = wh_open311_store_create_request (self->store, key, &request, g_get_real_time (),
                                             &replayed, &seq, &error);
  if (created == NULL)
    {
      if (g_error_matches (error, WH_OPEN311_ERROR, WH_OPEN311_ERROR_KEY_REUSED))
        wh_open311_respond_error (msg, format, STATUS_UNPROCESSABLE, error->message);
      else if (error->domain == WH_OPEN311_ERROR || error->domain == WH_INCIDENT_ERROR)
        wh_open311_respond_error (msg, format, SOUP_STATUS_BAD_REQUEST, error->message);
      else
        wh_open311_respond_internal (msg, format, error);
      return;
    }

  if (replayed)
    {
      /* The first answer again; the header tells a careful client it was a retry. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Idempotent-Replayed", "true");
      g_message ("Open311 request %s sent again by key %" G_GINT64_FORMAT ": nothing written",
                 created->service_request_id, key->id);
    }
  else
    g_message ("Open311 request %s (%s) from key %" G_GINT64_FORMAT " (%s) reported in street %s",
               created->service_request_id, created->service_code, key->id, key->name, key->street_id);

  writer = wh_open311_writer_new (format);
  wh_open311_writer_begin_list (writer, "service_requests");
  wh_open311_writer_begin_object (writer, "request");
  wh_open311_writer_add_string (writer, "service_request_id", created->service_request_id);
  wh_open311_writer_add_string (writer, "token", created->token);
  wh_open311_writer_add_string (writer, "service_notice", NULL);
  wh_open311_writer_add_string (writer, "account_id", NULL);
  wh_open311_writer_end_object (writer);
  wh_open311_writer_end_list (writer);
  wh_open311_respond_document (msg, SOUP_STATUS_OK, format, writer);

  if (!replayed)
    wh_open311_emit_incident_created (self, created->street_id, created->incident_id, seq);
}
