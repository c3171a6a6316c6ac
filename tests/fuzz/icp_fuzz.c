/*
 * Fuzz target for the ICP loader and scoring: the input is a YAML document given to
 * icp_parse_text. A failure must name the source and give a hint; a success must pass core's
 * check, parse again to the same version, and score a few fixed leads with the invariants of
 * core/score.h: the factors add up to the total, 0 <= total <= 100, no factor above its max,
 * and the breakdown serializes. A crash, a sanitizer report, a leak or a trap is a bug.
 * (app/icp.c and app/icp_parse.c need only util and core, so the target compiles them in; see
 * tests/fuzz/meson.build.)
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app/icp.h"
#include "util/arena.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const techs[] = {"Salesforce", "hubspot", "", "Gong", "x y z"};
static const char *const intents[] = {"sales engagement", "CRM Software", "a"};

static const struct score_input leads[] = {
    {0},
    {.sic = "7372",
     .naics = "511210",
     .sector = "information",
     .has_employees = true,
     .employees = 250,
     .has_revenue_usd = true,
     .revenue_usd = 80000000,
     .title = "VP, Sales & Revenue Operations",
     .country = "US",
     .state = "CA",
     .technologies = techs,
     .n_technologies = 5,
     .intent_topics = intents,
     .n_intent_topics = 3},
    {.sic = "7",
     .naics = "5",
     .sector = "finance",
     .has_employees = true,
     .employees = 0,
     .has_revenue_usd = true,
     .revenue_usd = 9223372036854775807LL,
     .title = "CEO",
     .country = "ca",
     .state = "on"},
    {.sic = "73611",
     .has_employees = true,
     .employees = -1,
     .title = "Head of IT / CTO",
     .state = "NY",
     .technologies = techs,
     .n_technologies = 2},
};

static void check_scores(const struct icp *icp)
{
    struct arena *a = arena_new(0);
    struct buf json;

    buf_init(&json, 1 << 20);
    for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++) {
        struct score_result r;
        int sum = 0;

        if (score_compute(icp, &leads[i], a, &r) != PR_OK)
            __builtin_trap();
        for (size_t k = 0; k < r.n_factors; k++) {
            if (r.factors[k].points < 0 || r.factors[k].points > r.factors[k].max_points ||
                r.factors[k].reason == NULL)
                __builtin_trap();
            sum += r.factors[k].points;
        }
        if (sum != r.total || r.total < 0 || r.total > SCORE_MAX_TOTAL)
            __builtin_trap();
        buf_reset(&json);
        if (score_breakdown_json(&r, &json) != PR_OK)
            __builtin_trap();
        arena_reset(a);
    }
    buf_free(&json);
    arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct icp *icp = NULL;
    struct icp *again = NULL;
    struct pr_error err;
    enum pr_code rc;

    rc = icp_parse_text((const char *)data, size, "fuzz.yaml", &icp, &err);
    if ((rc == PR_OK) != (icp != NULL))
        __builtin_trap();
    if (rc != PR_OK) {
        if (rc != PR_CONFIG || strncmp(err.message, "fuzz.yaml: ", 11) != 0 || err.hint[0] == '\0')
            __builtin_trap();
        return 0;
    }
    if (score_icp_check(icp, &err) != PR_OK || strlen(icp->version) != 16)
        __builtin_trap();
    if (icp_parse_text((const char *)data, size, "fuzz.yaml", &again, &err) != PR_OK ||
        strcmp(icp->version, again->version) != 0)
        __builtin_trap();
    check_scores(icp);
    icp_free(again);
    icp_free(icp);
    return 0;
}
