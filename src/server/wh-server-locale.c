/* wh-server-locale.c — answers in the language each request asks for
 *
 * Why the process's own LC_MESSAGES becomes "C": GLib's g_dgettext(), through which the core
 * library translates, decides once per process whether to translate at all, from the
 * process's LC_MESSAGES; under a locale that has no translation of ours (C.UTF-8, de_DE …)
 * it would then never translate, not even for a request that asks for Chinese. Under "C" it
 * does, and each request's own locale (uselocale()) picks the language.
 *
 * Why LANGUAGE goes: GNU gettext prefers that variable to the locale, so an operator's
 * LANGUAGE would override every request's choice.
 */
#include "config.h"

#include <string.h>

#include "wh-server-locale.h"

typedef struct {
  const char *tag;     /* what answers and logs call it */
  const char *prefix;  /* Accept-Language tags it serves: this one and its subtags */
  const char *locale;  /* the system locale whose LC_MESSAGES selects the translation */
  locale_t    handle;  /* (locale_t) 0 when the system lacks that locale */
} Language;

/* The translations in po/LINGUAS. Any Chinese gets the simplified one: a reader of
 * traditional characters reads it better than English. */
static Language languages[] = {
  { "zh-CN", "zh", "zh_CN.UTF-8", (locale_t) 0 },
};

static locale_t english;

static locale_t
new_base_locale (void)
{
  locale_t base = newlocale (LC_ALL_MASK, "C.UTF-8", (locale_t) 0);

  return base != (locale_t) 0 ? base : newlocale (LC_ALL_MASK, "C", (locale_t) 0);
}

static void
prepare_locales (void)
{
  static gsize prepared;

  if (!g_once_init_enter (&prepared))
    return;

  /* Everything but the messages stays "C" (with UTF-8 text): numbers in answers must not
   * follow anybody's locale. */
  english = newlocale (LC_MESSAGES_MASK, "C", new_base_locale ());
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      languages[i].handle = newlocale (LC_MESSAGES_MASK, languages[i].locale, new_base_locale ());
      if (languages[i].handle == (locale_t) 0)
        g_warning ("The system has no %s locale: requests that ask for %s are answered in "
                   "English (on Debian, generate it with the “locales” package)",
                   languages[i].locale, languages[i].tag);
    }
  g_once_init_leave (&prepared, 1);
}

void
wh_server_locale_init (void)
{
  locale_t operator_locale = newlocale (LC_ALL_MASK, "", (locale_t) 0);

  g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, "C");
  /* The operator still reads the start-up messages in the environment's language. */
  if (operator_locale != (locale_t) 0)
    uselocale (operator_locale);
  prepare_locales ();
}

/* Whether @tag is @prefix or one of its subtags ("zh", "zh-cn", "zh-hans-cn" for "zh"). */
static gboolean
tag_has_prefix (const char *tag,
                const char *prefix)
{
  gsize n = strlen (prefix);

  return g_ascii_strncasecmp (tag, prefix, n) == 0 && (tag[n] == '\0' || tag[n] == '-' || tag[n] == '_');
}

locale_t
wh_server_locale_for_language (const char *accept_language)
{
  GSList *tags;
  locale_t chosen = (locale_t) 0;

  prepare_locales ();
  if (accept_language == NULL || *accept_language == '\0')
    return english;

  /* In the order of preference the client gave (q-values); q=0 means "not this one". */
  tags = soup_header_parse_quality_list (accept_language, NULL);
  for (GSList *l = tags; l != NULL && chosen == (locale_t) 0; l = l->next)
    {
      const char *tag = l->data;

      if (g_str_equal (tag, "*") || tag_has_prefix (tag, "en"))
        chosen = english;
      for (guint i = 0; i < G_N_ELEMENTS (languages) && chosen == (locale_t) 0; i++)
        if (languages[i].handle != (locale_t) 0 && tag_has_prefix (tag, languages[i].prefix))
          chosen = languages[i].handle;
    }
  soup_header_free_list (tags);
  return chosen != (locale_t) 0 ? chosen : english;
}

locale_t
wh_server_locale_for_request (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  return wh_server_locale_for_language (soup_message_headers_get_list (headers, "Accept-Language"));
}

locale_t
wh_server_locale_enter (SoupServerMessage *msg)
{
  return uselocale (wh_server_locale_for_request (msg));
}

void
wh_server_locale_leave (locale_t previous)
{
  uselocale (previous);
}

const char *
wh_server_locale_tag (locale_t locale)
{
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (locale != (locale_t) 0 && locale == languages[i].handle)
      return languages[i].tag;
  return "en";
}
