"""Store mode against stores that are not our mock: a clean Custom Store passes, each switched-on
failure mode is named, nothing is written without --store-allow-writes, and the mock served
by ``mock-inksoft serve`` passes every store scenario.

Each case runs the store feature in a pytest session of its own. The clean store's is a
process (as a user runs it: ``python -m pytest``, its exit code), started first so that it runs
while the others do: those run in this process, one after the other, as ``pytester`` runs a
session (what a run imports is unloaded after it); the served mock is a process of its own.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from _pytest.unraisableexception import gc_collect_iterations_key  # pytester's own use
from background_runs import BackgroundRun
from custom_store import CustomStore

from inksoft_testkit.live import LiveInkSoft, start_inksoft_process

# Loaded here, once: a run in this process unloads what it imports, and what the store
# scenarios use (the store client and probes, the steps' libraries) would load again each run.
from inksoft_testkit.storecheck import client, probes  # noqa: F401

pytestmark = [
    pytest.mark.awaits_background_run,  # run after the rest (background_runs)
    pytest.mark.slow,  # pytest sessions, a served mock (tests/slow_tier.py)
]

ROOT = Path(__file__).resolve().parents[2]
FEATURE = "tests/bdd/test_store_conformance.py"
PASSWORD = "S3cret pass&word"
PASSWORD_FORMS = (PASSWORD, "S3cret+pass%26word", "S3cret%20pass%26word")
# Plugins of the suite's addopts (pyproject.toml) that the Gherkin scenarios do not use, left
# out to keep each run short (Hypothesis' profile, and so its import, comes with its plugin).
UNUSED_PLUGINS = ("_hypothesis_pytestplugin", "xdist.plugin")
QUIET_PLUGINS = tuple(arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}"))
WRITE_PROBES = {
    "shipment notice cannot find its order",
    "shipment notice body quirks",
    "retried or partial shipment notices",
}


@dataclass
class Run:
    returncode: int
    output: str
    report: dict
    cucumber: str

    def outcomes(self, outcome: str) -> set[str]:
        return {name for name, p in self.report["probes"].items() if p["outcome"] == outcome}


def store_mode_args(
    url: str, tmp: Path, *args: str, paths=(FEATURE,), cucumber: bool = True
) -> list[str]:
    """The arguments of a store-mode run of ``paths``, its reports written in ``tmp`` (the
    Cucumber JSON too unless ``cucumber`` is false)."""
    tmp.mkdir(parents=True, exist_ok=True)
    reports = ["--store-report", str(tmp / "store.json")]
    if cucumber:
        reports.append(f"--cucumberjson={tmp / 'cucumber.json'}")
    return [*paths, "-q", *QUIET_PLUGINS, "--store-url", url, "--store-rate", "0", *reports, *args]


def finished(tmp: Path, returncode: int, output: str) -> Run:
    report, cucumber = tmp / "store.json", tmp / "cucumber.json"
    assert report.exists(), output
    return Run(
        returncode,
        output,
        json.loads(report.read_text()),
        cucumber.read_text() if cucumber.exists() else "",
    )


def in_a_process(arguments: list[str], folder: Path) -> BackgroundRun:
    """``python -m pytest`` with these arguments, started (not waited for); its output in
    ``folder``."""
    environment = dict(os.environ)
    environment.pop("PYTEST_XDIST_WORKER", None)
    return BackgroundRun.pytest(arguments, cwd=ROOT, folder=folder, env=environment, merged=True)


class WithoutFullCollections:
    """A plugin for a session run in this process: its end makes no full garbage collection,
    as ``pytester`` arranges for its own runs (``inline_run``). Each would walk this whole
    process's heap, the outer suite's included: 0.2-0.4 s a run."""

    @staticmethod
    def pytest_configure(config: pytest.Config) -> None:
        config.stash[gc_collect_iterations_key] = 0


def in_this_process(arguments: list[str], env: dict[str, str]) -> tuple[int, str]:
    """A pytest session in this process, as ``pytester`` runs one: its exit code and output.
    The environment (with ``env``), the working folder, ``sys.path`` and the modules loaded
    are as they were after it."""
    modules, paths, output = dict(sys.modules), list(sys.path), StringIO()
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            for name in ("PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST"):
                patch.delenv(name, raising=False)  # this session's own, given back after
            patch.chdir(ROOT)
            with redirect_stdout(output), redirect_stderr(output):
                code = pytest.main(arguments, plugins=[WithoutFullCollections()])
    finally:
        sys.modules.clear()
        sys.modules.update(modules)
        sys.path[:] = paths
    return int(code), output.getvalue()


# Failure modes switched on together where their probes do not read each other's symptoms:
# the probes each group fails, and those it warns (that cannot decide, or warn by design).
GROUPS = {
    "credentials, stray output, strict dates": (
        {"empty_200_on_bad_credentials", "stray_output", "authorization_stripped", "strict_dates"},
        {
            "wrong credentials not refused",
            "stray output or HTML instead of XML",
            "Authorization header stripped",
            "date parsing too strict",
            "the empty answer",  # the stray output is on the empty answer too
            "error answers",  # the strict date parser crashes on a missing date too
        },
        {"only one credential form accepted", "paging broken"},
    ),
    "one form, unescaped text, time zone, paging, time, bad order, statuses": (
        {
            "query_credentials_ignored",
            "unescaped_text",
            "server_time_zone",
            "duplicates_across_pages",
            "slow_pages",
            "bad_order",
            "custom_statuses",
        },
        {
            "unescaped or double-escaped free text",
            "window in the wrong time zone or to the day",
            "paging broken",
            "one bad order fails the export",
        },
        {
            "only one credential form accepted",
            "pages too slow",
            "statuses the default mapping does not cover",
        },
    ),
    "creation date, double escapes, paging, notices": (
        {
            "creation_date_filter",
            "double_escaped_text",
            "no_pages_attribute",
            "error_past_end",
            "notice_by_id_only",
            "notice_quirks_crash",
            "partial_completes_order",
        },
        {"window filtered on the creation date", "paging broken", *WRITE_PROBES},
        {"window in the wrong time zone or to the day", "unescaped or double-escaped free text"},
    ),
}
PAGE_BUDGET = "0.05"  # seconds: a page of the slow store takes longer (custom_store)
WRITES_GROUP = "creation date, double escapes, paging, notices"
NOTIFIED = ("W-1020", "W-1021")


def check_group(name: str, tmp: Path) -> tuple[Run, CustomStore]:
    """The store with this group's failure modes; credentials from the environment, or from a
    TOML file for the group that may write (to the orders it lists)."""
    store = CustomStore(GROUPS[name][0]).start()
    args: tuple[str, ...] = ("--store-user", "shipstation", "--store-page-budget", PAGE_BUDGET)
    env = {"INKSOFT_STORE_PASSWORD": PASSWORD}
    if name == WRITES_GROUP:
        config = tmp / "store.toml"
        tmp.mkdir(parents=True, exist_ok=True)
        config.write_text(f'[store]\nuser = "shipstation"\npassword = "{PASSWORD}"\n')
        args = ("--store-config", str(config), "--store-allow-writes")
        args += tuple(arg for number in NOTIFIED for arg in ("--store-order", number))
        env = {}
    try:
        code, output = in_this_process(store_mode_args(store.url, tmp, *args), env)
    finally:
        store.stop()
    return finished(tmp, code, output), store


def check_served_mock(mock: LiveInkSoft, tmp: Path) -> Run:
    """``mock-inksoft serve --orders 300`` (in its own process), checked as any store is; over
    the whole Gherkin suite (every other scenario not applicable), whose Cucumber JSON report
    no test reads (its password is no secret) and would be most of the run."""
    arguments = store_mode_args(
        mock.endpoint(10001), tmp, "--store-user", "demo",
        "--store-password", "demo-password", paths=("tests/bdd",), cucumber=False,
    )  # fmt: skip
    return finished(tmp, *in_this_process(arguments, {}))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every store-mode run of this module: the clean store's process and the served mock's
    start-up first, so that they go on while the groups run here."""
    tmp = tmp_path_factory.mktemp("store-mode")
    with ExitStack() as cleanup:
        pool = cleanup.enter_context(ThreadPoolExecutor(max_workers=1))
        serving = pool.submit(start_inksoft_process, ["--orders", "300"])
        cleanup.callback(lambda: serving.result().stop())
        clean_store = CustomStore().start()
        cleanup.callback(clean_store.stop)
        clean_args = ("--store-user", "shipstation", "--store-password", PASSWORD)
        clean_arguments = store_mode_args(clean_store.url, tmp / "clean", *clean_args)
        clean = in_a_process(clean_arguments, tmp / "clean-output")
        cleanup.callback(clean.stop)
        groups = {name: check_group(name, tmp / f"group{n}") for n, name in enumerate(GROUPS)}
        mock = check_served_mock(serving.result(), tmp / "mock")
        clean_run = clean.finished(timeout=300)
    return {
        "clean": (finished(tmp / "clean", clean_run.returncode, clean_run.stdout), clean_store),
        "mock": mock,
        "groups": groups,
    }


