/* test-open311.c — the Open311 GeoReport v2 face of the district server, run for real
 *
 * Two demo streets, API keys made with the admin command, the built whistle-server on a
 * loopback port. Outside systems talk to /open311/v2 in JSON and XML (the XML read with
 * GMarkup, a real parser); the desk's side is the API v1 and whistlectl, the same sync the
 * desk runs. What the server wrote is checked in its database through our own connection.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "server-harness.h"
#include "wh-op.h"
#include "wh-wire.h"

#define STREET_A  "110102099"
#define STREET_B  "110102098"
#define PASSWORD  "secret-password"

static char        *tmp_dir;
static char        *main_db;
static TestServer  *main_server;
static SoupSession *session;

static char        *token_a;      /* duty officer of street A */
static char        *key_a;        /* "12345 hotline" of street A */
static char        *key_a_app;    /* a citizen app of street A, source community */
static char        *key_b;        /* street B's hotline */
static char        *key_revoked;  /* street A, revoked */

static char        *service_code; /* a subcategory that needs no legal review */
static char        *service_name;
static char        *service_group;
static char        *class_code;   /* a first-level code: no service */
static guint        n_services;
static char        *unit_a;       /* a unit of street A */
static char        *unit_a_name;
static char        *grid_a;       /* a grid cell of street A, and a point inside it */
static double       grid_a_lon;
static double       grid_a_lat;
static double       grid_b_lon;   /* a point inside a cell of street B */
static double       grid_b_lat;

/* Helpers: HTTP */

typedef struct {
  guint     status;
  char     *body;
  gsize     length;
  char     *content_type;
  char     *replayed;     /* the Idempotent-Replayed header */
  char     *retry_after;
  JsonNode *json;
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->body);
  g_free (reply->content_type);
  g_free (reply->replayed);
  g_free (reply->retry_after);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* Sends a request to the main server; @body goes as form fields unless @content_type says. */
static Reply *
send_full (TestServer *server,
           const char *method,
           const char *path,
           const char *content_type,
           const char *body,
           gssize      body_length,
           const char *idempotency_key)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;
  Reply *reply = g_new0 (Reply, 1);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr (GBytes) request = g_bytes_new (body, body_length < 0 ? strlen (body) : (gsize) body_length);

      soup_message_set_request_body_from_bytes (msg, content_type ? content_type
                                                                  : "application/x-www-form-urlencoded",
                                                request);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key",
                                  idempotency_key);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  reply->length = g_bytes_get_size (bytes);
  headers = soup_message_get_response_headers (msg);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->replayed = g_strdup (soup_message_headers_get_one (headers, "Idempotent-Replayed"));
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  if (g_strcmp0 (reply->content_type, "application/json") == 0)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, reply->body, reply->length, &error));
      g_assert_no_error (error);
      reply->json = json_parser_steal_root (parser);
    }
  return reply;
}

static Reply *
get (const char *path)
{
  return send_full (main_server, "GET", path, NULL, NULL, -1, NULL);
}

static Reply *
post (const char *path,
      const char *body)
{
  return send_full (main_server, "POST", path, NULL, body, -1, NULL);
}

/* A form body from NULL-terminated name, value pairs (a NULL value leaves the field out). */
static char *
form (const char *first_name,
      ...)
{
  g_autoptr (GString) out = g_string_new (NULL);
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        {
          g_autofree char *n = g_uri_escape_string (name, NULL, FALSE);
          g_autofree char *v = g_uri_escape_string (value, NULL, FALSE);

          g_string_append_printf (out, "%s%s=%s", out->len > 0 ? "&" : "", n, v);
        }
      name = va_arg (args, const char *);
    }
  va_end (args);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
degrees (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.7f", value));
}

static JsonArray *
reply_array (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (reply->json));
  return json_node_get_array (reply->json);
}

/* Checks a JSON error answer: the status, the spec's list of {code, description}, with the
 * HTTP status as each code; returns the first description. */
static const char *
assert_json_error (Reply *reply,
                   guint  status)
{
  JsonArray *errors;

  if (reply->status != status)
    g_error ("expected %u, got %u: %s", status, reply->status, reply->body);
  g_assert_cmpstr (reply->content_type, ==, "application/json");
  errors = reply_array (reply);
  g_assert_cmpuint (json_array_get_length (errors), >=, 1);
  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonObject *error = json_array_get_object_element (errors, i);

      g_assert_cmpint (json_object_get_int_member (error, "code"), ==, status);
      g_assert_cmpstr (json_object_get_string_member (error, "description"), !=, "");
    }
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "description");
}

/* Helpers: XML, read with GMarkup into a small tree */

typedef struct _XNode XNode;
struct _XNode {
  char      *name;
  GString   *text;
  GPtrArray *children;
  XNode     *parent;
};

static XNode *
xnode_new (const char *name,
           XNode      *parent)
{
  XNode *node = g_new0 (XNode, 1);

  node->name = g_strdup (name);
  node->text = g_string_new (NULL);
  node->children = g_ptr_array_new ();
  node->parent = parent;
  return node;
}

static void
xnode_free (XNode *node)
{
  for (guint i = 0; i < node->children->len; i++)
    xnode_free (node->children->pdata[i]);
  g_ptr_array_unref (node->children);
  g_string_free (node->text, TRUE);
  g_free (node->name);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XNode, xnode_free)

static void
x_start (GMarkupParseContext *context,
         const char          *name,
         const char         **attribute_names,
         const char         **attribute_values,
         gpointer             user_data,
         GError             **error)
{
  XNode **current = user_data;
  XNode *node = xnode_new (name, *current);

  g_ptr_array_add ((*current)->children, node);
  *current = node;
}

static void
x_end (GMarkupParseContext *context,
       const char          *name,
       gpointer             user_data,
       GError             **error)
{
  XNode **current = user_data;

  *current = (*current)->parent;
}

static void
x_text (GMarkupParseContext *context,
        const char          *text,
        gsize                length,
        gpointer             user_data,
        GError             **error)
{
  XNode **current = user_data;

  g_string_append_len ((*current)->text, text, length);
}

