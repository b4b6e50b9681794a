/* wh-op-ledger.c — the district server applies ops exactly once */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-event-attachments.h"
#include "wh-incident-store.h"
#include "wh-op-ledger.h"

struct _WhOpLedger {
  GObject          parent_instance;
  WhDb            *db;
  WhIncidentStore *incidents;
  WhChangeFeed    *feed;
};

G_DEFINE_FINAL_TYPE (WhOpLedger, wh_op_ledger, G_TYPE_OBJECT)

static void
wh_op_ledger_dispose (GObject *object)
{
  WhOpLedger *self = WH_OP_LEDGER (object);

  g_clear_object (&self->feed);
  g_clear_object (&self->incidents);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_op_ledger_parent_class)->dispose (object);
}

static void
wh_op_ledger_class_init (WhOpLedgerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wh_op_ledger_dispose;
}

static void
wh_op_ledger_init (WhOpLedger *self)
{
}

WhOpLedger *
wh_op_ledger_new (WhDb *db)
{
  WhOpLedger *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_OP_LEDGER, NULL);
  self->db = g_object_ref (db);
  self->incidents = wh_incident_store_new (db);
  self->feed = wh_change_feed_new (db);
  return self;
}

gboolean
wh_op_check_fields (const WhOp *op,
                    GError    **error)
{
  /* Keep in step with the list at the top of wh-incident.c. */
  static const char *const report[] = {
    "number", "street_id", "source", "category_code", "title", "description", "address", "lon",
    "lat", "grid_id", "priority", "reporter_name", "reporter_phone", NULL
  };
  static const char *const whistle[] = {
    "lead_unit_id", "response_due_at", "handling_due_at", "cooperating_unit_ids", NULL
  };
  static const char *const legal_review[] = { "approved", NULL };
  static const char *const rate[] = { "rating", NULL };
  static const char *const add_reporter[] = { "source", "reporter_name", "reporter_phone", NULL };
  static const char *const none[] = { NULL };
  g_autoptr (GList) members = NULL;
  const char *const *known;

  g_return_val_if_fail (op != NULL, FALSE);

  switch (op->action)
    {
    case WH_ACTION_REPORT:
      known = report;
      break;
    case WH_ACTION_WHISTLE:
      known = whistle;
      break;
    case WH_ACTION_RECORD_LEGAL_REVIEW:
      known = legal_review;
      break;
    case WH_ACTION_RATE:
      known = rate;
      break;
    case WH_ACTION_ADD_REPORTER:
      known = add_reporter;
      break;
    default:
      known = none;
      break;
    }

  /* Any action may carry photos (wh-event-attachments.h). */
  if (!wh_event_attachments_check_field (op->fields, error))
    return FALSE;
  members = json_object_get_members (op->fields);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data) && !g_str_equal (l->data, "attachments"))
      {
        g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID,
                     _("“%s” has no field “%s”."), wh_action_label (op->action), (char *) l->data);
        return FALSE;
      }
  return TRUE;
}

static WhOpResult *
refuse (const WhOp *op,
        WhOpOutcome outcome,
        gint64      rev,
        const char *code,
        const char *reason)
{
  WhOpResult *result = wh_op_result_new (op->op_id, outcome);

  result->rev = rev;
  result->code = g_strdup (code);
  result->reason = g_strdup (reason);
  return result;
}

static WhOpResult *
reject (const WhOp *op,
        gint64      rev,
        const char *code,
        const char *format,
        ...) G_GNUC_PRINTF (4, 5);

static WhOpResult *
reject (const WhOp *op,
        gint64      rev,
        const char *code,
        const char *format,
        ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  return refuse (op, WH_OP_OUTCOME_REJECTED, rev, code, reason);
}

