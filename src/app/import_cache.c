/*
 * In-memory indexes of one import run (see "Memory indexes" in import_int.h): a map from byte
 * strings to integers, a set of 64-bit hashes, and the blocks of folded company names that
 * fuzzy matching compares. The map and the set use open addressing with linear probing over a
 * power-of-two table kept at most half full, so a lookup is a hash and a probe or two; a block
 * of names is an array sorted as the store's candidates query sorts, found through the map.
 * Hand-written: none of Prospect's libraries has a hash table (libc's hsearch is one global
 * table; glib's would be a large dependency for one file).
 */
#include "app/import_int.h"

#include "util/mem.h"

#include <string.h>

#define MIN_CAPACITY 64

/* FNV-1a with a final avalanche (from MurmurHash3's fmix64): keys are short, and the mix
 * spreads FNV's weak low bits over the table index. */
static uint64_t hash_bytes(const char *key, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 0x100000001b3u;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

uint64_t import__hash(const char *key, size_t len)
{
    return hash_bytes(key, len);
}

/* ---- string -> int64 map ---- */

struct map_slot {
    uint64_t hash;
    const char *key; /* NULL: empty slot */
    size_t len;
    int64_t value;
};

struct import_map {
    struct map_slot *slots;
    size_t capacity; /* a power of two */
    size_t n_used;
    struct arena *keys;
};

struct import_map *import__map_new(void)
{
    struct import_map *m = xcalloc(1, sizeof *m);

    m->capacity = MIN_CAPACITY;
    m->slots = xcalloc(m->capacity, sizeof *m->slots);
    m->keys = arena_new(64 * 1024);
    return m;
}

void import__map_free(struct import_map *m)
{
    if (m == NULL)
        return;
    xfree(m->slots);
    arena_free(m->keys);
    xfree(m);
}

static struct map_slot *map_find(struct map_slot *slots, size_t capacity, uint64_t hash,
                                 const char *key, size_t len)
{
    size_t i = (size_t)hash & (capacity - 1);

    while (slots[i].key != NULL) {
        if (slots[i].hash == hash && slots[i].len == len && memcmp(slots[i].key, key, len) == 0)
            return &slots[i];
        i = (i + 1) & (capacity - 1);
    }
    return &slots[i];
}

static void map_grow(struct import_map *m)
{
    size_t capacity = m->capacity * 2, i;
    struct map_slot *slots = xcalloc(capacity, sizeof *slots);

    for (i = 0; i < m->capacity; i++) {
        const struct map_slot *s = &m->slots[i];

        if (s->key != NULL)
            *map_find(slots, capacity, s->hash, s->key, s->len) = *s;
    }
    xfree(m->slots);
    m->slots = slots;
    m->capacity = capacity;
}

bool import__map_get(const struct import_map *m, const char *key, size_t len, int64_t *value)
{
    const struct map_slot *s = map_find(m->slots, m->capacity, hash_bytes(key, len), key, len);

    if (s->key == NULL)
        return false;
    *value = s->value;
    return true;
}

void import__map_put(struct import_map *m, const char *key, size_t len, int64_t value)
{
    uint64_t hash = hash_bytes(key, len);
    struct map_slot *s = map_find(m->slots, m->capacity, hash, key, len);

    if (s->key != NULL) {
        s->value = value;
        return;
    }
    if (2 * (m->n_used + 1) > m->capacity) {
        map_grow(m);
        s = map_find(m->slots, m->capacity, hash, key, len);
    }
    s->hash = hash;
    s->key = arena_strndup(m->keys, key, len);
    s->len = len;
    s->value = value;
    m->n_used++;
}

/* ---- set of 64-bit hashes ---- */

struct import_hash_set {
    uint64_t *slots; /* 0: empty (a hash of 0 is stored as 1) */
    size_t capacity;
    size_t n_used;
};

struct import_hash_set *import__hash_set_new(void)
{
    struct import_hash_set *s = xcalloc(1, sizeof *s);

    s->capacity = MIN_CAPACITY;
    s->slots = xcalloc(s->capacity, sizeof *s->slots);
    return s;
}

void import__hash_set_free(struct import_hash_set *s)
{
    if (s == NULL)
        return;
    xfree(s->slots);
    xfree(s);
}

static size_t set_find(const uint64_t *slots, size_t capacity, uint64_t hash)
{
    size_t i = (size_t)hash & (capacity - 1);

    while (slots[i] != 0 && slots[i] != hash)
        i = (i + 1) & (capacity - 1);
    return i;
}

void import__hash_set_add(struct import_hash_set *s, uint64_t hash)
{
    size_t i;

    hash = hash != 0 ? hash : 1;
    if (2 * (s->n_used + 1) > s->capacity) {
        size_t capacity = s->capacity * 2, j;
        uint64_t *slots = xcalloc(capacity, sizeof *slots);

        for (j = 0; j < s->capacity; j++)
            if (s->slots[j] != 0)
                slots[set_find(slots, capacity, s->slots[j])] = s->slots[j];
        xfree(s->slots);
        s->slots = slots;
        s->capacity = capacity;
    }
    i = set_find(s->slots, s->capacity, hash);
    if (s->slots[i] == 0) {
        s->slots[i] = hash;
        s->n_used++;
    }
}

bool import__hash_set_has(const struct import_hash_set *s, uint64_t hash)
{
    hash = hash != 0 ? hash : 1;
    return s->slots[set_find(s->slots, s->capacity, hash)] == hash;
}

/* ---- blocks of folded company names ---- */

/* The blocking key of a name: its first three bytes, or the whole name when shorter (the
 * "%.3s" prefix that find_company queries with). */
#define BLOCK_KEY_LEN 3

struct name_entry {
    const char *name; /* folded, in `strings` */
    size_t len;
    int64_t id;
    const char *city; /* in `strings`; NULL when unknown */
};

struct name_block {
    struct name_entry *entries; /* by (name bytes, id), as the candidates query orders them */
    size_t n, capacity;
};

struct import_names {
    struct import_map *by_key; /* block key -> index in blocks */
    struct name_block *blocks;
    size_t n_blocks, capacity;
    struct import_map *by_id; /* company id (its bytes) -> index in blocks + 1 */
    struct arena *strings;
};

struct import_names *import__names_new(void)
{
    struct import_names *x = xcalloc(1, sizeof *x);

    x->by_key = import__map_new();
    x->by_id = import__map_new();
    x->strings = arena_new(256 * 1024);
    return x;
}

void import__names_free(struct import_names *x)
{
    size_t i;

    if (x == NULL)
        return;
    for (i = 0; i < x->n_blocks; i++)
        xfree(x->blocks[i].entries);
    xfree(x->blocks);
    import__map_free(x->by_key);
    import__map_free(x->by_id);
    arena_free(x->strings);
    xfree(x);
}

/* memcmp order with the shorter string first on a common prefix: SQLite's BINARY collation. */
static int compare_names(const char *a, size_t a_len, const char *b, size_t b_len)
{
    int c = memcmp(a, b, a_len < b_len ? a_len : b_len);

    if (c != 0)
        return c;
    return a_len < b_len ? -1 : a_len > b_len ? 1 : 0;
}

static int compare_entries(const struct name_entry *a, const struct name_entry *b)
{
    int c = compare_names(a->name, a->len, b->name, b->len);

    if (c != 0)
        return c;
    return a->id < b->id ? -1 : a->id > b->id ? 1 : 0;
}

static struct name_block *block_for(struct import_names *x, const char *name, size_t len,
                                    bool create)
{
    size_t key_len = len < BLOCK_KEY_LEN ? len : BLOCK_KEY_LEN;
    int64_t index;

    if (import__map_get(x->by_key, name, key_len, &index))
        return &x->blocks[index];
    if (!create)
        return NULL;
    if (x->n_blocks == x->capacity) {
        x->capacity = x->capacity > 0 ? 2 * x->capacity : 256;
        x->blocks = xrealloc(x->blocks, x->capacity * sizeof *x->blocks);
    }
    memset(&x->blocks[x->n_blocks], 0, sizeof x->blocks[x->n_blocks]);
    import__map_put(x->by_key, name, key_len, (int64_t)x->n_blocks);
    return &x->blocks[x->n_blocks++];
}

void import__names_add(struct import_names *x, const char *name_folded, int64_t id,
                       const char *city)
{
    size_t len = strlen(name_folded), lo = 0, hi;
    struct name_block *b = block_for(x, name_folded, len, true);
    struct name_entry e = {arena_strndup(x->strings, name_folded, len), len, id,
                           city != NULL ? arena_strdup(x->strings, city) : NULL};

    if (b->n == b->capacity) {
        b->capacity = b->capacity > 0 ? 2 * b->capacity : 4;
        b->entries = xrealloc(b->entries, b->capacity * sizeof *b->entries);
    }
    hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (compare_entries(&b->entries[mid], &e) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&b->entries[lo + 1], &b->entries[lo], (b->n - lo) * sizeof *b->entries);
    b->entries[lo] = e;
    b->n++;
    import__map_put(x->by_id, (const char *)&id, sizeof id, (int64_t)(b - x->blocks) + 1);
}

void import__names_set_city(struct import_names *x, int64_t id, const char *city)
{
    int64_t block;
    size_t i;

    if (!import__map_get(x->by_id, (const char *)&id, sizeof id, &block) || block == 0)
        return;
    for (i = 0; i < x->blocks[block - 1].n; i++) {
        struct name_entry *e = &x->blocks[block - 1].entries[i];

        if (e->id == id)
            e->city = city != NULL ? arena_strdup(x->strings, city) : NULL;
    }
}

/* True when `e` is in the candidates query's range [prefix, prefix || U+10FFFF). */
static bool in_range(const struct name_entry *e, const char *prefix, size_t prefix_len,
                     const char *upper, size_t upper_len)
{
    return compare_names(e->name, e->len, prefix, prefix_len) >= 0 &&
           compare_names(e->name, e->len, upper, upper_len) < 0;
}

static int compare_entry_ptrs(const void *a, const void *b)
{
    return compare_entries(*(const struct name_entry *const *)a,
                           *(const struct name_entry *const *)b);
}

size_t import__names_candidates(struct import_names *x, const char *prefix, size_t limit,
                                struct arena *a, struct company_candidate **out)
{
    size_t prefix_len = strlen(prefix), n = 0, i;
    char *upper = arena_printf(a, "%s\xf4\x8f\xbf\xbf", prefix);
    size_t upper_len = strlen(upper);
    struct company_candidate *rows = arena_calloc(a, limit > 0 ? limit : 1, sizeof *rows);

    if (prefix_len >= BLOCK_KEY_LEN) {
        /* Every name in the range starts with the prefix, so all are in its block, in
         * order. */
        const struct name_block *b = block_for(x, prefix, prefix_len, false);

        for (i = 0; b != NULL && i < b->n && n < limit; i++) {
            const struct name_entry *e = &b->entries[i];

            if (!in_range(e, prefix, prefix_len, upper, upper_len))
                continue;
            rows[n].id = e->id;
            rows[n].name_folded = (char *)e->name;
            rows[n].city = (char *)e->city;
            n++;
        }
    } else {
        /* A short prefix spans several blocks (rare: names of one or two bytes). */
        const struct name_entry **hits = NULL;
        size_t n_hits = 0, capacity = 0, j;

        for (i = 0; i < x->n_blocks; i++)
            for (j = 0; j < x->blocks[i].n; j++) {
                const struct name_entry *e = &x->blocks[i].entries[j];

                if (!in_range(e, prefix, prefix_len, upper, upper_len))
                    continue;
                if (n_hits == capacity) {
                    capacity = capacity > 0 ? 2 * capacity : 64;
                    hits = xrealloc(hits, capacity * sizeof *hits);
                }
                hits[n_hits++] = e;
            }
        if (n_hits > 1)
            qsort(hits, n_hits, sizeof *hits, compare_entry_ptrs);
        for (i = 0; i < n_hits && n < limit; i++) {
            rows[n].id = hits[i]->id;
            rows[n].name_folded = (char *)hits[i]->name;
            rows[n].city = (char *)hits[i]->city;
            n++;
        }
        xfree(hits);
    }
    *out = rows;
    return n;
}
