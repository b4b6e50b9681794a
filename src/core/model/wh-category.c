/* wh-category.c — one entry of the category catalogue, as a list item */
#include "config.h"

#include "wh-category.h"

G_DEFINE_FINAL_TYPE (WhCategory, wh_category, G_TYPE_OBJECT)

static void
wh_category_finalize (GObject *object)
{
  WhCategory *self = WH_CATEGORY (object);

  g_free (self->code);
  g_free (self->parent_code);
  g_free (self->name);
  g_free (self->default_lead_unit);

  G_OBJECT_CLASS (wh_category_parent_class)->finalize (object);
}

static void
wh_category_class_init (WhCategoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_category_finalize;
}

static void
wh_category_init (WhCategory *self)
{}

WhCategory *
wh_category_new (void)
{
  return g_object_new (WH_TYPE_CATEGORY, NULL);
}
