/* wh-incident-list-model.c — a lazy GListModel of incidents, read a page at a time */
#include "config.h"

#include "wh-incident-list-model.h"
#include "wh-incident-row.h"

struct _WhIncidentListModel
{
  GObject          parent_instance;
  WhIncidentStore *store;
  WhIncidentQuery  query;
  GPtrArray       *strings; /* owned copies of the query's strings */
  guint            n_items;  /* what the views were told */
  guint            n_listed; /* what the query counts: more while a growth waits */
  GHashTable      *pages; /* page index → GPtrArray of WhIncident */
  GQueue           lru;   /* page indexes, most recently used first */
  GHashTable      *rows;  /* position → the WhIncidentRow a view holds there (not owned) */
  guint            shown_first, shown_n; /* the rows a person sees; none known when 0 */
  gboolean         stale;    /* held rows out of sight still show the list before a reload */
  GError          *error;
  guint            n_fetches;
  guint            reload_idle;
};

enum {
  ROWS_LOADED,
  RELOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WhIncidentListModel,
                               wh_incident_list_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return WH_TYPE_INCIDENT_ROW;
}

static guint
get_n_items (GListModel *model)
{
  return WH_INCIDENT_LIST_MODEL (model)->n_items;
}

static void
touch_page (WhIncidentListModel *self, guint page)
{
  GList *link = g_queue_find (&self->lru, GUINT_TO_POINTER (page));

  if (link != NULL)
    g_queue_unlink (&self->lru, link);
  else
    link = g_list_alloc ();
  link->data = GUINT_TO_POINTER (page);
  g_queue_push_head_link (&self->lru, link);

  while (self->lru.length > WH_INCIDENT_LIST_MAX_PAGES)
    {
      guint old = GPOINTER_TO_UINT (g_queue_pop_tail (&self->lru));
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (old));
    }
}

static GPtrArray *
fetch_page (WhIncidentListModel *self, guint page)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows;
  gboolean   fetched = FALSE;

  rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (rows == NULL)
    {
      self->n_fetches++;
      rows = wh_incident_store_list (self->store, &self->query, page * WH_INCIDENT_LIST_PAGE_SIZE,
                                     WH_INCIDENT_LIST_PAGE_SIZE, &error);
      if (rows == NULL)
        {
          g_warning ("Could not read incidents: %s", error->message);
          g_clear_error (&self->error);
          self->error = g_steal_pointer (&error);
          return NULL;
        }
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
      fetched = TRUE;
    }
  touch_page (self, page);

  if (fetched && rows->len > 0)
    g_signal_emit (self, signals[ROWS_LOADED], 0, page * WH_INCIDENT_LIST_PAGE_SIZE, rows->len);

  return rows;
}

static void
reload_in_idle (gpointer data)
{
  WhIncidentListModel *self = data;

  self->reload_idle = 0;
  wh_incident_list_model_reload (self);
}

/* Returns: (transfer full): the incident at @position < n_items */
static WhIncident *
incident_at (WhIncidentListModel *self, guint position)
{
  guint       page = position / WH_INCIDENT_LIST_PAGE_SIZE;
  guint       index = position % WH_INCIDENT_LIST_PAGE_SIZE;
  GPtrArray  *rows;
  WhIncident *placeholder;

  rows = fetch_page (self, page);
  if (rows != NULL && index < rows->len)
    return g_object_ref (g_ptr_array_index (rows, index));

  /* The store failed, or the rows shrank under us (another writer) before our reload ran:
   * a view asking for a position inside n_items must still get an item, so hand it an
   * empty one and reload, which fixes n_items. */
  placeholder = wh_incident_new ();
  placeholder->title = g_strdup ("");
  if (self->reload_idle == 0)
    self->reload_idle = g_idle_add_once (reload_in_idle, self);
  return placeholder;
}

static gboolean
is_row (gpointer key, gpointer value, gpointer row)
{
  return value == row;
}

