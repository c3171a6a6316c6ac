/*
 * Reading contacts for the API: keyset pages and single contacts of one tenant, each with its
 * company's name. Read-only; nothing here is audited.
 */
#ifndef PROSPECT_APP_CONTACTS_H
#define PROSPECT_APP_CONTACTS_H

#include "app/app.h"
#include "store/contacts.h"
#include "util/arena.h"

#include <stddef.h>
#include <stdint.h>

#define APP_CONTACTS_PAGE_MAX 200

struct app_contact {
    struct contact contact;
    const char *company_name; /* NULL when the contact has no company */
};

/* One page of the tenant's contacts by ascending id, those with id > after_id (0: from the
 * start), at most `limit` (1..APP_CONTACTS_PAGE_MAX). *next_after is the after_id of the next
 * page, 0 when this page is the last (so a client following it reads every contact once and
 * stops without an empty page). Rows and strings live in `a`. Store errors only. */
enum pr_code app_contacts_page(struct app *app, const struct tenant_ctx *t, int64_t after_id,
                               int limit, struct arena *a, struct app_contact **out, size_t *n_out,
                               int64_t *next_after, struct pr_error *err);

/* The tenant's contact `id`. PR_NOT_FOUND ("no such contact") both when no contact has the id
 * and when it belongs to another tenant: the two are indistinguishable. Strings live in `a`. */
enum pr_code app_contacts_get(struct app *app, const struct tenant_ctx *t, int64_t id,
                              struct arena *a, struct app_contact *out, struct pr_error *err);

#endif
