"""One refresh of one store: export pages → checks → SQLite, one transaction per page, the
next page fetched while one is stored.

The window runs from the last successful refresh minus the safety margin (the first refresh:
``import.initial_days`` back) to now. A failure part-way (an HTTP error after retries, a
timeout, an empty or malformed page) keeps the pages already committed, records the store
error and leaves the last-refresh mark where it was, so the next refresh reads the missed
window again; re-importing is an update, so every order is stored once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, overload

from connector import weights
from connector.context import StoreContext
from connector.dates import ceil_minute, floor_minute, from_iso, to_iso
from connector.exceptions import FeedError, InkSoftError, TransportError, UsageError
from connector.feed import (
    ADDRESS_ELEMENTS,
    Document,
    FeedOrder,
    InvalidOrder,
    Page,
    parse_document,
    read_page,
)
from connector.products import Catalogue
from connector.records import order_row
from connector.settings import status_lookup
from connector.two_process import PageFailed, PartnerLost, forking_allowed, walk_in_two

log = logging.getLogger(__name__)

STORE_ERROR_PREFIX = "Error updating store: An error occurred attempting to update orders: "

NO_SHIPPING_ADDRESS = "no_shipping_address"
UNMAPPED_STATUS = "unmapped_status"
INVALID = "invalid"


@dataclass(frozen=True)
class Skipped:
    """An order the refresh did not import, and why."""

    order_number: str
    reason: str
    message: str


@dataclass(frozen=True)
class Rejection:
    order_number: str
    order_id: str | None
    reason: str
    what: str


SEPARATOR = "\0"  # never in an order number: XML cannot carry it


class OrderNumbers(Sequence[str]):
    """Order numbers in the order added, equal to the list of them, kept compact: each page's
    numbers as one string. A million take about 8 MB instead of about 70 as a list of strings
    (``python -m bench.memory --orders 1000000``: the refresh's summary was the one thing in
    the connector growing with the import)."""

    __slots__ = ("_chunks", "_count")

    def __init__(self, numbers: Iterable[str] = ()) -> None:
        self._chunks: list[str] = []
        self._count = 0
        self.extend(numbers)

    def extend(self, numbers: Iterable[str]) -> None:
        numbers = list(numbers)
        if numbers:
            self._chunks.append(SEPARATOR.join(numbers))
            self._count += len(numbers)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        for chunk in self._chunks:
            yield from chunk.split(SEPARATOR)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OrderNumbers | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return repr(list(self))


@dataclass(frozen=True)
class PageOutcome:
    """What storing one page did, in the page's order of orders."""

    imported: list[str]
    updated: list[str]
    unchanged: list[str]
    skipped: list[Skipped]


@dataclass
class ImportSummary:
    """What one refresh did. ``error`` is the store error as ShipStation words it.

    ``updated`` orders were stored already and changed; ``unchanged`` ones came again as stored.
    """

    imported: OrderNumbers = field(default_factory=OrderNumbers)
    updated: OrderNumbers = field(default_factory=OrderNumbers)
    unchanged: OrderNumbers = field(default_factory=OrderNumbers)
    skipped: list[Skipped] = field(default_factory=list)
    pages: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def add(self, page: PageOutcome) -> None:
        """Count one stored page and its orders (pages are added in their order)."""
        self.pages += 1
        self.imported.extend(page.imported)
        self.updated.extend(page.updated)
        self.unchanged.extend(page.unchanged)
        self.skipped += page.skipped

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": list(self.imported),
            "updated": list(self.updated),
            "unchanged": list(self.unchanged),
            "skipped": [asdict(skipped) for skipped in self.skipped],
            "pages": self.pages,
            "error": self.error,
            "ok": self.ok,
        }


