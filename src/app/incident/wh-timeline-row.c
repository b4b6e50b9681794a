/* wh-timeline-row.c — one step of an incident's whole-process record (全过程记录) */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-attachment-thumb.h"
#include "wh-format.h"
#include "wh-timeline-row.h"

struct _WhTimelineRow
{
  GtkListBoxRow parent_instance;

  /* template children */
  GtkLabel   *time_label;
  GtkLabel   *what_label;
  GtkLabel   *who_label;
  GtkLabel   *details_label;
  GtkLabel   *note_label;
  GtkFlowBox *attachments_box;

  char      *event_id;
  GPtrArray *thumbs; /* WhAttachmentThumb, borrowed from the flow box */
};

G_DEFINE_FINAL_TYPE (WhTimelineRow, wh_timeline_row, GTK_TYPE_LIST_BOX_ROW)

char *
wh_timeline_row_mask_phone (const char *phone)
{
  glong n;
  g_autoptr (GString) masked = NULL;
  const char *p;

  if (phone == NULL || *phone == '\0')
    return g_strdup ("");
  n = g_utf8_strlen (phone, -1);
  if (n < 7)
    return g_strdup ("****");
  /* Keep the first three and the last four, as Chinese forms print a phone number. */
  masked = g_string_new (NULL);
  p = phone;
  for (glong i = 0; i < n; i++, p = g_utf8_next_char (p))
    {
      if (i < 3 || i >= n - 4)
        g_string_append_unichar (masked, g_utf8_get_char (p));
      else
        g_string_append_c (masked, '*');
    }
  return g_string_free (g_steal_pointer (&masked), FALSE);
}

static const char *
unit_name (WhContext *context, const char *unit_id, gboolean full)
{
  WhUnit *unit = wh_roster_store_lookup_unit (wh_context_get_roster_store (context), unit_id);

  if (unit == NULL)
    return unit_id ? unit_id : "";
  return full ? unit->name : unit->short_name;
}

