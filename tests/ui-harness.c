/* ui-harness.c — main loop helpers for the tests of the desk */
#include "config.h"

#include "ui-harness.h"

gboolean
ui_timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ui_settle (guint frame_ms)
{
  gboolean expired = FALSE;

  for (int i = 0; i < 200 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_timeout_add (frame_ms, ui_timed_out, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}
