/* wh-sync-engine.c — the desk's sync with its district server: push, pull, conflicts */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>

#include "wh-sync-attachments.h"
#include "wh-sync-engine-private.h"
#include "wh-sync-engine.h"
#include "wh-sync-live.h"

#define DEFAULT_PAGE_SIZE          1000
#define MAX_PAGE_SIZE              1000   /* the server's limit */
#define DEFAULT_BATCH_SIZE         200
#define MAX_BATCH_SIZE             500    /* the server's limit */
#define MAX_BATCH_BYTES            (512 * 1024) /* well under the server's 1 MiB */
#define PAGES_AHEAD                2      /* pages parsed and waiting to be written */
#define ORGANISATION_MAX_AGE       (6 * G_TIME_SPAN_HOUR)
#define DEFAULT_POLL_SECONDS       60
#define LOCAL_CHANGE_DELAY_MS      1000
#define NETWORK_HINT_DELAY_MS      2000
#define BACKOFF_BASE_MS            2000
#define BACKOFF_MAX_MS             (5 * 60 * 1000)
#define DEFAULT_LIVE_POLL_SECONDS  (10 * 60) /* a safety net while the live socket is open */

struct _WhSyncEngine {
  GObject          parent_instance;

  WhSyncClient    *client;
  char            *user_name;

  /* The engine's own connection; used by one thread at a time, under db_lock. */
  GMutex           db_lock;
  WhDb            *db;
  WhSyncStore     *store;

  WhSyncStatus     status;
  guint            pending;
  guint            conflicts;
  gint64           last_success;
  char            *last_error;
  double           progress;
  guint            page_size;
  guint            batch_size;

  struct _Run     *run;           /* the run under way, or NULL */
  GPtrArray       *queued;        /* GTasks waiting for the next run */

  /* Running by itself */
  gboolean         automatic;
  guint            timer_id;
  guint            failures;
  guint            poll_seconds;
  GCancellable    *auto_cancellable;
  GNetworkMonitor *monitor;       /* NULL: the system's */
  GNetworkMonitor *watched;       /* the one listened to while running by itself */
  gulong           monitor_handler;
  guint            hint_id;
  guint            backoff_first_ms;
  guint            backoff_max_ms;
  gint64           timer_due;     /* monotonic µs of the scheduled run */

  /* Live updates (wh-sync-live.c): pull when told, poll rarely while told */
  WhSyncLive      *live;
  guint            live_poll_seconds;
  gint64           cursor;        /* the feed cursor of the cache, as last read */
  gint64           live_handled;  /* the newest told seq a run was started for */
};

