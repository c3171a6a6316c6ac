/* Private interface between the import's files (import.c: the run; import_write.c: identity
 * resolution and writes of one lead). Not for use outside src/app. */
#ifndef PROSPECT_APP_IMPORT_INT_H
#define PROSPECT_APP_IMPORT_INT_H

#include "app/import.h"
#include "core/lead.h"
#include "store/companies.h"
#include "util/csv.h"
#include "util/json.h"

enum import_outcome {
    IMPORT_ACCEPTED,   /* a new contact */
    IMPORT_MERGED,     /* an existing contact gained or changed at least one field */
    IMPORT_DUPLICATE,  /* an existing contact, nothing new */
    IMPORT_SUPPRESSED, /* stored, but on the suppression list: never exported or contacted */
    IMPORT_REJECTED,
};

/*
 * Memory indexes (import_cache.c). The per-row cost of an import was its queries (some fifteen
 * per row), so a run keeps in memory what it would otherwise ask the store for again and again:
 *   - the suppression list, loaded once (whole-file runs only). Entries added while the import
 *     runs are not seen by it; `prospect suppress add` flags the stored contacts anyway.
 *   - a set of hashes of the stored contacts' keys (e-mail, phone, name at a company), loaded
 *     once (whole-file runs only) and grown with every contact the run writes. A key not in the
 *     set is certainly not stored, so its lookup is skipped; a key in it is looked up as before.
 *     A contact another session adds during the import is therefore matched only through the
 *     UNIQUE e-mail (an insert refused by it looks the contact up again), not by phone or name.
 *   - the blocks of folded company names for fuzzy matching (whole-file runs only), loaded once
 *     and kept in step with the companies the run creates or moves; companies other sessions
 *     create during the import are matched by domain only.
 *   - parsed provenance of companies (all runs), reused while the stored text is unchanged.
 * The chunked runs of pipelines (import_chunk.c) import small ranges, where loading the whole
 * tenant would cost more than it saves, so they keep asking the store.
 */
struct import_map;      /* byte string -> int64 */
struct import_hash_set; /* 64-bit hashes */
struct import_names;    /* folded company names in blocks of a common prefix */

uint64_t import__hash(const char *key, size_t len);

struct import_map *import__map_new(void);
void import__map_free(struct import_map *m);
/* False when `key` is absent. */
bool import__map_get(const struct import_map *m, const char *key, size_t len, int64_t *value);
/* Adds or replaces; the key is copied. */
void import__map_put(struct import_map *m, const char *key, size_t len, int64_t value);

struct import_hash_set *import__hash_set_new(void);
void import__hash_set_free(struct import_hash_set *s);
void import__hash_set_add(struct import_hash_set *s, uint64_t hash);
bool import__hash_set_has(const struct import_hash_set *s, uint64_t hash);

struct import_names *import__names_new(void);
void import__names_free(struct import_names *x);
/* Adds company `id` with its folded name and city (may be NULL); both are copied. */
void import__names_add(struct import_names *x, const char *name_folded, int64_t id,
                       const char *city);
/* Records that company `id` moved to `city` (may be NULL). */
void import__names_set_city(struct import_names *x, int64_t id, const char *city);
/* What store_companies_candidates answers for `prefix` and `limit`, from memory: the names in
 * [prefix, prefix || U+10FFFF) by (name, id), at most `limit`. *out is in `a`; its strings live
 * until the index next changes. Returns the count. */
size_t import__names_candidates(struct import_names *x, const char *prefix, size_t limit,
                                struct arena *a, struct company_candidate **out);

/* The parsed provenance of one company, valid while the stored text equals `text`. */
struct import_provenance {
    char *text; /* owned (xmalloc) */
    json_t *parsed;
};

struct import_run {
    struct app *app;
    const struct app_actor *actor;
    const struct tenant_ctx *t;
    const struct import_options *opt;
    struct arena *arena;     /* lives as long as the result */
    struct arena *row_arena; /* reset after every row */
    const char *source;
    int trust; /* the source's trust rank */
    const char *region;
    struct field_mapping *mapping; /* in `arena`: it outlives the run (import_result) */
    bool has_list;
    int64_t list_id;
    int64_t import_id;
    int64_t started_at; /* provenance time of every value of this import */
    struct import_counts counts;
    /* Memory indexes (see above); NULL when not in use. */
    struct import_map *suppressed;        /* "kind\0value" -> 1 */
    struct import_hash_set *contact_keys; /* see contact_key() in import_write.c */
    struct import_names *names;
    bool are_names_stale;              /* rebuild `names` from the store before the next use */
    struct import_map *provenance_ids; /* company id -> index in provenances + 1 */
    struct import_provenance *provenances;
    size_t n_provenances, provenances_capacity;
    struct import_map *trust_by_source; /* sources met in stored provenance */
    bool has_row_changed_companies;     /* the current row created or updated a company */
};

/* Fills `r` for an import by `actor` with `opt` (the tenant's phone region unless the options
 * name one); `a` holds what the run keeps. */
enum pr_code import__init(struct import_run *r, struct app *app, const struct app_actor *actor,
                          const struct tenant_ctx *t, const struct import_options *opt,
                          struct arena *a, struct pr_error *err);

/* Sets up the memory indexes: with `preload` (a whole-file run) the suppression list, the
 * contact keys and the company names are loaded from the store. */
enum pr_code import__indexes_open(struct import_run *r, bool preload, struct pr_error *err);
/* Frees the memory indexes (safe on a run that never opened them). */
void import__indexes_close(struct import_run *r);
/* Called before each row, and after a row's writes were rolled back (what it changed in the
 * indexes may no longer be true of the store). */
void import__indexes_row_begin(struct import_run *r);
void import__indexes_row_rolled_back(struct import_run *r);

/* SHA-256 (hex) and size of the file at `path`. */
enum pr_code import__hash_file(const char *path, char out[65], int64_t *size, struct pr_error *err);

/* Opens r->opt->path, reads the header and maps it into r->mapping. On failure *reader is
 * NULL and the error says what is wrong with the file. */
enum pr_code import__open(struct import_run *r, struct csv_reader **reader, struct pr_error *err);

/* Creates the import record (status running), its list and source, in the caller's
 * transaction; sets r->import_id, r->trust, r->list_id. */
enum pr_code import__create_record(struct import_run *r, const char *sha, int64_t size,
                                   struct pr_error *err);

/* Imports the reader's next record in the caller's transaction (a record the reader refused
 * becomes a rejected row): *has_record is false at the end of the file. */
enum pr_code import__next(struct import_run *r, struct csv_reader *reader, bool *has_record,
                          struct pr_error *err);

/* Resolves the lead's company and contact against the store, inserts or merges them, applies
 * the suppression list and list membership. Data problems are PR_INVALID/PR_CONFLICT with the
 * reason for the rejects file; anything else is a failure of the import. */
enum pr_code import__write_lead(struct import_run *r, const struct lead *lead,
                                enum import_outcome *outcome, int64_t *contact_id,
                                struct pr_error *err);

#endif
