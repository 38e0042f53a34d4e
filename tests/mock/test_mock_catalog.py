"""Generated orders look like a print shop's, and the same seed gives the same shop."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import timedelta

import pytest
from faker import Faker
from mock_support import FIXED_NOW

from mock_inksoft import create_app
from mock_inksoft.catalog import (
    BLANKS,
    STATUSES,
    OrderFactory,
    batch_faker,
    image_url,
    slug,
)
from mock_inksoft.dates import parse_iso

MIDNIGHT = FIXED_NOW.replace(hour=0, minute=0)
BRANDS = {blank.brand for blank in BLANKS}
AWKWARD = ("&", "<", "]]>", '"', "'", "é", "🎉")


@pytest.fixture(scope="module")
def orders() -> list[dict]:
    client = create_app({"clock": lambda: FIXED_NOW}).test_client()
    answer = client.post("/__admin/orders/generate", json={"count": 900, "seed": 2024})
    return answer.json["orders"]


def products(orders: list[dict]) -> list[dict]:
    return [item for order in orders for item in order["items"] if not item["adjustment"]]


def test_order_ids_run_from_1048001(orders):
    assert [o["order_id"] for o in orders] == [str(1048001 + n) for n in range(900)]
    assert all(o["order_number"] == o["order_id"] for o in orders)


def test_dates_lie_in_the_14_days_before_midnight(orders):
    for order in orders:
        placed, changed = parse_iso(order["order_date"]), parse_iso(order["last_modified"])
        assert MIDNIGHT - timedelta(days=14) <= placed <= changed < MIDNIGHT


def test_statuses_are_inksofts_mostly_ready_to_ship_or_open(orders):
    counts = Counter(o["status"] for o in orders)
    assert set(counts) == {name for name, _ in STATUSES}
    assert (counts["Ready to Ship"] + counts["Open"]) / len(orders) > 0.5
    assert counts["Ready to Ship"] == max(counts.values())


def test_about_one_order_in_fifteen_has_no_shipping_address(orders):
    share = sum(o["customer"]["ship_to"] is None for o in orders) / len(orders)
    assert 0.03 < share < 0.11


def test_every_item_is_a_decorated_blank_from_a_real_brand(orders):
    for item in products(orders):
        options = {o["name"]: o["value"] for o in item["options"]}
        assert {"Color", "Size", "Design"} <= set(options)
        assert item["name"].split(" ")[0] in {b.split(" ")[0] for b in BRANDS}
        assert item["name"].endswith(f" - {options['Color']}")
        assert item["image_url"] == image_url(options["Design"], options["Color"])
        assert re.fullmatch(
            r"https://cdn\.inksoft\.test/designs/[a-z0-9-]+/[a-z0-9-]+\.png", item["image_url"]
        )
        assert item["weight_units"] == "Ounces" and 0 < item["weight"] < 30
        assert item["location"] and item["quantity"] >= 1 and item["unit_price"] > 0
        assert re.fullmatch(r"[A-Z0-9]+-[A-Z0-9]+-[A-Z0-9]+", item["sku"])


def test_the_catalogue_has_the_usual_blanks(orders):
    names = {item["name"].rsplit(" - ", 1)[0] for item in products(orders)}
    for expected in (
        "Gildan 5000 Heavy Cotton Tee",
        "Bella+Canvas 3001 Unisex Jersey Tee",
        "Next Level 6210 Unisex CVC Tee",
        "Comfort Colors 1717 Garment-Dyed Heavyweight Tee",
        "Richardson 112 Trucker Cap",
        "Liberty Bags 8502 Canvas Tote",
        "Independent Trading Co. SS4500 Midweight Hooded Sweatshirt",
    ):
        assert expected in names
    locations = {
        o["value"] for i in products(orders) for o in i["options"] if o["name"] == "Print Location"
    }
    assert {"Front", "Back", "Left Chest"} <= locations


def test_coupons_are_adjustment_lines_named_in_the_coupon_codes(orders):
    with_coupons = [o for o in orders if o["coupon_codes"]]
    assert 0.1 < len(with_coupons) / len(orders) < 0.35
    for order in orders:
        adjustments = [i for i in order["items"] if i["adjustment"]]
        assert [i["sku"] for i in adjustments] == order["coupon_codes"]
        for line in adjustments:
            assert line["unit_price"] <= 0 and line["quantity"] == 1
            assert line["name"] == f"Coupon {line['sku']}"


def test_totals_and_weights_add_up(orders):
    for order in orders:
        lines = sum(round(i["quantity"] * i["unit_price"], 2) for i in order["items"])
        expected = lines + order["tax_amount"] + order["shipping_amount"]
        assert order["order_total"] == pytest.approx(expected, abs=0.005)
        weight = sum(i["quantity"] * i["weight"] for i in products([order]))
        assert order["weight"] == {"value": pytest.approx(weight, abs=0.005), "units": "Ounces"}


def test_gift_orders_carry_a_message(orders):
    gifts = [o for o in orders if o["gift"]]
    assert gifts
    assert all(o["gift_message"] for o in gifts)
    assert not any(o["gift_message"] for o in orders if not o["gift"])


def test_notes_carry_awkward_characters(orders):
    notes = " ".join(o["customer_notes"] or "" for o in orders)
    notes += " ".join(o["internal_notes"] or "" for o in orders)
    for character in AWKWARD:
        assert character in notes


def test_customers_have_reserved_example_addresses(orders):
    for order in orders:
        assert re.fullmatch(r"[a-z]+\.[a-z]+@example\.(com|net|org)", order["customer"]["email"])
        ship_to = order["customer"]["ship_to"]
        if ship_to is not None:
            assert ship_to["country"] == "US" and re.fullmatch(r"[A-Z]{2}", ship_to["state"])


def test_the_same_seed_gives_the_same_orders_and_leaves_the_global_random_alone():
    state = random.getstate()

    def shop(seed: int) -> list[dict]:
        factory = OrderFactory(seed, MIDNIGHT)
        return [factory.order(str(n)) for n in range(3)]

    assert shop(5) == shop(5)
    assert shop(5) != shop(6)
    assert random.getstate() == state


def test_slugs_are_url_safe():
    assert slug("Coffee & Code Meetup") == "coffee-code-meetup"
    assert slug("St. Jude's Fun Run") == "st-jude-s-fun-run"
    assert slug("Black/White") == "black-white"
    assert slug("Café Crème") == "cafe-creme"


def test_a_batch_faker_draws_what_faker_draws():
    """Its weighted tables are summed once, not on every draw: the same values, seed by seed,
    and the same random state after (so that every later draw agrees too)."""
    fast, stock = batch_faker(), Faker("en_US")
    for seed in [*range(300), "1:999999", "7:12"]:
        drawn = []
        for fake in (fast, stock):
            fake.seed_instance(seed)
            drawn.append(
                (
                    fake.first_name(),
                    fake.last_name(),
                    fake.name(),
                    fake.company(),
                    fake.street_address(),
                    fake.secondary_address(),
                    fake.city(),
                    fake.state_abbr(include_territories=False),
                    fake.sentence(nb_words=10),
                    fake.random.random(),
                )
            )
        assert drawn[0] == drawn[1]
    day = FIXED_NOW.replace(hour=0, minute=0, second=0)
    for seed in ("1:0", "1:17", "3:5"):
        made = OrderFactory(seed, day, fake=fast).order("1048001")
        assert made == OrderFactory(seed, day, fake=Faker("en_US")).order("1048001")
