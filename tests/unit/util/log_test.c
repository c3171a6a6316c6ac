/*
 * Tests for util/log. Each test logs into an unlinked temporary file with a fake clock, reads
 * back what was written and compares exact lines; every line read back must also parse as a
 * JSON object. The central test puts an e-mail address, a phone number, an API key and a
 * bearer token into one line and checks that none of them comes out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/mem.h"

#define T0_MS   INT64_C(1795514400000) /* 2026-11-24T10:00:00.000Z */
#define T0_TEXT "2026-11-24T10:00:00.000Z"

struct fixture {
    int fd;
    off_t read_at; /* bytes already returned by take() */
    struct clock clock;
};

static int setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    char path[] = "/tmp/prospect-log-test-XXXXXX";

    fx->fd = mkstemp(path);
    if (fx->fd < 0)
        return -1;
    unlink(path);
    clock_fake_init(&fx->clock, T0_MS);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    close(fx->fd);
    xfree(fx);
    return 0;
}

/* Everything written since the last call, NUL-terminated; every line must be a JSON object
 * with ts, level and msg strings. Free with xfree. */
static char *take(struct fixture *fx)
{
    off_t end = lseek(fx->fd, 0, SEEK_END);
    size_t len, done = 0;
    char *text, *line;

    assert_true(end >= fx->read_at);
    len = (size_t)(end - fx->read_at);
    text = xmalloc(len + 1);
    while (done < len) {
        ssize_t n = pread(fx->fd, text + done, len - done, fx->read_at + (off_t)done);

        assert_true(n > 0);
        done += (size_t)n;
    }
    text[len] = '\0';
    fx->read_at = end;
    for (line = text; *line != '\0';) {
        char *newline = strchr(line, '\n');
        json_error_t jerr;
        json_t *obj;

        assert_non_null(newline); /* every line is complete */
        obj = json_loadb(line, (size_t)(newline - line), JSON_REJECT_DUPLICATES, &jerr);
        if (obj == NULL)
            fail_msg("line does not parse (%s): %.*s", jerr.text, (int)(newline - line), line);
        assert_true(json_is_object(obj));
        assert_true(json_is_string(json_object_get(obj, "ts")));
        assert_true(json_is_string(json_object_get(obj, "level")));
        assert_true(json_is_string(json_object_get(obj, "msg")));
        json_decref(obj);
        line = newline + 1;
    }
    return text;
}

static void assert_took(struct fixture *fx, const char *expected)
{
    char *text = take(fx);

    assert_string_equal(text, expected);
    xfree(text);
}

static void test_exact_lines(void **state)
{
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_DEBUG, &fx->clock, NULL, 0);

    log_event(lg, LOG_INFO, "req-7f3a", "key created", "tenant", "3", "name", "ci", NULL);
    clock_fake_advance(&fx->clock, 1234);
    log_event(lg, LOG_DEBUG, NULL, "no id, no fields", NULL);
    log_event(lg, LOG_ERROR, "job-9", NULL, "empty", "", NULL);
    assert_took(fx, "{\"ts\":\"" T0_TEXT "\",\"level\":\"info\",\"id\":\"req-7f3a\","
                    "\"msg\":\"key created\",\"tenant\":\"3\",\"name\":\"ci\"}\n"
                    "{\"ts\":\"2026-11-24T10:00:01.234Z\",\"level\":\"debug\","
                    "\"msg\":\"no id, no fields\"}\n"
                    "{\"ts\":\"2026-11-24T10:00:01.234Z\",\"level\":\"error\",\"id\":\"job-9\","
                    "\"msg\":\"\",\"empty\":\"\"}\n");
    logger_free(lg);
}

/* The required test: PII and credentials in the message and in field values never reach the
 * log, whatever the field is called. */
