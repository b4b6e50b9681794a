/* test-lifecycle.c — the whole transition table of the incident lifecycle
 *
 * The expected rules are written out below as their own literal list, one row per
 * (status, action, role), independent of the table in wh-lifecycle.c. The test then asks
 * wh_lifecycle_decide() about every status × action × role × combination of facts and
 * checks that exactly the listed steps are allowed, with the listed next status, and that
 * everything else is refused with a reason.
 */
#include "config.h"

#include <glib.h>

#include "wh-lifecycle.h"

/* Conditions on the facts under which a listed step is allowed. */
enum {
  SUMMONED = 1 << 0,        /* the acting unit is summoned and has not returned */
  NOT_ACKNOWLEDGED = 1 << 1, /* the acting unit has not reported in yet */
  LEAD = 1 << 2,            /* the acting unit is the lead unit */
  REVIEWED_IF_MAJOR = 1 << 3, /* a major category needs an approved legal review */
  MAJOR = 1 << 4,           /* only for major categories */
  NOT_APPROVED = 1 << 5,    /* no approved legal review yet */
  /* Not a condition but an effect: the status moves only when the acting unit is the
   * lead; a cooperating unit's step leaves it as it is. */
  PER_UNIT = 1 << 6,
};

/* Shorthands for the per-unit steps: 报到 once per unit, 退单 while summoned. */
#define REPORT_IN (SUMMONED | NOT_ACKNOWLEDGED | PER_UNIT)
#define UNIT_RETURN (SUMMONED | PER_UNIT)
/* Like START and FEEDBACK, only the lead unit's liaison asks for the legal review. */
#define LIAISON_REVIEW (SUMMONED | LEAD | MAJOR | NOT_APPROVED)

typedef struct
{
  WhStatus from;
  WhAction action;
  WhRole   role;
  guint    conditions;
  WhStatus to;
} Expected;

#define DUTY     WH_ROLE_DUTY_OFFICER
#define DIRECTOR WH_ROLE_DIRECTOR
#define LIAISON  WH_ROLE_UNIT_LIAISON
#define DISTRICT WH_ROLE_DISTRICT

#define S(x) WH_STATUS_##x
#define A(x) WH_ACTION_##x

/* The rules, as DOMAIN.md describes the loop and wh-lifecycle.h documents it. A unit
 * liaison always acts for its own unit, so every step of theirs needs SUMMONED. */
