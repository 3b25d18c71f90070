"""Events, contacts and problems as the plain tuples a cache entry holds, and back.

Entries hold plain tuples (marshal keeps tuples as tuples), so decoding is mostly handing a
row to the model: no per-field conversion but times, ties and dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sync.model import Contact, Event, Problem, Tie


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


def enc_problems(problems: Iterable[Problem]) -> tuple[tuple[str, str, str | None], ...]:
    return tuple((p.source, p.message, p.place) for p in problems)


def dec_problems(rows: Iterable[Sequence[str | None]]) -> list[Problem]:
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
    "zone",
    "status",
    "description",
)
#: If the model's fields change, the cache follows (events are then decoded field by field).
_EVENT_FAST = tuple(Event.__dataclass_fields__) == _EVENT_LAYOUT


def enc_event(e: Event) -> tuple[Any, ...]:
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
        e.zone,
        e.status,
        e.description,
    )


def dec_event(r: Sequence[Any]) -> Event:
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
        fields = dict(zip(_EVENT_LAYOUT, r, strict=True))
        return Event(**{**fields, "start": start, "end": end, "recurrence_id": rid})
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
            "zone": r[13],
            "status": r[14],
            "description": r[15],
        },
    )
    return e


#: The layout below. If the model's fields change, contacts are not cached until it follows.
CONTACT_FIELDS = tuple(Contact.__dataclass_fields__)
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
CONTACTS_CACHEABLE = CONTACT_FIELDS == _CONTACT_LAYOUT
_TIES = {str(t): t for t in Tie}
_TIE_AT = _CONTACT_LAYOUT.index("tie")
_LAST_MET_AT = _CONTACT_LAYOUT.index("last_met")


def enc_contact(c: Contact) -> tuple[Any, ...]:
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


def dec_contact(r: Sequence[Any]) -> Contact:
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


DECODE_ERRORS = (ValueError, KeyError, TypeError, IndexError, EOFError, OverflowError, OSError)
