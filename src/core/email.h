/*
 * E-mail address syntax and the matching key. This is the minimal form the foundation needs
 * (user logins); the ingestion normalizer extends it with role and free-mail flags.
 */
#ifndef PROSPECT_CORE_EMAIL_H
#define PROSPECT_CORE_EMAIL_H

#include "util/error.h"

#include <stddef.h>

/* Trims white space, checks the syntax (one '@', a non-empty local part of at most 64 bytes,
 * a domain of dot-separated labels of letters, digits and '-', at most 254 bytes in all) and
 * writes the matching key (the whole address in lower case) into `out`. PR_INVALID with the
 * reason otherwise. */
enum pr_code email_normalize(const char *address, char *out, size_t out_size, struct pr_error *err);

#endif
