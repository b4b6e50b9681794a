/* wh-action-rules.h — which actions the desk offers on an incident, and for which units
 *
 * The lifecycle (wh_lifecycle_decide()) answers for one actor and, for report-in and
 * return, one summoned unit. The desk acts for the street and picks the unit in the form,
 * so an action is offered when it is allowed for at least one summoned unit. No GTK here:
 * the detail pane, the forms and the tests ask the same functions.
 */
#pragma once

#include "wh-context.h"
#include "wh-op.h"

G_BEGIN_DECLS

/**
 * wh_action_rules_get_actions:
 * @n_actions: (out): how many
 *
 * Every action the desk has a form for, in the order of the lifecycle (the next step of
 * an incident comes first among those allowed). Report and add-reporter are not among
 * them: the new-incident dialog makes those.
 *
 * Returns: (transfer none) (array length=n_actions): the actions
 */
const WhAction *wh_action_rules_get_actions (guint *n_actions);

/* Whether the incident's category needs legal review before an enforcement decision. */
gboolean wh_action_rules_is_major (WhContext *context, WhIncident *incident);

/**
 * wh_action_rules_check:
 * @unit_id: (nullable): for report-in and return, the unit; %NULL: any summoned unit
 * @reason: (out) (optional) (transfer full): why not, translated
 *
 * Whether @actor may take @action on @incident now, by the lifecycle's rules.
 */
gboolean wh_action_rules_check (WhIncident    *incident,
                                gboolean       major,
                                const WhActor *actor,
                                WhAction       action,
                                const char    *unit_id,
                                char         **reason);

/**
 * wh_action_rules_list_units:
 *
 * Returns: (transfer full) (element-type utf8): the summoned units @actor may take
 *   @action (report-in or return) for, lead unit first; empty for other actions
 */
GPtrArray *wh_action_rules_list_units (WhIncident    *incident,
                                       gboolean       major,
                                       const WhActor *actor,
                                       WhAction       action);

/**
 * wh_action_rules_list_allowed:
 *
 * Returns: (transfer full) (element-type WhAction): the actions offered now, as
 *   GINT_TO_POINTER, in the order of wh_action_rules_get_actions()
 */
GPtrArray *
wh_action_rules_list_allowed (WhIncident *incident, gboolean major, const WhActor *actor);

/* The action, in the order the duty officer expects it next, that moves the incident on
 * (register, whistle, report-in, start, feedback, verify, close, rate), or WH_N_ACTIONS. */
WhAction wh_action_rules_next_step (WhIncident *incident, gboolean major, const WhActor *actor);

/* The keyboard shortcut of @action's form, as gtk_accelerator_parse() reads it, or %NULL. */
const char *wh_action_rules_get_accel (WhAction action);

G_END_DECLS
