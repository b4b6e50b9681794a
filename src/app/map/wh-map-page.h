/* wh-map-page.h — the Map page: the street on its offline base map, cells and incidents
 *
 * A ShumateMap with, from the bottom: the base map (an MBTiles file through
 * WhMbtilesSource), the grid cells (WhGridLayer) and the incidents (WhIncidentLayer).
 * The base map is the file named by the offline-map-path setting, else the one beside the
 * cache (wh_mbtiles_writer_path_for_cache()); without one the page says why and draws the
 * cells on a plain background.
 *
 * Clicking a cell opens its card (code, community, open incidents, who answers for each
 * class) with "Show in Queue"; clicking a dot selects its incident, which the window
 * shares with the queue through the selected-incident property.
 */
#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "wh-context.h"
#include "wh-grid-layer.h"
#include "wh-incident-layer.h"

G_BEGIN_DECLS

#define WH_TYPE_MAP_PAGE (wh_map_page_get_type ())
G_DECLARE_FINAL_TYPE (WhMapPage, wh_map_page, WH, MAP_PAGE, AdwBin)

void wh_map_page_set_context (WhMapPage *self, WhContext *context);

/* Reads the cells and incidents again (the base map and the view stay). */
void wh_map_page_reload (WhMapPage *self);

ShumateMap      *wh_map_page_get_map (WhMapPage *self);
WhGridLayer     *wh_map_page_get_grid_layer (WhMapPage *self);
WhIncidentLayer *wh_map_page_get_incident_layer (WhMapPage *self);

/**
 * wh_map_page_set_base_map_path:
 * @path: (nullable): an MBTiles file, or %NULL to go by the settings and the cache
 *
 * Chooses the base map and loads it now.
 */
void wh_map_page_set_base_map_path (WhMapPage *self, const char *path);

/* The MBTiles file shown, or looked for; %NULL before a context is set. */
const char *wh_map_page_get_base_map_path (WhMapPage *self);

/* Whether a base map is shown. */
gboolean wh_map_page_has_base_map (WhMapPage *self);

/* Why no base map is shown, for people; "" when one is. */
const char *wh_map_page_get_base_map_message (WhMapPage *self);

/* What the cells' colours show. */
void          wh_map_page_set_measure (WhMapPage *self, WhGridMeasure measure);
WhGridMeasure wh_map_page_get_measure (WhMapPage *self);

/* The incident selected on the map or from outside (the queue), or %NULL. Selecting one
 * that is on the map centres the map on it. */
void        wh_map_page_set_selected_incident (WhMapPage *self, const char *incident_id);
const char *wh_map_page_get_selected_incident (WhMapPage *self);

/* Shows incidents as a heat map instead of dots (the legend's switch). */
void     wh_map_page_set_heat_map (WhMapPage *self, gboolean heat_map);
gboolean wh_map_page_get_heat_map (WhMapPage *self);

/* Shows the whole street. */
void wh_map_page_show_street (WhMapPage *self);

/* What a click at map coordinates @x, @y does: select an incident, zoom into a cluster,
 * or open a cell's card. */
void wh_map_page_click (WhMapPage *self, double x, double y);

/* The text of the open cell card ("" when none is open), for tests. */
const char *wh_map_page_get_cell_text (WhMapPage *self);

G_END_DECLS
