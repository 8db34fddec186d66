"""What every subcommand shares (commands/common.py): the set-up (--db and --user first,
--json last, the function that runs it), the passphrase from the environment or the
terminal, and an engine's refusal turned into the command's message and exit status."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from fpdesk.commands.common import (
    PASSPHRASE_ENV,
    CommandError,
    on_register,
    passphrase,
    secret,
    subcommand,
)
from fpdesk.core.i18n import Text
from fpdesk.sync import bundles
from fpdesk.sync.errors import SyncError
from tests.conftest import VILLAGE


def _run(args: argparse.Namespace) -> int:
    return 7


def test_a_subcommand_takes_the_register_first_and_json_last() -> None:
    parser = argparse.ArgumentParser(prog="fpdesk")
    sub = parser.add_subparsers(dest="command")
    with subcommand(sub, "look", "look / 看", _run, description="what it does") as look:
        look.add_argument("--village")
    options = [a.option_strings[0] for a in look._actions if a.option_strings]
    assert options == ["-h", "--db", "--user", "--village", "--json"]
    args = parser.parse_args(["look", "--db", "x.fpdesk", "--village", "1", "--json"])
    assert args.func(args) == 7 and args.json and args.db == "x.fpdesk"
    assert "what it does" in look.format_help()
    with pytest.raises(SystemExit):  # --db is required
        parser.parse_args(["look"])


def test_a_passphrase_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "从环境来")
    assert passphrase() == "从环境来"


def test_without_one_and_without_a_terminal_it_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FPDESK_TEST_SECRET", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    missing = Text("请设置 FPDESK_TEST_SECRET。", "Set FPDESK_TEST_SECRET.")
    with pytest.raises(CommandError) as caught:
        secret("FPDESK_TEST_SECRET", "口令: ", missing, confirm=True)
    assert caught.value.text == missing and caught.value.status == 1


def test_an_engine_refusal_is_the_commands_message_and_status(
    register_path: Path, passphrase_env: str, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.fpb"
    damaged.write_bytes(b"not a bundle at all")
    args = argparse.Namespace(db=str(register_path), user=None, command="bundle")
    with pytest.raises(CommandError) as caught:
        on_register(args, lambda register: bundles.verify_file(register, damaged))
    assert isinstance(caught.value.__cause__, SyncError)
    assert caught.value.text == caught.value.__cause__.text  # the plain bilingual message
    assert caught.value.status == 1
    # What the engine returns comes back as it is, the register closed after.
    assert on_register(args, lambda register: register.area_code) == VILLAGE
