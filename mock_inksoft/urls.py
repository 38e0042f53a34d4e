"""Every URL rule of the mock, in one place, by the blueprint that serves it.

Three blueprints: the store endpoint (:mod:`.store_endpoint`), the JSON control API
(:mod:`.admin`) and the HTML dashboard (:mod:`.dashboard`), each with its own hooks and error
handlers. A request that no rule matches belongs to no blueprint, so Flask hands its 404 or 405
to the app: the area whose paths it lies in answers it (first match of :data:`AREAS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, request
from werkzeug.exceptions import HTTPException

from mock_inksoft import admin, dashboard, responses, store_endpoint
from mock_inksoft.admin import ADMIN_PREFIX
from mock_inksoft.dashboard import actions, pages

ANY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
DASHBOARD_PREFIX = f"{ADMIN_PREFIX}ui/"


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str  # within its blueprint
    view: Callable[..., Any]
    methods: tuple[str, ...] = ("GET",)


STORE_ROUTES = (
    # The store endpoint takes every method, so that a wrong one gets the protocol's 405.
    Route("/<publisher_id>/shipstation", "shipstation", responses.shipstation, ANY_METHOD),
)
CONTROL_ROUTES = (
    Route("/__admin/health", "health", admin.health),
    Route("/__admin/reset", "reset", admin.reset, ("POST",)),
    Route("/__admin/accounts", "accounts", admin.list_accounts),
    Route("/__admin/accounts", "save_account", admin.save_account, ("POST",)),
    Route("/__admin/orders", "orders", admin.list_orders),
    Route("/__admin/orders", "add_orders", admin.add_orders, ("POST",)),
    Route("/__admin/orders/generate", "generate", admin.generate, ("POST",)),
    Route("/__admin/orders/<order_id>", "order", admin.get_order),
    Route("/__admin/orders/<order_id>", "change_order", admin.change_order, ("PATCH",)),
    Route("/__admin/shipments", "shipments", admin.list_shipments),
    Route("/__admin/requests", "requests", admin.list_requests),
    Route("/__admin/requests", "clear_requests", admin.clear_requests, ("DELETE",)),
    Route("/__admin/faults", "faults", admin.list_faults),
    Route("/__admin/faults", "add_fault", admin.add_fault, ("POST",)),
    Route("/__admin/faults", "clear_faults", admin.clear_faults, ("DELETE",)),
    Route("/__admin/settings", "settings", admin.get_settings),
    Route("/__admin/settings", "change_settings", admin.change_settings, ("PUT",)),
)
DASHBOARD_ROUTES = (
    # The bare /__admin/ and everything under /__admin/ui/.
    Route("/__admin/", "index", pages.index_page),
    Route("/__admin/ui/orders/<order_id>", "order", pages.order_page),
    Route("/__admin/ui/shipments/<int:index>", "shipment", pages.shipment_page),
    Route("/__admin/ui/generate", "generate", actions.generate, ("POST",)),
    Route("/__admin/ui/settings", "settings", actions.change_empty_export, ("POST",)),
    Route("/__admin/ui/faults", "add_fault", actions.add_fault, ("POST",)),
    Route("/__admin/ui/faults/clear", "clear_faults", actions.clear_faults, ("POST",)),
    Route("/__admin/ui/reset", "reset", actions.reset, ("POST",)),
    Route("/__admin/ui/static/<path:filename>", "static", pages.static_file),
)


@dataclass(frozen=True)
class Area:
    """A blueprint, its routes, and how it answers a request of its paths that no rule matched."""

    blueprint: Callable[[], Blueprint]
    routes: tuple[Route, ...]
    owns: Callable[[str], bool]
    unmatched: Callable[[HTTPException], Response]


AREAS = (
    Area(
        dashboard.blueprint,
        DASHBOARD_ROUTES,
        lambda path: path == ADMIN_PREFIX or path.startswith(DASHBOARD_PREFIX),
        dashboard.unmatched,
    ),
    Area(
        admin.blueprint,
        CONTROL_ROUTES,
        lambda path: path.startswith(ADMIN_PREFIX),
        admin.unmatched,
    ),
    Area(store_endpoint.blueprint, STORE_ROUTES, lambda path: True, store_endpoint.unmatched),
)


def register_areas(app: Flask) -> None:
    for area in AREAS:
        blueprint = area.blueprint()
        for route in area.routes:
            blueprint.add_url_rule(
                route.rule,
                route.endpoint,
                route.view,
                methods=list(route.methods),
                provide_automatic_options=False,
            )
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, _unmatched)


def _unmatched(error: HTTPException) -> Response:
    area = next(area for area in AREAS if area.owns(request.path))
    return area.unmatched(error)
