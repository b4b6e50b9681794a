/* wh-incident.c — an incident as the projection of its timeline
 *
 * Fields each action's op carries (op->fields), checked by wh_incident_apply_op():
 *   report:   number, street_id, source, category_code, title (required);
 *             description, address, lon + lat, grid_id, priority (0–2), reporter_name,
 *             reporter_phone (optional)
 *   whistle:  lead_unit_id, response_due_at, handling_due_at (required; the store fills the
 *             deadlines from the category when the desk leaves them out);
 *             cooperating_unit_ids (array of strings, optional)
 *   acknowledge, return: op->unit_id (required); return also a note (the reason)
 *   record_legal_review: approved (boolean)
 *   rate:     rating (1–5)
 *   not_accept, return, feedback, verify_fail, escalate, reopen, note: a note (required)
 *   add_reporter: source (required); reporter_name, reporter_phone (optional) and the
 *             reporter's own words as the note; at least one of the three. The contact
 *             stays in the event's fields like the first reporter's in the report's, never
 *             in the note, so it is kept as private as theirs.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-incident.h"

#define MAX_TITLE_CHARS       200
#define MAX_TEXT_CHARS        10000

G_DEFINE_QUARK (wh-incident-error-quark, wh_incident_error)

/* WhIncidentEvent */

G_DEFINE_FINAL_TYPE (WhIncidentEvent, wh_incident_event, G_TYPE_OBJECT)

static void
wh_incident_event_finalize (GObject *object)
{
  WhIncidentEvent *self = WH_INCIDENT_EVENT (object);

  g_free (self->id);
  g_free (self->incident_id);
  g_free (self->actor_id);
  g_free (self->actor_name);
  g_free (self->unit_id);
  g_free (self->note);
  g_clear_pointer (&self->payload, json_object_unref);

  G_OBJECT_CLASS (wh_incident_event_parent_class)->finalize (object);
}

static void
wh_incident_event_class_init (WhIncidentEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_incident_event_finalize;
}

static void
wh_incident_event_init (WhIncidentEvent *self)
{
  self->payload = json_object_new ();
}

WhIncidentEvent *
wh_incident_event_new (void)
{
  return g_object_new (WH_TYPE_INCIDENT_EVENT, NULL);
}

/* WhIncident */

G_DEFINE_FINAL_TYPE (WhIncident, wh_incident, G_TYPE_OBJECT)

void
wh_incident_unit_free (WhIncidentUnit *unit)
{
  if (unit == NULL)
    return;
  g_free (unit->unit_id);
  g_free (unit->return_reason);
  g_free (unit);
}

static void
wh_incident_finalize (GObject *object)
{
  WhIncident *self = WH_INCIDENT (object);

  g_free (self->id);
  g_free (self->number);
  g_free (self->street_id);
  g_free (self->source);
  g_free (self->category_code);
  g_free (self->title);
  g_free (self->description);
  g_free (self->address);
  g_free (self->grid_id);
  g_free (self->lead_unit_id);
  g_free (self->reporter_name);
  g_free (self->reporter_phone);
  g_free (self->legal_review);
  g_clear_pointer (&self->units, g_ptr_array_unref);

  G_OBJECT_CLASS (wh_incident_parent_class)->finalize (object);
}

static void
wh_incident_class_init (WhIncidentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_incident_finalize;
}

static void
wh_incident_init (WhIncident *self)
{
  self->status = WH_STATUS_REPORTED;
  self->legal_review = g_strdup ("none");
  self->units = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_incident_unit_free);
}

WhIncident *
wh_incident_new (void)
{
  return g_object_new (WH_TYPE_INCIDENT, NULL);
}

WhIncidentUnit *
wh_incident_find_unit (WhIncident *self,
                       const char *unit_id)
{
  g_return_val_if_fail (WH_IS_INCIDENT (self), NULL);

  if (unit_id == NULL)
    return NULL;
  for (guint i = 0; i < self->units->len; i++)
    {
      WhIncidentUnit *unit = g_ptr_array_index (self->units, i);

      if (g_str_equal (unit->unit_id, unit_id))
        return unit;
    }
  return NULL;
}

