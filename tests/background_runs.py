"""Processes the suite starts in the background (a pytest run, a command whose output a test
reads): their output goes to files (a pipe nobody reads until the end would fill and stop them),
:meth:`BackgroundRun.finished` waits for one, :meth:`BackgroundRun.stop` ends one nobody
waited for. Imported by name (``import background_runs``), as ``browser_support`` is.

A run a test waits for is declared once (:func:`declare`), by name, with how it starts and
which tests want it (by default those with a fixture of that name); the session's
:class:`SessionRuns` starts each at most once. In a serial run, the runs the selected tests want
start as soon as collection ends (``tests/conftest.py``): they go on beside the suite's tests,
on the cores those leave idle, at the lowest priority so as not to slow them; the modules that
wait for them are marked ``awaits_background_run`` and run last. Under xdist (whose workers
keep the cores busy) each starts when first asked for.

None outlives the session that started it:

- each is a process group of its own, which ``stop()`` kills whole (a pytest run's xdist
  workers and the programs it starts with it);
- from the first one on, a SIGTERM of the session (a CI timeout) is a ``KeyboardInterrupt``:
  pytest ends the session as on Ctrl-C, and its clean-up stops them (a second SIGTERM kills);
- on Linux each is also killed when the process that started it dies, however it dies
  (SIGKILL included: ``PR_SET_PDEATHSIG``). It is the *thread* that started it that counts:
  start them from the main thread (hooks and fixtures run there).

Their folders go in the session's basetemp (:func:`temporary_folder`), whose retention
removes them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest

PR_SET_PDEATHSIG = 1  # prctl(2)
BACKGROUND_NICENESS = 19  # the least share of a busy processor


def is_xdist_worker(config: pytest.Config) -> bool:
    """Whether this session is an xdist worker's (whose siblings keep the cores busy)."""
    return hasattr(config, "workerinput")


def in_an_xdist_worker() -> bool:
    """Whether this process is an xdist worker (its session's :func:`is_xdist_worker`)."""
    return "PYTEST_XDIST_WORKER" in os.environ


def temporary_folder(config: pytest.Config, name: str) -> Path:
    """A new folder in the session's basetemp (``tmp_path_factory.mktemp(name)``), for the
    hooks, which have no fixtures."""
    factory: pytest.TempPathFactory = config._tmp_path_factory  # type: ignore[attr-defined]
    return factory.mktemp(name)


def _lowest_priority_group() -> None:
    """Where the kernel shares the processor between sessions first (Linux's autogroups, as a
    new session is one), the same niceness for this session's group; nothing elsewhere."""
    try:
        group = os.open("/proc/self/autogroup", os.O_WRONLY)
    except OSError:
        return
    try:
        os.write(group, str(BACKGROUND_NICENESS).encode())
    except OSError:
        pass
    finally:
        os.close(group)


def _in_the_background(parent: int, lowest_priority: bool) -> Callable[[], None]:
    """What the child runs before its program: with ``lowest_priority``, it yields the
    processor to the suite's own process (``nice`` 19), so that it uses the cores the suite
    leaves idle and never slows the suite's tests; and, on Linux, it is killed when ``parent``
    (the thread that forked it) ends, or exits at once if that has already happened."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None

    def start_in_the_background() -> None:
        if lowest_priority:
            os.nice(BACKGROUND_NICENESS)
            _lowest_priority_group()
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
            if os.getppid() != parent:  # gone before prctl: no signal will come
                os._exit(1)

    return start_in_the_background


def _interrupt(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM kills
    raise KeyboardInterrupt("SIGTERM")


def _sigterm_ends_the_session() -> None:
    """A SIGTERM of this process becomes a ``KeyboardInterrupt``, which pytest turns into
    its usual clean-up; unless something else handles SIGTERM already, or this is not the
    main thread (the only one that can set a signal handler)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


