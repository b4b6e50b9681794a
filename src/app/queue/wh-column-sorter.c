/* wh-column-sorter.c — a column's sorter that only says which column it is */
#include "config.h"

#include "wh-column-sorter.h"

struct _WhColumnSorter
{
  GtkSorter        parent_instance;
  WhIncidentColumn column;
};

G_DEFINE_FINAL_TYPE (WhColumnSorter, wh_column_sorter, GTK_TYPE_SORTER)

/* The column consulted first during a probe; -1 outside one or before any. Probes run on
 * the main thread only, one at a time. */
static int probed_column = -1;
static gboolean probing;

static GtkOrdering
wh_column_sorter_compare (GtkSorter *sorter, gpointer item1, gpointer item2)
{
  WhColumnSorter *self = WH_COLUMN_SORTER (sorter);

  if (probing && probed_column < 0)
    probed_column = self->column;
  /* Never "equal": the column view's sorter stops at the first column that is not, which is
   * exactly the primary one. */
  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
wh_column_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_TOTAL;
}

static void
wh_column_sorter_class_init (WhColumnSorterClass *klass)
{
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  sorter_class->compare = wh_column_sorter_compare;
  sorter_class->get_order = wh_column_sorter_get_order;
}

static void
wh_column_sorter_init (WhColumnSorter *self)
{}

WhColumnSorter *
wh_column_sorter_new (WhIncidentColumn column)
{
  WhColumnSorter *self;

  g_return_val_if_fail (column < WH_N_INCIDENT_COLUMNS, NULL);

  self = g_object_new (WH_TYPE_COLUMN_SORTER, NULL);
  self->column = column;
  return self;
}

WhIncidentColumn
wh_column_sorter_get_column (WhColumnSorter *self)
{
  g_return_val_if_fail (WH_IS_COLUMN_SORTER (self), WH_INCIDENT_COLUMN_REPORTED);
  return self->column;
}

gboolean
wh_column_sorter_read_primary (GtkSorter        *view_sorter,
                               WhIncidentColumn *column,
                               gboolean         *descending)
{
  g_autoptr (GObject) a = NULL;
  g_autoptr (GObject) b = NULL;
  GtkOrdering order;

  g_return_val_if_fail (GTK_IS_SORTER (view_sorter), FALSE);
  g_return_val_if_fail (!probing, FALSE);

  /* Any two distinct objects do: our sorters never look at them. */
  a = g_object_new (G_TYPE_OBJECT, NULL);
  b = g_object_new (G_TYPE_OBJECT, NULL);

  probing = TRUE;
  probed_column = -1;
  order = gtk_sorter_compare (view_sorter, a, b);
  probing = FALSE;

  if (probed_column < 0 || order == GTK_ORDERING_EQUAL)
    return FALSE;
  if (column != NULL)
    *column = probed_column;
  if (descending != NULL)
    *descending = order == GTK_ORDERING_LARGER;
  return TRUE;
}
