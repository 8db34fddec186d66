"""The layers stay clean: Qt lives in gui/ only, arrows point one way, and no module
imports another that imports it back, at the top of a file or inside a function.

docs/developing.md draws the same layering.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "fpdesk"

# What each package may import from fpdesk, itself included.  Every package under
# src/fpdesk must be listed: a new one says where it sits before it is used.
#   (gui | commands) -> (reports, sync, ledgers, demo) -> store -> core
# The window and the command line are two faces side by side: neither imports the
# other (fpdesk.cli, above both, starts the window).
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "store": {"core", "store"},
    "sync": {"core", "store", "sync"},
    "ledgers": {"core", "store", "sync", "ledgers"},
    "reports": {"core", "store", "reports"},
    "demo": {"core", "store", "demo"},
    "commands": {"core", "store", "sync", "ledgers", "reports", "demo", "commands"},
    "gui": {"core", "store", "sync", "ledgers", "reports", "demo", "gui"},
}
# The modules beside the packages: the command line's entry point sits above everything
# (it starts the window, lazily); `fpdesk/__init__.py` holds only the version.
TOP_MODULES = {"fpdesk", "fpdesk.cli", "fpdesk.__main__"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the fpdesk module imported, dotted
    line: int
    in_function: bool
    type_only: bool = False  # under `if TYPE_CHECKING:`: loads nothing when run


def module_name(path: Path, root: Path = SRC) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: Path = PACKAGE, root: Path = SRC) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(package.rglob("*.py"))}


def _absolute(node: ast.ImportFrom, source: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = source.split(".") if is_package else source.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _resolve(name: str, known: Iterable[str]) -> str | None:
    """The module a dotted name lands in: `fpdesk.store.db.Register` is store.db."""
    names = set(known)
    while name and name not in names:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(source: str, path: Path, known: set[str]) -> list[Import]:
    """Every fpdesk import in the file, at module level, inside a function, or under
    `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool, type_only: bool = False) -> None:
        for child in ast.iter_child_nodes(node):
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(child, source, path.name == "__init__.py")
                names = [f"{base}.{alias.name}" for alias in child.names]
            for name in names:
                target = _resolve(name, known) if name.split(".")[0] == "fpdesk" else None
                if target is not None and target != source:
                    found.append(Import(source, target, child.lineno, in_function, type_only))
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            types = type_only or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            )
            visit(child, inner, types)

    visit(tree, False)
    return found


def import_graph(package: Path = PACKAGE, root: Path = SRC) -> list[Import]:
    known = modules(package, root)
    return [edge for name, path in known.items() for edge in imports_of(name, path, set(known))]


def cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The groups of modules that import one another round (strongly connected
    components of more than one module, or a module importing itself), each sorted."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    nodes = set(edges) | {t for targets in edges.values() for t in targets}

    def connect(node: str) -> None:  # Tarjan's algorithm; src/ is far from the recursion limit
        order[node] = low[node] = len(order)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in order:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], order[target])
        if low[node] == order[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                found.append(sorted(group))

    for node in sorted(nodes):
        if node not in order:
            connect(node)
    return sorted(found)


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and module not in TOP_MODULES else None


def test_the_cycle_finder_on_a_small_graph() -> None:
    graph = {
        "a": ["b"],
        "b": ["c"],
        "c": ["a", "d"],  # a -> b -> c -> a
        "d": ["e"],
        "e": [],
        "f": ["f"],  # a module importing itself
        "g": ["h"],
        "h": ["g"],
    }
    assert cycles(graph) == [["a", "b", "c"], ["f"], ["g", "h"]]
    assert cycles({"a": ["b"], "b": ["c"], "c": []}) == []


def test_the_import_finder_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "fpdesk" / "store"
    pkg.mkdir(parents=True)
    (tmp_path / "fpdesk" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "db.py").write_text("from fpdesk.store import access\n")
    (pkg / "access.py").write_text(
        "def late():\n    from . import db  # dodges the cycle\n    return db\n"
    )
    (pkg / "audit.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from fpdesk.store.db import Register\n"
    )
    edges = import_graph(tmp_path / "fpdesk", tmp_path)
    assert {(e.source, e.target, e.in_function, e.type_only) for e in edges} == {
        ("fpdesk.store.db", "fpdesk.store.access", False, False),
        ("fpdesk.store.access", "fpdesk.store.db", True, False),
        ("fpdesk.store.audit", "fpdesk.store.db", False, True),
    }
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    assert cycles(graph) == [["fpdesk.store.access", "fpdesk.store.db"]]


def test_no_import_cycles_between_modules() -> None:
    """Module-level and function-level imports alike: a function-level import that
    closes a cycle only hides it.  Break one by moving what both need into the lower
    module (or a small new one named for what it is).  A name imported for annotations
    only (under `if TYPE_CHECKING:`) loads nothing and is left out here; it still has
    to point the layers' way."""
    edges = [edge for edge in import_graph() if not edge.type_only]
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    found = cycles(graph)
    lines = [
        f"{e.source}:{e.line} -> {e.target}{' (in a function)' if e.in_function else ''}"
        for group in found
        for e in edges
        if e.source in group and e.target in group
    ]
    assert found == [], "\n".join(lines)


def test_every_package_has_its_place_in_the_layers() -> None:
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages - set(ALLOWED) == set(), "add the new package to ALLOWED (and the docs)"


def test_nothing_outside_gui_imports_pyside6() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "gui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            if any(name.split(".")[0] == "PySide6" for name in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_layers_point_one_way() -> None:
    """At module level and inside functions alike."""
    offenders = []
    for edge in import_graph():
        layer, target = _layer(edge.source), _layer(edge.target)
        if layer is None or target is None:
            if layer is not None and edge.target not in {"fpdesk"}:
                offenders.append(f"{edge.source}:{edge.line} imports {edge.target}")
            continue
        if target not in ALLOWED.get(layer, {layer}):
            offenders.append(f"{edge.source}:{edge.line} imports {edge.target}")
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
