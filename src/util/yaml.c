/*
 * libcyaml plumbing shared by the YAML loaders (see yaml.h for the contract): the capped
 * allocator, the capture of libcyaml's log messages, and their translation into one pr_error.
 *
 * libcyaml reports problems only through its log callback: a message ("Load: Unexpected key:
 * x") followed by a backtrace, innermost frame first ("  in mapping field 'rules' (line: 3,
 * column: 5)", "  in sequence entry '2' (...)", entries counting from 1). The lines are kept
 * (up to CAPTURE_MAX_LINES) and, when the load fails, parsed back into a key path and a
 * position; the message is matched on libcyaml's fixed wording, and anything unrecognised is
 * passed on quoted rather than guessed at.
 */
#include "yaml.h"

#include "mem.h"
#include "str.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libcyaml's messages for one load, one entry per log call. */
#define CAPTURE_MAX_LINES 24

struct capture {
    char lines[CAPTURE_MAX_LINES][256];
    size_t n_lines;
    struct buf detail; /* every line joined, for err->detail */
    bool has_extra_documents;
};

/* Bytes libcyaml holds, against format->max_expanded_bytes. */
struct alloc_budget {
    size_t max_bytes;
    size_t n_live_bytes; /* capacity of the blocks libcyaml holds */
};

struct yaml_doc {
    void *data; /* NULL for a blank document */
    const struct yaml_format *format;
    struct capture cap; /* libcyaml's log context, alive until cyaml_free */
    struct alloc_budget budget;
    cyaml_config_t cc;
};

/* ---- the capped allocator ---- */

/* Every block given to libcyaml starts with its capacity, so realloc and free can keep count. */
#define BLOCK_HEADER_SIZE sizeof(max_align_t)

/*
 * libcyaml's allocator: our wrappers (so real out-of-memory aborts as everywhere) under a
 * budget. Past it, NULL, which libcyaml reports as CYAML_ERR_OOM with the old block untouched,
 * as its contract asks.
 *
 * libcyaml grows a sequence by one entry per realloc, so a list of n entries would copy O(n^2)
 * bytes (minutes for a 1 MiB list under AddressSanitizer, whose realloc always moves). Blocks
 * therefore grow to at least twice their capacity, and a realloc within the capacity returns
 * the same block (libcyaml zeroes new entries itself).
 */
static void *cyaml_mem_budgeted(void *ctx, void *ptr, size_t size)
{
    struct alloc_budget *budget = ctx;
    char *block = ptr != NULL ? (char *)ptr - BLOCK_HEADER_SIZE : NULL;
    size_t old_capacity = 0;
    size_t capacity;

    if (block != NULL)
        memcpy(&old_capacity, block, sizeof old_capacity);
    if (size == 0) {
        budget->n_live_bytes -= old_capacity;
        xfree(block);
        return NULL;
    }
    if (size <= old_capacity)
        return ptr;
    if (size > budget->max_bytes)
        return NULL;
    capacity = old_capacity * 2 > size ? old_capacity * 2 : size; /* both <= the budget */
    if (budget->n_live_bytes - old_capacity > budget->max_bytes - capacity)
        capacity = size; /* no room to double: take just what was asked, if that fits */
    if (budget->n_live_bytes - old_capacity > budget->max_bytes - capacity)
        return NULL;
    block = xrealloc(block, BLOCK_HEADER_SIZE + capacity);
    memcpy(block, &capacity, sizeof capacity);
    budget->n_live_bytes = budget->n_live_bytes - old_capacity + capacity;
    return block + BLOCK_HEADER_SIZE;
}

/* ---- capturing libcyaml's messages ---- */

__attribute__((format(printf, 3, 0))) static void capture_log(cyaml_log_t level, void *ctx,
                                                              const char *fmt, va_list args)
{
    struct capture *cap = ctx;
    char line[256];
    size_t len;
    bool is_notice;

    (void)level;
    if (vsnprintf(line, sizeof line, fmt, args) < 0)
        return;
    len = strlen(line); /* the line may have been cut; that is fine for a message */
    while (len > 0 && line[len - 1] == '\n')
        line[--len] = '\0';
    /* Matched on the format, not the output: a key in the document could spell the words. */
    is_notice = strstr(fmt, "Ignoring documents after first") != NULL;
    if (is_notice)
        cap->has_extra_documents = true;
    else if (cap->n_lines < CAPTURE_MAX_LINES)
        memcpy(cap->lines[cap->n_lines++], line, len + 1);
    if (cap->detail.len > 0)
        (void)buf_puts(&cap->detail, " | ");
    (void)buf_puts(&cap->detail, line); /* past its maximum the detail is simply cut */
}

