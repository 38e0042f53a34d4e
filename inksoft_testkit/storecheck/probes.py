"""One probe per failure mode of docs/store-failure-modes.md, plus the protocol's empty
answer and error answers. Each probe asks the store what it needs (through the one client, so
the limits hold), judges only what the wire shows, and says pass, fail, warn (it cannot decide)
or not applicable, with the requests and excerpts of the answers as evidence."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from urllib.parse import quote, urlencode

from lxml import etree

from inksoft_testkit.storecheck.client import CREDENTIAL_FORMS, Exchange, StoreClient, feed_datetime
from inksoft_testkit.storecheck.reading import (
    OrderView,
    PageRead,
    lacks_shipping_address,
    read_page,
    schema_errors,
    to_minute,
)
from inksoft_testkit.storecheck.reading import stray_output as stray_output_of
from safexml import XmlError, parse_xml

# The statuses of the protocol's default mapping (fixtures/protocol.md), case-sensitive: a
# protocol fact written here, not read from the connector.
DEFAULT_MAPPING = {
    "awaiting_payment": ("Unauthorized", "Pending Approval"),
    "awaiting_shipment": ("Open", "Ready to Ship"),
    "on_hold": ("On Hold",),
    "shipped": ("Shipped", "Completed"),
    "cancelled": ("Canceled",),
}
DELIBERATELY_UNMAPPED = {"Ready for Pick Up": "pickup orders are not shipped"}
MAPPED_STATUSES = {status for statuses in DEFAULT_MAPPING.values() for status in statuses}
REFUSAL_WORDS = re.compile(
    r"credential|password|unauthori[sz]|authenticat|forbidden|denied|login|not allowed", re.I
)
DOUBLE_ESCAPED = re.compile(r"&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")
EMPTY_WINDOW = (
    datetime(2000, 1, 1, tzinfo=timezone.utc),
    datetime(2000, 1, 1, 0, 1, tzinfo=timezone.utc),
)
MINUTE = timedelta(minutes=1)
EVIDENCE_PER_FINDING = 2


class Outcome(str, Enum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    WARN = "warn"
    FAIL = "fail"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Probe:
    number: int | None  # its row in store-failure-modes.md; None for the protocol's own checks
    name: str
    check: str  # the StoreProber method that runs it
    writes: bool = False

    @property
    def title(self) -> str:
        return f"#{self.number} {self.name}" if self.number else self.name


PROBES = {
    probe.name: probe
    for probe in (
        Probe(1, "wrong credentials not refused", "wrong_credentials"),
        Probe(2, "stray output or HTML instead of XML", "stray_output"),
        Probe(3, "Authorization header stripped", "authorization_stripped"),
        Probe(4, "only one credential form accepted", "one_credential_form"),
        Probe(5, "unescaped or double-escaped free text", "free_text"),
        Probe(6, "window in the wrong time zone or to the day", "time_zone"),
        Probe(7, "date parsing too strict", "date_formats"),
        Probe(8, "window filtered on the creation date", "creation_date"),
        Probe(9, "paging broken", "paging"),
        Probe(10, "pages too slow", "slow_pages"),
        Probe(11, "one bad order fails the export", "bad_order"),
        Probe(12, "statuses the default mapping does not cover", "statuses"),
        Probe(13, "shipment notice cannot find its order", "notice_lookup", writes=True),
        Probe(14, "shipment notice body quirks", "notice_quirks", writes=True),
        Probe(15, "retried or partial shipment notices", "notice_retries", writes=True),
        Probe(None, "the empty answer", "empty_answer"),
        Probe(None, "error answers", "error_answers"),
    )
}


@dataclass
class ProbeResult:
    """A probe's verdict: findings (why it failed or warned), notes, and the exchanges shown."""

    probe: Probe
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_applicable: str | None = None

    @property
    def outcome(self) -> Outcome:
        if self.failures:
            return Outcome.FAIL
        if self.not_applicable:
            return Outcome.NOT_APPLICABLE
        return Outcome.WARN if self.warnings else Outcome.PASS

    def fail(self, message: str, *evidence: Exchange) -> None:
        self.failures.append(_with_evidence(message, evidence))

    def warn(self, message: str, *evidence: Exchange) -> None:
        self.warnings.append(_with_evidence(message, evidence))

    def note(self, message: str) -> None:
        self.notes.append(message)

    def as_text(self) -> str:
        lines = [f"{self.outcome.value.upper()}: {self.probe.title}"]
        if self.not_applicable:
            lines.append(f"  not applicable: {self.not_applicable}")
        lines += [f"  fail: {m}" for m in self.failures]
        lines += [f"  warn: {m}" for m in self.warnings]
        lines += [f"  note: {m}" for m in self.notes]
        return "\n".join(lines)

    def as_property(self) -> dict:
        """JSON for ``report.user_properties`` (picked up by the run's reports)."""
        return {
            "probe": self.probe.name,
            "number": self.probe.number,
            "outcome": self.outcome.value,
            "failures": self.failures,
            "warnings": self.warnings,
            "notes": self.notes,
            "not_applicable": self.not_applicable,
        }


