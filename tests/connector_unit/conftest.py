"""Fixtures for the connector's unit tests: a fixed clock, a real SQLite file, faked HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import responses
from fakes import PASSWORD, PUBLISHER_ID, URL, USERNAME, Clock, FakeInkSoft

from connector import Connector
from inksoft_testkit.drivers.reference import fresh_database


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc))


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def inksoft(http: responses.RequestsMock) -> FakeInkSoft:
    return FakeInkSoft(http)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "connector.db"


@pytest.fixture
def connector(db_path: Path, clock: Clock, http: responses.RequestsMock) -> Iterator[Connector]:
    """On a new database file: a copy of the one the connector made first (every migration
    run once per process; tests/connector_unit/test_database.py makes its own from nothing)."""
    fresh_database(db_path, Connector)
    with Connector(db_path, clock=clock, backoff=0, env={}) as connector:
        yield connector


@pytest.fixture
def connected(connector: Connector, inksoft: FakeInkSoft) -> Connector:
    """A connector with the store "Eagle Prints" connected; no request recorded yet."""
    inksoft.pages(b"")
    connector.connect(URL, USERNAME, PASSWORD, PUBLISHER_ID, name="Eagle Prints")
    inksoft.http.reset()
    return connector
