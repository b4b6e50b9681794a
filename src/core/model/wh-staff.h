/* wh-staff.h — one person of a unit, as a list item */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The staff.role column: what the person does, wider than the WhRole of the lifecycle. */
typedef enum {
  WH_STAFF_ROLE_DIRECTOR,
  WH_STAFF_ROLE_DUTY_OFFICER,
  WH_STAFF_ROLE_UNIT_LIAISON,
  WH_STAFF_ROLE_ENFORCER,
  WH_STAFF_ROLE_GRID_WORKER,
  WH_STAFF_ROLE_VIEWER,
  WH_N_STAFF_ROLES
} WhStaffRole;

const char *wh_staff_role_to_string (WhStaffRole role);
gboolean    wh_staff_role_from_string (const char *str, WhStaffRole *role);
const char *wh_staff_role_label (WhStaffRole role);

#define WH_TYPE_STAFF (wh_staff_get_type ())
G_DECLARE_FINAL_TYPE (WhStaff, wh_staff, WH, STAFF, GObject)

/* Fields are public and read-only outside the store that made the item. */
struct _WhStaff
{
  GObject     parent_instance;
  char       *id;
  char       *unit_id;
  char       *name;
  WhStaffRole role;
  char       *title;
  char       *phone;
  gint64      stationed_since; /* 0: unknown */
  gint64      stationed_until; /* 0: open-ended */
  gboolean    on_duty;         /* a duty shift covers the time the list was made for */
  gint64      duty_ends_at;    /* when that shift ends; 0 when not on duty */
};

WhStaff *wh_staff_new (void);

G_END_DECLS
