/* wh-action-dialog-photos.c — the photos of a feedback: chosen, shown, stored */
#include "config.h"

#include <glib/gi18n.h>

#include "wh-action-dialog-private.h"

void
wh_action_dialog_photo_free (Photo *photo)
{
  g_bytes_unref (photo->data);
  g_free (photo->mime_type);
  g_free (photo->name);
  g_free (photo);
}

/* Photos */

static void
on_remove_photo (GtkButton *button, WhActionDialog *self)
{
  GtkWidget *child = g_object_get_data (G_OBJECT (button), "photo-child");

  for (guint i = 0; i < self->photos->len; i++)
    {
      Photo *photo = g_ptr_array_index (self->photos, i);

      if (photo->child == child)
        {
          gtk_flow_box_remove (self->photos_box, child);
          g_ptr_array_remove_index (self->photos, i);
          break;
        }
    }
  wh_action_dialog_validate (self);
}

gboolean
wh_action_dialog_add_photo (WhActionDialog *self, GBytes *data, const char *name, GError **error)
{
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  gsize       size;
  const void *bytes;
  GtkWidget  *overlay, *picture, *remove;
  Photo      *photo;

  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &size);
  if (size > WH_ATTACHMENT_MAX_SIZE)
    {
      g_autofree char *limit = g_format_size (WH_ATTACHMENT_MAX_SIZE);

      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_TOO_LARGE,
                   /* Translators: a file name, then a size limit such as "10 MB" */
                   _ ("“%s” is too large: a photo may have at most %s."), name, limit);
      return FALSE;
    }
  content_type = g_content_type_guess (name, bytes, size, NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  if (g_strcmp0 (mime_type, "image/jpeg") != 0 && g_strcmp0 (mime_type, "image/png") != 0)
    {
      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE,
                   _ ("“%s” is not a JPEG or PNG photo."), name);
      return FALSE;
    }
  texture = gdk_texture_new_from_bytes (data, NULL);
  if (texture == NULL)
    {
      g_set_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE,
                   _ ("“%s” cannot be read as a photo."), name);
      return FALSE;
    }

  photo = g_new0 (Photo, 1);
  photo->data = g_bytes_ref (data);
  photo->mime_type = g_steal_pointer (&mime_type);
  photo->name = g_strdup (name);

  overlay = gtk_overlay_new ();
  picture = gtk_image_new_from_paintable (GDK_PAINTABLE (texture));
  gtk_image_set_pixel_size (GTK_IMAGE (picture), 96);
  gtk_widget_set_tooltip_text (picture, name);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);
  gtk_widget_set_halign (overlay, GTK_ALIGN_START);
  remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_tooltip_text (remove, _ ("Remove this photo"));
  gtk_widget_set_halign (remove, GTK_ALIGN_END);
  gtk_widget_set_valign (remove, GTK_ALIGN_START);
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_add_css_class (remove, "osd");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), remove);
  gtk_flow_box_append (self->photos_box, overlay);
  photo->child = gtk_widget_get_parent (overlay); /* the GtkFlowBoxChild */
  g_object_set_data (G_OBJECT (remove), "photo-child", photo->child);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_photo), self);

  g_ptr_array_add (self->photos, photo);
  wh_action_dialog_validate (self);
  return TRUE;
}

guint
wh_action_dialog_get_n_photos (WhActionDialog *self)
{
  g_return_val_if_fail (WH_IS_ACTION_DIALOG (self), 0);
  return self->photos->len;
}

static void
on_photos_chosen (GtkNativeDialog *chooser, int response, WhActionDialog *self)
{
  g_autoptr (GListModel) files = NULL;
  g_autoptr (GString) problems = g_string_new (NULL);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i);
          g_autoptr (GBytes) data = NULL;
          g_autoptr (GError) error = NULL;
          g_autofree char *name = g_file_get_basename (file);

          data = g_file_load_bytes (file, NULL, NULL, &error);
          if (data == NULL || !wh_action_dialog_add_photo (self, data, name, &error))
            g_string_append_printf (problems, "%s%s", problems->len ? "\n" : "", error->message);
        }
    }
  g_clear_object (&self->chooser);
  if (problems->len > 0)
    {
      gtk_label_set_label (self->results_label, problems->str);
      gtk_widget_set_visible (GTK_WIDGET (self->results_label), TRUE);
    }
}

void
wh_action_dialog_add_photos_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  WhActionDialog *self = WH_ACTION_DIALOG (widget);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (
    _ ("Add Photos"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Add"), _ ("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _ ("Photos (JPEG, PNG)"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_photos_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Puts the chosen photos into the attachment store: once for all incidents of the form. */
GPtrArray *
wh_action_dialog_store_photos (WhActionDialog *self, GError **error)
{
  g_autoptr (GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  WhAttachmentStore *store;

  if (self->photos->len == 0)
    return g_steal_pointer (&hashes);
  store = wh_context_get_attachment_store (self->context);
  for (guint i = 0; i < self->photos->len; i++)
    {
      Photo *photo = g_ptr_array_index (self->photos, i);
      char  *hash =
        wh_attachment_store_put (store, photo->data, photo->mime_type, photo->name, error);

      if (hash == NULL)
        return NULL;
      g_ptr_array_add (hashes, hash);
    }
  return g_steal_pointer (&hashes);
}
