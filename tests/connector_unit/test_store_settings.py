"""Store settings (B07): defaults, dotted keys, validation, persistence, secrets masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import Clock

from connector import Connector, UsageError
from connector.settings import DEFAULT_SERVICE_MAPPING, carrier_service


def test_b07_changes_persist_across_connectors(connected: Connector, db_path: Path, clock: Clock):
    connected.update_settings(
        [
            "branding.name=Eagle Prints & Co.",
            "branding.reply_to=help@eagleprints.test",
            "notifications.shipment_email=false",
            "notifications.delivery_email=no",
            "products.create_from_sku=off",
            "products.fill_missing=0",
        ]
    )
    connected.close()
    with Connector(db_path, clock=clock, env={}) as reopened:
        settings = reopened.settings()
    assert settings["branding"] == {
        "name": "Eagle Prints & Co.",
        "reply_to": "help@eagleprints.test",
    }
    assert settings["notifications"] == {"shipment_email": False, "delivery_email": False}
    assert settings["products"] == {"create_from_sku": False, "fill_missing": False}


def test_update_returns_the_new_settings(connected: Connector):
    settings = connected.update_settings(["import.initial_days=3", "email.smtp_starttls=yes"])
    assert settings["import"]["initial_days"] == 3
    assert settings["email"]["smtp_starttls"] is True


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("branding.colour=blue", "Unknown setting 'branding.colour'"),
        ("branding", "Write a setting as KEY=VALUE, not 'branding'"),
        (
            "notifications.shipment_email=maybe",
            "notifications.shipment_email must be true or false, not 'maybe'",
        ),
        ("email.smtp_port=http", "email.smtp_port must be a whole number, not 'http'"),
        ("email.smtp_port=70000", "email.smtp_port must be from 1 to 65535"),
        ("import.initial_days=0", "import.initial_days must be from 1 to 3650"),
        ("email.transport=pigeon", "email.transport must be one of outbox, smtp"),
        ("branding.reply_to=not an address", "branding.reply_to must be an e-mail address"),
        ("service_mapping.default=UPS", "must be CARRIER/SERVICE"),
        ("service_mapping.UPS Ground=/Ground", "must be CARRIER/SERVICE"),
        ("service_mapping.=UPS/UPS Ground", "Name the requested service"),
        ("service_mapping.default=UPS/UPS Teleport", "must name a known carrier and service"),
        ("service_mapping.Rush=Pigeon/Pigeon Air", "must name a known carrier and service"),
    ],
)
def test_bad_settings_are_refused_by_name(connected: Connector, assignment: str, message: str):
    with pytest.raises(UsageError) as raised:
        connected.update_settings([assignment])
    assert message in str(raised.value)


def test_a_refused_change_changes_nothing(connected: Connector):
    with pytest.raises(UsageError):
        connected.update_settings(["branding.name=New name", "branding.colour=blue"])
    assert connected.settings()["branding"]["name"] == "Eagle Prints"


def test_status_mapping_is_a_case_sensitive_list(connected: Connector):
    settings = connected.update_settings(
        ["status_mapping.on_hold=On Hold, Awaiting Artwork,  awaiting artwork ,On Hold"]
    )
    assert settings["status_mapping"]["on_hold"] == [
        "On Hold",
        "Awaiting Artwork",
        "awaiting artwork",
    ]


def test_one_inksoft_status_cannot_map_to_two_statuses(connected: Connector):
    with pytest.raises(UsageError, match="'Open' is mapped to both awaiting_shipment and on_hold"):
        connected.update_settings(["status_mapping.on_hold=On Hold, Open"])


def test_a_status_can_move_in_one_change(connected: Connector):
    settings = connected.update_settings(
        ["status_mapping.awaiting_shipment=Ready to Ship", "status_mapping.on_hold=On Hold, Open"]
    )
    assert settings["status_mapping"]["on_hold"] == ["On Hold", "Open"]


def test_service_mapping_entries_can_be_added_and_removed(connected: Connector):
    settings = connected.update_settings(
        ["service_mapping.Rush Delivery=FedEx/FedEx 2Day", "service_mapping.UPS Ground="]
    )
    assert settings["service_mapping"]["Rush Delivery"] == "FedEx/FedEx 2Day"
    assert "UPS Ground" not in settings["service_mapping"]
    assert settings["service_mapping"]["default"] == "USPS/USPS Priority Mail"


def test_the_smtp_password_is_encrypted_and_masked(connected: Connector, db_path: Path):
    settings = connected.update_settings(["email.smtp_password=Smtp-S3cret!"])
    assert settings["email"]["smtp_password"] == "********"
    row = connected.store()
    assert connected.effective_settings(row, reveal=True)["email.smtp_password"] == "Smtp-S3cret!"
    connected.close()
    for path in db_path.parent.iterdir():
        assert b"Smtp-S3cret!" not in path.read_bytes(), path.name


def test_an_unset_smtp_password_shows_empty(connected: Connector):
    assert connected.settings()["email"]["smtp_password"] == ""


def test_the_branding_name_follows_the_store_name_until_set(connected: Connector, inksoft):
    inksoft.pages(b"")
    connected.connect("http://inksoft.test", "ops", "pw", 20002, name="Eagle Prints 2")
    assert connected.settings()["branding"]["name"] == "Eagle Prints 2"


def test_every_default_service_mapping_names_a_known_service():
    for target in DEFAULT_SERVICE_MAPPING.values():
        assert carrier_service(target) == target
