/* wh-queue-cells.c — the queue's columns: how each cell shows its incident */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-column-sorter.h"
#include "wh-format.h"
#include "wh-incident-row.h"
#include "wh-queue-cells.h"

struct _WhQueueCells
{
  WhContext  *context;
  GHashTable *countdowns; /* bound deadline labels */
};

typedef struct
{
  WhIncidentColumn column;
  const char      *title;
  int              width;
  gboolean         expand;
} ColumnInfo;

/* What a duty officer scans first comes first; the rest scrolls on small screens. */
static const ColumnInfo column_infos[] = {
  { WH_INCIDENT_COLUMN_NUMBER, N_ ("Number"), 118, FALSE },
  { WH_INCIDENT_COLUMN_PRIORITY, N_ ("Priority"), 60, FALSE },
  { WH_INCIDENT_COLUMN_TITLE, N_ ("Title"), 170, TRUE },
  { WH_INCIDENT_COLUMN_STATUS, N_ ("Status"), 92, FALSE },
  { WH_INCIDENT_COLUMN_DEADLINE, N_ ("Deadline"), 124, FALSE },
  { WH_INCIDENT_COLUMN_LEAD_UNIT, N_ ("Lead Unit"), 84, FALSE },
  { WH_INCIDENT_COLUMN_CATEGORY, N_ ("Category"), 100, FALSE },
  { WH_INCIDENT_COLUMN_GRID, N_ ("Grid Cell"), 120, FALSE },
  { WH_INCIDENT_COLUMN_SOURCE, N_ ("Source"), 90, FALSE },
  { WH_INCIDENT_COLUMN_UPDATED, N_ ("Last Change"), 96, FALSE },
};

const char *
wh_queue_column_title (WhIncidentColumn column)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_infos); i++)
    if (column_infos[i].column == column)
      return _ (column_infos[i].title);
  if (column == WH_INCIDENT_COLUMN_REPORTED)
    return _ ("Reported");
  return "";
}

static WhIncidentColumn
factory_column (GtkListItemFactory *factory)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
}

static gboolean
on_query_tooltip (GtkWidget  *cell,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  GtkListItem *item)
{
  WhIncidentRow   *row = gtk_list_item_get_item (item);
  WhIncident      *incident = row ? wh_incident_row_get_incident (row) : NULL;
  WhQueueCells    *self = g_object_get_data (G_OBJECT (cell), "cells");
  g_autofree char *text = NULL;

  if (incident == NULL || self == NULL || self->context == NULL)
    return FALSE;
  switch (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), "column")))
    {
    case WH_INCIDENT_COLUMN_NUMBER:
      /* The cell shows only the part after the street's code. */
      text = g_strdup (incident->number);
      break;
    case WH_INCIDENT_COLUMN_CATEGORY:
      text = wh_category_catalog_dup_display_name (wh_context_get_catalog (self->context),
                                                   incident->category_code);
      break;
    case WH_INCIDENT_COLUMN_TITLE:
      text = g_strdup (incident->title);
      break;
    default:
      break;
    }
  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, WhQueueCells *self)
{
  WhIncidentColumn column = factory_column (GTK_LIST_ITEM_FACTORY (factory));
  /* A GtkInscription, not a GtkLabel: it asks for a size from the font alone, so a
   * reload that puts new text into a screenful of rows shapes that text once, to draw
   * it, instead of also measuring every cell (the columns have fixed widths anyway). */
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  g_object_set_data (G_OBJECT (cell), "cells", self);
  g_object_set_data (G_OBJECT (cell), "column", GINT_TO_POINTER (column));
  if (column == WH_INCIDENT_COLUMN_NUMBER || column == WH_INCIDENT_COLUMN_DEADLINE ||
      column == WH_INCIDENT_COLUMN_UPDATED)
    gtk_widget_add_css_class (cell, "numeric");
  if (column == WH_INCIDENT_COLUMN_NUMBER || column == WH_INCIDENT_COLUMN_CATEGORY ||
      column == WH_INCIDENT_COLUMN_TITLE)
    {
      /* The tooltip is asked for when the pointer rests, never set at bind: setting a
       * tooltip's text asks the display where the pointer is (a round trip to the X
       * server), once per cell of every row a reload binds. */
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect_object (cell, "query-tooltip", G_CALLBACK (on_query_tooltip), item, 0);
    }
  gtk_list_item_set_child (item, cell);
}

