"""One sync: read -> tag -> plan -> reconcile -> write -> export.

This module and the adapters in :mod:`sync.sources` are the only places that do I/O. The
decisions are pure functions (:func:`observe`, :func:`reconcile`) over model objects, so that
``--dry-run`` is free: compute the actions, print them, apply nothing.

Invariants (DESIGN.md): netweave only ever writes, changes or deletes events carrying its marker;
a second run with nothing changed writes nothing; a user's move or edit of an owned event wins
(it becomes a fixed point of the plan); a user's delete becomes a tombstone; a run killed at any
point converges on the next run (intent is recorded before each write, the outcome after).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sync.cache import ReadCache, contact_count
from sync.config import Config
from sync.model import (
    Busy,
    Contact,
    Event,
    PlannedEvent,
    Problem,
    content_hash,
    fingerprint,
    planned_from_record,
    planned_to_record,
)
from sync.sources import open_addressbook, open_calendar
from sync.sources.base import (
    ContactsResult,
    NotFound,
    OwnedEvent,
    PreconditionFailed,
    SourceError,
    WritableCalendar,
)
from sync.state import OwnedRow, State

#: An address book or calendar that had at least this many items last run and now has none
#: is not trusted (vdirsyncer's guard against a source that suddenly looks empty).
EMPTY_GUARD_MIN = 5


class LockBusy(Exception):
    """Another sync holds the lock."""


# ====================================================================== reading


@dataclass
class Inputs:
    """Everything read from the sources for one run."""

    contacts: list[Contact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # all calendars, history + plan window
    busy: list[Busy] = field(default_factory=list)  # excluding netweave's own events
    group_events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # items skipped, warnings
    failures: list[Problem] = field(default_factory=list)  # whole sources that failed
    calendars_failed: bool = False
    addressbooks_failed: bool = False
    calendars: dict[str, Any] = field(default_factory=dict)  # name -> backend object
    addressbooks: dict[str, Any] = field(default_factory=dict)  # name -> backend object

    def http_requests(self) -> int:
        """HTTP requests the network backends made (Google, DAV) so far this run."""
        backends = [*self.calendars.values(), *self.addressbooks.values()]
        return sum(int(getattr(b, "requests_made", 0) or 0) for b in backends)

    @property
    def skipped(self) -> int:
        return len(self.problems)


def plan_window(config: Config, start: date, weeks: int) -> tuple[datetime, datetime]:
    tz = config.tz
    begin = datetime.combine(start, datetime.min.time(), tz)
    end = datetime.combine(start + timedelta(days=7 * weeks), datetime.min.time(), tz)
    return begin, end


def read_inputs(
    config: Config,
    start: date,
    weeks: int,
    now: datetime,
    state: State | None,
    *,
    progress: Callable[[str], None] | None = None,
    cache: ReadCache | None = None,
    past_meetings: Sequence[tuple[date, tuple[str, ...]]] = (),
) -> Inputs:
    """Read every address book and calendar; a failing source is reported, the rest is read.

    ``progress`` is called with each source's name as its reading starts. ``cache`` serves
    unchanged local files (and the contacts derived from them) without parsing them again.
    """
    from sync.busy import busy_from_events, merge_busy
    from sync.merge import merge_contacts
    from sync.tagging import (
        apply_history,
        bundled_rules_dir,
        load_rules,
        rules_from_owner,
        rules_from_targets,
        tag,
    )

    inp = Inputs()
    tokens: dict[str, dict[str, str]] = {}

    def sync_state(source: str) -> Any:
        if state is not None:
            return state.tokens(source)
        return tokens.setdefault(source, {})

    read_books: list[ContactsResult] = []
    for ab_cfg in config.addressbooks:
        if progress is not None:
            progress(ab_cfg.name)
        try:
            book = open_addressbook(ab_cfg, config, sync_state(ab_cfg.name))
            inp.addressbooks[ab_cfg.name] = book
            result = book.read() if cache is None else cache.addressbook(book)
        except SourceError as e:
            inp.failures.append(Problem(ab_cfg.name, e.message, ab_cfg.key))
            inp.addressbooks_failed = True
            if cache is not None:
                cache.not_cached()
            continue
        if _looks_empty(state, f"count:{ab_cfg.name}", contact_count(result)):
            inp.failures.append(
                Problem(
                    ab_cfg.name,
                    "returned no contacts although it had some last run; not trusting it "
                    "(nothing is deleted because of it). Check the source.",
                    ab_cfg.key,
                )
            )
            inp.addressbooks_failed = True
            if cache is not None:
                cache.not_cached()
            continue
        read_books.append(result)  # cached contacts are decoded only if merged again
        inp.problems.extend(result.problems)

    history_start = datetime.combine(
        start - timedelta(days=config.planner.history_days), datetime.min.time(), config.tz
    )
    _begin, end = plan_window(config, start, weeks)
    busy_events: list[Event] = []
    for cal_cfg in config.calendars:
        if progress is not None:
            progress(cal_cfg.name)
        try:
            cal = open_calendar(cal_cfg, config, sync_state(cal_cfg.name))
            inp.calendars[cal_cfg.name] = cal
            if cache is None:
                result_e = cal.read(history_start, end)
            else:
                result_e = cache.calendar(cal, history_start, end)
        except SourceError as e:
            inp.failures.append(Problem(cal_cfg.name, e.message, cal_cfg.key))
            inp.calendars_failed = True
            if cache is not None:
                cache.not_cached()
            continue
        inp.problems.extend(result_e.problems)
        inp.events.extend(result_e.events)
        if cal_cfg.busy:
            busy_events.extend(result_e.events)

    for i, group in enumerate(config.groups):
        if group.feed is None or group.status == "retired":
            continue
        from sync.sources.ics import IcsFileCalendar

        if progress is not None:
            progress(f"group:{group.name}")
        try:
            feed = IcsFileCalendar(f"group:{group.name}", group.feed, config.tz)
            since = now - timedelta(days=1)
            res = feed.read(since, end) if cache is None else cache.calendar(feed, since, end)
        except SourceError as e:
            inp.failures.append(Problem(f"group:{group.name}", e.message, f"groups[{i}].feed"))
            continue
        inp.problems.extend(res.problems)
        needle = (group.match or group.name).casefold()
        mine = [ev for ev in res.events if needle in ev.summary.casefold()]
        if not mine and not group.match:
            mine = list(res.events)  # a feed of this group alone
        inp.group_events.extend(replace(ev, source=group.name) for ev in mine if not ev.cancelled)

    inp.busy = merge_busy(
        busy_from_events(
            busy_events,
            ignore_all_day=config.planner.ignore_all_day,
            exclude_owned=True,
            owner_emails=config.owner.emails,
        )
    )

    today = now.astimezone(config.tz).date()
    rules = [
        *load_rules(
            config.tagging.rules_dir, [*config.tagging.rules, *rules_from_targets(config.targets)]
        ),
        *rules_from_owner(config.owner),
    ]
    owner_domains = sorted({e.split("@", 1)[1].lower() for e in config.owner.emails if "@" in e})

    def derive() -> tuple[list[Contact], list[Problem]]:
        merged, merge_problems = merge_contacts(
            [c for r in read_books for c in r.contacts],
            source_order=[ab.name for ab in config.addressbooks],
        )
        try:
            from sync.introductions import targets_from_config

            merged = list(merged) + [
                c
                for c in targets_from_config(config.targets, merged)
                if c.id not in {m.id for m in merged}
            ]
        except ImportError:  # pragma: no cover - introductions land with the CSV issue
            pass
        with_history = credit_meetings(
            apply_history(merged, inp.events, config.owner.emails, today), past_meetings
        )
        tagged = tag(
            with_history,
            rules,
            default_category=config.tagging.default_category,
            strong_after_meetings=config.tagging.strong_after_meetings,
            owner_domains=owner_domains,
        )
        return tagged, list(merge_problems)

    if cache is None:
        inp.contacts, merge_problems = derive()
    else:
        rules_dir = config.tagging.rules_dir or bundled_rules_dir()
        key = cache.derived_key(
            [*([config.path] if config.path else []), *sorted(rules_dir.glob("*.toml"))],
            inp.events,
            today,
            "" if config.path else repr(config),
            start.isoformat(),
            weeks,
            sorted((d.isoformat(), ids) for d, ids in past_meetings),
        )
        inp.contacts, merge_problems = cache.contacts(key, derive)
    inp.problems.extend(merge_problems)
    return inp


def credit_meetings(
    contacts: Sequence[Contact], meetings: Sequence[tuple[date, tuple[str, ...]]]
) -> list[Contact]:
    """Meetings netweave planned that took place count as met (last_met, times_met).

    Its own events carry no guest list, so the calendar history cannot see them.
    """
    if not meetings:
        return list(contacts)
    seen: dict[str, list[date]] = {}
    for day, ids in meetings:
        for cid in ids:
            seen.setdefault(cid, []).append(day)
    out = []
    for c in contacts:
        days = seen.get(c.id)
        if days:
            last = max(days) if c.last_met is None else max(c.last_met, *days)
            c = replace(c, last_met=last, times_met=c.times_met + len(days))
        out.append(c)
    return out


def _looks_empty(state: State | None, key: str, count: int) -> bool:
    if state is None:
        return False
    before = state.get_meta(key)
    if count == 0 and before is not None and int(before) >= EMPTY_GUARD_MIN:
        return True
    if count:
        state.set_meta(key, str(count))
    return False


# ====================================================================== deciding (pure)


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
    modified: dict[str, OwnedEvent] = {}
    for nid, o in by_nid.items():
        row = rows.get(nid)
        if row is None:
            continue
        if row.user_modified:
            modified[nid] = o
        elif (
            row.status == "pending-update"
            and o.fingerprint
            in (
                row.fingerprint,
                row.prev_fingerprint,
            )
            or row.status == "pending-insert"
            or o.fingerprint == row.fingerprint
        ):
            continue
        elif row.status in ("done", "pending-update", "pending-delete"):
            modified[nid] = o
    deleted = frozenset(
        nid
        for nid, row in rows.items()
        if nid not in by_nid and row.status in ("done", "pending-update")
    )
    completed = frozenset(
        nid for nid, row in rows.items() if nid not in by_nid and row.status == "pending-delete"
    )
    return Observation(target, by_nid, dups, modified, deleted, completed)


@dataclass(frozen=True)
class Action:
    target: str
    op: str  # insert | update | delete
    nid: str
    event: PlannedEvent | None = None  # the rendered view to write
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
) -> tuple[list[Action], int]:
    """The minimal writes that make one target hold ``desired``. Returns (actions, unchanged).

    Never touches an event without netweave's marker (only ``obs.owned`` is ever written), never
    changes a user-modified one, never recreates a tombstoned one. Owned events that start before
    ``keep_before`` (the start of the planning window) are history: they are left as they are.
    """
    actions: list[Action] = []
    unchanged = 0
    t = obs.target
    for dup in obs.duplicates:
        actions.append(
            Action(t, "delete", dup.nid, href=dup.href, etag=dup.etag, reason="duplicate")
        )
    for nid, o in sorted(obs.owned.items()):
        if nid in obs.user_modified:
            unchanged += 1
            continue
        want = desired.get(nid)
        row = rows.get(nid)
        if want is None and keep_before is not None and o.start < keep_before:
            unchanged += 1  # a past meeting: part of the record, never removed
            continue
        if want is None:
            if allow_delete:
                actions.append(
                    Action(t, "delete", nid, href=o.href, etag=o.etag, reason="no longer planned")
                )
            else:
                unchanged += 1
            continue
        if row is None:
            if o.fingerprint == fingerprint(want.start, want.end, want.title, want.location):
                actions.append(
                    Action(
                        t, "adopt", nid, event=want, href=o.href, etag=o.etag, sequence=o.sequence
                    )
                )
            else:
                actions.append(
                    Action(
                        t,
                        "adopt",
                        nid,
                        event=want,
                        href=o.href,
                        etag=o.etag,
                        sequence=o.sequence,
                        reason="user",
                    )
                )
            continue
        if row.status == "pending-delete":
            actions.append(Action(t, "delete", nid, href=o.href, etag=o.etag, reason="resume"))
            continue
        update_due = content_hash(want) != row.content_hash or (
            row.status == "pending-update" and o.fingerprint != row.fingerprint
        )
        if (
            row.status == "pending-insert"
            and o.fingerprint == fingerprint(want.start, want.end, want.title, want.location)
            and content_hash(want) == row.content_hash
        ):
            actions.append(
                Action(t, "adopt", nid, event=want, href=o.href, etag=o.etag, sequence=o.sequence)
            )
            continue
        if update_due or row.status == "pending-insert":
            actions.append(
                Action(
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
            )
        elif row.status != "done" or row.etag != o.etag or row.href != o.href:
            # The last write landed but its outcome was not recorded (or the etag moved on).
            actions.append(
                Action(t, "adopt", nid, event=want, href=o.href, etag=o.etag, sequence=o.sequence)
            )
            unchanged += 1
        else:
            unchanged += 1
    for nid, want in sorted(desired.items()):
        if nid in obs.owned or nid in tombstones or nid in obs.user_deleted:
            continue
        actions.append(Action(t, "insert", nid, event=want))
    order = {"delete": 0, "adopt": 1, "update": 2, "insert": 3}
    actions.sort(key=lambda a: (order[a.op], a.nid))
    return actions, unchanged


# ====================================================================== planning


@dataclass
class RunOptions:
    now: datetime
    start: date | None = None
    weeks: int | None = None
    dry_run: bool = False
    export_path: Path | None = None
    lock_wait: float = 10.0
    progress: Callable[[str], None] | None = None  # called per source read (sync.view.progress)


def _start_weeks(config: Config, opts: RunOptions) -> tuple[date, int]:
    start = opts.start or opts.now.astimezone(config.tz).date()
    return start, opts.weeks or config.planner.weeks


def last_plan(state: State | None) -> list[PlannedEvent]:
    if state is None:
        return []
    raw = state.get_meta("last_plan")
    if not raw:
        return []
    try:
        return [planned_from_record(r) for r in json.loads(raw)]
    except (ValueError, KeyError, TypeError):
        return []


def history_from_state(
    state: State | None, now: datetime, tombstones: frozenset[str] = frozenset()
) -> list[PlannedEvent]:
    """Every event netweave wrote that has begun by ``now``: what was already done.

    From the state (what was written, not the last plan, which drops the past): rows with the
    planned event, user-moved ones at the user's times, not tombstoned, not being deleted.
    """
    if state is None:
        return []
    out: dict[str, PlannedEvent] = {}
    for row in state.all_owned():
        if not row.planned or row.nid in out or row.nid in tombstones:
            continue
        if row.status == "pending-delete":
            continue
        try:
            ev = planned_from_record(json.loads(row.planned))
        except (ValueError, KeyError, TypeError):
            continue
        if ev.uid == row.nid and ev.start < now:
            out[row.nid] = replace(ev, pinned=False)
    return [out[k] for k in sorted(out)]


def meetings_of(
    history: Sequence[PlannedEvent], now: datetime, tz: Any
) -> list[tuple[date, tuple[str, ...]]]:
    """(day, contact ids) of the one-on-ones and group events in ``history`` that have ended:
    the meetings credited to the contacts (:func:`credit_meetings`). A meeting the user
    deleted (tombstone) did not take place and is not credited."""
    return [
        (e.start.astimezone(tz).date(), tuple(e.contacts))
        for e in sorted(history, key=lambda e: e.uid)
        if e.kind in ("one-on-one", "group") and e.contacts and e.end <= now
    ]


#: State meta key: uids of owned events the other person accepted (time defence: always busy).
ACCEPTED_META = "accepted"


def _accepted_before(state: State | None) -> frozenset[str]:
    """The uids recorded as accepted by earlier runs."""
    raw = state.get_meta(ACCEPTED_META) if state is not None else None
    try:
        return frozenset(str(x) for x in json.loads(raw or "[]"))
    except (ValueError, TypeError):
        return frozenset()


def _accepted(
    config: Config,
    state: State,
    targets: Sequence[tuple[str, bool, WritableCalendar]],
    observations: Mapping[str, Observation],
) -> tuple[frozenset[str], dict[tuple[str, str], OwnedRow]]:
    """Owned events the other person accepted, and the state rows that now record it.

    netweave writes no attendees (discretion), so acceptance is what the user shows: an event
    netweave wrote free (transparent, time defence) that the calendar now holds busy was made
    busy by the user once the meeting was agreed. It stays accepted (kept in the state): the
    planner keeps it busy and netweave never turns it back to free. The rows are rewritten to
    what the calendar holds (busy), so the user's change is adopted, not written over.
    (A guest who accepted would need netweave to write guests; it does not.)
    """
    known = set(_accepted_before(state))
    rows_out: dict[tuple[str, str], OwnedRow] = {}
    for name, shared, _cal in targets:
        obs = observations[name]
        rows = state.owned(name)
        for nid, o in sorted(obs.owned.items()):
            row = rows.get(nid)
            if o.transparent or row is None or row.status != "done" or not row.planned:
                continue
            try:
                rec = json.loads(row.planned)
            except ValueError:
                continue
            if not rec.get("transparent"):
                continue
            known.add(nid)
            rec["transparent"] = False
            busy = view_for(config, shared, planned_from_record(rec))
            rows_out[name, nid] = replace(
                row, planned=json.dumps(rec), content_hash=content_hash(busy)
            )
    return frozenset(known), rows_out


def make_plan(
    config: Config,
    inputs: Inputs,
    start: date,
    weeks: int,
    now: datetime,
    *,
    fixed: Sequence[PlannedEvent] = (),
    previous: Sequence[PlannedEvent] = (),
    tombstones: frozenset[str] = frozenset(),
    history: Sequence[PlannedEvent] = (),
    accepted: frozenset[str] = frozenset(),
) -> Any:
    from sync.planner import PlanInput, plan

    return plan(
        PlanInput(
            config=config,
            contacts=inputs.contacts,
            busy=inputs.busy,
            start=start,
            weeks=weeks,
            now=now,
            fixed=tuple(fixed),
            previous=tuple(previous),
            tombstones=tombstones,
            group_events=tuple(inputs.group_events),
            history=tuple(e for e in history if e.uid not in tombstones),
            accepted=accepted,
        )
    )


def view_for(config: Config, target_shared: bool, event: PlannedEvent) -> PlannedEvent:
    """What is written to a calendar: the neutral view on a shared one (confidential mode)."""
    if target_shared and config.confidential.enabled:
        from sync.agenda import public_view

        return public_view(event, config.confidential)
    return event


# ====================================================================== the run


@dataclass
class SyncReport:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    plan: list[PlannedEvent] = field(default_factory=list)
    explain: str = ""
    exported: Path | None = None
    dry_run: bool = False
    contacts: list[Contact] = field(default_factory=list)
    http_requests: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if (self.errors or self.skipped) else 0

    def to_json(self) -> dict[str, object]:
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": [{"source": p.source, "message": _msg(p)} for p in self.errors],
            "dry_run": self.dry_run,
            "http_requests": self.http_requests,
            "exported": str(self.exported) if self.exported else None,
        }


def _msg(p: Problem) -> str:
    return f"{p.place}: {p.message}" if p.place else p.message


class Lock:
    """An exclusive lock next to the state file: two syncs never write at once."""

    def __init__(self, path: Path, wait: float) -> None:
        self.path = path
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> Lock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        except OSError as e:
            raise SourceError(
                "state", f"cannot create {self.path}: {e.strerror or e}; check [state].path"
            ) from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                    os.close(fd)
                    raise LockBusy(
                        f"another netweave sync is running (pid {holder or '?'}, lock {self.path});"
                        " it will finish on its own: run again later"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def plan_only(config: Config, opts: RunOptions) -> tuple[Inputs, Any]:
    """Read and plan; write nothing (``netweave plan``, ``contacts``, ``export``)."""
    start, weeks = _start_weeks(config, opts)
    state_path = config.state.resolved()
    state = State(state_path) if state_path.exists() else None
    try:
        cache = ReadCache.beside(state_path) if state is not None else None
        tombs: frozenset[str] = state.tombstones() if state is not None else frozenset()
        history = history_from_state(state, opts.now, tombs)
        inputs = read_inputs(
            config,
            start,
            weeks,
            opts.now,
            None,
            progress=opts.progress,
            cache=cache,
            past_meetings=meetings_of(history, opts.now, config.tz),
        )
        fixed: list[PlannedEvent] = []
        previous = last_plan(state)
        accepted = _accepted_before(state)
        if state is not None:
            fixed = _fixed_from_state(state, inputs, config)
        result = make_plan(
            config,
            inputs,
            start,
            weeks,
            opts.now,
            fixed=fixed,
            previous=previous,
            tombstones=tombs,
            history=history,
            accepted=accepted,
        )
    finally:
        if state is not None:
            state.close()
    return inputs, result


def _fixed_from_state(state: State, inputs: Inputs, config: Config) -> list[PlannedEvent]:
    """User-modified owned events known to the state, at the time the user put them."""
    out: dict[str, PlannedEvent] = {}
    for row in state.all_owned():
        if not row.user_modified or not row.planned:
            continue
        ev = planned_from_record(json.loads(row.planned))
        out.setdefault(row.nid, replace(ev, pinned=True))
    return [out[k] for k in sorted(out)]


def export_plan(
    config: Config, events: Sequence[PlannedEvent], path: Path, state: State | None
) -> Path:
    from sync.export import calendar_to_ical, write_atomic

    seqs: dict[str, int] = {}
    if state is not None:
        for row in state.all_owned():
            seqs[row.nid] = max(seqs.get(row.nid, 0), row.sequence)
    shown = [view_for(config, not config.export.private, e) for e in events]
    # The same plan renders byte-identical output: when the file still holds what the last run
    # wrote for the same inputs, neither rendering nor writing is needed.
    memo_key = f"export:{path.resolve()}"
    inputs_key = hashlib.sha256(
        json.dumps(
            [
                _version(),
                config.owner.timezone,
                config.export.calendar_name,
                sorted((e.uid, content_hash(e), seqs.get(e.uid, 0)) for e in shown),
            ]
        ).encode()
    ).hexdigest()
    if state is not None:
        memo = json.loads(state.get_meta(memo_key) or "{}")
        if memo.get("inputs") == inputs_key and memo.get("file") == _file_digest(path):
            return path
    data = calendar_to_ical(shown, config.tz, config.export.calendar_name, seqs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SourceError(
            "export",
            f"cannot create the folder for {path}: {e.strerror or e}; check [export].path or --out",
        ) from None
    write_atomic(path, data)
    if state is not None:
        digest = hashlib.sha256(data).hexdigest()
        state.set_meta(memo_key, json.dumps({"inputs": inputs_key, "file": digest}))
    return path


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _version() -> str:
    """What the rendering depends on besides its inputs: the export code and library versions
    (read without importing icalendar, which a no-change run need not load at all)."""
    from sync.cache import _lib_versions

    folder = Path(__file__).resolve().parent / "export"
    code = b"".join(p.read_bytes() for p in sorted(folder.glob("*.py")))
    return hashlib.sha256(code + "\x00".join(_lib_versions()).encode()).hexdigest()


def run_sync(config: Config, opts: RunOptions) -> SyncReport:
    """The full run. Raises :class:`LockBusy` if another run holds the lock."""
    state_path = config.state.resolved()
    with Lock(state_path.with_suffix(".lock"), opts.lock_wait), State(state_path) as state:
        return _run_locked(config, opts, state)


def _run_locked(config: Config, opts: RunOptions, state: State) -> SyncReport:
    now = opts.now
    start, weeks = _start_weeks(config, opts)
    report = SyncReport(dry_run=opts.dry_run)
    run_id = 0 if opts.dry_run else state.start_run(now)

    # What netweave already did (begun before now): credited to the contacts as meetings
    # and given to the planner as history, so time passing does not undo it.
    known_history = history_from_state(state, now, state.tombstones())
    with state.batch():  # sync tokens and caches: one commit, not one per key
        inputs = read_inputs(
            config,
            start,
            weeks,
            now,
            state,
            progress=opts.progress,
            cache=ReadCache.beside(state.path),
            past_meetings=meetings_of(known_history, now, config.tz),
        )
    report.errors.extend(inputs.failures)
    report.contacts = inputs.contacts
    report.warnings.extend(inputs.problems)
    report.skipped = inputs.skipped

    # 1. What each writable calendar holds now, by the ownership marker.
    targets: list[tuple[str, bool, WritableCalendar]] = []
    observations: dict[str, Observation] = {}
    for cal_cfg in config.calendars:
        if not cal_cfg.write:
            continue
        cal = inputs.calendars.get(cal_cfg.name)
        if cal is None or not hasattr(cal, "list_owned"):
            continue
        try:
            owned = cal.list_owned()
        except SourceError as e:
            report.errors.append(Problem(cal_cfg.name, e.message, cal_cfg.key))
            continue
        rows = state.owned(cal_cfg.name)
        obs = observe(cal_cfg.name, owned, rows)
        observations[cal_cfg.name] = obs
        targets.append((cal_cfg.name, cal_cfg.shared, cal))
        if not opts.dry_run:
            _record_observation(state, obs, rows, now)

    # 2. Plan around the user's decisions.
    tombstones = state.tombstones() | frozenset().union(
        *(o.user_deleted for o in observations.values())
    )
    fixed_by_uid = {f.uid: f for f in _fixed_from_state(state, inputs, config)}
    for obs in observations.values():
        rows_now = state.owned(obs.target)
        for nid, o in sorted(obs.user_modified.items()):
            base = fixed_by_uid.get(nid)
            row = rows_now.get(nid)
            if base is None and row is not None and row.planned:
                base = planned_from_record(json.loads(row.planned))
            if base is not None:
                fixed_by_uid[nid] = replace(base, start=o.start, end=o.end, pinned=True)
    fixed = [fixed_by_uid[k] for k in sorted(fixed_by_uid)]
    previous = last_plan(state)
    history = [e for e in history_from_state(state, now, tombstones) if e.uid not in fixed_by_uid]
    accepted, accepted_rows = _accepted(config, state, targets, observations)
    if not opts.dry_run:
        for row in accepted_rows.values():
            state.put_owned(row, now)
        if accepted_rows:
            state.set_meta(ACCEPTED_META, json.dumps(sorted(accepted)))
    result = make_plan(
        config,
        inputs,
        start,
        weeks,
        now,
        fixed=fixed,
        previous=previous,
        tombstones=tombstones,
        history=history,
        accepted=accepted,
    )
    report.plan = list(result.events)
    try:
        from sync.planner import explain

        report.explain = explain(result)
    except ImportError:  # pragma: no cover
        report.explain = ""

    # 3. Reconcile and write. Unreadable busy time means no writes at all (no double-booking);
    #    an unreadable address book means no deletes (its people are not gone).
    window_start, _window_end = plan_window(config, start, weeks)
    allow_write = not inputs.calendars_failed
    allow_delete = allow_write and not inputs.addressbooks_failed
    if not allow_write and targets:
        report.warnings.append(
            Problem(
                "sync", "a calendar could not be read: nothing written this run (no double-booking)"
            )
        )
    for name, shared, cal in targets:
        obs = observations[name]
        rows = {**state.owned(name), **{n: r for (t, n), r in accepted_rows.items() if t == name}}
        desired = {e.uid: view_for(config, shared, e) for e in report.plan}
        actions, unchanged = reconcile(
            obs, desired, rows, tombstones, allow_delete=allow_delete, keep_before=window_start
        )
        report.unchanged += unchanged
        if not allow_write:
            actions = [a for a in actions if a.op == "adopt"]
        report.actions.extend(a for a in actions if a.op != "adopt")
        if opts.dry_run:
            continue
        plan_by_uid = {e.uid: e for e in report.plan}
        if hasattr(cal, "write_batch") and len(actions) > 1:
            _apply_batch(state, cal, actions, plan_by_uid, now, report)
        else:
            for action in actions:
                _apply(state, cal, action, plan_by_uid.get(action.nid), now, report)

    # 4. Tags back into the address books that asked for it (never in a dry run).
    if not opts.dry_run:
        _write_tags(config, inputs, report)

    # 5. Export and remember.
    export_path = opts.export_path or config.export.path
    if export_path is not None and not opts.dry_run:
        try:
            report.exported = export_plan(config, report.plan, export_path, state)
        except SourceError as e:
            report.errors.append(Problem("export", e.message, str(export_path)))
    report.http_requests = inputs.http_requests()
    if not opts.dry_run:
        state.set_meta("last_plan", json.dumps([planned_to_record(e) for e in report.plan]))
        state.finish_run(run_id, datetime.now(now.tzinfo), report.exit_code, report.to_json())
    return report


def _write_tags(config: Config, inputs: Inputs, report: SyncReport) -> None:
    """netweave's categories onto each address book with ``write_tags`` (its own prefix only)."""
    from sync.merge import tags_for_source

    tags = {c.id: tuple(c.categories) for c in inputs.contacts}
    for ab_cfg in config.addressbooks:
        book = inputs.addressbooks.get(ab_cfg.name)
        if not ab_cfg.write_tags or book is None or not getattr(book, "can_write_tags", False):
            continue
        try:
            problems = book.write_tags(tags_for_source(tags, inputs.contacts, ab_cfg.name))
        except SourceError as e:
            report.errors.append(Problem(ab_cfg.name, e.message, ab_cfg.key))
            continue
        report.errors.extend(problems)  # a tag that could not be written: exit 1


