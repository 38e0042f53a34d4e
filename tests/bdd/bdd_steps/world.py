"""What one scenario knows: the live mock, the connector under test, and the last outcomes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import requests

from inksoft_testkit.drivers import (
    Clock,
    ConnectorDriver,
    DriverFactory,
    DriverSetup,
    Waits,
    not_applicable,
)
from inksoft_testkit.drivers.base import CAPABILITIES
from inksoft_testkit.live import LiveInkSoft


@dataclass
class World:
    inksoft: LiveInkSoft
    db_path: Path
    driver_factory: DriverFactory
    clock: Clock = field(default_factory=Clock)
    auth: str = "basic"
    timeout: tuple[float, float] = (5, 30)
    waits: Waits = field(default_factory=Waits)
    driver: ConnectorDriver | None = None
    summary: Any = None
    refresh_seconds: float = 0.0
    error: Exception | None = None
    ship_results: list = field(default_factory=list)
    notice_results: list = field(default_factory=list)
    wire_responses: list[requests.Response] = field(default_factory=list)
    pending_orders: dict[str, dict] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    accounts: dict[int, dict] = field(default_factory=dict)
    smtp: Any = None
    deliveries: list = field(default_factory=list)  # what each delivery report answered

    def __post_init__(self) -> None:
        self.waits.moment = self.newest_request_id

    def newest_request_id(self) -> int:
        """The journal ID of the newest request InkSoft received (0 before any)."""
        return max((entry["id"] for entry in self.inksoft.admin.requests()), default=0)

    def open_connector(self) -> ConnectorDriver:
        """A new driver on the same files (the connector reopened), with today's setup; its
        deliberate waits are recorded in :attr:`waits` (with the newest request's ID) when the
        driver can take them there."""
        if self.driver is not None:
            self.driver.close()
        setup = DriverSetup(
            self.db_path, clock=self.clock, auth=self.auth, timeout=self.timeout, waits=self.waits
        )
        self.driver = self.driver_factory(setup)
        return self.driver

    @property
    def store(self) -> ConnectorDriver:
        """The connector under test, through its driver."""
        return self.driver or self.open_connector()

    def require(self, *needs: str) -> None:
        """End the scenario as not applicable unless the driver declares each need (a
        capability, or ``setting:<key>``)."""
        for need in needs:
            if not self.store.supports(need):
                what = CAPABILITIES.get(need, need.replace("setting:", "the setting "))
                not_applicable(f"{self.store.name} does not declare {need} ({what})")

    def require_settings(self, keys: list[str]) -> None:
        self.require(*(f"setting:{key}" for key in keys))

    def change_settings(self, rows: list[dict], store: str | None = None) -> None:
        """Change the settings of these (setting, value) rows, of the named store or the
        default one, ending the scenario as not applicable unless each is declared."""
        self.require_settings([r["setting"] for r in rows])
        self.store.update_settings([f"{r['setting']}={r['value']}" for r in rows], store=store)

    def order_draft(self, number: str) -> dict:
        """The order being described by Given steps, posted before the next action.

        Its InkSoft order ID is never its order number (real InkSoft IDs are not), so that
        a side that mixes the two up fails: see :func:`order_id_of`.
        """
        return self.pending_orders.setdefault(
            number, {"order_id": order_id_of(number), "order_number": number}
        )

    def publish_orders(self) -> None:
        if self.pending_orders:
            self.inksoft.admin.add_orders(list(self.pending_orders.values()))
            self.pending_orders.clear()

    def close(self) -> None:
        if self.driver is not None:
            self.driver.close()


TEXT_FIELD_NAMES = {
    "customer notes": "customer_notes",
    "internal notes": "internal_notes",
    "gift message": "gift_message",
}


# --- Reading table cells ------------------------------------------------------------------

NUMERIC_FIELDS = {
    "order_total",
    "tax_amount",
    "shipping_amount",
    "weight",
    "value",
    "unit_price",
    "quantity",
}


# An amounts table's columns and the order fields they stand for.
AMOUNT_FIELDS = {"total": "order_total", "tax": "tax_amount", "shipping": "shipping_amount"}


def order_id_of(number: str) -> str:
    """The InkSoft order ID the scenarios give the order numbered ``number``."""
    return str(int(number) + 2_000_000) if number.isdigit() else f"ID-{number}"


def cell(value: str) -> str | None:
    """An empty cell is an explicit absence; ``(blank)`` is a value of spaces only and
    ``(empty)`` the empty text (an element present but empty)."""
    if value == "(blank)":
        return "   "
    if value == "(empty)":
        return ""
    return value if value != "" else None


def typed(name: str, value: str | None) -> Any:
    """A table value as the control API's JSON wants it."""
    if value is None:
        return None
    leaf = name.rsplit(".", 1)[-1]
    if leaf in {"gift", "adjustment"}:
        return value == "true"
    if leaf == "quantity":
        return int(value)
    if leaf in NUMERIC_FIELDS:
        return float(value)
    if leaf == "coupon_codes":
        return [code.strip() for code in value.split(",")]
    if leaf in {"last_modified", "order_date"}:
        return when_to_iso(value)
    return value


def set_dotted(target: dict, path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


def when_to_iso(text: str) -> str:
    """``2026-03-04T08:30:00Z``, ``now`` or ``N days ago`` as an ISO 8601 UTC timestamp."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    if text == "now":
        return now.strftime("%Y-%m-%dT%H:%M:%SZ")
    match = re.fullmatch(r"(\d+) (day|hour|minute)s? ago", text)
    if match:
        moment = now - timedelta(**{match[2] + "s": int(match[1])})
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return text


def ship_to_from(text: str | None, name: str = "Jane Doe") -> dict | None:
    """``Austin, TX US`` or ``Austin, TX 78704 US`` as a ship-to address (ZIP 78701 unless
    given); ``none`` as no address at all."""
    if text in (None, "none"):
        return None
    match = re.fullmatch(r"(.+), ([A-Z]{2}) (?:([0-9A-Z-]+) )?([A-Z]{2})", text)
    if not match:
        raise ValueError(f"write a ship-to as 'City, ST [ZIP] CC' or 'none', not {text!r}")
    city, state, postal_code, country = match.groups()
    return {
        "name": name,
        "company": None,
        "address1": "12 Main St",
        "address2": None,
        "city": city,
        "state": state,
        "postal_code": postal_code or "78701",
        "country": country,
        "phone": "555-123-4567",
    }


def item_from_row(row: dict[str, str]) -> dict:
    """An item row (``sku``, ``color``, ``size``, ``design``, …) as control-API JSON."""
    item: dict[str, Any] = {}
    options = []
    for column, raw in row.items():
        value = cell(raw)
        if column in {"color", "size", "design"}:
            if value is not None:
                options.append({"name": column.capitalize(), "value": value})
        else:
            item[column] = typed(column, value)
    if options or {"color", "size", "design"} & set(row):
        item["options"] = options  # option columns left empty: an item without options
    return item


def display(value: Any) -> str:
    """A record value the way the feature files write it."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, list):
        return ", ".join(display(v) for v in value)
    return str(value)


def same(actual: Any, written: str) -> bool:
    """Whether a record value is what a table cell says (numbers compared as numbers, lists
    element by element: a cell ``A, B`` is two elements, never one element ``"A, B"``)."""
    written = "(none)" if written == "" else written
    if isinstance(actual, list):
        expected = [] if written == "(none)" else [part.strip() for part in written.split(",")]
        return len(actual) == len(expected) and all(
            same(a, e) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(actual, (int, float)) and not isinstance(actual, bool):
        try:
            return abs(float(written) - actual) < 1e-9
        except ValueError:
            return False
    return display(actual) == written


def dig(record: Any, path: str) -> Any:
    for part in path.split("."):
        record = record[int(part)] if isinstance(record, list) else record.get(part)
        if record is None:
            return None
    return record


def table_rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    """A data table with a header row as a list of dicts."""
    header, *rows = datatable
    return [dict(zip(header, row, strict=True)) for row in rows]


CONTROL_CHARACTERS = {"[CR]": "\r", "[LF]": "\n", "[TAB]": "\t", "[VT]": "\v", "[SP]": " "}


def unescape(text: str) -> str:
    """``[CR]``, ``[LF]``, ``[TAB]``, ``[VT]`` (vertical tab) and ``[SP]`` (a space) as the
    characters themselves: a Gherkin line cannot hold a carriage return, and a table cell
    loses its surrounding spaces."""
    return re.sub(r"\[(?:CR|LF|TAB|VT|SP)\]", lambda m: CONTROL_CHARACTERS[m[0]], text)


def order_numbers(text: str) -> list[str]:
    """``"5601, 5602"`` as ``["5601", "5602"]``."""
    return [number.strip() for number in text.split(",")]
