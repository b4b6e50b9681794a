/* wh-action-dialog.c — the form of one lifecycle action, for one incident or several */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-action-dialog-private.h"
#include "wh-action-rules.h"
#include "wh-attachment-store.h"
#include "wh-form-util.h"
#include "wh-format.h"

G_DEFINE_FINAL_TYPE (WhActionDialog, wh_action_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_APPLIED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* What each action's note is called, and what is said when a required one is missing. */
static const char *
note_title (WhAction action)
{
  switch (action)
    {
    case WH_ACTION_NOT_ACCEPT:
      return _ ("Reason for not accepting");
    case WH_ACTION_WHISTLE:
      return _ ("Instructions to the units (optional)");
    case WH_ACTION_RETURN:
      return _ ("Reason the unit returns it");
    case WH_ACTION_NOTE:
      return _ ("Progress note");
    case WH_ACTION_REQUEST_LEGAL_REVIEW:
      return _ ("The enforcement decision to review");
    case WH_ACTION_RECORD_LEGAL_REVIEW:
      return _ ("Legal opinion");
    case WH_ACTION_FEEDBACK:
      return _ ("Result of the handling");
    case WH_ACTION_VERIFY_PASS:
      return _ ("What was checked (optional)");
    case WH_ACTION_VERIFY_FAIL:
      return _ ("What is still wrong (the unit reworks it)");
    case WH_ACTION_RATE:
      return _ ("The resident’s words (optional)");
    case WH_ACTION_ESCALATE:
      return _ ("Why the district is needed");
    case WH_ACTION_REOPEN:
      return _ ("Reason for reopening");
    case WH_ACTION_REGISTER:
    case WH_ACTION_ACKNOWLEDGE:
    case WH_ACTION_START:
    case WH_ACTION_CLOSE:
    default:
      return _ ("Note (optional)");
    }
}

static const char *
note_missing (WhAction action)
{
  switch (action)
    {
    case WH_ACTION_FEEDBACK:
      return _ ("Enter the result of the handling.");
    case WH_ACTION_NOTE:
      return _ ("Enter the progress note.");
    case WH_ACTION_REQUEST_LEGAL_REVIEW:
      return _ ("Describe the enforcement decision the legal review is asked for.");
    case WH_ACTION_VERIFY_FAIL:
      return _ ("Say what is still wrong, so the unit knows what to rework.");
    case WH_ACTION_ESCALATE:
      return _ ("Say why the district is needed.");
    default:
      return _ ("Enter the reason.");
    }
}

static gboolean
action_needs_note (WhAction action)
{
  switch (action)
    {
    case WH_ACTION_NOT_ACCEPT:
    case WH_ACTION_RETURN:
    case WH_ACTION_NOTE:
    case WH_ACTION_REQUEST_LEGAL_REVIEW:
    case WH_ACTION_FEEDBACK:
    case WH_ACTION_VERIFY_FAIL:
    case WH_ACTION_ESCALATE:
    case WH_ACTION_REOPEN:
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
dup_note (WhActionDialog *self)
{
  return wh_form_dup_text_view (self->note_view);
}

const char *
wh_action_dialog_unit_name (WhActionDialog *self, const char *unit_id)
{
  WhUnit *unit = wh_roster_store_lookup_unit (wh_context_get_roster_store (self->context), unit_id);

  return unit != NULL ? unit->short_name : unit_id;
}

const char *
wh_action_dialog_selected_id (AdwComboRow *row, GPtrArray *ids)
{
  guint pos = adw_combo_row_get_selected (row);

  if (ids == NULL || pos == GTK_INVALID_LIST_POSITION || pos >= ids->len)
    return NULL;
  return g_ptr_array_index (ids, pos);
}

/* Report-in and return: which unit */

static void
setup_unit (WhActionDialog *self)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);

  self->unit_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->targets->len; i++)
    {
      WhIncident *incident = g_ptr_array_index (self->targets, i);
      g_autoptr (GPtrArray) units = wh_action_rules_list_units (
        incident, wh_action_rules_is_major (self->context, incident), self->actor, self->action);

      for (guint j = 0; j < units->len; j++)
        if (!g_ptr_array_find_with_equal_func (self->unit_ids, g_ptr_array_index (units, j),
                                               g_str_equal, NULL))
          g_ptr_array_add (self->unit_ids, g_strdup (g_ptr_array_index (units, j)));
    }
  /* One choice is made for the officer; between several they choose, never by default. */
  if (self->unit_ids->len != 1)
    {
      g_ptr_array_insert (self->unit_ids, 0, NULL);
      gtk_string_list_append (names, _ ("Choose the unit…"));
    }
  for (guint i = 0; i < self->unit_ids->len; i++)
    if (g_ptr_array_index (self->unit_ids, i) != NULL)
      gtk_string_list_append (
        names, wh_action_dialog_unit_name (self, g_ptr_array_index (self->unit_ids, i)));

  adw_preferences_group_set_title (self->unit_group, self->action == WH_ACTION_ACKNOWLEDGE
                                                       ? _ ("Which unit reports in")
                                                       : _ ("Which unit returns it"));
  adw_combo_row_set_model (self->unit_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->unit_row, 0);
  g_signal_connect_swapped (self->unit_row, "notify::selected",
                            G_CALLBACK (wh_action_dialog_validate), self);
  gtk_widget_set_visible (GTK_WIDGET (self->unit_group), TRUE);
}

