"""Travel as busy blocks of its own ("Travel", before and after an in-person activity), so
that someone who books from a shared calendar does not fill the drive with a call.

They are written where ``travel.blocks`` says: ``shared`` (the default) on shared calendars,
``always`` on every calendar netweave writes to, ``never`` nowhere. Their time is the
activity's travel, already counted in the week's budget with it: a block adds no minutes. They
follow their activity (made again every run, never kept on their own); one the user moved or
deleted stays as the user left it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from sync.config import Config
from sync.model import Kind, PlannedEvent, planned_uid
from sync.planner.clock import is_activity
from sync.planner.context import Context

TITLE = "Travel"


def wants_travel_blocks(cfg: Config, shared: bool | None = None) -> bool:
    """Whether travel blocks are written (to a calendar that is ``shared`` or not; None: to
    any calendar netweave writes to)."""
    mode = cfg.travel.blocks
    if mode == "never":
        return False
    if mode == "always":
        return True
    if shared is None:
        return any(c.write and c.shared for c in cfg.calendars)
    return shared


def travel_uid(parent_uid: str, leg: str) -> str:
    return planned_uid(str(Kind.TRAVEL), parent_uid, leg)


def with_travel(events: Sequence[PlannedEvent], ctx: Context) -> list[PlannedEvent]:
    """``events`` and a travel block before and after each in-person activity with travel."""
    out = list(events)
    have = {e.uid for e in events}
    board = ctx.board
    for e in events:
        if not is_activity(e.kind) or not e.in_person:
            continue
        legs = (
            ("to", e.start - timedelta(minutes=e.travel_before), e.start),
            ("from", e.end, e.end + timedelta(minutes=e.travel_after)),
        )
        for leg, a, b in legs:
            uid = travel_uid(e.uid, leg)
            if b <= a or uid in have or not board.generated(uid):
                continue
            out.append(
                PlannedEvent(
                    uid=uid,
                    kind=Kind.TRAVEL,
                    title=TITLE,
                    start=a,
                    end=b,
                    activity=e.activity,
                    transparent=e.transparent,
                    in_person=False,
                )
            )
    out.sort(key=lambda e: (e.start, e.uid))
    return [replace(e) for e in out]
