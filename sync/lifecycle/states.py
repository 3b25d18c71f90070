"""The states a planned activity goes through, and what each means for the record.

``held``: netweave holds the time (written free or tentative by time defence); ``proposed``:
the other person was asked; ``confirmed``: they said yes (a command, or their acceptance seen
in the calendar); ``done``: it happened; ``skipped``: it did not; ``cancelled``: called off
before it happened (by the user, or because the plan no longer holds it). Pure rules, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

STATES: tuple[str, ...] = ("held", "proposed", "confirmed", "done", "skipped", "cancelled")
#: States the user (or the calendar) has settled: nothing more is asked about them.
DONE_STATES: frozenset[str] = frozenset({"done", "skipped", "cancelled"})
#: What silence means for a slot whose time has passed unconfirmed (``[meetings] silence``).
SILENCE: tuple[str, ...] = ("wait", "met", "skipped")
#: The note of a confirmation the user gave (``netweave confirm``): it fixes the meeting's time.
BY_USER = "confirmed by the user"

_ALLOWED: dict[str, frozenset[str]] = {
    "held": frozenset({"proposed", "confirmed", "done", "skipped", "cancelled"}),
    "proposed": frozenset({"proposed", "confirmed", "done", "skipped", "cancelled"}),
    "confirmed": frozenset({"confirmed", "done", "skipped", "cancelled"}),
    "done": frozenset({"done", "skipped"}),  # a note can be added again; a mistake undone
    "skipped": frozenset({"done", "skipped"}),
    "cancelled": frozenset({"held", "done", "cancelled"}),  # planned again, or met anyway
}


class LifecycleError(ValueError):
    """A change the rules do not allow, or a name that matches nobody (or several people)."""


@dataclass(frozen=True)
class Activity:
    """One planned activity as the lifecycle knows it (times as last planned or confirmed)."""

    uid: str
    contact: str  # the contact id ("" for a group visit)
    name: str  # the person's name, or the activity's title
    kind: str
    title: str
    start: datetime
    end: datetime
    state: str
    changed: datetime
    place: str = ""  # where the confirmed meeting is, when the user said ("": as planned)

    def to_json(self) -> dict[str, object]:
        return {
            "uid": self.uid,
            "contact": self.contact,
            "name": self.name,
            "kind": self.kind,
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "state": self.state,
            "changed": self.changed.isoformat(),
            "place": self.place,
        }


@dataclass(frozen=True)
class Interaction:
    """A note about one meeting: what was discussed, promised and offered."""

    id: int
    contact: str
    name: str
    day: date
    uid: str | None
    topic: str = ""
    promised: str = ""
    offered: str = ""
    note: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "contact": self.contact,
            "name": self.name,
            "date": self.day.isoformat(),
            "uid": self.uid,
            "topic": self.topic,
            "promised": self.promised,
            "offered": self.offered,
            "note": self.note,
        }


def check_change(current: str, new: str) -> None:
    """Raise :class:`LifecycleError` unless ``current`` may become ``new``."""
    if new not in STATES:
        raise LifecycleError(f"unknown state {new!r}")
    if new not in _ALLOWED[current]:
        raise LifecycleError(f"a {current} activity cannot become {new}")


def is_awaiting(a: Activity, now: datetime) -> bool:
    """Its time has passed and nobody has said whether it took place (held or proposed)."""
    return a.state in ("held", "proposed") and a.end <= now


def counts_as_met(a: Activity | None, now: datetime, silence: str) -> bool:
    """Whether a past meeting is credited as met: done or confirmed is; skipped and cancelled
    are not; an unconfirmed one is what ``silence`` says (``wait``: not until the user says).
    An activity the lifecycle never recorded (written before it existed) counts as held."""
    if a is None:
        return silence == "met"
    if a.state in ("done", "confirmed"):
        return a.end <= now
    if a.state in ("skipped", "cancelled"):
        return False
    return a.end <= now and silence == "met"
