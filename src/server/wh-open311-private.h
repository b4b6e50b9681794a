/* wh-open311-private.h — what wh-open311.c (routing, keys, services) shares with
 * wh-open311-requests.c (service requests)
 */
#pragma once

#include "wh-api-key-store.h"
#include "wh-open311-store.h"
#include "wh-open311-writer.h"
#include "wh-open311.h"
#include "wh-rate-limiter.h"

G_BEGIN_DECLS

struct _WhOpen311 {
  GObject         parent_instance;
  WhDb           *db;
  WhOpen311Store *store;
  WhApiKeyStore  *keys;
  WhRateLimiter  *limiter;
  WhRateLimiter  *failure_limiter;
};

/* Emits ::incident-created. */
void      wh_open311_emit_incident_created (WhOpen311          *self,
                                            const char         *street_id,
                                            const char         *incident_id,
                                            gint64              seq);

/* Answers. The writer's document as the answer, with @status. */
void      wh_open311_respond_document      (SoupServerMessage  *msg,
                                            guint               status,
                                            WhOpen311Format     format,
                                            WhOpen311Writer    *writer);

/* The spec's error answer: a list of {code, description}; the code is the HTTP status. */
void      wh_open311_respond_errors        (SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            guint               status,
                                            GPtrArray          *descriptions);
void      wh_open311_respond_error         (SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            guint               status,
                                            const char         *description);

/* 503 for a busy database, else 500; the details go to the log only. */
void      wh_open311_respond_internal      (SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            const GError       *error);

/* Whether the request's method is one of @allowed ("GET, POST"); else 405 with Allow. */
gboolean  wh_open311_is_method             (SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            const char         *allowed);

/* Input. Whether @text is UTF-8 without control characters (@multiline allows line breaks
 * and tabs) and has at most @max_chars characters. */
gboolean  wh_open311_is_clean_text         (const char         *text,
                                            gboolean            multiline,
                                            glong               max_chars);

/* A value from @fields, NULL when missing or empty; a value that is not clean text adds
 * an error (transfer full) to @errors. */
const char *wh_open311_text_field          (GHashTable         *fields,
                                            const char         *name,
                                            gboolean            multiline,
                                            glong               max_chars,
                                            GPtrArray          *errors);

/* Adds an error for every parameter not in @known (NULL-terminated); "attribute[…]" passes
 * when @attributes is set, for the caller to judge. FALSE when there was one. */
gboolean  wh_open311_only_known            (GHashTable         *fields,
                                            const char *const  *known,
                                            gboolean            attributes,
                                            GPtrArray          *errors);

/* Whether @query holds only the parameters in @known (NULL-terminated); else answers 400
 * with every unknown one and FALSE. */
gboolean  wh_open311_accept_query          (SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            GHashTable         *query,
                                            const char *const  *known);

/* The request's key, checked and rate limited, or NULL with the answer set (403 without a
 * valid key, as the spec has it; 429). */
WhApiKey *wh_open311_authenticate          (WhOpen311          *self,
                                            SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            const char         *value);

/* A jurisdiction_id (nullable), when given, must name a street (404), and @key's (403). */
gboolean  wh_open311_check_jurisdiction    (WhOpen311          *self,
                                            SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            const char         *jurisdiction,
                                            const WhApiKey     *key);

/* The handlers of wh-open311-requests.c. */
void      wh_open311_list_requests         (WhOpen311          *self,
                                            SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            GHashTable         *query);
void      wh_open311_get_request           (WhOpen311          *self,
                                            SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            GHashTable         *query,
                                            const char         *id,
                                            gboolean            by_token);
void      wh_open311_create_request        (WhOpen311          *self,
                                            SoupServerMessage  *msg,
                                            WhOpen311Format     format,
                                            GHashTable         *query);

G_END_DECLS
