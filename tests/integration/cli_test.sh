#!/usr/bin/env bash
# CLI integration tests: run the real `prospect` binary against real database files in a
# temporary directory and check exit codes, stdout and stderr. Prints TAP.
#   tests/integration/cli_test.sh PATH/TO/prospect
set -uo pipefail
bin=$(readlink -f "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d /tmp/prospect-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
unset PROSPECT_CONFIG PROSPECT_DATABASE_PATH PROSPECT_LOG_LEVEL

. "$here/tap.sh"
token_re='^prospect_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$'

# --- version, help, usage errors -------------------------------------------------------
run version;            check "version exits 0" exit_is 0
                        check "version prints the version" out_has "prospect 0."
run help;               check "help exits 0 and lists commands" eval 'exit_is 0 && out_has "init" && out_has "exit codes"'
run;                    check "no command is a usage error (64)" exit_is 64
run frobnicate;         check "unknown command is 64 with a hint" eval 'exit_is 64 && err_has "unknown command" && err_has "--help"'
run --bogus version;    check "unknown global option is 64" exit_is 64
for c in init tenant key user migrate backup secrets version help import imports suppress export rescore near sectors jobs schedule; do
  run "$c" --help;      check "$c --help exits 0 with usage" eval 'exit_is 0 && out_has "usage"'
done
run help key;           check "help key shows key usage" eval 'exit_is 0 && out_has "key create"'

# --- init -------------------------------------------------------------------------------
run init --bogus;       check "init with a bad flag is 64" eval 'exit_is 64 && err_has "--bogus"'
run key list;           check "commands before init say to run init (66)" eval 'exit_is 66 && err_has "prospect init"'
run init
admin_key=$out
check "init exits 0" exit_is 0
check "init prints exactly one API key on stdout" eval '[[ "$out" =~ $token_re ]]'
check "init creates the database under ./var" test -f var/prospect.db
check "init tells what to run next" err_has "Next:"
check "the database holds no plaintext key" eval '! grep -qaF "${admin_key#prospect_????????_}" var/prospect.db'
run init;               check "init twice is refused (65)" eval 'exit_is 65 && err_has "already initialized"'

# --- keys -------------------------------------------------------------------------------
run key create --name ci --scopes read,write
ci_key=$out; ci_prefix=${ci_key:9:8}
check "key create prints a new key" eval 'exit_is 0 && [[ "$out" =~ $token_re ]] && [ "$ci_key" != "$admin_key" ]'
run key create --name x --scopes read,delete
check "key create with an unknown scope is 65" eval 'exit_is 65 && err_has "unknown scope \"delete\""'
run key create;         check "key create without --name is 64" eval 'exit_is 64 && err_has "--name"'
run key list
check "key list shows the keys and never a secret" eval 'exit_is 0 && out_has "$ci_prefix" && out_has "read,write" && ! out_has "${ci_key:18}"'
run key revoke "$ci_prefix"; check "key revoke by prefix exits 0" exit_is 0
run key list;           check "key list shows the key revoked" eval 'grep -E "$ci_prefix +revoked" <<<"$out" >/dev/null'
run key revoke zzzzzzzz; check "revoking an unknown key is 66" eval 'exit_is 66 && err_has "no API key"'
run key revoke;         check "key revoke without an argument is 64" exit_is 64
run key frob;           check "unknown key subcommand is 64" exit_is 64

# --- tenants ----------------------------------------------------------------------------
run tenant create acme --name "Acme Corp"; check "tenant create exits 0" exit_is 0
run tenant create acme; check "duplicate tenant slug is 65" eval 'exit_is 65 && err_has "already exists"'
run tenant create "Bad Slug"; check "invalid slug is 65 with a hint" eval 'exit_is 65 && err_has "hint"'
run tenant list;        check "tenant list shows both tenants" eval 'exit_is 0 && out_has "default" && out_has "Acme Corp"'
run key create --name y; check "with two tenants, --tenant is required (64)" eval 'exit_is 64 && err_has "--tenant"'
run key create --tenant acme --name acme-key
acme_key=$out; acme_prefix=${acme_key:9:8}
check "key create --tenant acme works" exit_is 0
run key revoke --tenant default "$acme_prefix"
check "another tenant's key cannot be revoked (66, as if missing)" eval 'exit_is 66 && err_has "no API key"'
run key list --tenant default; check "tenant default does not list acme's key" eval 'exit_is 0 && ! out_has "$acme_prefix"'
run key list --tenant nope; check "unknown tenant is 66" exit_is 66

# --- users ------------------------------------------------------------------------------
run_stdin "correct horse battery" user create ann@example.com --tenant acme --role admin --password-stdin
check "user create with --password-stdin exits 0" exit_is 0
run_stdin "correct horse battery" user create ANN@example.com --tenant acme --password-stdin
check "duplicate user e-mail is 65" exit_is 65
run_stdin "short" user create bob@example.com --tenant acme --password-stdin
check "short password is 65" eval 'exit_is 65 && err_has "shorter than 12"'
run user create bob@example.com --tenant acme
check "no terminal and no --password-stdin is 64" eval 'exit_is 64 && err_has "--password-stdin"'
run_stdin "correct horse battery" user create bob@example.com --tenant acme --role god --password-stdin
check "unknown role is 65" eval 'exit_is 65 && err_has "unknown role"'
run_stdin "a new long password" user passwd ann@example.com --tenant acme --password-stdin
check "user passwd exits 0" exit_is 0
run_stdin "a new long password" user passwd ann@example.com --tenant default --password-stdin
check "user passwd in the wrong tenant is 66" exit_is 66
check "password hashes are argon2id" eval '[ "$(sqlite3 var/prospect.db "SELECT count(*) FROM users WHERE password_hash LIKE '"'"'\$argon2id\$%'"'"'")" = 1 ]'

# --- migrate, backup, secrets -----------------------------------------------------------
run migrate;            check "migrate on a current database is a no-op" eval 'exit_is 0 && out_has "(current)"'
run backup "$work/copy.db"; check "backup exits 0" exit_is 0
check "the backup holds the tenants" eval '[ "$(sqlite3 "$work/copy.db" "SELECT count(*) FROM tenants")" = 2 ]'
run backup "$work/copy.db"; check "backup never overwrites (65)" eval 'exit_is 65 && err_has "already exists"'
run backup;             check "backup without a file is 64" exit_is 64
run secrets keygen;     check "secrets keygen prints a 32-byte base64 key" eval 'exit_is 0 && [ "$(printf %s "$out" | base64 -d | wc -c)" = 32 ]'

# --- bad databases ----------------------------------------------------------------------
run --database "$work/missing/none.db" key list
check "a missing database is 66 and says to run init" eval 'exit_is 66 && err_has "no database at" && err_has "prospect init"'
run --database /proc/prospect-test/p.db init
check "an unwritable database path is 74" eval 'exit_is 74 && err_has "hint"'
printf 'SQLite format 2? no, just text that is not a database at all.......................\n%.0s' {1..20} > garbage.db
run --database garbage.db key list
check "a file that is not a database is 74" eval 'exit_is 74 && err_has "not a Prospect database"'
mkdir -p ro && cp var/prospect.db ro/p.db && chmod 755 "$work" ro && chmod 444 ro/p.db
if [ "$(id -u)" -eq 0 ]; then
  # root ignores file modes, so run as nobody, who can read but not write the file.
  setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --database ro/p.db key list --tenant acme \
    >"$work/out" 2>"$work/err" </dev/null; code=$?; err=$(cat "$work/err")
else
  run --database ro/p.db key list --tenant acme
fi
check "a read-only database is 74 and says so" eval 'exit_is 74 && err_has "read-only"'
cp var/prospect.db tampered.db
sqlite3 tampered.db "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1"
run --database tampered.db key list --tenant acme
check "a changed migration checksum stops start-up (78)" eval 'exit_is 78 && err_has "changed after it was applied"'

# --- configuration ----------------------------------------------------------------------
printf 'database:\n  path: [unclosed\n' > broken.yaml
run --config broken.yaml key list
check "corrupt YAML config is 78 and names the file" eval 'exit_is 78 && err_has "broken.yaml"'
printf 'database:\n  pathh: x.db\n' > typo.yaml
run --config typo.yaml key list
check "an unknown config key is 78 and names it" eval 'exit_is 78 && err_has "pathh"'
printf 'database:\n  busy_timeout_ms: soon\n' > type.yaml
run --config type.yaml key list
check "a wrongly typed value is 78 naming key and value" eval 'exit_is 78 && err_has "busy_timeout_ms" && err_has "soon"'
run --config "$work/absent.yaml" key list
check "a missing config file is an I/O error (74) naming it" eval 'exit_is 74 && err_has "absent.yaml"'
PROSPECT_DATABASE_BUSY_TIMEOUT_MS=abc run key list --tenant acme
check "a bad environment override names the variable" eval 'exit_is 78 && err_has "PROSPECT_DATABASE_BUSY_TIMEOUT_MS"'
printf 'database:\n  path: other/p.db\n' > other.yaml
run --config other.yaml init --tenant solo
check "database.path from the config file is used" eval 'exit_is 0 && test -f other/p.db'
PROSPECT_DATABASE_PATH=envdb/p.db run --config other.yaml init
check "PROSPECT_DATABASE_PATH overrides the file" eval 'exit_is 0 && test -f envdb/p.db'

# --- jobs: list, show, replay and discard dead letters -----------------------------------
run jobs list --tenant acme; check "jobs list on an empty queue prints the header" eval 'exit_is 0 && out_has "STATE"'
run jobs show 999 --tenant acme; check "jobs show of an unknown job is 66" exit_is 66
run jobs retry abc --tenant acme; check "jobs retry with a bad id is 64" exit_is 64
sqlite3 var/prospect.db "INSERT INTO jobs (tenant_id, kind, state, attempt, max_attempts, run_at, idempotency_key, last_error_class, last_error_message, created_at, updated_at, finished_at) SELECT id, 'crm.push', 'discarded', 3, 3, 0, 'k1', 'permanent', 'HubSpot said 400', 0, 0, 0 FROM tenants WHERE slug = 'acme'"
job=$(sqlite3 var/prospect.db "SELECT id FROM jobs WHERE idempotency_key = 'k1'")
run jobs list --state discarded --tenant acme; check "dead letters are listed with their error" eval 'exit_is 0 && out_has "crm.push" && out_has "HubSpot said 400"'
run jobs retry "$job" --tenant default; check "another tenant cannot replay it (66)" exit_is 66
run jobs retry "$job" --tenant acme; check "jobs retry replays a dead letter" eval 'exit_is 0 && [ "$(sqlite3 var/prospect.db "SELECT state FROM jobs WHERE id = $job")" = available ]'
run jobs discard "$job" --tenant acme; check "jobs discard cancels it" eval 'exit_is 0 && [ "$(sqlite3 var/prospect.db "SELECT state FROM jobs WHERE id = $job")" = cancelled ]'
run jobs discard "$job" --tenant acme; check "discarding a finished job is refused (65)" exit_is 65

# --- schedules ---------------------------------------------------------------------------
run schedule add morning --cron "0 7 * * 1-5" --tz America/New_York --job digest --tenant acme
check "schedule add tells when it first fires" eval 'exit_is 0 && err_has "first fires at"'
run schedule add morning --cron "0 7 * * *" --job digest --tenant acme
check "a duplicate schedule name is refused (65)" eval 'exit_is 65 && err_has "already exists"'
run schedule add bad --cron "0 25 * * *" --job digest --tenant acme
check "an invalid cron expression names the field (65)" eval 'exit_is 65 && err_has "hour"'
run schedule add bad --cron "@daily" --tz Mars/Olympus --job digest --tenant acme
check "an unknown time zone is refused (65)" eval 'exit_is 65 && err_has "Mars/Olympus"'
run schedule add bad --cron "@daily" --tenant acme
check "schedule add without --job is 64" exit_is 64
run schedule list --tenant acme
check "schedule list shows the schedule and its zone" eval 'exit_is 0 && out_has "morning" && out_has "America/New_York"'
run schedule list --tenant default
check "another tenant does not see it" eval 'exit_is 0 && ! out_has "morning"'
run schedule tick
check "schedule tick fires nothing before the time" eval 'exit_is 0 && out_has "0 fired"'
sqlite3 var/prospect.db "UPDATE schedules SET next_run_at = 0 WHERE name = 'morning'"
run schedule tick
check "a missed schedule fires once" eval 'exit_is 0 && out_has "1 fired" && [ "$(sqlite3 var/prospect.db "SELECT count(*) FROM jobs WHERE kind = '"'"'digest'"'"'")" = 1 ]'
run schedule disable morning --tenant acme; check "schedule disable" exit_is 0
run schedule remove morning --tenant default; check "removing another tenant's schedule is 66" exit_is 66
run schedule remove morning --tenant acme; check "schedule remove" exit_is 0

# --- secret keys are checked at start-up ------------------------------------------------
"$bin" secrets keygen > keys.txt 2>/dev/null; chmod 644 keys.txt
printf 'secrets:\n  key_file: keys.txt\n' > secrets.yaml
run --config secrets.yaml --database var/prospect.db tenant list
check "a key file readable by others is refused (78) with the fix" eval 'exit_is 78 && err_has "chmod 600"'
chmod 600 keys.txt
run --config secrets.yaml --database var/prospect.db tenant list
check "a private key file is accepted" exit_is 0
PROSPECT_SECRET_KEY=not-a-key run tenant list
check "a malformed PROSPECT_SECRET_KEY is refused at start-up (78)" eval 'exit_is 78 && err_has "PROSPECT_SECRET_KEY"'

echo "1..$n"
[ "$failed" -eq 0 ]