/* ---- understanding the captured lines ---- */

void yaml_quote_for_message(const char *text, char *out, size_t size)
{
    size_t len = strlen(text);
    size_t cut = len;
    size_t used = 0;

    assert(size >= YAML_QUOTED_SIZE);
    if (len > YAML_QUOTE_MAX) {
        cut = YAML_QUOTE_MAX;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
    }
    for (size_t i = 0; i < cut; i++) {
        unsigned char c = (unsigned char)text[i];

        if (c < 0x20 || c == 0x7f) {
            int written = snprintf(out + used, size - used, "\\x%02x", c);

            if (written < 0 || (size_t)written >= size - used)
                break;
            used += (size_t)written;
        } else if (c == '"' || c == '\\') {
            out[used++] = '\\';
            out[used++] = (char)c;
        } else {
            out[used++] = (char)c;
        }
    }
    if (cut < len) {
        memcpy(out + used, "...", 3);
        used += 3;
    }
    out[used] = '\0';
}

/* libcyaml's names for schema types and YAML events, in words. */
static const char *event_words(const struct yaml_format *format, const char *name, size_t len)
{
    const struct {
        const char *name;
        const char *words;
    } table[] = {
        {"MAPPING", "a mapping"},
        {"MAPPING_START", "a mapping"},
        {"STRING", format->string_words},
        {"SCALAR", format->scalar_words},
        {"SEQUENCE", "a list"},
        {"SEQUENCE_START", "a list"},
        {"SEQUENCE_FIXED", "a list"},
        {"INT", "an integer"},
        {"ALIAS", "an alias"},
    };

    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0)
            return table[i].words;
    }
    return NULL;
}

/* What we understand of libcyaml's captured lines. */
struct report {
    const char *message; /* first line before the backtrace, without "Load: ", or NULL */
    char path[192];      /* "industry.rules[2].sic", outermost first; lists count from 0 */
    unsigned line;       /* innermost position from the backtrace, 0 when unknown */
    unsigned column;
    bool is_list_entry; /* the innermost frame is an entry of a list */
};

/* "  in mapping (...)" frames add nothing to the path; "in sequence entry" frames add "[i]"
 * only when the format wants list indexes. */
static void report_parse(const struct capture *cap, bool has_list_indexes, struct report *r)
{
    char parts[CAPTURE_MAX_LINES][80];
    size_t n_parts = 0;
    bool in_backtrace = false;
    struct buf path;

    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < cap->n_lines; i++) {
        const char *line = cap->lines[i];
        const char *text = strncmp(line, "Load: ", 6) == 0 ? line + 6 : line;
        unsigned entry = 0;

        if (strcmp(text, "Backtrace:") == 0) {
            in_backtrace = true;
            continue;
        }
        if (!in_backtrace) {
            if (r->message == NULL)
                r->message = text;
            continue;
        }
        if (r->line == 0) {
            const char *pos = strrchr(line, '(');
            unsigned l = 0, c = 0;

            if (pos != NULL && sscanf(pos, "(line: %u, column: %u)", &l, &c) == 2) {
                r->line = l;
                r->column = c;
            }
            r->is_list_entry = strncmp(line, "  in sequence entry ", 20) == 0;
        }
        if (n_parts == CAPTURE_MAX_LINES)
            continue;
        if (strncmp(line, "  in mapping field '", 20) == 0) {
            const char *start = line + 20;
            const char *end = strstr(start, "' (line: ");
            int written;

            if (end == NULL)
                continue;
            written = snprintf(parts[n_parts], sizeof parts[n_parts], ".%.*s",
                               (int)(end - start > 60 ? 60 : end - start), start);
            if (written > 0)
                n_parts++;
        } else if (has_list_indexes && sscanf(line, "  in sequence entry '%u'", &entry) == 1 &&
                   entry > 0) {
            int written = snprintf(parts[n_parts], sizeof parts[n_parts], "[%u]", entry - 1);

            if (written > 0)
                n_parts++;
        }
    }
    /* The backtrace runs innermost first; keys read outermost first. */
    buf_init(&path, sizeof r->path - 1);
    for (size_t i = n_parts; i > 0; i--) {
        const char *part = parts[i - 1];

        (void)buf_puts(&path, path.len == 0 && part[0] == '.' ? part + 1 : part);
    }
    memcpy(r->path, buf_cstr(&path), path.len + 1);
    buf_free(&path);
}

