/*
 * Survivorship: which value a field keeps when an incoming row meets an existing record, and
 * the per-field provenance to store. Pure functions; values are never copied (results point at
 * the caller's values).
 *
 * Rules for one field, in order:
 *   1. a non-empty value beats an empty one (empty: NULL or zero length; normalizers turn blank
 *      cells into empty values);
 *   2. between two non-empty values the more trusted source wins (higher trust rank);
 *   3. on equal trust the newer observation wins (higher observed_at);
 *   4. on equal trust and time the existing value stays (stable: re-importing a row changes
 *      nothing).
 * When the winner carries the value the record already has, the value is unchanged; its
 * provenance moves to the incoming source only if that source is strictly more trusted (a
 * trusted source confirming a value should protect it), so re-importing the same file never
 * rewrites provenance either.
 */
#ifndef PROSPECT_CORE_MERGE_H
#define PROSPECT_CORE_MERGE_H

#include "util/error.h"
#include "util/json.h"
#include "util/str.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct merge_provenance {
    const char *source;  /* source name (config), NULL when unknown */
    int trust;           /* the source's trust rank from config; higher is more trusted */
    int64_t observed_at; /* when the source observed the value, epoch ms */
};

struct merge_value {
    struct str value; /* empty when value.ptr is NULL or value.len is 0 */
    struct merge_provenance provenance;
};

enum merge_outcome {
    MERGE_KEPT,      /* the existing value and provenance stay */
    MERGE_CONFIRMED, /* same value, provenance moved to a more trusted source */
    MERGE_FILLED,    /* an empty field got the incoming value */
    MERGE_UPDATED,   /* a different incoming value replaced the existing one */
};

/* Applies the rules above to one field and writes the survivor into *out (which may be
 * `existing` itself, to merge in place); out->value points at the winning input's bytes.
 * Returns what happened. Never fails. */
enum merge_outcome merge_field(const struct merge_value *existing,
                               const struct merge_value *incoming, struct merge_value *out);

/* True when the outcome changes the stored value (FILLED or UPDATED). */
bool merge_outcome_changes_value(enum merge_outcome outcome);

/* Text form: "kept", "confirmed", "filled", "updated". */
const char *merge_outcome_name(enum merge_outcome outcome);

struct merge_summary {
    size_t n_filled;
    size_t n_updated;
    size_t n_confirmed;
    size_t n_kept;
    /* n_filled + n_updated: 0 means the row is a duplicate of the record, more means it was
     * merged into it. */
    size_t n_changed;
    bool provenance_changed; /* some field's provenance differs from the existing one */
};

/* Merges a record of `n_fields` fields: existing[i] and incoming[i] are field names[i] (names
 * must be distinct, e.g. lead_field_name()). Writes the survivors into out[i] and each field's
 * outcome into outcomes[i] (may be NULL), fills *summary, and appends to `provenance_json` the
 * provenance to store: a JSON object {"<name>": {"source": "<source>", "at": <ms>}, ...} with one
 * member per field whose surviving value is non-empty and whose source is known, in field
 * order. PR_INVALID when the JSON would exceed the buffer's maximum (the buffer is then left as
 * it was; out, outcomes and summary are still filled). */
enum pr_code merge_record(const char *const *names, const struct merge_value *existing,
                          const struct merge_value *incoming, size_t n_fields,
                          struct merge_value *out, enum merge_outcome *outcomes,
                          struct merge_summary *summary, struct buf *provenance_json,
                          struct pr_error *err);

/* Reads the provenance of field `name` from a stored provenance object (as merge_record wrote
 * it): out->source points into `provenance` and lives as long as it does, out->observed_at is
 * "at", out->trust is set to 0 (the caller maps the source name to its configured trust).
 * PR_NOT_FOUND when the object has no member `name` (or `provenance` is not an object);
 * PR_INVALID (the message or the detail names the field) when the member is not {"source": string,
 * "at": integer >= 0}. */
enum pr_code merge_provenance_get(const json_t *provenance, const char *name,
                                  struct merge_provenance *out, struct pr_error *err);

#endif