static const Expected expected[] = {
  /* 立案 or 不予立案 */
  { S (REPORTED), A (REGISTER), DUTY, 0, S (REGISTERED) },
  { S (REPORTED), A (REGISTER), DIRECTOR, 0, S (REGISTERED) },
  { S (REPORTED), A (NOT_ACCEPT), DUTY, 0, S (NOT_ACCEPTED) },
  { S (REPORTED), A (NOT_ACCEPT), DIRECTOR, 0, S (NOT_ACCEPTED) },
  { S (REPORTED), A (NOTE), DUTY, 0, S (REPORTED) },
  { S (REPORTED), A (NOTE), DIRECTOR, 0, S (REPORTED) },
  { S (REPORTED), A (NOTE), DISTRICT, 0, S (REPORTED) },

  /* 吹哨 or 上报 */
  { S (REGISTERED), A (WHISTLE), DUTY, 0, S (WHISTLED) },
  { S (REGISTERED), A (WHISTLE), DIRECTOR, 0, S (WHISTLED) },
  { S (REGISTERED), A (ESCALATE), DUTY, 0, S (ESCALATED) },
  { S (REGISTERED), A (ESCALATE), DIRECTOR, 0, S (ESCALATED) },
  { S (REGISTERED), A (NOTE), DUTY, 0, S (REGISTERED) },
  { S (REGISTERED), A (NOTE), DIRECTOR, 0, S (REGISTERED) },
  { S (REGISTERED), A (NOTE), DISTRICT, 0, S (REGISTERED) },

  /* 报到 and 退单, per unit; the street may record them for a unit */
  { S (WHISTLED), A (ACKNOWLEDGE), DUTY, REPORT_IN, S (ACKNOWLEDGED) },
  { S (WHISTLED), A (ACKNOWLEDGE), DIRECTOR, REPORT_IN, S (ACKNOWLEDGED) },
  { S (WHISTLED), A (ACKNOWLEDGE), LIAISON, REPORT_IN, S (ACKNOWLEDGED) },
  { S (WHISTLED), A (RETURN), DUTY, UNIT_RETURN, S (RETURNED) },
  { S (WHISTLED), A (RETURN), DIRECTOR, UNIT_RETURN, S (RETURNED) },
  { S (WHISTLED), A (RETURN), LIAISON, UNIT_RETURN, S (RETURNED) },
  { S (WHISTLED), A (ESCALATE), DUTY, 0, S (ESCALATED) },
  { S (WHISTLED), A (ESCALATE), DIRECTOR, 0, S (ESCALATED) },
  { S (WHISTLED), A (NOTE), DUTY, 0, S (WHISTLED) },
  { S (WHISTLED), A (NOTE), DIRECTOR, 0, S (WHISTLED) },
  { S (WHISTLED), A (NOTE), DISTRICT, 0, S (WHISTLED) },
  { S (WHISTLED), A (NOTE), LIAISON, SUMMONED, S (WHISTLED) },

  /* The lead has reported in: more units may report in, return, or the lead starts. */
  { S (ACKNOWLEDGED), A (ACKNOWLEDGE), DUTY, REPORT_IN, S (ACKNOWLEDGED) },
  { S (ACKNOWLEDGED), A (ACKNOWLEDGE), DIRECTOR, REPORT_IN, S (ACKNOWLEDGED) },
  { S (ACKNOWLEDGED), A (ACKNOWLEDGE), LIAISON, REPORT_IN, S (ACKNOWLEDGED) },
  { S (ACKNOWLEDGED), A (RETURN), DUTY, UNIT_RETURN, S (RETURNED) },
  { S (ACKNOWLEDGED), A (RETURN), DIRECTOR, UNIT_RETURN, S (RETURNED) },
  { S (ACKNOWLEDGED), A (RETURN), LIAISON, UNIT_RETURN, S (RETURNED) },
  { S (ACKNOWLEDGED), A (START), DUTY, 0, S (IN_PROGRESS) },
  { S (ACKNOWLEDGED), A (START), DIRECTOR, 0, S (IN_PROGRESS) },
  { S (ACKNOWLEDGED), A (START), LIAISON, SUMMONED | LEAD, S (IN_PROGRESS) },
  { S (ACKNOWLEDGED), A (ESCALATE), DUTY, 0, S (ESCALATED) },
  { S (ACKNOWLEDGED), A (ESCALATE), DIRECTOR, 0, S (ESCALATED) },
  { S (ACKNOWLEDGED), A (NOTE), DUTY, 0, S (ACKNOWLEDGED) },
  { S (ACKNOWLEDGED), A (NOTE), DIRECTOR, 0, S (ACKNOWLEDGED) },
  { S (ACKNOWLEDGED), A (NOTE), DISTRICT, 0, S (ACKNOWLEDGED) },
  { S (ACKNOWLEDGED), A (NOTE), LIAISON, SUMMONED, S (ACKNOWLEDGED) },

  /* 处置: late units still report in; a major decision goes to 法制审核 first. */
  { S (IN_PROGRESS), A (ACKNOWLEDGE), DUTY, REPORT_IN, S (IN_PROGRESS) },
  { S (IN_PROGRESS), A (ACKNOWLEDGE), DIRECTOR, REPORT_IN, S (IN_PROGRESS) },
  { S (IN_PROGRESS), A (ACKNOWLEDGE), LIAISON, REPORT_IN, S (IN_PROGRESS) },
  { S (IN_PROGRESS), A (REQUEST_LEGAL_REVIEW), DUTY, MAJOR | NOT_APPROVED, S (LEGAL_REVIEW) },
  { S (IN_PROGRESS), A (REQUEST_LEGAL_REVIEW), DIRECTOR, MAJOR | NOT_APPROVED, S (LEGAL_REVIEW) },
  { S (IN_PROGRESS), A (REQUEST_LEGAL_REVIEW), LIAISON, LIAISON_REVIEW, S (LEGAL_REVIEW) },
  { S (IN_PROGRESS), A (FEEDBACK), DUTY, REVIEWED_IF_MAJOR, S (RESOLVED) },
  { S (IN_PROGRESS), A (FEEDBACK), DIRECTOR, REVIEWED_IF_MAJOR, S (RESOLVED) },
  { S (IN_PROGRESS), A (FEEDBACK), LIAISON, SUMMONED | LEAD | REVIEWED_IF_MAJOR,
    S (RESOLVED) },
  { S (IN_PROGRESS), A (ESCALATE), DUTY, 0, S (ESCALATED) },
  { S (IN_PROGRESS), A (ESCALATE), DIRECTOR, 0, S (ESCALATED) },
  { S (IN_PROGRESS), A (NOTE), DUTY, 0, S (IN_PROGRESS) },
  { S (IN_PROGRESS), A (NOTE), DIRECTOR, 0, S (IN_PROGRESS) },
  { S (IN_PROGRESS), A (NOTE), DISTRICT, 0, S (IN_PROGRESS) },
  { S (IN_PROGRESS), A (NOTE), LIAISON, SUMMONED, S (IN_PROGRESS) },

  /* 法制审核: the director records the outcome, and handling resumes. */
  { S (LEGAL_REVIEW), A (RECORD_LEGAL_REVIEW), DIRECTOR, 0, S (IN_PROGRESS) },
  { S (LEGAL_REVIEW), A (NOTE), DUTY, 0, S (LEGAL_REVIEW) },
  { S (LEGAL_REVIEW), A (NOTE), DIRECTOR, 0, S (LEGAL_REVIEW) },
  { S (LEGAL_REVIEW), A (NOTE), DISTRICT, 0, S (LEGAL_REVIEW) },
  { S (LEGAL_REVIEW), A (NOTE), LIAISON, SUMMONED, S (LEGAL_REVIEW) },

  /* 反馈 → 核查 */
  { S (RESOLVED), A (VERIFY_PASS), DUTY, 0, S (VERIFIED) },
  { S (RESOLVED), A (VERIFY_PASS), DIRECTOR, 0, S (VERIFIED) },
  { S (RESOLVED), A (VERIFY_FAIL), DUTY, 0, S (REWORK) },
  { S (RESOLVED), A (VERIFY_FAIL), DIRECTOR, 0, S (REWORK) },
  { S (RESOLVED), A (NOTE), DUTY, 0, S (RESOLVED) },
  { S (RESOLVED), A (NOTE), DIRECTOR, 0, S (RESOLVED) },
  { S (RESOLVED), A (NOTE), DISTRICT, 0, S (RESOLVED) },
  { S (RESOLVED), A (NOTE), LIAISON, SUMMONED, S (RESOLVED) },

  /* 返工 */
  { S (REWORK), A (START), DUTY, 0, S (IN_PROGRESS) },
  { S (REWORK), A (START), DIRECTOR, 0, S (IN_PROGRESS) },
  { S (REWORK), A (START), LIAISON, SUMMONED | LEAD, S (IN_PROGRESS) },
  { S (REWORK), A (FEEDBACK), DUTY, REVIEWED_IF_MAJOR, S (RESOLVED) },
  { S (REWORK), A (FEEDBACK), DIRECTOR, REVIEWED_IF_MAJOR, S (RESOLVED) },
  { S (REWORK), A (FEEDBACK), LIAISON, SUMMONED | LEAD | REVIEWED_IF_MAJOR,
    S (RESOLVED) },
  { S (REWORK), A (ESCALATE), DUTY, 0, S (ESCALATED) },
  { S (REWORK), A (ESCALATE), DIRECTOR, 0, S (ESCALATED) },
  { S (REWORK), A (NOTE), DUTY, 0, S (REWORK) },
  { S (REWORK), A (NOTE), DIRECTOR, 0, S (REWORK) },
  { S (REWORK), A (NOTE), DISTRICT, 0, S (REWORK) },
  { S (REWORK), A (NOTE), LIAISON, SUMMONED, S (REWORK) },

  /* 退单: the street dispatches again or escalates. */
  { S (RETURNED), A (WHISTLE), DUTY, 0, S (WHISTLED) },
  { S (RETURNED), A (WHISTLE), DIRECTOR, 0, S (WHISTLED) },
  { S (RETURNED), A (ESCALATE), DUTY, 0, S (ESCALATED) },
  { S (RETURNED), A (ESCALATE), DIRECTOR, 0, S (ESCALATED) },
  { S (RETURNED), A (NOTE), DUTY, 0, S (RETURNED) },
  { S (RETURNED), A (NOTE), DIRECTOR, 0, S (RETURNED) },
  { S (RETURNED), A (NOTE), DISTRICT, 0, S (RETURNED) },

  /* 区级吹哨 */
  { S (ESCALATED), A (WHISTLE), DIRECTOR, 0, S (WHISTLED) },
  { S (ESCALATED), A (WHISTLE), DISTRICT, 0, S (WHISTLED) },
  { S (ESCALATED), A (NOTE), DUTY, 0, S (ESCALATED) },
  { S (ESCALATED), A (NOTE), DIRECTOR, 0, S (ESCALATED) },
  { S (ESCALATED), A (NOTE), DISTRICT, 0, S (ESCALATED) },

  /* 结案 → 评价 */
  { S (VERIFIED), A (CLOSE), DUTY, 0, S (CLOSED) },
  { S (VERIFIED), A (CLOSE), DIRECTOR, 0, S (CLOSED) },
  { S (VERIFIED), A (NOTE), DUTY, 0, S (VERIFIED) },
  { S (VERIFIED), A (NOTE), DIRECTOR, 0, S (VERIFIED) },
  { S (VERIFIED), A (NOTE), DISTRICT, 0, S (VERIFIED) },
  { S (CLOSED), A (RATE), DUTY, 0, S (RATED) },
  { S (CLOSED), A (RATE), DIRECTOR, 0, S (RATED) },

  /* Remarks after the end go into the record without changing the status. */
  { S (CLOSED), A (NOTE), DUTY, 0, S (CLOSED) },
  { S (CLOSED), A (NOTE), DIRECTOR, 0, S (CLOSED) },
  { S (RATED), A (NOTE), DUTY, 0, S (RATED) },
  { S (RATED), A (NOTE), DIRECTOR, 0, S (RATED) },
  { S (NOT_ACCEPTED), A (NOTE), DUTY, 0, S (NOT_ACCEPTED) },
  { S (NOT_ACCEPTED), A (NOTE), DIRECTOR, 0, S (NOT_ACCEPTED) },

  /* Only the director reopens a finished incident. */
  { S (CLOSED), A (REOPEN), DIRECTOR, 0, S (REGISTERED) },
  { S (RATED), A (REOPEN), DIRECTOR, 0, S (REGISTERED) },
  { S (NOT_ACCEPTED), A (REOPEN), DIRECTOR, 0, S (REGISTERED) },

  /* A duplicate report merged into an open incident: the street links its reporter at any
   * open step, and the status stays. Finished incidents take no new reporters, and neither
   * units nor the district merge. */
#define ADD_REPORTER_AT(status)                                   \
  { S (status), A (ADD_REPORTER), DUTY, 0, S (status) },          \
  { S (status), A (ADD_REPORTER), DIRECTOR, 0, S (status) }
  ADD_REPORTER_AT (REPORTED),
  ADD_REPORTER_AT (REGISTERED),
  ADD_REPORTER_AT (WHISTLED),
  ADD_REPORTER_AT (ACKNOWLEDGED),
  ADD_REPORTER_AT (IN_PROGRESS),
  ADD_REPORTER_AT (LEGAL_REVIEW),
  ADD_REPORTER_AT (RESOLVED),
  ADD_REPORTER_AT (REWORK),
  ADD_REPORTER_AT (RETURNED),
  ADD_REPORTER_AT (ESCALATED),
  ADD_REPORTER_AT (VERIFIED),
#undef ADD_REPORTER_AT
};