/* Parses an XML answer; returns its root element. */
static XNode *
parse_xml (Reply *reply)
{
  static const GMarkupParser parser = { x_start, x_end, x_text, NULL, NULL };
  g_autoptr (XNode) document = xnode_new ("#document", NULL);
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GError) error = NULL;
  XNode *current = document;
  XNode *root;

  g_assert_cmpstr (reply->content_type, ==, "text/xml");
  g_assert_true (g_str_has_prefix (reply->body, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &current, NULL);
  g_markup_parse_context_parse (context, reply->body, reply->length, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (document->children->len, ==, 1);
  root = g_ptr_array_steal_index (document->children, 0);
  root->parent = NULL;
  return root;
}

/* The text of @node's only child element @name; NULL when it has none. */
static const char *
x_child_text (XNode      *node,
              const char *name)
{
  const char *text = NULL;

  for (guint i = 0; i < node->children->len; i++)
    {
      XNode *child = node->children->pdata[i];

      if (g_str_equal (child->name, name))
        {
          g_assert_null (text); /* one of each */
          text = child->text->str;
        }
    }
  return text;
}

static void
assert_xml_error (Reply *reply,
                  guint  status)
{
  g_autoptr (XNode) root = NULL;
  XNode *error;

  g_assert_cmpuint (reply->status, ==, status);
  root = parse_xml (reply);
  g_assert_cmpstr (root->name, ==, "errors");
  g_assert_cmpuint (root->children->len, >=, 1);
  error = root->children->pdata[0];
  g_assert_cmpstr (error->name, ==, "error");
  g_assert_cmpint (g_ascii_strtoll (x_child_text (error, "code"), NULL, 10), ==, status);
  g_assert_cmpstr (x_child_text (error, "description"), !=, "");
}

/* Helpers: the database */

static char *
db_text (const char *sql,
         const char *param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (main_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Everything a request could write: a change here is "something was written". */
static gint64
write_fingerprint (void)
{
  return test_db_count (main_db,
                        "SELECT (SELECT count(*) FROM incident) * 1000000 + "
                        "(SELECT count(*) FROM incident_event) * 1000 + "
                        "(SELECT count(*) FROM open311_request) + "
                        "(SELECT coalesce (max (seq), 0) FROM change_log) * 1000000000", NULL);
}

/* Helpers: the desk's API */

static JsonObject *
organisation (const char *token,
              TestReply **keep)
{
  g_autofree char *url = g_strconcat (main_server->url, "/api/v1/organisation", NULL);

  *keep = test_request (session, "GET", url, token, NULL, NULL, -1);
  g_assert_cmpuint ((*keep)->status, ==, 200);
  return test_reply_object (*keep);
}

static void
learn_organisation (void)
{
  g_autofree char *token_b = test_login (session, main_server->url, "duty_b", PASSWORD);
  g_autoptr (TestReply) reply_a = NULL;
  g_autoptr (TestReply) reply_b = NULL;
  JsonObject *org_a = organisation (token_a, &reply_a);
  JsonObject *org_b = organisation (token_b, &reply_b);
  JsonArray *categories = json_object_get_array_member (org_a, "categories");
  JsonObject *unit = json_array_get_object_element (json_object_get_array_member (org_a, "units"), 0);
  JsonObject *cell_a = json_array_get_object_element (json_object_get_array_member (org_a, "grid_cells"), 0);
  JsonObject *cell_b = json_array_get_object_element (json_object_get_array_member (org_b, "grid_cells"), 0);
  g_autofree char *parent = NULL;

  for (guint i = 0; i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);

      if (json_object_get_null_member (c, "parent_code"))
        {
          if (class_code == NULL)
            class_code = g_strdup (json_object_get_string_member (c, "code"));
          continue;
        }
      n_services++;
      if (service_code == NULL && json_object_get_int_member (c, "major") == 0)
        {
          service_code = g_strdup (json_object_get_string_member (c, "code"));
          service_name = g_strdup (json_object_get_string_member (c, "name"));
        }
    }
  g_assert_nonnull (service_code);
  g_assert_nonnull (class_code);
  parent = db_text ("SELECT parent_code FROM category WHERE code = ?", service_code);
  for (guint i = 0; i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);

      if (g_strcmp0 (json_object_get_string_member (c, "code"), parent) == 0)
        service_group = g_strdup (json_object_get_string_member (c, "name"));
    }
  g_assert_nonnull (service_group);

  unit_a = g_strdup (json_object_get_string_member (unit, "id"));
  unit_a_name = g_strdup (json_object_get_string_member (unit, "name"));
  grid_a = g_strdup (json_object_get_string_member (cell_a, "id"));
  grid_a_lon = json_object_get_double_member (cell_a, "centroid_lon");
  grid_a_lat = json_object_get_double_member (cell_a, "centroid_lat");
  grid_b_lon = json_object_get_double_member (cell_b, "centroid_lon");
  grid_b_lat = json_object_get_double_member (cell_b, "centroid_lat");
}

/* Applies one op of the desk's API as the duty officer of street A; returns the new rev. */
/* Applies an op of the street's desk through /api/v1/ops; @strings are more of its fields,
 * name then value, NULL-terminated (or NULL). Returns the incident's new revision. */
static gint64
apply_op_with (WhAction           action,
               const char        *incident_id,
               gint64             base_rev,
               const char        *unit_id,
               const char        *note,
               const char *const *strings)
{
  g_autoptr (WhActor) actor = wh_actor_new ("desk", "Desk", WH_ROLE_DUTY_OFFICER, NULL);
  g_autoptr (WhOp) op = wh_op_new (action, incident_id, actor, g_get_real_time ());
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (TestReply) reply = NULL;
  g_autofree char *body = NULL;
  g_autofree char *url = g_strconcat (main_server->url, "/api/v1/ops", NULL);
  JsonObject *result;

  op->base_rev = base_rev;
  op->unit_id = g_strdup (unit_id);
  op->note = g_strdup (note);
  if (action == WH_ACTION_WHISTLE)
    wh_op_set_string (op, "lead_unit_id", unit_id);
  if (action == WH_ACTION_WHISTLE)
    g_clear_pointer (&op->unit_id, g_free);
  for (guint i = 0; strings != NULL && strings[i] != NULL; i += 2)
    wh_op_set_string (op, strings[i], strings[i + 1]);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  json_builder_add_value (b, wh_op_to_json (op));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);

  reply = test_request (session, "POST", url, token_a, NULL, body, -1);
  g_assert_cmpuint (reply->status, ==, 200);
  result = json_array_get_object_element (json_object_get_array_member (test_reply_object (reply), "results"), 0);
  if (g_strcmp0 (json_object_get_string_member (result, "result"), "applied") != 0)
    g_error ("%s was not applied: %s", wh_action_to_string (action),
             json_object_get_string_member_with_default (result, "reason", "?"));
  return json_object_get_int_member (result, "rev");
}

