/* test-sync-attachments.c — photos end to end: desk → server → another desk
 *
 * The built whistle-server on a loopback port (tests/server-harness.c), desks with caches of
 * their own running the engine of src/sync, and whistlectl as a subprocess for the crash
 * test. Photos here are made-up bytes that begin like a JPEG, PNG or PDF: the server checks
 * types by those magic numbers only.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-harness.h"
#include "server-harness.h"
#include "wh-attachment-store.h"
#include "wh-db.h"
#include "wh-event-attachments.h"
#include "wh-incident-store.h"
#include "wh-sync-engine.h"
#include "wh-sync-store.h"

#define STREET_A  "110102099"
#define STREET_B  "110102098"
#define PASSWORD  "secret-password"

static char        *tmp_dir;
static char        *main_db;
static TestServer  *main_server;
static SoupSession *session;

static char *token_a;       /* duty officer of street A, desk A */
static char *token_a2;      /* another duty officer of street A, desk B */
static char *token_viewer;  /* a viewer of street A */
static char *token_b;       /* a duty officer of street B */

static char *category;      /* a subcategory that needs no legal review */

/* Files */

static GBytes *
make_file (const char *kind,
           gsize       size,
           guint8      seed)
{
  guint8 *data = g_malloc (size);
  const char *magic;
  gsize magic_length;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 131 + seed * 7 + (i >> 8));
  if (g_str_equal (kind, "jpeg"))
    magic = "\xff\xd8\xff\xe1", magic_length = 4;
  else if (g_str_equal (kind, "png"))
    magic = "\x89PNG\r\n\x1a\n", magic_length = 8;
  else if (g_str_equal (kind, "pdf"))
    magic = "%PDF-1.4\n", magic_length = 9;
  else
    magic = "This is plain text.\n", magic_length = 20;
  memcpy (data, magic, MIN (size, magic_length));
  return g_bytes_new_take (data, size);
}

static char *
write_file (const char *name,
            GBytes     *bytes)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
  return path;
}

/* Desks */

static Desk *
desk_new (const char *name,
          const char *user,
          const char *token)
{
  return test_desk_new (tmp_dir, main_server, name, user, token);
}

typedef struct {
  gboolean      done;
  GBytes       *bytes;
  GError       *error;
} Wait;

static WhSyncReport
desk_sync_ok (Desk *desk)
{
  g_autoptr (GError) error = NULL;
  WhSyncReport report;

  test_desk_sync (desk, NULL, &report, &error);
  g_assert_no_error (error);
  return report;
}

static void
fetch_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->bytes = wh_sync_engine_fetch_attachment_finish (WH_SYNC_ENGINE (source), result, &wait->error);
  wait->done = TRUE;
}

