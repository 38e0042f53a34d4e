"""The mock explains every answer, over real HTTP: the journal keeps the error's Code and
Message, the body (secrets redacted), a notice's fields and warnings; near misses name what
exists; the ten typical mistakes are each explained in the answer and in the journal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests
from mock_support import AUTH, export_params, notify_params, ship_notice

from mock_inksoft.server import ServerHandle
from safexml import parse_xml

OTHER = {"username": "ops", "password": "ops-Secret-9"}


def endpoint(live: ServerHandle, publisher_id: int = 10001) -> str:
    return f"{live.url}/{publisher_id}/shipstation"


def admin(live: ServerHandle, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{live.url}/__admin/{path}", timeout=10, **kwargs)


def add_orders(live: ServerHandle, *order_ids: str, publisher_id: int = 10001) -> None:
    orders = [{"order_id": oid, "publisher_id": publisher_id} for oid in order_ids]
    admin(live, "POST", "orders", json=orders).raise_for_status()


def add_other_account(live: ServerHandle) -> None:
    account = {"publisher_id": 20002, "users": [OTHER]}
    admin(live, "POST", "accounts", json=account).raise_for_status()


def journal(live: ServerHandle, **filters: str) -> list[dict]:
    answer = admin(live, "GET", "requests", params=filters)
    assert answer.status_code == 200, answer.text
    return answer.json()["requests"]


def error_of(response: requests.Response) -> tuple[str, str]:
    root = parse_xml(response.content)
    assert root.tag == "Error"
    return root.findtext("Code"), root.findtext("Message")


def notify(live: ServerHandle, body: bytes, order: str = "1048003", **query: str):
    return requests.post(
        endpoint(live),
        params=notify_params(order, **query),
        data=body,
        auth=AUTH,
        headers={"Content-Type": "application/xml"},
        timeout=10,
    )


# --- what the journal keeps --------------------------------------------------------------------


def test_four_broken_notices_for_one_order_are_four_different_entries(live):
    add_orders(live, "1048003")
    notify(live, b"<ShipNotice><OrderID>1048003</OrderID>")
    notify(live, ship_notice("1048003", tracking=None), tracking_number="")
    notify(live, ship_notice("1048003", carrier=None), carrier="")
    notify(live, b"<Shipment/>")
    entries = journal(live, order="1048003")
    assert [(e["status"], e["code"]) for e in entries] == [
        (400, "MalformedXml"),
        (400, "InvalidRequest"),
        (400, "InvalidRequest"),
        (400, "InvalidRequest"),
    ]
    messages = [e["message"] for e in entries]
    assert "not well-formed XML" in messages[0]
    assert "no TrackingNumber" in messages[1]
    assert "no Carrier" in messages[2]
    assert "<Shipment>, not <ShipNotice>" in messages[3]
    assert entries[0]["body"] == "<ShipNotice><OrderID>1048003</OrderID>"
    assert entries[3]["body_bytes"] == len(b"<Shipment/>")
    assert len({e["id"] for e in entries}) == 4


def test_an_applied_notice_is_journalled_with_its_parsed_fields(live):
    add_orders(live, "1048003")
    assert notify(live, ship_notice("1048003", lines=["1048003-1"])).status_code == 200
    (entry,) = journal(live, action="shipnotify")
    assert (entry["status"], entry["code"], entry["message"]) == (200, None, None)
    assert entry["warnings"] == []
    notice = entry["notice"]
    assert (notice["order_id"], notice["order_number"], notice["body_order_number"]) == (
        "1048003",
        "1048003",
        "1048003",
    )
    assert (notice["carrier"], notice["tracking_number"], notice["shipping_cost"]) == (
        "UPS",
        "1Z999AA10123456784",
        9.42,
    )
    assert notice["items"] == [
        {"line_item_id": "1048003-1", "sku": None, "name": None, "quantity": None}
    ]
    assert entry["body"].startswith('<?xml version="1.0" encoding="utf-8"?><ShipNotice>')
    assert admin(live, "GET", f"requests/{entry['id']}").json() == entry


def test_the_body_is_capped_and_its_secrets_redacted(live):
    body = b"SS-UserName=demo&SS-Password=demo-password&note=" + b"x" * 20_000
    response = requests.post(
        endpoint(live),
        params={"action": "export"},
        data=body,
        auth=AUTH,
        timeout=10,
    )
    assert response.status_code == 405
    (entry,) = journal(live)
    assert "demo-password" not in entry["body"]
    assert entry["body"].startswith("SS-UserName=demo&SS-Password=***&note=xxx")
    assert len(entry["body"]) < 17_000
    assert (entry["body_bytes"], entry["body_truncated"]) == (len(body), True)
    assert entry["code"] == "MethodNotAllowed"
    assert "ask for orders with GET" in entry["message"]


def test_a_body_is_journalled_whether_its_length_is_declared_or_chunked(live):
    requests.get(endpoint(live), params=export_params(), auth=AUTH, timeout=10)
    chunks = (part for part in (b"<Note>first ", b"second</Note>"))
    requests.post(endpoint(live), params={"action": "export"}, data=chunks, auth=AUTH, timeout=10)
    requests.post(
        endpoint(live), params={"action": "export"}, data=b"<Note/>", auth=AUTH, timeout=10
    )
    bodyless, chunked, declared = journal(live)
    assert (bodyless["body"], bodyless["body_bytes"], bodyless["status"]) == ("", 0, 200)
    assert (chunked["body"], chunked["body_bytes"]) == ("<Note>first second</Note>", 25)
    assert (declared["body"], declared["body_bytes"]) == ("<Note/>", 7)
    assert declared["headers"]["Content-Length"] == "7"
    assert "Content-Length" not in bodyless["headers"]


def test_a_password_in_a_json_or_xml_body_is_redacted(live):
    requests.post(
        endpoint(live),
        params={"action": "shipnotify"},
        json={"username": "demo", "password": "demo-password", "api_key": "k-123"},
        auth=AUTH,
        timeout=10,
    )
    requests.post(
        endpoint(live),
        params={"action": "shipnotify"},
        data=b"<Login><Password>hunter2-long</Password></Login>",
        auth=AUTH,
        timeout=10,
    )
    first, second = journal(live)
    assert "demo-password" not in first["body"] and "k-123" not in first["body"]
    assert '"password": "***"' in first["body"]
    assert second["body"] == "<Login><Password>***</Password></Login>"


def test_a_fault_is_journalled_with_the_answer_it_gave(live):
    fault = {"type": "status", "status": 503, "action": "export", "retry_after": 2}
    admin(live, "POST", "faults", json=fault).raise_for_status()
    requests.get(endpoint(live), params=export_params(), auth=AUTH, timeout=10)
    (entry,) = journal(live)
    assert (entry["status"], entry["fault"], entry["code"]) == (503, "status", "ServiceUnavailable")
    assert entry["message"] == "Simulated fault: 503 Service Unavailable."


# --- filters -----------------------------------------------------------------------------------


def test_the_journal_filters_by_status_class_action_and_order(live):
    add_orders(live, "1048003", "1048004")
    requests.get(endpoint(live), params=export_params(), auth=AUTH, timeout=10)
    notify(live, ship_notice("1048003"))
    notify(live, b"not xml", order="1048003")
    notify(live, b"not xml", order="1048004")
    requests.get(endpoint(live), params={"action": "export"}, auth=AUTH, timeout=10)

    def shown(**filters: str) -> list[tuple]:
        return [(e["action"], e["status"]) for e in journal(live, **filters)]

    assert shown(status="4xx", action="shipnotify", order="1048003") == [("shipnotify", 400)]
    assert shown(status="4XX") == [("shipnotify", 400)] * 2 + [("export", 400)]
    assert shown(status="200") == [("export", 200), ("shipnotify", 200)]
    assert shown(status="2xx", order="1048003") == [("shipnotify", 200)]
    assert shown(order="1048004") == [("shipnotify", 400)]
    assert shown(action="export", status="4xx") == [("export", 400)]
    assert shown(status="5xx") == []


@pytest.mark.parametrize(
    ("filters", "field"),
    [({"status": "4x"}, "status"), ({"status": "600"}, "status"), ({"code": "x"}, "code")],
)
def test_a_bad_filter_is_refused_naming_it(live, filters, field):
    answer = admin(live, "GET", "requests", params=filters)
    assert answer.status_code == 400
    assert answer.json()["field"] == field


def test_an_entry_no_longer_kept_is_a_404(live):
    answer = admin(live, "GET", "requests/999999")
    assert answer.status_code == 404
    assert "holds no request 999999" in answer.json()["error"]


# --- near misses -------------------------------------------------------------------------------


def test_an_unknown_order_names_the_closest_orders_of_the_account(live):
    add_orders(live, "1048001", "1048002", "1048005", "1048009")
    response = notify(live, ship_notice("1048006"), order="1048006")
    assert response.status_code == 404
    code, message = error_of(response)
    assert code == "UnknownOrder"
    assert "closest order numbers and IDs are 1048002, 1048005, 1048009" in message


def test_an_unknown_order_of_an_account_without_orders_says_so(live):
    code, message = error_of(notify(live, ship_notice("1048006"), order="1048006"))
    assert code == "UnknownOrder"
    assert "Publisher ID 10001 has no orders yet" in message


def test_an_order_of_another_account_names_that_account_but_none_of_its_data(live):
    add_other_account(live)
    add_orders(live, "1048001")
    admin(
        live,
        "POST",
        "orders",
        json={"order_id": "2000001", "publisher_id": 20002, "customer": {"email": "x@y.test"}},
    ).raise_for_status()
    response = notify(live, ship_notice("2000001"), order="2000001")
    assert response.status_code == 404
    code, message = error_of(response)
    assert code == "UnknownOrder"
    assert "belongs to another InkSoft account, Publisher ID 20002" in message
    assert "/20002/shipstation" in message
    assert "x@y.test" not in response.text and "1048001" not in message


def test_a_wrong_publisher_id_says_how_many_accounts_exist_and_lists_none(live):
    add_other_account(live)
    response = requests.get(endpoint(live, 10002), params=export_params(), auth=AUTH, timeout=10)
    code, message = error_of(response)
    assert (response.status_code, code) == (404, "UnknownPublisher")
    assert "this InkSoft holds 2 accounts" in message
    assert "10001" not in message and "20002" not in message


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/10001/ShipStation", "here /10001/shipstation"),
        ("/shipstation", "here /10001/shipstation"),
        ("/api/20002/orders", "here /20002/shipstation"),
    ],
)
def test_an_unknown_path_names_the_endpoint(live, path, expected):
    response = requests.get(f"{live.url}{path}", timeout=10)
    code, message = error_of(response)
    assert (response.status_code, code) == (404, "NotFound")
    assert "/{publisher_id}/shipstation" in message and expected in message
    assert journal(live)[0]["message"] == message


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("Export", "actions are lower case, send action=export"),
        ("SHIPNOTIFY", "actions are lower case, send action=shipnotify"),
        ("orders", "send action=export or action=shipnotify"),
        ("", "add action=export or action=shipnotify"),
    ],
)
def test_an_unknown_action_names_the_actions(live, action, expected):
    response = requests.get(endpoint(live), params={"action": action}, auth=AUTH, timeout=10)
    code, message = error_of(response)
    assert (response.status_code, code) == (400, "InvalidRequest")
    assert expected in message


# --- decisions: wrong answers made right -------------------------------------------------------


def test_a_reversed_window_is_refused_naming_both_dates(live):
    add_orders(live, "1048001")
    params = {"action": "export", "start_date": "03/10/2026 00:00", "end_date": "03/01/2026 00:00"}
    response = requests.get(endpoint(live), params=params, auth=AUTH, timeout=10)
    code, message = error_of(response)
    assert (response.status_code, code) == (400, "InvalidRequest")
    assert "start_date 03/10/2026 00:00 is after end_date 03/01/2026 00:00" in message
    assert "Swap them" in message


def test_query_and_body_disagreeing_on_the_tracking_number_are_refused_naming_both(live):
    add_orders(live, "1048003", "1048004")
    body = ship_notice("1048004", tracking="BBB")
    response = notify(live, body, order="1048003", tracking_number="AAA")
    code, message = error_of(response)
    assert (response.status_code, code) == (400, "InvalidRequest")
    assert "tracking_number 'AAA'" in message and "<TrackingNumber> 'BBB'" in message
    assert admin(live, "GET", "shipments").json()["shipments"] == []
    statuses = {o["order_id"]: o["status"] for o in admin(live, "GET", "orders").json()["orders"]}
    assert "Shipped" not in statuses.values()


def test_query_and_body_naming_different_orders_ship_the_body_s_order_with_a_warning(live):
    add_orders(live, "1048003", "1048004")
    response = notify(live, ship_notice("1048004"), order="1048003")
    assert response.status_code == 200  # protocol.md: the body's OrderID finds the order
    (shipment,) = admin(live, "GET", "shipments").json()["shipments"]
    assert shipment["order_id"] == "1048004"
    (entry,) = journal(live)
    (warning,) = entry["warnings"]
    assert "order_number '1048003' and the body's OrderID '1048004'" in warning
    assert journal(live, order="1048003") == journal(live, order="1048004") == [entry]


def test_an_order_id_and_its_own_number_do_not_disagree(live):
    admin(live, "POST", "orders", json={"order_id": "A-17", "order_number": "5017"})
    body = ship_notice("A-17").replace(b"<OrderNumber>A-17<", b"<OrderNumber>5017<")
    assert notify(live, body, order="5017").status_code == 200
    assert journal(live)[0]["warnings"] == []


def test_a_start_date_in_the_future_is_answered_with_a_warning(live):
    add_orders(live, "1048001")
    ahead = datetime.now(timezone.utc) + timedelta(days=3)
    params = export_params(start_date=ahead.strftime("%m/%d/%Y %H:%M"))
    response = requests.get(endpoint(live), params=params, auth=AUTH, timeout=10)
    assert (response.status_code, response.content) == (200, b"")
    (warning,) = journal(live)[0]["warnings"]
    assert warning.startswith(f"start_date {ahead:%m/%d/%Y %H:%M} is in the future")


def test_a_far_end_date_is_no_warning(live):
    requests.get(endpoint(live), params=export_params(), auth=AUTH, timeout=10)
    assert journal(live)[0]["warnings"] == []


def test_a_ship_date_in_the_future_is_a_warning(live):
    add_orders(live, "1048003")
    ahead = datetime.now(timezone.utc) + timedelta(days=10)
    body = ship_notice("1048003").replace(
        b"03/07/2026</ShipDate>", f"{ahead:%m/%d/%Y}</ShipDate>".encode()
    )
    assert notify(live, body).status_code == 200
    (warning,) = journal(live)[0]["warnings"]
    assert warning.startswith(f"ShipDate {ahead:%m/%d/%Y} is in the future")


def test_credentials_sent_two_ways_that_disagree_are_a_warning(live):
    query = {**export_params(), "SS-UserName": "ops", "SS-Password": "other-password"}
    requests.get(endpoint(live), params=query, auth=AUTH, timeout=10)
    requests.get(
        endpoint(live),
        params={**export_params(), "SS-UserName": "demo", "SS-Password": "demo-password"},
        auth=AUTH,
        timeout=10,
    )
    disagreeing, agreeing = journal(live)
    assert disagreeing["status"] == 200  # HTTP Basic wins, as protocol.md orders them
    (warning,) = disagreeing["warnings"]
    assert "HTTP Basic (user 'demo'), which the mock used" in warning
    assert "query parameters (user 'ops')" in warning
    assert "other-password" not in str(disagreeing) and "demo-password" not in str(disagreeing)
    assert agreeing["warnings"] == []


# --- the ten typical mistakes ------------------------------------------------------------------

NOTICE = notify_params("1048003")


def _other_account_order(live: ServerHandle) -> None:
    add_other_account(live)
    add_orders(live, "2000001", publisher_id=20002)


MISTAKES = [
    # (name, request, status, Code, what the message must tell the developer)
    ("wrong root element", {"method": "POST", "params": NOTICE, "data": b"<Shipment/>"},
     400, "InvalidRequest", "not <ShipNotice>"),
    ("body not XML", {"method": "POST", "params": NOTICE, "data": b"order=1048003"},
     400, "MalformedXml", "not well-formed XML"),
    ("JSON body", {"method": "POST", "params": NOTICE, "json": {"OrderID": "1048003"}},
     400, "MalformedXml", "The body is JSON, but the shipment notice is XML"),
    ("missing tracking number",
     {"method": "POST", "params": {**NOTICE, "tracking_number": ""},
      "data": ship_notice("1048003", tracking=None)},
     400, "InvalidRequest", "send it as the body's <TrackingNumber> or the tracking_number"),
    ("order of another account",
     {"method": "POST", "params": notify_params("2000001"), "data": ship_notice("2000001")},
     404, "UnknownOrder", "belongs to another InkSoft account, Publisher ID 20002"),
    ("window reversed",
     {"method": "GET", "params": {"action": "export", "start_date": "03/08/2026 00:00",
                                  "end_date": "03/01/2026 00:00"}},
     400, "InvalidRequest", "Swap them"),
    ("bad date format",
     {"method": "GET", "params": {**export_params(), "start_date": "2026-03-01T00:00:00Z"}},
     400, "InvalidRequest", "use MM/dd/yyyy HH:mm in UTC"),
    ("wrong action case", {"method": "GET", "params": {**export_params(), "action": "Export"}},
     400, "InvalidRequest", "actions are lower case, send action=export"),
    ("GET for a notice", {"method": "GET", "params": NOTICE},
     405, "MethodNotAllowed", "send the <ShipNotice> XML as the body of a POST"),
    ("wrong Publisher ID",
     {"method": "GET", "params": export_params(), "publisher_id": 10010},
     404, "UnknownPublisher", "check the Publisher ID in the store's URL"),
]  # fmt: skip


def test_each_of_ten_typical_mistakes_is_explained_in_the_answer_and_the_journal(live):
    add_orders(live, "1048003")
    _other_account_order(live)
    for _, call, *_ in MISTAKES:
        call = dict(call)
        url = endpoint(live, call.pop("publisher_id", 10001))
        requests.request(url=url, auth=AUTH, timeout=10, **call)
    entries = journal(live)
    assert len(entries) == len(MISTAKES)
    for (name, call, status, code, advice), entry in zip(MISTAKES, entries, strict=True):
        assert (entry["method"], entry["status"], entry["code"]) == (
            call["method"],
            status,
            code,
        ), name
        assert advice in entry["message"], (name, entry["message"])
    # the same words reach the developer in the answer itself
    for name, call, status, code, advice in MISTAKES:
        call = dict(call)
        url = endpoint(live, call.pop("publisher_id", 10001))
        response = requests.request(url=url, auth=AUTH, timeout=10, **call)
        assert response.status_code == status, name
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8", name
        answered_code, message = error_of(response)
        assert (answered_code, advice in message) == (code, True), (name, message)


# --- accounts ----------------------------------------------------------------------------------


def test_an_account_s_users_may_fulfil_unless_told_otherwise(live):
    users = [OTHER, {"username": "viewer", "password": "v1ewer-Pass", "permissions": []}]
    admin(live, "POST", "accounts", json={"publisher_id": 20002, "users": users})
    url = endpoint(live, 20002)
    ops = requests.get(url, params=export_params(), auth=tuple(OTHER.values()), timeout=10)
    assert ops.status_code == 200
    viewer = requests.get(url, params=export_params(), auth=("viewer", "v1ewer-Pass"), timeout=10)
    code, message = error_of(viewer)
    assert (viewer.status_code, code) == (403, "PermissionDenied")
    assert "grant it to the user in InkSoft" in message


def test_re_creating_an_account_is_a_conflict_unless_replace_is_true(live):
    again = {"publisher_id": 10001, "users": [{"username": "new", "password": "n3w-Pass"}]}
    conflict = admin(live, "POST", "accounts", json=again)
    assert conflict.status_code == 409
    assert conflict.json()["field"] == "publisher_id"
    assert requests.get(endpoint(live), params=export_params(), auth=AUTH, timeout=10).ok
    assert admin(live, "POST", "accounts", json={**again, "replace": True}).status_code == 201
    old = requests.get(endpoint(live), params=export_params(), auth=AUTH, timeout=10)
    assert old.status_code == 401
    new = requests.get(endpoint(live), params=export_params(), auth=("new", "n3w-Pass"), timeout=10)
    assert new.status_code == 200
