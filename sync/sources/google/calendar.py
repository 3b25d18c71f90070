"""Google Calendar (v3) as a :class:`~sync.sources.base.WritableCalendar`.

Reads event instances (``singleEvents``) in a window, incrementally with a sync token when
``sync_state`` is given (410 GONE: full resync). A calendar whose events this account cannot see
(shared with free/busy access only: events.list answers 404), or an authorization without the
events scope, is read with ``freebusy.query`` instead, and says so: it is never written then.
Free/busy is asked for in pieces Google accepts (:data:`FREEBUSY_PIECE_DAYS`), only from the
start of the planning window (busy intervals name nobody, so history is of no use), and merged.
Lists and writes the events netweave owns (found by their private extended property);
:meth:`GoogleCalendar.write_batch` sends many writes as batch requests.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, MutableMapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from google.auth.credentials import Credentials as BaseCredentials
from googleapiclient.errors import HttpError

from sync.config import CalendarConfig, Google
from sync.model import PlannedEvent, Problem
from sync.sources.base import EventsResult, OwnedEvent, SourceError
from sync.sources.google.credentials import (
    SCOPE_CALENDAR_EVENTS,
    SCOPE_CALENDAR_FREEBUSY,
    how_to_grant,
    missing_scopes,
)
from sync.sources.google.events import (
    MARKER_KEY,
    MARKER_VALUE,
    busy_events,
    rfc3339,
    to_event,
    to_owned,
)
from sync.sources.google.http import (
    BATCH_MAX,
    Answer,
    Connection,
    GoogleApi,
    Json,
    api_error,
    batch_uri,
    status_of,
)
from sync.sources.google.incremental import EventCache, Gone, NoEventAccess
from sync.sources.google.writes import EventWriter, WriteOp, batch_ops

EVENTS_PAGE = 2500  # Calendar API maximum
DEFAULT_BATCH_SIZE = 100  # calls per batch netweave sends (kinder to the per-user rate limit)
#: Days per freebusy.query. Google refuses long ranges ("The requested time range is too long")
#: without documenting the limit; others query about 90 days at a time, netweave stays below.
FREEBUSY_PIECE_DAYS = 60
log = logging.getLogger(__name__)


class GoogleCalendar:
    """One Google calendar as a :class:`~sync.sources.base.WritableCalendar`.

    ``tz`` is the owner's zone (all-day events span its days). ``sync_state``, when given, is a
    mapping private to this calendar that the engine persists: reads become incremental.
    ``free_busy_only`` reads busy time with freebusy.query (no titles); without it, a calendar
    whose events cannot be listed (shared free/busy only) falls back to it. ``history_days``:
    how much of the start of each window read is history (the planner's ``history_days``),
    which free/busy skips.
    """

    def __init__(
        self,
        config: CalendarConfig,
        google: Google,
        tz: tzinfo,
        sync_state: MutableMapping[str, str] | None = None,
        *,
        credentials: BaseCredentials | None = None,
        free_busy_only: bool = False,
        history_days: int = 0,
        batch_size: int = DEFAULT_BATCH_SIZE,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.name = config.name
        self.config = config
        self.calendar_id = config.calendar_id
        self.tz = tz
        self.state = sync_state
        self.free_busy_only = free_busy_only
        self.history_days = history_days
        #: Why this calendar cannot be written this run (None: it can); the engine says so.
        self.read_only_reason: str | None = None
        self._listed: dict[str, Json] = {}  # event id -> owned event as last listed
        self.batch_size = max(1, min(BATCH_MAX, batch_size))
        self._conn = Connection(
            self.name, google, credentials, config.timeout, sleep, rng,
            [SCOPE_CALENDAR_EVENTS, SCOPE_CALENDAR_FREEBUSY],
        )  # fmt: skip
        self._writer = EventWriter(
            self.name,
            self.calendar_id,
            tz,
            self._conn,
            batch_uri(google.api_endpoint, "batch/calendar/v3"),
            self._listed,
        )
        self.problems: list[Problem] = []  # what list_owned could not read

    @property
    def api(self) -> GoogleApi:
        return self._conn.api

    @property
    def service(self) -> Any:
        return self._conn.service("calendar", "v3")

    @property
    def requests_made(self) -> int:
        return self._conn.requests_made

    # -- reading busy time

    def read(self, start: datetime, end: datetime) -> EventsResult:
        if self.free_busy_only:
            return self._freebusy(start, end)
        missing = missing_scopes(self.api.credentials, [SCOPE_CALENDAR_EVENTS])
        if missing:
            return self._reduced(
                start, end, f"the Google authorization lacks {missing[0]}: "
                f"{how_to_grant(missing)}",
            )  # fmt: skip
        try:
            if self.state is None:
                items = self._list_window(start, end)
            else:
                cache = EventCache(self.state, self.calendar_id, self._events_list, self._instances)
                items = cache.read(start, end)
        except NoEventAccess:
            return self._reduced(
                start, end, f"this Google account sees only the free/busy time of calendar "
                f"{self.calendar_id!r} (events.list: 404): ask its owner to share it with "
                "'See all event details' or 'Make changes to events', or check calendar_id",
            )  # fmt: skip
        result = EventsResult()
        for item in items:
            if item.get("status") == "cancelled":
                continue
            try:
                ev = to_event(item, self.tz, self.name)
            except (KeyError, TypeError, ValueError) as e:
                result.problems.append(
                    Problem(self.name, f"unreadable event: {e}", f"event {item.get('id', '?')}")
                )
                continue
            if (
                ev.end > start
                and ev.start < end
                or (ev.start == ev.end and start <= ev.start < end)
            ):
                result.events.append(ev)
        result.events.sort(key=lambda e: (e.start, e.end, e.uid))
        return result

    def _events_list(
        self, what: str = "events.list", **params: Any
    ) -> tuple[list[Json], str | None]:
        """All items of ``events.list`` and the next sync token; :class:`Gone` on 410,
        :class:`NoEventAccess` when the events cannot be listed."""
        items: list[Json] = []
        sync_token = None
        pages = self.api.pages(
            lambda more: self.service.events().list(
                calendarId=self.calendar_id, maxResults=EVENTS_PAGE, **params, **more
            ),
            what,
        )
        try:
            for page in pages:
                items.extend(i for i in page.get("items", []) if isinstance(i, dict))
                sync_token = page.get("nextSyncToken", sync_token)
        except HttpError as e:
            status = status_of(e)
            if status == 410:
                raise Gone() from None
            if status == 404:  # Google's answer for a calendar shared as free/busy only
                raise NoEventAccess() from None
            raise api_error(self.name, e, what) from None
        return items, sync_token

    def _list_window(self, start: datetime, end: datetime) -> list[Json]:
        items, _ = self._events_list(
            timeMin=rfc3339(start), timeMax=rfc3339(end), singleEvents=True, showDeleted=False
        )
        return items

    def _instances(self, event_id: str, ws: datetime, we: datetime) -> list[Json]:
        items: list[Json] = []
        pages = self.api.pages(
            lambda more: self.service.events().instances(
                calendarId=self.calendar_id,
                eventId=event_id,
                timeMin=rfc3339(ws),
                timeMax=rfc3339(we),
                maxResults=EVENTS_PAGE,
                **more,
            ),
            "events.instances",
        )
        try:
            for page in pages:
                items.extend(i for i in page.get("items", []) if isinstance(i, dict))
        except HttpError as e:
            if status_of(e) in (404, 410):
                raise Gone() from None
            raise api_error(self.name, e, "events.instances") from None
        return items

    def _reduced(self, start: datetime, end: datetime, why: str) -> EventsResult:
        """Busy time from freebusy.query, saying why (never silently): nothing is written."""
        result = self._freebusy(start, end)
        self.read_only_reason = f"read as free/busy only and not written this run: {why}"
        log.warning("%s: %s", self.name, self.read_only_reason)
        return result

    def _freebusy(self, start: datetime, end: datetime) -> EventsResult:
        """Busy intervals in ``start .. end`` (history skipped), asked for in pieces of at most
        :data:`FREEBUSY_PIECE_DAYS` days and merged; a piece that fails fails the read, naming
        its range."""
        since = start + timedelta(days=self.history_days) if self.history_days else start
        since = min(since, end)
        busy: list[tuple[datetime, datetime]] = []
        piece = timedelta(days=FREEBUSY_PIECE_DAYS)
        at = since
        while at < end:
            upto = min(at + piece, end)
            busy += self._freebusy_piece(at, upto)
            at = upto
        merged: list[tuple[datetime, datetime]] = []
        for bs, be in sorted(busy):
            if merged and bs <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], be))
            else:
                merged.append((bs, be))
        events = busy_events(merged, self.calendar_id, self.name)
        return EventsResult(events=events)

    def _freebusy_piece(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        body = {
            "timeMin": rfc3339(start),
            "timeMax": rfc3339(end),
            "items": [{"id": self.calendar_id}],
        }
        what = f"freebusy.query {start:%Y-%m-%d}..{end:%Y-%m-%d}"
        req = self.service.freebusy().query(body=body)
        try:
            resp = self.api.execute(req, what)
        except HttpError as e:
            raise api_error(self.name, e, what) from None
        cal = (resp.get("calendars") or {}).get(self.calendar_id) or {}
        if cal.get("errors"):
            reasons = ", ".join(str(x.get("reason")) for x in cal["errors"])
            raise SourceError(
                self.name,
                f"{what}: calendar {self.calendar_id!r}: {reasons}; check calendar_id and that "
                "it is shared with you (`netweave auth google` lists your calendars)",
            )
        out: list[tuple[datetime, datetime]] = []
        for i, b in enumerate(cal.get("busy") or []):
            try:
                out.append((datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"])))
            except (KeyError, TypeError, ValueError) as ex:
                raise SourceError(
                    self.name, f"{what}: bad busy interval #{i} ({ex}); try again later"
                ) from None
        return out

    def list_calendars(self) -> list[Json]:
        """The user's calendars (id, summary, accessRole), for `netweave auth google`."""
        out: list[Json] = []
        pages = self.api.pages(
            lambda more: self.service.calendarList().list(maxResults=250, **more),
            "calendarList.list",
        )
        try:
            for page in pages:
                out += [
                    {k: c.get(k) for k in ("id", "summary", "accessRole", "primary")}
                    for c in page.get("items", [])
                ]
        except HttpError as e:
            raise api_error(self.name, e, "calendarList.list") from None
        return out

    # -- owned events

    def list_owned(self) -> list[OwnedEvent]:
        items = self._owned_items()
        owned = []
        self.problems = []
        self._listed.clear()
        self._listed.update((str(i["id"]), i) for i in items if i.get("id"))
        for item in items:
            try:
                owned.append(to_owned(item, self.tz))
            except (KeyError, TypeError, ValueError) as e:
                self.problems.append(
                    Problem(self.name, f"unreadable owned event: {e}", item.get("id"))
                )
        return owned

    def _owned_items(self) -> list[Json]:
        try:
            items, _ = self._events_list(
                "events.list(owned)",
                privateExtendedProperty=f"{MARKER_KEY}={MARKER_VALUE}",
                showDeleted=False,
            )
        except (NoEventAccess, Gone):
            raise SourceError(
                self.name, f"calendar {self.calendar_id!r} cannot be listed: is it yours to write?"
            ) from None
        return items

    def insert(self, event: PlannedEvent) -> OwnedEvent:
        return self._writer.single(WriteOp("insert", event=event))  # type: ignore[return-value]

    def update(self, href: str, etag: str, event: PlannedEvent, sequence: int) -> OwnedEvent:
        op = WriteOp("update", event=event, href=href, etag=etag, sequence=sequence)
        return self._writer.single(op)  # type: ignore[return-value]

    def delete(self, href: str, etag: str) -> None:
        self._writer.single(WriteOp("delete", href=href, etag=etag))

    def write_batch(
        self,
        inserts: Sequence[PlannedEvent] = (),
        updates: Sequence[tuple[str, str, PlannedEvent, int]] = (),
        deletes: Sequence[tuple[str, str]] = (),
    ) -> list[OwnedEvent | None | Exception]:
        """Many writes in batch requests. One result per op, in order inserts, updates, deletes:
        the :class:`OwnedEvent` written, ``None`` for a delete, or the exception that op would
        have raised alone (:class:`PreconditionFailed`, :class:`NotFound`, :class:`SourceError`).
        """
        ops = batch_ops(inserts, updates, deletes)
        return self._writer.write_batch(ops, self.batch_size, self._send_batch)

    def _send_batch(self, ops: list[WriteOp], chunk: list[int], answers: dict[int, Answer]) -> None:
        """One batch request (a method of its own so that tests can step in)."""
        self._writer.send_batch(ops, chunk, answers)
