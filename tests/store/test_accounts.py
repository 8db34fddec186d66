"""Accounts: wrapped keys, login, lockout with a growing delay, re-keying, recovery,
and role and area limits enforced in the store."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.store import access, access_log, accounts, backup, errors, keyring, records
from fpdesk.store import operations as ops
from fpdesk.store.db import RawKey, create_register, open_register
from tests.conftest import PASSPHRASE, TOWNSHIP, VILLAGE

ADMIN, ADMIN_PW = "王管理", "admin-pass-1"
OFFICER, OFFICER_PW = "李专干", "officer-pass-1"
OTHER_VILLAGE = TOWNSHIP[:9] + "202"
SHIPPED_N = keyring.SCRYPT_N


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests derive keys often; the cost is recorded per entry, so a cheap one works
    the same way (test_production_cost checks the real one)."""
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)


def test_production_cost() -> None:
    entry = keyring.wrap_for_account(bytes(32), "甲", "officer", VILLAGE, "pass-pass")
    assert entry["kdf"]["n"] == 2**10  # the patched cost is what gets recorded...
    assert keyring.unwrap_account("甲", entry, "pass-pass") == bytes(32)
    assert SHIPPED_N * keyring.SCRYPT_R * 128 >= 32 * 2**20  # ...shipped: 32 MiB or more


class StepClock(FixedClock):
    def advance(self, seconds: int) -> None:
        self._now += dt.timedelta(seconds=seconds)


@pytest.fixture
def converted(register_path: Path) -> tuple[Path, str]:
    """The test register turned over to accounts: an administrator and an officer."""
    with open_register(register_path, PASSPHRASE) as reg:
        recovery = accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
        assert recovery is not None
        assert accounts.add(reg, OFFICER, "officer", VILLAGE, OFFICER_PW) is None
    return register_path, recovery


def test_conversion_rekeys_and_backs_up_first(converted: tuple[Path, str]) -> None:
    path, recovery = converted
    assert len(recovery) == keyring.RECOVERY_LENGTH + 4  # five groups of five
    # The old passphrase no longer opens it, not even as a raw attempt past the keyring.
    with pytest.raises(errors.AccountNeeded):
        open_register(path, PASSPHRASE)
    ring = json.loads(keyring.path_for(path).read_text(encoding="utf-8"))
    assert set(ring["accounts"]) == {ADMIN, OFFICER}
    assert ADMIN_PW not in keyring.path_for(path).read_text(encoding="utf-8")
    [before] = backup.list_backups(backup.default_folder(path))
    assert before.label == "before-accounts"
    assert backup.preview(before.path, PASSPHRASE).role == "village"  # old key, old data
    with open_register(path, ADMIN_PW, user=ADMIN) as reg:
        assert reg.account == access.Account(ADMIN, "administrator", VILLAGE)
        assert isinstance(reg.key, RawKey)


def test_wrong_passphrase_and_unknown_user_are_refused_alike(
    converted: tuple[Path, str],
) -> None:
    path, _ = converted
    with pytest.raises(accounts.LoginRefused) as wrong:
        accounts.login(path, OFFICER, "not-the-pass")
    with pytest.raises(accounts.LoginRefused) as unknown:
        accounts.login(path, "无此人", OFFICER_PW)
    assert str(wrong.value) == str(unknown.value)
    assert "用户名或口令不对" in str(wrong.value)


def test_lockout_grows_and_expires(converted: tuple[Path, str]) -> None:
    path, _ = converted
    clock = StepClock(dt.datetime(2026, 3, 1, 9, 0))
    for _ in range(accounts.FREE_TRIES - 1):
        with pytest.raises(accounts.LoginRefused):
            accounts.login(path, OFFICER, "guess-guess", clock=clock)
    accounts.login(path, OFFICER, OFFICER_PW, clock=clock).close()  # not locked yet; resets
    for _ in range(accounts.FREE_TRIES):
        with pytest.raises(accounts.LoginRefused):
            accounts.login(path, OFFICER, "guess-guess", clock=clock)
    # Locked now: even the right passphrase waits, and is not tried.
    with pytest.raises(accounts.AccountLocked) as locked:
        accounts.login(path, OFFICER, OFFICER_PW, clock=clock)
    assert locked.value.seconds == accounts.FIRST_DELAY_S
    entry = keyring.load(path)["accounts"][OFFICER]
    assert entry["failures"] == accounts.FREE_TRIES
    clock.advance(accounts.FIRST_DELAY_S)
    with pytest.raises(accounts.LoginRefused):  # one more wrong: the delay doubles
        accounts.login(path, OFFICER, "guess-guess", clock=clock)
    with pytest.raises(accounts.AccountLocked) as longer:
        accounts.login(path, OFFICER, OFFICER_PW, clock=clock)
    assert longer.value.seconds == 2 * accounts.FIRST_DELAY_S
    # The administrator is not slowed by the officer's failures.
    accounts.login(path, ADMIN, ADMIN_PW, clock=clock).close()
    clock.advance(2 * accounts.FIRST_DELAY_S)
    with accounts.login(path, OFFICER, OFFICER_PW, clock=clock) as reg:
        assert keyring.load(path)["accounts"][OFFICER]["failures"] == 0
        assert reg.account.name == OFFICER


