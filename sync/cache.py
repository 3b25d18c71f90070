"""A cache of what was read from local files, so that an unchanged file is never parsed twice.

A scheduled sync mostly finds nothing changed. Parsing 20,000 events and 10,000 cards, then
merging and tagging, costs seconds each run; reading the cache costs a fraction of one.

Two layers, each one JSON file per source in ``<state file>.cache/`` (folder 0700, files 0600,
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
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sync.model import Contact, Event, Problem, Tie
from sync.sources.base import ContactsResult, EventsResult, SourceError

#: Bump when the layout of an entry changes.
FORMAT = 1

_CODE = (
    "model.py",
    "merge.py",
    "tagging.py",
    "tzmap.py",
    "introductions.py",
    "sources/base.py",
    "sources/ics.py",
    "sources/vcard.py",
    "sources/localwrite.py",
)
_LIBS = ("icalendar", "recurring-ical-events", "x-wr-timezone", "python-dateutil", "tzdata")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of the reading/tagging code and the libraries it leans on: an upgrade is a miss."""
    h = hashlib.sha256(f"{FORMAT}\x00{sys.version}".encode())
    root = Path(__file__).resolve().parent
    for rel in _CODE:
        with contextlib.suppress(OSError):
            h.update(rel.encode() + b"\x00" + (root / rel).read_bytes())
    for lib in _LIBS:
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(f"{lib}={metadata.version(lib)}".encode())
    return h.hexdigest()


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- encoding


def _enc_dt(dt: datetime | None) -> Any:
    """Seconds since the epoch for a whole second in a named zone (the readers' case: times in
    the owner's zone), with the zone's key; else the ISO text."""
    if dt is None:
        return None
    if isinstance(dt.tzinfo, ZoneInfo) and not dt.microsecond:
        return [int(dt.timestamp()), dt.tzinfo.key]
    return dt.isoformat()


def _dec_dt(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, list):
        return datetime.fromtimestamp(value[0], _zone(value[1]))
    return datetime.fromisoformat(value)


@lru_cache(maxsize=64)
def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


def _enc_problems(problems: Iterable[Problem]) -> list[list[str | None]]:
    return [[p.source, p.message, p.place] for p in problems]


def _dec_problems(rows: Iterable[list[str | None]]) -> list[Problem]:
    return [Problem(str(s), str(m), p) for s, m, p in rows]


def _enc_event(e: Event) -> list[Any]:
    return [
        e.uid,
        e.summary,
        _enc_dt(e.start),
        _enc_dt(e.end),
        e.all_day,
        e.transparent,
        e.cancelled,
        list(e.attendees),
        e.location,
        e.source,
        _enc_dt(e.recurrence_id),
        e.netweave_id,
    ]


def _dec_event(r: list[Any]) -> Event:
    start, end = _dec_dt(r[2]), _dec_dt(r[3])
    assert start is not None and end is not None
    return Event(
        uid=r[0],
        summary=r[1],
        start=start,
        end=end,
        all_day=r[4],
        transparent=r[5],
        cancelled=r[6],
        attendees=tuple(r[7]),
        location=r[8],
        source=r[9],
        recurrence_id=_dec_dt(r[10]),
        netweave_id=r[11],
    )


#: The layout below. If the model's fields change, contacts are not cached until it follows.
_CONTACT_FIELDS = tuple(Contact.__dataclass_fields__)
_CONTACT_LAYOUT = [
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
]
CONTACTS_CACHEABLE = list(_CONTACT_FIELDS) == _CONTACT_LAYOUT
_TIES = {str(t): t for t in Tie}


def _enc_contact(c: Contact) -> list[Any]:
    return [
        c.id,
        c.name,
        c.emails,
        c.phones,
        c.organization,
        c.title,
        c.note,
        c.source_categories,
        c.relations,
        c.uid,
        c.sources,
        c.extra,
        c.categories,
        str(c.tie) if c.tie else None,
        c.focus,
        c.last_met.isoformat() if c.last_met else None,
        c.times_met,
    ]


def _dec_contact(r: list[Any]) -> Contact:
    (cid, name, emails, phones, org, title, note, src_cats, rels, uid, sources, extra, cats,
     tie, focus, last_met, times_met) = r  # fmt: skip
    # Frozen dataclasses set each field through object.__setattr__: filling __dict__ at once is
    # several times faster for tens of thousands of contacts, and gives the same object.
    c = object.__new__(Contact)
    c.__dict__.update(
        id=cid,
        name=name,
        emails=tuple(emails),
        phones=tuple(phones),
        organization=org,
        title=title,
        note=note,
        source_categories=tuple(src_cats),
        relations=tuple(rels),
        uid=uid,
        sources=tuple(sources),
        extra=tuple(map(tuple, extra)),
        categories=tuple(cats),
        tie=_TIES[tie] if tie else None,
        focus=focus,
        last_met=date.fromisoformat(last_met) if last_met else None,
        times_met=times_met,
    )
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


