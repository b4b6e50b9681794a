/* wh-map-texture.h — textures of the map's own layers, stored to draw fast on any renderer
 *
 * GTK 4.8's cairo renderer converts a texture into a cairo surface every time it draws it
 * (gsk_texture_node_draw() downloads it), and its conversions have integer fast paths only
 * from straight-alpha RGB(A): the premultiplied formats, GDK_MEMORY_DEFAULT (cairo's own
 * layout) included, go through floats, about ten times slower. The grid's fills cover the
 * whole street at up to 2048×2048, drawn at every frame of a pan. So the layers keep their
 * textures as straight-alpha R8G8B8A8, converted once when made; the GL renderer uploads
 * them once either way.
 */
#pragma once

#include <cairo.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Returns: (transfer full): a texture of the pixels of @surface (CAIRO_FORMAT_ARGB32) */
GdkTexture *wh_map_texture_new_for_surface (cairo_surface_t *surface);

G_END_DECLS
