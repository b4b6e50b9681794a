/* wh-attachment-thumb.c — one attachment of a timeline event, as a small button */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>

#include <glib/gstdio.h>

#include "wh-attachment-thumb.h"
#include "wh-window.h"

#define THUMB_SIZE      72
#define THUMB_CACHE_MAX 256

struct _WhAttachmentThumb
{
  GtkButton parent_instance;

  WhContext    *context;
  WhAttachment *attachment;
  gboolean      placeholder;
};

G_DEFINE_FINAL_TYPE (WhAttachmentThumb, wh_attachment_thumb, GTK_TYPE_BUTTON)

/* Thumbnails by content hash: a hash names its bytes for good, so an entry never goes
 * stale, and the timeline is rebuilt on every change without decoding its photos again. */
static GHashTable *thumb_cache;

static gboolean
is_photo (const WhAttachment *attachment)
{
  return g_strcmp0 (attachment->mime_type, "image/jpeg") == 0 ||
         g_strcmp0 (attachment->mime_type, "image/png") == 0;
}

/* Decodes @data, turned as the camera's EXIF tag says (phones store photos sideways). */
static GdkPixbuf *
decode_pixbuf (GBytes *data, GError **error)
{
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (data);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, error);
  GdkPixbuf *turned;

  if (pixbuf == NULL)
    return NULL;
  turned = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  return turned != NULL ? turned : g_steal_pointer (&pixbuf);
}

/* The photo at full size, for the viewer. */
static GdkTexture *
decode_photo (GBytes *data, GError **error)
{
  g_autoptr (GdkPixbuf) pixbuf = decode_pixbuf (data, error);

  return pixbuf != NULL ? gdk_texture_new_for_pixbuf (pixbuf) : NULL;
}

/* A square of @size pixels from the middle of the photo, as contact sheets crop them: the
 * row of thumbnails stays even whatever the photos' shapes. */
static GdkTexture *
decode_square (GBytes *data, int size, GError **error)
{
  g_autoptr (GdkPixbuf) pixbuf = decode_pixbuf (data, error);
  g_autoptr (GdkPixbuf) square = NULL;
  int    w, h, side;
  double scale;

  if (pixbuf == NULL)
    return NULL;
  w = gdk_pixbuf_get_width (pixbuf);
  h = gdk_pixbuf_get_height (pixbuf);
  side = MIN (w, h);
  scale = (double) size / side;
  square = gdk_pixbuf_new (GDK_COLORSPACE_RGB, gdk_pixbuf_get_has_alpha (pixbuf), 8, size, size);
  gdk_pixbuf_scale (pixbuf, square, 0, 0, size, size, -(w - side) / 2.0 * scale,
                    -(h - side) / 2.0 * scale, scale, scale, GDK_INTERP_BILINEAR);
  return gdk_texture_new_for_pixbuf (square);
}

static GdkTexture *
lookup_thumbnail (WhAttachmentThumb *self, GError **error)
{
  GdkTexture *texture;
  g_autoptr (GBytes) data = NULL;

  if (thumb_cache == NULL)
    thumb_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  texture = g_hash_table_lookup (thumb_cache, self->attachment->hash);
  if (texture != NULL)
    return g_object_ref (texture);

  data = wh_attachment_store_get_bytes (wh_context_get_attachment_store (self->context),
                                        self->attachment->hash, error);
  if (data == NULL)
    return NULL;
  /* Twice the size shown: sharp on a HiDPI screen too. */
  texture = decode_square (data, THUMB_SIZE * 2, error);
  if (texture == NULL)
    return NULL;
  /* Crude but bounded: a desk rarely shows more than a few dozen photos. */
  if (g_hash_table_size (thumb_cache) >= THUMB_CACHE_MAX)
    g_hash_table_remove_all (thumb_cache);
  g_hash_table_insert (thumb_cache, g_strdup (self->attachment->hash), g_object_ref (texture));
  return texture;
}

