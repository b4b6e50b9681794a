/* wh-queue-cells.h — the queue's columns: how each cell shows its incident
 *
 * Ten columns, each sortable by its header through a WhColumnSorter (the sort itself is
 * SQL's). The deadline column's countdowns are kept in a set so they can tick without
 * the rows being bound again.
 */
#pragma once

#include <gtk/gtk.h>

#include "wh-context.h"
#include "wh-incident-store.h"

G_BEGIN_DECLS

typedef struct _WhQueueCells WhQueueCells;

/* Adds the columns to @view; @columns (WH_N_INCIDENT_COLUMNS long) receives each column by
 * its WhIncidentColumn (NULL for REPORTED, which has no column of its own). */
WhQueueCells *wh_queue_cells_new                (GtkColumnView        *view,
                                                 GtkColumnViewColumn **columns);
void          wh_queue_cells_set_context        (WhQueueCells         *self,
                                                 WhContext            *context);
void          wh_queue_cells_refresh_countdowns (WhQueueCells         *self);
/* Free only after the column view is gone (its rows are unbound through us). */
void          wh_queue_cells_free               (WhQueueCells         *self);

/* The title of a column, translated ("Deadline"). */
const char   *wh_queue_column_title             (WhIncidentColumn      column);

G_END_DECLS
