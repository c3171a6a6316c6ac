/* Helpers shared by the CLI commands: set-up, error printing, tenant choice, passwords. */
#include "cli/cli.h"

#include "store/tenants.h"
#include "util/arena.h"
#include "util/crypto.h"
#include "util/mem.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

/* Creates the directories leading to `path` (like mkdir -p of its dirname). */
static enum pr_code make_parent_dirs(const char *path, struct pr_error *err)
{
    char *copy = xstrdup(path);
    char *p;
    enum pr_code rc = PR_OK;

    for (p = copy + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0750) != 0 && errno != EEXIST) {
            pr_error_set(err, PR_IO, "cannot create directory %s: %s", copy, strerror(errno));
            pr_error_hint(err, "create it yourself or choose another --database path");
            rc = PR_IO;
            break;
        }
        *p = '/';
    }
    xfree(copy);
    return rc;
}

enum pr_code cli_open(struct cli *cli, bool create, struct pr_error *err)
{
    struct store_options opt = {0};
    const char *config_path = cli->config_path;
    const char *env_key;
    struct passwd *pw = getpwuid(geteuid());
    struct stat sb;
    enum pr_code rc;

    if (config_path == NULL && stat("prospect.yaml", &sb) == 0)
        config_path = "prospect.yaml";
    rc = config_load(config_path, environ, &cli->cfg, err);
    if (rc != PR_OK)
        return rc;
    rc = crypto_init(err);
    if (rc != PR_OK)
        return rc;
    cli->app.clock = clock_real();
    cli->app.log = logger_new(STDERR_FILENO, cli->is_verbose ? LOG_DEBUG : LOG_WARN, cli->app.clock,
                              (const char *const *)cli->cfg->log_redact, cli->cfg->n_log_redact);
    /* Secret keys are checked at start-up, not when a secret is first needed. */
    env_key = getenv("PROSPECT_SECRET_KEY");
    if ((env_key != NULL && env_key[0] != '\0') || cli->cfg->secrets_key_file != NULL) {
        rc = keyring_load(env_key, cli->cfg->secrets_key_file, &cli->app.keyring, err);
        if (rc != PR_OK)
            return rc;
    }
    (void)snprintf(cli->actor_id, sizeof cli->actor_id, "%s", pw ? pw->pw_name : "unknown");
    cli->actor.type = "cli";
    cli->actor.id = cli->actor_id;
    opt.path = cli->database_path ? cli->database_path : cli->cfg->database_path;
    opt.busy_timeout_ms = cli->cfg->database_busy_timeout_ms;
    opt.create = create;
    opt.migrate = true;
    opt.clock = cli->app.clock;
    if (create) {
        rc = make_parent_dirs(opt.path, err);
        if (rc != PR_OK)
            return rc;
    }
    return store_open(&opt, &cli->app.st, err);
}

const struct geo_index *cli_zip_index(struct cli *cli)
{
    struct pr_error err;

    if (cli->zips == NULL && geo_index_build_us(&cli->zips, &err) != PR_OK) {
        log_error(cli->app.log, LOG_WARN, NULL, &err);
        cli->zips = NULL;
    }
    return cli->zips;
}

void cli_close(struct cli *cli)
{
    geo_index_free(cli->zips);
    cli->zips = NULL;
    store_close(cli->app.st);
    cli->app.st = NULL;
    logger_free(cli->app.log);
    cli->app.log = NULL;
    keyring_free(cli->app.keyring);
    cli->app.keyring = NULL;
    config_free(cli->cfg);
    cli->cfg = NULL;
}

