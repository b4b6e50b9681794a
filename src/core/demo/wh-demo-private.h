/* wh-demo-private.h — what the files of the demo generator share
 *
 * wh-demo-catalogue.c  the fixed tables: units, categories, incident texts, holidays
 * wh-demo-names.c      names of people, places, shops and roads, phone numbers
 * wh-demo-time.c       local dates in Asia/Shanghai, duty rosters
 * wh-demo-street.c     the organisation, geography, staff, duty and checks; the entry point
 * wh-demo-incidents.c  incident histories
 * wh-demo-map.c        the roads and places of the street, for the base map
 */
#pragma once

#include "wh-demo-street.h"
#include "wh-incident.h"
#include "wh-incident-store.h"
#include "wh-work-calendar.h"

G_BEGIN_DECLS

#define DEMO_USEC_PER_MINUTE ((gint64) 60 * G_USEC_PER_SEC)
#define DEMO_USEC_PER_HOUR   (60 * DEMO_USEC_PER_MINUTE)
#define DEMO_USEC_PER_DAY    (24 * DEMO_USEC_PER_HOUR)

/* China has kept UTC+8 without daylight saving since 1991, so local dates are a fixed
 * offset away; that keeps the generator free of the system's time zone database. */
#define DEMO_UTC_OFFSET      (8 * DEMO_USEC_PER_HOUR)

/* The fixed units of every demo street, in roster order. Communities follow them. */
typedef enum {
  DEMO_UNIT_CENTER,        /* the street's command center (street_office) */
  DEMO_UNIT_CHENGGUAN,     /* stationed */
  DEMO_UNIT_POLICE,
  DEMO_UNIT_FOOD,
  DEMO_UNIT_SAFETY,
  DEMO_UNIT_ENV,
  DEMO_UNIT_MARKET,
  DEMO_UNIT_TRAFFIC,
  DEMO_UNIT_FIRE,
  DEMO_UNIT_HOUSING,       /* listed */
  DEMO_UNIT_CULTURE,
  DEMO_UNIT_JUSTICE,
  DEMO_UNIT_PLANNING,
  DEMO_UNIT_LAND,
  DEMO_UNIT_QUALITY,
  DEMO_UNIT_STATE_TAX,
  DEMO_UNIT_LOCAL_TAX,
  DEMO_UNIT_HEALTH,
  DEMO_UNIT_DISTRICT,      /* the district's command center and 12345 */
  DEMO_N_FIXED_UNITS,
  DEMO_UNIT_NONE = -1,
  DEMO_UNIT_GRID = -2,     /* grid_duty: the grid worker of the cell */
  DEMO_UNIT_LANE = -3,     /* grid_duty: the street-lane chief (街巷长) of the cell */
} DemoUnitKey;

#define DEMO_FIRST_STATIONED DEMO_UNIT_CHENGGUAN
#define DEMO_LAST_STATIONED  DEMO_UNIT_FIRE
#define DEMO_FIRST_LISTED    DEMO_UNIT_HOUSING
#define DEMO_LAST_LISTED     DEMO_UNIT_HEALTH

typedef struct {
  const char *kind;            /* unit.kind */
  const char *name;            /* {D} district, {d} without 区, {S} street, {s} without 街道 */
  const char *short_name;
  const char *parent;
  const char *phone_prefix;    /* office landline, 8 digits follow 010- */
  guint       n_liaisons;
  guint       n_enforcers;
  const char *liaison_title;
  const char *enforcer_title;
} DemoUnitDef;

extern const DemoUnitDef demo_unit_defs[DEMO_N_FIXED_UNITS];

typedef enum {
  DEMO_SOURCES_PATROL,         /* found on patrol and on video */
  DEMO_SOURCES_HOTLINE,        /* residents complain: 12345 and walk-ins */
  DEMO_SOURCES_MIXED,
  DEMO_N_SOURCE_PROFILES
} DemoSourceProfile;

/* A category of the catalogue with what the generator needs to invent its incidents.
 * Texts may use {place}, {road}, {no}, {shop}, {eatery}, {n} and {unit}. */
