/* wh-queue-filter-popover.h — the queue's filters: category, place, unit, source, priority,
 * dates
 *
 * Edits a WhQueueFilter in place and follows it when something else changes it (a saved
 * view, a grid cell chosen on the map). The category is searched by code or by any part
 * of its name; a first-level class filters everything below it.
 */
#pragma once

#include <gtk/gtk.h>

#include "wh-context.h"
#include "wh-queue-filter.h"

G_BEGIN_DECLS

#define WH_TYPE_QUEUE_FILTER_POPOVER (wh_queue_filter_popover_get_type ())
G_DECLARE_FINAL_TYPE (WhQueueFilterPopover, wh_queue_filter_popover, WH, QUEUE_FILTER_POPOVER,
                      GtkPopover)

void wh_queue_filter_popover_set_filter  (WhQueueFilterPopover *self, WhQueueFilter *filter);
void wh_queue_filter_popover_set_context (WhQueueFilterPopover *self, WhContext *context);

/* For tests: the category rows shown for @search (as typed into the search entry). */
guint wh_queue_filter_popover_count_categories (WhQueueFilterPopover *self, const char *search);

/* Parses "YYYY-MM-DD" as the start of that day in the street's time zone (Asia/Shanghai).
 * Returns: %FALSE when @text is not such a date */
gboolean wh_queue_filter_parse_day (const char *text, gint64 *usec);

/* The day of @usec in the street's time zone as "YYYY-MM-DD". */
char *wh_queue_filter_format_day (gint64 usec);

G_END_DECLS
