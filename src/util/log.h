/*
 * Structured logging as JSON lines, one object per line:
 *   {"ts":"2026-11-24T10:00:00.000Z","level":"info","id":"req-7f3a","msg":"...","k":"v",...}
 * `id` is the request or job id (omitted when NULL). Every message and every field value is
 * passed through redact_text() before it is written, and values of fields whose key names a
 * secret (password, token, api_key, authorization, secret, ...) are replaced by "[redacted]"
 * whatever they contain. Logs therefore never carry secrets or raw PII.
 *
 * A logger writes whole lines with a single write(2) so lines from several threads never
 * interleave. The logger owns a copy of the configured secret strings.
 */
#ifndef PROSPECT_UTIL_LOG_H
#define PROSPECT_UTIL_LOG_H

#include "clock.h"
#include "error.h"

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

struct logger;

/* Creates a logger writing to file descriptor `fd` (not closed by the logger), dropping lines
 * below `min_level`. `secrets` (may be NULL when n_secrets is 0) are extra literal strings to
 * redact wherever they appear; they are copied. `clock` stamps the lines. */
struct logger *logger_new(int fd, enum log_level min_level, struct clock *clock,
                          const char *const *secrets, size_t n_secrets);
void logger_free(struct logger *lg);

/* Parses "debug" | "info" | "warn" | "error". Returns PR_OK or PR_INVALID. */
enum pr_code log_level_parse(const char *text, enum log_level *out);
const char *log_level_name(enum log_level level);

/* Writes one line. After `msg` come key/value pairs of C strings, terminated by a single NULL:
 *   log_event(lg, LOG_INFO, "req-1", "key created", "tenant", "3", "name", "ci", NULL);
 * A NULL value is written as JSON null; because NULL is also the terminator, a pair whose value
 * is NULL must still be followed by the terminating NULL ("k", NULL, NULL). Values of
 * secret-named keys are "[redacted]" even when NULL; `id` is escaped but not redacted. Never
 * fails; write errors are ignored. */
void log_event(struct logger *lg, enum log_level level, const char *id, const char *msg, ...)
    __attribute__((sentinel));

/* Logs a struct pr_error at `level`: message, code slug, detail and hint as fields. */
void log_error(struct logger *lg, enum log_level level, const char *id, const struct pr_error *err);

#endif
