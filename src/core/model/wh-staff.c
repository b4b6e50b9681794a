/* wh-staff.c — one person of a unit, as a list item */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-staff.h"

G_DEFINE_FINAL_TYPE (WhStaff, wh_staff, G_TYPE_OBJECT)

static const char *const role_ids[WH_N_STAFF_ROLES] = {
  "director", "duty_officer", "unit_liaison", "enforcer", "grid_worker", "viewer",
};

const char *
wh_staff_role_to_string (WhStaffRole role)
{
  g_return_val_if_fail (role < WH_N_STAFF_ROLES, NULL);
  return role_ids[role];
}

gboolean
wh_staff_role_from_string (const char *str, WhStaffRole *role)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < WH_N_STAFF_ROLES; i++)
    if (g_str_equal (role_ids[i], str))
      {
        *role = i;
        return TRUE;
      }
  return FALSE;
}

const char *
wh_staff_role_label (WhStaffRole role)
{
  switch (role)
    {
    case WH_STAFF_ROLE_DIRECTOR:
      return C_ ("staff role", "Director");
    case WH_STAFF_ROLE_DUTY_OFFICER:
      return C_ ("staff role", "Duty officer");
    case WH_STAFF_ROLE_UNIT_LIAISON:
      return C_ ("staff role", "Unit liaison");
    case WH_STAFF_ROLE_ENFORCER:
      return C_ ("staff role", "Enforcement officer");
    case WH_STAFF_ROLE_GRID_WORKER:
      return C_ ("staff role", "Grid worker");
    case WH_STAFF_ROLE_VIEWER:
      return C_ ("staff role", "Viewer");
    case WH_N_STAFF_ROLES:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
wh_staff_finalize (GObject *object)
{
  WhStaff *self = WH_STAFF (object);

  g_free (self->id);
  g_free (self->unit_id);
  g_free (self->name);
  g_free (self->title);
  g_free (self->phone);

  G_OBJECT_CLASS (wh_staff_parent_class)->finalize (object);
}

static void
wh_staff_class_init (WhStaffClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_staff_finalize;
}

static void
wh_staff_init (WhStaff *self)
{}

WhStaff *
wh_staff_new (void)
{
  return g_object_new (WH_TYPE_STAFF, NULL);
}
