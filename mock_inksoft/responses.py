"""The store endpoint, ``/<publisher_id>/shipstation``: thin handlers over the state.

The checks run in this order; the first that fails answers:

1. ``413 PayloadTooLarge``: a declared ``Content-Length`` over ``max_body_bytes``;
2. ``404 UnknownPublisher``: no account has the Publisher ID;
3. ``401 InvalidCredentials``: no credentials, unknown user or wrong password;
4. ``403 AccountInactive``;
5. ``403 PermissionDenied``: the user lacks *Store Fulfillment Administration*;
6. ``400 InvalidRequest``: ``action`` missing or unknown;
7. ``405 MethodNotAllowed``: ``export`` takes GET (or HEAD), ``shipnotify`` POST;
8. the action's own: ``export`` reads ``start_date``, ``end_date`` (a window that ends before
   it starts is refused) then ``page`` (400); ``shipnotify`` reads the body (413 when it turns
   out larger than announced), parses it (400 ``MalformedXml``), checks it (400
   ``InvalidRequest``), then finds the order (404 ``UnknownOrder``; a listed line the order
   lacks is 400 ``InvalidRequest``).

Every message says what to change; near misses name what exists (the account's closest order
numbers, the account that holds an order, the endpoint's path, the action's spelling).
Requests that are legal but suspicious are answered and leave warnings in the journal
(:mod:`.explain`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Request, Response, request
from werkzeug.datastructures import MultiDict

from mock_inksoft.context import Mock, current_mock, current_request
from mock_inksoft.credentials import authenticate, presented_credentials
from mock_inksoft.dates import format_feed_datetime, parse_feed_datetime
from mock_inksoft.explain import FUTURE_TOLERANCE_MINUTES, explanation, warn
from mock_inksoft.faults import XML_CONTENT_TYPE
from mock_inksoft.models import (
    FULFILLMENT_PERMISSION,
    Account,
    ShipNotice,
    UnknownLineError,
    UnknownOrderError,
)
from mock_inksoft.shipnotice import NoticeError, read_ship_notice

REALM = 'Basic realm="InkSoft"'
ENDPOINT_PATH = "/{publisher_id}/shipstation"
FEED_DATE_HINT = "use MM/dd/yyyy HH:mm in UTC, e.g. 03/05/2026 14:22"
_FUTURE_TOLERANCE = timedelta(minutes=FUTURE_TOLERANCE_MINUTES)


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
    usage: str  # how the action is sent, for a wrong method's message


def shipstation(publisher_id: str) -> Response:
    """Both actions of the one endpoint, chosen by the ``action`` query parameter."""
    mock = current_mock()
    asked = current_request()
    limit = mock.state.settings.max_body_bytes
    if (asked.content_length or 0) > limit:
        raise _too_large(limit)
    account = _account(mock, publisher_id)
    _authorise(account, asked)
    name = asked.args.get("action")
    action = ACTIONS.get(name or "")
    if action is None:
        raise _invalid(_unknown_action(name))
    if asked.method not in action.methods:
        raise StoreError(
            405,
            "MethodNotAllowed",
            f"action={name} takes {action.methods[0]}, not {asked.method}: {action.usage}",
            {"Allow": ", ".join(action.methods)},
        )
    return action.view(mock, account)


def _unknown_action(name: str | None) -> str:
    if not name:
        return "The action parameter is missing: add action=export or action=shipnotify."
    meant = name.strip().lower()
    if meant in ACTIONS:
        return f"Unknown action {_quoted(name)}: actions are lower case, send action={meant}."
    return f"Unknown action {_quoted(name)}: send action=export or action=shipnotify."


def _account(mock: Mock, publisher_id: str) -> Account:
    account = mock.state.account(int(publisher_id)) if publisher_id.isdigit() else None
    if account is None:
        count = mock.state.account_count()
        raise StoreError(
            404,
            "UnknownPublisher",
            f"No InkSoft account has the Publisher ID {_quoted(publisher_id)} "
            f"(this InkSoft holds {count} account{'' if count == 1 else 's'}): check the "
            f"Publisher ID in the store's URL, {ENDPOINT_PATH}.",
        )
    return account


def _authorise(account: Account, asked: Request) -> None:
    credentials = presented_credentials(asked)
    if credentials is None:
        raise StoreError(
            401,
            "InvalidCredentials",
            "No credentials: send HTTP Basic, or the SS-UserName and SS-Password query "
            "parameters (or headers).",
            {"WWW-Authenticate": REALM},
        )
    user = authenticate(account, credentials)
    if user is None:
        raise StoreError(
            401,
            "InvalidCredentials",
            f"The username or password is incorrect for Publisher ID {account.publisher_id}: "
            "send the credentials of one of that account's users.",
            {"WWW-Authenticate": REALM},
        )
    if not account.active:
        raise StoreError(
            403,
            "AccountInactive",
            f"The InkSoft account with Publisher ID {account.publisher_id} is not active: "
            "activate it in InkSoft.",
        )
    if not user.may_fulfil:
        raise StoreError(
            403,
            "PermissionDenied",
            f"The user {_quoted(user.username)} does not have the {FULFILLMENT_PERMISSION} "
            "permission: grant it to the user in InkSoft.",
        )


def _too_large(limit: int) -> StoreError:
    return StoreError(
        413,
        "PayloadTooLarge",
        f"The request body is over the {limit}-byte limit: send a smaller body.",
    )


# --- export ------------------------------------------------------------------------------------


def export(mock: Mock, account: Account) -> Response:
    """The account's orders last modified in the window, one page of them: the same bytes as
    the last time while the state's export version has not changed (only the rendering is
    skipped; every check, warning and journal entry happens as for any request)."""
    args = current_request().args
    start = _date_param(args, "start_date")
    end = _date_param(args, "end_date")
    if end < start:
        raise _invalid(
            f"The window ends before it starts: start_date {format_feed_datetime(start)} is "
            f"after end_date {format_feed_datetime(end)}. Swap them."
        )
    _warn_if_future(mock, start_date=start)  # a future end_date only widens the window
    page = _page_param(args)
    key = (account.publisher_id, start, end, page)
    body = mock.answers.get(key, mock.state.export_version())
    if body is None:
        result = mock.state.export(account.publisher_id, start, end, page)
        if result.matching == 0 and mock.state.settings.empty_export == "quirk":
            body = b""  # InkSoft's empty answer, which is not XML
        else:
            body = mock.renderer.orders(result.orders, result.pages)
        # A setting changed since the export makes a newer version: this one is never served.
        mock.answers.put(key, result.version, body)
    return xml_response(body)


def _date_param(args: MultiDict[str, str], name: str) -> datetime:
    value = args.get(name)
    if value is None or not value.strip():
        raise _invalid(f"The {name} parameter is missing: {FEED_DATE_HINT}.")
    try:
        return parse_feed_datetime(value)
    except ValueError:
        raise _invalid(f"{name} {_quoted(value)} is not a date: {FEED_DATE_HINT}.") from None


def _warn_if_future(mock: Mock, **moments: datetime) -> None:
    """A warning for each of ``moments`` later than the mock's clock (beyond a small drift)."""
    now = mock.state.now()
    for name, moment in moments.items():
        if moment > now + _FUTURE_TOLERANCE:
            warn(
                f"{name} {format_feed_datetime(moment)} is in the future (the mock's clock says "
                f"{format_feed_datetime(now)} UTC): nothing has happened then yet. Dates are "
                "UTC; check the clock and the time zone of the client."
            )


