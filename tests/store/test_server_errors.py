"""Bad server addresses (issue 16): a clear StoreError, exit 2 from the CLI, nothing written.

A server nothing listens on (a TCP port just closed, a socket directory with no server), a
database that does not exist on a real server, a user the server does not know. The real
server is ``$ZOPA_TEST_PG_URL`` (skipped without it, except under CI).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests.conftest import SMALL_SCENARIO, invoke
from tests.store.conftest import _pg_server_url

from zopa.store.errors import StoreError
from zopa.store.store import Store


def closed_port() -> int:
    """A loopback TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nothing_written() -> None:
    """The tests' own default store (``$ZOPA_DB``) was not created either."""
    default = os.environ["ZOPA_DB"]
    path = Path(make_url(default).database or "") if "://" in default else Path(default)
    assert not path.exists()


def cli_refuses(url: str, *shown: str) -> str:
    """``zopa db status`` and ``zopa save`` on ``url``: exit 2, one clear line each."""
    messages = []
    for args in (("db", "status"), ("save", str(SMALL_SCENARIO))):
        result = invoke(*args, "--db", url)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert result.stdout == ""
        assert result.stderr.startswith("error: ")
        for part in shown:
            assert part in result.stderr
        messages.append(result.stderr)
    nothing_written()
    return messages[0]


def test_a_port_nothing_listens_on(tmp_path: Path) -> None:
    port = closed_port()
    url = f"postgresql+psycopg://ana:s3cret@127.0.0.1:{port}/zopa"
    with pytest.raises(StoreError, match=f"cannot connect to .*127.0.0.1:{port}/zopa") as caught:
        Store.open(url)
    assert "s3cret" not in str(caught.value)
    message = cli_refuses(url, f"127.0.0.1:{port}")
    assert "s3cret" not in message
    assert "Traceback" not in message


def test_a_socket_directory_without_a_server(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@/postgres?host={tmp_path}&port=55499"
    with pytest.raises(StoreError, match="cannot connect"):
        Store.open(url)
    cli_refuses(url, "cannot connect")
    assert list(tmp_path.iterdir()) == []


def _databases(server: str) -> set[str]:
    engine = create_engine(server)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(text("SELECT datname FROM pg_database")))
    finally:
        engine.dispose()


def test_a_database_that_does_not_exist() -> None:
    server = _pg_server_url()
    before = _databases(server)
    name = "zopa_no_such_database"
    assert name not in before
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    with pytest.raises(StoreError, match=name) as caught:
        Store.open(url)
    assert "Traceback" not in str(caught.value)
    cli_refuses(url, name)
    assert _databases(server) == before  # not created behind the user's back


def test_a_user_the_server_does_not_know() -> None:
    server = _pg_server_url()
    url = make_url(server).set(username="zopa_nobody").render_as_string(hide_password=False)
    with pytest.raises(StoreError, match="zopa_nobody"):
        Store.open(url)
    cli_refuses(url, "zopa_nobody")
