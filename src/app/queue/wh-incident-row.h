/* wh-incident-row.h — one row of the queue: a position whose incident can change
 *
 * The queue's list model hands GTK a WhIncidentRow per position, and keeps the same row
 * for that position as long as a view holds it. When the list is read again (a filter, a
 * sort, a change in the store) the model puts the new incident into each row a view holds
 * and tells the views only how the length changed. GTK 4.8 destroys the widgets of every
 * row it is told was removed, and makes new ones for every row added, which cost most of
 * a reload; a row whose incident changes keeps its widgets, and only the cells' text is
 * set again (on "notify::incident").
 */
#pragma once

#include <glib-object.h>

#include "wh-incident.h"

G_BEGIN_DECLS

#define WH_TYPE_INCIDENT_ROW (wh_incident_row_get_type ())
G_DECLARE_FINAL_TYPE (WhIncidentRow, wh_incident_row, WH, INCIDENT_ROW, GObject)

WhIncidentRow *wh_incident_row_new          (WhIncident    *incident);

/* Returns: (transfer none): the incident the row shows now */
WhIncident    *wh_incident_row_get_incident (WhIncidentRow *self);

/* Shows @incident in the row; notifies "incident". */
void           wh_incident_row_set_incident (WhIncidentRow *self,
                                             WhIncident    *incident);

G_END_DECLS
