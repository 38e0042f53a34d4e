"""pytest plugin: a live mock InkSoft and a connected connector, for any project.

Installed with this package and registered through the ``pytest11`` entry point, so a test
only has to ask for a fixture::

    def test_import(inksoft, inksoft_connector):
        inksoft.admin.generate_orders(count=5, seed=1, status="Ready to Ship")
        assert inksoft_connector.refresh().ok

Fixtures:

- ``inksoft_server`` (session): one mock InkSoft served by waitress on an ephemeral
  127.0.0.1 port, with ``.url``, ``.endpoint(publisher_id)`` and ``.admin`` (an
  :class:`~inksoft_testkit.admin.AdminClient`).
- ``inksoft`` (function): the same server, reset to its defaults first.
- ``inksoft_connector`` (function): a :class:`connector.Connector` on a fresh SQLite file,
  connected to the mock's default account (``inksoft.account``: Publisher ID 10001,
  ``demo``/``demo-password``).
- ``smtp_server`` (function): a real local SMTP server (aiosmtpd) that keeps what it receives.
- ``connector_driver_factory`` (session): makes the driver of the connector under test
  (``--connector-cmd``, ``--connector-driver``, else ours in process; see
  :mod:`inksoft_testkit.drivers`).

Reports (see :mod:`inksoft_testkit.cucumber_json`, :mod:`inksoft_testkit.cucumber_html` and
:mod:`inksoft_testkit.catalogue`): ``--cucumberjson=PATH`` writes a complete Cucumber JSON
report of the pytest-bdd scenarios, ``--cucumber-html=PATH`` Cucumber's HTML report, and the
ini option ``behaviour_catalogue`` makes a full run fail when a behaviour has no passing
scenario. All three stay right under pytest-xdist.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from inksoft_testkit import catalogue, cucumber_html, cucumber_json
from inksoft_testkit.drivers.selection import add_options, driver_factory

# Store mode (``--store-url``): the store scenarios against any Custom Store endpoint.
pytest_plugins = ["inksoft_testkit.storecheck.pytest_plugin"]

if TYPE_CHECKING:  # the plugin loads in every pytest run: import the mock only when used
    from inksoft_testkit.drivers import DriverFactory
    from inksoft_testkit.live import LiveInkSoft


def pytest_addoption(parser: pytest.Parser) -> None:
    catalogue.add_option(parser)
    cucumber_html.add_option(parser)
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    catalogue.configure(config)
    cucumber_json.configure(config)
    cucumber_html.configure(config)


@pytest.fixture(scope="session")
def inksoft_server() -> Iterator[LiveInkSoft]:
    from inksoft_testkit.live import start_live_inksoft

    server = start_live_inksoft()
    yield server
    server.stop()


@pytest.fixture
def inksoft(inksoft_server: LiveInkSoft) -> LiveInkSoft:
    inksoft_server.admin.reset()
    return inksoft_server


@pytest.fixture
def inksoft_connector(inksoft: LiveInkSoft, tmp_path: Path):
    from connector import Connector

    with Connector(tmp_path / "connector.db") as connector:
        inksoft.connect(connector, name="InkSoft test store")
        yield connector


@pytest.fixture
def smtp_server():
    from inksoft_testkit.smtp import LocalSmtpServer

    server = LocalSmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def connector_driver_factory(pytestconfig: pytest.Config) -> DriverFactory:
    return driver_factory(pytestconfig)
