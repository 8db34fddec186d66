"""The layers stay clean: Qt lives in gui/ only, and arrows point one way."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "fpdesk"

# What each layer may import from fpdesk (gui -> reports, sync, demo -> store -> core).
ALLOWED = {
    "core": {"core"},
    "store": {"core", "store"},
    "sync": {"core", "store", "sync"},
    # The synthetic district: made with the register's own code, never part of it.
    "demo": {"core", "store", "demo"},
    "reports": {"core", "store", "reports"},
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_nothing_outside_gui_imports_pyside6() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "gui" not in path.relative_to(SRC).parts
        and any(name.split(".")[0] == "PySide6" for name in _imports(path))
    ]
    assert offenders == []


def test_layers_point_one_way() -> None:
    offenders = []
    for layer, allowed in ALLOWED.items():
        for path in (SRC / layer).rglob("*.py"):
            for name in _imports(path):
                parts = name.split(".")
                if parts[0] == "fpdesk" and len(parts) > 1 and parts[1] not in allowed:
                    if parts[1] == "__init__" or name == "fpdesk":
                        continue
                    offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []
