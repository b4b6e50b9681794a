/* wh-lifecycle.h — the incident lifecycle as one pure transition table
 *
 * reported → registered (立案) → whistled (吹哨) → acknowledged (报到) → in_progress (处置)
 *          → resolved (反馈) → verified (核查) → closed (结案) → rated (评价)
 * with the side paths of DOMAIN.md: not accepted, returned by a unit (退单), escalated to
 * the district, verification failed → rework (返工), legal review (法制审核), reopen.
 *
 * Nothing here touches storage: the store, the server and the demo generator all ask
 * wh_lifecycle_decide() and so share one set of rules.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  WH_STATUS_REPORTED,
  WH_STATUS_NOT_ACCEPTED,
  WH_STATUS_REGISTERED,
  WH_STATUS_WHISTLED,
  WH_STATUS_ACKNOWLEDGED,
  WH_STATUS_IN_PROGRESS,
  WH_STATUS_LEGAL_REVIEW,
  WH_STATUS_RESOLVED,
  WH_STATUS_REWORK,
  WH_STATUS_RETURNED,
  WH_STATUS_ESCALATED,
  WH_STATUS_VERIFIED,
  WH_STATUS_CLOSED,
  WH_STATUS_RATED,
  WH_N_STATUSES
} WhStatus;

typedef enum {
  WH_ACTION_REPORT,          /* creates the incident */
  WH_ACTION_REGISTER,        /* 立案 */
  WH_ACTION_NOT_ACCEPT,      /* 不予立案 */
  WH_ACTION_WHISTLE,         /* 吹哨: lead unit + cooperating units */
  WH_ACTION_ACKNOWLEDGE,     /* 报到, by one summoned unit */
  WH_ACTION_RETURN,          /* 退单, by one summoned unit */
  WH_ACTION_START,           /* the lead unit starts handling */
  WH_ACTION_NOTE,            /* a progress note; never changes the status */
  WH_ACTION_REQUEST_LEGAL_REVIEW,
  WH_ACTION_RECORD_LEGAL_REVIEW, /* approved or refused */
  WH_ACTION_FEEDBACK,        /* 反馈: the result of handling */
  WH_ACTION_VERIFY_PASS,
  WH_ACTION_VERIFY_FAIL,     /* → 返工 */
  WH_ACTION_CLOSE,           /* 结案 */
  WH_ACTION_RATE,            /* the resident's rating */
  WH_ACTION_ESCALATE,        /* 上报: a district-level whistle */
  WH_ACTION_REOPEN,
  WH_ACTION_ADD_REPORTER,    /* merge: one more reporter of an open incident; keeps the status */
  WH_N_ACTIONS
} WhAction;

typedef enum {
  WH_ROLE_DUTY_OFFICER,
  WH_ROLE_DIRECTOR,
  WH_ROLE_UNIT_LIAISON,
  WH_ROLE_VIEWER,
  WH_ROLE_DISTRICT,
  WH_N_ROLES
} WhRole;

/* Facts about the incident that the rules depend on besides its status. */
typedef struct {
  gboolean major;                 /* the category needs legal review before enforcement */
  gboolean legal_review_approved; /* a legal review has approved the decision */
  gboolean unit_summoned;         /* the acting unit (if any) is summoned and not returned */
  gboolean unit_acknowledged;     /* the acting unit has already reported in */
  gboolean unit_is_lead;          /* the acting unit is the lead unit */
} WhLifecycleFacts;

/**
 * wh_lifecycle_decide:
 * @status: the incident's current status
 * @action: what is asked
 * @role: the role of who asks
 * @facts: (nullable): facts beyond the status; %NULL means all %FALSE
 * @next: (out): the status afterwards, which may equal @status
 * @reason: (out) (optional) (transfer full): why not, translated, when refused
 *
 * Returns: %TRUE when @role may do @action on an incident in @status.
 */
gboolean     wh_lifecycle_decide           (WhStatus                status,
                                            WhAction                action,
                                            WhRole                  role,
                                            const WhLifecycleFacts *facts,
                                            WhStatus               *next,
                                            char                  **reason);

/* The actions that take a unit (报到, 退单) act for one summoned unit. */
gboolean     wh_action_needs_unit          (WhAction action);

/* Who may create (report) an incident at all. */
gboolean     wh_lifecycle_can_report       (WhRole                  role,
                                            char                  **reason);

/* Stable identifiers for storage and the wire, and translated labels for people. */
const char  *wh_status_to_string           (WhStatus status);
gboolean     wh_status_from_string         (const char *str, WhStatus *status);
const char  *wh_status_label               (WhStatus status);
gboolean     wh_status_is_open             (WhStatus status);

const char  *wh_action_to_string           (WhAction action);
gboolean     wh_action_from_string         (const char *str, WhAction *action);
const char  *wh_action_label               (WhAction action);

const char  *wh_role_to_string             (WhRole role);
gboolean     wh_role_from_string           (const char *str, WhRole *role);
const char  *wh_role_label                 (WhRole role);

G_END_DECLS
