/* wh-queue-page-header.c — the Queue page's header: title, count, filter chips, the empty
 * list's page */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-format.h"
#include "wh-queue-page-private.h"

void
wh_queue_page_update_count (WhQueuePage *self)
{
  guint            n = self->model ? wh_incident_list_model_get_n_listed (self->model) : 0;
  const GError    *error = self->model ? wh_incident_list_model_get_error (self->model) : NULL;
  g_autofree char *text = NULL;

  if (error != NULL)
    text = g_strdup_printf (_ ("Could not read the queue: %s"), error->message);
  else
    text = g_strdup_printf (ngettext ("%u incident", "%u incidents", n), n);
  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

static const char *
empty_title (WhIncidentView view)
{
  switch (view)
    {
    case WH_INCIDENT_VIEW_OPEN:
      return _ ("No Open Incidents");
    case WH_INCIDENT_VIEW_AWAITING_WHISTLE:
      return _ ("Nothing Waits for a Whistle");
    case WH_INCIDENT_VIEW_AWAITING_REPORT_IN:
      return _ ("Every Summoned Unit Has Reported In");
    case WH_INCIDENT_VIEW_IN_PROGRESS:
      return _ ("Nothing Is Being Handled");
    case WH_INCIDENT_VIEW_AWAITING_VERIFICATION:
      return _ ("Nothing Waits for Verification");
    case WH_INCIDENT_VIEW_OVERDUE:
      return _ ("Nothing Is Overdue");
    case WH_INCIDENT_VIEW_ESCALATED:
      return _ ("Nothing Is Escalated");
    case WH_INCIDENT_VIEW_RETURNED:
      return _ ("No Unit Returned an Open Incident");
    case WH_INCIDENT_VIEW_CLOSED_TODAY:
      return _ ("Nothing Closed Today");
    case WH_INCIDENT_VIEW_MINE:
      return _ ("You Have No Open Incidents");
    case WH_INCIDENT_VIEW_ALL:
    case WH_N_INCIDENT_VIEWS:
    default:
      return _ ("No Incidents Yet");
    }
}

static void
on_chip_clicked (GtkButton *button, WhQueuePage *self)
{
  const char *what = g_object_get_data (G_OBJECT (button), "filter");

  if (self->filter == NULL || what == NULL)
    return;
  if (g_str_equal (what, "category"))
    wh_queue_filter_set_category_code (self->filter, NULL);
  else if (g_str_equal (what, "community"))
    wh_queue_filter_set_community_id (self->filter, NULL);
  else if (g_str_equal (what, "grid"))
    wh_queue_filter_set_grid_id (self->filter, NULL);
  else if (g_str_equal (what, "unit"))
    wh_queue_filter_set_unit_id (self->filter, NULL);
  else if (g_str_equal (what, "source"))
    wh_queue_filter_set_source (self->filter, NULL);
  else if (g_str_equal (what, "priority"))
    wh_queue_filter_set_priority (self->filter, -1);
  else if (g_str_equal (what, "status"))
    wh_queue_filter_set_status (self->filter, -1);
  else if (g_str_equal (what, "dates"))
    wh_queue_filter_set_reported_range (self->filter, 0, 0);
  else if (g_str_equal (what, "search"))
    wh_queue_filter_set_search (self->filter, NULL);
}

static void
add_chip (WhQueuePage *self, const char *what, const char *text)
{
  GtkWidget       *button = gtk_button_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget       *label = gtk_label_new (text);
  g_autofree char *tooltip = g_strdup_printf (_ ("Remove this filter: %s"), text);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("window-close-symbolic"));
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "filter-chip");
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data (G_OBJECT (button), "filter", (gpointer) what);
  g_signal_connect (button, "clicked", G_CALLBACK (on_chip_clicked), self);
  gtk_box_append (self->chips_box, button);
}