static GBytes *
desk_fetch (Desk        *desk,
            const char  *hash,
            GError     **error)
{
  Wait wait = { 0, };

  wh_sync_engine_fetch_attachment_async (desk->engine, hash, NULL, fetch_done, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.bytes;
}

static gint64
db_count (const char *path,
          const char *sql,
          const char *param)
{
  return test_db_count (path, sql, param);
}

/* The text of the first row of @sql, read through a connection of our own. */
static char *
db_text (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static gint64
server_count (const char *sql,
              const char *param)
{
  return test_db_count (main_db, sql, param);
}

static char *
desk_report (Desk       *desk,
             const char *title,
             const char *hash)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *number = NULL;
  g_autoptr (WhOp) op = wh_op_new (WH_ACTION_REPORT, id, desk->actor, g_get_real_time ());
  g_autoptr (WhIncidentEvent) event = NULL;

  number = wh_incident_store_next_number (desk->store, STREET_A, op->at, &error);
  g_assert_no_error (error);
  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", STREET_A);
  wh_op_set_string (op, "source", "patrol");
  wh_op_set_string (op, "category_code", category);
  wh_op_set_string (op, "title", title);
  if (hash != NULL)
    wh_op_add_attachment (op, hash);
  event = wh_incident_store_apply (desk->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

/* A progress note with photos, queued as the desk's pages queue it. */
static char *
desk_note (Desk        *desk,
           const char  *incident_id,
           const char  *note,
           const char **hashes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhOp) op = wh_op_new (WH_ACTION_NOTE, incident_id, desk->actor, g_get_real_time ());
  g_autoptr (WhIncident) current = wh_incident_store_get (desk->store, incident_id, &error);
  g_autoptr (WhIncidentEvent) event = NULL;

  g_assert_no_error (error);
  op->note = g_strdup (note);
  op->base_rev = current->rev;
  for (guint i = 0; hashes != NULL && hashes[i] != NULL; i++)
    wh_op_add_attachment (op, hashes[i]);
  event = wh_incident_store_apply (desk->store, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  return g_strdup (op->op_id);
}

static char *
desk_put (Desk       *desk,
          GBytes     *bytes,
          const char *name)
{
  g_autoptr (GError) error = NULL;
  char *hash = wh_attachment_store_put (desk->attachments, bytes, NULL, name, &error);

  g_assert_no_error (error);
  return hash;
}

static char *
attachment_url (const char *hash)
{
  return g_strconcat (main_server->url, "/api/v1/attachments/", hash, NULL);
}

static guint
status_of (const char *method,
           const char *hash,
           const char *token)
{
  g_autofree char *url = attachment_url (hash);
  g_autoptr (TestReply) reply = test_request (session, method, url, token, NULL, NULL, 0);

  g_assert_no_error (reply->error);
  return reply->status;
}

/* Tests */

/* A desk attaches photos offline, syncs; a second desk sees the events with their
 * attachments and fetches the bytes. */
static void
test_offline_photo (void)
{
  g_autoptr (Desk) a = desk_new ("photo-a", "duty_a", token_a);
  g_autoptr (Desk) b = NULL;
  g_autoptr (GBytes) photo = make_file ("jpeg", 300 * 1024, 1);
  g_autoptr (GBytes) scan = make_file ("pdf", 40 * 1024, 2);
  g_autoptr (GBytes) fetched = NULL;
  g_autoptr (GBytes) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAttachment) described = NULL;
  g_autoptr (WhAttachment) filled = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  g_autofree char *photo_hash = NULL;
  g_autofree char *scan_hash = NULL;
  g_autofree char *incident = NULL;
  g_autofree char *note_op = NULL;
  const char *hashes[3] = { NULL, };
  WhSyncReport report;

  desk_sync_ok (a);

  /* Offline: the photo goes into the cache, the report and a note name them. */
  photo_hash = desk_put (a, photo, "gate.jpg");
  scan_hash = desk_put (a, scan, "permit.pdf");
  incident = desk_report (a, "Rubbish piled at the gate of No. 3 Sanlihe Road", photo_hash);
  hashes[0] = scan_hash;
  hashes[1] = photo_hash;
  note_op = desk_note (a, incident, "The permit and the gate again", hashes);
  g_assert_cmpint (db_count (a->path, "SELECT count(*) FROM outbox", NULL), ==, 2);
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ?", photo_hash), ==, 0);

  report = desk_sync_ok (a);
  g_assert_cmpuint (report.pushed.applied, ==, 2);
  g_assert_cmpuint (report.waiting, ==, 0);
  /* On the server, once each, with their bytes, named by the events. */
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ? AND data IS NOT NULL "
                                 "AND mime_type = 'image/jpeg' AND size = 307200", photo_hash), ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ? AND mime_type = "
                                 "'application/pdf'", scan_hash), ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM event_attachment ea JOIN incident_event e "
                                 "ON e.id = ea.event_id WHERE e.incident_id = ?", incident), ==, 3);
  g_assert_cmpint (server_count ("SELECT position FROM event_attachment WHERE event_id = ? "
                                 "AND hash = (SELECT hash FROM attachment WHERE name = 'gate.jpg')",
                                 note_op), ==, 1);
  /* Desk A took the server's record in place of its drafts: the links are still there. */
  g_assert_cmpint (db_count (a->path, "SELECT count(*) FROM event_attachment ea JOIN incident_event e "
                                      "ON e.id = ea.event_id WHERE e.incident_id = ?", incident), ==, 3);

  /* Desk B learns of them from the feed: descriptions first, bytes when asked. */
  b = desk_new ("photo-b", "duty_a2", token_a2);
  desk_sync_ok (b);
  listed = wh_attachment_store_list_for_event (b->attachments, note_op, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (((WhAttachment *) listed->pdata[0])->hash, ==, scan_hash);
  g_assert_cmpstr (((WhAttachment *) listed->pdata[0])->name, ==, "permit.pdf");
  g_assert_cmpstr (((WhAttachment *) listed->pdata[1])->hash, ==, photo_hash);
  described = wh_attachment_store_lookup (b->attachments, photo_hash, &error);
  g_assert_no_error (error);
  g_assert_false (described->fetched);
  g_assert_cmpint (described->size, ==, 300 * 1024);
  g_assert_cmpstr (described->mime_type, ==, "image/jpeg");

  fetched = desk_fetch (b, photo_hash, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (fetched, photo));
  filled = wh_attachment_store_lookup (b->attachments, photo_hash, &error);
  g_assert_true (filled->fetched);
  /* A second look is answered from the cache. */
  again = desk_fetch (b, photo_hash, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (again, photo));
  g_assert_cmpint (db_count (b->path, "SELECT count(*) FROM event_attachment", NULL), ==,
                   db_count (a->path, "SELECT count(*) FROM event_attachment", NULL));
}

