/* Worker threads around jobs_work_once(). */
#include "jobs/pool.h"

#include "util/mem.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct worker {
    struct jobs_pool *pool;
    pthread_t thread;
    struct jobs_env env;
    char id[96];
    bool is_started;
};

struct jobs_pool {
    struct jobs_pool_options opt;
    struct worker *workers;
    atomic_bool is_stopping;
    atomic_llong n_ran;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

/* Sleeps up to `ms`, waking at once when the pool stops. */
static void idle(struct jobs_pool *pool, int64_t ms)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&pool->lock);
    if (!atomic_load(&pool->is_stopping))
        (void)pthread_cond_timedwait(&pool->wake, &pool->lock, &until);
    pthread_mutex_unlock(&pool->lock);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct jobs_pool *pool = w->pool;
    int64_t poll = pool->opt.poll_ms > 0 ? pool->opt.poll_ms : 200;

    while (!atomic_load(&pool->is_stopping)) {
        struct pr_error err;
        bool ran = false;
        int64_t before = w->env.n_ran;
        enum pr_code rc = jobs_work_once(&w->env, pool->opt.kinds, pool->opt.n_kinds, w->id,
                                         &pool->opt.policy, &ran, &err);

        if (rc != PR_OK && pool->opt.log != NULL)
            log_error(pool->opt.log, LOG_ERROR, w->id, &err);
        if (ran)
            atomic_fetch_add(&pool->n_ran, w->env.n_ran - before);
        else
            idle(pool, rc == PR_OK ? poll : poll * 5);
    }
    return NULL;
}

enum pr_code jobs_pool_start(const struct jobs_pool_options *opt, struct jobs_pool **out,
                             struct pr_error *err)
{
    struct jobs_pool *pool;
    struct store_options so = {0};
    char host[64] = "worker";
    int i;
    enum pr_code rc = PR_OK;

    if (opt->n_workers < 1 || opt->n_workers > 64)
        return pr_error_set(err, PR_INVALID, "workers must be 1 to 64, got %d", opt->n_workers);
    pool = xcalloc(1, sizeof *pool);
    pool->opt = *opt;
    pool->workers = xcalloc((size_t)opt->n_workers, sizeof *pool->workers);
    atomic_init(&pool->is_stopping, false);
    atomic_init(&pool->n_ran, 0);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    if (opt->name == NULL)
        (void)gethostname(host, sizeof host - 1);
    so.path = opt->database_path;
    so.busy_timeout_ms = opt->busy_timeout_ms;
    so.migrate = false; /* the process that starts the pool has migrated already */
    so.clock = opt->clock;
    for (i = 0; rc == PR_OK && i < opt->n_workers; i++) {
        struct worker *w = &pool->workers[i];

        w->pool = pool;
        (void)snprintf(w->id, sizeof w->id, "%.60s-%ld-%d", opt->name ? opt->name : host,
                       (long)getpid(), i + 1);
        w->env.clock = opt->clock;
        w->env.log = opt->log;
        w->env.reclaim_every_ms = 1000;
        rc = store_open(&so, &w->env.st, err);
        if (rc == PR_OK) {
            int e = pthread_create(&w->thread, NULL, worker_main, w);
            if (e != 0)
                rc =
                    pr_error_set(err, PR_INTERNAL, "cannot start a worker thread: %s", strerror(e));
            w->is_started = e == 0;
        }
    }
    if (rc != PR_OK) {
        jobs_pool_stop(pool);
        return rc;
    }
    *out = pool;
    return PR_OK;
}

void jobs_pool_stop(struct jobs_pool *pool)
{
    int i;

    if (pool == NULL)
        return;
    pthread_mutex_lock(&pool->lock);
    atomic_store(&pool->is_stopping, true);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (i = 0; i < pool->opt.n_workers; i++) {
        if (pool->workers[i].is_started)
            pthread_join(pool->workers[i].thread, NULL);
        store_close(pool->workers[i].env.st);
    }
    pthread_cond_destroy(&pool->wake);
    pthread_mutex_destroy(&pool->lock);
    xfree(pool->workers);
    xfree(pool);
}

/* The pid in "<name>-<pid>-<n>", or 0 when `id` is not a worker id of `name`. */
static long worker_pid(const char *id, const char *name)
{
    size_t len = strlen(name);
    char *end;
    long pid;

    if (strncmp(id, name, len) != 0 || id[len] != '-' || !isdigit((unsigned char)id[len + 1]))
        return 0;
    errno = 0;
    pid = strtol(id + len + 1, &end, 10);
    if (errno != 0 || *end != '-' || pid <= 0)
        return 0;
    return pid;
}

enum pr_code jobs_reclaim_dead_workers(struct store *st, const char *name, int64_t *n_reclaimed,
                                       struct pr_error *err)
{
    struct arena *a = arena_new(0);
    char host[64] = "worker", prefix[96];
    char **ids = NULL;
    size_t n = 0, i;
    int64_t n_expired = 0, total_expired = 0;
    enum pr_code rc;

    if (name == NULL) {
        (void)gethostname(host, sizeof host - 1);
        name = host;
    }
    rc = store_jobs_running_workers(st, a, &ids, &n, err);
    for (i = 0; rc == PR_OK && i < n; i++) {
        long pid = ids[i] ? worker_pid(ids[i], name) : 0;

        if (pid == 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        (void)snprintf(prefix, sizeof prefix, "%s-%ld-", name, pid);
        rc = store_jobs_expire_worker(st, prefix, &n_expired, err);
        total_expired += n_expired;
    }
    if (rc == PR_OK && total_expired > 0)
        rc = store_jobs_reclaim_expired(st, n_reclaimed, err);
    else if (rc == PR_OK && n_reclaimed != NULL)
        *n_reclaimed = 0;
    arena_free(a);
    return rc;
}

int64_t jobs_pool_n_ran(struct jobs_pool *pool)
{
    return atomic_load(&pool->n_ran);
}
