"""The clerk's import receipt, fed plain result rows as the import ledger gives them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdesk.reports.pdf.layout import PrintOptions
from fpdesk.reports.pdf.receipt import ReceiptRow, print_receipt
from tests.reports.pdf.conftest import RECEIPT_ROWS, flat, pdf_text


def test_each_file_its_result_and_the_totals(tmp_path: Path, options: PrintOptions) -> None:
    result = print_receipt(RECEIPT_ROWS, tmp_path / "r.pdf", township="三塘镇（450102001000）",
                           imported_at=dt.datetime(2026, 12, 4, 10, 30), clerk="王文书",
                           options=options)
    text = flat(pdf_text(result.path))
    assert result.items == 3
    assert "导入时间2026-12-0410:30" in text
    for row in RECEIPT_ROWS:
        assert flat(str(row["file_name"])) in text
    assert "那况村已导入变更120已应用118冲突2" in text
    assert "缺号（等待缺少的包）变更50缺少第30-39号变更，等待补交" in text
    assert "拒收签名不对：设备未登记" in text
    assert "文件合计3" in text and "已导入1" in text and "拒收1" in text
    assert "变更170" in text and "冲突2" in text
    assert "经办人：王文书" in text


def test_rows_as_dataclasses_and_an_unknown_status(tmp_path: Path, options: PrintOptions) -> None:
    rows = [ReceiptRow("a.fpbundle", "那况村", "partial", {"changes": 3}, "新的状态")]
    result = print_receipt(rows, tmp_path / "r.pdf", township="三塘镇", options=options)
    text = flat(pdf_text(result.path))
    assert "a.fpbundlepartial" in flat(text.replace("那况村", ""))
    assert "partial1" in text


def test_an_empty_import_still_gives_a_receipt(tmp_path: Path, options: PrintOptions) -> None:
    result = print_receipt([], tmp_path / "r.pdf", township="三塘镇", options=options)
    assert result.items == 0 and "文件合计0" in flat(pdf_text(result.path))


def test_fed_from_the_import_ledger(tmp_path: Path, options: PrintOptions) -> None:
    """The sync engine's own result rows, as FileResult.as_dict() gives them."""
    from fpdesk.core.i18n import Text
    from fpdesk.sync.ledger import FileResult

    results = [
        FileResult("v1-000001-000040.fpbundle", "hash1", "accepted", applied=38, unchanged=1,
                   queued=1).as_dict(),
        FileResult("v2-000031-000060.fpbundle", "hash2", "gap",
                   reason=Text("缺少第 21-30 号变更。", "Changes 21-30 are missing.")).as_dict(),
    ]
    result = print_receipt(results, tmp_path / "r.pdf", township="三塘镇", options=options)
    text = flat(pdf_text(result.path))
    assert "v1-000001-000040.fpbundle已导入已应用38无变化1待处理1" in text
    assert "缺少第21-30号变更。" in text and "Changes21-30" not in text
    assert "已应用38" in text and "文件合计2" in text
