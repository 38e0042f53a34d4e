"""Any text the mock can hold survives render → HTTP → parse → SQLite → ``orders --json``.

Property-based: hypothesis writes arbitrary Unicode into every free-text field of an order,
the live mock renders it into the export, the connector imports it over HTTP, and the CLI's
JSON shows it back. Notes and the gift message come back byte for byte; other fields come back
trimmed of surrounding whitespace, as the connector documents. Characters that XML 1.0 cannot
carry are the mock's documented normalisation (dropped), tested on their own below.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from connector import Connector
from connector.cli import main

XML_CHARACTERS = st.characters(
    blacklist_categories=("Cs",),  # surrogates cannot be encoded at all
    blacklist_characters="\r\ufffe\uffff",  # XML turns CR into LF; U+FFFE/F are not characters
    min_codepoint=0x09,
).filter(lambda c: c in "\t\n" or ord(c) >= 0x20)


def text(max_size: int, *, required: bool = False):
    strategy = st.text(XML_CHARACTERS, max_size=max_size)
    return strategy.filter(str.strip) if required else strategy


@pytest.fixture(scope="module")
def connected(inksoft_server, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a database (and its key) connected to the mock's default account, which
    each example copies: connecting is no part of the trip, and was a fifth of an example."""
    folder = tmp_path_factory.mktemp("connected")
    with Connector(folder / "connector.db") as connector:
        connector.connect(inksoft_server.url, "demo", "demo-password", 10001)
    return folder


def orders_json(db: Path) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--db", str(db), "orders", "--json"]) == 0
    return json.loads(out.getvalue())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(
    customer_notes="a ]]> b ]]]]> c <![CDATA[ d",
    internal_notes='Tom & Jerry\'s <b>"special"</b> &amp; ]]>',
    gift_message="  Go team! 🎽👕🧢 \n\t indented  ",
    name=" Zoë O'Brien-Łukasz ",
    city="Zürich <&>",
    item_name='Tee ]]> "quoted"',
    design="東京 Eagles & Co. ]]>",
)
@given(
    customer_notes=text(1000),
    internal_notes=text(1000),
    gift_message=text(1000),
    name=text(100, required=True),
    city=text(100, required=True),
    item_name=text(200, required=True),
    design=text(100, required=True),
)
def test_free_text_survives_the_whole_trip(
    inksoft_server,
    connected,
    customer_notes,
    internal_notes,
    gift_message,
    name,
    city,
    item_name,
    design,
):
    inksoft_server.admin.reset()
    inksoft_server.admin.add_orders(
        [
            {
                "order_id": 7001,
                "order_number": "7001",
                "status": "Ready to Ship",
                "customer_notes": customer_notes,
                "internal_notes": internal_notes,
                "gift": True,
                "gift_message": gift_message,
                "customer": {
                    "ship_to": {
                        "name": name,
                        "company": None,
                        "address1": "12 Main St",
                        "address2": None,
                        "city": city,
                        "state": "TX",
                        "postal_code": "78701",
                        "country": "US",
                        "phone": None,
                    }
                },
                "items": [
                    {
                        "sku": "G500-NAVY-L",
                        "name": item_name,
                        "quantity": 1,
                        "options": [{"name": "Design", "value": design}],
                    }
                ],
            }
        ]
    )
    with tempfile.TemporaryDirectory() as folder:
        db = Path(shutil.copytree(connected, folder, dirs_exist_ok=True)) / "connector.db"
        with Connector(db) as connector:
            summary = connector.refresh()
            assert summary.ok, summary.error
        [order] = orders_json(db)

    assert order["customer_notes"] == (customer_notes or None)
    assert order["internal_notes"] == (internal_notes or None)
    assert order["gift_message"] == (gift_message or None)
    assert order["ship_to"]["name"] == name.strip()
    assert order["ship_to"]["city"] == city.strip()
    [item] = order["items"]
    assert item["name"] == item_name.strip()
    assert item["design"] == design.strip()


def test_characters_xml_cannot_carry_are_dropped(inksoft):
    inksoft.admin.add_orders(
        [
            {
                "order_id": 7002,
                "order_number": "7002",
                "status": "Ready to Ship",
                "customer_notes": "bell\x07 tab\t vertical\x0b form\x0c end\x1f.",
            }
        ]
    )
    with tempfile.TemporaryDirectory() as folder, Connector(Path(folder) / "c.db") as connector:
        connector.connect(inksoft.url, "demo", "demo-password", 10001)
        assert connector.refresh().ok
        assert connector.order("7002")["customer_notes"] == "bell tab\t vertical form end."
