/*
 * Private to the configuration loader: what config.c (the key table, the layers, validation)
 * and config_yaml.c (the libcyaml side) share. Nothing outside src/util/config*.c includes it;
 * the public contract is config.h.
 *
 * config.c owns the key table; config_yaml.c derives the libcyaml schema from it and hands back
 * what the file gave for each key, as text, for config.c to check and store.
 */
#ifndef PROSPECT_UTIL_CONFIG_INT_H
#define PROSPECT_UTIL_CONFIG_INT_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The number of rows in config__keys. config_yaml.c sizes its libcyaml structures with it; a
 * static assertion in config.c fails the build when a row is added without bumping it.
 */
#define CONFIG__N_KEYS 13

enum config__kind {
    CONFIG__KIND_TEXT,      /* char *, length within [min, max] bytes */
    CONFIG__KIND_INT,       /* int, base-10 integer within [min, max] */
    CONFIG__KIND_LOG_LEVEL, /* enum log_level, via log_level_parse */
    CONFIG__KIND_REGION,    /* char *, two ASCII letters stored upper case */
    CONFIG__KIND_TEXT_LIST, /* char ** + size_t count, each entry as CONFIG__KIND_TEXT; file only */
};

struct config__key {
    const char *section;
    const char *name;
    enum config__kind kind;
    const char *default_value; /* NULL: unset (text kinds) or empty (lists) */
    long long min;
    long long max;
    const char *noun;    /* what a text value is, for messages: "path", "host name or address" */
    size_t offset;       /* of the field in struct config */
    size_t count_offset; /* CONFIG__KIND_TEXT_LIST: of the size_t count in struct config */
};

/* Every configuration key, CONFIG__N_KEYS rows, defined in config.c. */
extern const struct config__key config__keys[];

/* ---- in config.c ---- */

/* Writes "section.name" of `k` to `out` (`size` bytes; 96 is always enough). */
void config__key_path(const struct config__key *k, char *out, size_t size);

/*
 * What key `k` expects, in words, for "expected <what>", into `what` (`size` bytes, cut to fit).
 * `value` (may be NULL) is the rejected text, used to pick the wording for texts; `is_entry`
 * asks about one entry of a list.
 */
void config__describe_expected(const struct config__key *k, const char *value, bool is_entry,
                               char *what, size_t size);

/* ---- in config_yaml.c ---- */

/* One YAML document as libcyaml read it, every scalar as text. Opaque. */
struct config__yaml_doc;

/*
 * Parses `yaml` (`len` bytes, at most 1 MiB; the caller checks) against the schema derived from
 * config__keys. On success *out is owned by the caller (config__yaml_free); it is NULL when the
 * document holds nothing ("---" alone, only comments). On failure returns PR_CONFIG with a
 * message naming `source` and the key, a hint, and libcyaml's own words in err->detail; *out is
 * NULL. Unknown keys, wrong shapes, YAML syntax errors, aliases expanding past 64 MiB and a
 * second document are all failures. Values are not checked here.
 */
enum pr_code config__yaml_parse(const char *yaml, size_t len, const char *source,
                                struct config__yaml_doc **out, struct pr_error *err);

/* What the file gave for one key. */
struct config__yaml_value {
    const char *scalar; /* keys other than lists: the text as written */
    char **entries;     /* CONFIG__KIND_TEXT_LIST: n_entries strings (NULL when none) */
    unsigned n_entries;
};

/*
 * Fills *out with what `doc` gives for config__keys[`key_index`] and returns true, or returns
 * false when the document does not give that key (or `doc` is NULL). The strings live in `doc`.
 */
bool config__yaml_value(const struct config__yaml_doc *doc, size_t key_index,
                        struct config__yaml_value *out);

/* Wipes the list strings (log.redact holds secrets) and frees `doc`. NULL is a no-op. */
void config__yaml_free(struct config__yaml_doc *doc);

#endif