static void test_no_pii_or_credentials(void **state)
{
    static const char *const raw[] = {
        "jane.doe@example.com",
        "jane.doe",
        "+1 (415) 867-5309",
        "867-5309",
        "prospect_ab12cd34_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5",
        "ab12cd34",
        "Zm9vYmFy",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        "eyJhbGci",
    };
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_INFO, &fx->clock, NULL, 0);
    char *text;
    json_t *obj;
    size_t i;

    log_event(lg, LOG_WARN, "req-1",
              "login by jane.doe@example.com from +1 (415) 867-5309 with "
              "prospect_ab12cd34_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5 and "
              "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
              "contact", "Jane <jane.doe@example.com>, tel +1 (415) 867-5309", "key",
              "prospect_ab12cd34_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5", "header",
              "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "api_key",
              "prospect_ab12cd34_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5", NULL);
    text = take(fx);
    for (i = 0; i < sizeof raw / sizeof raw[0]; i++) {
        if (strstr(text, raw[i]) != NULL)
            fail_msg("\"%s\" leaked into: %s", raw[i], text);
    }
    assert_non_null(strstr(text, "[email]"));
    assert_non_null(strstr(text, "[phone]"));
    assert_non_null(strstr(text, "[api-key]"));
    assert_non_null(strstr(text, "Bearer [redacted]"));

    obj = json_loads(text, 0, NULL);
    assert_non_null(obj);
    assert_string_equal(json_string_value(json_object_get(obj, "msg")),
                        "login by [email] from [phone] with [api-key] and "
                        "Authorization: [redacted]");
    assert_string_equal(json_string_value(json_object_get(obj, "contact")),
                        "Jane <[email]>, tel [phone]");
    assert_string_equal(json_string_value(json_object_get(obj, "key")), "[api-key]");
    assert_string_equal(json_string_value(json_object_get(obj, "header")), "Bearer [redacted]");
    assert_string_equal(json_string_value(json_object_get(obj, "api_key")), "[redacted]");
    json_decref(obj);
    xfree(text);
    logger_free(lg);
}

static void test_level_filter(void **state)
{
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_WARN, &fx->clock, NULL, 0);
    struct pr_error err;

    log_event(lg, LOG_DEBUG, NULL, "d", NULL);
    log_event(lg, LOG_INFO, NULL, "i", NULL);
    log_event(lg, LOG_WARN, NULL, "w", NULL);
    log_event(lg, LOG_ERROR, NULL, "e", NULL);
    pr_error_set(&err, PR_IO, "x");
    log_error(lg, LOG_INFO, NULL, &err);
    log_event(NULL, LOG_ERROR, NULL, "no logger", NULL);
    assert_took(fx, "{\"ts\":\"" T0_TEXT "\",\"level\":\"warn\",\"msg\":\"w\"}\n"
                    "{\"ts\":\"" T0_TEXT "\",\"level\":\"error\",\"msg\":\"e\"}\n");
    logger_free(lg);
}

static void test_secret_named_fields(void **state)
{
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_DEBUG, &fx->clock, NULL, 0);

    log_event(lg, LOG_INFO, NULL, "m", "password", "hunter2", "X-Api-Key", "k1", "client_secret",
              "plain words", "Authorization", "Basic dXNlcjpwYXNz", "session_token", NULL, "user",
              "bob", "query", "a=1&token=abc&b=2", NULL);
    assert_took(fx, "{\"ts\":\"" T0_TEXT "\",\"level\":\"info\",\"msg\":\"m\","
                    "\"password\":\"[redacted]\",\"X-Api-Key\":\"[redacted]\","
                    "\"client_secret\":\"[redacted]\",\"Authorization\":\"[redacted]\","
                    "\"session_token\":\"[redacted]\",\"user\":\"bob\","
                    "\"query\":\"a=1&token=[redacted]&b=2\"}\n");
    logger_free(lg);
}

static void test_configured_secret(void **state)
{
    struct fixture *fx = *state;
    char secret[] = "Sup3r-S3cret-Value";
    const char *const secrets[] = {secret, "", NULL};
    struct logger *lg = logger_new(fx->fd, LOG_DEBUG, &fx->clock, secrets, 3);
    char *text;

    /* The logger keeps its own copy. */
    memset(secret, 'x', sizeof secret - 1);
    log_event(lg, LOG_INFO, NULL, "dsn postgres://u:Sup3r-S3cret-Value@db/x", "note",
              "got Sup3r-S3cret-Value twice: Sup3r-S3cret-Value", NULL);
    text = take(fx);
    assert_null(strstr(text, "Sup3r-S3cret-Value"));
    assert_null(strstr(text, "S3cret"));
    assert_string_equal(text, "{\"ts\":\"" T0_TEXT "\",\"level\":\"info\","
                              "\"msg\":\"dsn postgres://u:[secret]@db/x\","
                              "\"note\":\"got [secret] twice: [secret]\"}\n");
    xfree(text);
    logger_free(lg);
}

static void test_null_value(void **state)
{
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_DEBUG, &fx->clock, NULL, 0);
    char *text;
    json_t *obj;

    log_event(lg, LOG_INFO, NULL, "m", "a", NULL, "b", "2", NULL);
    text = take(fx);
    assert_string_equal(text, "{\"ts\":\"" T0_TEXT "\",\"level\":\"info\",\"msg\":\"m\","
                              "\"a\":null,\"b\":\"2\"}\n");
    obj = json_loads(text, 0, NULL);
    assert_true(json_is_null(json_object_get(obj, "a")));
    json_decref(obj);
    xfree(text);
    logger_free(lg);
}

