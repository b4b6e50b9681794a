/* wh-roster-page.c — the Roster page: member units, their people, who is on duty */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-format.h"
#include "wh-roster-page.h"

typedef enum {
  COLUMN_NAME,
  COLUMN_ROLE,
  COLUMN_TITLE,
  COLUMN_PHONE,
  COLUMN_TERM,
  COLUMN_ON_DUTY,
  N_COLUMNS
} Column;

struct _WhRosterPage
{
  AdwBin parent_instance;

  /* template children */
  GtkListBox    *duty_list;
  GtkListBox    *unit_list;
  GtkLabel      *unit_name_label;
  GtkLabel      *unit_meta_label;
  GtkColumnView *staff_view;

  WhContext        *context;
  GListModel       *units;
  GListStore       *staff; /* the selected unit's people */
  GtkSortListModel *sorted_staff;
  guint             n_on_duty;
};

G_DEFINE_FINAL_TYPE (WhRosterPage, wh_roster_page, ADW_TYPE_BIN)

/* Units list */

static GtkWidget *
create_unit_row (gpointer item, gpointer user_data)
{
  WhUnit          *unit = item;
  g_autofree char *sub = NULL;
  g_autofree char *count = NULL;
  GtkWidget       *row, *box, *text, *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);

  label = gtk_label_new (unit->name);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (label, unit->name);
  gtk_box_append (GTK_BOX (text), label);

  if (unit->phone != NULL && *unit->phone != '\0')
    sub = g_strdup_printf ("%s · %s", unit->short_name, unit->phone);
  else
    sub = g_strdup (unit->short_name);
  label = gtk_label_new (sub);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (text), label);

  count = g_strdup_printf ("%u", unit->n_staff);
  label = gtk_label_new (count);
  gtk_widget_set_tooltip_text (label, _ ("People in the unit"));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), label);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static WhUnit *
row_unit (WhRosterPage *self, GtkListBoxRow *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (self->units == NULL || index < 0)
    return NULL;
  return g_list_model_get_item (self->units, index); /* transfer full */
}

static void
unit_header_func (GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
  WhRosterPage *self = user_data;
  g_autoptr (WhUnit) unit = row_unit (self, row);
  g_autoptr (WhUnit) prev = before ? row_unit (self, before) : NULL;
  GtkWidget *header;

  if (unit == NULL || (prev != NULL && prev->kind == unit->kind))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  header = gtk_label_new (wh_unit_kind_label (unit->kind));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, before ? 12 : 6);
  gtk_widget_set_margin_bottom (header, 4);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (row, header);
}

static void
show_unit (WhRosterPage *self, WhUnit *unit)
{
  g_autoptr (GListModel) staff = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) meta = g_string_new (NULL);
  guint n;

  g_list_store_remove_all (self->staff);
  if (unit == NULL || self->context == NULL)
    {
      gtk_label_set_label (self->unit_name_label, _ ("No Unit Selected"));
      gtk_label_set_label (self->unit_meta_label, "");
      return;
    }

  staff = wh_roster_store_list_staff (wh_context_get_roster_store (self->context), unit->id,
                                      wh_context_get_now (self->context), &error);
  if (staff == NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_ ("The people of this unit could not be read: %s"), error->message);
      gtk_label_set_label (self->unit_name_label, unit->name);
      gtk_label_set_label (self->unit_meta_label, text);
      return;
    }
  n = g_list_model_get_n_items (staff);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (WhStaff) person = g_list_model_get_item (staff, i);
      g_list_store_append (self->staff, person);
    }

  gtk_label_set_label (self->unit_name_label, unit->name);
  g_string_append_printf (meta, "%s · %s", unit->short_name, wh_unit_kind_label (unit->kind));
  if (unit->phone && *unit->phone)
    /* Translators: %s is a phone number */
    g_string_append_printf (meta, " · %s", unit->phone);
  if (unit->parent_department && *unit->parent_department)
    /* Translators: %s is the department the unit belongs to (上级部门) */
    g_string_append_printf (meta, " · %s", unit->parent_department);
  g_string_append (meta, " · ");
  g_string_append_printf (meta, ngettext ("%u person", "%u people", n), n);
  gtk_label_set_label (self->unit_meta_label, meta->str);
}

static void
on_unit_selected (GtkListBox *box, GtkListBoxRow *row, WhRosterPage *self)
{
  g_autoptr (WhUnit) unit = row ? row_unit (self, row) : NULL;

  show_unit (self, unit);
}

/* On duty */

