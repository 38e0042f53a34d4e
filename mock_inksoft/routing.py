"""URL rules whose URL builders are compiled when first used, and whose paths are parsed once
per process.

Werkzeug compiles two Python functions per rule when the rule is added (to build its URLs,
``url_for``), some 60 for the mock's routes: most of the time ``create_app`` takes, paid again
by every app a test makes and by ``mock-inksoft serve`` before it listens. Most apps never
build most of those URLs (the store endpoint and the control API build none), so each builder
is compiled on its first use instead, by Werkzeug's own code: the URLs are the same.

Parsing each rule's path into the parts the matcher walks was most of what remained. The parse
depends only on the path, the map's converters and the slash and host options, so Werkzeug's
parse of a rule is kept for the process, and a rule of a later app with the same key gets new
objects made from it (its own parts, trace and converters bound to its own map): apps share
no state, only what the parse found.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from werkzeug.routing import Rule
from werkzeug.routing.converters import BaseConverter
from werkzeug.routing.rules import RulePart


@dataclass(frozen=True)
class _ConverterCall:
    """One ``get_converter`` call of a parse: the argument it converts and how."""

    variable: str
    converter: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class _Parse:
    """What Werkzeug's ``compile`` found in a rule, apart from the objects bound to a map."""

    parts: tuple[RulePart, ...]
    trace: tuple[tuple[bool, str], ...]
    converters: tuple[_ConverterCall, ...]


_PARSES: dict[Hashable, _Parse] = {}
_PARSES_LOCK = threading.Lock()


class LazyBuilderRule(Rule):
    """A :class:`~werkzeug.routing.Rule` whose URL builders are compiled on first use and whose
    path is parsed once per process."""

    _calls: list[_ConverterCall] | None = None

    def compile(self) -> None:
        key = self._parse_key()
        parse = _PARSES.get(key)
        if parse is None:
            self._calls = []
            try:
                super().compile()
                parse = _Parse(tuple(self._parts), tuple(self._trace), tuple(self._calls))
            finally:
                self._calls = None
            with _PARSES_LOCK:
                _PARSES.setdefault(key, parse)
            return
        self._parts = [
            RulePart(part.content, part.final, part.static, part.suffixed, part.weight)
            for part in parse.parts
        ]
        self._trace = list(parse.trace)
        self._converters = {}
        for call in parse.converters:
            converter = self.get_converter(
                call.variable, call.converter, call.args, dict(call.kwargs)
            )
            self._converters[call.variable] = converter
            self.arguments.add(call.variable)
        self._build = self._compile_builder(False).__get__(self, None)
        self._build_unknown = self._compile_builder(True).__get__(self, None)

    def _parse_key(self) -> Hashable:
        """Everything Werkzeug's parse of this rule depends on."""
        assert self.map is not None, "rule not bound"
        converters = tuple(sorted(self.map.converters.items()))
        return (
            self.rule,
            self.map.host_matching,
            self.host,
            self.subdomain,
            self.merge_slashes,
            converters,
        )

    def get_converter(
        self,
        variable_name: str,
        converter_name: str,
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
    ) -> BaseConverter:
        if self._calls is not None:
            call = _ConverterCall(
                variable_name, converter_name, tuple(args), tuple(sorted(kwargs.items()))
            )
            self._calls.append(call)
        return super().get_converter(variable_name, converter_name, args, kwargs)

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compile_builder = super()._compile_builder
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_first(rule: LazyBuilderRule, **values: Any) -> tuple[str, str]:
            builder = compile_builder(append_unknown).__get__(rule, None)
            setattr(rule, attribute, builder)  # later calls go straight to it
            return builder(**values)

        return build_first
