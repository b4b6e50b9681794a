/* wh-demo-incidents.c — months of incidents with histories the lifecycle accepts
 *
 * Every incident is built the way the desk builds one: op by op through the pure
 * wh_incident_apply_op(), which checks each step against the transition table. A refusal
 * is a bug in the plan here and stops the generator; nothing is ever written around the
 * rules. The finished projection and its events then go to the store in one import.
 *
 * Incidents are made day by day in the order they were reported, one at a time, so the
 * memory needed stays flat whether the street gets twenty thousand or a million.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wh-deadline.h"
#include "wh-demo-private.h"

/* Share of incidents taking each side path. Units' own performance scales the ones that
 * are their doing (late report-in, overdue, rework), so that rankings mean something. */
#define PCT_NOT_ACCEPTED   3.0
#define PCT_RETURNED       5.0
#define PCT_COOP_RETURNED  1.0
#define PCT_REWORK         6.0
#define PCT_ESCALATED      2.0
#define PCT_OVERDUE        2.5
#define PCT_STALLED        1.0
#define PCT_LATE_ACK       7.0
#define PCT_REOPENED       0.3
#define PCT_LEGAL_REFUSED  12.0
#define PCT_CALLED_AGAIN   8     /* of hotline reports: a second caller, merged (合并) */

/* What a second caller says about a matter already reported. */
static const char *const called_again[] = {
  "市民再次来电反映同一问题，要求尽快处理。",
  "又有居民来电反映此事，情况仍然存在。",
  "同一地点另有市民来电，反映内容一致。",
};

static const WhStatus tail_targets[] = {
  /* The newest incidents stop first in the earliest states. */
  WH_STATUS_REPORTED, WH_STATUS_REGISTERED, WH_STATUS_WHISTLED, WH_STATUS_ACKNOWLEDGED,
  WH_STATUS_IN_PROGRESS, WH_STATUS_RETURNED, WH_STATUS_ESCALATED, WH_STATUS_LEGAL_REVIEW,
  WH_STATUS_RESOLVED, WH_STATUS_REWORK, WH_STATUS_VERIFIED, WH_STATUS_CLOSED,
};

/* How a day's reports spread over its hours (local time): quiet nights, a morning peak
 * when patrols start and the hotline opens, a second one in the afternoon. */
static const double hourly_rhythm[24] = {
  0.25, 0.15, 0.10, 0.08, 0.08, 0.15, 0.40, 0.80, 1.30, 1.70, 1.80, 1.60,
  1.20, 1.25, 1.55, 1.65, 1.55, 1.35, 1.15, 1.05, 0.95, 0.75, 0.55, 0.35,
};

/* More happens in the warm months: street trading, building, noise, storms. */
static const double monthly_season[12] = {
  0.80, 0.72, 0.90, 1.00, 1.10, 1.25, 1.35, 1.30, 1.10, 0.95, 0.90, 0.85,
};

/* patrol, hotline, video, walk_in, community, district */
static const char *const source_ids[] = {
  "patrol", "hotline", "video", "walk_in", "community", "district",
};
static const int source_mix[DEMO_N_SOURCE_PROFILES][6] = {
  [DEMO_SOURCES_PATROL] = { 52, 18, 15, 3, 8, 4 },
  [DEMO_SOURCES_HOTLINE] = { 12, 62, 4, 8, 8, 6 },
  [DEMO_SOURCES_MIXED] = { 32, 36, 10, 6, 10, 6 },
};

typedef enum {
  SOURCE_PATROL,
  SOURCE_HOTLINE,
  SOURCE_VIDEO,
  SOURCE_WALK_IN,
  SOURCE_COMMUNITY,
  SOURCE_DISTRICT,
} Source;

typedef struct {
  DemoContext     *ctx;
  GRand           *rand;
  GRand           *merge_rand;       /* second callers: a stream of their own, so that
                                      * adding them moved nothing else */
  WhIncidentStore *store;
  WhActor        **street_actors;    /* per staff: as duty officer or director */
  WhActor        **liaison_actors;   /* per staff: as unit liaison, or NULL */
  WhActor        **district_actors;  /* per staff: as district dispatcher, or NULL */
  double          *unit_perf;        /* per unit: 1 average, above 1 worse */
  double          *cat_cum;          /* cumulative weights of subcategories */
  double          *cat_cum_summer;
  double          *cat_cum_major;
  double          *cell_cum;
  guint            n_cells;
} Gen;

typedef struct {
  gboolean not_accept;
  int      escalate;      /* 0 no, 1 right after registering, 2 during handling */
  int      return_stage;  /* 0 no, 1 the lead returns instead of reporting in, 2 after */
  gboolean coop_return;
  int      rework;        /* verifications that fail */
  int      timing;        /* 0 on time, 1 overdue, 2 stalled */
  gboolean late_ack;
  gboolean legal_refused;
  gboolean rated;
  gboolean reopen;
  guint    n_notes;
} Plan;

typedef struct {
  gint64   at;
  guint    unit;
  gboolean is_return;
  gboolean done;
} Pending;

typedef struct {
  Gen                   *gen;
  const DemoCategoryDef *cat;
  guint                  cat_index;
  guint                  cell;
  WhIncident            *incident;
  GPtrArray             *events;
  char                  *incident_id;
  gint64                 now;
  gboolean               stopped;
  gboolean               tail;
  WhStatus               target;
  guint                  lead;
  Pending                pending[4];
  guint                  n_pending;
} Run;

static double
uniform (GRand *rand,
         double lo,
         double hi)
{
  return g_rand_double_range (rand, lo, hi);
}

static gboolean
chance (GRand  *rand,
        double  percent)
{
  return g_rand_double (rand) * 100.0 < percent;
}

static gint64
minutes (double m)
{
  return (gint64) (m * DEMO_USEC_PER_MINUTE);
}

/* Waiting times with a long tail: most steps are quick, some take much longer. */
static gint64
wait_minutes (GRand  *rand,
              double  lo,
              double  mean,
              double  hi)
{
  double m = lo - (mean - lo) * log (1.0 - g_rand_double (rand));

  return minutes (MIN (m, hi));
}

/* People call residents back and directors sign papers in the daytime: a time outside
 * @from–@to o'clock (local) moves to the next morning. */
static gint64
daytime (GRand  *rand,
         gint64  t,
         int     from,
         int     to)
{
  gint64 midnight = demo_day_start (demo_local_day (t));
  int hour = (t - midnight) / DEMO_USEC_PER_HOUR;

  if (hour < from)
    return midnight + from * DEMO_USEC_PER_HOUR + minutes (g_rand_int_range (rand, 0, 300));
  if (hour >= to)
    return midnight + DEMO_USEC_PER_DAY + from * DEMO_USEC_PER_HOUR +
           minutes (g_rand_int_range (rand, 0, 300));
  return t;
}

