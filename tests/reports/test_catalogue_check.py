"""The behaviour catalogue check (``inksoft_testkit.catalogue``), on a small generated project:
tags in any case, unknown IDs refused, a full run judged from its reports (serially and under
xdist), not-applicable behaviours named apart, partial runs not judged."""

from __future__ import annotations

import pytest
import report_project as project

pytestmark = pytest.mark.awaits_background_run  # run after the rest (background_runs)

pytest_plugins = ["pytester"]

UNCOVERED = "behaviours without a passing scenario: "


def write(
    pytester: pytest.Pytester,
    *,
    orders: str = project.ORDERS_FEATURE,
    evidence: str = project.PASSING_EVIDENCE,
) -> None:
    project.write(pytester.path, orders=orders, evidence=evidence)


def test_a_full_run_where_every_behaviour_passes_is_green(pytester):
    write(pytester)
    result = pytester.runpytest()
    result.assert_outcomes(passed=6)
    assert UNCOVERED not in result.stdout.str()


def test_a_full_run_fails_naming_a_behaviour_without_a_passing_scenario(pytester):
    write(pytester, evidence=project.evidence_with(the_window="And this scenario is skipped"))
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([f"{UNCOVERED}C01 (see features/behaviours.md)"])


def test_a_scenario_whose_teardown_failed_has_not_passed(pytester):
    """P01's one scenario passes its steps, then a fixture's teardown fails: pytest reports an
    error, the Cucumber JSON a failed after hook, and the check finds no passing scenario."""
    write(
        pytester, evidence=project.PASSING_EVIDENCE.replace("  @p01\n", "  @p01 @broken_teardown\n")
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=6, errors=1)
    result.stdout.fnmatch_lines([f"{UNCOVERED}P01 (see features/behaviours.md)"])


def test_a_not_applicable_behaviour_with_a_failing_scenario_is_not_applicable_apart(pytester):
    evidence = project.evidence_with(the_errors="And a capability the connector lacks") + (
        "\n  @p01\n  Scenario: The errors again\n    Then its label is refused\n"
    )
    write(pytester, evidence=evidence)
    result = pytester.runpytest()
    result.stdout.fnmatch_lines([f"{UNCOVERED}P01 (see features/behaviours.md)"])
    assert "not applicable to this connector" not in result.stdout.str()


@pytest.mark.parametrize(
    "selection",
    [["-k", "domestic or window"], ["-m", "b01 or c01"], ["test_evidence.py"]],
    ids=["-k", "-m", "one-file"],
)
def test_a_partial_run_is_not_judged(pytester, selection):
    write(pytester, evidence=project.evidence_with(the_window="And this scenario is skipped"))
    result = pytester.runpytest(*selection)
    assert result.ret == pytest.ExitCode.OK
    assert UNCOVERED not in result.stdout.str()


def test_a_tag_in_upper_case_is_the_lower_case_marker(pytester):
    write(pytester)  # the orders feature tags its first scenario @B01
    result = pytester.runpytest("-m", "b01", "-v")
    result.assert_outcomes(passed=1, deselected=5)
    result.stdout.fnmatch_lines(["*test_orders_import_with_their_items PASSED*"])


EXAMPLES_TAGGED = project.ORDERS_FEATURE.replace("    @b02\n", "").replace(
    "      @uk\n", "      @uk @B02\n"
)


def test_an_upper_case_tag_on_examples_is_selected_by_the_lower_case_marker(pytester):
    write(pytester, orders=EXAMPLES_TAGGED)
    result = pytester.runpytest("-m", "b02", "-v")
    result.assert_outcomes(passed=1, deselected=5)
    result.stdout.fnmatch_lines(["*test_a_label_for_a_kind_order?domestic-made? PASSED*"])


def test_an_upper_case_tag_on_examples_counts_for_the_catalogue(pytester):
    write(pytester, orders=EXAMPLES_TAGGED)
    assert pytester.runpytest().ret == pytest.ExitCode.OK  # B02 has its passing example


def test_an_upper_case_tag_on_examples_without_a_passing_example_fails_the_run(pytester):
    # (pytest-bdd caches a feature file by its path: a second project, not the same rewritten)
    write(
        pytester, orders=EXAMPLES_TAGGED.replace("| domestic | made    |", "| domestic | refused |")
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines([f"{UNCOVERED}B02 (see features/behaviours.md)"])


UNKNOWN = (
    "ERROR: unknown behaviour tag @{tag}: features/behaviours.md lists no {upper}; "
    "add its line there first, or fix the tag"
)


@pytest.mark.parametrize(
    ("orders", "tag"),
    [
        (project.ORDERS_FEATURE.replace("  @B01\n", "  @b34\n"), "b34"),
        (project.ORDERS_FEATURE.replace("@orders\nFeature", "@orders @C99\nFeature"), "C99"),
        (EXAMPLES_TAGGED.replace("@B02", "@b34"), "b34"),
        (EXAMPLES_TAGGED.replace("@B02", "@P34"), "P34"),
    ],
    ids=["scenario", "feature", "examples", "examples-upper-case"],
)
def test_an_unknown_behaviour_tag_stops_the_run(pytester, orders, tag):
    write(pytester, orders=orders)
    result = pytester.runpytest("-k", "domestic")  # a partial run is refused too
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([UNKNOWN.format(tag=tag, upper=tag.upper())])


def test_an_unknown_tag_on_examples_is_refused_with_the_catalogue_elsewhere(pytester):
    """Feature files not beside the catalogue, and no --strict-markers: the marks are read."""
    write(pytester, orders=EXAMPLES_TAGGED.replace("@B02", "@b34"))
    (pytester.path / "docs").mkdir()
    (pytester.path / "features" / "behaviours.md").rename(pytester.path / "docs" / "behaviours.md")
    ini = (pytester.path / "pytest.ini").read_text(encoding="utf-8")
    ini = ini.replace("--strict-markers ", "").replace(
        "features/behaviours.md", "docs/behaviours.md"
    )
    (pytester.path / "pytest.ini").write_text(ini, encoding="utf-8")
    result = pytester.runpytest("-W", "ignore::pytest.PytestUnknownMarkWarning")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: unknown behaviour tag @b34: docs/behaviours.md lists no B34*"]
    )


# --- Under xdist: runs of their own, started early (conftest.py), asked for last ----------


def test_under_xdist_a_behaviour_whose_scenario_failed_or_was_skipped_fails_the_run(
    uncovered_project_run,
):
    """The controller judges from the workers' reports: C01's scenario failed, P01's skipped,
    B03's passed its steps but its teardown failed."""
    _, done = uncovered_project_run
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    pytest.LineMatcher(done.stdout.splitlines()).fnmatch_lines(
        [f"{UNCOVERED}B03, C01, P01 (see features/behaviours.md)"]
    )


def test_a_not_applicable_behaviour_is_named_apart_and_does_not_fail_the_run(
    not_applicable_project_run,
):
    _, done = not_applicable_project_run  # under xdist, P01's one scenario not applicable
    assert done.returncode == pytest.ExitCode.OK, done.stdout + done.stderr
    pytest.LineMatcher(done.stdout.splitlines()).fnmatch_lines(
        ["behaviours not applicable to this connector: P01"]
    )
    assert UNCOVERED not in done.stdout
