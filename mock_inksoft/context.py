"""What the HTTP handlers of every blueprint share: the state and the renderer of the current
app, the current request, and the ``Allow`` header of a routing 405."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Request, Response, current_app
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from mock_inksoft.models import InkSoftState
from mock_inksoft.render import AnswerCache, Renderer

EXTENSION = "mock_inksoft"


@dataclass(frozen=True)
class Mock:
    state: InkSoftState
    renderer: Renderer
    admin_token: str | None
    answers: AnswerCache = field(default_factory=AnswerCache)  # whole export answers


def current_mock() -> Mock:
    return current_app.extensions[EXTENSION]


def current_request() -> Request:
    """The request being answered itself, not Flask's ``request`` proxy: every attribute read
    through the proxy looks the request up again, and the store endpoint reads dozens."""
    return request_ctx.request


def with_allow(error: HTTPException, response: Response) -> Response:
    """``response`` with the ``Allow`` header a 405 from routing must carry."""
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
