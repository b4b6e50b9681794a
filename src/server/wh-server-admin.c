/* wh-server-admin.c — `whistle-server admin`: streets, accounts, tokens, the demo district */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "wh-account-store.h"
#include "wh-change-feed.h"
#include "wh-db.h"
#include "wh-demo-street.h"
#include "wh-api-key-store.h"
#include "wh-password.h"
#include "wh-roster-store.h"
#include "wh-server-admin.h"

#define MIN_PASSWORD_CHARS 8
#define MAX_PASSWORD_BYTES 1024

/* The streets of the demo district, in the order --streets takes them. Each gets its own
 * seed: the generator draws every id from its seed, and two streets drawn from one seed
 * would share unit, staff and incident ids. */
static const struct {
  const char *code;
  const char *name;
} demo_streets[] = {
  { WH_DEMO_DEFAULT_STREET_CODE, WH_DEMO_DEFAULT_STREET_NAME },
  { "110102098", "德润街道" },
  { "110102097", "金台街道" },
  { "110102096", "椿荫街道" },
  { "110102095", "月华街道" },
};

typedef struct {
  char    *database;
  char    *street;
  char    *role;
  char    *unit;
  char    *display_name;
  char    *district;
  double   lon;
  double   lat;
  int      streets;
  int      incidents;
  int      months;
  int      seed;
  char    *end;
  char    *source;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->database);
  g_free (options->street);
  g_free (options->role);
  g_free (options->unit);
  g_free (options->display_name);
  g_free (options->district);
  g_free (options->end);
  g_free (options->source);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("whistle-server admin: %s\n", message);
  return 1;
}

/* A password from standard input: one line, not echoed when it is a terminal. */
static char *
read_password (GError **error)
{
  char buffer[MAX_PASSWORD_BYTES + 2];
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char *line;
  gsize length;

  if (tty)
    {
      g_printerr ("%s", _("Password: "));
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  line = fgets (buffer, sizeof buffer, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  if (line == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No password was given on standard input."));
      return NULL;
    }
  length = strlen (line);
  if (length > MAX_PASSWORD_BYTES && line[length - 1] != '\n')
    {
      memset (buffer, 0, sizeof buffer);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("A password has at most %d bytes."), MAX_PASSWORD_BYTES);
      return NULL;
    }
  while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
    line[--length] = '\0';
  if (!g_utf8_validate (line, -1, NULL) || g_utf8_strlen (line, -1) < MIN_PASSWORD_CHARS)
    {
      memset (buffer, 0, sizeof buffer);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("A password needs at least %d characters."), MIN_PASSWORD_CHARS);
      return NULL;
    }
  line = g_strdup (line);
  memset (buffer, 0, sizeof buffer);
  return line;
}

static char *
read_password_hash (GError **error)
{
  g_autofree char *password = read_password (error);
  char *hash;

  if (password == NULL)
    return NULL;
  hash = wh_password_hash (password, error);
  memset (password, 0, strlen (password));
  return hash;
}

static int
add_street (WhAccountStore *accounts,
            Options        *options,
            char          **args)
{
  g_autoptr (GError) error = NULL;

  if (g_strv_length (args) != 2)
    return fail ("%s", _("add-street needs a street code and a name."));
  if (!wh_account_store_add_street (accounts, args[0], args[1],
                                    options->district ? options->district : "",
                                    options->lon, options->lat, &error))
    return fail ("%s", error->message);
  g_print (_("Added the street %s (%s).\n"), args[0], args[1]);
  return 0;
}

static int
add_user (WhAccountStore *accounts,
          Options        *options,
          char          **args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAccount) account = NULL;
  g_autofree char *hash = NULL;
  WhRole role;

  if (g_strv_length (args) != 1)
    return fail ("%s", _("add-user needs exactly one login name."));
  if (options->role == NULL || !wh_role_from_string (options->role, &role))
    return fail ("%s", _("add-user needs --role: duty_officer, director, unit_liaison, viewer or district."));

  hash = read_password_hash (&error);
  if (hash == NULL)
    return fail ("%s", error->message);
  account = wh_account_store_add (accounts, args[0], options->display_name, hash, role,
                                  options->street, options->unit, &error);
  if (account == NULL)
    return fail ("%s", error->message);
  g_print (_("Added the account %s (%s, street %s).\n"), account->name,
           wh_role_to_string (account->role), account->street_id ? account->street_id : "*");
  return 0;
}

