"""The web dashboard at ``/__admin/``: what the mock holds and what it was sent, as HTML.

Server-rendered Jinja2 (``templates/dashboard/``, autoescaped, ``StrictUndefined``) and one
stylesheet (``static/dashboard.css``); nothing needs JavaScript. :mod:`.access` says who may
use it, :mod:`.views` turns the state into rows, :mod:`.pages` shows them and :mod:`.actions`
takes the forms.
"""

from __future__ import annotations

import secrets
from typing import cast

from flask import Blueprint, Flask, Request
from flask.blueprints import BlueprintSetupState
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from mock_inksoft.admin import ADMIN_PREFIX
from mock_inksoft.dashboard.access import guard, http_error


def blueprint() -> Blueprint:
    dashboard = Blueprint("dashboard", __name__)
    dashboard.record_once(_flash_session)
    dashboard.before_request(guard)
    dashboard.register_error_handler(HTTPException, http_error)
    return dashboard


def unmatched(error: HTTPException) -> BaseResponse:
    """A dashboard path that no rule matches: the guard first, as on every page."""
    return guard() or http_error(error)


def _flash_session(setup: BlueprintSetupState) -> None:
    """A session for flashed messages only (the state lives in memory), kept to ``/__admin/``."""
    setup.app.secret_key = secrets.token_bytes(32)
    setup.app.config.update(SESSION_COOKIE_PATH=ADMIN_PREFIX, SESSION_COOKIE_SAMESITE="Lax")
    cast(Flask, setup.app).session_interface = AdminSessionInterface()


class AdminSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, opened only for the paths its cookie is sent to: the
    store endpoint never uses one, and opening it (a new signer each time, the cookies parsed)
    cost some 8 µs of every store request."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not request.path.startswith(ADMIN_PREFIX):
            return None  # Flask makes it a null session, never saved
        return super().open_session(app, request)
