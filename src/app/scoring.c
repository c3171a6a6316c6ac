/* Scoring use cases. */
#include "app/scoring.h"

#include "store/companies.h"
#include "store/contacts.h"
#include "store/scores.h"
#include "util/arena.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define BATCH 1000

static enum pr_code score_loaded(struct app *app, const struct tenant_ctx *t, const struct icp *icp,
                                 const struct contact *c, struct arena *a, int *score,
                                 struct pr_error *err)
{
    struct score_input in;
    struct score_result result;
    struct company co;
    struct buf json;
    enum pr_code rc = PR_OK;

    memset(&in, 0, sizeof in);
    in.title = c->title;
    in.country = c->country;
    in.state = c->state;
    if (c->has_company) {
        rc = store_companies_get(app->st, t, c->company_id, a, &co, err);
        if (rc != PR_OK)
            return rc;
        in.sic = co.sic;
        in.naics = co.naics;
        in.sector = co.sector;
        in.has_employees = co.has_employees;
        in.employees = co.employees;
        in.has_revenue_usd = co.has_revenue_usd;
        in.revenue_usd = co.revenue_usd;
        if (in.country == NULL)
            in.country = co.country;
        if (in.state == NULL)
            in.state = co.state;
    }
    rc = score_compute(icp, &in, a, &result);
    if (rc != PR_OK)
        return rc;
    buf_init(&json, 64 * 1024);
    if (score_breakdown_json(&result, &json) != PR_OK)
        rc = pr_error_set(err, PR_INTERNAL, "score breakdown too large");
    if (rc == PR_OK)
        rc = store_scores_record(app->st, t, c->id, result.total, buf_cstr(&json),
                                 result.icp_version, err);
    buf_free(&json);
    if (rc == PR_OK && score != NULL)
        *score = result.total;
    return rc;
}

enum pr_code app_score_contact(struct app *app, const struct tenant_ctx *t, const struct icp *icp,
                               int64_t contact_id, int *score, struct pr_error *err)
{
    struct arena *a = arena_new(4096);
    struct contact c;
    enum pr_code rc = store_contacts_get(app->st, t, contact_id, a, &c, err);

    if (rc == PR_OK)
        rc = score_loaded(app, t, icp, &c, a, score, err);
    arena_free(a);
    return rc;
}

enum pr_code app_rescore_all(struct app *app, const struct app_actor *actor,
                             const struct tenant_ctx *t, const struct icp *icp,
                             void (*on_progress)(void *ctx, int64_t n_done), void *ctx,
                             int64_t *n_scored, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct contact *page = NULL;
    int64_t after = 0, n_done = 0;
    size_t n = 0, i;
    enum pr_code rc;

    for (;;) {
        rc = store_begin(app->st, err);
        if (rc == PR_OK)
            rc = store_contacts_list(app->st, t, after, BATCH, a, &page, &n, err);
        for (i = 0; rc == PR_OK && i < n; i++) {
            rc = score_loaded(app, t, icp, &page[i], a, NULL, err);
            after = page[i].id;
        }
        if (rc == PR_OK)
            rc = store_commit(app->st, err);
        else
            store_rollback(app->st);
        arena_reset(a);
        if (rc != PR_OK)
            break;
        n_done += (int64_t)n;
        if (on_progress != NULL)
            on_progress(ctx, n_done);
        if (n < BATCH)
            break;
    }
    if (rc == PR_OK)
        rc = store_begin(app->st, err);
    if (rc == PR_OK) {
        char detail[160];

        (void)snprintf(detail, sizeof detail, "{\"scored\":%" PRId64 ",\"icp_version\":\"%s\"}",
                       n_done, icp->version);
        rc = app_audit(app, actor, t, "contacts.rescore", "icp", 0, detail, err);
        if (rc == PR_OK)
            rc = store_commit(app->st, err);
        else
            store_rollback(app->st);
    }
    *n_scored = n_done;
    arena_free(a);
    return rc;
}
