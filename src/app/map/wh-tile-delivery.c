/* wh-tile-delivery.c — handing tiles to libshumate, shared by the online and MBTiles sources
 *
 * Both sources answer ShumateDataSource requests the same way, and both must work around
 * the same libshumate 1.0 behaviour; one copy keeps that workaround in one place. */
#include "config.h"

#include <string.h>

#include "wh-tile-delivery.h"

/* "png", "jpg" or "webp" when the first bytes of a tile say it is that image, else NULL.
 * The sources add what only they meet (GIF from servers, vector tiles in files). */
const char *
wh_tile_sniff_raster (const guint8 *data, gsize size)
{
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "jpg";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "webp";
  return NULL;
}

/* libshumate 1.0's ShumateRasterRenderer sets textures from the "received-data" signal,
 * not from the task's result; it must come before the request's task completes, which is
 * when the renderer forgets the tile. From 1.1 the default start_request() uses the result,
 * so this does nothing there. Call on the thread that made the request. */
void
wh_tile_announce (ShumateDataSource *source, int x, int y, int zoom, GBytes *bytes)
{
#if !SHUMATE_CHECK_VERSION(1, 1, 0)
  g_signal_emit_by_name (source, "received-data", x, y, zoom, bytes);
#endif
}

/* Completes a get_tile_data_async() @task with @bytes (taken over), announcing the tile
 * first unless that was @announced already (say, an early answer from the cache). */
void
wh_tile_deliver (GTask             *task,
                 ShumateDataSource *source,
                 int                x,
                 int                y,
                 int                zoom,
                 GBytes            *bytes,
                 gboolean           announced)
{
  if (!announced)
    wh_tile_announce (source, x, y, zoom, bytes);
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}
