"""The promises checked on every run before anything is written: no two of netweave's events
overlap (travel and buffers included), none overlaps busy time, and nothing is deleted unless
every source read healthy. A broken one means a bug upstream: the run writes nothing and says
which promise and which events. Pure functions over model objects.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import accumulate

from sync.model import Busy, Kind, PlannedEvent


def check_plan(
    plan: Sequence[PlannedEvent], busy: Sequence[Busy], buffer_minutes: int, now: datetime
) -> list[str]:
    """What is wrong with ``plan`` (empty when nothing is). Events the user moved are theirs to
    place, and events already begun stand as they are: neither is checked. A travel block is
    its activity's travel shown on its own: the activity's footprint, checked, covers it."""
    from sync.planner import footprint

    open_ = sorted(
        (e for e in plan if not e.pinned and e.end > now and e.kind != Kind.TRAVEL),
        key=lambda e: (e.start, e.uid),
    )
    spans = [(*footprint(e, buffer_minutes), e) for e in open_]
    broken = [
        f"{_name(e)} and {_name(f)} overlap (travel and buffers included)"
        for e, f in _overlapping_pairs(spans)
    ]
    blocked = sorted(busy)
    latest_end = list(accumulate((x.end for x in blocked), max))
    for a, b, e in spans:
        if e.start <= now:
            continue
        hit = _first_overlap(blocked, latest_end, a, b)
        if hit is not None:
            what = f" ({hit.summary})" if hit.summary else ""
            broken.append(
                f"{_name(e)} overlaps busy time {hit.start:%Y-%m-%d %H:%M}-{hit.end:%H:%M}"
                f"{what} in {hit.source or 'a calendar'}"
            )
    return broken


def check_deletes(deletes: int, all_healthy: bool) -> list[str]:
    """Deleting is only for a plan made with every source healthy."""
    if deletes and not all_healthy:
        return [f"{deletes} deletes decided while a source is not trusted"]
    return []


def _overlapping_pairs(
    spans: Sequence[tuple[datetime, datetime, PlannedEvent]],
) -> Iterable[tuple[PlannedEvent, PlannedEvent]]:
    ordered = sorted(spans, key=lambda s: (s[0], s[1], s[2].uid))
    for i, (_a, b, e) in enumerate(ordered):
        for a2, _b2, f in ordered[i + 1 :]:
            if a2 >= b:
                break
            yield e, f


def _first_overlap(
    blocked: Sequence[Busy], latest_end: Sequence[datetime], a: datetime, b: datetime
) -> Busy | None:
    """The first interval of ``blocked`` (sorted by start; ``latest_end[i]`` the latest end
    among the first i + 1) that overlaps [a, b)."""
    for i in range(bisect_right(latest_end, a), len(blocked)):
        x = blocked[i]
        if x.start >= b:
            return None
        if x.end > a:
            return x
    return None


def _name(e: PlannedEvent) -> str:
    return f"{e.title!r} ({e.start:%Y-%m-%d %H:%M})"
