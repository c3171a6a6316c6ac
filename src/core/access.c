/* Scopes and roles: parsing, formatting and the implication rule. */
#include "core/access.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    enum access_scope scope;
} scope_names[] = {
    {"read", ACCESS_SCOPE_READ},
    {"write", ACCESS_SCOPE_WRITE},
    {"admin", ACCESS_SCOPE_ADMIN},
};

static const char *const role_names[] = {
    [ACCESS_ROLE_OWNER] = "owner",
    [ACCESS_ROLE_ADMIN] = "admin",
    [ACCESS_ROLE_MEMBER] = "member",
    [ACCESS_ROLE_VIEWER] = "viewer",
};

enum pr_code access_scopes_parse(const char *text, unsigned *out, struct pr_error *err)
{
    unsigned scopes = 0;
    const char *p = text;

    for (;;) {
        size_t len, i;
        unsigned found = 0;

        while (*p == ' ')
            p++;
        len = strcspn(p, ",");
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len == 0) {
            pr_error_set(err, PR_INVALID, "empty scope in \"%.60s\"", text);
            return pr_error_hint(err,
                                 "give scopes as a comma-separated list of read, write, admin");
        }
        for (i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++)
            if (strlen(scope_names[i].name) == len && strncasecmp(p, scope_names[i].name, len) == 0)
                found = scope_names[i].scope;
        if (found == 0) {
            pr_error_set(err, PR_INVALID, "unknown scope \"%.*s\"", (int)(len > 40 ? 40 : len), p);
            return pr_error_hint(err, "valid scopes are read, write, admin");
        }
        if (scopes & found) {
            pr_error_set(err, PR_INVALID, "scope \"%.*s\" is listed twice", (int)len, p);
            return pr_error_hint(err, "list each scope once");
        }
        scopes |= found;
        p += strcspn(p, ",");
        if (*p == '\0')
            break;
        p++;
    }
    *out = scopes;
    return PR_OK;
}

void access_scopes_format(unsigned scopes, char *out, size_t out_size)
{
    size_t i, used = 0;

    if (out_size == 0)
        return;
    out[0] = '\0';
    for (i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++) {
        int n;
        if (!(scopes & scope_names[i].scope))
            continue;
        n = snprintf(out + used, out_size - used, "%s%s", used ? "," : "", scope_names[i].name);
        if (n < 0 || (size_t)n >= out_size - used)
            return; /* truncated: the caller's buffer is too small, keep what fits */
        used += (size_t)n;
    }
}

bool access_scopes_allow(unsigned held, enum access_scope needed)
{
    if (held & ACCESS_SCOPE_ADMIN)
        held |= ACCESS_SCOPE_WRITE;
    if (held & ACCESS_SCOPE_WRITE)
        held |= ACCESS_SCOPE_READ;
    return (held & needed) == (unsigned)needed;
}

enum pr_code access_role_parse(const char *text, enum access_role *out, struct pr_error *err)
{
    size_t i;

    for (i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
        if (strcasecmp(text, role_names[i]) == 0) {
            *out = (enum access_role)i;
            return PR_OK;
        }
    pr_error_set(err, PR_INVALID, "unknown role \"%.40s\"", text);
    return pr_error_hint(err, "valid roles are owner, admin, member, viewer");
}

const char *access_role_name(enum access_role role)
{
    if ((unsigned)role >= sizeof role_names / sizeof role_names[0])
        return "viewer";
    return role_names[role];
}