typedef struct {
  const char        *code;
  const char        *parent;     /* NULL for a class */
  const char        *name;
  gboolean           component;  /* 部件; otherwise 事件 */
  DemoUnitKey        lead;
  DemoUnitKey        coop[3];    /* candidates for cooperating units, DEMO_UNIT_NONE ends */
  int                response_minutes;
  int                handling_minutes;
  gboolean           working_hours;
  gboolean           major;
  double             weight;     /* share of incidents, relative */
  double             summer;     /* extra share in June–August, 0 = none */
  DemoSourceProfile  sources;
  int                urgent_pct; /* of incidents at priority urgent */
  int                critical_pct;
  DemoUnitKey        grid_duty;  /* classes: who answers for it in every grid cell */
  const char        *titles[4];
  const char        *descriptions[3];
  const char        *results[3]; /* feedback */
  const char        *rework[2];  /* why a verification failed */
} DemoCategoryDef;

extern const DemoCategoryDef demo_category_defs[];
extern const guint           demo_n_category_defs;

typedef struct {
  const char *day;             /* YYYY-MM-DD */
  gboolean    is_workday;
  const char *name;
} DemoHoliday;

extern const DemoHoliday demo_holidays[];
extern const guint       demo_n_holidays;

/* Phrases for the side paths. */
extern const char *const demo_not_accept_reasons[];
extern const guint       demo_n_not_accept_reasons;
extern const char *const demo_return_reasons[];
extern const guint       demo_n_return_reasons;
extern const char *const demo_escalate_reasons[];
extern const guint       demo_n_escalate_reasons;
extern const char *const demo_progress_notes[];
extern const guint       demo_n_progress_notes;
extern const char *const demo_verify_notes[];
extern const guint       demo_n_verify_notes;
extern const char *const demo_rate_notes[6];
extern const char *const demo_legal_approved_notes[];
extern const guint       demo_n_legal_approved_notes;
extern const char *const demo_legal_refused_notes[];
extern const guint       demo_n_legal_refused_notes;
extern const char *const demo_reopen_reasons[];
extern const guint       demo_n_reopen_reasons;
extern const char *const demo_check_deductions[];
extern const guint       demo_n_check_deductions;
extern const char *const demo_check_praise[];
extern const guint       demo_n_check_praise;

/* People, places and things (wh-demo-names.c). */
char       *demo_person_name       (GRand       *rand);
char       *demo_reporter_name     (GRand       *rand);
char       *demo_mobile            (GRand       *rand);
char       *demo_landline          (GRand       *rand,
                                    const char  *prefix);
char       *demo_shop_name         (GRand       *rand);
char       *demo_eatery_name       (GRand       *rand);
const char *demo_pick              (GRand       *rand,
                                    const char *const *strings,
                                    guint        n_strings);
void        demo_pick_communities  (GRand       *rand,
                                    guint        n,
                                    const char **names);
void        demo_pick_roads        (GRand       *rand,
                                    guint        n_major,
                                    const char **major,
                                    guint        n_minor,
                                    const char **minor);
char       *demo_compound_name     (GRand       *rand,
                                    const char  *community);
const char *demo_landmark          (GRand       *rand);

/* Expands {D}, {S}, {s} (unit names) or the incident placeholders. */
typedef struct {
  const char *district;
  const char *district_short;
  const char *street;
  const char *street_short;
  const char *place;
  const char *road;
  const char *no;
  const char *shop;
  const char *eatery;
  const char *n;
  const char *unit;
} DemoTextVars;

char       *demo_expand            (const char         *template,
                                    const DemoTextVars *vars);

/* Local dates (wh-demo-time.c). A "day" counts local days since 1970-01-01. */
gint64      demo_local_day         (gint64       usec);
gint64      demo_day_start         (gint64       day);
void        demo_day_to_date       (gint64       day,
                                    int         *year,
                                    int         *month,
                                    int         *mday);
gint64      demo_date_to_day       (int          year,
                                    int          month,
                                    int          mday);
int         demo_day_weekday       (gint64       day);  /* 0 Sunday … 6 Saturday */
char       *demo_day_to_string     (gint64       day);  /* YYYY-MM-DD */
/* -1 no exception, 0 holiday, 1 make-up working day */
int         demo_day_exception     (gint64       day);
gboolean    demo_day_is_workday    (gint64       day);

