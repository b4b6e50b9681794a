/* test-renderer.c — which renderer the desk asks GTK for
 *
 * Run under Xvfb, where OpenGL (if any) is Mesa's software rasteriser. The renderer GTK
 * makes for the first window is kept for the process, so the window is realized once,
 * after the automatic choice, and the rest checks what wins over what without drawing.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "wh-renderer.h"

static void
test_automatic (void)
{
  const char *chosen;
  GtkWidget  *window;
  const char *used;

  g_unsetenv ("GSK_RENDERER");
  chosen = wh_renderer_choose ("automatic");
  /* cairo on software OpenGL; nothing to choose where there is no OpenGL at all (GTK
   * falls back to cairo by itself). */
  g_assert_true (chosen == NULL || g_str_equal (chosen, "cairo"));
  g_test_message ("automatic: %s", chosen ? chosen : "(GTK's own)");
  if (chosen != NULL)
    g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 200, 100);
  gtk_widget_realize (window);
  used = wh_renderer_describe (window);
  g_assert_nonnull (used);
  g_test_message ("drawn with %s", used);
  if (chosen != NULL)
    g_assert_cmpstr (used, ==, "cairo");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_precedence (void)
{
  /* The setting "opengl" leaves GTK's default. */
  g_unsetenv ("GSK_RENDERER");
  g_assert_null (wh_renderer_choose ("opengl"));
  g_assert_null (g_getenv ("GSK_RENDERER"));

  /* The setting "cairo" asks for it wherever the desk runs. */
  g_assert_cmpstr (wh_renderer_choose ("cairo"), ==, "cairo");
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");

  /* The environment wins over the setting. */
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_assert_null (wh_renderer_choose ("cairo"));
  g_assert_null (wh_renderer_choose ("automatic"));
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
}

int
main (int argc, char *argv[])
{
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/renderer/automatic", test_automatic);
  g_test_add_func ("/renderer/precedence", test_precedence);

  return g_test_run ();
}
