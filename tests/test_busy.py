"""Busy time: sync/busy.py (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.busy import blocks_time, busy_from_events, free_slots, is_free, merge_busy, overlapping
from sync.model import Busy, Event


def at(hour: float, day: int = 5) -> datetime:
    return datetime(2024, 3, day, tzinfo=UTC) + timedelta(hours=hour)


def ev(start: float, end: float, **kw: object) -> Event:
    return Event(uid=f"u{start}-{end}", summary="s", start=at(start), end=at(end), **kw)  # type: ignore[arg-type]


def test_opaque_event_blocks() -> None:
    assert busy_from_events([ev(9, 10)]) == [Busy(at(9), at(10))]


def test_transparent_does_not_block() -> None:
    assert busy_from_events([ev(9, 10, transparent=True)]) == []


def test_cancelled_does_not_block() -> None:
    assert busy_from_events([ev(9, 10, cancelled=True)]) == []


def test_all_day_blocks_whole_days_unless_ignored() -> None:
    holiday = ev(0, 48, all_day=True)
    assert busy_from_events([holiday]) == [Busy(at(0), at(48))]
    assert busy_from_events([holiday], ignore_all_day=True) == []
    birthday = ev(0, 24, all_day=True, transparent=True)
    assert busy_from_events([birthday]) == []


def test_owned_events_excluded_only_when_asked() -> None:
    owned = ev(9, 10, netweave_id="nw-1@netweave.invalid")
    assert busy_from_events([owned]) == [Busy(at(9), at(10))]
    assert busy_from_events([owned], exclude_owned=True) == []
    assert busy_from_events([ev(9, 10)], exclude_owned=True) == [Busy(at(9), at(10))]


def test_zero_length_blocks_nothing() -> None:
    assert busy_from_events([ev(9, 9)]) == []
    assert not blocks_time(ev(9, 9))


def test_busy_keeps_source_and_summary_and_is_sorted() -> None:
    events = [
        Event("b", "Lunch", at(12), at(13), source="work"),
        Event("a", "Breakfast", at(8), at(9), source="home"),
    ]
    busy = busy_from_events(events)
    assert [(b.summary, b.source) for b in busy] == [("Breakfast", "home"), ("Lunch", "work")]


def test_duplicates_count_and_merge() -> None:
    busy = busy_from_events([ev(9, 10), ev(9, 10)])
    assert len(busy) == 2
    assert merge_busy(busy) == [Busy(at(9), at(10))]


def test_merge_overlapping_adjacent_and_contained() -> None:
    merged = merge_busy(
        [
            Busy(at(13), at(14)),
            Busy(at(9), at(10)),
            Busy(at(10), at(11)),  # adjacent
            Busy(at(10.5), at(12)),  # overlapping
            Busy(at(13.25), at(13.5)),  # contained
            Busy(at(15), at(15)),  # empty: dropped
        ]
    )
    assert merged == [Busy(at(9), at(12)), Busy(at(13), at(14))]


def test_merge_across_time_zones() -> None:
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    a = Busy(datetime(2024, 3, 5, 9, tzinfo=ny), datetime(2024, 3, 5, 10, tzinfo=ny))
    b = Busy(at(14.5), at(16))  # 9:30-11:00 New York
    assert merge_busy([b, a]) == [Busy(a.start, at(16))]


def test_merged_label_kept_only_when_pieces_agree() -> None:
    same = merge_busy([Busy(at(9), at(10), "w", "x"), Busy(at(10), at(11), "w", "x")])
    assert (same[0].source, same[0].summary) == ("w", "x")
    mixed = merge_busy([Busy(at(9), at(10), "w", "x"), Busy(at(10), at(11), "h", "y")])
    assert (mixed[0].source, mixed[0].summary) == ("", "")


def test_is_free() -> None:
    busy = merge_busy([Busy(at(9), at(10)), Busy(at(12), at(13))])
    assert is_free(busy, at(10), at(12))  # touching both ends is free
    assert is_free(busy, at(7), at(9))
    assert is_free(busy, at(13), at(20))
    assert not is_free(busy, at(9.5), at(9.75))  # inside
    assert not is_free(busy, at(8), at(9.25))  # overlapping the start
    assert not is_free(busy, at(11), at(14))  # covering a whole interval
    assert not is_free(busy, at(8), at(20))
    assert is_free([], at(8), at(9))
    assert not is_free(busy, at(9.5), at(9.5))  # an instant inside
    assert is_free(busy, at(10), at(10))  # an instant at an end


def test_overlapping_and_free_slots() -> None:
    busy = merge_busy([Busy(at(9), at(10)), Busy(at(12), at(13)), Busy(at(16), at(18))])
    assert overlapping(busy, at(9.5), at(12.5)) == busy[:2]
    assert overlapping(busy, at(10), at(12)) == []
    assert free_slots(busy, at(8), at(17)) == [
        (at(8), at(9)),
        (at(10), at(12)),
        (at(13), at(16)),
    ]
    assert free_slots(busy, at(8), at(17), min_length=timedelta(hours=2)) == [
        (at(10), at(12)),
        (at(13), at(16)),
    ]
    assert free_slots(busy, at(9), at(10)) == []
    assert free_slots([], at(9), at(10)) == [(at(9), at(10))]


intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 20)).map(
        lambda t: Busy(at(t[0] / 4), at(t[0] / 4 + t[1] / 4))
    ),
    max_size=25,
)


@settings(max_examples=100, deadline=None)
@given(busy=intervals, qs=st.integers(0, 220), ql=st.integers(0, 20))
def test_is_free_agrees_with_brute_force(busy: list[Busy], qs: int, ql: int) -> None:
    merged = merge_busy(busy)
    for a, b in zip(merged, merged[1:], strict=False):
        assert a.end < b.start  # sorted, disjoint, not touching
    start, end = at(qs / 4), at(qs / 4 + ql / 4)
    if end > start:
        brute = all(not (b.start < end and b.end > start) for b in busy if b.end > b.start)
    else:
        brute = all(not (b.start <= start < b.end) for b in busy)
    assert is_free(merged, start, end) == brute
    gaps = free_slots(merged, start, end)
    assert all(is_free(merged, s, e) for s, e in gaps)
    covered = sum((e - s for s, e in gaps), timedelta(0))
    blocked = sum(
        (min(b.end, end) - max(b.start, start) for b in overlapping(merged, start, end)),
        timedelta(0),
    )
    assert covered + blocked == max(end - start, timedelta(0))


def test_an_invitation_the_owner_declined_does_not_block() -> None:
    from datetime import UTC, datetime

    from sync.busy import blocks_time, busy_from_events
    from sync.model import Event

    t = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    declined = Event("inv-1", "Vendor pitch", t, t.replace(hour=16), declined_by=("dana@x.com",))
    other = Event("inv-2", "Team sync", t, t.replace(hour=16), declined_by=("bob@x.com",))
    assert blocks_time(declined)  # without knowing the owner: conservative
    assert not blocks_time(declined, owner=frozenset({"dana@x.com"}))
    assert blocks_time(other, owner=frozenset({"dana@x.com"}))
    busy = busy_from_events([declined, other], owner_emails=["Dana@X.com"])
    assert [b.summary for b in busy] == ["Team sync"]
