/*
 * Loading the ICP file, in three steps:
 *
 * 1. util/yaml.c reads the document with libcyaml against the schema in icp_parse.c, in
 *    which every scalar is a string; libcyaml's own messages (unknown keys, a list where a
 *    value belongs, YAML syntax) become one message naming the file and the key path.
 * 2. icp_parse.c checks the raw strings and copies them into a `struct icp` whose memory is
 *    one arena (icp_free frees it at once).
 * 3. This file computes the version: SHA-256 of a canonical text of the scoring rules
 *    (length-prefixed strings, fixed order), so that comments and formatting do not change it.
 *
 * The loader needs only util/ and core/, which is why the unit test and the fuzz target can
 * compile icp.c and icp_parse.c on their own, without the store.
 */
#include "app/icp.h"

#include "app/icp_int.h"
#include "util/arena.h"
#include "util/crypto.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/yaml.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ICP_TEXT_SOURCE "(text)"

/* ==== step 3: the version ==== */

static void canon_text(struct buf *b, const char *s)
{
    (void)buf_printf(b, " %zu:%s", strlen(s), s); /* length-prefixed: no separator to escape */
}

static void canon_ranges(struct buf *b, const char *factor, const struct icp_ranges *f)
{
    if (!f->is_enabled)
        return;
    (void)buf_printf(b, "\n%s %d", factor, f->max_points);
    for (size_t i = 0; i < f->n_rules; i++)
        (void)buf_printf(b, "\nrange %lld %lld %d", f->rules[i].min, f->rules[i].max,
                         f->rules[i].points);
}

static void canon_keywords(struct buf *b, const char *what, const struct icp_keyword_rule *rules,
                           size_t n)
{
    for (size_t i = 0; i < n; i++) {
        (void)buf_printf(b, "\n%s %d %zu", what, rules[i].points, rules[i].n_keywords);
        for (size_t k = 0; k < rules[i].n_keywords; k++)
            canon_text(b, rules[i].keywords[k]);
    }
}

static void canon_list(struct buf *b, const char *factor, const struct icp_list *f)
{
    if (!f->is_enabled)
        return;
    (void)buf_printf(b, "\n%s %d %d %zu", factor, f->max_points, f->points_per_match, f->n_values);
    for (size_t i = 0; i < f->n_values; i++)
        canon_text(b, f->values[i]);
}

/* The scoring rules as one text in a fixed order; equal rules give equal texts. */
static enum pr_code icp_version(struct arena *a, struct icp *icp, struct pr_error *err)
{
    struct buf b;
    char hex[65];
    enum pr_code rc = PR_OK;

    /* Bounded by ICP__MAX_TOTAL_ENTRIES entries of at most ICP_MAX_TEXT bytes, plus numbers. */
    buf_init(&b, (size_t)ICP__MAX_TOTAL_ENTRIES * (ICP_MAX_TEXT + 64) + 4096);
    (void)buf_puts(&b, "prospect-icp 1");
    if (icp->industry.is_enabled) {
        (void)buf_printf(&b, "\nindustry %d", icp->industry.max_points);
        for (size_t i = 0; i < icp->industry.n_rules; i++) {
            (void)buf_printf(&b, "\nrule %d %d", (int)icp->industry.rules[i].kind,
                             icp->industry.rules[i].points);
            canon_text(&b, icp->industry.rules[i].value);
        }
    }
    canon_ranges(&b, "employees", &icp->employees);
    canon_ranges(&b, "revenue_usd", &icp->revenue_usd);
    if (icp->title.is_enabled) {
        (void)buf_printf(&b, "\ntitle %d", icp->title.max_points);
        canon_keywords(&b, "seniority", icp->title.seniority, icp->title.n_seniority);
        canon_keywords(&b, "department", icp->title.department, icp->title.n_department);
    }
    if (icp->geography.is_enabled) {
        (void)buf_printf(&b, "\ngeography %d", icp->geography.max_points);
        for (size_t i = 0; i < icp->geography.n_rules; i++) {
            const struct icp_geo_rule *g = &icp->geography.rules[i];

            (void)buf_printf(&b, "\nrule %d %zu", g->points, g->n_states);
            canon_text(&b, g->country != NULL ? g->country : "*");
            for (size_t s = 0; s < g->n_states; s++)
                canon_text(&b, g->states[s]);
        }
    }
    canon_list(&b, "technologies", &icp->technologies);
    canon_list(&b, "intent_topics", &icp->intent_topics);
    if (b.len >= b.max) { /* cannot happen within the limits; never hash a cut text */
        rc = pr_error_set(err, PR_INTERNAL, "the ICP is too large to fingerprint");
        goto out;
    }
    crypto_sha256_hex(b.ptr, b.len, hex, sizeof hex);
    icp->version = arena_strndup(a, hex, 16);
out:
    buf_free(&b);
    return rc;
}

