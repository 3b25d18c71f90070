"""Time for the planner: the owner's clock, the horizon of one run (its weeks, now and today),
and what an event takes out of the day (its footprint: travel, and a buffer before and after
an activity; prep and follow-up blocks have no buffer of their own).

All arithmetic is on UTC epoch seconds; local wall-clock times are converted with zoneinfo,
so DST weeks are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sync.model import Kind, PlannedEvent
from sync.planner.inputs import PlanInput


@dataclass(frozen=True)
class Clock:
    tz: ZoneInfo

    def ts(self, day: date, t: time) -> int:
        return int(datetime.combine(day, t, tzinfo=self.tz).timestamp())

    def dt(self, ts: int) -> datetime:
        return datetime.fromtimestamp(ts, self.tz)

    def day(self, ts: int) -> date:
        return datetime.fromtimestamp(ts, self.tz).date()


def epoch(d: datetime, tz: ZoneInfo) -> int:
    """Epoch seconds of ``d``; a naive ``d`` is a wall-clock time in ``tz``."""
    if d.tzinfo is None:
        d = d.replace(tzinfo=tz)
    return int(d.timestamp())


def is_activity(kind: Kind) -> bool:
    return kind in (Kind.ONE_ON_ONE, Kind.GROUP)


def week_label(monday: date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def footprint(event: PlannedEvent, buffer_minutes: int) -> tuple[datetime, datetime]:
    """The time an event takes out of the day: travel, plus the buffer for activities."""
    buf = timedelta(minutes=buffer_minutes if is_activity(event.kind) else 0)
    return event.blocked_start - buf, event.blocked_end + buf


#: The activity of a follow-up task that keeps a promise (``Events.promise``).
PROMISE = "promise"


def in_budget(event: PlannedEvent) -> bool:
    """Whether an event counts in the weekly budget: not a hold (an offer, not a meeting)
    nor the task that keeps a promise (an obligation already made: it goes in the first free
    time, however full the week)."""
    if event.kind == Kind.HOLD:
        return False
    return not (event.kind == Kind.FOLLOW_UP and event.activity == PROMISE)


def cost_minutes(event: PlannedEvent, buffer_minutes: int) -> int:
    """Minutes of the weekly budget an event uses (meeting, travel, buffers)."""
    a, b = footprint(event, buffer_minutes)
    return int((b.timestamp() - a.timestamp()) // 60)


def lead_day(today: date, working_days: int, off: frozenset[date]) -> date:
    """The first day after ``working_days`` working days (Monday to Friday, not off) have
    passed since ``today``: the earliest a new one-on-one goes, so it can be asked first."""
    d = today
    left = working_days
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in off:
            left -= 1
    return d + timedelta(days=1) if working_days else d


@dataclass(frozen=True)
class Horizon:
    """The weeks of one run (week index 0 is the ISO week of ``start``) and its present."""

    clock: Clock
    start: date
    end: date  # exclusive
    monday0: date
    n_weeks: int
    now: int  # epoch seconds, never before the start
    today: date
    run_today: date  # the local day of the run (time defence counts from it)
    buffer: int  # seconds before and after every activity
    off: frozenset[date] = frozenset()  # public holidays and days off: no activity
    first_new: date = date.min  # no new one-on-one before this day (planner.lead_days)

    @classmethod
    def of(cls, inp: PlanInput) -> Horizon:
        tz = inp.config.tz
        clock = Clock(tz)
        end = inp.start + timedelta(days=7 * max(inp.weeks, 0))
        monday0 = inp.start - timedelta(days=inp.start.weekday())
        last_day = end - timedelta(days=1)
        n_weeks = (last_day - monday0).days // 7 + 1 if inp.weeks > 0 else 0
        now = max(epoch(inp.now, tz), clock.ts(inp.start, time(0)))
        run_today = inp.now.astimezone(tz).date() if inp.now.tzinfo else inp.now.date()
        return cls(
            clock=clock,
            start=inp.start,
            end=end,
            monday0=monday0,
            n_weeks=n_weeks,
            now=now,
            today=clock.day(now),
            run_today=run_today,
            buffer=inp.config.budget.buffer_minutes * 60,
            off=frozenset(inp.days_off),
            first_new=lead_day(run_today, inp.config.planner.lead_days, frozenset(inp.days_off)),
        )

    def monday(self, wi: int) -> date:
        return self.monday0 + timedelta(days=7 * wi)

    def days(self, wi: int) -> list[date]:
        """The days of week ``wi`` still open for planning: in the horizon, from today."""
        monday = self.monday(wi)
        return [
            d
            for d in (monday + timedelta(days=k) for k in range(7))
            if self.start <= d < self.end and d >= self.today and d not in self.off
        ]

    def wi_of_day(self, d: date) -> int:
        return (d - self.monday0).days // 7

    def wi_of(self, ts: int) -> int:
        return (self.clock.day(ts) - self.monday0).days // 7

    def label_of(self, ts: int) -> str:
        d = self.clock.day(ts)
        return week_label(d - timedelta(days=d.weekday()))

    def in_horizon(self, ts: int) -> bool:
        return self.start <= self.clock.day(ts) < self.end

    def fp(self, e: PlannedEvent) -> tuple[int, int]:
        """The footprint of ``e`` in epoch seconds."""
        a, b = footprint(e, self.buffer // 60)
        return int(a.timestamp()), int(b.timestamp())

    def cost(self, e: PlannedEvent) -> int:
        a, b = self.fp(e)
        return (b - a) // 60
