"""The numbers of the report: activities per category and per goal, strong and weak ties met
per month, the focus people with when each was last met and is next due, and the weeks shown.

Pure: model objects in, plain data out (drawn by :mod:`sync.report.charts`, laid out by
:mod:`sync.report.page`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sync.config import Cadence, Config
from sync.lifecycle.states import STATES, Activity
from sync.model import CATEGORIES, STRONG_CATEGORIES, Contact, Event, Kind, PlannedEvent, Tie
from sync.view import WeekUse, week_hours

ACTIVITY_KINDS = (Kind.ONE_ON_ONE, Kind.GROUP)
HISTORY_MONTHS = 6
DEFAULT_CADENCE = Cadence(ideal_days=21, max_days=42)  # the planner's focus default


@dataclass(frozen=True)
class FocusPerson:
    key: str  # contact id, or the planner's key for a target not yet known
    name: str
    contact: Contact | None = None


@dataclass(frozen=True)
class ReportInput:
    config: Config
    events: Sequence[PlannedEvent]  # the plan
    contacts: Sequence[Contact]  # tagged
    history: Sequence[Event]  # calendar events read (past meetings: last met, ties over time)
    focus: Sequence[FocusPerson]
    now: datetime
    start: date
    weeks: int
    # What became of each planned activity (the lifecycle's records; none before a sync).
    states: Sequence[Activity] = ()


def tie_of(c: Contact) -> Tie:
    if c.tie is not None:
        return c.tie
    return Tie.STRONG if set(c.categories) & STRONG_CATEGORIES else Tie.WEAK


def main_category(c: Contact) -> str:
    for cat in c.categories:
        if cat in CATEGORIES:
            return cat
    return "unsorted"


def activities(events: Iterable[PlannedEvent]) -> list[PlannedEvent]:
    return [ev for ev in events if ev.kind in ACTIVITY_KINDS]


def per_category(events: Sequence[PlannedEvent]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for ev in activities(events):
        for cat in ev.categories or ("groups" if ev.kind == Kind.GROUP else "uncategorised",):
            counts[cat] = counts.get(cat, 0) + 1
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99), kv[0]))


def per_goal(config: Config, events: Sequence[PlannedEvent]) -> list[tuple[str, int]]:
    texts = {g.id: g.text for g in config.goals}
    counts: dict[str, int] = {}
    for ev in activities(events):
        label = texts.get(ev.goal, ev.goal) or "no goal"
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class MonthTies:
    """Meetings in one month: met (from the calendars, the past) and planned (the plan)."""

    month: date  # first day
    strong: int
    weak: int
    strong_planned: int = 0
    weak_planned: int = 0

    @property
    def total(self) -> int:
        return self.strong + self.weak + self.strong_planned + self.weak_planned


def _month(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return (d.replace(day=1) + timedelta(days=32)).replace(day=1)


def ties_over_time(inp: ReportInput) -> list[MonthTies]:
    """Meetings per month with strong and with weak ties: the last months from the calendars
    (events whose attendees are contacts), then the months the plan covers."""
    tz = inp.config.tz
    today = inp.now.astimezone(tz).date()
    by_email: dict[str, Contact] = {}
    for c in inp.contacts:
        for addr in c.emails:
            by_email.setdefault(addr.lower(), c)
    by_id = {c.id: c for c in inp.contacts}
    first = _month(today)
    for _ in range(HISTORY_MONTHS):
        first = _month(first - timedelta(days=1))
    past: dict[date, list[int]] = {}
    seen: set[tuple[str, str]] = set()
    internal = own_domains(inp.config)
    for ev in inp.history:
        if ev.cancelled or ev.end > inp.now or not is_networking(ev, inp.config, internal):
            continue
        day = ev.start.astimezone(tz).date()
        if day < first:
            continue
        for addr in ev.attendees:
            if _domain(addr) in internal:
                continue
            who = by_email.get(addr.lower())
            if who is None or (who.id, ev.uid + day.isoformat()) in seen:
                continue
            seen.add((who.id, ev.uid + day.isoformat()))
            slot = past.setdefault(_month(day), [0, 0])
            slot[0 if tie_of(who) == Tie.STRONG else 1] += 1
    future: dict[date, list[int]] = {}
    for pe in activities(inp.events):
        if pe.start < inp.now:
            continue
        m = _month(pe.start.astimezone(tz).date())
        slot = future.setdefault(m, [0, 0])
        for cid in pe.contacts:
            met = by_id.get(cid)
            if met is not None:
                slot[0 if tie_of(met) == Tie.STRONG else 1] += 1
    out: list[MonthTies] = []
    last = max(
        [_month(today), _month(inp.start + timedelta(days=7 * inp.weeks - 1)), *future.keys()]
    )
    m = first
    while m <= last:
        s, w = past.get(m, [0, 0])
        sp, wp = future.get(m, [0, 0])
        out.append(MonthTies(m, s, w, sp, wp))
        m = _next_month(m)
    return out


#: A past event with more guests than this is a meeting, not a networking conversation.
MAX_NETWORKING_GUESTS = 4


def _domain(addr: str) -> str:
    return addr.rpartition("@")[2].lower()


def own_domains(config: Config) -> frozenset[str]:
    """The owner's email domains, minus public mail services: people there are the owner's own
    firm, met in its internal meetings."""
    public = {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "aol.com",
        "live.com",
    }
    return frozenset(_domain(a) for a in config.owner.emails) - public


def is_networking(ev: Event, config: Config, internal: frozenset[str]) -> bool:
    """A past calendar event that was a networking meeting: not declined by the owner, a few
    guests at most (the owner aside), at least one of them from outside the owner's firm."""
    mine = {a.lower() for a in config.owner.emails}
    if mine & set(ev.declined_by):
        return False
    guests = [a for a in ev.attendees if a.lower() not in mine]
    if not guests or len(guests) > MAX_NETWORKING_GUESTS:
        return False
    return any(_domain(a) not in internal for a in guests)


