/* test-util.c — helpers shared by the tests: temporary directories and caches */
#include "config.h"

#include <glib/gstdio.h>

#include "test-util.h"
#include "wh-demo-street.h"

WhDb *
test_open_temp_db (const char  *tmpl,
                   char       **dir,
                   char       **path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *made_dir = g_dir_make_tmp (tmpl, NULL);
  g_autofree char *made_path = NULL;
  WhDb *db;

  g_assert_nonnull (made_dir);
  made_path = g_build_filename (made_dir, "cache.db", NULL);
  db = wh_db_open (made_path, &error);
  g_assert_no_error (error);
  if (dir != NULL)
    *dir = g_steal_pointer (&made_dir);
  if (path != NULL)
    *path = g_steal_pointer (&made_path);
  return db;
}

void
test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

void
test_make_demo_cache (const char *path,
                      guint       n_incidents,
                      guint       months)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WhDb) db = wh_db_open (path, &error);
  WhDemoOptions options;

  g_assert_no_error (error);
  wh_demo_options_init (&options, g_get_real_time ());
  options.n_incidents = n_incidents;
  options.months = months;
  g_assert_true (wh_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}
