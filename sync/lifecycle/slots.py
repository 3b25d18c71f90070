"""The times a meeting could go besides the one held: the same window on the days after it,
free of busy time and of the other planned events. Offered together in an outreach message.
Pure, and a function of the held slot, the calendars and the plan (not of the clock), so that
the message written into an event's agenda changes only when the plan around it does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta, tzinfo

from sync.config import Window
from sync.model import Busy, Kind, PlannedEvent, hold_uid

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEARCH_DAYS = 14  # how far after the held day alternatives are looked for


def _free(
    start: datetime,
    end: datetime,
    pad: timedelta,
    busy: Sequence[Busy],
    planned: Sequence[PlannedEvent],
    own: str,
) -> bool:
    a, b = start - pad, end + pad
    if any(x.start < b and a < x.end for x in busy):
        return False
    return not any(
        e.uid != own and not e.transparent and e.blocked_start < b and a < e.blocked_end
        for e in planned
    ) and not any(
        e.uid != own and e.transparent and e.start < end and start < e.end for e in planned
    )


def offered_slots(
    event: PlannedEvent,
    window: Window | None,
    busy: Sequence[Busy],
    planned: Sequence[PlannedEvent],
    tz: tzinfo,
    count: int,
    buffer_minutes: int = 0,
) -> list[tuple[datetime, datetime]]:
    """The held slot and up to ``count - 1`` later ones, nearest days first, in time order.
    ``planned``: other events to keep clear of (the engine passes none, for stability)."""
    held = (event.start, event.end)
    if window is None or count < 2:
        return [held]
    local = event.start.astimezone(tz)
    length = event.end - event.start
    at = local.time()
    if not (
        window.start <= at and (datetime.combine(local.date(), at) + length).time() <= window.end
    ):
        at = window.start
    pad = timedelta(minutes=buffer_minutes + event.travel_before)
    # Only the busy time of the days searched: the calendars hold years of it.
    lo = datetime.combine(local.date(), time(0), tz) - pad
    hi = datetime.combine(local.date() + timedelta(days=SEARCH_DAYS + 1), time(0), tz) + pad
    busy = [x for x in busy if x.start < hi and lo < x.end]
    found: list[tuple[datetime, datetime]] = []
    for offset in range(1, SEARCH_DAYS + 1):
        if len(found) >= count - 1:
            break
        day = local.date() + timedelta(days=offset)
        if _DAYS[day.weekday()] not in window.days:
            continue
        start = datetime.combine(day, time(at.hour, at.minute), tz)
        end = start + length
        if _free(start, end, pad, busy, planned, event.uid):
            found.append((start, end))
    return sorted([held, *found])


def hold_for(meeting: PlannedEvent, name: str, start: datetime, end: datetime) -> PlannedEvent:
    """The hold on another time offered for ``meeting``: free (transparent), titled so the
    owner sees what it is, with the meeting's place and travel; the neutral view hides it
    on a shared calendar like any event."""
    what = meeting.title[:1].lower() + meeting.title[1:] if meeting.title else "meeting"
    first = name.split()[0] if name.split() else name
    return replace(
        meeting,
        uid=hold_uid(meeting.uid, start),
        kind=Kind.HOLD,
        title=f"Hold: {what} (offered)",
        start=start,
        end=end,
        description=(
            f"Offered to {name} as a time for {meeting.title}. Held free until they choose: "
            f"`netweave confirm {first}` makes the chosen time the meeting and releases this."
        ),
        transparent=True,
        pinned=False,
    )
