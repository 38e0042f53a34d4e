"""The app factory, ``create_app(config)``: the state, and the three blueprints of :mod:`.urls`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from jinja2 import BytecodeCache, StrictUndefined
from jinja2.bccache import Bucket

from mock_inksoft.config import MockConfig
from mock_inksoft.context import EXTENSION, Mock
from mock_inksoft.drafts import generate_orders
from mock_inksoft.faults import AbortiveCloseMiddleware
from mock_inksoft.models import FULFILLMENT_PERMISSION, Account, InkSoftState, User
from mock_inksoft.render import Renderer
from mock_inksoft.routing import LazyBuilderRule
from mock_inksoft.urls import register_areas


class ProcessBytecodeCache(BytecodeCache):
    """Compiled templates kept for every app of the process (keyed by name and source), so
    that a new app loads its templates without compiling them again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


# The dashboard's templates, compiled once for every app of the process (compiling them took
# four fifths of a new app's first dashboard page).
_DASHBOARD_BYTECODE = ProcessBytecodeCache()


def create_app(config: MockConfig | Mapping[str, Any] | None = None) -> Flask:
    """A mock InkSoft: the store endpoint, the ``/__admin/`` control API and the dashboard,
    state in memory.

    ``config`` is a :class:`~mock_inksoft.config.MockConfig` or its flat mapping; a bad key or
    value raises :class:`ValueError`.
    """
    if not isinstance(config, MockConfig):
        config = MockConfig.from_mapping(config or {})
    state = InkSoftState(_default_account(config), config.settings, config.clock)
    app = Flask(__name__, static_folder=None)
    app.url_rule_class = LazyBuilderRule
    app.json.sort_keys = False  # type: ignore[attr-defined]  # the default provider has it
    app.jinja_options = {
        **app.jinja_options,
        "undefined": StrictUndefined,
        "bytecode_cache": _DASHBOARD_BYTECODE,
    }
    app.extensions[EXTENSION] = Mock(state, Renderer(), config.admin_token or None)
    register_areas(app)
    app.wsgi_app = AbortiveCloseMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    if config.orders:
        state.add_generated(generate_orders(state, config.orders, config.seed, {}, None))
        state.start_with_current_orders()
    return app


def _default_account(config: MockConfig) -> Account:
    account = config.account
    user = User(account.username, account.password, [FULFILLMENT_PERMISSION])
    return Account(publisher_id=account.publisher_id, active=True, users=[user])
