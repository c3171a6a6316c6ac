/* Workspace use cases: the first start (init) and tenant creation. */
#ifndef PROSPECT_APP_WORKSPACE_H
#define PROSPECT_APP_WORKSPACE_H

#include "app/app.h"
#include "app/keys.h"

/* Creates the first tenant and an admin API key (scopes read,write,admin) in an empty
 * database. PR_CONFLICT when the database already has a tenant. */
enum pr_code app_workspace_init(struct app *app, const struct app_actor *actor, const char *slug,
                                const char *name, const char *key_name, int64_t *out_tenant_id,
                                struct app_new_key *out_key, struct pr_error *err);

/* Creates a tenant after validating slug (1-63 of [a-z0-9-], not starting with '-'), name
 * (1-200 characters) and phone region (two letters; NULL means "US"); audited in the new
 * tenant's log. */
enum pr_code app_tenant_create(struct app *app, const struct app_actor *actor, const char *slug,
                               const char *name, const char *phone_region, int64_t *out_id,
                               struct pr_error *err);

#endif