def window_weeks(
    config: Config, events: Sequence[PlannedEvent], start: date, weeks: int
) -> list[WeekUse]:
    """The weeks the report shows: the calendar weeks of the planning window, without a part
    week at either end that holds nothing (a window from a Saturday starts with a weekend)."""
    uses = week_hours(config, events, start, weeks)
    end = start + timedelta(days=7 * weeks - 1)

    def partial_and_empty(u: WeekUse) -> bool:
        return u.events == 0 and (u.monday < start or u.monday + timedelta(days=6) > end)

    while uses and partial_and_empty(uses[0]):
        uses.pop(0)
    while uses and partial_and_empty(uses[-1]):
        uses.pop()
    return uses


def cadence_for(config: Config, c: Contact | None) -> Cadence:
    """The focus cadence: planner.cadence.focus, else the person's category's, else 21-42 days."""
    table = dict(config.planner.cadence)
    if "focus" in table:
        return table["focus"]
    for cat in c.categories if c else ("targets",):
        if cat in table:
            return table[cat]
    return DEFAULT_CADENCE


@dataclass(frozen=True)
class FocusRow:
    name: str
    organization: str
    category: str
    tie: str
    last_met: date | None
    next_planned: PlannedEvent | None
    due: date | None  # last met + ideal interval (None: never met, due now)
    latest: date | None  # last met + maximum interval
    status: str  # planned | overdue | due | ok


def focus_rows(inp: ReportInput) -> list[FocusRow]:
    tz = inp.config.tz
    today = inp.now.astimezone(tz).date()
    rows: list[FocusRow] = []
    for fp in inp.focus:
        c = fp.contact
        planned = sorted(
            (
                ev
                for ev in inp.events
                if ev.kind in ACTIVITY_KINDS and fp.key in ev.contacts and ev.end > inp.now
            ),
            key=lambda ev: ev.start,
        )
        nxt = planned[0] if planned else None
        cad = cadence_for(inp.config, c)
        last = c.last_met if c else None
        due = last + timedelta(days=cad.ideal_days) if last else None
        latest = last + timedelta(days=cad.max_days) if last else None
        if nxt is not None:
            status = "planned"
        elif latest is not None and latest < today:
            status = "overdue"
        elif due is None or due <= today:
            status = "due"
        else:
            status = "ok"
        rows.append(
            FocusRow(
                name=fp.name,
                organization=(c.organization or "") if c else "",
                category=", ".join(c.categories) if c else "targets",
                tie=str(tie_of(c)) if c else "weak",
                last_met=last,
                next_planned=nxt,
                due=due,
                latest=latest,
                status=status,
            )
        )
    return rows


def focus_people(result: object, contacts: Sequence[Contact]) -> list[FocusPerson]:
    """The focus list of a plan (its first week's), with names for targets not yet known."""
    by_id = {c.id: c for c in contacts}
    keys: list[str] = []
    names: list[str] = []
    weeks = getattr(result, "weeks", None) or []
    if weeks:
        keys = list(getattr(weeks[0], "focus", []) or [])
        names = list(getattr(weeks[0], "focus_names", []) or [])
    if not keys:
        keys = list(getattr(result, "focus", ()) or ())
    out: list[FocusPerson] = []
    for i, k in enumerate(keys):
        c = by_id.get(k)
        name = c.name if c else (names[i] if i < len(names) else k.split(":", 1)[-1])
        out.append(FocusPerson(k, name, c))
    return out


def states_by_uid(inp: ReportInput) -> dict[str, Activity]:
    return {a.uid: a for a in inp.states}


def state_counts(inp: ReportInput) -> list[tuple[str, int]]:
    """How many activities of the window shown are in each state (every state, in order);
    a held or proposed one whose time has passed counts as ``awaiting`` the user's word."""
    tz = inp.config.tz
    end = inp.start + timedelta(days=7 * inp.weeks)
    counts = {s: 0 for s in (*STATES, "awaiting")}
    for a in inp.states:
        if inp.start <= a.start.astimezone(tz).date() < end:
            counts[state_shown(a, inp.now)] += 1
    return list(counts.items())


def state_shown(a: Activity, now: datetime) -> str:
    """The state as the report shows it: ``awaiting`` for a past one nobody settled."""
    return "awaiting" if a.state in ("held", "proposed") and a.end <= now else a.state
