"""The reference driver: this project's :class:`connector.Connector`, in process."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from connector import Connector, ConnectorError
from connector.settings import SETTINGS
from inksoft_testkit.drivers.base import (
    CAPABILITIES,
    ConnectorDriver,
    ConnectorRefused,
    DriverSetup,
    Store,
)
from inksoft_testkit.drivers.results import NoticeResult, RefreshSummary, ShipResult


@contextmanager
def refusals() -> Iterator[None]:
    """The connector's own errors as :class:`ConnectorRefused`, with the same message."""
    try:
        yield
    except ConnectorError as problem:
        raise ConnectorRefused(str(problem), kind=type(problem).__name__) from None


_templates: dict[Callable[..., Connector], Path] = {}


def fresh_database(db_path: Path, make: Callable[..., Connector]) -> None:
    """Put a new, empty database at ``db_path`` (unless a file is there): a copy of one that
    ``make`` (the connector) created once per process, schema and permissions included, rather
    than running every migration again for each scenario. Nothing else the connector keeps
    (the encryption key: made when a store first connects) is in it."""
    if db_path.exists():
        return
    if make not in _templates:
        folder = Path(tempfile.mkdtemp(prefix="inksoft-connector-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        make(folder / "connector.db").close()
        _templates[make] = folder / "connector.db"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(_templates[make], db_path)


class ReferenceDriver(ConnectorDriver):
    """Drives :class:`connector.Connector` directly, on the scenario's clock; its retries wait
    through the suite's :class:`~inksoft_testkit.drivers.base.Waits` (recorded, not slept)."""

    name = "the reference connector"
    capabilities = frozenset(CAPABILITIES)
    settings_understood = frozenset([*SETTINGS, "service_mapping.*"])
    #: makes the connector; a negative control swaps in a broken one
    connector_class: ClassVar[Callable[..., Connector]] = Connector

    def __init__(self, setup: DriverSetup) -> None:
        super().__init__(setup)
        fresh_database(setup.db_path, self.connector_class)
        self.connector = self.connector_class(
            setup.db_path,
            clock=setup.clock,
            auth=setup.auth,
            backoff=setup.backoff,
            timeout=setup.timeout,
            sleep=setup.waits.sleep,
        )

    def connect(
        self,
        url: str,
        username: str,
        password: str,
        publisher_id: int | str,
        name: str | None = None,
    ) -> dict[str, Any]:
        with refusals():
            return self.connector.connect(url, username, password, publisher_id, name=name)

    def stores(self) -> list[dict[str, Any]]:
        with refusals():
            return self.connector.stores()

    def settings(self, store: Store = None) -> dict[str, Any]:
        with refusals():
            return self.connector.settings(store=store)

    def update_settings(self, assignments: Iterable[str], store: Store = None) -> dict[str, Any]:
        with refusals():
            return self.connector.update_settings(list(assignments), store=store)

    def status(self, store: Store = None) -> dict[str, Any]:
        with refusals():
            return self.connector.status(store=store)

    def refresh(self, store: Store = None) -> RefreshSummary:
        with refusals():
            return RefreshSummary.from_dict(self.connector.refresh(store=store).as_dict())

    def orders(self, store: Store = None, status: str | None = None) -> list[dict[str, Any]]:
        with refusals():
            return [dict(o) for o in self.connector.orders(store=store, status=status)]

    def order(self, number: str, store: Store = None) -> dict[str, Any]:
        with refusals():
            return dict(self.connector.order(number, store=store))

    def products(self, store: Store = None) -> list[dict[str, Any]]:
        with refusals():
            return [dict(p) for p in self.connector.products(store=store)]

    def ship(
        self,
        order_numbers: Iterable[str] | None = None,
        notes_to_buyer: str | None = None,
        store: Store = None,
    ) -> list[ShipResult]:
        with refusals():
            results = self.connector.ship(order_numbers, notes_to_buyer=notes_to_buyer, store=store)
        return [ShipResult.from_dict(result.as_dict()) for result in results]

    def retry_notifications(self, store: Store = None) -> list[NoticeResult]:
        with refusals():
            results = self.connector.retry_notifications(store=store)
        return [NoticeResult.from_dict(result.as_dict()) for result in results]

    def deliver(self, number: str, store: Store = None) -> dict[str, Any]:
        with refusals():
            return self.connector.deliver(number, store=store)

    def close(self) -> None:
        self.connector.close()
