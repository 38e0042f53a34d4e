"""Fixtures of the mock's tests: an app on a fixed clock with its Flask test client, and one
live waitress server on an ephemeral 127.0.0.1 port, reset before each test that uses it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from mock_support import FIXED_NOW, wait_until_healthy

from mock_inksoft import create_app
from mock_inksoft.server import ServerHandle, serve_in_thread


@pytest.fixture
def app() -> Flask:
    return create_app({"clock": lambda: FIXED_NOW})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def live_server() -> Iterator[ServerHandle]:
    handle = serve_in_thread(create_app(), host="127.0.0.1", port=0)
    wait_until_healthy(handle.url)
    yield handle
    handle.stop()


@pytest.fixture
def live(live_server: ServerHandle) -> ServerHandle:
    requests.post(f"{live_server.url}/__admin/reset", timeout=5).raise_for_status()
    return live_server
