/* wh-roster-page.h — the Roster page: member units, their people, who is on duty */
#pragma once

#include <adwaita.h>

#include "wh-context.h"

G_BEGIN_DECLS

#define WH_TYPE_ROSTER_PAGE (wh_roster_page_get_type ())
G_DECLARE_FINAL_TYPE (WhRosterPage, wh_roster_page, WH, ROSTER_PAGE, AdwBin)

void wh_roster_page_set_context (WhRosterPage *self, WhContext *context);
void wh_roster_page_reload (WhRosterPage *self);

/* The units listed (a #GListModel of #WhUnit); transfer none. */
GListModel *wh_roster_page_get_units (WhRosterPage *self);
/* Stationed units and listed departments among them. */
guint wh_roster_page_get_n_member_units (WhRosterPage *self);

/* Selects the unit at @position of the units list. */
void wh_roster_page_select_unit (WhRosterPage *self, guint position);
/* The people of the selected unit (a #GListModel of #WhStaff); transfer none. */
GListModel *wh_roster_page_get_staff (WhRosterPage *self);
/* Rows in the "on duty now" list. */
guint wh_roster_page_get_n_on_duty (WhRosterPage *self);

G_END_DECLS