/* ==== public ==== */

/* The ICP and the arena that holds it, so icp_free can find the arena. */
struct icp_owned {
    struct icp icp;
    struct arena *arena;
};

enum pr_code icp_parse_text(const char *yaml, size_t len, const char *source_name, struct icp **out,
                            struct pr_error *err)
{
    const char *source = source_name != NULL ? source_name : ICP_TEXT_SOURCE;
    struct yaml_doc *doc = NULL;
    const struct raw_icp *raw;
    struct arena *a = NULL;
    struct icp_owned *owned;
    enum pr_code rc;

    assert(out != NULL && err != NULL);
    pr_error_clear(err);
    *out = NULL;
    if (yaml == NULL)
        len = 0;
    if (len > ICP_MAX_BYTES) {
        rc = pr_error_set(err, PR_CONFIG, "%s: file is larger than 1 MiB (%zu bytes)", source, len);
        pr_error_hint(err, "an ICP file this large is a mistake; check %s", source);
        goto out;
    }
    rc = crypto_init(err);
    if (rc != PR_OK)
        goto out;
    if (len == 0 || yaml_is_blank_document(yaml, len)) {
        rc = pr_error_set(err, PR_CONFIG,
                          "%s: expected at least one factor (industry, employees, revenue_usd, "
                          "title, geography, technologies, intent_topics), got an empty file",
                          source);
        pr_error_hint(err, "start from data/icp.example.yaml; see docs/icp.md");
        goto out;
    }

    rc = yaml_load(yaml, len, source, &icp__yaml_format, &doc, err);
    if (rc != PR_OK)
        goto out;
    raw = yaml_doc_data(doc);
    if (raw == NULL) { /* blank documents are caught above; be safe anyway */
        rc = pr_error_set(err, PR_CONFIG, "%s: expected a mapping of factors, got nothing", source);
        pr_error_hint(err, "start from data/icp.example.yaml; see docs/icp.md");
        goto out;
    }

    a = arena_new(0);
    owned = arena_calloc(a, 1, sizeof *owned);
    owned->arena = a;
    rc = icp__build(raw, source, a, &owned->icp, err);
    if (rc == PR_OK)
        rc = icp_version(a, &owned->icp, err);
    if (rc == PR_OK) {
        struct pr_error check;

        /* The loader's checks imply core's; a failure here is a bug in one of them. */
        if (score_icp_check(&owned->icp, &check) != PR_OK) {
            rc = pr_error_set(err, PR_INTERNAL, "%s: the loaded ICP fails the scoring check",
                              source);
            pr_error_detail(err, "%s", check.message);
            goto out;
        }
        *out = &owned->icp;
        a = NULL;
    }
out:
    yaml_doc_free(doc);
    arena_free(a);
    return rc;
}

enum pr_code icp_load(const char *path, struct icp **out, struct pr_error *err)
{
    struct buf content;
    enum pr_code rc;

    assert(path != NULL && out != NULL && err != NULL);
    pr_error_clear(err);
    *out = NULL;
    buf_init(&content, ICP_MAX_BYTES);
    rc = yaml_read_file(path, "ICP file", &content, err);
    if (rc == PR_OK)
        rc = icp_parse_text(buf_cstr(&content), content.len, path, out, err);
    buf_free(&content);
    return rc;
}

void icp_free(struct icp *icp)
{
    struct icp_owned *owned;

    if (icp == NULL)
        return;
    owned = (struct icp_owned *)(void *)((char *)icp - offsetof(struct icp_owned, icp));
    arena_free(owned->arena);
}
