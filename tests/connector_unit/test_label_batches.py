"""Labels in bulk, the shipment update and its retry queue, deliveries, e-mails (B26-B31)."""

from __future__ import annotations

import email
import email.policy
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from feedbuilder import feed, order

from connector import Connector, ConnectorError
from connector.carriers import is_valid_tracking_number
from inksoft_testkit.smtp import LocalSmtpServer
from safexml import parse_xml

ENDPOINT = "http://inksoft.test/20002/shipstation"  # the ``connected`` fixture's store


class Notices:
    """The shipnotify endpoint: answers from a list (the last one repeats), records each call."""

    def __init__(self, http: responses.RequestsMock) -> None:
        self.answers: list[int] = [200]
        self.received: list[tuple[dict[str, str], bytes]] = []
        http.add_callback(responses.POST, ENDPOINT, callback=self.answer)

    def answer(self, request):
        query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        self.received.append((query, request.body))
        status = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if status == 200:
            return 200, {}, b""
        return status, {}, b"<Error><Code>ServerError</Code><Message>down</Message></Error>"

    def accepted_bodies(self) -> list:
        return [parse_xml(body) for _, body in self.received]


@pytest.fixture
def notices(http: responses.RequestsMock) -> Notices:
    return Notices(http)


@pytest.fixture
def imported(connected: Connector, inksoft) -> Connector:
    inksoft.pages(
        feed(
            order("1001"),
            order("1002", {"ShippingMethod": "FedEx Ground"}),
            order("1003", {"OrderStatus": "On Hold"}),
        )
    )
    assert connected.refresh().ok
    inksoft.http.reset()
    return connected


def test_a_batch_gets_one_label_each_and_inksoft_is_updated(imported, notices, db_path):
    results = imported.ship(notes_to_buyer="Thanks!")

    assert [(r.order_number, r.ok, r.carrier) for r in results] == [
        ("1001", True, "UPS"),
        ("1002", True, "FedEx"),
    ]
    for result in results:
        assert is_valid_tracking_number(result.carrier, result.tracking_number)
        assert result.carrier_fee > 0
        assert result.notified
        label = Path(result.label_path)
        assert label.parent.parent == db_path.parent / "labels"
        assert label.read_text().startswith("^XA")
    sent = notices.accepted_bodies()
    assert [n.findtext("OrderNumber") for n in sent] == ["1001", "1002"]
    first = sent[0]
    assert first.findtext("Carrier") == "UPS"
    assert first.findtext("Service") == "UPS Ground"
    assert first.findtext("TrackingNumber") == results[0].tracking_number
    assert first.findtext("ShippingCost") == f"{results[0].carrier_fee:.2f}"
    assert first.findtext("NotesToCustomer") == "Thanks!"
    assert first.findtext("Recipient/City") == "Austin"
    assert [i.findtext("SKU") for i in first.iter("Item")] == ["G500-NAVY-L"]
    query = notices.received[0][0]
    assert query["action"] == "shipnotify"
    assert query["tracking_number"] == results[0].tracking_number
    assert {o["order_number"]: o["status"] for o in imported.orders()} == {
        "1001": "shipped",
        "1002": "shipped",
        "1003": "on_hold",
    }


def test_one_order_failing_does_not_stop_the_others(imported, notices):
    results = imported.ship(["1003", "1001", "4040"])

    assert [(r.order_number, r.ok) for r in results] == [
        ("1003", False),
        ("1001", True),
        ("4040", False),
    ]
    assert "on_hold" in results[0].error
    assert "4040" in results[2].error
    assert len(notices.received) == 1


def test_an_order_is_never_labelled_twice(imported, notices):
    imported.ship(["1001"])
    [again] = imported.ship(["1001"])
    assert not again.ok
    assert "already has a label" in again.error
    assert len(notices.received) == 1


def test_an_order_without_weight_fails_alone_with_its_reason(connected, inksoft, notices):
    weightless = {"Items": {"Item": [order()["Items"]["Item"][0] | {"Weight": None}]}}
    inksoft.pages(feed(order("2001", weightless), order("2002")))
    assert connected.refresh().ok

    results = connected.ship()
    assert [(r.order_number, r.ok) for r in results] == [("2001", False), ("2002", True)]
    assert "no weight" in results[0].error


def test_a_refused_update_is_queued_and_retried_until_accepted(imported, notices):
    notices.answers = [503, 503, 200]

    [result] = imported.ship(["1001"])
    assert result.ok and not result.notified
    assert "queued" in result.error
    assert imported.status()["queued_notices"] == 1
    assert imported.order("1001")["shipments"][0]["tracking_number"] == result.tracking_number

    [retry] = imported.retry_notifications()
    assert not retry.ok
    [retry] = imported.retry_notifications()
    assert retry.ok
    assert imported.status()["queued_notices"] == 0
    assert imported.order("1001")["shipments"][0]["notified"] is True

    assert imported.retry_notifications() == []
    assert len(notices.received) == 3
    bodies = {body for _, body in notices.received}
    assert len(bodies) == 1, "every attempt sends the same notice"


