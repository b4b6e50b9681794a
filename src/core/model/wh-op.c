/* wh-op.c — one change to an incident, and its wire format */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-incident.h"
#include "wh-op.h"

WhActor *
wh_actor_new (const char *id,
              const char *name,
              WhRole      role,
              const char *unit_id)
{
  WhActor *actor = g_new0 (WhActor, 1);

  actor->id = g_strdup (id ? id : "");
  actor->name = g_strdup (name ? name : "");
  actor->role = role;
  actor->unit_id = g_strdup (unit_id);
  return actor;
}

WhActor *
wh_actor_copy (const WhActor *actor)
{
  if (actor == NULL)
    return NULL;
  return wh_actor_new (actor->id, actor->name, actor->role, actor->unit_id);
}

void
wh_actor_free (WhActor *actor)
{
  if (actor == NULL)
    return;
  g_free (actor->id);
  g_free (actor->name);
  g_free (actor->unit_id);
  g_free (actor);
}

WhOp *
wh_op_new (WhAction       action,
           const char    *incident_id,
           const WhActor *actor,
           gint64         at)
{
  WhOp *op = g_new0 (WhOp, 1);

  op->op_id = wh_uuid_new (NULL);
  op->incident_id = g_strdup (incident_id);
  op->action = action;
  op->actor = actor ? wh_actor_copy (actor) : wh_actor_new ("", "", WH_ROLE_VIEWER, NULL);
  op->at = at;
  op->fields = json_object_new ();
  return op;
}

WhOp *
wh_op_copy (const WhOp *op)
{
  WhOp *copy;
  g_autoptr (JsonNode) node = NULL;

  if (op == NULL)
    return NULL;
  copy = g_new0 (WhOp, 1);
  copy->op_id = g_strdup (op->op_id);
  copy->incident_id = g_strdup (op->incident_id);
  copy->action = op->action;
  copy->actor = wh_actor_copy (op->actor);
  copy->unit_id = g_strdup (op->unit_id);
  copy->note = g_strdup (op->note);
  copy->at = op->at;
  copy->base_rev = op->base_rev;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, op->fields);
  {
    g_autoptr (JsonNode) deep = json_node_copy (node);
    copy->fields = json_object_ref (json_node_get_object (deep));
  }
  return copy;
}

void
wh_op_free (WhOp *op)
{
  if (op == NULL)
    return;
  g_free (op->op_id);
  g_free (op->incident_id);
  wh_actor_free (op->actor);
  g_free (op->unit_id);
  g_free (op->note);
  g_clear_pointer (&op->fields, json_object_unref);
  g_free (op);
}

JsonNode *
wh_op_to_json (const WhOp *op)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  JsonNode *fields = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (fields, op->fields);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "op_id");
  json_builder_add_string_value (builder, op->op_id);
  json_builder_set_member_name (builder, "incident_id");
  json_builder_add_string_value (builder, op->incident_id);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, wh_action_to_string (op->action));
  json_builder_set_member_name (builder, "actor");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, op->actor->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, op->actor->name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, wh_role_to_string (op->actor->role));
  if (op->actor->unit_id != NULL)
    {
      json_builder_set_member_name (builder, "unit_id");
      json_builder_add_string_value (builder, op->actor->unit_id);
    }
  json_builder_end_object (builder);
  if (op->unit_id != NULL)
    {
      json_builder_set_member_name (builder, "unit_id");
      json_builder_add_string_value (builder, op->unit_id);
    }
  if (op->note != NULL)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, op->note);
    }
  json_builder_set_member_name (builder, "at");
  json_builder_add_int_value (builder, op->at);
  json_builder_set_member_name (builder, "base_rev");
  json_builder_add_int_value (builder, op->base_rev);
  json_builder_set_member_name (builder, "fields");
  json_builder_add_value (builder, fields);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
wh_op_to_string (const WhOp *op)
{
  g_autoptr (JsonNode) node = wh_op_to_json (op);

  return json_to_string (node, FALSE);
}

static gboolean
invalid (GError    **error,
         const char *member)
{
  g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID,
               _("The change is malformed: “%s” is missing or has the wrong type."), member);
  return FALSE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? invalid (error, member) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, member);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *member,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (error, member);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
