"""The dashboard's pages through the Flask test client: what each shows, and what it never does."""

from __future__ import annotations

import pytest
from dashboard_support import (
    AUTH,
    ENDPOINT,
    page,
    ship_notice,
    ship_params,
    table_after,
    table_rows,
    texts,
)
from flask.testing import FlaskClient

from mock_inksoft.dashboard.pages import JOURNAL_SHOWN, ORDERS_SHOWN, SHIPMENTS_SHOWN
from mock_inksoft.faults import ConnectionResetByFault

EVERYTHING = {"action": "export", "start_date": "01/01/2000 00:00", "end_date": "12/31/2099 23:59"}
ORDER = {
    "order_id": "5001",
    "order_number": "A-5001",
    "status": "Ready to Ship",
    "last_modified": "2026-03-06T09:10:00Z",
    "customer_notes": "Ship before the tournament & thanks!",
    "customer": {
        "email": "jane@example.com",
        "bill_to": {"name": "Jane Doe"},
        "ship_to": {"name": "Jane Doe", "city": "Austin", "country": "US"},
    },
    "items": [
        {
            "sku": "G500-NAVY-L",
            "quantity": 2,
            "options": [
                {"name": "Color", "value": "Navy"},
                {"name": "Size", "value": "L"},
                {"name": "Design", "value": "Eagles Front Logo"},
            ],
        },
        {"sku": "CAP-RED", "name": "Red cap", "quantity": 1, "options": []},
        {"adjustment": True, "sku": "SPRING10", "unit_price": -3.6},
    ],
}


def add_order(client: FlaskClient, **fields: object) -> None:
    assert client.post("/__admin/orders", json={**ORDER, **fields}).status_code == 201


def test_the_bare_admin_path_is_the_dashboard(client: FlaskClient):
    for headers in ({}, {"Accept": "text/html"}, {"Accept": "application/json"}):
        response = client.get("/__admin/", headers=headers)
        assert response.status_code == 200
        assert texts(page(response), "//title") == ["Dashboard · Mock InkSoft"]
    assert client.get("/__admin").location.endswith("/__admin/")


def test_an_empty_mock_says_what_is_missing(client: FlaskClient):
    document = page(client.get("/__admin/"))
    empty = texts(document, '//p[@class="empty"]')
    assert any(text.startswith("No orders yet") for text in empty)
    assert "No shipment notices received yet." in empty
    assert any(text.startswith("No store requests yet") for text in empty)


def test_accounts_show_users_and_permissions_but_never_passwords(client: FlaskClient):
    account = {
        "publisher_id": 20002,
        "active": False,
        "users": [
            {"username": "ops", "password": "hunter2-secret", "permissions": ["Reports"]},
            {"username": "packer", "password": "other-secret", "permissions": []},
        ],
    }
    assert client.post("/__admin/accounts", json=account).status_code == 201
    response = client.get("/__admin/")
    assert table_rows(page(response), "accounts") == [
        ["10001", "active", "demo", "Store Fulfillment Administration"],
        ["20002", "inactive", "ops", "Reports"],
        ["packer", "none"],
    ]
    for password in (b"demo-password", b"hunter2-secret", b"other-secret"):
        assert password not in response.data


def test_the_orders_table_summarises_each_order(client: FlaskClient):
    add_order(client)
    add_order(client, order_id="5002", order_number="A-5002", customer={"ship_to": None})
    rows = table_rows(page(client.get("/__admin/")), "orders")
    assert rows[1] == [
        "A-5001",
        "Ready to Ship",
        "2026-03-06 09:10:00 UTC",
        "Jane Doe jane@example.com",
        "Austin, US",
        "3",
        "2 × Eagles Front Logo · Navy · L 1 × Red cap",
    ]
    assert rows[0][0] == "A-5002"  # the most recently modified first
    assert rows[0][4] == "no shipping address"


