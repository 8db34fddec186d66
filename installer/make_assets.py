"""Make the installer's generated files from the sources: icons and Windows version info.

    python installer/make_assets.py

Writes installer/build-assets/ (ignored by git): fpdesk.ico, fpdesk.png and
version_info.txt.  Qt renders the SVG, so no image tool is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "build-assets"
sys.path.insert(0, str(HERE.parent / "src"))


def render_icons() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(HERE / "fpdesk.svg"))
    if not renderer.isValid():
        raise SystemExit("fpdesk.svg does not render")
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    for name in ("fpdesk.png", "fpdesk.ico"):
        if not image.save(str(OUT / name)):
            raise SystemExit(f"could not write {name}")
    del app


def version_info() -> None:
    import fpdesk

    numbers = [int(part) for part in fpdesk.__version__.split(".")[:3]] + [0]
    while len(numbers) < 4:
        numbers.append(0)
    version = tuple(numbers[:4])
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={version}, prodvers={version}),
  kids=[
    StringFileInfo([StringTable('080404b0', [
      StringStruct('CompanyName', 'fpdesk'),
      StringStruct('FileDescription', 'fpdesk 村级计划生育登记册'),
      StringStruct('FileVersion', '{fpdesk.__version__}'),
      StringStruct('ProductName', 'fpdesk'),
      StringStruct('ProductVersion', '{fpdesk.__version__}')])]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])])
  ]
)
"""
    (OUT / "version_info.txt").write_text(text, encoding="utf-8")


def main() -> int:
    OUT.mkdir(exist_ok=True)
    render_icons()
    version_info()
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
