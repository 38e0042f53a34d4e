"""Serving the mock with waitress: a real threaded WSGI server that stops on demand and can
reset a connection (for the ``reset`` fault).

Waitress gives a WSGI app no socket. The ``reset`` fault therefore raises
:class:`~mock_inksoft.faults.ConnectionResetByFault` out of the app; this module's waitress
task catches it, sets ``SO_LINGER`` to 0 on the connection's socket and lets waitress close
the channel without a byte of answer, so the kernel sends a TCP RST and the client sees
``ConnectionResetError``.

A large answer (an export page is about 376 KB) is sent from its own bytes: waitress would
copy it into its output buffer and copy it out again chunk by chunk, under the GIL.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
from dataclasses import dataclass
from typing import Any

from waitress import wasyncore
from waitress.buffers import OverflowableBuffer
from waitress.channel import ClientDisconnected, HTTPChannel
from waitress.server import create_server
from waitress.task import WSGITask

from mock_inksoft.faults import ConnectionResetByFault, WsgiApp

ABORTIVE_LINGER = struct.pack("ii", 1, 0)  # linger on, zero seconds: close() sends RST
SENT_IN_PLACE = 64 * 1024  # answers from this size are sent from their own bytes
# Worker threads: with export answers cached, 4 and 8 answered export pages equally fast
# within the noise of alternating rounds, 2 more slowly (docs/benchmarks.md, issue 21); 8
# leaves room for requests a delay fault holds.
DEFAULT_THREADS = 8

log = logging.getLogger(__name__)


class _QueueLog:
    """Waitress warns each time a request waits for a free thread. A mock under a load test
    queues requests by design, so that news goes to this module's debug log instead of
    stderr on every request."""

    def warning(self, message: str, *args: object) -> None:
        log.debug(message, *args)


class _ResettingTask(WSGITask):
    def execute(self) -> None:
        try:
            super().execute()
        except ConnectionResetByFault:
            self.channel.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, ABORTIVE_LINGER)
            raise ClientDisconnected from None  # waitress closes the channel, answering nothing


class _BytesOutbuf:
    """One answer's bytes as an output buffer of waitress's channel, handed to the socket in
    slices of a memoryview: no copy in, no copy out."""

    def __init__(self, data: bytes) -> None:
        self._view = memoryview(data)
        self._sent = 0

    def __len__(self) -> int:
        return len(self._view) - self._sent

    def get(self, numbytes: int = -1, skip: bool = False) -> memoryview:
        end = len(self._view) if numbytes < 0 else self._sent + numbytes
        chunk = self._view[self._sent : end]
        if skip:
            self._sent += len(chunk)
        return chunk

    def skip(self, numbytes: int, allow_prune: bool = False) -> None:
        self._sent += numbytes

    def close(self) -> None:
        self._sent = len(self._view)


class _ResettingChannel(HTTPChannel):
    task_class = _ResettingTask

    def write_soon(self, data: bytes) -> int:
        """As waitress's, but a large ``data`` becomes an output buffer of its own (as a
        ``wsgi.file_wrapper`` does), followed by a fresh one for what comes next."""
        if not isinstance(data, bytes) or len(data) < SENT_IN_PLACE:
            return int(super().write_soon(data))
        if not self.connected:
            raise ClientDisconnected
        with self.outbuf_lock:
            self._flush_outbufs_below_high_watermark()
            if not self.connected:
                raise ClientDisconnected
            self.outbufs.append(_BytesOutbuf(data))
            self.outbufs.append(OverflowableBuffer(self.adj.outbuf_overflow))
            self.current_outbuf_count = 0
            self.total_outbufs_len += len(data)
            flushed, exception = self._flush_exception(self._flush_some, do_close=False)
            if exception or not flushed or self.total_outbufs_len >= self.adj.send_bytes:
                self.server.pull_trigger()
        return len(data)


class MockServer:
    """A waitress server for a WSGI app, bound at construction (``OSError`` if it cannot)."""

    def __init__(
        self, app: WsgiApp, host: str = "127.0.0.1", port: int = 0, threads: int = DEFAULT_THREADS
    ):
        self._map: dict[int, Any] = {}
        self._server = create_server(
            app, map=self._map, host=host, port=port, threads=threads, ident="mock-inksoft"
        )
        if not hasattr(self._server, "effective_port"):
            self._close()
            raise ValueError(f"{host!r} names several addresses: give one IP address")
        self._server.channel_class = _ResettingChannel
        self._server.task_dispatcher.queue_logger = _QueueLog()
        self.host = host
        self.port = int(self._server.effective_port)
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve until :meth:`stop` (from another thread or a signal handler), then clean up."""
        try:
            while not self._stopping.is_set():
                wasyncore.loop(
                    timeout=self._server.adj.asyncore_loop_timeout,
                    map=self._map,
                    use_poll=True,
                    count=1,
                )
        finally:
            self._close()

    def stop(self) -> None:
        """Ask the loop to stop. Pulling the trigger wakes it at once; a trigger found closed
        (``EBADF``: seen once in CI after a browser test, its cause not found) must not fail
        the stop, since the loop sees the request within its poll timeout anyway."""
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._server.pull_trigger()

    def _close(self) -> None:
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        wasyncore.close_all(self._map)


@dataclass
class ServerHandle:
    """A mock served from a background thread."""

    url: str
    port: int
    _server: MockServer
    _thread: threading.Thread

    def stop(self, timeout: float = 10) -> None:
        self._server.stop()
        self._thread.join(timeout)


def serve_in_thread(
    app: WsgiApp, host: str = "127.0.0.1", port: int = 0, threads: int = DEFAULT_THREADS
) -> ServerHandle:
    """Serve ``app`` from a daemon thread (port 0: an ephemeral one). It is listening on
    return; poll ``/__admin/health`` to know it answers."""
    server = MockServer(app, host, port, threads)
    thread = threading.Thread(target=server.serve_forever, name="mock-inksoft", daemon=True)
    thread.start()
    return ServerHandle(url=server.url, port=server.port, _server=server, _thread=thread)
