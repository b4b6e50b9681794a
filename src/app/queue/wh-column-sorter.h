/* wh-column-sorter.h — a column's sorter that only says which column it is
 *
 * The queue sorts in SQL, never in a GtkSortListModel, but a GtkColumnView header is only
 * clickable when its column has a sorter, and the view's own sorter says what the officer
 * asked for. GTK 4.8 cannot tell which column that is (the getters came in 4.10), so every
 * column gets a WhColumnSorter carrying its WhIncidentColumn, and
 * wh_column_sorter_read_primary() asks the column view's sorter to compare two dummy items:
 * the first column sorter it consults is the primary column, and the sign of the answer is
 * the direction.
 */
#pragma once

#include <gtk/gtk.h>

#include "wh-incident-store.h"

G_BEGIN_DECLS

#define WH_TYPE_COLUMN_SORTER (wh_column_sorter_get_type ())
G_DECLARE_FINAL_TYPE (WhColumnSorter, wh_column_sorter, WH, COLUMN_SORTER, GtkSorter)

WhColumnSorter  *wh_column_sorter_new        (WhIncidentColumn column);
WhIncidentColumn wh_column_sorter_get_column (WhColumnSorter *self);

/**
 * wh_column_sorter_read_primary:
 * @view_sorter: gtk_column_view_get_sorter() of a view whose columns have WhColumnSorters
 * @column: (out): the primary sort column
 * @descending: (out): whether it sorts descending
 *
 * Returns: %FALSE when no column sorts (the officer has not clicked a header)
 */
gboolean wh_column_sorter_read_primary (GtkSorter        *view_sorter,
                                        WhIncidentColumn *column,
                                        gboolean         *descending);

G_END_DECLS