G_DEFINE_FINAL_TYPE (WhSyncEngine, wh_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_PENDING,
  PROP_CONFLICTS,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  PROP_PROGRESS,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum { INCIDENTS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

GType
wh_sync_status_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { WH_SYNC_STATUS_OFFLINE, "WH_SYNC_STATUS_OFFLINE", "offline" },
    { WH_SYNC_STATUS_SYNCING, "WH_SYNC_STATUS_SYNCING", "syncing" },
    { WH_SYNC_STATUS_ONLINE, "WH_SYNC_STATUS_ONLINE", "online" },
    { WH_SYNC_STATUS_SIGN_IN_NEEDED, "WH_SYNC_STATUS_SIGN_IN_NEEDED", "sign-in-needed" },
    { WH_SYNC_STATUS_FAILED, "WH_SYNC_STATUS_FAILED", "failed" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static (g_intern_static_string ("WhSyncStatus"), values));
  return type;
}

/* Runs */

typedef struct _Run {
  WhSyncEngine *self;
  GPtrArray    *tasks;           /* GTasks to answer when the run ends */
  GCancellable *cancellable;
  WhSyncReport  report;
  WhSyncStatus  previous_status; /* shown again when the run is cancelled */
  GError       *error;           /* the first failure; the run stops at the next step */
  GError       *push_error;      /* ops the server could not store now; the pull goes on */

  /* Push */
  gint64        last_sent_id;
  guint         batch_limit;
  GPtrArray    *batch;           /* of WhOutboxEntry */

  /* Pull */
  gint64        since;           /* the cursor to fetch with next */
  gint64        events_since;    /* where this pass through the feed began */
  gboolean      fetching;
  guint         parsing;
  gboolean      writing;
  gboolean      last_fetched;    /* a page with more = false has been fetched */
  GQueue        pages;           /* parsed pages waiting to be written, in order */
  gint64        remaining;
} Run;

static void run_step_push (Run *run);
static void run_step_pull (Run *run);
static void run_finish    (Run *run);

static void on_live_changes   (WhSyncLive   *live,
                               gint64        latest,
                               WhSyncEngine *self);
static void on_live_connected (WhSyncLive   *live,
                               GParamSpec   *pspec,
                               WhSyncEngine *self);

static void
run_free (Run *run)
{
  WhChangePage *page;

  g_clear_pointer (&run->tasks, g_ptr_array_unref);
  g_clear_object (&run->cancellable);
  g_clear_error (&run->error);
  g_clear_error (&run->push_error);
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  while ((page = g_queue_pop_head (&run->pages)) != NULL)
    wh_change_page_free (page);
  g_clear_object (&run->self);
  g_free (run);
}

static gboolean
run_cancelled (Run *run)
{
  return g_cancellable_is_cancelled (run->cancellable);
}

/* Keeps the first failure; later ones are consequences. */
static void
run_fail (Run    *run,
          GError *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
}

/* Work on the cache in a worker thread, one at a time */

typedef gboolean (*DbFunc) (WhSyncEngine *self,
                            gpointer      data,
                            GError      **error);

typedef struct {
  DbFunc         func;
  gpointer       data;
  GDestroyNotify free_data;
} DbWork;

static void
db_work_free (DbWork *work)
{
  if (work->free_data != NULL)
    work->free_data (work->data);
  g_free (work);
}

static void
db_thread (GTask        *task,
           gpointer      source,
           gpointer      task_data,
           GCancellable *cancellable)
{
  WhSyncEngine *self = source;
  DbWork *work = task_data;
  GError *error = NULL;
  gboolean ok;

  g_mutex_lock (&self->db_lock);
  ok = work->func (self, work->data, &error);
  g_mutex_unlock (&self->db_lock);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Runs @func in a worker thread. Its outcome is what it did, even when the run has been
 * cancelled meanwhile: a committed page must count as committed. */
static void
run_db (WhSyncEngine        *self,
        DbFunc               func,
        gpointer             data,
        GDestroyNotify       free_data,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);
  DbWork *work = g_new0 (DbWork, 1);

  work->func = func;
  work->data = data;
  work->free_data = free_data;
  g_task_set_task_data (task, work, (GDestroyNotify) db_work_free);
  g_task_run_in_thread (task, db_thread);
}

static gpointer
db_work_data (GAsyncResult *result)
{
  return ((DbWork *) g_task_get_task_data (G_TASK (result)))->data;
}

/* Cache errors are the cache's, whatever their domain: the desk must say "the cache". */
static GError *
cache_error (GError *error)
{
  GError *wrapped;

  if (error->domain == WH_SYNC_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  if (error->domain == WH_SYNC_STORE_ERROR || error->domain == WH_DB_ERROR)
    wrapped = g_error_new_literal (WH_SYNC_ERROR, WH_SYNC_ERROR_CACHE, error->message);
  else
    wrapped = g_error_new_literal (WH_SYNC_ERROR, WH_SYNC_ERROR_PROTOCOL, error->message);
  g_error_free (error);
  return wrapped;
}

/* GObject */

static void
wh_sync_engine_dispose (GObject *object)
{
  WhSyncEngine *self = WH_SYNC_ENGINE (object);

  wh_sync_engine_stop (self);
  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_clear_object (&self->live);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->db);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (wh_sync_engine_parent_class)->dispose (object);
}

static void
wh_sync_engine_finalize (GObject *object)
{
  WhSyncEngine *self = WH_SYNC_ENGINE (object);

  g_free (self->user_name);
  g_free (self->last_error);
  g_mutex_clear (&self->db_lock);

  G_OBJECT_CLASS (wh_sync_engine_parent_class)->finalize (object);
}

static void
wh_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WhSyncEngine *self = WH_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_CONFLICTS:
      g_value_set_uint (value, self->conflicts);
      break;
    case PROP_LAST_SUCCESS:
      g_value_set_int64 (value, self->last_success);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_sync_engine_class_init (WhSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_sync_engine_dispose;
  object_class->finalize = wh_sync_engine_finalize;
  object_class->get_property = wh_sync_engine_get_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, WH_TYPE_SYNC_STATUS, WH_SYNC_STATUS_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFLICTS] =
    g_param_spec_uint ("conflicts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SUCCESS] =
    g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WhSyncEngine::incidents-changed:
   * @ids: (array zero-terminated=1): the incidents whose record in the cache changed
   *
   * Emitted on the main context after a step of sync committed changes to the cache.
   */
  signals[INCIDENTS_CHANGED] =
    g_signal_new ("incidents-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
wh_sync_engine_init (WhSyncEngine *self)
{
  g_mutex_init (&self->db_lock);
  self->status = WH_SYNC_STATUS_OFFLINE;
  self->page_size = DEFAULT_PAGE_SIZE;
  self->batch_size = DEFAULT_BATCH_SIZE;
  self->poll_seconds = DEFAULT_POLL_SECONDS;
  self->backoff_first_ms = BACKOFF_BASE_MS;
  self->backoff_max_ms = BACKOFF_MAX_MS;
  self->live_poll_seconds = DEFAULT_LIVE_POLL_SECONDS;
  self->queued = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Properties */

static void
set_status (WhSyncEngine *self,
            WhSyncStatus  status)
{
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_progress (WhSyncEngine *self,
              double        progress)
{
  progress = CLAMP (progress, 0.0, 1.0);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_last_error (WhSyncEngine *self,
                const char   *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

typedef struct {
  guint   pending;
  guint   conflicts;
  gint64  last_success;
  gint64  cursor;
  char   *last_error;
} Counts;

/* Under db_lock. */
static gboolean
read_counts (WhSyncEngine *self,
             Counts       *counts,
             GError      **error)
{
  g_autoptr (WhSyncState) state = wh_sync_store_get_state (self->store, error);
  GError *local_error = NULL;

  if (state == NULL)
    return FALSE;
  counts->last_success = state->last_success_at;
  counts->cursor = state->cursor;
  g_free (counts->last_error);
  counts->last_error = g_strdup (state->last_error);
  counts->pending = wh_sync_store_count_outbox (self->store, &local_error);
  if (local_error == NULL)
    counts->conflicts = wh_sync_store_count_conflicts (self->store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static void
apply_counts (WhSyncEngine *self,
              const Counts *counts)
{
  g_object_freeze_notify (G_OBJECT (self));
  self->cursor = counts->cursor;
  if (self->pending != counts->pending)
    {
      self->pending = counts->pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if (self->conflicts != counts->conflicts)
    {
      self->conflicts = counts->conflicts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICTS]);
    }
  if (self->last_success != counts->last_success)
    {
      self->last_success = counts->last_success;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
    }
  set_last_error (self, counts->last_error && *counts->last_error ? counts->last_error : NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
wh_sync_engine_refresh (WhSyncEngine *self)
{
  Counts counts = { 0, };
  g_autoptr (GError) error = NULL;
  gboolean ok;

  g_return_if_fail (WH_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->db_lock);
  ok = read_counts (self, &counts, &error);
  g_mutex_unlock (&self->db_lock);
  if (ok)
    apply_counts (self, &counts);
  else
    g_warning ("Could not read the sync state of the cache: %s", error->message);
  g_free (counts.last_error);
}

/* For the crash test only (WHISTLE_SYNC_KILL_IN_PAGE=N): the Nth page is written but not
 * committed when the process dies, and must then leave no trace. */
static void
kill_in_page (WhSyncStore *store,
              gpointer     user_data)
{
  static guint pages;

  if (++pages == GPOINTER_TO_UINT (user_data))
    {
      g_message ("Killing myself before committing page %u, as the crash test asked", pages);
      raise (SIGKILL);
    }
}

WhSyncEngine *
wh_sync_engine_new (const char    *cache_path,
                    WhSyncClient  *client,
                    const char    *user_name,
                    GError       **error)
{
  g_autoptr (WhSyncEngine) self = NULL;
  g_autoptr (WhDb) db = NULL;

  g_return_val_if_fail (cache_path != NULL, NULL);
  g_return_val_if_fail (WH_IS_SYNC_CLIENT (client), NULL);
  g_return_val_if_fail (user_name != NULL, NULL);

  db = wh_db_open (cache_path, error);
  if (db == NULL)
    return NULL;

  self = g_object_new (WH_TYPE_SYNC_ENGINE, NULL);
  self->client = g_object_ref (client);
  self->user_name = g_strdup (user_name);
  self->db = g_steal_pointer (&db);
  self->store = wh_sync_store_new (self->db);
  self->live = wh_sync_live_new (client);
  g_signal_connect (self->live, "changes", G_CALLBACK (on_live_changes), self);
  g_signal_connect (self->live, "notify::connected", G_CALLBACK (on_live_connected), self);
  if (G_UNLIKELY (g_getenv ("WHISTLE_SYNC_KILL_IN_PAGE") != NULL))
    wh_sync_store_set_page_hook (self->store, kill_in_page,
                                 GUINT_TO_POINTER (g_ascii_strtoull (g_getenv ("WHISTLE_SYNC_KILL_IN_PAGE"),
                                                                     NULL, 10)));
  wh_sync_engine_refresh (self);
  return g_steal_pointer (&self);
}

WhSyncClient *
wh_sync_engine_get_client (WhSyncEngine *self)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), NULL);
  return self->client;
}

WhSyncStatus
wh_sync_engine_get_status (WhSyncEngine *self)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), WH_SYNC_STATUS_OFFLINE);
  return self->status;
}

guint
wh_sync_engine_get_pending (WhSyncEngine *self)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), 0);
  return self->pending;
}

guint
wh_sync_engine_get_conflicts (WhSyncEngine *self)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), 0);
  return self->conflicts;
}