static void
on_row_finalized (gpointer data, GObject *where_the_row_was)
{
  WhIncidentListModel *self = data;

  g_hash_table_foreach_remove (self->rows, is_row, where_the_row_was);
}

static void
forget_row (WhIncidentListModel *self, WhIncidentRow *row)
{
  g_object_weak_unref (G_OBJECT (row), on_row_finalized, self);
}

static gpointer
get_item (GListModel *model, guint position)
{
  WhIncidentListModel *self = WH_INCIDENT_LIST_MODEL (model);
  g_autoptr (WhIncident) incident = NULL;
  WhIncidentRow *row;

  if (position >= self->n_items)
    return NULL;

  /* One row per position while a view holds it, so that a reload can change what it
   * shows in place. */
  row = g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position));
  if (row != NULL)
    return g_object_ref (row);

  incident = incident_at (self, position);
  row = wh_incident_row_new (incident);
  g_object_weak_ref (G_OBJECT (row), on_row_finalized, self);
  g_hash_table_insert (self->rows, GUINT_TO_POINTER (position), row);
  return row;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Whether two reads of the same row show the same thing. Every change to an incident is a
 * new timeline event (last_seq) and a new updated_at; a sync may bring a new rev. */
static gboolean
same_row (WhIncident *a, WhIncident *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && a->last_seq == b->last_seq &&
         a->updated_at == b->updated_at && a->rev == b->rev && a->status == b->status;
}

static int
compare_pages (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Reads @n_pages pages from @first in one query: a view holds about two hundred rows
 * (GTK 4.8 keeps that many row widgets), and one sorted read of all their pages costs
 * about what one page costs. */
static void
read_pages (WhIncidentListModel *self, guint first, guint n_pages)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  self->n_fetches++;
  rows = wh_incident_store_list (self->store, &self->query, first * WH_INCIDENT_LIST_PAGE_SIZE,
                                 n_pages * WH_INCIDENT_LIST_PAGE_SIZE, &error);
  if (rows == NULL)
    {
      /* incident_at() tries each page again and reports. */
      g_debug ("Could not read incidents: %s", error->message);
      return;
    }
  for (guint p = 0; p < n_pages; p++)
    {
      guint      start = p * WH_INCIDENT_LIST_PAGE_SIZE;
      GPtrArray *page;

      if (start >= rows->len)
        break;
      page = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = start; i < MIN (rows->len, start + WH_INCIDENT_LIST_PAGE_SIZE); i++)
        g_ptr_array_add (page, g_object_ref (g_ptr_array_index (rows, i)));
      g_hash_table_replace (self->pages, GUINT_TO_POINTER (first + p), page);
      touch_page (self, first + p);
      g_signal_emit (self, signals[ROWS_LOADED], 0, start + first * WH_INCIDENT_LIST_PAGE_SIZE,
                     page->len);
    }
}

/* Rows around the shown ones set at once too: the next a key or the wheel brings in. */
#define SHOWN_MARGIN 10

/* Whether the held row at @position may wait until the shown ones are drawn. */
static gboolean
is_out_of_sight (WhIncidentListModel *self, guint position)
{
  return self->shown_n > 0 && (position + SHOWN_MARGIN < self->shown_first ||
                               position >= self->shown_first + self->shown_n + SHOWN_MARGIN);
}

/* Reads, in as few queries as there are runs of pages, every page a held row needs (only
 * those in sight unless @all). */