/* Gives @cell the state class @css (a static string, or NULL for none) in place of the one
 * it had: each class change restyles the cell, and a reload sets two thousand cells. */
static void
set_state_class (GtkWidget *cell, const char *css)
{
  const char *had = g_object_get_data (G_OBJECT (cell), "state-class");

  if (had == css)
    return;
  if (had != NULL)
    gtk_widget_remove_css_class (cell, had);
  if (css != NULL)
    gtk_widget_add_css_class (cell, css);
  g_object_set_data (G_OBJECT (cell), "state-class", (gpointer) css);
}

static void
set_deadline_text (GtkInscription *cell, WhIncident *incident, gint64 now)
{
  g_autofree char *text = NULL;
  WhDeadlineState  state;

  text = wh_format_countdown (wh_incident_time_left (incident, now), &state);
  gtk_inscription_set_text (cell, text);
  set_state_class (GTK_WIDGET (cell), wh_deadline_css_class (state));
}

/* Sets @cell, a cell of @column, to show @incident. */
static void
show_incident (WhQueueCells     *self,
               WhIncidentColumn column,
               GtkInscription  *cell,
               WhIncident      *incident)
{
  g_autofree char *owned = NULL;
  const char      *text = NULL;
  gint64           now;

  if (self->context == NULL || incident == NULL)
    return;
  now = wh_context_get_now (self->context);

  switch (column)
    {
    case WH_INCIDENT_COLUMN_NUMBER:
      /* Every number of a desk starts with its street's code: show the part that differs
       * (date and sequence); the tooltip and the detail pane show the whole number. */
      {
        const char *dash = incident->number ? strchr (incident->number, '-') : NULL;

        text = dash != NULL ? dash + 1 : incident->number;
      }
      break;
    case WH_INCIDENT_COLUMN_PRIORITY:
      text = wh_category_catalog_get_priority_name (wh_context_get_catalog (self->context),
                                                    incident->priority);
      set_state_class (GTK_WIDGET (cell), incident->priority > 1   ? "priority-2"
                                           : incident->priority > 0 ? "priority-1"
                                                                    : NULL);
      break;
    case WH_INCIDENT_COLUMN_CATEGORY:
      {
        WhCategory *c = wh_category_catalog_lookup (wh_context_get_catalog (self->context),
                                                    incident->category_code);

        text = c ? c->name : incident->category_code;
      }
      break;
    case WH_INCIDENT_COLUMN_TITLE:
      text = incident->title;
      break;
    case WH_INCIDENT_COLUMN_GRID:
      text = wh_grid_store_lookup_cell_name (wh_context_get_grid_store (self->context),
                                             incident->grid_id);
      break;
    case WH_INCIDENT_COLUMN_LEAD_UNIT:
      {
        WhUnit *unit = wh_roster_store_lookup_unit (wh_context_get_roster_store (self->context),
                                                    incident->lead_unit_id);

        text = unit ? unit->short_name : incident->lead_unit_id;
      }
      break;
    case WH_INCIDENT_COLUMN_STATUS:
      text = wh_status_label (incident->status);
      set_state_class (GTK_WIDGET (cell),
                       wh_status_group_css_class (wh_status_group (incident->status)));
      break;
    case WH_INCIDENT_COLUMN_DEADLINE:
      set_deadline_text (cell, incident, now);
      g_object_set_data_full (G_OBJECT (cell), "incident", g_object_ref (incident),
                              g_object_unref);
      return;
    case WH_INCIDENT_COLUMN_SOURCE:
      text = wh_source_label (incident->source);
      break;
    case WH_INCIDENT_COLUMN_UPDATED:
      owned = wh_format_time_short (incident->updated_at, now);
      text = owned;
      break;
    case WH_INCIDENT_COLUMN_REPORTED:
    case WH_N_INCIDENT_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_inscription_set_text (cell, text ? text : "");
}

/* A reload put another incident into the row: the same widgets show it. */
static void
on_row_incident (WhIncidentRow *row, GParamSpec *pspec, GtkInscription *cell)
{
  WhQueueCells *self = g_object_get_data (G_OBJECT (cell), "cells");

  show_incident (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), "column")), cell,
                 wh_incident_row_get_incident (row));
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, WhQueueCells *self)
{
  WhIncidentColumn column = factory_column (GTK_LIST_ITEM_FACTORY (factory));
  GtkInscription  *cell = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  WhIncidentRow   *row = gtk_list_item_get_item (item);

  if (row == NULL)
    return;
  show_incident (self, column, cell, wh_incident_row_get_incident (row));
  g_signal_connect_object (row, "notify::incident", G_CALLBACK (on_row_incident), cell, 0);
  if (column == WH_INCIDENT_COLUMN_DEADLINE)
    g_hash_table_add (self->countdowns, cell);
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, WhQueueCells *self)
{
  GtkWidget     *cell = gtk_list_item_get_child (item);
  WhIncidentRow *row = gtk_list_item_get_item (item);

  if (row != NULL && cell != NULL)
    g_signal_handlers_disconnect_by_func (row, on_row_incident, cell);
  if (factory_column (GTK_LIST_ITEM_FACTORY (factory)) == WH_INCIDENT_COLUMN_DEADLINE &&
      cell != NULL)
    {
      g_hash_table_remove (self->countdowns, cell);
      g_object_set_data (G_OBJECT (cell), "incident", NULL);
    }
}

