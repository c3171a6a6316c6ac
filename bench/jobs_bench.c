/*
 * Job-queue benchmark: no-op jobs through the durable queue (store/jobs.h) and the worker
 * pool (jobs/pool.h) with 2 workers, each on its own SQLite connection. bench/jobs_bench.sh
 * runs it next to the same work on BullMQ (bench/bullmq/bench.mjs) and prints the ratio.
 *
 *   jobs_bench DIR [N [STEADY_N [STEADY_RATE]]]   defaults: 100000, N/10, 1000 jobs/s
 *
 * Two modes, each on a fresh database in DIR:
 * - burst: N jobs are enqueued in transactions of 1000, then the pool starts and runs them
 *   all. Throughput is N over the processing phase (pool start to the N-th job recorded as
 *   succeeded); the total includes the enqueue phase.
 * - steady: the pool runs while one producer enqueues STEADY_N jobs, one per transaction, on
 *   a fixed schedule of STEADY_RATE jobs/s. This is the latency that matters to a user.
 * Latency is from the moment a job was due to be enqueued (its batch's start in burst mode,
 * its slot in the schedule in steady mode, so a producer that falls behind does not hide the
 * delay) to its handler running, on CLOCK_MONOTONIC. In burst mode it is mostly time waiting
 * behind the backlog. Workers poll every POLL_MS when idle (the pool has no wake-up on
 * enqueue: producers are usually other processes).
 *
 * A mode ends when the database shows all its jobs succeeded. A worker whose completion
 * fails (e.g. the database stayed busy past the timeout) logs the error to stderr and its job
 * runs again once its lease expires; `reruns` counts such extra runs, and the wait includes
 * them.
 *
 * Output: one line per mode of key=value figures, read by jobs_bench.sh. Build with
 * --buildtype=release for meaningful figures.
 */
#include "jobs/pool.h"
#include "store/jobs.h"
#include "store/tenants.h"
#include "util/mem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define N_WORKERS 2
#define BATCH     1000
#define POLL_MS   1
/* No progress for this long: give up. Above the 60 s lease, so a job whose completion failed
 * (it stays running until its lease expires, then runs again) is waited for. */
#define STALL_NS (90 * INT64_C(1000000000))

/* Where the no-op handler records when each job ran (file-static: the bench runs one pool at
 * a time). Job ids in a fresh database are 1..n_jobs; each slot is written by the worker that
 * ran the job (a job runs again only after its earlier attempt ended) and read after the
 * workers are joined. n_calls counts handler calls, n_distinct the jobs handled at least once:
 * more calls than jobs means a completion was lost and the job ran again. */
static int64_t *handled_ns;
static int64_t n_jobs;
static atomic_llong n_calls, n_distinct, n_out_of_range;

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_until_ns(int64_t when_ns)
{
    struct timespec ts = {(time_t)(when_ns / 1000000000), (long)(when_ns % 1000000000)};

    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        continue;
}

static void reset_counters(int64_t n)
{
    handled_ns = xcalloc((size_t)n, sizeof *handled_ns);
    n_jobs = n;
    atomic_store(&n_calls, 0);
    atomic_store(&n_distinct, 0);
    atomic_store(&n_out_of_range, 0);
}

static enum pr_code noop_handler(struct job_run *run, struct pr_error *err)
{
    int64_t id = run->job->id;

    (void)err;
    atomic_fetch_add(&n_calls, 1);
    if (id < 1 || id > n_jobs) {
        atomic_fetch_add(&n_out_of_range, 1);
        return PR_OK;
    }
    if (handled_ns[id - 1] == 0)
        atomic_fetch_add(&n_distinct, 1);
    handled_ns[id - 1] = now_ns();
    return PR_OK;
}

/* claim_batch comes from $CLAIM_BATCH (default 1: one job per claim). */
static struct job_kind kinds[] = {{.name = "noop", .handler = noop_handler}};

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

    return (a > b) - (a < b);
}

