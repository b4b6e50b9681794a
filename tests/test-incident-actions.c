/* test-incident-actions.c — the incident loop driven through the desk's forms
 *
 * Runs under a display (xvfb-run). The desk is opened on a demo cache as `whistle --cache`
 * does; every step goes the way a duty officer takes it: the app action opens the form
 * (app.new-incident, app.incident-action), the test types into its fields and presses its
 * buttons, and then checks the store: status, summoned units, the timeline, the outbox.
 * Each form must refuse what is invalid in the form itself (insensitive button and a line
 * that says why). The side paths of the lifecycle go through the same forms.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"
#include "ui-harness.h"
#include "wh-application.h"
#include "wh-demo-street.h"
#include "wh-event-attachments.h"
#include "wh-format.h"
#include "wh-window.h"
#include "incident/wh-action-dialog.h"
#include "incident/wh-action-rules.h"
#include "incident/wh-attachment-thumb.h"
#include "incident/wh-new-incident-dialog.h"
#include "incident/wh-timeline-row.h"
#include "queue/wh-queue-page.h"

#define N_INCIDENTS  300
#define WAIT_SECONDS 60

static char          *tmp_dir;
static char          *demo_path;
static WhApplication *app;
static WhWindow      *window;

/* Lets pending redraws, idles and layout run. */
static void
settle (void)
{
  ui_settle (100);
}

/* A notification server of our own on the test's session bus: the desk's notifications
 * (GNotification through org.freedesktop.Notifications) arrive here, and their titles are
 * kept to check. */

static GPtrArray       *notified; /* titles, in the order they came */
static GDBusConnection *session;  /* kept: the name goes with the last reference */

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "  </interface>"
  "</node>";

static void
on_notifications_call (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *path,
                       const char            *interface,
                       const char            *method,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (notified, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notified->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (
      invocation, g_variant_new ("(^as)", (const char *const[]){ "actions", "body", NULL }));
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "whistle", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { on_notifications_call, NULL, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_autoptr (GVariant) reply = NULL;
  GDBusConnection *bus;

  session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  bus = session;
  notified = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (
    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
    g_variant_new ("(su)", "org.freedesktop.Notifications", 4), G_VARIANT_TYPE ("(u)"),
    G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
was_notified (const char *fragment)
{
  for (guint i = 0; i < notified->len; i++)
    if (strstr (g_ptr_array_index (notified, i), fragment) != NULL)
      return TRUE;
  return FALSE;
}

/* The store and SQL */

static WhContext *
context (void)
{
  return wh_window_get_context (window);
}

static WhIncidentStore *
store (void)
{
  return wh_context_get_incident_store (context ());
}

static gint64
sql_int (const char *format, ...)
{
  va_list          args;
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt = NULL;
  gint64           value;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_cmpint (
    sqlite3_prepare_v2 (wh_db_get_handle (wh_context_get_db (context ())), sql, -1, &stmt, NULL),
    ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
sql_text (const char *format, ...)
{
  va_list          args;
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt = NULL;
  char            *value = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_cmpint (
    sqlite3_prepare_v2 (wh_db_get_handle (wh_context_get_db (context ())), sql, -1, &stmt, NULL),
    ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
outbox_count (void)
{
  return sql_int ("SELECT count(*) FROM outbox");
}

static WhIncident *
get_incident (const char *id)
{
  g_autoptr (GError) error = NULL;
  WhIncident *incident = wh_incident_store_get (store (), id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (incident);
  return incident;
}

static void
assert_status (const char *id, WhStatus status)
{
  g_autoptr (WhIncident) incident = get_incident (id);

  g_assert_cmpstr (wh_status_to_string (incident->status), ==, wh_status_to_string (status));
}

static WhIncidentEvent *
last_event (const char *id)
{
  g_autoptr (GPtrArray) events = wh_incident_store_list_events (store (), id, NULL);

  g_assert_nonnull (events);
  g_assert_cmpuint (events->len, >, 0);
  return g_object_ref (g_ptr_array_index (events, events->len - 1));
}

static char *
unit_id (const char *short_name)
{
  char *id = sql_text ("SELECT id FROM unit WHERE short_name = '%s'", short_name);

  g_assert_nonnull (id);
  return id;
}

/* Who acts: "" is the officer on the center's duty shift, else a staff id. */
static void
act_as (const char *staff_id)
{
  GSettings *settings = wh_application_get_settings (app);

  g_assert_nonnull (settings);
  g_settings_set_string (settings, "duty-staff-id", staff_id);
}

static void
act_as_director (void)
{
  g_autofree char *director = sql_text ("SELECT id FROM staff WHERE role = 'director' "
                                        "ORDER BY id LIMIT 1");

  g_assert_nonnull (director);
  act_as (director);
}

/* Widgets */

static void
choose (AdwComboRow *row, const char *label)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label) == 0)
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
  g_error ("“%s” is not among the choices", label);
}

static const char *
chosen (AdwComboRow *row)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)),
                                     adw_combo_row_get_selected (row));
}

static void
press (GtkButton *button)
{
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  /* A click (activating a button only clicks it after a visual delay). */
  g_signal_emit_by_name (button, "clicked");
  settle ();
}

static void
set_text (GtkTextBuffer *buffer, const char *text)
{
  gtk_text_buffer_set_text (buffer, text, -1);
}

typedef struct
{
  const char *text;
  guint       count;
} Searched;

/* Replacing the text first empties the entry, and a search entry reports an empty search
 * at once: only the search for the text typed counts. */
static void
count_search (GtkEditable *entry, Searched *searched)
{
  if (g_strcmp0 (gtk_editable_get_text (entry), searched->text) == 0)
    searched->count++;
}

/* Types into a search entry and waits until it has searched (it waits for a pause). */
static void
type_search (GtkEditable *entry, const char *text)
{
  Searched searched = { text, 0 };
  gulong   id = g_signal_connect (entry, "search-changed", G_CALLBACK (count_search), &searched);

  gtk_editable_set_text (entry, text);
  WAIT_FOR (searched.count > 0);
  g_signal_handler_disconnect (entry, id);
  settle ();
}

static WhActionDialog *
open_form (const char *nick, const char *const *ids)
{
  GtkWindow *form;
  WhAction   action;

  g_action_group_activate_action (G_ACTION_GROUP (app), "incident-action",
                                  g_variant_new ("(s^as)", nick, ids));
  settle ();
  form = wh_application_get_form (app);
  g_assert_true (WH_IS_ACTION_DIALOG (form));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (form)));
  g_assert_true (wh_action_from_string (nick, &action));
  g_assert_cmpint (wh_action_dialog_get_action (WH_ACTION_DIALOG (form)), ==, action);
  return WH_ACTION_DIALOG (form);
}

static WhActionDialog *
open_form_for (const char *nick, const char *id)
{
  return open_form (nick, (const char *const[]){ id, NULL });
}

