/* wh-timeline-row.h — one step of an incident's whole-process record (全过程记录)
 *
 * When, what (the action and the status it led to), who and for which unit, the action's
 * own facts (the units summoned and their deadlines, a legal review's decision, a rating),
 * the note, and the attachments as thumbnails.
 */
#pragma once

#include <adwaita.h>

#include "wh-context.h"

G_BEGIN_DECLS

#define WH_TYPE_TIMELINE_ROW (wh_timeline_row_get_type ())
G_DECLARE_FINAL_TYPE (WhTimelineRow, wh_timeline_row, WH, TIMELINE_ROW, GtkListBoxRow)

WhTimelineRow *wh_timeline_row_new (WhContext *context, WhIncidentEvent *event);

const char *wh_timeline_row_get_event_id (WhTimelineRow *self);

/* The attachment thumbs shown (WhAttachmentThumb), in order; for tests. */
guint      wh_timeline_row_get_n_attachments (WhTimelineRow *self);
GtkWidget *wh_timeline_row_get_attachment (WhTimelineRow *self, guint index);

/* The texts shown, for tests and screenshots. */
const char *wh_timeline_row_get_what (WhTimelineRow *self);
const char *wh_timeline_row_get_who (WhTimelineRow *self);
const char *wh_timeline_row_get_details (WhTimelineRow *self);

/* "138****5678": a phone number as shown where others may read along. */
char *wh_timeline_row_mask_phone (const char *phone);

G_END_DECLS