def _page_param(args: MultiDict[str, str]) -> int:
    value = args.get("page", "1").strip()
    if not value.isdigit() or int(value) < 1:
        raise _invalid(
            f"page must be a whole number from 1, not {_quoted(value)}: leave it out for page 1."
        )
    return int(value)


# --- shipnotify --------------------------------------------------------------------------------


def shipnotify(mock: Mock, account: Account) -> Response:
    """Apply a shipment notice; a retried one (same order, carrier, tracking) is applied once."""
    limit = mock.state.settings.max_body_bytes
    body = request.stream.read(limit + 1)
    explanation().body = body
    if len(body) > limit:
        raise _too_large(limit)
    try:
        notice = read_ship_notice(body, request.args)
    except NoticeError as exc:
        raise StoreError(400, exc.code, str(exc)) from None
    explanation().notice = notice
    _warn_about_notice(mock, account, notice)
    try:
        mock.state.apply_ship_notice(account.publisher_id, notice)
    except UnknownOrderError as exc:
        raise StoreError(404, "UnknownOrder", _unknown_order(account, exc)) from None
    except UnknownLineError as exc:
        raise _invalid(
            f"{exc} Send only the order's lines, or no <Items> to ship it all."
        ) from None
    return xml_response(b"")


def _unknown_order(account: Account, error: UnknownOrderError) -> str:
    reference = _quoted(error.reference)
    if error.owner is not None:
        return (
            f"Order {reference} belongs to another InkSoft account, Publisher ID {error.owner}, "
            f"not to {account.publisher_id}: send its notice to /{error.owner}/shipstation "
            "with that account's credentials."
        )
    if not error.closest:
        return (
            f"Order {reference} was not found: Publisher ID {account.publisher_id} has no "
            "orders yet. Export them first and send notices for those."
        )
    return (
        f"Order {reference} was not found in Publisher ID {account.publisher_id}; its closest "
        f"order numbers and IDs are {', '.join(error.closest)}. Send the OrderID or "
        "order_number of an exported order."
    )


def _warn_about_notice(mock: Mock, account: Account, notice: ShipNotice) -> None:
    """Warnings for a notice that names two different orders, or dates ahead of the clock."""
    asked = request.args.get("order_number", "").strip()
    if asked and notice.order_id and asked != notice.order_id:
        found = mock.state.order(notice.order_id)
        if found is None or found.order_number != asked:
            warn(
                f"The query's order_number {asked!r} and the body's OrderID "
                f"{notice.order_id!r} name different orders; the body's OrderID decides which "
                "order ships. Send the same order in both."
            )
    elif asked and notice.body_order_number and asked != notice.body_order_number:
        warn(
            f"The query's order_number {asked!r} and the body's OrderNumber "
            f"{notice.body_order_number!r} name different orders; the query's order_number "
            "decides which order ships. Send the same order in both."
        )
    if notice.label_create_date is not None:
        _warn_if_future(mock, LabelCreateDate=notice.label_create_date)
    today = mock.state.now().date()
    if notice.ship_date is not None and notice.ship_date > today + timedelta(days=1):
        warn(
            f"ShipDate {notice.ship_date:%m/%d/%Y} is in the future (the mock's clock says "
            f"{today:%m/%d/%Y}): send the day the package ships."
        )


ACTIONS = {
    "export": Action(
        ("GET", "HEAD"),
        export,
        "ask for orders with GET and start_date, end_date (and page) in the query.",
    ),
    "shipnotify": Action(("POST",), shipnotify, "send the <ShipNotice> XML as the body of a POST."),
}
