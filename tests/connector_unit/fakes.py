"""The connector's unit-test doubles: a fixed clock and the store endpoint faked with ``responses``.

Imported by name (``from fakes import …``), never through ``conftest``, whose module name
several test folders share.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import responses

URL = "http://inksoft.test"
PUBLISHER_ID = 20002
ENDPOINT = f"{URL}/{PUBLISHER_ID}/shipstation"
USERNAME = "ops"
PASSWORD = "s3cret-Pass-9931"


class Clock:
    """The connector's clock, fixed until a test moves it."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


class FakeInkSoft:
    """The store endpoint, answered by ``responses``: register answers, read the requests."""

    def __init__(self, http: responses.RequestsMock) -> None:
        self.http = http

    def pages(self, *bodies: bytes) -> None:
        """Answer the export with ``bodies[page - 1]`` (the last one past the end)."""

        def answer(request):
            page = int(parse_qs(urlsplit(request.url).query).get("page", ["1"])[0])
            return (
                200,
                {"Content-Type": "text/xml; charset=utf-8"},
                bodies[min(page, len(bodies)) - 1],
            )

        self.http.add_callback(responses.GET, ENDPOINT, callback=answer)

    def error(self, status: int, code: str, message: str = "refused", **headers: str) -> None:
        body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        self.http.get(ENDPOINT, status=status, body=body, headers=headers)

    @property
    def queries(self) -> list[dict[str, str]]:
        """The query parameters of every request made, in order."""
        return [
            {key: values[0] for key, values in parse_qs(urlsplit(call.request.url).query).items()}
            for call in self.http.calls
        ]

    def pages_asked(self) -> list[int]:
        return [int(query.get("page", "1")) for query in self.queries]
