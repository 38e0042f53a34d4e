"""What the journal keeps of a store request besides the request itself: the fault it took,
the body as read, the notice it carried and the warnings about it. Handlers fill it in as they
go; the store blueprint's after-request hook reads it."""

from __future__ import annotations

from dataclasses import dataclass, field

from mock_inksoft.context import current_request
from mock_inksoft.models import Fault, ShipNotice

FUTURE_TOLERANCE_MINUTES = 5  # clocks drift: a date this far ahead is not yet suspicious
_EXPLANATION = "mock_inksoft.explanation"  # where the request's WSGI environ keeps it


@dataclass
class Explanation:
    fault: Fault | None = None  # the queued fault the request took
    body: bytes | None = None  # None: the handler did not read the body
    notice: ShipNotice | None = None
    warnings: list[str] = field(default_factory=list)


def explanation(environ: dict | None = None) -> Explanation:
    """The explanation of the request of ``environ`` (by default the current request's), made
    on first use."""
    if environ is None:
        environ = current_request().environ
    found = environ.get(_EXPLANATION)
    if found is None:
        found = environ[_EXPLANATION] = Explanation()
    return found


def warn(message: str) -> None:
    explanation().warnings.append(message)
