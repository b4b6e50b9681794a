/* wh-desk-actor.h — who is acting at this desk, as the lifecycle sees them */
#pragma once

#include <gio/gio.h>

#include "wh-context.h"
#include "wh-op.h"

G_BEGIN_DECLS

/**
 * wh_desk_actor_dup:
 * @context: the open cache
 * @settings: (nullable): the desk's settings (key duty-staff-id)
 * @now: the time "on duty" refers to, UTC microseconds
 * @error: a message for people when nobody can act at this desk now
 *
 * The person every change made at this desk is recorded under: the staff member signed
 * in as duty officer (the duty-staff-id setting, shown in the header), else the officer
 * whose shift at the center's duty desk covers @now. Their staff role gives the role the
 * lifecycle checks: a director acts as the center director, a duty officer as the duty
 * officer, a unit's liaison or enforcement officer for their unit, anyone else read-only.
 *
 * Returns: (transfer full) (nullable): the actor, or %NULL with @error set
 */
WhActor *wh_desk_actor_dup (WhContext *context, GSettings *settings, gint64 now, GError **error);

G_END_DECLS
