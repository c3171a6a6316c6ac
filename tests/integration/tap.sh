# Shared helpers of the integration scripts (sourced after `bin` and `work` are set): run the
# real binary capturing stdout, stderr and the exit status, and print TAP lines.
n=0; failed=0
out=""; err=""; code=0
# run ARGS...: runs prospect, capturing stdout, stderr and the exit status.
run() { "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null; code=$?; out=$(cat "$work/out"); err=$(cat "$work/err"); }
# run_stdin TEXT ARGS...: as run, with TEXT on standard input.
run_stdin() { local input=$1; shift; printf '%s\n' "$input" | "$bin" "$@" >"$work/out" 2>"$work/err"; code=$?; out=$(cat "$work/out"); err=$(cat "$work/err"); }
check() { # check DESCRIPTION CONDITION...
  local desc=$1; shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $desc"; else
    failed=$((failed + 1)); echo "not ok $n - $desc"
    echo "#   exit=$code"; echo "$out" | head -n 8 | sed 's/^/#   stdout: /'; echo "$err" | head -n 8 | sed 's/^/#   stderr: /'
  fi
}
exit_is() { [ "$code" -eq "$1" ]; }
err_has() { grep -qF -- "$1" <<<"$err"; }
out_has() { grep -qF -- "$1" <<<"$out"; }
