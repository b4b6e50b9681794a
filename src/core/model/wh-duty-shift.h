/* wh-duty-shift.h — one duty shift with the person on it, as a list item */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  WH_DUTY_POST_CENTER_DUTY,    /* the duty desk of the center (值班) */
  WH_DUTY_POST_UNIT_DUTY,      /* a member unit's own duty */
  WH_DUTY_POST_LEADER_ON_CALL, /* the leader on call (带班领导) */
  WH_N_DUTY_POSTS
} WhDutyPost;

const char *wh_duty_post_to_string (WhDutyPost post);
gboolean    wh_duty_post_from_string (const char *str, WhDutyPost *post);
const char *wh_duty_post_label (WhDutyPost post);

#define WH_TYPE_DUTY_SHIFT (wh_duty_shift_get_type ())
G_DECLARE_FINAL_TYPE (WhDutyShift, wh_duty_shift, WH, DUTY_SHIFT, GObject)

/* Fields are public and read-only outside the store that made the item. */
struct _WhDutyShift
{
  GObject    parent_instance;
  gint64     id;
  WhDutyPost post;
  gint64     starts_at;
  gint64     ends_at;
  char      *staff_id;
  char      *staff_name;
  char      *staff_phone;
  char      *unit_id;
  char      *unit_short_name;
};

WhDutyShift *wh_duty_shift_new (void);

G_END_DECLS
