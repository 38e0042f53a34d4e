"""Connecting a store (B01–B06): three fields, one test request, nothing stored on refusal."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
import requests
import responses
from cryptography.fernet import Fernet
from fakes import ENDPOINT, PASSWORD, PUBLISHER_ID, URL, USERNAME, Clock, FakeInkSoft
from feedbuilder import feed, order

from connector import (
    AccountInactive,
    Connector,
    ConnectorError,
    FeedError,
    InkSoftConnectionError,
    InvalidCredentials,
    PermissionDenied,
    UnknownPublisher,
    UsageError,
)


def connect(connector: Connector, **fields) -> dict:
    arguments = {
        "url": URL,
        "username": USERNAME,
        "password": PASSWORD,
        "publisher_id": PUBLISHER_ID,
        "name": "Eagle Prints",
    } | fields
    return connector.connect(**arguments)


def files_bytes(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in directory.iterdir() if path.is_file()}


# --- B01 -------------------------------------------------------------------------------------


def test_b01_a_store_connects_with_default_settings(connector: Connector, inksoft: FakeInkSoft):
    inksoft.pages(feed(order("1001")))
    store = connect(connector)
    assert store == {
        "name": "Eagle Prints",
        "publisher_id": PUBLISHER_ID,
        "url": URL,
        "username": USERNAME,
        "created_at": "2026-03-10T12:00:00Z",
        "last_refresh": None,
        "error": None,
    }
    assert connector.stores() == [store]
    settings = connector.settings()
    assert settings["branding"] == {"name": "Eagle Prints", "reply_to": ""}
    assert settings["notifications"] == {"shipment_email": True, "delivery_email": True}
    assert settings["products"] == {"create_from_sku": True, "fill_missing": True}
    assert settings["status_mapping"] == {
        "awaiting_payment": ["Unauthorized", "Pending Approval"],
        "awaiting_shipment": ["Open", "Ready to Ship"],
        "on_hold": ["On Hold"],
        "shipped": ["Shipped", "Completed"],
        "cancelled": ["Canceled"],
    }
    assert settings["service_mapping"]["default"] == "USPS/USPS Priority Mail"
    assert settings["service_mapping"]["UPS Ground"] == "UPS/UPS Ground"
    assert settings["import"] == {"initial_days": 30, "safety_margin_minutes": 10}
    assert settings["email"]["transport"] == "outbox"
    assert settings["email"]["smtp_port"] == 25


def test_b01_the_test_request_is_one_export_of_the_last_hour(
    connector: Connector, inksoft: FakeInkSoft
):
    inksoft.pages(b"")
    connect(connector)
    assert inksoft.queries == [
        {
            "action": "export",
            "start_date": "03/10/2026 11:00",
            "end_date": "03/10/2026 12:00",
            "page": "1",
        }
    ]


def test_b01_an_account_with_no_pending_orders_connects(connector: Connector, inksoft: FakeInkSoft):
    inksoft.pages(b"")
    connect(connector)
    assert connector.status()["error"] is None


def test_b01_a_non_xml_answer_refuses_the_connection(connector: Connector, inksoft: FakeInkSoft):
    inksoft.pages(b"<html>Login</html")
    with pytest.raises(FeedError, match="Error in XML"):
        connect(connector)
    assert connector.stores() == []


def test_the_default_name_is_built_from_the_publisher_id(
    connector: Connector, inksoft: FakeInkSoft
):
    inksoft.pages(b"")
    assert connect(connector, name=None)["name"] == "InkSoft 20002"


def test_connecting_again_updates_the_credentials(
    connector: Connector, inksoft: FakeInkSoft, db_path: Path, clock: Clock
):
    inksoft.pages(b"")
    connect(connector)
    connector.update_settings(["branding.reply_to=help@eagleprints.test"])
    clock.advance(days=1)
    connect(connector, username="ops2", password="N3w-Pass-5150", name=None, url=URL + "/")
    [store] = connector.stores()
    assert (store["name"], store["username"], store["url"]) == ("Eagle Prints", "ops2", URL)
    assert connector.settings()["branding"]["reply_to"] == "help@eagleprints.test"
    inksoft.http.reset()
    inksoft.pages(b"")
    connector.refresh()
    assert inksoft.http.calls[0].request.headers["Authorization"] == (
        "Basic b3BzMjpOM3ctUGFzcy01MTUw"
    )


def test_several_stores_connect_under_different_names(connector: Connector, http):
    http.get(ENDPOINT, body=b"")
    http.get(f"{URL}/30003/shipstation", body=b"")
    connect(connector)
    connect(connector, publisher_id="30003", name="Robot Club")
    assert [(s["name"], s["publisher_id"]) for s in connector.stores()] == [
        ("Eagle Prints", 20002),
        ("Robot Club", 30003),
    ]


def test_a_name_already_taken_by_another_store_is_refused_before_any_request(
    connector: Connector, http
):
    http.get(ENDPOINT, body=b"")
    connect(connector)
    http.reset()
    with pytest.raises(UsageError, match="'Eagle Prints' is already connected"):
        connect(connector, publisher_id=30003)
    assert len(http.calls) == 0


# --- B02–B05 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "error", "words"),
    [
        (
            403,
            "AccountInactive",
            AccountInactive,
            "The InkSoft account with Publisher ID 20002 is not active",
        ),
        (401, "InvalidCredentials", InvalidCredentials, "did not accept the username or password"),
        (404, "UnknownPublisher", UnknownPublisher, "does not know the Publisher ID 20002"),
        (
            403,
            "PermissionDenied",
            PermissionDenied,
            "does not have the Store Fulfillment Administration permission",
        ),
    ],
)
def test_b02_to_b05_refusals_have_their_own_error_and_store_nothing(
    connector: Connector, inksoft: FakeInkSoft, db_path: Path, status, code, error, words
):
    inksoft.error(status, code)
    with pytest.raises(error) as raised:
        connect(connector)
    assert words in str(raised.value)
    assert connector.stores() == []
    assert Connector(db_path, env={}).stores() == []


def test_b03_the_password_is_never_echoed_logged_or_stored_in_clear(
    connector: Connector,
    inksoft: FakeInkSoft,
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)
    inksoft.error(401, "InvalidCredentials", message=f"wrong password {PASSWORD}")
    with pytest.raises(InvalidCredentials) as raised:
        connect(connector)
    inksoft.http.reset()
    inksoft.pages(b"")
    connect(connector)
    for text in (str(raised.value), repr(raised.value), caplog.text):
        assert PASSWORD not in text
    connector.close()
    for name, content in files_bytes(db_path.parent).items():
        assert PASSWORD.encode() not in content, name


def test_query_credentials_never_reach_the_logs(
    db_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    with (
        responses.RequestsMock() as http,
        Connector(db_path, clock=clock, auth="query", env={}) as connector,
    ):
        http.get(ENDPOINT, body=b"")
        connect(connector)
        assert "SS-Password" in http.calls[0].request.url
    assert PASSWORD not in caplog.text


def test_the_password_is_stored_encrypted_with_a_0600_key_beside_the_database(
    connected: Connector, db_path: Path
):
    key_file = db_path.with_name("connector.db.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    token = connected.db.conn.execute("SELECT password_encrypted FROM stores").fetchone()[0]
    assert Fernet(key_file.read_bytes()).decrypt(token.encode()).decode() == PASSWORD


def test_the_key_can_come_from_the_environment(db_path: Path, clock: Clock):
    key = Fernet.generate_key().decode()
    with (
        responses.RequestsMock() as http,
        Connector(db_path, clock=clock, env={"INKSOFT_CONNECTOR_KEY": key}) as connector,
    ):
        http.get(ENDPOINT, body=b"")
        connect(connector)
        token = connector.db.conn.execute("SELECT password_encrypted FROM stores").fetchone()[0]
    assert not db_path.with_name("connector.db.key").exists()
    assert Fernet(key.encode()).decrypt(token.encode()).decode() == PASSWORD


def test_a_wrong_key_is_a_clear_error(connected: Connector, db_path: Path, clock: Clock):
    connected.close()
    other_key = Fernet.generate_key().decode()
    env = {"INKSOFT_CONNECTOR_KEY": other_key}
    with (
        Connector(db_path, clock=clock, env=env) as connector,
        pytest.raises(ConnectorError, match="cannot be decrypted"),
    ):
        connector.refresh()


def test_a_transport_failure_refuses_the_connection(
    connector: Connector, http: responses.RequestsMock
):
    http.get(ENDPOINT, body=requests.ConnectionError(ConnectionResetError(104, "reset")))
    with pytest.raises(InkSoftConnectionError, match="was reset"):
        connect(connector)
    assert connector.stores() == []


# --- B06 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "the username is missing"),
        ({"username": "   "}, "the username is missing"),
        ({"password": ""}, "the password is missing"),
        ({"password": " \t"}, "the password is missing"),
        ({"publisher_id": ""}, "the Publisher ID is missing"),
        ({"publisher_id": None}, "the Publisher ID is missing"),
        ({"password": "", "publisher_id": "  "}, "the password and Publisher ID are missing"),
        (
            {"username": "", "password": "", "publisher_id": ""},
            "the username, password and Publisher ID are missing",
        ),
        ({"url": ""}, "the InkSoft URL is missing"),
        ({"publisher_id": "abc"}, "must be a positive whole number, not 'abc'"),
        ({"publisher_id": "0"}, "must be a positive whole number"),
        ({"publisher_id": 0}, "must be a positive whole number, not '0'"),
        ({"publisher_id": -5}, "must be a positive whole number"),
        ({"publisher_id": "12.5"}, "must be a positive whole number"),
        ({"url": "ftp://inksoft.test"}, "must start with http:// or https://"),
        ({"url": f"http://{USERNAME}:{PASSWORD}@inksoft.test"}, "not inside the URL"),
    ],
)
def test_b06_missing_or_bad_fields_are_refused_before_any_request(
    connector: Connector, http: responses.RequestsMock, fields: dict, message: str
):
    with pytest.raises(UsageError) as raised:
        connect(connector, **fields)
    assert message in str(raised.value)
    assert PASSWORD not in str(raised.value)
    assert len(http.calls) == 0
    assert connector.stores() == []


def test_a_numeric_string_publisher_id_is_accepted(connector: Connector, inksoft: FakeInkSoft):
    inksoft.pages(b"")
    assert connect(connector, publisher_id=" 20002 ")["publisher_id"] == 20002
