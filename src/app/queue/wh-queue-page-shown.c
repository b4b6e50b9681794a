/* wh-queue-page-shown.c — the rows the officer sees, set first on a reload
 *
 * GTK 4.8 keeps about two hundred row widgets around what the list shows, and a reload
 * puts a new incident into each of them: reading and setting them all cost about as much
 * as the rest of the reload. The page tells the model which rows are on screen (from the
 * scroll position), so a reload sets those, and the rest follow once the new list is drawn.
 */
#include "config.h"

#include <math.h>

#include "wh-queue-page-private.h"

void
wh_queue_page_update_shown_rows (WhQueuePage *self)
{
  GtkAdjustment *adjustment;
  guint          n;
  double         upper, row;

  if (self->model == NULL)
    return;
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  upper = adjustment != NULL ? gtk_adjustment_get_upper (adjustment) : 0;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || n == 0 || upper <= 0)
    {
      /* Nothing drawn now to wait for: every held row is set at once. */
      wh_incident_list_model_set_shown (self->model, 0, 0);
      return;
    }
  /* The list's height is its rows' (GTK estimates the ones it has not measured). */
  row = upper / n;
  wh_incident_list_model_set_shown (
    self->model, (guint) (gtk_adjustment_get_value (adjustment) / row),
    (guint) ceil (gtk_adjustment_get_page_size (adjustment) / row) + 1);
}

static gboolean
refresh_when_drawn (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  WhQueuePage *self = WH_QUEUE_PAGE (widget);

  /* The first tick comes before the frame that draws the reloaded rows. */
  if (gdk_frame_clock_get_frame_counter (clock) <= self->stale_frame)
    return G_SOURCE_CONTINUE;
  self->refresh_tick = 0;
  if (self->model != NULL)
    wh_incident_list_model_refresh_stale (self->model);
  return G_SOURCE_REMOVE;
}

void
wh_queue_page_refresh_stale_rows_later (WhQueuePage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->model == NULL || !wh_incident_list_model_is_stale (self->model))
    return;
  if (clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      wh_incident_list_model_refresh_stale (self->model);
      return;
    }
  if (self->refresh_tick == 0)
    {
      self->stale_frame = gdk_frame_clock_get_frame_counter (clock) + 1;
      self->refresh_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), refresh_when_drawn,
                                                         NULL, NULL);
    }
}

static void
on_scrolled (WhQueuePage *self)
{
  wh_queue_page_update_shown_rows (self);
}

void
wh_queue_page_track_shown_rows (WhQueuePage *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  g_return_if_fail (adjustment != NULL);
  /* "changed": the page size or the list's length. */
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_scrolled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (on_scrolled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_scrolled), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (on_scrolled), NULL);
}
