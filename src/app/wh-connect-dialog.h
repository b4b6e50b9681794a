/* wh-connect-dialog.h — asks for the district server, the user and the password
 *
 * The duty officer connects the desk's cache to its district server once; the password is
 * sent to sign in and then forgotten (the token goes to the keyring). A certificate
 * authority file is only needed when the district's server has a certificate of its own.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WH_TYPE_CONNECT_DIALOG (wh_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WhConnectDialog, wh_connect_dialog, WH, CONNECT_DIALOG, AdwMessageDialog)

/**
 * wh_connect_dialog_new:
 * @server_url: (nullable): prefilled, from the cache
 * @user: (nullable): prefilled
 * @ca_file: (nullable): prefilled
 * @problem: (nullable): why the last attempt failed, shown above the fields
 *
 * Responses: "cancel" and "connect" (enabled once server, user and password are filled in).
 */
WhConnectDialog *wh_connect_dialog_new            (GtkWindow       *parent,
                                                   const char      *server_url,
                                                   const char      *user,
                                                   const char      *ca_file,
                                                   const char      *problem);

const char      *wh_connect_dialog_get_server_url (WhConnectDialog *self);
const char      *wh_connect_dialog_get_user       (WhConnectDialog *self);
const char      *wh_connect_dialog_get_password   (WhConnectDialog *self);
/* Returns: the CA file, or %NULL for the system's certificate authorities */
const char      *wh_connect_dialog_get_ca_file    (WhConnectDialog *self);

G_END_DECLS
