"""Every URL rule of the mock, in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from mock_inksoft import admin, dashboard, responses

STORE_ENDPOINT = "shipstation"
ANY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str
    view: Callable[..., Any]
    methods: tuple[str, ...]


ROUTES = (
    # The store endpoint takes every method, so that a wrong one gets the protocol's 405.
    Route("/<publisher_id>/shipstation", STORE_ENDPOINT, responses.shipstation, ANY_METHOD),
    Route("/__admin/health", "admin_health", admin.health, ("GET",)),
    Route("/__admin/reset", "admin_reset", admin.reset, ("POST",)),
    Route("/__admin/accounts", "admin_accounts", admin.list_accounts, ("GET",)),
    Route("/__admin/accounts", "admin_save_account", admin.save_account, ("POST",)),
    Route("/__admin/orders", "admin_orders", admin.list_orders, ("GET",)),
    Route("/__admin/orders", "admin_add_orders", admin.add_orders, ("POST",)),
    Route("/__admin/orders/generate", "admin_generate", admin.generate, ("POST",)),
    Route("/__admin/orders/<order_id>", "admin_order", admin.get_order, ("GET",)),
    Route("/__admin/orders/<order_id>", "admin_change_order", admin.change_order, ("PATCH",)),
    Route("/__admin/shipments", "admin_shipments", admin.list_shipments, ("GET",)),
    Route("/__admin/requests", "admin_requests", admin.list_requests, ("GET",)),
    Route("/__admin/requests", "admin_clear_requests", admin.clear_requests, ("DELETE",)),
    Route("/__admin/faults", "admin_faults", admin.list_faults, ("GET",)),
    Route("/__admin/faults", "admin_add_fault", admin.add_fault, ("POST",)),
    Route("/__admin/faults", "admin_clear_faults", admin.clear_faults, ("DELETE",)),
    Route("/__admin/settings", "admin_settings", admin.get_settings, ("GET",)),
    Route("/__admin/settings", "admin_change_settings", admin.change_settings, ("PUT",)),
    # The HTML dashboard: the bare /__admin/ and everything under /__admin/ui/.
    Route("/__admin/", "dashboard", dashboard.index, ("GET",)),
    Route("/__admin/ui/orders/<order_id>", "dashboard_order", dashboard.order_page, ("GET",)),
    Route(
        "/__admin/ui/shipments/<int:index>", "dashboard_shipment", dashboard.shipment_page, ("GET",)
    ),
    Route("/__admin/ui/generate", "dashboard_generate", dashboard.generate, ("POST",)),
    Route("/__admin/ui/settings", "dashboard_settings", dashboard.change_empty_export, ("POST",)),
    Route("/__admin/ui/faults", "dashboard_add_fault", dashboard.add_fault, ("POST",)),
    Route("/__admin/ui/faults/clear", "dashboard_clear_faults", dashboard.clear_faults, ("POST",)),
    Route("/__admin/ui/reset", "dashboard_reset", dashboard.reset, ("POST",)),
    Route(
        "/__admin/ui/static/<path:filename>", "dashboard_static", dashboard.static_file, ("GET",)
    ),
)


def register_routes(app: Flask) -> None:
    for route in ROUTES:
        app.add_url_rule(
            route.rule,
            route.endpoint,
            route.view,
            methods=list(route.methods),
            provide_automatic_options=False,
        )
