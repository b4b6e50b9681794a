/* wh-deadline-notifier.c — desktop notifications of the desk */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-deadline-notifier.h"
#include "wh-format.h"

#define CHECK_SECONDS 60
/* After a change, look once things settle: a sync writes many incidents in a row. */
#define CHANGED_DELAY_MS 1000
/* Work orders count as arriving when they were reported this recently. */
#define ORDER_WINDOW (2 * G_TIME_SPAN_DAY)
#define MAX_ROWS     200
/* More at once than this become one summary: a first sync must not flood the screen. */
#define MAX_SINGLE 5

static const char *const order_sources[] = { "hotline", "district" };

struct _WhDeadlineNotifier
{
  GObject parent_instance;

  GApplication *application; /* weak */
  WhContext    *context;
  gint64        warning;
  GHashTable   *seen_orders; /* incident ids */
  GHashTable   *warned;      /* "id deadline" */
  guint         timer_id;
  guint         changed_id;
};

G_DEFINE_FINAL_TYPE (WhDeadlineNotifier, wh_deadline_notifier, G_TYPE_OBJECT)

enum {
  SIGNAL_SENT,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
send (WhDeadlineNotifier *self, const char *id, GNotification *notification)
{
  if (self->application != NULL)
    g_application_send_notification (self->application, id, notification);
  g_signal_emit (self, signals[SIGNAL_SENT], 0, id, notification);
}

static GNotification *
incident_notification (const char *title, const char *body, const char *incident_id)
{
  GNotification *notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-incident", "s",
                                                incident_id);
  g_notification_add_button_with_target (notification, _ ("Open"), "app.show-incident", "s",
                                         incident_id);
  return notification;
}

/* The recent open work orders of @source. */
static GPtrArray *
list_orders (WhDeadlineNotifier *self, const char *source, gint64 now, GError **error)
{
  WhIncidentQuery query;

  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_OPEN;
  query.now = now;
  query.source = source;
  query.reported_from = now - ORDER_WINDOW;
  query.sort_column = WH_INCIDENT_COLUMN_REPORTED;
  query.descending = TRUE;
  return wh_incident_store_list (wh_context_get_incident_store (self->context), &query, 0, MAX_ROWS,
                                 error);
}

static guint
check_orders (WhDeadlineNotifier *self, gint64 now, gboolean announce)
{
  g_autoptr (GPtrArray) news = g_ptr_array_new_with_free_func (g_object_unref);
  guint sent = 0;

  for (guint s = 0; s < G_N_ELEMENTS (order_sources); s++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) orders = list_orders (self, order_sources[s], now, &error);

      if (orders == NULL)
        {
          g_warning ("Could not look for new work orders: %s", error->message);
          continue;
        }
      for (guint i = 0; i < orders->len; i++)
        {
          WhIncident *incident = g_ptr_array_index (orders, i);

          if (g_hash_table_add (self->seen_orders, g_strdup (incident->id)) && announce)
            g_ptr_array_add (news, g_object_ref (incident));
        }
    }

  if (news->len > MAX_SINGLE)
    {
      WhIncident      *first = g_ptr_array_index (news, 0);
      g_autofree char *title =
        g_strdup_printf (ngettext ("%u new work order from the district",
                                   "%u new work orders from the district", news->len),
                         news->len);
      g_autoptr (GNotification) n = incident_notification (
        title, _ ("They wait in the queue to be registered and whistled."), first->id);

      send (self, "work-orders", n);
      return 1;
    }
  for (guint i = 0; i < news->len; i++)
    {
      WhIncident      *incident = g_ptr_array_index (news, i);
      g_autofree char *id = g_strdup_printf ("order-%s", incident->id);
      /* Translators: a notification: the source (12345 hotline, district platform), then
       * the incident's number */
      g_autofree char *title = g_strdup_printf (
        _ ("New work order (%s): %s"), wh_source_label (incident->source), incident->number);
      g_autoptr (GNotification) n = incident_notification (title, incident->title, incident->id);

      g_notification_set_priority (n, G_NOTIFICATION_PRIORITY_HIGH);
      send (self, id, n);
      sent++;
    }
  return sent;
}