/* Nearest-rank percentile of sorted values, in ms. */
static double percentile_ms(const int64_t *sorted, int64_t n, int pct)
{
    int64_t rank = (n * pct + 99) / 100;

    return (double)sorted[rank > 0 ? rank - 1 : 0] / 1e6;
}

static bool parse_count(const char *text, int64_t *out)
{
    char *end;
    long long value;

    errno = 0;
    value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 1 || value > 100000000)
        return false;
    *out = value;
    return true;
}

/* Creates DIR/NAME.db afresh with one tenant; the store stays open for the producer. */
static enum pr_code open_fresh(const char *dir, const char *name, char *path, size_t path_size,
                               struct store **st, struct tenant_ctx *t, struct pr_error *err)
{
    struct store_options so = {0};
    const char *suffixes[] = {"", "-wal", "-shm"};
    char file[4200];
    size_t i;
    enum pr_code rc;
    int len = snprintf(path, path_size, "%s/%s.db", dir, name);

    if (len < 0 || (size_t)len >= path_size)
        return pr_error_set(err, PR_INVALID, "directory path too long");
    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        len = snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
        if (len > 0 && (size_t)len < sizeof file)
            (void)unlink(file);
    }
    so.path = path;
    so.busy_timeout_ms = 10000;
    so.create = true;
    so.migrate = true;
    t->tenant_id = 0;
    rc = store_open(&so, st, err);
    if (rc == PR_OK)
        rc = store_tenants_create(*st, "bench", "Bench", "US", &t->tenant_id, err);
    return rc;
}

/* Workers log their store errors (a failed claim or completion) to `log`. */
static enum pr_code start_pool(const char *path, struct logger *log, struct jobs_pool **pool,
                               struct pr_error *err)
{
    struct jobs_pool_options opt = {0}; /* copied by the pool; what it points to outlives it */

    opt.database_path = path;
    opt.busy_timeout_ms = 10000;
    opt.n_workers = N_WORKERS;
    opt.poll_ms = POLL_MS;
    opt.kinds = kinds;
    opt.n_kinds = sizeof kinds / sizeof kinds[0];
    opt.policy = retry_policy_default();
    opt.clock = clock_real();
    opt.name = "bench";
    opt.log = log;
    return jobs_pool_start(&opt, pool, err);
}

/* Jobs of the tenant not yet succeeded (available, running or retryable), up to 3000. */
static enum pr_code count_unfinished(struct store *st, const struct tenant_ctx *t, int64_t *out,
                                     struct pr_error *err)
{
    const char *states[] = {"available", "running", "retryable"};
    struct arena *a = arena_new(0);
    struct job *rows;
    size_t i, n;
    enum pr_code rc = PR_OK;

    *out = 0;
    for (i = 0; rc == PR_OK && i < sizeof states / sizeof states[0]; i++) {
        rc = store_jobs_list(st, t, states[i], 0, 1000, a, &rows, &n, err);
        if (rc == PR_OK)
            *out += (int64_t)n;
    }
    arena_free(a);
    return rc;
}

/* Waits until every one of the `n` jobs has succeeded; *done_ns is when that was seen. The
 * handler counters tell when all jobs ran and every run was recorded; the database then
 * confirms (a run whose completion failed leaves its job running until its lease expires). */
static enum pr_code wait_done(struct jobs_pool *pool, struct store *st, const struct tenant_ctx *t,
                              int64_t n, int64_t *done_ns, struct pr_error *err)
{
    int64_t last = -1, last_change_ns = now_ns(), unfinished;
    const struct timespec tick = {0, 100000}, slow_tick = {0, 1000000};
    enum pr_code rc;

    for (;;) {
        int64_t calls = atomic_load(&n_calls);
        int64_t ran = jobs_pool_n_ran(pool);
        bool is_tail = atomic_load(&n_distinct) == n && ran == calls;

        if (is_tail) {
            rc = count_unfinished(st, t, &unfinished, err);
            if (rc != PR_OK)
                return rc;
            if (unfinished == 0)
                break;
        }
        if (ran != last) {
            last = ran;
            last_change_ns = now_ns();
        } else if (now_ns() - last_change_ns > STALL_NS) {
            return pr_error_set(err, PR_INTERNAL, "stalled after %" PRId64 " of %" PRId64 " jobs",
                                ran, n);
        }
        nanosleep(is_tail ? &slow_tick : &tick, NULL);
    }
    *done_ns = now_ns();
    return PR_OK;
}

