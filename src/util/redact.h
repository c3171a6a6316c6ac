/*
 * Redaction of secrets and personal data from free text (log messages, field values, request
 * logs). Hand-written scanner rather than regular expressions: it runs on every log line, must
 * be linear-time on hostile input, and the patterns are few. Replacements:
 *   e-mail addresses                         -> [email]
 *   phone numbers (7+ digits, with + ( ) - . space separators) -> [phone]
 *   "Bearer <token>" / "Basic <token>"       -> Bearer [redacted]
 *   Prospect API keys (prospect_...)         -> [api-key]
 *   well-known key shapes (sk_live_..., sk_test_..., whsec_..., xoxb-..., ghp_..., AKIA...) ->
 * [api-key] key=value / "key":"value" pairs whose key names a secret (password, passwd, pwd,
 * secret, token, api_key, apikey, access_key, authorization, ...)
 *                                            -> key=[redacted]
 *   each configured secret string            -> [secret]
 */
#ifndef PROSPECT_UTIL_REDACT_H
#define PROSPECT_UTIL_REDACT_H

#include "error.h"
#include "str.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends the redacted form of `text` (length `len`, need not be NUL-terminated) to `out`.
 * `secrets` are literal strings to remove (empty strings are ignored). Returns PR_OK, or
 * PR_INVALID when `out` would exceed its maximum size. */
enum pr_code redact_text(const char *text, size_t len, const char *const *secrets, size_t n_secrets,
                         struct buf *out);

/* True when a field or parameter named `key` holds a secret (case-insensitive, ignoring
 * '-' and '_': "Password", "api-key", "X_API_KEY", "authorization", "client_secret"...). */
bool redact_key_is_secret(const char *key);

#endif
