"""The suite's bytecode cache outside the tree (``tests/suite_caches.py``) forgets the folders
that are gone, and only those."""

from __future__ import annotations

import tempfile
from pathlib import Path

import suite_caches


def test_the_bytecode_of_a_gone_temporary_folder_is_forgotten_and_a_live_ones_kept(
    tmp_path: Path, monkeypatch
):
    prefix = tmp_path / "pycache"
    root = Path(tempfile.gettempdir()).resolve()
    live = Path(tempfile.mkdtemp(prefix="live-"))
    gone = Path(tempfile.mkdtemp(prefix="gone-"))
    gone.rmdir()
    mirrors = {
        folder: prefix / folder.resolve().relative_to("/") / "__pycache__" / "m.cpython.pyc"
        for folder in (live, gone)
    }
    for pyc in mirrors.values():
        pyc.parent.mkdir(parents=True)
        pyc.write_bytes(b"code")
    monkeypatch.setattr(suite_caches, "BYTECODE_MIRROR", [prefix])
    try:
        suite_caches.forget_bytecode_of_gone_folders()
        assert mirrors[live].exists()
        assert not (prefix / gone.resolve().relative_to("/")).exists()
        assert (prefix / root.relative_to("/")).is_dir()  # the root's mirror itself stays
    finally:
        live.rmdir()


def test_a_process_that_did_not_choose_the_cache_forgets_nothing(tmp_path: Path, monkeypatch):
    gone = tmp_path / "pycache" / Path(tempfile.gettempdir()).resolve().relative_to("/") / "x"
    gone.mkdir(parents=True)
    monkeypatch.setattr(suite_caches, "BYTECODE_MIRROR", [])
    suite_caches.forget_bytecode_of_gone_folders()
    assert gone.is_dir()
