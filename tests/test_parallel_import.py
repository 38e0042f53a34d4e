"""``inksoft-connector import`` on two processes (the default on Linux) against the one-process
walk (``--processes 1``): the same summary, the same database, the same requests in the same
order; a failing page, an empty page, the second process killed, Ctrl-C.

The two-process command runs in a process of its own (this one has threads, so it never forks
here), the mock in its own (``mock-inksoft serve``), with SQLite files and loopback HTTP. The
one-process walk each is compared with, and each ``connect``, run the same command in this
process (``cli_helpers.Run``, through :func:`connector.cli.main`): a process start-up less
each.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar

import pytest
from cli_helpers import Run, ctrl_c_reaches_python

from connector.secrets import key_path_for
from inksoft_testkit.live import LiveInkSoft, start_inksoft_process

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="the fork is Linux only"),
    pytest.mark.slow,  # real processes (tests/slow_tier.py)
]

T = TypeVar("T")
ORDERS = 250  # 25 pages of 10
PAGE_SIZE = 10
NOW = datetime.now(timezone.utc).replace(second=0, microsecond=0)
FIRST_CHANGE = NOW - timedelta(days=3)
LASTING = 1000  # more answers than the connector retries
TABLES = {
    "orders": "SELECT * FROM orders ORDER BY id",
    "order_items": "SELECT * FROM order_items ORDER BY id",
    "products": "SELECT * FROM products ORDER BY id",
    "stores": "SELECT name, last_refresh, last_refresh_attempt, error FROM stores",
}
# Products made on one page and met again on a page of the other process (page = index // 10
# + 1; none of these orders is one the varied orders make invalid, unmapped or addressless)
NEW_SKUS = {
    "TWO-PROC-A": [(5, 0.75, "Bin A"), (15, None, None), (39, None, None)],  # 1 -> 2, 4
    "TWO-PROC-B": [(12, 1.25, "Bin B"), (21, None, None), (145, None, None)],  # 2 -> 3, 15
    "TWO-PROC-C": [(23, None, None), (57, 2.5, "Bin C"), (80, None, None)],  # 3, learns on 6
}


def change_time(index: int) -> str:
    return (FIRST_CHANGE + timedelta(minutes=index)).strftime("%Y-%m-%dT%H:%M:%SZ")


def varied_orders(server: LiveInkSoft) -> list[dict]:
    """:data:`ORDERS` orders in export order (one minute apart): some invalid, some with an
    unmapped status or no address, and the new SKUs of :data:`NEW_SKUS`."""
    generated = server.admin.generate_orders(count=ORDERS, seed=1, status="Ready to Ship")
    server.admin.reset()
    for index, order in enumerate(generated):
        order.pop("order_id", None)
        order["order_number"] = f"TP{index:05d}"
        order["order_date"] = order["last_modified"] = change_time(index)
        if index % 37 == 11:
            order["items"][0]["quantity"] = -2  # invalid
        elif index % 41 == 7:
            order["status"] = "Ready for Pick Up"  # mapped to nothing
        elif index % 53 == 3:
            order["customer"]["ship_to"] = None
    for sku, uses in NEW_SKUS.items():
        for index, weight, location in uses:
            item = generated[index]["items"][0]
            item.update(sku=sku, weight=weight, location=location, quantity=2)
            item["weight_units"] = "Ounces" if weight else None
    return generated


@pytest.fixture(scope="module")
def inksoft() -> Iterator[LiveInkSoft]:
    server = start_inksoft_process()
    try:
        orders = varied_orders(server)  # resets the mock
        server.admin.change_settings(page_size=PAGE_SIZE)
        server.admin.add_orders(orders)
        yield server
    finally:
        server.stop()


@pytest.fixture
def clean(inksoft: LiveInkSoft) -> LiveInkSoft:
    inksoft.admin.clear_faults()
    inksoft.admin.clear_requests()
    return inksoft


def environment(server: LiveInkSoft, database: Path) -> dict[str, str]:
    """The command's environment: its database, the mock's password, a fixed clock, no
    backoff."""
    return os.environ | {
        "INKSOFT_CONNECTOR_DB": str(database),
        "INKSOFT_PASSWORD": server.account.password,
        "INKSOFT_CONNECTOR_NOW": NOW.isoformat(),
        "INKSOFT_CONNECTOR_BACKOFF": "0",
    }


def connected(server: LiveInkSoft, database: Path) -> dict[str, str]:
    """:func:`environment`, the store connected in its database (in this process; untimed, its
    request out of the journal)."""
    env = environment(server, database)
    connect = ["connect", "--url", server.url, "--username", server.account.username]
    connect += ["--publisher-id", str(server.account.publisher_id), "--name", "Two"]
    done = Run(env)(*connect)
    assert done.returncode == 0, done.stderr
    server.admin.clear_requests()
    return env


def connected_template(server: LiveInkSoft, folder: Path) -> Path:
    """A database with ``server`` connected, copied for each import (with its key)."""
    database = folder / "template.db"
    connected(server, database)
    return database


@pytest.fixture(scope="module")
def connected_database(inksoft: LiveInkSoft, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return connected_template(inksoft, tmp_path_factory.mktemp("connected"))


def copy_of(template: Path, database: Path) -> None:
    with sqlite3.connect(template) as source, sqlite3.connect(database) as target:
        source.backup(target)
    key = key_path_for(template)
    shutil.copy2(key, key_path_for(database))


def imported(server: LiveInkSoft, template: Path, folder: Path, processes: int) -> dict:
    """Import into a new database with ``processes`` (one: in this process; two: in a
    subprocess): exit code, summary, stderr, tables and the export requests (page and status)
    in the order the mock answered them."""
    database = folder / f"on-{processes}.db"
    copy_of(template, database)
    run = Run(environment(server, database))
    argv = ("-v", "--json", "import", "--processes", str(processes))
    done = run(*argv) if processes == 1 else run.process(*argv)
    requests = [
        (entry["query"], entry["status"])
        for entry in server.admin.requests()
        if entry["action"] == "export"
    ]
    server.admin.clear_requests()
    with sqlite3.connect(database) as db:
        tables = {name: db.execute(query).fetchall() for name, query in TABLES.items()}
    return {
        "code": done.returncode,
        "summary": json.loads(done.stdout),
        "error": done.stderr.splitlines()[-1] if done.returncode else None,
        "forked": "on two processes" in done.stderr,
        "tables": tables,
        "requests": requests,
    }


def pages_of(requests: list[tuple[str, int]]) -> list[int]:
    return [int(dict(p.split("=", 1) for p in q.split("&"))["page"]) for q, _ in requests]


def same_but_processes(one: dict, two: dict) -> None:
    assert not one["forked"]
    assert two["forked"] == (len(set(pages_of(one["requests"]))) > 1)
    for key in ("code", "summary", "error", "tables", "requests"):
        assert two[key] == one[key], key


def test_a_many_page_import_is_the_same_on_two_processes(
    clean: LiveInkSoft, connected_database: Path, tmp_path: Path
):
    one = imported(clean, connected_database, tmp_path, 1)
    two = imported(clean, connected_database, tmp_path, 2)
    same_but_processes(one, two)
    summary = two["summary"]
    assert summary["ok"] and summary["pages"] == 25
    assert pages_of(two["requests"]) == list(range(1, 26))  # none past the declared count
    reasons = {s["reason"] for s in summary["skipped"]}
    assert reasons == {"invalid", "unmapped_status", "no_shipping_address"}
    numbers = summary["imported"] + [s["order_number"] for s in summary["skipped"]]
    assert sorted(numbers) == [f"TP{i:05d}" for i in range(ORDERS)]
    assert summary["imported"] == sorted(summary["imported"])  # in page order
    assert len(two["tables"]["orders"]) == len(summary["imported"])
    last_refresh = two["tables"]["stores"][0][1]
    assert last_refresh is not None and two["tables"]["stores"][0][3] is None


def test_a_product_made_on_one_process_is_used_by_the_other(
    clean: LiveInkSoft, connected_database: Path, tmp_path: Path
):
    two = imported(clean, connected_database, tmp_path, 2)
    assert two["forked"]
    database = tmp_path / "on-2.db"
    with sqlite3.connect(database) as db:
        products = db.execute(
            "SELECT sku, weight_value, location FROM products WHERE sku LIKE 'TWO-PROC-%'"
        ).fetchall()
        items = db.execute(
            "SELECT o.order_number, i.weight_value, i.location FROM order_items i "
            "JOIN orders o ON o.id = i.order_pk WHERE i.sku LIKE 'TWO-PROC-%' ORDER BY o.id"
        ).fetchall()
    assert sorted(products) == [
        ("TWO-PROC-A", 0.75, "Bin A"),
        ("TWO-PROC-B", 1.25, "Bin B"),
        ("TWO-PROC-C", 2.5, "Bin C"),
    ]
    assert items == [
        ("TP00005", 0.75, "Bin A"),
        ("TP00012", 1.25, "Bin B"),
        ("TP00015", 0.75, "Bin A"),  # page 2 (the child) fills from page 1's product
        ("TP00021", 1.25, "Bin B"),  # page 3 (the parent) from page 2's
        ("TP00023", None, None),  # made without a weight
        ("TP00039", 0.75, "Bin A"),
        ("TP00057", 2.5, "Bin C"),  # the product learns it here (page 6)
        ("TP00080", 2.5, "Bin C"),  # and page 9 uses it
        ("TP00145", 1.25, "Bin B"),
    ]


@pytest.mark.parametrize("page", [7, 8])  # the parent's page, the child's
def test_a_failing_page_ends_the_walk_in_its_turn(
    clean: LiveInkSoft, connected_database: Path, tmp_path: Path, page: int
):
    clean.admin.add_fault(action="export", page=page, times=LASTING, type="status", status=500)
    one = imported(clean, connected_database, tmp_path, 1)
    two = imported(clean, connected_database, tmp_path, 2)
    same_but_processes(one, two)
    assert two["code"] == 1
    assert two["error"].startswith("Error updating store: ")
    assert two["summary"]["error"] == two["error"] and two["summary"]["pages"] == page - 1
    pages = pages_of(two["requests"])
    assert pages[: page - 1] == list(range(1, page)) and set(pages[page - 1 :]) == {page}
    assert [status for _, status in two["requests"][page - 1 :]] == [500] * 4  # and its retries
    _, last_refresh, attempt, error = two["tables"]["stores"][0]
    assert last_refresh is None and attempt is not None and error == two["error"]
    stored = {row[3] for row in two["tables"]["orders"]}  # order numbers
    assert max(stored) < f"TP{(page - 1) * PAGE_SIZE:05d}"
    assert len(stored) > (page - 2) * PAGE_SIZE * 8 // 10


@pytest.mark.parametrize("page", [5, 6])
def test_an_empty_page_ends_the_walk_with_no_further_request(
    clean: LiveInkSoft, connected_database: Path, tmp_path: Path, page: int
):
    body = '<?xml version="1.0" encoding="utf-8"?>\n<Orders pages="25"/>\n'
    clean.admin.add_fault(
        action="export", page=page, times=LASTING, type="status", status=200, body=body
    )
    one = imported(clean, connected_database, tmp_path, 1)
    two = imported(clean, connected_database, tmp_path, 2)
    same_but_processes(one, two)
    assert two["summary"]["ok"] and two["summary"]["pages"] == page
    assert pages_of(two["requests"]) == list(range(1, page + 1))


def polled(found: Callable[[], T], failure: str, timeout: float = 30) -> T:
    """``found()`` once it is something (polled every 10 ms); ``failure`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := found():
            return value
        time.sleep(0.01)
    raise AssertionError(f"{failure} in {timeout} s")


def child_of(pid: int) -> int:
    """The first child process of ``pid``, once it has one."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return int(polled(lambda: children.read_text().split(), f"process {pid} started no child")[0])


def gone(pid: int) -> bool:
    """Ended and reaped (a zombie left unreaped still has its /proc entry)."""
    return not Path(f"/proc/{pid}").exists()


def orders_stored(database: Path) -> int:
    """Once the first page is committed: how many orders it stored."""

    def count() -> int:
        with sqlite3.connect(database) as db:
            return db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]

    return polled(count, "no page committed")


@pytest.fixture(scope="module")
def holding(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveInkSoft, Path]]:
    """A mock of 300 orders and a database connected to it (a mock of its own: the answers it
    holds would hold up the others' resets)."""
    server = start_inksoft_process()
    try:
        server.admin.generate_orders(count=300, seed=5, status="Ready to Ship")
        yield server, connected_template(server, tmp_path_factory.mktemp("held"))
    finally:
        os.kill(server.pid, signal.SIGKILL)  # a graceful stop would wait 5 s for the held answers
        server.stop()


@pytest.fixture
def held_at_page_2(holding: tuple[LiveInkSoft, Path]) -> tuple[LiveInkSoft, Path]:
    """:func:`holding`, its page 2 answering the next import only after a minute: the second
    process is busy asking for it."""
    server, _ = holding
    server.admin.add_fault(action="export", page=2, times=1, type="delay", seconds=60)
    return holding


def start_import(held: tuple[LiveInkSoft, Path], database: Path) -> subprocess.Popen[str]:
    server, template = held
    copy_of(template, database)
    return Run(environment(server, database)).start(
        "--json", "import", start_new_session=True, preexec_fn=ctrl_c_reaches_python
    )


def test_the_second_process_killed_ends_the_import_with_a_store_error(
    held_at_page_2: tuple[LiveInkSoft, Path], tmp_path: Path
):
    command = start_import(held_at_page_2, tmp_path / "held.db")
    child = child_of(command.pid)
    first_page = orders_stored(tmp_path / "held.db")  # the parent waits for page 2 from now on
    os.kill(child, signal.SIGKILL)
    out, err = command.communicate(timeout=30)
    assert command.returncode == 1
    summary = json.loads(out)
    assert summary["error"] == (
        "Error updating store: An error occurred attempting to update orders: the import's "
        "second process ended unexpectedly (killed by signal SIGKILL)"
    )
    assert err.strip().splitlines()[-1] == summary["error"]
    assert summary["pages"] == 1 and len(summary["imported"]) + len(summary["skipped"]) == 100
    assert len(summary["imported"]) == first_page
    assert gone(child)
    with sqlite3.connect(tmp_path / "held.db") as db:
        assert db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == len(summary["imported"])
        last_refresh, error = db.execute("SELECT last_refresh, error FROM stores").fetchone()
    assert last_refresh is None and error == summary["error"]


def test_ctrl_c_ends_both_processes(held_at_page_2: tuple[LiveInkSoft, Path], tmp_path: Path):
    command = start_import(held_at_page_2, tmp_path / "held.db")
    child = child_of(command.pid)
    os.killpg(command.pid, signal.SIGINT)  # the terminal's Ctrl-C: the whole process group
    out, err = command.communicate(timeout=30)
    assert command.returncode == 130, (out, err)
    assert json.loads(out)["error"]["kind"] == "interrupted"
    assert gone(child)
