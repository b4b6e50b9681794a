/* wh-form-util.c — reading and answering the fields of the desk's incident forms
 *
 * The new-incident form and the action forms read their text the same way and tell the
 * officer what is missing in the same place; one copy keeps them from drifting apart. */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-form-util.h"
#include "wh-lifecycle.h"

/* The text of @view without surrounding blanks: a note of spaces is no note. */
char *
wh_form_dup_text_view (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

char *
wh_form_dup_entry (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Under the form's title: who the change is recorded under, and as what. */
void
wh_form_set_actor_subtitle (AdwWindowTitle *title, const WhActor *actor)
{
  /* Translators: under a form's title: who the change is recorded under, and as what */
  g_autofree char *who =
    g_strdup_printf (_ ("As %s (%s)"), actor->name, wh_role_label (actor->role));

  adw_window_title_set_subtitle (title, who);
}

/* Shows @text (NULL: nothing to say) in the form's message @label and keeps a copy in
 * @message, which the tests and can-apply read. A wrong value is red (@is_error); a value
 * still missing is a dim hint, since the officer is not done yet. */
void
wh_form_show_message (GtkLabel *label, char **message, const char *text, gboolean is_error)
{
  g_free (*message);
  *message = g_strdup (text ? text : "");
  gtk_label_set_label (label, *message);
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (label), is_error ? "dim-label" : "error");
  gtk_widget_add_css_class (GTK_WIDGET (label), is_error ? "error" : "dim-label");
}
