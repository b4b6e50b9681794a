/* wh-renderer.c — which of GTK's renderers draws the desk */
#include "config.h"

#include <string.h>

#include <epoxy/gl.h>

#include "wh-renderer.h"

/* Mesa's CPU rasterisers, as they name themselves in GL_RENDERER. */
static const char *const software_renderers[] = { "llvmpipe", "softpipe", "swrast", "SWR" };

static gboolean
opengl_is_software (GdkDisplay *display)
{
  g_autoptr (GdkGLContext) context = NULL;
  const char *name;
  gboolean    software = FALSE;

  /* No OpenGL at all: GTK falls back to cairo by itself. */
  context = gdk_display_create_gl_context (display, NULL);
  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return FALSE;
  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (software_renderers); i++)
    if (strstr (name, software_renderers[i]) != NULL)
      software = TRUE;
  g_debug ("OpenGL renderer: %s", name ? name : "(none)");
  gdk_gl_context_clear_current ();
  return software;
}

const char *
wh_renderer_choose (const char *choice)
{
  GdkDisplay *display = gdk_display_get_default ();

  /* The environment (a test's, a support engineer's) wins, then the setting. */
  if (display == NULL || g_getenv ("GSK_RENDERER") != NULL ||
      g_strcmp0 (choice, "opengl") == 0)
    return NULL;
  if (g_strcmp0 (choice, "cairo") != 0 && !opengl_is_software (display))
    return NULL;
  /* GTK reads GSK_RENDERER when it makes the first window's renderer, which is still to
   * come; the documented switch, set while nothing else reads the environment. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return "cairo";
}

const char *
wh_renderer_describe (GtkWidget *widget)
{
  GtkNative   *native = widget ? gtk_widget_get_native (widget) : NULL;
  GskRenderer *renderer = native ? gtk_native_get_renderer (native) : NULL;
  const char  *type;

  if (renderer == NULL)
    return NULL;
  type = G_OBJECT_TYPE_NAME (renderer);
  if (g_str_equal (type, "GskCairoRenderer"))
    return "cairo";
  if (g_str_equal (type, "GskGLRenderer") || g_str_equal (type, "GskNglRenderer"))
    return "OpenGL";
  if (g_str_equal (type, "GskVulkanRenderer"))
    return "Vulkan";
  return type;
}
