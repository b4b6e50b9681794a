/* wh-queue-counts.h — how many incidents each ready-made view lists, counted off the UI
 *
 * The sidebar and the header's overdue badge show a count per view. With a million
 * incidents in the cache a few of those counts take long enough to stutter the desk, so
 * they run on a worker thread with its own read connection (the cache is in WAL mode:
 * readers do not block the desk's writes) and come back with "changed". Refreshes asked for
 * while one runs are merged into one more run.
 */
#pragma once

#include <gio/gio.h>

#include "wh-incident-store.h"

G_BEGIN_DECLS

#define WH_TYPE_QUEUE_COUNTS (wh_queue_counts_get_type ())
G_DECLARE_FINAL_TYPE (WhQueueCounts, wh_queue_counts, WH, QUEUE_COUNTS, GObject)

/* Returns: (transfer full): counts of the cache at @db_path, none counted yet */
WhQueueCounts *wh_queue_counts_new (const char *db_path);

/* Whose incidents the view "mine" counts; refreshes when it changes. */
void wh_queue_counts_set_actor_id (WhQueueCounts *self, const char *actor_id);

/* Counts every view again, soon (changes in a burst, as a sync writes them, are counted
 * once). */
void wh_queue_counts_refresh (WhQueueCounts *self);

/* The last count of @view, or -1 before the first one came back or when it failed. */
int wh_queue_counts_get (WhQueueCounts *self, WhIncidentView view);

/* How many rounds of counting have come back (for tests). */
guint wh_queue_counts_get_n_rounds (WhQueueCounts *self);

/* Whether a round is running or waiting to. */
gboolean wh_queue_counts_is_busy (WhQueueCounts *self);

G_END_DECLS
