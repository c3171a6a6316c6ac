/* libsodium wrappers: keyring + secretbox, argon2id, tokens, digests. */
#include "crypto.h"

#include "mem.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define SEALED_PREFIX "pse1."
#define MAX_KEYS      16

struct keyring_key {
    unsigned char key[crypto_secretbox_KEYBYTES];
    char id[9];
};

struct keyring {
    struct keyring_key keys[MAX_KEYS]; /* keys[0] is the primary */
    size_t n_keys;
};

enum pr_code crypto_init(struct pr_error *err)
{
    if (sodium_init() < 0)
        return pr_error_set(err, PR_INTERNAL, "cannot initialize the crypto library");
    return PR_OK;
}

static void key_id(const unsigned char *key, char out[9])
{
    unsigned char digest[crypto_generichash_BYTES];

    /* The id is a hash of the key, so it reveals nothing and needs no storage. */
    crypto_generichash(digest, sizeof digest, key, crypto_secretbox_KEYBYTES,
                       (const unsigned char *)"prospect-keyid", 14);
    sodium_bin2hex(out, 9, digest, 4);
}

static enum pr_code add_key(struct keyring *ring, const char *text, size_t len, const char *source,
                            struct pr_error *err)
{
    struct keyring_key *k;
    size_t bin_len = 0;

    if (ring->n_keys == MAX_KEYS)
        return pr_error_set(err, PR_CONFIG, "%s: more than %d secret keys", source, MAX_KEYS);
    k = &ring->keys[ring->n_keys];
    if (sodium_base642bin(k->key, sizeof k->key, text, len, " \t\r\n", &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        bin_len != sizeof k->key) {
        sodium_memzero(k->key, sizeof k->key);
        pr_error_set(err, PR_CONFIG, "%s: secret key %zu is not 32 bytes of base64", source,
                     ring->n_keys + 1);
        return pr_error_hint(err, "generate a key with `prospect secrets keygen`");
    }
    key_id(k->key, k->id);
    ring->n_keys++;
    return PR_OK;
}

static enum pr_code load_env_keys(struct keyring *ring, const char *env_key, struct pr_error *err)
{
    const char *p = env_key;

    while (*p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        enum pr_code rc = add_key(ring, p, len, "PROSPECT_SECRET_KEY", err);

        if (rc != PR_OK)
            return rc;
        p += len + (comma ? 1 : 0);
    }
    return PR_OK;
}

static enum pr_code load_file_keys(struct keyring *ring, const char *path, struct pr_error *err)
{
    struct stat sb;
    FILE *f = NULL;
    char line[256];
    enum pr_code rc = PR_OK;

    f = fopen(path, "r");
    if (f == NULL) {
        pr_error_set(err, PR_CONFIG, "cannot read secret key file %s: %s", path, strerror(errno));
        return pr_error_hint(err, "check secrets.key_file or PROSPECT_SECRETS_KEY_FILE");
    }
    if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077) != 0) {
        pr_error_set(err, PR_CONFIG, "secret key file %s is readable by other users", path);
        pr_error_hint(err, "run: chmod 600 %s", path);
        rc = err->code;
        goto out;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        size_t len = strcspn(line, "\r\n");
        if (len == 0 || line[0] == '#')
            continue;
        rc = add_key(ring, line, len, path, err);
        if (rc != PR_OK)
            goto out;
    }
out:
    sodium_memzero(line, sizeof line);
    fclose(f);
    return rc;
}

enum pr_code keyring_load(const char *env_key, const char *key_file, struct keyring **out,
                          struct pr_error *err)
{
    struct keyring *ring = xcalloc(1, sizeof *ring);
    enum pr_code rc = PR_OK;

    if (env_key != NULL && env_key[0] != '\0')
        rc = load_env_keys(ring, env_key, err);
    if (rc == PR_OK && key_file != NULL && key_file[0] != '\0')
        rc = load_file_keys(ring, key_file, err);
    if (rc == PR_OK && ring->n_keys == 0) {
        pr_error_set(err, PR_CONFIG, "no secret key is configured");
        pr_error_hint(err, "set PROSPECT_SECRET_KEY or secrets.key_file; generate a key with "
                           "`prospect secrets keygen`");
        rc = PR_CONFIG;
    }
    if (rc != PR_OK) {
        keyring_free(ring);
        return rc;
    }
    *out = ring;
    return PR_OK;
}

void keyring_free(struct keyring *ring)
{
    if (ring == NULL)
        return;
    sodium_memzero(ring, sizeof *ring);
    xfree(ring);
}

size_t keyring_size(const struct keyring *ring)
{
    return ring->n_keys;
}