gint64
wh_sync_engine_get_last_success (WhSyncEngine *self)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), 0);
  return self->last_success;
}

const char *
wh_sync_engine_get_last_error (WhSyncEngine *self)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), NULL);
  return self->last_error;
}

double
wh_sync_engine_get_progress (WhSyncEngine *self)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), 0.0);
  return self->progress;
}

void
wh_sync_engine_set_page_size (WhSyncEngine *self,
                              guint         changes)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));
  self->page_size = CLAMP (changes, 1, MAX_PAGE_SIZE);
}

void
wh_sync_engine_set_batch_size (WhSyncEngine *self,
                               guint         ops)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));
  self->batch_size = CLAMP (ops, 1, MAX_BATCH_SIZE);
}

void
wh_sync_engine_set_poll_interval (WhSyncEngine *self,
                                  guint         seconds)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));
  self->poll_seconds = MAX (seconds, 1);
}

static void
emit_changed (WhSyncEngine *self,
              GPtrArray    *ids)
{
  if (ids == NULL || ids->len == 0)
    return;
  g_ptr_array_add (ids, NULL);
  g_signal_emit (self, signals[INCIDENTS_CHANGED], 0, (char **) ids->pdata);
  g_ptr_array_set_size (ids, ids->len - 1);
}

/* Step 1: bind the cache to the server, and fetch the organisation when needed */

typedef struct {
  char        *server_url;
  char        *user_name;
  WhSyncState *state;
} Prepare;

static void
prepare_free (Prepare *prepare)
{
  g_free (prepare->server_url);
  g_free (prepare->user_name);
  g_clear_pointer (&prepare->state, wh_sync_state_free);
  g_free (prepare);
}

static gboolean
prepare_in_thread (WhSyncEngine *self,
                   gpointer      data,
                   GError      **error)
{
  Prepare *prepare = data;

  if (!wh_sync_store_bind (self->store, prepare->server_url, prepare->user_name, error))
    return FALSE;
  prepare->state = wh_sync_store_get_state (self->store, error);
  return prepare->state != NULL;
}

typedef struct {
  GBytes *body;
} Organisation;

static void
organisation_free (Organisation *organisation)
{
  g_clear_pointer (&organisation->body, g_bytes_unref);
  g_free (organisation);
}

static gboolean
organisation_in_thread (WhSyncEngine *self,
                        gpointer      data,
                        GError      **error)
{
  Organisation *organisation = data;
  g_autoptr (JsonNode) root = wh_sync_parse_json (organisation->body, error);

  if (root == NULL)
    return FALSE;
  if (!wh_sync_store_import_organisation (self->store, root, g_get_real_time (), error))
    {
      if (error != NULL && *error != NULL && (*error)->domain == G_IO_ERROR)
        g_prefix_error (error, _("The organisation sent by the server cannot be read: "));
      return FALSE;
    }
  return TRUE;
}

static void
organisation_stored (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      run_fail (run, cache_error (error));
      run_finish (run);
      return;
    }
  run_step_push (run);
}

static void
organisation_fetched (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  Organisation *organisation = g_new0 (Organisation, 1);

  organisation->body = wh_sync_client_request_finish (WH_SYNC_CLIENT (source), result, &error);
  if (organisation->body == NULL)
    {
      organisation_free (organisation);
      run_fail (run, error);
      run_finish (run);
      return;
    }
  run_db (run->self, organisation_in_thread, organisation, (GDestroyNotify) organisation_free,
          organisation_stored, run);
}

