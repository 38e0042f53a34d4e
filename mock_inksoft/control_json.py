"""Accounts, settings and faults as the control API reads and writes them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from mock_inksoft.config import Settings
from mock_inksoft.fields import ControlError, Reader, at
from mock_inksoft.models import (
    FAULT_ACTIONS,
    FAULT_TYPES,
    FULFILLMENT_PERMISSION,
    Account,
    Fault,
    User,
)

ACCOUNT_FIELDS = ("publisher_id", "active", "users", "replace")
USER_FIELDS = ("username", "password", "permissions")
FAULT_FIELDS = (
    "type",
    "action",
    "order_number",
    "page",
    "times",
    "status",
    "retry_after",
    "body",
    "seconds",
)
FAULT_PARAMETERS = {
    "status": ("status", "retry_after", "body"),
    "delay": ("seconds",),
    "slow_body": ("seconds",),
}
MAX_FAULT_SECONDS = 10.0


def account_from_json(data: Any) -> tuple[Account, bool]:
    """The account, and whether it may replace an existing one (``"replace": true``). A user
    whose ``permissions`` are left out (or null) gets Store Fulfillment Administration."""
    account = Reader(data, "", ACCOUNT_FIELDS)
    users = [
        User(
            username=user.text("username", required=True, nonblank=True),
            password=user.text("password", required=True),
            permissions=user.texts("permissions")
            if user.data.get("permissions") is not None
            else [FULFILLMENT_PERMISSION],
        )
        for user in account.objects("users", USER_FIELDS)
    ]
    names = [user.username for user in users]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise ControlError(at(at("users", index), "username"), f"{name!r} is given twice")
    active = account.boolean("active")
    saved = Account(
        publisher_id=account.publisher_id("publisher_id"),
        active=True if active is None else active,
        users=users,
    )
    return saved, account.boolean("replace") or False


def account_to_json(account: Account) -> dict:
    """The account without its passwords."""
    return {
        "publisher_id": account.publisher_id,
        "active": account.active,
        "users": [
            {"username": user.username, "permissions": list(user.permissions)}
            for user in account.users
        ],
    }


def settings_to_json(settings: Settings) -> dict:
    return asdict(settings)


def fault_from_json(data: Any) -> Fault:
    fault = Reader(data, "", FAULT_FIELDS)
    kind = fault.choice("type", FAULT_TYPES, required=True)
    used = FAULT_PARAMETERS.get(kind, ())
    for name in ("status", "retry_after", "body", "seconds"):
        if fault.has(name) and name not in used:
            raise ControlError(name, f"is not a parameter of a {kind!r} fault")
    seconds = fault.number("seconds", required="seconds" in used, minimum=0)
    return Fault(
        type=kind,
        action=fault.choice("action", FAULT_ACTIONS) or "*",
        times=fault.integer("times", minimum=1) or 1,
        order_number=fault.identifier("order_number", required=False),
        page=fault.integer("page", minimum=1),
        status=fault.integer("status", required=kind == "status", minimum=200, maximum=599),
        retry_after=fault.integer("retry_after", minimum=0),
        body=fault.text("body"),
        seconds=None if seconds is None else min(seconds, MAX_FAULT_SECONDS),
    )


def fault_to_json(fault: Fault) -> dict:
    """The fault's matching fields and the parameters of its type."""
    answer = {
        "type": fault.type,
        "action": fault.action,
        "order_number": fault.order_number,
        "page": fault.page,
        "times": fault.times,
    }
    for name in FAULT_PARAMETERS.get(fault.type, ()):
        answer[name] = getattr(fault, name)
    return answer
