/* wh-attachment-thumb.h — one attachment of a timeline event, as a small button
 *
 * A photo shows as a thumbnail and opens full size; a document shows its name and opens in
 * the system's viewer. An attachment whose bytes are still on the district server shows a
 * placeholder that says so.
 */
#pragma once

#include <adwaita.h>

#include "wh-attachment-store.h"
#include "wh-context.h"

G_BEGIN_DECLS

#define WH_TYPE_ATTACHMENT_THUMB (wh_attachment_thumb_get_type ())
G_DECLARE_FINAL_TYPE (WhAttachmentThumb, wh_attachment_thumb, WH, ATTACHMENT_THUMB, GtkButton)

WhAttachmentThumb *wh_attachment_thumb_new (WhContext *context, const WhAttachment *attachment);

const char *wh_attachment_thumb_get_hash (WhAttachmentThumb *self);

/* Whether the thumb shows a placeholder (bytes not fetched, or unreadable) rather than
 * the photo or document. */
gboolean wh_attachment_thumb_is_placeholder (WhAttachmentThumb *self);

/* What a click does: opens the photo full size (the window is returned for tests; %NULL
 * for a document or a placeholder). */
GtkWindow *wh_attachment_thumb_open (WhAttachmentThumb *self);

G_END_DECLS
