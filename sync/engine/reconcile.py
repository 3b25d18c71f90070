"""Deciding what to write, without writing: what a calendar holds of netweave's events compared
with the state (:func:`observe`), and the minimal actions that make it hold the plan
(:func:`reconcile`). Pure functions over model objects, so a dry run is free: compute the
actions, print them, apply nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sync.model import OwnedEvent, PlannedEvent, content_hash, fingerprint
from sync.state import OwnedRow

#: The order actions are applied in: deletes free time before anything moves into it.
_ORDER = {"delete": 0, "adopt": 1, "update": 2, "insert": 3}


@dataclass(frozen=True)
class Observation:
    """What one writable calendar says about netweave's events, compared with the state."""

    target: str
    owned: dict[str, OwnedEvent]  # nid -> the copy we keep (first found)
    duplicates: list[OwnedEvent]  # further copies with the same marker: to delete
    user_modified: dict[str, OwnedEvent]  # nid -> the user's version
    user_deleted: frozenset[str]
    completed_deletes: frozenset[str]  # pending-delete rows whose event is gone


def observe(target: str, owned: Iterable[OwnedEvent], rows: Mapping[str, OwnedRow]) -> Observation:
    by_nid, dups = _dedupe(owned, rows)
    modified = {
        nid: o
        for nid, o in by_nid.items()
        if _user_changed(o, rows.get(nid)) or _invited_guests(o, rows.get(nid))
    }
    deleted = frozenset(
        nid
        for nid, row in rows.items()
        if nid not in by_nid and row.status in ("done", "pending-update")
    )
    completed = frozenset(
        nid for nid, row in rows.items() if nid not in by_nid and row.status == "pending-delete"
    )
    return Observation(target, by_nid, dups, modified, deleted, completed)


def _dedupe(
    owned: Iterable[OwnedEvent], rows: Mapping[str, OwnedRow]
) -> tuple[dict[str, OwnedEvent], list[OwnedEvent]]:
    """One copy per marker (the one the state knows, else the first by href), and the others."""
    by_nid: dict[str, OwnedEvent] = {}
    dups: list[OwnedEvent] = []
    for o in sorted(owned, key=lambda o: (o.nid, o.href)):
        row = rows.get(o.nid)
        keep = by_nid.get(o.nid)
        if keep is None:
            by_nid[o.nid] = o
        elif row is not None and row.href == o.href:
            dups.append(keep)
            by_nid[o.nid] = o
        else:
            dups.append(o)
    return by_nid, dups


def _invited_guests(o: OwnedEvent, row: OwnedRow | None) -> bool:
    """The user invited guests to one of netweave's events: it is theirs now, like an event they
    moved (netweave never moves or deletes it: guests would be told, or left with a meeting
    their host no longer has)."""
    return o.has_guests and row is not None and row.status != "pending-insert"


def _user_changed(o: OwnedEvent, row: OwnedRow | None) -> bool:
    """Whether the user moved or edited ``o`` (or did so before), judged against its row."""
    if row is None:
        return False
    if row.user_modified:
        return True
    if (
        row.status == "pending-update"
        and o.fingerprint in (row.fingerprint, row.prev_fingerprint)
        or row.status == "pending-insert"
        or o.fingerprint == row.fingerprint
    ):
        return False
    return row.status in ("done", "pending-update", "pending-delete")


@dataclass(frozen=True)
class Action:
    target: str
    op: str  # insert | update | delete | adopt
    nid: str
    #: insert, update, adopt: the rendered view to write; delete: what is deleted, as it was
    #: planned (None when no plan or record knows it)
    event: PlannedEvent | None = None
    href: str | None = None
    etag: str | None = None
    sequence: int = 0
    prev_fingerprint: str | None = None
    reason: str = ""

    def describe(self) -> str:
        what = self.event.title if self.event else self.nid
        when = f" {self.event.start:%a %Y-%m-%d %H:%M}" if self.event else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.op:<6} {self.target}: {what}{when}{why}"


