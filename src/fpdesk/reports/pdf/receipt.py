"""The clerk's import receipt (导入回执): what happened to each village's bundle.

It takes plain result rows (file name, village, status, counts, reason), so the import
ledger in fpdesk.sync can feed it without this module knowing how imports work.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable

from fpdesk.core.i18n import Text
from fpdesk.reports.pdf import PRINTOUTS, RECEIPT
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult, Sheet

TITLE = PRINTOUTS[RECEIPT]

STATUS: dict[str, Text] = {
    "accepted": Text("已导入", "accepted"),
    "duplicate": Text("重复（以前已导入）", "already imported"),
    "gap": Text("缺号（等待缺少的包）", "gap (waiting for missing bundles)"),
    "fork": Text("分叉（待核实）", "fork (held for checking)"),
    "refused": Text("拒收", "refused"),
    "not_here": Text("不是本村的，没有动它", "not for this village: left alone"),
}
COUNTS: dict[str, Text] = {
    "changes": Text("变更", "changes"),
    "applied": Text("已应用", "applied"),
    "conflicts": Text("冲突", "conflicts"),
    "duplicates": Text("疑似重复", "possible duplicates"),
    "unchanged": Text("无变化", "unchanged"),
    "queued": Text("待处理", "queued for the clerk"),
}
# The import ledger's own count fields (fpdesk.sync.ledger.FileResult.as_dict()).
_LEDGER_COUNTS = ("applied", "unchanged", "queued")
HEADER = [
    Text("序号", "No."),
    Text("文件名", "File"),
    Text("村", "Village"),
    Text("结果", "Result"),
    Text("数量", "Counts"),
    Text("原因 / 说明", "Reason"),
]
WIDTHS = [0.45, 2.2, 1.5, 1.3, 1.3, 2.2]


@dataclass(frozen=True)
class ReceiptRow:
    """One imported (or refused) file, as the import ledger reports it."""

    file_name: str
    village: str
    status: str
    counts: Mapping[str, int] = field(default_factory=dict)
    reason: str | Text = ""

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> ReceiptRow:
        """From a plain row, or from an import-ledger result as its as_dict() gives it
        (file, outcome, reason_zh/reason_en, applied, unchanged, queued)."""
        counts = row.get("counts")
        if counts is None:
            counts = {k: row[k] for k in _LEDGER_COUNTS if row.get(k) is not None}
        reason: str | Text = str(row.get("reason") or "")
        if row.get("reason_zh") or row.get("reason_en"):
            reason = Text(str(row.get("reason_zh") or ""), str(row.get("reason_en") or ""))
        return cls(
            file_name=str(_either(row, "file_name", "file")),
            village=str(row.get("village") or ""),
            status=str(_either(row, "status", "outcome")),
            counts={str(k): int(v) for k, v in dict(counts).items()},
            reason=reason,
        )


def _either(row: Mapping[str, Any], name: str, ledger_name: str) -> Any:
    """A field under its receipt name or the import ledger's; KeyError names the first."""
    if name in row:
        return row[name]
    if ledger_name in row:
        return row[ledger_name]
    raise KeyError(name)


def _counts_text(counts: Mapping[str, int], lang: str) -> str:
    parts = [f"{COUNTS.get(k, Text(k, k)).get(lang)} {n}" for k, n in counts.items()]
    return "\n".join(parts)


def print_receipt(
    rows: Iterable[ReceiptRow | Mapping[str, Any]],
    out: str | os.PathLike[str],
    *,
    township: str,
    imported_at: dt.datetime | None = None,
    clerk: str = "",
    options: PrintOptions | None = None,
) -> PrintResult:
    """Print the receipt of one import session (a folder of bundles)."""
    options = options or PrintOptions()
    when = imported_at or options.clock.now()
    results = [r if isinstance(r, ReceiptRow) else ReceiptRow.from_mapping(r) for r in rows]
    sheet = Sheet(
        options,
        TITLE,
        township,
        Text("导入时间 {t}", "Imported {t}").format(t=when.strftime("%Y-%m-%d %H:%M")),
    )

    def flowables() -> Iterator[Flowable]:
        lang = sheet.language
        yield sheet.doc_title(sheet.t(TITLE))
        yield sheet.para(f"{sheet.area}    {sheet.period}", "body")
        yield sheet.gap(3)
        sheet.step(0, 1)
        yield sheet.table(
            HEADER,
            [
                [
                    number,
                    r.file_name,
                    r.village,
                    STATUS.get(r.status, Text(r.status, r.status)).get(lang),
                    _counts_text(r.counts, lang),
                    sheet.t(r.reason) if isinstance(r.reason, Text) else r.reason,
                ]
                for number, r in enumerate(results, start=1)
            ],
            WIDTHS,
        )
        sheet.step(1, 1)
        yield from _totals(sheet, results)
        yield sheet.gap(10)
        yield sheet.para(
            sheet.t(
                Text(
                    "经办人：{clerk}____________　　核对人：____________　　日期：____________",
                    "Clerk: {clerk}____________   Checked by: ____________   Date: ____________",
                )
            ).format(clerk=clerk),
            "body",
        )

    pages = sheet.build(out, flowables())
    return PrintResult(path=Path(out), pages=pages, items=len(results))


def _totals(sheet: Sheet, results: list[ReceiptRow]) -> Iterator[Flowable]:
    statuses = Counter(r.status for r in results)
    counts: Counter[str] = Counter()
    for r in results:
        counts.update(r.counts)
    pairs: list[tuple[Text | str, object]] = [(Text("文件合计", "Files"), len(results))]
    pairs += [(title, statuses[code]) for code, title in STATUS.items()]
    pairs += [(Text(s, s), n) for s, n in sorted(statuses.items()) if s not in STATUS]
    pairs += [(COUNTS.get(k, Text(k, k)), n) for k, n in counts.items()]
    yield sheet.heading(Text("合计", "Totals"))
    yield sheet.fields(pairs, columns=2)