def test_an_unknown_name_is_slowed_down_like_a_known_one(converted: tuple[Path, str]) -> None:
    """Guessing names costs what guessing passphrases costs: the same refusals, the
    same doubling delay, kept in the keyring under the name that was typed."""
    path, _ = converted
    clock = StepClock(dt.datetime(2026, 3, 1, 9, 0))
    refusals: dict[str, list[str]] = {OFFICER: [], "无此人": []}
    for name in refusals:
        for _ in range(accounts.FREE_TRIES):
            with pytest.raises(accounts.LoginRefused) as refused:
                accounts.login(path, name, "guess-guess", clock=clock)
            refusals[name].append(str(refused.value))
        with pytest.raises(accounts.AccountLocked) as locked:
            accounts.login(path, name, "guess-guess", clock=clock)
        refusals[name].append(str(locked.value))
        assert locked.value.seconds == accounts.FIRST_DELAY_S
    assert refusals[OFFICER] == refusals["无此人"]
    ring = keyring.load(path)
    assert ring["unknown"]["无此人"]["failures"] == accounts.FREE_TRIES
    assert ring["unknown"]["无此人"]["locked_until"] == ring["accounts"][OFFICER]["locked_until"]
    assert "无此人" not in ring["accounts"]
    clock.advance(accounts.FIRST_DELAY_S)
    with pytest.raises(accounts.LoginRefused):  # one more: the wait doubles for both alike
        accounts.login(path, "无此人", "guess-guess", clock=clock)
    with pytest.raises(accounts.AccountLocked) as longer:
        accounts.login(path, "无此人", "guess-guess", clock=clock)
    assert longer.value.seconds == 2 * accounts.FIRST_DELAY_S
    # Others are not slowed by it, and a later account of that name starts afresh.
    with accounts.login(path, ADMIN, ADMIN_PW, clock=clock) as reg:
        accounts.add(reg, "无此人", "officer", VILLAGE, "new-officer-1")
    assert "无此人" not in keyring.load(path)["unknown"]
    accounts.login(path, "无此人", "new-officer-1", clock=clock).close()


def test_an_unknown_name_costs_a_key_derivation_like_a_known_one(
    converted: tuple[Path, str],
) -> None:
    """The time a refusal takes is a scrypt derivation with the accounts' own cost,
    whether or not the name exists (the stand-in entry fails the same way)."""
    path, _ = converted
    ring = keyring.load(path)
    stand_in = keyring.stand_in(ring)
    assert stand_in["kdf"] == ring["accounts"][OFFICER]["kdf"]
    assert len(keyring._unb64(stand_in["wrapped"])) == len(
        keyring._unb64(ring["accounts"][OFFICER]["wrapped"])
    )
    with pytest.raises(keyring.BadSecret):
        keyring.unwrap_account("无此人", stand_in, OFFICER_PW)


def test_names_tried_are_kept_within_bounds(converted: tuple[Path, str]) -> None:
    path, _ = converted
    ring = keyring.load(path)
    start = dt.datetime(2026, 3, 1, 9, 0)
    ring["unknown"] = {
        f"n{i}": {
            "failures": 1,
            "locked_until": None,
            "tried_at": (start + dt.timedelta(seconds=i)).isoformat(),
        }
        for i in range(600)
    }
    keyring.save(path, ring)
    clock = FixedClock(start + dt.timedelta(hours=1))
    with pytest.raises(accounts.LoginRefused):  # the longest untried, tried again: kept
        accounts.login(path, "n0", "guess-guess", clock=clock)
    unknown = keyring.load(path)["unknown"]
    assert len(unknown) == accounts.UNKNOWN_KEPT
    assert unknown["n0"]["failures"] == 2
    assert "n1" not in unknown and "n100" not in unknown and "n101" in unknown


def test_delay_is_capped_never_permanent() -> None:
    assert accounts.delay_after(accounts.FREE_TRIES - 1) == 0
    assert accounts.delay_after(1000) == accounts.MAX_DELAY_S


