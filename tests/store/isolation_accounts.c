/*
 * Isolation cases of the account aggregates (users and API keys), run by isolation_test.c like
 * its own: act as tenant A against tenant B's ids and natural keys; B's rows are compared with
 * their snapshot afterwards. store_api_keys_find_by_prefix is the one deliberate cross-tenant
 * lookup (see isolation_test.c).
 */
#include "isolation_snapshot.h"

#include "store/users.h"

/* ---- users ---------------------------------------------------------------------------------- */

void case_users_create(struct world *w)
{
    int64_t id = 0;

    assert_ok(store_users_create(w->st, w->a, "boss@b.example", "boss@b.example", "Copy", "viewer",
                                 NULL, &id, &w->fx->err),
              w->fx);
    assert_true(id != w->b_user);
}

void case_users_get(struct world *w)
{
    struct user out;
    int64_t id;

    assert_hidden(w, id, w->b_user, MISSING_ID,
                  store_users_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

void case_users_find_by_email(struct world *w)
{
    struct user out;
    const char *email;

    assert_hidden(w, email, "boss@b.example", "missing@b.example",
                  store_users_find_by_email(w->st, w->a, email, w->arena, &out, &w->fx->err));
}

void case_users_list(struct world *w)
{
    struct user *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_users_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_user);
    }
}

void case_users_set_password(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_user, MISSING_ID,
                  store_users_set_password(w->st, w->a, id, PASSWORD_HASH "x", &w->fx->err));
    assert_hidden(w, id, w->b_user, MISSING_ID,
                  store_users_set_password(w->st, w->a, id, NULL, &w->fx->err));
}

void case_users_update(struct world *w)
{
    struct store_field fields[] = {{"role", "viewer"}, {"status", "disabled"}};
    int64_t id;

    assert_hidden(w, id, w->b_user, MISSING_ID,
                  store_users_update(w->st, w->a, id, fields, N_OF(fields), &w->fx->err));
}

void case_users_delete(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_user, MISSING_ID, store_users_delete(w->st, w->a, id, &w->fx->err));
}

/* ---- api keys ------------------------------------------------------------------------------- */

void case_api_keys_create(struct world *w)
{
    struct api_key *rows = NULL;
    size_t n = 0;
    int64_t id = 0;

    /* Prefixes are the global lookup handle, so B's is taken for everyone (they are random,
     * so the conflict tells nothing); nothing is created or changed. */
    assert_int_equal(store_api_keys_create(w->st, w->a, "copy", "bbbbbbbb", TOKEN_HASH_A, "admin",
                                           &id, &w->fx->err),
                     PR_CONFLICT);
    assert_ok(store_api_keys_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_ok(store_api_keys_create(w->st, w->a, "second", "a2a2a2a2", TOKEN_HASH_A, "admin", &id,
                                    &w->fx->err),
              w->fx);
    assert_true(id != w->b_key);
}

void case_api_keys_find_by_prefix(struct world *w)
{
    struct api_key found, as_b;

    /* Deliberately across tenants: the answer is B's key and names B as its tenant. */
    assert_ok(store_api_keys_find_by_prefix(w->st, "bbbbbbbb", w->arena, &found, &w->fx->err),
              w->fx);
    assert_int_equal(found.id, w->b_key);
    assert_int_equal(found.tenant_id, w->b->tenant_id);
    assert_true(found.tenant_id != w->a->tenant_id);
    assert_ok(store_api_keys_get(w->st, w->b, w->b_key, w->arena, &as_b, &w->fx->err), w->fx);
    buf_reset(&w->scratch);
    describe_key(&w->scratch, &found);
    {
        char *found_text = arena_strdup(w->arena, buf_cstr(&w->scratch));

        buf_reset(&w->scratch);
        describe_key(&w->scratch, &as_b);
        assert_string_equal(found_text, buf_cstr(&w->scratch));
    }
    assert_int_equal(
        store_api_keys_find_by_prefix(w->st, "zzzzzzzz", w->arena, &found, &w->fx->err),
        PR_NOT_FOUND);
}

void case_api_keys_get(struct world *w)
{
    struct api_key out;
    int64_t id;

    assert_hidden(w, id, w->b_key, MISSING_ID,
                  store_api_keys_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

void case_api_keys_list(struct world *w)
{
    struct api_key *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_api_keys_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_key);
    }
}

void case_api_keys_revoke(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_key, MISSING_ID, store_api_keys_revoke(w->st, w->a, id, &w->fx->err));
}

void case_api_keys_touch(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_key, MISSING_ID, store_api_keys_touch(w->st, w->a, id, &w->fx->err));
}
