/* wh-new-incident-dialog-private.h — the dialog's insides, shared by its files
 *
 * wh-new-incident-dialog.c holds the fields and Save; wh-new-incident-dialog-duplicates.c
 * the duplicate hint and Merge Into.
 */
#pragma once

#include "wh-form-util.h"
#include "wh-new-incident-dialog.h"

G_BEGIN_DECLS

struct _WhNewIncidentDialog
{
  AdwWindow parent_instance;

  /* template children */
  AdwWindowTitle      *window_title;
  GtkButton           *save_button;
  GtkScrolledWindow   *scrolled;
  AdwPreferencesGroup *category_group;
  GtkSearchEntry      *category_entry;
  GtkListBox          *category_list;
  AdwEntryRow         *title_row;
  GtkTextView         *description_view;
  AdwEntryRow         *address_row;
  AdwEntryRow         *lon_row;
  AdwEntryRow         *lat_row;
  AdwActionRow        *grid_row;
  AdwPreferencesGroup *duplicates_group;
  AdwComboRow         *priority_row;
  AdwComboRow         *source_row;
  AdwEntryRow         *reporter_name_row;
  AdwEntryRow         *reporter_phone_row;
  GtkLabel            *message_label;

  WhContext  *context;
  WhActor    *actor;
  char       *no_actor_reason;
  GListModel *cells;          /* WhGridCell, for point in polygon */
  GPtrArray  *categories;     /* WhCategory of the second level, by code */
  char       *category_code;  /* the chosen one */
  char       *grid_id;        /* the cell the location lies in */
  GPtrArray  *duplicates;     /* WhIncident */
  GPtrArray  *duplicate_rows; /* AdwActionRow, borrowed */
  GPtrArray  *merge_buttons;  /* GtkButton, borrowed */
  char       *message;
  guint       duplicate_id;
  gboolean    filling; /* the category list is being rebuilt */
};

typedef enum {
  LOCATION_NONE, /* both fields empty */
  LOCATION_VALID,
  LOCATION_INVALID, /* the message says why */
} LocationState;

/* wh-new-incident-dialog.c */
LocationState wh_new_incident_dialog_read_location (WhNewIncidentDialog *self,
                                                    double              *lon,
                                                    double              *lat,
                                                    const char         **problem);
void          wh_new_incident_dialog_validate (WhNewIncidentDialog *self);
void          wh_new_incident_dialog_show_error (WhNewIncidentDialog *self, const char *text);

/* wh-new-incident-dialog-duplicates.c: looks again once typing pauses. */
void wh_new_incident_dialog_schedule_duplicates (WhNewIncidentDialog *self);

G_END_DECLS