static gint64
apply_op (WhAction    action,
          const char *incident_id,
          gint64      base_rev,
          const char *unit_id,
          const char *note)
{
  return apply_op_with (action, incident_id, base_rev, unit_id, note, NULL);
}

/* Helpers: Open311 */

/* Reports a request with @key in street A's first grid cell; asserts success and returns
 * the service_request_id (and the token). */
static char *
report (const char  *key,
        const char  *description,
        char       **token)
{
  g_autofree char *lon = degrees (grid_a_lon);
  g_autofree char *lat = degrees (grid_a_lat);
  g_autofree char *body = form ("api_key", key, "service_code", service_code, "lat", lat, "long", lon,
                                "description", description, NULL);
  g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);
  JsonObject *answer;

  if (reply->status != 200)
    g_error ("the report failed: %u %s", reply->status, reply->body);
  answer = json_array_get_object_element (reply_array (reply), 0);
  if (token != NULL)
    *token = g_strdup (json_object_get_string_member (answer, "token"));
  return g_strdup (json_object_get_string_member (answer, "service_request_id"));
}

/* GET requests.json for one id with @key; returns the request's object (owned by @reply). */
static JsonObject *
read_request (const char *key,
              const char *id,
              Reply     **keep)
{
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%s.json?api_key=%s", id, key);
  JsonArray *list;

  *keep = get (path);
  g_assert_cmpuint ((*keep)->status, ==, 200);
  list = reply_array (*keep);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  return json_array_get_object_element (list, 0);
}

/* Tests */

static void
test_services (void)
{
  g_autoptr (Reply) json = get ("/open311/v2/services.json");
  g_autoptr (Reply) xml = get ("/open311/v2/services.xml?jurisdiction_id=" STREET_A);
  g_autoptr (Reply) definition = NULL;
  g_autoptr (Reply) definition_xml = NULL;
  g_autoptr (Reply) unknown = NULL;
  g_autoptr (Reply) class = NULL;
  g_autoptr (Reply) nowhere = NULL;
  g_autoptr (XNode) root = NULL;
  g_autoptr (XNode) def_root = NULL;
  g_autoptr (GHashTable) json_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = NULL;
  JsonArray *services;
  JsonObject *object;
  gboolean found = FALSE;

  /* The catalogue is public: no api_key. */
  g_assert_cmpuint (json->status, ==, 200);
  services = reply_array (json);
  g_assert_cmpuint (json_array_get_length (services), ==, n_services);
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);
      const char *code = json_object_get_string_member (service, "service_code");

      g_hash_table_add (json_codes, g_strdup (code));
      g_assert_false (json_object_get_boolean_member (service, "metadata"));
      g_assert_cmpstr (json_object_get_string_member (service, "type"), ==, "realtime");
      g_assert_cmpstr (json_object_get_string_member (service, "service_name"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (service, "description"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (service, "group"), !=, "");
      g_assert_cmpstr (code, !=, class_code);
      if (g_str_equal (code, service_code))
        {
          /* The names come from the catalogue, in Chinese. */
          g_assert_cmpstr (json_object_get_string_member (service, "service_name"), ==, service_name);
          g_assert_cmpstr (json_object_get_string_member (service, "group"), ==, service_group);
          g_assert_false (g_str_is_ascii (service_name));
          found = TRUE;
        }
    }
  g_assert_true (found);

  /* The same list in XML, read by a real parser. */
  g_assert_cmpuint (xml->status, ==, 200);
  root = parse_xml (xml);
  g_assert_cmpstr (root->name, ==, "services");
  g_assert_cmpuint (root->children->len, ==, n_services);
  for (guint i = 0; i < root->children->len; i++)
    {
      XNode *service = root->children->pdata[i];

      g_assert_cmpstr (service->name, ==, "service");
      g_assert_true (g_hash_table_contains (json_codes, x_child_text (service, "service_code")));
      g_assert_cmpstr (x_child_text (service, "metadata"), ==, "false");
      g_assert_cmpstr (x_child_text (service, "type"), ==, "realtime");
      if (g_str_equal (x_child_text (service, "service_code"), service_code))
        {
          g_assert_cmpstr (x_child_text (service, "service_name"), ==, service_name);
          g_assert_cmpstr (x_child_text (service, "group"), ==, service_group);
        }
    }

  /* A service's definition: it asks for no attributes. */
  path = g_strdup_printf ("/open311/v2/services/%s.json", service_code);
  definition = get (path);
  g_assert_cmpuint (definition->status, ==, 200);
  object = json_node_get_object (definition->json);
  g_assert_cmpstr (json_object_get_string_member (object, "service_code"), ==, service_code);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "attributes")), ==, 0);
  g_free (path);
  path = g_strdup_printf ("/open311/v2/services/%s.xml", service_code);
  definition_xml = get (path);
  def_root = parse_xml (definition_xml);
  g_assert_cmpstr (def_root->name, ==, "service_definition");
  g_assert_cmpstr (x_child_text (def_root, "service_code"), ==, service_code);
  g_assert_nonnull (x_child_text (def_root, "attributes"));

  unknown = get ("/open311/v2/services/no-such-code.json");
  assert_json_error (unknown, 404);
  g_free (path);
  path = g_strdup_printf ("/open311/v2/services/%s.xml", class_code);
  class = get (path);
  assert_xml_error (class, 404);
  nowhere = get ("/open311/v2/services.json?jurisdiction_id=999999999");
  assert_json_error (nowhere, 404);
}

