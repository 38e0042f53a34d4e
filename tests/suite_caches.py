"""The suite's bytecode cache outside the tree: chosen by ``tests/conftest.py`` at the start of
a run, its folders for temporary files that are gone forgotten at the end."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

# pytest makes its own folder there, private to the user (0o700), as it does in /tmp
MEMORY_FILESYSTEM = Path("/dev/shm")  # noqa: S108
# where pytest and the suite put temporary folders (tests/conftest.py: memory when it can)
TEMPORARY_ROOTS = (MEMORY_FILESYSTEM, Path("/tmp"))  # noqa: S108
BYTECODE_MIRROR: list[Path] = []  # the bytecode cache this process chose, if it chose one


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


def forget_bytecode_of_gone_folders() -> None:
    """The bytecode cached for temporary folders that are gone (pytester's, the generated
    projects'), removed at the end of the run that chose the cache, so that it does not grow
    with every run. Only there: a child process or a session run inside this one leaves it."""
    if not BYTECODE_MIRROR:
        return
    prefix = BYTECODE_MIRROR[0]
    for root in {Path(tempfile.gettempdir()), *TEMPORARY_ROOTS}:
        mirror = prefix / root.resolve().relative_to(root.anchor)
        folders = list(mirror.iterdir()) if mirror.is_dir() else []
        for folder in folders:
            if folder.name.startswith("pytest-of-"):  # pytest's numbered folders, one deeper
                folders += folder.iterdir()
        for folder in folders:
            if not (Path(root.anchor) / folder.relative_to(prefix)).exists():
                shutil.rmtree(folder, ignore_errors=True)
