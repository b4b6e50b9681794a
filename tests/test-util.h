/* test-util.h — helpers shared by the tests: temporary directories and caches */
#pragma once

#include <glib.h>

#include "wh-db.h"

G_BEGIN_DECLS

/* Makes a fresh directory from @tmpl (g_dir_make_tmp()) and opens a new cache "cache.db"
 * in it; asserts success. @dir and @path (nullable) receive newly allocated strings. */
WhDb *test_open_temp_db (const char  *tmpl,
                         char       **dir,
                         char       **path);

/* Fills a new cache at @path with a generated demo street of @n_incidents over the last
 * @months months, its history reaching now; asserts success. */
void  test_make_demo_cache (const char *path,
                            guint       n_incidents,
                            guint       months);

/* Removes the files directly in @path, then @path itself. Nothing happens when @path cannot
 * be opened. */
void  test_remove_tree  (const char  *path);

G_END_DECLS