static void
read_pages_of_rows (WhIncidentListModel *self, gboolean all)
{
  g_autoptr (GArray) wanted = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer       key;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint position = GPOINTER_TO_UINT (key);
      guint page = position / WH_INCIDENT_LIST_PAGE_SIZE;

      if (position < self->n_items && (all || !is_out_of_sight (self, position)) &&
          !g_hash_table_contains (self->pages, GUINT_TO_POINTER (page)))
        g_array_append_val (wanted, page);
    }
  g_array_sort (wanted, compare_pages);

  for (guint i = 0; i < wanted->len;)
    {
      guint first = g_array_index (wanted, guint, i), last = first;

      while (i < wanted->len && g_array_index (wanted, guint, i) <= last + 1)
        last = g_array_index (wanted, guint, i++);
      /* No more than the model keeps. */
      for (guint p = first; p <= last; p += WH_INCIDENT_LIST_MAX_PAGES / 2)
        read_pages (self, p, MIN (last - p + 1, WH_INCIDENT_LIST_MAX_PAGES / 2));
    }
}

/* Puts into every row a view holds the incident now at its position, and forgets the rows
 * past the end (the views are told they are gone). Only rows whose incident reads
 * differently notify, so a change out of sight touches no widget.
 * GTK 4.8 holds about two hundred rows while a screen shows thirty or forty: unless @all,
 * the rows out of sight keep the old list (stale) until wh_incident_list_model_refresh_stale()
 * brings them up to date, once the new list is on screen. */
static void
update_rows (WhIncidentListModel *self, gboolean all)
{
  g_autoptr (GPtrArray) changed = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer       key, value;

  self->stale = FALSE;
  read_pages_of_rows (self, all);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint          position = GPOINTER_TO_UINT (key);
      WhIncidentRow *row = value;
      WhIncident    *incident;

      if (position >= self->n_items)
        {
          forget_row (self, row);
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (!all && is_out_of_sight (self, position))
        {
          self->stale = TRUE;
          continue;
        }
      incident = incident_at (self, position);
      if (same_row (wh_incident_row_get_incident (row), incident))
        {
          g_object_unref (incident);
          continue;
        }
      g_ptr_array_add (changed, g_object_ref (row));
      g_ptr_array_add (changed, incident);
    }

  /* Once the table is walked: the rows' handlers may ask the model for more rows. */
  for (guint i = 0; i < changed->len; i += 2)
    wh_incident_row_set_incident (g_ptr_array_index (changed, i),
                                  g_ptr_array_index (changed, i + 1));
}

/* After a change in the store, when the count stayed the same: reads the kept pages again
 * and keeps those that read the same, so that most changes (a note, a step of an incident
 * out of sight) cost a few page reads and forget nothing. Returns FALSE when a read failed
 * or the rows shifted across the end of the list (the caller reloads in full). */
static gboolean
refresh_kept_pages (WhIncidentListModel *self)
{
  g_autofree gpointer *keys = NULL;
  guint n_keys;

  keys = g_hash_table_get_keys_as_array (self->pages, &n_keys);
  for (guint k = 0; k < n_keys; k++)
    {
      guint      page = GPOINTER_TO_UINT (keys[k]);
      GPtrArray *old = g_hash_table_lookup (self->pages, keys[k]);
      GPtrArray *fresh;
      gboolean   same;
      g_autoptr (GError) error = NULL;

      self->n_fetches++;
      fresh = wh_incident_store_list (self->store, &self->query, page * WH_INCIDENT_LIST_PAGE_SIZE,
                                      WH_INCIDENT_LIST_PAGE_SIZE, &error);
      if (fresh == NULL)
        return FALSE;
      same = fresh->len == old->len;
      for (guint i = 0; same && i < fresh->len; i++)
        same = same_row (g_ptr_array_index (fresh, i), g_ptr_array_index (old, i));
      if (same)
        {
          g_ptr_array_unref (fresh);
          continue;
        }
      if (fresh->len != old->len)
        {
          g_ptr_array_unref (fresh);
          return FALSE;
        }
      g_hash_table_replace (self->pages, keys[k], fresh);
    }
  return TRUE;
}

