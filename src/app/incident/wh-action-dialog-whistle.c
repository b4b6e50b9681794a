/* wh-action-dialog-whistle.c — a whistle's fields: lead and cooperating units, deadlines */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "wh-action-dialog-private.h"
#include "wh-deadline.h"
#include "wh-format.h"

/* Deadlines */

/* "YYYY-MM-DD HH:MM" in the desk's time zone, as the detail pane shows times. */
static gboolean
parse_time (const char *text, gint64 *usec)
{
  int  year, month, day, hour, minute;
  char extra;
  g_autoptr (GDateTime) dt = NULL;

  if (text == NULL ||
      sscanf (text, "%d-%d-%d %d:%d %c", &year, &month, &day, &hour, &minute, &extra) != 5)
    return FALSE;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || year < 2000 || year > 9999)
    return FALSE;
  dt = g_date_time_new_local (year, month, day, hour, minute, 0);
  if (dt == NULL || g_date_time_get_day_of_month (dt) != day)
    return FALSE;
  *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

/* The deadlines the category's limits give a whistle now, for the one incident of the form
 * (or several of the same category and priority): what the store computes when the op
 * leaves them out, on the same calendar with the street's holidays. */
static gboolean
default_deadlines (WhActionDialog *self, gint64 now, gint64 *response_due, gint64 *handling_due)
{
  WhCategoryCatalog *catalog = wh_context_get_catalog (self->context);
  WhIncident        *first;
  WhCategory        *category;
  WhTimeLimits       limits;
  g_autoptr (WhWorkCalendar) calendar = NULL;

  if (self->targets->len == 0)
    return FALSE;
  first = g_ptr_array_index (self->targets, 0);
  for (guint i = 1; i < self->targets->len; i++)
    {
      WhIncident *other = g_ptr_array_index (self->targets, i);

      if (g_strcmp0 (other->category_code, first->category_code) != 0 ||
          other->priority != first->priority)
        return FALSE;
    }
  category = wh_category_catalog_lookup (catalog, first->category_code);
  if (category == NULL || category->response_minutes <= 0 || category->handling_minutes <= 0)
    return FALSE;

  limits.response_minutes = category->response_minutes;
  limits.handling_minutes = category->handling_minutes;
  limits.working_hours = category->working_hours;
  calendar = wh_incident_store_load_calendar (wh_context_get_incident_store (self->context), NULL);
  if (calendar == NULL)
    return FALSE;
  wh_deadline_compute (calendar, &limits,
                       wh_category_catalog_get_priority_factor (catalog, first->priority), now,
                       response_due, handling_due);
  return TRUE;
}

static void
update_deadline_rows (WhActionDialog *self)
{
  gboolean defaults = gtk_switch_get_active (self->default_deadline_switch);
  gint64   response_due, handling_due;
  gint64   now = wh_context_get_now (self->context);

  if (default_deadlines (self, now, &response_due, &handling_due))
    {
      g_autofree char *r = wh_format_time (response_due);
      g_autofree char *h = wh_format_time (handling_due);
      /* Translators: the deadlines a whistle gets from its category: two times */
      g_autofree char *text = g_strdup_printf (_ ("Report in by %s, handle by %s"), r, h);

      adw_action_row_set_subtitle (self->default_deadline_row, text);
      /* Editing starts from the category's values. */
      if (defaults || *gtk_editable_get_text (GTK_EDITABLE (self->response_row)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->response_row), r);
      if (defaults || *gtk_editable_get_text (GTK_EDITABLE (self->handling_row)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->handling_row), h);
    }
  else
    adw_action_row_set_subtitle (self->default_deadline_row,
                                 _ ("Each incident by its own category and priority"));

  gtk_widget_set_visible (GTK_WIDGET (self->response_row), !defaults);
  gtk_widget_set_visible (GTK_WIDGET (self->handling_row), !defaults);
}

/* Whistle: units */

