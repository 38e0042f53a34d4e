"""A pytest plugin for mutmut's stats run: what a session fixture runs counts for every test.

mutmut maps each function to the tests that call it, and later runs a mutant against those
tests only. The live mock is a session fixture: ``create_app``, the blueprints and the state
are built once, in the set-up of whichever test comes first, so mutmut would map them to that
test alone, although every scenario talks to what they built. This plugin (loaded through
``[tool.mutmut] pytest_add_cli_args``; idle unless mutmut is collecting its map) adds the
functions called while a session, package, module or class fixture is set up to every test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

_shared: set[str] = set()  # functions called by fixtures wider than one test


def _collecting_stats() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def pytest_sessionstart(session: pytest.Session) -> None:
    _shared.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest) -> Iterator:
    if fixturedef.scope == "function" or not _collecting_stats():
        yield
        return
    from mutmut.state import state

    outer, state()._stats = state()._stats, set()
    try:
        yield
    finally:
        _shared.update(state()._stats)
        outer.update(state()._stats)
        state()._stats = outer


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    if _shared and _collecting_stats():
        from mutmut.state import state

        state()._stats.update(_shared)