is_uuid (const char *str)
{
  return str != NULL && g_uuid_string_is_valid (str);
}

WhOp *
wh_op_from_json (JsonNode  *node,
                 GError   **error)
{
  static const char *known[] = {
    "op_id", "incident_id", "action", "actor", "unit_id", "note", "at", "base_rev", "fields",
  };
  g_autoptr (WhOp) op = g_new0 (WhOp, 1);
  g_autofree char *action = NULL;
  g_autofree char *role = NULL;
  g_autoptr (GList) members = NULL;
  JsonObject *object;
  JsonObject *actor;
  JsonNode *fields;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID,
                   _("The change is malformed: it is not a JSON object."));
      return NULL;
    }
  object = json_node_get_object (node);

  /* Unknown members are refused rather than ignored: a newer desk's field that this side
   * does not understand must not be dropped silently. */
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (known) && !found; i++)
        found = g_str_equal (known[i], l->data);
      if (!found)
        {
          g_set_error (error, WH_INCIDENT_ERROR, WH_INCIDENT_ERROR_INVALID,
                       _("The change is malformed: unknown member “%s”."), (char *) l->data);
          return NULL;
        }
    }

  if (!get_string (object, "op_id", TRUE, &op->op_id, error) ||
      !get_string (object, "incident_id", TRUE, &op->incident_id, error) ||
      !get_string (object, "action", TRUE, &action, error) ||
      !get_string (object, "unit_id", FALSE, &op->unit_id, error) ||
      !get_string (object, "note", FALSE, &op->note, error) ||
      !get_int (object, "at", &op->at, error) ||
      !get_int (object, "base_rev", &op->base_rev, error))
    return NULL;

  if (!is_uuid (op->op_id))
    return invalid (error, "op_id"), NULL;
  if (!is_uuid (op->incident_id))
    return invalid (error, "incident_id"), NULL;
  if (!wh_action_from_string (action, &op->action))
    return invalid (error, "action"), NULL;

  {
    JsonNode *actor_node = json_object_get_member (object, "actor");

    if (actor_node == NULL || !JSON_NODE_HOLDS_OBJECT (actor_node))
      return invalid (error, "actor"), NULL;
    actor = json_node_get_object (actor_node);
  }
  op->actor = g_new0 (WhActor, 1);
  if (!get_string (actor, "id", TRUE, &op->actor->id, error) ||
      !get_string (actor, "name", TRUE, &op->actor->name, error) ||
      !get_string (actor, "role", TRUE, &role, error) ||
      !get_string (actor, "unit_id", FALSE, &op->actor->unit_id, error))
    return NULL;
  if (!wh_role_from_string (role, &op->actor->role))
    return invalid (error, "actor.role"), NULL;

  fields = json_object_get_member (object, "fields");
  if (fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields))
    return invalid (error, "fields"), NULL;
  {
    g_autoptr (JsonNode) copy = json_node_copy (fields);
    op->fields = json_object_ref (json_node_get_object (copy));
  }

  return g_steal_pointer (&op);
}

void
wh_op_set_string (WhOp       *op,
                  const char *key,
                  const char *value)
{
  if (value == NULL)
    json_object_set_null_member (op->fields, key);
  else
    json_object_set_string_member (op->fields, key, value);
}

void
wh_op_set_int (WhOp       *op,
               const char *key,
               gint64      value)
{
  json_object_set_int_member (op->fields, key, value);
}

const char *
wh_op_get_string (const WhOp *op,
                  const char *key)
{
  JsonNode *node = json_object_get_member (op->fields, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
wh_op_get_int (const WhOp *op,
               const char *key,
               gint64      default_value)
{
  JsonNode *node = json_object_get_member (op->fields, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return default_value;
  return json_node_get_int (node);
}

char *
wh_uuid_new (GRand *rand)
{
  guint8 bytes[16];

  if (rand == NULL)
    return g_uuid_string_random ();

  /* Byte by byte, so the same seed gives the same UUIDs on every architecture. */
  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = g_rand_int_range (rand, 0, 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40; /* version 4 */
  bytes[8] = (bytes[8] & 0x3f) | 0x80; /* RFC 4122 variant */

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5],
                          bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                          bytes[12], bytes[13], bytes[14], bytes[15]);
}
