"""The JSON control API under ``/__admin/``: thin handlers over the state.

A malformed request answers ``400 {"error": "...", "field": "..."}``; an unknown order ``404``;
with an admin token configured, every route but health needs it (``401`` otherwise).
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from mock_inksoft.catalog import filling_factory
from mock_inksoft.config import settings_changes
from mock_inksoft.context import current_mock, with_allow
from mock_inksoft.control_json import (
    account_from_json,
    account_to_json,
    fault_from_json,
    fault_to_json,
    settings_to_json,
)
from mock_inksoft.dates import midnight
from mock_inksoft.drafts import changed_order, generate_orders, generation_room, new_order
from mock_inksoft.fields import ControlError, Reader, at, publisher_id
from mock_inksoft.journal import (
    STATUS_FILTER_FORMS,
    JournalFilter,
    entry_to_json,
    valid_status_filter,
)
from mock_inksoft.models import (
    AccountExistsError,
    DuplicateOrderError,
    UnknownAccountError,
    UnknownOrderError,
)
from mock_inksoft.openapi import control_api_description
from mock_inksoft.order_json import order_to_json, shipment_to_json

ADMIN_PREFIX = "/__admin/"
MAX_CONTROL_BODY = 32 * 1024 * 1024
GENERATE_FIELDS = ("count", "seed", "with_ship_to")
MAX_LISTED_GENERATED = 10_000  # a bigger batch is answered by its size and ID range
REQUEST_FILTERS = ("status", "action", "order")
PAGE_PARAMETERS = ("limit", "offset")
DEFAULT_LIST_LIMIT = 100  # a list's page unless ``?limit=`` says otherwise
MAX_LIST_LIMIT = 1000
OPEN_PATHS = (f"{ADMIN_PREFIX}health", f"{ADMIN_PREFIX}openapi.json")  # no admin token needed


def blueprint() -> Blueprint:
    control = Blueprint("control", __name__)
    control.before_request(require_admin_token)
    control.register_error_handler(ControlError, control_error_response)
    control.register_error_handler(HTTPException, http_error)
    return control


def unmatched(error: HTTPException) -> Response:
    """A path under ``/__admin/`` that no rule matches: the token first, as on every route."""
    return require_admin_token() or http_error(error)


def http_error(error: HTTPException) -> Response:
    return with_allow(error, error_response(error.code or 500, error.description or error.name))


def error_response(status: int, message: str, field: str | None = None) -> Response:
    answer = {"error": message} if field is None else {"error": message, "field": field}
    response = jsonify(answer)
    response.status_code = status
    return response


def control_error_response(error: ControlError) -> Response:
    return error_response(400, str(error), error.field)


def require_admin_token() -> Response | None:
    """A 401 answer when an admin token is configured and the request does not carry it."""
    token = current_mock().admin_token
    if token is None or request.path in OPEN_PATHS:
        return None
    bearer = request.headers.get("Authorization", "")
    given = request.headers.get("X-Admin-Token") or (
        bearer[len("Bearer ") :] if bearer.startswith("Bearer ") else ""
    )
    if hmac.compare_digest(given.encode(), token.encode()):
        return None
    response = error_response(
        401, "the control API needs the admin token (X-Admin-Token or Bearer)", "X-Admin-Token"
    )
    response.headers["WWW-Authenticate"] = 'Bearer realm="mock InkSoft control API"'
    return response


def _json_body() -> Any:
    if (request.content_length or 0) > MAX_CONTROL_BODY:
        raise RequestEntityTooLarge(f"the body is over the {MAX_CONTROL_BODY}-byte limit")
    try:
        return json.loads(request.get_data() or b"null")
    except ValueError:
        raise ControlError("body", "is not valid JSON") from None


def health() -> Any:
    return {"status": "ok"}


def openapi_document() -> Any:
    """The control API's OpenAPI 3.1 description."""
    return jsonify(control_api_description())


def reset() -> Any:
    """Back to the state the mock started with (its starting orders included)."""
    current_mock().state.reset()
    return {"status": "reset"}


