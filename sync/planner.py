"""The planner: config + tagged contacts + busy time + state -> planned events. Pure, deterministic.

The method as a weekly plan (DESIGN.md, "The method"; issues 2 and 3):

* **Time.** Every activity has a footprint: travel and a buffer before and after the meeting
  itself (prep and follow-up blocks have no buffer of their own). Footprints never overlap busy
  time or each other. Each ISO week (Monday to Sunday, owner's zone) has a budget of minutes
  that covers everything planned: meetings, travel, buffers, prep and follow-up blocks,
  introduction requests and decision notes. One-on-ones are capped per week; one-on-ones and
  group events together ("activities") per rolling four weeks (``planner.activities_per_month``,
  0: no cap).
* **Windows.** A one-on-one sits fully inside a window (breakfast, coffee, lunch, evening...)
  on one of the window's days; its travel and buffers may stick out of the window. A prep block
  goes the same day before the activity (right before if free, else earlier that day), a
  follow-up the same day after a one-on-one; without them the activity is not placed.
* **Focus.** A handful of people (``planner.focus_size``) chosen from ``planner.focus``, the
  configured targets, contacts tagged targets, then introducers; each is met at the focus cadence
  (``planner.cadence.focus``, else their category's, else 21-42 days) counted from ``last_met``.
  A focus person rotates out after ``planner.focus_meetings`` meetings (history included), unless
  named in ``planner.focus``; the next candidate takes the place. Retired people never enter.
* **Keep in touch.** Contacts of a category with a configured cadence are met at that cadence,
  after focus people, most overdue first.
* **Targets who are not yet contacts.** An introduction request ("Ask X for an introduction
  to Y", kind prep) comes first; the first one-on-one at least ``introduction_lead_days`` later.
* **Groups.** Passive groups (rrule or feed instances) happen when they happen; active groups
  (self-hosted) may move to another weekday of the same week at the same time. Trial groups get
  ``trial_visits`` visits, then a "decide whether to join" note; retired groups are never planned.
* **Balance.** Over every four consecutive weeks: strong-tie one-on-ones and one-on-ones per
  category stay within their shares of the month's one-on-one capacity; virtual (not in-person)
  activities only while the in-person share stays at or above ``budget.min_in_person_share``.
* **State.** Fixed events (the user moved them) are kept exactly and use time and budget.
  Previous events still valid are kept at the same time with the same uid; only invalid ones
  move (their rolling-month room is reserved, so filling earlier weeks cannot squeeze them
  out). Tombstoned uids are never produced; a deleted activity's prep/follow-up blocks go with
  it, and its week's room stays taken (the user made that week lighter: it is not refilled).
  UIDs come from :func:`sync.model.planned_uid` over (kind, person or group, ISO week or
  instance; prep/follow-up: kind and the parent's uid), so the same inputs give the same uids.
  Events already under way (before ``now``) stand as they are.
* **History.** ``PlanInput.history`` holds what netweave wrote that has begun, whatever the
  previous plan still says: it stands like a fixed event (in the horizon it is planned as is;
  before it, it only counts). An introduction request in it has been made (the target's first
  meeting follows ``introduction_lead_days`` after it; it is never asked again), group events in
  it are trial visits made, a decision note in it is taken, its uids are never reused (a past
  event is never moved into the future). A one-on-one in it counts as a meeting, unless it is
  on or before the contact's ``last_met``: then ``times_met`` already counts it (the engine
  credits past meetings to contacts, sync.engine.credit_meetings). So "first meeting or
  repeat", "trial visit n of m" and focus rotation follow stable inputs (contacts and
  history), never what the previous plan happens to still contain.
* **Time defence.** Events more than ``planner.tentative_days`` days ahead are transparent (free)
  unless the other person accepted (``PlanInput.accepted``).

All arithmetic is on UTC epoch seconds; local wall-clock times are converted with zoneinfo,
so DST weeks are exact. Busy time is merged once and searched with bisect.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sync import agenda
from sync.config import Cadence, Config, Goal, Group, Target, Window
from sync.model import (
    STRONG_CATEGORIES,
    Busy,
    Contact,
    Event,
    Kind,
    PlannedEvent,
    Tie,
    planned_to_record,
    planned_uid,
)

STEP = 15 * 60  # meetings start on the quarter hour
FINE = 5 * 60  # prep/follow-up blocks on five minutes
DAY_FROM = time(6, 0)  # prep and follow-up blocks stay within this part of the day
DAY_TO = time(22, 0)
WORK_FROM = time(9, 0)  # introduction requests and decision notes: office hours, weekdays
WORK_TO = time(18, 0)
TASK_MINUTES = 15  # an introduction request or a decision note (or prep_minutes if larger)
DEFAULT_FOCUS_CADENCE = Cadence(ideal_days=21, max_days=42)
GROUP_ANCHOR = date(2000, 1, 3)  # a Monday; group rrules keep their phase relative to it
MAX_UNPLACED_LISTED = 20  # per week, beyond focus people, groups and introductions

NO_WINDOW = "no free window"
BUDGET_SPENT = "budget spent"
NOT_DUE = "cadence not due"
CAP = "one-on-one cap"
MONTH_CAP = "monthly activity cap reached"


# =========================================================================== public API


@dataclass(frozen=True)
class PlanInput:
    config: Config
    contacts: Sequence[Contact]
    busy: Sequence[Busy]
    start: date
    weeks: int
    now: datetime
    fixed: Sequence[PlannedEvent] = ()
    previous: Sequence[PlannedEvent] = ()
    tombstones: frozenset[str] = frozenset()
    group_events: Sequence[Event] = ()
    accepted: frozenset[str] = frozenset()  # uids the other person accepted: always busy
    # Events netweave wrote that have begun (the engine reads them from its state, user-moved
    # ones at the user's times): what was already done. They stand as they are, count as
    # done (introductions asked, trial visits made, decisions noted, people met) and their
    # uids are never produced for anything else.
    history: Sequence[PlannedEvent] = ()


@dataclass(frozen=True)
class Placement:
    uid: str
    title: str
    start: datetime
    why: str


@dataclass(frozen=True)
class Unplaced:
    who: str
    why: str


@dataclass
class WeekReport:
    week_start: date  # the Monday
    label: str  # ISO week, "2026-W48"
    budget_minutes: int
    used_minutes: int = 0
    one_on_ones: int = 0
    max_one_on_ones: int = 0
    focus: list[str] = field(default_factory=list)  # keys (contact ids, "target:..." keys)
    focus_names: list[str] = field(default_factory=list)
    placed: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    unplaced_more: int = 0  # further keep-in-touch people not placed (not listed)
    declined_minutes: int = 0  # kept free: activities the user deleted are not refilled

    def to_json(self) -> dict[str, object]:
        return {
            "week_start": self.week_start.isoformat(),
            "label": self.label,
            "budget_minutes": self.budget_minutes,
            "used_minutes": self.used_minutes,
            "one_on_ones": self.one_on_ones,
            "max_one_on_ones": self.max_one_on_ones,
            "focus": list(self.focus),
            "focus_names": list(self.focus_names),
            "placed": [
                {"uid": p.uid, "title": p.title, "start": p.start.isoformat(), "why": p.why}
                for p in self.placed
            ],
            "unplaced": [{"who": u.who, "why": u.why} for u in self.unplaced],
            "unplaced_more": self.unplaced_more,
            "declined_minutes": self.declined_minutes,
        }


@dataclass
class Plan:
    events: list[PlannedEvent]
    weeks: list[WeekReport]
    focus: tuple[str, ...] = ()  # focus keys in the first week (contact ids for contacts)


def footprint(event: PlannedEvent, buffer_minutes: int) -> tuple[datetime, datetime]:
    """The time an event takes out of the day: travel, plus the buffer for activities."""
    buf = timedelta(minutes=buffer_minutes if _is_activity(event.kind) else 0)
    return event.blocked_start - buf, event.blocked_end + buf


def cost_minutes(event: PlannedEvent, buffer_minutes: int) -> int:
    """Minutes of the weekly budget an event uses (meeting, travel, buffers)."""
    a, b = footprint(event, buffer_minutes)
    return int((b.timestamp() - a.timestamp()) // 60)


def event_json(event: PlannedEvent) -> dict[str, object]:
    """The DESIGN.md JSON of a planned event, plus what the planner decided about it."""
    return planned_to_record(event)


def plan_json(p: Plan) -> str:
    """Canonical JSON of a whole plan (byte-identical for identical plans)."""
    return json.dumps(
        {
            "events": [event_json(e) for e in p.events],
            "weeks": [w.to_json() for w in p.weeks],
            "focus": list(p.focus),
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def plan(inp: PlanInput) -> Plan:
    """Plan ``inp.weeks`` weeks from ``inp.start``. Same inputs, same output."""
    return _Sweep(inp).run()


def explain(p: Plan) -> str:
    """Per week: budget used, what was placed and why, what was not and why."""
    lines: list[str] = []
    for w in p.weeks:
        lines.append(
            f"Week {w.label} (from {w.week_start:%a %d %b %Y}): budget {w.used_minutes} of "
            f"{w.budget_minutes} min used, one-on-ones {w.one_on_ones} of {w.max_one_on_ones}"
            + (
                f"; {w.declined_minutes} min left free for what you deleted"
                if w.declined_minutes
                else ""
            )
        )
        if w.focus_names:
            lines.append(f"  Focus: {', '.join(w.focus_names)}")
        if w.placed:
            lines.append("  Placed:")
            for pl in w.placed:
                lines.append(f"    {pl.start:%a %d %b %H:%M}  {pl.title} — {pl.why}")
        if w.unplaced or w.unplaced_more:
            lines.append("  Not placed:")
            for u in w.unplaced:
                lines.append(f"    {u.who} — {u.why}")
            if w.unplaced_more:
                lines.append(f"    ... and {w.unplaced_more} more people due to keep in touch")
        if not w.placed and not w.unplaced:
            lines.append("  Nothing due.")
    return "\n".join(lines)


# =========================================================================== time


def _up(x: int, step: int) -> int:
    return -(-x // step) * step


def _down(x: int, step: int) -> int:
    return x - x % step


class _Timeline:
    """Disjoint, sorted, merged intervals of epoch seconds: busy time plus everything placed."""

    def __init__(self, intervals: Iterable[tuple[int, int]]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for a, b in sorted(intervals):
            if b <= a:
                continue
            if ends and a <= ends[-1]:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        self.starts = starts
        self.ends = ends

    def add(self, a: int, b: int) -> None:
        if b <= a:
            return
        i = bisect_left(self.ends, a)
        j = bisect_right(self.starts, b)
        if i < j:
            a = min(a, self.starts[i])
            b = max(b, self.ends[j - 1])
        self.starts[i:j] = [a]
        self.ends[i:j] = [b]

    def conflict(self, a: int, b: int) -> int | None:
        """None if [a, b) is free, else the end of the last interval overlapping it."""
        i = bisect_left(self.starts, b)
        if i and self.ends[i - 1] > a:
            return self.ends[i - 1]
        return None

    def earliest(self, lo: int, hi: int, length: int, step: int) -> int | None:
        s = _up(lo, step)
        while s + length <= hi:
            end = self.conflict(s, s + length)
            if end is None:
                return s
            s = _up(end, step)
        return None

    def latest(self, lo: int, hi: int, length: int, step: int) -> int | None:
        s = _down(hi - length, step)
        while s >= lo:
            j = bisect_right(self.ends, s)
            if j < len(self.starts) and self.starts[j] < s + length:
                s = _down(self.starts[j] - length, step)
            else:
                return s
        return None


@dataclass(frozen=True)
class _Clock:
    tz: ZoneInfo

    def ts(self, day: date, t: time) -> int:
        return int(datetime.combine(day, t, tzinfo=self.tz).timestamp())

    def dt(self, ts: int) -> datetime:
        return datetime.fromtimestamp(ts, self.tz)

    def day(self, ts: int) -> date:
        return datetime.fromtimestamp(ts, self.tz).date()


def _ts(d: datetime, tz: ZoneInfo) -> int:
    if d.tzinfo is None:
        d = d.replace(tzinfo=tz)
    return int(d.timestamp())


def _is_activity(kind: Kind) -> bool:
    return kind in (Kind.ONE_ON_ONE, Kind.GROUP)


def _week_label(monday: date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


# =========================================================================== the ledger


class _Ledger:
    """Budget minutes and counters per week (index), with rolling four-week checks."""

    def __init__(self, budget_minutes: int) -> None:
        self.budget = budget_minutes
        self.used: dict[int, int] = defaultdict(int)
        self.declined: dict[int, int] = defaultdict(int)  # room of activities the user deleted
        self.counts: dict[tuple[str, int], int] = defaultdict(int)

    def remaining(self, wi: int) -> int:
        return self.budget - self.used[wi]

    def month(self, name: str, wi: int, add: int = 1) -> int:
        """The largest four-week sum of counter ``name`` around week ``wi`` after adding."""
        c = self.counts
        return max(sum(c[name, k] for k in range(s, s + 4)) for s in range(wi - 3, wi + 1)) + add

    def in_person_ok(self, wi: int, share: float) -> bool:
        """Would one more virtual activity keep every month at the in-person share?"""
        c = self.counts
        for s in range(wi - 3, wi + 1):
            inp = sum(c["inp", k] for k in range(s, s + 4))
            virt = sum(c["virt", k] for k in range(s, s + 4))
            if inp < share * (inp + virt + 1) - 1e-9:
                return False
        return True

    def reserve(self, wi: int, counters: Iterable[str], n: int) -> None:
        for name in counters:
            self.counts[name, wi] += n

    def commit(self, wi: int, minutes: int, counters: Iterable[str]) -> None:
        self.used[wi] += minutes
        for name in counters:
            self.counts[name, wi] += 1


def _share_limit(share: float, capacity: int) -> int | None:
    if share >= 1:
        return None
    n = math.floor(share * capacity + 1e-9)
    return 1 if n == 0 and share > 0 else n


# =========================================================================== people


@dataclass
class _Person:
    key: str
    name: str
    order: int
    contact: Contact | None
    categories: tuple[str, ...]
    strong: bool
    focus_cadence: Cadence
    pool_cadence: Cadence | None
    target: Target | None = None
    pinned_focus: bool = False
    retired: bool = False
    needs_intro: bool = False
    introducer: Contact | None = None
    intro_day: date | None = None
    intro_blocked: bool = False
    last: date | None = None
    met: int = 0  # times met, history and plan (rotation)
    planned: int = 0  # meetings in this plan (first meeting or repeat)
    weeks_met: set[int] = field(default_factory=set)
    in_focus: bool = False
    rotated_out: bool = False
    in_heap: bool = False

    def cadence(self) -> Cadence | None:
        return self.focus_cadence if self.in_focus else self.pool_cadence

    def due(self, start: date, lead_days: int) -> date | None:
        cad = self.cadence()
        if cad is None:
            return None
        due = start if self.last is None else self.last + timedelta(days=cad.ideal_days)
        if self.needs_intro:
            if self.intro_day is None:
                return None
            due = max(due, self.intro_day + timedelta(days=lead_days))
        return due

    def deadline(self, start: date) -> date:
        cad = self.cadence() or DEFAULT_FOCUS_CADENCE
        return (self.last or start - timedelta(days=cad.ideal_days)) + timedelta(days=cad.max_days)


def _credited(p: _Person, day: date) -> bool:
    """A meeting on ``day`` that the contact's ``times_met`` already counts (on or before
    its ``last_met``: the engine credits netweave's past meetings to the contacts)."""
    c = p.contact
    return c is not None and c.last_met is not None and c.times_met > 0 and day <= c.last_met


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def _is_known(c: Contact) -> bool:
    """A contact read from an address book, not only synthesised from the config's targets."""
    if c.times_met or c.last_met:
        return True
    return not (c.sources and all(s.startswith(("config", "target")) for s in c.sources))