def _with_evidence(message: str, evidence: Iterable[Exchange]) -> str:
    shown = [f"\n      {exchange.describe()}" for exchange in list(evidence)[:EVIDENCE_PER_FINDING]]
    return message + "".join(shown)


@dataclass
class WindowWalk:
    """Every page of the probe window, as far as ``max_pages`` allows, and one past the end."""

    pages: list[PageRead]
    declared: int | None
    past_end: PageRead | None
    truncated: bool

    @property
    def orders(self) -> list[OrderView]:
        return [order for page in self.pages for order in page.orders]

    @property
    def answered(self) -> bool:
        return bool(self.pages) and self.pages[0].kind != "refused"


@dataclass
class Edges:
    """An order's presence in narrow windows around its last-modified and creation times."""

    order: OrderView
    created: datetime  # its OrderDate
    modified: datetime  # its LastModified, T
    at_modified: PageRead  # [T, T+1m]
    after: PageRead  # [T+2m, T+3m]
    before: PageRead  # [T-3m, T-2m]
    at_created: PageRead | None  # [created, created+1m], when created well before T

    def holds(self, read: PageRead | None) -> bool:
        return read is not None and any(o.key == self.order.key for o in read.orders)


class StoreProber:
    """Runs the probes against one store, sharing what several probes read (the credential
    forms, the walk of the window), so that a run asks the store as little as it can."""

    def __init__(self, client: StoreClient, *, now: datetime | None = None) -> None:
        self.client = client
        self.config = client.config
        self.end = to_minute(now or datetime.now(timezone.utc))
        self.start = self.end - timedelta(days=self.config.days)
        self.results: dict[str, ProbeResult] = {}
        self._access: dict[str, Exchange] | None = None
        self._walk: WindowWalk | None = None
        self._edges: Edges | bool | None = False
        self._empty: Exchange | None = None

    # --- what several probes share

    def access(self) -> dict[str, Exchange]:
        """An export of the window with each credential form; the first that works is used for
        every later read."""
        if self._access is None:
            self._access = {
                form: self.client.export(self.start, self.end, 1, self.client.credentials(form))
                for form in CREDENTIAL_FORMS
            }
            working = [form for form, ok in self.accepted_forms().items() if ok]
            if working:
                self.client.default_credentials = self.client.credentials(working[0])
        return self._access

    def accepted_forms(self) -> dict[str, bool]:
        """Which credential forms the store accepts. An empty 200 counts only when no form got
        more: some stores answer wrong credentials with one."""
        access = self.access()
        with_body = {form for form, ex in access.items() if ex.status == 200 and ex.body}
        return {
            form: ex.status == 200 and (form in with_body or not with_body)
            for form, ex in access.items()
        }

    @property
    def refused_everything(self) -> bool:
        return not any(self.accepted_forms().values())

    def refused_warning(self, result: ProbeResult) -> None:
        statuses = ", ".join(
            f"{CREDENTIAL_FORMS[form]} → {ex.status or ex.error}"
            for form, ex in self.access().items()
        )
        result.warn(
            f"every call was refused ({statuses}): check the store URL and credentials; "
            "this probe cannot decide"
        )

    def walk(self) -> WindowWalk:
        if self._walk is None:
            self._walk = self._walk_window()
        return self._walk

    def _walk_window(self) -> WindowWalk:
        first = self.access()[self._working_form()]
        pages = [read_page(1, first)]
        declared = pages[0].pages
        if not pages[0].readable:
            return WindowWalk(pages, declared, None, truncated=False)
        last = declared if declared is not None else self.config.max_pages
        wanted = min(last, self.config.max_pages)
        for number in range(2, wanted + 1):
            read = read_page(number, self.client.export(self.start, self.end, number))
            pages.append(read)
            if declared is None and not read.orders:
                return WindowWalk(pages, declared, None, truncated=False)
        past_end = None
        if declared is not None and declared <= self.config.max_pages:
            past_end = read_page(
                declared + 1, self.client.export(self.start, self.end, declared + 1)
            )
        return WindowWalk(pages, declared, past_end, truncated=last > self.config.max_pages)

    def _working_form(self) -> str:
        return next((form for form, ok in self.accepted_forms().items() if ok), "basic")

    def needs_orders(self, result: ProbeResult, what: str) -> list[OrderView] | None:
        """The window's orders, or None after a warning saying why the probe cannot decide."""
        if self.refused_everything:
            self.refused_warning(result)
            return None
        orders = self.walk().orders
        if not orders:
            result.warn(
                f"the window {self.window_text()} returned no orders: {what} could not be tested"
                " (widen it with --store-days)",
                self.walk().pages[0].exchange,
            )
            return None
        return orders

    def window_text(self, start: datetime | None = None, end: datetime | None = None) -> str:
        return f"{feed_datetime(start or self.start)}–{feed_datetime(end or self.end)} UTC"

    def window(self, start: datetime, end: datetime) -> PageRead:
        return read_page(1, self.client.export(start, end, 1))

    # --- running

    def run(self, name: str) -> ProbeResult:
        if name not in PROBES:
            raise KeyError(f"no probe {name!r}; the probes are: {', '.join(PROBES)}")
        if name not in self.results:
            result = ProbeResult(PROBES[name])
            if PROBES[name].writes and not self.config.allow_writes:
                result.not_applicable = (
                    "sends shipment notices: needs --store-allow-writes and --store-order N"
                )
            else:
                getattr(self, PROBES[name].check)(result)
            self.results[name] = result
        return self.results[name]

    # --- 1, 3, 4: credentials

    def wrong_credentials(self, result: ProbeResult) -> None:
        form = self._working_form()
        wrong = self.client.credentials(form, password=self.config.password + "-wrong")
        exchange = self.client.export(self.start, self.end, 1, wrong)
        refused = exchange.status in (401, 403)
        if exchange.status == 200 and not exchange.body:
            result.fail(
                "a wrong password is answered 200 with an empty body (ShipStation then reports"
                " unreadable XML instead of bad credentials)",
                exchange,
            )
        elif exchange.status == 200:
            result.fail("a wrong password is answered 200: the store does not check it", exchange)
        elif not refused:
            result.fail(
                f"a wrong password is answered {exchange.status or exchange.error}, not 401 or 403",
                exchange,
            )
        elif not REFUSAL_WORDS.search(exchange.text):
            result.warn("a wrong password is refused, but the body does not say why", exchange)
        else:
            result.note(f"a wrong password ({CREDENTIAL_FORMS[form]}) gets {exchange.status}")

    def authorization_stripped(self, result: ProbeResult) -> None:
        accepted = self.accepted_forms()
        access = self.access()
        if not any(accepted.values()):
            self.refused_warning(result)
        elif not accepted["basic"]:
            result.fail(
                "HTTP Basic is refused although SS-UserName/SS-Password are accepted: the "
                "Authorization header is probably stripped on the way (Apache CGI/FastCGI, a WAF,"
                " staging basic auth)",
                access["basic"],
            )
        result.note(
            "accepted: "
            + (", ".join(CREDENTIAL_FORMS[f] for f, ok in accepted.items() if ok) or "none")
        )

    def one_credential_form(self, result: ProbeResult) -> None:
        accepted = self.accepted_forms()
        access = self.access()
        if not any(accepted.values()):
            self.refused_warning(result)
        elif accepted["basic"] != accepted["query"]:
            works, refused = ("basic", "query") if accepted["basic"] else ("query", "basic")
            result.warn(
                f"only {CREDENTIAL_FORMS[works]} works; {CREDENTIAL_FORMS[refused]} is refused",
                access[refused],
            )
        if accepted["headers"] != accepted["query"]:
            result.note(
                f"{CREDENTIAL_FORMS['headers']}: {'accepted' if accepted['headers'] else 'refused'}"
            )

    # --- 2, 5, 11: what the bodies hold

    def _answers(self) -> list[Exchange]:
        walk = self.walk()
        reads = [*walk.pages, *([walk.past_end] if walk.past_end else [])]
        return [read.exchange for read in reads if read.exchange.status == 200] + (
            [self.empty_window()] if self.empty_window().status == 200 else []
        )

    def stray_output(self, result: ProbeResult) -> None:
        if self.refused_everything:
            self.refused_warning(result)
            return
        answers = self._answers()
        for exchange in answers:
            if not exchange.body:
                result.note("an empty 200 body (InkSoft's answer to an empty window) was seen")
                continue
            stray = stray_output_of(exchange.body)
            if stray:
                result.fail(stray, exchange)
            elif "xml" not in exchange.content_type.lower():
                result.fail(
                    f"the content type {exchange.content_type or '(none)'} is not XML", exchange
                )
        result.note(f"{len(answers)} answers of 200 checked")

    def free_text(self, result: ProbeResult) -> None:
        if self.needs_orders(result, "free text") is None and not self.walk().answered:
            return
        for read in self.walk().pages:
            if read.kind == "malformed":
                result.fail(
                    f"page {read.page} is not well-formed XML: {read.problem}", read.exchange
                )
            elif read.kind == "stray":
                result.warn(
                    f"page {read.page} could not be read ({read.problem}): see #2", read.exchange
                )
            for order in read.orders:
                for element in order.element.iter():
                    text = element.text or ""
                    if isinstance(element.tag, str) and DOUBLE_ESCAPED.search(text):
                        result.warn(
                            f"{order.label()}: <{element.tag}> looks double-escaped: {text[:80]!r}",
                            read.exchange,
                        )

    def bad_order(self, result: ProbeResult) -> None:
        if self.needs_orders(result, "the per-order schema check") is None:
            return
        checked = exceptions = 0
        for read in self.walk().pages:
            for order in read.orders:
                checked += 1
                errors = schema_errors(order.element)
                if errors and lacks_shipping_address(order.element):
                    exceptions += 1
                elif errors:
                    result.fail(
                        f"{order.label()} on page {read.page} breaks ShipStation's schema: "
                        + "; ".join(errors[:3]),
                        read.exchange,
                    )
            if read.kind in ("stray", "malformed"):
                result.warn(
                    f"page {read.page} could not be read, its orders not checked ({read.problem})"
                )
        result.note(
            f"{checked} orders checked against ShipStation's XSD (order-level Weight/WeightUnits"
            f" stripped); {exceptions} without a shipping address, the documented exception"
        )

    # --- 6, 7, 8: the window

    def edges(self) -> Edges | None:
        if self._edges is False:
            self._edges = self._probe_edges()
        return self._edges  # type: ignore[return-value]

    def _probe_edges(self) -> Edges | None:
        dated = [
            (o, o.order_date, o.last_modified)
            for o in self.walk().orders
            if o.order_date and o.last_modified
        ]
        if not dated:
            return None
        created_before = [d for d in dated if d[1] <= to_minute(d[2]) - 3 * MINUTE]
        order, order_date, last_modified = (created_before or dated)[0]
        modified = to_minute(last_modified)
        created = to_minute(order_date) if created_before else None
        return Edges(
            order,
            order_date,
            last_modified,
            at_modified=self.window(modified, modified + MINUTE),
            after=self.window(modified + 2 * MINUTE, modified + 3 * MINUTE),
            before=self.window(modified - 3 * MINUTE, modified - 2 * MINUTE),
            at_created=self.window(created, created + MINUTE) if created else None,
        )

    def _outside_window(self) -> list[tuple[OrderView, datetime]]:
        """The orders last modified outside the window, each with that date."""
        return [
            (o, o.last_modified) for o in self.walk().orders
            if o.last_modified and not self.start <= to_minute(o.last_modified) <= self.end
        ]  # fmt: skip

    def _filters_on_creation(self) -> bool:
        edges = self.edges()
        return bool(
            edges
            and edges.at_created
            and edges.holds(edges.at_created)
            and not edges.holds(edges.at_modified)
        )

    def creation_date(self, result: ProbeResult) -> None:
        if self.needs_orders(result, "the filter's date") is None:
            return
        for order, modified in self._outside_window():
            if order.order_date and self.start <= to_minute(order.order_date) <= self.end:
                result.fail(
                    f"{order.label()} was last modified {feed_datetime(modified)}, outside"
                    f" the window {self.window_text()}, but created inside it",
                    self.walk().pages[0].exchange,
                )
        edges = self.edges()
        if edges is None or edges.at_created is None:
            result.warn(
                "no order in the window was created well before its last change: cannot"
                " tell which date the window filters on"
            )
            return
        label = edges.order.label()
        if self._filters_on_creation():
            result.fail(
                f"{label}, created {feed_datetime(edges.created)} and last modified"
                f" {feed_datetime(edges.modified)}, comes back for a window around its"
                " creation and not for one around its last change: the store filters on the"
                " creation date, so changed orders never come back",
                edges.at_created.exchange,
                edges.at_modified.exchange,
            )
        elif edges.holds(edges.at_modified):
            result.note(f"{label}, created before the window, comes back for its last change")
        else:
            result.warn(
                f"{label} comes back neither for its creation nor for its last change: see #6",
                edges.at_modified.exchange,
            )

    def time_zone(self, result: ProbeResult) -> None:
        if self.needs_orders(result, "the window's edges") is None:
            return
        outside = [
            (o, modified)
            for o, modified in self._outside_window()
            if not (o.order_date and self.start <= to_minute(o.order_date) <= self.end)
        ]
        for order, modified in outside[:5]:
            result.fail(
                f"{order.label()} was last modified {feed_datetime(modified)}, outside"
                f" the window asked for ({self.window_text()})",
                self.walk().pages[0].exchange,
            )
        edges = self.edges()
        if edges is None:
            result.warn(
                "no order has readable OrderDate and LastModified: the edges were not tested"
            )
            return
        if self._filters_on_creation():
            result.warn("the window follows creation dates (see #8): its edges cannot be judged")
            return
        order, modified = edges.order, to_minute(edges.modified)
        if not edges.holds(edges.at_modified):
            result.fail(
                f"{order.label()}, last modified {feed_datetime(modified)}, is missing from the"
                " window"
                f" {self.window_text(modified, modified + MINUTE)}: the window is read in another"
                " time zone than UTC, or its edges are not inclusive",
                edges.at_modified.exchange,
            )
        for name, read in (("after", edges.after), ("before", edges.before)):
            if edges.holds(read):
                result.fail(
                    f"{order.label()}, last modified {feed_datetime(modified)}, also comes back for"
                    f" a window two minutes {name} it: dates are compared to the day or hour,"
                    " not to the minute",
                    read.exchange,
                )

    def date_formats(self, result: ProbeResult) -> None:
        if self.refused_everything:
            self.refused_warning(result)
            return
        base = self.walk().pages[0]
        expected = sorted(o.key for o in base.orders)
        start, end = self.start, self.end

        def written(fmt: Callable[[datetime], str], encode: Callable[[str], str]) -> str:
            return f"start_date={encode(fmt(start))}&end_date={encode(fmt(end))}"

        def padded(moment: datetime) -> str:
            return feed_datetime(moment)

        forms = {
            "with %20 for the space": (written(padded, lambda s: quote(s, safe="")), True),
            "with lower-case escapes": (
                written(padded, lambda s: quote(s, safe="").lower().replace("%20", "+")),
                True,
            ),
            "with slashes and colons unencoded": (
                written(padded, lambda s: s.replace(" ", "+")),
                True,
            ),
            "with a one-digit month, day and hour": (
                written(
                    lambda d: f"{d.month}/{d.day}/{d.year} {d.hour}:{d.minute:02d}",
                    lambda s: quote(s, safe="/:"),
                ),
                False,
            ),
            "with seconds": (
                written(lambda d: d.strftime("%m/%d/%Y %H:%M:00"), lambda s: quote(s, safe="/:")),
                False,
            ),
            "on a 12-hour clock with AM/PM": (
                written(lambda d: d.strftime("%m/%d/%Y %I:%M %p"), lambda s: quote(s, safe="/:")),
                False,
            ),
        }
        for name, (dates, core) in forms.items():
            read = read_page(1, self.client.export(start, end, 1, dates=dates))
            status = read.exchange.status
            if status is not None and status >= 500:
                result.fail(f"the window written {name} is answered {status}", read.exchange)
            elif status != 200:
                (result.fail if core else result.warn)(
                    f"the window written {name} is answered {status or read.exchange.error}"
                    + (
                        ""
                        if core
                        else " (InkSoft accepts it; ShipStation itself sends MM/dd/yyyy HH:mm)"
                    ),
                    read.exchange,
                )
            elif read.readable and base.readable and sorted(o.key for o in read.orders) != expected:
                result.fail(
                    f"the window written {name} returns other orders than the same window"
                    " written as ShipStation writes it (if the store changed meanwhile, run again)",
                    read.exchange,
                    base.exchange,
                )
        result.note(f"{len(forms) + 1} writings of the window {self.window_text()} tried")

    # --- 9, 10, 12: paging, time, statuses

    def paging(self, result: ProbeResult) -> None:
        if self.refused_everything:
            self.refused_warning(result)
            return
        walk = self.walk()
        first = walk.pages[0]
        if not first.readable:
            result.warn(
                f"page 1 could not be read ({first.problem}): paging not judged", first.exchange
            )
            return
        if not first.orders:
            result.warn(
                f"the window {self.window_text()} returned no orders: paging could not be tested",
                first.exchange,
            )
            return
        if first.pages_text is None:
            result.fail(
                "<Orders> has no pages attribute: ShipStation reads one page only", first.exchange
            )
        elif walk.declared is None:
            result.fail(f"pages={first.pages_text!r} is not a whole number", first.exchange)
        seen: dict[str, int] = {}
        for read in walk.pages:
            if read.kind == "refused":
                result.fail(f"page {read.page} of {walk.declared} is refused", read.exchange)
            elif not read.readable:
                result.warn(
                    f"page {read.page} could not be read ({read.problem}): see #2 and #5",
                    read.exchange,
                )
            if read.pages_text != first.pages_text and read.readable and read.kind == "ok":
                result.fail(
                    f"page {read.page} says pages={read.pages_text!r},"
                    f" page 1 said {first.pages_text!r}",
                    read.exchange,
                )
            if read.readable and not read.orders and walk.declared and read.page <= walk.declared:
                result.fail(
                    f"page {read.page} of {walk.declared} holds no orders: pages is too large or"
                    " orders are missing",
                    read.exchange,
                )
            for order in read.orders:
                if order.key in seen:
                    result.fail(
                        f"{order.label()} appears on page {seen[order.key]} and again on page"
                        f" {read.page}",
                        read.exchange,
                    )
                else:
                    seen[order.key] = read.page
        full = [r for r in walk.pages[:-1] if r.kind == "ok"]
        uneven = [r for r in full if len(r.orders) != len(first.orders)]
        if uneven and not walk.truncated:
            result.warn(
                f"page {uneven[0].page} holds {len(uneven[0].orders)} orders, page 1 holds"
                f" {len(first.orders)}: orders may be missing between pages",
                uneven[0].exchange,
            )
        past = walk.past_end
        if past is not None:
            if past.kind == "refused":
                result.fail(
                    f"a page past the end (page {past.page}) is an error, not an empty answer",
                    past.exchange,
                )
            elif past.orders:
                result.fail(
                    f"a page past the end (page {past.page}) still holds orders", past.exchange
                )
        if walk.truncated:
            result.warn(f"walked {len(walk.pages)} of {walk.declared} pages (--store-max-pages)")
        elif walk.declared == 1:
            result.warn("the window fits on one page: no boundary between pages was tested")
        result.note(f"{len(seen)} orders on {len(walk.pages)} pages, pages={first.pages_text}")

    def slow_pages(self, result: ProbeResult) -> None:
        if self.refused_everything:
            self.refused_warning(result)
            return
        reads = self.walk().pages
        budget = self.config.page_budget
        for read in reads:
            if read.exchange.elapsed > budget:
                result.warn(
                    f"page {read.page} took {read.exchange.elapsed:.2f} s (budget {budget:g} s, "
                    "--store-page-budget): large pages time out the refresh",
                    read.exchange,
                )
        slowest = max(read.exchange.elapsed for read in reads)
        result.note(f"{len(reads)} pages, the slowest {slowest:.2f} s")

    def statuses(self, result: ProbeResult) -> None:
        orders = self.needs_orders(result, "the statuses")
        if orders is None:
            return
        seen = Counter(order.status for order in orders)
        by_case = {
            status.casefold(): status for status in MAPPED_STATUSES | set(DELIBERATELY_UNMAPPED)
        }
        for status, count in sorted(seen.items()):
            if status in MAPPED_STATUSES:
                continue
            if status in DELIBERATELY_UNMAPPED:
                result.note(
                    f"{status!r} ({count}): left unmapped on purpose,"
                    f" {DELIBERATELY_UNMAPPED[status]}"
                )
                continue
            known = by_case.get(status.strip().casefold())
            hint = f", differs from {known!r} only in case or spaces" if known else ""
            result.warn(
                f"the status {status!r} ({count} orders{hint}) is not in the default mapping:"
                " these orders never import unless it is mapped"
            )
        result.note("statuses seen: " + ", ".join(f"{s!r} ({n})" for s, n in sorted(seen.items())))

    # --- the protocol's empty answer and error answers

    def empty_window(self) -> Exchange:
        if self._empty is None:
            self._empty = self.client.export(*EMPTY_WINDOW)
        return self._empty

    def empty_answer(self, result: ProbeResult) -> None:
        if self.refused_everything:
            self.refused_warning(result)
            return
        read = read_page(1, self.empty_window())
        if read.kind == "empty":
            result.note("an empty 200 body: InkSoft's quirk (ShipStation shows 'Error in XML.')")
        elif read.kind == "ok" and not read.orders:
            result.note(f"a valid empty <Orders pages={read.pages_text!r}>")
        elif read.kind == "ok":
            result.warn(
                f"the window {self.window_text(*EMPTY_WINDOW)} holds orders: the empty answer"
                " could not be seen",
                read.exchange,
            )
        else:
            result.fail(
                f"a window without orders is answered {read.kind}: {read.problem}", read.exchange
            )

    def error_answers(self, result: ProbeResult) -> None:
        if self.refused_everything:
            self.refused_warning(result)
            return
        window = urlencode(
            {"start_date": feed_datetime(self.start), "end_date": feed_datetime(self.end)}
        )
        requests = {
            "an unknown action": f"action=no-such-action&{window}",
            "an export without dates": "action=export",
            "an unreadable date": "action=export&start_date=yesterday&end_date=today",
            "an unreadable page": f"action=export&{window}&page=first",
        }
        for what, query in requests.items():
            exchange = self.client.get(query, self.client.default_credentials)
            status = exchange.status
            if status is None or status >= 500:
                result.fail(f"{what} is answered {status or exchange.error}", exchange)
            elif status < 400:
                result.warn(f"{what} is answered {status}: a 200 that hides an error", exchange)
            elif not exchange.body:
                result.warn(
                    f"{what} is refused with {status} and an empty body that does not say why",
                    exchange,
                )
            elif not _is_error_document(exchange.body):
                result.warn(
                    f"{what} is refused with {status}, but not with the protocol's"
                    " <Error><Code/><Message/></Error>",
                    exchange,
                )
            elif "xml" not in exchange.content_type.lower():
                result.warn(
                    f"{what}: the error's content type {exchange.content_type!r} is not XML",
                    exchange,
                )
            else:
                result.note(f"{what}: {status} <Error> {_error_code(exchange.body)}")

    # --- 13, 14, 15: shipment notices (writes)

    def _listed_order(self, result: ProbeResult, index: int) -> OrderView | None:
        wanted = self.config.orders[index] if index < len(self.config.orders) else None
        if wanted is None:
            result.warn(
                f"this probe needs a {'second ' if index else ''}order listed with --store-order"
            )
            return None
        found = next((o for o in self.walk().orders if o.number == wanted), None)
        if found is None:
            result.warn(
                f"order {wanted} is not in the window {self.window_text()}: its OrderID and"
                " items could not be read (widen it with --store-days)"
            )
        return found

    def _notice(
        self,
        order: OrderView,
        tracking: str,
        *,
        with_id: bool = True,
        service: str = "UPS Ground",
        items: list[etree._Element] | None = None,
    ) -> bytes:
        notice = etree.Element("ShipNotice")
        values = {
            "OrderNumber": order.number,
            "OrderID": order.order_id if with_id else None,
            "CustomerCode": order.element.findtext("Customer/CustomerCode"),
            "NotifyCustomer": "false",
            "LabelCreateDate": feed_datetime(datetime.now(timezone.utc)),
            "ShipDate": f"{datetime.now(timezone.utc):%m/%d/%Y}",
            "Carrier": "UPS",
            "Service": service,
            "TrackingNumber": tracking,
            "ShippingCost": "0.00",
        }
        for name, value in values.items():
            if value is not None:
                etree.SubElement(notice, name).text = value
        if items:
            listed = etree.SubElement(notice, "Items")
            for item in items:
                line = etree.SubElement(listed, "Item")
                for name in ("LineItemID", "SKU", "Name", "Quantity"):
                    if item.findtext(name):
                        etree.SubElement(line, name).text = item.findtext(name)
        return etree.tostring(notice, xml_declaration=True, encoding="utf-8")

    def _notify(
        self, order: OrderView, body: bytes, tracking: str, service: str = "UPS Ground"
    ) -> Exchange:
        query = {"carrier": "UPS", "service": service, "tracking_number": tracking}
        return self.client.ship_notify(order.number, query, body)

    def notice_lookup(self, result: ProbeResult) -> None:
        order = self._listed_order(result, 0)
        if order is None:
            return
        tracking = "1Z999AA10123456784"
        tries = (
            {"by OrderID": True, "by order number alone": False}
            if order.order_id
            else {"by order number alone": False}
        )
        for how, with_id in tries.items():
            exchange = self._notify(order, self._notice(order, tracking, with_id=with_id), tracking)
            if exchange.status != 200:
                result.fail(
                    f"a notice for {order.label()} {how} is answered"
                    f" {exchange.status or exchange.error}",
                    exchange,
                )

    def notice_quirks(self, result: ProbeResult) -> None:
        order = self._listed_order(result, 0)
        if order is None:
            return
        tracking = "1Z999AA10123456784"
        minimal = self._notify(order, self._notice(order, tracking), tracking)
        if minimal.status != 200:
            result.fail(
                f"a minimal valid notice for {order.label()} is answered {minimal.status}", minimal
            )
        empty_service = self._notify(
            order, self._notice(order, tracking, service=""), tracking, service=""
        )
        if empty_service.status != 200:
            result.fail(
                f"a notice with an empty service is answered {empty_service.status}", empty_service
            )
        doctype = (
            b'<?xml version="1.0"?><!DOCTYPE ShipNotice [<!ENTITY x "x">]>'
            b"<ShipNotice>&x;</ShipNotice>"
        )
        for what, body in (("a body with a DOCTYPE", doctype), ("an empty body", b"")):
            exchange = self._notify(order, body, tracking)
            if exchange.status is None or exchange.status >= 500:
                result.fail(
                    f"{what} is answered {exchange.status or exchange.error}:"
                    " the notice hook crashed",
                    exchange,
                )
            elif exchange.status == 200:
                result.warn(f"{what} is answered 200: a 200 that hides an error", exchange)

    def notice_retries(self, result: ProbeResult) -> None:
        order = self._listed_order(result, 1)
        if order is None:
            return
        lines = [
            i
            for i in order.element.findall("Items/Item")
            if (i.findtext("Adjustment") or "") != "true"
        ]
        first_tracking, second_tracking = "9400111899223197428490", "1Z12345E0205271688"
        first = self._notice(order, first_tracking, items=lines[:1] if len(lines) > 1 else None)
        answers = [self._notify(order, first, first_tracking) for _ in range(2)]
        for exchange in answers:
            if exchange.status != 200:
                result.fail(
                    f"a notice for {order.label()} sent twice is answered {exchange.status}",
                    exchange,
                )
        result.note(
            "whether the retry added a second shipment cannot be seen on the wire: look at the"
            f" order {order.number} in the store"
        )
        if len(lines) < 2 or order.status in DEFAULT_MAPPING["shipped"]:
            result.warn(
                f"{order.label()} has fewer than two items or was shipped already: a partial"
                " shipment was not tested"
            )
            return
        status = self._status_now(order)
        if status in DEFAULT_MAPPING["shipped"]:
            result.fail(
                f"{order.label()} is {status!r} after a notice for one item of {len(lines)}:"
                " a partial shipment completes the order"
            )
        rest = self._notice(order, second_tracking, items=lines[1:])
        second = self._notify(order, rest, second_tracking)
        if second.status != 200:
            result.fail(f"a notice for the other items is answered {second.status}", second)
        status = self._status_now(order)
        if status is None:
            result.warn(
                f"{order.label()} is not in the export after the notices: its status is unknown"
            )
        elif status not in DEFAULT_MAPPING["shipped"]:
            result.warn(
                f"{order.label()} is {status!r} after notices for all its items, not Shipped"
            )

    def _status_now(self, order: OrderView) -> str | None:
        """The order's status in an export of the last minutes (a notice moves its last change
        to now), else of the probe window; None if neither holds it."""
        now = to_minute(datetime.now(timezone.utc))
        for start, end in ((now - 10 * MINUTE, now + MINUTE), (self.start, self.end)):
            for page in range(1, self.config.max_pages + 1):
                read = read_page(page, self.client.export(start, end, page))
                found = next((o for o in read.orders if o.key == order.key), None)
                if found:
                    return found.status
                if not read.orders:
                    break
        return None


def _is_error_document(body: bytes) -> bool:
    try:
        root = parse_xml(body)
    except XmlError:
        return False
    return (
        root.tag == "Error" and root.find("Code") is not None and root.find("Message") is not None
    )


def _error_code(body: bytes) -> str:
    return (parse_xml(body).findtext("Code") or "").strip()
