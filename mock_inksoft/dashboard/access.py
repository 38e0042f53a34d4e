"""Who may use the dashboard: no form posted from another site, and the admin token when one
is configured (as the JSON API's header, or once as ``?token=`` on a GET, which sets an
HttpOnly cookie that later pages and forms carry)."""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from flask import Response, redirect, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from mock_inksoft.admin import ADMIN_PREFIX, require_admin_token
from mock_inksoft.context import current_mock, with_allow

TOKEN_COOKIE = "mock_inksoft_admin_token"  # noqa: S105 - a cookie name


def guard() -> BaseResponse | None:
    """Before every dashboard request: refuse a form posted from another site, then check the
    admin token. None lets the request through."""
    if request.method == "POST" and _cross_site():
        return error_page(403, "A form from another site cannot drive this dashboard.")
    if request.endpoint == "dashboard.static_file":
        return None  # the stylesheet holds no secret, and styles the token page too
    return _require_token()


def _cross_site() -> bool:
    """Whether the browser says the request comes from another origin (another port too)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and origin != request.host_url.rstrip("/")


def _require_token() -> BaseResponse | None:
    """None when no token is configured or the request carries it (header or cookie); a
    redirect setting the cookie for a GET with the right ``?token=``; else a 401 page."""
    token = current_mock().admin_token
    if token is None or require_admin_token() is None:
        return None
    if _same(request.cookies.get(TOKEN_COOKIE), token):
        return None
    given = request.args.get("token")
    if given is not None and request.method == "GET" and _same(given, token):
        response = redirect(_url_without_token(), 303)
        response.set_cookie(TOKEN_COOKIE, token, path=ADMIN_PREFIX, httponly=True, samesite="Lax")
        return response
    wrong = "That is not the admin token." if given is not None else None
    response = Response(render_template("dashboard/token.html", wrong=wrong), 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="mock InkSoft control API"'
    return response


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _url_without_token() -> str:
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
    return request.path + (f"?{urlencode(kept)}" if kept else "")


def error_page(status: int, message: str) -> Response:
    return Response(render_template("dashboard/error.html", status=status, message=message), status)


def http_error(error: HTTPException) -> Response:
    return with_allow(error, error_page(error.code or 500, error.description or error.name))
