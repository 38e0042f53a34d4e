"""The web dashboard at ``/__admin/``: what the mock holds and what it was sent, as HTML.

Server-rendered Jinja2 (``templates/dashboard/``, autoescaped, ``StrictUndefined``) and one
stylesheet (``static/dashboard.css``). Every action is a plain form POST answered by a redirect
(POST/redirect/GET), so nothing needs JavaScript; bad input re-renders the page with a 400 and
a message; a form posted from another site is refused. With an admin token configured, the
dashboard needs it too: as the JSON API's header, or once as ``?token=`` on a GET, which sets an
HttpOnly cookie that later pages and forms carry.
"""

from __future__ import annotations

import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode

from flask import (
    Flask,
    Response,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from jinja2 import StrictUndefined
from lxml import etree
from werkzeug.datastructures import MultiDict

from mock_inksoft.admin import ADMIN_PREFIX, GENERATE_FIELDS, MAX_GENERATED, require_admin_token
from mock_inksoft.catalog import STATUSES
from mock_inksoft.context import current_mock
from mock_inksoft.control_json import FAULT_FIELDS, fault_from_json, settings_changes
from mock_inksoft.drafts import generate_orders
from mock_inksoft.fields import ControlError, Reader
from mock_inksoft.models import (
    EMPTY_EXPORT_MODES,
    FAULT_ACTIONS,
    FAULT_TYPES,
    Account,
    Address,
    Item,
    JournalEntry,
    Order,
    Shipment,
)
from mock_inksoft.order_json import ADDRESS_FIELDS, BILL_TO_FIELDS
from safexml import XmlError, parse_xml

UI_PREFIX = f"{ADMIN_PREFIX}ui/"
STATIC_DIR = Path(__file__).parent / "static"
TOKEN_COOKIE = "mock_inksoft_admin_token"  # noqa: S105 - a cookie name
ORDER_STATUSES = tuple(name for name, _ in STATUSES)
ORDERS_SHOWN = 500
SUMMARY_LINES = 3
STATUS_TONES = {
    "Unauthorized": "payment",
    "Pending Approval": "payment",
    "Open": "awaiting",
    "Ready to Ship": "awaiting",
    "On Hold": "hold",
    "Shipped": "shipped",
    "Completed": "shipped",
    "Canceled": "cancelled",
    "Ready for Pick Up": "pickup",
}
FORM_DEFAULTS = {
    "count": "10",
    "seed": "1",
    "status": "",
    "type": "status",
    "action": "export",
    "times": "1",
    "order_number": "",
    "page": "",
    "http_status": "",
    "retry_after": "",
    "seconds": "",
    "body": "",
}
FIELD_LABELS = {
    "count": "Count",
    "seed": "Seed",
    "status": "HTTP status",
    "type": "Type",
    "action": "Action",
    "times": "Times",
    "order_number": "Order number",
    "page": "Page",
    "retry_after": "Retry-After",
    "seconds": "Seconds",
    "body": "Body",
    "empty_export": "Empty export",
    "name": "Name",
    "company": "Company",
    "address1": "Address 1",
    "address2": "Address 2",
    "city": "City",
    "state": "State",
    "postal_code": "Postal code",
    "country": "Country",
    "phone": "Phone",
    "email": "E-mail",
}
NUMERIC_FIELDS = frozenset({"count", "seed", "times", "page", "status", "retry_after", "seconds"})
FAULT_FORM = {name: name for name in FAULT_FIELDS if name != "status"} | {"http_status": "status"}


def init_app(app: Flask) -> None:
    """Configure ``app`` for the dashboard: a strict Jinja2 environment, a flash session."""
    app.jinja_options = {**app.jinja_options, "undefined": StrictUndefined}
    app.secret_key = secrets.token_bytes(32)  # flashed messages only; state lives in memory
    app.config.update(SESSION_COOKIE_PATH=ADMIN_PREFIX, SESSION_COOKIE_SAMESITE="Lax")


def is_dashboard_path(path: str) -> bool:
    return path == ADMIN_PREFIX or path.startswith(UI_PREFIX)


# --- who may use it ---------------------------------------------------------------------------


def guard() -> Response | None:
    """Before every dashboard request: refuse a form posted from another site, then check the
    admin token. None lets the request through."""
    if request.method == "POST" and _cross_site():
        return error_page(403, "A form from another site cannot drive this dashboard.")
    if request.endpoint == "dashboard_static":
        return None  # the stylesheet holds no secret, and styles the token page too
    return _require_token()


def _cross_site() -> bool:
    """Whether the browser says the request comes from another origin (another port too)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and origin != request.host_url.rstrip("/")


def _require_token() -> Any:
    """None when no token is configured or the request carries it (header or cookie); a
    redirect setting the cookie for a GET with the right ``?token=``; else a 401 page."""
    token = current_mock().admin_token
    if token is None or require_admin_token() is None:
        return None
    if _same(request.cookies.get(TOKEN_COOKIE), token):
        return None
    given = request.args.get("token")
    if given is not None and request.method == "GET" and _same(given, token):
        response = redirect(_url_without_token(), 303)
        response.set_cookie(TOKEN_COOKIE, token, path=ADMIN_PREFIX, httponly=True, samesite="Lax")
        return response
    wrong = "That is not the admin token." if given is not None else None
    response = Response(render_template("dashboard/token.html", wrong=wrong), 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="mock InkSoft control API"'
    return response


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _url_without_token() -> str:
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
    return request.path + (f"?{urlencode(kept)}" if kept else "")


def error_page(status: int, message: str) -> Response:
    return Response(render_template("dashboard/error.html", status=status, message=message), status)


# --- view models -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserRow:
    username: str
    permissions: list[str]


@dataclass(frozen=True)
class AccountRow:
    publisher_id: int
    active: bool
    users: list[UserRow]


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    order_number: str
    status: str
    tone: str
    last_modified: str
    customer: str
    email: str
    ship_to: str
    items: int
    summary: list[str]
    more: int


@dataclass(frozen=True)
class ItemRow:
    line_item_id: str
    sku: str
    name: str
    options: str
    quantity: int
    unit_price: str
    weight: str
    location: str
    image_url: str
    kind: str  # "to ship", "shipped" or "adjustment"


@dataclass(frozen=True)
class ShipmentRow:
    index: int
    order_id: str
    order_number: str
    carrier: str
    service: str
    tracking_number: str
    fee: str
    notes: str
    received_at: str
    duplicates: int


@dataclass(frozen=True)
class JournalRow:
    time: str
    method: str
    target: str
    action: str
    username: str
    status: str
    tone: str
    fault: str


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def money(amount: float | None) -> str:
    return "—" if amount is None else f"{amount:.2f}"


def account_rows(accounts: list[Account]) -> list[AccountRow]:
    """The accounts with their users' names and permissions, never their passwords."""
    return [
        AccountRow(
            account.publisher_id,
            account.active,
            [UserRow(user.username, list(user.permissions)) for user in account.users],
        )
        for account in sorted(accounts, key=lambda a: a.publisher_id)
    ]


def item_summary(item: Item) -> str:
    """``2 × Eagles Front Logo · Navy · L``: design, colour and size, else the item's name."""
    options = {option.name: option.value for option in item.options}
    parts = [options[name] for name in ("Design", "Color", "Size") if name in options]
    return f"{item.quantity} × {' · '.join(parts) if parts else item.name}"


def order_row(order: Order) -> OrderRow:
    goods = [item for item in order.items if not item.adjustment]
    ship_to = order.customer.ship_to
    summary = [item_summary(item) for item in goods]
    return OrderRow(
        order_id=order.order_id,
        order_number=order.order_number,
        status=order.status,
        tone=STATUS_TONES.get(order.status, "other"),
        last_modified=when(order.last_modified),
        customer=order.customer.bill_to.name,
        email=order.customer.email,
        ship_to="no shipping address" if ship_to is None else f"{ship_to.city}, {ship_to.country}",
        items=sum(item.quantity for item in goods),
        summary=summary[:SUMMARY_LINES],
        more=max(0, len(summary) - SUMMARY_LINES),
    )


def status_choices(orders: list[Order]) -> list[tuple[str, int]]:
    """Every status the filter offers, with how many orders hold it: the catalogue's, then any
    other status an order was given."""
    counts: dict[str, int] = dict.fromkeys(ORDER_STATUSES, 0)
    for order in orders:
        counts[order.status] = counts.get(order.status, 0) + 1
    return list(counts.items())


def notices_received(journal: list[JournalEntry]) -> dict[tuple[str, str], int]:
    """How many accepted ``shipnotify`` requests the journal holds per (order, tracking)."""
    counts: dict[tuple[str, str], int] = {}
    for entry in journal:
        if entry.action != "shipnotify" or entry.status != 200:
            continue
        query = parse_qs(entry.query)
        key = (query.get("order_number", [""])[0], query.get("tracking_number", [""])[0])
        counts[key] = counts.get(key, 0) + 1
    return counts


def shipment_rows(shipments: list[Shipment], journal: list[JournalEntry]) -> list[ShipmentRow]:
    """The notices applied, in order; ``duplicates`` counts the retries the journal still holds."""
    received = notices_received(journal)
    rows = []
    for index, shipment in enumerate(shipments):
        notice = shipment.notice
        references = {shipment.order_number, shipment.order_id}  # the query may name either
        seen = sum(received.get((ref, notice.tracking_number), 0) for ref in references)
        rows.append(
            ShipmentRow(
                index=index,
                order_id=shipment.order_id,
                order_number=shipment.order_number,
                carrier=notice.carrier,
                service=notice.service,
                tracking_number=notice.tracking_number,
                fee=money(notice.shipping_cost),
                notes=notice.notes_to_customer or "",
                received_at=when(shipment.received_at),
                duplicates=max(0, seen - 1),
            )
        )
    return rows


def journal_row(entry: JournalEntry) -> JournalRow:
    if entry.status is None:
        status, tone = "reset", "error"
    else:
        status, tone = str(entry.status), "ok" if entry.status < 400 else "error"
    return JournalRow(
        time=when(entry.time),
        method=entry.method,
        target=entry.path + (f"?{unquote_plus(entry.query)}" if entry.query else ""),
        action=entry.action or "",
        username=entry.username or "",
        status=status,
        tone=tone,
        fault=entry.fault or "",
    )


def pretty_xml(raw: str) -> str | None:
    """``raw`` re-indented for reading (None when it is not XML the hardened parser takes)."""
    try:
        root = parse_xml(raw.encode("utf-8"))
    except XmlError:
        return None
    etree.indent(root)
    return etree.tostring(root, encoding="unicode")


def labelled(record: object, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """``record``'s fields ``names`` as label and text (``—`` for an empty one)."""
    return [(FIELD_LABELS.get(name, name), getattr(record, name) or "—") for name in names]


def address_fields(address: Address | None) -> list[tuple[str, str]]:
    if address is None:
        return [("Address", "none: the order is exported without a shipping address")]
    return labelled(address, ADDRESS_FIELDS)


def item_rows(items: list[Item]) -> list[ItemRow]:
    return [
        ItemRow(
            line_item_id=item.line_item_id or "—",
            sku=item.sku,
            name=item.name,
            options=", ".join(f"{o.name}: {o.value}" for o in item.options) or "—",
            quantity=item.quantity,
            unit_price=money(item.unit_price),
            weight="—" if item.weight is None else f"{item.weight:g} {item.weight_units}",
            location=item.location or "—",
            image_url=item.image_url or "",
            kind="adjustment" if item.adjustment else ("shipped" if item.shipped else "to ship"),
        )
        for item in items
    ]


def order_fields(order: Order) -> list[tuple[str, str]]:
    """Every order-level field, as label and text."""
    weight = order.weight
    return [
        ("Publisher ID", str(order.publisher_id)),
        ("Order ID", order.order_id),
        ("Order number", order.order_number),
        ("Status", order.status),
        ("Order date", when(order.order_date)),
        ("Last modified", when(order.last_modified)),
        ("Shipping method", order.shipping_method or "—"),
        ("Payment method", order.payment_method or "—"),
        ("Order total", money(order.order_total)),
        ("Tax", money(order.tax_amount)),
        ("Shipping", money(order.shipping_amount)),
        ("Customer notes", order.customer_notes or "—"),
        ("Internal notes", order.internal_notes or "—"),
        ("Gift", "—" if order.gift is None else ("yes" if order.gift else "no")),
        ("Gift message", order.gift_message or "—"),
        ("Coupon codes", ", ".join(order.coupon_codes) or "—"),
        ("Weight", "—" if weight is None else f"{weight.value:g} {weight.units}"),
        ("Customer e-mail", order.customer.email),
    ]


# --- pages -------------------------------------------------------------------------------------


def index() -> Response:
    return _index_page()


def _index_page(
    status: int = 200, error: tuple[str, str] | None = None, form: MultiDict | None = None
) -> Response:
    """The dashboard; ``error`` is (form name, message) after bad input, with ``form``'s values."""
    state = current_mock().state
    everything = state.orders()
    wanted = request.args.get("status", "")
    chosen = sorted(
        (o for o in everything if not wanted or o.status == wanted),
        key=Order.export_key,
        reverse=True,
    )
    journal = state.journal()
    page = render_template(
        "dashboard/index.html",
        accounts=account_rows(state.accounts()),
        settings=state.settings,
        faults=state.faults(),
        orders=[order_row(order) for order in chosen[:ORDERS_SHOWN]],
        orders_matching=len(chosen),
        orders_total=len(everything),
        status_filter=wanted,
        statuses=status_choices(everything),
        shipments=shipment_rows(state.shipments(), journal),
        journal=[journal_row(entry) for entry in reversed(journal)],
        values={**FORM_DEFAULTS, **(form.to_dict() if form else {})},
        error=error,
        order_statuses=ORDER_STATUSES,
        fault_types=FAULT_TYPES,
        fault_actions=FAULT_ACTIONS,
        empty_export_modes=EMPTY_EXPORT_MODES,
        max_generated=MAX_GENERATED,
    )
    return Response(page, status)


def order_page(order_id: str) -> Response:
    mock = current_mock()
    order = mock.state.order(order_id)
    if order is None:
        return error_page(404, f"The mock holds no order {order_id}.")
    page = render_template(
        "dashboard/order.html",
        order=order_row(order),
        fields=order_fields(order),
        bill_to=labelled(order.customer.bill_to, BILL_TO_FIELDS),
        ship_to=address_fields(order.customer.ship_to),
        items=item_rows(order.items),
        shipments=[
            row
            for row in shipment_rows(mock.state.shipments(), mock.state.journal())
            if row.order_id == order.order_id
        ],
        exported=mock.renderer.orders([order], 1).decode("utf-8"),
    )
    return Response(page)


def shipment_page(index: int) -> Response:
    state = current_mock().state
    shipments = state.shipments()
    if index >= len(shipments):
        return error_page(404, f"The mock holds no shipment #{index + 1}.")
    row = shipment_rows(shipments, state.journal())[index]
    raw = shipments[index].notice.raw
    page = render_template("dashboard/shipment.html", shipment=row, raw=raw, pretty=pretty_xml(raw))
    return Response(page)


def static_file(filename: str) -> Response:
    return send_from_directory(STATIC_DIR, filename)


# --- actions -----------------------------------------------------------------------------------


def _done(message: str) -> Any:
    flash(message)
    return redirect(url_for("dashboard"), 303)


def _refused(form_name: str, error: ControlError) -> Response:
    label = FIELD_LABELS.get(error.field, error.field)
    problem = str(error).removeprefix(error.field).strip()
    return _index_page(400, (form_name, f"{label} {problem}."), request.form)


def _form_json(fields: dict[str, str]) -> dict[str, Any]:
    """The non-blank form fields, keyed by the JSON names ``fields`` maps them to, as the
    control API reads them: a numeric field's text as a number when it is one (else as text,
    which the reader then refuses with a message naming the field)."""
    data: dict[str, Any] = {}
    for name, key in fields.items():
        text = request.form.get(name, "").strip()
        if text:
            data[key] = _number(text) if key in NUMERIC_FIELDS else text
    return data


def _number(text: str) -> int | float | str:
    """``text`` as a whole or a finite number, else unchanged."""
    for kind in (int, float):
        try:
            value = kind(text)
        except ValueError:
            continue
        if math.isfinite(value):
            return value
    return text


def generate() -> Response:
    """``count`` Faker orders from ``seed``, all with ``status`` when one is chosen."""
    status = request.form.get("status", "")
    if status and status not in ORDER_STATUSES:
        message = f"Status must be one of {', '.join(ORDER_STATUSES)}, or left to Faker."
        return _index_page(400, ("generate", message), request.form)
    try:
        options = Reader(_form_json({"count": "count", "seed": "seed"}), "", GENERATE_FIELDS)
        count = options.integer("count", required=True, minimum=1, maximum=MAX_GENERATED)
        seed = options.integer("seed", minimum=0) or 0
    except ControlError as exc:
        return _refused("generate", exc)
    state = current_mock().state
    orders = generate_orders(state, count, seed, {"status": status} if status else {}, None)
    state.add_orders(orders)
    numbers = orders[0].order_number + (f"–{orders[-1].order_number}" if count > 1 else "")
    return _done(f"Generated {count} order{'s' if count > 1 else ''} ({numbers}) with seed {seed}.")


def change_empty_export() -> Response:
    try:
        changes = settings_changes({"empty_export": request.form.get("empty_export")})
    except ControlError as exc:
        return _refused("settings", exc)
    settings = current_mock().state.update_settings(**changes)
    return _done(f"An empty export now answers the {settings.empty_export!r} way.")


def add_fault() -> Response:
    try:
        fault = fault_from_json(_form_json(FAULT_FORM))
    except ControlError as exc:
        return _refused("fault", exc)
    current_mock().state.queue_fault(fault)
    return _done(f"Queued a {fault.type!r} fault for action {fault.action!r} ({fault.times}×).")


def clear_faults() -> Response:
    current_mock().state.clear_faults()
    return _done("Cleared the queued faults.")


def reset() -> Response:
    current_mock().state.reset()
    return _done("Reset: the default account and settings, no orders, shipments or faults.")
