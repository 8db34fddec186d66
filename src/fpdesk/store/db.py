"""Opening, creating and writing the register file.

One SQLCipher-encrypted file per register.  Opening checks, in order, that the file
exists, looks like an encrypted register, opens with the passphrase, is an fpdesk
register and is not newer than this program; only then is anything written to it
(WAL mode, migrations after a backup copy).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from typing import Any, Literal

import sqlcipher3
from sqlite_utils import Database

from fpdesk import __version__
from fpdesk.core import area
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.ids import new_id
from fpdesk.store import access_log, errors, keyring, lockout, schema
from fpdesk.store.access import Account

# The open register lives in store.connection, below this module; its names are
# imported from here too, as they always were.
from fpdesk.store.connection import COMPANIONS as COMPANIONS
from fpdesk.store.connection import RawKey as RawKey
from fpdesk.store.connection import Register as Register
from fpdesk.store.connection import configure as configure
from fpdesk.store.connection import connect as connect
from fpdesk.store.connection import copy_to as copy_to
from fpdesk.store.connection import file_damage as file_damage
from fpdesk.store.connection import hold_writes as hold_writes
from fpdesk.store.connection import is_live as is_live
from fpdesk.store.connection import is_live_file as is_live_file
from fpdesk.store.connection import live_registers as live_registers
from fpdesk.store.connection import release_writes as release_writes
from fpdesk.store.connection import translate as translate
from fpdesk.store.connection import writes_held as writes_held

APP_ID = "fpdesk"
_SQLITE_MAGIC = b"SQLite format 3\x00"
ROLES = ("village", "township")
# open_register(verify=DAILY): the quick integrity check reads every page, about 0.1 s
# of CPU per 4 MB (1.5 s for a 54 MB township, 20 s for a 570 MB district), so a
# register below ALWAYS_CHECK_BELOW bytes (a village's) is checked on every opening
# and a larger one on its first opening of the day, recorded in local_state.
DAILY = "daily"
# open_register(verify=LATER): the same daily rule, but a check that is due does not
# hold up the opening: the register opens with its writes held (every connection of
# this process to the file refuses to write) until store.daily_check has run the check
# on a connection of its own and released them, or found damage and kept them held.
LATER = "later"
ALWAYS_CHECK_BELOW = 32 << 20
CHECKED_ON = "integrity_checked_on"
Verify = bool | Literal["daily", "later"]


def _looks_encrypted(path: Path) -> None:
    """Refuse, before opening, what cannot be an encrypted register.

    The first bytes are read only while this process has no connection to the file:
    reading them later (a worker's connection, the daily backup, the idle lock) would
    close a descriptor of the live register and drop SQLite's locks (see `_live`)."""
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        raise errors.NoRegisterHere(path=str(path))
    if not path.is_file():
        raise errors.NotARegister(path=str(path))
    size = path.stat().st_size
    # A size no page-structured file can have is not ours.
    if size < 1024 or size % 512 != 0:
        raise errors.NotARegister(path=str(path))
    if is_live(path):
        return  # it opened before, as a register: its header was checked then
    with path.open("rb") as handle:
        head = handle.read(16)
    # A plain SQLite file is not ours.
    if head == _SQLITE_MAGIC:
        raise errors.NotARegister(path=str(path))


def backup_path(path: Path, label: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.name}.{label}-{stamp}.bak")


def open_register(
    path: str | os.PathLike[str],
    passphrase: str,
    *,
    busy_timeout_ms: int = 5000,
    user: str | None = None,
    verify: Verify = False,
) -> Register:
    """Open an existing register, migrating it (after a backup copy) if it is older.

    With `user`, log in to an account (store.accounts.login).  With `verify`, a quick
    integrity check runs before anything is written; a damaged file is refused.
    `verify=DAILY` checks a large register only once a day (see ALWAYS_CHECK_BELOW).
    `verify=LATER` opens at once, its writes held while a due check has not run
    (store.daily_check runs it); a register to migrate is checked first all the same.
    """
    if user is not None:
        return login(
            path, user, passphrase, busy_timeout_ms=busy_timeout_ms, verify=verify
        )
    target = Path(path)
    _looks_encrypted(target)
    if not isinstance(passphrase, RawKey) and keyring.exists(target):
        raise errors.AccountNeeded(path=str(target))
    conn = connect(target, passphrase)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        except sqlcipher3.DatabaseError as exc:
            translated = translate(exc, str(target))
            if isinstance(translated, errors.NotARegister):
                raise errors.WrongPassphrase(path=str(target)) from exc
            raise translated from exc
        if "register_info" not in tables:
            raise errors.NotARegister(path=str(target))
        info = dict(conn.execute("SELECT key, value FROM register_info"))
        if info.get("app") != APP_ID:
            raise errors.NotARegister(path=str(target))
        _refuse_newer(conn)
        due = verify in (DAILY, LATER) and _check_due(conn, target)
        later = verify == LATER and due and not _steps_pending(conn)
        check = verify is True or (due and not later)
        if check and file_damage(conn):
            raise errors.RegisterDamaged(path=str(target))
        configure(conn, busy_timeout_ms)
        register = Register(target, conn)
        register._secret = passphrase
        if later:
            hold_writes(register, errors.RegisterBeingChecked)
            return register
        migrate(register)
        if check and verify in (DAILY, LATER):
            with register.transaction():
                conn.execute(
                    "INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)",
                    (CHECKED_ON, dt.date.today().isoformat()),
                )
        return register
    except BaseException:
        conn.close()
        raise


def login(
    path: str | os.PathLike[str],
    user: str,
    passphrase: str,
    *,
    clock: Clock | None = None,
    busy_timeout_ms: int = 5000,
    verify: Verify = False,
) -> Register:
    """Open the register as `user`.  A register without accounts opens with its
    passphrase as before, with `user` as the name written into its history."""
    target = Path(path)
    if not keyring.exists(target):
        register = open_register(target, passphrase, busy_timeout_ms=busy_timeout_ms, verify=verify)
        register.when_writable(lambda opened: opened.set_actor(user))
        return register
    key = lockout.unwrap_key(target, user, passphrase, clock=clock)
    try:
        register = open_register(target, key, busy_timeout_ms=busy_timeout_ms, verify=verify)
    except errors.WrongPassphrase as exc:
        # The key unwrapped, so it is right: a file it does not open is damaged (or
        # was replaced by another register's file).
        raise errors.RegisterDamaged(path=str(target)) from exc
    try:
        row = register.query(
            "SELECT name, role, area_code FROM account WHERE name = ? AND removed_at IS NULL",
            (user,),
        )
        if not row:
            raise lockout.LoginRefused(path=str(target))
        register.account = Account(row[0]["name"], row[0]["role"], row[0]["area_code"])
        register.key = key
        at = (clock or SystemClock()).now().isoformat(timespec="seconds")

        def logged_in(opened: Register) -> None:
            # Written once the register may be written (after its daily check).
            opened.set_actor(user)
            lockout.file_failed_logins(opened, user)
            access_log.record(opened, "login", at=at)

        register.when_writable(logged_in)
    except BaseException:
        register.close()
        raise
    return register


def _check_due(conn: Any, path: Path) -> bool:
    """Whether open_register(verify=DAILY) runs the check on this opening."""
    if path.stat().st_size < ALWAYS_CHECK_BELOW:
        return True
    try:
        row = conn.execute("SELECT value FROM local_state WHERE key = ?", (CHECKED_ON,)).fetchone()
    except sqlcipher3.DatabaseError:
        return True
    return row is None or row[0] != dt.date.today().isoformat()


def _applied_steps(conn: Any) -> list[str]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (schema.MIGRATIONS.migrations_table,)
    ).fetchone()
    if not exists:
        return []
    return [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {schema.MIGRATIONS.migrations_table} "
            "WHERE migration_set = ? ORDER BY rowid",
            (schema.MIGRATIONS.name,),
        )
    ]