/* The next moment of working time at or after @t, a few minutes in. */
static gint64
office_hours (DemoContext *ctx,
              GRand       *rand,
              gint64       t)
{
  return wh_work_calendar_add_minutes (ctx->calendar, t, g_rand_int_range (rand, 1, 240), TRUE);
}

static guint
pick_cumulative (GRand        *rand,
                 const double *cum,
                 guint         n)
{
  double r = g_rand_double (rand) * cum[n - 1];
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cum[mid] > r)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

static DemoUnit *
unit_at (Gen  *gen,
         guint unit)
{
  return g_ptr_array_index (gen->ctx->units, unit);
}

static DemoStaff *
staff_at (Gen  *gen,
          guint staff)
{
  return g_ptr_array_index (gen->ctx->staff, staff);
}

/* Actors */

static void
gen_init_actors (Gen *gen)
{
  DemoContext *ctx = gen->ctx;
  guint n = ctx->staff->len;
  const char *district_unit = unit_at (gen, DEMO_UNIT_DISTRICT)->id;

  gen->street_actors = g_new0 (WhActor *, n);
  gen->liaison_actors = g_new0 (WhActor *, n);
  gen->district_actors = g_new0 (WhActor *, n);
  for (guint s = 0; s < n; s++)
    {
      DemoStaff *staff = staff_at (gen, s);
      DemoUnit *unit = unit_at (gen, staff->unit);

      if (g_str_equal (staff->role, "director"))
        gen->street_actors[s] = wh_actor_new (staff->id, staff->name, WH_ROLE_DIRECTOR, NULL);
      else
        gen->street_actors[s] = wh_actor_new (staff->id, staff->name, WH_ROLE_DUTY_OFFICER, NULL);
      if (g_str_equal (staff->role, "unit_liaison"))
        gen->liaison_actors[s] = wh_actor_new (staff->id, staff->name, WH_ROLE_UNIT_LIAISON, unit->id);
      if (staff->unit == DEMO_UNIT_DISTRICT)
        gen->district_actors[s] = wh_actor_new (staff->id, staff->name, WH_ROLE_DISTRICT, district_unit);
    }
}

static void
gen_clear (Gen *gen)
{
  guint n = gen->ctx->staff->len;

  for (guint s = 0; gen->street_actors != NULL && s < n; s++)
    {
      wh_actor_free (gen->street_actors[s]);
      wh_actor_free (gen->liaison_actors[s]);
      wh_actor_free (gen->district_actors[s]);
    }
  g_free (gen->street_actors);
  g_free (gen->liaison_actors);
  g_free (gen->district_actors);
  g_free (gen->unit_perf);
  g_free (gen->cat_cum);
  g_free (gen->cat_cum_summer);
  g_free (gen->cat_cum_major);
  g_free (gen->cell_cum);
  g_clear_object (&gen->store);
}

static const WhActor *
officer (Run   *run,
         gint64 at)
{
  Gen *gen = run->gen;
  guint which = g_rand_int_range (gen->rand, 0, 3);

  return gen->street_actors[demo_officer_at (gen->ctx, at, which)];
}

static const WhActor *
leader (Run   *run,
        gint64 at)
{
  return run->gen->street_actors[demo_leader_at (run->gen->ctx, at)];
}

static const WhActor *
liaison (Run   *run,
         guint  unit,
         gint64 at)
{
  return run->gen->liaison_actors[demo_liaison_at (run->gen->ctx, unit, at)];
}

static const WhActor *
dispatcher (Run   *run,
            gint64 at)
{
  Gen *gen = run->gen;
  GArray *d = gen->ctx->district_dispatchers;
  guint k = (guint) (demo_local_day (at) % d->len);

  return gen->district_actors[g_array_index (d, guint, k)];
}

/* Running one history */

/* When the next step happens. Histories are cut at the end of the generated period: what
 * would happen later has not happened yet, and the incident stays open where it is. The
 * few tail incidents that must show a given state squeeze their steps in instead. */
static gboolean
next_time (Run    *run,
           gint64  proposed,
           gint64 *at)
{
  gint64 end = run->gen->ctx->end_time;

  if (run->stopped)
    return FALSE;
  if (proposed <= run->now)
    proposed = run->now + G_USEC_PER_SEC;
  if (proposed >= end)
    {
      if (!run->tail || end - run->now < 1000)
        {
          run->stopped = TRUE;
          return FALSE;
        }
      proposed = run->now + (gint64) ((end - run->now) * uniform (run->gen->rand, 0.2, 0.5));
    }
  *at = proposed;
  return TRUE;
}

static WhOp *
new_op (Run           *run,
        WhAction       action,
        const WhActor *actor,
        gint64         at)
{
  WhOp *op = wh_op_new (action, run->incident_id, actor, at);

  g_free (op->op_id);
  op->op_id = wh_uuid_new (run->gen->rand);
  return op;
}

/* Applies @op (taking it). A refusal means the plan broke a rule: that is a bug here. */
static gboolean
apply (Run     *run,
       WhOp    *op,
       GError **error)
{
  g_autoptr (WhOp) owned = op;
  g_autoptr (GError) local_error = NULL;
  WhIncidentEvent *event;

  event = wh_incident_apply_op (run->incident, op, run->cat->major, &local_error);
  if (event == NULL)
    {
      g_set_error (error, WH_INCIDENT_ERROR, local_error->code,
                   "Demo history of %s (%s) broke a rule at “%s” from “%s”: %s",
                   run->incident->number ? run->incident->number : run->incident_id,
                   run->cat->name, wh_action_to_string (op->action),
                   wh_status_to_string (run->incident->status), local_error->message);
      return FALSE;
    }
  g_ptr_array_add (run->events, event);
  run->now = op->at;
  if (run->tail && run->incident->status == run->target)
    run->stopped = TRUE;
  return TRUE;
}

static char *
expand_unit (const char *template,
             const char *unit)
{
  DemoTextVars vars = { .unit = unit };

  return demo_expand (template, &vars);
}

static char *
expand_n (GRand      *rand,
          const char *template)
{
  char n[8];
  DemoTextVars vars = { .n = n };

  g_snprintf (n, sizeof n, "%d", g_rand_int_range (rand, 2, 9));
  return demo_expand (template, &vars);
}

/* The limits of the category, shortened by the priority as wh_deadline_compute() does. */
static gint64
limit_minutes (Run     *run,
               gboolean handling)
{
  double factor = run->gen->ctx->priority_factor[run->incident->priority];

  return wh_deadline_shorten (handling ? run->cat->handling_minutes : run->cat->response_minutes,
                              factor);
}

/* @fraction of a limit counted from @from, in working time when the category counts so:
 * units answer in office hours what only needs office hours. */