def test_the_orders_filter_by_status(client: FlaskClient):
    client.post("/__admin/orders/generate", json={"count": 3, "seed": 1, "status": "Open"})
    client.post("/__admin/orders/generate", json={"count": 2, "seed": 2, "status": "On Hold"})
    document = page(client.get("/__admin/", query_string={"status": "On Hold"}))
    rows = table_rows(document, "orders")
    assert len(rows) == 2
    assert {row[1] for row in rows} == {"On Hold"}
    assert texts(document, '//select[@name="status"]/option[@selected]') == ["On Hold (2)"]
    none = page(client.get("/__admin/", query_string={"status": "Canceled"}))
    assert table_rows(none, "orders") == []
    assert "No order has the status Canceled." in texts(none, '//p[@class="empty"]')
    assert len(table_rows(page(client.get("/__admin/?status=")), "orders")) == 5


def test_the_filter_offers_a_status_only_the_json_api_gave(client: FlaskClient):
    add_order(client, status="Awaiting Artwork")
    document = page(client.get("/__admin/", query_string={"status": "Awaiting Artwork"}))
    assert texts(document, '//select[@name="status"]/option[@selected]') == ["Awaiting Artwork (1)"]
    assert [row[1] for row in table_rows(document, "orders")] == ["Awaiting Artwork"]


def test_a_long_order_list_is_paged_newest_first(client: FlaskClient):
    client.post("/__admin/orders/generate", json={"count": ORDERS_SHOWN + 1, "seed": 1})
    document = page(client.get("/__admin/"))
    rows = table_rows(document, "orders")
    assert len(rows) == ORDERS_SHOWN
    assert rows[0][0] == str(1048001 + ORDERS_SHOWN)  # the newest first
    assert f"Orders 1–{ORDERS_SHOWN} of {ORDERS_SHOWN + 1}, newest first (page 1 of 2)." in texts(
        document, '//p[@class="hint"]'
    )
    [last] = document.xpath('//nav[@class="pages"]/a[@rel="last"]/@href')
    oldest = page(client.get(last))
    assert [row[0] for row in table_rows(oldest, "orders")] == ["1048001"]
    assert texts(oldest, '//nav[@class="pages"]/a') == ["Newer"]


def test_an_order_shows_every_field_and_the_order_as_exported(client: FlaskClient):
    add_order(client)
    document = page(client.get("/__admin/ui/orders/5001"))
    fields = dict(
        zip(
            texts(document, "//table[@class='fields']//th"),
            texts(document, "//table[@class='fields']//td"),
            strict=True,
        )
    )
    assert fields["Order number"] == "A-5001"
    assert fields["Customer notes"] == "Ship before the tournament & thanks!"
    assert fields["City"] == "Austin"
    items = table_after(document, "Items")
    assert [row[1] for row in items] == ["G500-NAVY-L", "CAP-RED", "SPRING10"]
    assert items[0][8] == "to ship"
    assert items[2][8] == "adjustment"
    (exported,) = document.xpath('//pre[@aria-label="Exported XML"]')
    wire = client.get(ENDPOINT, query_string=EVERYTHING, auth=AUTH)
    assert exported.text_content() == wire.get_data(as_text=True)
    assert "<![CDATA[Ship before the tournament & thanks!]]>" in exported.text_content()
    assert client.get("/__admin/ui/orders/A-5001").status_code == 200  # by order number too


def test_an_unknown_order_is_a_404_page(client: FlaskClient):
    response = client.get("/__admin/ui/orders/999")
    assert response.status_code == 404
    assert "The mock holds no order 999." in texts(page(response), "//p")


def test_free_text_is_escaped(client: FlaskClient):
    add_order(client, customer={"bill_to": {"name": "<script>alert(1)</script>"}})
    for path in ("/__admin/", "/__admin/ui/orders/5001"):
        response = client.get(path)
        assert b"<script>" not in response.data
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.data


