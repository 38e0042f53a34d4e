"""The session's background runs (``background_runs``): each declared run starts once, only
when a selected test wants it; it runs at the lowest priority; and the modules that wait for
such runs come after the rest of the suite."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from background_runs import AWAITS, BackgroundRun, SessionRuns, declare, put_awaiting_modules_last

AUTOGROUP = Path("/proc/self/autogroup")  # Linux's, where the kernel groups sessions


@pytest.mark.slow
def test_a_declared_run_starts_once_and_only_when_a_selected_test_wants_it(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setattr("background_runs.DECLARED", {})
    started: list[str] = []

    def starter(name: str):
        def start(config: pytest.Config) -> BackgroundRun:
            started.append(name)
            return BackgroundRun([sys.executable, "-c", ""], cwd=tmp_path, folder=tmp_path / name)

        return start

    declare("by_fixture", starter("by_fixture"))
    declare("by_id", starter("by_id"), wanted=lambda item: "[wanted]" in item.nodeid)
    declare("unwanted", starter("unwanted"))
    items = [
        SimpleNamespace(nodeid="test_a", fixturenames=["tmp_path", "by_fixture"]),
        SimpleNamespace(nodeid="test_b[wanted]", fixturenames=[]),
        SimpleNamespace(nodeid="test_c", fixturenames=["by_fixture"]),
    ]
    runs = SessionRuns(pytestconfig)
    try:
        runs.start_wanted(items)  # type: ignore[arg-type]
        assert started == ["by_fixture", "by_id"]
        assert runs.run("by_fixture") is runs.run("by_fixture")
        assert started == ["by_fixture", "by_id"]
        assert runs.run("unwanted").finished().returncode == 0  # asked for: started then
        assert started == ["by_fixture", "by_id", "unwanted"]
    finally:
        runs.stop()


REPORT_PRIORITY = "import os, pathlib; p = pathlib.Path('/proc/self/autogroup'); " + (
    "print(os.nice(0)); print(p.read_text() if p.exists() else '')"
)


def priority_of_a_run(folder: Path) -> tuple[int, str]:
    """The niceness of a background run, and its autogroup's line (empty where none)."""
    run = BackgroundRun([sys.executable, "-c", REPORT_PRIORITY], cwd=folder, folder=folder)
    done = run.finished(timeout=60)
    assert done.returncode == 0, done.stderr
    niceness, group = [*done.stdout.splitlines(), ""][:2]
    return int(niceness), group


@pytest.mark.slow
def test_a_background_run_has_the_lowest_priority(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    niceness, group = priority_of_a_run(tmp_path)
    assert niceness == 19
    if AUTOGROUP.exists():  # a new session is a group of its own: its share is lowered too
        assert group.endswith("nice 19"), group


@pytest.mark.slow
def test_an_xdist_workers_run_has_the_workers_priority(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    assert priority_of_a_run(tmp_path)[0] == os.nice(0)


class Item(SimpleNamespace):
    def get_closest_marker(self, name: str) -> object:
        return name if name in self.marks else None


def test_the_modules_awaiting_background_runs_come_last_in_a_serial_run():
    items = [Item(name=n, marks=m) for n, m in [("a", []), ("b", [AWAITS]), ("c", [])]]
    items += [Item(name="d", marks=[AWAITS]), Item(name="e", marks=["other"])]
    serial, worker = SimpleNamespace(), SimpleNamespace(workerinput={})
    in_a_worker = list(items)
    put_awaiting_modules_last(worker, in_a_worker)  # type: ignore[arg-type]
    assert [item.name for item in in_a_worker] == ["a", "b", "c", "d", "e"]
    put_awaiting_modules_last(serial, items)  # type: ignore[arg-type]
    assert [item.name for item in items] == ["a", "c", "e", "b", "d"]