static gint64
after_limit (Run     *run,
             gint64   from,
             gboolean handling,
             double   fraction)
{
  gint64 m = (gint64) ceil (limit_minutes (run, handling) * fraction);

  return wh_work_calendar_add_minutes (run->gen->ctx->calendar, from, MAX (m, 1),
                                       run->cat->working_hours) +
         g_rand_int_range (run->gen->rand, 0, 60) * G_USEC_PER_SEC;
}

static gboolean
do_acknowledge (Run     *run,
                guint    unit,
                gint64   at,
                GError **error)
{
  WhOp *op = new_op (run, WH_ACTION_ACKNOWLEDGE, liaison (run, unit, at), at);

  op->unit_id = g_strdup (unit_at (run->gen, unit)->id);
  return apply (run, op, error);
}

static gboolean
do_return (Run        *run,
           guint       unit,
           guint       instead,
           gint64      at,
           GError    **error)
{
  Gen *gen = run->gen;
  WhOp *op = new_op (run, WH_ACTION_RETURN, liaison (run, unit, at), at);
  const char *reason = demo_pick (gen->rand, demo_return_reasons, demo_n_return_reasons);

  op->unit_id = g_strdup (unit_at (gen, unit)->id);
  op->note = expand_unit (reason, unit_at (gen, instead)->short_name);
  return apply (run, op, error);
}

/* Cooperating units report in (or return) on their own clocks. Steps that the lifecycle
 * allows only before them (legal review, feedback) first let them all report in. */
static gboolean
flush_pending (Run     *run,
               gint64   limit,
               gboolean force_returns,
               gboolean force_all,
               GError **error)
{
  for (guint k = 0; k < run->n_pending; k++)
    {
      Pending *p = &run->pending[k];
      gint64 at;

      if (p->done || run->stopped)
        continue;
      if (!(p->at <= limit || force_all || (force_returns && p->is_return)))
        continue;
      at = p->at;
      if (force_all && at > limit - minutes (1))
        at = limit - minutes (1);
      if (!next_time (run, at, &at))
        return TRUE;
      p->done = TRUE;
      if (p->is_return)
        {
          if (!do_return (run, p->unit, run->lead, at, error))
            return FALSE;
        }
      else if (!do_acknowledge (run, p->unit, at, error))
        return FALSE;
    }
  return TRUE;
}

static int
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const Pending *pa = a, *pb = b;

  return (pa->at > pb->at) - (pa->at < pb->at);
}

static gboolean
do_whistle (Run           *run,
            const WhActor *actor,
            gint64         at,
            guint          lead,
            const guint   *coops,
            guint          n_coops,
            GError       **error)
{
  Gen *gen = run->gen;
  WhOp *op = new_op (run, WH_ACTION_WHISTLE, actor, at);
  WhTimeLimits limits = {
    .response_minutes = run->cat->response_minutes,
    .handling_minutes = run->cat->handling_minutes,
    .working_hours = run->cat->working_hours,
  };
  gint64 response_due, handling_due;

  wh_deadline_compute (gen->ctx->calendar, &limits,
                       gen->ctx->priority_factor[run->incident->priority], at,
                       &response_due, &handling_due);
  wh_op_set_string (op, "lead_unit_id", unit_at (gen, lead)->id);
  if (n_coops > 0)
    {
      JsonArray *array = json_array_new ();

      for (guint k = 0; k < n_coops; k++)
        json_array_add_string_element (array, unit_at (gen, coops[k])->id);
      json_object_set_array_member (op->fields, "cooperating_unit_ids", array);
    }
  wh_op_set_int (op, "response_due_at", response_due);
  wh_op_set_int (op, "handling_due_at", handling_due);
  run->lead = lead;
  return apply (run, op, error);
}

/* A second caller about the same matter, linked to the incident by the desk. */
static gboolean
do_add_reporter (Run     *run,
                 gint64   at,
                 GError **error)
{
  Gen *gen = run->gen;
  GRand *rand = gen->merge_rand;
  guint which = g_rand_int_range (rand, 0, 3);
  WhOp *op = wh_op_new (WH_ACTION_ADD_REPORTER, run->incident_id,
                        gen->street_actors[demo_officer_at (gen->ctx, at, which)], at);
  g_autofree char *name = demo_reporter_name (rand);
  g_autofree char *phone = demo_mobile (rand);

  g_free (op->op_id);
  op->op_id = wh_uuid_new (rand);
  wh_op_set_string (op, "source", "hotline");
  wh_op_set_string (op, "reporter_name", name);
  wh_op_set_string (op, "reporter_phone", phone);
  op->note = g_strdup (called_again[g_rand_int_range (rand, 0, G_N_ELEMENTS (called_again))]);
  return apply (run, op, error);
}

static gboolean
do_note (Run           *run,
         WhAction       action,
         const WhActor *actor,
         gint64         at,
         char          *note,
         GError       **error)
{
  WhOp *op = new_op (run, action, actor, at);

  op->note = note;
  return apply (run, op, error);
}

#define STEP(call)                   \
  G_STMT_START {                     \
    if (!(call))                     \
      return FALSE;                  \
    if (run->stopped)                \
      return TRUE;                   \
  } G_STMT_END

#define WHEN(proposed, at)           \
  G_STMT_START {                     \
    if (!next_time (run, (proposed), &(at))) \
      return TRUE;                   \
  } G_STMT_END

static gboolean handle (Run *run, Plan *plan, const guint *coops, guint n_coops,
                        gboolean side_paths, GError **error);

/* An escalated incident comes back as a district-level whistle: the district (or the
 * center director on its behalf) summons the units again, with fresh deadlines. */
static gboolean
escalate (Run     *run,
          Plan    *plan,
          gint64   proposed,
          GError **error)
{
  Gen *gen = run->gen;
  const DemoCategoryDef *cat = run->cat;
  guint coops[3];
  guint n_coops = 0;
  gint64 at;
  const WhActor *actor;

  WHEN (proposed, at);
  /* Units that had not reported in by now are summoned afresh by the district. */
  run->n_pending = 0;
  STEP (do_note (run, WH_ACTION_ESCALATE, officer (run, at), at,
                 g_strdup (demo_pick (gen->rand, demo_escalate_reasons, demo_n_escalate_reasons)),
                 error));

  WHEN (office_hours (gen->ctx, gen->rand, run->now + wait_minutes (gen->rand, 90, 600, 4000)), at);
  for (guint k = 0; k < G_N_ELEMENTS (cat->coop) && cat->coop[k] != DEMO_UNIT_NONE; k++)
    coops[n_coops++] = cat->coop[k];
  if (n_coops == 0)
    coops[n_coops++] = cat->lead == DEMO_UNIT_HOUSING ? DEMO_UNIT_CHENGGUAN : DEMO_UNIT_HOUSING;
  actor = chance (gen->rand, 80) ? dispatcher (run, at) : leader (run, at);
  STEP (do_whistle (run, actor, at, cat->lead, coops, n_coops, error));
  return handle (run, plan, coops, n_coops, FALSE, error);
}

