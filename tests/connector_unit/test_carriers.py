"""The carrier simulator: check digits, formats, rates, labels and their ZPL."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connector.carriers import (
    CARRIERS,
    Address,
    CarrierSimulator,
    Label,
    LabelError,
    is_valid_tracking_number,
    parse_carrier_service,
    quote,
    render_zpl_label,
    tracking_number,
    tracking_url,
)

# Published numbers (carriers' documentation and the jkeen/tracking_number_data test set).
PUBLISHED_VALID = {
    "UPS": [
        "1Z999AA10123456784",
        "1Z12345E6605272234",
        "1Z5R89390357567127",
        "1Z879E930346834440",
        "1Z410E7W0392751591",
        "1Z8V92A70367203024",
    ],
    "USPS": [
        "9400111201080805483016",
        "9361289878700317633795",
        "9405803699300124287899",
        "9505511069605048600624",
        "9101123456789000000013",
    ],
    "FedEx": ["986578788855", "477179081230", "799531274483", "790535312317", "974367662710"],
    "DHL": ["3318810025", "8487135506", "1099255990", "3821724944", "3318810036"],
}
PUBLISHED_INVALID = {
    "UPS": ["2Z5R89390357567127", "1A5R89390357567127", "1Z1111111111111111"],
    "USPS": ["9200000000000000000000", "61299998820821171811"],
    "FedEx": ["996578788855"],
    "DHL": ["3318810010", "3318810034", "3318810011"],
}
LENGTHS = {"UPS": 18, "USPS": 22, "FedEx": 12, "DHL": 10}
SERIAL_LIMITS = {"UPS": 10**7, "USPS": 10**7, "FedEx": 10**10, "DHL": 10**8}
SERVICES = [(c.name, s.name) for c in CARRIERS.values() for s in c.services]

NOW = datetime(2026, 3, 7, 16, 5, tzinfo=timezone.utc)
JANE = Address(
    name="Jane Doe",
    street1="12 Main St",
    street2="Apt 4",
    city="Austin",
    state="TX",
    postal_code="78701",
    country="US",
    phone="555-123-4567",
)
SHOP = Address(
    name="Eagle Prints",
    street1="400 Press Ave",
    city="Louisville",
    state="KY",
    postal_code="40202",
    country="US",
)


def numbers(carrier: str):
    """(service, serial) → a generated tracking number of ``carrier``."""
    services = [s.name for s in CARRIERS[carrier].services]
    return st.builds(
        lambda service, serial: tracking_number(carrier, serial, service=service),
        st.sampled_from(services),
        st.integers(0, SERIAL_LIMITS[carrier] - 1),
    )


def replace(number: str, position: int, digit: int) -> str:
    return f"{number[:position]}{digit}{number[position + 1 :]}"


# --- Check digits and formats -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("carrier", "number"), [(c, n) for c, ns in PUBLISHED_VALID.items() for n in ns]
)
def test_published_numbers_validate(carrier, number):
    assert is_valid_tracking_number(carrier, number)


@pytest.mark.parametrize(
    ("carrier", "number"), [(c, n) for c, ns in PUBLISHED_INVALID.items() for n in ns]
)
def test_published_invalid_numbers_do_not(carrier, number):
    assert not is_valid_tracking_number(carrier, number)


def test_validation_ignores_spacing_and_case():
    assert is_valid_tracking_number("ups", "1z 999 aa1 01 2345 678 4")
    assert is_valid_tracking_number("USPS", "9400 1112 0108 0805 4830 16")


@pytest.mark.parametrize("carrier", list(CARRIERS))
def test_a_number_of_one_carrier_is_not_another_s(carrier):
    own = tracking_number(carrier, 42)
    assert [c for c in CARRIERS if is_valid_tracking_number(c, own)] == [carrier]


@given(st.data())
@pytest.mark.parametrize("carrier", list(CARRIERS))
def test_generated_numbers_validate_and_have_the_carrier_s_length(carrier, data):
    number = data.draw(numbers(carrier))
    assert is_valid_tracking_number(carrier, number)
    assert len(number) == LENGTHS[carrier]


@settings(max_examples=30)  # each example tries all nine other check digits: 270 numbers
@given(st.data())
@pytest.mark.parametrize("carrier", list(CARRIERS))
def test_a_changed_check_digit_is_caught(carrier, data):
    number = data.draw(numbers(carrier))
    for digit in (d for d in range(10) if str(d) != number[-1]):
        assert not is_valid_tracking_number(carrier, replace(number, len(number) - 1, digit))


@given(number=numbers("USPS"), position=st.integers(0, 20), digit=st.integers(0, 9))
def test_usps_catches_every_single_digit_substitution(number, position, digit):
    changed = replace(number, position, digit)
    assert is_valid_tracking_number("USPS", changed) == (changed == number)


@given(number=numbers("UPS"), position=st.integers(8, 16), digit=st.integers(0, 9))
def test_ups_catches_single_substitutions_but_its_own_blind_spot(number, position, digit):
    # UPS doubles every second character without folding the product's digits (unlike Luhn):
    # a digit changed by 5 in a doubled position keeps the sum's last digit, so it goes unseen.
    changed = replace(number, position, digit)
    doubled = (position - 2) % 2 == 1
    blind = doubled and abs(int(number[position]) - digit) == 5
    assert is_valid_tracking_number("UPS", changed) == (changed == number or blind)


@given(number=numbers("DHL"), position=st.integers(0, 8), digit=st.integers(0, 9))
def test_dhl_catches_single_substitutions_but_changes_by_seven(number, position, digit):
    changed = replace(number, position, digit)
    blind = abs(int(number[position]) - digit) == 7
    assert is_valid_tracking_number("DHL", changed) == (changed == number or blind)


def test_ups_numbers_carry_the_shipper_and_the_service_code():
    number = tracking_number("UPS", 1234, service="UPS Next Day Air", shipper="A1B2C3")
    assert re.fullmatch(r"1ZA1B2C3010001234\d", number)
    assert tracking_number("UPS", 1234, service="UPS Ground", shipper="A1B2C3")[8:10] == "03"


def test_usps_numbers_are_impb_with_the_service_type_code_and_mailer_id():
    number = tracking_number("USPS", 1234, service="USPS Priority Mail", shipper="901234567")
    assert re.fullmatch(r"92055901234567000123\d\d", number)


def test_numbers_are_deterministic_and_distinct_per_serial():
    assert tracking_number("FedEx", 7) == tracking_number("FedEx", 7)
    assert len({tracking_number("UPS", serial) for serial in range(500)}) == 500


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"carrier": "Pony", "serial": 1}, "unknown carrier 'Pony'; known carriers: UPS, USPS"),
        ({"carrier": "UPS", "serial": -1}, "UPS serials run from 0 to 9999999"),
        ({"carrier": "UPS", "serial": 10**7}, "UPS serials run from 0 to 9999999"),
        ({"carrier": "UPS", "serial": 1, "shipper": "ab"}, "'ab' is not a UPS shipper account"),
        ({"carrier": "USPS", "serial": 1, "shipper": "12"}, "'12' is not a USPS shipper account"),
        ({"carrier": "FedEx", "serial": 1, "shipper": "1"}, "FedEx tracking numbers carry no"),
        ({"carrier": "UPS", "serial": 1, "service": "FedEx 2Day"}, "unknown UPS service"),
    ],
)
def test_tracking_number_errors(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        tracking_number(**kwargs)


def test_validating_for_an_unknown_carrier_is_an_error():
    with pytest.raises(ValueError, match="unknown carrier 'Pony'"):
        is_valid_tracking_number("Pony", "1Z999AA10123456784")


@pytest.mark.parametrize(
    ("carrier", "url"),
    [
        ("UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456784"),
        ("usps", "https://tools.usps.com/go/TrackConfirmAction?tLabels=1Z999AA10123456784"),
        ("FedEx", "https://www.fedex.com/fedextrack/?trknbr=1Z999AA10123456784"),
    ],
)
def test_tracking_urls(carrier, url):
    assert tracking_url(carrier, "1Z999AA10123456784") == url


def test_tracking_urls_quote_the_number():
    assert tracking_url("UPS", "1Z 9&x") == "https://www.ups.com/track?tracknum=1Z%209%26x"


# --- Services ---------------------------------------------------------------------------------


def test_the_service_table():
    assert {c: [s.name for s in CARRIERS[c].services] for c in ("UPS", "USPS", "FedEx")} == {
        "UPS": ["UPS Ground", "UPS 2nd Day Air", "UPS Next Day Air"],
        "USPS": [
            "USPS Ground Advantage",
            "USPS First Class Mail",
            "USPS Priority Mail",
            "USPS Priority Mail Express",
        ],
        "FedEx": ["FedEx Ground", "FedEx Home Delivery", "FedEx 2Day", "FedEx Standard Overnight"],
    }
    assert [s.code for s in CARRIERS["UPS"].services] == ["03", "02", "01"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UPS/UPS Ground", ("UPS", "UPS Ground")),
        ("fedex / fedex 2day", ("FedEx", "FedEx 2Day")),
        ("USPS/USPS Priority Mail Express", ("USPS", "USPS Priority Mail Express")),
    ],
)
def test_parse_carrier_service(text, expected):
    assert parse_carrier_service(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("UPS Ground", "expected CARRIER/SERVICE such as 'UPS/UPS Ground', got 'UPS Ground'"),
        ("UPS/", "expected CARRIER/SERVICE"),
        (" /UPS Ground", "expected CARRIER/SERVICE"),
        ("Pony/Express", "unknown carrier 'Pony'"),
        ("UPS/FedEx Ground", "unknown UPS service 'FedEx Ground'; known services: UPS Ground,"),
    ],
)
def test_parse_carrier_service_errors(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_carrier_service(text)


# --- Rates ------------------------------------------------------------------------------------


def test_a_quote_is_dollars_and_cents_and_pinned():
    fee = quote("UPS", "UPS Ground", 12.2, "US", "78701")
    assert fee == Decimal("13.06")
    assert fee.as_tuple().exponent == -2
    assert quote("ups", "ups ground", 12.2, "us", "78701-1234") == fee


@given(
    service=st.sampled_from(SERVICES),
    weights=st.lists(st.floats(0.01, 1120), min_size=2, max_size=2),
    zip_code=st.from_regex(r"\A[0-9]{5}\Z"),
)
def test_quotes_grow_with_the_weight(service, weights, zip_code):
    light, heavy = sorted(weights)
    assert quote(*service, light, "US", zip_code) <= quote(*service, heavy, "US", zip_code)


@pytest.mark.parametrize("service", SERVICES)
def test_weight_is_billed_per_started_pound(service):
    prices = [quote(*service, oz, "US", "78701") for oz in (0.5, 16, 16.01, 32, 32.01)]
    assert prices[0] == prices[1] < prices[2] == prices[3] < prices[4]


def test_faster_services_cost_more():
    for carrier in ("UPS", "FedEx"):
        prices = [quote(carrier, s.name, 40, "US", "78701") for s in CARRIERS[carrier].services]
        assert prices == sorted(prices)


def test_farther_destinations_cost_more():
    def ground(country: str, postal_code: str) -> Decimal:
        return quote("UPS", "UPS Ground", 40, country, postal_code)

    assert ground("US", "40202") < ground("US", "78701") < ground("US", "90210")
    assert ground("US", "90210") < ground("CA", "H2X 1Y4") < ground("GB", "SW1A 1AA")
    assert ground("DE", "") == ground("GB", "SW1A 1AA")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("UPS", "UPS Fast", 10, "US", "78701"), "unknown UPS service 'UPS Fast'"),
        (("UPS", "UPS Ground", 0, "US", "78701"), "the weight must be more than 0 oz, got 0"),
        (("UPS", "UPS Ground", -3, "US", "78701"), "the weight must be more than 0 oz"),
        (("UPS", "UPS Ground", float("nan"), "US", "78701"), "the weight must be more than 0"),
        (("UPS", "UPS Ground", 2400.5, "US", "78701"), "over the UPS limit of 150 lb"),
        (("FedEx", "FedEx 2Day", 2401, "US", "78701"), "over the FedEx limit of 150 lb"),
        (("USPS", "USPS Priority Mail", 1121, "US", "78701"), "over the USPS limit of 70 lb"),
        (("UPS", "UPS Ground", 10, "US", "7870"), "'7870' is not a US ZIP code"),
        (("UPS", "UPS Ground", 10, "USA", "78701"), "'USA' is not an ISO 3166-1 alpha-2"),
    ],
)
def test_quote_errors(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        quote(*args)


def test_the_weight_limits_themselves_are_allowed():
    assert quote("UPS", "UPS Ground", 2400, "US", "78701") > 0
    assert quote("USPS", "USPS Priority Mail", 1120, "US", "78701") > 0


# --- Addresses and labels ---------------------------------------------------------------------


def test_address_from_a_canonical_record():
    record = {
        "name": " Jane Doe ",
        "company": None,
        "street1": "12 Main St",
        "city": "Austin",
        "state": "TX",
        "postal_code": 78701,
        "country": "US",
        "residential": True,
    }
    address = Address.from_record(record)
    assert address == Address(
        name="Jane Doe",
        street1="12 Main St",
        city="Austin",
        state="TX",
        postal_code="78701",
        country="US",
    )
    assert address.lines() == ["Jane Doe", "12 Main St", "Austin, TX 78701", "US"]


def create(**changes) -> Label:
    arguments = {
        "order_number": "1048231",
        "carrier": "UPS",
        "service": "UPS Ground",
        "weight_oz": 12.2,
        "ship_to": JANE,
        "serial": 7,
        "created_at": NOW,
    }
    return CarrierSimulator().create_label(**(arguments | changes))


def test_a_label():
    label = create(carrier="usps", service="usps priority mail")
    assert label == Label(
        carrier="USPS",
        service="USPS Priority Mail",
        tracking_number=tracking_number("USPS", 7, service="USPS Priority Mail"),
        carrier_fee=quote("USPS", "USPS Priority Mail", 12.2, "US", "78701"),
        weight_oz=12.2,
        order_number="1048231",
        created_at=NOW,
    )
    assert is_valid_tracking_number("USPS", label.tracking_number)
    assert create(carrier="usps", service="usps priority mail") == label


def test_the_simulator_uses_the_shipper_accounts_it_is_given():
    label = CarrierSimulator({"ups": "A1B2C3"}).create_label(
        order_number="1",
        carrier="UPS",
        service="UPS Ground",
        weight_oz=10,
        ship_to=JANE,
        serial=5,
        created_at=NOW,
    )
    assert label.tracking_number.startswith("1ZA1B2C303")


@pytest.mark.parametrize("part", ["street1", "city", "postal_code", "country"])
def test_a_label_needs_each_address_part(part):
    ship_to = Address.from_record(vars(JANE) | {part: "  "})
    with pytest.raises(LabelError, match=f"order 1048231: the ship-to address has no {part}$"):
        create(ship_to=ship_to)


def test_a_label_error_names_every_missing_part():
    with pytest.raises(LabelError, match=r"has no street1, city, postal_code, country$"):
        create(ship_to=Address(name="Jane Doe"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_oz": 0}, "the weight must be more than 0 oz"),
        ({"service": "UPS Fast"}, "unknown UPS service 'UPS Fast'"),
        ({"carrier": "Pony"}, "unknown carrier 'Pony'"),
        ({"serial": -1}, "UPS serials run from 0"),
    ],
)
def test_label_errors_name_the_order_and_the_reason(changes, message):
    with pytest.raises(LabelError, match=re.escape(f"label for order 1048231: {message}")):
        create(**changes)


def test_a_label_error_is_a_value_error():
    assert issubclass(LabelError, ValueError)


# --- ZPL --------------------------------------------------------------------------------------


def test_a_zpl_label():
    label = create()
    zpl = render_zpl_label(label, SHOP, JANE)
    lines = zpl.splitlines()
    assert lines[0] == "^XA" and lines[-1] == "^XZ"
    assert {"^PW812", "^LL1218", "^CI28"} <= set(lines)
    assert all(line.startswith("^") for line in lines)
    fields = re.findall(r"\^FD(.*?)\^FS", zpl)
    for text in [*SHOP.lines(), *JANE.lines(), "UPS", "UPS Ground"]:
        assert text in fields
    assert f"TRACKING #: {label.tracking_number}" in fields
    assert "WEIGHT: 12.2 OZ" in fields and "REF: ORDER 1048231" in fields
    assert "SHIP DATE: 2026-03-07" in fields
    [barcode] = re.findall(r"\^BC[^\^]*\^FD(.*?)\^FS", zpl)
    assert barcode == label.tracking_number


def test_zpl_positions_stay_on_the_label():
    full = Address(**{name: f"{name} " * 30 for name in vars(JANE)})
    zpl = render_zpl_label(create(), full, full)
    for x, y in re.findall(r"\^FO(\d+),(\d+)", zpl):
        assert 0 <= int(x) < 812 and 0 <= int(y) < 1218
    for width in re.findall(r"\^FB(\d+),", zpl):
        assert int(width) <= 812 - 2 * 40


@given(st.text())
def test_free_text_cannot_break_out_of_its_field(text):
    ship_to = Address.from_record(vars(JANE) | {"name": text, "street2": f"^XZ~JA{text}"})
    zpl = render_zpl_label(create(order_number=f"~DG{text}^"), SHOP, ship_to)
    assert zpl.count("^XA") == zpl.count("^XZ") == 1
    assert "~" not in zpl
    assert all(line.startswith("^") for line in zpl.splitlines())


def test_sanitising_keeps_the_readable_text():
    ship_to = Address.from_record(vars(JANE) | {"name": "Tom ^& Jerry~\nSmith"})
    assert "^FDTom & Jerry Smith^FS" in render_zpl_label(create(), SHOP, ship_to)
