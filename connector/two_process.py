"""The refresh's walk of the export shared by two processes (Linux, fork): this one stores the
odd pages, a forked child the even ones, each with its own HTTP session and SQLite connection.

The wire and the database see what the one-process walk does. Page p + 1 is asked for only
once page p has been fetched, parsed and found non-empty within the declared count (each
process tells the other what its page said); everything a page reads or writes in the database
happens in the page's turn, after page p - 1's commit (each process tells the other when it
has committed). Reading the orders and checking them run in both processes at once: the CPU the
one-process walk spends in one thread (the GIL) is shared by two cores.

Messages go over two pipes, small and pickled, in the order they are sent: a process learns of
the other's page p being fetched, then of it being stored, then of page p + 2 being fetched. The
parent adds the child's pages to the summary as it learns they are stored, and alone records
the refresh. A page's failure ends the walk in its turn, as in one process. The child's death
or unexpected failure ends the walk with a store error; it never outlives the refresh.
"""

from __future__ import annotations

import copy
import os
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing.connection import Connection, Pipe
from typing import TYPE_CHECKING

import requests

from connector.database import Database
from connector.exceptions import FeedError, InkSoftError, TransportError
from connector.feed import Document, read_page

if TYPE_CHECKING:
    from connector.importer import Importer, PageOutcome

PAGE_FAILURES = (InkSoftError, TransportError, FeedError)
INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


@dataclass(frozen=True)
class Fetched:
    """Page ``page`` was fetched and parsed: the declared count so far, and whether the next
    page is to be asked for."""

    page: int
    declared: int
    more: bool


@dataclass(frozen=True)
class FetchFailed:
    """Page ``page`` could not be fetched or parsed: the walk ends there."""

    page: int
    error: str


@dataclass(frozen=True)
class Stored:
    """Page ``page`` is committed; the child sends what it stored, the parent nothing."""

    page: int
    outcome: PageOutcome | None


@dataclass(frozen=True)
class Crashed:
    """The child failed unexpectedly."""

    error: str


class PageFailed(Exception):
    """The other process's page failed (its error, as the one-process walk words it)."""


class PartnerLost(Exception):
    """The other process died or failed: the walk cannot go on."""


def forking_allowed() -> bool:
    """Linux only (macOS' proxy lookup is not fork-safe; Windows has no fork), and only in a
    process without another thread (a fork copies only the calling thread)."""
    return sys.platform == "linux" and threading.active_count() == 1


class Half:
    """One process's pages of the walk: every other page, taking turns with the other."""

    def __init__(
        self,
        importer: Importer,
        window: tuple[datetime, datetime],
        inbox: Connection,
        outbox: Connection,
        on_stored: Callable[[PageOutcome], None],
        ended: Callable[[], str],
    ) -> None:
        self.importer = importer
        self.window = window
        self.inbox = inbox
        self.outbox = outbox
        self.on_stored = on_stored
        self.ended = ended  # how the other process ended, when its pipe closes
        self.last_stored = 0  # the other's last page known to be committed

    def walk(self, page: int, document: Document | None = None) -> None:
        """Fetch and store ``page``, ``page + 2``, … until the walk ends (``document``: ``page``
        fetched already)."""
        declared = 0
        while True:
            if page > 1:
                heard = self.fetched(page - 1)
                if not heard.more:
                    return
                declared = heard.declared
            if document is None:
                try:
                    document = self.importer.fetch(*self.window, page)
                except PAGE_FAILURES as problem:
                    self.send(FetchFailed(page, str(problem)))
                    self.await_stored(page - 1)
                    raise
            declared, more = document.next_wanted(page, declared)
            self.send(Fetched(page, declared, more))
            triaged = self.importer.triage(read_page(document))
            self.await_stored(page - 1)
            outcome = self.importer.store(*triaged)
            self.stored(page, outcome, more)
            if not more:
                return
            page, document = page + 2, None

    def stored(self, page: int, outcome: PageOutcome, more: bool) -> None:
        """Tell the other that ``page`` is committed (the child: with what it stored); the
        parent tells only when the other stores a later page (else it may have ended)."""
        raise NotImplementedError

    def fetched(self, page: int) -> Fetched:
        """What the other said of its ``page``; a failure of it ends this walk."""
        message = self.receive()
        if isinstance(message, FetchFailed):
            raise PageFailed(message.error)
        if not isinstance(message, Fetched) or message.page != page:
            raise PartnerLost(f"expected the news of page {page}, not {message!r}")
        return message

    def await_stored(self, page: int) -> None:
        """Wait for the other to commit ``page`` (nothing to wait for before page 1)."""
        while self.last_stored < page:
            message = self.receive()
            if not isinstance(message, Stored):
                raise PartnerLost(f"expected page {page} stored, not {message!r}")

    def send(self, message: Fetched | FetchFailed | Stored) -> None:
        try:
            self.outbox.send(message)
        except OSError:  # the other end is closed
            raise PartnerLost(self.ended()) from None

    def receive(self) -> Fetched | FetchFailed | Stored:
        try:
            message = self.inbox.recv()
        except EOFError:
            raise PartnerLost(self.ended()) from None
        if isinstance(message, Crashed):
            raise PartnerLost(f"the import's second process failed: {message.error}")
        if isinstance(message, Stored):
            self.last_stored = message.page
            if message.outcome is not None:
                self.on_stored(message.outcome)
        return message