static guint
check_deadlines (WhDeadlineNotifier *self, gint64 now)
{
  WhIncidentQuery query;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) due = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  guint sent = 0;

  WhIncidentStore *store = wh_context_get_incident_store (self->context);
  guint            overdue;

  /* By deadline, overdue incidents come first (there may be many: they are the queue's
   * business, not news) and those without a running deadline last; the rows that matter
   * start right after the overdue ones. */
  wh_incident_query_init (&query);
  query.view = WH_INCIDENT_VIEW_OVERDUE;
  query.now = now;
  overdue = wh_incident_store_count (store, &query, &error);
  if (error == NULL)
    {
      query.view = WH_INCIDENT_VIEW_OPEN;
      query.sort_column = WH_INCIDENT_COLUMN_DEADLINE;
      query.descending = FALSE;
      rows = wh_incident_store_list (store, &query, overdue, MAX_ROWS, &error);
    }
  if (rows == NULL)
    {
      g_warning ("Could not look for deadlines: %s", error->message);
      return 0;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      WhIncident      *incident = g_ptr_array_index (rows, i);
      gint64           left = wh_incident_time_left (incident, now);
      g_autofree char *key = NULL;

      if (left <= 0)
        continue;
      if (left > self->warning)
        break;
      key = g_strdup_printf ("%s %" G_GINT64_FORMAT, incident->id, now + left);
      if (g_hash_table_add (self->warned, g_steal_pointer (&key)))
        g_ptr_array_add (due, g_object_ref (incident));
    }

  for (guint i = 0; i < due->len && i < MAX_SINGLE; i++)
    {
      WhIncident      *incident = g_ptr_array_index (due, i);
      g_autofree char *span = wh_format_duration (wh_incident_time_left (incident, now));
      g_autofree char *id = g_strdup_printf ("deadline-%s", incident->id);
      const char      *which =
        incident->status == WH_STATUS_WHISTLED ? _ ("Report-in due") : _ ("Handling due");
      /* Translators: a notification: "Report-in due" or "Handling due", the time left,
       * then the incident's number */
      g_autofree char *title = g_strdup_printf (_ ("%s in %s: %s"), which, span, incident->number);
      g_autoptr (GNotification) n = incident_notification (title, incident->title, incident->id);

      g_notification_set_priority (n, G_NOTIFICATION_PRIORITY_HIGH);
      send (self, id, n);
      sent++;
    }
  if (due->len > MAX_SINGLE)
    {
      guint            rest = due->len - MAX_SINGLE;
      g_autofree char *title =
        g_strdup_printf (ngettext ("%u more incident is about to pass its deadline",
                                   "%u more incidents are about to pass their deadlines", rest),
                         rest);
      g_autoptr (GNotification) n =
        incident_notification (title, _ ("See the queue, sorted by deadline."),
                               WH_INCIDENT (g_ptr_array_index (due, MAX_SINGLE))->id);

      send (self, "deadlines", n);
      sent++;
    }
  return sent;
}

guint
wh_deadline_notifier_check (WhDeadlineNotifier *self, gint64 now)
{
  g_return_val_if_fail (WH_IS_DEADLINE_NOTIFIER (self), 0);

  if (self->context == NULL || !wh_context_has_street (self->context))
    return 0;
  return check_orders (self, now, TRUE) + check_deadlines (self, now);
}

static gboolean
on_timer (gpointer data)
{
  wh_deadline_notifier_check (WH_DEADLINE_NOTIFIER (data), g_get_real_time ());
  return G_SOURCE_CONTINUE;
}

static gboolean
on_changed_timeout (gpointer data)
{
  WhDeadlineNotifier *self = data;

  self->changed_id = 0;
  wh_deadline_notifier_check (self, g_get_real_time ());
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (WhIncidentStore *store, const char *incident_id, WhDeadlineNotifier *self)
{
  if (self->changed_id == 0)
    self->changed_id = g_timeout_add (CHANGED_DELAY_MS, on_changed_timeout, self);
}

void
wh_deadline_notifier_set_context (WhDeadlineNotifier *self, WhContext *context)
{
  g_return_if_fail (WH_IS_DEADLINE_NOTIFIER (self));

  if (self->context == context)
    return;
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->changed_id, g_source_remove);
  g_set_object (&self->context, context);
  if (context == NULL)
    return;

  g_signal_connect (wh_context_get_incident_store (context), "changed",
                    G_CALLBACK (on_store_changed), self);
  self->timer_id = g_timeout_add_seconds (CHECK_SECONDS, on_timer, self);
  /* What is there already is known; only what arrives from now on is news. */
  if (wh_context_has_street (context))
    check_orders (self, g_get_real_time (), FALSE);
}

WhContext *
wh_deadline_notifier_get_context (WhDeadlineNotifier *self)
{
  g_return_val_if_fail (WH_IS_DEADLINE_NOTIFIER (self), NULL);
  return self->context;
}

void
wh_deadline_notifier_set_warning (WhDeadlineNotifier *self, gint64 warning)
{
  g_return_if_fail (WH_IS_DEADLINE_NOTIFIER (self));
  self->warning = warning;
}

void
wh_deadline_notifier_mark_seen (WhDeadlineNotifier *self, const char *incident_id)
{
  g_return_if_fail (WH_IS_DEADLINE_NOTIFIER (self));
  if (incident_id != NULL)
    g_hash_table_add (self->seen_orders, g_strdup (incident_id));
}

WhDeadlineNotifier *
wh_deadline_notifier_new (GApplication *application)
{
  WhDeadlineNotifier *self = g_object_new (WH_TYPE_DEADLINE_NOTIFIER, NULL);

  self->application = application;
  if (application != NULL)
    g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
  return self;
}

static void
wh_deadline_notifier_dispose (GObject *object)
{
  WhDeadlineNotifier *self = WH_DEADLINE_NOTIFIER (object);

  wh_deadline_notifier_set_context (self, NULL);
  if (self->application != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *) &self->application);
      self->application = NULL;
    }

  G_OBJECT_CLASS (wh_deadline_notifier_parent_class)->dispose (object);
}

static void
wh_deadline_notifier_finalize (GObject *object)
{
  WhDeadlineNotifier *self = WH_DEADLINE_NOTIFIER (object);

  g_hash_table_unref (self->seen_orders);
  g_hash_table_unref (self->warned);

  G_OBJECT_CLASS (wh_deadline_notifier_parent_class)->finalize (object);
}

static void
wh_deadline_notifier_class_init (WhDeadlineNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_deadline_notifier_dispose;
  object_class->finalize = wh_deadline_notifier_finalize;

  signals[SIGNAL_SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_NOTIFICATION);
}

static void
wh_deadline_notifier_init (WhDeadlineNotifier *self)
{
  self->warning = WH_DEADLINE_NOTIFIER_WARNING;
  self->seen_orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
