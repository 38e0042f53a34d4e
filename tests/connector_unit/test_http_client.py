"""The InkSoft HTTP client: auth, retries for the export GET only, timeouts, the error table."""

from __future__ import annotations

import base64
import logging
from datetime import datetime, timezone

import pytest
import requests
import responses
from fakes import ENDPOINT, PASSWORD, PUBLISHER_ID, URL, USERNAME, FakeInkSoft
from urllib3.exceptions import ProtocolError

from connector import exceptions as errors
from connector.client import InkSoftClient, RedactQueryPasswords

START = datetime(2026, 3, 5, 14, 0, tzinfo=timezone.utc)
END = datetime(2026, 3, 6, 9, 5, 59, tzinfo=timezone.utc)


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def client(http: responses.RequestsMock, slept: list[float]) -> InkSoftClient:
    return InkSoftClient(URL, PUBLISHER_ID, USERNAME, PASSWORD, sleep=slept.append)


def notify(client: InkSoftClient) -> requests.Response:
    return client.ship_notify("1001", "UPS", "UPS Ground", "1Z999", b"<ShipNotice/>")


# --- Requests --------------------------------------------------------------------------------


def test_export_sends_basic_auth_and_the_window(client: InkSoftClient, inksoft: FakeInkSoft):
    inksoft.pages(b"<Orders/>")
    assert client.export(START, END, page=3) == b"<Orders/>"
    [call] = inksoft.http.calls
    expected = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    assert call.request.headers["Authorization"] == f"Basic {expected}"
    assert call.request.url.startswith(f"{ENDPOINT}?")
    assert inksoft.queries == [
        {
            "action": "export",
            "start_date": "03/05/2026 14:00",
            "end_date": "03/06/2026 09:05",
            "page": "3",
        }
    ]


def test_query_credentials_are_selectable(http: responses.RequestsMock, inksoft: FakeInkSoft):
    client = InkSoftClient(URL, PUBLISHER_ID, USERNAME, PASSWORD, auth="query")
    inksoft.pages(b"<Orders/>")
    client.export(START, END)
    [call] = http.calls
    assert "Authorization" not in call.request.headers
    assert inksoft.queries[0]["SS-UserName"] == USERNAME
    assert inksoft.queries[0]["SS-Password"] == PASSWORD


def test_an_unknown_auth_mode_is_a_usage_error():
    with pytest.raises(errors.UsageError, match="auth"):
        InkSoftClient(URL, PUBLISHER_ID, USERNAME, PASSWORD, auth="digest")


def test_ship_notify_posts_the_notice(client: InkSoftClient, http: responses.RequestsMock):
    http.post(ENDPOINT, body=b"")
    assert notify(client).status_code == 200
    [call] = http.calls
    assert call.request.body == b"<ShipNotice/>"
    assert "action=shipnotify" in call.request.url
    assert call.request.headers["Content-Type"].startswith("application/xml")


def test_repr_shows_no_password(client: InkSoftClient):
    assert PASSWORD not in repr(client)


# --- Retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_export_is_retried_with_backoff(
    client: InkSoftClient, http: responses.RequestsMock, slept: list[float], status: int
):
    for _ in range(3):
        http.get(ENDPOINT, status=status)
    http.get(ENDPOINT, body=b"<Orders/>")
    assert client.export(START, END) == b"<Orders/>"
    assert len(http.calls) == 4
    assert slept == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(("status", "header", "delay"), [(503, "7", 7.0), (429, "3600", 60.0)])
def test_retry_after_is_honoured_and_capped(
    client: InkSoftClient,
    http: responses.RequestsMock,
    slept: list[float],
    status: int,
    header: str,
    delay: float,
):
    http.get(ENDPOINT, status=status, headers={"Retry-After": header})
    http.get(ENDPOINT, body=b"<Orders/>")
    client.export(START, END)
    assert slept == [delay]