/* The form says no, in the form: Apply is insensitive and a line says why. */
static void
assert_refused (WhActionDialog *form, const char *fragment)
{
  g_assert_false (wh_action_dialog_can_apply (form));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (wh_action_dialog_get_apply_button (form))));
  if (strstr (wh_action_dialog_get_message (form), fragment) == NULL)
    g_error ("expected “%s” in the form's message “%s”", fragment,
             wh_action_dialog_get_message (form));
}

/* Applies a complete form and checks that it closed, one op more in the outbox per target. */
static void
apply_form (WhActionDialog *form)
{
  gint64 before = outbox_count ();
  guint  n = wh_action_dialog_get_n_targets (form);

  g_assert_cmpstr (wh_action_dialog_get_message (form), ==, "");
  /* Watched weakly: a form that applied everything closes, and is gone. */
  g_object_add_weak_pointer (G_OBJECT (form), (gpointer *) &form);
  press (wh_action_dialog_get_apply_button (form));
  if (form != NULL)
    g_error ("the form stayed open: %s", wh_action_dialog_get_results (form));
  g_assert_cmpint (outbox_count (), ==, before + n);
}

/* A form with nothing but a note (optional or required). */
static void
simple_step (const char *nick, const char *id, const char *note, WhStatus expected)
{
  WhActionDialog *form = open_form_for (nick, id);
  g_autoptr (WhIncidentEvent) event = NULL;

  if (note != NULL)
    set_text (wh_action_dialog_get_note_buffer (form), note);
  apply_form (form);
  assert_status (id, expected);
  event = last_event (id);
  g_assert_cmpstr (wh_action_to_string (event->action), ==, nick);
  if (note != NULL)
    g_assert_cmpstr (event->note, ==, note);
}

static WhIncidentDetail *
detail (void)
{
  return wh_queue_page_get_detail (WH_QUEUE_PAGE (wh_window_get_page (window, "queue")));
}

/* A grid cell's centre, and its id. */
static void
cell_point (guint index, double *lon, double *lat, char **grid_id)
{
  g_autoptr (GListModel) cells =
    wh_grid_store_list_cells (wh_context_get_grid_store (context ()), NULL);
  g_autoptr (WhGridCell) cell = NULL;

  g_assert_nonnull (cells);
  cell = g_list_model_get_item (cells, index % g_list_model_get_n_items (cells));
  g_assert_true (wh_grid_cell_contains (cell, cell->centroid_lon, cell->centroid_lat));
  *lon = cell->centroid_lon;
  *lat = cell->centroid_lat;
  if (grid_id != NULL)
    *grid_id = g_strdup (cell->id);
}

static void
on_created (WhNewIncidentDialog *dialog, const char *id, char **out)
{
  *out = g_strdup (id);
}

static WhNewIncidentDialog *
open_new_incident_at (double lon, double lat)
{
  GtkWindow *form;

  g_action_group_activate_action (G_ACTION_GROUP (app), "new-incident-at",
                                  g_variant_new ("(dd)", lon, lat));
  settle ();
  form = wh_application_get_form (app);
  g_assert_true (WH_IS_NEW_INCIDENT_DIALOG (form));
  return WH_NEW_INCIDENT_DIALOG (form);
}

/* Files a new incident through the form, as the duty officer does. */
static char *
create_incident (const char *category, const char *title, double lon, double lat)
{
  WhNewIncidentDialog *form = open_new_incident_at (lon, lat);
  char                *id = NULL;
  gint64               before = outbox_count ();

  type_search (wh_new_incident_dialog_get_category_entry (form), category);
  g_assert_cmpstr (wh_new_incident_dialog_get_category (form), ==, category);
  gtk_editable_set_text (wh_new_incident_dialog_get_title_entry (form), title);
  g_signal_connect (form, "created", G_CALLBACK (on_created), &id);
  g_object_add_weak_pointer (G_OBJECT (form), (gpointer *) &form);
  press (wh_new_incident_dialog_get_save_button (form));
  if (form != NULL)
    g_error ("not saved: %s", wh_new_incident_dialog_get_message (form));
  g_assert_nonnull (id);
  g_assert_cmpint (outbox_count (), ==, before + 1);
  return id;
}

/* Moves an incident on through the forms. */
static void
whistle (const char *id, const char *lead_short_name)
{
  WhActionDialog *form = open_form_for ("whistle", id);

  choose (wh_action_dialog_get_lead_row (form), lead_short_name);
  apply_form (form);
  assert_status (id, WH_STATUS_WHISTLED);
}

static void
report_in (const char *id, const char *unit_short_name)
{
  WhActionDialog *form = open_form_for ("acknowledge", id);

  choose (wh_action_dialog_get_unit_row (form), unit_short_name);
  apply_form (form);
}