def test_shipments_show_what_was_sent_and_note_duplicates(client: FlaskClient):
    add_order(client)
    add_order(client, order_id="5002", order_number="A-5002")
    for _ in range(3):  # ShipStation retrying the same notice
        client.post(
            ENDPOINT, query_string=ship_params("A-5001"), data=ship_notice("5001"), auth=AUTH
        )
    client.post(
        ENDPOINT,
        query_string=ship_params("A-5002", "FedEx", "794600000001"),
        data=ship_notice("5002", "FedEx", "794600000001"),
        auth=AUTH,
    )
    overview = page(client.get("/__admin/"))
    rows = table_rows(overview, "shipments")
    assert [row[:8] for row in rows] == [  # the newest first
        [
            "A-5002",
            "FedEx",
            "UPS Ground",
            "794600000001",
            "9.42",
            "Thanks & enjoy!",
            "2026-03-08 15:30:00 UTC",
            "none",
        ],
        [
            "A-5001",
            "UPS",
            "UPS Ground",
            "1Z999AA10123456784",
            "9.42",
            "Thanks & enjoy!",
            "2026-03-08 15:30:00 UTC",
            "2 duplicates",
        ],
    ]
    notices = overview.xpath('//section[@id="shipments"]//tbody//a[text()="ShipNotice"]/@href')
    assert notices == ["/__admin/ui/shipments/1", "/__admin/ui/shipments/0"]
    order = page(client.get("/__admin/ui/orders/5001"))
    assert "Shipped" in texts(order, "//h1/span")
    assert [row[3] for row in table_after(order, "Shipments received for this order")] == [
        "1Z999AA10123456784"
    ]


def test_duplicates_count_only_the_notices_the_journal_still_holds(client: FlaskClient):
    add_order(client)
    client.put("/__admin/settings", json={"journal_size": 3})
    for _ in range(3):
        client.post(ENDPOINT, query_string=ship_params("5001"), data=ship_notice("5001"), auth=AUTH)

    def duplicates() -> str:
        return table_rows(page(client.get("/__admin/")), "shipments")[0][7]

    assert duplicates() == "2 duplicates"
    client.get(ENDPOINT, query_string=EVERYTHING, auth=AUTH)  # pushes the first one out
    assert duplicates() == "1 duplicate"
    client.put("/__admin/settings", json={"journal_size": 1})  # keeps the export only
    assert duplicates() == "none"
    client.put("/__admin/settings", json={"journal_size": 10})
    client.post(ENDPOINT, query_string=ship_params("5001"), data=ship_notice("5001"), auth=AUTH)
    client.post(ENDPOINT, query_string=ship_params("5001"), data=ship_notice("5001"), auth=AUTH)
    assert duplicates() == "1 duplicate"
    client.delete("/__admin/requests")
    assert duplicates() == "none"
    shipment = page(client.get("/__admin/ui/orders/5001"))
    assert [row[7] for row in table_after(shipment, "Shipments received for this order")] == [
        "none"
    ]


