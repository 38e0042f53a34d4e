"""Store mode against stores that are not our mock: a clean Custom Store passes, each switched-on
failure mode is named, nothing is written without --store-allow-writes, and the mock served
by ``mock-inksoft serve`` passes every store scenario.

Each case runs the store feature in a pytest subprocess (as a user would); they are few and
are started together, so they overlap.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from custom_store import CustomStore

from inksoft_testkit.live import start_inksoft_process

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


def store_mode(url: str, tmp: Path, *args: str, env: dict | None = None, paths=(FEATURE,)) -> Run:
    tmp.mkdir(parents=True, exist_ok=True)
    report, cucumber = tmp / "store.json", tmp / "cucumber.json"
    command = [
        sys.executable, "-m", "pytest", *paths, "-q", *QUIET_PLUGINS,
        "--store-url", url, "--store-rate", "0", "--store-report", str(report),
        f"--cucumberjson={cucumber}", *args,
    ]  # fmt: skip
    environment = {**os.environ, **(env or {})}
    environment.pop("PYTEST_XDIST_WORKER", None)
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=environment, timeout=300
    )
    output = done.stdout + done.stderr
    assert report.exists(), output
    return Run(
        done.returncode,
        output,
        json.loads(report.read_text()),
        cucumber.read_text() if cucumber.exists() else "",
    )


def in_parallel(*jobs):
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [future.result() for future in [pool.submit(*job) for job in jobs]]


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


def check_group(name: str, tmp: Path) -> tuple[str, Run, CustomStore]:
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
        run = store_mode(store.url, tmp, *args, env=env)
    finally:
        store.stop()
    return name, run, store


def check_clean(tmp: Path) -> tuple[Run, CustomStore]:
    store = CustomStore().start()
    try:
        run = store_mode(
            store.url, tmp, "--store-user", "shipstation", "--store-password", PASSWORD
        )
    finally:
        store.stop()
    return run, store


def check_served_mock(tmp: Path) -> Run:
    """``mock-inksoft serve --orders 300`` in its own process, checked as any store is."""
    mock = start_inksoft_process(["--orders", "300"])
    try:
        return store_mode(
            mock.endpoint(10001), tmp, "--store-user", "demo",
            "--store-password", "demo-password", paths=("tests/bdd",),
        )  # fmt: skip
    finally:
        mock.stop()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every store-mode run of this module, started together."""
    tmp = tmp_path_factory.mktemp("store-mode")
    jobs = [(check_clean, tmp / "clean"), (check_served_mock, tmp / "mock")]
    jobs += [(check_group, name, tmp / f"group{n}") for n, name in enumerate(GROUPS)]
    clean, mock, *groups = in_parallel(*jobs)
    return {
        "clean": clean,
        "mock": mock,
        "groups": {g[0]: g[1:] for g in groups},
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