int cli_fail(struct cli *cli, const struct pr_error *err)
{
    fprintf(stderr, "prospect: error: %s\n", err->message);
    if (err->hint[0] != '\0')
        fprintf(stderr, "  hint: %s\n", err->hint);
    if (cli->is_verbose && err->detail[0] != '\0')
        fprintf(stderr, "  detail: %s\n", err->detail);
    if (cli->app.log != NULL)
        log_error(cli->app.log, LOG_DEBUG, NULL, err);
    return pr_code_exit_status(err->code);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "prospect%s%s: ", command ? " " : "", command ? command : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  hint: run `prospect %s%s--help` for usage\n", command ? command : "",
            command ? " " : "");
    return pr_code_exit_status(PR_USAGE);
}

bool cli_wants_help(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    }
    return false;
}

enum pr_code cli_resolve_tenant(struct cli *cli, const char *slug, struct tenant_ctx *out,
                                struct pr_error *err)
{
    struct arena *a = arena_new(1024);
    struct tenant tenant, *tenants = NULL;
    size_t n = 0;
    enum pr_code rc;

    if (slug != NULL) {
        rc = store_tenants_get_by_slug(cli->app.st, slug, a, &tenant, err);
        if (rc == PR_NOT_FOUND) {
            pr_error_set(err, PR_NOT_FOUND, "no tenant with slug \"%s\"", slug);
            pr_error_hint(err, "`prospect tenant list` shows the tenants");
        }
        if (rc == PR_OK)
            out->tenant_id = tenant.id;
        goto out;
    }
    rc = store_tenants_list(cli->app.st, a, &tenants, &n, err);
    if (rc != PR_OK)
        goto out;
    if (n == 1) {
        out->tenant_id = tenants[0].id;
    } else if (n == 0) {
        rc = pr_error_set(err, PR_NOT_FOUND, "the database has no tenant yet");
        pr_error_hint(err, "run `prospect init`");
    } else {
        rc = pr_error_set(err, PR_USAGE, "there are %zu tenants; say which one", n);
        pr_error_hint(err, "add --tenant SLUG (`prospect tenant list` shows them)");
    }
out:
    arena_free(a);
    return rc;
}

static enum pr_code read_line(FILE *in, char *out, size_t out_size, struct pr_error *err)
{
    size_t len;

    if (fgets(out, (int)out_size, in) == NULL)
        return pr_error_set(err, PR_USAGE, "no password was given on standard input");
    len = strcspn(out, "\r\n");
    if (out[len] == '\0' && len == out_size - 1) {
        explicit_bzero(out, out_size);
        return pr_error_set(err, PR_INVALID, "password is too long");
    }
    out[len] = '\0';
    return PR_OK;
}

enum pr_code cli_read_password(bool from_stdin, char *out, size_t out_size, struct pr_error *err)
{
    struct termios saved, quiet;
    char again[1100];
    enum pr_code rc;

    if (from_stdin)
        return read_line(stdin, out, out_size, err);
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0) {
        pr_error_set(err, PR_USAGE, "no terminal to ask for a password");
        return pr_error_hint(err, "pass it on standard input with --password-stdin");
    }
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    fprintf(stderr, "Password: ");
    rc = read_line(stdin, out, out_size, err);
    if (rc == PR_OK) {
        fprintf(stderr, "\nRepeat password: ");
        rc = read_line(stdin, again, sizeof again, err);
    }
    (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    fprintf(stderr, "\n");
    if (rc == PR_OK && strcmp(out, again) != 0)
        rc = pr_error_set(err, PR_INVALID, "the two passwords differ");
    explicit_bzero(again, sizeof again);
    return rc;
}

bool cli_parse_integer(const char *text, long long min, long long max, long long *out)
{
    char *end = NULL;
    long long value;

    errno = 0;
    value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
        return false;
    *out = value;
    return true;
}

const char *cli_format_time(int64_t ms, char *out, size_t out_size)
{
    if (ms == 0) {
        (void)snprintf(out, out_size, "-");
        return out;
    }
    clock_format_iso8601(ms, out, (unsigned)out_size);
    out[out_size > 20 ? 19 : out_size - 1] = '\0'; /* seconds precision is enough here */
    return out;
}