void crypto_generate_key_b64(char *out, size_t out_size)
{
    unsigned char key[crypto_secretbox_KEYBYTES];

    crypto_secretbox_keygen(key);
    sodium_bin2base64(out, out_size, key, sizeof key, sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(key, sizeof key);
}

enum pr_code secret_seal(const struct keyring *ring, const void *plain, size_t len, struct buf *out,
                         struct pr_error *err)
{
    const struct keyring_key *k = &ring->keys[0];
    size_t box_len, b64_len;
    unsigned char *box;
    char *b64;
    enum pr_code rc = PR_OK;

    if (len > 1024 * 1024)
        return pr_error_set(err, PR_INVALID, "secret is larger than 1 MiB");
    box_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    box = xmalloc(box_len);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, plain, len, box, k->key);
    b64_len = sodium_base64_ENCODED_LEN(box_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    b64 = xmalloc(b64_len);
    sodium_bin2base64(b64, b64_len, box, box_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (buf_printf(out, SEALED_PREFIX "%s.%s", k->id, b64) != PR_OK)
        rc = pr_error_set(err, PR_INVALID, "sealed secret does not fit its buffer");
    xfree(b64);
    xfree(box);
    return rc;
}

static const struct keyring_key *find_key(const struct keyring *ring, const char *id, size_t len)
{
    size_t i;

    if (len != 8)
        return NULL;
    for (i = 0; i < ring->n_keys; i++)
        if (memcmp(ring->keys[i].id, id, 8) == 0)
            return &ring->keys[i];
    return NULL;
}

enum pr_code secret_open(const struct keyring *ring, const char *sealed, struct buf *out,
                         struct pr_error *err)
{
    const char *id, *dot, *b64;
    const struct keyring_key *k;
    unsigned char *box = NULL, *plain = NULL;
    size_t b64_len, box_len = 0, plain_len;
    enum pr_code rc = PR_OK;

    if (strncmp(sealed, SEALED_PREFIX, strlen(SEALED_PREFIX)) != 0)
        return pr_error_set(err, PR_INVALID, "stored secret is not in the sealed format");
    id = sealed + strlen(SEALED_PREFIX);
    dot = strchr(id, '.');
    if (dot == NULL)
        return pr_error_set(err, PR_INVALID, "stored secret is not in the sealed format");
    k = find_key(ring, id, (size_t)(dot - id));
    if (k == NULL) {
        pr_error_set(err, PR_CONFIG, "stored secret was sealed with key %.8s, which is not loaded",
                     id);
        return pr_error_hint(err, "add the old key back after the primary key, then re-seal");
    }
    b64 = dot + 1;
    b64_len = strlen(b64);
    if (b64_len > 2 * 1024 * 1024)
        return pr_error_set(err, PR_INVALID, "stored secret is too large");
    box = xmalloc(b64_len + 1);
    if (sodium_base642bin(box, b64_len + 1, b64, b64_len, NULL, &box_len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        box_len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        rc = pr_error_set(err, PR_INVALID, "stored secret is corrupt");
        goto out;
    }
    plain_len = box_len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    plain = xmalloc(plain_len + 1);
    if (crypto_secretbox_open_easy(plain, box + crypto_secretbox_NONCEBYTES,
                                   box_len - crypto_secretbox_NONCEBYTES, box, k->key) != 0) {
        rc = pr_error_set(err, PR_INVALID, "stored secret failed authentication (tampered?)");
        goto out;
    }
    if (buf_append(out, plain, plain_len) != PR_OK)
        rc = pr_error_set(err, PR_INVALID, "secret does not fit its buffer");
    sodium_memzero(plain, plain_len);
out:
    xfree(plain);
    xfree(box);
    return rc;
}

bool secret_needs_rotation(const struct keyring *ring, const char *sealed)
{
    size_t prefix_len = strlen(SEALED_PREFIX);

    return strncmp(sealed, SEALED_PREFIX, prefix_len) != 0 ||
           strncmp(sealed + prefix_len, ring->keys[0].id, 8) != 0;
}

enum pr_code password_hash(const char *password, char *out, size_t out_size, struct pr_error *err)
{
    if (out_size < crypto_pwhash_STRBYTES)
        return pr_error_set(err, PR_INTERNAL, "password hash buffer too small");
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return pr_error_set(err, PR_INTERNAL, "cannot hash the password (out of memory)");
    return PR_OK;
}

bool password_verify(const char *password, const char *stored_hash)
{
    return crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
}

void crypto_random_bytes(void *out, size_t n)
{
    randombytes_buf(out, n);
}

void crypto_random_token(size_t n_bytes, char *out, size_t out_size)
{
    unsigned char raw[64];

    if (n_bytes > sizeof raw)
        n_bytes = sizeof raw;
    randombytes_buf(raw, n_bytes);
    sodium_bin2base64(out, out_size, raw, n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void crypto_sha256_hex(const void *data, size_t len, char *out, size_t out_size)
{
    unsigned char digest[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out, out_size, digest, sizeof digest);
}

enum pr_code crypto_sha256_stream(FILE *f, char out[65], int64_t *size, struct pr_error *err)
{
    crypto_hash_sha256_state state;
    unsigned char chunk[64 * 1024], digest[crypto_hash_sha256_BYTES];
    int64_t total = 0;
    size_t n;

    crypto_hash_sha256_init(&state);
    for (;;) {
        n = fread(chunk, 1, sizeof chunk, f);
        if (n == 0)
            break;
        crypto_hash_sha256_update(&state, chunk, n);
        total += (int64_t)n;
    }
    if (ferror(f))
        return pr_error_set(err, PR_IO, "cannot read the file: %s", strerror(errno));
    crypto_hash_sha256_final(&state, digest);
    sodium_bin2hex(out, 65, digest, sizeof digest);
    if (size != NULL)
        *size = total;
    return PR_OK;
}

bool crypto_equal(const void *a, size_t a_len, const void *b, size_t b_len)
{
    return a_len == b_len && sodium_memcmp(a, b, a_len) == 0;
}
