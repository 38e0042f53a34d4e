"""Which connector the suite drives: ``--connector-cmd``, ``--connector-driver``, or ours.

- ``--connector-cmd "path/to/their-connector --flag"``: any connector as a process, through
  the command-line contract (:class:`~inksoft_testkit.drivers.command.CommandDriver`).
- ``--connector-driver package.module:Driver``: an in-process :class:`ConnectorDriver`
  subclass; ``--connector-driver NAME`` finds it in the entry-point group
  ``inksoft_testkit.connector_drivers``.
- neither: the reference driver, this project's connector in process.
"""

from __future__ import annotations

import functools
import importlib
import shlex
from importlib.metadata import entry_points

import pytest

from inksoft_testkit.drivers.base import DriverFactory

ENTRY_POINT_GROUP = "inksoft_testkit.connector_drivers"


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("connector", "the connector under test (conformance kit)")
    group.addoption(
        "--connector-cmd",
        metavar="COMMAND",
        help="drive this command line through the contract of docs/connector-contract.md",
    )
    group.addoption(
        "--connector-driver",
        metavar="MODULE:CLASS|NAME",
        help=f"drive this in-process ConnectorDriver (or the {ENTRY_POINT_GROUP} entry point)",
    )


def foreign_option(config: pytest.Config) -> str | None:
    """The option naming a connector other than ours, as it would be typed again."""
    for option in ("connector_cmd", "connector_driver"):
        value = config.getoption(option, default=None)
        if value:
            return f"--{option.replace('_', '-')} {shlex.quote(value)}"
    return None


def driver_factory(config: pytest.Config) -> DriverFactory:
    command = config.getoption("connector_cmd", default=None)
    named = config.getoption("connector_driver", default=None)
    if command and named:
        raise pytest.UsageError("give --connector-cmd or --connector-driver, not both")
    if command:
        from inksoft_testkit.drivers.command import CommandDriver

        argv = shlex.split(command)
        if not argv:
            raise pytest.UsageError("--connector-cmd is empty")
        return functools.partial(CommandDriver, argv=argv)
    if named:
        return load_driver(named)
    from inksoft_testkit.drivers.reference import ReferenceDriver

    return ReferenceDriver


def load_driver(spec: str) -> DriverFactory:
    """``package.module:Class``, or the name of an entry point of :data:`ENTRY_POINT_GROUP`."""
    if ":" in spec:
        module_name, _, attribute = spec.partition(":")
        try:
            return getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as problem:
            raise pytest.UsageError(f"--connector-driver {spec}: {problem}") from None
    found = entry_points(group=ENTRY_POINT_GROUP, name=spec)
    if not found:
        known = sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))
        raise pytest.UsageError(
            f"--connector-driver {spec}: no {ENTRY_POINT_GROUP} entry point of that name "
            f"(installed: {', '.join(known) or 'none'}); or write package.module:Class"
        )
    return next(iter(found)).load()
