"""The shared page machinery: streaming, progress, cancel, no half-written files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.platypus import Flowable, Spacer

from fpdesk.reports.pdf.households import print_households
from fpdesk.reports.pdf.layout import Cancelled, FlowableStream, PrintOptions
from fpdesk.store.db import Register
from tests.conftest import VILLAGE
from tests.reports.pdf.conftest import TODAY, Village, pdf_text


def test_the_stream_pulls_only_a_few_flowables_ahead() -> None:
    pulled = 0

    def source() -> Iterator[Flowable]:
        nonlocal pulled
        for _ in range(1000):
            pulled += 1
            yield Spacer(1, 1)

    stream = FlowableStream(source())
    assert len(stream) == FlowableStream.LOOKAHEAD
    assert pulled == FlowableStream.LOOKAHEAD
    del stream[0]
    assert len(stream) == FlowableStream.LOOKAHEAD and pulled == FlowableStream.LOOKAHEAD + 1


def test_progress_is_reported_household_by_household(
    register: Register, village: Village, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    options = PrintOptions(progress=lambda done, total: seen.append((done, total)))
    print_households(register, VILLAGE, tmp_path / "h.pdf", on=TODAY, options=options)
    assert seen == [(0, 2), (1, 2), (2, 2)]


def test_cancel_leaves_no_file_and_keeps_an_older_one(
    register: Register, village: Village, tmp_path: Path
) -> None:
    out = tmp_path / "prints" / "h.pdf"
    out.parent.mkdir()
    out.write_bytes(b"last month's printout")
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > 1  # cancel after the first household

    with pytest.raises(Cancelled):
        print_households(register, VILLAGE, out, options=PrintOptions(cancelled=cancelled))
    assert out.read_bytes() == b"last month's printout"
    assert sorted(p.name for p in out.parent.iterdir()) == ["h.pdf"]


def test_names_with_markup_characters_are_printed_as_typed(
    register: Register, village: Village, tmp_path: Path
) -> None:
    register.conn.execute("UPDATE household SET address = ? WHERE group_no = '01'",
                          ("<b>那况屯</b> & 12 号",))
    result = print_households(register, VILLAGE, tmp_path / "h.pdf", on=TODAY)
    assert "<b>那况屯</b> & 12 号" in pdf_text(result.path)


def test_a_closing_mark_that_hangs_stays_inside_its_cell(tmp_path: Path) -> None:
    """Chinese line breaking never starts a line with '）': it hangs at the line end.

    The text is sized so that the closing parenthesis falls just past the cell's room.
    """
    from fpdesk.core.i18n import Text
    from fpdesk.reports.pdf.layout import FRAME_WIDTH, MARGIN, Sheet
    from tests.reports.pdf.conftest import pdf_words

    sheet = Sheet(PrintOptions(language="zh"), Text("测试", "test"), "测试村", Text("", ""))
    text = "育龄妇女（15-49 岁）"
    widths = [0.16, 0.84]
    out = tmp_path / "t.pdf"
    sheet.build(out, [sheet.table(["项目", "数"], [[text, "2"]], widths)])
    right_edge = MARGIN + FRAME_WIDTH * widths[0]
    words = [w for w in pdf_words(out) if "岁" in w.text or "）" in w.text]
    assert words
    assert all(w.x_max <= right_edge for w in words if "2" not in w.text), words
    assert not any(w.text.endswith("）2") for w in words)  # not run into the next cell
