"""Whether each source's read can be trusted this run: healthy, degraded or failed.

Decided before anything is planned, by :func:`judge`, a pure function of what was read (a count
per source) and what the state remembers of the source's last healthy read. A source that could
not be read has *failed*; one that reads as empty, or far smaller than last time, is *degraded*
(a disk not mounted, a half-synced export, a server answering an empty listing). Either way the
run writes nothing: the last good plan stands until the source is back or the change is accepted
(``sync --accept NAME``, ``expect_empty = true`` on the source, or a lower ``[safety] min_ratio``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

HEALTHY, DEGRADED, FAILED = "healthy", "degraded", "failed"

#: What each kind of source counts, for messages: (what it is, what it holds).
_WORDS = {
    "calendar": ("busy calendar", "events"),
    "addressbook": ("address book", "contacts"),
    "target": ("calendar netweave writes to", "of netweave's events"),
}


@dataclass(frozen=True)
class Seen:
    """What one run read of one source.

    ``kind`` is ``calendar`` (a busy calendar: the user's events in the read window),
    ``addressbook`` (its contacts) or ``target`` (netweave's own events in a writable calendar,
    compared with what the state knows it wrote). ``count`` is None when it could not be read.
    """

    kind: str
    name: str
    count: int | None
    error: str = ""
    expect_empty: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass(frozen=True)
class Health:
    """The verdict on one source: its status, what it held last time, and why."""

    seen: Seen
    status: str
    before: int | None = None
    reason: str = ""

    @property
    def healthy(self) -> bool:
        return self.status == HEALTHY

    def message(self) -> str:
        """What was seen, against what was seen last time, and how to accept it if intended."""
        what, items = _WORDS.get(self.seen.kind, ("source", "items"))
        name = self.seen.name
        if self.status == FAILED:
            return f"{what} could not be read: {self.seen.error or 'unknown error'}"
        last = "the state knows" if self.seen.kind == "target" else "last healthy read"
        return (
            f"{what} {self.reason}: {last} {self.before} {items}, now {self.seen.count}; "
            "not trusting it, so nothing was written to any calendar this run (the last good "
            f"plan stands). If this is intended, run `netweave sync --accept {name}` once (or "
            f"set expect_empty = true on it, or lower [safety] min_ratio)"
        )


def judge(
    seen: Iterable[Seen],
    remembered: Mapping[str, int],
    *,
    min_ratio: float,
    accepted: frozenset[str] = frozenset(),
) -> list[Health]:
    """The verdict on every source. ``remembered`` maps :attr:`Seen.key` to the count of its
    last healthy read (for a target: the events the state knows netweave wrote there)."""
    return [_judge_one(s, remembered.get(s.key), min_ratio, accepted) for s in seen]


def _judge_one(s: Seen, before: int | None, min_ratio: float, accepted: frozenset[str]) -> Health:
    if s.count is None:
        return Health(s, FAILED, before, "could not be read")
    if s.name in accepted:
        return Health(s, HEALTHY, before, "accepted")
    if not before:
        return Health(s, HEALTHY, before)
    if s.count == 0:
        if s.expect_empty:
            return Health(s, HEALTHY, before, "empty, as expected")
        return Health(s, DEGRADED, before, "reads as empty")
    if s.count < min_ratio * before:
        return Health(s, DEGRADED, before, "is suddenly far smaller")
    return Health(s, HEALTHY, before)


def all_healthy(verdicts: Sequence[Health]) -> bool:
    return all(v.healthy for v in verdicts)


def to_remember(verdicts: Sequence[Health]) -> dict[str, int]:
    """The counts of this run's healthy reads of busy calendars and address books: what the
    next run compares with (a target's is in the state already)."""
    return {
        v.seen.key: int(v.seen.count or 0)
        for v in verdicts
        if v.healthy and v.seen.kind != "target" and v.seen.count is not None
    }
