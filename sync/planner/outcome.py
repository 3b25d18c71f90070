"""What a planning run gives back: the events, a report per week, and the plan as canonical
JSON and as readable text (what was placed and why, what was not and why)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sync.model import PlannedEvent, planned_to_record


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
    skipped: list[tuple[date, str]] = field(default_factory=list)  # days with nothing, and why
    open_from: date | None = None  # the first day planned, when it is not the Monday
    past: bool = False  # days of the week in the plan's window are past (before today)
    closed: str = ""  # why nothing can be placed any more this week ("": something could)

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
            "skipped": [{"day": d.isoformat(), "why": why} for d, why in self.skipped],
            "open_from": self.open_from.isoformat() if self.open_from else None,
            "past": self.past,
            "closed": self.closed,
        }


@dataclass
class Plan:
    events: list[PlannedEvent]
    weeks: list[WeekReport]
    focus: tuple[str, ...] = ()  # focus keys in the first week (contact ids for contacts)


def event_json(event: PlannedEvent) -> dict[str, object]:
    """The JSON record of a planned event, plus what the planner decided about it."""
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


def explain(p: Plan) -> str:
    """Per week: budget used, what was placed and why, what was not and why."""
    lines: list[str] = []
    for w in p.weeks:
        past = ""
        if w.open_from:
            said = "the days before it are past" if w.past else "the plan starts then"
            past = f"; planned from {w.open_from:%a %d %b}: {said}"
        lines.append(
            f"Week {w.label} (from {w.week_start:%a %d %b %Y}{past}): budget {w.used_minutes} of "
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
        if w.skipped:
            lines.append("  Days skipped:")
            for d, why in w.skipped:
                lines.append(f"    {d:%a %d %b} — {why}")
        if w.closed:
            lines.append(f"  Nothing more can be placed: {w.closed}")
        elif not w.placed and not w.unplaced:
            lines.append("  Nothing due.")
    return "\n".join(lines)