static void
setup_choices (AdwComboRow *row, const char *const *choices)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (choices);

  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (row, 0);
}

/* Validation */

/* The first problem of the form, or NULL when it can be applied. @is_error tells a value
 * that is wrong (shown red) from one still missing (a hint: the form is not done yet). */
static char *
find_problem (WhActionDialog *self, gboolean *is_error)
{
  g_autofree char *note = dup_note (self);
  gint64           now = wh_context_get_now (self->context);

  *is_error = TRUE;

  if (self->actor == NULL)
    return g_strdup (self->no_actor_reason ? self->no_actor_reason
                                           : _ ("Nobody can act at this desk now."));
  if (self->targets->len == 0)
    return g_strdup (_ ("This cannot be done on any of the chosen incidents now."));

  switch (self->action)
    {
    case WH_ACTION_ACKNOWLEDGE:
    case WH_ACTION_RETURN:
      if (wh_action_dialog_selected_id (self->unit_row, self->unit_ids) == NULL)
        {
          *is_error = FALSE;
          return g_strdup (_ ("Choose the unit."));
        }
      break;

    case WH_ACTION_WHISTLE:
      {
        char *problem = wh_action_dialog_check_whistle (self, now, is_error);

        if (problem != NULL)
          return problem;
      }
      break;

    case WH_ACTION_RECORD_LEGAL_REVIEW:
      if (adw_combo_row_get_selected (self->review_row) == 0)
        {
          *is_error = FALSE;
          return g_strdup (_ ("Choose whether the legal review approves the decision."));
        }
      if (adw_combo_row_get_selected (self->review_row) == 2 && *note == '\0')
        {
          *is_error = FALSE;
          return g_strdup (_ ("Give the legal opinion: why the decision is refused."));
        }
      break;

    case WH_ACTION_RATE:
      if (adw_combo_row_get_selected (self->rating_row) == 0)
        {
          *is_error = FALSE;
          return g_strdup (_ ("Choose the resident’s rating."));
        }
      break;

    default:
      break;
    }

  if (self->note_required && *note == '\0')
    {
      *is_error = FALSE;
      return g_strdup (note_missing (self->action));
    }
  if (g_utf8_strlen (note, -1) > 10000)
    return g_strdup (_ ("The note is longer than 10,000 characters."));
  return NULL;
}

void
wh_action_dialog_validate (WhActionDialog *self)
{
  g_autofree char *problem = NULL;
  gboolean         is_error = FALSE;

  if (self->context == NULL)
    return;
  problem = find_problem (self, &is_error);
  wh_form_show_message (self->message_label, &self->message, problem, is_error);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.apply", problem == NULL);
}