static void
show_placeholder (WhAttachmentThumb *self, const char *icon, const char *why)
{
  GtkWidget *image = gtk_image_new_from_icon_name (icon);

  gtk_image_set_pixel_size (GTK_IMAGE (image), 32);
  gtk_widget_set_size_request (image, THUMB_SIZE, THUMB_SIZE);
  gtk_button_set_child (GTK_BUTTON (self), image);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), why);
  gtk_widget_add_css_class (GTK_WIDGET (self), "dim-label");
  self->placeholder = TRUE;
}

static void
fill (WhAttachmentThumb *self)
{
  const WhAttachment *a = self->attachment;
  g_autofree char    *size = g_format_size (a->size);
  g_autofree char    *tooltip = NULL;

  if (!a->fetched)
    {
      /* Translators: an attachment's name and size; its bytes are on the district server
       * only */
      g_autofree char *why =
        g_strdup_printf (_ ("%s (%s) is on the district server and not downloaded to this "
                            "desk yet."),
                         *a->name ? a->name : _ ("Photo"), size);

      show_placeholder (
        self, is_photo (a) ? "image-x-generic-symbolic" : "x-office-document-symbolic", why);
      return;
    }

  tooltip = g_strdup_printf ("%s (%s)", *a->name ? a->name : a->mime_type, size);
  if (is_photo (a))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GdkTexture) texture = lookup_thumbnail (self, &error);
      GtkWidget *picture;

      if (texture == NULL)
        {
          g_autofree char *why =
            g_strdup_printf (_ ("%s cannot be shown: %s"), tooltip, error->message);

          show_placeholder (self, "image-missing-symbolic", why);
          return;
        }
      picture = gtk_image_new_from_paintable (GDK_PAINTABLE (texture));
      gtk_image_set_pixel_size (GTK_IMAGE (picture), THUMB_SIZE);
      gtk_button_set_child (GTK_BUTTON (self), picture);
      gtk_widget_add_css_class (GTK_WIDGET (self), "flat");
    }
  else
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (*a->name ? a->name : _ ("Document"));

      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("x-office-document-symbolic"));
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
      gtk_box_append (GTK_BOX (box), label);
      gtk_button_set_child (GTK_BUTTON (self), box);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
}

/* A document goes to the system's viewer through a file of our own cache, named by its
 * hash: written once, and the viewer cannot change what the timeline holds. */
static void
open_document (WhAttachmentThumb *self, GBytes *data)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "whistle", "attachments", NULL);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autoptr (GError) error = NULL;
  const char *ext = g_strcmp0 (self->attachment->mime_type, "application/pdf") == 0 ? ".pdf" : "";
  GtkRoot    *root = gtk_widget_get_root (GTK_WIDGET (self));

  path = g_strdup_printf ("%s/%s%s", dir, self->attachment->hash, ext);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (!g_file_test (path, G_FILE_TEST_EXISTS) &&
       !g_file_set_contents (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data), &error)))
    {
      g_warning ("Could not write the attachment to %s: %s", path,
                 error ? error->message : g_strerror (errno));
      return;
    }
  uri = g_filename_to_uri (path, NULL, NULL);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