class Importer:
    """Refreshes one store."""

    def __init__(self, context: StoreContext, *, processes: int = 1) -> None:
        if processes not in (1, 2):
            raise UsageError(f"An import runs on 1 or 2 processes, not {processes}.")
        self.context = context
        self.statuses = status_lookup(context.settings)
        self.processes = processes

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """Whole minutes (the wire's resolution) around ``[last refresh - margin, now]``.

        The end is rounded up so that an order changed during the current minute comes now.
        """
        if self.context.store.last_refresh:
            margin = timedelta(minutes=self.context.settings["import.safety_margin_minutes"])
            start = from_iso(self.context.store.last_refresh) - margin
        else:
            start = now - timedelta(days=self.context.settings["import.initial_days"])
        return floor_minute(start), ceil_minute(now)

    def run(self) -> ImportSummary:
        now = self.context.clock()
        start, end = self.window(now)
        summary = ImportSummary()
        log.info("Refreshing %s from %s to %s", self.context.store.name, to_iso(start), to_iso(end))
        try:
            if self.processes == 2 and forking_allowed():
                self.walk_in_two(start, end, summary)
            else:
                for page in self.pages(start, end):
                    self.save(page, summary)
        except (InkSoftError, TransportError, FeedError, PageFailed, PartnerLost) as problem:
            summary.error = STORE_ERROR_PREFIX + str(problem)
            log.info("Store %s: %s", self.context.store.name, summary.error)
            self.context.db.record_refresh(
                self.context.store.id, to_iso(now), succeeded_at=None, error=summary.error
            )
            return summary
        self.context.db.record_refresh(
            self.context.store.id, to_iso(now), succeeded_at=to_iso(now), error=None
        )
        return summary

    def walk_in_two(self, start: datetime, end: datetime, summary: ImportSummary) -> None:
        """Page 1 here; when it declares more, the rest on two processes
        (:mod:`connector.two_process`), else page 1 stored as the one-process walk does."""
        first = self.fetch(start, end, 1)
        if first.next_wanted(1, 0)[1]:
            log.info("Refreshing %s on two processes", self.context.store.name)
            walk_in_two(self, (start, end), first, summary.add)
        else:
            self.save(read_page(first), summary)

    def pages(self, start: datetime, end: datetime) -> Iterator[Page]:
        """Every page of the window, in order; stops at the declared count or an empty page.

        A worker thread fetches and parses each page's XML; as soon as one arrives, the next is
        asked for, so that the wire stays busy while this thread reads and stores the orders.
        A page's failure surfaces in its turn, after every page before it has been stored.
        """
        with ThreadPoolExecutor(1, thread_name_prefix="inksoft-export") as fetcher:
            number, declared = 1, 0
            pending = fetcher.submit(self.fetch, start, end, number)
            while True:
                document = pending.result()
                declared, more = document.next_wanted(number, declared)
                if more:
                    pending = fetcher.submit(self.fetch, start, end, number + 1)
                yield read_page(document)
                if not more:
                    return
                number += 1

    def fetch(self, start: datetime, end: datetime, number: int) -> Document:
        return parse_document(self.context.client.export(start, end, number))

    def save(self, page: Page, summary: ImportSummary) -> None:
        """Check, complete and store one page (one transaction); add the outcome to ``summary``."""
        summary.add(self.store(*self.triage(page)))

    def store(
        self, accepted: list[tuple[FeedOrder, str]], rejections: list[Rejection]
    ) -> PageOutcome:
        """Complete and store one triaged page (one transaction): every read and write of the
        database a page makes, so a page's turn when two processes share the walk."""
        orders = [order for order, _ in accepted]
        products = self.catalogue(orders).apply(orders)
        for order in orders:
            order.total_weight = order.total_weight or items_weight(order)
        now = to_iso(self.context.clock())
        rows = [(order, order_row(order, status)) for order, status in accepted]
        already_stored, unchanged = self.context.db.save_page(
            self.context.store.id, rows, products, now
        )
        buckets: dict[str, list[str]] = {"imported": [], "updated": [], "unchanged": []}
        for order in orders:
            if order.order_id in unchanged:
                bucket = "unchanged"
            elif order.order_id in already_stored:
                bucket = "updated"
            else:
                bucket = "imported"
            buckets[bucket].append(order.order_number)
        return PageOutcome(
            buckets["imported"], buckets["updated"], buckets["unchanged"], self.reports(rejections)
        )

    def triage(self, page: Page) -> tuple[list[tuple[FeedOrder, str]], list[Rejection]]:
        """The orders to store with their ShipStation status, and the ones not to import."""
        accepted: dict[str, tuple[FeedOrder, str]] = {}  # by order ID: a repeat replaces
        rejections: list[Rejection] = []
        for entry in page.orders:
            if isinstance(entry, InvalidOrder):
                what = f"is invalid: {entry.problem}"
                rejections.append(Rejection(entry.order_number, None, INVALID, what))
                continue
            rejection = self.check(entry)
            if rejection is None:
                accepted[entry.order_id] = (entry, self.statuses[entry.store_status])
            else:
                rejections.append(rejection)
        return list(accepted.values()), rejections

    def catalogue(self, orders: list[FeedOrder]) -> Catalogue:
        skus = {item.sku for order in orders for item in order.items}
        return Catalogue(
            self.context.db.products(self.context.store.id, skus),
            create=self.context.settings["products.create_from_sku"],
            fill=self.context.settings["products.fill_missing"],
        )

    def check(self, order: FeedOrder) -> Rejection | None:
        """Why the order is not to be imported, or None when it is."""
        if order.store_status not in self.statuses:
            return Rejection(
                order.order_number,
                order.order_id,
                UNMAPPED_STATUS,
                f"has the InkSoft status '{order.store_status}', which is mapped to no "
                "ShipStation status (see the status_mapping settings)",
            )
        missing = order.ship_to.missing_for_shipping() if order.ship_to else ADDRESS_ELEMENTS
        if len(missing) == len(ADDRESS_ELEMENTS):
            return Rejection(
                order.order_number, order.order_id, NO_SHIPPING_ADDRESS, "has no shipping address"
            )
        if missing:
            return Rejection(
                order.order_number,
                order.order_id,
                NO_SHIPPING_ADDRESS,
                f"has an incomplete shipping address (no {', '.join(missing)})",
            )
        return None

    def reports(self, rejections: list[Rejection]) -> list[Skipped]:
        ids = [r.order_id for r in rejections if r.order_id is not None]
        known = self.context.db.order_pks(self.context.store.id, ids)
        return [
            Skipped(
                r.order_number,
                r.reason,
                f"Order {r.order_number} {r.what}: not imported"
                + ("; the copy imported earlier is kept." if r.order_id in known else "."),
            )
            for r in rejections
        ]


def items_weight(order: FeedOrder) -> weights.Weight | None:
    """The sum of item weight × quantity, in the order's unit (else the first item's)."""
    return weights.total(
        [item.weight * item.quantity for item in order.items if item.weight],
        order.weight_units,
    )
