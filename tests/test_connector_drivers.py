"""The conformance kit's drivers: how answers are read, what a driver declares, how one is
chosen. (The drivers driving a connector are exercised by the whole of tests/bdd.)"""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from connector import Connector
from connector.database import MIGRATIONS
from inksoft_testkit.drivers import ConnectorRefused, ContractViolation, DriverSetup
from inksoft_testkit.drivers.command import CommandDriver, answer, declared_capabilities
from inksoft_testkit.drivers.reference import ReferenceDriver
from inksoft_testkit.drivers.selection import load_driver


def finished(code: int, stdout: str, stderr: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(["their-connector"], code, stdout, stderr)


def test_an_answer_is_the_json_on_stdout_even_with_a_store_error():
    assert answer(["c"], finished(0, '[{"sku": "A"}]')) == [{"sku": "A"}]
    summary = '{"imported": [], "pages": 1, "error": "Error in XML.", "ok": false}'
    assert answer(["c"], finished(1, summary))["error"] == "Error in XML."


@pytest.mark.parametrize(
    "stdout",
    [
        '{"ok": false, "error": {"kind": "refused", "message": "Wrong password."}}',
        '{"error": "Wrong password."}',
    ],
)
def test_a_failure_object_is_a_refusal_with_its_message(stdout):
    with pytest.raises(ConnectorRefused, match=r"^Wrong password\.$"):
        answer(["c"], finished(2, stdout))


def test_a_failure_with_exit_code_1_is_a_store_error():
    stdout = '{"ok": false, "error": {"kind": "inksoft", "message": "Error in XML."}}'
    with pytest.raises(ConnectorRefused) as refused:
        answer(["c"], finished(1, stdout))
    assert refused.value.kind == "store"


@pytest.mark.parametrize(
    ("code", "stdout"),
    [
        (0, "Imported 2 orders."),  # no JSON
        (3, '{"ok": false, "error": {"kind": "storage", "message": "disk full"}}'),
        (130, "[]"),
        (2, '{"orders": []}'),  # a refusal without its failure object
    ],
)
def test_anything_else_breaks_the_contract(code, stdout):
    with pytest.raises(ContractViolation, match=f"exited {code}"):
        answer(["c"], finished(code, stdout, "a traceback"))


@pytest.mark.slow
def test_a_connector_without_the_capabilities_command_declares_nothing():
    argv = [sys.executable, "-c", "import sys; sys.exit(2)"]
    assert declared_capabilities(argv) == (frozenset(), frozenset())


@pytest.mark.slow
def test_our_command_line_declares_everything_the_reference_driver_does(tmp_path: Path):
    ours = CommandDriver(DriverSetup(tmp_path / "c.db"), ["inksoft-connector"])
    reference = ReferenceDriver(DriverSetup(tmp_path / "r.db"))
    try:
        assert ours.capabilities == reference.capabilities
        for key in ("branding.name", "status_mapping.on_hold", "service_mapping.UPS Ground"):
            assert ours.supports(f"setting:{key}") and reference.supports(f"setting:{key}")
        assert not ours.supports("setting:branding.colour")
        assert not ours.supports("teleportation")
    finally:
        reference.close()


def test_a_driver_is_named_as_module_and_class_or_by_entry_point():
    assert load_driver("inksoft_testkit.drivers.reference:ReferenceDriver") is ReferenceDriver
    assert load_driver("reference") is ReferenceDriver  # this package's own entry point
    with pytest.raises(pytest.UsageError, match="No module named 'nowhere'"):
        load_driver("nowhere:Driver")
    with pytest.raises(pytest.UsageError, match=r"inksoft_testkit\.connector_drivers"):
        load_driver("acme")


def test_the_reference_driver_starts_each_new_file_as_the_connector_makes_one(tmp_path: Path):
    """A new database is a copy of the one the connector made once (its schema, its private
    permissions), untouched by what earlier drivers wrote; an existing file is reopened."""
    with Connector(tmp_path / "made" / "connector.db") as made:
        made_version = made.db.schema_version
    first_path = tmp_path / "first" / "connector.db"
    first = ReferenceDriver(DriverSetup(first_path))
    try:
        assert first.connector.db.schema_version == made_version == len(MIGRATIONS)
        assert stat.S_IMODE(first_path.stat().st_mode) == 0o600
        first.connector.db.add_store("Eagle", 10001, "http://x", "demo", "token", "now")
    finally:
        first.close()
    reopened = ReferenceDriver(DriverSetup(first_path))
    other = ReferenceDriver(DriverSetup(tmp_path / "other" / "connector.db"))
    try:
        assert [store["name"] for store in reopened.stores()] == ["Eagle"]
        assert other.stores() == []
        assert other.connector.db.schema_version == len(MIGRATIONS)
    finally:
        reopened.close()
        other.close()
