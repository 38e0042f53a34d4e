"""Each package imports only what the table in docs/architecture.md allows it.

The mock and the connector are independent implementations: neither imports the other, and
the connector depends on nothing above it. The check follows every import statement (relative
ones, ones inside functions or ``if TYPE_CHECKING:``, ``importlib.import_module("…")`` with a
literal name), the package ``__init__`` each import runs, and the imports of what is imported,
across packages. A subprocess then runs every connector command and looks at ``sys.modules``.
"""

from __future__ import annotations

import ast
import functools
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from background_runs import BackgroundRun, declare, session_runs, temporary_folder

pytestmark = pytest.mark.awaits_background_run  # run after the rest (background_runs)

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
TABLE_HEADER = "| package | what it is | may import |"


@dataclass(frozen=True)
class Rule:
    """What one package may import: other packages of this project, third-party packages."""

    packages: frozenset[str]
    third_party: frozenset[str]


def rules_from(document: Path) -> dict[str, Rule]:
    """The package table: backquoted names are this project's packages, the rest third-party."""
    lines = document.read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEADER) + 2  # past the header and its separator
    rules = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        package, _, allowed = (cell.strip() for cell in line.strip("|").split("|"))
        names = [name.strip() for name in allowed.split(",") if name.strip()]
        rules[package.strip("`")] = Rule(
            packages=frozenset(n.strip("`") for n in names if n.startswith("`")),
            third_party=frozenset(n for n in names if not n.startswith("`")),
        )
    return rules


# --- Reading the imports ------------------------------------------------------------------


def modules_of(root: Path, packages: set[str]) -> dict[str, Path]:
    """Every module of the packages, by dotted name (a package by its ``__init__``)."""
    found = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def import_names(path: Path, module: str) -> frozenset[str]:
    """The absolute names ``module`` imports (``from a import b`` gives ``a.b`` and ``a``)."""
    here = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return names_in(path.read_text(encoding="utf-8"), here)


@functools.cache  # the planting tests read the same unchanged sources again and again
def names_in(source: str, here: str) -> frozenset[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = absolute(node.module or "", node.level, here)
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names if alias.name != "*"}
        elif isinstance(node, ast.Call) and dynamic_import(node):
            name = node.args[0].value  # type: ignore[attr-defined]
            level = len(name) - len(name.lstrip("."))
            names.add(absolute(name.lstrip("."), level, here))
    return frozenset(names)


def absolute(name: str, level: int, package: str) -> str:
    if level == 0:
        return name
    base = package.split(".")
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def dynamic_import(call: ast.Call) -> bool:
    """``importlib.import_module("…")``, ``import_module("…")`` or ``__import__("…")``."""
    function = call.func
    called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return (
        called in ("import_module", "__import__")
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    )


def loaded_modules(name: str, modules: dict[str, Path]) -> set[str]:
    """This project's modules that importing ``name`` runs: it, and its packages' ``__init__``."""
    parts = name.split(".")
    return {m for i in range(1, len(parts) + 1) if (m := ".".join(parts[:i])) in modules}


