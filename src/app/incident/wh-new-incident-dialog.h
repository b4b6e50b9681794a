/* wh-new-incident-dialog.h — register a new incident (Ctrl+N)
 *
 * Category found by code or name, title, description, address, location (typed, or from a
 * click on the map), the grid cell that holds it, priority, source and the reporter's
 * contact (private). Before saving it looks for duplicates: open incidents of the same
 * category within 100 m and 7 days, each with "Merge Into", which adds the reporter to that
 * incident (an add-reporter op) instead of filing the matter twice.
 */
#pragma once

#include <adwaita.h>

#include "wh-context.h"
#include "wh-op.h"

G_BEGIN_DECLS

#define WH_TYPE_NEW_INCIDENT_DIALOG (wh_new_incident_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WhNewIncidentDialog,
                      wh_new_incident_dialog,
                      WH,
                      NEW_INCIDENT_DIALOG,
                      AdwWindow)

/**
 * wh_new_incident_dialog_new:
 * @actor: (nullable): who registers it; %NULL when nobody can, and @no_actor_reason says why
 *
 * Signals: "created" (incident id) after Save, "merged" (incident id) after Merge Into;
 * the dialog closes itself after either.
 */
WhNewIncidentDialog *wh_new_incident_dialog_new (GtkWindow     *parent,
                                                 WhContext     *context,
                                                 const WhActor *actor,
                                                 const char    *no_actor_reason);

/* Fills the location in (a click on the map), as if typed. */
void wh_new_incident_dialog_set_location (WhNewIncidentDialog *self, double lon, double lat);

/* Whether Save can be pressed, and the line that says why not ("" when it can). */
gboolean    wh_new_incident_dialog_can_save (WhNewIncidentDialog *self);
const char *wh_new_incident_dialog_get_message (WhNewIncidentDialog *self);

/* What Save does: files the incident ("created" tells its id) and closes the form; %FALSE
 * when it was not saved (the form then says why and stays open). */
gboolean wh_new_incident_dialog_save (WhNewIncidentDialog *self);

/* The chosen category, or %NULL. */
const char *wh_new_incident_dialog_get_category (WhNewIncidentDialog *self);
/* The grid cell found for the location, or %NULL. */
const char *wh_new_incident_dialog_get_grid_id (WhNewIncidentDialog *self);

/* The duplicates found for the form as it is, and what Merge Into on one of them does. */
guint       wh_new_incident_dialog_get_n_duplicates (WhNewIncidentDialog *self);
const char *wh_new_incident_dialog_get_duplicate (WhNewIncidentDialog *self, guint index);
GtkButton  *wh_new_incident_dialog_get_merge_button (WhNewIncidentDialog *self, guint index);

/* The form's fields, for tests that fill it in as a person does. */
GtkEditable   *wh_new_incident_dialog_get_category_entry (WhNewIncidentDialog *self);
GtkListBox    *wh_new_incident_dialog_get_category_list (WhNewIncidentDialog *self);
GtkEditable   *wh_new_incident_dialog_get_title_entry (WhNewIncidentDialog *self);
GtkTextBuffer *wh_new_incident_dialog_get_description_buffer (WhNewIncidentDialog *self);
GtkEditable   *wh_new_incident_dialog_get_address_entry (WhNewIncidentDialog *self);
GtkEditable   *wh_new_incident_dialog_get_lon_entry (WhNewIncidentDialog *self);
GtkEditable   *wh_new_incident_dialog_get_lat_entry (WhNewIncidentDialog *self);
AdwComboRow   *wh_new_incident_dialog_get_priority_row (WhNewIncidentDialog *self);
AdwComboRow   *wh_new_incident_dialog_get_source_row (WhNewIncidentDialog *self);
GtkEditable   *wh_new_incident_dialog_get_reporter_name_entry (WhNewIncidentDialog *self);
GtkEditable   *wh_new_incident_dialog_get_reporter_phone_entry (WhNewIncidentDialog *self);
GtkButton     *wh_new_incident_dialog_get_save_button (WhNewIncidentDialog *self);

/* The sources an incident can have, in the order the form lists them. */
const char *const *wh_new_incident_dialog_get_sources (void);

G_END_DECLS
