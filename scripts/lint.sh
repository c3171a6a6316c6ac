#!/usr/bin/env bash
# Lint: formatting, banned calls, assignment in conditions, headers that must compile alone,
# and cppcheck. Fails on the first category with findings and says where.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
fail() { echo "lint: $1" >&2; status=1; }

sources=$(git ls-files -co --exclude-standard 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'tools/*.c')

# 1. Formatting is decided by .clang-format.
unformatted=$(for f in $sources; do clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
[ -n "$unformatted" ] && fail "not formatted (run make format): $(echo $unformatted)"

# 2. Banned calls (STYLE.md). The allocator wrappers in src/util/mem.c are the one exception.
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|strtok|malloc|calloc|realloc|free)[[:space:]]*\('
hits=$(grep -nE "$banned" $sources | grep -v '^src/util/mem.c:' | grep -vE ':[0-9]+:[[:space:]]*(/\*|\*)')
[ -n "$hits" ] && fail "banned calls (use util/mem.h, snprintf, strtol):"$'\n'"$hits"

# 3. No assignment inside if/while conditions: `if ((x = f()))`, `while (a && (x = f()) ...)`.
lhs='[A-Za-z_][A-Za-z0-9_>.-]*[[:space:]]*=[^=]'
hits=$(grep -nE "\b(if|while)[[:space:]]*\(+[[:space:]]*$lhs|\b(if|while)[[:space:]]*\(.*(&&|\|\|)[[:space:]]*\(+[[:space:]]*$lhs" $sources)
[ -n "$hits" ] && fail "assignment inside a condition:"$'\n'"$hits"

# 4. Every header compiles on its own.
cflags=$(pkg-config --cflags sqlite3 jansson libsodium libcyaml 2>/dev/null)
for h in $(git ls-files -co --exclude-standard 'src/*.h'); do
  printf '#include "%s"\n' "${h#src/}" | \
    cc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -fsyntax-only -Isrc -Ibuild-asan $cflags -x c - \
      2>/tmp/lint-header.$$ || fail "header does not compile alone: $h: $(head -n 3 /tmp/lint-header.$$)"
done
rm -f /tmp/lint-header.$$

# 5. cppcheck.
if ! cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability,performance \
     --inline-suppr --suppress=missingIncludeSystem -Isrc src 2>/tmp/lint-cppcheck.$$; then
  fail "cppcheck:"$'\n'"$(cat /tmp/lint-cppcheck.$$)"
fi
rm -f /tmp/lint-cppcheck.$$

[ $status -eq 0 ] && echo "lint: ok" >&2
exit $status