/* Apply */

static WhOp *
build_op (WhActionDialog *self,
          WhIncident     *incident,
          const char     *note,
          GPtrArray      *hashes,
          gint64          now)
{
  WhOp *op = wh_op_new (self->action, incident->id, self->actor, now);

  op->base_rev = incident->rev;
  op->note = g_strdup (note);
  /* The street records what the lead unit did or reported: the record names the unit. */
  if (self->actor->unit_id == NULL && incident->lead_unit_id != NULL &&
      (self->action == WH_ACTION_START || self->action == WH_ACTION_FEEDBACK ||
       self->action == WH_ACTION_REQUEST_LEGAL_REVIEW))
    op->unit_id = g_strdup (incident->lead_unit_id);

  switch (self->action)
    {
    case WH_ACTION_ACKNOWLEDGE:
    case WH_ACTION_RETURN:
      op->unit_id = g_strdup (wh_action_dialog_selected_id (self->unit_row, self->unit_ids));
      break;

    case WH_ACTION_WHISTLE:
      wh_action_dialog_fill_whistle_op (self, op);
      break;

    case WH_ACTION_RECORD_LEGAL_REVIEW:
      json_object_set_boolean_member (op->fields, "approved",
                                      adw_combo_row_get_selected (self->review_row) == 1);
      break;

    case WH_ACTION_RATE:
      /* The choices run from five stars down. */
      wh_op_set_int (op, "rating", 6 - (gint64) adw_combo_row_get_selected (self->rating_row));
      break;

    case WH_ACTION_FEEDBACK:
      if (hashes != NULL && hashes->len > 0)
        {
          g_autoptr (JsonArray) array = json_array_new ();

          for (guint i = 0; i < hashes->len; i++)
            json_array_add_string_element (array, g_ptr_array_index (hashes, i));
          json_object_set_array_member (op->fields, "attachments", json_array_ref (array));
        }
      break;

    default:
      break;
    }
  return op;
}

/* The button says what it does: "Whistle", or for several "Whistle (3 incidents)". */
static void
update_apply_label (WhActionDialog *self)
{
  g_autofree char *label = NULL;

  if (self->bulk)
    /* Translators: the button of a bulk action: the action, the number of incidents */
    label = g_strdup_printf (ngettext ("%s (%u incident)", "%s (%u incidents)", self->targets->len),
                             wh_action_label (self->action), self->targets->len);
  else
    label = g_strdup (wh_action_label (self->action));
  gtk_button_set_label (self->apply_button, label);
  gtk_button_set_use_underline (self->apply_button, FALSE);
}

static void
update_targets_label (WhActionDialog *self)
{
  g_autofree char *text = NULL;

  if (self->targets->len == 1)
    {
      WhIncident *incident = g_ptr_array_index (self->targets, 0);

      text = g_strdup_printf ("%s · %s", incident->number, incident->title);
    }
  else if (self->targets->len > 1)
    {
      g_autoptr (GString) numbers = g_string_new (NULL);

      for (guint i = 0; i < self->targets->len; i++)
        {
          WhIncident *incident = g_ptr_array_index (self->targets, i);

          g_string_append_printf (numbers, "%s%s", i > 0 ? _ (", ") : "", incident->number);
        }
      /* Translators: a bulk action: the number of incidents, then their numbers */
      text = g_strdup_printf (ngettext ("%u incident: %s", "%u incidents: %s", self->targets->len),
                              self->targets->len, numbers->str);
    }
  else
    text = g_strdup (_ ("No incident left to apply this to"));
  gtk_label_set_label (self->targets_label, text);
}

