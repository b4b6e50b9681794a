/* wh-open311-writer.h — one Open311 answer, written as JSON or as XML
 *
 * GeoReport v2 gives every answer in both formats, chosen by the extension of the path. The
 * handlers describe an answer once (objects, lists, named values) and the writer spells it:
 * in JSON a list is an array and a value a member; in XML every list, object and value is an
 * element named as given, a value with no content (NULL) an empty element:
 *
 *   begin_list ("service_requests") begin_object ("request") add_string ("token", "…")
 *   → [{"token": "…"}]
 *   → <?xml …?><service_requests><request><token>…</token></request></service_requests>
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  WH_OPEN311_FORMAT_JSON,
  WH_OPEN311_FORMAT_XML,
} WhOpen311Format;

/* "json" or "xml" → the format; FALSE for anything else. */
gboolean         wh_open311_format_from_extension (const char      *extension,
                                                   WhOpen311Format *format);

/* "application/json; charset=utf-8" or "text/xml; charset=utf-8" */
const char      *wh_open311_format_content_type   (WhOpen311Format  format);

typedef struct _WhOpen311Writer WhOpen311Writer;

WhOpen311Writer *wh_open311_writer_new            (WhOpen311Format  format);
void             wh_open311_writer_free           (WhOpen311Writer *self);

/* @name names the element in XML, and the member in JSON when inside an object; a list's
 * items in JSON have no names. */
void             wh_open311_writer_begin_list     (WhOpen311Writer *self,
                                                   const char      *name);
void             wh_open311_writer_end_list       (WhOpen311Writer *self);
void             wh_open311_writer_begin_object   (WhOpen311Writer *self,
                                                   const char      *name);
void             wh_open311_writer_end_object     (WhOpen311Writer *self);

/* @value: (nullable): NULL writes null (JSON) or an empty element (XML) */
void             wh_open311_writer_add_string     (WhOpen311Writer *self,
                                                   const char      *name,
                                                   const char      *value);
void             wh_open311_writer_add_int        (WhOpen311Writer *self,
                                                   const char      *name,
                                                   gint64           value);
/* Degrees: written with seven decimals (about a centimetre). */
void             wh_open311_writer_add_degrees    (WhOpen311Writer *self,
                                                   const char      *name,
                                                   double           value);
void             wh_open311_writer_add_boolean    (WhOpen311Writer *self,
                                                   const char      *name,
                                                   gboolean         value);

/* Returns: (transfer full): the document, UTF-8; the writer is spent */
char            *wh_open311_writer_finish         (WhOpen311Writer *self,
                                                   gsize           *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhOpen311Writer, wh_open311_writer_free)

G_END_DECLS
