/* wh-map-page.h — the Map page: the street on its offline base map, cells and incidents
 *
 * A ShumateMap with, from the bottom: the base map, the grid cells (WhGridLayer) and the
 * incidents (WhIncidentLayer). The base map is what the base-map setting says: an MBTiles
 * file (WhMbtilesSource: the offline-map-path setting, else the file beside the cache,
 * drawn here for the demo street when it is missing) or an online map (WhTileSource,
 * saved on disk as it is seen). Without one the page says why and draws the cells on a
 * plain background.
 *
 * Clicking a cell opens its card (code, community, open incidents, who answers for each
 * class) with "Show in Queue"; clicking a dot selects its incident, which the window
 * shares with the queue through the selected-incident property. A secondary click (or a
 * long press) offers "New Incident Here", and the place-incident mode makes the next
 * click place one: both activate app.new-incident-at with the WGS-84 longitude and
 * latitude. The queue's filter, when one is set, chooses the incidents drawn.
 */
#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "wh-context.h"
#include "wh-grid-layer.h"
#include "wh-incident-layer.h"
#include "wh-queue-filter.h"
#include "wh-tile-source.h"

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

/* Why no base map is shown (or what troubles the online one), for people; "" when
 * nothing does. */
const char *wh_map_page_get_base_map_message (WhMapPage *self);

/* The online map's source, or %NULL when the base map is not online. */
WhTileSource *wh_map_page_get_tile_source (WhMapPage *self);

/* Whether the demo street's base map is being drawn (its progress shows on the map). */
gboolean wh_map_page_is_drawing_base_map (WhMapPage *self);

/**
 * wh_map_page_set_placing:
 *
 * Turns the place-incident mode on or off (also the stateful action map.place-incident):
 * while on, the map shows a crosshair and the next click activates app.new-incident-at
 * there, then the mode ends. Escape ends it too.
 */
void     wh_map_page_set_placing (WhMapPage *self, gboolean placing);
gboolean wh_map_page_get_placing (WhMapPage *self);

/* What a secondary click at map coordinates @x, @y does: the "New Incident Here"
 * popover, pointing there. */
void wh_map_page_context_click (WhMapPage *self, double x, double y);

/* Where the "New Incident Here" popover points, WGS-84; %FALSE when it is closed. */
gboolean wh_map_page_get_place_location (WhMapPage *self, double *lon, double *lat);

/**
 * wh_map_page_set_queue_filter:
 * @filter: (nullable): the window's queue filter
 *
 * Draws the incidents the queue lists (its view, filters and search) instead of all open
 * ones, following each "changed"; while the filter narrows the view a chip on the map
 * says so, with "Clear". %NULL goes back to all open incidents.
 */
void wh_map_page_set_queue_filter (WhMapPage *self, WhQueueFilter *filter);

/* The chip's text ("Filtered: 12 incidents"), "" when the filter does not narrow the map. */
const char *wh_map_page_get_filter_text (WhMapPage *self);

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