def _refuse_newer(conn: Any) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    unknown = set(_applied_steps(conn)) - set(schema.STEP_NAMES)
    if version > schema.schema_version() or unknown:
        raise errors.RegisterTooNew()


def _steps_pending(conn: Any) -> bool:
    return bool(set(schema.STEP_NAMES) - set(_applied_steps(conn)))


def pending_steps(register: Register) -> list[str]:
    applied = set(_applied_steps(register.conn))
    return [name for name in schema.STEP_NAMES if name not in applied]


def migrate(register: Register) -> Path | None:
    """Apply pending steps; copy the file first.  Returns the backup copy, if one was made."""
    if not pending_steps(register):
        return None
    backup = backup_path(register.path, f"before-v{schema.schema_version()}")
    copy_to(register, backup)
    _apply_migrations(register)
    return backup


def _apply_migrations(register: Register) -> None:
    try:
        schema.MIGRATIONS.apply(register.db)
        register.conn.execute(f"PRAGMA user_version = {schema.schema_version()}")
    except sqlcipher3.DatabaseError as exc:
        raise translate(exc, str(register.path)) from exc


def create_register(
    path: str | os.PathLike[str],
    passphrase: str,
    *,
    role: str,
    area_code: str,
    device_id: str | None = None,
) -> Register:
    """Make a new, empty, encrypted register.  Never overwrites an existing file."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    level = area.level_of(area_code)
    expected = "village" if role == "village" else "township"
    if level != expected:
        raise area.AreaCodeError(
            f"a {role} register needs a {expected} code; {area_code} is a {level} code"
        )
    if not passphrase:
        raise ValueError("a register needs a passphrase")
    target = Path(path)
    if target.exists():
        raise errors.RegisterExists(path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise errors.ReadOnlyLocation(path=str(target)) from exc
    conn = connect(target, passphrase)
    try:
        configure(conn, 5000)
        _apply_bare(conn)
        facts = {
            "app": APP_ID,
            "role": role,
            "area_code": area_code,
            "device_id": device_id or new_id(),
            "created_at": dt.datetime.now().isoformat(timespec="seconds"),
            "created_by": __version__,
        }
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO register_info (key, value) VALUES (?, ?)", facts.items())
        conn.execute("COMMIT")
        register = Register(target, conn)
        register._secret = passphrase
        return register
    except BaseException:
        conn.close()
        with contextlib.suppress(OSError):
            for suffix in ("", "-wal", "-shm"):
                Path(str(target) + suffix).unlink()
        raise


def _apply_bare(conn: Any) -> None:
    db = Database(conn, recursive_triggers=False, execute_plugins=False)
    try:
        schema.MIGRATIONS.apply(db)
        conn.execute(f"PRAGMA user_version = {schema.schema_version()}")
    except sqlcipher3.DatabaseError as exc:
        raise translate(exc) from exc