def test_a_clean_store_passes_every_probe(runs):
    run, _ = runs["clean"]
    assert run.returncode == 0, run.output
    assert run.outcomes("pass") == set(run.report["probes"]) - WRITE_PROBES, run.output
    assert run.outcomes("not applicable") == WRITE_PROBES
    assert run.report["scenarios"] == {"pass": 12, "not applicable": 4}
    assert "store conformance:" in run.output and "PASS  #9 paging broken" in run.output


def test_without_allow_writes_no_write_reaches_the_store(runs):
    _, store = runs["clean"]
    assert store.log, "the store saw no request at all"
    assert {entry.method for entry in store.log} == {"GET"}
    assert all(entry.body == b"" for entry in store.log)
    assert {entry.query.get("action", [""])[0] for entry in store.log} <= {
        "export",
        "no-such-action",
    }


@pytest.mark.parametrize("group", list(GROUPS))
def test_each_failure_mode_switched_on_is_named(runs, group):
    _, fails, warns = GROUPS[group]
    run, _ = runs["groups"][group]
    assert run.returncode == 1, run.output
    assert run.outcomes("fail") == fails, run.output
    assert warns <= run.outcomes("warn"), run.output
    for probe, outcome in [*((p, "FAIL") for p in fails), *((p, "WARN") for p in warns)]:
        number = run.report["probes"][probe]["number"]
        assert f"{outcome}  {f'#{number} ' if number else ''}{probe}" in run.output


