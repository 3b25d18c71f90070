"""Where the owner is during one run: the away and out-of-office intervals found in the
calendar (``away``) as timelines the slot search asks, and why a day had no activity (for
``plan --explain``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sync.config import Config
from sync.planner.away import TRIP_GAP, Away, Town, away_intervals, town_words
from sync.planner.clock import Clock, epoch
from sync.planner.inputs import PlanInput
from sync.planner.timeline import Timeline

#: How far before the plan's start the calendar is read for trips (see Presence).
HISTORY_MARGIN = timedelta(days=7) + TRIP_GAP + timedelta(days=3)


def town_of(cfg: Config) -> Town:
    """What counts as in town: ``travel.home_words``, the places, the zone's city."""
    extra: list[str] = list(cfg.travel.home_words)
    for p in cfg.places:
        extra.extend((p.name, *p.words))
        if p.address:
            extra.append(p.address)
    return Town(town_words(cfg.owner.timezone, extra))


class Presence:
    def __init__(self, inp: PlanInput, clock: Clock) -> None:
        cfg = inp.config
        tz = cfg.tz
        self.clock = clock
        # Only what can reach the horizon: a trip is a chain of signs at most TRIP_GAP apart,
        # so two weeks before the start (the first Monday and the gap) is margin enough, and
        # years of history are not read sign by sign.
        since = datetime.combine(inp.start - HISTORY_MARGIN, time(0), tz)
        recent = [e for e in inp.events if e.end >= since]
        self.intervals: list[Away] = away_intervals(recent, tz, town_of(cfg))
        spans = [(epoch(a.start, tz), epoch(a.end, tz), a) for a in self.intervals]
        self.spans = spans
        self.away = Timeline((a, b) for a, b, _ in spans)  # no in-person activity
        self.off = Timeline((a, b) for a, b, x in spans if x.off)  # no activity at all
        self.virtual_away = cfg.travel.virtual_when_away
        self.days_off = dict(inp.days_off)

    def conflict(self, a: int, b: int, in_person: bool) -> int | None:
        """None if the owner may have an activity in [a, b) (in person: in town), else the
        end of the away (or off) time in the way."""
        if in_person or not self.virtual_away:
            return self.away.conflict(a, b)
        return self.off.conflict(a, b)

    def why_not(self, day: date) -> str:
        """Why ``day`` may have no activity ("" if nothing says so)."""
        if day in self.days_off:
            return self.days_off[day]
        a = self.clock.ts(day, time(6, 0))
        b = self.clock.ts(day, time(22, 0))
        for s, e, x in self.spans:
            if s < b and e > a:
                return ("out of office" if x.off else "away") + (f" ({x.where})" if x.where else "")
        return ""