static void
test_report_and_sync (void)
{
  g_autofree char *lon = degrees (grid_a_lon);
  g_autofree char *lat = degrees (grid_a_lat);
  g_autofree char *body = form ("api_key", key_a, "jurisdiction_id", STREET_A, "service_code", service_code,
                                "lat", lat, "long", lon, "address_string", "西城区德胜门内大街 12 号",
                                "description", "门口有人占道经营，\n堵住了人行道。",
                                "first_name", "小明", "last_name", "王", "phone", "+86 138-0000-0000",
                                "email", "wang@example.cn", "media_url", "https://example.cn/p/1.jpg", NULL);
  g_autoptr (Reply) reply = NULL;
  g_autoptr (Reply) token_reply = NULL;
  g_autoptr (Reply) listed = NULL;
  g_autoptr (Reply) xml = NULL;
  g_autoptr (XNode) root = NULL;
  g_autofree char *incident_id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *answer;
  JsonObject *request;
  const char *id;
  const char *token;

  reply = post ("/open311/v2/requests.json", body);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_null (reply->replayed);
  answer = json_array_get_object_element (reply_array (reply), 0);
  id = json_object_get_string_member (answer, "service_request_id");
  token = json_object_get_string_member (answer, "token");
  g_assert_true (g_str_has_prefix (id, STREET_A "-"));
  g_assert_nonnull (token);
  g_assert_true (json_object_get_null_member (answer, "account_id"));

  /* A normal incident of street A's queue: reported, revision 1, in the feed. */
  incident_id = db_text ("SELECT id FROM incident WHERE number = ?", id);
  g_assert_nonnull (incident_id);
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident WHERE id = ? AND street_id = '"
                                  STREET_A "' AND status = 'reported' AND rev = 1 AND source = 'hotline'",
                                  incident_id), ==, 1);
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM change_log WHERE entity_id = ?", incident_id), ==, 1);
  /* The grid cell from the point, the category from the service, the title from both. */
  {
    g_autofree char *grid = db_text ("SELECT grid_id FROM incident WHERE id = ?", incident_id);
    g_autofree char *category = db_text ("SELECT category_code FROM incident WHERE id = ?", incident_id);

    g_assert_cmpstr (grid, ==, grid_a);
    g_assert_cmpstr (category, ==, service_code);
  }
  title = db_text ("SELECT title FROM incident WHERE id = ?", incident_id);
  g_assert_true (g_str_has_prefix (title, service_name));
  g_assert_nonnull (strstr (title, "门口有人占道经营"));
  g_assert_null (strchr (title, '\n'));
  {
    g_autofree char *name = db_text ("SELECT reporter_name FROM incident WHERE id = ?", incident_id);
    g_autofree char *actor = db_text ("SELECT actor_name FROM incident_event WHERE incident_id = ?", incident_id);

    g_assert_cmpstr (name, ==, "王小明");
    g_assert_cmpstr (actor, ==, "12345 hotline");
  }

  /* tokens/{token} gives the id back. */
  path = g_strdup_printf ("/open311/v2/tokens/%s.json?api_key=%s", token, key_a);
  token_reply = get (path);
  g_assert_cmpuint (token_reply->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reply_array (token_reply), 0),
                                                  "service_request_id"), ==, id);

  /* Read back in JSON and XML: the public fields, never the reporter's contact. */
  request = read_request (key_a, id, &listed);
  g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (request, "service_code"), ==, service_code);
  g_assert_cmpstr (json_object_get_string_member (request, "service_name"), ==, service_name);
  g_assert_cmpstr (json_object_get_string_member (request, "address"), ==, "西城区德胜门内大街 12 号");
  g_assert_cmpstr (json_object_get_string_member (request, "media_url"), ==, "https://example.cn/p/1.jpg");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (request, "requested_datetime"), "+08:00"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (request, "lat"), grid_a_lat, 1e-6);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (request, "long"), grid_a_lon, 1e-6);
  g_assert_null (strstr (listed->body, "13800000000"));
  g_assert_null (strstr (listed->body, "138-0000"));
  g_assert_null (strstr (listed->body, "wang@example"));
  g_assert_null (strstr (listed->body, "小明"));

  g_free (path);
  path = g_strdup_printf ("/open311/v2/requests.xml?api_key=%s&service_request_id=%s", key_a, id);
  xml = get (path);
  g_assert_cmpuint (xml->status, ==, 200);
  root = parse_xml (xml);
  g_assert_cmpstr (root->name, ==, "service_requests");
  g_assert_cmpuint (root->children->len, ==, 1);
  g_assert_cmpstr (((XNode *) root->children->pdata[0])->name, ==, "request");
  g_assert_cmpstr (x_child_text (root->children->pdata[0], "service_request_id"), ==, id);
  g_assert_cmpstr (x_child_text (root->children->pdata[0], "description"), ==,
                   "门口有人占道经营，\n堵住了人行道。\n\nhttps://example.cn/p/1.jpg");
  g_assert_null (strstr (xml->body, "138-0000"));

  /* A desk syncs with the same engine as ever and has it, like any other incident. */
  cache = g_build_filename (tmp_dir, "desk.db", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "WHISTLE_TOKEN", token_a, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("WHISTLECTL"), "--cache", cache,
                                         "--server", main_server->url, "--user", "duty_a", "--no-keyring",
                                         "sync-once", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("whistlectl: %s%s", stdout_text, stderr_text);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpint (test_db_count (cache, "SELECT count(*) FROM incident WHERE number = ? AND source = 'hotline' "
                                  "AND status = 'reported' AND reporter_phone = '+86 138-0000-0000'", id), ==, 1);
  g_assert_cmpint (test_db_count (cache, "SELECT count(*) FROM incident_event e JOIN incident i "
                                  "ON i.id = e.incident_id WHERE i.number = ? AND e.action = 'report' "
                                  "AND e.actor_name = '12345 hotline'", id), ==, 1);
}

