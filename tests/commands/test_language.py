"""Chinese first: the command line and its PDFs speak Chinese unless English was chosen,
whatever the system locale; --lang is accepted before or after the subcommand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fpdesk.cli import build_parser, main
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE, VILLAGE
from tests.reports.pdf.conftest import pdf_text, populate


@pytest.fixture
def english_system(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A server's LANG=C.UTF-8, or an English Windows: nobody chose a language."""
    monkeypatch.delenv("FPDESK_LANG", raising=False)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(var, "C.UTF-8")
    yield


@pytest.fixture
def village_db(register_path: Path, passphrase_env: str) -> Path:
    with open_register(register_path, PASSPHRASE) as register:
        populate(register)
    return register_path


def test_messages_are_chinese_on_an_english_system(
    english_system: None, village_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--db", str(village_db), "不存在的人"]) == 0
    out = capsys.readouterr().out.strip()
    assert out and out != "Nothing found."
    assert out == "没有找到。"


def test_pdf_is_chinese_on_an_english_system(
    english_system: None, village_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cards.pdf"
    assert (
        main(["print", "cards", "--db", str(village_db), "--village", VILLAGE, "--out", str(out)])
        == 0
    )
    text = pdf_text(out)
    assert "育龄妇女" in text
    assert "female" not in text.lower()


@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "en", "search", "--db", "x", "q"],
        ["search", "--db", "x", "q", "--lang", "en"],
        ["search", "--lang", "en", "--db", "x", "q"],
        [
            "print",
            "households",
            "--db",
            "x",
            "--village",
            VILLAGE,
            "--out",
            "o.pdf",
            "--lang",
            "en",
        ],
        [
            "--lang",
            "zh",
            "print",
            "households",
            "--db",
            "x",
            "--village",
            VILLAGE,
            "--out",
            "o.pdf",
            "--lang",
            "en",
        ],
    ],
)
def test_lang_before_or_after_the_subcommand(argv: list[str]) -> None:
    assert build_parser().parse_args(argv).lang == "en"


def test_lang_before_the_subcommand_is_kept() -> None:
    args = build_parser().parse_args(
        ["--lang", "en", "print", "households", "--db", "x", "--village", VILLAGE, "--out", "o.pdf"]
    )
    assert args.lang == "en"
    assert build_parser().parse_args(["search", "--db", "x", "q"]).lang is None


def test_lang_after_the_subcommand_changes_the_messages(
    english_system: None, village_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--db", str(village_db), "不存在的人", "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "Nothing found."
