/* User use cases. */
#include "app/users.h"

#include "core/access.h"
#include "core/email.h"
#include "store/users.h"
#include "util/arena.h"
#include "util/crypto.h"

#include <string.h>

enum pr_code app_password_check(const char *password, struct pr_error *err)
{
    size_t len = strlen(password);

    if (len < APP_PASSWORD_MIN_LEN) {
        pr_error_set(err, PR_INVALID, "password is shorter than %d characters",
                     APP_PASSWORD_MIN_LEN);
        return pr_error_hint(err, "use a passphrase of several words");
    }
    if (len > APP_PASSWORD_MAX_LEN)
        return pr_error_set(err, PR_INVALID, "password is longer than %d characters",
                            APP_PASSWORD_MAX_LEN);
    return PR_OK;
}

enum pr_code app_users_create(struct app *app, const struct app_actor *actor,
                              const struct tenant_ctx *t, const char *email, const char *name,
                              const char *role, const char *password, int64_t *out_id,
                              struct pr_error *err)
{
    char email_norm[256], hash[128];
    enum access_role parsed_role;
    enum pr_code rc;

    rc = email_normalize(email, email_norm, sizeof email_norm, err);
    if (rc == PR_OK)
        rc = access_role_parse(role, &parsed_role, err);
    if (rc == PR_OK)
        rc = app_password_check(password, err);
    if (rc == PR_OK)
        rc = password_hash(password, hash, sizeof hash, err);
    if (rc != PR_OK)
        return rc;
    rc = store_begin(app->st, err);
    if (rc != PR_OK)
        return rc;
    rc = store_users_create(app->st, t, email_norm, email_norm, name, access_role_name(parsed_role),
                            hash, out_id, err);
    if (rc == PR_CONFLICT) {
        pr_error_set(err, PR_CONFLICT, "a user with e-mail %s already exists in this tenant",
                     email_norm);
        pr_error_hint(err, "use `prospect user passwd` to change that user's password");
    }
    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "user.create", "user", *out_id, NULL, err);
    if (rc == PR_OK)
        return store_commit(app->st, err);
    store_rollback(app->st);
    return rc;
}

enum pr_code app_users_set_password(struct app *app, const struct app_actor *actor,
                                    const struct tenant_ctx *t, const char *email,
                                    const char *password, struct pr_error *err)
{
    char email_norm[256], hash[128];
    struct arena *a = NULL;
    struct user user;
    enum pr_code rc;

    rc = email_normalize(email, email_norm, sizeof email_norm, err);
    if (rc == PR_OK)
        rc = app_password_check(password, err);
    if (rc == PR_OK)
        rc = password_hash(password, hash, sizeof hash, err);
    if (rc != PR_OK)
        return rc;
    a = arena_new(1024);
    rc = store_begin(app->st, err);
    if (rc != PR_OK)
        goto out;
    rc = store_users_find_by_email(app->st, t, email_norm, a, &user, err);
    if (rc == PR_NOT_FOUND) {
        pr_error_set(err, PR_NOT_FOUND, "no user with e-mail %s in this tenant", email_norm);
        pr_error_hint(err, "create the user with `prospect user create`");
    }
    if (rc == PR_OK)
        rc = store_users_set_password(app->st, t, user.id, hash, err);
    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "user.password", "user", user.id, NULL, err);
    if (rc == PR_OK)
        rc = store_commit(app->st, err);
    else
        store_rollback(app->st);
out:
    explicit_bzero(hash, sizeof hash);
    arena_free(a);
    return rc;
}
