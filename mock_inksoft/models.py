"""The mock InkSoft's state and its rules, behind one lock. No Flask in here.

Accounts, orders, applied shipment notices, the request journal, queued faults and the
settings live in one :class:`InkSoftState`; every read and write takes its lock, and reads
hand out copies, so concurrent requests never lose or mix up an update. A stored order is
never changed in place (every change stores a new :class:`Order`), so the export hands out the
stored orders themselves, from a sorted index kept until the account's orders change. The
dataclasses an order is made of are slotted (no ``__dict__`` each), which halves what a big
shop's orders take.
"""

from __future__ import annotations

import bisect
import copy
import difflib
import itertools
import math
import threading
import typing
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum

from mock_inksoft.config import Settings
from mock_inksoft.dates import to_second

FULFILLMENT_PERMISSION = "Store Fulfillment Administration"
SHIPPED = "Shipped"
FIRST_ORDER_ID = 1048001
WEIGHT_UNITS = ("Pounds", "Ounces", "Grams")
FAULT_ACTIONS = ("export", "shipnotify", "*")
FAULT_TYPES = (
    "status",
    "delay",
    "slow_body",
    "reset",
    "truncated",
    "malformed",
    "empty",
    "wrong_content_type",
)

Clock = Callable[[], datetime]


# --- Accounts ----------------------------------------------------------------------------------


@dataclass
class User:
    username: str
    password: str
    permissions: list[str] = field(default_factory=list)

    @property
    def may_fulfil(self) -> bool:
        return FULFILLMENT_PERMISSION in self.permissions


@dataclass
class Account:
    publisher_id: int
    active: bool
    users: list[User]

    def user(self, username: str) -> User | None:
        return next((user for user in self.users if user.username == username), None)


# --- Orders ------------------------------------------------------------------------------------


@dataclass(slots=True)
class BillTo:
    name: str
    company: str | None
    phone: str | None
    email: str | None


@dataclass(slots=True)
class Address:
    """A ship-to address, or the recipient of a shipment notice."""

    name: str
    company: str | None
    address1: str
    address2: str | None
    city: str
    state: str | None
    postal_code: str
    country: str
    phone: str | None


@dataclass(slots=True)
class Customer:
    email: str
    bill_to: BillTo
    ship_to: Address | None  # None: an order without a shipping address


@dataclass(slots=True)
class Option:
    name: str
    value: str


@dataclass(slots=True)
class Weight:
    value: float
    units: str


@dataclass(slots=True)
class Item:
    line_item_id: str | None
    sku: str
    name: str
    image_url: str | None
    weight: float | None
    weight_units: str | None
    quantity: int
    unit_price: float
    location: str | None
    options: list[Option]
    adjustment: bool
    shipped: bool = False  # state kept by the mock, not part of the feed

    def answers_to(self, line_item_id: str | None, sku: str | None) -> bool:
        """Whether a shipment notice's item (by line item ID, else by SKU) means this line."""
        if line_item_id:
            return self.line_item_id == line_item_id
        return sku is not None and self.sku == sku


@dataclass(slots=True)
class Order:
    publisher_id: int
    order_id: str
    order_number: str
    order_date: datetime
    last_modified: datetime
    status: str
    shipping_method: str | None
    payment_method: str | None
    order_total: float
    tax_amount: float | None
    shipping_amount: float | None
    customer_notes: str | None
    internal_notes: str | None
    gift: bool | None
    gift_message: str | None
    coupon_codes: list[str]
    weight: Weight | None  # the InkSoft extension: the order's total weight
    customer: Customer
    items: list[Item]
    # Which stored version this is: unique for the state's lifetime (never reused, not even
    # after a reset), so a rendering cached under it can never be served for other content.
    revision: int = field(default=0, compare=False, repr=False)

    def export_key(self) -> tuple:
        """Sort key of the export: last modified, then order ID (numerically when numeric)."""
        numeric = self.order_id.isdigit()
        return (
            self.last_modified,
            0 if numeric else 1,
            int(self.order_id) if numeric else 0,
            self.order_id,
        )

    def all_lines_shipped(self) -> bool:
        return all(item.shipped for item in self.items if not item.adjustment)


# --- Shipments ---------------------------------------------------------------------------------


@dataclass
class NoticeItem:
    line_item_id: str | None
    sku: str | None
    name: str | None
    quantity: int | None


@dataclass
class ShipNotice:
    """A ``<ShipNotice>`` as received, with the query parameters' values as fallbacks."""

    order_id: str | None  # the body's OrderID, which finds the order when present
    order_number: str | None  # the query's order_number, else the body's OrderNumber
    customer_code: str | None
    notes_to_customer: str | None
    notify_customer: bool | None
    label_create_date: datetime | None
    ship_date: date | None
    carrier: str
    service: str
    tracking_number: str
    shipping_cost: float | None
    recipient: Address | None
    items: list[NoticeItem] | None  # None: the whole order ships
    raw: str
    body_order_number: str | None = None  # the body's OrderNumber, as the body gives it


