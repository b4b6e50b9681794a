/* wh-assessment-page.h — the Assessment page: the monthly summary per unit */
#pragma once

#include <adwaita.h>

#include "wh-assessment-store.h"
#include "wh-context.h"

G_BEGIN_DECLS

#define WH_TYPE_ASSESSMENT_PAGE (wh_assessment_page_get_type ())
G_DECLARE_FINAL_TYPE (WhAssessmentPage, wh_assessment_page, WH, ASSESSMENT_PAGE, AdwBin)

void wh_assessment_page_set_context (WhAssessmentPage *self, WhContext *context);

/* Shows @month (1–12) of @year in the street's time zone; months overflow into years. */
void wh_assessment_page_set_month (WhAssessmentPage *self, int year, int month);
void wh_assessment_page_get_period (WhAssessmentPage *self, WhPeriod *period);

/* Computes the shown month again. */
void wh_assessment_page_reload (WhAssessmentPage *self);

/* The rows as shown, sorted (a #GListModel of #WhUnitFigures); transfer none. */
GListModel *wh_assessment_page_get_model (WhAssessmentPage *self);

G_END_DECLS
