"""README's examples stay true: its plugin example runs, as another project would run it, and
passes; and it proves something, since its wire test fails when the orders are gone before the
export asks for them."""

from __future__ import annotations

import re
from pathlib import Path

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[1] / "README.md"
WIRE_TEST = "def test_against_the_wire("


def plugin_example() -> str:
    """The README's Python block that defines ``test_against_the_wire``."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    (example,) = [block for block in blocks if WIRE_TEST in block]
    return example


def without_the_orders(example: str) -> str:
    """The example's wire test, renamed, deleting the orders it generated before exporting."""
    test = example[example.index(WIRE_TEST) :]
    broken = test.replace(WIRE_TEST, "def test_against_an_empty_wire(").replace(
        "    now = datetime.now(timezone.utc)\n",
        "    requests.delete(inksoft.url + '/__admin/orders', timeout=10)\n"
        "    now = datetime.now(timezone.utc)\n",
    )
    assert "requests.delete" in broken
    return broken


def test_the_readme_plugin_example_passes_and_can_fail(pytester):
    example = plugin_example()
    pytester.makepyfile(test_example=f"{example}\n\n{without_the_orders(example)}")
    # the plugin named, not auto-loaded with every installed one (test_plugin.py shows that
    # installing the package is enough): this test is about what the README's example does,
    # so it runs in process
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--disable-plugin-autoload", "-p", "inksoft_testkit.plugin"
    )  # fmt: skip
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["FAILED test_example.py::test_against_an_empty_wire*"])
