"""The control API's OpenAPI 3.1 description, served at ``/__admin/openapi.json``.

Every path and method here is a rule of :data:`mock_inksoft.urls.CONTROL_ROUTES` and the other
way round (``tests/mock/test_mock_openapi.py`` checks both, and fuzzes the API against this
description with Schemathesis).
"""

from __future__ import annotations

import copy
from typing import Any

from mock_inksoft.config import EMPTY_EXPORT_MODES, SETTINGS_FIELDS
from mock_inksoft.models import FAULT_ACTIONS, FAULT_TYPES
from mock_inksoft.order_json import ADDRESS_FIELDS

JSON = "application/json"
Schema = dict[str, Any]


def _nullable(kind: str, **more: Any) -> Schema:
    return {"type": [kind, "null"], **more}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(key: str, item: Schema) -> Schema:
    return {
        "type": "object",
        "required": [key],
        "properties": {key: {"type": "array", "items": item}},
        "additionalProperties": False,
    }


def _page_of(key: str, item: Schema) -> Schema:
    """A page of a list: its items, how many there are in all, the next page's offset."""
    count = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "required": [key, "total", "offset", "limit", "next_offset"],
        "properties": {
            key: {"type": "array", "items": item},
            "total": count,
            "offset": count,
            "limit": {"type": "integer", "minimum": 1},
            "next_offset": {"type": ["integer", "null"], "minimum": 1},
        },
        "additionalProperties": False,
    }


TEXT = {"type": "string"}
TIMESTAMP = {"type": "string", "format": "date-time"}
ADDRESS = {
    "type": "object",
    "properties": {
        name: TEXT
        if name in ("name", "address1", "city", "postal_code", "country")
        else _nullable("string")
        for name in ADDRESS_FIELDS
    },
}
NOTICE_FIELDS = {
    "carrier": TEXT,
    "service": TEXT,
    "tracking_number": TEXT,
    "shipping_cost": _nullable("number"),
    "notes_to_customer": _nullable("string"),
    "notify_customer": _nullable("boolean"),
    "customer_code": _nullable("string"),
    "label_create_date": _nullable("string", format="date-time"),
    "ship_date": _nullable("string", format="date"),
    "recipient": {"oneOf": [{"type": "null"}, ADDRESS]},
    "items": {
        "oneOf": [
            {"type": "null"},
            {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "line_item_id": _nullable("string"),
                        "sku": _nullable("string"),
                        "name": _nullable("string"),
                        "quantity": _nullable("integer"),
                    },
                },
            },
        ]
    },
}

