/*
 * Loading a YAML document with libcyaml, for the loaders of YAML files (configuration, ICP):
 * the plumbing they would otherwise each repeat.
 *
 * - A capped allocator: aliases let a small file expand without bound (a long anchored string
 *   repeated by thousands of *aliases), so libcyaml may hold at most `max_expanded_bytes` and
 *   the load fails with a message instead of an abort.
 * - libcyaml's log messages are captured, never printed, and a failed load becomes one
 *   PR_CONFIG error naming the file and the key path ("industry.rules[2].sic"), with a hint;
 *   libcyaml's raw text goes to err->detail.
 *
 * What the document means is the caller's: it gives the schema (every scalar as a string is
 * the usual choice, so that the caller checks types and can say what it expected) and, through
 * a `struct yaml_format`, the words and hooks that make the messages its own. This module knows
 * nothing of any particular file.
 */
#ifndef PROSPECT_UTIL_YAML_H
#define PROSPECT_UTIL_YAML_H

#include "error.h"

#include <cyaml/cyaml.h>

#include "str.h"

#include <stdbool.h>
#include <stddef.h>

/* Values longer than this are cut (with "...") by yaml_quote_for_message. */
#define YAML_QUOTE_MAX 60

/* Size of a buffer that holds any value quoted by yaml_quote_for_message. */
#define YAML_QUOTED_SIZE (4 * YAML_QUOTE_MAX + 4)

/*
 * What a loader tells this module about its documents. The caller owns it and everything it
 * points to, and keeps them alive until yaml_doc_free of every document loaded with it.
 */
struct yaml_format {
    const cyaml_schema_value_t *schema; /* the top-level value */
    size_t max_expanded_bytes;          /* most memory libcyaml may hold for one document */
    const char *docs;                   /* named in hints: "docs/icp.md" */
    const char *top_level_noun;         /* "factors": "expected a mapping of factors ..." */
    const char *string_words;           /* a STRING in the schema, in words: "a single value" */
    const char *scalar_words;           /* a SCALAR event, in words */
    const char *one_document_hint;      /* the hint when the file holds several documents */
    /* Key paths name list entries ("rules[2].sic") rather than only mapping keys ("rules.sic"). */
    bool has_list_indexes;
    /*
     * Syntax errors name the enclosing key and say "after line L, column C" (libcyaml gives the
     * position of that key, not libyaml's own mark, so the error lies at or after it), rather
     * than "near line L, column C" without a key.
     */
    bool is_syntax_error_after_key;
    /* Sets err's hint for an unknown key in the mapping at `path` ("" for the top level). */
    void (*valid_keys_hint)(const void *ctx, const char *path, struct pr_error *err);
    /*
     * Optional (NULL: never): writes what the key at `path` expects, in words, into `what`
     * (`size` bytes) and returns true, or returns false to use libcyaml's schema type.
     * `is_list_entry` asks about one entry of the list at `path`.
     */
    bool (*describe_expected)(const void *ctx, const char *path, bool is_list_entry, char *what,
                              size_t size);
    const void *ctx; /* passed to the hooks */
};

/* One document as libcyaml read it. Opaque. */
struct yaml_doc;

/*
 * Loads `len` bytes of YAML (`text`; the caller bounds `len`) against format->schema. `source`
 * names the text in messages. On success *out is owned by the caller (yaml_doc_free). A blank
 * document (only comments, directives and "---") loads as a document whose data is NULL. On
 * failure returns PR_CONFIG with a message starting "<source>: ", a hint and libcyaml's words
 * in err->detail, and sets *out to NULL; that includes a file of more than one document and a
 * document that expands past format->max_expanded_bytes.
 */
enum pr_code yaml_load(const char *text, size_t len, const char *source,
                       const struct yaml_format *format, struct yaml_doc **out,
                       struct pr_error *err);

/* The data libcyaml filled in, as the schema describes it, or NULL for a blank document. It
 * lives until yaml_doc_free; the caller may wipe strings in it but not free them. */
void *yaml_doc_data(const struct yaml_doc *doc);

/* Frees `doc` and all its data. NULL is a no-op. */
void yaml_doc_free(struct yaml_doc *doc);

/*
 * True when `text` (`len` bytes) holds no content: only blank lines, comments, directives and
 * document markers. libcyaml reads such a document ("---" alone) as a null scalar.
 */
bool yaml_is_blank_document(const char *text, size_t len);

/*
 * Copies `text` for a message into `out` (at least YAML_QUOTED_SIZE bytes): control
 * characters, quotes and backslashes escaped, cut after YAML_QUOTE_MAX bytes (on a UTF-8
 * boundary) with "..." appended.
 */
void yaml_quote_for_message(const char *text, char *out, size_t size);

/* Reads the file at `path` into `content`, whose maximum size is the limit: at most that many
 * bytes are ever read, so a huge or endless file (a FIFO, /dev/zero) never makes us allocate
 * more. `what` names the file in messages ("configuration file", "ICP file"). PR_IO when it
 * cannot be opened or read, PR_CONFIG when it is larger than the limit. The read buffer is
 * wiped (files may hold secrets). */
enum pr_code yaml_read_file(const char *path, const char *what, struct buf *content,
                            struct pr_error *err);

#endif
