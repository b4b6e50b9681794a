/* wh-open311.h — the district server's Open311 GeoReport v2 face, for outside systems
 *
 *   GET  /open311/v2/services.{json,xml}                  the service list (no key needed)
 *   GET  /open311/v2/services/{service_code}.{json,xml}   a service's definition
 *   POST /open311/v2/requests.{json,xml}                  report: a new incident (api_key)
 *   GET  /open311/v2/requests.{json,xml}                  the key's street's requests
 *   GET  /open311/v2/requests/{service_request_id}.{…}    one of them
 *   GET  /open311/v2/tokens/{token}.{json,xml}            token → service_request_id
 *
 * An api_key is bound to one street (`whistle-server admin add-api-key`); jurisdiction_id is
 * a street code. Requests are incidents of that street, reported through the core store and
 * its lifecycle, and enter the changes feed like a desk's report. Errors are the spec's list
 * of {code, description}. See README.md next to this file.
 */
#pragma once

#include <libsoup/soup.h>

#include "wh-db.h"

G_BEGIN_DECLS

#define WH_OPEN311_PREFIX "/open311/v2"

/* Bodies of POST requests are form fields, small: a description of 4,000 characters
 * percent-encoded is 36 KB. */
#define WH_OPEN311_MAX_BODY_BYTES (64 * 1024)

#define WH_TYPE_OPEN311 (wh_open311_get_type ())
G_DECLARE_FINAL_TYPE (WhOpen311, wh_open311, WH, OPEN311, GObject)

/**
 * wh_open311_new:
 * @db: the server's database
 * @rate: requests per second per api_key (and per remote address without a key)
 * @burst: requests a key may spend at once
 *
 * Emits ::incident-created (street_id, incident_id, seq) after a new request's incident
 * is committed, for whoever tells connected desks about new changes.
 */
WhOpen311 *wh_open311_new        (WhDb       *db,
                                  double      rate,
                                  guint       burst);

/* Adds the routes under WH_OPEN311_PREFIX to @server. */
void       wh_open311_add_routes (WhOpen311  *self,
                                  SoupServer *server);

G_END_DECLS