void
wh_incident_get_facts (WhIncident       *self,
                       const char       *unit_id,
                       gboolean          major,
                       WhLifecycleFacts *facts)
{
  WhIncidentUnit *unit;

  g_return_if_fail (WH_IS_INCIDENT (self));

  memset (facts, 0, sizeof *facts);
  facts->major = major;
  facts->legal_review_approved = g_strcmp0 (self->legal_review, "approved") == 0;

  unit = wh_incident_find_unit (self, unit_id);
  if (unit != NULL && unit->returned_at == 0)
    {
      facts->unit_summoned = TRUE;
      facts->unit_acknowledged = unit->acknowledged_at != 0;
      facts->unit_is_lead = unit->lead;
    }
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
check_text (const char *text,
            gsize       max_chars,
            gboolean    required,
            const char *label,
            GError    **error)
{
  if (text == NULL || *text == '\0')
    return required ? invalid (error, _("%s must not be empty."), label) : TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, _("%s is not valid UTF-8 text."), label);
  if (g_utf8_strlen (text, -1) > (glong) max_chars)
    return invalid (error, _("%s is longer than %u characters."), label, (guint) max_chars);
  return TRUE;
}

static gboolean
is_known_source (const char *source)
{
  static const char *sources[] = {
    "patrol", "hotline", "video", "walk_in", "community", "district",
  };

  for (guint i = 0; source != NULL && i < G_N_ELEMENTS (sources); i++)
    if (g_str_equal (source, sources[i]))
      return TRUE;
  return FALSE;
}

static gboolean
get_double (JsonObject *fields,
            const char *key,
            double     *value)
{
  JsonNode *node = json_object_get_member (fields, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

static gboolean
check_report (const WhOp *op,
              GError    **error)
{
  JsonObject *fields = op->fields;
  gboolean has_lon = json_object_has_member (fields, "lon");
  gboolean has_lat = json_object_has_member (fields, "lat");
  gint64 priority = wh_op_get_int (op, "priority", 0);

  if (!check_text (wh_op_get_string (op, "number"), 64, TRUE, _("The number"), error) ||
      !check_text (wh_op_get_string (op, "street_id"), 64, TRUE, _("The street"), error) ||
      !check_text (wh_op_get_string (op, "category_code"), 32, TRUE, _("The category"), error) ||
      !check_text (wh_op_get_string (op, "title"), MAX_TITLE_CHARS, TRUE, _("The title"), error) ||
      !check_text (wh_op_get_string (op, "description"), MAX_TEXT_CHARS, FALSE,
                   _("The description"), error) ||
      !check_text (wh_op_get_string (op, "address"), 500, FALSE, _("The address"), error) ||
      !check_text (wh_op_get_string (op, "reporter_name"), 100, FALSE, _("The reporter’s name"), error) ||
      !check_text (wh_op_get_string (op, "reporter_phone"), 40, FALSE, _("The reporter’s phone"), error))
    return FALSE;

  if (!is_known_source (wh_op_get_string (op, "source")))
    return invalid (error, _("The source of an incident must be one of patrol, hotline, video, "
                             "walk-in, community or district."));
  if (priority < 0 || priority > 2)
    return invalid (error, _("The priority must be normal, urgent or critical."));
  if (has_lon != has_lat)
    return invalid (error, _("A location needs both longitude and latitude."));
  if (has_lon)
    {
      double lon, lat;

      if (!get_double (fields, "lon", &lon) || !get_double (fields, "lat", &lat) ||
          lon < -180 || lon > 180 || lat < -90 || lat > 90)
        return invalid (error, _("The location is not a valid longitude and latitude."));
    }
  return TRUE;
}

static gboolean
check_whistle (WhIncident *self,
               const WhOp *op,
               GError    **error)
{
  const char *lead = wh_op_get_string (op, "lead_unit_id");
  gint64 response_due = wh_op_get_int (op, "response_due_at", 0);
  gint64 handling_due = wh_op_get_int (op, "handling_due_at", 0);
  JsonNode *coop = json_object_get_member (op->fields, "cooperating_unit_ids");

  if (lead == NULL || *lead == '\0')
    return invalid (error, _("A whistle needs a lead unit."));
  if (response_due <= op->at || handling_due <= op->at)
    return invalid (error, _("The deadlines of a whistle must lie in the future."));
  if (handling_due < response_due)
    return invalid (error, _("The handling deadline cannot come before the report-in deadline."));
  if (coop != NULL && !JSON_NODE_HOLDS_NULL (coop))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (coop))
        return invalid (error, _("The cooperating units must be a list of units."));
      array = json_node_get_array (coop);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *unit_id;

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            return invalid (error, _("The cooperating units must be a list of units."));
          unit_id = json_node_get_string (element);
          if (g_str_equal (unit_id, lead))
            return invalid (error, _("The lead unit cannot also be a cooperating unit."));
          for (guint j = 0; j < i; j++)
            if (g_str_equal (unit_id, json_array_get_string_element (array, j)))
              return invalid (error, _("A cooperating unit is named twice."));
        }
    }
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static gboolean
check_add_reporter (const WhOp *op,
                    GError    **error)
{
  const char *name = wh_op_get_string (op, "reporter_name");
  const char *phone = wh_op_get_string (op, "reporter_phone");

  if (!check_text (name, 100, FALSE, _("The reporter’s name"), error) ||
      !check_text (phone, 40, FALSE, _("The reporter’s phone"), error))
    return FALSE;
  if (!is_known_source (wh_op_get_string (op, "source")))
    return invalid (error, _("The source of an incident must be one of patrol, hotline, video, "
                             "walk-in, community or district."));
  if (is_blank (name) && is_blank (phone) && is_blank (op->note))
    return invalid (error, _("Another reporter needs a name, a phone number or what they "
                             "reported."));
  return TRUE;
}

