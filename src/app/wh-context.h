/* wh-context.h — the open cache and the stores the pages read from
 *
 * One context per open cache. The window hands it to every page; when the cache is
 * replaced (a demo street was loaded, a broken file moved aside) the window makes a new
 * context and hands that out instead, so no page keeps reading a closed database.
 */
#pragma once

#include <gio/gio.h>

#include "wh-assessment-store.h"
#include "wh-attachment-store.h"
#include "wh-category-catalog.h"
#include "wh-db.h"
#include "wh-grid-store.h"
#include "wh-incident-store.h"
#include "wh-roster-store.h"

G_BEGIN_DECLS

#define WH_TYPE_CONTEXT (wh_context_get_type ())
G_DECLARE_FINAL_TYPE (WhContext, wh_context, WH, CONTEXT, GObject)

WhContext *wh_context_new (WhDb *db);

WhDb              *wh_context_get_db (WhContext *self);
WhIncidentStore   *wh_context_get_incident_store (WhContext *self);
WhRosterStore     *wh_context_get_roster_store (WhContext *self);
WhGridStore       *wh_context_get_grid_store (WhContext *self);
WhCategoryCatalog *wh_context_get_catalog (WhContext *self);
WhAssessmentStore *wh_context_get_assessment_store (WhContext *self);
WhAttachmentStore *wh_context_get_attachment_store (WhContext *self);

/* Whether the cache holds a street yet (meta 'street_id'). */
gboolean wh_context_has_street (WhContext *self);

/* Drops the stores' remembered lookups (after F5 or a sync). */
void wh_context_reload (WhContext *self);

/* The time the desk shows things at: now. */
gint64 wh_context_get_now (WhContext *self);

G_END_DECLS
