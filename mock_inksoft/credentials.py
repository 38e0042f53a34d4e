"""Credentials as ShipStation sends them, and what never goes into the journal."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote_plus

from werkzeug import Request
from werkzeug.datastructures import Authorization

from mock_inksoft.models import Account, User

USERNAME_PARAM = "SS-UserName"
PASSWORD_PARAM = "SS-Password"  # noqa: S105 - a parameter name
REDACTED = "***"
SECRET_HEADERS = frozenset({"authorization", "ss-password", "x-admin-token", "cookie"})
_NO_PASSWORD = b"\0" * 32  # compared against when the user is unknown, to spend the same time
MIN_REDACTED_LENGTH = 4  # a shorter password is not searched for in a body (it would mangle it)
_SECRET_NAME = r"[\w.-]*(?:password|passwd|secret|token|api[_-]?key)[\w.-]*"  # noqa: S105 - a pattern of names
_SECRETS_IN_TEXT = (
    # XML elements, JSON members and form or query fields whose name says they hold a secret
    re.compile(rf"(<({_SECRET_NAME})(?:\s[^>]*)?>)([^<]*)(</\2\s*>)", re.IGNORECASE),
    re.compile(rf'("{_SECRET_NAME}"\s*:\s*")((?:[^"\\]|\\.)*)(")', re.IGNORECASE),
    re.compile(rf"((?:^|[&?;\s]){_SECRET_NAME}=)([^&;\s]*)()", re.IGNORECASE),
)


_FOUND_CREDENTIALS = "mock_inksoft.credentials"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    form: str  # "basic", "query" or "header"


def presented_credentials(request: Request) -> Credentials | None:
    """HTTP Basic first, then the ``SS-UserName``/``SS-Password`` query parameters, then the
    request headers of the same names; None when the request carries none."""
    found = every_credentials(request)
    return found[0] if found else None


def every_credentials(request: Request) -> list[Credentials]:
    """All the credentials a request carries, in the order :func:`presented_credentials`
    prefers them (read once per request: the checks and the journal entry each ask)."""
    found = request.environ.get(_FOUND_CREDENTIALS)
    if found is None:
        found = request.environ[_FOUND_CREDENTIALS] = _read_credentials(request)
    return list(found)


def _read_credentials(request: Request) -> list[Credentials]:
    found = []
    basic = _basic_credentials(request.headers.get("Authorization"))
    if basic is not None:
        found.append(basic)
    for form, source in (("query", request.args), ("header", request.headers)):
        username = source.get(USERNAME_PARAM)
        if username is not None:
            found.append(Credentials(username, source.get(PASSWORD_PARAM, ""), form))
    return found


@lru_cache(maxsize=256)  # a client sends the same header again and again
def _basic_credentials(header: str | None) -> Credentials | None:
    """The HTTP Basic credentials of an ``Authorization`` header (as ``request.authorization``
    reads it), or None."""
    auth = Authorization.from_header(header)
    if auth is not None and auth.type == "basic" and auth.username is not None:
        return Credentials(auth.username, auth.password or "", "basic")
    return None


def authenticate(account: Account, credentials: Credentials) -> User | None:
    """The account's user these credentials belong to, or None (compared in constant time)."""
    user = account.user(credentials.username)
    expected = user.password.encode() if user else _NO_PASSWORD
    if hmac.compare_digest(credentials.password.encode(), expected) and user is not None:
        return user
    return None


@lru_cache(maxsize=256)  # a client asks for the same pages again and again
def redacted_query(query: str) -> str:
    """The raw query string with the password's value replaced by ``***``."""
    parts = []
    for part in query.split("&") if query else []:
        name, _, _ = part.partition("=")
        if _means(name, PASSWORD_PARAM):
            part = f"{name}={REDACTED}"
        parts.append(part)
    return "&".join(parts)


def _means(raw_name: str, name: str) -> bool:
    """Whether a query parameter's raw name is ``name`` (in any case) once decoded."""
    if "%" in raw_name or "+" in raw_name:
        raw_name = unquote_plus(raw_name)
    return raw_name.lower() == name.lower()


def redacted_headers(request: Request) -> dict[str, str]:
    """The request headers, secrets replaced by ``***`` (the auth scheme is kept)."""
    headers = {}
    for name, value in request.headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme, _, secret = value.partition(" ")
            value = (
                f"{scheme} {REDACTED}" if secret and name.lower() == "authorization" else REDACTED
            )
        headers[name] = value
    return headers


def redacted_body(body: bytes, passwords: list[str]) -> str:
    """A request body as text for the journal: the passwords the request presented, and the
    value of every field named like a secret (``<Password>``, ``"token": …``, ``SS-Password=``),
    replaced by ``***``."""
    text = body.decode("utf-8", errors="replace")
    for password in sorted(set(passwords), key=len, reverse=True):
        if len(password) >= MIN_REDACTED_LENGTH:
            text = text.replace(password, REDACTED)
    for pattern in _SECRETS_IN_TEXT:
        text = pattern.sub(_redact_match, text)
    return text


def _redact_match(match: re.Match[str]) -> str:
    groups = match.groups()
    return f"{groups[0]}{REDACTED}{groups[-1]}"
