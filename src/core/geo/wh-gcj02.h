/* wh-gcj02.h — WGS-84 ↔ GCJ-02, the offset datum of maps published in mainland China
 *
 * Chinese map providers (Amap, Tencent, Tianditu's commercial layers and most district
 * tile servers) draw their tiles in GCJ-02, which differs from WGS-84 by 100–700 m.
 * Whistle stores WGS-84 everywhere and converts only at the edge where such tiles are
 * shown, with the public "eviltransform" formulas.
 *
 * Outside a box around China the datum is WGS-84 itself, so points there pass unchanged.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether GCJ-02 leaves the point unchanged (the rough box eviltransform uses). */
gboolean wh_gcj02_out_of_china (double lon, double lat);

/**
 * wh_gcj02_from_wgs84:
 * @lon: WGS-84 longitude in degrees
 * @lat: WGS-84 latitude in degrees
 * @gcj_lon: (out): GCJ-02 longitude
 * @gcj_lat: (out): GCJ-02 latitude
 *
 * The forward transform; exact by definition.
 */
void wh_gcj02_from_wgs84 (double lon, double lat, double *gcj_lon, double *gcj_lat);

/**
 * wh_gcj02_to_wgs84:
 * @gcj_lon: GCJ-02 longitude in degrees
 * @gcj_lat: GCJ-02 latitude in degrees
 * @lon: (out): WGS-84 longitude
 * @lat: (out): WGS-84 latitude
 *
 * The inverse has no closed form; it is found by fixed-point iteration until the
 * forward transform of the result is within 1e-9° (0.1 mm) of the input, which takes
 * three to five steps because the offset changes slowly with position.
 */
void wh_gcj02_to_wgs84 (double gcj_lon, double gcj_lat, double *lon, double *lat);

G_END_DECLS