static GBytes *
make_png (int width, int height)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr (GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x2a7fd4ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

/* The whole loop: new incident, register, whistle, report-in, start, feedback with a photo,
 * verification, close, rating — each step through its form, checked in the store. */
static void
test_loop (void)
{
  double           lon, lat;
  g_autofree char *grid_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *lead = unit_id ("城管执法队");
  g_autofree char *coop = unit_id ("派出所");
  g_autoptr (WhIncident) incident = NULL;
  WhNewIncidentDialog *new_form;
  WhActionDialog      *form;
  char                *created = NULL;
  gint64               before;

  act_as ("");
  cell_point (7, &lon, &lat, &grid_id);

  /* New incident: refused until complete, then saved with everything typed. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-incident", NULL);
  settle ();
  new_form = WH_NEW_INCIDENT_DIALOG (wh_application_get_form (app));
  g_assert_true (WH_IS_NEW_INCIDENT_DIALOG (new_form));
  g_assert_false (wh_new_incident_dialog_can_save (new_form));
  g_assert_false (
    gtk_widget_is_sensitive (GTK_WIDGET (wh_new_incident_dialog_get_save_button (new_form))));
  g_assert_nonnull (strstr (wh_new_incident_dialog_get_message (new_form), "category"));

  /* The category search: by name, then the first match taken. */
  type_search (wh_new_incident_dialog_get_category_entry (new_form), "暴露垃圾");
  gtk_list_box_select_row (
    wh_new_incident_dialog_get_category_list (new_form),
    gtk_list_box_get_row_at_index (wh_new_incident_dialog_get_category_list (new_form), 0));
  g_assert_cmpstr (wh_new_incident_dialog_get_category (new_form), ==, "0101");
  g_assert_nonnull (strstr (wh_new_incident_dialog_get_message (new_form), "title"));
  gtk_editable_set_text (wh_new_incident_dialog_get_title_entry (new_form), "路口暴露垃圾");
  set_text (wh_new_incident_dialog_get_description_buffer (new_form), "早市散后路口堆有垃圾。");
  gtk_editable_set_text (wh_new_incident_dialog_get_address_entry (new_form), "三里河路12号");
  {
    char buffer[G_ASCII_DTOSTR_BUF_SIZE];

    gtk_editable_set_text (wh_new_incident_dialog_get_lon_entry (new_form),
                           g_ascii_formatd (buffer, sizeof buffer, "%.7f", lon));
    gtk_editable_set_text (wh_new_incident_dialog_get_lat_entry (new_form),
                           g_ascii_formatd (buffer, sizeof buffer, "%.7f", lat));
  }
  settle ();
  g_assert_cmpstr (wh_new_incident_dialog_get_grid_id (new_form), ==, grid_id);
  choose (wh_new_incident_dialog_get_priority_row (new_form),
          wh_category_catalog_get_priority_name (wh_context_get_catalog (context ()), 1));
  choose (wh_new_incident_dialog_get_source_row (new_form), wh_source_label ("hotline"));
  gtk_editable_set_text (wh_new_incident_dialog_get_reporter_name_entry (new_form), "王女士");
  gtk_editable_set_text (wh_new_incident_dialog_get_reporter_phone_entry (new_form), "13800138000");
  g_assert_true (wh_new_incident_dialog_can_save (new_form));
  before = outbox_count ();
  g_signal_connect (new_form, "created", G_CALLBACK (on_created), &created);
  g_object_add_weak_pointer (G_OBJECT (new_form), (gpointer *) &new_form);
  press (wh_new_incident_dialog_get_save_button (new_form));
  if (new_form != NULL)
    g_error ("not saved: %s", wh_new_incident_dialog_get_message (new_form));
  g_assert_nonnull (created);
  id = created;
  g_assert_cmpint (outbox_count (), ==, before + 1);

  incident = get_incident (id);
  g_assert_cmpstr (incident->category_code, ==, "0101");
  g_assert_cmpstr (incident->title, ==, "路口暴露垃圾");
  g_assert_cmpstr (incident->description, ==, "早市散后路口堆有垃圾。");
  g_assert_cmpstr (incident->address, ==, "三里河路12号");
  g_assert_cmpstr (incident->grid_id, ==, grid_id);
  g_assert_cmpstr (incident->source, ==, "hotline");
  g_assert_cmpint (incident->priority, ==, 1);
  g_assert_cmpstr (incident->reporter_name, ==, "王女士");
  g_assert_cmpstr (incident->reporter_phone, ==, "13800138000");
  g_assert_true (incident->has_location);
  g_assert_cmpfloat_with_epsilon (incident->lon, lon, 1e-6);
  g_assert_cmpstr (wh_status_to_string (incident->status), ==, "reported");
  {
    g_autofree char *street = sql_text ("SELECT value FROM meta WHERE key = 'street_id'");

    g_assert_true (g_str_has_prefix (incident->number, street));
  }
  g_clear_object (&incident);

  /* The desk shows it, and offers registering as the next step. */
  settle ();
  g_assert_cmpstr (wh_incident_detail_get_incident_id (detail ()), ==, id);
  g_assert_cmpint (wh_incident_detail_get_action (detail (), 0), ==, WH_ACTION_REGISTER);
  g_assert_true (wh_incident_detail_offers (detail (), WH_ACTION_NOT_ACCEPT));
  g_assert_false (wh_incident_detail_offers (detail (), WH_ACTION_WHISTLE));

  /* Register (立案). */
  simple_step ("register", id, NULL, WH_STATUS_REGISTERED);

  /* Whistle (吹哨): the category's lead unit is suggested; the form refuses a whistle
   * without a lead and deadlines in the past or out of order. */
  form = open_form_for ("whistle", id);
  g_assert_cmpstr (chosen (wh_action_dialog_get_lead_row (form)), ==, "城管执法队");
  adw_combo_row_set_selected (wh_action_dialog_get_lead_row (form), 0);
  assert_refused (form, "lead unit");
  choose (wh_action_dialog_get_lead_row (form), "城管执法队");
  g_assert_true (wh_action_dialog_can_apply (form));
  gtk_check_button_set_active (wh_action_dialog_get_cooperating_check (form, coop), TRUE);
  /* The lead unit cannot cooperate with itself. */
  g_assert_false (gtk_widget_get_sensitive (
    gtk_widget_get_parent (GTK_WIDGET (wh_action_dialog_get_cooperating_check (form, lead)))));
  gtk_switch_set_active (wh_action_dialog_get_default_deadline_switch (form), FALSE);
  gtk_editable_set_text (wh_action_dialog_get_response_entry (form), "2020-01-01 09:00");
  assert_refused (form, "past");
  gtk_editable_set_text (wh_action_dialog_get_response_entry (form), "tomorrow");
  assert_refused (form, "YYYY-MM-DD HH:MM");
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    g_autoptr (GDateTime) in_two_hours = g_date_time_add_hours (now, 2);
    g_autoptr (GDateTime) in_one_hour = g_date_time_add_hours (now, 1);
    g_autoptr (GDateTime) in_two_days = g_date_time_add_days (now, 2);
    g_autofree char *r = g_date_time_format (in_two_hours, "%Y-%m-%d %H:%M");
    g_autofree char *h_early = g_date_time_format (in_one_hour, "%Y-%m-%d %H:%M");
    g_autofree char *h = g_date_time_format (in_two_days, "%Y-%m-%d %H:%M");
    gint64           expected_r;

    gtk_editable_set_text (wh_action_dialog_get_response_entry (form), r);
    gtk_editable_set_text (wh_action_dialog_get_handling_entry (form), h_early);
    assert_refused (form, "before the report-in deadline");
    gtk_editable_set_text (wh_action_dialog_get_handling_entry (form), h);
    set_text (wh_action_dialog_get_note_buffer (form), "请城管牵头，派出所配合维持秩序。");
    apply_form (form);

    incident = get_incident (id);
    g_assert_cmpstr (wh_status_to_string (incident->status), ==, "whistled");
    g_assert_cmpstr (incident->lead_unit_id, ==, lead);
    g_assert_cmpuint (incident->units->len, ==, 2);
    g_assert_nonnull (wh_incident_find_unit (incident, coop));
    g_assert_false (wh_incident_find_unit (incident, coop)->lead);
    /* As typed, to the minute, in the desk's time zone. */
    expected_r =
      (g_date_time_to_unix (in_two_hours) - g_date_time_get_second (in_two_hours)) * G_USEC_PER_SEC;
    g_assert_cmpint (incident->response_due_at, ==, expected_r);
    g_clear_object (&incident);
  }

  /* Report-in (报到), per unit: with two summoned units the form makes the officer choose. */
  form = open_form_for ("acknowledge", id);
  assert_refused (form, "Choose the unit");
  choose (wh_action_dialog_get_unit_row (form), "城管执法队");
  apply_form (form);
  assert_status (id, WH_STATUS_ACKNOWLEDGED);
  incident = get_incident (id);
  g_assert_cmpint (wh_incident_find_unit (incident, lead)->acknowledged_at, >, 0);
  g_assert_cmpint (wh_incident_find_unit (incident, coop)->acknowledged_at, ==, 0);
  g_clear_object (&incident);
  /* The cooperating unit is the only one left: chosen for the officer. */
  form = open_form_for ("acknowledge", id);
  g_assert_cmpstr (chosen (wh_action_dialog_get_unit_row (form)), ==, "派出所");
  apply_form (form);
  incident = get_incident (id);
  g_assert_cmpint (wh_incident_find_unit (incident, coop)->acknowledged_at, >, 0);
  g_assert_cmpstr (wh_status_to_string (incident->status), ==, "acknowledged");
  g_clear_object (&incident);

  /* Start handling, then a progress note (required text). */
  simple_step ("start", id, NULL, WH_STATUS_IN_PROGRESS);
  form = open_form_for ("note", id);
  assert_refused (form, "progress note");
  set_text (wh_action_dialog_get_note_buffer (form), "   ");
  assert_refused (form, "progress note");
  set_text (wh_action_dialog_get_note_buffer (form), "已清运一半。");
  apply_form (form);
  assert_status (id, WH_STATUS_IN_PROGRESS);

  /* Feedback (反馈): needs the result; photos go to the attachment store and the op. */
  form = open_form_for ("feedback", id);
  assert_refused (form, "result");
  {
    g_autoptr (GBytes) png = make_png (64, 48);
    g_autoptr (GBytes) junk = g_bytes_new_static ("not a photo at all", 18);
    g_autoptr (GError) error = NULL;
    g_autoptr (WhIncidentEvent) event = NULL;
    g_autoptr (GPtrArray) hashes = NULL;
    g_autoptr (GPtrArray) attachments = NULL;
    WhTimelineRow *row;
    GtkWidget     *thumb;
    GtkWindow     *full;

    g_assert_false (wh_action_dialog_add_photo (form, junk, "notes.txt", &error));
    g_assert_error (error, WH_ATTACHMENT_ERROR, WH_ATTACHMENT_ERROR_BAD_TYPE);
    g_clear_error (&error);
    g_assert_true (wh_action_dialog_add_photo (form, png, "现场.png", &error));
    g_assert_no_error (error);
    g_assert_cmpuint (wh_action_dialog_get_n_photos (form), ==, 1);
    set_text (wh_action_dialog_get_note_buffer (form), "垃圾已全部清运，路面冲洗干净。");
    apply_form (form);
    assert_status (id, WH_STATUS_RESOLVED);

    event = last_event (id);
    g_assert_cmpint (event->action, ==, WH_ACTION_FEEDBACK);
    hashes = wh_event_attachments_get_hashes (event->payload);
    g_assert_cmpuint (hashes->len, ==, 1);
    attachments = wh_attachment_store_list_for_event (wh_context_get_attachment_store (context ()),
                                                      event->id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (attachments->len, ==, 1);
    g_assert_true (((WhAttachment *) g_ptr_array_index (attachments, 0))->fetched);

    /* The record shows it as a thumbnail that opens full size. */
    settle ();
    g_assert_cmpstr (wh_incident_detail_get_incident_id (detail ()), ==, id);
    row = wh_incident_detail_get_timeline_row (detail (),
                                               wh_incident_detail_get_n_events (detail ()) - 1);
    g_assert_cmpstr (wh_timeline_row_get_event_id (row), ==, event->id);
    g_assert_cmpuint (wh_timeline_row_get_n_attachments (row), ==, 1);
    thumb = wh_timeline_row_get_attachment (row, 0);
    g_assert_false (wh_attachment_thumb_is_placeholder (WH_ATTACHMENT_THUMB (thumb)));
    full = wh_attachment_thumb_open (WH_ATTACHMENT_THUMB (thumb));
    g_assert_nonnull (full);
    settle ();
    gtk_window_destroy (full);
  }

  /* Verification passes, the incident is closed, the resident rates it. */
  g_assert_cmpint (wh_incident_detail_get_action (detail (), 0), ==, WH_ACTION_VERIFY_PASS);
  simple_step ("verify_pass", id, "现场核查，已清理干净。", WH_STATUS_VERIFIED);
  simple_step ("close", id, NULL, WH_STATUS_CLOSED);
  form = open_form_for ("rate", id);
  assert_refused (form, "rating");
  adw_combo_row_set_selected (wh_action_dialog_get_rating_row (form), 1);
  apply_form (form);
  incident = get_incident (id);
  g_assert_cmpstr (wh_status_to_string (incident->status), ==, "rated");
  g_assert_cmpint (incident->rating, ==, 5);
  g_clear_object (&incident);

  /* Every step is in the record, oldest first, each with who did it. */
  {
    g_autoptr (GPtrArray) events = wh_incident_store_list_events (store (), id, NULL);
    static const WhAction expected[] = {
      WH_ACTION_REPORT,      WH_ACTION_REGISTER, WH_ACTION_WHISTLE, WH_ACTION_ACKNOWLEDGE,
      WH_ACTION_ACKNOWLEDGE, WH_ACTION_START,    WH_ACTION_NOTE,    WH_ACTION_FEEDBACK,
      WH_ACTION_VERIFY_PASS, WH_ACTION_CLOSE,    WH_ACTION_RATE,
    };

    g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < events->len; i++)
      {
        WhIncidentEvent *event = g_ptr_array_index (events, i);

        g_assert_cmpint (event->action, ==, expected[i]);
        g_assert_cmpstr (event->actor_name, !=, "");
        g_assert_cmpint (event->actor_role, ==, WH_ROLE_DUTY_OFFICER);
      }
    settle ();
    g_assert_cmpuint (wh_incident_detail_get_n_events (detail ()), ==, events->len);
  }
  /* The ops of every step wait in the outbox for the district server. */
  g_assert_cmpint (sql_int ("SELECT count(*) FROM outbox WHERE payload LIKE '%%%s%%'", id), ==, 11);
}

