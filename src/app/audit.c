/* Audit helper shared by the use cases. */
#include "app/app.h"

#include "store/audit.h"

#include <inttypes.h>
#include <stdio.h>

enum pr_code app_audit(struct app *app, const struct app_actor *actor, const struct tenant_ctx *t,
                       const char *action, const char *object_type, int64_t object_id,
                       const char *detail_json, struct pr_error *err)
{
    struct audit_entry entry = {0};
    char id_text[24];
    int64_t audit_id;

    (void)snprintf(id_text, sizeof id_text, "%" PRId64, object_id);
    entry.actor_type = (char *)actor->type;
    entry.actor_id = (char *)actor->id;
    entry.action = (char *)action;
    entry.object_type = (char *)object_type;
    entry.object_id = id_text;
    entry.detail = (char *)detail_json;
    entry.request_id = (char *)actor->request_id;
    return store_audit_append(app->st, t, &entry, &audit_id, err);
}
