"""How ``inksoft-connector`` fails: one exit code per kind of failure, one message that names
the file or resource and what to do, and valid JSON on stdout under ``--json`` whatever happens.

Exit codes (the README's table):

=====  ==================================================================================
0      success
1      a store error: InkSoft or the feed failed (printed as ShipStation words it)
2      bad usage (arguments, settings) or a connection InkSoft refused
3      a local storage problem: the database or a file beside it cannot be used
4      a bug in the connector (never expected; ``-v`` prints the traceback)
130    interrupted (Ctrl-C)
=====  ==================================================================================

A failure under ``--json`` prints ``{"ok": false, "error": {"kind": …, "message": …, …}}``.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from connector.exceptions import ConnectorError, TransportError, UsageError

EXIT_OK = 0
EXIT_STORE_ERROR = 1
EXIT_USAGE = 2
EXIT_STORAGE = 3
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130
EXIT_CODES = (EXIT_OK, EXIT_STORE_ERROR, EXIT_USAGE, EXIT_STORAGE, EXIT_INTERNAL, EXIT_INTERRUPTED)

RESTORE = "Restore it from a backup, or choose another path with --db."
CHOOSE_ANOTHER = "choose another path with --db"


@dataclass(frozen=True)
class Failure:
    """What went wrong, for a person (``message``) and for a program (``kind``, ``details``)."""

    kind: str
    message: str
    code: int
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"ok": False, "error": {"kind": self.kind, "message": self.message, **self.details}}


class StorageProblem(Exception):
    """A local file cannot be used; ``failure`` says which and what to do."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


class CommandLineError(Exception):
    """The arguments cannot be understood (argparse's complaint, without exiting)."""


def storage_failure(kind: str, message: str, path: Path | str) -> Failure:
    return Failure(kind, message, EXIT_STORAGE, {"path": str(path)})


def describe(problem: BaseException, db_path: Path | None, *, connecting: bool = False) -> Failure:
    """The failure ``problem`` means for a command run on the database ``db_path``."""
    if isinstance(problem, StorageProblem):
        return problem.failure
    if isinstance(problem, CommandLineError):
        return Failure("usage", str(problem), EXIT_USAGE)
    if isinstance(problem, KeyboardInterrupt):
        return Failure("interrupted", "Interrupted: nothing more was done.", EXIT_INTERRUPTED)
    if isinstance(problem, UsageError):
        return Failure("usage", str(problem), EXIT_USAGE)
    if isinstance(problem, ConnectorError):
        if connecting:
            return Failure("refused", str(problem), EXIT_USAGE)
        kind = "connection" if isinstance(problem, TransportError) else "store"
        return Failure(kind, str(problem), EXIT_STORE_ERROR)
    if isinstance(problem, sqlite3.Error):
        return sqlite_failure(problem, db_path)
    if isinstance(problem, OSError):
        return os_failure(problem, db_path)
    return Failure(
        "internal",
        f"Unexpected {type(problem).__name__}: {problem}. This is a bug in the connector; "
        "run the same command with -v to see where it happened, and report it.",
        EXIT_INTERNAL,
    )