/* Not accepted (不予立案), then reopened by the director. */
static void
test_not_accepted_and_reopen (void)
{
  double           lon, lat;
  g_autofree char *id = NULL;
  WhActionDialog  *form;

  act_as ("");
  cell_point (11, &lon, &lat, NULL);
  id = create_incident ("0202", "电线杆上小广告", lon, lat);

  form = open_form_for ("not_accept", id);
  assert_refused (form, "reason");
  set_text (wh_action_dialog_get_note_buffer (form), "不属于街道职责范围，已告知来电人。");
  apply_form (form);
  assert_status (id, WH_STATUS_NOT_ACCEPTED);

  /* A duty officer is not offered reopening; the form says who may. */
  wh_incident_detail_reload (detail ());
  g_assert_false (wh_incident_detail_offers (detail (), WH_ACTION_REOPEN));
  form = open_form_for ("reopen", id);
  g_assert_cmpuint (wh_action_dialog_get_n_targets (form), ==, 0);
  assert_refused (form, "cannot be done");
  gtk_window_destroy (GTK_WINDOW (form));

  act_as_director ();
  wh_incident_detail_reload (detail ());
  g_assert_true (wh_incident_detail_offers (detail (), WH_ACTION_REOPEN));
  form = open_form_for ("reopen", id);
  assert_refused (form, "reason");
  set_text (wh_action_dialog_get_note_buffer (form), "来电人补充材料，确属职责范围。");
  apply_form (form);
  assert_status (id, WH_STATUS_REGISTERED);
  {
    g_autoptr (WhIncidentEvent) event = last_event (id);

    g_assert_cmpint (event->actor_role, ==, WH_ROLE_DIRECTOR);
  }
  act_as ("");
}

