"""The request journal's entries: what came in, what went out, secrets redacted."""

from __future__ import annotations

from datetime import datetime

from werkzeug import Request

from mock_inksoft.credentials import presented_credentials, redacted_headers, redacted_query
from mock_inksoft.dates import format_iso
from mock_inksoft.models import JournalEntry


def journal_entry(
    request: Request, status: int | None, fault: str | None, time: datetime
) -> JournalEntry:
    credentials = presented_credentials(request)
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
    )


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
    }