static void
update_chips (WhQueuePage *self)
{
  WhQueueFilter *f = self->filter;
  GtkWidget     *child;
  guint          n_filters = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips_box))) != NULL)
    gtk_box_remove (self->chips_box, child);
  if (f == NULL)
    return;

  if (wh_queue_filter_get_search (f) != NULL)
    {
      /* Translators: a filter chip for the search text */
      g_autofree char *text = g_strdup_printf (_ ("“%s”"), wh_queue_filter_get_search (f));

      add_chip (self, "search", text);
    }
  if (self->context != NULL)
    {
      WhCategoryCatalog *catalog = wh_context_get_catalog (self->context);
      WhGridStore       *grid = wh_context_get_grid_store (self->context);

      if (wh_queue_filter_get_category_code (f) != NULL)
        {
          g_autofree char *name =
            wh_category_catalog_dup_display_name (catalog, wh_queue_filter_get_category_code (f));

          add_chip (self, "category", name);
          n_filters++;
        }
      if (wh_queue_filter_get_community_id (f) != NULL)
        {
          g_autoptr (GListModel) communities = wh_grid_store_list_communities (grid, NULL);
          const char *name = wh_queue_filter_get_community_id (f);

          for (guint i = 0; communities && i < g_list_model_get_n_items (communities); i++)
            {
              g_autoptr (WhCommunity) c = g_list_model_get_item (communities, i);

              if (g_strcmp0 (c->id, wh_queue_filter_get_community_id (f)) == 0)
                {
                  add_chip (self, "community", c->name);
                  name = NULL;
                  break;
                }
            }
          if (name != NULL)
            add_chip (self, "community", name);
          n_filters++;
        }
      if (wh_queue_filter_get_grid_id (f) != NULL)
        {
          const char *name = wh_grid_store_lookup_cell_name (grid, wh_queue_filter_get_grid_id (f));

          add_chip (self, "grid", name ? name : wh_queue_filter_get_grid_id (f));
          n_filters++;
        }
      if (wh_queue_filter_get_unit_id (f) != NULL)
        {
          WhUnit *unit = wh_roster_store_lookup_unit (wh_context_get_roster_store (self->context),
                                                      wh_queue_filter_get_unit_id (f));
          /* Translators: a filter chip: incidents a unit was summoned to */
          g_autofree char *text = g_strdup_printf (_ ("Unit: %s"),
                                                   unit ? unit->short_name
                                                        : wh_queue_filter_get_unit_id (f));

          add_chip (self, "unit", text);
          n_filters++;
        }
      if (wh_queue_filter_get_priority (f) >= 0)
        {
          const char *name =
            wh_category_catalog_get_priority_name (catalog, wh_queue_filter_get_priority (f));

          add_chip (self, "priority", name ? name : "?");
          n_filters++;
        }
    }
  if (wh_queue_filter_get_source (f) != NULL)
    {
      add_chip (self, "source", wh_source_label (wh_queue_filter_get_source (f)));
      n_filters++;
    }
  if (wh_queue_filter_get_status (f) >= 0)
    {
      add_chip (self, "status", wh_status_label (wh_queue_filter_get_status (f)));
      n_filters++;
    }
  if (wh_queue_filter_get_reported_from (f) != 0 || wh_queue_filter_get_reported_to (f) != 0)
    {
      gint64 from = wh_queue_filter_get_reported_from (f);
      gint64 to = wh_queue_filter_get_reported_to (f);
      g_autofree char *a = from ? wh_queue_filter_format_day (from) : g_strdup ("…");
      g_autofree char *b = to ? wh_queue_filter_format_day (to - 1) : g_strdup ("…");
      /* Translators: a filter chip: reported between two days */
      g_autofree char *text = g_strdup_printf (_ ("Reported %s – %s"), a, b);

      add_chip (self, "dates", text);
      n_filters++;
    }

  gtk_revealer_set_reveal_child (self->chips_revealer,
                                 gtk_widget_get_first_child (GTK_WIDGET (self->chips_box)) != NULL);
  if (n_filters > 0)
    {
      /* Translators: the filter button when some are set; %u is how many */
      g_autofree char *text = g_strdup_printf (_ ("Filters (%u)"), n_filters);

      gtk_label_set_label (self->filter_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "filters-set");
    }
  else
    {
      gtk_label_set_label (self->filter_label, _ ("Filters"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "filters-set");
    }
}

void
wh_queue_page_update_header (WhQueuePage *self)
{
  WhIncidentView view = self->filter ? wh_queue_filter_get_view (self->filter)
                                     : WH_INCIDENT_VIEW_OPEN;
  gboolean       narrowed = self->filter != NULL &&
                      (wh_queue_filter_has_filters (self->filter) ||
                       wh_queue_filter_get_search (self->filter) != NULL);

  gtk_label_set_label (self->title_label, wh_queue_view_label (view));
  if (narrowed)
    {
      adw_status_page_set_title (self->empty_page, _ ("No Incidents Match"));
      adw_status_page_set_description (self->empty_page,
                                       _ ("Nothing in this view matches the filters and the "
                                          "search."));
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
    }
  else
    {
      adw_status_page_set_title (self->empty_page, empty_title (view));
      adw_status_page_set_description (
        self->empty_page,
        view == WH_INCIDENT_VIEW_MINE && self->filter != NULL &&
            wh_queue_filter_get_actor_id (self->filter) == NULL
          ? _ ("Nobody is signed in or on duty at this desk, so no incident is yours.")
          : NULL);
      adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
    }
  gtk_widget_set_visible (self->empty_clear_button, narrowed);
  update_chips (self);
  wh_queue_page_update_count (self);
}

