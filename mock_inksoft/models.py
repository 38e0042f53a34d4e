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
from array import array
from collections import Counter, OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime
from enum import Enum
from urllib.parse import parse_qs

from mock_inksoft.config import Settings
from mock_inksoft.dates import to_second
from mock_inksoft.order_index import ExportIndex, ExportKey, Listing, export_key

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
MADE_ORDERS_KEPT = 4096  # generated orders kept made, most recently read first (~20 MB)

T = typing.TypeVar("T")
IMMUTABLE = (str, int, float, bool, type(None), datetime, date, Enum, bytes, frozenset)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def detached(value: T) -> T:
    """A copy of ``value`` sharing nothing mutable with it, as :func:`copy.deepcopy` makes, for
    what the state holds and hands out (its dataclasses, in lists, dicts and tuples, of
    immutable values) at a fifth of the cost: without deepcopy's memo and reduce protocol.
    Anything else is deep-copied."""
    if isinstance(value, IMMUTABLE):
        return value
    kind = type(value)
    if kind is list:
        return typing.cast(T, [detached(item) for item in typing.cast(list, value)])
    if kind is dict:
        return typing.cast(T, {k: detached(v) for k, v in typing.cast(dict, value).items()})
    if kind is tuple:
        return typing.cast(T, tuple(detached(item) for item in typing.cast(tuple, value)))
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if not is_dataclass(value) or isinstance(value, type):
            return copy.deepcopy(value)
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
    clone = object.__new__(kind)
    for name in names:
        object.__setattr__(clone, name, detached(getattr(value, name)))
    return clone


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
    version: int  # the export version (:meth:`InkSoftState.export_version`) it was read at


@dataclass
class OrdersPage:
    orders: list[Order]
    total: int  # the orders matching the filter, over all pages


@dataclass(eq=False)
class GeneratedOrders:
    """A batch of generated orders held as a function of their index, not as objects.

    What the indexes need is kept in flat arrays (ID, last modified time, status: 19 bytes an
    order); ``make(index)`` makes the whole order, the same one every time, when something
    reads it. A changed order is stored as an object that overrides its generated one.
    """

    publisher_id: int
    ids: array  # ascending numeric order IDs
    modified: array  # each order's last modified time, epoch seconds
    statuses: bytes  # each order's status, as a position in ``status_names``
    status_names: tuple[str, ...]
    order_number: str | None  # every order's number when it was fixed, else each one's ID
    make: Callable[[int], Order]
    first_slot: int = 0  # given by the state
    first_revision: int = 0  # given by the state, once: the revisions of its orders follow

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, order_id: str) -> int | None:
        if not (order_id.isascii() and order_id.isdigit()):
            return None
        index = bisect.bisect_left(self.ids, int(order_id))
        found = index < len(self.ids) and str(self.ids[index]) == order_id
        return index if found else None

    def status(self, index: int) -> str:
        return self.status_names[self.statuses[index]]

    def key(self, index: int) -> ExportKey:
        order_id = self.ids[index]
        return (self.modified[index], 0, order_id, str(order_id))

    def export_order(self) -> array:
        """The batch's positions in export order (its IDs ascend with the position)."""
        shift = max(len(self.ids) - 1, 1).bit_length()
        modified = self.modified
        packed = sorted([(modified[i] << shift) | i for i in range(len(modified))])
        mask = (1 << shift) - 1
        return array("q", [p & mask for p in packed])

    def positions_by_status(self) -> dict[str, array]:
        positions: dict[int, array] = {}
        for index, status in enumerate(self.statuses):
            found = positions.get(status)
            if found is None:
                found = positions[status] = array("q")
            found.append(index)
        return {self.status_names[status]: found for status, found in positions.items()}


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def notice_key(entry: JournalEntry) -> tuple[str, str] | None:
    """(order number, tracking number) of an accepted ``shipnotify`` request, from its query
    (which may name the order by number or ID); None for any other request."""
    if entry.action != "shipnotify" or entry.status != 200:
        return None
    query = parse_qs(entry.query)
    return (query.get("order_number", [""])[0], query.get("tracking_number", [""])[0])


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


RESET_WAIT_SECONDS = 60  # the longest a reset waits for the store requests in flight