class BackgroundRun:
    """A command started in a process (group) of its own; its output in ``stdout.txt`` and
    ``stderr.txt`` in ``folder`` (both in ``stdout.txt`` if ``merged``).

    At the lowest priority, except in an xdist worker: its siblings keep the cores busy, and
    it starts a run only when a test waits for it, which the run would then starve."""

    def __init__(
        self,
        command: list[str],
        *,
        cwd: Path,
        folder: Path,
        env: dict[str, str] | None = None,
        merged: bool = False,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._output, self._errors = folder / "stdout.txt", folder / "stderr.txt"
        _sigterm_ends_the_session()
        with open(self._output, "wb") as stdout, open(self._errors, "wb") as stderr:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=subprocess.STDOUT if merged else stderr,
                start_new_session=True,
                # C calls, no lock taken
                preexec_fn=_in_the_background(os.getpid(), not in_an_xdist_worker()),
            )

    @classmethod
    def pytest(
        cls, args: list[str], *, cwd: Path, folder: Path, env: dict[str, str], merged: bool = False
    ) -> BackgroundRun:
        """``python -m pytest`` with these arguments."""
        command = [sys.executable, "-m", "pytest", *args]
        return cls(command, cwd=cwd, folder=folder, env=env, merged=merged)

    def finished(self, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """The process, once it has ended, with its output."""
        self.process.wait(timeout=timeout)
        return subprocess.CompletedProcess(
            self.process.args,
            self.process.returncode,
            self._output.read_text(encoding="utf-8", errors="replace"),
            self._errors.read_text(encoding="utf-8", errors="replace"),
        )

    def stop(self) -> None:
        """Kill its process group if it is still going (a test failed before it was waited
        for, or none of the tests run asked for it)."""
        if self.process.poll() is None:
            if hasattr(os, "killpg"):
                with contextlib.suppress(ProcessLookupError):  # its leader just ended
                    os.killpg(self.process.pid, signal.SIGKILL)
            else:
                self.process.kill()
            self.process.wait()


Start = Callable[[pytest.Config], BackgroundRun]


@dataclass(frozen=True)
class Declared:
    start: Start
    wanted: Callable[[pytest.Item], bool]


DECLARED: dict[str, Declared] = {}  # by name, as the modules that need them are imported


def declare(name: str, start: Start, wanted: Callable[[pytest.Item], bool] | None = None) -> None:
    """A run that tests wait for, started by ``start``; wanted by the tests for which
    ``wanted`` is true (by default, those with a fixture called ``name``)."""

    def uses_the_fixture(item: pytest.Item) -> bool:
        return name in getattr(item, "fixturenames", ())

    DECLARED[name] = Declared(start, wanted or uses_the_fixture)


class SessionRuns:
    """The session's runs of :data:`DECLARED`, each started once."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._started: dict[str, BackgroundRun] = {}

    def run(self, name: str) -> BackgroundRun:
        """The run, started now unless it was already."""
        if name not in self._started:
            self._started[name] = DECLARED[name].start(self._config)
        return self._started[name]

    def start_wanted(self, items: list[pytest.Item]) -> None:
        for name, declared in DECLARED.items():
            if any(declared.wanted(item) for item in items):
                self.run(name)

    def stop(self) -> None:
        """End the runs still going (a test failed before waiting, or none asked)."""
        for run in self._started.values():
            run.stop()
        self._started.clear()


AWAITS = "awaits_background_run"  # the mark of a module whose tests wait for a run


def put_awaiting_modules_last(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a serial run, the modules marked :data:`AWAITS` go last, in their order: the runs
    (started when collection ends, at the lowest priority, on the cores the suite leaves
    idle) then have the rest of the suite's time to end in. Under xdist, whose workers start
    a run only when a test asks for it, the order stays: last, the runs would end the session
    with one worker waiting for them and the other idle."""
    if not is_xdist_worker(config):
        items.sort(key=lambda item: item.get_closest_marker(AWAITS) is not None)


SESSION_RUNS = pytest.StashKey[SessionRuns]()


def session_runs(config: pytest.Config) -> SessionRuns:
    """The session's runs, stopped when it ends."""
    if SESSION_RUNS not in config.stash:
        runs = config.stash[SESSION_RUNS] = SessionRuns(config)
        config.add_cleanup(runs.stop)
    return config.stash[SESSION_RUNS]
