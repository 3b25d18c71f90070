"""The two small protocols every backend implements, their errors, and an in-memory backend.

Modelled on vdirsyncer's storage interface: a writable calendar lists its owned events as
(href, etag) plus what it needs to detect user edits; updates and deletes carry the etag they
expect and raise :class:`PreconditionFailed` on a mismatch.

Reading never raises for a bad item: it is reported as a :class:`~sync.model.Problem` in the
result and the rest is read. A source that cannot be read at all raises :class:`SourceError`.
The errors (:mod:`sync.errors`) and :class:`~sync.model.OwnedEvent` live in the layers below and
are re-exported here, where the backends look for them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from sync.errors import AuthError as AuthError
from sync.errors import NotFound as NotFound
from sync.errors import PreconditionFailed as PreconditionFailed
from sync.errors import SourceError as SourceError
from sync.model import Contact, Event, PlannedEvent, Problem
from sync.model import OwnedEvent as OwnedEvent


@dataclass
class ContactsResult:
    contacts: list[Contact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class EventsResult:
    """Expanded event instances in the requested window, and what could not be read."""

    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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
