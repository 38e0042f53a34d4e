"""Settings for the whole test suite."""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path

import pytest
import slow_tier
from background_runs import AWAITS, is_xdist_worker, put_awaiting_modules_last, session_runs
from suite_caches import (
    MEMORY_FILESYSTEM,
    bytecode_cached_outside_the_tree,
    forget_bytecode_of_gone_folders,
)

MEMORY_FILESYSTEM_ROOM = 1024**3  # bytes free, at least, for the suite to use it
FULL_COLLECTION_EVERY = 100  # collections of the middle generation (Python's default: 10)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(slow_tier, "slow_tier")
    temporary_files_in_memory(config)
    bytecode_cached_outside_the_tree()
    hypothesis_without_timings(config)
    config.addinivalue_line(
        "markers",
        f"{AWAITS}: the module's tests wait for runs started in the background "
        "when collection ends (tests/background_runs.py); they run after the others",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    put_awaiting_modules_last(config, items)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection made (the tests, their modules, the parsed feature files: most of the
    objects the run holds) lives as long as the run: moved out of the garbage collector's
    reach (:func:`gc.freeze`), its full collections no longer walk it again and again (about
    a tenth of a Gherkin run's CPU went to them). What the tests make is collected as before,
    but fully only after every :data:`FULL_COLLECTION_EVERY` younger collections instead of
    Python's 10: each full one walks what the tests keep (reports, ``pytester``'s runs), more
    of it as the run goes on, up to 0.2 s a walk. A serial run made 26-27 of them, 2.6-3.0 s of
    CPU; now 4, about 1 s (10-20 MB more at its peak). Once: a session run inside this one
    (``pytester``) leaves its own objects to the collector.

    In a serial run, the background runs the selected tests want start now
    (``background_runs``).
    """
    if not gc.get_freeze_count():
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    config = session.config
    if not is_xdist_worker(config) and not config.option.collectonly:
        session_runs(config).start_wanted(session.items)


def temporary_files_in_memory(config: pytest.Config) -> None:
    """The suite's temporary files (``tmp_path``, :mod:`tempfile`, its child processes') on the
    machine's memory file system (tmpfs), unless a place is chosen (``--basetemp``,
    ``$PYTEST_DEBUG_TEMPROOT``, ``$TMPDIR``).

    The connector's SQLite files stay real files (WAL, locks, permissions, a killed process);
    only their syncs to disk, which the connector makes on every commit and which no test can
    observe, no longer wait for a disk: they were a third of the Gherkin suite's time.
    """
    chosen = config.option.basetemp or os.environ.get("PYTEST_DEBUG_TEMPROOT")
    if chosen or os.environ.get("TMPDIR"):
        return
    if roomy(MEMORY_FILESYSTEM):
        os.environ["TMPDIR"] = str(MEMORY_FILESYSTEM)
        tempfile.tempdir = None  # tempfile.gettempdir() reads $TMPDIR again


def roomy(folder: Path) -> bool:
    """Whether ``folder`` is a writable folder with room to spare (containers often give
    /dev/shm 64 MB, which the suite's files and a browser would fill)."""
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        return False
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize >= MEMORY_FILESYSTEM_ROOM


def pytest_unconfigure(config: pytest.Config) -> None:
    forget_bytecode_of_gone_folders()


def hypothesis_without_timings(config: pytest.Config) -> None:
    """Hypothesis' deadline (200 ms an example) and its too-slow check are timings: on a busy
    machine, or beside other xdist workers, an example can pass either for no fault of the code
    (an example took 416 ms once under load, then 1.4 ms). Timing targets live in bench/.

    Set before any test module is imported; skipped (with Hypothesis' import, a second of a
    short run's start) when Hypothesis' plugin is off, as in the suite's own pytest runs of
    the Gherkin scenarios (``tests/negative_controls``, ``tests/store_mode``), which use none.
    """
    if not config.pluginmanager.has_plugin("_hypothesis_pytestplugin"):
        return
    from hypothesis import HealthCheck, settings

    settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("suite")
