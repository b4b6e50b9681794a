/* wh-new-incident-dialog.c — register a new incident (Ctrl+N) */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "wh-format.h"
#include "wh-new-incident-dialog-private.h"

#define MAX_TITLE_CHARS 200

static const char *const sources[] = {
  "patrol", "hotline", "video", "walk_in", "community", "district", NULL,
};

G_DEFINE_FINAL_TYPE (WhNewIncidentDialog, wh_new_incident_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CREATED,
  SIGNAL_MERGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

const char *const *
wh_new_incident_dialog_get_sources (void)
{
  return sources;
}

/* Location */

static gboolean
parse_degrees (const char *text, double min, double max, double *value)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char            *end = NULL;

  if (*copy == '\0')
    return FALSE;
  /* A decimal point whatever the locale: coordinates are written the same everywhere. */
  *value = g_ascii_strtod (copy, &end);
  return end != NULL && *end == '\0' && isfinite (*value) && *value >= min && *value <= max;
}

LocationState
wh_new_incident_dialog_read_location (WhNewIncidentDialog *self,
                                      double              *lon,
                                      double              *lat,
                                      const char         **problem)
{
  const char      *lon_text = gtk_editable_get_text (GTK_EDITABLE (self->lon_row));
  const char      *lat_text = gtk_editable_get_text (GTK_EDITABLE (self->lat_row));
  g_autofree char *lon_s = g_strstrip (g_strdup (lon_text));
  g_autofree char *lat_s = g_strstrip (g_strdup (lat_text));

  *problem = NULL;
  if (*lon_s == '\0' && *lat_s == '\0')
    return LOCATION_NONE;
  if (*lon_s == '\0' || *lat_s == '\0')
    {
      *problem = _ ("A location needs both longitude and latitude.");
      return LOCATION_INVALID;
    }
  if (!parse_degrees (lon_s, -180, 180, lon))
    {
      *problem = _ ("The longitude must be a number of degrees between −180 and 180.");
      return LOCATION_INVALID;
    }
  if (!parse_degrees (lat_s, -90, 90, lat))
    {
      *problem = _ ("The latitude must be a number of degrees between −90 and 90.");
      return LOCATION_INVALID;
    }
  return LOCATION_VALID;
}

static void
update_grid (WhNewIncidentDialog *self)
{
  double           lon, lat;
  const char      *problem;
  LocationState    state = wh_new_incident_dialog_read_location (self, &lon, &lat, &problem);
  g_autofree char *text = NULL;

  g_clear_pointer (&self->grid_id, g_free);
  if (state == LOCATION_VALID && self->cells != NULL)
    for (guint i = 0; i < g_list_model_get_n_items (self->cells) && self->grid_id == NULL; i++)
      {
        g_autoptr (WhGridCell) cell = g_list_model_get_item (self->cells, i);

        if (lon >= cell->min_lon && lon <= cell->max_lon && lat >= cell->min_lat &&
            lat <= cell->max_lat && wh_grid_cell_contains (cell, lon, lat))
          {
            self->grid_id = g_strdup (cell->id);
            /* Translators: a grid cell: its name, community and 15-digit code */
            text = g_strdup_printf (_ ("%s, %s (%s)"), cell->name, cell->community_name, cell->id);
          }
      }

  if (state != LOCATION_VALID)
    text = g_strdup (_ ("Found from the location"));
  else if (self->grid_id == NULL)
    text = g_strdup (_ ("Outside the street’s grid cells: check the location"));
  adw_action_row_set_subtitle (self->grid_row, text);
}

static void
on_location_changed (WhNewIncidentDialog *self)
{
  update_grid (self);
  wh_new_incident_dialog_schedule_duplicates (self);
  wh_new_incident_dialog_validate (self);
}

void
wh_new_incident_dialog_set_location (WhNewIncidentDialog *self, double lon, double lat)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (WH_IS_NEW_INCIDENT_DIALOG (self));

  /* Six decimals: about ten centimetres, finer than any click. */
  gtk_editable_set_text (GTK_EDITABLE (self->lon_row),
                         g_ascii_formatd (buffer, sizeof buffer, "%.6f", lon));
  gtk_editable_set_text (GTK_EDITABLE (self->lat_row),
                         g_ascii_formatd (buffer, sizeof buffer, "%.6f", lat));
}

/* Categories */

