"""Commands other packages add to ``inksoft-connector`` through its entry-point group."""

from __future__ import annotations

import logging
import sys
import types
from importlib.metadata import EntryPoint

import pytest

from connector import cli
from connector.client import RedactQueryPasswords


def plugin(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=cli.PLUGIN_GROUP)


@pytest.fixture
def echo_command(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A plugin module ``echo_plugin`` whose ``main`` records its arguments and exits 3."""
    calls: list[list[str]] = []
    module = types.ModuleType("echo_plugin")
    module.main = lambda argv: calls.append(argv) or 3  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "echo_plugin", module)
    monkeypatch.setattr(
        cli, "plugin_commands", lambda: {"echo": plugin("echo", "echo_plugin:main")}
    )
    return calls


def test_the_demo_is_registered_as_a_plugin_command():
    assert cli.plugin_commands()["demo"].value == "inksoft_testkit.demo:main"


def test_a_plugin_command_gets_every_argument_after_its_name(echo_command):
    assert cli.main(["-v", "echo", "--orders", "3", "--help", "x"]) == 3
    assert echo_command == [["--orders", "3", "--help", "x"]]


def test_a_plugin_command_is_listed_in_the_help(echo_command, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one line per command
    assert cli.main(["--help"]) == 0
    assert "echo_plugin (see inksoft-connector echo --help)" in capsys.readouterr().out
    assert echo_command == []


def test_a_plugin_cannot_replace_a_connector_command(monkeypatch):
    monkeypatch.setattr(cli, "entry_points", lambda group: [plugin("status", "nowhere:main")])
    assert cli.plugin_commands() == {}


def test_the_demo_not_installed_says_where_it_comes_from(monkeypatch, capsys):
    monkeypatch.setattr(cli, "plugin_commands", dict)
    assert cli.main(["--db", "x.db", "demo", "--orders", "3"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "the 'demo' command is not installed" in err
    assert "inksoft_testkit" in err


def test_a_database_called_demo_is_not_the_demo_command(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(cli, "plugin_commands", dict)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--db", "demo", "orders"]) == cli.EXIT_USAGE
    assert "No store is connected yet" in capsys.readouterr().err


def test_a_plugin_that_cannot_load_is_a_usage_error(monkeypatch, capsys):
    broken = plugin("demo", "no_such_module_for_this_test:main")
    monkeypatch.setattr(cli, "plugin_commands", lambda: {"demo": broken})
    assert cli.main(["demo"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "the 'demo' command (no_such_module_for_this_test:main) cannot be loaded" in err


def test_the_cli_installs_the_query_password_filter(monkeypatch, tmp_path):
    urllib3_log = logging.getLogger("urllib3.connectionpool")
    monkeypatch.setattr(urllib3_log, "filters", [])
    cli.main(["--db", str(tmp_path / "c.db"), "orders"])
    cli.main(["--db", str(tmp_path / "c.db"), "orders"])
    assert [type(f) for f in urllib3_log.filters] == [RedactQueryPasswords]


def test_a_connector_command_starts_without_looking_up_plugins(monkeypatch, tmp_path, capsys):
    def looked_up(group):
        raise AssertionError("entry points read for a connector command")

    monkeypatch.setattr(cli, "entry_points", looked_up)
    db = str(tmp_path / "c.db")
    assert cli.main(["--json", "-v", "--db", db, "stores"]) == cli.EXIT_OK
    capsys.readouterr()
    assert cli.main(["stores", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: inksoft-connector stores")


@pytest.mark.parametrize(
    "argv", [["-h", "stores"], ["-vh", "stores"], ["--he", "stores"], ["--help"], ["echo"]]
)
def test_the_whole_help_and_other_commands_still_look_up_plugins(monkeypatch, argv):
    asked: list[str] = []
    monkeypatch.setattr(cli, "entry_points", lambda group: asked.append(group) or [])
    cli.main(argv)
    assert asked == [cli.PLUGIN_GROUP]
