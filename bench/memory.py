"""Memory: peak RSS of the connector importing N orders, and of the mock holding them.

    python -m bench.memory [--orders 100000]

The mock runs as ``mock-inksoft serve --orders N`` in its own process (its RSS read from
/proc once it is healthy); the connector imports everything in a child process whose peak RSS
is reported, so neither figure includes the other.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import print_table
from inksoft_testkit.live import start_inksoft_process

IMPORT = """
import resource, sys
from connector import Connector
with Connector(sys.argv[2]) as c:
    c.connect(sys.argv[1], "demo", "demo-password", 10001, name="bench")
    summary = c.refresh()
    assert summary.ok, summary.error
    print(len(summary.imported) + len(summary.skipped))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args(argv)
    mock = start_inksoft_process(["--orders", str(args.orders), "--seed", "1"])
    try:
        mock_rss = rss_mb(mock.pid)
        with tempfile.TemporaryDirectory() as folder:
            done = subprocess.run(
                [sys.executable, "-c", IMPORT, mock.url, str(Path(folder) / "bench.db")],
                capture_output=True,
                text=True,
                check=True,
            )
        accounted, peak_kib = (int(v) for v in done.stdout.split())
    finally:
        mock.stop()
    assert accounted == args.orders, (accounted, args.orders)
    print_table(
        f"Memory with {args.orders} orders",
        [
            ("mock holding the orders (RSS)", f"{mock_rss:.0f}"),
            ("connector importing them (peak RSS)", f"{peak_kib / 1024:.0f}"),
        ],
        ("process", "MB"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
