"""Every row of the error table, the order the checks run in, and the shape of an error."""

from __future__ import annotations

import pytest
from mock_support import (
    AUTH,
    ENDPOINT,
    XML_CONTENT_TYPE,
    error_code,
    export_params,
    notify_params,
    ship_notice,
)

from safexml import parse_xml

VIEWER = {"username": "viewer", "password": "v1ewer-Pass", "permissions": ["Order Viewing"]}
OPS = {
    "username": "ops",
    "password": "s3cret-Pass",
    "permissions": ["Store Fulfillment Administration"],
}


def add_account(client, publisher_id=20002, active=True, users=(OPS, VIEWER)) -> None:
    answer = client.post(
        "/__admin/accounts",
        json={"publisher_id": publisher_id, "active": active, "users": list(users)},
    )
    assert answer.status_code == 201


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.data
    assert response.headers["Content-Type"] == XML_CONTENT_TYPE
    assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert error_code(response.data) == code


# --- 401 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "credentials",
    [
        {},
        {"auth": ("demo", "wrong-password")},
        {"auth": ("nobody", "demo-password")},
        {"auth": ("demo", "")},
        {"query_string": {"SS-UserName": "demo", "SS-Password": "nope"}},
        {"headers": {"SS-UserName": "demo", "SS-Password": "nope"}},
        {"headers": {"Authorization": "Basic not-base64!"}},
        {"headers": {"Authorization": "Bearer demo-password"}},
    ],
    ids=["none", "wrong-password", "unknown-user", "empty-password", "query", "headers",
         "garbled-basic", "bearer"],
)  # fmt: skip
def test_bad_or_missing_credentials_answer_401_with_the_basic_challenge(client, credentials):
    query = {**export_params(), **credentials.pop("query_string", {})}
    response = client.get(ENDPOINT, query_string=query, **credentials)
    assert_error(response, 401, "InvalidCredentials")
    assert response.headers["WWW-Authenticate"] == 'Basic realm="InkSoft"'


def test_the_401_message_never_echoes_the_password(client):
    response = client.get(ENDPOINT, query_string=export_params(), auth=("demo", "Wrong-7731"))
    assert b"Wrong-7731" not in response.data


# --- 403 ---------------------------------------------------------------------------------------


def test_an_inactive_account_answers_403_account_inactive(client):
    add_account(client, active=False)
    response = client.get(
        "/20002/shipstation", query_string=export_params(), auth=("ops", "s3cret-Pass")
    )
    assert_error(response, 403, "AccountInactive")
    assert "not active" in parse_xml(response.data).findtext("Message")


def test_a_user_without_the_permission_answers_403_naming_it(client):
    add_account(client)
    response = client.get(
        "/20002/shipstation", query_string=export_params(), auth=("viewer", "v1ewer-Pass")
    )
    assert_error(response, 403, "PermissionDenied")
    assert "Store Fulfillment Administration" in parse_xml(response.data).findtext("Message")


def test_the_permission_is_matched_exactly(client):
    lower = {**OPS, "permissions": ["store fulfillment administration"]}
    add_account(client, users=[lower])
    response = client.get(
        "/20002/shipstation", query_string=export_params(), auth=("ops", "s3cret-Pass")
    )
    assert_error(response, 403, "PermissionDenied")


# --- 404 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("publisher_id", ["99999", "abc", "0"])
def test_an_unknown_publisher_answers_404_naming_it(client, publisher_id):
    response = client.get(f"/{publisher_id}/shipstation", query_string=export_params(), auth=AUTH)
    assert_error(response, 404, "UnknownPublisher")
    assert publisher_id in parse_xml(response.data).findtext("Message")


def test_a_notice_for_an_unknown_order_answers_404(client):
    response = client.post(
        ENDPOINT, query_string=notify_params("7777"), data=ship_notice("7777"), auth=AUTH
    )
    assert_error(response, 404, "UnknownOrder")
    assert "7777" in parse_xml(response.data).findtext("Message")


# --- 400 InvalidRequest ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({}, "action"),
        ({"action": ""}, "action"),
        ({"action": "orders"}, "orders"),
        ({"action": "EXPORT"}, "EXPORT"),
        ({"action": "export", "end_date": "12/31/2099 23:59"}, "start_date"),
        ({"action": "export", "start_date": "01/01/2000 00:00"}, "end_date"),
        ({**export_params(), "start_date": ""}, "start_date"),
        ({**export_params(), "start_date": "2000-01-01T00:00"}, "start_date"),
        ({**export_params(), "end_date": "13/45/2099 23:59"}, "end_date"),
        ({**export_params(), "end_date": "12/31/2099"}, "end_date"),
        ({**export_params(), "end_date": "12/31/2099 13:00 PM"}, "end_date"),
        ({**export_params(), "page": "0"}, "page"),
        ({**export_params(), "page": "-1"}, "page"),
        ({**export_params(), "page": "two"}, "page"),
        ({**export_params(), "page": "1.5"}, "page"),
    ],
)
def test_a_bad_action_date_or_page_answers_400_naming_it(client, query, named):
    response = client.get(ENDPOINT, query_string=query, auth=AUTH)
    assert_error(response, 400, "InvalidRequest")
    assert named in parse_xml(response.data).findtext("Message")