def reconcile(
    obs: Observation,
    desired: Mapping[str, PlannedEvent],
    rows: Mapping[str, OwnedRow],
    tombstones: frozenset[str],
    *,
    allow_delete: bool,
    keep_before: datetime | None = None,
    keep_after: datetime | None = None,
    planned: Mapping[str, PlannedEvent] | None = None,
) -> tuple[list[Action], int]:
    """The minimal writes that make one target hold ``desired``. Returns (actions, unchanged).

    Never touches an event without netweave's marker (only ``obs.owned`` is ever written), never
    changes a user-modified one, never recreates a tombstoned one. Owned events that start before
    ``keep_before`` (the start of the planning window) or at or after ``keep_after`` (its end)
    are outside this plan, not out of it: they are left as they are.

    ``planned``: what each event was planned as (the plan, else the last plan or the record
    kept with it); a deletion carries it, so that it can say what it deleted.
    """
    t = obs.target
    known = planned or {}
    actions = [
        Action(
            t,
            "delete",
            dup.nid,
            event=known.get(dup.nid),
            href=dup.href,
            etag=dup.etag,
            reason="duplicate",
        )
        for dup in obs.duplicates
    ]
    unchanged = 0
    for nid, o in sorted(obs.owned.items()):
        if nid in obs.user_modified:
            unchanged += 1
            continue
        want = desired.get(nid)
        if want is None:
            outside = (keep_before is not None and o.start < keep_before) or (
                keep_after is not None and o.start >= keep_after
            )
            action, same = _unplanned(t, nid, o, allow_delete and not outside, known.get(nid))
        else:
            action, same = _planned(t, nid, o, want, rows.get(nid), known.get(nid))
        if action is not None:
            actions.append(action)
        unchanged += same
    for nid, want in sorted(desired.items()):
        if nid in obs.owned or nid in tombstones or nid in obs.user_deleted:
            continue
        actions.append(Action(t, "insert", nid, event=want))
    actions.sort(key=lambda a: (_ORDER[a.op], a.nid))
    return actions, unchanged


def _unplanned(
    t: str, nid: str, o: OwnedEvent, allow_delete: bool, was: PlannedEvent | None
) -> tuple[Action | None, bool]:
    """An owned event the plan no longer holds: (the action, whether it counts as unchanged)."""
    if allow_delete:
        why = "no longer planned"
        return Action(t, "delete", nid, was, href=o.href, etag=o.etag, reason=why), False
    return None, True


def _planned(
    t: str,
    nid: str,
    o: OwnedEvent,
    want: PlannedEvent,
    row: OwnedRow | None,
    was: PlannedEvent | None,
) -> tuple[Action | None, bool]:
    """An owned event the plan holds: (the action, whether it counts as unchanged)."""
    as_planned = o.fingerprint == fingerprint(want.start, want.end, want.title, want.location)
    if row is None:  # ours by its marker, unknown to the state: adopt it as it is
        mine = as_planned and not o.has_guests
        return _adopt(t, nid, o, want, "" if mine else "user"), False
    if row.status == "pending-delete":
        return Action(t, "delete", nid, was, href=o.href, etag=o.etag, reason="resume"), False
    update_due = content_hash(want) != row.content_hash or (
        row.status == "pending-update" and o.fingerprint != row.fingerprint
    )
    if row.status == "pending-insert" and as_planned and content_hash(want) == row.content_hash:
        return _adopt(t, nid, o, want), False
    if update_due or row.status == "pending-insert":
        update = Action(
            t,
            "update",
            nid,
            event=want,
            href=o.href,
            etag=o.etag,
            sequence=max(row.sequence, o.sequence) + 1,
            prev_fingerprint=o.fingerprint,
            reason="changed",
        )
        return update, False
    if row.status != "done" or row.etag != o.etag or row.href != o.href:
        # The last write landed but its outcome was not recorded (or the etag moved on).
        return _adopt(t, nid, o, want), True
    return None, True


def _adopt(t: str, nid: str, o: OwnedEvent, want: PlannedEvent, reason: str = "") -> Action:
    """Record an owned event as the state's, without writing it."""
    return Action(
        t, "adopt", nid, event=want, href=o.href, etag=o.etag, sequence=o.sequence, reason=reason
    )
