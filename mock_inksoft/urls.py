"""Every URL rule of the mock, in one place, by the blueprint that serves it.

Three blueprints: the store endpoint (:mod:`.store_endpoint`), the JSON control API
(:mod:`.admin`) and the HTML dashboard (:mod:`.dashboard`), each with its own hooks and error
handlers. A request that no rule matches belongs to no blueprint, so Flask hands its 404 or 405
to the app: the area whose paths it lies in answers it (first match of :data:`AREAS`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from mock_inksoft import admin, dashboard, responses, store_endpoint
from mock_inksoft.admin import ADMIN_PREFIX
from mock_inksoft.dashboard import actions, pages

ANY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
DASHBOARD_PREFIX = f"{ADMIN_PREFIX}ui/"


@dataclass(frozen=True)
class Route:
    """A URL rule and the view of each method it takes (the endpoint is the view's name)."""

    rule: str
    views: Mapping[str, Callable[..., Any]]


def route(rule: str, **views: Callable[..., Any]) -> Route:
    return Route(rule, views)


STORE_ROUTES = (
    # The store endpoint takes every method, so that a wrong one gets the protocol's 405.
    Route("/<publisher_id>/shipstation", dict.fromkeys(ANY_METHOD, responses.shipstation)),
)
CONTROL_ROUTES = (
    route("/__admin/health", GET=admin.health),
    route("/__admin/openapi.json", GET=admin.openapi_document),
    route("/__admin/reset", POST=admin.reset),
    route("/__admin/accounts", GET=admin.list_accounts, POST=admin.save_account),
    route(
        "/__admin/orders",
        GET=admin.list_orders,
        POST=admin.add_orders,
        DELETE=admin.clear_orders,
    ),
    route("/__admin/orders/generate", POST=admin.generate),
    route("/__admin/orders/<order_id>", GET=admin.get_order, PATCH=admin.change_order),
    route("/__admin/shipments", GET=admin.list_shipments),
    route("/__admin/requests", GET=admin.list_requests, DELETE=admin.clear_requests),
    route("/__admin/requests/<int:entry_id>", GET=admin.get_request),
    route(
        "/__admin/faults", GET=admin.list_faults, POST=admin.add_fault, DELETE=admin.clear_faults
    ),
    route("/__admin/settings", GET=admin.get_settings, PUT=admin.change_settings),
)
DASHBOARD_ROUTES = (
    # The bare /__admin/ and everything under /__admin/ui/.
    route("/__admin/", GET=pages.index_page),
    route("/__admin/ui/orders/<order_id>", GET=pages.order_page),
    route("/__admin/ui/shipments/<int:index>", GET=pages.shipment_page),
    route("/__admin/ui/requests/<int:entry_id>", GET=pages.request_page),
    route("/__admin/ui/generate", POST=actions.generate),
    route("/__admin/ui/settings", POST=actions.change_empty_export),
    route("/__admin/ui/faults", POST=actions.add_fault),
    route("/__admin/ui/faults/clear", POST=actions.clear_faults),
    route("/__admin/ui/reset", POST=actions.reset),
    route("/__admin/ui/static/<path:filename>", GET=pages.static_file),
)


@dataclass(frozen=True)
class Area:
    """A blueprint, its routes, and how it answers a request of its paths that no rule matched."""

    blueprint: Callable[[], Blueprint]
    routes: tuple[Route, ...]
    owns: Callable[[str], bool]
    unmatched: Callable[[HTTPException], BaseResponse]


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
        for each in area.routes:
            for view in dict.fromkeys(each.views.values()):
                blueprint.add_url_rule(
                    each.rule,
                    view.__name__,
                    view,
                    methods=[method for method, its in each.views.items() if its is view],
                    provide_automatic_options=False,
                )
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, _unmatched)


def _unmatched(error: HTTPException) -> BaseResponse:
    area = next(area for area in AREAS if area.owns(request.path))
    return area.unmatched(error)
