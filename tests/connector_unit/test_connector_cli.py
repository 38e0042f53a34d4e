"""``inksoft-connector``: commands, human and JSON output, exit codes 0 / 1 / 2."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
import responses
from fakes import ENDPOINT, PASSWORD, URL, USERNAME, FakeInkSoft
from feedbuilder import feed, order

from connector.cli import main

XML_ERROR = "Error updating store: An error occurred attempting to update orders: Error in XML."


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("INKSOFT_CONNECTOR_DB", "INKSOFT_CONNECTOR_KEY", "INKSOFT_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]):
    """Run the command line on the test database: ``(exit code, stdout, stderr)``."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


CONNECT = ("connect", "--url", URL, "--username", USERNAME, "--publisher-id", "20002")


@pytest.fixture
def cli_connected(cli, inksoft: FakeInkSoft):
    inksoft.pages(b"")
    assert cli(*CONNECT, "--password", PASSWORD, "--name", "Eagle Prints")[0] == 0
    inksoft.http.reset()
    return cli


def sent_password(http: responses.RequestsMock) -> str:
    header = http.calls[0].request.headers["Authorization"].removeprefix("Basic ")
    return base64.b64decode(header).decode().partition(":")[2]


def test_connect_succeeds(cli, inksoft: FakeInkSoft, db_path: Path):
    inksoft.pages(b"")
    code, out, err = cli(*CONNECT, "--password", PASSWORD, "--name", "Eagle Prints")
    assert code == 0
    assert out == f"Connected store 'Eagle Prints' (Publisher ID 20002) at {URL}.\n"
    assert err == ""
    assert db_path.is_file()


