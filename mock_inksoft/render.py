"""XML from Jinja2 templates: compiled once per process, each order's fragment rendered once
per revision by each app.

Autoescaped, ``StrictUndefined``; free text goes through the ``cdata`` filter.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from mock_inksoft.dates import format_feed_datetime
from mock_inksoft.models import Order

# What XML 1.0 allows: tab, newline, carriage return and the planes minus surrogates and FFFE/F.
_ILLEGAL_XML_CHARS = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def cdata(value: object) -> Markup:
    """``value`` as CDATA: ``]]>`` split across two sections, a carriage return kept as a
    character reference (a parser would fold it into a newline), illegal characters dropped."""
    if value is None:
        raise TypeError("cdata of None: guard optional elements in the template")
    text = _ILLEGAL_XML_CHARS.sub("", str(value))
    text = text.replace("]]>", "]]]]><![CDATA[>").replace("\r", "]]>&#13;<![CDATA[")
    return Markup(f"<![CDATA[{text}]]>")  # noqa: S704 - the text cannot close the section


def money(amount: float) -> str:
    return f"{amount:.2f}"


def number(value: float) -> str:
    """A weight as plain text: ``6.1``, ``180``."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def feed_datetime(moment: datetime) -> str:
    return format_feed_datetime(moment)


def xml_bool(value: bool) -> str:
    return "true" if value else "false"


@functools.cache
def _xml_templates() -> tuple[Template, Template, Template]:
    """The export, order and error templates, compiled once per process: every app's renderer
    uses them (a template holds no state of its own; each renderer keeps its own caches)."""
    env = Environment(
        loader=PackageLoader("mock_inksoft", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cdata=cdata, money=money, number=number, feed_datetime=feed_datetime, xml_bool=xml_bool
    )
    return (
        env.get_template("orders.xml"),
        env.get_template("order.xml"),
        env.get_template("error.xml"),
    )


# The fragment cache took the export from 33 to 120 pages/s and the byte-joined wrappers from
# 3.87 to 0.18 ms per page (`python -m bench.export_rendering`; docs/benchmarks.md, "What was
# profiled and changed", items 3 and 4).
FRAGMENT_CACHE_SIZE = 20_000  # about 75 MB of rendered orders at most
WRAPPER_CACHE_SIZE = 1_000
ANSWER_CACHE_BYTES = 64 * 1024 * 1024  # about 170 pages of 100 orders


class Renderer:
    """The store endpoint's XML documents."""

    def __init__(self) -> None:
        self._orders, self._order, self._error = _xml_templates()
        self._fragments: dict[int, bytes] = {}
        self._wrappers: dict[tuple[str, int], bytes] = {}

    def orders(self, orders: list[Order], pages: int) -> bytes:
        """The export document: its head, each order's fragment, its tail."""
        if not orders:
            return self._wrapper("empty", pages)
        fragments = [self._fragment(order) for order in orders]
        return b"".join([self._wrapper("head", pages), *fragments, self._wrapper("tail", pages)])

    def _wrapper(self, part: str, pages: int) -> bytes:
        """The ``head``, ``tail`` or ``empty`` part of the export document (kept once made)."""
        wrapper = self._wrappers.get((part, pages))
        if wrapper is None:
            context = self._orders.new_context({"pages": pages})
            wrapper = "".join(self._orders.blocks[part](context)).encode("utf-8")
            if len(self._wrappers) >= WRAPPER_CACHE_SIZE:
                self._wrappers.clear()
            self._wrappers[(part, pages)] = wrapper
        return wrapper

    def _fragment(self, order: Order) -> bytes:
        """One order's ``<Order>``, rendered once per stored revision (a bounded cache)."""
        cached = self._fragments.get(order.revision) if order.revision else None
        if cached is None:
            cached = self._order.render(order=order).encode("utf-8")
            if order.revision:
                if len(self._fragments) >= FRAGMENT_CACHE_SIZE:
                    self._fragments.clear()
                self._fragments[order.revision] = cached
        return cached

    def error(self, code: str, message: str) -> bytes:
        return self._error.render(code=code, message=message).encode("utf-8")


class AnswerCache:
    """Whole answers as bytes, by what determines them, each kept with the version of the
    state it was made at and served only while that version is current (the least recently
    served go first past ``limit`` bytes). Any thread may use it."""

    def __init__(self, limit: int = ANSWER_CACHE_BYTES) -> None:
        self._limit = limit
        self._size = 0
        self._answers: OrderedDict[Hashable, tuple[int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: int) -> bytes | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None or found[0] != version:
                return None
            self._answers.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, version: int, answer: bytes) -> None:
        if len(answer) > self._limit:
            return
        with self._lock:
            replaced = self._answers.pop(key, None)
            if replaced is not None:
                self._size -= len(replaced[1])
            self._answers[key] = (version, answer)
            self._size += len(answer)
            while self._size > self._limit:
                _, (_, dropped) = self._answers.popitem(last=False)
                self._size -= len(dropped)
