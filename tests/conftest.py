"""Settings for the whole test suite."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# pytest makes its own folder there, private to the user (0o700), as it does in /tmp
MEMORY_FILESYSTEM = Path("/dev/shm")  # noqa: S108
MEMORY_FILESYSTEM_ROOM = 1024**3  # bytes free, at least, for the suite to use it
BYTECODE_MIRROR: list[Path] = []  # the bytecode cache this process chose, if it chose one


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    temporary_files_in_memory(config)
    bytecode_cached_outside_the_tree()
    hypothesis_without_timings(config)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection made (the tests, their modules, the parsed feature files: most of the
    objects the run holds) lives as long as the run: moved out of the garbage collector's
    reach (:func:`gc.freeze`), its full collections no longer walk it again and again (about
    a tenth of a Gherkin run's CPU went to them). What the tests make is collected as before.
    Once: a session run inside this one (``pytester``) leaves its own objects to the collector.
    """
    if not gc.get_freeze_count():
        gc.freeze()


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


def bytecode_cached_outside_the_tree() -> None:
    """Where bytecode is not to be written (``$PYTHONDONTWRITEBYTECODE``, as on the machines this
    suite runs on, to keep ``__pycache__`` folders out of the tree), write it in a mirror tree
    in the user's cache folder instead (``sys.pycache_prefix``), for the suite and its child
    processes, unless a prefix is chosen (``$PYTHONPYCACHEPREFIX``).

    Without it every pytest process compiled the project's modules and rewrote the assertions
    of every test module again (half of collection's CPU), and every child process (the CLIs,
    ``mock-inksoft serve``, the suite's own pytest runs) compiled the project again.
    """
    if not sys.dont_write_bytecode or sys.pycache_prefix:
        return
    try:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        prefix = cache / "inksoft-harness" / "pycache"
        prefix.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):
        return  # no home, or not writable: compile as before
    sys.pycache_prefix = str(prefix)
    BYTECODE_MIRROR.append(prefix)
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    forget_bytecode_of_gone_folders()


def forget_bytecode_of_gone_folders() -> None:
    """The bytecode cached for temporary folders that are gone (pytester's, the generated
    projects'), removed at the end of the run that chose the cache, so that it does not grow
    with every run. Only there: a child process or a session run inside this one leaves it."""
    if not BYTECODE_MIRROR:
        return
    prefix = BYTECODE_MIRROR[0]
    for root in {Path(tempfile.gettempdir()), MEMORY_FILESYSTEM, Path("/tmp")}:  # noqa: S108
        mirror = prefix / root.resolve().relative_to(root.anchor)
        folders = list(mirror.iterdir()) if mirror.is_dir() else []
        for folder in folders:
            if folder.name.startswith("pytest-of-"):  # pytest's numbered folders, one deeper
                folders += folder.iterdir()
        for folder in folders:
            if not (Path(root.anchor) / folder.relative_to(prefix)).exists():
                shutil.rmtree(folder, ignore_errors=True)


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
