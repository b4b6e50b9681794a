/* wh-grid-duty.h — who answers for one class of matters in one grid cell, as a list item
 *
 * Every grid cell has, for every class of matter, a named responsible person
 * (每个网格每类事项的责任人).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WH_TYPE_GRID_DUTY (wh_grid_duty_get_type ())
G_DECLARE_FINAL_TYPE (WhGridDuty, wh_grid_duty, WH, GRID_DUTY, GObject)

/* Fields are public and read-only outside the store that made the item. */
struct _WhGridDuty
{
  GObject parent_instance;
  char   *grid_id;
  char   *category_code;
  char   *category_name;
  char   *staff_id;
  char   *staff_name;
  char   *staff_phone;
  char   *unit_id;
  char   *unit_short_name;
};

WhGridDuty *wh_grid_duty_new (void);

G_END_DECLS