static int
set_password (WhAccountStore *accounts,
              char          **args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhAccount) account = NULL;
  g_autofree char *hash = NULL;

  if (g_strv_length (args) != 1)
    return fail ("%s", _("set-password needs exactly one login name."));
  /* Ask for the password only when there is an account to give it to. */
  if ((account = wh_account_store_lookup (accounts, args[0], NULL, &error)) == NULL ||
      (hash = read_password_hash (&error)) == NULL ||
      !wh_account_store_set_password_hash (accounts, args[0], hash, &error))
    return fail ("%s", error->message);
  g_print (_("Changed the password of %s.\n"), args[0]);
  return 0;
}

static int
set_disabled (WhAccountStore *accounts,
              char          **args,
              gboolean        disabled)
{
  g_autoptr (GError) error = NULL;

  if (g_strv_length (args) != 1)
    return fail ("%s", _("This command needs exactly one login name."));
  if (!wh_account_store_set_disabled (accounts, args[0], disabled, &error))
    return fail ("%s", error->message);
  g_print (disabled ? _("Disabled the account %s.\n") : _("Enabled the account %s.\n"), args[0]);
  return 0;
}

static int
revoke_tokens (WhAccountStore *accounts,
               char          **args)
{
  g_autoptr (GError) error = NULL;
  int n;

  if (g_strv_length (args) != 1)
    return fail ("%s", _("revoke-tokens needs exactly one login name."));
  n = wh_account_store_revoke_all (accounts, args[0], g_get_real_time (), &error);
  if (n < 0)
    return fail ("%s", error->message);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Revoked %d sign-in of %s.\n",
                        "Revoked %d sign-ins of %s.\n", n), n, args[0]);
  return 0;
}

static int
list_users (WhAccountStore *accounts)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = wh_account_store_list (accounts, &error);

  if (list == NULL)
    return fail ("%s", error->message);
  for (guint i = 0; i < list->len; i++)
    {
      WhAccount *account = g_ptr_array_index (list, i);

      g_print ("%s\t%s\t%s\t%s\t%s%s\n", account->name, wh_role_to_string (account->role),
               account->street_id ? account->street_id : "*",
               account->unit_id ? account->unit_id : "-", account->display_name,
               account->disabled ? _("\t(disabled)") : "");
    }
  return 0;
}

static int
list_units (WhDb    *db,
            Options *options)
{
  g_autoptr (WhRosterStore) roster = wh_roster_store_new (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) units = NULL;

  if (options->street == NULL)
    return fail ("%s", _("list-units needs --street."));
  units = wh_roster_store_list_units (roster, -1, &error);
  if (units == NULL)
    return fail ("%s", error->message);
  for (guint i = 0; i < g_list_model_get_n_items (units); i++)
    {
      g_autoptr (WhUnit) unit = g_list_model_get_item (units, i);

      if (g_strcmp0 (unit->street_id, options->street) == 0)
        g_print ("%s\t%s\t%s\n", unit->id, unit->short_name, unit->name);
    }
  return 0;
}

/* Open311 API keys: made here from the system's randomness, shown once, stored hashed. */
static int
add_api_key (WhDb    *db,
             Options *options,
             char   **args)
{
  g_autoptr (WhApiKeyStore) store = wh_api_key_store_new (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (WhApiKey) stored = NULL;
  g_autofree char *key = NULL;
  g_autofree char *number = NULL;

  if (g_strv_length (args) != 1)
    return fail ("%s", _("add-api-key needs exactly one name, e.g. \"12345 hotline\"."));
  if (options->street == NULL)
    return fail ("%s", _("add-api-key needs --street: the one street the key reports into."));

  key = wh_password_new_token ();
  stored = wh_api_key_store_add (store, key, options->street, args[0], options->source, &error);
  if (stored == NULL)
    return fail ("%s", error->message);
  /* The key on standard output alone, for scripts; the rest for people on standard error. */
  number = g_strdup_printf ("%" G_GINT64_FORMAT, stored->id);
  g_printerr (_("Added the API key %s “%s” for the street %s (source %s). It is shown only now:\n"),
              number, stored->name, stored->street_id, stored->source);
  g_print ("%s\n", key);
  return 0;
}

static int
list_api_keys (WhDb *db)
{
  g_autoptr (WhApiKeyStore) store = wh_api_key_store_new (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) keys = wh_api_key_store_list (store, &error);

  if (keys == NULL)
    return fail ("%s", error->message);
  for (guint i = 0; i < keys->len; i++)
    {
      WhApiKey *key = g_ptr_array_index (keys, i);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s%s\n", key->id, key->street_id, key->source,
               key->name, key->revoked_at != 0 ? _("\t(revoked)") : "");
    }
  return 0;
}

