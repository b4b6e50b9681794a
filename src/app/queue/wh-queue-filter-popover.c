/* wh-queue-filter-popover.c — the queue's filters */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "wh-format.h"
#include "wh-queue-filter-popover.h"

/* The incident sources the desk knows (incident.source); wh_source_label() names them. */
static const char *const sources[] = { "patrol", "hotline", "video", "walk_in", "community",
                                       "district" };

typedef enum {
  PERIOD_ANY,
  PERIOD_TODAY,
  PERIOD_LAST_7_DAYS,
  PERIOD_LAST_30_DAYS,
  PERIOD_THIS_MONTH,
  PERIOD_CUSTOM,
} Period;

struct _WhQueueFilterPopover
{
  GtkPopover parent_instance;

  /* template children */
  GtkSearchEntry *category_search;
  GtkListBox     *category_list;
  GtkDropDown    *community_drop;
  GtkDropDown    *grid_drop;
  GtkDropDown    *unit_drop;
  GtkDropDown    *source_drop;
  GtkDropDown    *priority_drop;
  GtkDropDown    *period_drop;
  GtkEntry       *from_entry;
  GtkEntry       *to_entry;
  GtkLabel       *date_error;

  WhQueueFilter *filter;
  WhContext     *context;
  gboolean       filled;   /* the lists are read (on first show: the cells count incidents) */
  gboolean       updating; /* widgets are being set from the filter */
  GPtrArray     *community_ids; /* in step with the drop-downs; [0] is NULL: any */
  GPtrArray     *grid_ids;
  GPtrArray     *unit_ids;
  GListModel    *cells;
  char          *category_needle; /* casefolded search text, or NULL */
};

G_DEFINE_FINAL_TYPE (WhQueueFilterPopover, wh_queue_filter_popover, GTK_TYPE_POPOVER)

static GTimeZone *
street_zone (void)
{
  static GTimeZone *tz;

  if (g_once_init_enter (&tz))
    {
      GTimeZone *zone = g_time_zone_new_identifier ("Asia/Shanghai");

      if (zone == NULL) /* no tzdata: China has kept +08:00 all year since 1991 */
        zone = g_time_zone_new_offset (8 * 3600);
      g_once_init_leave (&tz, zone);
    }
  return tz;
}

gboolean
wh_queue_filter_parse_day (const char *text, gint64 *usec)
{
  g_autoptr (GDateTime) dt = NULL;
  int y, m, d;

  /* Exactly YYYY-MM-DD: a date half typed ("2024-5-3") must not count as one, or the
   * filter would jump while the officer is still typing. */
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  if (sscanf (text, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  dt = g_date_time_new (street_zone (), y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  if (usec != NULL)
    *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

char *
wh_queue_filter_format_day (gint64 usec)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (utc, street_zone ());
  return g_date_time_format (local, "%Y-%m-%d");
}

/* Local midnight of the day @days_back days before today, in the street's zone. */
static gint64
midnight (gint64 now, int days_back, gboolean month_start)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, street_zone ());
  g_autoptr (GDateTime) day = NULL;
  g_autoptr (GDateTime) back = NULL;

  day = g_date_time_new (street_zone (), g_date_time_get_year (local),
                         g_date_time_get_month (local),
                         month_start ? 1 : g_date_time_get_day_of_month (local), 0, 0, 0);
  back = g_date_time_add_days (day, -days_back);
  return g_date_time_to_unix (back) * G_USEC_PER_SEC;
}

static void
period_range (Period period, gint64 now, gint64 *from, gint64 *to)
{
  gint64 tomorrow = midnight (now, -1, FALSE);

  *from = 0;
  *to = 0;
  switch (period)
    {
    case PERIOD_TODAY:
      *from = midnight (now, 0, FALSE);
      *to = tomorrow;
      break;
    case PERIOD_LAST_7_DAYS:
      *from = midnight (now, 6, FALSE);
      *to = tomorrow;
      break;
    case PERIOD_LAST_30_DAYS:
      *from = midnight (now, 29, FALSE);
      *to = tomorrow;
      break;
    case PERIOD_THIS_MONTH:
      *from = midnight (now, 0, TRUE);
      *to = tomorrow;
      break;
    case PERIOD_ANY:
    case PERIOD_CUSTOM:
    default:
      break;
    }
}

static Period
range_period (gint64 from, gint64 to, gint64 now)
{
  if (from == 0 && to == 0)
    return PERIOD_ANY;
  for (Period p = PERIOD_TODAY; p < PERIOD_CUSTOM; p++)
    {
      gint64 f, t;

      period_range (p, now, &f, &t);
      if (f == from && t == to)
        return p;
    }
  return PERIOD_CUSTOM;
}

/* Drop-downs of (id, label) */

static guint
index_of (GPtrArray *ids, const char *id)
{
  for (guint i = 1; ids != NULL && id != NULL && i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), id) == 0)
      return i;
  return 0;
}

