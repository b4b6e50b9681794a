/* wh-welcome-page.h — shown on a cache without a street: offers to load the demo street */
#pragma once

#include <adwaita.h>

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

G_END_DECLS