def test_the_next_batch_sends_queued_updates_first(imported, notices):
    notices.answers = [500, 200]
    imported.ship(["1001"])
    imported.ship(["1002"])
    assert [q["order_number"] for q, _ in notices.received] == ["1001", "1001", "1002"]
    assert imported.status()["queued_notices"] == 0


def test_an_import_sends_queued_updates_first(imported, notices, inksoft):
    notices.answers = [500, 200]
    imported.ship(["1001"])
    inksoft.pages(feed(order("1001", {"OrderStatus": "Shipped"})))
    assert imported.refresh().ok
    assert imported.status()["queued_notices"] == 0
    assert imported.order("1001")["status"] == "shipped"


def eml_files(db_path: Path) -> list:
    outbox = db_path.parent / "outbox"
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(outbox.glob("*.eml"))
    ]


def test_shipment_emails_go_to_the_outbox_by_default(imported, notices, db_path):
    imported.update_settings(["branding.name=Eagle Prints", "branding.reply_to=help@eagle.test"])
    [result] = imported.ship(["1001"])
    assert result.emailed
    [message] = eml_files(db_path)
    assert message["To"] == "jane@example.com"
    assert "Eagle Prints" in message["From"]
    assert message["Reply-To"] == "help@eagle.test"
    assert result.tracking_number in message.get_body(("plain",)).get_content()
    [notice] = notices.accepted_bodies()
    assert notice.findtext("NotifyCustomer") == "false"


def test_with_shipment_emails_off_none_is_written_and_inksoft_is_asked_to(
    imported, notices, db_path
):
    imported.update_settings(["notifications.shipment_email=false"])
    [result] = imported.ship(["1001"])
    assert not result.emailed
    assert eml_files(db_path) == []
    [notice] = notices.accepted_bodies()
    assert notice.findtext("NotifyCustomer") == "true"


def test_delivery_is_recorded_and_emailed_when_enabled(imported, notices, db_path):
    imported.update_settings(["notifications.shipment_email=false"])
    [result] = imported.ship(["1001"])

    delivered = imported.deliver("1001")
    assert delivered == {
        "order_number": "1001",
        "delivered": [result.tracking_number],
        "emailed": True,
    }
    [message] = eml_files(db_path)
    assert "delivered" in message["Subject"]
    assert imported.order("1001")["shipments"][0]["delivered"] is True
    assert imported.deliver("1001")["delivered"] == [], "a delivery is recorded once"
    assert len(eml_files(db_path)) == 1


def test_with_delivery_emails_off_the_delivery_is_recorded_silently(imported, notices, db_path):
    imported.update_settings(
        ["notifications.shipment_email=false", "notifications.delivery_email=false"]
    )
    imported.ship(["1001"])
    assert imported.deliver("1001")["emailed"] is False
    assert eml_files(db_path) == []


def test_delivering_an_order_without_a_shipment_is_refused(imported):
    with pytest.raises(ConnectorError, match="1003 has no shipment"):
        imported.deliver("1003")


@pytest.fixture
def smtp():
    server = LocalSmtpServer().start()
    yield server
    server.stop()


def test_shipment_emails_go_through_smtp_when_configured(imported, notices, smtp, db_path):
    imported.update_settings(
        [
            "email.transport=smtp",
            "email.smtp_host=127.0.0.1",
            f"email.smtp_port={smtp.port}",
            "email.from=orders@eagle.test",
        ]
    )
    [result] = imported.ship(["1001"])
    assert result.emailed
    [message] = smtp.messages
    assert message["To"] == "jane@example.com"
    assert "orders@eagle.test" in message["From"]
    assert eml_files(db_path) == []


def test_an_unreachable_smtp_server_never_costs_the_label(imported, notices):
    imported.update_settings(
        ["email.transport=smtp", "email.smtp_host=127.0.0.1", "email.smtp_port=9"]
    )
    [result] = imported.ship(["1001"])
    assert result.ok and result.notified and not result.emailed


def test_a_shipment_that_cannot_be_recorded_fails_alone_and_its_label_is_discarded(
    imported, notices, db_path, monkeypatch
):
    record = imported.db.record_shipment

    def disk_full_for_1001(store_id, order_id, label, **kwargs):
        if label.order_number == "1001":
            raise sqlite3.OperationalError("database or disk is full")
        return record(store_id, order_id, label, **kwargs)

    monkeypatch.setattr(imported.db, "record_shipment", disk_full_for_1001)
    first, second = imported.ship(["1001", "1002"])

    assert (first.ok, first.tracking_number) == (False, None)
    assert "disk is full" in first.error and "nothing was sent to InkSoft" in first.error
    assert second.ok and second.notified
    assert [n.findtext("OrderNumber") for n in notices.accepted_bodies()] == ["1002"]
    assert [p.name for p in (db_path.parent / "labels").rglob("*.zpl")] == [
        Path(second.label_path).name
    ]
    assert imported.order("1001")["status"] == "awaiting_shipment"