def _record_observation(
    state: State, obs: Observation, rows: Mapping[str, OwnedRow], now: datetime
) -> None:
    for nid, o in obs.user_modified.items():
        row = rows[nid]
        if not row.user_modified:
            planned = row.planned
            if planned:
                rec = json.loads(planned)
                rec["start"], rec["end"] = o.start.isoformat(), o.end.isoformat()
                planned = json.dumps(rec)
            state.put_owned(
                replace(
                    row,
                    user_modified=True,
                    href=o.href,
                    etag=o.etag,
                    status="done",
                    planned=planned,
                ),
                now,
            )
    for nid in obs.user_deleted:
        state.add_tombstone(obs.target, nid, now)
    for nid in obs.completed_deletes:
        state.drop_owned(obs.target, nid)


def _row(a: Action, status: str, record: str | None, **kw: Any) -> OwnedRow:
    assert a.event is not None
    e = a.event
    return OwnedRow(
        a.target,
        a.nid,
        kw.pop("href", a.href),
        kw.pop("etag", a.etag),
        fingerprint(e.start, e.end, e.title, e.location),
        content_hash(e),
        status,
        kw.pop("sequence", a.sequence),
        planned=record,
        **kw,
    )


def _intent(state: State, a: Action, record: str | None, now: datetime) -> None:
    """Record what is about to be written, before writing it (crash safety)."""
    if a.op == "insert":
        state.put_owned(_row(a, "pending-insert", record, href=None, etag=None, sequence=0), now)
    elif a.op == "update":
        state.put_owned(_row(a, "pending-update", record, prev_fingerprint=a.prev_fingerprint), now)
    elif a.op == "delete" and a.reason != "duplicate":
        row = state.owned(a.target).get(a.nid)
        if row is not None:
            state.put_owned(replace(row, status="pending-delete", href=a.href, etag=a.etag), now)