static void
on_store_changed (WhIncidentStore *store, const char *incident_id, WhIncidentListModel *self)
{
  g_autoptr (GError) error = NULL;
  guint n;

  /* An op may move an incident into or out of the query, or reorder it: recount, and when
   * the count holds, look again only at what the views show. */
  n = wh_incident_store_count (self->store, &self->query, &error);
  if (error == NULL && n == self->n_listed && self->error == NULL && refresh_kept_pages (self))
    {
      update_rows (self, FALSE);
      g_signal_emit (self, signals[RELOADED], 0);
      return;
    }
  wh_incident_list_model_reload (self);
}

static void
wh_incident_list_model_dispose (GObject *object)
{
  WhIncidentListModel *self = WH_INCIDENT_LIST_MODEL (object);

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  if (self->rows != NULL)
    {
      GHashTableIter iter;
      gpointer       row;

      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, &row))
        forget_row (self, row);
      g_hash_table_remove_all (self->rows);
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (wh_incident_list_model_parent_class)->dispose (object);
}

static void
wh_incident_list_model_finalize (GObject *object)
{
  WhIncidentListModel *self = WH_INCIDENT_LIST_MODEL (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->strings, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (wh_incident_list_model_parent_class)->finalize (object);
}

static void
wh_incident_list_model_class_init (WhIncidentListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_incident_list_model_dispose;
  object_class->finalize = wh_incident_list_model_finalize;

  /**
   * WhIncidentListModel::rows-loaded:
   * @position: the first row read
   * @n_rows: how many were read
   *
   * A page was read from the store (from inside get_item(): only note it).
   */
  signals[ROWS_LOADED] = g_signal_new ("rows-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT,
                                       G_TYPE_UINT);

  /**
   * WhIncidentListModel::reloaded:
   *
   * The list was read again: the rows a view holds show what is now at their positions
   * (a selection by position may now mean other incidents), and "items-changed", if the
   * length changed, has been emitted.
   */
  signals[RELOADED] = g_signal_new ("reloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wh_incident_list_model_init (WhIncidentListModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->rows = g_hash_table_new (NULL, NULL);
  self->strings = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->lru);
  wh_incident_query_init (&self->query);
}

WhIncidentListModel *
wh_incident_list_model_new (WhIncidentStore *store)
{
  WhIncidentListModel *self;

  g_return_val_if_fail (WH_IS_INCIDENT_STORE (store), NULL);

  self = g_object_new (WH_TYPE_INCIDENT_LIST_MODEL, NULL);
  self->store = g_object_ref (store);
  g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);
  wh_incident_list_model_reload (self);

  return self;
}

static const char *
keep_string (GPtrArray *strings, const char *value)
{
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup (value);
  g_ptr_array_add (strings, copy);
  return copy;
}

void
wh_incident_list_model_set_query (WhIncidentListModel *self, const WhIncidentQuery *query)
{
  g_autoptr (GPtrArray) old_strings = NULL;

  g_return_if_fail (WH_IS_INCIDENT_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  /* @query may point into our own copy: keep the old strings until the new ones are
   * made. */
  old_strings = g_steal_pointer (&self->strings);
  self->strings = g_ptr_array_new_with_free_func (g_free);
  self->query = *query;
  self->query.actor_id = keep_string (self->strings, query->actor_id);
  self->query.category_code = keep_string (self->strings, query->category_code);
  self->query.community_id = keep_string (self->strings, query->community_id);
  self->query.grid_id = keep_string (self->strings, query->grid_id);
  self->query.unit_id = keep_string (self->strings, query->unit_id);
  self->query.source = keep_string (self->strings, query->source);
  self->query.search = keep_string (self->strings, query->search);

  wh_incident_list_model_reload (self);
}

const WhIncidentQuery *
wh_incident_list_model_get_query (WhIncidentListModel *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LIST_MODEL (self), NULL);
  return &self->query;
}

