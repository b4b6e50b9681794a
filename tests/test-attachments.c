/* test-attachments.c — the attachment store: hashes, limits, types, descriptions, links */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "wh-attachment-store.h"
#include "wh-event-attachments.h"
#include "wh-incident-store.h"
#include "wh-wire.h"

#define STREET "110102099"

typedef struct {
  char              *dir;
  char              *path;
  WhDb              *db;
  WhAttachmentStore *store;
  WhIncidentStore   *incidents;
  WhActor           *officer;
} Fixture;

/* A file that starts like a JPEG / PNG / PDF / WebP, padded to @size with a pattern. */
static GBytes *
make_file (const char *kind,
           gsize       size,
           guint8      seed)
{
  guint8 *data = g_malloc (size);
  const char *magic;
  gsize magic_length;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 31 + seed);
  if (g_str_equal (kind, "jpeg"))
    magic = "\xff\xd8\xff\xe0", magic_length = 4;
  else if (g_str_equal (kind, "png"))
    magic = "\x89PNG\r\n\x1a\n", magic_length = 8;
  else if (g_str_equal (kind, "pdf"))
    magic = "%PDF-1.7\n", magic_length = 9;
  else if (g_str_equal (kind, "webp"))
    magic = "RIFF\x10\0\0\0WEBPVP8 ", magic_length = 16;
  else
    magic = "Hello, this is text.", magic_length = 20;
  memcpy (data, magic, MIN (size, magic_length));
  return g_bytes_new_take (data, size);
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->db = test_open_temp_db ("whistle-attachments-XXXXXX", &fixture->dir, &fixture->path);
  wh_db_exec (fixture->db,
              "INSERT INTO meta (key, value) VALUES ('street_id', '" STREET "');"
              "INSERT INTO street (id, name, district, center_lon, center_lat) "
              "  VALUES ('" STREET "', 'Jinghua', 'Xicheng', 116.35, 39.915);"
              "INSERT INTO priority (level, name, factor) VALUES (0, 'normal', 1.0);"
              "INSERT INTO category (code, name, kind, response_minutes, handling_minutes, "
              "  working_hours, major) VALUES ('0101', 'Litter', 'event', 30, 2880, 0, 0);",
              &error);
  g_assert_no_error (error);
  fixture->store = wh_attachment_store_new (fixture->db);
  fixture->incidents = wh_incident_store_new (fixture->db);
  fixture->officer = wh_actor_new ("s-1", "Duty officer Wang", WH_ROLE_DUTY_OFFICER, NULL);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  g_clear_object (&fixture->incidents);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->db);
  wh_actor_free (fixture->officer);
  test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  sqlite3_stmt *stmt = wh_db_prepare (fixture->db, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
test_hash (Fixture      *fixture,
           gconstpointer data)
{
  g_autoptr (GBytes) png = g_bytes_new_static ("\x89PNG\r\n\x1a\nabc", 11);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAttachment) attachment = NULL;
  g_autoptr (GBytes) back = NULL;
  g_autofree char *hash = NULL;

  hash = wh_attachment_store_put (fixture->store, png, "image/png", "gate.png", &error);
  g_assert_no_error (error);
  /* The SHA-256 of these eleven bytes, worked out by another program (sha256sum). */
  g_assert_cmpstr (hash, ==, "2cb922ecae93d405c9b9631a154ff097e354a411d5444196a182a0ffcbe63071");
  g_assert_true (wh_attachment_hash_is_valid (hash));

  attachment = wh_attachment_store_lookup (fixture->store, hash, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (attachment->hash, ==, hash);
  g_assert_cmpstr (attachment->mime_type, ==, "image/png");
  g_assert_cmpint (attachment->size, ==, 11);
  g_assert_cmpstr (attachment->name, ==, "gate.png");
  g_assert_true (attachment->fetched);

  back = wh_attachment_store_get_bytes (fixture->store, hash, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, png));

  g_assert_false (wh_attachment_hash_is_valid ("F6E4"));
  g_assert_false (wh_attachment_hash_is_valid (NULL));
  g_assert_false (wh_attachment_hash_is_valid ("../../../../etc/passwd/../../../../../../../../../../../../../aa"));
}

