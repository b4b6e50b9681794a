/* wh-incident-detail.c — one incident: its fields, summoned units and timeline */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-application.h"
#include "wh-format.h"
#include "wh-incident-detail.h"
#include "incident/wh-action-rules.h"
#include "incident/wh-timeline-row.h"

struct _WhIncidentDetail
{
  AdwBin parent_instance;

  /* template children */
  GtkStack          *stack;
  GtkLabel          *title_label;
  GtkLabel          *status_label;
  GtkLabel          *deadline_label;
  GtkLabel          *number_label;
  GtkFlowBox        *actions_box;
  GtkLabel          *actions_hint;
  GtkGrid           *fields_grid;
  GtkLabel          *description_label;
  GtkListBox        *units_list;
  GtkListBox        *timeline_list;
  GtkScrolledWindow *scrolled;

  WhContext       *context;
  WhIncidentStore *store; /* whose ::changed we follow */
  char            *incident_id;
  guint            n_events;
  guint            n_units;
  guint            n_fields;
  GArray          *offered;     /* WhAction: the actions offered now */
  GPtrArray       *rows;        /* WhTimelineRow, borrowed from the list */
  gboolean         phone_shown; /* the reporter's number, unmasked on request */
  guint            reload_id;
};

G_DEFINE_FINAL_TYPE (WhIncidentDetail, wh_incident_detail, ADW_TYPE_BIN)

static void
clear_container (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    {
      if (GTK_IS_LIST_BOX (container))
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
      else
        gtk_grid_remove (GTK_GRID (container), child);
    }
}

static void
add_field_widget (WhIncidentDetail *self, const char *key, GtkWidget *value)
{
  GtkWidget *k = gtk_label_new (key);

  gtk_label_set_xalign (GTK_LABEL (k), 0);
  /* A long value wraps below its key; a value with a button sits level with it. */
  gtk_widget_set_valign (k, GTK_IS_LABEL (value) ? GTK_ALIGN_START : GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (k, "dim-label");
  gtk_widget_set_hexpand (value, TRUE);

  gtk_grid_attach (self->fields_grid, k, 0, self->n_fields, 1, 1);
  gtk_grid_attach (self->fields_grid, value, 1, self->n_fields, 1, 1);
  self->n_fields++;
}

static GtkWidget *
value_label (const char *value)
{
  GtkWidget *v = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (v), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  return v;
}

static void
add_field (WhIncidentDetail *self, const char *key, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  add_field_widget (self, key, value_label (value));
}

static void
add_time_field (WhIncidentDetail *self, const char *key, gint64 usec)
{
  g_autofree char *text = NULL;

  if (usec == 0)
    return;
  text = wh_format_time (usec);
  add_field (self, key, text);
}

static const char *
unit_label (WhIncidentDetail *self, const char *unit_id, gboolean full)
{
  WhUnit *unit = wh_roster_store_lookup_unit (wh_context_get_roster_store (self->context), unit_id);

  if (unit == NULL)
    return unit_id ? unit_id : "";
  return full ? unit->name : unit->short_name;
}

static const char *
legal_review_label (const char *state)
{
  if (g_strcmp0 (state, "requested") == 0)
    return C_ ("legal review", "Requested");
  if (g_strcmp0 (state, "approved") == 0)
    return C_ ("legal review", "Approved");
  if (g_strcmp0 (state, "refused") == 0)
    return C_ ("legal review", "Refused");
  return NULL;
}

static void
on_show_phone (GtkButton *button, WhIncidentDetail *self)
{
  self->phone_shown = !self->phone_shown;
  wh_incident_detail_reload (self);
}

/* The reporter's contact is private: the name shows, the phone number is masked until the
 * officer asks for it (the pane may be on a projector at the weekly meeting). */
static void
add_reporter (WhIncidentDetail *self, WhIncident *incident)
{
  g_autofree char *masked = NULL;
  g_autofree char *text = NULL;
  gboolean   has_phone = incident->reporter_phone != NULL && *incident->reporter_phone != '\0';
  GtkWidget *box, *button;

  if ((incident->reporter_name == NULL || *incident->reporter_name == '\0') && !has_phone)
    return;
  masked = wh_timeline_row_mask_phone (incident->reporter_phone);
  text = g_strdup_printf ("%s %s", incident->reporter_name ? incident->reporter_name : "",
                          self->phone_shown ? incident->reporter_phone : masked);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), value_label (g_strstrip (text)));
  if (has_phone)
    {
      button =
        gtk_button_new_with_label (self->phone_shown ? _ ("Hide Number") : _ ("Show Number"));
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "caption");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_signal_connect (button, "clicked", G_CALLBACK (on_show_phone), self);
      gtk_box_append (GTK_BOX (box), button);
    }
  add_field_widget (self, _ ("Reporter"), box);
}

