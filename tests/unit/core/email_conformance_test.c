/*
 * Dominic Sayers' is_email test set (tests.xml, as shipped by npm `email-addresses`) against
 * email_normalize_lead. Each <test> has an address, a category and a diagnosis; the expected
 * outcome under our policy (core/email.h) is:
 *
 *   ISEMAIL_ERR             rejected: not an address.
 *   ISEMAIL_VALID_CATEGORY  accepted, with the exceptions listed below.
 *   ISEMAIL_DNSWARN         accepted: valid syntax; we do no DNS look-ups (core does no I/O).
 *   ISEMAIL_RFC5321         rejected: quoted strings, address literals, dotless domains and
 *                           numeric TLDs are valid for SMTP but no organization's mailbox
 *                           looks like that.
 *   ISEMAIL_RFC5322         rejected: too long for SMTP, domain literals, odd domain syntax.
 *   ISEMAIL_DEPREC          rejected: obsolete syntax (comments, quoted parts, controls).
 *   ISEMAIL_CFWS            CFWS_COMMENT rejected (no comments); CFWS_FWS accepted when the
 *                           white space around the address is plain spaces or tabs (trimmed),
 *                           rejected when it folds a line (CR LF: a broken cell).
 *
 * Exceptions, by test id:
 *   5  "test@io" is VALID in the set because its author's DNS check found an MX record on the
 *      TLD io in 2011. We reject dotless domains: ICANN has since forbidden mail on bare TLDs
 *      (SAC053, 2013), and "name@gmail" in a lead file is a typo, not an address.
 *
 * The file is XML with control characters written as U+2400 + code (note 1 of the file);
 * it is decoded by hand here (no XML library for one flat file). Counts per category are
 * printed as TAP diagnostics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/email.h"
#include "util/mem.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct conformance_case {
    int id;
    char address[1024];
    size_t address_len;
    char category[64];
    char diagnosis[64];
};

static struct conformance_case *cases;
static size_t n_cases;

static const int exceptions[] = {5};

static bool is_exception(int id)
{
    size_t i;

    for (i = 0; i < sizeof exceptions / sizeof exceptions[0]; i++)
        if (exceptions[i] == id)
            return true;
    return false;
}

static char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long size;

    if (f == NULL)
        return NULL;
    size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    data = xmalloc((size_t)size + 1);
    if (fread(data, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        xfree(data);
        return NULL;
    }
    fclose(f);
    data[size] = '\0';
    *len_out = (size_t)size;
    return data;
}

static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes XML text [s, end) into out; returns the length. */
static size_t xml_decode(const char *s, const char *end, char *out, size_t out_size)
{
    size_t n = 0;

    while (s < end && n + 4 < out_size) {
        if (*s != '&') {
            out[n++] = *s++;
            continue;
        }
        if (strncmp(s, "&amp;", 5) == 0) {
            out[n++] = '&';
            s += 5;
        } else if (strncmp(s, "&lt;", 4) == 0) {
            out[n++] = '<';
            s += 4;
        } else if (strncmp(s, "&gt;", 4) == 0) {
            out[n++] = '>';
            s += 4;
        } else if (strncmp(s, "&quot;", 6) == 0) {
            out[n++] = '"';
            s += 6;
        } else if (strncmp(s, "&apos;", 6) == 0) {
            out[n++] = '\'';
            s += 6;
        } else if (strncmp(s, "&#", 2) == 0) {
            char *stop;
            unsigned long cp = (s[2] == 'x' || s[2] == 'X') ? strtoul(s + 3, &stop, 16)
                                                            : strtoul(s + 2, &stop, 10);

            assert_true(*stop == ';');
            s = stop + 1;
            /* Note 1 of tests.xml: U+2400 + n stands for the control character n. */
            if (cp >= 0x2400 && cp <= 0x241F)
                cp -= 0x2400;
            else if (cp == 0x2421)
                cp = 0x7F;
            n += put_utf8(out + n, cp);
        } else {
            out[n++] = *s++;
        }
    }
    return n;
}

/* Finds <tag>text</tag> (or <tag/>) inside [s, end); false when absent. */
static bool element_text(const char *s, const char *end, const char *tag, const char **text,
                         const char **text_end)
{
    char open[32], empty[32], close[32];
    const char *p;

    (void)snprintf(open, sizeof open, "<%s>", tag);
    (void)snprintf(empty, sizeof empty, "<%s/>", tag);
    (void)snprintf(close, sizeof close, "</%s>", tag);
    p = memmem(s, (size_t)(end - s), empty, strlen(empty));
    if (p != NULL) {
        *text = *text_end = p;
        return true;
    }
    p = memmem(s, (size_t)(end - s), open, strlen(open));
    if (p == NULL)
        return false;
    *text = p + strlen(open);
    *text_end = memmem(*text, (size_t)(end - *text), close, strlen(close));
    return *text_end != NULL;
}

