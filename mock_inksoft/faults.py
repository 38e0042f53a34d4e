"""Faults on demand for the store endpoint, applied around the normal answer.

Faults that *replace* the answer (``status``, ``malformed``, ``empty``, ``reset``) answer
before the store looks at the request, so nothing is applied. Faults that *alter* the answer
(``delay``, ``slow_body``, ``truncated``, ``wrong_content_type``) let the store answer (a
shipment notice is applied) and change how the answer travels.

A ``reset`` cannot be written by a WSGI app: :class:`AbortiveCloseMiddleware` raises
:class:`ConnectionResetByFault` out of the app instead, and the server of
:mod:`mock_inksoft.server` closes the connection with ``SO_LINGER`` 0 (a TCP RST).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from typing import Any

from flask import Response
from werkzeug import Request

from mock_inksoft.models import Fault
from mock_inksoft.render import Renderer

XML_CONTENT_TYPE = "text/xml; charset=utf-8"
RESET_REQUESTED = "mock_inksoft.reset_connection"
DRIBBLE_CHUNKS = 8
WsgiApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]
MALFORMED_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<Orders pages="1">\n'
    b"  <Order>\n"
    b"    <OrderID><![CDATA[1048001]]></OrderID>\n"
    b"    <OrderNumber>1048001</OrderID>\n"
    b"  <Order>\n"
)


class ConnectionResetByFault(ConnectionResetError):
    """A ``reset`` fault: the connection must be reset, not answered."""


def replacing_answer(fault: Fault, request: Request, renderer: Renderer) -> Response | None:
    """The answer that replaces the store's, or None when the store answers (after a delay)."""
    if fault.type == "status":
        return _status_answer(fault, renderer)
    if fault.type == "malformed":
        return Response(MALFORMED_BODY, 200, content_type=XML_CONTENT_TYPE)
    if fault.type == "empty":
        return Response(b"", 200, content_type=XML_CONTENT_TYPE)
    if fault.type == "reset":
        request.environ[RESET_REQUESTED] = True
        return Response(b"", 200)  # never sent: the middleware resets the connection
    if fault.type == "delay":
        time.sleep(fault.seconds or 0)
    return None


def _status_answer(fault: Fault, renderer: Renderer) -> Response:
    status = HTTPStatus(fault.status or 500)
    if fault.body is None:
        code = status.phrase.title().replace(" ", "").replace("-", "")
        body = renderer.error(code, f"Simulated fault: {status.value} {status.phrase}.")
        response = Response(body, status.value, content_type=XML_CONTENT_TYPE)
    else:
        response = Response(fault.body, status.value, content_type=XML_CONTENT_TYPE)
    if fault.retry_after is not None:
        response.headers["Retry-After"] = str(fault.retry_after)
    return response


def altered_answer(fault: Fault, response: Response) -> Response:
    """The store's answer as the fault makes it travel."""
    if fault.type == "wrong_content_type":
        response.headers["Content-Type"] = "text/html; charset=utf-8"
    elif fault.type == "truncated":
        body = response.get_data()
        response.response = [body[: len(body) // 2]]
        response.headers["Content-Length"] = str(max(len(body), 1))
    elif fault.type == "slow_body":
        body = response.get_data()
        response.response = _dribbled(body, fault.seconds or 0)
        response.headers["Content-Length"] = str(len(body))
    return response


def _dribbled(body: bytes, seconds: float) -> Iterator[bytes]:
    """``body`` in a few chunks spread over ``seconds``, a pause before each."""
    size = max(1, -(-len(body) // DRIBBLE_CHUNKS))
    chunks = [body[start : start + size] for start in range(0, len(body), size)] or [b""]
    for chunk in chunks:
        time.sleep(seconds / len(chunks))
        yield chunk


class AbortiveCloseMiddleware:
    """Raises :class:`ConnectionResetByFault` instead of answering a request marked for reset.

    The app's ``start_response`` is held back until the app returns, so that nothing of the
    answer reaches the server first. (Flask calls ``start_response`` before returning and never
    uses the ``write`` callable.)
    """

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        held: list[tuple] = []

        def hold(status: str, headers: list, exc_info: object = None) -> None:
            held.append((status, headers, exc_info))

        body = self.app(environ, hold)
        if environ.get(RESET_REQUESTED):
            getattr(body, "close", lambda: None)()
            raise ConnectionResetByFault("the connection is reset by a queued fault")
        for args in held:
            start_response(*args)
        return body