SCHEMAS: dict[str, Schema] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": TEXT, "field": TEXT},
        "description": "What is wrong, and with which field of the request.",
    },
    "Status": {"type": "object", "required": ["status"], "properties": {"status": TEXT}},
    "User": {
        "type": "object",
        "required": ["username", "password"],
        "properties": {
            "username": {"type": "string", "minLength": 1},
            "password": TEXT,
            "permissions": {
                "type": ["array", "null"],
                "items": TEXT,
                "description": "Left out: Store Fulfillment Administration.",
            },
        },
        "additionalProperties": False,
    },
    "AccountIn": {
        "type": "object",
        "required": ["publisher_id"],
        "properties": {
            "publisher_id": {"type": ["integer", "string"], "description": "a positive number"},
            "active": {"type": "boolean", "default": True},
            "users": {"type": "array", "items": _ref("User")},
            "replace": {
                "type": "boolean",
                "default": False,
                "description": "Replace the account with this Publisher ID (else 409).",
            },
        },
        "additionalProperties": False,
    },
    "Account": {
        "type": "object",
        "required": ["publisher_id", "active", "users"],
        "properties": {
            "publisher_id": {"type": "integer"},
            "active": {"type": "boolean"},
            "users": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["username", "permissions"],
                    "properties": {
                        "username": TEXT,
                        "permissions": {"type": "array", "items": TEXT},
                    },
                },
            },
        },
    },
    "OrderIn": {
        "type": "object",
        "description": "Any order field (snake_case mirror of the export); the rest is filled "
        "by Faker. Unknown fields are refused.",
    },
    "Order": {
        "type": "object",
        "required": [
            "publisher_id",
            "order_id",
            "order_number",
            "order_date",
            "last_modified",
            "status",
            "order_total",
            "customer",
            "items",
        ],
        "properties": {
            "publisher_id": {"type": "integer"},
            "order_id": TEXT,
            "order_number": TEXT,
            "order_date": TIMESTAMP,
            "last_modified": TIMESTAMP,
            "status": TEXT,
            "shipping_method": _nullable("string"),
            "payment_method": _nullable("string"),
            "order_total": {"type": "number"},
            "tax_amount": _nullable("number"),
            "shipping_amount": _nullable("number"),
            "customer_notes": _nullable("string"),
            "internal_notes": _nullable("string"),
            "gift": _nullable("boolean"),
            "gift_message": _nullable("string"),
            "coupon_codes": {"type": "array", "items": TEXT},
            "weight": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["value", "units"],
                        "properties": {"value": {"type": "number"}, "units": TEXT},
                    },
                ]
            },
            "customer": {
                "type": "object",
                "required": ["email", "bill_to", "ship_to"],
                "properties": {
                    "email": TEXT,
                    "bill_to": {"type": "object"},
                    "ship_to": {"oneOf": [{"type": "null"}, ADDRESS]},
                },
            },
            "items": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Orders": _list_of("orders", _ref("Order")),
    "OrdersPage": _page_of("orders", _ref("Order")),
    "Generated": {
        "type": "object",
        "required": ["count", "first_order_id", "last_order_id"],
        "properties": {
            "count": {"type": "integer", "minimum": 1},
            "first_order_id": TEXT,
            "last_order_id": TEXT,
            "orders": {
                "type": "array",
                "items": _ref("Order"),
                "description": "the generated orders, when there are at most 10,000",
            },
        },
        "additionalProperties": False,
    },
    "Generate": {
        "type": "object",
        "required": ["count"],
        "properties": {
            "count": {"type": "integer", "minimum": 1},
            "seed": {"type": "integer"},
            "with_ship_to": {"type": "boolean"},
            "publisher_id": {"type": ["integer", "string"]},
        },
        "description": "Plus any order field, fixed for every generated order.",
    },
    "Shipment": {
        "type": "object",
        "required": [
            "publisher_id",
            "order_id",
            "order_number",
            "carrier",
            "tracking_number",
            "received_at",
            "raw",
        ],
        "properties": {
            "publisher_id": {"type": "integer"},
            "order_id": TEXT,
            "order_number": TEXT,
            **NOTICE_FIELDS,
            "received_at": TIMESTAMP,
            "raw": TEXT,
        },
    },
    "JournalEntry": {
        "type": "object",
        "required": [
            "id",
            "time",
            "method",
            "path",
            "query",
            "status",
            "code",
            "message",
            "body",
            "warnings",
        ],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "time": TIMESTAMP,
            "method": TEXT,
            "path": TEXT,
            "query": {"type": "string", "description": "raw, the password redacted"},
            "action": _nullable("string"),
            "status": _nullable("integer", description="null: the connection was reset"),
            "fault": _nullable("string", enum=[*FAULT_TYPES, None]),
            "username": _nullable("string"),
            "auth": _nullable("string", enum=["basic", "query", "header", None]),
            "headers": {"type": "object", "additionalProperties": TEXT},
            "code": _nullable("string", description="the error answer's Code"),
            "message": _nullable("string", description="the error answer's Message"),
            "body": {"type": "string", "description": "the first 16 KiB, secrets redacted"},
            "body_bytes": {"type": "integer", "minimum": 0},
            "body_truncated": {"type": "boolean"},
            "notice": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "properties": {
                            "order_id": _nullable("string"),
                            "order_number": _nullable("string"),
                            "body_order_number": _nullable("string"),
                            **NOTICE_FIELDS,
                        },
                    },
                ]
            },
            "warnings": {"type": "array", "items": TEXT},
        },
    },
    "Fault": {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"enum": list(FAULT_TYPES)},
            "action": {"enum": list(FAULT_ACTIONS), "default": "*"},
            "order_number": {"type": ["string", "integer", "null"]},
            "page": {"type": ["integer", "null"], "minimum": 1},
            "times": {"type": "integer", "minimum": 1, "default": 1},
            "status": {"type": "integer", "minimum": 200, "maximum": 599},
            "retry_after": {"type": ["integer", "null"], "minimum": 0},
            "body": _nullable("string"),
            "seconds": {"type": ["number", "null"], "minimum": 0, "maximum": 10},
        },
    },
    "Settings": {
        "type": "object",
        "properties": {
            name: (
                {"enum": list(EMPTY_EXPORT_MODES)}
                if name == "empty_export"
                else {"type": "integer", "minimum": 1}
            )
            for name in SETTINGS_FIELDS
        },
    },
}
SCHEMAS["Faults"] = _list_of("faults", _ref("Fault"))
SCHEMAS["Accounts"] = _list_of("accounts", _ref("Account"))
SCHEMAS["Shipments"] = _page_of("shipments", _ref("Shipment"))
SCHEMAS["Requests"] = _list_of("requests", _ref("JournalEntry"))
SCHEMAS["RequestsPage"] = _page_of("requests", _ref("JournalEntry"))


