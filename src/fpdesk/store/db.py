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
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import sqlcipher3
from sqlite_utils import Database

from fpdesk import __version__
from fpdesk.core import area
from fpdesk.core.ids import new_id
from fpdesk.store import errors, keyring, schema

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


# The register files this process has a connection to, by (device, inode), with how
# many connections.  On Linux and macOS, closing ANY descriptor of a file drops every
# POSIX lock the process holds on it (SQLite's "How To Corrupt An SQLite Database
# File", 2.2): SQLite's own read lock on the register and its lock on byte 128 of
# -shm that tells another program the register is in use.  Without them, the next
# program to close the register thinks it is the last user and deletes -wal and -shm
# under this one.  So nothing in the process may open() a live register's files: the
# header check runs only before the first connection, and copies go through SQLite.
_live: dict[tuple[int, int], tuple[Path, int]] = {}
_live_lock = threading.Lock()
# The register files whose writes are held, by (device, inode), with the error a write
# meets: errors.RegisterBeingChecked while the daily check runs, errors.RegisterDamaged
# after it failed.  Held per file, not per connection, so a worker's second connection
# (Register.reopen) cannot write either.  Dropped when the last connection closes.
_held_writes: dict[tuple[int, int], type[errors.RegisterError]] = {}


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)  # a stat opens nothing: it keeps the locks
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _hold(path: Path) -> tuple[int, int] | None:
    key = _identity(path)
    if key is not None:
        with _live_lock:
            _, count = _live.get(key, (path, 0))
            _live[key] = (path.absolute(), count + 1)
    return key


def _release(key: tuple[int, int] | None) -> None:
    if key is None:
        return
    with _live_lock:
        path, count = _live.get(key, (Path(), 0))
        if count <= 1:
            _live.pop(key, None)
            _held_writes.pop(key, None)
        else:
            _live[key] = (path, count - 1)


def is_live(path: str | os.PathLike[str]) -> bool:
    """Whether this process has a connection open to the register file at `path`."""
    key = _identity(Path(path))
    with _live_lock:
        return key is not None and key in _live


def live_registers() -> list[Path]:
    """The register files this process has open (absolute paths): what no file dialog
    may start in, and no code may open() or copy with ordinary file calls."""
    with _live_lock:
        return sorted({path for path, _ in _live.values()})


def hold_writes(register: Register, why: type[errors.RegisterError]) -> None:
    """Every connection of this process to the register's file refuses to write, with
    `why`, until release_writes."""
    if register._held is not None:
        with _live_lock:
            _held_writes[register._held] = why


def release_writes(register: Register) -> None:
    """The register may be written again; the writes it kept waiting run now, in order."""
    with _live_lock:
        if register._held is not None:
            _held_writes.pop(register._held, None)
    waiting, register._waiting = register._waiting, []
    for write in waiting:
        write(register)


def writes_held(register: Register) -> type[errors.RegisterError] | None:
    """Why the register may not be written now (None: it may)."""
    with _live_lock:
        return _held_writes.get(register._held) if register._held is not None else None


COMPANIONS = ("", "-wal", "-shm", "-journal")


