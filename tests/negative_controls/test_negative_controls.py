"""The kit proves it can fail: the suite run against each broken connector must fail, on the
scenarios of the behaviour that connector gets wrong (and only there: the run is limited to
that behaviour's tag). And what a connector does not declare is neither passed nor failed.

Each run is a real run of the real scenarios, in a pytest session of its own: in this process
(``pytester``) for the drivers, in a process of its own for the command line, started as soon
as collection ends so that it runs while the others do (see ``control_runs``)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

# Loaded here, once, with the connector and its libraries: pytester unloads what a run imports,
# and cryptography's compiled core (the connector's secrets) cannot load twice in a process.
import broken_connectors  # noqa: F401
import pytest
from background_runs import session_runs
from control_runs import (
    ARGS,
    AS_A_PROCESS,
    CONTROLS,
    HERE,
    PROCESS_RUN,
    ROOT,
    UNDECLARED,
    without_our_variables,
)

pytestmark = pytest.mark.awaits_background_run  # run after the rest (background_runs)

pytest_plugins = ["pytester"]


@pytest.fixture
def run_control(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    pytestconfig: pytest.Config,
) -> Callable[[str], tuple[int, str]]:
    """Run a control: its exit code and its output."""

    def run(control: str) -> tuple[int, str]:
        if control == AS_A_PROCESS:
            finished = session_runs(pytestconfig).run(PROCESS_RUN).finished()
            return finished.returncode, finished.stdout
        tag, option = UNDECLARED if control == "undeclared" else CONTROLS[control]
        for name in set(os.environ) - set(without_our_variables()):
            monkeypatch.delenv(name)
        monkeypatch.chdir(ROOT)
        monkeypatch.syspath_prepend(HERE)
        result = pytester.runpytest_inprocess(*ARGS, "-m", tag, *option)
        return result.ret, result.stdout.str()

    return run


@pytest.mark.parametrize("control", CONTROLS)
def test_the_suite_fails_a_connector_wrong_in_one_behaviour(control, run_control):
    behaviour = CONTROLS[control][0]
    code, output = run_control(control)
    last_line = output.strip().splitlines()[-1]
    assert code == pytest.ExitCode.TESTS_FAILED, output
    assert re.search(r"\b\d+ failed\b", last_line) and "error" not in last_line, output
    # every scenario run is tagged with the behaviour (-m); some specify others as well
    assert re.search(rf"^failed \(\d+\): .*\b{behaviour.upper()}\b", output, re.M), output
    assert f"re-run: pytest tests/bdd -m {behaviour} --connector-" in output, output


def test_scenarios_needing_an_undeclared_capability_are_not_applicable(run_control):
    code, output = run_control("undeclared")
    last_line = output.strip().splitlines()[-1]
    assert code == pytest.ExitCode.OK, output
    # the four B30 scenarios; two of them specify B29 and B31 as well
    assert re.search(r"\b4 not applicable\b", last_line), last_line
    assert not re.search(r"passed|failed|skipped|error", last_line), last_line
    assert "not applicable (3): B29 B30 B31" in output and "failed (0)" in output, output
