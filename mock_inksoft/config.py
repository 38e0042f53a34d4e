"""The mock's configuration and its defaults, in one place (no Flask in here).

:class:`DefaultAccount` is the account a mock starts with, :class:`Settings` what
``/__admin/settings`` reads and changes, :class:`MockConfig` what ``create_app`` accepts. The
control API, ``mock-inksoft serve``'s options, the test kit and the tests all read these, so
adding a setting is one field of :class:`Settings` (with its rule).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from mock_inksoft.dates import utc_now
from mock_inksoft.fields import Reader, publisher_id

EMPTY_EXPORT_MODES = ("quirk", "valid")


@dataclass(frozen=True)
class Rule:
    """What a setting may hold, and the words that describe it."""

    help: str
    minimum: int | None = None
    choices: tuple[str, ...] = ()


def _setting(default: Any, help: str, **rule: Any) -> Any:
    return field(default=default, metadata={"rule": Rule(help, **rule)})


@dataclass(frozen=True)
class Settings:
    """The mock's behaviour that the control API can change; a reset restores the configured
    values. Frozen: a change makes new settings, so readers share them without a copy."""

    page_size: int = _setting(100, "orders per export page", minimum=1)
    empty_export: str = _setting(
        "quirk",
        'an empty window: InkSoft\'s empty body (quirk) or <Orders pages="0"/> (valid)',
        choices=EMPTY_EXPORT_MODES,
    )
    max_body_bytes: int = _setting(
        1_048_576, "the largest request body the store endpoint takes", minimum=1
    )
    journal_size: int = _setting(500, "how many requests the journal keeps", minimum=1)


SETTINGS_FIELDS = tuple(f.name for f in fields(Settings))


def settings_changes(data: Any) -> dict[str, Any]:
    """The settings a JSON object changes (any subset of them), each checked against its rule;
    :class:`~mock_inksoft.fields.ControlError` names the first one that is wrong."""
    reader = Reader(data, "", SETTINGS_FIELDS)
    changes: dict[str, Any] = {}
    for setting in fields(Settings):
        name, rule = setting.name, setting.metadata["rule"]
        if not reader.has(name):
            continue
        if rule.choices:
            changes[name] = reader.choice(name, rule.choices, required=True)
        else:
            changes[name] = reader.integer(name, required=True, minimum=rule.minimum)
    return changes


@dataclass(frozen=True)
class DefaultAccount:
    """The account a mock starts with and a reset restores: one user, who has the Store
    Fulfillment Administration permission."""

    publisher_id: int = field(default=10001, metadata={"help": "the account's Publisher ID"})
    username: str = field(default="demo", metadata={"help": "the account's user"})
    password: str = field(
        default="demo-password",
        metadata={"help": "that user's password"},
    )


DEFAULT_ACCOUNT = DefaultAccount()
DEFAULT_ACCOUNT_FIELDS = tuple(f.name for f in fields(DefaultAccount))


@dataclass(frozen=True)
class MockConfig:
    """What ``create_app`` accepts. As a mapping its keys are flat: these fields but
    ``account`` and ``settings``, plus the fields of :class:`DefaultAccount` and
    :class:`Settings`."""

    clock: Callable[[], datetime] = utc_now  # () -> aware UTC datetime
    admin_token: str | None = None
    account: DefaultAccount = DEFAULT_ACCOUNT
    settings: Settings = field(default_factory=Settings)
    orders: int = 0  # Faker orders generated at start (a reset removes them)
    seed: int = 0

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> MockConfig:
        """The config a flat mapping gives; a bad key or value raises :class:`ValueError`
        naming it."""
        unknown = sorted(set(config) - set(CONFIG_KEYS))
        if unknown:
            raise ValueError(f"unknown mock InkSoft config keys: {', '.join(unknown)}")
        options = {key: config[key] for key in OPTION_KEYS if key in config}
        if not callable(options.get("clock", utc_now)):
            raise ValueError("config['clock'] must be a callable returning an aware UTC datetime")
        for key in ("orders", "seed"):
            value = options.get(key, 0)
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"config[{key!r}] must be a whole number from 0")
        account = {key: config[key] for key in DEFAULT_ACCOUNT_FIELDS if key in config}
        if "publisher_id" in account:
            account["publisher_id"] = publisher_id(account["publisher_id"], "publisher_id")
        settings = settings_changes({k: config[k] for k in SETTINGS_FIELDS if k in config})
        return cls(
            account=replace(DEFAULT_ACCOUNT, **account), settings=Settings(**settings), **options
        )


OPTION_KEYS = tuple(f.name for f in fields(MockConfig) if f.name not in ("account", "settings"))
CONFIG_KEYS = OPTION_KEYS + DEFAULT_ACCOUNT_FIELDS + SETTINGS_FIELDS
