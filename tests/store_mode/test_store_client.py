"""The store-mode client and its settings: writes refused unless allowed, a rate limit, the
password redacted in every form, credentials from the command line, environment or TOML."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from custom_store import CustomStore

from inksoft_testkit.storecheck import (
    ConfigError,
    Redactor,
    StoreClient,
    StoreConfig,
    WriteRefused,
    reading,
)
from inksoft_testkit.storecheck.config import resolve

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "S3cret pass&word"
END = datetime.now(timezone.utc).replace(second=0, microsecond=0)
START = END - timedelta(days=30)


@pytest.fixture(scope="module")
def store():
    store = CustomStore().start()
    yield store
    store.stop()


def config(url: str, **limits) -> StoreConfig:
    return StoreConfig(url=url, user="shipstation", password=PASSWORD, **limits)


def test_the_password_is_redacted_in_every_form_it_takes_on_the_wire():
    redact = Redactor("shipstation", PASSWORD)
    for written in (PASSWORD, "S3cret+pass%26word", "S3cret%20pass%26word",
                    "c2hpcHN0YXRpb246UzNjcmV0IHBhc3Mmd29yZA=="):  # fmt: skip
        assert redact(f"before {written} after") == "before *** after"


def test_an_exchange_shows_the_request_without_the_password(store):
    client = StoreClient(config(store.url, rate=None))
    exchange = client.export(START, END, 1, client.credentials("query"))
    assert exchange.status == 200
    assert "SS-Password=***" in exchange.describe()
    assert "S3cret" not in exchange.describe() and "S3cret" not in exchange.url


def test_no_notice_is_sent_without_allow_writes_nor_to_an_order_not_listed(store):
    before = len(store.log)
    reader = StoreClient(config(store.url, rate=None))
    with pytest.raises(WriteRefused, match="--store-allow-writes"):
        reader.ship_notify("W-1001", {}, b"<ShipNotice/>")
    writer = StoreClient(config(store.url, rate=None, allow_writes=True, orders=("W-1001",)))
    with pytest.raises(WriteRefused, match="W-1002 is not one of the orders listed"):
        writer.ship_notify("W-1002", {}, b"<ShipNotice/>")
    assert len(store.log) == before


def test_requests_are_paced_to_the_rate_limit(store):
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    client = StoreClient(config(store.url, rate=4), clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        client.export(START, END)
    assert slept == [pytest.approx(0.25), pytest.approx(0.25)]


def test_credentials_come_from_the_command_line_then_the_environment_then_the_toml_file(tmp_path):
    toml = tmp_path / "store.toml"
    toml.write_text('[store]\nurl = "https://shop.example/1/shipstation"\nuser = "file"\n'
                    'password = "from-file"\n')  # fmt: skip
    env = {"INKSOFT_STORE_USER": "env", "INKSOFT_STORE_PASSWORD": "from-env"}
    chosen = resolve(None, "cli", None, toml, env)
    assert (chosen.url, chosen.user, chosen.password) == (
        "https://shop.example/1/shipstation", "cli", "from-env",
    )  # fmt: skip
    assert "from-env" not in repr(chosen)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((None, "u", "p", None, {}), "--store-url"),
        (("http://x/1/shipstation", None, None, None, {}), "user (--store-user"),
        (("ftp://x", "u", "p", None, {}), "http:// or https://"),
    ],
)
def test_an_incomplete_setting_is_refused_with_where_to_give_it(args, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        resolve(*args)


def test_orders_to_notify_need_allow_writes_and_the_other_way_round():
    base = ("http://x/1/shipstation", "u", "p", None, {})
    with pytest.raises(ConfigError, match="needs --store-allow-writes"):
        resolve(*base, orders=("1",), allow_writes=False)
    with pytest.raises(ConfigError, match="--store-order N"):
        resolve(*base, orders=(), allow_writes=True)


def test_a_rate_of_none_is_no_limit_and_a_rate_not_given_is_five_a_second():
    base = ("http://x/1/shipstation", "u", "p", None, {})
    assert resolve(*base, rate=None).rate is None  # --store-rate 0
    assert resolve(*base, rate=2.0).rate == 2.0
    assert resolve(*base).rate == 5.0


def test_the_store_kit_and_the_test_store_import_neither_the_mock_nor_the_connector():
    root = Path(__file__).resolve().parents[2]
    sources = [*(root / "inksoft_testkit" / "storecheck").rglob("*.py")]
    sources.append(Path(__file__).with_name("custom_store.py"))
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & {"connector", "mock_inksoft"}, source


def test_the_schema_the_store_check_reads_is_in_its_package_and_is_shipstations():
    """An installed kit (``pip install .``, tox) has no checkout's ``fixtures/`` to read."""
    assert reading.XSD_PATH.parent == Path(reading.__file__).parent
    assert reading.XSD_PATH.read_bytes() == (ROOT / "fixtures" / reading.XSD_PATH.name).read_bytes()


def test_the_package_data_ships_the_schema():
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["inksoft_testkit"]
    inside = reading.XSD_PATH.relative_to(Path(reading.__file__).parents[1])
    assert any(inside.match(pattern) for pattern in shipped), shipped