static void test_escaping_and_reserved_keys(void **state)
{
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_DEBUG, &fx->clock, NULL, 0);

    log_event(lg, LOG_INFO, "id\"1", "two\nlines \"quoted\" \\ \x01 bad\xff", "msg", "dup", "ts",
              "t", "k\"ey", "v\tv", NULL);
    assert_took(fx, "{\"ts\":\"" T0_TEXT "\",\"level\":\"info\",\"id\":\"id\\\"1\","
                    "\"msg\":\"two\\nlines \\\"quoted\\\" \\\\ \\u0001 bad\xEF\xBF\xBD\","
                    "\"_msg\":\"dup\",\"_ts\":\"t\",\"k\\\"ey\":\"v\\tv\"}\n");
    logger_free(lg);
}

static void test_log_error(void **state)
{
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_DEBUG, &fx->clock, NULL, 0);
    struct pr_error err;

    pr_error_set(&err, PR_NOT_FOUND, "lead not found");
    log_error(lg, LOG_WARN, "req-2", &err);
    pr_error_set(&err, PR_IO, "cannot write %s", "export.csv");
    pr_error_detail(&err, "smtp to bob@example.com failed: password=hunter2");
    pr_error_hint(&err, "call +44 20 7946 0958");
    log_error(lg, LOG_ERROR, NULL, &err);
    log_error(lg, LOG_ERROR, NULL, NULL);
    assert_took(fx,
                "{\"ts\":\"" T0_TEXT "\",\"level\":\"warn\",\"id\":\"req-2\","
                "\"msg\":\"lead not found\",\"code\":\"not-found\"}\n"
                "{\"ts\":\"" T0_TEXT "\",\"level\":\"error\",\"msg\":\"cannot write export.csv\","
                "\"code\":\"io\",\"detail\":\"smtp to [email] failed: password=[redacted]\","
                "\"hint\":\"call [phone]\"}\n");
    logger_free(lg);
}

/* Returns a string of `count` copies of `unit`. */
static char *repeat(const char *unit, size_t count)
{
    size_t unit_len = strlen(unit), i;
    char *s = xmalloc(unit_len * count + 1);

    for (i = 0; i < count; i++)
        memcpy(s + i * unit_len, unit, unit_len);
    s[unit_len * count] = '\0';
    return s;
}

static void test_long_values_are_truncated(void **state)
{
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_DEBUG, &fx->clock, NULL, 0);
    char *big = repeat("a", 100000);
    char *wide = repeat("\xc3\xa9\n\x01", 20000);
    char *text;
    json_t *obj;
    const char *value;

    /* Short enough: untouched, no flag. */
    log_event(lg, LOG_INFO, NULL, "m", "v", big + 100000 - 15000, NULL);
    text = take(fx);
    assert_null(strstr(text, "truncated"));
    assert_int_equal(strlen(text), 15000 + strlen("{\"ts\":\"" T0_TEXT "\",\"level\":\"info\","
                                                  "\"msg\":\"m\",\"v\":\"\"}\n"));
    xfree(text);

    /* Too long: cut to the cap, still one valid line, flagged; the short field stays whole. */
    log_event(lg, LOG_INFO, "req-3", big, "short", "kept whole", "big", big, "wide", wide, NULL);
    text = take(fx);
    assert_true(strlen(text) <= 16384);
    assert_true(strlen(text) > 16000);
    assert_int_equal(text[strlen(text) - 1], '\n');
    obj = json_loads(text, 0, NULL);
    assert_non_null(obj);
    assert_true(json_is_true(json_object_get(obj, "truncated")));
    assert_string_equal(json_string_value(json_object_get(obj, "short")), "kept whole");
    value = json_string_value(json_object_get(obj, "big"));
    assert_true(strlen(value) > 4000 && strlen(value) < 6000);
    assert_true(strspn(value, "a") == strlen(value));
    assert_int_equal(strlen(json_string_value(json_object_get(obj, "msg"))), strlen(value));
    value = json_string_value(json_object_get(obj, "wide"));
    /* Cut between escapes and characters: what is left decodes to a prefix of the input
     * (and json_loads above has already checked it is valid UTF-8). */
    assert_true(strlen(value) > 1000);
    assert_memory_equal(value, wide, strlen(value));
    json_decref(obj);
    xfree(text);

    xfree(wide);
    xfree(big);
    logger_free(lg);
}

static void test_too_many_fields(void **state)
{
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_DEBUG, &fx->clock, NULL, 0);
    char *long_key = repeat("k", 1000);
    char *text;
    json_t *obj;

    /* 70 pairs: the first 64 are written, then "truncated":true. */
