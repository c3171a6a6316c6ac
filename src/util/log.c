/*
 * JSON-lines logger. A line is assembled in memory and written with one write(2) (looping
 * only on a partial write or EINTR), so lines from several threads do not interleave as long
 * as the fd writes them whole (regular files opened with O_APPEND, pipes for lines up to
 * PIPE_BUF). The logger is immutable after logger_new(): every call works on its own stack and
 * heap, so it is safe from any thread without a lock.
 *
 * Each message and value is redacted (redact_text with the logger's secrets) and then escaped
 * (json_append_string, which also turns invalid UTF-8 into U+FFFD); values of keys that name a
 * secret are replaced by "[redacted]" unread (also when NULL). The id is escaped but not
 * redacted: it is a request or job id that Prospect generates, and must stay greppable.
 * Redaction runs on the whole text before any truncation, so cutting a line short can never
 * split a secret or an address and let part of it through.
 *
 * Size cap: a line is at most LOG_LINE_MAX bytes, newline included. When the texts do not fit,
 * they share the room left by the fixed parts: short texts are kept whole and the longer ones
 * are cut to an equal share, between escape sequences and UTF-8 characters so the line stays
 * valid JSON, and the line gets "truncated":true. Keys and the id are cut at LOG_NAME_MAX
 * bytes and pairs past LOG_FIELDS_MAX are dropped (also flagged), which keeps the fixed parts
 * well under the cap.
 *
 * Field names that would collide with the fixed ones (ts, level, id, msg, truncated) are
 * written with a leading '_' so every line stays an object without duplicate keys.
 */
#include "log.h"

#include "json.h"
#include "mem.h"
#include "redact.h"
#include "str.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define LOG_LINE_MAX   16384 /* bytes per line, newline included */
#define LOG_FIELDS_MAX 64    /* key/value pairs per line; more are dropped */
#define LOG_NAME_MAX   128   /* escaped bytes of a key or of the id */

static const char log_truncated_flag[] = ",\"truncated\":true";
static const char log_redacted_literal[] = "\"[redacted]\"";

struct logger {
    int fd;
    enum log_level min_level;
    struct clock *clock;
    char **secrets;
    size_t n_secrets;
};

enum log_value_kind { LOG_VALUE_NULL, LOG_VALUE_REDACTED, LOG_VALUE_TEXT };

struct log_field {
    struct buf key; /* escaped key, quotes included */
    enum log_value_kind kind;
    struct buf value; /* escaped and redacted text, quotes included (LOG_VALUE_TEXT) */
    size_t value_cap; /* content bytes of `value` that fit; SIZE_MAX while unassigned */
};

static const char *const log_level_names[] = {
    [LOG_DEBUG] = "debug",
    [LOG_INFO] = "info",
    [LOG_WARN] = "warn",
    [LOG_ERROR] = "error",
};

struct logger *logger_new(int fd, enum log_level min_level, struct clock *clock,
                          const char *const *secrets, size_t n_secrets)
{
    struct logger *lg = xmalloc(sizeof *lg);
    size_t i;

    assert(secrets != NULL || n_secrets == 0);
    lg->fd = fd;
    lg->min_level = min_level;
    lg->clock = clock != NULL ? clock : clock_real();
    lg->secrets = n_secrets > 0 ? xcalloc(n_secrets, sizeof *lg->secrets) : NULL;
    lg->n_secrets = 0;
    for (i = 0; i < n_secrets; i++) {
        if (secrets[i] != NULL && secrets[i][0] != '\0')
            lg->secrets[lg->n_secrets++] = xstrdup(secrets[i]);
    }
    return lg;
}

void logger_free(struct logger *lg)
{
    size_t i;

    if (lg == NULL)
        return;
    for (i = 0; i < lg->n_secrets; i++) {
        explicit_bzero(lg->secrets[i], strlen(lg->secrets[i]));
        xfree(lg->secrets[i]);
    }
    xfree(lg->secrets);
    xfree(lg);
}

enum pr_code log_level_parse(const char *text, enum log_level *out)
{
    size_t i;

