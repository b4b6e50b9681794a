/* wh-change-feed.h — the district server's changes feed
 *
 * Every change the server commits moves the changed incident to a new, higher sequence
 * number (change_log), and notes at which seq each of its events arrived (server_event).
 * A desk reads the feed from its cursor: every incident it has not seen in its latest state,
 * once, with exactly the events it lacks. Deleted records leave tombstones.
 *
 * The server writes from one connection and allocates each seq inside the transaction that
 * commits it, so commit order is seq order and a reader can never skip a seq that is
 * committed later.
 */
#pragma once

#include "wh-db.h"
#include "wh-wire.h"

G_BEGIN_DECLS

#define WH_TYPE_CHANGE_FEED (wh_change_feed_get_type ())
G_DECLARE_FINAL_TYPE (WhChangeFeed, wh_change_feed, WH, CHANGE_FEED, GObject)

WhChangeFeed *wh_change_feed_new               (WhDb          *db);

/**
 * wh_change_feed_record_incident:
 * @incident_id: the incident that changed
 * @street_id: its street
 * @rev: its new revision
 * @event_ids: (nullable) (array zero-terminated=1): the events the change added
 *
 * Moves the incident to a new seq. Call inside the transaction that made the change.
 *
 * Returns: the new seq, or 0 with @error set
 */
gint64        wh_change_feed_record_incident   (WhChangeFeed  *self,
                                                const char    *incident_id,
                                                const char    *street_id,
                                                gint64         rev,
                                                const char   **event_ids,
                                                GError       **error);

/**
 * wh_change_feed_record_tombstone:
 * @entity: what kind of record was deleted ("incident")
 *
 * Replaces the record's row with a tombstone at a new seq, so desks drop their copy.
 *
 * Returns: the new seq, or 0 with @error set
 */
gint64        wh_change_feed_record_tombstone  (WhChangeFeed  *self,
                                                const char    *entity,
                                                const char    *entity_id,
                                                const char    *street_id,
                                                gint64         rev,
                                                GError       **error);

/**
 * wh_change_feed_adopt:
 * @count: (out) (optional): how many incidents were adopted
 *
 * Enters every incident that is not in the feed yet (a demo district loaded by the admin
 * command, an import) at revision 1 or above, with all its events. One transaction.
 */
gboolean      wh_change_feed_adopt             (WhChangeFeed  *self,
                                                guint         *count,
                                                GError       **error);

/**
 * wh_change_feed_read:
 * @street_id: (nullable): the one street to read; %NULL reads every street
 * @since: the reader's cursor: the feed's next_since from the last committed page, 0 at first
 * @limit: at most this many changes
 *
 * Returns: (transfer full): one page, or %NULL with @error set
 */
WhChangePage *wh_change_feed_read              (WhChangeFeed  *self,
                                                const char    *street_id,
                                                gint64         since,
                                                guint          limit,
                                                GError       **error);

/**
 * wh_change_feed_read_pass:
 * @since: where this page starts: the next_since of the reader's last committed page
 * @events_since: where the reader's pass through the feed started: the cursor of its last
 *   complete pass (the page with more = false), 0 at first; at most @since
 *
 * Like wh_change_feed_read(), but each incident comes with the events that reached the
 * server after @events_since. A reader that pages from its last complete pass has every
 * event up to @events_since, but not necessarily those between @events_since and @since: an
 * incident that changed again while the reader was paging moved ahead of it and is met only
 * later, at its new seq, with the events of the meantime still to be sent.
 *
 * Returns: (transfer full): one page, or %NULL with @error set
 */
WhChangePage *wh_change_feed_read_pass         (WhChangeFeed  *self,
                                                const char    *street_id,
                                                gint64         since,
                                                gint64         events_since,
                                                guint          limit,
                                                GError       **error);

/* The newest seq of @street_id (every street when %NULL); 0 when the feed is empty. */
gint64        wh_change_feed_latest            (WhChangeFeed  *self,
                                                const char    *street_id,
                                                GError       **error);

G_END_DECLS
