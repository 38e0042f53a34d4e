"""Customer e-mails: rendering, the .eml outbox, and SMTP against a real local server."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from connector.mail import (
    MailError,
    OutboxTransport,
    SmtpTransport,
    render_delivery_email,
    render_shipment_email,
)

NOW = datetime(2026, 3, 7, 16, 5, tzinfo=timezone.utc)
BRANDING = {"name": "Eagle Prints", "reply_to": "help@eagleprints.test"}
SENDER = "shipping@eagleprints.test"
PASSWORD = "s3cret-Pa55"


def an_order(**changes) -> dict:
    order = {
        "order_number": "1048231",
        "customer_email": "jane@example.com",
        "ship_to": {
            "name": "Jane Doe",
            "company": None,
            "street1": "12 Main St",
            "street2": "Apt 4",
            "city": "Austin",
            "state": "TX",
            "postal_code": "78701",
            "country": "US",
        },
        "items": [
            {
                "name": "Gildan 5000 Heavy Cotton Tee - Navy",
                "quantity": 2,
                "color": "Navy",
                "size": "L",
                "design": "Eagles Front Logo",
            },
            {"name": "Coupon SPRING10", "quantity": 1, "adjustment": True},
        ],
    }
    return order | changes


def a_shipment(**changes) -> dict:
    shipment = {
        "carrier": "UPS",
        "service": "UPS Ground",
        "tracking_number": "1Z999AA10123456784",
        "carrier_fee": "9.42",
        "notes_to_buyer": "Thanks for ordering!\nWash inside out, cold.",
    }
    return shipment | changes


def shipment_email(*, order=None, shipment=None, branding=BRANDING, **kwargs) -> EmailMessage:
    return render_shipment_email(
        branding=branding,
        order=order or an_order(),
        shipment=shipment or a_shipment(),
        sender=SENDER,
        **{"now": NOW} | kwargs,
    )


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def round_trip(message: EmailMessage) -> EmailMessage:
    return email.message_from_bytes(
        message.as_bytes(policy=email.policy.SMTP), policy=email.policy.default
    )


# --- Rendering --------------------------------------------------------------------------------


def test_shipment_email_headers():
    message = round_trip(shipment_email())
    assert message["Subject"] == "Your order 1048231 from Eagle Prints has shipped"
    assert message["From"].addresses[0].display_name == "Eagle Prints"
    assert message["From"].addresses[0].addr_spec == SENDER
    assert str(message["To"]) == "jane@example.com"
    assert str(message["Reply-To"]) == "help@eagleprints.test"
    assert message["Date"].datetime == NOW
    assert message["Date"] == format_datetime(NOW)
    assert re.fullmatch(
        r"<20260307160500\.shipment\.[0-9a-f]{16}@eagleprints\.test>", message["Message-ID"]
    )


def test_message_ids_are_deterministic_and_distinct():
    assert shipment_email()["Message-ID"] == shipment_email()["Message-ID"]
    later = shipment_email(now=NOW + timedelta(microseconds=1))
    assert later["Message-ID"] != shipment_email()["Message-ID"]
    other = shipment_email(shipment=a_shipment(tracking_number="1Z12345E6605272234"))
    assert other["Message-ID"] != shipment_email()["Message-ID"]
    assert shipment_email(message_id_domain="mail.test")["Message-ID"].endswith("@mail.test>")


def test_a_message_has_a_date_without_being_given_one():
    before = datetime.now(timezone.utc).replace(microsecond=0)
    message = render_shipment_email(
        branding=BRANDING, order=an_order(), shipment=a_shipment(), sender=SENDER
    )
    assert before <= message["Date"].datetime <= datetime.now(timezone.utc)


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        shipment_email(now=datetime(2026, 3, 7, 16, 5))


def test_text_and_html_alternatives():
    message = shipment_email()
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert all(part.get_content_charset() == "utf-8" for part in message.iter_parts())


@pytest.mark.parametrize("part", [text_of, html_of])
def test_the_body_gives_the_shipment_items_address_and_notes(part):
    body = part(shipment_email())
    for text in [
        "1048231",
        "UPS",
        "UPS Ground",
        "1Z999AA10123456784",
        "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        "Gildan 5000 Heavy Cotton Tee - Navy",
        "Eagles Front Logo",
        "Navy",
        "12 Main St",
        "Apt 4",
        "Austin, TX 78701",
        "Thanks for ordering!",
        "Wash inside out, cold.",
        "help@eagleprints.test",
    ]:
        assert text in body, text
    assert "Coupon SPRING10" not in body  # a discount line is not a shipped item
    assert "9.42" not in body  # the carrier fee is the shop's cost, not the customer's


def test_the_text_part_lists_each_item_s_details():
    text = text_of(shipment_email())
    assert "- 2 × Gildan 5000 Heavy Cotton Tee - Navy\n" in text
    assert "Design: Eagles Front Logo\n" in text
    assert "Colour: Navy\n" in text and "Size: L\n" in text


def test_the_html_part_lists_each_item_in_a_row():
    html = html_of(shipment_email())
    row = (
        "<tr><td>Gildan 5000 Heavy Cotton Tee - Navy</td><td>Eagles Front Logo</td>"
        '<td>Navy</td><td>L</td><td align="right">2</td></tr>'
    )
    assert row in html


@pytest.mark.parametrize(
    ("carrier", "number", "url"),
    [
        ("UPS", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784"),
        (
            "USPS",
            "9400111201080805483016",
            "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111201080805483016",
        ),
        ("FedEx", "986578788855", "https://www.fedex.com/fedextrack/?trknbr=986578788855"),
    ],
)
def test_a_tracking_link_per_carrier(carrier, number, url):
    message = shipment_email(shipment=a_shipment(carrier=carrier, tracking_number=number))
    assert url in text_of(message)
    assert f'<a href="{url}">{number}</a>' in html_of(message)


def test_a_carrier_without_a_tracking_page_gets_no_link():
    message = shipment_email(shipment=a_shipment(carrier="OnTrac", tracking_number="C1234567"))
    assert "C1234567" in text_of(message) and "Track your package" not in text_of(message)
    assert re.findall(r'href="([^"]*)"', html_of(message)) == ["mailto:help@eagleprints.test"]


def test_customer_text_is_escaped_in_the_html_only():
    order = an_order()
    order["ship_to"] = order["ship_to"] | {"name": "Tom & Jerry <script>alert(1)</script>"}
    order["items"] = [{"name": "Tee", "quantity": 1, "design": '"Eagles" <b>Front</b>'}]
    message = shipment_email(order=order, shipment=a_shipment(notes_to_buyer="<i>Thanks</i>"))
    html = html_of(message)
    assert "Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;Eagles&#34; &lt;b&gt;Front&lt;/b&gt;" in html
    assert "&lt;i&gt;Thanks&lt;/i&gt;" in html
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    text = text_of(message)
    assert "Tom & Jerry <script>alert(1)</script>" in text and "<i>Thanks</i>" in text


def test_no_notes_no_notes_section():
    message = shipment_email(shipment=a_shipment(notes_to_buyer=None))
    assert "A note from" not in text_of(message) and "A note from" not in html_of(message)


def test_no_reply_to_no_reply_to_header():
    message = shipment_email(branding={"name": "Eagle Prints", "reply_to": ""})
    assert "Reply-To" not in message
    assert "write to" not in text_of(message)


def test_a_minimal_order_renders():
    order = {"order_number": "7", "customer_email": "a@example.com"}
    message = shipment_email(order=order, shipment={"carrier": "FedEx", "tracking_number": "1"})
    assert "Tracking number: 1\n" in text_of(message)
    assert "Items" not in text_of(message) and "Shipping to" not in text_of(message)


def test_a_brand_with_accents_and_commas_survives_the_trip():
    message = round_trip(shipment_email(branding={"name": "Éagle Prints, Inc", "reply_to": ""}))
    assert message["From"].addresses[0].display_name == "Éagle Prints, Inc"
    assert message["Subject"] == "Your order 1048231 from Éagle Prints, Inc has shipped"


def test_line_breaks_cannot_inject_headers():
    branding = {"name": "Eagle\r\nBcc: victim@example.com", "reply_to": ""}
    message = round_trip(shipment_email(branding=branding, order=an_order(order_number="1\n2")))
    assert "Bcc" not in message
    assert message["Subject"] == "Your order 1 2 from Eagle Bcc: victim@example.com has shipped"


@pytest.mark.parametrize("missing", [{}, {"customer_email": None}, {"customer_email": "  "}])
def test_an_order_without_a_customer_email_is_an_error(missing):
    order = {k: v for k, v in an_order().items() if k != "customer_email"} | missing
    with pytest.raises(MailError, match="order 1048231 has no customer e-mail address"):
        shipment_email(order=order)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"order": an_order(customer_email="jane at example")}, "order 1048231's customer"),
        (
            {"order": an_order(customer_email="jane")},
            "'jane' is not valid: addr-spec local part with no domain",
        ),
        ({"branding": {"name": "Eagle", "reply_to": "help"}}, "reply-to address 'help'"),
    ],
)
def test_bad_addresses_are_errors(kwargs, message):
    with pytest.raises(MailError, match=re.escape(message)):
        shipment_email(**kwargs)


def test_a_bad_sender_is_an_error():
    with pytest.raises(MailError, match="there is no sender address"):
        render_shipment_email(branding=BRANDING, order=an_order(), shipment=a_shipment(), sender="")


def test_delivery_email():
    message = render_delivery_email(
        branding=BRANDING, order=an_order(), shipment=a_shipment(), sender=SENDER, now=NOW
    )
    assert message["Subject"] == "Your order 1048231 from Eagle Prints has been delivered"
    assert ".delivery." in message["Message-ID"]
    assert "has been delivered" in text_of(message) and "has been delivered" in html_of(message)
    assert "1Z999AA10123456784" in text_of(message) and "Austin, TX 78701" in text_of(message)
    assert message["Message-ID"] != shipment_email()["Message-ID"]


# --- Outbox -----------------------------------------------------------------------------------


def test_the_outbox_writes_a_parseable_eml(tmp_path):
    folder = tmp_path / "mail" / "outbox"
    path = OutboxTransport(folder).send(shipment_email())
    assert path.parent == folder
    assert re.fullmatch(r"20260307T160500Z-1048231-shipment-[0-9a-f]{8}\.eml", path.name)
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Your order 1048231 from Eagle Prints has shipped"
    assert str(message["To"]) == "jane@example.com"
    assert "1Z999AA10123456784" in text_of(message)
    assert "Eagle Prints" in html_of(message)


def test_outbox_names_are_unique_and_sort_in_time_order(tmp_path):
    outbox = OutboxTransport(tmp_path)
    first, again = outbox.send(shipment_email()), outbox.send(shipment_email())
    later = outbox.send(shipment_email(now=NOW + timedelta(seconds=1)))
    assert len({first, again, later}) == 3
    assert sorted([later, again, first])[-1] == later


def test_the_outbox_names_any_message_by_its_time(tmp_path):
    message = EmailMessage()
    message["Subject"] = "Hello"
    message.set_content("Hello")
    path = OutboxTransport(tmp_path).send(message)
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{8}\.eml", path.name)


def test_an_outbox_that_cannot_be_written_is_a_mail_error(tmp_path):
    blocker = tmp_path / "outbox"
    blocker.write_text("not a folder")
    with pytest.raises(MailError, match="cannot write the e-mail into the outbox"):
        OutboxTransport(blocker).send(shipment_email())


# --- SMTP -------------------------------------------------------------------------------------


class Collector:
    def __init__(self) -> None:
        self.envelopes = []
        self.logins = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append(auth_data.login.decode())
        # handled=False: aiosmtpd answers a refusal itself (535); True would leave it unanswered.
        return AuthResult(success=auth_data.password.decode() == PASSWORD, handled=False)


def free_port() -> int:
    # aiosmtpd 1.4's Controller connects to its own port to check it is up: port 0 cannot work.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(collector: Collector, **options) -> Controller:
    controller = Controller(collector, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()  # returns once the server answers
    return controller


@pytest.fixture
def smtp_server():
    collector = Collector()
    controller = serve(collector)
    yield controller, collector
    controller.stop()


@pytest.fixture
def smtp_server_with_auth():
    collector = Collector()
    controller = serve(
        collector,
        authenticator=collector.authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    yield controller, collector
    controller.stop()


def received(envelope) -> EmailMessage:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def test_smtp_delivers_the_message(smtp_server):
    controller, collector = smtp_server
    SmtpTransport(controller.hostname, controller.port).send(shipment_email())
    [envelope] = collector.envelopes
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == ["jane@example.com"]
    message = received(envelope)
    assert message["Subject"] == "Your order 1048231 from Eagle Prints has shipped"
    assert str(message["Reply-To"]) == "help@eagleprints.test"
    assert "1Z999AA10123456784" in text_of(message)
    assert "Tracking number" in html_of(message)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_logs_in_when_given_a_username(smtp_server_with_auth):
    controller, collector = smtp_server_with_auth
    transport = SmtpTransport(
        controller.hostname, controller.port, username="mailer", password=PASSWORD
    )
    transport.send(shipment_email())
    assert collector.logins == ["mailer"]
    assert len(collector.envelopes) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_wrong_password_is_a_mail_error_without_the_password(smtp_server_with_auth):
    controller, collector = smtp_server_with_auth
    wrong = "wr0ng-" + PASSWORD
    transport = SmtpTransport(controller.hostname, controller.port, username="u", password=wrong)
    with pytest.raises(MailError) as caught:
        transport.send(shipment_email())
    message = str(caught.value)
    assert message.startswith(f"cannot send the e-mail through 127.0.0.1:{controller.port}: ")
    assert "535" in message
    assert wrong not in message
    assert collector.envelopes == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_sending_without_logging_in_where_required_is_a_mail_error(smtp_server_with_auth):
    controller, _ = smtp_server_with_auth
    with pytest.raises(MailError, match="530"):
        SmtpTransport(controller.hostname, controller.port).send(shipment_email())


def test_starttls_a_server_does_not_offer_is_a_mail_error(smtp_server):
    controller, collector = smtp_server
    transport = SmtpTransport(controller.hostname, controller.port, starttls=True)
    with pytest.raises(MailError, match="STARTTLS extension not supported"):
        transport.send(shipment_email())
    assert collector.envelopes == []


def test_a_refused_connection_is_a_mail_error_without_the_password():
    port = free_port()  # nothing listens there any more
    transport = SmtpTransport("127.0.0.1", port, username="mailer", password=PASSWORD, timeout=2)
    with pytest.raises(MailError) as caught:
        transport.send(shipment_email())
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message and "refused" in message.lower()
    assert PASSWORD not in message
    assert PASSWORD not in repr(transport)


def test_an_unresponsive_server_times_out_as_a_mail_error():
    with socket.socket() as silent:  # accepts connections (backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        transport = SmtpTransport("127.0.0.1", port, timeout=0.05)
        with pytest.raises(MailError, match=rf"127\.0\.0\.1:{port}: .*timed out"):
            transport.send(shipment_email())
