#!/usr/bin/env bash
# Import benchmark: generates ROWS messy leads (bench/gen_leads.py, ~15% duplicates with
# ground truth), then, in the same run, times `prospect import` of the file and
# `sqlite3 .import` of the same file into a bare table, and reports rows/s, peak RSS and the
# ratio; finally the dedup precision and recall against the generator's ground truth.
#   bench/import_bench.sh [ROWS] [PROSPECT_BINARY]
set -euo pipefail
rows=${1:-1000000}
bin=$(readlink -f "${2:-build/src/cli/prospect}")
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_DIR:-/tmp/prospect-bench}
mkdir -p "$work"
csv="$work/leads-$rows.csv"
truth="$work/truth-$rows.csv"
[ -f "$csv" ] || python3 "$here/gen_leads.py" "$rows" "$csv" --truth "$truth"
size=$(stat -c %s "$csv")

# measure NAME COMMAND...: wall seconds and peak RSS (KiB) via the kernel's rusage.
measure() {
  local name=$1; shift
  python3 - "$name" "$@" <<'PY'
import resource, subprocess, sys, time
name, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
dt = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{name} {dt:.3f} {ru.ru_maxrss} {ru.ru_utime + ru.ru_stime:.3f}")
PY
}

rm -rf "$work/db"; mkdir -p "$work/db"
export PROSPECT_DATABASE_PATH="$work/db/prospect.db"
"$bin" init --tenant bench >/dev/null 2>&1
read -r _ p_wall p_rss p_cpu < <(measure prospect "$bin" import "$csv" --source bench)
rm -f "$work/db/bare.db"
read -r _ s_wall s_rss s_cpu < <(measure sqlite3 sqlite3 "$work/db/bare.db" \
  ".import --csv $csv leads")

python3 - "$rows" "$size" "$p_wall" "$p_rss" "$p_cpu" "$s_wall" "$s_rss" "$s_cpu" <<'PY'
import sys
rows, size = int(sys.argv[1]), int(sys.argv[2])
p_wall, p_rss, p_cpu, s_wall, s_rss, s_cpu = map(float, sys.argv[3:])
print(f"file: {rows} rows, {size / 1e6:.0f} MB")
print(f"prospect import : {p_wall:7.2f} s  {rows / p_wall:9.0f} rows/s  cpu {p_cpu:6.2f} s  "
      f"peak RSS {p_rss / 1024:6.0f} MB")
print(f"sqlite3 .import : {s_wall:7.2f} s  {rows / s_wall:9.0f} rows/s  cpu {s_cpu:6.2f} s  "
      f"peak RSS {s_rss / 1024:6.0f} MB")
print(f"ratio (prospect / sqlite3 wall time): {p_wall / s_wall:.2f}x")
PY

# Dedup quality: pairs of rows that Prospect put on one contact vs. pairs that truly are one
# person (the generator's ground truth), over the rows that were not rejected.
sqlite3 -csv "$PROSPECT_DATABASE_PATH" \
  "SELECT line, contact_id FROM import_rows WHERE outcome != 'rejected'" > "$work/pred.csv"
python3 - "$truth" "$work/pred.csv" <<'PY'
import collections, sys
truth = dict(tuple(map(int, l.split(","))) for l in open(sys.argv[1]))
pred = dict(tuple(map(int, l.split(","))) for l in open(sys.argv[2]))
lines = [l for l in pred if l in truth]
pairs = lambda groups: sum(n * (n - 1) // 2 for n in groups.values())
by_pred = collections.Counter(pred[l] for l in lines)
by_true = collections.Counter(truth[l] for l in lines)
by_both = collections.Counter((pred[l], truth[l]) for l in lines)
tp = pairs(by_both)
precision = tp / pairs(by_pred) if pairs(by_pred) else 1.0
recall = tp / pairs(by_true) if pairs(by_true) else 1.0
print(f"dedup over {len(lines)} rows: precision {precision:.4f}  recall {recall:.4f}  "
      f"(true duplicate pairs {pairs(by_true)}, predicted {pairs(by_pred)})")
PY