/* Latencies (handled - enqueued) of every job, sorted; PR_INTERNAL when a job was not run. */
static enum pr_code latencies(const int64_t *enqueued_ns, int64_t n, int64_t *out,
                              struct pr_error *err)
{
    int64_t i;

    if (atomic_load(&n_out_of_range) != 0)
        return pr_error_set(err, PR_INTERNAL, "a handler saw an unexpected job id");
    for (i = 0; i < n; i++) {
        if (handled_ns[i] == 0)
            return pr_error_set(err, PR_INTERNAL, "job %" PRId64 " never ran", i + 1);
        out[i] = handled_ns[i] - enqueued_ns[i];
    }
    qsort(out, (size_t)n, sizeof *out, cmp_i64);
    return PR_OK;
}

static enum pr_code run_burst(const char *dir, int64_t n, struct logger *log, struct pr_error *err)
{
    char path[4096];
    struct store *st = NULL;
    struct jobs_pool *pool = NULL;
    struct tenant_ctx t;
    struct job_new job = {.kind = "noop"};
    int64_t *enqueued_ns = xcalloc((size_t)n, sizeof *enqueued_ns);
    int64_t *lat = xcalloc((size_t)n, sizeof *lat);
    int64_t i, id, t_start, t_enqueued, t_done = 0;
    enum pr_code rc = open_fresh(dir, "burst", path, sizeof path, &st, &t, err);

    reset_counters(n);
    t_start = now_ns();
    for (i = 0; rc == PR_OK && i < n; i += BATCH) {
        int64_t j, end = i + BATCH < n ? i + BATCH : n, batch_ns = now_ns();

        rc = store_begin(st, err);
        for (j = i; rc == PR_OK && j < end; j++) {
            rc = store_jobs_enqueue(st, &t, &job, &id, err);
            if (rc == PR_OK && id != j + 1)
                rc = pr_error_set(err, PR_INTERNAL, "job id %" PRId64 ", expected %" PRId64, id,
                                  j + 1);
            enqueued_ns[j] = batch_ns;
        }
        if (rc == PR_OK)
            rc = store_commit(st, err);
        else
            store_rollback(st);
    }
    t_enqueued = now_ns();
    if (rc == PR_OK)
        rc = start_pool(path, log, &pool, err);
    if (rc == PR_OK)
        rc = wait_done(pool, st, &t, n, &t_done, err);
    jobs_pool_stop(pool);
    if (rc == PR_OK)
        rc = latencies(enqueued_ns, n, lat, err);
    if (rc == PR_OK)
        printf("prospect mode=burst jobs=%" PRId64 " workers=%d claim_batch=%d enqueue_jobs_s=%.0f "
               "process_jobs_s=%.0f total_jobs_s=%.0f p50_ms=%.1f p99_ms=%.1f reruns=%" PRId64 "\n",
               n, N_WORKERS, kinds[0].claim_batch > 1 ? kinds[0].claim_batch : 1,
               (double)n * 1e9 / (double)(t_enqueued - t_start),
               (double)n * 1e9 / (double)(t_done - t_enqueued),
               (double)n * 1e9 / (double)(t_done - t_start), percentile_ms(lat, n, 50),
               percentile_ms(lat, n, 99), (int64_t)atomic_load(&n_calls) - n);
    store_close(st);
    xfree(handled_ns);
    handled_ns = NULL;
    xfree(lat);
    xfree(enqueued_ns);
    return rc;
}

