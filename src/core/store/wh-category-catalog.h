/* wh-category-catalog.h — the two-level category catalogue and the priorities, in memory
 *
 * The catalogue is small (a few dozen codes) and read on every row of the queue, so it is
 * read once and then looked up from memory.
 */
#pragma once

#include <gio/gio.h>

#include "wh-category.h"
#include "wh-db.h"

G_BEGIN_DECLS

#define WH_TYPE_CATEGORY_CATALOG (wh_category_catalog_get_type ())
G_DECLARE_FINAL_TYPE (WhCategoryCatalog, wh_category_catalog, WH, CATEGORY_CATALOG, GObject)

/* Returns: (transfer full): a catalogue of @db, not read yet */
WhCategoryCatalog *wh_category_catalog_new (WhDb *db);

/**
 * wh_category_catalog_load:
 *
 * (Re)reads the categories and priorities. Lookups on a catalogue never loaded load it
 * first; call this to see a failure, or after the catalogue changed.
 *
 * Returns: %TRUE on success; on failure the catalogue keeps what it had
 */
gboolean wh_category_catalog_load (WhCategoryCatalog *self, GError **error);

/* Returns: (transfer none): the classes (first level), by code, as #WhCategory */
GListModel *wh_category_catalog_get_classes (WhCategoryCatalog *self);

/* Returns: (transfer full): the subcategories of @parent_code, by code, as #WhCategory */
GListModel *wh_category_catalog_list_children (WhCategoryCatalog *self, const char *parent_code);

/* Returns: (transfer none) (nullable): the category with @code, of either level */
WhCategory *wh_category_catalog_lookup (WhCategoryCatalog *self, const char *code);

/* The number of categories of both levels. */
guint wh_category_catalog_get_n_categories (WhCategoryCatalog *self);

/**
 * wh_category_catalog_dup_display_name:
 * @code: (nullable): a category code
 *
 * Returns: (transfer full): "class / name" for a subcategory, the name for a class, or
 *   the code itself when it is unknown ("" for %NULL)
 */
char *wh_category_catalog_dup_display_name (WhCategoryCatalog *self, const char *code);

/* Returns: (transfer none) (nullable): the name of priority @level, as the street set it */
const char *wh_category_catalog_get_priority_name (WhCategoryCatalog *self, int level);

/* The factor priority @level applies to time limits (1.0 for an unknown level). */
double wh_category_catalog_get_priority_factor (WhCategoryCatalog *self, int level);

G_END_DECLS