def test_connect_reads_the_password_from_stdin(
    cli, inksoft: FakeInkSoft, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    inksoft.pages(b"")
    assert cli(*CONNECT, "--password-stdin")[0] == 0
    assert sent_password(inksoft.http) == PASSWORD


def test_connect_reads_the_password_from_the_environment(
    cli, inksoft: FakeInkSoft, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("INKSOFT_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    inksoft.pages(b"")
    assert cli(*CONNECT)[0] == 0
    assert sent_password(inksoft.http) == PASSWORD


def test_connect_without_a_password_is_refused_before_any_request(
    cli, http: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = cli(*CONNECT)
    assert code == 2
    assert err == "error: Cannot connect the store: the password is missing.\n"
    assert len(http.calls) == 0


def test_a_refused_connection_exits_2_without_the_password(cli, inksoft: FakeInkSoft):
    inksoft.error(401, "InvalidCredentials")
    code, out, err = cli(*CONNECT, "--password", PASSWORD, "--json")
    assert code == 2
    assert "did not accept the username or password" in err
    error = json.loads(out)["error"]
    assert error["kind"] == "refused"
    assert error["message"] in err
    assert PASSWORD not in out + err


def test_import_lists_what_was_skipped(cli_connected, inksoft: FakeInkSoft):
    inksoft.pages(feed(order("5211"), order("5212", {"Customer/ShipTo": None})))
    code, out, _ = cli_connected("import")
    assert code == 0
    assert out.splitlines() == [
        "Imported 1 new and 0 updated orders from 1 page.",
        "Skipped 1:",
        "ORDER  REASON               MESSAGE",
        "5212   no_shipping_address  Order 5212 has no shipping address: not imported.",
    ]


def test_import_with_the_store_error_exits_1(cli_connected, inksoft: FakeInkSoft):
    inksoft.pages(b"")
    code, out, err = cli_connected("import", "--json")
    assert code == 1
    first, hint = err.splitlines()
    assert first == XML_ERROR
    assert "InkSoft says it has no pending orders" in hint
    assert "clears itself at the next refresh" in hint
    assert json.loads(out)["error"] == XML_ERROR
    code, out, err = cli_connected("status")
    assert code == 1
    assert err.splitlines() == [first, hint]
    assert re.search(r"^Error +" + re.escape(XML_ERROR) + "$", out, re.MULTILINE)


def test_orders_status_and_products(cli_connected, inksoft: FakeInkSoft):
    inksoft.pages(feed(order("5201"), order("5202", {"OrderStatus": "On Hold"})))
    assert cli_connected("import")[0] == 0
    code, out, _ = cli_connected("orders")
    assert code == 0
    assert out.splitlines() == [
        "ORDER  DATE                  STATUS             INKSOFT STATUS  SHIP TO         "
        "ITEMS  TOTAL",
        "5201   2026-03-05T14:22:00Z  awaiting_shipment  Ready to Ship   Austin, TX, US  "
        "2      44.87",
        "5202   2026-03-05T14:22:00Z  on_hold            On Hold         Austin, TX, US  "
        "2      44.87",
    ]
    code, out, _ = cli_connected("orders", "--status", "on_hold", "--json")
    [record] = json.loads(out)
    assert (record["order_number"], record["shipments"]) == ("5202", [])
    code, out, _ = cli_connected("status", "--json")
    assert code == 0
    assert json.loads(out)["counts"]["on_hold"] == 1
    code, out, _ = cli_connected("products")
    assert out.splitlines() == [
        "SKU          NAME                          WEIGHT      LOCATION",
        "G500-NAVY-L  Gildan 5000 Heavy Cotton Tee  6.1 ounces  Shelf B3",
    ]


def test_settings_show_and_change(cli_connected):
    code, out, _ = cli_connected("settings", "--set", "notifications.delivery_email=false")
    assert code == 0
    assert re.search(r"^notifications.delivery_email +false$", out, re.MULTILINE)
    assert re.search(r"^status_mapping.shipped +Shipped, Completed$", out, re.MULTILINE)
    code, out, _ = cli_connected("settings", "--json")
    assert json.loads(out)["notifications"]["delivery_email"] is False


def test_an_unknown_setting_exits_2(cli_connected):
    code, _, err = cli_connected("settings", "--set", "branding.colour=blue")
    assert code == 2
    assert "Unknown setting 'branding.colour'" in err


def test_several_stores_need_store(cli_connected, http: responses.RequestsMock):
    http.get(f"{URL}/30003/shipstation", body=b"")
    connect_other = ("connect", "--url", URL, "--username", USERNAME, "--publisher-id", "30003")
    assert cli_connected(*connect_other, "--password", PASSWORD, "--name", "Robot Club")[0] == 0
    code, _, err = cli_connected("status")
    assert code == 2 and "--store" in err
    code, out, _ = cli_connected("status", "--store", "Robot Club", "--json")
    assert json.loads(out)["publisher_id"] == 30003


def test_db_may_follow_the_command(inksoft: FakeInkSoft, tmp_path: Path, capsys):
    inksoft.pages(b"")
    path = tmp_path / "after.db"
    assert main([*CONNECT, "--password", PASSWORD, "--db", str(path)]) == 0
    assert path.is_file()


def test_the_database_comes_from_the_environment(
    inksoft: FakeInkSoft, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    path = tmp_path / "env.db"
    monkeypatch.setenv("INKSOFT_CONNECTOR_DB", str(path))
    inksoft.pages(b"")
    assert main([*CONNECT, "--password", PASSWORD]) == 0
    assert path.is_file()


def test_bad_usage_exits_2(cli):
    assert cli("orders", "--status", "lost")[0] == 2
    assert cli("frobnicate")[0] == 2
    code, _, err = cli("import")
    assert code == 2 and "No store is connected yet" in err


def test_help_exits_0(cli):
    code, out, _ = cli("--help")
    assert code == 0 and "connect" in out


def test_query_auth_is_selectable(cli, http: responses.RequestsMock):
    http.get(ENDPOINT, body=b"")
    assert cli("--auth", "query", *CONNECT, "--password", PASSWORD)[0] == 0
    assert f"SS-Password={PASSWORD}" in http.calls[0].request.url
