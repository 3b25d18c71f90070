"""Google Calendar's event JSON and netweave's model: reading events, writing planned ones.

Owned events carry ``extendedProperties.private`` ``{"netweave": "owned", "netweaveId": uid}``,
the iCalUID of the plan and an event id derived from it (so a retried insert cannot duplicate).
Also the slim copy of an event kept in the incremental read's cache, and busy intervals from
``freebusy.query``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from sync.model import Event, PlannedEvent, Problem
from sync.sources.base import OwnedEvent
from sync.sources.google.http import Json

#: extendedProperties.private keys of owned events.
MARKER_KEY = "netweave"
MARKER_VALUE = "owned"
ID_KEY = "netweaveId"


def event_id_for(uid: str) -> str:
    """The Google event id netweave uses for a planned UID (base32hex alphabet, stable)."""
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40]


def rfc3339(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _when(dt: datetime) -> Json:
    out: Json = {"dateTime": dt.isoformat()}
    if isinstance(dt.tzinfo, ZoneInfo):
        out["timeZone"] = dt.tzinfo.key
    return out


def event_body(event: PlannedEvent, sequence: int | None = None) -> Json:
    """The Google event resource for a planned event, with netweave's ownership marker."""
    body: Json = {
        "id": event_id_for(event.uid),
        "iCalUID": event.uid,
        "summary": event.title,
        "location": event.location,
        "description": event.description,
        "start": _when(event.start),
        "end": _when(event.end),
        "visibility": "private" if event.private else "default",
        "transparency": "transparent" if event.transparent else "opaque",
        "status": "confirmed",
        "extendedProperties": {"private": {MARKER_KEY: MARKER_VALUE, ID_KEY: event.uid}},
        "reminders": {"useDefault": True},
        "guestsCanSeeOtherGuests": False,
    }
    if sequence is not None:
        body["sequence"] = sequence
    return body


def _parse_when(w: Json, tz: tzinfo) -> tuple[datetime, bool]:
    if "dateTime" in w:
        dt = datetime.fromisoformat(w["dateTime"])
        zone: tzinfo = tz
        if w.get("timeZone"):
            try:
                zone = ZoneInfo(w["timeZone"])
            except (ValueError, KeyError):  # not an IANA name: keep the offset given
                zone = tz
        dt = dt.replace(tzinfo=zone) if dt.tzinfo is None else dt.astimezone(zone)
        return dt, False
    if "date" in w:
        return datetime.combine(date.fromisoformat(w["date"]), datetime.min.time(), tz), True
    raise ValueError(f"no dateTime or date in {w!r}")


def to_event(item: Json, tz: tzinfo, source: str) -> Event:
    start, all_day = _parse_when(item["start"], tz)
    end, _ = _parse_when(item["end"], tz)
    if end < start:
        raise ValueError("ends before it starts")
    attendees = [a for a in item.get("attendees") or [] if isinstance(a, dict)]
    declined = any(a.get("self") and a.get("responseStatus") == "declined" for a in attendees)
    emails = [str(a["email"]).lower() for a in attendees if a.get("email")]
    org = (item.get("organizer") or {}).get("email")
    if org and org.lower() not in emails:
        emails.insert(0, str(org).lower())
    recurrence_id = None
    if item.get("originalStartTime"):
        recurrence_id, _ = _parse_when(item["originalStartTime"], tz)
    private = (item.get("extendedProperties") or {}).get("private") or {}
    return Event(
        uid=str(item.get("iCalUID") or item["id"]),
        summary=str(item.get("summary") or ""),
        start=start,
        end=end,
        all_day=all_day,
        transparent=item.get("transparency") == "transparent"
        or declined
        or item.get("eventType") == "workingLocation",
        cancelled=item.get("status") == "cancelled",
        attendees=tuple(emails),
        location=str(item.get("location") or "") or _working_location(item),
        source=source,
        recurrence_id=recurrence_id,
        netweave_id=private.get(ID_KEY) if private.get(MARKER_KEY) == MARKER_VALUE else None,
        zone=_zone_of(start, tz),
        status=_STATUS.get(str(item.get("eventType") or ""), ""),
    )


_STATUS = {"outOfOffice": "out-of-office", "workingLocation": "working-location"}


def _working_location(item: Json) -> str:
    """Where a working-location event says the owner works ("" for other events)."""
    wl = item.get("workingLocationProperties")
    if not isinstance(wl, dict):
        return ""
    if wl.get("type") == "homeOffice" or "homeOffice" in wl:
        return "Home"
    for key in ("customLocation", "officeLocation"):
        v = wl.get(key)
        if isinstance(v, dict) and v.get("label"):
            return str(v["label"])
    return ""


def _zone_of(start: datetime, owner: tzinfo) -> str:
    """The event's own zone when its clock differs from the owner's (a trip), else ""."""
    name = str(getattr(start.tzinfo, "key", "") or "")
    if not name or name.upper() in ("UTC", "ETC/UTC", "GMT"):
        return ""
    return "" if start.utcoffset() == start.astimezone(owner).utcoffset() else name


def to_owned(item: Json, tz: tzinfo) -> OwnedEvent:
    private = (item.get("extendedProperties") or {}).get("private") or {}
    start, _ = _parse_when(item["start"], tz)
    end, _ = _parse_when(item["end"], tz)
    return OwnedEvent(
        nid=str(private[ID_KEY]),
        href=str(item["id"]),
        etag=str(item["etag"]),
        start=start,
        end=end,
        title=str(item.get("summary") or ""),
        location=str(item.get("location") or ""),
        sequence=int(item.get("sequence") or 0),
        transparent=item.get("transparency") == "transparent",
    )


_CACHE_KEYS = (
    "id", "status", "iCalUID", "summary", "location", "start", "end", "transparency",
    "attendees", "organizer", "recurringEventId", "originalStartTime", "eventType",
    "extendedProperties", "workingLocationProperties",
)  # fmt: skip


def slim(item: Json) -> Json:
    out = {k: item[k] for k in _CACHE_KEYS if k in item}
    if "attendees" in out:
        out["attendees"] = [
            {k: a[k] for k in ("email", "self", "responseStatus") if k in a}
            for a in out["attendees"]
            if isinstance(a, dict)
        ]
    return out


def busy_events(
    busy: list[Json], calendar_id: str, source: str
) -> tuple[list[Event], list[Problem]]:
    """``freebusy.query``'s busy intervals of one calendar as events titled "Busy"."""
    events: list[Event] = []
    problems: list[Problem] = []
    for i, b in enumerate(busy):
        try:
            bs, be = datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"])
        except (KeyError, ValueError) as ex:
            problems.append(Problem(source, f"bad free/busy interval: {ex}", f"busy[{i}]"))
            continue
        events.append(
            Event(
                uid=f"freebusy-{calendar_id}-{rfc3339(bs)}",
                summary="Busy",
                start=bs,
                end=be,
                source=source,
            )
        )
    return events, problems