static const Expected *
find_expected (WhStatus status,
               WhAction action,
               WhRole   role)
{
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    if (expected[i].from == status && expected[i].action == action && expected[i].role == role)
      return &expected[i];
  return NULL;
}

static gboolean
conditions_hold (guint                   conditions,
                 const WhLifecycleFacts *f)
{
  if ((conditions & SUMMONED) && !f->unit_summoned)
    return FALSE;
  if ((conditions & NOT_ACKNOWLEDGED) && f->unit_acknowledged)
    return FALSE;
  if ((conditions & LEAD) && !f->unit_is_lead)
    return FALSE;
  if ((conditions & REVIEWED_IF_MAJOR) && f->major && !f->legal_review_approved)
    return FALSE;
  if ((conditions & MAJOR) && !f->major)
    return FALSE;
  if ((conditions & NOT_APPROVED) && f->legal_review_approved)
    return FALSE;
  return TRUE;
}

static const char *
facts_text (const WhLifecycleFacts *f)
{
  static char buf[128];

  g_snprintf (buf, sizeof buf,
              "major=%d approved=%d summoned=%d acknowledged=%d lead=%d",
              f->major, f->legal_review_approved, f->unit_summoned, f->unit_acknowledged,
              f->unit_is_lead);
  return buf;
}

/* Every combination of the boolean facts, with no, one and several units pending. */
static GArray *
all_facts (void)
{
  GArray *facts = g_array_new (FALSE, TRUE, sizeof (WhLifecycleFacts));
  for (guint bits = 0; bits < (1u << 5); bits++)
      {
        WhLifecycleFacts f = {
          .major = (bits >> 0) & 1,
          .legal_review_approved = (bits >> 1) & 1,
          .unit_summoned = (bits >> 2) & 1,
          .unit_acknowledged = (bits >> 3) & 1,
          .unit_is_lead = (bits >> 4) & 1,
        };

        g_array_append_val (facts, f);
      }
  return facts;
}

static void
test_expected_list_is_sane (void)
{
  /* No (status, action, role) listed twice, nothing for the viewer, nobody reports. */
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (find_expected (expected[i].from, expected[i].action, expected[i].role) ==
                     &expected[i]);
      g_assert_cmpint (expected[i].role, !=, WH_ROLE_VIEWER);
      g_assert_cmpint (expected[i].action, !=, WH_ACTION_REPORT);
      if (expected[i].role == WH_ROLE_UNIT_LIAISON)
        g_assert_true (expected[i].conditions & SUMMONED);
      if (wh_action_needs_unit (expected[i].action))
        g_assert_true (expected[i].conditions & SUMMONED);
    }
}

