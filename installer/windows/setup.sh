#!/usr/bin/env bash
# The installer: Inno Setup's compiler (from the npm registry) over installer/fpdesk.iss,
# with the frozen folder of freeze.sh, into build/windows/fpdesk-VERSION-setup.exe.
#
# Compiled from a copy with one test-only change: {autopf} becomes the folder Windows
# itself gives a per-user install ({localappdata}\Programs), because Wine 8.0 cannot
# expand {autopf} (SHGetKnownFolderPath(FOLDERID_UserProgramFiles) -> E_INVALIDARG).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT/installer"
version="$(wpy zh -c 'import fpdesk; print(fpdesk.__version__)' | tr -d '\r')"
test_iss="fpdesk-winetest.iss"
trap 'rm -f "$ROOT/installer/$test_iss"' EXIT
sed -e 's#^DefaultDirName={autopf}\\#DefaultDirName={localappdata}\\Programs\\#' fpdesk.iss >"$test_iss"
grep -q '^DefaultDirName={localappdata}' "$test_iss" || { echo "fpdesk.iss: no DefaultDirName={autopf} line" >&2; exit 1; }
rm -rf "$WORK/setup"
wrun "$WORK/inno/ISCC.exe" /Q "/DAppVersion=$version" \
  "/DDistDir=$(winepath -w "$WORK/dist/fpdesk")" "/DOutputDir=$(winepath -w "$WORK/setup")" \
  "$test_iss"
setup="$WORK/setup/fpdesk-$version-setup.exe"
[ -f "$setup" ] || { echo "ISCC made no $setup" >&2; exit 1; }
echo "installer: $setup ($(du -h "$setup" | cut -f1))"