static const char *
payload_string (JsonObject *payload, const char *key)
{
  JsonNode *node = payload ? json_object_get_member (payload, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
payload_int (JsonObject *payload, const char *key)
{
  JsonNode *node = payload ? json_object_get_member (payload, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return json_node_get_int (node);
}

static void
append_line (GString *s, const char *line)
{
  if (line == NULL || *line == '\0')
    return;
  if (s->len > 0)
    g_string_append_c (s, '\n');
  g_string_append (s, line);
}

/* The action's own facts, beyond the note: what a reader of the record needs to know of
 * this step without opening anything else. */
static char *
describe_payload (WhContext *context, WhIncidentEvent *event)
{
  JsonObject *p = event->payload;
  g_autoptr (GString) s = g_string_new (NULL);

  switch (event->action)
    {
    case WH_ACTION_REPORT:
      {
        g_autofree char *category = wh_category_catalog_dup_display_name (
          wh_context_get_catalog (context), payload_string (p, "category_code"));
        /* Translators: the first step of the record: where it came from, and its category */
        g_autofree char *line =
          g_strdup_printf (_ ("Source: %s · Category: %s"),
                           wh_source_label (payload_string (p, "source")), category);

        append_line (s, line);
      }
      break;

    case WH_ACTION_WHISTLE:
      {
        JsonNode *coop = json_object_get_member (p, "cooperating_unit_ids");
        g_autoptr (GString) names = g_string_new (NULL);
        g_autofree char *lead = NULL;
        g_autofree char *response = wh_format_time (payload_int (p, "response_due_at"));
        g_autofree char *handling = wh_format_time (payload_int (p, "handling_due_at"));
        g_autofree char *due = NULL;

        /* Translators: %s is the unit in charge of a whistled incident */
        lead = g_strdup_printf (_ ("Lead unit: %s"),
                                unit_name (context, payload_string (p, "lead_unit_id"), TRUE));
        append_line (s, lead);
        if (coop != NULL && JSON_NODE_HOLDS_ARRAY (coop))
          {
            JsonArray *array = json_node_get_array (coop);

            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                if (i > 0)
                  g_string_append (names, _ (", "));
                g_string_append (
                  names, unit_name (context, json_array_get_string_element (array, i), TRUE));
              }
          }
        if (names->len > 0)
          {
            /* Translators: the units summoned besides the lead unit */
            g_autofree char *line = g_strdup_printf (_ ("Cooperating: %s"), names->str);

            append_line (s, line);
          }
        /* Translators: the two deadlines of a whistle */
        due = g_strdup_printf (_ ("Report in by %s, handle by %s"), response, handling);
        append_line (s, due);
      }
      break;

    case WH_ACTION_RECORD_LEGAL_REVIEW:
      append_line (s, json_object_get_boolean_member_with_default (p, "approved", FALSE)
                        ? _ ("The legal review approves the decision.")
                        : _ ("The legal review refuses the decision."));
      break;

    case WH_ACTION_RATE:
      {
        gint64 rating = payload_int (p, "rating");
        g_autoptr (GString) stars = g_string_new (NULL);

        for (int i = 0; i < 5; i++)
          g_string_append (stars, i < rating ? "★" : "☆");
        g_string_append_printf (stars, " (%d/5)", (int) rating);
        append_line (s, stars->str);
      }
      break;

    case WH_ACTION_ADD_REPORTER:
      {
        const char      *name = payload_string (p, "reporter_name");
        g_autofree char *phone = wh_timeline_row_mask_phone (payload_string (p, "reporter_phone"));
        g_autofree char *line = NULL;

        if (name != NULL || *phone != '\0')
          {
            /* Translators: a further reporter of the same matter: name and masked phone */
            line = g_strdup_printf (_ ("Also reported by %s %s"), name ? name : "", phone);
            append_line (s, g_strstrip (line));
          }
      }
      break;

    default:
      break;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
fill_attachments (WhTimelineRow *self, WhContext *context, WhIncidentEvent *event)
{
  g_autoptr (GPtrArray) attachments = NULL;
  g_autoptr (GError) error = NULL;

  attachments = wh_attachment_store_list_for_event (wh_context_get_attachment_store (context),
                                                    event->id, &error);
  if (attachments == NULL)
    {
      g_warning ("Could not list the attachments of event %s: %s", event->id, error->message);
      return;
    }
  for (guint i = 0; i < attachments->len; i++)
    {
      WhAttachmentThumb *thumb =
        wh_attachment_thumb_new (context, g_ptr_array_index (attachments, i));

      gtk_flow_box_append (self->attachments_box, GTK_WIDGET (thumb));
      g_ptr_array_add (self->thumbs, thumb);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_box), attachments->len > 0);
}

WhTimelineRow *
wh_timeline_row_new (WhContext *context, WhIncidentEvent *event)
{
  WhTimelineRow   *self;
  g_autofree char *when = NULL;
  g_autofree char *what = NULL;
  g_autofree char *details = NULL;
  g_autoptr (GString) who = NULL;

  g_return_val_if_fail (WH_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (WH_IS_INCIDENT_EVENT (event), NULL);

  self = g_object_new (WH_TYPE_TIMELINE_ROW, NULL);
  self->event_id = g_strdup (event->id);

  when = wh_format_time (event->at);
  gtk_label_set_label (self->time_label, when);

  if (event->action == WH_ACTION_REPORT || event->from_status == event->to_status)
    what = g_strdup (wh_action_label (event->action));
  else
    /* Translators: a timeline step: the action, then the status it led to */
    what = g_strdup_printf (_ ("%s → %s"), wh_action_label (event->action),
                            wh_status_label (event->to_status));
  gtk_label_set_label (self->what_label, what);

  who = g_string_new (event->actor_name);
  if (event->actor_role < WH_N_ROLES && who->len > 0)
    g_string_append_printf (who, " · %s", wh_role_label (event->actor_role));
  if (event->unit_id != NULL && *event->unit_id != '\0')
    g_string_append_printf (who, "%s%s", who->len > 0 ? " · " : "",
                            unit_name (context, event->unit_id, FALSE));
  gtk_label_set_label (self->who_label, who->str);
  gtk_widget_set_visible (GTK_WIDGET (self->who_label), who->len > 0);

  details = describe_payload (context, event);
  gtk_label_set_label (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), *details != '\0');

  gtk_label_set_label (self->note_label, event->note ? event->note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), event->note != NULL && *event->note);

  fill_attachments (self, context, event);
  return self;
}

const char *
wh_timeline_row_get_event_id (WhTimelineRow *self)
{
  g_return_val_if_fail (WH_IS_TIMELINE_ROW (self), NULL);
  return self->event_id;
}

guint
wh_timeline_row_get_n_attachments (WhTimelineRow *self)
{
  g_return_val_if_fail (WH_IS_TIMELINE_ROW (self), 0);
  return self->thumbs->len;
}

GtkWidget *
wh_timeline_row_get_attachment (WhTimelineRow *self, guint index)
{
  g_return_val_if_fail (WH_IS_TIMELINE_ROW (self), NULL);
  g_return_val_if_fail (index < self->thumbs->len, NULL);
  return g_ptr_array_index (self->thumbs, index);
}

const char *
wh_timeline_row_get_what (WhTimelineRow *self)
{
  return gtk_label_get_label (self->what_label);
}

const char *
wh_timeline_row_get_who (WhTimelineRow *self)
{
  return gtk_label_get_label (self->who_label);
}

const char *
wh_timeline_row_get_details (WhTimelineRow *self)
{
  return gtk_label_get_label (self->details_label);
}

static void
wh_timeline_row_dispose (GObject *object)
{
  WhTimelineRow *self = WH_TIMELINE_ROW (object);

  g_ptr_array_set_size (self->thumbs, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_TIMELINE_ROW);

  G_OBJECT_CLASS (wh_timeline_row_parent_class)->dispose (object);
}

static void
wh_timeline_row_finalize (GObject *object)
{
  WhTimelineRow *self = WH_TIMELINE_ROW (object);

  g_free (self->event_id);
  g_ptr_array_unref (self->thumbs);

  G_OBJECT_CLASS (wh_timeline_row_parent_class)->finalize (object);
}

static void
wh_timeline_row_class_init (WhTimelineRowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_timeline_row_dispose;
  object_class->finalize = wh_timeline_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/gov/whistle/Desk/wh-timeline-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WhTimelineRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, WhTimelineRow, what_label);
  gtk_widget_class_bind_template_child (widget_class, WhTimelineRow, who_label);
  gtk_widget_class_bind_template_child (widget_class, WhTimelineRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, WhTimelineRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, WhTimelineRow, attachments_box);
}

static void
wh_timeline_row_init (WhTimelineRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->thumbs = g_ptr_array_new ();
}