void
wh_incident_list_model_reload (WhIncidentListModel *self)
{
  g_autoptr (GError) error = NULL;
  guint old_n, new_n;

  g_return_if_fail (WH_IS_INCIDENT_LIST_MODEL (self));

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  old_n = self->n_items;
  new_n = wh_incident_store_count (self->store, &self->query, &error);
  if (error != NULL)
    {
      g_warning ("Could not count incidents: %s", error->message);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      new_n = 0;
    }
  else
    g_clear_error (&self->error);

  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  self->n_listed = new_n;
  /* A longer list: the views get rows down to the ones in sight now, and the rest once it
   * is drawn (GTK makes the widgets of up to two hundred new rows at once, the costliest
   * part of a reload of a short list). */
  if (new_n > old_n && self->shown_n > 0)
    new_n = MIN (new_n, MAX (old_n, self->shown_first + self->shown_n + SHOWN_MARGIN));
  self->n_items = new_n;
  update_rows (self, FALSE);

  /* The views hear only how the length changed, at the end: the rows they hold now show
   * the new list. (Never "replace all" either: GTK 4.8's list views would look for their
   * old rows among every new one, reading every page of a lazy model.) */
  if (old_n != new_n)
    {
      guint common = MIN (old_n, new_n);

      g_list_model_items_changed (G_LIST_MODEL (self), common, old_n - common, new_n - common);
    }
  g_signal_emit (self, signals[RELOADED], 0);
}

WhIncident *
wh_incident_list_model_dup_incident (WhIncidentListModel *self, guint position)
{
  WhIncidentRow *row;

  g_return_val_if_fail (WH_IS_INCIDENT_LIST_MODEL (self), NULL);

  if (position >= self->n_listed)
    return NULL;
  row = g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position));
  if (row != NULL && !(self->stale && is_out_of_sight (self, position)))
    return g_object_ref (wh_incident_row_get_incident (row));
  return incident_at (self, position);
}

void
wh_incident_list_model_set_shown (WhIncidentListModel *self, guint first, guint n)
{
  g_return_if_fail (WH_IS_INCIDENT_LIST_MODEL (self));

  if (self->stale && (first != self->shown_first || n != self->shown_n))
    /* Rows that waited may come into sight. */
    wh_incident_list_model_refresh_stale (self);
  self->shown_first = first;
  self->shown_n = n;
}

gboolean
wh_incident_list_model_is_stale (WhIncidentListModel *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LIST_MODEL (self), FALSE);
  return self->stale || self->n_items < self->n_listed;
}

void
wh_incident_list_model_refresh_stale (WhIncidentListModel *self)
{
  g_return_if_fail (WH_IS_INCIDENT_LIST_MODEL (self));

  if (self->stale)
    update_rows (self, TRUE);
  if (self->n_items < self->n_listed)
    {
      guint told = self->n_items;

      self->n_items = self->n_listed;
      g_list_model_items_changed (G_LIST_MODEL (self), told, 0, self->n_listed - told);
    }
}

guint
wh_incident_list_model_get_n_listed (WhIncidentListModel *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LIST_MODEL (self), 0);
  return self->n_listed;
}

int
wh_incident_list_model_find_loaded (WhIncidentListModel *self, const char *incident_id)
{
  GHashTableIter iter;
  gpointer       key, value;

  g_return_val_if_fail (WH_IS_INCIDENT_LIST_MODEL (self), -1);

  if (incident_id == NULL)
    return -1;
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *rows = value;

      for (guint i = 0; i < rows->len; i++)
        if (g_strcmp0 (((WhIncident *) g_ptr_array_index (rows, i))->id, incident_id) == 0)
          return GPOINTER_TO_UINT (key) * WH_INCIDENT_LIST_PAGE_SIZE + i;
    }
  return -1;
}

const GError *
wh_incident_list_model_get_error (WhIncidentListModel *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LIST_MODEL (self), NULL);
  return self->error;
}

guint
wh_incident_list_model_get_n_fetches (WhIncidentListModel *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LIST_MODEL (self), 0);
  return self->n_fetches;
}

guint
wh_incident_list_model_get_n_loaded_pages (WhIncidentListModel *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LIST_MODEL (self), 0);
  return g_hash_table_size (self->pages);
}
