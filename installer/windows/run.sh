#!/usr/bin/env bash
# fpdesk on Windows, checked on a Debian machine with Wine (installer/windows/README.md):
# the Windows Python and wheels, the test suite in a Chinese (cp936) and an English
# (cp1252) code page, the frozen build, the installer compiled, installed silently,
# the installed app's smoke test (command line and the window with the real `windows`
# platform plugin, a screenshot kept), an upgrade in place, the uninstall, and the
# user's registers, keys and backups still there afterwards.
#
#   installer/windows/run.sh [--no-tests] [--keep]
#
# Exit 0 when everything passed; non-zero at the first failure.  When the Wine
# toolchain cannot be installed on this machine, it prints one line starting
# `WINDOWS CHECK NOT RUN:` with the reason and exits 0 (CI reads that line).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TESTS=1
KEEP=0
for arg in "$@"; do
  case "$arg" in
    --no-tests) TESTS=0 ;;
    --keep) KEEP=1 ;;
    *) echo "usage: $0 [--no-tests] [--keep]" >&2; exit 2 ;;
  esac
done

not_run() {
  echo "WINDOWS CHECK NOT RUN: $*"
  exit 0
}

started=$SECONDS
reason="$("$WIN_HERE/tools.sh" 2>&1 >/dev/null)" || not_run "${reason:-the Wine toolchain could not be installed}"
mkdir -p "$WORK"

step "Wine prefix (Windows 10, test-only stand-ins)" "$WIN_HERE/prefix.sh"
step "Windows Python $PY_TAG and the wheels" "$WIN_HERE/python.sh"
if [ "$TESTS" = 1 ]; then
  step "tests, Chinese Windows (cp936)" "$WIN_HERE/tests.sh" zh
  step "tests, English Windows (cp1252)" "$WIN_HERE/tests.sh" en
fi
step "frozen build (PyInstaller)" "$WIN_HERE/freeze.sh"
step "installer (Inno Setup)" "$WIN_HERE/setup.sh"
step "install, smoke test, upgrade, uninstall" "$WIN_HERE/install.sh"

[ "$KEEP" = 1 ] || rm -rf "$WORK/prefix/drive_c/users"/*/AppData/Local/Temp/* 2>/dev/null || true
log "all Windows checks passed in $((SECONDS - started)) s"
