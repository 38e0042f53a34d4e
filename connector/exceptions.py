"""The connector's exceptions, modelled on requests': each keeps ``request`` and ``response``.

Every exception's message is written for a person (it says what happened and, where it helps,
what to do) and never contains a password.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccountInactive",
    "ConnectorError",
    "FeedError",
    "InkSoftConnectionError",
    "InkSoftError",
    "InkSoftTimeout",
    "InvalidCredentials",
    "InvalidRequest",
    "MalformedXml",
    "MethodNotAllowed",
    "PayloadTooLarge",
    "PermissionDenied",
    "ServerError",
    "TransportError",
    "UnknownOrder",
    "UnknownPublisher",
    "UsageError",
]


class ConnectorError(Exception):
    """Base class of every error the connector raises on purpose."""

    def __init__(self, message: str, *, request: Any = None, response: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.response = response
        if request is None and response is not None:
            request = getattr(response, "request", None)
        self.request = request

    def __str__(self) -> str:
        return self.message


class UsageError(ConnectorError):
    """Bad input from the caller: a missing field, an unknown setting, an ambiguous store."""


class InkSoftError(ConnectorError):
    """InkSoft answered with an error (one row of protocol.md's error table, or a 5xx)."""

    default_code: str | None = None

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        request: Any = None,
        response: Any = None,
    ) -> None:
        super().__init__(message, request=request, response=response)
        self.code = code or self.default_code
        if status is None and response is not None:
            status = getattr(response, "status_code", None)
        self.status = status


class InvalidCredentials(InkSoftError):
    default_code = "InvalidCredentials"


class AccountInactive(InkSoftError):
    default_code = "AccountInactive"


class PermissionDenied(InkSoftError):
    default_code = "PermissionDenied"


class UnknownPublisher(InkSoftError):
    default_code = "UnknownPublisher"


class InvalidRequest(InkSoftError):
    default_code = "InvalidRequest"


class UnknownOrder(InkSoftError):
    default_code = "UnknownOrder"


class MalformedXml(InkSoftError):
    default_code = "MalformedXml"


class PayloadTooLarge(InkSoftError):
    default_code = "PayloadTooLarge"


class MethodNotAllowed(InkSoftError):
    default_code = "MethodNotAllowed"


class ServerError(InkSoftError):
    """InkSoft kept answering 5xx or 429 after every retry."""


class TransportError(ConnectorError):
    """No answer from InkSoft: the request timed out or the connection failed."""


class InkSoftTimeout(TransportError):
    """The connect or read timeout expired."""


class InkSoftConnectionError(TransportError):
    """The connection could not be made, or was reset."""


class FeedError(ConnectorError):
    """The export body is empty or not an XML orders document."""
