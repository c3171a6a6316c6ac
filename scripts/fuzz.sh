#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for N seconds on a copy
# of its checked-in corpus (the repository's corpus is never written to). Writes TAP results
# to BUILD/fuzz-results.tap; crashes are kept in BUILD/crashes/.
#   scripts/fuzz.sh BUILD_DIR SECONDS
set -uo pipefail
build=${1:-build-fuzz}
seconds=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ meson setup "$build" --buildtype=debug -Dwerror=true -Dfuzz=true \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
fi
ninja -C "$build" >/dev/null || { echo "fuzz: build failed" >&2; exit 1; }

targets=$(find "$build/tests/fuzz" -maxdepth 1 -type f -name 'fuzz_*' ! -name 'fuzz_replay_*' \
          -perm -u+x | sort)
results="$build/fuzz-results.tap"
mkdir -p "$build/crashes"
n=$(echo "$targets" | grep -c . || true)
echo "1..$n" > "$results"
i=0; status=0
for t in $targets; do
  i=$((i + 1))
  name=${t##*/fuzz_}
  work=$(mktemp -d)
  cp -r "$root/tests/fuzz/corpus/$name/." "$work/"
  if "$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/crashes/$name-" "$work" > "$build/fuzz-$name.log" 2>&1; then
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$build/fuzz-$name.log" | \
            awk '{print $2}')
    echo "ok $i - fuzz $name ${seconds}s ${execs:-?} execs" >> "$results"
    echo "fuzz: $name ${seconds}s, no crash" >&2
  else
    echo "not ok $i - fuzz $name found a crash (see $build/fuzz-$name.log)" >> "$results"
    tail -n 30 "$build/fuzz-$name.log" >&2
    status=1
  fi
  rm -rf "$work"
done
exit $status