def _find_target(
    t: Target, contacts: Sequence[Contact], find: Callable[[str], Contact | None]
) -> Contact | None:
    """The contact who is this target: the address book's (sync.introductions.find_target
    when present: names, organisations), else by email or exact name, which also finds the
    contact the engine synthesises from the config for a target not yet known."""
    try:
        from sync.introductions import find_target
    except ImportError:
        found = None
    else:
        try:
            found = find_target(t, contacts)
        except Exception:  # noqa: BLE001 - a matching bug must not break planning
            found = None
    if found is None and t.email:
        found = find(t.email)
    return found or find(t.name)


def _rank_introducers(target: Target, contacts: Sequence[Contact]) -> list[Contact]:
    try:
        from sync.introductions import rank_introducers
    except ImportError:
        return []
    try:
        ranked = rank_introducers(target, contacts)
    except Exception:  # noqa: BLE001 - a ranking bug must not break planning
        return []
    out: list[Contact] = []
    for item in ranked:
        c = item[0] if isinstance(item, tuple) else item
        if isinstance(c, Contact):
            out.append(c)
    return out


class _People:
    """Every person the planner may meet, the focus candidates in order, and the focus list."""

    def __init__(self, inp: PlanInput) -> None:
        cfg = inp.config
        pl = cfg.planner
        self.cadences = dict(pl.cadence)
        contacts = sorted({c.id: c for c in inp.contacts}.values(), key=lambda c: c.id)
        self.contacts: dict[str, Contact] = {c.id: c for c in contacts}
        by_name: dict[str, list[Contact]] = defaultdict(list)
        by_email: dict[str, Contact] = {}
        for one in contacts:
            by_name[one.name.strip().casefold()].append(one)
            for e in one.emails:
                by_email.setdefault(e.strip().casefold(), one)

        def find(ref: str) -> Contact | None:
            r = ref.strip().casefold()
            if r in by_email:
                return by_email[r]
            hits = by_name.get(r)
            return hits[0] if hits else None

        self.find = find
        retired_refs = {r.strip().casefold() for r in pl.retired}

        def is_retired(name: str, emails: Iterable[str]) -> bool:
            return name.strip().casefold() in retired_refs or any(
                e.casefold() in retired_refs for e in emails
            )

        self.persons: dict[str, _Person] = {}
        for i, ct in enumerate(contacts):
            self.persons[ct.id] = self._person(ct.id, ct.name, i, ct, ct.categories)
            self.persons[ct.id].retired = is_retired(ct.name, ct.emails)

        # Targets from the config: a contact, or a person to be introduced to.
        self.target_keys: list[str] = []
        self.key_of_target: dict[int, str] = {}
        order = len(contacts)
        for ti, t in enumerate(cfg.targets):
            c = _find_target(t, contacts, find)
            if c is not None:
                p = self.persons[c.id]
                p.target = t
                if t.cadence is not None:
                    p.focus_cadence = t.cadence
                if "targets" not in p.categories:
                    p.categories = (*p.categories, "targets")
                p.needs_intro = not _is_known(c)
            else:
                key = "target:" + _slug(t.name)
                if key in self.persons:
                    continue
                p = self._person(key, t.name, order, None, ("targets",))
                order += 1
                p.target = t
                if t.cadence is not None:
                    p.focus_cadence = t.cadence
                p.needs_intro = True
                p.retired = is_retired(t.name, (t.email,) if t.email else ())
                self.persons[key] = p
                self.target_keys.append(key)
            self.key_of_target[ti] = p.key
            if p.needs_intro:
                p.introducer = self._introducer(t, p, contacts)

        # Focus candidates, in order.
        cands: list[str] = []
        for ref in pl.focus:
            c = find(ref)
            key = c.id if c else "target:" + _slug(ref)
            if key in self.persons and key not in cands:
                self.persons[key].pinned_focus = True
                cands.append(key)
        for ti in range(len(cfg.targets)):
            key = self.key_of_target.get(ti, "")
            if key in self.persons and key not in cands:
                cands.append(key)
        tagged = sorted(
            (p for p in self.persons.values() if p.contact and "targets" in p.categories),
            key=lambda p: (p.last is not None, p.name.casefold(), p.key),
        )
        cands.extend(p.key for p in tagged if p.key not in cands)
        named_introducers: list[str] = []
        for t in cfg.targets:
            for ref in t.introducers:
                c = find(ref)
                if c and c.id not in named_introducers:
                    named_introducers.append(c.id)
        cands.extend(k for k in named_introducers if k not in cands)
        intro_tagged = sorted(
            (p for p in self.persons.values() if p.contact and "introducers" in p.categories),
            key=lambda p: (p.name.casefold(), p.key),
        )
        cands.extend(p.key for p in intro_tagged if p.key not in cands)
        self.candidates = [k for k in cands if not self.persons[k].retired]
        self.cursor = 0
        self.focus: list[str] = []
        self.size = pl.focus_size
        self.rounds = pl.focus_meetings

    def _person(
        self, key: str, name: str, order: int, c: Contact | None, cats: tuple[str, ...]
    ) -> _Person:
        pool: Cadence | None = None
        for cat in cats:
            cd = self.cadences.get(cat)
            if cd and (
                pool is None or (cd.ideal_days, cd.max_days) < (pool.ideal_days, pool.max_days)
            ):
                pool = cd
        focus_cad = self.cadences.get("focus") or pool or DEFAULT_FOCUS_CADENCE
        strong = (c.tie == Tie.STRONG) if c and c.tie else bool(set(cats) & STRONG_CATEGORIES)
        return _Person(
            key=key,
            name=name.strip() or "(no name)",
            order=order,
            contact=c,
            categories=cats,
            strong=strong,
            focus_cadence=focus_cad,
            pool_cadence=pool,
            last=c.last_met if c else None,
            met=c.times_met if c else 0,
        )

    def _introducer(self, t: Target, p: _Person, contacts: Sequence[Contact]) -> Contact | None:
        for ref in t.introducers:
            c = self.find(ref)
            if c is not None and c.id != p.key:
                return c
        for c in _rank_introducers(t, contacts):
            if c.id != p.key and _is_known(c):
                return c
        return None

    def eligible(self, p: _Person) -> bool:
        if p.retired or p.rotated_out or p.intro_blocked:
            return False
        if p.needs_intro and p.introducer is None:
            return False
        return p.pinned_focus or self.rounds == 0 or p.met < self.rounds

    def rotate(self) -> list[_Person]:
        """Drop focus people met enough; fill up from the candidates. Returns those dropped."""
        dropped = []
        for key in list(self.focus):
            p = self.persons[key]
            if not self.eligible(p):
                self.focus.remove(key)
                p.in_focus = False
                p.rotated_out = True
                dropped.append(p)
        while len(self.focus) < self.size and self.cursor < len(self.candidates):
            p = self.persons[self.candidates[self.cursor]]
            self.cursor += 1
            if self.eligible(p):
                self.focus.append(p.key)
                p.in_focus = True
        return dropped


