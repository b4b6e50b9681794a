/* wh-queue-filter.c — what the queue shows now: view, filters, search and sort */
#include "config.h"

#include "wh-queue-filter.h"

struct _WhQueueFilter
{
  GObject          parent_instance;
  WhIncidentView   view;
  char            *actor_id;
  int              status;
  char            *category_code;
  char            *community_id;
  char            *grid_id;
  char            *unit_id;
  char            *source;
  int              priority;
  gint64           reported_from;
  gint64           reported_to;
  char            *search;
  WhIncidentColumn sort_column;
  gboolean         descending;
};

G_DEFINE_FINAL_TYPE (WhQueueFilter, wh_queue_filter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VIEW,
  PROP_ACTOR_ID,
  PROP_STATUS,
  PROP_CATEGORY_CODE,
  PROP_COMMUNITY_ID,
  PROP_GRID_ID,
  PROP_UNIT_ID,
  PROP_SOURCE,
  PROP_PRIORITY,
  PROP_REPORTED_FROM,
  PROP_REPORTED_TO,
  PROP_SEARCH,
  PROP_SORT_COLUMN,
  PROP_DESCENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Stable nicks: saved views are stored in GSettings and must survive a reordering of the
 * enums. */
static const char *const view_nicks[WH_N_INCIDENT_VIEWS] = {
  [WH_INCIDENT_VIEW_ALL] = "all",
  [WH_INCIDENT_VIEW_OPEN] = "open",
  [WH_INCIDENT_VIEW_AWAITING_WHISTLE] = "awaiting-whistle",
  [WH_INCIDENT_VIEW_AWAITING_REPORT_IN] = "awaiting-report-in",
  [WH_INCIDENT_VIEW_IN_PROGRESS] = "in-progress",
  [WH_INCIDENT_VIEW_AWAITING_VERIFICATION] = "awaiting-verification",
  [WH_INCIDENT_VIEW_OVERDUE] = "overdue",
  [WH_INCIDENT_VIEW_ESCALATED] = "escalated",
  [WH_INCIDENT_VIEW_RETURNED] = "returned",
  [WH_INCIDENT_VIEW_CLOSED_TODAY] = "closed-today",
  [WH_INCIDENT_VIEW_MINE] = "mine",
};

static const char *const column_nicks[WH_N_INCIDENT_COLUMNS] = {
  [WH_INCIDENT_COLUMN_REPORTED] = "reported",
  [WH_INCIDENT_COLUMN_NUMBER] = "number",
  [WH_INCIDENT_COLUMN_PRIORITY] = "priority",
  [WH_INCIDENT_COLUMN_CATEGORY] = "category",
  [WH_INCIDENT_COLUMN_TITLE] = "title",
  [WH_INCIDENT_COLUMN_GRID] = "grid",
  [WH_INCIDENT_COLUMN_LEAD_UNIT] = "lead-unit",
  [WH_INCIDENT_COLUMN_STATUS] = "status",
  [WH_INCIDENT_COLUMN_DEADLINE] = "deadline",
  [WH_INCIDENT_COLUMN_SOURCE] = "source",
  [WH_INCIDENT_COLUMN_UPDATED] = "updated",
};

const char *
wh_queue_filter_view_to_nick (WhIncidentView view)
{
  g_return_val_if_fail (view < WH_N_INCIDENT_VIEWS, NULL);
  return view_nicks[view];
}

int
wh_queue_filter_view_from_nick (const char *nick)
{
  for (int i = 0; nick != NULL && i < WH_N_INCIDENT_VIEWS; i++)
    if (g_strcmp0 (view_nicks[i], nick) == 0)
      return i;
  return -1;
}

const char *
wh_queue_filter_column_to_nick (WhIncidentColumn column)
{
  g_return_val_if_fail (column < WH_N_INCIDENT_COLUMNS, NULL);
  return column_nicks[column];
}

int
wh_queue_filter_column_from_nick (const char *nick)
{
  for (int i = 0; nick != NULL && i < WH_N_INCIDENT_COLUMNS; i++)
    if (g_strcmp0 (column_nicks[i], nick) == 0)
      return i;
  return -1;
}

/* "" and NULL both mean "no filter"; keep NULL so fill_query() hands the store NULL. */
static gboolean
set_string (WhQueueFilter *self, char **field, const char *value, int prop)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static void
set_int (WhQueueFilter *self, int *field, int value, int prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (WhQueueFilter *self, gint64 *field, gint64 value, int prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* GObject calls this once per batch of notifications (once per thaw): the natural place
 * to emit a single "changed" for many property changes. */
static void
wh_queue_filter_dispatch_properties_changed (GObject     *object,
                                             guint        n_pspecs,
                                             GParamSpec **pspecs)
{
  G_OBJECT_CLASS (wh_queue_filter_parent_class)->dispatch_properties_changed (object, n_pspecs, pspecs);
  g_signal_emit (object, signals[CHANGED], 0);
}

static void
wh_queue_filter_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WhQueueFilter *self = WH_QUEUE_FILTER (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_int (value, self->view);
      break;
    case PROP_ACTOR_ID:
      g_value_set_string (value, self->actor_id);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_CATEGORY_CODE:
      g_value_set_string (value, self->category_code);
      break;
    case PROP_COMMUNITY_ID:
      g_value_set_string (value, self->community_id);
      break;
    case PROP_GRID_ID:
      g_value_set_string (value, self->grid_id);
      break;
    case PROP_UNIT_ID:
      g_value_set_string (value, self->unit_id);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;
    case PROP_REPORTED_FROM:
      g_value_set_int64 (value, self->reported_from);
      break;
    case PROP_REPORTED_TO:
      g_value_set_int64 (value, self->reported_to);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_SORT_COLUMN:
      g_value_set_int (value, self->sort_column);
      break;
    case PROP_DESCENDING:
      g_value_set_boolean (value, self->descending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_queue_filter_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  WhQueueFilter *self = WH_QUEUE_FILTER (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      wh_queue_filter_set_view (self, g_value_get_int (value));
      break;
    case PROP_ACTOR_ID:
      wh_queue_filter_set_actor_id (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      wh_queue_filter_set_status (self, g_value_get_int (value));
      break;
    case PROP_CATEGORY_CODE:
      wh_queue_filter_set_category_code (self, g_value_get_string (value));
      break;
    case PROP_COMMUNITY_ID:
      wh_queue_filter_set_community_id (self, g_value_get_string (value));
      break;
    case PROP_GRID_ID:
      wh_queue_filter_set_grid_id (self, g_value_get_string (value));
      break;
    case PROP_UNIT_ID:
      wh_queue_filter_set_unit_id (self, g_value_get_string (value));
      break;
    case PROP_SOURCE:
      wh_queue_filter_set_source (self, g_value_get_string (value));
      break;
    case PROP_PRIORITY:
      wh_queue_filter_set_priority (self, g_value_get_int (value));
      break;
    case PROP_REPORTED_FROM:
      wh_queue_filter_set_reported_range (self, g_value_get_int64 (value), self->reported_to);
      break;
    case PROP_REPORTED_TO:
      wh_queue_filter_set_reported_range (self, self->reported_from, g_value_get_int64 (value));
      break;
    case PROP_SEARCH:
      wh_queue_filter_set_search (self, g_value_get_string (value));
      break;
    case PROP_SORT_COLUMN:
      wh_queue_filter_set_sort (self, g_value_get_int (value), self->descending);
      break;
    case PROP_DESCENDING:
      wh_queue_filter_set_sort (self, self->sort_column, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_queue_filter_finalize (GObject *object)
{
  WhQueueFilter *self = WH_QUEUE_FILTER (object);

  g_free (self->actor_id);
  g_free (self->category_code);
  g_free (self->community_id);
  g_free (self->grid_id);
  g_free (self->unit_id);
  g_free (self->source);
  g_free (self->search);

  G_OBJECT_CLASS (wh_queue_filter_parent_class)->finalize (object);
}

static GParamSpec *
string_pspec (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
wh_queue_filter_class_init (WhQueueFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = wh_queue_filter_get_property;
  object_class->set_property = wh_queue_filter_set_property;
  object_class->finalize = wh_queue_filter_finalize;
  object_class->dispatch_properties_changed = wh_queue_filter_dispatch_properties_changed;

  /* Views and columns are plain ints: the core has no GTypes for its enums. */
  properties[PROP_VIEW] = g_param_spec_int ("view", NULL, NULL, 0, WH_N_INCIDENT_VIEWS - 1,
                                            WH_INCIDENT_VIEW_OPEN, flags);
  properties[PROP_ACTOR_ID] = string_pspec ("actor-id");
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_CATEGORY_CODE] = string_pspec ("category-code");
  properties[PROP_COMMUNITY_ID] = string_pspec ("community-id");
  properties[PROP_GRID_ID] = string_pspec ("grid-id");
  properties[PROP_UNIT_ID] = string_pspec ("unit-id");
  properties[PROP_SOURCE] = string_pspec ("source");
  properties[PROP_PRIORITY] = g_param_spec_int ("priority", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_REPORTED_FROM] = g_param_spec_int64 ("reported-from", NULL, NULL, 0, G_MAXINT64,
                                                       0, flags);
  properties[PROP_REPORTED_TO] = g_param_spec_int64 ("reported-to", NULL, NULL, 0, G_MAXINT64, 0,
                                                     flags);
  properties[PROP_SEARCH] = string_pspec ("search");
  properties[PROP_SORT_COLUMN] = g_param_spec_int ("sort-column", NULL, NULL, 0,
                                                   WH_N_INCIDENT_COLUMNS - 1,
                                                   WH_INCIDENT_COLUMN_REPORTED, flags);
  properties[PROP_DESCENDING] = g_param_spec_boolean ("descending", NULL, NULL, TRUE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WhQueueFilter::changed:
   *
   * Any part of the filter changed (once per batch of property changes).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wh_queue_filter_init (WhQueueFilter *self)
{
  self->view = WH_INCIDENT_VIEW_OPEN;
  self->status = -1;
  self->priority = -1;
  self->sort_column = WH_INCIDENT_COLUMN_REPORTED;
  self->descending = TRUE;
}

WhQueueFilter *
wh_queue_filter_new (void)
{
  return g_object_new (WH_TYPE_QUEUE_FILTER, NULL);
}

void
wh_queue_filter_fill_query (WhQueueFilter *self, WhIncidentQuery *query)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  g_return_if_fail (query != NULL);

  query->view = self->view;
  query->actor_id = self->actor_id;
  query->status = self->status;
  query->category_code = self->category_code;
  query->community_id = self->community_id;
  query->grid_id = self->grid_id;
  query->unit_id = self->unit_id;
  query->source = self->source;
  query->priority = self->priority;
  query->reported_from = self->reported_from;
  query->reported_to = self->reported_to;
  query->search = self->search;
  query->sort_column = self->sort_column;
  query->descending = self->descending;
}

WhIncidentView
wh_queue_filter_get_view (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), WH_INCIDENT_VIEW_OPEN);
  return self->view;
}

void
wh_queue_filter_set_view (WhQueueFilter *self, WhIncidentView view)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  g_return_if_fail (view < WH_N_INCIDENT_VIEWS);
  set_int (self, (int *) &self->view, view, PROP_VIEW);
}

const char *
wh_queue_filter_get_actor_id (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), NULL);
  return self->actor_id;
}

void
wh_queue_filter_set_actor_id (WhQueueFilter *self, const char *actor_id)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  set_string (self, &self->actor_id, actor_id, PROP_ACTOR_ID);
}

int
wh_queue_filter_get_status (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), -1);
  return self->status;
}

void
wh_queue_filter_set_status (WhQueueFilter *self, int status)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  set_int (self, &self->status, MAX (status, -1), PROP_STATUS);
}

