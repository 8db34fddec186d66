#!/usr/bin/env bash
# Smoke test of the frozen app (build it first with installer/build_linux.sh).
# Starts it offscreen on a new demo register, runs `check` and the GUI self-test
# (translations, resources, Qt plugins, the main window), prints the version; exits 0
# only if all of that worked.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
app="${1:-$root/build/dist/fpdesk}/fpdesk-cli"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen FPDESK_PASSPHRASE=smoke-test-口令
# A clean home: the frozen app must not lean on anything a developer left behind.
export HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config"
mkdir -p "$HOME"
"$app" --version
"$app" demo --db "$work/demo.fpdesk" --persons 300 --seed 7 >/dev/null
"$app" check --db "$work/demo.fpdesk" >/dev/null
"$app" selftest --db "$work/demo.fpdesk"
echo "smoke test passed"
