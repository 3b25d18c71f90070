"""Writing netweave's own events to a Google calendar: insert, update, delete, alone or batched.

Updates and deletes send ``If-Match`` (412 -> :class:`PreconditionFailed`, or :class:`NotFound`
when the event was deleted meanwhile); an insert whose event id exists as a cancelled event
brings it back. Nobody is ever invited or emailed (``sendUpdates=none``).
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
from sync.sources.google.events import event_body, event_id_for, to_owned
from sync.sources.google.http import (
    GOOGLE_SERVER,
    Answer,
    Connection,
    GoogleApi,
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


class EventWriter:
    """The writes of one calendar, and what each answer (or error) means for the protocol."""

    def __init__(
        self,
        name: str,
        calendar_id: str,
        tz: tzinfo,
        conn: Connection,
        batch_uri: str | None,
    ) -> None:
        self.name = name
        self.calendar_id = calendar_id
        self.tz = tz
        self.conn = conn
        self.batch_uri = batch_uri

    @property
    def api(self) -> GoogleApi:
        return self.conn.api

    @property
    def service(self) -> Any:
        return self.conn.service("calendar", "v3")

    def single(self, op: WriteOp) -> OwnedEvent | None:
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
        events = self.service.events()
        if op.kind == "insert":
            assert op.event is not None
            return events.insert(
                calendarId=self.calendar_id, body=event_body(op.event), sendUpdates="none"
            )
        if op.kind == "update":
            assert op.event is not None
            body = event_body(op.event, op.sequence)
            body["id"] = op.href
            req = events.update(
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
        if status == 412:
            if self._is_deleted(op.href):
                raise NotFound(self.name, f"{what}: deleted")
            raise PreconditionFailed(self.name, f"{what}: changed since read (etag {op.etag})")
        if status in (404, 410) and op.kind != "insert":
            raise NotFound(self.name, f"{what}: gone")
        if status == 409 and op.kind == "insert":
            assert op.event is not None
            return self._insert_conflict(op.event)
        raise api_error(self.name, e, what)

    def _is_deleted(self, event_id: str) -> bool:
        """Google keeps deleted events (status cancelled): a 412 on one means it is gone."""
        req = self.service.events().get(calendarId=self.calendar_id, eventId=event_id)
        try:
            current = self.api.execute(req, "events.get")
        except HttpError as e:
            return status_of(e) in (404, 410)
        return isinstance(current, dict) and current.get("status") == "cancelled"

    def _insert_conflict(self, event: PlannedEvent) -> OwnedEvent:
        """The event id exists: a cancelled copy is brought back; a live one is a conflict."""
        eid = event_id_for(event.uid)
        req = self.service.events().get(calendarId=self.calendar_id, eventId=eid)
        try:
            current = self.api.execute(req, "events.get")
        except HttpError as e:
            raise api_error(self.name, e, f"events.get {eid}") from None
        if current.get("status") != "cancelled":
            raise PreconditionFailed(self.name, f"{event.uid} exists already as event {eid}")
        op = WriteOp(
            "update", event=event, href=eid, etag=str(current.get("etag", "")),
            sequence=int(current.get("sequence") or 0) + 1,
        )  # fmt: skip
        owned = self.single(op)
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