static void
fill_fields (WhIncidentDetail *self, WhIncident *incident, GPtrArray *events)
{
  WhCategoryCatalog *catalog = wh_context_get_catalog (self->context);
  WhCategory        *category = wh_category_catalog_lookup (catalog, incident->category_code);
  g_autofree char   *category_text =
    wh_category_catalog_dup_display_name (catalog, incident->category_code);
  g_autofree char *grid_text = NULL;
  g_autofree char *rating = NULL;
  g_autofree char *location = NULL;
  g_autofree char *counts = NULL;
  const char      *grid_name;

  clear_container (GTK_WIDGET (self->fields_grid));
  self->n_fields = 0;

  if (category != NULL && category->major)
    {
      g_autofree char *with_note =
        g_strdup_printf (_ ("%s (major: needs legal review)"), category_text);
      g_free (category_text);
      category_text = g_steal_pointer (&with_note);
    }
  add_field (self, _ ("Category"), category_text);
  add_field (self, _ ("Priority"),
             wh_category_catalog_get_priority_name (catalog, incident->priority));
  add_field (self, _ ("Source"), wh_source_label (incident->source));
  add_field (self, _ ("Address"), incident->address);
  if (incident->has_location)
    location = g_strdup_printf ("%.6f, %.6f", incident->lon, incident->lat);
  /* Translators: a field of the detail pane: longitude, latitude */
  add_field (self, _ ("Location"), location);

  grid_name =
    wh_grid_store_lookup_cell_name (wh_context_get_grid_store (self->context), incident->grid_id);
  if (incident->grid_id != NULL)
    grid_text = g_strdup_printf ("%s (%s)", grid_name ? grid_name : "", incident->grid_id);
  add_field (self, _ ("Grid cell"), grid_text);
  if (incident->lead_unit_id != NULL)
    add_field (self, _ ("Lead unit"), unit_label (self, incident->lead_unit_id, TRUE));

  add_reporter (self, incident);

  add_time_field (self, _ ("Reported"), incident->reported_at);
  add_time_field (self, _ ("Registered"), incident->registered_at);
  add_time_field (self, _ ("Whistled"), incident->whistled_at);
  add_time_field (self, _ ("Report-in due"), incident->response_due_at);
  add_time_field (self, _ ("Handling due"), incident->handling_due_at);
  add_time_field (self, _ ("Resolved"), incident->resolved_at);
  add_time_field (self, _ ("Closed"), incident->closed_at);

  add_field (self, _ ("Legal review"), legal_review_label (incident->legal_review));
  if (incident->rating > 0)
    {
      g_autoptr (GString) stars = g_string_new (NULL);

      for (int i = 0; i < 5; i++)
        g_string_append (stars, i < incident->rating ? "★" : "☆");
      rating = g_strdup_printf ("%s (%d/5)", stars->str, incident->rating);
    }
  add_field (self, _ ("Rating"), rating);

  if (incident->return_count > 0 || incident->rework_count > 0 || incident->escalated)
    {
      g_autoptr (GString) s = g_string_new (NULL);

      if (incident->return_count > 0)
        g_string_append_printf (
          s, ngettext ("Returned once", "Returned %d times", incident->return_count),
          incident->return_count);
      if (incident->rework_count > 0)
        {
          if (s->len > 0)
            g_string_append (s, " · ");
          g_string_append_printf (
            s, ngettext ("Reworked once", "Reworked %d times", incident->rework_count),
            incident->rework_count);
        }
      if (incident->escalated)
        {
          if (s->len > 0)
            g_string_append (s, " · ");
          g_string_append (s, _ ("Escalated to the district"));
        }
      counts = g_string_free (g_steal_pointer (&s), FALSE);
    }
  add_field (self, _ ("History"), counts);

  /* Reports merged into this one: each further reporter is a step of the record. */
  {
    guint n_more = 0;

    for (guint i = 0; i < events->len; i++)
      if (WH_INCIDENT_EVENT (g_ptr_array_index (events, i))->action == WH_ACTION_ADD_REPORTER)
        n_more++;
    if (n_more > 0)
      {
        g_autofree char *more =
          g_strdup_printf (ngettext ("%u more reporter (see the timeline)",
                                     "%u more reporters (see the timeline)", n_more),
                           n_more);

        add_field (self, _ ("Also reported by"), more);
      }
  }
}

