"""What the journal keeps of a store request besides the request itself: the body as read,
the notice it carried and the warnings about it. Handlers fill it in as they go; the store
blueprint's after-request hook reads it."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import g

from mock_inksoft.models import ShipNotice

FUTURE_TOLERANCE_MINUTES = 5  # clocks drift: a date this far ahead is not yet suspicious


@dataclass
class Explanation:
    body: bytes | None = None  # None: the handler did not read the body
    notice: ShipNotice | None = None
    warnings: list[str] = field(default_factory=list)


def explanation() -> Explanation:
    """The current request's explanation (made on first use)."""
    if "explanation" not in g:
        g.explanation = Explanation()
    return g.explanation


def warn(message: str) -> None:
    explanation().warnings.append(message)