static void
fill_duty (WhRosterPage *self)
{
  g_autoptr (GListModel) shifts = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *child;
  gint64     now;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->duty_list))) != NULL)
    gtk_list_box_remove (self->duty_list, child);
  self->n_on_duty = 0;
  if (self->context == NULL)
    return;

  now = wh_context_get_now (self->context);
  shifts =
    wh_roster_store_list_on_duty (wh_context_get_roster_store (self->context), now, -1, &error);
  if (shifts == NULL)
    g_warning ("Could not read the duty shifts: %s", error->message);

  for (guint i = 0; shifts != NULL && i < g_list_model_get_n_items (shifts); i++)
    {
      g_autoptr (WhDutyShift) shift = g_list_model_get_item (shifts, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *until = NULL;
      g_autofree char *until_text = NULL;
      GtkWidget       *row, *suffix;

      if (shift->post == WH_DUTY_POST_UNIT_DUTY)
        continue;

      subtitle = g_strdup_printf ("%s · %s · %s", wh_duty_post_label (shift->post),
                                  shift->unit_short_name ? shift->unit_short_name : "",
                                  shift->staff_phone ? shift->staff_phone : "");
      until = wh_format_time_short (shift->ends_at, now);
      /* Translators: the end of a duty shift, %s is a time */
      until_text = g_strdup_printf (_ ("until %s"), until);

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shift->staff_name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      suffix = gtk_label_new (until_text);
      gtk_widget_add_css_class (suffix, "dim-label");
      gtk_widget_add_css_class (suffix, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
      gtk_list_box_append (self->duty_list, row);
      self->n_on_duty++;
    }

  if (self->n_on_duty == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _ ("No one is on a duty shift now"));
      gtk_list_box_append (self->duty_list, row);
    }
}

/* Staff columns */

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, WhRosterPage *self)
{
  Column           column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkLabel        *label = GTK_LABEL (gtk_list_item_get_child (item));
  WhStaff         *staff = gtk_list_item_get_item (item);
  g_autofree char *owned = NULL;
  const char      *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (label), "on-duty");
  switch (column)
    {
    case COLUMN_NAME:
      text = staff->name;
      break;
    case COLUMN_ROLE:
      text = wh_staff_role_label (staff->role);
      break;
    case COLUMN_TITLE:
      text = staff->title;
      break;
    case COLUMN_PHONE:
      text = staff->phone;
      break;
    case COLUMN_TERM:
      owned = wh_format_term (staff->stationed_since, staff->stationed_until);
      text = owned;
      break;
    case COLUMN_ON_DUTY:
      if (staff->on_duty && self->context != NULL)
        {
          g_autofree char *until =
            wh_format_time_short (staff->duty_ends_at, wh_context_get_now (self->context));
          /* Translators: %s is the time the shift ends */
          owned = g_strdup_printf (_ ("On duty until %s"), until);
          text = owned;
          gtk_widget_add_css_class (GTK_WIDGET (label), "on-duty");
        }
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_label (label, text ? text : "");
}

static int
compare_staff (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const WhStaff *x = a, *y = b;
  Column         column = GPOINTER_TO_INT (user_data);

  switch (column)
    {
    case COLUMN_ROLE:
      return (int) x->role - (int) y->role;
    case COLUMN_ON_DUTY:
      return (int) y->on_duty - (int) x->on_duty;
    case COLUMN_TERM:
      return (x->stationed_since > y->stationed_since) - (x->stationed_since < y->stationed_since);
    case COLUMN_NAME:
    default:
      return g_utf8_collate (x->name ? x->name : "", y->name ? y->name : "");
    }
}

static void
add_column (WhRosterPage *self,
            Column        column,
            const char   *title,
            gboolean      expand,
            gboolean      sortable)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkColumnViewColumn) col = NULL;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);

  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  if (sortable)
    {
      g_autoptr (GtkSorter) sorter =
        GTK_SORTER (gtk_custom_sorter_new (compare_staff, GINT_TO_POINTER (column), NULL));
      gtk_column_view_column_set_sorter (col, sorter);
    }
  gtk_column_view_append_column (self->staff_view, col);
}

/* Public */

