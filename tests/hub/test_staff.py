"""Staff roles at the hub on a real PostgreSQL (issue 17 item 2): district staff read
everything and write nothing, township staff see only their township's rows (row-level
security), `hub indicators` under a township staff login counts only that township,
and removing a staff member takes the access away.

The hub holds a small demo register loaded as its township, with part of its rows
moved to a second township of the county, so each township has rows of every table."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from openpyxl import load_workbook
from psycopg import sql

from fpdesk import demo
from fpdesk.cli import main
from fpdesk.hub import load, schema, staff
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE

OTHER = "450102101000"  # a second township of the demo's county (the demo's is ...100000)


def run(capsys: pytest.CaptureFixture[str], lang: str, *argv: str) -> tuple[int, str, str]:
    status = main(["--lang", lang, *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("staffdemo") / "township.fpdesk"
    demo.build_demo(path, PASSPHRASE, persons=2000, seed=11)
    return path


@pytest.fixture
def hub(hub_url: str, hub_conn: psycopg.Connection[Any], demo_path: Path) -> Iterator[str]:
    """A hub with two townships' records; its own township's code is `hub.mine`."""
    schema.migrate(hub_conn)
    register = open_register(demo_path, PASSPHRASE)
    try:
        load.load_register(hub_conn, register)
    finally:
        register.close()
    with hub_conn.transaction():
        hub_conn.execute(
            "INSERT INTO hub_township (code, county_code, name) VALUES (%s, %s, 'other')",
            (OTHER, OTHER[:6]),
        )
        # Which rows move does not matter here, only that each township has some of
        # every table: about a quarter of each, by id.
        for table in staff.BY_TOWNSHIP:
            if table == "hub_ledger":
                continue
            hub_conn.execute(
                sql.SQL("UPDATE {} SET township_code = %s WHERE md5(id) < '4'").format(
                    sql.Identifier(table)
                ),
                (OTHER,),
            )
        # A ledger row each.
        for code in (mine(hub_conn), OTHER):
            hub_conn.execute(
                "INSERT INTO hub_ledger (file_name, file_hash, township_code, outcome)"
                " VALUES (%s, 'h', %s, 'accepted')",
                (f"{code}.bundle", code),
            )
    hub_conn.commit()  # the loader's first read began a transaction: end it
    yield hub_url


def mine(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("SELECT code FROM hub_township WHERE code <> %s", (OTHER,)).fetchone()
    assert row is not None
    return str(row[0])


def member(hub_url: str, suffix: str) -> str:
    """A staff name of this test's database (the conftest drops its roles after)."""
    database = re.sub(r"\?.*$", "", hub_url).rsplit("/", 1)[1]
    return f"{database}_{suffix}"


def as_user(hub_url: str, name: str) -> str:
    """The hub's address with another user (the test server trusts its socket)."""
    return re.sub(r"^postgresql://[^:@/]*", f"postgresql://{name}", hub_url)


def counts(conn: psycopg.Connection[Any], where: str = "") -> dict[str, int]:
    found = {}
    for table in staff.BY_TOWNSHIP:
        row = conn.execute(
            sql.SQL("SELECT count(*) FROM {} " + where).format(sql.Identifier(table))
        ).fetchone()
        assert row is not None
        found[table] = int(row[0])
    conn.rollback()
    return found


def refused(conn: psycopg.Connection[Any], statement: str) -> bool:
    try:
        conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        conn.rollback()
        return True
    conn.rollback()
    return False


WRITES = (
    "INSERT INTO person (id, township_code, county_code) VALUES ('x', '450102100000', '450102')",
    "UPDATE person SET residence_status = 'gone'",
    "DELETE FROM birth",
    "UPDATE hub_township SET name = 'x'",
    "DELETE FROM hub_ledger",
    "INSERT INTO hub_staff (role_name) VALUES ('me')",
)


