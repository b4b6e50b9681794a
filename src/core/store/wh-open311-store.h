/* wh-open311-store.h — what the district server's Open311 GeoReport v2 face keeps and reads
 *
 * The service list, which is the second level of the category catalogue, and service
 * requests, which are ordinary incidents: a request is reported through WhIncidentStore and
 * the lifecycle like a desk's report, enters the changes feed, and is remembered in
 * open311_request with the spec's token and the client's Idempotency-Key. Reading a request gives only what the public may see: never the
 * reporter's name, phone or e-mail.
 */
#pragma once

#include "wh-api-key-store.h"
#include "wh-db.h"
#include "wh-lifecycle.h"

G_BEGIN_DECLS

#define WH_OPEN311_ERROR (wh_open311_error_quark ())

typedef enum {
  WH_OPEN311_ERROR_INVALID,          /* bad input: the message says what, for people */
  WH_OPEN311_ERROR_NOT_FOUND,        /* no such service, request or token */
  WH_OPEN311_ERROR_KEY_REUSED,       /* an Idempotency-Key sent again with other fields */
} WhOpen311Error;

GQuark wh_open311_error_quark (void);

/* One service: a subcategory of the catalogue. */
typedef struct {
  char *code;
  char *name;
  char *group;             /* the name of its class (first level) */
  int   response_minutes;
  int   handling_minutes;
  gboolean working_hours;  /* the limits count working hours only */
} WhOpen311Service;

void wh_open311_service_free (WhOpen311Service *service);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhOpen311Service, wh_open311_service_free)

/* A new service request, as the Open311 client sent it (already checked for form). */
typedef struct {
  const char *service_code;
  const char *description;      /* nullable */
  gboolean    has_location;
  double      lon;
  double      lat;
  const char *address;          /* nullable */
  const char *reporter_name;    /* nullable */
  const char *reporter_phone;   /* nullable */
  const char *email;            /* nullable */
  const char *media_url;        /* nullable */
  const char *idempotency_key;  /* nullable: the client's Idempotency-Key header */
  const char *request_hash;     /* a digest of every field above: a reused key must match */
} WhOpen311NewRequest;

/* A service request as Open311 readers see it. */
typedef struct {
  char     *incident_id;
  char     *service_request_id;  /* the incident's human number */
  char     *token;
  char     *street_id;
  WhStatus  status;
  char     *status_notes;        /* the latest note meant for the public, or "" */
  char     *service_code;
  char     *service_name;
  char     *description;
  char     *agency_responsible;  /* the lead unit's name, or "" */
  gint64    requested_at;
  gint64    updated_at;
  gint64    expected_at;         /* the handling deadline, 0 when none yet */
  char     *address;
  gboolean  has_location;
  double    lon;
  double    lat;
  char     *media_url;           /* "" when none */
} WhOpen311Request;

void wh_open311_request_free (WhOpen311Request *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhOpen311Request, wh_open311_request_free)

typedef enum {
  WH_OPEN311_STATUS_ANY,
  WH_OPEN311_STATUS_OPEN,
  WH_OPEN311_STATUS_CLOSED,
} WhOpen311StatusFilter;

/* Which requests to list; strings are borrowed. */
typedef struct {
  const char            *street_id;
  const char *const     *ids;            /* nullable: only these service_request_ids */
  const char *const     *service_codes;  /* nullable: only these services */
  gint64                 start;          /* requested at or after; 0: no bound */
  gint64                 end;            /* requested at or before; 0: no bound */
  WhOpen311StatusFilter  status;
  guint                  limit;
} WhOpen311Query;

#define WH_TYPE_OPEN311_STORE (wh_open311_store_get_type ())
G_DECLARE_FINAL_TYPE (WhOpen311Store, wh_open311_store, WH, OPEN311_STORE, GObject)

WhOpen311Store   *wh_open311_store_new            (WhDb                      *db);

/* Whether the street @street_id exists (a jurisdiction_id). */
gboolean          wh_open311_store_has_street     (WhOpen311Store            *self,
                                                   const char                *street_id,
                                                   gboolean                  *exists,
                                                   GError                   **error);

/* Returns: (transfer full) (element-type WhOpen311Service): every subcategory, by code */
GPtrArray        *wh_open311_store_list_services  (WhOpen311Store            *self,
                                                   GError                   **error);

/* Returns: (transfer full): the service with @code, or %NULL with
 *   WH_OPEN311_ERROR_NOT_FOUND (also for a first-level code, which is no service) */
WhOpen311Service *wh_open311_store_get_service    (WhOpen311Store            *self,
                                                   const char                *code,
                                                   GError                   **error);

/**
 * wh_open311_store_create_request:
 * @key: the authenticated key: its street, name (the timeline's actor) and source
 * @request: what the client sent
 * @now: UTC microseconds: when it was reported
 * @replayed: (out): %TRUE when @request->idempotency_key was seen before and this is the
 *   first answer again, with nothing written
 * @seq: (out): the changes feed's seq of the new incident (0 when replayed)
 *
 * Reports a new incident in @key's street in one transaction: the report op through
 * WhIncidentStore (lifecycle and field checks), revision 1, the changes feed, and the
 * open311_request row. The grid cell is the one of the street whose outline holds the
 * location; a location outside the street is refused.
 *
 * Returns: (transfer full): the request as readers see it, or %NULL with
 *   WH_OPEN311_ERROR_INVALID, _KEY_REUSED, WH_INCIDENT_ERROR_INVALID (a field the lifecycle
 *   refuses) or a storage error
 */
WhOpen311Request *wh_open311_store_create_request (WhOpen311Store            *self,
                                                   const WhApiKey            *key,
                                                   const WhOpen311NewRequest *request,
                                                   gint64                     now,
                                                   gboolean                  *replayed,
                                                   gint64                    *seq,
                                                   GError                   **error);

/* Returns: (transfer full): the request of @street_id with that service_request_id (or,
 *   with @by_token, that token), or %NULL with WH_OPEN311_ERROR_NOT_FOUND; requests of other
 *   streets are not found */
WhOpen311Request *wh_open311_store_get_request    (WhOpen311Store            *self,
                                                   const char                *street_id,
                                                   const char                *id,
                                                   gboolean                   by_token,
                                                   GError                   **error);

/* Returns: (transfer full) (element-type WhOpen311Request): the requests @query asks for,
 *   newest first */
GPtrArray        *wh_open311_store_list_requests  (WhOpen311Store            *self,
                                                   const WhOpen311Query      *query,
                                                   GError                   **error);

G_END_DECLS
