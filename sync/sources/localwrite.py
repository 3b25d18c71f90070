"""Writable local calendars: a vdir (one .ics per event) and a single .ics file.

Both implement :class:`~sync.sources.base.WritableCalendar` the way vdirsyncer's storages do:
owned events are found by their ``X-NETWEAVE-ID`` marker, every write checks the etag it was
given, and files are replaced atomically (temp file in the same folder, fsync, rename).

Nothing without the marker is ever modified: in a vdir such files are not even parsed; in a
single file the user's components (VEVENT, VTODO, VTIMEZONE, ...) are kept as the exact bytes
that were read, and only netweave's own VEVENT chunks are replaced. Rewriting one of its own
events keeps what the user added to it (guests, reminders, notes, other properties: see
:mod:`sync.export.keep`).

Locking against concurrent netweave runs is the engine's job; concurrent edits by other programs
are caught by the etag check (a small window between check and rename remains, as in vdirsyncer).
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sync.export import (
    _zone_id,
    etag_of,
    has_marker,
    owned_from_ical,
    rewrite_ical,
    rewrite_vevent,
    vtimezone,
    write_atomic,
)
from sync.model import PlannedEvent
from sync.sources.base import EventsResult, NotFound, OwnedEvent, PreconditionFailed, SourceError
from sync.sources.ics import IcsFileCalendar, VdirCalendar
from sync.sources.stale import remove_stale_temp_files

_SAFE_UID = re.compile(r"^[A-Za-z0-9_.+@-]+$")
_TZID = re.compile(rb'TZID="?([^";:]+)', re.IGNORECASE)
#: Marks a VTIMEZONE netweave added to a user's single .ics file (so it may regenerate it).
_TZ_MARK = b"X-NETWEAVE-GENERATED:TRUE"


def _is_iana(tzid: bytes) -> bool:
    try:
        ZoneInfo(tzid.decode("utf-8").strip())
    except (ValueError, KeyError, OSError, UnicodeDecodeError):
        return False
    return True


def safe_href(uid: str) -> str:
    """The vdir file name for a uid: the uid itself when it is file-name safe, else its hash."""
    if _SAFE_UID.match(uid) and not uid.startswith(".") and len(uid) <= 200:
        return uid + ".ics"
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40] + ".ics"


def _write_new(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` atomically and exclusively; False if it exists already.

    The content is fully written and synced to a temp file, then hard-linked into place: the
    file appears complete or not at all, and an existing one is never replaced.
    """
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here (some network or FAT file systems)
            try:
                fd2 = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return False
            try:
                os.write(fd2, data)
                os.fsync(fd2)
            finally:
                os.close(fd2)
        return True
    except OSError as exc:
        raise SourceError(str(path), f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# =========================================================================== vdir


class WritableVdirCalendar(VdirCalendar):
    """A vdir (one ``<uid>.ics`` per event, as khal and vdirsyncer keep them) netweave writes to.

    href is the file name, etag a hash of the file's bytes. A missing folder reads as empty and
    is created (with its parents) by the first insert.
    """

    def __init__(self, name: str, path: Path, tz: ZoneInfo) -> None:
        super().__init__(name, Path(path), tz)
        self.name = name
        self.folder = Path(path)
        self.zone = tz
        # Parsed owned files by etag (hash of their bytes): unchanged files are not reparsed.
        self._parsed: dict[str, OwnedEvent] = {}
        # nid -> href as of the last scan, kept up to date by our own writes, so that an insert
        # does not rescan the folder (the engine lists owned events at the start of each run).
        self._index: dict[str, str] | None = None

    # -- helpers ----------------------------------------------------------------------------

    def _file(self, href: str) -> Path:
        if not href or "/" in href or "\\" in href or href in (".", "..") or "\0" in href:
            raise NotFound(self.name, f"{href!r} is not a file of {self.folder}")
        return self.folder / href

    def _read(self, href: str) -> bytes:
        try:
            return self._file(href).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(self.name, f"{self.folder / href} is gone") from exc
        except OSError as exc:
            raise SourceError(
                self.name, f"cannot read {self.folder / href}: {exc.strerror}"
            ) from exc

    def _check(self, href: str, etag: str) -> bytes:
        data = self._read(href)
        if etag_of(data) != etag:
            raise PreconditionFailed(self.name, f"{href} changed since it was read")
        if not has_marker(data):
            raise PreconditionFailed(self.name, f"{href} is not netweave's: left alone")
        return data

    def _owned(self, data: bytes, href: str) -> OwnedEvent:
        etag = etag_of(data)
        cached = self._parsed.get(etag)
        if cached is not None:
            return cached if cached.href == href else replace(cached, href=href)
        try:
            owned = owned_from_ical(data, href, etag, self.zone)
        except ValueError as exc:
            raise SourceError(self.name, f"{self.folder / href}: {exc}") from exc
        if owned is None:  # pragma: no cover - has_marker() said it is there
            raise SourceError(self.name, f"{self.folder / href}: no marked VEVENT")
        self._parsed[etag] = owned
        return owned

    # -- WritableCalendar --------------------------------------------------------------------

    def read(self, start: datetime, end: datetime) -> EventsResult:
        """Events in the window (ics.VdirCalendar); a folder not created yet is empty."""
        if not self.folder.exists():
            return EventsResult()
        return super().read(start, end)

    def list_owned(self) -> list[OwnedEvent]:
        """Every file carrying the marker. An unreadable marked file is an error (SourceError):
        treating it as gone would turn it into a tombstone on a mere read failure."""
        try:
            names = sorted(os.listdir(self.folder))
        except FileNotFoundError:  # not created yet: created by the first insert
            self._parsed, self._index = {}, {}
            return []
        except OSError as exc:
            raise SourceError(self.name, f"cannot list {self.folder}: {exc.strerror}") from exc
        found: list[OwnedEvent] = []
        for href in names:
            if not href.endswith(".ics") or href.startswith("."):
                continue
            path = self.folder / href
            try:
                data = path.read_bytes()
            except (IsADirectoryError, FileNotFoundError):
                continue
            except OSError as exc:
                raise SourceError(self.name, f"cannot read {path}: {exc.strerror}") from exc
            if not has_marker(data):
                continue
            found.append(self._owned(data, href))
        self._parsed = {o.etag: o for o in found}  # forget files that are gone
        self._index = {o.nid: o.href for o in found}
        return found

    def remove_stale_temp_files(self) -> list[Path]:
        """The temp files a killed write left here, removed (:mod:`sync.sources.stale`)."""
        return remove_stale_temp_files(self.folder)

    def insert(self, event: PlannedEvent) -> OwnedEvent:
        href = safe_href(event.uid)
        if self._index is None:
            self.list_owned()
        assert self._index is not None
        known = self._index.get(event.uid)
        if known is not None and (self.folder / known).exists():
            raise PreconditionFailed(self.name, f"{event.uid} exists already as {known}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SourceError(self.name, f"cannot create {self.folder}: {exc.strerror}") from exc
        data = rewrite_ical(None, event, self.zone, 0)
        if not _write_new(self.folder / href, data):
            raise PreconditionFailed(self.name, f"{self.folder / href} exists already")
        owned = self._owned(data, href)
        self._index[owned.nid] = href
        return owned

    def update(self, href: str, etag: str, event: PlannedEvent, sequence: int) -> OwnedEvent:
        old = self._check(href, etag)
        data = rewrite_ical(old, event, self.zone, sequence)
        write_atomic(self._file(href), data)
        owned = self._owned(data, href)
        if self._index is not None:
            self._index[owned.nid] = href
        return owned

    def delete(self, href: str, etag: str) -> None:
        path = self._file(href)
        self._check(href, etag)
        try:
            path.unlink()
        except FileNotFoundError as exc:
            raise NotFound(self.name, f"{path} is gone") from exc
        except OSError as exc:
            raise SourceError(self.name, f"cannot delete {path}: {exc.strerror}") from exc
        if self._index is not None:
            self._index = {n: h for n, h in self._index.items() if h != href}


# =========================================================================== single file


@dataclass(frozen=True, eq=False)
class _Segment:
    """A piece of the file: ``kind`` is a component name (``VEVENT``...) for a component at the
    top level of a VCALENDAR, ``END`` for an ``END:VCALENDAR`` line, ``TEXT`` for anything else.
    ``cal`` numbers the VCALENDAR it belongs to."""

    kind: str
    data: bytes
    cal: int
    marked: bool = False  # a component carrying X-NETWEAVE-ID


_DELIMITER = re.compile(rb"(BEGIN|END)[ \t]*:[ \t]*([A-Z0-9-]*)[ \t]*\r?(?:\n|\Z)")
_MARKER_LINE = re.compile(rb"\nX-NETWEAVE-ID[;:]")


def _delimiters(up: bytes) -> list[re.Match[bytes]]:
    """BEGIN:/END: lines of an upper-cased file, in order (found with fast substring search)."""
    found: list[re.Match[bytes]] = []
    for word in (b"BEGIN", b"END"):
        i = up.find(word)
        while i != -1:
            if i == 0 or up[i - 1] == 0x0A or (i == 3 and up.startswith(b"\xef\xbb\xbf")):
                m = _DELIMITER.match(up, i)
                if m:
                    found.append(m)
            i = up.find(word, i + 1)
    found.sort(key=lambda m: m.start())
    return found


def _segments(data: bytes, where: str) -> list[_Segment]:
    """Split a file into top-level components, END:VCALENDAR lines and other text, by byte
    offsets (so that joining the segments gives back the exact bytes). Components carrying
    netweave's marker are flagged ``marked``."""
    segs: list[_Segment] = []
    depth = 0
    cal = -1
    kind = "TEXT"
    pos = 0  # start of text not yet in a segment
    comp_start = 0
    up = data.upper()
    markers = [m.start() + 1 for m in _MARKER_LINE.finditer(up)]

    def lineno(offset: int) -> int:
        return data.count(b"\n", 0, offset) + 1

    for m in _delimiters(up):
        ls, le = m.start(), m.end()
        name = m.group(2).decode("ascii")
        if m.group(1) == b"BEGIN":
            depth += 1
            if depth == 1:
                if name != "VCALENDAR":
                    raise SourceError(where, f"line {lineno(ls)}: BEGIN:{name} outside VCALENDAR")
                cal += 1
            elif depth == 2:
                if ls > pos:
                    segs.append(_Segment("TEXT", data[pos:ls], max(cal, 0)))
                kind, comp_start = name, ls
            continue
        if depth == 0:
            raise SourceError(where, f"line {lineno(ls)}: END:{name} without BEGIN")
        if depth == 2:
            i = bisect.bisect_left(markers, comp_start)
            marked = i < len(markers) and markers[i] < le
            segs.append(_Segment(kind, data[comp_start:le], cal, marked))
            pos = le
        elif depth == 1:
            if ls > pos:
                segs.append(_Segment("TEXT", data[pos:ls], cal))
            segs.append(_Segment("END", data[ls:le], cal))
            pos = le
        depth -= 1
    if depth != 0:
        raise SourceError(where, f"unterminated component at end of file ({depth} open)")
    if pos < len(data):
        segs.append(_Segment("TEXT", data[pos:], max(cal, 0)))
    return segs


def _unfolded(chunk: bytes) -> list[bytes]:
    out: list[bytes] = []
    for line in chunk.splitlines():
        if line[:1] in (b" ", b"\t") and out:
            out[-1] += line[1:]
        else:
            out.append(line)
    return out


def _prop(chunk: bytes, name: str) -> str | None:
    """The value of the first property ``name`` at the top of a component chunk (unfolded)."""
    key = name.upper().encode()
    depth = 0
    for line in _unfolded(chunk):
        up = line.upper()
        if up.startswith(b"BEGIN:"):
            depth += 1
        elif up.startswith(b"END:"):
            depth -= 1
        elif depth == 1 and up.startswith(key) and up[len(key) : len(key) + 1] in (b":", b";"):
            value = line.split(b":", 1)[1] if b":" in line else b""
            return value.decode("utf-8", "replace").strip()
    return None


@dataclass(frozen=True)
class _Owned:
    index: int  # position in the segment list
    href: str
    owned: OwnedEvent


class WritableIcsFileCalendar(IcsFileCalendar):
    """A single .ics file that may also hold the user's own events, which are preserved
    byte for byte. href is the event's UID, etag a hash of its VEVENT text. Every write
    rewrites the file atomically; a missing file reads as empty and is created (with its
    folder) by the first insert."""

    def __init__(self, name: str, path: Path, tz: ZoneInfo) -> None:
        super().__init__(name, Path(path), tz)
        self.name = name
        self.file = Path(path)
        self.zone = tz
        # Parsed owned VEVENT chunks by their bytes: one operation reads the file model twice.
        self._parsed: dict[bytes, OwnedEvent] = {}

    # -- file model ---------------------------------------------------------------------------

    def _load(self) -> tuple[list[_Segment], bytes, bytes | None]:
        """(segments, the file's line ending, the bytes read or None if there is no file)."""
        try:
            data = self.file.read_bytes()
        except FileNotFoundError:  # not created yet: created by the first insert
            return [], b"\r\n", None
        except OSError as exc:
            raise SourceError(self.name, f"cannot read {self.file}: {exc.strerror}") from exc
        if not data.strip():
            return [], b"\r\n", data
        segs = _segments(data, str(self.file))
        if not any(s.kind == "END" for s in segs):
            raise SourceError(self.name, f"{self.file}: no VCALENDAR in the file")
        first = data.split(b"\n", 1)[0]
        newline = b"\r\n" if first.endswith(b"\r") else b"\n"
        return segs, newline, data

    def _timezones(self, segs: list[_Segment], cal: int) -> bytes:
        return b"".join(s.data for s in segs if s.kind == "VTIMEZONE" and s.cal == cal)

    def _parse_chunk(
        self, segs: list[_Segment], seg: _Segment, href: str, uid: str
    ) -> OwnedEvent | None:
        """Read one marked VEVENT; the file's VTIMEZONEs are added only for non-IANA TZIDs."""
        wrapped = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        if any(not _is_iana(t) for t in _TZID.findall(seg.data)):
            wrapped += self._timezones(segs, seg.cal)
        wrapped += seg.data + b"END:VCALENDAR\r\n"
        try:
            return owned_from_ical(wrapped, href, etag_of(seg.data), self.zone)
        except ValueError as exc:
            raise SourceError(self.name, f"{self.file}: event {uid}: {exc}") from exc

    def _owned_in(self, segs: list[_Segment]) -> list[_Owned]:
        found: list[_Owned] = []
        hrefs: set[str] = set()
        parsed: dict[bytes, OwnedEvent] = {}
        for i, seg in enumerate(segs):
            if seg.kind != "VEVENT" or not seg.marked:
                continue
            uid = _prop(seg.data, "UID") or _prop(seg.data, "X-NETWEAVE-ID") or f"#{i}"
            href = uid
            n = 1
            while href in hrefs:  # the same UID twice (a copy): keep both addressable
                n += 1
                href = f"{uid}#{n}"
            hrefs.add(href)
            cached = self._parsed.get(seg.data)
            if cached is None:
                cached = self._parse_chunk(segs, seg, href, uid)
            if cached is not None:
                parsed[seg.data] = cached
                found.append(_Owned(i, href, replace(cached, href=href)))
        self._parsed = parsed
        return found

    def _find(self, segs: list[_Segment], href: str, etag: str) -> _Owned:
        for o in self._owned_in(segs):
            if o.href == href:
                if o.owned.etag != etag:
                    raise PreconditionFailed(self.name, f"{href} changed since it was read")
                return o
        raise NotFound(self.name, f"{href} is not in {self.file}")

    def _chunk(
        self, event: PlannedEvent, sequence: int, newline: bytes, old: bytes | None = None
    ) -> bytes:
        data = rewrite_vevent(old, event, self.zone, sequence)
        return data.replace(b"\r\n", newline) if newline != b"\r\n" else data

    def _save(
        self,
        segs: list[_Segment],
        newline: bytes,
        original: bytes | None,
        written: _Segment | None = None,
    ) -> OwnedEvent | None:
        """Write the file; return the owned event of segment ``written`` as it now stands.

        If another program changed the file since it was read, nothing is written
        (PreconditionFailed): rewriting it would silently drop the user's change.
        """
        segs = self._fix_timezones(segs, newline)
        data = b"".join(s.data for s in segs)
        try:
            now: bytes | None = self.file.read_bytes()
        except FileNotFoundError:
            now = None
        except OSError as exc:
            raise SourceError(self.name, f"cannot read {self.file}: {exc.strerror}") from exc
        if now != original:
            raise PreconditionFailed(self.name, f"{self.file} changed while writing; try again")
        if data != original:
            write_atomic(self.file, data)
        if written is None:
            return None
        for o in self._owned_in(segs):
            if segs[o.index] is written:
                return o.owned
        raise SourceError(self.name, f"{self.file}: the event just written cannot be read back")

    def _fix_timezones(self, segs: list[_Segment], newline: bytes) -> list[_Segment]:
        """Make sure every VCALENDAR holding owned events has a VTIMEZONE for the owner's zone.

        The user's VTIMEZONE is used as is; one netweave added is regenerated to cover the
        years of the owned events (deterministically, so an unchanged plan rewrites nothing)
        and removed again with the last owned event.
        """
        tzid = _zone_id(self.zone)
        if tzid is None:
            return segs
        key = tzid.upper().encode()
        out = list(segs)
        owned = self._owned_in(out)
        for cal in sorted({s.cal for s in out}):
            years = [
                y
                for o in owned
                if out[o.index].cal == cal
                for y in (
                    o.owned.start.astimezone(self.zone).year,
                    o.owned.end.astimezone(self.zone).year,
                )
            ]
            tz_idx = [
                i
                for i, s in enumerate(out)
                if s.cal == cal
                and s.kind == "VTIMEZONE"
                and (_prop(s.data, "TZID") or "").upper().encode() == key
            ]
            if not years:
                # No owned event left here: drop the VTIMEZONE netweave added (it covers only
                # the years of its own events, so it is no help to the user's).
                ours = [i for i in tz_idx if _TZ_MARK in out[i].data]
                if ours:
                    del out[ours[0]]
                continue
            chunk = bytes(vtimezone(self.zone, min(years), max(years) + 1).to_ical())
            lines = chunk.split(b"\r\n")
            chunk = b"\r\n".join([lines[0], lines[1], _TZ_MARK, *lines[2:]])
            if newline != b"\r\n":
                chunk = chunk.replace(b"\r\n", newline)
            seg = _Segment("VTIMEZONE", chunk, cal)
            if tz_idx:
                i = tz_idx[0]
                if _TZ_MARK in out[i].data:
                    out[i] = seg  # ours: regenerate
                continue
            # Before the calendar's first component (or its END line).
            at = next(i for i, s in enumerate(out) if s.cal == cal and s.kind != "TEXT")
            out.insert(at, seg)
        return out

    # -- WritableCalendar --------------------------------------------------------------------

    def read(self, start: datetime, end: datetime) -> EventsResult:
        """Events in the window (ics.IcsFileCalendar); a file not created yet (or holding
        nothing) is empty."""
        try:
            if self.file.stat().st_size == 0:
                return EventsResult()
        except FileNotFoundError:
            return EventsResult()
        return super().read(start, end)

    def list_owned(self) -> list[OwnedEvent]:
        segs, _nl, _data = self._load()
        return [o.owned for o in self._owned_in(segs)]

    def insert(self, event: PlannedEvent) -> OwnedEvent:
        segs, newline, original = self._load()
        needle = event.uid.encode()
        for seg in segs:
            if seg.kind == "VEVENT" and needle in seg.data and _prop(seg.data, "UID") == event.uid:
                raise PreconditionFailed(self.name, f"{event.uid} exists already in {self.file}")
        for o in self._owned_in(segs):
            if o.owned.nid == event.uid:
                raise PreconditionFailed(self.name, f"{event.uid} exists already in {self.file}")
        if original is None:
            try:
                self.file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise SourceError(
                    self.name, f"cannot create {self.file.parent}: {exc.strerror}"
                ) from exc
        if not segs:
            skeleton = (
                b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//netweave//netweave//EN\r\n"
                b"CALSCALE:GREGORIAN\r\n"
            )
            segs = [_Segment("TEXT", skeleton, 0), _Segment("END", b"END:VCALENDAR\r\n", 0)]
        end = max(i for i, s in enumerate(segs) if s.kind == "END")
        seg = _Segment("VEVENT", self._chunk(event, 0, newline), segs[end].cal, True)
        segs.insert(end, seg)
        got = self._save(segs, newline, original, seg)
        assert got is not None
        return got

    def update(self, href: str, etag: str, event: PlannedEvent, sequence: int) -> OwnedEvent:
        segs, newline, original = self._load()
        found = self._find(segs, href, etag)
        old = segs[found.index]
        seg = _Segment("VEVENT", self._chunk(event, sequence, newline, old.data), old.cal, True)
        segs[found.index] = seg
        got = self._save(segs, newline, original, seg)
        assert got is not None
        return got

    def delete(self, href: str, etag: str) -> None:
        segs, newline, original = self._load()
        found = self._find(segs, href, etag)
        del segs[found.index]
        self._save(segs, newline, original)
