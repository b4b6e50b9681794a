/* wh-grid-store.h — the street's geography, read for the map and for labels
 *
 * The street (from meta 'street_id'), its communities and grid cells with their outlines
 * parsed, open incidents per cell, and incidents as light points for drawing thousands of
 * them at once.
 */
#pragma once

#include <gio/gio.h>

#include "wh-community.h"
#include "wh-db.h"
#include "wh-grid-cell.h"
#include "wh-incident-store.h"
#include "wh-lifecycle.h"
#include "wh-street.h"

G_BEGIN_DECLS

/* An incident reduced to what a map dot needs. */
typedef struct
{
  double   lon;
  double   lat;
  WhStatus status;
  int      priority;
  gint64   due_at; /* the deadline that runs now (see wh_incident_time_left());
                    * 0 when none */
  gint64   rowid;  /* the incident's row: stable, and a cheap key for finding it again
                    * (wh_grid_store_dup_incident_id()) */
} WhIncidentPoint;

/* What a map colours grid cells by. */
typedef enum {
  WH_GRID_MEASURE_OPEN,       /* open incidents now */
  WH_GRID_MEASURE_OVERDUE,    /* open incidents whose running deadline has passed */
  WH_GRID_MEASURE_THIS_MONTH, /* incidents reported since the first of this month, local */
  WH_N_GRID_MEASURES
} WhGridMeasure;

#define WH_TYPE_GRID_STORE (wh_grid_store_get_type ())
G_DECLARE_FINAL_TYPE (WhGridStore, wh_grid_store, WH, GRID_STORE, GObject)

/* Returns: (transfer full): a store reading @db */
WhGridStore *wh_grid_store_new (WhDb *db);
WhDb        *wh_grid_store_get_db (WhGridStore *self);

/* Drops what the lookups remembered, after the geography changed. */
void wh_grid_store_reload (WhGridStore *self);

/**
 * wh_grid_store_get_street:
 *
 * The street this cache belongs to: the one named by meta 'street_id'.
 *
 * Returns: (transfer full) (nullable): the street, or %NULL when the cache has none yet
 *   (then @error stays unset) or reading failed (then @error is set)
 */
WhStreet *wh_grid_store_get_street (WhGridStore *self, GError **error);

/**
 * wh_grid_store_list_communities:
 *
 * The street's communities by code, each with its number of grid cells and its position
 * in this list (WhCommunity.index, for stable colours).
 *
 * Returns: (transfer full): a #GListModel of #WhCommunity, or %NULL with @error set
 */
GListModel *wh_grid_store_list_communities (WhGridStore *self, GError **error);

/**
 * wh_grid_store_list_cells:
 *
 * Every grid cell by code, with its outline parsed, its community's name and index, and
 * the number of open incidents in it now. A cell whose stored outline cannot be parsed
 * fails the whole call: the data is broken and the map must not silently lose a cell.
 *
 * Returns: (transfer full): a #GListModel of #WhGridCell, or %NULL with @error set
 */
GListModel *wh_grid_store_list_cells (WhGridStore *self, GError **error);

/**
 * wh_grid_store_count_open_by_cell:
 *
 * Returns: (transfer full) (element-type utf8 guint): grid id → number of open
 *   incidents (GUINT_TO_POINTER); cells without open incidents are absent. %NULL with
 *   @error set on failure.
 */
GHashTable *wh_grid_store_count_open_by_cell (WhGridStore *self, GError **error);

/**
 * wh_grid_store_list_incident_points:
 * @query: which incidents, as the queue lists them (its view, filters and search; the
 *   order and paging do not apply)
 *
 * The incidents of @query that have a location, as points.
 *
 * Returns: (transfer full) (element-type WhIncidentPoint): the points, or %NULL with
 *   @error set
 */
GArray *wh_grid_store_list_incident_points (WhGridStore           *self,
                                            const WhIncidentQuery *query,
                                            GError               **error);

/**
 * wh_grid_store_count_by_cell:
 * @measure: what to count
 * @now: the time it is judged at (overdue, this month), UTC microseconds
 *
 * Returns: (transfer full) (element-type utf8 guint): grid id → count (GUINT_TO_POINTER);
 *   cells with none are absent. %NULL with @error set on failure.
 */
GHashTable *
wh_grid_store_count_by_cell (WhGridStore *self, WhGridMeasure measure, gint64 now, GError **error);

/**
 * wh_grid_store_dup_incident_id:
 * @rowid: WhIncidentPoint.rowid
 *
 * Returns: (transfer full) (nullable): the incident's id, or %NULL when there is no such row
 */
char *wh_grid_store_dup_incident_id (WhGridStore *self, gint64 rowid);

/**
 * wh_grid_store_lookup_incident_rowid:
 * @incident_id: an incident id
 *
 * Returns: the WhIncidentPoint.rowid of the incident, or 0 when there is none
 */
gint64 wh_grid_store_lookup_incident_rowid (WhGridStore *self, const char *incident_id);

/**
 * wh_grid_store_lookup_cell_name:
 * @grid_id: (nullable): a grid cell id
 *
 * The cell's name from a cache of all names, read once; for labels in long lists.
 *
 * Returns: (transfer none) (nullable): the name, or %NULL when unknown
 */
const char *wh_grid_store_lookup_cell_name (WhGridStore *self, const char *grid_id);

G_END_DECLS
