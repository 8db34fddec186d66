"""The dashboard over a hand-counted township: cards, people behind a number, villages,
trend, export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from fpdesk.core.periods import parse_period
from fpdesk.gui import i18n
from fpdesk.gui.dashboard import (
    MEMBER_COLUMNS,
    VILLAGE_KEYS,
    Dashboard,
    MembersModel,
    nice_ceiling,
)
from fpdesk.reports import excel
from fpdesk.reports import indicators as ind
from fpdesk.store.db import Register, create_register, open_register
from tests.conftest import PASSPHRASE
from tests.reports import world
from tests.reports.pdf.conftest import pdf_text
from tests.reports.world import TOWNSHIP, World


@pytest.fixture
def town(tmp_path: Path) -> Iterator[World]:
    reg = create_register(
        tmp_path / "township.fpdesk", PASSPHRASE, role="township", area_code=TOWNSHIP
    )
    try:
        yield world.build(reg)
    finally:
        reg.close()


@pytest.fixture
def chinese(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The window in the users' language, as they see it."""
    assert i18n.install(qapp, "zh")
    yield
    i18n.install(qapp, "en")


@pytest.fixture
def board(qtbot, town: World, chinese: None) -> Dashboard:  # type: ignore[no-untyped-def]
    widget = Dashboard(town.register, period=parse_period("2019"))
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def _card(board: Dashboard, key: str):  # type: ignore[no-untyped-def]
    return next(card for card in board.cards if card.key == key)


def test_cards_show_the_engines_numbers(board: Dashboard, town: World) -> None:
    engine = ind.compute(town.register, parse_period("2019"), [TOWNSHIP])
    assert len(board.cards) == len(engine.results)
    for result in engine.results:
        card = _card(board, result.key)
        assert card.numerator.text() == str(result.numerator)
        if result.denominator is not None:
            assert card.denominator.text() == str(result.denominator)
    compliant = _card(board, "policy_compliant_rate")
    assert compliant.value.text() == "83.3%"
    assert "未达标" in compliant.target.text()  # 5 of 6 is below the 93 % target


def test_clicking_a_number_lists_the_people(qtbot, board: Dashboard) -> None:  # type: ignore[no-untyped-def]
    card = _card(board, "long_acting_rate")
    qtbot.mouseClick(card.numerator, Qt.MouseButton.LeftButton)
    dialog = board.dialog
    assert dialog is not None and dialog.isVisible()
    model = dialog.model
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    names = sorted(model.data(model.index(r, 0)) for r in range(model.rowCount()))
    assert names == ["W2", "W3", "W6"]  # W3 through her husband's sterilisation
    assert model.headerData(0, Qt.Orientation.Horizontal) == "姓名"
    qtbot.mouseClick(_card(board, "births").numerator, Qt.MouseButton.LeftButton)
    births = board.dialog.model  # type: ignore[union-attr]
    mothers = sorted(births.rows[r]["name"] for r in range(births.rowCount()))
    assert mothers == ["W1", "W1", "W11", "W3", "W5", "W7"]
    assert births.headerData(2, Qt.Orientation.Horizontal) == "村（居）"
    assert {births.data(births.index(r, 2)) for r in range(births.rowCount())} == {"甲村", "乙社区"}


def test_enter_on_a_card_opens_its_list_and_prints_it(  # type: ignore[no-untyped-def]
    qtbot, board: Dashboard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = _card(board, "followup_rate")
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)
    dialog = board.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.model.rowCount() == int(card.numerator.text()) == 4
    card.denominator.setFocus()
    qtbot.keyClick(card.denominator, Qt.Key.Key_Enter)
    assert board.dialog is not dialog and board.dialog.model.rowCount() == 6  # type: ignore[union-attr]
    # A click anywhere on a card opens its numerator.
    qtbot.mouseClick(_card(board, "births"), Qt.MouseButton.LeftButton)
    dialog = board.dialog
    assert dialog is not None and dialog.model.rowCount() == 6
    out = tmp_path / "出生名单.pdf"
    # Every dialog of the window runs through gui.file_dialogs._run: answered here.
    monkeypatch.setattr("fpdesk.gui.file_dialogs._run", lambda dialog: str(out))
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    text = pdf_text(out, "-layout")
    assert "出生人数" in text and "乙社区" in text
    assert sum(1 for line in text.splitlines() if "生育（" in line) == 6
    assert "出生名单.pdf" in dialog.status.text()


