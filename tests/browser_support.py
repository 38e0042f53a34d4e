"""Headless Chromium for the suite's browser tests (the dashboard, the HTML report), driven
by Playwright: Debian's Chromium where it is installed, else Playwright's own download."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


@contextmanager
def headless_chromium(unavailable: Callable[[str], None]) -> Iterator[Any]:
    """A launched browser, closed on exit; ``unavailable(reason)`` (which skips or fails the
    test) when Playwright or a Chromium is missing."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright is not installed: pip install -e '.[test]'")
        raise
    executable = str(CHROMIUM) if CHROMIUM.exists() else None
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            unavailable(
                f"no Chromium to drive (apt-get install chromium): {exc.message.splitlines()[0]}"
            )
            raise
        yield chromium
        chromium.close()
