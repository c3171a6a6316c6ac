/* User use cases: creating dashboard users and setting passwords (argon2id). */
#ifndef PROSPECT_APP_USERS_H
#define PROSPECT_APP_USERS_H

#include "app/app.h"

/* Passwords must be 12 to 1024 bytes. */
#define APP_PASSWORD_MIN_LEN 12
#define APP_PASSWORD_MAX_LEN 1024

/* Creates a user with a role and a password (hashed here; the plain text is not kept);
 * PR_CONFLICT when the e-mail is taken in this tenant. Audited. */
enum pr_code app_users_create(struct app *app, const struct app_actor *actor,
                              const struct tenant_ctx *t, const char *email, const char *name,
                              const char *role, const char *password, int64_t *out_id,
                              struct pr_error *err);

/* Sets the password of the user with that e-mail. Audited. */
enum pr_code app_users_set_password(struct app *app, const struct app_actor *actor,
                                    const struct tenant_ctx *t, const char *email,
                                    const char *password, struct pr_error *err);

/* Checks the password policy. */
enum pr_code app_password_check(const char *password, struct pr_error *err);

#endif