# --- accounts ----------------------------------------------------------------------------------


def list_accounts() -> Any:
    return {"accounts": [account_to_json(a) for a in current_mock().state.accounts()]}


def save_account() -> Any:
    """Create an account; an existing Publisher ID is a 409 unless ``"replace": true``."""
    account, replace = account_from_json(_json_body())
    try:
        current_mock().state.save_account(account, replace_existing=replace)
    except AccountExistsError:
        return error_response(
            409,
            f"an account with Publisher ID {account.publisher_id} already exists: send "
            '"replace": true to replace it (its orders stay)',
            "publisher_id",
        )
    return account_to_json(account), 201


# --- orders ------------------------------------------------------------------------------------


def add_orders() -> Any:
    """One order (a JSON object) or several (a list); every field left out is filled by Faker."""
    payload = _json_body()
    many = isinstance(payload, list)
    entries = payload if many else [payload]
    if not entries:
        raise ControlError("body", "holds no order")
    state = current_mock().state
    now = state.now()
    given_ids = [_given_order_id(entry) for entry in entries]
    reserved = iter(state.reserve_order_ids(given_ids.count(None)))
    orders = []
    for index, (entry, given_id) in enumerate(zip(entries, given_ids, strict=True)):
        order_id = given_id or next(reserved)
        with filling_factory(f"fill:{order_id}", midnight(now)) as factory:
            order = new_order(
                entry,
                factory,
                order_id,
                default_publisher_id=state.default_publisher_id,
                modified_at=now,
                path=at("", index) if many else "",
            )
        orders.append(order)
    _store(orders, many)
    return {"orders": [order_to_json(order) for order in orders]}, 201


def _given_order_id(entry: Any) -> str | None:
    value = entry.get("order_id") if isinstance(entry, dict) else None
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        return None
    return str(value)


def _store(orders: list, many: bool) -> None:
    try:
        current_mock().state.add_orders(orders)
    except DuplicateOrderError as exc:
        raise ControlError(at(at("", exc.index) if many else "", "order_id"), str(exc)) from None
    except UnknownAccountError as exc:
        raise ControlError("publisher_id", str(exc)) from None


def generate() -> Any:
    """``{"count", "seed"?, "with_ship_to"?, "publisher_id"?, …any order field to fix}``."""
    body = _json_body()
    if not isinstance(body, dict):
        raise ControlError("body", "must be a JSON object")
    options = Reader({k: v for k, v in body.items() if k in GENERATE_FIELDS}, "", GENERATE_FIELDS)
    count = options.integer("count", required=True, minimum=1)
    seed = options.integer("seed") or 0
    fixed = {k: v for k, v in body.items() if k not in GENERATE_FIELDS}
    state = current_mock().state
    generation_room(state, count)
    batch = generate_orders(state, count, seed, fixed, options.boolean("with_ship_to"))
    try:
        state.add_generated(batch)
    except UnknownAccountError as exc:
        raise ControlError("publisher_id", str(exc)) from None
    answer: dict[str, Any] = {
        "count": count,
        "first_order_id": str(batch.ids[0]),
        "last_order_id": str(batch.ids[-1]),
    }
    if count <= MAX_LISTED_GENERATED:
        answer["orders"] = [order_to_json(batch.make(i)) for i in range(count)]
    return answer, 201


def clear_orders() -> Any:
    """Every order of every account, and the shipments applied to them."""
    current_mock().state.clear_orders()
    return {"orders": []}


def page_window() -> tuple[int, int]:
    """``?offset=`` (default 0) and ``?limit=`` (default 100, at most 1000) of a list."""
    window = Reader(
        {k: _whole_number(v) for k, v in request.args.items() if k in PAGE_PARAMETERS},
        "",
        PAGE_PARAMETERS,
    )
    offset = window.integer("offset", minimum=0) or 0
    limit = window.integer("limit", minimum=1, maximum=MAX_LIST_LIMIT)
    return offset, DEFAULT_LIST_LIMIT if limit is None else limit