void
wh_roster_page_reload (WhRosterPage *self)
{
  g_autoptr (GError) error = NULL;
  GtkListBoxRow *row;

  g_return_if_fail (WH_IS_ROSTER_PAGE (self));

  g_clear_object (&self->units);
  if (self->context != NULL)
    {
      self->units =
        wh_roster_store_list_units (wh_context_get_roster_store (self->context), -1, &error);
      if (self->units == NULL)
        g_warning ("Could not read the units: %s", error->message);
    }
  gtk_list_box_bind_model (self->unit_list, self->units, create_unit_row, self, NULL);
  fill_duty (self);

  /* Selecting emits ::row-selected, which shows the unit. */
  row = gtk_list_box_get_row_at_index (self->unit_list, 0);
  if (row != NULL)
    gtk_list_box_select_row (self->unit_list, row);
  else
    show_unit (self, NULL);
}

void
wh_roster_page_set_context (WhRosterPage *self, WhContext *context)
{
  g_return_if_fail (WH_IS_ROSTER_PAGE (self));

  g_set_object (&self->context, context);
  wh_roster_page_reload (self);
}

GListModel *
wh_roster_page_get_units (WhRosterPage *self)
{
  g_return_val_if_fail (WH_IS_ROSTER_PAGE (self), NULL);
  return self->units;
}

guint
wh_roster_page_get_n_member_units (WhRosterPage *self)
{
  guint n = 0;

  g_return_val_if_fail (WH_IS_ROSTER_PAGE (self), 0);

  for (guint i = 0; self->units != NULL && i < g_list_model_get_n_items (self->units); i++)
    {
      g_autoptr (WhUnit) unit = g_list_model_get_item (self->units, i);

      if (unit->kind == WH_UNIT_KIND_STATIONED || unit->kind == WH_UNIT_KIND_LISTED)
        n++;
    }
  return n;
}

void
wh_roster_page_select_unit (WhRosterPage *self, guint position)
{
  GtkListBoxRow *row;

  g_return_if_fail (WH_IS_ROSTER_PAGE (self));

  row = gtk_list_box_get_row_at_index (self->unit_list, position);
  if (row != NULL)
    gtk_list_box_select_row (self->unit_list, row);
}

GListModel *
wh_roster_page_get_staff (WhRosterPage *self)
{
  g_return_val_if_fail (WH_IS_ROSTER_PAGE (self), NULL);
  return G_LIST_MODEL (self->staff);
}

guint
wh_roster_page_get_n_on_duty (WhRosterPage *self)
{
  g_return_val_if_fail (WH_IS_ROSTER_PAGE (self), 0);
  return self->n_on_duty;
}

static void
wh_roster_page_dispose (GObject *object)
{
  WhRosterPage *self = WH_ROSTER_PAGE (object);

  if (self->unit_list != NULL)
    gtk_list_box_bind_model (self->unit_list, NULL, NULL, NULL, NULL);
  /* Unset the bin's child first: gtk_widget_dispose_template() would unparent it
   * behind AdwBin's back when it is a bound template child, leaving AdwBin a
   * dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_ROSTER_PAGE);
  g_clear_object (&self->units);
  g_clear_object (&self->sorted_staff);
  g_clear_object (&self->staff);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (wh_roster_page_parent_class)->dispose (object);
}

static void
wh_roster_page_class_init (WhRosterPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_roster_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-roster-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhRosterPage, duty_list);
  gtk_widget_class_bind_template_child (widget_class, WhRosterPage, unit_list);
  gtk_widget_class_bind_template_child (widget_class, WhRosterPage, unit_name_label);
  gtk_widget_class_bind_template_child (widget_class, WhRosterPage, unit_meta_label);
  gtk_widget_class_bind_template_child (widget_class, WhRosterPage, staff_view);
}

static void
wh_roster_page_init (WhRosterPage *self)
{
  g_autoptr (GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->staff = g_list_store_new (WH_TYPE_STAFF);
  add_column (self, COLUMN_NAME, _ ("Name"), FALSE, TRUE);
  add_column (self, COLUMN_ROLE, _ ("Role"), FALSE, TRUE);
  add_column (self, COLUMN_TITLE, C_ ("job", "Title"), TRUE, FALSE);
  add_column (self, COLUMN_PHONE, _ ("Phone"), FALSE, FALSE);
  add_column (self, COLUMN_TERM, _ ("Term"), FALSE, TRUE);
  add_column (self, COLUMN_ON_DUTY, _ ("On Duty"), FALSE, TRUE);

  self->sorted_staff =
    gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->staff)),
                             g_object_ref (gtk_column_view_get_sorter (self->staff_view)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted_staff)));
  gtk_column_view_set_model (self->staff_view, GTK_SELECTION_MODEL (selection));

  g_signal_connect (self->unit_list, "row-selected", G_CALLBACK (on_unit_selected), self);
  gtk_list_box_set_header_func (self->unit_list, unit_header_func, self, NULL);
}
