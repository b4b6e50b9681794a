/* wh-context.c — the open cache and the stores the pages read from */
#include "config.h"

#include "wh-context.h"

struct _WhContext
{
  GObject            parent_instance;
  WhDb              *db;
  WhIncidentStore   *incidents;
  WhRosterStore     *roster;
  WhGridStore       *grid;
  WhCategoryCatalog *catalog;
  WhAssessmentStore *assessment;
  WhAttachmentStore *attachments;
};

G_DEFINE_FINAL_TYPE (WhContext, wh_context, G_TYPE_OBJECT)

static void
wh_context_finalize (GObject *object)
{
  WhContext *self = WH_CONTEXT (object);

  g_clear_object (&self->incidents);
  g_clear_object (&self->roster);
  g_clear_object (&self->grid);
  g_clear_object (&self->catalog);
  g_clear_object (&self->assessment);
  g_clear_object (&self->attachments);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (wh_context_parent_class)->finalize (object);
}

static void
wh_context_class_init (WhContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wh_context_finalize;
}

static void
wh_context_init (WhContext *self)
{}

WhContext *
wh_context_new (WhDb *db)
{
  WhContext *self;

  g_return_val_if_fail (WH_IS_DB (db), NULL);

  self = g_object_new (WH_TYPE_CONTEXT, NULL);
  self->db = g_object_ref (db);
  self->incidents = wh_incident_store_new (db);
  self->roster = wh_roster_store_new (db);
  self->grid = wh_grid_store_new (db);
  self->catalog = wh_category_catalog_new (db);
  self->assessment = wh_assessment_store_new (db);
  self->attachments = wh_attachment_store_new (db);

  return self;
}

WhDb *
wh_context_get_db (WhContext *self)
{
  g_return_val_if_fail (WH_IS_CONTEXT (self), NULL);
  return self->db;
}

WhIncidentStore *
wh_context_get_incident_store (WhContext *self)
{
  g_return_val_if_fail (WH_IS_CONTEXT (self), NULL);
  return self->incidents;
}

WhRosterStore *
wh_context_get_roster_store (WhContext *self)
{
  g_return_val_if_fail (WH_IS_CONTEXT (self), NULL);
  return self->roster;
}

WhGridStore *
wh_context_get_grid_store (WhContext *self)
{
  g_return_val_if_fail (WH_IS_CONTEXT (self), NULL);
  return self->grid;
}

WhCategoryCatalog *
wh_context_get_catalog (WhContext *self)
{
  g_return_val_if_fail (WH_IS_CONTEXT (self), NULL);
  return self->catalog;
}

WhAssessmentStore *
wh_context_get_assessment_store (WhContext *self)
{
  g_return_val_if_fail (WH_IS_CONTEXT (self), NULL);
  return self->assessment;
}

WhAttachmentStore *
wh_context_get_attachment_store (WhContext *self)
{
  g_return_val_if_fail (WH_IS_CONTEXT (self), NULL);
  return self->attachments;
}

gboolean
wh_context_has_street (WhContext *self)
{
  g_autofree char *street_id = NULL;

  g_return_val_if_fail (WH_IS_CONTEXT (self), FALSE);

  street_id = wh_db_get_meta (self->db, "street_id");
  return street_id != NULL && *street_id != '\0';
}

void
wh_context_reload (WhContext *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (WH_IS_CONTEXT (self));

  wh_roster_store_reload (self->roster);
  wh_grid_store_reload (self->grid);
  if (!wh_category_catalog_load (self->catalog, &error))
    g_warning ("Could not read the category catalogue: %s", error->message);
}

gint64
wh_context_get_now (WhContext *self)
{
  return g_get_real_time ();
}