static void
fill_units (WhIncidentDetail *self, WhIncident *incident, gint64 now)
{
  clear_container (GTK_WIDGET (self->units_list));
  self->n_units = 0;

  for (guint i = 0; incident->units != NULL && i < incident->units->len; i++)
    {
      WhIncidentUnit  *u = g_ptr_array_index (incident->units, i);
      g_autofree char *state = NULL;
      g_autofree char *when = NULL;
      GtkWidget       *row, *role;

      if (u->returned_at != 0)
        {
          when = wh_format_time_short (u->returned_at, now);
          /* Translators: a summoned unit returned the incident (退单); time, then reason */
          state =
            g_strdup_printf (_ ("Returned %s: %s"), when, u->return_reason ? u->return_reason : "");
        }
      else if (u->acknowledged_at != 0)
        {
          when = wh_format_time_short (u->acknowledged_at, now);
          if (incident->response_due_at != 0 && u->acknowledged_at > incident->response_due_at)
            /* Translators: the unit reported in (报到) after the deadline, %s is a time */
            state = g_strdup_printf (_ ("Reported in %s, late"), when);
          else
            /* Translators: the unit reported in (报到), %s is a time */
            state = g_strdup_printf (_ ("Reported in %s"), when);
        }
      else
        {
          when = wh_format_time_short (u->whistled_at, now);
          /* Translators: %s is the time the unit was summoned */
          state = g_strdup_printf (_ ("Not reported in yet (whistled %s)"), when);
        }

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     unit_label (self, u->unit_id, TRUE));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), state);
      role = gtk_label_new (u->lead ? C_ ("unit role", "Lead") : C_ ("unit role", "Cooperating"));
      gtk_widget_add_css_class (role, u->lead ? "unit-lead" : "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), role);
      if (u->returned_at != 0)
        gtk_widget_add_css_class (row, "unit-returned");
      else if (u->acknowledged_at == 0)
        gtk_widget_add_css_class (row, "unit-waiting");
      gtk_list_box_append (self->units_list, row);
      self->n_units++;
    }

  if (self->n_units == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _ ("No unit has been summoned yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->units_list, row);
    }
}

/* Actions */

static WhActor *
dup_actor (WhIncidentDetail *self, char **why)
{
  GApplication *app = g_application_get_default ();
  g_autoptr (GError) error = NULL;
  WhActor *actor;

  if (!WH_IS_APPLICATION (app))
    {
      *why = g_strdup (_ ("Changes can only be made in the desk application."));
      return NULL;
    }
  actor = wh_application_dup_actor (WH_APPLICATION (app), self->context, &error);
  if (actor == NULL)
    *why = g_strdup (error->message);
  return actor;
}

static GtkWidget *
action_button (WhIncidentDetail *self, WhAction action, gboolean primary)
{
  GtkWidget  *button = gtk_button_new_with_label (wh_action_label (action));
  const char *accel = wh_action_rules_get_accel (action);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.incident-action");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(s^as)", wh_action_to_string (action),
                                    (const char *[]){ self->incident_id, NULL });
  if (accel != NULL)
    {
      guint            key;
      GdkModifierType  mods;
      g_autofree char *label = NULL;

      if (gtk_accelerator_parse (accel, &key, &mods))
        {
          label = gtk_accelerator_get_label (key, mods);
          gtk_widget_set_tooltip_text (button, label);
        }
    }
  if (primary)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

/* The actions allowed now, the next step first and marked; and, in a line below, those
 * only the center director may take, so a duty officer knows whom to ask. */
