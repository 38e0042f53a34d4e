"""A second, small Custom Store endpoint, written apart from mock_inksoft (which it never
imports), with each failure mode of store-failure-modes.md as a switch.

It keeps a log of every request it receives, so a test can prove what reached it.
"""

from __future__ import annotations

import base64
import re
import threading
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

PATH = "/10001/shipstation"
DEFECTS = {
    "empty_200_on_bad_credentials": 1,
    "stray_output": 2,
    "authorization_stripped": 3,
    "query_credentials_ignored": 4,
    "unescaped_text": 5,
    "double_escaped_text": 5,
    "server_time_zone": 6,
    "strict_dates": 7,
    "creation_date_filter": 8,
    "no_pages_attribute": 9,
    "duplicates_across_pages": 9,
    "error_past_end": 9,
    "slow_pages": 10,
    "bad_order": 11,
    "custom_statuses": 12,
    "notice_by_id_only": 13,
    "notice_quirks_crash": 14,
    "partial_completes_order": 15,
}
# How long a page of orders after the first takes at least in the slow_pages store (the deeper
# pages of a large window are the slow ones; the first, which every probe asks for, is not
# slowed): over the page budget of the store-mode runs (test_store_mode.PAGE_BUDGET), however
# fast the machine.
SLOW_PAGE_SECONDS = 0.08
# How often the serving loop looks for a stop request: stop() waits for it (socketserver's
# default, 0.5 s, was most of a test's teardown).
STOP_POLL_SECONDS = 0.01
STATUSES = ("Ready to Ship", "Open", "Shipped", "Canceled", "On Hold", "Pending Approval")
DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?", re.I
)
# Defects that touch one order touch these, on different pages (the newest orders come last).
TEXT_ORDER, BAD_ORDER = "880001", "880030"
STRICT_DATE = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")


@dataclass
class Logged:
    method: str
    query: dict[str, list[str]]
    body: bytes


@dataclass
class Order:
    order_id: str
    number: str
    status: str
    created: datetime
    modified: datetime
    notes: str
    lines: dict[str, bool] = field(default_factory=dict)  # line item ID → shipped
    tracking: set[tuple[str, str]] = field(default_factory=set)


def _date(text: str) -> datetime:
    match = DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    month, day, year, hour, minute, second, meridiem = match.groups()
    hour_of_day = (
        int(hour) % 12 + (12 if meridiem.upper() == "PM" else 0) if meridiem else int(hour)
    )
    return datetime(int(year), int(month), int(day), hour_of_day, int(minute), int(second or 0),
                    tzinfo=timezone.utc)  # fmt: skip


