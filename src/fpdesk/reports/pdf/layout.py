"""The page every printout shares: A4, margins, header, 第 n 页 共 m 页, styles, tables.

The page total is drawn as a PDF form (an XObject) that every page references and the
canvas defines only when the document is saved, so pages are written as they are made:
no second pass, and no holding every page in memory to number them afterwards.
Flowables are pulled from a generator a few at a time (`FlowableStream`), so the whole
village is never built in memory at once.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import Text, current_language
from fpdesk.reports.pdf.fonts import CjkFont, find_font

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
HEADER_SPACE = 12 * mm  # between the top margin and the frame: area name, period, rule
FOOTER_SPACE = 10 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
_TOTAL_FORM = "fpdeskPageTotal"
# The footer's baseline sits above the bottom margin by the font's descent, so no glyph
# reaches into the margin.
FOOTER_BASELINE = MARGIN + 2.5
_GRID = colors.HexColor("#555555")
_SHADE = colors.HexColor("#e8e8e8")
_PADDING = 3


class Cancelled(Exception):
    """The officer pressed cancel: the half-made file has been removed."""

    text = Text("已取消打印，没有生成文件。", "Printing was cancelled; no file was made.")


@dataclass
class PrintOptions:
    """How to print: the font, the language, the clock, and the caller's hooks.

    `progress(done, total)` is called as items (households, women, groups) are laid out;
    `cancelled()` is asked between items, and True stops the job.
    """

    font: str | os.PathLike[str] | None = None
    language: str | None = None
    clock: Clock = field(default_factory=SystemClock)
    progress: Callable[[int, int], None] | None = None
    cancelled: Callable[[], bool] | None = None


@dataclass(frozen=True)
class PrintResult:
    path: Path
    pages: int
    items: int  # households, cards, changes, visits or files printed


class FlowableStream(list[Flowable]):
    """A list to reportlab, a generator underneath: it holds only a few flowables ahead.

    reportlab's build loop asks `len()` before taking each flowable from the front,
    so topping up there keeps the lookahead (which keepWithNext needs) filled.
    """

    LOOKAHEAD = 6

    def __init__(self, source: Iterable[Flowable]) -> None:
        super().__init__()
        self._source: Iterator[Flowable] | None = iter(source)

    def __len__(self) -> int:
        while self._source is not None and super().__len__() < self.LOOKAHEAD:
            try:
                self.append(next(self._source))
            except StopIteration:
                self._source = None
        return super().__len__()


def _page_canvas(font_name: str, footer_y: float, total_text: str) -> type[Canvas]:
    class PagedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no types
        """Defines the 共 m 页 form once the page count is known, at save time."""

        def save(self) -> None:
            if len(self._code):
                self.showPage()
            total = self.getPageNumber() - 1
            self.beginForm(_TOTAL_FORM)
            self.setFont(font_name, 8)
            self.drawString(PAGE_WIDTH / 2, footer_y, total_text.format(n=total))
            self.endForm()
            super().save()

    return PagedCanvas


class Sheet:
    """One printout being made: its font, styles, language and page header."""

    def __init__(self, options: PrintOptions, title: Text, area: str, period: Text) -> None:
        self.options = options
        self.language = options.language or current_language()
        self.font: CjkFont = find_font(options.font)
        self.title = self.t(title)
        self.area = area
        self.period = self.t(period)
        self.printed_on = options.clock.today()
        name = self.font.name
        self.styles = {
            "title": ParagraphStyle(
                "title",
                fontName=name,
                fontSize=16,
                leading=22,
                alignment=TA_CENTER,
                spaceAfter=4 * mm,
            ),
            "heading": ParagraphStyle(
                "heading",
                fontName=name,
                fontSize=11.5,
                leading=15,
                spaceBefore=3 * mm,
                spaceAfter=1.5 * mm,
            ),
            "body": ParagraphStyle("body", fontName=name, fontSize=9.5, leading=13, wordWrap="CJK"),
            # Chinese line breaking lets a closing mark (）。，) hang past the line end
            # rather than start a line; the right indent keeps it inside the cell border.
            "cell": ParagraphStyle(
                "cell",
                fontName=name,
                fontSize=8.5,
                leading=11,
                wordWrap="CJK",
                rightIndent=8.5 - _PADDING,
            ),
            "small": ParagraphStyle(
                "small", fontName=name, fontSize=7.5, leading=9.5, wordWrap="CJK"
            ),
        }

    # -- text -----------------------------------------------------------------------

    def t(self, text: Text) -> str:
        return text.get(self.language)

    def para(self, text: object, style: str = "cell") -> Paragraph:
        """A paragraph that wraps inside its cell: long names and addresses never overflow.

        The text is escaped (a name may contain '<' or '&'); a newline starts a new line.
        """
        markup = escape("" if text is None else str(text)).replace("\n", "<br/>")
        return Paragraph(markup, self.styles[style])

    def heading(self, text: Text | str) -> Paragraph:
        return self.para(self.t(text) if isinstance(text, Text) else text, "heading")

    def doc_title(self, text: Text | str) -> Paragraph:
        return self.para(self.t(text) if isinstance(text, Text) else text, "title")

    def gap(self, height_mm: float = 3) -> Spacer:
        return Spacer(1, height_mm * mm)

    # -- tables ---------------------------------------------------------------------

    def table(
        self,
        header: Sequence[Text | str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        style: str = "cell",
    ) -> Table:
        """A grid with a shaded header repeated on every page; widths are fractions."""
        scale = FRAME_WIDTH / sum(widths)
        columns = [w * scale for w in widths]
        head = [
            self.cell(self.t(h) if isinstance(h, Text) else h, w, style)
            for h, w in zip(header, columns, strict=True)
        ]
        body = [[self.cell(c, w, style) for c, w in zip(row, columns, strict=True)] for row in rows]
        table = Table([head, *body], colWidths=columns, repeatRows=1, hAlign="LEFT")
        table.setStyle(self._grid_style(style=style))
        return table

    def cell(self, value: object, width: float, style: str = "cell") -> Any:
        """What goes in a table cell: plain text when it fits on one line, else a
        paragraph that wraps.  Plain text is several times faster to lay out, and most
        cells (dates, codes, short names) fit; anything longer still wraps."""
        if isinstance(value, Flowable):
            return value
        text = "" if value is None else str(value)
        look = self.styles[style]
        room = width - 2 * _PADDING - 0.5
        if "\n" not in text and stringWidth(text, look.fontName, look.fontSize) <= room:
            return text
        return self.para(text, style)

    def fields(
        self,
        pairs: Sequence[tuple[Text | str, object]],
        columns: int = 2,
        *,
        wide: Sequence[tuple[Text | str, object]] = (),
    ) -> Table:
        """Label/value pairs `columns` to a row, as on a paper form; `wide` pairs
        (addresses) come first and take a whole row each."""
        span = 2 * columns
        label_w = 0.16 if columns <= 2 else 0.11
        value_w = 1.0 / columns - label_w
        widths = [FRAME_WIDTH * w for _ in range(columns) for w in (label_w, value_w)]
        label_room, value_room = widths[0], widths[1]
        cells: list[list[Any]] = []
        spans: list[tuple[Any, ...]] = []
        for label, value in wide:
            spans.append(("SPAN", (1, len(cells)), (span - 1, len(cells))))
            cells.append(
                [self._label(label, label_room), self.cell(value, FRAME_WIDTH - label_room)]
                + [""] * (span - 2)
            )
        row: list[Any] = []
        for label, value in pairs:
            row += [self._label(label, label_room), self.cell(value, value_room)]
            if len(row) == span:
                cells.append(row)
                row = []
        if row:
            cells.append(row + [""] * (span - len(row)))
        table = Table(cells, colWidths=widths, hAlign="LEFT")
        style = self._grid_style(header=False)
        for col in range(0, span, 2):
            style.add("BACKGROUND", (col, len(wide)), (col, -1), _SHADE)
        style.add("BACKGROUND", (0, 0), (0, -1), _SHADE)
        for command in spans:
            style.add(*command)
        table.setStyle(style)
        return table

    def _label(self, label: Text | str, width: float) -> Any:
        return self.cell(self.t(label) if isinstance(label, Text) else label, width)

    def _grid_style(self, *, header: bool = True, style: str = "cell") -> TableStyle:
        look = self.styles[style]
        commands: list[tuple[Any, ...]] = [
            # Plain-text cells take the paragraphs' look (and never name Helvetica, a
            # font that would not be embedded).
            ("FONTNAME", (0, 0), (-1, -1), look.fontName),
            ("FONTSIZE", (0, 0), (-1, -1), look.fontSize),
            ("LEADING", (0, 0), (-1, -1), look.leading),
            ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), _SHADE))
        return TableStyle(commands)

    # -- progress -------------------------------------------------------------------

    def step(self, done: int, total: int) -> None:
        """Between items: report progress, and stop if the officer cancelled."""
        if self.options.cancelled is not None and self.options.cancelled():
            raise Cancelled
        if self.options.progress is not None:
            self.options.progress(done, total)

    # -- the document ---------------------------------------------------------------

    def build(self, out: str | os.PathLike[str], flowables: Iterable[Flowable]) -> int:
        """Write the PDF; returns the page count.  A cancelled or failed job leaves no file."""
        target = Path(out)
        partial = target.with_name(target.name + ".part")
        doc = BaseDocTemplate(
            str(partial),
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_SPACE,
            bottomMargin=MARGIN + FOOTER_SPACE,
            title=f"{self.area} {self.title}",
            author="fpdesk",
            creator="fpdesk",
            invariant=1,
            initialFontName=self.font.name,
            initialFontSize=9,
        )
        frame = Frame(
            MARGIN,
            MARGIN + FOOTER_SPACE,
            FRAME_WIDTH,
            PAGE_HEIGHT - 2 * MARGIN - HEADER_SPACE - FOOTER_SPACE,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate("page", [frame], onPage=self._furniture)])
        canvas_class = _page_canvas(
            self.font.name, FOOTER_BASELINE, self.t(Text("共 {n} 页", "of {n}"))
        )
        try:
            doc.build(FlowableStream(flowables), canvasmaker=canvas_class)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return int(doc.page)

    def _furniture(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Header (area, title, period) and footer (printed date, page n of m)."""
        name = self.font.name
        top = PAGE_HEIGHT - MARGIN
        canvas.saveState()
        canvas.setFont(name, 9)
        canvas.drawString(
            MARGIN, top - 9, _fit(canvas, name, 9, f"{self.area}  {self.title}", FRAME_WIDTH * 0.62)
        )
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN, top - 9, _fit(canvas, name, 9, self.period, FRAME_WIDTH * 0.36)
        )
        canvas.setStrokeColor(_GRID)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top - 13, PAGE_WIDTH - MARGIN, top - 13)
        canvas.line(MARGIN, FOOTER_BASELINE + 10, PAGE_WIDTH - MARGIN, FOOTER_BASELINE + 10)
        canvas.setFont(name, 8)
        printed = self.t(Text("打印日期：{d}", "Printed {d}")).format(d=self.printed_on)
        canvas.drawString(MARGIN, FOOTER_BASELINE, printed)
        page = self.t(Text("第 {n} 页，", "Page {n} ")).format(n=doc.page)
        canvas.drawRightString(PAGE_WIDTH / 2, FOOTER_BASELINE, page)
        canvas.doForm(_TOTAL_FORM)
        canvas.restoreState()


def _fit(canvas: Canvas, font: str, size: float, text: str, width: float) -> str:
    """Shorten a header line with an ellipsis rather than run off the page."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def iso(value: str | dt.date | None) -> str:
    return "" if value is None else str(value)