const char *
wh_queue_filter_get_category_code (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), NULL);
  return self->category_code;
}

void
wh_queue_filter_set_category_code (WhQueueFilter *self, const char *code)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  set_string (self, &self->category_code, code, PROP_CATEGORY_CODE);
}

const char *
wh_queue_filter_get_community_id (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), NULL);
  return self->community_id;
}

void
wh_queue_filter_set_community_id (WhQueueFilter *self, const char *id)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  set_string (self, &self->community_id, id, PROP_COMMUNITY_ID);
}

const char *
wh_queue_filter_get_grid_id (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), NULL);
  return self->grid_id;
}

void
wh_queue_filter_set_grid_id (WhQueueFilter *self, const char *id)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  set_string (self, &self->grid_id, id, PROP_GRID_ID);
}

const char *
wh_queue_filter_get_unit_id (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), NULL);
  return self->unit_id;
}

void
wh_queue_filter_set_unit_id (WhQueueFilter *self, const char *id)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  set_string (self, &self->unit_id, id, PROP_UNIT_ID);
}

const char *
wh_queue_filter_get_source (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), NULL);
  return self->source;
}

void
wh_queue_filter_set_source (WhQueueFilter *self, const char *source)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  set_string (self, &self->source, source, PROP_SOURCE);
}