/* A lead unit returns the incident (退单); the street dispatches it again at once. */
static void
test_return_and_redispatch (void)
{
  double           lon, lat;
  g_autofree char *id = NULL;
  g_autofree char *first = unit_id ("城管执法队");
  g_autofree char *second = unit_id ("工商所");
  g_autoptr (WhIncident) incident = NULL;
  WhActionDialog *form;

  act_as ("");
  cell_point (13, &lon, &lat, NULL);
  id = create_incident ("0101", "垃圾桶满溢", lon, lat);
  simple_step ("register", id, NULL, WH_STATUS_REGISTERED);
  whistle (id, "城管执法队");

  form = open_form_for ("return", id);
  g_assert_cmpstr (chosen (wh_action_dialog_get_unit_row (form)), ==, "城管执法队");
  assert_refused (form, "reason");
  set_text (wh_action_dialog_get_note_buffer (form), "属市场管理范围，应由工商所牵头。");
  apply_form (form);
  assert_status (id, WH_STATUS_RETURNED);
  incident = get_incident (id);
  g_assert_cmpint (wh_incident_find_unit (incident, first)->returned_at, >, 0);
  g_assert_cmpstr (wh_incident_find_unit (incident, first)->return_reason, ==,
                   "属市场管理范围，应由工商所牵头。");
  g_assert_cmpint (incident->return_count, ==, 1);
  g_clear_object (&incident);

  /* The re-dispatch form follows by itself, without the unit that returned it. */
  settle ();
  form = WH_ACTION_DIALOG (wh_application_get_form (app));
  g_assert_true (WH_IS_ACTION_DIALOG (form));
  g_assert_cmpint (wh_action_dialog_get_action (form), ==, WH_ACTION_WHISTLE);
  g_assert_cmpstr (wh_action_dialog_get_target (form, 0), ==, id);
  assert_refused (form, "lead unit");
  choose (wh_action_dialog_get_lead_row (form), "工商所");
  apply_form (form);
  incident = get_incident (id);
  g_assert_cmpstr (wh_status_to_string (incident->status), ==, "whistled");
  g_assert_cmpstr (incident->lead_unit_id, ==, second);
}

/* Verification fails → rework (返工) → feedback again → verified. */
static void
test_rework (void)
{
  double           lon, lat;
  g_autofree char *id = NULL;
  g_autoptr (WhIncident) incident = NULL;
  WhActionDialog *form;

  act_as ("");
  cell_point (17, &lon, &lat, NULL);
  id = create_incident ("0102", "楼道堆物", lon, lat);
  simple_step ("register", id, NULL, WH_STATUS_REGISTERED);
  whistle (id, "城管执法队");
  report_in (id, "城管执法队");
  simple_step ("start", id, NULL, WH_STATUS_IN_PROGRESS);
  simple_step ("feedback", id, "已清理。", WH_STATUS_RESOLVED);

  form = open_form_for ("verify_fail", id);
  assert_refused (form, "still wrong");
  set_text (wh_action_dialog_get_note_buffer (form), "三层楼道仍有杂物。");
  apply_form (form);
  assert_status (id, WH_STATUS_REWORK);
  incident = get_incident (id);
  g_assert_cmpint (incident->rework_count, ==, 1);
  g_clear_object (&incident);

  simple_step ("feedback", id, "三层杂物已清。", WH_STATUS_RESOLVED);
  simple_step ("verify_pass", id, NULL, WH_STATUS_VERIFIED);
}

/* Escalated to the district (上报); only the director (or the district) whistles it then. */
static void
test_escalate (void)
{
  double           lon, lat;
  g_autofree char *id = NULL;
  WhActionDialog  *form;

  act_as ("");
  cell_point (19, &lon, &lat, NULL);
  id = create_incident ("0401", "路面塌陷", lon, lat);
  simple_step ("register", id, NULL, WH_STATUS_REGISTERED);
  form = open_form_for ("escalate", id);
  assert_refused (form, "district");
  set_text (wh_action_dialog_get_note_buffer (form), "涉及市政管线，需区级协调。");
  apply_form (form);
  assert_status (id, WH_STATUS_ESCALATED);
  {
    g_autoptr (WhIncident) incident = get_incident (id);

    g_assert_true (incident->escalated);
  }

  wh_incident_detail_reload (detail ());
  g_assert_false (wh_incident_detail_offers (detail (), WH_ACTION_WHISTLE));
  form = open_form_for ("whistle", id);
  g_assert_cmpuint (wh_action_dialog_get_n_targets (form), ==, 0);
  gtk_window_destroy (GTK_WINDOW (form));

  act_as_director ();
  whistle (id, "住建委");
  act_as ("");
}

/* A major enforcement decision: feedback waits for an approved legal review (法制审核). */
static void
test_legal_review (void)
{
  double           lon, lat;
  g_autofree char *id = NULL;
  WhActionDialog  *form;

  act_as ("");
  cell_point (23, &lon, &lat, NULL);
  id = create_incident ("1301", "屋顶违法搭建", lon, lat);
  simple_step ("register", id, NULL, WH_STATUS_REGISTERED);
  whistle (id, "城管执法队");
  report_in (id, "城管执法队");
  simple_step ("start", id, NULL, WH_STATUS_IN_PROGRESS);

  /* No feedback before the review: not offered, and the form names the reason. */
  wh_incident_detail_reload (detail ());
  g_assert_false (wh_incident_detail_offers (detail (), WH_ACTION_FEEDBACK));
  g_assert_true (wh_incident_detail_offers (detail (), WH_ACTION_REQUEST_LEGAL_REVIEW));
  form = open_form_for ("feedback", id);
  g_assert_cmpuint (wh_action_dialog_get_n_targets (form), ==, 0);
  gtk_window_destroy (GTK_WINDOW (form));

  form = open_form_for ("request_legal_review", id);
  assert_refused (form, "enforcement decision");
  set_text (wh_action_dialog_get_note_buffer (form), "拟作出限期拆除决定。");
  apply_form (form);
  assert_status (id, WH_STATUS_LEGAL_REVIEW);

  /* The review is recorded by the director: refused needs the opinion. */
  act_as_director ();
  form = open_form_for ("record_legal_review", id);
  assert_refused (form, "approves");
  adw_combo_row_set_selected (wh_action_dialog_get_review_row (form), 2);
  assert_refused (form, "refused");
  adw_combo_row_set_selected (wh_action_dialog_get_review_row (form), 1);
  set_text (wh_action_dialog_get_note_buffer (form), "事实清楚，程序合法，同意。");
  apply_form (form);
  assert_status (id, WH_STATUS_IN_PROGRESS);
  {
    g_autoptr (WhIncident) incident = get_incident (id);

    g_assert_cmpstr (incident->legal_review, ==, "approved");
  }
  act_as ("");
  simple_step ("feedback", id, "已依法拆除。", WH_STATUS_RESOLVED);
}