/* The heart of it: every status × action × role × facts. */
static void
test_full_table (void)
{
  g_autoptr (GArray) facts = all_facts ();
  g_autofree guint *hits = g_new0 (guint, G_N_ELEMENTS (expected));
  guint n_allowed = 0, n_refused = 0;

  for (guint s = 0; s < WH_N_STATUSES; s++)
    for (guint a = 0; a < WH_N_ACTIONS; a++)
      for (guint r = 0; r < WH_N_ROLES; r++)
        {
          const Expected *e = find_expected (s, a, r);

          /* facts == NULL must mean "all FALSE": index facts->len stands for it. */
          for (guint fi = 0; fi <= facts->len; fi++)
            {
              static const WhLifecycleFacts none = { 0 };
              const WhLifecycleFacts *f =
                fi < facts->len ? &g_array_index (facts, WhLifecycleFacts, fi) : NULL;
              const WhLifecycleFacts *fv = f != NULL ? f : &none;
              gboolean want = e != NULL && conditions_hold (e->conditions, fv);
              WhStatus want_next = s;
              /* Values decide() must overwrite. */
              WhStatus next = WH_N_STATUSES;
              char *reason = (char *) "untouched";
              gboolean got;

              if (want)
                {
                  want_next = e->to;
                  if ((e->conditions & PER_UNIT) && !fv->unit_is_lead)
                    want_next = s;
                }

              got = wh_lifecycle_decide (s, a, r, f, &next, &reason);

              if (got != want || next != want_next)
                g_error ("%s / %s / %s / %s: expected %s → %s, got %s → %s (%s)",
                         wh_status_to_string (s), wh_action_to_string (a),
                         wh_role_to_string (r), f ? facts_text (f) : "NULL facts",
                         want ? "allowed" : "refused", wh_status_to_string (want_next),
                         got ? "allowed" : "refused",
                         next < WH_N_STATUSES ? wh_status_to_string (next) : "(unset)",
                         reason ? reason : "no reason");

              if (got)
                {
                  g_assert_null (reason);
                  hits[e - expected]++;
                  n_allowed++;
                }
              else
                {
                  g_assert_nonnull (reason);
                  g_assert_cmpstr (reason, !=, "");
                  g_assert_true (g_utf8_validate (reason, -1, NULL));
                  g_free (reason);
                  n_refused++;
                }

              /* The out parameters are optional and change nothing about the answer. */
              g_assert_cmpint (wh_lifecycle_decide (s, a, r, f, NULL, NULL), ==, want);
              {
                WhStatus only_next = WH_N_STATUSES;

                g_assert_cmpint (wh_lifecycle_decide (s, a, r, f, &only_next, NULL), ==, want);
                g_assert_cmpint (only_next, ==, want_next);
              }
            }
        }

  /* Every listed row is reachable under some facts: the list has no dead rows. */
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    if (hits[i] == 0)
      g_error ("listed step %s / %s / %s never allowed",
               wh_status_to_string (expected[i].from), wh_action_to_string (expected[i].action),
               wh_role_to_string (expected[i].role));

  g_test_message ("%u decisions allowed, %u refused", n_allowed, n_refused);
  g_assert_cmpuint (n_allowed, >, 0);
  g_assert_cmpuint (n_refused, >, n_allowed);
}

/* ---- Identifiers ------------------------------------------------------------------------ */

/* Identifiers are stored in SQLite and sent on the wire: they must never change. */
static const char *const status_ids[WH_N_STATUSES] = {
  [WH_STATUS_REPORTED] = "reported",
  [WH_STATUS_NOT_ACCEPTED] = "not_accepted",
  [WH_STATUS_REGISTERED] = "registered",
  [WH_STATUS_WHISTLED] = "whistled",
  [WH_STATUS_ACKNOWLEDGED] = "acknowledged",
  [WH_STATUS_IN_PROGRESS] = "in_progress",
  [WH_STATUS_LEGAL_REVIEW] = "legal_review",
  [WH_STATUS_RESOLVED] = "resolved",
  [WH_STATUS_REWORK] = "rework",
  [WH_STATUS_RETURNED] = "returned",
  [WH_STATUS_ESCALATED] = "escalated",
  [WH_STATUS_VERIFIED] = "verified",
  [WH_STATUS_CLOSED] = "closed",
  [WH_STATUS_RATED] = "rated",
};

static const char *const action_ids[WH_N_ACTIONS] = {
  [WH_ACTION_REPORT] = "report",
  [WH_ACTION_REGISTER] = "register",
  [WH_ACTION_NOT_ACCEPT] = "not_accept",
  [WH_ACTION_WHISTLE] = "whistle",
  [WH_ACTION_ACKNOWLEDGE] = "acknowledge",
  [WH_ACTION_RETURN] = "return",
  [WH_ACTION_START] = "start",
  [WH_ACTION_NOTE] = "note",
  [WH_ACTION_REQUEST_LEGAL_REVIEW] = "request_legal_review",
  [WH_ACTION_RECORD_LEGAL_REVIEW] = "record_legal_review",
  [WH_ACTION_FEEDBACK] = "feedback",
  [WH_ACTION_VERIFY_PASS] = "verify_pass",
  [WH_ACTION_VERIFY_FAIL] = "verify_fail",
  [WH_ACTION_CLOSE] = "close",
  [WH_ACTION_RATE] = "rate",
  [WH_ACTION_ESCALATE] = "escalate",
  [WH_ACTION_REOPEN] = "reopen",
  [WH_ACTION_ADD_REPORTER] = "add_reporter",
};

static const char *const role_ids[WH_N_ROLES] = {
  [WH_ROLE_DUTY_OFFICER] = "duty_officer",
  [WH_ROLE_DIRECTOR] = "director",
  [WH_ROLE_UNIT_LIAISON] = "unit_liaison",
  [WH_ROLE_VIEWER] = "viewer",
  [WH_ROLE_DISTRICT] = "district",
};

