/* wh-community.c — a community of the street, as a list item */
#include "config.h"

#include "wh-community.h"

G_DEFINE_FINAL_TYPE (WhCommunity, wh_community, G_TYPE_OBJECT)

static void
wh_community_finalize (GObject *object)
{
  WhCommunity *self = WH_COMMUNITY (object);

  g_free (self->id);
  g_free (self->street_id);
  g_free (self->name);

  G_OBJECT_CLASS (wh_community_parent_class)->finalize (object);
}

static void
wh_community_class_init (WhCommunityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_community_finalize;
}

static void
wh_community_init (WhCommunity *self)
{}

WhCommunity *
wh_community_new (void)
{
  return g_object_new (WH_TYPE_COMMUNITY, NULL);
}