/* One form for several incidents: each gets its own op; refusals are named per incident. */
static void
test_bulk (void)
{
  double           lon, lat;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;
  g_autofree char *number_d = NULL;
  WhActionDialog  *form;
  gint64           before;

  act_as ("");
  cell_point (29, &lon, &lat, NULL);
  a = create_incident ("0301", "夜间施工扰民", lon, lat);
  cell_point (31, &lon, &lat, NULL);
  b = create_incident ("0302", "工地扬尘", lon, lat);

  /* A bulk note on two incidents. */
  form = open_form ("note", (const char *const[]){ a, b, NULL });
  g_assert_cmpuint (wh_action_dialog_get_n_targets (form), ==, 2);
  assert_refused (form, "progress note");
  set_text (wh_action_dialog_get_note_buffer (form), "已电话联系施工方。");
  before = outbox_count ();
  apply_form (form);
  g_assert_cmpint (outbox_count (), ==, before + 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (WhIncidentEvent) event = last_event (i == 0 ? a : b);

      g_assert_cmpint (event->action, ==, WH_ACTION_NOTE);
      g_assert_cmpstr (event->note, ==, "已电话联系施工方。");
    }

  /* A bulk whistle of the same unit: an incident it does not fit is named up front. */
  simple_step ("register", a, NULL, WH_STATUS_REGISTERED);
  simple_step ("register", b, NULL, WH_STATUS_REGISTERED);
  cell_point (37, &lon, &lat, NULL);
  c = create_incident ("0301", "凌晨施工", lon, lat);
  form = open_form ("whistle", (const char *const[]){ a, b, c, NULL });
  g_assert_cmpuint (wh_action_dialog_get_n_targets (form), ==, 2);
  choose (wh_action_dialog_get_lead_row (form), "环保所");
  apply_form (form);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (WhIncident) incident = get_incident (i == 0 ? a : b);
      g_autofree char *unit = unit_id ("环保所");

      g_assert_cmpstr (wh_status_to_string (incident->status), ==, "whistled");
      g_assert_cmpstr (incident->lead_unit_id, ==, unit);
    }
  assert_status (c, WH_STATUS_REPORTED);

  /* Refused at apply time (another desk got there first): the failure is named, the
   * applied one leaves the form, and the form stays for the rest. */
  cell_point (41, &lon, &lat, NULL);
  d = create_incident ("0301", "噪声扰民", lon, lat);
  form = open_form ("register", (const char *const[]){ c, d, NULL });
  g_assert_cmpuint (wh_action_dialog_get_n_targets (form), ==, 2);
  {
    g_autoptr (WhActor) other =
      wh_actor_new ("someone-else", "别的值班员", WH_ROLE_DUTY_OFFICER, NULL);
    g_autoptr (WhOp) op = wh_op_new (WH_ACTION_NOT_ACCEPT, d, other, g_get_real_time ());
    g_autoptr (WhIncidentEvent) event = NULL;
    g_autoptr (GError) error = NULL;

    op->note = g_strdup ("重复来电。");
    event = wh_incident_store_apply (store (), op, WH_APPLY_RECORD_OUTBOX, &error);
    g_assert_no_error (error);
  }
  number_d = sql_text ("SELECT number FROM incident WHERE id = '%s'", d);
  press (wh_action_dialog_get_apply_button (form));
  g_assert_true (wh_application_get_form (app) == (gpointer) form);
  g_assert_nonnull (strstr (wh_action_dialog_get_results (form), number_d));
  g_assert_nonnull (strstr (wh_action_dialog_get_results (form), "1 of 2"));
  g_assert_cmpuint (wh_action_dialog_get_n_targets (form), ==, 1);
  g_assert_cmpstr (wh_action_dialog_get_target (form, 0), ==, d);
  assert_status (c, WH_STATUS_REGISTERED);
  assert_status (d, WH_STATUS_NOT_ACCEPTED);
  gtk_window_destroy (GTK_WINDOW (form));
}

/* The new-incident form refuses what is wrong, in the form; the map's click fills in the
 * location. */
static void
test_new_incident_refusals (void)
{
  double               lon, lat;
  WhNewIncidentDialog *form;
  char                 buffer[G_ASCII_DTOSTR_BUF_SIZE];

  act_as ("");
  cell_point (3, &lon, &lat, NULL);
  form = open_new_incident_at (lon, lat);
  g_assert_cmpstr (gtk_editable_get_text (wh_new_incident_dialog_get_lon_entry (form)), ==,
                   g_ascii_formatd (buffer, sizeof buffer, "%.6f", lon));
  g_assert_nonnull (wh_new_incident_dialog_get_grid_id (form));

  type_search (wh_new_incident_dialog_get_category_entry (form), "0101");
  gtk_editable_set_text (wh_new_incident_dialog_get_title_entry (form), "测试");
  settle ();
  g_assert_true (wh_new_incident_dialog_can_save (form));

  gtk_editable_set_text (wh_new_incident_dialog_get_lat_entry (form), "");
  g_assert_false (wh_new_incident_dialog_can_save (form));
  g_assert_nonnull (strstr (wh_new_incident_dialog_get_message (form), "both"));
  gtk_editable_set_text (wh_new_incident_dialog_get_lat_entry (form), "95");
  g_assert_nonnull (strstr (wh_new_incident_dialog_get_message (form), "latitude"));
  g_assert_false (
    gtk_widget_is_sensitive (GTK_WIDGET (wh_new_incident_dialog_get_save_button (form))));
  gtk_editable_set_text (wh_new_incident_dialog_get_lat_entry (form), "39,9");
  g_assert_false (wh_new_incident_dialog_can_save (form));
  gtk_editable_set_text (wh_new_incident_dialog_get_lat_entry (form), "");
  gtk_editable_set_text (wh_new_incident_dialog_get_lon_entry (form), "");
  g_assert_true (wh_new_incident_dialog_can_save (form));
  g_assert_null (wh_new_incident_dialog_get_grid_id (form));

  gtk_editable_set_text (wh_new_incident_dialog_get_reporter_phone_entry (form), "call me");
  g_assert_nonnull (strstr (wh_new_incident_dialog_get_message (form), "phone"));
  gtk_editable_set_text (wh_new_incident_dialog_get_reporter_phone_entry (form), "010-6600 1234");
  g_assert_true (wh_new_incident_dialog_can_save (form));

  gtk_editable_set_text (wh_new_incident_dialog_get_title_entry (form), "  ");
  g_assert_nonnull (strstr (wh_new_incident_dialog_get_message (form), "title"));

  /* A class is not a category to file under; a typed code that does not exist chooses
   * nothing. */
  type_search (wh_new_incident_dialog_get_category_entry (form), "9999");
  g_assert_cmpstr (wh_new_incident_dialog_get_category (form), ==, "0101");

  gtk_window_destroy (GTK_WINDOW (form));
  settle ();
}

