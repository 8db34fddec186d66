"""The self-test the frozen build's smoke test runs: it passes on a whole install."""

from __future__ import annotations

from pathlib import Path

from fpdesk.gui import selftest
from tests.conftest import PASSPHRASE


def test_selftest_passes_on_this_install(qapp, register_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert selftest.run(register_path, PASSPHRASE, tmp_path / "settings.ini") == []


def test_selftest_names_a_missing_translation(
    qapp, register_path: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selftest.i18n, "qm_path", lambda: tmp_path / "missing.qm")
    problems = selftest.run(register_path, PASSPHRASE, tmp_path / "settings.ini")
    assert any("missing.qm" in p for p in problems)


def test_the_command_runs_the_window_checks_and_says_what_is_missing(
    qapp, register_path: Path, tmp_path: Path, monkeypatch, passphrase_env, capsys
) -> None:  # type: ignore[no-untyped-def]
    """`fpdesk selftest` (what the installer runs): the command line reaches the
    window's checks through fpdesk.cli, and a problem they find fails the command."""
    from fpdesk import cli

    assert cli.main(["selftest", "--db", str(register_path), "--json"]) == 0
    assert '"problems": []' in capsys.readouterr().out
    monkeypatch.setattr(selftest.i18n, "qm_path", lambda: tmp_path / "missing.qm")
    assert cli.main(["--lang", "en", "selftest", "--db", str(register_path)]) == 1
    assert "missing.qm" in capsys.readouterr().err
