/* whistlectl.c — the desk's sync from the command line, for scripts and tests
 *
 *   whistlectl --cache FILE --server URL --user NAME [--ca-file FILE] login    (password on stdin)
 *   whistlectl --cache FILE --server URL --user NAME [--ca-file FILE] sync-once
 *   whistlectl --cache FILE --server URL --user NAME logout
 *   whistlectl --cache FILE status
 *   whistlectl --cache FILE conflicts
 *   whistlectl --cache FILE resolve ID keep-mine|take-theirs
 *   whistlectl --cache FILE [--user NAME] [--note TEXT] attach INCIDENT-ID FILE…
 *
 * attach stores photos or PDF documents in the cache and adds a progress note naming them to
 * the incident's timeline, offline, through the outbox: the next sync-once uploads the files
 * and sends the note.
 *
 * The same engine as the desk's. The token comes from WHISTLE_TOKEN, else from the keyring
 * (the secret service of the session), else, with --password-stdin, from a sign-in with the
 * password on standard input. --no-keyring keeps tokens in the process only.
 *
 * Exit status: 0 done; 1 failed; 2 wrong usage; 3 sign in first; 75 the server cannot be
 * reached now (try again later).
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "wh-attachment-store.h"
#include "wh-event-attachments.h"
#include "wh-incident-store.h"
#include "wh-sync-engine.h"
#include "wh-token-store.h"

#define EXIT_USAGE   2
#define EXIT_SIGN_IN 3
#define EXIT_TEMPORARY 75

static char    *cache_path;
static char    *server_url;
static char    *user_name;
static char    *ca_file;
static gboolean no_keyring;
static gboolean password_stdin;
static gboolean show_progress;
static int      page_size;
static int      batch_size;
static char    *note;

static const GOptionEntry options[] = {
  { "cache", 'c', 0, G_OPTION_ARG_FILENAME, &cache_path, N_("The desk’s cache"), N_("FILE") },
  { "server", 's', 0, G_OPTION_ARG_STRING, &server_url, N_("The district server, e.g. https://host:8443"), N_("URL") },
  { "user", 'u', 0, G_OPTION_ARG_STRING, &user_name, N_("Who signs in"), N_("NAME") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Trust the certificate authorities in FILE instead of the system’s"), N_("FILE") },
  { "no-keyring", 0, 0, G_OPTION_ARG_NONE, &no_keyring, N_("Keep the token in this process only"), NULL },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Sign in with the password on standard input when no token is kept"), NULL },
  { "progress", 0, 0, G_OPTION_ARG_NONE, &show_progress, N_("Show the progress of a first sync"), NULL },
  { "page-size", 0, 0, G_OPTION_ARG_INT, &page_size, N_("Changes per page of the feed (1–1000)"), N_("N") },
  { "batch-size", 0, 0, G_OPTION_ARG_INT, &batch_size, N_("Changes per batch sent (1–500)"), N_("N") },
  { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("The progress note that goes with attached files"), N_("TEXT") },
  { NULL }
};

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
wait_run (Wait *wait)
{
  wait->loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (wait->loop);
  g_main_loop_unref (wait->loop);
}

static int
exit_status_for (const GError *error)
{
  if (g_error_matches (error, WH_SYNC_ERROR, WH_SYNC_ERROR_AUTH))
    return EXIT_SIGN_IN;
  if (wh_sync_error_is_transient (error))
    return EXIT_TEMPORARY;
  return EXIT_FAILURE;
}

static int
fail (const GError *error)
{
  g_printerr ("whistlectl: %s\n", error->message);
  return exit_status_for (error);
}

static char *
read_password (void)
{
  char buffer[1024];
  size_t length;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  length = strlen (buffer);
  while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r'))
    buffer[--length] = '\0';
  {
    char *password = g_strdup (buffer);

    memset (buffer, 0, sizeof buffer);
    return password;
  }
}

static gboolean
require_server (void)
{
  if (server_url == NULL || user_name == NULL)
    {
      g_printerr ("whistlectl: %s\n", _("This command needs --server and --user."));
      return FALSE;
    }
  return TRUE;
}

static WhSyncStore *open_store (GError **error);

/* The certificate authority: --ca-file, else the one the desk configured for this cache. */
static char *
configured_ca_file (void)
{
  g_autoptr (WhSyncStore) store = NULL;
  g_autoptr (WhSyncState) state = NULL;

  if (ca_file != NULL)
    return g_strdup (ca_file);
  if (!g_file_test (cache_path, G_FILE_TEST_EXISTS) ||
      (store = open_store (NULL)) == NULL ||
      (state = wh_sync_store_get_state (store, NULL)) == NULL || *state->ca_file == '\0')
    return NULL;
  return g_strdup (state->ca_file);
}

