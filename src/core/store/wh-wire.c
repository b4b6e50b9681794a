/* wh-wire.c — the JSON that the desk and the district server exchange */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-event-attachments.h"
#include "wh-wire.h"

G_DEFINE_QUARK (wh-wire-error-quark, wh_wire_error)

/* Writing */

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

/* Unset times are 0 in memory and NULL in the database; null on the wire says the same. */
static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       value)
{
  json_builder_set_member_name (builder, member);
  if (value == 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *member,
          gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

JsonNode *
wh_wire_incident_to_json (WhIncident *incident)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (WH_IS_INCIDENT (incident), NULL);

  json_builder_begin_object (b);
  add_string (b, "id", incident->id);
  add_string (b, "number", incident->number);
  add_string (b, "street_id", incident->street_id);
  add_string (b, "source", incident->source);
  add_string (b, "category_code", incident->category_code);
  add_string (b, "title", incident->title);
  add_string (b, "description", incident->description ? incident->description : "");
  add_string (b, "address", incident->address ? incident->address : "");
  json_builder_set_member_name (b, "lon");
  if (incident->has_location)
    json_builder_add_double_value (b, incident->lon);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "lat");
  if (incident->has_location)
    json_builder_add_double_value (b, incident->lat);
  else
    json_builder_add_null_value (b);
  add_string (b, "grid_id", incident->grid_id);
  add_int (b, "priority", incident->priority);
  add_string (b, "status", wh_status_to_string (incident->status));
  add_string (b, "lead_unit_id", incident->lead_unit_id);
  add_string (b, "reporter_name", incident->reporter_name ? incident->reporter_name : "");
  add_string (b, "reporter_phone", incident->reporter_phone ? incident->reporter_phone : "");
  add_int (b, "reported_at", incident->reported_at);
  add_time (b, "registered_at", incident->registered_at);
  add_time (b, "whistled_at", incident->whistled_at);
  add_time (b, "response_due_at", incident->response_due_at);
  add_time (b, "handling_due_at", incident->handling_due_at);
  add_time (b, "resolved_at", incident->resolved_at);
  add_time (b, "closed_at", incident->closed_at);
  add_string (b, "legal_review", incident->legal_review ? incident->legal_review : "none");
  json_builder_set_member_name (b, "rating");
  if (incident->rating > 0)
    json_builder_add_int_value (b, incident->rating);
  else
    json_builder_add_null_value (b);
  add_int (b, "rework_count", incident->rework_count);
  add_int (b, "return_count", incident->return_count);
  add_bool (b, "escalated", incident->escalated);
  add_int (b, "last_seq", incident->last_seq);
  add_int (b, "rev", incident->rev);
  add_int (b, "updated_at", incident->updated_at);

  json_builder_set_member_name (b, "units");
  json_builder_begin_array (b);
  for (guint i = 0; incident->units != NULL && i < incident->units->len; i++)
    {
      WhIncidentUnit *unit = g_ptr_array_index (incident->units, i);

      json_builder_begin_object (b);
      add_string (b, "unit_id", unit->unit_id);
      add_bool (b, "lead", unit->lead);
      add_int (b, "whistled_at", unit->whistled_at);
      add_time (b, "acknowledged_at", unit->acknowledged_at);
      add_time (b, "returned_at", unit->returned_at);
      add_string (b, "return_reason", unit->return_reason ? unit->return_reason : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* The descriptions of an event's attachments, so that a desk can show them before it
 * fetches their bytes; left out when there are none. */
static void
add_attachments (JsonBuilder *b,
                 GPtrArray   *attachments)
{
  if (attachments == NULL || attachments->len == 0)
    return;
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  for (guint i = 0; i < attachments->len; i++)
    {
      WhAttachment *attachment = g_ptr_array_index (attachments, i);

      json_builder_begin_object (b);
      add_string (b, "hash", attachment->hash);
      add_string (b, "mime_type", attachment->mime_type);
      add_int (b, "size", attachment->size);
      add_string (b, "name", attachment->name ? attachment->name : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

JsonNode *
wh_wire_event_to_json (WhIncidentEvent *event)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  JsonNode *payload;

  g_return_val_if_fail (WH_IS_INCIDENT_EVENT (event), NULL);

  payload = json_node_new (JSON_NODE_OBJECT);
  if (event->payload != NULL)
    json_node_set_object (payload, event->payload);
  else
    json_node_take_object (payload, json_object_new ());

  json_builder_begin_object (b);
  add_string (b, "id", event->id);
  add_string (b, "incident_id", event->incident_id);
  add_int (b, "seq", event->seq);
  add_string (b, "action", wh_action_to_string (event->action));
  /* The report creates the incident: there is no status it came from. */
  add_string (b, "from_status",
              event->action == WH_ACTION_REPORT ? NULL : wh_status_to_string (event->from_status));
  add_string (b, "to_status", wh_status_to_string (event->to_status));
  add_string (b, "actor_id", event->actor_id ? event->actor_id : "");
  add_string (b, "actor_name", event->actor_name ? event->actor_name : "");
  add_string (b, "actor_role", wh_role_to_string (event->actor_role));
  add_string (b, "unit_id", event->unit_id);
  add_int (b, "at", event->at);
  add_string (b, "note", event->note ? event->note : "");
  json_builder_set_member_name (b, "payload");
  json_builder_add_value (b, payload);
  add_attachments (b, wh_event_get_attachments (event));
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* Reading */

static gboolean
malformed (GError    **error,
           const char *what,
           const char *member)
{
  g_set_error (error, WH_WIRE_ERROR, WH_WIRE_ERROR_MALFORMED,
               _("The server’s answer is malformed: “%s” of %s is missing or has the wrong type."),
               member, what);
  return FALSE;
}

static JsonObject *
get_object (JsonNode   *node,
            const char *what,
            GError    **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, WH_WIRE_ERROR, WH_WIRE_ERROR_MALFORMED,
                   _("The server’s answer is malformed: %s is not a JSON object."), what);
      return NULL;
    }
  return json_node_get_object (node);
}

/* A string member: required ones must be strings, optional ones may be missing or null. */
static gboolean
read_string (JsonObject  *object,
             const char  *what,
             const char  *member,
             gboolean     required,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  g_clear_pointer (out, g_free);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? malformed (error, what, member) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return malformed (error, what, member);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* Text columns that are NOT NULL DEFAULT '' read back as "" when missing or null. */
static gboolean
read_text (JsonObject  *object,
           const char  *what,
           const char  *member,
           char       **out,
           GError     **error)
{
  if (!read_string (object, what, member, FALSE, out, error))
    return FALSE;
  if (*out == NULL)
    *out = g_strdup ("");
  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const char *what,
          const char *member,
          gboolean    nullable,
          gint64     *out,
          GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = 0;
  if (node == NULL)
    return malformed (error, what, member);
  if (JSON_NODE_HOLDS_NULL (node))
    return nullable ? TRUE : malformed (error, what, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return malformed (error, what, member);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_bool (JsonObject *object,
           const char *what,
           const char *member,
           gboolean   *out,
           GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return malformed (error, what, member);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_double (JsonObject *object,
             const char *what,
             const char *member,
             gboolean   *present,
             double     *out,
             GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *present = FALSE;
  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64))
    return malformed (error, what, member);
  *present = TRUE;
  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
read_unit (JsonNode        *node,
           WhIncidentUnit **out,
           GError         **error)
{
  const char *what = "incident.units";
  JsonObject *object = get_object (node, what, error);
  WhIncidentUnit *unit;
  gboolean ok;

  if (object == NULL)
    return FALSE;
  unit = g_new0 (WhIncidentUnit, 1);
  ok = read_string (object, what, "unit_id", TRUE, &unit->unit_id, error) &&
       read_bool (object, what, "lead", &unit->lead, error) &&
       read_int (object, what, "whistled_at", FALSE, &unit->whistled_at, error) &&
       read_int (object, what, "acknowledged_at", TRUE, &unit->acknowledged_at, error) &&
       read_int (object, what, "returned_at", TRUE, &unit->returned_at, error) &&
       read_text (object, what, "return_reason", &unit->return_reason, error);
  if (!ok)
    {
      wh_incident_unit_free (unit);
      return FALSE;
    }
  *out = unit;
  return TRUE;
}

WhIncident *
wh_wire_incident_from_json (JsonNode  *node,
                            GError   **error)
{
  const char *what = "incident";
  g_autoptr (WhIncident) incident = wh_incident_new ();
  g_autofree char *status = NULL;
  gint64 priority = 0, rating = 0, rework = 0, returns = 0;
  JsonObject *object;
  JsonNode *units;
  gboolean has_lon, has_lat;

  if ((object = get_object (node, what, error)) == NULL)
    return NULL;

  if (!read_string (object, what, "id", TRUE, &incident->id, error) ||
      !read_string (object, what, "number", TRUE, &incident->number, error) ||
      !read_string (object, what, "street_id", TRUE, &incident->street_id, error) ||
      !read_string (object, what, "source", TRUE, &incident->source, error) ||
      !read_string (object, what, "category_code", TRUE, &incident->category_code, error) ||
      !read_string (object, what, "title", TRUE, &incident->title, error) ||
      !read_text (object, what, "description", &incident->description, error) ||
      !read_text (object, what, "address", &incident->address, error) ||
      !read_double (object, what, "lon", &has_lon, &incident->lon, error) ||
      !read_double (object, what, "lat", &has_lat, &incident->lat, error) ||
      !read_string (object, what, "grid_id", FALSE, &incident->grid_id, error) ||
      !read_int (object, what, "priority", FALSE, &priority, error) ||
      !read_string (object, what, "status", TRUE, &status, error) ||
      !read_string (object, what, "lead_unit_id", FALSE, &incident->lead_unit_id, error) ||
      !read_text (object, what, "reporter_name", &incident->reporter_name, error) ||
      !read_text (object, what, "reporter_phone", &incident->reporter_phone, error) ||
      !read_int (object, what, "reported_at", FALSE, &incident->reported_at, error) ||
      !read_int (object, what, "registered_at", TRUE, &incident->registered_at, error) ||
      !read_int (object, what, "whistled_at", TRUE, &incident->whistled_at, error) ||
      !read_int (object, what, "response_due_at", TRUE, &incident->response_due_at, error) ||
      !read_int (object, what, "handling_due_at", TRUE, &incident->handling_due_at, error) ||
      !read_int (object, what, "resolved_at", TRUE, &incident->resolved_at, error) ||
      !read_int (object, what, "closed_at", TRUE, &incident->closed_at, error) ||
      !read_string (object, what, "legal_review", TRUE, &incident->legal_review, error) ||
      !read_int (object, what, "rating", TRUE, &rating, error) ||
      !read_int (object, what, "rework_count", FALSE, &rework, error) ||
      !read_int (object, what, "return_count", FALSE, &returns, error) ||
      !read_bool (object, what, "escalated", &incident->escalated, error) ||
      !read_int (object, what, "last_seq", FALSE, &incident->last_seq, error) ||
      !read_int (object, what, "rev", FALSE, &incident->rev, error) ||
      !read_int (object, what, "updated_at", FALSE, &incident->updated_at, error))
    return NULL;

  if (!g_uuid_string_is_valid (incident->id))
    return malformed (error, what, "id"), NULL;
  if (!wh_status_from_string (status, &incident->status))
    return malformed (error, what, "status"), NULL;
  if (has_lon != has_lat)
    return malformed (error, what, has_lon ? "lat" : "lon"), NULL;
  if (priority < 0 || priority > 2)
    return malformed (error, what, "priority"), NULL;
  if (rating < 0 || rating > 5)
    return malformed (error, what, "rating"), NULL;
  incident->has_location = has_lon;
  incident->priority = priority;
  incident->rating = rating;
  incident->rework_count = rework;
  incident->return_count = returns;

  units = json_object_get_member (object, "units");
  if (units == NULL || !JSON_NODE_HOLDS_ARRAY (units))
    return malformed (error, what, "units"), NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (units)); i++)
    {
      WhIncidentUnit *unit = NULL;

      if (!read_unit (json_array_get_element (json_node_get_array (units), i), &unit, error))
        return NULL;
      g_ptr_array_add (incident->units, unit);
    }

  return g_steal_pointer (&incident);
}

/* The optional "attachments" of an event: descriptions of what its payload names. */
static gboolean
read_attachments (JsonObject      *object,
                  WhIncidentEvent *event,
                  GError         **error)
{
  const char *what = "event.attachments";
  g_autoptr (GPtrArray) list = NULL;
  JsonNode *node = json_object_get_member (object, "attachments");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return malformed (error, "event", "attachments");
  array = json_node_get_array (node);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_attachment_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr (WhAttachment) attachment = g_new0 (WhAttachment, 1);
      JsonObject *element = get_object (json_array_get_element (array, i), what, error);

      if (element == NULL ||
          !read_string (element, what, "hash", TRUE, &attachment->hash, error) ||
          !read_string (element, what, "mime_type", TRUE, &attachment->mime_type, error) ||
          !read_int (element, what, "size", FALSE, &attachment->size, error) ||
          !read_text (element, what, "name", &attachment->name, error))
        return FALSE;
      if (!wh_attachment_hash_is_valid (attachment->hash))
        return malformed (error, what, "hash");
      if (attachment->size <= 0 || attachment->size > WH_ATTACHMENT_MAX_SIZE)
        return malformed (error, what, "size");
      /* A type this desk does not know (a newer server's) is kept out, not refused: the
       * rest of the record still matters. */
      if (!wh_attachment_type_is_accepted (attachment->mime_type))
        continue;
      g_ptr_array_add (list, g_steal_pointer (&attachment));
    }
  if (list->len > 0)
    wh_event_set_attachments (event, list);
  return TRUE;
}

WhIncidentEvent *
wh_wire_event_from_json (JsonNode  *node,
                         GError   **error)
{
  const char *what = "event";
  g_autoptr (WhIncidentEvent) event = wh_incident_event_new ();
  g_autofree char *action = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *role = NULL;
  JsonObject *object;
  JsonNode *payload;

  if ((object = get_object (node, what, error)) == NULL)
    return NULL;

  if (!read_string (object, what, "id", TRUE, &event->id, error) ||
      !read_string (object, what, "incident_id", TRUE, &event->incident_id, error) ||
      !read_int (object, what, "seq", FALSE, &event->seq, error) ||
      !read_string (object, what, "action", TRUE, &action, error) ||
      !read_string (object, what, "from_status", FALSE, &from, error) ||
      !read_string (object, what, "to_status", TRUE, &to, error) ||
      !read_text (object, what, "actor_id", &event->actor_id, error) ||
      !read_text (object, what, "actor_name", &event->actor_name, error) ||
      !read_string (object, what, "actor_role", TRUE, &role, error) ||
      !read_string (object, what, "unit_id", FALSE, &event->unit_id, error) ||
      !read_int (object, what, "at", FALSE, &event->at, error) ||
      !read_text (object, what, "note", &event->note, error))
    return NULL;

  if (event->seq < 1)
    return malformed (error, what, "seq"), NULL;
  if (!wh_action_from_string (action, &event->action))
    return malformed (error, what, "action"), NULL;
  if (!wh_status_from_string (to, &event->to_status))
    return malformed (error, what, "to_status"), NULL;
  if (event->action == WH_ACTION_REPORT)
    event->from_status = WH_STATUS_REPORTED;
  else if (!wh_status_from_string (from, &event->from_status))
    return malformed (error, what, "from_status"), NULL;
  if (!wh_role_from_string (role, &event->actor_role))
    return malformed (error, what, "actor_role"), NULL;

  payload = json_object_get_member (object, "payload");
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    return malformed (error, what, "payload"), NULL;
  {
    g_autoptr (JsonNode) copy = json_node_copy (payload);

    g_clear_pointer (&event->payload, json_object_unref);
    event->payload = json_object_ref (json_node_get_object (copy));
  }

  if (!read_attachments (object, event, error))
    return NULL;

  return g_steal_pointer (&event);
}

/* Op results */

static const char *const outcomes[] = {
  "applied", "duplicate", "conflict", "rejected", "error",
};

const char *
wh_op_outcome_to_string (WhOpOutcome outcome)
{
  g_return_val_if_fail (outcome < G_N_ELEMENTS (outcomes), "error");
  return outcomes[outcome];
}

gboolean
wh_op_outcome_from_string (const char  *str,
                           WhOpOutcome *outcome)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (outcomes); i++)
    if (g_str_equal (str, outcomes[i]))
      {
        *outcome = i;
        return TRUE;
      }
  return FALSE;
}

WhOpResult *
wh_op_result_new (const char  *op_id,
                  WhOpOutcome  outcome)
{
  WhOpResult *result = g_new0 (WhOpResult, 1);

  result->op_id = g_strdup (op_id);
  result->outcome = outcome;
  result->first_outcome = outcome;
  return result;
}

void
wh_op_result_free (WhOpResult *result)
{
  if (result == NULL)
    return;
  g_free (result->op_id);
  g_free (result->code);
  g_free (result->reason);
  g_clear_object (&result->incident);
  g_clear_pointer (&result->events, g_ptr_array_unref);
  g_free (result);
}

static void
add_events (JsonBuilder *b,
            GPtrArray   *events)
{
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = 0; events != NULL && i < events->len; i++)
    json_builder_add_value (b, wh_wire_event_to_json (g_ptr_array_index (events, i)));
  json_builder_end_array (b);
}

JsonNode *
wh_op_result_to_json (const WhOpResult *result)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (b);
  add_string (b, "op_id", result->op_id);
  add_string (b, "result", wh_op_outcome_to_string (result->outcome));
  if (result->outcome == WH_OP_OUTCOME_DUPLICATE)
    add_string (b, "first_result", wh_op_outcome_to_string (result->first_outcome));
  add_int (b, "rev", result->rev);
  if (result->code != NULL)
    add_string (b, "code", result->code);
  if (result->reason != NULL)
    add_string (b, "reason", result->reason);
  if (result->incident != NULL)
    {
      json_builder_set_member_name (b, "incident");
      json_builder_add_value (b, wh_wire_incident_to_json (result->incident));
      add_events (b, result->events);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static GPtrArray *
read_events (JsonObject *object,
             const char *what,
             GError    **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *node = json_object_get_member (object, "events");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return malformed (error, what, "events"), NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      WhIncidentEvent *event = wh_wire_event_from_json (json_array_get_element (array, i), error);

      if (event == NULL)
        return NULL;
      g_ptr_array_add (events, event);
    }
  return g_steal_pointer (&events);
}

WhOpResult *
wh_op_result_from_json (JsonNode  *node,
                        GError   **error)
{
  const char *what = "op result";
  g_autoptr (WhOpResult) result = g_new0 (WhOpResult, 1);
  g_autofree char *outcome = NULL;
  g_autofree char *first = NULL;
  JsonObject *object;
  JsonNode *incident;

  if ((object = get_object (node, what, error)) == NULL)
    return NULL;
  if (!read_string (object, what, "op_id", TRUE, &result->op_id, error) ||
      !read_string (object, what, "result", TRUE, &outcome, error) ||
      !read_string (object, what, "first_result", FALSE, &first, error) ||
      !read_int (object, what, "rev", FALSE, &result->rev, error) ||
      !read_string (object, what, "code", FALSE, &result->code, error) ||
      !read_string (object, what, "reason", FALSE, &result->reason, error))
    return NULL;
  if (!wh_op_outcome_from_string (outcome, &result->outcome))
    return malformed (error, what, "result"), NULL;
  result->first_outcome = result->outcome;
  if (result->outcome == WH_OP_OUTCOME_DUPLICATE &&
      (!wh_op_outcome_from_string (first, &result->first_outcome) ||
       result->first_outcome == WH_OP_OUTCOME_DUPLICATE ||
       result->first_outcome == WH_OP_OUTCOME_ERROR))
    return malformed (error, what, "first_result"), NULL;

  incident = json_object_get_member (object, "incident");
  if (incident != NULL && !JSON_NODE_HOLDS_NULL (incident))
    {
      if ((result->incident = wh_wire_incident_from_json (incident, error)) == NULL ||
          (result->events = read_events (object, what, error)) == NULL)
        return NULL;
    }
  return g_steal_pointer (&result);
}

/* The changes feed */

void
wh_change_free (WhChange *change)
{
  if (change == NULL)
    return;
  g_free (change->entity);
  g_free (change->entity_id);
  g_free (change->street_id);
  g_clear_object (&change->incident);
  g_clear_pointer (&change->events, g_ptr_array_unref);
  g_free (change);
}

JsonNode *
wh_change_to_json (const WhChange *change)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (change != NULL, NULL);

  json_builder_begin_object (b);
  add_int (b, "seq", change->seq);
  add_string (b, "kind", change->tombstone ? "tombstone" : "incident");
  if (change->tombstone)
    {
      add_string (b, "entity", change->entity);
      add_string (b, "id", change->entity_id);
      add_string (b, "street_id", change->street_id);
      add_int (b, "rev", change->rev);
    }
  else
    {
      json_builder_set_member_name (b, "incident");
      json_builder_add_value (b, wh_wire_incident_to_json (change->incident));
      add_events (b, change->events);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static WhChange *
change_from_json (JsonNode  *node,
                  GError   **error)
{
  const char *what = "change";
  g_autoptr (WhChange) change = g_new0 (WhChange, 1);
  g_autofree char *kind = NULL;
  JsonObject *object;

  if ((object = get_object (node, what, error)) == NULL)
    return NULL;
  if (!read_int (object, what, "seq", FALSE, &change->seq, error) ||
      !read_string (object, what, "kind", TRUE, &kind, error))
    return NULL;

  if (g_str_equal (kind, "tombstone"))
    {
      change->tombstone = TRUE;
      if (!read_string (object, what, "entity", TRUE, &change->entity, error) ||
          !read_string (object, what, "id", TRUE, &change->entity_id, error) ||
          !read_string (object, what, "street_id", TRUE, &change->street_id, error) ||
          !read_int (object, what, "rev", FALSE, &change->rev, error))
        return NULL;
    }
  else if (g_str_equal (kind, "incident"))
    {
      change->incident = wh_wire_incident_from_json (json_object_get_member (object, "incident"),
                                                     error);
      if (change->incident == NULL ||
          (change->events = read_events (object, what, error)) == NULL)
        return NULL;
      change->entity = g_strdup ("incident");
      change->entity_id = g_strdup (change->incident->id);
      change->street_id = g_strdup (change->incident->street_id);
      change->rev = change->incident->rev;
      /* Events must belong to the incident they came with, or an import would graft one
       * incident's timeline onto another. */
      for (guint i = 0; i < change->events->len; i++)
        {
          WhIncidentEvent *event = g_ptr_array_index (change->events, i);

          if (g_strcmp0 (event->incident_id, change->incident->id) != 0)
            return malformed (error, what, "events"), NULL;
        }
    }
  else
    return malformed (error, what, "kind"), NULL;

  return g_steal_pointer (&change);
}

void
wh_change_page_free (WhChangePage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_free (page);
}

JsonNode *
wh_change_page_to_json (const WhChangePage *page)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (page != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; page->changes != NULL && i < page->changes->len; i++)
    json_builder_add_value (b, wh_change_to_json (g_ptr_array_index (page->changes, i)));
  json_builder_end_array (b);
  add_int (b, "next_since", page->next_since);
  add_bool (b, "more", page->more);
  add_int (b, "latest", page->latest);
  add_int (b, "remaining", page->remaining);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

WhChangePage *
wh_change_page_from_json (JsonNode  *node,
                          GError   **error)
{
  const char *what = "changes";
  g_autoptr (WhChangePage) page = g_new0 (WhChangePage, 1);
  JsonObject *object;
  JsonNode *changes;
  gint64 previous = -1;

  if ((object = get_object (node, what, error)) == NULL)
    return NULL;
  if (!read_int (object, what, "next_since", FALSE, &page->next_since, error) ||
      !read_bool (object, what, "more", &page->more, error) ||
      !read_int (object, what, "latest", FALSE, &page->latest, error) ||
      !read_int (object, what, "remaining", FALSE, &page->remaining, error))
    return NULL;

  changes = json_object_get_member (object, "changes");
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
    return malformed (error, what, "changes"), NULL;
  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_change_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (changes)); i++)
    {
      WhChange *change = change_from_json (json_array_get_element (json_node_get_array (changes), i),
                                           error);

      if (change == NULL)
        return NULL;
      g_ptr_array_add (page->changes, change);
      /* A cursor that went backwards would make a desk read the same page for ever. */
      if (change->seq <= previous || change->seq > page->next_since)
        return malformed (error, what, "seq"), NULL;
      previous = change->seq;
    }
  return g_steal_pointer (&page);
}

JsonNode *
wh_wire_error_to_json (const char *code,
                       const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  add_string (b, "code", code);
  add_string (b, "message", message);
  json_builder_end_object (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
