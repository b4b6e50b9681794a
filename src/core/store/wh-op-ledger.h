/* wh-op-ledger.h — the district server applies ops exactly once
 *
 * For each op, one transaction: look the op id up among the answers already given (a
 * duplicate gets the first answer again); otherwise check who asks (the actor is the signed-in
 * account, whatever the desk claims), the street, the revision the op was based on and the
 * lifecycle; apply it through WhIncidentStore; bump the incident's revision; move it up the
 * changes feed; and store the answer. A crash anywhere leaves either all of it or none, so a
 * desk that sends the same batch again after a lost answer changes nothing.
 */
#pragma once

#include "wh-account-store.h"
#include "wh-change-feed.h"
#include "wh-db.h"
#include "wh-op.h"
#include "wh-wire.h"

G_BEGIN_DECLS

#define WH_TYPE_OP_LEDGER (wh_op_ledger_get_type ())
G_DECLARE_FINAL_TYPE (WhOpLedger, wh_op_ledger, WH, OP_LEDGER, GObject)

WhOpLedger *wh_op_ledger_new   (WhDb            *db);

/**
 * wh_op_check_fields:
 * @op: an op as read from the wire
 * @error: %WH_INCIDENT_ERROR_INVALID naming the first field the action does not know
 *
 * Whether @op->fields holds only fields its action knows (see wh-incident.c): a newer
 * desk's field must be refused, not stored silently in the timeline. The server checks
 * every op of a batch with this before applying any.
 */
gboolean    wh_op_check_fields (const WhOp      *op,
                                GError         **error);

/**
 * wh_op_ledger_apply:
 * @account: who sent the op; becomes its actor
 * @op: the op as the desk sent it
 * @error: a storage failure (WH_DB_ERROR_*): then nothing was written and no answer stored
 *
 * Returns: (transfer full): the answer (applied, duplicate, conflict or rejected), or %NULL
 *   with @error set
 */
WhOpResult *wh_op_ledger_apply (WhOpLedger      *self,
                                const WhAccount *account,
                                const WhOp      *op,
                                GError         **error);

G_END_DECLS
