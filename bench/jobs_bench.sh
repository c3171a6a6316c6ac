#!/usr/bin/env bash
# Job-queue benchmark: N no-op jobs through Prospect's queue and worker pool (2 workers,
# build/bench/jobs_bench) and, in the same run, the same work on BullMQ (bench/bullmq, pinned
# in its package-lock.json) against a private Debian redis-server. Both print a burst line
# (enqueue N, then process: jobs/s and enqueue-to-handler latency) and a steady line (one
# producer at STEADY_RATE jobs/s while the workers run: latency); then the ratios.
#   bench/jobs_bench.sh [N] [JOBS_BENCH_BINARY]        N defaults to 100000
#   STEADY_N (default N/10) and STEADY_RATE (default 1000 jobs/s) tune the steady mode.
# Installs redis-server (apt) and the npm packages when missing; builds nothing: `make build`
# first. The Redis server runs on a free loopback port without persistence and is stopped on
# exit. (Where systemd runs, installing the Debian package also starts its own service on
# port 6379; this bench does not use it.)
set -euo pipefail
n=${1:-100000}
bin=$(readlink -f "${2:-build/bench/jobs_bench}")
steady_n=${STEADY_N:-$((n / 10 > 0 ? n / 10 : 1))}
steady_rate=${STEADY_RATE:-1000}
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_DIR:-/tmp/prospect-bench}/jobs

if [ ! -x "$bin" ]; then
  echo "jobs_bench.sh: $bin not found: run make build first (or pass the binary as \$2)" >&2
  exit 1
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}
if ! command -v redis-server >/dev/null 2>&1; then
  echo "jobs_bench.sh: installing redis-server" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null ||
    { as_root apt-get update -qq &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
fi
command -v node >/dev/null 2>&1 || bash "$here/../scripts/deps.sh"
if [ ! -d "$here/bullmq/node_modules" ]; then
  npm ci --prefix "$here/bullmq" --no-audit --no-fund --loglevel=error
fi

# A private Redis: free loopback port (asked of the kernel), no RDB, no AOF.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis_pid=
stop_redis() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap stop_redis EXIT
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --dir "${TMPDIR:-/tmp}" --logfile '' >/dev/null &
redis_pid=$!
for _ in $(seq 100); do
  [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
[ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] || { echo "redis-server did not start" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
echo "jobs: $n no-op jobs (steady: $steady_n at $steady_rate jobs/s), 2 workers, $(nproc) CPUs"
# Prospect twice: one job per claim, and claims of 256 (the claim_batch of a short-job kind:
# one claim and one completion commit per batch).
prospect=$(CLAIM_BATCH=1 "$bin" "$work" "$n" "$steady_n" "$steady_rate")
echo "$prospect"
rm -rf "$work"; mkdir -p "$work"
prospect_batched=$(CLAIM_BATCH=256 "$bin" "$work" "$n" "$steady_n" "$steady_rate")
echo "$prospect_batched"
bullmq=$(node "$here/bullmq/bench.mjs" "$port" "$n" "$steady_n" "$steady_rate")
echo "$bullmq"

for run in "$prospect" "$prospect_batched"; do
python3 - "$run" "$bullmq" <<'PY'
import sys
def parse(text):
    lines = {}
    for line in text.splitlines():
        fields = dict(f.split("=", 1) for f in line.split()[1:])
        lines[fields["mode"]] = {k: float(v) for k, v in fields.items() if k != "mode"}
    return lines
p, b = parse(sys.argv[1]), parse(sys.argv[2])
pb, bb = p["burst"], b["burst"]
print(f"claim_batch={pb['claim_batch']:.0f}: ratio prospect/bullmq, processing jobs/s: "
      f"{pb['process_jobs_s'] / bb['process_jobs_s']:.2f}x (target >= 5x); incl. enqueue: "
      f"{pb['total_jobs_s'] / bb['total_jobs_s']:.2f}x; steady p99 latency: prospect "
      f"{p['steady']['p99_ms']:.2f} ms, bullmq {b['steady']['p99_ms']:.2f} ms")
PY
done
