"""Running ``inksoft-connector`` in a subprocess, and making files read-only even for root."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PYTHON = sys.executable
NOBODY = 65534


class Run:
    """``run(*argv)``: the command line in a subprocess with ``env``; never a traceback."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def command(self, argv: Sequence[str], as_nobody: bool = False) -> list[str]:
        command = [PYTHON, "-m", "connector", *argv]
        if as_nobody:
            ids = (f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
            command = ["setpriv", *ids, *command]
        return command

    def __call__(
        self,
        *argv: str,
        input: str | None = None,
        extra: Sequence[str] = (),
        as_nobody: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self.command([*argv, *extra], as_nobody),
            input=input,
            capture_output=True,
            text=True,
            env=self.env,
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
