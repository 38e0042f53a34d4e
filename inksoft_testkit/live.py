"""A mock InkSoft served by its real WSGI server on an ephemeral 127.0.0.1 port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests

from inksoft_testkit.admin import AdminClient
from mock_inksoft import create_app
from mock_inksoft.cli import build_parser, mock_config
from mock_inksoft.config import DefaultAccount, MockConfig
from mock_inksoft.server import serve_in_thread


@dataclass
class LiveInkSoft:
    """A running mock: its base URL, its control API, the account it started with, and a way
    to stop it."""

    url: str
    admin: AdminClient
    pid: int  # the process serving it: this one for a mock in a thread
    account: DefaultAccount
    _handle: Any

    def endpoint(self, publisher_id: int | str | None = None) -> str:
        """The store endpoint of ``publisher_id`` (default: the account it started with)."""
        return f"{self.url}/{publisher_id or self.account.publisher_id}/shipstation"

    def connect(self, connector: Any, name: str) -> dict:
        """Connect ``connector`` (a :class:`connector.Connector`) to the account it started
        with; the store record."""
        account = self.account
        return connector.connect(
            self.url, account.username, account.password, account.publisher_id, name=name
        )

    def stop(self) -> None:
        self._handle.stop()


def wait_until_healthy(url: str, timeout: float = 10.0) -> None:
    """Poll the health endpoint until it answers (no fixed sleep stands in for readiness)."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/__admin/health", timeout=1).ok:
                return
        except requests.RequestException as exc:
            last_error = exc
        time.sleep(0.005)
    raise RuntimeError(f"the mock InkSoft at {url} did not become healthy: {last_error}")


def start_live_inksoft(
    config: dict | None = None, *, admin_token: str | None = None
) -> LiveInkSoft:
    """Start a mock InkSoft on a free loopback port and return once it answers health checks."""
    config = dict(config or {})
    if admin_token:
        config["admin_token"] = admin_token
    settings = MockConfig.from_mapping(config)
    handle = serve_in_thread(create_app(settings), host="127.0.0.1", port=0)
    wait_until_healthy(handle.url)
    admin = AdminClient(handle.url, token=admin_token)
    return LiveInkSoft(
        url=handle.url, admin=admin, pid=os.getpid(), account=settings.account, _handle=handle
    )


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a server process: SIGTERM, then SIGKILL if it lingers ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class _ServeProcess:
    """A ``mock-inksoft serve`` child process: stopped with SIGTERM, killed if it lingers."""

    def __init__(self, process: subprocess.Popen) -> None:
        self._process = process

    def stop(self, timeout: float = 10) -> None:
        stop_process(self._process, timeout)


_SERVE_BANNER = re.compile(r"store endpoint: (http://\S+?)/\d+/shipstation")


def start_inksoft_process(args: Sequence[str] = ()) -> LiveInkSoft:
    """Run ``mock-inksoft serve --port 0 [args]`` in its own process, as developers run it, and
    return once it answers health checks. The URL comes from the banner it prints."""
    command = [sys.executable, "-m", "mock_inksoft", "serve", "--port", "0", *args]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, our own module
            command, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        banner = process.stdout.readline() if process.stdout else ""
        found = _SERVE_BANNER.search(banner)
        if found is None:
            _ServeProcess(process).stop()
            errors.seek(0)
            message = errors.read().decode("utf-8", errors="replace").strip()
            raise RuntimeError(f"mock-inksoft serve did not start: {message or banner!r}")
    url = found.group(1)
    wait_until_healthy(url)
    account = mock_config(build_parser().parse_args(["serve", *args])).account  # they were good
    return LiveInkSoft(
        url=url,
        admin=AdminClient(url),
        pid=process.pid,
        account=account,
        _handle=_ServeProcess(process),
    )
