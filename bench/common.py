"""Helpers shared by the benchmarks: tables, timing and CPU time."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from connector.cli import table


def print_table(title: str, rows: list[tuple], headers: tuple[str, ...]) -> None:
    print(f"\n{title}")
    print(table([tuple(str(v) for v in row) for row in rows], headers))


@dataclass
class Usage:
    """What a stretch of work took: wall-clock seconds, this process's CPU seconds (every
    thread), and another process's (the mock's, when it runs in its own)."""

    seconds: float = 0.0
    cpu: float = 0.0
    other_cpu: float | None = None


@contextmanager
def usage(other_pid: int | None = None) -> Iterator[Usage]:
    """Measure the block; ``other_pid`` is a second process to account for (Linux)."""
    measured = Usage()
    other_start = process_cpu(other_pid) if other_pid is not None else 0.0
    cpu_start, start = time.process_time(), time.perf_counter()
    try:
        yield measured
    finally:
        measured.seconds = time.perf_counter() - start
        measured.cpu = time.process_time() - cpu_start
        if other_pid is not None:
            measured.other_cpu = process_cpu(other_pid) - other_start


def process_cpu(pid: int) -> float:
    """User and system CPU seconds used so far by a process, every thread, from /proc (ticks of
    usually 10 ms, so only long stretches are measured well)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    user, system = int(fields[11]), int(fields[12])  # utime and stime, fields 14 and 15
    return (user + system) / os.sysconf("SC_CLK_TCK")


CONNECTOR_COMMAND = shutil.which("inksoft-connector") or "inksoft-connector"


def connected_cli(url: str, database: Path) -> dict[str, str]:
    """The environment under which ``inksoft-connector`` commands use ``database``, where a
    store for the mock at ``url`` (its default account) has just been connected."""
    env = os.environ | {"INKSOFT_CONNECTOR_DB": str(database), "INKSOFT_PASSWORD": "demo-password"}
    subprocess.run(
        [
            CONNECTOR_COMMAND,
            "connect",
            "--url",
            url,
            "--username",
            "demo",
            "--publisher-id",
            "10001",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    return env