class CachedContacts(ContactsResult):
    """A cached address book: its contacts are decoded on first use (when the derived layer
    hits, they never are)."""

    def __init__(self, rows: list[list[Any]], problems: list[Problem]) -> None:
        self._rows: list[list[Any]] | None = rows
        self._contacts: list[Contact] = []
        self.count = len(rows)
        self.problems = problems

    @property
    def contacts(self) -> list[Contact]:
        if self._rows is not None:
            self._contacts = [_dec_contact(r) for r in self._rows]
            self._rows = None
        return self._contacts

    @contacts.setter
    def contacts(self, value: list[Contact]) -> None:
        self._rows = None
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

    @classmethod
    def beside(cls, state_path: Path) -> ReadCache:
        return cls(state_path.with_name(state_path.name + ".cache"))

    # -- storage ---------------------------------------------------------------------------

    def _path(self, kind: str, name: str) -> Path:
        return self.folder / f"{kind}-{hashlib.sha256(name.encode()).hexdigest()[:20]}.json"

    def _load(self, kind: str, name: str, key: str) -> Any:
        try:
            with self._path(kind, name).open("rb") as f:
                entry = json.load(f)
            if isinstance(entry, dict) and entry.get("key") == key:
                return entry["data"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def _store(self, kind: str, name: str, key: str, data: Any) -> None:
        """Write an entry atomically; a failure (disk full, read-only) only costs speed."""
        tmp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as f:  # mkstemp: mode 0600
                json.dump({"key": key, "data": data}, f, separators=(",", ":"))
            os.replace(tmp, self._path(kind, name))
            tmp = None
        except OSError:
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
        from sync.sources.ics import IcsFileCalendar, VdirCalendar
        from sync.sources.vcard import VcardDir, VcardFile

        try:
            if isinstance(source, IcsFileCalendar | VcardFile):
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
        data = self._load("calendar", cal.name, key)
        result: EventsResult | None = None
        if data is not None:
            try:
                result = EventsResult(
                    [_dec_event(r) for r in data["events"]], _dec_problems(data["problems"])
                )
                self.hits += 1
            except (ValueError, KeyError, TypeError, IndexError, AssertionError):
                result = None
        if result is None:
            self.misses += 1
            result = cal.read(*wide)
            data = {
                "events": [_enc_event(e) for e in result.events],
                "problems": _enc_problems(result.problems),
            }
            self._store("calendar", cal.name, key, data)
        result.events = [e for e in result.events if overlaps(e, start, end)]
        return result

    def addressbook(self, book: Any) -> ContactsResult:
        """``book.read()``, from the cache when its files are unchanged."""
        key = self._source_key("addressbook", book, getattr(book, "tag_prefix", None))
        if not CONTACTS_CACHEABLE:
            key = None
        self.source_keys.append(key)
        if key is None:
            return book.read()
        data = self._load("addressbook", book.name, key)
        if data is not None:
            try:
                rows = data["contacts"]
                if rows and len(rows[0]) != len(_CONTACT_LAYOUT):
                    raise ValueError("layout")
                cached = CachedContacts(rows, _dec_problems(data["problems"]))
                self.hits += 1
                return cached
            except (ValueError, KeyError, TypeError, IndexError):
                pass
        self.misses += 1
        result = book.read()
        data = {
            "contacts": [_enc_contact(c) for c in result.contacts],
            "problems": _enc_problems(result.problems),
        }
        self._store("addressbook", book.name, key, data)
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
        past = hashlib.sha256()
        for e in events:
            if e.start.date() < today:
                past.update(json.dumps(_enc_event(e)).encode("utf-8", "surrogatepass"))
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
            past.hexdigest(),
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
        data = self._load("derived", "contacts", key)
        if data is not None:
            try:
                out = [_dec_contact(r) for r in data["contacts"]], _dec_problems(data["problems"])
                self.hits += 1
                return out
            except (ValueError, KeyError, TypeError, IndexError):
                pass
        self.misses += 1
        contacts, problems = compute()
        data = {
            "contacts": [_enc_contact(c) for c in contacts],
            "problems": _enc_problems(problems),
        }
        self._store("derived", "contacts", key, data)
        return contacts, problems