static void
test_dedup (Fixture      *fixture,
            gconstpointer data)
{
  g_autoptr (GBytes) photo = make_file ("jpeg", 4096, 7);
  g_autoptr (GBytes) other = make_file ("jpeg", 4096, 8);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAttachment) attachment = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  first = wh_attachment_store_put (fixture->store, photo, "image/jpeg", NULL, &error);
  g_assert_no_error (error);
  /* The same bytes again, under another name: one row, and the name it got later fills in
   * the one it did not have. */
  second = wh_attachment_store_put (fixture->store, photo, NULL, "gate.jpg", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM attachment"), ==, 1);
  attachment = wh_attachment_store_lookup (fixture->store, first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (attachment->name, ==, "gate.jpg");

  third = wh_attachment_store_put (fixture->store, other, "image/jpeg", "other.jpg", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (third, !=, first);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM attachment"), ==, 2);
}

static void
test_limits (Fixture      *fixture,
             gconstpointer data)
{
  g_autoptr (GBytes) largest = make_file ("pdf", WH_ATTACHMENT_MAX_SIZE, 1);
  g_autoptr (GBytes) too_large = make_file ("pdf", WH_ATTACHMENT_MAX_SIZE + 1, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = NULL;
  char *refused;

  hash = wh_attachment_store_put (fixture->store, largest, "application/pdf", "scan.pdf", &error);
  g_assert_no_error (error);
  g_assert_nonnull (hash);

  refused = wh_attachment_store_put (fixture->store, too_large, "application/pdf", "scan.pdf", &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_TOO_LARGE);
  g_assert_null (refused);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM attachment"), ==, 1);
}

static void
test_wrong_type (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr (GBytes) text = make_file ("text", 100, 0);
  g_autoptr (GBytes) jpeg = make_file ("jpeg", 100, 0);
  g_autoptr (GBytes) webp = make_file ("webp", 100, 0);
  g_autoptr (GBytes) riff = g_bytes_new_static ("RIFF\x10\0\0\0WAVEfmt ", 16);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *webp_hash = NULL;
  char *refused;

  /* Text said to be a photo, text of a type we do not take, and a JPEG said to be a PNG:
   * the bytes decide. */
  refused = wh_attachment_store_put (fixture->store, text, "image/jpeg", NULL, &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE);
  g_assert_null (refused);
  g_clear_error (&error);
  refused = wh_attachment_store_put (fixture->store, text, "text/plain", NULL, &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE);
  g_assert_null (refused);
  g_clear_error (&error);
  refused = wh_attachment_store_put (fixture->store, jpeg, "image/png", NULL, &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE);
  g_assert_null (refused);
  g_clear_error (&error);
  refused = wh_attachment_store_put (fixture->store, riff, NULL, NULL, &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE);
  g_assert_null (refused);
  g_clear_error (&error);
  refused = wh_attachment_store_put (fixture->store, empty, NULL, NULL, &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE);
  g_assert_null (refused);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM attachment"), ==, 0);

  g_assert_cmpstr (wh_attachment_sniff_type (webp), ==, "image/webp");
  webp_hash = wh_attachment_store_put (fixture->store, webp, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM attachment WHERE mime_type = 'image/webp'"), ==, 1);
}

static void
test_describe_then_put (Fixture      *fixture,
                        gconstpointer data)
{
  g_autoptr (GBytes) photo = make_file ("png", 2000, 3);
  g_autofree char *hash = wh_attachment_hash_bytes (photo);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAttachment) known = NULL;
  g_autoptr (WhAttachment) filled = NULL;
  g_autoptr (GBytes) none = NULL;
  g_autoptr (GBytes) back = NULL;
  g_autofree char *put = NULL;
  WhAttachment description = { hash, (char *) "image/png", 2000, (char *) "dir/gate.png", FALSE };
  WhAttachment bad = { (char *) "not-a-hash", (char *) "image/png", 2000, NULL, FALSE };

  g_assert_true (wh_attachment_store_describe (fixture->store, &description, &error));
  g_assert_no_error (error);
  known = wh_attachment_store_lookup (fixture->store, hash, &error);
  g_assert_no_error (error);
  g_assert_false (known->fetched);
  g_assert_cmpint (known->size, ==, 2000);
  /* Only the file's own name is kept, never a path. */
  g_assert_cmpstr (known->name, ==, "gate.png");

  none = wh_attachment_store_get_bytes (fixture->store, hash, &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FETCHED);
  g_assert_null (none);
  g_clear_error (&error);

  /* Describing again changes nothing. */
  g_assert_true (wh_attachment_store_describe (fixture->store, &description, &error));
  g_assert_false (wh_attachment_store_describe (fixture->store, &bad, &error));
  g_clear_error (&error);

  put = wh_attachment_store_put (fixture->store, photo, "image/png", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (put, ==, hash);
  filled = wh_attachment_store_lookup (fixture->store, hash, &error);
  g_assert_true (filled->fetched);
  g_assert_cmpstr (filled->name, ==, "gate.png");
  back = wh_attachment_store_get_bytes (fixture->store, hash, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, photo));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM attachment"), ==, 1);
}

static void
test_hash_mismatch (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr (GBytes) photo = make_file ("jpeg", 3000, 5);
  g_autoptr (GBytes) swapped = make_file ("jpeg", 3000, 6);
  g_autofree char *hash = wh_attachment_hash_bytes (photo);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAttachment) after = NULL;
  g_autoptr (GBytes) missing = NULL;
  WhAttachment description = { hash, (char *) "image/jpeg", 3000, (char *) "gate.jpg", FALSE };

  g_assert_true (wh_attachment_store_describe (fixture->store, &description, &error));

  /* Other bytes under this name are refused and nothing is stored. */
  g_assert_false (wh_attachment_store_fill (fixture->store, hash, swapped, &error));
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_HASH_MISMATCH);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM attachment"), ==, 1);
  missing = wh_attachment_store_get_bytes (fixture->store, hash, &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FETCHED);
  g_clear_error (&error);

  g_assert_true (wh_attachment_store_fill (fixture->store, hash, photo, &error));
  g_assert_no_error (error);
  after = wh_attachment_store_lookup (fixture->store, hash, &error);
  g_assert_true (after->fetched);
}

static void
test_not_found (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAttachment) attachment = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GPtrArray) none = NULL;
  const char *hash = "0000000000000000000000000000000000000000000000000000000000000000";

  attachment = wh_attachment_store_lookup (fixture->store, hash, &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FOUND);
  g_assert_null (attachment);
  g_clear_error (&error);
  bytes = wh_attachment_store_get_bytes (fixture->store, hash, &error);
  g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FOUND);
  g_assert_null (bytes);
  g_clear_error (&error);
  none = wh_attachment_store_list_for_event (fixture->store, "no-such-event", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static WhOp *
report_op (Fixture *fixture)
{
  g_autofree char *id = wh_uuid_new (NULL);
  g_autofree char *number = NULL;
  gint64 now = (gint64) 1763256600 * G_USEC_PER_SEC;
  WhOp *op = wh_op_new (WH_ACTION_REPORT, id, fixture->officer, now);

  number = wh_incident_store_next_number (fixture->incidents, STREET, now, NULL);
  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", STREET);
  wh_op_set_string (op, "source", "patrol");
  wh_op_set_string (op, "category_code", "0101");
  wh_op_set_string (op, "title", "Rubbish piled at the gate");
  return op;
}

/* An op's attachments become the event's, in order, in the event's transaction. */
static void
test_event_links (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr (GBytes) photo = make_file ("jpeg", 1000, 1);
  g_autoptr (GBytes) scan = make_file ("pdf", 1000, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhOp) op = report_op (fixture);
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autofree char *photo_hash = NULL;
  g_autofree char *scan_hash = NULL;

  scan_hash = wh_attachment_store_put (fixture->store, scan, NULL, "scan.pdf", &error);
  photo_hash = wh_attachment_store_put (fixture->store, photo, NULL, "gate.jpg", &error);
  g_assert_no_error (error);
  wh_op_add_attachment (op, scan_hash);
  wh_op_add_attachment (op, photo_hash);
  wh_op_add_attachment (op, scan_hash); /* once only */

  event = wh_incident_store_apply (fixture->incidents, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_no_error (error);
  listed = wh_attachment_store_list_for_event (fixture->store, event->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (((WhAttachment *) listed->pdata[0])->hash, ==, scan_hash);
  g_assert_cmpstr (((WhAttachment *) listed->pdata[1])->hash, ==, photo_hash);
  g_assert_cmpstr (((WhAttachment *) listed->pdata[1])->name, ==, "gate.jpg");
  all = wh_attachment_store_list_for_incident (fixture->store, op->incident_id, &error);
  g_assert_cmpuint (all->len, ==, 2);
  /* The outbox carries the names to the server. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox WHERE payload LIKE '%attachments%'"), ==, 1);
}

/* An op naming an attachment whose bytes are not here writes nothing at all. */
static void
test_missing_attachment (Fixture      *fixture,
                         gconstpointer data)
{
  g_autoptr (GBytes) photo = make_file ("jpeg", 1000, 1);
  g_autofree char *described = wh_attachment_hash_bytes (photo);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhOp) op = report_op (fixture);
  g_autoptr (WhOp) malformed = report_op (fixture);
  g_autoptr (WhIncidentEvent) event = NULL;
  WhAttachment description = { described, (char *) "image/jpeg", 1000, NULL, FALSE };

  wh_op_add_attachment (op, "1111111111111111111111111111111111111111111111111111111111111111");
  event = wh_incident_store_apply (fixture->incidents, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "has not been uploaded"));
  g_assert_null (event);
  g_clear_error (&error);

  /* Known only by its description: its bytes are not here either. */
  g_assert_true (wh_attachment_store_describe (fixture->store, &description, &error));
  json_object_remove_member (op->fields, "attachments");
  wh_op_add_attachment (op, described);
  event = wh_incident_store_apply (fixture->incidents, op, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
  g_assert_null (event);
  g_clear_error (&error);

  json_object_set_string_member (malformed->fields, "attachments", "gate.jpg");
  event = wh_incident_store_apply (fixture->incidents, malformed, WH_APPLY_RECORD_OUTBOX, &error);
  g_assert_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID);
  g_assert_null (event);
  g_clear_error (&error);

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM incident_event"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM event_attachment"), ==, 0);
}

