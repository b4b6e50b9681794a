/* wh-sync-attachments.c — the engine's photos: sent before the ops that name them, fetched
 * when somebody looks at them */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "wh-attachment-store.h"
#include "wh-event-attachments.h"
#include "wh-sync-attachments.h"
#include "wh-sync-engine-private.h"

#define PATH "/api/v1/attachments"

/* Requests
 *
 * The engine's client sends JSON; attachments are raw bytes, asked for with HEAD and sent
 * with their own type. They go through the client's session (its TLS settings, timeouts and
 * language) with its token, and failures become the same WH_SYNC_ERROR codes. */

typedef struct {
  SoupMessage *msg;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->msg);
  g_free (request);
}

static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  WhSyncClient *client = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  guint status;
  int kind;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (error->domain == G_TLS_ERROR)
        g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_TLS,
                                 _("The certificate of the district server %s is not trusted."),
                                 wh_sync_client_get_server_url (client));
      else
        g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_NETWORK,
                                 _("Could not reach the district server %s: %s"),
                                 wh_sync_client_get_server_url (client), error->message);
      return;
    }

  status = soup_message_get_status (request->msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      g_task_return_new_error (task, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FOUND,
                               _("The district server has no such attachment."));
      return;
    }

  wh_sync_read_error_answer (body, &code, &message);
  kind = wh_sync_error_for_status (status);
  if (message != NULL)
    g_task_return_new_error (task, WH_SYNC_ERROR, kind, "%s", message);
  else
    g_task_return_new_error (task, WH_SYNC_ERROR, kind, _("The district server answered %u %s."),
                             status, soup_status_get_phrase (status));
}

/* Sends a request with the client's token; finishes with the body of a 2xx answer (empty for
 * HEAD), WH_ATTACHMENT_ERROR_NOT_FOUND for 404, or a WH_SYNC_ERROR. */
static void
send_request (WhSyncClient        *client,
              const char          *method,
              const char          *path,
              const char          *content_type,
              GBytes              *body,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (client, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (wh_sync_client_get_server_url (client), path, NULL);
  SoupSession *session = wh_sync_client_get_session (client);
  SoupMessageHeaders *headers;
  Request *request = g_new0 (Request, 1);

  request->msg = soup_message_new (method, url);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_NOT_CONFIGURED,
                               _("“%s” is not a valid address."), url);
      return;
    }
  headers = soup_message_get_request_headers (request->msg);
  if (wh_sync_client_get_token (client) != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", wh_sync_client_get_token (client), NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (request->msg, content_type, body);
  soup_session_send_and_read_async (session, request->msg, G_PRIORITY_DEFAULT, cancellable,
                                    request_done, g_steal_pointer (&task));
}

static GBytes *
send_finish (GAsyncResult *result,
             GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Work on the cache, in a worker thread, on the engine's connection */

typedef gpointer (*CacheFunc) (WhAttachmentStore *store,
                               gpointer           data,
                               GError           **error);

typedef struct {
  CacheFunc      func;
  gpointer       data;
  GDestroyNotify free_answer;
} CacheWork;

static void
cache_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WhSyncEngine *engine = source;
  CacheWork *work = task_data;
  g_autoptr (WhAttachmentStore) store = NULL;
  GError *error = NULL;
  gpointer answer;
  WhDb *db;

  db = wh_sync_engine_lock_db (engine);
  store = wh_attachment_store_new (db);
  answer = work->func (store, work->data, &error);
  wh_sync_engine_unlock_db (engine);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, work->free_answer);
}

/* Runs @func on the cache in a worker thread; its answer is freed with @free_answer when
 * nobody takes it. */
static void
run_on_cache (WhSyncEngine        *engine,
              CacheFunc            func,
              gpointer             data,
              GDestroyNotify       free_answer,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (engine, NULL, callback, user_data);
  CacheWork *work = g_new0 (CacheWork, 1);

  work->func = func;
  work->data = data;
  work->free_answer = free_answer;
  g_task_set_task_data (task, work, g_free);
  g_task_run_in_thread (task, cache_thread);
}

/* Upload */

