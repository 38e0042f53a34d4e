"""The dashboard's pages: the overview, an order, a shipment notice, a journalled request,
and the stylesheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, render_template, request, send_from_directory, url_for
from werkzeug.datastructures import MultiDict

from mock_inksoft.config import EMPTY_EXPORT_MODES
from mock_inksoft.context import current_mock
from mock_inksoft.dashboard.access import error_page
from mock_inksoft.dashboard.views import (
    ORDER_STATUSES,
    Pager,
    account_rows,
    address_fields,
    item_rows,
    journal_row,
    labelled,
    notice_fields,
    order_fields,
    order_row,
    pretty_xml,
    request_fields,
    shipment_row,
    status_choices,
)
from mock_inksoft.drafts import GENERATED_MEMORY_BUDGET, GENERATED_ORDER_BYTES
from mock_inksoft.journal import JOURNAL_BODY_LIMIT
from mock_inksoft.models import FAULT_ACTIONS, FAULT_TYPES
from mock_inksoft.order_json import BILL_TO_FIELDS

STATIC_DIR = Path(__file__).parent.parent / "static"
ORDERS_SHOWN = 100  # a page of the orders table
SHIPMENTS_SHOWN = 50  # a page of the shipments received
JOURNAL_SHOWN = 50  # a page of the request journal
PAGE_ARGUMENTS = ("status", "page", "shipments_page", "journal_page")
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


def index_page(
    status: int = 200, error: tuple[str, str] | None = None, form: MultiDict | None = None
) -> Response:
    """The dashboard; ``error`` is (form name, message) after bad input, with ``form``'s values.

    Its three lists are pages, newest first (``?page=``, ``?shipments_page=``,
    ``?journal_page=``): each a slice of what the state holds, so the page costs the same at a
    million orders as at ten."""
    state = current_mock().state
    wanted = request.args.get("status", "")
    orders = _pager("page", ORDERS_SHOWN)
    chosen = state.orders_page(
        status=wanted or None, offset=orders.offset, limit=orders.size, newest_first=True
    )
    shipments = _pager("shipments_page", SHIPMENTS_SHOWN)
    shipped, shipments_total = state.shipments_page(
        shipments.offset, shipments.size, newest_first=True
    )
    journal = _pager("journal_page", JOURNAL_SHOWN)
    entries, journal_total = state.journal_page(
        offset=journal.offset, limit=journal.size, newest_first=True
    )
    counts = state.status_counts()
    page = render_template(
        "dashboard/index.html",
        accounts=account_rows(state.accounts()),
        settings=state.settings,
        faults=state.faults(),
        orders=[order_row(order) for order in chosen.orders],
        orders_pager=orders.of(chosen.total),
        orders_total=sum(counts.values()),
        status_filter=wanted,
        statuses=status_choices(counts),
        shipments=[
            shipment_row(shipments_total - 1 - number, shipment, state.notices_journalled(shipment))
            for number, shipment in enumerate(shipped, start=shipments.offset)
        ],
        shipments_pager=shipments.of(shipments_total),
        journal=[journal_row(entry) for entry in entries],
        journal_pager=journal.of(journal_total),
        page_url=_page_url,
        values={**FORM_DEFAULTS, **(form.to_dict() if form else {})},
        error=error,
        order_statuses=ORDER_STATUSES,
        fault_types=FAULT_TYPES,
        fault_actions=FAULT_ACTIONS,
        empty_export_modes=EMPTY_EXPORT_MODES,
        default_publisher_id=state.default_publisher_id,
        max_generated=GENERATED_MEMORY_BUDGET // GENERATED_ORDER_BYTES,
    )
    return Response(page, status)


def _pager(parameter: str, size: int) -> Pager:
    """The page of a list that ``?{parameter}=`` asks for: 1 unless a whole number >= 1."""
    text = request.args.get(parameter, "")
    number = int(text) if text.isascii() and text.isdigit() and int(text) >= 1 else 1
    return Pager(parameter, number, size)


def _page_url(parameter: str, number: int, anchor: str) -> str:
    """This overview with page ``number`` of the list ``parameter`` names, the other lists'
    pages and the status filter kept."""
    kept: dict[str, Any] = {
        name: request.args[name] for name in PAGE_ARGUMENTS if request.args.get(name)
    }
    kept[parameter] = number
    return url_for("dashboard.index_page", _anchor=anchor, **kept)


def order_page(order_id: str) -> Response:
    mock = current_mock()
    state = mock.state
    order = state.order(order_id)
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
            shipment_row(index, shipment, state.notices_journalled(shipment))
            for index, shipment in state.shipments_of(order.order_id)
        ],
        exported=mock.renderer.orders([order], 1).decode("utf-8"),
    )
    return Response(page)


def shipment_page(index: int) -> Response:
    state = current_mock().state
    shipment = state.shipment(index)
    if shipment is None:
        return error_page(404, f"The mock holds no shipment #{index + 1}.")
    row = shipment_row(index, shipment, state.notices_journalled(shipment))
    raw = shipment.notice.raw
    page = render_template("dashboard/shipment.html", shipment=row, raw=raw, pretty=pretty_xml(raw))
    return Response(page)


def request_page(entry_id: int) -> Response:
    """One journal entry, whole: the answer's Code and Message, warnings, the request, its body
    and the notice it carried."""
    entry = current_mock().state.journal_entry(entry_id)
    if entry is None:
        return error_page(404, f"The journal holds no request #{entry_id}; it keeps the latest.")
    page = render_template(
        "dashboard/request.html",
        entry=entry,
        row=journal_row(entry),
        fields=request_fields(entry),
        notice=None if entry.notice is None else notice_fields(entry.notice),
        pretty=pretty_xml(entry.body) if entry.body else None,
        body_truncated=entry.body_bytes > JOURNAL_BODY_LIMIT,
    )
    return Response(page)


def static_file(filename: str) -> Response:
    return send_from_directory(STATIC_DIR, filename)
