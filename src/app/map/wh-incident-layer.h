/* wh-incident-layer.h — incidents on the map: clusters per zoom, or a heat map
 *
 * A ShumateLayer drawing any number of incidents in its snapshot (never a widget per
 * marker: libshumate 1.0.3's marker layer costs ~22 ms per pan at 10,000 markers). The
 * points are clustered on a pixel grid per whole zoom level (wh-cluster.h), each level once
 * and then kept; a cluster is drawn as one dot with its count, in the colour of its most
 * pressing member: overdue red, else the colour of its status group. Dots are textures
 * made once per look and count and reused every frame.
 *
 * In heat-map mode the points are drawn as a density surface instead, for seeing where
 * the work piles up.
 */
#pragma once

#include <shumate/shumate.h>

#include "wh-grid-store.h"

G_BEGIN_DECLS

#define WH_TYPE_INCIDENT_LAYER (wh_incident_layer_get_type ())
G_DECLARE_FINAL_TYPE (WhIncidentLayer, wh_incident_layer, WH, INCIDENT_LAYER, ShumateLayer)

WhIncidentLayer *wh_incident_layer_new (ShumateViewport *viewport);

/**
 * wh_incident_layer_set_points:
 * @points: (array length=n_points) (nullable): the incidents, copied
 * @now: the time "overdue" is judged at
 *
 * Replaces the incidents. A point is referred to by its index in @points. The selection
 * is kept when an incident of the same rowid is among the new points.
 */
void  wh_incident_layer_set_points (WhIncidentLayer       *self,
                                    const WhIncidentPoint *points,
                                    guint                  n_points,
                                    gint64                 now);
guint wh_incident_layer_get_n_points (WhIncidentLayer *self);

/* Returns: (transfer none) (nullable): point @index as given */
const WhIncidentPoint *wh_incident_layer_get_point (WhIncidentLayer *self, guint index);

/* The index of the point with @rowid, or -1. */
int wh_incident_layer_find_rowid (WhIncidentLayer *self, gint64 rowid);

void     wh_incident_layer_set_heat_map (WhIncidentLayer *self, gboolean heat_map);
gboolean wh_incident_layer_get_heat_map (WhIncidentLayer *self);

/**
 * wh_incident_layer_hit:
 * @x: widget coordinates, e.g. a click
 * @y:
 * @count: (out) (optional): how many incidents the dot hit stands for
 *
 * What was clicked: the dot under (@x, @y), as drawn at the current zoom.
 *
 * Returns: the index of the dot's most pressing incident, or -1 when no dot is there
 */
int wh_incident_layer_hit (WhIncidentLayer *self, double x, double y, guint *count);

/* Where point @index is drawn, in widget coordinates. */
gboolean
wh_incident_layer_get_point_position (WhIncidentLayer *self, guint index, double *x, double *y);

/* Marks point @index as selected (-1 for none); emits ::selection-changed on a change. */
void wh_incident_layer_select (WhIncidentLayer *self, int index);
int  wh_incident_layer_get_selected (WhIncidentLayer *self);

/* How many dots the last snapshot drew (0 in heat-map mode), for tests and benchmarks. */
guint wh_incident_layer_get_n_drawn (WhIncidentLayer *self);

/* The colour of a dot of @point judged at @now: overdue red, else its status group's. */
void wh_incident_layer_point_color (const WhIncidentPoint *point, gint64 now, GdkRGBA *color);

G_END_DECLS