int
wh_queue_filter_get_priority (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), -1);
  return self->priority;
}

void
wh_queue_filter_set_priority (WhQueueFilter *self, int priority)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  set_int (self, &self->priority, MAX (priority, -1), PROP_PRIORITY);
}

gint64
wh_queue_filter_get_reported_from (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), 0);
  return self->reported_from;
}

gint64
wh_queue_filter_get_reported_to (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), 0);
  return self->reported_to;
}

void
wh_queue_filter_set_reported_range (WhQueueFilter *self, gint64 from, gint64 to)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int64 (self, &self->reported_from, MAX (from, 0), PROP_REPORTED_FROM);
  set_int64 (self, &self->reported_to, MAX (to, 0), PROP_REPORTED_TO);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
wh_queue_filter_get_search (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), NULL);
  return self->search;
}

void
wh_queue_filter_set_search (WhQueueFilter *self, const char *search)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (WH_IS_QUEUE_FILTER (self));

  /* Leading and trailing blanks find nothing more; they would only cost a reload. */
  if (search != NULL)
    stripped = g_strstrip (g_strdup (search));
  set_string (self, &self->search, stripped, PROP_SEARCH);
}

WhIncidentColumn
wh_queue_filter_get_sort_column (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), WH_INCIDENT_COLUMN_REPORTED);
  return self->sort_column;
}