/* First line of `text` whose indentation holds a tab (1-based), or 0. */
static unsigned tab_indented_line(const char *text, size_t len)
{
    unsigned line = 1;
    bool at_indent = true;

    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            line++;
            at_indent = true;
        } else if (at_indent && text[i] == '\t') {
            return line;
        } else if (text[i] != ' ') {
            at_indent = false;
        }
    }
    return 0;
}

bool yaml_is_blank_document(const char *text, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t end = i, start = i;

        while (end < len && text[end] != '\n')
            end++;
        while (start < end && (text[start] == ' ' || text[start] == '\t' || text[start] == '\r'))
            start++;
        if (start < end && text[start] != '#' && text[start] != '%') {
            size_t rest = start + 3;

            if (end - start < 3 ||
                (memcmp(text + start, "---", 3) != 0 && memcmp(text + start, "...", 3) != 0))
                return false;
            while (rest < end && (text[rest] == ' ' || text[rest] == '\t' || text[rest] == '\r'))
                rest++;
            if (rest < end && (text[rest] != '#' || rest == start + 3))
                return false;
        }
        i = end + 1;
    }
    return true;
}

/* ---- translating a failed load into a pr_error ---- */

/* "expected <what>, got <what>" for a value of the wrong YAML type. */
static void wrong_type_error(const struct yaml_format *format, const struct report *r,
                             const char *source, const char *key, const char *msg,
                             const char *got_at, const char *where, struct pr_error *err)
{
    const char *expected = event_words(format, msg + 10, (size_t)(got_at - (msg + 10)));
    const char *got = event_words(format, got_at + 13, strlen(got_at + 13));
    char what[128];

    if (expected == NULL || got == NULL) {
        pr_error_set(err, PR_CONFIG, "%s: %s%s%s%s", source, key, r->path[0] ? ": " : "", msg,
                     where);
    } else if (r->path[0] != '\0' && format->describe_expected != NULL &&
               format->describe_expected(format->ctx, r->path, r->is_list_entry, what,
                                         sizeof what)) {
        if (r->is_list_entry)
            pr_error_set(err, PR_CONFIG, "%s: %s: expected each entry to be %s, got %s%s", source,
                         key, what, got, where);
        else
            pr_error_set(err, PR_CONFIG, "%s: %s: expected %s, got %s%s", source, key, what, got,
                         where);
    } else if (r->path[0] == '\0') {
        pr_error_set(err, PR_CONFIG, "%s: expected a mapping of %s at the top level, got %s",
                     source, format->top_level_noun, got);
    } else {
        pr_error_set(err, PR_CONFIG, "%s: %s: expected %s, got %s%s", source, key, expected, got,
                     where);
    }
    pr_error_hint(err, "fix the structure of %s; see %s", source, format->docs);
}

