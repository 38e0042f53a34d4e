"""The app factory, ``create_app(config)``, and the hooks every request goes through."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from mock_inksoft import dashboard
from mock_inksoft.admin import (
    ADMIN_PREFIX,
    control_error_response,
    error_response,
    require_admin_token,
)
from mock_inksoft.context import EXTENSION, Mock, current_mock
from mock_inksoft.control_json import settings_changes
from mock_inksoft.dates import utc_now
from mock_inksoft.drafts import generate_orders
from mock_inksoft.faults import (
    RESET_REQUESTED,
    XML_CONTENT_TYPE,
    AbortiveCloseMiddleware,
    altered_answer,
    replacing_answer,
)
from mock_inksoft.fields import ControlError, publisher_id
from mock_inksoft.journal import journal_entry
from mock_inksoft.models import (
    FULFILLMENT_PERMISSION,
    Account,
    Clock,
    InkSoftState,
    Settings,
    User,
)
from mock_inksoft.render import Renderer
from mock_inksoft.responses import StoreError, store_error_response
from mock_inksoft.urls import STORE_ENDPOINT, register_routes


@dataclass(frozen=True)
class MockConfig:
    """What ``create_app`` accepts; every key is optional."""

    clock: Clock = utc_now  # () -> aware UTC datetime
    admin_token: str | None = None
    publisher_id: int = 10001  # the default account, restored by a reset
    username: str = "demo"
    password: str = "demo-password"  # noqa: S105 - the documented demo account
    page_size: int = 100  # the default settings, restored by a reset
    empty_export: str = "quirk"
    max_body_bytes: int = 1_048_576
    journal_size: int = 500
    orders: int = 0  # Faker orders generated at start (a reset removes them)
    seed: int = 0

    @classmethod
    def from_mapping(cls, config: dict[str, Any]) -> MockConfig:
        unknown = sorted(set(config) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"unknown mock InkSoft config keys: {', '.join(unknown)}")
        values = dict(config)
        values.update(settings_changes({k: v for k, v in config.items() if k in SETTINGS_KEYS}))
        if "publisher_id" in values:
            values["publisher_id"] = publisher_id(values["publisher_id"], "publisher_id")
        if not callable(values.get("clock", utc_now)):
            raise ValueError("config['clock'] must be a callable returning an aware UTC datetime")
        for key in ("orders", "seed"):
            if not isinstance(values.get(key, 0), int) or values.get(key, 0) < 0:
                raise ValueError(f"config[{key!r}] must be a whole number from 0")
        return cls(**values)

    def default_account(self) -> Account:
        user = User(self.username, self.password, [FULFILLMENT_PERMISSION])
        return Account(publisher_id=self.publisher_id, active=True, users=[user])

    def default_settings(self) -> Settings:
        return Settings(
            page_size=self.page_size,
            empty_export=self.empty_export,
            max_body_bytes=self.max_body_bytes,
            journal_size=self.journal_size,
        )


SETTINGS_KEYS = ("page_size", "empty_export", "max_body_bytes", "journal_size")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """A mock InkSoft: the store endpoint and the ``/__admin/`` control API, state in memory.

    ``config`` keys are those of :class:`MockConfig`; a bad one raises :class:`ValueError`.
    """
    settings = MockConfig.from_mapping(config or {})
    state = InkSoftState(settings.default_account(), settings.default_settings(), settings.clock)
    app = Flask(__name__, static_folder=None)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # the default provider has it
    app.extensions[EXTENSION] = Mock(state, Renderer(), settings.admin_token or None)
    register_routes(app)
    dashboard.init_app(app)
    app.before_request(_before_request)
    app.after_request(_after_request)
    app.register_error_handler(StoreError, store_error_response)
    app.register_error_handler(ControlError, control_error_response)
    app.register_error_handler(HTTPException, _http_error)
    app.wsgi_app = AbortiveCloseMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    if settings.orders:
        state.add_orders(generate_orders(state, settings.orders, settings.seed, {}, None))
    return app


def _is_admin() -> bool:
    return request.path.startswith(ADMIN_PREFIX)


def _before_request() -> Response | None:
    """The admin token for the control API and the dashboard; the next matching fault for the
    store endpoint."""
    if dashboard.is_dashboard_path(request.path):
        return dashboard.guard()
    if _is_admin():
        return require_admin_token()
    if request.endpoint != STORE_ENDPOINT:
        return None
    mock = current_mock()
    args = request.args
    g.fault = mock.state.take_fault(
        args.get("action"), args.get("order_number"), args.get("page", "1").strip()
    )
    return None if g.fault is None else replacing_answer(g.fault, request, mock.renderer)


def _after_request(response: Response) -> Response:
    """A fault's change to the answer, then the journal entry (the control API is not logged)."""
    if _is_admin():
        return response
    fault = g.get("fault")
    if fault is not None:
        response = altered_answer(fault, response)
    state = current_mock().state
    status = None if request.environ.get(RESET_REQUESTED) else response.status_code
    state.record_request(journal_entry(request, status, fault.type if fault else None, state.now()))
    return response


def _http_error(error: HTTPException) -> Response:
    """Routing and server errors: an HTML page on the dashboard, JSON elsewhere under
    ``/__admin/``, the XML error body elsewhere."""
    status = error.code or 500
    if dashboard.is_dashboard_path(request.path):
        response = dashboard.error_page(status, error.description or error.name)
    elif _is_admin():
        response = error_response(status, error.description or error.name)
    else:
        body = current_mock().renderer.error(type(error).__name__, error.description or "")
        response = Response(body, status, content_type=XML_CONTENT_TYPE)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