static void
test_status_follows_lifecycle (void)
{
  g_autofree char *token = NULL;
  g_autofree char *id = report (key_a, "路灯不亮", &token);
  g_autofree char *incident_id = db_text ("SELECT id FROM incident WHERE number = ?", id);
  g_autofree char *open_path = g_strdup_printf ("/open311/v2/requests.json?api_key=%s&status=open", key_a);
  g_autofree char *closed_path = g_strdup_printf ("/open311/v2/requests.json?api_key=%s&status=closed", key_a);
  g_autofree char *updated_before = NULL;
  gint64 rev = 1;

  {
    g_autoptr (Reply) keep = NULL;
    JsonObject *request = read_request (key_a, id, &keep);

    g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "open");
    g_assert_cmpstr (json_object_get_string_member (request, "status_notes"), ==, "");
    g_assert_cmpstr (json_object_get_string_member (request, "agency_responsible"), ==, "");
    g_assert_true (json_object_get_null_member (request, "expected_datetime"));
    updated_before = g_strdup (json_object_get_string_member (request, "updated_datetime"));
  }

  rev = apply_op (WH_ACTION_REGISTER, incident_id, rev, NULL, NULL);
  rev = apply_op (WH_ACTION_WHISTLE, incident_id, rev, unit_a, NULL);
  rev = apply_op (WH_ACTION_ACKNOWLEDGE, incident_id, rev, unit_a, NULL);
  rev = apply_op (WH_ACTION_START, incident_id, rev, unit_a, NULL);
  rev = apply_op (WH_ACTION_FEEDBACK, incident_id, rev, unit_a, "已更换灯泡，恢复照明。");
  /* A note of the street's own is not for the public. */
  rev = apply_op (WH_ACTION_NOTE, incident_id, rev, NULL, "内部：下周复查线路");

  {
    g_autoptr (Reply) keep = NULL;
    JsonObject *request = read_request (key_a, id, &keep);

    /* Resolved, not yet verified: still open, with the feedback as its notes. */
    g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "open");
    g_assert_cmpstr (json_object_get_string_member (request, "status_notes"), ==, "已更换灯泡，恢复照明。");
    g_assert_cmpstr (json_object_get_string_member (request, "agency_responsible"), ==, unit_a_name);
    g_assert_false (json_object_get_null_member (request, "expected_datetime"));
    g_assert_null (strstr (keep->body, "内部"));
  }
  {
    g_autoptr (Reply) open_list = get (open_path);
    g_autoptr (Reply) closed_list = get (closed_path);

    g_assert_nonnull (strstr (open_list->body, id));
    g_assert_null (strstr (closed_list->body, id));
  }

  rev = apply_op (WH_ACTION_VERIFY_PASS, incident_id, rev, NULL, NULL);
  rev = apply_op (WH_ACTION_CLOSE, incident_id, rev, NULL, NULL);

  {
    g_autoptr (Reply) keep = NULL;
    JsonObject *request = read_request (key_a, id, &keep);

    g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "closed");
    g_assert_cmpstr (json_object_get_string_member (request, "status_notes"), ==, "已更换灯泡，恢复照明。");
    g_assert_cmpstr (json_object_get_string_member (request, "updated_datetime"), >=, updated_before);
  }
  {
    g_autoptr (Reply) open_list = get (open_path);
    g_autoptr (Reply) closed_list = get (closed_path);
    g_autofree char *xml_path = g_strdup_printf ("/open311/v2/requests.xml?api_key=%s&status=closed", key_a);
    g_autoptr (Reply) closed_xml = get (xml_path);
    g_autoptr (XNode) root = parse_xml (closed_xml);
    gboolean found = FALSE;

    g_assert_null (strstr (open_list->body, id));
    g_assert_nonnull (strstr (closed_list->body, id));
    for (guint i = 0; i < root->children->len; i++)
      if (g_strcmp0 (x_child_text (root->children->pdata[i], "service_request_id"), id) == 0)
        {
          g_assert_cmpstr (x_child_text (root->children->pdata[i], "status"), ==, "closed");
          found = TRUE;
        }
    g_assert_true (found);
  }
  g_assert_cmpint (rev, ==, 9);
}

/* A reporter merged into a request from the desk (the duplicate hint's "merge into") is as
 * private as the first: neither their name, number nor the desk's note reaches Open311. */
static void
test_merged_reporter_private (void)
{
  g_autofree char *token = NULL;
  g_autofree char *id = report (key_a, "井盖缺失", &token);
  g_autofree char *incident_id = db_text ("SELECT id FROM incident WHERE number = ?", id);
  g_autofree char *xml_path =
    g_strdup_printf ("/open311/v2/requests.xml?api_key=%s&service_request_id=%s", key_a, id);
  const char *const merged[] = { "source", "hotline", "reporter_name", "李秀兰",
                                 "reporter_phone", "+86 139-1111-2222", NULL };
  g_autoptr (Reply) listed = NULL;
  g_autoptr (Reply) xml = NULL;
  JsonObject *request;
  gint64 rev;

  rev = apply_op_with (WH_ACTION_ADD_REPORTER, incident_id, 1, NULL, "同一井盖，第二位居民来电",
                       merged);
  g_assert_cmpint (rev, ==, 2);
  /* On the server the merge is a step of the incident, with its reporter. */
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident_event WHERE incident_id = ? "
                                  "AND action = 'add_reporter' AND payload LIKE '%139-1111-2222%'",
                                  incident_id), ==, 1);

  request = read_request (key_a, id, &listed);
  g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "open");
  xml = get (xml_path);
  g_assert_cmpuint (xml->status, ==, 200);
  for (guint i = 0; i < 2; i++)
    {
      const char *body = i == 0 ? listed->body : xml->body;

      g_assert_null (strstr (body, "李秀兰"));
      g_assert_null (strstr (body, "139-1111"));
      g_assert_null (strstr (body, "13911112222"));
      g_assert_null (strstr (body, "第二位居民"));
    }
}