static void
on_merged (WhNewIncidentDialog *dialog, const char *id, char **out)
{
  *out = g_strdup (id);
}

/* Before saving, the form points at open incidents of the same category within 100 m and
 * 7 days; Merge Into adds the reporter to that incident instead of a second one. */
static void
test_duplicate_merge (void)
{
  double               lon, lat;
  g_autofree char     *first = NULL;
  char                *merged = NULL;
  WhNewIncidentDialog *form;
  gint64               incidents;
  gboolean             found = FALSE;
  guint                index = 0;
  const double         metre = 1.0 / 111320.0;

  act_as ("");
  cell_point (43, &lon, &lat, NULL);
  first = create_incident ("1102", "广场舞噪声", lon, lat);
  incidents = sql_int ("SELECT count(*) FROM incident");

  /* 150 m away: not a duplicate. */
  form = open_new_incident_at (lon, lat + 150 * metre);
  type_search (wh_new_incident_dialog_get_category_entry (form), "1102");
  for (guint i = 0; i < wh_new_incident_dialog_get_n_duplicates (form); i++)
    g_assert_cmpstr (wh_new_incident_dialog_get_duplicate (form, i), !=, first);
  /* 30 m away, same category: it is. */
  wh_new_incident_dialog_set_location (form, lon, lat + 30 * metre);
  settle ();
  for (guint i = 0; i < wh_new_incident_dialog_get_n_duplicates (form); i++)
    if (g_strcmp0 (wh_new_incident_dialog_get_duplicate (form, i), first) == 0)
      {
        found = TRUE;
        index = i;
      }
  g_assert_true (found);
  /* Another category at the same place: not a duplicate. */
  type_search (wh_new_incident_dialog_get_category_entry (form), "1101");
  for (guint i = 0; i < wh_new_incident_dialog_get_n_duplicates (form); i++)
    g_assert_cmpstr (wh_new_incident_dialog_get_duplicate (form, i), !=, first);

  type_search (wh_new_incident_dialog_get_category_entry (form), "1102");
  found = FALSE;
  for (guint i = 0; i < wh_new_incident_dialog_get_n_duplicates (form); i++)
    if (g_strcmp0 (wh_new_incident_dialog_get_duplicate (form, i), first) == 0)
      {
        found = TRUE;
        index = i;
      }
  g_assert_true (found);
  gtk_editable_set_text (wh_new_incident_dialog_get_title_entry (form), "晚上广场音响太吵");
  gtk_editable_set_text (wh_new_incident_dialog_get_reporter_name_entry (form), "李先生");
  gtk_editable_set_text (wh_new_incident_dialog_get_reporter_phone_entry (form), "13912345678");
  g_signal_connect (form, "merged", G_CALLBACK (on_merged), &merged);
  press (wh_new_incident_dialog_get_merge_button (form, index));
  g_assert_cmpstr (merged, ==, first);
  g_free (merged);

  g_assert_cmpint (sql_int ("SELECT count(*) FROM incident"), ==, incidents);
  {
    g_autoptr (WhIncidentEvent) event = last_event (first);

    g_assert_cmpint (event->action, ==, WH_ACTION_ADD_REPORTER);
    g_assert_cmpstr (json_object_get_string_member (event->payload, "reporter_name"), ==, "李先生");
  }
  assert_status (first, WH_STATUS_REPORTED);
  /* And the desk shows the incident merged into. */
  settle ();
  g_assert_cmpstr (wh_incident_detail_get_incident_id (detail ()), ==, first);
}

/* Every form has its keyboard shortcut, which acts on the incident selected in the queue. */
static void
test_shortcuts (void)
{
  guint           n;
  const WhAction *actions = wh_action_rules_get_actions (&n);
  g_auto (GStrv) accels = NULL;
  GHashTable      *seen = g_hash_table_new (g_str_hash, g_str_equal);
  double           lon, lat;
  g_autofree char *id = NULL;
  WhActionDialog  *form;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.new-incident");
  g_assert_cmpstr (accels[0], ==, "<Control>n");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *detailed = g_action_print_detailed_name (
        "app.incident-action",
        g_variant_new ("(s@as)", wh_action_to_string (actions[i]), g_variant_new_strv (NULL, 0)));
      g_auto (GStrv) these =
        gtk_application_get_accels_for_action (GTK_APPLICATION (app), detailed);

      guint           key, expected_key;
      GdkModifierType mods, expected_mods;

      g_assert_nonnull (these[0]);
      /* GTK writes the modifiers in an order of its own. */
      g_assert_true (gtk_accelerator_parse (these[0], &key, &mods));
      g_assert_true (gtk_accelerator_parse (wh_action_rules_get_accel (actions[i]), &expected_key,
                                            &expected_mods));
      g_assert_cmpuint (key, ==, expected_key);
      g_assert_cmpuint (mods, ==, expected_mods);
      /* No two forms share a key. */
      g_assert_true (g_hash_table_add (seen, (gpointer) wh_action_rules_get_accel (actions[i])));
    }
  g_hash_table_unref (seen);

  act_as ("");
  cell_point (47, &lon, &lat, NULL);
  id = create_incident ("0101", "快捷键测试", lon, lat);
  settle ();
  g_assert_cmpstr (
    wh_queue_page_get_selected_incident (WH_QUEUE_PAGE (wh_window_get_page (window, "queue"))), ==,
    id);
  /* What the shortcut activates: the action with no ids. */
  form = open_form ("register", (const char *const[]){ NULL });
  g_assert_cmpuint (wh_action_dialog_get_n_targets (form), ==, 1);
  g_assert_cmpstr (wh_action_dialog_get_target (form, 0), ==, id);
  apply_form (form);
  assert_status (id, WH_STATUS_REGISTERED);
}

/* An attachment whose bytes are still on the district server shows a placeholder that
 * says so, and opens nothing. */
static void
test_attachment_placeholder (void)
{
  WhAttachment described = {
    .hash = (char *) "0000000000000000000000000000000000000000000000000000000000000000",
    .mime_type = (char *) "image/jpeg",
    .size = 123456,
    .name = (char *) "现场.jpg",
    .fetched = FALSE,
  };
  WhAttachmentThumb *thumb = wh_attachment_thumb_new (context (), &described);

  g_object_ref_sink (thumb);
  g_assert_true (wh_attachment_thumb_is_placeholder (thumb));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (thumb)), "现场.jpg"));
  g_assert_null (wh_attachment_thumb_open (thumb));
  g_object_unref (thumb);
}

static void
on_sent (WhDeadlineNotifier *notifier, const char *id, GNotification *notification, GPtrArray *sent)
{
  g_ptr_array_add (sent, g_strdup (id));
}

static guint
count_sent (GPtrArray *sent, const char *id)
{
  guint n = 0;

  for (guint i = 0; i < sent->len; i++)
    if (g_str_equal (g_ptr_array_index (sent, i), id))
      n++;
  return n;
}

/* A work order from the district is announced once it arrives; a deadline about to pass
 * once per incident and deadline. */