static WhSyncClient *
make_client (GError **error)
{
  g_autoptr (WhSyncClient) client = wh_sync_client_new (server_url, error);
  g_autofree char *authority = configured_ca_file ();

  if (client == NULL)
    return NULL;
  if (authority != NULL && !wh_sync_client_set_ca_file (client, authority, error))
    return NULL;
  return g_steal_pointer (&client);
}

static WhTokenStore *
make_token_store (void)
{
  return no_keyring ? wh_token_store_new_in_memory () : wh_token_store_new ();
}

/* Signs in with the password on standard input; keeps the token unless @keep is FALSE. */
static gboolean
sign_in (WhSyncClient *client,
         WhTokenStore *tokens,
         gboolean      keep,
         GError      **error)
{
  g_autofree char *password = read_password ();
  g_autoptr (WhSyncLogin) login = NULL;
  Wait wait = { 0, };

  if (password == NULL || *password == '\0')
    {
      g_set_error (error, WH_SYNC_ERROR, WH_SYNC_ERROR_AUTH,
                   _("No password on standard input."));
      return FALSE;
    }
  wh_sync_client_login_async (client, user_name, password, NULL, got_result, &wait);
  memset (password, 0, strlen (password));
  wait_run (&wait);
  login = wh_sync_client_login_finish (client, wait.result, error);
  g_object_unref (wait.result);
  if (login == NULL)
    return FALSE;
  if (keep && !wh_token_store_save (tokens, wh_sync_client_get_server_url (client), user_name,
                                    login->token, error))
    return FALSE;
  return TRUE;
}

static int
command_login (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhSyncClient) client = NULL;
  g_autoptr (WhTokenStore) tokens = make_token_store ();

  if (!require_server ())
    return EXIT_USAGE;
  if (no_keyring)
    {
      g_printerr ("whistlectl: %s\n",
                  _("A sign-in kept in this process only would be lost at once; use "
                    "“sync-once --password-stdin” instead."));
      return EXIT_USAGE;
    }
  client = make_client (&error);
  if (client == NULL || !sign_in (client, tokens, TRUE, &error))
    return fail (error);
  g_print (_("Signed in as %s; the token is kept in the keyring.\n"), user_name);
  return EXIT_SUCCESS;
}

static int
command_logout (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhSyncClient) client = NULL;
  g_autoptr (WhTokenStore) tokens = make_token_store ();
  g_autofree char *token = NULL;

  if (!require_server ())
    return EXIT_USAGE;
  client = make_client (&error);
  if (client == NULL)
    return fail (error);
  token = wh_token_store_lookup (tokens, wh_sync_client_get_server_url (client), user_name, &error);
  if (error != NULL)
    return fail (error);
  if (token != NULL)
    {
      Wait wait = { 0, };

      wh_sync_client_set_token (client, token);
      wh_sync_client_logout_async (client, NULL, got_result, &wait);
      wait_run (&wait);
      /* Revoked or not (the server may be away), the desk forgets the token. */
      if (!wh_sync_client_logout_finish (client, wait.result, &error))
        g_printerr ("whistlectl: %s\n", error->message);
      g_clear_error (&error);
      g_object_unref (wait.result);
    }
  if (!wh_token_store_forget (tokens, wh_sync_client_get_server_url (client), user_name, &error))
    return fail (error);
  return EXIT_SUCCESS;
}

static void
progress_changed (WhSyncEngine *engine,
                  GParamSpec   *pspec,
                  gpointer      user_data)
{
  g_printerr ("\r%s %3.0f%%", _("Syncing…"), 100 * wh_sync_engine_get_progress (engine));
}