static void
test_bad_requests (void)
{
  g_autofree char *lon = degrees (grid_a_lon);
  g_autofree char *lat = degrees (grid_a_lat);
  g_autofree char *far_lon = degrees (0.5);
  g_autofree char *far_lat = degrees (0.5);
  g_autofree char *long_text = NULL;
  gint64 before = write_fingerprint ();
  GString *big = g_string_new (NULL);

  /* No key, an unknown key, a revoked one: the spec's 403, in both formats. */
  {
    g_autofree char *body = form ("service_code", service_code, "lat", lat, "long", lon, NULL);
    g_autoptr (Reply) json = post ("/open311/v2/requests.json", body);
    g_autoptr (Reply) xml = post ("/open311/v2/requests.xml", body);

    assert_json_error (json, 403);
    assert_xml_error (xml, 403);
  }
  {
    g_autofree char *body = form ("api_key", "0123456789abcdef0123456789abcdef", "service_code", service_code,
                                  "lat", lat, "long", lon, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 403);
  }
  {
    g_autofree char *body = form ("api_key", key_revoked, "service_code", service_code, "lat", lat, "long", lon, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.xml", body);
    g_autofree char *path = g_strdup_printf ("/open311/v2/requests.json?api_key=%s", key_revoked);
    g_autoptr (Reply) list = get (path);

    assert_xml_error (reply, 403);
    assert_json_error (list, 403);
  }
  {
    /* Reading requests needs a key too; only the catalogue is public. */
    g_autoptr (Reply) list = get ("/open311/v2/requests.json");

    assert_json_error (list, 403);
  }

  /* A service that does not exist, a class that is no service. */
  {
    g_autofree char *body = form ("api_key", key_a, "service_code", "no-such-service", "lat", lat, "long", lon, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
  }
  {
    g_autofree char *body = form ("api_key", key_a, "service_code", class_code, "lat", lat, "long", lon, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
  }

  /* No location; and everything wrong at once is said at once. */
  {
    g_autofree char *body = form ("api_key", key_a, "service_code", service_code, "description", "没有位置", NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
  }
  {
    g_autofree char *body = form ("api_key", key_a, "phone", "call me", "media_url", "ftp://x/y",
                                  "attribute[size]", "big", "colour", "red", NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
    /* service_code, location, phone, media_url, the attribute, the unknown field */
    g_assert_cmpuint (json_array_get_length (reply_array (reply)), ==, 6);
  }
  {
    g_autofree char *body = form ("api_key", key_a, "service_code", service_code, "lat", "91", "long", lon, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
  }
  {
    g_autofree char *body = form ("api_key", key_a, "service_code", service_code, "lat", lat, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
  }
  {
    /* A point outside the street's grid. */
    g_autofree char *body = form ("api_key", key_a, "service_code", service_code, "lat", far_lat, "long", far_lon, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
  }
  {
    long_text = g_strnfill (4001, 'x');
    g_autofree char *body = form ("api_key", key_a, "service_code", service_code, "lat", lat, "long", lon,
                                  "description", long_text, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
  }
  {
    g_autofree char *body = form ("api_key", key_a, "service_code", service_code, "lat", lat, "long", lon,
                                  "description", "a\001b", NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
  }

  /* Bodies: too large (refused before it is read), not form fields. */
  g_string_append_printf (big, "api_key=%s&service_code=%s&description=", key_a, service_code);
  while (big->len <= 64 * 1024)
    g_string_append (big, "%E5%8D%A0");
  {
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", big->str);
    g_autoptr (Reply) xml = post ("/open311/v2/requests.xml", big->str);

    assert_json_error (reply, 413);
    assert_xml_error (xml, 413);
  }
  g_string_free (big, TRUE);
  {
    g_autoptr (Reply) reply = send_full (main_server, "POST", "/open311/v2/requests.json", "application/json",
                                         "{\"service_code\": \"x\"}", -1, NULL);

    assert_json_error (reply, 415);
  }

  /* Addresses and methods. */
  {
    g_autoptr (Reply) no_format = get ("/open311/v2/services");
    g_autoptr (Reply) other_format = get ("/open311/v2/services.yaml");
    g_autoptr (Reply) nothing = get ("/open311/v2/nothing.json");
    g_autoptr (Reply) deeper = get ("/open311/v2/requests/a/b.json");
    g_autoptr (Reply) outside = get ("/open311/v3/services.json");
    g_autoptr (Reply) method = send_full (main_server, "DELETE", "/open311/v2/services.json", NULL, NULL, -1, NULL);
    g_autoptr (Reply) post_services = post ("/open311/v2/services.xml", "a=b");
    g_autoptr (Reply) query = get ("/open311/v2/services.json?colour=red");

    assert_json_error (no_format, 404);
    assert_json_error (other_format, 404);
    assert_json_error (nothing, 404);
    assert_json_error (deeper, 404);
    assert_json_error (outside, 404);
    assert_json_error (method, 405);
    assert_xml_error (post_services, 405);
    assert_json_error (query, 400);
  }
  {
    g_autofree char *path = g_strdup_printf ("/open311/v2/requests.json?api_key=%s&start_date=yesterday", key_a);
    g_autoptr (Reply) date = get (path);
    g_autofree char *path2 = g_strdup_printf ("/open311/v2/requests.json?api_key=%s&start_date=2026-01-01T00:00:00Z"
                                              "&end_date=2026-06-01T00:00:00Z", key_a);
    g_autoptr (Reply) span = get (path2);
    g_autofree char *path3 = g_strdup_printf ("/open311/v2/requests.json?api_key=%s&status=pending", key_a);
    g_autoptr (Reply) status = get (path3);
    g_autofree char *path4 = g_strdup_printf ("/open311/v2/requests/%s.json?api_key=%s", "110102099-20000101-9999", key_a);
    g_autoptr (Reply) missing = get (path4);

    assert_json_error (date, 400);
    assert_json_error (span, 400);
    assert_json_error (status, 400);
    assert_json_error (missing, 404);
  }

  /* None of it wrote anything. */
  g_assert_cmpint (write_fingerprint (), ==, before);
}

static void
test_other_street (void)
{
  g_autofree char *token_a_request = NULL;
  g_autofree char *id_a = report (key_a, "共享单车乱停放", &token_a_request);
  g_autofree char *lon_a = degrees (grid_a_lon);
  g_autofree char *lat_a = degrees (grid_a_lat);
  g_autofree char *lon_b = degrees (grid_b_lon);
  g_autofree char *lat_b = degrees (grid_b_lat);
  gint64 before = write_fingerprint ();

  /* Street B's key does not see street A's requests: not found, not forbidden. */
  {
    g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%s.json?api_key=%s", id_a, key_b);
    g_autoptr (Reply) one = get (path);
    g_autofree char *token_path = g_strdup_printf ("/open311/v2/tokens/%s.json?api_key=%s", token_a_request, key_b);
    g_autoptr (Reply) token = get (token_path);
    g_autofree char *list_path = g_strdup_printf ("/open311/v2/requests.json?api_key=%s", key_b);
    g_autoptr (Reply) list = get (list_path);
    g_autofree char *ids_path = g_strdup_printf ("/open311/v2/requests.json?api_key=%s&service_request_id=%s",
                                                 key_b, id_a);
    g_autoptr (Reply) ids = get (ids_path);
    g_autofree char *juris_path = g_strdup_printf ("/open311/v2/requests.json?api_key=%s&jurisdiction_id=" STREET_A,
                                                   key_b);
    g_autoptr (Reply) juris = get (juris_path);

    assert_json_error (one, 404);
    assert_json_error (token, 404);
    g_assert_cmpuint (list->status, ==, 200);
    g_assert_null (strstr (list->body, id_a));
    g_assert_cmpuint (ids->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (reply_array (ids)), ==, 0);
    assert_json_error (juris, 403);
  }

  /* Nor can it report into street A: not by naming it, not by a point inside it. */
  {
    g_autofree char *body = form ("api_key", key_b, "jurisdiction_id", STREET_A, "service_code", service_code,
                                  "lat", lat_b, "long", lon_b, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 403);
  }
  {
    g_autofree char *body = form ("api_key", key_b, "service_code", service_code, "lat", lat_a, "long", lon_a, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);

    assert_json_error (reply, 400);
  }
  g_assert_cmpint (write_fingerprint (), ==, before);

  /* In its own street it reports as usual, into street B. */
  {
    g_autofree char *body = form ("api_key", key_b, "jurisdiction_id", STREET_B, "service_code", service_code,
                                  "lat", lat_b, "long", lon_b, NULL);
    g_autoptr (Reply) reply = post ("/open311/v2/requests.json", body);
    const char *id;

    g_assert_cmpuint (reply->status, ==, 200);
    id = json_object_get_string_member (json_array_get_object_element (reply_array (reply), 0), "service_request_id");
    g_assert_true (g_str_has_prefix (id, STREET_B "-"));
    g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident WHERE number = ? AND street_id = '"
                                    STREET_B "'", id), ==, 1);
  }
}

static void
test_retry (void)
{
  g_autofree char *lon = degrees (grid_a_lon);
  g_autofree char *lat = degrees (grid_a_lat);
  g_autofree char *body = form ("api_key", key_a, "service_code", service_code, "lat", lat, "long", lon,
                                "description", "噪音扰民", NULL);
  g_autofree char *other = form ("api_key", key_a, "service_code", service_code, "lat", lat, "long", lon,
                                 "description", "另一件事", NULL);
  g_autofree char *app_body = form ("api_key", key_a_app, "service_code", service_code, "lat", lat, "long", lon,
                                    "description", "噪音扰民", NULL);
  g_autoptr (Reply) first = NULL;
  g_autoptr (Reply) again = NULL;
  g_autoptr (Reply) again_xml = NULL;
  g_autoptr (Reply) reused = NULL;
  g_autoptr (Reply) app = NULL;
  g_autoptr (XNode) root = NULL;
  gint64 incidents = test_db_count (main_db, "SELECT count(*) FROM incident", NULL);
  gint64 before;
  const char *id;

  first = send_full (main_server, "POST", "/open311/v2/requests.json", NULL, body, -1, "retry-0001");
  g_assert_cmpuint (first->status, ==, 200);
  id = json_object_get_string_member (json_array_get_object_element (reply_array (first), 0), "service_request_id");
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident", NULL), ==, incidents + 1);
  before = write_fingerprint ();

  /* The client did not hear the answer and sends it again: the first answer, nothing new. */
  again = send_full (main_server, "POST", "/open311/v2/requests.json", NULL, body, -1, "retry-0001");
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (again->replayed, ==, "true");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reply_array (again), 0),
                                                  "service_request_id"), ==, id);
  again_xml = send_full (main_server, "POST", "/open311/v2/requests.xml", NULL, body, -1, "retry-0001");
  root = parse_xml (again_xml);
  g_assert_cmpstr (x_child_text (root->children->pdata[0], "service_request_id"), ==, id);
  g_assert_cmpint (write_fingerprint (), ==, before);

  /* The same key with another request is a client's mistake, and writes nothing. */
  reused = send_full (main_server, "POST", "/open311/v2/requests.json", NULL, other, -1, "retry-0001");
  assert_json_error (reused, 422);
  g_assert_cmpint (write_fingerprint (), ==, before);

  /* Idempotency keys belong to their api_key: another client's same key is its own. */
  app = send_full (main_server, "POST", "/open311/v2/requests.json", NULL, app_body, -1, "retry-0001");
  g_assert_cmpuint (app->status, ==, 200);
  g_assert_null (app->replayed);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reply_array (app), 0),
                                                  "service_request_id"), !=, id);
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident", NULL), ==, incidents + 2);
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM incident i JOIN open311_request r "
                                  "ON r.incident_id = i.id WHERE r.idempotency_key = 'retry-0001' "
                                  "AND i.source = 'community'", NULL), ==, 1);

  /* A malformed key is refused. */
  {
    g_autoptr (Reply) bad = send_full (main_server, "POST", "/open311/v2/requests.json", NULL, body, -1,
                                       "with space");

    assert_json_error (bad, 400);
  }
}