gboolean
wh_action_dialog_apply (WhActionDialog *self)
{
  WhIncidentStore *store;
  g_autofree char *note = NULL;
  g_autofree char *problem = NULL;
  g_autoptr (GPtrArray) hashes = NULL;
  g_autoptr (GPtrArray) applied = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) remaining = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GString) failures = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  gboolean is_error;
  gint64   now;

  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), FALSE);

  /* The clock moved since the last check: a deadline may have passed meanwhile. */
  problem = find_problem (self, &is_error);
  if (problem != NULL)
    {
      wh_action_dialog_validate (self);
      return FALSE;
    }

  store = wh_context_get_incident_store (self->context);
  note = dup_note (self);
  if (self->action == WH_ACTION_FEEDBACK &&
      (hashes = wh_action_dialog_store_photos (self, &error)) == NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_ ("The photos could not be stored: %s"), error->message);

      gtk_label_set_label (self->results_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->results_label), TRUE);
      g_free (self->results);
      self->results = g_steal_pointer (&text);
      return FALSE;
    }

  now = wh_context_get_now (self->context);
  for (guint i = 0; i < self->targets->len; i++)
    {
      WhIncident *shown = g_ptr_array_index (self->targets, i);
      g_autoptr (WhIncident) current = NULL;
      g_autoptr (WhIncidentEvent) event = NULL;
      g_autoptr (WhOp) op = NULL;
      g_autoptr (GError) apply_error = NULL;

      /* Based on the incident as it is now: sync may have moved it since the form opened,
       * and then the lifecycle answers for the new state. */
      current = wh_incident_store_get (store, shown->id, &apply_error);
      if (current != NULL)
        {
          op = build_op (self, current, note, hashes, now);
          event = wh_incident_store_apply (store, op, WH_APPLY_RECORD_OUTBOX, &apply_error);
        }
      if (event != NULL)
        g_ptr_array_add (applied, g_strdup (shown->id));
      else
        {
          g_string_append_printf (failures, "%s%s: %s", failures->len ? "\n" : "", shown->number,
                                  apply_error->message);
          g_ptr_array_add (remaining, g_object_ref (shown));
        }
    }

  g_free (self->results);
  if (failures->len > 0)
    {
      /* Translators: after a bulk action: how many were applied, then a list of
       * "number: reason" lines */
      self->results = g_strdup_printf (_ ("Applied to %u of %u. Not applied:\n%s"), applied->len,
                                       self->targets->len, failures->str);
    }
  else
    self->results = g_strdup ("");
  gtk_label_set_label (self->results_label, self->results);
  gtk_widget_set_visible (GTK_WIDGET (self->results_label), failures->len > 0);

  /* Only the failed ones stay, so a second Apply cannot apply anything twice. */
  g_ptr_array_set_size (self->targets, 0);
  for (guint i = 0; i < remaining->len; i++)
    g_ptr_array_add (self->targets, g_object_ref (g_ptr_array_index (remaining, i)));
  update_targets_label (self);
  update_apply_label (self);
  wh_action_dialog_validate (self);

  if (applied->len > 0)
    {
      g_ptr_array_add (applied, NULL);
      g_signal_emit (self, signals[SIGNAL_APPLIED], 0, (char **) applied->pdata);
    }
  if (failures->len == 0)
    {
      gtk_window_close (GTK_WINDOW (self));
      return TRUE;
    }
  return FALSE;
}

static void
apply_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  wh_action_dialog_apply (WH_ACTION_DIALOG (widget));
}

/* Setup */

static void
load_targets (WhActionDialog *self, const char *const *incident_ids)
{
  WhIncidentStore *store = wh_context_get_incident_store (self->context);
  g_autoptr (GString) blocked = g_string_new (NULL);

  for (guint i = 0; incident_ids != NULL && incident_ids[i] != NULL; i++)
    {
      g_autoptr (WhIncident) incident = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *reason = NULL;

      incident = wh_incident_store_get (store, incident_ids[i], &error);
      if (incident == NULL)
        {
          g_string_append_printf (blocked, "%s%s: %s", blocked->len ? "\n" : "", incident_ids[i],
                                  error->message);
          continue;
        }
      if (self->actor != NULL &&
          !wh_action_rules_check (incident, wh_action_rules_is_major (self->context, incident),
                                  self->actor, self->action, NULL, &reason))
        {
          g_string_append_printf (blocked, "%s%s: %s", blocked->len ? "\n" : "", incident->number,
                                  reason);
          continue;
        }
      g_ptr_array_add (self->targets, g_steal_pointer (&incident));
    }

  if (blocked->len > 0)
    {
      /* Translators: followed by lines "number: reason" */
      g_autofree char *text =
        g_strdup_printf (_ ("Cannot be done on these incidents now:\n%s"), blocked->str);

      gtk_label_set_label (self->blocked_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->blocked_label), TRUE);
    }
  update_targets_label (self);
}

