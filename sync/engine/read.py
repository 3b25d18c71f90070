"""Reading every address book, calendar and group feed of one run, through the read cache.

A source that cannot be read is recorded as a failure and the rest is read. What each source
held (or that it could not be read) is recorded as a :class:`~sync.engine.health.Seen`; whether
that can be trusted is decided by :mod:`sync.engine.health`, and what the run then does by the
run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sync.cache import ReadCache, contact_count
from sync.config import Config
from sync.daysoff import HolidayQuery, holiday_query
from sync.engine.contacts import derive_contacts
from sync.engine.health import Seen
from sync.engine.plan import plan_window
from sync.errors import SourceError
from sync.model import Busy, Contact, Event, Problem
from sync.sources import open_addressbook, open_calendar
from sync.sources.base import ContactsResult
from sync.state import State


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
    seen: list[Seen] = field(default_factory=list)  # what each source held (health's input)
    # The public holidays the plan window needs, looked up through the read cache.
    holidays: tuple[HolidayQuery, dict[date, str]] | None = None

    def http_requests(self) -> int:
        """HTTP requests the network backends made (Google, DAV) so far this run."""
        backends = [*self.calendars.values(), *self.addressbooks.values()]
        return sum(int(getattr(b, "requests_made", 0) or 0) for b in backends)

    @property
    def skipped(self) -> int:
        return len(self.problems)


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
    reading = _Reading(config, state, cache, progress)
    books = _read_addressbooks(reading)
    history_start = datetime.combine(
        start - timedelta(days=config.planner.history_days), datetime.min.time(), config.tz
    )
    _begin, end = plan_window(config, start, weeks)
    busy_events = _read_calendars(reading, history_start, end)
    _read_group_feeds(reading, now, end)
    inp = reading.inputs
    inp.busy = _busy_time(config, busy_events)
    inp.contacts, merge_problems = derive_contacts(
        config, books, inp.events, now, start, weeks, past_meetings, cache
    )
    inp.problems.extend(merge_problems)
    query = holiday_query(config, start, start + timedelta(days=7 * weeks))
    if query is not None and cache is not None:
        inp.holidays = (query, cache.holidays(*query))
    return inp


def read_contacts(
    config: Config,
    now: datetime,
    *,
    progress: Callable[[str], None] | None = None,
    cache: ReadCache | None = None,
) -> tuple[list[Contact], list[Problem]]:
    """Every contact of the address books, merged and tagged as a run sees them (the same
    ids), without reading a calendar; and the address books that could not be read."""
    reading = _Reading(config, None, cache, progress)
    books = _read_addressbooks(reading)
    today = now.astimezone(config.tz).date()
    contacts, _problems = derive_contacts(
        config, books, [], now, today, config.planner.weeks, (), None
    )
    return contacts, reading.inputs.failures


@dataclass
class _Reading:
    """One run's reading in progress: what was read so far and where sync tokens are kept."""

    config: Config
    state: State | None
    cache: ReadCache | None
    progress: Callable[[str], None] | None
    inputs: Inputs = field(default_factory=Inputs)
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def sync_state(self, source: str) -> Any:
        """The mapping a backend keeps its sync tokens in: the state's, or this run's alone."""
        if self.state is not None:
            return self.state.tokens(source)
        return self.tokens.setdefault(source, {})

    def starting(self, name: str) -> None:
        if self.progress is not None:
            self.progress(name)

    def failed(self, problem: Problem, *, uncache: bool = True) -> None:
        """A whole source could not be read (or is not trusted)."""
        self.inputs.failures.append(problem)
        if uncache and self.cache is not None:
            self.cache.not_cached()


