/* wh-map-transform.h — where the map's viewport puts a point, for layers that draw many
 *
 * shumate_viewport_location_to_widget_coords() answers for one point at a time through
 * the map source; layers drawing thousands of points keep them in normalised Web Mercator
 * coordinates (wh_mercator_project()) and place them with one multiply-add each. The
 * arithmetic is libshumate's own: the viewport's centre in the middle of the widget, the
 * world 256 × 2^zoom pixels wide, and the viewport's rotation about the widget's centre.
 * Layers draw unrotated inside wh_map_transform_push_rotation() … gtk_snapshot_restore().
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

typedef struct
{
  double zoom;
  double world;  /* the world's width in pixels at @zoom */
  double cx, cy; /* the viewport's centre, world pixels */
  double width, height;
  double rotation; /* radians, clockwise as the viewport's */
} WhMapTransform;

/* Reads the viewport's state for drawing @widget (a layer filling the map). */
void wh_map_transform_init (WhMapTransform *t, ShumateViewport *viewport, GtkWidget *widget);

/* Normalised world coordinates to unrotated widget coordinates. */
static inline void
wh_map_transform_apply (const WhMapTransform *t, double nx, double ny, double *x, double *y)
{
  *x = nx * t->world - t->cx + t->width / 2;
  *y = ny * t->world - t->cy + t->height / 2;
}

/* Widget coordinates (as events give them, rotated) to normalised world coordinates. */
void wh_map_transform_invert (const WhMapTransform *t, double x, double y, double *nx, double *ny);

/* Widget coordinates (rotated) of normalised world coordinates, for popovers. */
void
wh_map_transform_to_widget (const WhMapTransform *t, double nx, double ny, double *x, double *y);

/* Saves @snapshot and turns it with the viewport, so what follows draws unrotated. */
void wh_map_transform_push_rotation (const WhMapTransform *t, GtkSnapshot *snapshot);

G_END_DECLS
