/* wh-action-rules.c — which actions the desk offers on an incident, and for which units */
#include "config.h"

#include "wh-action-rules.h"

static const WhAction actions[] = {
  WH_ACTION_REGISTER,
  WH_ACTION_NOT_ACCEPT,
  WH_ACTION_WHISTLE,
  WH_ACTION_ACKNOWLEDGE,
  WH_ACTION_RETURN,
  WH_ACTION_START,
  WH_ACTION_REQUEST_LEGAL_REVIEW,
  WH_ACTION_RECORD_LEGAL_REVIEW,
  WH_ACTION_FEEDBACK,
  WH_ACTION_VERIFY_PASS,
  WH_ACTION_VERIFY_FAIL,
  WH_ACTION_CLOSE,
  WH_ACTION_RATE,
  WH_ACTION_ESCALATE,
  WH_ACTION_REOPEN,
  WH_ACTION_NOTE,
};

/* Ctrl+Shift and a letter: plain letters would fire while typing in the search field and
 * the forms, and Ctrl alone is taken by the usual commands (new, find, reload, quit). The
 * queue's own keys (Ctrl+Shift+F filters, Ctrl+Shift+A clear the selection,
 * Ctrl+Shift+BackSpace) stay free; whistle and note are the queue's bulk keys too. Input
 * methods take Ctrl+Shift+U (Unicode) and Ctrl+Shift+E (emoji). */
static const struct
{
  WhAction    action;
  const char *accel;
} accels[] = {
  { WH_ACTION_REGISTER, "<Control><Shift>r" },
  { WH_ACTION_NOT_ACCEPT, "<Control><Shift>x" },
  { WH_ACTION_WHISTLE, "<Control><Shift>w" },
  { WH_ACTION_ACKNOWLEDGE, "<Control><Shift>k" },
  { WH_ACTION_RETURN, "<Control><Shift>b" },
  { WH_ACTION_START, "<Control><Shift>s" },
  { WH_ACTION_REQUEST_LEGAL_REVIEW, "<Control><Shift>l" },
  { WH_ACTION_RECORD_LEGAL_REVIEW, "<Control><Shift>p" },
  { WH_ACTION_FEEDBACK, "<Control><Shift>d" },
  { WH_ACTION_VERIFY_PASS, "<Control><Shift>v" },
  { WH_ACTION_VERIFY_FAIL, "<Control><Shift>j" },
  { WH_ACTION_CLOSE, "<Control><Shift>c" },
  { WH_ACTION_RATE, "<Control><Shift>t" },
  { WH_ACTION_ESCALATE, "<Control><Shift>h" },
  { WH_ACTION_REOPEN, "<Control><Shift>o" },
  { WH_ACTION_NOTE, "<Control><Shift>m" },
};

const WhAction *
wh_action_rules_get_actions (guint *n_actions)
{
  *n_actions = G_N_ELEMENTS (actions);
  return actions;
}

const char *
wh_action_rules_get_accel (WhAction action)
{
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    if (accels[i].action == action)
      return accels[i].accel;
  return NULL;
}

gboolean
wh_action_rules_is_major (WhContext *context, WhIncident *incident)
{
  WhCategory *category =
    wh_category_catalog_lookup (wh_context_get_catalog (context), incident->category_code);

  return category != NULL && category->major;
}

/* The same facts wh_incident_apply_op() gives the lifecycle for an op of @actor for
 * @unit_id, so that what the desk offers is what the store will accept. */
static gboolean
decide (WhIncident    *incident,
        gboolean       major,
        const WhActor *actor,
        WhAction       action,
        const char    *unit_id,
        char         **reason)
{
  WhLifecycleFacts facts;

  wh_incident_get_facts (incident, unit_id ? unit_id : actor->unit_id, major, &facts);
  return wh_lifecycle_decide (incident->status, action, actor->role, &facts, NULL, reason);
}

gboolean
wh_action_rules_check (WhIncident    *incident,
                       gboolean       major,
                       const WhActor *actor,
                       WhAction       action,
                       const char    *unit_id,
                       char         **reason)
{
  g_autofree char *first_reason = NULL;

  g_return_val_if_fail (WH_IS_INCIDENT (incident), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (reason != NULL)
    *reason = NULL;
  if (!wh_action_needs_unit (action) || unit_id != NULL)
    return decide (incident, major, actor, action, unit_id, reason);

  /* Any summoned unit will do; the form then offers those. */
  for (guint i = 0; i < incident->units->len; i++)
    {
      WhIncidentUnit  *unit = g_ptr_array_index (incident->units, i);
      g_autofree char *why = NULL;

      if (decide (incident, major, actor, action, unit->unit_id, &why))
        return TRUE;
      if (first_reason == NULL)
        first_reason = g_steal_pointer (&why);
    }
  if (first_reason == NULL)
    /* No unit summoned: the lifecycle's own answer says why. */
    return decide (incident, major, actor, action, NULL, reason);
  if (reason != NULL)
    *reason = g_steal_pointer (&first_reason);
  return FALSE;
}

GPtrArray *
wh_action_rules_list_units (WhIncident    *incident,
                            gboolean       major,
                            const WhActor *actor,
                            WhAction       action)
{
  GPtrArray *units = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (WH_IS_INCIDENT (incident), units);

  if (!wh_action_needs_unit (action))
    return units;
  for (int lead = 1; lead >= 0; lead--)
    for (guint i = 0; i < incident->units->len; i++)
      {
        WhIncidentUnit *unit = g_ptr_array_index (incident->units, i);

        if (unit->lead == (gboolean) lead &&
            decide (incident, major, actor, action, unit->unit_id, NULL))
          g_ptr_array_add (units, g_strdup (unit->unit_id));
      }
  return units;
}

GPtrArray *
wh_action_rules_list_allowed (WhIncident *incident, gboolean major, const WhActor *actor)
{
  GPtrArray *allowed = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (wh_action_rules_check (incident, major, actor, actions[i], NULL, NULL))
      g_ptr_array_add (allowed, GINT_TO_POINTER (actions[i]));
  return allowed;
}

WhAction
wh_action_rules_next_step (WhIncident *incident, gboolean major, const WhActor *actor)
{
  static const WhAction steps[] = {
    WH_ACTION_REGISTER,
    WH_ACTION_WHISTLE,
    WH_ACTION_ACKNOWLEDGE,
    WH_ACTION_START,
    WH_ACTION_FEEDBACK,
    WH_ACTION_REQUEST_LEGAL_REVIEW,
    WH_ACTION_RECORD_LEGAL_REVIEW,
    WH_ACTION_VERIFY_PASS,
    WH_ACTION_CLOSE,
    WH_ACTION_RATE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (wh_action_rules_check (incident, major, actor, steps[i], NULL, NULL))
      return steps[i];
  return WH_N_ACTIONS;
}