/* The street as generated, shared by the organisation and incident parts. */
typedef struct {
  char     *id;
  char     *name;
  const char *role;            /* staff.role */
  const char *title;
  char     *phone;
  guint     unit;
  gint64    since;             /* 0: NULL */
  gint64    until;
} DemoStaff;

typedef struct {
  char     *id;
  char     *name;
  char     *short_name;
  const char *kind;
  GArray   *liaisons;          /* of guint, staff indices */
  GArray   *enforcers;
  GArray   *others;
} DemoUnit;

typedef struct {
  char     *id;
  char     *name;
  guint     unit;              /* the community as a unit */
} DemoCommunity;

typedef struct {
  char     *id;
  char     *name;
  guint     community;
  guint     col, row;
  guint     n_points;          /* the ring, counter-clockwise, without the closing point */
  double   *lon;
  double   *lat;
  double    centroid_lon;
  double    centroid_lat;
  double    min_lon, max_lon, min_lat, max_lat;
  guint     roads[4];          /* south, east, north, west: indices into DemoContext.roads */
  char     *compound;          /* the residential compound most of the cell is */
  const char *landmark;
  double    weight;            /* how busy it is */
  guint     grid_worker;       /* staff index */
  guint     lane_chief;
} DemoCell;

typedef struct {
  const char *name;
  gboolean    east_west;
  double      origin;          /* metres along the road where numbering starts */
  gboolean    major;           /* one of the main roads around the street */
  guint       n_points;        /* its centre line along the lattice line, west to east or */
  double     *lon;             /* south to north: the shared edges of the blocks beside */
  double     *lat;             /* it, vertex for vertex (wh-demo-map.c) */
} DemoRoad;

typedef struct {
  WhDb                *db;
  GRand               *rand;
  WhWorkCalendar      *calendar;
  char                *street_id;
  char                *street_name;
  char                *street_short;
  char                *district_id;
  const char          *district_name;
  double               center_lon;
  double               center_lat;
  guint32              seed;
  guint32              street_hash;  /* of the street code, stable across releases */
  guint                months;
  guint                n_incidents;
  gint64               start_time;   /* local midnight, @months before the end */
  gint64               end_time;
  gint64               start_day;
  gint64               end_day;      /* the day holding end_time */

  GPtrArray           *units;        /* of DemoUnit; DEMO_N_FIXED_UNITS, then communities */
  GPtrArray           *staff;        /* of DemoStaff */
  GPtrArray           *communities;  /* of DemoCommunity */
  GPtrArray           *cells;        /* of DemoCell */
  GArray              *roads;        /* of DemoRoad */
  GArray              *duty_officers;
  GArray              *leaders;      /* directors on call, in rotation */
  GArray              *district_dispatchers;
  guint               *grid_duty;    /* cell × class → staff index */
  guint                n_classes;
  guint               *class_of;     /* category index → class number */
  double               priority_factor[3];

  WhDemoProgressFunc   progress;
  gpointer             progress_data;
  GCancellable        *cancellable;
} DemoContext;

/* Rosters (wh-demo-time.c). Both the duty_shift rows and the actors of incidents use
 * these, so the timeline always names who was on duty. */
guint       demo_center_slots      (void);
void        demo_center_shift      (guint        slot,
                                    int         *start_hour,
                                    int         *end_hour);
guint       demo_center_officer    (DemoContext *ctx,
                                    gint64       day,
                                    guint        slot);
guint       demo_officer_at        (DemoContext *ctx,
                                    gint64       usec,
                                    guint        which);
guint       demo_leader_at         (DemoContext *ctx,
                                    gint64       usec);
guint       demo_liaison_at        (DemoContext *ctx,
                                    guint        unit,
                                    gint64       usec);

gboolean    demo_point_in_cell     (const DemoCell *cell,
                                    double          lon,
                                    double          lat);

/* wh-demo-map.c: stores the roads and places the base map draws (meta 'demo_map'). */
gboolean    demo_write_map         (DemoContext    *ctx,
                                    GError        **error);

/* wh-demo-incidents.c */
gboolean    demo_generate_incidents (DemoContext  *ctx,
                                     double        progress_from,
                                     double        progress_to,
                                     GError      **error);

G_END_DECLS
