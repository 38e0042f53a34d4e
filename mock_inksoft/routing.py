"""URL rules whose URL builders are compiled when first used.

Werkzeug compiles two Python functions per rule when the rule is added (to build its URLs,
``url_for``), some 60 for the mock's routes: most of the time ``create_app`` takes, paid again
by every app a test makes and by ``mock-inksoft serve`` before it listens. Most apps never
build most of those URLs (the store endpoint and the control API build none), so each builder
is compiled on its first use instead, by Werkzeug's own code: the URLs are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    """A :class:`~werkzeug.routing.Rule` whose URL builders are compiled on first use."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compile_builder = super()._compile_builder
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_first(rule: LazyBuilderRule, **values: Any) -> tuple[str, str]:
            builder = compile_builder(append_unknown).__get__(rule, None)
            setattr(rule, attribute, builder)  # later calls go straight to it
            return builder(**values)

        return build_first
