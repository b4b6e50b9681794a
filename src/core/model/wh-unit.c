/* wh-unit.c — a member unit of the center, as a list item */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-unit.h"

G_DEFINE_FINAL_TYPE (WhUnit, wh_unit, G_TYPE_OBJECT)

static const char *const kind_ids[WH_N_UNIT_KINDS] = {
  "stationed", "listed", "street_office", "community", "district",
};

const char *
wh_unit_kind_to_string (WhUnitKind kind)
{
  g_return_val_if_fail (kind < WH_N_UNIT_KINDS, NULL);
  return kind_ids[kind];
}

gboolean
wh_unit_kind_from_string (const char *str, WhUnitKind *kind)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < WH_N_UNIT_KINDS; i++)
    if (g_str_equal (kind_ids[i], str))
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
wh_unit_kind_label (WhUnitKind kind)
{
  switch (kind)
    {
    case WH_UNIT_KIND_STATIONED:
      return C_ ("unit kind", "Stationed units");
    case WH_UNIT_KIND_LISTED:
      return C_ ("unit kind", "Listed departments");
    case WH_UNIT_KIND_STREET_OFFICE:
      return C_ ("unit kind", "Street office");
    case WH_UNIT_KIND_COMMUNITY:
      return C_ ("unit kind", "Communities");
    case WH_UNIT_KIND_DISTRICT:
      return C_ ("unit kind", "District");
    case WH_N_UNIT_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
wh_unit_finalize (GObject *object)
{
  WhUnit *self = WH_UNIT (object);

  g_free (self->id);
  g_free (self->street_id);
  g_free (self->name);
  g_free (self->short_name);
  g_free (self->parent_department);
  g_free (self->phone);

  G_OBJECT_CLASS (wh_unit_parent_class)->finalize (object);
}

static void
wh_unit_class_init (WhUnitClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_unit_finalize;
}

static void
wh_unit_init (WhUnit *self)
{}

WhUnit *
wh_unit_new (void)
{
  return g_object_new (WH_TYPE_UNIT, NULL);
}
