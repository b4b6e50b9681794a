/* wh-unit.h — a member unit of the center (or another unit of the street), as a list item
 *
 * Read-only rows for the roster and the assessment; WhRosterStore makes them.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  WH_UNIT_KIND_STATIONED, /* 常驻单位: staff sit in the center */
  WH_UNIT_KIND_LISTED,    /* 挂牌部门: on call, not seated */
  WH_UNIT_KIND_STREET_OFFICE,
  WH_UNIT_KIND_COMMUNITY,
  WH_UNIT_KIND_DISTRICT,
  WH_N_UNIT_KINDS
} WhUnitKind;

/* Stable identifiers (the unit.kind column) and translated labels. */
const char *wh_unit_kind_to_string (WhUnitKind kind);
gboolean    wh_unit_kind_from_string (const char *str, WhUnitKind *kind);
const char *wh_unit_kind_label (WhUnitKind kind);

#define WH_TYPE_UNIT (wh_unit_get_type ())
G_DECLARE_FINAL_TYPE (WhUnit, wh_unit, WH, UNIT, GObject)

/* Fields are public and read-only outside the store that made the item. */
struct _WhUnit
{
  GObject    parent_instance;
  char      *id;
  char      *street_id;
  char      *name;
  char      *short_name;
  WhUnitKind kind;
  char      *parent_department;
  char      *phone;
  int        sort_order;
  guint      n_staff; /* people of the unit in the staff table */
};

WhUnit *wh_unit_new (void);

G_END_DECLS
