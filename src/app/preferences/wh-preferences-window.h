/* wh-preferences-window.h — the desk's Preferences: what the map is drawn on
 *
 * One page, Map: the base map (an offline MBTiles file, OpenStreetMap, Tianditu with its
 * key, AMap, or a custom tile server with its datum) and the saved tiles of online maps
 * (space used, the limit, "Clear"). Everything is a GSettings key of cn.gov.whistle.Desk,
 * written as soon as it is valid; the map page follows the keys, so the open map changes
 * at once. A custom address is checked before it is kept, and a chosen file must be an
 * MBTiles file.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WH_TYPE_PREFERENCES_WINDOW (wh_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (WhPreferencesWindow,
                      wh_preferences_window,
                      WH,
                      PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/**
 * wh_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @settings: the desk's settings (schema cn.gov.whistle.Desk)
 * @cache_path: (nullable): the open cache, to say which offline map lies beside it
 *
 * Returns: (transfer full): a new window, not yet shown
 */
WhPreferencesWindow *
wh_preferences_window_new (GtkWindow *parent, GSettings *settings, const char *cache_path);

/**
 * wh_preferences_window_activate:
 * @application: the WhApplication (the action entry's user data)
 *
 * The handler of app.preferences (a GActionEntry "activate"): shows Preferences for the
 * active window, or brings back the one already open.
 */
void wh_preferences_window_activate (GSimpleAction *action, GVariant *parameter, gpointer application);

/* The message under the base map rows ("" when none), for tests. */
const char *wh_preferences_window_get_error (WhPreferencesWindow *self);

/* Keeps @url_template as the custom server's address when it is valid, else shows why
 * (what the row's Apply button does). Returns whether it was kept. */
gboolean wh_preferences_window_apply_custom_url (WhPreferencesWindow *self,
                                                 const char          *url_template);

/* The "Space used" text, for tests. */
const char *wh_preferences_window_get_usage (WhPreferencesWindow *self);

G_END_DECLS
