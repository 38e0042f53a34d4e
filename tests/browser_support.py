"""Headless Chromium for the suite's browser tests (the dashboard, the HTML report), driven
by Playwright: Debian's Chromium where it is installed, else Playwright's own download.
Where either is missing the tests skip, saying why; under CI they fail instead."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def headless_chromium(must: str) -> Iterator[Any]:
    """A launched browser, closed on exit; :func:`unavailable` when Playwright or a Chromium
    is missing."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable(must, "Playwright is not installed: pip install -e '.[test]'")
    executable = str(CHROMIUM) if CHROMIUM.exists() else None
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            unavailable(
                must,
                f"no Chromium to drive (apt-get install chromium): {exc.message.splitlines()[0]}",
            )
        yield chromium
        chromium.close()
