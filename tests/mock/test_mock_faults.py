"""Every fault type, with a real ``requests`` client against the live waitress server."""

from __future__ import annotations

import time

import pytest
import requests
from mock_support import (
    AUTH,
    ENDPOINT,
    XML_CONTENT_TYPE,
    error_code,
    export_params,
    notify_params,
    order_numbers,
    ship_notice,
)

from mock_inksoft import create_app
from safexml import XmlSyntaxError, parse_xml


@pytest.fixture
def shop(live):
    """The live mock with three orders."""
    requests.post(
        f"{live.url}/__admin/orders", json=[{"order_id": n} for n in ("1", "2", "3")], timeout=5
    ).raise_for_status()
    return live


def queue(server, **fault) -> dict:
    answer = requests.post(f"{server.url}/__admin/faults", json=fault, timeout=5)
    assert answer.status_code == 201, answer.text
    return answer.json()


def export(server, timeout: float = 5, **params) -> requests.Response:
    return requests.get(
        f"{server.url}{ENDPOINT}", params=export_params(**params), auth=AUTH, timeout=timeout
    )


def notify(server, order_id: str = "1") -> requests.Response:
    return requests.post(
        f"{server.url}{ENDPOINT}",
        params=notify_params(order_id),
        data=ship_notice(order_id),
        auth=AUTH,
        timeout=5,
    )


def journal(server) -> list[dict]:
    return requests.get(f"{server.url}/__admin/requests", timeout=5).json()["requests"]


def shipments(server) -> list[dict]:
    return requests.get(f"{server.url}/__admin/shipments", timeout=5).json()["shipments"]


# --- faults that replace the answer ------------------------------------------------------------


def test_a_status_fault_answers_the_status_with_retry_after_then_clears(shop):
    queue(shop, action="export", type="status", status=503, retry_after=2)
    response = export(shop)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.headers["Content-Type"] == XML_CONTENT_TYPE
    assert error_code(response.content) == "ServiceUnavailable"
    assert order_numbers(export(shop).content) == ["1", "2", "3"]
    assert [(e["status"], e["fault"]) for e in journal(shop)] == [(503, "status"), (200, None)]


@pytest.mark.parametrize(
    ("status", "code"),
    [(500, "InternalServerError"), (502, "BadGateway"), (429, "TooManyRequests")],
)
def test_each_server_status_can_be_faked(shop, status, code):
    queue(shop, type="status", status=status)
    response = export(shop)
    assert response.status_code == status
    assert "Retry-After" not in response.headers
    assert error_code(response.content) == code


def test_a_status_fault_can_carry_its_own_body(shop):
    queue(shop, type="status", status=200, body="<Orders pages='1'><Order>")
    response = export(shop)
    assert (response.status_code, response.text) == (200, "<Orders pages='1'><Order>")


def test_a_fault_lasts_the_number_of_times_asked(shop):
    queue(shop, type="status", status=500, times=2)
    assert [export(shop).status_code for _ in range(3)] == [500, 500, 200]


def test_a_replacing_fault_on_a_notice_applies_nothing(shop):
    queue(shop, action="shipnotify", type="status", status=503)
    assert notify(shop).status_code == 503
    assert shipments(shop) == []
    assert notify(shop).status_code == 200
    assert len(shipments(shop)) == 1


def test_a_reset_fault_resets_the_connection(shop):
    queue(shop, type="reset")
    with pytest.raises(requests.ConnectionError) as raised:
        export(shop)
    assert isinstance(raised.value.args[0].args[1], ConnectionResetError)
    assert order_numbers(export(shop).content) == ["1", "2", "3"]
    assert [(e["status"], e["fault"]) for e in journal(shop)] == [(None, "reset"), (200, None)]


def test_a_reset_notice_is_not_applied(shop):
    queue(shop, action="shipnotify", type="reset")
    with pytest.raises(requests.ConnectionError):
        notify(shop)
    assert shipments(shop) == []


def test_a_malformed_fault_answers_200_with_broken_xml(shop):
    queue(shop, type="malformed")
    response = export(shop)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == XML_CONTENT_TYPE
    with pytest.raises(XmlSyntaxError):
        parse_xml(response.content)


def test_an_empty_fault_answers_200_with_nothing(shop):
    queue(shop, type="empty")
    response = export(shop)
    assert (response.status_code, response.content) == (200, b"")


# --- faults that alter the answer --------------------------------------------------------------


def test_a_delay_fault_answers_normally_after_the_delay(shop):
    queue(shop, type="delay", seconds=0.15)
    started = time.perf_counter()
    response = export(shop)
    assert time.perf_counter() - started >= 0.15
    assert order_numbers(response.content) == ["1", "2", "3"]


def test_a_delay_longer_than_the_client_waits_times_out_but_is_applied(shop):
    queue(shop, action="shipnotify", type="delay", seconds=0.25)
    with pytest.raises(requests.ReadTimeout):  # the answer, not the connection, was late
        requests.post(
            f"{shop.url}{ENDPOINT}",
            params=notify_params("1"),
            data=ship_notice("1"),
            auth=AUTH,
            timeout=(5, 0.1),
        )
    deadline = time.monotonic() + 60  # generous: a busy machine may be slow to apply it
    while not shipments(shop) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(shipments(shop)) == 1