static enum pr_code run_steady(const char *dir, int64_t n, int64_t rate, struct logger *log,
                               struct pr_error *err)
{
    char path[4096];
    struct store *st = NULL;
    struct jobs_pool *pool = NULL;
    struct tenant_ctx t;
    struct job_new job = {.kind = "noop"};
    int64_t *enqueued_ns = xcalloc((size_t)n, sizeof *enqueued_ns);
    int64_t *lat = xcalloc((size_t)n, sizeof *lat);
    int64_t i, id, t_start, t_done = 0;
    enum pr_code rc = open_fresh(dir, "steady", path, sizeof path, &st, &t, err);

    reset_counters(n);
    if (rc == PR_OK)
        rc = start_pool(path, log, &pool, err);
    t_start = now_ns() + 10000000; /* let the workers settle for 10 ms */
    for (i = 0; rc == PR_OK && i < n; i++) {
        enqueued_ns[i] = t_start + i * 1000000000 / rate;
        sleep_until_ns(enqueued_ns[i]);
        rc = store_begin(st, err);
        if (rc == PR_OK)
            rc = store_jobs_enqueue(st, &t, &job, &id, err);
        if (rc == PR_OK && id != i + 1)
            rc = pr_error_set(err, PR_INTERNAL, "job id %" PRId64 ", expected %" PRId64, id, i + 1);
        if (rc == PR_OK)
            rc = store_commit(st, err);
        else
            store_rollback(st);
    }
    if (rc == PR_OK)
        rc = wait_done(pool, st, &t, n, &t_done, err);
    jobs_pool_stop(pool);
    if (rc == PR_OK)
        rc = latencies(enqueued_ns, n, lat, err);
    if (rc == PR_OK)
        printf("prospect mode=steady jobs=%" PRId64 " workers=%d rate_jobs_s=%" PRId64
               " achieved_jobs_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f reruns=%" PRId64 "\n",
               n, N_WORKERS, rate, (double)n * 1e9 / (double)(t_done - t_start),
               percentile_ms(lat, n, 50), percentile_ms(lat, n, 99), (double)lat[n - 1] / 1e6,
               (int64_t)atomic_load(&n_calls) - n);
    store_close(st);
    xfree(handled_ns);
    handled_ns = NULL;
    xfree(lat);
    xfree(enqueued_ns);
    return rc;
}

int main(int argc, char **argv)
{
    struct pr_error err;
    int64_t n = 100000, steady_n = 0, steady_rate = 1000, batch = 1;
    struct logger *log;
    enum pr_code rc;

    if (argc < 2 || argc > 5 || (argc > 2 && !parse_count(argv[2], &n)) ||
        (argc > 3 && !parse_count(argv[3], &steady_n)) ||
        (argc > 4 && !parse_count(argv[4], &steady_rate))) {
        fprintf(stderr, "usage: jobs_bench DIR [N [STEADY_N [STEADY_RATE]]]\n");
        return 2;
    }
    if (steady_n == 0)
        steady_n = n / 10 > 0 ? n / 10 : 1;
    pr_error_clear(&err);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (getenv("CLAIM_BATCH") != NULL && parse_count(getenv("CLAIM_BATCH"), &batch) &&
        batch <= 1000)
        kinds[0].claim_batch = (int)batch;
    log = logger_new(STDERR_FILENO, LOG_WARN, clock_real(), NULL, 0);
    rc = run_burst(argv[1], n, log, &err);
    if (rc == PR_OK)
        rc = run_steady(argv[1], steady_n, steady_rate, log, &err);
    logger_free(log);
    if (rc != PR_OK) {
        fprintf(stderr, "jobs_bench: %s%s%s\n", err.message, err.detail[0] ? ": " : "", err.detail);
        return 1;
    }
    return 0;
}
