"""The SQLite database: where it lives, its schema, several stores, context management."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import responses
from fakes import PASSWORD, URL, USERNAME, Clock

from connector import Connector, UsageError
from connector.database import MIGRATIONS
from connector.service import default_db_path


def test_the_schema_is_versioned_with_wal_and_foreign_keys(db_path: Path):
    """On a file the connector creates from nothing (the ``connector`` fixture's is a copy)."""
    with Connector(db_path, env={}) as connector:
        assert connector.db.schema_version == len(MIGRATIONS)
        assert connector.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connector.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = {
            row[0]
            for row in connector.db.conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'"
            )
        }
        assert {"stores", "settings", "orders", "order_items", "products", "shipments"} <= tables
        columns = {row[1] for row in connector.db.conn.execute("PRAGMA table_info(shipments)")}
        assert columns >= {
            "id",
            "order_pk",
            "carrier",
            "service",
            "tracking_number",
            "carrier_fee",
            "label_path",
            "notified",
            "delivered",
            "created_at",
        }


def test_reopening_does_not_migrate_again(connector: Connector, db_path: Path):
    connector.close()
    with Connector(db_path, env={}) as again:
        assert again.db.schema_version == len(MIGRATIONS)


def test_shipments_show_on_their_order(connected: Connector, inksoft) -> None:
    from feedbuilder import feed, order

    inksoft.pages(feed(order("7001")))
    connected.refresh()
    pk = connected.db.conn.execute("SELECT id FROM orders").fetchone()[0]
    connected.db.conn.execute(
        "INSERT INTO shipments (order_pk, carrier, service, tracking_number, carrier_fee, "
        "label_path, notified, delivered, created_at) VALUES (?, 'UPS', 'UPS Ground', '1Z9', "
        "9.42, 'labels/l.zpl', 1, 0, '2026-03-10T12:00:00Z')",
        (pk,),
    )
    assert connected.order("7001")["shipments"] == [
        {
            "carrier": "UPS",
            "service": "UPS Ground",
            "tracking_number": "1Z9",
            "carrier_fee": 9.42,
            "label_path": "labels/l.zpl",
            "notified": True,
            "delivered": False,
        }
    ]
    with pytest.raises(sqlite3.IntegrityError):
        connected.db.conn.execute(
            "INSERT INTO shipments (order_pk, carrier, tracking_number, carrier_fee, created_at) "
            "VALUES (999, 'UPS', 'x', 1, 'now')"
        )


def test_import_pages_commit_unsynced_and_the_refresh_mark_synced(connected: Connector, inksoft):
    """Pages may be rolled back by a power cut, but only with the refresh mark after them."""
    from feedbuilder import feed, order

    inksoft.pages(feed(order("7001"), pages=2), feed(order("7002"), pages=2))
    synchronous, commits = "FULL", []

    def trace(statement: str) -> None:
        nonlocal synchronous
        words = statement.split()
        if words[:2] == ["PRAGMA", "synchronous"]:
            synchronous = words[-1]
        elif words[:2] == ["INSERT", "INTO"] or words[:3] == ["UPDATE", "stores", "SET"]:
            commits.append((" ".join(words[:3]), synchronous))

    connected.db.conn.set_trace_callback(trace)
    assert connected.refresh().imported == ["7001", "7002"]
    connected.db.conn.set_trace_callback(None)
    orders = [mode for what, mode in commits if what == "INSERT INTO orders"]
    assert orders == ["NORMAL", "NORMAL"]
    assert commits[-1] == ("UPDATE stores SET", "FULL")
    assert connected.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL again


def test_the_database_path_precedence(tmp_path: Path):
    explicit, from_env = tmp_path / "explicit.db", tmp_path / "env.db"
    env = {"INKSOFT_CONNECTOR_DB": str(from_env), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    with Connector(explicit, env=env) as connector:
        assert connector.db_path == explicit
    with Connector(env=env) as connector:
        assert connector.db_path == from_env
    with Connector(env={"XDG_DATA_HOME": str(tmp_path / "xdg")}) as connector:
        assert connector.db_path == tmp_path / "xdg" / "inksoft-connector" / "connector.db"
    assert explicit.is_file() and from_env.is_file() and connector.db_path.is_file()


def test_the_default_path_is_under_local_share(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = tmp_path / ".local" / "share" / "inksoft-connector" / "connector.db"
    assert default_db_path({}) == expected


def test_the_context_manager_closes_the_database(db_path: Path):
    with Connector(db_path, env={}) as connector:
        pass
    with pytest.raises(sqlite3.ProgrammingError):
        connector.db.conn.execute("SELECT 1")


@pytest.fixture
def two_stores(connector: Connector, http: responses.RequestsMock) -> Connector:
    for publisher_id in (20002, 30003):
        http.get(f"{URL}/{publisher_id}/shipstation", body=b"")
    connector.connect(URL, USERNAME, PASSWORD, 20002, name="Eagle Prints")
    connector.connect(URL, USERNAME, PASSWORD, 30003, name="Robot Club")
    return connector


def test_with_several_stores_commands_must_say_which(two_stores: Connector):
    with pytest.raises(UsageError, match=r"2 stores are connected .* --store"):
        two_stores.settings()
    assert two_stores.status("Robot Club")["publisher_id"] == 30003
    assert two_stores.status("20002")["name"] == "Eagle Prints"
    assert two_stores.status(30003)["name"] == "Robot Club"
    with pytest.raises(UsageError, match="No store is named or numbered 'Nope'"):
        two_stores.status("Nope")


def test_settings_are_per_store(two_stores: Connector):
    two_stores.update_settings(["notifications.shipment_email=false"], store="Robot Club")
    assert two_stores.settings("Robot Club")["notifications"]["shipment_email"] is False
    assert two_stores.settings("Eagle Prints")["notifications"]["shipment_email"] is True


def test_without_a_store_commands_say_to_connect_first(connector: Connector):
    with pytest.raises(UsageError, match="No store is connected yet"):
        connector.refresh()


def test_a_naive_clock_is_read_as_utc(db_path: Path):
    from datetime import datetime

    with Connector(db_path, clock=lambda: datetime(2026, 3, 10, 12, 0), env={}) as connector:
        assert connector.now().isoformat() == "2026-03-10T12:00:00+00:00"


def test_an_unknown_auth_mode_is_refused(db_path: Path, clock: Clock):
    with pytest.raises(UsageError, match="auth must be one of basic, query"):
        Connector(db_path, clock=clock, auth="digest", env={})
