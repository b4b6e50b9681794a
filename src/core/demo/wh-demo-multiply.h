/* wh-demo-multiply.h — many incidents fast, for tests and benchmarks
 *
 * Generating a million incidents step by step through the lifecycle takes minutes. Cloning
 * a generated street's incidents in SQL takes a fraction of that and gives the same mix of
 * states, categories, places and texts: what the queue's speed depends on.
 */
#pragma once

#include "wh-db.h"

G_BEGIN_DECLS

/* How far back each copy is moved: whole weeks keep weekdays, working hours and local days. */
#define WH_DEMO_MULTIPLY_SHIFT (7 * G_TIME_SPAN_DAY)

/**
 * wh_demo_multiply:
 * @db: a database with a street (meta 'street_id') and its incidents
 * @factor: how many times as many incidents there are afterwards; 1 changes nothing
 * @error: a storage error, or %G_IO_ERROR_INVALID_ARGUMENT when there is no street
 *
 * Adds @factor − 1 copies of the street's incidents, in one transaction. Copy k (1, 2, …)
 * of an incident has a new id, a number of its own on its own day, every time (report,
 * deadlines, timeline, summoned units) moved k × %WH_DEMO_MULTIPLY_SHIFT earlier, and
 * copies of the timeline events (new ids, the same steps, actors and notes). The search
 * index learns the copies through its triggers.
 *
 * Returns: %TRUE when the copies were written; %FALSE leaves @db as it was
 */
gboolean wh_demo_multiply (WhDb    *db,
                           guint    factor,
                           GError **error);

G_END_DECLS
