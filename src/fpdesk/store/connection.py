"""The open register: its connection, transactions, and which files are live.

The lowest layer of store/: everything that works on an open register (access,
access log, search, accounts, backups, the operations) takes a `Register` from here.
Opening, creating and migrating a register file is store.db, above this.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlite_utils import Database

from fpdesk.store import errors

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


# SQLite's primary result codes (sqlite.org/rescode.html), which sqlcipher3 gives on
# every error as `sqlite_errorcode`.  An extended code (SQLITE_IOERR_WRITE is 778)
# keeps its primary code in the low byte.  The codes, unlike the messages, are the
# same in every SQLite version and are never reworded.
SQLITE_BUSY = 5  # another connection holds the write lock (past busy_timeout)
SQLITE_LOCKED = 6  # a table in use by this connection's own reading
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26  # also what SQLCipher says for a wrong key

_USER_ERRORS: dict[int, type[errors.RegisterError]] = {
    SQLITE_FULL: errors.DiskFull,
    SQLITE_BUSY: errors.RegisterLocked,
    SQLITE_LOCKED: errors.RegisterLocked,
    SQLITE_READONLY: errors.ReadOnlyLocation,
    SQLITE_CANTOPEN: errors.ReadOnlyLocation,
    SQLITE_NOTADB: errors.NotARegister,
    SQLITE_CORRUPT: errors.NotARegister,
}


def translate(exc: Exception, path: str | None = None) -> Exception:
    """The user-facing error for an environment failure; the exception itself for a bug.

    Sorted by SQLite's result code: anything else (SQLITE_ERROR, a constraint, a
    misuse) is a bug in this program and goes on to the crash handler and the log."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return exc
    primary = code & 0xFF
    if primary == SQLITE_IOERR and _disk_full(path):  # some systems say IOERR when full
        return errors.DiskFull(path=path)
    kind = _USER_ERRORS.get(primary)
    return kind(path=path) if kind is not None else exc


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
        # Set by store.db.login: who is logged in (None: a passphrase-only
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
        # The file's header, key, version and steps were checked when this register
        # was opened (store.db.open_register); a second connection needs only the
        # same secret and the same settings.
        conn = connect(self.path, self._secret)
        try:
            configure(conn, 5000)
            other = Register(self.path, conn)
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise translate(exc, str(self.path)) from exc
        except BaseException:
            conn.close()
            raise
        other._secret = self._secret
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


def connect(path: Path, passphrase: str) -> Any:
    try:
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=True)
    except sqlcipher3.DatabaseError as exc:
        raise translate(exc, str(path)) from exc
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_quote(passphrase)}")
    return conn


def configure(conn: Any, busy_timeout_ms: int) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise errors.RegisterLocked()
    conn.execute("PRAGMA synchronous = FULL")


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
