/* Lead sources repository. Every statement filters on tenant_id. */
#include "store/sources.h"

#include "store/store_int.h"

static const char SQL_INSERT[] =
    "INSERT INTO lead_sources (tenant_id, name, trust, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING";
static const char SQL_SET_TRUST[] =
    "UPDATE lead_sources SET trust = ?, updated_at = ? WHERE tenant_id = ? AND name = ?";
static const char SQL_TRUST[] = "SELECT trust FROM lead_sources WHERE tenant_id = ? AND name = ?";

enum pr_code store_sources_ensure(struct store *st, const struct tenant_ctx *t, const char *name,
                                  int trust, bool set_trust, int *out_trust, struct pr_error *err)
{
    int64_t now = store_now_ms(st);
    enum pr_code rc = store__exec(st, SQL_INSERT,
                                  STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name),
                                               STORE_INT(trust), STORE_INT(now), STORE_INT(now)),
                                  err);

    if (rc == PR_OK && set_trust)
        rc = store__exec(st, SQL_SET_TRUST,
                         STORE_PARAMS(STORE_INT(trust), STORE_INT(now), STORE_INT(t->tenant_id),
                                      STORE_TEXT(name)),
                         err);
    if (rc == PR_OK && out_trust != NULL)
        rc = store_sources_trust(st, t, name, out_trust, err);
    return rc;
}

enum pr_code store_sources_trust(struct store *st, const struct tenant_ctx *t, const char *name,
                                 int *out_trust, struct pr_error *err)
{
    int64_t trust = 0;
    enum pr_code rc = store__query_int(
        st, SQL_TRUST, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name)), &trust, err);

    if (rc == PR_NOT_FOUND)
        pr_error_set(err, PR_NOT_FOUND, "source not found");
    if (rc == PR_OK)
        *out_trust = (int)trust;
    return rc;
}
