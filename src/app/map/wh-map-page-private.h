/* wh-map-page-private.h — the Map page's state, shared by the files it is split into
 *
 *   wh-map-page.c           the page: layers, view, cell card, selection
 *   wh-map-page-base-map.c  what the map is drawn on: an MBTiles file (drawn for the demo
 *                           street when missing) or an online map
 *   wh-map-page-place.c     placing a new incident, and the queue's filter on the map
 */
#pragma once

#include "wh-map-page.h"
#include "wh-mbtiles-source.h"
#include "wh-queue-filter.h"
#include "wh-tile-source.h"

G_BEGIN_DECLS

typedef struct _DrawJob DrawJob;

struct _WhMapPage
{
  AdwBin parent_instance;

  /* template children */
  GtkOverlay     *overlay;
  ShumateMap     *map;
  GtkWidget      *summary_box;
  GtkLabel       *street_label;
  GtkLabel       *summary_label;
  GtkWidget      *message_box;
  GtkLabel       *message_label;
  GtkButton      *message_button;
  GtkWidget      *drawing_box;
  GtkProgressBar *drawing_bar;
  GtkWidget      *place_hint_box;
  GtkWidget      *filter_box;
  GtkLabel       *filter_label;
  GtkWidget      *legend_box;
  GtkDropDown    *measure_dropdown;
  GtkBox         *measure_legend;
  GtkSwitch      *heat_switch;
  GtkFlowBox     *status_legend;
  GtkBox         *credits_box;
  GtkPopover     *cell_popover;
  GtkLabel       *cell_name_label;
  GtkLabel       *cell_code_label;
  GtkLabel       *cell_community_label;
  GtkLabel       *cell_open_label;
  GtkWidget      *cell_duty_heading;
  GtkGrid        *cell_duty_grid;
  GtkPopover     *place_popover;
  GtkLabel       *place_cell_label;
  GtkLabel       *place_location_label;

  WhGridLayer      *grid_layer;
  WhIncidentLayer  *incident_layer;
  ShumateMapLayer  *base_layer; /* nullable */
  ShumateLicense   *license;
  WhMbtilesSource  *source;    /* the base map's file, nullable */
  WhTileSource     *online;    /* or the online map, nullable */
  ShumateMapSource *reference; /* what the viewport projects with */
  ShumateMapSource *plain;     /* the reference without a base map */

  WhContext    *context;
  GSettings    *settings;
  char         *explicit_path;
  char         *base_map_path;
  char         *base_map_message;
  WhGridMeasure measure;
  char         *selected_incident;
  GString      *cell_text;
  guint         reload_idle;
  gboolean      reload_pending; /* something changed while the page was hidden */
  gboolean      view_pending; /* show the street once the map has a size */
  double        view_max_zoom;
  gboolean      syncing; /* the incident layer's selection is being set from here */

  /* Drawing the demo street's base map */
  DrawJob *drawing; /* nullable */
  guint    drawing_timer;
  gboolean drawing_refused; /* cancelled or failed: not started again by itself */

  /* Placing a new incident */
  gboolean placing;
  double   place_lon, place_lat;

  /* The queue's filter */
  WhQueueFilter *filter;
  guint          n_shown;
};

/* wh-map-page.c: reads cells and incidents again at the next idle moment, once however
 * often it is asked. */
void wh_map_page_queue_reload (WhMapPage *self);

/* wh-map-page-base-map.c */
void wh_map_page_load_base_map (WhMapPage *self);
void wh_map_page_stop_drawing (WhMapPage *self);
/* Another cache: a map being drawn for the last one is abandoned. */
void wh_map_page_base_map_context_changed (WhMapPage *self);
void wh_map_page_base_map_class_init (GtkWidgetClass *widget_class);
void wh_map_page_base_map_init (WhMapPage *self);
void wh_map_page_base_map_dispose (WhMapPage *self);

/* wh-map-page-place.c */
void wh_map_page_place_class_init (GtkWidgetClass *widget_class);
void wh_map_page_place_init (WhMapPage *self);
void wh_map_page_place_dispose (WhMapPage *self);
/* Reads the incidents to draw: the filter's, else all open ones. */
GArray *wh_map_page_read_points (WhMapPage *self, GError **error);
/* Whether the filter narrows what the map shows below "all open incidents". */
gboolean wh_map_page_is_filtered (WhMapPage *self);
void     wh_map_page_update_filter_chip (WhMapPage *self);
/* What a click does while placing an incident; %FALSE when not placing. */
gboolean wh_map_page_place_click (WhMapPage *self, double x, double y);
/* The first view of a street: the whole street, no closer than the base map is drawn for. */
void wh_map_page_show_initial_view (WhMapPage *self);

G_END_DECLS
