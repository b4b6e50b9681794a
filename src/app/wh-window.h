/* wh-window.h — the desk's main window: header, view switcher and the four pages */
#pragma once

#include <adwaita.h>

#include "wh-context.h"
#include "wh-sync-engine.h"

G_BEGIN_DECLS

#define WH_TYPE_WINDOW (wh_window_get_type ())
G_DECLARE_FINAL_TYPE (WhWindow, wh_window, WH, WINDOW, AdwApplicationWindow)

WhWindow *wh_window_new (GtkApplication *application);

/**
 * wh_window_open_cache:
 * @path: the cache file; created when missing
 *
 * Opens @path and shows it: the desk when it holds a street, the welcome page (which
 * offers the demo street) when it is empty. A file that cannot be opened leaves the
 * window empty and presents a dialog that offers to move the file aside and start with an
 * empty cache, or to quit.
 *
 * Returns: %TRUE when the cache is open
 */
gboolean wh_window_open_cache (WhWindow *self, const char *path);

/* The shown cache, or %NULL. Signal "context-changed" tells when it changes (or gets its
 * street). */
WhContext *wh_window_get_context (WhWindow *self);

/* Shows page "map", "queue", "roster" or "assessment"; %FALSE for another name. */
gboolean wh_window_show_page (WhWindow *self, const char *name);

/* "map", "queue", "roster", "assessment" on the desk, else "welcome" or "unavailable". */
const char *wh_window_get_visible_page (WhWindow *self);

/* The page widget called @name ("map", "queue", "roster", "assessment", "welcome"). */
GtkWidget *wh_window_get_page (WhWindow *self, const char *name);

/* The dialog shown about a cache that could not be opened, while it is open. */
AdwMessageDialog *wh_window_get_error_dialog (WhWindow *self);

/* Header texts, for tests and screenshots. */
const char *wh_window_get_street_text (WhWindow *self);
const char *wh_window_get_duty_text (WhWindow *self);
/* The overdue badge: "12 overdue"; "" before the first count. */
const char *wh_window_get_overdue_text (WhWindow *self);

/* The engine syncing this desk with the district server, or %NULL when not connected. */
WhSyncEngine *wh_window_get_sync_engine (WhWindow *self);

G_END_DECLS