def test_retry_after_as_an_http_date(
    client: InkSoftClient, http: responses.RequestsMock, slept: list[float]
):
    http.get(ENDPOINT, status=503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    http.get(ENDPOINT, body=b"<Orders/>")
    client.export(START, END)
    assert slept == [0.0]


def test_export_gives_up_after_the_retries(client: InkSoftClient, http: responses.RequestsMock):
    http.get(ENDPOINT, status=503, body="<Error><Code>Busy</Code><Message>Down</Message></Error>")
    with pytest.raises(errors.ServerError) as raised:
        client.export(START, END)
    assert len(http.calls) == 4
    assert raised.value.status == 503
    assert raised.value.code == "Busy"
    assert "HTTP 503" in str(raised.value) and "after 4 attempts" in str(raised.value)
    assert raised.value.response is not None and raised.value.request is not None


def test_export_is_retried_after_a_connection_error(
    client: InkSoftClient, http: responses.RequestsMock
):
    http.get(ENDPOINT, body=requests.ConnectionError("boom"))
    http.get(ENDPOINT, body=b"<Orders/>")
    assert client.export(START, END) == b"<Orders/>"


def test_client_errors_are_not_retried(client: InkSoftClient, inksoft: FakeInkSoft):
    inksoft.error(401, "InvalidCredentials")
    with pytest.raises(errors.InvalidCredentials):
        client.export(START, END)
    assert len(inksoft.http.calls) == 1


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"status": 503}, errors.ServerError),
        ({"body": requests.ConnectionError("reset")}, errors.InkSoftConnectionError),
        ({"body": requests.ReadTimeout("slow")}, errors.InkSoftTimeout),
    ],
)
def test_post_is_never_retried(
    client: InkSoftClient, http: responses.RequestsMock, slept: list[float], answer, error
):
    http.post(ENDPOINT, **answer)
    with pytest.raises(error):
        notify(client)
    assert len(http.calls) == 1
    assert slept == []


# --- Timeouts and connection failures --------------------------------------------------------


def test_timeouts_are_passed_to_requests(http: responses.RequestsMock, inksoft: FakeInkSoft):
    client = InkSoftClient(URL, PUBLISHER_ID, USERNAME, PASSWORD, timeout=(2, 9))
    inksoft.pages(b"<Orders/>")
    client.export(START, END)
    assert http.calls[0].request.req_kwargs["timeout"] == (2, 9)


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (requests.ConnectTimeout("x"), ["timed out after 5 s", "connect timeout"]),
        (requests.ReadTimeout("x"), ["within 30 s", "timed out", "read timeout"]),
    ],
)
def test_timeouts_say_which_timeout(
    client: InkSoftClient, http: responses.RequestsMock, failure, words
):
    http.get(ENDPOINT, body=failure)
    with pytest.raises(errors.InkSoftTimeout) as raised:
        client.export(START, END)
    assert len(http.calls) == 4
    assert isinstance(raised.value, errors.TransportError)
    for word in words:
        assert word in str(raised.value)
    assert "inksoft.test" in str(raised.value)


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (
            requests.ConnectionError(
                ProtocolError("Connection aborted.", ConnectionResetError(104, "reset by peer"))
            ),
            "was reset",
        ),
        (requests.exceptions.ChunkedEncodingError("cut"), "was reset"),
        (requests.ConnectionError(ConnectionRefusedError(111, "refused")), "refused"),
        (
            requests.ConnectionError("something else"),
            "connection to InkSoft at inksoft.test failed",
        ),
    ],
)
def test_connection_failures_say_what_happened(
    client: InkSoftClient, http: responses.RequestsMock, failure, words
):
    http.get(ENDPOINT, body=failure)
    with pytest.raises(errors.InkSoftConnectionError) as raised:
        client.export(START, END)
    assert words in str(raised.value)


