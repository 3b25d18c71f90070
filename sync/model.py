"""The model: plain, immutable dataclasses shared by every part of netweave.

No I/O happens here. Adapters (sync/sources/) produce these objects; tagging, planning and agenda
writing take them and return new ones (``dataclasses.replace``).

All datetimes are timezone-aware. All-day events carry the start/end of their days in the owner's
zone (the reader resolves that), with ``all_day=True``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

#: The networking categories of the method, in the order the contact list is reoriented.
CATEGORIES: tuple[str, ...] = (
    "family",
    "friends",
    "school-friends",
    "mentors",
    "colleagues",
    "clients",
    "client-professionals",
    "service-providers",
    "community",
    "alumni",
    "brain-builders",
    "targets",
    "introducers",
    "unsorted",  # no rule matched: for the user to sort (``netweave tag``)
)

#: Categories whose members count as strong ties by default.
STRONG_CATEGORIES: frozenset[str] = frozenset({"family", "friends", "school-friends", "mentors"})


class Tie(StrEnum):
    STRONG = "strong"
    WEAK = "weak"


class Kind(StrEnum):
    """Kind of planned event (a field of the plan JSON that `plan --json` prints)."""

    ONE_ON_ONE = "one-on-one"
    GROUP = "group"
    PREP = "prep"
    FOLLOW_UP = "follow-up"
    TRAVEL = "travel"  # getting to or from an activity, written where others book from
    HOLD = "hold"  # another time offered for a meeting: held free until the person chooses


@dataclass(frozen=True)
class Problem:
    """Something that could not be read or written. Reported, never fatal.

    ``place`` names where: ``file:line``, a UID, a config key, ``server status``.
    """

    source: str
    message: str
    place: str | None = None

    def __str__(self) -> str:
        where = f"{self.place}: " if self.place else ""
        return f"{self.source}: {where}{self.message}"


@dataclass(frozen=True)
class Contact:
    """A person from one or more address books.

    ``id`` is stable across runs: derived from the card's UID, else its first email, else its
    name (see :func:`contact_id`). ``source_categories`` holds what the address book said
    (vCard CATEGORIES, Google groups); ``categories`` holds netweave's tags after tagging.
    """

    id: str
    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    organization: str | None = None
    title: str | None = None
    note: str = ""
    source_categories: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()  # relation labels: "mother", "spouse", "sibling"...
    uid: str | None = None
    sources: tuple[str, ...] = ()
    # Fields extra sources provide (LinkedIn: url, connected_on; alumni: school, class_year...).
    extra: tuple[tuple[str, str], ...] = ()
    # Set by tagging:
    categories: tuple[str, ...] = ()
    tie: Tie | None = None
    focus: bool = False
    last_met: date | None = None
    times_met: int = 0

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.extra:
            if k == key:
                return v
        return default

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "emails": list(self.emails),
            "phones": list(self.phones),
            "organization": self.organization,
            "title": self.title,
            "categories": list(self.categories),
            "tie": str(self.tie) if self.tie else None,
            "focus": self.focus,
            "last_met": self.last_met.isoformat() if self.last_met else None,
            "sources": list(self.sources),
        }


def contact_id(uid: str | None, emails: tuple[str, ...], name: str) -> str:
    """A short, stable id for a contact."""
    basis = (uid or (emails[0].lower() if emails else "") or name.strip().lower()) or "?"
    return "c-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Event:
    """One instance of a calendar event, recurrences already expanded.

    ``transparent`` events do not block time; ``cancelled`` instances neither.
    ``netweave_id`` is the ownership marker (``X-NETWEAVE-ID`` / extendedProperties) when present.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    all_day: bool = False
    transparent: bool = False
    cancelled: bool = False
    attendees: tuple[str, ...] = ()  # lower-cased emails (organizer included)
    location: str = ""
    source: str = ""
    recurrence_id: datetime | None = None
    netweave_id: str | None = None
    declined_by: tuple[str, ...] = ()  # attendees (lower-cased) whose PARTSTAT is DECLINED
    zone: str = ""  # the time zone the event was written in, when not the owner's
    status: str = ""  # "out-of-office" (Outlook OOF, Google) | "working-location" (Google)
    description: str = ""  # read for group feeds only (their audience), else empty


@dataclass(frozen=True, order=True)
class Busy:
    """A blocked interval [start, end)."""

    start: datetime
    end: datetime
    source: str = field(default="", compare=False)
    summary: str = field(default="", compare=False)