static void
setup (WhActionDialog *self, const char *const *incident_ids)
{
  guint n_ids = incident_ids ? g_strv_length ((char **) incident_ids) : 0;

  load_targets (self, incident_ids);

  adw_window_title_set_title (self->window_title, wh_action_label (self->action));
  if (self->actor != NULL)
    wh_form_set_actor_subtitle (self->window_title, self->actor);
  gtk_window_set_title (GTK_WINDOW (self), wh_action_label (self->action));

  self->bulk = n_ids > 1;
  update_apply_label (self);

  self->note_required = action_needs_note (self->action);
  adw_preferences_group_set_title (self->note_group, note_title (self->action));

  switch (self->action)
    {
    case WH_ACTION_WHISTLE:
      wh_action_dialog_setup_whistle (self);
      break;
    case WH_ACTION_ACKNOWLEDGE:
    case WH_ACTION_RETURN:
      setup_unit (self);
      break;
    case WH_ACTION_RECORD_LEGAL_REVIEW:
      setup_choices (self->review_row,
                     (const char *[]){ _ ("Choose…"), C_ ("legal review", "Approved"),
                                       C_ ("legal review", "Refused"), NULL });
      g_signal_connect_swapped (self->review_row, "notify::selected",
                                G_CALLBACK (wh_action_dialog_validate), self);
      gtk_widget_set_visible (GTK_WIDGET (self->review_group), TRUE);
      break;
    case WH_ACTION_RATE:
      setup_choices (self->rating_row, (const char *[]){ _ ("Choose…"), _ ("★★★★★ Very satisfied"),
                                                         _ ("★★★★☆ Satisfied"), _ ("★★★☆☆ Fair"),
                                                         _ ("★★☆☆☆ Dissatisfied"),
                                                         _ ("★☆☆☆☆ Very dissatisfied"), NULL });
      g_signal_connect_swapped (self->rating_row, "notify::selected",
                                G_CALLBACK (wh_action_dialog_validate), self);
      gtk_widget_set_visible (GTK_WIDGET (self->rating_group), TRUE);
      break;
    case WH_ACTION_FEEDBACK:
      gtk_widget_set_visible (GTK_WIDGET (self->photos_group), TRUE);
      break;
    default:
      break;
    }

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->note_view), "changed",
                            G_CALLBACK (wh_action_dialog_validate), self);
  wh_action_dialog_validate (self);
}

WhActionDialog *
wh_action_dialog_new (GtkWindow         *parent,
                      WhContext         *context,
                      const WhActor     *actor,
                      const char        *no_actor_reason,
                      WhAction           action,
                      const char *const *incident_ids)
{
  WhActionDialog *self;

  g_return_val_if_fail (WH_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (action < WH_N_ACTIONS, NULL);

  self = g_object_new (WH_TYPE_ACTION_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->actor = wh_actor_copy (actor);
  self->no_actor_reason = g_strdup (no_actor_reason);
  self->action = action;
  setup (self, incident_ids);
  return self;
}

WhAction
wh_action_dialog_get_action (WhActionDialog *self)
{
  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), WH_N_ACTIONS);
  return self->action;
}

guint
wh_action_dialog_get_n_targets (WhActionDialog *self)
{
  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), 0);
  return self->targets->len;
}

const char *
wh_action_dialog_get_target (WhActionDialog *self, guint index)
{
  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->targets->len, NULL);
  return ((WhIncident *) g_ptr_array_index (self->targets, index))->id;
}