static void
update_coop_subtitle (WhActionDialog *self)
{
  g_autoptr (GString) names = g_string_new (NULL);
  guint n = 0;

  /* In the roster's order, as the rows are. */
  for (guint i = 1; i < self->lead_ids->len; i++)
    {
      const char     *id = g_ptr_array_index (self->lead_ids, i);
      GtkCheckButton *check = g_hash_table_lookup (self->coop_checks, id);

      if (check != NULL && gtk_check_button_get_active (check))
        {
          if (n++ > 0)
            g_string_append (names, _ (", "));
          g_string_append (names, wh_action_dialog_unit_name (self, id));
        }
    }
  adw_expander_row_set_subtitle (self->coop_row, n > 0 ? names->str : _ ("None"));
}

static void
on_lead_changed (WhActionDialog *self)
{
  const char    *lead = wh_action_dialog_selected_id (self->lead_row, self->lead_ids);
  GHashTableIter iter;
  gpointer       key, value;

  /* The lead unit cannot also cooperate. */
  g_hash_table_iter_init (&iter, self->coop_checks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gboolean is_lead = g_strcmp0 (key, lead) == 0;

      if (is_lead)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (value), FALSE);
      gtk_widget_set_sensitive (gtk_widget_get_parent (GTK_WIDGET (value)), !is_lead);
    }
  update_coop_subtitle (self);
  wh_action_dialog_validate (self);
}

static void
on_coop_toggled (WhActionDialog *self)
{
  update_coop_subtitle (self);
  wh_action_dialog_validate (self);
}

/* The lead a whistle starts from: the category's default lead unit, unless that unit has
 * just returned the incident (a re-dispatch goes elsewhere). For several incidents, only a
 * lead they all share. */
static const char *
suggested_lead (WhActionDialog *self)
{
  WhCategoryCatalog *catalog = wh_context_get_catalog (self->context);
  const char        *lead = NULL;

  for (guint i = 0; i < self->targets->len; i++)
    {
      WhIncident     *incident = g_ptr_array_index (self->targets, i);
      WhCategory     *category = wh_category_catalog_lookup (catalog, incident->category_code);
      const char     *candidate = category ? category->default_lead_unit : NULL;
      WhIncidentUnit *unit = wh_incident_find_unit (incident, candidate);

      if (candidate == NULL || (unit != NULL && unit->returned_at != 0))
        return NULL;
      if (lead != NULL && g_strcmp0 (lead, candidate) != 0)
        return NULL;
      lead = candidate;
    }
  return lead;
}

/* A re-dispatch: which units returned the incident, and why, so it goes elsewhere. */
static void
show_returns (WhActionDialog *self)
{
  WhIncident *incident;
  g_autoptr (GString) text = g_string_new (NULL);

  if (self->targets->len != 1)
    return;
  incident = g_ptr_array_index (self->targets, 0);
  for (guint i = 0; i < incident->units->len; i++)
    {
      WhIncidentUnit *unit = g_ptr_array_index (incident->units, i);

      if (unit->returned_at == 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: before a re-dispatch: a unit, then why it returned the incident */
      g_string_append_printf (text, _ ("Returned by %s: %s"),
                              wh_action_dialog_unit_name (self, unit->unit_id),
                              unit->return_reason ? unit->return_reason : "");
    }
  gtk_label_set_label (self->context_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->context_label), text->len > 0);
}

