"""A cache of what was read from local files, so that an unchanged file is never parsed twice.

A scheduled sync mostly finds nothing changed. Parsing 20,000 events and 10,000 cards, then
merging and tagging, costs seconds each run; reading the cache costs a fraction of one.

Two layers, each one file per source in ``<state file>.cache/`` (folder 0700, files 0600,
written atomically; a damaged or foreign entry is a miss, never an error):

* per source (``.ics`` file, calendar vdir, ``.vcf`` file, card vdir): the reader's result
  (events or contacts, and the problems with their places), keyed by the SHA-256 of the content of
  every file read, the source's settings, the owner's zone, the reader's code and library
  versions, and for calendars the window widened to whole months (a run tomorrow still hits; the
  events are then cut to the exact window with the reader's own overlap rule);
* derived: the merged, history-applied and tagged contacts, keyed by the keys of every address
  book, the events that started before today (all the history sees), the config file, the
  tagging rules, the code and the day (``last_met`` counts from today).

Network sources (Google, DAV) have their own sync tokens and are never cached here; a run that
reads an address book from one of them does not use the derived layer.

An entry is ``MAGIC``, the length of a small header, the header (key, count, problems) and the
body (one plain tuple per event or contact), both in :mod:`marshal` format: plain tuples of
str/int/bool/None, which loads several times faster than JSON and never runs code (no pickle).
The header is read alone first: a key that does not match costs nothing more, and an address
book whose merged contacts hit the derived layer never loads its own rows at all. Entries are
written and read only by netweave, in a folder only its user can read.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import marshal
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sync.model import Contact, Event, Problem, Tie
from sync.sources.base import ContactsResult, EventsResult, SourceError

#: Bump when the layout of an entry changes.
FORMAT = 3
#: First bytes of an entry file (then 4 bytes: the header's length, little-endian).
MAGIC = b"NWC2"

_CODE = (
    "model.py",
    "merge.py",
    "tagging.py",
    "tzmap.py",
    "introductions.py",
    "sources/base.py",
    "sources/ics/",
    "sources/vcard.py",
    "sources/localwrite.py",
    "sources/csvbook.py",
)
_LIBS = ("icalendar", "recurring-ical-events", "x-wr-timezone", "python-dateutil", "tzdata")


def _lib_versions() -> list[str]:
    """The installed versions of ``_LIBS``, from their ``*.dist-info`` folder names.

    Listing the folders on ``sys.path`` costs a millisecond; ``importlib.metadata`` costs tens
    (its import and one scan per name). A library not found is hashed as such.
    """
    wanted = {re.sub(r"[-_.]+", "_", lib).lower(): lib for lib in _LIBS}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            project, _, version = name[: -len(".dist-info")].partition("-")
            lib = wanted.get(re.sub(r"[-_.]+", "_", project).lower())
            if lib is not None and lib not in found:
                found[lib] = version
    return [f"{lib}={found.get(lib, '?')}" for lib in _LIBS]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of the reading/tagging code and the libraries it leans on: an upgrade is a miss."""
    h = hashlib.sha256(f"{FORMAT}\x00{sys.version}\x00{marshal.version}".encode())
    root = Path(__file__).resolve().parent
    for rel in _CODE:  # a folder ("sources/ics/") stands for the modules in it
        paths = sorted((root / rel).glob("*.py")) if rel.endswith("/") else [root / rel]
        for path in paths:
            with contextlib.suppress(OSError):
                h.update(path.relative_to(root).as_posix().encode() + b"\x00" + path.read_bytes())
    for lib in _lib_versions():
        h.update(lib.encode())
    return h.hexdigest()


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- encoding
#
# Entries hold plain tuples (marshal keeps tuples as tuples), so decoding is mostly handing a
# row to the model: no per-field conversion but times, ties and dates.


def _enc_dt(dt: datetime | None) -> Any:
    """``(state, zone key)`` for a time in a named zone (the readers' case: times in the owner's
    zone), where ``state`` is the 10 bytes ``datetime`` pickles itself to (wall time and fold:
    rebuilding from them is several times faster than from a timestamp); else the ISO text."""
    if dt is None:
        return None
    if isinstance(dt.tzinfo, ZoneInfo) and _STATE_OK:
        return (dt.__reduce_ex__(4)[1][0], dt.tzinfo.key)
    return dt.isoformat()


