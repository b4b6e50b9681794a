/* wh-duty-shift.c — one duty shift with the person on it, as a list item */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-duty-shift.h"

G_DEFINE_FINAL_TYPE (WhDutyShift, wh_duty_shift, G_TYPE_OBJECT)

static const char *const post_ids[WH_N_DUTY_POSTS] = {
  "center_duty",
  "unit_duty",
  "leader_on_call",
};

const char *
wh_duty_post_to_string (WhDutyPost post)
{
  g_return_val_if_fail (post < WH_N_DUTY_POSTS, NULL);
  return post_ids[post];
}

gboolean
wh_duty_post_from_string (const char *str, WhDutyPost *post)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < WH_N_DUTY_POSTS; i++)
    if (g_str_equal (post_ids[i], str))
      {
        *post = i;
        return TRUE;
      }
  return FALSE;
}

const char *
wh_duty_post_label (WhDutyPost post)
{
  switch (post)
    {
    case WH_DUTY_POST_CENTER_DUTY:
      return C_ ("duty post", "Duty officer");
    case WH_DUTY_POST_UNIT_DUTY:
      return C_ ("duty post", "Unit duty");
    case WH_DUTY_POST_LEADER_ON_CALL:
      return C_ ("duty post", "Leader on call");
    case WH_N_DUTY_POSTS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
wh_duty_shift_finalize (GObject *object)
{
  WhDutyShift *self = WH_DUTY_SHIFT (object);

  g_free (self->staff_id);
  g_free (self->staff_name);
  g_free (self->staff_phone);
  g_free (self->unit_id);
  g_free (self->unit_short_name);

  G_OBJECT_CLASS (wh_duty_shift_parent_class)->finalize (object);
}

static void
wh_duty_shift_class_init (WhDutyShiftClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_duty_shift_finalize;
}

static void
wh_duty_shift_init (WhDutyShift *self)
{}

WhDutyShift *
wh_duty_shift_new (void)
{
  return g_object_new (WH_TYPE_DUTY_SHIFT, NULL);
}
