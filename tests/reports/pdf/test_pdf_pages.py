"""What every printout owes the reader: the font embedded, page n of m, nothing off the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.reports.pdf.layout import MARGIN, PrintOptions
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE
from tests.reports.pdf.conftest import (
    TODAY,
    Word,
    flat,
    page_count,
    pdf_fonts,
    pdf_text,
    pdf_words,
    populate,
    print_all,
)

KINDS = ("households", "compact", "cards", "changes", "rounds", "receipt")


@pytest.fixture(scope="module")
def printed(_template_register: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Path]:
    """Made once for this module: the checks below only read the files."""
    folder = tmp_path_factory.mktemp("printed")
    shutil.copy2(_template_register, folder / "register.fpdesk")
    register = open_register(folder / "register.fpdesk", PASSPHRASE)
    try:
        populate(register)
        return print_all(register, folder, PrintOptions(clock=FixedClock(TODAY), language="zh"))
    finally:
        register.close()


@pytest.mark.parametrize("kind", KINDS)
def test_every_font_is_embedded_and_the_chinese_one_is_truetype(
    printed: dict[str, Path], kind: str
) -> None:
    fonts = pdf_fonts(printed[kind])
    assert fonts, "the PDF names no font"
    assert all(f["emb"] == "yes" for f in fonts), fonts
    assert any("TrueType" in f["type"] and "WenQuanYi" in f["name"] for f in fonts), fonts


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_says_page_n_of_m_and_the_area(printed: dict[str, Path], kind: str) -> None:
    pages = pdf_text(printed[kind]).split("\f")[:-1]
    total = len(pages)
    assert total >= 1
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页，共{total}页" in flat(page)
        assert "2026-11-28" in page  # printed on (the fixed clock)
        assert ("那况村" if kind != "receipt" else "三塘镇") in page


@pytest.mark.parametrize("kind", KINDS)
def test_no_text_outside_the_margins(printed: dict[str, Path], kind: str) -> None:
    words = pdf_words(printed[kind])
    assert words
    slack = 1.0  # points: glyph boxes may touch the margin line
    outside = [w for w in words if w.x_min < MARGIN - slack or w.y_min < MARGIN - slack
               or w.x_max > w.page_width - MARGIN + slack
               or w.y_max > w.page_height - MARGIN + slack]
    assert outside == []


def _overlap(a: Word, b: Word) -> float:
    width = min(a.x_max, b.x_max) - max(a.x_min, b.x_min)
    height = min(a.y_max, b.y_max) - max(a.y_min, b.y_min)
    return width * height if width > 0 and height > 0 else 0.0


@pytest.mark.parametrize("kind", KINDS)
def test_no_words_printed_over_each_other(printed: dict[str, Path], kind: str) -> None:
    """Long names and addresses wrap inside their cells instead of running into others."""
    words = pdf_words(printed[kind])
    clashes = []
    for page in {w.page for w in words}:
        on_page = [w for w in words if w.page == page]
        for i, a in enumerate(on_page):
            for b in on_page[i + 1:]:
                area = min((a.x_max - a.x_min) * (a.y_max - a.y_min),
                           (b.x_max - b.x_min) * (b.y_max - b.y_min))
                if area and _overlap(a, b) > 0.2 * area:
                    clashes.append((page, a.text, b.text))
    assert clashes == []


def test_page_count_matches_the_footer(printed: dict[str, Path]) -> None:
    # One household per page: the two households and the totals make at least two pages.
    assert page_count(printed["households"]) >= 2
    assert page_count(printed["compact"]) <= page_count(printed["households"])