    if (text == NULL)
        return PR_INVALID;
    for (i = 0; i < sizeof log_level_names / sizeof log_level_names[0]; i++) {
        if (strcasecmp(text, log_level_names[i]) == 0) {
            *out = (enum log_level)i;
            return PR_OK;
        }
    }
    return PR_INVALID;
}

const char *log_level_name(enum log_level level)
{
    if ((unsigned)level >= sizeof log_level_names / sizeof log_level_names[0])
        return "unknown";
    return log_level_names[level];
}

/* Content bytes of the literal `lit` ("..."), at most `cap`, that end on a boundary between
 * escape sequences and UTF-8 characters. The literal comes from json_append_string, so it is
 * valid UTF-8 and every backslash starts an escape. */
static size_t log_literal_cut(const struct buf *lit, size_t cap)
{
    const unsigned char *p = (const unsigned char *)lit->ptr + 1;
    size_t content_len = lit->len - 2, i = 0;

    while (i < content_len) {
        size_t step = 1;

        if (p[i] == '\\')
            step = i + 1 < content_len && p[i + 1] == 'u' ? 6 : 2;
        else if (p[i] >= 0xF0)
            step = 4;
        else if (p[i] >= 0xE0)
            step = 3;
        else if (p[i] >= 0xC0)
            step = 2;
        if (i + step > cap)
            break;
        i += step;
    }
    return i;
}

/* Shortens the literal `lit` to at most `cap` content bytes; returns true if it was cut. */
static bool log_literal_truncate(struct buf *lit, size_t cap)
{
    size_t cut;

    if (lit->len - 2 <= cap)
        return false;
    cut = log_literal_cut(lit, cap);
    lit->len = 1 + cut;
    lit->ptr[lit->len] = '\0';
    (void)buf_putc(lit, '"'); /* fits: the buffer held more than this */
    return true;
}

/* Escapes `text` as a literal into `out` (initialized here). Never fails for valid input:
 * the maximum is the worst case of escaping, six bytes per input byte. */
static void log_escape(const char *text, size_t len, struct buf *out)
{
    buf_init(out, len * 6 + 2);
    if (json_append_string(out, text, len) != PR_OK) {
        buf_reset(out);
        (void)buf_puts(out, "\"\"");
    }
}

/* Redacts then escapes `text` into `out` (initialized here). */
static void log_text_literal(const struct logger *lg, const char *text, struct buf *out)
{
    struct buf redacted;
    size_t len = strlen(text);

    /* A placeholder is at most 10 bytes and replaces at least one, so 10 * len always fits;
     * the buffer only grows as far as the output needs. */
    buf_init(&redacted, len < (SIZE_MAX - 16) / 10 ? len * 10 + 16 : SIZE_MAX - 1);
    if (redact_text(text, len, (const char *const *)lg->secrets, lg->n_secrets, &redacted) !=
        PR_OK) {
        buf_reset(&redacted);
        (void)buf_puts(&redacted, "[unloggable]");
    }
    log_escape(buf_cstr(&redacted), redacted.len, out);
    buf_free(&redacted);
}

/* Escaped key for `key`, renamed when it collides with a fixed field. */
static bool log_key_literal(const char *key, struct buf *out)
{
    static const char *const reserved[] = {"ts", "level", "id", "msg", "truncated"};
    char renamed[16];
    size_t i;

    for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        if (strcmp(key, reserved[i]) == 0) {
            int n = snprintf(renamed, sizeof renamed, "_%s", key);

            if (n > 0 && (size_t)n < sizeof renamed)
                key = renamed;
            break;
        }
    }
    log_escape(key, strlen(key), out);
    return log_literal_truncate(out, LOG_NAME_MAX);
}

/* Gives every text value a cap so that the caps add up to at most `budget`: values shorter
 * than an equal share keep their length, the rest share what remains equally. */