static const char *
id_at (GPtrArray *ids, guint position)
{
  if (ids == NULL || position == GTK_INVALID_LIST_POSITION || position >= ids->len)
    return NULL;
  return g_ptr_array_index (ids, position);
}

static GPtrArray *
new_ids (void)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (ids, NULL);
  return ids;
}

static void
fill_grid_drop (WhQueueFilterPopover *self)
{
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  const char *community = self->filter ? wh_queue_filter_get_community_id (self->filter) : NULL;

  g_clear_pointer (&self->grid_ids, g_ptr_array_unref);
  self->grid_ids = new_ids ();
  gtk_string_list_append (labels, _ ("Any grid cell"));
  for (guint i = 0; self->cells != NULL && i < g_list_model_get_n_items (self->cells); i++)
    {
      g_autoptr (WhGridCell) cell = g_list_model_get_item (self->cells, i);

      if (community != NULL && g_strcmp0 (cell->community_id, community) != 0)
        continue;
      g_ptr_array_add (self->grid_ids, g_strdup (cell->id));
      gtk_string_list_append (labels, cell->name);
    }
  gtk_drop_down_set_model (self->grid_drop, G_LIST_MODEL (labels));
}

/* Categories */

static GtkWidget *
category_row (const char *code, const char *text, gboolean is_class)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_top (label, 3);
  gtk_widget_set_margin_bottom (label, 3);
  gtk_widget_set_margin_start (label, code == NULL ? 8 : is_class ? 8 : 24);
  gtk_widget_set_margin_end (label, 8);
  if (is_class)
    gtk_widget_add_css_class (label, "heading");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "code", g_strdup (code), g_free);
  /* Searched against: the code and the name, casefolded once. */
  g_object_set_data_full (G_OBJECT (row), "haystack", g_utf8_casefold (text, -1), g_free);
  return row;
}

static gboolean
category_visible (GtkListBoxRow *row, gpointer data)
{
  WhQueueFilterPopover *self = data;
  const char           *haystack = g_object_get_data (G_OBJECT (row), "haystack");

  if (self->category_needle == NULL)
    return TRUE;
  /* "Any category" stays, so a search never leaves the list without a way back. */
  if (g_object_get_data (G_OBJECT (row), "code") == NULL)
    return TRUE;
  return haystack != NULL && strstr (haystack, self->category_needle) != NULL;
}

static void
fill_categories (WhQueueFilterPopover *self)
{
  WhCategoryCatalog *catalog = wh_context_get_catalog (self->context);
  GListModel        *classes = wh_category_catalog_get_classes (catalog);
  GtkWidget         *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->category_list))) != NULL)
    gtk_list_box_remove (self->category_list, child);

  gtk_list_box_append (self->category_list, category_row (NULL, _ ("Any category"), FALSE));
  for (guint i = 0; i < g_list_model_get_n_items (classes); i++)
    {
      g_autoptr (WhCategory) class = g_list_model_get_item (classes, i);
      g_autoptr (GListModel) children = wh_category_catalog_list_children (catalog, class->code);
      g_autofree char *text = g_strdup_printf ("%s  %s", class->code, class->name);

      gtk_list_box_append (self->category_list, category_row (class->code, text, TRUE));
      for (guint j = 0; children != NULL && j < g_list_model_get_n_items (children); j++)
        {
          g_autoptr (WhCategory) c = g_list_model_get_item (children, j);
          g_autofree char *child_text = g_strdup_printf ("%s  %s", c->code, c->name);

          gtk_list_box_append (self->category_list, category_row (c->code, child_text, FALSE));
        }
    }
}