static void
fill_actions (WhIncidentDetail *self, WhIncident *incident)
{
  g_autoptr (WhActor) actor = NULL;
  g_autofree char *why = NULL;
  gboolean         major = wh_action_rules_is_major (self->context, incident);
  WhAction         next;
  g_autoptr (GPtrArray) allowed = NULL;
  g_autoptr (GString) director = g_string_new (NULL);
  const WhAction *all;
  guint           n_all;
  GtkWidget      *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box))) != NULL)
    gtk_flow_box_remove (self->actions_box, child);
  g_array_set_size (self->offered, 0);

  actor = dup_actor (self, &why);
  if (actor == NULL)
    {
      /* Translators: %s says why nobody can act, e.g. nobody is on duty */
      g_autofree char *text = g_strdup_printf (_ ("No changes can be made: %s"), why);

      gtk_label_set_label (self->actions_hint, text);
      gtk_widget_set_visible (GTK_WIDGET (self->actions_hint), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->actions_box), FALSE);
      return;
    }

  next = wh_action_rules_next_step (incident, major, actor);
  allowed = wh_action_rules_list_allowed (incident, major, actor);
  if (next != WH_N_ACTIONS)
    {
      gtk_flow_box_append (self->actions_box, action_button (self, next, TRUE));
      g_array_append_val (self->offered, next);
    }
  for (guint i = 0; i < allowed->len; i++)
    {
      WhAction action = GPOINTER_TO_INT (g_ptr_array_index (allowed, i));

      if (action == next)
        continue;
      gtk_flow_box_append (self->actions_box, action_button (self, action, FALSE));
      g_array_append_val (self->offered, action);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), self->offered->len > 0);

  if (actor->role != WH_ROLE_DIRECTOR)
    {
      g_autoptr (WhActor) as_director =
        wh_actor_new (actor->id, actor->name, WH_ROLE_DIRECTOR, NULL);

      all = wh_action_rules_get_actions (&n_all);
      for (guint i = 0; i < n_all; i++)
        if (!wh_action_rules_check (incident, major, actor, all[i], NULL, NULL) &&
            wh_action_rules_check (incident, major, as_director, all[i], NULL, NULL))
          g_string_append_printf (director, "%s%s", director->len ? _ (", ") : "",
                                  wh_action_label (all[i]));
    }
  if (director->len > 0)
    {
      /* Translators: %s lists actions, e.g. "Reopen" */
      g_autofree char *text =
        g_strdup_printf (_ ("Only the center director can: %s."), director->str);

      gtk_label_set_label (self->actions_hint, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->actions_hint), director->len > 0);
}

static void
show_error (WhIncidentDetail *self, const GError *error)
{
  g_autofree char *text =
    g_strdup_printf (_ ("The incident could not be read: %s"), error->message);

  gtk_label_set_label (self->title_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->number_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "incident");
}

void
wh_incident_detail_reload (WhIncidentDetail *self)
{
  g_autoptr (WhIncident) incident = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *countdown = NULL;
  g_autofree char *description = NULL;
  WhIncidentStore *store;
  WhDeadlineState  state;
  const char      *css;
  gint64           now;

  g_return_if_fail (WH_IS_INCIDENT_DETAIL (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->n_events = 0;
  self->n_units = 0;
  g_array_set_size (self->offered, 0);
  if (self->context == NULL || self->incident_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  store = wh_context_get_incident_store (self->context);
  now = wh_context_get_now (self->context);
  if (!(incident = wh_incident_store_get (store, self->incident_id, &error)) ||
      !(events = wh_incident_store_list_events (store, self->incident_id, &error)))
    {
      show_error (self, error);
      return;
    }

  gtk_label_set_label (self->title_label, incident->title);
  gtk_label_set_label (self->number_label, incident->number);
  gtk_widget_set_visible (GTK_WIDGET (self->number_label), TRUE);

  gtk_label_set_label (self->status_label, wh_status_label (incident->status));
  for (WhStatusGroup g = 0; g < WH_N_STATUS_GROUPS; g++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), wh_status_group_css_class (g));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label),
                            wh_status_group_css_class (wh_status_group (incident->status)));

  countdown = wh_format_countdown (wh_incident_time_left (incident, now), &state);
  gtk_label_set_label (self->deadline_label, state == WH_DEADLINE_NONE ? "" : countdown);
  for (WhDeadlineState s = WH_DEADLINE_NORMAL; s <= WH_DEADLINE_OVERDUE; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->deadline_label), wh_deadline_css_class (s));
  if ((css = wh_deadline_css_class (state)) != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->deadline_label), css);

  fill_actions (self, incident);
  fill_fields (self, incident, events);

  gtk_label_set_label (self->description_label, incident->description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          incident->description != NULL && *incident->description != '\0');

  fill_units (self, incident, now);

  g_ptr_array_set_size (self->rows, 0);
  clear_container (GTK_WIDGET (self->timeline_list));
  for (guint i = 0; i < events->len; i++)
    {
      WhTimelineRow *row = wh_timeline_row_new (self->context, g_ptr_array_index (events, i));

      gtk_list_box_append (self->timeline_list, GTK_WIDGET (row));
      g_ptr_array_add (self->rows, row);
      self->n_events++;
    }

  gtk_stack_set_visible_child_name (self->stack, "incident");
}

