/* wh-map-page.h — the Map page: grid cells, open incidents, a legend */
#pragma once

#include <adwaita.h>

#include "wh-context.h"
#include "wh-grid-view.h"

G_BEGIN_DECLS

#define WH_TYPE_MAP_PAGE (wh_map_page_get_type ())
G_DECLARE_FINAL_TYPE (WhMapPage, wh_map_page, WH, MAP_PAGE, AdwBin)

void wh_map_page_set_context (WhMapPage *self, WhContext *context);
/* Reads the cells and incidents again. */
void        wh_map_page_reload (WhMapPage *self);
WhGridView *wh_map_page_get_grid_view (WhMapPage *self);

/* The text of the selected cell's card ("" when none is selected), for tests. */
const char *wh_map_page_get_cell_text (WhMapPage *self);

G_END_DECLS
