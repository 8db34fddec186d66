"""The indicator engine reads only through `IndicatorSource` (issue 17's hub adds a
PostgreSQL one): any object keeping to the interface gives the register's numbers, ids
included, and the computation holds no SQL and no register."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import pytest

from fpdesk.core.periods import parse_period
from fpdesk.reports import indicators as ind
from fpdesk.reports import members as who
from fpdesk.reports.indicators.source import IndicatorSource
from fpdesk.store.db import Register
from tests.reports import world
from tests.reports.world import TOWNSHIP, VILLAGE_A, World

Y2019 = parse_period("2019")
PACKAGE = Path(ind.__file__).parent
# What the interface declares: the only doors a source opens.
READS = sorted(
    name
    for name, member in vars(IndicatorSource).items()
    if inspect.isfunction(member) and not name.startswith("_")
)


class Elsewhere:
    """A source that is not a register: it answers each declared read (here from a
    real register behind it, as the hub will from PostgreSQL) and nothing else, and
    notes which reads were asked."""

    def __init__(self, behind: IndicatorSource) -> None:
        self._behind = behind
        self.asked: list[str] = []

    def __getattr__(self, name: str) -> Any:
        if name not in READS:
            raise AttributeError(f"the engine asked for {name!r}, not in IndicatorSource")
        self.asked.append(name)
        return getattr(self._behind, name)


@pytest.fixture
def town(register: Register) -> World:
    return world.build(register)


def test_another_source_gives_the_registers_numbers(town: World) -> None:
    source = Elsewhere(ind.RegisterSource(town.register))
    through = ind.compute(source, Y2019, [TOWNSHIP])  # type: ignore[arg-type]
    direct = ind.compute(town.register, Y2019, [TOWNSHIP])
    assert through.to_data() == direct.to_data()
    assert through.result("births").numerator == 6  # the world's hand count
    # The whole collection went through the interface, permissions included.
    assert {"require_report", "scope", "reading", "births", "contraception"} <= set(source.asked)


def test_breakdowns_and_headcounts_through_another_source(town: World) -> None:
    source: Any = Elsewhere(ind.RegisterSource(town.register))
    facts = ind.collect(source, Y2019)
    by_village = ind.breakdown(source, Y2019, "village", facts=facts)
    assert [r.to_data() for r in by_village] == [
        r.to_data() for r in ind.breakdown(town.register, Y2019, "village")
    ]
    assert ind.headcounts(source, facts, [VILLAGE_A]) == ind.headcounts(
        town.register, ind.collect(town.register, Y2019), [VILLAGE_A]
    )
    assert "members_on" in source.asked and "area_names" in source.asked


def test_a_source_missing_a_read_is_found_out(town: World) -> None:
    class Partial(Elsewhere):
        def __getattr__(self, name: str) -> Any:
            if name == "wives":
                raise AttributeError(name)
            return super().__getattr__(name)

    with pytest.raises(AttributeError, match="wives"):
        ind.collect(Partial(ind.RegisterSource(town.register)), Y2019)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "module", ["definitions.py", "collection.py", "computation.py", "source.py"]
)
def test_only_the_sqlite_source_holds_sql_and_the_register(module: str) -> None:
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    store = {name for name in imported if name.startswith("fpdesk.store")}
    # The interface names the row type of members_on, nothing of the store besides.
    assert store <= ({"fpdesk.store.population"} if module == "source.py" else set())
    strings = [
        node.value.upper()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert not [s for s in strings if "SELECT " in s or "PRAGMA" in s]
    assert "conn" not in {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def test_the_lists_behind_the_numbers_read_through_the_source(town: World) -> None:
    """reports.members asks the source (`lookup`, one SQL text per read, run by each
    store), so the hub's names come from the same code; it holds no SQL of its own."""
    source = Elsewhere(ind.RegisterSource(town.register))
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    listed = 0
    for result in report.results:
        for which in who.WHICH:
            direct = who.counted(town.register, report, result.key, which)
            through = who.counted(source, report, result.key, which)  # type: ignore[arg-type]
            assert through == direct, (result.key, which)
            listed += len(direct)
    assert listed > 20 and {"lookup", "scope", "area_names"} <= set(source.asked)
    text = Path(who.__file__).read_text(encoding="utf-8")
    assert "SELECT" not in text and ".query(" not in text and "Register" not in text