/* Turns a failed cyaml_load_data into one PR_CONFIG error. */
static enum pr_code load_error(cyaml_err_t code, const struct yaml_doc *doc, const char *source,
                               const char *text, size_t len, struct pr_error *err)
{
    const struct yaml_format *format = doc->format;
    struct report r;
    char key[YAML_QUOTED_SIZE];
    char where[64] = "";
    const char *msg;
    const char *got_at;

    report_parse(&doc->cap, format->has_list_indexes, &r);
    msg = r.message != NULL ? r.message : cyaml_strerror(code);
    got_at = strstr(msg, ", got event: ");
    if (r.line > 0) {
        int written = snprintf(where, sizeof where, " (line %u, column %u)", r.line, r.column);

        if (written < 0 || (size_t)written >= sizeof where)
            where[0] = '\0';
    }
    yaml_quote_for_message(r.path, key, sizeof key);

    if (code == CYAML_ERR_INVALID_KEY && strncmp(msg, "Unexpected key: ", 16) == 0) {
        char name[YAML_QUOTED_SIZE];

        yaml_quote_for_message(msg + 16, name, sizeof name);
        pr_error_set(err, PR_CONFIG, "%s: %s%s%s: unknown key", source, key, r.path[0] ? "." : "",
                     name);
        format->valid_keys_hint(format->ctx, r.path, err);
    } else if (code == CYAML_ERR_INVALID_VALUE && strncmp(msg, "Expecting ", 10) == 0 &&
               got_at != NULL) {
        wrong_type_error(format, &r, source, key, msg, got_at, where, err);
    } else if (code == CYAML_ERR_UNEXPECTED_EVENT &&
               strncmp(msg, "Mapping field already seen: ", 28) == 0) {
        char name[YAML_QUOTED_SIZE];
        size_t path_len = strlen(r.path);
        size_t name_len = strlen(msg + 28);
        bool path_ends_with_name =
            path_len >= name_len && strcmp(r.path + path_len - name_len, msg + 28) == 0;

        /* The backtrace usually ends with the repeated key already, except at the top level. */
        yaml_quote_for_message(msg + 28, name, sizeof name);
        if (path_ends_with_name || r.path[0] == '\0')
            pr_error_set(err, PR_CONFIG, "%s: %s: duplicate key", source, r.path[0] ? key : name);
        else
            pr_error_set(err, PR_CONFIG, "%s: %s.%s: duplicate key", source, key, name);
        pr_error_hint(err, "give each key once in %s", source);
    } else if (code == CYAML_ERR_LIBYAML_PARSER) {
        unsigned tab_line = tab_indented_line(text, len);
        const char *reason = strncmp(msg, "libyaml: ", 9) == 0 ? msg + 9 : msg;

        if (r.line > 0 && format->is_syntax_error_after_key)
            pr_error_set(err, PR_CONFIG, "%s: %s%sinvalid YAML after line %u, column %u: %s",
                         source, key, r.path[0] ? ": " : "", r.line, r.column, reason);
        else if (r.line > 0)
            pr_error_set(err, PR_CONFIG, "%s: invalid YAML near line %u, column %u: %s", source,
                         r.line, r.column, reason);
        else
            pr_error_set(err, PR_CONFIG, "%s: invalid YAML: %s", source, reason);
        if (tab_line > 0)
            pr_error_hint(err, "line %u is indented with a tab; YAML allows only spaces", tab_line);
        else
            pr_error_hint(err, "fix the YAML syntax of %s", source);
    } else if (code == CYAML_ERR_INVALID_ALIAS &&
               strncmp(msg, "No anchor found for alias: ", 27) == 0) {
        char name[YAML_QUOTED_SIZE];

        yaml_quote_for_message(msg + 27, name, sizeof name); /* still in libcyaml's quotes */
        pr_error_set(err, PR_CONFIG, "%s: %s%salias %s has no anchor%s", source, key,
                     r.path[0] ? ": " : "", name, where);
        pr_error_hint(err, "define the anchor (&name) before its alias (*name) in %s", source);
    } else if (code == CYAML_ERR_OOM) {
        pr_error_set(err, PR_CONFIG,
                     "%s: document too large once aliases are expanded (over %zu MiB)", source,
                     format->max_expanded_bytes / (1024 * 1024));
        pr_error_hint(err, "repeat fewer aliases (*name) in %s", source);
    } else if (code == CYAML_ERR_INTERNAL_ERROR) {
        /* In practice a mapping key that is itself a list or mapping; libcyaml's backtrace
         * then points at the previous key, so name none. */
        pr_error_set(err, PR_CONFIG, "%s: unsupported YAML (libcyaml: %s)", source,
                     cyaml_strerror(code));
        pr_error_hint(err, "mapping keys must be plain strings; fix %s", source);
    } else {
        char quoted[YAML_QUOTED_SIZE];

        yaml_quote_for_message(msg, quoted, sizeof quoted);
        if (r.path[0] == '\0')
            pr_error_set(err, PR_CONFIG, "%s: %s", source, quoted);
        else
            pr_error_set(err, PR_CONFIG, "%s: %s: %s%s", source, key, quoted, where);
        pr_error_hint(err, "fix %s; see %s", source, format->docs);
    }
    pr_error_detail(err, "libcyaml: %s: %s", cyaml_strerror(code),
                    doc->cap.detail.len > 0 ? buf_cstr(&doc->cap.detail) : "(no message)");
    return PR_CONFIG;
}

