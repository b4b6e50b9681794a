/* wh-server-attachments.h — photos and scanned documents, by content hash
 *
 *   POST /api/v1/attachments[?name=FILE]    the raw bytes, Content-Type image/jpeg,
 *                                           image/png, image/webp or application/pdf
 *        → 201 (new) or 200 (the server had it) {"hash", "mime_type", "size", "name"}
 *   GET  /api/v1/attachments/{hash}         the bytes; ETag "hash", cached for good
 *   HEAD /api/v1/attachments/{hash}         whether the server has it: 200 or 404
 *
 * The server hashes what it receives (SHA-256) and checks the type by the bytes' magic
 * numbers, not by what the desk claims. Limits: 10 MiB (413 too_large, refused from the
 * Content-Length before the body is read), the accepted types (415 unsupported_media_type),
 * a signed-in account that may change incidents (401, 403 forbidden for a viewer).
 *
 * A token may read an attachment that an event of a street it sees names, or that its own
 * street uploaded (so a desk can ask whether its upload arrived before it sends the op that
 * names it). Anything else is 404, exactly as for a hash the server does not have: the
 * answer must not tell another street which photos exist.
 */
#pragma once

#include <libsoup/soup.h>

#include "wh-db.h"
#include "wh-server.h"

G_BEGIN_DECLS

/* Adds the handlers of API "/attachments" to @soup; they live as long as @server. */
void wh_server_attachments_attach (WhServer   *server,
                                   SoupServer *soup,
                                   WhDb       *db);

G_END_DECLS
