"""The driver interface: how the conformance suite reaches a connector it cannot see.

Every step talks to the connector under test through a :class:`ConnectorDriver`. A driver is
made from a :class:`DriverSetup` (where the connector keeps its files, its clock, how it sends
credentials, how long it waits), declares the optional capabilities it supports, and answers
with plain dicts and the result dataclasses of :mod:`inksoft_testkit.drivers.results`.
"""

from __future__ import annotations

import fnmatch
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from inksoft_testkit.drivers.results import NoticeResult, RefreshSummary, ShipResult

#: The optional capabilities a driver may declare; a scenario needing one a driver lacks is
#: not applicable. Settings are declared apart (:attr:`ConnectorDriver.settings_understood`).
CAPABILITIES = {
    "email": "customer e-mails sent through an SMTP server (the email.* settings)",
    "delivery": "the carrier's delivered event (deliver)",
    "products": "the product catalogue (products)",
    "clock": "a settable clock",
    "query-auth": "credentials sent as the SS-UserName/SS-Password query parameters",
    "read-timeout": "a settable read timeout",
}

#: Every setting the scenarios use, as docs/connector-contract.md lists them.
CONTRACT_SETTINGS = (
    "branding.name",
    "branding.reply_to",
    "notifications.shipment_email",
    "notifications.delivery_email",
    "products.create_from_sku",
    "products.fill_missing",
    "status_mapping.*",
    "service_mapping.*",
    "email.transport",
    "email.from",
    "email.smtp_host",
    "email.smtp_port",
    "import.initial_days",
    "import.safety_margin_minutes",
)

NOT_APPLICABLE = "not applicable: "

Store = str | int | None  # a store by name or Publisher ID; None: the only one connected


class Clock:
    """The connector's clock: real time, shifted or pinned by the scenario."""

    def __init__(self) -> None:
        self.offset = timedelta()
        self.pinned: datetime | None = None

    def __call__(self) -> datetime:
        if self.pinned is not None:
            return self.pinned + self.offset
        return datetime.now(timezone.utc) + self.offset

    @property
    def is_set(self) -> bool:
        """Whether the scenario pinned or shifted it (else the connector keeps its own)."""
        return self.pinned is not None or bool(self.offset)


@dataclass(frozen=True)
class Wait:
    """One deliberate wait of the connector: how long, and when (the :attr:`Waits.moment`)."""

    seconds: float
    moment: int


class Waits:
    """The connector's deliberate waits (retry backoff, ``Retry-After``), recorded, not slept.

    A driver that hands :meth:`sleep` to its connector makes the suite's retries instant while
    the steps still see how long the connector chose to wait, and when: :attr:`moment` (set by
    the suite; the newest request InkSoft had received) is noted with each wait. A driver that
    cannot (a connector in another process) leaves it unused, and its waits take real time.
    """

    def __init__(self) -> None:
        self.taken: list[Wait] = []
        self.moment: Callable[[], int] = lambda: 0

    def sleep(self, seconds: float) -> None:
        self.taken.append(Wait(seconds, self.moment()))

    def seconds(self) -> float:
        """The waits taken so far, in seconds."""
        return sum(wait.seconds for wait in self.taken)

    def between(self, first: int, then: int) -> float:
        """The seconds waited from moment ``first`` (included) until moment ``then``."""
        return sum(wait.seconds for wait in self.taken if first <= wait.moment < then)


@dataclass
class DriverSetup:
    """What the suite decides for the connector of one scenario."""

    db_path: Path  # a fresh folder's database file: every file the connector keeps goes beside
    clock: Clock = field(default_factory=Clock)
    auth: str = "basic"  # or "query": the SS-UserName/SS-Password query parameters
    timeout: tuple[float, float] = (5, 30)  # connect and read timeouts, in seconds
    backoff: float = 0.05  # seconds before a first retry: the suite tests retries, not patience
    waits: Waits = field(default_factory=Waits)  # the connector's sleep, if the driver can


