/* Secret encryption with key rotation, password hashing, tokens, digests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/crypto.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int setup(void **state)
{
    struct pr_error err;

    (void)state;
    return crypto_init(&err) == PR_OK ? 0 : -1;
}

static void test_seal_open_roundtrip(void **state)
{
    char key[64];
    struct keyring *ring = NULL;
    struct pr_error err;
    struct buf sealed, plain;

    (void)state;
    crypto_generate_key_b64(key, sizeof key);
    assert_int_equal(keyring_load(key, NULL, &ring, &err), PR_OK);
    assert_int_equal(keyring_size(ring), 1);
    buf_init(&sealed, 4096);
    buf_init(&plain, 4096);
    assert_int_equal(secret_seal(ring, "hubspot-token-123", 17, &sealed, &err), PR_OK);
    assert_non_null(strstr(buf_cstr(&sealed), "pse1."));
    assert_null(strstr(buf_cstr(&sealed), "hubspot")); /* the plaintext is not visible */
    assert_int_equal(secret_open(ring, buf_cstr(&sealed), &plain, &err), PR_OK);
    assert_string_equal(buf_cstr(&plain), "hubspot-token-123");
    assert_false(secret_needs_rotation(ring, buf_cstr(&sealed)));
    buf_free(&sealed);
    buf_free(&plain);
    keyring_free(ring);
}

static void test_tamper_and_garbage_are_errors(void **state)
{
    char key[64];
    struct keyring *ring = NULL;
    struct pr_error err;
    struct buf sealed, plain;
    char *copy;
    size_t last;
    static const char *const garbage[] = {"", "pse1.", "pse1.abcdefgh", "plain text",
                                          "pse1.00000000.AAAA"};
    size_t i;

    (void)state;
    crypto_generate_key_b64(key, sizeof key);
    assert_int_equal(keyring_load(key, NULL, &ring, &err), PR_OK);
    buf_init(&sealed, 4096);
    buf_init(&plain, 4096);
    assert_int_equal(secret_seal(ring, "secret", 6, &sealed, &err), PR_OK);
    copy = xstrdup(buf_cstr(&sealed));
    last = strlen(copy) - 1;
    copy[last] = copy[last] == 'A' ? 'B' : 'A';
    assert_int_equal(secret_open(ring, copy, &plain, &err), PR_INVALID);
    xfree(copy);
    for (i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        enum pr_code rc = secret_open(ring, garbage[i], &plain, &err);
        assert_true(rc == PR_INVALID || rc == PR_CONFIG);
    }
    assert_int_equal(plain.len, 0);
    buf_free(&sealed);
    buf_free(&plain);
    keyring_free(ring);
}

static void test_rotation(void **state)
{
    char old_key[64], new_key[64], both[140];
    struct keyring *old_ring = NULL, *new_ring = NULL, *new_only = NULL;
    struct pr_error err;
    struct buf sealed, plain;

    (void)state;
    crypto_generate_key_b64(old_key, sizeof old_key);
    crypto_generate_key_b64(new_key, sizeof new_key);
    (void)snprintf(both, sizeof both, "%s,%s", new_key, old_key);
    assert_int_equal(keyring_load(old_key, NULL, &old_ring, &err), PR_OK);
    assert_int_equal(keyring_load(both, NULL, &new_ring, &err), PR_OK);
    assert_int_equal(keyring_load(new_key, NULL, &new_only, &err), PR_OK);
    assert_int_equal(keyring_size(new_ring), 2);
    buf_init(&sealed, 4096);
    buf_init(&plain, 4096);
    assert_int_equal(secret_seal(old_ring, "v", 1, &sealed, &err), PR_OK);
    /* The rotated ring still opens old secrets and says they need re-sealing. */
    assert_int_equal(secret_open(new_ring, buf_cstr(&sealed), &plain, &err), PR_OK);
    assert_string_equal(buf_cstr(&plain), "v");
    assert_true(secret_needs_rotation(new_ring, buf_cstr(&sealed)));
    /* Once the old key is dropped, old secrets fail with a configuration error and a hint. */
    assert_int_equal(secret_open(new_only, buf_cstr(&sealed), &plain, &err), PR_CONFIG);
    assert_non_null(strstr(err.hint, "old key"));
    buf_free(&sealed);
    buf_free(&plain);
    keyring_free(old_ring);
    keyring_free(new_ring);
    keyring_free(new_only);
}

static void test_keyring_sources(void **state)
{
    char key[64], path[] = "/tmp/prospect-key-XXXXXX";
    struct keyring *ring = NULL;
    struct pr_error err;
    FILE *f;
    int fd;

    (void)state;
    assert_int_equal(keyring_load(NULL, NULL, &ring, &err), PR_CONFIG);
    assert_non_null(strstr(err.hint, "keygen"));
    assert_int_equal(keyring_load("not base64!", NULL, &ring, &err), PR_CONFIG);
    assert_int_equal(keyring_load("c2hvcnQ=", NULL, &ring, &err), PR_CONFIG); /* 5 bytes */
    crypto_generate_key_b64(key, sizeof key);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fprintf(f, "# primary first\n%s\n\n", key);
    fclose(f);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(keyring_load(NULL, path, &ring, &err), PR_CONFIG); /* readable by others */
    assert_non_null(strstr(err.hint, "chmod 600"));
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(keyring_load(NULL, path, &ring, &err), PR_OK);
    assert_int_equal(keyring_size(ring), 1);
    keyring_free(ring);
    assert_int_equal(keyring_load(NULL, "/nonexistent/key", &ring, &err), PR_CONFIG);
    unlink(path);
}

static void test_passwords(void **state)
{
    char hash[128];
    struct pr_error err;

    (void)state;
    assert_int_equal(password_hash("correct horse battery", hash, sizeof hash, &err), PR_OK);
    assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
    assert_true(password_verify("correct horse battery", hash));
    assert_false(password_verify("correct horse batterY", hash));
    assert_false(password_verify("", hash));
    assert_int_equal(password_hash("x", hash, 10, &err), PR_INTERNAL);
}

static void test_tokens_digests_equality(void **state)
{
    char a[64], b[64], hex[65];

    (void)state;
    crypto_random_token(32, a, sizeof a);
    crypto_random_token(32, b, sizeof b);
    assert_int_equal(strlen(a), 43);
    assert_string_not_equal(a, b);
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     43);
    crypto_sha256_hex("abc", 3, hex, sizeof hex); /* FIPS 180-2 test vector */
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_true(crypto_equal("abc", 3, "abc", 3));
    assert_false(crypto_equal("abc", 3, "abd", 3));
    assert_false(crypto_equal("abc", 3, "abcd", 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seal_open_roundtrip),
        cmocka_unit_test(test_tamper_and_garbage_are_errors),
        cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_keyring_sources),
        cmocka_unit_test(test_passwords),
        cmocka_unit_test(test_tokens_digests_equality),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