def test_the_password_is_redacted_from_every_report(runs):
    for run in [runs["clean"][0], *(g[0] for g in runs["groups"].values())]:
        for text in (run.output, json.dumps(run.report), run.cucumber):
            assert not any(form in text for form in PASSWORD_FORMS)
    stripped = runs["groups"]["credentials, stray output, strict dates"][0]
    assert "SS-Password=***" in stripped.output  # the evidence shows where it was


def test_writes_go_only_to_the_listed_orders_and_name_the_notice_defects(runs):
    run, store = runs["groups"][WRITES_GROUP]
    assert run.outcomes("fail") >= WRITE_PROBES, run.output
    posts = [entry for entry in store.log if entry.method == "POST"]
    assert {entry.query["order_number"][0] for entry in posts} == set(NOTIFIED)
    assert {entry.query["action"][0] for entry in posts} == {"shipnotify"}


def test_the_served_mock_passes_every_store_scenario(runs):
    run = runs["mock"]
    assert run.returncode == 0, run.output
    assert not run.outcomes("fail"), run.output
    assert run.outcomes("not applicable") == WRITE_PROBES
    assert run.report["scenarios"]["pass"] == 12
    behaviours = run.report["behaviours"]
    assert behaviours["P05"] == {"not applicable": 2 + 1}  # protocol.feature and this feature
    assert behaviours["B01"] == {"not applicable": 3}  # connecting needs the connector
    assert behaviours["C07"] == {"pass": 1, "not applicable": 16}  # C IDs are reported too
