/* wh-incident-detail.h — one incident: its fields, summoned units and timeline */
#pragma once

#include <adwaita.h>

#include "wh-context.h"
#include "incident/wh-timeline-row.h"

G_BEGIN_DECLS

#define WH_TYPE_INCIDENT_DETAIL (wh_incident_detail_get_type ())
G_DECLARE_FINAL_TYPE (WhIncidentDetail, wh_incident_detail, WH, INCIDENT_DETAIL, AdwBin)

/* Shows the incident @incident_id read afresh from @context (%NULL shows nothing). */
void wh_incident_detail_show (WhIncidentDetail *self, WhContext *context, const char *incident_id);

/* Re-reads the shown incident (after it changed). */
void wh_incident_detail_reload (WhIncidentDetail *self);

const char *wh_incident_detail_get_incident_id (WhIncidentDetail *self);
/* Rows shown in the timeline and in the units list. */
guint wh_incident_detail_get_n_events (WhIncidentDetail *self);
guint wh_incident_detail_get_n_units (WhIncidentDetail *self);

/* The actions offered now (buttons that activate app.incident-action), the next step
 * first. */
guint    wh_incident_detail_get_n_actions (WhIncidentDetail *self);
WhAction wh_incident_detail_get_action (WhIncidentDetail *self, guint index);
gboolean wh_incident_detail_offers (WhIncidentDetail *self, WhAction action);

/* A row of the whole-process record, oldest first. */
WhTimelineRow *wh_incident_detail_get_timeline_row (WhIncidentDetail *self, guint index);

G_END_DECLS