static gboolean
matches (WhNewIncidentDialog *self,
         WhCategory          *category,
         const char          *folded_query,
         const char          *query)
{
  WhCategory      *parent;
  g_autofree char *name = NULL;
  g_autofree char *parent_name = NULL;

  if (*query == '\0')
    return TRUE;
  if (g_str_has_prefix (category->code, query))
    return TRUE;
  name = g_utf8_casefold (category->name, -1);
  if (strstr (name, folded_query) != NULL)
    return TRUE;
  /* A class name lists its subcategories: "市容" shows every 市容环境 matter. */
  parent =
    wh_category_catalog_lookup (wh_context_get_catalog (self->context), category->parent_code);
  if (parent == NULL)
    return FALSE;
  parent_name = g_utf8_casefold (parent->name, -1);
  return strstr (parent_name, folded_query) != NULL;
}

static void
fill_categories (WhNewIncidentDialog *self)
{
  g_autofree char *query =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->category_entry))));
  g_autofree char   *folded = g_utf8_casefold (query, -1);
  WhCategoryCatalog *catalog = wh_context_get_catalog (self->context);
  GtkWidget         *child;
  GtkListBoxRow     *chosen = NULL;
  guint              shown = 0;

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->category_list))) != NULL)
    gtk_list_box_remove (self->category_list, child);

  for (guint i = 0; i < self->categories->len; i++)
    {
      WhCategory      *category = g_ptr_array_index (self->categories, i);
      WhCategory      *parent;
      GtkWidget       *row;
      g_autofree char *subtitle = NULL;

      if (!matches (self, category, folded, query))
        continue;
      parent = wh_category_catalog_lookup (catalog, category->parent_code);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), category->name);
      subtitle = g_strdup_printf ("%s · %s%s", category->code, parent ? parent->name : "",
                                  category->major ? _ (" · major: needs legal review") : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data_full (G_OBJECT (row), "code", g_strdup (category->code), g_free);
      gtk_list_box_append (self->category_list, row);
      if (g_strcmp0 (category->code, self->category_code) == 0)
        chosen = GTK_LIST_BOX_ROW (row);
      shown++;
    }
  if (shown == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _ ("No category has this code or name"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->category_list, row);
    }
  gtk_list_box_select_row (self->category_list, chosen);
  self->filling = FALSE;
}

static void
set_category (WhNewIncidentDialog *self, const char *code)
{
  WhCategoryCatalog *catalog = wh_context_get_catalog (self->context);

  if (g_strcmp0 (self->category_code, code) == 0)
    return;
  g_free (self->category_code);
  self->category_code = g_strdup (code);
  if (code != NULL)
    {
      g_autofree char *name = wh_category_catalog_dup_display_name (catalog, code);
      /* Translators: the category chosen in the new-incident form */
      g_autofree char *text = g_strdup_printf (_ ("Chosen: %s (%s)"), name, code);

      adw_preferences_group_set_description (self->category_group, text);
    }
  else
    adw_preferences_group_set_description (self->category_group,
                                           _ ("Type a code or a name, then pick the "
                                              "subcategory."));
  wh_new_incident_dialog_schedule_duplicates (self);
  wh_new_incident_dialog_validate (self);
}

static void
on_category_selected (GtkListBox *list, GtkListBoxRow *row, WhNewIncidentDialog *self)
{
  if (self->filling)
    return;
  if (row != NULL)
    set_category (self, g_object_get_data (G_OBJECT (row), "code"));
}

static void
on_category_search (WhNewIncidentDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->category_entry));
  WhCategory *exact = wh_category_catalog_lookup (wh_context_get_catalog (self->context), text);

  fill_categories (self);
  /* A full subcategory code typed is a choice made. */
  if (exact != NULL && exact->parent_code != NULL)
    {
      set_category (self, exact->code);
      fill_categories (self);
    }
}

/* Enter in the search takes the first match. */
static void
on_category_activate (WhNewIncidentDialog *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->category_list, 0);

  if (row != NULL && g_object_get_data (G_OBJECT (row), "code") != NULL)
    {
      gtk_list_box_select_row (self->category_list, row);
      gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
    }
}

static void
load_categories (WhNewIncidentDialog *self)
{
  WhCategoryCatalog *catalog = wh_context_get_catalog (self->context);
  GListModel        *classes = wh_category_catalog_get_classes (catalog);

  for (guint i = 0; i < g_list_model_get_n_items (classes); i++)
    {
      g_autoptr (WhCategory) class = g_list_model_get_item (classes, i);
      g_autoptr (GListModel) children = wh_category_catalog_list_children (catalog, class->code);

      for (guint j = 0; children != NULL && j < g_list_model_get_n_items (children); j++)
        g_ptr_array_add (self->categories, g_list_model_get_item (children, j));
    }
}

