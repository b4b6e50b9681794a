/* wh-server-private.h — what wh-server.c shares with the handlers in the server's other files
 */
#pragma once

#include <libsoup/soup.h>

#include "wh-account-store.h"
#include "wh-server.h"

G_BEGIN_DECLS

/* The account behind the request's bearer token (rate limited per token, noted for the
 * request log), or %NULL with the 401/429/500 answer already set. */
WhAccount *wh_server_authenticate (WhServer          *self,
                                   SoupServerMessage *msg);

G_END_DECLS
