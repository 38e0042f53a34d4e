"""Memory: peak RSS of the connector importing N orders, and of the mock holding them.

    python -m bench.memory [--orders 100000] [--api]

The mock runs as ``mock-inksoft serve --orders N`` in its own process (its RSS read from
/proc once it is healthy; generated orders are made when first read). The connector imports
everything as the command a user runs, ``inksoft-connector import`` in a new process (the
store connected beforehand), and that process's peak RSS is reported (``ru_maxrss`` of the
child, from ``wait4``), so neither figure includes the other. ``--api`` imports through the
Python API (``Connector.refresh``) in a child process instead.

A million orders: ``python -m bench.memory --orders 1000000`` (the mock renders each page
cold, about 0.1 s a page, so it takes 20 minutes or more).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import CONNECTOR_COMMAND, connected_cli, print_table
from inksoft_testkit.live import start_inksoft_process

IMPORT = """
import sys
from connector import Connector
with Connector(sys.argv[2]) as c:
    c.connect(sys.argv[1], "demo", "demo-password", 10001, name="bench")
    summary = c.refresh()
    assert summary.ok, summary.error
    print(f"Imported {len(summary.imported)} new, Skipped {len(summary.skipped)}:")
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def peak_rss(command: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    """Run ``command``; its standard output, its peak RSS in MB and its seconds."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as output:
        child = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, used = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if child.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({child.returncode}): {text[-2000:]}")
    return text, used.ru_maxrss / 1024, time.perf_counter() - start


def accounted(output: str) -> int:
    """New orders plus skipped ones, from the import's summary."""
    imported = re.search(r"Imported (\d+) new", output)
    skipped = re.search(r"Skipped (\d+):", output)
    if imported is None:
        raise RuntimeError(f"no summary in {output[-2000:]!r}")
    return int(imported.group(1)) + (int(skipped.group(1)) if skipped else 0)


def import_all(url: str, folder: Path, *, api: bool) -> tuple[int, float, float]:
    """Orders accounted for, the importing process's peak RSS (MB) and its seconds."""
    database = folder / "bench.db"
    if api:
        command = [sys.executable, "-c", IMPORT, url, str(database)]
        output, peak, seconds = peak_rss(command, dict(os.environ))
        return accounted(output), peak, seconds
    env = connected_cli(url, database)
    output, peak, seconds = peak_rss([CONNECTOR_COMMAND, "import"], env)
    return accounted(output), peak, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--api", action="store_true", help="import with Connector.refresh()")
    args = parser.parse_args(argv)
    mock = start_inksoft_process(["--orders", str(args.orders), "--seed", "1"])
    try:
        mock_rss = rss_mb(mock.pid)
        with tempfile.TemporaryDirectory() as folder:
            orders, peak, seconds = import_all(mock.url, Path(folder), api=args.api)
    finally:
        mock.stop()
    if orders != args.orders:
        print(f"the import accounted for {orders} orders, not {args.orders}")
        return 1
    how = "Connector.refresh()" if args.api else "`inksoft-connector import`"
    print_table(
        f"Memory with {args.orders} orders (the import took {seconds:.0f} s)",
        [
            ("mock holding the orders (RSS once healthy)", f"{mock_rss:.0f}"),
            (f"connector importing them: {how} (peak RSS)", f"{peak:.0f}"),
        ],
        ("process", "MB"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
