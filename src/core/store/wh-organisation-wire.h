/* wh-organisation-wire.h — a street's organisation as JSON, out of one database, into another
 *
 * What a desk needs before its first incident: the street, its communities and grid cells,
 * the units and their staff and duty shifts, the category catalogue and priorities, the
 * holidays of the work calendar, and who answers for each grid cell and class of matter.
 *
 *   {"streets": [...], "communities": [...], "grid_cells": [...], "units": [...],
 *    "staff": [...], "duty_shifts": [...], "priorities": [...], "categories": [...],
 *    "calendar_exceptions": [...], "grid_duty": [...]}
 *
 * Every row is an object whose members are the columns of its table (see the migrations),
 * with a grid cell's polygon as a GeoJSON object. The server writes it (`GET
 * /api/v1/organisation`); the desk's sync engine reads it back with the same table list.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wh-db.h"

G_BEGIN_DECLS

/**
 * wh_organisation_export:
 * @street_id: (nullable): the street to export; %NULL exports every street (a district)
 *
 * The catalogue, priorities and calendar are shared by all streets and always go along.
 * A category's default lead unit is left out (null) when it is a unit of another street.
 *
 * Returns: (transfer full): the organisation, or %NULL with @error set
 */
JsonNode *wh_organisation_export (WhDb      *db,
                                  const char *street_id,
                                  GError    **error);

/**
 * wh_organisation_import:
 * @organisation: what wh_organisation_export() wrote
 * @error: %WH_DB_ERROR_CONSTRAINT when rows do not fit together, or
 *   %G_IO_ERROR_INVALID_DATA when a member has the wrong type
 *
 * Adds or updates every row, in one transaction, keeping the row ids that indexes refer to,
 * and fills the grid cells' bounding boxes for point lookups. Rows the export no longer
 * has are kept.
 */
gboolean  wh_organisation_import (WhDb      *db,
                                  JsonNode  *organisation,
                                  GError   **error);

G_END_DECLS