# --- The error table -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "error", "words"),
    [
        (401, "InvalidCredentials", errors.InvalidCredentials, "username or password"),
        (403, "AccountInactive", errors.AccountInactive, "20002 is not active"),
        (403, "PermissionDenied", errors.PermissionDenied, "Store Fulfillment Administration"),
        (404, "UnknownPublisher", errors.UnknownPublisher, "does not know the Publisher ID 20002"),
        (400, "InvalidRequest", errors.InvalidRequest, "invalid: the server says why"),
        (404, "UnknownOrder", errors.UnknownOrder, "does not know the order 1001"),
        (400, "MalformedXml", errors.MalformedXml, "could not read the shipment notice"),
        (413, "PayloadTooLarge", errors.PayloadTooLarge, "larger than InkSoft accepts"),
        (405, "MethodNotAllowed", errors.MethodNotAllowed, "does not accept POST"),
    ],
)
def test_every_row_of_the_error_table(
    client: InkSoftClient, http: responses.RequestsMock, status, code, error, words
):
    body = f"<Error><Code>{code}</Code><Message>the server says why</Message></Error>"
    http.post(ENDPOINT, status=status, body=body)
    with pytest.raises(error) as raised:
        notify(client)
    assert isinstance(raised.value, errors.InkSoftError)
    assert (raised.value.code, raised.value.status) == (code, status)
    assert raised.value.response.status_code == status
    assert raised.value.request.method == "POST"
    assert words in str(raised.value)


def test_permission_denied_names_the_user(client: InkSoftClient, inksoft: FakeInkSoft):
    inksoft.error(403, "PermissionDenied")
    with pytest.raises(errors.PermissionDenied, match=f"'{USERNAME}'"):
        client.export(START, END)


@pytest.mark.parametrize(
    ("status", "send", "error"),
    [
        (401, "export", errors.InvalidCredentials),
        (404, "export", errors.UnknownPublisher),
        (404, "notify", errors.UnknownOrder),
        (400, "export", errors.InvalidRequest),
        (400, "notify", errors.MalformedXml),
        (413, "notify", errors.PayloadTooLarge),
        (405, "export", errors.MethodNotAllowed),
    ],
)
def test_an_error_without_a_body_is_mapped_by_status(
    client: InkSoftClient, http: responses.RequestsMock, status, send, error
):
    http.get(ENDPOINT, status=status, body="")
    http.post(ENDPOINT, status=status, body="")
    with pytest.raises(error) as raised:
        client.export(START, END) if send == "export" else notify(client)
    assert raised.value.status == status


def test_another_client_error_is_a_plain_inksoft_error(
    client: InkSoftClient, http: responses.RequestsMock
):
    http.get(ENDPOINT, status=418, body="<Error><Message>teapot</Message></Error>")
    with pytest.raises(errors.InkSoftError) as raised:
        client.export(START, END)
    assert type(raised.value) is errors.InkSoftError
    assert str(raised.value) == "InkSoft refused the request with HTTP 418: teapot"


def test_a_password_echoed_by_the_server_is_redacted(
    client: InkSoftClient, http: responses.RequestsMock
):
    http.get(
        ENDPOINT,
        status=400,
        body=f"<Error><Code>InvalidRequest</Code><Message>bad {PASSWORD}</Message></Error>",
    )
    with pytest.raises(errors.InvalidRequest) as raised:
        client.export(START, END)
    assert PASSWORD not in str(raised.value)
    assert PASSWORD not in repr(raised.value)


def test_urllib3_request_lines_hide_query_passwords():
    record = logging.LogRecord(
        "urllib3.connectionpool",
        logging.DEBUG,
        __file__,
        1,
        '%s://%s:%s "%s %s %s" %s %s',
        (
            "http",
            "h",
            80,
            "GET",
            f"/1/shipstation?SS-Password={PASSWORD}&page=1",
            "HTTP/1.1",
            200,
            0,
        ),
        None,
    )
    assert RedactQueryPasswords().filter(record)
    assert PASSWORD not in record.getMessage()
    assert "SS-Password=***&page=1" in record.getMessage()
