"""What the journal reads of a request: its headers as Werkzeug lists them, secrets redacted,
and its body however it is framed."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from mock_support import AUTH, ENDPOINT, export_params
from werkzeug import Request
from werkzeug.test import EnvironBuilder

from mock_inksoft.credentials import REDACTED, SECRET_HEADERS, redacted_headers


def werkzeug_listing_redacted(request: Request) -> dict[str, str]:
    """The reference: Werkzeug's own listing of the headers, each secret one redacted."""
    listed = {}
    for name, value in request.headers.items():
        if name.lower() == "authorization" and " " in value.strip(" ") and value.partition(" ")[2]:
            value = f"{value.partition(' ')[0]} {REDACTED}"
        elif name.lower() in SECRET_HEADERS:
            value = REDACTED
        listed[name] = value
    return listed


@pytest.mark.parametrize(
    ("headers", "extra_environ"),
    [
        ({"Authorization": "Basic ZGVtbzpkZW1v", "User-Agent": "ua", "Accept": "*/*"}, {}),
        ({"Authorization": "Bearer", "X-Admin-Token": "t", "Cookie": "session=1"}, {}),
        ({"SS-UserName": "demo", "SS-Password": "", "X-Empty": ""}, {}),
        ({"authorization": "basic abc def", "x-lower_case": "v"}, {}),
        ({}, {"CONTENT_TYPE": "", "CONTENT_LENGTH": ""}),
        ({}, {"CONTENT_TYPE": "text/xml", "CONTENT_LENGTH": "12", "HTTP_CONTENT_TYPE": "x"}),
        ({"Transfer-Encoding": "chunked"}, {"HTTP_CONTENT_LENGTH": "3", "wsgi.x_y": "z"}),
    ],
)
def test_the_headers_are_werkzeugs_listing_with_secrets_redacted(headers, extra_environ):
    environ = EnvironBuilder(path="/10001/shipstation", headers=headers).get_environ()
    environ.update(extra_environ)
    request = Request(environ)
    journalled = redacted_headers(request)
    expected = werkzeug_listing_redacted(request)
    assert journalled == expected
    assert list(journalled) == list(expected)  # in the same order


@pytest.mark.parametrize(
    ("framing", "body", "journalled"),
    [
        ({}, None, ""),
        ({"Content-Length": "0"}, b"", ""),
        ({"Content-Length": "7"}, b"<Note/>", "<Note/>"),
        # a server that passes a chunked body on as it comes, its length unknown
        ({"Transfer-Encoding": "chunked"}, b"<Note>chunked</Note>", "<Note>chunked</Note>"),
    ],
)
def test_the_body_is_journalled_however_it_is_framed(
    client: FlaskClient, framing, body, journalled
):
    client.open(
        ENDPOINT,
        method="GET" if body is None else "POST",
        query_string=export_params(),
        auth=AUTH,
        headers=framing,
        input_stream=None if body is None else io.BytesIO(body),
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""}
        if "Transfer-Encoding" in framing
        else {},
    )
    (entry,) = client.get("/__admin/requests").json["requests"]
    assert (entry["body"], entry["body_bytes"]) == (journalled, len(journalled))
