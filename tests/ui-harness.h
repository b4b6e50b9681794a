/* ui-harness.h — main loop helpers for the tests of the desk (they run under a display)
 *
 * A test that includes this header defines WAIT_SECONDS first: how long WAIT_FOR() waits.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A GSourceFunc: sets the gboolean at @data and removes the source. */
gboolean ui_timed_out (gpointer data);

/* Lets pending redraws, idles and layout run, then the main loop for @frame_ms more, so
 * lists have been allocated and bound their rows. */
void     ui_settle    (guint    frame_ms);

/* Runs the main loop until @cond holds, or fails after WAIT_SECONDS. */
#define WAIT_FOR(cond)                                                                             \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gboolean expired_ = FALSE;                                                                     \
    guint    timer_ = g_timeout_add_seconds (WAIT_SECONDS, ui_timed_out, &expired_);               \
    while (!(cond) && !expired_)                                                                   \
      g_main_context_iteration (NULL, TRUE);                                                       \
    if (!expired_)                                                                                 \
      g_source_remove (timer_);                                                                    \
    if (!(cond))                                                                                   \
      g_error ("Timed out waiting for: %s", #cond);                                                \
  }                                                                                                \
  G_STMT_END

G_END_DECLS