static gboolean
reload_idle (gpointer data)
{
  WhIncidentDetail *self = data;

  self->reload_id = 0;
  wh_incident_detail_reload (self);
  return G_SOURCE_REMOVE;
}

/* A change of the shown incident (made here, or brought by a sync) shows at once, with the
 * actions it now allows; several changes in a row are read once. */
static void
on_store_changed (WhIncidentStore *store, const char *incident_id, WhIncidentDetail *self)
{
  if (self->incident_id == NULL || self->reload_id != 0)
    return;
  self->reload_id = g_idle_add (reload_idle, self);
}

static void
follow_store (WhIncidentDetail *self, WhIncidentStore *store)
{
  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);
}

void
wh_incident_detail_show (WhIncidentDetail *self, WhContext *context, const char *incident_id)
{
  g_return_if_fail (WH_IS_INCIDENT_DETAIL (self));

  g_set_object (&self->context, context);
  follow_store (self, context ? wh_context_get_incident_store (context) : NULL);
  if (g_strcmp0 (self->incident_id, incident_id) != 0)
    {
      g_free (self->incident_id);
      self->incident_id = g_strdup (incident_id);
      self->phone_shown = FALSE;
      /* A new incident starts at its top. */
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled), 0);
    }
  wh_incident_detail_reload (self);
}

const char *
wh_incident_detail_get_incident_id (WhIncidentDetail *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_DETAIL (self), NULL);
  return self->incident_id;
}

guint
wh_incident_detail_get_n_events (WhIncidentDetail *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_DETAIL (self), 0);
  return self->n_events;
}

guint
wh_incident_detail_get_n_units (WhIncidentDetail *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_DETAIL (self), 0);
  return self->n_units;
}

guint
wh_incident_detail_get_n_actions (WhIncidentDetail *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_DETAIL (self), 0);
  return self->offered->len;
}

WhAction
wh_incident_detail_get_action (WhIncidentDetail *self, guint index)
{
  g_return_val_if_fail (WH_IS_INCIDENT_DETAIL (self), WH_N_ACTIONS);
  g_return_val_if_fail (index < self->offered->len, WH_N_ACTIONS);
  return g_array_index (self->offered, WhAction, index);
}

gboolean
wh_incident_detail_offers (WhIncidentDetail *self, WhAction action)
{
  g_return_val_if_fail (WH_IS_INCIDENT_DETAIL (self), FALSE);
  for (guint i = 0; i < self->offered->len; i++)
    if (g_array_index (self->offered, WhAction, i) == action)
      return TRUE;
  return FALSE;
}

WhTimelineRow *
wh_incident_detail_get_timeline_row (WhIncidentDetail *self, guint index)
{
  g_return_val_if_fail (WH_IS_INCIDENT_DETAIL (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, index);
}

static void
wh_incident_detail_dispose (GObject *object)
{
  WhIncidentDetail *self = WH_INCIDENT_DETAIL (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  follow_store (self, NULL);
  g_ptr_array_set_size (self->rows, 0);
  g_clear_object (&self->context);
  /* Unset the bin's child first: gtk_widget_dispose_template() would unparent it
   * behind AdwBin's back when it is a bound template child, leaving AdwBin a
   * dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_INCIDENT_DETAIL);

  G_OBJECT_CLASS (wh_incident_detail_parent_class)->dispose (object);
}

static void
wh_incident_detail_finalize (GObject *object)
{
  WhIncidentDetail *self = WH_INCIDENT_DETAIL (object);

  g_free (self->incident_id);
  g_array_unref (self->offered);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (wh_incident_detail_parent_class)->finalize (object);
}

static void
wh_incident_detail_class_init (WhIncidentDetailClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_incident_detail_dispose;
  object_class->finalize = wh_incident_detail_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-incident-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, number_label);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, actions_box);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, actions_hint);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, fields_grid);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, description_label);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, units_list);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, WhIncidentDetail, scrolled);
}

static void
wh_incident_detail_init (WhIncidentDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->offered = g_array_new (FALSE, FALSE, sizeof (WhAction));
  self->rows = g_ptr_array_new ();
}
