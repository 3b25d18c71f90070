"""Files written whole or not at all: the agenda export and each event file of a vdir."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from sync.errors import SourceError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same folder, fsync, rename.

    An existing file keeps its permissions; a new file is private (0600). On failure (disk full,
    read-only folder...) the old file is left intact, the temp file removed, and
    :class:`SourceError` names the path and the reason. A file that already holds exactly
    ``data`` is left alone (no write, no fsync: a sync that changed nothing touches nothing).
    """
    path = Path(path)
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    tmp: str | None = None
    try:
        try:
            mode: int | None = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if mode is not None:
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SourceError(str(path), f"cannot write {path}: {reason}") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