/* The return path: the summoned lead unit says the matter is not theirs (退单); the duty
 * officer whistles again, to the unit whose matter it is. */
static gboolean
return_and_rewhistle (Run         *run,
                      Plan        *plan,
                      gint64       proposed,
                      const guint *coops,
                      guint        n_coops,
                      GError     **error)
{
  Gen *gen = run->gen;
  guint right = run->cat->lead;
  guint new_coops[3];
  guint n_new = 0;
  gint64 at;

  STEP (flush_pending (run, proposed, TRUE, FALSE, error));
  WHEN (proposed, at);
  STEP (do_return (run, run->lead, right, at, error));

  for (guint k = 0; k < n_coops; k++)
    if (coops[k] != right)
      new_coops[n_new++] = coops[k];
  WHEN (run->now + wait_minutes (gen->rand, 8, 40, 300), at);
  STEP (do_whistle (run, officer (run, at), at, right, new_coops, n_new, error));
  return handle (run, plan, new_coops, n_new, FALSE, error);
}

/* From a whistle to the lead unit's feedback. */
static gboolean
handle (Run         *run,
        Plan        *plan,
        const guint *coops,
        guint        n_coops,
        gboolean     side_paths,
        GError     **error)
{
  Gen *gen = run->gen;
  GRand *rand = gen->rand;
  gint64 whistled = run->now;
  gint64 lead_at, start, feedback, at;
  double f;

  /* Each cooperating unit reports in on its own clock. */
  run->n_pending = 0;
  for (guint k = 0; k < n_coops; k++)
    {
      Pending *p = &run->pending[run->n_pending++];

      p->unit = coops[k];
      p->is_return = side_paths && plan->coop_return && k == 0;
      p->done = FALSE;
      f = chance (rand, PCT_LATE_ACK * gen->unit_perf[coops[k]] * 0.7)
            ? uniform (rand, 1.1, 2.5) : uniform (rand, 0.05, 0.9);
      p->at = after_limit (run, whistled, FALSE, f);
    }
  qsort (run->pending, run->n_pending, sizeof (Pending), compare_pending);

  if (side_paths && plan->return_stage == 1)
    {
      /* A unit that returns usually does so at once. */
      at = after_limit (run, whistled, FALSE, uniform (rand, 0.1, 0.7));
      return return_and_rewhistle (run, plan, at, coops, n_coops, error);
    }

  f = side_paths && plan->late_ack ? uniform (rand, 1.1, 2.5) : uniform (rand, 0.05, 0.85);
  lead_at = after_limit (run, whistled, FALSE, f);
  if (f > 1.0)
    {
      /* The desk chases a unit that has not reported in by the deadline. */
      gint64 chase = run->incident->response_due_at + wait_minutes (rand, 3, 15, 60);

      if (chase < lead_at)
        {
          g_autofree char *note = g_strdup_printf ("已电话催促%s尽快报到。",
                                                   unit_at (gen, run->lead)->short_name);

          STEP (flush_pending (run, chase, FALSE, FALSE, error));
          WHEN (chase, at);
          STEP (do_note (run, WH_ACTION_NOTE, officer (run, at), at, g_steal_pointer (&note), error));
        }
    }
  STEP (flush_pending (run, lead_at, FALSE, FALSE, error));
  WHEN (lead_at, at);
  STEP (do_acknowledge (run, run->lead, at, error));

  if (side_paths && plan->return_stage == 2)
    return return_and_rewhistle (run, plan, run->now + wait_minutes (rand, 15, 90, 600),
                                 coops, n_coops, error);

  /* Short limits (a blocked fire lane, a missing manhole cover) get people moving at once. */
  start = wait_minutes (rand, 5, 40, 240);
  if (run->incident->handling_due_at > run->now)
    start = MIN (start, (run->incident->handling_due_at - run->now) / 4);
  start += run->now;
  STEP (flush_pending (run, start, TRUE, FALSE, error));
  WHEN (start, at);
  STEP (do_note (run, WH_ACTION_START, liaison (run, run->lead, at), at, NULL, error));

  if (side_paths && plan->escalate == 2)
    return escalate (run, plan, run->now + wait_minutes (rand, 120, 1440, 5 * 1440), error);

  switch (plan->timing)
    {
    case 1:
      f = uniform (rand, 1.05, 1.8);
      break;
    case 2:
      f = uniform (rand, 2.5, 6.0);
      break;
    default:
      /* Most feedback comes well before the deadline, a little close to it. */
      f = chance (rand, 75) ? uniform (rand, 0.08, 0.6) : uniform (rand, 0.6, 0.97);
      break;
    }
  feedback = after_limit (run, whistled, TRUE, f);
  if (feedback <= run->now + minutes (10))
    {
      gint64 left = run->incident->handling_due_at - run->now;

      /* A slow start eats into the time left; units on time still make the deadline. */
      if (plan->timing == 0 && left > minutes (20))
        feedback = run->now + (gint64) (left * uniform (rand, 0.2, 0.9));
      else
        feedback = run->now + wait_minutes (rand, 20, 90, 600);
    }

  for (guint k = 0; k < plan->n_notes; k++)
    {
      gint64 t = run->now + (feedback - run->now) * (k + 1) / (plan->n_notes + 2);

      /* Units write their notes in office hours when their matter keeps office hours. */
      if (run->cat->working_hours)
        t = wh_work_calendar_add_minutes (gen->ctx->calendar, t, g_rand_int_range (rand, 5, 90), TRUE);
      if (t >= feedback)
        break;
      STEP (flush_pending (run, t, FALSE, FALSE, error));
      WHEN (t, at);
      STEP (do_note (run, WH_ACTION_NOTE, liaison (run, run->lead, at), at,
                     expand_n (rand, demo_pick (rand, demo_progress_notes, demo_n_progress_notes)),
                     error));
    }

  /* A major enforcement decision goes through legal review (法制审核) before the
   * feedback; the director records the review's result. */
  if (run->cat->major && g_strcmp0 (run->incident->legal_review, "approved") != 0)
    {
      gboolean refuse = side_paths && plan->legal_refused;
      gint64 request = run->now + (gint64) ((feedback - run->now) * uniform (rand, 0.2, 0.5));

      for (;;)
        {
          STEP (flush_pending (run, request, TRUE, TRUE, error));
          WHEN (request, at);
          STEP (do_note (run, WH_ACTION_REQUEST_LEGAL_REVIEW, liaison (run, run->lead, at), at,
                         g_strdup ("拟作出重大执法决定，提请法制审核。"), error));
          WHEN (office_hours (gen->ctx, rand, run->now + wait_minutes (rand, 240, 1440, 6 * 1440)), at);
          {
            WhOp *op = new_op (run, WH_ACTION_RECORD_LEGAL_REVIEW, leader (run, at), at);

            json_object_set_boolean_member (op->fields, "approved", !refuse);
            op->note = g_strdup (refuse
                                   ? demo_pick (rand, demo_legal_refused_notes, demo_n_legal_refused_notes)
                                   : demo_pick (rand, demo_legal_approved_notes, demo_n_legal_approved_notes));
            STEP (apply (run, op, error));
          }
          if (!refuse)
            break;
          refuse = FALSE;
          request = run->now + wait_minutes (rand, 600, 2 * 1440, 5 * 1440);
        }
      if (feedback <= run->now)
        feedback = run->now + wait_minutes (rand, 120, 1440, 4 * 1440);
    }

  STEP (flush_pending (run, feedback, TRUE, TRUE, error));
  WHEN (feedback, at);
  STEP (do_note (run, WH_ACTION_FEEDBACK, liaison (run, run->lead, at), at,
                 expand_n (rand, demo_pick (rand, run->cat->results, G_N_ELEMENTS (run->cat->results))),
                 error));
  return TRUE;
}

