"""The layers stay clean: Qt lives in gui/ only, and arrows point one way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "fpdesk"

# What each layer may import from fpdesk (gui -> reports, sync -> store -> core).
ALLOWED = {
    "core": {"core"},
    "store": {"core", "store"},
    "sync": {"core", "store", "sync"},
    # The district hub (PostgreSQL), beside sync: it reuses the exchange, never the window.
    "hub": {"core", "store", "sync", "hub"},
    "reports": {"core", "store", "reports"},
    # Ledger import (issue 18): a sibling of sync, called by gui and commands.
    "ledgers": {"core", "store", "ledgers"},
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


# SQL in a string: a statement's opening words, or a subquery's.  Upper case only, as
# the code writes SQL: "Delete" or "select" in an English window string is not SQL.
_SQL = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA)\b")
_SQL_CALLS = {"execute", "executemany", "executescript", "query"}


def _sql_in(source: str) -> list[str]:
    """Where a module's source holds SQL: its string literals and its calls that run SQL."""
    found = []
    for node in ast.walk(ast.parse(source)):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and _SQL.search(text):
            found.append(f"line {node.lineno}: SQL text {text[:40]!r}")
        called = node.func if isinstance(node, ast.Call) else None
        if isinstance(called, ast.Attribute) and called.attr in _SQL_CALLS:
            found.append(f"line {node.lineno}: .{called.attr}(…)")
    return found


def test_the_sql_finder_sees_sql_and_only_sql() -> None:
    sql = 'rows = register.query("SELECT id FROM person WHERE household_id = ?", (h,))\n'
    assert len(_sql_in(sql)) == 2  # the text and the call
    assert _sql_in('sql = f"(SELECT count(*) FROM person m WHERE {w})"\n') != []
    assert _sql_in('cur = conn.execute(sql)\n') != []
    english = 'label = self.tr("Delete from the list; select a village; update the page")\n'
    assert _sql_in(english) == []


def test_no_sql_in_gui() -> None:
    """The window reads through store.reading (and writes through store/commands):
    no module of gui/ holds SQL or runs it."""
    offenders = [
        f"{path.relative_to(SRC)} {where}"
        for path in sorted((SRC / "gui").rglob("*.py"))
        for where in _sql_in(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
