/* wh-demo-street.h — a deterministic demo street
 *
 * Fills an empty (or, for multi-street tests, a differently coded) database with a whole
 * Beijing-like street: communities, grid cells with real polygons, the stationed units and
 * listed departments of the command center, a few hundred staff with terms and duty shifts,
 * the category catalogue, holidays, the assessment schemes and daily checks, and months of
 * incidents with histories that the lifecycle accepts step by step.
 *
 * Everything is drawn from one GRand seeded from the options, so the same options give the
 * same database, row for row, on every run.
 */
#pragma once

#include <gio/gio.h>

#include "wh-db.h"

G_BEGIN_DECLS

#define WH_DEMO_DEFAULT_SEED         20261122u
#define WH_DEMO_DEFAULT_INCIDENTS    20000u
#define WH_DEMO_DEFAULT_MONTHS       12u
#define WH_DEMO_DEFAULT_STREET_CODE  "110102099"
#define WH_DEMO_DEFAULT_STREET_NAME  "京华街道"

/**
 * WhDemoOptions:
 * @seed: the seed of every random choice
 * @n_incidents: how many incidents to generate
 * @end_time: the moment the generated history reaches, UTC microseconds; incidents are
 *   reported in the @months before it, and some are still open at it
 * @months: how many months of history (1–36)
 * @street_code: the 9-digit street code (district code + 3 digits); the district follows
 *   from its first six digits
 * @street_name: the street's name, ending in 街道
 * @center_lon: the middle of the street, WGS84; 0 places it from the street code
 * @center_lat: likewise
 *
 * Initialise with wh_demo_options_init(), then change what you need. The strings are
 * borrowed, not copied.
 */
typedef struct {
  guint32     seed;
  guint       n_incidents;
  gint64      end_time;
  guint       months;
  const char *street_code;
  const char *street_name;
  double      center_lon;
  double      center_lat;
} WhDemoOptions;

/* Which fraction of the work is done, 0.0 to 1.0; called from the generating thread. */
typedef void (*WhDemoProgressFunc) (double   fraction,
                                    gpointer user_data);

/**
 * wh_demo_options_init:
 * @options: the options to fill
 * @end_time: the moment the history reaches, UTC microseconds
 *
 * Sets the defaults: seed 20261122, 20000 incidents over 12 months, the street 京华街道
 * (110102099) of 西城区 around 116.350 E, 39.915 N.
 */
void     wh_demo_options_init (WhDemoOptions       *options,
                               gint64               end_time);

/**
 * wh_demo_generate:
 * @db: an open database without this street in it
 * @options: what to generate
 * @progress: (nullable): told how far the work is, now and then
 * @user_data: for @progress
 * @cancellable: (nullable): stops the work; nothing is written then
 * @error: a storage error, %G_IO_ERROR_CANCELLED, or %G_IO_ERROR_INVALID_ARGUMENT for bad
 *   options
 *
 * Generates the street described by @options into @db, in one transaction.
 *
 * Returns: %TRUE when the street was written; %FALSE leaves @db as it was
 */
gboolean wh_demo_generate     (WhDb                *db,
                               const WhDemoOptions *options,
                               WhDemoProgressFunc   progress,
                               gpointer             user_data,
                               GCancellable        *cancellable,
                               GError             **error);

G_END_DECLS
