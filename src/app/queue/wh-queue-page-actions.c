/* wh-queue-page-actions.c — the Queue page's actions and keys: views, search, filters,
 * selection, bulk actions, saved views */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-queue-page-private.h"

static void
bulk_action (WhQueuePage *self, const char *nick)
{
  g_auto (GStrv) ids = wh_queue_page_dup_selected_ids (self);

  if (ids == NULL || ids[0] == NULL)
    return;
  /* The forms live with the application (the "actions" of the detail pane): one place
   * checks each incident against the lifecycle. */
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "app.incident-action", "(s^as)", nick, ids))
    gtk_label_set_label (self->bulk_label, _ ("This desk cannot act on incidents."));
}

static void
whistle_selected_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  bulk_action (WH_QUEUE_PAGE (widget), "whistle");
}

static void
note_selected_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  bulk_action (WH_QUEUE_PAGE (widget), "note");
}

static void
unselect_all_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhQueuePage *self = WH_QUEUE_PAGE (widget);

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

static void
clear_filters_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhQueuePage *self = WH_QUEUE_PAGE (widget);

  if (self->filter == NULL)
    return;
  g_object_freeze_notify (G_OBJECT (self->filter));
  wh_queue_filter_clear_filters (self->filter);
  wh_queue_filter_set_search (self->filter, NULL);
  g_object_thaw_notify (G_OBJECT (self->filter));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
search_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  wh_queue_page_focus_search (WH_QUEUE_PAGE (widget));
}

static void
show_filters_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  gtk_menu_button_popup (WH_QUEUE_PAGE (widget)->filter_button);
}

static void
toggle_sidebar_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhQueuePage *self = WH_QUEUE_PAGE (widget);

  self->sidebar_folded = FALSE; /* the officer decides from now on */
  gtk_revealer_set_reveal_child (self->sidebar_revealer,
                                 !gtk_revealer_get_reveal_child (self->sidebar_revealer));
}

static void
on_save_response (AdwMessageDialog *dialog, const char *response, WhQueuePage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  if (g_strcmp0 (response, "save") == 0)
    wh_queue_sidebar_save_view (self->sidebar, gtk_editable_get_text (entry));
}

static void
on_save_name_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0');
}

static void
on_save_activate (GtkEntry *entry, AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "save"))
    adw_message_dialog_response (dialog, "save");
}

static void
save_view_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhQueuePage      *self = WH_QUEUE_PAGE (widget);
  GtkRoot          *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;
  GtkWidget        *entry = gtk_entry_new ();

  if (self->filter == NULL)
    return;
  dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _ ("Save View"),
                            _ ("The view, its filters, the search and the sort are kept under "
                               "this name. A view of the same name is replaced.")));
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("For example: overdue urban management"));
  gtk_editable_set_text (GTK_EDITABLE (entry),
                         wh_queue_view_label (wh_queue_filter_get_view (self->filter)));
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "save", _ ("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_save_name_changed), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (on_save_activate), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* GtkMultiSelection reads every item it selects, which for a million rows would read the
 * whole cache: "select all" selects what a bulk action can take. */
static void
select_all_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  WhQueuePage *self = WH_QUEUE_PAGE (widget);
  guint        n;

  if (self->model == NULL)
    return;
  /* Every row the list has, not only those told so far. */
  wh_incident_list_model_refresh_stale (self->model);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  self->select_first = FALSE;
  gtk_selection_model_select_range (GTK_SELECTION_MODEL (self->selection), 0,
                                    MIN (n, WH_QUEUE_BULK_MAX), TRUE);
}

/* Ctrl+A inside the list, before the list's own binding; elsewhere (the search entry) it
 * keeps its usual meaning. */
static gboolean
select_all_shortcut (GtkWidget *widget, GVariant *args, gpointer data)
{
  WhQueuePage *self = WH_QUEUE_PAGE (widget);
  GtkWidget   *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  if (focus == NULL || (focus != GTK_WIDGET (self->column_view) &&
                        !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view))))
    return FALSE;
  select_all_action (widget, "queue.select-all", NULL);
  return TRUE;
}

void
wh_queue_page_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_property_action (widget_class, "queue.view", "view");
  for (guint i = 0; i < 10 && i < wh_queue_sidebar_get_n_views (); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + (i == 9 ? -1 : (int) i),
                                         GDK_ALT_MASK, "queue.view", "s",
                                         wh_queue_filter_view_to_nick (
                                           wh_queue_sidebar_get_view_at (i)));

  gtk_widget_class_install_action (widget_class, "queue.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "queue.search",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "queue.show-filters", NULL, show_filters_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "queue.show-filters", NULL);
  gtk_widget_class_install_action (widget_class, "queue.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "queue.clear-filters",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "queue.toggle-sidebar", NULL,
                                   toggle_sidebar_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "queue.toggle-sidebar", NULL);
  gtk_widget_class_install_action (widget_class, "queue.save-view", NULL, save_view_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "queue.save-view", NULL);
  gtk_widget_class_install_action (widget_class, "queue.whistle-selected", NULL,
                                   whistle_selected_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "queue.whistle-selected", NULL);
  gtk_widget_class_install_action (widget_class, "queue.note-selected", NULL,
                                   note_selected_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "queue.note-selected", NULL);
  gtk_widget_class_install_action (widget_class, "queue.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "queue.unselect-all", NULL, unselect_all_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "queue.unselect-all", NULL);
}

void
wh_queue_page_add_shortcuts (WhQueuePage *self)
{
  GtkEventController *shortcuts;

  /* Before the list's own Ctrl+A. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_a, GDK_CONTROL_MASK),
                      gtk_callback_action_new (select_all_shortcut, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}
