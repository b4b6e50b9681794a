/* wh-welcome-page.c — shown on a cache without a street: offers to load the demo street */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-db.h"
#include "wh-demo-street.h"
#include "wh-welcome-page.h"

struct _WhWelcomePage
{
  AdwBin parent_instance;

  /* template children */
  AdwStatusPage  *status_page;
  GtkButton      *load_button;
  GtkProgressBar *progress_bar;
  GtkLabel       *message_label;
  GtkButton      *cancel_button;

  char         *path;
  WhSyncEngine *engine;
  gboolean      syncing; /* the engine is running a sync */
  guint         demo_incidents;
  GCancellable *cancellable;
  gboolean      busy;
  int           permille;         /* written by the generating thread */
  int           progress_pending; /* an idle is on its way to show it */
};

G_DEFINE_FINAL_TYPE (WhWelcomePage, wh_welcome_page, ADW_TYPE_BIN)

enum {
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char         *path;
  WhDemoOptions options;
} DemoJob;

static void
demo_job_free (gpointer data)
{
  DemoJob *job = data;

  g_free (job->path);
  g_free (job);
}

static void
set_busy (WhWelcomePage *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->load_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.load-demo",
                                 !busy && !self->syncing && self->path != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.cancel", busy);
}

static void
show_message (WhWelcomePage *self, const char *message)
{
  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

/* The engine's status: a sync under way takes the offer away until it ends, however it
 * ends (a first sync that brings the street replaces this page altogether). */
static void
on_sync_status (WhWelcomePage *self)
{
  gboolean syncing =
    self->engine != NULL && wh_sync_engine_get_status (self->engine) == WH_SYNC_STATUS_SYNCING;
  const char *error;

  if (syncing == self->syncing)
    return;
  self->syncing = syncing;
  if (syncing)
    show_message (self, _ ("A sync with the district server is under way: the demo street "
                           "cannot be loaded meanwhile."));
  else if (self->engine != NULL &&
           wh_sync_engine_get_status (self->engine) != WH_SYNC_STATUS_ONLINE &&
           (error = wh_sync_engine_get_last_error (self->engine)) != NULL)
    {
      /* Translators: %s is the reason */
      g_autofree char *text = g_strdup_printf (_ ("The sync did not finish: %s"), error);

      show_message (self, text);
    }
  else
    show_message (self, NULL);
  set_busy (self, self->busy);
}

static gboolean
show_progress (gpointer data)
{
  WhWelcomePage   *self = data;
  double           fraction;
  g_autofree char *text = NULL;

  g_atomic_int_set (&self->progress_pending, 0);
  if (self->progress_bar == NULL || !self->busy)
    return G_SOURCE_REMOVE; /* disposed, or finished meanwhile */

  fraction = g_atomic_int_get (&self->permille) / 1000.0;
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  /* Translators: progress of generating the demo street, %d is a percentage */
  text = g_strdup_printf (_ ("Generating the demo street… %d %%"), (int) (fraction * 100));
  gtk_progress_bar_set_text (self->progress_bar, text);

  return G_SOURCE_REMOVE;
}

/* Called in the generating thread. */
static void
on_progress (double fraction, gpointer user_data)
{
  WhWelcomePage *self = user_data;

  g_atomic_int_set (&self->permille, (int) (CLAMP (fraction, 0.0, 1.0) * 1000));
  if (g_atomic_int_compare_and_exchange (&self->progress_pending, 0, 1))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, show_progress, g_object_ref (self), g_object_unref);
}

static void
generate_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  DemoJob *job = task_data;
  g_autoptr (WhDb) db = NULL;
  g_autoptr (GError) error = NULL;

  /* A connection of our own: the window's stays in the main thread. */
  db = wh_db_open (job->path, &error);
  if (db == NULL ||
      !wh_demo_generate (db, &job->options, on_progress, source_object, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
generate_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  WhWelcomePage *self = WH_WELCOME_PAGE (object);
  g_autoptr (GError) error = NULL;

  g_clear_object (&self->cancellable);
  if (self->progress_bar == NULL)
    return; /* the window went away meanwhile */

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, _ ("Cancelled. Nothing was written to the cache."));
      else
        {
          /* Translators: %s is the reason */
          g_autofree char *text =
            g_strdup_printf (_ ("The demo street could not be loaded: %s"), error->message);
          show_message (self, text);
        }
      return;
    }

  show_message (self, NULL);
  g_signal_emit (self, signals[LOADED], 0);
}

