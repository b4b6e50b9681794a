/* wh-incident-detail.c — one incident: its fields, summoned units and timeline */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-format.h"
#include "wh-incident-detail.h"

struct _WhIncidentDetail
{
  AdwBin parent_instance;

  /* template children */
  GtkStack          *stack;
  GtkLabel          *title_label;
  GtkLabel          *status_label;
  GtkLabel          *deadline_label;
  GtkLabel          *number_label;
  GtkGrid           *fields_grid;
  GtkLabel          *description_label;
  GtkListBox        *units_list;
  GtkListBox        *timeline_list;
  GtkScrolledWindow *scrolled;

  WhContext *context;
  char      *incident_id;
  guint      n_events;
  guint      n_units;
  guint      n_fields;
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
add_field (WhIncidentDetail *self, const char *key, const char *value)
{
  GtkWidget *k, *v;

  if (value == NULL || *value == '\0')
    return;

  k = gtk_label_new (key);
  gtk_label_set_xalign (GTK_LABEL (k), 0);
  gtk_widget_set_valign (k, GTK_ALIGN_START);
  gtk_widget_add_css_class (k, "dim-label");

  v = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (v), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_widget_set_hexpand (v, TRUE);

  gtk_grid_attach (self->fields_grid, k, 0, self->n_fields, 1, 1);
  gtk_grid_attach (self->fields_grid, v, 1, self->n_fields, 1, 1);
  self->n_fields++;
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
fill_fields (WhIncidentDetail *self, WhIncident *incident)
{
  WhCategoryCatalog *catalog = wh_context_get_catalog (self->context);
  WhCategory        *category = wh_category_catalog_lookup (catalog, incident->category_code);
  g_autofree char   *category_text =
    wh_category_catalog_dup_display_name (catalog, incident->category_code);
  g_autofree char *grid_text = NULL;
  g_autofree char *reporter = NULL;
  g_autofree char *rating = NULL;
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

  grid_name =
    wh_grid_store_lookup_cell_name (wh_context_get_grid_store (self->context), incident->grid_id);
  if (incident->grid_id != NULL)
    grid_text = g_strdup_printf ("%s (%s)", grid_name ? grid_name : "", incident->grid_id);
  add_field (self, _ ("Grid cell"), grid_text);
  if (incident->lead_unit_id != NULL)
    add_field (self, _ ("Lead unit"), unit_label (self, incident->lead_unit_id, TRUE));

  if (incident->reporter_name && *incident->reporter_name)
    reporter = g_strdup_printf ("%s %s", incident->reporter_name,
                                incident->reporter_phone ? incident->reporter_phone : "");
  add_field (self, _ ("Reporter"), reporter);

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

static GtkWidget *
timeline_row (WhIncidentDetail *self, WhIncidentEvent *event, gint64 now)
{
  g_autofree char *when = wh_format_time (event->at);
  g_autofree char *what = NULL;
  g_autoptr (GString) who = g_string_new (event->actor_name);
  GtkWidget *box, *time, *text, *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  time = gtk_label_new (when);
  gtk_label_set_xalign (GTK_LABEL (time), 0);
  gtk_widget_set_valign (time, GTK_ALIGN_START);
  gtk_label_set_wrap (GTK_LABEL (time), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (time), 10);
  gtk_label_set_max_width_chars (GTK_LABEL (time), 10);
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_widget_add_css_class (time, "caption");
  gtk_box_append (GTK_BOX (box), time);

  text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);

  if (event->action == WH_ACTION_REPORT || event->from_status == event->to_status)
    what = g_strdup (wh_action_label (event->action));
  else
    /* Translators: a timeline step: the action, then the status it led to */
    what = g_strdup_printf (_ ("%s → %s"), wh_action_label (event->action),
                            wh_status_label (event->to_status));
  label = gtk_label_new (what);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (text), label);

  if (event->actor_role < WH_N_ROLES && who->len > 0)
    g_string_append_printf (who, " · %s", wh_role_label (event->actor_role));
  if (event->unit_id != NULL)
    g_string_append_printf (who, "%s%s", who->len > 0 ? " · " : "",
                            unit_label (self, event->unit_id, FALSE));
  if (who->len > 0)
    {
      label = gtk_label_new (who->str);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (text), label);
    }

  if (event->note != NULL && *event->note != '\0')
    {
      label = gtk_label_new (event->note);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (text), label);
    }

  return box;
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

  self->n_events = 0;
  self->n_units = 0;
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

  fill_fields (self, incident);

  gtk_label_set_label (self->description_label, incident->description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          incident->description != NULL && *incident->description != '\0');

  fill_units (self, incident, now);

  clear_container (GTK_WIDGET (self->timeline_list));
  for (guint i = 0; i < events->len; i++)
    {
      gtk_list_box_append (self->timeline_list,
                           timeline_row (self, g_ptr_array_index (events, i), now));
      self->n_events++;
    }

  gtk_stack_set_visible_child_name (self->stack, "incident");
}

void
wh_incident_detail_show (WhIncidentDetail *self, WhContext *context, const char *incident_id)
{
  g_return_if_fail (WH_IS_INCIDENT_DETAIL (self));

  g_set_object (&self->context, context);
  if (g_strcmp0 (self->incident_id, incident_id) != 0)
    {
      g_free (self->incident_id);
      self->incident_id = g_strdup (incident_id);
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

static void
wh_incident_detail_dispose (GObject *object)
{
  WhIncidentDetail *self = WH_INCIDENT_DETAIL (object);

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
}
