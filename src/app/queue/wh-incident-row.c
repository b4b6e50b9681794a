/* wh-incident-row.c — one row of the queue: a position whose incident can change */
#include "config.h"

#include "wh-incident-row.h"

struct _WhIncidentRow
{
  GObject     parent_instance;
  WhIncident *incident;
};

G_DEFINE_FINAL_TYPE (WhIncidentRow, wh_incident_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INCIDENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wh_incident_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WhIncidentRow *self = WH_INCIDENT_ROW (object);

  switch (prop_id)
    {
    case PROP_INCIDENT:
      g_value_set_object (value, self->incident);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_incident_row_finalize (GObject *object)
{
  WhIncidentRow *self = WH_INCIDENT_ROW (object);

  g_clear_object (&self->incident);

  G_OBJECT_CLASS (wh_incident_row_parent_class)->finalize (object);
}

static void
wh_incident_row_class_init (WhIncidentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = wh_incident_row_get_property;
  object_class->finalize = wh_incident_row_finalize;

  properties[PROP_INCIDENT] =
    g_param_spec_object ("incident", NULL, NULL, WH_TYPE_INCIDENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wh_incident_row_init (WhIncidentRow *self)
{
}

WhIncidentRow *
wh_incident_row_new (WhIncident *incident)
{
  WhIncidentRow *self;

  g_return_val_if_fail (WH_IS_INCIDENT (incident), NULL);

  self = g_object_new (WH_TYPE_INCIDENT_ROW, NULL);
  self->incident = g_object_ref (incident);
  return self;
}

WhIncident *
wh_incident_row_get_incident (WhIncidentRow *self)
{
  g_return_val_if_fail (WH_IS_INCIDENT_ROW (self), NULL);
  return self->incident;
}

void
wh_incident_row_set_incident (WhIncidentRow *self, WhIncident *incident)
{
  g_return_if_fail (WH_IS_INCIDENT_ROW (self));
  g_return_if_fail (WH_IS_INCIDENT (incident));

  if (self->incident == incident)
    return;
  g_set_object (&self->incident, incident);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCIDENT]);
}