void
wh_welcome_page_load_demo (WhWelcomePage *self)
{
  g_autoptr (GTask) task = NULL;
  DemoJob *job;

  g_return_if_fail (WH_IS_WELCOME_PAGE (self));
  g_return_if_fail (self->path != NULL);

  if (self->busy || self->syncing)
    return;

  job = g_new0 (DemoJob, 1);
  job->path = g_strdup (self->path);
  wh_demo_options_init (&job->options, g_get_real_time ());
  if (self->demo_incidents > 0)
    job->options.n_incidents = self->demo_incidents;

  self->cancellable = g_cancellable_new ();
  g_atomic_int_set (&self->permille, 0);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _ ("Generating the demo street…"));
  show_message (self, NULL);
  set_busy (self, TRUE);

  task = g_task_new (self, self->cancellable, generate_done, NULL);
  g_task_set_source_tag (task, wh_welcome_page_load_demo);
  g_task_set_task_data (task, job, demo_job_free);
  g_task_run_in_thread (task, generate_thread);
}

void
wh_welcome_page_cancel (WhWelcomePage *self)
{
  g_return_if_fail (WH_IS_WELCOME_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
wh_welcome_page_get_busy (WhWelcomePage *self)
{
  g_return_val_if_fail (WH_IS_WELCOME_PAGE (self), FALSE);
  return self->busy;
}

void
wh_welcome_page_set_sync_engine (WhWelcomePage *self, WhSyncEngine *engine)
{
  g_return_if_fail (WH_IS_WELCOME_PAGE (self));
  g_return_if_fail (engine == NULL || WH_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    g_signal_connect_swapped (engine, "notify::status", G_CALLBACK (on_sync_status), self);
  on_sync_status (self);
}

void
wh_welcome_page_set_path (WhWelcomePage *self, const char *path)
{
  g_return_if_fail (WH_IS_WELCOME_PAGE (self));

  if (g_strcmp0 (self->path, path) != 0)
    {
      g_free (self->path);
      self->path = g_strdup (path);
    }
  show_message (self, NULL);
  set_busy (self, self->busy);
}

const char *
wh_welcome_page_get_path (WhWelcomePage *self)
{
  g_return_val_if_fail (WH_IS_WELCOME_PAGE (self), NULL);
  return self->path;
}

void
wh_welcome_page_set_demo_incidents (WhWelcomePage *self, guint n_incidents)
{
  g_return_if_fail (WH_IS_WELCOME_PAGE (self));
  self->demo_incidents = n_incidents;
}

static void
load_demo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  wh_welcome_page_load_demo (WH_WELCOME_PAGE (widget));
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  wh_welcome_page_cancel (WH_WELCOME_PAGE (widget));
}

static void
wh_welcome_page_dispose (GObject *object)
{
  WhWelcomePage *self = WH_WELCOME_PAGE (object);

  /* Stop a running generation: nothing is written when it is cancelled. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  /* Unset the bin's child first: gtk_widget_dispose_template() would unparent it
   * behind AdwBin's back when it is a bound template child, leaving AdwBin a
   * dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (wh_welcome_page_parent_class)->dispose (object);
}

static void
wh_welcome_page_finalize (GObject *object)
{
  WhWelcomePage *self = WH_WELCOME_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->path);

  G_OBJECT_CLASS (wh_welcome_page_parent_class)->finalize (object);
}

static void
wh_welcome_page_class_init (WhWelcomePageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_welcome_page_dispose;
  object_class->finalize = wh_welcome_page_finalize;

  /**
   * WhWelcomePage::loaded:
   *
   * The demo street has been written into the cache.
   */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, WhWelcomePage, load_button);
  gtk_widget_class_bind_template_child (widget_class, WhWelcomePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, WhWelcomePage, message_label);
  gtk_widget_class_bind_template_child (widget_class, WhWelcomePage, cancel_button);

  gtk_widget_class_install_action (widget_class, "welcome.load-demo", NULL, load_demo_action);
  gtk_widget_class_install_action (widget_class, "welcome.cancel", NULL, cancel_action);
}

static void
wh_welcome_page_init (WhWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_busy (self, FALSE);
}