static const char *const unknown_ids[] = {
  "", " ", "unknown", "Reported", "REPORTED", "reported ", " reported", "report-in",
  "in-progress", "legal review", "duty-officer", "Director", "viewer\n", "关闭", "closed\t",
};

static void
test_status_strings (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint s = 0; s < WH_N_STATUSES; s++)
    {
      const char *id = wh_status_to_string (s);
      WhStatus back = WH_N_STATUSES;

      g_assert_cmpstr (id, ==, status_ids[s]);
      g_assert_true (wh_status_from_string (id, &back));
      g_assert_cmpint (back, ==, s);
      g_assert_true (g_hash_table_add (seen, (gpointer) id));
      g_assert_nonnull (wh_status_label (s));
      g_assert_cmpstr (wh_status_label (s), !=, "");
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown_ids); i++)
    {
      WhStatus untouched = WH_STATUS_RATED;

      g_assert_false (wh_status_from_string (unknown_ids[i], &untouched));
      g_assert_cmpint (untouched, ==, WH_STATUS_RATED);
    }
  {
    WhStatus untouched = WH_STATUS_RATED;

    g_assert_false (wh_status_from_string (NULL, &untouched));
    g_assert_cmpint (untouched, ==, WH_STATUS_RATED);
    /* An action's or a role's name is not a status. */
    g_assert_false (wh_status_from_string ("whistle", &untouched));
    g_assert_false (wh_status_from_string ("director", &untouched));
  }
}

static void
test_action_strings (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint a = 0; a < WH_N_ACTIONS; a++)
    {
      const char *id = wh_action_to_string (a);
      WhAction back = WH_N_ACTIONS;

      g_assert_cmpstr (id, ==, action_ids[a]);
      g_assert_true (wh_action_from_string (id, &back));
      g_assert_cmpint (back, ==, a);
      g_assert_true (g_hash_table_add (seen, (gpointer) id));
      g_assert_nonnull (wh_action_label (a));
      g_assert_cmpstr (wh_action_label (a), !=, "");
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown_ids); i++)
    {
      WhAction untouched = WH_ACTION_REOPEN;

      g_assert_false (wh_action_from_string (unknown_ids[i], &untouched));
      g_assert_cmpint (untouched, ==, WH_ACTION_REOPEN);
    }
  {
    WhAction untouched = WH_ACTION_REOPEN;

    g_assert_false (wh_action_from_string (NULL, &untouched));
    g_assert_false (wh_action_from_string ("whistled", &untouched));
    g_assert_cmpint (untouched, ==, WH_ACTION_REOPEN);
  }
}

static void
test_role_strings (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint r = 0; r < WH_N_ROLES; r++)
    {
      const char *id = wh_role_to_string (r);
      WhRole back = WH_N_ROLES;

      g_assert_cmpstr (id, ==, role_ids[r]);
      g_assert_true (wh_role_from_string (id, &back));
      g_assert_cmpint (back, ==, r);
      g_assert_true (g_hash_table_add (seen, (gpointer) id));
      g_assert_nonnull (wh_role_label (r));
      g_assert_cmpstr (wh_role_label (r), !=, "");
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown_ids); i++)
    {
      WhRole untouched = WH_ROLE_DISTRICT;

      g_assert_false (wh_role_from_string (unknown_ids[i], &untouched));
      g_assert_cmpint (untouched, ==, WH_ROLE_DISTRICT);
    }
  {
    WhRole untouched = WH_ROLE_DISTRICT;

    g_assert_false (wh_role_from_string (NULL, &untouched));
    g_assert_cmpint (untouched, ==, WH_ROLE_DISTRICT);
  }
}

static void
test_open_and_unit_actions (void)
{
  for (guint s = 0; s < WH_N_STATUSES; s++)
    g_assert_cmpint (wh_status_is_open (s), ==,
                     !(s == WH_STATUS_NOT_ACCEPTED || s == WH_STATUS_CLOSED ||
                       s == WH_STATUS_RATED));

  for (guint a = 0; a < WH_N_ACTIONS; a++)
    g_assert_cmpint (wh_action_needs_unit (a), ==,
                     a == WH_ACTION_ACKNOWLEDGE || a == WH_ACTION_RETURN);
}

/* ---- Stories ------------------------------------------------------------------------------ */

static WhStatus
must_allow (WhStatus                status,
            WhAction                action,
            WhRole                  role,
            const WhLifecycleFacts *facts)
{
  g_autofree char *reason = NULL;
  WhStatus next = WH_N_STATUSES;

  if (!wh_lifecycle_decide (status, action, role, facts, &next, &reason))
    g_error ("%s / %s / %s refused: %s", wh_status_to_string (status),
             wh_action_to_string (action), wh_role_to_string (role), reason);
  g_assert_null (reason);
  return next;
}

static char *
must_refuse (WhStatus                status,
             WhAction                action,
             WhRole                  role,
             const WhLifecycleFacts *facts)
{
  char *reason = NULL;
  WhStatus next = WH_N_STATUSES;

  g_assert_false (wh_lifecycle_decide (status, action, role, facts, &next, &reason));
  g_assert_cmpint (next, ==, status);
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");
  return reason;
}

/* A second caller reports the same matter: the street links them to the open incident
 * wherever it stands, without moving it; a finished incident is not merged into. */
static void
test_add_reporter (void)
{
  static const WhLifecycleFacts lead = { .unit_summoned = TRUE, .unit_is_lead = TRUE };
  guint n_open = 0;

  for (guint s = 0; s < WH_N_STATUSES; s++)
    {
      if (wh_status_is_open (s))
        {
          n_open++;
          g_assert_cmpint (must_allow (s, WH_ACTION_ADD_REPORTER, WH_ROLE_DUTY_OFFICER, NULL), ==, s);
          g_assert_cmpint (must_allow (s, WH_ACTION_ADD_REPORTER, WH_ROLE_DIRECTOR, NULL), ==, s);
        }
      else
        {
          g_free (must_refuse (s, WH_ACTION_ADD_REPORTER, WH_ROLE_DUTY_OFFICER, NULL));
          g_free (must_refuse (s, WH_ACTION_ADD_REPORTER, WH_ROLE_DIRECTOR, NULL));
        }
      /* Reporters come in through the street's desk, never through a unit or the district. */
      g_free (must_refuse (s, WH_ACTION_ADD_REPORTER, WH_ROLE_UNIT_LIAISON, &lead));
      g_free (must_refuse (s, WH_ACTION_ADD_REPORTER, WH_ROLE_DISTRICT, NULL));
      g_free (must_refuse (s, WH_ACTION_ADD_REPORTER, WH_ROLE_VIEWER, NULL));
    }
  g_assert_cmpuint (n_open, ==, 11);
  g_assert_false (wh_action_needs_unit (WH_ACTION_ADD_REPORTER));
  g_assert_cmpstr (wh_action_to_string (WH_ACTION_ADD_REPORTER), ==, "add_reporter");
}

