/* wh-lifecycle.c — the incident lifecycle as one pure transition table */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-lifecycle.h"

#define R(role) (1u << (role))
#define STREET  (R (WH_ROLE_DUTY_OFFICER) | R (WH_ROLE_DIRECTOR))
#define UNIT    (R (WH_ROLE_UNIT_LIAISON))
#define DISTRICT (R (WH_ROLE_DISTRICT))

typedef struct {
  WhStatus from;
  WhAction action;
  guint    roles;
  WhStatus to;
} Transition;

/* Every allowed step. Anything not listed is refused. Steps taken for one summoned unit
 * (报到, 退单) may leave the status as it is: see unit_step_next(). */
static const Transition transitions[] = {
  { WH_STATUS_REPORTED,     WH_ACTION_REGISTER,             STREET,            WH_STATUS_REGISTERED },
  { WH_STATUS_REPORTED,     WH_ACTION_NOT_ACCEPT,           STREET,            WH_STATUS_NOT_ACCEPTED },
  { WH_STATUS_REPORTED,     WH_ACTION_NOTE,                 STREET | DISTRICT, WH_STATUS_REPORTED },

  { WH_STATUS_REGISTERED,   WH_ACTION_WHISTLE,              STREET,            WH_STATUS_WHISTLED },
  { WH_STATUS_REGISTERED,   WH_ACTION_ESCALATE,             STREET,            WH_STATUS_ESCALATED },
  { WH_STATUS_REGISTERED,   WH_ACTION_NOTE,                 STREET | DISTRICT, WH_STATUS_REGISTERED },

  { WH_STATUS_WHISTLED,     WH_ACTION_ACKNOWLEDGE,          STREET | UNIT,     WH_STATUS_ACKNOWLEDGED },
  { WH_STATUS_WHISTLED,     WH_ACTION_RETURN,               STREET | UNIT,     WH_STATUS_RETURNED },
  { WH_STATUS_WHISTLED,     WH_ACTION_ESCALATE,             STREET,            WH_STATUS_ESCALATED },
  { WH_STATUS_WHISTLED,     WH_ACTION_NOTE,                 STREET | UNIT | DISTRICT, WH_STATUS_WHISTLED },

  { WH_STATUS_ACKNOWLEDGED, WH_ACTION_ACKNOWLEDGE,          STREET | UNIT,     WH_STATUS_ACKNOWLEDGED },
  { WH_STATUS_ACKNOWLEDGED, WH_ACTION_RETURN,               STREET | UNIT,     WH_STATUS_RETURNED },
  { WH_STATUS_ACKNOWLEDGED, WH_ACTION_START,                STREET | UNIT,     WH_STATUS_IN_PROGRESS },
  { WH_STATUS_ACKNOWLEDGED, WH_ACTION_ESCALATE,             STREET,            WH_STATUS_ESCALATED },
  { WH_STATUS_ACKNOWLEDGED, WH_ACTION_NOTE,                 STREET | UNIT | DISTRICT, WH_STATUS_ACKNOWLEDGED },

  { WH_STATUS_IN_PROGRESS,  WH_ACTION_ACKNOWLEDGE,          STREET | UNIT,     WH_STATUS_IN_PROGRESS },
  { WH_STATUS_IN_PROGRESS,  WH_ACTION_REQUEST_LEGAL_REVIEW, STREET | UNIT,     WH_STATUS_LEGAL_REVIEW },
  { WH_STATUS_IN_PROGRESS,  WH_ACTION_FEEDBACK,             STREET | UNIT,     WH_STATUS_RESOLVED },
  { WH_STATUS_IN_PROGRESS,  WH_ACTION_ESCALATE,             STREET,            WH_STATUS_ESCALATED },
  { WH_STATUS_IN_PROGRESS,  WH_ACTION_NOTE,                 STREET | UNIT | DISTRICT, WH_STATUS_IN_PROGRESS },

  { WH_STATUS_LEGAL_REVIEW, WH_ACTION_RECORD_LEGAL_REVIEW,  R (WH_ROLE_DIRECTOR), WH_STATUS_IN_PROGRESS },
  { WH_STATUS_LEGAL_REVIEW, WH_ACTION_NOTE,                 STREET | UNIT | DISTRICT, WH_STATUS_LEGAL_REVIEW },

  { WH_STATUS_RESOLVED,     WH_ACTION_VERIFY_PASS,          STREET,            WH_STATUS_VERIFIED },
  { WH_STATUS_RESOLVED,     WH_ACTION_VERIFY_FAIL,          STREET,            WH_STATUS_REWORK },
  { WH_STATUS_RESOLVED,     WH_ACTION_NOTE,                 STREET | UNIT | DISTRICT, WH_STATUS_RESOLVED },

  { WH_STATUS_REWORK,       WH_ACTION_START,                STREET | UNIT,     WH_STATUS_IN_PROGRESS },
  { WH_STATUS_REWORK,       WH_ACTION_FEEDBACK,             STREET | UNIT,     WH_STATUS_RESOLVED },
  { WH_STATUS_REWORK,       WH_ACTION_ESCALATE,             STREET,            WH_STATUS_ESCALATED },
  { WH_STATUS_REWORK,       WH_ACTION_NOTE,                 STREET | UNIT | DISTRICT, WH_STATUS_REWORK },

  { WH_STATUS_RETURNED,     WH_ACTION_WHISTLE,              STREET,            WH_STATUS_WHISTLED },
  { WH_STATUS_RETURNED,     WH_ACTION_ESCALATE,             STREET,            WH_STATUS_ESCALATED },
  { WH_STATUS_RETURNED,     WH_ACTION_NOTE,                 STREET | DISTRICT, WH_STATUS_RETURNED },

  { WH_STATUS_ESCALATED,    WH_ACTION_WHISTLE,              R (WH_ROLE_DIRECTOR) | DISTRICT, WH_STATUS_WHISTLED },
  { WH_STATUS_ESCALATED,    WH_ACTION_NOTE,                 STREET | DISTRICT, WH_STATUS_ESCALATED },

  { WH_STATUS_VERIFIED,     WH_ACTION_CLOSE,                STREET,            WH_STATUS_CLOSED },
  { WH_STATUS_VERIFIED,     WH_ACTION_NOTE,                 STREET | DISTRICT, WH_STATUS_VERIFIED },

  { WH_STATUS_CLOSED,       WH_ACTION_RATE,                 STREET,            WH_STATUS_RATED },
  /* The whole-process record stays open for remarks after the end (a resident's call back,
   * a correction); they never change the status. */
  { WH_STATUS_CLOSED,       WH_ACTION_NOTE,                 STREET,            WH_STATUS_CLOSED },
  { WH_STATUS_RATED,        WH_ACTION_NOTE,                 STREET,            WH_STATUS_RATED },
  { WH_STATUS_NOT_ACCEPTED, WH_ACTION_NOTE,                 STREET,            WH_STATUS_NOT_ACCEPTED },
  { WH_STATUS_CLOSED,       WH_ACTION_REOPEN,               R (WH_ROLE_DIRECTOR), WH_STATUS_REGISTERED },
  { WH_STATUS_RATED,        WH_ACTION_REOPEN,               R (WH_ROLE_DIRECTOR), WH_STATUS_REGISTERED },
  { WH_STATUS_NOT_ACCEPTED, WH_ACTION_REOPEN,               R (WH_ROLE_DIRECTOR), WH_STATUS_REGISTERED },

  /* Merging a duplicate report: one more reporter joins an open incident, whatever its
   * step. A finished incident takes no new reporters: the desk files a new one instead. */
  { WH_STATUS_REPORTED,     WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_REPORTED },
  { WH_STATUS_REGISTERED,   WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_REGISTERED },
  { WH_STATUS_WHISTLED,     WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_WHISTLED },
  { WH_STATUS_ACKNOWLEDGED, WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_ACKNOWLEDGED },
  { WH_STATUS_IN_PROGRESS,  WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_IN_PROGRESS },
  { WH_STATUS_LEGAL_REVIEW, WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_LEGAL_REVIEW },
  { WH_STATUS_RESOLVED,     WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_RESOLVED },
  { WH_STATUS_REWORK,       WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_REWORK },
  { WH_STATUS_RETURNED,     WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_RETURNED },
  { WH_STATUS_ESCALATED,    WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_ESCALATED },
  { WH_STATUS_VERIFIED,     WH_ACTION_ADD_REPORTER,         STREET,            WH_STATUS_VERIFIED },
};

