"""Feed dates read leniently, written strictly; JSON dates in ISO 8601 UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_inksoft.dates import (
    format_feed_datetime,
    format_iso,
    parse_feed_date,
    parse_feed_datetime,
    parse_iso,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/05/2026 14:22", utc(2026, 3, 5, 14, 22)),
        ("3/5/2026 4:07", utc(2026, 3, 5, 4, 7)),
        ("03/05/2026 14:22:09", utc(2026, 3, 5, 14, 22, 9)),
        ("03/05/2026 2:22 PM", utc(2026, 3, 5, 14, 22)),
        ("03/05/2026 2:22pm", utc(2026, 3, 5, 14, 22)),
        ("03/05/2026 12:05 AM", utc(2026, 3, 5, 0, 5)),
        ("03/05/2026 12:05 PM", utc(2026, 3, 5, 12, 5)),
        ("03/05/2026 11:59:59 p.m.", utc(2026, 3, 5, 23, 59, 59)),
        ("03/05/2026+14:22", utc(2026, 3, 5, 14, 22)),
        (" 03/05/2026   14:22 ", utc(2026, 3, 5, 14, 22)),
    ],
)
def test_feed_dates_are_read_leniently(text, expected):
    assert parse_feed_datetime(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "03/05/2026",
        "2026-03-05 14:22",
        "03/05/26 14:22",
        "13/05/2026 14:22",
        "02/30/2026 10:00",
        "03/05/2026 24:00",
        "03/05/2026 13:00 PM",
        "03/05/2026 0:30 AM",
        "03/05/2026 14:22 tomorrow",
    ],
)
def test_unreadable_feed_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_feed_datetime(text)


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31)))
def test_a_written_feed_date_reads_back_to_the_minute(moment):
    moment = moment.replace(tzinfo=timezone.utc)
    assert parse_feed_datetime(format_feed_datetime(moment)) == moment.replace(
        second=0, microsecond=0
    )


def test_ship_dates_are_read_leniently():
    assert parse_feed_date("3/7/2026") == date(2026, 3, 7)
    with pytest.raises(ValueError):
        parse_feed_date("2026-03-07")


def test_iso_dates_are_utc_to_the_second():
    assert parse_iso("2026-03-05T14:22:09.5Z") == utc(2026, 3, 5, 14, 22, 9)
    assert parse_iso("2026-03-05T16:22:00+02:00") == utc(2026, 3, 5, 14, 22)
    assert parse_iso("2026-03-05T14:22:00") == utc(2026, 3, 5, 14, 22)
    plus_two = timezone(timedelta(hours=2))
    assert format_iso(datetime(2026, 3, 5, 16, 22, tzinfo=plus_two)) == "2026-03-05T14:22:00Z"
