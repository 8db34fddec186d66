#!/usr/bin/env bash
# Build the frozen Linux app: build/dist/fpdesk/ and build/fpdesk-VERSION-linux-ARCH.tar.gz
# (the folder, a .desktop file and the icon).  Run from anywhere, in an environment
# with fpdesk and the `freeze` extra installed:  pip install -e '.[freeze]'
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
python installer/make_assets.py >/dev/null
# The .qm must be current before it is frozen in.
python -m fpdesk.gui.i18n build >/dev/null
pyinstaller --noconfirm --clean --log-level WARN \
  --distpath build/dist --workpath build/work installer/fpdesk.spec
version="$(python -c 'import fpdesk; print(fpdesk.__version__)')"
stage="build/stage/fpdesk-$version"
rm -rf build/stage && mkdir -p "$stage"
cp -a build/dist/fpdesk/. "$stage/"
cp installer/linux/fpdesk.desktop "$stage/fpdesk.desktop"
cp installer/fpdesk.svg "$stage/fpdesk.svg"
cp installer/linux/INSTALL.txt "$stage/INSTALL.txt"
tarball="build/fpdesk-$version-linux-$(uname -m).tar.gz"
tar -C build/stage -czf "$tarball" "fpdesk-$version"
echo "folder:  build/dist/fpdesk ($(du -sh build/dist/fpdesk | cut -f1))"
echo "tarball: $tarball ($(du -sh "$tarball" | cut -f1))"