static const char *status_ids[WH_N_STATUSES] = {
  "reported", "not_accepted", "registered", "whistled", "acknowledged", "in_progress",
  "legal_review", "resolved", "rework", "returned", "escalated", "verified", "closed", "rated",
};

static const char *action_ids[WH_N_ACTIONS] = {
  "report", "register", "not_accept", "whistle", "acknowledge", "return", "start", "note",
  "request_legal_review", "record_legal_review", "feedback", "verify_pass", "verify_fail",
  "close", "rate", "escalate", "reopen", "add_reporter",
};

static const char *role_ids[WH_N_ROLES] = {
  "duty_officer", "director", "unit_liaison", "viewer", "district",
};

static const Transition *
find_transition (WhStatus status,
                 WhAction action)
{
  for (gsize i = 0; i < G_N_ELEMENTS (transitions); i++)
    if (transitions[i].from == status && transitions[i].action == action)
      return &transitions[i];
  return NULL;
}

gboolean
wh_action_needs_unit (WhAction action)
{
  return action == WH_ACTION_ACKNOWLEDGE || action == WH_ACTION_RETURN;
}

static gboolean
refuse (char      **reason,
        const char *format,
        ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (char      **reason,
        const char *format,
        ...)
{
  if (reason != NULL)
    {
      va_list args;

      va_start (args, format);
      *reason = g_strdup_vprintf (format, args);
      va_end (args);
    }
  return FALSE;
}

/* Report-in and return are per unit: only the lead unit moves the incident. */
static WhStatus
unit_step_next (const Transition       *t,
                WhStatus                status,
                const WhLifecycleFacts *facts)
{
  if (facts->unit_is_lead)
    return t->to;
  return status;
}

gboolean
wh_lifecycle_decide (WhStatus                status,
                     WhAction                action,
                     WhRole                  role,
                     const WhLifecycleFacts *facts,
                     WhStatus               *next,
                     char                  **reason)
{
  static const WhLifecycleFacts no_facts = { 0 };
  const Transition *t;

  g_return_val_if_fail (status < WH_N_STATUSES, FALSE);
  g_return_val_if_fail (action < WH_N_ACTIONS, FALSE);
  g_return_val_if_fail (role < WH_N_ROLES, FALSE);

  if (facts == NULL)
    facts = &no_facts;
  if (next != NULL)
    *next = status;
  if (reason != NULL)
    *reason = NULL;

  if (role == WH_ROLE_VIEWER)
    return refuse (reason, _("A read-only viewer cannot change incidents."));

  if (action == WH_ACTION_REPORT)
    return refuse (reason, _("This incident has already been reported."));

  t = find_transition (status, action);
  if (t == NULL)
    return refuse (reason, _("Cannot “%s” an incident that is “%s”."),
                   wh_action_label (action), wh_status_label (status));

  if ((t->roles & R (role)) == 0)
    return refuse (reason, _("A %s cannot “%s” an incident that is “%s”."),
                   wh_role_label (role), wh_action_label (action), wh_status_label (status));

  if (wh_action_needs_unit (action) || (role == WH_ROLE_UNIT_LIAISON))
    {
      if (!facts->unit_summoned)
        return refuse (reason, _("This unit has not been summoned to the incident."));
    }

  switch (action)
    {
    case WH_ACTION_ACKNOWLEDGE:
      if (facts->unit_acknowledged)
        return refuse (reason, _("This unit has already reported in."));
      if (next != NULL)
        *next = unit_step_next (t, status, facts);
      return TRUE;

    case WH_ACTION_RETURN:
      if (next != NULL)
        *next = unit_step_next (t, status, facts);
      return TRUE;

    case WH_ACTION_START:
      if (role == WH_ROLE_UNIT_LIAISON && !facts->unit_is_lead)
        return refuse (reason, _("Only the lead unit starts handling an incident."));
      break;

    case WH_ACTION_FEEDBACK:
      if (role == WH_ROLE_UNIT_LIAISON && !facts->unit_is_lead)
        return refuse (reason, _("Only the lead unit gives the feedback of an incident."));
      if (facts->major && !facts->legal_review_approved)
        return refuse (reason, _("A major enforcement decision needs an approved legal review "
                                 "before the feedback."));
      break;

    case WH_ACTION_REQUEST_LEGAL_REVIEW:
      if (role == WH_ROLE_UNIT_LIAISON && !facts->unit_is_lead)
        return refuse (reason, _("Only the lead unit asks for the legal review of its decision."));
      if (!facts->major)
        return refuse (reason, _("Only categories marked major need a legal review."));
      if (facts->legal_review_approved)
        return refuse (reason, _("The legal review has already approved this decision."));
      break;

    default:
      break;
    }

  if (next != NULL)
    *next = t->to;
  return TRUE;
}

gboolean
wh_lifecycle_can_report (WhRole  role,
                         char  **reason)
{
  if (reason != NULL)
    *reason = NULL;
  if (role == WH_ROLE_DUTY_OFFICER || role == WH_ROLE_DIRECTOR || role == WH_ROLE_DISTRICT)
    return TRUE;
  return refuse (reason, _("A %s cannot report a new incident."), wh_role_label (role));
}

static gboolean
lookup_id (const char *const *ids,
           guint               n_ids,
           const char         *str,
           guint              *out)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    if (g_str_equal (ids[i], str))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
wh_status_to_string (WhStatus status)
{
  g_return_val_if_fail (status < WH_N_STATUSES, NULL);
  return status_ids[status];
}

gboolean
wh_status_from_string (const char *str,
                       WhStatus   *status)
{
  guint v;

  if (!lookup_id (status_ids, WH_N_STATUSES, str, &v))
    return FALSE;
  *status = v;
  return TRUE;
}

gboolean
wh_status_is_open (WhStatus status)
{
  return status != WH_STATUS_NOT_ACCEPTED && status != WH_STATUS_CLOSED &&
         status != WH_STATUS_RATED;
}

const char *
wh_status_label (WhStatus status)
{
  switch (status)
    {
    case WH_STATUS_REPORTED: return C_("status", "Reported");
    case WH_STATUS_NOT_ACCEPTED: return C_("status", "Not accepted");
    case WH_STATUS_REGISTERED: return C_("status", "Registered");
    case WH_STATUS_WHISTLED: return C_("status", "Whistled");
    case WH_STATUS_ACKNOWLEDGED: return C_("status", "Reported in");
    case WH_STATUS_IN_PROGRESS: return C_("status", "In progress");
    case WH_STATUS_LEGAL_REVIEW: return C_("status", "In legal review");
    case WH_STATUS_RESOLVED: return C_("status", "Awaiting verification");
    case WH_STATUS_REWORK: return C_("status", "Rework");
    case WH_STATUS_RETURNED: return C_("status", "Returned by unit");
    case WH_STATUS_ESCALATED: return C_("status", "Escalated to district");
    case WH_STATUS_VERIFIED: return C_("status", "Verified");
    case WH_STATUS_CLOSED: return C_("status", "Closed");
    case WH_STATUS_RATED: return C_("status", "Rated");
    case WH_N_STATUSES:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
wh_action_to_string (WhAction action)
{
  g_return_val_if_fail (action < WH_N_ACTIONS, NULL);
  return action_ids[action];
}

gboolean
wh_action_from_string (const char *str,
                       WhAction   *action)
{
  guint v;

  if (!lookup_id (action_ids, WH_N_ACTIONS, str, &v))
    return FALSE;
  *action = v;
  return TRUE;
}

const char *
wh_action_label (WhAction action)
{
  switch (action)
    {
    case WH_ACTION_REPORT: return C_("action", "Report");
    case WH_ACTION_REGISTER: return C_("action", "Register");
    case WH_ACTION_NOT_ACCEPT: return C_("action", "Not accept");
    case WH_ACTION_WHISTLE: return C_("action", "Whistle");
    case WH_ACTION_ACKNOWLEDGE: return C_("action", "Report in");
    case WH_ACTION_RETURN: return C_("action", "Return");
    case WH_ACTION_START: return C_("action", "Start handling");
    case WH_ACTION_NOTE: return C_("action", "Add a progress note");
    case WH_ACTION_REQUEST_LEGAL_REVIEW: return C_("action", "Request legal review");
    case WH_ACTION_RECORD_LEGAL_REVIEW: return C_("action", "Record legal review");
    case WH_ACTION_FEEDBACK: return C_("action", "Give feedback");
    case WH_ACTION_VERIFY_PASS: return C_("action", "Pass verification");
    case WH_ACTION_VERIFY_FAIL: return C_("action", "Fail verification");
    case WH_ACTION_CLOSE: return C_("action", "Close");
    case WH_ACTION_RATE: return C_("action", "Record rating");
    case WH_ACTION_ESCALATE: return C_("action", "Escalate to district");
    case WH_ACTION_REOPEN: return C_("action", "Reopen");
    case WH_ACTION_ADD_REPORTER: return C_("action", "Add a reporter");
    case WH_N_ACTIONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
wh_role_to_string (WhRole role)
{
  g_return_val_if_fail (role < WH_N_ROLES, NULL);
  return role_ids[role];
}

gboolean
wh_role_from_string (const char *str,
                     WhRole     *role)
{
  guint v;

  if (!lookup_id (role_ids, WH_N_ROLES, str, &v))
    return FALSE;
  *role = v;
  return TRUE;
}

const char *
wh_role_label (WhRole role)
{
  switch (role)
    {
    case WH_ROLE_DUTY_OFFICER: return C_("role", "duty officer");
    case WH_ROLE_DIRECTOR: return C_("role", "center director");
    case WH_ROLE_UNIT_LIAISON: return C_("role", "unit liaison");
    case WH_ROLE_VIEWER: return C_("role", "read-only viewer");
    case WH_ROLE_DISTRICT: return C_("role", "district dispatcher");
    case WH_N_ROLES:
    default:
      g_return_val_if_reached (NULL);
    }
}
