/* wh-new-incident-dialog-duplicates.c — before saving: the same matter, reported already?
 *
 * Open incidents of the same category within 100 m and 7 days (the store's
 * wh_incident_store_find_duplicates()), each with Merge Into: an add-reporter op on that
 * incident carries the new caller's name, phone, source and words, and nothing new is filed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-format.h"
#include "wh-new-incident-dialog-private.h"

#define DUPLICATE_DELAY_MS 250

static void
on_merge_clicked (GtkButton *button, WhNewIncidentDialog *self)
{
  const char      *target = g_object_get_data (G_OBJECT (button), "incident-id");
  WhIncidentStore *store = wh_context_get_incident_store (self->context);
  g_autoptr (WhIncident) incident = NULL;
  g_autoptr (WhOp) op = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = wh_form_dup_entry (self->reporter_name_row);
  g_autofree char *phone = wh_form_dup_entry (self->reporter_phone_row);
  g_autofree char *title = wh_form_dup_entry (self->title_row);
  g_autofree char *description = wh_form_dup_text_view (self->description_view);
  g_autofree char *id = g_strdup (target);
  g_autofree char *note = NULL;
  guint            source = adw_combo_row_get_selected (self->source_row);

  if (self->actor == NULL)
    {
      wh_new_incident_dialog_validate (self);
      return;
    }

  incident = wh_incident_store_get (store, id, &error);
  if (incident != NULL)
    {
      op = wh_op_new (WH_ACTION_ADD_REPORTER, id, self->actor, wh_context_get_now (self->context));
      op->base_rev = incident->rev;
      /* What the new caller said goes into the record of the incident it joins. */
      if (*title != '\0' && *description != '\0')
        note = g_strdup_printf ("%s\n%s", title, description);
      else
        note = g_strdup (*description != '\0' ? description : title);
      op->note = g_steal_pointer (&note);
      if (*name != '\0')
        wh_op_set_string (op, "reporter_name", name);
      if (*phone != '\0')
        wh_op_set_string (op, "reporter_phone", phone);
      if (source < g_strv_length ((char **) wh_new_incident_dialog_get_sources ()))
        wh_op_set_string (op, "source", wh_new_incident_dialog_get_sources ()[source]);
      event = wh_incident_store_apply (store, op, WH_APPLY_RECORD_OUTBOX, &error);
    }
  if (event == NULL)
    {
      /* Translators: %s is why the report could not be merged */
      g_autofree char *text =
        g_strdup_printf (_ ("Could not merge into that incident: %s"), error->message);

      wh_new_incident_dialog_show_error (self, text);
      return;
    }
  g_signal_emit_by_name (self, "merged", id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
clear_duplicates (WhNewIncidentDialog *self)
{
  for (guint i = 0; i < self->duplicate_rows->len; i++)
    adw_preferences_group_remove (self->duplicates_group,
                                  g_ptr_array_index (self->duplicate_rows, i));
  g_ptr_array_set_size (self->duplicate_rows, 0);
  g_ptr_array_set_size (self->merge_buttons, 0);
  g_ptr_array_set_size (self->duplicates, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->duplicates_group), FALSE);
}

static void
find_duplicates (WhNewIncidentDialog *self)
{
  double      lon, lat;
  const char *problem;
  gint64      now = wh_context_get_now (self->context);
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;

  clear_duplicates (self);
  if (self->category_code == NULL ||
      wh_new_incident_dialog_read_location (self, &lon, &lat, &problem) != LOCATION_VALID)
    return;

  found = wh_incident_store_find_duplicates (wh_context_get_incident_store (self->context),
                                             self->category_code, lon, lat, now, &error);
  if (found == NULL)
    {
      g_warning ("Could not look for duplicates: %s", error->message);
      return;
    }
  for (guint i = 0; i < found->len; i++)
    {
      WhIncident      *incident = g_ptr_array_index (found, i);
      g_autofree char *title = g_strdup_printf ("%s · %s", incident->number, incident->title);
      g_autofree char *when = wh_format_time_short (incident->reported_at, now);
      g_autofree char *subtitle = NULL;
      GtkWidget       *row, *button;
      double           distance =
        incident->has_location ? wh_geo_distance (lon, lat, incident->lon, incident->lat) : 0;

      /* Translators: a possible duplicate: distance in metres, when reported, its status */
      subtitle = g_strdup_printf (_ ("%.0f m away · reported %s · %s"), distance, when,
                                  wh_status_label (incident->status));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      button = gtk_button_new_with_mnemonic (_ ("_Merge Into"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _ ("Add this reporter to that incident instead of "
                                              "filing a new one"));
      g_object_set_data_full (G_OBJECT (button), "incident-id", g_strdup (incident->id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_merge_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->duplicates_group, row);
      g_ptr_array_add (self->duplicate_rows, row);
      g_ptr_array_add (self->merge_buttons, button);
      g_ptr_array_add (self->duplicates, g_object_ref (incident));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->duplicates_group), found->len > 0);
}

static gboolean
duplicates_timeout (gpointer data)
{
  WhNewIncidentDialog *self = data;

  self->duplicate_id = 0;
  find_duplicates (self);
  return G_SOURCE_REMOVE;
}

/* Typing a coordinate digit by digit would search at every key: wait for a pause. */
void
wh_new_incident_dialog_schedule_duplicates (WhNewIncidentDialog *self)
{
  g_clear_handle_id (&self->duplicate_id, g_source_remove);
  self->duplicate_id = g_timeout_add (DUPLICATE_DELAY_MS, duplicates_timeout, self);
}

guint
wh_new_incident_dialog_get_n_duplicates (WhNewIncidentDialog *self)
{
  g_return_val_if_fail (WH_IS_NEW_INCIDENT_DIALOG (self), 0);
  /* Answer for the form as it is now, not as it was before the last pause. */
  if (self->duplicate_id != 0)
    {
      g_clear_handle_id (&self->duplicate_id, g_source_remove);
      find_duplicates (self);
    }
  return self->duplicates->len;
}

const char *
wh_new_incident_dialog_get_duplicate (WhNewIncidentDialog *self, guint index)
{
  g_return_val_if_fail (index < wh_new_incident_dialog_get_n_duplicates (self), NULL);
  return ((WhIncident *) g_ptr_array_index (self->duplicates, index))->id;
}

GtkButton *
wh_new_incident_dialog_get_merge_button (WhNewIncidentDialog *self, guint index)
{
  g_return_val_if_fail (index < wh_new_incident_dialog_get_n_duplicates (self), NULL);
  return g_ptr_array_index (self->merge_buttons, index);
}
