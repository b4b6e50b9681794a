/* wh-queue-counts.c — how many incidents each ready-made view lists, counted off the UI */
#include "config.h"

#include <string.h>

#include "wh-queue-counts.h"

/* Changes come in bursts (a sync page, a bulk whistle): wait this long for the burst to
 * end before counting. */
#define REFRESH_DELAY_MS 300

/* The worker's own connection. It is only ever used by one task at a time (a new round
 * starts only after the last one came back), so it needs no lock. */
typedef struct
{
  char *path;
  WhDb *db;
} Worker;

static void
worker_free (Worker *worker)
{
  g_clear_object (&worker->db);
  g_free (worker->path);
}

typedef struct
{
  Worker *worker; /* a reference */
  char   *actor_id;
  int     counts[WH_N_INCIDENT_VIEWS];
} Round;

static void
round_free (Round *round)
{
  g_atomic_rc_box_release_full (round->worker, (GDestroyNotify) worker_free);
  g_free (round->actor_id);
  g_free (round);
}

struct _WhQueueCounts
{
  GObject  parent_instance;
  Worker  *worker;
  char    *actor_id;
  int      counts[WH_N_INCIDENT_VIEWS];
  gboolean running;
  gboolean again; /* a refresh was asked for while a round ran */
  guint    delay_id;
  guint    n_rounds;
};

G_DEFINE_FINAL_TYPE (WhQueueCounts, wh_queue_counts, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_round (WhQueueCounts *self);

static void
count_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  Round *round = data;
  Worker *worker = round->worker;
  g_autoptr (WhIncidentStore) store = NULL;
  g_autoptr (GError) error = NULL;

  if (worker->db == NULL)
    {
      worker->db = wh_db_open (worker->path, &error);
      if (worker->db == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  store = wh_incident_store_new (worker->db);
  for (int view = 0; view < WH_N_INCIDENT_VIEWS; view++)
    {
      WhIncidentQuery query;

      wh_incident_query_init (&query);
      query.view = view;
      query.actor_id = round->actor_id;
      if (view == WH_INCIDENT_VIEW_MINE && round->actor_id == NULL)
        {
          /* Nobody to count for. */
          round->counts[view] = -1;
          continue;
        }
      round->counts[view] = wh_incident_store_count (store, &query, &error);
      if (error != NULL)
        {
          g_warning ("Could not count the view %d: %s", view, error->message);
          g_clear_error (&error);
          round->counts[view] = -1;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_round_done (GObject *source, GAsyncResult *result, gpointer data)
{
  WhQueueCounts *self = WH_QUEUE_COUNTS (source);
  Round *round = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  self->running = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("Could not count the queue's views: %s", error->message);
      for (int view = 0; view < WH_N_INCIDENT_VIEWS; view++)
        self->counts[view] = -1;
    }
  else
    memcpy (self->counts, round->counts, sizeof self->counts);
  self->n_rounds++;

  if (self->again)
    {
      self->again = FALSE;
      start_round (self);
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
start_round (WhQueueCounts *self)
{
  g_autoptr (GTask) task = NULL;
  Round *round;

  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  self->running = TRUE;

  round = g_new0 (Round, 1);
  round->worker = g_atomic_rc_box_acquire (self->worker);
  round->actor_id = g_strdup (self->actor_id);
  task = g_task_new (self, NULL, on_round_done, NULL);
  g_task_set_source_tag (task, start_round);
  g_task_set_task_data (task, round, (GDestroyNotify) round_free);
  g_task_run_in_thread (task, count_in_thread);
}

static void
on_delay (gpointer data)
{
  WhQueueCounts *self = data;

  self->delay_id = 0;
  start_round (self);
}

static void
wh_queue_counts_dispose (GObject *object)
{
  WhQueueCounts *self = WH_QUEUE_COUNTS (object);

  g_clear_handle_id (&self->delay_id, g_source_remove);

  G_OBJECT_CLASS (wh_queue_counts_parent_class)->dispose (object);
}

static void
wh_queue_counts_finalize (GObject *object)
{
  WhQueueCounts *self = WH_QUEUE_COUNTS (object);

  /* A round holds its own reference to the worker (and the task one to us), so nothing
   * runs on it any more. */
  g_atomic_rc_box_release_full (self->worker, (GDestroyNotify) worker_free);
  g_free (self->actor_id);

  G_OBJECT_CLASS (wh_queue_counts_parent_class)->finalize (object);
}

static void
wh_queue_counts_class_init (WhQueueCountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_queue_counts_dispose;
  object_class->finalize = wh_queue_counts_finalize;

  /**
   * WhQueueCounts::changed:
   *
   * A round of counting came back.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wh_queue_counts_init (WhQueueCounts *self)
{
  for (int view = 0; view < WH_N_INCIDENT_VIEWS; view++)
    self->counts[view] = -1;
}

WhQueueCounts *
wh_queue_counts_new (const char *db_path)
{
  WhQueueCounts *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (WH_TYPE_QUEUE_COUNTS, NULL);
  self->worker = g_atomic_rc_box_new0 (Worker);
  self->worker->path = g_strdup (db_path);
  return self;
}

void
wh_queue_counts_set_actor_id (WhQueueCounts *self, const char *actor_id)
{
  g_return_if_fail (WH_IS_QUEUE_COUNTS (self));

  if (g_strcmp0 (self->actor_id, actor_id) == 0)
    return;
  g_free (self->actor_id);
  self->actor_id = g_strdup (actor_id);
  wh_queue_counts_refresh (self);
}

void
wh_queue_counts_refresh (WhQueueCounts *self)
{
  g_return_if_fail (WH_IS_QUEUE_COUNTS (self));

  if (self->delay_id == 0)
    self->delay_id = g_timeout_add_once (REFRESH_DELAY_MS, on_delay, self);
}

int
wh_queue_counts_get (WhQueueCounts *self, WhIncidentView view)
{
  g_return_val_if_fail (WH_IS_QUEUE_COUNTS (self), -1);
  g_return_val_if_fail (view < WH_N_INCIDENT_VIEWS, -1);
  return self->counts[view];
}

guint
wh_queue_counts_get_n_rounds (WhQueueCounts *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_COUNTS (self), 0);
  return self->n_rounds;
}

gboolean
wh_queue_counts_is_busy (WhQueueCounts *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_COUNTS (self), FALSE);
  return self->running || self->again || self->delay_id != 0;
}