# --- 400 MalformedXml, 413, 405 ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml at all",
        b"<ShipNotice><OrderID>1048001</OrderID>",
        b'<?xml version="1.0"?><!DOCTYPE ShipNotice><ShipNotice/>',
        b'<!DOCTYPE r [<!ENTITY e "x">]><ShipNotice><Carrier>&e;</Carrier></ShipNotice>',
    ],
    ids=["empty", "text", "unclosed", "doctype", "entity"],
)
def test_a_body_that_is_not_acceptable_xml_answers_400_malformed_xml(client, body):
    response = client.post(ENDPOINT, query_string=notify_params(), data=body, auth=AUTH)
    assert_error(response, 400, "MalformedXml")


def test_a_body_over_the_limit_answers_413(client):
    client.put("/__admin/settings", json={"max_body_bytes": 100})
    response = client.post(ENDPOINT, query_string=notify_params(), data=b"x" * 101, auth=AUTH)
    assert_error(response, 413, "PayloadTooLarge")
    assert "100" in parse_xml(response.data).findtext("Message")


def test_a_body_at_the_limit_is_read(client):
    client.put("/__admin/settings", json={"max_body_bytes": 100})
    response = client.post(ENDPOINT, query_string=notify_params(), data=b"x" * 100, auth=AUTH)
    assert_error(response, 400, "MalformedXml")


@pytest.mark.parametrize(
    ("method", "action", "allowed"),
    [
        ("POST", "export", "GET, HEAD"),
        ("PUT", "export", "GET, HEAD"),
        ("DELETE", "export", "GET, HEAD"),
        ("GET", "shipnotify", "POST"),
        ("PATCH", "shipnotify", "POST"),
        ("OPTIONS", "shipnotify", "POST"),
    ],
)
def test_the_wrong_method_answers_405_with_allow(client, method, action, allowed):
    response = client.open(
        ENDPOINT, method=method, query_string={**export_params(), "action": action}, auth=AUTH
    )
    assert_error(response, 405, "MethodNotAllowed")
    assert response.headers["Allow"] == allowed


# --- the order of the checks -------------------------------------------------------------------


def test_the_declared_size_is_checked_before_anything_else(client):
    client.put("/__admin/settings", json={"max_body_bytes": 10})
    response = client.post("/99999/shipstation", data=b"x" * 11)
    assert_error(response, 413, "PayloadTooLarge")


def test_the_publisher_comes_before_the_credentials(client):
    assert_error(client.get("/99999/shipstation"), 404, "UnknownPublisher")


def test_the_credentials_come_before_the_account_state(client):
    add_account(client, active=False, users=[VIEWER])
    response = client.get("/20002/shipstation", auth=("viewer", "wrong"))
    assert_error(response, 401, "InvalidCredentials")


def test_an_inactive_account_comes_before_the_permission(client):
    add_account(client, active=False, users=[VIEWER])
    response = client.get("/20002/shipstation", auth=("viewer", "v1ewer-Pass"))
    assert_error(response, 403, "AccountInactive")


def test_the_permission_comes_before_the_action(client):
    add_account(client)
    response = client.get("/20002/shipstation?action=nope", auth=("viewer", "v1ewer-Pass"))
    assert_error(response, 403, "PermissionDenied")


def test_the_action_comes_before_the_method(client):
    assert_error(client.delete(f"{ENDPOINT}?action=nope", auth=AUTH), 400, "InvalidRequest")


def test_the_method_comes_before_the_parameters(client):
    assert_error(client.post(f"{ENDPOINT}?action=export", auth=AUTH), 405, "MethodNotAllowed")


def test_a_malformed_notice_is_refused_before_the_order_is_looked_up(client):
    response = client.post(ENDPOINT, query_string=notify_params("7777"), data=b"<a>", auth=AUTH)
    assert_error(response, 400, "MalformedXml")


def test_an_unknown_path_answers_an_xml_404(client):
    response = client.get("/10001/orders")
    assert_error(response, 404, "NotFound")
