"""The suite's slow tier, marked ``slow``: the tests that start processes (the command lines, a
served mock, Chromium, the background pytest runs) or run whole pytest sessions. They are about
a hundred of the suite's 1,350 tests and half its serial time. ``pytest -m "not slow"`` runs the
others, every Gherkin scenario included, in 22-25 s serially, with no process started: a
developer's quick loop. The README's ``pytest``, and CI, run both tiers. Figures:
``docs/benchmarks.md``.

What puts a test in the tier:

- its module's ``pytestmark = pytest.mark.slow``, or its own mark;
- ``pytester`` or ``chromium`` among its fixtures, or a background run it waits for
  (``background_runs.declare``).

A test outside the tier that starts a process anyway fails, naming the process: the tier stays
true as tests are added (:func:`watch_process_starts`). Not where the connector under test is
another (``--connector-cmd``, ``--connector-driver``): it may run as processes of its own.

A plugin, registered by ``tests/conftest.py``.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Generator
from typing import Any

import background_runs
import pytest

from inksoft_testkit.drivers.selection import foreign_option

SLOW = "slow"
HEAVY_FIXTURES = frozenset({"pytester", "chromium"})  # a pytest session; the browser

STARTED: list[str] = []  # what each process started by this one ran, in order
WATCHING: list[object] = []  # the wrapper of Popen, once in place
FIRST_OF_THE_TEST = pytest.StashKey[int]()  # the test's first entry in STARTED
GUARDED = pytest.StashKey[bool]()  # whether the session's connector is ours, in process


def watch_process_starts() -> None:
    """From now on, record in :data:`STARTED` each process this one starts: through
    :class:`subprocess.Popen` (which ``subprocess.run``, asyncio and so Playwright use) or a
    fork (``os.register_at_fork``: multiprocessing's, the connector's two-process import).
    Python's audit events would show both too, but an audit hook is a Python call on every
    audited call (``id()``, ``open()``, …): some 700,000 a run, about 1 µs each."""
    if WATCHING:
        return
    original = subprocess.Popen.__init__

    @functools.wraps(original)
    def recording(self: subprocess.Popen[Any], args: Any, *rest: Any, **options: Any) -> None:
        STARTED.append(f"{args}")
        original(self, args, *rest, **options)

    subprocess.Popen.__init__ = recording  # type: ignore[method-assign]
    os.register_at_fork(before=lambda: STARTED.append("a fork"))
    WATCHING.append(recording)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{SLOW}: the test starts processes or runs pytest sessions; "
        "`pytest -m 'not slow'` runs the rest (tests/slow_tier.py)",
    )
    config.stash[GUARDED] = foreign_option(config) is None
    watch_process_starts()


@pytest.hookimpl(tryfirst=True)  # before -m selects by marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Into the tier: the tests that use :data:`HEAVY_FIXTURES`, however indirectly, and those
    that wait for a background run (which a serial run starts before any test)."""
    for item in items:
        if HEAVY_FIXTURES.intersection(getattr(item, "fixturenames", ())) or any(
            run.wanted(item) for run in background_runs.DECLARED.values()
        ):
            item.add_marker(SLOW)


@pytest.hookimpl(tryfirst=True)  # before the fixtures' set-up
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[FIRST_OF_THE_TEST] = len(STARTED)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A passing call of a test outside the tier whose set-up or call started a process
    becomes a failure saying so."""
    report = yield
    if (
        report.when != "call"
        or report.failed
        or item.get_closest_marker(SLOW) is not None
        or not item.config.stash[GUARDED]
    ):
        return report
    started = STARTED[item.stash.get(FIRST_OF_THE_TEST, len(STARTED)) :]
    if started:
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} started {len(started)} process(es) but is not in the slow tier: "
            "mark it (pytest.mark.slow, or its module's pytestmark) so that "
            "`pytest -m 'not slow'` leaves it out (tests/slow_tier.py). The first: " + started[0]
        )
    return report