def _answer(description: str, schema: str | None = None) -> Schema:
    answer: Schema = {"description": description}
    if schema is not None:
        answer["content"] = {JSON: {"schema": _ref(schema)}}
    return answer


def _body(schema: str | Schema, required: bool = True) -> Schema:
    return {
        "required": required,
        "content": {JSON: {"schema": _ref(schema) if isinstance(schema, str) else schema}},
    }


BAD_REQUEST = _answer("The body or a parameter is malformed; the message names the field.", "Error")
NOT_FOUND = _answer("No such thing.", "Error")
ORDER_ID = {"name": "order_id", "in": "path", "required": True, "schema": TEXT}
PAGE = [
    {
        "name": "offset",
        "in": "query",
        "description": "how many to skip (default 0)",
        "schema": {"type": "integer", "minimum": 0},
    },
    {
        "name": "limit",
        "in": "query",
        "description": "the page's size (default 100)",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
    },
]

OPERATIONS: dict[str, dict[str, Schema]] = {
    "/__admin/health": {
        "get": {"summary": "Readiness.", "responses": {"200": _answer("Ready.", "Status")}},
    },
    "/__admin/openapi.json": {
        "get": {
            "summary": "This description.",
            "responses": {
                "200": {
                    "description": "OpenAPI 3.1",
                    "content": {JSON: {"schema": {"type": "object"}}},
                }
            },
        },
    },
    "/__admin/reset": {
        "post": {
            "summary": "Back to the state the mock started with: the default account and "
            "settings, its starting orders (--orders/--seed); no shipments, journal or faults.",
            "responses": {"200": _answer("Reset.", "Status")},
        },
    },
    "/__admin/accounts": {
        "get": {"summary": "The accounts.", "responses": {"200": _answer("Listed.", "Accounts")}},
        "post": {
            "summary": "Create an account (users get Store Fulfillment Administration unless "
            "their permissions say otherwise); an existing Publisher ID needs replace: true.",
            "requestBody": _body("AccountIn"),
            "responses": {
                "201": _answer("Created or replaced.", "Account"),
                "400": BAD_REQUEST,
                "409": _answer("The Publisher ID exists and replace is not true.", "Error"),
            },
        },
    },
    "/__admin/orders": {
        "get": {
            "summary": "A page of the orders, in the order they were created; the filters use "
            "an index.",
            "parameters": [
                {"name": "status", "in": "query", "schema": TEXT},
                {"name": "publisher_id", "in": "query", "schema": {"type": "string"}},
                *PAGE,
            ],
            "responses": {"200": _answer("Listed.", "OrdersPage"), "400": BAD_REQUEST},
        },
        "post": {
            "summary": "Add one order (an object) or several (a list).",
            "requestBody": _body(
                {"oneOf": [_ref("OrderIn"), {"type": "array", "items": _ref("OrderIn")}]}
            ),
            "responses": {"201": _answer("Added.", "Orders"), "400": BAD_REQUEST},
        },
        "delete": {
            "summary": "Remove every order, and the shipments applied to them.",
            "responses": {"200": _answer("Emptied.", "Orders")},
        },
    },
    "/__admin/orders/generate": {
        "post": {
            "summary": "Add Faker orders (each made from the seed and its position when read); "
            "at most as many as the mock's memory budget holds.",
            "requestBody": _body("Generate"),
            "responses": {"201": _answer("Added.", "Generated"), "400": BAD_REQUEST},
        },
    },
    "/__admin/orders/{order_id}": {
        "get": {
            "summary": "An order, by order ID or number.",
            "parameters": [ORDER_ID],
            "responses": {"200": _answer("The order.", "Order"), "404": NOT_FOUND},
        },
        "patch": {
            "summary": "Change an order's fields; last_modified moves to now unless given.",
            "parameters": [ORDER_ID],
            "requestBody": _body("OrderIn"),
            "responses": {
                "200": _answer("The changed order.", "Order"),
                "400": BAD_REQUEST,
                "404": NOT_FOUND,
            },
        },
    },
    "/__admin/shipments": {
        "get": {
            "summary": "A page of the shipment notices applied, in order.",
            "parameters": PAGE,
            "responses": {"200": _answer("Listed.", "Shipments"), "400": BAD_REQUEST},
        },
    },
    "/__admin/requests": {
        "get": {
            "summary": "The request journal of the store endpoint, oldest first.",
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "description": "404, 4xx or reset",
                    "schema": {"type": "string", "pattern": "^([1-5]([0-9]{2}|[xX]{2})|reset)$"},
                },
                {"name": "action", "in": "query", "schema": TEXT},
                {
                    "name": "order",
                    "in": "query",
                    "description": "named by query or notice",
                    "schema": TEXT,
                },
                *PAGE,
            ],
            "responses": {"200": _answer("Listed.", "RequestsPage"), "400": BAD_REQUEST},
        },
        "delete": {
            "summary": "Empty the journal.",
            "responses": {"200": _answer("Emptied.", "Requests")},
        },
    },
    "/__admin/requests/{entry_id}": {
        "get": {
            "summary": "One journal entry, by its id.",
            "parameters": [
                {
                    "name": "entry_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 0},
                },
            ],
            "responses": {"200": _answer("The entry.", "JournalEntry"), "404": NOT_FOUND},
        },
    },
    "/__admin/faults": {
        "get": {
            "summary": "The queued faults.",
            "responses": {"200": _answer("Listed.", "Faults")},
        },
        "post": {
            "summary": "Queue a fault for the next matching store requests.",
            "requestBody": _body("Fault"),
            "responses": {"201": _answer("Queued.", "Fault"), "400": BAD_REQUEST},
        },
        "delete": {
            "summary": "Clear the faults.",
            "responses": {"200": _answer("Cleared.", "Faults")},
        },
    },
    "/__admin/settings": {
        "get": {"summary": "The settings.", "responses": {"200": _answer("Read.", "Settings")}},
        "put": {
            "summary": "Change any of the settings.",
            "requestBody": _body("Settings"),
            "responses": {"200": _answer("Changed.", "Settings"), "400": BAD_REQUEST},
        },
    },
}

