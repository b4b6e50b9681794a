/* wh-server-admin.h — `whistle-server admin`: streets, accounts, tokens, the demo district
 *
 *   whistle-server admin --database PATH add-street [--district NAME] [--lon X --lat Y] CODE NAME
 *   whistle-server admin --database PATH add-user --role ROLE [--street CODE] [--unit UNIT]
 *                                       [--display-name NAME] LOGIN      (password on stdin)
 *   whistle-server admin --database PATH set-password LOGIN              (password on stdin)
 *   whistle-server admin --database PATH disable-user|enable-user LOGIN
 *   whistle-server admin --database PATH revoke-tokens LOGIN
 *   whistle-server admin --database PATH list-users
 *   whistle-server admin --database PATH list-units --street CODE
 *   whistle-server admin --database PATH load-demo [--streets N] [--incidents N]
 *                                       [--months N] [--seed N] [--end YYYY-MM-DD]
 *   whistle-server admin --database PATH add-api-key --street CODE [--source SOURCE] NAME
 *                                       (prints the new Open311 api_key, once)
 *   whistle-server admin --database PATH list-api-keys
 *   whistle-server admin --database PATH revoke-api-key NUMBER
 *
 * The commands work on the database file directly; they may run while the server does
 * (SQLite serialises the writers, and the server reads accounts and tokens on every request).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs the admin command in @argv (argv[0] is "admin"); returns the process's exit status. */
int wh_server_admin_main (int    argc,
                          char **argv);

G_END_DECLS