/* ---- the document ---- */

enum pr_code yaml_load(const char *text, size_t len, const char *source,
                       const struct yaml_format *format, struct yaml_doc **out,
                       struct pr_error *err)
{
    struct yaml_doc *doc = xcalloc(1, sizeof *doc);
    cyaml_err_t cyaml_rc;
    enum pr_code rc = PR_OK;

    assert(format != NULL && format->schema != NULL && format->valid_keys_hint != NULL);
    assert(out != NULL && err != NULL);
    *out = NULL;
    doc->format = format;
    doc->budget.max_bytes = format->max_expanded_bytes;
    buf_init(&doc->cap.detail, sizeof err->detail - 32);
    doc->cc.log_fn = capture_log;
    doc->cc.log_ctx = &doc->cap;
    doc->cc.mem_fn = cyaml_mem_budgeted;
    doc->cc.mem_ctx = &doc->budget;
    doc->cc.log_level = CYAML_LOG_WARNING;
    doc->cc.flags = CYAML_CFG_DEFAULT;
    cyaml_rc = cyaml_load_data((const uint8_t *)text, len, &doc->cc, format->schema,
                               (cyaml_data_t **)&doc->data, NULL);
    if (cyaml_rc != CYAML_OK) {
        doc->data = NULL; /* untouched on failure, but be explicit */
        /* "---" alone is an empty document, not a scalar where the mapping belongs. */
        if (cyaml_rc != CYAML_ERR_INVALID_VALUE || !yaml_is_blank_document(text, len)) {
            rc = load_error(cyaml_rc, doc, source, text, len, err);
            goto out;
        }
    }
    if (doc->cap.has_extra_documents) {
        rc = pr_error_set(err, PR_CONFIG, "%s: more than one YAML document", source);
        pr_error_hint(err, "%s", format->one_document_hint);
        goto out;
    }
    *out = doc;
    doc = NULL;
out:
    yaml_doc_free(doc);
    return rc;
}

void *yaml_doc_data(const struct yaml_doc *doc)
{
    return doc != NULL ? doc->data : NULL;
}

void yaml_doc_free(struct yaml_doc *doc)
{
    if (doc == NULL)
        return;
    if (doc->data != NULL)
        cyaml_free(&doc->cc, doc->format->schema, doc->data, 0);
    assert(doc->budget.n_live_bytes == 0);
    buf_free(&doc->cap.detail);
    xfree(doc);
}

/* "1 MiB", "64 KiB": the limit as people write it. */
static void describe_limit(size_t bytes, char *out, size_t size)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        (void)snprintf(out, size, "%zu MiB", bytes / (1024 * 1024));
    else
        (void)snprintf(out, size, "%zu KiB", bytes / 1024);
}

enum pr_code yaml_read_file(const char *path, const char *what, struct buf *content,
                            struct pr_error *err)
{
    char limit[32];
    struct stat st;
    char chunk[8192];
    enum pr_code rc = PR_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    describe_limit(content->max, limit, sizeof limit);
    if (fd < 0) {
        rc = pr_error_set(err, PR_IO, "%s: cannot open: %s", path, strerror(errno));
        pr_error_hint(err, "check that %s exists and is readable, or give another file", path);
        return rc;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > content->max) {
        rc = pr_error_set(err, PR_CONFIG, "%s: file is larger than %s (%lld bytes)", path, limit,
                          (long long)st.st_size);
        pr_error_hint(err, "a %s this large is a mistake; check %s", what, path);
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = pr_error_set(err, PR_IO, "%s: cannot read: %s", path, strerror(errno));
            pr_error_hint(err, "check that %s is a readable file", path);
            goto out;
        }
        if (n == 0)
            break;
        if (buf_append(content, chunk, (size_t)n) != PR_OK) {
            rc = pr_error_set(err, PR_CONFIG, "%s: file is larger than %s", path, limit);
            pr_error_hint(err, "a %s this large is a mistake; check %s", what, path);
            goto out;
        }
    }
out:
    explicit_bzero(chunk, sizeof chunk);
    close(fd);
    return rc;
}
