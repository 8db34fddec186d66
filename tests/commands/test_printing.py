"""fpdesk print: the printouts from the command line, and its refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.core.i18n import set_language
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE, VILLAGE
from tests.reports.pdf.conftest import RECEIPT_ROWS, flat, pdf_text, populate


@pytest.fixture
def village_db(register_path: Path, passphrase_env: str) -> Iterator[Path]:
    register = open_register(register_path, PASSPHRASE)
    try:
        populate(register)
    finally:
        register.close()
    yield register_path
    set_language(None)  # --lang sticks for the process; leave it as found


@pytest.mark.parametrize("kind", ["households", "cards", "changes", "rounds"])
def test_each_printout(
    village_db: Path, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"{kind}.pdf"
    period = "2026-11" if kind == "changes" else "2026-11-28"
    args = [
        "print",
        kind,
        "--db",
        str(village_db),
        "--village",
        VILLAGE,
        "--period",
        period,
        "--out",
        str(out),
        "--json",
    ]
    if kind == "rounds":
        pytest.importorskip("fpdesk.store.due")
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["path"] == str(out) and report["pages"] >= 1
    assert "那况村" in pdf_text(out)


def test_compact_household_register(village_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    assert (
        main(
            [
                "print",
                "households",
                "--db",
                str(village_db),
                "--village",
                VILLAGE,
                "--compact",
                "--period",
                "2026-11-28",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "截至2026-11-28" in flat(pdf_text(out))


def test_a_village_not_in_the_register(
    village_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    status = main(
        [
            "--lang",
            "zh",
            "print",
            "households",
            "--db",
            str(village_db),
            "--village",
            "450102001299",
            "--out",
            str(out),
        ]
    )
    assert status == 1
    assert "没有村 450102001299 的户" in capsys.readouterr().err
    assert not out.exists()


def test_not_a_village_code_and_a_bad_period(
    village_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert (
        main(
            [
                "--lang",
                "en",
                "print",
                "cards",
                "--db",
                str(village_db),
                "--village",
                "450102001000",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert "not a village code" in capsys.readouterr().err
    assert (
        main(
            [
                "--lang",
                "en",
                "print",
                "changes",
                "--db",
                str(village_db),
                "--village",
                VILLAGE,
                "--period",
                "2026-13",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert "period" in capsys.readouterr().err
    assert not out.exists()


def test_a_font_that_is_not_there(
    village_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "--lang",
            "zh",
            "print",
            "households",
            "--db",
            str(village_db),
            "--village",
            VILLAGE,
            "--out",
            str(tmp_path / "x.pdf"),
            "--font",
            str(tmp_path / "nope.ttc"),
        ]
    )
    assert status == 1
    assert "字体文件不存在" in capsys.readouterr().err


def test_receipt_from_a_results_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = tmp_path / "results.json"
    rows.write_text(json.dumps(RECEIPT_ROWS, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "receipt.pdf"
    assert (
        main(["print", "receipt", "--rows", str(rows), "--township", "三塘镇", "--out", str(out)])
        == 0
    )
    assert "那况村已导入变更120" in flat(pdf_text(out))
    rows.write_text(json.dumps([{"village": "x"}]), encoding="utf-8")
    assert (
        main(
            [
                "print",
                "receipt",
                "--rows",
                str(rows),
                "--township",
                "三塘镇",
                "--out",
                str(tmp_path / "bad.pdf"),
            ]
        )
        == 2
    )
    assert "file_name" in capsys.readouterr().err
