"""The HTML formatter's npm packages are installed once, however many runs ask at once (the
suite's report runs start together: two ``npm ci`` in one folder broke each other's
formatter on a fresh clone)."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from inksoft_testkit.cucumber_html import ReportToolMissing, ensure_formatter

# A stand-in for npm: notes each start, takes a while, then installs the formatter's folder.
FAKE_NPM = """#!/bin/sh
echo started >> "$NPM_LOG"
sleep 0.2
mkdir -p "$5/node_modules/@cucumber/html-formatter"
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None, reason="the formatter needs Node.js")
def test_runs_asking_at_once_install_the_formatter_once(tmp_path: Path, monkeypatch):
    tools, bin_dir = tmp_path / "cucumber-html", tmp_path / "bin"
    tools.mkdir()
    (tools / "package.json").write_text("{}")  # the formatter's project, as in tools/
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM)
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "npm.log"
    node_dir = Path(shutil.which("node") or "").parent
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), str(node_dir)]))
    monkeypatch.setenv("NPM_LOG", str(log))
    found: list[Path] = []
    askers = [threading.Thread(target=lambda: found.append(ensure_formatter(tools))) for _ in "ab"]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(10)
    assert found == [tools, tools]
    assert log.read_text().splitlines() == ["started"]  # the second waited, then found it
    assert (tools / "node_modules" / "@cucumber" / "html-formatter").is_dir()


def test_a_kit_without_the_formatters_project_says_where_it_looked(tmp_path: Path, monkeypatch):
    """An installed wheel holds no checkout's ``tools/cucumber-html``: a reason, no traceback."""
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")  # Node.js is there
    with pytest.raises(ReportToolMissing, match=r"formatter project is not in .*/wheel/tools"):
        ensure_formatter(tmp_path / "wheel" / "tools" / "cucumber-html")
    assert not (tmp_path / "wheel").exists()  # nothing written where it looked