/* The wire carries the descriptions; an import describes them and links the event. */
static void
test_wire_and_import (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr (GBytes) photo = make_file ("png", 5000, 9);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhOp) op = report_op (fixture);
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autoptr (WhIncident) incident = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (JsonNode) json = NULL;
  g_autoptr (WhIncidentEvent) read = NULL;
  g_autoptr (GPtrArray) read_events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *hash = NULL;
  g_autofree char *other_path = NULL;
  g_autoptr (WhDb) other = NULL;
  g_autoptr (WhIncidentStore) other_incidents = NULL;
  g_autoptr (WhAttachmentStore) other_store = NULL;
  g_autoptr (WhAttachment) seen = NULL;
  g_autoptr (GPtrArray) linked = NULL;
  GPtrArray *described;

  hash = wh_attachment_store_put (fixture->store, photo, "image/png", "gate.png", &error);
  wh_op_add_attachment (op, hash);
  event = wh_incident_store_apply (fixture->incidents, op, WH_APPLY_NONE, &error);
  g_assert_no_error (error);

  events = wh_incident_store_list_events (fixture->incidents, op->incident_id, &error);
  g_assert_true (wh_event_attachments_load (fixture->db, op->incident_id, events, &error));
  described = wh_event_get_attachments (events->pdata[0]);
  g_assert_nonnull (described);
  g_assert_cmpuint (described->len, ==, 1);

  json = wh_wire_event_to_json (events->pdata[0]);
  read = wh_wire_event_from_json (json, &error);
  g_assert_no_error (error);
  described = wh_event_get_attachments (read);
  g_assert_nonnull (described);
  g_assert_cmpstr (((WhAttachment *) described->pdata[0])->hash, ==, hash);
  g_assert_cmpstr (((WhAttachment *) described->pdata[0])->mime_type, ==, "image/png");
  g_assert_cmpint (((WhAttachment *) described->pdata[0])->size, ==, 5000);
  g_assert_cmpstr (((WhAttachment *) described->pdata[0])->name, ==, "gate.png");

  /* A second cache, as a desk that learns of the incident from the feed. */
  other_path = g_build_filename (fixture->dir, "other.db", NULL);
  other = wh_db_open (other_path, &error);
  g_assert_no_error (error);
  wh_db_exec (other,
              "INSERT INTO street (id, name, district, center_lon, center_lat) "
              "  VALUES ('" STREET "', 'Jinghua', 'Xicheng', 116.35, 39.915);"
              "INSERT INTO priority (level, name, factor) VALUES (0, 'normal', 1.0);"
              "INSERT INTO category (code, name, kind, response_minutes, handling_minutes, "
              "  working_hours, major) VALUES ('0101', 'Litter', 'event', 30, 2880, 0, 0);",
              &error);
  g_assert_no_error (error);
  other_incidents = wh_incident_store_new (other);
  other_store = wh_attachment_store_new (other);
  incident = wh_incident_store_get (fixture->incidents, op->incident_id, &error);
  g_ptr_array_add (read_events, g_object_ref (read));
  g_assert_true (wh_incident_store_import (other_incidents, incident, read_events, &error));
  g_assert_no_error (error);

  seen = wh_attachment_store_lookup (other_store, hash, &error);
  g_assert_no_error (error);
  g_assert_false (seen->fetched);
  g_assert_cmpstr (seen->name, ==, "gate.png");
  linked = wh_attachment_store_list_for_event (other_store, read->id, &error);
  g_assert_cmpuint (linked->len, ==, 1);

  /* Malformed descriptions are refused like any malformed answer. */
  {
    JsonObject *object = json_node_get_object (json);
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (object, "attachments"), 0);
    g_autoptr (WhIncidentEvent) refused = NULL;

    json_object_set_string_member (first, "hash", "../etc/passwd");
    refused = wh_wire_event_from_json (json, &error);
    g_assert_error (error, WH_WIRE_ERROR, WH_WIRE_ERROR_MALFORMED);
    g_assert_null (refused);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/attachments/hash", test_hash);
  ADD ("/attachments/dedup", test_dedup);
  ADD ("/attachments/limits", test_limits);
  ADD ("/attachments/wrong-type", test_wrong_type);
  ADD ("/attachments/describe-then-put", test_describe_then_put);
  ADD ("/attachments/hash-mismatch", test_hash_mismatch);
  ADD ("/attachments/not-found", test_not_found);
  ADD ("/attachments/event-links", test_event_links);
  ADD ("/attachments/missing-attachment", test_missing_attachment);
  ADD ("/attachments/wire-and-import", test_wire_and_import);

  return g_test_run ();
}