static void log_share_budget(struct log_field *fields, size_t n_fields, size_t budget)
{
    size_t n_open = 0, i, share;
    bool progress = true;

    for (i = 0; i < n_fields; i++) {
        if (fields[i].kind == LOG_VALUE_TEXT) {
            fields[i].value_cap = SIZE_MAX;
            n_open++;
        }
    }
    while (n_open > 0 && progress) {
        progress = false;
        share = budget / n_open;
        for (i = 0; i < n_fields; i++) {
            size_t content_len = fields[i].value.len - 2;

            if (fields[i].kind != LOG_VALUE_TEXT || fields[i].value_cap != SIZE_MAX ||
                content_len > share)
                continue;
            fields[i].value_cap = content_len;
            budget -= content_len;
            n_open--;
            progress = true;
        }
    }
    if (n_open == 0)
        return;
    share = budget / n_open;
    for (i = 0; i < n_fields; i++) {
        if (fields[i].kind == LOG_VALUE_TEXT && fields[i].value_cap == SIZE_MAX)
            fields[i].value_cap = share;
    }
}

static void log_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the contract: write errors are ignored */
        data += n;
        len -= (size_t)n;
    }
}

/* Builds and writes one line. fields[0] is the message. */
static void log_emit(struct logger *lg, enum log_level level, const char *id,
                     struct log_field *fields, size_t n_fields, bool is_truncated)
{
    struct buf head, line;
    char ts[64];
    size_t overhead, content_len = 0, i;
    enum pr_code rc;

    /* The fixed head: ts, level and id. */
    buf_init(&head, LOG_LINE_MAX);
    buf_init(&line, LOG_LINE_MAX);
    clock_format_iso8601(clock_now_ms(lg->clock), ts, sizeof ts);
    rc = buf_puts(&head, "{\"ts\":");
    if (rc == PR_OK)
        rc = json_append_string(&head, ts, strlen(ts));
    if (rc == PR_OK)
        rc = buf_puts(&head, ",\"level\":");
    if (rc == PR_OK)
        rc = json_append_string(&head, log_level_name(level), strlen(log_level_name(level)));
    if (rc == PR_OK && id != NULL) {
        struct buf id_literal;

        log_escape(id, strlen(id), &id_literal);
        if (log_literal_truncate(&id_literal, LOG_NAME_MAX))
            is_truncated = true;
        rc = buf_puts(&head, ",\"id\":");
        if (rc == PR_OK)
            rc = buf_append(&head, id_literal.ptr, id_literal.len);
        buf_free(&id_literal);
    }
    if (rc != PR_OK)
        goto out;

    /* What the line needs besides the text contents: head, keys, punctuation, "}\n". */
    overhead = head.len + 2;
    for (i = 0; i < n_fields; i++) {
        overhead += 2 + fields[i].key.len;
        if (fields[i].kind == LOG_VALUE_NULL) {
            overhead += 4;
        } else if (fields[i].kind == LOG_VALUE_REDACTED) {
            overhead += sizeof log_redacted_literal - 1;
        } else {
            overhead += 2;
            content_len += fields[i].value.len - 2;
            fields[i].value_cap = fields[i].value.len - 2;
        }
    }
    if (is_truncated || overhead + content_len > LOG_LINE_MAX) {
        overhead += sizeof log_truncated_flag - 1;
        /* Keys and id are capped and pairs counted, so the fixed parts always fit. */
        assert(overhead < LOG_LINE_MAX);
        if (overhead + content_len > LOG_LINE_MAX) {
            log_share_budget(fields, n_fields, LOG_LINE_MAX - overhead);
            is_truncated = true;
        }
    }