@dataclass
class Shipment:
    publisher_id: int
    order_id: str
    order_number: str
    notice: ShipNotice
    received_at: datetime


class NoticeOutcome(Enum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # same order, carrier and tracking number: answered, not re-applied


# --- Journal, faults, settings -----------------------------------------------------------------


@dataclass
class JournalEntry:
    time: datetime
    method: str
    path: str
    query: str
    action: str | None
    status: int | None  # None: the connection was reset
    fault: str | None
    username: str | None
    auth: str | None  # "basic", "query", "header" or None
    headers: dict[str, str]
    code: str | None = None  # the error answer's Code, None for a success
    message: str | None = None  # the error answer's Message
    body: str = ""  # the request body as text, capped, secrets redacted
    body_bytes: int = 0  # how many bytes the body had
    notice: ShipNotice | None = None  # a shipment notice's parsed fields
    warnings: list[str] = field(default_factory=list)  # legal but suspicious
    id: int = 0  # given when recorded: unique for the state's lifetime


@dataclass
class Fault:
    type: str
    action: str = "*"
    times: int = 1
    order_number: str | None = None
    page: int | None = None
    status: int | None = None
    retry_after: int | None = None
    body: str | None = None
    seconds: float | None = None

    def matches(self, action: str | None, order_number: str | None, page: str) -> bool:
        """Whether a request with these ``action``, ``order_number`` and ``page`` parameters
        (``page`` defaults to 1) is one this fault is for."""
        if self.action not in ("*", action):
            return False
        if self.order_number is not None and self.order_number != order_number:
            return False
        return self.page is None or page == str(self.page)


@dataclass
class ExportPage:
    orders: list[Order]
    pages: int
    matching: int  # orders in the window, over all pages


class _ExportIndex:
    """An account's orders in export order, with their last-modified times for bisection.

    Kept until one of the account's orders changes: sorting on every page cost 3.87 ms a page
    of 100 at 1,000 orders, the index 0.18 ms (`python -m bench.export_rendering`;
    docs/benchmarks.md, "What was profiled and changed", item 1)."""

    def __init__(self, orders: Iterable[Order]) -> None:
        self.orders = sorted(orders, key=Order.export_key)
        self._modified = [order.last_modified for order in self.orders]

    def window(self, start: datetime, end: datetime) -> tuple[int, int]:
        """The slice ``[first, stop)`` of the orders last modified in ``[start, end]``."""
        return (
            bisect.bisect_left(self._modified, start),
            bisect.bisect_right(self._modified, end),
        )


# --- Errors ------------------------------------------------------------------------------------


class StateError(Exception):
    """A request the state refuses; the message says why."""


class UnknownAccountError(StateError):
    pass


class UnknownOrderError(StateError):
    """No order of the account answers to ``reference``; ``owner`` is the Publisher ID of the
    account that does hold it, ``closest`` the account's order numbers and IDs nearest to it."""

    def __init__(
        self, message: str, reference: str = "", owner: int | None = None, closest: tuple = ()
    ) -> None:
        super().__init__(message)
        self.reference = reference
        self.owner = owner
        self.closest: tuple[str, ...] = closest


class AccountExistsError(StateError):
    pass


class UnknownLineError(StateError):
    pass


class DuplicateOrderError(StateError):
    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index


# --- The state ---------------------------------------------------------------------------------


class InkSoftState:
    """Everything the mock knows, guarded by one lock."""

    def __init__(self, default_account: Account, default_settings: Settings, clock: Clock) -> None:
        self._default_account = default_account
        self._default_settings = default_settings
        self._clock = clock
        self._lock = threading.Lock()
        self._revisions = itertools.count(1)
        self._journal_ids = itertools.count(1)
        self._starting_orders: list[Order] = []
        self._starting_next_order_id = FIRST_ORDER_ID
        self.reset()

    def now(self) -> datetime:
        """The mock clock's time, in UTC, to the second."""
        return to_second(self._clock())

    @property
    def default_publisher_id(self) -> int:
        return self._default_account.publisher_id

    def reset(self) -> None:
        """Back to the state the mock started with: the default account and settings, the
        starting orders (:meth:`start_with`), no shipments, journal or faults."""
        with self._lock:
            self._accounts = {
                self._default_account.publisher_id: copy.deepcopy(self._default_account)
            }
            self._empty_orders()
            for order in self._starting_orders:
                self._store(copy.deepcopy(order))
            self._next_order_id = self._starting_next_order_id
            self._settings = replace(self._default_settings)
            self._journal: deque[JournalEntry] = deque(maxlen=self._settings.journal_size)
            self._faults: list[Fault] = []

    def start_with(self, orders: list[Order]) -> None:
        """Add ``orders`` as the ones the mock started with, which a reset brings back."""
        self.add_orders(orders)
        with self._lock:
            self._starting_orders = [copy.deepcopy(self._orders[o.order_id]) for o in orders]
            self._starting_next_order_id = self._next_order_id

    def clear_orders(self) -> None:
        """No orders, and no shipments of them; new order IDs start again at 1048001."""
        with self._lock:
            self._empty_orders()
            self._next_order_id = FIRST_ORDER_ID

    def _empty_orders(self) -> None:
        self._orders: dict[str, Order] = {}
        self._export_index: dict[int, _ExportIndex] = {}
        self._shipments: list[Shipment] = []
        self._shipment_keys: set[tuple[str, str, str]] = set()

    # --- accounts

    def accounts(self) -> list[Account]:
        with self._lock:
            return copy.deepcopy(list(self._accounts.values()))

    def account(self, publisher_id: int) -> Account | None:
        with self._lock:
            return copy.deepcopy(self._accounts.get(publisher_id))

    def save_account(self, account: Account, replace_existing: bool = False) -> None:
        """Create the account; replace the one with its Publisher ID (its orders stay) only
        when ``replace_existing``, else :class:`AccountExistsError`."""
        with self._lock:
            if account.publisher_id in self._accounts and not replace_existing:
                raise AccountExistsError(f"Publisher ID {account.publisher_id} already exists")
            self._accounts[account.publisher_id] = copy.deepcopy(account)

    def account_count(self) -> int:
        with self._lock:
            return len(self._accounts)

    # --- orders

    def reserve_order_ids(self, count: int) -> list[str]:
        """The next ``count`` free order IDs of the sequence that starts at 1048001."""
        with self._lock:
            reserved: list[str] = []
            while len(reserved) < count:
                candidate = str(self._next_order_id)
                self._next_order_id += 1
                if candidate not in self._orders:
                    reserved.append(candidate)
            return reserved

    def add_orders(self, orders: list[Order]) -> None:
        """Add all the orders, or none of them."""
        with self._lock:
            seen: set[str] = set()
            for index, order in enumerate(orders):
                if order.publisher_id not in self._accounts:
                    raise UnknownAccountError(f"no account has Publisher ID {order.publisher_id}")
                if order.order_id in self._orders or order.order_id in seen:
                    raise DuplicateOrderError(f"order {order.order_id} already exists", index)
                seen.add(order.order_id)
            for order in orders:
                self._store(copy.deepcopy(order))

    def orders(self, status: str | None = None, publisher_id: int | None = None) -> list[Order]:
        with self._lock:
            return copy.deepcopy(
                [
                    order
                    for order in self._orders.values()
                    if (status is None or order.status == status)
                    and (publisher_id is None or order.publisher_id == publisher_id)
                ]
            )

    def order(self, key: str) -> Order | None:
        """The order with this order ID, else the first with this order number."""
        with self._lock:
            return copy.deepcopy(self._find_order(key))

    def change_order(self, key: str, change: Callable[[Order], Order]) -> Order:
        """Replace an order by ``change(order)``, atomically; returns the new order."""
        with self._lock:
            current = self._find_order(key)
            if current is None:
                raise UnknownOrderError(f"no order {key}")
            changed = change(copy.deepcopy(current))
            if changed.publisher_id not in self._accounts:
                raise UnknownAccountError(f"no account has Publisher ID {changed.publisher_id}")
            self._export_index.pop(current.publisher_id, None)
            self._store(changed)
            return copy.deepcopy(changed)

    def _store(self, order: Order) -> None:
        """Store ``order`` as a new revision, in place of the one with its ID."""
        order.revision = next(self._revisions)
        self._orders[order.order_id] = order
        self._export_index.pop(order.publisher_id, None)

    def _find_order(self, key: str) -> Order | None:
        if key in self._orders:
            return self._orders[key]
        return next((o for o in self._orders.values() if o.order_number == key), None)

    def export(self, publisher_id: int, start: datetime, end: datetime, page: int) -> ExportPage:
        """One page of the account's orders last modified in ``[start, end]``, any status."""
        with self._lock:
            index = self._export_index.get(publisher_id)
            if index is None:
                index = self._export_index[publisher_id] = _ExportIndex(
                    o for o in self._orders.values() if o.publisher_id == publisher_id
                )
            first, stop = index.window(start, end)
            size = self._settings.page_size
            begin = first + (page - 1) * size
            return ExportPage(
                orders=index.orders[begin : min(stop, begin + size)],
                pages=math.ceil((stop - first) / size),
                matching=stop - first,
            )

    # --- shipments

    def apply_ship_notice(self, publisher_id: int, notice: ShipNotice) -> NoticeOutcome:
        """Apply a shipment notice to the account's order, once per (order, carrier, tracking).

        The order is the one whose ID is the notice's ``OrderID`` when it has one, else the one
        whose number is its order number. Listed items ship alone; no list ships the order.
        """
        with self._lock:
            stored = self._order_for_notice(publisher_id, notice)
            key = (stored.order_id, notice.carrier, notice.tracking_number)
            if key in self._shipment_keys:
                return NoticeOutcome.DUPLICATE
            order = replace(stored, items=[replace(item) for item in stored.items])
            for item in self._lines_shipped_by(order, notice):
                item.shipped = True
            if order.all_lines_shipped():
                order.status = SHIPPED
            now = self.now()
            order.last_modified = now
            self._store(order)
            self._shipment_keys.add(key)
            self._shipments.append(
                Shipment(
                    publisher_id=publisher_id,
                    order_id=order.order_id,
                    order_number=order.order_number,
                    notice=copy.deepcopy(notice),
                    received_at=now,
                )
            )
            return NoticeOutcome.APPLIED

    def _order_for_notice(self, publisher_id: int, notice: ShipNotice) -> Order:
        if notice.order_id:
            order = self._orders.get(notice.order_id)
            reference = notice.order_id
        else:
            reference = notice.order_number or ""
            order = next(
                (o for o in self._orders.values() if o.order_number == reference),
                None,
            )
        if order is None or order.publisher_id != publisher_id:
            raise UnknownOrderError(
                f"Order {reference} was not found.",
                reference,
                owner=None if order is None else order.publisher_id,
                closest=self._closest_orders(publisher_id, reference) if order is None else (),
            )
        return order

    def _closest_orders(self, publisher_id: int, reference: str, count: int = 3) -> tuple:
        """The account's order numbers and IDs nearest to ``reference``: by numeric distance
        when all are numbers, else by spelling."""
        known = sorted(
            {o.order_number for o in self._orders.values() if o.publisher_id == publisher_id}
            | {o.order_id for o in self._orders.values() if o.publisher_id == publisher_id}
        )
        if reference.isdigit() and all(k.isdigit() for k in known):
            nearest = sorted(known, key=lambda k: (abs(int(k) - int(reference)), int(k)))
            return tuple(sorted(nearest[:count], key=int))
        return tuple(difflib.get_close_matches(reference, known, n=count, cutoff=0.5))

    @staticmethod
    def _lines_shipped_by(order: Order, notice: ShipNotice) -> list[Item]:
        if not notice.items:
            return [item for item in order.items if not item.adjustment]
        lines = []
        for listed in notice.items:
            line = next(
                (i for i in order.items if i.answers_to(listed.line_item_id, listed.sku)), None
            )
            if line is None:
                name = listed.line_item_id or listed.sku
                raise UnknownLineError(f"Order {order.order_number} has no line {name}.")
            lines.append(line)
        return lines

    def shipments(self) -> list[Shipment]:
        with self._lock:
            return copy.deepcopy(self._shipments)

    # --- journal

    def record_request(self, entry: JournalEntry) -> None:
        """Journal ``entry``, giving it the next ID (IDs never restart, not even on a reset)."""
        with self._lock:
            self._journal.append(replace(entry, id=next(self._journal_ids)))

    def journal(self) -> list[JournalEntry]:
        with self._lock:
            return copy.deepcopy(list(self._journal))

    def journal_entry(self, entry_id: int) -> JournalEntry | None:
        with self._lock:
            found = next((entry for entry in self._journal if entry.id == entry_id), None)
            return copy.deepcopy(found)

    def clear_journal(self) -> None:
        with self._lock:
            self._journal.clear()

    # --- faults

    def queue_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(replace(fault))

    def faults(self) -> list[Fault]:
        with self._lock:
            return [replace(fault) for fault in self._faults]

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def take_fault(self, action: str | None, order_number: str | None, page: str) -> Fault | None:
        """The first queued fault matching this request, used up by one."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(action, order_number, page):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return replace(fault, times=1)
            return None

    # --- settings

    @property
    def settings(self) -> Settings:
        with self._lock:
            return replace(self._settings)

    def update_settings(self, **changes: typing.Any) -> Settings:
        with self._lock:
            self._settings = replace(self._settings, **changes)
            if self._journal.maxlen != self._settings.journal_size:
                self._journal = deque(self._journal, maxlen=self._settings.journal_size)
            return replace(self._settings)
