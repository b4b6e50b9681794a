/* wh-roster-store.h — the organisation of the street, read for the roster
 *
 * Member units (stationed units and listed departments) and the others, their people and
 * terms, who is on duty at a given time, and the grid × class responsibility list.
 * Read only: the pages ask this store and never see SQL.
 */
#pragma once

#include <gio/gio.h>

#include "wh-db.h"
#include "wh-duty-shift.h"
#include "wh-grid-duty.h"
#include "wh-staff.h"
#include "wh-unit.h"

G_BEGIN_DECLS

#define WH_TYPE_ROSTER_STORE (wh_roster_store_get_type ())
G_DECLARE_FINAL_TYPE (WhRosterStore, wh_roster_store, WH, ROSTER_STORE, GObject)

/* Returns: (transfer full): a store reading @db */
WhRosterStore *wh_roster_store_new (WhDb *db);
WhDb          *wh_roster_store_get_db (WhRosterStore *self);

/* Drops what wh_roster_store_lookup_unit() remembered, after the organisation changed. */
void wh_roster_store_reload (WhRosterStore *self);

/**
 * wh_roster_store_list_units:
 * @kind: a #WhUnitKind, or -1 for every unit
 *
 * Units ordered by kind (stationed, listed, street office, community, district), then by
 * their sort order and name, each with its number of staff.
 *
 * Returns: (transfer full): a #GListModel of #WhUnit, or %NULL with @error set
 */
GListModel *wh_roster_store_list_units (WhRosterStore *self, int kind, GError **error);

/**
 * wh_roster_store_count_units:
 * @kind: a #WhUnitKind, or -1 for every unit
 *
 * Returns: the number of units of @kind (0 with @error set on failure)
 */
guint wh_roster_store_count_units (WhRosterStore *self, int kind, GError **error);

/**
 * wh_roster_store_lookup_unit:
 * @unit_id: (nullable): a unit id
 *
 * Looks a unit up in a cache of all units, read once; for labels in long lists.
 *
 * Returns: (transfer none) (nullable): the unit, or %NULL when unknown
 */
WhUnit *wh_roster_store_lookup_unit (WhRosterStore *self, const char *unit_id);

/**
 * wh_roster_store_list_staff:
 * @unit_id: the unit
 * @at: the time "on duty" refers to, UTC microseconds
 *
 * The unit's people, leaders first (by role), then by name; WhStaff.on_duty tells whether
 * any duty shift of the person covers @at.
 *
 * Returns: (transfer full): a #GListModel of #WhStaff, or %NULL with @error set
 */
GListModel *
wh_roster_store_list_staff (WhRosterStore *self, const char *unit_id, gint64 at, GError **error);

/**
 * wh_roster_store_get_staff:
 * @staff_id: a staff id
 * @at: the time "on duty" refers to
 *
 * Returns: (transfer full) (nullable): the person, or %NULL (with @error set only when
 *   reading failed, not when the id is unknown)
 */
WhStaff *
wh_roster_store_get_staff (WhRosterStore *self, const char *staff_id, gint64 at, GError **error);

/**
 * wh_roster_store_list_on_duty:
 * @at: a time, UTC microseconds
 * @post: a #WhDutyPost, or -1 for every post
 *
 * The duty shifts that cover @at (starts_at <= @at < ends_at), ordered by post (the
 * center's duty desk first), then by start.
 *
 * Returns: (transfer full): a #GListModel of #WhDutyShift, or %NULL with @error set
 */
GListModel *wh_roster_store_list_on_duty (WhRosterStore *self, gint64 at, int post, GError **error);

/**
 * wh_roster_store_list_grid_duties:
 * @grid_id: a grid cell id
 *
 * Who answers for each class of matters in the cell, ordered by category code.
 *
 * Returns: (transfer full): a #GListModel of #WhGridDuty, or %NULL with @error set
 */
GListModel *
wh_roster_store_list_grid_duties (WhRosterStore *self, const char *grid_id, GError **error);

G_END_DECLS