def test_failed_logins_reach_the_audit_log_at_the_next_login(
    converted: tuple[Path, str],
) -> None:
    path, _ = converted
    clock = FixedClock(dt.datetime(2026, 3, 1, 9, 0))
    with pytest.raises(accounts.LoginRefused):
        accounts.login(path, OFFICER, "guess-guess", clock=clock)
    with pytest.raises(accounts.LoginRefused):
        accounts.login(path, "陌生人", "guess-guess", clock=clock)
    with accounts.login(path, ADMIN, ADMIN_PW, clock=clock) as reg:
        rows = access_log.read(reg)
    failed = [(r["account"], r["at"]) for r in rows if r["action"] == "login_failed"]
    assert failed == [(OFFICER, "2026-03-01T09:00:00"), ("陌生人", "2026-03-01T09:00:00")]
    assert rows[-1]["action"] == "login" and rows[-1]["account"] == ADMIN
    assert keyring.load(path)["failed_logins"] == []


def test_swapped_or_edited_keyring_entries_do_not_unwrap(converted: tuple[Path, str]) -> None:
    path, _ = converted
    ring = keyring.load(path)
    ring["accounts"][OFFICER]["role"] = "administrator"  # a promotion by editing the file
    keyring.save(path, ring)
    with pytest.raises(accounts.LoginRefused):
        accounts.login(path, OFFICER, OFFICER_PW)
    ring = keyring.load(path)
    ring["accounts"][OFFICER] = dict(ring["accounts"][ADMIN], failures=0, locked_until=None)
    keyring.save(path, ring)
    with pytest.raises(accounts.LoginRefused):  # the admin's wrapping under the officer's name
        accounts.login(path, OFFICER, ADMIN_PW)


def test_rekeying_an_account(converted: tuple[Path, str]) -> None:
    path, _ = converted
    with accounts.login(path, OFFICER, OFFICER_PW) as reg:
        accounts.set_passphrase(reg, OFFICER, "new-officer-pass")
        with pytest.raises(access.AccessDenied):  # an officer re-keys only their own
            accounts.set_passphrase(reg, ADMIN, "taken-over!")
    with pytest.raises(accounts.LoginRefused):
        accounts.login(path, OFFICER, OFFICER_PW)
    accounts.login(path, OFFICER, "new-officer-pass").close()
    accounts.login(path, ADMIN, ADMIN_PW).close()  # the others are untouched
    with accounts.login(path, ADMIN, ADMIN_PW) as reg:
        accounts.set_passphrase(reg, OFFICER, "reset-by-admin")
        with pytest.raises(accounts.AccountProblem):
            accounts.set_passphrase(reg, OFFICER, "short")
    accounts.login(path, OFFICER, "reset-by-admin").close()


def test_recovery_key_sets_a_new_passphrase(converted: tuple[Path, str]) -> None:
    path, recovery = converted
    with pytest.raises(accounts.AccountProblem) as wrong:
        accounts.recover(path, ADMIN, keyring.new_recovery_key(), "brand-new-pass")
    assert "恢复密钥不对" in str(wrong.value)
    typed = recovery.lower().replace("-", " ")  # as someone types it off the sheet
    with accounts.recover(path, ADMIN, typed, "brand-new-pass") as reg:
        assert reg.account.role == "administrator"
    accounts.login(path, ADMIN, "brand-new-pass").close()
    with pytest.raises(accounts.LoginRefused):
        accounts.login(path, ADMIN, ADMIN_PW)


def test_removed_account_cannot_log_in_and_last_admin_stays(
    converted: tuple[Path, str],
) -> None:
    path, _ = converted
    with accounts.login(path, ADMIN, ADMIN_PW) as reg:
        with pytest.raises(accounts.AccountProblem):
            accounts.remove(reg, ADMIN)
        accounts.remove(reg, OFFICER)
        assert [r["name"] for r in accounts.listing(reg)] == [ADMIN]
    with pytest.raises(accounts.LoginRefused):
        accounts.login(path, OFFICER, OFFICER_PW)


def test_first_account_must_be_an_administrator(register_path: Path) -> None:
    with open_register(register_path, PASSPHRASE) as reg, pytest.raises(accounts.AccountProblem):
        accounts.add(reg, OFFICER, "officer", VILLAGE, OFFICER_PW)
    assert not keyring.exists(register_path)
    open_register(register_path, PASSPHRASE).close()  # still the old passphrase


def test_account_area_must_fit_the_role_and_register(converted: tuple[Path, str]) -> None:
    path, _ = converted
    with accounts.login(path, ADMIN, ADMIN_PW) as reg:
        with pytest.raises(accounts.AccountProblem):
            accounts.add(reg, "张文书", "clerk", VILLAGE, "clerk-pass-1")  # not a township
        with pytest.raises(accounts.AccountProblem):
            accounts.add(reg, "赵专干", "officer", OTHER_VILLAGE, "pass-pass-1")  # elsewhere
        with pytest.raises(accounts.AccountProblem):
            accounts.add(reg, OFFICER, "officer", VILLAGE, "pass-pass-1")  # taken


