"""A real SMTP server on loopback that keeps what it receives (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalSmtpServer:
    """Start with :meth:`start`, read :attr:`messages`, stop with :meth:`stop`."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self._collector = _Collector()
        self.host = "127.0.0.1"
        self.port = _free_port()
        self._controller = Controller(self._collector, hostname=self.host, port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        with self._collector.lock:
            return list(self._collector.messages)

    def clear(self) -> None:
        with self._collector.lock:
            self._collector.messages.clear()

    def start(self) -> LocalSmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