static int load(void **state)
{
    const char *dir = getenv("PROSPECT_CONFORMANCE_DIR");
    char path[4096];
    char *xml;
    size_t xml_len, cap = 0;
    const char *p;

    (void)state;
    if (dir == NULL) {
        printf("# PROSPECT_CONFORMANCE_DIR is not set (run make conformance)\n");
        return -1;
    }
    (void)snprintf(path, sizeof path, "%s/email-addresses/test/tests.xml", dir);
    xml = read_file(path, &xml_len);
    if (xml == NULL) {
        printf("# cannot read %s (run make conformance)\n", path);
        return -1;
    }
    p = xml;
    for (;;) {
        const char *start = strstr(p, "<test id=\""), *end, *text, *text_end;
        struct conformance_case *c;

        if (start == NULL)
            break;
        end = strstr(start, "</test>");
        if (end == NULL)
            break;
        if (n_cases == cap) {
            cap = cap ? cap * 2 : 64;
            cases = xrealloc(cases, cap * sizeof *cases);
        }
        c = &cases[n_cases];
        memset(c, 0, sizeof *c);
        c->id = (int)strtol(start + 10, NULL, 10);
        if (element_text(start, end, "address", &text, &text_end))
            c->address_len = xml_decode(text, text_end, c->address, sizeof c->address);
        if (element_text(start, end, "category", &text, &text_end))
            (void)xml_decode(text, text_end, c->category, sizeof c->category - 1);
        if (element_text(start, end, "diagnosis", &text, &text_end))
            (void)xml_decode(text, text_end, c->diagnosis, sizeof c->diagnosis - 1);
        n_cases++;
        p = end;
    }
    xfree(xml);
    printf("# %zu tests read from %s\n", n_cases, path);
    return n_cases > 100 ? 0 : -1;
}

static int unload(void **state)
{
    (void)state;
    xfree(cases);
    return 0;
}

/* Our policy's verdict for a case (see the file comment). */
static bool expected_accept(const struct conformance_case *c)
{
    bool accept;

    if (strcmp(c->category, "ISEMAIL_VALID_CATEGORY") == 0 ||
        strcmp(c->category, "ISEMAIL_DNSWARN") == 0)
        accept = true;
    else if (strcmp(c->diagnosis, "ISEMAIL_CFWS_FWS") == 0)
        accept = memchr(c->address, '\r', c->address_len) == NULL &&
                 memchr(c->address, '\n', c->address_len) == NULL;
    else
        accept = false;
    return is_exception(c->id) ? !accept : accept;
}

/* Runs every case of `category` (NULL: all) and fails listing the ones that disagree. */
static void run_category(const char *category)
{
    size_t i, n = 0, n_accepted = 0, n_wrong = 0;

    for (i = 0; i < n_cases; i++) {
        const struct conformance_case *c = &cases[i];
        struct email_norm norm;
        struct pr_error err;
        bool accepted;

        if (strcmp(c->category, category) != 0)
            continue;
        n++;
        accepted = email_normalize_lead(c->address, c->address_len, &norm, &err) == PR_OK;
        n_accepted += accepted;
        if (accepted != expected_accept(c)) {
            n_wrong++;
            printf("# test %d (%s) \"%.*s\": %s, expected %s%s%s\n", c->id, c->diagnosis,
                   (int)c->address_len, c->address, accepted ? "accepted" : "rejected",
                   accepted ? "rejected" : "accepted", accepted ? "" : ": ",
                   accepted ? "" : err.message);
        }
    }
    printf("# %s: %zu tests, %zu accepted, %zu rejected, %zu against policy\n", category, n,
           n_accepted, n - n_accepted, n_wrong);
    assert_true(n > 0);
    assert_int_equal(n_wrong, 0);
}

static void test_err_rejected(void **state)
{
    (void)state;
    run_category("ISEMAIL_ERR");
}

static void test_valid_accepted(void **state)
{
    (void)state;
    run_category("ISEMAIL_VALID_CATEGORY");
}

static void test_dnswarn_accepted(void **state)
{
    (void)state;
    run_category("ISEMAIL_DNSWARN");
}

static void test_rfc5321_rejected(void **state)
{
    (void)state;
    run_category("ISEMAIL_RFC5321");
}

static void test_rfc5322_rejected(void **state)
{
    (void)state;
    run_category("ISEMAIL_RFC5322");
}

static void test_deprecated_rejected(void **state)
{
    (void)state;
    run_category("ISEMAIL_DEPREC");
}

static void test_cfws_policy(void **state)
{
    (void)state;
    run_category("ISEMAIL_CFWS");
}

/* Every case belongs to one of the categories above, so none goes unchecked. */
static void test_every_case_checked(void **state)
{
    static const char *const known[] = {
        "ISEMAIL_ERR",     "ISEMAIL_VALID_CATEGORY", "ISEMAIL_DNSWARN", "ISEMAIL_RFC5321",
        "ISEMAIL_RFC5322", "ISEMAIL_DEPREC",         "ISEMAIL_CFWS",
    };
    size_t i, k;

    (void)state;
    for (i = 0; i < n_cases; i++) {
        for (k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strcmp(cases[i].category, known[k]) == 0)
                break;
        if (k == sizeof known / sizeof known[0])
            fail_msg("test %d has an unknown category \"%s\"", cases[i].id, cases[i].category);
    }
    printf("# exceptions to the policy: %zu (test 5, test@io)\n",
           sizeof exceptions / sizeof exceptions[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_rejected),     cmocka_unit_test(test_valid_accepted),
        cmocka_unit_test(test_dnswarn_accepted), cmocka_unit_test(test_rfc5321_rejected),
        cmocka_unit_test(test_rfc5322_rejected), cmocka_unit_test(test_deprecated_rejected),
        cmocka_unit_test(test_cfws_policy),      cmocka_unit_test(test_every_case_checked),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