@dataclass(frozen=True)
class PlannedEvent:
    """An event netweave plans. ``uid`` is stable: the same plan gives the same UID every run.

    ``start``/``end`` are the meeting itself; travel before/after are extra minutes that are
    blocked (and counted in the budget) but not part of the written event.
    """

    uid: str
    kind: Kind
    title: str
    start: datetime
    end: datetime
    location: str = ""
    contacts: tuple[str, ...] = ()  # contact ids
    categories: tuple[str, ...] = ()
    goal: str = ""
    description: str = ""  # the prepared agenda
    activity: str = ""  # breakfast | coffee | lunch | evening | group name...
    travel_before: int = 0  # minutes
    travel_after: int = 0
    transparent: bool = False  # time defence: free until it turns busy
    private: bool = True  # CLASS:PRIVATE / visibility private
    in_person: bool = True
    pinned: bool = False  # the user moved it: keep as is

    def to_json(self) -> dict[str, object]:
        return {
            "uid": self.uid,
            "kind": str(self.kind),
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "location": self.location,
            "contacts": list(self.contacts),
            "categories": list(self.categories),
            "goal": self.goal,
        }

    @property
    def blocked_start(self) -> datetime:
        return self.start - timedelta(minutes=self.travel_before)

    @property
    def blocked_end(self) -> datetime:
        return self.end + timedelta(minutes=self.travel_after)


def fingerprint(start: datetime, end: datetime, title: str, location: str) -> str:
    """Hash of what a user can see and change of an owned event.

    Written content and read-back content are compared through it: a difference means the user
    moved or edited the event. Only fields every backend round-trips exactly are included.
    """
    parts = (
        start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"),
        end.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"),
        title.strip(),
        location.strip(),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class OwnedEvent:
    """An event carrying netweave's marker, as found in a writable calendar.

    ``nid`` is the planned event's uid (the marker's value). ``fingerprint`` is computed from what
    the calendar holds now (see :func:`fingerprint`); comparing it with what netweave wrote tells
    whether the user moved or edited the event.
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
    #: The user invited guests to it: it is theirs now (netweave never moves or deletes it).
    has_guests: bool = False
    accepted_by: tuple[str, ...] = ()  # attendees (lower-cased) whose PARTSTAT is ACCEPTED

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.start, self.end, self.title, self.location)


@dataclass(frozen=True)
class Promise:
    """Something the owner promised someone in a meeting (the interaction log's "you
    promised"): a follow-up task for the plan. ``key`` identifies the log entry."""

    key: str
    contact: str
    name: str
    text: str
    made: date  # the day of the meeting it was made in

    @property
    def uid(self) -> str:
        """The follow-up task's uid: one per promise, the same on every run."""
        return planned_uid("follow-up", "promise", self.key)


#: Every UID netweave writes lives under this domain; X-NETWEAVE-ID carries the same value.
UID_DOMAIN = "netweave.invalid"


def planned_uid(*parts: str) -> str:
    """A stable UID for a planned event from what identifies it (kind, contact ids, slot key)."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return f"nw-{h}@{UID_DOMAIN}"


def hold_uid(meeting: str, start: datetime) -> str:
    """The uid of the hold on ``start`` offered for the meeting ``meeting`` (stable)."""
    return planned_uid("hold", meeting, start.astimezone(UTC).isoformat())


def is_owned_uid(uid: str) -> bool:
    return uid.endswith("@" + UID_DOMAIN) and uid.startswith("nw-")


def planned_to_record(event: PlannedEvent) -> dict[str, object]:
    """Every field of a planned event as JSON-able values (for state and the last plan)."""
    out: dict[str, object] = {}
    for name in PlannedEvent.__dataclass_fields__:
        v = getattr(event, name)
        if isinstance(v, datetime):
            v = v.isoformat()
        elif isinstance(v, tuple):
            v = list(v)
        elif isinstance(v, Kind):
            v = str(v)
        out[name] = v
    return out


def planned_from_record(rec: dict[str, object]) -> PlannedEvent:
    kw: dict[str, object] = {}
    for name in PlannedEvent.__dataclass_fields__:
        if name not in rec:
            continue
        v = rec[name]
        if name in ("start", "end"):
            v = datetime.fromisoformat(str(v))
        elif name == "kind":
            v = Kind(str(v))
        elif isinstance(v, list):
            v = tuple(v)
        kw[name] = v
    return PlannedEvent(**kw)  # type: ignore[arg-type]


def content_hash(event: PlannedEvent) -> str:
    """Hash of everything written for an event: a change means the written copy needs an update."""

    rec = planned_to_record(event)
    rec.pop("pinned", None)
    data = json.dumps(rec, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
