/*
 * Parsers for what a request carries outside its body: integer query and path parameters
 * (`?limit=50`, `/v1/contacts/{id}`) and the bearer token of an Authorization header. Pure: no
 * I/O, no allocation, so the unit tests and the fuzz target (tests/fuzz/params_fuzz.c) drive
 * them directly.
 */
#ifndef PROSPECT_API_PARAMS_H
#define PROSPECT_API_PARAMS_H

#include "util/error.h"
#include "util/str.h"

#include <stdbool.h>
#include <stdint.h>

/* Parses `text` as a base-10 integer in [min, max]: ASCII digits only (no sign, space or
 * other byte, NUL included), not empty, no overflow. On failure PR_USAGE with the message
 * "NAME: expected an integer from MIN to MAX" (`name` is the parameter, e.g. "limit"); *out is
 * then unchanged. `min` must be >= 0. */
enum pr_code api_param_int(const char *name, struct str text, int64_t min, int64_t max,
                           int64_t *out, struct pr_error *err);

/* Finds the token of an `Authorization: Bearer <token>` header value (RFC 6750: the scheme
 * case-insensitive, one or more spaces, then a b64token: [A-Za-z0-9-._~+/]+ followed by any
 * '='s, and nothing else). False for NULL, another scheme or a malformed token; *token then
 * unset. The token is a view into `header`. */
bool api_bearer_token(const char *header, struct str *token);

#endif
