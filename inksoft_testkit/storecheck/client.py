"""The one HTTP client of store mode: GET exports only unless writes are allowed, at a bounded
rate, and every exchange kept (redacted) as evidence for the report."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import requests

from inksoft_testkit.storecheck.config import StoreConfig

FEED_DATETIME = "%m/%d/%Y %H:%M"
EXCERPT = 240


class WriteRefused(RuntimeError):
    """A write the run was not allowed to send (no ``--store-allow-writes``, or an order the user
    did not list)."""


@dataclass(frozen=True)
class Credentials:
    """How the user and password travel: ``basic``, ``query`` or ``headers``."""

    form: str
    user: str
    password: str


CREDENTIAL_FORMS = {
    "basic": "HTTP Basic",
    "query": "SS-UserName/SS-Password query parameters",
    "headers": "SS-UserName/SS-Password request headers",
}


@dataclass
class Exchange:
    """One request and its answer, with the password already redacted from the request line."""

    method: str
    url: str
    status: int | None
    content_type: str
    body: bytes
    elapsed: float
    error: str | None = None
    redact: Callable[[str], str] = str  # applied to every text shown

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def describe(self, excerpt: int = EXCERPT) -> str:
        answer = (
            f"no answer ({self.error})"
            if self.status is None
            else f"{self.status} {self.content_type or '(no content type)'}"
        )
        shown = self.redact(self.text[:excerpt]).replace("\r", "\\r").replace("\n", "\\n")
        more = "…" if len(self.text) > excerpt else ""
        body = f" body: {shown!r}{more}" if self.body else " (empty body)"
        return f"{self.method} {self.url} → {answer} in {self.elapsed:.2f} s;{body}"


def feed_datetime(moment: datetime) -> str:
    return moment.strftime(FEED_DATETIME)


class StoreClient:
    """Talks to one store endpoint.

    Reads are ``GET`` exports (and the odd malformed ``GET`` for error answers); a shipment
    notice is sent only when the config allows writes and lists its order. Requests are paced
    to ``config.rate`` per second: the one sleep here is a rate limit, not a readiness wait.
    """

    def __init__(
        self,
        config: StoreConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        timeout: tuple[float, float] = (5, 60),
    ) -> None:
        self.config = config
        self.redact = config.redact
        self.session = requests.Session()
        self.exchanges: list[Exchange] = []
        self._clock = clock
        self._sleep = sleep
        self._next_slot = 0.0
        self._timeout = timeout
        # the credential form of every read, once one is known to work (see the access probe)
        self.default_credentials: Credentials | None = None

    # --- credentials

    def credentials(self, form: str = "basic", password: str | None = None) -> Credentials:
        chosen = self.config.password if password is None else password
        return Credentials(form, self.config.user, chosen)

    @staticmethod
    def _apply(
        credentials: Credentials | None, query: str, headers: dict
    ) -> tuple[str, tuple[str, str] | None]:
        if credentials is None:
            return query, None
        if credentials.form == "basic":
            return query, (credentials.user, credentials.password)
        fields = {"SS-UserName": credentials.user, "SS-Password": credentials.password}
        if credentials.form == "headers":
            headers.update(fields)
            return query, None
        return f"{query}&{urlencode(fields)}" if query else urlencode(fields), None

    # --- reads

    def export_query(
        self, start: datetime, end: datetime, page: int | None = 1, *, dates: str | None = None
    ) -> str:
        """The query ShipStation sends (``%2F``, ``%3A``, ``+``), or ``dates`` given whole."""
        window = dates or urlencode(
            {"start_date": feed_datetime(start), "end_date": feed_datetime(end)}
        )
        query = f"action=export&{window}"
        return query if page is None else f"{query}&page={page}"

    def export(
        self,
        start: datetime,
        end: datetime,
        page: int = 1,
        credentials: Credentials | None = None,
        *,
        dates: str | None = None,
    ) -> Exchange:
        query = self.export_query(start, end, page, dates=dates)
        return self.get(query, credentials or self.default_credentials)

    def get(self, query: str, credentials: Credentials | None) -> Exchange:
        """A ``GET`` of the endpoint with this (already encoded) query."""
        return self._send("GET", query, credentials)

    # --- writes

    def ship_notify(self, order_number: str, query: dict[str, str], body: bytes) -> Exchange:
        """A shipment notice for one of the orders the user listed, if writes are allowed."""
        if not self.config.allow_writes:
            raise WriteRefused("shipment notices need --store-allow-writes")
        if not self.config.may_notify(order_number):
            raise WriteRefused(
                f"order {order_number} is not one of the orders listed with --store-order"
            )
        fields = {"action": "shipnotify", "order_number": order_number, **query}
        return self._send(
            "POST",
            urlencode(fields),
            self.default_credentials or self.credentials(),
            body=body,
            content_type="application/xml",
        )

    # --- the wire

    def _pace(self) -> None:
        if not self.config.rate:
            return
        now = self._clock()
        if self._next_slot > now:
            self._sleep(self._next_slot - now)
            now = self._next_slot
        self._next_slot = now + 1 / self.config.rate

    def _send(
        self,
        method: str,
        query: str,
        credentials: Credentials | None,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> Exchange:
        headers: dict[str, str] = {"Accept": "application/xml, text/xml"}
        if content_type:
            headers["Content-Type"] = content_type
        query, auth = self._apply(credentials, query, headers)
        url = f"{self.config.url}?{query}"
        self._pace()
        started = self._clock()
        try:
            response = self.session.request(
                method, url, data=body, headers=headers, auth=auth, timeout=self._timeout
            )
        except requests.RequestException as exc:
            exchange = Exchange(
                method, self.redact(url), None, "", b"", self._clock() - started,
                error=self.redact(f"{type(exc).__name__}: {exc}"), redact=self.redact,
            )  # fmt: skip
        else:
            exchange = Exchange(
                method,
                self.redact(url),
                response.status_code,
                response.headers.get("Content-Type", ""),
                response.content,
                self._clock() - started,
                redact=self.redact,
            )
        self.exchanges.append(exchange)
        return exchange
