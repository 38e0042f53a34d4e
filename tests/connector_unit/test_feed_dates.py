"""Feed dates: read leniently as UTC, written as the export's parameters want."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connector.dates import (
    ceil_minute,
    floor_minute,
    format_feed_date,
    from_iso,
    parse_feed_date,
    to_iso,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/05/2026 14:22", utc(2026, 3, 5, 14, 22)),
        ("3/5/2026 9:07", utc(2026, 3, 5, 9, 7)),
        ("03/05/2026 14:22:31", utc(2026, 3, 5, 14, 22, 31)),
        ("3/5/2026 2:22 PM", utc(2026, 3, 5, 14, 22)),
        ("3/5/2026 2:22:09 pm", utc(2026, 3, 5, 14, 22, 9)),
        ("3/5/2026 12:05 AM", utc(2026, 3, 5, 0, 5)),
        ("3/5/2026 12:05 PM", utc(2026, 3, 5, 12, 5)),
        ("3/5/2026 11:59 a.m.", utc(2026, 3, 5, 11, 59)),
        ("10/18/2019 21:56 PM", utc(2019, 10, 18, 21, 56)),
        ("  03/05/2026   14:22  ", utc(2026, 3, 5, 14, 22)),
        ("03/05/2026", utc(2026, 3, 5)),
    ],
)
def test_feed_dates_are_read_leniently_as_utc(text: str, expected: datetime):
    assert parse_feed_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-05T14:22:00Z",
        "13/05/2026 10:00",
        "02/30/2026 10:00",
        "03/05/2026 25:00",
        "03/05/2026 14:22 AM",
        "yesterday",
        "",
    ],
)
def test_unreadable_dates_are_refused(text: str):
    with pytest.raises(ValueError):
        parse_feed_date(text)


def test_export_parameters_are_utc_minutes():
    paris = timezone(timedelta(hours=1))
    assert format_feed_date(datetime(2026, 3, 5, 15, 22, 59, tzinfo=paris)) == "03/05/2026 14:22"


def test_records_use_iso_8601_utc():
    moment = utc(2026, 3, 5, 14, 22)
    assert to_iso(moment) == "2026-03-05T14:22:00Z"
    assert from_iso("2026-03-05T14:22:00Z") == moment
    assert floor_minute(utc(2026, 3, 5, 14, 22, 59)) == moment
    assert ceil_minute(utc(2026, 3, 5, 14, 21, 0, 1)) == moment
    assert ceil_minute(moment) == moment


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_what_the_connector_writes_it_reads_back(moment: datetime):
    moment = moment.replace(tzinfo=timezone.utc)
    assert parse_feed_date(format_feed_date(moment)) == floor_minute(moment)
    assert floor_minute(moment) <= moment <= ceil_minute(moment)