/* Validation */

static gboolean
phone_ok (const char *phone)
{
  guint digits = 0;

  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p != ' ' && *p != '-' && *p != '+' && *p != '(' && *p != ')')
        return FALSE;
    }
  return digits >= 5 && digits <= 20;
}

/* The first problem of the form, or NULL; @is_error tells a wrong value (red) from one
 * still missing (a hint). */
static char *
find_problem (WhNewIncidentDialog *self, gboolean *is_error)
{
  g_autofree char *title = wh_form_dup_entry (self->title_row);
  g_autofree char *phone = wh_form_dup_entry (self->reporter_phone_row);
  g_autofree char *description = wh_form_dup_text_view (self->description_view);
  double           lon, lat;
  const char      *problem;
  g_autofree char *reason = NULL;

  *is_error = TRUE;
  if (self->actor == NULL)
    return g_strdup (self->no_actor_reason ? self->no_actor_reason
                                           : _ ("Nobody can register incidents at this desk now."));
  if (!wh_lifecycle_can_report (self->actor->role, &reason))
    return g_steal_pointer (&reason);
  if (wh_new_incident_dialog_read_location (self, &lon, &lat, &problem) == LOCATION_INVALID)
    return g_strdup (problem);
  if (*phone != '\0' && !phone_ok (phone))
    return g_strdup (_ ("The reporter’s phone may hold digits, spaces, “+”, “-” and brackets "
                        "only (5 to 20 digits)."));
  if (g_utf8_strlen (title, -1) > MAX_TITLE_CHARS)
    return g_strdup_printf (_ ("The title is longer than %d characters."), MAX_TITLE_CHARS);
  if (g_utf8_strlen (description, -1) > 10000)
    return g_strdup (_ ("The description is longer than 10,000 characters."));
  *is_error = FALSE;
  if (self->category_code == NULL)
    return g_strdup (_ ("Choose the category: type its code or name above."));
  if (*title == '\0')
    return g_strdup (_ ("Enter a title: what is the matter, in a few words?"));
  return NULL;
}

void
wh_new_incident_dialog_validate (WhNewIncidentDialog *self)
{
  g_autofree char *problem = NULL;
  gboolean         is_error = FALSE;

  if (self->context == NULL)
    return;
  problem = find_problem (self, &is_error);
  wh_form_show_message (self->message_label, &self->message, problem, is_error);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-incident.save", problem == NULL);
}

/* A failure the officer must read: in red where the form's hints go. */
void
wh_new_incident_dialog_show_error (WhNewIncidentDialog *self, const char *text)
{
  wh_form_show_message (self->message_label, &self->message, text, TRUE);
}

/* Save */

gboolean
wh_new_incident_dialog_save (WhNewIncidentDialog *self)
{
  WhIncidentStore *store;
  g_autoptr (WhStreet) street = NULL;
  g_autoptr (WhOp) op = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *problem = NULL;
  gboolean         is_error;
  g_autofree char *number = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = wh_form_dup_entry (self->title_row);
  g_autofree char *description = wh_form_dup_text_view (self->description_view);
  g_autofree char *address = wh_form_dup_entry (self->address_row);
  g_autofree char *name = wh_form_dup_entry (self->reporter_name_row);
  g_autofree char *phone = wh_form_dup_entry (self->reporter_phone_row);
  guint            source = adw_combo_row_get_selected (self->source_row);
  double           lon, lat;
  const char      *location_problem;
  gint64           now;

  g_return_val_if_fail (WH_IS_NEW_INCIDENT_DIALOG (self), FALSE);

  problem = find_problem (self, &is_error);
  if (problem != NULL)
    {
      wh_new_incident_dialog_validate (self);
      return FALSE;
    }

  store = wh_context_get_incident_store (self->context);
  now = wh_context_get_now (self->context);
  street = wh_grid_store_get_street (wh_context_get_grid_store (self->context), &error);
  if (street != NULL)
    number = wh_incident_store_next_number (store, street->id, now, &error);
  if (number != NULL)
    {
      id = wh_uuid_new (NULL);
      op = wh_op_new (WH_ACTION_REPORT, id, self->actor, now);
      wh_op_set_string (op, "number", number);
      wh_op_set_string (op, "street_id", street->id);
      wh_op_set_string (op, "source", sources[MIN (source, G_N_ELEMENTS (sources) - 2)]);
      wh_op_set_string (op, "category_code", self->category_code);
      wh_op_set_string (op, "title", title);
      if (*description != '\0')
        wh_op_set_string (op, "description", description);
      if (*address != '\0')
        wh_op_set_string (op, "address", address);
      if (wh_new_incident_dialog_read_location (self, &lon, &lat, &location_problem) ==
          LOCATION_VALID)
        {
          json_object_set_double_member (op->fields, "lon", lon);
          json_object_set_double_member (op->fields, "lat", lat);
          if (self->grid_id != NULL)
            wh_op_set_string (op, "grid_id", self->grid_id);
        }
      wh_op_set_int (op, "priority", adw_combo_row_get_selected (self->priority_row));
      if (*name != '\0')
        wh_op_set_string (op, "reporter_name", name);
      if (*phone != '\0')
        wh_op_set_string (op, "reporter_phone", phone);
      event = wh_incident_store_apply (store, op, WH_APPLY_RECORD_OUTBOX, &error);
    }
  else if (street == NULL && error == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _ ("The local cache holds no street yet."));

  if (event == NULL)
    {
      /* Translators: %s is why the store refused the new incident */
      g_autofree char *text =
        g_strdup_printf (_ ("The incident could not be saved: %s"), error->message);

      wh_new_incident_dialog_show_error (self, text);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_CREATED], 0, id);
  /* Last: closing may finalize the dialog. */
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  wh_new_incident_dialog_save (WH_NEW_INCIDENT_DIALOG (widget));
}

