"""A background run (``background_runs``) does not outlive the pytest session that started it,
however that session ends: a real session starts one as collection ends, is then killed by
SIGTERM (a CI timeout: the session's clean-up kills the run's process group) or SIGKILL
(nothing runs: on Linux the run dies with its parent), and the run's processes end.

The run is ``python`` starting a child of its own, printing both process IDs to its output
file (in the session's basetemp), then waiting for a signal; each process's end is awaited on
a pidfd, which becomes readable when the process ends."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
BOUND = 30  # seconds: the longest the test waits for anything to happen

RUN = """
import os, signal, subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()"])
print(os.getpid(), child.pid, flush=True)
signal.pause()
"""
CONFTEST = f"""
import sys
from background_runs import BackgroundRun, temporary_folder

def pytest_collection_finish(session):
    config = session.config
    run = BackgroundRun(
        [sys.executable, "-c", {RUN!r}], cwd=config.rootpath,
        folder=temporary_folder(config, "run"),
    )
    config.add_cleanup(run.stop)
"""
WAITING = """
import signal
from pathlib import Path

def test_waits_for_a_signal():
    Path("waiting").write_text("waiting")
    signal.pause()
"""

pytestmark = [
    pytest.mark.skipif(
        not hasattr(os, "pidfd_open"), reason="needs Linux's pidfd_open (Linux is what CI runs)"
    ),
    pytest.mark.slow,  # real sessions, killed (tests/slow_tier.py)
]


def watched(pid: int) -> int:
    """A pidfd of the process, readable once it has ended."""
    return os.pidfd_open(pid)


def ended(pidfd: int) -> bool:
    """Whether the process ends within :data:`BOUND` seconds."""
    readable, _, _ = select.select([pidfd], [], [], BOUND)
    return bool(readable)


def text_of(found: Path, inner: subprocess.Popen[str]) -> str:
    """The text of ``found`` once it is written, polled while the session goes on (it ending
    first, or :data:`BOUND` passing, fails the test)."""
    deadline = time.monotonic() + BOUND
    while not (found.exists() and found.read_text()):
        if inner.poll() is not None:
            pytest.fail(f"the session ended first: {inner.communicate()[0]}")
        assert time.monotonic() < deadline, f"no {found} after {BOUND} s"
        select.select([], [], [], 0.01)  # the polls' interval
    return found.read_text()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], tuple[int, int]]]:
    """A pytest session in a process of its own, started in ``tmp_path``: its process, and its
    background run's process IDs (the run's and its child's) once its test runs. What is
    still going at the end is killed."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_waiting.py").write_text(WAITING)
    basetemp = tmp_path / "basetemp"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    inner = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--basetemp={basetemp}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    run = None
    try:
        text_of(tmp_path / "waiting", inner)
        run, child = map(int, text_of(basetemp / "run0" / "stdout.txt", inner).split())
        yield inner, (run, child)
    finally:
        if inner.poll() is None:
            inner.kill()
        inner.communicate()
        if run is not None:  # the run's group: what the test found still going
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run, signal.SIGKILL)


def test_a_sigterm_of_the_session_ends_the_run_and_its_children(session):
    inner, pids = session
    pidfds = [watched(pid) for pid in pids]
    try:
        inner.send_signal(signal.SIGTERM)
        output = inner.communicate(timeout=BOUND)[0]
        assert inner.returncode == pytest.ExitCode.INTERRUPTED, output
        assert all(ended(pidfd) for pidfd in pidfds)
    finally:
        for pidfd in pidfds:
            os.close(pidfd)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_sigkill_of_the_session_ends_the_run(session):
    inner, (run, _) = session
    pidfd = watched(run)
    try:
        inner.kill()
        inner.wait(timeout=BOUND)
        assert ended(pidfd)
    finally:
        os.close(pidfd)
