"""Writing netweave's own events to a Google calendar: insert, patch, delete, alone or batched.

Event ids are permanent at Google: an insert whose id exists answers 409. The existing event is
adopted only when it is live and carries netweave's marker for the same meeting (an earlier
attempt whose answer was lost); a deleted or purged one, or anyone else's, means the next
generation of the id. Updates are patches of the fields netweave owns. Updates and deletes
send ``If-Match`` (412 -> :class:`PreconditionFailed`, or :class:`NotFound` when the event was
deleted meanwhile), except that a 412 met by a retry whose first attempt got no answer is
recognised as that attempt having landed. Nobody is ever invited or emailed
(``sendUpdates=none``); events the user invited guests to are never written (the engine's rule).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any
from urllib.parse import urlsplit

from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest, HttpRequest

from sync.model import PlannedEvent
from sync.sources.base import NotFound, OwnedEvent, PreconditionFailed, SourceError
from sync.sources.google.events import (
    event_body,
    event_id_for,
    holds,
    is_ours,
    patch_body,
    to_owned,
)
from sync.sources.google.http import (
    GOOGLE_SERVER,
    Answer,
    Connection,
    GoogleApi,
    Json,
    api_error,
    run_batches,
    send_batch,
    status_of,
)

#: One batch of a calendar: ``send(ops, chunk, answers)`` sends ``ops[i]`` for ``i`` in chunk.
SendBatch = Callable[[list["WriteOp"], list[int], dict[int, Answer]], None]


@dataclass(frozen=True)
class WriteOp:
    kind: str  # insert | update | delete
    event: PlannedEvent | None = None
    href: str = ""
    etag: str = ""
    sequence: int | None = None
    generation: int = 0  # inserts: of the event id


#: How many generations of an event id an insert tries before giving up.
MAX_GENERATIONS = 20


class EventWriter:
    """The writes of one calendar, and what each answer (or error) means for the protocol."""

    def __init__(
        self,
        name: str,
        calendar_id: str,
        tz: tzinfo,
        conn: Connection,
        batch_uri: str | None,
        listed: dict[str, Json] | None = None,
    ) -> None:
        self.name = name
        self.calendar_id = calendar_id
        self.tz = tz
        self.conn = conn
        self.batch_uri = batch_uri
        self.listed = listed if listed is not None else {}  # event id -> as last listed
        self._unanswered = 0  # the API's count of unanswered attempts when the write began
        self._events: tuple[Any, Any] | None = None  # (service, its events resource)

    @property
    def api(self) -> GoogleApi:
        return self.conn.api

    @property
    def service(self) -> Any:
        return self.conn.service("calendar", "v3")

    @property
    def events(self) -> Any:
        """The service's events resource, made once per service: each ``events()`` builds a
        new one with every method and its documentation (0.4 MB), and a batch keeps each of
        its requests' alive (500 inserts: 200 MB)."""
        service = self.service
        if self._events is None or self._events[0] is not service:
            self._events = (service, service.events())
        return self._events[1]

    def single(self, op: WriteOp) -> OwnedEvent | None:
        self._unanswered = self.api.unanswered
        req = self.request(op)
        try:
            resp = self.api.execute(req, f"events.{op.kind}")
        except HttpError as e:
            return self._settle(op, e)
        return self._outcome(op, resp)

    def write_batch(
        self, ops: list[WriteOp], size: int, send: SendBatch
    ) -> list[OwnedEvent | None | Exception]:
        """One result per op, in order: the :class:`OwnedEvent` written, ``None`` for a delete,
        or the exception that op would have raised alone."""

        self._unanswered = self.api.unanswered

        def settle(i: int, answer: Answer) -> OwnedEvent | None:
            resp, err = answer
            return self._settle(ops[i], err) if err is not None else self._outcome(ops[i], resp)

        server = urlsplit(self.batch_uri or GOOGLE_SERVER).netloc
        return run_batches(
            self.conn,
            [f"events.{op.kind}" for op in ops],
            size,
            lambda chunk, answers: send(ops, chunk, answers),
            settle,
            server,
        )

    def send_batch(self, ops: list[WriteOp], chunk: list[int], answers: dict[int, Answer]) -> None:
        def new_batch() -> BatchHttpRequest:
            if self.batch_uri:
                return BatchHttpRequest(batch_uri=self.batch_uri)
            return self.service.new_batch_http_request()

        server = urlsplit(self.batch_uri or GOOGLE_SERVER).netloc
        try:
            send_batch(self.api, new_batch, chunk, lambda i: self.request(ops[i]), answers, server)
        except HttpError as e:
            raise api_error(self.name, e, "batch") from None

    def request(self, op: WriteOp) -> HttpRequest:
        events = self.events
        if op.kind == "insert":
            assert op.event is not None
            body = event_body(op.event, op.generation)
            return events.insert(calendarId=self.calendar_id, body=body, sendUpdates="none")
        if op.kind == "update":
            assert op.event is not None
            body = patch_body(op.event, op.sequence or 0, self.listed.get(op.href))
            req = events.patch(
                calendarId=self.calendar_id, eventId=op.href, body=body, sendUpdates="none"
            )
        else:
            req = events.delete(calendarId=self.calendar_id, eventId=op.href, sendUpdates="none")
        if op.etag:
            req.headers["If-Match"] = op.etag
        return req

    def _outcome(self, op: WriteOp, resp: Any) -> OwnedEvent | None:
        if op.kind == "delete":
            return None
        try:
            return to_owned(resp, self.tz)
        except (KeyError, TypeError, ValueError) as e:
            raise SourceError(self.name, f"events.{op.kind}: unexpected answer ({e})") from None

    def _settle(self, op: WriteOp, e: HttpError) -> OwnedEvent | None:
        """Map a final HTTP error of a write to the protocol's exceptions (or recover)."""
        status = status_of(e)
        what = f"events.{op.kind} {op.href or (op.event.uid if op.event else '')}"
        if op.kind == "insert" and status == 409:
            assert op.event is not None
            return self._insert_conflict(op)
        if op.kind == "insert":
            raise api_error(self.name, e, what)
        if status in (412, 403, 404, 410):
            current = self._current(op.href)
            if current is None or current.get("status") == "cancelled":
                if op.kind == "delete" and self._answer_was_lost():
                    return None  # our own earlier attempt deleted it
                if status == 403 and current is not None and current.get("status") != "cancelled":
                    raise api_error(self.name, e, what)
                raise NotFound(self.name, f"{what}: deleted")
            if status == 412 and op.kind == "update" and op.event and holds(current, op.event):
                return to_owned(current, self.tz)  # our own earlier attempt landed
            if status == 412:
                raise PreconditionFailed(self.name, f"{what}: changed since read (etag {op.etag})")
        raise api_error(self.name, e, what)

    def _answer_was_lost(self) -> bool:
        return self.api.unanswered > self._unanswered

    def _current(self, event_id: str) -> Json | None:
        """The event as Google holds it now (None: purged or never there)."""
        req = self.events.get(calendarId=self.calendar_id, eventId=event_id)
        try:
            current = self.api.execute(req, "events.get")
        except HttpError as e:
            if status_of(e) in (404, 410):
                return None
            raise api_error(self.name, e, f"events.get {event_id}") from None
        return current if isinstance(current, dict) else None

    def _insert_conflict(self, op: WriteOp) -> OwnedEvent:
        """The event id is taken. Ours and live: it is adopted when an earlier attempt of this
        write got no answer (it landed), else it exists already (:class:`PreconditionFailed`).
        Deleted, purged or not ours: Google never gives an id back, so the insert is made again
        with the next generation of the id."""
        assert op.event is not None
        generation = op.generation
        while True:
            eid = event_id_for(op.event.uid, generation)
            current = self._current(eid)
            if current is not None and is_ours(current, op.event.uid):
                if not self._answer_was_lost():
                    raise PreconditionFailed(self.name, f"{op.event.uid} exists already as {eid}")
                return to_owned(current, self.tz)  # our own earlier attempt landed
            generation += 1
            if generation >= MAX_GENERATIONS:
                raise SourceError(
                    self.name,
                    f"events.insert {op.event.uid}: {MAX_GENERATIONS} event ids of this meeting "
                    "are taken at Google; delete old copies of it, then run netweave again",
                )
            try:
                resp = self.api.execute(
                    self.request(WriteOp("insert", event=op.event, generation=generation)),
                    "events.insert",
                )
            except HttpError as e:
                if status_of(e) == 409:
                    continue
                raise api_error(self.name, e, f"events.insert {op.event.uid}") from None
            owned = self._outcome(op, resp)
            assert owned is not None
            return owned


def batch_ops(
    inserts: Sequence[PlannedEvent],
    updates: Sequence[tuple[str, str, PlannedEvent, int]],
    deletes: Sequence[tuple[str, str]],
) -> list[WriteOp]:
    """The writes of :meth:`write_batch` as one list: inserts, updates, deletes."""
    ops = [WriteOp("insert", event=e) for e in inserts]
    ops += [WriteOp("update", event=e, href=h, etag=t, sequence=s) for h, t, e, s in updates]
    ops += [WriteOp("delete", href=h, etag=t) for h, t in deletes]
    return ops