def sqlite_failure(
    problem: sqlite3.Error, db_path: Path | None, what: str = "The database"
) -> Failure:
    """SQLite's complaint about ``db_path`` (``what`` it is), in words that say what to do."""
    path = db_path or Path("the database")
    name = getattr(problem, "sqlite_errorname", "") or ""
    text = str(problem)
    said = f"(SQLite: {text})"
    if name.startswith("SQLITE_NOTADB") or "file is not a database" in text:
        return storage_failure(
            "corrupt_database",
            f"{path} is not a connector database {said}. {RESTORE}",
            path,
        )
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return storage_failure(
            "corrupt_database",
            f"{what} {path} is damaged {said}; nothing was changed. {RESTORE}",
            path,
        )
    if name.startswith("SQLITE_BUSY") or "database is locked" in text:
        return busy_failure(path)
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return storage_failure(
            "disk_full",
            f"The disk holding {path} is full {said}. Free some space and run the command "
            "again; nothing was lost.",
            path,
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")) or "readonly" in text:
        return storage_failure(
            "read_only",
            f"{what} {path} cannot be written {said}: the connector needs to write the "
            f"file and to create {path.name}-wal and {path.name}-shm in {path.parent}. Fix the "
            f"permissions, or {CHOOSE_ANOTHER}.",
            path,
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return cannot_open(path, said, what)
    return storage_failure(
        "storage",
        f"{what} {path} cannot be used {said}. Check the file and its folder, or {CHOOSE_ANOTHER}.",
        path,
    )


def folder_not_file(path: Path, said: str = "") -> Failure:
    """``path`` names a folder where the database file should be (``said``: what SQLite said)."""
    said = f" {said}" if said else ""
    return storage_failure(
        "not_a_file",
        f"{path} is a folder, not a database file{said}: {CHOOSE_ANOTHER} "
        f"(such as {path / 'connector.db'}).",
        path,
    )


def cannot_open(path: Path, said: str, what: str) -> Failure:
    if path.is_dir():
        return folder_not_file(path, said)
    return storage_failure(
        "permission",
        f"{what} {path} cannot be opened {said}: the connector needs to read and write "
        f"the file and to create files beside it in {path.parent}. Fix the permissions, or "
        f"{CHOOSE_ANOTHER}.",
        path,
    )


def busy_failure(path: Path, waited: str = "") -> Failure:
    """Another command holds the database; ``waited`` says how long this one waited."""
    return storage_failure(
        "busy",
        f"Another inksoft-connector command is writing to {path}{waited}. Wait for it to finish, "
        "then run this command again; nothing was changed.",
        path,
    )


def os_failure(problem: OSError, db_path: Path | None) -> Failure:
    """A file the connector needs (the database, its folder, its key, a label, the outbox)."""
    path = Path(problem.filename) if problem.filename else (db_path or Path("a file"))
    why = problem.strerror or str(problem)
    if problem.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return storage_failure(
            "permission",
            f"Permission denied for {path} ({why}). Fix its permissions, or {CHOOSE_ANOTHER}.",
            path,
        )
    if problem.errno in (errno.ENOTDIR, errno.EEXIST):
        blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        which = f"{blocking} is a file, not a folder" if blocking else "a part of it is a file"
        return storage_failure(
            "not_a_folder",
            f"{path} cannot be created or opened ({why}): {which}. Move that file away, or "
            f"{CHOOSE_ANOTHER}.",
            path,
        )
    if problem.errno == errno.EISDIR:
        return storage_failure(
            "not_a_file",
            f"{path} is a folder where the connector needs a file ({why}). Move it away, or "
            f"{CHOOSE_ANOTHER}.",
            path,
        )
    if problem.errno in (errno.ENOSPC, errno.EDQUOT):
        return storage_failure(
            "disk_full",
            f"No space left for {path} ({why}). Free some space and run the command again.",
            path,
        )
    return storage_failure(
        "storage",
        f"{path} cannot be used ({why}). Check the file and its folder, or {CHOOSE_ANOTHER}.",
        path,
    )


def report(
    failure: Failure, *, as_json: bool, problem: BaseException | None = None, verbose: bool = False
) -> int:
    """Print ``failure`` (JSON on stdout when asked, the message on stderr); its exit code.

    ``verbose`` adds the traceback of a bug (kind ``internal``), and only of a bug.
    """
    if as_json:
        print(json.dumps(failure.as_json(), indent=2, ensure_ascii=False))
    if verbose and failure.code == EXIT_INTERNAL and problem is not None:
        traceback.print_exception(type(problem), problem, problem.__traceback__)
    print(f"error: {failure.message}", file=sys.stderr)
    return failure.code


class PipeGuard:
    """``sys.stdout`` that stops writing, quietly, once the reader has gone (``| head -1``).

    The command goes on and exits with its own code; what it would have printed is dropped.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._silence()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._silence()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def _silence(self) -> None:
        """Point the descriptor at /dev/null, so that the interpreter's last flush is quiet."""
        self.broken = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass  # not a real file (a test's capture): nothing more to silence