static void
teardown_cell (GtkSignalListItemFactory *factory, GtkListItem *item, WhQueueCells *self)
{
  GtkWidget *cell = gtk_list_item_get_child (item);

  if (cell != NULL)
    g_hash_table_remove (self->countdowns, cell);
}

WhQueueCells *
wh_queue_cells_new (GtkColumnView *view, GtkColumnViewColumn **columns)
{
  WhQueueCells *self = g_new0 (WhQueueCells, 1);

  self->countdowns = g_hash_table_new (NULL, NULL);
  columns[WH_INCIDENT_COLUMN_REPORTED] = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (column_infos); i++)
    {
      const ColumnInfo   *info = &column_infos[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkColumnViewColumn) col = NULL;
      g_autoptr (WhColumnSorter) sorter = wh_column_sorter_new (info->column);

      g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (info->column));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
      g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cell), self);

      col = gtk_column_view_column_new (_ (info->title), factory);
      gtk_column_view_column_set_resizable (col, TRUE);
      gtk_column_view_column_set_expand (col, info->expand);
      gtk_column_view_column_set_fixed_width (col, info->width);
      gtk_column_view_column_set_sorter (col, GTK_SORTER (sorter));
      gtk_column_view_append_column (view, col);
      columns[info->column] = col;
    }
  return self;
}

void
wh_queue_cells_set_context (WhQueueCells *self, WhContext *context)
{
  g_set_object (&self->context, context);
}

void
wh_queue_cells_refresh_countdowns (WhQueueCells *self)
{
  GHashTableIter iter;
  gpointer       cell;
  gint64         now;

  if (self->context == NULL)
    return;
  now = wh_context_get_now (self->context);
  g_hash_table_iter_init (&iter, self->countdowns);
  while (g_hash_table_iter_next (&iter, &cell, NULL))
    {
      WhIncident *incident = g_object_get_data (G_OBJECT (cell), "incident");

      if (incident != NULL)
        set_deadline_text (GTK_INSCRIPTION (cell), incident, now);
    }
}

void
wh_queue_cells_free (WhQueueCells *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->context);
  g_hash_table_unref (self->countdowns);
  g_free (self);
}