typedef struct {
  GPtrArray    *hashes;     /* of char *: what the batch names, each once */
  guint         next;
  WhAttachment *current;    /* the one being sent */
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_pointer (&upload->hashes, g_ptr_array_unref);
  wh_attachment_free (upload->current);
  g_free (upload);
}

static void upload_next (GTask *task);

/* The crash test's count of uploads the server answered. */
static guint uploads_answered;

static void
uploaded (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = send_finish (result, &error);
  g_autoptr (JsonNode) root = NULL;
  const char *kill_after = g_getenv ("WHISTLE_SYNC_KILL_AFTER_UPLOAD");
  const char *hash = NULL;

  if (body == NULL)
    {
      if (g_error_matches (error, WH_SYNC_ERROR, WH_SYNC_ERROR_REFUSED))
        {
          /* The server will not take it (its limits, a type it refuses): the op goes and
           * the server's answer to it tells the duty officer why. */
          g_warning ("The district server refused attachment %s: %s", upload->current->hash,
                     error->message);
          upload_next (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (G_UNLIKELY (kill_after != NULL) &&
      ++uploads_answered == g_ascii_strtoull (kill_after, NULL, 10))
    {
      g_message ("Killing myself after upload %u, as the crash test asked", uploads_answered);
      raise (SIGKILL);
    }

  root = wh_sync_parse_json (body, &error);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    hash = json_object_get_string_member_with_default (json_node_get_object (root), "hash", NULL);
  if (g_strcmp0 (hash, upload->current->hash) != 0)
    {
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_PROTOCOL,
                               _("The district server did not store attachment %s as sent."),
                               upload->current->hash);
      return;
    }
  g_debug ("Uploaded attachment %s", hash);
  upload_next (g_steal_pointer (&task));
}

static gpointer
load_bytes (WhAttachmentStore *store,
            gpointer           data,
            GError           **error)
{
  return wh_attachment_store_get_bytes (store, ((WhAttachment *) data)->hash, error);
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  WhSyncEngine *engine = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  GCancellable *cancellable;

  if (bytes == NULL)
    {
      if (error->domain == WH_ATTACHMENT_ERROR)
        {
          /* Not here to send: the server's answer to the op will say what became of it. */
          g_warning ("Cannot send attachment %s: %s", upload->current->hash, error->message);
          upload_next (g_steal_pointer (&task));
          return;
        }
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_CACHE, "%s", error->message);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  name = g_uri_escape_string (upload->current->name ? upload->current->name : "", NULL, FALSE);
  path = *name != '\0' ? g_strconcat (PATH "?name=", name, NULL) : g_strdup (PATH);
  cancellable = g_task_get_cancellable (task);
  send_request (wh_sync_engine_get_client (engine), "POST", path, upload->current->mime_type,
                bytes, cancellable, uploaded, g_steal_pointer (&task));
}

static gpointer
lookup_description (WhAttachmentStore *store,
                    gpointer           data,
                    GError           **error)
{
  return wh_attachment_store_lookup (store, data, error);
}

static void
described (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  WhSyncEngine *engine = g_task_get_source_object (task);
  GError *error = NULL;
  WhAttachment *attachment = g_task_propagate_pointer (G_TASK (result), &error);

  if (attachment == NULL)
    {
      if (error->domain == WH_ATTACHMENT_ERROR)
        {
          g_warning ("Cannot send attachment %s: %s", upload->current->hash, error->message);
          g_error_free (error);
          upload_next (g_steal_pointer (&task));
          return;
        }
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_CACHE, "%s", error->message);
      g_error_free (error);
      return;
    }
  wh_attachment_free (upload->current);
  upload->current = attachment;
  run_on_cache (engine, load_bytes, upload->current, (GDestroyNotify) g_bytes_unref, loaded,
                g_steal_pointer (&task));
}

static void
asked (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  WhSyncEngine *engine = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = send_finish (result, &error);

  if (body != NULL)
    {
      /* The server has it (an earlier run sent it, or another desk did). */
      upload_next (g_steal_pointer (&task));
      return;
    }
  if (!g_error_matches (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  run_on_cache (engine, lookup_description, upload->current->hash,
                (GDestroyNotify) wh_attachment_free, described, g_steal_pointer (&task));
}

static void
upload_next (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  WhSyncEngine *engine = g_task_get_source_object (task);
  g_autofree char *path = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (upload->next >= upload->hashes->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  wh_attachment_free (upload->current);
  upload->current = g_new0 (WhAttachment, 1);
  upload->current->hash = g_strdup (g_ptr_array_index (upload->hashes, upload->next++));
  path = g_strconcat (PATH "/", upload->current->hash, NULL);
  send_request (wh_sync_engine_get_client (engine), "HEAD", path, NULL, NULL,
                g_task_get_cancellable (task), asked, task);
}

void
wh_sync_attachments_upload_async (WhSyncEngine        *engine,
                                  GPtrArray           *entries,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Upload *upload;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (WH_IS_SYNC_ENGINE (engine));
  g_return_if_fail (entries != NULL);

  task = g_task_new (engine, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_sync_attachments_upload_async);
  upload = g_new0 (Upload, 1);
  upload->hashes = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  for (guint i = 0; i < entries->len; i++)
    {
      WhOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GPtrArray) hashes = wh_event_attachments_get_hashes (entry->op->fields);

      for (guint j = 0; j < hashes->len; j++)
        if (g_hash_table_add (seen, hashes->pdata[j]))
          g_ptr_array_add (upload->hashes, g_strdup (hashes->pdata[j]));
    }
  upload_next (task);
}

gboolean
wh_sync_attachments_upload_finish (WhSyncEngine *engine,
                                   GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Fetch */

typedef struct {
  char   *hash;
  GBytes *bytes;  /* what the server sent */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->hash);
  g_clear_pointer (&fetch->bytes, g_bytes_unref);
  g_free (fetch);
}

static gpointer
read_local (WhAttachmentStore *store,
            gpointer           data,
            GError           **error)
{
  Fetch *fetch = data;
  g_autoptr (GError) local_error = NULL;
  GBytes *bytes = wh_attachment_store_get_bytes (store, fetch->hash, &local_error);

  /* Not here (yet) is no failure: the server is asked next. */
  if (bytes == NULL && local_error->domain != WH_ATTACHMENT_ERROR)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return bytes;
}

static gpointer
store_fetched (WhAttachmentStore *store,
               gpointer           data,
               GError           **error)
{
  Fetch *fetch = data;

  if (!wh_attachment_store_fill (store, fetch->hash, fetch->bytes, error))
    return NULL;
  return g_bytes_ref (fetch->bytes);
}

static void
fetched_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  GBytes *bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  WhSyncEngine *engine;
  GError *error = NULL;

  fetch->bytes = send_finish (result, &error);
  if (fetch->bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Checked (hash, type) and stored; bytes that are not what was asked for are dropped. */
  engine = g_task_get_source_object (task);
  run_on_cache (engine, store_fetched, fetch, (GDestroyNotify) g_bytes_unref, fetched_stored,
                g_steal_pointer (&task));
}

static void
local_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  WhSyncEngine *engine = g_task_get_source_object (task);
  GError *error = NULL;
  GBytes *bytes = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *path = NULL;
  GCancellable *cancellable;

  if (error != NULL)
    {
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_CACHE, "%s", error->message);
      g_error_free (error);
      return;
    }
  if (bytes != NULL)
    {
      g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  path = g_strconcat (PATH "/", fetch->hash, NULL);
  cancellable = g_task_get_cancellable (task);
  send_request (wh_sync_engine_get_client (engine), "GET", path, NULL, NULL, cancellable, fetched,
                g_steal_pointer (&task));
}

void
wh_sync_engine_fetch_attachment_async (WhSyncEngine        *self,
                                       const char          *hash,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (WH_IS_SYNC_ENGINE (self));
  g_return_if_fail (hash != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_sync_engine_fetch_attachment_async);
  if (!wh_attachment_hash_is_valid (hash))
    {
      g_task_return_new_error (task, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_NOT_FOUND,
                               _("There is no attachment %s."), hash);
      return;
    }
  fetch = g_new0 (Fetch, 1);
  fetch->hash = g_strdup (hash);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  run_on_cache (self, read_local, fetch, (GDestroyNotify) g_bytes_unref, local_read,
                g_steal_pointer (&task));
}

GBytes *
wh_sync_engine_fetch_attachment_finish (WhSyncEngine *self,
                                        GAsyncResult *result,
                                        GError      **error)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
