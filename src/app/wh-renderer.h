/* wh-renderer.h — which of GTK's renderers draws the desk
 *
 * GTK 4.8 draws with OpenGL when it can. Without a GPU (a virtual machine, a remote
 * desktop, an old office PC: common at duty desks) OpenGL is Mesa's software rasteriser,
 * and GTK's GL renderer then redraws the whole window on the CPU for every frame: about
 * 50 ms at 1600×1000 on our 2-core test machine, whatever changed. GTK's cairo renderer
 * redraws only what changed (a few ms for a reloaded queue). So on software OpenGL the desk
 * asks for cairo, unless GSK_RENDERER or the "renderer" setting says otherwise. (Panning
 * and zooming the map redraws everything anyway, and there software OpenGL, on two
 * threads, is about twice as fast: a desk that mostly watches the map may choose it.)
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Call once the display is open and before the first window is realized. @choice is the
 * "renderer" setting: "automatic", "opengl" or "cairo". Returns the renderer chosen
 * ("cairo"), or NULL when GTK chooses as it would anyway. */
const char *wh_renderer_choose (const char *choice);

/* A name for the renderer that draws @widget's window, for people: "OpenGL", "cairo"… */
const char *wh_renderer_describe (GtkWidget *widget);

G_END_DECLS
