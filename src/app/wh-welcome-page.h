/* wh-welcome-page.h — shown on a cache without a street: offers to load the demo street
 *
 * Not while a first sync with a district server is filling the cache: the demo street would
 * mix with the street being synced (and the sync refuses a cache holding incidents no server
 * sent). The offer comes back when the sync ends without bringing a street.
 */
#pragma once

#include <adwaita.h>

#include "wh-sync-engine.h"

G_BEGIN_DECLS

#define WH_TYPE_WELCOME_PAGE (wh_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (WhWelcomePage, wh_welcome_page, WH, WELCOME_PAGE, AdwBin)

/* The cache the demo street is written into. */
void        wh_welcome_page_set_path (WhWelcomePage *self, const char *path);
const char *wh_welcome_page_get_path (WhWelcomePage *self);

/* How many incidents the demo street gets (default: the generator's default); for tests. */
void wh_welcome_page_set_demo_incidents (WhWelcomePage *self, guint n_incidents);

/* Starts generating, as the button does; ::loaded is emitted when the street is written. */
void     wh_welcome_page_load_demo (WhWelcomePage *self);
void     wh_welcome_page_cancel (WhWelcomePage *self);
gboolean wh_welcome_page_get_busy (WhWelcomePage *self);

/* The engine syncing the cache, or %NULL: while it runs, the demo street is not offered. */
void wh_welcome_page_set_sync_engine (WhWelcomePage *self, WhSyncEngine *engine);

G_END_DECLS
