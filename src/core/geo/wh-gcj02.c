/* wh-gcj02.c — WGS-84 ↔ GCJ-02 with the public eviltransform formulas
 *
 * After github.com/googollee/eviltransform (MIT), the de-facto reference that most
 * open-source conversions agree with; the constants are those of Krasovsky 1940.
 */
#include "config.h"

#include <math.h>

#include "wh-gcj02.h"

#define KRASOVSKY_A  6378245.0
#define KRASOVSKY_EE 0.00669342162296594323

#define INVERSE_TOLERANCE 1e-9
#define INVERSE_MAX_STEPS 30

gboolean
wh_gcj02_out_of_china (double lon, double lat)
{
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

/* The datum's offset at (lon, lat), in degrees. */
static void
delta (double lon, double lat, double *d_lon, double *d_lat)
{
  double x = lon - 105.0;
  double y = lat - 35.0;
  double sqrt_abs_x = sqrt (fabs (x));
  double wave_x = (20.0 * sin (6.0 * x * G_PI) + 20.0 * sin (2.0 * x * G_PI)) * 2.0 / 3.0;
  double t_lat, t_lon, rad_lat, magic, sqrt_magic;

  t_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x;
  t_lat += wave_x;
  t_lat += (20.0 * sin (y * G_PI) + 40.0 * sin (y / 3.0 * G_PI)) * 2.0 / 3.0;
  t_lat += (160.0 * sin (y / 12.0 * G_PI) + 320.0 * sin (y / 30.0 * G_PI)) * 2.0 / 3.0;

  t_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x;
  t_lon += wave_x;
  t_lon += (20.0 * sin (x * G_PI) + 40.0 * sin (x / 3.0 * G_PI)) * 2.0 / 3.0;
  t_lon += (150.0 * sin (x / 12.0 * G_PI) + 300.0 * sin (x / 30.0 * G_PI)) * 2.0 / 3.0;

  rad_lat = lat / 180.0 * G_PI;
  magic = sin (rad_lat);
  magic = 1.0 - KRASOVSKY_EE * magic * magic;
  sqrt_magic = sqrt (magic);

  *d_lat = (t_lat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * G_PI);
  *d_lon = (t_lon * 180.0) / (KRASOVSKY_A / sqrt_magic * cos (rad_lat) * G_PI);
}

void
wh_gcj02_from_wgs84 (double lon, double lat, double *gcj_lon, double *gcj_lat)
{
  double d_lon, d_lat;

  g_return_if_fail (gcj_lon != NULL && gcj_lat != NULL);

  if (wh_gcj02_out_of_china (lon, lat))
    {
      *gcj_lon = lon;
      *gcj_lat = lat;
      return;
    }

  delta (lon, lat, &d_lon, &d_lat);
  *gcj_lon = lon + d_lon;
  *gcj_lat = lat + d_lat;
}

void
wh_gcj02_to_wgs84 (double gcj_lon, double gcj_lat, double *lon, double *lat)
{
  double w_lon = gcj_lon, w_lat = gcj_lat;

  g_return_if_fail (lon != NULL && lat != NULL);

  if (!wh_gcj02_out_of_china (gcj_lon, gcj_lat))
    {
      /* w ← w + (gcj − forward (w)): converges because the offset changes slowly with
       * position (its derivative stays below about 3e-3), so each step gains between
       * two and three digits on the first guess's error of some 5e-3°. */
      for (int step = 0; step < INVERSE_MAX_STEPS; step++)
        {
          double f_lon, f_lat, e_lon, e_lat;

          wh_gcj02_from_wgs84 (w_lon, w_lat, &f_lon, &f_lat);
          e_lon = gcj_lon - f_lon;
          e_lat = gcj_lat - f_lat;
          w_lon += e_lon;
          w_lat += e_lat;
          if (fabs (e_lon) < INVERSE_TOLERANCE && fabs (e_lat) < INVERSE_TOLERANCE)
            break;
        }
    }

  *lon = w_lon;
  *lat = w_lat;
}
