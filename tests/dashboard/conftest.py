"""Fixtures of the dashboard's tests: apps on a fixed clock, with and without an admin token."""

from __future__ import annotations

import pytest
from dashboard_support import FIXED_NOW, TOKEN
from flask import Flask
from flask.testing import FlaskClient

from mock_inksoft import create_app


@pytest.fixture
def app() -> Flask:
    return create_app({"clock": lambda: FIXED_NOW})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def guarded() -> FlaskClient:
    """A client of a mock started with an admin token."""
    return create_app({"clock": lambda: FIXED_NOW, "admin_token": TOKEN}).test_client()
