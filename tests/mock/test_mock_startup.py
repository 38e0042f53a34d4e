"""What ``mock-inksoft serve`` does before its first healthy answer (``python -m bench.startup``
times it): no Faker loaded (importing it took longer than the rest of the start-up; it comes
with the first order generated; a fresh process tells, since this suite has long loaded Faker),
and no URL builder compiled (each is compiled on its first use, building the same URLs)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from werkzeug.routing import Map, Rule
from werkzeug.routing.converters import NumberConverter

from mock_inksoft import create_app
from mock_inksoft.routing import LazyBuilderRule

PROBE = r"""
import io, json, os, re, signal, sys, threading, urllib.request
from mock_inksoft.cli import main

class Banner(io.StringIO):
    # what serve prints; url is set once the banner names the endpoint
    url = None
    printed = threading.Event()

    def write(self, text):
        super().write(text)
        if found := re.search(r"(http://\S+?)/\d+/shipstation", self.getvalue()):
            self.url = found.group(1)
            self.printed.set()
        return len(text)

banner = Banner()
loaded = {}

def drive():
    banner.printed.wait(30)
    url = banner.url
    loaded["health"] = urllib.request.urlopen(url + "/__admin/health", timeout=10).status
    loaded["faker at health"] = "faker" in sys.modules
    generate = urllib.request.Request(
        url + "/__admin/orders/generate", data=b'{"count": 2, "seed": 1}', method="POST",
        headers={"Content-Type": "application/json"},
    )
    loaded["generated"] = urllib.request.urlopen(generate, timeout=30).status
    loaded["faker after generating"] = "faker" in sys.modules
    os.kill(os.getpid(), signal.SIGTERM)

threading.Thread(target=drive, daemon=True).start()
real_stdout, sys.stdout = sys.stdout, banner
code = main(["serve", "--port", "0"])
sys.stdout = real_stdout
print(json.dumps({"code": code, **loaded}))
"""


@pytest.mark.slow
def test_serve_answers_health_without_loading_faker_until_orders_are_generated():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "code": 0,
        "health": 200,
        "faker at health": False,
        "generated": 201,
        "faker after generating": True,
    }


def test_urls_built_by_the_lazily_compiled_rules_are_werkzeugs_own():
    app = create_app()
    rules = [rule for rule in app.url_map.iter_rules() if isinstance(rule, LazyBuilderRule)]
    assert len(rules) == len(list(app.url_map.iter_rules())) > 30
    assert all(compiled(rule) == (False, False) for rule in rules)
    eager = Map(
        [Rule(r.rule, endpoint=r.endpoint, methods=r.methods, defaults=r.defaults) for r in rules]
    ).bind("mock.test")
    lazy = app.url_map.bind("mock.test")
    for rule in rules:
        for values in (
            dict.fromkeys(rule.arguments, "7"),
            {**{name: sample(rule, name) for name in rule.arguments}, "page": "2", "q": "x&y"},
        ):
            for absolute, unknown in [(False, True), (True, True), (False, False)]:
                options = {"force_external": absolute, "append_unknown": unknown}
                expected = eager.build(rule.endpoint, values, **options)
                assert lazy.build(rule.endpoint, values, **options) == expected
    assert all(compiled(rule) == (True, True) for rule in rules)


def compiled(rule: LazyBuilderRule) -> tuple[bool, bool]:
    """Whether the rule's two builders (without and with unknown values) are compiled yet."""
    return tuple(getattr(rule, name).__name__ != "build_first" for name in BUILDERS)


BUILDERS = ("_build", "_build_unknown")


def sample(rule: LazyBuilderRule, name: str) -> str:
    """A value of the rule's argument that needs quoting, where its converter takes text."""
    return "12" if isinstance(rule._converters[name], NumberConverter) else "a b/ü?"
