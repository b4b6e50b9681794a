/* wh-community.h — a community (社区) of the street, as a list item */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WH_TYPE_COMMUNITY (wh_community_get_type ())
G_DECLARE_FINAL_TYPE (WhCommunity, wh_community, WH, COMMUNITY, GObject)

/* Fields are public and read-only outside the store that made the item. */
struct _WhCommunity
{
  GObject parent_instance;
  char   *id; /* 12 digits: street (9) + community (3) */
  char   *street_id;
  char   *name;
  guint   index; /* position in the street's list, for stable colours */
  guint   n_cells;
};

WhCommunity *wh_community_new (void);

G_END_DECLS