/* One lead and two cooperating units: the cooperating units' report-in and return are
 * recorded but only the lead moves the incident. */
static void
test_per_unit (void)
{
  const WhLifecycleFacts coop = { .unit_summoned = TRUE };
  const WhLifecycleFacts coop_done = { .unit_summoned = TRUE, .unit_acknowledged = TRUE };
  const WhLifecycleFacts lead = { .unit_summoned = TRUE, .unit_is_lead = TRUE };
  const WhLifecycleFacts lead_done = { .unit_summoned = TRUE, .unit_is_lead = TRUE,
                                       .unit_acknowledged = TRUE };
  const WhLifecycleFacts returned = { .unit_summoned = FALSE };
  WhStatus st = WH_STATUS_WHISTLED;

  /* A cooperating unit reports in first: still whistled, the lead has not. */
  g_assert_cmpint (must_allow (st, WH_ACTION_ACKNOWLEDGE, WH_ROLE_UNIT_LIAISON, &coop), ==,
                   WH_STATUS_WHISTLED);
  /* The duty officer records another cooperating unit's report-in by phone. */
  g_assert_cmpint (must_allow (st, WH_ACTION_ACKNOWLEDGE, WH_ROLE_DUTY_OFFICER, &coop), ==,
                   WH_STATUS_WHISTLED);
  /* A unit cannot report in twice. */
  g_free (must_refuse (st, WH_ACTION_ACKNOWLEDGE, WH_ROLE_UNIT_LIAISON, &coop_done));
  /* A cooperating unit returns its part: the incident stays whistled for the others. */
  g_assert_cmpint (must_allow (st, WH_ACTION_RETURN, WH_ROLE_UNIT_LIAISON, &coop), ==,
                   WH_STATUS_WHISTLED);
  /* Once returned, that unit is no longer summoned and can do nothing more. */
  g_free (must_refuse (st, WH_ACTION_ACKNOWLEDGE, WH_ROLE_UNIT_LIAISON, &returned));
  g_free (must_refuse (st, WH_ACTION_RETURN, WH_ROLE_UNIT_LIAISON, &returned));
  g_free (must_refuse (st, WH_ACTION_NOTE, WH_ROLE_UNIT_LIAISON, &returned));

  /* The lead reports in: now the incident is acknowledged. */
  st = must_allow (st, WH_ACTION_ACKNOWLEDGE, WH_ROLE_UNIT_LIAISON, &lead);
  g_assert_cmpint (st, ==, WH_STATUS_ACKNOWLEDGED);
  /* A late cooperating unit reports in: no change. */
  g_assert_cmpint (must_allow (st, WH_ACTION_ACKNOWLEDGE, WH_ROLE_UNIT_LIAISON, &coop), ==,
                   WH_STATUS_ACKNOWLEDGED);
  /* A cooperating unit cannot start handling; the lead can. */
  g_free (must_refuse (st, WH_ACTION_START, WH_ROLE_UNIT_LIAISON, &coop_done));
  g_assert_cmpint (must_allow (st, WH_ACTION_START, WH_ROLE_UNIT_LIAISON, &lead_done), ==,
                   WH_STATUS_IN_PROGRESS);
  /* A cooperating unit returning leaves it acknowledged; the lead returning sends it back
   * to the street. */
  g_assert_cmpint (must_allow (st, WH_ACTION_RETURN, WH_ROLE_UNIT_LIAISON, &coop_done), ==,
                   WH_STATUS_ACKNOWLEDGED);
  g_assert_cmpint (must_allow (st, WH_ACTION_RETURN, WH_ROLE_UNIT_LIAISON, &lead_done), ==,
                   WH_STATUS_RETURNED);
  g_assert_cmpint (must_allow (WH_STATUS_WHISTLED, WH_ACTION_RETURN, WH_ROLE_UNIT_LIAISON, &lead),
                   ==, WH_STATUS_RETURNED);

  /* While the lead handles it, a late unit still reports in. */
  g_assert_cmpint (must_allow (WH_STATUS_IN_PROGRESS, WH_ACTION_ACKNOWLEDGE,
                               WH_ROLE_UNIT_LIAISON, &coop), ==, WH_STATUS_IN_PROGRESS);
  /* Only the lead gives the feedback. */
  g_free (must_refuse (WH_STATUS_IN_PROGRESS, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON,
                       &coop_done));
  g_assert_cmpint (must_allow (WH_STATUS_IN_PROGRESS, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON,
                               &lead_done), ==, WH_STATUS_RESOLVED);

  /* Report-in and return without a unit make no sense, even for the street. */
  g_free (must_refuse (WH_STATUS_WHISTLED, WH_ACTION_ACKNOWLEDGE, WH_ROLE_DIRECTOR, NULL));
  g_free (must_refuse (WH_STATUS_WHISTLED, WH_ACTION_RETURN, WH_ROLE_DUTY_OFFICER, NULL));
}