static gboolean
needs_note (WhAction action)
{
  switch (action)
    {
    case WH_ACTION_NOT_ACCEPT:
    case WH_ACTION_RETURN:
    case WH_ACTION_NOTE:
    case WH_ACTION_FEEDBACK:
    case WH_ACTION_VERIFY_FAIL:
    case WH_ACTION_ESCALATE:
    case WH_ACTION_REOPEN:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
check_fields (WhIncident *self,
              const WhOp *op,
              GError    **error)
{
  if (needs_note (op->action) && is_blank (op->note))
    {
      switch (op->action)
        {
        case WH_ACTION_FEEDBACK:
          return invalid (error, _("A feedback needs the result of the handling."));
        case WH_ACTION_NOTE:
          return invalid (error, _("A progress note must not be empty."));
        default:
          return invalid (error, _("“%s” needs a reason."), wh_action_label (op->action));
        }
    }
  if (!check_text (op->note, MAX_TEXT_CHARS, FALSE, _("The note"), error))
    return FALSE;

  if (wh_action_needs_unit (op->action) && (op->unit_id == NULL || *op->unit_id == '\0'))
    return invalid (error, _("“%s” needs the unit it is for."), wh_action_label (op->action));

  if (op->actor->role == WH_ROLE_UNIT_LIAISON && op->unit_id != NULL &&
      g_strcmp0 (op->unit_id, op->actor->unit_id) != 0)
    {
      g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED,
                   _("A unit liaison can only act for their own unit."));
      return FALSE;
    }

  switch (op->action)
    {
    case WH_ACTION_REPORT:
      return check_report (op, error);
    case WH_ACTION_WHISTLE:
      return check_whistle (self, op, error);
    case WH_ACTION_ADD_REPORTER:
      return check_add_reporter (op, error);
    case WH_ACTION_RATE:
      {
        gint64 rating = wh_op_get_int (op, "rating", 0);
        if (rating < 1 || rating > 5)
          return invalid (error, _("A rating must be between 1 and 5."));
        return TRUE;
      }
    case WH_ACTION_RECORD_LEGAL_REVIEW:
      {
        JsonNode *node = json_object_get_member (op->fields, "approved");
        if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
            json_node_get_value_type (node) != G_TYPE_BOOLEAN)
          return invalid (error, _("A legal review must say whether the decision is approved."));
        return TRUE;
      }
    default:
      return TRUE;
    }
}