def _outcome(
    state: State,
    a: Action,
    result: OwnedEvent | BaseException | None,
    record: str | None,
    now: datetime,
    report: SyncReport,
) -> None:
    """Record what a write did (or why it did not)."""
    if isinstance(result, PreconditionFailed):
        # The user changed it between our read and our write: their version wins.
        report.warnings.append(
            Problem(a.target, f"{a.nid} changed while syncing; kept the calendar's version", a.href)
        )
    elif isinstance(result, NotFound):
        if a.op == "delete":
            state.drop_owned(a.target, a.nid)
        report.warnings.append(Problem(a.target, f"{a.nid} disappeared while syncing", a.href))
    elif isinstance(result, SourceError):
        report.errors.append(Problem(a.target, result.message, a.href))
    elif isinstance(result, BaseException):
        raise result
    elif a.op == "delete":
        if a.reason != "duplicate":
            state.drop_owned(a.target, a.nid)
        report.deleted += 1
    else:
        assert result is not None
        seq = result.sequence if a.op == "insert" else a.sequence
        state.put_owned(
            _row(a, "done", record, href=result.href, etag=result.etag, sequence=seq), now
        )
        if a.op == "insert":
            report.inserted += 1
        else:
            report.updated += 1


def _record(planned: PlannedEvent | None) -> str | None:
    return json.dumps(planned_to_record(planned)) if planned else None


