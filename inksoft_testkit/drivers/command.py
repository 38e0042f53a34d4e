"""The command-line driver: any connector run as a process, as docs/connector-contract.md says.

Each call is one process: ``<command> [--auth query] <subcommand> … --json``, with the
database, the clock and the read timeout in environment variables and the password on
standard input. The answer is the JSON on standard output.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from inksoft_testkit.drivers.base import (
    CAPABILITIES,
    ConnectorDriver,
    ConnectorRefused,
    ContractViolation,
    DriverSetup,
    Store,
)
from inksoft_testkit.drivers.results import NoticeResult, RefreshSummary, ShipResult

DB_ENV = "INKSOFT_CONNECTOR_DB"
NOW_ENV = "INKSOFT_CONNECTOR_NOW"
TIMEOUT_ENV = "INKSOFT_CONNECTOR_TIMEOUT"
BACKOFF_ENV = "INKSOFT_CONNECTOR_BACKOFF"
#: exit codes: success, a store error (the JSON answer still comes), a refusal
EXIT_OK, EXIT_STORE_ERROR, EXIT_REFUSED = 0, 1, 2
CALL_TIMEOUT = 120  # seconds: a hung connector fails its scenario instead of the run

_declared: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = {}


class CommandDriver(ConnectorDriver):
    """Runs ``argv`` (e.g. ``["inksoft-connector"]``) once per call."""

    def __init__(self, setup: DriverSetup, argv: Sequence[str]) -> None:
        super().__init__(setup)
        self.argv = list(argv)
        self.name = " ".join(self.argv)
        self.capabilities, self.settings_understood = declared_capabilities(self.argv)

    # --- Running the connector -----------------------------------------------------------

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INKSOFT_")}
        env[DB_ENV] = str(self.setup.db_path)
        env[TIMEOUT_ENV] = format(self.setup.timeout[1], "g")
        env[BACKOFF_ENV] = format(self.setup.backoff, "g")
        if self.setup.clock.is_set:
            env[NOW_ENV] = self.setup.clock().isoformat()
        return env

    def run(self, *args: str, stdin: str | None = None, store: Store = None) -> Any:
        """The JSON answer of one command; a refusal raised as :class:`ConnectorRefused`."""
        command = [*self.argv]
        if self.setup.auth != "basic":
            command += ["--auth", self.setup.auth]
        command += [*args, "--json"]
        if store is not None:
            command += ["--store", str(store)]
        done = subprocess.run(  # noqa: S603 (the command line the user gave)
            command,
            input=stdin or "",
            capture_output=True,
            text=True,
            env=self.environment(),
            timeout=CALL_TIMEOUT,
            check=False,
        )
        return answer(command, done)

    # --- The driver interface ------------------------------------------------------------

    def connect(
        self,
        url: str,
        username: str,
        password: str,
        publisher_id: int | str,
        name: str | None = None,
    ) -> dict[str, Any]:
        args = ["connect", "--url", url, "--username", username, "--password-stdin"]
        args += ["--publisher-id", str(publisher_id)]
        if name is not None:
            args += ["--name", name]
        return self.run(*args, stdin=password + "\n")

    def stores(self) -> list[dict[str, Any]]:
        return self.run("stores")

    def settings(self, store: Store = None) -> dict[str, Any]:
        return self.run("settings", store=store)

    def update_settings(self, assignments: Iterable[str], store: Store = None) -> dict[str, Any]:
        args = ["settings"]
        for assignment in assignments:
            args += ["--set", assignment]
        return self.run(*args, store=store)

    def status(self, store: Store = None) -> dict[str, Any]:
        return self.run("status", store=store)

    def refresh(self, store: Store = None) -> RefreshSummary:
        try:
            return RefreshSummary.from_dict(self.run("import", store=store))
        except ConnectorRefused as store_error:
            if store_error.kind != "store":
                raise
            return RefreshSummary(error=str(store_error))

    def orders(self, store: Store = None, status: str | None = None) -> list[dict[str, Any]]:
        return self.run("orders", *(["--status", status] if status else []), store=store)

    def products(self, store: Store = None) -> list[dict[str, Any]]:
        if "products" not in self.capabilities:
            return super().products(store)
        return self.run("products", store=store)

    def ship(
        self,
        order_numbers: Iterable[str] | None = None,
        notes_to_buyer: str | None = None,
        store: Store = None,
    ) -> list[ShipResult]:
        if order_numbers is None:
            args = ["ship", "--all"]
        else:
            args = ["ship"]
            for number in order_numbers:
                args += ["--order", str(number)]
            if len(args) == 1:
                return []
        if notes_to_buyer is not None:
            args += ["--notes-to-buyer", notes_to_buyer]
        return [ShipResult.from_dict(r) for r in self.run(*args, store=store)]

    def retry_notifications(self, store: Store = None) -> list[NoticeResult]:
        return [NoticeResult.from_dict(r) for r in self.run("notify", "--retry", store=store)]

    def deliver(self, number: str, store: Store = None) -> dict[str, Any]:
        if "delivery" not in self.capabilities:
            return super().deliver(number, store)
        return self.run("deliver", str(number), store=store)


def answer(command: list[str], done: subprocess.CompletedProcess[str]) -> Any:
    """The JSON of a finished command, or the refusal it reports; anything else breaks the
    contract. A failure is ``{"ok": false, "error": {"kind", "message"}}`` (or, the older
    form, ``{"error": "message"}``); a refresh's or a status's store error keeps its shape."""
    said = f"`{' '.join(command)}` exited {done.returncode}; stderr: {done.stderr.strip()!r}"
    try:
        value = json.loads(done.stdout)
    except ValueError:
        raise ContractViolation(f"no JSON on stdout: {done.stdout[:300]!r}; {said}") from None
    failure = failure_of(value)
    if failure is not None:
        kind, message = failure
        if done.returncode in (EXIT_STORE_ERROR, EXIT_REFUSED):
            raise ConnectorRefused(message, kind="store" if done.returncode == 1 else kind)
        raise ContractViolation(f"failed with {kind or 'an error'}: {message}; {said}")
    if done.returncode not in (EXIT_OK, EXIT_STORE_ERROR):
        raise ContractViolation(f"an answer with an unexpected exit code; {said}")
    return value


def failure_of(value: Any) -> tuple[str | None, str] | None:
    """``(kind, message)`` when ``value`` is the contract's failure object."""
    if not isinstance(value, dict) or "error" not in value:
        return None
    error = value["error"]
    if isinstance(error, dict) and value.get("ok") is False:
        return error.get("kind"), str(error.get("message", ""))
    if isinstance(error, str) and set(value) == {"error"}:
        return None, error
    return None


def declared_capabilities(argv: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """What ``<command> capabilities --json`` declares (asked once per command line);
    a connector without that command declares nothing optional and no setting."""
    key = tuple(argv)
    if key not in _declared:
        with tempfile.TemporaryDirectory(prefix="connector-capabilities-") as folder:
            env = {k: v for k, v in os.environ.items() if not k.startswith("INKSOFT_")}
            env[DB_ENV] = str(Path(folder) / "connector.db")
            done = subprocess.run(  # noqa: S603 (the command line the user gave)
                [*argv, "capabilities", "--json"],
                capture_output=True,
                text=True,
                env=env,
                timeout=CALL_TIMEOUT,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        try:
            declared = json.loads(done.stdout) if done.returncode == 0 else {}
        except ValueError:
            declared = {}
        _declared[key] = (
            frozenset(declared.get("capabilities", ())) & frozenset(CAPABILITIES),
            frozenset(declared.get("settings", ())),
        )
    return _declared[key]