/* Limits of uploads: size (413), type (415), sign-in (401), role (403); nothing stored. */
static void
test_limits (void)
{
  g_autofree char *url = g_strconcat (main_server->url, "/api/v1/attachments", NULL);
  g_autoptr (GBytes) too_large = make_file ("jpeg", WH_ATTACHMENT_MAX_SIZE + 1, 3);
  g_autoptr (GBytes) text = make_file ("text", 1000, 4);
  g_autoptr (GBytes) photo = make_file ("png", 1000, 5);
  gint64 before = server_count ("SELECT count(*) FROM attachment", NULL);
  gsize size;
  const char *data;

  {
    g_autoptr (TestReply) reply = NULL;

    data = g_bytes_get_data (too_large, &size);
    reply = test_request (session, "POST", url, token_a, "image/jpeg", data, size);
    g_assert_no_error (reply->error);
    g_assert_cmpuint (reply->status, ==, 413);
    g_assert_cmpstr (test_reply_error_code (reply), ==, "too_large");
  }
  data = g_bytes_get_data (text, &size);
  {
    g_autoptr (TestReply) reply = test_request (session, "POST", url, token_a, "text/plain", data, size);

    g_assert_cmpuint (reply->status, ==, 415);
    g_assert_cmpstr (test_reply_error_code (reply), ==, "unsupported_media_type");
  }
  {
    /* Said to be a photo; the bytes say otherwise. */
    g_autoptr (TestReply) reply = test_request (session, "POST", url, token_a, "image/jpeg", data, size);

    g_assert_cmpuint (reply->status, ==, 415);
    g_assert_cmpstr (test_reply_error_code (reply), ==, "unsupported_media_type");
  }
  data = g_bytes_get_data (photo, &size);
  {
    g_autoptr (TestReply) reply = test_request (session, "POST", url, NULL, "image/png", data, size);

    g_assert_cmpuint (reply->status, ==, 401);
  }
  {
    g_autoptr (TestReply) reply = test_request (session, "POST", url, token_viewer, "image/png", data, size);

    g_assert_cmpuint (reply->status, ==, 403);
    g_assert_cmpstr (test_reply_error_code (reply), ==, "forbidden");
  }
  {
    g_autoptr (TestReply) reply = test_request (session, "POST", url, token_a, "image/png", "", 0);

    g_assert_cmpuint (reply->status, ==, 400);
  }
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment", NULL), ==, before);

  /* The same file twice: stored once, 201 then 200, the server's hash is the file's. */
  {
    g_autofree char *hash = wh_attachment_hash_bytes (photo);
    g_autoptr (TestReply) first = test_request (session, "POST", url, token_a, "image/png", data, size);
    g_autoptr (TestReply) second = test_request (session, "POST", url, token_a, "image/png", data, size);

    g_assert_cmpuint (first->status, ==, 201);
    g_assert_cmpuint (second->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (test_reply_object (first), "hash"), ==, hash);
    g_assert_cmpint (json_object_get_int_member (test_reply_object (first), "size"), ==, 1000);
    g_assert_cmpint (server_count ("SELECT count(*) FROM attachment", NULL), ==, before + 1);
  }
}