def _apply(
    state: State,
    cal: WritableCalendar,
    a: Action,
    planned: PlannedEvent | None,
    now: datetime,
    report: SyncReport,
) -> None:
    """One action: intent, write, outcome."""
    record = _record(planned)
    if a.op == "adopt":
        state.put_owned(_row(a, "done", record, user_modified=a.reason == "user"), now)
        return
    _intent(state, a, record, now)
    result: OwnedEvent | BaseException | None
    try:
        if a.op == "insert":
            assert a.event is not None
            result = cal.insert(a.event)
        elif a.op == "update":
            assert a.event is not None and a.href is not None and a.etag is not None
            result = cal.update(a.href, a.etag, a.event, a.sequence)
        else:
            assert a.href is not None and a.etag is not None
            cal.delete(a.href, a.etag)
            result = None
    except SourceError as e:
        result = e
    _outcome(state, a, result, record, now, report)


def _apply_batch(
    state: State,
    cal: Any,
    actions: Sequence[Action],
    plan_by_uid: Mapping[str, PlannedEvent],
    now: datetime,
    report: SyncReport,
) -> None:
    """Many actions in few requests (Google batch): all intents, one batch, all outcomes."""
    remote = [a for a in actions if a.op != "adopt"]
    for a in actions:
        if a.op == "adopt":
            _apply(state, cal, a, plan_by_uid.get(a.nid), now, report)
    if not remote:
        return
    records = {id(a): _record(plan_by_uid.get(a.nid)) for a in remote}
    for a in remote:
        _intent(state, a, records[id(a)], now)
    inserts = [a for a in remote if a.op == "insert"]
    updates = [a for a in remote if a.op == "update"]
    deletes = [a for a in remote if a.op == "delete"]
    try:
        results = cal.write_batch(
            [a.event for a in inserts],
            [(a.href, a.etag, a.event, a.sequence) for a in updates],
            [(a.href, a.etag) for a in deletes],
        )
    except SourceError as e:
        results = [e] * len(remote)
    for a, result in zip([*inserts, *updates, *deletes], results, strict=True):
        _outcome(state, a, result, records[id(a)], now, report)