def test_the_journal_and_the_shipments_are_paged_newest_first(client: FlaskClient):
    for number in range(1, SHIPMENTS_SHOWN + 2):
        add_order(client, order_id=str(number), order_number=f"N-{number}")
        client.post(
            ENDPOINT,
            query_string=ship_params(f"N-{number}"),
            data=ship_notice(str(number)),
            auth=AUTH,
        )
    for _ in range(JOURNAL_SHOWN):
        client.get(ENDPOINT, query_string=EVERYTHING, auth=("demo", "wrong-password"))
    first = page(client.get("/__admin/", query_string={"status": "Shipped"}))
    journal = table_rows(first, "journal")
    assert len(journal) == JOURNAL_SHOWN and {row[4] for row in journal} == {"401"}
    shipped = [row[0] for row in table_rows(first, "shipments")]
    assert shipped == [f"N-{n}" for n in range(SHIPMENTS_SHOWN + 1, 1, -1)]
    total = SHIPMENTS_SHOWN + 1 + JOURNAL_SHOWN
    hints = texts(first, '//p[@class="hint"]')
    assert f"Requests 1–{JOURNAL_SHOWN} of {total}, newest first (page 1 of 3)." in hints
    [older] = first.xpath('//section[@id="journal"]//nav/a[@rel="next"]/@href')
    assert older == "/__admin/?status=Shipped&journal_page=2#journal"
    second = page(client.get(older))
    assert [row[0] for row in table_rows(second, "shipments")] == shipped  # its page kept
    notices = table_rows(second, "journal")
    assert [row[4] for row in notices] == ["200"] * JOURNAL_SHOWN
    assert f"order_number=N-{SHIPMENTS_SHOWN + 1}&" in notices[0][1]
    assert "order_number=N-2&" in notices[-1][1]
    [link] = second.xpath('//section[@id="shipments"]//nav/a[@rel="last"]/@href')
    last = page(client.get(link))
    assert [row[0] for row in table_rows(last, "shipments")] == ["N-1"]
    assert last.xpath('//section[@id="shipments"]//tbody//a[text()="ShipNotice"]/@href') == [
        "/__admin/ui/shipments/0"
    ]
    assert table_rows(last, "journal") == notices  # journal page 2 kept
    beyond = page(client.get("/__admin/", query_string={"shipments_page": 9, "journal_page": 9}))
    assert "Page 9 is past the last (2)." in texts(beyond, '//section[@id="shipments"]//p')
    assert "Page 9 is past the last (3)." in texts(beyond, '//section[@id="journal"]//p')


def test_the_raw_ship_notice_on_demand(client: FlaskClient):
    add_order(client)
    body = ship_notice("5001")
    client.post(ENDPOINT, query_string=ship_params("5001"), data=body, auth=AUTH)
    document = page(client.get("/__admin/ui/shipments/0"))
    (raw,) = document.xpath('//pre[@aria-label="Raw ShipNotice"]')
    assert raw.text_content() == body.decode()
    (pretty,) = document.xpath('//pre[@aria-label="ShipNotice"]')
    assert "  <TrackingNumber>1Z999AA10123456784</TrackingNumber>" in pretty.text_content()
    missing = client.get("/__admin/ui/shipments/1")
    assert missing.status_code == 404
    assert "The mock holds no shipment #2." in texts(page(missing), "//p")


def test_the_journal_is_newest_first_redacted_with_status_and_fault(client: FlaskClient):
    client.get(
        ENDPOINT, query_string={**EVERYTHING, "SS-UserName": "demo", "SS-Password": "demo-password"}
    )
    client.get(ENDPOINT, query_string=EVERYTHING, auth=("demo", "wrong-password"))
    client.post("/__admin/faults", json={"type": "status", "status": 503, "action": "export"})
    client.get(ENDPOINT, query_string=EVERYTHING, auth=AUTH)
    response = client.get("/__admin/")
    rows = table_rows(page(response), "journal")
    assert [(row[4], row[5], row[6]) for row in rows] == [
        ("503", "ServiceUnavailable", "status"),
        ("401", "InvalidCredentials", ""),
        ("200", "", ""),
    ]
    assert "SS-Password=***" in rows[2][1]
    assert "start_date=01/01/2000 00:00" in rows[2][1]  # the query decoded for reading
    assert b"demo-password" not in response.data
    assert b"wrong-password" not in response.data


def test_a_connection_reset_shows_in_the_journal(client: FlaskClient):
    client.post("/__admin/faults", json={"type": "reset", "action": "export"})
    with pytest.raises(ConnectionResetByFault):  # the server resets; the test client raises
        client.get(ENDPOINT, query_string=EVERYTHING, auth=AUTH)
    (row,) = table_rows(page(client.get("/__admin/")), "journal")
    assert (row[4], row[6]) == ("reset", "reset")


