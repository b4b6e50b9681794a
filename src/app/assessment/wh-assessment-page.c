/* wh-assessment-page.c — the Assessment page: the monthly summary per unit */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "wh-assessment-page.h"

typedef enum {
  COLUMN_UNIT,
  COLUMN_WHISTLED,
  COLUMN_REPORTED_IN_ON_TIME,
  COLUMN_RESOLVED_ON_TIME,
  COLUMN_OVERDUE,
  COLUMN_RETURNED,
  COLUMN_REWORKED,
  COLUMN_SATISFACTION,
  COLUMN_CHECKS,
  N_COLUMNS
} Column;

struct _WhAssessmentPage
{
  AdwBin parent_instance;

  /* template children */
  GtkLabel      *month_label;
  GtkLabel      *summary_label;
  GtkColumnView *column_view;

  WhContext        *context;
  int               year;
  int               month;
  GListStore       *rows;
  GtkSortListModel *sorted;
  guint             reload_idle;
  gboolean          stale;       /* figures to compute when the page is next shown */
};

G_DEFINE_FINAL_TYPE (WhAssessmentPage, wh_assessment_page, ADW_TYPE_BIN)

/* A figure as a sortable number: NAN (no data) sorts below everything. */
static double
column_value (WhUnitFigures *f, Column column)
{
  switch (column)
    {
    case COLUMN_WHISTLED:
      return f->counts[WH_MEASURE_WHISTLED];
    case COLUMN_REPORTED_IN_ON_TIME:
      return wh_unit_figures_ratio (f, WH_MEASURE_REPORTED_IN_ON_TIME, WH_MEASURE_WHISTLED);
    case COLUMN_RESOLVED_ON_TIME:
      return wh_unit_figures_ratio (f, WH_MEASURE_RESOLVED_ON_TIME, WH_MEASURE_LED);
    case COLUMN_OVERDUE:
      return f->counts[WH_MEASURE_OVERDUE_OPEN];
    case COLUMN_RETURNED:
      return f->counts[WH_MEASURE_RETURNED];
    case COLUMN_REWORKED:
      return f->counts[WH_MEASURE_REWORKED];
    case COLUMN_SATISFACTION:
      return wh_unit_figures_ratio (f, WH_MEASURE_SATISFIED, WH_MEASURE_RATED);
    case COLUMN_CHECKS:
      return f->check_average;
    case COLUMN_UNIT:
    case N_COLUMNS:
    default:
      return f->unit_kind * 10000.0 + f->unit_sort_order;
    }
}

static int
compare_rows (gconstpointer a, gconstpointer b, gpointer user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  double x = column_value ((WhUnitFigures *) a, column);
  double y = column_value ((WhUnitFigures *) b, column);

  gboolean no_x = isnan (x), no_y = isnan (y);

  if (no_x || no_y)
    return no_x == no_y ? 0 : (no_x ? -1 : 1);
  return (x > y) - (x < y);
}