/* GET and HEAD: the bytes with ETag = hash and caching for good; 304 for a cached copy. */
static void
test_fetch_http (void)
{
  g_autofree char *upload = g_strconcat (main_server->url, "/api/v1/attachments?name=scan%201.pdf", NULL);
  g_autoptr (GBytes) scan = make_file ("pdf", 5000, 6);
  g_autofree char *hash = wh_attachment_hash_bytes (scan);
  g_autofree char *url = attachment_url (hash);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", hash);
  g_autofree char *bearer = g_strconcat ("Bearer ", token_a, NULL);
  gsize size;
  const char *data = g_bytes_get_data (scan, &size);

  g_assert_cmpuint (status_of ("HEAD", hash, token_a), ==, 404);
  {
    g_autoptr (TestReply) reply = test_request (session, "POST", upload, token_a, "application/pdf", data, size);

    g_assert_cmpuint (reply->status, ==, 201);
    g_assert_cmpstr (json_object_get_string_member (test_reply_object (reply), "name"), ==, "scan 1.pdf");
  }
  g_assert_cmpuint (status_of ("HEAD", hash, token_a), ==, 200);
  {
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr (GBytes) body = NULL;
    g_autoptr (GError) error = NULL;
    SoupMessageHeaders *headers;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    body = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_true (g_bytes_equal (body, scan));
    headers = soup_message_get_response_headers (msg);
    g_assert_cmpstr (soup_message_headers_get_one (headers, "ETag"), ==, etag);
    g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/pdf");
    g_assert_nonnull (strstr (soup_message_headers_get_one (headers, "Cache-Control"), "immutable"));
  }
  {
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr (GBytes) body = NULL;
    g_autoptr (GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", etag);
    body = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 304);
    g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  }
  /* Not signed in, a hash that is not one, and a method the address does not take. */
  g_assert_cmpuint (status_of ("GET", hash, NULL), ==, 401);
  g_assert_cmpuint (status_of ("GET", "../../etc/passwd", token_a), ==, 404);
  g_assert_cmpuint (status_of ("DELETE", hash, token_a), ==, 405);
}

/* A street-B token can neither fetch street A's photo nor learn that it exists. */
static void
test_street_isolation (void)
{
  g_autoptr (Desk) a = desk_new ("isolation-a", "duty_a", token_a);
  g_autoptr (GBytes) photo = make_file ("jpeg", 20000, 7);
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *incident = NULL;
  g_autofree char *upload = g_strconcat (main_server->url, "/api/v1/attachments", NULL);
  gsize size;
  const char *data = g_bytes_get_data (photo, &size);

  desk_sync_ok (a);
  hash = desk_put (a, photo, "street-a.jpg");
  incident = desk_report (a, "A photo only street A may see", hash);
  desk_sync_ok (a);
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ? AND data IS NOT NULL",
                                 hash), ==, 1);

  /* Street A's other officer sees the event, so may read its photo. */
  g_assert_cmpuint (status_of ("GET", hash, token_a2), ==, 200);
  g_assert_cmpuint (status_of ("HEAD", hash, token_a2), ==, 200);
  /* Street B: as if there were no such photo. */
  g_assert_cmpuint (status_of ("GET", hash, token_b), ==, 404);
  g_assert_cmpuint (status_of ("HEAD", hash, token_b), ==, 404);

  /* A street-B op naming it cannot make it B's either: B's incidents are B's, and naming
   * the hash on an incident of A is refused as another street's. */
  {
    g_autoptr (WhActor) actor = wh_actor_new ("duty_b", "duty_b", WH_ROLE_DUTY_OFFICER, NULL);
    g_autoptr (WhOp) op = wh_op_new (WH_ACTION_NOTE, incident, actor, g_get_real_time ());
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *body = NULL;
    g_autofree char *ops_url = g_strconcat (main_server->url, "/api/v1/ops", NULL);
    g_autoptr (TestReply) reply = NULL;
    JsonObject *result;

    op->note = g_strdup ("Let me see that photo");
    wh_op_add_attachment (op, hash);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "ops");
    json_builder_begin_array (b);
    json_builder_add_value (b, wh_op_to_json (op));
    json_builder_end_array (b);
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    body = json_to_string (root, FALSE);
    reply = test_request (session, "POST", ops_url, token_b, NULL, body, -1);
    g_assert_cmpuint (reply->status, ==, 200);
    result = json_array_get_object_element (json_object_get_array_member (test_reply_object (reply),
                                                                          "results"), 0);
    g_assert_cmpstr (json_object_get_string_member (result, "result"), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (result, "code"), ==, "forbidden");
  }
  g_assert_cmpuint (status_of ("GET", hash, token_b), ==, 404);

  /* The engine of a street-B desk gets the same answer. */
  {
    g_autoptr (Desk) b = desk_new ("isolation-b", "duty_b", token_b);
    g_autoptr (GBytes) bytes = NULL;

    desk_sync_ok (b);
    bytes = desk_fetch (b, hash, &error);
    g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FOUND);
    g_assert_null (bytes);
    g_clear_error (&error);
    g_assert_cmpint (db_count (b->path, "SELECT count(*) FROM attachment", NULL), ==, 0);
  }

  /* Whoever has the bytes may upload them, and then read back their own upload; that tells
   * them nothing they did not have. */
  {
    g_autoptr (TestReply) reply = test_request (session, "POST", upload, token_b, "image/jpeg", data, size);

    g_assert_cmpuint (reply->status, ==, 200);
  }
  g_assert_cmpuint (status_of ("GET", hash, token_b), ==, 200);
}