def test_the_dashboard_is_not_journalled(client: FlaskClient):
    client.get("/__admin/")
    client.post("/__admin/ui/generate", data={"count": "1", "seed": "1"})
    assert client.get("/__admin/requests").json["requests"] == []


def test_the_stylesheet_is_served_from_the_package(client: FlaskClient):
    response = client.get("/__admin/ui/static/dashboard.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()
    assert client.get("/__admin/ui/static/../dashboard.py").status_code == 404
    assert client.get("/__admin/ui/static/nothing.css").status_code == 404


def test_the_json_control_api_is_unchanged(client: FlaskClient):
    assert client.get("/__admin/health").json == {"status": "ok"}
    assert client.get("/__admin/orders").json["orders"] == []
    assert client.get("/__admin/settings").json["empty_export"] == "quirk"
    unknown = client.get("/__admin/nothing")
    assert (unknown.status_code, unknown.mimetype) == (404, "application/json")


def test_reset_stays_post_only(client: FlaskClient):
    client.post("/__admin/orders/generate", json={"count": 2, "seed": 1})
    response = client.get("/__admin/ui/reset")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert texts(page(response), "//h1") == ["405"]
    assert len(client.get("/__admin/orders").json["orders"]) == 2
    assert client.post("/__admin/").status_code == 405


def test_a_request_page_shows_the_whole_journal_entry(client: FlaskClient):
    client.post("/__admin/orders", json=[{"order_id": "5001"}, {"order_id": "5002"}])
    query = {**ship_params("5001"), "SS-UserName": "demo", "SS-Password": "other-password"}
    client.post(ENDPOINT, query_string=query, data=ship_notice("5002"), auth=AUTH)
    (entry,) = client.get("/__admin/requests").json["requests"]
    overview = page(client.get("/__admin/"))
    (link,) = overview.xpath('//section[@id="journal"]//tbody//a/@href')
    assert link == f"/__admin/ui/requests/{entry['id']}"
    assert "2 warnings" in table_rows(overview, "journal")[0][5]

    response = client.get(link)
    document = page(response)
    assert texts(document, "//h1") == [f"Request #{entry['id']} POST /10001/shipstation 200"]
    warnings = texts(document, '//ul[@class="warnings"]/li')
    assert len(warnings) == 2
    assert warnings[0].startswith("Credentials come several ways that disagree")
    assert "the body's OrderID '5002' name different orders" in warnings[1]
    fields = '//section[@aria-label="Shipment notice"]//tr/'
    notice = dict(zip(texts(document, fields + "th"), texts(document, fields + "td"), strict=True))
    assert (notice["OrderID (body)"], notice["Tracking number"]) == ("5002", "1Z999AA10123456784")
    assert (
        "<TrackingNumber>1Z999AA10123456784</TrackingNumber>"
        in texts(document, '//pre[@aria-label="Request body"]')[0]
    )
    assert b"other-password" not in response.data and b"demo-password" not in response.data
    assert document.xpath('//code[@class="error-code"]') == []  # a success has no Code


def test_a_request_page_shows_the_error_code_and_message(client: FlaskClient):
    client.get(ENDPOINT, query_string={**EVERYTHING, "action": "Export"}, auth=AUTH)
    (entry,) = client.get("/__admin/requests").json["requests"]
    document = page(client.get(f"/__admin/ui/requests/{entry['id']}"))
    assert texts(document, '//code[@class="error-code"]') == ["InvalidRequest"]
    assert texts(document, '//td[@class="error-message"]') == [
        "Unknown action 'Export': actions are lower case, send action=export."
    ]


def test_a_request_the_journal_no_longer_holds_is_a_404_page(client: FlaskClient):
    response = client.get("/__admin/ui/requests/41")
    assert response.status_code == 404
    assert "The journal holds no request #41" in texts(page(response), "//p")[0]