static void
select_category_row (WhQueueFilterPopover *self, const char *code)
{
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->category_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) &&
        g_strcmp0 (g_object_get_data (G_OBJECT (child), "code"), code) == 0)
      {
        gtk_list_box_select_row (self->category_list, GTK_LIST_BOX_ROW (child));
        return;
      }
  gtk_list_box_unselect_all (self->category_list);
}

/* Filter → widgets */

static void
update_from_filter (WhQueueFilterPopover *self)
{
  gint64 from, to;

  if (self->filter == NULL || !self->filled)
    return;

  self->updating = TRUE;
  select_category_row (self, wh_queue_filter_get_category_code (self->filter));
  gtk_drop_down_set_selected (self->community_drop,
                              index_of (self->community_ids,
                                        wh_queue_filter_get_community_id (self->filter)));
  fill_grid_drop (self);
  gtk_drop_down_set_selected (self->grid_drop,
                              index_of (self->grid_ids, wh_queue_filter_get_grid_id (self->filter)));
  gtk_drop_down_set_selected (self->unit_drop,
                              index_of (self->unit_ids, wh_queue_filter_get_unit_id (self->filter)));
  {
    guint source = 0;

    for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
      if (g_strcmp0 (sources[i], wh_queue_filter_get_source (self->filter)) == 0)
        source = i + 1;
    gtk_drop_down_set_selected (self->source_drop, source);
  }
  gtk_drop_down_set_selected (self->priority_drop,
                              MAX (wh_queue_filter_get_priority (self->filter), -1) + 1);

  from = wh_queue_filter_get_reported_from (self->filter);
  to = wh_queue_filter_get_reported_to (self->filter);
  gtk_drop_down_set_selected (self->period_drop, range_period (from, to, g_get_real_time ()));
  {
    g_autofree char *from_text = from != 0 ? wh_queue_filter_format_day (from) : g_strdup ("");
    /* The filter's end is exclusive (the next midnight); people think of the last day. */
    g_autofree char *to_text = to != 0 ? wh_queue_filter_format_day (to - 1) : g_strdup ("");

    gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from_text);
    gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to_text);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->date_error), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
  self->updating = FALSE;
}

/* Widgets → filter */

static void
on_category_activated (WhQueueFilterPopover *self, GtkListBoxRow *row)
{
  if (self->updating || self->filter == NULL || row == NULL)
    return;
  wh_queue_filter_set_category_code (self->filter, g_object_get_data (G_OBJECT (row), "code"));
}

static void
on_category_selected (WhQueueFilterPopover *self, GtkListBoxRow *row)
{
  /* Keyboard moves select too: follow them, so arrows and Enter both work. */
  if (row != NULL)
    on_category_activated (self, row);
}

static void
on_category_search (WhQueueFilterPopover *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->category_search));

  g_clear_pointer (&self->category_needle, g_free);
  if (text != NULL && *text != '\0')
    self->category_needle = g_utf8_casefold (text, -1);
  gtk_list_box_invalidate_filter (self->category_list);
}

/* Enter in the category search picks the first category it shows. */
static void
on_category_search_activate (WhQueueFilterPopover *self)
{
  GtkWidget *child;

  if (self->category_needle == NULL)
    return;
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->category_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_child_visible (child) &&
        g_object_get_data (G_OBJECT (child), "code") != NULL &&
        category_visible (GTK_LIST_BOX_ROW (child), self))
      {
        gtk_list_box_select_row (self->category_list, GTK_LIST_BOX_ROW (child));
        return;
      }
}

