/* whistle-demo.c — writes a deterministic demo street into a Whistle database
 *
 *   whistle-demo --output FILE [--seed N] [--incidents N] [--months N] [--end YYYY-MM-DD]
 *                [--street-code C --street-name NAME] [--multiply N] [--force]
 *
 * --multiply N copies the generated incidents in SQL until there are N times as many
 * (wh_demo_multiply()): a million-incident cache for benchmarks in a fraction of the time
 * generating them takes.
 *
 * Without --end the history reaches the present moment, so the desk's demo always has a
 * "this month"; tests and benchmarks pass --end for a reproducible file.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "wh-db.h"
#include "wh-demo-multiply.h"
#include "wh-demo-street.h"

typedef struct {
  gint64  started;
  double  last_shown;
  gboolean tty;
} Progress;

static void
show_progress (double   fraction,
               gpointer user_data)
{
  Progress *progress = user_data;

  if (!progress->tty || (fraction - progress->last_shown < 0.01 && fraction < 1.0))
    return;
  progress->last_shown = fraction;
  fprintf (stderr, "\r%3.0f%%  %.1f s", fraction * 100.0,
           (g_get_monotonic_time () - progress->started) / (double) G_USEC_PER_SEC);
  if (fraction >= 1.0)
    fputc ('\n', stderr);
  fflush (stderr);
}

/* The end of the history: the given local day's last moment in Asia/Shanghai, or now. */
static gboolean
parse_end (const char  *text,
           gint64      *end_time,
           GError     **error)
{
  g_autoptr (GTimeZone) tz = NULL;
  g_autoptr (GDateTime) dt = NULL;
  int y, m, d;
  char tail;

  if (text == NULL)
    {
      *end_time = g_get_real_time ();
      return TRUE;
    }
  if (sscanf (text, "%d-%d-%d%c", &y, &m, &d, &tail) != 3 ||
      !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a date of the form YYYY-MM-DD."), text);
      return FALSE;
    }
  /* China has had no daylight saving since 1991, so a fixed offset is exact. */
  tz = g_time_zone_new_offset (8 * 3600);
  dt = g_date_time_new (tz, y, m, d, 23, 59, 59);
  if (dt == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a date of the form YYYY-MM-DD."), text);
      return FALSE;
    }
  *end_time = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

static gboolean
remove_database (const char  *path,
                 GError     **error)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not remove “%s”: %s"), file, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

static guint
count_rows (WhDb       *db,
            const char *sql)
{
  sqlite3_stmt *stmt = wh_db_prepare (db, sql, NULL);
  guint n = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *output = NULL;
  g_autofree char *end = NULL;
  g_autofree char *street_code = NULL;
  g_autofree char *street_name = NULL;
  gint64 seed = WH_DEMO_DEFAULT_SEED;
  int incidents = WH_DEMO_DEFAULT_INCIDENTS;
  int months = WH_DEMO_DEFAULT_MONTHS;
  int multiply = 1;
  gboolean force = FALSE;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The database file to write"), N_("FILE") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("The seed of every random choice (default 20261122)"), N_("N") },
    { "incidents", 'n', 0, G_OPTION_ARG_INT, &incidents, N_("How many incidents (default 20000)"), N_("N") },
    { "months", 'm', 0, G_OPTION_ARG_INT, &months, N_("How many months of history (default 12)"), N_("N") },
    { "end", 'e', 0, G_OPTION_ARG_STRING, &end, N_("The last day of the history (default: now)"), N_("YYYY-MM-DD") },
    { "street-code", 0, 0, G_OPTION_ARG_STRING, &street_code, N_("The 9-digit street code (default 110102099)"), N_("CODE") },
    { "street-name", 0, 0, G_OPTION_ARG_STRING, &street_name, N_("The street’s name (default 京华街道)"), N_("NAME") },
    { "multiply", 0, 0, G_OPTION_ARG_INT, &multiply, N_("Copy the incidents until there are N times as many (default 1)"), N_("N") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, N_("Replace an existing database"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print nothing but errors"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = NULL;
  WhDemoOptions options;
  Progress progress = { 0 };
  GStatBuf st;
  gint64 end_time;
  double seconds;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Writes a deterministic demo street into a Whistle database."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto failed;

  if (output == NULL)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("Say where to write: --output FILE."));
      goto failed;
    }
  if (multiply < 1)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--multiply must be at least 1."));
      goto failed;
    }
  if (seed < 0 || seed > G_MAXUINT32 || incidents < 0 || months < 1)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The seed must lie between 0 and 4294967295, the incidents must not be "
                     "negative and the months must be at least one."));
      goto failed;
    }
  if ((street_code == NULL) != (street_name == NULL))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Give --street-code and --street-name together."));
      goto failed;
    }
  if (!parse_end (end, &end_time, &error))
    goto failed;

  if (g_stat (output, &st) == 0 && st.st_size > 0)
    {
      if (!force)
        {
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("“%s” already exists; use --force to replace it."), output);
          goto failed;
        }
      if (!remove_database (output, &error))
        goto failed;
    }

  db = wh_db_open (output, &error);
  if (db == NULL)
    goto failed;

  wh_demo_options_init (&options, end_time);
  options.seed = seed;
  options.n_incidents = incidents;
  options.months = months;
  if (street_code != NULL)
    {
      options.street_code = street_code;
      options.street_name = street_name;
    }

  progress.started = g_get_monotonic_time ();
  progress.tty = !quiet && isatty (fileno (stderr));
  if (!wh_demo_generate (db, &options, show_progress, &progress, NULL, &error))
    goto failed;
  seconds = (g_get_monotonic_time () - progress.started) / (double) G_USEC_PER_SEC;
  if (multiply > 1)
    {
      gint64 started = g_get_monotonic_time ();

      if (!wh_demo_multiply (db, multiply, &error))
        goto failed;
      if (!quiet)
        printf (_("%s: multiplied by %d in %.1f s\n"), output, multiply,
                (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
    }

  if (!quiet)
    printf (_("%s: street %s %s, %u units, %u staff, %u grid cells, %u incidents "
              "(%u open), %u events, seed %u, in %.1f s\n"),
            output, options.street_code, options.street_name,
            count_rows (db, "SELECT count(*) FROM unit"),
            count_rows (db, "SELECT count(*) FROM staff"),
            count_rows (db, "SELECT count(*) FROM grid_cell"),
            count_rows (db, "SELECT count(*) FROM incident"),
            count_rows (db, "SELECT count(*) FROM incident WHERE status NOT IN "
                            "('closed', 'rated', 'not_accepted')"),
            count_rows (db, "SELECT count(*) FROM incident_event"),
            (guint) seed, seconds);
  return EXIT_SUCCESS;

failed:
  fprintf (stderr, "whistle-demo: %s\n", error->message);
  return EXIT_FAILURE;
}