COMMON_ANSWERS = {
    "401": _answer("An admin token is configured and the request lacks it.", "Error"),
    "405": _answer("The path does not take this method.", "Error"),
}
BODY_TOO_LARGE = _answer("The body is over 32 MiB.", "Error")


def control_api_description() -> dict[str, Any]:
    """The OpenAPI 3.1 document (a fresh copy)."""
    paths: dict[str, Any] = {}
    for path, methods in OPERATIONS.items():
        paths[path] = {}
        for method, operation in methods.items():
            described = copy.deepcopy(operation)
            answers = described["responses"]
            if path not in ("/__admin/health", "/__admin/openapi.json"):
                answers.setdefault("401", COMMON_ANSWERS["401"])
            answers.setdefault("405", COMMON_ANSWERS["405"])
            if "requestBody" in described:
                answers.setdefault("413", BODY_TOO_LARGE)
                answers.setdefault("400", BAD_REQUEST)
            described["operationId"] = f"{method}_{path.strip('/').replace('/', '_')}"
            paths[path][method] = described
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Mock InkSoft control API",
            "version": "1",
            "description": "The mock's state, faults, settings and request journal, under "
            "/__admin/ on the port of the store endpoint. The wire contract: docs/protocol.md.",
        },
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": {
                "adminToken": {"type": "apiKey", "in": "header", "name": "X-Admin-Token"},
            },
        },
        "paths": paths,
    }
