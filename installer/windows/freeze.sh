#!/usr/bin/env bash
# The frozen Windows build: PyInstaller with installer/fpdesk.spec under Windows
# Python, into build/windows/dist/fpdesk (fpdesk.exe, fpdesk-cli.exe, _internal\).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
wpy zh installer/make_assets.py >/dev/null
rm -rf "$WORK/dist" "$WORK/work"
wpy zh -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$(winepath -w "$WORK/dist")" --workpath "$(winepath -w "$WORK/work")" \
  installer/fpdesk.spec
for exe in fpdesk.exe fpdesk-cli.exe; do
  [ -f "$WORK/dist/fpdesk/$exe" ] || { echo "the frozen build has no $exe" >&2; exit 1; }
done
echo "frozen: $(du -sh "$WORK/dist/fpdesk" | cut -f1)"
