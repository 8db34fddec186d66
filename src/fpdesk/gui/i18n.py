"""The window's translations: loading them, and the commands that maintain them.

Source strings are English, in `self.tr()` (or `QCoreApplication.translate` with a
context).  `translations/fpdesk_zh_CN.ts` holds the Chinese; the compiled `.qm` ships
inside the package (`fpdesk/resources/translations/`) so an installed fpdesk finds it.

    python -m fpdesk.gui.i18n update   # pull new tr() strings from src/fpdesk/gui into the .ts
    python -m fpdesk.gui.i18n todo     # list strings still without a Chinese translation
    python -m fpdesk.gui.i18n apply FILE.json   # fill translations: {"English": "中文"}
    python -m fpdesk.gui.i18n build    # compile the .ts into the .qm (run after every change)
    python -m fpdesk.gui.i18n check    # exit 1 if anything is untranslated or stale
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import PySide6
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

LOCALE = "zh_CN"
GUI_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = GUI_DIR.parents[2]  # the checkout (src/fpdesk/gui -> ..)
TS_FILE = SOURCE_ROOT / "translations" / f"fpdesk_{LOCALE}.ts"
QM_NAME = f"fpdesk_{LOCALE}.qm"


def qm_path() -> Path:
    return Path(str(resources.files("fpdesk") / "resources" / "translations" / QM_NAME))


# The translators must stay referenced while installed, or Qt drops them silently.
_installed: list[QTranslator] = []


def install(app: QApplication, language: str) -> bool:
    """Switch the window's language: zh loads our .qm and Qt's own; en is the source text.

    Returns False when Chinese was wanted but the .qm could not be loaded.
    """
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language != "zh":
        QLocale.setDefault(QLocale("en_US"))
        return True
    QLocale.setDefault(QLocale(LOCALE))
    ours = QTranslator()
    loaded = ours.load(str(qm_path()))
    if loaded:
        app.installTranslator(ours)
        _installed.append(ours)
    qt_own = QTranslator()  # the standard buttons (OK, Cancel) and dialogs
    for qt_dir in qt_translation_dirs():
        if qt_own.load(f"qtbase_{LOCALE}", str(qt_dir)):
            app.installTranslator(qt_own)
            _installed.append(qt_own)
            break
    return loaded


def qt_translation_dirs() -> list[Path]:
    """Where Qt's own Chinese (qtbase_zh_CN.qm: file dialogs, standard buttons) may be.

    Qt's configured folder first; then PySide6's package folder, where the frozen build
    (installer/fpdesk.spec) puts it too, in case a qt.conf points elsewhere.
    """
    configured = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    bundled = Path(PySide6.__file__).resolve().parent / "Qt" / "translations"
    return [configured] if configured == bundled else [configured, bundled]


# ---- the maintenance commands -------------------------------------------------------


def _tool(name: str) -> str:
    bundled = Path(PySide6.__file__).parent / name
    if bundled.exists():
        return str(bundled)
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6")
    return found


def gui_sources() -> list[Path]:
    """Every Python file of the window, forms included: all feed the one .ts."""
    return sorted(p for p in GUI_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def update(ts_file: Path = TS_FILE) -> None:
    """Bring the .ts in line with the sources: new strings in, vanished strings out.

    No source locations are written: line numbers would make every edit a merge
    conflict in the .ts.
    """
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        _tool("lupdate"),
        *map(str, gui_sources()),
        "-no-obsolete",
        "-locations",
        "none",
        "-source-language",
        "en",
        "-target-language",
        LOCALE,
        "-ts",
        str(ts_file),
    ]
    subprocess.run(command, check=True, capture_output=True)


def build(ts_file: Path = TS_FILE, qm_file: Path | None = None) -> Path:
    target = qm_file or qm_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [_tool("lrelease"), "-silent", str(ts_file), "-qm", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def messages(ts_file: Path = TS_FILE) -> list[dict[str, str]]:
    """Every message of the .ts: context, source, translation, and its type attribute."""
    root = ET.parse(ts_file).getroot()
    out = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = (
                [f.text or "" for f in translation.iter("numerusform")]
                if (translation is not None)
                else []
            )
            out.append(
                {
                    "context": name,
                    "source": message.findtext("source") or "",
                    "translation": " ".join(forms)
                    if forms
                    else (translation.text or "")
                    if translation is not None
                    else "",
                    "type": (translation.get("type") or "") if translation is not None else "",
                }
            )
    return out


def problems(ts_file: Path = TS_FILE) -> list[str]:
    """What keeps the .ts from being finished: unfinished, vanished, obsolete, empty."""
    found = []
    for m in messages(ts_file):
        if m["type"] in ("unfinished", "vanished", "obsolete") or not m["translation"].strip():
            found.append(f"{m['context']}: {m['source']!r} ({m['type'] or 'empty'})")
    return found


def missing_from_sources(ts_file: Path = TS_FILE) -> list[str]:
    """Strings in the sources that the .ts lacks (or has vanished): update on a copy."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / ts_file.name
        shutil.copy2(ts_file, copy)
        update(copy)
        return problems(copy)


def qm_is_current(ts_file: Path = TS_FILE) -> bool:
    """Whether the shipped .qm is what the .ts compiles to."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(ts_file, Path(tmp) / QM_NAME)
        return qm_path().exists() and fresh.read_bytes() == qm_path().read_bytes()


def apply(mapping: dict[str, str], ts_file: Path = TS_FILE) -> int:
    """Fill the unfinished translations of English sources; returns how many were filled.

    A translation already finished is kept: the same English can stand in several
    contexts, and a mapping written for one new screen must not overwrite the Chinese
    chosen elsewhere (`main` then runs `update`, which writes the file back in
    lupdate's own form)."""
    tree = ET.parse(ts_file)
    filled = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if source in mapping and translation is not None and _unfinished(translation):
            if message.get("numerus") == "yes":  # Chinese has a single plural form
                for form in list(translation):
                    translation.remove(form)
                ET.SubElement(translation, "numerusform").text = mapping[source]
            else:
                translation.text = mapping[source]
            translation.attrib.pop("type", None)
            filled += 1
    tree.write(ts_file, encoding="utf-8", xml_declaration=True)
    return filled


def _unfinished(translation: ET.Element) -> bool:
    if translation.get("type") == "unfinished":
        return True
    return not "".join(translation.itertext()).strip()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "check"
    if command == "update":
        update()
    elif command == "build":
        print(build())
    elif command == "todo":
        for line in problems():
            print(line)
    elif command == "apply" and len(args) == 2:
        mapping = json.loads(Path(args[1]).read_text(encoding="utf-8"))
        print(f"filled {apply(mapping)}")
        update()  # back in lupdate's own form: apply's XML writer escapes differently
    elif command == "check":
        issues = missing_from_sources()
        if not qm_is_current():
            issues.append(f"{qm_path()} is stale: run `python -m fpdesk.gui.i18n build`")
        for line in issues:
            print(line)
        return 1 if issues else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