def test_a_slow_body_fault_dribbles_the_normal_body(shop):
    normal = export(shop).content
    queue(shop, type="slow_body", seconds=0.3)
    started = time.perf_counter()
    response = requests.get(
        f"{shop.url}{ENDPOINT}", params=export_params(), auth=AUTH, stream=True, timeout=5
    )
    received, arrivals = bytearray(), []
    for chunk in response.iter_content(chunk_size=64):
        received += chunk
        arrivals.append(time.perf_counter() - started)
    assert arrivals[-1] >= 0.3
    assert arrivals[-1] - arrivals[0] >= 0.18  # spread out, not sent at once after a delay
    assert bytes(received) == normal


def test_a_truncated_fault_sends_less_than_its_content_length(shop):
    complete = len(export(shop).content)
    queue(shop, type="truncated")
    response = requests.get(
        f"{shop.url}{ENDPOINT}", params=export_params(), auth=AUTH, stream=True, timeout=5
    )
    assert int(response.headers["Content-Length"]) == complete
    received = bytearray()
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for chunk in response.iter_content(chunk_size=1024):
            received += chunk
    assert 0 < len(received) < complete


def test_a_truncated_notice_answer_still_applies_the_notice(shop):
    queue(shop, action="shipnotify", type="truncated")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        notify(shop)
    assert len(shipments(shop)) == 1


def test_a_wrong_content_type_fault_keeps_the_body(shop):
    queue(shop, type="wrong_content_type")
    response = export(shop)
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert order_numbers(response.content) == ["1", "2", "3"]


# --- which requests a fault is for -------------------------------------------------------------


def test_a_fault_is_for_its_action_only(shop):
    queue(shop, action="shipnotify", type="status", status=500)
    assert export(shop).status_code == 200
    assert notify(shop).status_code == 500


def test_a_fault_can_target_an_order_number_or_a_page(shop):
    queue(shop, action="shipnotify", order_number="2", type="status", status=502)
    queue(shop, action="export", page=2, type="status", status=500)
    assert notify(shop, "1").status_code == 200
    assert notify(shop, "2").status_code == 502
    assert export(shop).status_code == 200
    assert export(shop, page=2).status_code == 500


def test_faults_are_listed_and_cleared(shop):
    queued = queue(shop, action="export", type="delay", seconds=60, times=3)
    assert queued == {
        "type": "delay",
        "action": "export",
        "order_number": None,
        "page": None,
        "times": 3,
        "seconds": 10.0,
    }
    queue(shop, type="status", status=503, retry_after=1)
    listed = requests.get(f"{shop.url}/__admin/faults", timeout=5).json()["faults"]
    assert [f["type"] for f in listed] == ["delay", "status"]
    assert listed[1] == {
        "type": "status",
        "action": "*",
        "order_number": None,
        "page": None,
        "times": 1,
        "status": 503,
        "retry_after": 1,
        "body": None,
    }
    assert requests.delete(f"{shop.url}/__admin/faults", timeout=5).json() == {"faults": []}
    assert export(shop).status_code == 200


@pytest.mark.parametrize(
    ("fault", "field"),
    [
        ({}, "type"),
        ({"type": "explode"}, "type"),
        ({"type": "status"}, "status"),
        ({"type": "status", "status": 700}, "status"),
        ({"type": "status", "status": 503, "seconds": 1}, "seconds"),
        ({"type": "delay"}, "seconds"),
        ({"type": "delay", "seconds": -1}, "seconds"),
        ({"type": "reset", "retry_after": 1}, "retry_after"),
        ({"type": "reset", "action": "import"}, "action"),
        ({"type": "reset", "times": 0}, "times"),
        ({"type": "reset", "when": "now"}, "when"),
    ],
)
def test_a_bad_fault_is_refused_naming_the_field(live, fault, field):
    answer = requests.post(f"{live.url}/__admin/faults", json=fault, timeout=5)
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    assert requests.get(f"{live.url}/__admin/faults", timeout=5).json() == {"faults": []}


def test_under_the_test_client_a_reset_raises_connection_reset(client):
    client.post("/__admin/faults", json={"type": "reset"})
    with pytest.raises(ConnectionResetError):
        client.get(ENDPOINT, query_string=export_params(), auth=AUTH)
    assert client.get("/__admin/requests").json["requests"][0]["fault"] == "reset"


def test_reset_clears_the_faults():
    client = create_app().test_client()
    client.post("/__admin/faults", json={"type": "empty"})
    client.post("/__admin/reset")
    assert client.get("/__admin/faults").json == {"faults": []}


# --- hostile bodies over the wire --------------------------------------------------------------


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_oversized_notice_is_413_over_the_wire(shop, chunked):
    requests.put(f"{shop.url}/__admin/settings", json={"max_body_bytes": 1024}, timeout=5)
    body = ship_notice("1", extra="<InternalNote>" + "x" * 2000 + "</InternalNote>")
    data = iter([body[:1000], body[1000:]]) if chunked else body
    response = requests.post(
        f"{shop.url}{ENDPOINT}", params=notify_params("1"), data=data, auth=AUTH, timeout=5
    )
    assert response.status_code == 413
    assert error_code(response.content) == "PayloadTooLarge"
    assert shipments(shop) == []


def test_an_entity_expansion_bomb_is_refused_over_the_wire(shop):
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    doctype = f'<!DOCTYPE s [<!ENTITY l0 "lol">{laughs}]>'
    body = f'<?xml version="1.0"?>{doctype}<ShipNotice>&l9;</ShipNotice>'
    response = requests.post(
        f"{shop.url}{ENDPOINT}", params=notify_params("1"), data=body.encode(), auth=AUTH, timeout=5
    )
    assert response.status_code == 400
    assert error_code(response.content) == "MalformedXml"