static gboolean
verify_close_rate (Run     *run,
                   Plan    *plan,
                   gboolean side_paths,
                   GError **error)
{
  Gen *gen = run->gen;
  GRand *rand = gen->rand;
  int rework = side_paths ? plan->rework : 0;
  gint64 at;
  int rating;

  for (;;)
    {
      /* The grid worker or the camera checks the result on site; the desk records it. */
      at = run->now + wait_minutes (rand, 20, 240, 2 * 1440);
      if (run->cat->working_hours)
        at = daytime (rand, at, 8, 21);
      WHEN (at, at);
      if (rework > 0)
        {
          const char *why = demo_pick (rand, run->cat->rework, G_N_ELEMENTS (run->cat->rework));
          g_autofree char *reason = expand_n (rand, why);

          rework--;
          STEP (do_note (run, WH_ACTION_VERIFY_FAIL, officer (run, at), at,
                         g_strconcat (reason, "退回返工。", NULL), error));
          if (chance (rand, 70))
            {
              at = run->now + wait_minutes (rand, 30, 300, 1440);
              if (run->cat->working_hours)
                at = office_hours (gen->ctx, rand, at);
              WHEN (at, at);
              STEP (do_note (run, WH_ACTION_START, liaison (run, run->lead, at), at, NULL, error));
            }
          WHEN (after_limit (run, run->now, TRUE, uniform (rand, 0.05, 0.5)), at);
          STEP (do_note (run, WH_ACTION_FEEDBACK, liaison (run, run->lead, at), at,
                         g_strdup ("已按核查意见完成返工整改。"), error));
          continue;
        }
      STEP (do_note (run, WH_ACTION_VERIFY_PASS, officer (run, at), at,
                     chance (rand, 50) ? g_strdup (demo_pick (rand, demo_verify_notes, demo_n_verify_notes))
                                       : NULL,
                     error));
      break;
    }

  WHEN (run->now + wait_minutes (rand, 5, 45, 600), at);
  STEP (do_note (run, WH_ACTION_CLOSE, officer (run, at), at, NULL, error));

  if (!plan->rated)
    return TRUE;

  /* The resident's rating (回访): mostly satisfied; slow or reworked cases much less. */
  {
    static const int good[5] = { 2, 4, 9, 30, 55 };
    static const int poor[5] = { 8, 12, 20, 30, 30 };
    gboolean bad = run->incident->rework_count > 0 || run->incident->return_count > 0 ||
                   (run->incident->resolved_at > run->incident->handling_due_at);
    const int *dist = bad ? poor : good;
    int r = g_rand_int_range (rand, 0, 100);
    WhOp *op;

    for (rating = 1; rating < 5 && r >= dist[rating - 1]; rating++)
      r -= dist[rating - 1];
    WHEN (daytime (rand, run->now + wait_minutes (rand, 60, 1440, 4 * 1440), 9, 20), at);
    op = new_op (run, WH_ACTION_RATE, officer (run, at), at);
    wh_op_set_int (op, "rating", rating);
    op->note = g_strdup (demo_rate_notes[rating]);
    STEP (apply (run, op, error));
  }
  return TRUE;
}

/* Where the report comes from, who reports it and how the desk words it. */
typedef struct {
  Source      source;
  char       *reporter_name;
  char       *reporter_phone;
  char       *title;
  char       *description;
  char       *address;
  double      lon;
  double      lat;
} Report;

static void
report_clear (Report *report)
{
  g_free (report->reporter_name);
  g_free (report->reporter_phone);
  g_free (report->title);
  g_free (report->description);
  g_free (report->address);
}

static void
place_in_cell (Gen      *gen,
               DemoCell *cell,
               double   *lon,
               double   *lat)
{
  /* Rejection sampling in the bounding box; rounding to the cells' own precision keeps
   * the stored point exactly what was tested. */
  for (;;)
    {
      double x = round (uniform (gen->rand, cell->min_lon, cell->max_lon) * 1e6) / 1e6;
      double y = round (uniform (gen->rand, cell->min_lat, cell->max_lat) * 1e6) / 1e6;

      if (demo_point_in_cell (cell, x, y))
        {
          *lon = x;
          *lat = y;
          return;
        }
    }
}