def _dec_dt(value: Any) -> datetime | None:
    if value is None:
        return None
    if type(value) is tuple:
        state, key = value
        if type(state) is not bytes or len(state) != 10:
            raise TypeError("not a time")
        return _from_state(state, _zone(key))
    if not isinstance(value, str):
        raise TypeError("not a time")
    return datetime.fromisoformat(value)


_DATETIME: Any = datetime  # the (state, tzinfo) constructor is not in the type stubs


def _from_state(state: bytes, tz: ZoneInfo) -> datetime:
    out: datetime = _DATETIME(state, tz)
    return out


def _state_round_trips() -> bool:
    """The bytes constructor is how pickle rebuilds a datetime (CPython, every version since
    2.3); check it here anyway, and cache ISO text if it ever does not round-trip."""
    tz = ZoneInfo("UTC")
    try:
        for dt in (datetime(2026, 11, 1, 1, 30, 5, 7, tz, fold=1), datetime(1, 1, 1, tzinfo=tz)):
            state: Any = dt.__reduce_ex__(4)[1][0]
            back = _from_state(state, tz)
            if (back, back.fold, back.tzinfo) != (dt, dt.fold, dt.tzinfo):
                return False
    except (TypeError, ValueError, IndexError):
        return False
    return True


_ZONES: dict[str, ZoneInfo] = {}


def _zone(key: str) -> ZoneInfo:
    zone = _ZONES.get(key)
    if zone is None:
        if type(key) is not str:
            raise TypeError("not a zone")
        zone = _ZONES[key] = ZoneInfo(key)
    return zone


_STATE_OK = _state_round_trips()


def _enc_problems(problems: Iterable[Problem]) -> tuple[tuple[str, str, str | None], ...]:
    return tuple((p.source, p.message, p.place) for p in problems)


def _dec_problems(rows: Iterable[Sequence[str | None]]) -> list[Problem]:
    return [Problem(str(s), str(m), p) for s, m, p in rows]


_EVENT_LAYOUT = (
    "uid",
    "summary",
    "start",
    "end",
    "all_day",
    "transparent",
    "cancelled",
    "attendees",
    "location",
    "source",
    "recurrence_id",
    "netweave_id",
    "declined_by",
)
#: If the model's fields change, the cache follows (events are then decoded field by field).
_EVENT_FAST = tuple(Event.__dataclass_fields__) == _EVENT_LAYOUT


def _enc_event(e: Event) -> tuple[Any, ...]:
    return (
        e.uid,
        e.summary,
        _enc_dt(e.start),
        _enc_dt(e.end),
        e.all_day,
        e.transparent,
        e.cancelled,
        tuple(e.attendees),
        e.location,
        e.source,
        _enc_dt(e.recurrence_id),
        e.netweave_id,
        tuple(e.declined_by),
    )


def _dec_event(r: Sequence[Any]) -> Event:
    if len(r) != len(_EVENT_LAYOUT):
        raise ValueError("layout")
    s, e, rid = r[2], r[3], r[10]
    # _dec_dt inlined for the common case (a named zone): three calls per event add up.
    zones = _ZONES
    start = _DATETIME(s[0], zones.get(s[1]) or _zone(s[1])) if type(s) is tuple else _dec_dt(s)
    end = _DATETIME(e[0], zones.get(e[1]) or _zone(e[1])) if type(e) is tuple else _dec_dt(e)
    if rid is not None:
        rid = _dec_dt(rid)
    if start is None or end is None:
        raise ValueError("layout")
    if not _EVENT_FAST:  # pragma: no cover - only while the model and this file disagree
        return Event(**{**dict(zip(_EVENT_LAYOUT, r, strict=True)), "start": start, "end": end})
    # Frozen dataclasses set each field through object.__setattr__: handing the instance its
    # __dict__ at once is several times faster for tens of thousands of events, and gives the
    # same object.
    e = object.__new__(Event)
    object.__setattr__(
        e,
        "__dict__",
        {
            "uid": r[0],
            "summary": r[1],
            "start": start,
            "end": end,
            "all_day": r[4],
            "transparent": r[5],
            "cancelled": r[6],
            "attendees": r[7],
            "location": r[8],
            "source": r[9],
            "recurrence_id": rid,
            "netweave_id": r[11],
            "declined_by": r[12],
        },
    )
    return e


