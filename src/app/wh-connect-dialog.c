/* wh-connect-dialog.c — asks for the district server, the user and the password */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-connect-dialog.h"

struct _WhConnectDialog
{
  AdwMessageDialog parent_instance;

  AdwEntryRow *server_row;
  AdwEntryRow *user_row;
  AdwEntryRow *password_row;
  AdwEntryRow *ca_row;
};

G_DEFINE_FINAL_TYPE (WhConnectDialog, wh_connect_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
update_response (WhConnectDialog *self)
{
  gboolean complete = *gtk_editable_get_text (GTK_EDITABLE (self->server_row)) != '\0' &&
                      *gtk_editable_get_text (GTK_EDITABLE (self->user_row)) != '\0' &&
                      *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "connect", complete);
}

static void
wh_connect_dialog_class_init (WhConnectDialogClass *klass)
{
}

static AdwEntryRow *
add_row (GtkWidget  *group,
         GType       type,
         const char *title,
         const char *text)
{
  AdwEntryRow *row = g_object_new (type, "title", title, NULL);

  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (row));
  return row;
}

static void
wh_connect_dialog_init (WhConnectDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  GtkWidget *group = adw_preferences_group_new ();

  adw_message_dialog_set_heading (dialog, _ ("Connect to the District Server"));
  self->server_row = add_row (group, ADW_TYPE_ENTRY_ROW, _ ("Server Address"), NULL);
  self->user_row = add_row (group, ADW_TYPE_ENTRY_ROW, _ ("User Name"), NULL);
  self->password_row = add_row (group, ADW_TYPE_PASSWORD_ENTRY_ROW, _ ("Password"), NULL);
  self->ca_row = add_row (group, ADW_TYPE_ENTRY_ROW, _ ("Certificate Authority File (Optional)"), NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->ca_row),
                               _ ("Only when the district’s server has a certificate of its own: "
                                  "the PEM file of the authority that signed it."));
  adw_message_dialog_set_extra_child (dialog, group);

  adw_message_dialog_add_response (dialog, "cancel", _ ("_Cancel"));
  adw_message_dialog_add_response (dialog, "connect", _ ("C_onnect"));
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "connect");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_signal_connect_swapped (self->server_row, "changed", G_CALLBACK (update_response), self);
  g_signal_connect_swapped (self->user_row, "changed", G_CALLBACK (update_response), self);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (update_response), self);
  update_response (self);
}

WhConnectDialog *
wh_connect_dialog_new (GtkWindow  *parent,
                       const char *server_url,
                       const char *user,
                       const char *ca_file,
                       const char *problem)
{
  WhConnectDialog *self = g_object_new (WH_TYPE_CONNECT_DIALOG, "transient-for", parent,
                                        "modal", TRUE, NULL);

  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               problem != NULL ? problem
                                               : _ ("The desk keeps working from its cache; once "
                                                    "connected, it sends its changes and receives "
                                                    "everyone else’s by itself. The password is "
                                                    "only used to sign in; the desk keeps a "
                                                    "sign-in token in the keyring."));
  if (server_url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);
  if (user != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->user_row), user);
  if (ca_file != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->ca_row), ca_file);
  return self;
}

const char *
wh_connect_dialog_get_server_url (WhConnectDialog *self)
{
  g_return_val_if_fail (WH_IS_CONNECT_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->server_row));
}

const char *
wh_connect_dialog_get_user (WhConnectDialog *self)
{
  g_return_val_if_fail (WH_IS_CONNECT_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->user_row));
}

const char *
wh_connect_dialog_get_password (WhConnectDialog *self)
{
  g_return_val_if_fail (WH_IS_CONNECT_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

const char *
wh_connect_dialog_get_ca_file (WhConnectDialog *self)
{
  const char *text;

  g_return_val_if_fail (WH_IS_CONNECT_DIALOG (self), NULL);
  text = gtk_editable_get_text (GTK_EDITABLE (self->ca_row));
  return *text != '\0' ? text : NULL;
}