static void
on_drop_selected (GtkDropDown *drop, GParamSpec *pspec, WhQueueFilterPopover *self)
{
  guint position = gtk_drop_down_get_selected (drop);

  if (self->updating || self->filter == NULL)
    return;

  if (drop == self->community_drop)
    {
      const char *community = id_at (self->community_ids, position);

      g_object_freeze_notify (G_OBJECT (self->filter));
      /* A cell of another community would list nothing: drop it. */
      if (community != NULL && wh_queue_filter_get_grid_id (self->filter) != NULL &&
          !g_str_has_prefix (wh_queue_filter_get_grid_id (self->filter), community))
        wh_queue_filter_set_grid_id (self->filter, NULL);
      wh_queue_filter_set_community_id (self->filter, community);
      g_object_thaw_notify (G_OBJECT (self->filter));
    }
  else if (drop == self->grid_drop)
    wh_queue_filter_set_grid_id (self->filter, id_at (self->grid_ids, position));
  else if (drop == self->unit_drop)
    wh_queue_filter_set_unit_id (self->filter, id_at (self->unit_ids, position));
  else if (drop == self->source_drop)
    wh_queue_filter_set_source (self->filter, position > 0 && position <= G_N_ELEMENTS (sources)
                                                ? sources[position - 1]
                                                : NULL);
  else if (drop == self->priority_drop)
    wh_queue_filter_set_priority (self->filter, (int) position - 1);
  else if (drop == self->period_drop && position != PERIOD_CUSTOM)
    {
      gint64 from, to;

      period_range (position, g_get_real_time (), &from, &to);
      wh_queue_filter_set_reported_range (self->filter, from, to);
    }
}

/* Reads the two date entries; with @complain, says what is wrong next to them. */
static void
apply_dates (WhQueueFilterPopover *self, gboolean complain)
{
  const char *from_text = gtk_editable_get_text (GTK_EDITABLE (self->from_entry));
  const char *to_text = gtk_editable_get_text (GTK_EDITABLE (self->to_entry));
  gint64      from = 0, to = 0;
  gboolean    from_ok = *from_text == '\0' || wh_queue_filter_parse_day (from_text, &from);
  gboolean    to_ok = *to_text == '\0' || wh_queue_filter_parse_day (to_text, &to);
  const char *problem = NULL;

  if (self->updating || self->filter == NULL)
    return;

  if (to_ok && to != 0)
    to += 24 * G_TIME_SPAN_HOUR; /* through the end of that day (no DST in China) */
  if (!from_ok || !to_ok)
    problem = _ ("Write dates as year-month-day, for example 2024-05-31.");
  else if (from != 0 && to != 0 && from >= to)
    problem = _ ("The first day comes after the last day.");

  if (problem == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->date_error), FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
      wh_queue_filter_set_reported_range (self->filter, from, to);
      return;
    }
  if (!complain)
    return;
  gtk_label_set_label (self->date_error, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->date_error), TRUE);
  if (!from_ok || (from_ok && to_ok))
    gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
  if (!to_ok || (from_ok && to_ok))
    gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
}

static void
on_date_changed (WhQueueFilterPopover *self)
{
  apply_dates (self, FALSE);
}

static void
on_date_activate (WhQueueFilterPopover *self)
{
  apply_dates (self, TRUE);
}

static void
on_date_leave (GtkEventControllerFocus *controller, WhQueueFilterPopover *self)
{
  apply_dates (self, TRUE);
}

static void
on_clear_clicked (WhQueueFilterPopover *self)
{
  if (self->filter != NULL)
    wh_queue_filter_clear_filters (self->filter);
  gtk_editable_set_text (GTK_EDITABLE (self->category_search), "");
}

/* Filling */

