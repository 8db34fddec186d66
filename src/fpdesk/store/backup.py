"""Encrypted backups: automatic (daily, on exit), rotated, on demand to a folder; restore.

A backup is a consistent copy made by VACUUM INTO on the open encrypted connection,
so it is encrypted with the same key, plus a copy of the keyring file for registers
with accounts.  Restoring checks that the backup opens and is sound, shows its date
and counts, and never replaces the live register without a confirmation and a
safety copy of the live one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import Text
from fpdesk.store import access, access_log, errors, keyring
from fpdesk.store.connection import (
    RawKey,
    Register,
    connect,
    copy_to,
    file_damage,
    is_live,
)
from fpdesk.store.db import CHECKED_ON, open_register
from fpdesk.store.lockout import unwrap_key

KEEP_LAST = 7  # automatic backups kept, besides the newest of each month
AUTOMATIC = ("daily", "exit")
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<label>[a-z]+(?:-[a-z]+)*)(?:-\d+)?\.fpdesk$"
)
COUNTED = ("household", "person", "marriage", "pregnancy", "birth", "contraception", "visit")

NOT_CONFIRMED = Text(
    "恢复备份会替换现在的登记册：需要确认（命令行加 --yes）。没有做任何改动。",
    "Restoring replaces the register in use and needs a confirmation (--yes on the "
    "command line). Nothing was changed.",
)

STILL_OPEN = Text(
    "登记册还开着：先关闭它，再恢复备份。没有做任何改动。",
    "The register is still open: close it before restoring a backup. Nothing was changed.",
)


class BackupError(errors.RegisterError):
    """A backup that cannot be made or used; `text` says why."""


@dataclass
class Preview:
    """What a backup holds, shown before it replaces anything."""

    path: Path
    made_at: str
    area_code: str
    role: str
    counts: dict[str, int] = field(default_factory=dict)
    last_change: str | None = None
    accounts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "made_at": self.made_at,
            "area_code": self.area_code,
            "role": self.role,
            "counts": self.counts,
            "last_change": self.last_change,
            "accounts": self.accounts,
        }


def default_folder(register_path: str | os.PathLike[str]) -> Path:
    path = Path(register_path)
    return path.with_name(path.name + ".backups")


def _stem(register_path: Path) -> str:
    name = register_path.name
    return name[: -len(".fpdesk")] if name.endswith(".fpdesk") else name


def create(
    register: Register,
    folder: str | os.PathLike[str] | None = None,
    *,
    label: str = "manual",
    clock: Clock | None = None,
) -> Path:
    """A consistent encrypted copy of the open register (and its keyring) in `folder`,
    made on demand: it holds every village of the register, so only an account whose
    area is the whole register (or a register without accounts) may make one."""
    access.require_whole(register, "backup")
    return _copy(register, folder, label=label, clock=clock)


def _copy(
    register: Register,
    folder: str | os.PathLike[str] | None = None,
    *,
    label: str,
    clock: Clock | None = None,
) -> Path:
    if not re.fullmatch(r"[a-z-]+", label):
        raise ValueError(f"bad backup label {label!r}")
    now = (clock or SystemClock()).now()
    target_dir = Path(folder) if folder is not None else default_folder(register.path)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise errors.ReadOnlyLocation(path=str(target_dir)) from exc
    base = f"{_stem(register.path)}-{now.strftime('%Y%m%d-%H%M%S')}-{label}"
    target = target_dir / f"{base}.fpdesk"
    n = 1
    while target.exists():  # two backups in one second: number the later
        n += 1
        target = target_dir / f"{base}-{n}.fpdesk"
    copy_to(register, target)
    if keyring.exists(register.path):
        shutil.copy2(keyring.path_for(register.path), keyring.path_for(target))
    access_log.record(register, "backup", {"file": target.name, "label": label})
    return target


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: dt.datetime
    label: str


def list_backups(folder: str | os.PathLike[str]) -> list[BackupFile]:
    """The backups in a folder, newest first (by the time in their names)."""
    found = []
    directory = Path(folder)
    if not directory.is_dir():
        return []
    for path in directory.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            made = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
            found.append(BackupFile(path, made, match["label"]))
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def rotate(folder: str | os.PathLike[str], *, keep: int = KEEP_LAST) -> list[Path]:
    """Delete automatic backups beyond the last `keep` and the newest of each month.

    Backups made on demand (or before a conversion or restore) are never deleted."""
    automatic = [b for b in list_backups(folder) if b.label in AUTOMATIC]
    kept = {b.path for b in automatic[:keep]}
    months: set[str] = set()
    for b in automatic:  # newest first: the first seen of a month is its newest
        month = b.made_at.strftime("%Y-%m")
        if month not in months:
            months.add(month)
            kept.add(b.path)
    removed = []
    for b in automatic:
        if b.path not in kept:
            b.path.unlink()
            with contextlib.suppress(FileNotFoundError):
                keyring.path_for(b.path).unlink()
            removed.append(b.path)
    return removed


def automatic(
    register: Register,
    reason: str,
    *,
    clock: Clock | None = None,
    keep: int = KEEP_LAST,
) -> Path | None:
    """The daily backup (if none was made today) or the one on exit (unless nothing
    changed since today's last one); then rotate.  Returns None when none was needed.

    Looks first, so a backup already made costs nothing; the file is checked only when
    a backup is made, and not again on a day its check has passed (the daily check,
    store.daily_check): VACUUM INTO reads every page of the copy through SQLCipher,
    which refuses a page that fails its HMAC, so a copy of a damaged page fails anyway.
    """
    if reason not in AUTOMATIC:
        raise ValueError(f"reason must be one of {AUTOMATIC}")
    now = (clock or SystemClock()).now()
    folder = default_folder(register.path)
    today = [b for b in list_backups(folder) if b.made_at.date() == now.date()]
    made_today = any(b.label in AUTOMATIC for b in today)
    if reason == "daily" and made_today:
        return None
    if reason == "exit" and made_today and _local(register, BACKED_UP_AT) == _changes(register):
        return None
    # A damaged register is not copied over the good backups that rotation would drop.
    if _local(register, CHECKED_ON) != dt.date.today().isoformat() and file_damage(register.conn):
        raise errors.RegisterDamaged(path=str(register.path))
    # Beside the register, on the same disk: a safety net any session keeps.
    made = _copy(register, folder, label=reason, clock=clock)
    with register.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)",
            (BACKED_UP_AT, _changes(register)),
        )
    rotate(folder, keep=keep)
    return made


# Where the change log stood after the last automatic backup (local_state): the exit
# backup is not made again when no record was changed since.  (The record of
# processing is left out: every start logs a login, which is no work to keep.)
BACKED_UP_AT = "backed_up_at_change"


def _changes(register: Register) -> str:
    """Where the change log stands now."""
    row = register.conn.execute("SELECT max(rowid) FROM change_log").fetchone()
    return str(row[0] or 0)


def _local(register: Register, key: str) -> str | None:
    row = register.conn.execute("SELECT value FROM local_state WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def _secret(path: Path, passphrase: str, user: str | None) -> str:
    if user is not None and keyring.exists(path):
        return unwrap_key(path, user, passphrase)
    if keyring.exists(path):
        raise errors.AccountNeeded(path=str(path))
    return passphrase


def preview(path: str | os.PathLike[str], passphrase: str, *, user: str | None = None) -> Preview:
    """Open a backup read-only, check it, and say what it holds.  Writes nothing to it."""
    target = Path(path)
    match = _NAME.match(target.name)
    if not target.is_file():
        raise errors.NoRegisterHere(path=str(target))
    secret = _secret(target, passphrase, user)
    conn = connect(target, secret)
    try:
        conn.execute("PRAGMA query_only = ON")
        try:
            info = dict(conn.execute("SELECT key, value FROM register_info"))
        except sqlcipher3.DatabaseError as exc:
            if isinstance(secret, RawKey):
                raise errors.RegisterDamaged(path=str(target)) from exc
            raise errors.WrongPassphrase(path=str(target)) from exc
        if info.get("app") != "fpdesk":
            raise errors.NotARegister(path=str(target))
        if file_damage(conn):
            raise errors.RegisterDamaged(path=str(target))
        counts = {
            table: int(
                conn.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]
            )
            for table in COUNTED
        }
        last = conn.execute("SELECT max(at) FROM change_log").fetchone()[0]
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'account'"
            )
        ]
        accounts = (
            [r[0] for r in conn.execute("SELECT name FROM account WHERE removed_at IS NULL")]
            if names
            else []
        )
    finally:
        conn.close()
    made = (
        dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").isoformat(timespec="seconds")
        if match
        else dt.datetime.fromtimestamp(target.stat().st_mtime).isoformat(timespec="seconds")
    )
    return Preview(target, made, info["area_code"], info["role"], counts, last, accounts)


def _copy_with_wal(source: Path, target: Path) -> None:
    shutil.copy2(source, target)
    for suffix in ("-wal",):
        extra = Path(str(source) + suffix)
        if extra.exists():
            shutil.copy2(extra, Path(str(target) + suffix))


def restore(
    backup: str | os.PathLike[str],
    live: str | os.PathLike[str],
    passphrase: str,
    *,
    user: str | None = None,
    confirmed: bool = False,
) -> Path | None:
    """Replace the (closed) live register with a backup; returns the live one's safety copy.

    The backup is previewed (so it opens and is sound) before anything happens; the
    live register and its keyring are copied aside first.  Restoring needs an
    administrator's account in the backup when it has accounts.
    """
    source = Path(backup)
    target = Path(live)
    found = preview(source, passphrase, user=user)
    if user is not None and keyring.exists(source):
        _require_admin_in(source, user, passphrase)
    if not confirmed:
        raise BackupError(NOT_CONFIRMED)
    # Files are copied and replaced with ordinary file calls below: never a register
    # this process has open (that would drop SQLite's locks on it; see db._live).
    if is_live(source) or is_live(target):
        raise BackupError(STILL_OPEN)
    safety: Path | None = None
    if target.exists():
        safety = target.with_name(
            f"{target.name}.before-restore-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.bak"
        )
        _copy_with_wal(target, safety)
        if keyring.exists(target):
            shutil.copy2(keyring.path_for(target), keyring.path_for(safety))
    partial = target.with_name(target.name + ".restoring")
    shutil.copy2(source, partial)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(target) + suffix).unlink()
    os.replace(partial, target)
    if keyring.exists(source):
        shutil.copy2(keyring.path_for(source), keyring.path_for(target))
    else:
        with contextlib.suppress(FileNotFoundError):
            keyring.path_for(target).unlink()
    _record_restore(target, source, passphrase, user, found)
    return safety


def _require_admin_in(path: Path, user: str, passphrase: str) -> None:
    key = unwrap_key(path, user, passphrase)
    conn = connect(path, key)
    try:
        conn.execute("PRAGMA query_only = ON")
        row = conn.execute(
            "SELECT role, area_code FROM account WHERE name = ? AND removed_at IS NULL", (user,)
        ).fetchone()
    finally:
        conn.close()
    if row is None or "restore" not in access.PERMISSIONS.get(row[0], frozenset()):
        role = access.ROLE_NAMES.get(row[0]) if row else ""
        raise access.AccessDenied(
            access.NOT_YOUR_ROLE.format(name=user, role=role, action=access.ACTION_NAMES["restore"])
        )


def _record_restore(
    target: Path, source: Path, passphrase: str, user: str | None, found: Preview
) -> None:
    register = open_register(target, passphrase, user=user)
    try:
        with register.transaction():
            new_generation(register, found.made_at)
            access_log.record(register, "restore", {"from": source.name, "made_at": found.made_at})
    finally:
        register.close()


# A restored register is a new generation of itself: what it did after the backup was
# made is gone, and the laptops it exchanges with must be told (fpdesk.sync.restored).
GENERATION = "generation"
RESTORED_AT = "restored_at"
RESTORED_BACKUP_MADE_AT = "restored_backup_made_at"


def new_generation(register: Register, backup_made_at: str) -> str:
    """Record that the register was just restored from a backup made at `backup_made_at`."""
    token = uuid.uuid4().hex
    facts = {
        GENERATION: token,
        RESTORED_AT: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        RESTORED_BACKUP_MADE_AT: backup_made_at,
    }
    with register.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO register_info (key, value) VALUES (?, ?)", facts.items()
        )
    register.info.update(facts)
    return token


def generation(register: Register) -> str:
    """This register's generation: empty until it is first restored from a backup."""
    found = register.conn.execute(
        "SELECT value FROM register_info WHERE key = ?", (GENERATION,)
    ).fetchone()
    return str(found[0]) if found else ""
