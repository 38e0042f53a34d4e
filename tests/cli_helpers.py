"""Running ``inksoft-connector``: in process through ``main(argv)``, or as the installed
command in a subprocess; interrupting a command as a terminal's Ctrl-C does; and making files
read-only even for root."""

from __future__ import annotations

import io
import logging
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from connector.cli import main

PYTHON = sys.executable
# the console script pip installed next to the interpreter, as a user runs it
INSTALLED_COMMAND = str(Path(PYTHON).with_name("inksoft-connector"))
NOBODY = 65534


def private_folder_above(path: Path) -> Path | None:
    """The first folder above ``path`` that other users may not enter, if any (tox makes its
    ``.tox`` so): a command there cannot run as nobody."""
    return next((f for f in path.parents if not f.stat().st_mode & stat.S_IXOTH), None)


def ctrl_c_reaches_python() -> None:
    """A ``preexec_fn`` for a command a test interrupts as a terminal's Ctrl-C would: SIGINT at
    its default, as a terminal's foreground job has it. A suite started as a background job
    (``... &`` in a script, ``nohup``, some CI runners) runs with SIGINT ignored, its children
    inherit that, and Python then keeps ignoring SIGINT, as a background job should."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Run:
    """``run(*argv)``: the command line in process with ``env`` as the environment, stdin,
    stdout and stderr captured; ``run.process(*argv)``: the same in a subprocess of the installed
    command. Either way, never a traceback."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def command(self, argv: Sequence[str], as_nobody: bool = False) -> list[str]:
        command = [INSTALLED_COMMAND, *argv]
        if as_nobody:
            ids = (f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
            command = ["setpriv", *ids, *command]
        return command

    def __call__(
        self, *argv: str, input: str | None = None, extra: Sequence[str] = ()
    ) -> subprocess.CompletedProcess[str]:
        out, err = io.StringIO(), io.StringIO()
        args = [*argv, *extra]
        with (
            environment(self.env),
            stdin(input or ""),
            shown_warnings(err),
            redirect_stdout(out),
            redirect_stderr(err),
        ):
            code = main(args)
        assert_no_traceback(out.getvalue(), err.getvalue())
        return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())

    def process(self, *argv: str, as_nobody: bool = False) -> subprocess.CompletedProcess[str]:
        """The installed command in a subprocess, for what only a real process shows."""
        env = self.env
        if as_nobody:  # the suite's bytecode cache is its user's alone: nobody would compile
            env = {k: v for k, v in env.items() if k != "PYTHONPYCACHEPREFIX"}  # every module
            env["PYTHONDONTWRITEBYTECODE"] = "1"  # the installed bytecode instead, read-only
        done = subprocess.run(
            self.command(argv, as_nobody),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert_no_traceback(done.stdout, done.stderr)
        return done

    def start(self, *argv: str, **popen: Any) -> subprocess.Popen[str]:
        popen.setdefault("stdout", subprocess.PIPE)
        return subprocess.Popen(
            self.command(argv),
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
            **popen,
        )

    def finish(self, process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
        out, err = process.communicate(timeout=120)
        assert_no_traceback(out or "", err or "")
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def assert_no_traceback(out: str, err: str) -> None:
    assert "Traceback" not in out + err, err


@contextmanager
def environment(env: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` is ``env`` for the block (only the differing names change)."""
    saved = dict(os.environ)
    for name in saved.keys() - env.keys():
        del os.environ[name]
    os.environ.update(env)
    try:
        yield
    finally:
        for name in os.environ.keys() - saved.keys():
            del os.environ[name]
        os.environ.update(saved)


@contextmanager
def stdin(text: str) -> Iterator[None]:
    saved, sys.stdin = sys.stdin, io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


@contextmanager
def shown_warnings(err: io.StringIO) -> Iterator[None]:
    """Warnings logged during the block written to ``err`` as a process without logging
    configured shows them (``logging.lastResort``: the message alone); the root logger as
    it was afterwards (``-v`` may configure it)."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    handler = logging.StreamHandler(err)
    handler.setLevel(logging.WARNING)
    root.addHandler(handler)
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` (a file or a folder) read-only for the block.

    Root ignores file modes, so as root the file is made immutable (``chattr +i``), which binds
    root too; otherwise its write bits are cleared.
    """
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(mode & ~0o222)
    try:
        yield
    finally:
        path.chmod(mode)
