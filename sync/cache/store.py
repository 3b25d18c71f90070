"""The on-disk format of one cache entry, and reading and writing it.

An entry is ``MAGIC``, the length of a small header, the header (key, body length and CRC,
then the caller's fields) and the body (the rows), both in :mod:`marshal` format: plain tuples
of str/int/bool/None, which loads several times faster than JSON and never runs code (no
pickle). The header is read alone first: a key that does not match costs nothing more, and the
body is loaded only when its rows are used. A damaged or foreign entry is a miss, never an
error; a failed write only costs speed.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any

from sync.cache import rows as _rows
from sync.collector import paused
from sync.model import Contact, Problem
from sync.sources.base import ContactsResult

#: Bump when the layout of an entry changes.
FORMAT = 3
#: First bytes of an entry file (then 4 bytes: the header's length, little-endian).
MAGIC = b"NWC2"


class Entry:
    """A loaded entry: its header now, its body (rows) on first use."""

    def __init__(self, header: tuple[Any, ...], blob: bytes, offset: int) -> None:
        self.header = header
        self._blob: bytes | None = blob
        self._offset = offset
        self._rows: tuple[Any, ...] = ()

    @property
    def rows(self) -> tuple[Any, ...]:
        if self._blob is not None:
            rows = marshal.loads(memoryview(self._blob)[self._offset :])
            if type(rows) is not tuple:
                raise TypeError("rows")
            self._rows, self._blob = rows, None
        return self._rows


class CachedContacts(ContactsResult):
    """A cached address book: its contacts are loaded and decoded on first use (when the derived
    layer hits, they never are)."""

    def __init__(self, entry: Entry, count: int, problems: list[Problem]) -> None:
        self._entry: Entry | None = entry
        self._contacts: list[Contact] = []
        self.count = count
        self.problems = problems

    @property
    def contacts(self) -> list[Contact]:
        if self._entry is not None:
            with paused():
                dec = _rows.dec_contact
                self._contacts = [dec(r) for r in self._entry.rows]
            self._entry = None
        return self._contacts

    @contacts.setter
    def contacts(self, value: list[Contact]) -> None:
        self._entry = None
        self._contacts = value


def contact_count(result: ContactsResult) -> int:
    """How many contacts a read returned, without decoding cached ones."""
    return result.count if isinstance(result, CachedContacts) else len(result.contacts)


def load_entry(path: Path, key: str) -> Entry | None:
    """The entry in ``path`` under ``key``, or None (missing, another key, damaged: a miss)."""
    try:
        blob = path.read_bytes()
        if blob[:4] != MAGIC:
            return None
        size = int.from_bytes(blob[4:8], "little")
        header = marshal.loads(memoryview(blob)[8 : 8 + size])
        if type(header) is not tuple or len(header) < 3 or header[0] != key:
            return None
        body = memoryview(blob)[8 + size :]
        if len(body) != header[1] or zlib.crc32(body) != header[2]:
            return None  # torn or damaged: the rows are checked now, decoded later
        return Entry((key, *header[3:]), blob, 8 + size)
    except _rows.DECODE_ERRORS:
        return None


def store_entry(path: Path, header: tuple[Any, ...], rows: tuple[Any, ...]) -> None:
    """Write an entry atomically (mode 0600, its folder 0700); a failure (disk full, read-only)
    only costs speed. ``header`` is ``(key, ...)``; the file's header also holds the body's
    length and CRC."""
    tmp: str | None = None
    try:
        body = marshal.dumps(rows)
        head = marshal.dumps((header[0], len(body), zlib.crc32(body), *header[1:]))
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:  # mkstemp: mode 0600
            f.write(MAGIC + len(head).to_bytes(4, "little") + head)
            f.write(body)
        os.replace(tmp, path)
        tmp = None
        with contextlib.suppress(OSError):  # the JSON entry of netweave <= FORMAT 1
            path.with_suffix(".json").unlink(missing_ok=True)
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
