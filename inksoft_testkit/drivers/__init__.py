"""The conformance kit's drivers: the one interface every step reaches a connector through.

- :mod:`~inksoft_testkit.drivers.base`: :class:`ConnectorDriver`, :class:`DriverSetup`,
  :class:`Clock`, :class:`Waits`, the capabilities and :class:`ConnectorRefused`.
- :mod:`~inksoft_testkit.drivers.results`: the result dataclasses every driver answers with.
- :mod:`~inksoft_testkit.drivers.reference`: this project's connector, in process.
- :mod:`~inksoft_testkit.drivers.command`: any connector as a process, per
  ``docs/connector-contract.md``.
- :mod:`~inksoft_testkit.drivers.selection`: ``--connector-cmd`` and ``--connector-driver``.
- :mod:`~inksoft_testkit.drivers.report`: not-applicable scenarios and the behaviour summary.
"""

from inksoft_testkit.drivers.base import (
    CAPABILITIES,
    Clock,
    ConnectorDriver,
    ConnectorRefused,
    ContractViolation,
    DriverFactory,
    DriverSetup,
    Wait,
    Waits,
    not_applicable,
)
from inksoft_testkit.drivers.results import NoticeResult, RefreshSummary, ShipResult, Skipped

__all__ = [
    "CAPABILITIES",
    "Clock",
    "ConnectorDriver",
    "ConnectorRefused",
    "ContractViolation",
    "DriverFactory",
    "DriverSetup",
    "NoticeResult",
    "RefreshSummary",
    "ShipResult",
    "Skipped",
    "Wait",
    "Waits",
    "not_applicable",
]
