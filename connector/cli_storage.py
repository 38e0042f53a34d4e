"""The command line's care of the database file: a look at it before SQLite opens it, and the
lock that lets one writing command at a time use it.

The look reads the 100-byte SQLite header only: a file that is not SQLite, or is shorter than
its header says (a truncated copy), is refused before anything could be written to it. The
lock is SQLite's own: an exclusive transaction on ``<database>.lock``, held for the whole
command, with a busy timeout; a second writing command waits for the first, or says that it is
still running. Reading commands take no lock (WAL gives them a consistent view).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from connector.cli_errors import (
    RESTORE,
    CommandLineError,
    Failure,
    StorageProblem,
    busy_failure,
    folder_not_file,
    sqlite_failure,
    storage_failure,
)

LOCK_TIMEOUT_ENV = "INKSOFT_CONNECTOR_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 60.0
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100


def check_database_file(path: Path) -> None:
    """Raise :class:`StorageProblem` when ``path`` exists and cannot be this connector's
    database. A missing or empty file is fine: it becomes a new database."""
    if path.is_dir():
        raise StorageProblem(folder_not_file(path))
    try:
        with path.open("rb") as handle:
            header = handle.read(HEADER_SIZE)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return
    if size == 0:
        return
    problem = header_problem(header, size)
    if problem:
        raise StorageProblem(
            storage_failure(
                "corrupt_database", f"{path} {problem}; nothing was changed. {RESTORE}", path
            )
        )


def header_problem(header: bytes, size: int) -> str | None:
    """Why a file of ``size`` bytes starting with ``header`` is not a whole SQLite database."""
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        return "is not an SQLite database (its first bytes are not SQLite's)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"is damaged: its header gives the impossible page size {page_size}"
    pages = int.from_bytes(header[28:32], "big")
    count_is_valid = header[24:28] == header[92:96] and pages > 0
    expected = pages * page_size
    if size % page_size or (count_is_valid and size < expected):
        whole = f"{expected} bytes" if count_is_valid else f"a multiple of {page_size} bytes"
        return f"is truncated: it has {size} bytes where SQLite expects {whole}"
    return None


def lock_timeout(env: Mapping[str, str]) -> float:
    """``$INKSOFT_CONNECTOR_LOCK_TIMEOUT`` seconds (default 60); a bad value is a usage error."""
    raw = env.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86400:
        raise CommandLineError(
            f"{LOCK_TIMEOUT_ENV} must be a number of seconds from 0 to 86400, not {raw!r}."
        )
    return seconds


@contextmanager
def command_lock(db_path: Path, timeout: float) -> Iterator[None]:
    """Hold ``<database>.lock`` exclusively for the block; wait up to ``timeout`` seconds."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = sqlite3.connect(lock_path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as problem:
        raise StorageProblem(sqlite_failure(problem, lock_path, "The lock file")) from None
    try:
        try:
            connection.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as problem:
            if "locked" in str(problem) or "busy" in str(problem):
                raise StorageProblem(waited_too_long(db_path, timeout)) from None
            raise StorageProblem(sqlite_failure(problem, lock_path, "The lock file")) from None
        yield
    finally:
        connection.close()


def waited_too_long(db_path: Path, timeout: float) -> Failure:
    return busy_failure(db_path, f" (waited {timeout:g} s; {LOCK_TIMEOUT_ENV} sets how long)")
