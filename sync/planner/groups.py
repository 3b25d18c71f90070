"""Groups: their instances in the horizon and what has been done about them.

Passive groups (rrule or feed instances) happen when they happen; active groups (self-hosted)
may move to another weekday of the same week at the same time. Trial groups get
``trial_visits`` visits, then a "decide whether to join" note; retired groups are never planned.
A trial visit goes only to an event that fits the owner: not one whose title restricts its
audience (under 35, students, members only, another profession than ``owner.profession``), nor
one whose description limits it so ("open only to", "exclusively for", "for students only").
A description that only mentions an audience ("students welcome", "members free") does not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sync.config import Group
from sync.model import planned_uid
from sync.planner.clock import Clock, Horizon, epoch
from sync.planner.inputs import PlanInput
from sync.planner.reasons import group_why

GROUP_ANCHOR = date(2000, 1, 3)  # a Monday; group rrules keep their phase relative to it


@dataclass(frozen=True)
class Instance:
    group: Group
    gi: int  # group index in the config
    start: int
    end: int
    uid: str
    summary: str = ""
    location: str = ""
    attendees: tuple[str, ...] = ()  # lower-cased emails the feed lists
    description: str = ""


def rrule_anchor(rule: str, before: date) -> date:
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


def _rule_instances(g: Group, gi: int, tz: ZoneInfo, lo: date, hi: date) -> list[Instance]:
    from dateutil.rrule import rrulestr

    assert g.start is not None
    anchor = rrule_anchor(g.rrule, lo - timedelta(days=7))
    rule = rrulestr(g.rrule, dtstart=datetime.combine(anchor, g.start))
    a = datetime.combine(lo, time(0))
    b = datetime.combine(hi, time(0))
    out = []
    for naive in rule.between(a, b, inc=True):
        s = int(naive.replace(tzinfo=tz).timestamp())
        key = f"{naive:%Y-%m-%dT%H:%M}"
        out.append(
            Instance(g, gi, s, s + g.duration_minutes * 60, planned_uid("group", g.name, key))
        )
    return out


def group_instances(inp: PlanInput, clock: Clock, lo: date, hi: date) -> list[Instance]:
    """Instances of non-retired groups with a local start day in [lo, hi)."""
    out: list[Instance] = []
    tz = clock.tz
    for gi, g in enumerate(inp.config.groups):
        if g.status == "retired":
            continue
        if g.rrule and g.start is not None:
            out.extend(_rule_instances(g, gi, tz, lo, hi))
        feed_names = {g.name}
        if g.feed is not None:
            feed_names |= {str(g.feed), g.feed.name, f"group:{g.name}"}
        for ev in inp.group_events:
            if ev.source not in feed_names or ev.cancelled or ev.all_day:
                continue
            s, e = epoch(ev.start, tz), epoch(ev.end, tz)
            d = clock.day(s)
            if not (lo <= d < hi) or e <= s:
                continue
            key = f"{clock.dt(s):%Y-%m-%dT%H:%M}"
            out.append(
                Instance(
                    g,
                    gi,
                    s,
                    e,
                    planned_uid("group", g.name, key),
                    ev.summary,
                    ev.location,
                    ev.attendees,
                    ev.description,
                )
            )
    uniq = {i.uid: i for i in sorted(out, key=lambda i: (i.start, i.gi, i.uid))}
    return sorted(uniq.values(), key=lambda i: (i.start, i.gi, i.uid))


_AUDIENCE = (
    (r"\bunder[- ]?(?:3\d|40)s?\b|\b(?:3\d|40) and under\b|\bu[- ]?3\d\b", "under 35"),
    (r"\byoung (?:professionals?|lawyers?|attorneys?|members?|leaders?)\b", "young members"),
    (r"\bstudents?\b|\bstudierende\b", "students"),
    (r"\bmembers[- ]only\b|\bfor members\b|\bmembers' (?:night|evening|dinner)\b", "members only"),
    (r"\bretirees?\b|\bretired members\b", "retirees"),
)
_PROFESSION = re.compile(
    r"\bfor (?:all )?(accountants?|cpas?|physicians?|doctors?|nurses?|engineers?|architects?|"
    r"dentists?|pharmacists?|lawyers?|attorneys?|realtors?|developers?|designers?|teachers?)\b",
    re.I,
)


# A sentence of a description limits the audience when it says so: what follows the phrase
# (or precedes "only") is then read like a title.
_LIMIT = re.compile(
    r"\b(?:(?:open|available) (?:only )?to|only open to|exclusively for|restricted to|limited to|"
    r"reserved for|eligibility:|eligible:|this (?:event|evening|mixer|dinner) is (?:only )?for)"
    r"\s+(?P<after>[^.;!?\n]{1,80})"
    r"|\bfor (?P<before>[^.;!?\n]{1,60}?) only\b",
    re.I,
)


def _audience(text: str, profession: str) -> str:
    for rx, why in _AUDIENCE:
        if re.search(rx, text, re.IGNORECASE):
            return why
    m = _PROFESSION.search(text)
    if m:
        who = m.group(1).casefold().rstrip("s")
        mine = profession.casefold()
        if mine and who not in mine and mine.rstrip("s") not in who:
            return f"for {m.group(1)}"
    return ""


def _limited(description: str, profession: str) -> str:
    """The audience a description limits the event to ("" when it does not)."""
    for m in _LIMIT.finditer(description):
        words = m.group("after") or m.group("before") or ""
        why = _audience(words, profession) or _audience(f"for {words}", profession)
        if why:
            return why
    return ""


def restricted(title: str, profession: str, description: str = "") -> str:
    """Why an event with this title (and description) is not for the owner ("" when it may be)."""
    return _audience(title, profession) or _limited(description, profession)


class Groups:
    """The configured groups' instances, visits made, and decisions taken."""

    def __init__(self, inp: PlanInput, horizon: Horizon) -> None:
        self.config = inp.config.groups
        self.instances = group_instances(
            inp, horizon.clock, horizon.monday0 - timedelta(days=7), horizon.end
        )
        self.by_uid = {i.uid: i for i in self.instances}
        self.clock = horizon.clock
        self.order = {id(i): n for n, i in enumerate(self.instances)}
        self.by_day: dict[date, list[Instance]] = defaultdict(list)
        for i in self.instances:
            self.by_day[horizon.clock.day(i.start)].append(i)
        self.visits: dict[str, int] = defaultdict(int)
        self.last_visit: dict[str, int] = {}  # group name -> end of the last visit's footprint
        self.decide_uid = {g.name: planned_uid("prep", "decide", g.name) for g in self.config}
        self.decided: set[str] = set()

    def on(self, days: Iterable[date]) -> list[Instance]:
        """The instances on ``days``, in the order of :attr:`instances`."""
        order = self.order
        found = [i for d in set(days) for i in self.by_day.get(d, ())]
        return sorted(found, key=lambda i: order[id(i)])

    def visit(self, name: str, until: int) -> None:
        self.visits[name] += 1
        self.last_visit[name] = until

    def wanted(self, g: Group) -> bool:
        return g.status == "member" or g.mode == "active" or self.visits[g.name] < g.trial_visits

    def why(self, g: Group) -> str:
        return group_why(g, self.visits[g.name])

    def decide_due(self, g: Group) -> bool:
        """A trial group visited enough and not yet decided on."""
        return (
            g.status == "trial"
            and g.mode == "passive"
            and g.name not in self.decided
            and self.visits[g.name] >= g.trial_visits
        )
