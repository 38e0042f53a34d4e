"""Headless Chromium for the suite's browser tests (the dashboard, the HTML report), driven
by Playwright: Debian's Chromium where it is installed, else Playwright's own download.
Where either is missing the tests skip, saying why; under CI they fail instead.

A pytest plugin (``pytest_plugins = ["browser_support"]`` in a test module): one browser for
the whole session (:func:`chromium`), launched when a test first asks for it; each test
module opens its own pages or contexts in it.

Playwright's synchronous API runs its asyncio event loop in a greenlet of the main thread, and
while it is open that loop counts as the thread's running one: ``asyncio.run()`` would fail in
every later test ("cannot be called from a running event loop"). So the loop counts as running
only while a test that uses the browser is set up or runs, and while any test is torn down
(which may close a module's pages): see :func:`playwright_loop_running`. A test uses it when
``chromium`` is among its fixtures' parameters, however indirectly; asked for by
``request.getfixturevalue()`` instead, Playwright would find no running loop and close."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Generator, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; else Playwright's own download, if any
# Without the background-networking flags this closed network refuses Chromium's own calls.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(must: str, reason: str) -> NoReturn:
    """Skip, saying why; under CI (``$CI`` set), fail: CI ``must`` do it (``"run the
    dashboard's browser tests"``)."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must {must}: {reason}", pytrace=False)
    pytest.skip(reason)


class SharedChromium:
    """One launched browser, or the reason there is none, found on first use."""

    def __init__(self, stack: ExitStack) -> None:
        self._stack = stack
        self._browser: Any = None
        self._missing = ""
        self.loop: asyncio.AbstractEventLoop | None = None  # Playwright's, once launched

    def browser(self, must: str) -> Any:
        """The browser; :func:`unavailable` when Playwright or a Chromium is missing."""
        if self._browser is None and not self._missing:
            self._launch()
        if self._missing:
            unavailable(must, self._missing)
        return self._browser

    def _launch(self) -> None:
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError:
            self._missing = "Playwright is not installed: pip install -e '.[test]'"
            return
        playwright = self._stack.enter_context(sync_playwright())
        self.loop = asyncio.events._get_running_loop()
        self._stack.callback(self._close)
        executable = str(CHROMIUM) if CHROMIUM.exists() else None
        try:
            self._browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            first_line = exc.message.splitlines()[0]
            self._missing = f"no Chromium to drive (apt-get install chromium): {first_line}"

    def _close(self) -> None:
        asyncio.events._set_running_loop(self.loop)  # Playwright's, for its calls
        if self._browser is not None:
            self._browser.close()


SHARED: list[SharedChromium] = []  # the session's, while its fixture is set up


@pytest.fixture(scope="session")
def chromium() -> Iterator[SharedChromium]:
    """The session's headless Chromium: ``chromium.browser(must)`` in a module's fixture."""
    with ExitStack() as stack:
        SHARED.append(SharedChromium(stack))
        stack.callback(SHARED.clear)
        yield SHARED[0]


@contextmanager
def playwright_loop_running(running: bool) -> Iterator[None]:
    """Playwright's loop the thread's running one (else none) within, once it is open; none
    after."""
    if not SHARED or SHARED[0].loop is None:
        yield
        return
    asyncio.events._set_running_loop(SHARED[0].loop if running else None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    with playwright_loop_running("chromium" in getattr(item, "fixturenames", ())):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    with playwright_loop_running("chromium" in getattr(item, "fixturenames", ())):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    """Any test's teardown may close pages of a module's fixture (at its module's end)."""
    with playwright_loop_running(True):
        return (yield)
