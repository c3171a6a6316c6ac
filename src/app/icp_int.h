/*
 * Private to the ICP loader: what icp.c (reading the file, the version, the public calls) and
 * icp_parse.c (the libcyaml schema, checking and building the struct icp) share. Nothing
 * outside src/app/icp*.c includes it; the public contract is icp.h.
 */
#ifndef PROSPECT_APP_ICP_INT_H
#define PROSPECT_APP_ICP_INT_H

#include "app/icp.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/yaml.h"

/* Most rules, keywords, states and values in one ICP, so scoring a lead stays cheap. */
#define ICP__MAX_TOTAL_ENTRIES 10000

/* The document as libcyaml fills it in, every scalar as a string. Opaque outside icp_parse.c. */
struct raw_icp;

/* The schema of an ICP file and the words of its messages, for yaml_load; its data is a
 * struct raw_icp. Defined in icp_parse.c; constant. */
extern const struct yaml_format icp__yaml_format;

/*
 * Checks `raw` and fills `icp` from it, every string and array in arena `a` (the caller's;
 * nothing else is allocated). `source` names the file in messages. On failure returns
 * PR_CONFIG with a message "<source>: <key>: ..." and a hint; `icp` is then partly filled and
 * only fit for freeing with the arena. Does not set icp->version.
 */
enum pr_code icp__build(const struct raw_icp *raw, const char *source, struct arena *a,
                        struct icp *icp, struct pr_error *err);

#endif
