/* wh-action-dialog-private.h — the form's insides, shared by its files
 *
 * wh-action-dialog.c holds the form and its apply; wh-action-dialog-whistle.c the fields of
 * a whistle (units, deadlines); wh-action-dialog-photos.c the photos of a feedback.
 */
#pragma once

#include "wh-action-dialog.h"

G_BEGIN_DECLS

/* A photo chosen for a feedback, kept in memory until the form is applied: a form that is
 * cancelled leaves nothing behind in the attachment store. */
typedef struct
{
  GBytes    *data;
  char      *mime_type;
  char      *name;
  GtkWidget *child;
} Photo;

void wh_action_dialog_photo_free (Photo *photo);

struct _WhActionDialog
{
  AdwWindow parent_instance;

  /* template children */
  AdwWindowTitle      *window_title;
  GtkButton           *apply_button;
  GtkLabel            *targets_label;
  GtkLabel            *blocked_label;
  GtkLabel            *context_label;
  AdwPreferencesGroup *unit_group;
  AdwComboRow         *unit_row;
  AdwPreferencesGroup *whistle_group;
  AdwComboRow         *lead_row;
  AdwExpanderRow      *coop_row;
  AdwPreferencesGroup *deadline_group;
  AdwActionRow        *default_deadline_row;
  GtkSwitch           *default_deadline_switch;
  AdwEntryRow         *response_row;
  AdwEntryRow         *handling_row;
  AdwPreferencesGroup *review_group;
  AdwComboRow         *review_row;
  AdwPreferencesGroup *rating_group;
  AdwComboRow         *rating_row;
  AdwPreferencesGroup *note_group;
  GtkTextView         *note_view;
  AdwPreferencesGroup *photos_group;
  GtkFlowBox          *photos_box;
  GtkLabel            *message_label;
  GtkLabel            *results_label;

  WhContext            *context;
  WhActor              *actor;
  char                 *no_actor_reason;
  WhAction              action;
  GPtrArray            *targets;     /* WhIncident: the incidents the form applies to */
  GPtrArray            *unit_ids;    /* unit_row's choices (NULL at a "choose" position) */
  GPtrArray            *lead_ids;    /* lead_row's choices, NULL first */
  GHashTable           *coop_checks; /* unit id → GtkCheckButton */
  GPtrArray            *photos;      /* Photo */
  char                 *message;
  char                 *results;
  gboolean              note_required;
  gboolean              bulk; /* opened for several incidents */
  GtkFileChooserNative *chooser;
};

/* wh-action-dialog.c */
void        wh_action_dialog_validate (WhActionDialog *self);
const char *wh_action_dialog_unit_name (WhActionDialog *self, const char *unit_id);
const char *wh_action_dialog_selected_id (AdwComboRow *row, GPtrArray *ids);

/* wh-action-dialog-whistle.c */
void  wh_action_dialog_setup_whistle (WhActionDialog *self);
char *wh_action_dialog_check_whistle (WhActionDialog *self, gint64 now, gboolean *is_error);
void  wh_action_dialog_fill_whistle_op (WhActionDialog *self, WhOp *op);

/* wh-action-dialog-photos.c */
void       wh_action_dialog_add_photos_action (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *parameter);
GPtrArray *wh_action_dialog_store_photos (WhActionDialog *self, GError **error);

G_END_DECLS