static int
revoke_api_key (WhDb  *db,
                char **args)
{
  g_autoptr (WhApiKeyStore) store = wh_api_key_store_new (db);
  g_autoptr (GError) error = NULL;
  gint64 id;

  if (g_strv_length (args) != 1 || !g_ascii_string_to_signed (args[0], 10, 1, G_MAXINT64, &id, NULL))
    return fail ("%s", _("revoke-api-key needs the key’s number, as list-api-keys shows it."));
  if (!wh_api_key_store_revoke (store, id, g_get_real_time (), &error))
    return fail ("%s", error->message);
  g_print (_("Revoked the API key %s.\n"), args[0]);
  return 0;
}

/* The history's end: the given day's last moment in Beijing, or now. */
static gboolean
parse_end (const char *text,
           gint64     *end_time)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) dt = NULL;
  int y, m, d;
  char tail;

  if (text == NULL)
    {
      *end_time = g_get_real_time ();
      return TRUE;
    }
  if (sscanf (text, "%d-%d-%d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  dt = g_date_time_new (tz, y, m, d, 23, 59, 59);
  if (dt == NULL)
    return FALSE;
  *end_time = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

static void
show_progress (double   fraction,
               gpointer user_data)
{
  double *last = user_data;

  if (fraction - *last < 0.05 && fraction < 1.0)
    return;
  *last = fraction;
  g_printerr ("  %3.0f%%\n", fraction * 100.0);
}

static int
load_demo (WhDb           *db,
           WhAccountStore *accounts,
           Options        *options)
{
  g_autoptr (WhChangeFeed) feed = wh_change_feed_new (db);
  g_autoptr (GError) error = NULL;
  gint64 end_time;
  guint adopted = 0;

  if (options->streets < 1 || options->streets > (int) G_N_ELEMENTS (demo_streets))
    return fail (_("--streets must lie between 1 and %u."), (guint) G_N_ELEMENTS (demo_streets));
  if (options->incidents < 0)
    return fail ("%s", _("--incidents cannot be negative."));
  if (!parse_end (options->end, &end_time))
    return fail (_("“%s” is not a date of the form YYYY-MM-DD."), options->end);

  for (int i = 0; i < options->streets; i++)
    {
      WhDemoOptions demo;
      double last = -1;

      wh_demo_options_init (&demo, end_time);
      demo.seed = (guint32) options->seed + (guint32) i * 7919u;
      demo.street_code = demo_streets[i].code;
      demo.street_name = demo_streets[i].name;
      if (options->incidents >= 0)
        demo.n_incidents = options->incidents;
      if (options->months > 0)
        demo.months = options->months;

      g_printerr (_("Generating the street %s (%s), %u incidents…\n"), demo.street_code,
                  demo.street_name, demo.n_incidents);
      if (!wh_demo_generate (db, &demo, show_progress, &last, NULL, &error))
        return fail ("%s", error->message);
      /* The generator marks a fresh database as its first street's desk cache. */
      if (!wh_account_store_claim_database (accounts, TRUE, &error))
        return fail ("%s", error->message);
    }

  if (!wh_change_feed_adopt (feed, &adopted, &error))
    return fail ("%s", error->message);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Loaded %d demo street with %u incidents.\n",
                        "Loaded %d demo streets with %u incidents.\n", options->streets),
           options->streets, adopted);
  return 0;
}