/* Live updates: a desk's socket hears of a new request like of any change. */

typedef struct {
  SoupWebsocketConnection *connection;
  GError                  *error;
  gint64                   hello;    /* the latest seq the hello said; -1 before it */
  gint64                   changes;  /* the latest seq of the last "changes"; -1 before one */
} Live;

static void
live_message (SoupWebsocketConnection *connection,
              int                      type,
              GBytes                  *message,
              Live                    *live)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  JsonObject *object;
  const char *kind;

  g_assert_true (json_parser_load_from_data (parser, data, size, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  kind = json_object_get_string_member (object, "type");
  if (g_str_equal (kind, "hello"))
    live->hello = json_object_get_int_member (object, "latest");
  else if (g_str_equal (kind, "changes"))
    live->changes = json_object_get_int_member (object, "latest");
}

static void
live_connected (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Live *live = data;

  live->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &live->error);
  if (live->connection != NULL)
    g_signal_connect (live->connection, "message", G_CALLBACK (live_message), live);
}

static gboolean
give_up (gpointer data)
{
  g_error ("no answer on the live socket within a minute");
  return G_SOURCE_REMOVE;
}

static void
test_live (void)
{
  g_autofree char *url = g_strconcat (main_server->url, "/api/v1/live", NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", token_a, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *id = NULL;
  g_autofree char *incident_id = NULL;
  Live live = { NULL, NULL, -1, -1 };
  gint64 seq;
  guint timeout;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        live_connected, &live);
  /* A safety net, not a measurement: the test fails only when nothing ever comes. */
  timeout = g_timeout_add_seconds (60, give_up, NULL);
  while ((live.connection == NULL && live.error == NULL) || (live.connection != NULL && live.hello < 0))
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (live.error);

  id = report (key_a, "井盖缺失", NULL);
  incident_id = db_text ("SELECT id FROM incident WHERE number = ?", id);
  seq = test_db_count (main_db, "SELECT seq FROM change_log WHERE entity_id = ?", incident_id);
  g_assert_cmpint (seq, >, live.hello);
  while (live.changes < seq)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  soup_websocket_connection_close (live.connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (live.connection) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&live.connection);
}