def test_officer_cannot_manage_accounts_or_read_the_audit_log(
    converted: tuple[Path, str],
) -> None:
    path, _ = converted
    with accounts.login(path, OFFICER, OFFICER_PW) as reg:
        with pytest.raises(access.AccessDenied) as refused:
            accounts.add(reg, "张三", "officer", VILLAGE, "pass-pass-1")
        assert "不能管理账户和密钥" in str(refused.value)
        with pytest.raises(access.AccessDenied):
            access_log.read(reg)


@pytest.fixture
def township(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A township register with a household in each of two villages, then accounts."""
    path = tmp_path / "township.fpdesk"
    homes = {}
    with create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP) as reg:
        for n, village in enumerate((VILLAGE, OTHER_VILLAGE), start=1):
            homes[village] = records.insert(
                reg,
                "household",
                {"code": f"{village}01000{n}", "village_code": village, "group_no": "01"},
            )
        accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
        accounts.add(reg, OFFICER, "officer", VILLAGE, OFFICER_PW)
        accounts.add(reg, "张文书", "clerk", TOWNSHIP, "clerk-pass-1")
    return path, homes


def test_officer_edits_only_their_own_village(township: tuple[Path, dict[str, str]]) -> None:
    path, homes = township
    member = {"name": "黄秀英", "sex": 2, "birth_date": "1990-01-01", "relationship": 2}
    with accounts.login(path, OFFICER, OFFICER_PW) as reg:
        ops.add_person(reg, homes[VILLAGE], member)
        records.update(reg, "household", homes[VILLAGE], {"address": "一组1号"})
        with pytest.raises(access.AccessDenied) as refused:
            ops.add_person(reg, homes[OTHER_VILLAGE], member)
        assert OTHER_VILLAGE in str(refused.value)
        with pytest.raises(access.AccessDenied):
            records.update(reg, "household", homes[OTHER_VILLAGE], {"address": "x"})
        with pytest.raises(access.AccessDenied):  # nor move a household out of reach
            records.update(reg, "household", homes[VILLAGE], {"village_code": OTHER_VILLAGE})
        assert access.area_of(reg) == VILLAGE
    with accounts.login(path, "张文书", "clerk-pass-1") as reg:
        ops.add_person(reg, homes[OTHER_VILLAGE], member)  # the clerk's township
        assert access.allowed(reg, "import") and not access.allowed(reg, "accounts")


def test_copied_register_without_its_keyring_stays_closed(
    converted: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = converted
    stolen = tmp_path / "stolen.fpdesk"
    shutil.copy2(path, stolen)
    with pytest.raises(errors.WrongPassphrase):
        open_register(stolen, ADMIN_PW)
    with pytest.raises(errors.WrongPassphrase):
        open_register(stolen, PASSPHRASE)


def test_new_register_with_accounts_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "new.fpdesk"
    reg, recovery = accounts.create_with_account(
        path, role="village", area_code=VILLAGE, name=ADMIN, passphrase=ADMIN_PW
    )
    with reg:
        assert reg.account == access.Account(ADMIN, "administrator", VILLAGE)
        accounts.add(reg, OFFICER, "officer", VILLAGE, OFFICER_PW)
    with accounts.login(path, OFFICER, OFFICER_PW) as reg:
        assert reg.role == "village"
    accounts.recover(path, ADMIN, recovery, "new-admin-pass").close()
    with pytest.raises(errors.RegisterExists):  # never over an existing register or keyring
        accounts.create_with_account(
            path, role="village", area_code=VILLAGE, name=ADMIN, passphrase=ADMIN_PW
        )
    accounts.login(path, ADMIN, "new-admin-pass").close()


def test_the_wait_is_said_as_the_rule_has_it() -> None:
    """README: after 3 wrong passphrases a wait of 30 s, doubling with each further one."""
    assert [accounts.delay_after(n) for n in range(1, 7)] == [0, 0, 30, 60, 120, 240]
    first = accounts.AccountLocked(accounts.delay_after(3))
    assert "请 30 秒后再试" in first.text.zh and "try again in 30 s" in first.text.en
    assert "分钟" not in first.text.zh.split("后再试")[0]
    assert "请 1 分钟后再试" in accounts.AccountLocked(60).text.zh
    assert "请 1 分 30 秒后再试" in accounts.AccountLocked(90).text.zh
    assert "解锁窗口" in first.text.zh  # the recovery key is used there, not only on the CLI
