"""The request journal's entries: what came in, what went out and why, secrets redacted; and
the journal's filters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs

from flask import Response
from werkzeug import Request

from mock_inksoft.credentials import (
    every_credentials,
    presented_credentials,
    redacted_body,
    redacted_headers,
    redacted_query,
)
from mock_inksoft.dates import format_iso
from mock_inksoft.explain import Explanation
from mock_inksoft.models import JournalEntry, ShipNotice
from mock_inksoft.order_json import notice_to_json
from safexml import XmlError, parse_xml

JOURNAL_BODY_LIMIT = 16 * 1024  # bytes of a request body the journal keeps
CREDENTIAL_FORMS = {
    "basic": "HTTP Basic",
    "query": "the SS-UserName/SS-Password query parameters",
    "header": "the SS-UserName/SS-Password headers",
}


def journal_entry(
    request: Request,
    response: Response,
    status: int | None,
    fault: str | None,
    time: datetime,
    explanation: Explanation,
) -> JournalEntry:
    credentials = presented_credentials(request)
    body = explanation.body or b""
    code, message = error_of(response)
    return JournalEntry(
        time=time,
        method=request.method,
        path=request.path,
        query=redacted_query(request.query_string.decode("utf-8", errors="replace")),
        action=request.args.get("action"),
        status=status,
        fault=fault,
        username=credentials.username if credentials else None,
        auth=credentials.form if credentials else None,
        headers=redacted_headers(request),
        code=code,
        message=message,
        body=redacted_body(body[:JOURNAL_BODY_LIMIT], _passwords(request)) if body else "",
        body_bytes=max(len(body), request.content_length or 0),
        notice=explanation.notice,
        warnings=[*_credential_warnings(request), *explanation.warnings],
    )


def error_of(response: Response) -> tuple[str | None, str | None]:
    """The ``Code`` and ``Message`` of an XML error answer, else (None, None)."""
    if response.status_code < 400 or response.is_streamed:
        return None, None
    try:
        root = parse_xml(response.get_data())
    except XmlError:
        return None, None
    if root.tag != "Error":
        return None, None
    return root.findtext("Code"), root.findtext("Message")


def _passwords(request: Request) -> list[str]:
    return [credentials.password for credentials in every_credentials(request)]


def _credential_warnings(request: Request) -> list[str]:
    """A warning when credentials come two ways that disagree (the first way wins)."""
    presented = every_credentials(request)
    if len({(c.username, c.password) for c in presented}) <= 1:
        return []
    used, *others = presented
    ways = ", ".join(f"{CREDENTIAL_FORMS[c.form]} (user {c.username!r})" for c in others)
    return [
        f"Credentials come several ways that disagree: {CREDENTIAL_FORMS[used.form]} (user "
        f"{used.username!r}), which the mock used, and {ways}. Send one set of credentials."
    ]


def entry_to_json(entry: JournalEntry) -> dict:
    return {
        "time": format_iso(entry.time),
        "method": entry.method,
        "path": entry.path,
        "query": entry.query,
        "action": entry.action,
        "status": entry.status,
        "fault": entry.fault,
        "username": entry.username,
        "auth": entry.auth,
        "headers": dict(entry.headers),
        "id": entry.id,
        "code": entry.code,
        "message": entry.message,
        "body": entry.body,
        "body_bytes": entry.body_bytes,
        "body_truncated": entry.body_bytes > JOURNAL_BODY_LIMIT,
        "notice": None if entry.notice is None else notice_to_json(entry.notice),
        "warnings": list(entry.warnings),
    }


# --- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalFilter:
    """Which entries ``/__admin/requests`` lists: by status (``404``, ``4xx``; ``reset`` for
    a reset connection), action and order (named by the query or the notice)."""

    status: str | None = None
    action: str | None = None
    order: str | None = None

    def __call__(self, entry: JournalEntry) -> bool:
        checks: list[Callable[[JournalEntry], bool]] = []
        if self.status is not None:
            checks.append(self._status_matches)
        if self.action is not None:
            checks.append(lambda e: e.action == self.action)
        if self.order is not None:
            checks.append(lambda e: self.order in orders_named(e))
        return all(check(entry) for check in checks)

    def _status_matches(self, entry: JournalEntry) -> bool:
        wanted = self.status or ""
        if entry.status is None:
            return wanted == "reset"
        if len(wanted) == 3 and wanted.endswith("xx"):
            return str(entry.status)[0] == wanted[0]
        return str(entry.status) == wanted


STATUS_FILTER_FORMS = ("a status such as 404", "a class such as 4xx", "reset")


def valid_status_filter(value: str) -> bool:
    return value == "reset" or (
        len(value) == 3
        and value[0] in "12345"
        and (value[1:].isdigit() or value[1:].lower() == "xx")
    )


def orders_named(entry: JournalEntry) -> set[str]:
    """The orders a request names: its query's ``order_number`` and its notice's order."""
    named: list[str | None] = list(parse_qs(entry.query).get("order_number", []))
    notice: ShipNotice | None = entry.notice
    if notice is not None:
        named += [notice.order_id, notice.order_number, notice.body_order_number]
    return {name.strip() for name in named if name}
