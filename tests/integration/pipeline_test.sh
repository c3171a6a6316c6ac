#!/usr/bin/env bash
# Pipeline runs through the real binary: definitions, the dry run, "run now" racing itself
# 50 times, a run carried out by `prospect serve`, and the crash test: a pipeline over 100,000
# rows whose `serve` process is SIGKILLed at 20 random moments and restarted each time; at the
# end every row was processed exactly once, no job is stuck, and the counts are right.
# Prints TAP.
#   tests/integration/pipeline_test.sh PATH/TO/prospect SOURCE_ROOT
set -uo pipefail
bin=$(readlink -f "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(readlink -f "$2")
work=$(mktemp -d /tmp/prospect-pipeline-XXXXXX)
serve_pid=""
trap '[ -n "$serve_pid" ] && kill -9 "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 1
unset PROSPECT_CONFIG PROSPECT_DATABASE_PATH

. "$here/tap.sh"
sql() { sqlite3 -cmd ".timeout 30000" var/prospect.db "$1"; }
equals() { [ "$1" = "$2" ] || { echo "#   expected \"$2\", got \"$1\""; return 1; }; }

# Waits until the serve writing to log $1 has set itself up (signal handlers included).
wait_listening() {
  local i
  for ((i = 0; i < 600; i++)); do
    grep -q "listening on" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Waits until run $1 is no longer running (at most $2 seconds).
wait_run() {
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    [ "$(sql "SELECT status FROM pipeline_runs WHERE id = $1")" != running ] && return 0
    sleep 0.2
  done
  return 1
}

"$bin" init --tenant acme >/dev/null 2>&1
mkdir exports
icp="$root/data/icp.example.yaml"

# --- definitions ---------------------------------------------------------------------------
cat > small.csv <<'CSV'
Company Name,E-mail,ZIP,State,SIC Code,Job Title
Acme Inc.,ann@acme.com,94103,CA,7372,VP Sales
Acme,ANN@acme.com,94103,CA,7372,
Bad Row,not an email,,,,
Gamma LLC,gina@gamma.co,10001,NY,5812,Owner
CSV
run pipeline add
check "pipeline without a subcommand is a usage error" exit_is 64
run pipeline add small
check "pipeline add without --import or --steps is a usage error" eval 'exit_is 64 && err_has "--import FILE or --steps JSON"'
run pipeline add small --import missing.csv
check "a missing import file is refused at definition time" eval 'exit_is 66 && err_has "missing.csv"'
run pipeline add small --import small.csv --export csv --out-dir exports
check "an unknown export format is refused, naming the valid ones" eval 'exit_is 65 && err_has "generic"'
run pipeline add 'a/b' --import small.csv
check "a pipeline name with a slash is refused" eval 'exit_is 65 && err_has "invalid pipeline name"'
run pipeline add small --steps '[{"step":"import","file":"small.csv"}]'
check "a relative path in --steps is refused" eval 'exit_is 65 && err_has "absolute path"'
run pipeline add small --import small.csv --score --icp "$icp" --export generic --out-dir exports
check "pipeline add stores import -> score -> export" eval 'exit_is 0 && equals "$(sql "SELECT json_array_length(steps) FROM pipelines")" 3'
run pipeline list
check "pipeline list shows the steps" eval 'exit_is 0 && out_has "import -> score -> export"'

# --- the dry run and a run carried out by serve ----------------------------------------------
run run small
check "run without --yes is a dry run with estimates that starts nothing" eval 'exit_is 0 && out_has "1. import   up to 4 item(s)" && out_has "Estimated cost: 0 credit(s)" && out_has "Nothing was started" && equals "$(sql "SELECT count(*) FROM pipeline_runs")" 0'
run run small --yes
run_id=$out
check "run --yes starts a run and prints its id" eval 'exit_is 0 && equals "$(sql "SELECT status FROM pipeline_runs WHERE id = ${run_id:-0}")" running'
"$bin" serve --port 0 >serve.log 2>&1 &
serve_pid=$!
wait_run "${run_id:-0}" 120
check "serve carries the run out" equals "$(sql "SELECT status FROM pipeline_runs WHERE id = ${run_id:-0}")" succeeded
kill -TERM "$serve_pid"; wait "$serve_pid"; code=$?; serve_pid=""
check "serve exits 0 on SIGTERM" eval 'exit_is 0 && grep -q stopped serve.log'
run runs show "${run_id:-0}"
check "runs show lists each step with counts" eval 'exit_is 0 && out_has "succeeded" && out_has "import   succeeded  1/1           4          1" && out_has "small-run-${run_id:-0}.csv"'
run runs cancel "${run_id:-0}"
check "cancelling a finished run is refused" eval 'exit_is 65 && err_has "is not running (succeeded)"'
check "the export file holds the run's leads" equals "$(wc -l < "exports/small-run-${run_id:-0}.csv")" 3
"$bin" tenant create other >/dev/null 2>&1
run runs show "${run_id:-0}" --tenant other
check "another tenant's run is not found" eval 'exit_is 66 && err_has "pipeline run not found"'
run run small --tenant other --yes
check "another tenant cannot run the pipeline" eval 'exit_is 66 && err_has "pipeline not found"'
run run small --yes --wait --tenant acme
check "run --wait runs it here; an unchanged file is not imported again" eval 'exit_is 0 && out_has "\"already_imported\":true"'

# --- 50 concurrent "run now" -----------------------------------------------------------------
run pipeline add racy --import small.csv --tenant acme
for i in $(seq 1 50); do
  ( "$bin" run racy --yes --tenant acme >"race.out.$i" 2>"race.err.$i" </dev/null; echo $? >"race.code.$i" ) &
done
wait
started=$(grep -lx 0 race.code.* | wc -l)
refused=$(grep -lx 65 race.code.* | wc -l)
clear=$(grep -l "pipeline already running: run" race.err.* | wc -l)
check "50 concurrent starts: exactly one run starts" eval 'equals "$started" 1 && equals "$(sql "SELECT count(*) FROM pipeline_runs WHERE pipeline_id = (SELECT id FROM pipelines WHERE name = '\''racy'\'')")" 1'
check "the 49 others are refused with a clear already-running answer" eval 'equals "$refused" 49 && equals "$clear" 49'

# --- crash test ------------------------------------------------------------------------------
# 100,000 distinct leads (every 1000th with a bad e-mail), 2,000 per chunk. `serve` is killed
# with SIGKILL 20 times at random moments (after one more chunk, then 0 to 0.3 s), then runs to
# the end.
python3 - <<'PY'
with open("big.csv", "w") as f:
    f.write("First Name,Last Name,Email,Company,Website,City,State,ZIP\n")
    for i in range(100000):
        c = i % 5000
        email = "not an email" if i % 1000 == 999 else f"user{i}@company{c}.com"
        f.write(f"First{i},Last{i},{email},Company {c},company{c}.com,Springfield,IL,62701\n")
PY
run pipeline add big --tenant acme --import big.csv --score --icp "$icp" --export generic --out-dir exports
run run big --yes --tenant acme
big=$out
export PROSPECT_PIPELINE_CHUNK_ITEMS=2000
chunks_done() { sql "SELECT count(*) FROM pipeline_chunks WHERE run_id = ${big:-0} AND is_done = 1"; }
kills=0; kills_mid_run=0
for i in $(seq 1 20); do
  "$bin" serve --port 0 >>crash.log 2>&1 &
  serve_pid=$!
  # A random moment: once one more chunk is done (whatever the machine's speed), then 0 to
  # 0.3 s more, which often lands inside the next chunk's transaction.
  target=$(($(chunks_done) + 1))
  for ((t = 0; t < 300; t++)); do
    [ "$(chunks_done)" -ge "$target" ] && break
    sleep 0.1
  done
  sleep "0.$((RANDOM % 4))"
  kill -9 "$serve_pid"; wait "$serve_pid" 2>/dev/null; serve_pid=""
  kills=$((kills + 1))
  [ "$(sql "SELECT status FROM pipeline_runs WHERE id = ${big:-0}")" = running ] && kills_mid_run=$((kills_mid_run + 1))
done
echo "# $kills SIGKILLs, $kills_mid_run of them with the run unfinished; chunks done before the last restart: $(sql "SELECT count(*) FROM pipeline_chunks WHERE run_id = ${big:-0} AND is_done = 1")"
"$bin" serve --port 0 >final.log 2>&1 &
serve_pid=$!
wait_listening final.log
wait_run "${big:-0}" 900
kill -TERM "$serve_pid"; wait "$serve_pid"; code=$?; serve_pid=""
check "every kill landed while the run was unfinished" equals "$kills_mid_run" 20
check "after 20 SIGKILLs the run completes" equals "$(sql "SELECT status FROM pipeline_runs WHERE id = ${big:-0}")" succeeded
check "the final serve stops cleanly" exit_is 0
imp=$(sql "SELECT json_extract(detail, '$.import_id') FROM pipeline_run_steps WHERE run_id = ${big:-0} AND step_index = 0")
check "every row was imported exactly once (100,000 row outcomes, one per line)" equals "$(sql "SELECT count(*) || ' ' || count(DISTINCT line) || ' ' || min(line) || ' ' || max(line) FROM import_rows WHERE import_id = ${imp:-0}")" "100000 100000 2 100001"
check "the import's counts are right" equals "$(sql "SELECT status, n_rows, n_accepted, n_merged, n_duplicate, n_rejected FROM imports WHERE id = ${imp:-0}")" "completed|100000|99900|0|0|100"
check "no contact was created twice" equals "$(sql "SELECT count(*) FROM contacts WHERE tenant_id = 1 AND email_norm LIKE 'user%'")" 99900
check "every step's chunks are done once and counted once" equals "$(sql "SELECT group_concat(chunks_done || '/' || chunks_total || ':' || n_items || ':' || n_rejected, ' ') FROM pipeline_run_steps WHERE run_id = ${big:-0}")" "50/50:100000:100 50/50:99902:0 1/1:99900:0"
# The two leads of small.csv were exported within the window by the first run.
check "the export has every new lead once" equals "$(($(wc -l < "exports/big-run-${big:-0}.csv") - 1))" 99900
check "no job is stuck running or dead" equals "$(sql "SELECT count(*) FROM jobs WHERE state IN ('running', 'available', 'retryable', 'discarded')")" 0
check "the restarts took back the killed workers' jobs" eval 'cat crash.log final.log | grep -q "took back"'

echo "1..$n"
[ "$failed" -eq 0 ]
