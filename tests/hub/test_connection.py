"""Each way of failing to reach or use a hub is a plain bilingual message, tried
against a real PostgreSQL (a stopped server, a closed port, an unknown role, a full
disk as the server reports it), and nothing is written."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fpdesk.hub import connection, errors, schema, server
from tests.hub.conftest import outside_pytest_temp, stopped_server_url


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _said_plainly(error: errors.HubError) -> None:
    assert error.text.zh and error.text.en
    assert "nothing" in error.text.en or "not saved" in error.text.en or "fpdesk" in error.text.en
    assert "Traceback" not in str(error) and "psycopg" not in error.text.zh


@pytest.mark.parametrize(
    "url",
    ["mysql://root@server/hub", "server:5432/hub", "postgresql://u@h:5432/d?nonsense_option=1"],
)
def test_a_wrong_address_is_said_plainly(url: str) -> None:
    with pytest.raises(errors.BadHubUrl) as refused:
        connection.connect(url)
    _said_plainly(refused.value)
    assert "postgresql://" in refused.value.text.zh


def test_an_unknown_server_name_is_a_wrong_address() -> None:
    with pytest.raises(errors.BadHubUrl) as refused:
        connection.connect("postgresql://postgres@no-such-hub.invalid:5432/hub")
    assert "no-such-hub.invalid" in refused.value.text.en


def test_a_closed_port_is_a_server_that_is_down() -> None:
    url = f"postgresql://postgres@127.0.0.1:{_closed_port()}/hub"
    with pytest.raises(errors.HubServerDown) as refused:
        connection.connect(url)
    _said_plainly(refused.value)
    assert f"127.0.0.1:{url.rsplit(':', 1)[1].split('/')[0]}/hub" in refused.value.text.en


def test_a_stopped_server_is_a_server_that_is_down(pg_server: Any) -> None:
    folder = outside_pytest_temp()
    try:
        url = stopped_server_url(folder / "pgdata")
        with pytest.raises(errors.HubServerDown) as refused:
            connection.connect(url)
        _said_plainly(refused.value)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_an_unknown_user_is_refused_login(server_url: str) -> None:
    url = server_url.replace("postgres:@", "nobody_here:@", 1)
    with pytest.raises(errors.HubAuthFailed) as refused:
        connection.connect(url)
    _said_plainly(refused.value)
    assert "nobody_here" in refused.value.text.zh


def test_a_database_that_does_not_exist(server_url: str) -> None:
    url = server.database_url(server_url, "no_such_hub")
    with pytest.raises(errors.NoSuchHubDatabase) as refused:
        connection.connect(url)
    assert "no_such_hub" in refused.value.text.en
    with psycopg.connect(server_url) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert "no_such_hub" not in names  # nothing was made on the way


def test_a_full_disk_is_said_plainly_and_the_work_is_not_kept(hub_url: str) -> None:
    """The server's own disk_full error (raised by the server, as when it cannot
    extend a file): the transaction is rolled back and the message says so."""
    with connection.opened(hub_url) as conn:
        schema.migrate(conn)
    with pytest.raises(errors.HubDiskFull) as refused, connection.opened(hub_url) as conn:
        conn.execute(
            "INSERT INTO hub_township (code, county_code) VALUES ('450102001000', '450102')"
        )
        conn.execute(
            "DO $$ BEGIN RAISE EXCEPTION 'could not extend file'"
            " USING ERRCODE = 'disk_full'; END $$"
        )
    _said_plainly(refused.value)
    with psycopg.connect(hub_url) as conn:
        assert conn.execute("SELECT count(*) FROM hub_township").fetchone() == (0,)


def test_a_server_gone_mid_work_is_down_and_nothing_is_kept(hub_url: str, server_url: str) -> None:
    with connection.opened(hub_url) as conn:
        schema.migrate(conn)
    with pytest.raises(errors.HubServerDown), connection.opened(hub_url) as conn:
        conn.execute(
            "INSERT INTO hub_township (code, county_code) VALUES ('450102001000', '450102')"
        )
        pid = conn.info.backend_pid
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        conn.execute("SELECT 1")
    with psycopg.connect(hub_url) as conn:
        assert conn.execute("SELECT count(*) FROM hub_township").fetchone() == (0,)


def test_the_address_in_messages_never_shows_the_password() -> None:
    assert "secret" not in connection.where("postgresql://staff:secret@hub.example:5433/district")
    assert connection.where("postgresql://staff:secret@hub.example:5433/district") == (
        "hub.example:5433/district"
    )


def test_the_embedded_server_that_cannot_start_says_where(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be", encoding="utf-8")
    with pytest.raises(errors.HubServerFailed) as refused:
        server.start(blocker / "pgdata")
    assert str(blocker) in refused.value.text.en


def test_a_server_older_than_the_hub_needs_is_refused(hub_url: str) -> None:
    """The real server is new enough; asked for one release newer than it, the same
    check refuses it as it refuses a PostgreSQL 13."""
    with psycopg.connect(hub_url) as conn:
        running = conn.info.server_version
        connection.require_version(conn)  # this one is recent enough
        with pytest.raises(errors.HubServerTooOld) as refused:
            connection.require_version(conn, minimum=running + 10000)
    assert f"{running // 10000}.{running % 10000}" in refused.value.text.en
    assert connection.MIN_SERVER_VERSION == 140000


@pytest.fixture
def password_role(pg_server: Any, server_url: str) -> Iterator[str]:
    """A role that must give its password (scram) on the real server: the embedded
    server trusts everyone else on its socket, so pg_hba.conf gets one line first."""
    hba = Path(pg_server.pgdata) / "pg_hba.conf"
    before = hba.read_text(encoding="utf-8")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("CREATE ROLE hub_staff LOGIN PASSWORD 'right-password'")
        hba.write_text("local all hub_staff scram-sha-256\n" + before, encoding="utf-8")
        conn.execute("SELECT pg_reload_conf()")
    yield server_url.replace("postgres:@", "hub_staff:{password}@", 1)
    with psycopg.connect(server_url, autocommit=True) as conn:
        hba.write_text(before, encoding="utf-8")
        conn.execute("SELECT pg_reload_conf()")
        conn.execute("DROP ROLE hub_staff")


def test_a_wrong_password_is_refused_login(password_role: str) -> None:
    with pytest.raises(errors.HubAuthFailed) as refused:
        connection.connect(password_role.format(password="wrong-password"))
    _said_plainly(refused.value)
    assert "hub_staff" in refused.value.text.en and "wrong-password" not in str(refused.value)
    with connection.connect(password_role.format(password="right-password")) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("hub_staff",)