class ParentHalf(Half):
    def stored(self, page: int, outcome: PageOutcome, more: bool) -> None:
        self.on_stored(outcome)
        if more:
            self.send(Stored(page, None))


class ChildHalf(Half):
    def stored(self, page: int, outcome: PageOutcome, more: bool) -> None:
        self.send(Stored(page, outcome))


class Child:
    """The forked process: its pid and its end of the pipes, seen from the parent."""

    def __init__(self, pid: int, inbox: Connection, outbox: Connection) -> None:
        self.pid = pid
        self.inbox = inbox
        self.outbox = outbox
        self.status: int | None = None

    def reap(self) -> str:
        """Wait for the child to end; how it ended, in words."""
        if self.status is None:
            _, self.status = os.waitpid(self.pid, 0)
        if os.WIFSIGNALED(self.status):
            return f"killed by signal {signal.Signals(os.WTERMSIG(self.status)).name}"
        return f"exit status {os.waitstatus_to_exitcode(self.status)}"

    def stop(self) -> None:
        """Close the pipes; kill the child if it has not ended yet, and reap it."""
        self.outbox.close()
        self.inbox.close()
        if self.status is None:
            with suppress(ProcessLookupError):  # ended, not yet reaped: reaped below
                os.kill(self.pid, signal.SIGKILL)
            self.reap()


def walk_in_two(
    importer: Importer,
    window: tuple[datetime, datetime],
    first: Document,
    on_stored: Callable[[PageOutcome], None],
) -> None:
    """Page 1 is ``first``, which declares more pages: fork, store the odd pages here and let
    the child store the even ones. Raises what the one-process walk raises for a page's failure
    (:class:`PageFailed` when it was the child's page) and :class:`PartnerLost` when the child
    died or failed."""
    child_inbox, parent_outbox = Pipe(duplex=False)  # (reader, writer)
    parent_inbox, child_outbox = Pipe(duplex=False)
    # Ctrl-C (or a SIGTERM) held back from the fork until each process is inside the block
    # that handles it: the parent's, which ends the child, the child's, which exits at once.
    unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTS)
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        raise
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        parent_inbox.close()  # else the child's own copy would keep its inbox from ending
        parent_outbox.close()
        run_child(importer, window, (child_inbox, child_outbox), unblocked)
    child = Child(pid, parent_inbox, parent_outbox)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        child_inbox.close()
        child_outbox.close()

        def ended() -> str:
            return f"the import's second process ended unexpectedly ({child.reap()})"

        half = ParentHalf(importer, window, child.inbox, child.outbox, on_stored, ended)
        half.walk(1, document=first)
        while True:  # the child's last pages, then its end
            try:
                half.receive()
            except PartnerLost:
                if child.status != 0:  # reaped: killed, or failed
                    raise
                return
    finally:
        child.stop()


def run_child(
    importer: Importer,
    window: tuple[datetime, datetime],
    pipes: tuple[Connection, Connection],
    unblocked: set[int | signal.Signals],
) -> None:  # pragma: no cover - runs in the forked child
    """The child's whole life: its own database connection and HTTP session, the even pages,
    then ``os._exit`` (never the parent's clean-up: its connections, buffers and handlers).
    ``pipes``: its inbox and outbox; ``unblocked``: the signal mask to restore, once inside."""
    code = 0
    inbox, outbox = pipes
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        context = importer.context
        client = copy.copy(context.client)
        client.session = requests.Session()
        own = replace(context, db=Database(context.db.path), client=client)
        half = ChildHalf(
            type(importer)(own), window, inbox, outbox, lambda outcome: None, lambda: "parent"
        )
        half.walk(2)
    except (*PAGE_FAILURES, PageFailed, PartnerLost):
        pass  # the parent reports a page's failure; a parent gone has nobody to tell
    except KeyboardInterrupt:
        code = 128 + signal.SIGINT
    except BaseException as problem:  # reported to the parent, then exit
        code = 1
        with suppress(BaseException):  # the parent is gone: nothing to tell
            outbox.send(Crashed(f"{type(problem).__name__}: {problem}"))
    finally:
        os._exit(code)
