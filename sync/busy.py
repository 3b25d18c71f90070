"""Busy time: which event instances block the calendar, merged into sorted intervals. Pure.

Typical use::

    busy = merge_busy(busy_from_events(events))
    if is_free(busy, slot_start, slot_end): ...
    for gap_start, gap_end in free_slots(busy, day_start, day_end, min_length=timedelta(hours=1)):
        ...

Rules: transparent and cancelled instances do not block; all-day
opaque events block their whole days (the reader has already put them at midnight to midnight in
the owner's zone) unless ``ignore_all_day``; zero-length events block nothing. With
``exclude_owned``, events carrying netweave's marker do not count (a re-plan must be free to keep
or move them).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from operator import attrgetter

from sync.model import Busy, Event


def blocks_time(
    event: Event,
    *,
    ignore_all_day: bool = False,
    exclude_owned: bool = False,
    owner: frozenset[str] = frozenset(),
) -> bool:
    """Whether this event instance makes its time busy. ``owner``: the owner's lower-cased
    emails; an invitation the owner declined does not block."""
    if event.transparent or event.cancelled:
        return False
    if owner and event.declined_by and not owner.isdisjoint(event.declined_by):
        return False
    if ignore_all_day and event.all_day:
        return False
    if exclude_owned and event.netweave_id:
        return False
    return event.end > event.start


#: The order of :class:`Busy` (start, end) as a sort key.
_ORDER = attrgetter("start", "end")


def busy_from_events(
    events: Iterable[Event],
    *,
    ignore_all_day: bool = False,
    exclude_owned: bool = False,
    owner_emails: Iterable[str] = (),
) -> list[Busy]:
    """One :class:`Busy` per blocking event instance, sorted by (start, end); not merged
    (each keeps its event's source and summary). Pass the result to :func:`merge_busy`.
    Invitations one of ``owner_emails`` declined do not block."""
    owner = frozenset(e.strip().lower() for e in owner_emails)
    out = [
        Busy(event.start, event.end, source=event.source, summary=event.summary)
        for event in events
        if blocks_time(
            event, ignore_all_day=ignore_all_day, exclude_owned=exclude_owned, owner=owner
        )
    ]
    out.sort(key=_ORDER)  # Busy's own order, without a Python __lt__ per comparison
    return out


def merge_busy(busy: Iterable[Busy]) -> list[Busy]:
    """Sorted, disjoint intervals: overlapping and touching ones are merged.

    A merged interval keeps the source and summary of its first piece when all its pieces agree
    on them, else an empty string. Empty or inverted intervals are dropped.
    """
    ordered = sorted((b for b in busy if b.end > b.start), key=_ORDER)
    merged: list[Busy] = []
    for item in ordered:
        if merged and item.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Busy(
                last.start,
                max(last.end, item.end),
                source=last.source if item.source == last.source else "",
                summary=last.summary if item.summary == last.summary else "",
            )
        else:
            merged.append(item)
    return merged


def is_free(busy_sorted: Sequence[Busy], start: datetime, end: datetime) -> bool:
    """Whether [start, end) touches no busy interval. O(log n).

    ``busy_sorted`` must come from :func:`merge_busy` (sorted and disjoint). A zero-length
    query asks about the instant ``start``.
    """
    i = bisect_left(busy_sorted, start, key=lambda b: b.end)
    # busy_sorted[i] is the first interval ending at or after start; skip one ending exactly
    # at start (it does not overlap [start, ...)).
    if i < len(busy_sorted) and busy_sorted[i].end == start:
        i += 1
    if i >= len(busy_sorted):
        return True
    first = busy_sorted[i]
    if end <= start:
        return not (first.start <= start < first.end)
    return first.start >= end


def overlapping(busy_sorted: Sequence[Busy], start: datetime, end: datetime) -> list[Busy]:
    """The intervals of a merged list that overlap [start, end)."""
    i = bisect_left(busy_sorted, start, key=lambda b: b.end)
    out: list[Busy] = []
    while i < len(busy_sorted) and busy_sorted[i].start < end:
        if busy_sorted[i].end > start:
            out.append(busy_sorted[i])
        i += 1
    return out


def free_slots(
    busy_sorted: Sequence[Busy],
    start: datetime,
    end: datetime,
    *,
    min_length: timedelta = timedelta(0),
) -> list[tuple[datetime, datetime]]:
    """The free gaps of [start, end), in order, each at least ``min_length`` long (and never
    empty). ``busy_sorted`` must come from :func:`merge_busy`."""
    gaps: list[tuple[datetime, datetime]] = []
    cursor = start
    for b in overlapping(busy_sorted, start, end):
        if b.start > cursor:
            gaps.append((cursor, b.start))
        cursor = max(cursor, b.end)
    if end > cursor:
        gaps.append((cursor, end))
    return [(s, e) for s, e in gaps if e - s >= min_length and e > s]