class CustomStore:
    """``CustomStore({"paging_duplicates"}).start()``: an endpoint at ``.url`` with 45 orders."""

    def __init__(
        self,
        defects: set[str] = frozenset(),
        *,
        orders: int = 45,
        page_size: int = 20,
        user: str = "shipstation",
        password: str = "S3cret pass&word",  # noqa: S107 - the test store's own
    ) -> None:
        unknown = set(defects) - set(DEFECTS)
        assert not unknown, f"no such defect: {unknown}"
        self.defects = set(defects)
        self.user, self.password, self.page_size = user, password, page_size
        self.log: list[Logged] = []
        self.lock = threading.Lock()
        now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
        self.orders = [self._order(i, now) for i in range(orders)]

    def _order(self, i: int, now: datetime) -> Order:
        modified = now - timedelta(minutes=10 + 157 * i)
        created = modified - timedelta(days=40 if i == 0 else 1 + i % 4)
        status = STATUSES[i % len(STATUSES)]
        if "custom_statuses" in self.defects and i in (31, 32):
            status = ("ready to ship", "Awaiting Pickup")[i - 31]
        order = Order(str(880000 + i), f"W-{1000 + i}", status, created, modified,
                      f"Order {i}: Tom & Jerry's <b>tees</b> — café")  # fmt: skip
        order.lines = {f"{order.order_id}-1": False, f"{order.order_id}-2": False}
        return order

    # --- serving

    def start(self) -> CustomStore:
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                store.handle(self, "GET")

            def do_POST(self) -> None:
                store.handle(self, "POST")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, args=(STOP_POLL_SECONDS,), daemon=True
        ).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{PATH}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        with self.lock:
            self.log.append(Logged(method, query, body))
        status, content_type, payload = self.answer(
            method, parts.path, query, request.headers, body
        )
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    # --- the protocol

    def answer(self, method: str, path: str, query: dict, headers, body: bytes):
        if path != PATH:
            return error(404, "UnknownPublisher", "no such store")
        if not self.authorized(query, headers):
            if "empty_200_on_bad_credentials" in self.defects:
                return 200, "text/xml", b""
            return error(401, "InvalidCredentials", "wrong username or password")
        action = (query.get("action") or [""])[0]
        try:
            if action == "export" and method == "GET":
                return self.export(query)
            if action == "shipnotify" and method == "POST":
                return self.ship_notify(query, body)
        except ValueError as exc:
            return error(400, "InvalidRequest", str(exc))
        return error(400, "InvalidRequest", f"unknown action {action!r}")

    def authorized(self, query: dict, headers) -> bool:
        header = headers.get("Authorization", "")
        if header.startswith("Basic ") and "authorization_stripped" not in self.defects:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            if (user, password) == (self.user, self.password):
                return True
        if "query_credentials_ignored" in self.defects:
            return False
        user = (query.get("SS-UserName") or [headers.get("SS-UserName")])[0]
        password = (query.get("SS-Password") or [headers.get("SS-Password")])[0]
        return (user, password) == (self.user, self.password)

    def window(self, query: dict) -> tuple[datetime, datetime]:
        texts = [(query.get(name) or [""])[0] for name in ("start_date", "end_date")]
        if "strict_dates" in self.defects and not all(STRICT_DATE.fullmatch(t) for t in texts):
            raise RuntimeError("DateTime.ParseExact failed")  # a crash: answered 500
        start, end = (_date(text) for text in texts)
        if "server_time_zone" in self.defects:
            return start + timedelta(hours=5), end + timedelta(hours=5)
        return start, end

    def export(self, query: dict):
        try:
            start, end = self.window(query)
        except RuntimeError as exc:
            return 500, "text/html", f"<html><body>500 {exc}</body></html>".encode()
        page_text = (query.get("page") or ["1"])[0]
        if not page_text.isdigit() or int(page_text) < 1:
            raise ValueError(f"page {page_text!r} is not a page number")
        page = int(page_text)
        by = "created" if "creation_date_filter" in self.defects else "modified"
        with self.lock:
            chosen = sorted((o for o in self.orders if start <= getattr(o, by) <= end),
                            key=lambda o: (o.modified, o.order_id))  # fmt: skip
        pages = -(-len(chosen) // self.page_size)
        if page > max(pages, 1) and "error_past_end" in self.defects:
            return 500, "text/html", b"<html><body>Index out of range</body></html>"
        first = (page - 1) * self.page_size
        if "duplicates_across_pages" in self.defects and page > 1:
            first -= 1
        shown = chosen[first : first + self.page_size]
        if page > 1 and shown and "slow_pages" in self.defects:
            time.sleep(SLOW_PAGE_SECONDS)
        attribute = "" if "no_pages_attribute" in self.defects else f' pages="{pages}"'
        xml = f'<?xml version="1.0" encoding="utf-8"?>\n<Orders{attribute}>'
        xml += "".join(self.render(order) for order in shown) + "</Orders>"
        payload = xml.encode()
        if "stray_output" in self.defects:
            return 200, "text/html", b"Notice: Undefined index: page on line 12\n" + payload
        return 200, "text/xml; charset=utf-8", payload

    def render(self, order: Order) -> str:
        notes = escape(order.notes)
        if order.order_id == TEXT_ORDER and "unescaped_text" in self.defects:
            notes = order.notes
        if order.order_id == TEXT_ORDER and "double_escaped_text" in self.defects:
            notes = escape(notes)
        bad = order.order_id == BAD_ORDER and "bad_order" in self.defects
        items = "".join(
            f"<Item><LineItemID>{line}</LineItemID>{'' if bad else f'<SKU>SKU-{n}</SKU>'}"
            f"<Name>Tee {n}</Name><Quantity>1</Quantity><UnitPrice>10.00</UnitPrice></Item>"
            for n, line in enumerate(order.lines, 1)
        )
        return (
            f"<Order><OrderID>{order.order_id}</OrderID><OrderNumber>{order.number}</OrderNumber>"
            f"<OrderDate>{order.created:%m/%d/%Y %H:%M}</OrderDate>"
            f"<OrderStatus>{escape(order.status)}</OrderStatus>"
            f"<LastModified>{order.modified:%m/%d/%Y %H:%M}</LastModified>"
            f"<OrderTotal>{'n/a' if bad else '20.00'}</OrderTotal>"
            f"<CustomerNotes>{notes}</CustomerNotes>"
            "<Customer><CustomerCode>jane@example.com</CustomerCode>"
            "<BillTo><Name>Jane Doe</Name></BillTo><ShipTo><Name>Jane Doe</Name>"
            "<Address1>12 Main St</Address1><City>Austin</City><State>TX</State>"
            "<PostalCode>78701</PostalCode><Country>US</Country></ShipTo></Customer>"
            f"<Items>{items}</Items></Order>"
        )

    def ship_notify(self, query: dict, body: bytes):
        quirks = "notice_quirks_crash" in self.defects
        service = (query.get("service") or [""])[0]
        if quirks and (not service or b"<!DOCTYPE" in body):
            return 500, "text/html", b"<html><body>NullReferenceException</body></html>"
        if not body.strip() or b"<!DOCTYPE" in body:
            return error(400, "MalformedXml", "the notice is empty or declares a DOCTYPE")
        try:
            notice = ElementTree.fromstring(body)
        except ElementTree.ParseError as exc:
            return error(400, "MalformedXml", str(exc))
        order_id = notice.findtext("OrderID")
        number = (query.get("order_number") or [""])[0]
        with self.lock:
            if "notice_by_id_only" in self.defects:
                order = next((o for o in self.orders if o.order_id == (order_id or number)), None)
            else:
                order = next(
                    (o for o in self.orders if o.order_id == order_id or o.number == number),
                    None,
                )
            if order is None:
                return error(404, "UnknownOrder", f"no order {order_id or number}")
            key = (notice.findtext("Carrier") or "", notice.findtext("TrackingNumber") or "")
            if key not in order.tracking:
                order.tracking.add(key)
                listed = [i.findtext("LineItemID") for i in notice.findall("Items/Item")]
                for line in listed or list(order.lines):
                    order.lines[line] = True
                done = all(order.lines.values()) or "partial_completes_order" in self.defects
                if done:
                    order.status = "Shipped"
                order.modified = datetime.now(timezone.utc).replace(second=0, microsecond=0)
        return 200, "text/xml", b""


def error(status: int, code: str, message: str):
    body = f"<Error><Code>{code}</Code><Message>{escape(message)}</Message></Error>"
    return status, "text/xml; charset=utf-8", body.encode()
