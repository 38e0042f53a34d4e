"""The ``Connector`` facade: the connector's whole Python API over one SQLite database."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from connector import settings as store_settings
from connector.client import AUTH_MODES, InkSoftClient, Timeout
from connector.context import StoreContext
from connector.database import Database, StoreRow
from connector.dates import to_iso, utc_now
from connector.exceptions import UsageError
from connector.feed import parse_page
from connector.importer import Importer, ImportSummary
from connector.records import OrderRecord, ProductRecord
from connector.secrets import SecretBox
from connector.shipping import NoticeResult, Shipper, ShipResult

log = logging.getLogger(__name__)

DB_ENV = "INKSOFT_CONNECTOR_DB"
CONNECTION_TEST_WINDOW = timedelta(hours=1)


def default_db_path(env: Mapping[str, str]) -> Path:
    """``$INKSOFT_CONNECTOR_DB``, else ``$XDG_DATA_HOME/inksoft-connector/connector.db``."""
    if env.get(DB_ENV):
        return Path(env[DB_ENV]).expanduser()
    data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "inksoft-connector" / "connector.db"


class Connector:
    """Connects InkSoft stores and imports their orders into one SQLite file.

    ``db_path`` beats ``$INKSOFT_CONNECTOR_DB``, which beats the XDG default. ``clock`` returns
    an aware UTC datetime. ``auth`` is ``"basic"`` (HTTP Basic) or ``"query"`` (the
    ``SS-UserName``/``SS-Password`` query parameters). ``sleep`` is how a retry waits its
    backoff or ``Retry-After`` (a test may pass one that records the waits instead).
    """

    def __init__(
        self,
        db_path: str | os.PathLike[str] | None = None,
        *,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] | None = None,
        timeout: Timeout = (5, 30),
        retries: int = 3,
        backoff: float = 0.5,
        auth: str = "basic",
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if auth not in AUTH_MODES:
            raise UsageError(f"auth must be one of {', '.join(AUTH_MODES)}, not {auth!r}.")
        env = os.environ if env is None else env
        self.db_path = Path(db_path).expanduser() if db_path else default_db_path(env)
        self.db = Database(self.db_path)
        self.secrets = SecretBox(self.db_path, env)
        self._owns_session = session is None
        self.session = session or requests.Session()
        self._clock = clock or utc_now
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.auth = auth
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"Connector({str(self.db_path)!r})"

    def close(self) -> None:
        self.db.close()
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> Connector:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def now(self) -> datetime:
        moment = self._clock()
        return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment

    # --- Stores --------------------------------------------------------------------------

    def connect(
        self,
        url: str,
        username: str,
        password: str,
        publisher_id: int | str,
        name: str | None = None,
    ) -> dict[str, Any]:
        """Test the credentials with one export request, then store (or update) the store.

        Raises :class:`UsageError` before any request for a missing or blank field, and an
        :class:`InkSoftError` subclass when InkSoft refuses; nothing is stored then.
        """
        url, pid = check_connect_fields(url, username, password, publisher_id)
        existing = next((s for s in self.db.stores() if s.publisher_id == pid), None)
        name = (name or "").strip() or (existing.name if existing else f"InkSoft {pid}")
        clash = next(
            (s for s in self.db.stores() if s.name == name and s.publisher_id != pid), None
        )
        if clash:
            raise UsageError(
                f"The store {name!r} is already connected (Publisher ID {clash.publisher_id}); "
                "give this one another name."
            )
        client = self._client(url, pid, username, password)
        now = self.now()
        body = client.export(now - CONNECTION_TEST_WINDOW, now, 1)
        if body.strip():  # InkSoft answers an empty body when it has no pending orders
            parse_page(body)
        token = self.secrets.encrypt(password)
        with self.db.transaction():
            if existing:
                self.db.update_store(existing.id, name, url, username, token, to_iso(now))
            else:
                self.db.add_store(name, pid, url, username, token, to_iso(now))
        log.info("Connected store %s (Publisher ID %s)", name, pid)
        return self.store(pid).public()

    def stores(self) -> list[dict[str, Any]]:
        return [row.public() for row in self.db.stores()]

    def store(self, store: str | int | None = None) -> StoreRow:
        """The store called ``store`` (a name or Publisher ID), or the only one connected."""
        rows = self.db.stores()
        if store is None:
            if len(rows) == 1:
                return rows[0]
            if not rows:
                raise UsageError("No store is connected yet: connect one first.")
            raise UsageError(
                f"{len(rows)} stores are connected ({describe(rows)}); say which one with "
                "--store NAME or --store PUBLISHER_ID."
            )
        wanted = str(store).strip()
        match = next((r for r in rows if r.name == wanted), None) or next(
            (r for r in rows if str(r.publisher_id) == wanted), None
        )
        if match is None:
            connected = describe(rows) or "none"
            raise UsageError(f"No store is named or numbered {wanted!r} (connected: {connected}).")
        return match

    def status(self, store: str | int | None = None) -> dict[str, Any]:
        row = self.store(store)
        return row.public() | {
            "last_refresh_attempt": row.last_refresh_attempt,
            "counts": self.db.order_counts(row.id),
            "queued_notices": self.db.queued_notice_count(row.id),
        }

    # --- Settings ------------------------------------------------------------------------

    def settings(self, store: str | int | None = None) -> dict[str, Any]:
        """The store's settings, nested (``settings()["branding"]["name"]``), secrets masked."""
        return store_settings.nested(self.effective_settings(self.store(store)))

    def update_settings(
        self, assignments: Iterable[str], store: str | int | None = None
    ) -> dict[str, Any]:
        """Apply ``["KEY=VALUE", …]`` all or nothing; return the settings as :meth:`settings`."""
        row = self.store(store)
        changes = store_settings.parse_assignments(assignments)
        store_settings.check_status_mapping(self.effective_settings(row) | changes)
        for key, value in changes.items():
            if store_settings.is_secret(key) and value:
                changes[key] = self.secrets.encrypt(value)
        self.db.save_settings(row.id, changes)
        return self.settings(row.publisher_id)

    def effective_settings(self, row: StoreRow, *, reveal: bool = False) -> dict[str, Any]:
        """Every setting, flat (dotted keys); secrets decrypted only when ``reveal``."""
        flat = store_settings.effective(self.db.stored_settings(row.id), row.name)
        if reveal:
            for key, value in flat.items():
                if store_settings.is_secret(key) and value:
                    flat[key] = self.secrets.decrypt(value)
        return flat

    # --- Orders --------------------------------------------------------------------------

    def refresh(self, store: str | int | None = None, *, processes: int = 1) -> ImportSummary:
        """Import what changed since the last refresh. A store error is in the summary.

        ``processes=2`` shares the pages with a forked process where that is safe (Linux, no
        other thread in this process); elsewhere the refresh runs in this one."""
        context = self.context(store)
        Shipper(context).retry()  # queued updates first, so that they come back shipped
        return Importer(context, processes=processes).run()

    def orders(
        self, store: str | int | None = None, status: str | None = None
    ) -> list[OrderRecord]:
        if status is not None and status not in store_settings.STATUSES:
            raise UsageError(
                f"Unknown status {status!r}: use one of {', '.join(store_settings.STATUSES)}."
            )
        return self.db.orders(self.store(store), status=status)

    def order(self, order_number: str, store: str | int | None = None) -> OrderRecord:
        row = self.store(store)
        found = self.db.order(row, str(order_number))
        if found is None:
            raise UsageError(f"The store {row.name!r} has no order {order_number}.")
        return found

    def products(self, store: str | int | None = None) -> list[ProductRecord]:
        return [product.as_dict() for product in self.db.products(self.store(store).id)]

    # --- Shipping ------------------------------------------------------------------------

    def ship(
        self,
        order_numbers: Iterable[str] | None = None,
        notes_to_buyer: str | None = None,
        store: str | int | None = None,
    ) -> list[ShipResult]:
        """Label each order (all awaiting shipment when None) and update InkSoft."""
        numbers = None if order_numbers is None else [str(n) for n in order_numbers]
        return self.shipper(store).ship(numbers, notes_to_buyer)

    def retry_notifications(self, store: str | int | None = None) -> list[NoticeResult]:
        """Send the queued shipment updates again until InkSoft accepts them."""
        return self.shipper(store).retry()

    def deliver(self, order_number: str, store: str | int | None = None) -> dict[str, Any]:
        """Record the carrier's delivered event; e-mail the customer if the store says so."""
        return self.shipper(store).deliver(str(order_number))

    def shipper(self, store: str | int | None = None) -> Shipper:
        return Shipper(self.context(store))

    def context(self, store: str | int | None = None) -> StoreContext:
        """The store, its client and its settings (secrets decrypted) for one operation."""
        row = self.store(store)
        return StoreContext(
            db=self.db,
            store=row,
            client=self.client_for(row),
            settings=self.effective_settings(row, reveal=True),
            clock=self.now,
            files=self.db_path.parent,
        )

    def client_for(self, row: StoreRow) -> InkSoftClient:
        return self._client(
            row.url, row.publisher_id, row.username, self.secrets.decrypt(row.password_encrypted)
        )

    def _client(self, url: str, publisher_id: int, username: str, password: str) -> InkSoftClient:
        return InkSoftClient(
            url,
            publisher_id,
            username,
            password,
            session=self.session,
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
            auth=self.auth,
            sleep=self.sleep,
        )


