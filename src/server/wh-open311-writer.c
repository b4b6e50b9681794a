/* wh-open311-writer.c — one Open311 answer, written as JSON or as XML
 *
 * Both formats are spelled here by hand rather than through json-glib: the writer needs the
 * same control over both (coordinates with a fixed number of decimals instead of
 * json-glib's seventeen significant digits, one shape for JSON and XML alike).
 */
#include "config.h"

#include <string.h>

#include "wh-open311-writer.h"

typedef struct {
  char    *name;     /* XML: the element to close */
  gboolean is_list;
  gboolean has_items; /* JSON: a comma before the next item */
} Level;

struct _WhOpen311Writer {
  WhOpen311Format format;
  GString        *out;
  GArray         *stack; /* of Level */
};

gboolean
wh_open311_format_from_extension (const char      *extension,
                                  WhOpen311Format *format)
{
  if (g_strcmp0 (extension, "json") == 0)
    *format = WH_OPEN311_FORMAT_JSON;
  else if (g_strcmp0 (extension, "xml") == 0)
    *format = WH_OPEN311_FORMAT_XML;
  else
    return FALSE;
  return TRUE;
}

const char *
wh_open311_format_content_type (WhOpen311Format format)
{
  return format == WH_OPEN311_FORMAT_XML ? "text/xml; charset=utf-8"
                                         : "application/json; charset=utf-8";
}

static void
level_clear (gpointer data)
{
  Level *level = data;

  g_free (level->name);
}

WhOpen311Writer *
wh_open311_writer_new (WhOpen311Format format)
{
  WhOpen311Writer *self = g_new0 (WhOpen311Writer, 1);

  self->format = format;
  self->out = g_string_new (NULL);
  self->stack = g_array_new (FALSE, TRUE, sizeof (Level));
  g_array_set_clear_func (self->stack, level_clear);
  if (format == WH_OPEN311_FORMAT_XML)
    g_string_append (self->out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
  return self;
}

void
wh_open311_writer_free (WhOpen311Writer *self)
{
  if (self == NULL)
    return;
  if (self->out != NULL)
    g_string_free (self->out, TRUE);
  g_array_unref (self->stack);
  g_free (self);
}

static Level *
top (WhOpen311Writer *self)
{
  if (self->stack->len == 0)
    return NULL;
  return &g_array_index (self->stack, Level, self->stack->len - 1);
}

/* Text as XML 1.0 allows it: the five special characters escaped, and the control
 * characters XML 1.0 cannot carry at all (not even as references) replaced. */
static void
append_xml_text (GString    *out,
                 const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&apos;");
          break;
        default:
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
            g_string_append_unichar (out, 0xFFFD);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/* What comes before a new item in JSON: a comma after an earlier item, and its name
 * inside an object. */
static void
json_begin_item (WhOpen311Writer *self,
                 const char      *name)
{
  Level *level = top (self);

  if (level == NULL)
    return;
  if (level->has_items)
    g_string_append_c (self->out, ',');
  level->has_items = TRUE;
  if (!level->is_list)
    {
      append_json_string (self->out, name);
      g_string_append_c (self->out, ':');
    }
}

static void
begin (WhOpen311Writer *self,
       const char      *name,
       gboolean         is_list)
{
  Level level = { g_strdup (name), is_list, FALSE };

  if (self->format == WH_OPEN311_FORMAT_JSON)
    {
      json_begin_item (self, name);
      g_string_append_c (self->out, is_list ? '[' : '{');
    }
  else
    g_string_append_printf (self->out, "<%s>", name);
  g_array_append_val (self->stack, level);
}

static void
end (WhOpen311Writer *self,
     gboolean         is_list)
{
  Level *level = top (self);

  g_return_if_fail (level != NULL && level->is_list == is_list);

  if (self->format == WH_OPEN311_FORMAT_JSON)
    g_string_append_c (self->out, is_list ? ']' : '}');
  else
    g_string_append_printf (self->out, "</%s>", level->name);
  g_array_set_size (self->stack, self->stack->len - 1);
}

void
wh_open311_writer_begin_list (WhOpen311Writer *self,
                              const char      *name)
{
  begin (self, name, TRUE);
}

void
wh_open311_writer_end_list (WhOpen311Writer *self)
{
  end (self, TRUE);
}

void
wh_open311_writer_begin_object (WhOpen311Writer *self,
                                const char      *name)
{
  begin (self, name, FALSE);
}

void
wh_open311_writer_end_object (WhOpen311Writer *self)
{
  end (self, FALSE);
}

/* A value: @json is its JSON spelling (NULL: a string, @text quoted), @text its XML content. */
static void
add_value (WhOpen311Writer *self,
           const char      *name,
           const char      *text,
           const char      *json)
{
  if (self->format == WH_OPEN311_FORMAT_JSON)
    {
      json_begin_item (self, name);
      if (json != NULL)
        g_string_append (self->out, json);
      else if (text == NULL)
        g_string_append (self->out, "null");
      else
        append_json_string (self->out, text);
    }
  else if (text == NULL || *text == '\0')
    g_string_append_printf (self->out, "<%s/>", name);
  else
    {
      g_string_append_printf (self->out, "<%s>", name);
      append_xml_text (self->out, text);
      g_string_append_printf (self->out, "</%s>", name);
    }
}

void
wh_open311_writer_add_string (WhOpen311Writer *self,
                              const char      *name,
                              const char      *value)
{
  add_value (self, name, value, NULL);
}

void
wh_open311_writer_add_int (WhOpen311Writer *self,
                           const char      *name,
                           gint64           value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  add_value (self, name, text, text);
}

void
wh_open311_writer_add_degrees (WhOpen311Writer *self,
                               const char      *name,
                               double           value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%.7f", value);
  add_value (self, name, buffer, buffer);
}

void
wh_open311_writer_add_boolean (WhOpen311Writer *self,
                               const char      *name,
                               gboolean         value)
{
  add_value (self, name, value ? "true" : "false", value ? "true" : "false");
}

char *
wh_open311_writer_finish (WhOpen311Writer *self,
                          gsize           *length)
{
  GString *out;

  g_return_val_if_fail (self->stack->len == 0, NULL);

  out = g_steal_pointer (&self->out);
  if (self->format == WH_OPEN311_FORMAT_XML)
    g_string_append_c (out, '\n');
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
