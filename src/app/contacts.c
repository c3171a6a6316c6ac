/* Contact reads for the API; see contacts.h. */
#include "app/contacts.h"

#include "store/companies.h"

#include <assert.h>

/* Fills the company name of `c`. A company the contact points at always exists (foreign key,
 * same tenant); a PR_NOT_FOUND here would be a race with a delete and leaves the name NULL. */
static enum pr_code company_name(struct app *app, const struct tenant_ctx *t, struct arena *a,
                                 struct app_contact *c, const struct app_contact *previous,
                                 struct pr_error *err)
{
    struct company company;
    enum pr_code rc;

    c->company_name = NULL;
    if (!c->contact.has_company)
        return PR_OK;
    /* Imports put people of one company next to each other: reuse the previous lookup. */
    if (previous != NULL && previous->contact.has_company &&
        previous->contact.company_id == c->contact.company_id) {
        c->company_name = previous->company_name;
        return PR_OK;
    }
    rc = store_companies_get(app->st, t, c->contact.company_id, a, &company, err);
    if (rc == PR_NOT_FOUND)
        return PR_OK;
    if (rc == PR_OK)
        c->company_name = company.name;
    return rc;
}

enum pr_code app_contacts_page(struct app *app, const struct tenant_ctx *t, int64_t after_id,
                               int limit, struct arena *a, struct app_contact **out, size_t *n_out,
                               int64_t *next_after, struct pr_error *err)
{
    struct contact *rows = NULL;
    struct app_contact *page;
    size_t n = 0, i;
    enum pr_code rc;

    assert(limit >= 1 && limit <= APP_CONTACTS_PAGE_MAX);
    /* One row more than asked tells whether another page follows. */
    rc = store_contacts_list(app->st, t, after_id, limit + 1, a, &rows, &n, err);
    if (rc != PR_OK)
        return rc;
    *next_after = 0;
    if (n > (size_t)limit) {
        n = (size_t)limit;
        *next_after = rows[n - 1].id;
    }
    page = arena_calloc(a, n > 0 ? n : 1, sizeof *page);
    for (i = 0; i < n; i++) {
        page[i].contact = rows[i];
        rc = company_name(app, t, a, &page[i], i > 0 ? &page[i - 1] : NULL, err);
        if (rc != PR_OK)
            return rc;
    }
    *out = page;
    *n_out = n;
    return PR_OK;
}

enum pr_code app_contacts_get(struct app *app, const struct tenant_ctx *t, int64_t id,
                              struct arena *a, struct app_contact *out, struct pr_error *err)
{
    enum pr_code rc = store_contacts_get(app->st, t, id, a, &out->contact, err);

    if (rc == PR_NOT_FOUND)
        return pr_error_set(err, PR_NOT_FOUND, "no such contact");
    if (rc != PR_OK)
        return rc;
    return company_name(app, t, a, out, NULL, err);
}