static void
make_report (Run    *run,
             Report *report,
             gint64  at)
{
  Gen *gen = run->gen;
  DemoContext *ctx = gen->ctx;
  GRand *rand = gen->rand;
  DemoCell *cell = g_ptr_array_index (ctx->cells, run->cell);
  const DemoCategoryDef *cat = run->cat;
  const int *mix = source_mix[cat->sources];
  double mlon = 111000.0 * cos (ctx->center_lat * G_PI / 180.0);
  double d[4];
  guint side = 0;
  const DemoRoad *road;
  double pos;
  int r, number;
  char no[16], n[8];
  g_autofree char *place = NULL;
  g_autofree char *shop = NULL;
  g_autofree char *eatery = NULL;
  g_autofree char *text = NULL;
  const char *title_template;
  const char *text_template;
  gboolean at_compound;
  DemoTextVars vars = { 0 };

  r = g_rand_int_range (rand, 0, 100);
  for (report->source = 0; report->source < SOURCE_DISTRICT && r >= mix[report->source]; report->source++)
    r -= mix[report->source];

  place_in_cell (gen, cell, &report->lon, &report->lat);

  /* The address is on the nearest of the four roads around the block; numbers run from
   * the road's west or south end, odd on one side and even on the other. */
  d[0] = (report->lat - cell->min_lat) * 111000.0;
  d[1] = (cell->max_lon - report->lon) * mlon;
  d[2] = (cell->max_lat - report->lat) * 111000.0;
  d[3] = (report->lon - cell->min_lon) * mlon;
  for (guint k = 1; k < 4; k++)
    if (d[k] < d[side])
      side = k;
  road = &g_array_index (ctx->roads, DemoRoad, cell->roads[side]);
  pos = road->east_west ? (report->lon - ctx->center_lon) * mlon - road->origin
                        : (report->lat - ctx->center_lat) * 111000.0 - road->origin;
  number = 2 * (int) (MAX (pos, 0.0) / 16.0) + ((side == 0 || side == 3) ? 2 : 1);
  g_snprintf (no, sizeof no, "%d", number);
  g_snprintf (n, sizeof n, "%d", g_rand_int_range (rand, 2, 9));

  title_template = demo_pick (rand, cat->titles, G_N_ELEMENTS (cat->titles));
  text_template = demo_pick (rand, cat->descriptions, G_N_ELEMENTS (cat->descriptions));
  /* Buildings, stairwells and rooftops belong to a residential compound, not a landmark. */
  at_compound = chance (rand, 75) || strstr (title_template, "楼") != NULL ||
                strstr (text_template, "楼") != NULL;
  place = at_compound ? g_strdup (cell->compound) : g_strconcat (road->name, cell->landmark, NULL);
  shop = demo_shop_name (rand);
  eatery = demo_eatery_name (rand);
  vars.district = ctx->district_name;
  vars.place = place;
  vars.road = road->name;
  vars.no = no;
  vars.shop = shop;
  vars.eatery = eatery;
  vars.n = n;

  report->title = demo_expand (title_template, &vars);
  text = demo_expand (text_template, &vars);
  if (at_compound && strstr (title_template, "{place}") != NULL && strstr (title_template, "{road}") == NULL)
    report->address = g_strdup_printf ("%s%s%d号楼", ctx->district_name, cell->compound,
                                       g_rand_int_range (rand, 1, 31));
  else
    report->address = g_strdup_printf ("%s%s%s号", ctx->district_name, road->name, no);

  switch (report->source)
    {
    case SOURCE_PATROL:
      {
        guint s = ctx->grid_duty[run->cell * ctx->n_classes + ctx->class_of[run->cat_index]];

        report->reporter_name = g_strdup (staff_at (gen, s)->name);
        report->reporter_phone = g_strdup (staff_at (gen, s)->phone);
        report->description = g_strconcat ("网格员巡查发现：", text, NULL);
      }
      break;
    case SOURCE_HOTLINE:
      {
        int y, m, dd;

        demo_day_to_date (demo_local_day (at), &y, &m, &dd);
        report->reporter_name = demo_reporter_name (rand);
        report->reporter_phone = demo_mobile (rand);
        report->description = g_strdup_printf ("【12345工单 G%04d%02d%02d%06d】市民来电反映：%s", y, m, dd,
                                               g_rand_int_range (rand, 0, 1000000), text);
      }
      break;
    case SOURCE_VIDEO:
      report->reporter_name = g_strdup ("");
      report->reporter_phone = g_strdup ("");
      report->description = g_strconcat ("【视频巡查】监控发现：", text, NULL);
      break;
    case SOURCE_WALK_IN:
      report->reporter_name = demo_reporter_name (rand);
      report->reporter_phone = demo_mobile (rand);
      report->description = g_strconcat ("群众来访反映：", text, NULL);
      break;
    case SOURCE_COMMUNITY:
      {
        DemoCommunity *community = g_ptr_array_index (ctx->communities, cell->community);
        DemoUnit *unit = unit_at (gen, community->unit);
        DemoStaff *s = staff_at (gen, g_array_index (unit->liaisons, guint, 0));

        report->reporter_name = g_strdup (s->name);
        report->reporter_phone = g_strdup (s->phone);
        report->description = g_strconcat (community->name, "上报：", text, NULL);
      }
      break;
    case SOURCE_DISTRICT:
    default:
      report->reporter_name = g_strdup ("城市管理监督员");
      report->reporter_phone = g_strdup ("");
      report->description = g_strconcat ("【区级平台派单】", text, NULL);
      break;
    }
}

static void
make_plan (Run  *run,
           Plan *plan,
           int   source)
{
  Gen *gen = run->gen;
  GRand *rand = gen->rand;
  double perf = gen->unit_perf[run->cat->lead];

  memset (plan, 0, sizeof *plan);
  if (run->tail)
    {
      /* The tail shows each open state once; no detours on the way there. */
      plan->escalate = run->target == WH_STATUS_ESCALATED ? 1 : 0;
      plan->return_stage = run->target == WH_STATUS_RETURNED ? 1 : 0;
      plan->rework = run->target == WH_STATUS_REWORK ? 1 : 0;
      plan->rated = TRUE;
      return;
    }

  plan->not_accept = chance (rand, PCT_NOT_ACCEPTED);
  if (chance (rand, PCT_ESCALATED))
    plan->escalate = chance (rand, 50) ? 1 : 2;
  else if (chance (rand, PCT_RETURNED))
    plan->return_stage = chance (rand, 75) ? 1 : 2;
  /* Only about one whistle in three names cooperating units; this plan is moot elsewhere. */
  plan->coop_return = chance (rand, PCT_COOP_RETURNED * 3);
  if (chance (rand, PCT_REWORK * perf))
    plan->rework = chance (rand, 85) ? 1 : 2;
  if (chance (rand, PCT_STALLED * perf))
    plan->timing = 2;
  else if (chance (rand, PCT_OVERDUE * perf))
    plan->timing = 1;
  plan->late_ack = chance (rand, PCT_LATE_ACK * perf);
  plan->legal_refused = chance (rand, PCT_LEGAL_REFUSED);
  /* Residents rate what they reported; patrol and camera finds are rated less often. */
  plan->rated = chance (rand, (source == SOURCE_PATROL || source == SOURCE_VIDEO) ? 75 : 93);
  plan->reopen = chance (rand, PCT_REOPENED);
  plan->n_notes = chance (rand, 35) ? g_rand_int_range (rand, 1, 3) : 0;
}

/* The cooperating units a whistle names: often none, sometimes one or two of the
 * category's usual partners, and for major matters nearly always some. */
static guint
pick_coops (Run   *run,
            guint *coops)
{
  GRand *rand = run->gen->rand;
  const DemoCategoryDef *cat = run->cat;
  guint avail = 0, n, count = 0;
  guint pool[3];

  for (guint k = 0; k < G_N_ELEMENTS (cat->coop) && cat->coop[k] != DEMO_UNIT_NONE; k++)
    pool[avail++] = cat->coop[k];
  if (avail == 0 || !chance (rand, cat->major ? 85 : 30))
    return 0;
  n = chance (rand, 70) ? 1 : 2;
  n = MIN (n, avail);
  for (guint k = 0; k < avail && count < n; k++)
    {
      /* Selection sampling keeps the catalogue's order of partners. */
      if (g_rand_int_range (rand, 0, avail - k) < (gint) (n - count))
        coops[count++] = pool[k];
    }
  return count;
}