static void
prepared (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Run *run = user_data;
  Prepare *prepare = db_work_data (result);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      run_fail (run, cache_error (error));
      run_finish (run);
      return;
    }
  run->since = prepare->state->cursor;
  run->events_since = prepare->state->pass_start;

  if (run_cancelled (run))
    {
      run_finish (run);
      return;
    }
  if (prepare->state->organisation_at == 0 ||
      g_get_real_time () - prepare->state->organisation_at > ORGANISATION_MAX_AGE)
    {
      run->report.first_sync = prepare->state->organisation_at == 0;
      wh_sync_client_request_async (run->self->client, "GET", "/api/v1/organisation", NULL,
                                    run->cancellable, organisation_fetched, run);
      return;
    }
  run_step_push (run);
}

/* Step 2: push the outbox */

typedef struct {
  gint64     after_id;
  guint      max_ops;
  GPtrArray *entries;
} Peek;

static void
peek_free (Peek *peek)
{
  g_clear_pointer (&peek->entries, g_ptr_array_unref);
  g_free (peek);
}

static gboolean
peek_in_thread (WhSyncEngine *self,
                gpointer      data,
                GError      **error)
{
  Peek *peek = data;

  peek->entries = wh_sync_store_peek_outbox (self->store, peek->after_id, peek->max_ops,
                                             MAX_BATCH_BYTES, error);
  return peek->entries != NULL;
}

typedef struct {
  GPtrArray   *entries;     /* of WhOutboxEntry */
  GBytes      *body;        /* the server's answer, or NULL */
  char        *failure;     /* or why the batch did not get through */
  char        *refused;     /* or why the server refused the one op of the batch */
  WhPushCounts counts;
  GPtrArray   *changed;
} Answers;

static void
answers_free (Answers *answers)
{
  g_clear_pointer (&answers->entries, g_ptr_array_unref);
  g_clear_pointer (&answers->body, g_bytes_unref);
  g_free (answers->failure);
  g_free (answers->refused);
  g_clear_pointer (&answers->changed, g_ptr_array_unref);
  g_free (answers);
}

static GPtrArray *
read_results (GBytes  *body,
              GError **error)
{
  g_autoptr (JsonNode) root = wh_sync_parse_json (body, error);
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_op_result_free);
  JsonNode *list;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (list = json_object_get_member (json_node_get_object (root), "results")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_PROTOCOL,
                   _("The district server’s answer to the changes has no results."));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      g_autoptr (GError) local_error = NULL;
      WhOpResult *result = wh_op_result_from_json (json_array_get_element (json_node_get_array (list), i),
                                                   &local_error);

      if (result == NULL)
        {
          g_set_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_PROTOCOL,
                       _("The district server’s answer to the changes cannot be read: %s"),
                       local_error->message);
          return NULL;
        }
      g_ptr_array_add (results, result);
    }
  return g_steal_pointer (&results);
}

static gboolean
answers_in_thread (WhSyncEngine *self,
                   gpointer      data,
                   GError      **error)
{
  Answers *answers = data;
  g_autoptr (GPtrArray) results = NULL;

  if (answers->failure != NULL)
    return wh_sync_store_note_failure (self->store, answers->entries, answers->failure, error);

  if (answers->refused != NULL)
    {
      /* The server refused the batch for this one op, which it could not even read: that
       * is its answer for exactly this op, and it will never change. */
      WhOutboxEntry *entry = g_ptr_array_index (answers->entries, 0);
      WhOpResult *result = wh_op_result_new (entry->op->op_id, WH_OP_OUTCOME_REJECTED);

      result->code = g_strdup ("invalid_op");
      result->reason = g_strdup (answers->refused);
      results = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_op_result_free);
      g_ptr_array_add (results, result);
    }
  else
    {
      /* An answer the desk cannot read stores nothing: the batch goes again later. */
      g_autoptr (GError) read_error = NULL;

      results = read_results (answers->body, &read_error);
      if (results == NULL)
        {
          if (!wh_sync_store_note_failure (self->store, answers->entries, read_error->message, error))
            return FALSE;
          g_propagate_error (error, g_steal_pointer (&read_error));
          return FALSE;
        }
    }
  return wh_sync_store_store_answers (self->store, answers->entries, results, &answers->counts,
                                      answers->changed, error);
}

static void
answers_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  Answers *answers = db_work_data (result);
  GError *error = NULL;
  WhPushCounts *total = &run->report.pushed;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      run_fail (run, cache_error (error));
      run_finish (run);
      return;
    }
  emit_changed (run->self, answers->changed);

  total->applied += answers->counts.applied;
  total->duplicate += answers->counts.duplicate;
  total->conflict += answers->counts.conflict;
  total->rejected += answers->counts.rejected;
  total->failed += answers->counts.failed;

  if (answers->failure != NULL)
    {
      /* The batch stays whole in the outbox; the run's error was set when it failed. */
      run_finish (run);
      return;
    }
  if (answers->refused != NULL)
    run->batch_limit = run->self->batch_size;

  run->last_sent_id = ((WhOutboxEntry *) g_ptr_array_index (answers->entries,
                                                            answers->entries->len - 1))->id;
  if (answers->counts.failed > 0)
    {
      /* The server could not store some ops now. The rest of the outbox may depend on them
       * (a note on a report that did not get stored), so it waits too; the pull goes on. */
      if (run->push_error == NULL)
        run->push_error = g_error_new (WH_SYNC_ERROR, WH_SYNC_ERROR_SERVER,
                                       _("The district server could not store every change now; "
                                         "they will be sent again."));
      run_step_pull (run);
      return;
    }
  run_step_push (run);
}