WhIncidentEvent *
wh_incident_apply_op (WhIncident  *self,
                      const WhOp  *op,
                      gboolean     major,
                      GError     **error)
{
  g_autoptr (WhIncidentEvent) event = NULL;
  g_autofree char *reason = NULL;
  WhLifecycleFacts facts;
  WhStatus next;
  const char *acting_unit;

  g_return_val_if_fail (WH_IS_INCIDENT (self), NULL);
  g_return_val_if_fail (op != NULL && op->actor != NULL, NULL);

  if (op->action == WH_ACTION_REPORT)
    {
      if (self->last_seq != 0)
        {
          g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED,
                       _("This incident has already been reported."));
          return NULL;
        }
      if (!wh_lifecycle_can_report (op->actor->role, &reason))
        {
          g_set_error_literal (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED, reason);
          return NULL;
        }
      next = WH_STATUS_REPORTED;
    }
  else
    {
      if (self->last_seq == 0)
        {
          g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_NOT_FOUND,
                       _("The incident does not exist."));
          return NULL;
        }
      acting_unit = op->unit_id ? op->unit_id : op->actor->unit_id;
      wh_incident_get_facts (self, acting_unit, major, &facts);
      if (!wh_lifecycle_decide (self->status, op->action, op->actor->role, &facts, &next, &reason))
        {
          g_set_error_literal (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_REFUSED, reason);
          return NULL;
        }
    }

  if (!check_fields (self, op, error))
    return NULL;

  event = wh_incident_event_new ();
  /* The event takes the op's id: replaying the same op can never add a second event. */
  event->id = g_strdup (op->op_id);
  event->incident_id = g_strdup (op->incident_id);
  event->seq = self->last_seq + 1;
  event->action = op->action;
  event->from_status = self->status;
  event->to_status = next;
  event->actor_id = g_strdup (op->actor->id);
  event->actor_name = g_strdup (op->actor->name);
  event->actor_role = op->actor->role;
  event->unit_id = g_strdup (op->unit_id ? op->unit_id : op->actor->unit_id);
  event->at = op->at;
  event->note = g_strdup (op->note ? op->note : "");
  g_clear_pointer (&event->payload, json_object_unref);
  {
    g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autoptr (JsonNode) copy = NULL;

    json_node_set_object (node, op->fields);
    copy = json_node_copy (node);
    event->payload = json_object_ref (json_node_get_object (copy));
  }

  wh_incident_apply_event (self, event);
  return g_steal_pointer (&event);
}

static void
set_string (char      **field,
            JsonObject *payload,
            const char *key)
{
  JsonNode *node = json_object_get_member (payload, key);

  g_free (*field);
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    *field = g_strdup (json_node_get_string (node));
  else
    *field = NULL;
}