static gboolean
interrupted (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static int
command_sync_once (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhSyncClient) client = NULL;
  g_autoptr (WhTokenStore) tokens = make_token_store ();
  g_autoptr (WhSyncEngine) engine = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *token = NULL;
  WhSyncReport report;
  Wait wait = { 0, };
  guint sigint, sigterm;
  gboolean ok;

  if (!require_server ())
    return EXIT_USAGE;
  client = make_client (&error);
  if (client == NULL)
    return fail (error);

  token = g_strdup (g_getenv ("WHISTLE_TOKEN"));
  if (token == NULL && !no_keyring)
    {
      token = wh_token_store_lookup (tokens, wh_sync_client_get_server_url (client), user_name, &error);
      /* Without a keyring, a password may still do. */
      if (error != NULL && !password_stdin)
        return fail (error);
      g_clear_error (&error);
    }
  if (token != NULL)
    wh_sync_client_set_token (client, token);
  else if (password_stdin)
    {
      if (!sign_in (client, tokens, !no_keyring, &error))
        {
          /* The sign-in worked if the client has its token; only keeping it failed. */
          if (wh_sync_client_get_token (client) == NULL)
            return fail (error);
          g_printerr ("whistlectl: %s\n", error->message);
          g_clear_error (&error);
        }
    }

  engine = wh_sync_engine_new (cache_path, client, user_name, &error);
  if (engine == NULL)
    return fail (error);
  if (page_size > 0)
    wh_sync_engine_set_page_size (engine, page_size);
  if (batch_size > 0)
    wh_sync_engine_set_batch_size (engine, batch_size);
  if (show_progress)
    g_signal_connect (engine, "notify::progress", G_CALLBACK (progress_changed), NULL);

  sigint = g_unix_signal_add (SIGINT, interrupted, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, interrupted, cancellable);
  wh_sync_engine_sync_async (engine, cancellable, got_result, &wait);
  wait_run (&wait);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  ok = wh_sync_engine_sync_finish (engine, wait.result, &report, &error);
  g_object_unref (wait.result);
  if (show_progress)
    g_printerr ("\n");
  if (!ok)
    {
      if (g_error_matches (error, WH_SYNC_ERROR, WH_SYNC_ERROR_AUTH) && token != NULL &&
          g_getenv ("WHISTLE_TOKEN") == NULL)
        g_printerr ("whistlectl: %s\n", _("Sign in again with “whistlectl login”."));
      return fail (error);
    }

  g_print ("pushed applied=%u duplicate=%u conflict=%u rejected=%u failed=%u batches=%u\n",
           report.pushed.applied, report.pushed.duplicate, report.pushed.conflict,
           report.pushed.rejected, report.pushed.failed, report.batches);
  g_print ("pulled changes=%u pages=%u cursor=%" G_GINT64_FORMAT " first=%s\n",
           report.pulled, report.pages, report.cursor, report.first_sync ? "yes" : "no");
  g_print ("waiting=%u conflicts=%u\n", report.waiting, report.conflicts);
  return EXIT_SUCCESS;
}

static char *
format_time (gint64 usec)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (usec == 0)
    return g_strdup (_("never"));
  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  local = utc ? g_date_time_to_local (utc) : NULL;
  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static WhSyncStore *
open_store (GError **error)
{
  g_autoptr (WhDb) db = wh_db_open (cache_path, error);

  return db ? wh_sync_store_new (db) : NULL;
}

static int
command_status (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhSyncStore) store = open_store (&error);
  g_autoptr (WhSyncState) state = NULL;
  g_autofree char *success = NULL;
  guint waiting, conflicts;

  if (store == NULL || (state = wh_sync_store_get_state (store, &error)) == NULL)
    return fail (error);
  waiting = wh_sync_store_count_outbox (store, &error);
  if (error == NULL)
    conflicts = wh_sync_store_count_conflicts (store, &error);
  if (error != NULL)
    return fail (error);
  success = format_time (state->last_success_at);

  g_print ("server\t%s\n", state->server_url);
  g_print ("user\t%s\n", state->user_name);
  g_print ("ca-file\t%s\n", state->ca_file);
  g_print ("cursor\t%" G_GINT64_FORMAT "\n", state->cursor);
  g_print ("latest\t%" G_GINT64_FORMAT "\n", state->latest);
  g_print ("last-success\t%s\n", success);
  g_print ("last-error\t%s\n", state->last_error);
  g_print ("waiting\t%u\n", waiting);
  g_print ("conflicts\t%u\n", conflicts);
  return EXIT_SUCCESS;
}

static int
command_conflicts (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhSyncStore) store = open_store (&error);
  g_autoptr (GPtrArray) conflicts = NULL;

  if (store == NULL || (conflicts = wh_sync_store_list_conflicts (store, TRUE, &error)) == NULL)
    return fail (error);
  for (guint i = 0; i < conflicts->len; i++)
    {
      WhSyncConflict *c = g_ptr_array_index (conflicts, i);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\n", c->id,
               c->kind == WH_CONFLICT_KIND_CONFLICT ? "conflict" : "rejected", c->code,
               c->incident_id ? c->incident_id : "", wh_action_to_string (c->op->action),
               c->op_id, c->reason);
    }
  return EXIT_SUCCESS;
}