/* A unit the desk could plausibly have summoned by mistake. */
static guint
wrong_lead (Run *run)
{
  static const DemoUnitKey plausible[] = {
    DEMO_UNIT_CHENGGUAN, DEMO_UNIT_POLICE, DEMO_UNIT_MARKET, DEMO_UNIT_HOUSING,
    DEMO_UNIT_ENV, DEMO_UNIT_FOOD,
  };
  guint u;

  do
    u = plausible[g_rand_int_range (run->gen->rand, 0, G_N_ELEMENTS (plausible))];
  while (u == (guint) run->cat->lead);
  return u;
}

static gboolean
run_history (Run        *run,
             const char *number,
             gint64      reported_at,
             GError    **error)
{
  Gen *gen = run->gen;
  DemoContext *ctx = gen->ctx;
  GRand *rand = gen->rand;
  DemoCell *cell = g_ptr_array_index (ctx->cells, run->cell);
  Report report = { 0 };
  Plan plan;
  WhOp *op;
  gint64 at;
  guint coops[3];
  guint n_coops;
  guint lead;
  int priority, r;
  const WhActor *reporter;
  gboolean ok = FALSE;

  r = g_rand_int_range (rand, 0, 100);
  priority = r < run->cat->critical_pct ? 2 : r < run->cat->critical_pct + run->cat->urgent_pct ? 1 : 0;
  make_report (run, &report, reported_at);
  make_plan (run, &plan, report.source);

  reporter = (report.source == SOURCE_HOTLINE || report.source == SOURCE_DISTRICT)
               ? dispatcher (run, reported_at) : officer (run, reported_at);
  run->now = reported_at - G_USEC_PER_SEC;
  op = new_op (run, WH_ACTION_REPORT, reporter, reported_at);
  wh_op_set_string (op, "number", number);
  wh_op_set_string (op, "street_id", ctx->street_id);
  wh_op_set_string (op, "source", source_ids[report.source]);
  wh_op_set_string (op, "category_code", run->cat->code);
  wh_op_set_string (op, "title", report.title);
  wh_op_set_string (op, "description", report.description);
  wh_op_set_string (op, "address", report.address);
  json_object_set_double_member (op->fields, "lon", report.lon);
  json_object_set_double_member (op->fields, "lat", report.lat);
  wh_op_set_string (op, "grid_id", cell->id);
  wh_op_set_int (op, "priority", priority);
  if (report.reporter_name[0] != '\0')
    wh_op_set_string (op, "reporter_name", report.reporter_name);
  if (report.reporter_phone[0] != '\0')
    wh_op_set_string (op, "reporter_phone", report.reporter_phone);
  report_clear (&report);
  if (!apply (run, op, error))
    return FALSE;
  if (run->stopped)
    return TRUE;

#undef STEP
#undef WHEN
#define STEP(call) G_STMT_START { if (!(call)) goto out; if (run->stopped) goto done; } G_STMT_END
#define WHEN(proposed, at) G_STMT_START { if (!next_time (run, (proposed), &(at))) goto done; } G_STMT_END

  /* The desk registers (立案) within minutes, hotline work orders after a first call. */
  WHEN (run->now + (report.source == SOURCE_HOTLINE || report.source == SOURCE_DISTRICT
                      ? wait_minutes (rand, 3, 15, 120) : wait_minutes (rand, 1, 6, 60)), at);
  /* Before it is registered, another resident calls about the same matter; the desk
   * links them to it instead of filing it twice. */
  if (report.source == SOURCE_HOTLINE &&
      g_rand_int_range (gen->merge_rand, 0, 100) < PCT_CALLED_AGAIN)
    STEP (do_add_reporter (run, reported_at + (at - reported_at) / 2, error));
  if (plan.not_accept)
    {
      STEP (do_note (run, WH_ACTION_NOT_ACCEPT, officer (run, at), at,
                     g_strdup (demo_pick (rand, demo_not_accept_reasons, demo_n_not_accept_reasons)),
                     error));
      goto done;
    }
  STEP (do_note (run, WH_ACTION_REGISTER, officer (run, at), at, NULL, error));

  if (plan.escalate == 1)
    {
      STEP (escalate (run, &plan, run->now + wait_minutes (rand, 10, 60, 600), error));
    }
  else
    {
      n_coops = pick_coops (run, coops);
      lead = plan.return_stage > 0 ? wrong_lead (run) : (guint) run->cat->lead;
      for (guint k = 0; k < n_coops; k++)
        if (coops[k] == lead)
          coops[k] = coops[--n_coops];
      WHEN (run->now + wait_minutes (rand, 2, 10, 60), at);
      STEP (do_whistle (run, officer (run, at), at, lead, coops, n_coops, error));
      STEP (handle (run, &plan, coops, n_coops, TRUE, error));
    }
  STEP (verify_close_rate (run, &plan, TRUE, error));

  /* Now and then a closed matter comes back (反弹) and the director reopens it. */
  if (plan.reopen)
    {
      Plan again = { .rated = plan.rated, .n_notes = 0 };

      WHEN (daytime (rand, run->now + wait_minutes (rand, 2 * 1440, 7 * 1440, 30 * 1440), 9, 18), at);
      STEP (do_note (run, WH_ACTION_REOPEN, leader (run, at), at,
                     g_strdup (demo_pick (rand, demo_reopen_reasons, demo_n_reopen_reasons)), error));
      WHEN (run->now + wait_minutes (rand, 10, 40, 240), at);
      n_coops = 0;
      STEP (do_whistle (run, officer (run, at), at, run->cat->lead, coops, n_coops, error));
      STEP (handle (run, &again, coops, n_coops, FALSE, error));
      STEP (verify_close_rate (run, &again, FALSE, error));
    }

done:
  ok = TRUE;
out:
  return ok;
}

#undef STEP
#undef WHEN

/* Days and their shares of the incidents */

static double
rhythm_mass_before (double hours)
{
  double mass = 0;

  for (int h = 0; h < 24 && h < hours; h++)
    mass += hourly_rhythm[h] * MIN (1.0, hours - h);
  return mass;
}

static gint64
sample_time_in_day (GRand  *rand,
                    gint64  day,
                    double  max_mass)
{
  double u = g_rand_double (rand) * max_mass;
  int h = 0;

  while (h < 23 && u >= hourly_rhythm[h])
    {
      u -= hourly_rhythm[h];
      h++;
    }
  /* Whole seconds, as a desk records them. */
  return demo_day_start (day) +
         (gint64) ((h + MIN (u / hourly_rhythm[h], 0.999999)) * 3600.0) * G_USEC_PER_SEC;
}