static void
batch_sent (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  Answers *answers = g_new0 (Answers, 1);

  answers->entries = g_steal_pointer (&run->batch);
  answers->changed = g_ptr_array_new_with_free_func (g_free);
  answers->body = wh_sync_client_request_finish (WH_SYNC_CLIENT (source), result, &error);
  if (answers->body == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelled by the desk: not an attempt that failed. The ops stay as they are. */
      answers_free (answers);
      run_fail (run, error);
      run_finish (run);
      return;
    }
  if (answers->body == NULL)
    {
      if (g_error_matches (error, WH_SYNC_ERROR, WH_SYNC_ERROR_BAD_CHANGE) && answers->entries->len > 1)
        {
          /* One op of the batch is unreadable to the server. Sending them one by one finds
           * it; the others go through as usual. */
          g_clear_error (&error);
          answers_free (answers);
          run->batch_limit = 1;
          run_step_push (run);
          return;
        }
      if (g_error_matches (error, WH_SYNC_ERROR, WH_SYNC_ERROR_BAD_CHANGE))
        {
          answers->refused = g_strdup (error->message);
          g_clear_error (&error);
        }
      else
        {
          answers->failure = g_strdup (error->message);
          run_fail (run, error);
        }
    }
  else
    run->report.batches++;
  run_db (run->self, answers_in_thread, answers, (GDestroyNotify) answers_free, answers_stored, run);
}

static void attachments_uploaded (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data);

static void
peeked (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;
  Peek *peek = db_work_data (result);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      run_fail (run, cache_error (error));
      run_finish (run);
      return;
    }
  if (peek->entries->len == 0 || run_cancelled (run))
    {
      run_step_pull (run);
      return;
    }

  run->batch = g_steal_pointer (&peek->entries);
  /* The photos the ops name go up first: the server refuses an op naming one it lacks. */
  wh_sync_attachments_upload_async (run->self, run->batch, run->cancellable,
                                    attachments_uploaded, run);
}

static void
attachments_uploaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr (GString) body = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gsize length;

  if (!wh_sync_attachments_upload_finish (run->self, result, &error))
    {
      Answers *answers;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_pointer (&run->batch, g_ptr_array_unref);
          run_fail (run, error);
          run_finish (run);
          return;
        }
      /* Not sent: the batch stays whole in the outbox, as when it does not get through. */
      answers = g_new0 (Answers, 1);
      answers->entries = g_steal_pointer (&run->batch);
      answers->changed = g_ptr_array_new_with_free_func (g_free);
      answers->failure = g_strdup (error->message);
      run_fail (run, error);
      run_db (run->self, answers_in_thread, answers, (GDestroyNotify) answers_free, answers_stored, run);
      return;
    }

  /* The stored payloads are the ops' JSON already: no need to build them again. */
  body = g_string_new ("{\"ops\":[");
  for (guint i = 0; i < run->batch->len; i++)
    {
      WhOutboxEntry *entry = g_ptr_array_index (run->batch, i);

      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append (body, entry->payload);
    }
  g_string_append (body, "]}");
  length = body->len;
  bytes = g_bytes_new_take (g_string_free (g_steal_pointer (&body), FALSE), length);

  wh_sync_client_request_async (run->self->client, "POST", "/api/v1/ops", bytes, run->cancellable,
                                batch_sent, run);
}

static void
run_step_push (Run *run)
{
  Peek *peek;

  if (run->error != NULL || run_cancelled (run))
    {
      run_finish (run);
      return;
    }
  peek = g_new0 (Peek, 1);
  peek->after_id = run->last_sent_id;
  peek->max_ops = run->batch_limit;
  run_db (run->self, peek_in_thread, peek, (GDestroyNotify) peek_free, peeked, run);
}

/* Step 3: pull the changes feed, one page downloading while another is written */

static void pull_fetch (Run *run);
static void pull_write (Run *run);

static gboolean
pull_idle (Run *run)
{
  return !run->fetching && run->parsing == 0 && !run->writing;
}

/* Decides what to do next; called whenever a fetch, a parse or a write ends. */
static void
pull_next (Run *run)
{
  gboolean stop = run->error != NULL || run_cancelled (run);

  if (!stop && !run->writing && !g_queue_is_empty (&run->pages))
    pull_write (run);
  if (!stop && !run->fetching && run->parsing == 0 && !run->last_fetched &&
      g_queue_get_length (&run->pages) < PAGES_AHEAD)
    pull_fetch (run);

  if (pull_idle (run) && (stop || (run->last_fetched && g_queue_is_empty (&run->pages))))
    run_finish (run);
}

static void
parse_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GBytes *body = task_data;
  g_autoptr (JsonNode) root = NULL;
  GError *error = NULL;
  WhChangePage *page;
  gint64 started = g_get_monotonic_time ();

  root = wh_sync_parse_json (body, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  page = wh_change_page_from_json (root, &error);
  if (page == NULL)
    {
      g_task_return_new_error (task, WH_SYNC_ERROR, WH_SYNC_ERROR_PROTOCOL,
                               _("The changes sent by the district server cannot be read: %s"),
                               error->message);
      g_error_free (error);
      return;
    }
  g_debug ("Parsed a page of %u changes (%zu bytes) in %.0f ms", page->changes->len,
           g_bytes_get_size (body), (g_get_monotonic_time () - started) / 1000.0);
  g_task_return_pointer (task, page, (GDestroyNotify) wh_change_page_free);
}

static void
page_parsed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  WhChangePage *page = g_task_propagate_pointer (G_TASK (result), &error);

  run->parsing--;
  if (page == NULL)
    run_fail (run, error);
  else if (page->next_since < run->since || (page->more && page->next_since == run->since))
    {
      /* A cursor that does not move would make the desk read the same page for ever. */
      run_fail (run, g_error_new (WH_SYNC_ERROR, WH_SYNC_ERROR_PROTOCOL,
                                  _("The district server’s changes feed did not move on.")));
      wh_change_page_free (page);
    }
  else
    {
      run->since = page->next_since;
      run->last_fetched = !page->more;
      g_queue_push_tail (&run->pages, page);
    }
  pull_next (run);
}

