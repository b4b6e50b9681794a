/* wh-street.h — the street a cache belongs to */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WH_TYPE_STREET (wh_street_get_type ())
G_DECLARE_FINAL_TYPE (WhStreet, wh_street, WH, STREET, GObject)

/* Fields are public and read-only outside the store that made the item. */
struct _WhStreet
{
  GObject parent_instance;
  char   *id; /* 9 digits: district (6) + street (3) */
  char   *name;
  char   *district;
  double  center_lon;
  double  center_lat;
};

WhStreet *wh_street_new (void);

G_END_DECLS
