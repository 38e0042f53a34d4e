"""Fixtures for the connector's unit tests: a fixed clock, a real SQLite file, faked HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from connector import Connector

URL = "http://inksoft.test"
PUBLISHER_ID = 20002
ENDPOINT = f"{URL}/{PUBLISHER_ID}/shipstation"
USERNAME = "ops"
PASSWORD = "s3cret-Pass-9931"


class Clock:
    """The connector's clock, fixed until a test moves it."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


class FakeInkSoft:
    """The store endpoint, answered by ``responses``: register answers, read the requests."""

    def __init__(self, http: responses.RequestsMock) -> None:
        self.http = http

    def pages(self, *bodies: bytes) -> None:
        """Answer the export with ``bodies[page - 1]`` (the last one past the end)."""

        def answer(request):
            page = int(parse_qs(urlsplit(request.url).query).get("page", ["1"])[0])
            return (
                200,
                {"Content-Type": "text/xml; charset=utf-8"},
                bodies[min(page, len(bodies)) - 1],
            )

        self.http.add_callback(responses.GET, ENDPOINT, callback=answer)

    def error(self, status: int, code: str, message: str = "refused", **headers: str) -> None:
        body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        self.http.get(ENDPOINT, status=status, body=body, headers=headers)

    @property
    def queries(self) -> list[dict[str, str]]:
        """The query parameters of every request made, in order."""
        return [
            {key: values[0] for key, values in parse_qs(urlsplit(call.request.url).query).items()}
            for call in self.http.calls
        ]

    def pages_asked(self) -> list[int]:
        return [int(query.get("page", "1")) for query in self.queries]


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
    with Connector(db_path, clock=clock, backoff=0, env={}) as connector:
        yield connector


@pytest.fixture
def connected(connector: Connector, inksoft: FakeInkSoft) -> Connector:
    """A connector with the store "Eagle Prints" connected; no request recorded yet."""
    inksoft.pages(b"")
    connector.connect(URL, USERNAME, PASSWORD, PUBLISHER_ID, name="Eagle Prints")
    inksoft.http.reset()
    return connector
