"""Unwrapping an account's key, and the growing delay after wrong passphrases.

Repeated wrong passphrases slow an account down with a delay kept in the keyring
(never a permanent lock).  Failed logins are kept in the keyring too, since the
register cannot be opened to record them when they happen, and are moved into the
record of processing (store.access_log) at the next successful login.  Below store.db,
which logs in with `unwrap_key`, and store.backup, which opens account backups.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import Text
from fpdesk.store import access_log, keyring
from fpdesk.store.connection import RawKey, Register
from fpdesk.store.errors import AccountProblem, RegisterError

FREE_TRIES = 3  # wrong passphrases before the first delay
FIRST_DELAY_S = 30
MAX_DELAY_S = 3600
UNKNOWN_KEPT = 500  # names tried that are no account, whose delays are kept


class LoginRefused(RegisterError):
    text = Text(
        "用户名或口令不对，没有登录。请检查输入法和大小写后再试；连续输错几次后要等一会儿才能再试。",
        "Wrong user name or passphrase: not logged in. Check the keyboard layout and caps "
        "lock; after several wrong tries you must wait a while before the next.",
    )


class AccountLocked(RegisterError):
    text = Text("", "")

    def __init__(self, seconds: int, *, path: str | None = None) -> None:
        self.seconds = seconds
        wait = wait_text(seconds)
        super().__init__(
            Text(
                f"口令连续输错太多次：请 {wait.zh}后再试（输错 {FREE_TRIES} 次后等 "
                f"{FIRST_DELAY_S} 秒，每多错一次等待时间加倍）。忘了口令请找管理员，"
                "或在解锁窗口用恢复密钥设新口令。",
                f"Too many wrong passphrases: try again in {wait.en} (after {FREE_TRIES} "
                f"wrong ones the wait is {FIRST_DELAY_S} s, doubling with each further one). "
                "If the passphrase is forgotten, ask the administrator or set a new one with "
                "the recovery key from the unlock window.",
            ),
            path=path,
        )


def wait_text(seconds: int) -> Text:
    """A wait as people say it: 30 秒, 2 分钟, 1 分 30 秒; never rounded down to nothing."""
    seconds = max(1, int(seconds))
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return Text(f"{rest} 秒", f"{rest} s")
    if not rest:
        return Text(f"{minutes} 分钟", f"{minutes} min")
    return Text(f"{minutes} 分 {rest} 秒", f"{minutes} min {rest} s")


NO_ACCOUNTS = Text(
    "这个登记册还没有账户。请先用 fpdesk users add 添加管理员。",
    "This register has no accounts yet. Add an administrator first with fpdesk users add.",
)


def _clock(clock: Clock | None) -> Clock:
    return clock or SystemClock()


def delay_after(failures: int) -> int:
    """Seconds to wait after this many consecutive wrong passphrases (0: none yet)."""
    if failures < FREE_TRIES:
        return 0
    return int(min(FIRST_DELAY_S * 2 ** (failures - FREE_TRIES), MAX_DELAY_S))


def _counter(ring: dict[str, Any], user: str) -> dict[str, Any] | None:
    """Where the wrong tries of `user` are counted: its keyring entry, or for a name
    that is no account its line among the unknown names (None: never tried)."""
    entry: dict[str, Any] | None = ring["accounts"].get(user)
    if entry is None:
        entry = ring["unknown"].get(user)
    return entry


def _note_failure(path: Path, ring: dict[str, Any], user: str, now: dt.datetime) -> None:
    # A name that is no account is counted and delayed exactly like one: otherwise
    # the missing delay would tell a guesser which names exist.
    entry = _counter(ring, user)
    if entry is None or user not in ring["accounts"]:
        unknown = ring["unknown"]
        entry = unknown.setdefault(user, {"failures": 0, "locked_until": None})
        entry["tried_at"] = now.isoformat(timespec="seconds")
        by_age = sorted(unknown, key=lambda name: str(unknown[name].get("tried_at", "")))
        for old in by_age[: max(0, len(unknown) - UNKNOWN_KEPT)]:  # the longest untried
            del unknown[old]
    entry["failures"] = int(entry.get("failures", 0)) + 1
    wait = delay_after(entry["failures"])
    entry["locked_until"] = (
        (now + dt.timedelta(seconds=wait)).isoformat(timespec="seconds") if wait else None
    )
    ring["failed_logins"].append({"user": user, "at": now.isoformat(timespec="seconds")})
    del ring["failed_logins"][:-200]  # a bounded record until the next login files it
    keyring.save(path, ring)


def unwrap_key(
    path: str | os.PathLike[str], user: str, passphrase: str, *, clock: Clock | None = None
) -> RawKey:
    """The register key, if this account's passphrase unwraps it (with lockout)."""
    target = Path(path)
    now = _clock(clock).now()
    ring = keyring.load(target)
    if not ring["accounts"]:
        raise AccountProblem(NO_ACCOUNTS, path=str(target))
    counter = _counter(ring, user)
    if counter is not None and counter.get("locked_until"):
        until = dt.datetime.fromisoformat(counter["locked_until"])
        if now < until:
            raise AccountLocked(int((until - now).total_seconds()), path=str(target))
    entry = ring["accounts"].get(user)
    try:
        # An unknown name is tried against a stand-in entry of the same cost (scrypt),
        # so its refusal takes as long as a wrong passphrase's.
        return RawKey(keyring.unwrap_account(user, entry or keyring.stand_in(ring), passphrase))
    except keyring.BadSecret:
        _note_failure(target, ring, user, now)
        raise LoginRefused(path=str(target)) from None


def file_failed_logins(register: Register, user: str) -> None:
    """Move the failures the keyring kept into the audit log, and clear this account's."""
    ring = keyring.load(register.path)
    pending = ring.get("failed_logins", [])
    with register.transaction():
        for failure in pending:
            access_log.record(
                register,
                "login_failed",
                {"user": failure["user"]},
                at=failure["at"],
                account=failure["user"],
            )
        entry = ring["accounts"].get(user)
        if entry is not None:
            entry["failures"] = 0
            entry["locked_until"] = None
        ring["failed_logins"] = []
        keyring.save(register.path, ring)
