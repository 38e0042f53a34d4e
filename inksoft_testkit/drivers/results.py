"""What a refresh, a label batch and a retry of shipment updates answer, whatever the driver.

Each result reads the contract's JSON object (:meth:`from_dict`, extra keys ignored), so the
in-process driver and the command-line driver hand the steps the same shapes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


def known_fields(cls: type[T], data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return {key: value for key, value in data.items() if key in names}


@dataclass(frozen=True)
class Skipped:
    """An order a refresh did not import, with the reason's code and a sentence."""

    order_number: str
    reason: str
    message: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Skipped:
        return cls(str(data["order_number"]), data["reason"], data.get("message") or "")


@dataclass
class RefreshSummary:
    """What one refresh did. ``error`` is the store error as ShipStation words it."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    pages: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RefreshSummary:
        return cls(
            imported=[str(n) for n in data.get("imported", [])],
            updated=[str(n) for n in data.get("updated", [])],
            skipped=[Skipped.from_dict(s) for s in data.get("skipped", [])],
            pages=int(data.get("pages", 0)),
            error=data.get("error"),
        )


@dataclass
class ShipResult:
    """One order's outcome in a label batch."""

    order_number: str
    ok: bool
    carrier: str | None = None
    service: str | None = None
    tracking_number: str | None = None
    carrier_fee: float | None = None
    label_path: str | None = None
    notified: bool = False
    emailed: bool = False
    error: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShipResult:
        fields = known_fields(cls, data)
        fields["order_number"] = str(fields["order_number"])
        return cls(**fields)


@dataclass
class NoticeResult:
    """One queued shipment update sent again."""

    order_number: str
    tracking_number: str
    ok: bool
    error: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NoticeResult:
        fields = known_fields(cls, data)
        fields["order_number"] = str(fields["order_number"])
        return cls(**fields)
