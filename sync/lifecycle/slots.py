"""The times a meeting could go besides the one held: the same window on nearby days, free of
busy time and of everything else planned. Offered together in an outreach message. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta, tzinfo

from sync.config import Window
from sync.model import Busy, PlannedEvent

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEARCH_DAYS = 10  # how far either side of the held day alternatives are looked for


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
    now: datetime,
    tz: tzinfo,
    count: int,
    buffer_minutes: int = 0,
) -> list[tuple[datetime, datetime]]:
    """The held slot and up to ``count - 1`` others, nearest days first, in time order."""
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
    found: list[tuple[datetime, datetime]] = []
    for offset in sorted(range(-SEARCH_DAYS, SEARCH_DAYS + 1), key=lambda d: (abs(d), d < 0)):
        if offset == 0 or len(found) >= count - 1:
            continue
        day = local.date() + timedelta(days=offset)
        if _DAYS[day.weekday()] not in window.days:
            continue
        start = datetime.combine(day, time(at.hour, at.minute), tz)
        end = start + length
        if start <= now + timedelta(days=1):
            continue  # not tomorrow or sooner: the other person needs time to answer
        if _free(start, end, pad, busy, planned, event.uid):
            found.append((start, end))
    return sorted([held, *found])