static void
fill (WhQueueFilterPopover *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkStringList) communities = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) units = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) source_labels = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) priorities = gtk_string_list_new (NULL);
  g_autoptr (GListModel) community_list = NULL;
  g_autoptr (GListModel) unit_list = NULL;
  WhCategoryCatalog *catalog;

  if (self->filled || self->context == NULL)
    return;
  self->filled = TRUE;
  self->updating = TRUE;

  fill_categories (self);

  g_clear_pointer (&self->community_ids, g_ptr_array_unref);
  self->community_ids = new_ids ();
  gtk_string_list_append (communities, _ ("Any community"));
  community_list = wh_grid_store_list_communities (wh_context_get_grid_store (self->context), &error);
  if (community_list == NULL)
    {
      g_warning ("Could not list the communities: %s", error->message);
      g_clear_error (&error);
    }
  for (guint i = 0; community_list != NULL && i < g_list_model_get_n_items (community_list); i++)
    {
      g_autoptr (WhCommunity) c = g_list_model_get_item (community_list, i);

      g_ptr_array_add (self->community_ids, g_strdup (c->id));
      gtk_string_list_append (communities, c->name);
    }
  gtk_drop_down_set_model (self->community_drop, G_LIST_MODEL (communities));

  g_clear_object (&self->cells);
  self->cells = wh_grid_store_list_cells (wh_context_get_grid_store (self->context), &error);
  if (self->cells == NULL)
    {
      g_warning ("Could not list the grid cells: %s", error->message);
      g_clear_error (&error);
    }
  fill_grid_drop (self);

  g_clear_pointer (&self->unit_ids, g_ptr_array_unref);
  self->unit_ids = new_ids ();
  gtk_string_list_append (units, _ ("Any unit"));
  unit_list = wh_roster_store_list_units (wh_context_get_roster_store (self->context), -1, &error);
  if (unit_list == NULL)
    {
      g_warning ("Could not list the units: %s", error->message);
      g_clear_error (&error);
    }
  for (guint i = 0; unit_list != NULL && i < g_list_model_get_n_items (unit_list); i++)
    {
      g_autoptr (WhUnit) u = g_list_model_get_item (unit_list, i);

      /* Incidents are whistled to member units; communities and the street office are
       * not summoned, and listing them would only offer empty results. */
      if (u->kind != WH_UNIT_KIND_STATIONED && u->kind != WH_UNIT_KIND_LISTED &&
          u->kind != WH_UNIT_KIND_DISTRICT)
        continue;
      g_ptr_array_add (self->unit_ids, g_strdup (u->id));
      gtk_string_list_append (units, u->short_name && *u->short_name ? u->short_name : u->name);
    }
  gtk_drop_down_set_model (self->unit_drop, G_LIST_MODEL (units));

  gtk_string_list_append (source_labels, _ ("Any source"));
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    gtk_string_list_append (source_labels, wh_source_label (sources[i]));
  gtk_drop_down_set_model (self->source_drop, G_LIST_MODEL (source_labels));

  catalog = wh_context_get_catalog (self->context);
  gtk_string_list_append (priorities, _ ("Any priority"));
  for (int level = 0; level <= 2; level++)
    {
      const char *name = wh_category_catalog_get_priority_name (catalog, level);
      g_autofree char *fallback = g_strdup_printf ("%d", level);

      gtk_string_list_append (priorities, name ? name : fallback);
    }
  gtk_drop_down_set_model (self->priority_drop, G_LIST_MODEL (priorities));

  self->updating = FALSE;
  update_from_filter (self);
}

static void
on_show (WhQueueFilterPopover *self)
{
  fill (self);
  update_from_filter (self);
}

static void
on_filter_changed (WhQueueFilterPopover *self)
{
  update_from_filter (self);
}

void
wh_queue_filter_popover_set_filter (WhQueueFilterPopover *self, WhQueueFilter *filter)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER_POPOVER (self));

  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  g_set_object (&self->filter, filter);
  if (filter != NULL)
    g_signal_connect_swapped (filter, "changed", G_CALLBACK (on_filter_changed), self);
  update_from_filter (self);
}

void
wh_queue_filter_popover_set_context (WhQueueFilterPopover *self, WhContext *context)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER_POPOVER (self));

  g_set_object (&self->context, context);
  self->filled = FALSE;
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    on_show (self);
}

guint
wh_queue_filter_popover_count_categories (WhQueueFilterPopover *self, const char *search)
{
  GtkWidget *child;
  guint      n = 0;

  g_return_val_if_fail (WH_IS_QUEUE_FILTER_POPOVER (self), 0);

  fill (self);
  gtk_editable_set_text (GTK_EDITABLE (self->category_search), search ? search : "");
  on_category_search (self); /* not waiting for the entry's delay */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->category_list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_object_get_data (G_OBJECT (child), "code") != NULL &&
        category_visible (GTK_LIST_BOX_ROW (child), self))
      n++;
  return n;
}

