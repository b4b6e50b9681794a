/* wh-application.h — the desk application: options, settings, app-wide actions */
#pragma once

#include <adwaita.h>

#include "wh-deadline-notifier.h"
#include "wh-op.h"
#include "wh-window.h"

G_BEGIN_DECLS

#define WH_TYPE_APPLICATION (wh_application_get_type ())
G_DECLARE_FINAL_TYPE (WhApplication, wh_application, WH, APPLICATION, AdwApplication)

WhApplication *wh_application_new (void);

/* The desk's settings, or %NULL when the schema is not installed (the desk then runs
 * with defaults and remembers nothing). */
GSettings *wh_application_get_settings (WhApplication *self);

/* Overrides the cache for this run (the --cache option). */
void wh_application_set_cache_path (WhApplication *self, const char *path);

/* The cache to open: --cache, else the cache-path setting, else the default. */
char *wh_application_dup_cache_path (WhApplication *self);

/* $XDG_DATA_HOME/whistle/demo-street.db, where scripts/ put the demo street. */
char *wh_application_get_default_cache_path (void);

/* The page shown first (the --page option); %NULL means the last one. */
void wh_application_set_start_page (WhApplication *self, const char *page);

/**
 * wh_application_open_window:
 *
 * What activation does: makes the main window, opens the cache in it and presents it.
 * The application must be registered.
 *
 * Returns: (transfer none): the window
 */
WhWindow *wh_application_open_window (WhApplication *self);

/**
 * wh_application_dup_actor:
 *
 * The person the desk's changes to @context are recorded under: the duty officer signed
 * in at this desk (setting duty-staff-id), else the one on the center's duty shift now.
 * See wh_desk_actor_dup().
 *
 * Returns: (transfer full) (nullable): the actor, or %NULL with a message for people
 */
WhActor *wh_application_dup_actor (WhApplication *self, WhContext *context, GError **error);

/* What app.show-incident does: presents the desk window (opening one when there is none)
 * and shows the incident in the queue (win.show-incident). */
void wh_application_show_incident (WhApplication *self, const char *incident_id);

/* The form (WhActionDialog or WhNewIncidentDialog) the app's actions opened last, while it
 * is open; for tests and screenshots. */
GtkWindow *wh_application_get_form (WhApplication *self);

WhDeadlineNotifier *wh_application_get_notifier (WhApplication *self);

G_END_DECLS