def test_district_staff_read_everything_and_write_nothing(
    hub: str, hub_conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    name = member(hub, "wang")
    status, out, err = run(capsys, "zh", "hub", "staff", "add", name, "--district", "--url", hub)
    assert (status, err) == (0, "") and "全区县" in out and "只读" in out
    everything = counts(hub_conn)
    assert all(everything.values())
    with psycopg.connect(as_user(hub, name)) as conn:
        assert counts(conn) == everything
        township_rows = conn.execute("SELECT count(*) FROM hub_township").fetchone()
        assert township_rows == (2,)
        units = conn.execute("SELECT count(*) FROM hub_area_unit").fetchone()
        assert units is not None and units[0] > 0
        for statement in WRITES:
            assert refused(conn, statement), statement
        # The hub's keys and the received changes' hashes stay the owner's.
        assert refused(conn, f"SELECT * FROM {schema.PRIVATE_SCHEMA}.hub_key")
        assert refused(conn, "SELECT * FROM hub_received")
    # Nothing was written by the refused statements.
    assert counts(hub_conn) == everything


def test_township_staff_see_only_their_township(
    hub: str, hub_conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    own = mine(hub_conn)
    names = {own: member(hub, "li"), OTHER: member(hub, "zhao")}
    for code, name in names.items():
        status, out, _ = run(
            capsys, "en", "hub", "staff", "add", name, "--township", code, "--url", hub
        )
        assert status == 0 and f"township {code} only" in out
    for code, name in names.items():
        expected = counts(hub_conn, f"WHERE township_code = '{code}'")
        assert all(expected.values())
        with psycopg.connect(as_user(hub, name)) as conn:
            assert counts(conn) == expected
            assert counts(conn, f"WHERE township_code <> '{code}'") == dict.fromkeys(
                staff.BY_TOWNSHIP, 0
            )
            assert conn.execute("SELECT code FROM hub_township").fetchall() == [(code,)]
            units = [str(c) for (c,) in conn.execute("SELECT code FROM hub_area_unit")]
            # Its own villages and the county above; none of another township's.
            assert all(u[:9] == code[:9] or u.endswith("000000") for u in units)
            if code == own:
                assert any(u[:9] == own[:9] and not u.endswith("000") for u in units)
            for statement in WRITES:
                assert refused(conn, statement), statement
            assert refused(conn, f"SELECT * FROM {schema.PRIVATE_SCHEMA}.hub_key")
        # The hub's status, as that township's staff, lists that township only.
        status, out, _ = run(capsys, "en", "hub", "status", "--json", "--url", as_user(hub, name))
        assert status == 0
        assert [t["code"] for t in json.loads(out)["townships"]] == [code]
    status, out, _ = run(capsys, "en", "hub", "staff", "list", "--json", "--url", hub)
    assert status == 0
    assert {m["name"]: m["township"] for m in json.loads(out)} == {
        name: code for code, name in names.items()
    }


def _numbers(out: str) -> list[tuple[str, Any, Any]]:
    (report,) = json.loads(out)["reports"]
    return [(r["key"], r["numerator"], r["denominator"]) for r in report["results"]]


def test_indicators_under_a_township_login_count_only_that_township(
    hub: str, hub_conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    own = mine(hub_conn)
    name = member(hub, "chen")
    assert run(capsys, "en", "hub", "staff", "add", name, "--township", own, "--url", hub)[0] == 0
    argv = ("hub", "indicators", "--period", "2025", "--json")
    status, as_staff, err = run(capsys, "en", *argv, "--url", as_user(hub, name))
    assert (status, err) == (0, "")
    status, as_owner, _ = run(capsys, "en", *argv, "--township", own, "--url", hub)
    assert status == 0
    status, whole, _ = run(capsys, "en", *argv, "--url", hub)
    assert status == 0
    assert _numbers(as_staff) == _numbers(as_owner)
    # The other township's rows made a difference that the staff login did not see.
    assert _numbers(as_staff) != _numbers(whole)
    assert any(n for _, n, _ in _numbers(as_staff))


def _lists(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The 名单 sheets' rows, without the line naming the area they were made for."""
    book = load_workbook(path)
    return {
        ws.title: [
            row
            for row in ws.iter_rows(values_only=True)
            if not any(str(cell).startswith("填报单位") for cell in row if cell)
        ]
        for ws in book.worksheets
        if ws.title.startswith("名单-")
    }


def _households(conn: psycopg.Connection[Any], township: str) -> set[str]:
    rows = conn.execute("SELECT code FROM household WHERE township_code = %s", (township,))
    found = {str(code) for (code,) in rows}
    conn.rollback()
    return found


def test_name_lists_under_a_township_login_name_only_that_township(
    hub: str, hub_conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The persons' names are at the hub (the person table is replicated): a township
    staff login gets the lists of its own township's numbers, and no one else's."""
    own = mine(hub_conn)
    name = member(hub, "lin")
    assert run(capsys, "en", "hub", "staff", "add", name, "--township", own, "--url", hub)[0] == 0
    report = ("hub", "report", "--kind", "annual", "--period", "2025", "--with-lists")
    status, _, err = run(
        capsys, "en", *report, "--out", str(tmp_path / "staff.xlsx"), "--url", as_user(hub, name)
    )
    assert (status, err) == (0, "")
    status, _, err = run(
        capsys, "en", *report, "--township", own, "--out", str(tmp_path / "owner.xlsx"),
        "--url", hub,
    )  # fmt: skip
    assert status == 0, err
    as_staff = _lists(tmp_path / "staff.xlsx")
    assert as_staff and as_staff == _lists(tmp_path / "owner.xlsx")
    ours, theirs = _households(hub_conn, own), _households(hub_conn, OTHER)
    lines = [row for rows in as_staff.values() for row in rows if isinstance(row[0], int)]
    listed = {row[5] for row in lines if row[5]}  # a village counted has no household
    assert listed and listed <= ours and not listed & theirs
    # The same names on the command line, --members.
    argv = ("hub", "indicators", "--period", "2025", "--members", "--json")
    status, out, _ = run(capsys, "en", *argv, "--url", as_user(hub, name))
    assert status == 0
    (shown,) = json.loads(out)["reports"]
    people = [
        m for r in shown["results"] for part in ("numerator", "denominator")
        for m in r[f"{part}_members"]
    ]  # fmt: skip
    assert people and {m["household"] for m in people if m["household"]} <= ours
    status, out, _ = run(capsys, "en", *argv, "--township", own, "--url", hub)
    (owners,) = json.loads(out)["reports"]
    assert [r["numerator_members"] for r in owners["results"]] == [
        r["numerator_members"] for r in shown["results"]
    ]
    # The whole district's lists, as the owner, do name the other township's persons.
    status, out, _ = run(capsys, "en", *argv, "--url", hub)
    (whole,) = json.loads(out)["reports"]
    everyone = {m["household"] for r in whole["results"] for m in r["numerator_members"]}
    assert everyone & theirs


def test_removing_staff_takes_the_access_away(
    hub: str, hub_conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    name = member(hub, "zhou")
    assert run(capsys, "en", "hub", "staff", "add", name, "--district", "--url", hub)[0] == 0
    with psycopg.connect(as_user(hub, name), autocommit=True) as still_open:
        assert still_open.execute("SELECT count(*) FROM person").fetchone() != (0,)
        status, out, err = run(capsys, "zh", "hub", "staff", "remove", name, "--url", hub)
        assert (status, err) == (0, "") and "已删除" in out
        # A session left open has lost the group's grants.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            still_open.execute("SELECT count(*) FROM person")
    status, out, err = run(capsys, "en", "hub", "status", "--url", as_user(hub, name))
    assert (status, out) == (1, "") and "did not accept" in err
    assert run(capsys, "en", "hub", "staff", "list", "--url", hub)[1].startswith("No staff")
    assert hub_conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None


def test_a_password_from_the_environment(
    hub: str,
    hub_conn: psycopg.Connection[Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = member(hub, "he")
    monkeypatch.setenv("FPDESK_TEST_STAFF_PW", "口令-secret-1")
    argv = ("hub", "staff", "add", name, "--district", "--password-env", "FPDESK_TEST_STAFF_PW")
    status, out, _ = run(capsys, "en", *argv, "--url", hub)
    assert status == 0 and "secret" not in out
    # The server keeps only its hash (the test server trusts its socket, so the login
    # itself is not asked for it here).
    row = hub_conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (name,))
    stored = row.fetchone()
    assert stored is not None and str(stored[0]).startswith("SCRAM-SHA-256$")


def test_refusals_are_plain_and_change_nothing(
    hub: str, hub_conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    name = member(hub, "sun")
    add = ("hub", "staff", "add")
    assert run(capsys, "en", *add, name, "--district", "--url", hub)[0] == 0
    before = run(capsys, "en", "hub", "staff", "list", "--json", "--url", hub)[1]
    for lang, words in (("zh", "已有名为"), ("en", "already has a user named")):
        status, out, err = run(capsys, lang, *add, name, "--district", "--url", hub)
        assert (status, out) == (1, "") and words in err
    for lang, words in (
        ("zh", "汇总库里没有乡镇 450102199000"),
        ("en", "no township 450102199000"),
    ):
        other = member(hub, "qian")
        status, out, err = run(
            capsys, lang, *add, other, "--township", "450102199000", "--url", hub
        )
        assert (status, out) == (1, "") and words in err
    status, _, err = run(capsys, "en", *add, "Bad-Name", "--district", "--url", hub)
    assert status == 1 and "cannot be used" in err
    # A staff member is not the hub's owner: it can neither add nor remove staff.
    for lang, words in (("zh", "只有汇总库的所有者"), ("en", "Only the hub's owner")):
        status, out, err = run(
            capsys, lang, *add, member(hub, "wu"), "--district", "--url", as_user(hub, name)
        )
        assert (status, out) == (1, "") and words in err
        status, out, err = run(
            capsys, lang, "hub", "staff", "remove", name, "--url", as_user(hub, name)
        )
        assert (status, out) == (1, "") and words in err
    status, _, err = run(
        capsys, "en", "hub", "staff", "remove", member(hub, "nobody"), "--url", hub
    )
    assert status == 1 and "no staff member named" in err
    status, _, err = run(
        capsys,
        "en",
        *add,
        member(hub, "pw"),
        "--district",
        "--password-env",
        "FPDESK_TEST_UNSET_VAR",
        "--url",
        hub,
    )
    assert status == 1 and "FPDESK_TEST_UNSET_VAR is not set" in err
    assert run(capsys, "en", "hub", "staff", "list", "--json", "--url", hub)[1] == before
    roles = hub_conn.execute(
        "SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)",
        ([member(hub, s) for s in ("qian", "wu", "pw")],),
    ).fetchone()
    assert roles == (0,)


def test_an_owner_that_may_not_make_roles(
    hub_url: str, server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """On an administrator's server the hub's owner may lack CREATEROLE: hub init still
    works (without the staff roles), staff add says so, and works once granted."""
    owner = member(hub_url, "owner")
    database = re.sub(r"\?.*$", "", hub_url).rsplit("/", 1)[1]
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(owner)))
        admin.execute(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                sql.Identifier(database), sql.Identifier(owner)
            )
        )
        owners_url = as_user(hub_url, owner)
        assert run(capsys, "en", "hub", "init", "--url", owners_url)[0] == 0
        name = member(hub_url, "ma")
        for lang, words in (("zh", "没有建立用户的权限"), ("en", "may not make users")):
            status, out, err = run(
                capsys, lang, "hub", "staff", "add", name, "--district", "--url", owners_url
            )
            assert (status, out) == (1, "") and words in err
        assert (
            admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None
        )
        admin.execute(sql.SQL("ALTER ROLE {} CREATEROLE").format(sql.Identifier(owner)))
        status, _, err = run(
            capsys, "en", "hub", "staff", "add", name, "--district", "--url", owners_url
        )
        assert (status, err) == (0, "")
    with psycopg.connect(as_user(hub_url, name)) as conn:
        assert conn.execute("SELECT count(*) FROM hub_township").fetchone() == (0,)
        assert refused(conn, "DELETE FROM hub_township")


def test_adding_inside_the_callers_transaction_keeps_it(
    hub: str, hub_conn: psycopg.Connection[Any], server_url: str
) -> None:
    """staff.add and list_staff on a connection already in a transaction: the member is
    there once the caller commits (listing does not roll the caller's work back)."""
    name = member(hub, "xu")
    hub_conn.execute("SELECT 1")  # the caller's transaction is open
    made = staff.add(hub_conn, name, mine(hub_conn))
    assert made.name == name and made.township == mine(hub_conn)
    assert [m.name for m in staff.list_staff(hub_conn)] == [name]
    hub_conn.commit()
    with psycopg.connect(server_url) as other:
        found = other.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        assert found == (1,)
