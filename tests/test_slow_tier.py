"""The slow tier (``tests/slow_tier.py``): which tests enter it, and a test left out of it that
starts a process, in pytest sessions of their own (``pytester``, in this process)."""

from __future__ import annotations

import pytest
from background_runs import declare

pytest_plugins = ["pytester"]

TESTS = """
import os, subprocess, sys
import pytest

@pytest.fixture
def chromium():
    return "a browser"

def test_in_process():
    assert sum([1, 2]) == 3

def test_starting_a_process():
    subprocess.run([sys.executable, "-c", "pass"], check=True)

def test_forking():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)

@pytest.mark.slow
def test_marked_and_starting_a_process():
    subprocess.run([sys.executable, "-c", "pass"], check=True)

def test_with_the_browser(chromium):
    subprocess.run([sys.executable, "-c", "pass"], check=True)

@pytest.fixture
def a_run():
    return "what a background run wrote"

def test_awaiting_a_run(a_run):
    subprocess.run([sys.executable, "-c", "pass"], check=True)

def test_failing_on_its_own():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert False, "its own failure"
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """The tests above, with ``a_run`` the one background run declared."""
    monkeypatch.setattr("background_runs.DECLARED", {})
    declare("a_run", lambda config: pytest.fail("a run is not started by these sessions"))
    pytester.makepyfile(test_tiers=TESTS)
    return pytester


def test_a_test_outside_the_tier_that_starts_a_process_fails_naming_it(project):
    result = project.runpytest("-p", "slow_tier", "-rf")
    result.assert_outcomes(passed=4, failed=3)
    failed = sorted(line.split()[1] for line in result.outlines if line.startswith("FAILED"))
    assert failed == [
        "test_tiers.py::test_failing_on_its_own",
        "test_tiers.py::test_forking",
        "test_tiers.py::test_starting_a_process",
    ]
    result.stdout.fnmatch_lines(
        [
            "*test_starting_a_process started 1 process(es) but is not in the slow tier: "
            "mark it (pytest.mark.slow*The first: ?'*python*', '-c', 'pass'?",  # ? for [ and ]
            "*test_forking started 1 process(es)*The first: a fork",
        ]
    )
    assert "its own failure" in result.stdout.str()  # a failure of its own is left as it is
    assert "test_failing_on_its_own started" not in result.stdout.str()


def test_not_slow_leaves_out_the_marked_the_browsers_and_those_awaiting_a_run(project):
    result = project.runpytest("-p", "slow_tier", "-m", "not slow", "-k", "not failing")
    result.assert_outcomes(passed=1, failed=2, deselected=4)


def test_off_where_the_connector_under_test_is_another(project):
    """``--connector-cmd``: the connector's own commands are processes the tests start."""
    result = project.runpytest("-p", "slow_tier", "--connector-cmd", "their-connector")
    result.assert_outcomes(passed=6, failed=1)  # test_failing_on_its_own
