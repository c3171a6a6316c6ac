/*
 * Lead scoring against the ICP (core/score.h; the ICP file is loaded by app/icp.h): one
 * contact, or every contact of the tenant (`prospect rescore`, after the ICP changed). Each
 * score updates the contact's score and breakdown and appends to its score history with the
 * ICP version that produced it.
 */
#ifndef PROSPECT_APP_SCORING_H
#define PROSPECT_APP_SCORING_H

#include "app/app.h"
#include "core/score.h"

#include <stdint.h>

/* Scores one contact of the tenant inside the caller's transaction; *score (may be NULL)
 * receives the total. */
enum pr_code app_score_contact(struct app *app, const struct tenant_ctx *t, const struct icp *icp,
                               int64_t contact_id, int *score, struct pr_error *err);

/* Rescores every contact of the tenant, 1000 per transaction. `on_progress` (may be NULL) is
 * called after each batch. Audited. */
enum pr_code app_rescore_all(struct app *app, const struct app_actor *actor,
                             const struct tenant_ctx *t, const struct icp *icp,
                             void (*on_progress)(void *ctx, int64_t n_done), void *ctx,
                             int64_t *n_scored, struct pr_error *err);

#endif
