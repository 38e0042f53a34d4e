"""The mock and the connector are independent implementations: neither imports the other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_packages(package: str) -> set[str]:
    found = set()
    for source in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("mock_inksoft", {"connector", "inksoft_testkit"}),
        ("connector", {"mock_inksoft"}),
        ("safexml", {"connector", "mock_inksoft", "inksoft_testkit"}),
    ],
)
def test_package_does_not_import(package: str, forbidden: set[str]):
    assert not imported_packages(package) & forbidden
