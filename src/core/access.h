/*
 * Access vocabulary: API key scopes and user roles, their text forms and the rule for what a
 * set of scopes allows. Pure functions.
 *
 * Scopes: read (GET anything of the tenant), write (create/change/delete tenant data),
 * admin (users, keys, settings). admin implies write, write implies read.
 */
#ifndef PROSPECT_CORE_ACCESS_H
#define PROSPECT_CORE_ACCESS_H

#include "util/error.h"

#include <stdbool.h>
#include <stddef.h>

enum access_scope {
    ACCESS_SCOPE_READ = 1 << 0,
    ACCESS_SCOPE_WRITE = 1 << 1,
    ACCESS_SCOPE_ADMIN = 1 << 2,
};

/* Parses a comma-separated list such as "read,write" (spaces allowed, case-insensitive, no
 * duplicates, not empty) into a bit set. PR_INVALID names the unknown or repeated scope. */
enum pr_code access_scopes_parse(const char *text, unsigned *out, struct pr_error *err);

/* Writes the canonical form ("read,write,admin" order) into `out`. */
void access_scopes_format(unsigned scopes, char *out, size_t out_size);

/* True when a credential holding `held` may perform an action needing `needed`, applying the
 * implication admin > write > read. */
bool access_scopes_allow(unsigned held, enum access_scope needed);

/* User roles: owner, admin, member, viewer. The text forms are the database values. */
enum access_role { ACCESS_ROLE_OWNER, ACCESS_ROLE_ADMIN, ACCESS_ROLE_MEMBER, ACCESS_ROLE_VIEWER };

enum pr_code access_role_parse(const char *text, enum access_role *out, struct pr_error *err);
const char *access_role_name(enum access_role role);

#endif