#: The layout below. If the model's fields change, contacts are not cached until it follows.
_CONTACT_FIELDS = tuple(Contact.__dataclass_fields__)
_CONTACT_LAYOUT = (
    "id",
    "name",
    "emails",
    "phones",
    "organization",
    "title",
    "note",
    "source_categories",
    "relations",
    "uid",
    "sources",
    "extra",
    "categories",
    "tie",
    "focus",
    "last_met",
    "times_met",
)
CONTACTS_CACHEABLE = _CONTACT_FIELDS == _CONTACT_LAYOUT
_TIES = {str(t): t for t in Tie}
_TIE_AT = _CONTACT_LAYOUT.index("tie")
_LAST_MET_AT = _CONTACT_LAYOUT.index("last_met")


def _enc_contact(c: Contact) -> tuple[Any, ...]:
    return (
        c.id,
        c.name,
        tuple(c.emails),
        tuple(c.phones),
        c.organization,
        c.title,
        c.note,
        tuple(c.source_categories),
        tuple(c.relations),
        c.uid,
        tuple(c.sources),
        tuple(map(tuple, c.extra)),
        tuple(c.categories),
        str(c.tie) if c.tie else None,
        c.focus,
        c.last_met.toordinal() if c.last_met else None,
        c.times_met,
    )


def _dec_contact(r: Sequence[Any]) -> Contact:
    fields = dict(zip(_CONTACT_LAYOUT, r, strict=True))
    tie, last_met = r[_TIE_AT], r[_LAST_MET_AT]
    if tie is not None:
        fields["tie"] = _TIES[tie]
    if last_met is not None:
        fields["last_met"] = date.fromordinal(last_met)
    # As for events: the whole __dict__ at once (the same object, several times faster).
    c = object.__new__(Contact)
    object.__setattr__(c, "__dict__", fields)
    return c


# --------------------------------------------------------------------------- windows


