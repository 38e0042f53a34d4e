"""The connector's exceptions, modelled on requests': each keeps ``request`` and ``response``.

Every exception's message is written for a person (it says what happened and, where it helps,
what to do) and never contains a password. The words are the class's ``template``, filled in
with the facts of the failure by :meth:`ConnectorError.explain`.
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

    template = "{message}"

    def __init__(self, message: str, *, request: Any = None, response: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.response = response
        if request is None and response is not None:
            request = getattr(response, "request", None)
        self.request = request

    def __str__(self) -> str:
        return self.message

    @classmethod
    def explain(cls, **facts: object) -> str:
        """The message: the class's template filled in with ``facts``."""
        return cls.template.format(**facts)


class UsageError(ConnectorError):
    """Bad input from the caller: a missing field, an unknown setting, an ambiguous store."""


class InkSoftError(ConnectorError):
    """InkSoft answered with an error (one row of protocol.md's error table, or a 5xx)."""

    default_code: str | None = None
    template = "InkSoft refused the request with HTTP {status}: {server_message}"

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
    template = (
        "InkSoft did not accept the username or password for Publisher ID {publisher_id}. "
        "Check both and try again."
    )


class AccountInactive(InkSoftError):
    default_code = "AccountInactive"
    template = (
        "The InkSoft account with Publisher ID {publisher_id} is not active. Reactivate it in "
        "InkSoft, then connect again."
    )


class PermissionDenied(InkSoftError):
    default_code = "PermissionDenied"
    template = (
        "The InkSoft user {username!r} does not have the {permission} permission, which the "
        "integration needs. Grant it in InkSoft, then try again."
    )


class UnknownPublisher(InkSoftError):
    default_code = "UnknownPublisher"
    template = (
        "InkSoft does not know the Publisher ID {publisher_id}. It is shown at the bottom right "
        "of every InkSoft page when you are signed in as an administrator."
    )


class InvalidRequest(InkSoftError):
    default_code = "InvalidRequest"
    template = "InkSoft refused the request as invalid: {server_message}"


class UnknownOrder(InkSoftError):
    default_code = "UnknownOrder"
    template = "InkSoft does not know the order {order_number}: {server_message}"


class MalformedXml(InkSoftError):
    default_code = "MalformedXml"
    template = "InkSoft could not read the shipment notice: {server_message}"


class PayloadTooLarge(InkSoftError):
    default_code = "PayloadTooLarge"
    template = "The request is larger than InkSoft accepts: {server_message}"


class MethodNotAllowed(InkSoftError):
    default_code = "MethodNotAllowed"
    template = "InkSoft does not accept {method} for action={action}: {server_message}"


class ServerError(InkSoftError):
    """InkSoft kept answering 5xx or 429 after every retry."""

    template = "InkSoft failed with {answer}{tries}: {server_message}. Try again later."


class TransportError(ConnectorError):
    """No answer from InkSoft: the request timed out or the connection failed."""


class InkSoftTimeout(TransportError):
    """The connect or read timeout expired."""

    template = (
        "InkSoft at {host} did not answer within {seconds:g} s: the request timed out "
        "(the read timeout). InkSoft may be busy: try again later."
    )
    connect_template = (
        "Connecting to InkSoft at {host} timed out after {seconds:g} s (the connect timeout): "
        "check the URL's host and port, and that this machine can reach it."
    )


class InkSoftConnectionError(TransportError):
    """The connection could not be made, or was reset."""

    template = "The connection to InkSoft at {host} {failure}."


class FeedError(ConnectorError):
    """The export body is empty or not an XML orders document."""
