/* wh-desk-actor.c — who is acting at this desk, as the lifecycle sees them */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-desk-actor.h"

static WhRole
lifecycle_role (WhStaffRole role)
{
  switch (role)
    {
    case WH_STAFF_ROLE_DIRECTOR:
      return WH_ROLE_DIRECTOR;
    case WH_STAFF_ROLE_DUTY_OFFICER:
      return WH_ROLE_DUTY_OFFICER;
    case WH_STAFF_ROLE_UNIT_LIAISON:
    case WH_STAFF_ROLE_ENFORCER:
      return WH_ROLE_UNIT_LIAISON;
    case WH_STAFF_ROLE_GRID_WORKER:
    case WH_STAFF_ROLE_VIEWER:
    case WH_N_STAFF_ROLES:
    default:
      /* Grid workers report through their patrol app, not at the desk. */
      return WH_ROLE_VIEWER;
    }
}

static WhActor *
actor_for_staff (WhStaff *staff)
{
  WhRole role = lifecycle_role (staff->role);

  return wh_actor_new (staff->id, staff->name, role,
                       role == WH_ROLE_UNIT_LIAISON ? staff->unit_id : NULL);
}

WhActor *
wh_desk_actor_dup (WhContext *context, GSettings *settings, gint64 now, GError **error)
{
  WhRosterStore *roster;
  g_autoptr (GListModel) shifts = NULL;

  g_return_val_if_fail (WH_IS_CONTEXT (context), NULL);

  roster = wh_context_get_roster_store (context);
  if (settings != NULL)
    {
      g_autofree char *staff_id = g_settings_get_string (settings, "duty-staff-id");

      if (*staff_id != '\0')
        {
          g_autoptr (WhStaff) staff = NULL;
          g_autoptr (GError) local_error = NULL;

          staff = wh_roster_store_get_staff (roster, staff_id, now, &local_error);
          if (staff != NULL)
            return actor_for_staff (staff);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          /* The setting names nobody on the roster (another street's cache): say so rather
           * than record the change under somebody else. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _ ("The duty officer signed in at this desk (“%s”) is not on this "
                          "street’s roster."),
                       staff_id);
          return NULL;
        }
    }

  shifts = wh_roster_store_list_on_duty (roster, now, WH_DUTY_POST_CENTER_DUTY, error);
  if (shifts == NULL)
    return NULL;
  if (g_list_model_get_n_items (shifts) > 0)
    {
      g_autoptr (WhDutyShift) shift = g_list_model_get_item (shifts, 0);
      g_autoptr (WhStaff) staff = wh_roster_store_get_staff (roster, shift->staff_id, now, error);

      if (staff != NULL)
        return actor_for_staff (staff);
      if (error != NULL && *error != NULL)
        return NULL;
      /* A shift of somebody no longer on the roster still names a duty officer. */
      return wh_actor_new (shift->staff_id, shift->staff_name, WH_ROLE_DUTY_OFFICER, NULL);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _ ("The duty roster names nobody at the center’s duty desk now, so a change "
                  "could not be recorded under anyone’s name."));
  return NULL;
}