class InkSoftState:
    """Everything the mock knows, guarded by one lock."""

    def __init__(self, default_account: Account, default_settings: Settings, clock: Clock) -> None:
        self._default_account = default_account
        self._default_settings = default_settings
        self._clock = clock
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)  # no store request in flight
        self._in_flight = 0
        self._next_revision = 1
        self._export_version = 0  # see export_version()
        self._journal_ids = itertools.count(1)
        self._starting_orders: list[Order] = []
        self._starting_batches: list[GeneratedOrders] = []
        self._starting_next_order_id = FIRST_ORDER_ID
        self._made: OrderedDict[int, Order] = OrderedDict()  # by revision
        self.reset()

    def now(self) -> datetime:
        """The mock clock's time, in UTC, to the second."""
        return to_second(self._clock())

    @property
    def default_publisher_id(self) -> int:
        return self._default_account.publisher_id

    def request_started(self) -> None:
        """A store request is being answered (a delay fault may hold it for a while)."""
        with self._lock:
            self._in_flight += 1

    def request_finished(self) -> None:
        with self._lock:
            self._in_flight -= 1
            self._idle.notify_all()

    def reset(self) -> None:
        """Back to the state the mock started with: the default account and settings, the
        starting orders (:meth:`start_with`), no shipments, journal or faults.

        It first lets the store requests in flight finish (at most ``RESET_WAIT_SECONDS``):
        an answer delayed past its client's timeout must not land in the journal or the
        orders of whatever comes after the reset."""
        with self._lock:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=RESET_WAIT_SECONDS)
            self._accounts = {self._default_account.publisher_id: detached(self._default_account)}
            self._empty_orders()
            for batch in self._starting_batches:
                self._add_batch(batch)
            for order in self._starting_orders:
                self._store(detached(order))
            self._next_order_id = self._starting_next_order_id
            self._settings = self._default_settings
            self._new_journal((), self._settings.journal_size)
            self._faults: list[Fault] = []

    def start_with_current_orders(self) -> None:
        """The orders held now become the ones the mock started with, which a reset brings
        back."""
        with self._lock:
            self._starting_batches = list(self._batches)
            self._starting_orders = [detached(order) for order in self._stored.values()]
            self._starting_next_order_id = self._next_order_id

    def clear_orders(self) -> None:
        """No orders, and no shipments of them; new order IDs start again at 1048001."""
        with self._lock:
            self._empty_orders()
            self._next_order_id = FIRST_ORDER_ID

    def _empty_orders(self) -> None:
        self._export_version += 1
        self._stored: dict[str, Order] = {}  # orders held as objects: added, or changed
        self._slot_of: dict[str, int] = {}  # their slots (order_index: creation order)
        self._stored_at: dict[int, str] = {}  # their IDs by slot
        self._numbers: dict[str, list[str]] = {}  # their IDs by order number
        self._batches: list[GeneratedOrders] = []  # in slot order (and ID order)
        self._next_slot = 0
        self._export_index: dict[int, ExportIndex] = {}
        self._listing = Listing()
        self._shipments: list[Shipment] = []
        self._shipments_of: dict[str, list[int]] = {}  # positions in _shipments, by order ID
        self._shipment_keys: set[tuple[str, str, str]] = set()

    # --- accounts

    def accounts(self) -> list[Account]:
        with self._lock:
            return detached(list(self._accounts.values()))

    def account(self, publisher_id: int) -> Account | None:
        """The stored account itself, not a copy (every request reads it): a stored account is
        never changed in place, only replaced, so it must not be changed by the caller."""
        with self._lock:
            return self._accounts.get(publisher_id)

    def save_account(self, account: Account, replace_existing: bool = False) -> None:
        """Create the account; replace the one with its Publisher ID (its orders stay) only
        when ``replace_existing``, else :class:`AccountExistsError`."""
        with self._lock:
            if account.publisher_id in self._accounts and not replace_existing:
                raise AccountExistsError(f"Publisher ID {account.publisher_id} already exists")
            self._accounts[account.publisher_id] = detached(account)

    def account_count(self) -> int:
        with self._lock:
            return len(self._accounts)

    # --- orders

    def reserve_order_ids(self, count: int) -> array:
        """The next ``count`` free order IDs of the sequence that starts at 1048001."""
        with self._lock:
            taken = sorted(
                number
                for number in (int(k) for k in self._stored if k.isascii() and k.isdigit())
                if number >= self._next_order_id
            )
            reserved = array("q")
            start = self._next_order_id
            for number in taken:
                if len(reserved) >= count:
                    break
                reserved.extend(range(start, min(number, start + count - len(reserved))))
                start = max(start, number + 1)
            reserved.extend(range(start, start + count - len(reserved)))
            self._next_order_id = reserved[-1] + 1 if reserved else self._next_order_id
            return reserved

    def add_orders(self, orders: list[Order]) -> None:
        """Add all the orders, or none of them."""
        with self._lock:
            seen: set[str] = set()
            for index, order in enumerate(orders):
                if order.publisher_id not in self._accounts:
                    raise UnknownAccountError(f"no account has Publisher ID {order.publisher_id}")
                if self._holds(order.order_id) or order.order_id in seen:
                    raise DuplicateOrderError(f"order {order.order_id} already exists", index)
                seen.add(order.order_id)
            for order in orders:
                self._store(detached(order))

    def add_generated(self, batch: GeneratedOrders) -> None:
        """Add a batch of generated orders (their IDs reserved by :meth:`reserve_order_ids`)."""
        with self._lock:
            if batch.publisher_id not in self._accounts:
                raise UnknownAccountError(f"no account has Publisher ID {batch.publisher_id}")
            self._add_batch(batch)

    def generated_count(self) -> int:
        """How many generated orders the state holds (as arrays, not objects)."""
        with self._lock:
            return sum(len(batch) for batch in self._batches)

    def orders_page(
        self,
        status: str | None = None,
        publisher_id: int | None = None,
        offset: int = 0,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> OrdersPage:
        """The orders matching the filter, in the order they were created (or the reverse),
        ``limit`` of them from ``offset`` (all when ``limit`` is None); a slice of an index,
        not a scan. The stored orders themselves, as the export hands them out (a stored order
        is never changed in place): copying a page of them took longer than making them."""
        with self._lock:
            total = self._listing.count(publisher_id, status)
            count = max(min(total - offset, total if limit is None else limit), 0)
            start = total - offset - count if newest_first else offset
            slots = self._listing.page(publisher_id, status, start, count)
            if newest_first:
                slots.reverse()
            return OrdersPage([self._at_slot(s) for s in slots], total)

    def status_counts(self) -> dict[str, int]:
        """How many orders (every account) hold each status."""
        with self._lock:
            return self._listing.statuses()

    def order(self, key: str) -> Order | None:
        """The order with this order ID, else the first with this order number."""
        with self._lock:
            return detached(self._find_order(key))

    def change_order(self, key: str, change: Callable[[Order], Order]) -> Order:
        """Replace an order by ``change(order)``, atomically; returns the new order."""
        with self._lock:
            current = self._find_order(key)
            if current is None:
                raise UnknownOrderError(f"no order {key}")
            changed = change(detached(current))
            if changed.publisher_id not in self._accounts:
                raise UnknownAccountError(f"no account has Publisher ID {changed.publisher_id}")
            self._store(changed)
            return detached(changed)

    def _holds(self, order_id: str) -> bool:
        return order_id in self._stored or self._generated(order_id) is not None

    def _generated(self, order_id: str) -> tuple[GeneratedOrders, int] | None:
        """The batch and position of a generated order no stored one overrides."""
        if order_id in self._stored:
            return None
        for batch in self._batches:
            index = batch.index_of(order_id)
            if index is not None:
                return batch, index
        return None

    def _batch_at(self, slot: int) -> tuple[GeneratedOrders, int]:
        starts = [batch.first_slot for batch in self._batches]
        batch = self._batches[bisect.bisect_right(starts, slot) - 1]
        return batch, slot - batch.first_slot

    def _at_slot(self, slot: int) -> Order:
        order_id = self._stored_at.get(slot)
        if order_id is not None:
            return self._stored[order_id]
        return self._make(*self._batch_at(slot))

    def _make(self, batch: GeneratedOrders, index: int) -> Order:
        """A generated order as an object (the latest ones read are kept)."""
        revision = batch.first_revision + index
        order = self._made.get(revision)
        if order is None:
            order = batch.make(index)
            order.revision = revision
            self._made[revision] = order
            if len(self._made) > MADE_ORDERS_KEPT:
                self._made.popitem(last=False)
        else:
            self._made.move_to_end(revision)
        return order

    def _key_of_slot(self, slot: int) -> ExportKey:
        order_id = self._stored_at.get(slot)
        if order_id is not None:
            order = self._stored[order_id]
            return export_key(epoch(order.last_modified), order.order_id)
        batch, index = self._batch_at(slot)
        return batch.key(index)

    def _index(self, publisher_id: int) -> ExportIndex:
        index = self._export_index.get(publisher_id)
        if index is None:
            index = self._export_index[publisher_id] = ExportIndex()
        return index

    def _add_batch(self, batch: GeneratedOrders) -> None:
        self._export_version += 1
        if not batch.first_revision:
            batch.first_revision = self._next_revision
            self._next_revision += len(batch)
        batch.first_slot = first = self._next_slot
        self._next_slot += len(batch)
        self._batches.append(batch)
        positions = batch.export_order()
        self._index(batch.publisher_id).merge(
            array("q", [batch.modified[p] for p in positions]),
            array("q", [first + p for p in positions]),
            self._key_of_slot,
        )
        self._listing.extend(first, batch.publisher_id, batch.positions_by_status())

    def _store(self, order: Order) -> None:
        """Store ``order`` as a new revision, in place of the one with its ID (stored or
        generated), keeping that one's slot; every index follows."""
        order.revision = self._next_revision
        self._next_revision += 1
        self._export_version += 1
        previous = self._stored.get(order.order_id)
        generated = self._generated(order.order_id)
        if previous is not None:
            slot = self._slot_of[order.order_id]
            self._listing.remove(slot, previous.publisher_id, previous.status)
            self._index(previous.publisher_id).remove(epoch(previous.last_modified), slot)
            numbered = self._numbers[previous.order_number]
            numbered.remove(order.order_id)
            if not numbered:
                del self._numbers[previous.order_number]
        elif generated is not None:
            batch, position = generated
            slot = batch.first_slot + position
            self._listing.remove(slot, batch.publisher_id, batch.status(position))
            self._index(batch.publisher_id).remove(batch.modified[position], slot)
        else:
            slot = self._next_slot
            self._next_slot += 1
        self._stored[order.order_id] = order
        self._slot_of[order.order_id] = slot
        self._stored_at[slot] = order.order_id
        self._numbers.setdefault(order.order_number, []).append(order.order_id)
        self._listing.add(slot, order.publisher_id, order.status)
        key = export_key(epoch(order.last_modified), order.order_id)
        self._index(order.publisher_id).insert(key, slot, self._key_of_slot)

    def _find_order(self, key: str) -> Order | None:
        """By ID (stored, then generated), else by number: an index lookup each, no scan."""
        if key in self._stored:
            return self._stored[key]
        generated = self._generated(key)
        if generated is not None:
            return self._make(*generated)
        return self._by_number(key)

    def _by_number(self, number: str) -> Order | None:
        """The first order with this order number: stored ones, then generated ones."""
        numbered = self._numbers.get(number)
        if numbered:
            return self._stored[numbered[0]]
        for batch in self._batches:
            if batch.order_number is None:
                index = None if number in self._stored else batch.index_of(number)
                if index is not None:
                    return self._make(batch, index)
            elif batch.order_number == number:
                for index in range(len(batch)):
                    if str(batch.ids[index]) not in self._stored:
                        return self._make(batch, index)
        return None

    def export_version(self) -> int:
        """A number that changes whenever an export page could (any order stored, changed or
        generated, the orders emptied or reset, any setting changed) and never goes back: an
        export answer made at one version is the answer for as long as it is current."""
        with self._lock:
            return self._export_version

    def export(self, publisher_id: int, start: datetime, end: datetime, page: int) -> ExportPage:
        """One page of the account's orders last modified in ``[start, end]``, any status."""
        with self._lock:
            index = self._index(publisher_id)
            first, stop = index.window(math.ceil(start.timestamp()), math.floor(end.timestamp()))
            size = self._settings.page_size
            begin = first + (page - 1) * size
            slots = index.slots[begin : min(stop, begin + size)]
            return ExportPage(
                orders=[self._at_slot(slot) for slot in slots],
                pages=math.ceil((stop - first) / size),
                matching=stop - first,
                version=self._export_version,
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
            self._shipments_of.setdefault(order.order_id, []).append(len(self._shipments))
            self._shipments.append(
                Shipment(
                    publisher_id=publisher_id,
                    order_id=order.order_id,
                    order_number=order.order_number,
                    notice=detached(notice),
                    received_at=now,
                )
            )
            return NoticeOutcome.APPLIED

    def _order_for_notice(self, publisher_id: int, notice: ShipNotice) -> Order:
        if notice.order_id:
            reference = notice.order_id
            order = self._stored.get(reference)
            generated = None if order is not None else self._generated(reference)
            if generated is not None:
                order = self._make(*generated)
        else:
            reference = notice.order_number or ""
            order = self._by_number(reference)
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
        when all are numbers, else by spelling. Of generated orders, only the IDs next to the
        reference's digits (or a batch's first IDs) are candidates, so that a million are not
        scanned."""
        stored = [o for o in self._stored.values() if o.publisher_id == publisher_id]
        known_set = {o.order_number for o in stored} | {o.order_id for o in stored}
        digits = "".join(c for c in reference if c.isascii() and c.isdigit())
        for batch in self._batches:
            if batch.publisher_id != publisher_id:
                continue
            around = bisect.bisect_left(batch.ids, int(digits)) if digits else 0
            near = batch.ids[max(around - count, 0) : around + count]
            known_set |= {str(n) for n in near if str(n) not in self._stored}
            if batch.order_number is not None:
                known_set.add(batch.order_number)
        known = sorted(known_set)
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
            return detached(self._shipments)

    def shipments_page(
        self, offset: int, limit: int, newest_first: bool = False
    ) -> tuple[list[Shipment], int]:
        """``limit`` shipments from ``offset`` in the order they were received (or the
        reverse), and how many there are: the recorded ones themselves, as a recorded shipment
        is never changed."""
        with self._lock:
            total = len(self._shipments)
            if not newest_first:
                return self._shipments[offset : offset + limit], total
            stop = max(total - offset, 0)
            return self._shipments[max(stop - limit, 0) : stop][::-1], total

    def shipment(self, index: int) -> Shipment | None:
        """The shipment received ``index``-th (from 0)."""
        with self._lock:
            found = self._shipments[index] if 0 <= index < len(self._shipments) else None
            return detached(found)

    def shipments_of(self, order_id: str) -> list[tuple[int, Shipment]]:
        """The shipments applied to the order, with their positions: an index, not a scan."""
        with self._lock:
            positions = self._shipments_of.get(order_id, [])
            return detached([(index, self._shipments[index]) for index in positions])

    def notices_journalled(self, shipment: Shipment) -> int:
        """How many accepted ``shipnotify`` requests for the shipment's order (by number or
        ID) and tracking number the journal still holds: counted as they are journalled."""
        tracking = shipment.notice.tracking_number
        references = {shipment.order_number, shipment.order_id}  # the query may name either
        with self._lock:
            return sum(self._notices_journalled[(ref, tracking)] for ref in references)

    # --- journal

    def record_request(self, entry: JournalEntry) -> None:
        """Journal ``entry``, a new one the state keeps from now on, giving it the next ID
        (IDs never restart, not even on a reset)."""
        with self._lock:
            if len(self._journal) == self._journal.maxlen:
                self._count_notice(self._journal[0], -1)  # about to fall out
            entry.id = next(self._journal_ids)
            self._journal.append(entry)
            self._count_notice(entry, +1)

    def _count_notice(self, entry: JournalEntry, change: int) -> None:
        key = notice_key(entry)
        if key is not None:
            self._notices_journalled[key] += change

    def _new_journal(self, entries: typing.Iterable[JournalEntry], size: int) -> None:
        self._journal: deque[JournalEntry] = deque(entries, maxlen=size)
        self._notices_journalled: Counter[tuple[str, str]] = Counter()
        for entry in self._journal:
            self._count_notice(entry, +1)

    def journal_page(
        self,
        wanted: Callable[[JournalEntry], bool] | None = None,
        offset: int = 0,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> tuple[list[JournalEntry], int]:
        """The journalled requests ``wanted`` keeps (every one when None), oldest first (or
        the reverse): ``limit`` of them from ``offset`` (all when None), and how many match.
        The recorded entries themselves, as a recorded entry is never changed. The journal is
        bounded by its size setting, so a filter goes through it."""
        with self._lock:
            entries = reversed(self._journal) if newest_first else iter(self._journal)
            matching = list(entries) if wanted is None else [e for e in entries if wanted(e)]
            stop = len(matching) if limit is None else offset + limit
            return matching[offset:stop], len(matching)

    def journal_entry(self, entry_id: int) -> JournalEntry | None:
        with self._lock:
            found = next((entry for entry in self._journal if entry.id == entry_id), None)
            return detached(found)

    def clear_journal(self) -> None:
        with self._lock:
            self._new_journal((), self._settings.journal_size)

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
        return self._settings  # frozen, replaced whole by a change

    def update_settings(self, **changes: typing.Any) -> Settings:
        with self._lock:
            self._settings = replace(self._settings, **changes)
            self._export_version += 1
            if self._journal.maxlen != self._settings.journal_size:
                self._new_journal(self._journal, self._settings.journal_size)
            return self._settings