def reach(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for target in edges[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def violations(root: Path, rules: dict[str, Rule]) -> list[str]:
    """Every import the rules forbid, every third-party package declared but not imported."""
    modules = modules_of(root, set(rules))
    imports = {module: import_names(path, module) for module, path in modules.items()}
    edges = {
        module: {m for name in names for m in loaded_modules(name, modules)}
        for module, names in imports.items()
    }
    problems = []
    for package, rule in sorted(rules.items()):
        own = {m for m in modules if m.split(".")[0] == package}
        allowed = reach_packages(package, rules)
        for module in sorted(reach(own, edges) - own):
            if module.split(".")[0] not in allowed:
                problems.append(f"{package} loads {module}, which it may not import")
        third_party = {
            name.split(".")[0]
            for module in own
            for name in imports[module]
            if name.split(".")[0] not in rules and not is_standard_library(name)
        }
        problems += [
            f"{package} imports {name}, which the table does not allow it"
            for name in sorted(third_party - rule.third_party)
        ]
        problems += [
            f"{package} may import {name} according to the table, but does not"
            for name in sorted(rule.third_party - third_party)
        ]
    return problems


def reach_packages(package: str, rules: dict[str, Rule]) -> set[str]:
    """The package and every package it may import, directly or through another."""
    edges = {name: set(rule.packages) & set(rules) for name, rule in rules.items()}
    return reach({package}, edges)


def is_standard_library(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names


# --- The tree as it is ----------------------------------------------------------------------

RULES = rules_from(ARCHITECTURE)


def test_the_table_names_every_package():
    assert set(RULES) == {"safexml", "mock_inksoft", "connector", "inksoft_testkit"}
    assert RULES["connector"].packages == {"safexml"}
    assert RULES["mock_inksoft"].packages == {"safexml"}
    assert not RULES["safexml"].packages


def test_every_package_imports_what_the_table_allows():
    assert violations(ROOT, RULES) == []


# --- The check fails on what it must catch --------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the four packages' modules, which the check finds clean."""
    root = tmp_path_factory.mktemp("pristine")
    for package in RULES:
        shutil.copytree(ROOT / package, root / package, ignore=keep_python)
    assert violations(root, RULES) == []
    return root


@pytest.fixture
def tree(pristine: Path, tmp_path: Path) -> Path:
    """The clean copy again, to plant imports in: its files are hard links to the clean
    copy's, which ``plant`` replaces rather than writes to."""
    for package in RULES:
        shutil.copytree(pristine / package, tmp_path / package, copy_function=os.link)
    return tmp_path


def keep_python(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()]


def plant(path: Path, code: str) -> None:
    planted = path.read_text(encoding="utf-8") + "\n" + code + "\n"
    path.unlink()  # a hard link to the clean copy: write a new file, leave that one alone
    path.write_text(planted, encoding="utf-8")


CONNECTOR_MODULES = sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "connector").rglob("*.py")
)


@pytest.mark.parametrize("module", CONNECTOR_MODULES)
def test_an_import_of_the_test_kit_anywhere_in_the_connector_fails(tree: Path, module: str):
    plant(tree / module, "import inksoft_testkit")
    assert "connector loads inksoft_testkit, which it may not import" in violations(tree, RULES)


@pytest.mark.parametrize(
    "code",
    [
        "from inksoft_testkit.demo import main",
        "from inksoft_testkit import demo",
        "def later():\n    from inksoft_testkit import demo",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import inksoft_testkit.live",
        "import importlib\nimportlib.import_module('inksoft_testkit.demo')",
        "__import__('inksoft_testkit')",
    ],
)
def test_every_form_of_import_is_followed(tree: Path, code: str):
    plant(tree / "connector" / "cli.py", code)
    assert "connector loads inksoft_testkit, which it may not import" in violations(tree, RULES)


def test_an_import_through_a_relative_import_and_another_package_fails(tree: Path):
    """connector → (relative) connector.bridge → safexml.extra → mock_inksoft."""
    (tree / "connector" / "bridge.py").write_text("from safexml import extra\n")
    (tree / "safexml" / "extra.py").write_text("from mock_inksoft import models\n")
    plant(tree / "connector" / "feed.py", "from . import bridge")
    found = violations(tree, RULES)
    assert "connector loads mock_inksoft.models, which it may not import" in found
    assert "safexml loads mock_inksoft.models, which it may not import" in found


def test_importing_a_module_runs_its_package_init(tree: Path):
    plant(tree / "mock_inksoft" / "__init__.py", "import connector.dates")
    plant(tree / "safexml" / "__init__.py", "import mock_inksoft.render")
    found = violations(tree, RULES)
    assert "safexml loads mock_inksoft, which it may not import" in found
    assert "connector loads mock_inksoft, which it may not import" in found
    assert "mock_inksoft loads connector.dates, which it may not import" in found


@pytest.mark.parametrize("name", ["yaml", "werkzeug", "flask.json"])
def test_an_undeclared_third_party_import_fails(tree: Path, name: str):
    plant(tree / "connector" / "dates.py", f"import {name}")
    top = name.split(".")[0]
    assert violations(tree, RULES) == [
        f"connector imports {top}, which the table does not allow it"
    ]


def test_a_declared_package_no_longer_imported_fails(tree: Path):
    rules = dict(RULES)
    rules["connector"] = Rule(RULES["connector"].packages, RULES["connector"].third_party | {"six"})
    assert violations(tree, rules) == [
        "connector may import six according to the table, but does not"
    ]


# --- What running the connector loads ------------------------------------------------------

UNWANTED = ("mock_inksoft", "inksoft_testkit", "flask", "faker", "waitress")

PROBE = """
import contextlib, io, json, sys
from connector.cli import main

unwanted, report = tuple(sys.argv[2:]), {}
for argv in json.loads(sys.argv[1]):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exit_:  # a plugin's own parser exits
            code = exit_.code
    loaded = sorted({m.split(".")[0] for m in sys.modules} & set(unwanted))
    report[" ".join(argv)] = {"code": code, "loaded": loaded}
print(json.dumps(report))
"""


def connector_commands() -> list[list[str]]:
    """Every command's ``--help``, and every command run on an empty database."""
    from connector.cli import COMMANDS

    runs = [["--help"], *([name, "--help"] for name in COMMANDS)]
    runs += [
        ["status"],
        ["-v", "orders"],
        ["orders", "--json"],
        ["products"],
        ["settings"],
        ["settings", "--set", "branding.name=Shop"],
        ["import"],
        ["ship", "--all"],
        ["notify", "--retry"],
        ["deliver", "1001"],
        [
            "connect",
            "--url",
            "http://127.0.0.1:9",
            "--username",
            "u",
            "--password",
            "",
            "--publisher-id",
            "1",
        ],
        ["--auth", "query", "status", "--json"],
        ["stores", "--json"],
        ["capabilities", "--json"],
    ]
    ran = {next(word for word in run if word in COMMANDS) for run in runs if "--help" not in run}
    assert ran == set(COMMANDS)
    return runs


def start_the_probe(config: pytest.Config) -> BackgroundRun:
    """A process running every connector command (and the demo's help) in turn, on a database
    of its own, reporting what each loaded."""
    folder = temporary_folder(config, "boundaries-probe")
    env = os.environ | {"INKSOFT_CONNECTOR_DB": str(folder / "connector.db")}
    env.pop("INKSOFT_CONNECTOR_KEY", None)
    runs = [*connector_commands(), ["demo", "--help"]]
    command = [sys.executable, "-c", PROBE, json.dumps(runs), *UNWANTED]
    return BackgroundRun(command, cwd=folder, folder=folder, env=env)


declare("loaded_by_each_command", start_the_probe)  # started when collection ends


@pytest.fixture
def loaded_by_each_command(pytestconfig: pytest.Config) -> dict[str, dict]:
    done = session_runs(pytestconfig).run("loaded_by_each_command").finished(timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_no_connector_command_loads_the_mock_or_the_test_kit(loaded_by_each_command):
    runs = connector_commands()
    report = loaded_by_each_command
    # the probe sees what loads: the demo, a command of the test kit, loads the test kit
    assert {"inksoft_testkit", "mock_inksoft", "flask"} <= set(report.pop("demo --help")["loaded"])
    assert {argv: result["loaded"] for argv, result in report.items()} == {
        " ".join(run): [] for run in runs
    }
    assert report["status"]["code"] == 2  # nothing connected: the commands did run
    assert report["orders --help"]["code"] == 0
