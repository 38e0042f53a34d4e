"""The HTTP client for one InkSoft store endpoint: ``{base_url}/{publisher_id}/shipstation``.

One injectable :class:`requests.Session`; connect and read timeouts; retries with exponential
backoff for the idempotent export GET only (5xx, 429, timeouts and connection errors, honouring
``Retry-After`` up to a cap); never a retry for the ``shipnotify`` POST. Every failure becomes a
:mod:`connector.exceptions` error with a message for a person and no password in it.
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from connector import exceptions as errors
from connector.dates import format_feed_date
from safexml import XmlError, parse_xml

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_STATUSES = frozenset({429, 503})
MAX_RETRY_AFTER = 60.0
AUTH_MODES = ("basic", "query")
PERMISSION = "Store Fulfillment Administration"

Timeout = float | tuple[float, float]

ERRORS_BY_CODE: dict[str, type[errors.InkSoftError]] = {
    cls.default_code: cls
    for cls in (
        errors.InvalidCredentials,
        errors.AccountInactive,
        errors.PermissionDenied,
        errors.UnknownPublisher,
        errors.InvalidRequest,
        errors.UnknownOrder,
        errors.MalformedXml,
        errors.PayloadTooLarge,
        errors.MethodNotAllowed,
    )
    if cls.default_code
}

ERRORS_BY_ACTION_AND_STATUS: dict[tuple[str, int], type[errors.InkSoftError]] = {
    ("export", 400): errors.InvalidRequest,
    ("export", 404): errors.UnknownPublisher,
    ("shipnotify", 400): errors.MalformedXml,
    ("shipnotify", 404): errors.UnknownOrder,
}

ERRORS_BY_STATUS: dict[int, type[errors.InkSoftError]] = {
    401: errors.InvalidCredentials,
    405: errors.MethodNotAllowed,
    413: errors.PayloadTooLarge,
}


class InkSoftClient:
    """Talks to one InkSoft account on behalf of one user."""

    def __init__(
        self,
        base_url: str,
        publisher_id: int,
        username: str,
        password: str,
        *,
        session: requests.Session | None = None,
        timeout: Timeout = (5, 30),
        retries: int = 3,
        backoff: float = 0.5,
        auth: str = "basic",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if auth not in AUTH_MODES:
            raise errors.UsageError(f"auth must be one of {', '.join(AUTH_MODES)}, not {auth!r}.")
        self.endpoint = f"{base_url.rstrip('/')}/{publisher_id}/shipstation"
        self.publisher_id = publisher_id
        self.username = username
        self._password = password
        self.session = session or requests.Session()
        self.timeout = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        self.retries = retries
        self.backoff = backoff
        self.auth = auth
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"InkSoftClient({self.endpoint!r}, username={self.username!r})"

    @property
    def host(self) -> str:
        parts = urlsplit(self.endpoint)
        return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)

    def export(self, start: datetime, end: datetime, page: int = 1) -> bytes:
        """One page of the export for the window ``[start, end]``: the raw body."""
        params = {
            "action": "export",
            "start_date": format_feed_date(start),
            "end_date": format_feed_date(end),
            "page": str(page),
        }
        return self._send("GET", params, retry=True).content

    def ship_notify(
        self, order_number: str, carrier: str, service: str, tracking_number: str, notice: bytes
    ) -> requests.Response:
        """Post one ``<ShipNotice>``; never retried (a retry is the caller's decision)."""
        params = {
            "action": "shipnotify",
            "order_number": order_number,
            "carrier": carrier,
            "service": service,
            "tracking_number": tracking_number,
        }
        headers = {"Content-Type": "application/xml; charset=utf-8"}
        return self._send("POST", params, data=notice, headers=headers, retry=False)

    def _send(
        self, method: str, params: dict[str, str], *, retry: bool, **kwargs: Any
    ) -> requests.Response:
        """Send once, or (``retry``) up to ``1 + retries`` times with backoff.

        Written by hand rather than as urllib3's ``Retry`` on the session's adapter: urllib3
        retries while it gets the status line and headers, but a body cut short (a reset or a
        truncated chunked answer, InkSoft's ``truncated`` and ``reset`` faults) only fails
        when requests reads the body, after urllib3's retry has finished, so the export would
        not be asked for again. Here every attempt reads the whole body before it counts.
        ``Retry-After`` is honoured up to a cap, and each retry is logged.
        """
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(1, attempts + 1):
            try:
                response = self._request(method, params, **kwargs)
            except requests.RequestException as exc:
                problem = self._transport_error(exc)
                if attempt == attempts or not worth_retrying(exc):
                    raise problem from None
                self._wait(self._backoff(attempt), str(problem), attempt, attempts)
                continue
            if response.status_code in RETRY_STATUSES and attempt < attempts:
                delay = retry_after(response)
                response.close()
                if delay is None:
                    delay = self._backoff(attempt)
                self._wait(delay, f"HTTP {response.status_code}", attempt, attempts)
                continue
            if not response.ok:
                raise self._http_error(response, params, attempts)
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _request(self, method: str, params: dict[str, str], **kwargs: Any) -> requests.Response:
        if self.auth == "query":
            params = {**params, "SS-UserName": self.username, "SS-Password": self._password}
        else:
            kwargs["auth"] = (self.username, self._password)
        return self.session.request(
            method, self.endpoint, params=params, timeout=self.timeout, **kwargs
        )

    def _backoff(self, attempt: int) -> float:
        """Exponential: ``backoff``, then twice that, and so on."""
        return self.backoff * 2 ** (attempt - 1)

    def _wait(self, delay: float, why: str, attempt: int, attempts: int) -> None:
        log.warning(
            "InkSoft %s: %s; retrying in %.1f s (attempt %d of %d)",
            self.host,
            why.rstrip("."),
            delay,
            attempt + 1,
            attempts,
        )
        self.sleep(delay)

    def _transport_error(self, exc: requests.RequestException) -> errors.TransportError:
        connect, read = self.timeout
        tls = tls_failure(exc, self.host, connect)
        if tls:
            return errors.InkSoftConnectionError(tls, request=exc.request)
        if isinstance(exc, requests.ConnectTimeout):
            message = errors.InkSoftTimeout.connect_template.format(host=self.host, seconds=connect)
            return errors.InkSoftTimeout(message, request=exc.request)
        if isinstance(exc, requests.Timeout):
            message = errors.InkSoftTimeout.explain(host=self.host, seconds=read)
            return errors.InkSoftTimeout(message, request=exc.request)
        message = errors.InkSoftConnectionError.explain(
            host=self.host, failure=connection_failure(exc)
        )
        return errors.InkSoftConnectionError(message, request=exc.request)

    def _http_error(
        self, response: requests.Response, params: dict[str, str], attempts: int
    ) -> errors.InkSoftError:
        code, server_message = error_body(response.content)
        server_message = self._redact(server_message or f"HTTP {response.status_code}")
        status = response.status_code
        action = params.get("action", "")
        if status in RETRY_STATUSES or status >= 500:
            cls: type[errors.InkSoftError] = errors.ServerError
        else:
            cls = (
                ERRORS_BY_CODE.get(code or "")
                or ERRORS_BY_ACTION_AND_STATUS.get((action, status))
                or ERRORS_BY_STATUS.get(status)
                or errors.InkSoftError
            )
        message = cls.explain(
            status=status,
            answer=f"HTTP {status} {response.reason or ''}".rstrip(),
            tries=f" after {attempts} attempts" if attempts > 1 else "",
            server_message=server_message,
            publisher_id=self.publisher_id,
            username=self.username,
            permission=PERMISSION,
            order_number=params.get("order_number", ""),
            method=getattr(response.request, "method", ""),
            action=action,
        )
        return cls(message, code=code, response=response)

    def _redact(self, text: str) -> str:
        return text.replace(self._password, "***") if self._password else text


def error_body(content: bytes) -> tuple[str | None, str | None]:
    """``(Code, Message)`` from an ``<Error>`` body, or ``(None, None)`` when there is none."""
    try:
        root = parse_xml(content)
    except XmlError:
        return None, None
    code = (root.findtext("Code") or "").strip() or None
    message = (root.findtext("Message") or "").strip()[:300] or None
    return code, message


def retry_after(response: requests.Response) -> float | None:
    """The ``Retry-After`` delay in seconds (429 and 503 only), capped at MAX_RETRY_AFTER."""
    value = response.headers.get("Retry-After", "").strip()
    if response.status_code not in RETRY_AFTER_STATUSES or not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        seconds = (moment - datetime.now(timezone.utc)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def connection_failure(exc: BaseException) -> str:
    """What went wrong with a connection, in words, with what to check."""
    causes = list(chain_of(exc))
    bad_status = next(
        (
            c
            for c in causes
            if isinstance(c, http.client.BadStatusLine)
            and not isinstance(c, http.client.RemoteDisconnected)
        ),
        None,
    )
    if bad_status is not None:
        first_line = str(bad_status.args[0] if bad_status.args else "").strip()[:60]
        return (
            f"failed: the server there does not speak HTTP (it answered {first_line!r}); "
            "check the URL's port"
        )
    if any(isinstance(c, http.client.RemoteDisconnected) for c in causes):
        return (
            "failed: the server closed the connection without an HTTP answer; check the URL's "
            "port and that InkSoft is served there"
        )
    if any(
        isinstance(c, (ConnectionResetError, requests.exceptions.ChunkedEncodingError))
        for c in causes
    ):
        return "was reset before the answer was complete"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return (
            "failed: the connection was refused (nothing listens on that port); check the "
            "URL's host and port"
        )
    if any(isinstance(c, socket.gaierror) for c in causes):
        return "failed: the host name could not be resolved (DNS); check the URL's host name"
    return "failed"


WRONG_PROTOCOL_MARKS = ("WRONG_VERSION_NUMBER", "record layer failure", "http request")


def tls_failure(exc: BaseException, host: str, connect_timeout: float) -> str | None:
    """What went wrong in the TLS handshake, in words, or None when it was not TLS."""
    causes = list(chain_of(exc))
    if any(isinstance(c, TimeoutError) and "handshake" in str(c) for c in causes):
        return (
            f"The TLS handshake with {host} got no answer within {connect_timeout:g} s: the port "
            "probably speaks plain HTTP. Check the URL: http:// rather than https://?"
        )
    ssl_error = next((c for c in causes if isinstance(c, ssl.SSLError)), None)
    if ssl_error is None:
        return None
    reason = getattr(ssl_error, "reason", None) or str(ssl_error)
    if isinstance(ssl_error, ssl.SSLCertVerificationError):
        detail = getattr(ssl_error, "verify_message", None) or reason
        return (
            f"The TLS certificate of {host} is not trusted ({detail}): check the URL's host "
            "name, or the server's certificate."
        )
    if any(mark in str(ssl_error) for mark in WRONG_PROTOCOL_MARKS):
        return (
            f"The server at {host} does not speak TLS on that port ({reason}): it probably "
            "speaks plain HTTP. Check the URL: http:// rather than https://?"
        )
    return (
        f"The TLS handshake with {host} failed ({reason}): check the URL's scheme (https:// "
        "or http://) and port."
    )


def worth_retrying(exc: BaseException) -> bool:
    """False when trying again cannot help: TLS trouble, or a port that does not speak HTTP."""
    causes = list(chain_of(exc))
    if any(isinstance(c, http.client.RemoteDisconnected) for c in causes):
        return True  # also a kept-alive connection the server closed: worth a new one
    return not any(
        isinstance(c, (ssl.SSLError, http.client.BadStatusLine))
        or (isinstance(c, TimeoutError) and "handshake" in str(c))
        for c in causes
    )


def chain_of(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it wraps (arguments, ``reason``, causes and contexts)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend(arg for arg in current.args if isinstance(arg, BaseException))
        for name in ("reason", "__cause__", "__context__"):
            inner = getattr(current, name, None)
            if isinstance(inner, BaseException):
                stack.append(inner)


class RedactQueryPasswords(logging.Filter):
    """urllib3 logs request lines: hide ``SS-Password=…`` when credentials go in the query."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "SS-Password=" in message:
            record.msg = redact_query(message)
            record.args = ()
        return True


def redact_query(text: str) -> str:
    head, marker, tail = text.partition("SS-Password=")
    if not marker:
        return text
    end = min(
        (i for i in (tail.find("&"), tail.find(" "), tail.find('"')) if i >= 0), default=len(tail)
    )
    return head + marker + "***" + redact_query(tail[end:])


def install_log_redaction() -> None:
    """Hide query passwords in urllib3's request lines (once; the CLI calls it, so that
    importing the connector leaves the caller's logging alone)."""
    urllib3_log = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, RedactQueryPasswords) for f in urllib3_log.filters):
        urllib3_log.addFilter(RedactQueryPasswords())
