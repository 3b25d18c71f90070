"""What a sync changed (or, in a dry run, would change), as a person reads it.

Pure: the engine's actions in, lines of text out. Changes come in date order, grouped by week,
each line with the time, who and what (a deletion names the event that was deleted, from what
was planned, not its UID); a summary line counts what was done or would be done.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sync.model import PlannedEvent

OPS = ("insert", "update", "delete")
_PAST = {"insert": "inserted", "update": "updated", "delete": "deleted"}


@dataclass(frozen=True)
class Change:
    op: str  # insert | update | delete
    target: str
    nid: str
    event: PlannedEvent | None  # what is written, or (delete) what was planned; None: unknown
    reason: str = ""


def changes_of(actions: Sequence[Any]) -> list[Change]:
    """The engine's actions (``op``, ``target``, ``nid``, ``event``, ``reason``) as changes (a
    deletion's event is what it deleted, as it was planned)."""
    return [Change(a.op, a.target, a.nid, a.event, a.reason) for a in actions if a.op in OPS]


def count(changes: Sequence[Change]) -> dict[str, int]:
    """How many inserts, updates and deletes."""
    n = dict.fromkeys(OPS, 0)
    for c in changes:
        n[c.op] += 1
    return n


def clean_title(title: str) -> str:
    """A title without its group's name said twice: ``"Forum: Forum - breakfast"`` reads
    ``"Forum - breakfast"``."""
    head, sep, rest = title.partition(": ")
    if sep and rest.startswith(head):
        return rest
    m = re.match(r"^(Prepare|Follow up): (.+)$", title)
    if m:
        return f"{m.group(1)}: {clean_title(m.group(2))}"
    return title


def who_of(event: PlannedEvent, names: Mapping[str, str]) -> str:
    """The people of an event by name (an id without a known contact: the name it carries)."""
    return ", ".join(names.get(cid) or cid.split(":", 1)[-1] for cid in event.contacts)


def _what(event: PlannedEvent, who: str) -> str:
    title = clean_title(event.title)
    if who and title.endswith(f" with {who}"):
        title = title[: -len(f" with {who}")]
    return title


def render_changes(
    changes: Sequence[Change], tz: ZoneInfo, names: Mapping[str, str], *, dry_run: bool
) -> list[str]:
    """One line per change, by date, under a heading per week (Monday in the owner's zone)."""
    many_targets = len({c.target for c in changes}) > 1
    dated = sorted(
        (c for c in changes if c.event is not None),
        key=lambda c: (c.event.start if c.event else datetime.min, OPS.index(c.op), c.nid),
    )
    undated = sorted((c for c in changes if c.event is None), key=lambda c: c.nid)
    width = max((len(_verb(c.op, dry_run)) for c in changes), default=0)
    lines: list[str] = []
    week: date | None = None
    for c in dated:
        assert c.event is not None
        s, t = c.event.start.astimezone(tz), c.event.end.astimezone(tz)
        monday = s.date() - timedelta(days=s.weekday())
        if monday != week:
            week = monday
            lines.append(f"Week of {monday:%a %d %b %Y}")
        who = who_of(c.event, names)
        what = _what(c.event, who)
        line = f"  {_verb(c.op, dry_run):<{width}}  {s:%a %d %b %H:%M}-{t:%H:%M}  "
        line += f"{who}: {what}" if who and who not in what else what
        lines.append(line + _tail(c, many_targets))
    if undated:
        lines.append("Not found in any plan (deleted as recorded)")
        for c in undated:
            lines.append(f"  {_verb(c.op, dry_run):<{width}}  event {c.nid}{_tail(c, True)}")
    return lines


def _verb(op: str, dry_run: bool) -> str:
    return f"would {op}" if dry_run else _PAST[op]


def _tail(c: Change, show_target: bool) -> str:
    parts = []
    if c.reason and c.op != "insert":
        parts.append(c.reason)
    if show_target:
        parts.append(f"in {c.target}")
    return f" ({'; '.join(parts)})" if parts else ""


def summary(
    done: Mapping[str, int], unchanged: int, targets: Sequence[str], *, dry_run: bool
) -> str:
    """The last line: what was done (or would be), and where."""
    where = f" in {', '.join(sorted(set(targets)))}" if targets else ""
    if not any(done.get(op, 0) for op in OPS):
        if dry_run:
            return f"dry run: nothing would change{where} ({unchanged} events up to date)"
        return f"nothing changed{where} ({unchanged} events up to date)"
    if dry_run:
        parts = ", ".join(f"{op} {done.get(op, 0)}" for op in OPS)
        return f"dry run, nothing written: would {parts}{where}; {unchanged} unchanged"
    said = ", ".join(f"{_PAST[op]} {done.get(op, 0)}" for op in OPS)
    return f"{said}{where}; {unchanged} unchanged"
