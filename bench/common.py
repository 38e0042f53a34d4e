"""Helpers shared by the benchmarks: tables and timing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from connector.cli import table


def print_table(title: str, rows: list[tuple], headers: tuple[str, ...]) -> None:
    print(f"\n{title}")
    print(table([tuple(str(v) for v in row) for row in rows], headers))


@contextmanager
def stopwatch() -> Iterator[dict]:
    timing: dict = {}
    start = time.perf_counter()
    try:
        yield timing
    finally:
        timing["seconds"] = time.perf_counter() - start