static void
wh_queue_filter_popover_dispose (GObject *object)
{
  WhQueueFilterPopover *self = WH_QUEUE_FILTER_POPOVER (object);

  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  g_clear_object (&self->filter);
  g_clear_object (&self->context);
  g_clear_object (&self->cells);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_QUEUE_FILTER_POPOVER);

  G_OBJECT_CLASS (wh_queue_filter_popover_parent_class)->dispose (object);
}

static void
wh_queue_filter_popover_finalize (GObject *object)
{
  WhQueueFilterPopover *self = WH_QUEUE_FILTER_POPOVER (object);

  g_clear_pointer (&self->community_ids, g_ptr_array_unref);
  g_clear_pointer (&self->grid_ids, g_ptr_array_unref);
  g_clear_pointer (&self->unit_ids, g_ptr_array_unref);
  g_free (self->category_needle);

  G_OBJECT_CLASS (wh_queue_filter_popover_parent_class)->finalize (object);
}

static void
wh_queue_filter_popover_class_init (WhQueueFilterPopoverClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_queue_filter_popover_dispose;
  object_class->finalize = wh_queue_filter_popover_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-queue-filter-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, category_search);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, category_list);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, community_drop);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, grid_drop);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, unit_drop);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, source_drop);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, priority_drop);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, period_drop);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, from_entry);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, to_entry);
  gtk_widget_class_bind_template_child (widget_class, WhQueueFilterPopover, date_error);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
}

static void
wh_queue_filter_popover_init (WhQueueFilterPopover *self)
{
  g_autoptr (GtkStringList) periods = NULL;
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  periods = gtk_string_list_new ((const char *const[]){ _ ("Any time"), _ ("Today"),
                                                         _ ("Last 7 days"), _ ("Last 30 days"),
                                                         _ ("This month"), _ ("Custom dates"),
                                                         NULL });
  gtk_drop_down_set_model (self->period_drop, G_LIST_MODEL (periods));

  /* The cell list is long: type to find a cell by name. */
  gtk_drop_down_set_expression (self->grid_drop,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                             "string"));

  gtk_list_box_set_filter_func (self->category_list, category_visible, self, NULL);
  g_signal_connect_swapped (self->category_list, "row-activated",
                            G_CALLBACK (on_category_activated), self);
  g_signal_connect_swapped (self->category_list, "row-selected",
                            G_CALLBACK (on_category_selected), self);
  g_signal_connect_swapped (self->category_search, "search-changed",
                            G_CALLBACK (on_category_search), self);
  g_signal_connect_swapped (self->category_search, "activate",
                            G_CALLBACK (on_category_search_activate), self);

  g_signal_connect (self->community_drop, "notify::selected", G_CALLBACK (on_drop_selected), self);
  g_signal_connect (self->grid_drop, "notify::selected", G_CALLBACK (on_drop_selected), self);
  g_signal_connect (self->unit_drop, "notify::selected", G_CALLBACK (on_drop_selected), self);
  g_signal_connect (self->source_drop, "notify::selected", G_CALLBACK (on_drop_selected), self);
  g_signal_connect (self->priority_drop, "notify::selected", G_CALLBACK (on_drop_selected), self);
  g_signal_connect (self->period_drop, "notify::selected", G_CALLBACK (on_drop_selected), self);

  g_signal_connect_swapped (self->from_entry, "changed", G_CALLBACK (on_date_changed), self);
  g_signal_connect_swapped (self->to_entry, "changed", G_CALLBACK (on_date_changed), self);
  g_signal_connect_swapped (self->from_entry, "activate", G_CALLBACK (on_date_activate), self);
  g_signal_connect_swapped (self->to_entry, "activate", G_CALLBACK (on_date_activate), self);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_date_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->from_entry), focus);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_date_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->to_entry), focus);

  g_signal_connect_swapped (self, "show", G_CALLBACK (on_show), self);
}