def _whole_number(text: str) -> Any:
    return int(text) if text.isascii() and text.lstrip("-").isdigit() else text


def paged(name: str, items: list, total: int, offset: int, limit: int) -> dict:
    """A list's page: the items, how many there are in all, and the next page's offset."""
    following = offset + limit
    return {
        name: items,
        "total": total,
        "offset": offset,
        "limit": limit,
        "next_offset": following if following < total else None,
    }


def list_orders() -> Any:
    """A page of the orders, oldest first; ``?status=`` and ``?publisher_id=`` filter
    (through an index)."""
    status = request.args.get("status")
    publisher = request.args.get("publisher_id")
    account = None if publisher is None else publisher_id(publisher, "publisher_id")
    offset, limit = page_window()
    page = current_mock().state.orders_page(status, account, offset, limit)
    return paged("orders", [order_to_json(o) for o in page.orders], page.total, offset, limit)


def get_order(order_id: str) -> Any:
    order = current_mock().state.order(order_id)
    if order is None:
        return error_response(404, f"no order {order_id}")
    return order_to_json(order)


def change_order(order_id: str) -> Any:
    """Merge the given fields; the last modified time moves to now unless given."""
    changes = _json_body()
    state = current_mock().state
    now = state.now()
    try:
        with filling_factory(f"fill:{order_id}", midnight(now)) as factory:
            order = state.change_order(
                order_id, lambda order: changed_order(order, changes, factory, modified_at=now)
            )
    except UnknownOrderError:
        return error_response(404, f"no order {order_id}")
    except UnknownAccountError as exc:
        raise ControlError("publisher_id", str(exc)) from None
    return order_to_json(order)


# --- shipments, journal, faults, settings ------------------------------------------------------


def list_shipments() -> Any:
    """A page of the shipments, in the order they were received."""
    offset, limit = page_window()
    shipments, total = current_mock().state.shipments_page(offset, limit)
    return paged("shipments", [shipment_to_json(s) for s in shipments], total, offset, limit)


def list_requests() -> Any:
    """The journal, oldest first; ``?status=4xx`` (or ``404``, ``reset``), ``?action=`` and
    ``?order=`` keep the matching entries."""
    unknown = sorted(set(request.args) - set(REQUEST_FILTERS) - set(PAGE_PARAMETERS))
    if unknown:
        raise ControlError(unknown[0], f"is not a filter: use {', '.join(REQUEST_FILTERS)}")
    status = request.args.get("status")
    if status is not None and not valid_status_filter(status.lower()):
        raise ControlError("status", f"must be {' or '.join(STATUS_FILTER_FORMS)}")
    wanted = JournalFilter(
        status=None if status is None else status.lower(),
        action=request.args.get("action"),
        order=request.args.get("order"),
    )
    offset, limit = page_window()
    entries, total = current_mock().state.journal_page(wanted, offset, limit)
    return paged("requests", [entry_to_json(entry) for entry in entries], total, offset, limit)


def get_request(entry_id: int) -> Any:
    entry = current_mock().state.journal_entry(entry_id)
    if entry is None:
        return error_response(
            404, f"the journal holds no request {entry_id} (it keeps the latest ones)"
        )
    return entry_to_json(entry)


def clear_requests() -> Any:
    current_mock().state.clear_journal()
    return {"requests": []}


def list_faults() -> Any:
    return {"faults": [fault_to_json(fault) for fault in current_mock().state.faults()]}


def add_fault() -> Any:
    fault = fault_from_json(_json_body())
    current_mock().state.queue_fault(fault)
    return fault_to_json(fault), 201


def clear_faults() -> Any:
    current_mock().state.clear_faults()
    return {"faults": []}


def get_settings() -> Any:
    return settings_to_json(current_mock().state.settings)


def change_settings() -> Any:
    changes = settings_changes(_json_body())
    return settings_to_json(current_mock().state.update_settings(**changes))
