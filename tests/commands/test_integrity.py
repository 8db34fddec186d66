"""Every command that opens a register refuses a damaged file, and writes nothing to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.store import accounts, backup, db, records
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE, VILLAGE

# What runs at the command line against one register, reading or writing.
COMMANDS = [
    ["search", "李"],
    ["due", "--on", "2026-02-20"],
    ["backup", "create"],
    ["report", "--period", "2026-01", "--kind", "monthly", "--out", "{tmp}/out.xlsx"],
    ["enroll", "request", "--out", "{tmp}/request.json"],
    ["bundle", "export", "--out", "{tmp}/bundles"],
    ["print", "households", "--village", VILLAGE, "--out", "{tmp}/out.pdf"],
]


def fill(path: Path) -> None:
    """Enough households that the middle of the file is a page of records."""
    with open_register(path, PASSPHRASE) as reg:
        for n in range(1, 200):
            records.insert(
                reg,
                "household",
                {"code": f"{VILLAGE}01{n:04d}", "village_code": VILLAGE, "group_no": "01"},
            )


def corrupt(path: Path) -> None:
    """Flip bytes in the middle of a page past the first, on disk: the header still reads."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        chunk = handle.read(64)
        handle.seek(size // 2)
        handle.write(bytes(b ^ 0xFF for b in chunk))


def untouched(path: Path, before: bytes) -> bool:
    wal = Path(str(path) + "-wal")
    return path.read_bytes() == before and (not wal.exists() or wal.stat().st_size == 0)


def run(command: list[str], path: Path, tmp: Path) -> int:
    argv = [part.replace("{tmp}", str(tmp)) for part in command]
    at = 2 if argv[0] in ("backup", "enroll", "bundle", "print") else 1
    return main(["--lang", "en", *argv[:at], "--db", str(path), *argv[at:]])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_damaged_register_is_refused_and_left_as_it_was(
    command: list[str],
    register_path: Path,
    passphrase_env: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fill(register_path)
    corrupt(register_path)
    before = register_path.read_bytes()
    assert run(command, register_path, tmp_path) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "nothing was written" in err and "fpdesk backup restore" in err
    assert untouched(register_path, before)
    assert backup.list_backups(backup.default_folder(register_path)) == []
    for made in ("out.xlsx", "request.json", "bundles", "out.pdf"):
        assert not (tmp_path / made).exists()


def test_the_refusal_is_in_chinese_too(
    register_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(register_path)
    corrupt(register_path)
    assert main(["--lang", "zh", "search", "--db", str(register_path), "李"]) == 1
    assert "登记册文件已损坏，程序没有对它做任何改动" in capsys.readouterr().err


def test_a_damaged_register_with_accounts_is_refused_after_login(
    register_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fill(register_path)
    with open_register(register_path, PASSPHRASE) as reg:
        accounts.add(reg, "王管理", "administrator", None, "admin-pass")
    corrupt(register_path)
    before = register_path.read_bytes()
    keys_before = Path(str(register_path) + ".keys").read_bytes()
    monkeypatch.setenv("FPDESK_PASSPHRASE", "admin-pass")
    argv = ["--lang", "en", "due", "--db", str(register_path), "--user", "王管理"]
    assert main(argv) == 1
    assert "damaged" in capsys.readouterr().err
    assert untouched(register_path, before)
    # a right passphrase is not a failure: the keyring's counters are as they were
    assert Path(str(register_path) + ".keys").read_bytes() == keys_before


def test_a_sound_register_opens_and_check_still_reports_in_full(
    register_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(register_path)
    assert main(["search", "--db", str(register_path), "--json", "李"]) == 0
    corrupt(register_path)
    capsys.readouterr()
    # fpdesk check is not refused at the door: it lists what it finds
    assert main(["--lang", "en", "check", "--db", str(register_path), "--quick"]) == 1
    assert "problems" in capsys.readouterr().out


def _checked_on(path: Path) -> str | None:
    with open_register(path, PASSPHRASE) as reg:
        rows = reg.query("SELECT value FROM local_state WHERE key = ?", (db.CHECKED_ON,))
    return rows[0]["value"] if rows else None


def test_a_large_register_is_checked_once_a_day(
    register_path: Path,
    passphrase_env: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Above the size limit the check (20 s of CPU for a district) runs on the first
    command of the day, which records it in the register; later ones that day skip it."""
    monkeypatch.setattr(db, "ALWAYS_CHECK_BELOW", 0)
    fill(register_path)
    assert _checked_on(register_path) is None
    assert main(["due", "--db", str(register_path)]) == 0
    assert _checked_on(register_path) == dt.date.today().isoformat()

    # checked today: the damage is not looked for again until tomorrow (the trade-off)
    corrupt(register_path)
    assert main(["--lang", "en", "backup", "list", "--db", str(register_path)]) == 0
    reg = open_register(register_path, PASSPHRASE, verify=db.DAILY)
    reg.conn.close()


def _set_checked_on(path: Path, day: str) -> None:
    reg = open_register(path, PASSPHRASE)
    try:
        with reg.transaction():
            reg.conn.execute("UPDATE local_state SET value = ? WHERE key = ?", (day, db.CHECKED_ON))
    finally:
        reg.conn.close()


def test_the_next_day_a_large_register_is_checked_again(
    register_path: Path,
    passphrase_env: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(db, "ALWAYS_CHECK_BELOW", 0)
    fill(register_path)
    assert main(["due", "--db", str(register_path)]) == 0
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    _set_checked_on(register_path, yesterday)
    corrupt(register_path)
    before = register_path.read_bytes()
    assert main(["--lang", "en", "due", "--db", str(register_path)]) == 1
    assert "damaged" in capsys.readouterr().err
    assert untouched(register_path, before)