def test_village_table_and_double_click(qtbot, board: Dashboard) -> None:  # type: ignore[no-untyped-def]
    model = board.villages
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert [model.data(model.index(r, 1)) for r in range(model.rowCount())] == [
        "甲村",
        "乙社区",
        "长塘镇",
    ]
    births_col = 2 + VILLAGE_KEYS.index("births")
    assert [model.data(model.index(r, births_col)) for r in range(3)] == ["4", "2", "6"]
    board._village_clicked(model.index(1, births_col))
    assert board.dialog is not None and board.dialog.model.rowCount() == 2


def test_trend_and_period_change(board: Dashboard) -> None:
    points = board.chart.points
    assert [p.month.label for p in points][:2] == ["2018-10", "2018-11"]
    assert sum(p.numerator for p in points) == 6
    assert points[-1].numerator == 2  # the twins of 30 September
    board.trend_box.setCurrentIndex(ind.TREND_KEYS.index("policy_compliant_rate"))
    assert board.chart.unit == "percent" and board.chart.target == 93.0
    board.period_box.setCurrentText("2019-03")
    board._period_typed()
    assert board.period == parse_period("2019-03")
    assert _card(board, "births").numerator.text() == "1"  # W3's son


def test_bad_period_keeps_the_old_one(board: Dashboard, monkeypatch: pytest.MonkeyPatch) -> None:
    warned = []
    monkeypatch.setattr(
        "fpdesk.gui.dashboard.QMessageBox.warning", lambda *args: warned.append(args[2])
    )
    board.period_box.setCurrentText("2019Q9")
    board._period_typed()
    assert board.period == parse_period("2019") and "时段" in warned[0]


def test_export_writes_the_workbook_and_records_it(
    board: Dashboard, town: World, tmp_path: Path
) -> None:
    path = tmp_path / "考核.xlsx"
    digest = board.export_to(str(path), "assessment")
    assert load_workbook(path).sheetnames == ["指标考核", "分子分母"]
    expected = excel.workbook_bytes(excel.build(town.register, parse_period("2019"), "assessment"))
    assert path.read_bytes() == expected
    (run,) = ind.runs(town.register)
    assert run["file_hash"] == digest


def test_members_model_with_no_rows() -> None:
    model = MembersModel([])
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    # An empty list keeps its headings: it reads as "nobody", not as a broken table.
    assert model.rowCount() == 0 and model.columnCount() == len(MEMBER_COLUMNS)


def test_empty_register_renders(qtbot, register: Register) -> None:  # type: ignore[no-untyped-def]
    widget = Dashboard(register, period=parse_period("2019"))
    qtbot.addWidget(widget)
    widget.show()
    assert _card(widget, "policy_compliant_rate").value.text() == "—"
    assert not widget.grab().isNull()


@pytest.mark.parametrize(
    ("value", "top"), [(1, 1), (2, 2), (2.3, 5), (7, 10), (11, 20), (2200, 5000)]
)
def test_chart_axis_top(value: float, top: float) -> None:
    assert nice_ceiling(value) == top


def test_counting_off_the_gui_thread(qtbot, town: World, chinese: None) -> None:  # type: ignore[no-untyped-def]
    path = town.register.path
    opened: list[Register] = []

    def opener() -> Register:
        register = open_register(path, PASSPHRASE)
        opened.append(register)
        return register

    widget = Dashboard(town.register, period=parse_period("2019"), opener=opener)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.report is not None, timeout=60_000)
    assert len(opened) == 1  # its own connection, closed again by the work
    assert _card(widget, "births").numerator.text() == "6"
    widget.set_period(parse_period("2019-03"))
    qtbot.waitUntil(
        lambda: widget.report is not None and widget.report.period.label == "2019-03",
        timeout=60_000,
    )
    assert _card(widget, "births").numerator.text() == "1"