/* 重大执法决定法制审核: a major category cannot give its feedback before an approved review. */
static void
test_legal_review (void)
{
  const WhLifecycleFacts major_lead = { .major = TRUE, .unit_summoned = TRUE,
                                        .unit_acknowledged = TRUE, .unit_is_lead = TRUE };
  WhLifecycleFacts approved = major_lead;
  const WhLifecycleFacts minor_lead = { .unit_summoned = TRUE, .unit_acknowledged = TRUE,
                                        .unit_is_lead = TRUE };
  WhStatus st = WH_STATUS_IN_PROGRESS;

  approved.legal_review_approved = TRUE;

  /* No feedback without the review, whoever asks. */
  g_free (must_refuse (st, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON, &major_lead));
  g_free (must_refuse (st, WH_ACTION_FEEDBACK, WH_ROLE_DUTY_OFFICER, &major_lead));
  g_free (must_refuse (st, WH_ACTION_FEEDBACK, WH_ROLE_DIRECTOR, &major_lead));
  g_free (must_refuse (WH_STATUS_REWORK, WH_ACTION_FEEDBACK, WH_ROLE_DIRECTOR, &major_lead));

  st = must_allow (st, WH_ACTION_REQUEST_LEGAL_REVIEW, WH_ROLE_UNIT_LIAISON, &major_lead);
  g_assert_cmpint (st, ==, WH_STATUS_LEGAL_REVIEW);
  /* While in review nothing but the director's record (and notes) moves it. */
  g_free (must_refuse (st, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON, &approved));
  g_free (must_refuse (st, WH_ACTION_START, WH_ROLE_UNIT_LIAISON, &major_lead));
  g_free (must_refuse (st, WH_ACTION_RECORD_LEGAL_REVIEW, WH_ROLE_DUTY_OFFICER, &major_lead));
  g_free (must_refuse (st, WH_ACTION_RECORD_LEGAL_REVIEW, WH_ROLE_UNIT_LIAISON, &major_lead));
  g_free (must_refuse (st, WH_ACTION_REQUEST_LEGAL_REVIEW, WH_ROLE_DIRECTOR, &major_lead));
  g_assert_cmpint (must_allow (st, WH_ACTION_NOTE, WH_ROLE_UNIT_LIAISON, &major_lead), ==,
                   WH_STATUS_LEGAL_REVIEW);
  st = must_allow (st, WH_ACTION_RECORD_LEGAL_REVIEW, WH_ROLE_DIRECTOR, &approved);
  g_assert_cmpint (st, ==, WH_STATUS_IN_PROGRESS);

  /* Refused review: back in progress, still no feedback, and the review may be asked again. */
  g_free (must_refuse (st, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON, &major_lead));
  g_assert_cmpint (must_allow (st, WH_ACTION_REQUEST_LEGAL_REVIEW, WH_ROLE_DUTY_OFFICER,
                               &major_lead), ==, WH_STATUS_LEGAL_REVIEW);

  /* Approved: feedback goes through, and a second review is refused. */
  g_assert_cmpint (must_allow (st, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON, &approved), ==,
                   WH_STATUS_RESOLVED);
  g_assert_cmpint (must_allow (WH_STATUS_REWORK, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON,
                               &approved), ==, WH_STATUS_RESOLVED);
  g_free (must_refuse (st, WH_ACTION_REQUEST_LEGAL_REVIEW, WH_ROLE_DIRECTOR, &approved));

  /* Ordinary categories need no review and cannot ask for one. */
  g_assert_cmpint (must_allow (st, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON, &minor_lead), ==,
                   WH_STATUS_RESOLVED);
  g_free (must_refuse (st, WH_ACTION_REQUEST_LEGAL_REVIEW, WH_ROLE_DIRECTOR, &minor_lead));
  g_free (must_refuse (st, WH_ACTION_REQUEST_LEGAL_REVIEW, WH_ROLE_DIRECTOR, NULL));
}

static void
test_viewer (void)
{
  WhLifecycleFacts all = { TRUE, TRUE, TRUE, FALSE, TRUE };
  g_autofree char *reason = NULL;

  for (guint s = 0; s < WH_N_STATUSES; s++)
    for (guint a = 0; a < WH_N_ACTIONS; a++)
      {
        g_free (must_refuse (s, a, WH_ROLE_VIEWER, NULL));
        g_free (must_refuse (s, a, WH_ROLE_VIEWER, &all));
      }

  g_assert_false (wh_lifecycle_can_report (WH_ROLE_VIEWER, &reason));
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");
}

static void
test_can_report (void)
{
  const struct { WhRole role; gboolean may; } cases[] = {
    { WH_ROLE_DUTY_OFFICER, TRUE },
    { WH_ROLE_DIRECTOR, TRUE },
    { WH_ROLE_DISTRICT, TRUE },
    { WH_ROLE_UNIT_LIAISON, FALSE },
    { WH_ROLE_VIEWER, FALSE },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (cases) == WH_N_ROLES);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *reason = (char *) "untouched";

      g_assert_cmpint (wh_lifecycle_can_report (cases[i].role, &reason), ==, cases[i].may);
      if (cases[i].may)
        g_assert_null (reason);
      else
        g_assert_true (reason != NULL && reason[0] != '\0');
      if (!cases[i].may)
        g_free (reason);
      g_assert_cmpint (wh_lifecycle_can_report (cases[i].role, NULL), ==, cases[i].may);
    }

  /* Reporting is creation: on an existing incident it is refused to everyone. */
  for (guint s = 0; s < WH_N_STATUSES; s++)
    for (guint r = 0; r < WH_N_ROLES; r++)
      g_free (must_refuse (s, WH_ACTION_REPORT, r, NULL));
}

/* The main loop of DOMAIN.md end to end, then the side paths, each step as the role that
 * takes it in practice. */