class ConnectorRefused(Exception):
    """The connector refused the request and said why (a refused connection, a bad setting…)."""

    def __init__(self, message: str, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind


class ContractViolation(AssertionError):
    """The connector answered outside the contract (no JSON, an unknown exit code…)."""


def not_applicable(why: str) -> None:
    """End the scenario as not applicable (a skip counted apart, never a pass or a failure)."""
    import pytest  # here: a connector process that imports the drivers need not load pytest

    pytest.skip(NOT_APPLICABLE + why)


class ConnectorDriver(ABC):
    """One connector under test, as the steps see it.

    The core methods are abstract. The optional ones (:meth:`products`, :meth:`deliver`)
    end the scenario as not applicable unless a driver overrides them and declares the
    capability. Every method raises :class:`ConnectorRefused` when the connector refuses.
    """

    name: str = "connector"
    #: the optional capabilities supported, names from :data:`CAPABILITIES`
    capabilities: frozenset[str] = frozenset()
    #: the settings understood, as keys or ``fnmatch`` patterns (``status_mapping.*``)
    settings_understood: frozenset[str] = frozenset()

    def __init__(self, setup: DriverSetup) -> None:
        self.setup = setup

    def supports(self, need: str) -> bool:
        """``need`` is a capability name, or ``setting:<key>`` for one setting."""
        if need.startswith("setting:"):
            key = need.removeprefix("setting:")
            return any(fnmatch.fnmatchcase(key, known) for known in self.settings_understood)
        return need in self.capabilities

    # --- Stores and settings -----------------------------------------------------------

    @abstractmethod
    def connect(
        self,
        url: str,
        username: str,
        password: str,
        publisher_id: int | str,
        name: str | None = None,
    ) -> dict[str, Any]:
        """Test the credentials and keep the store: ``{name, publisher_id, url, username}``."""

    @abstractmethod
    def stores(self) -> list[dict[str, Any]]:
        """The connected stores, as :meth:`connect` returns each."""

    @abstractmethod
    def settings(self, store: Store = None) -> dict[str, Any]:
        """The store's settings, nested: ``settings()["branding"]["name"]``."""

    @abstractmethod
    def update_settings(self, assignments: Iterable[str], store: Store = None) -> dict[str, Any]:
        """Apply ``["KEY=VALUE", …]`` all or nothing; answer as :meth:`settings`."""

    def send_email_through(self, host: str, port: int, sender: str) -> None:
        """Send the customer e-mails to the SMTP server at ``host:port``, from ``sender``."""
        self.update_settings(
            [
                "email.transport=smtp",
                f"email.smtp_host={host}",
                f"email.smtp_port={port}",
                f"email.from={sender}",
            ]
        )

    @abstractmethod
    def status(self, store: Store = None) -> dict[str, Any]:
        """``{name, publisher_id, last_refresh, error, queued_notices, counts}``."""

    # --- Orders --------------------------------------------------------------------------

    @abstractmethod
    def refresh(self, store: Store = None) -> RefreshSummary:
        """Import what changed; a store error is in the summary, not raised."""

    @abstractmethod
    def orders(self, store: Store = None, status: str | None = None) -> list[dict[str, Any]]:
        """The imported orders (see the contract for a record's keys)."""

    def order(self, number: str, store: Store = None) -> dict[str, Any]:
        """The latest version of one imported order."""
        found = [o for o in self.orders(store=store) if o["order_number"] == str(number)]
        if not found:
            raise ConnectorRefused(f"There is no order {number}.")
        return max(found, key=lambda order: order.get("last_modified") or "")

    def products(self, store: Store = None) -> list[dict[str, Any]]:
        """The product catalogue: ``[{sku, name, weight, weight_units, location}]``."""
        not_applicable(f"{self.name} does not declare the capability 'products'")
        return []

    # --- Shipping ------------------------------------------------------------------------

    @abstractmethod
    def ship(
        self,
        order_numbers: Iterable[str] | None = None,
        notes_to_buyer: str | None = None,
        store: Store = None,
    ) -> list[ShipResult]:
        """Label each order (every order awaiting shipment when None) and update InkSoft."""

    @abstractmethod
    def retry_notifications(self, store: Store = None) -> list[NoticeResult]:
        """Send the queued shipment updates again."""

    def deliver(self, number: str, store: Store = None) -> dict[str, Any]:
        """Record the carrier's delivered event: ``{order_number, delivered, emailed}``."""
        not_applicable(f"{self.name} does not declare the capability 'delivery'")
        return {}

    def close(self) -> None:  # noqa: B027 (most drivers hold nothing)
        """Let go of what the driver holds (files, processes); its files stay."""


DriverFactory = Callable[[DriverSetup], ConnectorDriver]
