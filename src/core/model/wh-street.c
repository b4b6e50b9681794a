/* wh-street.c — the street a cache belongs to */
#include "config.h"

#include "wh-street.h"

G_DEFINE_FINAL_TYPE (WhStreet, wh_street, G_TYPE_OBJECT)

static void
wh_street_finalize (GObject *object)
{
  WhStreet *self = WH_STREET (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->district);

  G_OBJECT_CLASS (wh_street_parent_class)->finalize (object);
}

static void
wh_street_class_init (WhStreetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_street_finalize;
}

static void
wh_street_init (WhStreet *self)
{}

WhStreet *
wh_street_new (void)
{
  return g_object_new (WH_TYPE_STREET, NULL);
}