def is_live_file(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a live register or one of its SQLite companion files."""
    target = Path(path).absolute()
    for register in live_registers():
        if any(target == Path(str(register) + suffix) for suffix in COMPANIONS):
            return True
    return is_live(target)


def translate(exc: Exception, path: str | None = None) -> Exception:
    """The user-facing error for an environment failure; the exception itself for a bug."""
    message = str(exc).lower()
    if "database or disk is full" in message or ("disk i/o error" in message and _disk_full(path)):
        return errors.DiskFull(path=path)
    if "database is locked" in message or "database is busy" in message:
        return errors.RegisterLocked(path=path)
    if "readonly database" in message or "unable to open database" in message:
        return errors.ReadOnlyLocation(path=path)
    if "file is not a database" in message or "malformed" in message:
        return errors.NotARegister(path=path)
    return exc


def _disk_full(path: str | None) -> bool:
    if not path:
        return False
    try:
        return shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free < 1 << 20
    except OSError:
        return False


def _quote(passphrase: str) -> str:
    if isinstance(passphrase, RawKey):
        return f"\"x'{passphrase}'\""
    return "'" + passphrase.replace("'", "''") + "'"


class RawKey(str):
    """A register's raw 256-bit key (64 hex digits), given to SQLCipher as is.

    Registers with accounts are encrypted with a random key (store.keyring holds it
    wrapped per account); a RawKey opens them wherever a passphrase is accepted.
    """

    def __new__(cls, value: str | bytes) -> RawKey:
        text = value.hex() if isinstance(value, bytes) else value
        if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
            raise ValueError("a raw register key is 64 lowercase hex digits")
        return super().__new__(cls, text)


class Register:
    """An open register: the connection, its identity, and how to write to it."""

    def __init__(self, path: Path, conn: Any) -> None:
        self.path = path
        self.conn = conn
        self.db = Database(conn, recursive_triggers=False, execute_plugins=False)
        self.info: dict[str, str] = dict(conn.execute("SELECT key, value FROM register_info"))
        self._depth = 0
        self._closed = False
        # Set by store.accounts.login: who is logged in (None: a passphrase-only
        # register, which has no accounts and no limits) and the key that opened it.
        self.account: Any = None
        self.key: RawKey | None = None
        self._secret: str | None = None  # what opened it, for reopen()
        self._held = _hold(path)
        self._waiting: list[Callable[[Register], None]] = []  # see when_writable

    def reopen(self) -> Register:
        """A second connection to this register, opened with the same secret and as the
        same account: for work on another thread (a connection never crosses threads)."""
        if self._secret is None:
            raise errors.RegisterLocked(path=str(self.path))
        other = open_register(self.path, self._secret)
        other.account, other.key = self.account, self.key
        return other

    @property
    def role(self) -> str:
        return self.info["role"]

    @property
    def area_code(self) -> str:
        return self.info["area_code"]

    @property
    def device_id(self) -> str:
        return self.info["device_id"]

    @property
    def writable(self) -> bool:
        """Whether writes are allowed now (not while the daily check runs or after it
        found damage: see open_register(verify=LATER))."""
        return writes_held(self) is None

    def when_writable(self, write: Callable[[Register], None]) -> None:
        """`write(register)` now if the register may be written, else once its check has
        passed (the login's record, the officer's name); never if the check fails."""
        if self.writable:
            write(self)
        else:
            self._waiting.append(write)

    def set_actor(self, name: str | None) -> None:
        """Who is working: written into every history row from now on."""
        with self.transaction():
            self.conn.execute("UPDATE local_state SET value = ? WHERE key = 'actor'", (name,))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """All of it or none of it.  Nested calls become savepoints."""
        if self._depth == 0:
            held = writes_held(self)
            if held is not None:  # nothing is written before the daily check has passed
                raise held(path=str(self.path))
        self._depth += 1
        name = f"sp{self._depth}"
        try:
            if self._depth == 1:
                self.conn.execute("BEGIN IMMEDIATE")
            else:
                self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.conn
            except BaseException:
                if self._depth == 1:
                    self.conn.execute("ROLLBACK")
                else:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            if self._depth == 1:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute(f"RELEASE {name}")
        except sqlcipher3.DatabaseError as exc:
            if self._depth == 1 and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise translate(exc, str(self.path)) from exc
        finally:
            self._depth -= 1

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def close(self) -> None:
        if self._closed:
            return
        with contextlib.suppress(Exception):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        self._closed = True
        _release(self._held)

    @property
    def closed(self) -> bool:
        """Whether close() was called: a late timer (a form's draft) must not write then."""
        return self._closed

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path, passphrase: str) -> Any:
    try:
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=True)
    except sqlcipher3.DatabaseError as exc:
        raise translate(exc, str(path)) from exc
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_quote(passphrase)}")
    return conn


def _configure(conn: Any, busy_timeout_ms: int) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise errors.RegisterLocked()
    conn.execute("PRAGMA synchronous = FULL")


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
        from fpdesk.store import accounts  # accounts builds on this module

        return accounts.login(
            path, user, passphrase, busy_timeout_ms=busy_timeout_ms, verify=verify
        )
    target = Path(path)
    _looks_encrypted(target)
    if not isinstance(passphrase, RawKey) and keyring.exists(target):
        raise errors.AccountNeeded(path=str(target))
    conn = _connect(target, passphrase)
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
        _configure(conn, busy_timeout_ms)
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


def _check_due(conn: Any, path: Path) -> bool:
    """Whether open_register(verify=DAILY) runs the check on this opening."""
    if path.stat().st_size < ALWAYS_CHECK_BELOW:
        return True
    try:
        row = conn.execute("SELECT value FROM local_state WHERE key = ?", (CHECKED_ON,)).fetchone()
    except sqlcipher3.DatabaseError:
        return True
    return row is None or row[0] != dt.date.today().isoformat()


def file_damage(conn: Any, *, quick: bool = True) -> list[str]:
    """What PRAGMA quick_check (or integrity_check) and SQLCipher's page HMACs find."""
    pragma = "quick_check" if quick else "integrity_check"
    # cipher_integrity_check is SQLCipher's own: the HMAC of every page, so a damaged
    # or altered encrypted page is found even where SQLite's structure looks right.
    messages: list[str] = []
    for statement in (f"PRAGMA {pragma}", "PRAGMA cipher_integrity_check"):
        try:
            messages += [str(r[0]) for r in conn.execute(statement)]
        except (sqlcipher3.DatabaseError, MemoryError) as exc:
            # SQLCipher reports a page that fails its HMAC this way mid-query.
            messages.append(str(exc) or type(exc).__name__)
    return [m for m in messages if m != "ok"]


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


def copy_to(register: Register, target: Path) -> None:
    """A consistent encrypted copy of the open register (same key) at `target`, made by
    SQLite itself (VACUUM INTO): copying the file with ordinary file calls would close
    a descriptor of the live register and drop the process's locks (see `_live`).
    Written beside the target first, so a full disk never leaves half a copy."""
    partial = target.with_name(target.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    try:
        register.conn.execute("VACUUM INTO ?", (str(partial),))
    except sqlcipher3.DatabaseError as exc:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise translate(exc, str(partial)) from exc
    os.replace(partial, target)


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
    conn = _connect(target, passphrase)
    try:
        _configure(conn, 5000)
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
