"""Reading control-API JSON: typed fields, and errors that name the field at fault."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, overload

from mock_inksoft.dates import parse_iso


class ControlError(ValueError):
    """A malformed control request: what is wrong, and with which field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field} {problem}")
        self.field = field


def at(path: str, key: str | int) -> str:
    """The dotted name of ``key`` inside ``path``: ``customer.ship_to``, ``items[0]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def publisher_id(value: Any, field: str) -> int:
    """A Publisher ID given as a JSON number or a numeric string."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ControlError(field, "must be a positive number (a JSON number or a numeric string)")


class Reader:
    """One JSON object of a control request, read field by field.

    A field that is absent and a field that is ``null`` read the same: ``None``, or an error
    when the field is required.
    """

    def __init__(self, data: Any, path: str, allowed: tuple[str, ...] | frozenset[str]) -> None:
        if not isinstance(data, dict):
            raise ControlError(path or "body", "must be a JSON object")
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            raise ControlError(at(path, unknown[0]), "is not a known field")
        self.data = data
        self.path = path

    def field(self, key: str) -> str:
        return at(self.path, key)

    def has(self, key: str) -> bool:
        return key in self.data

    def _value(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            raise ControlError(self.field(key), "is required")
        return value

    @overload
    def text(self, key: str, *, required: Literal[True], nonblank: bool = False) -> str: ...
    @overload
    def text(self, key: str, *, required: bool = False, nonblank: bool = False) -> str | None: ...
    def text(self, key: str, *, required: bool = False, nonblank: bool = False) -> str | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ControlError(self.field(key), "must be a string")
        if nonblank and not value.strip():
            raise ControlError(self.field(key), "must not be blank")
        return value

    @overload
    def identifier(self, key: str, *, required: Literal[True] = True) -> str: ...
    @overload
    def identifier(self, key: str, *, required: bool) -> str | None: ...
    def identifier(self, key: str, *, required: bool = True) -> str | None:
        """A non-blank string, also accepted as a whole JSON number."""
        value = self._value(key, required)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return self.text(key, required=required, nonblank=True)

    @overload
    def number(
        self, key: str, *, required: Literal[True], minimum: float | None = None
    ) -> float: ...
    @overload
    def number(
        self, key: str, *, required: bool = False, minimum: float | None = None
    ) -> float | None: ...
    def number(
        self, key: str, *, required: bool = False, minimum: float | None = None
    ) -> float | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not is_number(value):
            raise ControlError(self.field(key), "must be a number")
        if minimum is not None and value < minimum:
            raise ControlError(self.field(key), f"must be at least {minimum:g}")
        return float(value)

    @overload
    def integer(
        self,
        key: str,
        *,
        required: Literal[True],
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int: ...
    @overload
    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None: ...
    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = self._value(key, required)
        if value is None:
            return None
        if is_number(value) and float(value).is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ControlError(self.field(key), "must be a whole number")
        if minimum is not None and value < minimum:
            raise ControlError(self.field(key), f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise ControlError(self.field(key), f"must be at most {maximum}")
        return value

    def boolean(self, key: str, *, required: bool = False) -> bool | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise ControlError(self.field(key), "must be true or false")
        return value

    def timestamp(self, key: str) -> datetime:
        value = self.text(key, required=True)
        try:
            return parse_iso(value)
        except ValueError:
            raise ControlError(self.field(key), "must be an ISO 8601 date and time") from None

    @overload
    def choice(self, key: str, choices: tuple[str, ...], *, required: Literal[True]) -> str: ...
    @overload
    def choice(
        self, key: str, choices: tuple[str, ...], *, required: bool = False
    ) -> str | None: ...
    def choice(self, key: str, choices: tuple[str, ...], *, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        if value is not None and value not in choices:
            raise ControlError(self.field(key), f"must be one of {', '.join(choices)}")
        return value

    def publisher_id(self, key: str, *, default: int | None = None) -> int:
        value = self.data.get(key)
        if value is None:
            if default is None:
                raise ControlError(self.field(key), "is required")
            return default
        return publisher_id(value, self.field(key))

    def object(self, key: str, allowed: tuple[str, ...]) -> Reader | None:
        value = self.data.get(key)
        return None if value is None else Reader(value, self.field(key), allowed)

    def required_object(self, key: str, allowed: tuple[str, ...]) -> Reader:
        return Reader(self._value(key, True), self.field(key), allowed)

    def objects(
        self, key: str, allowed: tuple[str, ...], *, required: bool = False
    ) -> list[Reader]:
        """A list of JSON objects (``null`` reads as an empty list unless required)."""
        value = self._value(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ControlError(self.field(key), "must be a list")
        return [Reader(entry, at(self.field(key), i), allowed) for i, entry in enumerate(value)]

    def texts(self, key: str) -> list[str]:
        """A list of strings (``null`` reads as an empty list)."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ControlError(self.field(key), "must be a list of strings")
        return list(value)