/* An op naming an attachment the server does not have is rejected with a clear reason, and
 * nothing of it is written. */
static void
test_missing_attachment (void)
{
  g_autoptr (Desk) a = desk_new ("missing-a", "duty_a", token_a);
  g_autoptr (GBytes) never_sent = make_file ("jpeg", 1000, 8);
  g_autofree char *hash = wh_attachment_hash_bytes (never_sent);
  g_autofree char *incident = NULL;
  g_autofree char *ops_url = g_strconcat (main_server->url, "/api/v1/ops", NULL);
  g_autoptr (WhOp) op = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr (TestReply) reply = NULL;
  g_autoptr (WhIncident) current = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *result;
  gint64 events_before, rev_before;

  desk_sync_ok (a);
  incident = desk_report (a, "A report to add a note to", NULL);
  desk_sync_ok (a);
  current = wh_incident_store_get (a->store, incident, &error);
  g_assert_no_error (error);
  events_before = server_count ("SELECT count(*) FROM incident_event WHERE incident_id = ?", incident);
  rev_before = server_count ("SELECT rev FROM incident WHERE id = ?", incident);

  op = wh_op_new (WH_ACTION_NOTE, incident, a->actor, g_get_real_time ());
  op->note = g_strdup ("A photo that never came");
  op->base_rev = current->rev;
  wh_op_add_attachment (op, hash);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  json_builder_add_value (b, wh_op_to_json (op));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  reply = test_request (session, "POST", ops_url, token_a, NULL, body, -1);
  g_assert_cmpuint (reply->status, ==, 200);
  result = json_array_get_object_element (json_object_get_array_member (test_reply_object (reply),
                                                                        "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "result"), ==, "rejected");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "reason"), "has not been uploaded"));

  g_assert_cmpint (server_count ("SELECT count(*) FROM incident_event WHERE incident_id = ?", incident),
                   ==, events_before);
  g_assert_cmpint (server_count ("SELECT rev FROM incident WHERE id = ?", incident), ==, rev_before);
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident_event WHERE id = ?", op->op_id), ==, 0);
  g_assert_cmpint (server_count ("SELECT count(*) FROM event_attachment WHERE hash = ?", hash), ==, 0);
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ?", hash), ==, 0);

  /* A malformed list is not even read: the whole batch is refused. */
  {
    g_autoptr (TestReply) malformed = NULL;
    g_autofree char *bad = NULL;
    char *at = strstr (body, hash);

    g_assert_nonnull (at);
    memcpy (at, "XYZ", 3);
    bad = g_strdup (body);
    malformed = test_request (session, "POST", ops_url, token_a, NULL, bad, -1);
    g_assert_cmpuint (malformed->status, ==, 400);
    g_assert_cmpstr (test_reply_error_code (malformed), ==, "invalid_op");
  }
}

/* An upload that fails keeps the op in the outbox, whole, with the reason. */
static void
test_upload_failure_kept (void)
{
  g_autoptr (Desk) viewer = NULL;
  g_autoptr (GBytes) photo = make_file ("png", 2000, 9);
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *incident = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *last_error = NULL;
  const char *hashes[] = { NULL, NULL };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* A viewer's desk claims more than it may: the server takes no upload from it. */
  viewer = desk_new ("viewer", "viewer_a", token_viewer);
  desk_sync_ok (viewer);
  incident = db_text (viewer->path, "SELECT id FROM incident ORDER BY reported_at DESC LIMIT 1");
  hash = desk_put (viewer, photo, "viewer.png");
  hashes[0] = hash;
  op_id = desk_note (viewer, incident, "A note with a photo", hashes);

  g_assert_false (test_desk_sync (viewer, NULL, NULL, &error));
  g_assert_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_FORBIDDEN);
  g_assert_cmpint (db_count (viewer->path, "SELECT count(*) FROM outbox WHERE op_id = ?", op_id), ==, 1);
  g_assert_cmpint (db_count (viewer->path, "SELECT attempts FROM outbox WHERE op_id = ?", op_id), ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ?", hash), ==, 0);
  g_assert_cmpint (server_count ("SELECT count(*) FROM op_result WHERE op_id = ?", op_id), ==, 0);

  g_assert_cmpint (sqlite3_open_v2 (viewer->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT last_error FROM outbox WHERE op_id = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_nonnull (strstr (last_error, "viewer"));
}

/* whistlectl */

static GSubprocess *
spawn_whistlectl (const char  *cache,
                  const char  *token,
                  const char  *kill_after_upload,
                  const char **args)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) g_getenv ("WHISTLECTL"));
  g_assert_nonnull (argv->pdata[0]);
  g_ptr_array_add (argv, "--cache");
  g_ptr_array_add (argv, (gpointer) cache);
  g_ptr_array_add (argv, "--server");
  g_ptr_array_add (argv, main_server->url);
  g_ptr_array_add (argv, "--user");
  g_ptr_array_add (argv, "duty_a");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "WHISTLE_TOKEN", token, TRUE);
  if (kill_after_upload != NULL)
    g_subprocess_launcher_setenv (launcher, "WHISTLE_SYNC_KILL_AFTER_UPLOAD", kill_after_upload, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "WHISTLE_SYNC_KILL_AFTER_UPLOAD");
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Runs whistlectl to its end: its exit status, or 128 + the signal that killed it. */
static int
run_whistlectl (const char  *cache,
                const char  *kill_after_upload,
                char       **out,
                const char  *first,
                ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list ap;

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = spawn_whistlectl (cache, token_a, kill_after_upload, (const char **) args->pdata);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("whistlectl %s: %s%s", first, stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (g_subprocess_get_if_signaled (process))
    return 128 + g_subprocess_get_term_sig (process);
  return g_subprocess_get_exit_status (process);
}

/* Bytes that stop halfway: the server keeps nothing of them. */
static void
send_half_an_upload (GBytes *photo)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (main_server->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *head = NULL;
  GOutputStream *out;
  gsize size;
  const char *data = g_bytes_get_data (photo, &size);

  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri), g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);
  head = g_strdup_printf ("POST /api/v1/attachments HTTP/1.1\r\nHost: %s\r\n"
                          "Authorization: Bearer %s\r\nContent-Type: image/jpeg\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                          g_uri_get_host (uri), token_a, size);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, data, size / 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
  g_assert_no_error (error);
}

/* A desk killed in the middle of sending photos loses nothing and doubles nothing. */
static void
test_kill_mid_upload (void)
{
  g_autofree char *cache = g_build_filename (tmp_dir, "cli.db", NULL);
  g_autoptr (GBytes) photo = make_file ("jpeg", 2 * 1024 * 1024, 10);
  g_autoptr (GBytes) scan = make_file ("pdf", 100 * 1024, 11);
  g_autofree char *photo_path = write_file ("gate.jpg", photo);
  g_autofree char *scan_path = write_file ("scan.pdf", scan);
  g_autofree char *photo_hash = wh_attachment_hash_bytes (photo);
  g_autofree char *scan_hash = wh_attachment_hash_bytes (scan);
  g_autofree char *incident = NULL;
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  g_auto (GStrv) lines = NULL;
  const char *op_id;
  guint uploads = 0;

  g_assert_cmpint (run_whistlectl (cache, NULL, NULL, "sync-once", NULL), ==, 0);
  incident = db_text (cache, "SELECT id FROM incident ORDER BY reported_at DESC LIMIT 1");

  /* The network drops halfway through somebody's upload: nothing half-stored. */
  send_half_an_upload (photo);
  g_assert_cmpint (status_of ("HEAD", photo_hash, token_a), ==, 404);
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ?", photo_hash), ==, 0);

  /* Offline: two files and the note that names them. */
  g_assert_cmpint (run_whistlectl (cache, NULL, &out, "--note", "Gate and permit", "attach", incident,
                                   photo_path, scan_path, NULL), ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], photo_hash));
  g_assert_true (g_str_has_prefix (lines[1], scan_hash));
  op_id = lines[2];
  g_assert_true (g_uuid_string_is_valid (op_id));
  g_assert_cmpint (db_count (cache, "SELECT count(*) FROM outbox WHERE op_id = ?", op_id), ==, 1);

  /* Killed as soon as the server has taken the first file. */
  g_assert_cmpint (run_whistlectl (cache, "1", NULL, "sync-once", NULL), ==, 128 + SIGKILL);
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ? AND data IS NOT NULL",
                                 photo_hash), ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ?", scan_hash), ==, 0);
  g_assert_cmpint (server_count ("SELECT count(*) FROM op_result WHERE op_id = ?", op_id), ==, 0);
  g_assert_cmpint (db_count (cache, "SELECT count(*) FROM outbox WHERE op_id = ?", op_id), ==, 1);

  /* Again: the rest goes, and the note with it, once. */
  g_assert_cmpint (run_whistlectl (cache, NULL, NULL, "sync-once", NULL), ==, 0);
  g_assert_cmpint (db_count (cache, "SELECT count(*) FROM outbox", NULL), ==, 0);
  g_assert_cmpint (server_count ("SELECT count(*) FROM op_result WHERE op_id = ? AND result = 'applied'",
                                 op_id), ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM incident_event WHERE id = ?", op_id), ==, 1);
  g_assert_cmpint (server_count ("SELECT count(*) FROM event_attachment WHERE event_id = ?", op_id), ==, 2);
  g_assert_cmpint (server_count ("SELECT count(*) FROM attachment WHERE hash = ? AND data IS NOT NULL",
                                 scan_hash), ==, 1);
  g_assert_cmpint (db_count (cache, "SELECT count(*) FROM event_attachment WHERE event_id = ?", op_id), ==, 2);

  /* Each file went up exactly once: the second run asked first and skipped the photo. */
  log = test_server_log (main_server);
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], photo_hash) != NULL && strstr (lines[i], " uploaded by ") != NULL)
      uploads++;
  g_assert_cmpuint (uploads, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = test_tmp_dir_new ("whistle-attachments-XXXXXX");
  main_db = g_build_filename (tmp_dir, "server.db", NULL);
  session = soup_session_new ();
  soup_session_set_timeout (session, 60);

  g_free (test_admin (main_db, NULL, "load-demo", "--streets", "2", "--incidents", "20", "--months", "1",
                      NULL));
  g_free (test_admin (main_db, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "duty_officer",
                      "duty_a", NULL));
  g_free (test_admin (main_db, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "duty_officer",
                      "duty_a2", NULL));
  g_free (test_admin (main_db, PASSWORD "\n", "add-user", "--street", STREET_A, "--role", "viewer",
                      "viewer_a", NULL));
  g_free (test_admin (main_db, PASSWORD "\n", "add-user", "--street", STREET_B, "--role", "duty_officer",
                      "duty_b", NULL));
  main_server = test_server_start_unlimited (main_db);
  token_a = test_login (session, main_server->url, "duty_a", PASSWORD);
  token_a2 = test_login (session, main_server->url, "duty_a2", PASSWORD);
  token_viewer = test_login (session, main_server->url, "viewer_a", PASSWORD);
  token_b = test_login (session, main_server->url, "duty_b", PASSWORD);
  category = db_text (main_db, "SELECT code FROM category WHERE parent_code IS NOT NULL AND major = 0 "
                               "ORDER BY code LIMIT 1");

  g_test_add_func ("/sync-attachments/offline-photo", test_offline_photo);
  g_test_add_func ("/sync-attachments/limits", test_limits);
  g_test_add_func ("/sync-attachments/fetch-http", test_fetch_http);
  g_test_add_func ("/sync-attachments/street-isolation", test_street_isolation);
  g_test_add_func ("/sync-attachments/missing-attachment", test_missing_attachment);
  g_test_add_func ("/sync-attachments/upload-failure-kept", test_upload_failure_kept);
  g_test_add_func ("/sync-attachments/kill-mid-upload", test_kill_mid_upload);

  status = g_test_run ();

  test_server_free (main_server);
  g_object_unref (session);
  test_tmp_dir_finish (tmp_dir, status);
  return status;
}