gboolean
wh_queue_filter_get_descending (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), TRUE);
  return self->descending;
}

void
wh_queue_filter_set_sort (WhQueueFilter *self, WhIncidentColumn column, gboolean descending)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  g_return_if_fail (column < WH_N_INCIDENT_COLUMNS);

  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, (int *) &self->sort_column, column, PROP_SORT_COLUMN);
  set_int (self, &self->descending, !!descending, PROP_DESCENDING);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
wh_queue_filter_has_filters (WhQueueFilter *self)
{
  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), FALSE);

  return self->category_code != NULL || self->community_id != NULL || self->grid_id != NULL
         || self->unit_id != NULL || self->source != NULL || self->status >= 0
         || self->priority >= 0 || self->reported_from != 0 || self->reported_to != 0;
}

void
wh_queue_filter_clear_filters (WhQueueFilter *self)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));

  g_object_freeze_notify (G_OBJECT (self));
  wh_queue_filter_set_status (self, -1);
  wh_queue_filter_set_category_code (self, NULL);
  wh_queue_filter_set_community_id (self, NULL);
  wh_queue_filter_set_grid_id (self, NULL);
  wh_queue_filter_set_unit_id (self, NULL);
  wh_queue_filter_set_source (self, NULL);
  wh_queue_filter_set_priority (self, -1);
  wh_queue_filter_set_reported_range (self, 0, 0);
  g_object_thaw_notify (G_OBJECT (self));
}

