"""Google Calendar's event JSON and netweave's model: reading events, writing planned ones.

Owned events carry ``extendedProperties.private`` ``{"netweave": "owned", "netweaveId": uid}``
and an event id derived from the planned uid and a generation (so a retried insert meets its
own earlier attempt instead of duplicating it). Google keeps every id it has seen, deleted
events' included, so a meeting planned again after netweave deleted it is written with the next
generation. Only the id is sent, never an iCalUID (Google says to supply one of them).

Updates are patches of the fields netweave owns (:data:`OWNED_FIELDS`): guests, reminders,
colour, attachments and conference data the user added are never sent, so never lost; text the
user appended to the description is kept (:mod:`sync.export.keep`). Also the slim copy of an
event kept in the incremental read's cache, and busy intervals from ``freebusy.query``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from sync.export.keep import merge_notes, notes_hash
from sync.model import Event, PlannedEvent
from sync.sources.base import OwnedEvent
from sync.sources.google.http import Json

#: extendedProperties.private keys of owned events.
MARKER_KEY = "netweave"
MARKER_VALUE = "owned"
ID_KEY = "netweaveId"
NOTES_KEY = "netweaveNotes"  # hash of the description netweave wrote
#: The event fields netweave writes on an update; nothing else is ever sent.
OWNED_FIELDS = (
    "summary", "location", "description", "start", "end", "visibility", "transparency",
    "extendedProperties", "sequence",
)  # fmt: skip


def event_id_for(uid: str, generation: int = 0) -> str:
    """The Google event id netweave uses for a planned UID (base32hex alphabet, stable); a
    meeting planned again after its event was deleted gets the next ``generation``."""
    key = uid if generation == 0 else f"{uid}\x1f{generation}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def rfc3339(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _when(dt: datetime) -> Json:
    out: Json = {"dateTime": dt.isoformat()}
    if isinstance(dt.tzinfo, ZoneInfo):
        out["timeZone"] = dt.tzinfo.key
    return out


def _owned_fields(event: PlannedEvent, description: str) -> Json:
    private = {
        MARKER_KEY: MARKER_VALUE,
        ID_KEY: event.uid,
        NOTES_KEY: notes_hash(event.description),
    }
    return {
        "summary": event.title,
        "location": event.location,
        "description": description,
        "start": _when(event.start),
        "end": _when(event.end),
        "visibility": "private" if event.private else "default",
        "transparency": "transparent" if event.transparent else "opaque",
        "extendedProperties": {"private": private},
    }


def event_body(event: PlannedEvent, generation: int = 0) -> Json:
    """The Google event resource to insert for a planned event, with netweave's marker."""
    return {
        "id": event_id_for(event.uid, generation),
        **_owned_fields(event, event.description),
        "status": "confirmed",
        "reminders": {"useDefault": True},
        "guestsCanSeeOtherGuests": False,
    }


def patch_body(event: PlannedEvent, sequence: int, current: Json | None) -> Json:
    """The patch that makes an owned event hold ``event``: only :data:`OWNED_FIELDS`, the
    description keeping what the user appended to netweave's (``current``: the event as
    listed, when known)."""
    description = event.description
    if current is not None:
        private = (current.get("extendedProperties") or {}).get("private") or {}
        written = private.get(NOTES_KEY)
        description = merge_notes(str(current.get("description") or ""), written, event.description)
    return {**_owned_fields(event, description), "sequence": sequence}


def holds(item: Json, event: PlannedEvent) -> bool:
    """Whether a Google event holds what netweave would write for ``event`` (times, title,
    location and marker): after a write whose answer was lost, it tells our own landed write
    from someone else's change."""
    private = (item.get("extendedProperties") or {}).get("private") or {}
    try:
        start, _ = _parse_when(item["start"], UTC)
        end, _ = _parse_when(item["end"], UTC)
    except (KeyError, TypeError, ValueError):
        return False
    return (
        item.get("status") != "cancelled"
        and private.get(MARKER_KEY) == MARKER_VALUE
        and private.get(ID_KEY) == event.uid
        and start == event.start
        and end == event.end
        and str(item.get("summary") or "") == event.title
        and str(item.get("location") or "") == event.location
    )


def is_ours(item: Json, uid: str) -> bool:
    """A live event carrying netweave's marker for ``uid``."""
    private = (item.get("extendedProperties") or {}).get("private") or {}
    return (
        item.get("status") != "cancelled"
        and private.get(MARKER_KEY) == MARKER_VALUE
        and private.get(ID_KEY) == uid
    )


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
    nid = private.get(ID_KEY) if private.get(MARKER_KEY) == MARKER_VALUE else None
    return Event(
        uid=str(nid or item.get("iCalUID") or item["id"]),
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
        netweave_id=nid,
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
        has_guests=has_guests(item),
        accepted_by=tuple(
            str(a["email"]).lower()
            for a in item.get("attendees") or ()
            if isinstance(a, dict)
            and a.get("email")
            and a.get("responseStatus") == "accepted"
            and not a.get("self")
        ),
    )


def has_guests(item: Json) -> bool:
    """Whether someone besides the calendar's owner is invited (rooms and resources aside)."""
    return any(
        isinstance(a, dict) and not a.get("self") and not a.get("resource")
        for a in item.get("attendees") or []
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
    busy: list[tuple[datetime, datetime]], calendar_id: str, source: str
) -> list[Event]:
    """``freebusy.query``'s busy intervals of one calendar as events titled "Busy"."""
    return [
        Event(
            uid=f"freebusy-{calendar_id}-{rfc3339(bs)}",
            summary="Busy",
            start=bs,
            end=be,
            source=source,
        )
        for bs, be in busy
    ]
