#!/usr/bin/env bash
# The test suite under Windows CPython, against the installed wheel, in one code page:
#   tests.sh zh   Chinese Windows (cp936)      tests.sh en   English Windows (cp1252)
# Tests that cannot run on Windows skip with their reason (-rfEs lists failures,
# errors and skips with their reasons).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
lang="${1:?zh or en}"
cd "$ROOT"
out="$WORK/tests-$lang.log"
status=0
# PYTHONIOENCODING is not set on purpose: the tests must pass with the code page's own
# stream encoding, as on an officer's laptop.
wpy "$lang" -m pytest tests -q -p no:cacheprovider -rfEs \
  >"$out" 2>&1 || status=$?
grep -E '^(FAILED|ERROR|SKIPPED)|passed|failed' "$out" | tail -80
exit "$status"
