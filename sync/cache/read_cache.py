"""The read cache's policy: which sources are cached and under what key, the window widened to
whole months so that tomorrow's run still hits, and the derived layer (merged, history-applied
and tagged contacts) keyed by everything that can change them."""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sync.cache import rows as _rows
from sync.cache.keys import code_digest, file_digest, make_key
from sync.cache.rows import (
    CONTACT_FIELDS,
    CONTACTS_CACHEABLE,
    DECODE_ERRORS,
    dec_problems,
    enc_contact,
    enc_event,
    enc_problems,
)
from sync.cache.store import CachedContacts, Entry, load_entry, store_entry
from sync.collector import paused
from sync.model import Contact, Event, Problem
from sync.sources.base import ContactsResult, EventsResult, SourceError


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

    def _load(self, kind: str, name: str, key: str) -> Entry | None:
        """The entry under ``key``, or None (missing, another key, damaged: a miss)."""
        return load_entry(self._path(kind, name), key)

    def _store(self, kind: str, name: str, header: tuple[Any, ...], rows: tuple[Any, ...]) -> None:
        """Write an entry; ``header`` is ``(key, ...)``. A failure only costs speed."""
        store_entry(self._path(kind, name), header, rows)

    # -- public holidays -------------------------------------------------------------------

    def holidays(self, country: str, region: str, years: tuple[int, ...]) -> dict[date, str]:
        """The public holidays of ``country``/``region`` in ``years``: the ``holidays`` package
        loads every country's rules on first use (a third of a second), so the table is kept,
        keyed by the query and the package's version."""
        from sync.daysoff import public_holidays

        key = make_key("holidays", country, region, years, code_digest())
        entry = self._load("holidays", f"{country}/{region}", key)
        if entry is not None:
            try:
                return {date.fromisoformat(d): str(n) for d, n in entry.rows}
            except (TypeError, ValueError):
                pass  # a damaged entry is a miss
        table = public_holidays(country, region, years)
        rows = tuple((d.isoformat(), n) for d, n in table.items())
        self._store("holidays", f"{country}/{region}", (key,), rows)
        return table

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
            digests = [(str(p), file_digest(p)) for p in files]
        except OSError:
            return None  # unreadable item: the source's read reports it
        return make_key(
            kind,
            type(source).__qualname__,
            source.name,
            code_digest(),
            CONTACT_FIELDS,
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
                with paused():
                    rows = entry.rows
                    events = [_rows.dec_event(r) for r in rows]
                result = EventsResult(events, dec_problems(entry.header[1]))
                self.hits += 1
            except DECODE_ERRORS:
                result = None
        if result is None:
            self.misses += 1
            result = cal.read(*wide)
            rows = tuple(enc_event(e) for e in result.events)
            self._store("calendar", cal.name, (key, enc_problems(result.problems)), rows)
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
                cached = CachedContacts(entry, int(count), dec_problems(problems))
                self.hits += 1
                return cached
            except DECODE_ERRORS:
                pass
        self.misses += 1
        result = book.read()
        rows = tuple(enc_contact(c) for c in result.contacts)
        header = (key, len(rows), enc_problems(result.problems))
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
                past.append(known[1] if known is not None and known[0] is e else enc_event(e))
        # marshal version 0 writes equal values as equal bytes (no references, no interning
        # flags), whether the rows came from the cache or were just encoded.
        past_digest = hashlib.sha256(marshal.dumps(past, 0)).hexdigest()
        digests = []
        for p in config_files:
            try:
                digests.append((str(p), file_digest(p)))
            except OSError:
                return None
        return make_key(
            "derived",
            code_digest(),
            CONTACT_FIELDS,
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
                with paused():
                    contacts = [_rows.dec_contact(r) for r in entry.rows]
                out = contacts, dec_problems(entry.header[2])
                self.hits += 1
                return out
            except DECODE_ERRORS:
                pass
        self.misses += 1
        contacts, problems = compute()
        rows = tuple(enc_contact(c) for c in contacts)
        self._store("derived", "contacts", (key, len(rows), enc_problems(problems)), rows)
        return contacts, problems