#define P5(n) "f" #n "a", "v", "f" #n "b", "v", "f" #n "c", "v", "f" #n "d", "v", "f" #n "e", "v"
    log_event(lg, LOG_INFO, NULL, "m", P5(0), P5(1), P5(2), P5(3), P5(4), P5(5), P5(6), P5(7),
              P5(8), P5(9), P5(10), P5(11), P5(12), P5(13), NULL);
#undef P5
    log_event(lg, LOG_INFO, NULL, "m", long_key, "v", NULL);
    text = take(fx);
    obj = json_loadb(text, (size_t)(strchr(text, '\n') - text), 0, NULL);
    assert_int_equal(json_object_size(obj), 3 + 64 + 1);
    assert_true(json_is_true(json_object_get(obj, "truncated")));
    assert_non_null(json_object_get(obj, "f12d"));
    assert_null(json_object_get(obj, "f12e"));
    json_decref(obj);
    obj = json_loads(strchr(text, '\n') + 1, 0, NULL);
    assert_true(json_is_true(json_object_get(obj, "truncated")));
    assert_string_equal(json_string_value(json_object_get(obj, long_key + 1000 - 128)), "v");
    json_decref(obj);
    xfree(text);
    xfree(long_key);
    logger_free(lg);
}

struct level_case {
    const char *text;
    enum pr_code rc;
    enum log_level level;
};

static void test_level_parse_and_name(void **state)
{
    static const struct level_case cases[] = {
        {"debug", PR_OK, LOG_DEBUG},      {"info", PR_OK, LOG_INFO},
        {"warn", PR_OK, LOG_WARN},        {"error", PR_OK, LOG_ERROR},
        {"INFO", PR_OK, LOG_INFO},        {"Warn", PR_OK, LOG_WARN},
        {"", PR_INVALID, LOG_ERROR},      {"warning", PR_INVALID, LOG_ERROR},
        {"info ", PR_INVALID, LOG_ERROR}, {"fatal", PR_INVALID, LOG_ERROR},
        {NULL, PR_INVALID, LOG_ERROR},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum log_level level = LOG_ERROR;

        assert_int_equal(log_level_parse(cases[i].text, &level), cases[i].rc);
        assert_int_equal(level, cases[i].level);
    }
    assert_string_equal(log_level_name(LOG_DEBUG), "debug");
    assert_string_equal(log_level_name(LOG_INFO), "info");
    assert_string_equal(log_level_name(LOG_WARN), "warn");
    assert_string_equal(log_level_name(LOG_ERROR), "error");
    assert_string_equal(log_level_name((enum log_level)42), "unknown");
}

static void test_errno_preserved(void **state)
{
    struct logger *lg = logger_new(-1, LOG_DEBUG, NULL, NULL, 0); /* writes fail: ignored */

    (void)state;
    errno = ENOENT;
    log_event(lg, LOG_INFO, NULL, "m", "k", "v", NULL);
    assert_int_equal(errno, ENOENT);
    logger_free(lg);
    logger_free(NULL);
}

struct thread_arg {
    struct logger *lg;
    int n;
};

static void *log_many(void *p)
{
    struct thread_arg *arg = p;
    char *value = repeat("x", 3000);
    int i;

    for (i = 0; i < 200; i++)
        log_event(arg->lg, LOG_INFO, NULL, "from a thread", "n", value, NULL);
    xfree(value);
    return NULL;
}

/* Lines logged from several threads at once come out whole: each line is a single write(2),
 * and Linux does not interleave concurrent writes to one open regular file. */
static void test_threads(void **state)
{
    struct fixture *fx = *state;
    struct logger *lg = logger_new(fx->fd, LOG_DEBUG, &fx->clock, NULL, 0);
    pthread_t threads[4];
    struct thread_arg args[4];
    char *text, *p;
    size_t n_lines = 0;
    int i;

    for (i = 0; i < 4; i++) {
        args[i].lg = lg;
        args[i].n = i;
        assert_int_equal(pthread_create(&threads[i], NULL, log_many, &args[i]), 0);
    }
    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    text = take(fx); /* parses every line */
    for (p = text; *p != '\0'; p++)
        n_lines += *p == '\n';
    assert_int_equal(n_lines, 800);
    xfree(text);
    logger_free(lg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_exact_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_pii_or_credentials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_level_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secret_named_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_configured_secret, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping_and_reserved_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_values_are_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_many_fields, setup, teardown),
        cmocka_unit_test(test_level_parse_and_name),
        cmocka_unit_test(test_errno_preserved),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