void
wh_queue_filter_reset (WhQueueFilter *self)
{
  g_return_if_fail (WH_IS_QUEUE_FILTER (self));

  g_object_freeze_notify (G_OBJECT (self));
  wh_queue_filter_clear_filters (self);
  wh_queue_filter_set_view (self, WH_INCIDENT_VIEW_OPEN);
  wh_queue_filter_set_search (self, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
add_string (GVariantBuilder *builder, const char *key, const char *value)
{
  if (value != NULL)
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (value));
}

GVariant *
wh_queue_filter_save (WhQueueFilter *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (WH_IS_QUEUE_FILTER (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  add_string (&builder, "view", view_nicks[self->view]);
  if (self->status >= 0)
    g_variant_builder_add (&builder, "{sv}", "status", g_variant_new_int32 (self->status));
  add_string (&builder, "category", self->category_code);
  add_string (&builder, "community", self->community_id);
  add_string (&builder, "grid", self->grid_id);
  add_string (&builder, "unit", self->unit_id);
  add_string (&builder, "source", self->source);
  if (self->priority >= 0)
    g_variant_builder_add (&builder, "{sv}", "priority", g_variant_new_int32 (self->priority));
  if (self->reported_from != 0)
    g_variant_builder_add (&builder, "{sv}", "from", g_variant_new_int64 (self->reported_from));
  if (self->reported_to != 0)
    g_variant_builder_add (&builder, "{sv}", "to", g_variant_new_int64 (self->reported_to));
  add_string (&builder, "search", self->search);
  add_string (&builder, "sort", column_nicks[self->sort_column]);
  g_variant_builder_add (&builder, "{sv}", "descending", g_variant_new_boolean (self->descending));

  return g_variant_builder_end (&builder);
}

void
wh_queue_filter_load (WhQueueFilter *self, GVariant *saved)
{
  GVariantDict dict;
  const char  *view = NULL, *sort = NULL;
  const char  *category = NULL, *community = NULL, *grid = NULL, *unit = NULL, *source = NULL;
  const char  *search = NULL;
  gint32       status = -1, priority = -1;
  gint64       from = 0, to = 0;
  gboolean     descending = TRUE;
  int          v, c;

  g_return_if_fail (WH_IS_QUEUE_FILTER (self));
  g_return_if_fail (saved != NULL && g_variant_is_of_type (saved, G_VARIANT_TYPE_VARDICT));

  g_variant_dict_init (&dict, saved);
  g_variant_dict_lookup (&dict, "view", "&s", &view);
  g_variant_dict_lookup (&dict, "status", "i", &status);
  g_variant_dict_lookup (&dict, "category", "&s", &category);
  g_variant_dict_lookup (&dict, "community", "&s", &community);
  g_variant_dict_lookup (&dict, "grid", "&s", &grid);
  g_variant_dict_lookup (&dict, "unit", "&s", &unit);
  g_variant_dict_lookup (&dict, "source", "&s", &source);
  g_variant_dict_lookup (&dict, "priority", "i", &priority);
  g_variant_dict_lookup (&dict, "from", "x", &from);
  g_variant_dict_lookup (&dict, "to", "x", &to);
  g_variant_dict_lookup (&dict, "search", "&s", &search);
  g_variant_dict_lookup (&dict, "sort", "&s", &sort);
  g_variant_dict_lookup (&dict, "descending", "b", &descending);

  /* A view or column this version does not know (saved by a newer desk) falls back to the
   * default rather than to something unrelated. */
  v = wh_queue_filter_view_from_nick (view);
  c = wh_queue_filter_column_from_nick (sort);

  g_object_freeze_notify (G_OBJECT (self));
  wh_queue_filter_set_view (self, v >= 0 ? v : WH_INCIDENT_VIEW_OPEN);
  wh_queue_filter_set_status (self, status);
  wh_queue_filter_set_category_code (self, category);
  wh_queue_filter_set_community_id (self, community);
  wh_queue_filter_set_grid_id (self, grid);
  wh_queue_filter_set_unit_id (self, unit);
  wh_queue_filter_set_source (self, source);
  wh_queue_filter_set_priority (self, priority);
  wh_queue_filter_set_reported_range (self, from, to);
  wh_queue_filter_set_search (self, search);
  wh_queue_filter_set_sort (self, c >= 0 ? c : WH_INCIDENT_COLUMN_REPORTED, descending);
  g_object_thaw_notify (G_OBJECT (self));

  /* The dict holds the strings looked up with "&s": clear it only after the last use. */
  g_variant_dict_clear (&dict);
}
