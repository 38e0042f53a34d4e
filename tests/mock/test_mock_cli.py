"""``mock-inksoft serve``: as a real process it prints its URLs, serves, stops cleanly on a signal;
its options and refusals are checked through ``main`` in process."""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from cli_helpers import ctrl_c_reaches_python
from mock_support import AUTH, export_params, order_numbers, wait_until_healthy

from mock_inksoft.cli import build_parser, main, mock_config
from mock_inksoft.config import MockConfig, Settings
from mock_inksoft.server import MockServer


@contextmanager
def serving(*options: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """``mock-inksoft serve --port 0 …`` and the base URL it printed; killed if left running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_inksoft", "serve", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_reaches_python,
    )
    try:
        banner = process.stdout.readline()
        match = re.fullmatch(
            r"Mock InkSoft store endpoint: (http://127\.0\.0\.1:\d+)/(\d+)/shipstation\n", banner
        )
        assert match, banner + process.stderr.read()
        yield process, match[1]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def stop(process: subprocess.Popen, how: signal.Signals) -> tuple[int, str]:
    process.send_signal(how)
    output, _ = process.communicate(timeout=10)
    return process.returncode, output


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_prints_its_urls_serves_the_orders_and_stops_cleanly(how):
    """Also, in the same process (one start-up fewer): a reset returns to the orders serve
    started with, and deleting them empties the export."""
    with serving("--orders", "25", "--seed", "7") as (process, url):
        assert process.stdout.readline() == f"Control API: {url}/__admin/\n"
        wait_until_healthy(url)
        response = requests.get(
            f"{url}/10001/shipstation", params=export_params(), auth=AUTH, timeout=5
        )
        assert len(order_numbers(response.content)) == 25
        reset_returns_to_the_orders_serve_started_with_and_delete_empties_them(url, 25)
        returncode, output = stop(process, how)
    assert returncode == 0
    assert "stopped" in output


def test_serve_takes_the_account_and_settings_from_its_options(monkeypatch, capsys):
    """In process (the signal tests above run the real one): ``main`` serves from this thread
    while another checks what it serves, then stops it as its SIGTERM handler would."""
    options = [
        "--publisher-id",
        "20002",
        "--username",
        "ops",
        "--password",
        "pw",
        "--page-size",
        "2",
    ]
    options += ["--empty-export", "valid", "--admin-token", "t0ken", "--port", "0"]
    servers: queue.Queue[MockServer] = queue.Queue()

    class Recorded(MockServer):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            servers.put(self)

    def check(server: MockServer) -> None:
        wait_until_healthy(server.url)
        endpoint = f"{server.url}/20002/shipstation"
        empty = requests.get(endpoint, params=export_params(), auth=("ops", "pw"), timeout=5)
        assert empty.content.endswith(b'<Orders pages="0"/>\n')
        assert requests.get(f"{server.url}/__admin/settings", timeout=5).status_code == 401
        settings = requests.get(
            f"{server.url}/__admin/settings", headers={"X-Admin-Token": "t0ken"}, timeout=5
        )
        assert settings.json()["page_size"] == 2

    failures: list[BaseException] = []

    def drive() -> None:
        server = servers.get(timeout=30)
        try:
            check(server)
        except BaseException as failure:  # re-raised in the test's thread
            failures.append(failure)
        finally:
            server.stop()

    monkeypatch.setattr("mock_inksoft.cli.MockServer", Recorded)
    driver = threading.Thread(target=drive, daemon=True)
    driver.start()
    handler = signal.getsignal(signal.SIGTERM)
    try:
        code = main(["serve", *options])
    finally:
        signal.signal(signal.SIGTERM, handler)
    driver.join(30)
    if failures:
        raise failures[0]
    assert not driver.is_alive()
    assert code == 0
    out = capsys.readouterr().out
    assert re.match(
        r"Mock InkSoft store endpoint: http://127\.0\.0\.1:\d+/20002/shipstation\n", out
    )
    assert "user ops" in out and out.endswith("Mock InkSoft stopped.\n")


@pytest.mark.slow
def test_a_port_in_use_fails_loudly_with_exit_status_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "mock_inksoft", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert result.stderr == f"mock-inksoft: port {port} on 127.0.0.1 is already in use\n"
    assert result.stdout == ""


def test_bad_options_fail_with_exit_status_2(capsys):
    assert main(["serve", "--page-size", "0"]) == 2
    assert "page_size must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        main(["serve", "--empty-export", "sometimes"])
    assert raised.value.code == 2


def test_serve_binds_loopback_on_8080_by_default():
    options = build_parser().parse_args(["serve"])
    assert (options.host, options.port, options.threads) == ("127.0.0.1", 8080, 8)
    assert (options.publisher_id, options.username, options.password) == (
        10001,
        "demo",
        "demo-password",
    )


def test_every_setting_is_an_option_of_serve():
    assert mock_config(build_parser().parse_args(["serve"])) == MockConfig()
    options = ["--page-size", "3", "--empty-export", "valid"]
    options += ["--max-body-bytes", "2048", "--journal-size", "9"]
    config = mock_config(build_parser().parse_args(["serve", *options]))
    assert config.settings == Settings(
        page_size=3, empty_export="valid", max_body_bytes=2048, journal_size=9
    )


@pytest.mark.parametrize(
    ("options", "complaint"),
    [
        (["--port", "70000"], "'70000' is not a port: give a whole number from 0 to 65535"),
        (["--port", "-1"], "'-1' is not a port"),
        (["--port", "http"], "'http' is not a port"),
        (["--threads", "0"], "'0' is not a thread count: give a whole number from 1"),
        (["--orders", "-5"], "'-5' is not a number of orders"),
    ],
)
def test_out_of_range_numbers_are_refused_before_serving(capsys, options, complaint):
    with pytest.raises(SystemExit) as raised:
        main(["serve", *options])
    assert raised.value.code == 2
    assert complaint in capsys.readouterr().err


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.test"])  # noqa: S104
def test_a_non_loopback_host_without_a_token_is_refused(capsys, host):
    assert main(["serve", "--host", host, "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert f"--host {host} opens the control API" in error
    assert "--admin-token" in error and "--allow-remote-admin" in error


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
def test_loopback_hosts_need_no_token(host):
    from mock_inksoft.cli import is_loopback

    assert is_loopback(host)


def test_allow_remote_admin_lifts_the_refusal_with_a_warning(capsys):
    # 192.0.2.10 (TEST-NET-1) is no address of this machine: the bind fails after the check,
    # so nothing is ever opened to the network by this test
    assert main(["serve", "--host", "192.0.2.10", "--port", "0", "--allow-remote-admin"]) == 2
    warning, failure = capsys.readouterr().err.splitlines()
    assert warning == (
        "mock-inksoft: warning: the control API on 192.0.2.10 takes requests from the network "
        "without a token (--allow-remote-admin)"
    )
    assert failure.startswith("mock-inksoft: cannot listen on 192.0.2.10:0")


def test_a_remote_host_with_a_token_is_not_refused_and_not_warned_about(capsys):
    assert main(["serve", "--host", "192.0.2.10", "--port", "0", "--admin-token", "T0k"]) == 2
    (failure,) = capsys.readouterr().err.splitlines()
    assert failure.startswith("mock-inksoft: cannot listen on 192.0.2.10:0")


def reset_returns_to_the_orders_serve_started_with_and_delete_empties_them(
    url: str, count: int
) -> None:
    """Checked by the signal test above on the process it serves, before stopping it."""
    started = requests.get(f"{url}/__admin/orders", timeout=5).json()["orders"]
    assert len(started) == count
    requests.post(f"{url}/__admin/orders/generate", json={"count": 2, "seed": 1}, timeout=5)
    requests.post(f"{url}/__admin/reset", timeout=5).raise_for_status()
    assert requests.get(f"{url}/__admin/orders", timeout=5).json()["orders"] == started
    assert requests.delete(f"{url}/__admin/orders", timeout=5).json() == {"orders": []}
    response = requests.get(
        f"{url}/10001/shipstation", params=export_params(), auth=AUTH, timeout=5
    )
    assert (response.status_code, response.content) == (200, b"")
