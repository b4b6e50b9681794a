/* wh-map-transform.c — where the map's viewport puts a point, for layers that draw many */
#include "config.h"

#include <math.h>

#include "wh-map-transform.h"
#include "wh-mercator.h"

void
wh_map_transform_init (WhMapTransform *t, ShumateViewport *viewport, GtkWidget *widget)
{
  double nx, ny;

  t->zoom = shumate_viewport_get_zoom_level (viewport);
  t->world = wh_mercator_world_size (t->zoom);
  wh_mercator_project (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                       shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), &nx, &ny);
  t->cx = nx * t->world;
  t->cy = ny * t->world;
  t->width = gtk_widget_get_width (widget);
  t->height = gtk_widget_get_height (widget);
  t->rotation = shumate_viewport_get_rotation (viewport);
}

void
wh_map_transform_invert (const WhMapTransform *t, double x, double y, double *nx, double *ny)
{
  double dx = x - t->width / 2, dy = y - t->height / 2;
  double c = cos (-t->rotation), s = sin (-t->rotation);
  double ux = c * dx - s * dy, uy = s * dx + c * dy;

  *nx = (ux + t->cx) / t->world;
  *ny = (uy + t->cy) / t->world;
}

void
wh_map_transform_to_widget (const WhMapTransform *t, double nx, double ny, double *x, double *y)
{
  double ux, uy, dx, dy;
  double c = cos (t->rotation), s = sin (t->rotation);

  wh_map_transform_apply (t, nx, ny, &ux, &uy);
  dx = ux - t->width / 2;
  dy = uy - t->height / 2;
  *x = c * dx - s * dy + t->width / 2;
  *y = s * dx + c * dy + t->height / 2;
}

void
wh_map_transform_push_rotation (const WhMapTransform *t, GtkSnapshot *snapshot)
{
  gtk_snapshot_save (snapshot);
  if (t->rotation == 0)
    return;
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (t->width / 2, t->height / 2));
  gtk_snapshot_rotate (snapshot, (float) (t->rotation * 180.0 / G_PI));
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-t->width / 2, -t->height / 2));
}