static void
page_fetched (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr (GBytes) body = wh_sync_client_request_finish (WH_SYNC_CLIENT (source), result, &error);
  g_autoptr (GTask) task = NULL;

  run->fetching = FALSE;
  if (body == NULL)
    {
      run_fail (run, error);
      pull_next (run);
      return;
    }
  run->parsing++;
  task = g_task_new (run->self, NULL, page_parsed, run);
  g_task_set_task_data (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, parse_thread);
}

static void
pull_fetch (Run *run)
{
  /* events_since: the desk has every event up to its last complete pass, but not every
   * event up to its cursor (see wh_change_feed_read_pass()). */
  g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                           "&events_since=%" G_GINT64_FORMAT "&limit=%u",
                                           run->since, MIN (run->events_since, run->since),
                                           run->self->page_size);

  run->fetching = TRUE;
  wh_sync_client_request_async (run->self->client, "GET", path, NULL, run->cancellable,
                                page_fetched, run);
}

typedef struct {
  WhChangePage *page;
  GPtrArray    *changed;
} PageWrite;

static void
page_write_free (PageWrite *write)
{
  g_clear_pointer (&write->page, wh_change_page_free);
  g_clear_pointer (&write->changed, g_ptr_array_unref);
  g_free (write);
}

static gboolean
write_in_thread (WhSyncEngine *self,
                 gpointer      data,
                 GError      **error)
{
  PageWrite *write = data;
  gint64 started = g_get_monotonic_time ();
  gboolean ok;

  /* The page's own transaction, not nested in one of ours: savepoints inside a long
   * transaction make SQLite keep every inner step's undo record until the end. */
  ok = wh_sync_store_apply_page (self->store, write->page, write->changed, error);
  g_debug ("Wrote a page of %u changes in %.0f ms", write->page->changes->len,
           (g_get_monotonic_time () - started) / 1000.0);
  return ok;
}

static void
page_written (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  PageWrite *write = db_work_data (result);
  GError *error = NULL;

  run->writing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    run_fail (run, cache_error (error));
  else
    {
      run->report.pages++;
      run->report.pulled += write->page->changes->len;
      run->report.cursor = write->page->next_since;
      run->remaining = write->page->remaining;
      set_progress (run->self, (double) run->report.pulled / (run->report.pulled + MAX (run->remaining, 0)));
      emit_changed (run->self, write->changed);
    }
  pull_next (run);
}

static void
pull_write (Run *run)
{
  PageWrite *write = g_new0 (PageWrite, 1);

  write->page = g_queue_pop_head (&run->pages);
  write->changed = g_ptr_array_new_with_free_func (g_free);
  run->writing = TRUE;
  run_db (run->self, write_in_thread, write, (GDestroyNotify) page_write_free, page_written, run);
}

static void
run_step_pull (Run *run)
{
  if (run->error != NULL || run_cancelled (run))
    {
      run_finish (run);
      return;
    }
  pull_next (run);
}

/* The end of a run */

typedef struct {
  gboolean  success;
  char     *message;
  Counts    counts;
} Ending;

static void
ending_free (Ending *ending)
{
  g_free (ending->message);
  g_free (ending->counts.last_error);
  g_free (ending);
}

static gboolean
ending_in_thread (WhSyncEngine *self,
                  gpointer      data,
                  GError      **error)
{
  Ending *ending = data;
  gboolean ok;

  if (ending->success)
    ok = wh_sync_store_record_success (self->store, g_get_real_time (), error);
  else if (ending->message != NULL)
    ok = wh_sync_store_record_failure (self->store, ending->message, error);
  else
    ok = TRUE; /* cancelled: nothing failed */
  return ok && read_counts (self, &ending->counts, error);
}

static WhSyncStatus
status_after (const GError *error)
{
  if (error == NULL)
    return WH_SYNC_STATUS_ONLINE;
  if (error->domain != WH_SYNC_ERROR)
    return WH_SYNC_STATUS_FAILED;
  switch (error->code)
    {
    case WH_SYNC_ERROR_NETWORK:
    case WH_SYNC_ERROR_RATE_LIMITED:
    case WH_SYNC_ERROR_SERVER:
    case WH_SYNC_ERROR_PROTOCOL:
      return WH_SYNC_STATUS_OFFLINE;
    case WH_SYNC_ERROR_AUTH:
      return WH_SYNC_STATUS_SIGN_IN_NEEDED;
    default:
      return WH_SYNC_STATUS_FAILED;
    }
}

static void start_run (WhSyncEngine *self,
                       GTask        *first);