/* Setup */

WhNewIncidentDialog *
wh_new_incident_dialog_new (GtkWindow     *parent,
                            WhContext     *context,
                            const WhActor *actor,
                            const char    *no_actor_reason)
{
  WhNewIncidentDialog *self;
  WhCategoryCatalog   *catalog;
  g_autoptr (GtkStringList) priorities = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) source_names = gtk_string_list_new (NULL);
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (WH_IS_CONTEXT (context), NULL);

  self = g_object_new (WH_TYPE_NEW_INCIDENT_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->actor = wh_actor_copy (actor);
  self->no_actor_reason = g_strdup (no_actor_reason);
  catalog = wh_context_get_catalog (context);

  if (actor != NULL)
    wh_form_set_actor_subtitle (self->window_title, actor);

  self->cells = wh_grid_store_list_cells (wh_context_get_grid_store (context), &error);
  if (self->cells == NULL)
    g_warning ("Could not read the grid cells: %s", error->message);

  load_categories (self);
  fill_categories (self);

  for (int level = 0; level <= 2; level++)
    {
      const char *name = wh_category_catalog_get_priority_name (catalog, level);

      gtk_string_list_append (priorities, name ? name : "");
    }
  adw_combo_row_set_model (self->priority_row, G_LIST_MODEL (priorities));
  for (guint i = 0; sources[i] != NULL; i++)
    gtk_string_list_append (source_names, wh_source_label (sources[i]));
  adw_combo_row_set_model (self->source_row, G_LIST_MODEL (source_names));

  g_signal_connect_swapped (self->category_entry, "search-changed", G_CALLBACK (on_category_search),
                            self);
  g_signal_connect_swapped (self->category_entry, "activate", G_CALLBACK (on_category_activate),
                            self);
  g_signal_connect (self->category_list, "row-selected", G_CALLBACK (on_category_selected), self);
  g_signal_connect_swapped (self->title_row, "changed",
                            G_CALLBACK (wh_new_incident_dialog_validate), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->description_view), "changed",
                            G_CALLBACK (wh_new_incident_dialog_validate), self);
  g_signal_connect_swapped (self->lon_row, "changed", G_CALLBACK (on_location_changed), self);
  g_signal_connect_swapped (self->lat_row, "changed", G_CALLBACK (on_location_changed), self);
  g_signal_connect_swapped (self->reporter_phone_row, "changed",
                            G_CALLBACK (wh_new_incident_dialog_validate), self);

  update_grid (self);
  wh_new_incident_dialog_validate (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->category_entry));
  return self;
}

gboolean
wh_new_incident_dialog_can_save (WhNewIncidentDialog *self)
{
  g_return_val_if_fail (WH_IS_NEW_INCIDENT_DIALOG (self), FALSE);
  return self->message != NULL && *self->message == '\0';
}

const char *
wh_new_incident_dialog_get_message (WhNewIncidentDialog *self)
{
  g_return_val_if_fail (WH_IS_NEW_INCIDENT_DIALOG (self), NULL);
  return self->message ? self->message : "";
}

