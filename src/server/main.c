/* main.c — whistle-server, the district server
 *
 *   whistle-server --database PATH [--listen ADDRESS] [--port N] [--tls-cert FILE --tls-key FILE]
 *                  [--token-lifetime SECONDS] [--rate N] [--burst N]
 *                  [--live-heartbeat SECONDS] [--live-timeout SECONDS]
 *   whistle-server admin …      (see wh-server-admin.h)
 *
 * Runs in the foreground and logs to standard error; prints "listening on URL" on standard
 * output once it accepts connections (with --port 0, the port it picked). SIGTERM and SIGINT
 * stop it cleanly: no new requests, the database closed.
 *
 * Answers are in the language each request asks for (wh-server-locale.h), not the server's.
 * WHISTLE_LOCALEDIR points at the translations of an uninstalled build (the tests).
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "wh-db.h"
#include "wh-server-admin.h"
#include "wh-server.h"
#include "wh-server-locale.h"

typedef struct {
  GMainLoop *loop;
  int        signal;
} Stop;

static gboolean
on_signal (gpointer data,
           int      signum)
{
  Stop *stop = data;

  stop->signal = signum;
  g_main_loop_quit (stop->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm (gpointer data)
{
  return on_signal (data, SIGTERM);
}

static gboolean
on_sigint (gpointer data)
{
  return on_signal (data, SIGINT);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhServer) server = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *url = NULL;
  WhServerLimits limits;
  int port = 8443;
  int token_lifetime;
  double rate;
  int burst;
  double live_heartbeat;
  double live_timeout;
  const char *kill_after;
  Stop stop = { 0, };
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, N_("The server’s database (created when missing)"), N_("PATH") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, N_("The IP address to listen on (default 127.0.0.1)"), N_("ADDRESS") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("The port to listen on; 0 picks a free one (default 8443)"), N_("N") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("Serve HTTPS with this PEM certificate (chain)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("The certificate’s PEM private key"), N_("FILE") },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &token_lifetime, N_("How long a sign-in lasts, in seconds (default 43200)"), N_("SECONDS") },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, N_("Requests per second per sign-in (default 20)"), N_("N") },
    { "burst", 0, 0, G_OPTION_ARG_INT, &burst, N_("Requests a sign-in may make at once (default 100)"), N_("N") },
    { "live-heartbeat", 0, 0, G_OPTION_ARG_DOUBLE, &live_heartbeat, N_("Seconds between heartbeats on a live connection (default 25)"), N_("SECONDS") },
    { "live-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &live_timeout, N_("Seconds of silence before a live connection is closed (default 60)"), N_("SECONDS") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("WHISTLE_LOCALEDIR") ? g_getenv ("WHISTLE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && g_str_equal (argv[1], "admin"))
    return wh_server_admin_main (argc - 1, argv + 1);

  /* Before anything is translated: see wh-server-locale.c. */
  wh_server_locale_init ();

  wh_server_limits_init (&limits);
  token_lifetime = limits.token_lifetime / G_USEC_PER_SEC;
  rate = limits.rate;
  burst = limits.burst;
  live_heartbeat = limits.live_heartbeat_ms / 1000.0;
  live_timeout = limits.live_timeout_ms / 1000.0;

  context = g_option_context_new (_("— the Whistle district server"));
  g_option_context_set_summary (context, _("Run “whistle-server admin --help” for the commands "
                                           "that add streets and accounts."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("whistle-server: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("whistle-server: %s\n", _("Unexpected arguments. See --help."));
      return 2;
    }
  if (database == NULL)
    {
      g_printerr ("whistle-server: %s\n", _("Which database? Give --database PATH."));
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("whistle-server: %s\n", _("The port must lie between 0 and 65535."));
      return 2;
    }
  if (token_lifetime < 1 || rate <= 0 || burst < 1)
    {
      g_printerr ("whistle-server: %s\n",
                  _("The token lifetime, rate and burst must be positive."));
      return 2;
    }
  /* Heartbeats of 10 ms and more (tests use short ones); the timeout must leave room for one. */
  if (live_heartbeat < 0.01 || live_heartbeat > 3600 || live_timeout <= live_heartbeat ||
      live_timeout > 24 * 3600)
    {
      g_printerr ("whistle-server: %s\n",
                  _("The live heartbeat must lie between 0.01 and 3600 seconds, and the live "
                    "timeout must be longer than the heartbeat."));
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("whistle-server: %s\n", _("HTTPS needs both --tls-cert and --tls-key."));
      return 2;
    }
  limits.token_lifetime = (gint64) token_lifetime * G_USEC_PER_SEC;
  limits.rate = rate;
  limits.burst = burst;
  limits.live_heartbeat_ms = (guint) (live_heartbeat * 1000);
  limits.live_timeout_ms = (guint) (live_timeout * 1000);

  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr ("whistle-server: %s: %s\n", _("Could not load the TLS certificate"),
                      error->message);
          return 1;
        }
    }

  db = wh_db_open (database, &error);
  if (db == NULL)
    {
      g_printerr ("whistle-server: %s\n", error->message);
      return 1;
    }
  server = wh_server_new (db, &limits, &error);
  if (server == NULL)
    {
      g_printerr ("whistle-server: %s\n", error->message);
      return 1;
    }

  /* Fault injection for the crash tests; see wh_server_set_kill_after(). */
  kill_after = g_getenv ("WHISTLE_SERVER_KILL_AFTER_OPS");
  if (kill_after != NULL)
    wh_server_set_kill_after (server, (guint) g_ascii_strtoull (kill_after, NULL, 10));

  if (!wh_server_listen (server, listen ? listen : "127.0.0.1", port, certificate, &error))
    {
      g_printerr ("whistle-server: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  stop.loop = loop;
  /* Signals are handled between requests: a batch being applied finishes first, and each
   * of its ops is committed on its own anyway. */
  g_unix_signal_add (SIGTERM, on_sigterm, &stop);
  g_unix_signal_add (SIGINT, on_sigint, &stop);

  url = wh_server_dup_url (server);
  g_message ("Serving %s on %s", database, url);
  /* On standard output, for whoever started us (tests, scripts) to read the port from. */
  printf ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_message ("Stopping on signal %d", stop.signal);
  wh_server_stop (server);
  g_clear_object (&server);
  g_clear_object (&db);
  g_message ("Stopped");
  return 0;
}