static void
run_ended (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;
  WhSyncEngine *self = run->self;
  Ending *ending = db_work_data (result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) next = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      apply_counts (self, &ending->counts);
      run->report.waiting = ending->counts.pending;
      run->report.conflicts = ending->counts.conflicts;
      if (run->report.cursor == 0)
        run->report.cursor = ending->counts.cursor;
    }
  else
    g_warning ("Could not note the end of sync in the cache: %s", error->message);

  if (run->error == NULL && run->push_error != NULL)
    run->error = g_steal_pointer (&run->push_error);

  if (g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (self, run->previous_status);
  else
    set_status (self, status_after (run->error));
  if (run->error != NULL && !g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_last_error (self, run->error->message);
  if (run->error == NULL)
    set_progress (self, 1.0);

  for (guint i = 0; i < run->tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (run->tasks, i);

      if (run->error != NULL)
        g_task_return_error (task, g_error_copy (run->error));
      else
        {
          WhSyncReport *report = g_memdup2 (&run->report, sizeof run->report);

          g_task_return_pointer (task, report, g_free);
        }
    }

  self->run = NULL;
  run_free (run);

  /* Requests made during the run get a run of their own, so they see what came before. */
  if (self->queued->len > 0)
    {
      next = g_steal_pointer (&self->queued);
      self->queued = g_ptr_array_new_with_free_func (g_object_unref);
      start_run (self, g_ptr_array_index (next, 0));
      for (guint i = 1; i < next->len; i++)
        g_ptr_array_add (self->run->tasks, g_object_ref (g_ptr_array_index (next, i)));
    }
}

static void
run_finish (Run *run)
{
  Ending *ending;

  /* The pull may still have a page on its way; the run ends when it is done. */
  if (!pull_idle (run))
    return;

  ending = g_new0 (Ending, 1);
  ending->success = run->error == NULL && run->push_error == NULL && !run_cancelled (run);
  if (run->error == NULL && run_cancelled (run))
    run->error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sync was cancelled."));
  if (!ending->success && !g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GError *error = run->error ? run->error : run->push_error;

      ending->message = g_strdup (error ? error->message : "");
    }
  run_db (run->self, ending_in_thread, ending, (GDestroyNotify) ending_free, run_ended, run);
}

static void
start_run (WhSyncEngine *self,
           GTask        *first)
{
  Run *run = g_new0 (Run, 1);
  Prepare *prepare;

  g_assert (self->run == NULL);

  run->self = g_object_ref (self);
  run->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (run->tasks, g_object_ref (first));
  run->cancellable = g_task_get_cancellable (first) ? g_object_ref (g_task_get_cancellable (first))
                                                    : g_cancellable_new ();
  run->batch_limit = self->batch_size;
  g_queue_init (&run->pages);
  run->previous_status = self->status;
  self->run = run;

  set_progress (self, 0.0);
  set_status (self, WH_SYNC_STATUS_SYNCING);

  if (wh_sync_client_get_token (self->client) == NULL)
    {
      run_fail (run, g_error_new (WH_SYNC_ERROR, WH_SYNC_ERROR_AUTH,
                                  _("Sign in to the district server to sync.")));
      run_finish (run);
      return;
    }

  prepare = g_new0 (Prepare, 1);
  prepare->server_url = g_strdup (wh_sync_client_get_server_url (self->client));
  prepare->user_name = g_strdup (self->user_name);
  run_db (self, prepare_in_thread, prepare, (GDestroyNotify) prepare_free, prepared, run);
}

void
wh_sync_engine_sync_async (WhSyncEngine        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (WH_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_sync_engine_sync_async);
  /* The run decides when it has ended: a page half-written when the cancellable fires is
   * still committed or rolled back first. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->run != NULL)
    g_ptr_array_add (self->queued, g_steal_pointer (&task));
  else
    start_run (self, task);
}

gboolean
wh_sync_engine_sync_finish (WhSyncEngine  *self,
                            GAsyncResult  *result,
                            WhSyncReport  *report,
                            GError       **error)
{
  g_autofree WhSyncReport *done = NULL;

  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return FALSE;
  if (report != NULL)
    *report = *done;
  return TRUE;
}

/* Running by itself */

guint
wh_sync_engine_backoff_delay (guint  failures,
                              guint  retry_after,
                              GRand *rand)
{
  return wh_sync_engine_backoff_delay_full (failures, retry_after, BACKOFF_BASE_MS, BACKOFF_MAX_MS, rand);
}

guint
wh_sync_engine_backoff_delay_full (guint  failures,
                                   guint  retry_after,
                                   guint  first_ms,
                                   guint  max_ms,
                                   GRand *rand)
{
  guint64 delay = MAX (first_ms, 2);
  guint64 jittered;

  for (guint i = 1; i < failures && delay < max_ms; i++)
    delay *= 2;
  delay = MIN (delay, MAX (max_ms, first_ms));
  /* "Equal jitter": never less than half the delay, so backing off still backs off. */
  jittered = delay / 2 + (rand ? g_rand_int_range (rand, 0, delay / 2 + 1)
                               : g_random_int_range (0, delay / 2 + 1));
  return MAX (jittered, (guint64) retry_after * 1000);
}

static void schedule_run (WhSyncEngine *self,
                          guint         delay_ms);

/* Live updates. Each told seq starts one run at most: a feed whose newest entries the
 * cache never takes must not make the engine run for ever. */
static gboolean
run_for_live_news (WhSyncEngine *self)
{
  gint64 latest = wh_sync_live_get_latest (self->live);

  if (!self->automatic || self->failures > 0 || latest <= self->cursor || latest <= self->live_handled)
    return FALSE;
  self->live_handled = latest;
  schedule_run (self, 0);
  return TRUE;
}

static guint
poll_delay_ms (WhSyncEngine *self)
{
  return (wh_sync_live_get_connected (self->live) ? self->live_poll_seconds : self->poll_seconds) * 1000;
}

static void
on_live_changes (WhSyncLive   *live,
                 gint64        latest,
                 WhSyncEngine *self)
{
  /* A run under way looks again when it ends. */
  if (self->run == NULL)
    run_for_live_news (self);
}

static void
on_live_connected (WhSyncLive   *live,
                   GParamSpec   *pspec,
                   WhSyncEngine *self)
{
  gint64 due = g_get_monotonic_time () + (gint64) self->poll_seconds * G_USEC_PER_SEC;

  /* Without the socket the engine polls as before, not at the safety net's pace. */
  if (self->automatic && !wh_sync_live_get_connected (live) && self->timer_id != 0 &&
      self->timer_due > due)
    schedule_run (self, self->poll_seconds * 1000);
}

static void
auto_run_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  WhSyncEngine *self = WH_SYNC_ENGINE (source);
  g_autoptr (GError) error = NULL;

  if (wh_sync_engine_sync_finish (self, result, NULL, &error))
    {
      self->failures = 0;
      if (self->automatic)
        {
          /* The server answers: keep the live socket up from now on. */
          wh_sync_live_start (self->live);
          if (!run_for_live_news (self))
            schedule_run (self, poll_delay_ms (self));
        }
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->automatic)
    return;
  if (wh_sync_error_is_transient (error))
    {
      self->failures++;
      schedule_run (self, wh_sync_engine_backoff_delay_full (self->failures,
                                                             wh_sync_client_get_retry_after (self->client),
                                                             self->backoff_first_ms,
                                                             self->backoff_max_ms, NULL));
    }
  /* Otherwise somebody must act first (sign in, fix the certificate): no retries. */
}

static gboolean
auto_tick (gpointer user_data)
{
  WhSyncEngine *self = user_data;

  self->timer_id = 0;
  if (self->automatic)
    wh_sync_engine_sync_async (self, self->auto_cancellable, auto_run_done, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_run (WhSyncEngine *self,
              guint         delay_ms)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timer_id = g_timeout_add (delay_ms, auto_tick, self);
  self->timer_due = g_get_monotonic_time () + (gint64) delay_ms * 1000;
}

static gboolean
network_hint (gpointer user_data)
{
  WhSyncEngine *self = user_data;

  self->hint_id = 0;
  if (self->automatic && g_network_monitor_get_network_available (self->watched))
    wh_sync_live_hint (self->live);
  /* Only a hint: the run that follows finds out whether the server can be reached. */
  if (self->automatic && self->failures > 0 && g_network_monitor_get_network_available (self->watched))
    {
      self->failures = 0;
      schedule_run (self, 0);
    }
  return G_SOURCE_REMOVE;
}

static void
network_changed (GNetworkMonitor *monitor,
                 gboolean         available,
                 gpointer         user_data)
{
  WhSyncEngine *self = user_data;

  /* Monitors report several changes while an interface comes up: wait for them to settle. */
  g_clear_handle_id (&self->hint_id, g_source_remove);
  self->hint_id = g_timeout_add (NETWORK_HINT_DELAY_MS, network_hint, self);
}

void
wh_sync_engine_start (WhSyncEngine *self)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));

  if (self->automatic)
    return;
  self->automatic = TRUE;
  self->failures = 0;
  self->auto_cancellable = g_cancellable_new ();
  self->watched = g_object_ref (self->monitor ? self->monitor : g_network_monitor_get_default ());
  self->monitor_handler = g_signal_connect (self->watched, "network-changed",
                                            G_CALLBACK (network_changed), self);
  schedule_run (self, 0);
}

