"""The store endpoint's blueprint: before each request the next fault that matches it, after
it the fault's change to the answer and the journal entry; errors as the XML error body."""

from __future__ import annotations

from flask import Blueprint, Request, Response, request
from werkzeug.exceptions import HTTPException, NotFound

from mock_inksoft.context import current_mock, current_request, with_allow
from mock_inksoft.explain import explanation
from mock_inksoft.faults import RESET_REQUESTED, XML_CONTENT_TYPE, altered_answer, replacing_answer
from mock_inksoft.journal import JOURNAL_BODY_LIMIT, journal_entry
from mock_inksoft.responses import ENDPOINT_PATH, StoreError, store_error_response

_IN_FLIGHT = "mock_inksoft.in_flight"  # the request's WSGI environ: counted in flight


def blueprint() -> Blueprint:
    store = Blueprint("store", __name__)
    store.before_request(_started)
    store.after_request(_record)
    store.teardown_request(_finished)
    store.register_error_handler(StoreError, store_error_response)
    store.register_error_handler(HTTPException, http_error)
    return store


def unmatched(error: HTTPException) -> Response:
    """A path no rule matches: the XML error naming the endpoint, journalled as every store
    request is."""
    if isinstance(error, NotFound):
        error = NotFound(_no_such_path(request.path))
    return _record(http_error(error))


def _no_such_path(path: str) -> str:
    """A 404's message: the store endpoint's path, with the Publisher ID the path seems to hold
    (else the default account's)."""
    digits = [part for part in path.split("/") if part.isdigit()]
    publisher_id = digits[0] if digits else str(current_mock().state.default_publisher_id)
    shown = path if len(path) <= 60 else path[:57] + "..."
    return (
        f"No endpoint at {shown!r}: the store endpoint is {ENDPOINT_PATH} "
        f"(here /{publisher_id}/shipstation), with action=export or action=shipnotify."
    )


def _started() -> Response | None:
    """Counted among the requests in flight, then the answer of the next queued fault that
    replaces the store's, if one matches the request (a delay fault holds the request here)."""
    mock = current_mock()
    asked = current_request()
    environ = asked.environ
    mock.state.request_started()
    environ[_IN_FLIGHT] = True
    args = asked.args
    fault = mock.state.take_fault(
        args.get("action"), args.get("order_number"), args.get("page", "1").strip()
    )
    if fault is None:
        return None
    explanation(environ).fault = fault
    return replacing_answer(fault, asked, mock.renderer)


def _finished(error: BaseException | None) -> None:
    if current_request().environ.pop(_IN_FLIGHT, False):
        current_mock().state.request_finished()


def _record(response: Response) -> Response:
    """The journal entry, then a fault's change to the answer."""
    state = current_mock().state
    asked = current_request()
    found = explanation(asked.environ)
    fault = found.fault
    status = None if asked.environ.get(RESET_REQUESTED) else response.status_code
    if found.body is None:
        found.body = _body_of(asked)
    state.record_request(
        journal_entry(asked, response, status, fault.type if fault else None, state.now(), found)
    )
    return response if fault is None else altered_answer(fault, response)


def _body_of(asked: Request) -> bytes:
    """The start of the request's body as the journal keeps it: none without a
    ``Content-Length`` or ``Transfer-Encoding`` (HTTP/1.1 frames no body then, and the
    server's input stream is empty), without the cost of opening the stream."""
    environ = asked.environ
    if not environ.get("CONTENT_LENGTH") and "HTTP_TRANSFER_ENCODING" not in environ:
        return b""
    return asked.stream.read(JOURNAL_BODY_LIMIT + 1)


def http_error(error: HTTPException) -> Response:
    body = current_mock().renderer.error(type(error).__name__, error.description or "")
    return with_allow(error, Response(body, error.code or 500, content_type=XML_CONTENT_TYPE))
