"""The daily integrity check, run beside the work instead of before it.

On a district's register the quick check (PRAGMA quick_check and SQLCipher's
cipher_integrity_check: every page read) takes seconds to tens of seconds.  Opened
with `open_register(verify=db.LATER)`, a register whose check is due opens at once
with its writes held: it can be read (searched, listed, printed) but every write
refuses with errors.RegisterBeingChecked, on every connection of the process.  The
check then runs on a connection of its own (`run`, on a worker thread), and `finish`
lets the writes through once it passed, or keeps them held with
errors.RegisterDamaged when it found damage, so nothing is ever written to a damaged
file.  The window (gui.daily_check) and the command line's import (`alongside`) use it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator

from fpdesk.store import errors
from fpdesk.store.db import CHECKED_ON, Register, file_damage, hold_writes, release_writes
from fpdesk.store.db import writes_held as _writes_held

Opener = Callable[[], Register]


def pending(register: Register) -> bool:
    """Whether the register waits for its daily check (opened with verify=LATER)."""
    return _writes_held(register) is errors.RegisterBeingChecked


def failed(register: Register) -> bool:
    """Whether the daily check found the register damaged (writes stay refused)."""
    return _writes_held(register) is errors.RegisterDamaged


def require_writable(register: Register) -> None:
    """Refuse, with the plain message, what would write while writes are held: a form
    refuses to open rather than have the officer type in vain."""
    held = _writes_held(register)
    if held is not None:
        raise held(path=str(register.path))


def require_sound(register: Register) -> None:
    """Refuse what edits a register the check found damaged (a form would never save);
    while the check runs a form may be filled in, and its save waits for the end."""
    if failed(register):
        raise errors.RegisterDamaged(path=str(register.path))


def run(opener: Opener) -> list[str]:
    """The check, on the calling (worker) thread with a connection of its own; the day
    is recorded when the file is sound.  Returns what damage was found (empty: none)."""
    try:
        other = opener()
    except errors.RegisterError as exc:  # a file damaged where opening reads it
        return [str(exc.text.en)]
    try:
        damage = file_damage(other.conn)
        if not damage:
            # Autocommit, not other.transaction(): the file's writes are still held,
            # and this one line is what lets the next opening today skip the check.
            other.conn.execute(
                "INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)",
                (CHECKED_ON, dt.date.today().isoformat()),
            )
        return damage
    finally:
        other.close()


def finish(register: Register, damage: list[str]) -> None:
    """On the register's own thread, after `run`: writes go through (and the writes
    kept waiting, such as the login's record, are made) or stay refused for good."""
    if damage:
        register._waiting.clear()
        hold_writes(register, errors.RegisterDamaged)
    else:
        release_writes(register)


class Alongside:
    """The check on a thread of its own while the caller reads (the command line)."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.damage: list[str] = []
        self._error: BaseException | None = None
        opener = register.reopen  # the thread opens its own connection with it
        self._thread = threading.Thread(target=self._work, args=(opener,), daemon=True)

    def _work(self, opener: Opener) -> None:
        try:
            self.damage = run(opener)
        except BaseException as exc:  # handed to wait(), on the caller's thread
            self._error = exc

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        """Until the check has ended; the register may then be written, or this raises
        errors.RegisterDamaged (nothing was written)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        finish(self.register, self.damage)
        require_writable(self.register)


@contextlib.contextmanager
def alongside(register: Register) -> Iterator[Alongside | None]:
    """With the register's due check running beside the block (None when none is due);
    the block reads, then calls wait() before it writes."""
    if not pending(register):
        yield None
        return
    check = Alongside(register)
    check.start()
    try:
        yield check
    finally:
        check._thread.join()  # never leave the thread reading a register being closed
