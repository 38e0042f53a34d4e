"""The control API's OpenAPI 3.1 description is true: it names every route of ``urls.py`` and
no other, and Schemathesis, fuzzing a live mock with it, finds no 5xx and no answer that the
description does not allow (status, content type, schema)."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from mock_support import AUTH, export_params, notify_params, ship_notice, wait_until_healthy
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mock_inksoft import create_app
from mock_inksoft.server import ServerHandle, serve_in_thread
from mock_inksoft.urls import CONTROL_ROUTES

DOCUMENT = "/__admin/openapi.json"
MAX_EXAMPLES = 8  # per operation: a few seconds in all
FUZZ_GENERATE_AT_MOST = 20  # generating 10 000 Faker orders takes seconds: fuzz with fewer
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def as_openapi_path(rule: str) -> str:
    """``/__admin/orders/<order_id>`` as OpenAPI writes it: ``/__admin/orders/{order_id}``."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def test_the_description_names_every_control_route_and_no_other(live):
    document = requests.get(f"{live.url}{DOCUMENT}", timeout=10).json()
    assert document["openapi"] == "3.1.0"
    described = {
        (path, method.upper()) for path, methods in document["paths"].items() for method in methods
    }
    routed = {
        (as_openapi_path(route.rule), method) for route in CONTROL_ROUTES for method in route.views
    }
    assert described == routed


def test_every_reference_of_the_description_resolves(live):
    document = requests.get(f"{live.url}{DOCUMENT}", timeout=10).json()
    references = set(
        re.findall(r'"\$ref": "#/components/schemas/(\w+)"', str(document).replace("'", '"'))
    )
    assert references
    assert references <= set(document["components"]["schemas"])


def test_the_description_is_served_without_the_admin_token():
    client = create_app({"admin_token": "t0ken"}).test_client()
    assert client.get(DOCUMENT).status_code == 200
    assert client.get("/__admin/orders").status_code == 401


# --- Schemathesis ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzzed_mock() -> Iterator[ServerHandle]:
    """A mock of its own (the fuzzer changes settings, accounts and orders at random), started
    with orders, a shipment and journal entries so that every list answer has rows to check."""
    handle = serve_in_thread(create_app({"orders": 3, "seed": 5}), host="127.0.0.1", port=0)
    wait_until_healthy(handle.url)
    endpoint = f"{handle.url}/10001/shipstation"
    requests.get(endpoint, params=export_params(), auth=AUTH, timeout=10)
    requests.post(
        endpoint,
        params=notify_params("1048001"),
        data=ship_notice("1048001"),
        auth=AUTH,
        timeout=10,
    ).raise_for_status()
    requests.post(endpoint, params=notify_params("1048002"), data=b"{}", auth=AUTH, timeout=10)
    yield handle
    handle.stop()


def fuzzing_description(mock: ServerHandle):
    """The served description, with fewer orders to generate, aimed at ``mock``."""
    document = copy.deepcopy(requests.get(f"{mock.url}{DOCUMENT}", timeout=10).json())
    count = document["components"]["schemas"]["Generate"]["properties"]["count"]
    count["maximum"] = FUZZ_GENERATE_AT_MOST
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=mock.url)
    return schema


def test_the_control_api_conforms_to_its_description(fuzzed_mock):
    operations = [result.ok() for result in fuzzing_description(fuzzed_mock).get_all_operations()]
    assert len(operations) == sum(len(route.views) for route in CONTROL_ROUTES)
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def conforms(case) -> None:
            case.call_and_validate(checks=CHECKS)

        conforms()
