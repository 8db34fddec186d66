"""Which Chinese font the printouts embed.

reportlab embeds TrueType (glyf) fonts only: a font with PostScript (CFF) outlines, as
many Noto/Source Han CJK .ttc/.otf files are, cannot be used and is skipped with the
reason.  The choice, first match wins:

1. an explicit path (the `--font` option, the print dialog);
2. the environment variable FPDESK_PDF_FONT;
3. the setting file `print.json` in the user's fpdesk settings folder ({"font": path});
4. the usual places on Windows, Linux and macOS.

A path chosen explicitly (1-3) that cannot be used is an error, not silently replaced:
the officer asked for that font.  "path#2" picks face 2 of a .ttc collection.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text

FONT_ENV = "FPDESK_PDF_FONT"
SETTING_FILE = "print.json"

# Known-good TrueType CJK fonts, in order of preference.  Windows first (most village
# laptops), then the Debian/Ubuntu font packages, then macOS.
_WINDOWS_NAMES = ("simsun.ttc", "msyh.ttc", "simhei.ttf", "simkai.ttf", "msyh.ttf")
_UNIX_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)

NO_FONT = Text(
    "找不到可用的中文字体，没有生成 PDF。请安装宋体、微软雅黑或文泉驿微米黑"
    "（Linux：apt-get install fonts-wqy-microhei），或用 --font 指定一个 TrueType 字体文件"
    f"（也可设置环境变量 {FONT_ENV}）。",
    "No usable Chinese font was found, so no PDF was made. Install SimSun, Microsoft YaHei "
    "or WenQuanYi Micro Hei (Linux: apt-get install fonts-wqy-microhei), or name a "
    f"TrueType font file with --font (or the environment variable {FONT_ENV}).",
)


class FontError(FpdeskError):
    """No font, or the chosen one cannot be embedded; `text` says what to do."""


@dataclass(frozen=True)
class CjkFont:
    """A registered font: the name reportlab knows it by, and where it came from."""

    name: str
    path: Path
    face: int


def setting_path() -> Path:
    return Path(platformdirs.user_config_dir("fpdesk", appauthor=False)) / SETTING_FILE


def saved_font() -> str | None:
    """The font named in the settings file, if any (a broken file counts as none)."""
    try:
        data = json.loads(setting_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    font = data.get("font") if isinstance(data, dict) else None
    return str(font) if font else None


def save_font(path: str | None) -> None:
    """Remember the officer's font for the next printout (None forgets it)."""
    target = setting_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"font": path}, ensure_ascii=False), encoding="utf-8")


def _windows_paths() -> list[str]:
    root = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
    folders = [Path(root) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return [str(folder / name) for folder in folders for name in _WINDOWS_NAMES]


def candidates() -> list[str]:
    """Where fonts are usually installed, best first."""
    return [*_windows_paths(), *_UNIX_PATHS] if os.name == "nt" else [*_UNIX_PATHS]


def _split_face(spec: str) -> tuple[Path, int]:
    path, _, face = spec.partition("#")
    return Path(path).expanduser(), int(face) if face.isdigit() else 0


def _load(spec: str) -> CjkFont:
    """Register one font file with reportlab, or raise FontError saying why not."""
    path, face = _split_face(spec)
    if not path.is_file():
        raise FontError(Text(f"字体文件不存在：{path}", f"The font file does not exist: {path}"))
    digest = hashlib.sha1(f"{path.resolve()}#{face}".encode()).hexdigest()[:8]
    name = f"fpdesk-cjk-{digest}"  # stable: the same file gives the same name
    if name in pdfmetrics.getRegisteredFontNames():
        return CjkFont(name, path, face)
    try:
        font = TTFont(name, str(path), subfontIndex=face)
    except (TTFError, OSError, ValueError, KeyError) as exc:
        raise FontError(
            Text(
                f"这个字体不能嵌入 PDF（需要 TrueType 字形，不能是 PostScript/CFF 字形）："
                f"{path}（{exc}）",
                f"This font cannot be embedded in a PDF (TrueType outlines needed, "
                f"not PostScript/CFF): {path} ({exc})",
            )
        ) from exc
    if font.face.charToGlyph.get(ord("户")) is None:
        raise FontError(
            Text(f"这个字体没有中文字形：{path}", f"This font has no Chinese glyphs: {path}")
        )
    pdfmetrics.registerFont(font)
    return CjkFont(name, path, face)


def find_font(explicit: str | os.PathLike[str] | None = None) -> CjkFont:
    """The font to embed, registered with reportlab; FontError when there is none."""
    chosen = explicit or os.environ.get(FONT_ENV) or saved_font()
    if chosen:
        return _load(os.fspath(chosen))
    for spec in candidates():
        if Path(spec).is_file():
            try:
                return _load(spec)
            except FontError:
                continue  # e.g. a CFF-outlined font: try the next one
    raise FontError(NO_FONT)