const char *
wh_new_incident_dialog_get_category (WhNewIncidentDialog *self)
{
  g_return_val_if_fail (WH_IS_NEW_INCIDENT_DIALOG (self), NULL);
  return self->category_code;
}

const char *
wh_new_incident_dialog_get_grid_id (WhNewIncidentDialog *self)
{
  g_return_val_if_fail (WH_IS_NEW_INCIDENT_DIALOG (self), NULL);
  return self->grid_id;
}

GtkEditable *
wh_new_incident_dialog_get_category_entry (WhNewIncidentDialog *self)
{
  return GTK_EDITABLE (self->category_entry);
}

GtkListBox *
wh_new_incident_dialog_get_category_list (WhNewIncidentDialog *self)
{
  return self->category_list;
}

GtkEditable *
wh_new_incident_dialog_get_title_entry (WhNewIncidentDialog *self)
{
  return GTK_EDITABLE (self->title_row);
}

GtkTextBuffer *
wh_new_incident_dialog_get_description_buffer (WhNewIncidentDialog *self)
{
  return gtk_text_view_get_buffer (self->description_view);
}

GtkEditable *
wh_new_incident_dialog_get_address_entry (WhNewIncidentDialog *self)
{
  return GTK_EDITABLE (self->address_row);
}

GtkEditable *
wh_new_incident_dialog_get_lon_entry (WhNewIncidentDialog *self)
{
  return GTK_EDITABLE (self->lon_row);
}

GtkEditable *
wh_new_incident_dialog_get_lat_entry (WhNewIncidentDialog *self)
{
  return GTK_EDITABLE (self->lat_row);
}

AdwComboRow *
wh_new_incident_dialog_get_priority_row (WhNewIncidentDialog *self)
{
  return self->priority_row;
}

AdwComboRow *
wh_new_incident_dialog_get_source_row (WhNewIncidentDialog *self)
{
  return self->source_row;
}

GtkEditable *
wh_new_incident_dialog_get_reporter_name_entry (WhNewIncidentDialog *self)
{
  return GTK_EDITABLE (self->reporter_name_row);
}

GtkEditable *
wh_new_incident_dialog_get_reporter_phone_entry (WhNewIncidentDialog *self)
{
  return GTK_EDITABLE (self->reporter_phone_row);
}

GtkButton *
wh_new_incident_dialog_get_save_button (WhNewIncidentDialog *self)
{
  return self->save_button;
}

static void
wh_new_incident_dialog_dispose (GObject *object)
{
  WhNewIncidentDialog *self = WH_NEW_INCIDENT_DIALOG (object);

  g_clear_handle_id (&self->duplicate_id, g_source_remove);
  g_ptr_array_set_size (self->duplicate_rows, 0);
  g_ptr_array_set_size (self->merge_buttons, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_NEW_INCIDENT_DIALOG);
  g_clear_object (&self->cells);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (wh_new_incident_dialog_parent_class)->dispose (object);
}

static void
wh_new_incident_dialog_finalize (GObject *object)
{
  WhNewIncidentDialog *self = WH_NEW_INCIDENT_DIALOG (object);

  wh_actor_free (self->actor);
  g_free (self->no_actor_reason);
  g_ptr_array_unref (self->categories);
  g_ptr_array_unref (self->duplicates);
  g_ptr_array_unref (self->duplicate_rows);
  g_ptr_array_unref (self->merge_buttons);
  g_free (self->category_code);
  g_free (self->grid_id);
  g_free (self->message);

  G_OBJECT_CLASS (wh_new_incident_dialog_parent_class)->finalize (object);
}

static void
wh_new_incident_dialog_class_init (WhNewIncidentDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_new_incident_dialog_dispose;
  object_class->finalize = wh_new_incident_dialog_finalize;

  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_MERGED] = g_signal_new ("merged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-new-incident-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, scrolled);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, category_group);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, category_entry);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, category_list);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, description_view);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, lon_row);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, lat_row);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, grid_row);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, duplicates_group);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, priority_row);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, reporter_name_row);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, reporter_phone_row);
  gtk_widget_class_bind_template_child (widget_class, WhNewIncidentDialog, message_label);

  gtk_widget_class_install_action (widget_class, "new-incident.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "new-incident.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "new-incident.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wh_new_incident_dialog_init (WhNewIncidentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->categories = g_ptr_array_new_with_free_func (g_object_unref);
  self->duplicates = g_ptr_array_new_with_free_func (g_object_unref);
  self->duplicate_rows = g_ptr_array_new ();
  self->merge_buttons = g_ptr_array_new ();
}
