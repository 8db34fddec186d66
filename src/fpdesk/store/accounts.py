"""Accounts: each person logs in with a name and passphrase.

The register's key is random; the keyring file beside it (store.keyring) holds it
wrapped per account and under the recovery key.  The `account` table inside the
register is authoritative for roles and areas; the keyring's copy only binds each
wrapping to them.  Logging in (`login`, the same as store.db.open_register with
`user`) is store.db's; unwrapping a key and the delay after wrong passphrases are
store.lockout's.  Both are named here too, where callers have always found them.

Turning a passphrase-only register into one with accounts (the first `add`) backs it
up, then re-keys it once with PRAGMA rekey to a new random key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdesk.core import area
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import Text
from fpdesk.store import access, access_log, backup, errors, keyring
from fpdesk.store.access import AccessDenied, Account
from fpdesk.store.db import RawKey, Register, Verify, create_register, open_register
from fpdesk.store.db import login as login
from fpdesk.store.errors import AccountProblem as AccountProblem
from fpdesk.store.lockout import FIRST_DELAY_S as FIRST_DELAY_S
from fpdesk.store.lockout import FREE_TRIES as FREE_TRIES
from fpdesk.store.lockout import MAX_DELAY_S as MAX_DELAY_S
from fpdesk.store.lockout import NO_ACCOUNTS as NO_ACCOUNTS
from fpdesk.store.lockout import UNKNOWN_KEPT as UNKNOWN_KEPT
from fpdesk.store.lockout import AccountLocked as AccountLocked
from fpdesk.store.lockout import LoginRefused as LoginRefused
from fpdesk.store.lockout import delay_after as delay_after
from fpdesk.store.lockout import unwrap_key as unwrap_key
from fpdesk.store.lockout import wait_text as wait_text

MIN_PASSPHRASE = 6

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


def _clock(clock: Clock | None) -> Clock:
    return clock or SystemClock()


def uses_accounts(path: str | os.PathLike[str]) -> bool:
    return keyring.exists(path)


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise AccountProblem(WEAK)


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
    verify: Verify = False,
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
