/*
 * The context every use case receives: the store (one per thread), the clock, the logger
 * and the secret keyring, plus who is acting. Nothing here is global; the caller owns all of it.
 */
#ifndef PROSPECT_APP_APP_H
#define PROSPECT_APP_APP_H

#include "store/store.h"
#include "util/clock.h"
#include "util/log.h"

struct keyring;

struct app {
    struct store *st;
    struct clock *clock;
    struct logger *log;
    struct keyring *keyring; /* secret encryption keys; NULL when none is configured */
};

/* Who performs an action, as written to the audit log. */
struct app_actor {
    const char *type;       /* "user", "api_key", "cli" or "system" */
    const char *id;         /* user id, key prefix, OS user name; may be NULL */
    const char *request_id; /* request or job id; may be NULL */
};

/* Appends an audit entry inside the caller's transaction. `detail_json` may be NULL. */
enum pr_code app_audit(struct app *app, const struct app_actor *actor, const struct tenant_ctx *t,
                       const char *action, const char *object_type, int64_t object_id,
                       const char *detail_json, struct pr_error *err);

#endif
