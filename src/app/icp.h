/*
 * The ideal customer profile (ICP): one YAML file, the single source of truth for how leads are
 * scored (the weights of industry, employees, revenue, title, geography, technologies and
 * intent topics). This module reads and validates it into the plain `struct icp` that
 * core/score.h scores with. docs/icp.md describes the format; data/icp.example.yaml is a
 * commented example.
 *
 * The loader refuses, with a message naming the file and the key, anything it cannot score
 * exactly: factors whose max_points add up to more than 100 (so the breakdown always adds up to
 * the score without clamping), a rule worth more than its factor's max_points, a range whose min
 * is above its max, unknown keys, wrong types, duplicate rules, an empty file. Messages read
 *   icp.yaml: employees.ranges[1].max: expected an integer from 500 (its min) to 100000000,
 *   got "200"
 * with a hint; list indices count from 0.
 *
 * `icp->version` is the first 16 hex digits of the SHA-256 of a canonical form of the scoring
 * rules, so score history can say which ICP produced a score. Comments, formatting, key order,
 * quoting and `name` do not change it; any change to a factor or rule does.
 */
#ifndef PROSPECT_APP_ICP_H
#define PROSPECT_APP_ICP_H

#include "core/score.h"
#include "util/error.h"

#include <stddef.h>

/* Files larger than this are refused before they are read in full. */
#define ICP_MAX_BYTES (1024 * 1024)

/* Most entries in any one list (rules, keywords, states, values) and most bytes in one text. */
#define ICP_MAX_ENTRIES 1000
#define ICP_MAX_TEXT    100

/*
 * Parses and validates `len` bytes of YAML. `source_name` names the text in messages ("(text)"
 * when NULL). On success *out is owned by the caller (icp_free) and every string in it lives as
 * long as it. On failure returns PR_CONFIG with a message and a hint (libcyaml's own words,
 * when it has any, in err->detail) and sets *out to NULL; PR_INTERNAL if the crypto library
 * cannot start, or if a loaded ICP failed core's score_icp_check (a bug: the loader's checks
 * imply core's).
 */
enum pr_code icp_parse_text(const char *yaml, size_t len, const char *source_name, struct icp **out,
                            struct pr_error *err);

/* Reads `path` (at most ICP_MAX_BYTES) and parses it as icp_parse_text, naming `path` in
 * messages. PR_IO when the file cannot be opened or read. */
enum pr_code icp_load(const char *path, struct icp **out, struct pr_error *err);

/* Frees an ICP from icp_parse_text or icp_load. NULL is a no-op. */
void icp_free(struct icp *icp);

#endif
