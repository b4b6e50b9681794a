/* wh-form-util.h — reading and answering the fields of the desk's incident forms */
#pragma once

#include <adwaita.h>

#include "wh-op.h"

G_BEGIN_DECLS

char *wh_form_dup_text_view      (GtkTextView    *view);
char *wh_form_dup_entry          (AdwEntryRow    *row);
void  wh_form_set_actor_subtitle (AdwWindowTitle *title,
                                  const WhActor  *actor);
void  wh_form_show_message       (GtkLabel       *label,
                                  char          **message,
                                  const char     *text,
                                  gboolean        is_error);

G_END_DECLS