def _goal_for(categories: Sequence[str], goals: Sequence[Goal]) -> str:
    for g in goals:
        if g.categories and set(g.categories) & set(categories):
            return g.text
    for g in goals:
        if not g.categories:
            return g.text
    return goals[0].text if goals else ""


_ACTIVITY_TITLES: Mapping[str, str] = {
    "breakfast": "Breakfast",
    "coffee": "Coffee",
    "lunch": "Lunch",
    "evening": "Dinner",
}


def _window_order(p: _Person, windows: Sequence[Window], first: bool) -> list[Window]:
    if p.strong:
        pref: tuple[str, ...] = ("evening", "lunch", "breakfast", "coffee")
    elif first:
        pref = ("coffee", "breakfast", "lunch", "evening")
    elif set(p.categories) & {"mentors", "clients", "client-professionals", "targets"}:
        pref = ("lunch", "breakfast", "coffee", "evening")
    else:
        pref = ("breakfast", "coffee", "lunch", "evening")
    rank = {n: i for i, n in enumerate(pref)}
    idx = {id(w): i for i, w in enumerate(windows)}
    return sorted(windows, key=lambda w: (not w.in_person, rank.get(w.name, 9), idx[id(w)]))


# =========================================================================== groups


@dataclass(frozen=True)
class _Instance:
    group: Group
    gi: int  # group index in the config
    start: int
    end: int
    uid: str
    summary: str = ""
    location: str = ""


