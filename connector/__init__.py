"""The ShipStation side of the InkSoft integration: connect a store, import its orders,
ship them and send the shipment updates back.

>>> from connector import Connector
>>> with Connector("connector.db") as connector:  # doctest: +SKIP
...     connector.connect("https://inksoft.example", "ops", "secret", 20002, name="Eagle Prints")
...     summary = connector.refresh()
"""

from connector.exceptions import (
    AccountInactive,
    ConnectorError,
    FeedError,
    InkSoftConnectionError,
    InkSoftError,
    InkSoftTimeout,
    InvalidCredentials,
    InvalidRequest,
    MalformedXml,
    MethodNotAllowed,
    PayloadTooLarge,
    PermissionDenied,
    ServerError,
    TransportError,
    UnknownOrder,
    UnknownPublisher,
    UsageError,
)
from connector.importer import ImportSummary, Skipped
from connector.service import Connector
from connector.shipping import NoticeResult, ShipResult

__all__ = [
    "AccountInactive",
    "Connector",
    "ConnectorError",
    "FeedError",
    "ImportSummary",
    "InkSoftConnectionError",
    "InkSoftError",
    "InkSoftTimeout",
    "InvalidCredentials",
    "InvalidRequest",
    "MalformedXml",
    "MethodNotAllowed",
    "NoticeResult",
    "PayloadTooLarge",
    "PermissionDenied",
    "ServerError",
    "ShipResult",
    "Skipped",
    "TransportError",
    "UnknownOrder",
    "UnknownPublisher",
    "UsageError",
]
