"""``mock-inksoft serve``: the mock InkSoft on waitress, bound to 127.0.0.1 unless told."""

from __future__ import annotations

import argparse
import contextlib
import errno
import ipaddress
import signal
import sys
from collections.abc import Callable
from dataclasses import fields

from mock_inksoft.app import create_app
from mock_inksoft.config import CONFIG_KEYS, DefaultAccount, MockConfig, Settings
from mock_inksoft.server import DEFAULT_THREADS, MockServer

USAGE_ERROR = 2
LOOPBACK_NAMES = ("localhost",)


def _whole_number(low: int, high: int | None, meaning: str) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` (to ``high``), else a message saying so."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            upper = f" to {high}" if high is not None else ""
            raise argparse.ArgumentTypeError(
                f"{text!r} is not {meaning}: give a whole number from {low}{upper}"
            )
        return value

    return parse


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``), which only this machine
    reaches."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-inksoft", description="A mock InkSoft store feed for ShipStation."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the store endpoint and the control API")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port",
        type=_whole_number(0, 65535, "a port"),
        default=8080,
        help="port, 1 to 65535 (default 8080; 0: any free port)",
    )
    serve.add_argument(
        "--seed",
        type=_whole_number(0, None, "a seed"),
        default=0,
        help="Faker seed of --orders (default 0)",
    )
    serve.add_argument(
        "--orders",
        type=_whole_number(0, None, "a number of orders"),
        default=0,
        help="Faker orders to start with; a reset brings them back (default 0)",
    )
    for account_field in fields(DefaultAccount):
        _option(serve, account_field.name, account_field.default, account_field.metadata["help"])
    for setting in fields(Settings):
        rule = setting.metadata["rule"]
        _option(serve, setting.name, setting.default, rule.help, rule.choices or None)
    serve.add_argument("--admin-token", help="require this token on the control API")
    serve.add_argument(
        "--allow-remote-admin",
        action="store_true",
        help="serve the control API on a non-loopback --host without --admin-token",
    )
    serve.add_argument(
        "--threads",
        type=_whole_number(1, None, "a thread count"),
        default=DEFAULT_THREADS,
        help=f"worker threads, at least 1 (default {DEFAULT_THREADS})",
    )
    return parser


def _option(
    parser: argparse.ArgumentParser,
    name: str,
    default: object,
    help: str,
    choices: tuple[str, ...] | None = None,
) -> None:
    """``--name`` for a field of the mock's config, typed and defaulted as the field is."""
    option = f"--{name.replace('_', '-')}"
    parser.add_argument(
        option,
        type=type(default),
        default=default,
        choices=choices,
        help=f"{help} (default %(default)s)",
    )


def mock_config(args: argparse.Namespace) -> MockConfig:
    """The config ``serve``'s options give; :class:`ValueError` names a bad one."""
    return MockConfig.from_mapping({k: v for k, v in vars(args).items() if k in CONFIG_KEYS})


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return serve(args)


def _fail(message: str) -> int:
    print(f"mock-inksoft: {message}", file=sys.stderr)
    return USAGE_ERROR


def serve(args: argparse.Namespace) -> int:
    remote = not is_loopback(args.host)
    if remote and not args.admin_token and not args.allow_remote_admin:
        return _fail(
            f"--host {args.host} opens the control API (/__admin/: reset, accounts, orders) to "
            "the network; give --admin-token TOKEN, or --allow-remote-admin to open it anyway"
        )
    if remote and not args.admin_token:
        print(
            f"mock-inksoft: warning: the control API on {args.host} takes requests from the "
            "network without a token (--allow-remote-admin)",
            file=sys.stderr,
        )
    try:
        app = create_app(mock_config(args))
        server = MockServer(app, args.host, args.port, threads=args.threads)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return _fail(f"port {args.port} on {args.host} is already in use")
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    except ValueError as exc:
        return _fail(str(exc))
    print(f"Mock InkSoft store endpoint: {server.url}/{args.publisher_id}/shipstation")
    print(f"Control API: {server.url}/__admin/")
    print(f"Account: Publisher ID {args.publisher_id}, user {args.username}. Ctrl-C stops.")
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    print("Mock InkSoft stopped.")
    return 0
