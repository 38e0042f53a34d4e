"""The step catalogue: every step phrase of ``bdd_steps/``, its parameters and its meaning.

``python tests/bdd/stepdoc.py`` writes ``docs/steps.md`` from the step definitions (the
phrase from the decorator, the meaning from the first line of the function's docstring);
``--check`` only says whether the file is up to date. ``tests/test_step_catalogue.py`` runs
the check.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUTPUT = ROOT / "docs" / "steps.md"
KINDS = ("given", "when", "then")
MODULES = sorted(
    p.stem for p in (HERE / "bdd_steps").glob("*.py") if p.stem not in {"__init__", "world"}
)
COMMAND = "python tests/bdd/stepdoc.py"
FORMAT_TYPES = {"d": "integer", "g": "number", "f": "number", "w": "word"}


@dataclass
class StepDoc:
    kind: str
    phrase: str
    parameters: list[str]
    meaning: str
    module: str


def parse_phrase(pattern: str) -> tuple[str, list[str]]:
    """A ``parsers.parse`` phrase as written, and its fields with their types."""
    parameters = []
    for name, kind in re.findall(r"\{(\w+)(?::(\w+))?\}", pattern):
        parameters.append(f"`{name}` ({FORMAT_TYPES.get(kind, 'text')})")
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", pattern), parameters


def regex_phrase(pattern: str) -> tuple[str, list[str]]:
    """A ``parsers.re`` pattern as a phrase: named groups as ``{name}``, optional parts in [ ]."""
    parameters: list[str] = []
    out = []
    index = 0
    stack: list[tuple[str, int, str]] = []  # (kind, position in out, group name)
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            out.append(escaped if not escaped.isalnum() else "\\" + escaped)
            index += 2
            continue
        if char == "(":
            named = re.match(r"\(\?P<(\w+)>", pattern[index:])
            if named:
                stack.append(("named", len(out), named[1]))
                index += len(named[0])
                continue
            if pattern.startswith("(?:", index):
                stack.append(("optional", len(out), ""))
                index += 3
                continue
        if char == ")" and stack:
            kind, start, name = stack.pop()
            inner = "".join(out[start:])
            del out[start:]
            optional = pattern.startswith(")?", index)
            if kind == "named":
                alternatives = inner.split("|")
                described = f"`{name}`"
                if len(alternatives) > 1 and all(
                    re.fullmatch(r"[\w \"'-]+", a) for a in alternatives
                ):
                    described += " (one of: " + ", ".join(f"*{a}*" for a in alternatives) + ")"
                elif inner == "\\d+":
                    described += " (integer)"
                else:
                    described += " (text)"
                parameters.append(described)
                out.append(f"[{{{name}}}]" if optional else f"{{{name}}}")
            else:
                out.append(f"[{inner}]" if optional else inner)
            index += 2 if optional else 1
            continue
        if char in "^$":
            index += 1
            continue
        if pattern.startswith("?", index + 1):  # one optional letter: "times?" is "time[s]"
            out.append(f"[{char}]")
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out), parameters


def step_docs() -> list[StepDoc]:
    """Every step definition of ``bdd_steps``, in the order of its module."""
    sys.path.insert(0, str(HERE))
    from pytest_bdd import parsers
    from pytest_bdd.steps import step_function_context_registry

    for name in MODULES:
        importlib.import_module(f"bdd_steps.{name}")
    docs = []
    for context in step_function_context_registry.values():
        func = context.step_func
        module = func.__module__.rpartition(".")[2]
        if not func.__module__.startswith("bdd_steps."):
            continue
        if isinstance(context.parser, parsers.re):
            phrase, parameters = regex_phrase(context.parser.name)
        else:
            phrase, parameters = parse_phrase(context.parser.name)
        signature = inspect.signature(func).parameters
        if "datatable" in signature:
            parameters.append("a data table")
        if "docstring" in signature:
            parameters.append("a doc string")
        meaning = (inspect.getdoc(func) or "").split("\n")[0]
        docs.append(StepDoc(context.type or "step", phrase, parameters, meaning, module))
    return docs


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(docs: list[StepDoc]) -> str:
    lines = [
        "# Step catalogue",
        "",
        "Every step phrase the feature files can use, with its parameters and what it does.",
        f"Generated from `tests/bdd/bdd_steps/` by `{COMMAND}`: do not edit by hand; give a",
        "new step a one-line docstring, then run the command (a test fails while this file is",
        "out of date). `{name}` is a parameter; `[…]` is an optional part of the phrase.",
    ]
    for kind in KINDS:
        steps = [doc for doc in docs if doc.kind == kind]
        lines += ["", f"## {kind.capitalize()}", "", "| step | parameters | meaning | in |"]
        lines.append("|---|---|---|---|")
        for doc in steps:
            lines.append(
                f"| {kind.capitalize()} `{cell(doc.phrase)}` | {cell(', '.join(doc.parameters))} "
                f"| {cell(doc.meaning)} | `{doc.module}.py` |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check docs/steps.md")
    args = parser.parse_args(argv)
    text = render(step_docs())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"docs/steps.md is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(OUTPUT.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
