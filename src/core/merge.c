/* Survivorship rules and provenance JSON. */
#include "core/merge.h"

#include <inttypes.h>
#include <string.h>

static bool is_empty(const struct merge_value *v)
{
    return v->value.ptr == NULL || v->value.len == 0;
}

/* True when the incoming (non-empty) value outranks the existing (non-empty) one. */
static bool incoming_wins(const struct merge_provenance *existing,
                          const struct merge_provenance *incoming)
{
    if (incoming->trust != existing->trust)
        return incoming->trust > existing->trust;
    return incoming->observed_at > existing->observed_at;
}

static bool same_source(const struct merge_provenance *a, const struct merge_provenance *b)
{
    if (a->source == NULL || b->source == NULL)
        return a->source == b->source;
    return strcmp(a->source, b->source) == 0;
}

enum merge_outcome merge_field(const struct merge_value *existing,
                               const struct merge_value *incoming, struct merge_value *out)
{
    struct merge_value result = *existing;
    enum merge_outcome outcome = MERGE_KEPT;

    if (is_empty(incoming)) {
        /* rule 1: an empty incoming value never replaces anything */
    } else if (is_empty(existing)) {
        result = *incoming;
        outcome = MERGE_FILLED;
    } else if (str_eq(existing->value, incoming->value)) {
        if (incoming->provenance.trust > existing->provenance.trust) {
            result.provenance = incoming->provenance;
            outcome = MERGE_CONFIRMED;
        }
    } else if (incoming_wins(&existing->provenance, &incoming->provenance)) {
        result = *incoming;
        outcome = MERGE_UPDATED;
    }
    *out = result;
    return outcome;
}

bool merge_outcome_changes_value(enum merge_outcome outcome)
{
    return outcome == MERGE_FILLED || outcome == MERGE_UPDATED;
}

const char *merge_outcome_name(enum merge_outcome outcome)
{
    switch (outcome) {
    case MERGE_KEPT:
        return "kept";
    case MERGE_CONFIRMED:
        return "confirmed";
    case MERGE_FILLED:
        return "filled";
    case MERGE_UPDATED:
        return "updated";
    }
    return "kept";
}

static enum pr_code append_provenance(struct buf *b, const char *name,
                                      const struct merge_provenance *p, bool first)
{
    enum pr_code rc;

    rc = buf_puts(b, first ? "" : ",");
    if (rc == PR_OK)
        rc = json_append_string(b, name, strlen(name));
    if (rc == PR_OK)
        rc = buf_puts(b, ":{\"source\":");
    if (rc == PR_OK)
        rc = json_append_string(b, p->source, strlen(p->source));
    if (rc == PR_OK)
        rc = buf_printf(b, ",\"at\":%" PRId64 "}", p->observed_at);
    return rc;
}

enum pr_code merge_record(const char *const *names, const struct merge_value *existing,
                          const struct merge_value *incoming, size_t n_fields,
                          struct merge_value *out, enum merge_outcome *outcomes,
                          struct merge_summary *summary, struct buf *provenance_json,
                          struct pr_error *err)
{
    size_t i, saved_len = provenance_json->len;
    bool first = true;
    enum pr_code rc;

    memset(summary, 0, sizeof *summary);
    for (i = 0; i < n_fields; i++) {
        struct merge_value before = existing[i], result;
        enum merge_outcome outcome = merge_field(&existing[i], &incoming[i], &result);

        switch (outcome) {
        case MERGE_KEPT:
            summary->n_kept++;
            break;
        case MERGE_CONFIRMED:
            summary->n_confirmed++;
            break;
        case MERGE_FILLED:
            summary->n_filled++;
            break;
        case MERGE_UPDATED:
            summary->n_updated++;
            break;
        }
        if (outcome != MERGE_KEPT &&
            (!same_source(&before.provenance, &result.provenance) ||
             before.provenance.observed_at != result.provenance.observed_at))
            summary->provenance_changed = true;
        out[i] = result;
        if (outcomes != NULL)
            outcomes[i] = outcome;
    }
    summary->n_changed = summary->n_filled + summary->n_updated;

    rc = buf_putc(provenance_json, '{');
    for (i = 0; rc == PR_OK && i < n_fields; i++) {
        if (is_empty(&out[i]) || out[i].provenance.source == NULL)
            continue;
        rc = append_provenance(provenance_json, names[i], &out[i].provenance, first);
        first = false;
    }
    if (rc == PR_OK)
        rc = buf_putc(provenance_json, '}');
    if (rc != PR_OK) {
        provenance_json->len = saved_len;
        if (provenance_json->ptr != NULL)
            provenance_json->ptr[saved_len] = '\0';
        return pr_error_set(err, PR_INVALID, "provenance of %zu fields exceeds %zu bytes", n_fields,
                            provenance_json->max);
    }
    return PR_OK;
}

enum pr_code merge_provenance_get(const json_t *provenance, const char *name,
                                  struct merge_provenance *out, struct pr_error *err)
{
    const json_t *member;
    const char *source = NULL;
    int64_t at = 0;
    enum pr_code rc;

    memset(out, 0, sizeof *out);
    if (!json_is_object(provenance))
        return pr_error_set(err, PR_NOT_FOUND, "no provenance for \"%.60s\"", name);
    member = json_object_get(provenance, name);
    if (member == NULL)
        return pr_error_set(err, PR_NOT_FOUND, "no provenance for \"%.60s\"", name);
    if (!json_is_object(member))
        return pr_error_set(err, PR_INVALID, "provenance of \"%.60s\" must be an object", name);
    rc = json_get_string(member, "source", true, &source, err);
    if (rc == PR_OK)
        rc = json_get_int(member, "at", true, 0, INT64_MAX, &at, err);
    if (rc != PR_OK)
        return pr_error_detail(err, "in the provenance of \"%.60s\"", name);
    out->source = source;
    out->observed_at = at;
    return PR_OK;
}