def _rrule_anchor(rule: str, before: date) -> date:
    """The rule's dtstart: GROUP_ANCHOR moved forward by whole periods (FREQ x INTERVAL) to
    just before ``before``, so the phase of an INTERVAL=2 rule never shifts and expansion
    stays short. (A COUNT in the rule therefore counts from an arbitrary start: use UNTIL.)"""
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    try:
        n = max(1, int(parts.get("INTERVAL", "1")))
    except ValueError:
        n = 1
    freq = parts.get("FREQ", "")
    if "COUNT" in parts or before <= GROUP_ANCHOR:
        return GROUP_ANCHOR
    if freq in ("DAILY", "WEEKLY"):
        period = n * (7 if freq == "WEEKLY" else 1)
        k = (before - GROUP_ANCHOR).days // period
        return GROUP_ANCHOR + timedelta(days=k * period)
    if freq in ("MONTHLY", "YEARLY"):
        months = n * (12 if freq == "YEARLY" else 1)
        total = (before.year - GROUP_ANCHOR.year) * 12 + before.month - GROUP_ANCHOR.month
        k = max(0, total // months - 1)
        m = GROUP_ANCHOR.month - 1 + k * months
        return date(GROUP_ANCHOR.year + m // 12, m % 12 + 1, GROUP_ANCHOR.day)
    return GROUP_ANCHOR


def _group_instances(inp: PlanInput, clock: _Clock, lo: date, hi: date) -> list[_Instance]:
    """Instances of non-retired groups with a local start day in [lo, hi)."""
    from dateutil.rrule import rrulestr

    out: list[_Instance] = []
    tz = clock.tz
    for gi, g in enumerate(inp.config.groups):
        if g.status == "retired":
            continue
        if g.rrule and g.start is not None:
            anchor = _rrule_anchor(g.rrule, lo - timedelta(days=7))
            rule = rrulestr(g.rrule, dtstart=datetime.combine(anchor, g.start))
            a = datetime.combine(lo, time(0))
            b = datetime.combine(hi, time(0))
            for naive in rule.between(a, b, inc=True):
                s = int(naive.replace(tzinfo=tz).timestamp())
                key = f"{naive:%Y-%m-%dT%H:%M}"
                out.append(
                    _Instance(
                        g, gi, s, s + g.duration_minutes * 60, planned_uid("group", g.name, key)
                    )
                )
        feed_names = {g.name}
        if g.feed is not None:
            feed_names |= {str(g.feed), g.feed.name, f"group:{g.name}"}
        for ev in inp.group_events:
            if ev.source not in feed_names or ev.cancelled or ev.all_day:
                continue
            s, e = _ts(ev.start, tz), _ts(ev.end, tz)
            d = clock.day(s)
            if not (lo <= d < hi) or e <= s:
                continue
            key = f"{clock.dt(s):%Y-%m-%dT%H:%M}"
            out.append(
                _Instance(g, gi, s, e, planned_uid("group", g.name, key), ev.summary, ev.location)
            )
    uniq = {i.uid: i for i in sorted(out, key=lambda i: (i.start, i.gi, i.uid))}
    return sorted(uniq.values(), key=lambda i: (i.start, i.gi, i.uid))


# =========================================================================== the sweep


@dataclass
class _Unit:
    """An activity (or task) and its prep/follow-up blocks, placed or committed together."""

    parent: PlannedEvent
    children: list[PlannedEvent]
    wi: int
    counters: tuple[str, ...]
    why: str
    person: _Person | None = None
    instance: _Instance | None = None
    note: str = ""  # for the report only (descriptions must not depend on it)


class _Sweep:
    """One planning run: weeks in order; in each, keep valid previous events, then fill."""

    def __init__(self, inp: PlanInput) -> None:
        self.inp = inp
        cfg = inp.config
        self.cfg = cfg
        self.clock = _Clock(cfg.tz)
        self.buffer = cfg.budget.buffer_minutes * 60
        self.start = inp.start
        self.end = inp.start + timedelta(days=7 * max(inp.weeks, 0))
        self.monday0 = inp.start - timedelta(days=inp.start.weekday())
        last_day = self.end - timedelta(days=1)
        self.n_weeks = (last_day - self.monday0).days // 7 + 1 if inp.weeks > 0 else 0
        self.now = max(_ts(inp.now, cfg.tz), self.clock.ts(inp.start, time(0)))
        self.today = self.clock.day(self.now)
        self.run_today = inp.now.astimezone(cfg.tz).date() if inp.now.tzinfo else inp.now.date()
        self.cap = cfg.budget.max_one_on_ones_per_week
        apm = cfg.planner.activities_per_month
        self.month_cap = apm or None
        capacity = 4 * self.cap if not apm else min(4 * self.cap, apm)
        self.strong_limit = _share_limit(cfg.planner.strong_share_max, capacity)
        self.cat_limits = {
            c: lim
            for c, s in cfg.planner.category_share_max
            if (lim := _share_limit(s, capacity)) is not None
        }
        self.ledger = _Ledger(int(round(cfg.budget.hours_per_week * 60)))
        self.timeline = _Timeline((_ts(b.start, cfg.tz), _ts(b.end, cfg.tz)) for b in inp.busy)
        self.people = _People(inp)
        self.task_len = max(cfg.planner.prep_minutes, TASK_MINUTES) * 60
        self.out: dict[str, PlannedEvent] = {}
        self.taken: set[str] = set(inp.tombstones)  # uids that may not be produced again
        self.fixed_uids = {e.uid for e in inp.fixed}
        self.history = {
            e.uid: e
            for e in sorted(inp.history, key=lambda e: (e.start, e.uid))
            if e.uid not in self.fixed_uids and e.uid not in inp.tombstones
        }
        self.previous = {
            e.uid: e
            for e in sorted(inp.previous, key=lambda e: (e.start, e.uid))
            if e.uid not in self.fixed_uids
            and e.uid not in inp.tombstones
            and e.uid not in self.history
        }
        self.active_days: dict[date, int] = defaultdict(int)
        self.heap: list[tuple[int, int, str]] = []
        self.ready: dict[str, _Person] = {}
        self.ready_order: list[tuple[int, int, str]] = []
        self.ready_entry: dict[str, tuple[int, int, str]] = {}
        extra = cfg.planner.prep_minutes + cfg.planner.follow_up_minutes
        self.min_cost = min(
            (
                w.duration_minutes
                + 2 * (self.place_of(w.place)[1] if w.in_person else 0)
                + 2 * cfg.budget.buffer_minutes
                + extra
                for w in cfg.windows
            ),
            default=0,
        )

        self.memo: set[tuple[object, ...]] = set()
        # groups
        self.instances = _group_instances(
            inp, self.clock, self.monday0 - timedelta(days=7), self.end
        )
        self.inst_by_uid = {i.uid: i for i in self.instances}
        self.visits: dict[str, int] = defaultdict(int)
        self.last_visit: dict[str, int] = {}
        self.decide_uid = {g.name: planned_uid("prep", "decide", g.name) for g in cfg.groups}
        self.decided: set[str] = set()
        self.intro_uid = {
            k: planned_uid("prep", "introduction", k)
            for k in self.people.persons
            if self.people.persons[k].needs_intro
        }
        self.intro_by_uid = {u: k for k, u in self.intro_uid.items()}
        self.reports: list[WeekReport] = []
        self.first_focus: tuple[str, ...] = ()
        self.displaced: set[tuple[str, int]] = set()
        self.stand_children: set[str] = set()  # prep/follow-up uids of events already begun
        self.prev_by_person: dict[str, list[PlannedEvent]] = defaultdict(list)
        for e in self.previous.values():
            if e.kind == Kind.ONE_ON_ONE and self.fp(e)[0] >= self.now:
                q = self.person_of(e)
                if q is not None:
                    self.prev_by_person[q.key].append(e)

    # ------------------------------------------------------------------ helpers

    def wi_of(self, ts: int) -> int:
        return (self.clock.day(ts) - self.monday0).days // 7

    def label_of(self, ts: int) -> str:
        d = self.clock.day(ts)
        return _week_label(d - timedelta(days=d.weekday()))

    def in_horizon(self, ts: int) -> bool:
        return self.start <= self.clock.day(ts) < self.end

    def fp(self, e: PlannedEvent) -> tuple[int, int]:
        a, b = footprint(e, self.buffer // 60)
        return int(a.timestamp()), int(b.timestamp())

    def cost(self, e: PlannedEvent) -> int:
        a, b = self.fp(e)
        return (b - a) // 60

    def place_of(self, name: str) -> tuple[str, int]:
        p = self.cfg.place(name) if name else None
        if p is None:
            return name, 0
        return (p.address or p.name), p.travel_minutes

    def person_of(self, e: PlannedEvent) -> _Person | None:
        persons = self.people.persons
        if e.contacts:
            return persons.get(e.contacts[0])
        label = self.label_of(int(e.start.timestamp()))
        for key in self.people.target_keys:
            if planned_uid("one-on-one", key, label) == e.uid:
                return persons[key]
        return None

    def prev_counters(self, e: PlannedEvent) -> tuple[str, ...]:
        return self.counters_for(e, self.person_of(e) if e.kind == Kind.ONE_ON_ONE else None)

    # ------------------------------------------------------------------ commit

    def record_meeting(self, p: _Person, day: date, wi: int, counted: bool = False) -> None:
        """``p`` meets on ``day``; ``counted``: the contact's ``times_met`` already has it."""
        if p.last is None or day > p.last:
            p.last = day
        if not counted:
            p.met += 1
        p.planned += 1
        p.weeks_met.add(wi)

    def counters_for(self, e: PlannedEvent, p: _Person | None) -> tuple[str, ...]:
        if e.kind == Kind.ONE_ON_ONE:
            cs = ["act", "ooo", "inp" if e.in_person else "virt"]
            if p is not None:
                if p.strong:
                    cs.append("strong")
                cs.extend(f"cat:{c}" for c in p.categories if c in self.cat_limits)
            return tuple(cs)
        if e.kind == Kind.GROUP:
            return ("act", "inp" if e.in_person else "virt")
        return ()

    def commit_event(self, e: PlannedEvent, counters: Iterable[str] = ()) -> None:
        """Take an event's time and budget (any event: fixed, past, kept or new)."""
        a, b = self.fp(e)
        self.timeline.add(a, b)
        s = int(e.start.timestamp())
        wi = self.wi_of(s)
        self.ledger.commit(wi, (b - a) // 60, counters)
        if _is_activity(e.kind):
            self.active_days[self.clock.day(s)] += 1
        if self.in_horizon(s):
            self.out[e.uid] = e
        self.taken.add(e.uid)
        self.memo.clear()

    def commit_unit(self, u: _Unit, report: WeekReport | None) -> None:
        p = u.person
        parent = u.parent
        if parent.kind == Kind.ONE_ON_ONE and p is not None:
            parent = replace(parent, description=self.agenda(parent, p, p.met == 0, u.why))
        elif parent.kind == Kind.GROUP and u.instance is not None:
            parent = replace(parent, description=self.group_agenda(parent, u.instance, u.why))
        self.commit_event(parent, u.counters)
        for ch in u.children:
            if ch.kind == Kind.PREP:
                ch = replace(ch, description=agenda.prep_text(parent))
            else:
                ch = replace(ch, description=agenda.follow_up_text(parent, self.people.contacts))
            self.commit_event(ch)
        s = int(parent.start.timestamp())
        if parent.kind == Kind.ONE_ON_ONE and p is not None:
            self.record_meeting(p, self.clock.day(s), u.wi)
            if not p.in_focus and p.pool_cadence is not None:
                self.push(p)
        if u.instance is not None:
            g = u.instance.group.name
            self.visits[g] += 1
            self.last_visit[g] = self.fp(parent)[1]
        if report is not None and self.in_horizon(s):
            report.placed.append(Placement(parent.uid, parent.title, parent.start, u.why + u.note))

    # ------------------------------------------------------------------ texts

    def agenda(self, e: PlannedEvent, p: _Person, first: bool, why: str) -> str:
        asks = []
        for q in self.people.persons.values():
            if q.needs_intro and q.introducer is not None and q.introducer.id == p.key:
                org = f" at {q.target.organization}" if q.target and q.target.organization else ""
                asks.append(f"{q.name}{org}")
        return agenda.agenda_for(
            e,
            self.people.contacts,
            self.cfg.goals,
            first_meeting=first,
            person_name=p.name,
            target=p.target,
            introducer=p.introducer.name if p.introducer and p.needs_intro else "",
            asks=sorted(asks),
            why=why,
        )

    def group_agenda(self, e: PlannedEvent, inst: _Instance, why: str) -> str:
        g = inst.group
        attending = [
            f"{t.name}{' (' + t.organization + ')' if t.organization else ''}"
            for t in self.cfg.targets
            if g.name in t.groups
        ]
        return agenda.agenda_for(
            e,
            self.people.contacts,
            self.cfg.goals,
            group=g,
            visit=self.visits[g.name] + 1 if g.status == "trial" else 0,
            attending_targets=attending,
            why=why,
        )

    # ------------------------------------------------------------------ children

    def children_for(self, parent: PlannedEvent, one_on_one: bool) -> list[PlannedEvent] | None:
        """Prep before (and follow-up after a one-on-one) the same day; None if impossible."""
        pl = self.cfg.planner
        out: list[PlannedEvent] = []
        s = int(parent.start.timestamp())
        day = self.clock.day(s)
        a, b = self.fp(parent)
        lo = max(self.clock.ts(day, DAY_FROM), self.now)
        hi = self.clock.ts(day, DAY_TO)
        specs = []
        if pl.prep_minutes:
            specs.append((Kind.PREP, pl.prep_minutes * 60))
        if one_on_one and pl.follow_up_minutes:
            specs.append((Kind.FOLLOW_UP, pl.follow_up_minutes * 60))
        for kind, length in specs:
            uid = planned_uid(str(kind), parent.uid)
            if uid in self.fixed_uids or uid in self.inp.tombstones:
                continue
            start: int | None = None
            prev = self.previous.get(uid)
            if prev is not None:
                ps = int(prev.start.timestamp())
                ok = (
                    self.clock.day(ps) == day
                    and ps >= lo
                    and ps + length <= hi
                    and (ps + length <= a if kind == Kind.PREP else ps >= b)
                    and self.timeline.conflict(ps, ps + length) is None
                )
                start = ps if ok else None
            if start is None:
                if kind == Kind.PREP:
                    start = self.timeline.latest(lo, min(a, hi), length, FINE)
                else:
                    start = self.timeline.earliest(max(b, lo), hi, length, FINE)
            if start is None:
                return None
            label = "Prepare" if kind == Kind.PREP else "Follow up"
            out.append(
                PlannedEvent(
                    uid=uid,
                    kind=kind,
                    title=f"{label}: {parent.title}",
                    start=self.clock.dt(start),
                    end=self.clock.dt(start + length),
                    contacts=parent.contacts,
                    categories=parent.categories,
                    goal=parent.goal,
                    activity=parent.activity,
                    in_person=False,
                )
            )
        return out

    # ------------------------------------------------------------------ one-on-ones

    def build_one_on_one(self, p: _Person, w: Window, s: int, uid: str) -> PlannedEvent:
        where, travel = self.place_of(w.place)
        if not w.in_person:
            where, travel = (where or "Video call"), 0
        title = _ACTIVITY_TITLES.get(w.name, w.name.replace("-", " ").capitalize())
        return PlannedEvent(
            uid=uid,
            kind=Kind.ONE_ON_ONE,
            title=f"{title} with {p.name}",
            start=self.clock.dt(s),
            end=self.clock.dt(s + w.duration_minutes * 60),
            location=where,
            contacts=(p.contact.id,) if p.contact else (),
            categories=p.categories,
            goal=_goal_for(p.categories, self.cfg.goals),
            activity=w.name,
            travel_before=travel,
            travel_after=travel,
            in_person=w.in_person,
        )

    def one_on_one_checks(self, p: _Person, wi: int) -> str | None:
        if self.ledger.counts["ooo", wi] >= self.cap:
            return CAP
        if self.month_cap is not None and self.ledger.month("act", wi) > self.month_cap:
            return MONTH_CAP
        if (
            p.strong
            and self.strong_limit is not None
            and (self.ledger.month("strong", wi) > self.strong_limit)
        ):
            return "strong-tie share of the month reached"
        for c in p.categories:
            lim = self.cat_limits.get(c)
            if lim is not None and self.ledger.month(f"cat:{c}", wi) > lim:
                return f"{c} share of the month reached"
        return None

    def try_one_on_one(
        self,
        p: _Person,
        wi: int,
        days: Sequence[date],
        lo_day: date,
        why: str,
        exact: PlannedEvent | None = None,
    ) -> _Unit | str:
        """Find (or, with ``exact``, check) a slot for a one-on-one; a unit or the reason not."""
        if wi in p.weeks_met:
            return "already meeting this week"
        reason = self.one_on_one_checks(p, wi)
        if reason:
            return reason
        monday = self.monday0 + timedelta(days=7 * wi)
        uid = planned_uid("one-on-one", p.key, _week_label(monday))
        if uid in self.taken:
            return "you deleted this week's meeting" if uid in self.inp.tombstones else "taken"
        remaining = self.ledger.remaining(wi)
        pl = self.cfg.planner
        extra = sum(  # prep/follow-up blocks this meeting would get (not fixed, not deleted)
            minutes * 60
            for kind, minutes in (
                (Kind.PREP, pl.prep_minutes),
                (Kind.FOLLOW_UP, pl.follow_up_minutes),
            )
            if planned_uid(str(kind), uid) not in self.fixed_uids
            and planned_uid(str(kind), uid) not in self.inp.tombstones
        )
        virtual_ok = self.ledger.in_person_ok(wi, self.cfg.budget.min_in_person_share)
        windows = []
        for w in _window_order(p, self.cfg.windows, p.met == 0):
            if not w.in_person and not virtual_ok:
                continue
            travel = 0 if not w.in_person else self.place_of(w.place)[1] * 60
            cost = w.duration_minutes * 60 + 2 * (travel + self.buffer) + extra
            if cost <= remaining * 60:
                windows.append((w, travel + self.buffer))
        if not windows:
            return BUDGET_SPENT
        if exact is not None:
            return self._exact_one_on_one(p, wi, exact, windows, uid, why)
        memo_key: tuple[object, ...] = (wi, lo_day, tuple(sorted({w.name for w, _ in windows})))
        if memo_key in self.memo:
            return NO_WINDOW
        cands = [d for d in days if d >= lo_day]
        cands.sort(key=lambda d: (self.active_days.get(d, 0) > 0, d))
        for day in cands:
            wd = day.weekday()
            for w, pre in windows:
                if _DAY_NAMES[wd] not in w.days:
                    continue
                unit = self._search_window(p, wi, day, w, pre, uid, why)
                if unit is not None:
                    return unit
        self.memo.add(memo_key)
        self.memo.add((wi, lo_day))  # the windows on offer are the same for everyone
        return NO_WINDOW

    def _search_window(
        self, p: _Person, wi: int, day: date, w: Window, pre: int, uid: str, why: str
    ) -> _Unit | None:
        dur = w.duration_minutes * 60
        ws, we = self.clock.ts(day, w.start), self.clock.ts(day, w.end)
        s = _up(max(ws, self.now + pre), STEP)
        while s + dur <= we:
            end = self.timeline.conflict(s - pre, s + dur + pre)
            if end is not None:
                s = _up(end + pre, STEP)
                continue
            ev = self.build_one_on_one(p, w, s, uid)
            kids = self.children_for(ev, True)
            if kids is not None and self._fits(wi, ev, kids):
                return _Unit(ev, kids, wi, self.counters_for(ev, p), why, person=p)
            s += STEP
        return None

    def _exact_one_on_one(
        self,
        p: _Person,
        wi: int,
        prev: PlannedEvent,
        windows: Sequence[tuple[Window, int]],
        uid: str,
        why: str,
    ) -> _Unit | str:
        s = int(prev.start.timestamp())
        day = self.clock.day(s)
        for w, pre in windows:
            if w.name != prev.activity or _DAY_NAMES[day.weekday()] not in w.days:
                continue
            ws, we = self.clock.ts(day, w.start), self.clock.ts(day, w.end)
            if s < ws or s + w.duration_minutes * 60 > we or s - pre < self.now:
                return NO_WINDOW
            if self.timeline.conflict(s - pre, s + w.duration_minutes * 60 + pre) is not None:
                return NO_WINDOW
            ev = self.build_one_on_one(p, w, s, uid)
            kids = self.children_for(ev, True)
            if kids is None:
                return NO_WINDOW
            if not self._fits(wi, ev, kids):
                return BUDGET_SPENT
            return _Unit(ev, kids, wi, self.counters_for(ev, p), why, person=p)
        return NO_WINDOW

    def _fits(self, wi: int, ev: PlannedEvent, kids: Sequence[PlannedEvent]) -> bool:
        total = self.cost(ev) + sum(self.cost(k) for k in kids)
        return total <= self.ledger.remaining(wi)

    # ------------------------------------------------------------------ groups

    def try_group(self, inst: _Instance, wi: int, why: str, exact: int | None) -> _Unit | str:
        g = inst.group
        if inst.uid in self.taken:
            return "you deleted this visit" if inst.uid in self.inp.tombstones else "taken"
        if self.month_cap is not None and self.ledger.month("act", wi) > self.month_cap:
            return MONTH_CAP
        where, travel = self.place_of(g.place)
        where = where or inst.location
        pre = travel * 60 + self.buffer
        dur = inst.end - inst.start
        tries = [inst.start] if (exact is None or exact == inst.start) else [exact]
        if (
            exact is not None
            and exact != inst.start
            and (
                g.mode != "active"
                or self.wi_of(exact) != wi
                or self.clock.day(exact).weekday() >= 5
            )
        ):
            return NO_WINDOW
        if g.mode == "active" and exact is None:
            day = self.clock.day(inst.start)
            t = self.clock.dt(inst.start).time()
            others = sorted(
                (day + timedelta(days=k) for k in range(-6, 7) if k),
                key=lambda d: (abs((d - day).days), d),
            )
            for d in others:
                if (
                    d.weekday() < 5
                    and (d - self.monday0).days // 7 == wi
                    and (self.start <= d < self.end)
                ):
                    tries.append(self.clock.ts(d, t))
        reason = NO_WINDOW
        for s in tries:
            if s - pre < self.now:
                continue
            if self.timeline.conflict(s - pre, s + dur + pre) is not None:
                continue
            title = (
                g.name
                if not inst.summary or inst.summary == g.name
                else (f"{g.name}: {inst.summary}")
            )
            if g.mode == "active":
                title = f"Host: {title}"
            elif g.status == "trial":
                title = f"{title} (trial visit {self.visits[g.name] + 1} of {g.trial_visits})"
            goal = next((x.text for x in self.cfg.goals if x.id == g.goal), "") or _goal_for(
                (), self.cfg.goals
            )
            ev = PlannedEvent(
                uid=inst.uid,
                kind=Kind.GROUP,
                title=title,
                start=self.clock.dt(s),
                end=self.clock.dt(s + dur),
                location=where,
                goal=goal,
                activity=g.name,
                travel_before=travel,
                travel_after=travel,
            )
            kids = self.children_for(ev, False)
            if kids is None:
                continue
            if not self._fits(wi, ev, kids):
                reason = BUDGET_SPENT
                continue
            return _Unit(ev, kids, wi, self.counters_for(ev, None), why, instance=inst)
        return reason

    def group_why(self, g: Group) -> str:
        if g.mode == "active":
            return "you host it"
        if g.status == "trial":
            return f"trial visit {self.visits[g.name] + 1} of {g.trial_visits}"
        return "member: every meeting"

    def group_wanted(self, g: Group) -> bool:
        return g.status == "member" or g.mode == "active" or self.visits[g.name] < g.trial_visits

    # ------------------------------------------------------------------ tasks

    def task(
        self, uid: str, title: str, text: str, s: int, contacts: tuple[str, ...], activity: str
    ) -> PlannedEvent:
        return PlannedEvent(
            uid=uid,
            kind=Kind.PREP,
            title=title,
            start=self.clock.dt(s),
            end=self.clock.dt(s + self.task_len),
            contacts=contacts,
            goal=_goal_for((), self.cfg.goals),
            description=text,
            activity=activity,
            in_person=False,
        )

    def find_task_slot(self, days: Sequence[date], after: int, wi: int) -> int | None:
        if self.ledger.remaining(wi) * 60 < self.task_len:
            return None
        for d in days:
            if d.weekday() >= 5:
                continue
            lo = max(self.clock.ts(d, WORK_FROM), self.now, after)
            s = self.timeline.earliest(lo, self.clock.ts(d, WORK_TO), self.task_len, STEP)
            if s is not None:
                return s
        return None

    def exact_task_ok(self, prev: PlannedEvent, wi: int, after: int) -> int | None:
        s = int(prev.start.timestamp())
        if s < max(self.now, after) or self.ledger.remaining(wi) * 60 < self.task_len:
            return None
        if self.timeline.conflict(s, s + self.task_len) is not None:
            return None
        return s

    def intro_event(self, p: _Person, s: int) -> PlannedEvent:
        assert p.introducer is not None
        org = p.target.organization if p.target else ""
        return self.task(
            self.intro_uid[p.key],
            f"Ask {p.introducer.name} for an introduction to {p.name}",
            agenda.introduction_text(
                p.introducer.name, p.name, org, _goal_for(("targets",), self.cfg.goals)
            ),
            s,
            (p.introducer.id,),
            "introduction",
        )

    def decide_event(self, g: Group, s: int) -> PlannedEvent:
        return self.task(
            self.decide_uid[g.name],
            f"Decide whether to join {g.name}",
            agenda.decide_text(g, self.visits[g.name]),
            s,
            (),
            g.name,
        )

    # ------------------------------------------------------------------ pool

    def push(self, p: _Person) -> None:
        if p.in_heap or p.pool_cadence is None:
            return
        due = p.due(self.start, self.cfg.planner.introduction_lead_days)
        if due is None:
            return
        heapq.heappush(self.heap, (due.toordinal(), p.order, p.key))
        p.in_heap = True

    # ------------------------------------------------------------------ the run

    def run(self) -> Plan:
        self.commit_history()
        self.commit_declined()
        for p in sorted(self.people.persons.values(), key=lambda p: p.order):
            if p.pool_cadence is not None and not p.retired:
                self.push(p)
        prev_by_week: dict[int, list[PlannedEvent]] = defaultdict(list)
        for e in self.previous.values():
            s = int(e.start.timestamp())
            if self.fp(e)[0] >= self.now and self.in_horizon(s):
                prev_by_week[self.wi_of(s)].append(e)
                # Reserve its place in the rolling-month counters, so that filling earlier
                # weeks cannot take what a still-valid later event needs (stability).
                self.ledger.reserve(self.wi_of(s), self.prev_counters(e), 1)
        for wi in range(self.n_weeks):
            self.week(wi, prev_by_week.get(wi, []))
        events = sorted(self.out.values(), key=lambda e: (e.start, e.uid))
        events = [self.defend(e) for e in events]
        return Plan(events=events, weeks=self.reports, focus=self.first_focus)

    def defend(self, e: PlannedEvent) -> PlannedEvent:
        """Time defence: transparent while far ahead, busy from tentative_days before."""
        n = self.cfg.planner.tentative_days
        far = n > 0 and (e.start.astimezone(self.clock.tz).date() - self.run_today).days > n
        far = far and e.uid not in self.inp.accepted
        transparent = (e.transparent and far) if e.pinned else far
        return e if e.transparent == transparent else replace(e, transparent=transparent)

    def commit_declined(self) -> None:
        """An activity the user deleted keeps its week's room taken: the user made that week
        lighter on purpose, so the freed time is not refilled with someone else."""
        dead = self.inp.tombstones
        if not dead:
            return
        labels = {
            _week_label(self.monday0 + timedelta(days=7 * wi)): wi for wi in range(self.n_weeks)
        }
        keys = [
            p.key
            for p in self.people.persons.values()
            if p.pool_cadence is not None or p.key in self.people.candidates
        ]
        pl = self.cfg.planner
        extra = pl.prep_minutes + pl.follow_up_minutes
        one_cost = max(0, self.min_cost - extra)

        def kids(uid: str, one_on_one: bool) -> int:
            # Its prep and follow-up went with it: their time is part of what was freed,
            # unless the user kept one (moved or edited: it is fixed and counted as such).
            specs = [(Kind.PREP, pl.prep_minutes)]
            if one_on_one:
                specs.append((Kind.FOLLOW_UP, pl.follow_up_minutes))
            return sum(m for k, m in specs if planned_uid(str(k), uid) not in self.fixed_uids)

        for label, wi in sorted(labels.items()):
            for key in keys:
                uid = planned_uid("one-on-one", key, label)
                if uid in dead:
                    minutes = one_cost + kids(uid, True)
                    self.ledger.commit(wi, minutes, ("act", "ooo"))
                    self.ledger.declined[wi] += minutes
        for inst in self.instances:
            if inst.uid in dead and self.in_horizon(inst.start):
                _, travel = self.place_of(inst.group.place)
                minutes = (inst.end - inst.start) // 60 + 2 * travel + 2 * (self.buffer // 60)
                minutes += kids(inst.uid, False)
                self.ledger.commit(self.wi_of(inst.start), minutes, ("act",))
                self.ledger.declined[self.wi_of(inst.start)] += minutes

    def commit_history(self) -> None:
        """Fixed events, history, and previous events already begun: they stand as they are."""
        stand: list[PlannedEvent] = [replace(e, pinned=True) for e in self.inp.fixed]
        stand += list(self.history.values())
        stand += [e for e in self.previous.values() if self.fp(e)[0] < self.now]
        for e in sorted(stand, key=lambda e: (e.start, e.uid)):
            begun = self.fp(e)[0] < self.now
            if _is_activity(e.kind) and begun:
                self.stand_children |= {planned_uid(str(k), e.uid) for k in Kind}
            if e.uid in self.taken:
                continue
            s = int(e.start.timestamp())
            p = self.person_of(e) if e.kind == Kind.ONE_ON_ONE else None
            self.commit_event(e, self.counters_for(e, p))
            wi = self.wi_of(s)
            if p is not None:
                day = self.clock.day(s)
                self.record_meeting(p, day, wi, counted=begun and _credited(p, day))
            if e.kind == Kind.GROUP:
                for g in self.cfg.groups:
                    if e.activity == g.name:
                        self.visits[g.name] += 1
                        self.last_visit[g.name] = self.fp(e)[1]
            if e.uid in self.intro_by_uid:
                self.people.persons[self.intro_by_uid[e.uid]].intro_day = self.clock.day(s)
            for name, uid in self.decide_uid.items():
                if e.uid == uid:
                    self.decided.add(name)
        for key, uid in self.intro_uid.items():
            if uid in self.inp.tombstones:
                self.people.persons[key].intro_blocked = True
        for name, uid in self.decide_uid.items():
            if uid in self.inp.tombstones:
                self.decided.add(name)

    def week(self, wi: int, previous: list[PlannedEvent]) -> None:
        monday = self.monday0 + timedelta(days=7 * wi)
        days = [
            d
            for d in (monday + timedelta(days=k) for k in range(7))
            if self.start <= d < self.end and d >= self.today
        ]
        report = WeekReport(
            week_start=monday,
            label=_week_label(monday),
            budget_minutes=self.ledger.budget,
            max_one_on_ones=self.cap,
        )
        for p in self.people.rotate():
            self.push(p)
        report.focus = list(self.people.focus)
        report.focus_names = [self.people.persons[k].name for k in self.people.focus]
        if wi == 0:
            self.first_focus = tuple(self.people.focus)
        self.keep(wi, days, previous, report)
        self.fill_groups(wi, days, report)
        self.fill_tasks(wi, days, report)
        self.fill_one_on_ones(wi, days, report)
        self.fixed_children(wi)
        report.placed.sort(key=lambda pl: (pl.start, pl.uid))
        report.used_minutes = self.ledger.used[wi] - self.ledger.declined[wi]
        report.declined_minutes = self.ledger.declined[wi]
        report.one_on_ones = self.ledger.counts["ooo", wi]
        self.reports.append(report)

    # ---- keep the previous plan where still valid

    def keep(
        self, wi: int, days: list[date], previous: list[PlannedEvent], report: WeekReport
    ) -> None:
        lead = self.cfg.planner.introduction_lead_days
        for e in sorted(previous, key=lambda e: (e.start, e.uid)):
            self.ledger.reserve(wi, self.prev_counters(e), -1)
            if e.uid in self.taken:
                continue
            unit: _Unit | str | None = None
            if e.kind == Kind.ONE_ON_ONE:
                p = self.person_of(e)
                if p is None or p.retired or p.cadence() is None:
                    continue
                due = p.due(self.start, lead)
                if due is None or self.clock.day(int(e.start.timestamp())) < due:
                    continue
                cad = p.cadence()
                assert cad is not None
                why = self.one_on_one_why(
                    "focus person" if p.in_focus else "keep in touch", p, due, cad
                )
                unit = self.try_one_on_one(p, wi, days, due, why, exact=e)
                if not isinstance(unit, _Unit):
                    self.displaced.add((p.key, wi))  # it moves: fill may place it this week
            elif e.kind == Kind.GROUP and e.uid in self.inst_by_uid:
                inst = self.inst_by_uid[e.uid]
                if not self.group_wanted(inst.group):
                    continue
                why = self.group_why(inst.group)
                unit = self.try_group(inst, wi, why, exact=int(e.start.timestamp()))
            elif e.uid in self.stand_children and e.kind in (Kind.PREP, Kind.FOLLOW_UP):
                # The follow-up of a meeting under way: keep it if its time is still free.
                a, b = self.fp(e)
                if self.timeline.conflict(a, b) is None and self.cost(e) <= (
                    self.ledger.remaining(wi)
                ):
                    unit = _Unit(e, [], wi, (), "after a meeting already under way")
            elif e.uid in self.intro_by_uid:
                p = self.people.persons[self.intro_by_uid[e.uid]]
                if not p.in_focus or p.intro_day is not None or p.introducer is None:
                    continue
                s = self.exact_task_ok(e, wi, 0)
                if s is not None:
                    ev = self.intro_event(p, s)
                    unit = _Unit(ev, [], wi, (), self.intro_why(p))
                    p.intro_day = self.clock.day(s)
            else:
                for g in self.cfg.groups:
                    if e.uid == self.decide_uid[g.name] and self.decide_due(g):
                        s = self.exact_task_ok(e, wi, self.last_visit.get(g.name, 0))
                        if s is not None:
                            unit = _Unit(self.decide_event(g, s), [], wi, (), "trial visits done")
                            self.decided.add(g.name)
            if isinstance(unit, _Unit):
                unit.note = "; kept in place"
                self.commit_unit(unit, report)

    # ---- fill

    def fill_groups(self, wi: int, days: list[date], report: WeekReport) -> None:
        if not days:
            return
        for inst in self.instances:
            d = self.clock.day(inst.start)
            if d not in days or inst.uid in self.out:
                continue
            g = inst.group
            if not self.group_wanted(g):
                continue
            why = self.group_why(g)
            res = self.try_group(inst, wi, why, None)
            if isinstance(res, _Unit):
                self.commit_unit(res, report)
            elif res != "taken":
                report.unplaced.append(Unplaced(f"{g.name} ({d:%a %d %b})", res))

    def decide_due(self, g: Group) -> bool:
        return (
            g.status == "trial"
            and g.mode == "passive"
            and g.name not in self.decided
            and self.visits[g.name] >= g.trial_visits
        )

    def fill_tasks(self, wi: int, days: list[date], report: WeekReport) -> None:
        if not days:
            return
        for g in self.cfg.groups:
            if not self.decide_due(g):
                continue
            s = self.find_task_slot(days, wi=wi, after=self.last_visit.get(g.name, 0))
            if s is None:
                if self.last_visit.get(g.name, 0) < self.clock.ts(days[-1], DAY_TO):
                    report.unplaced.append(Unplaced(f"Decide on {g.name}", NO_WINDOW))
                continue
            self.commit_unit(
                _Unit(self.decide_event(g, s), [], wi, (), "trial visits done"), report
            )
            self.decided.add(g.name)
        for key in list(self.people.focus):
            p = self.people.persons[key]
            if not p.needs_intro or p.intro_day is not None or p.introducer is None:
                continue
            if self.intro_uid[key] in self.taken:
                continue
            s = self.find_task_slot(days, wi=wi, after=0)
            if s is None:
                report.unplaced.append(
                    Unplaced(
                        f"Introduction to {p.name}",
                        BUDGET_SPENT
                        if self.ledger.remaining(wi) * 60 < self.task_len
                        else NO_WINDOW,
                    )
                )
                continue
            p.intro_day = self.clock.day(s)
            self.commit_unit(
                _Unit(self.intro_event(p, s), [], wi, (), self.intro_why(p)),
                report,
            )

    def fill_one_on_ones(self, wi: int, days: list[date], report: WeekReport) -> None:
        if not days:
            return
        lead = self.cfg.planner.introduction_lead_days
        last_day = days[-1]
        # Focus people first, most urgent first.
        focus = [self.people.persons[k] for k in self.people.focus]
        focus.sort(key=lambda p: (p.deadline(self.start), p.order))
        for p in focus:
            due = p.due(self.start, lead)
            cad = p.focus_cadence
            if due is None:
                why = "introduction pending" if p.needs_intro else NOT_DUE
                report.unplaced.append(Unplaced(p.name, why))
                continue
            if wi in p.weeks_met:
                continue
            if due > last_day:
                report.unplaced.append(Unplaced(p.name, f"{NOT_DUE} (due {due.isoformat()})"))
                continue
            if self.planned_later(p, wi) and (p.key, wi) not in self.displaced:
                continue
            why = self.one_on_one_why("focus person", p, due, cad)
            res = self.try_one_on_one(p, wi, days, max(due, days[0]), why)
            if isinstance(res, _Unit):
                self.commit_unit(res, report)
            elif res != "taken":
                report.unplaced.append(Unplaced(p.name, res))
        # Then the keep-in-touch pool, most overdue first.
        end_ord = last_day.toordinal()
        self.ready_order = [
            x for x in self.ready_order if x[2] in self.ready and self.ready_entry[x[2]] == x
        ]
        while self.heap and self.heap[0][0] <= end_ord:
            _, _, key = heapq.heappop(self.heap)
            p = self.people.persons[key]
            p.in_heap = False
            if not p.in_focus and not p.retired and key not in self.ready:
                self.ready[key] = p
                entry = (p.deadline(self.start).toordinal(), p.order, key)
                self.ready_entry[key] = entry
                insort(self.ready_order, entry)
        listed = 0
        blocked = ""  # once nothing fits this week, nobody else is tried
        for n, (_, _, key) in enumerate(list(self.ready_order)):
            p = self.ready[key]
            if p.in_focus:
                self.ready.pop(p.key, None)
                continue
            if not blocked and self.ledger.counts["ooo", wi] >= self.cap:
                blocked = CAP
            if not blocked and self.ledger.remaining(wi) < self.min_cost:
                blocked = BUDGET_SPENT
            if not blocked and (wi, days[0]) in self.memo:
                blocked = NO_WINDOW
            if blocked:
                rest = len(self.ready_order) - n
                while listed < MAX_UNPLACED_LISTED and rest:
                    q = self.ready[self.ready_order[-rest][2]]
                    report.unplaced.append(Unplaced(q.name, blocked))
                    listed += 1
                    rest -= 1
                report.unplaced_more += rest
                break
            due = p.due(self.start, lead)
            if due is None or wi in p.weeks_met:
                continue
            if due > last_day:  # met since it was queued: queue again at the new due date
                self.ready.pop(p.key, None)
                self.push(p)
                continue
            if self.planned_later(p, wi) and (p.key, wi) not in self.displaced:
                continue
            pool_cad = p.pool_cadence
            assert pool_cad is not None
            why = self.one_on_one_why("keep in touch", p, due, pool_cad)
            res = self.try_one_on_one(p, wi, days, max(due, days[0]), why)
            if isinstance(res, _Unit):
                self.ready.pop(p.key, None)
                self.commit_unit(res, report)
            elif res != "taken":
                if listed < MAX_UNPLACED_LISTED:
                    report.unplaced.append(Unplaced(p.name, res))
                    listed += 1
                else:
                    report.unplaced_more += 1

    def intro_why(self, p: _Person) -> str:
        return f"{p.name} is not yet a contact: the introduction comes first"

    def one_on_one_why(self, what: str, p: _Person, due: date, cad: Cadence) -> str:
        every = f"every {cad.ideal_days}-{cad.max_days} days"
        if p.last is None:
            return f"{what}; first meeting ({every})"
        return f"{what}; last met {p.last.isoformat()}, due {due.isoformat()} ({every})"

    def planned_later(self, p: _Person, wi: int) -> bool:
        """The previous plan meets ``p`` in a later week: that meeting stands (stability)
        until its own week finds it invalid, and then ``p`` is planned afresh there."""
        return any(
            (self.clock.day(int(e.start.timestamp())) - self.monday0).days // 7 > wi
            and e.uid not in self.taken
            for e in self._prev_meetings(p)
        )

    def _prev_meetings(self, p: _Person) -> list[PlannedEvent]:
        return self.prev_by_person.get(p.key, [])

    def fixed_children(self, wi: int) -> None:
        """Prep/follow-up blocks for fixed (user-moved) activities of this week."""
        for e in sorted(self.inp.fixed, key=lambda e: (e.start, e.uid)):
            s = int(e.start.timestamp())
            if not _is_activity(e.kind) or self.wi_of(s) != wi or not self.in_horizon(s):
                continue
            if self.fp(e)[0] < self.now:
                continue
            kids = self.children_for(e, e.kind == Kind.ONE_ON_ONE)
            if not kids:
                continue
            total = sum(self.cost(k) for k in kids)
            if total > self.ledger.remaining(wi):
                continue
            for k in kids:
                if k.uid in self.taken:
                    continue
                desc = (
                    agenda.prep_text(e)
                    if k.kind == Kind.PREP
                    else agenda.follow_up_text(e, self.people.contacts)
                )
                self.commit_event(replace(k, description=desc))


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
