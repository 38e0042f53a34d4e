"""The connector's SQLite database: one real file, WAL, foreign keys, a versioned schema.

Schema changes are appended to :data:`MIGRATIONS` (never edited once released); the database's
``PRAGMA user_version`` is the number of migrations applied. Part 2 (labels, notices,
deliveries) adds its tables the same way.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from connector.feed import FeedOrder
from connector.records import (
    ITEM_COLUMNS,
    ORDER_COLUMNS,
    OrderRecord,
    Product,
    item_row,
    order_record,
    product_from_row,
    product_params,
)
from connector.settings import STATUSES

MIGRATIONS: list[str] = [
    f"""
    CREATE TABLE stores (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        publisher_id INTEGER NOT NULL UNIQUE,
        url TEXT NOT NULL,
        username TEXT NOT NULL,
        password_encrypted TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_refresh TEXT,
        last_refresh_attempt TEXT,
        error TEXT
    );
    CREATE TABLE settings (
        store_id INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (store_id, key)
    );
    CREATE TABLE orders (
        id INTEGER PRIMARY KEY,
        store_id INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        order_id TEXT NOT NULL,
        order_number TEXT NOT NULL,
        order_date TEXT NOT NULL,
        last_modified TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ({", ".join(f"'{s}'" for s in STATUSES)})),
        store_status TEXT NOT NULL,
        customer_email TEXT,
        customer_phone TEXT,
        requested_service TEXT,
        payment_method TEXT,
        gift INTEGER NOT NULL DEFAULT 0,
        gift_message TEXT,
        internal_notes TEXT,
        customer_notes TEXT,
        order_total REAL NOT NULL,
        tax_amount REAL NOT NULL,
        shipping_amount REAL NOT NULL,
        total_weight_value REAL,
        total_weight_units TEXT,
        coupons TEXT NOT NULL DEFAULT '[]',
        discounts TEXT NOT NULL DEFAULT '[]',
        ship_to TEXT,
        bill_to TEXT,
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (store_id, order_id)
    );
    CREATE INDEX orders_by_number ON orders (store_id, order_number);
    CREATE INDEX orders_by_status ON orders (store_id, status);
    CREATE TABLE order_items (
        id INTEGER PRIMARY KEY,
        order_pk INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        line_item_id TEXT,
        sku TEXT NOT NULL,
        name TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        unit_price REAL NOT NULL,
        weight_value REAL,
        weight_units TEXT,
        image_url TEXT,
        location TEXT,
        options TEXT NOT NULL DEFAULT '[]',
        color TEXT,
        size TEXT,
        design TEXT,
        UNIQUE (order_pk, position)
    );
    CREATE TABLE products (
        id INTEGER PRIMARY KEY,
        store_id INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
        sku TEXT NOT NULL,
        name TEXT,
        weight_value REAL,
        weight_units TEXT,
        location TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (store_id, sku)
    );
    CREATE TABLE shipments (
        id INTEGER PRIMARY KEY,
        order_pk INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        carrier TEXT NOT NULL,
        service TEXT,
        tracking_number TEXT NOT NULL,
        carrier_fee REAL NOT NULL,
        label_path TEXT,
        notified INTEGER NOT NULL DEFAULT 0,
        delivered INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE INDEX shipments_by_order ON shipments (order_pk);
    """,
    """
    ALTER TABLE shipments ADD COLUMN notes_to_buyer TEXT;
    ALTER TABLE shipments ADD COLUMN delivered_at TEXT;
    CREATE UNIQUE INDEX shipments_by_tracking ON shipments (carrier, tracking_number);
    CREATE TABLE notices (
        id INTEGER PRIMARY KEY,
        shipment_id INTEGER NOT NULL UNIQUE REFERENCES shipments(id) ON DELETE CASCADE,
        body BLOB NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_attempt_at TEXT,
        accepted_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX notices_queued ON notices (accepted_at, id);
    """,
]

# An order labelled here stays shipped while InkSoft has not yet recorded the shipment (its
# update is queued): an export still saying "awaiting shipment" does not undo the label.
KEEP_SHIPPED = """status = CASE
        WHEN excluded.status = 'awaiting_shipment'
             AND EXISTS (SELECT 1 FROM shipments WHERE shipments.order_pk = orders.id)
        THEN orders.status ELSE excluded.status END"""

UPSERT_ORDER = f"""
    INSERT INTO orders (store_id, {", ".join(ORDER_COLUMNS)}, imported_at, updated_at)
    VALUES ({", ".join("?" * (len(ORDER_COLUMNS) + 3))})
    ON CONFLICT (store_id, order_id) DO UPDATE SET
    {", ".join(KEEP_SHIPPED if c == "status" else f"{c} = excluded.{c}" for c in ORDER_COLUMNS)},
    updated_at = excluded.updated_at
"""  # noqa: S608 (column names are constants)

INSERT_ITEM = f"""
    INSERT INTO order_items (order_pk, {", ".join(ITEM_COLUMNS)})
    VALUES ({", ".join("?" * (len(ITEM_COLUMNS) + 1))})
"""  # noqa: S608 (column names are constants)

UPSERT_PRODUCT = """
    INSERT INTO products (store_id, sku, name, weight_value, weight_units, location,
                          created_at, updated_at)
    VALUES (:store_id, :sku, :name, :weight_value, :weight_units, :location, :now, :now)
    ON CONFLICT (store_id, sku) DO UPDATE SET
        name = excluded.name, weight_value = excluded.weight_value,
        weight_units = excluded.weight_units, location = excluded.location,
        updated_at = excluded.updated_at
"""


@dataclass(frozen=True)
class StoreRow:
    id: int
    name: str
    publisher_id: int
    url: str
    username: str
    password_encrypted: str
    created_at: str
    updated_at: str
    last_refresh: str | None
    last_refresh_attempt: str | None
    error: str | None

    def public(self) -> dict[str, Any]:
        """The store as the API shows it: everything but the password."""
        return {
            "name": self.name,
            "publisher_id": self.publisher_id,
            "url": self.url,
            "username": self.username,
            "created_at": self.created_at,
            "last_refresh": self.last_refresh,
            "error": self.error,
        }


class Database:
    """The connection and every query the connector makes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")  # each commit is on disk when it returns
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 5000")
        self.migrate()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self, *, synced: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction. ``synced=False`` commits without waiting for the disk: a power cut
        may then roll the transaction back (never half of it), and the next synced commit makes
        it durable with everything before it."""
        if not synced:
            self.conn.execute("PRAGMA synchronous = NORMAL")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        finally:
            if not synced:
                self.conn.execute("PRAGMA synchronous = FULL")

    def migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            self.conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # --- Stores --------------------------------------------------------------------------

    def stores(self) -> list[StoreRow]:
        rows = self.conn.execute("SELECT * FROM stores ORDER BY id")
        return [StoreRow(**row) for row in rows]

    def add_store(
        self, name: str, publisher_id: int, url: str, username: str, token: str, now: str
    ) -> None:
        self.conn.execute(
            "INSERT INTO stores (name, publisher_id, url, username, password_encrypted, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, publisher_id, url, username, token, now, now),
        )

    def update_store(
        self, store_id: int, name: str, url: str, username: str, token: str, now: str
    ) -> None:
        self.conn.execute(
            "UPDATE stores SET name = ?, url = ?, username = ?, password_encrypted = ?, "
            "updated_at = ? WHERE id = ?",
            (name, url, username, token, now, store_id),
        )

    def record_refresh(
        self, store_id: int, attempted_at: str, *, succeeded_at: str | None, error: str | None
    ) -> None:
        """Note a refresh: on success its time and no error; on failure the error only."""
        self.conn.execute(
            "UPDATE stores SET last_refresh_attempt = ?, error = ?, "
            "last_refresh = COALESCE(?, last_refresh) WHERE id = ?",
            (attempted_at, error, succeeded_at, store_id),
        )

    # --- Settings ------------------------------------------------------------------------

    def stored_settings(self, store_id: int) -> dict[str, Any]:
        rows = self.conn.execute("SELECT key, value FROM settings WHERE store_id = ?", (store_id,))
        return {row["key"]: json.loads(row["value"]) for row in rows}

    def save_settings(self, store_id: int, changes: dict[str, Any]) -> None:
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO settings (store_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (store_id, key) DO UPDATE SET value = excluded.value",
                [(store_id, key, json.dumps(value)) for key, value in changes.items()],
            )

    # --- Orders --------------------------------------------------------------------------

    def save_page(
        self,
        store_id: int,
        orders: Sequence[tuple[FeedOrder, tuple[Any, ...]]],
        products: Iterable[Product],
        now: str,
    ) -> tuple[set[str], set[str]]:
        """Upsert one page's orders (and their items) and products in one transaction; each
        order comes with its row (:func:`~connector.records.order_row`), one order per ID.

        The transaction is not synced: a page lost to a power cut is read again, because the
        refresh's success is recorded after its pages, by a synced commit that makes them
        durable. Returns the order IDs that were already stored (updated rather than imported)
        and, of those, the ones stored with every field the same (unchanged).
        """
        rows = {order.order_id: row for order, row in orders}
        with self.transaction(synced=False):
            stored = self.stored_orders(store_id, list(rows))
            self.conn.executemany(
                UPSERT_ORDER, [(store_id, *row, now, now) for row in rows.values()]
            )
            pks = {order_id: pk for order_id, (pk, _) in stored.items()}
            pks |= self.order_pks(store_id, [i for i in rows if i not in stored])
            if stored:  # a new order has no items to replace
                self.conn.executemany(
                    "DELETE FROM order_items WHERE order_pk = ?",
                    [(pk,) for pk, _ in stored.values()],
                )
            self.conn.executemany(
                INSERT_ITEM,
                [
                    (pks[order.order_id], *item_row(item, position))
                    for order, _ in orders
                    for position, item in enumerate(order.items, start=1)
                ],
            )
            self.conn.executemany(
                UPSERT_PRODUCT,
                [product_params(p) | {"store_id": store_id, "now": now} for p in products],
            )
        unchanged = {order_id for order_id, (_, row) in stored.items() if row == rows[order_id]}
        return set(stored), unchanged

    def stored_orders(
        self, store_id: int, order_ids: Sequence[str]
    ) -> dict[str, tuple[int, tuple[Any, ...]]]:
        """The stored orders among ``order_ids``: each one's primary key and row (the values of
        :data:`~connector.records.ORDER_COLUMNS`)."""
        if not order_ids:
            return {}
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples, to compare with order_row()'s
        rows = cursor.execute(
            f"SELECT id, {', '.join(ORDER_COLUMNS)} FROM orders "  # noqa: S608 (constant columns)
            f"WHERE store_id = ? AND order_id IN ({', '.join('?' * len(order_ids))})",
            (store_id, *order_ids),
        )
        return {row[1]: (row[0], row[1:]) for row in rows}

    def order_pks(self, store_id: int, order_ids: Sequence[str]) -> dict[str, int]:
        if not order_ids:
            return {}
        marks = ", ".join("?" * len(order_ids))
        rows = self.conn.execute(
            f"SELECT order_id, id FROM orders WHERE store_id = ? AND order_id IN ({marks})",  # noqa: S608
            (store_id, *order_ids),
        )
        return {row["order_id"]: row["id"] for row in rows}

    def orders(
        self, store: StoreRow, status: str | None = None, order_number: str | None = None
    ) -> list[OrderRecord]:
        """Canonical order records, oldest order first."""
        where, params = "store_id = ?", [cast(Any, store.id)]
        if status is not None:
            where, params = where + " AND status = ?", [*params, status]
        if order_number is not None:
            where, params = where + " AND order_number = ?", [*params, order_number]
        orders = self.conn.execute(
            f"SELECT * FROM orders WHERE {where} ORDER BY order_date, order_number, id",  # noqa: S608
            params,
        ).fetchall()
        items = self._children("order_items", "position", [o["id"] for o in orders])
        shipments = self._children("shipments", "id", [o["id"] for o in orders])
        return [
            order_record(row, store.name, items.get(row["id"], []), shipments.get(row["id"], []))
            for row in orders
        ]

    def order(self, store: StoreRow, order_number: str) -> OrderRecord | None:
        """The store's order with this number; when several InkSoft orders share the number,
        the one changed last. Every lookup of one order goes through here."""
        found = self.orders(store, order_number=order_number)
        return max(found, key=lambda order: order["last_modified"]) if found else None

    def _children(self, table: str, order_by: str, pks: list[int]) -> dict[int, list[sqlite3.Row]]:
        found: dict[int, list[sqlite3.Row]] = {}
        for chunk in (pks[i : i + 500] for i in range(0, len(pks), 500)):
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT * FROM {table} WHERE order_pk IN ({marks}) ORDER BY order_pk, {order_by}",  # noqa: S608
                chunk,
            )
            for row in rows:
                found.setdefault(row["order_pk"], []).append(row)
        return found

    def order_counts(self, store_id: int) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        rows = self.conn.execute(
            "SELECT status, COUNT(*) AS n FROM orders WHERE store_id = ? GROUP BY status",
            (store_id,),
        )
        counts.update({row["status"]: row["n"] for row in rows})
        return counts

    # --- Products ------------------------------------------------------------------------

    def products(self, store_id: int, skus: Iterable[str] | None = None) -> list[Product]:
        query, params = "SELECT * FROM products WHERE store_id = ?", [cast(Any, store_id)]
        if skus is not None:
            wanted = sorted(set(skus))
            if not wanted:
                return []
            query += f" AND sku IN ({', '.join('?' * len(wanted))})"
            params += wanted
        rows = self.conn.execute(query + " ORDER BY sku", params)
        return [product_from_row(row) for row in rows]

    # --- Shipments and the notice queue ----------------------------------------------------

    def next_shipment_serial(self) -> int:
        """The serial the next label's tracking number is made from (the next shipment id)."""
        return self.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM shipments").fetchone()[0]

    def record_shipment(
        self,
        store_id: int,
        order_id: str,
        label: Any,
        *,
        label_path: str,
        notes_to_buyer: str | None,
        notice: bytes,
        now: str,
    ) -> int:
        """In one transaction: the shipment, its queued notice, the order shipped. The notice id."""
        with self.transaction():
            order_pk = self.order_pks(store_id, [order_id])[order_id]
            shipment_id = self.conn.execute(
                "INSERT INTO shipments (order_pk, carrier, service, tracking_number, carrier_fee, "
                "label_path, notes_to_buyer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    order_pk,
                    label.carrier,
                    label.service,
                    label.tracking_number,
                    float(label.carrier_fee),
                    label_path,
                    notes_to_buyer,
                    now,
                ),
            ).lastrowid
            self.conn.execute(
                "UPDATE orders SET status = 'shipped', updated_at = ? WHERE id = ?", (now, order_pk)
            )
            notice_id = self.conn.execute(
                "INSERT INTO notices (shipment_id, body, created_at) VALUES (?, ?, ?)",
                (shipment_id, notice, now),
            ).lastrowid
            assert notice_id is not None  # an INSERT's row
            return notice_id

    NOTICE_QUERY = """
        SELECT notices.id, notices.body, notices.attempts, notices.last_error,
               shipments.carrier, shipments.service, shipments.tracking_number,
               orders.order_number
        FROM notices
        JOIN shipments ON shipments.id = notices.shipment_id
        JOIN orders ON orders.id = shipments.order_pk
    """

    def notice(self, notice_id: int) -> sqlite3.Row:
        return self.conn.execute(
            self.NOTICE_QUERY + " WHERE notices.id = ?", (notice_id,)
        ).fetchone()

    def queued_notices(self, store_id: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            self.NOTICE_QUERY
            + " WHERE orders.store_id = ? AND notices.accepted_at IS NULL ORDER BY notices.id",
            (store_id,),
        ).fetchall()

    def notice_accepted(self, notice_id: int, now: str) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE notices SET accepted_at = ?, attempts = attempts + 1, last_attempt_at = ? "
                "WHERE id = ?",
                (now, now, notice_id),
            )
            self.conn.execute(
                "UPDATE shipments SET notified = 1 "
                "WHERE id = (SELECT shipment_id FROM notices WHERE id = ?)",
                (notice_id,),
            )

    def notice_failed(self, notice_id: int, error: str, now: str) -> None:
        self.conn.execute(
            "UPDATE notices SET attempts = attempts + 1, last_error = ?, last_attempt_at = ? "
            "WHERE id = ?",
            (error, now, notice_id),
        )

    def queued_notice_count(self, store_id: int) -> int:
        return self.conn.execute(
            "SELECT COUNT(*) FROM notices JOIN shipments ON shipments.id = notices.shipment_id "
            "JOIN orders ON orders.id = shipments.order_pk "
            "WHERE orders.store_id = ? AND notices.accepted_at IS NULL",
            (store_id,),
        ).fetchone()[0]

    def mark_delivered(self, store_id: int, order_id: str, now: str) -> list[str]:
        """Mark the order's undelivered shipments delivered; their tracking numbers."""
        order_pk = self.order_pks(store_id, [order_id])[order_id]
        with self.transaction():
            rows = self.conn.execute(
                "SELECT id, tracking_number FROM shipments WHERE order_pk = ? AND delivered = 0",
                (order_pk,),
            ).fetchall()
            self.conn.executemany(
                "UPDATE shipments SET delivered = 1, delivered_at = ? WHERE id = ?",
                [(now, row["id"]) for row in rows],
            )
        return [row["tracking_number"] for row in rows]
