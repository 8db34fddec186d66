"""Accounts: each person logs in with a name and passphrase.

The register's key is random; the keyring file beside it (store.keyring) holds it
wrapped per account and under the recovery key.  The `account` table inside the
register is authoritative for roles and areas; the keyring's copy only binds each
wrapping to them.  Repeated wrong passphrases slow an account down with a growing
delay kept in the keyring (never a permanent lock); failed logins are written into
the audit log at the next successful login, since the register cannot be opened to
record them when they happen.

Turning a passphrase-only register into one with accounts (the first `add`) backs it
up, then re-keys it once with PRAGMA rekey to a new random key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from fpdesk.core import area
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import Text
from fpdesk.store import access, access_log, errors, keyring
from fpdesk.store.access import AccessDenied, Account
from fpdesk.store.db import RawKey, Register, create_register, open_register
from fpdesk.store.errors import RegisterError

MIN_PASSPHRASE = 6
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


class AccountProblem(RegisterError):
    """An account operation that cannot be done as asked; `text` says why."""


WEAK = Text(
    f"口令至少要 {MIN_PASSPHRASE} 个字符。",
    f"A passphrase needs at least {MIN_PASSPHRASE} characters.",
)
FIRST_IS_ADMIN = Text(
    "第一个账户要是管理员（他可以再添加村专干和文书的账户）。",
    "The first account must be an administrator (who then adds the officers and clerks).",
)
EXISTS = Text("已经有名为“{name}”的账户。", "There is already an account named “{name}”.")
NO_SUCH = Text("没有名为“{name}”的账户。", "There is no account named “{name}”.")
LAST_ADMIN = Text(
    "不能删除最后一个管理员账户。", "The last administrator account cannot be removed."
)
BAD_AREA = Text(
    "{role}的区划代码要是本登记册（{own}）范围内的{level}代码，{code} 不是。",
    "A {role} needs a {level} code inside this register's area ({own}); {code} is not one.",
)
RECOVERY_REFUSED = Text(
    "恢复密钥不对（或不是这个登记册的），口令没有改动。",
    "The recovery key is wrong (or belongs to another register); no passphrase was changed.",
)
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


def uses_accounts(path: str | os.PathLike[str]) -> bool:
    return keyring.exists(path)


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise AccountProblem(WEAK)


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


def login(
    path: str | os.PathLike[str],
    user: str,
    passphrase: str,
    *,
    clock: Clock | None = None,
    busy_timeout_ms: int = 5000,
    verify: bool | Literal["daily"] = False,
) -> Register:
    """Open the register as `user`.  A register without accounts opens with its
    passphrase as before, with `user` as the name written into its history."""
    target = Path(path)
    if not keyring.exists(target):
        register = open_register(target, passphrase, busy_timeout_ms=busy_timeout_ms, verify=verify)
        register.set_actor(user)
        return register
    key = unwrap_key(target, user, passphrase, clock=clock)
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
            raise LoginRefused(path=str(target))
        register.account = Account(row[0]["name"], row[0]["role"], row[0]["area_code"])
        register.key = key
        register.set_actor(user)
        _file_failed_logins(register, user)
        access_log.record(register, "login", at=_clock(clock).now().isoformat(timespec="seconds"))
    except BaseException:
        register.close()
        raise
    return register


def second_connection(register: Register) -> Callable[[], Register]:
    """For a worker thread: opens the same register again as the same account, with
    the session's key (nobody types the passphrase twice; a connection never crosses
    threads)."""
    path, key, account = register.path, register.key, register.account
    if key is None:
        raise AccountProblem(NO_ACCOUNTS, path=str(path))

    def opener() -> Register:
        other = open_register(path, key)
        other.account = account
        other.key = key
        return other

    return opener


def _file_failed_logins(register: Register, user: str) -> None:
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


def _check_area(register: Register, role: str, code: str) -> None:
    if role not in access.ROLES:
        raise ValueError(f"role must be one of {access.ROLES}, not {role!r}")
    level = {"officer": "village", "clerk": "township"}.get(role, area.level_of(register.area_code))
    try:
        ok = area.level_of(code) == level and area.contains(register.area_code, code)
    except (area.AreaCodeError, KeyError):
        ok = False
    if not ok:
        raise AccountProblem(
            BAD_AREA.format(
                role=access.ROLE_NAMES[role], level=level, own=register.area_code, code=code
            )
        )


def _insert_account(register: Register, name: str, role: str, code: str) -> None:
    creator = access.account_of(register)
    register.conn.execute(
        "INSERT INTO account (name, role, area_code, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            name,
            role,
            code,
            dt.datetime.now().isoformat(timespec="seconds"),
            creator.name if creator else access_log.who(register),
        ),
    )


def add(
    register: Register,
    name: str,
    role: str,
    area_code: str | None,
    passphrase: str,
) -> str | None:
    """Add an account.  The first one turns the register over to accounts: it is
    backed up and re-keyed, and the new recovery key is returned (print it and keep
    it in the safe; it is shown once).  Later ones return None."""
    name = name.strip()
    if not name:
        raise ValueError("an account needs a name")
    code = area_code or register.area_code
    _check_area(register, role, code)
    _check_passphrase(passphrase)
    if not keyring.exists(register.path):
        if role != "administrator":
            raise AccountProblem(FIRST_IS_ADMIN)
        return _convert(register, name, role, code, passphrase)
    access.require(register, "accounts")
    if register.key is None:
        raise AccessDenied(access.NOT_YOUR_ROLE)  # opened without logging in
    ring = keyring.load(register.path)
    taken = register.query("SELECT 1 FROM account WHERE name = ?", (name,))
    if name in ring["accounts"] or taken:
        raise AccountProblem(EXISTS.format(name=name))
    with register.transaction():
        _insert_account(register, name, role, code)
        access_log.record(register, "accounts", {"added": name, "role": role, "area_code": code})
        ring["accounts"][name] = keyring.wrap_for_account(
            bytes.fromhex(register.key), name, role, code, passphrase
        )
        ring["unknown"].pop(name, None)  # its tries before it existed do not count
        keyring.save(register.path, ring)
    return None


def create_with_account(
    path: str | os.PathLike[str],
    *,
    role: str,
    area_code: str,
    name: str,
    passphrase: str,
) -> tuple[Register, str]:
    """A new register with accounts from the start: its first account is the
    administrator `name`.  Returns the open register (logged in) and the recovery key."""
    name = name.strip()
    if not name:
        raise ValueError("an account needs a name")
    _check_passphrase(passphrase)
    target = Path(path)
    if keyring.path_for(target).exists():
        raise errors.RegisterExists(path=str(keyring.path_for(target)))
    key = RawKey(keyring.new_register_key())
    register = create_register(target, key, role=role, area_code=area_code)
    try:
        recovery = keyring.new_recovery_key()
        ring = keyring.empty()
        ring["accounts"][name] = keyring.wrap_for_account(
            bytes.fromhex(key), name, "administrator", area_code, passphrase
        )
        ring["recovery"] = keyring.wrap_for_recovery(bytes.fromhex(key), recovery)
        with register.transaction():
            _insert_account(register, name, "administrator", area_code)
            register.account = Account(name, "administrator", area_code)
            register.key = key
            access_log.record(register, "accounts", {"added": name, "role": "administrator"})
            keyring.save(target, ring)
        register.set_actor(name)
    except BaseException:
        register.close()
        for suffix in ("", "-wal", "-shm", keyring.SUFFIX):
            with contextlib.suppress(OSError):
                Path(str(target) + suffix).unlink()
        raise
    return register, recovery


def _convert(register: Register, name: str, role: str, code: str, passphrase: str) -> str:
    from fpdesk.store import backup  # backup uses this module to open account backups

    backup.create(register, label="before-accounts")
    key = RawKey(keyring.new_register_key())
    recovery = keyring.new_recovery_key()
    ring = keyring.empty()
    ring["accounts"][name] = keyring.wrap_for_account(
        bytes.fromhex(key), name, role, code, passphrase
    )
    ring["recovery"] = keyring.wrap_for_recovery(bytes.fromhex(key), recovery)
    with register.transaction():
        _insert_account(register, name, role, code)
        access_log.record(
            register,
            "accounts",
            {"added": name, "role": role, "area_code": code, "converted": True},
        )
    # The keyring is written before the re-key, and removed again if the re-key fails:
    # at no moment is there a register whose key is written nowhere.
    keyring.save(register.path, ring)
    try:
        register.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        register.conn.execute(f"PRAGMA rekey = \"x'{key}'\"")
    except BaseException:
        keyring.path_for(register.path).unlink()
        raise
    register.key = key
    register._secret = key  # a worker's reopen() now needs the new key
    register.account = Account(name, role, code)
    register.set_actor(name)
    return recovery


def remove(register: Register, name: str) -> None:
    access.require(register, "accounts")
    ring = keyring.load(register.path)
    rows = register.query("SELECT role FROM account WHERE name = ? AND removed_at IS NULL", (name,))
    if not rows:
        raise AccountProblem(NO_SUCH.format(name=name))
    if rows[0]["role"] == "administrator":
        admins = register.query(
            "SELECT count(*) AS n FROM account WHERE role = 'administrator' AND removed_at IS NULL"
        )[0]["n"]
        if admins <= 1:
            raise AccountProblem(LAST_ADMIN)
    with register.transaction():
        register.conn.execute(
            "UPDATE account SET removed_at = ? WHERE name = ?",
            (dt.datetime.now().isoformat(timespec="seconds"), name),
        )
        access_log.record(register, "accounts", {"removed": name})
        ring["accounts"].pop(name, None)
        keyring.save(register.path, ring)


def set_passphrase(register: Register, name: str, new_passphrase: str) -> None:
    """Re-key an account: its own holder, or an administrator for anyone."""
    me = access.account_of(register)
    if me is None or register.key is None:
        raise AccountProblem(NO_ACCOUNTS)
    if me.name != name:
        access.require(register, "accounts")
    _check_passphrase(new_passphrase)
    rows = register.query(
        "SELECT role, area_code FROM account WHERE name = ? AND removed_at IS NULL", (name,)
    )
    if not rows:
        raise AccountProblem(NO_SUCH.format(name=name))
    ring = keyring.load(register.path)
    with register.transaction():
        access_log.record(register, "accounts", {"new_passphrase": name})
        ring["accounts"][name] = keyring.wrap_for_account(
            bytes.fromhex(register.key),
            name,
            rows[0]["role"],
            rows[0]["area_code"],
            new_passphrase,
        )
        keyring.save(register.path, ring)


def recover(
    path: str | os.PathLike[str],
    name: str,
    recovery_key: str,
    new_passphrase: str,
    *,
    verify: bool | Literal["daily"] = False,
) -> Register:
    """A forgotten passphrase: the recovery key opens the register, the account gets a
    new passphrase, and the register is returned logged in as that account."""
    _check_passphrase(new_passphrase)
    target = Path(path)
    ring = keyring.load(target)
    if not ring.get("recovery"):
        raise AccountProblem(NO_ACCOUNTS, path=str(target))
    try:
        key = RawKey(keyring.unwrap_recovery(ring["recovery"], recovery_key))
    except keyring.BadSecret:
        raise AccountProblem(RECOVERY_REFUSED, path=str(target)) from None
    register = open_register(target, key, verify=verify)
    try:
        rows = register.query(
            "SELECT name, role, area_code FROM account WHERE name = ? AND removed_at IS NULL",
            (name,),
        )
        if not rows:
            raise AccountProblem(NO_SUCH.format(name=name))
        register.account = Account(rows[0]["name"], rows[0]["role"], rows[0]["area_code"])
        register.key = key
        register.set_actor(name)
        with register.transaction():
            access_log.record(register, "accounts", {"recovered": name})
            ring["accounts"][name] = keyring.wrap_for_account(
                bytes.fromhex(key), name, rows[0]["role"], rows[0]["area_code"], new_passphrase
            )
            keyring.save(target, ring)
    except BaseException:
        register.close()
        raise
    return register


def new_recovery_key(register: Register) -> str:
    """Replace the recovery key (the old sheet stops working); returns the new one."""
    access.require(register, "accounts")
    if register.key is None:
        raise AccountProblem(NO_ACCOUNTS)
    recovery = keyring.new_recovery_key()
    ring = keyring.load(register.path)
    with register.transaction():
        access_log.record(register, "accounts", {"new_recovery_key": True})
        ring["recovery"] = keyring.wrap_for_recovery(bytes.fromhex(register.key), recovery)
        keyring.save(register.path, ring)
    return recovery


def listing(register: Register, *, clock: Clock | None = None) -> list[dict[str, Any]]:
    """Every account, with whether it is waiting out a delay after wrong passphrases."""
    now = _clock(clock).now()
    ring = keyring.load(register.path)
    rows = register.query(
        "SELECT name, role, area_code, created_at, created_by FROM account "
        "WHERE removed_at IS NULL ORDER BY name"
    )
    for row in rows:
        entry = ring["accounts"].get(row["name"], {})
        until = entry.get("locked_until")
        row["failures"] = int(entry.get("failures", 0))
        row["locked_until"] = until if until and dt.datetime.fromisoformat(until) > now else None
        row["in_keyring"] = bool(entry)
    return rows
