"""What ``mock-inksoft serve`` loads before its first healthy answer: no Faker (importing it
takes longer than the rest of the start-up; ``python -m bench.startup`` times it). Faker comes
with the first order generated. A fresh process, since this suite has long loaded Faker."""

from __future__ import annotations

import json
import subprocess
import sys

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
