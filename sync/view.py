"""What people see in the terminal: the week-by-week view of a plan, and progress on stderr.

:func:`week_view` is pure (config + events + contacts -> text): it renders with rich into a
string, with colour only when asked (the CLI asks when stdout is a terminal), plain text
otherwise. :func:`week_hours` is the budget arithmetic shared with the HTML report.
:func:`progress` shows a transient progress bar on stderr while sources are read, only when
stderr is a terminal and not ``-q``; with ``-v`` each step is logged instead.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TextIO

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from sync.config import Config
from sync.model import Kind, PlannedEvent

log = logging.getLogger("netweave")

_KIND_STYLE = {
    Kind.ONE_ON_ONE: "bold",
    Kind.GROUP: "bold cyan",
    Kind.PREP: "dim",
    Kind.FOLLOW_UP: "dim",
    Kind.INTRODUCTION: "magenta",
    Kind.HOLD: "dim",
}


# --------------------------------------------------------------------------- budget arithmetic


def event_minutes(config: Config, event: PlannedEvent) -> int:
    """Minutes an event takes out of the weekly budget: the meeting, travel and buffers
    (the planner's own arithmetic, so the view and the plan agree)."""
    from sync.planner import cost_minutes

    return max(0, cost_minutes(event, config.budget.buffer_minutes))


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekUse:
    monday: date
    minutes: int
    budget_minutes: int
    events: int

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def budget_hours(self) -> float:
        return self.budget_minutes / 60

    @property
    def share(self) -> float:
        return self.minutes / self.budget_minutes if self.budget_minutes else 0.0


def week_hours(
    config: Config,
    events: Sequence[PlannedEvent],
    first: date | None = None,
    weeks: int | None = None,
) -> list[WeekUse]:
    """Budget used per ISO week (Monday in the owner's zone), in order.

    With ``first``/``weeks`` every week of that horizon is listed (empty ones too); else the
    weeks from the first to the last event.
    """
    from sync.planner import in_budget

    tz = config.tz
    used: dict[date, int] = {}
    count: dict[date, int] = {}
    for e in events:
        if not in_budget(e):
            continue  # an offered time, a promise to keep: outside the budget
        monday = week_start(e.start.astimezone(tz).date())
        used[monday] = used.get(monday, 0) + event_minutes(config, e)
        count[monday] = count.get(monday, 0) + 1
    if first is not None and weeks is not None:
        mondays = [week_start(first) + timedelta(days=7 * i) for i in range(weeks)]
        last = first + timedelta(days=7 * weeks - 1)
        if week_start(last) not in mondays:
            mondays.append(week_start(last))
    elif used:
        lo, hi = min(used), max(used)
        mondays = [lo + timedelta(days=7 * i) for i in range((hi - lo).days // 7 + 1)]
    else:
        mondays = []
    budget = round(config.budget.hours_per_week * 60)
    return [WeekUse(m, used.get(m, 0), budget, count.get(m, 0)) for m in mondays]


# --------------------------------------------------------------------------- week view


def _hours(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h}h{m:02d}" if m else f"{h}h"


def _goal_label(config: Config, goal: str) -> str:
    """A goal's short name (its id) whether the event names it by id or by text."""
    for g in config.goals:
        if goal in (g.id, g.text):
            return g.id
    return goal


def _activity(e: PlannedEvent) -> str:
    if e.kind in (Kind.GROUP, Kind.INTRODUCTION):
        return e.title
    if e.kind in (Kind.PREP, Kind.FOLLOW_UP):
        head, sep, _rest = e.title.partition(":")
        return head if sep else (e.title or str(e.kind))
    if e.kind == Kind.HOLD:  # not the meeting: a time offered for it
        return f"Hold: {e.activity or 'meeting'} (offered)"
    what = (e.activity or str(e.kind)).capitalize()
    return what if e.in_person else f"{what} (call)"


def _bar(share: float, width: int = 20) -> str:
    filled = min(width, round(share * width))
    return "█" * filled + "░" * (width - filled)


def names_by_id(contacts: Sequence[Any]) -> dict[str, str]:
    return {c.id: c.name for c in contacts}


@dataclass(frozen=True)
class Named:
    """A person known by id and name only (from the state, when the address books could not be
    read): enough for the Who column."""

    id: str
    name: str


def with_known(contacts: Sequence[Any], known: Mapping[str, str]) -> list[Any]:
    """The contacts read, plus a :class:`Named` for each known person not among them."""
    read = {c.id for c in contacts}
    return [*contacts, *(Named(i, n) for i, n in sorted(known.items()) if i not in read)]


def _who(e: PlannedEvent, names: Mapping[str, str]) -> str:
    return ", ".join(names.get(cid) or cid.split(":", 1)[-1] for cid in e.contacts)


def week_view(
    config: Config,
    events: Sequence[PlannedEvent],
    contacts: Sequence[Any],
    *,
    color: bool | None = None,
    width: int | None = None,
) -> str:
    """The plan week by week: per day, each activity with time, place, who and goal, and the
    budget used (meeting, travel and buffers) against ``[budget].hours_per_week``.

    ``color`` None means: colour when stdout is a terminal. Without colour the text carries no
    escape sequences (safe to pipe, grep or mail).
    """
    if color is None:
        color = sys.stdout.isatty()
    console = _console(color, width)
    console.print(render(config, events, contacts, narrow=console.width < NARROW))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n"))


def _console(color: bool, width: int | None, record: bool = False) -> Console:
    if width is None:
        width = Console().width if color else 110
    return Console(
        file=io.StringIO(),
        force_terminal=color,
        no_color=not color,
        color_system="truecolor" if color else None,
        width=max(60, width),
        record=record,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


NARROW = 90  # columns: below this, each activity's details go on lines of their own


def render(
    config: Config,
    events: Sequence[PlannedEvent],
    contacts: Sequence[Any],
    *,
    narrow: bool = False,
) -> Group:
    """The rich renderable of :func:`week_view` (also used for the README screenshot).

    ``narrow`` (a terminal under :data:`NARROW` columns): day, time, then the activity with
    who, place and goal on lines below it, instead of six columns squeezed word by word."""
    tz = config.tz
    names = names_by_id(contacts)
    ordered = sorted(events, key=lambda e: (e.start, e.uid))
    if not ordered:
        return Group(
            Text("Nothing planned: no free window, no budget left, or nobody due.", style="yellow")
        )
    parts: list[Any] = []
    by_week: dict[date, list[PlannedEvent]] = {}
    for e in ordered:
        by_week.setdefault(week_start(e.start.astimezone(tz).date()), []).append(e)
    uses = {u.monday: u for u in week_hours(config, ordered)}
    for monday in sorted(uses):
        use = uses[monday]
        evs = by_week.get(monday, [])
        over = use.minutes > use.budget_minutes
        head = Text()
        head.append(f"Week of {monday:%a %d %b %Y}", style="bold underline")
        head.append("\n  budget " if narrow else "   budget ")
        head.append(_bar(use.share, 10 if narrow else 20), style="red" if over else "green")
        head.append(
            f" {_hours(use.minutes)} of {_hours(use.budget_minutes)}"
            f" ({round(use.share * 100)}%)" + ("" if narrow else " incl. travel and buffers"),
            style="bold red" if over else "",
        )
        parts.append(head)
        if not evs:
            parts.append(Text("  nothing planned this week", style="dim"))
            parts.append(Text(""))
            continue
        if narrow:
            parts.append(_narrow_table(config, evs, names))
            parts.append(Text(""))
            continue
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=True)
        table.add_column("Day", no_wrap=True, width=6)
        table.add_column("Time", no_wrap=True, width=11)
        table.add_column("Activity", ratio=4)
        table.add_column("Place", ratio=3)
        table.add_column("Who", ratio=3)
        table.add_column("Goal", no_wrap=True, width=max([len(g.id) for g in config.goals] + [4]))
        last_day: date | None = None
        for e in evs:
            s, t = e.start.astimezone(tz), e.end.astimezone(tz)
            day = s.date()
            style = _KIND_STYLE.get(e.kind, "")
            task = e.kind in (Kind.PREP, Kind.FOLLOW_UP)
            travel = ""
            if e.travel_before or e.travel_after:
                travel = f" (+{e.travel_before + e.travel_after}m travel)"
            table.add_row(
                Text(f"{s:%a %d}" if day != last_day else "", style="bold"),
                Text(f"{s:%H:%M}-{t:%H:%M}"),
                Text(_activity(e), style=style),
                Text((e.location or "") + travel, style="dim" if not e.location else ""),
                Text(_who(e, names), style="dim" if task else ""),
                Text("" if task else _goal_label(config, e.goal), style="italic"),
            )
            last_day = day
        parts.append(table)
        parts.append(Text(""))
    used = {_goal_label(config, e.goal) for e in ordered}
    for g in config.goals:
        if g.id in used:
            line = Text("Goal ", style="dim")
            line.append(g.id, style="italic")
            line.append(f": {g.text}", style="dim")
            parts.append(line)
    return Group(*parts)


def _narrow_table(config: Config, evs: Sequence[PlannedEvent], names: Mapping[str, str]) -> Table:
    tz = config.tz
    table = Table(show_header=False, box=None, pad_edge=False, expand=True)
    table.add_column("Day", no_wrap=True, width=6)
    table.add_column("Time", no_wrap=True, width=11)
    table.add_column("What", ratio=1)
    last_day: date | None = None
    for e in evs:
        s, t = e.start.astimezone(tz), e.end.astimezone(tz)
        task = e.kind in (Kind.PREP, Kind.FOLLOW_UP)
        what = Text(_activity(e), style=_KIND_STYLE.get(e.kind, ""))
        goal = "" if task else _goal_label(config, e.goal)
        if goal:
            what.append(f"  {goal}", style="italic")
        who = _who(e, names)
        if who:
            what.append(f"\n{who}", style="dim" if task else "")
        if e.location:
            travel = e.travel_before + e.travel_after
            what.append(f"\n{e.location}" + (f" (+{travel}m travel)" if travel else ""))
        table.add_row(
            Text(f"{s:%a %d}" if s.date() != last_day else "", style="bold"),
            Text(f"{s:%H:%M}-{t:%H:%M}"),
            what,
        )
        last_day = s.date()
    return table


# --------------------------------------------------------------------------- progress


@contextmanager
def progress(
    total: int, label: str, *, quiet: bool = False, stream: TextIO | None = None
) -> Iterator[Callable[[str], None]]:
    """A callback to call once per step (with the step's name) while ``total`` steps run.

    A transient rich progress bar on ``stream`` (stderr) when it is a terminal and not
    ``quiet``; nothing otherwise. Each step is logged at INFO (seen with ``-v``).
    """
    out = stream if stream is not None else sys.stderr
    shown = not quiet and total > 0 and out.isatty()
    if not shown:

        def tick_quiet(name: str) -> None:
            log.info("%s: %s", label, name)

        yield tick_quiet
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(file=out),
        transient=True,
    )
    with bar:
        task = bar.add_task(label, total=total)

        def tick(name: str) -> None:
            log.info("%s: %s", label, name)
            bar.update(task, advance=1, description=f"{label}: {name}")

        yield tick


def source_count(config: Config) -> int:
    """Steps :func:`sync.engine.read_inputs` reports: address books, calendars, group feeds."""
    feeds = sum(1 for g in config.groups if g.feed is not None and g.status != "retired")
    return len(config.addressbooks) + len(config.calendars) + feeds