def _read_addressbooks(reading: _Reading) -> list[ContactsResult]:
    """Each address book's cards (cached ones are decoded only if merged again)."""
    inp, cache = reading.inputs, reading.cache
    books: list[ContactsResult] = []
    for ab_cfg in reading.config.addressbooks:
        reading.starting(ab_cfg.name)
        try:
            book = open_addressbook(ab_cfg, reading.config, reading.sync_state(ab_cfg.name))
            inp.addressbooks[ab_cfg.name] = book
            result = book.read() if cache is None else cache.addressbook(book)
        except SourceError as e:
            reading.failed(Problem(ab_cfg.name, e.message, ab_cfg.key))
            inp.addressbooks_failed = True
            inp.seen.append(Seen("addressbook", ab_cfg.name, None, e.message))
            continue
        count = contact_count(result)
        inp.seen.append(Seen("addressbook", ab_cfg.name, count, expect_empty=ab_cfg.expect_empty))
        books.append(result)
        inp.problems.extend(result.problems)
    return books


def _read_calendars(reading: _Reading, since: datetime, end: datetime) -> list[Event]:
    """Every calendar's events in [since, end) into the inputs; returns those that block time."""
    inp, cache, config = reading.inputs, reading.cache, reading.config
    busy_events: list[Event] = []
    for cal_cfg in config.calendars:
        reading.starting(cal_cfg.name)
        try:
            cal = open_calendar(cal_cfg, config, reading.sync_state(cal_cfg.name))
            inp.calendars[cal_cfg.name] = cal
            result = cal.read(since, end) if cache is None else cache.calendar(cal, since, end)
        except SourceError as e:
            reading.failed(Problem(cal_cfg.name, e.message, cal_cfg.key))
            inp.calendars_failed = True
            inp.seen.append(Seen("calendar", cal_cfg.name, None, e.message))
            continue
        users = sum(1 for ev in result.events if ev.netweave_id is None)
        inp.seen.append(Seen("calendar", cal_cfg.name, users, expect_empty=cal_cfg.expect_empty))
        inp.problems.extend(result.problems)
        inp.events.extend(result.events)
        if cal_cfg.busy:
            busy_events.extend(result.events)
    return busy_events


def _read_group_feeds(reading: _Reading, now: datetime, end: datetime) -> None:
    """The events of each active group that has a feed, from a day ago to ``end``: those that
    name the group (its ``match``, else its name); all of them when none does and no other
    group reads the same feed (whatever the window holds, another group's event is never
    taken for this one's)."""
    inp, cache = reading.inputs, reading.cache
    feeds = Counter(g.feed for g in reading.config.groups if g.feed is not None)
    for i, group in enumerate(reading.config.groups):
        if group.feed is None or group.status == "retired":
            continue
        from sync.sources.ics import IcsFileCalendar
        from sync.sources.ics.details import descriptions

        reading.starting(f"group:{group.name}")
        try:
            feed = IcsFileCalendar(f"group:{group.name}", group.feed, reading.config.tz)
            since = now - timedelta(days=1)
            res = feed.read(since, end) if cache is None else cache.calendar(feed, since, end)
        except SourceError as e:
            problem = Problem(f"group:{group.name}", e.message, f"groups[{i}].feed")
            reading.failed(problem, uncache=False)
            continue
        inp.problems.extend(res.problems)
        needle = (group.match or group.name).casefold()
        mine = [ev for ev in res.events if needle in ev.summary.casefold()]
        if not mine and not group.match and feeds[group.feed] == 1:
            mine = list(res.events)  # a feed of this group alone
        about = descriptions(group.feed) if mine else {}
        inp.group_events.extend(
            replace(ev, source=group.name, description=about.get(ev.uid, ""))
            for ev in mine
            if not ev.cancelled
        )


def _busy_time(config: Config, busy_events: Sequence[Event]) -> list[Busy]:
    """The time the busy calendars block, merged (netweave's own events excluded)."""
    from sync.busy import busy_from_events, merge_busy

    return merge_busy(
        busy_from_events(
            busy_events,
            ignore_all_day=config.planner.ignore_all_day,
            exclude_owned=True,
            owner_emails=config.owner.emails,
        )
    )
