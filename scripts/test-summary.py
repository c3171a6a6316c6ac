#!/usr/bin/env python3
"""Adds up a test run: counts TAP `ok` / `not ok` lines of every test in Meson's testlog.json
files (cmocka prints TAP with CMOCKA_MESSAGE_OUTPUT=TAP; scripts print TAP) and in plain TAP
files, lists what failed, and prints the final `N passed, N failed` line. Exit 1 on any
failure. Arguments ending in .json are Meson logs; others are TAP files."""
import json
import re
import sys

OK = re.compile(r"^ok \d+")
NOT_OK = re.compile(r"^not ok \d+(.*)")


def count_tap(text, name, failures):
    passed = failed = 0
    for line in text.splitlines():
        if OK.match(line):
            passed += 1
        else:
            m = NOT_OK.match(line)
            if m:
                failed += 1
                failures.append(f"{name}:{m.group(1)}")
    return passed, failed


def count_meson_log(log_path, failures):
    passed = failed = 0
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            for raw in f:
                test = json.loads(raw)
                name = test.get("name", "?")
                p, n = count_tap(test.get("stdout") or "", name, failures)
                if test.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP") and n == 0:
                    n = 1  # crashed, timed out or sanitizer report without a TAP failure
                    failures.append(f"{name}: {test.get('result')}")
                passed += p
                failed += n
    except FileNotFoundError:
        failed += 1
        failures.append(f"{log_path}: missing (the test build did not run)")
    return passed, failed


def main(paths):
    passed = failed = 0
    failures = []
    log_paths = [p for p in paths if p.endswith(".json")]
    tap_paths = [p for p in paths if not p.endswith(".json")]
    for log_path in log_paths:
        p, n = count_meson_log(log_path, failures)
        passed += p
        failed += n
    for tap in tap_paths:
        try:
            with open(tap, encoding="utf-8", errors="replace") as f:
                p, n = count_tap(f.read(), tap, failures)
        except FileNotFoundError:
            p, n = 0, 1
            failures.append(f"{tap}: missing")
        passed += p
        failed += n
    if failures:
        print("failed:")
        for item in failures:
            print(f"  {item}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
