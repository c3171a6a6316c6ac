/*
 * Cryptographic wrappers over libsodium: secret encryption at rest (secretbox with a keyring
 * for rotation), password hashing (argon2id), random tokens, SHA-256 digests and timing-safe
 * comparison. crypto_init() must be called once before anything else here.
 *
 * Sealed secrets are text: "pse1.<key id>.<base64 of nonce || MAC || ciphertext>", where the
 * key id is 8 hex digits derived from the key. The keyring holds a primary key (used to seal)
 * and older keys (still accepted to open), which is how a key is rotated: see docs/secrets.md.
 */
#ifndef PROSPECT_UTIL_CRYPTO_H
#define PROSPECT_UTIL_CRYPTO_H

#include "error.h"
#include "str.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Initializes libsodium. Returns PR_OK or PR_INTERNAL. Idempotent and thread-safe. */
enum pr_code crypto_init(struct pr_error *err);

struct keyring;

/* Loads a keyring. Sources, in order: `env_key` (the value of PROSPECT_SECRET_KEY: one base64
 * 32-byte key, or several separated by commas, primary first), then `key_file` (one base64 key
 * per line, primary first; '#' comments and blank lines ignored). Either may be NULL; when both
 * are NULL or empty the result is PR_CONFIG with a hint on generating a key. A key file
 * readable by group or others is refused (PR_CONFIG). *out is freed with keyring_free(), which
 * wipes the keys. */
enum pr_code keyring_load(const char *env_key, const char *key_file, struct keyring **out,
                          struct pr_error *err);
void keyring_free(struct keyring *ring);

/* Number of keys in the ring (primary included). */
size_t keyring_size(const struct keyring *ring);

/* Writes a new random key, base64-encoded, into `out` (at least 45 bytes). */
void crypto_generate_key_b64(char *out, size_t out_size);

/* Seals `len` bytes with the primary key and appends the sealed text to `out`. */
enum pr_code secret_seal(const struct keyring *ring, const void *plain, size_t len, struct buf *out,
                         struct pr_error *err);

/* Opens sealed text and appends the plaintext to `out`. PR_INVALID when the text is malformed
 * or was tampered with; PR_CONFIG when its key id is not in the ring (hint: restore the old
 * key). Callers should wipe `out` (explicit_bzero) when done. */
enum pr_code secret_open(const struct keyring *ring, const char *sealed, struct buf *out,
                         struct pr_error *err);

/* True when `sealed` was sealed with a key other than the primary (needs re-sealing). */
bool secret_needs_rotation(const struct keyring *ring, const char *sealed);

/* Hashes a password with argon2id (libsodium's interactive limits) into `out`
 * (crypto_pwhash_STRBYTES, 128 bytes, is enough). PR_INTERNAL on failure (out of memory). */
enum pr_code password_hash(const char *password, char *out, size_t out_size, struct pr_error *err);

/* Verifies a password against a stored argon2id hash in constant time. */
bool password_verify(const char *password, const char *stored_hash);

/* Fills `out` with `n` random bytes from the system CSPRNG. */
void crypto_random_bytes(void *out, size_t n);

/* Fills `out` with `n_bytes` random bytes encoded as unpadded base64url (out_size must be at
 * least 4 * n_bytes / 3 + 2). */
void crypto_random_token(size_t n_bytes, char *out, size_t out_size);

/* Lower-case hex SHA-256 of `len` bytes into `out` (at least 65 bytes). */
void crypto_sha256_hex(const void *data, size_t len, char *out, size_t out_size);

/* Lower-case hex SHA-256 of everything readable from `f` (from its current position), and the
 * number of bytes read into *size (may be NULL). PR_IO when reading fails. */
enum pr_code crypto_sha256_stream(FILE *f, char out[65], int64_t *size, struct pr_error *err);

/* Constant-time equality of two equal-length byte strings (false when lengths differ). */
bool crypto_equal(const void *a, size_t a_len, const void *b, size_t b_len);

#endif
