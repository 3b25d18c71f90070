"""What the interaction log gives the next meeting: a first agenda line ("last time: <date>,
<topic>; you promised <x>") and a follow-up task for each promise not yet kept. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sync.lifecycle.states import Interaction
from sync.model import Kind, PlannedEvent


@dataclass(frozen=True)
class FollowUp:
    """A promise made in a meeting: something to do before the next one."""

    contact: str
    name: str
    promised: str
    since: date

    def text(self) -> str:
        return f"{self.name}: {self.promised} (promised {self.since.isoformat()})"


def last_time(log: Sequence[Interaction], before: date) -> str:
    """The agenda's opening line from the latest note dated before ``before`` ("" if none)."""
    earlier = [i for i in log if i.day < before]
    if not earlier:
        return ""
    last = max(earlier, key=lambda i: (i.day, i.id))
    topic = last.topic or (last.note.splitlines() or [""])[0]
    parts = [f"Last time: {last.day.isoformat()}" + (f", {topic}" if topic else "")]
    if last.promised:
        parts.append(f"you promised {last.promised}")
    if last.offered:
        parts.append(f"they offered {last.offered}")
    return "; ".join(parts) + "."


def follow_ups(log: Sequence[Interaction]) -> list[FollowUp]:
    """One task per promise, oldest first."""
    return [
        FollowUp(i.contact, i.name, i.promised, i.day)
        for i in sorted(log, key=lambda i: (i.day, i.id))
        if i.promised
    ]


def with_memory(events: Sequence[PlannedEvent], log: Sequence[Interaction]) -> list[PlannedEvent]:
    """Each one-on-one's agenda, opened with what the log says about the last meeting with
    that person (only notes from before the meeting)."""
    by_contact: dict[str, list[Interaction]] = {}
    for i in log:
        by_contact.setdefault(i.contact, []).append(i)
    out: list[PlannedEvent] = []
    for e in events:
        notes = by_contact.get(e.contacts[0], []) if e.contacts else []
        line = last_time(notes, e.start.date()) if e.kind == Kind.ONE_ON_ONE else ""
        if line and not e.description.startswith(line):
            e = replace(e, description=f"{line}\n\n{e.description}" if e.description else line)
        out.append(e)
    return out
