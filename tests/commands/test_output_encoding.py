"""Redirected output is UTF-8 whatever the code page (an English Windows writes cp1252)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE


def _run(*args: str, lang: str = "zh") -> subprocess.CompletedProcess[bytes]:
    # PYTHONIOENCODING stands in for Windows' ANSI code page on a pipe.
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "FPDESK_LANG": lang}
    env["FPDESK_PASSPHRASE"] = PASSPHRASE
    return subprocess.run(
        [sys.executable, "-m", "fpdesk", *args],
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )


def test_help_prints_chinese_to_a_cp1252_pipe() -> None:
    done = _run("--help")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "登记册" in done.stdout.decode("utf-8")


def test_a_command_printing_chinese_finishes_on_a_cp1252_pipe(tmp_path: Path) -> None:
    path = tmp_path / "demo.fpdesk"
    done = _run("demo", "--db", str(path), "--persons", "100")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = done.stdout.decode("utf-8")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    missing = _run("check", "--db", str(tmp_path / "none.fpdesk"))
    assert missing.returncode != 0
    assert any("\u4e00" <= ch <= "\u9fff" for ch in missing.stderr.decode("utf-8"))
