/* wh-deadline-notifier.h — desktop notifications of the desk
 *
 * Two things must reach the duty officer even when the desk is behind other windows: a
 * work order from the district (an incident of source "hotline" (12345) or "district"
 * that arrives with a sync), and an open incident whose running deadline is about to pass
 * (by default within 30 minutes; once per incident and deadline). Each notification opens
 * its incident (app.show-incident).
 */
#pragma once

#include <gio/gio.h>

#include "wh-context.h"

G_BEGIN_DECLS

#define WH_DEADLINE_NOTIFIER_WARNING (30 * G_TIME_SPAN_MINUTE)

#define WH_TYPE_DEADLINE_NOTIFIER (wh_deadline_notifier_get_type ())
G_DECLARE_FINAL_TYPE (WhDeadlineNotifier, wh_deadline_notifier, WH, DEADLINE_NOTIFIER, GObject)

/* Sends through @application (g_application_send_notification()), held weakly. */
WhDeadlineNotifier *wh_deadline_notifier_new (GApplication *application);

/**
 * wh_deadline_notifier_set_context:
 * @context: (nullable): the open cache to watch; %NULL stops watching
 *
 * The work orders already in @context when it is first watched are not news: only those
 * that arrive afterwards are announced.
 */
void wh_deadline_notifier_set_context (WhDeadlineNotifier *self, WhContext *context);

/* The cache watched, or %NULL. */
WhContext *wh_deadline_notifier_get_context (WhDeadlineNotifier *self);

/* How long before a deadline to warn (WH_DEADLINE_NOTIFIER_WARNING by default). */
void wh_deadline_notifier_set_warning (WhDeadlineNotifier *self, gint64 warning);

/* An incident registered at this desk is no news to it. */
void wh_deadline_notifier_mark_seen (WhDeadlineNotifier *self, const char *incident_id);

/**
 * wh_deadline_notifier_check:
 * @now: the time deadlines are judged at, UTC microseconds
 *
 * One look: announces new work orders and deadlines about to pass. Runs by itself when the
 * watched store changes and every minute.
 *
 * Returns: the number of notifications sent
 */
guint wh_deadline_notifier_check (WhDeadlineNotifier *self, gint64 now);

/* Signal "sent" (const char *id, GNotification *notification): after each notification,
 * for tests (a test has no notification server to ask). */

G_END_DECLS