def widen(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The window rounded out to whole months (in ``start``'s zone): tomorrow's run hits."""
    tz = start.tzinfo
    s = datetime.combine(start.astimezone(tz).date().replace(day=1), time(), tz)
    e_day = end.astimezone(tz).date().replace(day=1) + timedelta(days=32)
    e = datetime.combine(e_day.replace(day=1), time(), tz)
    return s, e


def overlaps(e: Event, start: datetime, end: datetime) -> bool:
    """The readers' rule (sync.sources.ics): zero-length events count inside the window."""
    return e.start < end and (e.end > start or (e.start == e.end and e.start >= start))


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Decoding creates tens of thousands of objects and no cycle: without this the collector
    runs hundreds of times over them (a third of the decoding time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_DECODE_ERRORS = (ValueError, KeyError, TypeError, IndexError, EOFError, OverflowError, OSError)


class _Entry:
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

    def __init__(self, entry: _Entry, count: int, problems: list[Problem]) -> None:
        self._entry: _Entry | None = entry
        self._contacts: list[Contact] = []
        self.count = count
        self.problems = problems

    @property
    def contacts(self) -> list[Contact]:
        if self._entry is not None:
            with _no_gc():
                self._contacts = [_dec_contact(r) for r in self._entry.rows]
            self._entry = None
        return self._contacts

    @contacts.setter
    def contacts(self, value: list[Contact]) -> None:
        self._entry = None
        self._contacts = value


def contact_count(result: ContactsResult) -> int:
    """How many contacts a read returned, without decoding cached ones."""
    return result.count if isinstance(result, CachedContacts) else len(result.contacts)


# --------------------------------------------------------------------------- the cache


class ReadCache:
    """The cache folder of one state file. ``hits``/``misses`` count per run (for tests)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0
        self.source_keys: list[str | None] = []  # this run's per-source keys (None: uncached)
        # id(event) -> (event, its encoded row) for the events this run read through the cache:
        # the derived key hashes the past ones without encoding them again.
        self._encoded: dict[int, tuple[Event, tuple[Any, ...]]] = {}

    @classmethod
    def beside(cls, state_path: Path) -> ReadCache:
        return cls(state_path.with_name(state_path.name + ".cache"))

    # -- storage ---------------------------------------------------------------------------

    def _path(self, kind: str, name: str, suffix: str = ".bin") -> Path:
        return self.folder / f"{kind}-{hashlib.sha256(name.encode()).hexdigest()[:20]}{suffix}"

    def _load(self, kind: str, name: str, key: str) -> _Entry | None:
        """The entry under ``key``, or None (missing, another key, damaged: a miss)."""
        try:
            blob = self._path(kind, name).read_bytes()
            if blob[:4] != MAGIC:
                return None
            size = int.from_bytes(blob[4:8], "little")
            header = marshal.loads(memoryview(blob)[8 : 8 + size])
            if type(header) is not tuple or len(header) < 3 or header[0] != key:
                return None
            body = memoryview(blob)[8 + size :]
            if len(body) != header[1] or zlib.crc32(body) != header[2]:
                return None  # torn or damaged: the rows are checked now, decoded later
            return _Entry((key, *header[3:]), blob, 8 + size)
        except _DECODE_ERRORS:
            return None

    def _store(self, kind: str, name: str, header: tuple[Any, ...], rows: tuple[Any, ...]) -> None:
        """Write an entry atomically; a failure (disk full, read-only) only costs speed.

        ``header`` is ``(key, ...)``; the file's header also holds the body's length and CRC.
        """
        tmp: str | None = None
        try:
            body = marshal.dumps(rows)
            head = marshal.dumps((header[0], len(body), zlib.crc32(body), *header[1:]))
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "wb") as f:  # mkstemp: mode 0600
                f.write(MAGIC + len(head).to_bytes(4, "little") + head)
                f.write(body)
            os.replace(tmp, self._path(kind, name))
            tmp = None
            with contextlib.suppress(OSError):  # the JSON entry of netweave <= FORMAT 1
                self._path(kind, name, ".json").unlink(missing_ok=True)
        except (OSError, ValueError):
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    # -- sources ---------------------------------------------------------------------------

    @staticmethod
    def files_of(source: Any) -> list[Path] | None:
        """The files a local source reads (sorted), or None when it is not cacheable (network,
        a missing path: the source's own read then says what is wrong)."""
        from sync.sources.csvbook import CsvAddressBook
        from sync.sources.ics import IcsFileCalendar, VdirCalendar
        from sync.sources.vcard import VcardDir, VcardFile

        try:
            if isinstance(source, IcsFileCalendar | VcardFile | CsvAddressBook):
                return [source.path] if source.path.is_file() else None
            if isinstance(source, VdirCalendar):
                return source.item_paths()
            if isinstance(source, VcardDir):
                return source._files()
        except (SourceError, OSError):
            return None
        return None

    def _source_key(self, kind: str, source: Any, *extra: object) -> str | None:
        files = self.files_of(source)
        if files is None:
            return None
        try:
            digests = [(str(p), _digest(p)) for p in files]
        except OSError:
            return None  # unreadable item: the source's read reports it
        return _key(
            kind,
            type(source).__qualname__,
            source.name,
            code_digest(),
            _CONTACT_FIELDS,
            extra,
            digests,
        )

    def calendar(self, cal: Any, start: datetime, end: datetime) -> EventsResult:
        """``cal.read(start, end)``, from the cache when its files are unchanged."""
        wide = widen(start, end)
        tz = getattr(cal, "tz", None)
        key = self._source_key("calendar", cal, getattr(tz, "key", str(tz)), *map(str, wide))
        if key is None:
            return cal.read(start, end)
        entry = self._load("calendar", cal.name, key)
        result: EventsResult | None = None
        rows: tuple[Any, ...] = ()
        if entry is not None:
            try:
                with _no_gc():
                    rows = entry.rows
                    events = [_dec_event(r) for r in rows]
                result = EventsResult(events, _dec_problems(entry.header[1]))
                self.hits += 1
            except _DECODE_ERRORS:
                result = None
        if result is None:
            self.misses += 1
            result = cal.read(*wide)
            rows = tuple(_enc_event(e) for e in result.events)
            self._store("calendar", cal.name, (key, _enc_problems(result.problems)), rows)
        kept: list[Event] = []
        encoded = self._encoded
        for e, row in zip(result.events, rows, strict=True):
            if overlaps(e, start, end):
                kept.append(e)
                encoded[id(e)] = (e, row)
        result.events = kept
        return result

    def addressbook(self, book: Any) -> ContactsResult:
        """``book.read()``, from the cache when its files are unchanged."""
        settings = [getattr(book, "tag_prefix", None)]
        if hasattr(book, "dialect"):  # a CSV export: how its columns are read
            settings += [book.dialect, sorted(book.columns.items()), book.encoding]
        key = self._source_key("addressbook", book, *settings)
        if not CONTACTS_CACHEABLE:
            key = None
        self.source_keys.append(key)
        if key is None:
            return book.read()
        entry = self._load("addressbook", book.name, key)
        if entry is not None:
            try:
                _key_, count, problems = entry.header
                cached = CachedContacts(entry, int(count), _dec_problems(problems))
                self.hits += 1
                return cached
            except _DECODE_ERRORS:
                pass
        self.misses += 1
        result = book.read()
        rows = tuple(_enc_contact(c) for c in result.contacts)
        header = (key, len(rows), _enc_problems(result.problems))
        self._store("addressbook", book.name, header, rows)
        return result

    def not_cached(self) -> None:
        """An address book was read without the cache (or failed): the derived layer is off."""
        self.source_keys.append(None)

    # -- derived ---------------------------------------------------------------------------

    def derived_key(
        self, config_files: Sequence[Path], events: Iterable[Event], today: date, *extra: object
    ) -> str | None:
        """Key of the merged and tagged contacts; None when an address book was not cached.

        Of the calendars, only what the history can see goes into the key: every event that
        started before ``today`` (:func:`sync.tagging.apply_history` counts no other), so that
        netweave's own writes into the future do not make the next run tag everyone again.
        """
        if not CONTACTS_CACHEABLE or any(k is None for k in self.source_keys):
            return None
        encoded = self._encoded
        past: list[tuple[Any, ...]] = []
        for e in events:
            if e.start.date() < today:
                known = encoded.get(id(e))
                past.append(known[1] if known is not None and known[0] is e else _enc_event(e))
        # marshal version 0 writes equal values as equal bytes (no references, no interning
        # flags), whether the rows came from the cache or were just encoded.
        past_digest = hashlib.sha256(marshal.dumps(past, 0)).hexdigest()
        digests = []
        for p in config_files:
            try:
                digests.append((str(p), _digest(p)))
            except OSError:
                return None
        return _key(
            "derived",
            code_digest(),
            _CONTACT_FIELDS,
            self.source_keys,
            past_digest,
            today.isoformat(),
            digests,
            extra,
        )

    def contacts(
        self, key: str | None, compute: Callable[[], tuple[list[Contact], list[Problem]]]
    ) -> tuple[list[Contact], list[Problem]]:
        """``compute()`` (merge, history, tagging), from the cache under ``key``."""
        if key is None:
            return compute()
        entry = self._load("derived", "contacts", key)
        if entry is not None:
            try:
                with _no_gc():
                    contacts = [_dec_contact(r) for r in entry.rows]
                out = contacts, _dec_problems(entry.header[2])
                self.hits += 1
                return out
            except _DECODE_ERRORS:
                pass
        self.misses += 1
        contacts, problems = compute()
        rows = tuple(_enc_contact(c) for c in contacts)
        self._store("derived", "contacts", (key, len(rows), _enc_problems(problems)), rows)
        return contacts, problems
