/* wh-category-catalog.c — the category catalogue and the priorities, in memory */
#include "config.h"

#include "wh-category-catalog.h"

typedef struct
{
  char  *name;
  double factor;
} Priority;

struct _WhCategoryCatalog
{
  GObject     parent_instance;
  WhDb       *db;
  gboolean    loaded;
  GHashTable *by_code; /* code → WhCategory */
  GListStore *classes;
  GPtrArray  *all;        /* of WhCategory, by code */
  GHashTable *priorities; /* level → Priority */
};

G_DEFINE_FINAL_TYPE (WhCategoryCatalog, wh_category_catalog, G_TYPE_OBJECT)

static void
priority_free (gpointer data)
{
  Priority *p = data;

  g_free (p->name);
  g_free (p);
}

static void
wh_category_catalog_finalize (GObject *object)
{
  WhCategoryCatalog *self = WH_CATEGORY_CATALOG (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_object (&self->classes);
  g_clear_pointer (&self->all, g_ptr_array_unref);
  g_clear_pointer (&self->priorities, g_hash_table_unref);

  G_OBJECT_CLASS (wh_category_catalog_parent_class)->finalize (object);
}

static void
wh_category_catalog_class_init (WhCategoryCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_category_catalog_finalize;
}

static void
wh_category_catalog_init (WhCategoryCatalog *self)
{
  self->by_code = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->classes = g_list_store_new (WH_TYPE_CATEGORY);
  self->all = g_ptr_array_new_with_free_func (g_object_unref);
  self->priorities = g_hash_table_new_full (NULL, NULL, NULL, priority_free);
}

WhCategoryCatalog *
wh_category_catalog_new (WhDb *db)
{
  WhCategoryCatalog *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_CATEGORY_CATALOG, NULL);
  self->db = g_object_ref (db);
  return self;
}

gboolean
wh_category_catalog_load (WhCategoryCatalog *self, GError **error)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) priorities = g_hash_table_new_full (NULL, NULL, NULL, priority_free);
  g_autoptr (GPtrArray) classes = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (WH_IS_CATEGORY_CATALOG (self), FALSE);

  stmt = wh_db_prepare (self->db,
                        "SELECT code, parent_code, name, kind, default_lead_unit, "
                        "       response_minutes, handling_minutes, working_hours, major "
                        "FROM category ORDER BY code",
                        error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WhCategory *c = wh_category_new ();

      c->code = wh_db_column_dup_text (stmt, 0);
      c->parent_code =
        sqlite3_column_type (stmt, 1) == SQLITE_NULL ? NULL : wh_db_column_dup_text (stmt, 1);
      c->name = wh_db_column_dup_text (stmt, 2);
      c->is_event = g_strcmp0 (wh_db_column_text (stmt, 3), "event") == 0;
      c->default_lead_unit =
        sqlite3_column_type (stmt, 4) == SQLITE_NULL ? NULL : wh_db_column_dup_text (stmt, 4);
      c->response_minutes = sqlite3_column_int (stmt, 5);
      c->handling_minutes = sqlite3_column_int (stmt, 6);
      c->working_hours = sqlite3_column_int (stmt, 7) != 0;
      c->major = sqlite3_column_int (stmt, 8) != 0;
      g_ptr_array_add (all, c);
      if (c->parent_code == NULL || *c->parent_code == '\0')
        g_ptr_array_add (classes, c);
    }
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  stmt = wh_db_prepare (self->db, "SELECT level, name, factor FROM priority", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Priority *p = g_new0 (Priority, 1);

      p->name = wh_db_column_dup_text (stmt, 1);
      p->factor = sqlite3_column_double (stmt, 2);
      g_hash_table_replace (priorities, GINT_TO_POINTER (sqlite3_column_int (stmt, 0)), p);
    }
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  /* Everything read: swap it in. */
  g_hash_table_remove_all (self->by_code);
  for (guint i = 0; i < all->len; i++)
    {
      WhCategory *c = g_ptr_array_index (all, i);
      g_hash_table_replace (self->by_code, c->code, g_object_ref (c));
    }
  g_list_store_splice (self->classes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->classes)),
                       classes->pdata, classes->len);
  g_clear_pointer (&self->all, g_ptr_array_unref);
  self->all = g_steal_pointer (&all);
  g_clear_pointer (&self->priorities, g_hash_table_unref);
  self->priorities = g_steal_pointer (&priorities);
  self->loaded = TRUE;

  return TRUE;
}

static void
ensure_loaded (WhCategoryCatalog *self)
{
  g_autoptr (GError) error = NULL;

  if (self->loaded)
    return;
  /* Only try once: a failing lookup on every queue row would flood the log. */
  self->loaded = TRUE;
  if (!wh_category_catalog_load (self, &error))
    g_warning ("Could not read the category catalogue: %s", error->message);
}

GListModel *
wh_category_catalog_get_classes (WhCategoryCatalog *self)
{
  g_return_val_if_fail (WH_IS_CATEGORY_CATALOG (self), NULL);

  ensure_loaded (self);
  return G_LIST_MODEL (self->classes);
}

GListModel *
wh_category_catalog_list_children (WhCategoryCatalog *self, const char *parent_code)
{
  GListStore *children;

  g_return_val_if_fail (WH_IS_CATEGORY_CATALOG (self), NULL);
  g_return_val_if_fail (parent_code != NULL, NULL);

  ensure_loaded (self);
  children = g_list_store_new (WH_TYPE_CATEGORY);
  for (guint i = 0; i < self->all->len; i++)
    {
      WhCategory *c = g_ptr_array_index (self->all, i);

      if (g_strcmp0 (c->parent_code, parent_code) == 0)
        g_list_store_append (children, c);
    }

  return G_LIST_MODEL (children);
}

WhCategory *
wh_category_catalog_lookup (WhCategoryCatalog *self, const char *code)
{
  g_return_val_if_fail (WH_IS_CATEGORY_CATALOG (self), NULL);

  if (code == NULL)
    return NULL;
  ensure_loaded (self);
  return g_hash_table_lookup (self->by_code, code);
}

guint
wh_category_catalog_get_n_categories (WhCategoryCatalog *self)
{
  g_return_val_if_fail (WH_IS_CATEGORY_CATALOG (self), 0);

  ensure_loaded (self);
  return self->all->len;
}

char *
wh_category_catalog_dup_display_name (WhCategoryCatalog *self, const char *code)
{
  WhCategory *c, *parent;

  g_return_val_if_fail (WH_IS_CATEGORY_CATALOG (self), NULL);

  if (code == NULL)
    return g_strdup ("");
  c = wh_category_catalog_lookup (self, code);
  if (c == NULL)
    return g_strdup (code);
  parent = wh_category_catalog_lookup (self, c->parent_code);
  if (parent == NULL)
    return g_strdup (c->name);
  return g_strdup_printf ("%s / %s", parent->name, c->name);
}

const char *
wh_category_catalog_get_priority_name (WhCategoryCatalog *self, int level)
{
  Priority *p;

  g_return_val_if_fail (WH_IS_CATEGORY_CATALOG (self), NULL);

  ensure_loaded (self);
  p = g_hash_table_lookup (self->priorities, GINT_TO_POINTER (level));
  return p ? p->name : NULL;
}

double
wh_category_catalog_get_priority_factor (WhCategoryCatalog *self, int level)
{
  Priority *p;

  g_return_val_if_fail (WH_IS_CATEGORY_CATALOG (self), 1.0);

  ensure_loaded (self);
  p = g_hash_table_lookup (self->priorities, GINT_TO_POINTER (level));
  return p ? p->factor : 1.0;
}
