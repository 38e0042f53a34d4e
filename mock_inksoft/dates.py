"""Dates as the feed writes them (``MM/dd/yyyy HH:mm``, read leniently) and as JSON (ISO 8601)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from functools import lru_cache

FEED_DATETIME = "%m/%d/%Y %H:%M"

_FEED_DATETIME = re.compile(
    r"""\s*(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})
        [\s+T]+(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2}))?
        \s*(?:(?P<meridiem>[AaPp])\.?[Mm]\.?)?\s*""",
    re.VERBOSE,
)
_FEED_DATE = re.compile(r"\s*(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\s*")


@lru_cache(maxsize=256)  # a client asks for the same windows again and again
def parse_feed_datetime(text: str) -> datetime:
    """``03/05/2026 14:22`` (UTC) read leniently: one-digit parts, optional seconds, optional
    AM/PM, ``+`` or spaces between date and time. Raises :class:`ValueError`."""
    match = _FEED_DATETIME.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a date and time (MM/dd/yyyy HH:mm)")
    hour = int(match["hour"])
    if match["meridiem"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r} has an hour that does not fit AM/PM")
        hour = hour % 12 + (12 if match["meridiem"] in "Pp" else 0)
    return datetime(
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        hour,
        int(match["minute"]),
        int(match["second"] or 0),
        tzinfo=timezone.utc,
    )


def parse_feed_date(text: str) -> date:
    """``03/07/2026`` (one-digit parts accepted). Raises :class:`ValueError`."""
    match = _FEED_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a date (MM/dd/yyyy)")
    return date(int(match["year"]), int(match["month"]), int(match["day"]))


def format_feed_datetime(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(FEED_DATETIME)


def parse_iso(text: str) -> datetime:
    """An ISO 8601 timestamp as an aware UTC datetime to the second (naive means UTC)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return to_second(moment)


def format_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_second(moment: datetime) -> datetime:
    """``moment`` in UTC, without its fraction of a second."""
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def midnight(moment: datetime) -> datetime:
    """The start of ``moment``'s day, in UTC."""
    return moment.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
