/* wh-incident-list-model.c — a lazy GListModel of incidents, read a page at a time */
#include "config.h"

#include "wh-incident-list-model.h"

struct _WhIncidentListModel
{
  GObject          parent_instance;
  WhIncidentStore *store;
  WhIncidentQuery  query;
  char            *unit_id; /* owned copies of the query's strings */
  char            *grid_id;
  WhIncidentViews *views; /* set while a ready-made view is listed */
  WhIncidentView   view;
  gint64           view_now;
  guint            n_items;
  GHashTable      *pages; /* page index → GPtrArray of WhIncident */
  GQueue           lru;   /* page indexes, most recently used first */
  GError          *error;
  guint            n_fetches;
  guint            reload_idle;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WhIncidentListModel,
                               wh_incident_list_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return WH_TYPE_INCIDENT;
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

  rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (rows == NULL)
    {
      self->n_fetches++;
      if (self->views != NULL)
        rows = wh_incident_views_list (self->views, self->view, self->view_now,
                                       page * WH_INCIDENT_LIST_PAGE_SIZE,
                                       WH_INCIDENT_LIST_PAGE_SIZE, &error);
      else
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
    }
  touch_page (self, page);

  return rows;
}

static void
reload_in_idle (gpointer data)
{
  WhIncidentListModel *self = data;

  self->reload_idle = 0;
  wh_incident_list_model_reload (self);
}

static gpointer
get_item (GListModel *model, guint position)
{
  WhIncidentListModel *self = WH_INCIDENT_LIST_MODEL (model);
  guint                page = position / WH_INCIDENT_LIST_PAGE_SIZE;
  guint                index = position % WH_INCIDENT_LIST_PAGE_SIZE;
  GPtrArray           *rows;
  WhIncident          *placeholder;

  if (position >= self->n_items)
    return NULL;

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

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
on_store_changed (WhIncidentStore *store, const char *incident_id, WhIncidentListModel *self)
{
  /* An op may move an incident into or out of the query, or reorder it: recount. */
  wh_incident_list_model_reload (self);
}

static void
wh_incident_list_model_dispose (GObject *object)
{
  WhIncidentListModel *self = WH_INCIDENT_LIST_MODEL (object);

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->views);

  G_OBJECT_CLASS (wh_incident_list_model_parent_class)->dispose (object);
}

static void
wh_incident_list_model_finalize (GObject *object)
{
  WhIncidentListModel *self = WH_INCIDENT_LIST_MODEL (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_free (self->unit_id);
  g_free (self->grid_id);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (wh_incident_list_model_parent_class)->finalize (object);
}

static void
wh_incident_list_model_class_init (WhIncidentListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_incident_list_model_dispose;
  object_class->finalize = wh_incident_list_model_finalize;
}

static void
wh_incident_list_model_init (WhIncidentListModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
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

void
wh_incident_list_model_set_query (WhIncidentListModel *self, const WhIncidentQuery *query)
{
  g_return_if_fail (WH_IS_INCIDENT_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  g_free (self->unit_id);
  g_free (self->grid_id);
  self->query = *query;
  self->unit_id = g_strdup (query->unit_id);
  self->grid_id = g_strdup (query->grid_id);
  self->query.unit_id = self->unit_id;
  self->query.grid_id = self->grid_id;
  g_clear_object (&self->views);

  wh_incident_list_model_reload (self);
}

void
wh_incident_list_model_set_view (WhIncidentListModel *self,
                                 WhIncidentViews     *views,
                                 WhIncidentView       view)
{
  g_return_if_fail (WH_IS_INCIDENT_LIST_MODEL (self));
  g_return_if_fail (WH_IS_INCIDENT_VIEWS (views));
  g_return_if_fail (view < WH_N_INCIDENT_VIEWS);

  g_set_object (&self->views, views);
  self->view = view;
  wh_incident_list_model_reload (self);
}

int
wh_incident_list_model_get_view (WhIncidentListModel *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_LIST_MODEL (self), -1);
  return self->views != NULL ? (int) self->view : -1;
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
  if (self->views != NULL)
    {
      self->view_now = g_get_real_time ();
      new_n = wh_incident_views_count (self->views, self->view, self->view_now, &error);
    }
  else
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

  /* Two steps, never "replace all": on a replacement GTK 4.8's list views and
   * GtkSingleSelection look for their old rows among all the new ones, which would read
   * every page of a lazy model. */
  if (old_n > 0)
    {
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
    }
  self->n_items = new_n;
  if (new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
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