static int
command_resolve (const char *id_text,
                 const char *how)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhSyncStore) store = NULL;
  g_autofree char *op_id = NULL;
  g_autofree char *resolution_name = g_strdelimit (g_strdup (how), "-", '_');
  WhResolution resolution;
  guint64 id;

  if (!g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, &id, NULL) ||
      !wh_resolution_from_string (resolution_name, &resolution) || resolution == WH_RESOLUTION_MERGE)
    {
      g_printerr ("whistlectl: %s\n", _("Usage: resolve ID keep-mine|take-theirs"));
      return EXIT_USAGE;
    }
  store = open_store (&error);
  if (store == NULL ||
      !wh_sync_store_resolve (store, id, resolution, NULL, NULL, NULL, g_get_real_time (), &op_id, &error))
    return fail (error);
  g_print ("%s\n", op_id ? op_id : "-");
  return EXIT_SUCCESS;
}

static int
command_attach (const char *incident_id,
                char      **files)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhAttachmentStore) attachments = NULL;
  g_autoptr (WhIncidentStore) incidents = NULL;
  g_autoptr (WhIncident) incident = NULL;
  g_autoptr (WhSyncStore) sync = NULL;
  g_autoptr (WhSyncState) state = NULL;
  g_autoptr (WhActor) actor = NULL;
  g_autoptr (WhOp) op = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autoptr (GString) names = g_string_new (NULL);
  const char *who;

  if (files == NULL || files[0] == NULL)
    {
      g_printerr ("whistlectl: %s\n", _("Usage: attach INCIDENT-ID FILE…"));
      return EXIT_USAGE;
    }
  db = wh_db_open (cache_path, &error);
  if (db == NULL)
    return fail (error);
  attachments = wh_attachment_store_new (db);
  incidents = wh_incident_store_new (db);
  sync = wh_sync_store_new (db);
  incident = wh_incident_store_get (incidents, incident_id, &error);
  if (incident == NULL || (state = wh_sync_store_get_state (sync, &error)) == NULL)
    return fail (error);

  /* The server writes the signed-in account into the timeline; this is the desk's copy. */
  who = user_name ? user_name : *state->user_name != '\0' ? state->user_name : g_get_user_name ();
  actor = wh_actor_new (who, who, WH_ROLE_DUTY_OFFICER, NULL);
  op = wh_op_new (WH_ACTION_NOTE, incident_id, actor, g_get_real_time ());
  op->base_rev = incident->rev;

  /* The files and the note that names them stand or fall together. */
  if (!wh_db_begin (db, &error))
    return fail (error);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (files[i]);
      g_autoptr (GFileInfo) info = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *base = g_file_get_basename (file);
      g_autofree char *hash = NULL;

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                                &error);
      if (info != NULL && g_file_info_get_size (info) > WH_ATTACHMENT_MAX_SIZE)
        g_set_error (&error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_TOO_LARGE,
                     _("The file is larger than %d MiB."), WH_ATTACHMENT_MAX_SIZE / (1024 * 1024));
      if (error == NULL)
        bytes = g_file_load_bytes (file, NULL, NULL, &error);
      if (bytes != NULL)
        hash = wh_attachment_store_put (attachments, bytes, NULL, base, &error);
      if (hash == NULL)
        {
          wh_db_rollback (db);
          g_prefix_error (&error, "%s: ", files[i]);
          return fail (error);
        }
      wh_op_add_attachment (op, hash);
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", base);
      g_print ("%s\t%s\n", hash, files[i]);
    }
  op->note = note ? g_strdup (note) : g_strdup_printf (_("Attached: %s"), names->str);
  event = wh_incident_store_apply (incidents, op, WH_APPLY_RECORD_OUTBOX, &error);
  if (event == NULL)
    {
      wh_db_rollback (db);
      return fail (error);
    }
  if (!wh_db_commit (db, &error))
    return fail (error);
  g_print ("%s\n", op->op_id);
  return EXIT_SUCCESS;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("login|logout|sync-once|status|conflicts|resolve ID keep-mine|take-theirs|attach INCIDENT-ID FILE…"));
  g_option_context_set_summary (context, _("Syncs a Whistle desk’s cache with its district server."));
  g_option_context_add_main_entries (context, options, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("whistlectl: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc < 2 || cache_path == NULL)
    {
      g_printerr ("whistlectl: %s\n", _("Give --cache and a command; see --help."));
      return EXIT_USAGE;
    }

  command = argv[1];
  if (g_str_equal (command, "login"))
    return command_login ();
  if (g_str_equal (command, "logout"))
    return command_logout ();
  if (g_str_equal (command, "sync-once"))
    return command_sync_once ();
  if (g_str_equal (command, "status"))
    return command_status ();
  if (g_str_equal (command, "conflicts"))
    return command_conflicts ();
  if (g_str_equal (command, "resolve") && argc == 4)
    return command_resolve (argv[2], argv[3]);
  if (g_str_equal (command, "attach") && argc >= 4)
    return command_attach (argv[2], argv + 3);

  g_printerr ("whistlectl: %s\n", _("Unknown command; see --help."));
  return EXIT_USAGE;
}
