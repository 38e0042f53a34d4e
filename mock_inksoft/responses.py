"""The store endpoint, ``/<publisher_id>/shipstation``: thin handlers over the state.

The checks run in this order; the first that fails answers:

1. ``413 PayloadTooLarge``: a declared ``Content-Length`` over ``max_body_bytes``;
2. ``404 UnknownPublisher``: no account has the Publisher ID;
3. ``401 InvalidCredentials``: no credentials, unknown user or wrong password;
4. ``403 AccountInactive``;
5. ``403 PermissionDenied``: the user lacks *Store Fulfillment Administration*;
6. ``400 InvalidRequest``: ``action`` missing or unknown;
7. ``405 MethodNotAllowed``: ``export`` takes GET (or HEAD), ``shipnotify`` POST;
8. the action's own: ``export`` reads ``start_date``, ``end_date`` then ``page`` (400);
   ``shipnotify`` reads the body (413 when it turns out larger than announced), parses it
   (400 ``MalformedXml``), checks it (400 ``InvalidRequest``), then finds the order (404
   ``UnknownOrder``; a listed line the order lacks is 400 ``InvalidRequest``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Response, request

from mock_inksoft.context import Mock, current_mock
from mock_inksoft.credentials import authenticate, presented_credentials
from mock_inksoft.dates import parse_feed_datetime
from mock_inksoft.faults import XML_CONTENT_TYPE
from mock_inksoft.models import (
    FULFILLMENT_PERMISSION,
    Account,
    UnknownLineError,
    UnknownOrderError,
)
from mock_inksoft.shipnotice import NoticeError, read_ship_notice

REALM = 'Basic realm="InkSoft"'


class StoreError(Exception):
    """An answer of the error table: status, code, message (and maybe headers)."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def store_error_response(error: StoreError) -> Response:
    body = current_mock().renderer.error(error.code, error.message)
    return Response(body, error.status, headers=error.headers, content_type=XML_CONTENT_TYPE)


def xml_response(body: bytes) -> Response:
    return Response(body, 200, content_type=XML_CONTENT_TYPE)


def _invalid(message: str) -> StoreError:
    return StoreError(400, "InvalidRequest", message)


def _quoted(value: str) -> str:
    """A value from the request, shortened for an error message."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


@dataclass(frozen=True)
class Action:
    methods: tuple[str, ...]
    view: Callable[[Mock, Account], Response]


def shipstation(publisher_id: str) -> Response:
    """Both actions of the one endpoint, chosen by the ``action`` query parameter."""
    mock = current_mock()
    limit = mock.state.settings.max_body_bytes
    if (request.content_length or 0) > limit:
        raise _too_large(limit)
    account = _account(mock, publisher_id)
    _authorise(account)
    name = request.args.get("action")
    action = ACTIONS.get(name or "")
    if action is None:
        if not name:
            raise _invalid("The action parameter is missing: use export or shipnotify.")
        raise _invalid(f"Unknown action {_quoted(name)}: use export or shipnotify.")
    if request.method not in action.methods:
        raise StoreError(
            405,
            "MethodNotAllowed",
            f"action={name} takes {action.methods[0]}, not {request.method}.",
            {"Allow": ", ".join(action.methods)},
        )
    return action.view(mock, account)


def _account(mock: Mock, publisher_id: str) -> Account:
    account = mock.state.account(int(publisher_id)) if publisher_id.isdigit() else None
    if account is None:
        raise StoreError(
            404,
            "UnknownPublisher",
            f"No InkSoft account has the Publisher ID {_quoted(publisher_id)}.",
        )
    return account


def _authorise(account: Account) -> None:
    credentials = presented_credentials(request)
    if credentials is None:
        raise StoreError(
            401,
            "InvalidCredentials",
            "No credentials: send HTTP Basic, or SS-UserName and SS-Password.",
            {"WWW-Authenticate": REALM},
        )
    user = authenticate(account, credentials)
    if user is None:
        raise StoreError(
            401,
            "InvalidCredentials",
            "The username or password is incorrect.",
            {"WWW-Authenticate": REALM},
        )
    if not account.active:
        raise StoreError(
            403,
            "AccountInactive",
            f"The InkSoft account with Publisher ID {account.publisher_id} is not active.",
        )
    if not user.may_fulfil:
        raise StoreError(
            403,
            "PermissionDenied",
            f"The user {_quoted(user.username)} does not have the {FULFILLMENT_PERMISSION} "
            "permission.",
        )


def _too_large(limit: int) -> StoreError:
    return StoreError(413, "PayloadTooLarge", f"The request body is over the {limit}-byte limit.")


# --- export ------------------------------------------------------------------------------------


def export(mock: Mock, account: Account) -> Response:
    """The account's orders last modified in the window, one page of them."""
    start = _date_param("start_date")
    end = _date_param("end_date")
    page = _page_param()
    result = mock.state.export(account.publisher_id, start, end, page)
    if result.matching == 0 and mock.state.settings.empty_export == "quirk":
        return xml_response(b"")  # InkSoft's empty answer, which is not XML
    return xml_response(mock.renderer.orders(result.orders, result.pages))


def _date_param(name: str) -> datetime:
    value = request.args.get(name)
    if value is None or not value.strip():
        raise _invalid(f"The {name} parameter is missing (MM/dd/yyyy HH:mm, UTC).")
    try:
        return parse_feed_datetime(value)
    except ValueError:
        raise _invalid(f"{name} {_quoted(value)} is not a date (MM/dd/yyyy HH:mm, UTC).") from None


def _page_param() -> int:
    value = request.args.get("page", "1").strip()
    if not value.isdigit() or int(value) < 1:
        raise _invalid(f"page must be a whole number from 1, not {_quoted(value)}.")
    return int(value)


# --- shipnotify --------------------------------------------------------------------------------


def shipnotify(mock: Mock, account: Account) -> Response:
    """Apply a shipment notice; a retried one (same order, carrier, tracking) is applied once."""
    limit = mock.state.settings.max_body_bytes
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise _too_large(limit)
    try:
        notice = read_ship_notice(body, request.args)
    except NoticeError as exc:
        raise StoreError(400, exc.code, str(exc)) from None
    try:
        mock.state.apply_ship_notice(account.publisher_id, notice)
    except UnknownOrderError as exc:
        raise StoreError(404, "UnknownOrder", str(exc)) from None
    except UnknownLineError as exc:
        raise _invalid(str(exc)) from None
    return xml_response(b"")


ACTIONS = {
    "export": Action(("GET", "HEAD"), export),
    "shipnotify": Action(("POST",), shipnotify),
}