static int
compare_time (gconstpointer a,
              gconstpointer b)
{
  gint64 ta = *(const gint64 *) a, tb = *(const gint64 *) b;

  return (ta > tb) - (ta < tb);
}

static void
gen_init_tables (Gen *gen)
{
  DemoContext *ctx = gen->ctx;
  guint n = demo_n_category_defs;
  double sum = 0, sum_summer = 0, sum_major = 0;

  gen->cat_cum = g_new0 (double, n);
  gen->cat_cum_summer = g_new0 (double, n);
  gen->cat_cum_major = g_new0 (double, n);
  for (guint k = 0; k < n; k++)
    {
      const DemoCategoryDef *def = &demo_category_defs[k];

      if (def->parent != NULL)
        {
          sum += def->weight;
          sum_summer += def->weight * (1.0 + def->summer);
          if (def->major)
            sum_major += def->weight;
        }
      gen->cat_cum[k] = sum;
      gen->cat_cum_summer[k] = sum_summer;
      gen->cat_cum_major[k] = sum_major;
    }

  gen->n_cells = ctx->cells->len;
  gen->cell_cum = g_new0 (double, gen->n_cells);
  sum = 0;
  for (guint k = 0; k < gen->n_cells; k++)
    {
      sum += ((DemoCell *) g_ptr_array_index (ctx->cells, k))->weight;
      gen->cell_cum[k] = sum;
    }

  gen->unit_perf = g_new0 (double, ctx->units->len);
  for (guint u = 0; u < ctx->units->len; u++)
    gen->unit_perf[u] = uniform (gen->rand, 0.55, 1.45);
}

gboolean
demo_generate_incidents (DemoContext *ctx,
                         double       progress_from,
                         double       progress_to,
                         GError     **error)
{
  Gen gen = { 0 };
  guint32 seeds[3];
  gint64 n_days = ctx->end_day - ctx->start_day + 1;
  g_autofree double *weights = g_new0 (double, n_days);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  double total = 0, cum = 0;
  double end_hours;
  guint64 done = 0;
  guint n_tail;
  gboolean ok = FALSE;

  gen.ctx = ctx;
  /* A stream of its own: changing the organisation never reshuffles the incidents. */
  seeds[0] = ctx->seed;
  seeds[1] = ctx->street_hash;
  seeds[2] = 0x1c1de47u;
  gen.rand = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
  seeds[2] = 0x6d657267u;
  gen.merge_rand = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
  gen.store = wh_incident_store_new (ctx->db);
  gen_init_actors (&gen);
  gen_init_tables (&gen);

  /* Each day's share: season, weekday, holidays, a little weather, and for the last day
   * only the hours before the end. */
  end_hours = (double) (ctx->end_time - demo_day_start (ctx->end_day)) / DEMO_USEC_PER_HOUR;
  for (gint64 k = 0; k < n_days; k++)
    {
      gint64 day = ctx->start_day + k;
      int y, m, d, weekday = demo_day_weekday (day);
      double w;

      demo_day_to_date (day, &y, &m, &d);
      w = monthly_season[m - 1];
      if (weekday == 0)
        w *= 0.72;
      else if (weekday == 6)
        w *= 0.80;
      if (demo_day_exception (day) == 0)
        w *= 0.65;
      w *= uniform (gen.rand, 0.85, 1.15);
      if (k == n_days - 1)
        w *= rhythm_mass_before (end_hours) / rhythm_mass_before (24);
      weights[k] = w;
      total += w;
    }

  /* The two dozen newest incidents stop in each open state in turn, so that a desk (and
   * the tests) always meet every state near the end, however few incidents there are. The
   * newest stop earliest: a report minutes old is more likely unregistered than one a day
   * old. Older open incidents are simply those whose next step lies beyond the end. */
  n_tail = MIN (ctx->n_incidents, 2 * G_N_ELEMENTS (tail_targets));

  for (gint64 k = 0; k < n_days; k++)
    {
      gint64 day = ctx->start_day + k;
      guint64 before = (guint64) llround (ctx->n_incidents * (cum / total));
      guint64 after, count;
      double max_mass = rhythm_mass_before (k == n_days - 1 ? end_hours : 24);
      int y, m, d;
      gboolean summer;

      cum += weights[k];
      after = k == n_days - 1 ? ctx->n_incidents : (guint64) llround (ctx->n_incidents * (cum / total));
      count = after - before;
      demo_day_to_date (day, &y, &m, &d);
      summer = m >= 6 && m <= 8;

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        goto out;

      g_array_set_size (times, 0);
      for (guint64 j = 0; j < count; j++)
        {
          gint64 t = sample_time_in_day (gen.rand, day, max_mass);

          if (t >= ctx->end_time)
            t = ctx->end_time - G_USEC_PER_SEC;
          g_array_append_val (times, t);
        }
      g_array_sort (times, compare_time);

      for (guint j = 0; j < times->len; j++)
        {
          gint64 reported_at = g_array_index (times, gint64, j);
          g_autofree char *number = g_strdup_printf ("%s-%04d%02d%02d-%04u", ctx->street_id,
                                                     y, m, d, j + 1);
          g_autoptr (WhIncident) incident = wh_incident_new ();
          g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
          g_autofree char *incident_id = wh_uuid_new (gen.rand);
          Run run = { 0 };
          guint64 index = done++;

          run.gen = &gen;
          run.incident = incident;
          run.events = events;
          run.incident_id = incident_id;
          run.tail = index >= ctx->n_incidents - n_tail;
          if (run.tail)
            run.target = tail_targets[(ctx->n_incidents - 1 - index) % G_N_ELEMENTS (tail_targets)];

          if (run.tail && run.target == WH_STATUS_LEGAL_REVIEW)
            run.cat_index = pick_cumulative (gen.rand, gen.cat_cum_major, demo_n_category_defs);
          else
            run.cat_index = pick_cumulative (gen.rand, summer ? gen.cat_cum_summer : gen.cat_cum,
                                             demo_n_category_defs);
          run.cat = &demo_category_defs[run.cat_index];
          g_assert (run.cat->parent != NULL);
          run.cell = pick_cumulative (gen.rand, gen.cell_cum, gen.n_cells);

          if (!run_history (&run, number, reported_at, error))
            goto out;
          if (!wh_incident_store_import (gen.store, incident, events, error))
            goto out;

          if ((done & 1023) == 0)
            {
              if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
                goto out;
              if (ctx->progress != NULL)
                ctx->progress (progress_from + (progress_to - progress_from) * done / MAX (ctx->n_incidents, 1),
                               ctx->progress_data);
            }
        }
    }
  g_assert (done == ctx->n_incidents);
  ok = TRUE;

out:
  gen_clear (&gen);
  g_rand_free (gen.rand);
  g_rand_free (gen.merge_rand);
  return ok;
}
