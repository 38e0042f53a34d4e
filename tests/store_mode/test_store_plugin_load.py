"""The store plugin loads in every pytest run: loading it must not load the HTTP client and
the probes (requests, lxml, safexml), which only store mode and the store scenarios use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "requests",
    "lxml",
    "safexml",
    "inksoft_testkit.storecheck.client",
    "inksoft_testkit.storecheck.probes",
)
PROBE = """
import json, sys
import inksoft_testkit.plugin, inksoft_testkit.storecheck.pytest_plugin
print(json.dumps(sorted(name for name in sys.argv[1:] if name in sys.modules)))
"""


@pytest.mark.slow
def test_loading_the_plugins_leaves_the_client_and_probes_unloaded():
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout) == []


def test_the_package_still_gives_the_client_and_probe_names():
    from inksoft_testkit import storecheck
    from inksoft_testkit.storecheck import client, probes

    assert storecheck.StoreClient is client.StoreClient
    assert storecheck.PROBES is probes.PROBES
