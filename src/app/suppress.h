/*
 * The tenant suppression list: e-mail addresses, phone numbers and domains that must never be
 * exported or contacted. Values are normalized like lead data (so "Ann@X.com " and
 * "ann@x.com" are one entry) and every change re-flags the tenant's matching contacts at once.
 */
#ifndef PROSPECT_APP_SUPPRESS_H
#define PROSPECT_APP_SUPPRESS_H

#include "app/app.h"

#include <stdbool.h>
#include <stdint.h>

/* What kind of value `text` is when the caller does not say: an '@' makes an e-mail, a value
 * of digits and phone punctuation a phone, anything else a domain. Returns "email", "phone" or
 * "domain". */
const char *app_suppress_guess_kind(const char *text);

/* Normalizes `text` as `kind` (NULL: guessed) into `out` (at least 320 bytes); sets *kind_out to
 * the kind used. PR_INVALID with the reason when the value is not one. */
enum pr_code app_suppress_normalize(const char *text, const char *kind, const char *region,
                                    const char **kind_out, char *out, size_t out_size,
                                    struct pr_error *err);

/* Adds one value (reason: unsubscribe, bounce, complaint, manual, do_not_call, legal, other)
 * and flags the contacts it covers; audited. *was_new false when it was listed already. */
enum pr_code app_suppress_add(struct app *app, const struct app_actor *actor,
                              const struct tenant_ctx *t, const char *text, const char *kind,
                              const char *reason, const char *source, int64_t *out_id,
                              bool *was_new, int64_t *n_flagged, struct pr_error *err);

/* Removes an entry by id and re-evaluates the contacts it covered; audited. */
enum pr_code app_suppress_remove(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, int64_t id, int64_t *n_unflagged,
                                 struct pr_error *err);

struct suppress_import_counts {
    int64_t n_added;
    int64_t n_existing;
    int64_t n_invalid;
    int64_t first_invalid_line; /* 0 when none */
    char first_invalid_reason[256];
};

/* Imports values from a CSV file: the column named email, phone, domain or value (any case),
 * else the first column; an e-mail/phone/domain column fixes the kind, a value column guesses
 * it. One transaction per 1000 rows; invalid values are counted and skipped, never fatal. */
enum pr_code app_suppress_import(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, const char *path, const char *reason,
                                 const char *source, struct suppress_import_counts *counts,
                                 struct pr_error *err);

#endif
