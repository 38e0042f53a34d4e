"""Processes the suite starts in the background (a pytest run as soon as collection ends, so
that it goes on beside the suite's tests; a render a module's tests will read): their output
goes to files (a pipe nobody reads until the end would fill and stop them),
:meth:`BackgroundRun.finished` waits for one, :meth:`BackgroundRun.stop` ends one nobody
waited for. Imported by name (``import background_runs``), as ``browser_support`` is.

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
from pathlib import Path
from types import FrameType

import pytest

PR_SET_PDEATHSIG = 1  # prctl(2)


def is_xdist_worker(config: pytest.Config) -> bool:
    """Whether this session is an xdist worker's (whose siblings keep the cores busy)."""
    return hasattr(config, "workerinput")


def temporary_folder(config: pytest.Config, name: str) -> Path:
    """A new folder in the session's basetemp (``tmp_path_factory.mktemp(name)``), for the
    hooks, which have no fixtures."""
    factory: pytest.TempPathFactory = config._tmp_path_factory  # type: ignore[attr-defined]
    return factory.mktemp(name)


def _dying_with(parent: int) -> Callable[[], None] | None:
    """What the child runs before its program, on Linux: it is killed when ``parent`` (the
    thread that forked it) ends; and exits at once if that has already happened."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it

    def die_with_parent() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
        if os.getppid() != parent:  # gone before prctl: no signal will come
            os._exit(1)

    return die_with_parent


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
    ``stderr.txt`` in ``folder`` (both in ``stdout.txt`` if ``merged``)."""

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
                preexec_fn=_dying_with(os.getpid()),  # a C call, no lock taken
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