void
wh_action_dialog_setup_whistle (WhActionDialog *self)
{
  g_autoptr (GListModel) units = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  const char *lead = suggested_lead (self);
  guint       lead_pos = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->whistle_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->deadline_group), TRUE);
  show_returns (self);

  self->lead_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->lead_ids, NULL);
  gtk_string_list_append (names, _ ("Choose the lead unit…"));

  units = wh_roster_store_list_units (wh_context_get_roster_store (self->context), -1, &error);
  if (units == NULL)
    g_warning ("Could not read the units: %s", error->message);
  for (guint i = 0; units != NULL && i < g_list_model_get_n_items (units); i++)
    {
      g_autoptr (WhUnit) unit = g_list_model_get_item (units, i);
      GtkWidget *row, *check;

      /* The district is reached by escalating, and the center does not summon itself. */
      if (unit->kind == WH_UNIT_KIND_DISTRICT || unit->kind == WH_UNIT_KIND_STREET_OFFICE)
        continue;
      if (g_strcmp0 (unit->id, lead) == 0)
        lead_pos = self->lead_ids->len;
      g_ptr_array_add (self->lead_ids, g_strdup (unit->id));
      /* The short names the center uses every day; the full name stays a line below. */
      gtk_string_list_append (names, unit->short_name);

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), unit->short_name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), unit->name);
      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->coop_row, row);
      g_hash_table_insert (self->coop_checks, g_strdup (unit->id), check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_coop_toggled), self);
    }

  adw_combo_row_set_model (self->lead_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->lead_row, lead_pos);
  g_signal_connect_swapped (self->lead_row, "notify::selected", G_CALLBACK (on_lead_changed), self);
  on_lead_changed (self);

  g_signal_connect_swapped (self->default_deadline_switch, "notify::active",
                            G_CALLBACK (update_deadline_rows), self);
  g_signal_connect_swapped (self->default_deadline_switch, "notify::active",
                            G_CALLBACK (wh_action_dialog_validate), self);
  update_deadline_rows (self);
  g_signal_connect_swapped (self->response_row, "changed", G_CALLBACK (wh_action_dialog_validate),
                            self);
  g_signal_connect_swapped (self->handling_row, "changed", G_CALLBACK (wh_action_dialog_validate),
                            self);
}

/* The whistle's part of the form's check: see find_problem() in wh-action-dialog.c. */
char *
wh_action_dialog_check_whistle (WhActionDialog *self, gint64 now, gboolean *is_error)
{
  if (wh_action_dialog_selected_id (self->lead_row, self->lead_ids) == NULL)
    {
      *is_error = FALSE;
      return g_strdup (_ ("Choose the lead unit: a whistle needs one unit in charge."));
    }
  if (!gtk_switch_get_active (self->default_deadline_switch))
    {
      gint64 response_due, handling_due;

      if (!parse_time (gtk_editable_get_text (GTK_EDITABLE (self->response_row)), &response_due))
        return g_strdup (_ ("Enter the report-in deadline as YYYY-MM-DD HH:MM."));
      if (!parse_time (gtk_editable_get_text (GTK_EDITABLE (self->handling_row)), &handling_due))
        return g_strdup (_ ("Enter the handling deadline as YYYY-MM-DD HH:MM."));
      if (response_due <= now)
        return g_strdup (_ ("The report-in deadline lies in the past."));
      if (handling_due <= now)
        return g_strdup (_ ("The handling deadline lies in the past."));
      if (handling_due < response_due)
        return g_strdup (_ ("The handling deadline cannot come before the report-in deadline."));
    }
  return NULL;
}

void
wh_action_dialog_fill_whistle_op (WhActionDialog *self, WhOp *op)
{
  g_autoptr (JsonArray) coop = json_array_new ();
  const char *lead = wh_action_dialog_selected_id (self->lead_row, self->lead_ids);

  wh_op_set_string (op, "lead_unit_id", lead);
  for (guint i = 1; i < self->lead_ids->len; i++)
    {
      const char     *id = g_ptr_array_index (self->lead_ids, i);
      GtkCheckButton *check = g_hash_table_lookup (self->coop_checks, id);

      if (check != NULL && gtk_check_button_get_active (check) && g_strcmp0 (id, lead) != 0)
        json_array_add_string_element (coop, id);
    }
  json_object_set_array_member (op->fields, "cooperating_unit_ids", json_array_ref (coop));
  /* Left out, the store computes them from the category with the street's holidays. */
  if (!gtk_switch_get_active (self->default_deadline_switch))
    {
      gint64 response_due = 0, handling_due = 0;

      parse_time (gtk_editable_get_text (GTK_EDITABLE (self->response_row)), &response_due);
      parse_time (gtk_editable_get_text (GTK_EDITABLE (self->handling_row)), &handling_due);
      wh_op_set_int (op, "response_due_at", response_due);
      wh_op_set_int (op, "handling_due_at", handling_due);
    }
}
