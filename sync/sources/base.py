"""The two small protocols every backend implements, their errors, and an in-memory backend.

Modelled on vdirsyncer's storage interface: a writable calendar lists its owned events as
(href, etag) plus what it needs to detect user edits; updates and deletes carry the etag they
expect and raise :class:`PreconditionFailed` on a mismatch.

Reading never raises for a bad item: it is reported as a :class:`~sync.model.Problem` in the
result and the rest is read. A source that cannot be read at all raises :class:`SourceError`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from sync.model import Contact, Event, PlannedEvent, Problem, fingerprint


class SourceError(Exception):
    """A whole source could not be read or written (file missing, server down, 503...).

    The message names the place (file, server and status) and says what to do next.
    """

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class AuthError(SourceError):
    """Credentials missing, expired or revoked: the user must act (e.g. `netweave auth google`)."""


class PreconditionFailed(SourceError):
    """The etag did not match: someone changed the item since we read it."""


class NotFound(SourceError):
    """The item is gone."""


@dataclass
class ContactsResult:
    contacts: list[Contact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class EventsResult:
    """Expanded event instances in the requested window, and what could not be read."""

    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class OwnedEvent:
    """An event carrying netweave's marker, as found in a writable calendar.

    ``nid`` is the planned event's uid (the marker's value). ``fingerprint`` is computed from what
    the calendar holds now (see :func:`sync.model.fingerprint`); comparing it with what netweave
    wrote tells whether the user moved or edited the event.
    """

    nid: str
    href: str
    etag: str
    start: datetime
    end: datetime
    title: str
    location: str = ""
    sequence: int = 0
    transparent: bool = False

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.start, self.end, self.title, self.location)


@runtime_checkable
class AddressBook(Protocol):
    """Reads contacts; optionally writes netweave's category tags back."""

    name: str

    def read(self) -> ContactsResult: ...

    @property
    def can_write_tags(self) -> bool: ...

    def write_tags(self, tags: Mapping[str, tuple[str, ...]]) -> list[Problem]:
        """Set netweave's categories on the contacts (by contact id) read from this book.

        Touch nothing else on the contact. Returns what could not be written.
        """
        ...


@runtime_checkable
class Calendar(Protocol):
    """Reads event instances (busy time, last met) in a window."""

    name: str

    def read(self, start: datetime, end: datetime) -> EventsResult: ...


@runtime_checkable
class WritableCalendar(Calendar, Protocol):
    """A calendar netweave may write its own events to (and only those)."""

    def list_owned(self) -> list[OwnedEvent]:
        """Every event carrying netweave's marker, found by the marker (not by memory)."""
        ...

    def insert(self, event: PlannedEvent) -> OwnedEvent:
        """Create the event with the ownership marker. Idempotent per ``event.uid``: if an event
        with that marker exists already, raise :class:`PreconditionFailed`."""
        ...

    def update(self, href: str, etag: str, event: PlannedEvent, sequence: int) -> OwnedEvent:
        """Replace an owned event; :class:`PreconditionFailed` if the etag no longer matches."""
        ...

    def delete(self, href: str, etag: str) -> None:
        """Delete an owned event; :class:`PreconditionFailed` on an etag mismatch,
        :class:`NotFound` if it is already gone."""
        ...


class MemoryCalendar:
    """A tiny in-memory writable calendar for tests (vdirsyncer's MemoryStorage).

    ``foreign`` holds events the user owns; they are returned by :meth:`read` and never by
    :meth:`list_owned`.
    """

    def __init__(self, name: str = "memory", foreign: Iterable[Event] = ()) -> None:
        self.name = name
        self.foreign: list[Event] = list(foreign)
        self.items: dict[str, tuple[str, OwnedEvent, PlannedEvent]] = {}
        self._etags = itertools.count(1)
        self.writes = 0

    def _etag(self) -> str:
        return f'"{next(self._etags)}"'

    def read(self, start: datetime, end: datetime) -> EventsResult:
        events = [e for e in self.foreign if e.end > start and e.start < end]
        for _etag, owned, planned in self.items.values():
            if owned.end > start and owned.start < end:
                events.append(
                    Event(
                        uid=planned.uid,
                        summary=owned.title,
                        start=owned.start,
                        end=owned.end,
                        transparent=owned.transparent,
                        location=owned.location,
                        source=self.name,
                        netweave_id=owned.nid,
                    )
                )
        return EventsResult(events=events)

    def list_owned(self) -> list[OwnedEvent]:
        return [owned for _etag, owned, _p in self.items.values()]

    def _store(self, href: str, event: PlannedEvent, sequence: int) -> OwnedEvent:
        owned = OwnedEvent(
            nid=event.uid,
            href=href,
            etag=self._etag(),
            start=event.start,
            end=event.end,
            title=event.title,
            location=event.location,
            sequence=sequence,
            transparent=event.transparent,
        )
        self.items[href] = (owned.etag, owned, event)
        self.writes += 1
        return owned

    def insert(self, event: PlannedEvent) -> OwnedEvent:
        href = f"{event.uid}.ics"
        if href in self.items:
            raise PreconditionFailed(self.name, f"{href} exists already")
        return self._store(href, event, 0)

    def update(self, href: str, etag: str, event: PlannedEvent, sequence: int) -> OwnedEvent:
        current = self.items.get(href)
        if current is None:
            raise NotFound(self.name, f"{href} is gone")
        if current[0] != etag:
            raise PreconditionFailed(self.name, f"{href}: etag {etag} != {current[0]}")
        return self._store(href, event, sequence)

    def delete(self, href: str, etag: str) -> None:
        current = self.items.get(href)
        if current is None:
            raise NotFound(self.name, f"{href} is gone")
        if current[0] != etag:
            raise PreconditionFailed(self.name, f"{href}: etag {etag} != {current[0]}")
        del self.items[href]
        self.writes += 1

    # Test helpers: act as the user would.
    def user_move(self, href: str, start: datetime, end: datetime) -> None:
        _etag, owned, planned = self.items[href]
        moved = OwnedEvent(
            nid=owned.nid,
            href=href,
            etag=self._etag(),
            start=start,
            end=end,
            title=owned.title,
            location=owned.location,
            sequence=owned.sequence + 1,
            transparent=owned.transparent,
        )
        self.items[href] = (moved.etag, moved, planned)

    def user_delete(self, href: str) -> None:
        del self.items[href]
