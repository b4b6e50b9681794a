/* wh-incident-query.h — a WhIncidentQuery as SQL (private to src/core/store)
 *
 * One place turns the queue's query into SQL, so that the queue, its counts and the map's
 * points always agree on what a view or a filter means (wh-incident-store.h defines them).
 *
 * With a million incidents SQLite's planner needs help: it has no statistics of how many
 * rows a status or a category holds, and would often walk the wrong index. Each condition
 * is therefore written twice, in a form an index answers and in a form none does, and the
 * query picks which index drives: for a count, the condition with the fewest rows by this
 * module's own estimates; for a page, either the same or, when the rows are many, the
 * index of the sort column, read in order until the page is full. Counts are remembered
 * until the data changes; a search is run once into a temporary table of hits that every
 * statement of the same search then shares, and so are the rows of a query whose driving
 * index leads to few rows: counting them and sorting each page then read only those.
 */
#pragma once

#include "wh-incident-store.h"

G_BEGIN_DECLS

typedef struct {
  const WhIncidentQuery *query;
  char                  *where;    /* "1 AND …" over the table incident, for scanning it */
  gboolean               empty;    /* nothing can match */
  gint64                 now;      /* the query's now, or the real time */
  gint64                 day_from; /* the street-local day around now */
  gint64                 day_to;
  GArray                *conds;    /* private */
  int                    driver;   /* private: the condition whose index drives, or -1 */
  double                 driver_rows; /* private: about how many rows it leads to */
  gint64                 n_hits;   /* private: rows the search found */
  gboolean               rows;     /* private: the rows found are in temp.wh_query_rows */
} WhIncidentQuerySql;

/* Fills @sql from @query: runs its search, if any, and picks the index that drives. */
gboolean wh_incident_query_sql_init  (WhIncidentQuerySql    *sql,
                                      WhDb                  *db,
                                      const WhIncidentQuery *query,
                                      GError               **error);
void     wh_incident_query_sql_clear (WhIncidentQuerySql    *sql);

/* Binds the named parameters of the conditions (those @stmt has). */
void     wh_incident_query_sql_bind  (const WhIncidentQuerySql *sql,
                                      sqlite3_stmt             *stmt);

/* count(*) and one page of rowids of @query, in its order. */
gboolean wh_incident_query_count     (WhDb                  *db,
                                      const WhIncidentQuery *query,
                                      guint                 *count,
                                      GError               **error);
GArray  *wh_incident_query_rowids    (WhDb                  *db,
                                      const WhIncidentQuery *query,
                                      guint                  offset,
                                      guint                  limit,
                                      GError               **error);

/* ---- What a connection remembers (wh-incident-query-cache.c) ---- */

typedef enum {
  WH_QUERY_STAT_STATUS,
  WH_QUERY_STAT_CATEGORY,
  WH_QUERY_STAT_GRID,
  WH_QUERY_STAT_SOURCE,
  WH_QUERY_STAT_PRIORITY,
  WH_QUERY_STAT_UNIT,
  WH_N_QUERY_STATS
} WhQueryStat;

/* About how many incidents have @value in the column (or, for units, are summoned). */
double   wh_incident_query_cache_stat   (WhDb                     *db,
                                         WhQueryStat               kind,
                                         const char               *value);

/* The first column of @sql's first row as an integer, 0 when none. */
gint64   wh_incident_query_cache_int    (WhDb                     *db,
                                         const char               *sql);

/* Puts one rowid per incident that @text finds into temp.wh_search_hits. */
gboolean wh_incident_query_cache_search (WhDb                     *db,
                                         const char               *text,
                                         gint64                   *n_hits,
                                         GError                  **error);

/* Steps the count(*) @text with @sql's parameters. */
gboolean wh_incident_query_cache_count  (WhDb                     *db,
                                         const WhIncidentQuerySql *sql,
                                         const char               *text,
                                         gint64                   *count,
                                         GError                  **error);

/* Puts the rowids of @sql into temp.wh_query_rows and sets @sql->rows. */
gboolean wh_incident_query_cache_rows   (WhDb                     *db,
                                         WhIncidentQuerySql       *sql,
                                         gint64                   *count,
                                         GError                  **error);

/* Up to how many rows a query's rows are found first and then sorted (default 20,000);
 * beyond, the sort column's index is read in order. Tests of a small street set it low so
 * that both ways are taken. */
void     wh_incident_query_set_sort_at_most (guint rows);

G_END_DECLS