GtkWindow *
wh_attachment_thumb_open (WhAttachmentThumb *self)
{
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkRoot   *root;
  GtkWidget *window, *box, *header, *scrolled, *picture;

  g_return_val_if_fail (WH_IS_ATTACHMENT_THUMB (self), NULL);

  if (self->placeholder)
    return NULL;
  data = wh_attachment_store_get_bytes (wh_context_get_attachment_store (self->context),
                                        self->attachment->hash, &error);
  if (data == NULL)
    {
      g_warning ("Could not read attachment %s: %s", self->attachment->hash, error->message);
      return NULL;
    }
  if (!is_photo (self->attachment))
    {
      open_document (self, data);
      return NULL;
    }
  texture = decode_photo (data, &error);
  if (texture == NULL)
    {
      g_warning ("Could not decode attachment %s: %s", self->attachment->hash, error->message);
      return NULL;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window),
                        *self->attachment->name ? self->attachment->name : _ ("Photo"));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window),
                               CLAMP (gdk_texture_get_width (texture), 480, 1200),
                               CLAMP (gdk_texture_get_height (texture) + 48, 360, 900));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), picture);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);

  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (keys), gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                        gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (window, keys);
  }

  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (WhAttachmentThumb) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  bytes = wh_sync_engine_fetch_attachment_finish (WH_SYNC_ENGINE (source), result, &error);
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  if (bytes == NULL)
    {
      /* Translators: %s is why a photo could not be downloaded from the district server */
      g_autofree char *why = g_strdup_printf (_ ("Could not download it: %s"), error->message);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self), why);
      return;
    }
  self->attachment->fetched = TRUE;
  self->placeholder = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (self), "dim-label");
  fill (self);
}

/* A photo still on the server is downloaded on the first click, through the window's sync
 * engine; without a server connection there is nothing to ask. */
static void
fetch (WhAttachmentThumb *self)
{
  GtkRoot      *root = gtk_widget_get_root (GTK_WIDGET (self));
  WhSyncEngine *engine = WH_IS_WINDOW (root) ? wh_window_get_sync_engine (WH_WINDOW (root)) : NULL;

  if (engine == NULL)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                                   _ ("This desk is not connected to the district server, so "
                                      "the photo cannot be downloaded now."));
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _ ("Downloading…"));
  wh_sync_engine_fetch_attachment_async (engine, self->attachment->hash, NULL, on_fetched,
                                         g_object_ref (self));
}

static void
wh_attachment_thumb_clicked (GtkButton *button)
{
  WhAttachmentThumb *self = WH_ATTACHMENT_THUMB (button);

  if (self->placeholder && !self->attachment->fetched)
    fetch (self);
  else
    wh_attachment_thumb_open (self);
}

WhAttachmentThumb *
wh_attachment_thumb_new (WhContext *context, const WhAttachment *attachment)
{
  WhAttachmentThumb *self;

  g_return_val_if_fail (WH_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (attachment != NULL, NULL);

  self = g_object_new (WH_TYPE_ATTACHMENT_THUMB, NULL);
  self->context = g_object_ref (context);
  self->attachment = wh_attachment_copy (attachment);
  fill (self);
  return self;
}

const char *
wh_attachment_thumb_get_hash (WhAttachmentThumb *self)
{
  g_return_val_if_fail (WH_IS_ATTACHMENT_THUMB (self), NULL);
  return self->attachment->hash;
}

gboolean
wh_attachment_thumb_is_placeholder (WhAttachmentThumb *self)
{
  g_return_val_if_fail (WH_IS_ATTACHMENT_THUMB (self), TRUE);
  return self->placeholder;
}

static void
wh_attachment_thumb_dispose (GObject *object)
{
  WhAttachmentThumb *self = WH_ATTACHMENT_THUMB (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (wh_attachment_thumb_parent_class)->dispose (object);
}

static void
wh_attachment_thumb_finalize (GObject *object)
{
  WhAttachmentThumb *self = WH_ATTACHMENT_THUMB (object);

  g_clear_pointer (&self->attachment, wh_attachment_free);

  G_OBJECT_CLASS (wh_attachment_thumb_parent_class)->finalize (object);
}

static void
wh_attachment_thumb_class_init (WhAttachmentThumbClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkButtonClass *button_class = GTK_BUTTON_CLASS (klass);

  object_class->dispose = wh_attachment_thumb_dispose;
  object_class->finalize = wh_attachment_thumb_finalize;
  button_class->clicked = wh_attachment_thumb_clicked;
}

static void
wh_attachment_thumb_init (WhAttachmentThumb *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "attachment-thumb");
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_START);
}