void
wh_sync_engine_stop (WhSyncEngine *self)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));

  if (!self->automatic)
    return;
  self->automatic = FALSE;
  wh_sync_live_stop (self->live);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->hint_id, g_source_remove);
  g_clear_signal_handler (&self->monitor_handler, self->watched);
  g_clear_object (&self->watched);
  g_cancellable_cancel (self->auto_cancellable);
  g_clear_object (&self->auto_cancellable);
}

void
wh_sync_engine_set_network_monitor (WhSyncEngine    *self,
                                    GNetworkMonitor *monitor)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  g_set_object (&self->monitor, monitor);
}

void
wh_sync_engine_set_backoff (WhSyncEngine *self,
                            guint         first_ms,
                            guint         max_ms)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));

  self->backoff_first_ms = MAX (first_ms, 2);
  self->backoff_max_ms = MAX (max_ms, self->backoff_first_ms);
  wh_sync_live_set_backoff (self->live, first_ms, max_ms);
}

WhSyncLive *
wh_sync_engine_get_live (WhSyncEngine *self)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), NULL);
  return self->live;
}

void
wh_sync_engine_set_live_poll_interval (WhSyncEngine *self,
                                       guint         seconds)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));
  self->live_poll_seconds = MAX (seconds, 1);
}

void
wh_sync_engine_schedule (WhSyncEngine *self)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));

  /* While backing off, a local change does not make the engine knock sooner: the outbox
   * keeps it, and the next attempt sends it. */
  if (!self->automatic || self->failures > 0)
    return;
  schedule_run (self, LOCAL_CHANGE_DELAY_MS);
}

/* Conflicts */

GPtrArray *
wh_sync_engine_list_conflicts (WhSyncEngine *self,
                               gboolean      open_only,
                               GError      **error)
{
  GPtrArray *list;

  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), NULL);

  g_mutex_lock (&self->db_lock);
  list = wh_sync_store_list_conflicts (self->store, open_only, error);
  g_mutex_unlock (&self->db_lock);
  return list;
}

gboolean
wh_sync_engine_resolve (WhSyncEngine  *self,
                        gint64         conflict_id,
                        WhResolution   resolution,
                        const WhActor *actor,
                        JsonObject    *fields,
                        const char    *note,
                        char         **op_id,
                        GError       **error)
{
  g_autofree char *resolution_op = NULL;
  gboolean ok;

  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), FALSE);

  g_mutex_lock (&self->db_lock);
  ok = wh_sync_store_resolve (self->store, conflict_id, resolution, actor, fields, note,
                              g_get_real_time (), &resolution_op, error);
  g_mutex_unlock (&self->db_lock);
  if (!ok)
    return FALSE;

  if (resolution_op != NULL)
    {
      const char *ids[] = { NULL, NULL };
      g_autoptr (WhSyncConflict) conflict = NULL;

      g_mutex_lock (&self->db_lock);
      conflict = wh_sync_store_get_conflict (self->store, conflict_id, NULL);
      g_mutex_unlock (&self->db_lock);
      if (conflict != NULL && conflict->incident_id != NULL)
        {
          ids[0] = conflict->incident_id;
          g_signal_emit (self, signals[INCIDENTS_CHANGED], 0, ids);
        }
    }
  wh_sync_engine_refresh (self);
  wh_sync_engine_schedule (self);
  if (op_id != NULL)
    *op_id = g_steal_pointer (&resolution_op);
  return TRUE;
}

/* For the engine's other files (wh-sync-engine-private.h). */
WhDb *
wh_sync_engine_lock_db (WhSyncEngine *self)
{
  g_return_val_if_fail (WH_IS_SYNC_ENGINE (self), NULL);
  g_mutex_lock (&self->db_lock);
  return self->db;
}

void
wh_sync_engine_unlock_db (WhSyncEngine *self)
{
  g_return_if_fail (WH_IS_SYNC_ENGINE (self));
  g_mutex_unlock (&self->db_lock);
}