int
wh_server_admin_main (int    argc,
                      char **argv)
{
  g_auto (Options) options = { 0, };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  g_autoptr (WhAccountStore) accounts = NULL;
  g_auto (GStrv) args = NULL;
  const char *command;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &options.database, N_("The server’s database"), N_("PATH") },
    { "street", 0, 0, G_OPTION_ARG_STRING, &options.street, N_("The account’s street"), N_("CODE") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &options.role, N_("The account’s role"), N_("ROLE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &options.unit, N_("A unit liaison’s unit"), N_("UNIT") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &options.display_name, N_("The name shown in timelines"), N_("NAME") },
    { "district", 0, 0, G_OPTION_ARG_STRING, &options.district, N_("The new street’s district"), N_("NAME") },
    { "lon", 0, 0, G_OPTION_ARG_DOUBLE, &options.lon, N_("The new street’s centre, longitude"), N_("DEGREES") },
    { "lat", 0, 0, G_OPTION_ARG_DOUBLE, &options.lat, N_("The new street’s centre, latitude"), N_("DEGREES") },
    { "streets", 0, 0, G_OPTION_ARG_INT, &options.streets, N_("How many demo streets (1–5)"), N_("N") },
    { "incidents", 0, 0, G_OPTION_ARG_INT, &options.incidents, N_("Incidents per demo street"), N_("N") },
    { "months", 0, 0, G_OPTION_ARG_INT, &options.months, N_("Months of demo history"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &options.seed, N_("Seed of the demo generator"), N_("N") },
    { "end", 0, 0, G_OPTION_ARG_STRING, &options.end, N_("Last day of the demo history"), N_("YYYY-MM-DD") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &options.source, N_("The source of incidents an API key reports (default hotline)"), N_("SOURCE") },
    { NULL }
  };

  options.streets = 3;
  options.incidents = -1;
  options.seed = WH_DEMO_DEFAULT_SEED;

  context = g_option_context_new (_("COMMAND [ARGUMENTS] — manage the district server’s database"));
  g_option_context_set_summary (context,
                                _("Commands: add-street CODE NAME, add-user LOGIN, set-password LOGIN, "
                                  "disable-user LOGIN, enable-user LOGIN, revoke-tokens LOGIN, "
                                  "list-users, list-units, load-demo, add-api-key NAME, "
                                  "list-api-keys, revoke-api-key NUMBER.\n"
                                  "Passwords are read from standard input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("%s", error->message);
  if (argc < 2)
    return fail ("%s", _("Which command? See --help."));
  if (options.database == NULL)
    return fail ("%s", _("Which database? Give --database PATH."));
  if (!wh_password_init ())
    return fail ("%s", _("The system’s random number source is not available."));

  command = argv[1];
  args = g_strdupv (argv + 2);

  db = wh_db_open (options.database, &error);
  if (db == NULL)
    return fail ("%s", error->message);
  accounts = wh_account_store_new (db);
  if (!wh_account_store_claim_database (accounts, FALSE, &error))
    return fail ("%s", error->message);

  if (g_str_equal (command, "add-street"))
    return add_street (accounts, &options, args);
  if (g_str_equal (command, "add-user"))
    return add_user (accounts, &options, args);
  if (g_str_equal (command, "set-password"))
    return set_password (accounts, args);
  if (g_str_equal (command, "disable-user"))
    return set_disabled (accounts, args, TRUE);
  if (g_str_equal (command, "enable-user"))
    return set_disabled (accounts, args, FALSE);
  if (g_str_equal (command, "revoke-tokens"))
    return revoke_tokens (accounts, args);
  if (g_str_equal (command, "list-users"))
    return list_users (accounts);
  if (g_str_equal (command, "list-units"))
    return list_units (db, &options);
  if (g_str_equal (command, "load-demo"))
    return load_demo (db, accounts, &options);
  if (g_str_equal (command, "add-api-key"))
    return add_api_key (db, &options, args);
  if (g_str_equal (command, "list-api-keys"))
    return list_api_keys (db);
  if (g_str_equal (command, "revoke-api-key"))
    return revoke_api_key (db, args);
  return fail (_("Unknown command “%s”. See --help."), command);
}
