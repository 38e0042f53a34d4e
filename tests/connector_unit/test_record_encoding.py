"""The import's hand-written encoders give exactly what the standard library gives: stored rows
are compared with new ones to tell unchanged orders, so a byte of difference would turn every
order of an existing database into an update."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from connector.dates import to_iso
from connector.feed import Address, Contact, Item, Option
from connector.records import address_json, options_columns, text_object_json

# Any text XML can carry, and what it cannot (control characters, lone surrogates) as well.
texts = st.none() | st.text()
names = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True)


@given(st.dictionaries(names, texts, max_size=10))
def test_an_object_of_texts_is_encoded_as_json_dumps_does(fields):
    assert text_object_json(fields) == json.dumps(fields)


option_names = st.none() | st.sampled_from(
    ["Color", "colour", " COLOR ", "Colour", "Size", "size ", "Design", "DESIGN", "Print", ""]
)


@given(st.lists(st.builds(Option, option_names, texts), max_size=6))
def test_the_options_columns_are_their_json_and_what_item_option_answers(options):
    item = Item(None, "SKU", "Name", 1, Decimal("1.00"), options=options)
    as_json = json.dumps([{"name": option.name, "value": option.value} for option in options])
    assert options_columns(item) == (
        as_json,
        item.option("Color", "Colour"),
        item.option("Size"),
        item.option("Design"),
    )


@given(st.builds(Address, *[texts] * 9), st.builds(Contact, *[texts] * 4))
def test_addresses_are_encoded_as_json_dumps_does(address, contact):
    assert address_json(address) == json.dumps(vars(address))
    assert address_json(contact) == json.dumps(vars(contact))


def test_an_address_keeps_its_field_order_and_escapes():
    address = Address(name='Zoë "Z" O\'Neil', street1="1\\2\n\t", city=None, country="日本")
    assert json.loads(address_json(address)) == vars(address)
    assert address_json(address).startswith('{"name": "Zo\\u00eb \\"Z\\" O\'Neil", "company": null')


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(None)
    ),
    st.integers(min_value=-23 * 60, max_value=23 * 60),
)
def test_iso_dates_are_what_strftime_gives(moment, offset_minutes):
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    expected = aware.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert to_iso(aware) == expected


def test_iso_dates_before_the_year_1000_are_what_strftime_gives():
    moment = datetime(999, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert to_iso(moment) == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
