/* wh-action-dialog.h — the form of one lifecycle action, for one incident or several
 *
 * Opened by app.incident-action. The form shows only the fields its action needs, checks
 * them as they are typed (the Apply button stays insensitive, and a line says why, until
 * the form is complete), and applies one op per incident through wh_incident_store_apply()
 * with the outbox. Several incidents make a bulk action: each gets its own op; those the
 * lifecycle refuses are named with the reason, and the form stays open for them.
 */
#pragma once

#include <adwaita.h>

#include "wh-context.h"
#include "wh-op.h"

G_BEGIN_DECLS

#define WH_TYPE_ACTION_DIALOG (wh_action_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WhActionDialog, wh_action_dialog, WH, ACTION_DIALOG, AdwWindow)

/**
 * wh_action_dialog_new:
 * @parent: (nullable): the window the form belongs to
 * @context: the open cache
 * @actor: (nullable): who acts (copied); %NULL when nobody can act now, and then
 *   @no_actor_reason says why and the form cannot be applied
 * @action: the action
 * @incident_ids: (array zero-terminated=1): one incident id or more
 *
 * Returns: (transfer floating): the form, not yet presented
 */
WhActionDialog *wh_action_dialog_new (GtkWindow         *parent,
                                      WhContext         *context,
                                      const WhActor     *actor,
                                      const char        *no_actor_reason,
                                      WhAction           action,
                                      const char *const *incident_ids);

WhAction wh_action_dialog_get_action (WhActionDialog *self);

/* The incidents the form will be applied to (those the lifecycle allows), in order. */
guint       wh_action_dialog_get_n_targets (WhActionDialog *self);
const char *wh_action_dialog_get_target (WhActionDialog *self, guint index);

/* Whether Apply can be pressed, and the line that says why not ("" when it can). */
gboolean    wh_action_dialog_can_apply (WhActionDialog *self);
const char *wh_action_dialog_get_message (WhActionDialog *self);

/**
 * wh_action_dialog_apply:
 *
 * What Apply does: one op per target incident. Applied incidents leave the form; the form
 * closes when none is left, else it stays with the failures listed
 * (wh_action_dialog_get_results()).
 *
 * Returns: %TRUE when every target was applied
 */
gboolean wh_action_dialog_apply (WhActionDialog *self);

/* Per-incident failures of the last apply, one line each; "" when none. */
const char *wh_action_dialog_get_results (WhActionDialog *self);

/**
 * wh_action_dialog_add_photo:
 * @data: the file's bytes
 * @name: the file name shown
 *
 * Adds a photo to a feedback, as a file chosen with Add Photos does. The photo is put into
 * the attachment store when the form is applied.
 *
 * Returns: %FALSE with a message for people when it is not a JPEG or PNG photo, or too big
 */
gboolean
wh_action_dialog_add_photo (WhActionDialog *self, GBytes *data, const char *name, GError **error);
guint wh_action_dialog_get_n_photos (WhActionDialog *self);

/* The form's fields, for tests that fill it in as a person does. The combo rows list what
 * they show (GtkStringList; units by their short names); position 0 is "choose …" where a
 * choice is required. */
GtkTextBuffer *wh_action_dialog_get_note_buffer (WhActionDialog *self);
AdwComboRow   *wh_action_dialog_get_unit_row (WhActionDialog *self);
AdwComboRow   *wh_action_dialog_get_lead_row (WhActionDialog *self);
AdwComboRow   *wh_action_dialog_get_review_row (WhActionDialog *self);
AdwComboRow   *wh_action_dialog_get_rating_row (WhActionDialog *self);
GtkSwitch     *wh_action_dialog_get_default_deadline_switch (WhActionDialog *self);
GtkEditable   *wh_action_dialog_get_response_entry (WhActionDialog *self);
GtkEditable   *wh_action_dialog_get_handling_entry (WhActionDialog *self);
GtkButton     *wh_action_dialog_get_apply_button (WhActionDialog *self);
/* The check button of a cooperating unit in a whistle form, or %NULL. */
GtkCheckButton *wh_action_dialog_get_cooperating_check (WhActionDialog *self, const char *unit_id);

G_END_DECLS
