"""The busy time the outreach offers look at (``engine.lifecycle._busy_near``) holds every
interval that :func:`sync.lifecycle.slots.offered_slots` would keep for the days it searches,
so narrowing it first changes no offered time."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.engine.lifecycle import _busy_near
from sync.lifecycle.slots import SEARCH_DAYS
from sync.model import Busy

TZ = ZoneInfo("America/New_York")
BASE = datetime(2026, 3, 1, tzinfo=TZ)
_MIN = st.integers(min_value=-90 * 24 * 60, max_value=90 * 24 * 60)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_MIN, st.integers(0, 30 * 24 * 60)), max_size=40),
    _MIN,
    st.integers(0, 12 * 60),
)
def test_the_busy_near_an_offer_holds_all_the_offer_can_meet(
    spans: list[tuple[int, int]], at_min: int, pad_min: int
) -> None:
    busy = [
        Busy(BASE + timedelta(minutes=a), BASE + timedelta(minutes=a + length))
        for a, length in spans
    ]
    at = BASE + timedelta(minutes=at_min)
    # offered_slots' own filter: from the held day's midnight to the day after the last searched
    local = at.astimezone(TZ)
    pad = timedelta(minutes=pad_min)
    lo = datetime.combine(local.date(), time(0), TZ) - pad
    hi = datetime.combine(local.date() + timedelta(days=SEARCH_DAYS + 1), time(0), TZ) + pad
    wanted = [x for x in busy if x.start < hi and lo < x.end]
    near = _busy_near(busy)(at)
    assert all(any(x is y for y in near) for x in wanted)
