"""``inksoft-connector demo``: the whole integration on embedded defaults, in one command.

The connector's CLI finds this command through the ``inksoft_connector.commands`` entry point
(``pyproject.toml``) and imports this module only when the command runs: the connector
itself never imports the test kit.

A mock InkSoft starts in-process on a free loopback port and is seeded with print-shop
orders; a connector on a temporary SQLite database connects, imports, creates a label batch
and pushes the shipment updates; customer e-mails go to the ``.eml`` outbox. A summary table
says what happened.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO, TypeVar

from connector import Connector
from connector.cli import table as cli_table
from inksoft_testkit.live import start_live_inksoft

T = TypeVar("T")


def progress(items: Iterable[T], total: int, label: str, out: TextIO) -> Iterator[T]:
    """A one-line text progress bar, redrawn in place on a terminal."""
    width = 30
    interactive = out.isatty()
    for done, item in enumerate(items, start=1):
        yield item
        if interactive or done == total:
            filled = width * done // max(total, 1)
            end = "\n" if done == total else ""
            out.write(f"\r{label:<18} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
            out.flush()


def table(rows: list[tuple], headers: tuple[str, ...]) -> str:
    return cli_table([tuple(str(v) for v in row) for row in rows], headers)


def run_demo(workdir: Path, *, orders: int, seed: int, out: TextIO) -> int:
    out.write("Starting a mock InkSoft on 127.0.0.1 ...\n")
    inksoft = start_live_inksoft()
    try:
        inksoft.admin.generate_orders(count=orders, seed=seed)
        out.write(f"Mock InkSoft: {inksoft.endpoint()} ({orders} orders, seed {seed})\n")
        with Connector(workdir / "connector.db") as connector:
            inksoft.connect(connector, name="Demo Print Shop")
            summary = connector.refresh()
            if not summary.ok:
                out.write(f"{summary.error}\n")
                return 1
            awaiting = [o["order_number"] for o in connector.orders(status="awaiting_shipment")]
            results = []
            for number in progress(awaiting, len(awaiting), "Creating labels", out):
                results += connector.ship([number], notes_to_buyer="Thanks for your order!")
            accepted = inksoft.admin.shipments()
        report(summary, results, accepted, workdir, out)
        return 0 if all(r.ok for r in results) else 1
    finally:
        inksoft.stop()


def report(summary, results, accepted, workdir: Path, out: TextIO) -> None:
    emails = sorted((workdir / "outbox").glob("*.eml")) if (workdir / "outbox").exists() else []
    reasons = Counter(s.reason for s in summary.skipped)
    out.write("\nImport\n")
    rows = [("imported", len(summary.imported) + len(summary.updated))]
    rows += [(f"skipped: {reason}", count) for reason, count in sorted(reasons.items())]
    out.write(table(rows, ("orders", "count")) + "\n")
    for skipped in summary.skipped:
        out.write(f"  {skipped.order_number}: {skipped.message}\n")
    out.write("\nLabels\n")
    label_rows = [
        (
            r.order_number,
            r.carrier or "-",
            r.service or "-",
            r.tracking_number or "-",
            f"{r.carrier_fee:.2f}" if r.carrier_fee is not None else "-",
            "yes" if r.notified else ("error: " + r.error if r.error else "queued"),
        )
        for r in results
    ]
    headers = ("order", "carrier", "service", "tracking number", "fee", "InkSoft updated")
    out.write(table(label_rows, headers) + "\n")
    out.write("\nSummary\n")
    out.write(
        table(
            [
                ("orders imported", len(summary.imported) + len(summary.updated)),
                ("orders skipped", len(summary.skipped)),
                ("labels created", sum(r.ok for r in results)),
                ("updates accepted by InkSoft", len(accepted)),
                ("customer e-mails written", len(emails)),
            ],
            ("", "count"),
        )
        + "\n"
    )
    out.write(f"\nDatabase, labels and e-mails (.eml) are in {workdir}\n")


def main(argv: list[str] | None = None) -> int:
    """The ``demo`` command: ``argv`` are the arguments after the command's name."""
    parser = argparse.ArgumentParser(
        prog="inksoft-connector demo",
        description="Run the InkSoft ⇄ ShipStation integration end to end against a mock.",
    )
    parser.add_argument("--orders", type=int, default=25, help="orders to seed (default 25)")
    parser.add_argument("--seed", type=int, default=7, help="Faker seed (default 7)")
    parser.add_argument("--dir", type=Path, help="keep the database, labels and e-mails here")
    args = parser.parse_args(argv)
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
        return run_demo(args.dir, orders=args.orders, seed=args.seed, out=sys.stdout)
    workdir = Path(tempfile.mkdtemp(prefix="inksoft-demo-"))
    return run_demo(workdir, orders=args.orders, seed=args.seed, out=sys.stdout)