gboolean
wh_action_dialog_can_apply (WhActionDialog *self)
{
  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), FALSE);
  return self->message != NULL && *self->message == '\0';
}

const char *
wh_action_dialog_get_message (WhActionDialog *self)
{
  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), NULL);
  return self->message ? self->message : "";
}

const char *
wh_action_dialog_get_results (WhActionDialog *self)
{
  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), NULL);
  return self->results ? self->results : "";
}

GtkTextBuffer *
wh_action_dialog_get_note_buffer (WhActionDialog *self)
{
  return gtk_text_view_get_buffer (self->note_view);
}

AdwComboRow *
wh_action_dialog_get_unit_row (WhActionDialog *self)
{
  return self->unit_row;
}

AdwComboRow *
wh_action_dialog_get_lead_row (WhActionDialog *self)
{
  return self->lead_row;
}

AdwComboRow *
wh_action_dialog_get_review_row (WhActionDialog *self)
{
  return self->review_row;
}

AdwComboRow *
wh_action_dialog_get_rating_row (WhActionDialog *self)
{
  return self->rating_row;
}

GtkSwitch *
wh_action_dialog_get_default_deadline_switch (WhActionDialog *self)
{
  return self->default_deadline_switch;
}

GtkEditable *
wh_action_dialog_get_response_entry (WhActionDialog *self)
{
  return GTK_EDITABLE (self->response_row);
}

GtkEditable *
wh_action_dialog_get_handling_entry (WhActionDialog *self)
{
  return GTK_EDITABLE (self->handling_row);
}

GtkButton *
wh_action_dialog_get_apply_button (WhActionDialog *self)
{
  return self->apply_button;
}

GtkCheckButton *
wh_action_dialog_get_cooperating_check (WhActionDialog *self, const char *unit_id)
{
  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), NULL);
  return g_hash_table_lookup (self->coop_checks, unit_id);
}

static void
wh_action_dialog_dispose (GObject *object)
{
  WhActionDialog *self = WH_ACTION_DIALOG (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_ACTION_DIALOG);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (wh_action_dialog_parent_class)->dispose (object);
}

static void
wh_action_dialog_finalize (GObject *object)
{
  WhActionDialog *self = WH_ACTION_DIALOG (object);

  wh_actor_free (self->actor);
  g_free (self->no_actor_reason);
  g_ptr_array_unref (self->targets);
  g_clear_pointer (&self->unit_ids, g_ptr_array_unref);
  g_clear_pointer (&self->lead_ids, g_ptr_array_unref);
  g_hash_table_unref (self->coop_checks);
  g_ptr_array_unref (self->photos);
  g_free (self->message);
  g_free (self->results);

  G_OBJECT_CLASS (wh_action_dialog_parent_class)->finalize (object);
}

static void
wh_action_dialog_class_init (WhActionDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_action_dialog_dispose;
  object_class->finalize = wh_action_dialog_finalize;

  /**
   * WhActionDialog::applied:
   * @incident_ids: the incidents the action was applied to
   */
  signals[SIGNAL_APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-action-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, targets_label);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, blocked_label);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, context_label);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, unit_group);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, unit_row);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, whistle_group);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, lead_row);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, coop_row);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, deadline_group);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, default_deadline_row);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, default_deadline_switch);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, response_row);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, handling_row);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, review_group);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, review_row);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, rating_group);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, rating_row);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, note_group);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, note_view);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, photos_group);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, photos_box);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, WhActionDialog, results_label);

  gtk_widget_class_install_action (widget_class, "form.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "form.add-photos", NULL,
                                   wh_action_dialog_add_photos_action);
  /* Enter in a text view makes a new line: Ctrl+Enter applies, Escape cancels. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "form.apply",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "form.apply", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wh_action_dialog_init (WhActionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->targets = g_ptr_array_new_with_free_func (g_object_unref);
  self->coop_checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->photos = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_action_dialog_photo_free);
}
