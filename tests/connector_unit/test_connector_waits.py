"""The connector's retries wait through the sleep it is given: the conformance suite's
reference driver records the waits instead of sleeping them."""

from __future__ import annotations

import time
from pathlib import Path

import responses
from fakes import PASSWORD, PUBLISHER_ID, URL, USERNAME, Clock, FakeInkSoft

from connector import Connector


def test_retries_wait_through_the_connector_s_sleep(
    db_path: Path, clock: Clock, http: responses.RequestsMock, inksoft: FakeInkSoft
):
    slept: list[float] = []
    inksoft.error(503, "ServiceUnavailable", **{"Retry-After": "7"})
    inksoft.error(500, "InternalServerError")
    inksoft.pages(b"")
    with Connector(db_path, clock=clock, backoff=0.25, sleep=slept.append, env={}) as connector:
        connector.connect(URL, USERNAME, PASSWORD, PUBLISHER_ID, name="Eagle Prints")
    assert slept == [7.0, 0.5]  # Retry-After, then the second backoff
    assert len(http.calls) == 3


def test_by_default_the_connector_really_waits_before_a_retry(
    db_path: Path, clock: Clock, http: responses.RequestsMock, inksoft: FakeInkSoft
):
    """Without a ``sleep`` given, the backoff is real time (the suite's drivers record waits
    instead, so this is where the shipped default is held)."""
    inksoft.error(500, "InternalServerError")
    inksoft.pages(b"")
    with Connector(db_path, clock=clock, backoff=0.05, env={}) as connector:
        started = time.monotonic()
        connector.connect(URL, USERNAME, PASSWORD, PUBLISHER_ID, name="Eagle Prints")
        waited = time.monotonic() - started
    assert len(http.calls) == 2
    assert waited >= 0.05