def and_list(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]]))


def describe(rows: list[StoreRow]) -> str:
    return ", ".join(f"{row.name!r} = {row.publisher_id}" for row in rows)


def check_connect_fields(
    url: str, username: str, password: str, publisher_id: int | str
) -> tuple[str, int]:
    """The normalised URL and Publisher ID; a UsageError naming every missing field."""
    fields = {
        "InkSoft URL": url,
        "username": username,
        "password": password,
        "Publisher ID": publisher_id,
    }
    missing = [label for label, value in fields.items() if value is None or not str(value).strip()]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise UsageError(f"Cannot connect the store: the {and_list(missing)} {verb} missing.")
    text = str(publisher_id).strip()
    if isinstance(publisher_id, bool) or not (text.isascii() and text.isdigit()) or int(text) <= 0:
        raise UsageError(f"The Publisher ID must be a positive whole number, not {text!r}.")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"The InkSoft URL must start with http:// or https://, not {url!r}.")
    if parts.username or parts.password:
        raise UsageError("Give the credentials as username and password, not inside the URL.")
    return base_url(url.strip(), int(text)), int(text)


ENDPOINT_PATH = re.compile(r"(?P<base>.*?)/(?P<id>[^/]*)/shipstation", re.IGNORECASE)


def base_url(url: str, publisher_id: int) -> str:
    """InkSoft's base URL from ``url``, which may be the store endpoint as InkSoft and the mock
    print it (``…/{publisher_id}/shipstation``); a UsageError says what is wrong with it."""
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    if parts.query or parts.fragment:
        raise UsageError(
            f"The InkSoft URL {url!r} has a query or a fragment ('?…' or '#…'): give the base "
            f"URL only, such as {base}."
        )
    path = parts.path.rstrip("/")
    endpoint = ENDPOINT_PATH.fullmatch(path)
    if endpoint:
        given = endpoint["id"]
        if not (given.isascii() and given.isdigit()):
            raise UsageError(
                f"The InkSoft URL {url!r} ends in /{given}/shipstation, where the Publisher ID "
                f"belongs: give the base URL, such as {base}{endpoint['base']}."
            )
        if int(given) != publisher_id:
            raise UsageError(
                f"The InkSoft URL {url!r} is the endpoint of Publisher ID {int(given)}, but the "
                f"Publisher ID given is {publisher_id}: correct one of them (the base URL is "
                f"{base}{endpoint['base']})."
            )
        path = endpoint["base"]
    elif path.lower().endswith("/shipstation"):
        raise UsageError(
            f"The InkSoft URL {url!r} ends in /shipstation without a Publisher ID before it: give "
            f"the base URL, such as {base}."
        )
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
