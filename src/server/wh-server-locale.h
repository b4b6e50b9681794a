/* wh-server-locale.h — answers in the language each request asks for
 *
 * The server is one process serving desks set up in different languages, so it translates
 * per request (Accept-Language), not by its own locale: the handlers run with a per-thread
 * locale (uselocale()) whose LC_MESSAGES is the language chosen, and gettext, which reads
 * the calling thread's locale, answers in it. English, the source language, is the default.
 *
 * Needs the system locale of each translation (zh_CN.UTF-8: Debian's `locales` package);
 * without it that language falls back to English, with a warning at start-up.
 */
#pragma once

#include <libsoup/soup.h>
#include <locale.h>

G_BEGIN_DECLS

/**
 * wh_server_locale_init:
 *
 * Call once in the serving process, before any translation: makes the process's own
 * LC_MESSAGES "C" (see the .c for why), keeps the locale of the environment for the current
 * thread (the operator's messages at start-up), and prepares the locales of the translations.
 */
void      wh_server_locale_init          (void);

/**
 * wh_server_locale_for_language:
 * @accept_language: (nullable): an Accept-Language header value
 *
 * Returns: the locale of the best language on offer for @accept_language (English when
 *   nothing matches); owned by this module, valid for the life of the process
 */
locale_t  wh_server_locale_for_language  (const char        *accept_language);

/* The same, for a request's Accept-Language header. */
locale_t  wh_server_locale_for_request   (SoupServerMessage *msg);

/* Makes the current thread translate into @msg's language; returns the locale it had, for
 * wh_server_locale_leave(). */
locale_t  wh_server_locale_enter         (SoupServerMessage *msg);
void      wh_server_locale_leave         (locale_t           previous);

/* The tag of the language @locale translates into ("zh-CN", "en"), for logs and answers. */
const char *wh_server_locale_tag         (locale_t           locale);

G_END_DECLS
