/* wh-map-texture.c — textures of the map's own layers, stored to draw fast on any renderer */
#include "config.h"

#include "wh-map-texture.h"

GdkTexture *
wh_map_texture_new_for_surface (cairo_surface_t *surface)
{
  int            width = cairo_image_surface_get_width (surface);
  int            height = cairo_image_surface_get_height (surface);
  int            stride = cairo_image_surface_get_stride (surface);
  const guint8  *data;
  guint8        *rgba;
  GBytes        *bytes;
  GdkTexture    *texture;

  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32, NULL);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  rgba = g_malloc ((gsize) width * height * 4);
  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);
      guint8        *out = rgba + (gsize) y * width * 4;

      for (int x = 0; x < width; x++, out += 4)
        {
          /* ARGB32: premultiplied, in a native-endian 32-bit word. */
          guint32 p = row[x];
          guint   a = p >> 24;

          if (a == 0)
            {
              out[0] = out[1] = out[2] = out[3] = 0;
              continue;
            }
          out[0] = (guint8) ((((p >> 16) & 0xff) * 255 + a / 2) / a);
          out[1] = (guint8) ((((p >> 8) & 0xff) * 255 + a / 2) / a);
          out[2] = (guint8) (((p & 0xff) * 255 + a / 2) / a);
          out[3] = (guint8) a;
        }
    }
  bytes = g_bytes_new_take (rgba, (gsize) width * height * 4);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, width * 4);
  g_bytes_unref (bytes);
  return texture;
}
