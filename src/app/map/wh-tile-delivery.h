/* wh-tile-delivery.h — handing tiles to libshumate, shared by the online and MBTiles sources */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

const char *wh_tile_sniff_raster (const guint8      *data,
                                  gsize              size);
void        wh_tile_announce     (ShumateDataSource *source,
                                  int                x,
                                  int                y,
                                  int                zoom,
                                  GBytes            *bytes);
void        wh_tile_deliver      (GTask             *task,
                                  ShumateDataSource *source,
                                  int                x,
                                  int                y,
                                  int                zoom,
                                  GBytes            *bytes,
                                  gboolean           announced);

G_END_DECLS
