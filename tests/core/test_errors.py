"""One base for every error a user can meet: a bilingual `text`, said in the language
chosen when it is shown; the command line turns any of them into its exit message."""

from __future__ import annotations

from pathlib import Path

import pytest

from fpdesk import cli
from fpdesk.commands.common import CommandError
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text, set_language
from fpdesk.core.periods import PeriodError
from fpdesk.reports.accuracy_sample import AuditError
from fpdesk.reports.pdf.fonts import FontError
from fpdesk.reports.pdf.jobs import PrintRequestError
from fpdesk.store import accounts, errors, operations
from fpdesk.store.access import AccessDenied
from fpdesk.store.import_runs import NoSuchRun
from fpdesk.sync.errors import BundleRefused, SyncError

SAID = Text("中文的说法", "the English words")


@pytest.mark.parametrize(
    ("kind", "also"),
    [
        (errors.RegisterError, Exception),
        (errors.DiskFull, errors.RegisterError),
        (AccessDenied, errors.RegisterError),
        (accounts.LoginRefused, errors.RegisterError),
        (SyncError, Exception),
        (BundleRefused, SyncError),
        (CommandError, Exception),
        (operations.FormProblems, ValueError),
        (AuditError, ValueError),
        (PrintRequestError, ValueError),
        (FontError, Exception),
        (PeriodError, ValueError),
        (NoSuchRun, LookupError),
    ],
)
def test_every_user_facing_error_has_the_one_base_and_keeps_its_own(
    kind: type[Exception], also: type[Exception]
) -> None:
    assert issubclass(kind, FpdeskError)
    assert issubclass(kind, also)  # callers that catch ValueError or LookupError still do


def test_the_message_is_said_in_the_language_chosen_when_shown() -> None:
    error = PrintRequestError(SAID)
    try:
        set_language("zh")
        assert str(error) == SAID.zh
        set_language("en")
        assert str(error) == SAID.en
    finally:
        set_language(None)
    assert error.args == (SAID.en,)  # what a log line or a traceback shows


def test_each_kind_builds_its_text() -> None:
    problems = operations.FormProblems({"name": Text("姓名太短", "name too short")})
    assert problems.text == Text("name: 姓名太短", "name: name too short")
    assert NoSuchRun(7).text.en.count("7") == 1
    assert CommandError("plain words").text == Text("plain words", "plain words")
    assert errors.DiskFull(path="/x").path == "/x"


def test_the_exit_status_of_each_kind() -> None:
    assert cli.exit_status(errors.DiskFull()) == 1
    assert cli.exit_status(BundleRefused(SAID)) == 1
    assert cli.exit_status(CommandError(SAID, status=3)) == 3
    assert cli.exit_status(PeriodError(SAID)) == 2  # refused input, as before
    assert cli.exit_status(operations.FormProblems({"sex": SAID})) == 2


def test_the_command_line_says_a_users_error_and_exits(
    tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.fpdesk"
    assert cli.main(["search", "--db", str(missing), "王"]) == 1
    assert capsys.readouterr().err.strip() == f"fpdesk: {errors.NoRegisterHere.text.zh}"
    assert cli.main(["--lang", "en", "search", "--db", str(missing), "王"]) == 1
    assert capsys.readouterr().err.strip() == f"fpdesk: {errors.NoRegisterHere.text.en}"