static gint64
payload_int (JsonObject *payload,
             const char *key)
{
  JsonNode *node = json_object_get_member (payload, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return json_node_get_int (node);
}

static void
summon (WhIncident *self,
        const char *unit_id,
        gboolean    lead,
        gint64      at)
{
  WhIncidentUnit *unit = g_new0 (WhIncidentUnit, 1);

  unit->unit_id = g_strdup (unit_id);
  unit->lead = lead;
  unit->whistled_at = at;
  unit->return_reason = g_strdup ("");
  g_ptr_array_add (self->units, unit);
}

static void
apply_report (WhIncident      *self,
              WhIncidentEvent *event)
{
  JsonObject *p = event->payload;

  g_free (self->id);
  self->id = g_strdup (event->incident_id);
  set_string (&self->number, p, "number");
  set_string (&self->street_id, p, "street_id");
  set_string (&self->source, p, "source");
  set_string (&self->category_code, p, "category_code");
  set_string (&self->title, p, "title");
  set_string (&self->description, p, "description");
  set_string (&self->address, p, "address");
  set_string (&self->grid_id, p, "grid_id");
  set_string (&self->reporter_name, p, "reporter_name");
  set_string (&self->reporter_phone, p, "reporter_phone");
  self->has_location = json_object_has_member (p, "lon") && json_object_has_member (p, "lat");
  if (self->has_location)
    {
      self->lon = json_object_get_double_member (p, "lon");
      self->lat = json_object_get_double_member (p, "lat");
    }
  self->priority = payload_int (p, "priority");
  self->reported_at = event->at;
}

static void
apply_whistle (WhIncident      *self,
               WhIncidentEvent *event)
{
  JsonObject *p = event->payload;
  JsonNode *coop = json_object_get_member (p, "cooperating_unit_ids");

  /* A new whistle replaces the summoned units; the earlier ones stay in the timeline. */
  g_ptr_array_set_size (self->units, 0);
  set_string (&self->lead_unit_id, p, "lead_unit_id");
  summon (self, self->lead_unit_id, TRUE, event->at);
  if (coop != NULL && JSON_NODE_HOLDS_ARRAY (coop))
    {
      JsonArray *array = json_node_get_array (coop);

      for (guint i = 0; i < json_array_get_length (array); i++)
        summon (self, json_array_get_string_element (array, i), FALSE, event->at);
    }
  self->whistled_at = event->at;
  self->response_due_at = payload_int (p, "response_due_at");
  self->handling_due_at = payload_int (p, "handling_due_at");
}

void
wh_incident_apply_event (WhIncident      *self,
                         WhIncidentEvent *event)
{
  WhIncidentUnit *unit;

  g_return_if_fail (WH_IS_INCIDENT (self));
  g_return_if_fail (WH_IS_INCIDENT_EVENT (event));

  switch (event->action)
    {
    case WH_ACTION_REPORT:
      apply_report (self, event);
      break;
    case WH_ACTION_REGISTER:
      self->registered_at = event->at;
      break;
    case WH_ACTION_WHISTLE:
      apply_whistle (self, event);
      break;
    case WH_ACTION_ACKNOWLEDGE:
      unit = wh_incident_find_unit (self, event->unit_id);
      if (unit != NULL)
        unit->acknowledged_at = event->at;
      break;
    case WH_ACTION_RETURN:
      unit = wh_incident_find_unit (self, event->unit_id);
      if (unit != NULL)
        {
          unit->returned_at = event->at;
          g_free (unit->return_reason);
          unit->return_reason = g_strdup (event->note);
        }
      self->return_count++;
      break;
    case WH_ACTION_REQUEST_LEGAL_REVIEW:
      g_free (self->legal_review);
      self->legal_review = g_strdup ("requested");
      break;
    case WH_ACTION_RECORD_LEGAL_REVIEW:
      g_free (self->legal_review);
      self->legal_review = g_strdup (json_object_get_boolean_member_with_default (event->payload,
                                                                                "approved", FALSE)
                                       ? "approved" : "refused");
      break;
    case WH_ACTION_FEEDBACK:
      self->resolved_at = event->at;
      break;
    case WH_ACTION_VERIFY_FAIL:
      self->rework_count++;
      self->resolved_at = 0;
      break;
    case WH_ACTION_CLOSE:
      self->closed_at = event->at;
      break;
    case WH_ACTION_RATE:
      self->rating = payload_int (event->payload, "rating");
      break;
    case WH_ACTION_ESCALATE:
      self->escalated = TRUE;
      break;
    case WH_ACTION_REOPEN:
      self->closed_at = 0;
      self->resolved_at = 0;
      self->rating = 0;
      break;
    case WH_ACTION_NOT_ACCEPT:
    case WH_ACTION_START:
    case WH_ACTION_NOTE:
    case WH_ACTION_VERIFY_PASS:
    case WH_ACTION_ADD_REPORTER: /* the reporter lives in the timeline, like every step */
    case WH_N_ACTIONS:
    default:
      break;
    }

  self->status = event->to_status;
  self->last_seq = event->seq;
  self->updated_at = event->at;
}

gint64
wh_incident_time_left (WhIncident *self,
                       gint64      now)
{
  g_return_val_if_fail (WH_IS_INCIDENT (self), G_MAXINT64);

  switch (self->status)
    {
    case WH_STATUS_WHISTLED:
      return self->response_due_at ? self->response_due_at - now : G_MAXINT64;
    case WH_STATUS_ACKNOWLEDGED:
    case WH_STATUS_IN_PROGRESS:
    case WH_STATUS_LEGAL_REVIEW:
    case WH_STATUS_REWORK:
      return self->handling_due_at ? self->handling_due_at - now : G_MAXINT64;
    default:
      return G_MAXINT64;
    }
}