    rc = buf_append(&line, head.ptr, head.len);
    for (i = 0; rc == PR_OK && i < n_fields; i++) {
        struct log_field *f = &fields[i];

        rc = buf_putc(&line, ',');
        if (rc == PR_OK)
            rc = buf_append(&line, f->key.ptr, f->key.len);
        if (rc == PR_OK)
            rc = buf_putc(&line, ':');
        if (rc != PR_OK)
            break;
        if (f->kind == LOG_VALUE_NULL) {
            rc = buf_puts(&line, "null");
        } else if (f->kind == LOG_VALUE_REDACTED) {
            rc = buf_puts(&line, log_redacted_literal);
        } else {
            (void)log_literal_truncate(&f->value, f->value_cap);
            rc = buf_append(&line, f->value.ptr, f->value.len);
        }
    }
    if (rc == PR_OK && is_truncated)
        rc = buf_puts(&line, log_truncated_flag);
    if (rc == PR_OK)
        rc = buf_puts(&line, "}\n");
    assert(rc == PR_OK);
    if (rc == PR_OK)
        log_write_all(lg->fd, line.ptr, line.len);
out:
    buf_free(&line);
    buf_free(&head);
}

/* Redacts, escapes, caps and writes msg plus `n_pairs` pairs. */
static void log_pairs(struct logger *lg, enum log_level level, const char *id, const char *msg,
                      const char *const *keys, const char *const *values, size_t n_pairs,
                      bool is_truncated)
{
    struct log_field fields[1 + LOG_FIELDS_MAX];
    size_t n_fields = 0, i;
    int saved_errno = errno;

    assert(n_pairs <= LOG_FIELDS_MAX);
    log_escape("msg", 3, &fields[0].key);
    fields[0].kind = LOG_VALUE_TEXT;
    log_text_literal(lg, msg != NULL ? msg : "", &fields[0].value);
    n_fields = 1;
    for (i = 0; i < n_pairs; i++) {
        struct log_field *f = &fields[n_fields++];

        if (log_key_literal(keys[i], &f->key))
            is_truncated = true;
        buf_init(&f->value, 0);
        if (redact_key_is_secret(keys[i])) {
            f->kind = LOG_VALUE_REDACTED;
        } else if (values[i] == NULL) {
            f->kind = LOG_VALUE_NULL;
        } else {
            f->kind = LOG_VALUE_TEXT;
            buf_free(&f->value);
            log_text_literal(lg, values[i], &f->value);
        }
    }
    log_emit(lg, level, id, fields, n_fields, is_truncated);
    for (i = 0; i < n_fields; i++) {
        buf_free(&fields[i].key);
        buf_free(&fields[i].value);
    }
    errno = saved_errno; /* logging must not disturb a caller about to report errno */
}

static bool log_enabled(const struct logger *lg, enum log_level level)
{
    return lg != NULL && level >= lg->min_level;
}

void log_event(struct logger *lg, enum log_level level, const char *id, const char *msg, ...)
{
    const char *keys[LOG_FIELDS_MAX];
    const char *values[LOG_FIELDS_MAX];
    size_t n_pairs = 0;
    bool is_dropped = false;
    va_list ap;

    if (!log_enabled(lg, level))
        return;
    /* Pairs are read key first: a NULL key ends the list, a NULL value is JSON null. */
    va_start(ap, msg);
    for (;;) {
        const char *key = va_arg(ap, const char *);
        const char *value;

        if (key == NULL)
            break;
        value = va_arg(ap, const char *);
        if (n_pairs == LOG_FIELDS_MAX) {
            is_dropped = true;
            continue;
        }
        keys[n_pairs] = key;
        values[n_pairs] = value;
        n_pairs++;
    }
    va_end(ap);
    log_pairs(lg, level, id, msg, keys, values, n_pairs, is_dropped);
}

void log_error(struct logger *lg, enum log_level level, const char *id, const struct pr_error *err)
{
    const char *keys[3];
    const char *values[3];
    size_t n_pairs = 0;

    if (!log_enabled(lg, level) || err == NULL)
        return;
    keys[n_pairs] = "code";
    values[n_pairs++] = pr_code_slug(err->code);
    if (err->detail[0] != '\0') {
        keys[n_pairs] = "detail";
        values[n_pairs++] = err->detail;
    }
    if (err->hint[0] != '\0') {
        keys[n_pairs] = "hint";
        values[n_pairs++] = err->hint;
    }
    log_pairs(lg, level, id, err->message, keys, values, n_pairs, false);
}
