/* wh-grid-duty.c — who answers for one class of matters in one grid cell */
#include "config.h"

#include "wh-grid-duty.h"

G_DEFINE_FINAL_TYPE (WhGridDuty, wh_grid_duty, G_TYPE_OBJECT)

static void
wh_grid_duty_finalize (GObject *object)
{
  WhGridDuty *self = WH_GRID_DUTY (object);

  g_free (self->grid_id);
  g_free (self->category_code);
  g_free (self->category_name);
  g_free (self->staff_id);
  g_free (self->staff_name);
  g_free (self->staff_phone);
  g_free (self->unit_id);
  g_free (self->unit_short_name);

  G_OBJECT_CLASS (wh_grid_duty_parent_class)->finalize (object);
}

static void
wh_grid_duty_class_init (WhGridDutyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_grid_duty_finalize;
}

static void
wh_grid_duty_init (WhGridDuty *self)
{}

WhGridDuty *
wh_grid_duty_new (void)
{
  return g_object_new (WH_TYPE_GRID_DUTY, NULL);
}