static char *
percent_text (double ratio)
{
  if (isnan (ratio))
    return g_strdup ("—");
  return g_strdup_printf ("%.0f%%", ratio * 100);
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  Column     column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == COLUMN_UNIT)
    {
      /* The short name always; the full name after it when the column is wide enough. */
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *full = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_xalign (GTK_LABEL (full), 0);
      gtk_label_set_ellipsize (GTK_LABEL (full), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (full, TRUE);
      gtk_widget_add_css_class (full, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), full);
      gtk_list_item_set_child (item, box);
      return;
    }

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  Column           column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget       *child = gtk_list_item_get_child (item);
  WhUnitFigures   *f = gtk_list_item_get_item (item);
  GtkLabel        *label;
  g_autofree char *text = NULL;
  g_autofree char *pct = NULL;
  g_autofree char *tooltip = NULL;

  if (column == COLUMN_UNIT)
    {
      GtkWidget *full = gtk_widget_get_last_child (child);

      label = GTK_LABEL (gtk_widget_get_first_child (child));
      gtk_label_set_label (label, f->unit_short_name);
      gtk_label_set_label (GTK_LABEL (full), f->unit_name);
      tooltip = g_strdup_printf ("%s\n%s", f->unit_name, wh_unit_kind_label (f->unit_kind));
      gtk_widget_set_tooltip_text (child, tooltip);
      return;
    }

  label = GTK_LABEL (child);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "figure-bad");
  switch (column)
    {
    case COLUMN_WHISTLED:
      text = g_strdup_printf ("%u", f->counts[WH_MEASURE_WHISTLED]);
      break;
    case COLUMN_REPORTED_IN_ON_TIME:
      pct = percent_text (column_value (f, column));
      if (f->counts[WH_MEASURE_WHISTLED] == 0)
        text = g_strdup ("—");
      else
        text = g_strdup_printf ("%u · %s", f->counts[WH_MEASURE_REPORTED_IN_ON_TIME], pct);
      /* Translators: tooltip of a figure: on time, reported in, summoned */
      tooltip = g_strdup_printf (_ ("%u on time of %u reported in; %u summoned"),
                                 f->counts[WH_MEASURE_REPORTED_IN_ON_TIME],
                                 f->counts[WH_MEASURE_REPORTED_IN], f->counts[WH_MEASURE_WHISTLED]);
      break;
    case COLUMN_RESOLVED_ON_TIME:
      pct = percent_text (column_value (f, column));
      if (f->counts[WH_MEASURE_LED] == 0)
        text = g_strdup ("—");
      else
        text = g_strdup_printf ("%u/%u · %s", f->counts[WH_MEASURE_RESOLVED_ON_TIME],
                                f->counts[WH_MEASURE_LED], pct);
      /* Translators: tooltip of a figure: on time, resolved, led */
      tooltip = g_strdup_printf (_ ("%u resolved on time, %u resolved, of %u led"),
                                 f->counts[WH_MEASURE_RESOLVED_ON_TIME],
                                 f->counts[WH_MEASURE_RESOLVED], f->counts[WH_MEASURE_LED]);
      break;
    case COLUMN_OVERDUE:
      text = g_strdup_printf ("%u", f->counts[WH_MEASURE_OVERDUE_OPEN]);
      if (f->counts[WH_MEASURE_OVERDUE_OPEN] > 0)
        gtk_widget_add_css_class (GTK_WIDGET (label), "figure-bad");
      break;
    case COLUMN_RETURNED:
      text = g_strdup_printf ("%u", f->counts[WH_MEASURE_RETURNED]);
      break;
    case COLUMN_REWORKED:
      text = g_strdup_printf ("%u", f->counts[WH_MEASURE_REWORKED]);
      break;
    case COLUMN_SATISFACTION:
      pct = percent_text (column_value (f, column));
      if (isnan (f->rating_average))
        text = g_strdup (pct);
      else
        text = g_strdup_printf ("%s · %.1f★", pct, f->rating_average);
      /* Translators: tooltip: satisfied (4–5) among rated */
      tooltip = g_strdup_printf (_ ("%u of %u ratings were 4 or 5"),
                                 f->counts[WH_MEASURE_SATISFIED], f->counts[WH_MEASURE_RATED]);
      break;
    case COLUMN_CHECKS:
      if (isnan (f->check_average))
        text = g_strdup ("—");
      else
        text = g_strdup_printf ("%.1f", f->check_average);
      tooltip = g_strdup_printf (
        ngettext ("Average of %u daily check", "Average of %u daily checks", f->n_checks),
        f->n_checks);
      break;
    case COLUMN_UNIT:
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip);
}

static GtkColumnViewColumn *
add_column (WhAssessmentPage *self, Column column, const char *title, int width, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkSorter) sorter = NULL;
  GtkColumnViewColumn *col;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);

  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_fixed_width (col, width);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GINT_TO_POINTER (column), NULL));
  gtk_column_view_column_set_sorter (col, sorter);
  gtk_column_view_append_column (self->column_view, col);
  g_object_unref (col); /* the view holds it */

  return col;
}

static void
update_month_label (WhAssessmentPage *self)
{
  g_autoptr (GDateTime) dt = g_date_time_new_local (self->year, self->month, 1, 0, 0, 0);
  /* Translators: the month shown, as a strftime format; in Chinese "%Y年%-m月" */
  g_autofree char *text = g_date_time_format (dt, C_ ("month heading", "%B %Y"));

  gtk_label_set_label (self->month_label, text);
}