static void
test_rate_limit (void)
{
  const char *args[] = { "--rate", "0.01", "--burst", "3", NULL };
  TestServer *server = test_server_start (main_db, args, NULL);
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests.json?api_key=%s", key_a);

  /* Without a key the remote address has its bucket, each key its own. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (Reply) reply = send_full (server, "GET", "/open311/v2/services.json", NULL, NULL, -1, NULL);

      g_assert_cmpuint (reply->status, ==, 200);
    }
  {
    g_autoptr (Reply) reply = send_full (server, "GET", "/open311/v2/services.json", NULL, NULL, -1, NULL);

    assert_json_error (reply, 429);
    g_assert_nonnull (reply->retry_after);
  }
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (Reply) reply = send_full (server, "GET", path, NULL, NULL, -1, NULL);

      g_assert_cmpuint (reply->status, ==, 200);
    }
  {
    g_autoptr (Reply) reply = send_full (server, "GET", path, NULL, NULL, -1, NULL);

    assert_json_error (reply, 429);
  }
  test_server_free (server);
}

static void
test_admin_keys (void)
{
  g_autofree char *list = test_admin (main_db, NULL, "list-api-keys", NULL);
  g_autofree char *out = NULL;

  g_assert_nonnull (strstr (list, "12345 hotline"));
  g_assert_nonnull (strstr (list, "citizen app"));
  g_assert_nonnull (strstr (list, "(revoked)"));
  /* Only the key's SHA-256 is stored. */
  g_assert_cmpint (test_db_count (main_db, "SELECT count(*) FROM open311_api_key WHERE key_hash = ?", key_a), ==, 0);
  g_assert_cmpint (strlen (key_a), ==, 64);

  g_assert_cmpint (test_admin_status (main_db, NULL, &out, "add-api-key", "--street", "999999999", "x", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (test_admin_status (main_db, NULL, &out, "add-api-key", "--street", STREET_A, "--source",
                                      "internet", "y", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (test_admin_status (main_db, NULL, &out, "add-api-key", "--street", STREET_A,
                                      "12345 hotline", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (test_admin_status (main_db, NULL, &out, "add-api-key", "z", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (test_admin_status (main_db, NULL, &out, "revoke-api-key", "9999", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (test_admin_status (main_db, NULL, &out, "revoke-api-key", "first", NULL), ==, 1);
}

/* Setup */

static char *
add_key (const char *street,
         const char *source,
         const char *name)
{
  g_autofree char *out = source ? test_admin (main_db, NULL, "add-api-key", "--street", street, "--source",
                                              source, name, NULL)
                                : test_admin (main_db, NULL, "add-api-key", "--street", street, name, NULL);

  return g_strdup (g_strstrip (out));
}

static void
prepare_database (void)
{
  g_autofree char *keys = NULL;
  g_auto (GStrv) lines = NULL;

  g_free (test_admin (main_db, NULL, "load-demo", "--streets", "2", "--incidents", "5", "--months", "1", NULL));
  g_free (test_admin (main_db, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "duty_officer",
                      "duty_a", NULL));
  g_free (test_admin (main_db, PASSWORD "\n", "add-user", "--street", STREET_B, "--role", "duty_officer",
                      "duty_b", NULL));
  key_a = add_key (STREET_A, NULL, "12345 hotline");
  key_a_app = add_key (STREET_A, "community", "citizen app");
  key_b = add_key (STREET_B, NULL, "12345 hotline");
  key_revoked = add_key (STREET_A, NULL, "old app");

  keys = test_admin (main_db, NULL, "list-api-keys", NULL);
  lines = g_strsplit (keys, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "old app") != NULL)
      {
        g_autofree char *number = g_strndup (lines[i], strcspn (lines[i], "\t"));

        g_free (test_admin (main_db, NULL, "revoke-api-key", number, NULL));
      }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = test_tmp_dir_new ("whistle-open311-XXXXXX");
  main_db = g_build_filename (tmp_dir, "server.db", NULL);
  session = soup_session_new ();
  soup_session_set_timeout (session, 30);

  prepare_database ();
  main_server = test_server_start_unlimited (main_db);
  token_a = test_login (session, main_server->url, "duty_a", PASSWORD);
  learn_organisation ();

  g_test_add_func ("/open311/services", test_services);
  g_test_add_func ("/open311/report-and-sync", test_report_and_sync);
  g_test_add_func ("/open311/status-follows-lifecycle", test_status_follows_lifecycle);
  g_test_add_func ("/open311/merged-reporter-private", test_merged_reporter_private);
  g_test_add_func ("/open311/bad-requests", test_bad_requests);
  g_test_add_func ("/open311/other-street", test_other_street);
  g_test_add_func ("/open311/retry", test_retry);
  g_test_add_func ("/open311/live", test_live);
  g_test_add_func ("/open311/rate-limit", test_rate_limit);
  g_test_add_func ("/open311/admin", test_admin_keys);

  status = g_test_run ();

  main_server->quiet = status == 0;
  test_server_free (main_server);
  g_object_unref (session);
  test_tmp_dir_finish (tmp_dir, status);
  return status;
}