static void
test_whole_loop (void)
{
  const WhLifecycleFacts lead = { .unit_summoned = TRUE, .unit_is_lead = TRUE };
  const WhLifecycleFacts lead_in = { .unit_summoned = TRUE, .unit_is_lead = TRUE,
                                     .unit_acknowledged = TRUE };
  WhStatus st = WH_STATUS_REPORTED;

  st = must_allow (st, WH_ACTION_REGISTER, WH_ROLE_DUTY_OFFICER, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_REGISTERED);
  st = must_allow (st, WH_ACTION_WHISTLE, WH_ROLE_DUTY_OFFICER, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_WHISTLED);
  st = must_allow (st, WH_ACTION_ACKNOWLEDGE, WH_ROLE_UNIT_LIAISON, &lead);
  g_assert_cmpint (st, ==, WH_STATUS_ACKNOWLEDGED);
  st = must_allow (st, WH_ACTION_START, WH_ROLE_UNIT_LIAISON, &lead_in);
  g_assert_cmpint (st, ==, WH_STATUS_IN_PROGRESS);
  st = must_allow (st, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON, &lead_in);
  g_assert_cmpint (st, ==, WH_STATUS_RESOLVED);
  /* 核查 fails once: 返工. */
  st = must_allow (st, WH_ACTION_VERIFY_FAIL, WH_ROLE_DUTY_OFFICER, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_REWORK);
  st = must_allow (st, WH_ACTION_START, WH_ROLE_UNIT_LIAISON, &lead_in);
  g_assert_cmpint (st, ==, WH_STATUS_IN_PROGRESS);
  st = must_allow (st, WH_ACTION_FEEDBACK, WH_ROLE_UNIT_LIAISON, &lead_in);
  st = must_allow (st, WH_ACTION_VERIFY_PASS, WH_ROLE_DUTY_OFFICER, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_VERIFIED);
  st = must_allow (st, WH_ACTION_CLOSE, WH_ROLE_DUTY_OFFICER, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_CLOSED);
  g_assert_false (wh_status_is_open (st));
  st = must_allow (st, WH_ACTION_RATE, WH_ROLE_DUTY_OFFICER, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_RATED);
  g_free (must_refuse (st, WH_ACTION_RATE, WH_ROLE_DUTY_OFFICER, NULL));
  g_free (must_refuse (st, WH_ACTION_REOPEN, WH_ROLE_DUTY_OFFICER, NULL));
  st = must_allow (st, WH_ACTION_REOPEN, WH_ROLE_DIRECTOR, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_REGISTERED);

  /* 上报 and the district's whistle. */
  st = must_allow (st, WH_ACTION_ESCALATE, WH_ROLE_DIRECTOR, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_ESCALATED);
  g_free (must_refuse (st, WH_ACTION_WHISTLE, WH_ROLE_DUTY_OFFICER, NULL));
  st = must_allow (st, WH_ACTION_WHISTLE, WH_ROLE_DISTRICT, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_WHISTLED);

  /* 退单 by the lead, then the street dispatches again. */
  st = must_allow (st, WH_ACTION_RETURN, WH_ROLE_UNIT_LIAISON, &lead);
  g_assert_cmpint (st, ==, WH_STATUS_RETURNED);
  g_free (must_refuse (st, WH_ACTION_WHISTLE, WH_ROLE_DISTRICT, NULL));
  st = must_allow (st, WH_ACTION_WHISTLE, WH_ROLE_DUTY_OFFICER, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_WHISTLED);

  /* 不予立案, and its reopening. */
  st = must_allow (WH_STATUS_REPORTED, WH_ACTION_NOT_ACCEPT, WH_ROLE_DUTY_OFFICER, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_NOT_ACCEPTED);
  g_assert_false (wh_status_is_open (st));
  g_assert_cmpint (must_allow (st, WH_ACTION_NOTE, WH_ROLE_DUTY_OFFICER, NULL), ==, st);
  g_free (must_refuse (st, WH_ACTION_NOTE, WH_ROLE_DISTRICT, NULL));
  st = must_allow (st, WH_ACTION_REOPEN, WH_ROLE_DIRECTOR, NULL);
  g_assert_cmpint (st, ==, WH_STATUS_REGISTERED);
}

/* Every status can be reached from "reported", and from every status some step leads on:
 * no incident can get stuck. */
static void
test_reachability (void)
{
  const WhLifecycleFacts any[] = {
    { 0 },
    { .unit_summoned = TRUE, .unit_is_lead = TRUE },
    { .major = TRUE, .unit_summoned = TRUE, .unit_is_lead = TRUE },
  };
  gboolean reached[WH_N_STATUSES] = { FALSE, };
  gboolean changed = TRUE;

  reached[WH_STATUS_REPORTED] = TRUE;
  while (changed)
    {
      changed = FALSE;
      for (guint s = 0; s < WH_N_STATUSES; s++)
        {
          if (!reached[s])
            continue;
          for (guint a = 0; a < WH_N_ACTIONS; a++)
            for (guint r = 0; r < WH_N_ROLES; r++)
              for (guint f = 0; f < G_N_ELEMENTS (any); f++)
                {
                  WhStatus next;

                  if (wh_lifecycle_decide (s, a, r, &any[f], &next, NULL) && !reached[next])
                    reached[next] = changed = TRUE;
                }
        }
    }

  for (guint s = 0; s < WH_N_STATUSES; s++)
    {
      gboolean leads_on = FALSE;

      g_test_message ("%s", wh_status_to_string (s));
      g_assert_true (reached[s]);
      for (guint a = 0; a < WH_N_ACTIONS && !leads_on; a++)
        for (guint r = 0; r < WH_N_ROLES && !leads_on; r++)
          for (guint f = 0; f < G_N_ELEMENTS (any) && !leads_on; f++)
            {
              WhStatus next;

              if (wh_lifecycle_decide (s, a, r, &any[f], &next, NULL) && next != s)
                leads_on = TRUE;
            }
      g_assert_true (leads_on);
    }
}

static void
test_out_of_range (void)
{
  if (g_test_subprocess ())
    {
      WhStatus next;

      wh_lifecycle_decide (WH_N_STATUSES, WH_ACTION_NOTE, WH_ROLE_DIRECTOR, NULL, &next, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*status*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lifecycle/expected-list", test_expected_list_is_sane);
  g_test_add_func ("/lifecycle/full-table", test_full_table);
  g_test_add_func ("/lifecycle/strings/status", test_status_strings);
  g_test_add_func ("/lifecycle/strings/action", test_action_strings);
  g_test_add_func ("/lifecycle/strings/role", test_role_strings);
  g_test_add_func ("/lifecycle/open-and-unit-actions", test_open_and_unit_actions);
  g_test_add_func ("/lifecycle/per-unit", test_per_unit);
  g_test_add_func ("/lifecycle/add-reporter", test_add_reporter);
  g_test_add_func ("/lifecycle/legal-review", test_legal_review);
  g_test_add_func ("/lifecycle/viewer", test_viewer);
  g_test_add_func ("/lifecycle/can-report", test_can_report);
  g_test_add_func ("/lifecycle/whole-loop", test_whole_loop);
  g_test_add_func ("/lifecycle/reachability", test_reachability);
  g_test_add_func ("/lifecycle/out-of-range", test_out_of_range);

  return g_test_run ();
}