/* The first answer to @op_id, or NULL when there is none (and no error). */
static WhOpResult *
lookup_answer (WhOpLedger *self,
               const char *op_id,
               char      **street_id,
               GError    **error)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) parse_error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  *street_id = NULL;
  stmt = wh_db_prepare (self->db, "SELECT street_id, answer FROM op_result WHERE op_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      wh_db_set_error (self->db, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  *street_id = wh_db_column_dup_text (stmt, 0);
  node = json_from_string (wh_db_column_text (stmt, 1), &parse_error);
  sqlite3_reset (stmt);
  if (node == NULL)
    {
      g_set_error (error, WH_DB_ERROR, WH_DB_ERROR_CORRUPT,
                   _("The stored answer to a change is damaged: %s"), parse_error->message);
      return NULL;
    }
  return wh_op_result_from_json (node, error);
}

static gboolean
store_answer (WhOpLedger       *self,
              const WhAccount  *account,
              const WhOp       *op,
              const char       *street_id,
              const WhOpResult *result,
              GError          **error)
{
  g_autoptr (JsonNode) node = wh_op_result_to_json (result);
  g_autofree char *answer = json_to_string (node, FALSE);
  sqlite3_stmt *stmt;
  int rc;

  stmt = wh_db_prepare (self->db,
                        "INSERT INTO op_result (op_id, account_id, street_id, incident_id, result, "
                        "rev, answer, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, account->id);
  wh_db_bind_text_or_null (stmt, 3, street_id);
  sqlite3_bind_text (stmt, 4, op->incident_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, wh_op_outcome_to_string (result->outcome), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, result->rev);
  sqlite3_bind_text (stmt, 7, answer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lookup_text (WhOpLedger *self,
             const char *sql,
             const char *key,
             char      **value,
             GError    **error)
{
  sqlite3_stmt *stmt = wh_db_prepare (self->db, sql, error);
  int rc;

  *value = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = wh_db_column_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      return FALSE;
    }
  return TRUE;
}

/* A whistle summons units of the incident's own street only: the store checks that a unit
 * exists, but on the server there are many streets' rosters side by side. Returns the first
 * unit of another street, or NULL. */
static char *
foreign_unit (WhOpLedger *self,
              const WhOp *op,
              const char *street_id,
              GError    **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  JsonNode *coop = json_object_get_member (op->fields, "cooperating_unit_ids");

  if (wh_op_get_string (op, "lead_unit_id") != NULL)
    g_ptr_array_add (ids, (gpointer) wh_op_get_string (op, "lead_unit_id"));
  if (coop != NULL && JSON_NODE_HOLDS_ARRAY (coop))
    {
      JsonArray *array = json_node_get_array (coop);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (ids, (gpointer) json_node_get_string (element));
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *unit_street = NULL;

      if (!lookup_text (self, "SELECT street_id FROM unit WHERE id = ?", ids->pdata[i],
                        &unit_street, error))
        return NULL;
      /* Unknown units are left to the store, which says so in its own words. */
      if (unit_street != NULL && g_strcmp0 (unit_street, street_id) != 0)
        return g_strdup (ids->pdata[i]);
    }
  return NULL;
}

/* Whether an account other than @account made any revision of the incident after
 * @base_rev. A desk that reported an incident offline and went on working on it sends ops
 * based on revision 0, while the server has moved on with that desk's own earlier ops: a
 * refusal then is a plain rejection, not a conflict with somebody else's work. */
static gboolean
changed_by_others (WhOpLedger      *self,
                   const WhAccount *account,
                   const char      *incident_id,
                   gint64           base_rev,
                   gint64           current_rev,
                   gboolean        *others,
                   GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 own;

  stmt = wh_db_prepare (self->db,
                        "SELECT count(*) FROM op_result WHERE incident_id = ? AND rev > ? "
                        "AND result = 'applied' AND account_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, incident_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, base_rev);
  sqlite3_bind_int64 (stmt, 3, account->id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      wh_db_set_error (self->db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  own = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  /* Every applied op made exactly one revision; the rest (an adopted demo history too)
   * came from elsewhere. */
  *others = own < current_rev - base_rev;
  return TRUE;
}

static WhOpResult *
conflict (WhOpLedger *self,
          const WhOp *op,
          const char *reason,
          GError    **error)
{
  g_autoptr (WhOpResult) result = refuse (op, WH_OP_OUTCOME_CONFLICT, 0, "stale", reason);

  result->incident = wh_incident_store_get (self->incidents, op->incident_id, error);
  if (result->incident == NULL)
    return NULL;
  result->rev = result->incident->rev;
  result->events = wh_incident_store_list_events (self->incidents, op->incident_id, error);
  if (result->events == NULL)
    return NULL;
  return g_steal_pointer (&result);
}

/* Decides and, when allowed, applies @op (whose actor is already the account). Returns the
 * answer and the street the op concerned; NULL only on a storage failure. */
static WhOpResult *
decide (WhOpLedger      *self,
        const WhAccount *account,
        WhOp            *op,
        char           **street_id,
        GError         **error)
{
  g_autoptr (WhIncident) current = NULL;
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *foreign = NULL;
  gint64 current_rev = 0;
  gint64 new_rev;
  sqlite3_stmt *stmt;

  *street_id = NULL;

  current = wh_incident_store_get (self->incidents, op->incident_id, &local_error);
  if (current == NULL && !g_error_matches (local_error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_clear_error (&local_error);

  if (current != NULL)
    {
      *street_id = g_strdup (current->street_id);
      current_rev = current->rev;
      if (!wh_account_sees_street (account, current->street_id))
        return reject (op, 0, "forbidden", "%s", _("The incident belongs to another street."));
    }
  else if (op->action == WH_ACTION_REPORT)
    {
      const char *street = wh_op_get_string (op, "street_id");
      const char *grid_id = wh_op_get_string (op, "grid_id");
      const char *number = wh_op_get_string (op, "number");
      g_autofree char *known_street = NULL;
      g_autofree char *grid_street = NULL;
      g_autofree char *taken = NULL;

      *street_id = g_strdup (street);
      if (street == NULL)
        return reject (op, 0, "invalid", "%s", _("The report does not say which street it belongs to."));
      if (!wh_account_sees_street (account, street))
        return reject (op, 0, "forbidden", "%s", _("You can only report incidents in your own street."));
      if (!lookup_text (self, "SELECT id FROM street WHERE id = ?", street, &known_street, error))
        return NULL;
      if (known_street == NULL)
        return reject (op, 0, "invalid", _("The street %s does not exist."), street);
      if (grid_id != NULL)
        {
          if (!lookup_text (self,
                            "SELECT c.street_id FROM grid_cell g JOIN community c "
                            "ON c.id = g.community_id WHERE g.id = ?", grid_id, &grid_street, error))
            return NULL;
          if (grid_street != NULL && g_strcmp0 (grid_street, street) != 0)
            return reject (op, 0, "invalid", _("The grid cell %s is not in this street."), grid_id);
        }
      /* Two desks numbering offline on the same day pick the same next number; the
       * incident keeps its id and gets the next free number instead. */
      if (number != NULL &&
          !lookup_text (self, "SELECT id FROM incident WHERE number = ?", number, &taken, error))
        return NULL;
      if (taken != NULL)
        {
          g_autofree char *renumbered = wh_incident_store_next_number (self->incidents, street,
                                                                       op->at, error);
          if (renumbered == NULL)
            return NULL;
          wh_op_set_string (op, "number", renumbered);
        }
    }
  else
    return reject (op, 0, "not_found", "%s", _("The incident does not exist."));

  if (account->role == WH_ROLE_VIEWER)
    return reject (op, current_rev, "forbidden", "%s", _("A viewer cannot change incidents."));
  if (op->base_rev > current_rev)
    {
      g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT, op->base_rev);

      return reject (op, current_rev, "bad_rev",
                     _("The change is based on revision %s, which this server never issued."), rev);
    }
  if (op->action == WH_ACTION_WHISTLE && current != NULL)
    {
      foreign = foreign_unit (self, op, current->street_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (foreign != NULL)
        return reject (op, current_rev, "invalid", _("The unit %s is not a unit of this street."),
                       foreign);
    }

  event = wh_incident_store_apply (self->incidents, op, WH_APPLY_NONE, &local_error);
  if (event == NULL)
    {
      if (local_error->domain == WH_INCIDENT_ERROR)
        {
          gboolean others = FALSE;

          /* Stale and refused by the lifecycle: the desk acted on a record that somebody
           * else has moved on, which is a conflict it must see, not a plain refusal. */
          if (op->base_rev < current_rev &&
              (local_error->code == WH_INCIDENT_ERROR_REFUSED ||
               local_error->code == WH_INCIDENT_ERROR_CONFLICT))
            {
              g_autoptr (GError) lookup_error = NULL;

              if (!changed_by_others (self, account, op->incident_id, op->base_rev, current_rev,
                                      &others, &lookup_error))
                {
                  g_propagate_error (error, g_steal_pointer (&lookup_error));
                  return NULL;
                }
            }
          if (others)
            return conflict (self, op, local_error->message, error);
          return refuse (op, WH_OP_OUTCOME_REJECTED, current_rev,
                         local_error->code == WH_INCIDENT_ERROR_REFUSED ? "refused" :
                         local_error->code == WH_INCIDENT_ERROR_NOT_FOUND ? "not_found" : "invalid",
                         local_error->message);
        }
      /* A constraint is data that does not fit (a priority that does not exist, …): the
       * store rolled its part back, and sending it again would not help. */
      if (g_error_matches (local_error, WH_DB_ERROR, WH_DB_ERROR_CONSTRAINT))
        return reject (op, current_rev, "invalid",
                       _("The change does not fit the stored data: %s"), local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  new_rev = current_rev + 1;
  stmt = wh_db_prepare (self->db, "UPDATE incident SET rev = ? WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, new_rev);
  sqlite3_bind_text (stmt, 2, op->incident_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      wh_db_set_error (self->db, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  {
    const char *event_ids[] = { event->id, NULL };

    if (wh_change_feed_record_incident (self->feed, op->incident_id, *street_id, new_rev,
                                        event_ids, error) == 0)
      return NULL;
  }

  {
    WhOpResult *result = wh_op_result_new (op->op_id, WH_OP_OUTCOME_APPLIED);

    result->rev = new_rev;
    return result;
  }
}

WhOpResult *
wh_op_ledger_apply (WhOpLedger      *self,
                    const WhAccount *account,
                    const WhOp      *op,
                    GError         **error)
{
  g_autoptr (WhOpResult) result = NULL;
  g_autoptr (WhOp) copy = NULL;
  g_autofree char *street_id = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (WH_IS_OP_LEDGER (self), NULL);
  g_return_val_if_fail (account != NULL && op != NULL, NULL);

  if (!wh_db_begin (self->db, error))
    return NULL;

  result = lookup_answer (self, op->op_id, &street_id, &local_error);
  if (local_error != NULL)
    goto failed;
  if (result != NULL)
    {
      /* Only the street that sent the op learns what became of it (another desk of that
       * street may send it again: a new shift signs in on the same desk). */
      if (!wh_account_sees_street (account, street_id))
        {
          wh_op_result_free (result);
          result = reject (op, 0, "op_id_taken", "%s",
                           _("This change id has already been used by another street."));
        }
      else
        {
          result->first_outcome = result->outcome;
          result->outcome = WH_OP_OUTCOME_DUPLICATE;
        }
      wh_db_rollback (self->db); /* nothing was written */
      return g_steal_pointer (&result);
    }
  g_clear_pointer (&street_id, g_free);

  /* The server never trusts the role a desk claims: the actor is whoever signed in. */
  copy = wh_op_copy (op);
  wh_actor_free (copy->actor);
  copy->actor = wh_account_to_actor (account);

  result = decide (self, account, copy, &street_id, &local_error);
  if (result == NULL)
    goto failed;
  if (!store_answer (self, account, op, account->street_id, result, &local_error) ||
      !wh_db_commit (self->db, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      /* wh_db_commit() rolls back by itself when it fails */
      if (wh_db_in_transaction (self->db))
        wh_db_rollback (self->db);
      return NULL;
    }
  return g_steal_pointer (&result);

failed:
  g_propagate_error (error, g_steal_pointer (&local_error));
  wh_db_rollback (self->db);
  return NULL;
}