void
wh_assessment_page_reload (WhAssessmentPage *self)
{
  g_autoptr (GListModel) figures = NULL;
  g_autoptr (GError) error = NULL;
  WhPeriod period;
  guint    whistled = 0, overdue = 0, n;

  g_return_if_fail (WH_IS_ASSESSMENT_PAGE (self));

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  update_month_label (self);
  /* A month's figures read every incident of the month: with a large cache that is a good
   * part of the desk's start, so a hidden page leaves them until it is shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  g_list_store_remove_all (self->rows);
  if (self->context == NULL)
    return;

  wh_period_init_month (&period, self->year, self->month);
  figures = wh_assessment_store_compute (wh_context_get_assessment_store (self->context), &period,
                                         wh_context_get_now (self->context), &error);
  if (figures == NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_ ("The figures could not be computed: %s"), error->message);
      gtk_label_set_label (self->summary_label, text);
      return;
    }

  n = g_list_model_get_n_items (figures);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (WhUnitFigures) f = g_list_model_get_item (figures, i);

      whistled += f->counts[WH_MEASURE_WHISTLED];
      overdue += f->counts[WH_MEASURE_OVERDUE_OPEN];
      g_list_store_append (self->rows, f);
    }

  {
    g_autofree char *units = g_strdup_printf (ngettext ("%u unit", "%u units", n), n);
    g_autofree char *summons =
      g_strdup_printf (ngettext ("%u summons", "%u summons", whistled), whistled);
    g_autofree char *late =
      g_strdup_printf (ngettext ("%u overdue", "%u overdue", overdue), overdue);
    g_autofree char *text = g_strdup_printf ("%s · %s · %s", units, summons, late);

    gtk_label_set_label (self->summary_label, text);
  }
}

void
wh_assessment_page_set_month (WhAssessmentPage *self, int year, int month)
{
  g_return_if_fail (WH_IS_ASSESSMENT_PAGE (self));

  while (month > 12)
    month -= 12, year++;
  while (month < 1)
    month += 12, year--;
  self->year = year;
  self->month = month;
  wh_assessment_page_reload (self);
}

void
wh_assessment_page_get_period (WhAssessmentPage *self, WhPeriod *period)
{
  g_return_if_fail (WH_IS_ASSESSMENT_PAGE (self));
  wh_period_init_month (period, self->year, self->month);
}

static void
set_this_month (WhAssessmentPage *self)
{
  g_autoptr (GDateTime) now = NULL;

  now = g_date_time_new_from_unix_local (
    (self->context ? wh_context_get_now (self->context) : g_get_real_time ()) / G_USEC_PER_SEC);
  wh_assessment_page_set_month (self, g_date_time_get_year (now), g_date_time_get_month (now));
}

static void
reload_in_idle (gpointer data)
{
  WhAssessmentPage *self = data;

  self->reload_idle = 0;
  wh_assessment_page_reload (self);
}

static void
on_incident_changed (WhIncidentStore *store, const char *incident_id, WhAssessmentPage *self)
{
  if (self->reload_idle == 0)
    self->reload_idle = g_idle_add_once (reload_in_idle, self);
}

void
wh_assessment_page_set_context (WhAssessmentPage *self, WhContext *context)
{
  g_return_if_fail (WH_IS_ASSESSMENT_PAGE (self));

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  g_set_object (&self->context, context);
  if (context != NULL)
    g_signal_connect (wh_context_get_incident_store (context), "changed",
                      G_CALLBACK (on_incident_changed), self);
  if (self->year == 0)
    set_this_month (self);
  else
    wh_assessment_page_reload (self);
}

GListModel *
wh_assessment_page_get_model (WhAssessmentPage *self)
{
  g_return_val_if_fail (WH_IS_ASSESSMENT_PAGE (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

static void
previous_month_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  WhAssessmentPage *self = WH_ASSESSMENT_PAGE (widget);

  wh_assessment_page_set_month (self, self->year, self->month - 1);
}

static void
next_month_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  WhAssessmentPage *self = WH_ASSESSMENT_PAGE (widget);

  wh_assessment_page_set_month (self, self->year, self->month + 1);
}

static void
this_month_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  set_this_month (WH_ASSESSMENT_PAGE (widget));
}

static void
wh_assessment_page_dispose (GObject *object)
{
  WhAssessmentPage *self = WH_ASSESSMENT_PAGE (object);

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (wh_context_get_incident_store (self->context), self);
  /* Unset the bin's child first: gtk_widget_dispose_template() would unparent it
   * behind AdwBin's back when it is a bound template child, leaving AdwBin a
   * dangling pointer. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_ASSESSMENT_PAGE);
  g_clear_object (&self->sorted);
  g_clear_object (&self->rows);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (wh_assessment_page_parent_class)->dispose (object);
}

static void
wh_assessment_page_map (GtkWidget *widget)
{
  WhAssessmentPage *self = WH_ASSESSMENT_PAGE (widget);

  GTK_WIDGET_CLASS (wh_assessment_page_parent_class)->map (widget);
  if (self->stale)
    wh_assessment_page_reload (self);
}

static void
wh_assessment_page_class_init (WhAssessmentPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_assessment_page_dispose;
  widget_class->map = wh_assessment_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-assessment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhAssessmentPage, month_label);
  gtk_widget_class_bind_template_child (widget_class, WhAssessmentPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, WhAssessmentPage, column_view);

  gtk_widget_class_install_action (widget_class, "assessment.previous-month", NULL,
                                   previous_month_action);
  gtk_widget_class_install_action (widget_class, "assessment.next-month", NULL, next_month_action);
  gtk_widget_class_install_action (widget_class, "assessment.this-month", NULL, this_month_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "assessment.previous-month", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "assessment.next-month", NULL);
}

static void
wh_assessment_page_init (WhAssessmentPage *self)
{
  g_autoptr (GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (WH_TYPE_UNIT_FIGURES);
  /* Fixed widths that fit a 1024×768 projector side by side. */
  add_column (self, COLUMN_UNIT, _ ("Unit"), 120, TRUE);
  add_column (self, COLUMN_WHISTLED, _ ("Whistled"), 76, FALSE);
  add_column (self, COLUMN_REPORTED_IN_ON_TIME, _ ("Reported In on Time"), 132, FALSE);
  add_column (self, COLUMN_RESOLVED_ON_TIME, _ ("Resolved on Time"), 140, FALSE);
  add_column (self, COLUMN_OVERDUE, _ ("Overdue"), 72, FALSE);
  add_column (self, COLUMN_RETURNED, _ ("Returns"), 72, FALSE);
  add_column (self, COLUMN_REWORKED, _ ("Reworks"), 72, FALSE);
  add_column (self, COLUMN_SATISFACTION, _ ("Satisfaction"), 116, FALSE);
  add_column (self, COLUMN_CHECKS, _ ("Daily Checks"), 96, FALSE);

  self->sorted =
    gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->rows)),
                             g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}
