/* Workspace use cases. */
#include "app/workspace.h"

#include "store/tenants.h"
#include "util/arena.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static enum pr_code validate_tenant(const char *slug, const char *name, const char *region,
                                    char region_out[3], struct pr_error *err)
{
    size_t i, len = slug ? strlen(slug) : 0;

    if (len == 0 || len > 63 || slug[0] == '-') {
        pr_error_set(err, PR_INVALID,
                     "tenant slug must be 1 to 63 characters, not starting "
                     "with '-'");
        return pr_error_hint(err, "use lower-case letters, digits and '-', e.g. \"acme-co\"");
    }
    for (i = 0; i < len; i++)
        if (!(islower((unsigned char)slug[i]) || isdigit((unsigned char)slug[i]) ||
              slug[i] == '-')) {
            pr_error_set(err, PR_INVALID,
                         "tenant slug \"%.63s\" has a character other than "
                         "a-z, 0-9 and '-'",
                         slug);
            return pr_error_hint(err, "use lower-case letters, digits and '-', e.g. \"acme-co\"");
        }
    if (name == NULL || name[0] == '\0' || strlen(name) > 200)
        return pr_error_set(err, PR_INVALID, "tenant name must be 1 to 200 characters");
    if (region == NULL)
        region = "US";
    if (strlen(region) != 2 || !isalpha((unsigned char)region[0]) ||
        !isalpha((unsigned char)region[1])) {
        pr_error_set(err, PR_INVALID, "phone region \"%.20s\" is not a two-letter country code",
                     region);
        return pr_error_hint(err, "use an ISO 3166-1 code such as US, GB or DE");
    }
    region_out[0] = (char)toupper((unsigned char)region[0]);
    region_out[1] = (char)toupper((unsigned char)region[1]);
    region_out[2] = '\0';
    return PR_OK;
}

static enum pr_code create_tenant_in_tx(struct app *app, const struct app_actor *actor,
                                        const char *slug, const char *name, const char *region,
                                        int64_t *out_id, struct pr_error *err)
{
    struct tenant_ctx t;
    enum pr_code rc = store_tenants_create(app->st, slug, name, region, out_id, err);

    if (rc == PR_CONFLICT) {
        pr_error_set(err, PR_CONFLICT, "a tenant with slug \"%s\" already exists", slug);
        return pr_error_hint(err,
                             "choose another slug; `prospect tenant list` shows the taken ones");
    }
    if (rc != PR_OK)
        return rc;
    t.tenant_id = *out_id;
    return app_audit(app, actor, &t, "tenant.create", "tenant", *out_id, NULL, err);
}

enum pr_code app_tenant_create(struct app *app, const struct app_actor *actor, const char *slug,
                               const char *name, const char *phone_region, int64_t *out_id,
                               struct pr_error *err)
{
    char region[3];
    enum pr_code rc = validate_tenant(slug, name, phone_region, region, err);

    if (rc != PR_OK)
        return rc;
    rc = store_begin(app->st, err);
    if (rc != PR_OK)
        return rc;
    rc = create_tenant_in_tx(app, actor, slug, name, region, out_id, err);
    if (rc == PR_OK)
        return store_commit(app->st, err);
    store_rollback(app->st);
    return rc;
}

enum pr_code app_workspace_init(struct app *app, const struct app_actor *actor, const char *slug,
                                const char *name, const char *key_name, int64_t *out_tenant_id,
                                struct app_new_key *out_key, struct pr_error *err)
{
    struct arena *a = arena_new(1024);
    struct tenant *tenants = NULL;
    struct tenant_ctx t;
    size_t n_tenants = 0;
    enum pr_code rc = store_tenants_list(app->st, a, &tenants, &n_tenants, err);

    if (rc == PR_OK && n_tenants > 0) {
        pr_error_set(err, PR_CONFLICT, "%s is already initialized (%zu tenant%s)",
                     store_path(app->st), n_tenants, n_tenants == 1 ? "" : "s");
        pr_error_hint(err, "add tenants with `prospect tenant create` and keys with "
                           "`prospect key create`");
        rc = PR_CONFLICT;
    }
    arena_free(a);
    if (rc != PR_OK)
        return rc;
    rc = app_tenant_create(app, actor, slug, name, NULL, out_tenant_id, err);
    if (rc != PR_OK)
        return rc;
    t.tenant_id = *out_tenant_id;
    return app_keys_create(app, actor, &t, key_name, "read,write,admin", out_key, err);
}
