"""The lock that keeps two syncs from writing at once: a file next to the state, held with
``flock`` and naming the process that holds it."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from sync.errors import SourceError


class LockBusy(Exception):
    """Another sync holds the lock."""


class Lock:
    """An exclusive lock next to the state file: two syncs never write at once."""

    def __init__(self, path: Path, wait: float) -> None:
        self.path = path
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> Lock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        except OSError as e:
            raise SourceError(
                "state", f"cannot create {self.path}: {e.strerror or e}; check [state].path"
            ) from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                    os.close(fd)
                    raise LockBusy(
                        f"another netweave sync is running (pid {holder or '?'}, lock {self.path});"
                        " it will finish on its own: run again later"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