static void
test_notifications (void)
{
  g_autoptr (WhDeadlineNotifier) notifier = wh_deadline_notifier_new (NULL);
  g_autoptr (GPtrArray) sent = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (WhActor) district = wh_actor_new ("dispatcher", "区调度员", WH_ROLE_DISTRICT, NULL);
  g_autoptr (WhActor) officer = wh_actor_new ("officer", "值班员", WH_ROLE_DUTY_OFFICER, NULL);
  g_autofree char *street = sql_text ("SELECT value FROM meta WHERE key = 'street_id'");
  g_autofree char *order = wh_uuid_new (NULL);
  g_autofree char *order_key = g_strdup_printf ("order-%s", order);
  g_autofree char *deadline_key = NULL;
  g_autofree char *number = NULL;
  gint64           now = g_get_real_time ();
  g_autofree char *lead = unit_id ("城管执法队");

  wh_deadline_notifier_set_context (notifier, context ());
  g_signal_connect (notifier, "sent", G_CALLBACK (on_sent), sent);
  wh_deadline_notifier_check (notifier, now);
  g_ptr_array_set_size (sent, 0);

  /* A 12345 work order arrives (as a sync writes it: through the store). */
  number = wh_incident_store_next_number (store (), street, now, NULL);
  {
    g_autoptr (WhOp) op = wh_op_new (WH_ACTION_REPORT, order, district, now);
    g_autoptr (WhIncidentEvent) event = NULL;
    g_autoptr (GError) error = NULL;

    wh_op_set_string (op, "number", number);
    wh_op_set_string (op, "street_id", street);
    wh_op_set_string (op, "source", "hotline");
    wh_op_set_string (op, "category_code", "0101");
    wh_op_set_string (op, "title", "12345：小区门口垃圾无人清运");
    event = wh_incident_store_apply (store (), op, WH_APPLY_NONE, &error);
    g_assert_no_error (error);
  }
  wh_deadline_notifier_check (notifier, now + 1);
  g_assert_cmpuint (count_sent (sent, order_key), ==, 1);
  /* The desk's own notifier saw it arrive too, and told the desktop. */
  WAIT_FOR (was_notified (number));
  wh_deadline_notifier_check (notifier, now + 2);
  g_assert_cmpuint (count_sent (sent, order_key), ==, 1);

  /* Whistled with the report-in due in 20 minutes: warned once. */
  {
    g_autoptr (WhOp) reg = wh_op_new (WH_ACTION_REGISTER, order, officer, now + 3);
    g_autoptr (WhOp) op = wh_op_new (WH_ACTION_WHISTLE, order, officer, now + 4);
    g_autoptr (WhIncidentEvent) e1 = NULL;
    g_autoptr (WhIncidentEvent) e2 = NULL;
    g_autoptr (GError) error = NULL;

    e1 = wh_incident_store_apply (store (), reg, WH_APPLY_NONE, &error);
    g_assert_no_error (error);
    wh_op_set_string (op, "lead_unit_id", lead);
    wh_op_set_int (op, "response_due_at", now + 20 * G_TIME_SPAN_MINUTE);
    wh_op_set_int (op, "handling_due_at", now + 5 * G_TIME_SPAN_HOUR);
    e2 = wh_incident_store_apply (store (), op, WH_APPLY_NONE, &error);
    g_assert_no_error (error);
  }
  deadline_key = g_strdup_printf ("deadline-%s", order);
  /* 40 minutes before: not yet. */
  wh_deadline_notifier_check (notifier, now - 20 * G_TIME_SPAN_MINUTE);
  g_assert_cmpuint (count_sent (sent, deadline_key), ==, 0);
  wh_deadline_notifier_check (notifier, now + 5);
  g_assert_cmpuint (count_sent (sent, deadline_key), ==, 1);
  wh_deadline_notifier_check (notifier, now + G_TIME_SPAN_MINUTE);
  g_assert_cmpuint (count_sent (sent, deadline_key), ==, 1);
  /* Passed: no longer "about to". */
  g_ptr_array_set_size (sent, 0);
  wh_deadline_notifier_check (notifier, now + 21 * G_TIME_SPAN_MINUTE);
  g_assert_cmpuint (count_sent (sent, deadline_key), ==, 0);

  /* An incident registered at this desk is no news. */
  {
    g_autofree char *own = wh_uuid_new (NULL);
    g_autofree char *own_key = g_strdup_printf ("order-%s", own);
    g_autofree char *own_number = wh_incident_store_next_number (store (), street, now, NULL);
    g_autoptr (WhOp) op = wh_op_new (WH_ACTION_REPORT, own, officer, now);
    g_autoptr (WhIncidentEvent) event = NULL;
    g_autoptr (GError) error = NULL;

    wh_op_set_string (op, "number", own_number);
    wh_op_set_string (op, "street_id", street);
    wh_op_set_string (op, "source", "district");
    wh_op_set_string (op, "category_code", "0101");
    wh_op_set_string (op, "title", "本台登记的区级转办件");
    wh_deadline_notifier_mark_seen (notifier, own);
    event = wh_incident_store_apply (store (), op, WH_APPLY_NONE, &error);
    g_assert_no_error (error);
    wh_deadline_notifier_check (notifier, now + 6);
    g_assert_cmpuint (count_sent (sent, own_key), ==, 0);
  }
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int           ret;

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("whistle-actions-XXXXXX", &error);
  g_assert_no_error (error);
  demo_path = g_build_filename (tmp_dir, "demo.db", NULL);

  /* The history reaches now, so somebody is on duty at the center now. */
  test_make_demo_cache (demo_path, N_INCIDENTS, 1);

  start_notification_server ();
  app = wh_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  wh_application_set_cache_path (app, demo_path);
  window = wh_application_open_window (app);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  settle ();
  g_assert_nonnull (context ());
  g_assert_true (wh_window_show_page (window, "queue"));

  g_test_add_func ("/incident-actions/loop", test_loop);
  g_test_add_func ("/incident-actions/not-accepted-and-reopen", test_not_accepted_and_reopen);
  g_test_add_func ("/incident-actions/return-and-redispatch", test_return_and_redispatch);
  g_test_add_func ("/incident-actions/rework", test_rework);
  g_test_add_func ("/incident-actions/escalate", test_escalate);
  g_test_add_func ("/incident-actions/legal-review", test_legal_review);
  g_test_add_func ("/incident-actions/bulk", test_bulk);
  g_test_add_func ("/incident-actions/new-incident-refusals", test_new_incident_refusals);
  g_test_add_func ("/incident-actions/duplicate-merge", test_duplicate_merge);
  g_test_add_func ("/incident-actions/shortcuts", test_shortcuts);
  g_test_add_func ("/incident-actions/attachment-placeholder", test_attachment_placeholder);
  g_test_add_func ("/incident-actions/notifications", test_notifications);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  g_clear_object (&app);
  g_clear_pointer (&notified, g_ptr_array_unref);
  g_clear_object (&session);
  test_remove_tree (tmp_dir);
  g_free (demo_path);
  g_free (tmp_dir);

  return ret;
}
