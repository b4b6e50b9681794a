/* wh-category.h — one entry of the two-level category catalogue, as a list item */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WH_TYPE_CATEGORY (wh_category_get_type ())
G_DECLARE_FINAL_TYPE (WhCategory, wh_category, WH, CATEGORY, GObject)

/* Fields are public and read-only outside the store that made the item. */
struct _WhCategory
{
  GObject  parent_instance;
  char    *code;
  char    *parent_code; /* NULL for a class (the first level) */
  char    *name;
  gboolean is_event;          /* an event (事件); otherwise a component (部件) */
  char    *default_lead_unit; /* unit id, or NULL */
  int      response_minutes;
  int      handling_minutes;
  gboolean working_hours; /* limits count working hours only */
  gboolean major;         /* enforcement needs legal review */
};

WhCategory *wh_category_new (void);

G_END_DECLS
